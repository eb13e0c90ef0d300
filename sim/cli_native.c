/*
 * cli_native.c - "slabsim native": the seed's slab_test on this machine's
 * real CPU for each design, TSC cycles, the seed's line format; then the
 * end-of-run check (every slab page must come back).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "port_native.h"
#include "slab_env.h"
#include "slab_test.h"

static void touch(void *object)
{
	*(volatile char *)object = 0;
}

#define PROBLEMS_SHOWN 8

static void print_problem(void *arg, const char *msg)
{
	unsigned *seen = arg;
	if (++*seen <= PROBLEMS_SHOWN)
		printf("  violation: %s\n", msg);
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

/* Runs one design; returns the number of violations found. */
static unsigned run_design(const struct slab_design *d, unsigned cpus, unsigned count,
			   bool csv, bool stats)
{
	struct slab_env_config cfg;
	slab_env_defaults(&cfg);
	cfg.design = d;
	cfg.cpus = cpus;
	cfg.prefault = true;
	const char *err = slab_env_open(&cfg);
	if (err) {
		fprintf(stderr, "slabsim native: %s\n", err);
		exit(CLI_EXIT_USAGE);
	}
	native_set_cpu(0);
	void **buf = g_new(void *, count);
	struct slab_test_result r[SLAB_TEST_SIZES];
	struct slab_test_env env = { native_cycles, touch };
	/* As the module runs them: test 1 over every size, then test 2. */
	memset(r, 0, sizeof(r));
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
		slab_test_repeat(&env, slab_test_sizes[i], count, buf, &r[i]);
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
		slab_test_pair(&env, slab_test_sizes[i], count, &r[i]);
	g_free(buf);

	char line[160];
	if (csv) {
		for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
			printf("%s,repeat_alloc_then_free,%zu,kmalloc,%llu\n", d->name, r[i].size,
			       (unsigned long long)(r[i].alloc_cycles / count));
			printf("%s,repeat_alloc_then_free,%zu,kfree,%llu\n", d->name, r[i].size,
			       (unsigned long long)(r[i].free_cycles / count));
		}
		for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
			printf("%s,alloc_free_pair,%zu,kmalloc+kfree,%llu\n", d->name, r[i].size,
			       (unsigned long long)(r[i].pair_cycles / count));
	} else {
		printf("design %s: single thread testing (native, TSC cycles, nr_cpu_ids=%u)\n",
		       d->name, cpus);
		printf("1. Kmalloc: Repeatedly allocate then free test\n");
		for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
			slab_test_format_test1(line, sizeof(line), &r[i]);
			printf("%s\n", line);
		}
		printf("2. Kmalloc: alloc/free test\n");
		for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
			slab_test_format_test2(line, sizeof(line), &r[i]);
			printf("%s\n", line);
		}
	}
	if (stats && !csv)
		print_stats(d);

	unsigned violations = 0;
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
		if (r[i].failed) {
			fprintf(csv ? stderr : stdout,
				"  violation: kmalloc(%zu) returned NULL with memory to spare\n",
			       r[i].size);
			violations++;
		}
	struct slab_env_check check;
	unsigned seen = 0;
	slab_env_finish(&check, csv ? NULL : print_problem, &seen);
	if (seen > PROBLEMS_SHOWN)
		printf("  ... and %u more validator findings\n", seen - PROBLEMS_SHOWN);
	violations += check.problems;
	if (check.pages_in_use) {
		fprintf(csv ? stderr : stdout, "  violation: leak: %lu slab pages (%lu frames) not returned after "
		       "flushing every CPU and shrinking every cache\n",
		       check.slab_pages, check.pages_in_use);
		violations++;
	}
	if (!csv)
		printf("%s: %s\n\n", d->name, violations ? "VIOLATIONS FOUND" : "check clean (validator, no page leaked)");
	slab_env_close();
	return violations;
}

int cli_native(int argc, char **argv)
{
	g_autofree char *designs = NULL;
	g_autofree char *format = NULL;
	int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	int count = SLAB_TEST_COUNT;
	gboolean stats = FALSE;
	GOptionEntry entries[] = {
		{ "designs", 'd', 0, G_OPTION_ARG_STRING, &designs,
		  "comma-separated designs, 'all' or 'safe' (default: all)", "LIST" },
		{ "cpus", 'c', 0, G_OPTION_ARG_INT, &cpus,
		  "nr_cpu_ids, which sets slab orders (default: this machine's)", "N" },
		{ "count", 'n', 0, G_OPTION_ARG_INT, &count, "operations per test (default 10000)",
		  "N" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format, "text or csv", "FMT" },
		{ "stats", 's', 0, G_OPTION_ARG_NONE, &stats, "print SLUB_STATS counters", NULL },
		{ NULL },
	};
	if (!cli_parse("native", "", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc > 1) {
		fprintf(stderr, "slabsim native: unexpected argument '%s'\n", argv[1]);
		return CLI_EXIT_USAGE;
	}
	if (cpus < 1 || cpus > 1024) {
		fprintf(stderr, "slabsim native: --cpus must be 1 .. 1024, not %d\n", cpus);
		return CLI_EXIT_USAGE;
	}
	if (count < 1 || count > 1000000) {
		fprintf(stderr, "slabsim native: --count must be 1 .. 1000000, not %d\n", count);
		return CLI_EXIT_USAGE;
	}
	bool csv = false;
	if (format && !strcmp(format, "csv"))
		csv = true;
	else if (format && strcmp(format, "text")) {
		fprintf(stderr, "slabsim native: --format must be text or csv, not '%s'\n", format);
		return CLI_EXIT_USAGE;
	}
	const struct slab_design *list[32];
	int n = cli_designs_from_list(designs ? designs : "all", list, 32);
	if (n < 0)
		return CLI_EXIT_USAGE;
	if (csv)
		printf("design,test,size,op,cycles\n");
	unsigned violations = 0;
	for (int i = 0; i < n; i++)
		violations += run_design(list[i], (unsigned)cpus, (unsigned)count, csv, stats);
	return violations ? CLI_EXIT_VIOLATION : CLI_EXIT_OK;
}
