/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine_services.c - what workloads call besides the allocator: their
 * clock, the allocator calls themselves (charged as calls, bounded against
 * livelock), stores into objects, barriers and queues between tasks, and
 * their results.
 *
 * Every service first waits until its task's CPU is the earliest, like a
 * point does, so that services happen in time order too.
 */
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "slab.h"
#include "kernel_machine.h"
#include "kslab.h"
#include "slab_world.h"

uint64_t sim_task_clock(struct sim_task *t)
{
	sim_yield_until_earliest(sim_eng, t);
	return t->cpu->clock;
}

unsigned sim_task_cpu(struct sim_task *t)
{
	return t->cpu->id;
}

/* A kernel design's CPUs are on its own nodes (kslab.h), the port's on its world's. */
unsigned sim_task_node(struct sim_task *t)
{
	struct sim_engine *e = sim_eng;
	return e->kernel ? e->kernel->cpu_node(t->cpu->id) : cpu_to_node(t->cpu->id);
}

unsigned sim_nr_nodes(struct sim_task *t)
{
	(void)t;
	return sim_eng->sc->nodes;
}

unsigned sim_task_group_index(struct sim_task *t)
{
	return t->group_index;
}

unsigned sim_task_group_size(struct sim_task *t)
{
	return t->group_size;
}

const char *sim_task_group_name(struct sim_task *t)
{
	return t->group;
}

/* Seeded here, not at setup: most runs never draw from most streams (irq contexts). */
struct sim_rng *sim_task_rand(struct sim_task *t)
{
	if (!t->rand_seeded) {
		sim_rng_seed(&t->rand, t->rand_seed);
		t->rand_seeded = true;
	}
	return &t->rand;
}

void *sim_task_alloc(struct sim_task *t, size_t bytes)
{
	if (!t->scratch)
		t->scratch = g_ptr_array_new_with_free_func(g_free);
	void *p = g_malloc0(bytes ? bytes : 1);
	g_ptr_array_add(t->scratch, p);
	return p;
}

/* A barrier or queue op, for the exhaustive search's footprints: it conflicts with every other. */
static void note_sync(struct sim_engine *e, struct sim_task *t, const char *name)
{
	if (e->footprints) /* the hash only when someone keeps it */
		sim_note_access(e, t, SIM_ACCESS_SYNC | g_str_hash(name), 1, true);
}

static void begin_call(struct sim_engine *e, struct sim_task *t)
{
	sim_yield_until_earliest(e, t);
	t->point = SIM_TIMING_NO_POINT;
	if (t->timing)
		sim_timing_begin_call(t->timing);
	sim_charge(e, t, SIM_KIND_CALL, e->cost[SIM_COST_call]);
	t->call_start = t->cpu->clock;
	t->call_deadline = t->call_start + e->sc->livelock_cycles;
	if (t == e->quiet_task) /* only the deadline moved: the rest of sim_quiet_refresh stands */
		e->quiet_clock_end = sim_quiet_clock_end(t);
	t->call_points = t->call_irqs = 0;
	t->call_decisions = e->report->decisions->len;
	t->call_run_points = e->report->points;
	e->in_call++;
}

/* After a call: at quiescence, every validate_every points, the full check. */
static void end_call(struct sim_engine *e, struct sim_task *t)
{
	e->in_call--;
	if (e->sc->validate_every && !e->in_call && !e->stop &&
	    e->report->points - e->last_validate >= e->sc->validate_every) {
		e->last_validate = e->report->points;
		sim_check_quiescent(e, t);
	}
	if (e->stop)
		sim_yield_until_earliest(e, t); /* never returns */
}

/* One allocator call; zero: kzalloc's (__GFP_ZERO), the object zeroed by the allocator. */
static void *alloc_call(struct sim_task *t, size_t size, int node, bool zero)
{
	struct sim_engine *e = sim_eng;
	begin_call(e, t);
	void *p = e->kernel ? sim_kernel_kmalloc_node(e, size, node, zero)
		  : zero    ? kzalloc_node(size, node)
			    : kmalloc_node(size, node);
	if (p && !ZERO_OR_NULL_PTR(p))
		sim_check_alloc(e, t, p, size, node);
	else if (!p)
		e->report->kmalloc_failures++;
	end_call(e, t);
	return p;
}

void *sim_kmalloc_node(struct sim_task *t, size_t size, int node)
{
	return alloc_call(t, size, node, false);
}

void *sim_kzalloc_node(struct sim_task *t, size_t size, int node)
{
	return alloc_call(t, size, node, true);
}

void *sim_kmalloc(struct sim_task *t, size_t size)
{
	return sim_kmalloc_node(t, size, NUMA_NO_NODE);
}

void sim_kfree(struct sim_task *t, void *p)
{
	struct sim_engine *e = sim_eng;
	begin_call(e, t);
	if (sim_check_free(e, t, p)) {
		if (e->kernel)
			sim_kernel_kfree(e, p);
		else
			kfree(p);
	}
	end_call(e, t);
}

/*
 * The IPI's handler flushes the CPU itself; on 5.15's slow path flush_all
 * queues a work item instead, which the CPU's kworker runs (kworker.c).
 */
void sim_flush_this_cpu(struct sim_task *t, size_t size)
{
	struct sim_engine *e = sim_eng;
	if (e->kernel)
		sim_kernel_flush_this_cpu(e, size);
	else if (e->design->slow_path == SLAB_SLOW_LOCAL_LOCK)
		sim_kworker_queue_flush(e, t, size);
	else
		kmem_cache_flush_this_cpu(kmalloc_slab(size));
}

void sim_flush_work(struct sim_task *t, size_t size)
{
	struct sim_engine *e = sim_eng;
	begin_call(e, t);
	kmem_cache_flush_this_cpu(kmalloc_slab(size));
	end_call(e, t);
}

void sim_touch(struct sim_task *t, void *p)
{
	struct sim_engine *e = sim_eng;
	sim_yield_until_earliest(e, t);
	*(volatile char *)p = 0;
	t->point = SIM_TIMING_WORKLOAD;
	struct sim_timing_mem m = { slab_world_offset(p) / 8, 1, false, true };
	sim_charge_mem(e, t, SLAB_PK_STORE, sim_mem_cost(e, t->cpu->id, p, SIM_MEM_STORE), &m);
}

/* ---------------------------------------------------------------------- */

struct sim_barrier {
	unsigned arrived;
	GPtrArray *waiting;
};

void sim_barrier_free(gpointer p)
{
	struct sim_barrier *b = p;
	g_ptr_array_free(b->waiting, TRUE);
	g_free(b);
}

void sim_barrier(struct sim_task *t)
{
	struct sim_engine *e = sim_eng;
	sim_yield_until_earliest(e, t);
	note_sync(e, t, t->group);
	struct sim_barrier *b = g_hash_table_lookup(e->barriers, t->group);
	if (!b) {
		b = g_new0(struct sim_barrier, 1);
		b->waiting = g_ptr_array_new();
		g_hash_table_insert(e->barriers, g_strdup(t->group), b);
	}
	if (++b->arrived < t->group_size) {
		g_ptr_array_add(b->waiting, t);
		sim_block(e, t);
		return;
	}
	/* The last to arrive is the latest: everyone leaves at its time. */
	for (unsigned i = 0; i < b->waiting->len; i++)
		sim_wake(e, g_ptr_array_index(b->waiting, i), t->cpu->clock);
	g_ptr_array_set_size(b->waiting, 0);
	b->arrived = 0;
}

struct sim_queue {
	GQueue items;
	GQueue poppers;	  /* tasks waiting for an item */
	GQueue pushers;	  /* tasks waiting for room */
	const char *name; /* its key in e->queues */
};

void sim_queue_free(gpointer p)
{
	struct sim_queue *q = p;
	g_queue_clear(&q->items);
	g_queue_clear(&q->poppers);
	g_queue_clear(&q->pushers);
	g_free(q);
}

static struct sim_queue *queue_get(struct sim_engine *e, const char *name)
{
	/* A push or pop changes the queue: it conflicts with every other. */
	note_sync(e, e->running, name);
	/*
	 * A workload passes the same few names over and over (race_mix: its
	 * inbox and its outbox): the queues used last, compared by name, before
	 * hashing it.
	 */
	for (unsigned i = 0; i < G_N_ELEMENTS(e->recent); i++) {
		struct sim_queue *q = e->recent[i];
		if (q && !strcmp(q->name, name))
			return q;
	}
	struct sim_queue *q = g_hash_table_lookup(e->queues, name);
	if (!q) {
		q = g_new0(struct sim_queue, 1);
		g_queue_init(&q->items);
		g_queue_init(&q->poppers);
		g_queue_init(&q->pushers);
		q->name = g_strdup(name);
		g_hash_table_insert(e->queues, (char *)q->name, q);
	}
	memmove(&e->recent[1], &e->recent[0], sizeof(e->recent) - sizeof(e->recent[0]));
	e->recent[0] = q;
	return q;
}

void sim_queue_push(struct sim_task *t, const char *name, void *p, unsigned capacity)
{
	struct sim_engine *e = sim_eng;
	sim_yield_until_earliest(e, t);
	struct sim_queue *q = queue_get(e, name);
	while (q->items.length >= capacity) {
		g_queue_push_tail(&q->pushers, t);
		sim_block(e, t);
	}
	g_queue_push_tail(&q->items, p);
	struct sim_task *w = g_queue_pop_head(&q->poppers);
	if (w)
		sim_wake(e, w, t->cpu->clock);
}

void *sim_queue_pop(struct sim_task *t, const char *name)
{
	struct sim_engine *e = sim_eng;
	sim_yield_until_earliest(e, t);
	struct sim_queue *q = queue_get(e, name);
	while (!q->items.length) {
		g_queue_push_tail(&q->poppers, t);
		sim_block(e, t);
	}
	void *p = g_queue_pop_head(&q->items);
	struct sim_task *w = g_queue_pop_head(&q->pushers);
	if (w)
		sim_wake(e, w, t->cpu->clock);
	return p;
}

void *sim_queue_try_pop(struct sim_task *t, const char *name)
{
	struct sim_engine *e = sim_eng;
	sim_yield_until_earliest(e, t);
	struct sim_queue *q = queue_get(e, name);
	void *p = g_queue_pop_head(&q->items);
	if (p) {
		struct sim_task *w = g_queue_pop_head(&q->pushers);
		if (w)
			sim_wake(e, w, t->cpu->clock);
	}
	return p;
}

/* ---------------------------------------------------------------------- */

void sim_task_printf(struct sim_task *t, const char *fmt, ...)
{
	if (!t->report) /* interrupt contexts report nothing */
		return;
	va_list ap;
	va_start(ap, fmt);
	g_string_append_vprintf(t->report->output, fmt, ap);
	va_end(ap);
}

void sim_task_metric(struct sim_task *t, const char *name, uint64_t cycles, uint64_t ops)
{
	if (!t->report)
		return;
	struct sim_metric *m = g_new0(struct sim_metric, 1);
	m->name = g_strdup(name);
	m->cycles = cycles;
	m->ops = ops;
	g_ptr_array_add(t->report->metrics, m);
}
