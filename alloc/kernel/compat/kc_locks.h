/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kc_locks.h - locks, irq and preempt: spinlocks, local_lock (a lock in
 * a per-CPU structure, taken on this CPU's copy), bit_spin_lock on a page
 * flag, preempt_disable/enable, local_irq_save/restore, mutexes, RCU,
 * workqueues and the task.  Each is an out-of-line primitive of the
 * runtime (kslab_glue.c): it checks and counts in stage 1 (one thread:
 * a held spinlock found held is a bug) and is a point in stage 2.
 */
#ifndef KC_LOCKS_H
#define KC_LOCKS_H

typedef struct {
	unsigned long locked; /* a word: the simulator's spinlocks are words (port.h) */
} spinlock_t;
typedef spinlock_t raw_spinlock_t;
typedef struct {
	int owner;	/* CPU + 1 of the holder, 0 free */
} local_lock_t;
struct mutex {
	int locked;
};
struct lock_class_key {
	int unused;
};

void kslab_p_spin_lock(spinlock_t *l);
void kslab_p_spin_unlock(spinlock_t *l);
int kslab_p_spin_trylock(spinlock_t *l);
unsigned long kslab_p_irq_save(void);
void kslab_p_irq_restore(unsigned long flags);
void kslab_p_irq_disable(void);
void kslab_p_irq_enable(void);
bool kslab_p_irqs_disabled(void);
void kslab_p_preempt_disable(void);
void kslab_p_preempt_enable(void);
int kslab_p_preempt_count(void);
void kslab_p_local_lock(local_lock_t *pcpu_lock, bool irq);
void kslab_p_local_unlock(local_lock_t *pcpu_lock, bool irq);
unsigned long kslab_p_local_lock_irqsave(local_lock_t *pcpu_lock);
void kslab_p_local_unlock_irqrestore(local_lock_t *pcpu_lock, unsigned long flags);
void kslab_p_bit_spin_lock(int nr, unsigned long *word);
void kslab_p_bit_spin_unlock(int nr, unsigned long *word);
void kslab_p_mutex_lock(struct mutex *m);
void kslab_p_mutex_unlock(struct mutex *m);

#define __SPIN_LOCK_UNLOCKED(name) { 0 }
#define DEFINE_SPINLOCK(name) spinlock_t name = { 0 }
#define DEFINE_RAW_SPINLOCK(name) raw_spinlock_t name = { 0 }
#define spin_lock_init(l) do { (l)->locked = 0; } while (0)
#define raw_spin_lock_init spin_lock_init
#define spin_lock(l) kslab_p_spin_lock(l)
#define spin_unlock(l) kslab_p_spin_unlock(l)
#define spin_trylock(l) kslab_p_spin_trylock(l)
#define spin_lock_irq(l) do { local_irq_disable(); spin_lock(l); } while (0)
#define spin_unlock_irq(l) do { spin_unlock(l); local_irq_enable(); } while (0)
#define spin_lock_irqsave(l, f) do { local_irq_save(f); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f) do { spin_unlock(l); local_irq_restore(f); } while (0)
#define spin_trylock_irqsave(l, f) \
	({ local_irq_save(f); spin_trylock(l) ? 1 : ({ local_irq_restore(f); 0; }); })
#define raw_spin_lock_irqsave spin_lock_irqsave
#define raw_spin_unlock_irqrestore spin_unlock_irqrestore
#define spin_is_locked(l) ((l)->locked)
#define assert_spin_locked(l) BUG_ON(!(l)->locked)

#define INIT_LOCAL_LOCK(name) { 0 }
#define local_lock_init(l) do { (l)->owner = 0; } while (0)
#define local_lock(l) kslab_p_local_lock((l), false)
#define local_unlock(l) kslab_p_local_unlock((l), false)
/* The saved flags come back: a local_lock taken with interrupts off leaves them off. */
#define local_lock_irqsave(l, f) do { (f) = kslab_p_local_lock_irqsave(l); } while (0)
#define local_unlock_irqrestore(l, f) kslab_p_local_unlock_irqrestore((l), (f))
#define local_lock_irq(l) kslab_p_local_lock((l), true)
#define local_unlock_irq(l) kslab_p_local_unlock((l), true)
#define local_trylock_irqsave(l, f) ({ local_lock_irqsave(l, f); 1; })

#define bit_spin_lock(nr, w) kslab_p_bit_spin_lock((nr), (w))
#define bit_spin_unlock(nr, w) kslab_p_bit_spin_unlock((nr), (w))
#define __bit_spin_unlock(nr, w) kslab_p_bit_spin_unlock((nr), (w))

#define preempt_disable() kslab_p_preempt_disable()
#define preempt_enable() kslab_p_preempt_enable()
#define preempt_enable_no_resched() kslab_p_preempt_enable()
#define migrate_disable() preempt_disable()
#define migrate_enable() preempt_enable()
#define preempt_count() kslab_p_preempt_count()
#define preemptible() (preempt_count() == 0 && !irqs_disabled())
#define in_task() 1
#define in_interrupt() 0
#define in_irq() 0
#define in_nmi() 0
#define local_irq_save(f) do { (f) = kslab_p_irq_save(); } while (0)
#define local_irq_restore(f) kslab_p_irq_restore(f)
#define local_irq_disable() kslab_p_irq_disable()
#define local_irq_enable() kslab_p_irq_enable()
#define irqs_disabled() kslab_p_irqs_disabled()
#define raw_local_irq_save local_irq_save

/* Lock checks of lockdep: configured out. */
#define lockdep_assert_held(l) do { (void)(l); } while (0)
#define lockdep_assert_not_held(l) do { } while (0)
#define lockdep_assert_irqs_disabled() do { } while (0)
#define lockdep_assert_irqs_enabled() do { } while (0)
#define lockdep_assert_preemption_disabled() do { } while (0)
#define lockdep_set_class(l, k) do { } while (0)
#define lockdep_register_key(k) do { } while (0)
#define lockdep_unregister_key(k) do { } while (0)
#define might_sleep() do { } while (0)
#define might_sleep_if(c) do { } while (0)
#define might_fault() do { } while (0)
#define might_alloc(gfp) do { } while (0)
#define cond_resched() 0
#define cpu_relax() do { } while (0)

#define DEFINE_MUTEX(name) struct mutex name = { 0 }
#define mutex_init(m) do { (m)->locked = 0; } while (0)
#define mutex_lock(m) kslab_p_mutex_lock(m)
#define mutex_unlock(m) kslab_p_mutex_unlock(m)
#define mutex_is_locked(m) ((m)->locked)

/* RCU: one thread, no readers to wait for; callbacks run at once. */
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_barrier() do { } while (0)
#define synchronize_rcu() do { } while (0)
#define call_rcu(head, fn) (fn)(head)
#define rcu_dereference(p) READ_ONCE(p)
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)

/* Workqueues: work runs at once, on the CPU it is queued on. */
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
	work_func_t func;
	struct list_head entry;
};
struct workqueue_struct {
	int unused;
};
extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_unbound_wq;
void kslab_run_work_on(int cpu, struct work_struct *w);
#define INIT_WORK(w, f) do { (w)->func = (f); INIT_LIST_HEAD(&(w)->entry); } while (0)
#define DECLARE_WORK(n, f) struct work_struct n = { (f), { &(n).entry, &(n).entry } }
#define queue_work_on(cpu, wq, w) (kslab_run_work_on((cpu), (w)), true)
#define queue_work(wq, w) queue_work_on(smp_processor_id(), wq, w)
#define schedule_work(w) queue_work(system_wq, w)
#define flush_work(w) true
#define flush_workqueue(wq) do { } while (0)
#define alloc_workqueue(...) system_wq
#define WQ_MEM_RECLAIM 0
#define WQ_UNBOUND 0

/* The task: reclaim state and allocation-context flags only. */
struct reclaim_state {
	unsigned long reclaimed;
	unsigned long reclaimed_slab;
};
struct kunit;
struct task_struct {
	struct kunit *kunit_test; /* the KUnit test running (kc_kunit.h), or NULL */
	struct reclaim_state *reclaim_state;
	unsigned int flags;
	pid_t pid;
	char comm[16];
};
extern struct task_struct kslab_task;
#define current (&kslab_task)
#define PF_MEMALLOC 0x800
#define PF_KTHREAD 0x200000
#define task_pid_nr(t) ((t)->pid)

#endif /* KC_LOCKS_H */
