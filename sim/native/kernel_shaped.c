/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel_shaped.c - entry points of the kernel-shaped object: the seed's
 * slab_test on this machine's CPU with the allocator compiled as the kernel
 * compiles it (kernel_shaped.h).  Compiled only into that object.
 */
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include "cpu_threads_x86.h"
#include "kernel_shaped.h"

/* The module's get_cycles(), kept in order with the code it brackets. */
static uint64_t tsc(void)
{
	_mm_lfence();
	uint64_t t = __rdtsc();
	_mm_lfence();
	return t;
}

static void touch(void *object)
{
	*(volatile char *)object = 0;
}

const char *kshaped_slab_test(struct kshaped_slab_test *run, slab_report_fn report, void *arg)
{
	struct slab_env_config cfg;
	slab_env_defaults(&cfg);
	cfg.design = slab_design_find(run->design);
	if (!cfg.design)
		return "no such design";
	cfg.cpus = run->cpus;
	cfg.prefault = true;
	const char *err = cpu_threads_x86_start(run->cpus);
	if (err)
		return err;
	err = slab_env_open(&cfg);
	if (err) {
		cpu_threads_x86_stop();
		return err;
	}
	void **buf = calloc(run->count, sizeof(*buf));
	if (!buf) {
		slab_env_close();
		cpu_threads_x86_stop();
		return "out of memory for the test's pointer array";
	}
	struct slab_test_env env = { tsc, touch };
	slab_test_module(&env, run->count, buf, run->result);
	free(buf);
	slab_env_finish(&run->check, report, arg);
	slab_env_close();
	cpu_threads_x86_stop();
	return NULL;
}
