/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_queue.c - producer and consumer: objects handed over a named queue, so
 * that they are freed on another CPU than the one that allocated them.
 */
#include "engine.h"
#include "workloads.h"

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

static void wl_producer(struct sim_task *t, const struct sim_params *p)
{
	const char *q = sim_params_string(p, "queue");
	size_t size = (size_t)sim_params_int(p, "size");
	unsigned count = (unsigned)sim_params_int(p, "count");
	unsigned capacity = (unsigned)sim_params_int(p, "capacity");
	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < count; i++) {
		void *obj = sim_kmalloc(t, size);
		/*
		 * A failed allocation (the engine counts it) is handed over as
		 * it is: the consumer's kfree(NULL) does nothing, and it still
		 * gets count objects, so neither side waits for the other forever.
		 */
		if (obj)
			sim_touch(t, obj);
		sim_queue_push(t, q, obj, capacity);
	}
	wl_report_ops(t, "producer kmalloc", size, sim_task_clock(t) - t0, count);
}
static void wl_consumer(struct sim_task *t, const struct sim_params *p)
{
	const char *q = sim_params_string(p, "queue");
	unsigned count = (unsigned)sim_params_int(p, "count");
	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < count; i++)
		sim_kfree(t, sim_queue_pop(t, q));
	wl_report_ops(t, "consumer kfree", 0, sim_task_clock(t) - t0, count);
}

const struct sim_workload sim_wl_producer = { "producer",
					      "allocates objects and hands them to a queue",
					      producer_params, wl_producer, .irq_handler = false };
const struct sim_workload sim_wl_consumer = {
	"consumer", "frees the objects it takes from a queue (cross-CPU frees)", consumer_params,
	wl_consumer, .irq_handler = false
};
