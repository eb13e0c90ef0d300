/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_test_loops.h - the loops of the seed's tests 1 and 2, written once
 * for both machines that run them: natively (slab_test.c: the allocator
 * called directly, the TSC) and in the simulator (workloads.c: through the
 * engine, a virtual CPU's clock).  Each includes this file after defining
 *
 *   SLAB_TEST_CTX            the type of the first argument
 *   SLAB_TEST_FN(name)       the name each function gets
 *   SLAB_TEST_KMALLOC(c, n)  SLAB_TEST_KFREE(c, p)
 *   SLAB_TEST_CLOCK(c)       SLAB_TEST_TOUCH(c, p)
 *
 * so that the timed loops are plain code, with no indirect call that the
 * native figures would include.
 */
#include "slab_test.h"

/* Test 1: count kmallocs, keeping the pointers (each touched), then count kfrees in order. */
static inline void SLAB_TEST_FN(repeat)(SLAB_TEST_CTX c, size_t size, unsigned count, void **buf,
					struct slab_test_result *r)
{
	r->size = size;
	r->count = count;
	unsigned n = 0;
	uint64_t t0 = SLAB_TEST_CLOCK(c);
	for (; n < count; n++) {
		buf[n] = SLAB_TEST_KMALLOC(c, size);
		if (!buf[n]) {
			r->failed = true;
			break;
		}
		SLAB_TEST_TOUCH(c, buf[n]);
	}
	uint64_t t1 = SLAB_TEST_CLOCK(c);
	for (unsigned i = 0; i < n; i++)
		SLAB_TEST_KFREE(c, buf[i]);
	uint64_t t2 = SLAB_TEST_CLOCK(c);
	r->done = n;
	r->alloc_cycles = t1 - t0;
	r->free_cycles = t2 - t1;
}

/* Test 2: the same object over and over, a nearly pure fastpath pair. */
static inline void SLAB_TEST_FN(pair)(SLAB_TEST_CTX c, size_t size, unsigned count,
				      struct slab_test_result *r)
{
	r->size = size;
	r->count = count;
	unsigned n = 0;
	uint64_t t0 = SLAB_TEST_CLOCK(c);
	for (; n < count; n++) {
		void *p = SLAB_TEST_KMALLOC(c, size);
		if (!p) {
			r->failed = true;
			break;
		}
		SLAB_TEST_KFREE(c, p);
	}
	r->done = n;
	r->pair_cycles = SLAB_TEST_CLOCK(c) - t0;
}
