/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * seeds.c - seed derivations (seeds.h).
 */
#include "seeds.h"

uint64_t sim_seed_run(uint64_t master, uint64_t index)
{
	uint64_t z = master + 0x9e3779b97f4a7c15ULL * (index + 1);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31)) & 0x7fffffffffffffffULL;
}

uint32_t sim_seed_stream(uint64_t seed, enum sim_seed_stream stream, unsigned index)
{
	/* Streams apart by their top bits; run seeds are 63-bit, indices small. */
	uint64_t tagged = seed ^ ((uint64_t)(stream + 1) << 58);
	return (uint32_t)(sim_seed_run(tagged, index) >> 31);
}

double sim_seed_uniform(uint64_t seed, enum sim_seed_stream stream, uint64_t index)
{
	uint64_t tagged = seed ^ ((uint64_t)(stream + 1) << 58);
	return (double)(sim_seed_run(tagged, index) >> 10) * 0x1p-53;
}
