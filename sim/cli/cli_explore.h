/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_explore.h - what "slabsim explore" prints, shared with "slabsim
 * merge", which prints the same lines for merged shards.
 */
#ifndef SIM_CLI_EXPLORE_H
#define SIM_CLI_EXPLORE_H

#include "explore.h"
#include "result.h"

/* The first line: the scheduler and its parameter, the seed, the budget and the split. */
void cli_explore_print_header(const struct sim_explore_config *cfg, double probability);
/* One design's result line (runs, k, what was injected) and its coverage line. */
void cli_explore_print_result(const struct sim_explore_config *cfg,
			      const struct sim_explore_result *res);
/* The first violation after runs runs: what, where, its report and schedule file. */
void cli_explore_print_find(const struct sim_result_find *f, uint64_t runs);
/* No violation: the rule-of-three bound on the failure rate. */
void cli_explore_print_clean(const struct sim_explore_result *res);

#endif /* SIM_CLI_EXPLORE_H */
