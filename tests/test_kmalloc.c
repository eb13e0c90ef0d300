/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_kmalloc.c - kmalloc's edges: kmalloc_large to the page allocator and
 * back, kmalloc(0), sizes beyond the largest order, and the page allocator
 * running out (NULL, nothing corrupted, everything back when freed).
 */
#include <stdlib.h>

#include "slub_internal.h"
#include "test_env.h"

static void test_kmalloc_large(void **state)
{
	test_open(*state, 1, 16);
	void *p = kmalloc(16384);
	assert_non_null(p);
	struct page *page = slab_world_virt_to_page(p);
	assert_false(page->flags & PG_slab);
	assert_true(page->flags & PG_head);
	assert_int_equal(compound_order(page), 2);
	assert_int_equal(page_alloc_pages_in_use(), 4);
	memset(p, 1, 16384);
	kfree(p);
	assert_int_equal(page_alloc_pages_in_use(), 0);

	/* The largest block (order 10, 4 MiB) works; one byte more does not. */
	p = kmalloc(KMALLOC_MAX_SIZE);
	assert_non_null(p);
	assert_int_equal(page_alloc_pages_in_use(), 1024);
	kfree(p);
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1));
	assert_null(kmalloc((size_t)1 << 40));
	assert_int_equal(page_alloc_pages_in_use(), 0);
	test_close_clean();
}

static void test_kmalloc_zero(void **state)
{
	test_open(*state, 1, 16);
	assert_ptr_equal(kmalloc(0), ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	kmem_cache_free(kmalloc_slab(8), NULL);
	assert_int_equal(page_alloc_pages_in_use(), 0);
	assert_int_equal(stat_total(ALLOC_FASTPATH) + stat_total(ALLOC_SLOWPATH), 0);
	test_close_clean();
}

/*
 * 8 MiB of memory: fill it with 1 KiB objects and 16 KiB blocks until the
 * page allocator says no; every NULL is clean, and all comes back.
 */
static void test_out_of_memory(void **state)
{
	test_open(*state, 1, 8);
	enum { MAX = 20000 };
	void **v = calloc(MAX, sizeof(*v));
	unsigned n = 0, nulls = 0;
	while (n < MAX) {
		void *p = kmalloc(1024);
		if (!p)
			break;
		v[n++] = p;
	}
	assert_true(n > 1000 && n < MAX);
	assert_null(kmalloc(1024));
	assert_null(kmalloc(16384));
	assert_null(kmalloc(4000));
	for (int i = 0; i < 10; i++)
		nulls += kmalloc(2048) == NULL;
	assert_int_equal(nulls, 10);
	assert_int_equal(slab_validate(test_report, NULL), 0);
	assert_int_equal(page_alloc_free_total(), 0);

	/* Free every other object, then fill the holes again. */
	for (unsigned i = 0; i < n; i += 2)
		kfree(v[i]);
	assert_int_equal(slab_validate(test_report, NULL), 0);
	for (unsigned i = 0; i < n; i += 2) {
		v[i] = kmalloc(1024);
		assert_non_null(v[i]);
	}
	assert_null(kmalloc(1024));
	for (unsigned i = 0; i < n; i++)
		kfree(v[i]);
	free(v);
	test_close_clean();
}

/*
 * Memory full of order-0 slabs, then every other page freed: no order-1
 * block is left, so a new kmalloc-1024 slab (order 1 with one CPU) falls
 * back to its minimum order, 0 (ORDER_FALLBACK).
 */
static void test_order_fallback(void **state)
{
	test_open(*state, 1, 8);
	struct kmem_cache *s512 = kmalloc_slab(512), *s1k = kmalloc_slab(1024);
	assert_int_equal(oo_order(s512->oo), 0);
	assert_int_equal(oo_order(s1k->oo), 1);
	enum { MAX = 20000 };
	void **v = calloc(MAX, sizeof(*v));
	unsigned n = 0;
	while (n < MAX && (v[n] = kmalloc(512)))
		n++;
	assert_true(n < MAX);
	for (unsigned i = 0; i < n; i++)
		if (page_to_pfn(slab_world_virt_to_page(v[i])) % 2 == 0) {
			kfree(v[i]);
			v[i] = NULL;
		}
	kmem_cache_shrink(s512);
	void *p = kmalloc(1024);
	assert_non_null(p);
	assert_int_equal(slab_stat_sum(s1k, ORDER_FALLBACK), 1);
	assert_int_equal(compound_order(slab_world_virt_to_page(p)), 0);
	kfree(p);
	for (unsigned i = 0; i < n; i++)
		kfree(v[i]);
	free(v);
	test_close_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_SAFE(test_kmalloc_large),
		FOR_SAFE(test_kmalloc_zero),
		FOR_SAFE(test_out_of_memory),
		FOR_SAFE(test_order_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
