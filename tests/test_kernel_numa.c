/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_kernel_numa.c - the kernel's own mm/slub.c (alloc/kernel/, one
 * executable per kernel built) on two NUMA nodes, CPU 0 on node 0 and
 * CPU 1 on node 1, switched by hand: the boot gives each node its
 * kmem_cache_node and its frames, kmalloc_node takes its objects from the
 * node asked for, slab_nid() names the frame's node, a free on node 0 of
 * a node-1 object goes where the kernel's own code sends it, and a node out
 * of frames falls back to the other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kslab.h"

#define NR_CPUS 2
#define NR_NODES 2
#define NODE_PAGES 2048UL /* 8 MiB a node, as scenarios/race-node.ini */

/* The node whose frames hold p, from the layout kslab.h documents (not from the kernel). */
static int frame_node(const void *p)
{
	unsigned long pfn = ((uintptr_t)p - KSLAB_DIRECT_BASE) >> 12;

	assert_true((uintptr_t)p >= KSLAB_DIRECT_BASE);
	assert_true(pfn < NR_NODES * NODE_PAGES);
	return (int)(pfn / NODE_PAGES);
}

static int boot(void **state)
{
	(void)state;
	/* Refused: more nodes than CPUs, more than MAX_NUMNODES. */
	if (kslab_init_nodes(1, 2, NODE_PAGES) == 0 || kslab_init_nodes(8, 5, NODE_PAGES) == 0)
		return -1;
	return kslab_reset_nodes(NR_CPUS, NR_NODES, NODE_PAGES);
}

static void test_boot(void **state)
{
	(void)state;
	assert_int_equal(kslab_cpu_node_of(0), 0);
	assert_int_equal(kslab_cpu_node_of(1), 1);
	/* The boot's own allocations (on CPU 0, node 0) and each node's kmem_cache_node. */
	assert_true(kslab_pages_in_use() > 0);
}

/* On CPU 0 (node 0): kmalloc_node for node 1 comes from node 1's frames, and slab_nid says so. */
static void test_alloc_on_other_node(void **state)
{
	(void)state;
	assert_int_equal(kslab_reset_nodes(NR_CPUS, NR_NODES, NODE_PAGES), 0);
	kslab_set_cpu(0);
	void *a = kslab_kmalloc(64);
	assert_int_equal(frame_node(a), 0); /* NUMA_NO_NODE: the local node */
	assert_int_equal(kslab_slab_node(a), 0);
	void *b = kslab_kmalloc_node(64, 1);
	assert_int_equal(frame_node(b), 1);
	assert_int_equal(kslab_slab_node(b), 1);
	/*
	 * The node mismatch deactivated CPU 0's slab and installed a node-1
	 * slab: a kmalloc without a node takes from the cpu slab whatever its
	 * node (node_match() of NUMA_NO_NODE), so this one is node 1's too.
	 */
	void *c = kslab_kmalloc(64);
	assert_int_equal(kslab_slab_node(c), 1);
	void *d = kslab_kmalloc_node(64, 0);
	assert_int_equal(frame_node(d), 0);
	/* Pages for a large kmalloc: alloc_pages_node on the node asked for. */
	void *big = kslab_kmalloc_node(3 * 8192, 1);
	assert_int_equal(frame_node(big), 1);
	assert_int_equal(kslab_slab_node(big), -1);
	kslab_set_cpu(1);
	void *e = kslab_kmalloc(64); /* CPU 1's local node */
	assert_int_equal(frame_node(e), 1);
	kslab_kfree(e);
	kslab_set_cpu(0);
	kslab_kfree(big);
	kslab_kfree(a);
	kslab_kfree(b);
	kslab_kfree(c);
	kslab_kfree(d);
}

struct seen {
	const void *obj;
	char where[64];
	unsigned problems;
};

static void on_problem(void *arg, const char *cache, const char *where, const char *what,
		       const void *addr)
{
	struct seen *s = arg;

	printf("# walk: %s: %s: %s %p\n", cache, where, what, addr);
	s->problems++;
}

static int on_free(void *arg, const char *cache, const char *where, const void *obj)
{
	struct seen *s = arg;

	(void)cache;
	if (obj == s->obj)
		snprintf(s->where, sizeof(s->where), "%s", where);
	return 0;
}

/* Where the walk finds obj free (only CPU 0's state and the nodes' lists walked). */
static const char *found_free(struct seen *s, const void *obj)
{
	struct kslab_walk w = { on_problem, on_free, s, 1ULL << 1, 1 };

	memset(s, 0, sizeof(*s));
	s->obj = obj;
	assert_int_equal(kslab_walk(&w), 0);
	return s->where;
}

/*
 * A node-1 slab filled on CPU 1, one object freed on CPU 0 (node 0): the
 * slab was full (on no list), so __slab_free puts it on the freeing CPU's
 * per-CPU partial list (put_cpu_partial on this CPU, 6.1 and 6.12 alike),
 * not on node 1's list: the kernel does not send a free home.  The
 * object stays in its own node-1 slab.
 */
static void test_remote_free(void **state)
{
	enum { N = 512 };
	static void *objs[N];
	struct kslab_cache_layout l;
	struct seen s;
	int first_other = -1;

	(void)state;
	kslab_cache_layout(kslab_kmalloc_cache(256), &l);
	uintptr_t slab_bytes = 4096UL << l.order; /* a slab is a block: aligned to its size */
	assert_int_equal(kslab_reset_nodes(NR_CPUS, NR_NODES, NODE_PAGES), 0);
	kslab_set_cpu(1);
	for (int i = 0; i < N && first_other < 0; i++) {
		objs[i] = kslab_kmalloc(256);
		assert_int_equal(frame_node(objs[i]), 1);
		/* The first object of another slab: objs[0]'s slab is full now. */
		if ((uintptr_t)objs[i] / slab_bytes != (uintptr_t)objs[0] / slab_bytes)
			first_other = i;
	}
	assert_true(first_other > 0);
	assert_string_equal(found_free(&s, objs[0]), ""); /* allocated: on no freelist */
	kslab_set_cpu(0);
	kslab_kfree(objs[0]);
	assert_string_equal(found_free(&s, objs[0]), "cpu partial slab");
	assert_int_equal(kslab_slab_node(objs[0]), 1);
	/* CPU 0's next kmalloc_node for node 1 takes the partial slab, and so that object. */
	void *again = kslab_kmalloc_node(256, 1);
	assert_ptr_equal(again, objs[0]);
	kslab_kfree(again);
	kslab_set_cpu(1);
	for (int i = 1; i <= first_other; i++)
		kslab_kfree(objs[i]);
}

/* A reset brings back the boot's state on both nodes: the same run twice, the same objects. */
static void test_reset(void **state)
{
	void *first[4], *second[4];

	(void)state;
	for (int round = 0; round < 2; round++) {
		void **out = round ? second : first;

		assert_int_equal(kslab_reset_nodes(NR_CPUS, NR_NODES, NODE_PAGES), 0);
		kslab_set_cpu(0);
		out[0] = kslab_kmalloc_node(128, 1);
		out[1] = kslab_kmalloc_node(128, 0);
		kslab_set_cpu(1);
		out[2] = kslab_kmalloc(128);
		out[3] = kslab_kmalloc_node(5000, 0);
	}
	for (int i = 0; i < 4; i++)
		assert_ptr_equal(first[i], second[i]);
	assert_int_equal(frame_node(first[0]), 1);
	assert_int_equal(frame_node(first[1]), 0);
	assert_int_equal(frame_node(first[2]), 1);
	assert_int_equal(frame_node(first[3]), 0);
}

/*
 * A node out of frames: alloc_pages_node without __GFP_THISNODE falls back
 * to the next node of the zonelist, as the kernel's does (kmalloc of more
 * than a kmalloc cache serves: pages straight from the node asked for).
 */
static void test_fallback(void **state)
{
	enum { N = 300, SIZE = 32768 }; /* order 3: at most 128 on a node of 4 MiB */
	static void *objs[N];
	int n = 0, first_remote = -1;

	(void)state;
	assert_int_equal(kslab_reset_nodes(NR_CPUS, NR_NODES, 1024), 0);
	kslab_set_cpu(0);
	for (; n < N && first_remote < 0; n++) {
		objs[n] = kslab_kmalloc_node(SIZE, 1);
		assert_non_null(objs[n]);
		if (((uintptr_t)objs[n] - KSLAB_DIRECT_BASE) >> 12 < 1024)
			first_remote = n;
	}
	/* Node 1's 128 blocks of 32 KiB, less what its kmem_cache_nodes took. */
	printf("# node 1 served %d blocks of 32 KiB, then node 0\n", first_remote);
	assert_true(first_remote > 100 && first_remote <= 128);
	for (int i = 0; i < n; i++)
		kslab_kfree(objs[i]);
	/* Freed blocks go back to their own node: node 1 serves again. */
	void *p = kslab_kmalloc_node(SIZE, 1);
	assert_true(((uintptr_t)p - KSLAB_DIRECT_BASE) >> 12 >= 1024);
	kslab_kfree(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot),	    cmocka_unit_test(test_alloc_on_other_node),
		cmocka_unit_test(test_remote_free), cmocka_unit_test(test_reset),
		cmocka_unit_test(test_fallback),
	};

	return cmocka_run_group_tests(tests, boot, NULL);
}
