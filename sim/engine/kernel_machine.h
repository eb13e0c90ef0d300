/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel_machine.h - what the engine does differently for a design that
 * runs a kernel's own slub.c (design->kernel, kernel_machine.c): bring it
 * up on the run's CPUs and memory, its calls, its end-of-run check and
 * its SLUB_STATS.
 */
#ifndef SIM_KERNEL_MACHINE_H
#define SIM_KERNEL_MACHINE_H

#include <stddef.h>

struct sim_engine;

/* Boot (or restore) the kernel for the scenario; NULL, or what was wrong. */
const char *sim_kernel_open(struct sim_engine *e);
void sim_kernel_close(struct sim_engine *e);
void *sim_kernel_kmalloc_node(struct sim_engine *e, size_t size, int node);
void sim_kernel_kfree(struct sim_engine *e, const void *p);

struct sim_kernel_check {
	unsigned long pages_in_use; /* frames not returned, beyond the boot's own */
};
/* Flush every CPU and shrink every cache, then count the frames still out. */
void sim_kernel_finish(struct sim_engine *e, struct sim_kernel_check *out);
/* The counters the port's SLUB_STATS names (slab_stat_name), summed over caches and CPUs. */
void sim_kernel_stats(struct sim_engine *e, unsigned long *sums, unsigned n);

#endif /* SIM_KERNEL_MACHINE_H */
