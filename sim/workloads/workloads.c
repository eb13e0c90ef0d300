/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workloads.c - the built-in workloads: the seed's slab_test (tests 1 and
 * 2) and its four SMP tests, a seeded random mix, producer/consumer with
 * cross-CPU frees, and an interrupt handler that allocates.
 */
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "slab.h"
#include "workloads.h"

static int64_t param(const struct sim_params *p, const char *key)
{
	return sim_params_int(p, key);
}

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
void wl_slab_test(struct sim_task *t, const struct sim_params *p)
{
	unsigned nr_tests, nr_sizes;
	const int64_t *tests = sim_params_list(p, "tests", &nr_tests);
	const int64_t *sizes = sim_params_list(p, "sizes", &nr_sizes);
	unsigned count = (unsigned)param(p, "count");
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

/* ---------------------------------------------------------------------- */
/* The seed's SMP tests: every task of the group starts at a barrier        */

static void report_ops(struct sim_task *t, const char *what, size_t size, uint64_t cycles,
		       unsigned ops)
{
	char name[96];
	snprintf(name, sizeof(name), "%s(%zu)", what, size);
	sim_task_metric(t, name, cycles, ops);
	sim_task_printf(t, "cpu %u: %u times %s -> %llu cycles\n", sim_task_cpu(t), ops, name,
			(unsigned long long)(ops ? cycles / ops : 0));
}

void wl_smp_alloc_then_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)param(p, "size");
	unsigned count = (unsigned)param(p, "count");
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
	report_ops(t, "N*alloc kmalloc", size, t1 - t0, count);
	report_ops(t, "N*free kfree", size, t3 - t2, count);
}

void wl_smp_alloc_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)param(p, "size");
	unsigned count = (unsigned)param(p, "count");
	sim_barrier(t);
	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < count; i++)
		sim_kfree(t, sim_kmalloc(t, size));
	report_ops(t, "N*(alloc free) kmalloc+kfree", size, sim_task_clock(t) - t0, count);
}

/* A queue private to the task's group: "GROUP/WHAT.INDEX". */
static char *group_queue(struct sim_task *t, const char *what, unsigned index)
{
	size_t len = strlen(sim_task_group_name(t)) + strlen(what) + 16;
	char *q = sim_task_alloc(t, len);
	snprintf(q, len, "%s/%s.%u", sim_task_group_name(t), what, index);
	return q;
}

/* The others allocate and hand their objects to the group's first task, which frees them. */
void wl_smp_remote_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)param(p, "size");
	unsigned count = (unsigned)param(p, "count");
	unsigned me = sim_task_group_index(t), n = sim_task_group_size(t);
	char *q = group_queue(t, "remote", 0);
	sim_barrier(t);
	if (me == 0) {
		unsigned total = count * (n - 1);
		uint64_t t0 = sim_task_clock(t);
		for (unsigned i = 0; i < total; i++)
			sim_kfree(t, sim_queue_pop(t, q));
		report_ops(t, "N*remote free kfree", size, sim_task_clock(t) - t0, total);
	} else {
		uint64_t t0 = sim_task_clock(t);
		for (unsigned i = 0; i < count; i++)
			sim_queue_push(t, q, sim_kmalloc(t, size), count * n);
		report_ops(t, "N*remote free kmalloc", size, sim_task_clock(t) - t0, count);
	}
}

/* The group's first task allocates for every other, which frees what it gets. */
void wl_smp_one_alloc_n_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)param(p, "size");
	unsigned count = (unsigned)param(p, "count");
	unsigned me = sim_task_group_index(t), n = sim_task_group_size(t);
	sim_barrier(t);
	if (me == 0) {
		uint64_t t0 = sim_task_clock(t);
		for (unsigned k = 1; k < n; k++) {
			char *q = group_queue(t, "one", k);
			for (unsigned i = 0; i < count; i++)
				sim_queue_push(t, q, sim_kmalloc(t, size), count);
		}
		report_ops(t, "1 alloc N free kmalloc", size, sim_task_clock(t) - t0,
			   count * (n - 1));
	} else {
		char *q = group_queue(t, "one", me);
		uint64_t t0 = sim_task_clock(t);
		for (unsigned i = 0; i < count; i++)
			sim_kfree(t, sim_queue_pop(t, q));
		report_ops(t, "1 alloc N free kfree", size, sim_task_clock(t) - t0, count);
	}
}

/* ---------------------------------------------------------------------- */

void wl_random_mix(struct sim_task *t, const struct sim_params *p)
{
	unsigned nr_sizes;
	const int64_t *sizes = sim_params_list(p, "sizes", &nr_sizes);
	unsigned ops = (unsigned)param(p, "ops");
	unsigned live_max = (unsigned)param(p, "live_max");
	int free_percent = (int)param(p, "free_percent");
	GRand *r = sim_task_rand(t);
	void **live = sim_task_alloc(t, live_max * sizeof(void *));
	unsigned nlive = 0, allocs = 0, frees = 0;

	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < ops; i++) {
		bool do_free =
		    nlive == live_max || (nlive > 0 && g_rand_int_range(r, 0, 100) < free_percent);
		if (do_free) {
			unsigned k = (unsigned)g_rand_int_range(r, 0, (gint32)nlive);
			sim_kfree(t, live[k]);
			live[k] = live[--nlive];
			frees++;
		} else {
			size_t size = (size_t)sizes[g_rand_int_range(r, 0, (gint32)nr_sizes)];
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
	report_ops(t, "random_mix kmalloc|kfree", 0, sim_task_clock(t) - t0, allocs + frees);
}

void wl_producer(struct sim_task *t, const struct sim_params *p)
{
	const char *q = sim_params_string(p, "queue");
	size_t size = (size_t)param(p, "size");
	unsigned count = (unsigned)param(p, "count");
	unsigned capacity = (unsigned)param(p, "capacity");
	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < count; i++) {
		void *obj = sim_kmalloc(t, size);
		if (!obj) {
			sim_task_printf(t, "kmalloc(%zu) returned NULL after %u objects\n", size,
					i);
			break;
		}
		sim_touch(t, obj);
		sim_queue_push(t, q, obj, capacity);
	}
	report_ops(t, "producer kmalloc", size, sim_task_clock(t) - t0, count);
}

void wl_consumer(struct sim_task *t, const struct sim_params *p)
{
	const char *q = sim_params_string(p, "queue");
	unsigned count = (unsigned)param(p, "count");
	uint64_t t0 = sim_task_clock(t);
	for (unsigned i = 0; i < count; i++)
		sim_kfree(t, sim_queue_pop(t, q));
	report_ops(t, "consumer kfree", 0, sim_task_clock(t) - t0, count);
}

/*
 * For race finding: short rounds of allocations and frees of one size,
 * some handed to the next task of the group (on the next CPU) to free, so
 * that cpu slabs run dry often and frees land on every CPU's slabs.
 */
void wl_race_mix(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)param(p, "size");
	unsigned rounds = (unsigned)param(p, "rounds");
	unsigned burst = (unsigned)param(p, "burst");
	int share = (int)param(p, "share_percent");
	bool exact = sim_params_bool(p, "burst_exact");
	bool exchange = sim_params_bool(p, "exchange");
	bool node_local = sim_params_bool(p, "node_local");
	unsigned me = sim_task_group_index(t), n = sim_task_group_size(t);
	char *inbox = group_queue(t, "race", me);
	char *outbox = group_queue(t, "race", (me + 1) % n);
	void **held = sim_task_alloc(t, burst * sizeof(void *));
	GRand *r = sim_task_rand(t);

	for (unsigned round = 0; round < rounds; round++) {
		unsigned k = exact ? burst : (unsigned)g_rand_int_range(r, 1, (gint32)burst + 1);
		for (unsigned i = 0; i < k; i++) {
			int node = node_local ? (int)sim_task_node(t) : NUMA_NO_NODE;
			held[i] = sim_kmalloc_node(t, size, node);
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
			unsigned j = (unsigned)g_rand_int_range(r, 0, (gint32)i);
			void *obj = held[j];
			held[j] = held[i - 1];
			if (n > 1 && g_rand_int_range(r, 0, 100) < share)
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

/* A deliberately bad workload: a double free, or a free of a wild pointer. */
void wl_bad_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)param(p, "size");
	void *obj = sim_kmalloc(t, size);
	if (sim_params_word(p, "mode") == 0) {
		sim_kfree(t, obj);
		sim_kfree(t, obj);
	} else {
		sim_kfree(t, (char *)obj + 8);
	}
}

void wl_irq_alloc_free(struct sim_task *t, const struct sim_params *p)
{
	size_t size = (size_t)param(p, "size");
	unsigned count = (unsigned)param(p, "count");
	void *objs[64];
	for (unsigned i = 0; i < count; i++)
		objs[i] = sim_kmalloc(t, size);
	for (unsigned i = 0; i < count; i++)
		sim_kfree(t, objs[i]);
}
