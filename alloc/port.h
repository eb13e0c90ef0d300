/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * port.h - the boundary between the allocator and the machine it runs on.
 *
 * alloc/ is written like kernel code, and everything it does to "hardware"
 * goes through this header: which CPU it runs on, per-CPU pointers, the
 * preemption and interrupt guards, every load and store of shared memory,
 * the atomics, spinlocks, the page allocator and the struct page <-> address
 * mapping.  Code between two port calls touches only locals; that is what
 * makes interleaving at port calls exact under sequential consistency.
 *
 * Shared memory means any field of struct kmem_cache_cpu, struct page,
 * struct kmem_cache_node, and the free pointer inside an object.  Constant
 * fields of struct kmem_cache (size, offset, order, design) may be read
 * plainly.
 *
 * Every call names a point (enum slab_point, listed in points.def): a stable
 * "function.step" name where an implementation may charge cycles, preempt,
 * migrate or run an interrupt.  Two implementations exist: the simulator's
 * (virtual CPUs, deterministic, costs charged) and the native one (real
 * threads, real atomics, TSC).  The implementation is chosen at run time by
 * slab_port_install(); both link into the same program.
 *
 * Contracts, per primitive:
 *  - cpu_id: the CPU the caller runs on now; may be stale at the next point
 *    unless preemption is disabled.
 *  - this_cpu_ptr / raw_cpu_ptr: the current CPU's copy of a per-CPU object
 *    (a per-CPU pointer is the address of CPU 0's copy).
 *  - this_cpu_read, this_cpu_cmpxchg, this_cpu_cmpxchg_double: one
 *    indivisible step on the current CPU's copy; atomic against preemption
 *    and interrupts on this CPU, not against other CPUs (as %gs: ops without
 *    LOCK on x86-64).
 *  - cmpxchg_double: LOCK cmpxchg16b, atomic against every CPU.  The two
 *    words must be 16-byte aligned.
 *  - load / store: READ_ONCE / WRITE_ONCE of one word.
 *  - spin_lock / spin_unlock: also disable / enable preemption.
 *  - alloc_pages / free_pages: the page allocator, one indivisible step.
 *  - compute: a point that touches no shared memory (address arithmetic).
 *  - stat_inc: SLUB_STATS accounting; not a point, costs nothing.
 *  - assert_fail: an allocator assertion failed; not a point.
 *  - sequential: nothing runs between two points of the running CPU (the
 *    simulator), so a plain walk of a shared list between points is exact;
 *    false on real CPUs, where another CPU may be changing it.
 * What the primitives require of their callers (the simulator checks it,
 * as CONFIG_DEBUG_PREEMPT and lockdep would; port_sim.c):
 *  - spin_lock of a kmem_cache_node's list_lock: interrupts disabled (3.18
 *    takes it with irqs saved; an interrupt taking it again would deadlock).
 *  - this_cpu_ptr: preemption or interrupts disabled (raw_cpu_ptr does not
 *    ask; the this_cpu_* operations need nothing), checked under a profile
 *    with debug_preempt = 1, as only CONFIG_DEBUG_PREEMPT kernels check it.
 *  - cmpxchg_double, this_cpu_cmpxchg_double: 16-byte aligned words.
 */
#ifndef SLAB_PORT_H
#define SLAB_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum slab_point {
#define SLAB_POINT(fn, step) PT_##fn##__##step,
#include "points.def"
#undef SLAB_POINT
	SLAB_POINT_COUNT
};

/* PT(slab_alloc, read_tid) names the point "slab_alloc.read_tid". */
#define PT(fn, step) PT_##fn##__##step

/*
 * The port's points come first; the kernel.* points, which only a
 * kernel's own slub.c reaches (design->kernel), follow them.
 */
#define SLAB_PORT_POINT_COUNT PT(kernel, cpu_id)

/* What a point does to memory: the cost model charges by kind. */
enum slab_point_kind {
	SLAB_PK_LOAD,
	SLAB_PK_STORE,
	SLAB_PK_ATOMIC_ADD,
	SLAB_PK_CPU_READ,
	SLAB_PK_CPU_CMPXCHG,
	SLAB_PK_CPU_CMPXCHG_DOUBLE,
	SLAB_PK_CMPXCHG_DOUBLE,
	SLAB_PK_PREEMPT_DISABLE,
	SLAB_PK_PREEMPT_ENABLE,
	SLAB_PK_IRQ_SAVE,
	SLAB_PK_IRQ_RESTORE,
	SLAB_PK_SPIN_LOCK,
	SLAB_PK_SPIN_UNLOCK,
	SLAB_PK_PAGE_ALLOC,
	SLAB_PK_PAGE_FREE,
	SLAB_PK_CPU_PTR,
	SLAB_PK_RAW_CPU_PTR,
	SLAB_PK_COMPUTE,
	SLAB_PK_BARRIER,
	SLAB_PK_COUNT
};

const char *slab_point_name(enum slab_point pt);
/* The point named "function.step", or -1. */
int slab_point_find(const char *name);
const char *slab_point_kind_name(enum slab_point_kind kind);

struct page;
struct kmem_cache;

typedef struct {
	unsigned long locked;
} slab_spinlock_t;

struct slab_port_ops {
	const char *name;
	unsigned (*cpu_id)(enum slab_point pt);
	void *(*this_cpu_ptr)(enum slab_point pt, void *pcpu);
	/* The same address; the kernel's raw_cpu_ptr skips DEBUG_PREEMPT's check. */
	void *(*raw_cpu_ptr)(enum slab_point pt, void *pcpu);
	unsigned long (*this_cpu_read)(enum slab_point pt, unsigned long *pcpu);
	unsigned long (*this_cpu_cmpxchg)(enum slab_point pt, unsigned long *pcpu,
					  unsigned long old, unsigned long new);
	bool (*this_cpu_cmpxchg_double)(enum slab_point pt, unsigned long *pcpu, unsigned long old1,
					unsigned long old2, unsigned long new1, unsigned long new2);
	bool (*cmpxchg_double)(enum slab_point pt, unsigned long *addr, unsigned long old1,
			       unsigned long old2, unsigned long new1, unsigned long new2);
	unsigned long (*load)(enum slab_point pt, const unsigned long *addr);
	void (*store)(enum slab_point pt, unsigned long *addr, unsigned long v);
	/* atomic_long_add: LOCK xadd, for nr_slabs and total_objects */
	void (*atomic_add)(enum slab_point pt, unsigned long *addr, long delta);
	void (*preempt_disable)(enum slab_point pt);
	void (*preempt_enable)(enum slab_point pt);
	unsigned long (*irq_save)(enum slab_point pt);
	void (*irq_restore)(enum slab_point pt, unsigned long flags);
	void (*spin_lock)(enum slab_point pt, slab_spinlock_t *lock);
	void (*spin_unlock)(enum slab_point pt, slab_spinlock_t *lock);
	struct page *(*alloc_pages)(enum slab_point pt, int node, unsigned order);
	void (*free_pages)(enum slab_point pt, struct page *page, unsigned order);
	void (*compute)(enum slab_point pt);
	void (*barrier)(enum slab_point pt);
	/* Run fn on every CPU in turn, as the kernel's on_each_cpu() does. */
	void (*on_each_cpu)(void (*fn)(void *arg), void *arg);
	void (*stat_inc)(unsigned *pcpu_counter);
	/*
	 * A SLAB_ASSERT failed (slab_assert.h): not a point, called only on
	 * failure.  The implementation reports it and should not return, as
	 * the kernel's BUG() does not; NULL: print and abort.
	 */
	void (*assert_fail)(const char *file, int line, const char *cond);
	bool sequential; /* see above: only then may assertions walk shared lists */
};

/* The installed implementation; set before any allocator call. */
extern const struct slab_port_ops *slab_port;

void slab_port_install(const struct slab_port_ops *ops);

#ifdef SLAB_PORT_KERNEL_SHAPED
/*
 * The kernel-shaped build: alloc/ compiled a second time with every
 * primitive inline, in the instruction forms the kernel uses on x86-64
 * (port_x86.h).  No ops table; the point names compile away.
 */
#include "port_x86.h"
#else

/* Kernel-shaped wrappers: the allocator calls these, never slab_port->x. */

static inline unsigned smp_processor_id(enum slab_point pt)
{
	return slab_port->cpu_id(pt);
}

#define this_cpu_ptr(pt, p) ((__typeof__(p))slab_port->this_cpu_ptr(pt, (void *)(p)))
/*
 * raw_cpu_ptr has the same machine semantics; under CONFIG_DEBUG_PREEMPT
 * this_cpu_ptr calls debug_smp_processor_id() and raw_cpu_ptr does not.
 */
#define raw_cpu_ptr(pt, p) ((__typeof__(p))slab_port->raw_cpu_ptr(pt, (void *)(p)))

#define this_cpu_read(pt, field) \
	((__typeof__(field))slab_port->this_cpu_read(pt, (unsigned long *)&(field)))

#define this_cpu_cmpxchg(pt, field, o, n)                                              \
	((__typeof__(field))slab_port->this_cpu_cmpxchg(pt, (unsigned long *)&(field), \
							(unsigned long)(o), (unsigned long)(n)))

#define this_cpu_cmpxchg_double(pt, field1, o1, o2, n1, n2)                                     \
	slab_port->this_cpu_cmpxchg_double(pt, (unsigned long *)&(field1), (unsigned long)(o1), \
					   (unsigned long)(o2), (unsigned long)(n1),            \
					   (unsigned long)(n2))

#define cmpxchg_double(pt, field1, o1, o2, n1, n2)                                     \
	slab_port->cmpxchg_double(pt, (unsigned long *)&(field1), (unsigned long)(o1), \
				  (unsigned long)(o2), (unsigned long)(n1), (unsigned long)(n2))

#define READ_ONCE(pt, x) ((__typeof__(x))slab_port->load(pt, (const unsigned long *)&(x)))
#define WRITE_ONCE(pt, x, v) slab_port->store(pt, (unsigned long *)&(x), (unsigned long)(v))

#define atomic_long_add(pt, field, delta) \
	slab_port->atomic_add(pt, (unsigned long *)&(field), (long)(delta))

/* Is a machine installed?  The allocator refuses to start without one. */
static inline bool slab_port_ready(void)
{
	return slab_port != NULL;
}

static inline struct page *port_alloc_pages(enum slab_point pt, int node, unsigned order)
{
	return slab_port->alloc_pages(pt, node, order);
}

static inline void port_free_pages(enum slab_point pt, struct page *page, unsigned order)
{
	slab_port->free_pages(pt, page, order);
}

static inline void on_each_cpu(void (*fn)(void *arg), void *arg)
{
	slab_port->on_each_cpu(fn, arg);
}

/* SLUB_STATS: raw_cpu_inc of a per-CPU counter. */
static inline void port_stat_inc(unsigned *pcpu_counter)
{
	slab_port->stat_inc(pcpu_counter);
}

static inline void preempt_disable(enum slab_point pt)
{
	slab_port->preempt_disable(pt);
}

static inline void preempt_enable(enum slab_point pt)
{
	slab_port->preempt_enable(pt);
}

static inline unsigned long local_irq_save(enum slab_point pt)
{
	return slab_port->irq_save(pt);
}

static inline void local_irq_restore(enum slab_point pt, unsigned long flags)
{
	slab_port->irq_restore(pt, flags);
}

static inline void spin_lock(enum slab_point pt, slab_spinlock_t *lock)
{
	slab_port->spin_lock(pt, lock);
}

static inline void spin_unlock(enum slab_point pt, slab_spinlock_t *lock)
{
	slab_port->spin_unlock(pt, lock);
}

static inline void barrier(enum slab_point pt)
{
	slab_port->barrier(pt);
}

static inline void port_compute(enum slab_point pt)
{
	slab_port->compute(pt);
}

#endif /* SLAB_PORT_KERNEL_SHAPED */

/* May an assertion walk a shared list plainly (see sequential above)? */
static inline bool slab_port_sequential(void)
{
#ifdef SLAB_PORT_KERNEL_SHAPED
	return false; /* real CPUs */
#else
	return slab_port && slab_port->sequential;
#endif
}

#endif /* SLAB_PORT_H */
