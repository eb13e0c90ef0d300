/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_validator.c - the validator finds what it is meant to find: each
 * test corrupts one thing on purpose, asserts the exact number of findings,
 * puts it right, and asserts a clean bill again.
 */
#include "slub_internal.h"
#include "test_env.h"

static unsigned findings;

static void count(void *arg, const char *msg)
{
	findings++;
	print_message("  expected finding: %s\n", msg);
}

static unsigned validate(void)
{
	findings = 0;
	unsigned n = slab_validate(count, NULL);
	assert_int_equal(n, findings);
	return n;
}

/*
 * A slab that is no longer the cpu slab, with two free objects on
 * page->freelist (the first free froze it onto the per-CPU partial list).
 */
static struct page *partial_slab(struct kmem_cache *s, void **objs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		objs[i] = kmalloc(64);
	struct page *page = slab_world_virt_to_page(objs[0]);
	kfree(objs[0]); /* objs[0]'s slab is no longer the cpu slab */
	kfree(objs[1]);
	return page;
}

static void test_corrupt_free_pointer(void **state)
{
	test_open(*state, 1, 16);
	struct kmem_cache *s = kmalloc_slab(64);
	unsigned n = oo_objects(s->oo) + 4;
	void *objs[128];
	struct page *page = partial_slab(s, objs, n);
	assert_int_equal(validate(), 0);

	void **fp = (void **)page->freelist;
	void *saved = *fp;
	*fp = (char *)slab_world_page_address(page) + 3; /* misaligned */
	assert_int_equal(validate(), 1);
	*fp = (char *)slab_world_page_address(page) + (PAGE_SIZE << 4); /* another slab */
	assert_int_equal(validate(), 1);
	*fp = page->freelist; /* a cycle */
	assert_int_equal(validate(), 1);
	*fp = saved;
	assert_int_equal(validate(), 0);

	for (unsigned i = 2; i < n; i++)
		kfree(objs[i]);
	test_close_clean();
}

static void test_corrupt_counters(void **state)
{
	test_open(*state, 1, 16);
	struct kmem_cache *s = kmalloc_slab(64);
	unsigned n = oo_objects(s->oo) + 4;
	void *objs[128];
	struct page *page = partial_slab(s, objs, n);
	unsigned long saved = page->counters;

	page->counters = counters_set_inuse(saved, counters_inuse(saved) + 1);
	assert_int_equal(validate(), 1); /* inuse disagrees with the freelist */
	/*
	 * The first free into a full slab froze it onto this CPU's partial
	 * list.  Unfrozen, it is owned by a CPU without being frozen, and it
	 * has free objects while on no node list: two findings.
	 */
	assert_true(counters_frozen(saved));
	page->counters = counters_set_frozen(saved, false);
	assert_int_equal(validate(), 2);
	/* Taken off the CPU's list while still frozen: owned by nobody. */
	struct kmem_cache_cpu *c = slab_per_cpu_ptr(s->cpu_slab, 0);
	page->counters = saved;
	struct page *saved_partial = c->partial;
	assert_ptr_equal(saved_partial, page);
	c->partial = page->next;
	assert_int_equal(validate(), 1);
	c->partial = saved_partial;
	struct kmem_cache_node *n0 = get_node(s, 0);
	n0->nr_partial++;
	assert_int_equal(validate(), 1);
	n0->nr_partial--;
	n0->nr_slabs++;
	assert_int_equal(validate(), 1);
	n0->nr_slabs--;
	assert_int_equal(validate(), 0);

	for (unsigned i = 2; i < n; i++)
		kfree(objs[i]);
	test_close_clean();
}

/* A tid that does not name its CPU would let a stale commit succeed. */
static void test_corrupt_tid(void **state)
{
	test_open(*state, 2, 16);
	struct kmem_cache_cpu *c = slab_per_cpu_ptr(kmalloc_slab(8)->cpu_slab, 1);
	c->tid++;
	assert_int_equal(validate(), 1);
	c->tid--;
	assert_int_equal(validate(), 0);
	test_close_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_corrupt_free_pointer, (void *)"v3.18"),
		cmocka_unit_test_prestate(test_corrupt_free_pointer, (void *)"lameter-v1"),
		cmocka_unit_test_prestate(test_corrupt_counters, (void *)"v3.18"),
		cmocka_unit_test_prestate(test_corrupt_counters, (void *)"lameter-v1"),
		cmocka_unit_test_prestate(test_corrupt_tid, (void *)"v3.18"),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
