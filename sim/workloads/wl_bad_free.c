/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_bad_free.c - a deliberately bad workload, so that the checks are seen to
 * blame the workload and not the allocator: a double free or a wild free.
 */
#include "engine.h"
#include "workloads.h"

static const char *const bad_free_modes[] = { "double", "wild", NULL };

static const struct sim_param_spec bad_free_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "64", .help = "kmalloc size" },
	{ "mode", SIM_PARAM_WORD, .words = bad_free_modes, .def = "double",
	  .help = "double: free the same object twice; wild: free a pointer never handed out" },
	{ NULL },
};

/* A deliberately bad workload: a double free, or a free of a wild pointer. */
static void wl_bad_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)sim_params_int(p, "size");
	void *obj = sim_kmalloc(t, size);
	if (!obj) /* nothing to free badly ([faults]) */
		return;
	if (sim_params_word(p, "mode") == 0) {
		sim_kfree(t, obj);
		sim_kfree(t, obj);
	} else {
		sim_kfree(t, (char *)obj + 8);
	}
}

const struct sim_workload sim_wl_bad_free = {
	"bad_free", "a deliberately bad workload: double free or wild free", bad_free_params,
	wl_bad_free, .irq_handler = false
};
