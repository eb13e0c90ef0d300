/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_slub_stats.c - every SLUB_STATS counter, counted exactly: each test
 * drives one cache through a known sequence of slab transitions on the
 * native port (one thread; CPUs switched by native_set_cpu, so nothing
 * races and every count follows from the sequence) and checks the change
 * of all 26 counters after each step, so a counter that moves when it
 * should not fails as surely as one that stays.  CMPXCHG_DOUBLE_FAIL needs
 * a race: the simulator's test (test_sim.c) counts it.
 *
 * The cache: 256-byte objects, order 0 (16 objects a slab), min_partial 5,
 * cpu_partial 13 objects, or from 5.16 on (v5.19, design->cpu_partial_slabs)
 * 52 objects held as a limit of 7 slabs (alloc/slub_cache.c, set_tunables),
 * on 2 CPUs.
 */
#include <stdlib.h>
#include <string.h>

#include "slub_internal.h"
#include "test_env.h"

struct stats_check {
	struct kmem_cache *s;
	unsigned long last[NR_SLUB_STAT_ITEMS];
};

static void snap(struct stats_check *sc)
{
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		sc->last[si] = slab_stat_sum(sc->s, (enum stat_item)si);
}

/* An expected change: counter and amount; every counter not listed must not move. */
struct delta {
	enum stat_item si;
	unsigned long by;
};

#define EXPECT(sc, step, ...)                                          \
	expect_deltas(sc, step, (const struct delta[]){ __VA_ARGS__ }, \
		      sizeof((const struct delta[]){ __VA_ARGS__ }) / sizeof(struct delta))
#define EXPECT_NONE(sc, step) expect_deltas(sc, step, NULL, 0)

static void expect_deltas(struct stats_check *sc, const char *step, const struct delta *d,
			  unsigned n)
{
	unsigned long want[NR_SLUB_STAT_ITEMS] = { 0 };
	for (unsigned i = 0; i < n; i++)
		want[d[i].si] += d[i].by;
	bool ok = true;
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++) {
		unsigned long got = slab_stat_sum(sc->s, (enum stat_item)si) - sc->last[si];
		if (got != want[si]) {
			print_error("%s: %s changed by %lu, expected %lu\n", step,
				    slab_stat_name((enum stat_item)si), got, want[si]);
			ok = false;
		}
	}
	if (!ok)
		fail_msg("SLUB_STATS after '%s' (design %s)", step, sc->s->design->name);
	snap(sc);
}

static struct kmem_cache *open_cache(const char *design, struct stats_check *sc)
{
	test_open(design, 2, 64);
	struct kmem_cache *s =
	    kmem_cache_create("stats-256", 256, 8, slab_design_find(design), NULL);
	assert_non_null(s);
	/* The figures the counts below are worked out from. */
	assert_int_equal(oo_objects(s->oo), 16);
	assert_int_equal(s->min_partial, 5);
	if (s->design->cpu_partial_slabs) {
		assert_int_equal(s->cpu_partial, 52);
		assert_int_equal(s->cpu_partial_slabs, 7);
	} else {
		assert_int_equal(s->cpu_partial, 13);
	}
	sc->s = s;
	snap(sc);
	return s;
}

static void close_cache(struct kmem_cache *s, void **v, unsigned n)
{
	native_set_cpu(0);
	for (unsigned i = 0; i < n; i++)
		if (v[i])
			kmem_cache_free(s, v[i]);
	assert_int_equal(kmem_cache_destroy(s), 0);
	test_close_clean();
}

enum { N = 16 };

/*
 * One CPU: a slab filled (the first allocation slow, the rest fast), the
 * next one found empty (bypass), frees into the full slab (it is frozen
 * onto the per-CPU partial list, then frees into it are frozen frees), a
 * fastpath free, and the refill from the per-CPU partial list.
 */
static void test_fill_bypass_refill(void **state)
{
	struct stats_check sc;
	struct kmem_cache *s = open_cache(*state, &sc);
	void *a[N], *b[N + 1];
	for (unsigned i = 0; i < N; i++)
		a[i] = kmem_cache_alloc(s);
	EXPECT(&sc, "first slab filled", { ALLOC_SLAB, 1 }, { ALLOC_SLOWPATH, 1 },
	       { ALLOC_FASTPATH, N - 1 });

	b[0] = kmem_cache_alloc(s);
	EXPECT(&sc, "allocation past a full cpu slab", { DEACTIVATE_BYPASS, 1 }, { ALLOC_SLAB, 1 },
	       { ALLOC_SLOWPATH, 1 });

	kmem_cache_free(s, a[0]);
	EXPECT(&sc, "free into the full slab", { FREE_SLOWPATH, 1 }, { CPU_PARTIAL_FREE, 1 });
	kmem_cache_free(s, a[1]);
	EXPECT(&sc, "free into the frozen per-CPU partial slab", { FREE_SLOWPATH, 1 },
	       { FREE_FROZEN, 1 });
	kmem_cache_free(s, b[0]);
	EXPECT(&sc, "free into the cpu slab", { FREE_FASTPATH, 1 });

	for (unsigned i = 0; i < N; i++)
		b[i] = kmem_cache_alloc(s);
	EXPECT(&sc, "second slab emptied", { ALLOC_FASTPATH, N });
	b[N] = kmem_cache_alloc(s);
	EXPECT(&sc, "refill from the per-CPU partial list", { DEACTIVATE_BYPASS, 1 },
	       { CPU_PARTIAL_ALLOC, 1 }, { ALLOC_REFILL, 1 }, { ALLOC_SLOWPATH, 1 });
	/* The refill took page->freelist, a[1] then a[0]: LIFO. */
	assert_ptr_equal(b[N], a[1]);

	void *rest[2 * N + 1];
	unsigned n = 0;
	for (unsigned i = 2; i < N; i++)
		rest[n++] = a[i];
	for (unsigned i = 0; i <= N; i++)
		rest[n++] = b[i];
	close_cache(s, rest, n);
}

/* Flushing a cpu slab: full, partly used, with remote frees, empty. */
static void test_deactivate(void **state)
{
	struct stats_check sc;
	struct kmem_cache *s = open_cache(*state, &sc);
	void *a[N];
	for (unsigned i = 0; i < N; i++)
		a[i] = kmem_cache_alloc(s);
	snap(&sc);
	kmem_cache_shrink(s);
	EXPECT(&sc, "flush of a full cpu slab", { CPUSLAB_FLUSH, 1 }, { DEACTIVATE_FULL, 1 });
	close_cache(s, a, N);

	s = open_cache(*state, &sc);
	void *p = kmem_cache_alloc(s), *q = kmem_cache_alloc(s);
	snap(&sc);
	kmem_cache_shrink(s);
	EXPECT(&sc, "flush of a partly used cpu slab", { CPUSLAB_FLUSH, 1 },
	       { DEACTIVATE_TO_HEAD, 1 });
	void *pq[] = { p, q };
	close_cache(s, pq, 2);

	s = open_cache(*state, &sc);
	p = kmem_cache_alloc(s);
	q = kmem_cache_alloc(s);
	snap(&sc);
	native_set_cpu(1);
	kmem_cache_free(s, p);
	EXPECT(&sc, "remote free into cpu 0's slab", { FREE_SLOWPATH, 1 }, { FREE_FROZEN, 1 });
	native_set_cpu(0);
	kmem_cache_shrink(s);
	EXPECT(&sc, "flush of a cpu slab with remote frees", { CPUSLAB_FLUSH, 1 },
	       { DEACTIVATE_REMOTE_FREES, 1 }, { DEACTIVATE_TO_TAIL, 1 });
	close_cache(s, &q, 1);

	/* Empty: kept on the node list below min_partial, freed at it. */
	s = open_cache(*state, &sc);
	kmem_cache_free(s, kmem_cache_alloc(s));
	snap(&sc);
	kmem_cache_shrink(s);
	EXPECT(&sc, "flush of an empty cpu slab, node below min_partial", { CPUSLAB_FLUSH, 1 },
	       { DEACTIVATE_TO_HEAD, 1 });
	close_cache(s, NULL, 0);

	s = open_cache(*state, &sc);
	s->min_partial = 0; /* the tunable, as /sys/kernel/slab/NAME/min_partial sets it */
	kmem_cache_free(s, kmem_cache_alloc(s));
	snap(&sc);
	kmem_cache_shrink(s);
	EXPECT(&sc, "flush of an empty cpu slab, node at min_partial", { CPUSLAB_FLUSH, 1 },
	       { DEACTIVATE_EMPTY, 1 }, { FREE_SLAB, 1 });
	close_cache(s, NULL, 0);
}

/*
 * The node's partial list: slabs reach it from the per-CPU partial list
 * (flush), an emptied slab leaves it for the page allocator once the node
 * holds min_partial, an allocation takes several slabs from it, and a
 * per-CPU partial list over cpu_partial drains back to it.
 */
static void test_node_lists(void **state)
{
	struct stats_check sc;
	struct kmem_cache *s = open_cache(*state, &sc);
	enum { SLABS = 6 };
	void *v[SLABS][N];
	for (unsigned k = 0; k < SLABS; k++)
		for (unsigned i = 0; i < N; i++)
			v[k][i] = kmem_cache_alloc(s);
	EXPECT(&sc, "six slabs filled", { ALLOC_SLAB, SLABS }, { ALLOC_SLOWPATH, SLABS },
	       { ALLOC_FASTPATH, SLABS * (N - 1) }, { DEACTIVATE_BYPASS, SLABS - 1 });

	/* One free into each of the five full slabs: five on the per-CPU list. */
	for (unsigned k = 0; k < 5; k++) {
		kmem_cache_free(s, v[k][0]);
		v[k][0] = NULL;
	}
	EXPECT(&sc, "five full slabs frozen onto the per-CPU partial list", { FREE_SLOWPATH, 5 },
	       { CPU_PARTIAL_FREE, 5 });
	kmem_cache_shrink(s);
	EXPECT(&sc, "flush: the full cpu slab, five slabs to the node", { CPUSLAB_FLUSH, 1 },
	       { DEACTIVATE_FULL, 1 }, { FREE_ADD_PARTIAL, 5 });
	assert_int_equal(get_node(s, 0)->nr_partial, 5);

	/* From cpu 1: slab 0 emptied while the node holds min_partial: freed. */
	native_set_cpu(1);
	for (unsigned i = 1; i < N; i++) {
		kmem_cache_free(s, v[0][i]);
		v[0][i] = NULL;
	}
	EXPECT(&sc, "a node slab emptied at min_partial", { FREE_SLOWPATH, N - 1 },
	       { FREE_REMOVE_PARTIAL, 1 }, { FREE_SLAB, 1 });
	assert_int_equal(get_node(s, 0)->nr_partial, 4);
	/* Slab 1 emptied below min_partial: it stays. */
	for (unsigned i = 1; i < N; i++) {
		kmem_cache_free(s, v[1][i]);
		v[1][i] = NULL;
	}
	EXPECT(&sc, "a node slab emptied below min_partial", { FREE_SLOWPATH, N - 1 });
	assert_int_equal(get_node(s, 0)->nr_partial, 4);

	/*
	 * Cpu 0 has no cpu slab: it takes node slabs until it holds more
	 * than cpu_partial / 2 free objects, or (5.16 on) has moved more than
	 * cpu_partial_slabs / 2 to its per-CPU list: all four either way
	 * (1 + 1 + 1 + 16 objects; 3 slabs moved, not more than 7 / 2).
	 */
	native_set_cpu(0);
	void *x = kmem_cache_alloc(s);
	EXPECT(&sc, "allocation from the node's partial list", { ALLOC_SLOWPATH, 1 },
	       { ALLOC_FROM_PARTIAL, 1 }, { CPU_PARTIAL_NODE, 3 });
	assert_int_equal(get_node(s, 0)->nr_partial, 0);

	/*
	 * A free into the full slab 5: the per-CPU list holds 18 free objects
	 * in 3 slabs.  Over cpu_partial (13) objects, it drains first; limited
	 * in slabs (5.16 on), 3 are fewer than 7: the slab joins them.
	 */
	kmem_cache_free(s, v[5][0]);
	v[5][0] = NULL;
	if (s->design->cpu_partial_slabs) {
		EXPECT(&sc, "free with a per-CPU partial list under cpu_partial_slabs",
		       { FREE_SLOWPATH, 1 }, { CPU_PARTIAL_FREE, 1 });
		assert_int_equal(get_node(s, 0)->nr_partial, 0);
	} else {
		EXPECT(&sc, "free with a per-CPU partial list over cpu_partial",
		       { FREE_SLOWPATH, 1 }, { CPU_PARTIAL_DRAIN, 1 }, { FREE_ADD_PARTIAL, 3 },
		       { CPU_PARTIAL_FREE, 1 });
		assert_int_equal(get_node(s, 0)->nr_partial, 3);
	}

	kmem_cache_free(s, x);
	close_cache(s, &v[0][0], SLABS * N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_SAFE(test_fill_bypass_refill),
		FOR_SAFE(test_deactivate),
		FOR_SAFE(test_node_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
