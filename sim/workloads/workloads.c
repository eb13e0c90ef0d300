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
	/*
	 * Built by hand, not with snprintf: a race workload names its queues at
	 * the start of every run, and explore makes tens of thousands of runs.
	 */
	const char *group = sim_task_group_name(t);
	size_t glen = strlen(group), wlen = strlen(what);
	char digits[10]; /* UINT_MAX has 10 */
	unsigned nd = 0;
	do
		digits[nd++] = (char)('0' + index % 10);
	while ((index /= 10));
	char *q = sim_task_alloc(t, glen + 1 + wlen + 1 + nd + 1);
	char *o = q;
	memcpy(o, group, glen);
	o += glen;
	*o++ = '/';
	memcpy(o, what, wlen);
	o += wlen;
	*o++ = '.';
	while (nd)
		*o++ = digits[--nd];
	*o = '\0';
	return q;
}
