/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_calibrate.c - "slabsim calibrate TABLE.csv --scenario FILE --design D":
 * fit a profile's ranged values to a measured slab_test table for one
 * design, report the error per row, what the table cannot determine, the
 * other designs' predicted deltas across equally good fits, and (where the
 * table or --measured has them) the other designs' measured rows against
 * their prediction.  --out writes the fitted profile.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calibrate.h"
#include "cli.h"
#include "plot.h"
#include "progress.h"

#define EQUAL_FITS_MAX 9
#define MEASURED_MAX 16

static void print_rows(const struct cal_table *t, const double *pred)
{
	printf("  %-28s %10s %10s %8s\n", "row", "measured", "predicted", "error");
	for (unsigned i = 0; i < t->n; i++) {
		if (isnan(pred[i]))
			printf("  %-28s %10.1f %10s %8s\n", t->rows[i].metric, t->rows[i].measured,
			       "-", "-");
		else
			printf("  %-28s %10.1f %10.1f %+7.1f%%\n", t->rows[i].metric,
			       t->rows[i].measured, pred[i],
			       100 * (pred[i] - t->rows[i].measured) / t->rows[i].measured);
	}
}

/* The row of t with the same key as row, or -1. */
static int find_row(const struct cal_table *t, const char *key)
{
	for (unsigned i = 0; i < t->n; i++)
		if (!strcmp(t->rows[i].key, key))
			return (int)i;
	return -1;
}

/* A table's rows (measured) or their prediction, as one series of the figure. */
static void add_series(GArray *plot, const char *name, bool measured, const struct cal_table *t,
		       const double *pred)
{
	if (!plot)
		return;
	struct plot_series s;
	plot_series_init(&s, name, measured);
	for (unsigned i = 0; i < t->n; i++)
		plot_series_set(&s, t->rows[i].metric, measured ? t->rows[i].measured : pred[i]);
	g_array_append_val(plot, s);
}

/* A measured other design: its rows against its prediction, and the deltas' signs. */
static bool report_measured(const struct sim_scenario *sc, const struct slab_design *d,
			    const char *column, const struct cal_table *base,
			    const double *base_pred, const struct cal_table *m,
			    const uint32_t *cost, GArray *plot)
{
	char err[512];
	double *pred = g_new(double, m->n);
	if (!cal_predict(sc, d, cost, m, pred, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		g_free(pred);
		return false;
	}
	double mean, median;
	cal_errors(m, pred, &mean, &median);
	printf("\n%s, measured in column %s, predicted with the fitted values:\n", d->name, column);
	print_rows(m, pred);
	char name[64];
	snprintf(name, sizeof(name), "%s predicted", d->name);
	add_series(plot, name, false, m, pred);
	snprintf(name, sizeof(name), "%s %s", d->name, column);
	add_series(plot, name, true, m, NULL);
	/* Test 2 from 256 bytes up: the rows the seed's gain is in. */
	double big_max = 0;
	unsigned big = 0;
	for (unsigned i = 0; i < m->n; i++)
		if (!isnan(pred[i]) && !strncmp(m->rows[i].metric, "test2", 5) &&
		    strtoul(strchr(m->rows[i].metric, '(') + 1, NULL, 10) >= 256 &&
		    strtoul(strchr(m->rows[i].metric, '(') + 1, NULL, 10) < 16384) {
			big_max = fmax(big_max,
				       fabs(pred[i] - m->rows[i].measured) / m->rows[i].measured);
			big++;
		}
	/* Signs of the deltas against the calibrated design, where measured beyond noise. */
	unsigned beyond = 0, right = 0;
	for (unsigned i = 0; i < m->n; i++) {
		int j = find_row(base, m->rows[i].key);
		if (j < 0 || isnan(pred[i]) || isnan(base_pred[j]))
			continue;
		double measured = m->rows[i].measured - base->rows[j].measured;
		double noise = m->rows[i].noise + base->rows[j].noise;
		if (fabs(measured) <= noise)
			continue;
		beyond++;
		double predicted = pred[i] - base_pred[j];
		right += (measured > 0) == (predicted > 0) && predicted != 0;
	}
	printf("%s: mean error %.1f%%, median %.1f%% over %u rows", d->name, 100 * mean,
	       100 * median, m->n);
	if (big)
		printf("; test 2 from 256 to 8192 bytes: worst %.1f%% over %u rows", 100 * big_max,
		       big);
	printf("\n%s: delta against the calibrated design has the measured sign in %u of %u rows "
	       "where the measured delta exceeds the noise\n",
	       d->name, right, beyond);
	g_free(pred);
	return true;
}

/* "DESIGN" or "DESIGN=COLUMN". */
static bool parse_measured(const char *arg, const char *default_column, char **design,
			   char **column)
{
	const char *eq = strchr(arg, '=');
	*design = eq ? g_strndup(arg, (gsize)(eq - arg)) : g_strdup(arg);
	*column = g_strdup(eq ? eq + 1 : default_column);
	return **design && **column;
}

/* What "slabsim calibrate" was asked: its options, freed by opts_free. */
struct calibrate_opts {
	char *scenario, *design_name, *profile, *out, *column, *name, *plot_path;
	char **measured;
	int passes, jobs;
	gboolean progress, quiet;
};

static void opts_free(struct calibrate_opts *o)
{
	g_free(o->scenario);
	g_free(o->design_name);
	g_free(o->profile);
	g_free(o->out);
	g_free(o->column);
	g_free(o->name);
	g_free(o->plot_path);
	g_strfreev(o->measured);
}

/* The fit of one table: what it was fitted to, the fit, and what it left undetermined. */
struct calibration {
	struct sim_scenario sc;
	const struct slab_design *d;
	const char *table, *col;
	struct cal_table t;
	struct cal_fit fit;
	double *pred; /* the table's rows at the best fit */
	GArray *plot; /* the figure's series, with --plot */
	unsigned matched;
	double start_mean, start_median, mean, median;
	struct cal_interval iv[SIM_COST_COUNT];
	struct cal_tradeoff tr[SIM_COST_COUNT * SIM_COST_COUNT / 2];
	unsigned nr_tr;
	struct cli_progress progress;
};

/* Options into o, positional arguments left in argv; false after printing why. */
static bool parse_options(struct calibrate_opts *o, int *argc, char ***argv)
{
	GOptionEntry entries[] = {
		{ "scenario", 's', 0, G_OPTION_ARG_FILENAME, &o->scenario,
		  "the scenario whose slab_test task the table measures (required)", "FILE" },
		{ "design", 'd', 0, G_OPTION_ARG_STRING, &o->design_name,
		  "the design the table measures (required)", "D" },
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &o->profile,
		  "start from this profile instead of the scenario's (its [ranges] say what may "
		  "move)",
		  "P" },
		{ "column", 'c', 0, G_OPTION_ARG_STRING, &o->column,
		  "the table's column of cycles (default: cycles)", "NAME" },
		{ "measured", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &o->measured,
		  "another design's measured rows to predict: DESIGN or DESIGN=COLUMN (repeatable; "
		  "default: every design of the scenario with rows in the table)",
		  "D[=COL]" },
		{ "passes", 0, 0, G_OPTION_ARG_INT, &o->passes,
		  "coordinate-descent passes at most (default 3)", "N" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
		  "processes evaluating fits at once (default: this machine's CPUs); the result "
		  "does not depend on it",
		  "N" },
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out, "write the fitted profile here",
		  "FILE" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &o->plot_path,
		  "write an SVG figure: the fitted prediction and the measured rows of every "
		  "design",
		  "FILE.svg" },
		{ "name", 0, 0, G_OPTION_ARG_STRING, &o->name,
		  "the fitted profile's name (default: the profile's with -fitted)", "NAME" },
		{ "progress", 0, 0, G_OPTION_ARG_NONE, &o->progress,
		  "show progress on stderr (the default when stderr is a terminal)", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "no progress on stderr", NULL },
		{ NULL },
	};
	return cli_parse("calibrate", "TABLE.csv", entries, argc, argv);
}

/* The arguments and option values that need no file read; false after printing why. */
static bool check_options(const struct calibrate_opts *o, int argc)
{
	if (argc != 2) {
		fprintf(stderr, "slabsim calibrate: expected one TABLE.csv, got %d arguments\n",
			argc - 1);
		return false;
	}
	if (!o->scenario || !o->design_name) {
		fprintf(stderr, "slabsim calibrate: --scenario FILE and --design D are required\n");
		return false;
	}
	if (o->passes < 1 || o->passes > 100) {
		fprintf(stderr, "slabsim calibrate: --passes must be 1 .. 100, not %d\n",
			o->passes);
		return false;
	}
	if (o->jobs < 1 || o->jobs > CAL_JOBS_MAX) {
		fprintf(stderr, "slabsim calibrate: --jobs must be 1 .. %d, not %d\n", CAL_JOBS_MAX,
			o->jobs);
		return false;
	}
	return true;
}

/* --profile in place of the scenario's, under the scenario's own [costs] overrides. */
static bool use_profile(struct sim_scenario *sc, const char *profile)
{
	char err[1024];
	struct sim_cost_profile p;
	if (!sim_cost_profile_load(profile, &p, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: --profile: %s\n", err);
		return false;
	}
	/* The scenario's own [costs] overrides still hold, and stay fixed. */
	for (int k = 0; k < SIM_COST_COUNT; k++)
		if (sc->profile.overridden[k]) {
			p.cost[k] = sc->profile.cost[k];
			p.overridden[k] = true;
		}
	sim_cost_profile_free(&sc->profile);
	sc->profile = p;
	return true;
}

/* Progress of a fit: the values fitted (the most there can be), the evaluations, the best error. */
static void show_fit(void *arg, const char *phase, unsigned done, unsigned total,
		     unsigned evaluations, double best_error)
{
	struct cli_progress *p = arg;
	if (!cli_progress_due(p) && done < total)
		return;
	char extra[96];
	snprintf(extra, sizeof(extra), "%u evaluations, best mean error %.1f%%", evaluations,
		 best_error);
	cli_progress_show(p, phase, done, total, "values", -1, extra);
}

/* Load the table, fit c->d's values to it and find what it leaves undetermined. */
static bool fit_table(struct calibration *c, const struct calibrate_opts *o)
{
	char err[1024];
	if (!cal_table_load(c->table, c->col, c->d->name, &c->t, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		return false;
	}
	c->pred = g_new(double, c->t.n);
	if (!cal_predict(&c->sc, c->d, c->sc.profile.cost, &c->t, c->pred, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		return false;
	}
	for (unsigned i = 0; i < c->t.n; i++)
		c->matched += !isnan(c->pred[i]);
	if (!c->matched) {
		fprintf(stderr,
			"slabsim calibrate: %s: no task of the scenario reports the table's "
			"rows; expected a slab_test task\n",
			c->sc.path);
		return false;
	}
	cal_errors(&c->t, c->pred, &c->start_mean, &c->start_median);

	if (c->progress.on)
		cal_watch(show_fit, &c->progress);
	bool ok =
	    cal_fit(&c->sc, c->d, &c->t, (unsigned)o->passes, (unsigned)o->jobs, &c->fit, err,
		    sizeof(err)) &&
	    cal_identify(&c->sc, c->d, &c->t, &c->fit, c->iv, c->tr, &c->nr_tr, err, sizeof(err));
	cal_watch(NULL, NULL);
	cli_progress_end(&c->progress);
	if (!ok) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		return false;
	}
	cal_predict(&c->sc, c->d, c->fit.best.cost, &c->t, c->pred, err, sizeof(err));
	cal_errors(&c->t, c->pred, &c->mean, &c->median);
	return true;
}

/* The header, the fitted values with their equally good ranges, and the trade-offs. */
static void print_fit(const struct calibration *c)
{
	const struct sim_cost_profile *p = &c->sc.profile;
	const struct cal_fit *fit = &c->fit;
	printf(
	    "slabsim calibrate %s (sha256 %.16s): design %s, scenario %s, profile %s (%s model)\n",
	    c->t.path, c->t.sha256, c->d->name, c->sc.name, p->name,
	    p->cost[SIM_COST_timing_window] > 1 ? "overlap" : "additive");
	printf("%u rows (%u predicted), %u values fitted inside their ranges, %u evaluations\n",
	       c->t.n, c->matched, fit->nr_free, fit->evaluations);
	printf("\nfitted values (equally good: within %.1f points of the best mean error, the "
	       "others at the fit):\n",
	       CAL_TOLERANCE_POINTS);
	for (unsigned i = 0; i < fit->nr_free; i++) {
		enum sim_cost_key k = fit->free_keys[i];
		const struct cal_interval *iv = &c->iv[i];
		printf("  %-24s %6u   range %u..%u, was %u; equally good %u..%u%s\n",
		       sim_cost_key_name(k), fit->best.cost[k], p->min[k], p->max[k], p->cost[k],
		       iv->lo, iv->hi,
		       iv->hi - iv->lo >= (p->max[k] - p->min[k]) / 2 ? " (not determined)" : "");
	}
	printf("\nwhat the table cannot tell apart:\n");
	if (!c->nr_tr)
		printf("  no pair of values trades off within tolerance\n");
	for (unsigned i = 0; i < c->nr_tr; i++)
		printf("  %s and %s: moving %u cycles between them fits as well; only their sum is "
		       "fixed\n",
		       sim_cost_key_name(c->tr[i].a), sim_cost_key_name(c->tr[i].b),
		       c->tr[i].delta);
}

/* The calibrated design's rows at the fit, as printed rows and as the figure's series. */
static void print_fitted_rows(const struct calibration *c)
{
	printf("\n%s, fitted:\n", c->d->name);
	print_rows(&c->t, c->pred);
	char series_name[64];
	snprintf(series_name, sizeof(series_name), "%s fitted", c->d->name);
	add_series(c->plot, series_name, false, &c->t, c->pred);
	snprintf(series_name, sizeof(series_name), "%s %s", c->d->name, c->col);
	add_series(c->plot, series_name, true, &c->t, NULL);
	printf("%s: mean error %.1f%%, median %.1f%% (the profile as given: %.1f%%, %.1f%%)\n",
	       c->d->name, 100 * c->mean, 100 * c->median, 100 * c->start_mean,
	       100 * c->start_median);
}

/* Mean over the rows of o's prediction less the calibrated design's, at one fit. */
static bool mean_delta(const struct calibration *c, const struct slab_design *o,
		       const struct cal_point *fit, double *base, double *other, double *delta)
{
	char err[1024];
	if (!cal_predict(&c->sc, c->d, fit->cost, &c->t, base, err, sizeof(err)) ||
	    !cal_predict(&c->sc, o, fit->cost, &c->t, other, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		return false;
	}
	double sum = 0;
	unsigned n = 0;
	for (unsigned i = 0; i < c->t.n; i++)
		if (!isnan(base[i]) && !isnan(other[i])) {
			sum += other[i] - base[i];
			n++;
		}
	*delta = n ? sum / n : 0;
	return true;
}

/* One other design's delta at the best fit and its range across the equally good fits. */
static bool print_delta_range(const struct calibration *c, const struct slab_design *o,
			      const struct cal_point *const *fits, unsigned nr_fits, double *base,
			      double *other)
{
	double lo = INFINITY, hi = -INFINITY, at_best = 0;
	for (unsigned f = 0; f < nr_fits; f++) {
		double delta;
		if (!mean_delta(c, o, fits[f], base, other, &delta))
			return false;
		if (f == 0)
			at_best = delta;
		lo = fmin(lo, delta);
		hi = fmax(hi, delta);
	}
	printf("  %-20s %+7.1f  (from %+.1f to %+.1f)\n", o->name, at_best, lo, hi);
	return true;
}

/* Every other design of the scenario: its delta across equally good fits. */
static bool print_other_deltas(const struct calibration *c)
{
	const struct cal_point *fits[EQUAL_FITS_MAX];
	unsigned nr_fits = cal_equally_good(&c->fit, fits, EQUAL_FITS_MAX);
	printf("\nother designs: delta against %s in cycles per op, mean over the rows, at the "
	       "best fit and across %u equally good fits:\n",
	       c->d->name, nr_fits);
	double *base = g_new(double, c->t.n), *other = g_new(double, c->t.n);
	bool ok = true;
	for (unsigned od = 0; ok && od < c->sc.nr_designs; od++)
		if (c->sc.designs[od] != c->d)
			ok = print_delta_range(c, c->sc.designs[od], fits, nr_fits, base, other);
	g_free(base);
	g_free(other);
	return ok;
}

/* Without --measured: every other design the table has rows of its own for. */
static void report_table_designs(const struct calibration *c)
{
	char err[1024];
	for (unsigned od = 0; od < c->sc.nr_designs; od++) {
		const struct slab_design *o = c->sc.designs[od];
		struct cal_table m;
		if (o == c->d || !cal_table_load(c->table, c->col, o->name, &m, err, sizeof(err)))
			continue;
		/* A table without a design column gives every design the same rows. */
		bool same = m.n == c->t.n;
		for (unsigned i = 0; same && i < c->t.n; i++)
			same = m.rows[i].measured == c->t.rows[i].measured;
		if (!same)
			report_measured(&c->sc, o, c->col, &c->t, c->pred, &m, c->fit.best.cost,
					c->plot);
		cal_table_free(&m);
	}
}

/*
 * One --measured DESIGN[=COLUMN]: its design and its rows of the table
 * (m: free it with cal_table_free); false after printing why not.
 */
static bool load_measured(const struct calibration *c, const char *arg,
			  const struct slab_design **d, char **column, struct cal_table *m)
{
	char err[1024];
	char *mdesign;
	bool good = parse_measured(arg, c->col, &mdesign, column);
	*d = good ? slab_design_find(mdesign) : NULL;
	g_free(mdesign);
	if (!*d)
		fprintf(stderr,
			"slabsim calibrate: --measured: expected DESIGN or DESIGN=COLUMN "
			"with a known design, got '%s'\n",
			arg);
	else if (!cal_table_load(c->table, *column, (*d)->name, m, err, sizeof(err)))
		fprintf(stderr, "slabsim calibrate: --measured %s: %s\n", arg, err);
	else
		return true;
	g_free(*column);
	*column = NULL;
	return false;
}

/* Every --measured can be reported: checked before the (long) fit. */
static bool check_measured(const struct calibration *c, char **measured)
{
	for (unsigned i = 0; measured && measured[i]; i++) {
		const struct slab_design *d;
		char *column;
		struct cal_table m;
		if (!load_measured(c, measured[i], &d, &column, &m))
			return false;
		cal_table_free(&m);
		g_free(column);
	}
	return true;
}

/* One --measured against its prediction; false after printing why it cannot be reported. */
static bool report_measured_option(const struct calibration *c, const char *arg)
{
	const struct slab_design *d;
	char *column;
	struct cal_table m;
	if (!load_measured(c, arg, &d, &column, &m))
		return false;
	bool good =
	    report_measured(&c->sc, d, column, &c->t, c->pred, &m, c->fit.best.cost, c->plot);
	cal_table_free(&m);
	g_free(column);
	return good;
}

/* --plot: the figure of every series added; false after printing why it was not written. */
static bool write_plot(const struct calibration *c, const char *plot_path)
{
	char err[1024];
	char title[256];
	snprintf(title, sizeof(title), "%s: %s fitted to %s (mean error %.1f%%)", c->sc.name,
		 c->sc.profile.name, c->t.path, 100 * c->mean);
	if (!plot_write_svg(plot_path, title, (const struct plot_series *)(void *)c->plot->data,
			    c->plot->len, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: --plot: %s\n", err);
		return false;
	}
	printf("\nfigure: %s\n", plot_path);
	return true;
}

/* --out: the fitted profile, named --name or after the profile it started from. */
static bool write_fitted(const struct calibration *c, const char *out, const char *name)
{
	char err[1024];
	const struct sim_cost_profile *p = &c->sc.profile;
	g_autofree char *fitted_name =
	    name ? g_strdup(name) : g_strdup_printf("%s-fitted", p->name);
	if (strlen(fitted_name) >= sizeof(p->name)) {
		fprintf(stderr, "slabsim calibrate: --name: expected at most %zu characters\n",
			sizeof(p->name) - 1);
		return false;
	}
	if (!cal_write_profile(out, p, &c->fit, &c->t, c->d->name, c->sc.name, fitted_name,
			       100 * c->mean, 100 * c->median, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: --out: %s\n", err);
		return false;
	}
	printf("\nfitted profile: %s\n", out);
	return true;
}

/* Everything after the scenario is loaded; false after printing why it stopped. */
static bool calibrate(struct calibration *c, const struct calibrate_opts *o)
{
	if (o->profile && !use_profile(&c->sc, o->profile))
		return false;
	if (!check_measured(c, o->measured) || !fit_table(c, o))
		return false;
	print_fit(c);
	c->plot = o->plot_path ? g_array_new(FALSE, TRUE, sizeof(struct plot_series)) : NULL;
	print_fitted_rows(c);
	if (!print_other_deltas(c))
		return false;
	/* Measured other designs: from --measured, or every one the table has. */
	if (!o->measured)
		report_table_designs(c);
	for (unsigned i = 0; o->measured && o->measured[i]; i++)
		if (!report_measured_option(c, o->measured[i]))
			return false;
	if (c->plot && !write_plot(c, o->plot_path))
		return false;
	return !o->out || write_fitted(c, o->out, o->name);
}

/* Calibrate the table at path as the options say; the exit code. */
static int calibrate_table(const struct calibrate_opts *o, const char *path)
{
	struct calibration c = { .table = path, .col = o->column ? o->column : "cycles" };
	if (!cli_progress_init(&c.progress, "calibrate", o->progress, o->quiet))
		return CLI_EXIT_USAGE;
	c.d = slab_design_find(o->design_name);
	if (!c.d) {
		fprintf(stderr,
			"slabsim calibrate: --design: unknown design '%s' (slabsim designs)\n",
			o->design_name);
		return CLI_EXIT_USAGE;
	}
	char err[1024];
	if (!sim_scenario_load(o->scenario, &c.sc, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	int rc = calibrate(&c, o) ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	if (c.plot)
		g_array_free(c.plot, TRUE);
	g_free(c.pred);
	cal_fit_free(&c.fit);
	cal_table_free(&c.t);
	sim_scenario_free(&c.sc);
	return rc;
}

int cli_calibrate(int argc, char **argv)
{
	struct calibrate_opts o = { .passes = 3, .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN) };
	int rc = CLI_EXIT_USAGE;
	if (parse_options(&o, &argc, &argv) && check_options(&o, argc))
		rc = calibrate_table(&o, argv[1]);
	opts_free(&o);
	return rc;
}
