/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine.h - the simulator's engine: virtual CPUs with cycle clocks, tasks
 * as coroutines, and the points where time is charged and where a task may
 * be preempted, migrated or interrupted.
 *
 * Time: every point charges its cost to its CPU's clock.  Before a point's
 * operation takes effect, the engine makes sure its CPU has the earliest
 * clock of all CPUs with work (ties broken by CPU id); if not, it switches
 * to that CPU's task.  So the cost model decides the interleaving, and an
 * operation happens at its CPU's time, in one indivisible step.  A task
 * keeps running without any switch while its clock stays the earliest.
 *
 * Injection: at a point where the running task has preemption and
 * interrupts enabled (and the preemption model allows it), the scenario's
 * policy may preempt it (another task of that CPU runs), migrate it to
 * another CPU, or run an interrupt handler on its CPU.  Points with
 * preemption or interrupts disabled are never injected at: that is how the
 * allocator's guards matter.
 *
 * One engine runs one design of one scenario at a time; the allocator's
 * state lives in the slab world it sets up and tears down.
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "cache_model.h"
#include "port.h"
#include "rng.h"
#include "scenario.h"

struct sim_task;

/*
 * What cycles are charged to: the allocator's point kinds, and the
 * workload's calls into the allocator (SIM_KIND_CALL).
 */
#define SIM_KIND_CALL SLAB_PK_COUNT
#define SIM_KIND_COUNT (SLAB_PK_COUNT + 1)
const char *sim_kind_name(unsigned kind);

/* A per-op average the workload reports, compared across designs. */
struct sim_metric {
	char *name;	 /* e.g. "test1 kmalloc(8)" */
	uint64_t cycles; /* total */
	uint64_t ops;
};

struct sim_task_report {
	char *name;
	GString *output;    /* lines the workload printed */
	GPtrArray *metrics; /* struct sim_metric *, in report order */
};

/* A set of points, one bit per enum slab_point. */
#define SIM_POINT_WORDS ((SLAB_POINT_COUNT + 63) / 64)
static inline bool sim_point_in(const uint64_t *set, unsigned pt)
{
	return set[pt / 64] >> (pt % 64) & 1;
}

/* SLUB_STATS counters a report holds (engine.c asserts they all fit). */
#define SIM_STATS_MAX 32

struct sim_run_report {
	const struct slab_design *design;
	uint64_t seed;
	uint64_t points;     /* points executed by tasks */
	uint64_t end_cycles; /* the largest CPU clock at the end */
	uint64_t cycles_by_kind[SIM_KIND_COUNT];
	uint64_t count_by_kind[SIM_KIND_COUNT];
	uint64_t accesses_by_level[SIM_CACHE_NR_WHERE];
	uint64_t cycles_by_level[SIM_CACHE_NR_WHERE];
	uint64_t prefetched; /* misses charged as L2 hits by the stream rule */
	uint64_t preemptions, migrations, interrupts;
	uint64_t failures;	 /* fail actions taken (failed page allocations) */
	uint64_t lock_spins;	 /* spins on a held list_lock (another CPU holds it) */
	uint64_t eligible_steps; /* points where a task could have been preempted or
				  * interrupted */
	uint64_t choice_points;	 /* points where an action of the injection's kinds was
				  * possible (counted for inject.steps_at_choices and
				  * policy pct: its k) */
	GArray *choices;	 /* struct sim_choice, with plan->record_choices */
	/*
	 * With plan->record_choices: for each choice point (index - 1), the
	 * memory the run touched from it up to the next one (spans), in
	 * accesses.  With plan->watch_last_action: what other tasks touched
	 * after the plan's last action preempted, migrated or interrupted its
	 * task (an interrupt: its handler), until that task ran
	 * again (watched; watch_closed once it did).  The exhaustive search's
	 * reduction compares them (exhaustive.c).
	 */
	GArray *spans;	  /* struct sim_choice_span */
	GArray *accesses; /* struct sim_access */
	GArray *watched;  /* struct sim_access */
	bool watch_closed;
	uint64_t watch_closed_at;      /* choice_points when it closed */
	uint64_t stats[SIM_STATS_MAX]; /* SLUB_STATS, summed over caches and CPUs */
	/* Coverage: the points the run executed, and those an action was taken at. */
	uint64_t points_executed[SIM_POINT_WORDS];
	uint64_t points_decided[SIM_POINT_WORDS];
	struct sim_task_report *tasks;
	unsigned nr_tasks;
	GArray *decisions; /* struct sim_decision: what was injected, in order */
	GArray *trace;	   /* struct sim_trace_event, with record_trace */
	char **task_names; /* every context's name, by task id (irq contexts last) */
	unsigned nr_task_names;
	bool violation;
	const char *violation_kind; /* "double-allocation", "leak", ... */
	bool workload_bug;	    /* the workload's error, not the allocator's */
	bool scenario_fault;	    /* the scenario's (its costs or interrupt rate): exit 2 */
	uint64_t violation_event;   /* points executed when it was found */
	bool check_fired;	    /* check_every_point found the freelists corrupt */
	GString *violation_text;    /* what, where, last events */
	uint64_t trace_hash;	    /* FNV-1a over (cpu, point, clock) of every point */
	/* Failure injection ([faults], struct sim_faults) and what it did. */
	struct sim_faults faults;   /* what the run injected */
	uint64_t page_alloc_calls;  /* the page allocator's calls from tasks */
	uint64_t page_alloc_faults; /* of them, made to fail */
	uint64_t kmalloc_failures;  /* kmalloc calls from tasks that returned NULL */
};

/*
 * The kinds of allocator violation the checks report, NULL-terminated: what
 * a scenario's expect_violation may name after a design (DESIGN:KIND).  The
 * workload's own bugs (workload-*) and scenario problems are not in it.
 */
extern const char *const sim_allocator_violation_kinds[];
bool sim_is_allocator_violation_kind(const char *kind);

/* One executed point, when a run records its trace. */
struct sim_trace_event {
	uint64_t event; /* 1-based, in the order the operations took effect */
	uint64_t clock;
	unsigned cpu;
	unsigned task;
	int point;
	uint64_t occurrence; /* of point, counted when the task reached it */
	uint32_t site;	     /* a kernel design's: code offset + 1 (sim_site_name); 0 none */
};

/*
 * What one run of a scenario does.  The scenario is loaded once and never
 * changed; everything that differs between runs of it (the design, the
 * seed, where actions are injected, trial costs) is here.
 */
struct sim_run_plan {
	const struct slab_design *design;
	uint64_t seed;
	const struct sim_inject *inject; /* NULL: the scenario's [inject] */
	const uint32_t *cost;		 /* SIM_COST_COUNT values; NULL: the scenario's profile */
	bool check_every_point;		 /* the freelist invariants before every point */
	bool record_trace;		 /* every point into report->trace */
	const struct sim_faults *faults; /* NULL: the scenario's [faults] */
	/*
	 * Called every SIM_PROGRESS_POINTS points with the points so far
	 * (NULL: never), on a task's stack; it only watches.
	 */
	void (*progress)(void *arg, uint64_t points);
	void *progress_arg;
	/*
	 * Every choice point into report->choices, with each action possible
	 * there (the exhaustive search's tree); counts choice points.
	 */
	bool record_choices;
	bool watch_last_action; /* report->watched (exhaustive search) */
	bool no_trace_hash;	/* report->trace_hash stays 0: nobody reads it (explore's runs) */
};

/*
 * A memory access as the reduction sees it: words of the slab world (or a
 * pseudo-word: the page allocator, a workload queue or barrier), and
 * whether it wrote.  Two accesses conflict when they share a word and one
 * writes.
 */
struct sim_access {
	uint64_t key;
	uint32_t words;
	uint32_t writes;
};
#define SIM_ACCESS_PAGE_ALLOCATOR (1ull << 61)
#define SIM_ACCESS_SYNC (1ull << 62) /* | the hash of a queue's or barrier's name */

/* The run from one choice point to the next: who ran, and what it touched. */
struct sim_choice_span {
	unsigned task; /* the task at the choice point */
	bool mixed;    /* another task (or CPU) ran a point before the next choice point */
	/*
	 * Another task accessed shared memory in the span without a point of
	 * its own (on another CPU: a workload's store into its object).
	 */
	bool foreign;
	unsigned first;	   /* into report->accesses */
	unsigned accesses; /* how many */
	/*
	 * An operation whose effect depends on the CPU it runs on (a per-CPU
	 * operation or pointer, a page allocation) ran in the span: set by the
	 * steps scheduler (sched_steps.c) for the exhaustive search's
	 * migration rule (exhaustive.c).
	 */
	bool cpu_bound;
};

/*
 * One action possible at a choice point of a run: a point where the
 * running task could be preempted (to each task of its run queue),
 * migrated (to each other CPU) or interrupted (by each source of its CPU),
 * under the injection's kinds.  Periodic interrupts are the engine's, so a
 * point where one fires is no choice point.
 */
struct sim_choice {
	uint64_t index;	     /* the choice point, 1-based (report->choice_points) */
	int point;	     /* enum slab_point */
	uint64_t occurrence; /* of the point, as decisions count it */
	unsigned task;	     /* the running task's id */
	enum sim_action_kind action;
	int arg; /* as struct sim_decision's */
};

#define SIM_PROGRESS_POINTS (1u << 18)

/*
 * Run the scenario's tasks as planned; fills report (free it with
 * sim_run_report_free, whatever the result).  Returns false only if the
 * run could not be set up (message in err); a violation is a result,
 * reported in report.
 */
bool sim_run(const struct sim_scenario *sc, const struct sim_run_plan *plan,
	     struct sim_run_report *report, char *err, unsigned err_len);
void sim_run_report_free(struct sim_run_report *r);

/* ---- services for workloads (called from inside a task) ---- */

uint64_t sim_task_clock(struct sim_task *t);
unsigned sim_task_cpu(struct sim_task *t);
unsigned sim_task_node(struct sim_task *t);
/* NUMA nodes of the run (the scenario's). */
unsigned sim_nr_nodes(struct sim_task *t);
/* Position of the task in its group (cpu = all) and the group's size. */
unsigned sim_task_group_index(struct sim_task *t);
unsigned sim_task_group_size(struct sim_task *t);
const char *sim_task_group_name(struct sim_task *t);
/* The task's random stream (seeds.h: SIM_SEED_TASK or SIM_SEED_IRQ). */
struct sim_rng *sim_task_rand(struct sim_task *t);
/*
 * Zeroed memory that lives as long as the run: a run stopped by a
 * violation abandons its tasks' stacks, so workloads keep their buffers
 * here rather than in g_new/g_free pairs.
 */
void *sim_task_alloc(struct sim_task *t, size_t bytes);

/* The allocator, as a workload calls it: charges the call, bounds livelock. */
void *sim_kmalloc(struct sim_task *t, size_t size);
void *sim_kmalloc_node(struct sim_task *t, size_t size, int node);
/* kzalloc_node: the object comes zeroed (__GFP_ZERO). */
void *sim_kzalloc_node(struct sim_task *t, size_t size, int node);
void sim_kfree(struct sim_task *t, void *p);

/*
 * flush_all's IPI on the task's CPU: the cpu slab and per-CPU partial
 * slabs of the kmalloc cache of size go back to the node (an interrupt
 * handler's work).  On 5.15's slow path it queues that work for the CPU's
 * kworker instead (kworker.c), which runs it as a task.
 */
void sim_flush_this_cpu(struct sim_task *t, size_t size);

/* A store by the workload into an object (through the cache model). */
void sim_touch(struct sim_task *t, void *p);

/* Wait until every task of this task's group has arrived. */
void sim_barrier(struct sim_task *t);

/* Named queues between tasks; push waits while full, pop while empty. */
void sim_queue_push(struct sim_task *t, const char *name, void *p, unsigned capacity);
void *sim_queue_pop(struct sim_task *t, const char *name);
/* NULL at once when the queue is empty. */
void *sim_queue_try_pop(struct sim_task *t, const char *name);

void sim_task_printf(struct sim_task *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void sim_task_metric(struct sim_task *t, const char *name, uint64_t cycles, uint64_t ops);

#endif /* SIM_ENGINE_H */
