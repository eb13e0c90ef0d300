/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_env.h - bring up and tear down one allocator instance: the slab
 * world (CPUs, nodes, memory), the port, the kmalloc caches of one design;
 * and at the end the leak check: flush every CPU, shrink every cache,
 * validate, and count the pages that did not come back.
 */
#ifndef SIM_SLAB_ENV_H
#define SIM_SLAB_ENV_H

#include <stdbool.h>

#include "slab.h"

struct slab_env_config {
	unsigned cpus;
	unsigned nodes;
	unsigned long mib_per_node; /* multiple of 4 */
	const struct slab_design *design;
	bool cpu_partial;
	bool prefault; /* map every frame up front: native timing without page faults */
	const struct slab_port_ops *port;
};

/* Defaults: 1 CPU, 1 node, 512 MiB, v3.18, cpu partial on, native port. */
void slab_env_defaults(struct slab_env_config *cfg);

/* NULL on success, else what was wrong. */
const char *slab_env_open(const struct slab_env_config *cfg);

struct slab_env_check {
	unsigned problems;	    /* validator findings */
	unsigned long slab_pages;   /* slab head pages still held after shrinking */
	unsigned long pages_in_use; /* frames not back in the page allocator */
};

/*
 * Flush and shrink every cache, validate, count what is left.  Call when
 * no allocator call is in flight and the workload freed all it allocated.
 */
void slab_env_finish(struct slab_env_check *out, slab_report_fn report, void *arg);

void slab_env_close(void);

#endif /* SIM_SLAB_ENV_H */
