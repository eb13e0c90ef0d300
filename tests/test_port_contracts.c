/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_port_contracts.c - the simulator's port checks what a primitive
 * requires of its caller (port.h), and reports an allocator assertion as
 * a violation with file:line: each shown by a deliberately broken call
 * made from a task, and the shipped designs shown not to trip them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "port.h"
#include "scenario.h"
#include "slab.h"
#include "slab_assert.h"

static const char *scenarios_dir;

static void load(struct sim_scenario *sc)
{
	char *path = g_build_filename(scenarios_dir, "race-preempt.ini", NULL);
	char err[512];
	if (!sim_scenario_load(path, sc, err, sizeof(err)))
		fail_msg("%s", err);
	g_free(path);
}

/* Runs sc with design (and costs, if not NULL); the report is the caller's. */
static void run(const struct sim_scenario *sc, const char *design, const uint32_t *cost,
		struct sim_run_report *r)
{
	char err[512];
	struct sim_run_plan plan = { .design = slab_design_find(design),
				     .seed = sc->seed,
				     .cost = cost };
	assert_non_null(plan.design);
	if (!sim_run(sc, &plan, r, err, sizeof(err)))
		fail_msg("%s", err);
}

/* Every task of sc runs fn instead of its workload. */
static void run_broken(sim_workload_fn fn, struct sim_run_report *r)
{
	struct sim_scenario sc;
	load(&sc);
	struct sim_workload w = { .name = "broken", .run = fn };
	for (unsigned i = 0; i < sc.nr_tasks; i++)
		sc.tasks[i].workload = &w;
	run(&sc, "v3.18", NULL, r);
	sim_scenario_free(&sc);
}

static void assert_violation(const struct sim_run_report *r, const char *kind, const char *text)
{
	assert_true(r->violation);
	assert_string_equal(r->violation_kind, kind);
	if (!strstr(r->violation_text->str, text))
		fail_msg("'%s' not in: %s", text, r->violation_text->str);
	print_message("%s: %.*s\n", kind, (int)strcspn(r->violation_text->str, "\n"),
		      r->violation_text->str);
}

/* list_lock taken with interrupts on: 3.18 always saves them first. */
static void lock_irqs_on(struct sim_task *t, const struct sim_params *p)
{
	slab_spinlock_t lock = { 0 };
	spin_lock(PT(get_partial_node, list_lock), &lock);
	spin_unlock(PT(get_partial_node, list_unlock), &lock);
}

static void lock_irqs_off(struct sim_task *t, const struct sim_params *p)
{
	slab_spinlock_t lock = { 0 };
	unsigned long flags = local_irq_save(PT(slab_free_slowpath, irq_save));
	spin_lock(PT(slab_free_slowpath, list_lock), &lock);
	spin_unlock(PT(slab_free_slowpath, list_unlock), &lock);
	local_irq_restore(PT(slab_free_slowpath, irq_restore), flags);
}

static void test_spin_lock_needs_irqs_off(void **state)
{
	struct sim_run_report r;
	run_broken(lock_irqs_on, &r);
	assert_violation(&r, "port-contract",
			 "get_partial_node.list_lock: spin_lock of a list_lock "
			 "with interrupts enabled");
	sim_run_report_free(&r);
	run_broken(lock_irqs_off, &r);
	assert_false(r.violation);
	sim_run_report_free(&r);
}

/* cmpxchg16b on words 8 bytes off a 16-byte boundary. */
static void misaligned_double(struct sim_task *t, const struct sim_params *p)
{
	unsigned long *w = kmalloc(64); /* 64-byte aligned, in the arena */
	cmpxchg_double(PT(acquire_slab, freeze), w[1], 0, 0, 1, 1);
	kfree(w);
}

static void test_cmpxchg_double_alignment(void **state)
{
	struct sim_run_report r;
	run_broken(misaligned_double, &r);
	assert_violation(&r, "port-contract",
			 "acquire_slab.freeze: cmpxchg_double on words that "
			 "are not 16-byte aligned");
	sim_run_report_free(&r);
}

/* race-preempt with CONFIG_DEBUG_PREEMPT's check on, as a profile turns it on. */
static void run_debug_preempt(const char *design, struct sim_run_report *r)
{
	struct sim_scenario sc;
	load(&sc);
	uint32_t cost[SIM_COST_COUNT];
	memcpy(cost, sc.profile.cost, sizeof(cost));
	cost[SIM_COST_debug_preempt] = 1;
	run(&sc, design, cost, r);
	sim_scenario_free(&sc);
}

/*
 * null-alias-2014 calls this_cpu_ptr with preemption on, which a
 * DEBUG_PREEMPT kernel reports; the shipped designs, lameter-v1's unguarded
 * this_cpu_read fastpath included, do not trip the check.
 */
static void test_this_cpu_ptr_preemptible(void **state)
{
	struct sim_run_report r;
	run_debug_preempt("null-alias-2014", &r);
	assert_violation(&r, "port-contract", "this_cpu_ptr in a preemptible context");
	sim_run_report_free(&r);
	unsigned safe = 0;
	for (unsigned i = 0; i < slab_design_count(); i++) {
		const struct slab_design *d = slab_design_at(i);
		if (d->mutant)
			continue;
		run_debug_preempt(d->name, &r);
		if (r.violation && !strcmp(r.violation_kind, "port-contract"))
			fail_msg("%s trips: %s", d->name, r.violation_text->str);
		sim_run_report_free(&r);
		safe++;
	}
	assert_true(safe >= 5);
}

/* A free into the wrong cache: SLAB_ASSERT(page->slab_cache == s). */
static void free_to_wrong_cache(struct sim_task *t, const struct sim_params *p)
{
	void *x = kmalloc(64);
	kmem_cache_free(kmalloc_slab(128), x);
}

static void test_assertion_is_a_violation(void **state)
{
	if (SLAB_ASSERT_LEVEL < 1)
		skip();
	struct sim_run_report r;
	run_broken(free_to_wrong_cache, &r);
	assert_violation(&r, "assertion", "slub_slowpath.c:");
	assert_non_null(strstr(r.violation_text->str, "assertion failed: page->slab_cache == s"));
	sim_run_report_free(&r);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SCENARIOS_DIR\n", argv[0]);
		return 2;
	}
	scenarios_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spin_lock_needs_irqs_off),
		cmocka_unit_test(test_cmpxchg_double_alignment),
		cmocka_unit_test(test_this_cpu_ptr_preemptible),
		cmocka_unit_test(test_assertion_is_a_violation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
