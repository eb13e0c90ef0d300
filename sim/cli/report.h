/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.h - printing runs and comparisons: text tables (the seed's own
 * lines for its tests), JSON and CSV.  Nothing printed depends on host
 * addresses, wall-clock time or hash-table order, so the same scenario,
 * seed and build print the same bytes.
 */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdio.h>

#include "engine.h"
#include "scenario.h"

enum sim_format {
	SIM_FORMAT_TEXT,
	SIM_FORMAT_JSON,
	SIM_FORMAT_CSV,
};

/* "text", "json", "csv"; false if unknown. */
bool sim_format_parse(const char *s, enum sim_format *out);

/* The header every output starts with: scenario, seed, settings. */
void sim_report_header(FILE *f, enum sim_format fmt, const struct sim_scenario *sc, uint64_t seed,
		       const char *command);

/* One run: tasks' output, metrics, counters, breakdowns, the verdict. */
void sim_report_run(FILE *f, enum sim_format fmt, const struct sim_scenario *sc,
		    const struct sim_run_report *r, bool first, bool last);

/* Several designs side by side, with deltas against the first. */
void sim_report_compare(FILE *f, enum sim_format fmt, const struct sim_scenario *sc,
			const struct sim_run_report *runs, unsigned nr_runs);

/*
 * Chrome / Perfetto trace JSON of runs recorded with record_trace: one
 * process per design, one track per CPU, one slice per operation from its
 * start to the CPU's next operation.  Timestamps are cycles (shown as
 * microseconds by the viewers).  Only the operations numbered from .. to-1
 * (struct sim_trace_event.event, from 1) of each run are written.
 */
void sim_report_trace(FILE *f, const struct sim_run_report *runs, unsigned nr_runs, uint64_t from,
		      uint64_t to);

/* The one-line command that reproduces a run. */
void sim_report_repro(FILE *f, const struct sim_scenario *sc, const struct sim_run_report *r);

#endif /* SIM_REPORT_H */
