/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * progress.h - the long commands' progress (explore, bisect, calibrate,
 * run, compare): one line on stderr, rewritten in place, when stderr is a
 * terminal or --progress asks; never with --quiet.  It only watches: what
 * a command prints on stdout, and its results, never depend on it.
 */
#ifndef SIM_CLI_PROGRESS_H
#define SIM_CLI_PROGRESS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct cli_progress {
	const char *command;
	bool on;	 /* lines are shown */
	bool shown;	 /* a line is on the screen, not yet ended */
	gint64 start_us; /* monotonic, at cli_progress_init */
	gint64 last_us;	 /* when the last line was shown */
};

/*
 * --progress (force) and --quiet into p; false after saying so when both
 * are given.  On: force, or stderr is a terminal and not quiet.
 */
bool cli_progress_init(struct cli_progress *p, const char *command, bool force, bool quiet);

/* Is a line due (on, and the last one at least a quarter second ago)? */
bool cli_progress_due(struct cli_progress *p);

/*
 * "slabsim COMMAND: WHAT: DONE/TOTAL UNIT, RATE UNIT/s, ETA S s, EXTRA"
 * (no ETA without a total or a rate; EXTRA may be NULL), over the line
 * shown before.  seconds: the time the work has taken (< 0: since init).
 */
void cli_progress_show(struct cli_progress *p, const char *what, uint64_t done, uint64_t total,
		       const char *unit, double seconds, const char *extra);

/* End the line on the screen, if one is: what follows starts on a line of its own. */
void cli_progress_end(struct cli_progress *p);

#endif /* SIM_CLI_PROGRESS_H */
