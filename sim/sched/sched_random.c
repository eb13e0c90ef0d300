/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_random.c - policy "random": at each point where an enabled kind of
 * action could happen, with the scenario's probability, one of those
 * kinds drawn at random, with a random target CPU or interrupt source.
 * Every draw comes from the run's seeded stream.
 */
#include "engine_internal.h"
#include "scheduler.h"

static void at_point(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	enum sim_action_kind kinds[SIM_ACTION_KINDS];
	unsigned n = sim_possible_kinds(e, t, kinds);
	if (!n || g_rand_double(e->rand) >= e->inject->probability)
		return;
	enum sim_action_kind kind = kinds[g_rand_int_range(e->rand, 0, (gint32)n)];
	sim_act(e, t, pt, kind, sim_action_arg(e, t, kind, true, 0));
}

const struct sim_sched sim_sched_random = { SIM_INJECT_RANDOM, "random", NULL, at_point, NULL };
