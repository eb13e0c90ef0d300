/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slub_cache.c - cache lifetime: kmem_cache_create (object layout, slab
 * order as calculate_order computes it, tunables), kmem_cache_shrink,
 * kmem_cache_destroy, the list of caches and the SLUB_STATS counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub_internal.h"

struct kmem_cache *slab_caches;

static const char *const stat_names[NR_SLUB_STAT_ITEMS] = {
	"ALLOC_FASTPATH",      "ALLOC_SLOWPATH",      "FREE_FASTPATH",
	"FREE_SLOWPATH",       "FREE_FROZEN",	      "FREE_ADD_PARTIAL",
	"FREE_REMOVE_PARTIAL", "ALLOC_FROM_PARTIAL",  "ALLOC_SLAB",
	"ALLOC_REFILL",	       "ALLOC_NODE_MISMATCH", "FREE_SLAB",
	"CPUSLAB_FLUSH",       "DEACTIVATE_FULL",     "DEACTIVATE_EMPTY",
	"DEACTIVATE_TO_HEAD",  "DEACTIVATE_TO_TAIL",  "DEACTIVATE_REMOTE_FREES",
	"DEACTIVATE_BYPASS",   "ORDER_FALLBACK",      "CMPXCHG_DOUBLE_CPU_FAIL",
	"CMPXCHG_DOUBLE_FAIL", "CPU_PARTIAL_ALLOC",   "CPU_PARTIAL_FREE",
	"CPU_PARTIAL_NODE",    "CPU_PARTIAL_DRAIN",
};

const char *slab_stat_name(enum stat_item si)
{
	return si < NR_SLUB_STAT_ITEMS ? stat_names[si] : "?";
}

unsigned slab_stat_cpu(struct kmem_cache *s, enum stat_item si, unsigned cpu)
{
	struct kmem_cache_stats *st = slab_per_cpu_ptr(s->cpu_stats, cpu);
	return st->count[si];
}

unsigned long slab_stat_sum(struct kmem_cache *s, enum stat_item si)
{
	unsigned long sum = 0;
	for (unsigned cpu = 0; cpu < nr_cpu_ids(); cpu++)
		sum += slab_stat_cpu(s, si, cpu);
	return sum;
}

void slab_stat_add_sums(struct kmem_cache *s, unsigned long *sums)
{
	for (unsigned cpu = 0; cpu < nr_cpu_ids(); cpu++) {
		const struct kmem_cache_stats *st = slab_per_cpu_ptr(s->cpu_stats, cpu);
		for (unsigned si = 0; si < NR_SLUB_STAT_ITEMS; si++)
			sums[si] += st->count[si];
	}
}

void slab_stat_reset(struct kmem_cache *s)
{
	for (unsigned cpu = 0; cpu < nr_cpu_ids(); cpu++)
		memset(slab_per_cpu_ptr(s->cpu_stats, cpu), 0, sizeof(struct kmem_cache_stats));
}

/* ---------------------------------------------------------------------- */
/* Slab order                                                              */

static int fls_u(unsigned long x)
{
	return x ? (int)(sizeof(x) * 8) - __builtin_clzl(x) : 0;
}

static unsigned order_objects(int order, unsigned long size, int reserved)
{
	return (unsigned)(((PAGE_SIZE << order) - (unsigned long)reserved) / size);
}

static struct kmem_cache_order_objects oo_make(int order, unsigned long size, int reserved)
{
	struct kmem_cache_order_objects x = { ((unsigned long)order << 16) +
					      order_objects(order, size, reserved) };
	return x;
}

/*
 * The smallest order, from the one that could hold min_objects, whose slab
 * holds them with at most slab_size / fract_leftover bytes left over.
 */
static int slab_order(unsigned long size, unsigned min_objects, int max_order,
		      unsigned fract_leftover, int reserved)
{
	int order;

	if (order_objects(0, size, reserved) > MAX_OBJS_PER_PAGE)
		return get_order(size * MAX_OBJS_PER_PAGE) - 1;

	for (order = fls_u(min_objects * size - 1) - PAGE_SHIFT; order <= max_order; order++) {
		if (order < 0)
			order = 0;
		unsigned long slab_size = PAGE_SIZE << order;
		if (slab_size < min_objects * size + (unsigned long)reserved)
			continue;
		unsigned long rem = (slab_size - (unsigned long)reserved) % size;
		if (rem <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/*
 * calculate_order: min_objects = 4 * (fls(nr_cpu_ids) + 1), so the order of
 * a cache depends on the machine's CPU count; capped by what fits at
 * slub_max_order; leftover tolerated 1/16, then 1/8, then 1/4 of the slab;
 * then one object fewer, and so on.
 */
static int calculate_order(unsigned long size, int reserved)
{
	unsigned min_objects = 4 * (unsigned)(fls_u(nr_cpu_ids()) + 1);
	unsigned max_objects = order_objects(SLUB_MAX_ORDER, size, reserved);
	int order;

	if (min_objects > max_objects)
		min_objects = max_objects;
	while (min_objects > 1) {
		for (unsigned fraction = 16; fraction >= 4; fraction /= 2) {
			order = slab_order(size, min_objects, SLUB_MAX_ORDER, fraction, reserved);
			if (order <= SLUB_MAX_ORDER)
				return order;
		}
		min_objects--;
	}
	order = slab_order(size, 1, SLUB_MAX_ORDER, 1, reserved);
	if (order <= SLUB_MAX_ORDER)
		return order;
	order = slab_order(size, 1, MAX_ORDER, 1, reserved);
	if (order < MAX_ORDER)
		return order;
	return -1;
}

static int ilog2_u(unsigned long x)
{
	return fls_u(x) - 1;
}

static unsigned long align_up(unsigned long x, unsigned long a)
{
	return (x + a - 1) & ~(a - 1);
}

static bool calculate_sizes(struct kmem_cache *s)
{
	/* The free pointer sits at offset 0 (no constructor, no poisoning). */
	unsigned long size = align_up((unsigned long)s->object_size, sizeof(void *));
	s->offset = 0;
	size = align_up(size, (unsigned long)s->align);
	s->size = (int)size;
	int order = calculate_order(size, s->reserved);
	if (order < 0)
		return false;
	s->oo = oo_make(order, size, s->reserved);
	s->min = oo_make(get_order(size), size, s->reserved);
	s->max = oo_objects(s->oo) > oo_objects(s->min) ? s->oo : s->min;
	return oo_objects(s->oo) != 0;
}

/*
 * min_partial from the object size; cpu_partial, the per-CPU partial
 * list's limit in objects, by size class: 3.18's values, or from 5.16 on
 * (design->cpu_partial_slabs) four times as many (twice from a page up),
 * kept as a limit in slabs: the slabs that many objects fill when each is
 * half full (slub_set_cpu_partial).
 */
static void set_tunables(struct kmem_cache *s)
{
	static const int limit[2][4] = { { 2, 6, 13, 30 }, { 6, 24, 52, 120 } };
	const int *l = limit[s->design->cpu_partial_slabs];
	long mp = ilog2_u((unsigned long)s->size) / 2;
	s->min_partial = (unsigned long)(mp < 5 ? 5 : mp > 10 ? 10 : mp);
	if (!kmem_cache_has_cpu_partial(s))
		s->cpu_partial = 0;
	else if (s->size >= (int)PAGE_SIZE)
		s->cpu_partial = l[0];
	else if (s->size >= 1024)
		s->cpu_partial = l[1];
	else if (s->size >= 256)
		s->cpu_partial = l[2];
	else
		s->cpu_partial = l[3];
	unsigned objects = oo_objects(s->oo);
	s->cpu_partial_slabs = ((unsigned)s->cpu_partial * 2 + objects - 1) / objects;
}

static unsigned long roundup_pow_of_two(unsigned long x)
{
	unsigned long r = 1;
	while (r < x)
		r <<= 1;
	return r;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     const struct slab_design *design,
				     const struct slab_options *opt)
{
	if (!slab_world_ready() || !design || slab_design_check(design) || size == 0 ||
	    size > KMALLOC_MAX_SIZE || (align & (align - 1)))
		return NULL;
	struct kmem_cache *s = slab_boot_alloc(sizeof(*s), 64);
	if (!s)
		return NULL;
	size_t len = strnlen(name, sizeof(s->name) - 1);
	memcpy(s->name, name, len);
	s->name[len] = '\0';
	s->design = design;
	s->object_size = (int)size;
	s->align = (int)(align < sizeof(void *) ? sizeof(void *) : align);
	s->flags = (opt && !opt->cpu_partial) ? SLAB_NO_CPU_PARTIAL : 0;
	s->tid_step = (unsigned)roundup_pow_of_two(nr_cpu_ids());
	if (!calculate_sizes(s))
		return NULL;
	set_tunables(s);

	s->cpu_slab = slab_percpu_alloc(sizeof(struct kmem_cache_cpu), 2 * sizeof(void *));
	s->cpu_stats = slab_percpu_alloc(sizeof(struct kmem_cache_stats), 8);
	if (!s->cpu_slab || !s->cpu_stats)
		return NULL;
	for (unsigned cpu = 0; cpu < nr_cpu_ids(); cpu++) {
		struct kmem_cache_cpu *c = slab_per_cpu_ptr(s->cpu_slab, cpu);
		memset(c, 0, sizeof(*c));
		c->tid = init_tid(cpu);
		memset(slab_per_cpu_ptr(s->cpu_stats, cpu), 0, sizeof(struct kmem_cache_stats));
	}
	for (unsigned node = 0; node < nr_node_ids(); node++) {
		struct kmem_cache_node *n = slab_boot_alloc(sizeof(*n), 64);
		if (!n)
			return NULL;
		n->partial.next = n->partial.prev = &n->partial;
		s->node[node] = n;
	}
	/* Append, so that listings follow creation order. */
	struct kmem_cache **pp = &slab_caches;
	while (*pp)
		pp = &(*pp)->next_cache;
	*pp = s;
	return s;
}

struct kmem_cache *slab_cache_first(void)
{
	return slab_caches;
}

struct kmem_cache *slab_cache_next(struct kmem_cache *s)
{
	return s->next_cache;
}

/* ---------------------------------------------------------------------- */
/* Shrink and destroy                                                      */

struct shrink_entry {
	struct page *page;
	unsigned inuse;
	unsigned long pos; /* list position: qsort is not stable */
};

static int cmp_inuse_desc(const void *a, const void *b)
{
	const struct shrink_entry *x = a, *y = b;
	if (x->inuse != y->inuse)
		return x->inuse > y->inuse ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * Free every empty slab on the node's partial list and sort the rest by
 * objects in use, fullest first, so that allocations fill them first.
 */
static void shrink_node(struct kmem_cache *s, struct kmem_cache_node *n)
{
	enum slab_point pt = PT(kmem_cache_shrink, walk);
	if (!READ_ONCE(pt, n->nr_partial))
		return;
	unsigned long flags = local_irq_save(PT(kmem_cache_shrink, irq_save));
	spin_lock(PT(kmem_cache_shrink, list_lock), &n->list_lock);
	unsigned long nr = READ_ONCE(pt, n->nr_partial);
	struct shrink_entry *v = malloc(nr * sizeof(*v));
	unsigned long count = 0;
	struct list_head *e = READ_ONCE(pt, n->partial.next);
	while (v && e != &n->partial && count < nr) {
		struct page *page = (struct page *)((char *)e - offsetof(struct page, lru));
		e = READ_ONCE(pt, e->next);
		v[count].page = page;
		v[count].inuse = counters_inuse(READ_ONCE(pt, page->counters));
		v[count].pos = count;
		count++;
	}
	struct page *discard = NULL;
	if (v) {
		qsort(v, count, sizeof(*v), cmp_inuse_desc);
		WRITE_ONCE(pt, n->partial.next, &n->partial);
		WRITE_ONCE(pt, n->partial.prev, &n->partial);
		WRITE_ONCE(pt, n->nr_partial, 0);
		for (unsigned long i = 0; i < count; i++) {
			if (!v[i].inuse) {
				WRITE_ONCE(pt, v[i].page->next, discard);
				discard = v[i].page;
			} else {
				add_partial(n, v[i].page, DEACTIVATE_TO_TAIL);
			}
		}
	}
	spin_unlock(PT(kmem_cache_shrink, list_unlock), &n->list_lock);
	local_irq_restore(PT(kmem_cache_shrink, irq_restore), flags);
	free(v);
	while (discard) {
		struct page *page = discard;
		discard = READ_ONCE(pt, page->next);
		discard_slab(s, page);
	}
}

void kmem_cache_flush_this_cpu(struct kmem_cache *s)
{
	flush_cpu_slab(s);
}

void kmem_cache_shrink(struct kmem_cache *s)
{
	on_each_cpu(flush_cpu_slab, s);
	for (unsigned node = 0; node < nr_node_ids(); node++)
		shrink_node(s, get_node(s, (int)node));
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	kmem_cache_shrink(s);
	for (unsigned node = 0; node < nr_node_ids(); node++)
		if (get_node(s, (int)node)->nr_slabs)
			return -1;
	struct kmem_cache **pp = &slab_caches;
	while (*pp && *pp != s)
		pp = &(*pp)->next_cache;
	if (*pp)
		*pp = s->next_cache;
	return 0;
}
