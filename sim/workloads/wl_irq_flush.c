/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_irq_flush.c - flush_all's IPI: an interrupt handler that flushes the
 * cpu slab and per-CPU partial slabs of one kmalloc cache on its CPU.
 */
#include "engine.h"
#include "workloads.h"

static const struct sim_param_spec irq_flush_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "1024", .help = "kmalloc size: whose cache" },
	{ "period", SIM_PARAM_INT, 0, 1000000000, .def = "0",
	  .help = "cycles between interrupts on its CPU (0: only when injected)" },
	{ NULL },
};

/*
 * kmem_cache_shrink and kmem_cache_destroy flush every CPU with flush_all:
 * an IPI per CPU whose handler runs flush_cpu_slab there, at whatever
 * point that CPU's task has reached.  As a source on every CPU (cpu = -1)
 * injected at random points, this handler is those IPIs: it deactivates a
 * cpu slab under a task's fastpath (the tid bump in flush_slab must make
 * the fastpath's commit fail) and drains the per-CPU partial list into the
 * node lists (unfreeze_partials) while other CPUs free into those slabs.
 * From 5.15 flush_all queues a work item per CPU instead: on the designs
 * with 5.15's slow path this handler is the wake-up that queues it, and the
 * CPU's kworker runs the flush as a task (sim/engine/kworker.c).
 */
static void wl_irq_flush(struct sim_task *t, const struct sim_params *p)
{
	sim_flush_this_cpu(t, (size_t)sim_params_int(p, "size"));
}

const struct sim_workload sim_wl_irq_flush = { "irq_flush",
					       "flush_all's IPI: an interrupt handler that "
					       "flushes one kmalloc cache on its CPU",
					       irq_flush_params,
					       wl_irq_flush,
					       .irq_handler = true,
					       .flushes = true };
