/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * schedule.h - schedule files: what a failing run needs to be run again
 * exactly, as versioned text.
 *
 *   slabsim-schedule 2
 *   build <git describe of the build that wrote it>
 *   scenario <path of the scenario file>
 *   scenario-sha256 <hash of its bytes>
 *   design <name>
 *   profile <name>
 *   seed <n>
 *   violation <kind>            (what the run found; "none" if nothing)
 *   decision <point>#<occurrence>:preempt[:<task>]
 *   decision <point>#<occurrence>:migrate:<cpu>
 *   decision <point>#<occurrence>:irq:<irq name>
 *   decision <point>@<site>#<occurrence>@<task>:<action>   (kernel designs)
 *
 * Decisions are written as a scenario's [inject] decisions are
 * (decision.h): they name points by their stable names and count
 * occurrences of a point over all tasks, or for a kernel design's point,
 * by the site in the kernel file (FUNCTION:LINE[K]) and the task's own
 * visits to it; so a file stays valid as long as the scenario, the build
 * and the points are the same; replay refuses it otherwise.  Version 1
 * files (decision <point>#<occurrence> <action> [<arg>]) are still read.
 */
#ifndef SIM_SCHEDULE_H
#define SIM_SCHEDULE_H

#include <glib.h>
#include <stdbool.h>

#include "engine.h"
#include "scenario.h"

#define SIM_SCHEDULE_VERSION 2

struct sim_schedule {
	char *build;
	char *scenario_path;
	char scenario_hash[65];
	char *design;
	char *profile;
	uint64_t seed;
	char *violation;      /* kind, or "none" */
	GPtrArray *decisions; /* "POINT#OCCURRENCE:ACTION[:ARG]" (decision.h), in order */
};

/*
 * A kernel design's decisions by site (decision.h): ds, the n decisions of
 * a run of plan (its design, seed, faults and costs; its inject's policy
 * and decisions are replaced by ds), rewritten so that each one taken at a
 * kernel point by a task of the scenario names the point's site and that
 * task's count of visits to it (POINT@SITE#N@TASK).  Only when the run by
 * site is the same run (trace hash, decisions taken, violation) and every
 * decision was taken: true, ds rewritten; else false, ds as it was.  Two
 * runs, one traced.
 */
bool sim_decisions_by_site(const struct sim_scenario *sc, const struct sim_run_plan *plan,
			   struct sim_decision *ds, unsigned n);
/*
 * From a run of sc with design and seed, and the decisions it took; a
 * kernel design's by site where they replay the same that way.
 */
void sim_schedule_from_run(struct sim_schedule *s, const struct sim_scenario *sc,
			   const struct sim_run_report *r);
bool sim_schedule_write(const char *path, const struct sim_schedule *s, char *err,
			unsigned err_len);
/* Read and check the syntax; errors name the file and line. */
bool sim_schedule_read(const char *path, struct sim_schedule *s, char *err, unsigned err_len);
/* A schedule bound to its scenario: the plan that replays it. */
struct sim_replay {
	struct sim_run_plan plan; /* points at inject: use it where it is */
	struct sim_inject inject; /* policy decisions */
	struct sim_decision *decisions;
};

/*
 * Check s against the scenario it names (hash, profile, build) and plan
 * the run that replays it: its design, its seed, its decisions.  out needs
 * sim_replay_free() only after success.
 */
bool sim_schedule_bind(const char *path, const struct sim_schedule *s,
		       const struct sim_scenario *loaded, struct sim_replay *out, char *err,
		       unsigned err_len);
void sim_replay_free(struct sim_replay *r);
void sim_schedule_free(struct sim_schedule *s);

const char *sim_build_id(void);

#endif /* SIM_SCHEDULE_H */
