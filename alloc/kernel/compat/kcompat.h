/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcompat.h - slabsim's own kernel-compat layer, force-included (-include)
 * before every kernel file slabsim compiles (mm/slub.c, mm/slab_common.c)
 * and before alloc/kernel/kslab_glue.c.  Every #include those files make
 * of a header other than mm/slab.h, include/linux/slab.h and slub_def.h
 * resolves to an empty stub that kernel_files.py makes in the build
 * directory, so the names they would give come from here, written for
 * slabsim, not copied from Linux.  Grouped by category, one header each:
 *
 *   kc_types.h     integer types, list_head, atomic_t, limits, bit helpers
 *   kc_compiler.h  attributes, READ_ONCE/WRITE_ONCE, barriers, cmpxchg
 *                  (64 and 128 bit), BUG/WARN
 *   kc_percpu.h    per-CPU areas (alloc_percpu, this_cpu_*), cpumasks,
 *                  nodes
 *   kc_locks.h     spinlocks, local_lock, bit_spin_lock, irq and preempt,
 *                  mutexes, RCU, workqueues run synchronously
 *   kc_mm.h        gfp flags, struct page / folio with the kernel's x86-64
 *                  field offsets (mm/slab.h static_asserts that struct
 *                  slab overlays struct page), the page allocator, stats
 *   kc_stubs.h     strings and printk, and what is configured out:
 *                  tracing, KASAN, KFENCE, KMSAN, kmemleak, memcg, sysfs,
 *                  debugfs, lockdep, cpusets, mempolicy
 *
 * Configuration (CONFIG_* below):
 *   on:  SLUB, SLUB_CPU_PARTIAL, SLUB_STATS, NUMA, PREEMPTION (full
 *        preemption), SMP, 64BIT, HAVE_CMPXCHG_DOUBLE and
 *        HAVE_ALIGNED_STRUCT_PAGE (the cmpxchg_double fastpath of x86-64)
 *   off: SLUB_DEBUG, SYSFS, MEMCG, KASAN, KFENCE, KMSAN, KMEMLEAK,
 *        tracing, ZONE_DMA, SLAB_FREELIST_HARDENED/RANDOM, lockdep,
 *        MEM_ALLOC_PROFILING, RANDOM_KMALLOC_CACHES, SLAB_BUCKETS
 *
 * mm/internal.h is left out by defining its include guard (and by its
 * empty stub): slub.c needs nothing from it that is not here.
 *
 * Everything that is a machine primitive (per-CPU ops, preempt, irq,
 * locks, the page allocator, cycle counter) is an out-of-line call into
 * the runtime (kslab_glue.c), so that stage 2 can make each one a
 * simulator point; plain memory accesses reach slabsim through the
 * __tsan_* hooks (kslab_tsan.c).
 */
#ifndef KCOMPAT_H
#define KCOMPAT_H

#define CONFIG_SLUB 1
#define CONFIG_SLUB_CPU_PARTIAL 1
#define CONFIG_SLUB_STATS 1
#define CONFIG_NUMA 1
#define CONFIG_PREEMPTION 1
#define CONFIG_PREEMPT 1
#define CONFIG_PREEMPT_COUNT 1
#define CONFIG_SMP 1
#define CONFIG_64BIT 1
#define CONFIG_X86_64 1
#define CONFIG_MMU 1
#define CONFIG_HAVE_CMPXCHG_DOUBLE 1
#define CONFIG_HAVE_ALIGNED_STRUCT_PAGE 1
#define CONFIG_NR_CPUS 64	/* upper bound; nr_cpu_ids is set at kslab_init */
#define CONFIG_NODES_SHIFT 2	/* MAX_NUMNODES 4; slabsim boots the scenario's nodes */
#define CONFIG_PAGE_SHIFT 12

#define __KERNEL__ 1
#define __MM_INTERNAL_H	/* mm/internal.h left out */

#include "kc_types.h"
#include "kc_compiler.h"
#include "kc_percpu.h"
#include "kc_locks.h"
#include "kc_mm.h"
#include "kc_stubs.h"
#ifdef CONFIG_SLUB_DEBUG
#include "kc_debug.h"
#endif
#ifdef CONFIG_KUNIT
#include "kc_kunit.h"
#endif

#endif /* KCOMPAT_H */
