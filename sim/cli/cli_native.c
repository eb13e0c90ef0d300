/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_native.c - "slabsim native": the seed's slab_test on this machine's
 * real CPU for each design, TSC cycles, the seed's line format, repeated
 * with min / median / noise; then the end-of-run check (every slab page
 * must come back).  By default it times the kernel-shaped build
 * (kernel_shaped.h: primitives inline, as the kernel compiles them);
 * --port ops times the ops-table build the simulator uses.  --primitives
 * measures the primitives alone and in the fastpaths' chains.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kernel_shaped.h"
#include "port_native.h"
#include "slab_env.h"
#include "slab_test.h"

#define PROBLEMS_SHOWN 8
#define DESIGNS_MAX 32
#define REPEAT_MAX 1000

/* The rows of the seed's table: test 1 kmalloc and kfree, then test 2. */
#define ROWS (3 * SLAB_TEST_SIZES)

static void row_name(unsigned row, char *out, size_t len)
{
	static const char *const op[3] = { "test1 kmalloc", "test1 kfree", "test2 kmalloc+kfree" };
	snprintf(out, len, "%s(%zu)", op[row / SLAB_TEST_SIZES],
		 slab_test_sizes[row % SLAB_TEST_SIZES]);
}

/* The seed CSV's columns for a row (calibrate reads them). */
static void row_csv(unsigned row, char *out, size_t len)
{
	static const char *const test[3] = { "repeat_alloc_then_free", "repeat_alloc_then_free",
					     "alloc_free_pair" };
	static const char *const op[3] = { "kmalloc", "kfree", "kmalloc+kfree" };
	unsigned k = row / SLAB_TEST_SIZES;
	snprintf(out, len, "%s,%zu,%s", test[k], slab_test_sizes[row % SLAB_TEST_SIZES], op[k]);
}

static double row_cycles(const struct slab_test_result *r, unsigned row)
{
	const struct slab_test_result *x = &r[row % SLAB_TEST_SIZES];
	uint64_t total = row < SLAB_TEST_SIZES	     ? x->alloc_cycles
			 : row < 2 * SLAB_TEST_SIZES ? x->free_cycles
						     : x->pair_cycles;
	return x->count ? (double)total / x->count : 0;
}

struct design_runs {
	const struct slab_design *design;
	double *cycles[ROWS]; /* per repetition */
	double median[ROWS], min[ROWS], max[ROWS], noise[ROWS];
	unsigned violations; /* over all repetitions */
	unsigned problems_shown;
};

static void print_problem(void *arg, const char *msg)
{
	struct design_runs *dr = arg;
	if (++dr->problems_shown <= PROBLEMS_SHOWN)
		fprintf(stderr, "slabsim native: %s: violation: %s\n", dr->design->name, msg);
}

static void print_stats(const struct slab_design *d)
{
	printf("SLUB_STATS (all kmalloc caches, summed), design %s:\n", d->name);
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++) {
		unsigned long sum = 0;
		for (struct kmem_cache *s = slab_cache_first(); s; s = slab_cache_next(s))
			sum += slab_stat_sum(s, (enum stat_item)si);
		printf("  %-24s %lu\n", slab_stat_name((enum stat_item)si), sum);
	}
}

static void touch(void *object)
{
	*(volatile char *)object = 0;
}

/* The same run on the ops-table build (sim/native/port_native.c). */
static const char *ops_slab_test(struct kshaped_slab_test *run, bool stats, slab_report_fn report,
				 void *arg)
{
	struct slab_env_config cfg;
	slab_env_defaults(&cfg);
	cfg.design = slab_design_find(run->design);
	cfg.cpus = run->cpus;
	cfg.prefault = true;
	const char *err = slab_env_open(&cfg);
	if (err)
		return err;
	native_set_cpu(0);
	void **buf = g_new(void *, run->count);
	struct slab_test_env env = { native_cycles, touch };
	slab_test_module(&env, run->count, buf, run->result);
	g_free(buf);
	if (stats)
		print_stats(cfg.design);
	slab_env_finish(&run->check, report, arg);
	slab_env_close();
	return NULL;
}

/* One repetition of one design; returns false (after saying why) on error. */
static bool run_once(struct design_runs *dr, unsigned rep, bool kernel, unsigned cpus,
		     unsigned count, bool stats)
{
	struct kshaped_slab_test run = { .design = dr->design->name, .cpus = cpus, .count = count };
	const char *err = kernel ? kshaped_slab_test(&run, print_problem, dr)
				 : ops_slab_test(&run, stats, print_problem, dr);
	if (err) {
		fprintf(stderr, "slabsim native: design %s: %s\n", dr->design->name, err);
		return false;
	}
	for (unsigned row = 0; row < ROWS; row++)
		dr->cycles[row][rep] = row_cycles(run.result, row);
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
		if (run.result[i].failed) {
			fprintf(stderr,
				"slabsim native: %s: violation: kmalloc(%zu) returned NULL "
				"with memory to spare\n",
				dr->design->name, run.result[i].size);
			dr->violations++;
		}
	dr->violations += run.check.problems;
	if (run.check.pages_in_use) {
		fprintf(stderr,
			"slabsim native: %s: violation: leak: %lu slab pages (%lu frames) "
			"not returned after flushing every CPU and shrinking every cache\n",
			dr->design->name, run.check.slab_pages, run.check.pages_in_use);
		dr->violations++;
	}
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_of(const double *v, unsigned n)
{
	double *s = g_new(double, n);
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	g_free(s);
	return m;
}

/*
 * The noise of one row of one design: the median absolute deviation of its
 * repetitions, scaled by 1.4826 so that it estimates a standard deviation.
 * Robust: one run hit by the host (a page fault, a timer, the other
 * tenant) moves neither the median nor this.
 */
static void summarise(struct design_runs *dr, unsigned reps)
{
	double *dev = g_new(double, reps);
	for (unsigned row = 0; row < ROWS; row++) {
		const double *v = dr->cycles[row];
		dr->median[row] = median_of(v, reps);
		dr->min[row] = dr->max[row] = v[0];
		for (unsigned k = 0; k < reps; k++) {
			dr->min[row] = fmin(dr->min[row], v[k]);
			dr->max[row] = fmax(dr->max[row], v[k]);
			dev[k] = fabs(v[k] - dr->median[row]);
		}
		dr->noise[row] = 1.4826 * median_of(dev, reps);
	}
	g_free(dev);
}

static void print_seed_lines(const struct design_runs *dr, bool kernel, unsigned cpus,
			     unsigned count, unsigned reps)
{
	printf("design %s: single thread testing (native, %s build, TSC cycles, nr_cpu_ids=%u, "
	       "median of %u runs)\n",
	       dr->design->name, kernel ? "kernel-shaped" : "ops-table", cpus, reps);
	printf("1. Kmalloc: Repeatedly allocate then free test\n");
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
		printf("%u times kmalloc(%zu) -> %.0f cycles kfree -> %.0f cycles\n", count,
		       slab_test_sizes[i], floor(dr->median[i]),
		       floor(dr->median[SLAB_TEST_SIZES + i]));
	printf("2. Kmalloc: alloc/free test\n");
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
		printf("%u times kmalloc(%zu)/kfree -> %.0f cycles\n", count, slab_test_sizes[i],
		       floor(dr->median[2 * SLAB_TEST_SIZES + i]));
	printf("%s: %s\n\n", dr->design->name,
	       dr->violations ? "VIOLATIONS FOUND" : "check clean (validator, no page leaked)");
}

/*
 * The table: median +- noise per design, and each delta against the first
 * design, marked * where it exceeds the two rows' noise together.
 */
static void print_table(const struct design_runs *drs, unsigned n, unsigned reps)
{
	printf("cycles per operation: median of %u runs +- noise (1.4826 x median absolute "
	       "deviation); delta against %s (* where |delta| exceeds both rows' noise together)\n",
	       reps, drs[0].design->name);
	printf("%-26s", "operation");
	for (unsigned d = 0; d < n; d++)
		printf(" %26s", drs[d].design->name);
	printf("\n");
	for (unsigned row = 0; row < ROWS; row++) {
		char name[64], cell[64];
		row_name(row, name, sizeof(name));
		printf("%-26s", name);
		for (unsigned d = 0; d < n; d++) {
			double m = drs[d].median[row];
			if (d == 0) {
				snprintf(cell, sizeof(cell), "%.1f +-%.1f", m, drs[d].noise[row]);
			} else {
				double delta = m - drs[0].median[row];
				bool sig = fabs(delta) > drs[d].noise[row] + drs[0].noise[row];
				snprintf(cell, sizeof(cell), "%.1f +-%.1f (%+.1f%s)", m,
					 drs[d].noise[row], delta, sig ? "*" : "");
			}
			printf(" %26s", cell);
		}
		printf("\n");
	}
	/*
	 * No fastpath runs in the 16384-byte rows (kmalloc_large goes to the
	 * page allocator), so designs differ there only by noise.
	 */
	double lo = 0, hi = 0;
	for (unsigned k = 0; k < 3; k++) {
		unsigned row = k * SLAB_TEST_SIZES + SLAB_TEST_SIZES - 1;
		for (unsigned d = 0; d < n; d++) {
			double rel = drs[d].median[row] / drs[0].median[row] - 1;
			lo = fmin(lo, rel);
			hi = fmax(hi, rel);
		}
	}
	printf("noise floor: the 16384-byte rows, which no fastpath runs, differ across designs "
	       "by %+.1f%% .. %+.1f%%\n\n",
	       100 * lo, 100 * hi);
}

static void print_csv(const struct design_runs *drs, unsigned n, unsigned reps)
{
	printf("design,test,size,op,cycles,min,max,noise,reps\n");
	for (unsigned d = 0; d < n; d++)
		for (unsigned row = 0; row < ROWS; row++) {
			char cols[64];
			row_csv(row, cols, sizeof(cols));
			printf("%s,%s,%.1f,%.1f,%.1f,%.2f,%u\n", drs[d].design->name, cols,
			       drs[d].median[row], drs[d].min[row], drs[d].max[row],
			       drs[d].noise[row], reps);
		}
}

static int run_primitives(int trials)
{
	struct kshaped_primitive p[KSHAPED_PRIMITIVES_MAX];
	unsigned n = kshaped_primitives(p, (unsigned)trials);
	if (!n) {
		fprintf(stderr, "slabsim native: out of memory for the primitive benchmarks\n");
		return CLI_EXIT_USAGE;
	}
	printf("primitives of the kernel-shaped build, TSC cycles per operation "
	       "(minimum and median of %d loops of 1024)\n",
	       trials);
	printf("%-30s %8s %8s  %-34s %s\n", "benchmark", "min", "median", "profile key", "what");
	for (unsigned i = 0; i < n; i++)
		printf("%-30s %8.2f %8.2f  %-34s %s\n", p[i].name, p[i].cycles, p[i].median,
		       p[i].informs, p[i].what);
	return CLI_EXIT_OK;
}

/* What "slabsim native" was asked: its options, freed by opts_free. */
struct native_opts {
	char *designs, *format, *port;
	int cpus, count, reps, trials;
	gboolean stats, primitives;
	bool csv, kernel; /* from --format and --port */
};

static void opts_free(struct native_opts *o)
{
	g_free(o->designs);
	g_free(o->format);
	g_free(o->port);
}

/* Options into o, positional arguments left in argv; false after printing why. */
static bool parse_options(struct native_opts *o, int *argc, char ***argv)
{
	GOptionEntry entries[] = {
		{ "designs", 'd', 0, G_OPTION_ARG_STRING, &o->designs,
		  "comma-separated designs, 'all' or 'safe' (default: all)", "LIST" },
		{ "cpus", 'c', 0, G_OPTION_ARG_INT, &o->cpus,
		  "nr_cpu_ids, which sets slab orders (default: this machine's)", "N" },
		{ "count", 'n', 0, G_OPTION_ARG_INT, &o->count,
		  "operations per test (default 10000)", "N" },
		{ "repeat", 'r', 0, G_OPTION_ARG_INT, &o->reps,
		  "runs of each design, interleaved across designs (default 5)", "N" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &o->format, "text or csv", "FMT" },
		{ "port", 'p', 0, G_OPTION_ARG_STRING, &o->port,
		  "kernel (primitives inline, as the kernel compiles them; the default) or ops "
		  "(the simulator's ops table)",
		  "PORT" },
		{ "stats", 's', 0, G_OPTION_ARG_NONE, &o->stats,
		  "print SLUB_STATS counters (--port ops only)", NULL },
		{ "primitives", 0, 0, G_OPTION_ARG_NONE, &o->primitives,
		  "measure the primitives alone and in the fastpaths' chains", NULL },
		{ "trials", 0, 0, G_OPTION_ARG_INT, &o->trials,
		  "loops per primitive benchmark (default 200)", "N" },
		{ NULL },
	};
	return cli_parse("native", "", entries, argc, argv);
}

/* The arguments and option values, and o->csv and o->kernel; false after printing why. */
static bool check_options(struct native_opts *o, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "slabsim native: unexpected argument '%s'\n", argv[1]);
		return false;
	}
	if (!cli_int_option("native", "--cpus", o->cpus, 1, 1024) ||
	    !cli_int_option("native", "--count", o->count, 1, 1000000) ||
	    !cli_int_option("native", "--repeat", o->reps, 1, REPEAT_MAX) ||
	    !cli_int_option("native", "--trials", o->trials, 1, 100000))
		return false;
	o->csv = false;
	if (o->format && !strcmp(o->format, "csv"))
		o->csv = true;
	else if (o->format && strcmp(o->format, "text")) {
		fprintf(stderr, "slabsim native: --format must be text or csv, not '%s'\n",
			o->format);
		return false;
	}
	o->kernel = true;
	if (o->port && !strcmp(o->port, "ops"))
		o->kernel = false;
	else if (o->port && strcmp(o->port, "kernel")) {
		fprintf(stderr, "slabsim native: --port must be kernel or ops, not '%s'\n",
			o->port);
		return false;
	}
	if (o->stats && (o->kernel || o->csv)) {
		fprintf(stderr, "slabsim native: --stats needs --port ops and text output (the "
				"kernel-shaped build has CONFIG_SLUB_STATS=n)\n");
		return false;
	}
	return true;
}

/*
 * One untimed run first (the process's first touches of its own
 * memory), then repetition by repetition, every design in turn, so
 * that drift of the host hits all designs alike.
 */
static int run_designs(struct design_runs *drs, int n, const struct native_opts *o)
{
	int rc = CLI_EXIT_OK;
	struct design_runs warmup = drs[0];
	if (!run_once(&warmup, 0, o->kernel, (unsigned)o->cpus, (unsigned)o->count, false))
		rc = CLI_EXIT_USAGE;
	drs[0].violations = warmup.violations;
	drs[0].problems_shown = warmup.problems_shown;
	for (int rep = 0; rep < o->reps && rc == CLI_EXIT_OK; rep++)
		for (int d = 0; d < n && rc == CLI_EXIT_OK; d++)
			if (!run_once(&drs[d], (unsigned)rep, o->kernel, (unsigned)o->cpus,
				      (unsigned)o->count, o->stats && rep == 0))
				rc = CLI_EXIT_USAGE;
	return rc;
}

/* Every design's summary, as CSV or as seed lines and a table; exit 1 on a violation. */
static int print_results(struct design_runs *drs, int n, const struct native_opts *o)
{
	unsigned reps = (unsigned)o->reps;
	unsigned violations = 0;
	for (int d = 0; d < n; d++) {
		summarise(&drs[d], reps);
		violations += drs[d].violations;
	}
	if (o->csv) {
		print_csv(drs, (unsigned)n, reps);
	} else {
		for (int d = 0; d < n; d++)
			print_seed_lines(&drs[d], o->kernel, (unsigned)o->cpus, (unsigned)o->count,
					 reps);
		print_table(drs, (unsigned)n, reps);
	}
	return violations ? CLI_EXIT_VIOLATION : CLI_EXIT_OK;
}

/* Run and report the designs of --designs; the exit code. */
static int run_native(const struct native_opts *o)
{
	const struct slab_design *list[DESIGNS_MAX];
	int n = cli_designs_from_list(o->designs ? o->designs : "all", list, DESIGNS_MAX);
	if (n < 0)
		return CLI_EXIT_USAGE;
	struct design_runs *drs = g_new0(struct design_runs, (unsigned)n);
	for (int d = 0; d < n; d++) {
		drs[d].design = list[d];
		for (unsigned row = 0; row < ROWS; row++)
			drs[d].cycles[row] = g_new0(double, (unsigned)o->reps);
	}
	int rc = run_designs(drs, n, o);
	if (rc == CLI_EXIT_OK)
		rc = print_results(drs, n, o);
	for (int d = 0; d < n; d++)
		for (unsigned row = 0; row < ROWS; row++)
			g_free(drs[d].cycles[row]);
	g_free(drs);
	return rc;
}

int cli_native(int argc, char **argv)
{
	struct native_opts o = {
		.cpus = (int)sysconf(_SC_NPROCESSORS_ONLN),
		.count = SLAB_TEST_COUNT,
		.reps = 5,
		.trials = 200,
	};
	int rc = CLI_EXIT_USAGE;
	if (parse_options(&o, &argc, &argv) && check_options(&o, argc, argv))
		rc = o.primitives ? run_primitives(o.trials) : run_native(&o);
	opts_free(&o);
	return rc;
}
