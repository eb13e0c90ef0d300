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

#define KSLAB_DIRECT_BASE 0x500000000000UL  /* slab pages (the direct map) */
#define KSLAB_VMEMMAP_BASE 0x510000000000UL /* struct page array */
#define KSLAB_PERCPU_BASE 0x520000000000UL  /* per-CPU units, one per CPU */
#define KSLAB_MAX_CPUS 64

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
void kslab_set_cpu(unsigned int cpu);
unsigned int kslab_get_cpu(void);
unsigned int kslab_nr_cpus(void);

/* GFP_KERNEL allocations. */
void *kslab_kmalloc(size_t size);
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

/* Memory accesses of the kernel files, from the __tsan_* hooks. */
enum kslab_region {
	KSLAB_R_DIRECT,	 /* slab pages, kmalloc_large pages */
	KSLAB_R_VMEMMAP, /* struct page / struct slab */
	KSLAB_R_PERCPU,	 /* per-CPU areas */
	KSLAB_R_STACK,	 /* the running task's stack: filtered, never a point */
	KSLAB_R_GLOBAL,	 /* everything else: the kernel files' globals */
	KSLAB_NR_REGIONS,
};
enum kslab_access {
	KSLAB_A_LOAD,	/* plain load (__tsan_readN) */
	KSLAB_A_STORE,	/* plain store (__tsan_writeN) */
	KSLAB_A_VLOAD,	/* READ_ONCE (__tsan_volatile_readN) */
	KSLAB_A_VSTORE, /* WRITE_ONCE (__tsan_volatile_writeN) */
	KSLAB_A_ATOMIC, /* __atomic builtins (__tsan_atomic*), performed by the hook */
	KSLAB_NR_ACCESS,
};
struct kslab_access_counts {
	unsigned long long n[KSLAB_NR_REGIONS][KSLAB_NR_ACCESS];
};
void kslab_access_counts(struct kslab_access_counts *out);
void kslab_access_reset(void);
/* Observer of every access outside the stack (stage 2 makes it a point). */
typedef void (*kslab_access_fn)(const void *addr, unsigned int size, enum kslab_access kind,
				const void *ip);
void kslab_set_access_observer(kslab_access_fn fn);

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

/* Kernel console output (printk): off by default; on, to stderr. */
void kslab_set_printk(int on);

#endif /* KSLAB_H */
