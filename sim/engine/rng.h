/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rng.h - the simulator's random numbers: splitmix64 for deriving seeds
 * (seeds.h) and seeding, xoshiro256** for the streams a run draws from
 * (the schedulers', each task's, each CPU's interrupt handlers').
 *
 * Why not GLib's GRand: its Mersenne Twister keeps 2.5 KB of state, which a
 * seed has to fill (624 words) for every stream of every run, and its draws
 * cost a call each; on the race scenarios the two were a quarter of
 * explore's time.  xoshiro256** keeps 32 bytes, is seeded by four
 * splitmix64 steps (as its authors recommend: never an all-zero state) and
 * draws in a few instructions, inline.
 *
 * Bounded draws are unbiased (Lemire's multiply-and-reject), so a draw in
 * [0, n) is uniform for every n, not only powers of two.
 *
 * Reference: Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 47(4), 2021; splitmix64 from Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_SPLITMIX64_GAMMA 0x9e3779b97f4a7c15ULL

/* splitmix64's output function: a bijection that mixes every bit of z. */
static inline uint64_t sim_splitmix64_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The next output of the splitmix64 sequence whose state is *x. */
static inline uint64_t sim_splitmix64_next(uint64_t *x)
{
	*x += SIM_SPLITMIX64_GAMMA;
	return sim_splitmix64_mix(*x);
}

/* One stream: xoshiro256**'s state. */
struct sim_rng {
	uint64_t s[4];
};

/* The stream seeded by seed: four splitmix64 outputs (never all zero). */
static inline void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	for (unsigned i = 0; i < 4; i++)
		r->s[i] = sim_splitmix64_next(&seed);
}

static inline uint64_t sim_rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* 64 random bits (xoshiro256**). */
static inline uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = sim_rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = sim_rng_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), n >= 1 (Lemire: the high word of a 128-bit product, biased lows redrawn). */
static inline uint64_t sim_rng_below(struct sim_rng *r, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)sim_rng_next(r) * n;
	uint64_t low = (uint64_t)m;
	if (low < n) {
		uint64_t threshold = -n % n; /* 2^64 mod n */
		while (low < threshold) {
			m = (unsigned __int128)sim_rng_next(r) * n;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

/* Uniform in [0, 1), 53 bits. */
static inline double sim_rng_double(struct sim_rng *r)
{
	return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53;
}

/*
 * The draw's test "sim_rng_double() < p" in integers: it holds exactly when
 * sim_rng_next() >> 11 is below the bound returned.  The double is m * 2^-53
 * for those 53 bits m, exactly, and p * 2^-53 is exact too, so m * 2^-53 < p
 * exactly when m < ceil(p * 2^53).  p >= 1 (and NaN, which no double is
 * >= to) gives 2^53: every draw; p <= 0 gives 0: none.
 */
static inline uint64_t sim_rng_double_below(double p)
{
	double scaled = p * 0x1p53;
	if (!(scaled < 0x1p53))
		return 1ull << 53;
	if (scaled <= 0)
		return 0;
	uint64_t floor = (uint64_t)scaled;
	return floor + ((double)floor < scaled);
}

#endif /* SIM_RNG_H */
