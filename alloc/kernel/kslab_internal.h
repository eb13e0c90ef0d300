/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab_internal.h - what the parts of the kernel runtime share: the
 * address ranges the __tsan_* hooks classify by, the primitive counter,
 * and the libc services the kernel-side glue (which includes no libc
 * header) calls.  No kernel header here either.
 */
#ifndef KSLAB_INTERNAL_H
#define KSLAB_INTERNAL_H

#include "kslab.h"

/* Frames of the direct map that hold struct kmem_cache objects: KSLAB_R_CACHE. */
#define KSLAB_CACHE_FRAMES 1024
struct kslab_ranges {
	uintptr_t lo[KSLAB_NR_REGIONS];
	uintptr_t hi[KSLAB_NR_REGIONS];
	unsigned long cache_frames[KSLAB_CACHE_FRAMES / (8 * sizeof(unsigned long))];
};
extern struct kslab_ranges kslab_ranges; /* KSLAB_R_CACHE and _GLOBAL: lo, hi unused */
extern unsigned long long kslab_prims[KSLAB_NR_PRIMS];
/* The kernel instruction that called the primitive being made (kslab_kernel.site). */
extern const void *kslab_site;
/* At a primitive's entry: count it, and remember its caller in the kernel. */
#define kslab_prim_inc(p) (kslab_prims[(p)]++, kslab_site = __builtin_return_address(0))

/* kslab_rt.c: libc services. */
void *kslab_rt_map_fixed(unsigned long addr, unsigned long size);
int kslab_rt_stack_range(uintptr_t *lo, uintptr_t *hi);
void kslab_rt_vprintk(const char *fmt, __builtin_va_list ap);
void kslab_rt_abort(const char *file, int line, const char *what) __attribute__((__noreturn__));
void kslab_rt_warn(const char *file, int line, const char *what);
void *kslab_rt_alloc(unsigned long size); /* aborts when out of memory */
void kslab_rt_free(void *p);
void kslab_rt_unmap(unsigned long addr, unsigned long size);
/* The buddy allocator's high-water mark: frames below it were handed out at some time. */
unsigned long kslab_frames_end(void);
struct kmem_cache;
long long kslab_slub_stat(const struct kmem_cache *s, const char *name);

#endif /* KSLAB_INTERNAL_H */
