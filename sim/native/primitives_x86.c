/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * primitives_x86.c - microbenchmarks of the primitives the fastpaths are
 * made of, in the kernel-shaped build's own instruction forms
 * (alloc/port_x86.h), alone and in the dependency chains the fastpaths
 * form.  Each loop runs UNROLL operations per iteration; a result is TSC
 * cycles per operation, the minimum (and the median) over trials.
 *
 * "latency": each operation depends on the one before (its address or its
 * operand comes from the previous result), so the loop runs at the chain's
 * latency.  "throughput": the operations are independent, so it runs at
 * the issue rate.  A profile value of the simulator's cost model is one of
 * these, named in `informs`.
 *
 * Compiled only into the kernel-shaped object.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <x86intrin.h>

#include "kernel_shaped.h"
#include "slab_types.h"

#define UNROLL 8
#define LOOP_OPS 1024 /* operations per timed loop */

/* A per-CPU structure shaped like kmem_cache_cpu, in this thread's TLS. */
struct bench_cpu {
	void *freelist;
	unsigned long tid;
	unsigned long zero; /* always 0: adds a dependency without changing the address */
	struct page *page;
} __attribute__((aligned(64)));

static __thread struct bench_cpu bench_cpu_area __attribute__((tls_model("local-exec")));

/* The per-CPU pointer of bench_cpu_area: an offset from the thread pointer. */
static struct bench_cpu *pcpu;

static unsigned long thread_pointer(void)
{
	unsigned long tp;
	__asm__("movq %%fs:0, %0" : "=r"(tp));
	return tp;
}

static uint64_t tsc(void)
{
	_mm_lfence();
	uint64_t t = __rdtsc();
	_mm_lfence();
	return t;
}

/* A sink the compiler must keep. */
static volatile unsigned long sink;

#define REPEAT8(x) x x x x x x x x

typedef void (*bench_fn)(unsigned iterations);

static void b_empty(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(__asm__ __volatile__("" ::: "memory");)
	}
}

static void b_load_latency(unsigned n)
{
	/* A pointer chase through one hot line: L1 load-to-use latency. */
	static void *self[8] __attribute__((aligned(64)));
	void **p = self;
	self[0] = self;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(p = *(void **volatile *)p;)
	}
	sink = (unsigned long)p;
}

static void b_this_cpu_read_latency(unsigned n)
{
	struct bench_cpu *c = pcpu;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(c = (struct bench_cpu *)((char *)c + this_cpu_read(0, c->zero));)
	}
	sink = (unsigned long)c;
}

static void b_this_cpu_read_throughput(unsigned n)
{
	unsigned long a = 0, b = 0;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(a += this_cpu_read(0, pcpu->tid); b ^= this_cpu_read(0, pcpu->zero);)
	}
	sink = a + b;
}

/* this_cpu_ptr then a load of c->tid: v4.0/v5.15's raw_cpu_ptr first step. */
static void b_cpu_ptr_read_tid(unsigned n)
{
	struct bench_cpu *p = pcpu;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			struct bench_cpu *c = this_cpu_ptr(0, p);
			unsigned long tid = READ_ONCE(0, c->tid);
			p = (struct bench_cpu *)((char *)p + (tid & 0) + READ_ONCE(0, c->zero));
		})
	}
	sink = (unsigned long)p;
}

/* The same inside the preempt pair: v3.18's read protocol. */
static void b_preempt_cpu_ptr_read_tid(unsigned n)
{
	struct bench_cpu *p = pcpu;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			preempt_disable(0);
			struct bench_cpu *c = this_cpu_ptr(0, p);
			unsigned long tid = READ_ONCE(0, c->tid);
			preempt_enable(0);
			p = (struct bench_cpu *)((char *)p + (tid & 0) + READ_ONCE(0, c->zero));
		})
	}
	sink = (unsigned long)p;
}

static void b_preempt_pair(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(preempt_disable(0); preempt_enable(0);)
	}
}

/* Two independent %fs reads (tid, then freelist): the end-token read protocol. */
static void b_two_this_cpu_reads(unsigned n)
{
	struct bench_cpu *p = pcpu;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			unsigned long tid = this_cpu_read(0, p->tid);
			void *fl = this_cpu_read(0, p->freelist);
			p = (struct bench_cpu *)((char *)p + (tid & 0) + ((unsigned long)fl & 0) +
						 this_cpu_read(0, p->zero));
		})
	}
	sink = (unsigned long)p;
}

/* Successful commits of (freelist, tid), each on the state the last one left. */
static void b_this_cpu_cmpxchg_double(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			unsigned long tid = this_cpu_read(0, pcpu->tid);
			void *fl = this_cpu_read(0, pcpu->freelist);
			this_cpu_cmpxchg_double(0, pcpu->freelist, fl, tid, fl, tid + 1);
		})
	}
}

static void b_this_cpu_cmpxchg(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			unsigned long tid = this_cpu_read(0, pcpu->tid);
			this_cpu_cmpxchg(0, pcpu->tid, tid, tid + 1);
		})
	}
}

static struct page hot_page;

static void b_cmpxchg_double(unsigned n)
{
	struct page *pg = &hot_page;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			void *fl = READ_ONCE(0, pg->freelist);
			unsigned long ct = READ_ONCE(0, pg->counters);
			cmpxchg_double(0, pg->freelist, fl, ct, fl, ct + 1);
		})
	}
}

static void b_atomic_add(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(atomic_long_add(0, hot_page.private, 1);)
	}
}

static void b_irq_pair(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			unsigned long flags = local_irq_save(0);
			local_irq_restore(0, flags);
		})
	}
}

static slab_spinlock_t bench_lock;

static void b_spin_pair(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(spin_lock(0, &bench_lock); spin_unlock(0, &bench_lock);)
	}
}

/*
 * Struct pages far apart, visited in a random cycle: each visit misses.
 * pages[i].first_page links the cycle (as the chase), .freelist/.counters
 * are the cmpxchg16b target.
 */
#define MISS_PAGES (1u << 20) /* 64 MiB of struct pages */
static struct page *miss_pages;
/* Where the chase stands: each loop goes on from the last, so no page repeats soon. */
static struct page *miss_cursor;

static void b_page_miss(unsigned n)
{
	struct page *pg = miss_cursor;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(pg = READ_ONCE(0, pg->first_page);)
	}
	miss_cursor = pg;
}

/* __slab_free's shape: load the page's counters (a miss), then LOCK cmpxchg16b. */
static void b_page_miss_cmpxchg_double(unsigned n)
{
	struct page *pg = miss_cursor;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			void *fl = READ_ONCE(0, pg->freelist);
			unsigned long ct = READ_ONCE(0, pg->counters);
			cmpxchg_double(0, pg->freelist, fl, ct, fl, ct + 1);
			pg = READ_ONCE(0, pg->first_page);
		})
	}
	miss_cursor = pg;
}

/*
 * Lines visited in a random cycle within a buffer sized for one cache
 * level: a chase through it measures that level's load-to-use latency.
 */
struct chase {
	void **base, **cursor;
};
static struct chase chase_l2, chase_l3;

static bool make_chase(struct chase *ch, size_t bytes)
{
	size_t lines = bytes / 64;
	void **buf = aligned_alloc(64, bytes);
	unsigned *order = malloc(lines * sizeof(*order));
	if (!buf || !order) {
		free(buf);
		free(order);
		return false;
	}
	uint64_t x = 0x2545F4914F6CDD1Dull;
	for (size_t i = 0; i < lines; i++)
		order[i] = (unsigned)i;
	for (size_t i = lines - 1; i > 0; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t j = x % (i + 1);
		unsigned t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < lines; i++)
		buf[order[i] * 8] = &buf[order[(i + 1) % lines] * 8];
	free(order);
	ch->base = ch->cursor = buf;
	return true;
}

static void chase(struct chase *ch, unsigned n)
{
	void **p = ch->cursor;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8(p = *(void **volatile *)p;)
	}
	ch->cursor = p;
}

static void b_chase_l2(unsigned n)
{
	chase(&chase_l2, n);
}

static void b_chase_l3(unsigned n)
{
	chase(&chase_l3, n);
}

/*
 * Does a LOCK op hold back later independent loads?  A lock cmpxchg16b on a
 * hot line, then the next step of an L2 chase that does not depend on it:
 * as long as the two alone if it does, as long as the longer if not.
 */
static void b_cmpxchg_double_then_load(unsigned n)
{
	struct page *pg = &hot_page;
	void **p = chase_l2.cursor;
	for (unsigned i = 0; i < n; i++) {
		REPEAT8({
			unsigned long ct = pg->counters;
			cmpxchg_double(0, pg->freelist, pg->freelist, ct, pg->freelist, ct + 1);
			p = *(void **volatile *)p;
		})
	}
	chase_l2.cursor = p;
}

static bool make_miss_pages(void)
{
	size_t len = (size_t)MISS_PAGES * sizeof(struct page);
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (m == MAP_FAILED)
		return false;
	miss_pages = m;
	miss_cursor = m;
	unsigned *order = malloc(MISS_PAGES * sizeof(*order));
	if (!order) {
		munmap(m, len);
		return false;
	}
	/* A fixed random cycle (xorshift, fixed seed): the same in every run. */
	uint64_t x = 0x9E3779B97F4A7C15ull;
	for (unsigned i = 0; i < MISS_PAGES; i++)
		order[i] = i;
	for (unsigned i = MISS_PAGES - 1; i > 0; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		unsigned j = (unsigned)(x % (i + 1));
		unsigned t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned i = 0; i < MISS_PAGES; i++)
		miss_pages[order[i]].first_page = &miss_pages[order[(i + 1) % MISS_PAGES]];
	free(order);
	return true;
}

struct bench {
	const char *name, *what, *informs;
	bench_fn fn;
	bool needs_miss_pages;
};

static const struct bench benches[] = {
	{ "empty_loop", "the loop around 8 operations, per operation", "", b_empty, false },
	{ "load.latency", "movq (%reg), %reg chained through one hot line", "l1_hit",
	  b_load_latency, false },
	{ "load.l2", "a chase through 128 KiB in random order (an L2 hit on 2014-2024 cores)",
	  "l2_hit", b_chase_l2, true },
	{ "load.l3", "a chase through 2 MiB in random order (an L3 hit)", "l3_hit", b_chase_l3,
	  true },
	{ "this_cpu_read.latency", "movq %fs:off(%reg), %reg chained", "this_cpu_read",
	  b_this_cpu_read_latency, false },
	{ "this_cpu_read.throughput", "independent movq %fs:off(%reg) loads", "this_cpu_read",
	  b_this_cpu_read_throughput, false },
	{ "this_cpu_ptr+read_tid", "movq %fs:0; add; load c->tid; chained (v4.0, v5.15)",
	  "this_cpu_ptr", b_cpu_ptr_read_tid, false },
	{ "preempt+this_cpu_ptr+read_tid",
	  "incl %fs:count; this_cpu_ptr; load c->tid; decl %fs:count; je (v3.18)",
	  "preempt_disable, preempt_enable", b_preempt_cpu_ptr_read_tid, false },
	{ "preempt_pair", "incl %fs:count; decl %fs:count; je, back to back",
	  "preempt_disable, preempt_enable", b_preempt_pair, false },
	{ "two_this_cpu_reads", "tid and freelist by two independent %fs loads (end token)",
	  "this_cpu_read", b_two_this_cpu_reads, false },
	{ "this_cpu_cmpxchg_double", "two %fs reads, then cmpxchg16b %fs: without LOCK",
	  "this_cpu_cmpxchg_double", b_this_cpu_cmpxchg_double, false },
	{ "this_cpu_cmpxchg", "%fs read, then cmpxchgq %fs: without LOCK", "this_cpu_cmpxchg",
	  b_this_cpu_cmpxchg, false },
	{ "cmpxchg_double", "two loads, then lock cmpxchg16b, line in L1", "cmpxchg_double",
	  b_cmpxchg_double, false },
	{ "cmpxchg_double+independent_load",
	  "lock cmpxchg16b on a hot line, then an independent L2 chase step: the longer of the two "
	  "if later loads pass the LOCK",
	  "lock_fence", b_cmpxchg_double_then_load, true },
	{ "atomic_add", "lock addq, line in L1", "atomic_add", b_atomic_add, false },
	{ "irq_save_restore", "pushfq; popq; stand-in cli; pushq; popfq", "irq_save, irq_restore",
	  b_irq_pair, false },
	{ "spin_lock_unlock", "uncontended ticket lock and unlock, with the preempt count",
	  "spin_lock, spin_unlock", b_spin_pair, false },
	{ "page_miss", "a load of a struct page that misses (64 MiB, random cycle)", "dram",
	  b_page_miss, true },
	{ "page_miss+cmpxchg_double",
	  "the same miss, then lock cmpxchg16b on that page (__slab_free's shape)",
	  "cmpxchg_double", b_page_miss_cmpxchg_double, true },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

unsigned kshaped_primitives(struct kshaped_primitive *out, unsigned trials)
{
	pcpu = (struct bench_cpu *)((unsigned long)&bench_cpu_area - thread_pointer());
	bool have_miss_pages =
	    make_chase(&chase_l2, 128 << 10) && make_chase(&chase_l3, 2 << 20) && make_miss_pages();
	double *t = malloc(trials * sizeof(*t));
	unsigned n = 0;
	if (!t)
		return 0;
	for (unsigned b = 0; b < sizeof(benches) / sizeof(benches[0]); b++) {
		const struct bench *bm = &benches[b];
		if (bm->needs_miss_pages && !have_miss_pages)
			continue;
		unsigned iterations = LOOP_OPS / UNROLL;
		bm->fn(iterations); /* warm up */
		for (unsigned k = 0; k < trials; k++) {
			uint64_t t0 = tsc();
			bm->fn(iterations);
			t[k] = (double)(tsc() - t0) / LOOP_OPS;
		}
		qsort(t, trials, sizeof(*t), cmp_double);
		out[n++] = (struct kshaped_primitive){
			.name = bm->name,
			.what = bm->what,
			.informs = bm->informs,
			.cycles = t[0],
			.median = t[trials / 2],
		};
	}
	free(t);
	if (have_miss_pages)
		munmap(miss_pages, (size_t)MISS_PAGES * sizeof(struct page));
	free(chase_l2.base);
	free(chase_l3.base);
	chase_l2 = chase_l3 = (struct chase){ NULL, NULL };
	return n;
}
