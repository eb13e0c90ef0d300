/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_engine_rules.c - the engine's rules, each checked on its own:
 *  - the CPU with the earliest clock runs next (ties: the lowest id), so
 *    the operations of a run take effect in clock order;
 *  - every primitive is charged its own cost from the profile (under the
 *    additive model without the cache model, exactly that plus an L1 hit);
 *  - a contended spinlock waits, and the waiter's spins are charged as
 *    spin_wait; a lost cmpxchg_double race is retried and counted;
 *  - a store that misses L1 costs at most store_miss (the store buffer);
 *  - a migration and a context switch cost what the profile says;
 *  - no task is preempted inside preempt_disable or with interrupts off,
 *    and no interrupt comes while they are off;
 *  - 5.15's flush_all runs in a kworker, a task that can be preempted;
 *    3.18's in an interrupt, which cannot;
 *  - the trace hash covers the clock.
 * None of it depends on particular figures or on what a seed draws: each
 * expectation is computed within the test from the profile.
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
#include "scenario.h"
#include "test_scenarios.h"
#include "test_tmp.h"
#include "slab.h"

/* A scenario from its text (written to a file: scenarios are read from files). */
static void load_text(const char *name, const char *text, struct sim_scenario *sc)
{
	char *path = write_tmp(name, text);
	char err[512];
	if (!sim_scenario_load(path, sc, err, sizeof(err)))
		fail_msg("%s", err);
	g_free(path);
}

static void run_plan(const struct sim_scenario *sc, struct sim_run_plan *plan,
		     struct sim_run_report *r)
{
	char err[512];
	if (!sim_run(sc, plan, r, err, sizeof(err)))
		fail_msg("%s", err);
}

static void run(const struct sim_scenario *sc, const char *design, bool trace,
		struct sim_run_report *r)
{
	struct sim_run_plan plan = { .design = slab_design_find(design),
				     .seed = sc->seed,
				     .record_trace = trace };
	assert_non_null(plan.design);
	run_plan(sc, &plan, r);
}

/* Design d run as the profile says (a), and with one cost raised by delta (b). */
static void run_raised(const struct sim_scenario *sc, const char *design, enum sim_cost_key key,
		       uint32_t delta, struct sim_run_report *a, struct sim_run_report *b)
{
	uint32_t cost[SIM_COST_COUNT];
	memcpy(cost, sc->profile.cost, sizeof(cost));
	struct sim_run_plan plan = { .design = slab_design_find(design), .seed = sc->seed };
	assert_non_null(plan.design);
	run_plan(sc, &plan, a);
	cost[key] += delta;
	plan.cost = cost;
	run_plan(sc, &plan, b);
}

/* ---------------------------------------------------------------------- */
/* The earliest CPU runs next                                              */

/*
 * Clocks only grow, and the CPU that runs is the earliest one with work;
 * a CPU that gains work (a wake, a migration, an interrupt) starts no
 * earlier than the clock of whoever gave it: so the operations' clocks,
 * in the order they took effect, never go down.
 */
static void check_clock_order(const struct sim_run_report *r, const char *what)
{
	const GArray *tr = r->trace;
	assert_true(tr->len > 100);
	for (unsigned i = 1; i < tr->len; i++) {
		const struct sim_trace_event *a = &g_array_index(tr, struct sim_trace_event, i - 1);
		const struct sim_trace_event *b = &g_array_index(tr, struct sim_trace_event, i);
		if (b->clock < a->clock)
			fail_msg("%s: event %llu on cpu %u at cycle %llu ran after event %llu on "
				 "cpu %u at cycle %llu: not the earliest CPU",
				 what, (unsigned long long)b->event, b->cpu,
				 (unsigned long long)b->clock, (unsigned long long)a->event, a->cpu,
				 (unsigned long long)a->clock);
	}
}

static void test_earliest_cpu_runs_next(void **state)
{
	static const char *const files[] = { "random-mix-irq.ini",    "smp-remote-free.ini",
					     "producer-consumer.ini", "smp-alloc-free.ini",
					     "race-preempt.ini",      "race-migrate.ini" };
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct sim_scenario sc;
		load(files[i], &sc);
		for (unsigned d = 0; d < sc.nr_designs; d++) {
			struct sim_run_report r;
			run(&sc, sc.designs[d]->name, true, &r);
			char *what = g_strdup_printf("%s, %s", files[i], sc.designs[d]->name);
			check_clock_order(&r, what);
			g_free(what);
			sim_run_report_free(&r);
		}
		sim_scenario_free(&sc);
	}
}

/*
 * Equal clocks: the lowest CPU id first.  Four tasks that never wait for
 * each other (no barrier, queue, injection or interrupt): every CPU that
 * runs at a given cycle after another one did has a higher id, and the
 * first operation of each CPU comes in id order.
 */
static void test_ties_lowest_cpu_first(void **state)
{
	struct sim_scenario sc;
	load_text("ties.ini",
		  "[scenario]\nname = ties\nseed = 1\ncpus = 4\ndesigns = v3.18, v5.19\n"
		  "profile = xeon-2014-preempt\n"
		  "[task mix]\nworkload = random_mix\ncpu = all\nops = 2000\nlive_max = 50\n",
		  &sc);
	for (unsigned d = 0; d < sc.nr_designs; d++) {
		struct sim_run_report r;
		run(&sc, sc.designs[d]->name, true, &r);
		check_clock_order(&r, "ties");
		const GArray *tr = r.trace;
		unsigned ties = 0;
		for (unsigned i = 1; i < tr->len; i++) {
			const struct sim_trace_event *a =
			    &g_array_index(tr, struct sim_trace_event, i - 1);
			const struct sim_trace_event *b =
			    &g_array_index(tr, struct sim_trace_event, i);
			if (a->clock != b->clock || a->cpu == b->cpu)
				continue;
			ties++;
			if (b->cpu < a->cpu)
				fail_msg("at cycle %llu cpu %u ran before cpu %u",
					 (unsigned long long)a->clock, a->cpu, b->cpu);
		}
		/* All four start together: each one's first call ends at the same cycle. */
		assert_true(ties >= 3);
		for (unsigned i = 0; i < 4; i++)
			assert_int_equal(g_array_index(tr, struct sim_trace_event, i).cpu, i);
		sim_run_report_free(&r);
	}
	sim_scenario_free(&sc);
}

/* ---------------------------------------------------------------------- */
/* What each primitive costs                                               */

/* Every kind of point, and its profile cost; memory kinds add an L1 hit. */
static const struct {
	enum slab_point_kind kind;
	enum sim_cost_key own;
	bool has_own, memory;
} kind_cost[] = {
	{ SLAB_PK_LOAD, 0, false, true },
	{ SLAB_PK_STORE, 0, false, true },
	{ SLAB_PK_ATOMIC_ADD, SIM_COST_atomic_add, true, true },
	{ SLAB_PK_CPU_READ, SIM_COST_this_cpu_read, true, true },
	{ SLAB_PK_CPU_CMPXCHG, SIM_COST_this_cpu_cmpxchg, true, true },
	{ SLAB_PK_CPU_CMPXCHG_DOUBLE, SIM_COST_this_cpu_cmpxchg_double, true, true },
	{ SLAB_PK_CMPXCHG_DOUBLE, SIM_COST_cmpxchg_double, true, true },
	{ SLAB_PK_PREEMPT_DISABLE, SIM_COST_preempt_disable, true, false },
	{ SLAB_PK_PREEMPT_ENABLE, SIM_COST_preempt_enable, true, false },
	{ SLAB_PK_IRQ_SAVE, SIM_COST_irq_save, true, false },
	{ SLAB_PK_IRQ_RESTORE, SIM_COST_irq_restore, true, false },
	{ SLAB_PK_SPIN_UNLOCK, SIM_COST_spin_unlock, true, true },
	{ SLAB_PK_CPU_PTR, SIM_COST_this_cpu_ptr, true, false },
	{ SLAB_PK_RAW_CPU_PTR, SIM_COST_this_cpu_ptr, true, false },
	{ SLAB_PK_COMPUTE, SIM_COST_compute, true, false },
	{ SLAB_PK_BARRIER, SIM_COST_barrier, true, false },
};

/*
 * Two CPUs on one node, no per-CPU partial lists: each fills 188 slabs,
 * then both free at once, and every slab that turns partial, then empty,
 * goes through the node's list_lock: the two CPUs contend for it.
 */
static const char contended[] =
    "[scenario]\nname = contended\nseed = 1\ncpus = 2\ncpu_partial = false\n"
    "designs = v3.18, lameter-v1, v4.0, v5.15, v5.19\nprofile = xeon-2014-preempt\n"
    "cache_model = %s\n"
    "[task smp]\nworkload = %s\ncpu = all\nsize = 1024\ncount = 3000\n";

static void load_workload(const char *workload, bool cache_model, struct sim_scenario *sc)
{
	char *text = g_strdup_printf(contended, cache_model ? "true" : "false", workload);
	load_text("contended.ini", text, sc);
	g_free(text);
}

static void load_contended(bool cache_model, struct sim_scenario *sc)
{
	load_workload("smp_alloc_then_free", cache_model, sc);
}

/*
 * One CPU allocates, the other frees what it gets into the first one's
 * cpu slab at the same time: the frees and the refills race on
 * page->freelist, and a free that loses retries (CMPXCHG_DOUBLE_FAIL).
 */
static void test_remote_free_race(void **state)
{
	struct sim_scenario sc;
	load_workload("smp_remote_free", false, &sc);
	for (unsigned d = 0; d < sc.nr_designs; d++) {
		struct sim_run_report r;
		run(&sc, sc.designs[d]->name, false, &r);
		assert_false(r.violation);
		assert_int_equal(r.stats[FREE_SLOWPATH], 3000);
		assert_int_equal(r.stats[FREE_FROZEN], 3000);
		assert_true(r.stats[CMPXCHG_DOUBLE_FAIL] > 0);
		/* Every failed cmpxchg_double is one more attempt at a page. */
		assert_true(r.count_by_kind[SLAB_PK_CMPXCHG_DOUBLE] >=
			    r.stats[FREE_SLOWPATH] + r.stats[CMPXCHG_DOUBLE_FAIL]);
		sim_run_report_free(&r);
	}
	sim_scenario_free(&sc);
}

static void test_primitive_charges(void **state)
{
	struct sim_scenario sc;
	load_contended(false, &sc);
	const uint32_t *cost = sc.profile.cost;
	assert_int_equal(cost[SIM_COST_timing_window], 1); /* additive */
	/* Distinct costs, or a kind charged as another could go unseen. */
	assert_true(cost[SIM_COST_this_cpu_read] != cost[SIM_COST_this_cpu_cmpxchg]);
	assert_true(cost[SIM_COST_spin_wait] != cost[SIM_COST_spin_lock]);
	for (unsigned d = 0; d < sc.nr_designs; d++) {
		struct sim_run_report r;
		run(&sc, sc.designs[d]->name, false, &r);
		assert_false(r.violation);
		uint64_t l1 = cost[SIM_COST_l1_hit];
		for (unsigned i = 0; i < sizeof(kind_cost) / sizeof(kind_cost[0]); i++) {
			enum slab_point_kind k = kind_cost[i].kind;
			uint64_t each = (kind_cost[i].has_own ? cost[kind_cost[i].own] : 0) +
					(kind_cost[i].memory ? l1 : 0);
			if (r.cycles_by_kind[k] != r.count_by_kind[k] * each)
				fail_msg("%s: %llu %s points cost %llu cycles, expected %llu each",
					 sc.designs[d]->name,
					 (unsigned long long)r.count_by_kind[k],
					 slab_point_kind_name(k),
					 (unsigned long long)r.cycles_by_kind[k],
					 (unsigned long long)each);
		}
		assert_true(r.count_by_kind[SLAB_PK_CPU_READ] + r.count_by_kind[SLAB_PK_CPU_PTR] >
			    0);
		assert_int_equal(r.cycles_by_kind[SIM_KIND_CALL],
				 r.count_by_kind[SIM_KIND_CALL] * cost[SIM_COST_call]);
		/*
		 * kmalloc-1024 slabs are order 2 here: each page allocation
		 * costs page_alloc plus 2 * page_alloc_per_order.
		 */
		uint64_t n = r.count_by_kind[SLAB_PK_PAGE_ALLOC];
		assert_true(n > 0);
		assert_int_equal(
		    r.cycles_by_kind[SLAB_PK_PAGE_ALLOC],
		    n * (cost[SIM_COST_page_alloc] + 2 * cost[SIM_COST_page_alloc_per_order]));
		n = r.count_by_kind[SLAB_PK_PAGE_FREE];
		assert_int_equal(
		    r.cycles_by_kind[SLAB_PK_PAGE_FREE],
		    n * (cost[SIM_COST_page_free] + 2 * cost[SIM_COST_page_free_per_order]));

		/*
		 * spin_lock counts each acquisition (spin_lock + L1) and each
		 * spin while another CPU holds the lock (spin_wait + L1); every
		 * acquisition has its unlock.
		 */
		uint64_t locks = r.count_by_kind[SLAB_PK_SPIN_UNLOCK];
		uint64_t spins = r.count_by_kind[SLAB_PK_SPIN_LOCK] - locks;
		print_message("%s: %llu list_lock acquisitions, %llu spins\n", sc.designs[d]->name,
			      (unsigned long long)locks, (unsigned long long)spins);
		assert_true(locks > 100);
		assert_true(spins > 0); /* the two CPUs contend */
		assert_int_equal(r.cycles_by_kind[SLAB_PK_SPIN_LOCK],
				 locks * (cost[SIM_COST_spin_lock] + l1) +
				     spins * (cost[SIM_COST_spin_wait] + l1));
		sim_run_report_free(&r);
	}
	sim_scenario_free(&sc);
}

/*
 * A waiter's time is the holder's: with spin_wait raised, the run takes
 * longer by at least the extra cost of every spin (each spin is charged,
 * and the holder does not finish sooner).
 */
static void test_spin_wait_charged(void **state)
{
	struct sim_scenario sc;
	load_contended(false, &sc);
	const uint32_t *cost = sc.profile.cost;
	struct sim_run_report a, b;
	run_raised(&sc, "v5.19", SIM_COST_spin_wait, 1000, &a, &b);
	uint64_t spins = b.count_by_kind[SLAB_PK_SPIN_LOCK] - b.count_by_kind[SLAB_PK_SPIN_UNLOCK];
	assert_true(spins > 0);
	assert_int_equal(b.cycles_by_kind[SLAB_PK_SPIN_LOCK] - spins * 1000,
			 b.count_by_kind[SLAB_PK_SPIN_UNLOCK] *
				 (cost[SIM_COST_spin_lock] + cost[SIM_COST_l1_hit]) +
			     spins * (cost[SIM_COST_spin_wait] + cost[SIM_COST_l1_hit]));
	assert_true(b.end_cycles > a.end_cycles);
	sim_run_report_free(&a);
	sim_run_report_free(&b);
	sim_scenario_free(&sc);
}

/* With the cache model: a plain store never costs more than store_miss. */
static void test_store_buffer(void **state)
{
	struct sim_scenario sc;
	load_contended(true, &sc);
	const uint32_t *cost = sc.profile.cost;
	assert_int_equal(cost[SIM_COST_timing_window], 1);
	assert_true(cost[SIM_COST_store_miss] < cost[SIM_COST_dram]);
	assert_true(cost[SIM_COST_store_miss] < cost[SIM_COST_remote_modified]);
	struct sim_run_report r;
	run(&sc, "v5.19", false, &r);
	uint64_t n = r.count_by_kind[SLAB_PK_STORE], c = r.cycles_by_kind[SLAB_PK_STORE];
	uint64_t cap = cost[SIM_COST_store_miss] > cost[SIM_COST_l1_hit] ? cost[SIM_COST_store_miss]
									 : cost[SIM_COST_l1_hit];
	assert_true(n > 0);
	assert_true(c > n * cost[SIM_COST_l1_hit]); /* some stores missed */
	assert_true(c <= n * cap);
	/* Loads are not capped: some missed further than store_miss. */
	assert_true(r.cycles_by_kind[SLAB_PK_LOAD] >
		    r.count_by_kind[SLAB_PK_LOAD] * cost[SIM_COST_l1_hit]);
	sim_run_report_free(&r);
	sim_scenario_free(&sc);
}

/* One migration (migrate-tid-retry's decision): the run is longer by what it costs. */
static void test_migration_cost(void **state)
{
	struct sim_scenario sc;
	load("migrate-tid-retry.ini", &sc);
	struct sim_run_report a, b;
	run_raised(&sc, "v3.18", SIM_COST_migrate, 1000, &a, &b);
	assert_int_equal(a.migrations, 1);
	assert_int_equal(b.migrations, 1);
	assert_int_equal(b.end_cycles - a.end_cycles, 1000);
	sim_run_report_free(&a);
	sim_run_report_free(&b);
	sim_scenario_free(&sc);
}

/* Two tasks on one CPU, one after the other: one context switch between them. */
static void test_context_switch_cost(void **state)
{
	struct sim_scenario sc;
	load_text("switch.ini",
		  "[scenario]\nname = switch\nseed = 1\ncpus = 1\ndesigns = v3.18\n"
		  "profile = xeon-2014-preempt\n"
		  "[task a]\nworkload = slab_test\ncpu = 0\ntests = 2\nsizes = 64\ncount = 10\n"
		  "[task b]\nworkload = slab_test\ncpu = 0\ntests = 2\nsizes = 64\ncount = 10\n",
		  &sc);
	struct sim_run_report a, b;
	run_raised(&sc, "v3.18", SIM_COST_context_switch, 1000, &a, &b);
	assert_int_equal(b.end_cycles - a.end_cycles, 1000);
	sim_run_report_free(&a);
	sim_run_report_free(&b);
	sim_scenario_free(&sc);
}

/*
 * Two tasks share cpu 0 (race-preempt's), and one decision at the first
 * allocation's read_tid: v3.18 reads it inside preempt_disable, v4.0 with
 * preemption on.  A preemption there is taken for v4.0 only; one in
 * __slab_alloc (interrupts off) for neither; and an interrupt neither
 * inside __slab_alloc.
 */
static uint64_t actions_taken(const char *design, const char *decision, const char *kinds,
			      bool with_irq)
{
	char *text = g_strdup_printf(
	    "[scenario]\nname = guards\nseed = 1\ncpus = 1\ndesigns = v3.18, v4.0\n"
	    "profile = xeon-2014-preempt\n"
	    "[task a]\nworkload = race_mix\ncpu = 0\nrounds = 2\nburst = 2\n"
	    "[task b]\nworkload = race_mix\ncpu = 0\nrounds = 2\nburst = 2\n"
	    "%s[inject]\npolicy = decisions\nkinds = %s\ndecisions = %s\n",
	    with_irq ? "[irq tick]\nworkload = irq_alloc_free\ncpu = 0\nperiod = 0\n" : "", kinds,
	    decision);
	struct sim_scenario sc;
	load_text("guards.ini", text, &sc);
	g_free(text);
	struct sim_run_report r;
	run(&sc, design, false, &r);
	assert_false(r.violation);
	uint64_t n = r.preemptions + r.interrupts;
	assert_int_equal(n, r.decisions->len);
	sim_run_report_free(&r);
	sim_scenario_free(&sc);
	return n;
}

static void test_no_action_in_guards(void **state)
{
	const char *tid = "slab_alloc.read_tid#1:preempt";
	assert_int_equal(actions_taken("v4.0", tid, "preempt", false), 1);
	assert_int_equal(actions_taken("v3.18", tid, "preempt", false), 0);
	const char *slow = "slab_alloc_slowpath.cpu_ptr#1:preempt";
	assert_int_equal(actions_taken("v4.0", slow, "preempt", false), 0);
	assert_int_equal(actions_taken("v4.0", "slab_alloc.read_tid#1:irq:tick", "irq", true), 1);
	assert_int_equal(
	    actions_taken("v4.0", "slab_alloc_slowpath.cpu_ptr#1:irq:tick", "irq", true), 0);
}

static bool executed(const struct sim_run_report *r, const char *point)
{
	int pt = slab_point_find(point);
	assert_true(pt >= 0);
	return r->points_executed[pt / 64] >> (pt % 64) & 1;
}

/*
 * 5.15's slow path (v5.15, v5.19): ___slab_alloc runs with preemption off
 * and interrupts on between its local_lock sections.  One decision at the
 * first lock of a cpu slab found exhausted: an interrupt there is taken (the
 * 3.18 slow path, interrupts off throughout, takes none: test above), its
 * handler's allocations replace the cpu slab, and the task, taking the
 * lock, finds c->page changed and starts again from it (unlock_reread)
 * without breaking anything; a preemption there is not taken.  One at the
 * lock after get_partial or new_slab: the handler installed a cpu slab
 * meanwhile, and the task flushes it before installing its own
 * (unlock_flush).  And put_cpu_partial, 5.15's under its local_lock,
 * takes an interrupt before it.
 */
static void run_window(const char *design, const char *decision, const char *kinds,
		       struct sim_run_report *r)
{
	char *text = g_strdup_printf(
	    "[scenario]\nname = window\nseed = 1\ncpus = 1\ndesigns = %s\n"
	    "profile = xeon-2014-preempt\n"
	    "[task a]\nworkload = race_mix\ncpu = 0\nrounds = 4\nburst = 40\n"
	    "[task b]\nworkload = race_mix\ncpu = 0\nrounds = 4\nburst = 40\n"
	    "[irq tick]\nworkload = irq_alloc_free\ncpu = 0\nperiod = 0\nsize = 1024\n"
	    "count = 2\n[inject]\npolicy = decisions\nkinds = %s\ndecisions = %s\n",
	    design, kinds, decision);
	struct sim_scenario sc;
	load_text("window.ini", text, &sc);
	g_free(text);
	run(&sc, design, false, r);
	sim_scenario_free(&sc);
}

static void test_local_lock_window(void **state)
{
	const char *designs[] = { "v5.15", "v5.19" };
	for (unsigned i = 0; i < 2; i++) {
		struct sim_run_report r;
		run_window(designs[i], "___slab_alloc.lock#1:irq:tick", "irq", &r);
		assert_false(r.violation);
		assert_int_equal(r.interrupts, 1);
		assert_true(executed(&r, "___slab_alloc.unlock_reread"));
		sim_run_report_free(&r);
		run_window(designs[i], "___slab_alloc.lock#1:preempt", "preempt", &r);
		assert_false(r.violation);
		assert_int_equal(r.preemptions, 0);
		assert_false(executed(&r, "___slab_alloc.unlock_reread"));
		sim_run_report_free(&r);
		run_window(designs[i], "___slab_alloc.lock_load#1:irq:tick", "irq", &r);
		assert_false(r.violation);
		assert_int_equal(r.interrupts, 1);
		assert_true(executed(&r, "___slab_alloc.unlock_flush"));
		sim_run_report_free(&r);
		run_window(designs[i], "___slab_alloc.lock_load#1:preempt", "preempt", &r);
		assert_int_equal(r.preemptions, 0);
		assert_false(executed(&r, "___slab_alloc.unlock_flush"));
		sim_run_report_free(&r);
		/* put_cpu_partial from __slab_free: its local_lock is taken with interrupts on. */
		run_window(designs[i], "put_cpu_partial.local_lock#1:irq:tick", "irq", &r);
		assert_false(r.violation);
		assert_int_equal(r.interrupts, 1);
		assert_true(executed(&r, "put_cpu_partial.write_partial"));
		sim_run_report_free(&r);
	}
}

/*
 * flush_all on one CPU, one task there, three decisions: the flush source
 * at the task's fifth allocation, a preemption at its sixth, and one at
 * the first point of deactivate_slab.  5.15's slow path (v5.15, v5.19):
 * the source queues the work, the preemption switches to the CPU's kworker
 * (kworker/0, a task), and the kworker is preempted in the middle of
 * deactivating the cpu slab: the task runs next.  3.18's (v3.18): the
 * source is the IPI, which flushes in interrupt context at once (its
 * interrupts-off entry runs); nothing can preempt it, and no kworker
 * exists.  SLUB_STATS count the flush in both.
 */
static void run_flush(const char *design, struct sim_run_report *r)
{
	char *text =
	    g_strdup_printf("[scenario]\nname = flush\nseed = 1\ncpus = 1\ndesigns = %s\n"
			    "profile = xeon-2014-preempt\n"
			    "[task a]\nworkload = race_mix\ncpu = 0\nrounds = 4\nburst = 40\n"
			    "[irq flush]\nworkload = irq_flush\ncpu = 0\nsize = 1024\n"
			    "[inject]\npolicy = decisions\nkinds = preempt, irq\ndecisions = "
			    "slab_alloc.read_tid#5:irq:flush, slab_alloc.read_tid#6:preempt, "
			    "deactivate_slab.remote_frees#1:preempt\n",
			    design);
	struct sim_scenario sc;
	load_text("flush.ini", text, &sc);
	g_free(text);
	run(&sc, design, true, r);
	assert_false(r->violation);
	assert_true(r->stats[CPUSLAB_FLUSH] >= 1);
	sim_scenario_free(&sc);
}

/*
 * The context whose operation took effect right before t's first one at
 * point, or -1 (a point preempted at takes effect when its task runs
 * again: the trace is in the order of effects).
 */
static int task_before(const struct sim_run_report *r, unsigned t, const char *point)
{
	int pt = slab_point_find(point);
	for (unsigned i = 1; i < r->trace->len; i++) {
		const struct sim_trace_event *ev =
		    &g_array_index(r->trace, struct sim_trace_event, i);
		if (ev->task == t && ev->point == pt)
			return (int)g_array_index(r->trace, struct sim_trace_event, i - 1).task;
	}
	return -1;
}

static void test_flush_work_in_task(void **state)
{
	const char *designs[] = { "v5.15", "v5.19" };
	for (unsigned i = 0; i < 2; i++) {
		struct sim_run_report r;
		run_flush(designs[i], &r);
		/* Task a, irq/0, then kworker/0 (id 2). */
		assert_int_equal(r.nr_task_names, 3);
		assert_string_equal(r.task_names[2], "kworker/0");
		assert_int_equal(r.interrupts, 1);
		assert_int_equal(r.preemptions, 2);
		assert_int_equal(r.decisions->len, 3);
		const struct sim_decision *d = &g_array_index(r.decisions, struct sim_decision, 2);
		assert_int_equal(d->point, slab_point_find("deactivate_slab.remote_frees"));
		assert_int_equal(d->by_task, 3);
		/* Preempted there: task a ran before the kworker went on. */
		assert_int_equal(task_before(&r, 2, "deactivate_slab.remote_frees"), 0);
		assert_false(executed(&r, "flush_cpu_slab.irq_save"));
		assert_true(executed(&r, "flush_slab.local_lock"));
		sim_run_report_free(&r);
	}
	struct sim_run_report r;
	run_flush("v3.18", &r);
	assert_int_equal(r.nr_task_names, 2);
	assert_int_equal(r.interrupts, 1);
	assert_int_equal(r.preemptions, 0);
	assert_int_equal(r.decisions->len, 1);
	assert_true(executed(&r, "flush_cpu_slab.irq_save"));
	/* The handler, irq/0 (id 1), runs on through deactivate_slab. */
	assert_int_equal(task_before(&r, 1, "deactivate_slab.remote_frees"), 1);
	sim_run_report_free(&r);
}

/*
 * The trace hash is over (cpu, point, clock): the same points on the same
 * CPUs at other times hash differently.
 */
static void test_trace_hash_has_clock(void **state)
{
	struct sim_scenario sc;
	load("migrate-tid-retry.ini", &sc);
	struct sim_run_report a, b;
	run_raised(&sc, "v3.18", SIM_COST_call, 1, &a, &b);
	/* The same operations, later. */
	assert_int_equal(a.points, b.points);
	assert_memory_equal(a.count_by_kind, b.count_by_kind, sizeof(a.count_by_kind));
	assert_true(b.end_cycles > a.end_cycles);
	assert_true(a.trace_hash != b.trace_hash);
	sim_run_report_free(&a);
	sim_run_report_free(&b);
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
		cmocka_unit_test(test_earliest_cpu_runs_next),
		cmocka_unit_test(test_ties_lowest_cpu_first),
		cmocka_unit_test(test_primitive_charges),
		cmocka_unit_test(test_spin_wait_charged),
		cmocka_unit_test(test_remote_free_race),
		cmocka_unit_test(test_store_buffer),
		cmocka_unit_test(test_migration_cost),
		cmocka_unit_test(test_context_switch_cost),
		cmocka_unit_test(test_trace_hash_has_clock),
		cmocka_unit_test(test_no_action_in_guards),
		cmocka_unit_test(test_local_lock_window),
		cmocka_unit_test(test_flush_work_in_task),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
