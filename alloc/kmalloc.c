/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmalloc.c - kmalloc size classes over the slab caches, and kmalloc_large
 * straight to the page allocator above KMALLOC_MAX_CACHE_SIZE (two pages).
 *
 * Size classes (kmalloc_index): 8, 16, 32, 64, 96, 128, 192, 256, 512, 1k,
 * 2k, 4k, 8k; index 1 is the 96-byte cache, index 2 the 192-byte one, and
 * index n >= 3 holds 2^n bytes.
 */
#include <stdio.h>
#include <string.h>

#include "slub_internal.h"

static struct kmem_cache *kmalloc_caches[KMALLOC_NR_CACHES];

static unsigned kmalloc_index(size_t size)
{
	if (size <= 8)
		return 3;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	unsigned i = 4;
	while ((1UL << i) < size)
		i++;
	return i;
}

static size_t kmalloc_size(unsigned index)
{
	return index == 1 ? 96 : index == 2 ? 192 : (size_t)1 << index;
}

/* By index, as kmalloc_size says (a table: the simulator creates these caches every run). */
static const char *const kmalloc_names[KMALLOC_NR_CACHES] = {
	NULL,		"kmalloc-96",	"kmalloc-192",	"kmalloc-8",	"kmalloc-16",
	"kmalloc-32",	"kmalloc-64",	"kmalloc-128",	"kmalloc-256",	"kmalloc-512",
	"kmalloc-1024", "kmalloc-2048", "kmalloc-4096", "kmalloc-8192",
};

struct kmem_cache *kmalloc_slab(size_t size)
{
	if (size == 0 || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return kmalloc_caches[kmalloc_index(size)];
}

const char *slab_init(const struct slab_design *design, const struct slab_options *opt)
{
	if (!slab_world_ready())
		return "the slab world is not initialised";
	if (!slab_port_ready())
		return "no port is installed";
	const char *bad = slab_design_check(design);
	if (bad)
		return bad;
	/* Index order: 96, 192, then 8 .. 8192. */
	for (unsigned idx = 1; idx < KMALLOC_NR_CACHES; idx++) {
		kmalloc_caches[idx] =
		    kmem_cache_create(kmalloc_names[idx], kmalloc_size(idx), 8, design, opt);
		if (!kmalloc_caches[idx])
			return "cannot create the kmalloc caches (out of boot or per-CPU memory)";
		kmalloc_caches[idx]->flags |= SLAB_KMALLOC;
	}
	return NULL;
}

void slab_exit(void)
{
	for (unsigned i = 0; i < KMALLOC_NR_CACHES; i++)
		kmalloc_caches[i] = NULL;
	slab_caches = NULL;
}

/* A compound page from the page allocator; NULL from order MAX_ORDER up. */
static void *kmalloc_large(size_t size, int node)
{
	int order = get_order(size);
	if (order >= MAX_ORDER)
		return NULL;
	struct page *page = port_alloc_pages(PT(kmalloc_large, alloc_pages), node, (unsigned)order);
	return page ? page_address(PT(kmalloc_large, page_address), page) : NULL;
}

void *kmalloc_node(size_t size, int node)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, node);
	if (!size)
		return ZERO_SIZE_PTR;
	return kmem_cache_alloc_node(kmalloc_caches[kmalloc_index(size)], node);
}

/*
 * kzalloc_node: kmalloc_node with __GFP_ZERO.  The kernel zeroes the
 * object after the allocation (slab_post_alloc_hook: its object_size) and
 * a kmalloc_large block in the page allocator (the whole block); so does
 * this, with a plain memset.  It is no point: once handed out the object
 * is the caller's alone, no other CPU reaches it in a correct run, so a
 * point there would only add interleavings and find nothing.  (The
 * kernel's own memset is one kernel.range point.)
 */
void *kzalloc_node(size_t size, int node)
{
	void *p = kmalloc_node(size, node);
	if (ZERO_OR_NULL_PTR(p))
		return p;
	memset(p, 0,
	       size > KMALLOC_MAX_CACHE_SIZE
		   ? PAGE_SIZE << get_order(size)
		   : (size_t)kmalloc_caches[kmalloc_index(size)]->object_size);
	return p;
}

void *kmalloc(size_t size)
{
	return kmalloc_node(size, NUMA_NO_NODE);
}

void kfree(const void *x)
{
	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	struct page *page = virt_to_head_page(PT(kfree, head_page), x);
	if (unlikely(!(READ_ONCE(PT(kfree, page_flags), page->flags) & PG_slab))) {
		port_free_pages(PT(kfree, free_pages), page,
				page_order(PT(kfree, page_order), page));
		return;
	}
	slab_free(READ_ONCE(PT(kfree, slab_cache), page->slab_cache), page, (void *)x);
}
