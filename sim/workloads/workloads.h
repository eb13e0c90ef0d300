/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workloads.h - what the workload files (wl_*.c) share.  A workload is one
 * wl_NAME.c defining a struct sim_workload sim_wl_NAME (its name, help,
 * keys and body), plus its line in workloads.def.
 */
#ifndef SIM_WORKLOADS_H
#define SIM_WORKLOADS_H

#include <stddef.h>
#include <stdint.h>

#include "workload.h"

/* "cpu N: K times WHAT(SIZE) -> C cycles", and the metric WHAT(SIZE). */
void wl_report_ops(struct sim_task *t, const char *what, size_t size, uint64_t cycles,
		   unsigned ops);
/* A queue name private to the task's group: "GROUP/WHAT.INDEX" (lives as long as the run). */
char *wl_group_queue(struct sim_task *t, const char *what, unsigned index);

#define SIM_WORKLOAD(name) extern const struct sim_workload sim_wl_##name;
#include "workloads.def"
#undef SIM_WORKLOAD

#endif /* SIM_WORKLOADS_H */
