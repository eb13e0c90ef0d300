/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bisect.h - from a failing run's decisions to a minimal interleaving:
 * delta debugging (Zeller's ddmin) keeps a 1-minimal subset of the
 * decisions that still fails; a bounded search over every placement of at
 * most two actions then often finds a shorter one; the minimal run is
 * repeated with the freelists checked before every point, which names the
 * first event after which the state is corrupt.
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
/* Runs the bounded search after delta debugging may take, at most. */
#define SIM_BISECT_BOUNDED_RUNS_MAX 400000

struct sim_bisect_result {
	unsigned original;	  /* decisions of the failing run */
	unsigned after_ddmin;	  /* what delta debugging kept */
	unsigned tests;		  /* runs tried, bounded search included */
	struct sim_inject inject; /* the minimal decisions (policy decisions) */
	struct sim_decision *decisions;
	/* The minimal run, checked before every point, with its trace. */
	struct sim_run_report run;
	uint64_t corrupt_event; /* the last event before the check fired; 0: none */
};

/*
 * Minimize the decisions of plan (policy decisions) for sc.  Returns false
 * with a message in err when the plan does not fail to begin with (or a
 * run cannot be set up); res then needs no freeing.
 */
bool sim_bisect(const struct sim_scenario *sc, const struct sim_run_plan *plan,
		struct sim_bisect_result *res, char *err, unsigned err_len);
void sim_bisect_result_free(struct sim_bisect_result *res);

/*
 * Watch the bisects that follow (NULL: stop): fn is called after each run
 * tried, with the phase ("delta debugging", "bounded search"), the runs so
 * far and the fewest decisions that still fail.  It only watches: the
 * result never depends on it.  A setter, so that callers that do not
 * watch are unchanged.
 */
typedef void (*sim_bisect_watch_fn)(void *arg, const char *phase, uint64_t runs, unsigned best);
void sim_bisect_watch(sim_bisect_watch_fn fn, void *arg);

/*
 * The minimal interleaving as a timeline: one column per CPU (at most 8),
 * from a few events before the first decision to the corrupting event.
 */
void sim_bisect_print_timeline(FILE *f, const struct sim_scenario *sc,
			       const struct sim_bisect_result *res);

#endif /* SIM_BISECT_H */
