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
 *
 * The same checks on every kernel design built in (a kernel's own slub.c,
 * checked through its own view of its slabs: kslab_locate,
 * kslab_cpu_slab), the bad pointer planted as the free pointer of the
 * object at the head of the cpu freelist: outside the kernel's frames, of
 * another cache, misaligned, of a slab the CPU has left (foreign).
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
#include "slab.h"
#include "slab_design.h"
#include "slub_internal.h"
#include "test_kernels.h"

static const char scenario[] = "[scenario]\nname = checks\nseed = 1\ncpus = 1\nmemory_mib = 8\n"
			       "designs = v3.18\n"
			       "[task t]\nworkload = slab_test\ncpu = 0\n";

/* Two nodes (CPU 0 on node 0, CPU 1 on node 1), the one task on CPU 0. */
static const char two_nodes[] = "[scenario]\nname = checks\nseed = 1\ncpus = 2\nnodes = 2\n"
				"memory_mib = 8\ndesigns = v3.18\n"
				"[task t]\nworkload = slab_test\ncpu = 0\n";

static const struct slab_design *design; /* of the run in progress */
static const char *ini = scenario;	 /* of the runs to come */

/* Runs fn as the scenario's (ini's) one task on d; the report is the caller's. */
static void run_on(const struct slab_design *d, sim_workload_fn fn, bool every_point,
		   struct sim_run_report *r)
{
	char *dir = g_dir_make_tmp("slabsim-checks-XXXXXX", NULL);
	char *path = g_build_filename(dir, "checks.ini", NULL);
	assert_true(g_file_set_contents(path, ini, -1, NULL));
	struct sim_scenario sc;
	char err[512];
	if (!sim_scenario_load(path, &sc, err, sizeof(err)))
		fail_msg("%s", err);
	struct sim_workload w = { .name = "plant", .run = fn };
	sc.tasks[0].workload = &w;
	struct sim_run_plan plan = { .design = d, .seed = 1, .check_every_point = every_point };
	design = d;
	if (!sim_run(&sc, &plan, r, err, sizeof(err)))
		fail_msg("%s", err);
	sim_scenario_free(&sc);
	remove(path);
	remove(dir);
	g_free(path);
	g_free(dir);
}

static void run_task_checked(sim_workload_fn fn, bool every_point, struct sim_run_report *r)
{
	run_on(slab_design_find("v3.18"), fn, every_point, r);
}

static void run_task(sim_workload_fn fn, struct sim_run_report *r)
{
	run_task_checked(fn, false, r);
}

static void expect_on(const struct slab_design *d, sim_workload_fn fn, bool every_point,
		      const char *kind, const char *text)
{
	struct sim_run_report r;
	run_on(d, fn, every_point, &r);
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

static void expect_checked(sim_workload_fn fn, bool every_point, const char *kind, const char *text)
{
	expect_on(slab_design_find("v3.18"), fn, every_point, kind, text);
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

/* ---- A kernel's own slub.c ---- */

/* An allocated object of a kmalloc-64 slab this CPU has left; its cpu slab is then fresh. */
static void *kernel_left_slab(struct sim_task *t, void **held, unsigned *n)
{
	struct kslab_object first, o;
	void *p = sim_kmalloc(t, 64);
	design->kernel->locate(p, &first);
	assert_int_equal(first.place, KSLAB_IN_SLAB);
	if (held)
		held[(*n)++] = p;
	do {
		void *q = sim_kmalloc(t, 64);
		design->kernel->locate(q, &o);
		if (held && *n < 256)
			held[(*n)++] = q;
	} while (o.base == first.base);
	return p;
}

/*
 * The kmalloc(64) after next on t's CPU returns p: x and y off the fresh
 * cpu slab, freed back in reverse (x, then y, heads the cpu freelist), and
 * x's free pointer made p.  It is found by its value, y, with no layout
 * assumed; a free object's other words may hold y too (what an earlier run
 * left in the frame), so each is made p.
 */
static void kernel_plant_node(struct sim_task *t, void *p, int node)
{
	void *x = sim_kmalloc_node(t, 64, node), *y = sim_kmalloc_node(t, 64, node);
	unsigned found = 0;
	sim_kfree(t, y);
	sim_kfree(t, x);
	for (unsigned i = 0; i < 64 / sizeof(void *); i++)
		if (((void **)x)[i] == y) {
			((void **)x)[i] = p;
			found++;
		}
	assert_true(found > 0);
	assert_ptr_equal(sim_kmalloc_node(t, 64, node), x);
}

static void kernel_plant(struct sim_task *t, void *p)
{
	kernel_plant_node(t, p, NUMA_NO_NODE);
}

static void kernel_outside_arena(struct sim_task *t, const struct sim_params *p)
{
	kernel_left_slab(t, NULL, NULL);
	kernel_plant(t, host_words);
	sim_kmalloc(t, 64);
}

static void kernel_other_cache(struct sim_task *t, const struct sim_params *p)
{
	void *big = sim_kmalloc(t, 128);
	kernel_left_slab(t, NULL, NULL);
	kernel_plant(t, big);
	sim_kmalloc(t, 64);
}

static void kernel_misaligned(struct sim_task *t, const struct sim_params *p)
{
	kernel_left_slab(t, NULL, NULL);
	void *a = sim_kmalloc(t, 64);
	kernel_plant(t, (char *)a + 8);
	sim_kmalloc(t, 64);
}

static void kernel_foreign(struct sim_task *t, const struct sim_params *p)
{
	kernel_plant(t, kernel_left_slab(t, NULL, NULL));
	sim_kmalloc(t, 64);
}

/*
 * On two nodes, from CPU 0: a node-0 object p held; a node-1 slab A1
 * filled, the next one (A2) left on node 1's partial list when a node-0
 * allocation deactivates it; three objects of A1 freed (A1 back on a
 * list, with room for kernel_plant's two); then p planted on the node-1
 * cpu freelist.  kmalloc_node(64, 1) returns it while node 1 has a
 * partial slab and free blocks: wrong-node.
 */
static void kernel_wrong_node_steps(struct sim_task *t, bool planted)
{
	const struct kslab_kernel *k = design->kernel;
	struct kslab_object a1, o;
	void *p = sim_kmalloc_node(t, 64, 0), *held[512], *q;
	unsigned n = 0, freed = 0;
	assert_int_equal(k->slab_node(p), 0);
	held[n++] = p;
	q = held[n++] = sim_kmalloc_node(t, 64, 1);
	assert_int_equal(k->slab_node(q), 1);
	k->locate(q, &a1);
	do {
		q = held[n++] = sim_kmalloc_node(t, 64, 1);
		k->locate(q, &o);
	} while (o.base == a1.base && n < 512);
	assert_true(n > 5 && n < 512);
	held[n++] = sim_kmalloc_node(t, 64, 0);
	for (freed = 2; freed < 5; freed++) { /* three of A1's */
		sim_kfree(t, held[freed]);
		held[freed] = NULL;
	}
	if (planted) {
		kernel_plant_node(t, p, 1);
		sim_kmalloc_node(t, 64, 1);
		return;
	}
	sim_kfree(t, sim_kmalloc_node(t, 64, 1));
	while (n)
		if (held[--n])
			sim_kfree(t, held[n]);
}

static void kernel_wrong_node(struct sim_task *t, const struct sim_params *p)
{
	kernel_wrong_node_steps(t, true);
}

static void kernel_right_node(struct sim_task *t, const struct sim_params *p)
{
	kernel_wrong_node_steps(t, false);
}

/* The same steps with nothing planted, everything freed: clean. */
static void kernel_clean(struct sim_task *t, const struct sim_params *p)
{
	void *held[256];
	unsigned n = 0;
	kernel_left_slab(t, held, &n);
	void *big = sim_kmalloc(t, 128), *x = sim_kmalloc(t, 64), *y = sim_kmalloc(t, 64);
	sim_kfree(t, y);
	sim_kfree(t, x);
	sim_kfree(t, sim_kmalloc(t, 64));
	sim_kfree(t, big);
	sim_kfree(t, sim_kmalloc(t, 64 << 10)); /* kmalloc_large: the start of a page block */
	while (n)
		sim_kfree(t, held[--n]);
}

/* fn on every kernel design built in but the mutants: kind (NULL: none), with text. */
static void kernel_expect(sim_workload_fn fn, const char *kind, const char *text)
{
	const struct slab_design *designs[16];
	unsigned kernels = test_kernel_designs(designs, 16);
	for (unsigned i = 0; i < kernels; i++) {
		const struct slab_design *d = designs[i];
		if (kind) {
			expect_on(d, fn, false, kind, text);
			continue;
		}
		struct sim_run_report r;
		run_on(d, fn, false, &r);
		if (r.violation)
			fail_msg("%s: %s", d->name, r.violation_text->str);
		sim_run_report_free(&r);
	}
	if (!kernels)
		skip(); /* built without -Dkernel_source / -Dkernel_tree */
}

static void test_kernel_clean(void **state)
{
	kernel_expect(kernel_clean, NULL, NULL);
}

static void test_kernel_outside_arena(void **state)
{
	kernel_expect(kernel_outside_arena, "outside-slab", "outside the page arena");
}

static void test_kernel_other_cache(void **state)
{
	kernel_expect(kernel_other_cache, "outside-slab", "not an object of a kmalloc-64 slab");
}

static void test_kernel_misaligned(void **state)
{
	kernel_expect(kernel_misaligned, "outside-slab", "not an object of a kmalloc-64 slab");
}

static void test_kernel_foreign_object(void **state)
{
	kernel_expect(kernel_foreign, "foreign-object",
		      "the object was on a freelist it does not belong to");
}

static void test_kernel_wrong_node(void **state)
{
	ini = two_nodes;
	kernel_expect(kernel_right_node, NULL, NULL);
	kernel_expect(kernel_wrong_node, "wrong-node", "kmalloc_node(64, 1) returned");
	ini = scenario;
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
		cmocka_unit_test(test_kernel_clean),
		cmocka_unit_test(test_kernel_outside_arena),
		cmocka_unit_test(test_kernel_other_cache),
		cmocka_unit_test(test_kernel_misaligned),
		cmocka_unit_test(test_kernel_foreign_object),
		cmocka_unit_test(test_kernel_wrong_node),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
