/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_pct.c - policy "pct" (Burckhardt et al., ASPLOS 2010): tasks run by
 * priority, the highest runnable one on each CPU first; at d - 1 steps
 * drawn over the k steps where a task could be preempted, the running task
 * drops below every other and is preempted, migrated or interrupted (an
 * enabled kind, at random).  Clocks still order the CPUs; priorities order
 * the tasks of one CPU.  Steps are counted as k is measured
 * (report->eligible_steps, e->step_counted).
 */
#include "engine_internal.h"
#include "scheduler.h"

#define PCT_CHANGES_MAX 16

struct pct_state {
	uint64_t change[PCT_CHANGES_MAX]; /* eligible steps where priority drops, sorted */
	unsigned nchange, next;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Distinct random priorities (task i first gets d + i), d - 1 distinct change points. */
static void setup(struct sim_engine *e)
{
	const struct sim_inject *in = e->inject;
	struct pct_state *st = g_new0(struct pct_state, 1);
	unsigned d = in->pct_depth ? in->pct_depth : 1;
	uint64_t k = in->pct_steps ? in->pct_steps : 1000;
	for (unsigned i = 0; i < e->nr_tasks; i++)
		e->tasks[i]->prio = (int)(d + i);
	for (unsigned i = e->nr_tasks; i > 1; i--) { /* Fisher-Yates */
		unsigned j = (unsigned)sim_rng_below(&e->rand, i);
		int tmp = e->tasks[i - 1]->prio;
		e->tasks[i - 1]->prio = e->tasks[j]->prio;
		e->tasks[j]->prio = tmp;
	}
	st->nchange = d - 1 < PCT_CHANGES_MAX ? d - 1 : PCT_CHANGES_MAX;
	for (unsigned i = 0; i < st->nchange; i++) {
		uint64_t v;
		bool dup;
		do {
			v = 1 + sim_rng_below(&e->rand, k);
			dup = false;
			for (unsigned j = 0; j < i; j++)
				dup |= st->change[j] == v;
		} while (dup && k > st->nchange);
		st->change[i] = v;
	}
	qsort(st->change, st->nchange, sizeof(uint64_t), cmp_u64);
	e->sched_state = st;
}

static void at_point(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct pct_state *st = e->sched_state;
	/* Steps are counted as k was: sim_point counted this one, or it is none. */
	if (!e->step_counted)
		return;
	uint64_t step = e->report->eligible_steps;
	if (st->next < st->nchange && st->change[st->next] == step) {
		t->prio = (int)(st->nchange - st->next);
		st->next++;
		sim_random_action(e, t, pt);
		return;
	}
	if (!sim_can_act(e, t, SIM_ACT_PREEMPT))
		return;
	struct sim_task *best = NULL;
	for (GList *l = t->cpu->runq.head; l; l = l->next) {
		struct sim_task *o = l->data;
		if (!best || o->prio > best->prio)
			best = o;
	}
	if (best && best->prio > t->prio)
		sim_act(e, t, pt, SIM_ACT_PREEMPT, (int)best->id + 1);
}

const struct sim_sched sim_sched_pct = { SIM_INJECT_PCT, "pct", setup, at_point, NULL };
