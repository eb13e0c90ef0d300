/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab.h - the kernel's own SLUB (mm/slub.c + mm/slab_common.c of a
 * Linux tree, compiled unmodified against alloc/kernel/compat/) behind a
 * small C API.  No kernel header is included here: the rest of slabsim
 * sees only these names.
 *
 * Stage 1 (this): one thread; virtual CPUs are a current-CPU variable the
 * caller switches (kslab_set_cpu()); every memory access of the kernel
 * files reaches slabsim's __tsan_* hooks, which count it (and call an
 * optional observer, the handle stage 2 uses to make it a point); the
 * machine primitives (per-CPU ops, cmpxchg_double, locks, irq, preempt,
 * the page allocator) are out-of-line calls that count and check.
 *
 * Memory: the direct map (slab pages), the struct page array and the
 * per-CPU areas are mapped at fixed addresses (KSLAB_DIRECT_BASE...), so
 * object addresses are the same in every run.
 */
#ifndef KSLAB_H
#define KSLAB_H

#include <stddef.h>
#include <stdint.h>

/*
 * Each kernel built into one program has its own regions: the build gives
 * the n-th kernel KSLAB_REGION_BASE = 0x500000000000 + n * 0x4000000000
 * (n < 16), so that all of them lie below 0x540000000000, clear of
 * AddressSanitizer's heap at 0x600000000000.  Within a kernel's 256 GiB:
 * the direct map (at most 64 GiB of frames), the struct pages, the per-CPU
 * units.
 */
#ifndef KSLAB_REGION_BASE
#define KSLAB_REGION_BASE 0x500000000000UL
#endif
#define KSLAB_REGION_DIRECT_MAX 0x1000000000UL /* bytes of frames at most: 64 GiB */
#define KSLAB_DIRECT_BASE (KSLAB_REGION_BASE)  /* slab pages (the direct map) */
#define KSLAB_VMEMMAP_BASE (KSLAB_REGION_BASE + 0x1000000000UL) /* struct page array */
#define KSLAB_PERCPU_BASE (KSLAB_REGION_BASE + 0x2000000000UL)	/* per-CPU units, one per CPU */
#define KSLAB_MAX_CPUS 64
/*
 * CPU n's per-CPU copy lies n units after CPU 0's: the simulator's own
 * per-CPU unit, so that its per-CPU operations find a kernel's copies.
 */
#define KSLAB_PCPU_UNIT (64UL * 1024)

/* The kernel files compiled in, as taken (never patched). */
struct kslab_kernel_file {
	const char *path;   /* relative to the tree, e.g. "mm/slub.c" */
	const char *sha256; /* hex */
};
const struct kslab_kernel_file *kslab_kernel_files(void); /* ends with { 0, 0 } */
extern const char kslab_kernel_version[];		  /* "6.1.192", from the Makefile */
extern const char kslab_kernel_origin[];		  /* the tarball or tree */

/*
 * Boot: map memory (nr_pages frames of 4 KiB), set nr_cpu_ids, run
 * kmem_cache_init() and kmem_cache_init_late() on CPU 0.  Once per
 * process; a second call with the same arguments returns 0 and does
 * nothing.  Returns 0 or a negative errno.
 */
int kslab_init(unsigned int nr_cpus, unsigned long nr_pages);
#define KSLAB_DEFAULT_PAGES (1UL << 16) /* 256 MiB, reserved, touched as used */
/*
 * The same on nr_nodes NUMA nodes (1 .. KSLAB_MAX_NODES, at most one per
 * CPU) of pages_per_node frames each (0: KSLAB_DEFAULT_PAGES): node n owns
 * the frames from n * pages_per_node on (rounded up to a 4 MiB block), CPU
 * i is on node i * nr_nodes / nr_cpus.  kslab_init is the one-node case.
 */
#define KSLAB_MAX_NODES 4 /* MAX_NUMNODES: CONFIG_NODES_SHIFT 2 */
int kslab_init_nodes(unsigned int nr_cpus, unsigned int nr_nodes, unsigned long pages_per_node);
unsigned int kslab_cpu_node_of(unsigned int cpu);
/* slab_nid() of the slab holding p, or -1 if p is in no slab. */
int kslab_slab_node(const void *p);
/*
 * The state right after booting nr_cpus CPUs over nr_pages frames: the
 * first call boots (kslab_init) and keeps a snapshot; later calls with the
 * same arguments restore it (every global of the kernel files, the per-CPU
 * units, the struct pages and the boot's frames); other arguments boot
 * again from scratch.  0 or a negative errno.
 */
int kslab_reset(unsigned int nr_cpus, unsigned long nr_pages);
int kslab_reset_nodes(unsigned int nr_cpus, unsigned int nr_nodes, unsigned long pages_per_node);
void kslab_set_cpu(unsigned int cpu);
unsigned int kslab_get_cpu(void);
unsigned int kslab_nr_cpus(void);

/* GFP_KERNEL allocations. */
void *kslab_kmalloc(size_t size);
void *kslab_kmalloc_node(size_t size, int node); /* node -1: NUMA_NO_NODE */
/* The same with __GFP_ZERO (kzalloc_node): slab_post_alloc_hook's memset. */
void *kslab_kzalloc_node(size_t size, int node);
void kslab_kfree(const void *p);
size_t kslab_ksize(const void *p);
struct kslab_cache; /* the kernel's struct kmem_cache */
struct kslab_cache *kslab_cache_create(const char *name, unsigned int size, unsigned int align);
void *kslab_cache_alloc(struct kslab_cache *c);
void kslab_cache_free(struct kslab_cache *c, void *p);
void kslab_cache_destroy(struct kslab_cache *c);
/* The normal kmalloc cache serving size; NULL above the largest. */
struct kslab_cache *kslab_kmalloc_cache(size_t size);
const char *kslab_cache_name(const struct kslab_cache *c);
unsigned int kslab_cache_object_size(const struct kslab_cache *c);
/* Largest size served by a kmalloc cache (above: pages, kmalloc_large). */
size_t kslab_kmalloc_max_cache_size(void);

/*
 * How the kernel laid a cache out (calculate_sizes, calculate_order,
 * set_cpu_partial, the min_partial of kmem_cache_open): what the
 * differential test checks against the port before comparing counters.
 */
struct kslab_cache_layout {
	unsigned int size;		/* s->size: the object's stride in a slab */
	unsigned int order;		/* oo_order(s->oo) */
	unsigned int objects;		/* oo_objects(s->oo): objects per slab */
	unsigned long min_partial;	/* partial slabs a node keeps, empty ones too */
	unsigned int cpu_partial;	/* the per-CPU partial limit in objects (sysfs) */
	unsigned int cpu_partial_slabs; /* the limit put_cpu_partial applies, in slabs */
};
void kslab_cache_layout(const struct kslab_cache *c, struct kslab_cache_layout *out);

/*
 * SLUB_STATS: the sum over CPUs of the counter named as in the kernel's
 * enum stat_item ("ALLOC_FASTPATH", ...).  -1 when the name is unknown.
 */
long long kslab_cache_stat(const struct kslab_cache *c, const char *name);
const char *const *kslab_stat_names(void); /* NULL-terminated */

/* Page allocator: frames handed out and not returned. */
unsigned long kslab_pages_in_use(void);
/* Free blocks of the highest order on node; 0 for a node without slabs of its own. */
unsigned long kslab_node_top_blocks(int node);

/* Memory accesses of the kernel files, from the __tsan_* hooks. */
enum kslab_region {
	KSLAB_R_DIRECT,	 /* slab pages, kmalloc_large pages */
	KSLAB_R_VMEMMAP, /* struct page / struct slab */
	KSLAB_R_PERCPU,	 /* per-CPU areas */
	KSLAB_R_STACK,	 /* the running task's stack: filtered, never a point */
	/*
	 * The struct kmem_cache objects (direct-map frames of the boot's
	 * kmem_cache slabs): fields fixed once a cache is created, read on
	 * every call.
	 */
	KSLAB_R_CACHE,
	KSLAB_R_GLOBAL, /* everything else: the kernel files' globals */
	KSLAB_NR_REGIONS,
};
enum kslab_access {
	KSLAB_A_LOAD,	/* plain load (__tsan_readN) */
	KSLAB_A_STORE,	/* plain store (__tsan_writeN) */
	KSLAB_A_VLOAD,	/* READ_ONCE (__tsan_volatile_readN) */
	KSLAB_A_VSTORE, /* WRITE_ONCE (__tsan_volatile_writeN) */
	KSLAB_A_ATOMIC, /* __atomic builtins (__tsan_atomic*), performed by the hook */
	KSLAB_A_RANGE,	/* a memset/memcpy/memmove range (kc_stubs.h routes them to the hooks) */
	KSLAB_NR_ACCESS,
};
struct kslab_access_counts {
	unsigned long long n[KSLAB_NR_REGIONS][KSLAB_NR_ACCESS];
};
void kslab_access_counts(struct kslab_access_counts *out);
void kslab_access_reset(void);
/* Observer of every access outside the stack (the simulator makes some points). */
typedef void (*kslab_access_fn)(const void *addr, unsigned int size, enum kslab_access kind,
				enum kslab_region region, const void *ip);
void kslab_set_access_observer(kslab_access_fn fn);
/*
 * Observer of every memset, memcpy and memmove the instrumented kernel
 * files make (GCC instruments none of them: the compat layer routes them
 * to the hooks), before it happens: size bytes written at dst and, for
 * memcpy and memmove, read at src (NULL for memset), with the regions of
 * both (src_region KSLAB_NR_REGIONS without a source).  One call per
 * memory function, whatever its regions; a zero size is not reported.
 */
typedef void (*kslab_range_fn)(void *dst, const void *src, unsigned long size,
			       enum kslab_region dst_region, enum kslab_region src_region,
			       const void *ip);
void kslab_set_range_observer(kslab_range_fn fn);

/* Machine primitives the compat layer routes out of line, counted. */
enum kslab_prim {
	KSLAB_P_PCPU,		/* this_cpu_read/write/add */
	KSLAB_P_PCPU_CMPXCHG,	/* this_cpu_cmpxchg_double / try_cmpxchg128 */
	KSLAB_P_CMPXCHG_DOUBLE, /* cmpxchg_double / try_cmpxchg128 on a struct slab */
	KSLAB_P_PREEMPT,	/* preempt_disable / enable */
	KSLAB_P_IRQ,		/* local_irq_save / restore / disable / enable */
	KSLAB_P_SPINLOCK,	/* spin_lock / unlock / trylock */
	KSLAB_P_LOCAL_LOCK,	/* local_lock / unlock */
	KSLAB_P_BIT_SPINLOCK,	/* bit_spin_lock / unlock (slab_lock) */
	KSLAB_P_PAGE_ALLOC,	/* alloc_pages */
	KSLAB_P_PAGE_FREE,	/* __free_pages */
	KSLAB_P_CPU_ID,		/* smp_processor_id and per-CPU address */
	KSLAB_P_OTHER,		/* mutex, get_cycles, work */
	KSLAB_NR_PRIMS,
};
void kslab_prim_counts(unsigned long long out[KSLAB_NR_PRIMS]);
const char *kslab_prim_name(enum kslab_prim p);
const char *kslab_region_name(enum kslab_region r);
const char *kslab_access_name(enum kslab_access a);

/*
 * The tree's own lib/slub_kunit.c, in a kernel's "debug" object only
 * (CONFIG_SLUB_DEBUG and CONFIG_KUNIT; kslab_kunit.c): its suite's cases,
 * run one at a time after kslab_init.  kslab_kunit_run_case returns the
 * failed expectations and writes the first into msg.
 */
const char *kslab_kunit_suite_name(void);
unsigned int kslab_kunit_cases(void);
const char *kslab_kunit_case_name(unsigned int i);
int kslab_kunit_run_case(unsigned int i, char *msg, unsigned long len);

/* Kernel console output (printk): off by default; on, to stderr. */
void kslab_set_printk(int on);

/*
 * The machine the kernel files run on: every primitive the compat layer
 * routes out of line, as the host implements it.  The built-in machine
 * (kslab_set_machine(NULL)) is one thread whose CPU kslab_set_cpu()
 * switches; the simulator installs its own, on which each primitive is a
 * point of a virtual CPU (sim/engine/kernel_machine.c).
 *
 * Per-CPU operations get CPU 0's copy (cpu0) and act on the copy of the
 * CPU running them, KSLAB_PCPU_UNIT bytes per CPU on.  The two-word
 * compare-and-exchanges return whether they swapped and, in found, the
 * two words they found.  irq_save returns nonzero when interrupts were
 * already off; irq_restore takes that value back.
 */
struct kslab_machine {
	unsigned int (*cpu)(void);     /* smp_processor_id, this_cpu_ptr */
	unsigned int (*cpu_now)(void); /* the CPU running now: not an operation */
	unsigned long (*pcpu_read)(unsigned long *cpu0, unsigned int size);
	void (*pcpu_write)(unsigned long *cpu0, unsigned long v, unsigned int size);
	void (*pcpu_add)(unsigned long *cpu0, long v, unsigned int size);
	int (*pcpu_cmpxchg_double)(unsigned long *cpu0, unsigned long o1, unsigned long o2,
				   unsigned long n1, unsigned long n2, unsigned long found[2]);
	int (*cmpxchg_double)(unsigned long *w, unsigned long o1, unsigned long o2,
			      unsigned long n1, unsigned long n2, unsigned long found[2]);
	void (*preempt_disable)(void);
	void (*preempt_enable)(void);
	int (*preempt_count)(void);
	unsigned long (*irq_save)(void);
	void (*irq_restore)(unsigned long flags);
	int (*irqs_disabled)(void);
	void (*spin_lock)(unsigned long *lock);
	void (*spin_unlock)(unsigned long *lock);
	int (*spin_trylock)(unsigned long *lock);
	/*
	 * Before the buddy allocator hands out or takes back 2^order frames;
	 * page_alloc returns nonzero to make the allocation fail.
	 */
	int (*page_alloc)(unsigned int order);
	void (*page_free)(unsigned int order);
	unsigned long long (*clock)(void); /* get_cycles() */
	/* Run fn(arg) on cpu (queue_work_on + flush_work, an IPI's work). */
	void (*run_on)(unsigned int cpu, void (*fn)(void *arg), void *arg);
	/* BUG(): the host reports it; returning aborts the process. */
	void (*bug)(const char *file, int line, const char *what);
};
void kslab_set_machine(const struct kslab_machine *m);

/*
 * A walk over the kernel's slabs: every CPU's cpu slab with its two
 * freelists (c->freelist, slab->freelist) and its per-CPU partial slabs,
 * and every node's partial list.  Each freelist must hold objects of its
 * own slab only, at object boundaries, without a cycle; each free object
 * is handed to free_object.  quiescent (no call in flight): also each
 * partial slab's inuse against its free objects, and nr_partial against
 * the list; and, when nothing was skipped, every other slab, found through
 * the struct pages of the frames ever handed out ("slab on no list": full
 * slabs, which no list holds without SLUB_DEBUG): of a cache, its
 * freelist and inuse as above.  Not while a call is in flight: a slab
 * being built (allocate_slab sets slab->freelist before it writes the free
 * pointers) is on no list either.  The per-CPU state of the CPUs in
 * skip_cpus (mid-update: interrupts off there) and a node whose list_lock
 * is held are not read.  Nothing here is instrumented: the walk makes no
 * point.
 */
struct kslab_walk {
	void (*problem)(void *arg, const char *cache, const char *where, const char *what,
			const void *addr);
	int (*free_object)(void *arg, const char *cache, const char *where, const void *obj);
	void *arg;		      /* nonzero from free_object stops the walk */
	unsigned long long skip_cpus; /* bit n: CPU n */
	int quiescent;
};
unsigned kslab_walk(const struct kslab_walk *w); /* the problems found */

/*
 * Where an address lies, as the struct pages say (not instrumented either):
 * in a slab (its cache; base, the slab's first byte; the object it falls
 * in, which may lie past the slab's objects, and the offset into it: 0 at
 * an object boundary), in a block of pages allocated outside slabs
 * (kmalloc_large; base, the block's first byte), or neither (outside the
 * frames ever handed out, or in a free block).
 */
enum kslab_place { KSLAB_NOWHERE, KSLAB_IN_PAGES, KSLAB_IN_SLAB };
struct kslab_object {
	enum kslab_place place;
	const struct kslab_cache *cache; /* KSLAB_IN_SLAB */
	const void *base;
	unsigned long index, offset, objects; /* KSLAB_IN_SLAB */
};
void kslab_locate(const void *addr, struct kslab_object *out);
/* The cpu slab of c on cpu (c->slab), by its first byte; NULL when it has none. */
const void *kslab_cpu_slab(const struct kslab_cache *c, unsigned int cpu);

/*
 * One kernel as the simulator sees it: the kernel unit of a build is
 * linked into one relocatable object whose only global symbol is this
 * table (kslab_kernel_<tag>), so several kernels live in one program.
 */
struct kslab_kernel {
	const char *version; /* kslab_kernel_version */
	const char *origin;
	const struct kslab_kernel_file *(*files)(void);
	/*
	 * Bring the kernel to its state right after booting nr_cpus CPUs on
	 * nr_nodes nodes of pages_per_node frames: boot the first time (on the
	 * built-in machine), and afterwards restore what that boot left
	 * (kslab_reset_nodes).
	 */
	int (*boot)(unsigned int nr_cpus, unsigned int nr_nodes, unsigned long pages_per_node);
	unsigned int (*cpu_node)(unsigned int cpu); /* cpu_to_node() */
	void (*set_machine)(const struct kslab_machine *m);
	void *(*kmalloc_node)(size_t size, int node);
	void *(*kzalloc_node)(size_t size, int node); /* with __GFP_ZERO */
	void (*kfree)(const void *p);
	/* Flush every CPU and shrink every cache, as kmem_cache_shrink() does. */
	void (*shrink_all)(void);
	/* flush_all's work on the running CPU for the kmalloc cache of size. */
	void (*flush_this_cpu)(size_t size);
	unsigned (*walk)(const struct kslab_walk *w);
	/* Sum over every cache and CPU of the SLUB_STATS counter name; -1 unknown. */
	long long (*stat_total)(const char *name);
	unsigned long (*pages_in_use)(void);
	/* Frames in use right after boot (the kmalloc caches' own structures). */
	unsigned long (*boot_pages)(void);
	/* The kmalloc cache serving size, its name and object size. */
	struct kslab_cache *(*kmalloc_cache)(size_t size);
	const char *(*cache_name)(const struct kslab_cache *c);
	unsigned int (*cache_object_size)(const struct kslab_cache *c);
	void (*access_counts)(struct kslab_access_counts *out);
	void (*set_access_observer)(kslab_access_fn fn);
	void (*set_range_observer)(kslab_range_fn fn);
	void (*set_stack)(uintptr_t lo, uintptr_t hi); /* the running task's stack */
	/*
	 * Sites: the kernel's code is one block from text_start; site() is
	 * the return address of the primitive being made (its call in the
	 * kernel code), as the access observer's ip is an access's.
	 */
	const char *text_start;
	const void *(*site)(void);
	void (*prim_counts)(unsigned long long out[KSLAB_NR_PRIMS]);
	void (*locate)(const void *addr, struct kslab_object *out);
	const void *(*cpu_slab)(const struct kslab_cache *c, unsigned int cpu);
	int (*slab_node)(const void *p);	    /* kslab_slab_node */
	unsigned long (*node_top_blocks)(int node); /* kslab_node_top_blocks */
};

#endif /* KSLAB_H */
