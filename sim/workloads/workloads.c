/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workloads.c - what the workload files share: the per-op report line and
 * metric, and a queue private to a task's group.
 */
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "workloads.h"

void wl_report_ops(struct sim_task *t, const char *what, size_t size, uint64_t cycles, unsigned ops)
{
	char name[96];
	snprintf(name, sizeof(name), "%s(%zu)", what, size);
	sim_task_metric(t, name, cycles, ops);
	sim_task_printf(t, "cpu %u: %u times %s -> %llu cycles\n", sim_task_cpu(t), ops, name,
			(unsigned long long)(ops ? cycles / ops : 0));
}
/* A queue private to the task's group: "GROUP/WHAT.INDEX". */
char *wl_group_queue(struct sim_task *t, const char *what, unsigned index)
{
	size_t len = strlen(sim_task_group_name(t)) + strlen(what) + 16;
	char *q = sim_task_alloc(t, len);
	snprintf(q, len, "%s/%s.%u", sim_task_group_name(t), what, index);
	return q;
}
