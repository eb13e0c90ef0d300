/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bisect.c - minimizing a failing schedule (bisect.h).
 */
#include <limits.h>
#include <string.h>

#include <glib.h>

#include "bisect.h"
#include "explore.h"

struct bisect {
	const struct sim_scenario *sc;
	struct sim_run_plan plan; /* design and seed of the failing run */
	struct sim_inject inject; /* the decisions under test */
	unsigned tests;
	unsigned best; /* the fewest decisions seen to fail */
};

static sim_bisect_watch_fn watch_fn;
static void *watch_arg;

void sim_bisect_watch(sim_bisect_watch_fn fn, void *arg)
{
	watch_fn = fn;
	watch_arg = arg;
}

/*
 * Does the run with these decisions still show an allocator bug?  Any kind
 * counts: one race shows as a foreign object, a corrupt list or a leak
 * depending on what runs after it, and holding on to the first kind seen
 * would keep decisions that only steer the aftermath.
 */
static bool fails(struct bisect *b, const struct sim_decision *ds, unsigned n)
{
	b->inject.decisions = ds;
	b->inject.nr_decisions = n;
	struct sim_run_report r;
	char err[256];
	bool failed = false;
	b->tests++;
	if (sim_run(b->sc, &b->plan, &r, err, sizeof(err)))
		failed = r.violation && !r.workload_bug;
	sim_run_report_free(&r);
	if (failed && n < b->best)
		b->best = n;
	if (watch_fn)
		watch_fn(watch_arg, "delta debugging", b->tests, b->best);
	return failed;
}

/* ddmin (Zeller): a 1-minimal subset of the decisions that still fails. */
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
 * Delta debugging keeps every decision whose removal shifts what follows,
 * so a schedule found by random injection can stay long.  A bounded search
 * over every placement of at most two actions up to the failing step then
 * often finds a shorter one for the same design and seed; it replaces the
 * decisions in c when it does.
 */
/* sim_explore's progress during the bounded search, as the watcher sees it. */
static void bounded_progress(void *arg, uint64_t done, uint64_t total, uint64_t finds,
			     double seconds)
{
	const struct bisect *b = arg;
	watch_fn(watch_arg, "bounded search", b->tests + done, b->best);
}

static unsigned bounded_search(struct bisect *b, struct sim_decision *c, unsigned len)
{
	b->inject.decisions = c;
	b->inject.nr_decisions = len;
	struct sim_run_report r;
	char err[256];
	bool ok = sim_run(b->sc, &b->plan, &r, err, sizeof(err));
	uint64_t steps = r.eligible_steps;
	sim_run_report_free(&r);
	if (!ok)
		return len;
	struct sim_explore_config ec = {
		.sc = b->sc,
		.design = b->plan.design,
		.scheduler = SIM_SCHED_BOUNDED,
		.bound = 2,
		.master_seed = b->plan.seed,
		.runs = SIM_BISECT_BOUNDED_RUNS_MAX,
		.jobs = 1,
		.shards = 1,
		.window_from = 1,
		.window_to = steps + 1,
		.progress = watch_fn ? bounded_progress : NULL,
		.progress_arg = b,
	};
	struct sim_explore_result res;
	if (!sim_explore(&ec, &res, err, sizeof(err)))
		return len;
	b->tests += (unsigned)res.runs; /* a search that finds nothing ran too */
	if (!res.found)
		return len;
	struct sim_explore_run run;
	sim_explore_plan(&ec, res.k, res.found_index, &run);
	if (!sim_run(b->sc, &run.plan, &r, err, sizeof(err)) || !r.violation || r.workload_bug ||
	    r.decisions->len >= len) {
		sim_run_report_free(&r);
		return len;
	}
	len = r.decisions->len;
	for (unsigned i = 0; i < len; i++)
		c[i] = g_array_index(r.decisions, struct sim_decision, i);
	sim_run_report_free(&r);
	return len;
}

bool sim_bisect(const struct sim_scenario *sc, const struct sim_run_plan *plan,
		struct sim_bisect_result *res, char *err, unsigned err_len)
{
	memset(res, 0, sizeof(*res));
	const struct sim_inject *given = plan->inject ? plan->inject : &sc->inject;
	struct bisect b = { .sc = sc, .plan = *plan, .inject = *given, .best = UINT_MAX };
	b.plan.inject = &b.inject;
	b.plan.check_every_point = false;
	b.plan.record_trace = false;
	unsigned original = given->policy == SIM_INJECT_DECISIONS ? given->nr_decisions : 0;
	struct sim_decision *c = g_new0(struct sim_decision, original ? original : 1);
	if (original)
		memcpy(c, given->decisions, original * sizeof(*c));
	if (given->policy != SIM_INJECT_DECISIONS || !fails(&b, c, original)) {
		snprintf(err, err_len, "the schedule does not fail as recorded");
		g_free(c);
		return false;
	}
	unsigned len = ddmin(&b, c, original);
	res->original = original;
	res->after_ddmin = len;
	if (len > 2)
		len = bounded_search(&b, c, len);
	res->tests = b.tests;
	res->decisions = c;
	res->inject = b.inject;
	res->inject.decisions = c;
	res->inject.nr_decisions = len;

	/* The minimal run again, checking the freelists before every point. */
	struct sim_run_plan check = b.plan;
	check.inject = &res->inject;
	check.check_every_point = true;
	check.record_trace = true;
	if (!sim_run(sc, &check, &res->run, err, err_len)) {
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
	else
		fprintf(f, "  >>> decision %u: preempt", d + 1);
}

void sim_bisect_print_timeline(FILE *f, const struct sim_scenario *sc,
			       const struct sim_bisect_result *res)
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
	uint64_t first_decision = last;
	/* Where each decision landed: the event of its point's occurrence. */
	uint64_t *dec_event = g_new0(uint64_t, in->nr_decisions + 1);
	for (unsigned i = 0; i < tr->len; i++) {
		const struct sim_trace_event *ev = &g_array_index(tr, struct sim_trace_event, i);
		for (unsigned d = 0; d < in->nr_decisions; d++)
			if (in->decisions[d].point == ev->point &&
			    in->decisions[d].occurrence == ev->occurrence) {
				dec_event[d] = ev->event;
				if (ev->event < first_decision)
					first_decision = ev->event;
			}
	}
	uint64_t from = first_decision > 6 ? first_decision - 6 : 1;
	fprintf(f, "\n%-7s %-9s", "event", "cycle");
	for (unsigned c = 0; c < ncpu; c++) {
		char col[16];
		snprintf(col, sizeof(col), "cpu%u", c);
		fprintf(f, " %-44s", col);
	}
	fprintf(f, "\n");
	unsigned shown = 0, total = 0;
	for (unsigned i = 0; i < tr->len; i++) {
		const struct sim_trace_event *ev = &g_array_index(tr, struct sim_trace_event, i);
		if (ev->event >= from && ev->event <= last)
			total++;
	}
	for (unsigned i = 0; i < tr->len; i++) {
		const struct sim_trace_event *ev = &g_array_index(tr, struct sim_trace_event, i);
		if (ev->event < from || ev->event > last)
			continue;
		shown++;
		bool marked = ev->event == last;
		for (unsigned d = 0; d < in->nr_decisions; d++)
			marked |= dec_event[d] == ev->event;
		/* A long stretch between the decisions and the corruption: its ends only. */
		if (total > 70 && shown > 30 && shown + 30 <= total && !marked) {
			if (shown == 31)
				fprintf(f, "%-7s %-9s ... %u events ...\n", "", "", total - 60);
			continue;
		}
		char cell[96];
		snprintf(cell, sizeof(cell), "[%s] %s", task_label(r, ev->task),
			 slab_point_name((enum slab_point)ev->point));
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
