/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_explore.c - "slabsim explore FILE" (search for a violation),
 * "slabsim replay SCHEDULE" (run a schedule file again, exactly) and
 * "slabsim bisect SCHEDULE" (minimize its decisions, find the event that
 * corrupts the state, print the interleaving as a per-CPU timeline): the
 * command lines of explore.h, schedule.h and bisect.h.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bisect.h"
#include "cli.h"
#include "engine.h"
#include "decision.h"
#include "explore.h"
#include "cli_explore.h"
#include "kernel_machine.h"
#include "keyfile.h"
#include "progress.h"
#include "report.h"
#include "result.h"
#include "scenario.h"
#include "schedule.h"

/* ---------------------------------------------------------------------- */
/* explore                                                                 */

static bool parse_shard(const char *text, unsigned *shard, unsigned *shards)
{
	char *end;
	unsigned long i = strtoul(text, &end, 10);
	if (end == text || *end != '/')
		return false;
	char *end2;
	unsigned long n = strtoul(end + 1, &end2, 10);
	if (end2 == end + 1 || *end2 || n == 0 || i >= n || n > SIM_EXPLORE_SHARDS_MAX)
		return false;
	*shard = (unsigned)i;
	*shards = (unsigned)n;
	return true;
}

/* Progress on stderr (progress.h): the design being explored. */
struct progress_line {
	struct cli_progress p;
	const char *design;
};

/* sim_explore calls it at most twice a second. */
static void show_progress(void *arg, uint64_t done, uint64_t total, uint64_t finds, double seconds)
{
	struct progress_line *l = arg;
	char found[32];
	snprintf(found, sizeof(found), "%llu found", (unsigned long long)finds);
	cli_progress_show(&l->p, l->design, done, total, "runs", seconds, found);
}

/*
 * Run the failing index again: its report and decisions into f, its
 * schedule file written into out_dir (f->schedule: its path, NULL if it
 * could not be written, said on stderr with *rc = usage).  False if the
 * run itself failed.
 */
static bool find_details(const struct sim_explore_config *cfg, const struct sim_explore_result *res,
			 const char *out_dir, struct sim_result_find *f, int *rc)
{
	struct sim_explore_run run;
	sim_explore_found_plan(cfg, res, &run);
	struct sim_run_report r;
	char err[512];
	memset(f, 0, sizeof(*f));
	if (!sim_run(cfg->sc, &run.plan, &r, err, sizeof(err))) {
		fprintf(stderr, "slabsim explore: %s\n", err);
		*rc = CLI_EXIT_USAGE;
		sim_run_report_free(&r);
		return false;
	}
	f->run = res->found_index;
	f->seed = res->found_seed;
	g_strlcpy(f->kind, r.violation_kind, sizeof(f->kind));
	f->workload_bug = res->workload_bug;
	f->decisions = r.decisions->len;
	f->text = g_strdup(r.violation_text->str);
	struct sim_schedule s;
	sim_schedule_from_run(&s, cfg->sc, &r);
	char *name = g_strdup_printf("%s-%s-run%llu.schedule", cfg->sc->name, cfg->design->name,
				     (unsigned long long)res->found_index);
	char *path = g_build_filename(out_dir, name, NULL);
	if (g_mkdir_with_parents(out_dir, 0777)) {
		fprintf(stderr, "slabsim explore: --out: cannot create the directory %s: %s\n",
			out_dir, g_strerror(errno));
		*rc = CLI_EXIT_USAGE;
	} else if (!sim_schedule_write(path, &s, err, sizeof(err))) {
		fprintf(stderr, "slabsim explore: %s\n", err);
		*rc = CLI_EXIT_USAGE;
	} else {
		f->schedule = g_strdup(path);
	}
	g_free(name);
	g_free(path);
	sim_schedule_free(&s);
	sim_run_report_free(&r);
	return true;
}

void cli_explore_print_find(const struct sim_result_find *f, uint64_t runs)
{
	printf("  found %s at run %llu (seed %llu) after %llu runs, %u decisions injected\n",
	       f->kind, (unsigned long long)f->run, (unsigned long long)f->seed,
	       (unsigned long long)runs, f->decisions);
	printf("  %s", f->text);
	if (f->schedule)
		printf("  schedule: %s\n  replay: slabsim replay %s\n  bisect: slabsim bisect %s\n",
		       f->schedule, f->schedule, f->schedule);
}

void cli_explore_print_clean(const struct sim_explore_result *res)
{
	printf("  no violation in %llu runs: the failure rate per run is below %.2g at "
	       "95%% confidence (rule of three: 3/%llu)\n",
	       (unsigned long long)res->runs, res->runs ? 3.0 / (double)res->runs : 1.0,
	       (unsigned long long)res->runs);
}

/* What "slabsim explore" was asked: its options, freed by opts_free. */
struct explore_opts {
	char *designs, *scheduler, *seed_text, *shard_text, *out_dir, *window_text;
	char *coverage_path, *result_path, *depth_text;
	GString *coverage; /* --coverage: the CSV, written after the last design */
	gint64 runs;
	gdouble seconds, probability;
	gint jobs, bound;
	gboolean check_expected, progress, quiet, no_reduction, check_reduction;
};

static void opts_free(struct explore_opts *o)
{
	g_free(o->designs);
	g_free(o->scheduler);
	g_free(o->seed_text);
	g_free(o->shard_text);
	g_free(o->out_dir);
	g_free(o->window_text);
	g_free(o->coverage_path);
	g_free(o->result_path);
	g_free(o->depth_text);
	if (o->coverage)
		g_string_free(o->coverage, TRUE);
}

/* Options into o, positional arguments left in argv; false after printing why. */
static bool parse_options(struct explore_opts *o, int *argc, char ***argv)
{
	GOptionEntry entries[] = {
		{ "designs", 'd', 0, G_OPTION_ARG_STRING, &o->designs,
		  "designs to explore (default: the scenario's)", "LIST" },
		{ "progress", 0, 0, G_OPTION_ARG_NONE, &o->progress,
		  "show progress on stderr (the default when stderr is a terminal)", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "no progress on stderr", NULL },
		{ "scheduler", 0, 0, G_OPTION_ARG_STRING, &o->scheduler,
		  "random (seeded injection at the scenario's probability), pct, bounded (every "
		  "placement of at most --bound actions over the steps of one run), or exhaustive "
		  "(every distinct schedule with at most --bound actions, fewest first)",
		  "S" },
		{ "depth", 0, 0, G_OPTION_ARG_STRING, &o->depth_text,
		  "PCT bug depth d, or a range MIN:MAX the runs take in turn (default 3)", "D" },
		{ "bound", 0, 0, G_OPTION_ARG_INT, &o->bound,
		  "bounded: at most c preemptions/migrations/interrupts (0..2, default 2); "
		  "exhaustive: 0..8",
		  "C" },
		{ "no-reduction", 0, 0, G_OPTION_ARG_NONE, &o->no_reduction,
		  "exhaustive: run every schedule, also those equivalent to one already run",
		  NULL },
		{ "check-reduction", 0, 0, G_OPTION_ARG_NONE, &o->check_reduction,
		  "exhaustive: also run the equivalent schedules, and check that each shows what "
		  "the run it stands for showed; count the distinct schedules tried from their "
		  "hashes (without it: the runs, distinct by construction)",
		  NULL },
		{ "window", 0, 0, G_OPTION_ARG_STRING, &o->window_text,
		  "bounded: eligible steps FROM:TO (default: every step of a run)", "FROM:TO" },
		{ "probability", 0, 0, G_OPTION_ARG_DOUBLE, &o->probability,
		  "random: injection probability per eligible point (default: the scenario's)",
		  "P" },
		{ "runs", 'n', 0, G_OPTION_ARG_INT64, &o->runs, "budget of runs (default 10000)",
		  "N" },
		{ "time", 't', 0, G_OPTION_ARG_DOUBLE, &o->seconds,
		  "budget in seconds per design (results then depend on speed)", "S" },
		{ "seed", 's', 0, G_OPTION_ARG_STRING, &o->seed_text,
		  "master seed (default: the scenario's)", "N" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs, "worker processes (default 1)", "N" },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &o->shard_text,
		  "run only the runs i with i mod n == s", "s/n" },
		{ "out", 'o', 0, G_OPTION_ARG_STRING, &o->out_dir,
		  "directory for schedule files (default .)", "DIR" },
		{ "check-expected", 0, 0, G_OPTION_ARG_NONE, &o->check_expected,
		  "exit 0 when exactly the designs in [checks] expect_violation are caught", NULL },
		{ "coverage", 0, 0, G_OPTION_ARG_FILENAME, &o->coverage_path,
		  "write per design and point the runs that executed it and took an action at it "
		  "(CSV)",
		  "FILE" },
		{ "result", 0, 0, G_OPTION_ARG_FILENAME, &o->result_path,
		  "write what slabsim merge needs to FILE (JSON: totals per block of runs, the "
		  "find, coverage)",
		  "FILE" },
		{ NULL },
	};
	return cli_parse("explore", "FILE", entries, argc, argv);
}

/* --scheduler, --bound and --window into cfg; false after printing why not. */
static bool set_scheduler(const struct explore_opts *o, struct sim_explore_config *cfg)
{
	const char *scheduler = o->scheduler;
	if (scheduler && !strcmp(scheduler, "pct"))
		cfg->scheduler = SIM_SCHED_PCT;
	else if (scheduler && !strcmp(scheduler, "bounded"))
		cfg->scheduler = SIM_SCHED_BOUNDED;
	else if (scheduler && !strcmp(scheduler, "exhaustive"))
		cfg->scheduler = SIM_SCHED_EXHAUSTIVE;
	else if (scheduler && strcmp(scheduler, "random")) {
		fprintf(
		    stderr,
		    "slabsim explore: --scheduler: expected random, pct, bounded or exhaustive, "
		    "got '%s'\n",
		    scheduler);
		return false;
	}
	if (cfg->scheduler == SIM_SCHED_EXHAUSTIVE) {
		if (!cli_int_option("explore", "--bound", o->bound, 0, SIM_MAX_STEP_ACTIONS))
			return false;
	} else if (o->bound < 0 || o->bound > 2) {
		fprintf(stderr, "slabsim explore: --bound: expected 0, 1 or 2, got %d\n", o->bound);
		return false;
	}
	if (cfg->scheduler == SIM_SCHED_EXHAUSTIVE && o->result_path) {
		fprintf(stderr,
			"slabsim explore: --result: the exhaustive search runs in one "
			"process and has no shards to merge; what it proved is what it prints\n");
		return false;
	}
	cfg->bound = (unsigned)o->bound;
	cfg->reduce = !o->no_reduction;
	cfg->check_reduction = o->check_reduction;
	if (o->window_text) {
		unsigned long long a, b;
		char extra;
		if (sscanf(o->window_text, "%llu:%llu%c", &a, &b, &extra) != 2 || a < 1 || b <= a) {
			fprintf(stderr,
				"slabsim explore: --window: expected FROM:TO with "
				"1 <= FROM < TO, got '%s'\n",
				o->window_text);
			return false;
		}
		cfg->window_from = a;
		cfg->window_to = b;
	}
	return true;
}

/* --depth D or MIN:MAX into cfg; false after printing why not. */
static bool parse_depth(const char *text, struct sim_explore_config *cfg)
{
	unsigned lo = 3, hi;
	char extra;
	int n = text ? sscanf(text, "%u:%u%c", &lo, &hi, &extra) : 1;
	if (n == 1)
		hi = lo;
	if ((n != 1 && n != 2) || lo < 1 || hi < lo || hi > SIM_PCT_DEPTH_MAX) {
		fprintf(stderr,
			"slabsim explore: --depth: expected 1 .. %d, got %s (a depth D or a range "
			"MIN:MAX)\n",
			SIM_PCT_DEPTH_MAX, text);
		return false;
	}
	cfg->depth = lo;
	cfg->depth_max = hi;
	return true;
}

/* The budget, the workers and --shard; false after printing which is out of range. */
static bool check_limits(const struct explore_opts *o, struct sim_explore_config *cfg)
{
	if (!parse_depth(o->depth_text, cfg) ||
	    !cli_int_option("explore", "--jobs", o->jobs, 1, SIM_EXPLORE_JOBS_MAX) ||
	    !cli_int_option("explore", "--runs", o->runs, 1, INT64_MAX))
		return false;
	/* NaN fails every comparison, so it is refused too. */
	if (!(o->seconds >= 0) || isinf(o->seconds)) {
		fprintf(stderr, "slabsim explore: --time: expected seconds >= 0, got %g\n",
			o->seconds);
		return false;
	}
	if (!(o->probability >= 0 && o->probability <= 1)) {
		fprintf(stderr, "slabsim explore: --probability: expected 0 .. 1, got %g\n",
			o->probability);
		return false;
	}
	if (o->shard_text && !parse_shard(o->shard_text, &cfg->shard, &cfg->shards)) {
		fprintf(stderr,
			"slabsim explore: --shard: expected s/n with 0 <= s < n, got '%s'\n",
			o->shard_text);
		return false;
	}
	return true;
}

/* The first line: the scheduler and its parameter, the seed, the budget and the split. */
void cli_explore_print_header(const struct sim_explore_config *cfg, double probability)
{
	static const char *const sched_names[] = { "random", "pct", "bounded", "exhaustive" };
	printf("slabsim explore %s: scheduler %s", cfg->sc->path, sched_names[cfg->scheduler]);
	if (cfg->scheduler == SIM_SCHED_PCT && cfg->depth_max > cfg->depth)
		printf(" (depth %u to %u)", cfg->depth, cfg->depth_max);
	else if (cfg->scheduler == SIM_SCHED_PCT)
		printf(" (depth %u)", cfg->depth);
	else if (cfg->scheduler == SIM_SCHED_BOUNDED || cfg->scheduler == SIM_SCHED_EXHAUSTIVE)
		printf(" (at most %u actions)", cfg->bound);
	else {
		double p = probability > 0 ? probability : cfg->sc->inject.probability;
		printf(" (probability %g", p);
		/* A kind's own chance, as the random scheduler applies it: never above p. */
		for (unsigned k = 0; k < SIM_ACT_COUNT; k++)
			if (cfg->sc->inject.kind_probability[k] > 0)
				printf(", %s %g", sim_action_kind_word((enum sim_action_kind)k),
				       MIN(cfg->sc->inject.kind_probability[k], p));
		printf(")");
	}
	printf(", master seed %llu, budget %llu runs", (unsigned long long)cfg->master_seed,
	       (unsigned long long)cfg->runs);
	if (cfg->shards > 1)
		printf(", shard %u/%u", cfg->shard, cfg->shards);
	if (cfg->jobs > 1)
		printf(", %u jobs", cfg->jobs);
	printf("\n");
}

/*
 * Exhaustive: what each bound proved, "every schedule with <= c actions:
 * N schedules, 0 violations, in T s", and where the search stopped short.
 */
static void print_bounds(const struct sim_explore_config *cfg, const struct sim_explore_result *res)
{
	uint64_t total = 0, equivalent = 0;
	if (!res->reduced)
		printf("  no reduction%s: every schedule is run\n",
		       cfg->reduce
			   ? " (it needs no periodic irq, and every task on one CPU with no flush "
			     "source on 5.15's slow path (its kworker is a task more), or "
			     "migrations without interrupts or failures for a port design on one "
			     "node)"
			   : "");
	if (cfg->check_reduction)
		printf("  reduction checked: %llu equivalent schedules run, %llu showed another "
		       "outcome\n",
		       (unsigned long long)res->reduction_checked,
		       (unsigned long long)res->reduction_mismatches);
	for (unsigned c = 0; c <= cfg->bound; c++) {
		total += res->bound_schedules[c];
		equivalent += res->bound_equivalent[c];
		if (c < res->bounds_done && (!res->found || c + 1 < res->bounds_done))
			printf(
			    "  every schedule with <= %u actions: %llu schedules (%llu run, %llu "
			    "equivalent to one run), 0 violations, in %.2f s\n",
			    c, (unsigned long long)total, (unsigned long long)(total - equivalent),
			    (unsigned long long)equivalent, res->bound_seconds[c]);
		else if (c < res->bounds_done)
			printf("  schedules with %u actions: a violation in schedule %llu of them, "
			       "none with fewer actions\n",
			       c, (unsigned long long)res->bound_schedules[c]);
		else if (!res->found) {
			printf(
			    "  schedules with %u actions: searched %llu before the budget ran out "
			    "(--runs/--time): the bound is not proved\n",
			    c, (unsigned long long)res->bound_schedules[c]);
			break;
		}
	}
}

/* One design's result line: its runs, its k and what was injected. */
void cli_explore_print_result(const struct sim_explore_config *cfg,
			      const struct sim_explore_result *res)
{
	printf("design %s: %llu runs in %.2f s (%.0f runs/s)", cfg->design->name,
	       (unsigned long long)res->runs, res->seconds,
	       res->seconds > 0 ? (double)res->runs / res->seconds : 0.0);
	if (cfg->scheduler != SIM_SCHED_RANDOM)
		printf(", k = %llu steps", (unsigned long long)res->k);
	if (cfg->scheduler == SIM_SCHED_BOUNDED)
		printf(" (search of %llu runs)",
		       (unsigned long long)sim_explore_bounded_runs(cfg, res->k));
	if (cfg->scheduler == SIM_SCHED_EXHAUSTIVE)
		printf(" (choice points; %llu inner runs again)", (unsigned long long)res->reruns);
	printf(", injected %llu preemptions, %llu migrations, %llu interrupts",
	       (unsigned long long)res->preemptions, (unsigned long long)res->migrations,
	       (unsigned long long)res->interrupts);
	if (cfg->sc->inject.kinds[SIM_ACT_FAIL])
		printf(", %llu failed page allocations", (unsigned long long)res->failures);
	printf("\n");
	unsigned executed, decided;
	sim_explore_coverage(res, &executed, &decided);
	printf("  coverage: %u of %d points executed, %u given a decision, %llu distinct "
	       "schedules\n",
	       executed, slab_design_points(cfg->design), decided,
	       (unsigned long long)res->schedules);
	if (cfg->scheduler == SIM_SCHED_EXHAUSTIVE)
		print_bounds(cfg, res);
}

/* --coverage: one row per point the design's runs executed. */
static void add_coverage(GString *csv, const struct sim_explore_config *cfg,
			 const struct sim_explore_result *res)
{
	if (!csv->len)
		g_string_append(csv, "design,point,runs,runs_executed,runs_decided\n");
	for (unsigned pt = 0; pt < SLAB_POINT_COUNT; pt++)
		if (res->point_runs[pt])
			g_string_append_printf(csv, "%s,%s,%llu,%llu,%llu\n", cfg->design->name,
					       slab_point_name((enum slab_point)pt),
					       (unsigned long long)res->runs,
					       (unsigned long long)res->point_runs[pt],
					       (unsigned long long)res->point_decided_runs[pt]);
}

/*
 * Explore cfg->design and print what it found, into *rc, and into result
 * (NULL: no --result); false if it could not run.
 */
static bool explore_design(struct sim_explore_config *cfg, struct progress_line *line,
			   const struct explore_opts *o, struct sim_result *result, int *rc)
{
	char err[512];
	struct sim_explore_result res;
	line->design = cfg->design->name;
	struct sim_result_design *rd = sim_result_begin(result, cfg);
	bool explored = sim_explore(cfg, &res, err, sizeof(err));
	cli_progress_end(&line->p);
	if (!explored) {
		fprintf(stderr, "slabsim explore: %s: %s\n", cfg->design->name, err);
		*rc = CLI_EXIT_USAGE;
		return false;
	}
	cli_explore_print_result(cfg, &res);
	if (o->coverage)
		add_coverage(o->coverage, cfg, &res);
	bool expected = sim_scenario_expects_violation(cfg->sc, cfg->design);
	struct sim_result_find find = { 0 };
	if (res.reduction_mismatches) {
		/* The reduction counted a schedule as equivalent that is not: its proof is void. */
		printf("  the reduction is unsound here: %llu equivalent schedules showed another "
		       "outcome\n",
		       (unsigned long long)res.reduction_mismatches);
		*rc = CLI_EXIT_VIOLATION;
	}
	if (res.found) {
		if (find_details(cfg, &res, o->out_dir ? o->out_dir : ".", &find, rc))
			cli_explore_print_find(&find, res.runs);
		bool as_expected = sim_scenario_outcome_expected(cfg->sc, cfg->design, true,
								 !res.workload_bug, res.kind);
		if (o->check_expected && expected && !as_expected)
			printf("  expected an allocator violation of the kind [checks] "
			       "expect_violation names for %s, found %s%s\n",
			       cfg->design->name, res.kind,
			       res.workload_bug ? " (not the allocator's)" : "");
		if (!o->check_expected || !as_expected)
			*rc = *rc == CLI_EXIT_USAGE ? *rc : CLI_EXIT_VIOLATION;
	} else if (cfg->scheduler == SIM_SCHED_EXHAUSTIVE) {
		if (o->check_expected && expected) {
			printf("  expected a violation for %s\n", cfg->design->name);
			*rc = CLI_EXIT_VIOLATION;
		} else if (o->check_expected && res.bounds_done <= cfg->bound) {
			printf("  expected every schedule with <= %u actions to be run for %s: the "
			       "budget ended the search first\n",
			       cfg->bound, cfg->design->name);
			*rc = CLI_EXIT_VIOLATION;
		}
	} else {
		cli_explore_print_clean(&res);
		if (o->check_expected && expected) {
			printf("  expected a violation for %s\n", cfg->design->name);
			*rc = CLI_EXIT_VIOLATION;
		}
	}
	sim_result_end(rd, cfg, &res, &find);
	sim_result_find_free(&find);
	fflush(stdout);
	return true;
}

/* Load the scenario at path and explore each of its designs as cfg says; the exit code. */
static int explore_scenario(const char *path, const struct explore_opts *o,
			    struct sim_explore_config *cfg, struct progress_line *line)
{
	struct sim_scenario sc;
	char err[512];
	if (!sim_scenario_load(path, &sc, err, sizeof(err))) {
		fprintf(stderr, "slabsim explore: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	int rc = CLI_EXIT_OK;
	struct cli_designs ds;
	struct sim_result result, *rp = NULL;
	cfg->sc = &sc;
	cfg->master_seed = sc.seed;
	if (!cli_seed_option("explore", o->seed_text, &cfg->master_seed) ||
	    !cli_designs_option("explore", o->designs, &sc, &ds)) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	cli_explore_print_header(cfg, o->probability);
	fflush(stdout);
	sim_explore_catch_signals();
	if (o->result_path) {
		sim_result_init(&result, cfg);
		rp = &result;
	}
	gint64 t0 = g_get_monotonic_time();
	unsigned d = 0;
	for (; d < ds.n && !sim_explore_stopped(); d++) {
		cfg->design = ds.d[d];
		if (!explore_design(cfg, line, o, rp, &rc))
			goto out;
	}
	/* A signal before the last design: the result names the designs it never ran. */
	for (; rp && d < ds.n; d++) {
		cfg->design = ds.d[d];
		sim_result_not_started(rp, cfg);
	}
	if (sim_explore_stopped()) {
		printf("interrupted: the lines above are every design explored and what it found "
		       "before the signal\n");
		if (rc != CLI_EXIT_USAGE) /* a file that could not be written says more */
			rc = CLI_EXIT_INTERRUPTED;
	}
	if (o->coverage && !sim_write_text_file(o->coverage_path, o->coverage, err, sizeof(err))) {
		fprintf(stderr, "slabsim explore: --coverage: %s\n", err);
		rc = CLI_EXIT_USAGE;
	}
	if (rp) {
		/* Also after a signal: a merge then knows which runs were done. */
		result.seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
		if (!sim_result_write(o->result_path, &result, err, sizeof(err))) {
			fprintf(stderr, "slabsim explore: --result: %s\n", err);
			rc = CLI_EXIT_USAGE;
		}
	}
out:
	if (rp)
		sim_result_free(rp);
	sim_scenario_free(&sc);
	return rc;
}

/* The run's configuration from the options, checked; the exit code of exploring path. */
static int explore_file(const char *path, const struct explore_opts *o)
{
	struct progress_line line = { .design = NULL };
	if (!cli_progress_init(&line.p, "explore", o->progress, o->quiet))
		return CLI_EXIT_USAGE;
	struct sim_explore_config cfg = {
		.probability = o->probability,
		.runs = (uint64_t)o->runs,
		.seconds = o->seconds,
		.jobs = (unsigned)o->jobs,
		.shard = 0,
		.shards = 1,
		.progress = line.p.on ? show_progress : NULL,
		.progress_arg = &line,
	};
	if (!set_scheduler(o, &cfg) || !check_limits(o, &cfg))
		return CLI_EXIT_USAGE;
	return explore_scenario(path, o, &cfg, &line);
}

int cli_explore(int argc, char **argv)
{
	struct explore_opts o = { .runs = 10000, .jobs = 1, .bound = 2 };
	int rc = CLI_EXIT_USAGE;
	if (!parse_options(&o, &argc, &argv)) {
		/* cli_parse has said why. */
	} else if (argc != 2)
		fprintf(stderr, "slabsim explore: expected one scenario FILE (see --help)\n");
	else {
		if (o.coverage_path)
			o.coverage = g_string_new(NULL);
		rc = explore_file(argv[1], &o);
	}
	opts_free(&o);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* replay                                                                  */

/* Read a schedule and the scenario it names; bind them.  Exit code or -1. */
static int load_schedule(const char *command, const char *path, struct sim_schedule *s,
			 struct sim_scenario *loaded, struct sim_replay *replay)
{
	char err[1024];
	if (!sim_schedule_read(path, s, err, sizeof(err))) {
		fprintf(stderr, "slabsim %s: %s\n", command, err);
		return CLI_EXIT_USAGE;
	}
	if (!sim_scenario_load(s->scenario_path, loaded, err, sizeof(err))) {
		fprintf(stderr, "slabsim %s: %s: %s\n", command, path, err);
		sim_schedule_free(s);
		return CLI_EXIT_USAGE;
	}
	if (!sim_schedule_bind(path, s, loaded, replay, err, sizeof(err))) {
		fprintf(stderr, "slabsim %s: %s\n", command, err);
		sim_scenario_free(loaded);
		sim_schedule_free(s);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

int cli_replay(int argc, char **argv)
{
	g_autofree char *format = NULL, *trace_path = NULL, *trace_window = NULL;
	GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format, "text, json or csv", "FMT" },
		{ "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace_path,
		  "write a Chrome/Perfetto trace of the run to FILE", "FILE" },
		{ "trace-window", 0, 0, G_OPTION_ARG_STRING, &trace_window,
		  "only operations FROM .. TO-1 in the trace (default: the 20,000 before the "
		  "violation)",
		  "FROM:TO" },
		{ NULL },
	};
	if (!cli_parse("replay", "SCHEDULE", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	uint64_t window_from, window_to; /* checked before the run, used by cli_write_trace */
	if (!cli_trace_window("replay", trace_window, &window_from, &window_to))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "slabsim replay: expected one SCHEDULE file (see --help)\n");
		return CLI_EXIT_USAGE;
	}
	enum sim_format fmt = SIM_FORMAT_TEXT;
	if (format && !sim_format_parse(format, &fmt)) {
		fprintf(stderr, "slabsim replay: --format: expected text, json or csv, got '%s'\n",
			format);
		return CLI_EXIT_USAGE;
	}
	struct sim_schedule s;
	struct sim_scenario sc;
	struct sim_replay rp;
	int rc = load_schedule("replay", argv[1], &s, &sc, &rp);
	if (rc >= 0)
		return rc;
	struct sim_run_report r;
	char err[512];
	rp.plan.record_trace = trace_path != NULL;
	if (!sim_run(&sc, &rp.plan, &r, err, sizeof(err))) {
		fprintf(stderr, "slabsim replay: %s\n", err);
		rc = CLI_EXIT_USAGE;
	} else {
		bool trace_ok =
		    !trace_path || cli_write_trace("replay", trace_path, trace_window, &r, 1);
		sim_report_header(stdout, fmt, &sc, s.seed, "replay");
		sim_report_run(stdout, fmt, &sc, &r, true, true);
		const char *kind = r.violation ? r.violation_kind : "none";
		bool same = !strcmp(kind, s.violation);
		if (!same)
			fprintf(stderr,
				"slabsim replay: %s: does not reproduce: recorded '%s', "
				"replayed '%s'\n",
				argv[1], s.violation, kind);
		/* A replay that does not give what was recorded is a finding too: exit 1. */
		rc = !trace_ok		    ? CLI_EXIT_USAGE
		     : r.violation || !same ? CLI_EXIT_VIOLATION
					    : CLI_EXIT_OK;
	}
	sim_run_report_free(&r);
	sim_replay_free(&rp);
	sim_scenario_free(&sc);
	sim_schedule_free(&s);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* bisect                                                                  */

/* Progress of a bisect: its phase, the runs tried, the fewest decisions that still fail. */
struct bisect_progress {
	struct cli_progress p;
	unsigned original;
};

static void show_bisect_line(struct bisect_progress *bp, const char *phase, uint64_t runs,
			     unsigned best)
{
	char extra[64];
	snprintf(extra, sizeof(extra), "best so far %u of %u decisions", best, bp->original);
	cli_progress_show(&bp->p, phase, runs, 0, "runs", -1, best <= bp->original ? extra : NULL);
}

static void show_bisect(void *arg, enum sim_bisect_phase phase, unsigned runs, unsigned best)
{
	struct bisect_progress *bp = arg;
	if (cli_progress_due(&bp->p))
		show_bisect_line(bp, sim_bisect_phase_name(phase), runs, best);
}

int cli_bisect(int argc, char **argv)
{
	g_autofree char *out = NULL;
	gboolean full_timeline = FALSE, progress = FALSE, quiet = FALSE;
	GOptionEntry entries[] = {
		{ "out", 'o', 0, G_OPTION_ARG_STRING, &out,
		  "where to write the minimized schedule (default: SCHEDULE.min)", "FILE" },
		{ "full-timeline", 0, 0, G_OPTION_ARG_NONE, &full_timeline,
		  "every event up to the corruption, not windows around the decisions", NULL },
		{ "progress", 0, 0, G_OPTION_ARG_NONE, &progress,
		  "show progress on stderr (the default when stderr is a terminal)", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress on stderr", NULL },
		{ NULL },
	};
	if (!cli_parse("bisect", "SCHEDULE", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	struct bisect_progress bp;
	if (!cli_progress_init(&bp.p, "bisect", progress, quiet))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "slabsim bisect: expected one SCHEDULE file (see --help)\n");
		return CLI_EXIT_USAGE;
	}
	struct sim_schedule s;
	struct sim_scenario sc;
	struct sim_replay rp;
	int rc = load_schedule("bisect", argv[1], &s, &sc, &rp);
	if (rc >= 0)
		return rc;
	struct sim_bisect_result b;
	char err[512];
	bp.original = rp.inject.nr_decisions;
	struct sim_bisect_progress watch = { show_bisect, &bp };
	bool bisected = strcmp(s.violation, "none") &&
			sim_bisect(&sc, &rp.plan, bp.p.on ? &watch : NULL, &b, err, sizeof(err));
	if (bisected) /* the last line: every run tried, and what is left */
		show_bisect_line(&bp, "done", b.tests, b.inject.nr_decisions);
	cli_progress_end(&bp.p);
	if (!strcmp(s.violation, "none"))
		snprintf(err, sizeof(err), "the schedule does not fail as recorded");
	if (!bisected) {
		fprintf(stderr, "slabsim bisect: %s: %s ('%s')\n", argv[1], err, s.violation);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	const struct sim_run_report *r = &b.run;
	printf("slabsim bisect %s: design %s, seed %llu, violation %s\n", argv[1],
	       rp.plan.design->name, (unsigned long long)rp.plan.seed, s.violation);
	printf("minimized: %u of %u decisions still give it (%u before the lists were "
	       "corrupt, delta debugging: %u; %u runs: cut %u, ddmin %u, bounded %u, focused %u, "
	       "1-minimal %u)\n",
	       b.inject.nr_decisions, b.original, b.after_cut, b.after_ddmin, b.tests,
	       b.phase_tests[SIM_BISECT_CUT], b.phase_tests[SIM_BISECT_DDMIN],
	       b.phase_tests[SIM_BISECT_BOUNDED], b.phase_tests[SIM_BISECT_FOCUSED],
	       b.phase_tests[SIM_BISECT_ONE_MINIMAL]);
	if (b.one_minimal)
		printf("1-minimal: without any one of the %u decisions the violation is gone\n",
		       b.inject.nr_decisions);
	printf("with the freelists checked before every point: %s", r->violation_text->str);
	if (!b.corrupt_event) {
		printf("no event corrupts the freelists: they were consistent before every point, "
		       "and only the end of the run shows the violation\n");
	} else if (r->trace->len) {
		const struct sim_trace_event *ev =
		    &g_array_index(r->trace, struct sim_trace_event, r->trace->len - 1);
		char site[96];
		printf("first event after which the state is corrupt: #%llu %s%s by %s on cpu%u\n",
		       (unsigned long long)b.corrupt_event,
		       slab_point_name((enum slab_point)ev->point),
		       sim_site_name(r->design, ev->site, site, sizeof(site)),
		       ev->task < r->nr_task_names ? r->task_names[ev->task] : "?", ev->cpu);
	}
	sim_bisect_print_timeline(stdout, &sc, &b, full_timeline);

	/* The minimized schedule, as a file of its own. */
	struct sim_run_report mr;
	struct sim_run_plan minimal = { .design = rp.plan.design,
					.seed = rp.plan.seed,
					.inject = &b.inject };
	rc = CLI_EXIT_VIOLATION;
	if (sim_run(&sc, &minimal, &mr, err, sizeof(err))) {
		struct sim_schedule ms;
		sim_schedule_from_run(&ms, &sc, &mr);
		/* The decisions as bisect kept them (POINT#N@TASK where it could). */
		g_ptr_array_set_size(ms.decisions, 0);
		for (unsigned i = 0; i < b.inject.nr_decisions; i++)
			g_ptr_array_add(ms.decisions,
					sim_decision_text(&b.inject.decisions[i], &sc));
		g_autofree char *path = out ? g_strdup(out) : g_strdup_printf("%s.min", argv[1]);
		if (sim_schedule_write(path, &ms, err, sizeof(err))) {
			printf("\nminimized schedule: %s   replay: slabsim replay %s\n", path,
			       path);
		} else {
			/* The timeline above stands; the file it promised does not: bad usage. */
			fprintf(stderr, "slabsim bisect: --out: %s\n", err);
			rc = CLI_EXIT_USAGE;
		}
		sim_schedule_free(&ms);
	}
	sim_run_report_free(&mr);
	sim_bisect_result_free(&b);
out:
	sim_replay_free(&rp);
	sim_scenario_free(&sc);
	sim_schedule_free(&s);
	return rc;
}
