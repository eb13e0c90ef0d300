/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * progress.c - one line of progress on stderr (progress.h).
 */
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

/* At most four lines a second: enough to see it move, too few to cost anything. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 4)

bool cli_progress_init(struct cli_progress *p, const char *command, bool force, bool quiet)
{
	*p = (struct cli_progress){ .command = command };
	if (force && quiet) {
		fprintf(stderr, "slabsim %s: --progress and --quiet: expected one of them\n",
			command);
		return false;
	}
	p->on = force || (!quiet && isatty(STDERR_FILENO));
	p->start_us = p->last_us = g_get_monotonic_time();
	return true;
}

bool cli_progress_due(struct cli_progress *p)
{
	if (!p->on)
		return false;
	gint64 now = g_get_monotonic_time();
	if (now - p->last_us < PROGRESS_INTERVAL_US)
		return false;
	p->last_us = now;
	return true;
}

void cli_progress_show(struct cli_progress *p, const char *what, uint64_t done, uint64_t total,
		       const char *unit, double seconds, const char *extra)
{
	if (!p->on)
		return;
	if (seconds < 0)
		seconds = (double)(g_get_monotonic_time() - p->start_us) / G_USEC_PER_SEC;
	double rate = seconds > 0 ? (double)done / seconds : 0;
	fprintf(stderr, "\rslabsim %s: %s: %llu", p->command, what, (unsigned long long)done);
	if (total)
		fprintf(stderr, "/%llu", (unsigned long long)total);
	fprintf(stderr, rate >= 100 ? " %s, %.0f %s/s" : " %s, %.2g %s/s", unit, rate, unit);
	if (total && rate > 0)
		fprintf(stderr, ", ETA %.0f s", total > done ? (double)(total - done) / rate : 0.0);
	if (extra)
		fprintf(stderr, ", %s", extra);
	fputs("   ", stderr);
	p->shown = true;
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->shown)
		fputc('\n', stderr);
	p->shown = false;
}
