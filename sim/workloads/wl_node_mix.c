/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_node_mix.c - kmalloc_node over the nodes in turn: the node-mismatch
 * path of __slab_alloc, for races.
 */
#include "engine.h"
#include "slab.h"
#include "workloads.h"

static const struct sim_param_spec node_mix_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "1024", .help = "kmalloc size" },
	{ "rounds", SIM_PARAM_INT, 1, 1000000, .def = "20", .help = "rounds of allocations" },
	{ "burst", SIM_PARAM_INT, 1, 4096, .def = "2", .help = "objects allocated per round" },
	{ "hold", SIM_PARAM_INT, 0, 4096, .def = "0",
	  .help = "objects kept from one round to the next (then freed), so that slabs fill" },
	{ NULL },
};

/*
 * Allocation i of the task asks for node (its own + i) mod nodes with
 * kmalloc_node, so that on a machine with more than one node consecutive
 * requests name different nodes.  A request whose node is not the cpu
 * slab's takes the slow path, which deactivates the cpu slab
 * (ALLOC_NODE_MISMATCH) and gets one of the requested node: from its
 * partial list, or from the page allocator, with interrupts enabled.  The
 * objects of a round are freed at its end, except the last hold of them,
 * freed one round later.
 */
static void wl_node_mix(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)sim_params_int(p, "size");
	unsigned rounds = (unsigned)sim_params_int(p, "rounds");
	unsigned burst = (unsigned)sim_params_int(p, "burst");
	unsigned hold = (unsigned)sim_params_int(p, "hold");
	unsigned nodes = sim_nr_nodes(t), next = sim_task_node(t);
	void **held = sim_task_alloc(t, (burst + hold) * sizeof(void *));
	unsigned kept = 0;

	for (unsigned round = 0; round < rounds; round++) {
		unsigned k = kept;
		for (unsigned i = 0; i < burst; i++, next = (next + 1) % nodes) {
			void *obj = sim_kmalloc_node(t, size, (int)next);
			if (!obj) {
				sim_task_printf(t, "kmalloc_node(%zu, %u) returned NULL\n", size,
						next);
				break;
			}
			sim_touch(t, obj);
			held[k++] = obj;
		}
		/* Free all but the newest hold objects; keep those for the next round. */
		kept = k < hold ? k : hold;
		for (unsigned i = 0; i < k - kept; i++)
			sim_kfree(t, held[i]);
		for (unsigned i = 0; i < kept; i++)
			held[i] = held[k - kept + i];
	}
	for (unsigned i = 0; i < kept; i++)
		sim_kfree(t, held[i]);
}

const struct sim_workload sim_wl_node_mix = { "node_mix",
					      "kmalloc_node over the nodes in turn (the "
					      "node-mismatch slow path, for races)",
					      node_mix_params, wl_node_mix, .irq_handler = false };
