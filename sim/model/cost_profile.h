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

/* Every primitive cost, in cycles.  X(name, help) */
#define SIM_COST_KEYS(X)                                                                           \
	X(l1_hit, "load or store served by the CPU's own L1")                                      \
	X(l2_hit, "served by the CPU's own L2")                                                    \
	X(l3_hit, "served by the shared L3")                                                       \
	X(remote_clean, "line another core holds clean")                                           \
	X(remote_modified, "line another core holds modified")                                     \
	X(dram, "line from memory")                                                                \
	X(store_miss, "a plain store whose line is not in L1: the store buffer hides the rest")    \
	X(this_cpu_read, "%gs-relative load, beyond the line's cost")                              \
	X(this_cpu_cmpxchg, "%gs: cmpxchg without LOCK, beyond the line's cost")                   \
	X(this_cpu_cmpxchg_double, "%gs: cmpxchg16b without LOCK, beyond the line")                \
	X(cmpxchg_double, "LOCK cmpxchg16b on a page, beyond the line's cost")                     \
	X(atomic_add, "LOCK xadd (atomic_long_add), beyond the line's cost")                       \
	X(this_cpu_ptr, "per-CPU address computation")                                             \
	X(preempt_disable, "preempt_disable under CONFIG_PREEMPT")                                 \
	X(preempt_enable, "preempt_enable under CONFIG_PREEMPT (dec, test)")                       \
	X(irq_save, "local_irq_save (pushf; cli)")                                                 \
	X(irq_restore, "local_irq_restore (popf)")                                                 \
	X(spin_lock, "uncontended spin_lock, beyond the lock line's cost")                         \
	X(spin_unlock, "spin_unlock, beyond the lock line's cost")                                 \
	X(spin_wait, "one spin of a contended spin_lock")                                          \
	X(page_alloc, "order-0 page allocation through the page allocator")                        \
	X(page_alloc_per_order, "extra per order above 0")                                         \
	X(page_free, "order-0 page free")                                                          \
	X(page_free_per_order, "extra per order above 0")                                          \
	X(compute, "address arithmetic: virt_to_page, page_address")                               \
	X(barrier, "compiler barrier")                                                             \
	X(call, "a call into the allocator from the workload (kmalloc, kfree)")                    \
	X(context_switch, "switching tasks on a CPU (preemption)")                                 \
	X(migrate, "moving a task to another CPU")                                                 \
	X(irq_entry, "entering an interrupt handler")                                              \
	X(irq_exit, "leaving an interrupt handler")                                                \
	X(timing_window,                                                                           \
	  "points in flight at once; 1 = the additive model (sim/model/timing_model.h)")           \
	X(issue, "front-end cycles to issue one point (overlap model)")                            \
	X(debug_preempt, "1: CONFIG_DEBUG_PREEMPT, the preempt guards and this_cpu_ptr are calls " \
			 "(overlap model)")                                                        \
	X(lock_fence,                                                                              \
	  "1: nothing after a LOCK-prefixed operation issues before it completes (overlap model)")

enum sim_cost_key {
#define SIM_COST_ENUM(name, help) SIM_COST_##name,
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

/*
 * Keys with a narrower range than 0..1000000 (timing_window: 1..128,
 * debug_preempt and lock_fence: 0 or 1):
 * false, with what was expected in msg, for a value out of it.
 */
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
