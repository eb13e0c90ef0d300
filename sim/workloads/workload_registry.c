/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload_registry.c - the built-in workloads by name (workloads.def), with
 * the keys each accepts in a scenario's [task NAME] or [irq NAME] group.
 */
#include <string.h>

#include "workload.h"
#include "workloads.h"

static const struct sim_workload *const workloads[] = {
#define SIM_WORKLOAD(name) &sim_wl_##name,
#include "workloads.def"
#undef SIM_WORKLOAD
};

#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

const struct sim_workload *sim_workload_find(const char *name)
{
	for (unsigned i = 0; i < NR_WORKLOADS; i++)
		if (!strcmp(workloads[i]->name, name))
			return workloads[i];
	return NULL;
}

const struct sim_workload *sim_workload_at(unsigned i)
{
	return i < NR_WORKLOADS ? workloads[i] : NULL;
}
