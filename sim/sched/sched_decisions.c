/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_decisions.c - policy "decisions": an explicit list of (point,
 * occurrence, action), from a scenario's [inject] decisions or a schedule
 * file.  At the Nth time any task reaches a point, its decision acts; a
 * decision for one task (POINT#N@TASK) at the Nth time that task does; a
 * kernel design's decision by site (POINT@SITE#N@TASK) at the Nth time that
 * task reaches the point at that site.
 */
#include "decision.h"
#include "engine_internal.h"
#include "kernel_machine.h"
#include "scheduler.h"

struct decisions_state {
	GPtrArray *by_point[SLAB_POINT_COUNT]; /* const struct sim_decision *, in order */
	unsigned next[SLAB_POINT_COUNT];       /* per point, into by_point */
	GHashTable *by_task; /* task_key() -> const struct sim_decision *; NULL: none */
	GHashTable *by_site; /* sim_site_visit_key() -> struct site_decisions *; NULL: none */
};

/* The decisions for one task at one site of one point, and its visits so far. */
struct site_decisions {
	uint64_t visits;
	GPtrArray *decisions; /* const struct sim_decision * */
};

static void site_decisions_free(gpointer p)
{
	struct site_decisions *sd = p;
	g_ptr_array_free(sd->decisions, TRUE);
	g_free(sd);
}

/* A task's decision by (point, task, the task's own occurrence), packed. */
static uint64_t task_key(int point, unsigned task_plus1, uint64_t occurrence)
{
	return (uint64_t)point << 56 | (uint64_t)task_plus1 << 40 | occurrence;
}

static void setup(struct sim_engine *e)
{
	struct decisions_state *st = g_new0(struct decisions_state, 1);
	for (unsigned i = 0; i < e->inject->nr_decisions; i++) {
		const struct sim_decision *d = &e->inject->decisions[i];
		if (d->site) {
			if (!st->by_site)
				st->by_site = g_hash_table_new_full(g_direct_hash, g_direct_equal,
								    NULL, site_decisions_free);
			gpointer key = (gpointer)(uintptr_t)sim_site_visit_key(
			    d->point, (unsigned)d->task, d->site);
			struct site_decisions *sd = g_hash_table_lookup(st->by_site, key);
			if (!sd) {
				sd = g_new0(struct site_decisions, 1);
				sd->decisions = g_ptr_array_new();
				g_hash_table_insert(st->by_site, key, sd);
			}
			g_ptr_array_add(sd->decisions, (gpointer)d);
			continue;
		}
		if (d->task) {
			if (!st->by_task)
				st->by_task = g_hash_table_new(g_direct_hash, g_direct_equal);
			uint64_t key = task_key(d->point, (unsigned)d->task, d->occurrence);
			g_hash_table_insert(st->by_task, (gpointer)(uintptr_t)key, (gpointer)d);
			continue;
		}
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
	if (st->by_task)
		g_hash_table_destroy(st->by_task);
	if (st->by_site)
		g_hash_table_destroy(st->by_site);
	g_free(st);
}

/* The site decision for this visit of t to its site, or NULL; the visit is counted. */
static const struct sim_decision *at_site(struct decisions_state *st, struct sim_engine *e,
					  struct sim_task *t, enum slab_point pt)
{
	uint32_t site = sim_site_id(e->design, t->site);
	if (!site)
		return NULL;
	struct site_decisions *sd = g_hash_table_lookup(
	    st->by_site, (gpointer)(uintptr_t)sim_site_visit_key(pt, t->id + 1, site));
	if (!sd)
		return NULL;
	sd->visits++;
	for (unsigned i = 0; i < sd->decisions->len; i++) {
		const struct sim_decision *d = g_ptr_array_index(sd->decisions, i);
		if (d->occurrence == sd->visits)
			return d;
	}
	return NULL;
}

static void at_point(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct decisions_state *st = e->sched_state;
	if (st->by_site) {
		const struct sim_decision *d = at_site(st, e, t, pt);
		if (d && sim_act(e, t, pt, d->action, d->arg))
			return;
	}
	if (st->by_task) {
		uint64_t key = task_key(pt, t->id + 1, t->visits[pt]);
		const struct sim_decision *d =
		    g_hash_table_lookup(st->by_task, (gpointer)(uintptr_t)key);
		if (d && sim_act(e, t, pt, d->action, d->arg))
			return;
	}
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
