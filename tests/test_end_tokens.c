/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_end_tokens.c - the seed's idea: in the lameter-v1 designs every
 * value a freelist can hold, the empty one included, names its own slab;
 * NULL in c->freelist means "no cpu slab".
 */
#include "slub_internal.h"
#include "test_env.h"

static struct page *head_page(const void *p)
{
	struct page *page = slab_world_virt_to_page(p);
	return (page->flags & PG_tail) ? page->first_page : page;
}

static struct kmem_cache_cpu *cpu_slab(struct kmem_cache *s, unsigned cpu)
{
	return slab_per_cpu_ptr(s->cpu_slab, cpu);
}

/* Every element of a chain, and its terminator, lies in page's slab. */
static void assert_chain_names(struct kmem_cache *s, void *p, struct page *page)
{
	unsigned steps = 0;
	while (!slab_is_end_token(p)) {
		assert_non_null(p);
		assert_ptr_equal(head_page(p), page);
		p = *(void **)p;
		assert_true(++steps <= oo_objects(s->oo));
	}
	assert_ptr_equal(head_page(p), page); /* bit 0 keeps the frame */
}

static void test_every_value_names_its_slab(void **state)
{
	test_open(*state, 2, 16);
	struct kmem_cache *s = kmalloc_slab(512);
	unsigned per_slab = oo_objects(s->oo);
	assert_true(oo_order(s->oo) > 0); /* a compound slab: tail pages too */

	/* Before any allocation: no cpu slab, and that is NULL. */
	assert_null(cpu_slab(s, 0)->freelist);

	/* Drain the first slab: the list goes object, object, ..., token. */
	void *objs[64];
	objs[0] = kmalloc(512);
	struct page *first = head_page(objs[0]);
	for (unsigned i = 1; i < per_slab; i++) {
		void *f = cpu_slab(s, 0)->freelist;
		assert_false(slab_is_end_token(f));
		assert_ptr_equal(head_page(f), first);
		assert_chain_names(s, f, first);
		objs[i] = kmalloc(512);
	}
	void *token = cpu_slab(s, 0)->freelist;
	assert_true(slab_is_end_token(token));
	assert_ptr_equal(head_page(token), first);

	/* The next allocation moves to a second slab, which its list names. */
	objs[per_slab] = kmalloc(512);
	struct page *second = head_page(objs[per_slab]);
	assert_ptr_not_equal(second, first);
	assert_chain_names(s, cpu_slab(s, 0)->freelist, second);

	/* Remote frees (from CPU 1) land on page->freelist, token-terminated. */
	native_set_cpu(1);
	kfree(objs[0]);
	kfree(objs[1]);
	native_set_cpu(0);
	assert_chain_names(s, first->freelist, first);
	/* A full page's page->freelist is a token too, never NULL. */
	assert_int_equal(slab_validate(test_report, NULL), 0);

	for (unsigned i = 2; i <= per_slab; i++)
		kfree(objs[i]);
	kmem_cache_shrink(s);
	/* After the flush no CPU has a cpu slab: NULL again. */
	assert_null(cpu_slab(s, 0)->freelist);
	assert_null(cpu_slab(s, 1)->freelist);
	test_close_clean();
}

/* Two CPUs with exhausted cpu slabs hold different (non-NULL) values. */
static void test_empty_lists_differ_between_cpus(void **state)
{
	test_open(*state, 2, 16);
	struct kmem_cache *s = kmalloc_slab(1024);
	unsigned per_slab = oo_objects(s->oo);
	void *objs[2][64];
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		native_set_cpu(cpu);
		for (unsigned i = 0; i < per_slab; i++)
			objs[cpu][i] = kmalloc(1024);
	}
	void *t0 = cpu_slab(s, 0)->freelist, *t1 = cpu_slab(s, 1)->freelist;
	assert_true(slab_is_end_token(t0) && slab_is_end_token(t1));
	assert_ptr_not_equal(t0, t1);
	assert_ptr_not_equal(head_page(t0), head_page(t1));
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		native_set_cpu(cpu);
		for (unsigned i = 0; i < per_slab; i++)
			kfree(objs[cpu][i]);
	}
	native_set_cpu(0);
	test_close_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_every_value_names_its_slab, (void *)"lameter-v1"),
		cmocka_unit_test_prestate(test_every_value_names_its_slab,
					  (void *)"lameter-v1-posted"),
		cmocka_unit_test_prestate(test_empty_lists_differ_between_cpus,
					  (void *)"lameter-v1"),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
