/*
 * cli_run.c - "slabsim run FILE" (each design of the scenario in turn, its
 * full report) and "slabsim compare FILE" (the designs side by side, with
 * deltas against the first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "report.h"
#include "scenario.h"


static int run_or_compare(const char *command, bool compare, int argc, char **argv)
{
	g_autofree char *designs = NULL, *format = NULL, *seed_text = NULL;
	gboolean check_expected = FALSE;
	g_autofree char *trace_path = NULL;
	GOptionEntry entries[] = {
		{ "designs", 'd', 0, G_OPTION_ARG_STRING, &designs,
		  "comma-separated designs, 'all' or 'safe' (default: the scenario's)", "LIST" },
		{ "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
		  "master seed (default: the scenario's)", "N" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format, "text, json or csv", "FMT" },
		{ "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace_path,
		  "write a Chrome/Perfetto trace (one track per CPU, timestamps in cycles) to FILE",
		  "FILE" },
		{ "check-expected", 0, 0, G_OPTION_ARG_NONE, &check_expected,
		  "exit 0 when exactly the designs in [checks] expect_violation show a "
		  "violation (for testing scenario files)", NULL },
		{ NULL },
	};
	if (!cli_parse(command, "FILE", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "slabsim %s: expected one scenario FILE (see --help)\n", command);
		return CLI_EXIT_USAGE;
	}
	enum sim_format fmt = SIM_FORMAT_TEXT;
	if (format && !sim_format_parse(format, &fmt)) {
		fprintf(stderr, "slabsim %s: --format: expected text, json or csv, got '%s'\n",
			command, format);
		return CLI_EXIT_USAGE;
	}
	struct sim_scenario sc;
	char err[512];
	if (!sim_scenario_load(argv[1], &sc, err, sizeof(err))) {
		fprintf(stderr, "slabsim %s: %s\n", command, err);
		return CLI_EXIT_USAGE;
	}
	int rc = CLI_EXIT_OK;
	uint64_t seed = sc.seed;
	if (!cli_seed_option(command, seed_text, &seed) ||
	    !cli_designs_option(command, designs, &sc)) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}

	struct sim_run_report *runs = g_new0(struct sim_run_report, sc.nr_designs);
	sim_report_header(stdout, fmt, &sc, seed, command);
	for (unsigned d = 0; d < sc.nr_designs; d++) {
		struct sim_run_options opt = { .record_trace = trace_path != NULL };
		if (!sim_run_ex(&sc, sc.designs[d], seed, &opt, &runs[d], err, sizeof(err))) {
			fprintf(stderr, "slabsim %s: %s: cannot set up design %s: %s\n", command,
				sc.path, sc.designs[d]->name, err);
			rc = CLI_EXIT_USAGE;
			for (unsigned k = 0; k <= d; k++)
				sim_run_report_free(&runs[k]);
			g_free(runs);
			goto out;
		}
		if (check_expected) {
			bool expected = sim_scenario_expects_violation(&sc, sc.designs[d]);
			if (runs[d].violation != expected) {
				fprintf(stderr, "slabsim %s: %s: design %s: %s\n", command, sc.path,
					sc.designs[d]->name,
					expected ? "expected a violation, found none"
						 : "unexpected violation");
				rc = CLI_EXIT_VIOLATION;
			}
		} else if (runs[d].violation) {
			rc = CLI_EXIT_VIOLATION;
		}
		if (!compare)
			sim_report_run(stdout, fmt, &sc, &runs[d], d == 0, d + 1 == sc.nr_designs);
	}
	if (compare)
		sim_report_compare(stdout, fmt, &sc, runs, sc.nr_designs);
	if (trace_path) {
		FILE *tf = fopen(trace_path, "w");
		if (!tf) {
			fprintf(stderr, "slabsim %s: --trace: cannot write %s\n", command, trace_path);
			rc = CLI_EXIT_USAGE;
		} else {
			sim_report_trace(tf, runs, sc.nr_designs, 2000000);
			fclose(tf);
		}
	}
	for (unsigned d = 0; d < sc.nr_designs; d++) {
		if (runs[d].violation && fmt != SIM_FORMAT_TEXT)
			sim_report_repro(stderr, &sc, &runs[d]);
		sim_run_report_free(&runs[d]);
	}
	g_free(runs);
out:
	sim_scenario_free(&sc);
	return rc;
}

int cli_run(int argc, char **argv)
{
	return run_or_compare("run", false, argc, argv);
}

int cli_compare(int argc, char **argv)
{
	return run_or_compare("compare", true, argc, argv);
}
