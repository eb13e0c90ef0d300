/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_smp.c - the seed's four SMP tests: one task per CPU (cpu = all), all
 * starting together at the group's barrier.
 */
#include "engine.h"
#include "workloads.h"

/* The seed's SMP tests: one task per CPU, all starting together. */
static const struct sim_param_spec smp_params[] = {
	{ "size", SIM_PARAM_INT, 1, 8192, .def = "64", .help = "kmalloc size" },
	{ "count", SIM_PARAM_INT, 1, 1000000, .def = "10000", .help = "objects per CPU" },
	{ NULL },
};

static void wl_smp_alloc_then_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)sim_params_int(p, "size");
	unsigned count = (unsigned)sim_params_int(p, "count");
	void **buf = sim_task_alloc(t, count * sizeof(void *));
	sim_barrier(t);
	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < count; i++)
		buf[i] = sim_kmalloc(t, size);
	uint64_t t1 = sim_task_clock(t);
	sim_barrier(t);
	uint64_t t2 = sim_task_clock(t);
	for (unsigned i = 0; i < count; i++)
		sim_kfree(t, buf[i]);
	uint64_t t3 = sim_task_clock(t);
	wl_report_ops(t, "N*alloc kmalloc", size, t1 - t0, count);
	wl_report_ops(t, "N*free kfree", size, t3 - t2, count);
}
static void wl_smp_alloc_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)sim_params_int(p, "size");
	unsigned count = (unsigned)sim_params_int(p, "count");
	sim_barrier(t);
	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < count; i++)
		sim_kfree(t, sim_kmalloc(t, size));
	wl_report_ops(t, "N*(alloc free) kmalloc+kfree", size, sim_task_clock(t) - t0, count);
}
/* The others allocate and hand their objects to the group's first task, which frees them. */
static void wl_smp_remote_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)sim_params_int(p, "size");
	unsigned count = (unsigned)sim_params_int(p, "count");
	unsigned me = sim_task_group_index(t), n = sim_task_group_size(t);
	char *q = wl_group_queue(t, "remote", 0);
	sim_barrier(t);
	if (me == 0) {
		unsigned total = count * (n - 1);
		uint64_t t0 = sim_task_clock(t);
		for (unsigned i = 0; i < total; i++)
			sim_kfree(t, sim_queue_pop(t, q));
		wl_report_ops(t, "N*remote free kfree", size, sim_task_clock(t) - t0, total);
	} else {
		uint64_t t0 = sim_task_clock(t);
		for (unsigned i = 0; i < count; i++)
			sim_queue_push(t, q, sim_kmalloc(t, size), count * n);
		wl_report_ops(t, "N*remote free kmalloc", size, sim_task_clock(t) - t0, count);
	}
}
/* The group's first task allocates for every other, which frees what it gets. */
static void wl_smp_one_alloc_n_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)sim_params_int(p, "size");
	unsigned count = (unsigned)sim_params_int(p, "count");
	unsigned me = sim_task_group_index(t), n = sim_task_group_size(t);
	sim_barrier(t);
	if (me == 0) {
		uint64_t t0 = sim_task_clock(t);
		for (unsigned k = 1; k < n; k++) {
			char *q = wl_group_queue(t, "one", k);
			for (unsigned i = 0; i < count; i++)
				sim_queue_push(t, q, sim_kmalloc(t, size), count);
		}
		wl_report_ops(t, "1 alloc N free kmalloc", size, sim_task_clock(t) - t0,
			      count * (n - 1));
	} else {
		char *q = wl_group_queue(t, "one", me);
		uint64_t t0 = sim_task_clock(t);
		for (unsigned i = 0; i < count; i++)
			sim_kfree(t, sim_queue_pop(t, q));
		wl_report_ops(t, "1 alloc N free kfree", size, sim_task_clock(t) - t0, count);
	}
}

const struct sim_workload sim_wl_smp_alloc_then_free = { "smp_alloc_then_free",
							 "the seed's SMP test N*alloc N*free",
							 smp_params, wl_smp_alloc_then_free,
							 .irq_handler = false };
const struct sim_workload sim_wl_smp_alloc_free = { "smp_alloc_free",
						    "the seed's SMP test N*(alloc free)",
						    smp_params, wl_smp_alloc_free,
						    .irq_handler = false };
const struct sim_workload sim_wl_smp_remote_free = {
	"smp_remote_free", "the seed's SMP test N*remote free: others allocate, CPU 0 frees",
	smp_params, wl_smp_remote_free, .irq_handler = false
};
const struct sim_workload sim_wl_smp_one_alloc_n_free = {
	"smp_one_alloc_n_free", "the seed's SMP test 1 alloc N free: CPU 0 allocates", smp_params,
	wl_smp_one_alloc_n_free, .irq_handler = false
};
