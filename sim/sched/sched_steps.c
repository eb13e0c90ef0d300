/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_steps.c - policy "steps", explore's bounded search: a planned list
 * of actions at eligible-step indices (the Nth point where a task could be
 * preempted or interrupted, counted as PCT's k is).  explore enumerates
 * the placements of at most a few actions, nearest pairs first.  The
 * exhaustive search plans at choice-point indices instead (the Nth point
 * where an action was possible: inject.steps_at_choices), over the tree of
 * the runs it has seen.
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
	/* sim_point counted this step already if it was eligible (or a choice point). */
	uint64_t step = in->steps_at_choices ? e->report->choice_points : e->report->eligible_steps;
	bool counted = in->steps_at_choices ? e->choice_counted : e->step_counted;
	while (st->next < in->nr_steps && in->steps[st->next].step < step)
		st->next++;
	if (st->next < in->nr_steps && in->steps[st->next].step == step && counted) {
		const struct sim_step_action *a = &in->steps[st->next++];
		if (sim_act(e, t, pt, a->action, a->arg) && st->next == in->nr_steps &&
		    a->action == SIM_ACT_PREEMPT)
			sim_watch_preempted(e, t);
	}
}

const struct sim_sched sim_sched_steps = { SIM_INJECT_STEPS, "steps", setup, at_point, NULL };
