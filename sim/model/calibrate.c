/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * calibrate.c - reading a measured table, predicting it, fitting a profile
 * to it inside the documented ranges, and saying what the fit cannot
 * determine (calibrate.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "calibrate.h"
#include "engine.h"
#include "keyfile.h"

/* ---------------------------------------------------------------------- */
/* The table                                                               */

static int column_of(gchar **header, const char *name)
{
	for (int i = 0; header[i]; i++)
		if (!strcmp(g_strstrip(header[i]), name))
			return i;
	return -1;
}

static bool parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = g_ascii_strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* "test1 kmalloc(8)" for (repeat_alloc_then_free, 8, kmalloc); NULL if no such row. */
static bool metric_name(const char *test, const char *op, unsigned long size, char *out, size_t len)
{
	if (!strcmp(test, "repeat_alloc_then_free") &&
	    (!strcmp(op, "kmalloc") || !strcmp(op, "kfree")))
		snprintf(out, len, "test1 %s(%lu)", op, size);
	else if (!strcmp(test, "alloc_free_pair") && !strcmp(op, "kmalloc+kfree"))
		snprintf(out, len, "test2 kmalloc+kfree(%lu)", size);
	else
		return false;
	return true;
}

/* Where the table's header has each column; -1 where it lacks an optional one. */
struct cal_columns {
	int test, size, op, cycles, design, noise;
	int need; /* the last of the columns every row needs */
};

/* The header's columns into c; false with a message if it lacks one that is needed. */
static bool find_columns(gchar **header, const char *path, const char *column,
			 struct cal_columns *c, char *err, unsigned err_len)
{
	if (!header || !header[0]) {
		snprintf(err, err_len, "%s:1: empty; expected a header with test,size,op,%s", path,
			 column);
		return false;
	}
	c->test = column_of(header, "test");
	c->size = column_of(header, "size");
	c->op = column_of(header, "op");
	c->cycles = column_of(header, column);
	c->design = column_of(header, "design");
	c->noise = column_of(header, "noise");
	const char *missing = c->test < 0     ? "test"
			      : c->size < 0   ? "size"
			      : c->op < 0     ? "op"
			      : c->cycles < 0 ? column
					      : NULL;
	if (missing) {
		snprintf(err, err_len,
			 "%s:1: no column '%s'; expected a header with test,size,op,%s", path,
			 missing, column);
		return false;
	}
	c->need = MAX(MAX(c->test, c->size), MAX(c->op, c->cycles));
	return true;
}

/* The fields f of line ln as a row r; false with a message naming the bad field. */
static bool parse_row(gchar **f, const struct cal_columns *c, const char *path, unsigned ln,
		      const char *column, struct cal_row *r, char *err, unsigned err_len)
{
	const char *test = g_strstrip(f[c->test]), *op = g_strstrip(f[c->op]);
	char *end;
	errno = 0;
	unsigned long size = strtoul(g_strstrip(f[c->size]), &end, 10);
	if (errno || !*f[c->size] || *end || size == 0 || size > (1ul << 22)) {
		snprintf(err, err_len, "%s:%u: column 'size': expected a size in bytes, got '%s'",
			 path, ln + 1, f[c->size]);
		return false;
	}
	if (!metric_name(test, op, size, r->metric, sizeof(r->metric))) {
		snprintf(err, err_len,
			 "%s:%u: columns 'test','op': expected repeat_alloc_then_free with "
			 "kmalloc "
			 "or kfree, or alloc_free_pair with kmalloc+kfree, got '%s','%s'",
			 path, ln + 1, test, op);
		return false;
	}
	if (!parse_double(g_strstrip(f[c->cycles]), &r->measured) || r->measured <= 0) {
		snprintf(err, err_len, "%s:%u: column '%s': expected positive cycles, got '%s'",
			 path, ln + 1, column, f[c->cycles]);
		return false;
	}
	if (c->noise >= 0 && (!parse_double(g_strstrip(f[c->noise]), &r->noise) || r->noise < 0)) {
		snprintf(err, err_len, "%s:%u: column 'noise': expected cycles >= 0, got '%s'",
			 path, ln + 1, f[c->noise]);
		return false;
	}
	snprintf(r->key, sizeof(r->key), "%s,%lu,%s", test, size, op);
	return true;
}

/* Append r to rows unless its key is there already: then false with a message. */
static bool add_row(GArray *rows, const struct cal_row *r, const char *path, unsigned ln,
		    const char *design, char *err, unsigned err_len)
{
	for (unsigned i = 0; i < rows->len; i++)
		if (!strcmp(g_array_index(rows, struct cal_row, i).key, r->key)) {
			snprintf(err, err_len, "%s:%u: row %s given twice%s%s", path, ln + 1,
				 r->key, design ? " for design " : "", design ? design : "");
			return false;
		}
	g_array_append_val(rows, *r);
	return true;
}

/* The rows of design (every row if NULL or no design column) after the header into rows. */
static bool read_rows(gchar **lines, const struct cal_columns *c, const char *path,
		      const char *column, const char *design, GArray *rows, char *err,
		      unsigned err_len)
{
	for (unsigned ln = 1; lines[ln]; ln++) {
		char *line = g_strstrip(lines[ln]);
		if (!*line || line[0] == '#')
			continue;
		gchar **f = g_strsplit(line, ",", -1);
		int nf = (int)g_strv_length(f);
		struct cal_row r = { 0 };
		bool good = true;
		if (nf <= c->need || (c->design >= 0 && nf <= c->design) ||
		    (c->noise >= 0 && nf <= c->noise)) {
			snprintf(err, err_len,
				 "%s:%u: %d fields; expected at least %d as in the header", path,
				 ln + 1, nf, MAX(c->need, MAX(c->design, c->noise)) + 1);
			good = false;
		} else if (design && c->design >= 0 && strcmp(g_strstrip(f[c->design]), design)) {
			/* Another design's row. */
		} else {
			good = parse_row(f, c, path, ln, column, &r, err, err_len) &&
			       add_row(rows, &r, path, ln, design, err, err_len);
		}
		g_strfreev(f);
		if (!good)
			return false;
	}
	return true;
}

bool cal_table_load(const char *path, const char *column, const char *design, struct cal_table *out,
		    char *err, unsigned err_len)
{
	memset(out, 0, sizeof(*out));
	char *data = NULL;
	gsize len = 0;
	if (!sim_read_text_file(path, "a CSV text file", &data, &len, err, err_len))
		return false;
	gchar **lines = g_strsplit(data, "\n", -1);
	bool ok = false;
	gchar **header = lines[0] ? g_strsplit(lines[0], ",", -1) : NULL;
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct cal_row));
	struct cal_columns c = { 0 };
	if (!find_columns(header, path, column, &c, err, err_len) ||
	    !read_rows(lines, &c, path, column, design, rows, err, err_len))
		goto out;
	if (!rows->len) {
		snprintf(err, err_len, "%s: no rows%s%s; expected slab_test rows", path,
			 design && c.design >= 0 ? " of design " : "",
			 design && c.design >= 0 ? design : "");
		goto out;
	}
	ok = true;
	out->path = g_strdup(path);
	out->has_design = c.design >= 0;
	char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
	g_strlcpy(out->sha256, sum, sizeof(out->sha256));
	g_free(sum);
	out->n = rows->len;
	out->rows = (struct cal_row *)g_array_free(rows, FALSE);
	rows = NULL;
out:
	if (rows)
		g_array_free(rows, TRUE);
	g_strfreev(header);
	g_strfreev(lines);
	g_free(data);
	return ok;
}

void cal_table_free(struct cal_table *t)
{
	g_free(t->path);
	g_free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* ---------------------------------------------------------------------- */
/* Predictions and errors                                                  */

bool cal_predict(const struct sim_scenario *sc, const struct slab_design *d, const uint32_t *cost,
		 const struct cal_table *t, double *pred, char *err, unsigned err_len)
{
	/* The scenario stays as loaded; only this run's costs differ. */
	struct sim_run_plan plan = { .design = d, .seed = sc->seed, .cost = cost };
	struct sim_run_report r;
	bool ok = sim_run(sc, &plan, &r, err, err_len);
	if (!ok)
		return false;
	for (unsigned i = 0; i < t->n; i++) {
		pred[i] = NAN;
		for (unsigned k = 0; k < r.nr_tasks; k++)
			for (unsigned m = 0; m < r.tasks[k].metrics->len; m++) {
				const struct sim_metric *x =
				    g_ptr_array_index(r.tasks[k].metrics, m);
				if (x->ops && !strcmp(x->name, t->rows[i].metric))
					pred[i] = (double)x->cycles / (double)x->ops;
			}
	}
	sim_run_report_free(&r);
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void cal_errors(const struct cal_table *t, const double *pred, double *mean, double *median)
{
	double *e = g_new(double, t->n);
	unsigned n = 0;
	double sum = 0;
	for (unsigned i = 0; i < t->n; i++) {
		if (isnan(pred[i]))
			continue;
		e[n] = fabs(pred[i] - t->rows[i].measured) / t->rows[i].measured;
		sum += e[n++];
	}
	if (!n) {
		*mean = *median = INFINITY;
	} else {
		qsort(e, n, sizeof(*e), cmp_double);
		*mean = sum / n;
		*median = n % 2 ? e[n / 2] : (e[n / 2 - 1] + e[n / 2]) / 2;
	}
	g_free(e);
}

/* ---------------------------------------------------------------------- */
/* The fit                                                                 */

struct fit_ctx {
	const struct sim_scenario *sc;
	const struct slab_design *d;
	const struct cal_table *t;
	struct cal_fit *fit;
	GHashTable *seen; /* key string of the free values -> index into tried + 1 */
	GArray *tried;
	double *pred;
	char *err;
	unsigned err_len;
	bool failed;
	unsigned jobs;
};

static char *key_of(const struct cal_fit *f, const uint32_t *cost)
{
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; i < f->nr_free; i++)
		g_string_append_printf(s, "%u,", cost[f->free_keys[i]]);
	return g_string_free(s, FALSE);
}

/* Mean error of one set of costs, in percent (INFINITY when the run fails). */
static double error_of(struct fit_ctx *c, const uint32_t *cost)
{
	double mean = INFINITY, median;
	if (cal_predict(c->sc, c->d, cost, c->t, c->pred, c->err, c->err_len))
		cal_errors(c->t, c->pred, &mean, &median);
	return 100 * mean;
}

/*
 * Errors of n sets of costs, computed by up to jobs processes (each takes
 * every jobs-th set and sends back its errors through a pipe): the same
 * numbers as one process, in less time.
 */
static void errors_of(struct fit_ctx *c, const struct cal_point *pts, unsigned n, double *out)
{
	unsigned jobs = MIN(c->jobs, n);
	if (jobs <= 1) {
		for (unsigned i = 0; i < n; i++)
			out[i] = error_of(c, pts[i].cost);
		return;
	}
	fflush(NULL);
	int fd[CAL_JOBS_MAX];
	pid_t pid[CAL_JOBS_MAX];
	for (unsigned w = 0; w < jobs; w++) {
		int p[2];
		pid[w] = -1;
		fd[w] = -1;
		if (pipe(p))
			continue;
		pid[w] = fork();
		if (pid[w] == 0) {
			close(p[0]);
			/* Not the earlier workers' pipes: their reader is the parent alone. */
			for (unsigned k = 0; k < w; k++)
				if (fd[k] >= 0)
					close(fd[k]);
			for (unsigned i = w; i < n; i += jobs) {
				double e = error_of(c, pts[i].cost);
				if (write(p[1], &e, sizeof(e)) != sizeof(e))
					_exit(1);
			}
			_exit(0);
		}
		close(p[1]);
		fd[w] = pid[w] > 0 ? p[0] : -1;
		if (pid[w] < 0)
			close(p[0]);
	}
	for (unsigned w = 0; w < jobs; w++) {
		for (unsigned i = w; i < n; i += jobs) {
			/* A worker that could not start or died: this process does its share. */
			if (fd[w] < 0 || read(fd[w], &out[i], sizeof(out[i])) != sizeof(out[i])) {
				if (fd[w] >= 0)
					close(fd[w]);
				fd[w] = -1;
				out[i] = error_of(c, pts[i].cost);
			}
		}
		if (fd[w] >= 0)
			close(fd[w]);
		if (pid[w] > 0)
			waitpid(pid[w], NULL, 0);
	}
}

/* Mean errors of n sets of costs, in percent, into pts[].mean_error; cached. */
static void evaluate_batch(struct fit_ctx *c, struct cal_point *pts, unsigned n)
{
	struct cal_point *todo = g_new(struct cal_point, n);
	double *err = g_new(double, n);
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++) {
		char *k = key_of(c->fit, pts[i].cost);
		gpointer hit = g_hash_table_lookup(c->seen, k);
		g_free(k);
		if (hit) {
			pts[i].mean_error =
			    g_array_index(c->tried, struct cal_point, GPOINTER_TO_UINT(hit) - 1)
				.mean_error;
			continue;
		}
		/* The same set twice in one batch: evaluated once. */
		bool dup = false;
		for (unsigned j = 0; j < m && !dup; j++)
			dup = !memcmp(todo[j].cost, pts[i].cost, sizeof(pts[i].cost));
		if (!dup)
			todo[m++] = pts[i];
	}
	errors_of(c, todo, m, err);
	for (unsigned j = 0; j < m; j++) {
		todo[j].mean_error = err[j];
		if (isinf(err[j]) && !c->failed) {
			/* Again here, so that the message reaches the caller. */
			c->failed = true;
			c->err[0] = '\0';
			error_of(c, todo[j].cost);
			if (!c->err[0])
				snprintf(c->err, c->err_len,
					 "%s: no row of the table was predicted", c->t->path);
		}
		g_array_append_val(c->tried, todo[j]);
		g_hash_table_insert(c->seen, key_of(c->fit, todo[j].cost),
				    GUINT_TO_POINTER(c->tried->len));
		c->fit->evaluations++;
	}
	for (unsigned i = 0; i < n; i++) {
		char *k = key_of(c->fit, pts[i].cost);
		gpointer hit = g_hash_table_lookup(c->seen, k);
		g_free(k);
		pts[i].mean_error =
		    g_array_index(c->tried, struct cal_point, GPOINTER_TO_UINT(hit) - 1).mean_error;
	}
	g_free(todo);
	g_free(err);
}

static double evaluate(struct fit_ctx *c, const uint32_t *cost)
{
	struct cal_point p;
	memcpy(p.cost, cost, sizeof(p.cost));
	evaluate_batch(c, &p, 1);
	return p.mean_error;
}

/*
 * The values tried for one key: with grid, five points across its range;
 * always steps around x of 1, 3 and a tenth of the range.
 */
static unsigned candidates(uint32_t lo, uint32_t hi, uint32_t x, bool grid, uint32_t *out)
{
	unsigned n = 0;
	const unsigned parts = 4;
	for (unsigned i = 0; grid && i <= parts; i++)
		out[n++] = lo + (uint32_t)(((uint64_t)(hi - lo) * i + parts / 2) / parts);
	int64_t tenth = MAX(4, (int64_t)(hi - lo) / 10);
	const int64_t steps[] = { -tenth, -3, -1, 1, 3, tenth };
	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int64_t v = (int64_t)x + steps[i];
		bool dup = false;
		for (unsigned j = 0; j < n && !dup; j++)
			dup = out[j] == v;
		if (v >= lo && v <= hi && !dup)
			out[n++] = (uint32_t)v;
	}
	return n;
}

static void ctx_init(struct fit_ctx *c, const struct sim_scenario *sc, const struct slab_design *d,
		     const struct cal_table *t, struct cal_fit *fit, char *err, unsigned err_len)
{
	*c = (struct fit_ctx){ sc,
			       d,
			       t,
			       fit,
			       g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
			       g_array_new(FALSE, TRUE, sizeof(struct cal_point)),
			       g_new(double, t->n),
			       err,
			       err_len,
			       false,
			       MAX(1u, fit->jobs) };
	/* Seed the cache with what was tried before (identify after fit). */
	for (unsigned i = 0; i < fit->nr_tried; i++) {
		g_array_append_val(c->tried, fit->tried[i]);
		g_hash_table_insert(c->seen, key_of(fit, fit->tried[i].cost),
				    GUINT_TO_POINTER(c->tried->len));
	}
}

static void ctx_done(struct fit_ctx *c)
{
	g_free(c->fit->tried);
	c->fit->nr_tried = c->tried->len;
	c->fit->tried = (struct cal_point *)g_array_free(c->tried, FALSE);
	g_hash_table_destroy(c->seen);
	g_free(c->pred);
}

static cal_watch_fn watch_fn;
static void *watch_arg;

void cal_watch(cal_watch_fn fn, void *arg)
{
	watch_fn = fn;
	watch_arg = arg;
}

static void watch(const char *phase, unsigned done, unsigned total, const struct cal_fit *f,
		  double best_error)
{
	if (watch_fn)
		watch_fn(watch_arg, phase, done, total, f->evaluations, best_error);
}

bool cal_fit(const struct sim_scenario *sc, const struct slab_design *d, const struct cal_table *t,
	     unsigned passes, unsigned jobs, struct cal_fit *out, char *err, unsigned err_len)
{
	const struct sim_cost_profile *p = &sc->profile;
	memset(out, 0, sizeof(*out));
	out->jobs = MIN(MAX(jobs, 1u), CAL_JOBS_MAX);
	for (int k = 0; k < SIM_COST_COUNT; k++)
		if (p->has_range[k] && p->min[k] < p->max[k] && !p->overridden[k])
			out->free_keys[out->nr_free++] = (enum sim_cost_key)k;
	if (!out->nr_free) {
		snprintf(
		    err, err_len,
		    "profile %s: no value to fit; expected [ranges] with MIN < MAX for the values "
		    "the table should set",
		    p->name);
		return false;
	}
	struct fit_ctx c;
	ctx_init(&c, sc, d, t, out, err, err_len);
	struct cal_point cur;
	memcpy(cur.cost, p->cost, sizeof(cur.cost));
	cur.mean_error = evaluate(&c, cur.cost);
	/* The first pass looks across each range; later ones step around the fit. */
	for (unsigned pass = 0; pass < passes && !c.failed; pass++) {
		double before = cur.mean_error;
		for (unsigned i = 0; i < out->nr_free && !c.failed; i++) {
			enum sim_cost_key k = out->free_keys[i];
			uint32_t cand[16];
			unsigned n = candidates(p->min[k], p->max[k], cur.cost[k], pass == 0, cand);
			struct cal_point x[16];
			for (unsigned j = 0; j < n; j++) {
				x[j] = cur;
				x[j].cost[k] = cand[j];
			}
			evaluate_batch(&c, x, n);
			/* Ties keep the earlier value: the same result every run. */
			for (unsigned j = 0; j < n; j++)
				if (x[j].mean_error < cur.mean_error - 1e-9)
					cur = x[j];
			watch("fit", pass * out->nr_free + i + 1, passes * out->nr_free, out,
			      cur.mean_error);
		}
		if (before - cur.mean_error < 0.01)
			break;
	}
	out->best = cur;
	ctx_done(&c);
	return !c.failed;
}

void cal_fit_free(struct cal_fit *f)
{
	g_free(f->tried);
	memset(f, 0, sizeof(*f));
}

/* ---------------------------------------------------------------------- */
/* What the table does not determine                                       */

bool cal_identify(const struct sim_scenario *sc, const struct slab_design *d,
		  const struct cal_table *t, struct cal_fit *fit, struct cal_interval *iv,
		  struct cal_tradeoff *tr, unsigned *nr_tr, char *err, unsigned err_len)
{
	const struct sim_cost_profile *p = &sc->profile;
	struct fit_ctx c;
	ctx_init(&c, sc, d, t, fit, err, err_len);
	double limit = fit->best.mean_error + CAL_TOLERANCE_POINTS;
	/* One value at a time across its range, the others at the best fit. */
	for (unsigned i = 0; i < fit->nr_free && !c.failed; i++) {
		enum sim_cost_key k = fit->free_keys[i];
		uint32_t cand[16];
		unsigned n = candidates(p->min[k], p->max[k], fit->best.cost[k], true, cand);
		struct cal_point x[16];
		for (unsigned j = 0; j < n; j++) {
			x[j] = fit->best;
			x[j].cost[k] = cand[j];
		}
		evaluate_batch(&c, x, n);
		iv[i] = (struct cal_interval){ k, fit->best.cost[k], fit->best.cost[k] };
		for (unsigned j = 0; j < n; j++)
			if (x[j].mean_error <= limit) {
				iv[i].lo = MIN(iv[i].lo, cand[j]);
				iv[i].hi = MAX(iv[i].hi, cand[j]);
			}
		watch("identify", i + 1, fit->nr_free, fit, fit->best.mean_error);
	}
	/*
	 * Pairs of values the table does pin down one at a time: does moving
	 * cycles from one to the other (both ways) fit as well?  Then only
	 * their sum is fixed.  (A value free on its own trades with anything.)
	 */
	*nr_tr = 0;
	for (unsigned i = 0; i < fit->nr_free && !c.failed; i++)
		for (unsigned j = i + 1; j < fit->nr_free && !c.failed; j++) {
			enum sim_cost_key a = fit->free_keys[i], b = fit->free_keys[j];
			uint32_t ra = p->max[a] - p->min[a], rb = p->max[b] - p->min[b];
			uint32_t delta = MAX(1u, MIN(ra, rb) / 4);
			if (iv[i].hi - iv[i].lo >= delta || iv[j].hi - iv[j].lo >= delta)
				continue;
			struct cal_point x[2];
			unsigned n = 0;
			for (int sign = -1; sign <= 1; sign += 2) {
				int64_t va = (int64_t)fit->best.cost[a] + sign * (int64_t)delta;
				int64_t vb = (int64_t)fit->best.cost[b] - sign * (int64_t)delta;
				if (va < p->min[a] || va > p->max[a] || vb < p->min[b] ||
				    vb > p->max[b])
					continue;
				x[n] = fit->best;
				x[n].cost[a] = (uint32_t)va;
				x[n].cost[b] = (uint32_t)vb;
				n++;
			}
			evaluate_batch(&c, x, n);
			bool equal = n > 0;
			for (unsigned m = 0; m < n; m++)
				equal &= x[m].mean_error <= limit;
			if (equal)
				tr[(*nr_tr)++] = (struct cal_tradeoff){ a, b, delta };
		}
	ctx_done(&c);
	return !c.failed;
}

unsigned cal_equally_good(const struct cal_fit *fit, const struct cal_point **out, unsigned max)
{
	double limit = fit->best.mean_error + CAL_TOLERANCE_POINTS;
	unsigned n = 0;
	if (max)
		out[n++] = &fit->best;
	for (unsigned i = 0; i < fit->nr_free && n < max; i++) {
		enum sim_cost_key k = fit->free_keys[i];
		const struct cal_point *lo = NULL, *hi = NULL;
		for (unsigned j = 0; j < fit->nr_tried; j++) {
			const struct cal_point *p = &fit->tried[j];
			if (p->mean_error > limit)
				continue;
			if (!lo || p->cost[k] < lo->cost[k])
				lo = p;
			if (!hi || p->cost[k] > hi->cost[k])
				hi = p;
		}
		const struct cal_point *ends[2] = { lo, hi };
		for (unsigned e = 0; e < 2 && n < max; e++) {
			bool dup = !ends[e];
			for (unsigned m = 0; m < n && !dup; m++)
				dup = !memcmp(out[m]->cost, ends[e]->cost, sizeof(ends[e]->cost));
			if (!dup)
				out[n++] = ends[e];
		}
	}
	return n;
}

/* ---------------------------------------------------------------------- */
/* The fitted profile                                                      */

bool cal_write_profile(const char *path, const struct sim_cost_profile *base,
		       const struct cal_fit *fit, const struct cal_table *t, const char *design,
		       const char *scenario_name, const char *name, double mean, double median,
		       char *err, unsigned err_len)
{
	GString *s = g_string_new(NULL);
	g_string_append_printf(
	    s,
	    "# Fitted by slabsim calibrate: profile %s fitted to %s (sha256 %s)\n"
	    "# for design %s on scenario %s: %u values fitted inside their ranges\n"
	    "# in %u evaluations; mean error %.1f%%, median %.1f%% over %u rows.\n\n",
	    base->name, t->path, t->sha256, design, scenario_name, fit->nr_free, fit->evaluations,
	    mean, median, t->n);
	char *file = g_path_get_basename(t->path);
	char *desc = g_strdup_printf("%s fitted to %s for %s by slabsim calibrate", base->name,
				     file, design);
	if (strlen(desc) >= sizeof(base->description))
		desc[sizeof(base->description) - 1] = '\0';
	g_string_append_printf(s, "[profile]\nname = %s\ndescription = %s\n\n", name, desc);
	g_free(desc);
	g_free(file);
	g_string_append(s, "[costs]\n");
	for (int k = 0; k < SIM_COST_COUNT; k++)
		g_string_append_printf(s, "%s = %u\n", sim_cost_key_name((enum sim_cost_key)k),
				       fit->best.cost[k]);
	g_string_append(s, "\n[sources]\n");
	for (int k = 0; k < SIM_COST_COUNT; k++) {
		bool fitted = false;
		for (unsigned i = 0; i < fit->nr_free; i++)
			fitted |= fit->free_keys[i] == (enum sim_cost_key)k;
		/* Sources are one line: a newline in one would end the key. */
		char *src = g_strdelimit(g_strdup(base->source[k]), "\n", ' ');
		if (fitted)
			g_string_append_printf(
			    s, "%s = %s; fitted by calibrate to %u (range %u..%u)\n",
			    sim_cost_key_name((enum sim_cost_key)k), src, fit->best.cost[k],
			    base->min[k], base->max[k]);
		else
			g_string_append_printf(s, "%s = %s\n",
					       sim_cost_key_name((enum sim_cost_key)k), src);
		g_free(src);
	}
	g_string_append(s, "\n[ranges]\n");
	for (int k = 0; k < SIM_COST_COUNT; k++)
		if (base->has_range[k])
			g_string_append_printf(s, "%s = %u %u\n",
					       sim_cost_key_name((enum sim_cost_key)k),
					       base->min[k], base->max[k]);
	bool ok = sim_write_text_file(path, s, err, err_len);
	g_string_free(s, TRUE);
	return ok;
}
