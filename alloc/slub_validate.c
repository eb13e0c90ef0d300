/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slub_validate.c - the validator: walks every slab page in the page array
 * and every per-CPU and per-node structure, and checks that they agree.
 * It reads memory directly, not through the port: it is an observer and
 * must run while no allocator call is in flight.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub_internal.h"

struct validator {
	slab_report_fn report;
	void *arg;
	unsigned problems;
	int *owner;		/* per pfn: owning CPU, -1 if none */
	unsigned char *on_list; /* per pfn: on its node's partial list */
	unsigned char *seen;	/* per object of the slab being checked */
	unsigned seen_size;
};

__attribute__((format(printf, 2, 3))) static void problem(struct validator *v, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->problems++;
	if (v->report)
		v->report(v->arg, msg);
}

static unsigned long off(const void *p)
{
	return (unsigned long)slab_world_offset(p);
}

/* A slab is named by its address (an offset in the simulated space). */
static unsigned long slab_off(const struct page *page)
{
	return off(slab_world_page_address(page));
}

static bool cpu_slab_of(struct kmem_cache *s, unsigned cpu, struct page **out)
{
	struct slab_cpu_view cv;
	bool ok = slab_cpu_inspect(s, cpu, &cv);
	*out = cv.slab;
	return ok;
}

/*
 * Walk a chain of free objects in page (at most objects steps), marking
 * each in v->seen.  Returns the number of objects, or -1 after reporting.
 */
static long walk_chain(struct validator *v, struct kmem_cache *s, struct page *page, void *p,
		       const char *what)
{
	char *base = slab_world_page_address(page);
	unsigned objects = counters_objects(page->counters);
	long n = 0;

	while (!freelist_empty(p)) {
		long d = (char *)p - base;
		if (d < 0 || d >= (long)objects * s->size) {
			problem(v, "%s: slab @%#lx: %s holds %#lx, outside the slab", s->name,
				slab_off(page), what, off(p));
			return -1;
		}
		if (d % s->size) {
			problem(v, "%s: slab @%#lx: %s holds misaligned object %#lx", s->name,
				slab_off(page), what, off(p));
			return -1;
		}
		unsigned idx = (unsigned)(d / s->size);
		if (v->seen[idx]) {
			problem(v,
				"%s: slab @%#lx: object %#lx is on a freelist twice "
				"(cycle or duplicate, in %s)",
				s->name, slab_off(page), off(p), what);
			return -1;
		}
		v->seen[idx] = 1;
		n++;
		p = slab_free_pointer_peek(s, p);
	}
	if (uses_end_token(s)) {
		if (!p) {
			problem(v, "%s: slab @%#lx: %s ends with NULL, not an end token", s->name,
				slab_off(page), what);
			return -1;
		}
		char *t = (char *)((uintptr_t)p & ~(uintptr_t)1);
		if (t < base || t >= base + (PAGE_SIZE << compound_order(page))) {
			problem(v, "%s: slab @%#lx: %s ends with the token of another slab (%#lx)",
				s->name, slab_off(page), what, off(t));
			return -1;
		}
	} else if (p) {
		problem(v,
			"%s: slab @%#lx: %s ends with a tagged pointer in a NULL-terminated design",
			s->name, slab_off(page), what);
		return -1;
	}
	return n;
}

static unsigned order_objects_of(const struct kmem_cache *s, unsigned order)
{
	return (unsigned)((PAGE_SIZE << order) / (unsigned long)s->size);
}

static void check_slab(struct validator *v, struct kmem_cache *s, struct page *page,
		       unsigned long *slabs, unsigned long *objs)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned order = compound_order(page);
	unsigned objects = counters_objects(page->counters);
	unsigned inuse = counters_inuse(page->counters);
	bool frozen = counters_frozen(page->counters);
	int owner = v->owner[pfn];

	slabs[page_to_nid(page)]++;
	objs[page_to_nid(page)] += objects;
	if (objects != order_objects_of(s, order)) {
		problem(v, "%s: slab @%#lx: order %u holds %u objects, counters say %u", s->name,
			slab_off(page), order, order_objects_of(s, order), objects);
		return;
	}
	if (page->address != slab_world_page_address(page))
		problem(v, "%s: slab @%#lx: page->address is stale", s->name, slab_off(page));
	memset(v->seen, 0, objects);
	long free_page = walk_chain(v, s, page, page->freelist, "page->freelist");
	if (free_page < 0)
		return;
	if (inuse != objects - (unsigned)free_page)
		problem(v, "%s: slab @%#lx: inuse %u but %u of %u objects are on page->freelist",
			s->name, slab_off(page), inuse, (unsigned)free_page, objects);

	if (owner >= 0) {
		struct page *cp;
		cpu_slab_of(s, (unsigned)owner, &cp);
		if (cp == page) {
			struct kmem_cache_cpu *c = slab_per_cpu_ptr(s->cpu_slab, (unsigned)owner);
			char what[40];
			snprintf(what, sizeof(what), "cpu %d freelist", owner);
			if (walk_chain(v, s, page, c->freelist, what) < 0)
				return;
		}
	}
	if (frozen && owner < 0)
		problem(v,
			"%s: slab @%#lx: frozen but owned by no CPU (leaked: it can never "
			"return to a list or to the page allocator)",
			s->name, slab_off(page));
	if (!frozen && owner >= 0)
		problem(v, "%s: slab @%#lx: owned by cpu %d but not frozen", s->name,
			slab_off(page), owner);
	if (!frozen && free_page > 0 && !v->on_list[pfn])
		problem(v, "%s: slab @%#lx: unfrozen with %ld free objects but on no partial list",
			s->name, slab_off(page), free_page);
	if (v->on_list[pfn] && free_page == 0)
		problem(v, "%s: slab @%#lx: on the partial list with no free object", s->name,
			slab_off(page));
}

static void claim(struct validator *v, struct kmem_cache *s, struct page *page, int cpu,
		  const char *what)
{
	bool in_array = page >= slab_world.pages && page < slab_world.pages + slab_world.nr_pages;
	if (!in_array || !(page->flags & PG_slab) || page->slab_cache != s) {
		problem(v, "%s: cpu %d: %s %#lx is not a slab of this cache", s->name, cpu, what,
			slab_off(page));
		return;
	}
	unsigned long pfn = page_to_pfn(page);
	if (v->owner[pfn] >= 0)
		problem(v, "%s: slab @%#lx is owned by cpu %d and cpu %d", s->name, slab_off(page),
			v->owner[pfn], cpu);
	v->owner[pfn] = cpu;
}

static void check_cache(struct validator *v, struct kmem_cache *s)
{
	unsigned long nr_pages = slab_world.nr_pages;
	unsigned long slabs[MAX_NUMNODES] = { 0 }, objs[MAX_NUMNODES] = { 0 };

	/* Only pages below the high water were ever handed out: a slab is one of them. */
	for_each_used_pfn(node, pfn)
	{
		v->owner[pfn] = -1;
		v->on_list[pfn] = 0;
	}

	for (unsigned cpu = 0; cpu < nr_cpu_ids(); cpu++) {
		struct kmem_cache_cpu *c = slab_per_cpu_ptr(s->cpu_slab, cpu);
		struct page *page;
		if (!cpu_slab_of(s, cpu, &page)) {
			problem(v, "%s: cpu %u: freelist %#lx points outside the arena", s->name,
				cpu, off(c->freelist));
			continue;
		}
		if (page)
			claim(v, s, page, (int)cpu, "cpu slab");
		else if (c->freelist && has_page_field(s))
			problem(v, "%s: cpu %u: a freelist but no cpu slab", s->name, cpu);
		unsigned long steps = 0;
		for (struct page *p = c->partial; p; p = p->next) {
			if (++steps > nr_pages) {
				problem(v, "%s: cpu %u: partial list is cyclic", s->name, cpu);
				break;
			}
			claim(v, s, p, (int)cpu, "partial page");
		}
		if (c->tid % s->tid_step != cpu)
			problem(v, "%s: cpu %u: tid %lu does not name its CPU", s->name, cpu,
				c->tid);
	}

	for (unsigned node = 0; node < nr_node_ids(); node++) {
		struct kmem_cache_node *n = get_node(s, (int)node);
		unsigned long count = 0;
		for (struct list_head *e = n->partial.next; e != &n->partial; e = e->next) {
			struct page *page = (struct page *)((char *)e - offsetof(struct page, lru));
			if (++count > nr_pages) {
				problem(v, "%s: node %u: partial list is cyclic", s->name, node);
				break;
			}
			if (page->slab_cache != s || !(page->flags & PG_slab)) {
				problem(v,
					"%s: node %u: partial list holds a page of another cache",
					s->name, node);
				break;
			}
			if (counters_frozen(page->counters))
				problem(v, "%s: node %u: frozen slab @%#lx on the partial list",
					s->name, node, slab_off(page));
			if ((unsigned)page_to_nid(page) != node)
				problem(v, "%s: node %u: slab @%#lx of node %d on its partial list",
					s->name, node, slab_off(page), page_to_nid(page));
			v->on_list[page_to_pfn(page)] = 1;
		}
		if (count != n->nr_partial)
			problem(v, "%s: node %u: nr_partial %lu but %lu slabs on the list", s->name,
				node, n->nr_partial, count);
	}

	for_each_used_pfn(node, pfn)
	{
		struct page *page = &slab_world.pages[pfn];
		if ((page->flags & PG_slab) && page->slab_cache == s)
			check_slab(v, s, page, slabs, objs);
	}
	for (unsigned node = 0; node < nr_node_ids(); node++) {
		struct kmem_cache_node *n = get_node(s, (int)node);
		if (n->nr_slabs != slabs[node] || n->total_objects != objs[node])
			problem(
			    v, "%s: node %u: nr_slabs %lu / total_objects %lu, but found %lu / %lu",
			    s->name, node, n->nr_slabs, n->total_objects, slabs[node], objs[node]);
	}
}

/*
 * The validator's arrays (owner, on_list, seen), one block kept from call
 * to call and grown with the world: a simulated run validates at its
 * quiescent points and at its end, thousands of runs of one world's size
 * in an exploration, and three large allocations a call were a
 * measurable part of a run.  Every entry is written before it is read
 * (check_cache), as with the fresh malloc before.  One slab world per
 * process (slab_world.c): one block.
 */
static struct {
	void *block;
	size_t size;
} scratch;

static bool scratch_take(struct validator *v, unsigned long nr_pages)
{
	size_t seen_size = MAX_OBJS_PER_PAGE + 1;
	size_t size = nr_pages * (sizeof(int) + 1) + seen_size;
	if (size > scratch.size) {
		void *block = realloc(scratch.block, size);
		if (!block)
			return false;
		scratch.block = block;
		scratch.size = size;
	}
	v->owner = scratch.block;
	v->on_list = (unsigned char *)(v->owner + nr_pages);
	v->seen = v->on_list + nr_pages;
	v->seen_size = (unsigned)seen_size;
	return true;
}

unsigned slab_validate(slab_report_fn report, void *arg)
{
	struct validator v = { .report = report, .arg = arg };

	if (!scratch_take(&v, slab_world.nr_pages)) {
		problem(&v, "validator: out of host memory");
	} else {
		for (struct kmem_cache *s = slab_caches; s; s = s->next_cache)
			check_cache(&v, s);
	}
	return v.problems;
}

unsigned long slab_count_slabs(const struct kmem_cache *s)
{
	unsigned long count = 0;
	for_each_used_pfn(node, pfn)
	{
		const struct page *page = &slab_world.pages[pfn];
		if ((page->flags & PG_slab) && (!s || page->slab_cache == s))
			count++;
	}
	return count;
}
