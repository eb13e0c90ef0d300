/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slub_fastpath.c - the lock-free per-CPU fastpaths, slab_alloc_node() and
 * slab_free(), for every design in the design space.
 *
 * Why the fastpath is correct (for the safe designs): it reads a tid and
 * the cpu freelist, computes the new freelist in locals, and commits with
 * this_cpu_cmpxchg_double on (freelist, tid) of whatever CPU it runs on at
 * the commit.  The tid names one CPU and one moment, so the commit fails
 * if the task migrated since it read the tid, or if anything (an interrupt,
 * another task after a preemption) changed that CPU's freelist or cpu slab.
 * The designs differ in how they obtain a consistent (c, tid): with the
 * preempt guard (v3.18), a re-check loop (v4.0), by reading tid from the
 * very structure c points to (v5.15), or - the end-token designs - by
 * needing no c at all, because every freelist value names its own slab.
 * The mutants break exactly one of these arguments each.
 */
#include "slub_internal.h"

/* Point names differ between the alloc and the free side. */
struct fast_points {
	enum slab_point preempt_off, cpu_ptr, read_tid, preempt_on;
	enum slab_point read_freelist, read_page, recheck_tid, barrier, commit;
};

static const struct fast_points alloc_points = {
	PT(slab_alloc, preempt_disable), PT(slab_alloc, cpu_ptr),	PT(slab_alloc, read_tid),
	PT(slab_alloc, preempt_enable),	 PT(slab_alloc, read_freelist), PT(slab_alloc, read_page),
	PT(slab_alloc, recheck_tid),	 PT(slab_alloc, barrier),	PT(slab_alloc, commit),
};

static const struct fast_points free_points = {
	PT(slab_free, preempt_disable), PT(slab_free, cpu_ptr),	      PT(slab_free, read_tid),
	PT(slab_free, preempt_enable),	PT(slab_free, read_freelist), PT(slab_free, read_page),
	PT(slab_free, recheck_tid),	PT(slab_free, barrier),	      PT(slab_free, commit),
};

/* What the fastpath knows after its reads; all locals from here on. */
struct cpu_view {
	unsigned long tid;
	void *freelist;
	struct page *page;	  /* c->page; NULL for designs without the field */
	struct kmem_cache_cpu *c; /* the c it read through; NULL for this-cpu-read */
};

/*
 * The reads before the fastpath decides.  With page_only (the 3.18/4.0
 * free) the freelist is not read here: the caller reads it after
 * comparing the page, as 3.18 does.
 */
static slab_always_inline void read_cpu_view(struct kmem_cache *s, const struct fast_points *p,
					     struct cpu_view *v, bool page_only)
{
	const struct slab_design *d = s->design;
	struct kmem_cache_cpu *c;

	v->page = NULL;
	v->c = NULL;
	switch (d->read_protocol) {
	case SLAB_READ_PREEMPT_GUARD:
		/*
		 * The guard makes c and tid come from the same CPU.  The reads
		 * of freelist and page below may see another CPU's c after a
		 * migration: harmless, the tid check catches it at commit.
		 */
		preempt_disable(p->preempt_off);
		c = this_cpu_ptr(p->cpu_ptr, s->cpu_slab);
		v->tid = READ_ONCE(p->read_tid, c->tid);
		preempt_enable(p->preempt_on);
		break;
	case SLAB_READ_THIS_CPU:
		/*
		 * No c at all: each read is one %gs-relative instruction on the
		 * CPU it runs on.  If a migration separates them, tid and
		 * freelist belong to different CPUs; the commit then fails on
		 * both, because the freelist value (an object or an end token)
		 * is unique to its slab and the tid to its CPU.
		 */
		v->tid = this_cpu_read(p->read_tid, s->cpu_slab->tid);
		v->freelist = this_cpu_read(p->read_freelist, s->cpu_slab->freelist);
		return;
	case SLAB_READ_TID_RECHECK:
		/* Retry until tid and c were read on the same CPU. */
		do {
			v->tid = this_cpu_read(p->read_tid, s->cpu_slab->tid);
			c = raw_cpu_ptr(p->cpu_ptr, s->cpu_slab);
		} while (unlikely(v->tid != READ_ONCE(p->recheck_tid, c->tid)));
		/* The tid must be read before freelist and page. */
		barrier(p->barrier);
		break;
	case SLAB_READ_RAW_PTR_FIRST:
		/* tid comes from the structure c points to: same CPU by construction. */
		c = raw_cpu_ptr(p->cpu_ptr, s->cpu_slab);
		v->tid = READ_ONCE(p->read_tid, c->tid);
		barrier(p->barrier);
		break;
	case SLAB_READ_TID_THEN_PTR:
		/* Mutant: tid and c may come from different CPUs; nothing re-checks. */
		v->tid = this_cpu_read(p->read_tid, s->cpu_slab->tid);
		c = this_cpu_ptr(p->cpu_ptr, s->cpu_slab);
		break;
	case SLAB_READ_UNGUARDED:
	default:
		/* Mutant: no guard; with FIELDS_FIRST the page read precedes tid. */
		c = this_cpu_ptr(p->cpu_ptr, s->cpu_slab);
		if (d->load_order == SLAB_LOAD_FIELDS_FIRST) {
			v->page = READ_ONCE(p->read_page, c->page);
			v->freelist = READ_ONCE(p->read_freelist, c->freelist);
			v->tid = READ_ONCE(p->read_tid, c->tid);
			return;
		}
		v->tid = READ_ONCE(p->read_tid, c->tid);
		break;
	}
	v->c = c;
	if (page_only) {
		v->freelist = NULL;
		v->page = READ_ONCE(p->read_page, c->page);
		return;
	}
	v->freelist = READ_ONCE(p->read_freelist, c->freelist);
	v->page = READ_ONCE(p->read_page, c->page);
}

/* The commit: true if the cpu freelist went from old to new. */
static slab_always_inline bool commit(struct kmem_cache *s, enum slab_point pt,
				      const struct cpu_view *v, void *new_freelist)
{
	if (s->design->commit == SLAB_COMMIT_SINGLE)
		return this_cpu_cmpxchg(pt, s->cpu_slab->freelist, v->freelist, new_freelist) ==
		       v->freelist;
	return this_cpu_cmpxchg_double(pt, s->cpu_slab->freelist, v->freelist, v->tid, new_freelist,
				       next_tid(s, v->tid));
}

static bool node_match(const struct page *page, int node)
{
	return node == NUMA_NO_NODE || page_to_nid(page) == node;
}

/* Does the allocation have to leave the fastpath? */
static bool alloc_needs_slowpath(struct kmem_cache *s, const struct cpu_view *v, int node)
{
	if (freelist_empty(v->freelist))
		return true;
	if (has_page_field(s))
		return !v->page || !node_match(v->page, node);
	/* End-token designs look up the page only for a node-specific request. */
	if (node == NUMA_NO_NODE)
		return false;
	return !node_match(virt_to_page(PT(slab_alloc, object_page), v->freelist), node);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, int node)
{
	struct cpu_view v;
	void *object;

redo:
	read_cpu_view(s, &alloc_points, &v, false);
	if (unlikely(alloc_needs_slowpath(s, &v, node))) {
		object = slab_alloc_slowpath(s, node, NULL);
		stat(s, ALLOC_SLOWPATH);
		return object;
	}
	object = v.freelist;
	void *next = get_freepointer(PT(slab_alloc, read_next), s, object);
	if (unlikely(!commit(s, alloc_points.commit, &v, next))) {
		stat(s, CMPXCHG_DOUBLE_CPU_FAIL);
		goto redo;
	}
	stat(s, ALLOC_FASTPATH);
	return object;
}

void *kmem_cache_alloc(struct kmem_cache *s)
{
	return kmem_cache_alloc_node(s, NUMA_NO_NODE);
}

/*
 * Does x (in page) belong to the slab that the cpu freelist p names?  The
 * exact test: p lies inside page's slab.  The test of V1 patch 3/7 as
 * posted excluded the slab's first byte (d > 0), capped d at
 * 1 << MAX_ORDER bytes, and bounded it by compound_order << PAGE_SHIFT
 * instead of PAGE_SIZE << compound_order, so it says "no" for most objects
 * (all, for order-0 slabs) and those frees take the slow path.
 */
static bool freelist_in_slab(struct kmem_cache *s, struct page *page, void *p)
{
	char *base = READ_ONCE(PT(slab_free, read_page_address), page->address);
	unsigned order = (unsigned)READ_ONCE(PT(slab_free, read_compound_order), page->private);
	long d = (char *)p - base;

	if (s->design->free_test == SLAB_FREE_TEST_V1_POSTED)
		return d > 0 && d < (1L << MAX_ORDER) && d < ((long)order << PAGE_SHIFT);
	return d >= 0 && (unsigned long)d < (PAGE_SIZE << order);
}

static bool on_cpu_slab(struct kmem_cache *s, struct page *page, const struct cpu_view *v)
{
	if (has_page_field(s))
		return page == v->page;
	return v->freelist && freelist_in_slab(s, page, v->freelist);
}

/*
 * slab_free: link x in front of the cpu freelist and commit.  With the
 * 3.18/4.0 reads the page is compared first, and c->freelist is loaded
 * twice: once for the link, once more as the commit's expected value.
 * Between the two loads the list may change without the tid (a cpu slab
 * dropped in __slab_alloc before the 2022 fix): the commit then succeeds
 * against the new value, with x linked to the old list.
 */
void slab_free(struct kmem_cache *s, struct page *page, void *x)
{
	bool reads_twice = s->design->free_reads == SLAB_FREE_READS_PAGE_THEN_TWICE;
	struct cpu_view v;

redo:
	read_cpu_view(s, &free_points, &v, reads_twice);
	if (likely(on_cpu_slab(s, page, &v))) {
		if (reads_twice)
			v.freelist = READ_ONCE(free_points.read_freelist, v.c->freelist);
		set_freepointer(PT(slab_free, link_object), s, x, v.freelist);
		if (reads_twice)
			v.freelist = READ_ONCE(PT(slab_free, reread_freelist), v.c->freelist);
		if (unlikely(!commit(s, free_points.commit, &v, x))) {
			stat(s, CMPXCHG_DOUBLE_CPU_FAIL);
			goto redo;
		}
		stat(s, FREE_FASTPATH);
	} else {
		slab_free_slowpath(s, page, x);
	}
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	if (!x)
		return;
	slab_free(s, virt_to_head_page(PT(kmem_cache_free, head_page), x), x);
}
