/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slub_internal.h - helpers shared by the SLUB files: freelist encoding
 * (NULL or end-token terminated), free pointers, tids, the cpu slab as each
 * design stores it, node partial lists, and stats.
 *
 * Lock order (as in the kernel):
 *   local_irq_save / preempt_disable  ->  kmem_cache_node.list_lock
 *   -> the page's (freelist, counters), changed only by cmpxchg_double
 * list_lock protects a node's partial list and nr_partial.  A frozen page
 * is on no node list; only its CPU takes its page->freelist wholesale.
 */
#ifndef SLUB_INTERNAL_H
#define SLUB_INTERNAL_H

#include "page_alloc.h"
#include "port.h"
#include "slab.h"
#include "slab_assert.h"
#include "slab_inspect.h"
#include "slab_world.h"

#define likely(x) __builtin_expect(!!(x), 1)
/* As the kernel's slab_alloc_node: the fastpath is inlined into its callers. */
#define slab_always_inline inline __attribute__((always_inline))
#define unlikely(x) __builtin_expect(!!(x), 0)

extern struct kmem_cache *slab_caches; /* list of all caches */

static inline bool uses_end_token(const struct kmem_cache *s)
{
	return s->design->terminator == SLAB_TERM_END_TOKEN;
}

static inline bool has_page_field(const struct kmem_cache *s)
{
	return s->design->page_source == SLAB_PAGE_FIELD;
}

static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return !(s->flags & SLAB_NO_CPU_PARTIAL);
}

/* End tokens: the slab's address with bit 0 set (bit 0 keeps the frame). */
static inline void *end_token_of(void *slab_addr)
{
	return (void *)((uintptr_t)slab_addr | 1);
}

/*
 * True when p holds no object: NULL, or an end token.  The decode is
 * slab_inspect.h's, so that observers and allocator agree.
 */
static inline bool freelist_empty(const void *p)
{
	return !slab_freelist_object(p);
}

/* What terminates a chain of page's objects in this cache. */
static inline void *chain_end(const struct kmem_cache *s, struct page *page)
{
	return uses_end_token(s) ? end_token_of(slab_world_page_address(page)) : NULL;
}

/* The free pointer inside an object is shared memory: through the port. */
static inline void *get_freepointer(enum slab_point pt, const struct kmem_cache *s, void *object)
{
	return READ_ONCE(pt, *(void **)((char *)object + s->offset));
}

static inline void set_freepointer(enum slab_point pt, const struct kmem_cache *s, void *object,
				   void *fp)
{
	WRITE_ONCE(pt, *(void **)((char *)object + s->offset), fp);
}

/* tid encodes its CPU: tid % tid_step == cpu (TID_STEP in the kernel). */
static inline unsigned long next_tid(const struct kmem_cache *s, unsigned long tid)
{
	return tid + s->tid_step;
}

static inline unsigned long init_tid(unsigned cpu)
{
	return cpu;
}

/* Address arithmetic charged as a point (2-3 cycles on x86-64, no load). */
static inline struct page *virt_to_page(enum slab_point pt, const void *x)
{
	port_compute(pt);
	return slab_world_virt_to_page(x);
}

static inline void *page_address(enum slab_point pt, const struct page *page)
{
	port_compute(pt);
	return slab_world_page_address(page);
}

/* 3.18's compound_head: a load of flags, and of first_page for a tail. */
static inline struct page *virt_to_head_page(enum slab_point pt, const void *x)
{
	struct page *page = virt_to_page(pt, x);
	unsigned long flags = READ_ONCE(pt, page->flags);
	if (unlikely(flags & PG_tail))
		page = READ_ONCE(pt, page->first_page);
	return page;
}

/* The page allocator order that holds size bytes (the kernel's get_order). */
static inline int get_order(unsigned long size)
{
	int order = 0;
	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

/* compound_order() through the port: flags, then the order of a head. */
static inline unsigned page_order(enum slab_point pt, struct page *head)
{
	if (!(READ_ONCE(pt, head->flags) & PG_head))
		return 0;
	return (unsigned)READ_ONCE(pt, head->private);
}

static inline void stat(const struct kmem_cache *s, enum stat_item si)
{
	port_stat_inc(&s->cpu_stats->count[si]);
}

/* Does the cache run 5.15's slow path (slab_design.h, SLAB_SLOW_LOCAL_LOCK)? */
static inline bool slow_path_local_lock(const struct kmem_cache *s)
{
	return s->design->slow_path == SLAB_SLOW_LOCAL_LOCK;
}

/*
 * local_lock_irqsave(&s->cpu_slab->lock) on a kernel without PREEMPT_RT:
 * local_irq_save, the lock itself being lockdep's only (5.15,
 * include/linux/local_lock_internal.h).  The unlock restores the saved
 * state, and a pending interrupt is taken right there (irq_restore).
 */
static inline unsigned long local_lock_irqsave(enum slab_point pt)
{
	return local_irq_save(pt);
}

static inline void local_unlock_irqrestore(enum slab_point pt, unsigned long flags)
{
	local_irq_restore(pt, flags);
}

static inline struct kmem_cache_node *get_node(const struct kmem_cache *s, int node)
{
	return s->node[node];
}

static inline int numa_node_id(enum slab_point pt)
{
	return (int)cpu_to_node(smp_processor_id(pt));
}

/*
 * The cpu slab as each design keeps it.  Designs with a page field store
 * it in c->page; end-token designs derive it from c->freelist, where NULL
 * means "no cpu slab" and a token means "cpu slab with no free object".
 * Call with interrupts disabled (c is this CPU's).
 */
struct page *cpu_slab_page(enum slab_point pt, struct kmem_cache *s, struct kmem_cache_cpu *c);
/* Install page as the cpu slab with freelist (an object or empty). */
void cpu_slab_set(enum slab_point pt, struct kmem_cache *s, struct kmem_cache_cpu *c,
		  struct page *page, void *freelist);

/* Node partial list, under list_lock. */
void add_partial(struct kmem_cache_node *n, struct page *page, int tail);
void remove_partial(struct kmem_cache_node *n, struct page *page);

/* The free fastpath (slub_fastpath.c); page is x's head page. */
void slab_free(struct kmem_cache *s, struct page *page, void *x);

/* Slow paths (slub_slowpath.c). */
void *slab_alloc_slowpath(struct kmem_cache *s, int node, struct kmem_cache_cpu *c);
void slab_free_slowpath(struct kmem_cache *s, struct page *page, void *x);
void flush_cpu_slab(void *arg);
void discard_slab(struct kmem_cache *s, struct page *page);

#endif /* SLUB_INTERNAL_H */
