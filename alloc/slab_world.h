/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_world.h - the one simulated address space: the page arena of every
 * NUMA node, the struct page array, the per-CPU areas, and boot memory for
 * kmem_cache and kmem_cache_node structures.
 *
 * Everything the allocator touches lives in one mapping, so that offsets
 * from its base are the same in every run and every build (host addresses
 * are not: ASLR, sanitizers).  Anything printed or hashed uses
 * slab_world_offset(), never a raw pointer.
 *
 * Layout (offsets from the base, which is aligned to the largest buddy
 * block):  [page arena: node 0, node 1, ...][struct page array]
 *          [per-CPU areas: cpu 0, cpu 1, ...][boot memory]
 */
#ifndef SLAB_WORLD_H
#define SLAB_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "page_alloc.h"
#include "slab_types.h"

struct slab_world_config {
	unsigned nr_cpus;  /* nr_cpu_ids, 1 .. SLAB_MAX_CPUS */
	unsigned nr_nodes; /* 1 .. MAX_NUMNODES */
	/* node of each CPU; if all zero and nr_nodes > 1, CPUs are split in blocks */
	unsigned char cpu_to_node[SLAB_MAX_CPUS];
	bool cpu_to_node_set;
	unsigned long pages_per_node; /* multiple of 1 << (MAX_ORDER-1) */
	bool prefault; /* touch every frame up front (native timing: no page faults) */
};

struct slab_world {
	struct slab_world_config cfg;
	char *base; /* start of the mapping, aligned */
	size_t map_size;
	void *map_start; /* as returned by mmap, for munmap */
	size_t map_len;
	char *arena; /* page frames, node after node */
	unsigned long nr_pages;
	struct page *pages; /* struct page array, one per frame */
	char *percpu;	    /* per-CPU areas */
	size_t percpu_used;
	char *boot; /* boot memory: caches and nodes */
	size_t boot_used;
};

#define SLAB_PERCPU_UNIT (64 * 1024)
#define SLAB_BOOT_SIZE (1024 * 1024)

extern struct slab_world slab_world;

/* Returns NULL on success, else a message saying what was wrong. */
const char *slab_world_init(const struct slab_world_config *cfg);
/*
 * Ends the world.  Its mapping is kept for the next slab_world_init of the
 * same size, which zeroes only what this one used: exploration sets up a
 * world thousands of times a second.  slab_world_release() unmaps it.
 */
void slab_world_destroy(void);
void slab_world_release(void);
bool slab_world_ready(void);

static inline unsigned nr_cpu_ids(void)
{
	return slab_world.cfg.nr_cpus;
}

static inline unsigned nr_node_ids(void)
{
	return slab_world.cfg.nr_nodes;
}

static inline unsigned cpu_to_node(unsigned cpu)
{
	return slab_world.cfg.cpu_to_node[cpu];
}

/* Offset of an address in the simulated space: what output may show. */
static inline uint64_t slab_world_offset(const void *p)
{
	return (uint64_t)((const char *)p - slab_world.base);
}

static inline bool slab_world_in_arena(const void *p)
{
	const char *c = p;
	return c >= slab_world.arena && c < slab_world.arena + (slab_world.nr_pages << PAGE_SHIFT);
}

/* Pure address arithmetic: the port's virt_to_page / page_address wrap these. */
static inline struct page *slab_world_virt_to_page(const void *p)
{
	unsigned long pfn = ((uintptr_t)p - (uintptr_t)slab_world.arena) >> PAGE_SHIFT;
	return &slab_world.pages[pfn];
}

static inline void *slab_world_page_address(const struct page *page)
{
	return slab_world.arena + ((unsigned long)(page - slab_world.pages) << PAGE_SHIFT);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - slab_world.pages);
}

static inline int page_to_nid(const struct page *page)
{
	return (int)(page_to_pfn(page) / slab_world.cfg.pages_per_node);
}

/* The first pfn of node and the end of its ever-used frames. */
static inline unsigned long slab_world_node_start(unsigned node)
{
	return node * slab_world.cfg.pages_per_node;
}

/*
 * Every frame that was ever handed out, node by node: walks over slab
 * pages need look no further.
 */
#define for_each_used_pfn(node, pfn)                                    \
	for (unsigned node = 0; node < slab_world.cfg.nr_nodes; node++) \
		for (unsigned long pfn = slab_world_node_start(node);   \
		     pfn < slab_world_node_start(node) + page_alloc_high_water((int)node); pfn++)

/*
 * Per-CPU memory.  slab_percpu_alloc returns a per-CPU pointer;
 * slab_per_cpu_ptr gives CPU cpu's copy (the kernel's per_cpu_ptr).
 * Simulator and ops-table native port: the pointer is CPU 0's copy in the
 * world, and CPU n's is n * SLAB_PERCPU_UNIT on.  Kernel-shaped build
 * (port_x86.h): each CPU's area is a block of its thread's TLS, the
 * pointer is an offset from the thread pointer (what %fs: adds), and
 * slab_per_cpu_offset[cpu] is CPU cpu's thread pointer, as the kernel's
 * __per_cpu_offset[cpu] is its %gs base.
 */
void *slab_percpu_alloc(size_t size, size_t align);
#ifdef SLAB_PORT_KERNEL_SHAPED
extern unsigned long slab_per_cpu_offset[SLAB_MAX_CPUS];
/* Called by each CPU's thread before the world is set up. */
void slab_percpu_register_this_thread(unsigned cpu);
static inline void *slab_per_cpu_ptr(void *pcpu, unsigned cpu)
{
	return (void *)((unsigned long)pcpu + slab_per_cpu_offset[cpu]);
}
#else
static inline void *slab_per_cpu_ptr(void *pcpu, unsigned cpu)
{
	return (char *)pcpu + (size_t)cpu * SLAB_PERCPU_UNIT;
}
#endif

/* Boot memory for kmem_cache and kmem_cache_node; zeroed; never freed. */
void *slab_boot_alloc(size_t size, size_t align);

#endif /* SLAB_WORLD_H */
