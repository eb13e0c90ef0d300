/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_irq_alloc_free.c - an interrupt handler that allocates and frees.
 */
#include "engine.h"
#include "workloads.h"

static const struct sim_param_spec irq_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "64", .help = "kmalloc size" },
	{ "count", SIM_PARAM_INT, 1, 64, .def = "1", .help = "objects allocated then freed" },
	{ "period", SIM_PARAM_INT, 0, 1000000000, .def = "0",
	  .help = "cycles between interrupts on its CPU (0: only when injected)" },
	{ NULL },
};

static void wl_irq_alloc_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)sim_params_int(p, "size");
	unsigned count = (unsigned)sim_params_int(p, "count");
	void *objs[64];
	for (unsigned i = 0; i < count; i++)
		objs[i] = sim_kmalloc(t, size);
	for (unsigned i = 0; i < count; i++)
		sim_kfree(t, objs[i]);
}

const struct sim_workload sim_wl_irq_alloc_free = { "irq_alloc_free",
						    "an interrupt handler that allocates and frees",
						    irq_params, wl_irq_alloc_free,
						    .irq_handler = true };
