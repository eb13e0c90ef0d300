/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_run.c - "slabsim run FILE" (each design of the scenario in turn, its
 * full report) and "slabsim compare FILE" (the designs side by side, with
 * deltas against the first).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "cli.h"
#include "engine.h"
#include "plot.h"
#include "report.h"
#include "scenario.h"


/* A simulated design's slab_test rows and cycles by primitive. */
static void series_of_run(struct plot_series *s, const struct sim_run_report *r)
{
	plot_series_init(s, r->design->name, false);
	for (unsigned k = 0; k < r->nr_tasks; k++)
		for (unsigned m = 0; m < r->tasks[k].metrics->len; m++) {
			const struct sim_metric *x = g_ptr_array_index(r->tasks[k].metrics, m);
			if (x->ops)
				plot_series_set(s, x->name, (double)x->cycles / (double)x->ops);
		}
	for (unsigned k = 0; k < SIM_KIND_COUNT && s->nr_kinds < PLOT_KINDS_MAX; k++)
		if (r->cycles_by_kind[k]) {
			s->kind_id[s->nr_kinds] = k;
			s->kind[s->nr_kinds] = sim_kind_name(k);
			s->kind_cycles[s->nr_kinds++] = (double)r->cycles_by_kind[k];
		}
}

/* A measured table's rows: one series per design it has rows of, or one. */
static bool series_of_table(const char *command, const char *arg, const struct sim_scenario *sc,
			    GArray *out)
{
	const char *eq = strchr(arg, '=');
	g_autofree char *path = eq ? g_strndup(arg, (gsize)(eq - arg)) : g_strdup(arg);
	const char *column = eq ? eq + 1 : "cycles";
	char err[512];
	unsigned found = 0;
	for (unsigned d = 0; d <= sc->nr_designs; d++) {
		/* Each design of the scenario, then the whole table (no design column). */
		const char *design = d < sc->nr_designs ? sc->designs[d]->name : NULL;
		struct cal_table t;
		if (!cal_table_load(path, column, design, &t, err, sizeof(err))) {
			if (!design && !found) {
				fprintf(stderr, "slabsim %s: --plot-table: %s\n", command, err);
				return false;
			}
			continue;
		}
		/* Without a design column the table is one series, named by its column. */
		if (t.has_design == (design != NULL) && (design || !found)) {
			struct plot_series s;
			char name[64];
			snprintf(name, sizeof(name), "%s%s%s", design ? design : "", design ? " " : "",
				 column);
			plot_series_init(&s, name, true);
			for (unsigned i = 0; i < t.n; i++)
				plot_series_set(&s, t.rows[i].metric, t.rows[i].measured);
			g_array_append_val(out, s);
			found++;
		}
		cal_table_free(&t);
	}
	return true;
}

static bool plot(const char *command, const struct sim_scenario *sc,
		 const struct sim_run_report *runs, const char *path, char **tables)
{
	GArray *series = g_array_new(FALSE, TRUE, sizeof(struct plot_series));
	bool ok = true;
	for (unsigned d = 0; d < sc->nr_designs; d++) {
		struct plot_series s;
		series_of_run(&s, &runs[d]);
		if (plot_series_any(&s))
			g_array_append_val(series, s);
	}
	if (!series->len) {
		fprintf(stderr, "slabsim %s: --plot: %s has no slab_test rows to plot; expected a "
			"slab_test task\n", command, sc->path);
		ok = false;
	}
	for (unsigned i = 0; ok && tables && tables[i]; i++)
		ok = series_of_table(command, tables[i], sc, series);
	char err[512], title[256];
	snprintf(title, sizeof(title), "%s: cycles per operation (profile %s)", sc->name,
		 sc->profile.name);
	if (ok && !plot_write_svg(path, title, (const struct plot_series *)(void *)series->data,
				  series->len, err, sizeof(err))) {
		fprintf(stderr, "slabsim %s: --plot: %s\n", command, err);
		ok = false;
	}
	g_array_free(series, TRUE);
	return ok;
}

static int run_or_compare(const char *command, bool compare, int argc, char **argv)
{
	g_autofree char *designs = NULL, *format = NULL, *seed_text = NULL;
	gboolean check_expected = FALSE;
	g_autofree char *trace_path = NULL, *plot_path = NULL, *trace_window = NULL;
	g_auto(GStrv) plot_tables = NULL;
	GOptionEntry entries[] = {
		{ "designs", 'd', 0, G_OPTION_ARG_STRING, &designs,
		  "comma-separated designs, 'all' or 'safe' (default: the scenario's)", "LIST" },
		{ "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
		  "master seed (default: the scenario's)", "N" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format, "text, json or csv", "FMT" },
		{ "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace_path,
		  "write a Chrome/Perfetto trace (one track per CPU, timestamps in cycles) to FILE",
		  "FILE" },
		{ "trace-window", 0, 0, G_OPTION_ARG_STRING, &trace_window,
		  "only operations FROM .. TO-1 of each design in the trace (default: the first "
		  "2 million)", "FROM:TO" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot_path,
		  "write the slab_test rows as an SVG figure: cycles per op by size per design, "
		  "and the cycles by primitive", "FILE.svg" },
		{ "plot-table", 0, 0, G_OPTION_ARG_STRING_ARRAY, &plot_tables,
		  "overlay a measured table on the figure: TABLE.csv or TABLE.csv=COLUMN (one "
		  "series per design it has; repeatable)", "T[=C]" },
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
	uint64_t window_from, window_to; /* checked before the runs, used by cli_write_trace */
	if (!cli_trace_window(command, trace_window, &window_from, &window_to))
		return CLI_EXIT_USAGE;
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
		struct sim_run_plan plan = { .design = sc.designs[d], .seed = seed,
					     .record_trace = trace_path != NULL };
		if (!sim_run(&sc, &plan, &runs[d], err, sizeof(err))) {
			fprintf(stderr, "slabsim %s: %s: cannot set up design %s: %s\n", command,
				sc.path, sc.designs[d]->name, err);
			rc = CLI_EXIT_USAGE;
			for (unsigned k = 0; k <= d; k++)
				sim_run_report_free(&runs[k]);
			g_free(runs);
			goto out;
		}
		if (runs[d].scenario_fault) {
			/* The scenario cannot run as written: bad input, whatever was expected. */
			rc = CLI_EXIT_USAGE;
		} else if (check_expected) {
			bool expected = sim_scenario_expects_violation(&sc, sc.designs[d]);
			if (runs[d].violation != expected) {
				fprintf(stderr, "slabsim %s: %s: design %s: %s\n", command, sc.path,
					sc.designs[d]->name,
					expected ? "expected a violation, found none"
						 : "unexpected violation");
				rc = rc == CLI_EXIT_USAGE ? rc : CLI_EXIT_VIOLATION;
			}
		} else if (runs[d].violation) {
			rc = rc == CLI_EXIT_USAGE ? rc : CLI_EXIT_VIOLATION;
		}
		if (!compare)
			sim_report_run(stdout, fmt, &sc, &runs[d], d == 0, d + 1 == sc.nr_designs);
	}
	if (compare)
		sim_report_compare(stdout, fmt, &sc, runs, sc.nr_designs);
	if (plot_path && !plot(command, &sc, runs, plot_path, plot_tables))
		rc = CLI_EXIT_USAGE;
	if (trace_path && !cli_write_trace(command, trace_path, trace_window, runs, sc.nr_designs))
		rc = CLI_EXIT_USAGE;
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
