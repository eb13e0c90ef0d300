/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli.h - the subcommands of slabsim and what they share: exit codes and
 * option parsing helpers.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <glib.h>

#include "scenario.h"
#include "slab_design.h"

enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_VIOLATION = 1,
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_INTERRUPTED = 130, /* 128 + SIGINT, as shells report it */
};

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

int cli_run(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_explore(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_campaign(int argc, char **argv);
int cli_replay(int argc, char **argv);
int cli_bisect(int argc, char **argv);
int cli_native(int argc, char **argv);
int cli_calibrate(int argc, char **argv);
int cli_profiles(int argc, char **argv);
int cli_designs(int argc, char **argv);
int cli_points(int argc, char **argv);

/*
 * Parse options for a subcommand ("slabsim NAME"); on error prints it and
 * returns FALSE.  Positional arguments are left in argv.
 */
gboolean cli_parse(const char *name, const char *params, GOptionEntry *entries, int *argc,
		   char ***argv);

/*
 * Resolve a comma-separated list of design names ("all": every preset,
 * "safe": the non-mutants).  Fills out (up to max) and returns the count,
 * or -1 after printing which name is unknown.
 */
int cli_designs_from_list(const char *list, const struct slab_design **out, int max);

/*
 * The --seed and --designs options shared by run, compare and explore:
 * each applies its text (if given) or prints why it cannot and returns false.
 */
bool cli_seed_option(const char *command, const char *text, uint64_t *seed);
/* An integer flag inside lo .. hi, or false after naming the flag, the range and the value. */
bool cli_int_option(const char *command, const char *flag, long long value, long long lo,
		    long long hi);

/* The designs a command runs: --designs, or else the scenario's. */
struct cli_designs {
	const struct slab_design *d[SIM_MAX_DESIGNS];
	unsigned n;
};

/*
 * --designs LIST (NULL: the scenario's designs) into out; false with the
 * message printed.  The scenario itself is never changed.
 */
bool cli_designs_option(const char *command, const char *list, const struct sim_scenario *sc,
			struct cli_designs *out);

/*
 * --trace FILE: the runs as a Chrome/Perfetto trace, the operations of the
 * window (--trace-window FROM:TO, or NULL: the first 2 million; replay
 * defaults to the 20,000 before its violation).  False (after saying why,
 * with the command's name) if the window is bad or the file cannot be
 * opened or written.
 */
struct sim_run_report;
/* A trace holds the first 2 million operations unless a window says otherwise. */
#define CLI_TRACE_OPS_MAX 2000000
/* A replay's trace: the operations that led to its violation. */
#define CLI_TRACE_REPLAY_OPS 20000

/* --trace-window FROM:TO (NULL: leave from and to); false after saying why. */
bool cli_trace_window(const char *command, const char *text, uint64_t *from, uint64_t *to);
bool cli_write_trace(const char *command, const char *path, const char *window,
		     const struct sim_run_report *runs, unsigned n);

#endif /* SIM_CLI_H */
