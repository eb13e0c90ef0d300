/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * port.c - the installed port implementation and the names of the points.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port.h"
#include "slab_assert.h"

const struct slab_port_ops *slab_port;

void slab_port_install(const struct slab_port_ops *ops)
{
	slab_port = ops;
}

void slab_assert_fail(const char *file, int line, const char *cond)
{
#ifndef SLAB_PORT_KERNEL_SHAPED
	if (slab_port && slab_port->assert_fail)
		slab_port->assert_fail(file, line, cond);
#endif
	/* No port that reports it, or one that returned: BUG(). */
	fprintf(stderr, "slab: %s:%d: assertion failed: %s\n", file, line, cond);
	abort();
}

static const char *const point_names[SLAB_POINT_COUNT] = {
#define SLAB_POINT(fn, step) #fn "." #step,
#include "points.def"
#undef SLAB_POINT
};

const char *slab_point_name(enum slab_point pt)
{
	return pt < SLAB_POINT_COUNT ? point_names[pt] : "?";
}

int slab_point_find(const char *name)
{
	for (int i = 0; i < SLAB_POINT_COUNT; i++)
		if (!strcmp(point_names[i], name))
			return i;
	return -1;
}

static const char *const kind_names[SLAB_PK_COUNT] = {
	[SLAB_PK_LOAD] = "load",
	[SLAB_PK_STORE] = "store",
	[SLAB_PK_ATOMIC_ADD] = "atomic_add",
	[SLAB_PK_CPU_READ] = "this_cpu_read",
	[SLAB_PK_CPU_CMPXCHG] = "this_cpu_cmpxchg",
	[SLAB_PK_CPU_CMPXCHG_DOUBLE] = "this_cpu_cmpxchg_double",
	[SLAB_PK_CMPXCHG_DOUBLE] = "cmpxchg_double",
	[SLAB_PK_PREEMPT_DISABLE] = "preempt_disable",
	[SLAB_PK_PREEMPT_ENABLE] = "preempt_enable",
	[SLAB_PK_IRQ_SAVE] = "local_irq_save",
	[SLAB_PK_IRQ_RESTORE] = "local_irq_restore",
	[SLAB_PK_SPIN_LOCK] = "spin_lock",
	[SLAB_PK_SPIN_UNLOCK] = "spin_unlock",
	[SLAB_PK_PAGE_ALLOC] = "alloc_pages",
	[SLAB_PK_PAGE_FREE] = "free_pages",
	[SLAB_PK_CPU_PTR] = "this_cpu_ptr",
	[SLAB_PK_RAW_CPU_PTR] = "raw_cpu_ptr",
	[SLAB_PK_COMPUTE] = "compute",
	[SLAB_PK_BARRIER] = "barrier",
};

const char *slab_point_kind_name(enum slab_point_kind kind)
{
	return kind < SLAB_PK_COUNT ? kind_names[kind] : "?";
}
