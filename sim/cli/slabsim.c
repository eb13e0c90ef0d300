/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slabsim.c - the command line: subcommand dispatch, usage, exit codes
 * (0 ok, 1 a violation was found, 2 bad usage or bad input).
 */
#include <glib.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "run", "simulate a scenario, each of its designs in turn", cli_run },
	{ "compare", "simulate a scenario's designs side by side, with deltas", cli_compare },
	{ "explore", "search a scenario's interleavings for a violation", cli_explore },
	{ "merge", "merge explore shards' result files into one process's result", cli_merge },
	{ "campaign", "plan, run and merge scenarios x designs x schedulers in slices",
	  cli_campaign },
	{ "replay", "run a schedule file again, exactly", cli_replay },
	{ "bisect", "minimize a failing schedule and show its critical events", cli_bisect },
	{ "native", "run the seed's slab_test natively (real threads, TSC cycles)", cli_native },
	{ "calibrate", "fit a profile's ranged values to a measured slab_test table",
	  cli_calibrate },
	{ "designs", "list the fastpath designs and their knobs", cli_designs },
	{ "profiles", "list the cost profiles, or show one with its sources", cli_profiles },
	{ "points", "list the allocator's points", cli_points },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: slabsim COMMAND [OPTIONS]\n\ncommands:\n");
	for (unsigned i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'slabsim COMMAND --help' describes a command's options.\n"
		     "Exit status: 0 ok, 1 violation found, 2 bad usage or input.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	for (unsigned i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name)) {
			int rc = commands[i].run(argc - 1, argv + 1);
			/* A full disk or a closed pipe loses output: say so, never exit 0. */
			if (fflush(stdout) || ferror(stdout)) {
				fprintf(stderr,
					"slabsim %s: cannot write the standard output: %s\n",
					argv[1], g_strerror(errno));
				return CLI_EXIT_USAGE;
			}
			return rc;
		}
	fprintf(stderr, "slabsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}
