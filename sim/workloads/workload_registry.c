/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload_registry.c - the built-in workloads by name, with the keys each
 * accepts in a scenario's [task NAME] or [irq NAME] group.
 */
#include <string.h>

#include "workload.h"
#include "workloads.h"

#define SIZES_ALL "8,16,32,64,128,256,512,1024,2048,4096,8192,16384"

static const struct sim_param_spec slab_test_params[] = {
	{ "tests", SIM_PARAM_INT_LIST, 1, 2, .def = "1,2",
	  .help = "which of the seed's tests: 1 (allocate then free), 2 (alloc/free)" },
	{ "sizes", SIM_PARAM_INT_LIST, 1, 4194304, .def = SIZES_ALL, .help = "kmalloc sizes" },
	{ "count", SIM_PARAM_INT, 1, 1000000, .def = "10000", .help = "operations per size" },
	{ NULL },
};

/* The seed's SMP tests: one task per CPU, all starting together. */
static const struct sim_param_spec smp_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "64", .help = "kmalloc size" },
	{ "count", SIM_PARAM_INT, 1, 1000000, .def = "10000", .help = "objects per CPU" },
	{ NULL },
};

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

static const struct sim_param_spec producer_params[] = {
	{ "queue", SIM_PARAM_STRING, .def = "q", .help = "name of the queue to fill" },
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "64", .help = "kmalloc size" },
	{ "count", SIM_PARAM_INT, 1, 100000000, .def = "10000", .help = "objects to produce" },
	{ "capacity", SIM_PARAM_INT, 1, 1000000, .def = "256",
	  .help = "queue capacity (the producer waits when it is full)" },
	{ NULL },
};

static const struct sim_param_spec consumer_params[] = {
	{ "queue", SIM_PARAM_STRING, .def = "q", .help = "name of the queue to drain" },
	{ "count", SIM_PARAM_INT, 1, 100000000, .def = "10000", .help = "objects to free" },
	{ NULL },
};

static const struct sim_param_spec irq_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "64", .help = "kmalloc size" },
	{ "count", SIM_PARAM_INT, 1, 64, .def = "1", .help = "objects allocated then freed" },
	{ "period", SIM_PARAM_INT, 0, 1000000000, .def = "0",
	  .help = "cycles between interrupts on its CPU (0: only when injected)" },
	{ NULL },
};

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
	{ NULL },
};

static const char *const bad_free_modes[] = { "double", "wild", NULL };

static const struct sim_param_spec bad_free_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "64", .help = "kmalloc size" },
	{ "mode", SIM_PARAM_WORD, .words = bad_free_modes, .def = "double",
	  .help = "double: free the same object twice; wild: free a pointer never handed out" },
	{ NULL },
};

static const struct sim_workload workloads[] = {
	{ "slab_test", "the seed's slab_test tests 1 and 2 over kmalloc/kfree", slab_test_params,
	  wl_slab_test, false },
	{ "smp_alloc_then_free", "the seed's SMP test N*alloc N*free", smp_params,
	  wl_smp_alloc_then_free, false },
	{ "smp_alloc_free", "the seed's SMP test N*(alloc free)", smp_params, wl_smp_alloc_free,
	  false },
	{ "smp_remote_free", "the seed's SMP test N*remote free: others allocate, CPU 0 frees",
	  smp_params, wl_smp_remote_free, false },
	{ "smp_one_alloc_n_free", "the seed's SMP test 1 alloc N free: CPU 0 allocates", smp_params,
	  wl_smp_one_alloc_n_free, false },
	{ "random_mix", "seeded random allocations and frees of mixed sizes", random_mix_params,
	  wl_random_mix, false },
	{ "producer", "allocates objects and hands them to a queue", producer_params, wl_producer,
	  false },
	{ "consumer", "frees the objects it takes from a queue (cross-CPU frees)", consumer_params,
	  wl_consumer, false },
	{ "race_mix", "short rounds of allocations with frees handed to the next CPU (races)",
	  race_mix_params, wl_race_mix, false },
	{ "bad_free", "a deliberately bad workload: double free or wild free", bad_free_params,
	  wl_bad_free, false },
	{ "irq_alloc_free", "an interrupt handler that allocates and frees", irq_params,
	  wl_irq_alloc_free, .irq_handler = true },
};

#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

const struct sim_workload *sim_workload_find(const char *name)
{
	for (unsigned i = 0; i < NR_WORKLOADS; i++)
		if (!strcmp(workloads[i].name, name))
			return &workloads[i];
	return NULL;
}

const struct sim_workload *sim_workload_at(unsigned i)
{
	return i < NR_WORKLOADS ? &workloads[i] : NULL;
}
