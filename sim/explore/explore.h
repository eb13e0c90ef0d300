/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * explore.h - race finding: many runs of one scenario and design, each with
 * its own seed derived from a master seed and the run's index (seeds.h), under a
 * scheduler (seeded random injection, or PCT), until a violation or the
 * budget.  Runs can be split over processes (jobs) and machines (shards):
 * run i belongs to shard i mod n, and the result (the first failing run,
 * and the totals up to it) is the same however the runs were split.
 */
#ifndef SIM_EXPLORE_H
#define SIM_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "pct_plan.h"
#include "scenario.h"

/*
 * Bounded search: the CPUs to migrate to and the irqs to raise that one
 * step may choose, at most each (so at most 2 + 2 * 16 actions per step: a
 * preemption, a failed page allocation, the migrations and the irqs).
 */
#define SIM_EXPLORE_STEP_TARGETS_MAX 16
#define SIM_EXPLORE_STEP_ACTIONS_MAX (2 + 2 * SIM_EXPLORE_STEP_TARGETS_MAX)
/* Worker processes of one exploration (--jobs), and shards of a campaign (--shard). */
#define SIM_EXPLORE_JOBS_MAX 64
#define SIM_EXPLORE_SHARDS_MAX 1000000

enum sim_scheduler {
	SIM_SCHED_RANDOM,
	SIM_SCHED_PCT,
	SIM_SCHED_BOUNDED, /* every set of at most bound actions over a window of steps */
	/*
	 * Every distinct schedule with at most bound actions, by increasing
	 * number of actions (iterative bounding), over the tree of choice
	 * points the runs themselves show (exhaustive.c).
	 */
	SIM_SCHED_EXHAUSTIVE,
};

/* One run's outcome: what the totals and the coverage of an exploration add up. */
struct sim_explore_record {
	uint64_t index;
	uint64_t points, preemptions, migrations, interrupts, failures;
	uint32_t violation;
	uint32_t workload_bug; /* the violation is the workload's or the scenario's */
	char kind[48];
	uint64_t executed[SIM_POINT_WORDS], decided[SIM_POINT_WORDS];
	uint64_t schedule_hash; /* of the decisions taken: distinct schedules */
};

/* "random", "pct", "bounded", "exhaustive"; and back (false for another word). */
const char *sim_explore_scheduler_name(enum sim_scheduler s);
bool sim_explore_scheduler_find(const char *name, enum sim_scheduler *out);

struct sim_explore_config {
	const struct sim_scenario *sc;
	const struct slab_design *design;
	enum sim_scheduler scheduler;
	unsigned depth, depth_max; /* PCT: d of each run in depth .. depth_max (0: depth) */
	unsigned bound;		   /* bounded: at most this many actions (0..2); exhaustive:
				      0..SIM_MAX_STEP_ACTIONS */
	bool reduce;		   /* exhaustive: count equivalent schedules without running them */
	bool reduce_leaves_only;   /* exhaustive: skip no subtree (exhaustive.c's tests compare) */
	bool check_reduction;	   /* exhaustive: run them anyway and compare, and count the
				    * distinct schedules (self-checks) */
	/*
	 * Exhaustive, focused (bisect): actions only at points in only_points
	 * (a bit per enum slab_point) or at a task's first choice point, and
	 * of the kinds in only_kinds (a bit per enum sim_action_kind); 0
	 * kinds: every choice.  want_kind: only a
	 * violation of this kind (not the workload's) ends the search; NULL:
	 * any violation.
	 */
	uint64_t only_points[SIM_POINT_WORDS];
	unsigned only_kinds;
	const char *want_kind;
	uint64_t window_from, window_to; /* bounded: eligible steps [from, to); 0 to: k + 1 */
	double probability;		 /* random; 0: the scenario's */
	uint64_t master_seed;
	uint64_t runs;		/* budget: run indices 0 .. runs-1 */
	double seconds;		/* budget in wall time, 0: none (results then vary) */
	unsigned jobs;		/* processes, >= 1 */
	unsigned shard, shards; /* this process runs indices i with i % shards == shard */
	/*
	 * Called now and then (at most twice a second) with the runs done, the
	 * runs this shard will do at most, and the violations seen so far;
	 * NULL: none.  It only watches: results never depend on it.
	 */
	void (*progress)(void *arg, uint64_t done, uint64_t total, uint64_t finds, double seconds);
	void *progress_arg;
	/*
	 * Called after the runs for each run the totals count, in index order
	 * (a result file's blocks are made from them, result.h); NULL: none.
	 */
	void (*record)(void *arg, const struct sim_explore_record *rec);
	void *record_arg;
};

struct sim_explore_result {
	uint64_t runs; /* runs done up to the first failure (or all) */
	uint64_t k;    /* PCT: steps where an action is possible; bounded: eligible steps */
	uint64_t points, preemptions, migrations, interrupts, failures;
	bool found;
	uint64_t found_index;
	uint64_t found_seed;
	char kind[48];
	bool workload_bug; /* the find is the workload's bug or a scenario problem */
	/* Coverage over the same runs: per point, the runs that executed it and
	 * that took an action at it; the distinct decision lists tried. */
	uint64_t point_runs[SLAB_POINT_COUNT], point_decided_runs[SLAB_POINT_COUNT];
	uint64_t schedules; /* exhaustive: counted with check_reduction, else its runs */
	double seconds;
	bool interrupted; /* stopped by SIGINT/SIGTERM: the totals are what was done */
	/*
	 * Exhaustive: the schedules with exactly c actions (c = 0 .. bound),
	 * the seconds when each bound was done, and how many bounds were
	 * searched completely; the runs made again to find a tree's choices
	 * (not counted in runs); the actions of the find.
	 */
	uint64_t bound_schedules[SIM_MAX_STEP_ACTIONS + 1];
	uint64_t bound_equivalent[SIM_MAX_STEP_ACTIONS + 1]; /* of those: not run, equivalent */
	bool reduced; /* the reduction applied (every task on one CPU; or migrations) */
	bool pruned;  /* and to subtrees (behind a preemption whose O touches memory: two tasks) */
	uint64_t subtrees_skipped; /* inner schedules whose subtree another one covers */
	/* check_reduction: equivalent schedules run anyway, and those whose outcome differed. */
	uint64_t reduction_checked, reduction_mismatches;
	double bound_seconds[SIM_MAX_STEP_ACTIONS + 1];
	unsigned bounds_done;
	uint64_t reruns;
	struct sim_step_action found_steps[SIM_MAX_STEP_ACTIONS];
	unsigned nr_found_steps;
};

/* Points executed, and points given a decision, in at least one run of res. */
void sim_explore_coverage(const struct sim_explore_result *res, unsigned *executed,
			  unsigned *decided);

/*
 * Stop on SIGINT and SIGTERM: after the run each process is in, with what
 * was done so far (sim_explore_stopped() tells the caller afterwards).
 */
void sim_explore_catch_signals(void);
bool sim_explore_stopped(void);

/* One run of an exploration: its plan, and the injection the plan points at. */
struct sim_explore_run {
	struct sim_run_plan plan;
	struct sim_inject inject;
	struct sim_step_action steps[SIM_MAX_STEP_ACTIONS];
	struct sim_pct_plan pct;
};

/*
 * The plan of run index (k: the steps of a run, for PCT and bounded
 * search).  out->plan points into out: use it where it is, don't copy it.
 */
void sim_explore_plan(const struct sim_explore_config *cfg, uint64_t k, uint64_t index,
		      struct sim_explore_run *out);
/* The plan of res's find (by its index, or by its actions for the exhaustive search). */
void sim_explore_found_plan(const struct sim_explore_config *cfg,
			    const struct sim_explore_result *res, struct sim_explore_run *out);
/* Bounded search: how many runs the whole search has (k: steps per run). */
uint64_t sim_explore_bounded_runs(const struct sim_explore_config *cfg, uint64_t k);
/* The run indices the budget covers: cfg->runs, or fewer for a bounded search. */
uint64_t sim_explore_budget(const struct sim_explore_config *cfg, uint64_t k);
/* Run index of the exploration again (k as sim_explore measured it) into rec. */
bool sim_explore_one(const struct sim_explore_config *cfg, uint64_t k, uint64_t index,
		     struct sim_explore_record *rec, char *err, unsigned err_len);

bool sim_explore(const struct sim_explore_config *cfg, struct sim_explore_result *res, char *err,
		 unsigned err_len);

#endif /* SIM_EXPLORE_H */
