/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_decisions.c - policy "decisions": an explicit list of (point,
 * occurrence, action), from a scenario's [inject] decisions or a schedule
 * file.  At the Nth time any task reaches a point, its decision acts.
 */
#include "engine_internal.h"
#include "scheduler.h"

struct decisions_state {
	GPtrArray *by_point[SLAB_POINT_COUNT]; /* const struct sim_decision *, in order */
	unsigned next[SLAB_POINT_COUNT];       /* per point, into by_point */
};

static void setup(struct sim_engine *e)
{
	struct decisions_state *st = g_new0(struct decisions_state, 1);
	for (unsigned i = 0; i < e->inject->nr_decisions; i++) {
		const struct sim_decision *d = &e->inject->decisions[i];
		if (!st->by_point[d->point])
			st->by_point[d->point] = g_ptr_array_new();
		g_ptr_array_add(st->by_point[d->point], (gpointer)d);
	}
	e->sched_state = st;
}

static void teardown(struct sim_engine *e)
{
	struct decisions_state *st = e->sched_state;
	for (unsigned i = 0; i < SLAB_POINT_COUNT; i++)
		if (st->by_point[i])
			g_ptr_array_free(st->by_point[i], TRUE);
	g_free(st);
}

static void at_point(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct decisions_state *st = e->sched_state;
	GPtrArray *list = st->by_point[pt];
	if (!list || st->next[pt] >= list->len)
		return;
	const struct sim_decision *d = g_ptr_array_index(list, st->next[pt]);
	if (d->occurrence != e->point_count[pt])
		return;
	st->next[pt]++;
	sim_act(e, t, pt, d->action, d->arg);
}

const struct sim_sched sim_sched_decisions = { SIM_INJECT_DECISIONS, "decisions", setup, at_point,
					       teardown };
