/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cost_profile.h - cost profiles: named sets of primitive costs in cycles,
 * each with the source it came from, shipped as GLib key files in
 * sim/model/profiles/ (and compiled into the program, so that it runs from
 * anywhere).  A scenario may override any value.  The same profile applies
 * to every design: design differences come only from the code paths the
 * designs run.
 *
 * File format:
 *   [profile]
 *   name = xeon-2014-preempt
 *   description = ...
 *   [costs]
 *   l1_hit = 1
 *   ...                      every key of sim_cost_keys[], no other
 *   [sources]
 *   l1_hit = 7-cpu.com, Haswell: 4-cycle latency, ~1 when overlapped
 *   ...                      one per key of [costs]
 *   [ranges]                 optional
 *   l1_hit = 1 5             MIN MAX the sources allow; the value must lie
 *   ...                      inside; calibrate fits inside it
 */
#ifndef SIM_COST_PROFILE_H
#define SIM_COST_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "timing_model.h"

/* Every value a profile may hold, in cycles (or a setting): at most this. */
#define SIM_COST_MAX 1000000

/*
 * Every primitive cost, in cycles, and the timing model's settings:
 * X(name, min, max, help).  A new key is a line here, a sourced value in
 * every profile (model/profiles/), and its use where a point is charged.
 */
#define SIM_COST_KEYS(X)                                                                          \
	X(l1_hit, 0, SIM_COST_MAX, "load or store served by the CPU's own L1")                    \
	X(l2_hit, 0, SIM_COST_MAX, "served by the CPU's own L2")                                  \
	X(l3_hit, 0, SIM_COST_MAX, "served by the shared L3")                                     \
	X(remote_clean, 0, SIM_COST_MAX, "line another core holds clean")                         \
	X(remote_modified, 0, SIM_COST_MAX, "line another core holds modified")                   \
	X(dram, 0, SIM_COST_MAX, "line from memory")                                              \
	X(store_miss, 0, SIM_COST_MAX,                                                            \
	  "a plain store whose line is not in L1: the store buffer hides the rest")               \
	X(this_cpu_read, 0, SIM_COST_MAX, "%gs-relative load, beyond the line's cost")            \
	X(this_cpu_cmpxchg, 0, SIM_COST_MAX, "%gs: cmpxchg without LOCK, beyond the line's cost") \
	X(this_cpu_cmpxchg_double, 0, SIM_COST_MAX,                                               \
	  "%gs: cmpxchg16b without LOCK, beyond the line")                                        \
	X(cmpxchg_double, 0, SIM_COST_MAX, "LOCK cmpxchg16b on a page, beyond the line's cost")   \
	X(atomic_add, 0, SIM_COST_MAX, "LOCK xadd (atomic_long_add), beyond the line's cost")     \
	X(this_cpu_ptr, 0, SIM_COST_MAX, "per-CPU address computation")                           \
	X(preempt_disable, 0, SIM_COST_MAX, "preempt_disable under CONFIG_PREEMPT")               \
	X(preempt_enable, 0, SIM_COST_MAX, "preempt_enable under CONFIG_PREEMPT (dec, test)")     \
	X(irq_save, 0, SIM_COST_MAX, "local_irq_save (pushf; cli)")                               \
	X(irq_restore, 0, SIM_COST_MAX, "local_irq_restore (popf)")                               \
	X(spin_lock, 0, SIM_COST_MAX, "uncontended spin_lock, beyond the lock line's cost")       \
	X(spin_unlock, 0, SIM_COST_MAX, "spin_unlock, beyond the lock line's cost")               \
	X(spin_wait, 0, SIM_COST_MAX, "one spin of a contended spin_lock")                        \
	X(page_alloc, 0, SIM_COST_MAX, "order-0 page allocation through the page allocator")      \
	X(page_alloc_per_order, 0, SIM_COST_MAX, "extra per order above 0")                       \
	X(page_free, 0, SIM_COST_MAX, "order-0 page free")                                        \
	X(page_free_per_order, 0, SIM_COST_MAX, "extra per order above 0")                        \
	X(compute, 0, SIM_COST_MAX, "address arithmetic: virt_to_page, page_address")             \
	X(barrier, 0, SIM_COST_MAX, "compiler barrier")                                           \
	X(call, 0, SIM_COST_MAX, "a call into the allocator from the workload (kmalloc, kfree)")  \
	X(context_switch, 0, SIM_COST_MAX, "switching tasks on a CPU (preemption)")               \
	X(migrate, 0, SIM_COST_MAX, "moving a task to another CPU")                               \
	X(irq_entry, 0, SIM_COST_MAX, "entering an interrupt handler")                            \
	X(irq_exit, 0, SIM_COST_MAX, "leaving an interrupt handler")                              \
	X(timing_window, 1, SIM_TIMING_WINDOW_MAX,                                                \
	  "points in flight at once; 1 = the additive model (sim/model/timing_model.h)")          \
	X(issue, 0, SIM_COST_MAX, "front-end cycles to issue one point (overlap model)")          \
	X(debug_preempt, 0, 1,                                                                    \
	  "1: CONFIG_DEBUG_PREEMPT, the preempt guards and this_cpu_ptr are calls "               \
	  "(overlap model)")                                                                      \
	X(lock_fence, 0, 1,                                                                       \
	  "1: nothing after a LOCK-prefixed operation issues before it completes (overlap model)")

enum sim_cost_key {
#define SIM_COST_ENUM(name, min, max, help) SIM_COST_##name,
	SIM_COST_KEYS(SIM_COST_ENUM)
#undef SIM_COST_ENUM
	    SIM_COST_COUNT
};

struct sim_cost_profile {
	char name[64];
	char description[256];
	uint32_t cost[SIM_COST_COUNT];
	char *source[SIM_COST_COUNT]; /* g_malloc'd */
	bool overridden[SIM_COST_COUNT];
	/*
	 * The documented range of a value ([ranges] key = MIN MAX): what its
	 * source allows.  calibrate fits only values with MIN < MAX, and only
	 * inside their range.  Without a line the value is fixed.
	 */
	bool has_range[SIM_COST_COUNT];
	uint32_t min[SIM_COST_COUNT], max[SIM_COST_COUNT];
};

const char *sim_cost_key_name(enum sim_cost_key k);
const char *sim_cost_key_help(enum sim_cost_key k);
/* -1 if not a cost key. */
int sim_cost_key_find(const char *name);

/* Is v inside k's range (the table above)?  If not, what was expected is in msg. */
bool sim_cost_value_ok(enum sim_cost_key k, uint32_t v, char *msg, unsigned len);

/* Names of the shipped profiles, NULL-terminated. */
const char *const *sim_cost_profile_names(void);

/*
 * Load a shipped profile by name, or a profile file by path (a name with a
 * '/' or ending in .ini).  On error returns false and writes one message
 * naming the file, group and key and what was expected.
 */
bool sim_cost_profile_load(const char *name_or_path, struct sim_cost_profile *out, char *err,
			   unsigned err_len);
void sim_cost_profile_free(struct sim_cost_profile *p);

#endif /* SIM_COST_PROFILE_H */
