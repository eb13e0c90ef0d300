/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_random_mix.c - seeded random allocations and frees of mixed sizes.
 */
#include "engine.h"
#include "slab.h"
#include "workloads.h"

static const struct sim_param_spec random_mix_params[] = {
	{ "ops", SIM_PARAM_INT, 1, 100000000, .def = "100000", .help = "allocations + frees" },
	{ "sizes", SIM_PARAM_INT_LIST, 1, 8192, .def = "8,16,32,64,96,128,192,256,512,1024,2048",
	  .help = "sizes drawn uniformly" },
	{ "live_max", SIM_PARAM_INT, 1, 1000000, .def = "1000",
	  .help = "objects held at most; frees all at the end" },
	{ "free_percent", SIM_PARAM_INT, 0, 100, .def = "50",
	  .help = "chance that an operation frees (while objects are held)" },
	{ "zero_percent", SIM_PARAM_INT, 0, 100, .def = "0",
	  .help = "chance that an allocation is zeroed (kzalloc: __GFP_ZERO)" },
	{ NULL },
};

/* The loop, on a simulated task (random_mix_loop.h). */
#define RANDOM_MIX_CTX struct sim_task *
#define RANDOM_MIX_FN(name) random_mix_##name
#define RANDOM_MIX_KMALLOC(t, size) sim_kmalloc(t, size)
#define RANDOM_MIX_KZALLOC(t, size) sim_kzalloc_node(t, size, NUMA_NO_NODE)
#define RANDOM_MIX_KFREE(t, p) sim_kfree(t, p)
#define RANDOM_MIX_TOUCH(t, p) sim_touch(t, p)
#include "random_mix_loop.h"

static void wl_random_mix(struct sim_task *t, const struct sim_params *p)
{
	struct random_mix_args a;
	a.sizes = sim_params_list(p, "sizes", &a.nr_sizes);
	a.ops = (unsigned)sim_params_int(p, "ops");
	a.live_max = (unsigned)sim_params_int(p, "live_max");
	a.free_percent = (int)sim_params_int(p, "free_percent");
	a.zero_percent = (int)sim_params_int(p, "zero_percent");
	struct sim_rng *r = sim_task_rand(t);
	void **live = sim_task_alloc(t, a.live_max * sizeof(void *));

	uint64_t t0 = sim_task_clock(t);
	struct random_mix_counts n;
	random_mix_run(t, &a, r, live, &n);
	wl_report_ops(t, "random_mix kmalloc|kfree", 0, sim_task_clock(t) - t0, n.allocs + n.frees);
}

const struct sim_workload sim_wl_random_mix = {
	"random_mix", "seeded random allocations and frees of mixed sizes", random_mix_params,
	wl_random_mix, .irq_handler = false
};
