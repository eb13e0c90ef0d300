/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bisect.h - from a failing run's decisions to a minimal interleaving, in
 * phases:
 *  - cut: the run again with the freelists checked before every point; when
 *    the check fires, only the decisions taken before it matter (a run of
 *    300 random decisions often corrupts its lists after the first 20);
 *  - ddmin: delta debugging (Zeller) over what is left;
 *  - bounded: with more than two left, every placement of at most two
 *    actions over the steps just before the corruption (or the run's end)
 *    may give a shorter schedule;
 *  - focused: with more than four left, every schedule of one, then two,
 *    then up to four actions over the whole run, acting only at the points
 *    and with the kinds of the last decisions before the corruption (the
 *    ones that make the race; the others only set the state up for it) or
 *    at a task's first choice point (a switch there reorders the tasks on
 *    a CPU), for a failure of the same kind: the run without decisions
 *    has a few hundred such choices, not the thousands a whole run has;
 *  - 1-minimal: removing any one decision of the result loses the
 *    violation, checked run by run (a decision that can go, goes);
 *  - the minimal run with the check and the trace, which names the first
 *    event after which the state is corrupt.
 * Any allocator violation counts as failing: one race shows as a foreign
 * object, a corrupt list or a leak depending on what runs after it.
 */
#ifndef SIM_BISECT_H
#define SIM_BISECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "scenario.h"

/* The timeline's CPU columns, at most. */
#define SIM_BISECT_TIMELINE_CPUS_MAX 8
/*
 * The bounded phase's window: eligible steps before and after the step
 * where the lists went corrupt (a run without the other decisions reaches
 * it near there, not exactly there); its runs at most.
 */
#define SIM_BISECT_BOUNDED_BEFORE 192
#define SIM_BISECT_BOUNDED_AFTER 64
#define SIM_BISECT_BOUNDED_RUNS_MAX 50000
/*
 * The focused phase: the last decisions before the corruption whose points
 * and kinds it may use, the most actions of a schedule it tries, and its
 * runs at most.
 */
#define SIM_BISECT_FOCUS_DECISIONS 4
#define SIM_BISECT_FOCUS_BOUND 4
#define SIM_BISECT_FOCUS_RUNS_MAX 200000

enum sim_bisect_phase {
	SIM_BISECT_CUT,
	SIM_BISECT_DDMIN,
	SIM_BISECT_BOUNDED,
	SIM_BISECT_FOCUSED,
	SIM_BISECT_ONE_MINIMAL,
	SIM_BISECT_PHASES,
};
const char *sim_bisect_phase_name(enum sim_bisect_phase phase);

/*
 * Told after every run bisect tries: the phase, the runs so far, the
 * fewest decisions known to fail so far.  It only watches.
 */
struct sim_bisect_progress {
	void (*fn)(void *arg, enum sim_bisect_phase phase, unsigned runs, unsigned best);
	void *arg;
};

struct sim_bisect_result {
	unsigned original;    /* decisions of the failing run */
	unsigned after_cut;   /* those taken before the check fired (original: none fired) */
	unsigned after_ddmin; /* what delta debugging kept */
	bool one_minimal;     /* removing any one of the result loses the violation */
	unsigned tests;	      /* runs tried, every phase included */
	unsigned phase_tests[SIM_BISECT_PHASES];
	struct sim_inject inject; /* the minimal decisions (policy decisions) */
	struct sim_decision *decisions;
	/* The minimal run, checked before every point, with its trace. */
	struct sim_run_report run;
	uint64_t corrupt_event; /* the last event before the check fired; 0: none */
};

/*
 * Minimize the decisions of plan (policy decisions) for sc; progress may be
 * NULL.  Returns false with a message in err when the plan does not fail to
 * begin with (or a run cannot be set up); res then needs no freeing.
 */
bool sim_bisect(const struct sim_scenario *sc, const struct sim_run_plan *plan,
		const struct sim_bisect_progress *progress, struct sim_bisect_result *res,
		char *err, unsigned err_len);
void sim_bisect_result_free(struct sim_bisect_result *res);

/* Events shown around each decision and before the corrupting (or last) event. */
#define SIM_BISECT_TIMELINE_AROUND 3
#define SIM_BISECT_TIMELINE_BEFORE_END 8

/*
 * The minimal interleaving as a timeline: one column per CPU (at most 8).
 * Windows around each decision and before the corrupting event (or the
 * last one), with the events between them counted; full: every event from
 * the first to the corrupting (or last) one.
 */
void sim_bisect_print_timeline(FILE *f, const struct sim_scenario *sc,
			       const struct sim_bisect_result *res, bool full);

#endif /* SIM_BISECT_H */
