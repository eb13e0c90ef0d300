/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_random_mix.c - seeded random allocations and frees of mixed sizes.
 */
#include "engine.h"
#include "workloads.h"

static const struct sim_param_spec random_mix_params[] = {
	{ "ops", SIM_PARAM_INT, 1, 100000000, .def = "100000", .help = "allocations + frees" },
	{ "sizes", SIM_PARAM_INT_LIST, 1, 8192, .def = "8,16,32,64,96,128,192,256,512,1024,2048",
	  .help = "sizes drawn uniformly" },
	{ "live_max", SIM_PARAM_INT, 1, 1000000, .def = "1000",
	  .help = "objects held at most; frees all at the end" },
	{ "free_percent", SIM_PARAM_INT, 0, 100, .def = "50",
	  .help = "chance that an operation frees (while objects are held)" },
	{ NULL },
};

static void wl_random_mix(struct sim_task *t, const struct sim_params *p)
{
	unsigned nr_sizes;
	const int64_t *sizes = sim_params_list(p, "sizes", &nr_sizes);
	unsigned ops = (unsigned)sim_params_int(p, "ops");
	unsigned live_max = (unsigned)sim_params_int(p, "live_max");
	int free_percent = (int)sim_params_int(p, "free_percent");
	struct sim_rng *r = sim_task_rand(t);
	void **live = sim_task_alloc(t, live_max * sizeof(void *));
	unsigned nlive = 0, allocs = 0, frees = 0;

	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < ops; i++) {
		bool do_free =
		    nlive == live_max || (nlive > 0 && (int)sim_rng_below(r, 100) < free_percent);
		if (do_free) {
			unsigned k = (unsigned)sim_rng_below(r, nlive);
			sim_kfree(t, live[k]);
			live[k] = live[--nlive];
			frees++;
		} else {
			size_t size = (size_t)sizes[sim_rng_below(r, nr_sizes)];
			void *obj = sim_kmalloc(t, size);
			if (!obj)
				continue;
			sim_touch(t, obj);
			live[nlive++] = obj;
			allocs++;
		}
	}
	while (nlive)
		sim_kfree(t, live[--nlive]);
	wl_report_ops(t, "random_mix kmalloc|kfree", 0, sim_task_clock(t) - t0, allocs + frees);
}

const struct sim_workload sim_wl_random_mix = {
	"random_mix", "seeded random allocations and frees of mixed sizes", random_mix_params,
	wl_random_mix, false
};
