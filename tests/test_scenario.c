/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_scenario.c - the scenario reader: a full scenario reads into the
 * expected values, defaults apply only to absent keys, cpu = all expands,
 * decisions parse; and every kind of bad input is refused with its exact
 * message, naming the file, the group, the key, what was expected and what
 * was found.  Files are written to a fresh temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "decision.h"
#include "port.h"
#include "scenario.h"

#include "test_tmp.h"

static void load_ok(const char *text, struct sim_scenario *sc)
{
	char *path = write_tmp("ok.ini", text);
	char err[4096] = "";

	if (!sim_scenario_load(path, sc, err, sizeof(err)))
		fail_msg("refused: %s", err);
	assert_string_equal(sc->path, path);
	g_free(path);
}

/*
 * Load text and expect "PATH: rest" exactly, or, with prefix set, a
 * message starting so (for messages ending in a list that may grow).
 */
static void check_bad(const char *text, const char *rest, bool prefix)
{
	char *path = write_tmp("bad.ini", text);
	char *want = g_strdup_printf("%s: %s", path, rest);
	struct sim_scenario sc;
	char err[4096] = "";

	if (sim_scenario_load(path, &sc, err, sizeof(err))) {
		sim_scenario_free(&sc);
		fail_msg("accepted, expected: %s", want);
	}
	if (prefix ? !g_str_has_prefix(err, want) : strcmp(err, want))
		fail_msg("got      '%s'\nexpected '%s'%s", err, want, prefix ? "..." : "");
	g_free(want);
	g_free(path);
}

#define HEAD "[scenario]\nname = t\ncpus = 16\n"
#define TASK "[task w]\nworkload = slab_test\ncpu = 0\n"
#define IRQ "[irq tick]\nworkload = irq_alloc_free\n"

/* One cmocka test per bad input, so a failure names the case. */
#define BAD(fn, text, rest)                   \
	static void fn(void **state)          \
	{                                     \
		check_bad(text, rest, false); \
	}
#define BAD_PREFIX(fn, text, rest)           \
	static void fn(void **state)         \
	{                                    \
		check_bad(text, rest, true); \
	}

static const char full_text[] = "# a scenario with every group\n"
				"[scenario]\n"
				"name = full\n"
				"description = every key set\n"
				"seed = 42\n"
				"cpus = 8\n"
				"nodes = 2\n"
				"memory_mib = 256\n"
				"preemption = full\n"
				"designs = lameter-v1, v3.18, lameter-v1\n"
				"profile = haswell-desktop-2015\n"
				"cpu_partial = false\n"
				"cache_model = false\n"
				"\n"
				"[costs]\n"
				"preempt_enable = 4\n"
				"dram = 0\n"
				"\n"
				"[task prod]\n"
				"workload = producer\n"
				"cpu = 1\n"
				"pinned = false\n"
				"queue = q1\n"
				"count = 500\n"
				"\n"
				"[task mix]\n"
				"workload = slab_test\n"
				"cpu = 7\n"
				"sizes = 8, 16,32\n"
				"\n"
				"[irq tick]\n"
				"workload = irq_alloc_free\n"
				"cpu = 3\n"
				"period = 5000\n"
				"\n"
				"[inject]\n"
				"policy = random\n"
				"every = 7\n"
				"probability = 0.25\n"
				"kinds = irq, preempt\n"
				"\n"
				"[checks]\n"
				"validate_every = 100\n"
				"leak_check = false\n"
				"livelock_cycles = 5000\n";

static void test_full(void **state)
{
	struct sim_scenario sc;
	struct sim_cost_profile prof;
	char err[4096];
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	unsigned len;

	load_ok(full_text, &sc);
	g_checksum_update(sum, (const guchar *)full_text, (gssize)strlen(full_text));
	assert_string_equal(sc.hash, g_checksum_get_string(sum));
	g_checksum_free(sum);

	assert_string_equal(sc.name, "full");
	assert_string_equal(sc.description, "every key set");
	assert_int_equal(sc.seed, 42);
	assert_int_equal(sc.cpus, 8);
	assert_int_equal(sc.nodes, 2);
	assert_int_equal(sc.memory_mib, 256);
	assert_int_equal(sc.preemption, SIM_PREEMPT_FULL);
	assert_int_equal(sc.nr_designs, 2);
	assert_string_equal(sc.designs[0]->name, "lameter-v1");
	assert_string_equal(sc.designs[1]->name, "v3.18");
	assert_false(sc.cpu_partial);
	assert_false(sc.cache_model);

	/* The profile with [costs] applied, and only those marked. */
	assert_string_equal(sc.profile.name, "haswell-desktop-2015");
	assert_true(sim_cost_profile_load("haswell-desktop-2015", &prof, err, sizeof(err)));
	for (int k = 0; k < SIM_COST_COUNT; k++) {
		bool over = k == SIM_COST_preempt_enable || k == SIM_COST_dram;

		assert_int_equal(sc.profile.overridden[k], over);
		if (!over)
			assert_int_equal(sc.profile.cost[k], prof.cost[k]);
	}
	sim_cost_profile_free(&prof);
	assert_int_equal(sc.profile.cost[SIM_COST_preempt_enable], 4);
	assert_int_equal(sc.profile.cost[SIM_COST_dram], 0);

	/* Tasks in file order, with their workload's keys. */
	assert_int_equal(sc.nr_tasks, 2);
	assert_string_equal(sc.tasks[0].name, "prod");
	assert_string_equal(sc.tasks[0].group, "prod");
	assert_string_equal(sc.tasks[0].workload->name, "producer");
	assert_int_equal(sc.tasks[0].cpu, 1);
	assert_false(sc.tasks[0].pinned);
	assert_string_equal(sim_params_string(&sc.tasks[0].params, "queue"), "q1");
	assert_int_equal(sim_params_int(&sc.tasks[0].params, "count"), 500);
	assert_true(sim_params_is_set(&sc.tasks[0].params, "count"));
	assert_false(sim_params_is_set(&sc.tasks[0].params, "capacity"));
	assert_int_equal(sim_params_int(&sc.tasks[0].params, "capacity"), 256);

	assert_string_equal(sc.tasks[1].name, "mix");
	assert_int_equal(sc.tasks[1].cpu, 7);
	assert_true(sc.tasks[1].pinned);
	{
		const int64_t *tests = sim_params_list(&sc.tasks[1].params, "tests", &len);

		assert_int_equal(len, 2); /* the default, "1,2" */
		assert_int_equal(tests[0], 1);
		assert_int_equal(tests[1], 2);
	}
	{
		const int64_t *sizes = sim_params_list(&sc.tasks[1].params, "sizes", &len);

		assert_int_equal(len, 3);
		assert_int_equal(sizes[0], 8);
		assert_int_equal(sizes[1], 16);
		assert_int_equal(sizes[2], 32);
	}

	assert_int_equal(sc.nr_irqs, 1);
	assert_string_equal(sc.irqs[0].name, "tick");
	assert_string_equal(sc.irqs[0].workload->name, "irq_alloc_free");
	assert_int_equal(sc.irqs[0].cpu, 3);
	assert_int_equal(sim_params_int(&sc.irqs[0].params, "period"), 5000);

	assert_int_equal(sc.inject.policy, SIM_INJECT_RANDOM);
	assert_int_equal(sc.inject.every, 7);
	assert_true(sc.inject.probability == 0.25);
	assert_true(sc.inject.kinds[SIM_ACT_PREEMPT]);
	assert_false(sc.inject.kinds[SIM_ACT_MIGRATE]);
	assert_true(sc.inject.kinds[SIM_ACT_IRQ]);
	assert_int_equal(sc.inject.nr_decisions, 0);

	assert_int_equal(sc.validate_every, 100);
	assert_false(sc.leak_check);
	assert_int_equal(sc.livelock_cycles, 5000);
	sim_scenario_free(&sc);
}

/* Absent keys take their documented defaults. */
static void test_defaults(void **state)
{
	struct sim_scenario sc;

	load_ok("[scenario]\nname = d\n" TASK, &sc);
	assert_string_equal(sc.description, "");
	assert_int_equal(sc.seed, 1);
	assert_int_equal(sc.cpus, 1);
	assert_int_equal(sc.nodes, 1);
	assert_int_equal(sc.memory_mib, 512);
	assert_int_equal(sc.preemption, SIM_PREEMPT_FULL);
	assert_int_equal(sc.nr_designs, 1);
	assert_string_equal(sc.designs[0]->name, "v3.18");
	assert_string_equal(sc.profile.name, "xeon-2014-preempt");
	assert_true(sc.cpu_partial);
	assert_true(sc.cache_model);
	assert_int_equal(sc.nr_tasks, 1);
	assert_true(sc.tasks[0].pinned);
	assert_int_equal(sim_params_int(&sc.tasks[0].params, "count"), 10000);
	assert_int_equal(sc.nr_irqs, 0);
	assert_int_equal(sc.inject.policy, SIM_INJECT_NONE);
	assert_int_equal(sc.inject.every, 1000);
	assert_true(sc.inject.probability == 0.001);
	assert_true(sc.inject.kinds[SIM_ACT_PREEMPT] && sc.inject.kinds[SIM_ACT_MIGRATE] &&
		    sc.inject.kinds[SIM_ACT_IRQ]);
	assert_int_equal(sc.validate_every, 0);
	assert_true(sc.leak_check);
	assert_int_equal(sc.livelock_cycles, 100000000);
	assert_int_equal(strlen(sc.hash), 64);
	sim_scenario_free(&sc);
}

static void test_cpu_all(void **state)
{
	struct sim_scenario sc;

	load_ok("[scenario]\nname = smp\ncpus = 4\n"
		"[task first]\nworkload = slab_test\ncpu = 2\n"
		"[task smp]\nworkload = smp_alloc_free\ncpu = all\nsize = 128\n"
		"[task last]\nworkload = slab_test\ncpu = 3\n",
		&sc);
	assert_int_equal(sc.nr_tasks, 6);
	assert_string_equal(sc.tasks[0].name, "first");
	for (unsigned i = 0; i < 4; i++) {
		char name[16];

		snprintf(name, sizeof(name), "smp/%u", i);
		assert_string_equal(sc.tasks[1 + i].name, name);
		assert_string_equal(sc.tasks[1 + i].group, "smp");
		assert_int_equal(sc.tasks[1 + i].cpu, i);
		assert_string_equal(sc.tasks[1 + i].workload->name, "smp_alloc_free");
		assert_int_equal(sim_params_int(&sc.tasks[1 + i].params, "size"), 128);
	}
	assert_string_equal(sc.tasks[5].name, "last");
	sim_scenario_free(&sc);
}

static void test_designs_all_safe(void **state)
{
	struct sim_scenario sc;
	unsigned safe = 0;

	load_ok(HEAD "designs = all, v3.18\n" TASK, &sc);
	assert_int_equal(sc.nr_designs, slab_design_count());
	for (unsigned i = 0; i < sc.nr_designs; i++)
		assert_ptr_equal(sc.designs[i], slab_design_at(i));
	sim_scenario_free(&sc);

	for (unsigned i = 0; i < slab_design_count(); i++)
		safe += !slab_design_at(i)->mutant;
	load_ok(HEAD "designs = aba-2008, safe\n" TASK, &sc);
	assert_int_equal(sc.nr_designs, 1 + safe);
	assert_string_equal(sc.designs[0]->name, "aba-2008");
	for (unsigned i = 1; i < sc.nr_designs; i++)
		assert_false(sc.designs[i]->mutant);
	sim_scenario_free(&sc);
}

/*
 * expect_violation: a bare design means any allocator violation, DESIGN:KIND
 * that kind (a repeated design: any of its kinds); the workload's own bug
 * or no violation never meets an expectation; a design not named must stay
 * clean.
 */
static void test_expectations(void **state)
{
	struct sim_scenario sc;
	load_ok(HEAD TASK "[checks]\nexpect_violation = v4.0:leak, v4.0:validator, aba-2008\n",
		&sc);
	const struct slab_design *v40 = slab_design_find("v4.0"),
				 *aba = slab_design_find("aba-2008"),
				 *v519 = slab_design_find("v5.19");
	assert_int_equal(sc.nr_expected, 3);
	assert_string_equal(sc.expected[0].kind, "leak");
	assert_null(sc.expected[2].kind);
	assert_true(sim_scenario_outcome_expected(&sc, v40, true, true, "leak"));
	assert_true(sim_scenario_outcome_expected(&sc, v40, true, true, "validator"));
	assert_false(sim_scenario_outcome_expected(&sc, v40, true, true, "double-allocation"));
	assert_false(sim_scenario_outcome_expected(&sc, v40, true, false, "leak"));
	assert_false(sim_scenario_outcome_expected(&sc, v40, false, true, ""));
	assert_true(sim_scenario_outcome_expected(&sc, aba, true, true, "foreign-object"));
	assert_false(sim_scenario_outcome_expected(&sc, aba, true, false, "workload-double-free"));
	assert_true(sim_scenario_outcome_expected(&sc, v519, false, true, ""));
	assert_false(sim_scenario_outcome_expected(&sc, v519, true, true, "leak"));
	sim_scenario_free(&sc);
}

static void test_decisions(void **state)
{
	struct sim_scenario sc;

	load_ok(HEAD TASK
		"[irq other]\nworkload = irq_alloc_free\n" IRQ "[inject]\npolicy = decisions\n"
		"decisions = slab_alloc.read_freelist#1:migrate:15 ,slab_free.commit#3:preempt,"
		"  slab_alloc.commit#18446744073709551615:irq:tick, kfree.head_page#2:preempt:w\n",
		&sc);
	assert_int_equal(sc.inject.policy, SIM_INJECT_DECISIONS);
	assert_int_equal(sc.inject.nr_decisions, 4);
	/* preempt:TASK switches to that task: 1 + its index. */
	assert_int_equal(sc.inject.decisions[3].action, SIM_ACT_PREEMPT);
	assert_int_equal(sc.inject.decisions[3].arg, 1);
	assert_string_equal(slab_point_name(sc.inject.decisions[0].point),
			    "slab_alloc.read_freelist");
	assert_int_equal(sc.inject.decisions[0].occurrence, 1);
	assert_int_equal(sc.inject.decisions[0].action, SIM_ACT_MIGRATE);
	assert_int_equal(sc.inject.decisions[0].arg, 15);
	assert_string_equal(slab_point_name(sc.inject.decisions[1].point), "slab_free.commit");
	assert_int_equal(sc.inject.decisions[1].occurrence, 3);
	assert_int_equal(sc.inject.decisions[1].action, SIM_ACT_PREEMPT);
	assert_string_equal(slab_point_name(sc.inject.decisions[2].point), "slab_alloc.commit");
	assert_true(sc.inject.decisions[2].occurrence == UINT64_MAX);
	assert_int_equal(sc.inject.decisions[2].action, SIM_ACT_IRQ);
	assert_int_equal(sc.inject.decisions[2].arg, 1);
	assert_string_equal(sc.irqs[1].name, "tick");
	assert_int_equal(sc.irqs[1].cpu, -1);
	/*
	 * preempt:kworker/CPU switches to that CPU's kworker (5.15's flush
	 * work): after the task and the 16 interrupt contexts, and back.
	 */
	struct sim_decision d;
	char err[256];
	assert_true(sim_decision_parse("flush_slab.local_lock#2:preempt:kworker/3", &sc, &d, err,
				       sizeof(err)));
	assert_int_equal(d.arg, 1 + 16 + 3 + 1);
	char *text = sim_decision_text(&d, &sc);
	assert_string_equal(text, "flush_slab.local_lock#2:preempt:kworker/3");
	g_free(text);
	assert_false(sim_decision_parse("flush_slab.local_lock#2:preempt:kworker/16", &sc, &d, err,
					sizeof(err)));
	assert_non_null(
	    strstr(err, "task of this scenario or kworker/0..15 to switch to, got 'kworker/16'"));
	sim_scenario_free(&sc);
}

/* Interrupts need no CONFIG_PREEMPT: irq-only injection is fine without it. */
static void test_irq_without_preempt(void **state)
{
	struct sim_scenario sc;

	load_ok(HEAD "preemption = none\n" TASK IRQ "[inject]\npolicy = every\nkinds = irq\n", &sc);
	assert_int_equal(sc.preemption, SIM_PREEMPT_NONE);
	assert_false(sc.inject.kinds[SIM_ACT_PREEMPT]);
	sim_scenario_free(&sc);
	load_ok(HEAD "preemption = voluntary\n" TASK IRQ
		     "[inject]\npolicy = decisions\ndecisions = slab_alloc.commit#1:irq:tick\n",
		&sc);
	sim_scenario_free(&sc);
	/* policy none: the default kinds are never used, so no complaint */
	load_ok(HEAD "preemption = none\n" TASK, &sc);
	sim_scenario_free(&sc);
}

/* A relative profile path is read from the scenario's directory. */
static void test_profile_file(void **state)
{
	struct sim_scenario sc;
	GString *s = g_string_new("[profile]\nname = mine\ndescription = test profile\n[costs]\n");
	char *path;

	for (int k = 0; k < SIM_COST_COUNT; k++) {
		/* Each key its own value, where its range allows (timing_window, debug_preempt). */
		char msg[160];
		int v = sim_cost_value_ok(k, (uint32_t)k, msg, sizeof(msg)) ? k : 1;
		g_string_append_printf(s, "%s = %d\n", sim_cost_key_name(k), v);
	}
	g_string_append(s, "[sources]\n");
	for (int k = 0; k < SIM_COST_COUNT; k++)
		g_string_append_printf(s, "%s = test\n", sim_cost_key_name(k));
	path = write_tmp("mine.ini", s->str);
	g_string_free(s, TRUE);

	load_ok(HEAD "profile = mine.ini\n" TASK "[costs]\nl2_hit = 99\n", &sc);
	assert_string_equal(sc.profile.name, "mine");
	assert_int_equal(sc.profile.cost[SIM_COST_l3_hit], SIM_COST_l3_hit);
	assert_int_equal(sc.profile.cost[SIM_COST_l2_hit], 99);
	assert_true(sc.profile.overridden[SIM_COST_l2_hit]);
	sim_scenario_free(&sc);
	g_free(path);
}

static void test_missing_file(void **state)
{
	char *path = g_build_filename(tmp_dir, "nonexistent.ini", NULL);
	char *want = g_strdup_printf("%s: cannot read: No such file or directory", path);
	struct sim_scenario sc;
	char err[4096];

	assert_false(sim_scenario_load(path, &sc, err, sizeof(err)));
	assert_string_equal(err, want);
	g_free(want);
	g_free(path);
}

static void test_not_a_key_file(void **state)
{
	char *path = write_tmp("junk.ini", "cpus: 16\n");
	char *want = g_strdup_printf("%s: Key file contains line", path);
	struct sim_scenario sc;
	char err[4096];

	assert_false(sim_scenario_load(path, &sc, err, sizeof(err)));
	assert_true(g_str_has_prefix(err, want));
	assert_non_null(strstr(err, "cpus: 16"));
	g_free(want);
	g_free(path);
}

/* Groups */
BAD(test_unknown_group, HEAD TASK "[tasks]\nx = 1\n",
    "[tasks]: unknown group; expected [scenario], [costs], [task NAME], [irq NAME], [inject], "
    "[faults] or [checks]")
BAD(test_task_name_slash, HEAD "[task a/b]\nworkload = slab_test\ncpu = 0\n",
    "[task a/b]: expected [task NAME] with one space and a NAME of letters, digits, '_', '-' "
    "or '.', got [task a/b]")
/* cpu = all would name its tasks kworker/CPU, the kworkers' names in decisions. */
BAD(test_task_name_kworker, HEAD "[task kworker]\nworkload = slab_test\ncpu = all\n",
    "[task kworker]: expected a task NAME other than 'kworker' (5.15's flush work runs in "
    "kworker/CPU), got [task kworker]")
BAD(test_task_no_name, HEAD "[task]\nworkload = slab_test\ncpu = 0\n",
    "[task]: expected [task NAME] with one space and a NAME of letters, digits, '_', '-' or "
    "'.', got [task]")
BAD(test_task_two_spaces, HEAD "[task  w]\nworkload = slab_test\ncpu = 0\n",
    "[task  w]: expected [task NAME] with one space and a NAME of letters, digits, '_', '-' "
    "or '.', got [task  w]")
BAD(test_no_scenario, TASK, "[scenario]: missing group; expected [scenario] with at least a name")
BAD(test_no_task, HEAD, "expected at least one [task NAME] group, got none")
BAD(test_repeated_group, HEAD TASK "[checks]\n" TASK, "[task w]: group given twice")
BAD(test_repeated_key, HEAD "cpus = 4\n" TASK, "[scenario] cpus: key given twice")

/* Unknown keys, one per group kind */
BAD(test_unknown_key_scenario, HEAD "cpu = 4\n" TASK,
    "[scenario] cpu: unknown key; expected one of name, description, seed, cpus, nodes, "
    "memory_mib, preemption, designs, profile, cpu_partial, cache_model")
BAD(test_unknown_key_task, HEAD TASK "size = 8\n",
    "[task w] size: unknown key; expected one of workload, cpu, pinned, tests, sizes, count "
    "(the keys of workload slab_test)")
BAD(test_unknown_key_irq, HEAD TASK IRQ "pinned = true\n",
    "[irq tick] pinned: unknown key; expected one of workload, cpu, size, count, period "
    "(the keys of workload irq_alloc_free)")
BAD(test_unknown_key_inject, HEAD TASK "[inject]\npolicy = every\nchance = 0.5\n",
    "[inject] chance: unknown key; expected one of policy, every, probability, kinds, "
    "preempt_probability, migrate_probability, irq_probability, decisions, depth")
BAD(test_unknown_key_checks, HEAD TASK "[checks]\nleak_checks = true\n",
    "[checks] leak_checks: unknown key; expected one of validate_every, leak_check, "
    "livelock_cycles, expect_violation")
BAD_PREFIX(test_unknown_key_costs, HEAD TASK "[costs]\nl4_hit = 3\n",
	   "[costs] l4_hit: unknown cost key; expected one of l1_hit, l2_hit, l3_hit, ")
BAD(test_translated_key, HEAD "name[de] = x\n" TASK,
    "[scenario] name[de]: unknown key; expected one of name, description, seed, cpus, nodes, "
    "memory_mib, preemption, designs, profile, cpu_partial, cache_model")

/* Wrong types and ranges */
BAD(test_cpus_word, "[scenario]\nname = t\ncpus = many\n" TASK,
    "[scenario] cpus: expected an integer in 1..1024, got 'many'")
BAD(test_cpus_zero, "[scenario]\nname = t\ncpus = 0\n" TASK,
    "[scenario] cpus: expected an integer in 1..1024, got '0'")
BAD(test_cpus_big, "[scenario]\nname = t\ncpus = 2000\n" TASK,
    "[scenario] cpus: expected an integer in 1..1024, got '2000'")
BAD(test_cpus_junk, "[scenario]\nname = t\ncpus = 16x\n" TASK,
    "[scenario] cpus: expected an integer in 1..1024, got '16x'")
BAD(test_cpus_negative, "[scenario]\nname = t\ncpus = -4\n" TASK,
    "[scenario] cpus: expected an integer in 1..1024, got '-4'")
BAD(test_seed_overflow, HEAD "seed = 9223372036854775808\n" TASK,
    "[scenario] seed: expected an integer in 0..9223372036854775807, got "
    "'9223372036854775808'")
BAD(test_nodes_over_cpus, "[scenario]\nname = t\ncpus = 2\nnodes = 4\n" TASK,
    "[scenario] nodes: expected at most cpus (2) nodes, got '4'")
BAD(test_memory_not_4, HEAD "memory_mib = 510\n" TASK,
    "[scenario] memory_mib: expected a multiple of 4 in 4..65536, got '510'")
BAD(test_preemption_word, HEAD "preemption = ful\n" TASK,
    "[scenario] preemption: expected one of none, voluntary, full, got 'ful'")
BAD(test_bool_word, HEAD "cache_model = yes\n" TASK,
    "[scenario] cache_model: expected true or false, got 'yes'")
BAD(test_task_cpu_range, HEAD "[task w]\nworkload = slab_test\ncpu = 16\n",
    "[task w] cpu: expected an integer in 0..15 or all, got '16'")
BAD(test_task_pinned_word, HEAD TASK "pinned = 1\n",
    "[task w] pinned: expected true or false, got '1'")
BAD(test_irq_cpu_range, HEAD TASK IRQ "cpu = -2\n",
    "[irq tick] cpu: expected an integer in -1..15, got '-2'")
BAD(test_probability_range, HEAD TASK "[inject]\npolicy = random\nprobability = 1.5\n",
    "[inject] probability: expected a number in 0..1, got '1.5'")
BAD(test_probability_nan, HEAD TASK "[inject]\npolicy = random\nprobability = nan\n",
    "[inject] probability: expected a number in 0..1, got 'nan'")
BAD(test_fault_probability_range, HEAD TASK "[faults]\npage_alloc_fail_probability = 1.5\n",
    "[faults] page_alloc_fail_probability: expected a number in 0..1, got '1.5'")
BAD(test_fault_nth_negative, HEAD TASK "[faults]\npage_alloc_fail_nth = -1\n",
    "[faults] page_alloc_fail_nth: expected an integer in 0..9223372036854775807, got '-1'")
BAD_PREFIX(test_fault_unknown_key, HEAD TASK "[faults]\nslab_fail_nth = 2\n",
	   "[faults] slab_fail_nth: unknown key; expected one of page_alloc_fail_nth, "
	   "page_alloc_fail_probability")

/* A kind's own chance (policy random): read by kind, 0 (probability's) where not set. */
static void test_kind_probability(void **state)
{
	struct sim_scenario sc;
	load_ok(HEAD TASK "[inject]\npolicy = random\nprobability = 0.05\nkinds = preempt, irq\n"
			  "irq_probability = 0.01\n",
		&sc);
	assert_true(sc.inject.kind_probability[SIM_ACT_IRQ] == 0.01);
	assert_true(sc.inject.kind_probability[SIM_ACT_PREEMPT] == 0);
	assert_true(sc.inject.kind_probability[SIM_ACT_MIGRATE] == 0);
	sim_scenario_free(&sc);
	load_ok(HEAD TASK "[inject]\npolicy = random\nprobability = 0.2\n"
			  "preempt_probability = 0.2\nmigrate_probability = 0.1\n",
		&sc);
	assert_true(sc.inject.kind_probability[SIM_ACT_PREEMPT] == 0.2);
	assert_true(sc.inject.kind_probability[SIM_ACT_MIGRATE] == 0.1);
	assert_true(sc.inject.kind_probability[SIM_ACT_IRQ] == 0);
	sim_scenario_free(&sc);
}

#define RANDOM_INJECT "[inject]\npolicy = random\nprobability = 0.05\n"
BAD(test_kind_probability_above, HEAD TASK RANDOM_INJECT "irq_probability = 0.1\n",
    "[inject] irq_probability: expected a number above 0 and at most probability (0.05), got "
    "'0.1'")
BAD(test_kind_probability_zero, HEAD TASK RANDOM_INJECT "preempt_probability = 0\n",
    "[inject] preempt_probability: expected a number above 0 and at most probability (0.05), "
    "got '0'")
BAD(test_kind_probability_range, HEAD TASK RANDOM_INJECT "irq_probability = -0.01\n",
    "[inject] irq_probability: expected a number in 0..1, got '-0.01'")
BAD(test_kind_probability_junk, HEAD TASK RANDOM_INJECT "irq_probability = often\n",
    "[inject] irq_probability: expected a number in 0..1, got 'often'")
BAD(test_kind_probability_policy, HEAD TASK "[inject]\npolicy = pct\nirq_probability = 0.01\n",
    "[inject] irq_probability: expected no irq_probability with policy = pct (it needs policy "
    "= random), got '0.01'")
BAD(test_kind_probability_kind,
    HEAD TASK RANDOM_INJECT "kinds = preempt\nmigrate_probability = 0.01\n",
    "[inject] migrate_probability: expected migrate among kinds ('preempt'), got "
    "migrate_probability = '0.01'")

/* [faults] read into sc->faults; none without the group. */
static void test_faults(void **state)
{
	struct sim_scenario sc;
	load_ok(HEAD TASK, &sc);
	assert_false(sim_faults_any(&sc.faults));
	sim_scenario_free(&sc);
	load_ok(HEAD TASK "[faults]\npage_alloc_fail_nth = 7\npage_alloc_fail_probability = 0.5\n",
		&sc);
	assert_int_equal(sc.faults.page_alloc_fail_nth, 7);
	assert_true(sc.faults.page_alloc_fail_probability == 0.5);
	assert_true(sim_faults_any(&sc.faults));
	sim_scenario_free(&sc);
}
BAD(test_every_zero, HEAD TASK "[inject]\npolicy = every\nevery = 0\n",
    "[inject] every: expected an integer in 1..9223372036854775807, got '0'")
BAD(test_livelock_small, HEAD TASK "[checks]\nlivelock_cycles = 999\n",
    "[checks] livelock_cycles: expected an integer in 1000..9223372036854775807, got '999'")
BAD(test_workload_list_item, HEAD TASK "sizes = 8,,16\n",
    "[task w] sizes: expected a comma-separated list of integers, each an integer in "
    "1..4194304, got '' in '8,,16'")
BAD(test_workload_list_range, HEAD TASK "tests = 1, 3\n",
    "[task w] tests: expected a comma-separated list of integers, each an integer in 1..2, got "
    "'3' in '1, 3'")
BAD(test_cost_override_range, HEAD TASK "[costs]\nl1_hit = -1\n",
    "[costs] l1_hit: expected an integer in 0..1000000, got '-1'")
BAD(test_kinds_word, HEAD TASK "[inject]\npolicy = every\nkinds = preempt, interrupt\n",
    "[inject] kinds: expected a comma-separated list of preempt, migrate, irq, got 'interrupt' "
    "in 'preempt, interrupt'")

/* Names that must exist */
BAD_PREFIX(test_unknown_design, HEAD "designs = v3.18, v9\n" TASK,
	   "[scenario] designs: unknown design 'v9'; expected one or more of v3.18, ")
BAD_PREFIX(test_empty_designs, HEAD "designs =\n" TASK,
	   "[scenario] designs: expected one or more of v3.18, ")
BAD(test_unknown_profile, HEAD "profile = xeon\n" TASK,
    "[scenario] profile: unknown profile 'xeon': expected one of xeon-2014-preempt, "
    "xeon-2014-debug-preempt, xeon-2014-nopreempt, haswell-desktop-2015, xeon-2014-overlap, "
    "xeon-2014-debug-preempt-overlap, xeon-2014-seed-fitted, dev-vm-2026-overlap, or a path "
    "to a .ini file")
BAD_PREFIX(test_unknown_expected_design,
	   HEAD "[task w]\nworkload = slab_test\ncpu = 0\n[checks]\nexpect_violation = v3.19\n",
	   "[checks] expect_violation: unknown design 'v3.19'; expected names from ")
BAD(test_unknown_expected_kind,
    HEAD "[task w]\nworkload = slab_test\ncpu = 0\n[checks]\nexpect_violation = v4.0:lost\n",
    "[checks] expect_violation: unknown violation kind 'lost' in 'v4.0:lost'; expected DESIGN "
    "or DESIGN:KIND with KIND one of double-allocation, foreign-object, outside-slab, "
    "wrong-node, corrupt-freelist, allocated-on-freelist, inuse-mismatch, leak, validator, "
    "livelock, deadlock, assertion, port-contract")
BAD_PREFIX(test_unknown_workload, HEAD "[task w]\nworkload = slab_tset\ncpu = 0\n",
	   "[task w] workload: expected one of slab_test, ")
BAD(test_irq_not_handler, HEAD TASK "[irq tick]\nworkload = slab_test\n",
    "[irq tick] workload: expected a workload that may run as an interrupt handler "
    "(irq_alloc_free, irq_flush), got 'slab_test'")

static void test_profile_missing_file(void **state)
{
	char *prof = g_build_filename(tmp_dir, "none.ini", NULL);
	char *text = g_strdup_printf(HEAD "profile = none.ini\n" TASK);
	char *rest =
	    g_strdup_printf("[scenario] profile: %s: cannot read: No such file or directory", prof);

	check_bad(text, rest, false);
	g_free(rest);
	g_free(text);
	g_free(prof);
}

/* Required keys */
BAD(test_missing_name, "[scenario]\ncpus = 2\n" TASK,
    "[scenario] name: missing; expected the scenario's name")
BAD(test_empty_name, "[scenario]\nname =\n" TASK,
    "[scenario] name: expected the scenario's name, got ''")
BAD_PREFIX(test_missing_workload, HEAD "[task w]\ncpu = 0\n",
	   "[task w] workload: missing; expected one of slab_test, ")
BAD(test_missing_cpu, HEAD "[task w]\nworkload = slab_test\n",
    "[task w] cpu: missing; expected an integer in 0..15 or all")

/* Decisions */
BAD(test_decision_syntax,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.commit#1:preempt, slab_alloc.commit:preempt\n",
    "[inject] decisions: expected POINT#OCCURRENCE[@TASK]:ACTION or "
    "POINT@SITE#OCCURRENCE@TASK:ACTION with ACTION preempt, migrate:CPU, irq:NAME or fail, got "
    "'slab_alloc.commit:preempt'")
BAD(test_decision_action,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.commit#1:migrate\n",
    "[inject] decisions: expected POINT#OCCURRENCE[@TASK]:ACTION or "
    "POINT@SITE#OCCURRENCE@TASK:ACTION with ACTION preempt, migrate:CPU, irq:NAME or fail, got "
    "'slab_alloc.commit#1:migrate'")
BAD(test_decision_trailing_comma,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.commit#1:preempt,\n",
    "[inject] decisions: expected POINT#OCCURRENCE[@TASK]:ACTION or "
    "POINT@SITE#OCCURRENCE@TASK:ACTION with ACTION preempt, migrate:CPU, irq:NAME or fail, got ''")
BAD(test_decision_unknown_point,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.read_freelst#1:preempt\n",
    "[inject] decisions: unknown point 'slab_alloc.read_freelst' in "
    "'slab_alloc.read_freelst#1:preempt'; expected a point name (see `slabsim points`)")
BAD(test_decision_occurrence,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.commit#0:preempt\n",
    "[inject] decisions: expected an occurrence in 1..18446744073709551615, got '0' in "
    "'slab_alloc.commit#0:preempt'")
BAD(test_decision_occurrence_overflow,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.commit#18446744073709551616:preempt\n",
    "[inject] decisions: expected an occurrence in 1..18446744073709551615, got "
    "'18446744073709551616' in 'slab_alloc.commit#18446744073709551616:preempt'")
BAD(test_decision_cpu,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.commit#1:migrate:16\n",
    "[inject] decisions: expected a CPU in 0..15 to migrate to, got '16' in "
    "'slab_alloc.commit#1:migrate:16'")
BAD(test_decision_irq_name,
    HEAD TASK IRQ "[inject]\npolicy = decisions\n"
		  "decisions = slab_alloc.commit#1:irq:tock\n",
    "[inject] decisions: expected the NAME of an [irq NAME] group (tick), got 'tock' in "
    "'slab_alloc.commit#1:irq:tock'")
BAD(test_decision_task,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.commit#1:preempt:nobody\n",
    "[inject] decisions: expected the name of a task of this scenario or kworker/0..15 to "
    "switch to, got 'nobody' in 'slab_alloc.commit#1:preempt:nobody'")
BAD(test_decision_twice,
    HEAD TASK "[inject]\npolicy = decisions\n"
	      "decisions = slab_alloc.commit#2:preempt, slab_alloc.commit#2:migrate:1\n",
    "[inject] decisions: expected one action per point occurrence, got "
    "'slab_alloc.commit#2' twice")
BAD(test_decisions_missing, HEAD TASK "[inject]\npolicy = decisions\n",
    "[inject] decisions: missing; policy = decisions expects a list of "
    "POINT#OCCURRENCE[@TASK]:ACTION or POINT@SITE#OCCURRENCE@TASK:ACTION with ACTION preempt, "
    "migrate:CPU, irq:NAME or fail")
BAD(test_decisions_wrong_policy,
    HEAD TASK "[inject]\npolicy = random\n"
	      "decisions = slab_alloc.commit#1:preempt\n",
    "[inject] decisions: expected no decisions with policy = random (they need policy = "
    "decisions), got 'slab_alloc.commit#1:preempt'")

/* Preemption the kernel cannot do */
BAD(test_inject_preempt_none,
    HEAD "preemption = none\n" TASK "[inject]\npolicy = random\nkinds = preempt\n",
    "[inject] kinds: expected no preempt or migrate with preemption = none (the kernel cannot "
    "preempt inside the allocator without CONFIG_PREEMPT; use preemption = full or only irq), "
    "got 'preempt'")
BAD(test_inject_default_kinds_voluntary,
    HEAD "preemption = voluntary\n" TASK "[inject]\npolicy = every\n",
    "[inject] kinds: expected no preempt or migrate with preemption = voluntary (the kernel "
    "cannot preempt inside the allocator without CONFIG_PREEMPT; use preemption = full or only "
    "irq), got 'preempt,migrate,irq'")
BAD(test_decision_migrate_none,
    HEAD "preemption = none\n" TASK
	 "[inject]\npolicy = decisions\ndecisions = slab_alloc.commit#1:migrate:2\n",
    "[inject] decisions: expected no preempt or migrate with preemption = none (the kernel "
    "cannot preempt inside the allocator without CONFIG_PREEMPT; use preemption = full or only "
    "irq), got 'slab_alloc.commit#1:migrate:2'")

static void test_too_many_tasks(void **state)
{
	GString *s = g_string_new("[scenario]\nname = t\ncpus = 1024\n");

	for (unsigned i = 0; i < 4; i++)
		g_string_append_printf(s, "[task t%u]\nworkload = smp_alloc_free\ncpu = all\n", i);
	g_string_append(s, "[task one]\nworkload = slab_test\ncpu = 0\n");
	check_bad(s->str, "[task one] cpu: expected at most 4096 tasks in all, got 4097", false);
	g_string_free(s, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_cpu_all),
		cmocka_unit_test(test_designs_all_safe),
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_irq_without_preempt),
		cmocka_unit_test(test_profile_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_not_a_key_file),
		cmocka_unit_test(test_unknown_group),
		cmocka_unit_test(test_task_name_slash),
		cmocka_unit_test(test_task_name_kworker),
		cmocka_unit_test(test_task_no_name),
		cmocka_unit_test(test_task_two_spaces),
		cmocka_unit_test(test_no_scenario),
		cmocka_unit_test(test_no_task),
		cmocka_unit_test(test_repeated_group),
		cmocka_unit_test(test_repeated_key),
		cmocka_unit_test(test_unknown_key_scenario),
		cmocka_unit_test(test_unknown_key_task),
		cmocka_unit_test(test_unknown_key_irq),
		cmocka_unit_test(test_unknown_key_inject),
		cmocka_unit_test(test_unknown_key_checks),
		cmocka_unit_test(test_unknown_key_costs),
		cmocka_unit_test(test_translated_key),
		cmocka_unit_test(test_cpus_word),
		cmocka_unit_test(test_cpus_zero),
		cmocka_unit_test(test_cpus_big),
		cmocka_unit_test(test_cpus_junk),
		cmocka_unit_test(test_cpus_negative),
		cmocka_unit_test(test_seed_overflow),
		cmocka_unit_test(test_nodes_over_cpus),
		cmocka_unit_test(test_memory_not_4),
		cmocka_unit_test(test_preemption_word),
		cmocka_unit_test(test_bool_word),
		cmocka_unit_test(test_task_cpu_range),
		cmocka_unit_test(test_task_pinned_word),
		cmocka_unit_test(test_irq_cpu_range),
		cmocka_unit_test(test_probability_range),
		cmocka_unit_test(test_probability_nan),
		cmocka_unit_test(test_kind_probability),
		cmocka_unit_test(test_kind_probability_above),
		cmocka_unit_test(test_kind_probability_zero),
		cmocka_unit_test(test_kind_probability_range),
		cmocka_unit_test(test_kind_probability_junk),
		cmocka_unit_test(test_kind_probability_policy),
		cmocka_unit_test(test_kind_probability_kind),
		cmocka_unit_test(test_fault_probability_range),
		cmocka_unit_test(test_fault_nth_negative),
		cmocka_unit_test(test_fault_unknown_key),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_every_zero),
		cmocka_unit_test(test_livelock_small),
		cmocka_unit_test(test_workload_list_item),
		cmocka_unit_test(test_workload_list_range),
		cmocka_unit_test(test_cost_override_range),
		cmocka_unit_test(test_kinds_word),
		cmocka_unit_test(test_unknown_design),
		cmocka_unit_test(test_empty_designs),
		cmocka_unit_test(test_unknown_profile),
		cmocka_unit_test(test_profile_missing_file),
		cmocka_unit_test(test_unknown_workload),
		cmocka_unit_test(test_unknown_expected_design),
		cmocka_unit_test(test_irq_not_handler),
		cmocka_unit_test(test_missing_name),
		cmocka_unit_test(test_empty_name),
		cmocka_unit_test(test_missing_workload),
		cmocka_unit_test(test_missing_cpu),
		cmocka_unit_test(test_decision_syntax),
		cmocka_unit_test(test_decision_action),
		cmocka_unit_test(test_decision_trailing_comma),
		cmocka_unit_test(test_decision_unknown_point),
		cmocka_unit_test(test_decision_occurrence),
		cmocka_unit_test(test_decision_occurrence_overflow),
		cmocka_unit_test(test_decision_cpu),
		cmocka_unit_test(test_decision_irq_name),
		cmocka_unit_test(test_decision_task),
		cmocka_unit_test(test_expectations),
		cmocka_unit_test(test_unknown_expected_kind),
		cmocka_unit_test(test_decision_twice),
		cmocka_unit_test(test_decisions_missing),
		cmocka_unit_test(test_decisions_wrong_policy),
		cmocka_unit_test(test_inject_preempt_none),
		cmocka_unit_test(test_inject_default_kinds_voluntary),
		cmocka_unit_test(test_decision_migrate_none),
		cmocka_unit_test(test_too_many_tasks),
	};

	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
