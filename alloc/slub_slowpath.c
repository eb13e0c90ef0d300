/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slub_slowpath.c - everything the fastpath leans on: __slab_alloc with its
 * refill from the page freelist, per-CPU and node partial lists and new
 * slabs; deactivate_slab; put_cpu_partial / unfreeze_partials; __slab_free
 * with every transition of a page (full -> partial -> empty, frozen or not);
 * flushing a CPU's slabs.  All designs share it; the end-token designs
 * differ only in how an empty list is written (a token instead of NULL) and
 * in how the cpu slab is stored (derived from c->freelist).  It comes in
 * two shapes (design->slow_path): 3.18's, interrupts off from __slab_alloc
 * to its end, and 5.15's, the local_lock sections of ___slab_alloc,
 * put_cpu_partial, unfreeze_partials and flush_slab with interrupts on
 * between them.
 *
 * Page states:
 *   frozen        cpu slab or on a per-CPU partial list; on no node list
 *   partial       unfrozen, some free objects, on its node's partial list
 *   full          unfrozen, no free object, on no list
 *   empty         unfrozen, no object in use: stays partial while the node
 *                 has fewer than min_partial partial slabs, else discarded
 */
#include <stdlib.h>

#include "slub_internal.h"

/* ---------------------------------------------------------------------- */
/* Freelist values per design                                              */

/* The value of an empty page->freelist: NULL, or the slab's end token. */
static void *empty_list(const struct kmem_cache *s, struct page *page)
{
	return chain_end(s, page);
}

/* ---------------------------------------------------------------------- */
/* The cpu slab, as each design stores it (interrupts disabled)            */

struct page *cpu_slab_page(enum slab_point pt, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	if (has_page_field(s))
		return READ_ONCE(pt, c->page);
	void *f = READ_ONCE(pt, c->freelist);
	if (!f)
		return NULL;
	/*
	 * V1 patch 6/7 as posted treated a token ("cpu slab exhausted") like
	 * "no cpu slab" on entry to __slab_alloc and went straight to new_slab:
	 * the exhausted slab stays frozen with nobody owning it.  Remote frees
	 * then only push onto its freelist, and it never returns to a list or
	 * to the page allocator: the leak Lameter bisected with hackbench.
	 */
	if (slab_is_end_token(f) && s->design->v1_posted_leak)
		return NULL;
	return virt_to_head_page(pt, f);
}

void cpu_slab_set(enum slab_point pt, struct kmem_cache *s, struct kmem_cache_cpu *c,
		  struct page *page, void *freelist)
{
	if (has_page_field(s)) {
		WRITE_ONCE(pt, c->page, page);
		WRITE_ONCE(pt, c->freelist, page ? slab_freelist_object(freelist) : NULL);
		return;
	}
	/* End-token designs: NULL is "no cpu slab", a token "nothing free". */
	if (!page)
		WRITE_ONCE(pt, c->freelist, NULL);
	else
		WRITE_ONCE(pt, c->freelist,
			   freelist_empty(freelist) ? chain_end(s, page) : freelist);
}

static bool has_cpu_slab(enum slab_point pt, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	if (has_page_field(s))
		return READ_ONCE(pt, c->page) != NULL;
	return READ_ONCE(pt, c->freelist) != NULL;
}

/* ---------------------------------------------------------------------- */
/* Node partial lists (under n->list_lock)                                 */

static struct page *lru_page(struct list_head *e)
{
	return (struct page *)((char *)e - offsetof(struct page, lru));
}

void add_partial(struct kmem_cache_node *n, struct page *page, int tail)
{
	enum slab_point pt = PT(add_partial, link);
	unsigned long nr = READ_ONCE(pt, n->nr_partial);
	WRITE_ONCE(pt, n->nr_partial, nr + 1);
	struct list_head *head = &n->partial;
	struct list_head *prev, *next;
	if (tail == DEACTIVATE_TO_TAIL) {
		prev = READ_ONCE(pt, head->prev);
		next = head;
	} else {
		prev = head;
		next = READ_ONCE(pt, head->next);
	}
	WRITE_ONCE(pt, page->lru.next, next);
	WRITE_ONCE(pt, page->lru.prev, prev);
	WRITE_ONCE(pt, prev->next, &page->lru);
	WRITE_ONCE(pt, next->prev, &page->lru);
}

void remove_partial(struct kmem_cache_node *n, struct page *page)
{
	enum slab_point pt = PT(remove_partial, unlink);
	struct list_head *next = READ_ONCE(pt, page->lru.next);
	struct list_head *prev = READ_ONCE(pt, page->lru.prev);
	WRITE_ONCE(pt, prev->next, next);
	WRITE_ONCE(pt, next->prev, prev);
	WRITE_ONCE(pt, page->lru.next, NULL);
	WRITE_ONCE(pt, page->lru.prev, NULL);
	unsigned long nr = READ_ONCE(pt, n->nr_partial);
	WRITE_ONCE(pt, n->nr_partial, nr - 1);
}

/* ---------------------------------------------------------------------- */
/* Slab pages                                                              */

static bool cmpxchg_double_slab(struct kmem_cache *s, enum slab_point pt, struct page *page,
				void *old_list, unsigned long old_counters, void *new_list,
				unsigned long new_counters)
{
	if (cmpxchg_double(pt, page->freelist, old_list, old_counters, new_list, new_counters))
		return true;
	stat(s, CMPXCHG_DOUBLE_FAIL);
	return false;
}

static struct page *alloc_slab_page(struct kmem_cache *s, int node,
				    struct kmem_cache_order_objects oo)
{
	return port_alloc_pages(PT(allocate_slab, alloc_pages), node, oo_order(oo));
}

/* The slab's pages: the preferred order, else the minimum one. */
static struct page *allocate_slab_pages(struct kmem_cache *s, int node,
					struct kmem_cache_order_objects *oo)
{
	struct page *page = alloc_slab_page(s, node, *oo);
	if (unlikely(!page) && oo->x != s->min.x) {
		*oo = s->min;
		page = alloc_slab_page(s, node, *oo);
		if (page)
			stat(s, ORDER_FALLBACK);
	}
	return page;
}

/* A fresh slab's objects threaded, frozen, every object in use. */
static struct page *setup_slab(struct kmem_cache *s, struct page *page,
			       struct kmem_cache_order_objects oo)
{
	enum slab_point pt = PT(new_slab, setup);
	unsigned objects = oo_objects(oo);
	struct kmem_cache_node *n = get_node(s, page_to_nid(page));
	atomic_long_add(PT(new_slab, inc_slabs_node), n->nr_slabs, 1);
	atomic_long_add(PT(new_slab, inc_slabs_node), n->total_objects, objects);

	char *start = page_address(PT(new_slab, page_address), page);
	WRITE_ONCE(pt, page->slab_cache, s);
	WRITE_ONCE(pt, page->flags, READ_ONCE(pt, page->flags) | PG_slab);
	WRITE_ONCE(pt, page->address, start);
	/* Objects are threaded in address order; the last one ends the chain. */
	for (unsigned i = 0; i < objects; i++) {
		char *p = start + (size_t)i * s->size;
		void *next = i + 1 < objects ? p + s->size : chain_end(s, page);
		set_freepointer(PT(new_slab, thread_object), s, p, next);
	}
	WRITE_ONCE(pt, page->freelist, start);
	WRITE_ONCE(pt, page->counters, counters_make(objects, objects, true));
	return page;
}

/*
 * new_slab: a fresh slab, frozen, all objects in use by the caller (the
 * caller takes page->freelist).  The page allocator runs with interrupts
 * enabled when the caller had them enabled (a GFP_KERNEL allocation), so
 * this is a place where the task may be interrupted, preempted or migrated;
 * callers re-read their per-CPU pointer afterwards.
 */
static struct page *new_slab(struct kmem_cache *s, int node, unsigned long caller_irqs)
{
	struct kmem_cache_order_objects oo = s->oo;

	local_irq_restore(PT(allocate_slab, irq_enable), caller_irqs);
	struct page *page = allocate_slab_pages(s, node, &oo);
	local_irq_save(PT(allocate_slab, irq_disable));
	if (unlikely(!page))
		return NULL;
	return setup_slab(s, page, oo);
}

void discard_slab(struct kmem_cache *s, struct page *page)
{
	unsigned long counters = READ_ONCE(PT(discard_slab, read_counters), page->counters);
	struct kmem_cache_node *n = get_node(s, page_to_nid(page));
	atomic_long_add(PT(discard_slab, dec_slabs_node), n->nr_slabs, -1);
	atomic_long_add(PT(discard_slab, dec_slabs_node), n->total_objects,
			-(long)counters_objects(counters));
	unsigned order = page_order(PT(discard_slab, read_order), page);
	port_free_pages(PT(discard_slab, free_pages), page, order);
}

/* ---------------------------------------------------------------------- */
/* Taking slabs from the node partial lists                                */

/*
 * acquire_slab: freeze a partial page and take it off the node list.  The
 * first page taken becomes the cpu slab and gives all its objects (mode);
 * the rest keep their freelists and go to the per-CPU partial list.
 */
static void *acquire_slab(struct kmem_cache *s, struct kmem_cache_node *n, struct page *page,
			  bool mode, unsigned *objects)
{
	enum slab_point pt = PT(acquire_slab, read_page);
	void *freelist = READ_ONCE(pt, page->freelist);
	unsigned long counters = READ_ONCE(pt, page->counters);
	unsigned long new_counters = counters;
	void *new_list = freelist;

	/* A page on a node list belongs to no CPU (3.18: VM_BUG_ON(new.frozen)). */
	SLAB_ASSERT(!counters_frozen(counters));
	*objects = counters_objects(counters) - counters_inuse(counters);
	if (mode) {
		new_counters = counters_set_inuse(new_counters, counters_objects(counters));
		new_list = empty_list(s, page);
	}
	new_counters = counters_set_frozen(new_counters, true);
	if (!cmpxchg_double_slab(s, PT(acquire_slab, freeze), page, freelist, counters, new_list,
				 new_counters))
		return NULL;
	remove_partial(n, page);
	return freelist;
}

static void put_cpu_partial(struct kmem_cache *s, struct page *page, bool drain);

/*
 * Has get_partial_node taken enough from the node?  More than half the
 * per-CPU limit: free objects (3.18 .. 5.15), or slabs moved to the per-CPU
 * list, the cpu slab not counted (5.16 on: design->cpu_partial_slabs).
 */
static bool cpu_partial_enough(const struct kmem_cache *s, unsigned objects, unsigned slabs)
{
	if (s->design->cpu_partial_slabs)
		return slabs > s->cpu_partial_slabs / 2;
	return objects > (unsigned)s->cpu_partial / 2;
}

/* Is the per-CPU partial list full: over cpu_partial free objects, or (5.16 on) cpu_partial_slabs
 * slabs? */
static bool cpu_partial_full(const struct kmem_cache *s, unsigned objects, unsigned slabs)
{
	if (s->design->cpu_partial_slabs)
		return slabs >= s->cpu_partial_slabs;
	return objects > (unsigned)s->cpu_partial;
}

static void *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n,
			      struct kmem_cache_cpu *c, struct page **cpu_page)
{
	enum slab_point pt = PT(get_partial_node, walk);
	void *object = NULL;
	unsigned available = 0, partial_slabs = 0;

	if (!READ_ONCE(PT(get_partial_node, nr_partial), n->nr_partial))
		return NULL;
	/* 5.15 calls it with interrupts on: spin_lock_irqsave. */
	unsigned long flags = 0;
	if (slow_path_local_lock(s))
		flags = local_irq_save(PT(get_partial_node, irq_save));
	spin_lock(PT(get_partial_node, list_lock), &n->list_lock);
	struct list_head *e = READ_ONCE(pt, n->partial.next);
	while (e != &n->partial) {
		struct list_head *next = READ_ONCE(pt, e->next);
		struct page *page = lru_page(e);
		unsigned objects;
		void *t = acquire_slab(s, n, page, object == NULL, &objects);
		if (!t)
			break;
		available += objects;
		if (!object) {
			*cpu_page = page;
			/* 5.15 installs it later, under its local_lock (retry_load_page). */
			if (has_page_field(s) && !slow_path_local_lock(s))
				WRITE_ONCE(PT(get_partial_node, set_cpu_page), c->page, page);
			stat(s, ALLOC_FROM_PARTIAL);
			object = t;
		} else {
			put_cpu_partial(s, page, false);
			stat(s, CPU_PARTIAL_NODE);
			partial_slabs++;
		}
		if (!kmem_cache_has_cpu_partial(s) ||
		    cpu_partial_enough(s, available, partial_slabs))
			break;
		e = next;
	}
	spin_unlock(PT(get_partial_node, list_unlock), &n->list_lock);
	if (slow_path_local_lock(s))
		local_irq_restore(PT(get_partial_node, irq_restore), flags);
	return object;
}

/* The local node first; for a request on no node, then every other node. */
static void *get_partial(struct kmem_cache *s, int node, struct kmem_cache_cpu *c,
			 struct page **cpu_page)
{
	int searchnode = node == NUMA_NO_NODE ? numa_node_id(PT(get_partial, node_id)) : node;
	void *object = get_partial_node(s, get_node(s, searchnode), c, cpu_page);
	if (object || node != NUMA_NO_NODE)
		return object;
	for (unsigned i = 1; i < nr_node_ids(); i++) {
		int other = (int)((searchnode + i) % nr_node_ids());
		object = get_partial_node(s, get_node(s, other), c, cpu_page);
		if (object)
			return object;
	}
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Giving up a cpu slab                                                    */

enum slab_mode { M_NONE, M_PARTIAL, M_FULL, M_FREE };

/*
 * deactivate_slab: return the cpu freelist's objects to page->freelist and
 * unfreeze the page, putting it on the node partial list, leaving it full
 * on no list, or freeing it if it is empty and the node has enough partial
 * slabs.  Stage one moves the objects one by one while the page is still
 * frozen (no lock needed: only remote frees race, by cmpxchg_double); stage
 * two moves the last object and unfreezes in the same cmpxchg_double, so
 * the page is never unfrozen with objects stranded on a cpu freelist.
 */
static void deactivate_slab(struct kmem_cache *s, struct page *page, void *freelist)
{
	struct kmem_cache_node *n = get_node(s, page_to_nid(page));
	enum slab_mode l = M_NONE, m = M_NONE;
	int tail = DEACTIVATE_TO_HEAD;
	bool lock = false;
	unsigned long flags = 0;

	if (!freelist_empty(READ_ONCE(PT(deactivate_slab, remote_frees), page->freelist))) {
		stat(s, DEACTIVATE_REMOTE_FREES);
		tail = DEACTIVATE_TO_TAIL;
	}

	/* Stage one: all but the last object of the cpu freelist. */
	void *nextfree;
	while (!freelist_empty(freelist) &&
	       !freelist_empty(nextfree =
				   get_freepointer(PT(deactivate_slab, drain_next), s, freelist))) {
		void *prior;
		unsigned long counters;
		do {
			prior = READ_ONCE(PT(deactivate_slab, drain_read), page->freelist);
			counters = READ_ONCE(PT(deactivate_slab, drain_read), page->counters);
			set_freepointer(PT(deactivate_slab, drain_link), s, freelist, prior);
		} while (!cmpxchg_double_slab(
		    s, PT(deactivate_slab, drain_commit), page, prior, counters, freelist,
		    counters_set_inuse(counters, counters_inuse(counters) - 1)));
		freelist = nextfree;
	}

	/* Stage two: the last object, and unfreeze. */
	void *old_list, *new_list;
	unsigned long old_counters, new_counters;
redo:
	old_list = READ_ONCE(PT(deactivate_slab, unfreeze_read), page->freelist);
	old_counters = READ_ONCE(PT(deactivate_slab, unfreeze_read), page->counters);
	new_counters = old_counters;
	/* Only the owner unfreezes its cpu slab (3.18: VM_BUG_ON(!new.frozen)). */
	SLAB_ASSERT(counters_frozen(old_counters));
	if (!freelist_empty(freelist)) {
		new_counters = counters_set_inuse(new_counters, counters_inuse(old_counters) - 1);
		set_freepointer(PT(deactivate_slab, unfreeze_link), s, freelist, old_list);
		new_list = freelist;
	} else {
		new_list = old_list;
	}
	new_counters = counters_set_frozen(new_counters, false);

	if (!counters_inuse(new_counters) &&
	    READ_ONCE(PT(deactivate_slab, nr_partial), n->nr_partial) >= s->min_partial) {
		m = M_FREE;
	} else if (!freelist_empty(new_list)) {
		m = M_PARTIAL;
		if (!lock) {
			lock = true;
			/* 5.15 deactivates with interrupts on: spin_lock_irqsave. */
			if (slow_path_local_lock(s))
				flags = local_irq_save(PT(deactivate_slab, irq_save));
			spin_lock(PT(deactivate_slab, list_lock), &n->list_lock);
		}
	} else {
		m = M_FULL;
	}

	if (l != m) {
		if (l == M_PARTIAL)
			remove_partial(n, page);
		if (m == M_PARTIAL) {
			add_partial(n, page, tail);
			stat(s, (enum stat_item)tail);
		} else if (m == M_FULL) {
			stat(s, DEACTIVATE_FULL);
		}
	}
	l = m;
	if (!cmpxchg_double_slab(s, PT(deactivate_slab, unfreeze), page, old_list, old_counters,
				 new_list, new_counters))
		goto redo;
	if (lock) {
		spin_unlock(PT(deactivate_slab, list_unlock), &n->list_lock);
		if (slow_path_local_lock(s))
			local_irq_restore(PT(deactivate_slab, irq_restore), flags);
	}
	if (m == M_FREE) {
		stat(s, DEACTIVATE_EMPTY);
		discard_slab(s, page);
		stat(s, FREE_SLAB);
	}
}

/*
 * flush_slab (5.15): the cpu slab taken out under the local_lock, with the
 * tid bumped, and deactivated after the unlock.
 */
static void flush_slab_local_lock(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	enum slab_point pt = PT(flush_slab, cpu);
	unsigned long flags = local_lock_irqsave(PT(flush_slab, local_lock));
	struct page *page = READ_ONCE(pt, c->page);
	void *freelist = READ_ONCE(pt, c->freelist);
	WRITE_ONCE(pt, c->page, NULL);
	WRITE_ONCE(pt, c->freelist, NULL);
	WRITE_ONCE(pt, c->tid, next_tid(s, READ_ONCE(pt, c->tid)));
	local_unlock_irqrestore(PT(flush_slab, local_unlock), flags);
	if (page) {
		deactivate_slab(s, page, freelist);
		stat(s, CPUSLAB_FLUSH);
	}
}

/* 3.18's, interrupts off: the local_lock designs flush through flush_slab_local_lock. */
static void flush_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	SLAB_ASSERT_INTERNAL(!slow_path_local_lock(s));
	enum slab_point pt = PT(flush_slab, cpu);
	stat(s, CPUSLAB_FLUSH);
	struct page *page = has_page_field(s) ? READ_ONCE(pt, c->page)
					      : virt_to_head_page(pt, READ_ONCE(pt, c->freelist));
	deactivate_slab(s, page, READ_ONCE(pt, c->freelist));
	WRITE_ONCE(pt, c->tid, next_tid(s, READ_ONCE(pt, c->tid)));
	cpu_slab_set(pt, s, c, NULL, NULL);
}

/* ---------------------------------------------------------------------- */
/* Per-CPU partial lists                                                   */

static unsigned pcp_pages(unsigned long counts)
{
	return (unsigned)(counts >> 32);
}

static unsigned pcp_objects(unsigned long counts)
{
	return (unsigned)(counts & 0xffffffffUL);
}

static unsigned long pcp_make(unsigned pages, unsigned objects)
{
	return (unsigned long)pages << 32 | objects;
}

/*
 * A per-CPU partial list's node list_lock: 5.15 takes it with interrupts
 * saved (it unfreezes outside its local_lock, with interrupts on); 3.18's
 * callers have them off already.
 */
static unsigned long unfreeze_lock(struct kmem_cache *s, struct kmem_cache_node *n)
{
	unsigned long flags = 0;
	if (slow_path_local_lock(s))
		flags = local_irq_save(PT(unfreeze_partials, irq_save));
	spin_lock(PT(unfreeze_partials, list_lock), &n->list_lock);
	return flags;
}

static void unfreeze_unlock(struct kmem_cache *s, struct kmem_cache_node *n, unsigned long flags)
{
	spin_unlock(PT(unfreeze_partials, list_unlock), &n->list_lock);
	if (slow_path_local_lock(s))
		local_irq_restore(PT(unfreeze_partials, irq_restore), flags);
}

/*
 * Unfreeze one page taken off a per-CPU partial list: onto its node's
 * partial list, or onto *discard if it is empty and the node has enough.
 * *pn is the node whose list_lock is held (NULL: none yet); it is switched
 * when the page's node differs.
 */
static void unfreeze_partial_page(struct kmem_cache *s, struct page *page,
				  struct kmem_cache_node **pn, struct page **discard,
				  unsigned long *flags)
{
	enum slab_point pt = PT(unfreeze_partials, walk);
	struct kmem_cache_node *n = *pn, *n2 = get_node(s, page_to_nid(page));

	if (n != n2) {
		if (n)
			unfreeze_unlock(s, n, *flags);
		n = n2;
		*flags = unfreeze_lock(s, n);
	}
	*pn = n;
	void *list;
	unsigned long old, new;
	do {
		list = READ_ONCE(PT(unfreeze_partials, read_page), page->freelist);
		old = READ_ONCE(PT(unfreeze_partials, read_page), page->counters);
		/* A per-CPU partial page is frozen (3.18: VM_BUG_ON(!old.frozen)). */
		SLAB_ASSERT(counters_frozen(old));
		new = counters_set_frozen(old, false);
	} while (
	    !cmpxchg_double_slab(s, PT(unfreeze_partials, unfreeze), page, list, old, list, new));
	if (unlikely(!counters_inuse(new) && READ_ONCE(pt, n->nr_partial) >= s->min_partial)) {
		WRITE_ONCE(pt, page->next, *discard);
		*discard = page;
	} else {
		add_partial(n, page, DEACTIVATE_TO_TAIL);
		stat(s, FREE_ADD_PARTIAL);
	}
}

/* Free the empty pages unfreezing set aside, after the list_lock is dropped. */
static void discard_unfrozen(struct kmem_cache *s, struct page *discard)
{
	while (discard) {
		struct page *page = discard;
		discard = READ_ONCE(PT(unfreeze_partials, walk), discard->next);
		stat(s, DEACTIVATE_EMPTY);
		discard_slab(s, page);
		stat(s, FREE_SLAB);
	}
}

/*
 * unfreeze_partials (3.18): move every page of c's per-CPU partial list to
 * its node's partial list (or free it if empty and the node has enough),
 * taking each page off c->partial as it goes.  Interrupts disabled; c is
 * this CPU's.
 */
static void unfreeze_partials(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	enum slab_point pt = PT(unfreeze_partials, walk);
	struct kmem_cache_node *n = NULL;
	struct page *page, *discard = NULL;
	unsigned long flags = 0;

	while ((page = READ_ONCE(pt, c->partial))) {
		WRITE_ONCE(pt, c->partial, READ_ONCE(pt, page->next));
		unfreeze_partial_page(s, page, &n, &discard, &flags);
	}
	if (n)
		unfreeze_unlock(s, n, flags);
	discard_unfrozen(s, discard);
}

/*
 * __unfreeze_partials (5.15): the same for a list already detached from
 * its CPU (under the local_lock), so it runs with interrupts on and even
 * preemptible: it touches no per-CPU data.
 */
static void unfreeze_detached(struct kmem_cache *s, struct page *list)
{
	struct kmem_cache_node *n = NULL;
	struct page *discard = NULL;
	unsigned long flags = 0;

	while (list) {
		struct page *page = list;
		list = READ_ONCE(PT(unfreeze_partials, walk), page->next);
		unfreeze_partial_page(s, page, &n, &discard, &flags);
	}
	if (n)
		unfreeze_unlock(s, n, flags);
	discard_unfrozen(s, discard);
}

/* unfreeze_partials (5.15): detach this CPU's list under the local_lock. */
static void unfreeze_partials_local_lock(struct kmem_cache *s)
{
	unsigned long flags = local_lock_irqsave(PT(unfreeze_partials, local_lock));
	struct kmem_cache_cpu *c = this_cpu_ptr(PT(unfreeze_partials, cpu_ptr), s->cpu_slab);
	struct page *list = READ_ONCE(PT(unfreeze_partials, detach), c->partial);
	WRITE_ONCE(PT(unfreeze_partials, detach), c->partial, NULL);
	local_unlock_irqrestore(PT(unfreeze_partials, local_unlock), flags);
	if (list)
		unfreeze_detached(s, list);
}

/*
 * put_cpu_partial (5.15): under the local_lock, so no cmpxchg loop; a full
 * list is detached there and unfrozen after the unlock, with interrupts on.
 */
static void put_cpu_partial_local_lock(struct kmem_cache *s, struct page *page, bool drain)
{
	struct page *to_unfreeze = NULL;
	unsigned pages = 0, pobjects = 0;

	unsigned long flags = local_lock_irqsave(PT(put_cpu_partial, local_lock));
	struct page *oldpage =
	    this_cpu_read(PT(put_cpu_partial, read_partial), s->cpu_slab->partial);
	if (oldpage) {
		unsigned long counts =
		    READ_ONCE(PT(put_cpu_partial, read_counts), oldpage->pcp_counts);
		if (drain && cpu_partial_full(s, pcp_objects(counts), pcp_pages(counts))) {
			to_unfreeze = oldpage;
			oldpage = NULL;
		} else {
			pobjects = pcp_objects(counts);
			pages = pcp_pages(counts);
		}
	}
	unsigned long counters = READ_ONCE(PT(put_cpu_partial, read_page), page->counters);
	pages++;
	pobjects += counters_objects(counters) - counters_inuse(counters);
	WRITE_ONCE(PT(put_cpu_partial, link), page->pcp_counts, pcp_make(pages, pobjects));
	WRITE_ONCE(PT(put_cpu_partial, link), page->next, oldpage);
	/* this_cpu_write: interrupts are off, so this CPU's copy stays this CPU's. */
	struct kmem_cache_cpu *c = this_cpu_ptr(PT(put_cpu_partial, cpu_ptr), s->cpu_slab);
	WRITE_ONCE(PT(put_cpu_partial, write_partial), c->partial, page);
	local_unlock_irqrestore(PT(put_cpu_partial, local_unlock), flags);
	if (to_unfreeze) {
		unfreeze_detached(s, to_unfreeze);
		stat(s, CPU_PARTIAL_DRAIN);
	}
}

/*
 * put_cpu_partial: push a frozen page onto this CPU's partial list with
 * this_cpu_cmpxchg (interrupts may be on).  With drain, a full list
 * (cpu_partial_full) is first moved to the node.
 */
static void put_cpu_partial(struct kmem_cache *s, struct page *page, bool drain)
{
	struct page *oldpage;
	unsigned pages, pobjects;

	if (!kmem_cache_has_cpu_partial(s))
		return;
	if (slow_path_local_lock(s)) {
		put_cpu_partial_local_lock(s, page, drain);
		return;
	}
	do {
		pages = 0;
		pobjects = 0;
		oldpage = this_cpu_read(PT(put_cpu_partial, read_partial), s->cpu_slab->partial);
		if (oldpage) {
			unsigned long counts =
			    READ_ONCE(PT(put_cpu_partial, read_counts), oldpage->pcp_counts);
			pobjects = pcp_objects(counts);
			pages = pcp_pages(counts);
			if (drain && cpu_partial_full(s, pobjects, pages)) {
				unsigned long flags = local_irq_save(PT(put_cpu_partial, irq_save));
				unfreeze_partials(
				    s, this_cpu_ptr(PT(put_cpu_partial, cpu_ptr), s->cpu_slab));
				local_irq_restore(PT(put_cpu_partial, irq_restore), flags);
				oldpage = NULL;
				pobjects = 0;
				pages = 0;
				stat(s, CPU_PARTIAL_DRAIN);
			}
		}
		unsigned long counters = READ_ONCE(PT(put_cpu_partial, read_page), page->counters);
		pages++;
		pobjects += counters_objects(counters) - counters_inuse(counters);
		WRITE_ONCE(PT(put_cpu_partial, link), page->pcp_counts, pcp_make(pages, pobjects));
		WRITE_ONCE(PT(put_cpu_partial, link), page->next, oldpage);
	} while (this_cpu_cmpxchg(PT(put_cpu_partial, commit), s->cpu_slab->partial, oldpage,
				  page) != oldpage);
}

/* ---------------------------------------------------------------------- */
/* __slab_alloc                                                            */

/*
 * get_freelist: take the whole page->freelist of the cpu slab.  If it is
 * empty the page is unfrozen in the same step (it becomes a full slab on no
 * list, found again by the next free into it).
 */
static void *get_freelist(struct kmem_cache *s, struct page *page)
{
	void *freelist;
	unsigned long counters, new;

	do {
		freelist = READ_ONCE(PT(get_freelist, read_page), page->freelist);
		counters = READ_ONCE(PT(get_freelist, read_page), page->counters);
		new = counters_set_inuse(counters, counters_objects(counters));
		new = counters_set_frozen(new, !freelist_empty(freelist));
	} while (!cmpxchg_double_slab(s, PT(get_freelist, take), page, freelist, counters,
				      empty_list(s, page), new));
	return freelist;
}

static void *new_slab_objects(struct kmem_cache *s, int node, struct kmem_cache_cpu **pc,
			      struct page **cpu_page, unsigned long caller_irqs)
{
	void *freelist = get_partial(s, node, *pc, cpu_page);
	if (freelist)
		return freelist;

	struct page *page = new_slab(s, node, caller_irqs);
	if (!page)
		return NULL;
	/* Interrupts were enabled in new_slab: we may be on another CPU now. */
	struct kmem_cache_cpu *c = raw_cpu_ptr(PT(new_slab_objects, cpu_ptr), s->cpu_slab);
	if (has_cpu_slab(PT(new_slab_objects, flush_old), s, c))
		flush_slab(s, c);
	enum slab_point pt = PT(new_slab_objects, take);
	freelist = READ_ONCE(pt, page->freelist);
	WRITE_ONCE(pt, page->freelist, empty_list(s, page));
	stat(s, ALLOC_SLAB);
	if (has_page_field(s))
		WRITE_ONCE(pt, c->page, page);
	*pc = c;
	*cpu_page = page;
	return freelist;
}

static bool node_match(struct page *page, int node)
{
	return node == NUMA_NO_NODE || page_to_nid(page) == node;
}

/*
 * The cpu slab was dropped: designs with the 2022 fix bump the tid, so that
 * a fastpath that read the old state cannot commit against the new one.
 * Without it (3.18 .. 5.18), an exhausted cpu slab's NULL freelist and
 * "no cpu slab" look the same to a preempted fastpath free.
 */
static void drop_tid(enum slab_point pt, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	if (s->design->tid_on_deactivate)
		WRITE_ONCE(pt, c->tid, next_tid(s, READ_ONCE(pt, c->tid)));
}

/* ---------------------------------------------------------------------- */
/* ___slab_alloc as 5.15 has it (design->slow_path local-lock)            */

/*
 * ___slab_alloc in local_lock sections, preemption disabled by the caller
 * (__slab_alloc).  Between two sections interrupts are on: an interrupt on
 * this CPU may allocate or free and change c->page, c->freelist,
 * c->partial and c->tid.  So every section that goes on from what an
 * earlier one (or an unlocked read) saw first re-checks c->page and starts
 * again from reread_page when it changed; what a section takes out of c
 * (a page to deactivate) is taken under the lock, and the slow work
 * (get_freelist's cmpxchg aside: get_partial, deactivate_slab, new_slab)
 * runs outside it.  new_slab also runs preemptible: *pc is this CPU's
 * kmem_cache_cpu again afterwards.
 *
 * The tid: load_freelist and the flush in retry_load_page bump it, as
 * 5.15 does; the two places "mm/slub: add missing TID updates on slab
 * deactivation" (5.19) added, the DEACTIVATE_BYPASS and deactivate_slab
 * sections, bump it only with design->tid_on_deactivate (drop_tid).
 */
static void *slab_alloc_local_lock(struct kmem_cache *s, int node, struct kmem_cache_cpu **pc)
{
	enum slab_point pt = PT(___slab_alloc, cpu);
	struct kmem_cache_cpu *c = *pc;
	struct page *page;
	void *freelist;
	unsigned long flags;

reread_page:
	page = READ_ONCE(PT(___slab_alloc, read_page), c->page);
	if (!page)
		goto new_slab;
redo:
	if (unlikely(!node_match(page, node))) {
		stat(s, ALLOC_NODE_MISMATCH);
		goto deactivate;
	}
	/* An interrupt may have changed the cpu slab since it was read. */
	flags = local_lock_irqsave(PT(___slab_alloc, lock));
	if (unlikely(READ_ONCE(pt, c->page) != page)) {
		local_unlock_irqrestore(PT(___slab_alloc, unlock_reread), flags);
		goto reread_page;
	}
	freelist = READ_ONCE(pt, c->freelist);
	if (!freelist_empty(freelist))
		goto load_freelist;
	freelist = get_freelist(s, page);
	if (freelist_empty(freelist)) {
		WRITE_ONCE(pt, c->page, NULL);
		drop_tid(pt, s, c);
		local_unlock_irqrestore(PT(___slab_alloc, unlock_bypass), flags);
		stat(s, DEACTIVATE_BYPASS);
		goto new_slab;
	}
	stat(s, ALLOC_REFILL);

load_freelist:
	/* Under the lock; c->page is the slab freelist came from. */
	WRITE_ONCE(pt, c->freelist, get_freepointer(PT(___slab_alloc, load_next), s, freelist));
	WRITE_ONCE(pt, c->tid, next_tid(s, READ_ONCE(pt, c->tid)));
	local_unlock_irqrestore(PT(___slab_alloc, unlock), flags);
	*pc = c;
	return freelist;

deactivate:
	flags = local_lock_irqsave(PT(___slab_alloc, lock_deactivate));
	if (page != READ_ONCE(pt, c->page)) {
		local_unlock_irqrestore(PT(___slab_alloc, unlock_reread), flags);
		goto reread_page;
	}
	freelist = READ_ONCE(pt, c->freelist);
	WRITE_ONCE(pt, c->page, NULL);
	WRITE_ONCE(pt, c->freelist, NULL);
	drop_tid(pt, s, c);
	local_unlock_irqrestore(PT(___slab_alloc, unlock_deactivate), flags);
	deactivate_slab(s, page, freelist);

new_slab:
	if (READ_ONCE(PT(___slab_alloc, read_partial), c->partial)) {
		flags = local_lock_irqsave(PT(___slab_alloc, lock_partial));
		if (unlikely(READ_ONCE(pt, c->page))) {
			local_unlock_irqrestore(PT(___slab_alloc, unlock_reread), flags);
			goto reread_page;
		}
		page = READ_ONCE(pt, c->partial);
		if (unlikely(!page)) {
			/* An interrupt took the per-CPU partial list meanwhile. */
			local_unlock_irqrestore(PT(___slab_alloc, unlock_partial), flags);
			goto new_objects;
		}
		/* c->freelist is not written: it is NULL unless a stale commit made it not. */
		WRITE_ONCE(pt, c->page, page);
		WRITE_ONCE(pt, c->partial, READ_ONCE(pt, page->next));
		local_unlock_irqrestore(PT(___slab_alloc, unlock_partial), flags);
		stat(s, CPU_PARTIAL_ALLOC);
		goto redo;
	}

new_objects:
	freelist = get_partial(s, node, c, &page);
	if (!freelist_empty(freelist))
		goto retry_load_page;

	/* slub_put_cpu_ptr: the page allocator runs preemptible, interrupts on. */
	preempt_enable(PT(___slab_alloc, put_cpu_ptr));
	struct kmem_cache_order_objects oo = s->oo;
	page = allocate_slab_pages(s, node, &oo);
	if (page)
		page = setup_slab(s, page, oo);
	preempt_disable(PT(___slab_alloc, get_cpu_ptr));
	c = this_cpu_ptr(PT(___slab_alloc, cpu_ptr), s->cpu_slab);
	*pc = c;
	if (unlikely(!page))
		return NULL;
	/* Nobody else knows the page yet: plain accesses. */
	freelist = READ_ONCE(PT(___slab_alloc, take), page->freelist);
	WRITE_ONCE(PT(___slab_alloc, take), page->freelist, empty_list(s, page));
	stat(s, ALLOC_SLAB);

retry_load_page:
	flags = local_lock_irqsave(PT(___slab_alloc, lock_load));
	struct page *flush_page = READ_ONCE(pt, c->page);
	if (unlikely(flush_page)) {
		/* An interrupt installed a cpu slab meanwhile: flush it, outside the lock. */
		void *flush_freelist = READ_ONCE(pt, c->freelist);
		WRITE_ONCE(pt, c->page, NULL);
		WRITE_ONCE(pt, c->freelist, NULL);
		WRITE_ONCE(pt, c->tid, next_tid(s, READ_ONCE(pt, c->tid)));
		local_unlock_irqrestore(PT(___slab_alloc, unlock_flush), flags);
		deactivate_slab(s, flush_page, flush_freelist);
		stat(s, CPUSLAB_FLUSH);
		goto retry_load_page;
	}
	WRITE_ONCE(pt, c->page, page);
	goto load_freelist;
}

/*
 * __slab_alloc of 5.15: slub_get_cpu_ptr (preempt_disable, this_cpu_ptr)
 * around ___slab_alloc, so the windows between its local_lock sections
 * admit interrupts, not preemption; only new_slab's drops it.
 */
static void *slab_alloc_slowpath_local_lock(struct kmem_cache *s, int node)
{
	preempt_disable(PT(__slab_alloc, get_cpu_ptr));
	struct kmem_cache_cpu *c = this_cpu_ptr(PT(__slab_alloc, cpu_ptr), s->cpu_slab);
	void *object = slab_alloc_local_lock(s, node, &c);
	preempt_enable(PT(__slab_alloc, put_cpu_ptr));
	return object;
}

/*
 * __slab_alloc (3.18): interrupts off for the whole slow path (except
 * inside new_slab), so this CPU's fastpath cannot run; c is re-derived
 * because the caller may have been preempted and migrated since it read
 * its own c.
 */
void *slab_alloc_slowpath(struct kmem_cache *s, int node, struct kmem_cache_cpu *unused)
{
	if (slow_path_local_lock(s))
		return slab_alloc_slowpath_local_lock(s, node);
	unsigned long flags = local_irq_save(PT(slab_alloc_slowpath, irq_save));
	struct kmem_cache_cpu *c = this_cpu_ptr(PT(slab_alloc_slowpath, cpu_ptr), s->cpu_slab);
	enum slab_point pt = PT(slab_alloc_slowpath, cpu);
	void *freelist;

	struct page *page = cpu_slab_page(pt, s, c);
	if (!page)
		goto new_slab;
redo:
	if (unlikely(!node_match(page, node))) {
		stat(s, ALLOC_NODE_MISMATCH);
		deactivate_slab(s, page, READ_ONCE(pt, c->freelist));
		cpu_slab_set(pt, s, c, NULL, NULL);
		drop_tid(pt, s, c);
		goto new_slab;
	}
	freelist = READ_ONCE(pt, c->freelist);
	if (!freelist_empty(freelist))
		goto load_freelist;

	freelist = get_freelist(s, page);
	if (freelist_empty(freelist)) {
		cpu_slab_set(pt, s, c, NULL, NULL);
		drop_tid(pt, s, c);
		stat(s, DEACTIVATE_BYPASS);
		goto new_slab;
	}
	stat(s, ALLOC_REFILL);

load_freelist:
	/*
	 * freelist's first object is ours; the rest become the cpu freelist.
	 * The cpu slab is already recorded (c->page, or the chain's own end
	 * token), so only the list and the tid change, as in the kernel.
	 */
	WRITE_ONCE(pt, c->freelist,
		   get_freepointer(PT(slab_alloc_slowpath, load_next), s, freelist));
	WRITE_ONCE(pt, c->tid, next_tid(s, READ_ONCE(pt, c->tid)));
	local_irq_restore(PT(slab_alloc_slowpath, irq_restore), flags);
	return freelist;

new_slab:
	page = READ_ONCE(pt, c->partial);
	if (page) {
		WRITE_ONCE(pt, c->partial, READ_ONCE(pt, page->next));
		stat(s, CPU_PARTIAL_ALLOC);
		cpu_slab_set(pt, s, c, page, NULL);
		goto redo;
	}
	freelist = new_slab_objects(s, node, &c, &page, flags);
	if (unlikely(!freelist)) {
		local_irq_restore(PT(slab_alloc_slowpath, irq_restore), flags);
		return NULL;
	}
	goto load_freelist;
}

/* ---------------------------------------------------------------------- */
/* __slab_free                                                             */

/*
 * __slab_free: x is not on this CPU's cpu slab.  Push it onto
 * page->freelist with cmpxchg_double and handle the page's transition:
 * a full unfrozen page is frozen and goes to this CPU's partial list; a
 * page that becomes empty is freed if its node has enough partial slabs.
 * The node lock is taken before the cmpxchg when the page may have to move
 * between lists, so that the transition and the list change agree.
 */
/*
 * x is one of page's objects: inside the slab, at an object boundary.  The
 * slab's address is arithmetic on the page, not a load: no point.
 */
static inline bool object_in_slab(const struct kmem_cache *s, struct page *page, const void *x)
{
	long d = (const char *)x - (const char *)slab_world_page_address(page);
	return d >= 0 && d % s->size == 0 && d / s->size < MAX_OBJS_PER_PAGE &&
	       (unsigned long)d < (PAGE_SIZE << compound_order(page));
}

/*
 * Is x already on page->freelist (a double free)?  Walks the list plainly,
 * which is exact only where nothing runs between two points (the
 * simulator: slab_port_sequential()).  On real CPUs another CPU's lockless
 * free may be rewriting the list under the walk (the kernel's own check
 * holds slab_lock), so there it is not made.
 */
static inline bool on_page_freelist(const struct kmem_cache *s, struct page *page, const void *x)
{
	unsigned n = 0;
	void *p;
	slab_for_each_free(s, page->freelist, p)
	{
		if (p == x)
			return true;
		if (++n > MAX_OBJS_PER_PAGE)
			break;
	}
	return false;
}

void slab_free_slowpath(struct kmem_cache *s, struct page *page, void *x)
{
	struct kmem_cache_node *n = NULL;
	unsigned long flags = 0;
	void *prior;
	unsigned long counters, new;
	bool was_frozen;

	stat(s, FREE_SLOWPATH);
	/* slab_cache is constant while x is allocated: a plain read adds no point. */
	SLAB_ASSERT(page->slab_cache == s);
	SLAB_ASSERT_INTERNAL(object_in_slab(s, page, x));
	SLAB_ASSERT_EXPENSIVE(!slab_port_sequential() || !on_page_freelist(s, page, x));
	do {
		if (unlikely(n)) {
			spin_unlock(PT(slab_free_slowpath, list_unlock), &n->list_lock);
			local_irq_restore(PT(slab_free_slowpath, irq_restore), flags);
			n = NULL;
		}
		prior = READ_ONCE(PT(slab_free_slowpath, read_page), page->freelist);
		counters = READ_ONCE(PT(slab_free_slowpath, read_page), page->counters);
		set_freepointer(PT(slab_free_slowpath, link_object), s, x, prior);
		was_frozen = counters_frozen(counters);
		/* An object is being freed: at least one is in use, never more than there are. */
		SLAB_ASSERT(counters_inuse(counters) > 0 &&
			    counters_inuse(counters) <= counters_objects(counters));
		new = counters_set_inuse(counters, counters_inuse(counters) - 1);
		if ((!counters_inuse(new) || freelist_empty(prior)) && !was_frozen) {
			if (kmem_cache_has_cpu_partial(s) && freelist_empty(prior)) {
				/* Full -> partial: this CPU takes it, frozen. */
				new = counters_set_frozen(new, true);
			} else {
				n = get_node(s, page_to_nid(page));
				flags = local_irq_save(PT(slab_free_slowpath, irq_save));
				spin_lock(PT(slab_free_slowpath, list_lock), &n->list_lock);
			}
		}
	} while (
	    !cmpxchg_double_slab(s, PT(slab_free_slowpath, commit), page, prior, counters, x, new));

	if (likely(!n)) {
		if (counters_frozen(new) && !was_frozen) {
			put_cpu_partial(s, page, true);
			stat(s, CPU_PARTIAL_FREE);
		}
		if (was_frozen)
			stat(s, FREE_FROZEN);
		return;
	}

	if (unlikely(!counters_inuse(new) && READ_ONCE(PT(slab_free_slowpath, nr_partial),
						       n->nr_partial) >= s->min_partial)) {
		/* Empty, and the node has enough partial slabs: free it. */
		if (!freelist_empty(prior)) {
			remove_partial(n, page);
			stat(s, FREE_REMOVE_PARTIAL);
		}
		spin_unlock(PT(slab_free_slowpath, list_unlock), &n->list_lock);
		local_irq_restore(PT(slab_free_slowpath, irq_restore), flags);
		stat(s, FREE_SLAB);
		discard_slab(s, page);
		return;
	}
	/* Without per-CPU partial lists a full page goes to the node list. */
	if (!kmem_cache_has_cpu_partial(s) && freelist_empty(prior)) {
		add_partial(n, page, DEACTIVATE_TO_TAIL);
		stat(s, FREE_ADD_PARTIAL);
	}
	spin_unlock(PT(slab_free_slowpath, list_unlock), &n->list_lock);
	local_irq_restore(PT(slab_free_slowpath, irq_restore), flags);
}

/* ---------------------------------------------------------------------- */
/* Flushing (on each CPU, from kmem_cache_shrink and destroy)              */

/*
 * 5.15's flush_all queues this on each CPU's workqueue (schedule_work_on)
 * and waits for it: it runs in a kworker bound to that CPU, preemptible
 * and with interrupts on; flush_slab and unfreeze_partials take the
 * local_lock for their own short sections.  The kworker cannot migrate,
 * so the per-CPU pointer stays its CPU's: raw_cpu_ptr, as DEBUG_PREEMPT
 * accepts this_cpu_ptr in a task bound to one CPU, which the port's check
 * (preemption or interrupts off) does not know.
 */
static void flush_cpu_slab_work(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = raw_cpu_ptr(PT(flush_cpu_slab, cpu_ptr), s->cpu_slab);
	if (has_cpu_slab(PT(flush_cpu_slab, cpu), s, c))
		flush_slab_local_lock(s, c);
	unfreeze_partials_local_lock(s);
}

/* 3.18 .. 5.14: flush_all's IPI handler (on_each_cpu_cond), interrupts off. */
void flush_cpu_slab(void *arg)
{
	struct kmem_cache *s = arg;
	if (slow_path_local_lock(s)) {
		flush_cpu_slab_work(s);
		return;
	}
	unsigned long flags = local_irq_save(PT(flush_cpu_slab, irq_save));
	struct kmem_cache_cpu *c = this_cpu_ptr(PT(flush_cpu_slab, cpu_ptr), s->cpu_slab);
	if (has_cpu_slab(PT(flush_cpu_slab, cpu), s, c))
		flush_slab(s, c);
	unfreeze_partials(s, c);
	local_irq_restore(PT(flush_cpu_slab, irq_restore), flags);
}
