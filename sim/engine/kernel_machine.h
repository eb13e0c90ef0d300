/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel_machine.h - what the engine does differently for a design that
 * runs a kernel's own slub.c (design->kernel, kernel_machine.c): bring it
 * up on the run's CPUs and memory, its calls, its end-of-run check and
 * its SLUB_STATS.
 */
#ifndef SIM_KERNEL_MACHINE_H
#define SIM_KERNEL_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_engine;
struct sim_task;
struct kslab_kernel;
struct slab_design;

/*
 * A kernel's sites: every call in its code that makes a point (a
 * -fsanitize=thread hook or a primitive), by its return address's offset
 * from the code's start, with its stable name FUNCTION:LINE[K] (generated
 * at build time from the object's debug info: alloc/kernel/kernel_files.py
 * sites).  FUNCTION is the function whose code it is, as the source names
 * it (the clone suffix .constprop.0 left out); LINE the line of the access
 * in the kernel file, which may be in a helper inlined into FUNCTION; [K]
 * the K-th such call of one class (load, store, atomic, one primitive) in
 * that function at that line, in code order, only where there are several.
 * The table of them for every kernel built in (kernels_builtin.c, linked
 * into slabsim; without it, sites print as offsets and none has a name).
 */
struct sim_kernel_site {
	uint32_t offset;
	const char *name;
};
struct sim_kernel_sites {
	const struct kslab_kernel *kernel;
	const struct sim_kernel_site *sites;
	const unsigned *count;
};
extern const struct sim_kernel_sites sim_kernel_sites[]; /* ends with a NULL kernel */

/*
 * The site of an event of design d: " FUNCTION:LINE[K]" (with a space
 * before it), " +0xoffset" for code with no site name, or "" (a port
 * design, or no site).  buf holds at least 64 bytes.
 */
const char *sim_site_name(const struct slab_design *d, uint32_t site, char *buf, size_t len);

/*
 * Site names as numbers, the same for every kernel built in: the id of a
 * name (0: no kernel built in has that site), the name of an id, and the
 * id of the site of an event of design d (0: none, or a port design).
 */
uint32_t sim_site_find(const char *name);
const char *sim_site_label(uint32_t id);
uint32_t sim_site_id(const struct slab_design *d, uint32_t site);

/* Boot (or restore) the kernel for the scenario; NULL, or what was wrong. */
const char *sim_kernel_open(struct sim_engine *e);
void sim_kernel_close(struct sim_engine *e);
/* kmalloc_node, or with zero kzalloc_node (__GFP_ZERO), on the kernel. */
void *sim_kernel_kmalloc_node(struct sim_engine *e, size_t size, int node, bool zero);
/*
 * After sim_kernel_kmalloc_node, in task t: whether nothing but t ran on
 * its CPU during the call (no action anywhere in the run since it began,
 * no interrupt taken), so that the object must be of the cpu slab the
 * call left behind.  The kernel's code makes points after its commit (its
 * stores, the unlock, preempt_enable), where the port's makes one at
 * most, so the port's rule (no action at the last point) is not enough.
 */
bool sim_kernel_call_undisturbed(struct sim_engine *e, const struct sim_task *t);
/* Undisturbed, and no other task made a point anywhere since the call began (any CPU). */
bool sim_kernel_call_alone(struct sim_engine *e, const struct sim_task *t);
void sim_kernel_kfree(struct sim_engine *e, const void *p);
void sim_kernel_flush_this_cpu(struct sim_engine *e, size_t size);

struct sim_kernel_check {
	unsigned long pages_in_use; /* frames not returned, beyond the boot's own */
};
/* Flush every CPU and shrink every cache, then count the frames still out. */
void sim_kernel_finish(struct sim_engine *e, struct sim_kernel_check *out);
/* The counters the port's SLUB_STATS names (slab_stat_name), summed over caches and CPUs. */
void sim_kernel_stats(struct sim_engine *e, unsigned long *sums, unsigned n);

#endif /* SIM_KERNEL_MACHINE_H */
