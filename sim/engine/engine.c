/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine.c - scheduling virtual CPUs by their clocks, points and injection,
 * interrupts, and one run of a scenario with one design from setup to the
 * end-of-run checks.
 *
 * Where things are:
 *  - the step: sim_step (step.h, inline; sim_point here) is every point of
 *    the allocator.  A quiet point (the scheduler answered it ahead, nothing
 *    due or watching) only counts; any other takes sim_step_full: it waits
 *    until its CPU's clock is the earliest (sim_yield_until_earliest, the
 *    heap of CPUs; e->turn says whose turn it is), counts the point, checks
 *    for a livelock, records the event and the trace hash, asks the
 *    scheduler (sim_step_inject -> e->sched, scheduler.h) and waits again;
 *    then port_sim.c performs the operation and charges it (sim_charge_mem
 *    -> timing_model.c);
 *  - carrying out a scheduler's answer: sim_act (preempt, migrate, irq);
 *  - violations: sim_violation (the allocator's or the workload's),
 *    sim_scenario_fault (the scenario's);
 *  - a run: setup, run_tasks, end_checks, teardown, in sim_run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "kernel_machine.h"
#include "run_pool.h"
#include "seeds.h"
#include "step.h"
#include "slab_env.h"
#include "slab.h"
#include "slab_world.h"

struct sim_engine *sim_eng;

/* ---------------------------------------------------------------------- */
/* The heap of CPUs with work, earliest clock first, ties by CPU id        */

static bool earlier(const struct sim_cpu *a, const struct sim_cpu *b)
{
	return a->clock < b->clock || (a->clock == b->clock && a->id < b->id);
}

static void heap_swap(struct sim_engine *e, unsigned i, unsigned j)
{
	struct sim_cpu *t = e->heap[i];
	e->heap[i] = e->heap[j];
	e->heap[j] = t;
	e->heap[i]->heap_pos = (int)i;
	e->heap[j]->heap_pos = (int)j;
}

static void heap_up(struct sim_engine *e, unsigned i)
{
	while (i > 0) {
		unsigned parent = (i - 1) / 2;
		if (!earlier(e->heap[i], e->heap[parent]))
			break;
		heap_swap(e, i, parent);
		i = parent;
	}
}

static void heap_down(struct sim_engine *e, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		if (l < e->heap_len && earlier(e->heap[l], e->heap[m]))
			m = l;
		if (r < e->heap_len && earlier(e->heap[r], e->heap[m]))
			m = r;
		if (m == i)
			return;
		heap_swap(e, i, m);
		i = m;
	}
}

static void heap_insert(struct sim_engine *e, struct sim_cpu *c)
{
	c->heap_pos = (int)e->heap_len;
	e->heap[e->heap_len++] = c;
	heap_up(e, (unsigned)c->heap_pos);
}

static void heap_remove(struct sim_engine *e, struct sim_cpu *c)
{
	unsigned i = (unsigned)c->heap_pos;
	c->heap_pos = -1;
	if (i == --e->heap_len)
		return;
	e->heap[i] = e->heap[e->heap_len];
	e->heap[i]->heap_pos = (int)i;
	heap_up(e, i);
	heap_down(e, (unsigned)e->heap[i]->heap_pos);
}

/*
 * Whose turn it is (sim_its_turn): the earliest CPU's current context, none
 * after a stop.  Kept after every change of the heap, of a CPU's current
 * context (each is followed by sim_heap_update) and of stop, so that the
 * quiet step (step.h) asks one question.
 */
static void turn_refresh(struct sim_engine *e)
{
	e->turn = !e->stop && e->heap_len ? e->heap[0]->current : NULL;
	sim_quiet_refresh(e);
}

/*
 * The quiet step's rules that hold until the turn, its CPU's interrupt or
 * its call change (step.h, sim_step_quiet; port_sim.c, quiet_point), folded
 * into two tasks and a clock.  The turn's CPU is the heap's first (the
 * turn is heap[0]'s current context), so a CPU below it in the heap is
 * there exactly when the heap holds more than one.
 */
void sim_quiet_refresh(struct sim_engine *e)
{
	struct sim_task *t = e->never_quiet ? NULL : e->turn;
	e->quiet_task = t;
	e->quiet_port_task = t && !e->charge_modelled && e->heap_len <= 1 ? t : NULL;
	e->quiet_clock_end = t ? sim_quiet_clock_end(t) : 0;
}

/* After c's clock grew, or c gained or lost work. */
void sim_heap_update(struct sim_engine *e, struct sim_cpu *c)
{
	bool has_work = c->current && c->current->state == SIM_TASK_RUNNABLE;
	if (!has_work) {
		if (c->heap_pos >= 0)
			heap_remove(e, c);
	} else if (c->heap_pos < 0) {
		heap_insert(e, c);
	} else {
		heap_down(e, (unsigned)c->heap_pos);
	}
	turn_refresh(e);
}

static struct sim_cpu *heap_min(struct sim_engine *e)
{
	return e->heap_len ? e->heap[0] : NULL;
}

/* ---------------------------------------------------------------------- */
/* Switching                                                               */

static void switch_to(struct sim_engine *e, struct sim_task *from, struct sim_task *to)
{
	e->running = to;
	sim_coro_switch(from->coro, to ? to->coro : e->main_coro);
	/* Whoever switched back to us set e->running. */
}

void sim_wait_for_turn(struct sim_engine *e, struct sim_task *t)
{
	for (;;) {
		struct sim_cpu *m = heap_min(e);
		if (e->stop)
			switch_to(e, t, NULL);
		else if (m == t->cpu && m->current == t)
			return;
		else
			switch_to(e, t, m ? m->current : NULL);
	}
}

const char *sim_kind_name(unsigned kind)
{
	return kind == SIM_KIND_CALL ? "call" : slab_point_kind_name((enum slab_point_kind)kind);
}

void sim_note_access(struct sim_engine *e, struct sim_task *t, uint64_t key, unsigned words,
		     bool writes)
{
	if (!t || !e->footprints)
		return;
	struct sim_access a = { key, words, writes };
	if (e->plan->record_choices && e->report->spans->len) {
		g_array_append_val(e->report->accesses, a);
		struct sim_choice_span *span = &g_array_index(
		    e->report->spans, struct sim_choice_span, e->report->spans->len - 1);
		span->accesses++;
		span->foreign |= span->task != t->id;
	}
	if (e->watch && t != e->watch)
		g_array_append_val(e->report->watched, a);
}

/*
 * t's point takes effect now: the watched task running again closes what
 * the others did meanwhile; another task in a choice span mixes it.
 */
static void footprint_resumed(struct sim_engine *e, struct sim_task *t)
{
	if (e->watch == t) {
		e->watch = NULL;
		e->report->watch_closed = true;
		e->report->watch_closed_at = e->report->choice_points;
	}
	if (e->plan->record_choices && e->report->spans->len) {
		struct sim_choice_span *span = &g_array_index(
		    e->report->spans, struct sim_choice_span, e->report->spans->len - 1);
		span->mixed |= span->task != t->id;
	}
}

void sim_watch_preempted(struct sim_engine *e, struct sim_task *t)
{
	if (e->plan->watch_last_action)
		e->watch = t;
}

uint64_t sim_charge_overlap(struct sim_engine *e, struct sim_task *t, unsigned kind,
			    uint64_t cycles, const struct sim_timing_mem *mem)
{
	uint64_t now = sim_timing_charge(&e->timing, t->cpu->timing, t->cpu->clock, t->timing,
					 t->point, kind, cycles, mem);
	return now - t->cpu->clock;
}

void sim_heap_sink(struct sim_engine *e, struct sim_cpu *c)
{
	heap_down(e, (unsigned)c->heap_pos);
	turn_refresh(e);
}

static const enum sim_cost_key level_cost[SIM_CACHE_NR_WHERE] = {
	[SIM_CACHE_L1] = SIM_COST_l1_hit,
	[SIM_CACHE_L2] = SIM_COST_l2_hit,
	[SIM_CACHE_L3] = SIM_COST_l3_hit,
	[SIM_CACHE_REMOTE_CLEAN] = SIM_COST_remote_clean,
	[SIM_CACHE_REMOTE_MODIFIED] = SIM_COST_remote_modified,
	[SIM_CACHE_DRAM] = SIM_COST_dram,
};

/*
 * Two rules on top of where the cache model found the line, the same for
 * every design:
 *  - stream prefetch: a miss to the line right after this CPU's previous
 *    miss, served by L3 or DRAM, is charged as an L2 hit (the L2 streamer
 *    had it on its way); new slabs are threaded, and test 1's objects
 *    walked, in address order;
 *  - store buffer: a plain store never waits for its line; a store that
 *    misses L1 costs store_miss at most.  Locked operations wait in full.
 */
uint64_t sim_mem_cost_cached(struct sim_engine *e, unsigned cpu, const void *addr,
			     enum sim_mem_op op)
{
	uint64_t off = slab_world_offset(addr);
	enum sim_cache_where where = sim_cache_access(e->cache, cpu, off, op != SIM_MEM_LOAD);
	uint64_t cost = e->cost[level_cost[where]];
	if (where != SIM_CACHE_L1) {
		struct sim_cpu *c = &e->cpus[cpu];
		uint64_t line = off / SIM_CACHE_LINE_SIZE;
		if ((where == SIM_CACHE_L3 || where == SIM_CACHE_DRAM) &&
		    line == c->last_miss_line + 1) {
			cost = e->cost[SIM_COST_l2_hit];
			e->report->prefetched++;
		}
		c->last_miss_line = line;
		if (op == SIM_MEM_STORE && cost > e->cost[SIM_COST_store_miss])
			cost = e->cost[SIM_COST_store_miss];
	}
	e->report->accesses_by_level[where]++;
	e->report->cycles_by_level[where] += cost;
	return cost;
}

/* ---------------------------------------------------------------------- */
/* Run queues, blocking and waking                                         */

/* The context running on c stops running there (done, blocked, migrated). */
static void cpu_release(struct sim_engine *e, struct sim_cpu *c)
{
	GList *next = g_queue_pop_head_link(&c->runq);
	c->current = next ? next->data : NULL;
	if (c->current)
		c->clock += e->cost[SIM_COST_context_switch];
	sim_heap_update(e, c);
}

/* Give t to c at time when: it runs at once if c is idle, else it queues. */
static void cpu_accept(struct sim_engine *e, struct sim_cpu *c, struct sim_task *t, uint64_t when)
{
	sim_task_set_cpu(t, c);
	if (c->current) {
		g_queue_push_tail_link(&c->runq, &t->runq_link);
		return;
	}
	c->current = t;
	if (c->clock < when)
		c->clock = when;
	sim_heap_update(e, c);
}

void sim_block(struct sim_engine *e, struct sim_task *t)
{
	t->state = SIM_TASK_BLOCKED;
	cpu_release(e, t->cpu);
	sim_yield_until_earliest(e, t);
}

void sim_wake(struct sim_engine *e, struct sim_task *t, uint64_t when)
{
	t->state = SIM_TASK_RUNNABLE;
	cpu_accept(e, t->cpu, t, when);
}

/* ---------------------------------------------------------------------- */
/* Violations                                                              */

static void violation(struct sim_engine *e, struct sim_task *t, const char *kind, const char *whose,
		      const char *fmt, va_list ap)
{
	struct sim_run_report *r = e->report;
	r->violation = true;
	r->violation_kind = kind;
	r->violation_event = r->points;
	r->violation_text = g_string_new(whose);
	g_string_append_vprintf(r->violation_text, fmt, ap);
	g_string_append_c(r->violation_text, '\n');
	if (t)
		g_string_append_printf(r->violation_text, "  task %s on cpu %u at cycle %llu\n",
				       t->name, t->cpu->id, (unsigned long long)t->cpu->clock);
	g_string_append(r->violation_text, "  last events (cycle cpu task point):\n");
	for (unsigned i = 0; i < SIM_EVENT_RING; i++) {
		struct sim_event *ev = &e->ring[(e->ring_pos + i) % SIM_EVENT_RING];
		if (ev->point < 0)
			continue;
		char site[96];
		g_string_append_printf(r->violation_text, "    %10llu  cpu%-3u %-16s %s%s\n",
				       (unsigned long long)ev->clock, sim_event_cpu(ev),
				       e->tasks[sim_event_task(ev)]->name,
				       slab_point_name((enum slab_point)ev->point),
				       sim_site_name(e->design, ev->site, site, sizeof(site)));
	}
}

const char *const sim_allocator_violation_kinds[] = { "double-allocation", "foreign-object",
						      "outside-slab",	   "wrong-node",
						      "corrupt-freelist",  "allocated-on-freelist",
						      "inuse-mismatch",	   "leak",
						      "validator",	   "livelock",
						      "deadlock",	   "assertion",
						      "port-contract",	   NULL };

bool sim_is_allocator_violation_kind(const char *kind)
{
	for (unsigned i = 0; sim_allocator_violation_kinds[i]; i++)
		if (!strcmp(sim_allocator_violation_kinds[i], kind))
			return true;
	return false;
}

void sim_violation(struct sim_engine *e, struct sim_task *t, const char *kind, bool workload_bug,
		   const char *fmt, ...)
{
	/* An allocator kind nobody can name in expect_violation would be a bug here. */
	g_assert(workload_bug || sim_is_allocator_violation_kind(kind));
	if (e->stop)
		return;
	e->stop = true;
	turn_refresh(e);
	e->report->workload_bug = workload_bug;
	va_list ap;
	va_start(ap, fmt);
	violation(e, t, kind,
		  workload_bug ? "workload bug (not the allocator's): " : "allocator bug: ", fmt,
		  ap);
	va_end(ap);
}

void sim_scenario_fault(struct sim_engine *e, struct sim_task *t, const char *kind, const char *fmt,
			...)
{
	if (e->stop)
		return;
	e->stop = true;
	turn_refresh(e);
	/* Not the allocator's: no expectation of an allocator violation is met by it. */
	e->report->workload_bug = true;
	e->report->scenario_fault = true;
	va_list ap;
	va_start(ap, fmt);
	violation(e, t, kind, "scenario problem (not the allocator's): ", fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------- */
/* Injection                                                               */

static void irq_context_main(void *arg);

static bool can_preempt(struct sim_engine *e, struct sim_task *t)
{
	return e->preemptible && !t->is_irq && !t->preempt_count && !t->irqs_off;
}

/* Pick an irq source that may interrupt c: -1 if none. */
static int irq_for_cpu(struct sim_engine *e, unsigned cpu, unsigned pick)
{
	unsigned n = 0;
	for (unsigned i = 0; i < e->sc->nr_irqs; i++)
		if (e->sc->irqs[i].cpu < 0 || (unsigned)e->sc->irqs[i].cpu == cpu)
			n++;
	if (!n)
		return -1;
	pick %= n;
	for (unsigned i = 0; i < e->sc->nr_irqs; i++)
		if (e->sc->irqs[i].cpu < 0 || (unsigned)e->sc->irqs[i].cpu == cpu)
			if (!pick--)
				return (int)i;
	return -1;
}

bool sim_can_act(struct sim_engine *e, struct sim_task *t, enum sim_action_kind kind)
{
	switch (kind) {
	case SIM_ACT_PREEMPT:
		return can_preempt(e, t) && t->cpu->runq.length > 0;
	case SIM_ACT_MIGRATE:
		return can_preempt(e, t) && !t->pinned && e->nr_cpus > 1;
	case SIM_ACT_IRQ:
		/* A source that may interrupt this CPU (every source when none is pinned). */
		return !t->irqs_off && !t->is_irq && irq_for_cpu(e, t->cpu->id, 0) >= 0;
	case SIM_ACT_FAIL:
		/* Any context's page allocation may fail, as a full zone's does. */
		return t->at_page_alloc;
	}
	return false;
}

static void record_decision(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
			    enum sim_action_kind kind, int arg)
{
	struct sim_decision d = { .point = pt,
				  .occurrence = e->point_count[pt],
				  .action = kind,
				  .arg = arg,
				  .by_task = t->id + 1,
				  .task_occurrence = t->visits[pt] };
	g_array_append_val(e->report->decisions, d);
}

/* Switch from t to the run queue's head, or to the task with id arg - 1. */
static void do_preempt(struct sim_engine *e, struct sim_task *t, int arg)
{
	struct sim_cpu *c = t->cpu;
	if (arg > 0) {
		struct sim_task *to = e->tasks[arg - 1];
		g_queue_unlink(&c->runq, &to->runq_link);
		g_queue_push_head_link(&c->runq, &to->runq_link);
	}
	g_queue_push_tail_link(&c->runq, &t->runq_link);
	cpu_release(e, c);
	e->report->preemptions++;
}

static void do_migrate(struct sim_engine *e, struct sim_task *t, unsigned target)
{
	struct sim_cpu *from = t->cpu, *to = &e->cpus[target];
	uint64_t now = from->clock + e->cost[SIM_COST_migrate];
	cpu_release(e, from);
	cpu_accept(e, to, t, now);
	e->report->migrations++;
}

static void do_irq(struct sim_engine *e, struct sim_task *t, int source)
{
	struct sim_cpu *c = t->cpu;
	struct sim_task *h = c->irq;
	h->interrupted = t;
	h->irq_source = source;
	t->call_irqs++;
	h->state = SIM_TASK_RUNNABLE;
	c->current = h;
	c->clock += e->cost[SIM_COST_irq_entry];
	sim_heap_update(e, c);
	e->report->interrupts++;
}

bool sim_act(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
	     enum sim_action_kind kind, int arg)
{
	if (!sim_can_act(e, t, kind))
		return false;
	switch (kind) {
	case SIM_ACT_PREEMPT:
		if (arg > 0 && ((unsigned)arg > sim_task_slots(e) || !e->tasks[arg - 1] ||
				!g_queue_find(&t->cpu->runq, e->tasks[arg - 1])))
			return false;
		record_decision(e, t, pt, kind, arg);
		do_preempt(e, t, arg);
		return true;
	case SIM_ACT_MIGRATE:
		if (arg < 0 || (unsigned)arg >= e->nr_cpus || (unsigned)arg == t->cpu->id)
			return false;
		record_decision(e, t, pt, kind, arg);
		do_migrate(e, t, (unsigned)arg);
		return true;
	case SIM_ACT_IRQ:
		if (arg < 0 || (unsigned)arg >= e->sc->nr_irqs ||
		    (e->sc->irqs[arg].cpu >= 0 && (unsigned)e->sc->irqs[arg].cpu != t->cpu->id))
			return false;
		record_decision(e, t, pt, kind, arg);
		do_irq(e, t, arg);
		return true;
	case SIM_ACT_FAIL:
		record_decision(e, t, pt, kind, 0);
		t->fail_page_alloc = true;
		e->report->failures++;
		return true;
	}
	return false;
}

unsigned sim_possible_kinds(struct sim_engine *e, struct sim_task *t, enum sim_action_kind *kinds)
{
	unsigned n = 0;
	for (int k = 0; k < SIM_ACT_COUNT; k++)
		if (e->inject->kinds[k] && sim_can_act(e, t, (enum sim_action_kind)k))
			kinds[n++] = (enum sim_action_kind)k;
	return n;
}

int sim_action_arg(struct sim_engine *e, struct sim_task *t, enum sim_action_kind kind, bool drawn,
		   unsigned rotate)
{
	if (kind == SIM_ACT_MIGRATE) {
		unsigned off = drawn ? 1 + (unsigned)sim_rng_below(&e->rand, e->nr_cpus - 1) : 1;
		return (int)((t->cpu->id + off) % e->nr_cpus);
	}
	if (kind == SIM_ACT_IRQ)
		return irq_for_cpu(e, t->cpu->id,
				   drawn ? (unsigned)sim_rng_below(&e->rand, 1u << 30) : rotate);
	return 0;
}

/* At a point the running task t reached: periodic interrupts, then the scheduler. */
static void add_choice(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
		       enum sim_action_kind kind, int arg)
{
	struct sim_choice c = {
		e->report->choice_points, (int)pt, e->point_count[pt], t->id, kind, arg
	};
	g_array_append_val(e->report->choices, c);
}

/* Every distinct action of kind at pt (a choice point): one choice each. */
static void add_choices(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
			enum sim_action_kind kind)
{
	GQueue *runq = &t->cpu->runq;
	switch (kind) {
	case SIM_ACT_PREEMPT: /* to each waiting task; 0, the queue's head, when only one waits */
		if (runq->length == 1)
			add_choice(e, t, pt, kind, 0);
		else
			for (GList *l = runq->head; l; l = l->next)
				add_choice(e, t, pt, kind,
					   (int)((struct sim_task *)l->data)->id + 1);
		break;
	case SIM_ACT_MIGRATE:
		for (unsigned cpu = 0; cpu < e->nr_cpus; cpu++)
			if (cpu != t->cpu->id)
				add_choice(e, t, pt, kind, (int)cpu);
		break;
	case SIM_ACT_IRQ:
		for (unsigned i = 0; i < e->sc->nr_irqs; i++)
			if (e->sc->irqs[i].cpu < 0 || (unsigned)e->sc->irqs[i].cpu == t->cpu->id)
				add_choice(e, t, pt, kind, (int)i);
		break;
	case SIM_ACT_FAIL:
		add_choice(e, t, pt, kind, 0);
		break;
	}
}

/*
 * Is pt, where t runs, a choice point: may one of the injection's kinds act
 * here (sim_possible_kinds)?  Counts it, and lists every distinct action
 * when the plan records choices.
 */
static bool count_choice(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	enum sim_action_kind kinds[SIM_ACT_COUNT];
	unsigned n = sim_possible_kinds(e, t, kinds);
	if (!n)
		return false;
	e->report->choice_points++;
	for (unsigned i = 0; i < n && e->plan->record_choices; i++)
		add_choices(e, t, pt, kinds[i]);
	return true;
}

/*
 * A periodic interrupt is due on t's CPU, and t can take it: it runs now,
 * whatever the scheduler.
 */
void sim_step_periodic_irq(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct sim_cpu *c = t->cpu;
	uint64_t period = (uint64_t)sim_params_int(&e->sc->irqs[c->periodic_irq].params, "period");
	while (c->next_irq <= c->clock)
		c->next_irq += period;
	sim_quiet_refresh(e);
	sim_act(e, t, pt, SIM_ACT_IRQ, c->periodic_irq);
}

/* Counting choice points (exhaustive search, PCT): is this one, and its span of accesses. */
void sim_step_note_choice(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	e->choice_counted = count_choice(e, t, pt);
	if (e->choice_counted && e->plan->record_choices) {
		struct sim_choice_span span = { .task = t->id, .first = e->report->accesses->len };
		g_array_append_val(e->report->spans, span);
	}
}

/*
 * One allocator call has run past the scenario's livelock bound.  Whose
 * fault?  Interrupts at one point in four or more of the call: the
 * scenario's interrupt rate leaves the call no time.  Few points over the
 * whole time: its costs are too high for the bound.  Otherwise the call
 * keeps running allocator code without finishing: the allocator's.
 */
#define LIVELOCK_POINTS_MIN 10000

void sim_step_livelock(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	unsigned long long cycles = t->cpu->clock - t->call_start;
	unsigned long long points = t->call_points, irqs = t->call_irqs;
	if (irqs * 4 >= points)
		sim_scenario_fault(
		    e, t, "starved",
		    "starved: %llu interrupts in the %llu points of one allocator call "
		    "over %llu cycles, at %s: the interrupts leave it no time ([irq] "
		    "period too short for what the handler does)",
		    irqs, points, cycles, slab_point_name(pt));
	else if (points < LIVELOCK_POINTS_MIN)
		sim_scenario_fault(
		    e, t, "too-slow",
		    "one allocator call took %llu cycles over only %llu points, at %s: "
		    "the scenario's costs are too high for [checks] livelock_cycles",
		    cycles, points, slab_point_name(pt));
	else
		sim_violation(e, t, "livelock", false,
			      "livelock: one allocator call still running after %llu cycles and "
			      "%llu points, at %s",
			      cycles, points, slab_point_name(pt));
}

/*
 * Bisect's, replay's and the exhaustive search's view of a point about to
 * take effect: footprints, check, record.
 */
void sim_step_observe(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
		      uint64_t occurrence, unsigned what)
{
	if ((what & OBSERVE_FOOTPRINTS) && e->footprints)
		footprint_resumed(e, t);
	if (!(what & OBSERVE_EVENT))
		return;
	if (e->plan->check_every_point && !sim_check_freelists(e)) {
		e->report->check_fired = true;
		sim_yield_until_earliest(e, t); /* stopped: never returns */
	}
	if (e->plan->record_trace) {
		struct sim_trace_event te = { ++e->executed, t->cpu->clock, t->cpu->id, t->id,
					      (int)pt,	     occurrence,    t->site };
		g_array_append_val(e->report->trace, te);
	}
}

void sim_step_progress(struct sim_engine *e)
{
	if (e->plan->progress)
		e->plan->progress(e->plan->progress_arg, e->report->points);
}

/*
 * The step of every point that is not quiet (step.h): wait for t's turn,
 * record the point, with progress and the livelock bound; then, unless the
 * scheduler answered this point ahead and nothing else is due, periodic
 * interrupts, choice points and the scheduler, and the observers.
 */
struct sim_task *sim_step_full(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
			       bool effect_done)
{
#ifdef SIM_SELF_CHECKS
	g_assert((e->turn == t) == sim_its_turn(e, t)); /* turn_refresh kept it */
	/* sim_quiet_refresh kept the rules it folds: the quiet step reads only them. */
	g_assert(e->quiet_task == (e->never_quiet ? NULL : e->turn));
	g_assert(e->quiet_port_task ==
		 (e->quiet_task && !e->charge_modelled && e->heap_len <= 1 ? e->quiet_task : NULL));
	g_assert(!e->quiet_task || e->quiet_clock_end == sim_quiet_clock_end(e->quiet_task));
	/* The flags kept by their setters (sim_task_set_irqs_off, sim_task_set_cpu). */
	g_assert(t->step_eligible == (!t->is_irq && !t->irqs_off));
	g_assert(t->event_who == sim_event_who(t->cpu->id, t->id));
#endif
	if (!sim_its_turn(e, t))
		sim_wait_for_turn(e, t);
	uint64_t occurrence = sim_step_record(e, t, pt);
	const struct sim_cpu *c = t->cpu;
	if (e->sched_quiet && !e->step_watched && c->clock < c->next_irq && !e->stop) {
		sim_step_skip(e, t);
		return t;
	}
	struct sim_run_report *r = e->report;
	e->step_counted = t->step_eligible;
	if (effect_done && G_UNLIKELY(e->observed))
		sim_step_observe(e, t, pt, occurrence, OBSERVE_EVENT);
	unsigned acted = r->decisions->len;
	/* Only an action, or a stop (a livelock found above), can have moved the turn. */
	bool asked = sim_step_inject(e, t, pt);
	t->acted_after_effect = effect_done && r->decisions->len != acted;
	if ((asked || e->stop) && !sim_its_turn(e, t))
		sim_wait_for_turn(e, t);
	/*
	 * The operation runs now.  Checks and the trace see operations in the
	 * order they take effect, which is not the order the points were
	 * reached when a task is preempted at one.
	 */
	if (G_UNLIKELY(e->observed))
		sim_step_observe(e, t, pt, occurrence,
				 effect_done ? OBSERVE_FOOTPRINTS
					     : OBSERVE_FOOTPRINTS | OBSERVE_EVENT);
	return t;
}

struct sim_task *sim_point(enum slab_point pt)
{
	return sim_step(pt, false);
}

struct sim_task *sim_turn(void)
{
	struct sim_engine *e = sim_eng;
	struct sim_task *t = e->running;
	if (t && !sim_its_turn(e, t))
		sim_wait_for_turn(e, t);
	return t;
}

struct sim_task *sim_point_after(enum slab_point pt)
{
	return sim_step(pt, true);
}

/* ---------------------------------------------------------------------- */
/* Task and interrupt contexts                                             */

static void task_main(void *arg)
{
	struct sim_task *t = arg;
	struct sim_engine *e = sim_eng;
	sim_yield_until_earliest(e, t);
	t->workload->run(t, t->params);
	t->state = SIM_TASK_DONE;
	cpu_release(e, t->cpu);
	e->running = NULL; /* back to the engine: the coroutine returns there */
}

/*
 * An interrupt context, one per CPU, reused: it runs the handler, then
 * gives the CPU back to the interrupted task and waits for the next one.
 */
static void irq_context_main(void *arg)
{
	struct sim_task *h = arg;
	struct sim_engine *e = sim_eng;
	for (;;) {
		const struct sim_irq_spec *src = &e->sc->irqs[h->irq_source];
		sim_task_set_irqs_off(h, true);
		h->preempt_count = 1; /* HARDIRQ: never preempted */
		sim_yield_until_earliest(e, h);
		src->workload->run(h, &src->params);
		struct sim_cpu *c = h->cpu;
		c->current = h->interrupted;
		c->clock += e->cost[SIM_COST_irq_exit];
		h->state = SIM_TASK_IDLE_IRQ;
		h->interrupted = NULL;
		sim_heap_update(e, c);
		sim_yield_until_earliest(e, h); /* never returns: h is nobody's current */
	}
}

/* ---------------------------------------------------------------------- */
/* One run                                                                 */

/* The costs of this run (the plan's or the profile's) and what the timing model takes from them. */
static void setup_costs(struct sim_engine *e)
{
	const struct sim_scenario *sc = e->sc;
	memcpy(e->cost, e->plan->cost ? e->plan->cost : sc->profile.cost, sizeof(e->cost));
	if (sc->preemption != SIM_PREEMPT_FULL) {
		/* Without CONFIG_PREEMPT the guards compile to barriers. */
		e->cost[SIM_COST_preempt_disable] = 0;
		e->cost[SIM_COST_preempt_enable] = 0;
	}
	e->timing =
	    (struct sim_timing_params){ e->cost[SIM_COST_timing_window], e->cost[SIM_COST_issue],
					e->cost[SIM_COST_debug_preempt] != 0,
					e->cost[SIM_COST_lock_fence] != 0 };
}

/* The virtual CPUs, idle, and which periodic interrupt each one takes. */
static void setup_cpus(struct sim_engine *e)
{
	const struct sim_scenario *sc = e->sc;
	for (unsigned i = 0; i < e->nr_cpus; i++) {
		struct sim_cpu *c = &e->cpus[i];
		c->id = i;
		c->heap_pos = -1;
		c->next_irq = UINT64_MAX;
		c->last_miss_line = UINT64_MAX - 1;
		c->periodic_irq = -1;
		g_queue_init(&c->runq);
		if (e->timing.window > 1)
			c->timing = g_new0(struct sim_timing_cpu, 1);
	}
	for (unsigned i = 0; i < sc->nr_irqs; i++) {
		int64_t period = sim_params_int(&sc->irqs[i].params, "period");
		if (period <= 0)
			continue;
		for (unsigned cpu = 0; cpu < e->nr_cpus; cpu++) {
			if (sc->irqs[i].cpu >= 0 && (unsigned)sc->irqs[i].cpu != cpu)
				continue;
			if (e->cpus[cpu].periodic_irq < 0) {
				e->cpus[cpu].periodic_irq = (int)i;
				e->cpus[cpu].next_irq = (uint64_t)period;
			}
		}
	}
}

/* Task i of the scenario, on its CPU's run queue. */
static bool setup_task(struct sim_engine *e, unsigned i, uint64_t seed, char *err, unsigned err_len)
{
	const struct sim_scenario *sc = e->sc;
	const struct sim_task_spec *ts = &sc->tasks[i];
	struct sim_task *t = sim_pool_block_take(SIM_POOL_TASK, sizeof(*t));
	t->id = i;
	t->runq_link.data = t;
	t->point = SIM_TIMING_NO_POINT;
	if (e->timing.window > 1)
		t->timing = g_new0(struct sim_timing_task, 1);
	t->name = g_strdup(ts->name);
	t->group = ts->group;
	t->workload = ts->workload;
	t->params = &ts->params;
	t->pinned = ts->pinned;
	sim_task_set_irqs_off(t, false); /* interrupts on, not an interrupt context: a step */
	t->call_deadline = sc->livelock_cycles;
	t->rand_seed = sim_seed_stream(seed, SIM_SEED_TASK, i);
	t->report = &e->report->tasks[i];
	t->report->name = g_strdup(ts->name);
	t->report->output = g_string_new(NULL);
	t->report->metrics = g_ptr_array_new();
	/* Group sizes, for barriers and for each task's place in its group. */
	for (unsigned j = 0; j < sc->nr_tasks; j++)
		if (!strcmp(sc->tasks[j].group, ts->group)) {
			if (j < i)
				t->group_index++;
			t->group_size++;
		}
	t->coro = sim_coro_create(0, task_main, t, e->main_coro);
	if (!t->coro) {
		snprintf(err, err_len, "cannot map a stack for task %s", t->name);
		g_free(t->name);
		sim_pool_block_give(SIM_POOL_TASK, t, sizeof(*t));
		return false;
	}
	e->tasks[i] = t;
	cpu_accept(e, &e->cpus[ts->cpu], t, 0);
	return true;
}

struct sim_task *sim_context_new(struct sim_engine *e, unsigned id, struct sim_cpu *c, char *name,
				 bool is_irq, sim_coro_fn main)
{
	struct sim_task *t = sim_pool_block_take(SIM_POOL_TASK, sizeof(*t));
	t->id = id;
	t->point = SIM_TIMING_NO_POINT;
	if (e->timing.window > 1)
		t->timing = g_new0(struct sim_timing_task, 1);
	t->name = name;
	t->group = name;
	t->is_irq = is_irq;
	t->runq_link.data = t;
	t->pinned = true;
	t->call_deadline = e->sc->livelock_cycles;
	sim_task_set_cpu(t, c);
	sim_task_set_irqs_off(t, false);
	t->coro = sim_coro_create(0, main, t, e->main_coro);
	if (!t->coro) {
		g_free(t->timing);
		g_free(name);
		sim_pool_block_give(SIM_POOL_TASK, t, sizeof(*t));
		return NULL;
	}
	e->tasks[id] = t;
	return t;
}

/* CPU i's interrupt context: a task that runs handlers, idle until an interrupt. */
static bool setup_irq_context(struct sim_engine *e, unsigned i, uint64_t seed, char *err,
			      unsigned err_len)
{
	struct sim_task *h = sim_context_new(e, e->nr_tasks + i, &e->cpus[i],
					     g_strdup_printf("irq/%u", i), true, irq_context_main);
	if (!h) {
		snprintf(err, err_len, "cannot map an interrupt stack");
		return false;
	}
	h->state = SIM_TASK_IDLE_IRQ;
	h->rand_seed = sim_seed_stream(seed, SIM_SEED_IRQ, i);
	e->cpus[i].irq = h;
	return true;
}

static bool setup(struct sim_engine *e, uint64_t seed, char *err, unsigned err_len)
{
	const struct sim_scenario *sc = e->sc;
	e->nr_cpus = sc->cpus;
	e->cpus = g_new0(struct sim_cpu, e->nr_cpus);
	e->heap = g_new0(struct sim_cpu *, e->nr_cpus);
	setup_costs(e);
	e->preemptible = sc->preemption == SIM_PREEMPT_FULL;
	sim_rng_seed(&e->rand, sim_seed_stream(seed, SIM_SEED_ENGINE, 0));
	e->barriers = sim_pool_table_take(SIM_POOL_BARRIERS, sim_barrier_free);
	e->queues = sim_pool_table_take(SIM_POOL_QUEUES, sim_queue_free);
	for (unsigned i = 0; i < SIM_EVENT_RING; i++)
		e->ring[i].point = -1;
	e->trace_hash = 0xcbf29ce484222325ULL;
	e->trace_hashed = !e->plan->no_trace_hash;
	sim_shadow_map_init(&e->shadow);
	if (sc->cache_model) {
		struct sim_cache_config cc;
		const char *why = NULL;
		sim_cache_config_default(&cc, e->nr_cpus);
		e->cache = sim_cache_create(&cc, &why);
		if (!e->cache) {
			snprintf(err, err_len, "cache model: %s", why ? why : "cannot create");
			return false;
		}
	}
	e->main_coro = sim_coro_thread_create();
	e->nr_tasks = sc->nr_tasks;
	e->tasks = g_new0(struct sim_task *, sim_task_slots(e));
	e->report->tasks = g_new0(struct sim_task_report, sc->nr_tasks);
	e->report->nr_tasks = sc->nr_tasks;
	setup_cpus(e);
	for (unsigned i = 0; i < sc->nr_tasks; i++)
		if (!setup_task(e, i, seed, err, err_len))
			return false;
	/* After the tasks (PCT gives them priorities), before the first point. */
	e->sched = sim_sched_for(e->inject->policy);
	if (e->sched->setup)
		e->sched->setup(e);
	for (unsigned i = 0; i < e->nr_cpus; i++)
		if (!setup_irq_context(e, i, seed, err, err_len))
			return false;
	return true;
}

static void teardown(struct sim_engine *e)
{
	for (unsigned i = 0; e->tasks && i < sim_task_slots(e); i++) {
		struct sim_task *t = e->tasks[i];
		if (!t)
			continue;
		sim_coro_destroy(t->coro);
		if (t->scratch)
			g_ptr_array_free(t->scratch, TRUE);
		g_free(t->name);
		g_free(t->timing);
		sim_pool_block_give(SIM_POOL_TASK, t, sizeof(*t));
	}
	g_free(e->tasks);
	for (unsigned i = 0; e->cpus && i < e->nr_cpus; i++)
		g_free(e->cpus[i].timing); /* the run queues' links are the tasks' own */
	g_free(e->cpus);
	g_free(e->heap);
	if (e->sched && e->sched->teardown)
		e->sched->teardown(e);
	else
		g_free(e->sched_state);
	sim_pool_table_give(SIM_POOL_BARRIERS, e->barriers);
	sim_pool_table_give(SIM_POOL_QUEUES, e->queues);
	if (e->cache)
		sim_cache_destroy(e->cache);
	sim_shadow_map_free(&e->shadow);
	sim_coro_destroy(e->main_coro);
}

static void run_tasks(struct sim_engine *e)
{
	while (!e->stop) {
		struct sim_cpu *m = heap_min(e);
		if (!m)
			break;
		e->running = m->current;
		sim_coro_switch(e->main_coro, m->current->coro);
		e->running = NULL;
	}
	if (e->stop)
		return;
	for (unsigned i = 0; i < e->nr_tasks; i++)
		if (e->tasks[i]->state != SIM_TASK_DONE) {
			GString *names = g_string_new(NULL);
			for (unsigned j = 0; j < e->nr_tasks; j++)
				if (e->tasks[j]->state == SIM_TASK_BLOCKED)
					g_string_append_printf(names, " %s", e->tasks[j]->name);
			sim_violation(e, NULL, "deadlock", false,
				      "deadlock: tasks blocked forever:%s", names->str);
			g_string_free(names, TRUE);
			return;
		}
}

struct problem_sink {
	GString *text;
	unsigned shown;
};

static void collect_problem(void *arg, const char *msg)
{
	struct problem_sink *sink = arg;
	if (sink->shown++ < 8)
		g_string_append_printf(sink->text, "  %s\n", msg);
}

/* Flush every CPU, shrink every cache, validate, count leaked pages. */
/* The end-of-run check the native runs make too (slab_env_finish), as a violation. */
static void end_checks(struct sim_engine *e)
{
	struct sim_run_report *r = e->report;
	struct problem_sink sink = { g_string_new(NULL), 0 };
	struct slab_env_check check = { 0 };
	if (e->kernel) {
		/* The kernel's own walk of its slabs (kslab.h), after the flush and shrink. */
		struct sim_kernel_check kc;
		sim_kernel_finish(e, &kc);
		check.pages_in_use = kc.pages_in_use;
		check.problems = sim_check_kernel_slabs(e, sink.text);
		sink.shown = check.problems;
	} else {
		slab_env_finish(&check, collect_problem, &sink);
	}
	unsigned problems = check.problems;
	unsigned long slabs = check.slab_pages, frames = check.pages_in_use;
	if (problems || (e->sc->leak_check && frames)) {
		r->violation = true;
		r->violation_kind = problems ? "validator" : "leak";
		r->violation_event = r->points;
		r->violation_text = g_string_new("allocator bug: ");
		if (problems)
			g_string_append_printf(r->violation_text,
					       "validator: %u problems after the run\n%s", problems,
					       sink.text->str);
		if (sink.shown > 8)
			g_string_append_printf(r->violation_text, "  ... and %u more\n",
					       sink.shown - 8);
		if (e->sc->leak_check && frames && e->kernel)
			g_string_append_printf(r->violation_text,
					       "leak: %lu frames not returned after flushing every "
					       "CPU and shrinking every cache\n",
					       frames);
		else if (e->sc->leak_check && frames)
			g_string_append_printf(
			    r->violation_text,
			    "leak: %lu slab pages (%lu frames) not returned after "
			    "flushing every CPU and shrinking every cache\n",
			    slabs, frames);
	}
	g_string_free(sink.text, TRUE);
}

/* From the per-point counts and the decisions taken: nothing on the step's path. */
static void collect_coverage(struct sim_engine *e)
{
	struct sim_run_report *r = e->report;
	for (unsigned pt = 0; pt < SLAB_POINT_COUNT; pt++)
		if (e->point_count[pt])
			r->points_executed[pt / 64] |= 1ULL << (pt % 64);
	for (unsigned i = 0; i < r->decisions->len; i++) {
		unsigned pt = (unsigned)g_array_index(r->decisions, struct sim_decision, i).point;
		r->points_decided[pt / 64] |= 1ULL << (pt % 64);
	}
}

_Static_assert(NR_SLUB_STAT_ITEMS <= SIM_STATS_MAX, "every SLUB_STATS counter fits a report");

static void collect_stats(struct sim_engine *e, struct sim_run_report *r)
{
	unsigned long sums[NR_SLUB_STAT_ITEMS] = { 0 };
	if (e->kernel)
		sim_kernel_stats(e, sums, NR_SLUB_STAT_ITEMS);
	else
		for (struct kmem_cache *s = slab_cache_first(); s; s = slab_cache_next(s))
			slab_stat_add_sums(s, sums);
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		r->stats[si] = sums[si];
}

bool sim_run(const struct sim_scenario *sc, const struct sim_run_plan *plan,
	     struct sim_run_report *report, char *err, unsigned err_len)
{
	const struct slab_design *design = plan->design;
	uint64_t seed = plan->seed;
	memset(report, 0, sizeof(*report));
	report->design = design;
	report->seed = seed;
	/* Room for a race run's decisions at once: no growing on the step's path. */
	report->decisions =
	    sim_pool_array_take(SIM_POOL_DECISIONS, sizeof(struct sim_decision), 128);
	report->trace = sim_pool_array_take(SIM_POOL_TRACE, sizeof(struct sim_trace_event), 0);
	report->choices = sim_pool_array_take(SIM_POOL_CHOICES, sizeof(struct sim_choice), 0);
	report->spans = sim_pool_array_take(SIM_POOL_SPANS, sizeof(struct sim_choice_span), 0);
	report->accesses = sim_pool_array_take(SIM_POOL_ACCESSES, sizeof(struct sim_access), 0);
	report->watched = sim_pool_array_take(SIM_POOL_WATCHED, sizeof(struct sim_access), 0);

	/* On this stack: a run's engine lives as long as this call. */
	struct sim_engine engine = { 0 }, *e = &engine;
	e->sc = sc;
	e->design = design;
	e->report = report;
	e->plan = plan;
	e->inject = plan->inject ? plan->inject : &sc->inject;
	e->faults = plan->faults ? plan->faults : &sc->faults;
	e->fault_seed = seed;
	report->faults = *e->faults;
	e->count_choices = plan->record_choices || e->inject->steps_at_choices ||
			   e->inject->policy == SIM_INJECT_PCT;
	e->footprints = plan->record_choices || plan->watch_last_action;
	e->observed = e->footprints || plan->check_every_point || plan->record_trace;
	e->step_watched = e->observed || e->count_choices;
	sim_eng = e;
	bool ok = setup(e, seed, err, err_len), opened = false;
	e->never_quiet = e->step_watched || e->trace_hashed;
	/* Every task has its overlap state exactly when the window is over one (setup_task). */
	e->charge_modelled = e->cache || e->timing.window > 1;
	sim_quiet_refresh(e);
	sim_quiet_setup(e);
	if (ok) {
		/* The same bring-up as the native runs (slab_env.h), on the simulator's port. */
		struct slab_env_config env = {
			.cpus = sc->cpus,
			.nodes = sc->nodes,
			.mib_per_node = sc->memory_mib,
			.design = design,
			.cpu_partial = sc->cpu_partial,
			.port = &sim_port_ops,
		};
		const char *why = design->kernel ? sim_kernel_open(e) : slab_env_open(&env);
		opened = !why;
		if (why) {
			snprintf(err, err_len, "%s", why);
			ok = false;
		}
	}
	if (ok) {
		run_tasks(e);
		sim_quiet_fold(e);
		collect_stats(e, report);
		/* The state after the last point, which no "before every point" check saw. */
		if (!report->violation && e->plan->check_every_point && !sim_check_freelists(e))
			report->check_fired = true;
		if (!report->violation)
			end_checks(e);
		for (unsigned i = 0; i < e->nr_cpus; i++)
			if (e->cpus[i].clock > report->end_cycles)
				report->end_cycles = e->cpus[i].clock;
		collect_coverage(e);
		report->trace_hash = e->trace_hashed ? e->trace_hash : 0;
	}
	/* The kworkers' names only where a run had one: other runs' reports stay as they were. */
	report->nr_task_names =
	    e->tasks ? (e->kworkers ? sim_task_slots(e) : e->nr_tasks + e->nr_cpus) : 0;
	report->task_names = g_new0(char *, report->nr_task_names + 1);
	for (unsigned i = 0; i < report->nr_task_names; i++)
		report->task_names[i] =
		    e->tasks[i] ? g_strdup(e->tasks[i]->name)
		    : i >= sim_kworker_id(e, 0)
			? g_strdup_printf(SIM_KWORKER_NAME_FORMAT, i - sim_kworker_id(e, 0))
			: g_strdup("?");
	teardown(e);
	if (opened && e->kernel)
		sim_kernel_close(e);
	else if (opened)
		slab_env_close();
	sim_eng = NULL;
	return ok;
}

void sim_run_report_free(struct sim_run_report *r)
{
	for (unsigned i = 0; i < r->nr_tasks; i++) {
		struct sim_task_report *t = &r->tasks[i];
		g_free(t->name);
		if (t->output)
			g_string_free(t->output, TRUE);
		if (t->metrics) {
			for (unsigned j = 0; j < t->metrics->len; j++) {
				struct sim_metric *m = g_ptr_array_index(t->metrics, j);
				g_free(m->name);
				g_free(m);
			}
			g_ptr_array_free(t->metrics, TRUE);
		}
	}
	g_free(r->tasks);
	sim_pool_array_give(SIM_POOL_DECISIONS, r->decisions);
	sim_pool_array_give(SIM_POOL_TRACE, r->trace);
	sim_pool_array_give(SIM_POOL_CHOICES, r->choices);
	sim_pool_array_give(SIM_POOL_SPANS, r->spans);
	sim_pool_array_give(SIM_POOL_ACCESSES, r->accesses);
	sim_pool_array_give(SIM_POOL_WATCHED, r->watched);
	g_strfreev(r->task_names);
	if (r->violation_text)
		g_string_free(r->violation_text, TRUE);
	memset(r, 0, sizeof(*r));
}
