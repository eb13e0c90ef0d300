/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_return_checks.c - each check of an allocator return, seen to fire
 * on its own: a task plants one bad pointer at the head of its CPU's
 * kmalloc-64 freelist (as a racing bug would leave it) and allocates; the
 * fastpath hands the pointer out, and exactly the check for that kind of
 * bad return must name it - an address outside the arena, an object of
 * another cache, an allocated object of a slab that is not the cpu slab
 * (foreign), an allocated object of the cpu slab itself (handed out
 * twice).  Each case fires a different check first, so disabling any one
 * of them changes what the run reports.  The freelist invariant checked
 * before every point (bisect's check) is shown the same way: a cpu
 * freelist left behind when the cpu slab is dropped.
 *
 * The pointer is planted with a plain write, outside the port: no point,
 * nothing else runs (one CPU, one task).  v3.18, whose fastpath follows
 * the freelist without looking at where the object lies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "scenario.h"
#include "slab.h"
#include "slub_internal.h"

static const char scenario[] = "[scenario]\nname = checks\nseed = 1\ncpus = 1\nmemory_mib = 8\n"
			       "designs = v3.18\n"
			       "[task t]\nworkload = slab_test\ncpu = 0\n";

/* Runs fn as the scenario's one task; the report is the caller's. */
static void run_task_checked(sim_workload_fn fn, bool every_point, struct sim_run_report *r)
{
	char *dir = g_dir_make_tmp("slabsim-checks-XXXXXX", NULL);
	char *path = g_build_filename(dir, "checks.ini", NULL);
	assert_true(g_file_set_contents(path, scenario, -1, NULL));
	struct sim_scenario sc;
	char err[512];
	if (!sim_scenario_load(path, &sc, err, sizeof(err)))
		fail_msg("%s", err);
	struct sim_workload w = { .name = "plant", .run = fn };
	sc.tasks[0].workload = &w;
	struct sim_run_plan plan = { .design = slab_design_find("v3.18"),
				     .seed = 1,
				     .check_every_point = every_point };
	if (!sim_run(&sc, &plan, r, err, sizeof(err)))
		fail_msg("%s", err);
	sim_scenario_free(&sc);
	remove(path);
	remove(dir);
	g_free(path);
	g_free(dir);
}

static void run_task(sim_workload_fn fn, struct sim_run_report *r)
{
	run_task_checked(fn, false, r);
}

static void expect_checked(sim_workload_fn fn, bool every_point, const char *kind, const char *text)
{
	struct sim_run_report r;
	run_task_checked(fn, every_point, &r);
	if (!r.violation)
		fail_msg("no violation; expected %s", kind);
	print_message("%s: %.*s\n", r.violation_kind, (int)strcspn(r.violation_text->str, "\n"),
		      r.violation_text->str);
	assert_false(r.workload_bug);
	assert_string_equal(r.violation_kind, kind);
	if (!strstr(r.violation_text->str, text))
		fail_msg("'%s' not in: %s", text, r.violation_text->str);
	sim_run_report_free(&r);
}

static void expect(sim_workload_fn fn, const char *kind, const char *text)
{
	expect_checked(fn, false, kind, text);
}

/* The next kmalloc(64) on t's CPU returns p: p goes first on the cpu freelist. */
static void plant(struct sim_task *t, void *p)
{
	struct kmem_cache *s = kmalloc_slab(64);
	struct kmem_cache_cpu *c = slab_per_cpu_ptr(s->cpu_slab, sim_task_cpu(t));
	assert_non_null(c->page); /* the fastpath takes it only with a cpu slab */
	*(void **)p = c->freelist;
	c->freelist = p;
}

static _Alignas(64) unsigned long host_words[8];

static void outside_arena(struct sim_task *t, const struct sim_params *p)
{
	void *keep = sim_kmalloc(t, 64);
	plant(t, host_words);
	sim_kmalloc(t, 64);
	sim_kfree(t, keep);
}

static void other_cache(struct sim_task *t, const struct sim_params *p)
{
	void *keep = sim_kmalloc(t, 64), *big = sim_kmalloc(t, 128);
	plant(t, big);
	sim_kmalloc(t, 64);
	sim_kfree(t, keep);
}

/* An allocated object of a slab this CPU has left: the first slab, now full. */
static void foreign(struct sim_task *t, const struct sim_params *p)
{
	struct kmem_cache *s = kmalloc_slab(64);
	unsigned n = oo_objects(s->oo);
	void *first = sim_kmalloc(t, 64);
	for (unsigned i = 1; i <= n; i++)
		sim_kmalloc(t, 64);
	assert_true(slab_object_slab(first) != slab_object_slab(sim_kmalloc(t, 64)));
	plant(t, first);
	sim_kmalloc(t, 64);
}

static void twice(struct sim_task *t, const struct sim_params *p)
{
	void *a = sim_kmalloc(t, 64);
	sim_kmalloc(t, 64);
	plant(t, a);
	sim_kmalloc(t, 64);
}

/* The cpu slab dropped, its freelist left on the CPU. */
static void stranded(struct sim_task *t, const struct sim_params *p)
{
	void *a = sim_kmalloc(t, 64);
	struct kmem_cache *s = kmalloc_slab(64);
	struct kmem_cache_cpu *c = slab_per_cpu_ptr(s->cpu_slab, sim_task_cpu(t));
	c->page = NULL;
	sim_kfree(t, a);
}

/* The same workloads with nothing planted: clean. */
static void clean(struct sim_task *t, const struct sim_params *p)
{
	void *a = sim_kmalloc(t, 64), *b = sim_kmalloc(t, 128);
	sim_kfree(t, sim_kmalloc(t, 64));
	sim_kfree(t, a);
	sim_kfree(t, b);
}

static void test_outside_arena(void **state)
{
	expect(outside_arena, "outside-slab", "outside the page arena");
}

static void test_other_cache(void **state)
{
	expect(other_cache, "outside-slab", "not an object of a kmalloc-64 slab");
}

static void test_foreign_object(void **state)
{
	expect(foreign, "foreign-object", "the object was on a freelist it does not belong to");
}

static void test_double_allocation(void **state)
{
	expect(twice, "double-allocation", "handed out twice");
}

static void test_freelist_without_cpu_slab(void **state)
{
	expect_checked(stranded, true, "corrupt-freelist", "has a freelist (0x40) but no cpu slab");
}

static void test_clean(void **state)
{
	struct sim_run_report r;
	run_task(clean, &r);
	assert_false(r.violation);
	sim_run_report_free(&r);
	run_task_checked(clean, true, &r);
	assert_false(r.violation);
	sim_run_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_outside_arena),
		cmocka_unit_test(test_other_cache),
		cmocka_unit_test(test_foreign_object),
		cmocka_unit_test(test_double_allocation),
		cmocka_unit_test(test_freelist_without_cpu_slab),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
