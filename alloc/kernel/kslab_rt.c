/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab_rt.c - the libc side of the kernel runtime: fixed-address
 * mappings, the stack range for the hooks' filter, printk's output,
 * BUG and WARN.  The kernel-side glue (kslab_glue.c) includes no libc
 * header, so it reaches libc only through here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kslab_internal.h"

static int printk_on;

void kslab_set_printk(int on)
{
	printk_on = on;
}

/*
 * Map size bytes at exactly addr (MAP_FIXED_NOREPLACE: never over another
 * mapping), reserved, not committed: pages cost memory when touched.
 */
void *kslab_rt_map_fixed(unsigned long addr, unsigned long size)
{
	void *p = mmap((void *)addr, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "kslab: cannot map %lu bytes at %#lx: %s\n", size, addr,
			strerror(errno));
		return NULL;
	}
	if (p != (void *)addr) { /* a kernel without MAP_FIXED_NOREPLACE */
		munmap(p, size);
		fprintf(stderr, "kslab: %#lx is taken, cannot map there\n", addr);
		return NULL;
	}
	return p;
}

/* The calling thread's stack: accesses there are the task's own, not points. */
int kslab_rt_stack_range(uintptr_t *lo, uintptr_t *hi)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return -1;
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	*lo = (uintptr_t)addr;
	*hi = (uintptr_t)addr + size;
	return 0;
}

void kslab_rt_vprintk(const char *fmt, va_list ap)
{
	if (!printk_on)
		return;
	if (fmt[0] == '\001' && fmt[1]) /* KERN_<level> prefix */
		fmt += 2;
	vfprintf(stderr, fmt, ap);
}

void kslab_rt_abort(const char *file, int line, const char *what)
{
	fprintf(stderr, "kslab: BUG at %s:%d: %s\n", file, line, what);
	abort();
}

void kslab_rt_warn(const char *file, int line, const char *what)
{
	fprintf(stderr, "kslab: WARNING at %s:%d: %s\n", file, line, what);
}

void *kslab_rt_alloc(unsigned long size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		kslab_rt_abort(__FILE__, __LINE__, "out of memory for a snapshot");
	return p;
}

void kslab_rt_free(void *p)
{
	free(p);
}

void kslab_rt_unmap(unsigned long addr, unsigned long size)
{
	munmap((void *)addr, size);
}
