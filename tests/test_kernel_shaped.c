/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_kernel_shaped.c - the kernel-shaped build (sim/native/kernel_shaped.h):
 * the seed's slab_test runs on it with every safe design and leaves
 * nothing behind; the posted V1 leaks there as it does in the ops-table
 * build; the primitive benchmarks all run and tell an L1 hit from a miss.
 * The instruction forms themselves are checked by check_kernel_shaped.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kernel_shaped.h"

#define COUNT 2000

static void run(const char *design, unsigned cpus, struct kshaped_slab_test *out)
{
	*out = (struct kshaped_slab_test){ .design = design, .cpus = cpus, .count = COUNT };
	const char *err = kshaped_slab_test(out, NULL, NULL);
	assert_null(err);
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
		assert_false(out->result[i].failed);
		assert_int_equal(out->result[i].count, COUNT);
		assert_true(out->result[i].alloc_cycles > 0);
		assert_true(out->result[i].free_cycles > 0);
		assert_true(out->result[i].pair_cycles > 0);
	}
}

static void safe_designs_leave_nothing(void **state)
{
	static const char *const safe[] = { "v3.18", "lameter-v1", "v4.0", "v5.15", "v5.19" };
	for (unsigned i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		/* 4 CPUs: shrinking flushes three cpu slabs through other threads. */
		struct kshaped_slab_test r;
		run(safe[i], 4, &r);
		assert_int_equal(r.check.problems, 0);
		assert_int_equal(r.check.pages_in_use, 0);
	}
}

static void posted_v1_leaks(void **state)
{
	struct kshaped_slab_test r;
	run("lameter-v1-posted", 2, &r);
	assert_true(r.check.pages_in_use > 0);
	assert_true(r.check.problems > 0);
}

static void unknown_design_is_refused(void **state)
{
	struct kshaped_slab_test r = { .design = "v9", .cpus = 1, .count = 10 };
	assert_non_null(kshaped_slab_test(&r, NULL, NULL));
	/* and the CPUs and the world were left free for the next run */
	run("v3.18", 1, &r);
}

static const struct kshaped_primitive *find(const struct kshaped_primitive *p, unsigned n,
					    const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(p[i].name, name))
			return &p[i];
	fail_msg("no primitive benchmark named %s", name);
	return NULL;
}

static void primitives_run(void **state)
{
	struct kshaped_primitive p[KSHAPED_PRIMITIVES_MAX];
	unsigned n = kshaped_primitives(p, 5);
	assert_int_equal(n, 19);
	for (unsigned i = 0; i < n; i++) {
		assert_true(p[i].cycles > 0);
		assert_true(p[i].median >= p[i].cycles);
	}
	/* A DRAM miss is tens of times an L1 hit on any machine. */
	assert_true(find(p, n, "page_miss")->cycles > 10 * find(p, n, "load.latency")->cycles);
	assert_true(find(p, n, "load.l3")->cycles > find(p, n, "load.latency")->cycles);
	/* A LOCK-prefixed op is never cheaper than a dependent L1 load. */
	assert_true(find(p, n, "atomic_add")->cycles > find(p, n, "load.latency")->cycles);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safe_designs_leave_nothing),
		cmocka_unit_test(posted_v1_leaks),
		cmocka_unit_test(unknown_design_is_refused),
		cmocka_unit_test(primitives_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
