/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scenario.h - scenario files: GLib key files that say what to simulate.
 * The reader refuses anything it does not understand, with one message
 * naming the file, the group, the key, what was expected and what was
 * found; it never falls back to a default silently.
 *
 *   [scenario]              required
 *   name = seed-2014        required
 *   description = ...
 *   seed = 1                master seed; every random stream derives from it
 *   cpus = 16               1 .. 1024 (nr_cpu_ids: also sets slab orders)
 *   nodes = 1               1 .. 8, at most cpus
 *   memory_mib = 512        per node, a multiple of 4, 4 .. 65536
 *   preemption = full       none | voluntary | full
 *   designs = v3.18, lameter-v1      one or more design names ('all', 'safe')
 *   profile = xeon-2014-preempt      a shipped profile name or a file path
 *   cpu_partial = true      per-CPU partial lists
 *   cache_model = true      charge loads and stores by cache level
 *
 *   [costs]                 optional: override any key of the profile
 *   preempt_enable = 4
 *
 *   [task NAME]             one group per task, at least one
 *   workload = slab_test    a registered workload (see workload.h)
 *   cpu = 0                 0 .. cpus-1, or 'all': one task per CPU,
 *                           named NAME/0, NAME/1, ... (the seed's SMP tests)
 *   pinned = true           false: the task may be migrated
 *   ...                     the workload's own keys
 *
 *   [irq NAME]              optional interrupt sources
 *   workload = irq_alloc_free   a workload that may run as a handler
 *   cpu = -1                the CPU it interrupts, -1 for any
 *   period = 0              (a handler key) cycles between interrupts; 0: injected only
 *   ...                     the handler's own keys
 *
 *   [inject]                optional: where the engine preempts, migrates
 *   policy = none           none | every | random | decisions | pct
 *   every = 1000            policy every: at every Nth eligible point
 *   probability = 0.001     policy random: per eligible point
 *   kinds = preempt,migrate,irq      actions every/random/pct may take
 *   irq_probability = 0.01  policy random: a kind's own chance per point
 *                           (preempt_, migrate_, irq_probability; default:
 *                           probability's, never above it)
 *   depth = 3               policy pct: bug depth d; d - 1 change points over
 *                           the first 1000 steps where an action is possible
 *   decisions = slab_alloc.read_freelist#1:migrate:1, ...
 *                           policy decisions: POINT#OCCURRENCE:ACTION where
 *                           ACTION is preempt[:TASK] | migrate:CPU | irq:NAME
 *                           (decision.h)
 *
 *   [faults]                optional: failslab-style allocation failures
 *   page_alloc_fail_nth = 0         the page allocator's Nth call from a task
 *                           returns NULL (1-based; 0: none)
 *   page_alloc_fail_probability = 0   each call from a task fails with this
 *                           chance, drawn from the run's seed (seeds.h)
 *
 *   [checks]                optional
 *   validate_every = 0      run the full slab walk every N points (0: at end only)
 *   leak_check = true       every slab page back after flushing and shrinking
 *   livelock_cycles = 100000000   a spin or retry loop longer than this is a livelock
 *   expect_violation = lameter-v1-posted, v4.0:leak   designs this scenario
 *                           is meant to catch, each as DESIGN (any allocator
 *                           violation) or DESIGN:KIND (that kind; repeat the
 *                           design for several): 'slabsim run --check-expected'
 *                           passes when exactly these designs show one
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "cost_profile.h"
#include "params.h"
#include "slab_design.h"
#include "workload.h"

enum sim_preempt_model {
	SIM_PREEMPT_NONE,
	SIM_PREEMPT_VOLUNTARY,
	SIM_PREEMPT_FULL,
};

enum sim_inject_policy {
#define SIM_SCHED(name, word, in_scenarios) SIM_INJECT_##name,
#include "schedulers.def"
#undef SIM_SCHED
	SIM_INJECT_COUNT
};

enum sim_action_kind {
	SIM_ACT_PREEMPT,
	SIM_ACT_MIGRATE,
	SIM_ACT_IRQ,
	SIM_ACT_FAIL, /* the page allocation about to happen fails (failslab) */
};
#define SIM_ACT_COUNT (SIM_ACT_FAIL + 1)

/*
 * A planned action at the Nth eligible step of a run (bounded search), or
 * at its Nth choice point (exhaustive search: inject.steps_at_choices).
 */
struct sim_step_action {
	uint64_t step; /* 1-based, counted as report->eligible_steps (or choice_points) counts */
	enum sim_action_kind action;
	int arg;
};

/* Actions one planned run may take: the exhaustive search's bound. */
#define SIM_MAX_STEP_ACTIONS 8

/*
 * One explicit decision: at the Nth time any task reaches point, do action
 * (POINT#N:ACTION); or at the Nth time one task reaches it
 * (POINT#N@TASK:ACTION), which other tasks' changed paths do not move.
 */
struct sim_decision {
	int point;	     /* enum slab_point */
	uint64_t occurrence; /* 1-based count of that point, all tasks together (or task's) */
	enum sim_action_kind action;
	int arg;  /* migrate: target CPU; irq: index into irqs[];
		   * preempt: 0 = the next task in the run queue, else
		   * 1 + the id of the task to switch to */
	int task; /* 0: occurrence counts every task; else 1 + the id of the task it counts */
	/* A kernel design's decision by site (decision.h): its id (sim_site_find); 0: none. */
	uint32_t site;
	/*
	 * What a run records beside each decision it took (report->decisions);
	 * a plan's are not read: the task that took it (1 + its id) and that
	 * task's own count of the point.
	 */
	unsigned by_task;
	uint64_t task_occurrence;
};
/* A decision's own-task occurrence is below this (sched_decisions.c packs it). */
#define SIM_DECISION_TASK_OCCURRENCE_MAX (1ull << 40)

#define SIM_MAX_DESIGNS 16
#define SIM_MAX_TASKS 4096
#define SIM_MAX_IRQS 64
#define SIM_MAX_DECISIONS 2048

/*
 * Where and how a run injects actions.  A scenario's [inject] group is one;
 * explore, bisect and replay build their own for each run (struct
 * sim_run_plan) and never change the scenario's.  The arrays belong to
 * whoever built the struct.
 */
struct sim_pct_plan;

struct sim_inject {
	enum sim_inject_policy policy;
	uint64_t every;		   /* every: at every Nth eligible point */
	double probability;	   /* random: per eligible point */
	unsigned pct_depth;	   /* pct: bug depth d */
	uint64_t pct_steps;	   /* pct: k, steps where an action is possible (0: 1000) */
	bool kinds[SIM_ACT_COUNT]; /* by enum sim_action_kind: what every/random/pct may do */
	/*
	 * random: a kind's own chance per point, by enum sim_action_kind, in
	 * place of probability's (0: probability's; never above it): an action
	 * of that kind, once drawn, acts with kind_probability / probability.
	 */
	double kind_probability[SIM_ACT_COUNT];
	const struct sim_step_action *steps; /* steps: by step, ascending */
	unsigned nr_steps;
	bool steps_at_choices;		      /* steps: count choice points, not eligible steps */
	const struct sim_decision *decisions; /* decisions: in any order */
	unsigned nr_decisions;
	const struct sim_pct_plan *pct_plan; /* pct: explore's plan; NULL: drawn per run */
};

/*
 * Failure injection at the page allocator, as the kernel's failslab and
 * fail_page_alloc do: the calls tasks make (through the slow path's
 * allocate_slab and kmalloc_large; bring-up and the end-of-run flush are
 * not counted) fail by number, by chance, or both.  A failed call returns
 * NULL, as the buddy allocator does when it has nothing.
 */
struct sim_faults {
	uint64_t page_alloc_fail_nth;	    /* 1-based; 0: none */
	double page_alloc_fail_probability; /* 0 .. 1 */
};

static inline bool sim_faults_any(const struct sim_faults *f)
{
	return f->page_alloc_fail_nth || f->page_alloc_fail_probability > 0;
}

/* One [checks] expect_violation entry: a design, and the kind it must show. */
struct sim_expectation {
	const struct slab_design *design;
	const char *kind; /* one of sim_allocator_violation_kinds; NULL: any kind */
};
#define SIM_MAX_EXPECTATIONS 64

struct sim_task_spec {
	char *name;  /* "NAME", or "NAME/CPU" for each task of cpu = all */
	char *group; /* NAME: tasks of one group share barriers and queues */
	const struct sim_workload *workload;
	int cpu;
	bool pinned;
	struct sim_params params; /* the workload's keys */
};

struct sim_irq_spec {
	char *name;
	const struct sim_workload *workload;
	int cpu; /* -1: any */
	struct sim_params params;
};

struct sim_scenario {
	char *path;
	char *name;
	char *description;
	char hash[65]; /* sha256 of the file's bytes, hex */
	uint64_t seed;
	unsigned cpus, nodes;
	unsigned long memory_mib;
	enum sim_preempt_model preemption;
	const struct slab_design *designs[SIM_MAX_DESIGNS];
	unsigned nr_designs;
	struct sim_cost_profile profile; /* loaded, [costs] overrides applied */
	bool cpu_partial;
	bool cache_model;

	struct sim_task_spec *tasks;
	unsigned nr_tasks;
	struct sim_irq_spec *irqs;
	unsigned nr_irqs;

	struct sim_inject inject; /* [inject]; its decisions are the scenario's own */
	struct sim_faults faults; /* [faults] */

	uint64_t validate_every;
	bool leak_check;
	uint64_t livelock_cycles;
	struct sim_expectation expected[SIM_MAX_EXPECTATIONS];
	unsigned nr_expected;
};

/* A name of letters, digits, '_', '-' or '.' (tasks, irqs; campaign explorations). */
bool sim_scenario_valid_name(const char *name);

/* Does the scenario expect design d to show a violation? */
bool sim_scenario_expects_violation(const struct sim_scenario *sc, const struct slab_design *d);
/*
 * Is a run of d that ended so what the scenario expects?  An expected
 * design must show an allocator violation (not the workload's bug, not a
 * scenario problem) of a kind its entries name (a bare design: any kind);
 * any other design must show no violation at all.
 */
bool sim_scenario_outcome_expected(const struct sim_scenario *sc, const struct slab_design *d,
				   bool violation, bool allocator_bug, const char *kind);

/*
 * Read and check a scenario file.  On error returns false with one line in
 * err: "FILE: [GROUP] KEY: expected ..., got '...'" (or the part of it that
 * applies).  *out needs sim_scenario_free() only after success.
 */
bool sim_scenario_load(const char *path, struct sim_scenario *out, char *err, unsigned err_len);
void sim_scenario_free(struct sim_scenario *sc);

const char *sim_preempt_model_name(enum sim_preempt_model m);
/*
 * 5.15's flush work runs in a kworker per CPU, named kworker/CPU, with an
 * id after the scenario's tasks and the interrupt contexts (one per CPU);
 * no scenario task may take the group name.
 */
#define SIM_KWORKER_GROUP "kworker"
#define SIM_KWORKER_NAME_FORMAT SIM_KWORKER_GROUP "/%u"
static inline unsigned sim_scenario_kworker_id(const struct sim_scenario *sc, unsigned cpu)
{
	return sc->nr_tasks + sc->cpus + cpu;
}

/* An action kind as [inject] kinds names it ("preempt", "migrate", "irq", "fail"). */
const char *sim_action_kind_word(enum sim_action_kind k);

#endif /* SIM_SCENARIO_H */
