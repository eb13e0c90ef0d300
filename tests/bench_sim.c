/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench_sim.c - the simulator's speed: simulated points per host second
 * with 1 CPU and with 8 CPUs interleaving (cache model on), the wall time
 * of the seed comparison (every preset), explore's runs per second and per
 * CPU-second in one process (the target: 50,000 runs per CPU-second on
 * race-preempt, v5.19), and a 1024-CPU run.  Prints figures; asserts
 * nothing about time.
 *
 * argv[1]: the source tree's scenarios/ directory.
 */
#include <stdio.h>
#include <time.h>

#include "engine.h"
#include "explore.h"
#include "scenario.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* This process's CPU time (user + system), in seconds. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs every design of the scenario; returns the points simulated. */
static uint64_t run_all(const char *dir, const char *file, const char *only, double *secs)
{
	char *path = g_build_filename(dir, file, NULL);
	struct sim_scenario sc;
	char err[512];
	uint64_t points = 0;
	if (!sim_scenario_load(path, &sc, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	if (only) {
		sc.designs[0] = slab_design_find(only);
		sc.nr_designs = 1;
	}
	double t0 = now();
	for (unsigned d = 0; d < sc.nr_designs; d++) {
		struct sim_run_report r;
		struct sim_run_plan plan = { .design = sc.designs[d], .seed = sc.seed };
		if (!sim_run(&sc, &plan, &r, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			exit(2);
		}
		points += r.points;
		sim_run_report_free(&r);
	}
	*secs = now() - t0;
	sim_scenario_free(&sc);
	g_free(path);
	return points;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SCENARIOS_DIR\n", argv[0]);
		return 2;
	}
	double s;
	/* A first run warms the host's page cache of huge pages; not counted. */
	run_all(argv[1], "seed-2014.ini", "v3.18", &s);
	printf("warm-up run (seed-2014, v3.18): %.3f s\n", s);
	uint64_t p = run_all(argv[1], "seed-2014.ini", "v3.18", &s);
	printf("1 CPU (seed-2014, v3.18): %llu points in %.3f s = %.1f M points/s\n",
	       (unsigned long long)p, s, (double)p / s / 1e6);
	p = run_all(argv[1], "smp-alloc-then-free.ini", "v3.18", &s);
	printf("8 CPUs interleaving (smp-alloc-then-free, v3.18): %llu points in %.3f s = %.1f M "
	       "points/s\n",
	       (unsigned long long)p, s, (double)p / s / 1e6);
	p = run_all(argv[1], "random-mix-irq.ini", "v3.18", &s);
	printf("4 CPUs with injection (random-mix-irq, v3.18): %llu points in %.3f s = %.1f M "
	       "points/s\n",
	       (unsigned long long)p, s, (double)p / s / 1e6);
	p = run_all(argv[1], "seed-2014.ini", NULL, &s);
	printf("seed comparison, 5 designs: %llu points in %.3f s\n", (unsigned long long)p, s);
	for (unsigned f = 0; f < 2; f++) {
		static const char *const files[] = { "race-preempt.ini", "race-migrate.ini" };
		char *path = g_build_filename(argv[1], files[f], NULL);
		struct sim_scenario sc;
		char err[512];
		if (!sim_scenario_load(path, &sc, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		for (unsigned jobs = 1; jobs <= 2; jobs++) {
			/* One process: its CPU time is the whole work's. */
			double cpu0 = cpu_now();
			struct sim_explore_config cfg = {
				.sc = &sc,
				.design = slab_design_find(f == 0 ? "v5.19" : "lameter-v1"),
				.scheduler = SIM_SCHED_RANDOM,
				.master_seed = 1,
				.runs = 20000,
				.jobs = jobs,
				.shards = 1,
			};
			struct sim_explore_result res;
			if (!sim_explore(&cfg, &res, err, sizeof(err))) {
				fprintf(stderr, "%s\n", err);
				return 2;
			}
			printf("explore %s (%s, random), %u job%s: %llu runs in %.2f s = "
			       "%.0f runs/s",
			       files[f], cfg.design->name, jobs, jobs > 1 ? "s" : "",
			       (unsigned long long)res.runs, res.seconds,
			       (double)res.runs / res.seconds);
			if (jobs == 1)
				printf(", %.0f runs per CPU-second",
				       (double)res.runs / (cpu_now() - cpu0));
			printf("\n");
		}
		sim_scenario_free(&sc);
		g_free(path);
	}
	p = run_all(argv[1], "cpus-1024.ini", NULL, &s);
	printf("1024 CPUs (cpus-1024): %llu points in %.3f s = %.1f M points/s\n",
	       (unsigned long long)p, s, (double)p / s / 1e6);
	return 0;
}
