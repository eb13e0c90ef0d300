/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_steps.c - policy "steps", explore's bounded search: a planned list
 * of actions at eligible-step indices (the Nth point where a task could be
 * preempted or interrupted, counted as PCT's k is).  explore enumerates
 * the placements of at most a few actions, nearest pairs first.
 */
#include "engine_internal.h"
#include "scheduler.h"

struct steps_state {
	unsigned next; /* the next planned action */
};

static void setup(struct sim_engine *e)
{
	e->sched_state = g_new0(struct steps_state, 1);
}

static void at_point(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct steps_state *st = e->sched_state;
	const struct sim_inject *in = e->inject;
	/* sim_point counted this step already if it was eligible. */
	while (st->next < in->nr_steps && in->steps[st->next].step < e->report->eligible_steps)
		st->next++;
	if (st->next < in->nr_steps && in->steps[st->next].step == e->report->eligible_steps &&
	    e->step_counted) {
		const struct sim_step_action *a = &in->steps[st->next++];
		sim_act(e, t, pt, a->action, a->arg);
	}
}

const struct sim_sched sim_sched_steps = { SIM_INJECT_STEPS, "steps", setup, at_point, NULL };
