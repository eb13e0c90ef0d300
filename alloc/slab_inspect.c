/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_inspect.c - the observer's view of slabs and cpu slabs
 * (slab_inspect.h): plain reads, no port calls, so no points.
 */
#include "slab_inspect.h"
#include "slab_world.h"

struct page *slab_object_slab(const void *p)
{
	struct page *page = slab_world_virt_to_page(p);
	return (page->flags & PG_tail) ? page->first_page : page;
}

bool slab_cpu_inspect(const struct kmem_cache *s, unsigned cpu, struct slab_cpu_view *v)
{
	struct kmem_cache_cpu *c = slab_per_cpu_ptr(s->cpu_slab, cpu);

	v->freelist = c->freelist;
	v->partial = c->partial;
	v->slab_from_freelist = s->design->page_source == SLAB_PAGE_FROM_FREELIST;
	v->slab = NULL;
	if (!v->slab_from_freelist) {
		v->slab = c->page;
		return true;
	}
	/* NULL: no cpu slab; an object or a token names its slab. */
	if (!c->freelist)
		return true;
	if (!slab_world_in_arena(c->freelist))
		return false;
	v->slab = slab_object_slab(c->freelist);
	return true;
}
