/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * page_alloc.c - the buddy allocator: per-node free lists of blocks of
 * 2^order frames, split on allocation and merged with their buddy on free.
 */
#include <string.h>

#include "page_alloc.h"
#include "slab_world.h"

struct free_area {
	struct list_head list;
	unsigned long nr_free;
};

struct zone {
	unsigned long start_pfn, end_pfn;
	unsigned long free_pages;
	unsigned long high_water; /* pfns below it have been handed out (from start_pfn) */
	/*
	 * Blocks of the largest order from fresh_pfn on were never handed out
	 * and are on no list: their struct pages are untouched, so a world of
	 * hundreds of gigabytes costs host memory only for what runs use.
	 */
	unsigned long fresh_pfn;
	struct free_area area[MAX_ORDER];
};

static struct zone zones[MAX_NUMNODES];

static void list_init(struct list_head *h)
{
	h->next = h->prev = h;
}

static void list_push(struct list_head *h, struct list_head *e)
{
	e->next = h->next;
	e->prev = h;
	h->next->prev = e;
	h->next = e;
}

static void list_unlink(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}

static struct page *lru_to_page(struct list_head *e)
{
	return (struct page *)((char *)e - offsetof(struct page, lru));
}

static void add_free_block(struct zone *z, struct page *page, unsigned order)
{
	page->flags = PG_buddy;
	page->private = order;
	list_push(&z->area[order].list, &page->lru);
	z->area[order].nr_free++;
}

static void del_free_block(struct zone *z, struct page *page, unsigned order)
{
	list_unlink(&page->lru);
	page->flags = 0;
	page->private = 0;
	z->area[order].nr_free--;
}

void page_alloc_init(void)
{
	memset(zones, 0, sizeof(zones));
	unsigned long per = slab_world.cfg.pages_per_node;
	for (unsigned n = 0; n < slab_world.cfg.nr_nodes; n++) {
		struct zone *z = &zones[n];
		z->start_pfn = n * per;
		z->end_pfn = z->start_pfn + per;
		for (unsigned o = 0; o < MAX_ORDER; o++)
			list_init(&z->area[o].list);
		z->fresh_pfn = z->start_pfn;
		z->free_pages = per;
	}
}

static void prep_compound(struct page *head, unsigned order)
{
	head->flags = PG_head;
	head->private = order;
	for (unsigned long i = 1; i < (1UL << order); i++) {
		head[i].flags = PG_tail;
		head[i].first_page = head;
	}
}

static struct page *zone_alloc(struct zone *z, unsigned order)
{
	unsigned o = order;
	while (o < MAX_ORDER && !z->area[o].nr_free)
		o++;
	/*
	 * Nothing free on a list: the next fresh block, the lowest never handed
	 * out.  Blocks freed back to the largest order sit at the head of its
	 * list, so this is the order a list holding every block from the start,
	 * lowest first, would give.
	 */
	if (o == MAX_ORDER && z->fresh_pfn < z->end_pfn) {
		add_free_block(z, &slab_world.pages[z->fresh_pfn], MAX_ORDER - 1);
		z->fresh_pfn += 1UL << (MAX_ORDER - 1);
		o = MAX_ORDER - 1;
	}
	if (o == MAX_ORDER)
		return NULL;
	struct page *page = lru_to_page(z->area[o].list.next);
	del_free_block(z, page, o);
	while (o > order) {
		o--;
		add_free_block(z, page + (1UL << o), o);
	}
	z->free_pages -= 1UL << order;
	unsigned long end = page_to_pfn(page) + (1UL << order) - z->start_pfn;
	if (end > z->high_water)
		z->high_water = end;
	if (order)
		prep_compound(page, order);
	else
		page->flags = 0;
	return page;
}

struct page *page_alloc_pages(int node, unsigned order)
{
	if (order >= MAX_ORDER)
		return NULL;
	unsigned nodes = slab_world.cfg.nr_nodes;
	unsigned first = node == NUMA_NO_NODE ? 0 : (unsigned)node % nodes;
	for (unsigned i = 0; i < nodes; i++) {
		struct page *p = zone_alloc(&zones[(first + i) % nodes], order);
		if (p)
			return p;
	}
	return NULL;
}

void page_free_pages(struct page *page, unsigned order)
{
	struct zone *z = &zones[page_to_nid(page)];
	unsigned long pfn = page_to_pfn(page);
	memset(page, 0, sizeof(struct page) << order);
	z->free_pages += 1UL << order;
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		if (buddy_pfn < z->start_pfn || buddy_pfn >= z->end_pfn)
			break;
		struct page *buddy = &slab_world.pages[buddy_pfn];
		if (!(buddy->flags & PG_buddy) || buddy->private != order)
			break;
		del_free_block(z, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_free_block(z, &slab_world.pages[pfn], order);
}

unsigned long page_alloc_high_water(int node)
{
	return zones[node].high_water;
}

unsigned long page_alloc_free_pages(int node)
{
	return zones[node].free_pages;
}

unsigned long page_alloc_total_pages(void)
{
	return slab_world.nr_pages;
}

unsigned long page_alloc_free_total(void)
{
	unsigned long sum = 0;
	for (unsigned n = 0; n < slab_world.cfg.nr_nodes; n++)
		sum += zones[n].free_pages;
	return sum;
}

unsigned long page_alloc_pages_in_use(void)
{
	return page_alloc_total_pages() - page_alloc_free_total();
}
