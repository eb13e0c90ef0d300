/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload.h - what tasks run: the built-in workloads, each a function of
 * its task's context and its validated parameters, and the registry the
 * scenario reader checks workload names and keys against.
 *
 * A workload runs on a simulated CPU as a coroutine; it calls the allocator
 * (kmalloc, kfree, ...) and the few task services below (its clock, a
 * barrier with the other tasks, queues between tasks, reporting results).
 */
#ifndef SIM_WORKLOAD_H
#define SIM_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "params.h"

struct sim_task;

typedef void (*sim_workload_fn)(struct sim_task *task, const struct sim_params *p);

struct sim_workload {
	const char *name;
	const char *help;
	const struct sim_param_spec *params; /* terminated by a NULL key */
	sim_workload_fn run;
	bool irq_handler; /* may run as an interrupt handler (short, no blocking) */
	/*
	 * Flushes the CPU (sim_flush_this_cpu): on 5.15's slow path that wakes
	 * the CPU's kworker, a task the scenario does not name.
	 */
	bool flushes;
};

/* NULL if unknown. */
const struct sim_workload *sim_workload_find(const char *name);
/* In a fixed order; NULL past the end. */
const struct sim_workload *sim_workload_at(unsigned i);

#endif /* SIM_WORKLOAD_H */
