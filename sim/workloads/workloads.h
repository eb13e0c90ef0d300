/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workloads.h - what the workload files (wl_*.c) share.  A workload is one
 * wl_NAME.c defining a struct sim_workload sim_wl_NAME (its name, help,
 * keys and body), plus its line in workloads.def.
 */
#ifndef SIM_WORKLOADS_H
#define SIM_WORKLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rng.h"
#include "workload.h"

/* "cpu N: K times WHAT(SIZE) -> C cycles", and the metric WHAT(SIZE). */
void wl_report_ops(struct sim_task *t, const char *what, size_t size, uint64_t cycles,
		   unsigned ops);
/*
 * Whether an allocation is zeroed (kzalloc), with percent chance (a
 * workload's zero_percent key): a draw only strictly between 0 and 100,
 * so that a run without zeroing (the default, 0) draws the sequence it
 * drew before the key existed.
 */
static inline bool wl_zero_draw(struct sim_rng *r, int percent)
{
	return percent >= 100 || (percent > 0 && (int)sim_rng_below(r, 100) < percent);
}

/* A queue name private to the task's group: "GROUP/WHAT.INDEX" (lives as long as the run). */
char *wl_group_queue(struct sim_task *t, const char *what, unsigned index);

#define SIM_WORKLOAD(name) extern const struct sim_workload sim_wl_##name;
#include "workloads.def"
#undef SIM_WORKLOAD

#endif /* SIM_WORKLOADS_H */
