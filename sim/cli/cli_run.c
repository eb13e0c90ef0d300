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
#include "progress.h"
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
static bool series_of_table(const char *command, const char *arg, const struct cli_designs *ds,
			    GArray *out)
{
	const char *eq = strchr(arg, '=');
	g_autofree char *path = eq ? g_strndup(arg, (gsize)(eq - arg)) : g_strdup(arg);
	const char *column = eq ? eq + 1 : "cycles";
	char err[512];
	unsigned found = 0;
	for (unsigned d = 0; d <= ds->n; d++) {
		/* Each design run, then the whole table (no design column). */
		const char *design = d < ds->n ? ds->d[d]->name : NULL;
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
			snprintf(name, sizeof(name), "%s%s%s", design ? design : "",
				 design ? " " : "", column);
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

static bool plot(const char *command, const struct sim_scenario *sc, const struct cli_designs *ds,
		 const struct sim_run_report *runs, const char *path, char **tables)
{
	GArray *series = g_array_new(FALSE, TRUE, sizeof(struct plot_series));
	bool ok = true;
	for (unsigned d = 0; d < ds->n; d++) {
		struct plot_series s;
		series_of_run(&s, &runs[d]);
		if (plot_series_any(&s))
			g_array_append_val(series, s);
	}
	if (!series->len) {
		fprintf(stderr,
			"slabsim %s: --plot: %s has no slab_test rows to plot; expected a "
			"slab_test task\n",
			command, sc->path);
		ok = false;
	}
	for (unsigned i = 0; ok && tables && tables[i]; i++)
		ok = series_of_table(command, tables[i], ds, series);
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

/* What "slabsim run" or "slabsim compare" was asked: its options, freed by opts_free. */
struct run_opts {
	char *designs, *format, *seed_text, *trace_path, *plot_path, *trace_window;
	char **plot_tables;
	gboolean check_expected, progress, quiet;
	enum sim_format fmt;   /* from --format */
	struct cli_designs ds; /* from --designs, or the scenario's */
};

static void opts_free(struct run_opts *o)
{
	g_free(o->designs);
	g_free(o->format);
	g_free(o->seed_text);
	g_free(o->trace_path);
	g_free(o->plot_path);
	g_free(o->trace_window);
	g_strfreev(o->plot_tables);
}

/* Options into o, positional arguments left in argv; false after printing why. */
static bool parse_options(const char *command, struct run_opts *o, int *argc, char ***argv)
{
	GOptionEntry entries[] = {
		{ "designs", 'd', 0, G_OPTION_ARG_STRING, &o->designs,
		  "comma-separated designs, 'all' or 'safe' (default: the scenario's)", "LIST" },
		{ "seed", 's', 0, G_OPTION_ARG_STRING, &o->seed_text,
		  "master seed (default: the scenario's)", "N" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &o->format, "text, json or csv", "FMT" },
		{ "trace", 0, 0, G_OPTION_ARG_FILENAME, &o->trace_path,
		  "write a Chrome/Perfetto trace (one track per CPU, timestamps in cycles) to FILE",
		  "FILE" },
		{ "trace-window", 0, 0, G_OPTION_ARG_STRING, &o->trace_window,
		  "only operations FROM .. TO-1 of each design in the trace (default: the first "
		  "2 million)",
		  "FROM:TO" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &o->plot_path,
		  "write the slab_test rows as an SVG figure: cycles per op by size per design, "
		  "and the cycles by primitive",
		  "FILE.svg" },
		{ "plot-table", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->plot_tables,
		  "overlay a measured table on the figure: TABLE.csv or TABLE.csv=COLUMN (one "
		  "series per design it has; repeatable)",
		  "T[=C]" },
		{ "progress", 0, 0, G_OPTION_ARG_NONE, &o->progress,
		  "show progress on stderr (the default when stderr is a terminal)", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "no progress on stderr", NULL },
		{ "check-expected", 0, 0, G_OPTION_ARG_NONE, &o->check_expected,
		  "exit 0 when exactly the designs in [checks] expect_violation show a "
		  "violation (for testing scenario files)",
		  NULL },
		{ NULL },
	};
	return cli_parse(command, "FILE", entries, argc, argv);
}

/* The arguments, --trace-window and --format (into o->fmt); false after printing why. */
static bool check_options(const char *command, struct run_opts *o, int argc)
{
	if (argc != 2) {
		fprintf(stderr, "slabsim %s: expected one scenario FILE (see --help)\n", command);
		return false;
	}
	uint64_t window_from, window_to; /* checked before the runs, used by cli_write_trace */
	if (!cli_trace_window(command, o->trace_window, &window_from, &window_to))
		return false;
	o->fmt = SIM_FORMAT_TEXT;
	if (o->format && !sim_format_parse(o->format, &o->fmt)) {
		fprintf(stderr, "slabsim %s: --format: expected text, json or csv, got '%s'\n",
			command, o->format);
		return false;
	}
	return true;
}

/* What design d's run r makes of the exit code *rc. */
static void judge_run(const char *command, const struct sim_scenario *sc,
		      const struct sim_run_report *r, bool check_expected, int *rc)
{
	if (r->scenario_fault) {
		/* The scenario cannot run as written: bad input, whatever was expected. */
		*rc = CLI_EXIT_USAGE;
	} else if (check_expected) {
		bool expected = sim_scenario_expects_violation(sc, r->design);
		if (!sim_scenario_outcome_expected(sc, r->design, r->violation, !r->workload_bug,
						   r->violation ? r->violation_kind : "")) {
			fprintf(
			    stderr, "slabsim %s: %s: design %s: %s%s%s\n", command, sc->path,
			    r->design->name,
			    !expected	    ? "unexpected violation"
			    : !r->violation ? "expected a violation, found none"
					    : "expected a violation of the kind expect_violation "
					      "names, found ",
			    expected && r->violation ? r->violation_kind : "",
			    expected && r->violation && r->workload_bug ? " (not the allocator's)"
									: "");
			*rc = *rc == CLI_EXIT_USAGE ? *rc : CLI_EXIT_VIOLATION;
		}
	} else if (r->violation) {
		*rc = *rc == CLI_EXIT_USAGE ? *rc : CLI_EXIT_VIOLATION;
	}
}

/* Progress of a run: the designs done, and the points of the one running. */
struct run_progress {
	struct cli_progress p;
	const char *design;
	unsigned done, total;
};

static void show_design(struct run_progress *rp, uint64_t points)
{
	char extra[96];
	snprintf(extra, sizeof(extra), "%llu points", (unsigned long long)points);
	cli_progress_show(&rp->p, rp->design, rp->done, rp->total, "designs", -1, extra);
}

/* The engine's call, every SIM_PROGRESS_POINTS points. */
static void show_points(void *arg, uint64_t points)
{
	struct run_progress *rp = arg;
	if (cli_progress_due(&rp->p))
		show_design(rp, points);
}

/* Run every design of sc with seed and report them, side by side with compare; the exit code. */
static int run_designs(const char *command, bool compare, const struct sim_scenario *sc,
		       uint64_t seed, const struct run_opts *o)
{
	int rc = CLI_EXIT_OK;
	char err[512];
	struct run_progress rp = { .total = o->ds.n };
	if (!cli_progress_init(&rp.p, command, o->progress, o->quiet))
		return CLI_EXIT_USAGE;
	struct sim_run_report *runs = g_new0(struct sim_run_report, o->ds.n);
	sim_report_header(stdout, o->fmt, sc, seed, command);
	for (unsigned d = 0; d < o->ds.n; d++) {
		struct sim_run_plan plan = { .design = o->ds.d[d],
					     .seed = seed,
					     .record_trace = o->trace_path != NULL,
					     .progress = rp.p.on ? show_points : NULL,
					     .progress_arg = &rp };
		rp.design = o->ds.d[d]->name;
		rp.done = d;
		bool ran = sim_run(sc, &plan, &runs[d], err, sizeof(err));
		/* Each design's last line stays: its report may follow on stdout. */
		rp.done = d + 1;
		if (ran)
			show_design(&rp, runs[d].points);
		cli_progress_end(&rp.p);
		if (!ran) {
			fprintf(stderr, "slabsim %s: %s: cannot set up design %s: %s\n", command,
				sc->path, o->ds.d[d]->name, err);
			for (unsigned k = 0; k <= d; k++)
				sim_run_report_free(&runs[k]);
			g_free(runs);
			return CLI_EXIT_USAGE;
		}
		judge_run(command, sc, &runs[d], o->check_expected, &rc);
		if (!compare)
			sim_report_run(stdout, o->fmt, sc, &runs[d], d == 0, d + 1 == o->ds.n);
	}
	if (compare)
		sim_report_compare(stdout, o->fmt, sc, runs, o->ds.n);
	if (o->plot_path && !plot(command, sc, &o->ds, runs, o->plot_path, o->plot_tables))
		rc = CLI_EXIT_USAGE;
	if (o->trace_path &&
	    !cli_write_trace(command, o->trace_path, o->trace_window, runs, o->ds.n))
		rc = CLI_EXIT_USAGE;
	for (unsigned d = 0; d < o->ds.n; d++) {
		if (runs[d].violation && o->fmt != SIM_FORMAT_TEXT)
			sim_report_repro(stderr, sc, &runs[d]);
		sim_run_report_free(&runs[d]);
	}
	g_free(runs);
	return rc;
}

static int run_or_compare(const char *command, bool compare, int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct sim_scenario sc;
	char err[512];
	int rc = CLI_EXIT_USAGE;
	if (!parse_options(command, &o, &argc, &argv) || !check_options(command, &o, argc))
		goto out;
	if (!sim_scenario_load(argv[1], &sc, err, sizeof(err))) {
		fprintf(stderr, "slabsim %s: %s\n", command, err);
		goto out;
	}
	uint64_t seed = sc.seed;
	if (cli_seed_option(command, o.seed_text, &seed) &&
	    cli_designs_option(command, o.designs, &sc, &o.ds))
		rc = run_designs(command, compare, &sc, seed, &o);
	sim_scenario_free(&sc);
out:
	opts_free(&o);
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
