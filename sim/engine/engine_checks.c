/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine_checks.c - nothing lost, nothing handed out twice.
 *
 * A shadow record of every object the workloads hold: allocated or free,
 * by which task, at which event.  Every allocator return is checked
 * against it (an object handed out twice, an object outside its cache's
 * slabs or misaligned, a node-specific allocation from the wrong node), and
 * every free too (a free of a free object or of a pointer never handed out
 * is the workload's bug, reported as such, and not passed on).
 *
 * Two heavier checks:
 *  - at quiescence (no task inside an allocator call), every
 *    validate_every points: the validator's full slab walk, and each
 *    slab's inuse against the shadow's count of its allocated objects;
 *  - the freelist invariants, which hold at every point of a correct run
 *    (so that bisect can run them after every event): no allocated object
 *    on any freelist, and every freelist made of its own slab's objects.
 */
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "kernel_machine.h"
#include "kslab.h"
#include "page_alloc.h"
#include "slab.h"
#include "slab_inspect.h"
#include "slab_world.h"

/* Shadow values: bit 63 set (never NULL), bit 62 allocated, task, event. */
#define SH_PRESENT (1ULL << 63)
#define SH_ALLOCATED (1ULL << 62)
#define SH_TASK_SHIFT 40
#define SH_TASK_MASK 0x3fffffULL
#define SH_EVENT_MASK ((1ULL << SH_TASK_SHIFT) - 1)

static uint64_t sh_make(bool allocated, unsigned task, uint64_t event)
{
	return SH_PRESENT | (allocated ? SH_ALLOCATED : 0) |
	       (((uint64_t)task & SH_TASK_MASK) << SH_TASK_SHIFT) | (event & SH_EVENT_MASK);
}

static unsigned sh_task(uint64_t v)
{
	return (unsigned)((v >> SH_TASK_SHIFT) & SH_TASK_MASK);
}

static uint64_t sh_event(uint64_t v)
{
	return v & SH_EVENT_MASK;
}

static uint64_t sh_get(struct sim_engine *e, uint64_t off)
{
	return sim_shadow_map_get(&e->shadow, off);
}

static void sh_set(struct sim_engine *e, uint64_t off, uint64_t v)
{
	sim_shadow_map_set(&e->shadow, off, v);
}

static const char *task_name(struct sim_engine *e, unsigned id)
{
	return id < sim_task_slots(e) && e->tasks[id] ? e->tasks[id]->name : "?";
}

/* The shadow's part of an allocation: the object must not be out already. */
static void shadow_alloc(struct sim_engine *e, struct sim_task *t, uint64_t off)
{
	uint64_t v = sh_get(e, off);
	if (v & SH_ALLOCATED) {
		sim_violation(e, t, "double-allocation", false,
			      "object %#llx handed out twice: to %s at event %llu, and now to %s "
			      "(event %llu) without a free in between",
			      (unsigned long long)off, task_name(e, sh_task(v)),
			      (unsigned long long)sh_event(v), t->name,
			      (unsigned long long)e->report->points);
		return;
	}
	sh_set(e, off, sh_make(true, t->id, e->report->points));
}

/* node_has_partial's walk: a free object of a slab on node's partial list of cache. */
struct node_partial_find {
	const struct kslab_kernel *k;
	const char *cache;
	int node;
	bool found;
};

static int find_node_partial(void *arg, const char *cache, const char *where, const void *obj)
{
	struct node_partial_find *f = arg;
	if (strcmp(where, "node partial slab") || strcmp(cache, f->cache) ||
	    f->k->slab_node(obj) != f->node)
		return 0;
	f->found = true;
	return 1; /* stops the walk */
}

static void ignore_problem(void *arg, const char *cache, const char *where, const char *what,
			   const void *addr)
{
}

/*
 * Whether node's partial list of cache s holds a slab (every one there
 * has a free object), as the walk reads it: no CPU's state is read (a
 * call may be in flight on another CPU), and a list whose lock is held
 * is not read (then: no).
 */
static bool node_has_partial(const struct kslab_kernel *k, const struct kslab_cache *s, int node)
{
	struct node_partial_find f = { k, k->cache_name(s), node, false };
	struct kslab_walk w = { .problem = ignore_problem,
				.free_object = find_node_partial,
				.arg = &f,
				.skip_cpus = ~0ULL };
	k->walk(&w);
	return f.found;
}

/*
 * The same checks for a kernel's own slub.c (kernel_machine.c), through
 * its own view of its slabs (kslab_locate, kslab_cpu_slab): its addresses
 * are its own fixed ones (the world is not set up, so the offset is the
 * address).
 */
static bool kernel_check_alloc(struct sim_engine *e, struct sim_task *t, const void *p, size_t size,
			       int node)
{
	const struct kslab_kernel *k = e->kernel;
	unsigned long long off = (uintptr_t)p;
	struct kslab_object o;
	k->locate(p, &o);
	if (o.place == KSLAB_NOWHERE) {
		sim_violation(e, t, "outside-slab", false,
			      "kmalloc(%zu) returned %#llx, outside the page arena", size, off);
		return false;
	}
	const struct kslab_cache *s = k->kmalloc_cache(size);
	if (!s) {
		if (o.place != KSLAB_IN_PAGES || p != o.base) {
			sim_violation(e, t, "outside-slab", false,
				      "kmalloc(%zu) returned %#llx, not the start of a page block",
				      size, off);
			return false;
		}
		return true;
	}
	if (o.place != KSLAB_IN_SLAB || o.cache != s || o.offset || o.index >= o.objects) {
		sim_violation(e, t, "outside-slab", false,
			      "kmalloc(%zu) returned %#llx, not an object of a %s slab "
			      "(misaligned, or in another cache's slab)",
			      size, off, k->cache_name(s));
		return false;
	}
	/*
	 * wrong-node.  A cpu slab of another node than the one named is
	 * deactivated (node_match), and cpu partial slabs of another node go
	 * back to their node's list, so kmalloc_node(size, node) hands out an
	 * object of another node only:
	 *  (a) when node has no kmem_cache_node (not in slab_nodes): then
	 *      slab_alloc_node and ___slab_alloc take any node (the query
	 *      answers 0 free blocks for such a node);
	 *  (b) when node's partial list held no slab, and then
	 *      - new_slab's page allocation for node fell back along the
	 *        zonelist, which it does only when node had no free block of
	 *        the slab's order, nor of any higher one, or
	 *      - (6.12) after new_slab with __GFP_THISNODE failed on node
	 *        (try_thisnode: no such block either), get_partial's
	 *        get_any_partial took another node's partial slab.
	 * When no other task made a point anywhere since the call began (no
	 * decision, no interrupt, nothing on another CPU: sim_kernel_call_alone),
	 * nothing put a slab on node's partial list nor freed pages on node
	 * since, so after either fallback node has no partial slab of the
	 * cache, or no free block of the highest order.  Both there: the kernel
	 * took another node's object when node had its own, a bug.  The check
	 * comes before foreign-object, which such an object (not of the cpu
	 * slab, of node) also fails: it names what is wrong.
	 */
	bool undisturbed = sim_kernel_call_undisturbed(e, t);
	int got = k->slab_node(p);
	if (node != NUMA_NO_NODE && got != node && sim_kernel_call_alone(e, t) &&
	    k->node_top_blocks(node) && node_has_partial(k, s, node)) {
		sim_violation(e, t, "wrong-node", false,
			      "kmalloc_node(%zu, %d) returned %#llx on node %d while node %d "
			      "has free memory",
			      size, node, off, got, node);
		return false;
	}
	/* As below, when nothing else ran on the CPU since the call began. */
	const void *cpu_slab = k->cpu_slab(s, t->cpu->id);
	if (cpu_slab != o.base && undisturbed) {
		sim_violation(e, t, "foreign-object", false,
			      "kmalloc(%zu) on cpu %u returned %#llx of slab @%#llx, but the cpu "
			      "slab is @%#llx: the object was on a freelist it does not belong to",
			      size, t->cpu->id, off, (unsigned long long)(uintptr_t)o.base,
			      (unsigned long long)(uintptr_t)cpu_slab);
		return false;
	}
	return true;
}

void sim_check_alloc(struct sim_engine *e, struct sim_task *t, void *p, size_t size, int node)
{
	uint64_t off = slab_world_offset(p);
	if (e->kernel) {
		if (kernel_check_alloc(e, t, p, size, node))
			shadow_alloc(e, t, off);
		return;
	}
	if (!slab_world_in_arena(p)) {
		sim_violation(e, t, "outside-slab", false,
			      "kmalloc(%zu) returned %#llx, outside the page arena", size,
			      (unsigned long long)off);
		return;
	}
	struct page *head = slab_object_slab(p);
	char *base = slab_world_page_address(head);
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		if ((char *)p != base || (head->flags & PG_slab))
			sim_violation(e, t, "outside-slab", false,
				      "kmalloc(%zu) returned %#llx, not the start of a page block",
				      size, (unsigned long long)off);
	} else {
		struct kmem_cache *s = kmalloc_slab(size);
		long d = (char *)p - base;
		if (!(head->flags & PG_slab) || head->slab_cache != s || d % s->size ||
		    d / s->size >= (long)counters_objects(head->counters)) {
			sim_violation(e, t, "outside-slab", false,
				      "kmalloc(%zu) returned %#llx, not an object of a %s slab "
				      "(misaligned, or in another cache's slab)",
				      size, (unsigned long long)off, s->name);
			return;
		}
		/*
		 * Whatever path it took, an allocation hands out an object of
		 * the cpu slab it leaves behind on this CPU: the only point
		 * between its commit and its return is the slow path's
		 * closing local_irq_restore.  An object of any other slab came
		 * off a freelist it did not belong on.  When an action took
		 * place at that last point (an interrupt taken as interrupts
		 * came back on, a preemption or migration there), the cpu
		 * slab may have changed since the commit, or the task moved:
		 * then only the other checks hold.
		 */
		struct slab_cpu_view cv;
		slab_cpu_inspect(s, t->cpu->id, &cv);
		struct page *cpu_slab = cv.slab;
		if (cpu_slab != head && !t->acted_after_effect) {
			sim_violation(
			    e, t, "foreign-object", false,
			    "kmalloc(%zu) on cpu %u returned %#llx of slab @%#llx, but the cpu "
			    "slab is @%#llx: the object was on a freelist it does not belong to",
			    size, t->cpu->id, (unsigned long long)off,
			    (unsigned long long)slab_world_offset(base),
			    cpu_slab ? (unsigned long long)slab_world_offset(
					   slab_world_page_address(cpu_slab))
				     : 0ULL);
			return;
		}
		if (node != NUMA_NO_NODE && page_to_nid(head) != node &&
		    page_alloc_free_pages(node) >= (1UL << (MAX_ORDER - 1))) {
			sim_violation(
			    e, t, "wrong-node", false,
			    "kmalloc_node(%zu, %d) returned %#llx on node %d while node %d "
			    "has free memory",
			    size, node, (unsigned long long)off, page_to_nid(head), node);
			return;
		}
	}
	shadow_alloc(e, t, off);
}

bool sim_check_free(struct sim_engine *e, struct sim_task *t, const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return true;
	uint64_t off = e->kernel || slab_world_in_arena(p) ? slab_world_offset(p) : UINT64_MAX;
	uint64_t v = off == UINT64_MAX ? 0 : sh_get(e, off);
	if (v & SH_ALLOCATED) {
		sh_set(e, off, sh_make(false, t->id, e->report->points));
		return true;
	}
	if (v)
		sim_violation(e, t, "workload-double-free", true,
			      "double free: %s frees %#llx, already freed by %s at event %llu",
			      t->name, (unsigned long long)off, task_name(e, sh_task(v)),
			      (unsigned long long)sh_event(v));
	else
		sim_violation(e, t, "workload-wild-free", true,
			      "free of a wild pointer: %s frees %s%#llx, which the allocator never "
			      "handed out",
			      t->name, off == UINT64_MAX ? "a host address " : "",
			      (unsigned long long)(off == UINT64_MAX ? (uintptr_t)p : off));
	return false;
}

/* ---------------------------------------------------------------------- */
/* Freelist invariants                                                     */

/*
 * Walk one chain; every object must lie in slab (when slab is not NULL,
 * else in the first object's slab) and be free in the shadow.  Returns the
 * number of objects, or -1 after a violation.
 */
static long check_chain(struct sim_engine *e, struct kmem_cache *s, struct page *slab, void *p,
			const char *what)
{
	long n = 0;
	for (p = slab_freelist_object(p); p; p = slab_freelist_next(s, p)) {
		if (!slab_world_in_arena(p)) {
			sim_violation(e, NULL, "corrupt-freelist", false,
				      "%s: %s holds %#lx, outside the arena", s->name, what,
				      (unsigned long)(uintptr_t)p);
			return -1;
		}
		struct page *h = slab_object_slab(p);
		if (!slab)
			slab = h;
		if (h != slab) {
			sim_violation(
			    e, NULL, "corrupt-freelist", false,
			    "%s: %s mixes slabs: object %#llx of slab @%#llx on the list of "
			    "slab @%#llx",
			    s->name, what, (unsigned long long)slab_world_offset(p),
			    (unsigned long long)slab_world_offset(slab_world_page_address(h)),
			    (unsigned long long)slab_world_offset(slab_world_page_address(slab)));
			return -1;
		}
		uint64_t v = sh_get(e, slab_world_offset(p));
		if (v & SH_ALLOCATED) {
			sim_violation(
			    e, NULL, "allocated-on-freelist", false,
			    "%s: %s holds object %#llx, which %s holds (allocated at event "
			    "%llu)",
			    s->name, what, (unsigned long long)slab_world_offset(p),
			    task_name(e, sh_task(v)), (unsigned long long)sh_event(v));
			return -1;
		}
		if (++n > MAX_OBJS_PER_PAGE) {
			sim_violation(e, NULL, "corrupt-freelist", false, "%s: %s is cyclic",
				      s->name, what);
			return -1;
		}
	}
	return n;
}

/* ---------------------------------------------------------------------- */
/* A kernel design's slabs, through its own walk (kslab.h)                  */

struct kernel_walk {
	struct sim_engine *e;
	GString *text; /* the problems, at most four (end: eight, a line each) */
	unsigned shown;
	bool allocated; /* an allocated object on a freelist: reported, walk stopped */
	bool end;	/* the end-of-run check: problems only, no violation */
	unsigned held;	/* end: objects on freelists the shadow record has allocated */
};

static void kernel_problem(void *arg, const char *cache, const char *where, const char *what,
			   const void *addr)
{
	struct kernel_walk *kw = arg;
	if (kw->shown++ < (kw->end ? 8u : 4u))
		g_string_append_printf(
		    kw->text, kw->end ? "  %s: %s: %s (%#llx)\n" : "\n  %s: %s: %s (%#llx)", cache,
		    where, what, (unsigned long long)(uintptr_t)addr);
}

static int kernel_free_object(void *arg, const char *cache, const char *where, const void *obj)
{
	struct kernel_walk *kw = arg;
	struct sim_engine *e = kw->e;
	uint64_t v = sh_get(e, slab_world_offset(obj));
	if (!(v & SH_ALLOCATED))
		return 0;
	if (kw->end) {
		kw->held++;
		kernel_problem(arg, cache, where, "an object the shadow record has allocated", obj);
		return 0;
	}
	sim_violation(e, NULL, "allocated-on-freelist", false,
		      "%s: %s holds object %#llx, which %s holds (allocated at event %llu)", cache,
		      where, (unsigned long long)slab_world_offset(obj), task_name(e, sh_task(v)),
		      (unsigned long long)sh_event(v));
	kw->allocated = true;
	return 1;
}

/*
 * The kernel's walk: CPUs whose current context has interrupts off are
 * skipped, as in the port's check (a slow path between its stores to
 * c->slab and c->freelist).  Returns the problems; a violation is reported
 * (corrupt-freelist, or the validator's kind when quiescent) unless an
 * allocated object on a freelist already was.
 */
static unsigned kernel_walk(struct sim_engine *e, struct sim_task *t, bool quiescent)
{
	struct kernel_walk kw = { e, g_string_new(NULL), 0, false, false, 0 };
	struct kslab_walk w = { kernel_problem, kernel_free_object, &kw, 0, quiescent };
	for (unsigned cpu = 0; cpu < e->nr_cpus && cpu < 64; cpu++) {
		const struct sim_task *on = e->cpus[cpu].current;
		if (on && on->irqs_off)
			w.skip_cpus |= 1ULL << cpu;
	}
	unsigned problems = e->kernel->walk(&w);
	if (problems && !kw.allocated)
		sim_violation(e, t, quiescent ? "validator" : "corrupt-freelist", false,
			      "%s: %u problems at event %llu:%s",
			      quiescent ? "validator" : "freelists", problems,
			      (unsigned long long)e->report->points, kw.text->str);
	g_string_free(kw.text, TRUE);
	return problems + kw.allocated;
}

unsigned sim_check_kernel_slabs(struct sim_engine *e, GString *text)
{
	struct kernel_walk kw = { e, text, 0, false, true, 0 };
	struct kslab_walk w = { kernel_problem, kernel_free_object, &kw, 0, true };
	unsigned problems = e->kernel->walk(&w);
	return problems + kw.held;
}

bool sim_check_freelists(struct sim_engine *e)
{
	if (e->kernel)
		return kernel_walk(e, NULL, false) == 0;
	char what[48];
	for (struct kmem_cache *s = slab_cache_first(); s; s = slab_cache_next(s)) {
		for (unsigned cpu = 0; cpu < e->nr_cpus; cpu++) {
			/*
			 * With interrupts off on a CPU, its slow path may be
			 * between its stores to c->page and c->freelist, and
			 * nothing else can look at them (no preemption, no
			 * interrupt there; no other CPU reads them): they are
			 * checked again at its first point with interrupts on.
			 */
			const struct sim_task *on = e->cpus[cpu].current;
			if (on && on->irqs_off)
				continue;
			struct slab_cpu_view cv;
			slab_cpu_inspect(s, cpu, &cv);
			/*
			 * An end-token design's cpu slab is the first object's:
			 * check_chain derives it, and reports a freelist outside
			 * the arena as such.
			 */
			struct page *slab = cv.slab_from_freelist ? NULL : cv.slab;
			snprintf(what, sizeof(what), "cpu %u freelist", cpu);
			if (!cv.slab_from_freelist && !slab && cv.freelist) {
				sim_violation(e, NULL, "corrupt-freelist", false,
					      "%s: cpu %u has a freelist (%#llx) but no cpu slab",
					      s->name, cpu,
					      (unsigned long long)slab_world_offset(cv.freelist));
				return false;
			}
			if (check_chain(e, s, slab, cv.freelist, what) < 0)
				return false;
		}
	}
	for_each_used_pfn(node, pfn)
	{
		struct page *page = &slab_world.pages[pfn];
		if (!(page->flags & PG_slab))
			continue;
		snprintf(what, sizeof(what), "page->freelist of slab @%#llx",
			 (unsigned long long)slab_world_offset(slab_world_page_address(page)));
		if (check_chain(e, page->slab_cache, page, page->freelist, what) < 0)
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* At quiescence                                                           */

struct count_ctx {
	unsigned *allocated; /* per pfn of a slab head */
};

static void count_allocated(uint64_t key, uint64_t v, void *arg)
{
	struct count_ctx *cc = arg;
	if (!(v & SH_ALLOCATED))
		return;
	char *p = slab_world.base + key;
	struct page *h = slab_object_slab(p);
	if (h->flags & PG_slab)
		cc->allocated[page_to_pfn(h)]++;
}

static unsigned chain_length(struct kmem_cache *s, void *p)
{
	unsigned n = 0;
	for (p = slab_freelist_object(p); p && n <= MAX_OBJS_PER_PAGE; p = slab_freelist_next(s, p))
		n++;
	return n;
}

struct first_problem {
	GString *text;
	unsigned n;
};

static void note_problem(void *arg, const char *msg)
{
	struct first_problem *fp = arg;
	if (fp->n++ < 4)
		g_string_append_printf(fp->text, "\n  %s", msg);
}

void sim_check_quiescent(struct sim_engine *e, struct sim_task *t)
{
	if (e->kernel) {
		kernel_walk(e, t, true);
		return;
	}
	struct first_problem fp = { g_string_new(NULL), 0 };
	unsigned problems = slab_validate(note_problem, &fp);
	if (problems) {
		sim_violation(e, t, "validator", false, "validator: %u problems at event %llu:%s",
			      problems, (unsigned long long)e->report->points, fp.text->str);
		g_string_free(fp.text, TRUE);
		return;
	}
	g_string_free(fp.text, TRUE);
	if (!sim_check_freelists(e))
		return;
	/* Each slab's inuse against the objects the shadow says are out. */
	struct count_ctx cc = { g_new0(unsigned, slab_world.nr_pages) };
	sim_shadow_map_foreach(&e->shadow, count_allocated, &cc);
	for_each_used_pfn(node, pfn)
	{
		struct page *page = &slab_world.pages[pfn];
		if (e->stop || !(page->flags & PG_slab))
			continue;
		struct kmem_cache *s = page->slab_cache;
		unsigned on_cpu = 0;
		for (unsigned cpu = 0; cpu < e->nr_cpus; cpu++) {
			struct slab_cpu_view cv;
			slab_cpu_inspect(s, cpu, &cv);
			void *first = slab_freelist_object(cv.freelist);
			if (first && slab_object_slab(first) == page)
				on_cpu += chain_length(s, first);
		}
		unsigned in_use = counters_inuse(page->counters) - on_cpu;
		if (in_use != cc.allocated[pfn])
			sim_violation(
			    e, t, "inuse-mismatch", false,
			    "%s: slab @%#llx: inuse says %u objects are allocated, the shadow "
			    "record has %u",
			    s->name,
			    (unsigned long long)slab_world_offset(slab_world_page_address(page)),
			    in_use, cc.allocated[pfn]);
	}
	g_free(cc.allocated);
}
