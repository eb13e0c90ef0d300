/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * page_alloc.h - a buddy page allocator over the slab world's arena, one
 * zone per NUMA node, orders 0 .. MAX_ORDER-1, compound pages for order > 0.
 *
 * This code is sequential: the port runs each call as one indivisible step
 * (a lock in native mode, one simulator step in the simulator), as the
 * kernel's zone->lock would.  The allocator reaches it only through the
 * port's alloc_pages / free_pages.
 */
#ifndef SLAB_PAGE_ALLOC_H
#define SLAB_PAGE_ALLOC_H

#include "slab_types.h"

void page_alloc_init(void);

/*
 * Allocate 1 << order frames, preferring node (NUMA_NO_NODE: node 0 first),
 * falling back to the other nodes in order.  Order > 0 gives a compound
 * page.  NULL when no node has a free block of that order, or order is not
 * below MAX_ORDER.
 */
struct page *page_alloc_pages(int node, unsigned order);
void page_free_pages(struct page *page, unsigned order);

unsigned long page_alloc_free_pages(int node); /* free frames on a node */
/*
 * Frames of a node that were ever handed out lie below its start plus
 * this: walks over slab pages need not look further.
 */
unsigned long page_alloc_high_water(int node);
unsigned long page_alloc_total_pages(void);
unsigned long page_alloc_free_total(void);
/* Frames handed out and not yet returned, all nodes. */
unsigned long page_alloc_pages_in_use(void);

static inline unsigned compound_order(const struct page *head)
{
	return (head->flags & PG_head) ? (unsigned)head->private : 0;
}

#endif /* SLAB_PAGE_ALLOC_H */
