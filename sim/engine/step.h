/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * step.h - the step every point takes (engine.c's sim_point), inline where
 * the points are made: port_sim.c's primitives and engine.c's sim_point.
 * What most points need (count, record, ask the scheduler) is inline; the
 * rare work is out of line in engine.c (sim_step_*).
 */
#ifndef SIM_STEP_H
#define SIM_STEP_H

#include "engine_internal.h"

/* A periodic interrupt is due on t's CPU, and t can take it: it runs now. */
void sim_step_periodic_irq(struct sim_engine *e, struct sim_task *t, enum slab_point pt);
/* Counting choice points (exhaustive search, PCT): is this one, and its span of accesses. */
void sim_step_note_choice(struct sim_engine *e, struct sim_task *t, enum slab_point pt);
/* One allocator call has run past the scenario's livelock bound: a finding. */
void sim_step_livelock(struct sim_engine *e, struct sim_task *t, enum slab_point pt);
/* The plan's progress callback. */
void sim_step_progress(struct sim_engine *e);

/*
 * Bisect's, replay's and the exhaustive search's view of a point about to
 * take effect: footprints, check, record.
 */
enum { OBSERVE_FOOTPRINTS = 1, OBSERVE_EVENT = 2 };
void sim_step_observe(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
		      uint64_t occurrence, unsigned what);

/*
 * At a point the running task t reached: periodic interrupts, then the
 * scheduler.  False when neither was asked, so nothing can have moved t
 * off its CPU's turn.
 */
static inline bool sim_step_inject(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	struct sim_cpu *c = t->cpu;
	if (G_UNLIKELY(c->clock >= c->next_irq) && !t->irqs_off && !t->is_irq) {
		sim_step_periodic_irq(e, t, pt);
		return true;
	}
	e->choice_counted = false;
	if (G_UNLIKELY(e->count_choices))
		sim_step_note_choice(e, t, pt); /* counts; acts on nothing */
	if (e->sched_quiet) {
		e->sched_quiet--;
		return false;
	}
	if (!e->sched->at_point)
		return false;
	e->sched->at_point(e, t, pt);
	return true;
}

/*
 * What a point that is not quiet records: its counts, the event ring, the
 * trace hash, progress and the livelock bound (a quiet point:
 * sim_step_quiet_take).  Returns the point's occurrence.
 */
static inline uint64_t sim_step_record(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	uint64_t occurrence = ++e->point_count[pt];
	t->visits[pt]++;
	t->point = (int)pt;
	t->call_points++;
	struct sim_run_report *r = e->report;
	++r->points;
	if (G_UNLIKELY(!(r->points % SIM_PROGRESS_POINTS)))
		sim_step_progress(e);
	const struct sim_cpu *c = t->cpu;
	const uint64_t clock = c->clock;
	if (G_UNLIKELY(clock > t->call_deadline) && !e->stop)
		sim_step_livelock(e, t, pt);
	e->ring[e->ring_pos++ % SIM_EVENT_RING] =
	    (struct sim_event){ clock, t->event_who, (int)pt, t->site };
	if (G_UNLIKELY(e->trace_hashed)) {
		/* FNV-1a over what the point saw: the trace hash. */
		uint64_t h = e->trace_hash;
		uint64_t words[3] = { c->id, (uint64_t)pt, clock };
		for (unsigned i = 0; i < 3; i++) {
			h ^= words[i];
			h *= 0x100000001b3ULL;
		}
		e->trace_hash = h;
	}
	/* Preemptible or interruptible: with interrupts on (a preemptible task has them on). */
	r->eligible_steps += t->step_eligible;
	return occurrence;
}

/*
 * Where the running task t, on its CPU c, is about to reach a point, is it
 * quiet (sim_step_quiet; sim_step_quiet_due: the rules left once t is
 * known to be quiet_task): nothing but counting happens there?  It is t's turn; the
 * scheduler answered the point ahead (sched_quiet); no periodic interrupt,
 * progress report or livelock is due; nothing observes, counts choice
 * points or hashes the trace; and no stop.  Then nothing can act at the
 * point and t keeps its turn, so the step is sim_step_quiet_take, with no
 * call.  All but the scheduler's answer and progress are folded ahead
 * (sim_quiet_refresh): quiet_task is the turn unless never_quiet (none
 * after a stop), quiet_clock_end the first clock at which an interrupt or
 * the livelock is due.
 */
static inline bool sim_step_quiet_due(const struct sim_engine *e, const struct sim_cpu *c)
{
	return e->sched_quiet && c->clock < e->quiet_clock_end &&
	       (e->report->points + 1) % SIM_PROGRESS_POINTS;
}

static inline bool sim_step_quiet(const struct sim_engine *e, const struct sim_task *t,
				  const struct sim_cpu *c)
{
	return t == e->quiet_task && sim_step_quiet_due(e, c);
}

/* A point where the scheduler is not asked: one of the calls it answered ahead. */
static inline void sim_step_skip(struct sim_engine *e, struct sim_task *t)
{
	e->sched_quiet--;
	t->acted_after_effect = false;
}

/*
 * A quiet point's whole step: what sim_step_record counts and records (quiet:
 * no progress, livelock or trace hash is due), then sim_step_skip.  The
 * same stores, written from locals read once: the build has
 * -fno-strict-aliasing, so sim_step_record's counter stores make the
 * compiler read t->cpu, e->report and the clock again after each.
 */
static inline void sim_step_quiet_take(struct sim_engine *e, struct sim_task *t,
				       const struct sim_cpu *c, enum slab_point pt)
{
	struct sim_run_report *r = e->report;
	const uint64_t clock = c->clock;
	const uint64_t who = t->event_who;
	const uint32_t site = t->site;
	const bool eligible = t->step_eligible;
	const unsigned pos = e->ring_pos;
	e->point_count[pt]++;
	t->visits[pt]++;
	t->point = (int)pt;
	t->call_points++;
	t->acted_after_effect = false;
	r->points++;
	r->eligible_steps += eligible;
	e->ring[pos % SIM_EVENT_RING] = (struct sim_event){ clock, who, (int)pt, site };
	e->ring_pos = pos + 1;
	e->sched_quiet--;
}

/* The step of a point that is not quiet (engine.c). */
struct sim_task *sim_step_full(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
			       bool effect_done);

/*
 * Every point of every run comes here: a quiet point (most of them) counts
 * and goes on; any other takes the whole step, out of line.  effect_done:
 * the operation already took effect (it changed only the task's own
 * guards: sim_point_after), so the checks and the trace see it before
 * anything the scheduler does here.
 */
static inline struct sim_task *sim_step(enum slab_point pt, bool effect_done)
{
	struct sim_engine *e = sim_eng;
	struct sim_task *t = e->running;
	if (!t)
		return NULL;
	if (G_LIKELY(sim_step_quiet(e, t, t->cpu))) {
		sim_step_quiet_take(e, t, t->cpu, pt);
		return t;
	}
	return sim_step_full(e, t, pt, effect_done);
}

#endif /* SIM_STEP_H */
