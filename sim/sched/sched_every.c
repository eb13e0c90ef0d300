/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_every.c - policy "every": at every Nth point where an enabled kind
 * of action could happen, the next of those kinds in turn.  The target of
 * a migration is the next CPU, the interrupt source the next in turn.
 */
#include "engine_internal.h"
#include "scheduler.h"

struct every_state {
	uint64_t eligible; /* points where some enabled kind could act */
	unsigned rotate;   /* which kind (and irq source) next */
};

static void setup(struct sim_engine *e)
{
	e->sched_state = g_new0(struct every_state, 1);
}

static void at_point(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct every_state *st = e->sched_state;
	enum sim_action_kind kinds[SIM_ACT_COUNT];
	unsigned n = sim_possible_kinds(e, t, kinds);
	if (!n || ++st->eligible % e->inject->every)
		return;
	enum sim_action_kind kind = kinds[st->rotate++ % n];
	sim_act(e, t, pt, kind, sim_action_arg(e, t, kind, false, st->rotate));
}

const struct sim_sched sim_sched_every = { SIM_INJECT_EVERY, "every", setup, at_point, NULL };
