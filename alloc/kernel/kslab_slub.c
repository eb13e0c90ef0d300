/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab_slub.c - the translation unit of the tree's mm/slub.c: the file is
 * included as it is (never patched), then slabsim's accessors that need
 * its private types follow: from 6.2 on, struct kmem_cache_cpu and enum
 * stat_item live in slub.c itself.  The accessors are not instrumented.
 */
#include "slub.c"
#include "kslab_internal.h"

#define KSLAB_NOTSAN __attribute__((__no_sanitize_thread__, __noinline__))

/* The SLUB_STATS counters of 6.1 and 6.12 alike, by their kernel names. */
#define KSLAB_STAT(x) \
	{             \
#x, x \
	}
static const struct {
	const char *name;
	enum stat_item item;
} kslab_stats[] = {
	KSLAB_STAT(ALLOC_FASTPATH),
	KSLAB_STAT(ALLOC_SLOWPATH),
	KSLAB_STAT(FREE_FASTPATH),
	KSLAB_STAT(FREE_SLOWPATH),
	KSLAB_STAT(FREE_FROZEN),
	KSLAB_STAT(FREE_ADD_PARTIAL),
	KSLAB_STAT(FREE_REMOVE_PARTIAL),
	KSLAB_STAT(ALLOC_FROM_PARTIAL),
	KSLAB_STAT(ALLOC_SLAB),
	KSLAB_STAT(ALLOC_REFILL),
	KSLAB_STAT(ALLOC_NODE_MISMATCH),
	KSLAB_STAT(FREE_SLAB),
	KSLAB_STAT(CPUSLAB_FLUSH),
	KSLAB_STAT(DEACTIVATE_FULL),
	KSLAB_STAT(DEACTIVATE_EMPTY),
	KSLAB_STAT(DEACTIVATE_TO_HEAD),
	KSLAB_STAT(DEACTIVATE_TO_TAIL),
	KSLAB_STAT(DEACTIVATE_REMOTE_FREES),
	KSLAB_STAT(DEACTIVATE_BYPASS),
	KSLAB_STAT(ORDER_FALLBACK),
	KSLAB_STAT(CMPXCHG_DOUBLE_CPU_FAIL),
	KSLAB_STAT(CMPXCHG_DOUBLE_FAIL),
	KSLAB_STAT(CPU_PARTIAL_ALLOC),
	KSLAB_STAT(CPU_PARTIAL_FREE),
	KSLAB_STAT(CPU_PARTIAL_NODE),
	KSLAB_STAT(CPU_PARTIAL_DRAIN),
};

long long kslab_slub_stat(const struct kmem_cache *s, const char *name);
const char *const *kslab_stat_names(void);
void kslab_flush_this_cpu(struct kmem_cache *s);

/*
 * flush_all's work on the CPU this runs on (the IPI's handler): the
 * kernel's own flush_cpu_slab, handed the work item flush_all would queue.
 * Instrumented like the rest of the file: it is the kernel's code.
 */
void kslab_flush_this_cpu(struct kmem_cache *s)
{
	struct slub_flush_work sfw = { .s = s };

	flush_cpu_slab(&sfw.work);
}

KSLAB_NOTSAN long long kslab_slub_stat(const struct kmem_cache *s, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(kslab_stats); i++) {
		long long sum = 0;
		int cpu;

		if (strcmp(kslab_stats[i].name, name))
			continue;
		for_each_possible_cpu(cpu) sum +=
		    per_cpu_ptr(s->cpu_slab, cpu)->stat[kslab_stats[i].item];
		return sum;
	}
	return -1;
}

KSLAB_NOTSAN const char *const *kslab_stat_names(void)
{
	static const char *names[ARRAY_SIZE(kslab_stats) + 1];

	for (size_t i = 0; i < ARRAY_SIZE(kslab_stats); i++)
		names[i] = kslab_stats[i].name;
	return names;
}

KSLAB_NOTSAN void kslab_cache_layout(const struct kslab_cache *c, struct kslab_cache_layout *out)
{
	const struct kmem_cache *s = (const struct kmem_cache *)c;

	out->size = s->size;
	out->order = oo_order(s->oo);
	out->objects = oo_objects(s->oo);
	out->min_partial = s->min_partial;
	out->cpu_partial = s->cpu_partial;
	out->cpu_partial_slabs = s->cpu_partial_slabs;
}

/* ---- The walk (kslab.h): no access here is instrumented. ---- */

static KSLAB_NOTSAN char *kslab_slab_base(const struct slab *slab)
{
	return (char *)(kslab_direct_base +
			(((const struct page *)slab - kslab_vmemmap) << PAGE_SHIFT));
}

/*
 * The free objects of a list from p on, which must all be slab's: their
 * number, or -1 after a problem (reported) or a stop (*stop set).  The free
 * pointer is the word at s->offset (no freelist hardening is configured).
 */
static KSLAB_NOTSAN long kslab_chain(const struct kslab_walk *w, struct kmem_cache *s,
				     const struct slab *slab, void *p, const char *where, int *stop)
{
	char *base = slab ? kslab_slab_base(slab) : NULL;
	unsigned long objects = slab ? slab->objects : 0;
	long n = 0;

	for (; p; p = *(void **)((char *)p + s->offset)) {
		char *o = p;

		if (!slab) {
			w->problem(w->arg, s->name, where, "a freelist without a slab", p);
			return -1;
		}
		if (o < base || o >= base + objects * s->size || (o - base) % s->size) {
			w->problem(w->arg, s->name, where, "an object outside its slab", p);
			return -1;
		}
		if (w->free_object && w->free_object(w->arg, s->name, where, p)) {
			*stop = 1;
			return -1;
		}
		if (++n > (long)objects) {
			w->problem(w->arg, s->name, where, "a cyclic freelist", slab);
			return -1;
		}
	}
	return n;
}

/*
 * The slabs the list walks reached, one bit per frame below n (the frames
 * ever handed out): the walk through the struct pages checks the others.
 * NULL bits: not collected (the walk is not quiescent).
 */
struct kslab_seen {
	unsigned long *bits;
	unsigned long n;
};

static KSLAB_NOTSAN void kslab_mark(struct kslab_seen *seen, const struct slab *slab)
{
	unsigned long pfn = (const struct page *)slab - kslab_vmemmap;

	if (seen->bits && pfn < seen->n)
		seen->bits[pfn / BITS_PER_LONG] |= 1UL << (pfn % BITS_PER_LONG);
}

/* A slab not in use as a cpu slab: its inuse counts the objects not on its freelist. */
static KSLAB_NOTSAN unsigned kslab_partial(const struct kslab_walk *w, struct kmem_cache *s,
					   struct slab *slab, const char *where, int *stop)
{
	long n = kslab_chain(w, s, slab, slab->freelist, where, stop);

	if (n < 0)
		return *stop ? 0 : 1;
	if (w->quiescent && slab->inuse + n != slab->objects) {
		w->problem(w->arg, s->name, where, "inuse disagrees with the freelist", slab);
		return 1;
	}
	return 0;
}

/* The cache a slab names, if it is one of slab_caches (else NULL: not to be read). */
static KSLAB_NOTSAN struct kmem_cache *kslab_cache_of(const struct slab *slab)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
	{
		if (s == slab->slab_cache)
			return s;
	}
	return NULL;
}

/*
 * Every slab no list reached, through the glue's struct pages: without
 * SLUB_DEBUG a full slab is on no list, nor is a slab between a remote
 * free and its put_cpu_partial.  A slab head (PG_slab, not a tail page)
 * must belong to a cache, its freelist hold its own free objects, and its
 * inuse count the others.  The flags are read plainly: the compat layer's
 * test_bit is an instrumented inline function.
 */
static KSLAB_NOTSAN unsigned kslab_other_slabs(const struct kslab_walk *w,
					       const struct kslab_seen *seen, int *stop)
{
	unsigned problems = 0;

	for (unsigned long pfn = 0; pfn < seen->n && !*stop; pfn++) {
		struct page *page = kslab_vmemmap + pfn;
		struct slab *slab = (struct slab *)page;
		struct kmem_cache *s;

		if ((page->compound_head & 1) || !(page->flags & (1UL << PG_slab)) ||
		    (seen->bits[pfn / BITS_PER_LONG] >> (pfn % BITS_PER_LONG)) & 1)
			continue;
		s = kslab_cache_of(slab);
		if (!s) {
			w->problem(w->arg, "?", "slab on no list", "a slab of no cache", slab);
			problems++;
			continue;
		}
		problems += kslab_partial(w, s, slab, "slab on no list", stop);
	}
	return problems;
}

KSLAB_NOTSAN unsigned kslab_walk(const struct kslab_walk *w)
{
	struct kmem_cache *s;
	unsigned problems = 0;
	int stop = 0;
	/* Every slab is walked when all of them can be read: quiescent, nothing skipped. */
	struct kslab_seen seen = { NULL, 0 };

	if (w->quiescent && !w->skip_cpus) {
		seen.n = kslab_frames_end();
		seen.bits = kslab_rt_alloc(BITS_TO_LONGS(seen.n + 1) * sizeof(long));
		for (unsigned long i = 0; i < BITS_TO_LONGS(seen.n + 1); i++)
			seen.bits[i] = 0;
	}
	list_for_each_entry(s, &slab_caches, list)
	{
		for (unsigned int cpu = 0; cpu < nr_cpu_ids && !stop; cpu++) {
			struct kmem_cache_cpu *c;
			struct slab *p;
			unsigned int depth = 0;

			if (cpu < 64 && (w->skip_cpus >> cpu) & 1)
				continue;
			c = per_cpu_ptr(s->cpu_slab, cpu);
			if (c->slab)
				kslab_mark(&seen, c->slab);
			if (kslab_chain(w, s, c->slab, c->freelist, "cpu freelist", &stop) < 0 ||
			    (c->slab &&
			     kslab_chain(w, s, c->slab, c->slab->freelist, "cpu slab", &stop) < 0))
				problems += !stop;
			for (p = c->partial; p && !stop; p = p->next) {
				kslab_mark(&seen, p);
				problems += kslab_partial(w, s, p, "cpu partial slab", &stop);
				if (++depth > kslab_nr_pages) {
					w->problem(w->arg, s->name, "cpu partial list", "a cycle",
						   p);
					problems++;
					break;
				}
			}
		}
		for (int node = 0; node < (int)nr_node_ids && !stop; node++) {
			struct kmem_cache_node *n = s->node[node];
			struct slab *slab;
			unsigned long count = 0;

			if (!n)
				continue;
			if (n->list_lock.locked) {
				kslab_rt_free(seen.bits); /* a list not read: no page walk */
				seen.bits = NULL;
				continue;
			}
			list_for_each_entry(slab, &n->partial, slab_list)
			{
				kslab_mark(&seen, slab);
				problems += kslab_partial(w, s, slab, "node partial slab", &stop);
				if (stop || ++count > kslab_nr_pages)
					break;
			}
			if (w->quiescent && !stop && count != n->nr_partial) {
				w->problem(w->arg, s->name, "node partial list",
					   "nr_partial disagrees with the list", n);
				problems++;
			}
		}
		if (stop)
			break;
	}
	if (seen.bits && !stop)
		problems += kslab_other_slabs(w, &seen, &stop);
	kslab_rt_free(seen.bits);
	return problems;
}

/* ---- Where an object lies (kslab.h): not instrumented either. ---- */

KSLAB_NOTSAN void kslab_locate(const void *addr, struct kslab_object *out)
{
	unsigned long a = (unsigned long)addr, pfn = (a - kslab_direct_base) >> PAGE_SHIFT;
	struct page *page;
	struct slab *slab;
	struct kmem_cache *s;

	*out = (struct kslab_object){ KSLAB_NOWHERE, NULL, NULL, 0, 0, 0 };
	if (a < kslab_direct_base || pfn >= kslab_frames_end())
		return;
	page = kslab_vmemmap + pfn;
	if (page->compound_head & 1) /* a tail page: its head's (the compat layer's encoding) */
		page = (struct page *)(page->compound_head - 1);
	slab = (struct slab *)page;
	if (!(page->flags & (1UL << PG_slab))) {
		/* An allocated block holds a reference; a free one (the buddy's) none. */
		if (page->_refcount.counter > 0) {
			out->place = KSLAB_IN_PAGES;
			out->base = kslab_slab_base(slab);
		}
		return;
	}
	s = kslab_cache_of(slab);
	if (!s)
		return;
	out->place = KSLAB_IN_SLAB;
	out->cache = (const struct kslab_cache *)s;
	out->base = kslab_slab_base(slab);
	out->index = (a - (unsigned long)out->base) / s->size;
	out->offset = (a - (unsigned long)out->base) % s->size;
	out->objects = slab->objects;
}

KSLAB_NOTSAN const void *kslab_cpu_slab(const struct kslab_cache *c, unsigned int cpu)
{
	const struct kmem_cache *s = (const struct kmem_cache *)c;
	const struct slab *slab = per_cpu_ptr(s->cpu_slab, cpu)->slab;

	return slab ? kslab_slab_base(slab) : NULL;
}
