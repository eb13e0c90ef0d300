/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_faults.c - failure injection at the page allocator ([faults]): the
 * Nth call from a task fails, exactly that one, and kmalloc returns NULL
 * where the kernel's would (no order to fall back to) or falls back to the
 * minimum order where it can; a probability fails calls drawn from the
 * run's seed, the same ones every time.  Every run stays clean: validator,
 * leak check, no workload blamed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "scenario.h"
#include "slab.h"

#include "test_env.h" /* FOR_SAFE */
#include "test_tmp.h"

/* One CPU, the seed's test 1 (count kmallocs, then count kfrees) of one size. */
static void run_faults(const char *design, unsigned size, const char *faults,
		       struct sim_run_report *r)
{
	char *text =
	    g_strdup_printf("[scenario]\nname = faults\ncpus = 1\nprofile = xeon-2014-preempt\n"
			    "[task w]\nworkload = slab_test\ncpu = 0\ntests = 1\n"
			    "sizes = %u\ncount = 3000\n[faults]\n%s\n",
			    size, faults);
	char *path = write_tmp("faults.ini", text);
	struct sim_scenario sc;
	char err[1024];
	if (!sim_scenario_load(path, &sc, err, sizeof(err)))
		fail_msg("%s", err);
	struct sim_run_plan plan = { .design = slab_design_find(design), .seed = sc.seed };
	assert_non_null(plan.design);
	if (!sim_run(&sc, &plan, r, err, sizeof(err)))
		fail_msg("%s", err);
	if (r->violation)
		fail_msg("%s: %s", design, r->violation_text->str);
	sim_scenario_free(&sc);
	g_free(path);
	g_free(text);
}

/* The allocations test 1 made before kmalloc returned NULL; -1 if it never did. */
static long null_after(const struct sim_run_report *r)
{
	const char *s = strstr(r->tasks[0].output->str, "returned NULL after ");
	return s ? atol(s + strlen("returned NULL after ")) : -1;
}

/*
 * kmalloc-8 has one slab order (no fallback): the Nth page allocation
 * fails, and with it the kmalloc that needed it, after exactly N - 1 slabs'
 * worth of objects.
 */
static void test_nth_fails_exactly(void **state)
{
	const char *design = *state;
	struct sim_run_report r;
	long after[4];
	for (unsigned n = 1; n <= 3; n++) {
		char *faults = g_strdup_printf("page_alloc_fail_nth = %u", n);
		run_faults(design, 8, faults, &r);
		assert_int_equal(r.page_alloc_faults, 1);
		assert_int_equal(r.page_alloc_calls, n);
		assert_int_equal(r.kmalloc_failures, 1);
		assert_int_equal(r.stats[ORDER_FALLBACK], 0);
		after[n] = null_after(&r);
		sim_run_report_free(&r);
		g_free(faults);
	}
	assert_int_equal(after[1], 0);
	assert_true(after[2] > 0);
	assert_int_equal(after[3], 2 * after[2]);
	/* Past the calls the run makes: nothing fails. */
	run_faults(design, 8, "page_alloc_fail_nth = 1000", &r);
	assert_int_equal(r.page_alloc_faults, 0);
	assert_int_equal(r.kmalloc_failures, 0);
	assert_int_equal(null_after(&r), -1);
	sim_run_report_free(&r);
}

/* kmalloc-4096's slabs are of a higher order: a failure falls back to the minimum order. */
static void test_nth_order_fallback(void **state)
{
	const char *design = *state;
	struct sim_run_report r;
	run_faults(design, 4096, "page_alloc_fail_nth = 2", &r);
	assert_int_equal(r.page_alloc_faults, 1);
	assert_int_equal(r.stats[ORDER_FALLBACK], 1);
	assert_int_equal(r.kmalloc_failures, 0);
	assert_int_equal(null_after(&r), -1);
	sim_run_report_free(&r);
}

/* Probability 1: every call fails; the first kmalloc returns NULL, nothing else breaks. */
static void test_probability_all(void **state)
{
	const char *design = *state;
	struct sim_run_report r;
	run_faults(design, 64, "page_alloc_fail_probability = 1", &r);
	assert_true(r.page_alloc_calls > 0);
	assert_int_equal(r.page_alloc_faults, r.page_alloc_calls);
	assert_int_equal(r.kmalloc_failures, 1);
	assert_int_equal(null_after(&r), 0);
	sim_run_report_free(&r);
}

/*
 * A probability fails some calls, the same ones for the same seed.  At one
 * in five, the first slab fails both its order and its fallback (an early
 * NULL with every call failed) for about one seed in 25: the run's seed
 * decides, so a change of seed streams can move this; 0.5 did for one.
 */
static void test_probability_seeded(void **state)
{
	const char *design = *state;
	struct sim_run_report a, b;
	run_faults(design, 512, "page_alloc_fail_probability = 0.2", &a);
	run_faults(design, 512, "page_alloc_fail_probability = 0.2", &b);
	assert_true(a.page_alloc_faults > 0);
	assert_true(a.page_alloc_faults < a.page_alloc_calls);
	assert_int_equal(a.page_alloc_faults, b.page_alloc_faults);
	assert_int_equal(a.page_alloc_calls, b.page_alloc_calls);
	assert_int_equal(a.trace_hash, b.trace_hash);
	sim_run_report_free(&a);
	sim_run_report_free(&b);
}

/*
 * A fail action (explore's, or a decision) at the Nth page allocation's
 * point fails that call exactly as page_alloc_fail_nth = N does; at a
 * point that is no page allocation it cannot act, and nothing fails.
 */
static void test_fail_decision(void **state)
{
	const char *design = *state;
	struct sim_run_report nth, act, elsewhere;
	run_faults(design, 8, "page_alloc_fail_nth = 2", &nth);
	run_faults(design, 8,
		   "[inject]\npolicy = decisions\ndecisions = allocate_slab.alloc_pages#2:fail",
		   &act);
	assert_int_equal(act.decisions->len, 1);
	assert_int_equal(act.page_alloc_faults, 1);
	assert_int_equal(act.page_alloc_calls, nth.page_alloc_calls);
	assert_int_equal(act.kmalloc_failures, 1);
	assert_int_equal(null_after(&act), null_after(&nth));
	assert_true(null_after(&act) > 0);
	run_faults(design, 8, "[inject]\npolicy = decisions\ndecisions = slab_alloc.commit#2:fail",
		   &elsewhere);
	assert_int_equal(elsewhere.decisions->len, 0);
	assert_int_equal(elsewhere.page_alloc_faults, 0);
	assert_int_equal(null_after(&elsewhere), -1);
	sim_run_report_free(&nth);
	sim_run_report_free(&act);
	sim_run_report_free(&elsewhere);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_SAFE(test_nth_fails_exactly), FOR_SAFE(test_nth_order_fallback),
		FOR_SAFE(test_probability_all),	  FOR_SAFE(test_probability_seeded),
		FOR_SAFE(test_fail_decision),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
