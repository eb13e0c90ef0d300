/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_kernel_slub.c - the kernel's own mm/slub.c (alloc/kernel/, one
 * executable per kernel built) on 4 virtual CPUs switched by hand: boot,
 * every kmalloc size on every CPU, cross-CPU frees, a custom cache, the
 * seed's slab_test loop with SLUB_STATS, and the memory accesses of a
 * kmalloc(64)+kfree pair as the __tsan_* hooks count them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "kslab.h"

#define NR_CPUS 4
#define SLAB_TEST_N 10000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int boot(void **state)
{
	double t0 = now_s();
	int r = kslab_init(NR_CPUS, 0);

	(void)state;
	printf("# Linux %s (%s): booted %d CPUs in %.1f ms\n", kslab_kernel_version,
	       kslab_kernel_origin, NR_CPUS, (now_s() - t0) * 1e3);
	return r;
}

static int in_direct_map(const void *p)
{
	return (uintptr_t)p >= KSLAB_DIRECT_BASE && (uintptr_t)p < KSLAB_VMEMMAP_BASE;
}

static void test_boot(void **state)
{
	const struct kslab_kernel_file *f = kslab_kernel_files();
	int seen_slub = 0;

	(void)state;
	for (; f->path; f++) {
		printf("# sha256 %s  %s\n", f->sha256, f->path);
		assert_int_equal(strlen(f->sha256), 64);
		seen_slub |= !strcmp(f->path, "mm/slub.c");
	}
	assert_true(seen_slub);
	assert_int_equal(kslab_nr_cpus(), NR_CPUS);
	/* Booting again: the same machine is fine, another one is refused. */
	assert_int_equal(kslab_init(NR_CPUS, 0), 0);
	assert_int_not_equal(kslab_init(NR_CPUS + 1, 0), 0);
	/* kmem_cache_init made the kmalloc caches, 8 bytes to 2 pages. */
	assert_string_equal(kslab_cache_name(kslab_kmalloc_cache(8)), "kmalloc-8");
	assert_string_equal(kslab_cache_name(kslab_kmalloc_cache(96)), "kmalloc-96");
	assert_string_equal(kslab_cache_name(kslab_kmalloc_cache(8192)), "kmalloc-8k");
	assert_int_equal(kslab_kmalloc_max_cache_size(), 8192);
	assert_null(kslab_kmalloc_cache(8193));
	assert_true(kslab_pages_in_use() > 0);
}

/* Every kmalloc size class, its edges, and kmalloc_large, on every CPU. */
static void test_every_size_every_cpu(void **state)
{
	static const size_t sizes[] = {
		1,    7,    8,	  9,	16,   17,   32,	  33,	64,    65,
		96,   97,   128,  129,	192,  193,  256,  257,	512,   513,
		1024, 1025, 2048, 2049, 4096, 4097, 8192, 8193, 16384, 65536,
	};
	void *p[NR_CPUS][sizeof(sizes) / sizeof(sizes[0])];

	(void)state;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		kslab_set_cpu(cpu);
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			p[cpu][i] = kslab_kmalloc(sizes[i]);
			assert_non_null(p[cpu][i]);
			assert_true(in_direct_map(p[cpu][i]));
			assert_true(kslab_ksize(p[cpu][i]) >= sizes[i]);
			if (sizes[i] <= kslab_kmalloc_max_cache_size())
				assert_true(kslab_ksize(p[cpu][i]) ==
					    kslab_cache_object_size(kslab_kmalloc_cache(sizes[i])));
			memset(p[cpu][i], 0xa0 + cpu, sizes[i]);
		}
	}
	/* Nothing handed out twice: every object still holds its own bytes. */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			const unsigned char *b = p[cpu][i];

			assert_int_equal(b[0], 0xa0 + cpu);
			assert_int_equal(b[sizes[i] - 1], 0xa0 + cpu);
		}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		kslab_set_cpu(cpu);
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			kslab_kfree(p[cpu][i]);
	}
	kslab_set_cpu(0);
}

/* Above the largest kmalloc cache: kmalloc_large, pages straight from and to the page allocator. */
static void test_kmalloc_large(void **state)
{
	unsigned long pages0 = kslab_pages_in_use();
	void *p;

	(void)state;
	p = kslab_kmalloc(65536);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 65536, 0); /* an order-4 block, naturally aligned */
	assert_int_equal(kslab_pages_in_use(), pages0 + 16);
	assert_int_equal(kslab_ksize(p), 65536);
	kslab_kfree(p);
	assert_int_equal(kslab_pages_in_use(), pages0);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Objects allocated on CPU 0, freed on CPUs 1-3: __slab_free, the slowpath. */
static void test_cross_cpu_free(void **state)
{
	enum { N = 3000 };
	static void *objs[N];
	const struct kslab_cache *c = kslab_kmalloc_cache(128);
	long long slow0 = kslab_cache_stat(c, "FREE_SLOWPATH");
	long long fast0 = kslab_cache_stat(c, "FREE_FASTPATH");

	(void)state;
	kslab_set_cpu(0);
	for (int i = 0; i < N; i++)
		objs[i] = kslab_kmalloc(128);
	qsort(objs, N, sizeof(objs[0]), cmp_ptr);
	for (int i = 1; i < N; i++) /* distinct and not overlapping */
		assert_true((uintptr_t)objs[i] - (uintptr_t)objs[i - 1] >= 128);
	for (int i = 0; i < N; i++) {
		kslab_set_cpu(1 + i % 3);
		kslab_kfree(objs[i]);
	}
	kslab_set_cpu(0);
	printf("# cross-CPU: %d frees, FREE_SLOWPATH +%lld, FREE_FASTPATH +%lld\n", N,
	       kslab_cache_stat(c, "FREE_SLOWPATH") - slow0,
	       kslab_cache_stat(c, "FREE_FASTPATH") - fast0);
	/* No object was on the freeing CPU's slab: none took the fastpath. */
	assert_int_equal(kslab_cache_stat(c, "FREE_FASTPATH") - fast0, 0);
	assert_int_equal(kslab_cache_stat(c, "FREE_SLOWPATH") - slow0, N);
	/* The freed objects come back to CPU 0. */
	for (int i = 0; i < N; i++)
		objs[i] = kslab_kmalloc(128);
	for (int i = 0; i < N; i++)
		kslab_kfree(objs[i]);
}

static void test_custom_cache(void **state)
{
	enum { N = 1000 };
	static void *objs[N];
	unsigned long pages0 = kslab_pages_in_use(), peak;
	struct kslab_cache *c = kslab_cache_create("kslab-test-200", 200, 8);

	(void)state;
	assert_non_null(c);
	assert_string_equal(kslab_cache_name(c), "kslab-test-200");
	assert_int_equal(kslab_cache_object_size(c), 200);
	for (int i = 0; i < N; i++) {
		kslab_set_cpu(i % NR_CPUS);
		objs[i] = kslab_cache_alloc(c);
		assert_non_null(objs[i]);
		assert_int_equal((uintptr_t)objs[i] % 8, 0);
		memset(objs[i], 0x5c, 200);
	}
	peak = kslab_pages_in_use();
	assert_true(peak >= pages0 + N * 200 / 4096);
	qsort(objs, N, sizeof(objs[0]), cmp_ptr);
	for (int i = 1; i < N; i++)
		assert_true((uintptr_t)objs[i] - (uintptr_t)objs[i - 1] >= 200);
	for (int i = 0; i < N; i++) {
		kslab_set_cpu((i * 7) % NR_CPUS);
		kslab_cache_free(c, objs[i]);
	}
	kslab_set_cpu(0);
	assert_int_equal(
	    kslab_cache_stat(c, "ALLOC_FASTPATH") + kslab_cache_stat(c, "ALLOC_SLOWPATH"), N);
	assert_int_equal(
	    kslab_cache_stat(c, "FREE_FASTPATH") + kslab_cache_stat(c, "FREE_SLOWPATH"), N);
	kslab_cache_destroy(c);
	printf("# custom cache: pages %lu before, %lu at peak, %lu after destroy\n", pages0, peak,
	       kslab_pages_in_use());
	/* Destroy flushed every CPU and gave every slab page back. */
	assert_true(kslab_pages_in_use() <= pages0 + 2);
}

static int idx(const char *const *names, const char *name)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return i;
	fail_msg("no counter %s", name);
	return -1;
}

/* The seed's slab_test, test 1, at one size: 10,000 kmallocs, then 10,000 kfrees. */
static void slab_test(size_t size)
{
	static void *objs[SLAB_TEST_N];
	const struct kslab_cache *c = kslab_kmalloc_cache(size);
	const char *const *names = kslab_stat_names();
	long long before[32], after[32];
	int n = 0;
	unsigned long pages0 = kslab_pages_in_use(), peak;

	for (n = 0; names[n]; n++) {
		assert_true(n < (int)(sizeof(before) / sizeof(before[0])));
		before[n] = kslab_cache_stat(c, names[n]);
	}
	kslab_set_cpu(0);
	for (int i = 0; i < SLAB_TEST_N; i++)
		objs[i] = kslab_kmalloc(size);
	peak = kslab_pages_in_use();
	for (int i = 0; i < SLAB_TEST_N; i++)
		kslab_kfree(objs[i]);
	printf("# slab_test %zu:", size);
	for (int i = 0; i < n; i++) {
		after[i] = kslab_cache_stat(c, names[i]);
		if (after[i] != before[i])
			printf(" %s=%lld", names[i], after[i] - before[i]);
	}
	printf(" (pages %lu before, %lu at peak)\n", pages0, peak);
#define DELTA(name) (kslab_cache_stat(c, name) - before[idx(names, name)])
	assert_int_equal(DELTA("ALLOC_FASTPATH") + DELTA("ALLOC_SLOWPATH"), SLAB_TEST_N);
	assert_int_equal(DELTA("FREE_FASTPATH") + DELTA("FREE_SLOWPATH"), SLAB_TEST_N);
	assert_true(DELTA("ALLOC_FASTPATH") > SLAB_TEST_N / 2);
	assert_true(DELTA("ALLOC_SLAB") >= 1);
	/* New slabs for (nearly: a partial one may be there) all objects. */
	assert_true(peak - pages0 >= SLAB_TEST_N * size / 4096 * 9 / 10);
#undef DELTA
}

static void test_slab_test(void **state)
{
	(void)state;
	assert_true(kslab_stat_names()[0] != NULL);
	assert_int_equal(kslab_cache_stat(kslab_kmalloc_cache(8), "NO_SUCH_COUNTER"), -1);
	slab_test(8);
	slab_test(64);
	slab_test(1024);
}

/* Accesses of one kmalloc(64)+kfree pair on the fastpaths, as the hooks see them. */
static void test_access_counts(void **state)
{
	enum { PAIRS = 1000 };
	struct kslab_access_counts ac;
	unsigned long long p0[KSLAB_NR_PRIMS], p1[KSLAB_NR_PRIMS];
	double loads = 0, stores = 0, atomics = 0;

	(void)state;
	kslab_set_cpu(2);
	kslab_kfree(kslab_kmalloc(64)); /* warm: CPU 2 has a slab */
	kslab_prim_counts(p0);
	kslab_access_reset();
	for (int i = 0; i < PAIRS; i++)
		kslab_kfree(kslab_kmalloc(64));
	kslab_access_counts(&ac);
	kslab_prim_counts(p1);
	kslab_set_cpu(0);
	printf("# per kmalloc(64)+kfree pair (%d pairs):\n", PAIRS);
	for (int r = 0; r < KSLAB_NR_REGIONS; r++)
		for (int a = 0; a < KSLAB_NR_ACCESS; a++)
			if (ac.n[r][a])
				printf("#   %-12s %-10s %6.2f\n", kslab_region_name(r),
				       kslab_access_name(a), (double)ac.n[r][a] / PAIRS);
	for (int r = 0; r < KSLAB_NR_REGIONS; r++) {
		if (r == KSLAB_R_STACK)
			continue;
		loads += ac.n[r][KSLAB_A_LOAD] + ac.n[r][KSLAB_A_VLOAD];
		stores += ac.n[r][KSLAB_A_STORE] + ac.n[r][KSLAB_A_VSTORE];
		atomics += ac.n[r][KSLAB_A_ATOMIC];
	}
	loads /= PAIRS;
	stores /= PAIRS;
	atomics /= PAIRS;
	printf("#   total: %.2f loads, %.2f stores, %.2f atomics; primitives:", loads, stores,
	       atomics);
	for (int p = 0; p < KSLAB_NR_PRIMS; p++)
		if (p1[p] != p0[p])
			printf(" %s %.2f", kslab_prim_name(p), (double)(p1[p] - p0[p]) / PAIRS);
	printf("\n");
	/* The probe: about 35 loads and 2 stores per pair. */
	assert_true(loads >= 15 && loads <= 60);
	assert_true(stores >= 1 && stores <= 6);
	/* Both fastpaths commit with one this_cpu cmpxchg each, nothing else. */
	assert_int_equal(p1[KSLAB_P_PCPU_CMPXCHG] - p0[KSLAB_P_PCPU_CMPXCHG], 2 * PAIRS);
	assert_int_equal(p1[KSLAB_P_PAGE_ALLOC] - p0[KSLAB_P_PAGE_ALLOC], 0);
	assert_int_equal(p1[KSLAB_P_SPINLOCK] - p0[KSLAB_P_SPINLOCK], 0);
	/* The free pointer is read from and written to the object: direct-map accesses. */
	assert_true(ac.n[KSLAB_R_DIRECT][KSLAB_A_LOAD] + ac.n[KSLAB_R_DIRECT][KSLAB_A_VLOAD] >=
		    PAIRS);
	assert_true(ac.n[KSLAB_R_DIRECT][KSLAB_A_STORE] + ac.n[KSLAB_R_DIRECT][KSLAB_A_VSTORE] >=
		    PAIRS);
}

/*
 * kslab_reset: a run after a reset sees exactly the state right after
 * boot (every global, per-CPU unit, struct page and boot frame), so the
 * same operations give the same objects and counters; other arguments
 * boot again, and coming back gives the first boot's state again.
 */
#define RESET_OBJS 300
struct reset_trace {
	uintptr_t addr[RESET_OBJS];
	long long slabs, fast, pages;
};

static void reset_workload(struct reset_trace *tr, unsigned int cpus)
{
	static const size_t sizes[] = { 8, 64, 96, 192, 1024, 4096 };
	struct kslab_cache *c64 = kslab_kmalloc_cache(64);

	for (unsigned int i = 0; i < RESET_OBJS; i++) {
		kslab_set_cpu(i % cpus);
		tr->addr[i] = (uintptr_t)kslab_kmalloc(sizes[i % 6]);
		assert_true(in_direct_map((void *)tr->addr[i]));
	}
	for (unsigned int i = 0; i < RESET_OBJS; i += 2) { /* half, freed on another CPU */
		kslab_set_cpu((i + 1) % cpus);
		kslab_kfree((void *)tr->addr[i]);
	}
	kslab_set_cpu(0);
	tr->slabs = kslab_cache_stat(c64, "ALLOC_SLAB");
	tr->fast = kslab_cache_stat(c64, "ALLOC_FASTPATH");
	tr->pages = (long long)kslab_pages_in_use();
}

static void test_reset(void **state)
{
	struct reset_trace first, again, other, back;
	unsigned long boot_pages;
	long long boot_fast;

	(void)state;
	assert_int_equal(kslab_reset(2, 4096), 0);
	boot_pages = kslab_pages_in_use();
	boot_fast = kslab_cache_stat(kslab_kmalloc_cache(64), "ALLOC_FASTPATH");
	reset_workload(&first, 2);
	assert_true(first.pages > (long long)boot_pages);

	assert_int_equal(kslab_reset(2, 4096), 0);
	assert_int_equal(kslab_pages_in_use(), boot_pages);
	assert_int_equal(kslab_cache_stat(kslab_kmalloc_cache(64), "ALLOC_FASTPATH"), boot_fast);
	reset_workload(&again, 2);
	assert_memory_equal(&first, &again, sizeof(first));

	assert_int_equal(kslab_reset(1, 8192), 0);
	assert_int_equal(kslab_nr_cpus(), 1);
	reset_workload(&other, 1);

	assert_int_equal(kslab_reset(2, 4096), 0);
	assert_int_equal(kslab_pages_in_use(), boot_pages);
	reset_workload(&back, 2);
	assert_memory_equal(&first, &back, sizeof(first));
	printf("# reset: %lld slabs, %lld pages in use after the workload, %lu at boot\n",
	       first.slabs, first.pages, boot_pages);
}

/*
 * kslab_walk: clean after real work; then a free object's free pointer
 * made to point outside its slab, and at itself, is each reported (and a
 * quiescent walk checks the partial slabs' inuse).
 */
struct walk_seen {
	unsigned problems, free_objects;
	char last[160];
};

static void walk_problem(void *arg, const char *cache, const char *where, const char *what,
			 const void *addr)
{
	struct walk_seen *ws = arg;

	ws->problems++;
	snprintf(ws->last, sizeof(ws->last), "%s: %s: %s", cache, where, what);
	(void)addr;
}

static int walk_free_object(void *arg, const char *cache, const char *where, const void *obj)
{
	struct walk_seen *ws = arg;

	ws->free_objects++;
	(void)cache, (void)where;
	assert_true(in_direct_map(obj));
	return 0;
}

static unsigned walk(struct walk_seen *ws, int quiescent)
{
	struct kslab_walk w = { walk_problem, walk_free_object, ws, 0, quiescent };

	memset(ws, 0, sizeof(*ws));
	return kslab_walk(&w);
}

static void test_walk(void **state)
{
	struct kslab_cache *c = kslab_kmalloc_cache(256);
	size_t size = kslab_cache_object_size(c);
	void *objs[64];
	struct walk_seen ws;

	(void)state;
	assert_int_equal(kslab_reset(2, 4096), 0);
	kslab_set_cpu(0);
	for (int i = 0; i < 64; i++)
		objs[i] = kslab_kmalloc(size);
	for (int i = 0; i < 64; i += 2) /* partial slabs, on a cpu list and the node's */
		kslab_kfree(objs[i]);
	assert_int_equal(walk(&ws, 1), 0);
	assert_true(ws.free_objects >= 32);

	/* objs[62] is free, most recently: the head of its freelist.  Its free pointer... */
	void **fp = NULL;
	for (size_t off = 0; off + sizeof(void *) <= size; off += sizeof(void *)) {
		void *v = *(void **)((char *)objs[62] + off);
		if (v == objs[60]) { /* freed just before it, the same slab: its next */
			fp = (void **)((char *)objs[62] + off);
			break;
		}
	}
	assert_non_null(fp);
	void *saved = *fp;
	*fp = (char *)objs[62] + 8; /* ... not at an object boundary */
	assert_int_equal(walk(&ws, 0), 1);
	assert_non_null(strstr(ws.last, "an object outside its slab"));
	*fp = objs[62]; /* ... a cycle */
	assert_int_equal(walk(&ws, 0), 1);
	assert_non_null(strstr(ws.last, "a cyclic freelist"));
	*fp = saved;
	assert_int_equal(walk(&ws, 1), 0);
	printf("# walk: %u free objects on the lists\n", ws.free_objects);
}

/*
 * A full slab is on no list without SLUB_DEBUG: the quiescent walk finds
 * it through the struct pages.  Its inuse made one less than its objects
 * (as if an object were free that no freelist holds) is reported.
 */
static void test_walk_full_slab(void **state)
{
	struct kslab_cache *c = kslab_kmalloc_cache(256);
	size_t size = kslab_cache_object_size(c);
	struct kslab_cache_layout l;
	void *objs[256];
	struct walk_seen ws;

	(void)state;
	kslab_cache_layout(c, &l);
	assert_in_range(3 * l.objects, 1, 256);
	assert_int_equal(kslab_reset(2, 4096), 0);
	kslab_set_cpu(0);
	/* Three slabs' worth: objs[0]'s slab is exhausted, then left full on no list. */
	for (unsigned i = 0; i < 3 * l.objects; i++)
		objs[i] = kslab_kmalloc(size);
	assert_int_equal(walk(&ws, 1), 0);

	/* Its struct page (the head of an aligned block): the counters word, inuse == objects. */
	uintptr_t block = (uintptr_t)4096 << l.order;
	uintptr_t base = ((uintptr_t)objs[0] - KSLAB_DIRECT_BASE) & ~(block - 1);
	uint32_t *head = (uint32_t *)(KSLAB_VMEMMAP_BASE + (base >> 12) * 64);
	uint32_t full = l.objects | l.objects << 16, *counters = NULL;
	for (unsigned i = 0; i < 16; i++)
		if (head[i] == full)
			counters = &head[i];
	assert_non_null(counters);
	*counters = full - 1; /* inuse - 1 */
	assert_int_equal(walk(&ws, 1), 1);
	printf("# full slab: %s\n", ws.last);
	assert_non_null(strstr(ws.last, "slab on no list: inuse disagrees with the freelist"));
	assert_int_equal(walk(&ws, 0), 0); /* not while a call may be in flight */
	*counters = full;
	assert_int_equal(walk(&ws, 1), 0);
	for (unsigned i = 0; i < 3 * l.objects; i++)
		kslab_kfree(objs[i]);
}

/*
 * memset, memcpy and memmove reach the hooks as range accesses (GCC does
 * not instrument them): creating a cache zeroes its struct kmem_cache
 * (kmem_cache_zalloc: slab_post_alloc_hook's memset under __GFP_ZERO), and
 * the range observer sees that memset, made by the kernel's code.
 */
static struct {
	unsigned calls, zeroed;
	unsigned long long before, after;
} ranges;
static const void *range_cache;

static void range_seen(void *dst, const void *src, unsigned long size, enum kslab_region dst_region,
		       enum kslab_region src_region, const void *ip)
{
	ranges.calls++;
	(void)dst_region, (void)src_region;
	assert_non_null(ip);
	if (!src && size >= kslab_cache_object_size(kslab_kmalloc_cache(8)) && in_direct_map(dst) &&
	    (char *)dst <= (char *)range_cache && (char *)range_cache < (char *)dst + size)
		ranges.zeroed++;
}

static void range_count(unsigned long long *n)
{
	struct kslab_access_counts ac;

	kslab_access_counts(&ac);
	*n = 0;
	for (int r = 0; r < KSLAB_NR_REGIONS; r++)
		*n += ac.n[r][KSLAB_A_RANGE];
}

static void test_memory_ranges(void **state)
{
	struct kslab_cache *c;

	(void)state;
	assert_int_equal(kslab_reset(2, 4096), 0);
	kslab_set_cpu(0);
	memset(&ranges, 0, sizeof(ranges));
	range_count(&ranges.before);
	kslab_set_range_observer(range_seen);
	/* The memset happens inside the call: the observer checks it against c afterwards. */
	c = kslab_cache_create("range-test", 100, 0);
	kslab_set_range_observer(NULL);
	range_count(&ranges.after);
	assert_non_null(c);
	range_cache = c;
	/* Again, now that the cache's address is known: the same memset, the same address. */
	assert_int_equal(kslab_reset(2, 4096), 0);
	unsigned calls = ranges.calls;
	ranges.calls = 0;
	kslab_set_range_observer(range_seen);
	assert_ptr_equal(kslab_cache_create("range-test", 100, 0), c);
	kslab_set_range_observer(NULL);
	printf("# creating a cache: %u memory function calls, %llu ranges counted; "
	       "its struct kmem_cache zeroed by %u\n",
	       calls, ranges.after - ranges.before, ranges.zeroed);
	assert_int_equal(ranges.calls, calls);
	assert_true(ranges.after - ranges.before >= calls);
	assert_int_equal(ranges.zeroed, 1);
	kslab_cache_destroy((struct kslab_cache *)c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot),	      cmocka_unit_test(test_every_size_every_cpu),
		cmocka_unit_test(test_kmalloc_large), cmocka_unit_test(test_cross_cpu_free),
		cmocka_unit_test(test_custom_cache),  cmocka_unit_test(test_slab_test),
		cmocka_unit_test(test_access_counts), cmocka_unit_test(test_reset),
		cmocka_unit_test(test_walk),	      cmocka_unit_test(test_walk_full_slab),
		cmocka_unit_test(test_memory_ranges),
	};

	return cmocka_run_group_tests(tests, boot, NULL);
}
