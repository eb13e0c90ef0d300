/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_random.c - policy "random": at each point where an enabled kind of
 * action could happen, with the scenario's probability, one of those
 * kinds drawn at random, with a random target CPU or interrupt source.
 * Every draw comes from the run's seeded stream.
 *
 * The chance is drawn at every point the scheduler is asked about, and
 * acts at about one in 1/probability: so it draws ahead, in one loop, up
 * to the next draw that acts, and the engine skips the calls in between
 * (e->sched_quiet).  Nothing else draws from the run's stream before an
 * action (sim_action_arg and the kind's draw come after the acting
 * chance), so every draw is the one the point-by-point order made: the
 * same stream, the same actions at the same points.
 */
#include "engine_internal.h"
#include "scheduler.h"

/* Chances drawn ahead at most: the skip's bound when the probability is tiny. */
#define DRAW_AHEAD_MAX 64

struct random_state {
	uint64_t below; /* a chance acts when its draw's top 53 bits are below this (rng.h) */
	bool due; /* the chance of the call the engine makes next was drawn already, and acts */
};

static void setup(struct sim_engine *e)
{
	struct random_state *st = g_new0(struct random_state, 1);
	st->below = sim_rng_double_below(e->inject->probability);
	e->sched_state = st;
}

static void at_point(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct random_state *st = e->sched_state;
	if (!st->due) {
		/*
		 * This call's chance, then the next ones' until one acts: the
		 * first to act (number ahead) is due at the ahead-th call from
		 * now; the calls before it draw nothing new and do nothing.
		 */
		struct sim_rng rand = e->rand; /* in registers for the loop */
		const uint64_t below = st->below;
		unsigned ahead = 0;
		while (sim_rng_next(&rand) >> 11 >= below && ++ahead < DRAW_AHEAD_MAX)
			;
		e->rand = rand;
		if (ahead == DRAW_AHEAD_MAX) {
			e->sched_quiet = ahead - 1;
			return;
		}
		if (ahead) {
			e->sched_quiet = ahead - 1;
			st->due = true;
			return;
		}
	}
	st->due = false;
	/*
	 * Asking which kinds could act costs more than a draw, and is needed
	 * only at the one point in 1/probability that acts.  Where no kind
	 * could act, the draw decided nothing, so each point where one could
	 * still acts with the scenario's probability, independently of the
	 * others.
	 */
	sim_random_action(e, t, pt);
}

const struct sim_sched sim_sched_random = { SIM_INJECT_RANDOM, "random", setup, at_point, NULL };
