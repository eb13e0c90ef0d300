/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * explore_internal.h - what explore.c shares with the exhaustive search
 * (exhaustive.c): a run's outcome as a record, and adding it to a result.
 */
#ifndef SIM_EXPLORE_INTERNAL_H
#define SIM_EXPLORE_INTERNAL_H

#include <glib.h>
#include <stdint.h>

#include "engine.h"
#include "explore.h"

/* A run's outcome as a record (explore.h). */
void sim_explore_record_run(const struct sim_run_report *r, uint64_t index,
			    struct sim_explore_record *rec);
/*
 * Add rec to res's totals and coverage (schedules: the distinct schedule
 * hashes so far, or NULL to keep none).
 */
void sim_explore_tally(struct sim_explore_result *res, const struct sim_explore_record *rec,
		       GHashTable *schedules);
double sim_explore_now(void);

/* The exhaustive search (exhaustive.c): cfg->scheduler == SIM_SCHED_EXHAUSTIVE. */
bool sim_explore_exhaustive(const struct sim_explore_config *cfg, struct sim_explore_result *res,
			    char *err, unsigned err_len);

#endif /* SIM_EXPLORE_INTERNAL_H */
