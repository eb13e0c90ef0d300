/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_kernel_differential.c - the port against the real code: the same
 * single-CPU workloads run on the port's v5.19 preset (native port, one
 * CPU) and on the kernel's own mm/slub.c (alloc/kernel/, one executable per
 * kernel built), and after each phase the change of every SLUB_STATS
 * counter the two share, of every kmalloc cache, and of the pages in use
 * (after the phase and at most during it) must be equal, or be exactly the
 * kernel value a rule of expected_diffs[] computes from the port's
 * counters, the rule naming the kernel line that causes the difference.
 *
 * The workloads: the seed's slab_test (its loops, slab_test_loops.h: test 1
 * at every size, 8 .. 16384, then test 2 at every size, as the module runs
 * them; 16384 is kmalloc_large on both, pages only) and a random_mix (its
 * loop, random_mix_loop.h, the workload's defaults, one seed).  Before any
 * counter, the cache layouts must agree: object stride, slab order,
 * objects per slab, min_partial, and the per-CPU partial limit.
 */
#include "kslab.h"
#include "slub_internal.h"
#include "test_env.h"

#define KMALLOC_CACHES 13 /* 8 .. 8192 with 96 and 192 */
static const size_t cache_sizes[KMALLOC_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

/* ---------------------------------------------------------------------- */
/* The two allocators behind one interface                                 */

struct side {
	void *(*kmalloc)(size_t size);
	void (*kfree)(const void *p);
	unsigned long (*pages_in_use)(void);
	/* SLUB_STATS counter of the kmalloc cache of size, by its kernel name; -1 if none. */
	long long (*stat)(size_t size, const char *name);
	unsigned long peak; /* pages in use at most, since the phase began */
};

static void *port_kmalloc(size_t size)
{
	return kmalloc(size);
}

static long long port_stat(size_t size, const char *name)
{
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		if (!strcmp(slab_stat_name((enum stat_item)si), name))
			return (long long)slab_stat_sum(kmalloc_slab(size), (enum stat_item)si);
	return -1;
}

static long long kern_stat(size_t size, const char *name)
{
	return kslab_cache_stat(kslab_kmalloc_cache(size), name);
}

static struct side port_side = { port_kmalloc, kfree, page_alloc_pages_in_use, port_stat, 0 };
static struct side kern_side = { kslab_kmalloc, kslab_kfree, kslab_pages_in_use, kern_stat, 0 };

static void *side_kmalloc(struct side *s, size_t size)
{
	void *p = s->kmalloc(size);
	unsigned long pages = s->pages_in_use();
	if (pages > s->peak)
		s->peak = pages;
	return p;
}

static void side_touch(void *p)
{
	*(volatile char *)p = 1;
}

/* The seed's loops (slab_test_loops.h), on either side. */
#define SLAB_TEST_CTX struct side *
#define SLAB_TEST_FN(name) side_##name
#define SLAB_TEST_KMALLOC(s, n) side_kmalloc(s, n)
#define SLAB_TEST_KFREE(s, p) (s)->kfree(p)
#define SLAB_TEST_CLOCK(s) 0
#define SLAB_TEST_TOUCH(s, p) side_touch(p)
#include "slab_test_loops.h"

/* The differential runs allocate without zeroing (zero_percent 0): never called. */
static void *side_kzalloc(struct side *s, size_t size)
{
	fail_msg("random_mix zeroed an allocation (%zu) with zero_percent 0", size);
	return side_kmalloc(s, size);
}

/* random_mix's loop (random_mix_loop.h), on either side. */
#define RANDOM_MIX_CTX struct side *
#define RANDOM_MIX_FN(name) side_random_mix_##name
#define RANDOM_MIX_KMALLOC(s, n) side_kmalloc(s, n)
#define RANDOM_MIX_KZALLOC(s, n) side_kzalloc(s, n)
#define RANDOM_MIX_KFREE(s, p) (s)->kfree(p)
#define RANDOM_MIX_TOUCH(s, p) side_touch(p)
#include "random_mix_loop.h"

/* ---------------------------------------------------------------------- */
/* What a phase left behind                                                */

/* The counters both name: every one of the port's (test_counter_names). */
#define MAX_STATS NR_SLUB_STAT_ITEMS

struct snapshot {
	long long stat[KMALLOC_CACHES][MAX_STATS];
	unsigned long pages, peak;
};

static unsigned nr_common;
static const char *common[MAX_STATS];

static void find_common_stats(void)
{
	const char *const *kn = kslab_stat_names();
	nr_common = 0;
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		for (int k = 0; kn[k]; k++)
			if (!strcmp(kn[k], slab_stat_name((enum stat_item)si)))
				common[nr_common++] = kn[k];
}

static void snap(struct side *s, struct snapshot *out)
{
	for (unsigned c = 0; c < KMALLOC_CACHES; c++)
		for (unsigned i = 0; i < nr_common; i++)
			out->stat[c][i] = s->stat(cache_sizes[c], common[i]);
	out->pages = s->pages_in_use();
	out->peak = s->peak;
}

/* ---------------------------------------------------------------------- */
/* Differences explained                                                   */

static int stat_index(const char *name)
{
	for (unsigned i = 0; i < nr_common; i++)
		if (!strcmp(common[i], name))
			return (int)i;
	fail_msg("no shared counter %s", name);
	return -1;
}

/*
 * A difference the kernel's code explains: in the kernels named, the
 * change of counter in a phase, for every cache, is exactly what
 * kernel_value computes from the port's changes of that cache's counters
 * in the same phase (port[stat_index(name)]).  Every rule must be needed:
 * a rule whose kernel never differs from the port fails the test.
 */
struct expected_diff {
	const char *kernel; /* version prefix, as "6.12" */
	const char *counter;
	long long (*kernel_value)(const long long *port);
	const char *why;
	unsigned used; /* phases and caches where the values differed as predicted */
};

static long long refill_without_cpu_partial(const long long *port)
{
	return port[stat_index("ALLOC_REFILL")] - port[stat_index("CPU_PARTIAL_ALLOC")];
}

static long long none(const long long *port)
{
	(void)port;
	return 0;
}

static struct expected_diff expected_diffs[] = {
	{
	    "6.12",
	    "ALLOC_REFILL",
	    refill_without_cpu_partial,
	    /*
	     * 5.19 and 6.1 (mm/slub.c:3129 of 6.1.192, ___slab_alloc) make a
	     * slab taken from the per-CPU partial list the cpu slab and goto
	     * redo, whose get_freelist counts ALLOC_REFILL (6.1:3081), as the
	     * port does; from 6.8 (8cd3fa428b56, "slub: Delay freezing of
	     * partial slabs") ___slab_alloc takes its freelist in place and
	     * goes to load_freelist (6.12.117:3852-3858): CPU_PARTIAL_ALLOC,
	     * no ALLOC_REFILL.
	     */
	    "___slab_alloc, 6.12 mm/slub.c:3857: a per-CPU partial slab is loaded without "
	    "ALLOC_REFILL",
	    0,
	},
	{
	    "6.12",
	    "FREE_FROZEN",
	    none,
	    /*
	     * 5.19 and 6.1 freeze a full slab that a free makes partial and
	     * put it on the per-CPU partial list (6.1:3535, __slab_free), so
	     * the frees into it that follow count FREE_FROZEN (6.1:3565), as
	     * in the port; from 6.8 (the same commit) per-CPU partial slabs stay unfrozen
	     * (6.12.117:92-98, the state table; 4555, put_cpu_partial of an
	     * unfrozen slab), so on one CPU, where every free into the frozen
	     * cpu slab takes the fastpath, nothing counts FREE_FROZEN (4549).
	     */
	    "__slab_free, 6.12 mm/slub.c:4549/4555: per-CPU partial slabs are not frozen",
	    0,
	},
};

#define NR_EXPECTED_DIFFS (sizeof(expected_diffs) / sizeof(expected_diffs[0]))

static bool version_is(const char *v)
{
	size_t n = strlen(v);
	return !strncmp(kslab_kernel_version, v, n) && kslab_kernel_version[n] == '.';
}

static unsigned failures;

/* The kernel's change k of counter i of the cache against the port's changes port[]. */
static void compare_stat(const char *phase, size_t cache, unsigned i, const long long *port,
			 long long k)
{
	long long want = port[i];
	struct expected_diff *rule = NULL;

	for (unsigned r = 0; r < NR_EXPECTED_DIFFS; r++)
		if (version_is(expected_diffs[r].kernel) &&
		    !strcmp(expected_diffs[r].counter, common[i]))
			rule = &expected_diffs[r];
	if (rule) {
		want = rule->kernel_value(port);
		rule->used += want != port[i];
	}
	if (k == want)
		return;
	print_error("%s: kmalloc-%zu %s: port %lld, linux %s %lld, expected %lld%s%s\n", phase,
		    cache, common[i], port[i], kslab_kernel_version, k, want,
		    rule ? " by the rule: " : "", rule ? rule->why : "");
	failures++;
}

static void compare_pages(const char *phase, const char *what, unsigned long port, unsigned long k)
{
	if (port == k)
		return;
	print_error("%s: %s: port %lu, linux %s %lu\n", phase, what, port, kslab_kernel_version, k);
	failures++;
}

/* Totals per workload, for the table the test prints. */
struct totals {
	long long port[KMALLOC_CACHES][MAX_STATS], kern[KMALLOC_CACHES][MAX_STATS];
};

/*
 * Runs a phase on both sides (fn with its argument), then compares the
 * change of every shared counter of every kmalloc cache, the pages in use
 * after the phase and their peak during it.
 */
static void phase(const char *name, void (*fn)(struct side *, const void *), const void *arg,
		  struct totals *tot)
{
	struct snapshot p0, p1, k0, k1;
	struct side *sides[2] = { &port_side, &kern_side };
	struct snapshot *before[2] = { &p0, &k0 }, *after[2] = { &p1, &k1 };

	for (int i = 0; i < 2; i++) {
		sides[i]->peak = sides[i]->pages_in_use();
		snap(sides[i], before[i]);
		fn(sides[i], arg);
		snap(sides[i], after[i]);
	}
	for (unsigned c = 0; c < KMALLOC_CACHES; c++) {
		long long dp[MAX_STATS];
		for (unsigned i = 0; i < nr_common; i++)
			dp[i] = p1.stat[c][i] - p0.stat[c][i];
		for (unsigned i = 0; i < nr_common; i++) {
			long long dk = k1.stat[c][i] - k0.stat[c][i];
			compare_stat(name, cache_sizes[c], i, dp, dk);
			tot->port[c][i] += dp[i];
			tot->kern[c][i] += dk;
		}
	}
	compare_pages(name, "pages in use after", p1.pages - p0.pages, k1.pages - k0.pages);
	compare_pages(name, "pages in use at most", p1.peak - p0.pages, k1.peak - k0.pages);
}

static void print_totals(const char *workload, const struct totals *t)
{
	printf("# %s: counter per cache, port v5.19 | linux %s (changed ones)\n", workload,
	       kslab_kernel_version);
	for (unsigned c = 0; c < KMALLOC_CACHES; c++)
		for (unsigned i = 0; i < nr_common; i++)
			if (t->port[c][i] || t->kern[c][i])
				printf("#   kmalloc-%-5zu %-24s %9lld %9lld%s\n", cache_sizes[c],
				       common[i], t->port[c][i], t->kern[c][i],
				       t->port[c][i] != t->kern[c][i] ? "  differs" : "");
}

/* ---------------------------------------------------------------------- */
/* The tests                                                               */

static int setup(void **state)
{
	struct slab_env_config cfg;

	(void)state;
	if (kslab_init(1, 0))
		return -1;
	slab_env_defaults(&cfg);
	cfg.design = slab_design_find("v5.19");
	cfg.cpus = 1;
	cfg.cpu_partial = true;
	if (slab_env_open(&cfg))
		return -1;
	native_set_cpu(0);
	kslab_set_cpu(0);
	find_common_stats();
	printf("# port v5.19 against Linux %s (%s), one CPU\n", kslab_kernel_version,
	       kslab_kernel_origin);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	slab_env_close();
	return 0;
}

/* Every counter the port has, the kernel has, by the same name. */
static void test_counter_names(void **state)
{
	(void)state;
	assert_int_equal(nr_common, NR_SLUB_STAT_ITEMS);
}

/* Both laid every kmalloc cache out alike: else no counter could agree. */
static void test_layout(void **state)
{
	unsigned bad = 0;

	(void)state;
	printf("# cache         size order objects min_partial cpu_partial (port | linux %s; "
	       "the partial limit in objects + slabs)\n",
	       kslab_kernel_version);
	for (unsigned c = 0; c < KMALLOC_CACHES; c++) {
		struct kmem_cache *s = kmalloc_slab(cache_sizes[c]);
		struct kslab_cache_layout k;
		kslab_cache_layout(kslab_kmalloc_cache(cache_sizes[c]), &k);
		printf(
		    "#   kmalloc-%-5zu %4d %5u %7u %11lu %6d + %2u | %4u %5u %7u %11lu %6u + %2u\n",
		    cache_sizes[c], s->size, oo_order(s->oo), oo_objects(s->oo), s->min_partial,
		    s->cpu_partial, s->cpu_partial_slabs, k.size, k.order, k.objects, k.min_partial,
		    k.cpu_partial, k.cpu_partial_slabs);
		bad += s->size != (int)k.size || oo_order(s->oo) != k.order ||
		       oo_objects(s->oo) != k.objects || s->min_partial != k.min_partial ||
		       s->cpu_partial != (int)k.cpu_partial ||
		       s->cpu_partial_slabs != k.cpu_partial_slabs;
	}
	assert_int_equal(bad, 0);
}

struct slab_test_arg {
	size_t size;
	void **buf;
};

static void run_test1(struct side *s, const void *arg)
{
	const struct slab_test_arg *a = arg;
	struct slab_test_result r = { 0 };
	side_repeat(s, a->size, SLAB_TEST_COUNT, a->buf, &r);
	assert_false(r.failed);
}

static void run_test2(struct side *s, const void *arg)
{
	const struct slab_test_arg *a = arg;
	struct slab_test_result r = { 0 };
	side_pair(s, a->size, SLAB_TEST_COUNT, &r);
	assert_false(r.failed);
}

static void test_slab_test(void **state)
{
	static void *buf[SLAB_TEST_COUNT];
	static struct totals tot;
	char name[32];

	(void)state;
	failures = 0;
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
		struct slab_test_arg a = { slab_test_sizes[i], buf };
		snprintf(name, sizeof(name), "test1 %zu", a.size);
		phase(name, run_test1, &a, &tot);
	}
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
		struct slab_test_arg a = { slab_test_sizes[i], buf };
		snprintf(name, sizeof(name), "test2 %zu", a.size);
		phase(name, run_test2, &a, &tot);
	}
	print_totals("slab_test", &tot);
	assert_int_equal(failures, 0);
}

/* random_mix with the workload's defaults (sim/workloads/wl_random_mix.c). */
static const int64_t mix_sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048 };
#define MIX_SEED 1
#define MIX_OPS 100000
#define MIX_LIVE_MAX 1000

static void run_mix(struct side *s, const void *arg)
{
	static void *live[MIX_LIVE_MAX];
	const struct random_mix_args *a = arg;
	struct sim_rng r;
	sim_rng_seed(&r, MIX_SEED);
	struct random_mix_counts n;
	side_random_mix_run(s, a, &r, live, &n);
	assert_int_equal(n.allocs + n.frees, a->ops);
}

static void test_random_mix(void **state)
{
	static struct totals tot;
	const struct random_mix_args a = {
		.sizes = mix_sizes,
		.nr_sizes = sizeof(mix_sizes) / sizeof(mix_sizes[0]),
		.ops = MIX_OPS,
		.live_max = MIX_LIVE_MAX,
		.free_percent = 50,
	};

	(void)state;
	failures = 0;
	phase("random_mix", run_mix, &a, &tot);
	print_totals("random_mix", &tot);
	assert_int_equal(failures, 0);
}

/* Every rule for this kernel explained a difference that occurred. */
static void test_rules_needed(void **state)
{
	(void)state;
	for (unsigned r = 0; r < NR_EXPECTED_DIFFS; r++) {
		if (!version_is(expected_diffs[r].kernel))
			continue;
		printf("# rule %s %s: %u differences (%s)\n", expected_diffs[r].kernel,
		       expected_diffs[r].counter, expected_diffs[r].used, expected_diffs[r].why);
		assert_true(expected_diffs[r].used > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_names), cmocka_unit_test(test_layout),
		cmocka_unit_test(test_slab_test),     cmocka_unit_test(test_random_mix),
		cmocka_unit_test(test_rules_needed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
