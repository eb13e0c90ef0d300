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

/* The loops, calling the allocator directly (slab_test_loops.h). */
#define SLAB_TEST_CTX const struct slab_test_env *
#define SLAB_TEST_FN(name) loop_##name
#define SLAB_TEST_KMALLOC(env, size) kmalloc(size)
#define SLAB_TEST_KFREE(env, p) kfree(p)
#define SLAB_TEST_CLOCK(env) (env)->clock()
#define SLAB_TEST_TOUCH(env, p) (env)->touch(p)
#include "slab_test_loops.h"

void slab_test_repeat(const struct slab_test_env *env, size_t size, unsigned count, void **buf,
		      struct slab_test_result *r)
{
	loop_repeat(env, size, count, buf, r);
}

void slab_test_pair(const struct slab_test_env *env, size_t size, unsigned count,
		    struct slab_test_result *r)
{
	loop_pair(env, size, count, r);
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
