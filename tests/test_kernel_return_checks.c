/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_kernel_return_checks.c - the checks of an allocator return on a
 * kernel's own slub.c (every kernel design built in), as
 * test_return_checks.c shows them on the port: a task plants one bad
 * pointer as the free pointer of the object at the head of its CPU's
 * kmalloc-64 freelist (as a racing bug would leave it) and allocates
 * twice; the kernel's fastpath hands the pointer out, and the check for
 * that kind of bad return must name it, through the kernel's own view of
 * its slabs (kslab_locate, kslab_cpu_slab) - an address outside the
 * kernel's frames, an object of another cache, a misaligned one, an
 * allocated object of a slab that is not the cpu slab (foreign).  Without
 * those checks only the shadow record saw them: nothing, or a
 * double-allocation.
 *
 * The pointer is planted with a plain write from the task: no point,
 * nothing else runs (one CPU, one task, no action).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "kslab.h"
#include "scenario.h"
#include "slab_design.h"

extern const struct slab_design *const slab_designs_named[];

static const char scenario[] = "[scenario]\nname = checks\nseed = 1\ncpus = 1\nmemory_mib = 64\n"
			       "designs = v3.18\n"
			       "[task t]\nworkload = slab_test\ncpu = 0\n";

static const struct slab_design *design; /* the kernel design under test */

static void run_task(const struct slab_design *d, sim_workload_fn fn, struct sim_run_report *r)
{
	char *dir = g_dir_make_tmp("slabsim-kchecks-XXXXXX", NULL);
	char *path = g_build_filename(dir, "checks.ini", NULL);
	assert_true(g_file_set_contents(path, scenario, -1, NULL));
	struct sim_scenario sc;
	char err[512];
	if (!sim_scenario_load(path, &sc, err, sizeof(err)))
		fail_msg("%s", err);
	struct sim_workload w = { .name = "plant", .run = fn };
	sc.tasks[0].workload = &w;
	struct sim_run_plan plan = { .design = d, .seed = 1 };
	design = d;
	if (!sim_run(&sc, &plan, r, err, sizeof(err)))
		fail_msg("%s", err);
	sim_scenario_free(&sc);
	remove(path);
	remove(dir);
	g_free(path);
	g_free(dir);
}

/* Every kernel design built in but the mutants: fn gives kind, with text in its message. */
static void expect(sim_workload_fn fn, const char *kind, const char *text)
{
	unsigned kernels = 0;
	for (unsigned i = 0; slab_designs_named[i]; i++) {
		const struct slab_design *d = slab_designs_named[i];
		struct sim_run_report r;
		if (!d->kernel || d->mutant)
			continue;
		kernels++;
		run_task(d, fn, &r);
		if (!kind) {
			if (r.violation)
				fail_msg("%s: %s", d->name, r.violation_text->str);
			sim_run_report_free(&r);
			continue;
		}
		if (!r.violation)
			fail_msg("%s: no violation; expected %s", d->name, kind);
		print_message("%s: %s: %.*s\n", d->name, r.violation_kind,
			      (int)strcspn(r.violation_text->str, "\n"), r.violation_text->str);
		assert_false(r.workload_bug);
		assert_string_equal(r.violation_kind, kind);
		if (!strstr(r.violation_text->str, text))
			fail_msg("%s: '%s' not in: %s", d->name, text, r.violation_text->str);
		sim_run_report_free(&r);
	}
	assert_true(kernels > 0);
}

/* An allocated object of a kmalloc-64 slab this CPU has left; its cpu slab is then fresh. */
static void *left_slab(struct sim_task *t)
{
	struct kslab_object first, o;
	void *p = sim_kmalloc(t, 64);
	design->kernel->locate(p, &first);
	assert_int_equal(first.place, KSLAB_IN_SLAB);
	do
		design->kernel->locate(sim_kmalloc(t, 64), &o);
	while (o.base == first.base);
	return p;
}

/*
 * The kmalloc(64) after next on t's CPU returns p: x and y off the fresh
 * cpu slab, freed back in reverse (x, then y, heads the cpu freelist), and
 * x's free pointer made p.  It is found by its value, y, with no layout
 * assumed; a free object's other words may hold y too (what an earlier run
 * left in the frame), so each is made p.
 */
static void plant(struct sim_task *t, void *p)
{
	void *x = sim_kmalloc(t, 64), *y = sim_kmalloc(t, 64);
	unsigned found = 0;
	sim_kfree(t, y);
	sim_kfree(t, x);
	for (unsigned i = 0; i < 64 / sizeof(void *); i++)
		if (((void **)x)[i] == y) {
			((void **)x)[i] = p;
			found++;
		}
	assert_true(found > 0);
	assert_ptr_equal(sim_kmalloc(t, 64), x);
}

static _Alignas(64) unsigned long host_words[8];

static void outside_arena(struct sim_task *t, const struct sim_params *p)
{
	left_slab(t);
	plant(t, host_words);
	sim_kmalloc(t, 64);
}

static void other_cache(struct sim_task *t, const struct sim_params *p)
{
	void *big = sim_kmalloc(t, 128);
	left_slab(t);
	plant(t, big);
	sim_kmalloc(t, 64);
}

static void misaligned(struct sim_task *t, const struct sim_params *p)
{
	left_slab(t);
	void *a = sim_kmalloc(t, 64);
	plant(t, (char *)a + 8);
	sim_kmalloc(t, 64);
}

static void foreign(struct sim_task *t, const struct sim_params *p)
{
	void *first = left_slab(t);
	plant(t, first);
	sim_kmalloc(t, 64);
}

/* The same steps with nothing planted, everything freed: clean. */
static void clean(struct sim_task *t, const struct sim_params *p)
{
	void *held[256];
	unsigned n = 0;
	struct kslab_object first, o;
	held[n++] = sim_kmalloc(t, 64);
	design->kernel->locate(held[0], &first);
	do {
		held[n] = sim_kmalloc(t, 64);
		design->kernel->locate(held[n++], &o);
	} while (o.base == first.base && n < 256);
	void *big = sim_kmalloc(t, 128), *x = sim_kmalloc(t, 64), *y = sim_kmalloc(t, 64);
	sim_kfree(t, y);
	sim_kfree(t, x);
	sim_kfree(t, sim_kmalloc(t, 64));
	sim_kfree(t, big);
	sim_kfree(t, sim_kmalloc(t, 64 << 10)); /* kmalloc_large: the start of a page block */
	while (n)
		sim_kfree(t, held[--n]);
}

static void test_clean(void **state)
{
	expect(clean, NULL, NULL);
}

static void test_outside_arena(void **state)
{
	expect(outside_arena, "outside-slab", "outside the page arena");
}

static void test_other_cache(void **state)
{
	expect(other_cache, "outside-slab", "not an object of a kmalloc-64 slab");
}

static void test_misaligned(void **state)
{
	expect(misaligned, "outside-slab", "not an object of a kmalloc-64 slab");
}

static void test_foreign_object(void **state)
{
	expect(foreign, "foreign-object", "the object was on a freelist it does not belong to");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),	       cmocka_unit_test(test_outside_arena),
		cmocka_unit_test(test_other_cache),    cmocka_unit_test(test_misaligned),
		cmocka_unit_test(test_foreign_object),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
