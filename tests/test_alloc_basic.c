/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_alloc_basic.c - single-CPU behaviour every safe design must have:
 * distinct, aligned objects inside a slab of the right cache; LIFO reuse;
 * a full drain-and-refill cycle through the partial lists; and every slab
 * page back in the page allocator after freeing everything and shrinking.
 */
#include <stdlib.h>
#include <string.h>

#include "slub_internal.h"
#include "test_env.h"

static const size_t cache_sizes[] = { 8, 24, 96, 192, 256, 1000, 4096 };

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
	return x < y ? -1 : x > y;
}

/* object lies at an object boundary inside a slab page of cache s */
static void assert_in_slab(struct kmem_cache *s, void *object)
{
	assert_true(slab_world_in_arena(object));
	struct page *page = slab_world_virt_to_page(object);
	if (page->flags & PG_tail)
		page = page->first_page;
	assert_true(page->flags & PG_slab);
	assert_ptr_equal(page->slab_cache, s);
	long d = (char *)object - (char *)slab_world_page_address(page);
	assert_true(d >= 0);
	assert_int_equal(d % s->size, 0);
	assert_true(d / s->size < (long)counters_objects(page->counters));
	assert_int_equal((uintptr_t)object % (uintptr_t)s->align, 0);
}

static void test_distinct_aligned_inside(void **state)
{
	test_open(*state, 1, 64);
	for (unsigned i = 0; i < sizeof(cache_sizes) / sizeof(cache_sizes[0]); i++) {
		struct kmem_cache *s =
		    kmem_cache_create("test", cache_sizes[i], 8, slab_design_find(*state), NULL);
		assert_non_null(s);
		unsigned n = 3 * oo_objects(s->oo) + 1;
		void **v = calloc(n, sizeof(*v));
		for (unsigned j = 0; j < n; j++) {
			v[j] = kmem_cache_alloc(s);
			assert_non_null(v[j]);
			assert_in_slab(s, v[j]);
			memset(v[j], 0xa5, cache_sizes[i]); /* the object is ours to write */
		}
		qsort(v, n, sizeof(*v), cmp_ptr);
		for (unsigned j = 1; j < n; j++)
			assert_true((char *)v[j - 1] + s->size <= (char *)v[j]);
		assert_int_equal(slab_validate(test_report, NULL), 0);
		for (unsigned j = 0; j < n; j++)
			kmem_cache_free(s, v[j]);
		free(v);
		assert_int_equal(kmem_cache_destroy(s), 0);
	}
	test_close_clean();
}

static void test_lifo_reuse(void **state)
{
	test_open(*state, 1, 64);
	void *p = kmalloc(64);
	kfree(p);
	assert_ptr_equal(kmalloc(64), p);
	void *a = kmalloc(64), *b = kmalloc(64);
	kfree(b);
	kfree(a);
	assert_ptr_equal(kmalloc(64), a);
	assert_ptr_equal(kmalloc(64), b);
	kfree(a);
	kfree(b);
	kfree(p);
	test_close_clean();
}

/*
 * Fill three slabs and one object, free everything (the full slabs come
 * back through __slab_free to the per-CPU partial list), and fill again:
 * the second round must not need a new slab.
 */
static void test_drain_refill(void **state)
{
	test_open(*state, 1, 64);
	struct kmem_cache *s = kmalloc_slab(256);
	unsigned n = 3 * oo_objects(s->oo) + 1;
	void **v = calloc(n, sizeof(*v));
	for (int round = 0; round < 3; round++) {
		unsigned long slabs_before = slab_stat_sum(s, ALLOC_SLAB);
		for (unsigned j = 0; j < n; j++) {
			v[j] = kmalloc(256);
			assert_in_slab(s, v[j]);
		}
		if (round > 0)
			assert_int_equal(slab_stat_sum(s, ALLOC_SLAB), slabs_before);
		assert_int_equal(slab_validate(test_report, NULL), 0);
		for (unsigned j = 0; j < n; j++)
			kfree(v[j]);
		assert_int_equal(slab_validate(test_report, NULL), 0);
	}
	assert_true(slab_stat_sum(s, FREE_SLOWPATH) > 0);
	assert_true(slab_stat_sum(s, CPU_PARTIAL_FREE) + slab_stat_sum(s, FREE_ADD_PARTIAL) > 0);
	assert_true(slab_stat_sum(s, CPU_PARTIAL_ALLOC) + slab_stat_sum(s, ALLOC_FROM_PARTIAL) > 0);
	free(v);
	test_close_clean();
}

/* The same, with per-CPU partial lists off: pages go to the node list. */
static void test_no_cpu_partial(void **state)
{
	struct slab_env_config cfg;
	slab_env_defaults(&cfg);
	cfg.design = slab_design_find(*state);
	cfg.cpu_partial = false;
	cfg.mib_per_node = 64;
	assert_null(slab_env_open(&cfg));
	native_set_cpu(0);
	struct kmem_cache *s = kmalloc_slab(128);
	assert_int_equal(s->cpu_partial, 0);
	unsigned n = 4 * oo_objects(s->oo);
	void **v = calloc(n, sizeof(*v));
	for (int round = 0; round < 2; round++) {
		for (unsigned j = 0; j < n; j++)
			v[j] = kmalloc(128);
		for (unsigned j = 0; j < n; j++)
			kfree(v[j]);
		assert_int_equal(slab_validate(test_report, NULL), 0);
	}
	assert_int_equal(slab_stat_sum(s, CPU_PARTIAL_FREE), 0);
	assert_int_equal(slab_stat_sum(s, CPU_PARTIAL_ALLOC), 0);
	assert_true(slab_stat_sum(s, FREE_ADD_PARTIAL) > 0);
	assert_true(slab_stat_sum(s, ALLOC_FROM_PARTIAL) > 0);
	free(v);
	test_close_clean();
}

/* Frees out of order, across several slabs, and a shrink in the middle. */
static void test_shrink_returns_pages(void **state)
{
	test_open(*state, 1, 64);
	unsigned long base = page_alloc_pages_in_use();
	assert_int_equal(base, 0);
	enum { N = 5000 };
	void **v = calloc(N, sizeof(*v));
	for (unsigned j = 0; j < N; j++)
		v[j] = kmalloc(32 + (j % 7) * 100);
	for (unsigned j = 0; j < N; j += 2)
		kfree(v[j]);
	for (struct kmem_cache *s = slab_cache_first(); s; s = slab_cache_next(s))
		kmem_cache_shrink(s);
	assert_int_equal(slab_validate(test_report, NULL), 0);
	assert_true(page_alloc_pages_in_use() > 0);
	for (unsigned j = 1; j < N; j += 2)
		kfree(v[j]);
	free(v);
	test_close_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_SAFE(test_distinct_aligned_inside),
		FOR_SAFE(test_lifo_reuse),
		FOR_SAFE(test_drain_refill),
		FOR_SAFE(test_no_cpu_partial),
		FOR_SAFE(test_shrink_returns_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
