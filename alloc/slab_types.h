/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_types.h - the allocator's data structures, laid out as in SLUB of the
 * 3.18 era.
 *
 * Glossary
 *  cpu slab     the slab page a CPU allocates from.  Its free objects are
 *               split between c->freelist (lock-free, this CPU only) and
 *               page->freelist (objects freed remotely while it is frozen).
 *  frozen       a page owned by one CPU (cpu slab or on its per-CPU partial
 *               list).  Only that CPU takes page->freelist wholesale; other
 *               CPUs push onto it with cmpxchg_double on (freelist, counters).
 *  counters     one word: inuse:16, objects:15, frozen:1, so freelist and
 *               counters change together in one double-word cmpxchg.
 *  tid          per-CPU transaction id, bumped on every change of the cpu
 *               freelist or cpu slab; it encodes its CPU (tid % TID_STEP).
 *  end token    (tagged-pointer designs) a freelist terminator that is the
 *               slab's address with bit 0 set, so that every freelist value,
 *               the empty one included, names its slab.  NULL then means "no
 *               cpu slab at all".
 *  node         a NUMA node: a range of the page arena and its CPUs.
 */
#ifndef SLAB_TYPES_H
#define SLAB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port.h"
#include "slab_design.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define MAX_ORDER 11	 /* the buddy allocator's orders are 0 .. MAX_ORDER-1 */
#define SLUB_MAX_ORDER 3 /* slub_max_order = PAGE_ALLOC_COSTLY_ORDER */
#define MAX_OBJS_PER_PAGE 32767
#define MAX_NUMNODES 8
#define SLAB_MAX_CPUS 1024
#define NUMA_NO_NODE (-1)

struct list_head {
	struct list_head *next, *prev;
};

/* Page flags (struct page.flags). */
#define PG_slab (1UL << 0)
#define PG_head (1UL << 1)
#define PG_tail (1UL << 2)
#define PG_buddy (1UL << 3)
#define PG_reserved (1UL << 4)

/*
 * struct page: 64 bytes, freelist and counters 16-byte aligned at offsets
 * 16 and 24 as in the kernel, so that cmpxchg_double can update them together.
 */
struct page {
	unsigned long flags;
	/* Lameter V1: a per-page copy of page_address(), for the free test. */
	void *address;
	void *freelist;
	unsigned long counters; /* inuse:16 objects:15 frozen:1 */
	union {
		struct list_head lru; /* node partial list; buddy free list */
		struct {	      /* per-CPU partial list */
			struct page *next;
			/* pages:32 pobjects:32 in one word, so the port moves it whole */
			unsigned long pcp_counts;
		};
	};
	union {
		struct kmem_cache *slab_cache; /* head of a slab */
		struct page *first_page;       /* tail of a compound page */
	};
	unsigned long private; /* buddy or compound order */
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct page) == 64, "struct page is one cache line");
_Static_assert(offsetof(struct page, freelist) % 16 == 0,
	       "freelist+counters must be 16-byte aligned for cmpxchg16b");

/* counters word layout */
#define SLAB_INUSE_MASK 0xffffUL
#define SLAB_OBJECTS_SHIFT 16
#define SLAB_OBJECTS_MASK 0x7fffUL
#define SLAB_FROZEN_BIT (1UL << 31)

static inline unsigned counters_inuse(unsigned long c)
{
	return c & SLAB_INUSE_MASK;
}

static inline unsigned counters_objects(unsigned long c)
{
	return (c >> SLAB_OBJECTS_SHIFT) & SLAB_OBJECTS_MASK;
}

static inline bool counters_frozen(unsigned long c)
{
	return c & SLAB_FROZEN_BIT;
}

static inline unsigned long counters_make(unsigned inuse, unsigned objects, bool frozen)
{
	return (inuse & SLAB_INUSE_MASK) | ((objects & SLAB_OBJECTS_MASK) << SLAB_OBJECTS_SHIFT) |
	       (frozen ? SLAB_FROZEN_BIT : 0);
}

static inline unsigned long counters_set_inuse(unsigned long c, unsigned inuse)
{
	return (c & ~SLAB_INUSE_MASK) | (inuse & SLAB_INUSE_MASK);
}

static inline unsigned long counters_set_frozen(unsigned long c, bool frozen)
{
	return frozen ? (c | SLAB_FROZEN_BIT) : (c & ~SLAB_FROZEN_BIT);
}

/* The per-CPU part of a cache, 32 bytes, 16-byte aligned (freelist+tid). */
struct kmem_cache_cpu {
	void **freelist;      /* next free object, or an end token, or NULL */
	unsigned long tid;    /* transaction id */
	struct page *page;    /* cpu slab (designs with a page field) */
	struct page *partial; /* per-CPU partial list, frozen pages */
} __attribute__((aligned(16)));

enum stat_item {
	ALLOC_FASTPATH,
	ALLOC_SLOWPATH,
	FREE_FASTPATH,
	FREE_SLOWPATH,
	FREE_FROZEN,
	FREE_ADD_PARTIAL,
	FREE_REMOVE_PARTIAL,
	ALLOC_FROM_PARTIAL,
	ALLOC_SLAB,
	ALLOC_REFILL,
	ALLOC_NODE_MISMATCH,
	FREE_SLAB,
	CPUSLAB_FLUSH,
	DEACTIVATE_FULL,
	DEACTIVATE_EMPTY,
	DEACTIVATE_TO_HEAD,
	DEACTIVATE_TO_TAIL,
	DEACTIVATE_REMOTE_FREES,
	DEACTIVATE_BYPASS,
	ORDER_FALLBACK,
	CMPXCHG_DOUBLE_CPU_FAIL,
	CMPXCHG_DOUBLE_FAIL,
	CPU_PARTIAL_ALLOC,
	CPU_PARTIAL_FREE,
	CPU_PARTIAL_NODE,
	CPU_PARTIAL_DRAIN,
	NR_SLUB_STAT_ITEMS
};

/* SLUB_STATS live apart from kmem_cache_cpu so they do not change its size. */
struct kmem_cache_stats {
	unsigned count[NR_SLUB_STAT_ITEMS];
};

struct kmem_cache_node {
	slab_spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial;
	unsigned long nr_slabs;	     /* atomic_long in the kernel */
	unsigned long total_objects; /* atomic_long in the kernel */
} __attribute__((aligned(64)));

struct kmem_cache_order_objects {
	unsigned long x; /* order << 16 | objects */
};

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab;    /* per-CPU */
	struct kmem_cache_stats *cpu_stats; /* per-CPU */
	const struct slab_design *design;
	unsigned long flags;
	unsigned long min_partial;
	int size;	 /* object size including metadata */
	int object_size; /* requested size */
	int offset;	 /* free pointer offset */
	int cpu_partial; /* objects kept on per-CPU partial lists */
	/* With design->cpu_partial_slabs: the list's limit in slabs (from cpu_partial). */
	unsigned cpu_partial_slabs;
	int align;
	int reserved;
	struct kmem_cache_order_objects oo, max, min;
	unsigned tid_step; /* roundup_pow_of_two(nr_cpu_ids) */
	char name[32];
	struct kmem_cache_node *node[MAX_NUMNODES];
	struct kmem_cache *next_cache; /* all caches, in creation order */
};

/* Cache flags */
#define SLAB_KMALLOC (1UL << 0)
#define SLAB_NO_CPU_PARTIAL (1UL << 1) /* the "per-CPU partial lists off" knob */

#endif /* SLAB_TYPES_H */
