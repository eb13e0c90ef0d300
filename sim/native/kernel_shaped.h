/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel_shaped.h - the kernel-shaped native build as the rest of slabsim
 * sees it.  alloc/ is compiled a second time with SLAB_PORT_KERNEL_SHAPED
 * (every primitive inline, in the kernel's x86-64 instruction forms: see
 * alloc/port_x86.h), together with the few sim/ files that drive it, and
 * linked into one relocatable object whose only global symbols are the
 * kshaped_* functions below (sim/meson.build).  So both builds of the
 * allocator live in one program without a name clash, and the ops-table
 * build the simulator uses is untouched.
 */
#ifndef SIM_KERNEL_SHAPED_H
#define SIM_KERNEL_SHAPED_H

#include <stdint.h>

#include "slab.h"
#include "slab_env.h"
#include "slab_test.h"

/* One run of the seed's slab_test: test 1 over every size, then test 2. */
struct kshaped_slab_test {
	const char *design; /* a design name (slabsim designs) */
	unsigned cpus;	    /* nr_cpu_ids: sets slab orders; one thread each */
	unsigned count;	    /* operations per test and size */
	struct slab_test_result result[SLAB_TEST_SIZES];
	struct slab_env_check check; /* after flushing and shrinking */
};

/* NULL on success, else what was wrong.  report gets validator findings. */
const char *kshaped_slab_test(struct kshaped_slab_test *run, slab_report_fn report, void *arg);

/* Primitive microbenchmarks (primitives_x86.c). */
#define KSHAPED_PRIMITIVES_MAX 32
struct kshaped_primitive {
	const char *name;    /* stable name, e.g. "this_cpu_read.latency" */
	const char *what;    /* the instructions measured */
	const char *informs; /* the cost key(s) it measures, or "" */
	double cycles;	     /* TSC cycles per operation: minimum over trials */
	double median;	     /* median over trials */
};

/* Fills out[]; returns how many.  trials: repetitions of each loop. */
unsigned kshaped_primitives(struct kshaped_primitive *out, unsigned trials);

#endif /* SIM_KERNEL_SHAPED_H */
