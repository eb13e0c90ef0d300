/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_seed_slab_test.c - the seed's slab_test tests 1 and 2, natively on
 * one CPU, for every design, with the SLUB_STATS counters showing which
 * paths ran; and lameter-v1-posted's two defects pinned down: the posted
 * free-side test (FREE_FASTPATH against FREE_SLOWPATH) and the slab leak of
 * patch 6/7 (page accounting after the run).
 */
#include <stdlib.h>

#include "port_native.h"
#include "slab_test.h"
#include "slub_internal.h"
#include "test_env.h"

/* The seed's machine had between 8 and 127 CPUs (see README); 16 here. */
#define SEED_CPUS 16
#define COUNT SLAB_TEST_COUNT

static void touch(void *object)
{
	*(volatile char *)object = 0;
}

static uint64_t no_clock(void)
{
	return 0;
}

static const struct slab_test_env env = { no_clock, touch };

struct path_counts {
	unsigned long alloc_fast, alloc_slow, free_fast, free_slow, cpu_fail;
};

static void counts(struct kmem_cache *s, struct path_counts *c)
{
	c->alloc_fast = slab_stat_sum(s, ALLOC_FASTPATH);
	c->alloc_slow = slab_stat_sum(s, ALLOC_SLOWPATH);
	c->free_fast = slab_stat_sum(s, FREE_FASTPATH);
	c->free_slow = slab_stat_sum(s, FREE_SLOWPATH);
	c->cpu_fail = slab_stat_sum(s, CMPXCHG_DOUBLE_CPU_FAIL);
}

/*
 * Runs test 1 over every size, then test 2 over every size, as the module
 * does; checks the counters of each test 1 and returns test 2's in pair[].
 */
static void run_seed(struct path_counts pair[SLAB_TEST_SIZES])
{
	void **buf = calloc(COUNT, sizeof(*buf));
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
		size_t size = slab_test_sizes[i];
		struct kmem_cache *s = kmalloc_slab(size);
		struct slab_test_result r = { 0 };
		unsigned long slab_allocs = stat_total(ALLOC_FASTPATH) + stat_total(ALLOC_SLOWPATH);
		unsigned long frames = page_alloc_pages_in_use();
		if (s)
			slab_stat_reset(s);
		slab_test_repeat(&env, size, COUNT, buf, &r);
		assert_false(r.failed);
		if (!s) {
			/* kmalloc_large: the page allocator alone, and all of it back */
			assert_int_equal(stat_total(ALLOC_FASTPATH) + stat_total(ALLOC_SLOWPATH),
					 slab_allocs);
			assert_int_equal(page_alloc_pages_in_use(), frames);
			continue;
		}
		struct path_counts c;
		counts(s, &c);
		assert_int_equal(c.alloc_fast + c.alloc_slow, COUNT);
		assert_int_equal(c.free_fast + c.free_slow, COUNT);
		/* One slow allocation per slab's worth, give or take the first. */
		unsigned per_slab = oo_objects(s->oo);
		assert_true(c.alloc_slow >= COUNT / per_slab);
		assert_true(c.alloc_slow <= COUNT / per_slab + 2);
		/* Test 1 frees in allocation order: most objects' slab is no
		 * longer the cpu slab, so most frees are slow. */
		assert_true(c.free_slow >= COUNT - 2 * per_slab);
	}
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
		struct kmem_cache *s = kmalloc_slab(slab_test_sizes[i]);
		struct slab_test_result r = { 0 };
		if (s)
			slab_stat_reset(s);
		slab_test_pair(&env, slab_test_sizes[i], COUNT, &r);
		assert_false(r.failed);
		memset(&pair[i], 0, sizeof(pair[i]));
		if (s) {
			counts(s, &pair[i]);
			assert_int_equal(pair[i].cpu_fail, 0);
		}
	}
	free(buf);
}

/* Test 2 is a nearly pure fastpath pair for the safe designs. */
static void test_seed_safe(void **state)
{
	struct path_counts pair[SLAB_TEST_SIZES];
	test_open(*state, SEED_CPUS, 512);
	run_seed(pair);
	for (unsigned i = 0; i + 1 < SLAB_TEST_SIZES; i++) {
		if (pair[i].alloc_fast < COUNT - 2 || pair[i].free_fast < COUNT - 2)
			fail_msg("%s kmalloc(%zu)/kfree: %lu fast allocs, %lu fast frees of %u",
				 (char *)*state, slab_test_sizes[i], pair[i].alloc_fast,
				 pair[i].free_fast, COUNT);
	}
	test_close_clean();
}

/*
 * lameter-v1-posted: the free test of patch 3/7 bounds the offset by
 * compound_order << PAGE_SHIFT, which is 0 for an order-0 slab: every free
 * of test 2 into caches of order 0 (kmalloc-8 .. kmalloc-128 with 16 CPUs)
 * goes to __slab_free.  For order > 0 the offset of c->freelist in the slab
 * passes while it is below 2048 bytes and the order's bound: the end token
 * (offset 1) always does, so test 2 runs fast once the cpu slab is
 * exhausted.  That is the shape of the seed's "After" column: no gain for
 * 8 .. 128, a large one from 256 on.
 */
static void test_seed_v1_posted_free_test(void **state)
{
	struct path_counts pair[SLAB_TEST_SIZES];
	test_open("lameter-v1-posted", SEED_CPUS, 512);
	run_seed(pair);
	for (unsigned i = 0; i + 1 < SLAB_TEST_SIZES; i++) {
		struct kmem_cache *s = kmalloc_slab(slab_test_sizes[i]);
		print_message(
		    "kmalloc-%zu (order %u): test 2 FREE_FASTPATH %lu FREE_SLOWPATH %lu\n",
		    slab_test_sizes[i], oo_order(s->oo), pair[i].free_fast, pair[i].free_slow);
		assert_int_equal(pair[i].alloc_fast + pair[i].alloc_slow, COUNT);
		if (oo_order(s->oo) == 0) {
			assert_int_equal(pair[i].free_fast, 0);
			assert_int_equal(pair[i].free_slow, COUNT);
		} else {
			assert_true(pair[i].free_fast >= COUNT - oo_objects(s->oo));
		}
	}
	/* And the leak: slabs that no CPU owns stay frozen forever. */
	struct slab_env_check check;
	slab_env_finish(&check, NULL, NULL);
	print_message("lameter-v1-posted after the seed's tests: %u findings, %lu slab pages "
		      "leaked (%lu frames)\n",
		      check.problems, check.slab_pages, check.pages_in_use);
	assert_true(check.slab_pages > 0);
	assert_int_equal(check.problems, check.slab_pages); /* each: frozen, no owner */
	slab_env_close();
}

/*
 * The leak of patch 6/7, step by step on one CPU: exhaust slab A, move to
 * slab B, free one object of A (A goes to the per-CPU partial list),
 * exhaust B, allocate once more.  Posted: the token in c->freelist is taken
 * for "no cpu slab", A is loaded from the partial list and B is forgotten,
 * still frozen: exactly one slab leaks.  Mended: B is found through its
 * token, unfrozen by get_freelist (DEACTIVATE_BYPASS), nothing leaks.
 */
static void leak_sequence(const char *design, unsigned long *leaked_slabs)
{
	test_open(design, 1, 16);
	struct kmem_cache *s = kmalloc_slab(256);
	unsigned per_slab = oo_objects(s->oo);
	void **a = calloc(per_slab, sizeof(*a)), **b = calloc(per_slab + 1, sizeof(*b));
	for (unsigned i = 0; i < per_slab; i++)
		a[i] = kmalloc(256);
	for (unsigned i = 0; i < per_slab; i++)
		b[i] = kmalloc(256);
	kfree(a[0]);
	assert_int_equal(slab_stat_sum(s, CPU_PARTIAL_FREE), 1);
	b[per_slab] = kmalloc(256); /* slab B is exhausted now: slow path */
	assert_int_equal(slab_stat_sum(s, CPU_PARTIAL_ALLOC), 1);
	assert_ptr_equal(b[per_slab], a[0]);
	for (unsigned i = 1; i < per_slab; i++)
		kfree(a[i]);
	for (unsigned i = 0; i <= per_slab; i++)
		kfree(b[i]);
	free(a);
	free(b);
	struct slab_env_check check;
	slab_env_finish(&check, NULL, NULL);
	*leaked_slabs = check.slab_pages;
	assert_int_equal(check.problems, check.slab_pages);
	slab_env_close();
}

static void test_v1_posted_leak_sequence(void **state)
{
	unsigned long posted, mended;
	leak_sequence("lameter-v1-posted", &posted);
	leak_sequence("lameter-v1", &mended);
	assert_int_equal(posted, 1);
	assert_int_equal(mended, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_SAFE(test_seed_safe),
		/* The mutants are only wrong under concurrency: single-threaded
		 * they must behave as the safe designs do. */
		cmocka_unit_test_prestate(test_seed_safe, (void *)"aba-2008"),
		cmocka_unit_test_prestate(test_seed_safe, (void *)"rostedt-2013"),
		cmocka_unit_test_prestate(test_seed_safe, (void *)"null-alias-2014"),
		cmocka_unit_test(test_seed_v1_posted_free_test),
		cmocka_unit_test(test_v1_posted_leak_sequence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
