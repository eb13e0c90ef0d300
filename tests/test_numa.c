/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_numa.c - NUMA nodes: node-specific allocations come from the node
 * asked for (ALLOC_NODE_MISMATCH when the cpu slab is elsewhere), slabs
 * go back to their own node's lists, and the page allocator falls back to
 * another node when one is full.
 */
#include "slub_internal.h"
#include "test_env.h"

static void test_alloc_node(void **state)
{
	struct slab_env_config cfg;
	slab_env_defaults(&cfg);
	cfg.design = slab_design_find(*state);
	cfg.cpus = 2;
	cfg.nodes = 2;
	cfg.mib_per_node = 8;
	if (slab_world_ready())
		slab_env_close();
	assert_null(slab_env_open(&cfg));
	native_set_cpu(0); /* CPU 0 is on node 0, CPU 1 on node 1 */
	struct kmem_cache *s = kmalloc_slab(128);

	void *local = kmalloc(128);
	assert_int_equal(page_to_nid(slab_world_virt_to_page(local)), 0);
	void *remote = kmalloc_node(128, 1);
	assert_int_equal(page_to_nid(slab_world_virt_to_page(remote)), 1);
	assert_int_equal(slab_stat_sum(s, ALLOC_NODE_MISMATCH), 1);
	void *again = kmalloc_node(128, 1); /* the cpu slab is on node 1 now */
	assert_int_equal(page_to_nid(slab_world_virt_to_page(again)), 1);
	assert_int_equal(slab_stat_sum(s, ALLOC_NODE_MISMATCH), 1);
	void *back = kmalloc_node(128, 0);
	assert_int_equal(page_to_nid(slab_world_virt_to_page(back)), 0);
	assert_int_equal(slab_stat_sum(s, ALLOC_NODE_MISMATCH), 2);
	assert_int_equal(slab_validate(test_report, NULL), 0);
	kfree(local);
	kfree(remote);
	kfree(again);
	kfree(back);

	/* Fill node 0 with 4 MiB blocks: then the page allocator falls back to node 1. */
	void *big[8];
	unsigned n = 0;
	while (n < 8) {
		big[n] = kmalloc_node(KMALLOC_MAX_SIZE, 0);
		assert_non_null(big[n]);
		if (page_to_nid(slab_world_virt_to_page(big[n++])) == 1)
			break;
	}
	assert_true(n >= 2 && n < 8);
	for (unsigned i = 0; i + 1 < n; i++)
		assert_int_equal(page_to_nid(slab_world_virt_to_page(big[i])), 0);
	for (unsigned i = 0; i < n; i++)
		kfree(big[i]);
	test_close_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_SAFE(test_alloc_node),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
