/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_slab_order.c - slab orders and tunables as the 3.18 kernel computes
 * them.  min_objects = 4 * (fls(nr_cpu_ids) + 1), so the CPU count changes
 * orders; the 8-CPU figures are those /proc/slabinfo shows on such
 * machines (kmalloc-256: 32 objects in 2 pages, kmalloc-192: 21 in 1).
 */
#include "test_env.h"

struct expect {
	size_t size;
	unsigned order, objects;
};

static void check_orders(unsigned cpus, const struct expect *e, unsigned n)
{
	test_open("v3.18", cpus, 16);
	for (unsigned i = 0; i < n; i++) {
		struct kmem_cache *s = kmalloc_slab(e[i].size);
		assert_non_null(s);
		assert_int_equal(s->size, e[i].size);
		if (oo_order(s->oo) != e[i].order || oo_objects(s->oo) != e[i].objects)
			fail_msg("%u CPUs, kmalloc-%zu: order %u objects %u, expected %u / %u",
				 cpus, e[i].size, oo_order(s->oo), oo_objects(s->oo), e[i].order,
				 e[i].objects);
	}
	test_close_clean();
}

static void test_orders_1_cpu(void **state)
{
	static const struct expect e[] = {
		{ 8, 0, 512 },	{ 96, 0, 42 },	{ 192, 0, 21 }, { 256, 0, 16 }, { 512, 0, 8 },
		{ 1024, 1, 8 }, { 2048, 2, 8 }, { 4096, 3, 8 }, { 8192, 3, 4 },
	};
	check_orders(1, e, sizeof(e) / sizeof(e[0]));
}

static void test_orders_2_cpus(void **state)
{
	static const struct expect e[] = {
		{ 8, 0, 512 },	 { 256, 0, 16 }, { 512, 1, 16 }, { 1024, 2, 16 },
		{ 2048, 3, 16 }, { 4096, 3, 8 }, { 8192, 3, 4 },
	};
	check_orders(2, e, sizeof(e) / sizeof(e[0]));
}

static void test_orders_8_cpus(void **state)
{
	static const struct expect e[] = {
		{ 8, 0, 512 },	{ 96, 0, 42 },	 { 128, 0, 32 },  { 192, 0, 21 }, { 256, 1, 32 },
		{ 512, 2, 32 }, { 1024, 3, 32 }, { 2048, 3, 16 }, { 4096, 3, 8 }, { 8192, 3, 4 },
	};
	check_orders(8, e, sizeof(e) / sizeof(e[0]));
}

static void test_tunables(void **state)
{
	test_open("v3.18", 4, 16);
	assert_int_equal(kmalloc_slab(8)->min_partial, 5);
	assert_int_equal(kmalloc_slab(8192)->min_partial, 6);
	assert_int_equal(kmalloc_slab(8)->cpu_partial, 30);
	assert_int_equal(kmalloc_slab(256)->cpu_partial, 13);
	assert_int_equal(kmalloc_slab(1024)->cpu_partial, 6);
	assert_int_equal(kmalloc_slab(4096)->cpu_partial, 2);
	assert_int_equal(kmalloc_slab(8)->tid_step, 4);
	test_close_clean();
	test_open("v3.18", 5, 16);
	assert_int_equal(kmalloc_slab(8)->tid_step, 8); /* roundup_pow_of_two */
	test_close_clean();
}

static void test_size_classes(void **state)
{
	test_open("v3.18", 1, 16);
	static const size_t req[] = { 1, 8, 9, 16, 17, 64, 65, 96, 97, 128, 129, 192, 193, 8192 };
	static const size_t cls[] = { 8, 8, 16, 16, 32, 64, 96, 96, 128, 128, 192, 192, 256, 8192 };
	for (unsigned i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		assert_int_equal(kmalloc_slab(req[i])->object_size, cls[i]);
	assert_null(kmalloc_slab(8193));
	test_close_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders_1_cpu),  cmocka_unit_test(test_orders_2_cpus),
		cmocka_unit_test(test_orders_8_cpus), cmocka_unit_test(test_tunables),
		cmocka_unit_test(test_size_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
