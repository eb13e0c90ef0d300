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
 *
 * A kind with its own chance ([inject] irq_probability and the like, below
 * probability) is thinned: once drawn, it acts only when one more draw
 * says so, with kind_probability / probability.  The other kinds draw
 * nothing more, so a scenario that sets no such key draws what it always
 * drew.
 */
#include "engine_internal.h"
#include "scheduler.h"

/* Chances drawn ahead at most: the skip's bound when the probability is tiny. */
#define DRAW_AHEAD_MAX 64
_Static_assert(DRAW_AHEAD_MAX % 4 == 0, "draw_ahead draws four at a time");

struct random_state {
	/*
	 * A chance acts when its draw's top 53 bits are below sim_rng_double_below
	 * (rng.h) of the probability: when the whole draw is below that shifted
	 * left by 11 (the same test, without the shift per draw), or always when
	 * it is 2^53 (probability 1), which the shift would lose.
	 */
	uint64_t below_draw;
	bool always;
	bool due; /* the chance of the call the engine makes next was drawn already, and acts */
	/* By kind: thinned to its own chance, kept when a draw is below keep_draw. */
	bool thinned[SIM_ACT_COUNT];
	uint64_t keep_draw[SIM_ACT_COUNT];
};

static void setup(struct sim_engine *e)
{
	struct random_state *st = g_new0(struct random_state, 1);
	uint64_t below = sim_rng_double_below(e->inject->probability);
	st->always = below >= 1ull << 53;
	st->below_draw = below << 11;
	for (int k = 0; k < SIM_ACT_COUNT; k++) {
		/* At most the probability in effect (explore's --probability may lower it). */
		double own = e->inject->kind_probability[k];
		st->thinned[k] = own > 0 && own < e->inject->probability;
		if (st->thinned[k])
			st->keep_draw[k] = sim_rng_double_below(own / e->inject->probability) << 11;
	}
	e->sched_state = st;
}

/*
 * Draws chances until one acts, DRAW_AHEAD_MAX at most: the number drawn
 * before the one that acts, or DRAW_AHEAD_MAX when none did.  Four draws a
 * turn of the loop (DRAW_AHEAD_MAX is a multiple of four): the draws are
 * the same, one by one, and stop at the same one.
 */
static unsigned draw_ahead(struct sim_rng *r, const struct random_state *st)
{
	if (st->always) {
		sim_rng_next(r);
		return 0;
	}
	const uint64_t below = st->below_draw;
	struct sim_rng rand = *r; /* in registers for the loop */
	unsigned ahead = 0;
	for (; ahead < DRAW_AHEAD_MAX; ahead += 4) {
		if (sim_rng_next(&rand) < below)
			break;
		if (sim_rng_next(&rand) < below) {
			ahead += 1;
			break;
		}
		if (sim_rng_next(&rand) < below) {
			ahead += 2;
			break;
		}
		if (sim_rng_next(&rand) < below) {
			ahead += 3;
			break;
		}
	}
	*r = rand;
	return ahead;
}

/* One of the kinds that could act at t, drawn at random, thinned, with a drawn argument. */
static void random_action(struct sim_engine *e, const struct random_state *st, struct sim_task *t,
			  enum slab_point pt)
{
	enum sim_action_kind kinds[SIM_ACT_COUNT];
	unsigned n = sim_possible_kinds(e, t, kinds);
	if (!n)
		return;
	enum sim_action_kind kind = kinds[sim_rng_below(&e->rand, n)];
	if (st->thinned[kind] && sim_rng_next(&e->rand) >= st->keep_draw[kind])
		return;
	sim_act(e, t, pt, kind, sim_action_arg(e, t, kind, true, 0));
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
		unsigned ahead = draw_ahead(&e->rand, st);
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
	random_action(e, st, t, pt);
}

const struct sim_sched sim_sched_random = { SIM_INJECT_RANDOM, "random", setup, at_point, NULL };
