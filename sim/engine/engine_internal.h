/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine_internal.h - the engine's state, shared by engine.c (scheduling,
 * injection, the run), engine_services.c (what workloads call) and
 * port_sim.c (the port implemented on the engine).
 */
#ifndef SIM_ENGINE_INTERNAL_H
#define SIM_ENGINE_INTERNAL_H

#include <glib.h>

#include "cache_model.h"
#include "coro.h"
#include "engine.h"
#include "scheduler.h"
#include "shadow_map.h"
#include "timing_model.h"

enum sim_task_state {
	SIM_TASK_RUNNABLE,
	SIM_TASK_BLOCKED,
	SIM_TASK_DONE,
	SIM_TASK_IDLE_IRQ, /* an interrupt context between interrupts */
};

struct sim_cpu {
	unsigned id;
	uint64_t clock;
	struct sim_task *current;      /* the context that runs when this CPU runs */
	GQueue runq;		       /* other runnable tasks of this CPU (runq_link) */
	int heap_pos;		       /* in the engine's heap, or -1 when idle */
	struct sim_task *irq;	       /* this CPU's interrupt context */
	uint64_t next_irq;	       /* periodic interrupt due (UINT64_MAX: none) */
	int periodic_irq;	       /* index into the scenario's irqs, or -1 */
	uint64_t last_miss_line;       /* for the stream prefetch rule */
	struct sim_timing_cpu *timing; /* overlap model only */
	struct sim_task *kworker;      /* 5.15's flush work runs here (kworker.c); NULL: none yet */
};

struct sim_task {
	unsigned id;
	char *name;
	const char *group;
	unsigned group_index, group_size;
	struct sim_coro *coro;
	struct sim_cpu *cpu; /* set with event_who (sim_task_set_cpu) */
	uint64_t event_who;  /* sim_event_who of cpu and id: what its events record */
	GList runq_link;     /* in its CPU's runq while it waits there: no allocation per switch */
	enum sim_task_state state;
	unsigned preempt_count;
	bool irqs_off;
	bool step_eligible; /* !is_irq && !irqs_off (sim_task_set_irqs_off): a point counts as
			       eligible */
	bool pinned;
	bool at_page_alloc; /* at a page allocator call's point: a fail action may act */
	uint64_t visits[SLAB_POINT_COUNT]; /* per point, this task's own count (POINT#N@TASK) */
	bool fail_page_alloc;		   /* a fail action: the page allocator call fails */
	bool is_irq;
	const struct sim_workload *workload;
	const struct sim_params *params;
	struct sim_task *interrupted; /* irq context: the task it interrupted */
	int irq_source;		      /* irq context: index into irqs */
	int prio;		      /* policy pct: higher runs first */
	struct sim_rng rand; /* the workload's draws: seeded by sim_task_rand's first call */
	uint64_t rand_seed;
	bool rand_seeded;
	GPtrArray *scratch; /* sim_task_alloc's blocks, freed with the task */
	struct sim_task_report *report;
	uint64_t call_start;	 /* clock when the current allocator call began */
	uint64_t call_deadline;	 /* call_start + livelock_cycles: past it, a livelock */
	uint64_t wake_clock;	 /* when a blocked task was released */
	int point;		 /* the point it is at (SIM_TIMING_NO_POINT: none) */
	uint32_t site;		 /* a kernel design's point: where in its code (kernel_machine.c) */
	bool acted_after_effect; /* at that point, an action acted after its operation
				    (sim_point_after) */
	uint64_t call_points;	 /* points of the current allocator call */
	uint64_t call_irqs;	 /* interrupts it took during the current call */
	/* When the current call began: the run's decisions and points so far. */
	unsigned call_decisions;
	uint64_t call_run_points;
	struct sim_timing_task *timing; /* overlap model only */
	size_t work_size;		/* a kworker's flush work: the kmalloc size of its cache */
};

/*
 * One event of the ring: 32 bytes, so that a quiet point (step.h) finds its
 * slot with a shift and writes the CPU and the task as one word.
 */
struct sim_event {
	uint64_t clock;
	uint64_t who; /* sim_event_who: the CPU and the task */
	int point;
	uint32_t site;
} __attribute__((aligned(32)));

static inline uint64_t sim_event_who(unsigned cpu, unsigned task)
{
	return cpu | (uint64_t)task << 32;
}

static inline unsigned sim_event_cpu(const struct sim_event *ev)
{
	return (unsigned)ev->who;
}

static inline unsigned sim_event_task(const struct sim_event *ev)
{
	return (unsigned)(ev->who >> 32);
}

#define SIM_EVENT_RING 16

struct sim_engine {
	const struct sim_scenario *sc;
	const struct sim_run_plan *plan;
	const struct sim_inject *inject; /* the plan's, or the scenario's */
	const struct slab_design *design;
	const struct kslab_kernel *kernel; /* design->kernel, while it runs (kernel_machine.c) */
	struct sim_run_report *report;

	struct sim_cpu *cpus;
	unsigned nr_cpus;
	struct sim_cpu **heap; /* min-heap of CPUs with work, by (clock, id) */
	unsigned heap_len;
	struct sim_task *turn; /* whose turn it is (sim_its_turn): NULL when none or stopped */

	/* By id: the scenario's tasks, the irq contexts, the kworkers (sim_task_slots). */
	struct sim_task **tasks;
	unsigned nr_tasks;
	struct sim_task *running; /* whose stack we are on; NULL: the engine's */
	struct sim_coro *main_coro;
	unsigned direct_cpu; /* the CPU of operations made outside tasks */

	struct sim_cache *cache; /* NULL: every access costs an L1 hit */
	uint32_t cost[SIM_COST_COUNT];
	struct sim_timing_params timing;
	bool preemptible; /* CONFIG_PREEMPT: preempt/migrate possible */

	uint64_t point_count[SLAB_POINT_COUNT];
	uint64_t executed;	       /* operations done, for the trace */
	const struct sim_sched *sched; /* what to do at a point (scheduler.h) */
	void *sched_state;	       /* the scheduler's own */
	uint64_t sched_quiet;	       /* at_point calls not made: the scheduler answered them */
	struct sim_rng rand;	       /* injection's random stream */
	bool step_counted;	       /* the point asked about counted as an eligible step */
	bool count_choices;	       /* count choice points (exhaustive search) */
	bool choice_counted;	       /* the current point counted as a choice point */
	struct sim_task *watch;	       /* plan->watch_last_action: the task preempted */
	bool footprints;	       /* record_choices or watch_last_action: note accesses */
	bool observed;		       /* footprints, check_every_point or record_trace */
	bool step_watched;	       /* observed or count_choices: no point is quiet (step.h) */

	GHashTable *barriers;	     /* group name -> struct sim_barrier */
	GHashTable *queues;	     /* queue name -> struct sim_queue */
	struct sim_queue *recent[2]; /* the queues found last (engine_services.c) */

	struct sim_shadow_map shadow; /* object offset -> shadow record (engine_checks.c) */
	unsigned in_call;	      /* contexts inside an allocator call */
	uint64_t last_validate;	      /* points at the last quiescent check */

	struct sim_event ring[SIM_EVENT_RING];
	unsigned ring_pos;
	uint64_t trace_hash;
	bool trace_hashed; /* not plan->no_trace_hash */
	/*
	 * What rules out a quiet point for the whole run, folded once set up
	 * (sim_run) so that a point tests one flag for each: step_watched or
	 * trace_hashed (no point is quiet, step.h); the cache model or the
	 * overlap model (a charge is not plain, port_sim.c's quiet_point).
	 */
	bool never_quiet;
	bool charge_modelled;
	/*
	 * The same rules folded with the turn's own (sim_quiet_refresh, kept
	 * wherever one of them changes): whose points may be quiet
	 * (sim_step_quiet: the turn, unless never_quiet), whose port points may
	 * also charge inline (quiet_point: and neither charge_modelled nor a
	 * CPU below the turn's in the heap), and the clock they must be
	 * reached before (its CPU's next periodic interrupt, its call's
	 * livelock bound).
	 */
	struct sim_task *quiet_task;
	struct sim_task *quiet_port_task;
	uint64_t quiet_clock_end;
	/* By kind: a quiet point's charge, and quiet points not yet in the report (port_sim.c). */
	uint32_t quiet_cycles[SIM_KIND_COUNT];
	uint64_t quiet_by_kind[SIM_KIND_COUNT];
	bool stop;
	bool kworkers; /* a kworker was created (kworker.c): the report names them */
	const struct sim_faults *faults; /* the plan's, or the scenario's */
	uint64_t fault_seed; /* the run's seed: the draws of page_alloc_fail_probability */
};

extern struct sim_engine *sim_eng;

/* t runs on c from now (its events record c). */
static inline void sim_task_set_cpu(struct sim_task *t, struct sim_cpu *c)
{
	t->cpu = c;
	t->event_who = sim_event_who(c->id, t->id);
}

/* t's interrupts go off or on; whether its points are eligible steps follows. */
static inline void sim_task_set_irqs_off(struct sim_task *t, bool off)
{
	t->irqs_off = off;
	t->step_eligible = !t->is_irq && !off;
}

/*
 * Should the page allocator call a task makes now fail ([faults],
 * faults.c)?  Counts the call and the failure in the report.
 */
bool sim_fault_page_alloc(struct sim_engine *e, struct sim_task *t);

/* Scheduling (engine.c). */
/*
 * A context the scenario does not name (an interrupt context, a kworker):
 * bound to c, named name (taken), in e->tasks[id], its stack running main;
 * NULL, with nothing kept, when no stack can be mapped.
 */
struct sim_task *sim_context_new(struct sim_engine *e, unsigned id, struct sim_cpu *c, char *name,
				 bool is_irq, sim_coro_fn main);
void sim_heap_update(struct sim_engine *e, struct sim_cpu *c);
/* After the turn, the quiet rules, its CPU's next interrupt or its call's deadline changed. */
void sim_quiet_refresh(struct sim_engine *e);
/*
 * The clock t's points are quiet before (quiet_clock_end, when t is the
 * turn): its CPU's next periodic interrupt, and its call's livelock bound,
 * which fires past call_deadline.
 */
static inline uint64_t sim_quiet_clock_end(const struct sim_task *t)
{
	uint64_t deadline_end = t->call_deadline == UINT64_MAX ? UINT64_MAX : t->call_deadline + 1;
	return MIN(t->cpu->next_irq, deadline_end);
}
/* t is its CPU's current context and that CPU the earliest, and no stop: t runs on. */
static inline bool sim_its_turn(const struct sim_engine *e, const struct sim_task *t)
{
	return !e->stop && e->heap_len && e->heap[0] == t->cpu && t->cpu->current == t;
}
/* sim_yield_until_earliest when it is not t's turn: let the earliest CPU run until it is. */
void sim_wait_for_turn(struct sim_engine *e, struct sim_task *t);
/*
 * Return once t is its CPU's current context and that CPU is the earliest:
 * until then, let the earliest CPU run.  After a stop, control goes to the
 * engine for good (the task's stack is discarded).
 */
static inline void sim_yield_until_earliest(struct sim_engine *e, struct sim_task *t)
{
	if (!sim_its_turn(e, t))
		sim_wait_for_turn(e, t);
}
/* t touched memory (the exhaustive search's footprints; engine.c). */
void sim_note_access(struct sim_engine *e, struct sim_task *t, uint64_t key, unsigned words,
		     bool writes);
/* The plan's last action just preempted t: watch what runs until t does (engine.c). */
void sim_watch_preempted(struct sim_engine *e, struct sim_task *t);
/* The overlap model's part of a charge: what the point adds to the critical path. */
uint64_t sim_charge_overlap(struct sim_engine *e, struct sim_task *t, unsigned kind,
			    uint64_t cycles, const struct sim_timing_mem *mem);
/* c's clock grew: its place in the heap of CPUs. */
void sim_heap_sink(struct sim_engine *e, struct sim_cpu *c);

/* What every charge counts, and t's CPU's clock: all of it but the overlap model and the heap. */
static inline void sim_charge_count(struct sim_engine *e, struct sim_task *t, unsigned kind,
				    uint64_t cycles)
{
	struct sim_run_report *r = e->report;
	r->cycles_by_kind[kind] += cycles;
	r->count_by_kind[kind]++;
	t->cpu->clock += cycles;
}

/* Can c's clock growing move it down the heap of CPUs: has it a child there? */
static inline bool sim_heap_has_child(const struct sim_engine *e, const struct sim_cpu *c)
{
	return c->heap_pos >= 0 && 2 * (unsigned)c->heap_pos + 1 < e->heap_len;
}

/*
 * The same for a point that touches memory (the overlap model's store
 * forwarding).  Every point charges: inline, the overlap model and the
 * heap out of line.
 */
static inline void sim_charge_mem(struct sim_engine *e, struct sim_task *t, unsigned kind,
				  uint64_t cycles, const struct sim_timing_mem *mem)
{
	if (!t) /* outside tasks (setup, end checks): not part of the run */
		return;
	/* The preempt count is the task's own here (struct sim_task), not shared. */
	if (e->footprints && mem && mem->key != SIM_TIMING_PREEMPT_WORD)
		sim_note_access(e, t, mem->key, mem->words, mem->writes);
	if (t->timing)
		cycles = sim_charge_overlap(e, t, kind, cycles, mem);
	sim_charge_count(e, t, kind, cycles);
	/* Only a CPU with a child in the heap can sink (most often: none, one CPU). */
	if (cycles && sim_heap_has_child(e, t->cpu))
		sim_heap_sink(e, t->cpu);
}
/* Charge t's CPU cycles for a point of this kind (or a call) that touches no memory. */
static inline void sim_charge(struct sim_engine *e, struct sim_task *t, unsigned kind,
			      uint64_t cycles)
{
	sim_charge_mem(e, t, kind, cycles, NULL);
}

/* A point reached by the running task: count, inject, wait for its turn. */
struct sim_task *sim_point(enum slab_point pt);
/*
 * The kernel's guards that end a critical section (preempt_enable,
 * local_irq_restore) are where a pending preemption or interrupt is taken:
 * after the count drops or the flag is restored.  Their port calls wait for
 * the running task's turn (sim_turn), change its guard, then reach the
 * point with the operation done (sim_point_after): the scheduler sees the
 * task as it is after the guard, and the checks and the trace see the
 * guard's event before whatever acts there.
 */
struct sim_task *sim_turn(void);
struct sim_task *sim_point_after(enum slab_point pt);
/*
 * Stop the run with a finding.  kind is a short stable name ("livelock",
 * "double-allocation", ...); workload_bug marks the workload's own errors
 * (a double free, a wild free) as opposed to the allocator's.
 */
void sim_violation(struct sim_engine *e, struct sim_task *t, const char *kind, bool workload_bug,
		   const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* Stop the run: the scenario itself cannot run (its costs, its interrupt rate). */
void sim_scenario_fault(struct sim_engine *e, struct sim_task *t, const char *kind, const char *fmt,
			...) G_GNUC_PRINTF(4, 5);
void sim_block(struct sim_engine *e, struct sim_task *t);
void sim_wake(struct sim_engine *e, struct sim_task *t, uint64_t when);

/*
 * What schedulers call (scheduler.h), over the SIM_ACT_COUNT kinds:
 * preempt, migrate, irq, fail.
 */
bool sim_can_act(struct sim_engine *e, struct sim_task *t, enum sim_action_kind kind);
/* Carry out an action at pt; false (and nothing done) if it cannot happen here. */
bool sim_act(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
	     enum sim_action_kind kind, int arg);
/* The scenario's enabled kinds that could act at t now; their number. */
unsigned sim_possible_kinds(struct sim_engine *e, struct sim_task *t, enum sim_action_kind *kinds);
/* A migration's target or an interrupt's source: drawn from e->rand, or the next after rotate. */
int sim_action_arg(struct sim_engine *e, struct sim_task *t, enum sim_action_kind kind, bool drawn,
		   unsigned rotate);

/* Checks (engine_checks.c). */
void sim_check_alloc(struct sim_engine *e, struct sim_task *t, void *p, size_t size, int node);
/* False (after reporting the workload's bug) if p may not be freed. */
bool sim_check_free(struct sim_engine *e, struct sim_task *t, const void *p);
bool sim_check_freelists(struct sim_engine *e);
void sim_check_quiescent(struct sim_engine *e, struct sim_task *t);
/* A kernel design's walk at the end of a run (after its shrink): the problems, reported. */
unsigned sim_check_kernel_slabs(struct sim_engine *e, GString *text);

/*
 * Contexts by id: the scenario's tasks, then one interrupt context per CPU,
 * then room for one kworker per CPU (kworker.c).
 */
static inline unsigned sim_kworker_id(const struct sim_engine *e, unsigned cpu)
{
	return sim_scenario_kworker_id(e->sc, cpu); /* e->nr_tasks, e->nr_cpus: the scenario's */
}
static inline unsigned sim_task_slots(const struct sim_engine *e)
{
	return e->nr_tasks + 2 * e->nr_cpus;
}
/*
 * 5.15's flush_all reached t's CPU (an irq_flush source's handler): its
 * work queued for the CPU's kworker, unless already queued or running.
 */
void sim_kworker_queue_flush(struct sim_engine *e, struct sim_task *t, size_t size);
/* The kworker t runs flush_all's work on its CPU: one allocator call (engine_services.c). */
void sim_flush_work(struct sim_task *t, size_t size);

/* Destructors of the barrier and queue tables (engine_services.c). */
void sim_barrier_free(gpointer p);
void sim_queue_free(gpointer p);

enum sim_mem_op {
	SIM_MEM_LOAD,
	SIM_MEM_STORE,	/* a plain store: the store buffer hides a miss */
	SIM_MEM_ATOMIC, /* a locked or %gs read-modify-write: waits for the line */
};

/* A memory access by cpu with the cache model on: where it was served and what it costs. */
uint64_t sim_mem_cost_cached(struct sim_engine *e, unsigned cpu, const void *addr,
			     enum sim_mem_op op);

/* An access without the cache model: an L1 hit, counted. */
static inline uint64_t sim_mem_cost_l1(struct sim_engine *e)
{
	uint64_t cost = e->cost[SIM_COST_l1_hit];
	e->report->accesses_by_level[SIM_CACHE_L1]++;
	e->report->cycles_by_level[SIM_CACHE_L1] += cost;
	return cost;
}

/* A memory access by cpu: without the cache model, every access is an L1 hit. */
static inline uint64_t sim_mem_cost(struct sim_engine *e, unsigned cpu, const void *addr,
				    enum sim_mem_op op)
{
	if (e->cache)
		return sim_mem_cost_cached(e, cpu, addr, op);
	return sim_mem_cost_l1(e);
}

extern const struct slab_port_ops sim_port_ops;
/* The charge of a quiet point by kind, once the costs are set (port_sim.c). */
void sim_quiet_setup(struct sim_engine *e);
/* The quiet points' charges into the report's tallies: at the run's end (port_sim.c). */
void sim_quiet_fold(struct sim_engine *e);

/* A plain load or store by t: the line's cost (port_sim.c). */
void sim_charge_access(struct sim_engine *e, struct sim_task *t, enum slab_point_kind kind,
		       const void *addr, enum sim_mem_op op);
/* A page allocator call's point, cost and failure injection: true if it fails (port_sim.c). */
bool sim_page_alloc_step(enum slab_point pt, unsigned order);
void sim_page_free_step(enum slab_point pt, unsigned order);

#endif /* SIM_ENGINE_INTERNAL_H */
