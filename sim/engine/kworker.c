/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kworker.c - 5.15's flush_all on the designs with its slow path
 * (SLAB_SLOW_LOCAL_LOCK): a work item per CPU run by that CPU's kworker, a
 * task, instead of an IPI handler.
 *
 * From 5.15 flush_all queues flush_cpu_slab on every CPU that has a cpu
 * slab or per-CPU partials (schedule_work_on, under flush_lock) and waits
 * for each (flush_work).  The work runs in a kworker bound to that CPU:
 * process context, preemptible, interrupts on; flush_slab and
 * unfreeze_partials take the local_lock only for their short sections.
 *
 * Here a flush source ([irq] workload irq_flush) injected on a CPU is the
 * wake-up that queue_work_on sends there: its handler queues the work and
 * returns.  The CPU's kworker (created at its first work, id nr_tasks +
 * nr_cpus + CPU, named kworker/CPU) joins the CPU's run queue and runs the
 * work when the scheduler preempts the CPU's task for it, or when that
 * task blocks or ends; it can itself be preempted and interrupted at its
 * points, never migrated.  The requester is not a task of the scenario,
 * and a request while the CPU's work is still queued or running adds
 * nothing: in 5.15 a second flush_all waits on flush_lock until the first
 * one's work is done and then queues again, which is the same request
 * injected at a later point, a schedule the search tries too.  The work is
 * queued whatever the CPU holds (5.15 skips a CPU without a cpu slab or
 * partials): the work then finds nothing to do.
 */

#include "engine_internal.h"

/* The kworker's life: a flush per wake-up, then asleep until the next. */
static void kworker_main(void *arg)
{
	struct sim_task *w = arg;
	struct sim_engine *e = sim_eng;
	for (;;) {
		sim_yield_until_earliest(e, w);
		sim_flush_work(w, w->work_size);
		sim_block(e, w);
	}
}

/* CPU c's kworker, asleep (blocked, on no run queue); NULL if no stack. */
static struct sim_task *kworker_create(struct sim_engine *e, struct sim_cpu *c)
{
	/* Bound to its CPU (pinned: migration disabled), interrupts on: its points are steps. */
	struct sim_task *w =
	    sim_context_new(e, sim_kworker_id(e, c->id), c,
			    g_strdup_printf(SIM_KWORKER_NAME_FORMAT, c->id), false, kworker_main);
	if (!w)
		return NULL;
	w->state = SIM_TASK_BLOCKED;
	c->kworker = w;
	e->kworkers = true;
	return w;
}

void sim_kworker_queue_flush(struct sim_engine *e, struct sim_task *t, size_t size)
{
	struct sim_cpu *c = t->cpu;
	struct sim_task *w = c->kworker ? c->kworker : kworker_create(e, c);
	if (!w) {
		sim_scenario_fault(e, t, "no-stack", "cannot map a stack for kworker/%u", c->id);
		sim_yield_until_earliest(e, t); /* the stop makes it final */
		return;
	}
	if (w->state != SIM_TASK_BLOCKED)
		return; /* queued or running: flush_all's work is already there */
	w->work_size = size;
	sim_wake(e, w, c->clock);
}
