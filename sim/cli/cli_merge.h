/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_merge.h - merging result files on the command line, shared by
 * "slabsim merge" and "slabsim campaign merge".
 */
#ifndef SIM_CLI_MERGE_H
#define SIM_CLI_MERGE_H

#include "merge.h"

/* The results do not cover the budget: shards missing, or stopped early. */
#define CLI_EXIT_INCOMPLETE 3

/*
 * Read files[0 .. n-1], load the scenario they name into sc and merge them
 * into out and rep; notes (missing shards, later finds) on stderr.  The
 * exit code: CLI_EXIT_USAGE after printing why (out, rep, sc then hold
 * nothing to print), else incomplete, violation or ok.  Free with
 * cli_merge_free in every case.
 */
int cli_merge_results(const char *command, char **files, unsigned n, struct sim_result *out,
		      struct sim_merge_report *rep, struct sim_scenario *sc);
/* What one process with the same budget prints for out. */
void cli_merge_print(const struct sim_result *out, const struct sim_scenario *sc);
void cli_merge_free(struct sim_result *out, struct sim_merge_report *rep, struct sim_scenario *sc);

#endif /* SIM_CLI_MERGE_H */
