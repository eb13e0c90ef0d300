/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_pct.c - policy "pct" (Burckhardt et al., ASPLOS 2010): tasks run by
 * priority, the highest runnable one on each CPU first; at d - 1 change
 * points among the first k steps the running task drops below every other
 * and is preempted (to the highest runnable task), migrated or interrupted
 * (an enabled kind, at random).  Clocks still order the CPUs; priorities
 * order the tasks of one CPU.
 *
 * k counts the steps where the scheduler could act: some enabled kind of
 * action is possible there (the engine's choice points,
 * report->choice_points, as the exhaustive search counts them).  The paper's k
 * counts every step, but a change point where nothing can happen (the
 * other tasks done or blocked, preemption off) is lost: on race-preempt
 * only 250 of 1,400 eligible points can preempt, and the depth spent on
 * the others is why plain PCT found nothing there.
 *
 * The plan (priorities, change points) is explore's, a function of the
 * run's index (pct_plan.h); under a scenario's own policy, one drawn from
 * the run's stream over its depth and k = 1000.
 */
#include "engine_internal.h"
#include "pct_plan.h"
#include "scheduler.h"

struct pct_state {
	struct sim_pct_plan plan;
	unsigned next; /* the next change point */
	int prio_low;  /* below every priority given so far */
};

static void setup(struct sim_engine *e)
{
	const struct sim_inject *in = e->inject;
	struct pct_state *st = g_new0(struct pct_state, 1);
	if (in->pct_plan) {
		st->plan = *in->pct_plan;
	} else {
		unsigned d = in->pct_depth ? in->pct_depth : 1;
		struct sim_pct_space space = { e->nr_tasks, in->pct_steps ? in->pct_steps : 1000, d,
					       d };
		uint64_t key = sim_rng_next(&e->rand);
		sim_pct_plan_of(&space, key, sim_rng_next(&e->rand), &st->plan);
	}
	int *prio = g_new(int, e->nr_tasks);
	sim_pct_priorities(&st->plan, e->nr_tasks, prio);
	for (unsigned i = 0; i < e->nr_tasks; i++)
		e->tasks[i]->prio = prio[i];
	g_free(prio);
	st->prio_low = (int)st->plan.nchange;
	e->sched_state = st;
}

/* The highest-priority task in t's run queue, or NULL. */
static struct sim_task *best_waiting(struct sim_task *t)
{
	struct sim_task *best = NULL;
	for (GList *l = t->cpu->runq.head; l; l = l->next) {
		struct sim_task *o = l->data;
		if (!best || o->prio > best->prio)
			best = o;
	}
	return best;
}

static void at_point(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct pct_state *st = e->sched_state;
	enum sim_action_kind kinds[SIM_ACT_COUNT];
	unsigned n = e->choice_counted ? sim_possible_kinds(e, t, kinds) : 0;
	if (n && st->next < st->plan.nchange &&
	    st->plan.change[st->next] == e->report->choice_points) {
		st->next++;
		t->prio = st->prio_low--;
		enum sim_action_kind kind = kinds[sim_rng_below(&e->rand, n)];
		struct sim_task *to = kind == SIM_ACT_PREEMPT ? best_waiting(t) : NULL;
		int arg = to ? (int)to->id + 1 : sim_action_arg(e, t, kind, true, 0);
		sim_act(e, t, pt, kind, arg);
		return;
	}
	if (!sim_can_act(e, t, SIM_ACT_PREEMPT))
		return;
	struct sim_task *best = best_waiting(t);
	if (best && best->prio > t->prio)
		sim_act(e, t, pt, SIM_ACT_PREEMPT, (int)best->id + 1);
}

const struct sim_sched sim_sched_pct = { SIM_INJECT_PCT, "pct", setup, at_point, NULL };
