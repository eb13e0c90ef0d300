/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * campaign.h - campaign files: explorations of several scenarios, designs
 * and schedulers, each with its budget, split into N equal slices (tasks)
 * that run anywhere and merge into what one process would have found.
 *
 *   [campaign]
 *   name = example                  letters, digits, '_', '-', '.'
 *   description = ...               (optional)
 *
 *   [explore NAME]                  one or more; NAME names its result files
 *   scenario = ../race-preempt.ini  relative to the campaign file
 *   designs = v4.0, v5.19           (optional: the scenario's designs)
 *   schedulers = random, pct        (optional: random)
 *   runs = 2000                     budget per design and scheduler
 *   seed = 1                        (optional: the scenario's master seed)
 *
 * Task i of N runs shard i/N of every exploration (explore --shard): the
 * budgets split in N slices that differ by at most one run per design, and
 * the results of all N merge exactly (merge.h).
 */
#ifndef SIM_CAMPAIGN_H
#define SIM_CAMPAIGN_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* One exploration of a campaign: a scenario under one scheduler. */
struct sim_campaign_cell {
	char *name;	/* "NAME.SCHEDULER": its result files' names */
	char *scenario; /* the path, relative to the working directory if under it */
	char *designs;	/* as given ("v4.0,v5.19"), or NULL: the scenario's */
	const char *scheduler;
	uint64_t runs;
	bool has_seed;
	uint64_t seed;
	unsigned nr_designs; /* how many designs it explores */
};

struct sim_campaign {
	char *path, *name, *description;
	GPtrArray *cells; /* struct sim_campaign_cell, in file order, then scheduler order */
};

/*
 * Read a campaign file, and each scenario it names (so that a task never
 * starts on a campaign that cannot run to its end); false with "FILE:
 * [GROUP] KEY: expected ..., found ..." in err.
 */
bool sim_campaign_load(const char *path, struct sim_campaign *c, char *err, unsigned err_len);
void sim_campaign_free(struct sim_campaign *c);

/* The runs of one design that task i of n does of a budget. */
uint64_t sim_campaign_share(uint64_t runs, unsigned i, unsigned n);

/*
 * The arguments of "slabsim explore" that run task i of n of cell into
 * dir (after the program name; g_strfreev).  The result file is
 * dir/NAME.SCHEDULER.task-I-of-N.json, schedule files go to dir/schedules.
 */
char **sim_campaign_explore_args(const struct sim_campaign_cell *cell, unsigned i, unsigned n,
				 const char *dir);
/* The base name of cell's result file of task i of n, without ".json". */
char *sim_campaign_result_name(const struct sim_campaign_cell *cell, unsigned i, unsigned n);

#endif /* SIM_CAMPAIGN_H */
