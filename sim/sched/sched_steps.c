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
	unsigned next;	    /* the next planned action */
	uint64_t cpu_bound; /* cpu_bound_ops() at the latest choice point */
};

/*
 * Operations so far whose effect depends on the CPU they run on: the
 * per-CPU operations and pointers (this_cpu_*, raw_cpu_ptr, the CPU id)
 * and page allocations.  The port's plain loads and stores through a
 * per-CPU pointer read the copy the pointer names, whichever CPU runs
 * them; its SLUB_STATS counters are summed over CPUs.
 */
static uint64_t cpu_bound_ops(const struct sim_run_report *r)
{
	static const enum slab_point_kind kinds[] = {
		SLAB_PK_CPU_READ,  SLAB_PK_CPU_CMPXCHG, SLAB_PK_CPU_CMPXCHG_DOUBLE,
		SLAB_PK_CPU_PTR,   SLAB_PK_RAW_CPU_PTR, SLAB_PK_PAGE_ALLOC,
		SLAB_PK_PAGE_FREE,
	};
	uint64_t n = 0;
	for (unsigned i = 0; i < G_N_ELEMENTS(kinds); i++)
		n += r->count_by_kind[kinds[i]];
	return n;
}

/*
 * A choice point was just listed (engine.c, note_choice): the span that
 * ends here is cpu_bound if such an operation ran since the previous one.
 * Every operation charges before the next point is reached.
 */
static void mark_cpu_bound(struct sim_engine *e, struct steps_state *st)
{
	GArray *spans = e->report->spans;
	uint64_t n = cpu_bound_ops(e->report);
	if (spans->len > 1 && n != st->cpu_bound)
		g_array_index(spans, struct sim_choice_span, spans->len - 2).cpu_bound = true;
	st->cpu_bound = n;
}

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
	if (e->choice_counted && e->plan->record_choices)
		mark_cpu_bound(e, st);
	while (st->next < in->nr_steps && in->steps[st->next].step < step)
		st->next++;
	if (st->next < in->nr_steps && in->steps[st->next].step == step && counted) {
		const struct sim_step_action *a = &in->steps[st->next++];
		/*
		 * The last action: watch what others do until t runs again
		 * (for an interrupt, its handler) for the exhaustive search.
		 */
		if (sim_act(e, t, pt, a->action, a->arg) && st->next == in->nr_steps &&
		    a->action != SIM_ACT_FAIL)
			sim_watch_preempted(e, t);
	}
}

const struct sim_sched sim_sched_steps = { SIM_INJECT_STEPS, "steps", setup, at_point, NULL };
