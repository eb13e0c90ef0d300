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
 * step may choose, at most each (so at most 1 + 2 * 16 actions per step).
 */
#define SIM_EXPLORE_STEP_TARGETS_MAX 16
#define SIM_EXPLORE_STEP_ACTIONS_MAX (1 + 2 * SIM_EXPLORE_STEP_TARGETS_MAX)
/* Worker processes of one exploration (--jobs), and shards of a campaign (--shard). */
#define SIM_EXPLORE_JOBS_MAX 64
#define SIM_EXPLORE_SHARDS_MAX 1000000

enum sim_scheduler {
	SIM_SCHED_RANDOM,
	SIM_SCHED_PCT,
	SIM_SCHED_BOUNDED, /* every set of at most bound actions over a window of steps */
};

struct sim_explore_config {
	const struct sim_scenario *sc;
	const struct slab_design *design;
	enum sim_scheduler scheduler;
	unsigned depth, depth_max;	 /* PCT: d of each run in depth .. depth_max (0: depth) */
	unsigned bound;			 /* bounded: at most this many actions (0..2) */
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
};

struct sim_explore_result {
	uint64_t runs; /* runs done up to the first failure (or all) */
	uint64_t k;    /* PCT: steps where an action is possible; bounded: eligible steps */
	uint64_t points, preemptions, migrations, interrupts;
	bool found;
	uint64_t found_index;
	uint64_t found_seed;
	char kind[48];
	bool workload_bug; /* the find is the workload's bug or a scenario problem */
	/* Coverage over the same runs: per point, the runs that executed it and
	 * that took an action at it; the distinct decision lists tried. */
	uint64_t point_runs[SLAB_POINT_COUNT], point_decided_runs[SLAB_POINT_COUNT];
	uint64_t schedules;
	double seconds;
	bool interrupted; /* stopped by SIGINT/SIGTERM: the totals are what was done */
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
/* Bounded search: how many runs the whole search has (k: steps per run). */
uint64_t sim_explore_bounded_runs(const struct sim_explore_config *cfg, uint64_t k);

bool sim_explore(const struct sim_explore_config *cfg, struct sim_explore_result *res, char *err,
		 unsigned err_len);

#endif /* SIM_EXPLORE_H */
