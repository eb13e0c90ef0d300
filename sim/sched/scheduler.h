/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scheduler.h - schedulers: what the simulator does at a point.
 *
 * A scheduler answers one question, at every point a task reaches where
 * the engine could act: preempt, migrate, run an interrupt, or nothing?
 * It answers by calling sim_act(), which checks that the action can happen
 * there (preemption and irqs enabled, a task to switch to, a CPU to move
 * to) and carries it out; everything else - time, interleaving, checks -
 * stays in the engine.  One file per policy (sched_*.c); the registry in
 * sched.c maps the scenario's [inject] policy to it.  Periodic interrupts
 * ([irq] with a period) are the engine's, whatever the scheduler.
 *
 * Anchor: Shuttle's Scheduler trait (next_task at each step), with the
 * engine keeping time.  A new scheduler is one sched_*.c file, a line in
 * sched.c's registry and a word for its policy.
 */
#ifndef SIM_SCHEDULER_H
#define SIM_SCHEDULER_H

#include <stdbool.h>

#include "port.h"
#include "scenario.h"

struct sim_engine;
struct sim_task;

struct sim_sched {
	enum sim_inject_policy policy;
	const char *name; /* the [inject] policy word */
	/*
	 * Before the run, after the tasks exist; may draw from the run's random
	 * stream (e->rand).  Keeps its state in e->sched_state.  NULL: no state.
	 */
	void (*setup)(struct sim_engine *e);
	/*
	 * The running task t reached pt: decide, and act through sim_act().
	 * NULL: never acts.  Setting e->sched_quiet to n answers the next n
	 * calls in advance ("nothing"): the engine skips them.
	 */
	void (*at_point)(struct sim_engine *e, struct sim_task *t, enum slab_point pt);
	/* After the run: free e->sched_state.  NULL: g_free it. */
	void (*teardown)(struct sim_engine *e);
};

/* The scheduler of a policy. */
const struct sim_sched *sim_sched_for(enum sim_inject_policy policy);

/* The policy words in enum order, NULL-terminated (for the scenario reader). */
extern const char *const sim_sched_policy_words[];

#define SIM_SCHED(name, word, in_scenarios) extern const struct sim_sched sim_sched_##word;
#include "schedulers.def"
#undef SIM_SCHED

#endif /* SIM_SCHEDULER_H */
