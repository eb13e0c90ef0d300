/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_timing_model.c - the clock charge of points (sim/model/timing_model.h):
 * the additive model adds; the overlap model overlaps independent points,
 * makes a consumer wait for its producer, bounds the points in flight,
 * drains at serialising kinds and at clock jumps, and forgets the values
 * of earlier allocator calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "timing_model.h"

struct rig {
	struct sim_timing_params p;
	struct sim_timing_cpu cpu;
	struct sim_timing_task task;
	uint64_t clock;
};

static void rig_init(struct rig *r, unsigned window, unsigned issue)
{
	memset(r, 0, sizeof(*r));
	r->p = (struct sim_timing_params){ window, issue, false, true };
	sim_timing_begin_call(&r->task);
}

static uint64_t charge(struct rig *r, int pt, unsigned kind, uint64_t latency)
{
	r->clock = sim_timing_charge(&r->p, &r->cpu, r->clock, &r->task, pt, kind, latency, NULL);
	return r->clock;
}

static void additive_adds(void **state)
{
	struct rig r;
	rig_init(&r, 1, 0);
	charge(&r, PT(slab_alloc, preempt_disable), SLAB_PK_PREEMPT_DISABLE, 4);
	charge(&r, PT(slab_alloc, cpu_ptr), SLAB_PK_CPU_PTR, 2);
	assert_int_equal(charge(&r, PT(slab_alloc, read_tid), SLAB_PK_LOAD, 5), 11);
}

static void independent_points_overlap(void **state)
{
	struct rig r;
	rig_init(&r, 16, 1);
	/* Both FREE in point_deps.def: the second issues one cycle later. */
	charge(&r, PT(slab_alloc, preempt_disable), SLAB_PK_PREEMPT_DISABLE, 10);
	assert_int_equal(charge(&r, PT(slab_alloc, cpu_ptr), SLAB_PK_CPU_PTR, 10), 11);
}

static void consumer_waits_for_producer(void **state)
{
	struct rig r;
	rig_init(&r, 16, 1);
	charge(&r, PT(slab_alloc, preempt_disable), SLAB_PK_PREEMPT_DISABLE, 6);
	charge(&r, PT(slab_alloc, cpu_ptr), SLAB_PK_CPU_PTR, 3); /* issue 1, done 4 */
	/* read_tid consumes cpu_ptr: starts at 4, done 9; retires after preempt_disable. */
	assert_int_equal(charge(&r, PT(slab_alloc, read_tid), SLAB_PK_LOAD, 5), 9);
	/* preempt_enable consumes preempt_disable (done 6): starts at 6 (issue 3), done 12. */
	assert_int_equal(charge(&r, PT(slab_alloc, preempt_enable), SLAB_PK_PREEMPT_ENABLE, 6), 12);
}

static void undeclared_point_is_a_chain(void **state)
{
	struct rig r;
	rig_init(&r, 16, 1);
	charge(&r, PT(slab_alloc, cpu_ptr), SLAB_PK_CPU_PTR, 20);
	/* get_freelist.read_page is not in point_deps.def: it waits for cpu_ptr. */
	assert_int_equal(charge(&r, PT(get_freelist, read_page), SLAB_PK_LOAD, 4), 24);
}

static void serialising_kind_drains(void **state)
{
	struct rig r;
	rig_init(&r, 16, 1);
	/* An earlier store that completes at 40, an earlier load at 60. */
	struct sim_timing_mem store = { 7, 1, false, true }, load = { 9, 1, true, false };
	r.clock = sim_timing_charge(&r.p, &r.cpu, r.clock, &r.task, PT(slab_alloc, preempt_disable),
				    SLAB_PK_STORE, 40, &store);
	r.clock = sim_timing_charge(&r.p, &r.cpu, r.clock, &r.task, PT(slab_alloc, cpu_ptr),
				    SLAB_PK_LOAD, 59, &load);
	struct rig f = r;
	r.p.lock_fence = false;
	/* A LOCK op (FREE of producers) waits for the store buffer (40), not the load. */
	charge(&f, PT(slab_alloc, barrier), SLAB_PK_CMPXCHG_DOUBLE, 30);
	charge(&r, PT(slab_alloc, barrier), SLAB_PK_CMPXCHG_DOUBLE, 30);
	assert_int_equal(f.task.ready[PT(slab_alloc, barrier)], 70);
	assert_int_equal(r.task.ready[PT(slab_alloc, barrier)], 70);
	/* With lock_fence nothing issues before it completes ... */
	charge(&f, PT(slab_alloc, read_tid), SLAB_PK_CPU_READ, 2);
	assert_int_equal(f.task.ready[PT(slab_alloc, read_tid)], 72);
	/* ... without, an independent point overlaps it. */
	charge(&r, PT(slab_alloc, read_tid), SLAB_PK_CPU_READ, 2);
	assert_true(r.task.ready[PT(slab_alloc, read_tid)] < 70);
	assert_true(sim_timing_serialising(SLAB_PK_IRQ_RESTORE));
	assert_false(sim_timing_serialising(SLAB_PK_CPU_CMPXCHG_DOUBLE));
}

static void window_bounds_points_in_flight(void **state)
{
	struct rig r;
	rig_init(&r, 2, 1);
	charge(&r, PT(slab_alloc, preempt_disable), SLAB_PK_PREEMPT_DISABLE, 40); /* retires 40 */
	charge(&r, PT(slab_alloc, cpu_ptr), SLAB_PK_CPU_PTR, 1);		  /* retires 40 */
	/* The third point waits for the first to retire (window 2): issue 40, done 41. */
	assert_int_equal(charge(&r, PT(slab_alloc, barrier), SLAB_PK_BARRIER, 1), 41);
}

static void clock_jump_drains(void **state)
{
	struct rig r;
	rig_init(&r, 16, 1);
	charge(&r, PT(slab_alloc, cpu_ptr), SLAB_PK_CPU_PTR, 5);
	r.clock += 1000; /* a context switch */
	assert_int_equal(charge(&r, PT(slab_alloc, preempt_disable), SLAB_PK_PREEMPT_DISABLE, 3),
			 1008);
}

static void earlier_calls_are_no_dependency(void **state)
{
	struct rig r;
	rig_init(&r, 16, 1);
	charge(&r, PT(slab_alloc, cpu_ptr), SLAB_PK_CPU_PTR, 100); /* done 100 */
	sim_timing_begin_call(&r.task);
	charge(&r, SIM_TIMING_NO_POINT, SLAB_PK_COUNT, 4); /* the call: issue 1, done 5 */
	/* read_tid's producer ran in the last call: it starts at its issue (5), done 8. */
	uint64_t done = charge(&r, PT(slab_alloc, read_tid), SLAB_PK_LOAD, 3);
	assert_int_equal(done, 100); /* retires after the old point, in order */
	assert_int_equal(r.task.ready[PT(slab_alloc, read_tid)], 8);
}

static void reads_wait_for_the_last_write(void **state)
{
	struct rig r;
	rig_init(&r, 16, 1);
	struct sim_timing_mem cpu_slab = { 100, 2, true, true }, tid = { 101, 1, true, false };
	/* A commit (freelist and tid) that completes at 30 ... */
	r.clock = sim_timing_charge(&r.p, &r.cpu, r.clock, &r.task, PT(slab_alloc, commit),
				    SLAB_PK_CPU_CMPXCHG_DOUBLE, 30, &cpu_slab);
	assert_int_equal(r.clock, 30);
	sim_timing_begin_call(&r.task);
	/* ... and the next call's read of the tid (FREE of any producer) waits for it. */
	r.clock = sim_timing_charge(&r.p, &r.cpu, r.clock, &r.task, PT(slab_alloc, read_tid),
				    SLAB_PK_CPU_READ, 4, &tid);
	assert_int_equal(r.clock, 34);
	/* Another word does not wait. */
	struct sim_timing_mem other = { 500, 1, true, false };
	sim_timing_begin_call(&r.task);
	uint64_t before = r.clock;
	r.clock = sim_timing_charge(&r.p, &r.cpu, r.clock, &r.task, PT(slab_alloc, read_tid),
				    SLAB_PK_CPU_READ, 4, &other);
	assert_true(r.task.ready[PT(slab_alloc, read_tid)] < before + 4);
}

static void producers_are_listed(void **state)
{
	enum slab_point out[4];
	bool declared;
	unsigned n = sim_timing_producers(PT(slab_alloc, commit), out, 4, &declared);
	assert_true(declared);
	assert_int_equal(n, 3);
	n = sim_timing_producers(PT(slab_alloc, cpu_ptr), out, 4, &declared);
	assert_true(declared);
	assert_int_equal(n, 0);
	sim_timing_producers(PT(deactivate_slab, list_lock), out, 4, &declared);
	assert_false(declared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(additive_adds),
		cmocka_unit_test(independent_points_overlap),
		cmocka_unit_test(consumer_waits_for_producer),
		cmocka_unit_test(undeclared_point_is_a_chain),
		cmocka_unit_test(serialising_kind_drains),
		cmocka_unit_test(window_bounds_points_in_flight),
		cmocka_unit_test(clock_jump_drains),
		cmocka_unit_test(earlier_calls_are_no_dependency),
		cmocka_unit_test(reads_wait_for_the_last_write),
		cmocka_unit_test(producers_are_listed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
