/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab.h - the allocator's public interface: caches, kmalloc, the SLUB_STATS
 * counters and the validator.  Call slab_world_init() and install a port
 * first; then slab_init() creates the kmalloc caches.
 */
#ifndef SLAB_H
#define SLAB_H

#include <stdbool.h>
#include <stddef.h>

#include "slab_design.h"
#include "slab_types.h"

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
#define KMALLOC_SHIFT_HIGH (PAGE_SHIFT + 1)
#define KMALLOC_MAX_CACHE_SIZE (1UL << KMALLOC_SHIFT_HIGH) /* 8192 */
#define KMALLOC_MAX_SIZE (PAGE_SIZE << (MAX_ORDER - 1))	   /* 4 MiB */
#define KMALLOC_NR_CACHES 14 /* indexes 1 .. 13 used: 96, 192, 8 .. 8192 */

struct slab_options {
	bool cpu_partial; /* per-CPU partial lists on (the kernel default) */
};

/* Creates the kmalloc caches with the given design. NULL on success. */
const char *slab_init(const struct slab_design *kmalloc_design, const struct slab_options *opt);
/* Destroys every cache; their slabs must have been freed. */
void slab_exit(void);

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     const struct slab_design *design,
				     const struct slab_options *opt);
/* Returns 0, or -1 if objects are still allocated (the cache is kept). */
int kmem_cache_destroy(struct kmem_cache *s);
/* Flushes every CPU and frees the empty slabs of every node. */
void kmem_cache_shrink(struct kmem_cache *s);
/*
 * flush_all's work on one CPU, the CPU it runs on: deactivate the cpu slab
 * and move the per-CPU partial slabs to their nodes.  Up to 5.14 that is
 * the handler of flush_all's IPI (interrupts off); on 5.15's slow path
 * (SLAB_SLOW_LOCAL_LOCK) the work item a kworker bound to the CPU runs,
 * preemptible, interrupts on.  Interrupts may be on or off.
 */
void kmem_cache_flush_this_cpu(struct kmem_cache *s);

void *kmem_cache_alloc(struct kmem_cache *s);
void *kmem_cache_alloc_node(struct kmem_cache *s, int node);
void kmem_cache_free(struct kmem_cache *s, void *x);

void *kmalloc(size_t size);
void *kmalloc_node(size_t size, int node);
void *kzalloc_node(size_t size, int node); /* zeroed: __GFP_ZERO */
void kfree(const void *x);
/* The kmalloc cache serving size, or NULL above KMALLOC_MAX_CACHE_SIZE. */
struct kmem_cache *kmalloc_slab(size_t size);

/* First cache and the next one, in creation order. */
struct kmem_cache *slab_cache_first(void);
struct kmem_cache *slab_cache_next(struct kmem_cache *s);

const char *slab_stat_name(enum stat_item si);
/* Sum over CPUs, or one CPU's value. */
unsigned long slab_stat_sum(struct kmem_cache *s, enum stat_item si);
/* Every counter summed over the CPUs, added to sums[0 .. NR_SLUB_STAT_ITEMS - 1]. */
void slab_stat_add_sums(struct kmem_cache *s, unsigned long *sums);
unsigned slab_stat_cpu(struct kmem_cache *s, enum stat_item si, unsigned cpu);
void slab_stat_reset(struct kmem_cache *s);

static inline unsigned oo_order(struct kmem_cache_order_objects x)
{
	return (unsigned)(x.x >> 16);
}

static inline unsigned oo_objects(struct kmem_cache_order_objects x)
{
	return (unsigned)(x.x & 0xffff);
}

/*
 * The validator: walks every slab of every cache (cpu slabs, per-CPU
 * partial lists, node partial lists, and full slabs found through the page
 * array) and checks that each freelist stays in its slab, is acyclic, ends
 * with the right terminator, and agrees with inuse; that frozen pages are
 * exactly the per-CPU ones; and that nr_partial and nr_slabs are right.
 * Call it only when no allocator call is in flight.  Returns the number of
 * problems; each is described through report (if not NULL).
 */
typedef void (*slab_report_fn)(void *arg, const char *msg);
unsigned slab_validate(slab_report_fn report, void *arg);

/* Slab pages (head pages with PG_slab) of a cache, or of all caches. */
unsigned long slab_count_slabs(const struct kmem_cache *s);

#endif /* SLAB_H */
