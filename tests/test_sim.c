/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_sim.c - the simulator as a whole: determinism (the same scenario and
 * seed give the same output and trace, run after run), interleaving on
 * demand (a migration between the fastpath's reads and its commit makes
 * the tid check fail), interrupts and preemption really injected, and a
 * violation reported with its reproduction.
 *
 * argv[1]: the source tree's scenarios/ directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "decision.h"
#include "engine.h"
#include "report.h"
#include "scenario.h"
#include "test_scenarios.h"
#include "scheduler.h"
#include "slab.h"

static void run(const struct sim_scenario *sc, const char *design, struct sim_run_report *r)
{
	char err[512];
	const struct slab_design *d = slab_design_find(design);
	assert_non_null(d);
	struct sim_run_plan plan = { .design = d, .seed = sc->seed };
	if (!sim_run(sc, &plan, r, err, sizeof(err)))
		fail_msg("%s", err);
}

/* The whole text report of a run, as slabsim run prints it. */
static char *render(const struct sim_scenario *sc, const struct sim_run_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	sim_report_run(f, SIM_FORMAT_TEXT, sc, r, true, true);
	sim_report_run(f, SIM_FORMAT_JSON, sc, r, true, true);
	fclose(f);
	return buf;
}

/*
 * The generator is the published one: xoshiro256** from state {1, 2, 3, 4}
 * and splitmix64 from 0 give the reference implementations' first outputs;
 * a seed gives one stream; bounded draws stay below their bound and are
 * even (30,000 draws of 3 values, each within 5% of 10,000).
 */
static void test_rng(void **state)
{
	struct sim_rng r = { { 1, 2, 3, 4 } };
	assert_true(sim_rng_next(&r) == 11520);
	assert_true(sim_rng_next(&r) == 0);
	assert_true(sim_rng_next(&r) == 1509978240);
	assert_true(sim_rng_next(&r) == 1215971899390074240ULL);
	uint64_t x = 0;
	assert_true(sim_splitmix64_next(&x) == 0xe220a8397b1dcdafULL);
	struct sim_rng a, b;
	sim_rng_seed(&a, 42);
	sim_rng_seed(&b, 42);
	for (unsigned i = 0; i < 100; i++)
		assert_true(sim_rng_next(&a) == sim_rng_next(&b));
	unsigned count[3] = { 0 };
	for (unsigned i = 0; i < 30000; i++) {
		uint64_t v = sim_rng_below(&a, 3);
		assert_true(v < 3);
		count[v]++;
		assert_true(sim_rng_below(&a, 1) == 0);
		double d = sim_rng_double(&a);
		assert_true(d >= 0 && d < 1);
	}
	for (unsigned v = 0; v < 3; v++)
		assert_true(count[v] > 9500 && count[v] < 10500);
}

/* The 53 bits m whose double m * 2^-53 is below p, by the integer bound: the same answer. */
static bool below_agrees(double p, uint64_t m)
{
	return ((double)m * 0x1.0p-53 < p) == (m < sim_rng_double_below(p));
}

/*
 * The random scheduler tests its chances in integers (sim_rng_double_below):
 * it must answer as "sim_rng_double() < p" does for every p and every draw,
 * or its decisions would move.  Checked at the bound and on both sides of
 * it, for probabilities that are exact multiples of 2^-53, just off them,
 * tiny, 0, 1 and above, and over 200,000 draws of one stream.
 */
static void test_rng_double_below(void **state)
{
	const double ps[] = { 0.05,	   0.001,	0.5,	   1.0 / 3,
			      0x1p-53,	   3 * 0x1p-53, 0x1p-60,   0.05 + 0x1p-56,
			      1 - 0x1p-53, 1 - 0x1p-54, 1.0,	   1.5,
			      0.0,	   -0.25,	0x1.8p-40, 0.999 };
	for (unsigned i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		double p = ps[i];
		uint64_t b = sim_rng_double_below(p);
		assert_true(b <= 1ull << 53);
		for (uint64_t m = b > 2 ? b - 2 : 0; m <= b + 2 && m < 1ull << 53; m++)
			assert_true(below_agrees(p, m));
		assert_true(below_agrees(p, 0));
		assert_true(below_agrees(p, (1ull << 53) - 1));
		struct sim_rng r, q;
		sim_rng_seed(&r, 7 + i);
		sim_rng_seed(&q, 7 + i);
		for (unsigned k = 0; k < 200000 / (sizeof(ps) / sizeof(ps[0])); k++)
			assert_true((sim_rng_double(&r) < p) == (sim_rng_next(&q) >> 11 < b));
	}
	assert_true(sim_rng_double_below(0.5) == 1ull << 52);
	assert_true(sim_rng_double_below(0x1p-60) == 1);
	assert_true(sim_rng_double_below(0) == 0);
	assert_true(sim_rng_double_below(1) == 1ull << 53);
}

static void test_deterministic(void **state)
{
	static const char *const files[] = { "random-mix-irq.ini", "producer-consumer.ini",
					     "smp-remote-free.ini" };
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct sim_scenario sc;
		load(files[i], &sc);
		struct sim_run_report a, b;
		run(&sc, "v3.18", &a);
		run(&sc, "v3.18", &b);
		char *ta = render(&sc, &a), *tb = render(&sc, &b);
		assert_string_equal(ta, tb);
		assert_true(a.trace_hash == b.trace_hash);
		assert_true(a.points > 1000);
		/* A different seed is a different run (random-mix draws from it). */
		if (!strcmp(files[i], "random-mix-irq.ini")) {
			struct sim_run_report c;
			char err[512];
			struct sim_run_plan other = { .design = slab_design_find("v3.18"),
						      .seed = sc.seed + 1 };
			assert_true(sim_run(&sc, &other, &c, err, sizeof(err)));
			assert_true(c.trace_hash != a.trace_hash);
			assert_true(a.interrupts > 0 && a.preemptions > 0 && a.migrations > 0);
			sim_run_report_free(&c);
		}
		free(ta);
		free(tb);
		sim_run_report_free(&a);
		sim_run_report_free(&b);
		sim_scenario_free(&sc);
	}
}

/*
 * Migrated between reading tid (on CPU 0) and committing (on CPU 1): the
 * commit fails once (CMPXCHG_DOUBLE_CPU_FAIL) and the retry on CPU 1
 * takes the slow path.  The end-token design reads its freelist on CPU 1
 * itself, finds no cpu slab there and goes slow without a failed commit.
 */
static void test_migration_fails_tid_check(void **state)
{
	struct sim_scenario sc;
	load("migrate-tid-retry.ini", &sc);
	static const char *const page_field[] = { "v3.18", "v4.0", "v5.15" };
	for (unsigned i = 0; i < 3; i++) {
		struct sim_run_report r;
		run(&sc, page_field[i], &r);
		assert_false(r.violation);
		assert_int_equal(r.migrations, 1);
		assert_int_equal(r.decisions->len, 1);
		assert_int_equal(r.stats[CMPXCHG_DOUBLE_CPU_FAIL], 1);
		assert_int_equal(r.stats[ALLOC_SLOWPATH], 2);
		sim_run_report_free(&r);
	}
	struct sim_run_report r;
	run(&sc, "lameter-v1", &r);
	assert_int_equal(r.migrations, 1);
	assert_int_equal(r.stats[CMPXCHG_DOUBLE_CPU_FAIL], 0);
	assert_int_equal(r.stats[ALLOC_SLOWPATH], 2);
	sim_run_report_free(&r);

	/* Without the decision, no failed commit and one slow allocation. */
	sc.inject.policy = SIM_INJECT_NONE;
	run(&sc, "v3.18", &r);
	assert_int_equal(r.migrations, 0);
	assert_int_equal(r.stats[CMPXCHG_DOUBLE_CPU_FAIL], 0);
	assert_int_equal(r.stats[ALLOC_SLOWPATH], 1);
	sim_run_report_free(&r);
	sim_scenario_free(&sc);
}

/*
 * preempt_enable is the kernel's own preemption point: the count drops to
 * zero and the scheduler may run at once.  A migration decided at v3.18's
 * slab_alloc.preempt_enable therefore happens there, after the guarded
 * (c, tid) read on CPU 0: the task reads CPU 0's freelist from CPU 1, its
 * commit on CPU 1 fails the tid check, and the retry takes the slow path.
 * (When the point ran with the count still 1 the decision could not act.)
 */
static void test_preempt_enable_is_a_preemption_point(void **state)
{
	struct sim_scenario sc;
	load("migrate-tid-retry.ini", &sc);
	struct sim_decision d;
	char err[256];
	if (!sim_decision_parse("slab_alloc.preempt_enable#2:migrate:1", &sc, &d, err, sizeof(err)))
		fail_msg("%s", err);
	const struct sim_decision *own = sc.inject.decisions;
	unsigned nr_own = sc.inject.nr_decisions;
	sc.inject.decisions = &d;
	sc.inject.nr_decisions = 1;
	struct sim_run_report r;
	run(&sc, "v3.18", &r);
	assert_false(r.violation);
	assert_int_equal(r.migrations, 1);
	assert_int_equal(r.decisions->len, 1);
	assert_int_equal(r.stats[CMPXCHG_DOUBLE_CPU_FAIL], 1);
	assert_int_equal(r.stats[ALLOC_SLOWPATH], 2);
	sim_run_report_free(&r);
	sc.inject.decisions = own;
	sc.inject.nr_decisions = nr_own;
	sim_scenario_free(&sc);
}

/*
 * Four CPUs free into each other's slabs and flush each other's partial
 * slabs into the node list: they meet on the node's list_lock, and a CPU
 * that finds it held spins (in simulated time) until the holder drops it.
 * A build whose simulated spinlocks never wait would pass every other
 * test; not this one.
 */
static void test_list_lock_contended(void **state)
{
	struct sim_scenario sc;
	load("race-irq-controls.ini", &sc);
	static const char *const designs[] = { "v3.18", "v5.19", "lameter-v1" };
	for (unsigned i = 0; i < 3; i++) {
		struct sim_run_report r;
		run(&sc, designs[i], &r);
		assert_false(r.violation);
		assert_true(r.lock_spins > 0);
		assert_true(r.interrupts > 0);
		sim_run_report_free(&r);
	}
	sim_scenario_free(&sc);
}

/*
 * The freelists checked before every point (bisect's check) never fire on
 * a design that stays clean: a slow path's two stores to c->page and
 * c->freelist, made with interrupts off on their CPU, are no corruption
 * between them.  Runs of race-node (kmalloc_node's node-mismatch
 * deactivations) and race-preempt under their random injection.
 */
static void test_check_every_point_quiet_when_clean(void **state)
{
	static const char *const files[] = { "race-node.ini", "race-preempt.ini" };
	static const char *const designs[] = { "v5.19", "lameter-v1" };
	for (unsigned f = 0; f < G_N_ELEMENTS(files); f++) {
		struct sim_scenario sc;
		load(files[f], &sc);
		for (unsigned d = 0; d < G_N_ELEMENTS(designs); d++)
			for (uint64_t seed = 1; seed <= 40; seed++) {
				struct sim_run_plan plan = { .design = slab_design_find(designs[d]),
							     .seed = seed,
							     .check_every_point = true };
				struct sim_run_report r;
				char err[512];
				assert_true(sim_run(&sc, &plan, &r, err, sizeof(err)));
				if (r.violation || r.check_fired)
					fail_msg("%s, %s, seed %llu: %s", files[f], designs[d],
						 (unsigned long long)seed,
						 r.violation_text ? r.violation_text->str
								  : "check fired");
				sim_run_report_free(&r);
			}
		sim_scenario_free(&sc);
	}
}

/*
 * [inject] irq_probability: under policy random, interrupts come at their
 * own chance per point where one could come (choice points, with
 * interrupts the only kind), not probability's; set equal to probability
 * it thins nothing and draws nothing more, so the run is the one without
 * the key.  race-node's interrupt source on lameter-v1, 200 seeds.
 */
static void test_kind_probability_thins(void **state)
{
	struct sim_scenario sc;
	load("race-node.ini", &sc);
	memset(sc.inject.kinds, 0, sizeof(sc.inject.kinds));
	sc.inject.kinds[SIM_ACT_IRQ] = true;
	sc.inject.probability = 0.05;
	const double own[] = { 0, 0.05, 0.005 };
	uint64_t irqs[3] = { 0 }, choices[3] = { 0 }, hash[3] = { 0 };
	for (unsigned i = 0; i < G_N_ELEMENTS(own); i++) {
		sc.inject.kind_probability[SIM_ACT_IRQ] = own[i];
		for (uint64_t seed = 1; seed <= 200; seed++) {
			struct sim_run_plan plan = { .design = slab_design_find("lameter-v1"),
						     .seed = seed,
						     .record_choices = true };
			struct sim_run_report r;
			char err[512];
			assert_true(sim_run(&sc, &plan, &r, err, sizeof(err)));
			assert_false(r.violation);
			irqs[i] += r.interrupts;
			choices[i] += r.choice_points;
			hash[i] = hash[i] * 31 + r.trace_hash;
			sim_run_report_free(&r);
		}
	}
	assert_true(hash[1] == hash[0] && irqs[1] == irqs[0]);
	double unthinned = (double)irqs[0] / (double)choices[0];
	double thinned = (double)irqs[2] / (double)choices[2];
	assert_true(choices[2] > 100000);
	if (!(unthinned > 0.04 && unthinned < 0.06 && thinned > 0.004 && thinned < 0.006))
		fail_msg("interrupts per choice point: %.4f at probability 0.05, %.5f at "
			 "irq_probability 0.005 (%llu of %llu)",
			 unthinned, thinned, (unsigned long long)irqs[2],
			 (unsigned long long)choices[2]);
	sim_scenario_free(&sc);
}

/*
 * A run's decisions replayed counted per task (POINT#N@TASK, from the
 * task and own count the run recorded with each) give the same run, and
 * their text reads back as itself.
 */
static void test_task_decisions_replay(void **state)
{
	struct sim_scenario sc;
	load("race-migrate.ini", &sc);
	struct sim_run_plan plan = { .design = slab_design_find("v5.19"), .seed = 7 };
	struct sim_run_report r, again;
	char err[512];
	assert_true(sim_run(&sc, &plan, &r, err, sizeof(err)));
	assert_true(r.decisions->len > 10);
	struct sim_decision *ds = g_new(struct sim_decision, r.decisions->len);
	for (unsigned i = 0; i < r.decisions->len; i++) {
		ds[i] = g_array_index(r.decisions, struct sim_decision, i);
		assert_true(ds[i].by_task >= 1 && ds[i].by_task <= sc.nr_tasks);
		ds[i].task = (int)ds[i].by_task;
		ds[i].occurrence = ds[i].task_occurrence;
		char *text = sim_decision_text(&ds[i], &sc);
		assert_non_null(strchr(text, '@'));
		struct sim_decision back;
		assert_true(sim_decision_parse(text, &sc, &back, err, sizeof(err)));
		assert_int_equal(back.task, ds[i].task);
		assert_int_equal(back.occurrence, ds[i].occurrence);
		assert_int_equal(back.point, ds[i].point);
		assert_int_equal(back.action, ds[i].action);
		assert_int_equal(back.arg, ds[i].arg);
		g_free(text);
	}
	struct sim_inject in = sc.inject;
	in.policy = SIM_INJECT_DECISIONS;
	in.decisions = ds;
	in.nr_decisions = r.decisions->len;
	struct sim_run_plan replay = { .design = plan.design, .seed = plan.seed, .inject = &in };
	assert_true(sim_run(&sc, &replay, &again, err, sizeof(err)));
	assert_int_equal(again.decisions->len, r.decisions->len);
	assert_int_equal(again.trace_hash, r.trace_hash);
	assert_false(
	    sim_decision_parse("slab_free.commit#1@nobody:preempt", &sc, ds, err, sizeof(err)));
	assert_non_null(strstr(err, "task"));
	g_free(ds);
	sim_run_report_free(&r);
	sim_run_report_free(&again);
	sim_scenario_free(&sc);
}

/*
 * local_irq_restore takes a pending interrupt as soon as interrupts are on
 * again.  An interrupt decided at __slab_alloc's closing irq_restore
 * therefore acts there (the task's interrupts are on at that point), and
 * the trace shows it where the kernel takes it: the restore, then the whole
 * handler on the same CPU, then the interrupted task's next point.  (When
 * the point ran before the flag was restored, the task still had
 * interrupts off there and the decision could not act.)
 */
static void test_irq_restore_takes_a_pending_interrupt(void **state)
{
	struct sim_scenario sc;
	load("race-irq-controls.ini", &sc);
	struct sim_decision d;
	char err[512];
	/* The timer allocates and frees; race-irq-controls has no periodic interrupt. */
	if (!sim_decision_parse("slab_alloc_slowpath.irq_restore#1:irq:timer", &sc, &d, err,
				sizeof(err)))
		fail_msg("%s", err);
	struct sim_inject inject = { .policy = SIM_INJECT_DECISIONS,
				     .decisions = &d,
				     .nr_decisions = 1 };
	struct sim_run_plan plan = { .design = slab_design_find("v3.18"),
				     .seed = sc.seed,
				     .inject = &inject,
				     .record_trace = true };
	struct sim_run_report r;
	if (!sim_run(&sc, &plan, &r, err, sizeof(err)))
		fail_msg("%s", err);
	assert_false(r.violation);
	assert_int_equal(r.decisions->len, 1);
	assert_int_equal(r.interrupts, 1);

	GArray *tr = r.trace;
	int restore = slab_point_find("slab_alloc_slowpath.irq_restore");
	unsigned i = 0;
	while (i < tr->len && !(g_array_index(tr, struct sim_trace_event, i).point == restore &&
				g_array_index(tr, struct sim_trace_event, i).occurrence == 1))
		i++;
	assert_true(i + 1 < tr->len);
	const struct sim_trace_event *at = &g_array_index(tr, struct sim_trace_event, i);
	/* Right after the restore: the handler (an interrupt context: ids after the tasks). */
	unsigned handler_events = 0;
	unsigned j = i + 1;
	for (; j < tr->len; j++) {
		const struct sim_trace_event *ev = &g_array_index(tr, struct sim_trace_event, j);
		if (ev->cpu != at->cpu)
			continue; /* the other CPUs go on meanwhile */
		if (ev->task < r.nr_tasks)
			break;
		handler_events++;
	}
	assert_true(handler_events > 10); /* it allocated and freed */
	/* Then the interrupted task again, and no interrupt context of at's CPU before the restore.
	 */
	assert_true(j < tr->len);
	assert_int_equal(g_array_index(tr, struct sim_trace_event, j).task, at->task);
	for (unsigned k = 0; k < i; k++) {
		const struct sim_trace_event *ev = &g_array_index(tr, struct sim_trace_event, k);
		assert_true(ev->task < r.nr_tasks);
	}
	sim_run_report_free(&r);
	sim_scenario_free(&sc);
}

/* The seed scenario: V1 as posted leaks, and the report says how to rerun it. */
static void test_leak_reported(void **state)
{
	struct sim_scenario sc;
	load("seed-2014.ini", &sc);
	struct sim_run_report r;
	run(&sc, "lameter-v1-posted", &r);
	assert_true(r.violation);
	assert_non_null(strstr(r.violation_text->str, "leak:"));
	assert_non_null(strstr(r.violation_text->str, "frozen but owned by no CPU"));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	sim_report_repro(f, &sc, &r);
	fclose(f);
	assert_non_null(strstr(buf, "slabsim run"));
	assert_non_null(strstr(buf, "--seed 1 --designs lameter-v1-posted"));
	free(buf);
	sim_run_report_free(&r);
	sim_scenario_free(&sc);
}

/* Preemption model none: the preempt pair costs nothing, so v3.18 is cheaper. */
static void test_preemption_model_costs(void **state)
{
	struct sim_scenario sc;
	load("migrate-tid-retry.ini", &sc);
	sc.inject.policy = SIM_INJECT_NONE;
	struct sim_run_report full, none;
	run(&sc, "v3.18", &full);
	sc.preemption = SIM_PREEMPT_NONE;
	run(&sc, "v3.18", &none);
	assert_true(full.cycles_by_kind[SLAB_PK_PREEMPT_DISABLE] > 0);
	assert_int_equal(none.cycles_by_kind[SLAB_PK_PREEMPT_DISABLE], 0);
	assert_true(none.end_cycles < full.end_cycles);
	sim_run_report_free(&full);
	sim_run_report_free(&none);
	sim_scenario_free(&sc);
}

/* One registry: every policy word names the scheduler of its policy. */
static void test_sched_registry(void **state)
{
	unsigned n = 0;
	for (; sim_sched_policy_words[n]; n++) {
		const struct sim_sched *s = sim_sched_for((enum sim_inject_policy)n);
		assert_int_equal(s->policy, n);
		assert_string_equal(s->name, sim_sched_policy_words[n]);
	}
	assert_int_equal(n, SIM_INJECT_STEPS); /* "steps" is explore's own, not a word */
	assert_int_equal(sim_sched_for(SIM_INJECT_STEPS)->policy, SIM_INJECT_STEPS);
	assert_ptr_equal(sim_sched_for((enum sim_inject_policy)99), &sim_sched_none);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SCENARIOS_DIR\n", argv[0]);
		return 2;
	}
	scenarios_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_rng_double_below),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_sched_registry),
		cmocka_unit_test(test_kind_probability_thins),
		cmocka_unit_test(test_migration_fails_tid_check),
		cmocka_unit_test(test_preempt_enable_is_a_preemption_point),
		cmocka_unit_test(test_irq_restore_takes_a_pending_interrupt),
		cmocka_unit_test(test_list_lock_contended),
		cmocka_unit_test(test_check_every_point_quiet_when_clean),
		cmocka_unit_test(test_task_decisions_replay),
		cmocka_unit_test(test_leak_reported),
		cmocka_unit_test(test_preemption_model_costs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
