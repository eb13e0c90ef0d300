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
	/*
	 * The chance is drawn first, at every point: asking which kinds could
	 * act costs more than a draw, and is needed only at the one point in
	 * 1/probability that acts.  Where no kind could act, the draw decides
	 * nothing, so each point where one could still acts with the
	 * scenario's probability, independently of the others.
	 */
	if (sim_rng_double(&e->rand) >= e->inject->probability)
		return;
	enum sim_action_kind kinds[SIM_ACT_COUNT];
	unsigned n = sim_possible_kinds(e, t, kinds);
	if (!n)
		return;
	enum sim_action_kind kind = kinds[sim_rng_below(&e->rand, n)];
	sim_act(e, t, pt, kind, sim_action_arg(e, t, kind, true, 0));
}

const struct sim_sched sim_sched_random = { SIM_INJECT_RANDOM, "random", NULL, at_point, NULL };
