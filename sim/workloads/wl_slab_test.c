/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_slab_test.c - the seed's slab_test module, tests 1 and 2, over the simulator's
 * kmalloc/kfree (the loops are slab_test_loops.h, shared with the native build).
 */
#include <stdio.h>

#include "engine.h"
#include "slab.h"
#include "workloads.h"

#define SIZES_ALL "8,16,32,64,128,256,512,1024,2048,4096,8192,16384"

static const struct sim_param_spec slab_test_params[] = {
	{ "tests", SIM_PARAM_INT_LIST, 1, 2, .def = "1,2",
	  .help = "which of the seed's tests: 1 (allocate then free), 2 (alloc/free)" },
	{ "sizes", SIM_PARAM_INT_LIST, 1, 4194304, .def = SIZES_ALL, .help = "kmalloc sizes" },
	{ "count", SIM_PARAM_INT, 1, 1000000, .def = "10000", .help = "operations per size" },
	{ NULL },
};

/* The seed's loops (slab_test_loops.h), through the engine. */
#define SLAB_TEST_CTX struct sim_task *
#define SLAB_TEST_FN(name) sim_slab_test_##name
#define SLAB_TEST_KMALLOC(t, size) sim_kmalloc(t, size)
#define SLAB_TEST_KFREE(t, p) sim_kfree(t, p)
#define SLAB_TEST_CLOCK(t) sim_task_clock(t)
#define SLAB_TEST_TOUCH(t, p) sim_touch(t, p)
#include "slab_test_loops.h"

/* Test 1 for one size, with the seed's line. */
static void slab_test1(struct sim_task *t, size_t size, unsigned count, void **buf)
{
	struct slab_test_result r = { 0 };
	char line[160];
	sim_slab_test_repeat(t, size, count, buf, &r);
	if (r.failed) {
		sim_task_printf(t, "kmalloc(%zu) returned NULL after %u allocations\n", size,
				r.done);
		return;
	}
	slab_test_format_test1(line, sizeof(line), &r);
	sim_task_printf(t, "%s\n", line);
	char name[64];
	snprintf(name, sizeof(name), "test1 kmalloc(%zu)", size);
	sim_task_metric(t, name, r.alloc_cycles, count);
	snprintf(name, sizeof(name), "test1 kfree(%zu)", size);
	sim_task_metric(t, name, r.free_cycles, count);
}

/* Test 2 for one size: count times kfree(kmalloc(size)). */
static void slab_test2(struct sim_task *t, size_t size, unsigned count)
{
	struct slab_test_result r = { 0 };
	char line[160];
	sim_slab_test_pair(t, size, count, &r);
	if (r.failed) {
		sim_task_printf(t, "kmalloc(%zu) returned NULL\n", size);
		return;
	}
	slab_test_format_test2(line, sizeof(line), &r);
	sim_task_printf(t, "%s\n", line);
	char name[64];
	snprintf(name, sizeof(name), "test2 kmalloc+kfree(%zu)", size);
	sim_task_metric(t, name, r.pair_cycles, count);
}

/* As the module runs them: test 1 over every size, then test 2 over every size. */
static void wl_slab_test(struct sim_task *t, const struct sim_params *p)
{
	unsigned nr_tests, nr_sizes;
	const int64_t *tests = sim_params_list(p, "tests", &nr_tests);
	const int64_t *sizes = sim_params_list(p, "sizes", &nr_sizes);
	unsigned count = (unsigned)sim_params_int(p, "count");
	void **buf = sim_task_alloc(t, count * sizeof(void *));
	for (unsigned i = 0; i < nr_tests; i++) {
		if (tests[i] == 1) {
			sim_task_printf(t, "1. Kmalloc: Repeatedly allocate then free test\n");
			for (unsigned j = 0; j < nr_sizes; j++)
				slab_test1(t, (size_t)sizes[j], count, buf);
		} else {
			sim_task_printf(t, "2. Kmalloc: alloc/free test\n");
			for (unsigned j = 0; j < nr_sizes; j++)
				slab_test2(t, (size_t)sizes[j], count);
		}
	}
}

const struct sim_workload sim_wl_slab_test = {
	"slab_test", "the seed's slab_test tests 1 and 2 over kmalloc/kfree", slab_test_params,
	wl_slab_test, .irq_handler = false
};
