/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_test.h - the seed's benchmark (Christoph Lameter's slab_test module):
 * test 1 "repeatedly allocate then free" and test 2 "alloc/free", with the
 * seed's own output lines.  The clock and the object touch are supplied by
 * whoever runs it (the TSC natively, a virtual CPU's clock in the simulator).
 */
#ifndef SIM_SLAB_TEST_H
#define SIM_SLAB_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAB_TEST_SIZES 12 /* 8 .. 16384, doubling */
#define SLAB_TEST_COUNT 10000

extern const size_t slab_test_sizes[SLAB_TEST_SIZES];

struct slab_test_env {
	uint64_t (*clock)(void);
	void (*touch)(void *object); /* the test writes a byte into each object */
};

struct slab_test_result {
	size_t size;
	unsigned count;
	uint64_t alloc_cycles; /* test 1: all kmallocs */
	uint64_t free_cycles;  /* test 1: all kfrees */
	uint64_t pair_cycles;  /* test 2: all kmalloc+kfree pairs */
	unsigned done;	       /* allocations before a NULL (count if none) */
	bool failed;	       /* an allocation returned NULL */
};

/* Test 1 (fills alloc_cycles, free_cycles); buf holds count pointers. */
void slab_test_repeat(const struct slab_test_env *env, size_t size, unsigned count, void **buf,
		      struct slab_test_result *r);
/* Test 2 (fills pair_cycles). */
void slab_test_pair(const struct slab_test_env *env, size_t size, unsigned count,
		    struct slab_test_result *r);

/*
 * Both tests as the module runs them: test 1 over every size, then test 2;
 * fills r[SLAB_TEST_SIZES]; buf holds count pointers.
 */
void slab_test_module(const struct slab_test_env *env, unsigned count, void **buf,
		      struct slab_test_result *r);

/* The seed's lines, rounded as the module divides: total / count. */
int slab_test_format_test1(char *out, size_t len, const struct slab_test_result *r);
int slab_test_format_test2(char *out, size_t len, const struct slab_test_result *r);

#endif /* SIM_SLAB_TEST_H */
