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

int cli_calibrate(int argc, char **argv)
{
	g_autofree char *scenario = NULL, *design_name = NULL, *profile = NULL, *out = NULL;
	g_autofree char *column = NULL, *name = NULL, *plot_path = NULL;
	g_auto(GStrv) measured = NULL;
	int passes = 3;
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	GOptionEntry entries[] = {
		{ "scenario", 's', 0, G_OPTION_ARG_FILENAME, &scenario,
		  "the scenario whose slab_test task the table measures (required)", "FILE" },
		{ "design", 'd', 0, G_OPTION_ARG_STRING, &design_name,
		  "the design the table measures (required)", "D" },
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
		  "start from this profile instead of the scenario's (its [ranges] say what may "
		  "move)",
		  "P" },
		{ "column", 'c', 0, G_OPTION_ARG_STRING, &column,
		  "the table's column of cycles (default: cycles)", "NAME" },
		{ "measured", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &measured,
		  "another design's measured rows to predict: DESIGN or DESIGN=COLUMN (repeatable; "
		  "default: every design of the scenario with rows in the table)",
		  "D[=COL]" },
		{ "passes", 0, 0, G_OPTION_ARG_INT, &passes,
		  "coordinate-descent passes at most (default 3)", "N" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
		  "processes evaluating fits at once (default: this machine's CPUs); the result "
		  "does not depend on it",
		  "N" },
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "write the fitted profile here",
		  "FILE" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot_path,
		  "write an SVG figure: the fitted prediction and the measured rows of every "
		  "design",
		  "FILE.svg" },
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name,
		  "the fitted profile's name (default: the profile's with -fitted)", "NAME" },
		{ NULL },
	};
	if (!cli_parse("calibrate", "TABLE.csv", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "slabsim calibrate: expected one TABLE.csv, got %d arguments\n",
			argc - 1);
		return CLI_EXIT_USAGE;
	}
	if (!scenario || !design_name) {
		fprintf(stderr, "slabsim calibrate: --scenario FILE and --design D are required\n");
		return CLI_EXIT_USAGE;
	}
	if (passes < 1 || passes > 100) {
		fprintf(stderr, "slabsim calibrate: --passes must be 1 .. 100, not %d\n", passes);
		return CLI_EXIT_USAGE;
	}
	if (jobs < 1 || jobs > CAL_JOBS_MAX) {
		fprintf(stderr, "slabsim calibrate: --jobs must be 1 .. %d, not %d\n", CAL_JOBS_MAX,
			jobs);
		return CLI_EXIT_USAGE;
	}
	const char *col = column ? column : "cycles";
	const struct slab_design *d = slab_design_find(design_name);
	if (!d) {
		fprintf(stderr,
			"slabsim calibrate: --design: unknown design '%s' (slabsim designs)\n",
			design_name);
		return CLI_EXIT_USAGE;
	}
	char err[1024];
	struct sim_scenario sc;
	if (!sim_scenario_load(scenario, &sc, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	int rc = CLI_EXIT_USAGE;
	struct cal_table t = { 0 };
	struct cal_fit fit = { 0 };
	double *pred = NULL;
	GArray *plot = NULL; /* the figure's series, with --plot */
	if (profile) {
		struct sim_cost_profile p;
		if (!sim_cost_profile_load(profile, &p, err, sizeof(err))) {
			fprintf(stderr, "slabsim calibrate: --profile: %s\n", err);
			goto out;
		}
		/* The scenario's own [costs] overrides still hold, and stay fixed. */
		for (int k = 0; k < SIM_COST_COUNT; k++)
			if (sc.profile.overridden[k]) {
				p.cost[k] = sc.profile.cost[k];
				p.overridden[k] = true;
			}
		sim_cost_profile_free(&sc.profile);
		sc.profile = p;
	}
	if (!cal_table_load(argv[1], col, d->name, &t, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		goto out;
	}
	pred = g_new(double, t.n);
	if (!cal_predict(&sc, d, sc.profile.cost, &t, pred, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		goto out;
	}
	unsigned matched = 0;
	for (unsigned i = 0; i < t.n; i++)
		matched += !isnan(pred[i]);
	if (!matched) {
		fprintf(stderr,
			"slabsim calibrate: %s: no task of the scenario reports the table's "
			"rows; expected a slab_test task\n",
			sc.path);
		goto out;
	}
	double start_mean, start_median;
	cal_errors(&t, pred, &start_mean, &start_median);

	if (!cal_fit(&sc, d, &t, (unsigned)passes, (unsigned)jobs, &fit, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		goto out;
	}
	struct cal_interval iv[SIM_COST_COUNT];
	struct cal_tradeoff tr[SIM_COST_COUNT * SIM_COST_COUNT / 2];
	unsigned nr_tr = 0;
	if (!cal_identify(&sc, d, &t, &fit, iv, tr, &nr_tr, err, sizeof(err))) {
		fprintf(stderr, "slabsim calibrate: %s\n", err);
		goto out;
	}
	cal_predict(&sc, d, fit.best.cost, &t, pred, err, sizeof(err));
	double mean, median;
	cal_errors(&t, pred, &mean, &median);

	const struct sim_cost_profile *p = &sc.profile;
	printf(
	    "slabsim calibrate %s (sha256 %.16s): design %s, scenario %s, profile %s (%s model)\n",
	    t.path, t.sha256, d->name, sc.name, p->name,
	    p->cost[SIM_COST_timing_window] > 1 ? "overlap" : "additive");
	printf("%u rows (%u predicted), %u values fitted inside their ranges, %u evaluations\n",
	       t.n, matched, fit.nr_free, fit.evaluations);
	printf("\nfitted values (equally good: within %.1f points of the best mean error, the "
	       "others at the fit):\n",
	       CAL_TOLERANCE_POINTS);
	for (unsigned i = 0; i < fit.nr_free; i++) {
		enum sim_cost_key k = fit.free_keys[i];
		printf("  %-24s %6u   range %u..%u, was %u; equally good %u..%u%s\n",
		       sim_cost_key_name(k), fit.best.cost[k], p->min[k], p->max[k], p->cost[k],
		       iv[i].lo, iv[i].hi,
		       iv[i].hi - iv[i].lo >= (p->max[k] - p->min[k]) / 2 ? " (not determined)"
									  : "");
	}
	printf("\nwhat the table cannot tell apart:\n");
	if (!nr_tr)
		printf("  no pair of values trades off within tolerance\n");
	for (unsigned i = 0; i < nr_tr; i++)
		printf("  %s and %s: moving %u cycles between them fits as well; only their sum is "
		       "fixed\n",
		       sim_cost_key_name(tr[i].a), sim_cost_key_name(tr[i].b), tr[i].delta);

	printf("\n%s, fitted:\n", d->name);
	print_rows(&t, pred);
	plot = plot_path ? g_array_new(FALSE, TRUE, sizeof(struct plot_series)) : NULL;
	char series_name[64];
	snprintf(series_name, sizeof(series_name), "%s fitted", d->name);
	add_series(plot, series_name, false, &t, pred);
	snprintf(series_name, sizeof(series_name), "%s %s", d->name, col);
	add_series(plot, series_name, true, &t, NULL);
	printf("%s: mean error %.1f%%, median %.1f%% (the profile as given: %.1f%%, %.1f%%)\n",
	       d->name, 100 * mean, 100 * median, 100 * start_mean, 100 * start_median);

	/* Every other design of the scenario: its delta across equally good fits. */
	const struct cal_point *fits[EQUAL_FITS_MAX];
	unsigned nr_fits = cal_equally_good(&fit, fits, EQUAL_FITS_MAX);
	printf("\nother designs: delta against %s in cycles per op, mean over the rows, at the "
	       "best fit and across %u equally good fits:\n",
	       d->name, nr_fits);
	double *base = g_new(double, t.n), *other = g_new(double, t.n);
	for (unsigned od = 0; od < sc.nr_designs; od++) {
		const struct slab_design *o = sc.designs[od];
		if (o == d)
			continue;
		double lo = INFINITY, hi = -INFINITY, at_best = 0;
		for (unsigned f = 0; f < nr_fits; f++) {
			if (!cal_predict(&sc, d, fits[f]->cost, &t, base, err, sizeof(err)) ||
			    !cal_predict(&sc, o, fits[f]->cost, &t, other, err, sizeof(err))) {
				fprintf(stderr, "slabsim calibrate: %s\n", err);
				g_free(base);
				g_free(other);
				goto out;
			}
			double sum = 0;
			unsigned n = 0;
			for (unsigned i = 0; i < t.n; i++)
				if (!isnan(base[i]) && !isnan(other[i])) {
					sum += other[i] - base[i];
					n++;
				}
			double delta = n ? sum / n : 0;
			if (f == 0)
				at_best = delta;
			lo = fmin(lo, delta);
			hi = fmax(hi, delta);
		}
		printf("  %-20s %+7.1f  (from %+.1f to %+.1f)\n", o->name, at_best, lo, hi);
	}
	g_free(base);
	g_free(other);

	/* Measured other designs: from --measured, or every one the table has. */
	unsigned nr_measured = 0;
	for (unsigned od = 0; od < sc.nr_designs && !measured; od++) {
		const struct slab_design *o = sc.designs[od];
		struct cal_table m;
		if (o == d || !cal_table_load(argv[1], col, o->name, &m, err, sizeof(err)))
			continue;
		/* A table without a design column gives every design the same rows. */
		bool same = m.n == t.n;
		for (unsigned i = 0; same && i < t.n; i++)
			same = m.rows[i].measured == t.rows[i].measured;
		if (!same) {
			report_measured(&sc, o, col, &t, pred, &m, fit.best.cost, plot);
			nr_measured++;
		}
		cal_table_free(&m);
	}
	for (unsigned i = 0; measured && measured[i]; i++) {
		char *mdesign, *mcol;
		bool good = parse_measured(measured[i], col, &mdesign, &mcol);
		const struct slab_design *o = good ? slab_design_find(mdesign) : NULL;
		struct cal_table m;
		if (!o) {
			fprintf(stderr,
				"slabsim calibrate: --measured: expected DESIGN or DESIGN=COLUMN "
				"with a known design, got '%s'\n",
				measured[i]);
		} else if (!cal_table_load(argv[1], mcol, o->name, &m, err, sizeof(err))) {
			fprintf(stderr, "slabsim calibrate: --measured %s: %s\n", measured[i], err);
		} else {
			good = report_measured(&sc, o, mcol, &t, pred, &m, fit.best.cost, plot);
			cal_table_free(&m);
			nr_measured++;
			o = good ? o : NULL;
		}
		g_free(mdesign);
		g_free(mcol);
		if (!o)
			goto out;
	}
	(void)nr_measured;
	if (plot) {
		char title[256];
		snprintf(title, sizeof(title), "%s: %s fitted to %s (mean error %.1f%%)", sc.name,
			 p->name, t.path, 100 * mean);
		if (!plot_write_svg(plot_path, title,
				    (const struct plot_series *)(void *)plot->data, plot->len, err,
				    sizeof(err))) {
			fprintf(stderr, "slabsim calibrate: --plot: %s\n", err);
			goto out;
		}
		printf("\nfigure: %s\n", plot_path);
	}

	if (out) {
		g_autofree char *fitted_name =
		    name ? g_strdup(name) : g_strdup_printf("%s-fitted", p->name);
		if (strlen(fitted_name) >= sizeof(p->name)) {
			fprintf(stderr,
				"slabsim calibrate: --name: expected at most %zu characters\n",
				sizeof(p->name) - 1);
			goto out;
		}
		if (!cal_write_profile(out, p, &fit, &t, d->name, sc.name, fitted_name, 100 * mean,
				       100 * median, err, sizeof(err))) {
			fprintf(stderr, "slabsim calibrate: --out: %s\n", err);
			goto out;
		}
		printf("\nfitted profile: %s\n", out);
	}
	rc = CLI_EXIT_OK;
out:
	if (plot)
		g_array_free(plot, TRUE);
	g_free(pred);
	cal_fit_free(&fit);
	cal_table_free(&t);
	sim_scenario_free(&sc);
	return rc;
}
