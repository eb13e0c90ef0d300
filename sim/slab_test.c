/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_test.c - the seed's slab_test tests 1 and 2 over kmalloc/kfree.
 */
#include <stdio.h>
#include <string.h>

#include "slab.h"
#include "slab_test.h"

const size_t slab_test_sizes[SLAB_TEST_SIZES] = {
	8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
};

void slab_test_repeat(const struct slab_test_env *env, size_t size, unsigned count,
		      void **buf, struct slab_test_result *r)
{
	r->size = size;
	r->count = count;
	/* count kmallocs, keeping the pointers, then count kfrees in the same order. */
	unsigned n = 0;
	uint64_t t0 = env->clock();
	for (; n < count; n++) {
		buf[n] = kmalloc(size);
		if (!buf[n]) {
			r->failed = true;
			break;
		}
		env->touch(buf[n]);
	}
	uint64_t t1 = env->clock();
	for (unsigned i = 0; i < n; i++)
		kfree(buf[i]);
	uint64_t t2 = env->clock();
	r->alloc_cycles = t1 - t0;
	r->free_cycles = t2 - t1;
}

void slab_test_pair(const struct slab_test_env *env, size_t size, unsigned count,
		    struct slab_test_result *r)
{
	r->size = size;
	r->count = count;
	/* The same object over and over: a nearly pure fastpath pair. */
	uint64_t t3 = env->clock();
	for (unsigned i = 0; i < count; i++) {
		void *p = kmalloc(size);
		if (!p) {
			r->failed = true;
			break;
		}
		kfree(p);
	}
	r->pair_cycles = env->clock() - t3;
}

void slab_test_module(const struct slab_test_env *env, unsigned count, void **buf,
		      struct slab_test_result *r)
{
	memset(r, 0, SLAB_TEST_SIZES * sizeof(*r));
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
		slab_test_repeat(env, slab_test_sizes[i], count, buf, &r[i]);
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
		slab_test_pair(env, slab_test_sizes[i], count, &r[i]);
}

int slab_test_format_test1(char *out, size_t len, const struct slab_test_result *r)
{
	return snprintf(out, len, "%u times kmalloc(%zu) -> %llu cycles kfree -> %llu cycles",
			r->count, r->size, (unsigned long long)(r->alloc_cycles / r->count),
			(unsigned long long)(r->free_cycles / r->count));
}

int slab_test_format_test2(char *out, size_t len, const struct slab_test_result *r)
{
	return snprintf(out, len, "%u times kmalloc(%zu)/kfree -> %llu cycles", r->count, r->size,
			(unsigned long long)(r->pair_cycles / r->count));
}
