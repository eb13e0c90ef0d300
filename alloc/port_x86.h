/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * port_x86.h - the port as the kernel compiles it on x86-64: every
 * primitive inline, in the kernel's instruction forms.  Included by port.h
 * when alloc/ is built with SLAB_PORT_KERNEL_SHAPED (the "kernel-shaped"
 * native build that `slabsim native` times); the simulator never sees it.
 *
 * The kernel's per-CPU area is addressed through %gs, whose base is the
 * CPU's per_cpu_offset.  Userspace cannot set %gs, but %fs is the same
 * mechanism: its base is the thread's thread-local storage.  So here a CPU
 * is a thread, its per-CPU area is a block of that thread's static TLS
 * (slab_world.c), and a per-CPU pointer is an offset from the thread
 * pointer, as a kernel per-CPU pointer is an offset from per_cpu_offset.
 * The forms, each the kernel's (arch/x86/include/asm/percpu.h, preempt.h,
 * irqflags.h, spinlock.h, cmpxchg_64.h of 3.18):
 *   this_cpu_read            movq %fs:off(%reg), %reg
 *   this_cpu_ptr/raw_cpu_ptr movq %fs:0, %reg; add  (the kernel adds
 *                            %gs:this_cpu_off; %fs:0 holds the thread
 *                            pointer, which is that offset here)
 *   this_cpu_cmpxchg         cmpxchgq %reg, %fs:off(%reg)       no LOCK
 *   this_cpu_cmpxchg_double  cmpxchg16b %fs:off(%reg); setz     no LOCK
 *   cmpxchg_double           lock cmpxchg16b; setz
 *   atomic_long_add          lock addq
 *   preempt_disable          incl %fs:preempt_count; compiler barrier
 *   preempt_enable           compiler barrier; decl %fs:preempt_count;
 *                            je -> preempt_schedule (CONFIG_PREEMPT; the
 *                            count starts at PREEMPT_NEED_RESCHED, folded
 *                            and inverted as on x86, so the branch is only
 *                            taken when a reschedule is pending)
 *   local_irq_save           pushfq; popq; then the stand-in for cli
 *   local_irq_restore        pushq; popfq (the kernel's own instructions)
 *   spin_lock / spin_unlock  the 3.18 ticket lock: lock xadd of the tail,
 *                            spin on the head with pause; unlock is a
 *                            plain add to the head, as on x86
 *
 * What userspace cannot reproduce:
 *  - cli and sti are privileged (#GP at CPL 3).  The stand-in for cli is a
 *    store of zero to a per-thread "irqs enabled" byte (movb $0, %fs:...);
 *    popfq is the kernel's restore instruction and runs as is (at CPL 3 it
 *    leaves IF alone but costs what it costs).  A cli costs a few cycles
 *    more than the store (reference: local_irq_disable + enable, cli/sti,
 *    ~7 cycles per pair), so paths that save irqs are a few cycles fast.
 *  - No interrupt, preemption or migration ever happens: a thread is pinned
 *    to its CPU for its life and nothing else runs allocator code on it.
 *  - SLUB_STATS are compiled out (CONFIG_SLUB_STATS=n, as in distribution
 *    kernels and, as far as the seed says, in the seed's).
 *  - The page allocator is this project's buddy allocator behind a ticket
 *    lock with irqs saved, not the kernel's per-CPU page lists.
 *
 * The point argument of every primitive is ignored and compiles away.
 */
#ifndef SLAB_PORT_X86_H
#define SLAB_PORT_X86_H

#if !defined(__x86_64__)
#error "the kernel-shaped port is x86-64 only"
#endif

#define SLAB_TLS __attribute__((tls_model("local-exec")))
/* Inline at every optimisation level, as the kernel's are. */
#define SLAB_X86_INLINE static inline __attribute__((always_inline))

/* Per CPU (per thread), as the kernel keeps them per CPU. */
extern __thread unsigned slab_x86_cpu_number SLAB_TLS;
extern __thread int slab_x86_preempt_count SLAB_TLS;
extern __thread unsigned char slab_x86_irqs_enabled SLAB_TLS;

/* x86 folds "no reschedule needed" into the count, inverted. */
#define SLAB_X86_PREEMPT_NEED_RESCHED 0x80000000

/* Out of line, as in the kernel (cpu_threads_x86.c). */
void slab_x86_preempt_schedule(void);
struct page *slab_x86_alloc_pages(int node, unsigned order);
void slab_x86_free_pages(struct page *page, unsigned order);
void slab_x86_on_each_cpu(void (*fn)(void *arg), void *arg);
bool slab_x86_cpus_ready(void);

SLAB_X86_INLINE bool slab_port_ready(void)
{
	return slab_x86_cpus_ready();
}

SLAB_X86_INLINE unsigned smp_processor_id(enum slab_point pt)
{
	unsigned cpu;
	__asm__ __volatile__("movl %1, %0" : "=r"(cpu) : "m"(slab_x86_cpu_number));
	return cpu;
}

/*
 * this_cpu_off, read as the kernel's this_cpu_read_stable: not volatile
 * and with no memory input, so the compiler may reuse it within a function.
 */
SLAB_X86_INLINE unsigned long slab_x86_this_cpu_off(void)
{
	unsigned long off;
	__asm__("movq %%fs:0, %0" : "=r"(off));
	return off;
}

#define this_cpu_ptr(pt, p) \
	((void)(pt), (__typeof__(p))((unsigned long)(p) + slab_x86_this_cpu_off()))
#define raw_cpu_ptr(pt, p) this_cpu_ptr(pt, p)

#define this_cpu_read(pt, field)                                         \
	({                                                               \
		unsigned long pfo_ret__;                                 \
		(void)(pt);                                              \
		__asm__ __volatile__("movq %%fs:%1, %0"                  \
				     : "=r"(pfo_ret__)                   \
				     : "m"(*(unsigned long *)&(field))); \
		(__typeof__(field))pfo_ret__;                            \
	})

#define this_cpu_cmpxchg(pt, field, o, n)                                                \
	({                                                                               \
		unsigned long pco_old__ = (unsigned long)(o);                            \
		(void)(pt);                                                              \
		__asm__ __volatile__("cmpxchgq %2, %%fs:%1"                              \
				     : "+a"(pco_old__), "+m"(*(unsigned long *)&(field)) \
				     : "r"((unsigned long)(n))                           \
				     : "memory", "cc");                                  \
		(__typeof__(field))pco_old__;                                            \
	})

/* cmpxchg16b with its prefix ("" or "lock ") and segment ("%%fs:" or ""). */
#define slab_x86_cmpxchg16b(prefix, seg, field1, o1, o2, n1, n2)                              \
	({                                                                                    \
		bool c16_ok__;                                                                \
		unsigned long c16_o1__ = (unsigned long)(o1);                                 \
		unsigned long c16_o2__ = (unsigned long)(o2);                                 \
		__asm__ __volatile__(prefix "cmpxchg16b " seg "%1\n\tsetz %0"                 \
				     : "=q"(c16_ok__), "+m"(*(unsigned __int128 *)&(field1)), \
				       "+a"(c16_o1__), "+d"(c16_o2__)                         \
				     : "b"((unsigned long)(n1)), "c"((unsigned long)(n2))     \
				     : "memory", "cc");                                       \
		c16_ok__;                                                                     \
	})

/* Atomic against this CPU only: no LOCK, the per-CPU segment. */
#define this_cpu_cmpxchg_double(pt, field1, o1, o2, n1, n2) \
	((void)(pt), slab_x86_cmpxchg16b("", "%%fs:", field1, o1, o2, n1, n2))

/* Atomic against every CPU. */
#define cmpxchg_double(pt, field1, o1, o2, n1, n2) \
	((void)(pt), slab_x86_cmpxchg16b("lock ", "", field1, o1, o2, n1, n2))

#define READ_ONCE(pt, x) ((void)(pt), (__typeof__(x))(*(volatile unsigned long *)&(x)))
#define WRITE_ONCE(pt, x, v) ((void)(pt), *(volatile unsigned long *)&(x) = (unsigned long)(v))

#define atomic_long_add(pt, field, delta)                               \
	do {                                                            \
		(void)(pt);                                             \
		__asm__ __volatile__("lock addq %1, %0"                 \
				     : "+m"(*(unsigned long *)&(field)) \
				     : "er"((long)(delta))              \
				     : "memory", "cc");                 \
	} while (0)

SLAB_X86_INLINE void barrier(enum slab_point pt)
{
	__asm__ __volatile__("" ::: "memory");
}

SLAB_X86_INLINE void preempt_disable(enum slab_point pt)
{
	__asm__ __volatile__("incl %0" : "+m"(slab_x86_preempt_count) : : "cc");
	barrier(pt);
}

SLAB_X86_INLINE void preempt_enable(enum slab_point pt)
{
	barrier(pt);
	__asm__ goto("decl %0\n\tje %l[resched]"
		     :
		     : "m"(slab_x86_preempt_count)
		     : "memory", "cc"
		     : resched);
	return;
resched:
	slab_x86_preempt_schedule();
}

SLAB_X86_INLINE unsigned long local_irq_save(enum slab_point pt)
{
	unsigned long flags;
	__asm__ __volatile__("pushfq\n\tpopq %0" : "=rm"(flags) : : "memory");
	/* The stand-in for cli (see the top of this file). */
	__asm__ __volatile__("movb $0, %0" : "=m"(slab_x86_irqs_enabled) : : "memory");
	return flags;
}

SLAB_X86_INLINE void local_irq_restore(enum slab_point pt, unsigned long flags)
{
	/* IF is bit 9: what cli changed, restored with the rest of the flags. */
	slab_x86_irqs_enabled = (unsigned char)((flags >> 9) & 1);
	__asm__ __volatile__("pushq %0\n\tpopfq" : : "g"(flags) : "memory", "cc");
}

/* The 3.18 ticket lock: tail in the high half, head in the low half. */
SLAB_X86_INLINE void spin_lock(enum slab_point pt, slab_spinlock_t *lock)
{
	preempt_disable(pt);
	unsigned long inc = 1UL << 32;
	__asm__ __volatile__("lock xaddq %0, %1"
			     : "+r"(inc), "+m"(lock->locked)
			     :
			     : "memory", "cc");
	unsigned ticket = (unsigned)(inc >> 32);
	while ((unsigned)READ_ONCE(pt, lock->locked) != ticket)
		__asm__ __volatile__("pause" ::: "memory");
	/* As arch_spin_lock: nothing of the critical section moves above this. */
	barrier(pt);
}

SLAB_X86_INLINE void spin_unlock(enum slab_point pt, slab_spinlock_t *lock)
{
	/* Only the owner writes the head: a plain add, no LOCK (UNLOCK_LOCK_PREFIX). */
	__asm__ __volatile__("addl $1, %0" : "+m"(*(unsigned *)&lock->locked) : : "memory", "cc");
	preempt_enable(pt);
}

SLAB_X86_INLINE void port_compute(enum slab_point pt)
{
}

SLAB_X86_INLINE struct page *port_alloc_pages(enum slab_point pt, int node, unsigned order)
{
	return slab_x86_alloc_pages(node, order);
}

SLAB_X86_INLINE void port_free_pages(enum slab_point pt, struct page *page, unsigned order)
{
	slab_x86_free_pages(page, order);
}

SLAB_X86_INLINE void on_each_cpu(void (*fn)(void *arg), void *arg)
{
	slab_x86_on_each_cpu(fn, arg);
}

/* CONFIG_SLUB_STATS=n. */
SLAB_X86_INLINE void port_stat_inc(unsigned *pcpu_counter)
{
}

#endif /* SLAB_PORT_X86_H */
