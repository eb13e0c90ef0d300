/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * port_sim.c - the port implemented on the engine.  Each primitive is a
 * point: wait for this CPU's turn (and let the policy inject), perform the
 * operation in one indivisible step at this CPU's time, then charge its
 * cost: the primitive's own cost from the profile, plus where the cache
 * model found its line.  Per-CPU operations act on the copy of the CPU the
 * task runs on at that moment.
 *
 * Outside tasks (setup, the end-of-run flush and checks) the operations
 * run directly on the engine's direct_cpu, uncharged.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_internal.h"
#include "step.h"
#include "page_alloc.h"
#include "slab_world.h"

static inline struct sim_engine *eng(void)
{
	return sim_eng;
}

static inline unsigned cpu_of(struct sim_engine *e, struct sim_task *t)
{
	return t ? t->cpu->id : e->direct_cpu;
}

/* The words a memory operation touches, for the timing model. */
static inline struct sim_timing_mem mem_of(enum slab_point_kind kind, const void *addr,
					   enum sim_mem_op op)
{
	bool dbl = kind == SLAB_PK_CPU_CMPXCHG_DOUBLE || kind == SLAB_PK_CMPXCHG_DOUBLE;
	return (struct sim_timing_mem){ slab_world_offset(addr) / 8, dbl ? 2 : 1,
					op != SIM_MEM_STORE, op != SIM_MEM_LOAD };
}

/* Charge a memory operation: its own cost (none for a plain access) plus its line's. */
static inline void charge_access(struct sim_engine *e, struct sim_task *t,
				 enum slab_point_kind kind, uint64_t own, const void *addr,
				 enum sim_mem_op op)
{
	if (!t)
		return;
	uint64_t cycles = own + sim_mem_cost(e, t->cpu->id, addr, op);
	/* Only the footprints and the overlap model read the words touched. */
	if (G_UNLIKELY(e->footprints || t->timing)) {
		struct sim_timing_mem m = mem_of(kind, addr, op);
		sim_charge_mem(e, t, kind, cycles, &m);
	} else {
		sim_charge_mem(e, t, kind, cycles, NULL);
	}
}

void sim_charge_access(struct sim_engine *e, struct sim_task *t, enum slab_point_kind kind,
		       const void *addr, enum sim_mem_op op)
{
	charge_access(e, t, kind, 0, addr, op);
}

static inline void charge_mem(struct sim_engine *e, struct sim_task *t, enum slab_point_kind kind,
			      enum sim_cost_key own, const void *addr, enum sim_mem_op op)
{
	charge_access(e, t, kind, e->cost[own], addr, op);
}

/* The guards read and write the preempt count. */
static inline void charge_preempt(struct sim_engine *e, struct sim_task *t,
				  enum slab_point_kind kind, enum sim_cost_key own)
{
	struct sim_timing_mem m = { SIM_TIMING_PREEMPT_WORD, 1, true, true };
	sim_charge_mem(e, t, kind, e->cost[own], &m);
}

/*
 * The charge of each kind of point that can be quiet: its own cost (none:
 * SIM_COST_COUNT) and whether it touches memory (an L1 hit then, as
 * sim_mem_cost counts one).  A quiet point's charge is a constant of the
 * run for its kind (sim_quiet_setup), so the quiet path adds it to the
 * clock and counts the point in quiet_by_kind; sim_quiet_fold puts those
 * counts into the report's tallies when the run ends.  Nothing reads the
 * tallies while quiet points happen: only the steps scheduler reads
 * count_by_kind mid-run, at choice points, and counting choice points
 * makes no point quiet (step_watched, never_quiet).
 */
static const struct {
	bool quiet;
	enum sim_cost_key own;
	bool mem;
} quiet_charge[SIM_KIND_COUNT] = {
	[SLAB_PK_RAW_CPU_PTR] = { true, SIM_COST_this_cpu_ptr, false },
	[SLAB_PK_CPU_CMPXCHG_DOUBLE] = { true, SIM_COST_this_cpu_cmpxchg_double, true },
	[SLAB_PK_CMPXCHG_DOUBLE] = { true, SIM_COST_cmpxchg_double, true },
	[SLAB_PK_LOAD] = { true, SIM_COST_COUNT, true },
	[SLAB_PK_STORE] = { true, SIM_COST_COUNT, true },
	[SLAB_PK_COMPUTE] = { true, SIM_COST_compute, false },
	[SLAB_PK_BARRIER] = { true, SIM_COST_barrier, false },
};

void sim_quiet_setup(struct sim_engine *e)
{
	for (unsigned k = 0; k < SIM_KIND_COUNT; k++) {
		if (!quiet_charge[k].quiet)
			continue;
		enum sim_cost_key own = quiet_charge[k].own;
		e->quiet_cycles[k] = (own == SIM_COST_COUNT ? 0 : e->cost[own]) +
				     (quiet_charge[k].mem ? e->cost[SIM_COST_l1_hit] : 0);
	}
}

void sim_quiet_fold(struct sim_engine *e)
{
	struct sim_run_report *r = e->report;
	for (unsigned k = 0; k < SIM_KIND_COUNT; k++) {
		uint64_t n = e->quiet_by_kind[k];
		if (!n)
			continue;
		r->count_by_kind[k] += n;
		r->cycles_by_kind[k] += n * e->quiet_cycles[k];
		if (quiet_charge[k].mem) {
			r->accesses_by_level[SIM_CACHE_L1] += n;
			r->cycles_by_level[SIM_CACHE_L1] += n * e->cost[SIM_COST_l1_hit];
		}
		e->quiet_by_kind[k] = 0;
	}
}

/*
 * The hot primitives' whole point when it is quiet (step.h) and its charge
 * plain: no cache model, no overlap model, and no other CPU in the heap
 * below this one to compare clocks with.  Step and charge are then all
 * counting, with no call; the primitive's operation, which reads nothing
 * they write, follows.  False, with nothing done: the primitive takes its
 * whole path (sim_step, then its charge, quiet_charge's for the kind).
 */
static inline bool quiet_point(struct sim_engine *e, enum slab_point pt, enum slab_point_kind kind)
{
	struct sim_task *t = e->running;
	if (!t || t != e->quiet_port_task)
		return false;
	struct sim_cpu *c = t->cpu;
	if (!sim_step_quiet_due(e, c)) /* quiet_port_task is quiet_task, or none */
		return false;
	sim_step_quiet_take(e, t, c, pt);
	e->quiet_by_kind[kind]++;
	c->clock += e->quiet_cycles[kind];
	return true;
}

/* ---------------------------------------------------------------------- */
/* What a primitive requires of its caller (port.h, "What the primitives
 * require"): checked here, where the engine knows the task's preempt count
 * and interrupt state.  A check reads engine state only, so it adds no
 * point and no cycles; a breach is an allocator bug, reported as such.
 * Outside tasks (t NULL: setup, the end-of-run flush) nothing runs
 * concurrently and the guards are not tracked, so nothing is checked.
 */

static void contract_broken(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
			    const char *what)
{
	sim_violation(e, t, "port-contract", false, "port contract broken at %s: %s",
		      slab_point_name(pt), what);
}

/*
 * 3.18 takes a kmem_cache_node's list_lock with interrupts saved: an
 * interrupt on this CPU that frees into the same node would spin on it
 * forever.  Every spinlock the allocator takes is a list_lock.
 */
static void check_spin_lock(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	if (t && !t->irqs_off)
		contract_broken(e, t, pt, "spin_lock of a list_lock with interrupts enabled");
}

/*
 * CONFIG_DEBUG_PREEMPT's check_preemption_disabled(): this_cpu_ptr in a
 * preemptible context may name a CPU the task has already left.  Only a
 * kernel with debug_preempt checks it, so only a profile with
 * debug_preempt = 1 does here: designs that run unguarded on purpose use
 * raw_cpu_ptr or this_cpu_read, which no kernel checks.
 */
static void check_this_cpu_ptr(struct sim_engine *e, struct sim_task *t, enum slab_point pt)
{
	if (t && e->timing.debug_preempt && !t->is_irq && !t->preempt_count && !t->irqs_off)
		contract_broken(e, t, pt,
				"this_cpu_ptr in a preemptible context (use raw_cpu_ptr, or "
				"disable preemption)");
}

/* cmpxchg16b faults (#GP) on an operand that is not 16-byte aligned. */
static void check_double_aligned(struct sim_engine *e, struct sim_task *t, enum slab_point pt,
				 const void *addr)
{
	if ((uintptr_t)addr & 15)
		contract_broken(e, t, pt, "cmpxchg_double on words that are not 16-byte aligned");
}

static unsigned s_cpu_id(enum slab_point pt)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	sim_charge(e, t, SLAB_PK_CPU_PTR, e->cost[SIM_COST_this_cpu_ptr]);
	return cpu_of(e, t);
}

static void *s_this_cpu_ptr(enum slab_point pt, void *pcpu)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	check_this_cpu_ptr(e, t, pt);
	sim_charge(e, t, SLAB_PK_CPU_PTR, e->cost[SIM_COST_this_cpu_ptr]);
	return slab_per_cpu_ptr(pcpu, cpu_of(e, t));
}

static G_GNUC_NO_INLINE void *s_raw_cpu_ptr_full(enum slab_point pt, void *pcpu)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	sim_charge(e, t, SLAB_PK_RAW_CPU_PTR, e->cost[SIM_COST_this_cpu_ptr]);
	return slab_per_cpu_ptr(pcpu, cpu_of(e, t));
}

static void *s_raw_cpu_ptr(enum slab_point pt, void *pcpu)
{
	struct sim_engine *e = eng();
	if (G_LIKELY(quiet_point(e, pt, SLAB_PK_RAW_CPU_PTR)))
		return slab_per_cpu_ptr(pcpu, e->running->cpu->id);
	return s_raw_cpu_ptr_full(pt, pcpu);
}

static unsigned long s_this_cpu_read(enum slab_point pt, unsigned long *pcpu)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	unsigned long *p = slab_per_cpu_ptr(pcpu, cpu_of(e, t));
	charge_mem(e, t, SLAB_PK_CPU_READ, SIM_COST_this_cpu_read, p, SIM_MEM_LOAD);
	return *p;
}

static unsigned long s_this_cpu_cmpxchg(enum slab_point pt, unsigned long *pcpu, unsigned long old,
					unsigned long new)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	unsigned long *p = slab_per_cpu_ptr(pcpu, cpu_of(e, t));
	unsigned long cur = *p;
	if (cur == old)
		*p = new;
	charge_mem(e, t, SLAB_PK_CPU_CMPXCHG, SIM_COST_this_cpu_cmpxchg, p, SIM_MEM_ATOMIC);
	return cur;
}

/* The operation of both cmpxchg_double primitives on the two words at p. */
static inline bool cmpxchg_double_words(unsigned long *p, unsigned long o1, unsigned long o2,
					unsigned long n1, unsigned long n2)
{
	bool ok = p[0] == o1 && p[1] == o2;
	if (ok) {
		p[0] = n1;
		p[1] = n2;
	}
	return ok;
}

/*
 * A misaligned operand is reported before the charge, as the whole path
 * does it: the quiet path only takes aligned ones (every correct call).
 */
static inline bool double_aligned(const void *p)
{
	return !((uintptr_t)p & 15);
}

static G_GNUC_NO_INLINE bool s_this_cpu_cmpxchg_double_full(enum slab_point pt, unsigned long *pcpu,
							    unsigned long o1, unsigned long o2,
							    unsigned long n1, unsigned long n2)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	unsigned long *p = slab_per_cpu_ptr(pcpu, cpu_of(e, t));
	check_double_aligned(e, t, pt, p);
	bool ok = cmpxchg_double_words(p, o1, o2, n1, n2);
	charge_mem(e, t, SLAB_PK_CPU_CMPXCHG_DOUBLE, SIM_COST_this_cpu_cmpxchg_double, p,
		   SIM_MEM_ATOMIC);
	return ok;
}

static bool s_this_cpu_cmpxchg_double(enum slab_point pt, unsigned long *pcpu, unsigned long o1,
				      unsigned long o2, unsigned long n1, unsigned long n2)
{
	struct sim_engine *e = eng();
	/* A quiet point moves no task: the CPU before it is the CPU after. */
	if (G_LIKELY(e->running)) {
		unsigned long *p = slab_per_cpu_ptr(pcpu, e->running->cpu->id);
		if (G_LIKELY(double_aligned(p) && quiet_point(e, pt, SLAB_PK_CPU_CMPXCHG_DOUBLE)))
			return cmpxchg_double_words(p, o1, o2, n1, n2);
	}
	return s_this_cpu_cmpxchg_double_full(pt, pcpu, o1, o2, n1, n2);
}

static G_GNUC_NO_INLINE bool s_cmpxchg_double_full(enum slab_point pt, unsigned long *addr,
						   unsigned long o1, unsigned long o2,
						   unsigned long n1, unsigned long n2)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	check_double_aligned(e, t, pt, addr);
	bool ok = cmpxchg_double_words(addr, o1, o2, n1, n2);
	charge_mem(e, t, SLAB_PK_CMPXCHG_DOUBLE, SIM_COST_cmpxchg_double, addr, SIM_MEM_ATOMIC);
	return ok;
}

static bool s_cmpxchg_double(enum slab_point pt, unsigned long *addr, unsigned long o1,
			     unsigned long o2, unsigned long n1, unsigned long n2)
{
	struct sim_engine *e = eng();
	if (G_LIKELY(double_aligned(addr) && quiet_point(e, pt, SLAB_PK_CMPXCHG_DOUBLE)))
		return cmpxchg_double_words(addr, o1, o2, n1, n2);
	return s_cmpxchg_double_full(pt, addr, o1, o2, n1, n2);
}

static G_GNUC_NO_INLINE unsigned long s_load_full(enum slab_point pt, const unsigned long *addr)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	unsigned long v = *addr;
	charge_access(e, t, SLAB_PK_LOAD, 0, addr, SIM_MEM_LOAD);
	return v;
}

/*
 * Outside tasks (no running task: setup, the end-of-run checks) a load or
 * store is the operation alone: sim_step has no step for it and the charge
 * none (the whole path's sim_step returns NULL, charge_access nothing).
 */
static unsigned long s_load(enum slab_point pt, const unsigned long *addr)
{
	struct sim_engine *e = eng();
	if (G_LIKELY(quiet_point(e, pt, SLAB_PK_LOAD)) || !e->running)
		return *addr;
	return s_load_full(pt, addr);
}

static G_GNUC_NO_INLINE void s_store_full(enum slab_point pt, unsigned long *addr, unsigned long v)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	*addr = v;
	charge_access(e, t, SLAB_PK_STORE, 0, addr, SIM_MEM_STORE);
}

static void s_store(enum slab_point pt, unsigned long *addr, unsigned long v)
{
	struct sim_engine *e = eng();
	if (G_LIKELY(quiet_point(e, pt, SLAB_PK_STORE)) || !e->running) {
		*addr = v;
		return;
	}
	s_store_full(pt, addr, v);
}

static void s_atomic_add(enum slab_point pt, unsigned long *addr, long delta)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	*addr += (unsigned long)delta;
	charge_mem(e, t, SLAB_PK_ATOMIC_ADD, SIM_COST_atomic_add, addr, SIM_MEM_ATOMIC);
}

static void s_preempt_disable(enum slab_point pt)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	if (!t)
		return;
	t->preempt_count++;
	charge_preempt(e, t, SLAB_PK_PREEMPT_DISABLE, SIM_COST_preempt_disable);
}

/*
 * preempt_enable() is itself a preemption point: it drops the count and,
 * when it reaches zero, calls the scheduler if a reschedule is pending
 * (preempt_count_dec_and_test, then __preempt_schedule).  So the count
 * drops before the point asks the scheduler (sim_point_after): an action
 * decided here happens right after the guarded region, where the kernel's
 * would, and not at the next point.  (spin_unlock's own preempt_enable
 * needs no such care: every list_lock is held with interrupts off, so
 * nothing can act there anyway.)
 */
static void s_preempt_enable(enum slab_point pt)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_turn();
	if (!t)
		return;
	/*
	 * An action at the point just before, if that one too acted after its
	 * operation: 5.15's __slab_alloc ends local_unlock_irqrestore, then
	 * slub_put_cpu_ptr, two points between the commit and the return, and
	 * an interrupt taken at the first may have flushed the cpu slab
	 * (engine_checks.c, foreign-object).  Where the point before acts
	 * before its operation, or is any other, the flag is false already.
	 */
	bool acted_just_before = t->acted_after_effect;
	t->preempt_count--;
	sim_step(pt, true);
	t->acted_after_effect |= acted_just_before;
	charge_preempt(e, t, SLAB_PK_PREEMPT_ENABLE, SIM_COST_preempt_enable);
}

/* The saved flags are 1 when interrupts were enabled. */
static unsigned long s_irq_save(enum slab_point pt)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	if (!t)
		return 0;
	unsigned long was_on = !t->irqs_off;
	sim_task_set_irqs_off(t, true);
	sim_charge(e, t, SLAB_PK_IRQ_SAVE, e->cost[SIM_COST_irq_save]);
	return was_on;
}

/*
 * local_irq_restore (and local_irq_enable) takes a pending interrupt as
 * soon as the flag is set again (popf with IF, or sti): so the flag is
 * restored before the point asks the scheduler
 * (sim_point_after), and an interrupt or preemption decided here happens
 * right after the irq-off section, not at the next point.
 */
static void s_irq_restore(enum slab_point pt, unsigned long was_on)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_turn();
	if (!t)
		return;
	sim_task_set_irqs_off(t, !was_on);
	sim_step(pt, true);
	sim_charge(e, t, SLAB_PK_IRQ_RESTORE, e->cost[SIM_COST_irq_restore]);
}

/*
 * A spinlock spins in simulated time: while it is held, each spin costs a
 * spin_wait and a read of the lock line, and lets earlier CPUs run; a spin
 * longer than the scenario's livelock bound is reported as a deadlock.
 */
static void s_spin_lock(enum slab_point pt, slab_spinlock_t *lock)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	if (!t) {
		lock->locked = 1;
		return;
	}
	check_spin_lock(e, t, pt);
	t->preempt_count++;
	uint64_t start = t->cpu->clock;
	while (lock->locked) {
		e->report->lock_spins++;
		charge_mem(e, t, SLAB_PK_SPIN_LOCK, SIM_COST_spin_wait, lock, SIM_MEM_LOAD);
		if (t->cpu->clock - start > e->sc->livelock_cycles) {
			sim_violation(e, t, "deadlock", false,
				      "deadlock: spinning on a lock for %llu cycles at %s",
				      (unsigned long long)(t->cpu->clock - start),
				      slab_point_name(pt));
		}
		sim_yield_until_earliest(e, t);
	}
	lock->locked = 1;
	charge_mem(e, t, SLAB_PK_SPIN_LOCK, SIM_COST_spin_lock, lock, SIM_MEM_ATOMIC);
}

static void s_spin_unlock(enum slab_point pt, slab_spinlock_t *lock)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	lock->locked = 0;
	if (!t)
		return;
	t->preempt_count--;
	charge_mem(e, t, SLAB_PK_SPIN_UNLOCK, SIM_COST_spin_unlock, lock, SIM_MEM_STORE);
}

/*
 * The page allocator writes the struct pages of the block it hands out or
 * takes back (buddy links, compound head and tails, flags), so they are in
 * this CPU's cache afterwards; that work is in its own cost, not charged
 * again here.
 */
static void touch_struct_pages(struct sim_engine *e, struct sim_task *t, struct page *page,
			       unsigned order)
{
	if (!t || !page || !e->cache)
		return;
	for (unsigned long i = 0; i < (1ul << order); i++)
		sim_cache_access(e->cache, t->cpu->id, slab_world_offset(&page[i]), true);
}

/*
 * A page allocator call's point (where a fail action may act) and its
 * cost, shared by the port's page allocator and a kernel's own
 * (kernel_machine.c).  *fail: the call is to fail.
 */
static struct sim_task *page_alloc_point(struct sim_engine *e, enum slab_point pt, bool *fail)
{
	/* At this point a fail action may act (sim_can_act): the call is a page allocation. */
	if (e->running)
		e->running->at_page_alloc = true;
	struct sim_task *t = sim_step(pt, false);
	if (t)
		t->at_page_alloc = false;
	/*
	 * An injected failure ([faults], or a fail action at this point) costs
	 * the call and returns nothing, as a full zone does.
	 */
	*fail = t && sim_fault_page_alloc(e, t);
	return t;
}

static void page_alloc_charge(struct sim_engine *e, struct sim_task *t, unsigned order)
{
	sim_note_access(e, t, SIM_ACCESS_PAGE_ALLOCATOR, 1, true);
	sim_charge(e, t, SLAB_PK_PAGE_ALLOC,
		   e->cost[SIM_COST_page_alloc] +
		       (uint64_t)order * e->cost[SIM_COST_page_alloc_per_order]);
}

static void page_free_charge(struct sim_engine *e, struct sim_task *t, unsigned order)
{
	sim_note_access(e, t, SIM_ACCESS_PAGE_ALLOCATOR, 1, true);
	sim_charge(e, t, SLAB_PK_PAGE_FREE,
		   e->cost[SIM_COST_page_free] +
		       (uint64_t)order * e->cost[SIM_COST_page_free_per_order]);
}

static struct page *s_alloc_pages(enum slab_point pt, int node, unsigned order)
{
	struct sim_engine *e = eng();
	bool fail;
	struct sim_task *t = page_alloc_point(e, pt, &fail);
	struct page *page = fail ? NULL : page_alloc_pages(node, order);
	touch_struct_pages(e, t, page, order);
	page_alloc_charge(e, t, order);
	return page;
}

static void s_free_pages(enum slab_point pt, struct page *page, unsigned order)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	touch_struct_pages(e, t, page, order);
	page_free_pages(page, order);
	page_free_charge(e, t, order);
}

bool sim_page_alloc_step(enum slab_point pt, unsigned order)
{
	struct sim_engine *e = eng();
	bool fail;
	struct sim_task *t = page_alloc_point(e, pt, &fail);
	page_alloc_charge(e, t, order);
	return fail;
}

void sim_page_free_step(enum slab_point pt, unsigned order)
{
	struct sim_engine *e = eng();
	page_free_charge(e, sim_step(pt, false), order);
}

static G_GNUC_NO_INLINE void s_compute_full(enum slab_point pt)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	sim_charge(e, t, SLAB_PK_COMPUTE, e->cost[SIM_COST_compute]);
}

static void s_compute(enum slab_point pt)
{
	struct sim_engine *e = eng();
	if (G_LIKELY(quiet_point(e, pt, SLAB_PK_COMPUTE)))
		return;
	s_compute_full(pt);
}

static G_GNUC_NO_INLINE void s_barrier_full(enum slab_point pt)
{
	struct sim_engine *e = eng();
	struct sim_task *t = sim_step(pt, false);
	sim_charge(e, t, SLAB_PK_BARRIER, e->cost[SIM_COST_barrier]);
}

static void s_barrier(enum slab_point pt)
{
	struct sim_engine *e = eng();
	if (G_LIKELY(quiet_point(e, pt, SLAB_PK_BARRIER)))
		return;
	s_barrier_full(pt);
}

/* Only outside tasks (the end-of-run flush): each CPU in turn, directly. */
static void s_on_each_cpu(void (*fn)(void *arg), void *arg)
{
	struct sim_engine *e = eng();
	if (e->running) {
		sim_violation(e, e->running, "unsupported", true,
			      "on_each_cpu from a task is not modelled");
		return;
	}
	unsigned saved = e->direct_cpu;
	for (unsigned cpu = 0; cpu < e->nr_cpus; cpu++) {
		e->direct_cpu = cpu;
		fn(arg);
	}
	e->direct_cpu = saved;
}

static void s_stat_inc(unsigned *pcpu_counter)
{
	struct sim_engine *e = eng();
	(*(unsigned *)slab_per_cpu_ptr(pcpu_counter, cpu_of(e, e->running)))++;
}

/*
 * A SLAB_ASSERT failed: an allocator bug, reported with the schedule like
 * every other violation.  In a task, its stack is then given up as BUG()
 * would (the stop makes the yield final); outside tasks there is nothing
 * to yield to: it returns, and slab_assert_fail reports it and aborts.
 */
static void s_assert_fail(const char *file, int line, const char *cond)
{
	struct sim_engine *e = eng();
	struct sim_task *t = e ? e->running : NULL;
	if (!e || !t)
		return; /* slab_assert_fail reports it and aborts */
	sim_violation(e, t, "assertion", false, "%s:%d: assertion failed: %s", file, line, cond);
	sim_yield_until_earliest(e, t);
}

const struct slab_port_ops sim_port_ops = {
	.name = "sim",
	.cpu_id = s_cpu_id,
	.this_cpu_ptr = s_this_cpu_ptr,
	.raw_cpu_ptr = s_raw_cpu_ptr,
	.this_cpu_read = s_this_cpu_read,
	.this_cpu_cmpxchg = s_this_cpu_cmpxchg,
	.this_cpu_cmpxchg_double = s_this_cpu_cmpxchg_double,
	.cmpxchg_double = s_cmpxchg_double,
	.load = s_load,
	.store = s_store,
	.atomic_add = s_atomic_add,
	.preempt_disable = s_preempt_disable,
	.preempt_enable = s_preempt_enable,
	.irq_save = s_irq_save,
	.irq_restore = s_irq_restore,
	.spin_lock = s_spin_lock,
	.spin_unlock = s_spin_unlock,
	.alloc_pages = s_alloc_pages,
	.free_pages = s_free_pages,
	.compute = s_compute,
	.barrier = s_barrier,
	.on_each_cpu = s_on_each_cpu,
	.stat_inc = s_stat_inc,
	.assert_fail = s_assert_fail,
	.sequential = true,
};
