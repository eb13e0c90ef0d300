/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * timing_model.h - what a point adds to its CPU's clock.
 *
 * Additive (timing_window = 1): every point waits for the one before and
 * adds its whole cost.  Overlap-aware (timing_window > 1), a dataflow model
 * in the manner of llvm-mca and uiCA, much simplified:
 *  - a point's cost is its latency; issuing it takes `issue` cycles of the
 *    front end, so independent points overlap;
 *  - a point starts no earlier than the points whose results it consumes
 *    (alloc/point_deps.def; an unlisted point waits for the point before);
 *  - at most timing_window points are in flight: a point does not issue
 *    before the one timing_window earlier has retired;
 *  - serialising points (LOCK-prefixed operations, irq save/restore, the
 *    page allocator's locks) wait for the store buffer to drain (every
 *    earlier write complete; earlier loads need not be); with lock_fence,
 *    nothing after them issues before they complete (a 2014 Intel core),
 *    without it independent later points overlap them (measured on the
 *    development VM's AMD core: `slabsim native --primitives`,
 *    cmpxchg_double+independent_load);
 *  - a point that reads a word waits for the last write to that word on
 *    this CPU (store forwarding): the next fastpath's reads of c->freelist
 *    and c->tid wait for the last commit, the preempt count's incl waits
 *    for the last decl;
 *  - points retire in order; the CPU's clock is the retire time of its
 *    latest point, so a workload's clock reads see what rdtsc would.
 * Points still take effect in program order under sequential consistency;
 * only the clock charge changes.  A context switch, migration or interrupt
 * drains the CPU (its clock moved without a point).
 */
#ifndef SIM_TIMING_MODEL_H
#define SIM_TIMING_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "port.h"

#define SIM_TIMING_WINDOW_MAX 128
#define SIM_TIMING_MEM_SLOTS 64 /* words whose last write is remembered */

/* A CPU's pipeline. */
struct sim_timing_cpu {
	uint64_t issue;	      /* when the front end can issue the next point */
	uint64_t last_retire; /* retire time of the latest point */
	uint64_t n;	      /* points issued since the last drain */
	uint64_t stores_done; /* when this CPU's store buffer is empty */
	uint64_t retire[SIM_TIMING_WINDOW_MAX];
	struct {
		uint64_t word; /* key + 1; 0: empty */
		uint64_t ready;
	} mem[SIM_TIMING_MEM_SLOTS];
};

/*
 * The memory a point touches: words consecutive 8-byte words from key (a
 * world offset / 8, or SIM_TIMING_PREEMPT_WORD): the same in every run.
 */
struct sim_timing_mem {
	uint64_t key;
	unsigned words;
	bool reads, writes;
};

/* The preempt count, a per-CPU word the guards read and write. */
#define SIM_TIMING_PREEMPT_WORD (1ull << 60)

/* A task's values: when each point's result became available. */
struct sim_timing_task {
	uint32_t call; /* current allocator call, counted from 1 */
	uint64_t prev_complete;
	uint32_t seq[SLAB_POINT_COUNT];
	uint64_t ready[SLAB_POINT_COUNT];
};

struct sim_timing_params {
	unsigned window; /* 1: additive */
	unsigned issue;	 /* front-end cycles per point */
	/*
	 * CONFIG_DEBUG_PREEMPT: preempt_disable/enable are calls to
	 * preempt_count_add/sub and this_cpu_ptr and smp_processor_id call
	 * debug_smp_processor_id: their cost is front-end work (the calls'
	 * instructions), which later points cannot issue under.
	 */
	bool debug_preempt;
	bool lock_fence; /* later points wait for a serialising point to complete */
};

/* Not an allocator point: the workload's call overhead (front-end work). */
#define SIM_TIMING_NO_POINT (-1)
/* Not an allocator point: a workload's access, after what came before it. */
#define SIM_TIMING_WORKLOAD (-2)

/* A new allocator call: values of earlier calls are no dependencies. */
static inline void sim_timing_begin_call(struct sim_timing_task *t)
{
	t->call++;
}

/*
 * Charge one operation of latency cycles at point pt (or
 * SIM_TIMING_NO_POINT) of the given kind (enum slab_point_kind, or
 * SLAB_PK_COUNT for a call) touching mem (NULL: no memory) on a CPU whose
 * clock is clock; returns the CPU's new clock (>= clock).
 */
uint64_t sim_timing_charge(const struct sim_timing_params *p, struct sim_timing_cpu *c,
			   uint64_t clock, struct sim_timing_task *t, int pt, unsigned kind,
			   uint64_t latency, const struct sim_timing_mem *mem);

/* Does the kind wait for everything before it (and block what follows)? */
bool sim_timing_serialising(unsigned kind);

/* The declared producers of pt, for listings: returns how many (at most max). */
unsigned sim_timing_producers(enum slab_point pt, enum slab_point *out, unsigned max,
			      bool *declared);

#endif /* SIM_TIMING_MODEL_H */
