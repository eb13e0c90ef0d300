/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_exhaustive.c - the exhaustive search (explore --scheduler
 * exhaustive): every schedule it counts is distinct and the counts per
 * bound are those of the tree; the reduction counts the same schedules
 * and finds the same first violation while running fewer (and with
 * subtrees skipped too, fewer than with leaves only), and every schedule it skips
 * shows, when run, what the run it stands for showed (a leaf) or what a
 * leaf run before it showed (a subtree's);
 * the same with fail actions and injected interrupts among the kinds, and
 * with every task on one CPU of two; the first violation has the fewest
 * actions possible and replays; the reduction is off where its argument
 * does not hold; bad settings are refused.
 *
 * argv[1]: the source tree's scenarios/ directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "engine.h"
#include "explore.h"
#include "test_kernels.h"
#include "scenario.h"
#include "test_scenarios.h"

static struct sim_explore_config config(const struct sim_scenario *sc, const char *design,
					unsigned bound, bool reduce)
{
	struct sim_explore_config cfg = {
		.sc = sc,
		.design = slab_design_find(design),
		.scheduler = SIM_SCHED_EXHAUSTIVE,
		.bound = bound,
		.reduce = reduce,
		.master_seed = sc->seed,
		.runs = 10000000,
		.jobs = 1,
		.shards = 1,
	};
	assert_non_null(cfg.design);
	return cfg;
}

static struct sim_explore_result search(const struct sim_explore_config *cfg)
{
	struct sim_explore_result res;
	char err[512];
	if (!sim_explore(cfg, &res, err, sizeof(err)))
		fail_msg("%s", err);
	return res;
}

static uint64_t total(const struct sim_explore_result *res, unsigned bound)
{
	uint64_t n = 0;
	for (unsigned c = 0; c <= bound; c++)
		n += res->bound_schedules[c];
	return n;
}

/*
 * A shipped scenario edited: every `from` (one at least must be there;
 * NULL: none) replaced by `to`, then `append` added; loaded into sc from a
 * file of its own that is gone again when this returns.
 */
static void load_edited(const char *file, const char *from, const char *to, const char *append,
			struct sim_scenario *sc)
{
	char *src = g_build_filename(scenarios_dir, file, NULL);
	char *text = NULL;
	assert_true(g_file_get_contents(src, &text, NULL, NULL));
	char *edited;
	if (from) {
		char **parts = g_strsplit(text, from, 0);
		assert_non_null(parts[0]);
		assert_non_null(parts[1]);
		char *joined = g_strjoinv(to, parts);
		edited = g_strconcat(joined, append, NULL);
		g_free(joined);
		g_strfreev(parts);
	} else
		edited = g_strconcat(text, append, NULL);
	char *dir = g_dir_make_tmp("test-exhaustive-XXXXXX", NULL);
	assert_non_null(dir);
	char *path = g_build_filename(dir, file, NULL);
	assert_true(g_file_set_contents(path, edited, -1, NULL));
	char err[512];
	bool loaded = sim_scenario_load(path, sc, err, sizeof(err));
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
	g_free(edited);
	g_free(text);
	g_free(src);
	if (!loaded)
		fail_msg("%s", err);
}

/* Without the reduction every schedule runs, and each has its own decision list. */
static void test_every_schedule_distinct(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load("race-preempt-small.ini", &sc);
	/* Bound 3: inner schedules of two actions extend past their last one. */
	struct sim_explore_config cfg = config(&sc, "lameter-v1", 3, false);
	cfg.check_reduction = true; /* keeps every schedule's hash, to count the distinct ones */
	struct sim_explore_result res = search(&cfg);
	assert_false(res.found);
	assert_false(res.reduced);
	assert_int_equal(res.bounds_done, 4);
	assert_int_equal(res.bound_schedules[0], 1);
	/* Two tasks on one CPU: one preemption possible at each of the k choice points. */
	assert_int_equal(res.bound_schedules[1], res.k);
	assert_true(res.bound_schedules[2] > res.k);
	assert_true(res.bound_schedules[3] > res.bound_schedules[2]);
	assert_int_equal(total(&res, 3), res.runs);
	assert_int_equal(res.schedules, res.runs);
	assert_int_equal(res.bound_equivalent[3], 0);
	sim_scenario_free(&sc);
}

/*
 * A reduced search (cut, with check_reduction) against the full one: the
 * same counts per bound and first violation, fewer runs, and every
 * schedule it skipped run and checked, none different.
 */
static void assert_same_search(const struct sim_explore_result *full,
			       const struct sim_explore_result *cut, unsigned bound)
{
	for (unsigned c = 0; c <= bound; c++)
		assert_int_equal(cut->bound_schedules[c], full->bound_schedules[c]);
	assert_int_equal(cut->found, full->found);
	assert_int_equal(cut->bounds_done, full->bounds_done);
	assert_int_equal(cut->nr_found_steps, full->nr_found_steps);
	assert_memory_equal(cut->found_steps, full->found_steps,
			    full->nr_found_steps * sizeof(struct sim_step_action));
	uint64_t skipped = 0;
	for (unsigned c = 0; c <= bound; c++)
		skipped += cut->bound_equivalent[c];
	assert_true(skipped > 0);
	assert_int_equal(cut->runs + skipped, full->runs);
	assert_int_equal(cut->reduction_checked, skipped);
	assert_int_equal(cut->reduction_mismatches, 0);
}

/*
 * design's search of sc up to bound, unreduced, with leaves skipped only,
 * and with subtrees skipped too: the same counts and first violation,
 * fewer runs each time, every skipped schedule checked and none different.
 */
static void compare_reductions(const struct sim_scenario *sc, const char *design, unsigned bound)
{
	struct sim_explore_config full_cfg = config(sc, design, bound, false);
	struct sim_explore_config cut_cfg = config(sc, design, bound, true);
	cut_cfg.check_reduction = true;
	struct sim_explore_config leaves_cfg = config(sc, design, bound, true);
	leaves_cfg.reduce_leaves_only = true;
	struct sim_explore_result full = search(&full_cfg), cut = search(&cut_cfg),
				  leaves = search(&leaves_cfg);
	assert_true(cut.reduced);
	assert_true(cut.pruned);
	assert_false(leaves.pruned);
	assert_true(cut.subtrees_skipped > 0);
	assert_int_equal(leaves.subtrees_skipped, 0);
	/* Skipping subtrees runs fewer than skipping leaves only, and counts the same. */
	assert_true(cut.runs < leaves.runs);
	for (unsigned c = 0; c <= bound; c++)
		assert_int_equal(leaves.bound_schedules[c], full.bound_schedules[c]);
	assert_same_search(&full, &cut, bound);
}

/* On race-preempt-small (two tasks) for the designs that leak with 3 and those clean with 3. */
static void test_reduction_is_exact(void **state)
{
	(void)state;
	static const char *const designs[] = { "v3.18", "v4.0", "lameter-v1", "v5.19" };
	struct sim_scenario sc;
	load("race-preempt-small.ini", &sc);
	for (unsigned i = 0; i < G_N_ELEMENTS(designs); i++)
		compare_reductions(&sc, designs[i], 3);
	sim_scenario_free(&sc);
}

/*
 * Three tasks on the CPU: subtrees are skipped only behind an O that
 * touches no shared word (an action in G could run the third task, whose
 * steps G does not hold), and the search is still exact.
 */
static void test_reduction_three_tasks(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load_edited("race-preempt-small.ini", NULL, NULL,
		    "\n[task other]\nworkload = race_mix\nsize = 8192\ncpu = 0\n"
		    "rounds = 1\nburst = 1\nburst_exact = true\n",
		    &sc);
	assert_int_equal(sc.nr_tasks, 3);
	compare_reductions(&sc, "v3.18", 3); /* leaks with 2 preemptions here */
	compare_reductions(&sc, "v5.19", 2);
	sim_scenario_free(&sc);
}

/*
 * Fail actions among the kinds (race-faults' kinds on race-preempt-small):
 * a last preemption merges whatever failures came before, a last failure
 * never merges, and a subtree is skipped only where no fail action could
 * change what the other task does before the preempted one runs again.
 * v3.18 leaks with 3 actions, v5.19 is clean with 3, lameter-v1-posted
 * breaks with one failure.
 */
static void test_reduction_with_failures(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load_edited("race-preempt-small.ini", "\nkinds = preempt\n", "\nkinds = preempt, fail\n",
		    "", &sc);
	assert_true(sc.inject.kinds[SIM_ACT_FAIL]);
	compare_reductions(&sc, "v3.18", 3);
	compare_reductions(&sc, "v5.19", 3);
	struct sim_explore_config cfg = config(&sc, "lameter-v1-posted", 2, true);
	struct sim_explore_result res = search(&cfg);
	assert_true(res.found);
	assert_int_equal(res.nr_found_steps, 1);
	assert_int_equal(res.found_steps[0].action, SIM_ACT_FAIL);
	sim_scenario_free(&sc);
}

/*
 * Injected interrupts on one CPU (a handler that allocates and frees in
 * the tasks' cache): an interrupt merges with the same source's at the
 * next choice point when its handler's accesses commute with the span
 * between them.  v3.18 leaks with 3 actions, v5.19 is clean with 2.
 */
static void test_reduction_with_interrupts(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load_edited("race-preempt-small.ini", "\nkinds = preempt\n", "\nkinds = preempt, irq\n",
		    "\n[irq timer]\nworkload = irq_alloc_free\ncpu = -1\nsize = 8192\n", &sc);
	assert_int_equal(sc.nr_irqs, 1);
	compare_reductions(&sc, "v3.18", 3);
	compare_reductions(&sc, "v5.19", 2);
	/*
	 * A subtree is skipped only when every choice inside G offers
	 * preemptions alone (cut_only_by_preemption): an interrupt there runs
	 * a handler X's run never showed, which O need not commute with.  Its
	 * first 10,000 runs at bound 3 (the whole search takes a minute) run
	 * every skipped leaf against the one it maps to; without the condition
	 * 12 of 108,908 showed another outcome.
	 */
	struct sim_explore_config cfg = config(&sc, "v5.19", 3, true);
	cfg.check_reduction = true;
	cfg.runs = 10000;
	struct sim_explore_result res = search(&cfg);
	assert_true(res.subtrees_skipped > 0);
	assert_true(res.reduction_checked > 0);
	assert_int_equal(res.reduction_mismatches, 0);
	sim_scenario_free(&sc);
}

/*
 * A flush source on 5.15's slow path wakes the CPU's kworker, a task the
 * rules do not count: no reduction there; on 3.18's the flush is the
 * handler's own and the reduction holds (the same counts as the full search).
 */
static void test_no_reduction_with_kworker(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load_edited("race-preempt-small.ini", "\nkinds = preempt\n", "\nkinds = preempt, irq\n",
		    "\n[irq flush]\nworkload = irq_flush\ncpu = -1\nsize = 8192\n", &sc);
	struct sim_explore_config cfg = config(&sc, "v5.19", 1, true);
	struct sim_explore_result res = search(&cfg);
	assert_false(res.reduced);
	cfg = config(&sc, "v3.18", 1, true);
	res = search(&cfg);
	assert_true(res.reduced);
	compare_reductions(&sc, "v3.18", 2);
	sim_scenario_free(&sc);
}

/*
 * A kernel design's interrupts are not merged (can_reduce_irqs: its
 * handler changes state outside points): on race-node cut to one round,
 * every schedule it skips (preemptions only) shows its outcome when run.
 * Before, 8 of 58,463 skipped schedules showed another (linux-6.1, bound 2).
 */
static void test_kernel_irqs_not_merged(void **state)
{
	(void)state;
	const struct slab_design *kernels[1] = { NULL };
	if (!test_kernel_designs(kernels, 1))
		skip();
	struct sim_scenario sc;
	load_edited("race-node.ini", "\nrounds = 12\n", "\nrounds = 1\n", "", &sc);
	struct sim_explore_config cfg = config(&sc, "v3.18", 2, true);
	cfg.design = kernels[0];
	cfg.check_reduction = true;
	struct sim_explore_result res = search(&cfg);
	assert_true(res.reduced);
	assert_true(res.reduction_checked > 0);
	assert_int_equal(res.reduction_mismatches, 0);
	sim_scenario_free(&sc);
}

/*
 * race-node cut to one round per task: two CPUs and two nodes, both tasks
 * on CPU 0, an interrupt source for any CPU (it hits the one it
 * interrupts): one CPU's reduction holds.
 */
static void test_reduction_one_cpu_of_two(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load_edited("race-node.ini", "\nrounds = 12\n", "\nrounds = 1\n", "", &sc);
	assert_int_equal(sc.cpus, 2);
	assert_int_equal(sc.nodes, 2);
	assert_int_equal(sc.irqs[0].cpu, -1);
	compare_reductions(&sc, "v3.18", 2);
	compare_reductions(&sc, "v5.19", 2);
	sim_scenario_free(&sc);
}

/* v3.18's missing TID needs 3 preemptions here: none with 2, and the find replays. */
static void test_fewest_actions_first(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load("race-preempt-small.ini", &sc);
	struct sim_explore_config cfg = config(&sc, "v3.18", 4, true);
	struct sim_explore_result res = search(&cfg);
	assert_true(res.found);
	assert_string_equal(res.kind, "leak");
	assert_int_equal(res.nr_found_steps, 3);
	assert_int_equal(res.bounds_done, 4);	     /* 0, 1, 2 clean; 3 where it was found */
	assert_int_equal(res.bound_schedules[4], 0); /* it stopped there */
	struct sim_explore_run run;
	sim_explore_found_plan(&cfg, &res, &run);
	struct sim_run_report r;
	char err[512];
	assert_true(sim_run(&sc, &run.plan, &r, err, sizeof(err)));
	assert_true(r.violation);
	assert_string_equal(r.violation_kind, "leak");
	assert_int_equal(r.decisions->len, 3);
	sim_run_report_free(&r);
	sim_scenario_free(&sc);
}

/*
 * Two CPUs, migrations (exhaustive.c: the migration rule): the reduced
 * search counts what the full one runs, per bound, finds the same first
 * violation, and every schedule it skipped shows, when run, the outcome
 * of the run it stands for.  No subtree is skipped (time decides the
 * interleaving on two CPUs).
 */
static void compare_migrations(const struct sim_scenario *sc, const char *design, unsigned bound)
{
	struct sim_explore_config full_cfg = config(sc, design, bound, false);
	struct sim_explore_config cut_cfg = config(sc, design, bound, true);
	cut_cfg.check_reduction = true;
	struct sim_explore_result full = search(&full_cfg), cut = search(&cut_cfg);
	assert_false(full.reduced);
	assert_true(cut.reduced);
	assert_false(cut.pruned);
	assert_int_equal(cut.subtrees_skipped, 0);
	assert_same_search(&full, &cut, bound);
}

/*
 * race-migrate-small, where lameter-v1-posted's list breaks with 3
 * migrations and no fewer, and the same with bursts of 2 (small enough to
 * run every schedule with 3 migrations twice), where v5.19 and
 * lameter-v1-posted are clean with 3.
 */
static void test_migration_rule_is_exact(void **state)
{
	(void)state;
	struct sim_scenario small;
	load("race-migrate-small.ini", &small);
	compare_migrations(&small, "lameter-v1-posted", 3);
	sim_scenario_free(&small);
	struct sim_scenario sc;
	load_edited("race-migrate-small.ini", "\nburst = 4\n", "\nburst = 2\n", "", &sc);
	assert_int_equal(sc.cpus, 2);
	compare_migrations(&sc, "v5.19", 3);
	compare_migrations(&sc, "lameter-v1-posted", 3);
	sim_scenario_free(&sc);
}

/*
 * Tasks on three CPUs with interrupts (race-flush): the clocks decide how
 * the CPUs interleave and a handler runs on whichever CPU its task is on,
 * so neither rule's argument holds; the reduction stays off.
 */
static void test_reduction_off_with_interrupts(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load("race-flush.ini", &sc);
	struct sim_explore_config cfg = config(&sc, "v5.19", 1, true);
	struct sim_explore_result res = search(&cfg);
	assert_false(res.reduced);
	assert_false(res.pruned);
	assert_int_equal(res.bound_equivalent[1], 0);
	assert_int_equal(total(&res, 1), res.runs);
	sim_scenario_free(&sc);
}

static void test_refused(void **state)
{
	(void)state;
	struct sim_scenario sc;
	load("race-preempt-small.ini", &sc);
	struct sim_explore_result res;
	char err[512];
	struct sim_explore_config cfg = config(&sc, "v5.19", SIM_MAX_STEP_ACTIONS + 1, true);
	assert_false(sim_explore(&cfg, &res, err, sizeof(err)));
	assert_non_null(strstr(err, "bound"));
	cfg = config(&sc, "v5.19", 1, true);
	cfg.jobs = 2;
	assert_false(sim_explore(&cfg, &res, err, sizeof(err)));
	assert_non_null(strstr(err, "one process"));
	sim_scenario_free(&sc);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SCENARIOS_DIR\n", argv[0]);
		return 2;
	}
	scenarios_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_schedule_distinct),
		cmocka_unit_test(test_reduction_is_exact),
		cmocka_unit_test(test_reduction_three_tasks),
		cmocka_unit_test(test_reduction_with_failures),
		cmocka_unit_test(test_reduction_with_interrupts),
		cmocka_unit_test(test_no_reduction_with_kworker),
		cmocka_unit_test(test_reduction_one_cpu_of_two),
		cmocka_unit_test(test_kernel_irqs_not_merged),
		cmocka_unit_test(test_fewest_actions_first),
		cmocka_unit_test(test_migration_rule_is_exact),
		cmocka_unit_test(test_reduction_off_with_interrupts),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
