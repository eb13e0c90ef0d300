/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_race_mix.c - short rounds of allocations with frees handed to the next
 * CPU: the race scenarios' workload.
 */
#include "engine.h"
#include "slab.h"
#include "workloads.h"

static const struct sim_param_spec race_mix_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "1024", .help = "kmalloc size" },
	{ "rounds", SIM_PARAM_INT, 1, 1000000, .def = "20", .help = "rounds of allocations" },
	{ "burst", SIM_PARAM_INT, 1, 4096, .def = "24", .help = "objects per round at most" },
	{ "burst_exact", SIM_PARAM_BOOL, .def = "false",
	  .help =
	      "every round allocates exactly burst objects (a slab's worth runs a cpu slab dry)" },
	{ "share_percent", SIM_PARAM_INT, 0, 100, .def = "30",
	  .help = "chance that an object is freed by the next task instead" },
	{ "exchange", SIM_PARAM_BOOL, .def = "false",
	  .help = "lockstep: hand every burst to the next task, free exactly a burst from the "
		  "previous" },
	{ "node_local", SIM_PARAM_BOOL, .def = "false",
	  .help = "allocate with kmalloc_node on the task's own node" },
	{ "zero_percent", SIM_PARAM_INT, 0, 100, .def = "0",
	  .help = "chance that an allocation is zeroed (kzalloc: __GFP_ZERO)" },
	{ NULL },
};

/*
 * For race finding: short rounds of allocations and frees of one size,
 * some handed to the next task of the group (on the next CPU) to free, so
 * that cpu slabs run dry often and frees land on every CPU's slabs.
 */
static void wl_race_mix(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)sim_params_int(p, "size");
	unsigned rounds = (unsigned)sim_params_int(p, "rounds");
	unsigned burst = (unsigned)sim_params_int(p, "burst");
	int share = (int)sim_params_int(p, "share_percent");
	bool exact = sim_params_bool(p, "burst_exact");
	bool exchange = sim_params_bool(p, "exchange");
	bool node_local = sim_params_bool(p, "node_local");
	int zero = (int)sim_params_int(p, "zero_percent");
	unsigned me = sim_task_group_index(t), n = sim_task_group_size(t);
	char *inbox = wl_group_queue(t, "race", me);
	char *outbox = wl_group_queue(t, "race", (me + 1) % n);
	void **held = sim_task_alloc(t, burst * sizeof(void *));
	struct sim_rng *r = sim_task_rand(t);

	for (unsigned round = 0; round < rounds; round++) {
		unsigned k = exact ? burst : 1 + (unsigned)sim_rng_below(r, burst);
		for (unsigned i = 0; i < k; i++) {
			int node = node_local ? (int)sim_task_node(t) : NUMA_NO_NODE;
			held[i] = wl_zero_draw(r, zero) ? sim_kzalloc_node(t, size, node)
							: sim_kmalloc_node(t, size, node);
			if (!held[i]) {
				sim_task_printf(t, "kmalloc(%zu) returned NULL\n", size);
				k = i;
				break;
			}
			sim_touch(t, held[i]);
		}
		if (exchange && n > 1) {
			/*
			 * Lockstep: hand the whole burst over, then free exactly
			 * a burst of the previous task's objects.  With bursts of
			 * a slab's worth, both cpu slabs are exhausted while the
			 * frees run, which is the state null-alias-2014 needs.
			 */
			for (unsigned i = 0; i < k; i++)
				sim_queue_push(t, outbox, held[i], 1u << 30);
			for (unsigned i = 0; i < k; i++)
				sim_kfree(t, sim_queue_pop(t, inbox));
			continue;
		}
		/* Free in a random order; hand some to the next task. */
		for (unsigned i = k; i > 0; i--) {
			unsigned j = (unsigned)sim_rng_below(r, i);
			void *obj = held[j];
			held[j] = held[i - 1];
			if (n > 1 && (int)sim_rng_below(r, 100) < share)
				sim_queue_push(t, outbox, obj, 1u << 30);
			else
				sim_kfree(t, obj);
		}
		void *in;
		while ((in = sim_queue_try_pop(t, inbox)))
			sim_kfree(t, in);
	}
	sim_barrier(t);
	void *in;
	while ((in = sim_queue_try_pop(t, inbox)))
		sim_kfree(t, in);
}

const struct sim_workload sim_wl_race_mix = {
	"race_mix", "short rounds of allocations with frees handed to the next CPU (races)",
	race_mix_params, wl_race_mix, .irq_handler = false
};
