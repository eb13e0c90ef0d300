/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bisect.c - minimizing a failing schedule (bisect.h).
 */
#include <string.h>

#include <glib.h>

#include "bisect.h"
#include "explore.h"
#include "kernel_machine.h"
#include "schedule.h"

struct bisect {
	const struct sim_scenario *sc;
	struct sim_run_plan plan; /* design and seed of the failing run */
	struct sim_inject inject; /* the decisions under test */
	const struct sim_bisect_progress *progress;
	enum sim_bisect_phase phase;
	unsigned best; /* the fewest decisions known to fail */
	char kind[48]; /* the violation of the failing run */
	unsigned tests, phase_tests[SIM_BISECT_PHASES];
};

const char *sim_bisect_phase_name(enum sim_bisect_phase phase)
{
	static const char *const names[SIM_BISECT_PHASES] = {
		[SIM_BISECT_CUT] = "cut",
		[SIM_BISECT_DDMIN] = "ddmin",
		[SIM_BISECT_BOUNDED] = "bounded",
		[SIM_BISECT_FOCUSED] = "focused",
		[SIM_BISECT_ONE_MINIMAL] = "1-minimal",
	};
	return (unsigned)phase < SIM_BISECT_PHASES ? names[phase] : "?";
}

static void counted(struct bisect *b, unsigned runs)
{
	b->tests += runs;
	b->phase_tests[b->phase] += runs;
	if (b->progress && b->progress->fn)
		b->progress->fn(b->progress->arg, b->phase, b->tests, b->best);
}

/* Run these decisions: with check, the freelists before every point (and the trace). */
static bool run_decisions(struct bisect *b, const struct sim_decision *ds, unsigned n, bool check,
			  struct sim_run_report *r, char *err, unsigned err_len)
{
	b->inject.decisions = ds;
	b->inject.nr_decisions = n;
	struct sim_run_plan plan = b->plan;
	plan.check_every_point = check;
	plan.record_trace = check;
	return sim_run(b->sc, &plan, r, err, err_len);
}

/* Does the run with these decisions still show an allocator bug (any kind)? */
static bool fails(struct bisect *b, const struct sim_decision *ds, unsigned n)
{
	struct sim_run_report r;
	char err[256];
	bool failed = false;
	if (run_decisions(b, ds, n, false, &r, err, sizeof(err)))
		failed = r.violation && !r.workload_bug;
	if (failed && !b->kind[0])
		g_strlcpy(b->kind, r.violation_kind, sizeof(b->kind));
	sim_run_report_free(&r);
	counted(b, 1);
	if (failed && n < b->best)
		b->best = n;
	return failed;
}

/*
 * The run of these decisions with the check before every point: the
 * eligible steps up to where it fired (or the run's end); the decisions
 * taken before it fired into *before (NULL: none fired, or all were taken).
 */
static uint64_t checked_run(struct bisect *b, const struct sim_decision *c, unsigned len,
			    GArray **before)
{
	struct sim_run_report r;
	char err[256];
	uint64_t step = 0;
	if (before)
		*before = NULL;
	if (run_decisions(b, c, len, true, &r, err, sizeof(err))) {
		step = r.eligible_steps;
		if (before && r.check_fired && r.decisions->len < len) {
			*before = r.decisions;
			r.decisions = NULL;
		}
	}
	sim_run_report_free(&r);
	counted(b, 1);
	return step;
}

/*
 * The decisions taken before the check fired, when it fires: what comes
 * after the corruption can only steer its aftermath.  They replace c when
 * they still fail alone.
 */
static unsigned cut(struct bisect *b, struct sim_decision *c, unsigned len)
{
	GArray *before;
	checked_run(b, c, len, &before);
	if (before && fails(b, (const struct sim_decision *)(void *)before->data, before->len)) {
		memcpy(c, before->data, before->len * sizeof(*c));
		len = before->len;
	}
	if (before)
		g_array_free(before, TRUE);
	return len;
}

/*
 * The decisions addressed by the task that takes each one and its own
 * count of the point (POINT#N@TASK), when they still fail that way.  A
 * decision counted over all tasks moves when removing another one changes
 * what the other tasks run; counted over its own task it stays with the
 * task's path, so delta debugging can take far more decisions out.
 * Interrupt contexts' decisions stay counted over all tasks.
 */
static unsigned by_task(struct bisect *b, struct sim_decision *c, unsigned len)
{
	struct sim_run_report r;
	char err[256];
	bool ran = run_decisions(b, c, len, false, &r, err, sizeof(err));
	counted(b, 1);
	if (ran && r.decisions->len == len) {
		struct sim_decision *t = g_new(struct sim_decision, len ? len : 1);
		for (unsigned i = 0; i < len; i++) {
			t[i] = g_array_index(r.decisions, struct sim_decision, i);
			if (t[i].by_task && t[i].by_task <= b->sc->nr_tasks) {
				t[i].task = (int)t[i].by_task;
				t[i].occurrence = t[i].task_occurrence;
			}
		}
		if (fails(b, t, len))
			memcpy(c, t, len * sizeof(*c));
		g_free(t);
	}
	sim_run_report_free(&r);
	return len;
}

/*
 * A kernel design's decisions by site (POINT@SITE#N@TASK, schedule.h), when
 * they run the same that way: a task's visits to one site in the kernel
 * file follow its path as its visits to a point do, and name the access.
 */
static unsigned by_site(struct bisect *b, struct sim_decision *c, unsigned len)
{
	if (!b->plan.design->kernel)
		return len;
	sim_decisions_by_site(b->sc, &b->plan, c, len);
	counted(b, 2);
	return len;
}

/* ddmin (Zeller): a subset of the decisions that still fails. */
static unsigned ddmin(struct bisect *b, struct sim_decision *c, unsigned len)
{
	if (len && fails(b, c, 0))
		return 0;
	unsigned n = 2;
	struct sim_decision *tmp = g_new(struct sim_decision, len ? len : 1);
	while (len >= 2) {
		unsigned chunk = (len + n - 1) / n;
		bool reduced = false;
		for (unsigned start = 0; start < len && !reduced; start += chunk) {
			unsigned clen = start + chunk > len ? len - start : chunk;
			if (fails(b, c + start, clen)) { /* a subset fails */
				memmove(c, c + start, clen * sizeof(*c));
				len = clen;
				n = 2;
				reduced = true;
				break;
			}
			/* its complement */
			unsigned m = 0;
			for (unsigned i = 0; i < len; i++)
				if (i < start || i >= start + clen)
					tmp[m++] = c[i];
			if (n > 2 && fails(b, tmp, m)) {
				memcpy(c, tmp, m * sizeof(*c));
				len = m;
				n = n - 1 > 2 ? n - 1 : 2;
				reduced = true;
			}
		}
		if (reduced)
			continue;
		if (n >= len)
			break;
		n = 2 * n < len ? 2 * n : len;
	}
	/* len 1: the empty set was the first thing tried. */
	g_free(tmp);
	return len;
}

/*
 * A search's find (res->found), run again: its decisions replace the len
 * in c when it fails and has fewer.
 */
static unsigned adopt_find(struct bisect *b, const struct sim_explore_config *ec,
			   const struct sim_explore_result *res, struct sim_decision *c,
			   unsigned len)
{
	struct sim_explore_run run;
	sim_explore_found_plan(ec, res, &run);
	struct sim_run_report r;
	char err[256];
	if (!sim_run(b->sc, &run.plan, &r, err, sizeof(err)) || !r.violation || r.workload_bug ||
	    r.decisions->len >= len) {
		sim_run_report_free(&r);
		return len;
	}
	len = r.decisions->len;
	for (unsigned i = 0; i < len; i++)
		c[i] = g_array_index(r.decisions, struct sim_decision, i);
	sim_run_report_free(&r);
	if (len < b->best)
		b->best = len;
	return len;
}

/*
 * Delta debugging keeps every decision whose removal shifts what follows,
 * so a schedule found by random injection can stay long.  Every placement
 * of at most two actions over a window of steps around the corruption
 * (step: where the check fired, or the run's end), nearest pairs first,
 * may give a shorter one for the same design and seed; it replaces the
 * decisions in c when it does.  The window and the cap keep the search to
 * seconds, not the hundreds of thousands of runs a whole run's pairs are.
 */
static unsigned bounded_search(struct bisect *b, struct sim_decision *c, unsigned len,
			       uint64_t step)
{
	char err[256];
	struct sim_explore_config ec = {
		.sc = b->sc,
		.design = b->plan.design,
		.scheduler = SIM_SCHED_BOUNDED,
		.bound = 2,
		.master_seed = b->plan.seed,
		.runs = SIM_BISECT_BOUNDED_RUNS_MAX,
		.jobs = 1,
		.shards = 1,
		.window_from =
		    step > SIM_BISECT_BOUNDED_BEFORE ? step - SIM_BISECT_BOUNDED_BEFORE : 1,
		.window_to = step + SIM_BISECT_BOUNDED_AFTER,
	};
	struct sim_explore_result res;
	if (!sim_explore(&ec, &res, err, sizeof(err)))
		return len;
	counted(b, (unsigned)res.runs); /* a search that finds nothing ran too */
	if (!res.found)
		return len;
	return adopt_find(b, &ec, &res, c, len);
}

/*
 * The focused search's progress (explore.h: at most twice a second) as
 * bisect's, its runs on top of bisect's: a search of 200,000 runs takes
 * seconds.  The runs it made to list choices come with its total.
 */
static void focused_progress(void *arg, uint64_t done, uint64_t total, uint64_t finds,
			     double seconds)
{
	const struct bisect *b = arg;
	(void)total, (void)finds, (void)seconds;
	if (b->progress && b->progress->fn)
		b->progress->fn(b->progress->arg, b->phase, b->tests + (unsigned)done, b->best);
}

/*
 * Delta debugging only removes decisions: when the race needs the tasks in
 * a state that many random decisions built (two tasks on one CPU, its slab
 * just exhausted), every one of them stays.  The race itself is made by the
 * last few decisions before the corruption; the same race in the run
 * without decisions needs actions of the same kinds at the same points,
 * only at other occurrences, plus one or two that put the tasks in place,
 * most often a switch before a task's first operation (which task runs a
 * CPU's slab dry first).  So the exhaustive search (exhaustive.c), by
 * increasing number of actions, restricted to those points, and to each
 * task's first choice point, and to those kinds (a migration and a
 * preemption both take the task off its CPU: either stands for both), for
 * a violation of the kind the schedule failed with.  Its find replaces c
 * when shorter.
 */
static unsigned focused_search(struct bisect *b, struct sim_decision *c, unsigned len,
			       const char *kind)
{
	struct sim_run_report r;
	char err[256];
	bool ran = run_decisions(b, c, len, true, &r, err, sizeof(err));
	counted(b, 1);
	struct sim_explore_config ec = {
		.sc = b->sc,
		.design = b->plan.design,
		.scheduler = SIM_SCHED_EXHAUSTIVE,
		.bound = len - 1 < SIM_BISECT_FOCUS_BOUND ? len - 1 : SIM_BISECT_FOCUS_BOUND,
		.master_seed = b->plan.seed,
		.runs = SIM_BISECT_FOCUS_RUNS_MAX,
		.jobs = 1,
		.shards = 1,
		.want_kind = kind,
		.progress = focused_progress,
		.progress_arg = b,
	};
	/* The decisions the checked run took before the check fired: the last ones. */
	unsigned taken = ran ? r.decisions->len : 0;
	for (unsigned i = taken > SIM_BISECT_FOCUS_DECISIONS ? taken - SIM_BISECT_FOCUS_DECISIONS
							     : 0;
	     i < taken; i++) {
		const struct sim_decision *d = &g_array_index(r.decisions, struct sim_decision, i);
		ec.only_points[d->point / 64] |= 1ull << (d->point % 64);
		ec.only_kinds |= 1u << d->action;
		if (d->action == SIM_ACT_PREEMPT || d->action == SIM_ACT_MIGRATE)
			ec.only_kinds |= 1u << SIM_ACT_PREEMPT | 1u << SIM_ACT_MIGRATE;
	}
	sim_run_report_free(&r);
	struct sim_explore_result res;
	if (!ec.only_kinds || !sim_explore(&ec, &res, err, sizeof(err)))
		return len;
	counted(b, (unsigned)(res.runs + res.reruns));
	if (!res.found)
		return len;
	return adopt_find(b, &ec, &res, c, len);
}

/*
 * Removing any single decision must lose the violation: tried one by one.
 * A decision that can go goes, and the check starts over; *minimal says
 * whether the result passed it (always, unless a run cannot be set up).
 */
static unsigned one_minimal(struct bisect *b, struct sim_decision *c, unsigned len, bool *minimal)
{
	struct sim_decision *tmp = g_new(struct sim_decision, len ? len : 1);
	*minimal = true;
	for (unsigned i = 0; i < len; i++) {
		unsigned m = 0;
		for (unsigned j = 0; j < len; j++)
			if (j != i)
				tmp[m++] = c[j];
		if (fails(b, tmp, m)) {
			memcpy(c, tmp, m * sizeof(*c));
			len = m;
			i = (unsigned)-1; /* start over */
		}
	}
	g_free(tmp);
	return len;
}

bool sim_bisect(const struct sim_scenario *sc, const struct sim_run_plan *plan,
		const struct sim_bisect_progress *progress, struct sim_bisect_result *res,
		char *err, unsigned err_len)
{
	memset(res, 0, sizeof(*res));
	const struct sim_inject *given = plan->inject ? plan->inject : &sc->inject;
	struct bisect b = { .sc = sc, .plan = *plan, .inject = *given, .progress = progress };
	b.plan.inject = &b.inject;
	b.plan.check_every_point = false;
	b.plan.record_trace = false;
	unsigned original = given->policy == SIM_INJECT_DECISIONS ? given->nr_decisions : 0;
	b.best = original;
	struct sim_decision *c = g_new0(struct sim_decision, original ? original : 1);
	if (original)
		memcpy(c, given->decisions, original * sizeof(*c));
	b.phase = SIM_BISECT_CUT;
	if (given->policy != SIM_INJECT_DECISIONS || !fails(&b, c, original)) {
		snprintf(err, err_len, "the schedule does not fail as recorded");
		g_free(c);
		return false;
	}
	unsigned len = cut(&b, c, original);
	res->original = original;
	res->after_cut = len;
	len = by_task(&b, c, len);
	len = by_site(&b, c, len);
	b.phase = SIM_BISECT_DDMIN;
	len = ddmin(&b, c, len);
	res->after_ddmin = len;
	if (len > 2) {
		/* Where the minimized decisions corrupt the lists: the search's window ends there.
		 */
		b.phase = SIM_BISECT_BOUNDED;
		len = bounded_search(&b, c, len, checked_run(&b, c, len, NULL));
		/* At most SIM_BISECT_FOCUS_BOUND: short enough to read, not worth its runs. */
		if (len > SIM_BISECT_FOCUS_BOUND) {
			b.phase = SIM_BISECT_FOCUSED;
			len = focused_search(&b, c, len, b.kind);
		}
		len = by_task(&b, c, len);
		len = by_site(&b, c, len);
	}
	b.phase = SIM_BISECT_ONE_MINIMAL;
	len = one_minimal(&b, c, len, &res->one_minimal);
	res->tests = b.tests;
	memcpy(res->phase_tests, b.phase_tests, sizeof(res->phase_tests));
	res->decisions = c;
	res->inject = b.inject;
	res->inject.decisions = c;
	res->inject.nr_decisions = len;

	/* The minimal run again, checking the freelists before every point. */
	if (!run_decisions(&b, c, len, true, &res->run, err, err_len)) {
		sim_bisect_result_free(res);
		return false;
	}
	/*
	 * The corrupting event is the last one executed before the check
	 * fired.  A violation only the end of the run shows (a leak, the
	 * validator) names no event.
	 */
	const GArray *tr = res->run.trace;
	if (res->run.check_fired && tr->len)
		res->corrupt_event = g_array_index(tr, struct sim_trace_event, tr->len - 1).event;
	return true;
}

void sim_bisect_result_free(struct sim_bisect_result *res)
{
	sim_run_report_free(&res->run);
	g_free(res->decisions);
	memset(res, 0, sizeof(*res));
}

static const char *task_label(const struct sim_run_report *r, unsigned id)
{
	return id < r->nr_task_names ? r->task_names[id] : "?";
}

static void print_decision(FILE *f, const struct sim_scenario *sc, unsigned d,
			   const struct sim_decision *dc)
{
	if (dc->action == SIM_ACT_MIGRATE)
		fprintf(f, "  >>> decision %u: migrate to cpu%d", d + 1, dc->arg);
	else if (dc->action == SIM_ACT_IRQ)
		fprintf(f, "  >>> decision %u: interrupt %s", d + 1, sc->irqs[dc->arg].name);
	else if (dc->action == SIM_ACT_FAIL)
		fprintf(f, "  >>> decision %u: fail the page allocation", d + 1);
	else
		fprintf(f, "  >>> decision %u: preempt", d + 1);
}

/* Shown in the windowed timeline: near a decision, or just before the end. */
static bool in_window(uint64_t event, uint64_t last, const uint64_t *dec_event, unsigned n)
{
	if (event + SIM_BISECT_TIMELINE_BEFORE_END >= last)
		return true;
	for (unsigned d = 0; d < n; d++)
		if (dec_event[d] && event + SIM_BISECT_TIMELINE_AROUND >= dec_event[d] &&
		    event <= dec_event[d] + SIM_BISECT_TIMELINE_AROUND)
			return true;
	return false;
}

void sim_bisect_print_timeline(FILE *f, const struct sim_scenario *sc,
			       const struct sim_bisect_result *res, bool full)
{
	const struct sim_run_report *r = &res->run;
	const GArray *tr = r->trace;
	const struct sim_inject *in = &res->inject;
	uint64_t corrupt_event = res->corrupt_event;
	/* Without a corrupting event: up to the last event of the run. */
	uint64_t last = corrupt_event;
	if (!last && tr->len)
		last = g_array_index(tr, struct sim_trace_event, tr->len - 1).event;
	unsigned ncpu =
	    sc->cpus < SIM_BISECT_TIMELINE_CPUS_MAX ? sc->cpus : SIM_BISECT_TIMELINE_CPUS_MAX;
	/*
	 * Where each decision landed: the event of its point's occurrence,
	 * counted over all tasks, or over its own task's visits (POINT#N@TASK),
	 * or over its task's visits to its site (POINT@SITE#N@TASK).
	 */
	uint64_t *dec_event = g_new0(uint64_t, in->nr_decisions + 1);
	uint64_t *visits = g_new0(uint64_t, (size_t)r->nr_task_names * SLAB_POINT_COUNT + 1);
	uint64_t *site_visits = g_new0(uint64_t, in->nr_decisions + 1);
	for (unsigned i = 0; i < tr->len; i++) {
		const struct sim_trace_event *ev = &g_array_index(tr, struct sim_trace_event, i);
		uint64_t own =
		    ev->task < r->nr_task_names
			? ++visits[(size_t)ev->task * SLAB_POINT_COUNT + (unsigned)ev->point]
			: 0;
		uint32_t site = in->nr_decisions ? sim_site_id(r->design, ev->site) : 0;
		for (unsigned d = 0; d < in->nr_decisions; d++) {
			const struct sim_decision *dc = &in->decisions[d];
			if (dc->point != ev->point)
				continue;
			if (dc->site) {
				if (dc->site == site && (unsigned)dc->task == ev->task + 1 &&
				    ++site_visits[d] == dc->occurrence)
					dec_event[d] = ev->event;
			} else if (dc->task
				       ? (unsigned)dc->task == ev->task + 1 && dc->occurrence == own
				       : dc->occurrence == ev->occurrence) {
				dec_event[d] = ev->event;
			}
		}
	}
	g_free(site_visits);
	g_free(visits);
	fprintf(f, "\n%-7s %-9s", "event", "cycle");
	for (unsigned c = 0; c < ncpu; c++) {
		char col[16];
		snprintf(col, sizeof(col), "cpu%u", c);
		fprintf(f, " %-44s", col);
	}
	fprintf(f, "\n");
	uint64_t skipped = 0;
	for (unsigned i = 0; i < tr->len; i++) {
		const struct sim_trace_event *ev = &g_array_index(tr, struct sim_trace_event, i);
		if (ev->event > last)
			break;
		if (!full && !in_window(ev->event, last, dec_event, in->nr_decisions)) {
			skipped++;
			continue;
		}
		if (skipped)
			fprintf(f, "%-7s %-9s ... %llu events ...\n", "", "",
				(unsigned long long)skipped);
		skipped = 0;
		char cell[160], site[96];
		snprintf(cell, sizeof(cell), "[%s] %s%s", task_label(r, ev->task),
			 slab_point_name((enum slab_point)ev->point),
			 sim_site_name(r->design, ev->site, site, sizeof(site)));
		fprintf(f, "%-7llu %-9llu", (unsigned long long)ev->event,
			(unsigned long long)ev->clock);
		for (unsigned c = 0; c < ncpu && c <= ev->cpu; c++)
			fprintf(f, " %-44s", c == ev->cpu ? cell : "");
		for (unsigned d = 0; d < in->nr_decisions; d++)
			if (dec_event[d] == ev->event)
				print_decision(f, sc, d, &in->decisions[d]);
		if (ev->event == corrupt_event)
			fprintf(f, "  <<< the state is corrupt after this event");
		fprintf(f, "\n");
	}
	g_free(dec_event);
}
