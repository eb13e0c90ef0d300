/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * calibrate.h - fitting a cost profile to a measured slab_test table.
 *
 * A table is a CSV file with a header and at least the columns test, size,
 * op and a cycles column (the seed's scenarios/tables/seed-2014-slab_test.csv,
 * `slabsim native --format csv`); other columns are ignored, except design
 * (rows of one design are taken) and noise (the measurement's noise per
 * row, used to judge the sign of a delta).  test is repeat_alloc_then_free
 * or alloc_free_pair; op is kmalloc, kfree or kmalloc+kfree.
 *
 * The fit changes only the profile values that have a documented range
 * with MIN < MAX ([ranges]), only inside it, and the same values for every
 * design: a design's prediction then comes from its code paths alone.
 */
#ifndef SIM_CALIBRATE_H
#define SIM_CALIBRATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cost_profile.h"
#include "scenario.h"

struct cal_row {
	char metric[48]; /* the slab_test workload's name for it: "test1 kmalloc(8)" */
	char key[48];	 /* test,size,op as in the table */
	double measured; /* cycles per operation */
	double noise;	 /* 0 when the table has no noise column */
};

struct cal_table {
	char *path;
	bool has_design; /* the table has a design column */
	char sha256[65];
	struct cal_row *rows;
	unsigned n;
};

/*
 * Read the rows of design (all rows when design is NULL or the table has no
 * design column) with cycles from column.  False with a message naming the
 * file, line, column and what was expected.
 */
bool cal_table_load(const char *path, const char *column, const char *design, struct cal_table *out,
		    char *err, unsigned err_len);
void cal_table_free(struct cal_table *t);

/*
 * Predict every row for design d with costs cost[] (the scenario's other
 * settings as they are): cycles per operation into pred[] (NAN where the
 * scenario's workloads report no such metric).
 */
bool cal_predict(const struct sim_scenario *sc, const struct slab_design *d, const uint32_t *cost,
		 const struct cal_table *t, double *pred, char *err, unsigned err_len);

/* Mean and median of |pred - measured| / measured over rows with a prediction. */
void cal_errors(const struct cal_table *t, const double *pred, double *mean, double *median);

/* One evaluated set of the free values. */
struct cal_point {
	uint32_t cost[SIM_COST_COUNT];
	double mean_error;
};

#define CAL_JOBS_MAX 64

struct cal_fit {
	unsigned jobs; /* processes evaluating at once (set before cal_fit) */
	unsigned nr_free;
	enum sim_cost_key free_keys[SIM_COST_COUNT];
	struct cal_point best;
	struct cal_point *tried; /* every evaluation, in order */
	unsigned nr_tried;
	unsigned evaluations;
};

/*
 * Fit the free values of sc->profile (ranged, not overridden by the
 * scenario) to t for design d by coordinate descent over each value's
 * range.  False with a message if nothing can be fitted or a run fails.
 */
bool cal_fit(const struct sim_scenario *sc, const struct slab_design *d, const struct cal_table *t,
	     unsigned passes, unsigned jobs, struct cal_fit *out, char *err, unsigned err_len);
void cal_fit_free(struct cal_fit *f);

/*
 * Watch the fits that follow (NULL: stop): fn is called after each value
 * is fitted or identified, with the phase ("fit", "identify"), the values
 * done and the most there can be (the fit may converge sooner), the
 * evaluations so far and the best mean error.  It only watches.  A
 * setter, so that callers that do not watch are unchanged.
 */
typedef void (*cal_watch_fn)(void *arg, const char *phase, unsigned done, unsigned total,
			     unsigned evaluations, double best_error);
void cal_watch(cal_watch_fn fn, void *arg);

/* Fits within tol percentage points of the best count as equally good. */
#define CAL_TOLERANCE_POINTS 0.5

/*
 * What the table cannot determine.  For each free key, the interval of its
 * values (others at the best fit) that fit equally well; for each pair of
 * free keys, whether moving cycles from one to the other fits equally well.
 */
struct cal_interval {
	enum sim_cost_key key;
	uint32_t lo, hi; /* equally good values, others at the best fit */
};
struct cal_tradeoff {
	enum sim_cost_key a, b;
	uint32_t delta; /* cycles moved from b to a (and back) within tolerance */
};
bool cal_identify(const struct sim_scenario *sc, const struct slab_design *d,
		  const struct cal_table *t, struct cal_fit *fit, struct cal_interval *iv,
		  struct cal_tradeoff *tr, unsigned *nr_tr, char *err, unsigned err_len);

/*
 * Up to max of the fits tried that are equally good (the best first, then
 * those at the extremes of each free value).  Returns how many.
 */
unsigned cal_equally_good(const struct cal_fit *fit, const struct cal_point **out, unsigned max);

/* Write the fitted profile: fitted values, their ranges, sources annotated. */
bool cal_write_profile(const char *path, const struct sim_cost_profile *base,
		       const struct cal_fit *fit, const struct cal_table *t, const char *design,
		       const char *scenario_name, const char *name, double mean, double median,
		       char *err, unsigned err_len);

#endif /* SIM_CALIBRATE_H */
