/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel_machine.c - a kernel's own mm/slub.c (a design whose ->kernel is
 * set: alloc/kernel/, kslab.h) on the engine's virtual CPUs.
 *
 * The kernel files reach the machine two ways, and both become points:
 *  - the primitives the compat layer routes out of line (per-CPU
 *    operations, the two-word cmpxchgs, the guards, the list_lock
 *    spinlocks, the page allocator): the machine below performs each as
 *    the simulator's port does (port_sim.c), at a kernel.* point of its
 *    own (points.def), so costs, preemption, migration, interrupts and
 *    injected page allocator failures work as they do for the port;
 *  - plain and READ_ONCE/WRITE_ONCE accesses and atomics, reported by
 *    GCC's -fsanitize=thread hooks (kslab_tsan.c) before they happen:
 *    those to shared objects (per-CPU areas, struct pages, slab memory:
 *    objects and their free pointers, kmem_cache_node) are the points
 *    kernel.load, kernel.store and kernel.atomic, charged by where the
 *    cache model finds the line; memset, memcpy and memmove (which GCC
 *    does not instrument; the compat layer routes them to the hooks) are
 *    one kernel.range point each, every line of the range charged.  Reads of struct kmem_cache
 * (fixed once the cache exists) and of the kernel files' globals are neither points nor charged, as
 * the port reads them plainly.  So the kernel code between two points touches only its own stack
 * and constants, the same rule port.h states for the port.
 *
 * Accesses to the running task's stack are left out by the hooks; the
 * machine tells them which stack that is whenever control may have moved
 * to another task (after every point) and when a call starts.
 *
 * Per-CPU copies: the kernel's per-CPU unit is the simulator's
 * (KSLAB_PCPU_UNIT == SLAB_PERCPU_UNIT), so the port's per-CPU operations,
 * given CPU 0's copy, find the running CPU's.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "engine_internal.h"
#include "kernel_machine.h"
#include "kslab.h"
#include "slab.h"
#include "slab_world.h"

_Static_assert(KSLAB_PCPU_UNIT == SLAB_PERCPU_UNIT, "a kernel's per-CPU unit is the engine's");

/* (sim_port_ops.x)(...): port.h's kernel-shaped macros share the members' names. */

static uintptr_t thread_stack_lo, thread_stack_hi;
/* SLUB_STATS right after boot: the boot's own allocations are not the run's. */
static unsigned long boot_stats[NR_SLUB_STAT_ITEMS];

/* Control may be on another stack now: the hooks filter the running task's. */
static void resume(struct sim_engine *e)
{
	uintptr_t lo = thread_stack_lo, hi = thread_stack_hi;
	if (e->running)
		sim_coro_stack_bounds(e->running->coro, &lo, &hi);
	e->kernel->set_stack(lo, hi);
}

/* The point about to be made is at ip in the kernel's code: its site (sim_site_name). */
static void at(struct sim_engine *e, const void *ip)
{
	if (e->running)
		e->running->site = (uint32_t)((const char *)ip - e->kernel->text_start) + 1;
}

/* ... at the call of the primitive being made. */
static struct sim_engine *prim(void)
{
	struct sim_engine *e = sim_eng;
	at(e, e->kernel->site());
	return e;
}

static unsigned cpu_now(struct sim_engine *e)
{
	return e->running ? e->running->cpu->id : e->direct_cpu;
}

static void *this_copy(struct sim_engine *e, unsigned long *cpu0)
{
	return slab_per_cpu_ptr(cpu0, cpu_now(e));
}

static unsigned k_cpu(void)
{
	struct sim_engine *e = prim();
	unsigned cpu = (sim_port_ops.cpu_id)(PT(kernel, cpu_id));
	resume(e);
	return cpu;
}

static unsigned k_cpu_now(void)
{
	return cpu_now(sim_eng);
}

static void k_bug(const char *file, int line, const char *what);

/* this_cpu_read: only of words (the tid, the per-CPU partial list). */
static unsigned long k_pcpu_read(unsigned long *cpu0, unsigned size)
{
	struct sim_engine *e = prim();
	if (size != sizeof(unsigned long))
		k_bug(__FILE__, __LINE__, "this_cpu_read of less than a word: not modelled");
	unsigned long v = (sim_port_ops.this_cpu_read)(PT(kernel, this_cpu_read), cpu0);
	resume(e);
	return v;
}

/* this_cpu_write (the per-CPU partial list): a store to the copy of the CPU it runs on then. */
static void k_pcpu_write(unsigned long *cpu0, unsigned long v, unsigned size)
{
	struct sim_engine *e = prim();
	if (size != sizeof(unsigned long))
		k_bug(__FILE__, __LINE__, "this_cpu_write of less than a word: not modelled");
	struct sim_task *t = sim_point(PT(kernel, this_cpu_write));
	resume(e);
	unsigned long *p = this_copy(e, cpu0);
	*p = v;
	sim_charge_access(e, t, SLAB_PK_STORE, p, SIM_MEM_STORE);
}

/*
 * this_cpu_add: only SLUB_STATS counters (raw_cpu_inc/add in stat()),
 * which cost nothing and are not points, as the port's stat_inc.
 */
static void k_pcpu_add(unsigned long *cpu0, long v, unsigned size)
{
	struct sim_engine *e = sim_eng;
	void *p = this_copy(e, cpu0);
	if (size == sizeof(unsigned))
		*(unsigned *)p += (unsigned)v;
	else if (size == sizeof(unsigned long))
		*(unsigned long *)p += (unsigned long)v;
	else
		k_bug(__FILE__, __LINE__, "this_cpu_add of that size: not modelled");
}

static int k_pcpu_cmpxchg_double(unsigned long *cpu0, unsigned long o1, unsigned long o2,
				 unsigned long n1, unsigned long n2, unsigned long found[2])
{
	struct sim_engine *e = prim();
	bool ok = (sim_port_ops.this_cpu_cmpxchg_double)(PT(kernel, this_cpu_cmpxchg_double), cpu0,
							 o1, o2, n1, n2);
	resume(e);
	/* Nothing ran since the operation: the words it found are these, or it swapped. */
	unsigned long *p = this_copy(e, cpu0);
	found[0] = ok ? o1 : p[0];
	found[1] = ok ? o2 : p[1];
	return ok;
}

static int k_cmpxchg_double(unsigned long *w, unsigned long o1, unsigned long o2, unsigned long n1,
			    unsigned long n2, unsigned long found[2])
{
	struct sim_engine *e = prim();
	bool ok = (sim_port_ops.cmpxchg_double)(PT(kernel, cmpxchg_double), w, o1, o2, n1, n2);
	resume(e);
	found[0] = ok ? o1 : w[0];
	found[1] = ok ? o2 : w[1];
	return ok;
}

static void k_preempt_disable(void)
{
	struct sim_engine *e = prim();
	(sim_port_ops.preempt_disable)(PT(kernel, preempt_disable));
	resume(e);
}

static void k_preempt_enable(void)
{
	struct sim_engine *e = prim();
	(sim_port_ops.preempt_enable)(PT(kernel, preempt_enable));
	resume(e);
}

static int k_preempt_count(void)
{
	struct sim_engine *e = sim_eng;
	return e->running ? (int)e->running->preempt_count : 0;
}

/* The kernel's flags say "were off"; the port's say "were on". */
static unsigned long k_irq_save(void)
{
	struct sim_engine *e = prim();
	bool was_off = e->running && e->running->irqs_off;
	(sim_port_ops.irq_save)(PT(kernel, irq_save));
	resume(e);
	return was_off;
}

static void k_irq_restore(unsigned long was_off)
{
	struct sim_engine *e = prim();
	(sim_port_ops.irq_restore)(PT(kernel, irq_restore), !was_off);
	resume(e);
}

static int k_irqs_disabled(void)
{
	struct sim_engine *e = sim_eng;
	return e->running && e->running->irqs_off;
}

_Static_assert(sizeof(slab_spinlock_t) == sizeof(unsigned long), "a spinlock is a word");

static void k_spin_lock(unsigned long *lock)
{
	struct sim_engine *e = prim();
	(sim_port_ops.spin_lock)(PT(kernel, spin_lock), (slab_spinlock_t *)lock);
	resume(e);
}

static void k_spin_unlock(unsigned long *lock)
{
	struct sim_engine *e = prim();
	(sim_port_ops.spin_unlock)(PT(kernel, spin_unlock), (slab_spinlock_t *)lock);
	resume(e);
}

/* spin_trylock: the lock's point, then taken only if free (no spinning). */
static int k_spin_trylock(unsigned long *lock)
{
	struct sim_engine *e = prim();
	struct sim_task *t = sim_point(PT(kernel, spin_lock));
	resume(e);
	if (*lock)
		return 0;
	*lock = 1;
	if (t)
		t->preempt_count++;
	sim_charge_access(e, t, SLAB_PK_SPIN_LOCK, lock, SIM_MEM_ATOMIC);
	return 1;
}

static int k_page_alloc(unsigned order)
{
	struct sim_engine *e = prim();
	bool fail = sim_page_alloc_step(PT(kernel, alloc_pages), order);
	resume(e);
	return fail;
}

static void k_page_free(unsigned order)
{
	struct sim_engine *e = prim();
	sim_page_free_step(PT(kernel, free_pages), order);
	resume(e);
}

/* get_cycles(): the running CPU's clock (remote_node_defrag_ratio's draw). */
static unsigned long long k_clock(void)
{
	struct sim_engine *e = sim_eng;
	return e->cpus[cpu_now(e)].clock;
}

/*
 * queue_work_on + flush_work (flush_all's per-CPU work): outside tasks
 * (the end-of-run shrink) it runs on that CPU directly, as the port's
 * on_each_cpu does; from a task it is not modelled.
 */
static void k_run_on(unsigned cpu, void (*fn)(void *arg), void *arg)
{
	struct sim_engine *e = sim_eng;
	if (e->running) {
		sim_violation(e, e->running, "unsupported", true,
			      "a flush of another CPU from a task is not modelled for %s",
			      e->design->name);
		sim_yield_until_earliest(e, e->running); /* the stop makes it final */
	}
	unsigned saved = e->direct_cpu;
	e->direct_cpu = cpu;
	fn(arg);
	e->direct_cpu = saved;
}

/* BUG() in the kernel code: a violation in a task (its stack is given up), else abort. */
static void k_bug(const char *file, int line, const char *what)
{
	struct sim_engine *e = sim_eng;
	struct sim_task *t = e ? e->running : NULL;
	if (!t) {
		fprintf(stderr, "slabsim: kernel BUG at %s:%d: %s\n", file, line, what);
		abort();
	}
	sim_violation(e, t, "assertion", false, "kernel BUG at %s:%d: %s", file, line, what);
	sim_yield_until_earliest(e, t);
}

static const struct kslab_machine machine = {
	.cpu = k_cpu,
	.cpu_now = k_cpu_now,
	.pcpu_read = k_pcpu_read,
	.pcpu_write = k_pcpu_write,
	.pcpu_add = k_pcpu_add,
	.pcpu_cmpxchg_double = k_pcpu_cmpxchg_double,
	.cmpxchg_double = k_cmpxchg_double,
	.preempt_disable = k_preempt_disable,
	.preempt_enable = k_preempt_enable,
	.preempt_count = k_preempt_count,
	.irq_save = k_irq_save,
	.irq_restore = k_irq_restore,
	.irqs_disabled = k_irqs_disabled,
	.spin_lock = k_spin_lock,
	.spin_unlock = k_spin_unlock,
	.spin_trylock = k_spin_trylock,
	.page_alloc = k_page_alloc,
	.page_free = k_page_free,
	.clock = k_clock,
	.run_on = k_run_on,
	.bug = k_bug,
};

/* An access the hooks saw, before it happens: a point if the memory is shared. */
static void k_access(const void *addr, unsigned size, enum kslab_access kind,
		     enum kslab_region region, const void *ip)
{
	(void)size;
	if (region == KSLAB_R_CACHE || region == KSLAB_R_GLOBAL)
		return;
	struct sim_engine *e = sim_eng;
	at(e, ip);
	bool load = kind == KSLAB_A_LOAD || kind == KSLAB_A_VLOAD;
	enum slab_point pt = load		      ? PT(kernel, load)
			     : kind == KSLAB_A_ATOMIC ? PT(kernel, atomic)
						      : PT(kernel, store);
	struct sim_task *t = sim_point(pt);
	resume(e);
	sim_charge_access(e, t, load ? SLAB_PK_LOAD : SLAB_PK_STORE, addr,
			  load			   ? SIM_MEM_LOAD
			  : kind == KSLAB_A_ATOMIC ? SIM_MEM_ATOMIC
						   : SIM_MEM_STORE);
}

/* Memory the kernel shares between CPUs: per-CPU areas, struct pages, slab memory. */
static bool shared(enum kslab_region r)
{
	return r == KSLAB_R_DIRECT || r == KSLAB_R_VMEMMAP || r == KSLAB_R_PERCPU;
}

/* Each cache line of [addr, addr + size) charged as one access through the cache model. */
static void charge_lines(struct sim_engine *e, struct sim_task *t, enum slab_point_kind kind,
			 const void *addr, unsigned long size, enum sim_mem_op op)
{
	uintptr_t a = (uintptr_t)addr & ~(uintptr_t)(SIM_CACHE_LINE_SIZE - 1);
	for (; a < (uintptr_t)addr + size; a += SIM_CACHE_LINE_SIZE)
		sim_charge_access(e, t, kind, (const void *)a, op);
}

/*
 * A memset, memcpy or memmove the hooks saw (kslab_tsan.c), before it
 * happens: one kernel.range point if it writes or reads shared memory (the
 * same filter as k_access: not the task's stack, not struct kmem_cache, not
 * the files' globals), then every line of each shared range charged by
 * size, the source's as loads, the destination's as stores.
 */
static void k_range(void *dst, const void *src, unsigned long size, enum kslab_region dst_region,
		    enum kslab_region src_region, const void *ip)
{
	bool to_shared = shared(dst_region), from_shared = src && shared(src_region);
	if (!to_shared && !from_shared)
		return;
	struct sim_engine *e = sim_eng;
	at(e, ip);
	struct sim_task *t = sim_point(PT(kernel, range));
	resume(e);
	if (from_shared)
		charge_lines(e, t, SLAB_PK_LOAD, src, size, SIM_MEM_LOAD);
	if (to_shared)
		charge_lines(e, t, SLAB_PK_STORE, dst, size, SIM_MEM_STORE);
}

/* The kernel's counter of the port's name (both use the kernel's enum stat_item names). */
static unsigned long stat_total(struct sim_engine *e, unsigned si)
{
	long long v = e->kernel->stat_total(slab_stat_name((enum stat_item)si));
	return v < 0 ? 0 : (unsigned long)v;
}

const char *sim_kernel_open(struct sim_engine *e)
{
	const struct sim_scenario *sc = e->sc;
	static char why[200];
	if (sc->nodes > KSLAB_MAX_NODES) {
		snprintf(why, sizeof(why),
			 "design %s: the kernel's own slub.c runs on at most %u NUMA nodes here "
			 "(CONFIG_NODES_SHIFT 2); the scenario has %u",
			 e->design->name, KSLAB_MAX_NODES, sc->nodes);
		return why;
	}
	if (!thread_stack_hi) {
		pthread_attr_t attr;
		void *addr;
		size_t size;
		if (pthread_getattr_np(pthread_self(), &attr) == 0) {
			pthread_attr_getstack(&attr, &addr, &size);
			pthread_attr_destroy(&attr);
			thread_stack_lo = (uintptr_t)addr;
			thread_stack_hi = (uintptr_t)addr + size;
		}
	}
	e->kernel = e->design->kernel;
	/* memory_mib is per node, as the port's worlds have it (slab_env.h). */
	unsigned long pages = (unsigned long)sc->memory_mib << (20 - 12);
	int r = e->kernel->boot(sc->cpus, sc->nodes, pages);
	if (r) {
		snprintf(why, sizeof(why),
			 "design %s: the kernel did not boot on %u CPUs and %u nodes of %lu MiB "
			 "(error %d; it takes at most %u CPUs and %lu MiB in all)",
			 e->design->name, sc->cpus, sc->nodes, sc->memory_mib, r, KSLAB_MAX_CPUS,
			 KSLAB_REGION_DIRECT_MAX >> 20);
		e->kernel = NULL;
		return why;
	}
	for (unsigned si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		boot_stats[si] = stat_total(e, si);
	e->kernel->set_machine(&machine);
	e->kernel->set_access_observer(k_access);
	e->kernel->set_range_observer(k_range);
	resume(e);
	return NULL;
}

void sim_kernel_close(struct sim_engine *e)
{
	if (!e->kernel)
		return;
	e->kernel->set_access_observer(NULL);
	e->kernel->set_range_observer(NULL);
	e->kernel->set_machine(NULL);
	e->kernel = NULL;
}

void *sim_kernel_kmalloc_node(struct sim_engine *e, size_t size, int node, bool zero)
{
	resume(e);
	return (zero ? e->kernel->kzalloc_node : e->kernel->kmalloc_node)(size, node);
}

bool sim_kernel_call_undisturbed(struct sim_engine *e, const struct sim_task *t)
{
	return t->call_decisions == e->report->decisions->len && !t->call_irqs;
}

bool sim_kernel_call_alone(struct sim_engine *e, const struct sim_task *t)
{
	return sim_kernel_call_undisturbed(e, t) &&
	       e->report->points - t->call_run_points == t->call_points;
}

void sim_kernel_kfree(struct sim_engine *e, const void *p)
{
	resume(e);
	e->kernel->kfree(p);
}

void sim_kernel_flush_this_cpu(struct sim_engine *e, size_t size)
{
	resume(e);
	e->kernel->flush_this_cpu(size);
}

void sim_kernel_finish(struct sim_engine *e, struct sim_kernel_check *out)
{
	resume(e);
	e->kernel->shrink_all();
	unsigned long in_use = e->kernel->pages_in_use(), boot = e->kernel->boot_pages();
	out->pages_in_use = in_use > boot ? in_use - boot : 0;
}

void sim_kernel_stats(struct sim_engine *e, unsigned long *sums, unsigned n)
{
	for (unsigned si = 0; si < n && si < NR_SLUB_STAT_ITEMS; si++)
		sums[si] = stat_total(e, si) - boot_stats[si];
}

/*
 * Sites: kernels_builtin.c (slabsim) has the tables; a program without it
 * prints a site as its offset.
 */
extern const struct sim_kernel_sites sim_kernel_sites[] __attribute__((weak));

/* The entry of d's kernel whose return address is site's, or NULL. */
static const struct sim_kernel_site *site_entry(const struct slab_design *d, uint32_t site,
						const struct sim_kernel_sites **table)
{
	uint32_t off = site - 1;
	for (unsigned k = 0; sim_kernel_sites && sim_kernel_sites[k].kernel; k++) {
		const struct sim_kernel_sites *ks = &sim_kernel_sites[k];
		if (ks->kernel != d->kernel)
			continue;
		unsigned lo = 0, hi = *ks->count; /* the table is by offset */
		while (lo < hi) {
			unsigned mid = (lo + hi) / 2;
			if (ks->sites[mid].offset < off)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (table)
			*table = ks;
		return lo < *ks->count && ks->sites[lo].offset == off ? &ks->sites[lo] : NULL;
	}
	return NULL;
}

const char *sim_site_name(const struct slab_design *d, uint32_t site, char *buf, size_t len)
{
	if (!site || !d->kernel)
		return "";
	const struct sim_kernel_site *s = site_entry(d, site, NULL);
	if (s)
		snprintf(buf, len, " %s", s->name);
	else
		snprintf(buf, len, " +%#x", site - 1);
	return buf;
}

/*
 * Every site name of every kernel built in, numbered from 1 in the order
 * the tables list them (the same in every run of one build), and for each
 * kernel its sites' numbers; made on first use, kept for the process.
 */
static struct {
	GHashTable *ids;      /* name -> id */
	GPtrArray *names;     /* id - 1 -> name */
	uint32_t **by_kernel; /* per sim_kernel_sites entry: per site, its id */
} site_ids;

static void site_ids_make(void)
{
	static gsize made; /* explore's worker threads may ask at once */
	if (!g_once_init_enter(&made))
		return;
	site_ids.ids = g_hash_table_new(g_str_hash, g_str_equal);
	site_ids.names = g_ptr_array_new();
	unsigned nk = 0;
	while (sim_kernel_sites && sim_kernel_sites[nk].kernel)
		nk++;
	site_ids.by_kernel = g_new0(uint32_t *, nk + 1);
	for (unsigned k = 0; k < nk; k++) {
		const struct sim_kernel_sites *ks = &sim_kernel_sites[k];
		site_ids.by_kernel[k] = g_new(uint32_t, *ks->count + 1);
		for (unsigned i = 0; i < *ks->count; i++) {
			const char *name = ks->sites[i].name;
			uint32_t id = GPOINTER_TO_UINT(g_hash_table_lookup(site_ids.ids, name));
			if (!id) {
				g_ptr_array_add(site_ids.names, (gpointer)name);
				id = site_ids.names->len;
				g_hash_table_insert(site_ids.ids, (gpointer)name,
						    GUINT_TO_POINTER(id));
			}
			site_ids.by_kernel[k][i] = id;
		}
	}
	g_once_init_leave(&made, 1);
}

uint32_t sim_site_find(const char *name)
{
	site_ids_make();
	return GPOINTER_TO_UINT(g_hash_table_lookup(site_ids.ids, name));
}

const char *sim_site_label(uint32_t id)
{
	site_ids_make();
	return id && id <= site_ids.names->len ? g_ptr_array_index(site_ids.names, id - 1) : "?";
}

uint32_t sim_site_id(const struct slab_design *d, uint32_t site)
{
	if (!site || !d->kernel)
		return 0;
	const struct sim_kernel_sites *ks = NULL;
	const struct sim_kernel_site *s = site_entry(d, site, &ks);
	if (!s)
		return 0;
	site_ids_make();
	return site_ids.by_kernel[ks - sim_kernel_sites][s - ks->sites];
}
