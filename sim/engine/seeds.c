/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * seeds.c - seed derivations (seeds.h).
 */
#include "seeds.h"
#include "rng.h"

uint64_t sim_seed_run(uint64_t master, uint64_t index)
{
	/* Output index + 1 of the splitmix64 sequence that starts at master. */
	return sim_splitmix64_mix(master + SIM_SPLITMIX64_GAMMA * (index + 1)) &
	       0x7fffffffffffffffULL;
}

uint64_t sim_seed_stream(uint64_t seed, enum sim_seed_stream stream, unsigned index)
{
	/* Streams apart by their top bits; run seeds are 63-bit, indices small. */
	uint64_t tagged = seed ^ ((uint64_t)(stream + 1) << 58);
	return sim_splitmix64_mix(tagged + SIM_SPLITMIX64_GAMMA * ((uint64_t)index + 1));
}

double sim_seed_uniform(uint64_t seed, enum sim_seed_stream stream, uint64_t index)
{
	uint64_t tagged = seed ^ ((uint64_t)(stream + 1) << 58);
	return (double)(sim_seed_run(tagged, index) >> 10) * 0x1p-53;
}
