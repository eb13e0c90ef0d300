/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pct_plan.c - a run index -> PCT's plan, a bijection (pct_plan.h).
 */
#include "pct_plan.h"

#include "rng.h"

typedef unsigned __int128 u128;

/*
 * C(n, r), UINT64_MAX when it is that or more.  With r <= n / 2 the
 * partial products C(n, i) grow with i, so the first one to pass the cap
 * says the result does too; each step's division is exact.
 */
static uint64_t binomial(uint64_t n, uint64_t r)
{
	if (r > n)
		return 0;
	if (r > n - r)
		r = n - r;
	u128 c = 1;
	for (uint64_t i = 0; i < r; i++) {
		c = c * (n - i) / (i + 1);
		if (c >= UINT64_MAX)
			return UINT64_MAX;
	}
	return (uint64_t)c;
}

static uint64_t capped_mul(uint64_t a, uint64_t b)
{
	u128 p = (u128)a * b;
	return p >= UINT64_MAX ? UINT64_MAX : (uint64_t)p;
}

static unsigned nchange(const struct sim_pct_space *s, unsigned depth)
{
	return depth - 1 < s->k ? depth - 1 : (unsigned)s->k;
}

uint64_t sim_pct_plans(const struct sim_pct_space *s, unsigned depth)
{
	uint64_t orders = 1;
	for (unsigned i = 2; i <= s->tasks && orders < UINT64_MAX; i++)
		orders = capped_mul(orders, i);
	return capped_mul(binomial(s->k, nchange(s, depth)), orders);
}

/*
 * One round of a keyed bijection on m-bit numbers: an addition and a
 * multiplication by an odd number (mod 2^m: low bits into high ones) and
 * an xorshift (high bits into low ones), each invertible.
 */
static uint64_t scramble(uint64_t x, unsigned m, uint64_t mask, uint64_t key)
{
	for (unsigned round = 0; round < 4; round++) {
		x = (x + sim_splitmix64_mix(key + round)) & mask;
		x = (x * 0xbf58476d1ce4e5b9ULL) & mask;
		x ^= x >> (m / 2 + 1);
	}
	return x;
}

/*
 * A keyed permutation of [0, n): scramble over the smallest power of two
 * holding n, applied again while the result is n or more (cycle walking:
 * on the permutation's cycle through x, the next element below n; fewer
 * than two steps on average, since n is more than half the power).
 */
static uint64_t permute(uint64_t x, uint64_t n, uint64_t key)
{
	if (n <= 1)
		return 0;
	unsigned m = 64 - (unsigned)__builtin_clzll(n - 1);
	uint64_t mask = m == 64 ? UINT64_MAX : (1ULL << m) - 1;
	do
		x = scramble(x, m, mask, key);
	while (x >= n);
	return x;
}

/* The combination of rank r of t steps out of 1 .. k, ascending (combinatorial number system). */
static void unrank_combination(uint64_t r, unsigned t, uint64_t k, uint64_t *out)
{
	uint64_t above = k; /* the elements are below this one */
	for (unsigned j = t; j >= 1; j--) {
		/* The largest c < above with C(c, j) <= r: C(j - 1, j) = 0 always is. */
		uint64_t lo = j - 1, hi = above - 1;
		while (lo < hi) {
			uint64_t mid = lo + (hi - lo + 1) / 2;
			if (binomial(mid, j) <= r)
				lo = mid;
			else
				hi = mid - 1;
		}
		r -= binomial(lo, j);
		out[j - 1] = lo + 1;
		above = lo;
	}
}

/* Plans given before round j: each depth gives one per round while it has any left. */
static u128 given_before(const uint64_t *plans, unsigned depths, uint64_t j)
{
	u128 sum = 0;
	for (unsigned i = 0; i < depths; i++)
		sum += plans[i] < j ? plans[i] : j;
	return sum;
}

void sim_pct_plan_of(const struct sim_pct_space *s, uint64_t key, uint64_t index,
		     struct sim_pct_plan *out)
{
	unsigned depths = s->depth_max - s->depth_min + 1;
	uint64_t plans[SIM_PCT_DEPTH_MAX], most = 0;
	u128 all = 0;
	for (unsigned i = 0; i < depths; i++) {
		plans[i] = sim_pct_plans(s, s->depth_min + i);
		all += plans[i];
		most = plans[i] > most ? plans[i] : most;
	}
	u128 i = index % all; /* past the whole space: the same plans again */
	/* Round j: the largest with given_before(j) <= i (given_before(most) = all > i). */
	uint64_t lo = 0, hi = most - 1;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		if (given_before(plans, depths, mid) <= i)
			lo = mid;
		else
			hi = mid - 1;
	}
	/* The depths with a plan left in round lo, in order: take the pos-th. */
	uint64_t pos = (uint64_t)(i - given_before(plans, depths, lo));
	unsigned d = 0;
	while (plans[d] <= lo || pos--)
		d++;
	unsigned depth = s->depth_min + d;
	uint64_t x = permute(lo, plans[d], sim_splitmix64_mix(key ^ depth));

	*out = (struct sim_pct_plan){ .depth = depth, .nchange = nchange(s, depth) };
	uint64_t combinations = binomial(s->k, out->nchange);
	uint64_t rank = x;
	if (combinations == UINT64_MAX) {
		/* x alone tells plans apart; the order is a function of it. */
		out->order = sim_splitmix64_mix(x ^ key);
	} else {
		rank = x % combinations;
		out->order = x / combinations;
	}
	unrank_combination(rank, out->nchange, s->k, out->change);
}

void sim_pct_priorities(const struct sim_pct_plan *p, unsigned n, int *prio)
{
	if (!p->depth) {
		for (unsigned i = 0; i < n; i++)
			prio[i] = 0;
		return;
	}
	/* Fisher-Yates with the order's mixed-radix digits: distinct below n! give distinct orders.
	 */
	uint64_t order = p->order;
	for (unsigned i = 0; i < n; i++)
		prio[i] = (int)(p->depth + i);
	for (unsigned i = n; i > 1; i--) {
		unsigned j = (unsigned)(order % i);
		order /= i;
		int tmp = prio[i - 1];
		prio[i - 1] = prio[j];
		prio[j] = tmp;
	}
}
