/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab_glue.c - the kernel side of the runtime, compiled like the kernel
 * files (kcompat.h force-included, the tree's <linux/slab.h> and
 * mm/slab.h) but not instrumented: it defines what the compat headers
 * declare (the machine primitives, per-CPU areas, the page allocator,
 * strings and printk) and kslab.h's API on top of kmalloc & co.
 *
 * Map of the file: virtual CPU state and primitives; per-CPU areas; NUMA
 * nodes; the buddy page allocator; strings and printk; boot; the API.
 *
 * One thread in stage 1: each primitive checks what a single CPU can
 * check (a spinlock taken twice is a deadlock, BUG) and counts.
 */
#include <stdarg.h>
#include <linux/slab.h>
#include "slab.h"

#include "kslab_internal.h"

#define PCPU_UNIT KSLAB_PCPU_UNIT

unsigned int nr_cpu_ids = 1;
unsigned int nr_node_ids = 1;
unsigned int nr_online_nodes = 1;
nodemask_t node_states[NR_NODE_STATES];
unsigned long kslab_node_pages; /* frames per node: node n's are [n, n + 1) times this */
gfp_t gfp_allowed_mask = (gfp_t)-1;
DEFINE_STATIC_KEY_FALSE(init_on_alloc);
DEFINE_STATIC_KEY_FALSE(init_on_free);
static struct workqueue_struct kslab_wq;
struct workqueue_struct *system_wq = &kslab_wq;
struct workqueue_struct *system_unbound_wq = &kslab_wq;
struct task_struct kslab_task = { .comm = "kslab" };
static struct zone kslab_zones[MAX_NUMNODES];
struct zonelist kslab_zonelists[MAX_NUMNODES];
struct page *kslab_vmemmap;
unsigned long kslab_direct_base;
unsigned long kslab_nr_pages;
unsigned long long kslab_prims[KSLAB_NR_PRIMS];
const void *kslab_site;

/* ---- The built-in machine: one thread, CPUs switched by hand. ---- */

/*
 * What stage 1 checks on one thread: a spinlock or bit lock found held is
 * a deadlock, a guard dropped twice is a bug.  The simulator's machine
 * (kslab_set_machine) replaces all of it: there each primitive is a point.
 */
static struct {
	int preempt_count;
	bool irqs_off;
} vcpu[KSLAB_MAX_CPUS];
static int cur_cpu;
static u64 clock_ticks;
static long node_stat[NR_VM_NODE_STAT_ITEMS];

static unsigned int local_cpu(void)
{
	return cur_cpu;
}

static void *local_pcpu(unsigned long *cpu0)
{
	return (char *)cpu0 + (unsigned long)cur_cpu * PCPU_UNIT;
}

static unsigned long local_pcpu_read(unsigned long *cpu0, unsigned int size)
{
	const void *p = local_pcpu(cpu0);

	switch (size) {
	case 1:
		return *(const u8 *)p;
	case 2:
		return *(const u16 *)p;
	case 4:
		return *(const u32 *)p;
	default:
		return *(const u64 *)p;
	}
}

static void local_pcpu_write(unsigned long *cpu0, unsigned long v, unsigned int size)
{
	void *p = local_pcpu(cpu0);

	switch (size) {
	case 1:
		*(u8 *)p = v;
		break;
	case 2:
		*(u16 *)p = v;
		break;
	case 4:
		*(u32 *)p = v;
		break;
	default:
		*(u64 *)p = v;
		break;
	}
}

static void local_pcpu_add(unsigned long *cpu0, long v, unsigned int size)
{
	local_pcpu_write(cpu0, local_pcpu_read(cpu0, size) + v, size);
}

static int cmpxchg_words(unsigned long *w, unsigned long o1, unsigned long o2, unsigned long n1,
			 unsigned long n2, unsigned long found[2])
{
	found[0] = w[0];
	found[1] = w[1];
	if (w[0] != o1 || w[1] != o2)
		return 0;
	w[0] = n1;
	w[1] = n2;
	return 1;
}

static int local_pcpu_cmpxchg_double(unsigned long *cpu0, unsigned long o1, unsigned long o2,
				     unsigned long n1, unsigned long n2, unsigned long found[2])
{
	return cmpxchg_words(local_pcpu(cpu0), o1, o2, n1, n2, found);
}

static void local_preempt_disable(void)
{
	vcpu[cur_cpu].preempt_count++;
}

static void local_preempt_enable(void)
{
	if (vcpu[cur_cpu].preempt_count <= 0)
		kslab_rt_abort(__FILE__, __LINE__, "preempt_enable without preempt_disable");
	vcpu[cur_cpu].preempt_count--;
}

static int local_preempt_count(void)
{
	return vcpu[cur_cpu].preempt_count;
}

static unsigned long local_irq_save_(void)
{
	bool was_off = vcpu[cur_cpu].irqs_off;

	vcpu[cur_cpu].irqs_off = true;
	return was_off;
}

static void local_irq_restore_(unsigned long flags)
{
	vcpu[cur_cpu].irqs_off = flags != 0;
}

static int local_irqs_disabled(void)
{
	return vcpu[cur_cpu].irqs_off;
}

static int local_spin_trylock(unsigned long *l)
{
	if (*l)
		return 0;
	*l = 1;
	vcpu[cur_cpu].preempt_count++;
	return 1;
}

static void local_spin_lock(unsigned long *l)
{
	if (!local_spin_trylock(l))
		kslab_rt_abort(__FILE__, __LINE__, "spin_lock: held (one thread: a deadlock)");
}

static void local_spin_unlock(unsigned long *l)
{
	if (!*l)
		kslab_rt_abort(__FILE__, __LINE__, "spin_unlock: not held");
	*l = 0;
	vcpu[cur_cpu].preempt_count--;
}

static int local_page_alloc(unsigned int order)
{
	return 0;
}

static void local_page_free(unsigned int order)
{
}

/* The clock get_cycles() reads: one tick per call. */
static unsigned long long local_clock(void)
{
	return ++clock_ticks;
}

static void local_run_on(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	int saved = cur_cpu;

	cur_cpu = cpu;
	fn(arg);
	cur_cpu = saved;
}

static void local_bug(const char *file, int line, const char *what)
{
	kslab_rt_abort(file, line, what);
}

static const struct kslab_machine local_machine = {
	.cpu = local_cpu,
	.cpu_now = local_cpu,
	.pcpu_read = local_pcpu_read,
	.pcpu_write = local_pcpu_write,
	.pcpu_add = local_pcpu_add,
	.pcpu_cmpxchg_double = local_pcpu_cmpxchg_double,
	.cmpxchg_double = cmpxchg_words,
	.preempt_disable = local_preempt_disable,
	.preempt_enable = local_preempt_enable,
	.preempt_count = local_preempt_count,
	.irq_save = local_irq_save_,
	.irq_restore = local_irq_restore_,
	.irqs_disabled = local_irqs_disabled,
	.spin_lock = local_spin_lock,
	.spin_unlock = local_spin_unlock,
	.spin_trylock = local_spin_trylock,
	.page_alloc = local_page_alloc,
	.page_free = local_page_free,
	.clock = local_clock,
	.run_on = local_run_on,
	.bug = local_bug,
};

/* ---- The primitives the compat headers declare: counted, then the machine's. ---- */

static const struct kslab_machine *machine = &local_machine;

void kslab_set_machine(const struct kslab_machine *m)
{
	machine = m ? m : &local_machine;
}

void kslab_bug(const char *file, int line)
{
	(machine->bug)(file, line, "BUG()");
	kslab_rt_abort(file, line, "BUG()");
}

int kslab_warn(const char *file, int line, const char *what)
{
	kslab_rt_warn(file, line, what);
	return 1;
}

int kslab_p_cpu(void)
{
	kslab_prim_inc(KSLAB_P_CPU_ID);
	return (machine->cpu)();
}

void kslab_p_preempt_disable(void)
{
	kslab_prim_inc(KSLAB_P_PREEMPT);
	(machine->preempt_disable)();
}

void kslab_p_preempt_enable(void)
{
	kslab_prim_inc(KSLAB_P_PREEMPT);
	(machine->preempt_enable)();
}

int kslab_p_preempt_count(void)
{
	return (machine->preempt_count)();
}

unsigned long kslab_p_irq_save(void)
{
	kslab_prim_inc(KSLAB_P_IRQ);
	return (machine->irq_save)();
}

void kslab_p_irq_restore(unsigned long flags)
{
	kslab_prim_inc(KSLAB_P_IRQ);
	(machine->irq_restore)(flags);
}

void kslab_p_irq_disable(void)
{
	kslab_prim_inc(KSLAB_P_IRQ);
	(machine->irq_save)();
}

void kslab_p_irq_enable(void)
{
	kslab_prim_inc(KSLAB_P_IRQ);
	(machine->irq_restore)(0);
}

bool kslab_p_irqs_disabled(void)
{
	return (machine->irqs_disabled)();
}

void kslab_p_spin_lock(spinlock_t *l)
{
	kslab_prim_inc(KSLAB_P_SPINLOCK);
	(machine->spin_lock)(&l->locked);
}

void kslab_p_spin_unlock(spinlock_t *l)
{
	kslab_prim_inc(KSLAB_P_SPINLOCK);
	(machine->spin_unlock)(&l->locked);
}

int kslab_p_spin_trylock(spinlock_t *l)
{
	kslab_prim_inc(KSLAB_P_SPINLOCK);
	return (machine->spin_trylock)(&l->locked);
}

/*
 * local_lock on !PREEMPT_RT: preempt (or irqs) off, and an owner that
 * lockdep would check: the CPU that took it, on this CPU's copy.
 */
static void own_local_lock(local_lock_t *pcpu_lock)
{
	local_lock_t *l = kslab_pcpu_addr(pcpu_lock, (machine->cpu_now)());

	if (l->owner)
		(machine->bug)(__FILE__, __LINE__, "local_lock: held on this CPU");
	l->owner = (machine->cpu_now)() + 1;
}

static void disown_local_lock(local_lock_t *pcpu_lock)
{
	local_lock_t *l = kslab_pcpu_addr(pcpu_lock, (machine->cpu_now)());

	if (l->owner != (int)(machine->cpu_now)() + 1)
		(machine->bug)(__FILE__, __LINE__, "local_unlock: not held by this CPU");
	l->owner = 0;
}

/* local_lock / local_lock_irq: preemption, or interrupts, off unconditionally. */
void kslab_p_local_lock(local_lock_t *pcpu_lock, bool irq)
{
	kslab_prim_inc(KSLAB_P_LOCAL_LOCK);
	if (irq)
		(machine->irq_save)();
	else
		(machine->preempt_disable)();
	own_local_lock(pcpu_lock);
}

/* local_unlock / local_unlock_irq: interrupts back on unconditionally, as local_irq_enable. */
void kslab_p_local_unlock(local_lock_t *pcpu_lock, bool irq)
{
	kslab_prim_inc(KSLAB_P_LOCAL_LOCK);
	disown_local_lock(pcpu_lock);
	if (irq)
		(machine->irq_restore)(0);
	else
		(machine->preempt_enable)();
}

unsigned long kslab_p_local_lock_irqsave(local_lock_t *pcpu_lock)
{
	unsigned long flags;

	kslab_prim_inc(KSLAB_P_LOCAL_LOCK);
	flags = (machine->irq_save)();
	own_local_lock(pcpu_lock);
	return flags;
}

void kslab_p_local_unlock_irqrestore(local_lock_t *pcpu_lock, unsigned long flags)
{
	kslab_prim_inc(KSLAB_P_LOCAL_LOCK);
	disown_local_lock(pcpu_lock);
	(machine->irq_restore)(flags);
}

/*
 * slab_lock(): only where the two-word cmpxchg is missing, never on
 * x86-64 (system_has_cmpxchg_double()); a spin on the page flag word.
 */
void kslab_p_bit_spin_lock(int nr, unsigned long *word)
{
	kslab_prim_inc(KSLAB_P_BIT_SPINLOCK);
	(machine->preempt_disable)();
	if (*word & (1UL << nr))
		(machine->bug)(__FILE__, __LINE__,
			       "bit_spin_lock: held (not modelled: contention)");
	*word |= 1UL << nr;
}

void kslab_p_bit_spin_unlock(int nr, unsigned long *word)
{
	kslab_prim_inc(KSLAB_P_BIT_SPINLOCK);
	if (!(*word & (1UL << nr)))
		(machine->bug)(__FILE__, __LINE__, "bit_spin_unlock: not held");
	*word &= ~(1UL << nr);
	(machine->preempt_enable)();
}

/* slab_mutex: taken by cache creation and destruction only, never contended here. */
void kslab_p_mutex_lock(struct mutex *m)
{
	kslab_prim_inc(KSLAB_P_OTHER);
	if (m->locked)
		(machine->bug)(__FILE__, __LINE__, "mutex_lock: held (not modelled: contention)");
	m->locked = 1;
}

void kslab_p_mutex_unlock(struct mutex *m)
{
	kslab_prim_inc(KSLAB_P_OTHER);
	m->locked = 0;
}

cycles_t kslab_p_get_cycles(void)
{
	kslab_prim_inc(KSLAB_P_OTHER);
	return (machine->clock)();
}

bool kslab_p_cmpxchg_double(void *p1, unsigned long o1, unsigned long o2, unsigned long n1,
			    unsigned long n2)
{
	unsigned long found[2];

	kslab_prim_inc(KSLAB_P_CMPXCHG_DOUBLE);
	return (machine->cmpxchg_double)(p1, o1, o2, n1, n2, found);
}

/* A u128 is two words, the low one first (x86-64 is little-endian). */
bool kslab_p_try_cmpxchg128(u128 *p, u128 *old, u128 new_val)
{
	unsigned long found[2];
	int ok;

	kslab_prim_inc(KSLAB_P_CMPXCHG_DOUBLE);
	ok = (machine->cmpxchg_double)((unsigned long *)p, (unsigned long)*old,
				       (unsigned long)(*old >> 64), (unsigned long)new_val,
				       (unsigned long)(new_val >> 64), found);
	if (!ok)
		*old = (u128)found[0] | (u128)found[1] << 64;
	return ok;
}

static void run_work(void *w)
{
	((struct work_struct *)w)->func(w);
}

void kslab_run_work_on(int cpu, struct work_struct *w)
{
	kslab_prim_inc(KSLAB_P_OTHER);
	(machine->run_on)(cpu, run_work, w);
}

void kslab_mod_node_stat(int item, long delta)
{
	node_stat[item] += delta;
}

/* ---- Per-CPU areas: unit n of the per-CPU mapping is CPU n's. ---- */

/*
 * DEFINE_PER_CPU variables: their section's bounds come from the linker
 * script of the kernel object (kslab.ld); their initial values are copied
 * to offset 0 of every unit at boot.
 */
extern char kslab_percpu_start[], kslab_percpu_end[];
static unsigned long pcpu_static_size;
static unsigned long pcpu_used;

void *kslab_pcpu_addr(const void *pcpu_ptr, int cpu)
{
	unsigned long p = (unsigned long)pcpu_ptr;
	unsigned long off;

	if ((unsigned int)cpu >= nr_cpu_ids)
		kslab_rt_abort(__FILE__, __LINE__, "per-CPU access to a CPU beyond nr_cpu_ids");
	if (p >= KSLAB_PERCPU_BASE && p < KSLAB_PERCPU_BASE + PCPU_UNIT)
		off = p - KSLAB_PERCPU_BASE;
	else if (p >= (unsigned long)kslab_percpu_start && p < (unsigned long)kslab_percpu_end)
		off = p - (unsigned long)kslab_percpu_start;
	else
		kslab_rt_abort(__FILE__, __LINE__, "not a per-CPU pointer");
	return (void *)(KSLAB_PERCPU_BASE + cpu * PCPU_UNIT + off);
}

/* Bump allocation, zeroed (fresh mapping); a freed area is not reused. */
void *kslab_pcpu_alloc(size_t size, size_t align)
{
	unsigned long off = ALIGN(pcpu_used, align < 8 ? 8 : align);

	if (off + size > PCPU_UNIT)
		return NULL;
	pcpu_used = off + size;
	return (void *)(KSLAB_PERCPU_BASE + off);
}

void kslab_pcpu_free(void *pcpu_ptr)
{
}

static unsigned long *cpu0_copy(const void *pcpu_ptr)
{
	return kslab_pcpu_addr(pcpu_ptr, 0);
}

u64 kslab_p_pcpu_read(const void *pcpu_ptr, int size)
{
	kslab_prim_inc(KSLAB_P_PCPU);
	return (machine->pcpu_read)(cpu0_copy(pcpu_ptr), size);
}

void kslab_p_pcpu_write(void *pcpu_ptr, u64 v, int size)
{
	kslab_prim_inc(KSLAB_P_PCPU);
	(machine->pcpu_write)(cpu0_copy(pcpu_ptr), v, size);
}

void kslab_p_pcpu_add(void *pcpu_ptr, s64 v, int size)
{
	kslab_prim_inc(KSLAB_P_PCPU);
	(machine->pcpu_add)(cpu0_copy(pcpu_ptr), v, size);
}

bool kslab_p_pcpu_cmpxchg_double(void *pcpu_ptr, unsigned long o1, unsigned long o2,
				 unsigned long n1, unsigned long n2)
{
	unsigned long found[2];

	kslab_prim_inc(KSLAB_P_PCPU_CMPXCHG);
	return (machine->pcpu_cmpxchg_double)(cpu0_copy(pcpu_ptr), o1, o2, n1, n2, found);
}

bool kslab_p_pcpu_try_cmpxchg128(void *pcpu_ptr, u128 *old, u128 new_val)
{
	unsigned long found[2];
	int ok;

	kslab_prim_inc(KSLAB_P_PCPU_CMPXCHG);
	ok = (machine->pcpu_cmpxchg_double)(cpu0_copy(pcpu_ptr), (unsigned long)*old,
					    (unsigned long)(*old >> 64), (unsigned long)new_val,
					    (unsigned long)(new_val >> 64), found);
	if (!ok)
		*old = (u128)found[0] | (u128)found[1] << 64;
	return ok;
}

/* Declared by the compat headers; neither 6.1's nor 6.12's slub.c uses it. */
bool kslab_p_pcpu_try_cmpxchg64(void *pcpu_ptr, u64 *old, u64 new_val)
{
	(machine->bug)(__FILE__, __LINE__, "this_cpu_try_cmpxchg64: not modelled");
	kslab_rt_abort(__FILE__, __LINE__, "this_cpu_try_cmpxchg64: not modelled");
}

/* ---- NUMA nodes: the scenario's, each with its frames and its CPUs. ---- */

/*
 * The machine has nr_node_ids nodes (1 .. MAX_NUMNODES), every one online
 * with normal memory and CPUs.  Node n owns the kslab_node_pages frames
 * from n * kslab_node_pages (page_to_nid() is the frame number divided),
 * and CPU i lies on node i * nodes / cpus, the simulator's own mapping
 * (alloc/slab_world.c): consecutive CPUs share a node.
 */
static unsigned char cpu_node[KSLAB_MAX_CPUS];

int kslab_cpu_node(int cpu)
{
	if ((unsigned int)cpu >= nr_cpu_ids)
		kslab_rt_abort(__FILE__, __LINE__, "cpu_to_node: no such CPU");
	return cpu_node[cpu];
}

/* numa_node_id(), numa_mem_id(): the running CPU's node, read without a point. */
int kslab_numa_node_id(void)
{
	return cpu_node[(machine->cpu_now)()];
}

static void boot_nodes(unsigned int nr_cpus, unsigned int nr_nodes, unsigned long pages_per_node)
{
	nr_node_ids = nr_online_nodes = nr_nodes;
	kslab_node_pages = pages_per_node;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		cpu_node[cpu] = (unsigned char)((unsigned long)cpu * nr_nodes / nr_cpus);
	for (int st = 0; st < NR_NODE_STATES; st++) {
		nodes_clear(node_states[st]);
		for (unsigned int n = 0; n < nr_nodes; n++)
			node_set(n, node_states[st]);
	}
	/* Node n's zonelist: n, then n + 1, ... wrapping (every remote node is as far). */
	for (unsigned int n = 0; n < nr_nodes; n++) {
		kslab_zones[n].node = n;
		for (unsigned int i = 0; i < nr_nodes; i++)
			kslab_zonelists[n]._zonerefs[i].zone = &kslab_zones[(n + i) % nr_nodes];
		kslab_zonelists[n]._zonerefs[nr_nodes].zone = NULL;
	}
}

/* ---- The buddy page allocator over the direct map, one per node. ---- */

static struct list_head free_area[MAX_NUMNODES][MAX_PAGE_ORDER + 1];
static unsigned long pages_in_use;
/*
 * What kslab_reset must restore, per node (frames from the node's first):
 * struct pages below dirty_end[n] may have changed since boot; frames
 * below frames_end[n] were handed out (their contents, at boot, are the
 * caches' own structures).  A run restores only those, so a node's
 * restore costs what the run and the boot touched of it.
 */
static unsigned long dirty_end[MAX_NUMNODES], frames_end[MAX_NUMNODES];

static unsigned long node_start(int node)
{
	return (unsigned long)node * kslab_node_pages;
}

/* The frames below pfn_end (and at or above its node's start) have changed. */
static void touched(unsigned long pfn_end)
{
	int node = (int)((pfn_end - 1) / kslab_node_pages);

	if (pfn_end - node_start(node) > dirty_end[node])
		dirty_end[node] = pfn_end - node_start(node);
}

static void buddy_put(struct page *page, unsigned int order)
{
	memset(page, 0, sizeof(*page));
	__set_bit(PG_buddy_kslab, &page->flags);
	page->private = order;
	list_add(&page->lru, &free_area[page_to_nid(page)][order]);
}

static bool buddy_is_free(struct page *page, unsigned int order)
{
	return test_bit(PG_buddy_kslab, &page->flags) && page->private == order;
}

/* A free block of node's, of the smallest order from order up that has one, off its list. */
static struct page *buddy_take(int node, unsigned int order, unsigned int *found)
{
	unsigned int k = order;
	struct page *page;

	while (k <= MAX_PAGE_ORDER && list_empty(&free_area[node][k]))
		k++;
	if (k > MAX_PAGE_ORDER)
		return NULL;
	page = list_first_entry(&free_area[node][k], struct page, lru);
	list_del(&page->lru);
	*found = k;
	return page;
}

/*
 * __alloc_pages: the preferred node (the running CPU's for NUMA_NO_NODE),
 * then, unless __GFP_THISNODE, the other nodes in its zonelist's order.
 * What the kernel's does besides (watermarks, reclaim, compaction, the
 * per-CPU page lists) is not modelled: a node with a free block serves.
 */
struct page *kslab_p_alloc_pages(gfp_t gfp, unsigned int order, int node)
{
	struct page *page = NULL;
	unsigned int k = order;
	int pref = node == NUMA_NO_NODE ? kslab_numa_node_id() : node;

	kslab_prim_inc(KSLAB_P_PAGE_ALLOC);
	if ((machine->page_alloc)(order) || order > MAX_PAGE_ORDER)
		return NULL;
	if ((unsigned int)pref >= nr_node_ids)
		kslab_rt_abort(__FILE__, __LINE__, "alloc_pages_node: no such node");
	for (struct zoneref *z = kslab_zonelists[pref]._zonerefs; !page && z->zone; z++) {
		if (z->zone->node != pref && (gfp & __GFP_THISNODE))
			break;
		page = buddy_take(z->zone->node, order, &k);
	}
	if (!page)
		return NULL;
	/* The block's struct pages, and the head of the highest half a split puts back. */
	touched(page_to_pfn(page) + (k > order ? (1UL << (k - 1)) + 1 : 1UL << order));
	touched(page_to_pfn(page) + (1UL << order));
	if (page_to_pfn(page) + (1UL << order) - node_start(page_to_nid(page)) >
	    frames_end[page_to_nid(page)])
		frames_end[page_to_nid(page)] =
		    page_to_pfn(page) + (1UL << order) - node_start(page_to_nid(page));
	while (k > order) { /* split: the upper half goes back */
		k--;
		buddy_put(page + (1UL << k), k);
	}
	memset(page, 0, sizeof(*page) << order);
	atomic_set(&page->_refcount, 1);
	atomic_set(&page->_mapcount, -1);
	if (order > 0) {
		struct folio *folio = (struct folio *)page;

		__set_bit(PG_head, &page->flags);
		folio->_folio_order = order;
		for (unsigned long i = 1; i < (1UL << order); i++)
			page[i].compound_head = (unsigned long)page + 1;
	}
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	pages_in_use += 1UL << order;
	return page;
}

/*
 * __free_pages: back to the block's own node.  A node's frames are whole
 * blocks of the highest order, so a buddy is always on the same node.
 */
void kslab_p_free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	kslab_prim_inc(KSLAB_P_PAGE_FREE);
	(machine->page_free)(order);
	if (pfn >= kslab_nr_pages || (pfn & ((1UL << order) - 1)) ||
	    folio_order((struct folio *)page) != order || test_bit(PG_buddy_kslab, &page->flags))
		kslab_rt_abort(__FILE__, __LINE__, "__free_pages: not a block of that order");
	pages_in_use -= 1UL << order;
	touched(pfn + (1UL << order));
	memset(page, 0, sizeof(*page) << order);
	while (order < MAX_PAGE_ORDER) { /* merge with free buddies */
		unsigned long bpfn = pfn ^ (1UL << order);
		struct page *b = pfn_to_page(bpfn);

		if (bpfn >= kslab_nr_pages || !buddy_is_free(b, order))
			break;
		touched(bpfn + 1);
		list_del(&b->lru);
		memset(b, 0, sizeof(*b));
		pfn &= ~(1UL << order);
		order++;
	}
	touched(pfn + 1);
	buddy_put(pfn_to_page(pfn), order);
}

/*
 * The free blocks of the highest order on node, for the wrong-node check
 * (not instrumented: the whole glue is not): 0 for a node the kernel
 * gives no kmem_cache_node (not of N_NORMAL_MEMORY, slub.c's slab_nodes),
 * where a node-specific allocation may take any node's slab.
 */
unsigned long kslab_node_top_blocks(int node)
{
	unsigned long n = 0;
	struct list_head *pos;

	if (node < 0 || (unsigned int)node >= nr_node_ids || !node_state(node, N_NORMAL_MEMORY))
		return 0;
	list_for_each(pos, &free_area[node][MAX_PAGE_ORDER]) n++;
	return n;
}

unsigned long kslab_pages_in_use(void)
{
	return pages_in_use;
}

/* The end of the frames ever handed out, on any node (kslab_locate's bound). */
unsigned long kslab_frames_end(void)
{
	unsigned long end = 0;

	for (unsigned int n = 0; n < nr_node_ids; n++)
		if (frames_end[n])
			end = node_start((int)n) + frames_end[n];
	return end;
}

/* ---- Strings and printk. ---- */

int printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kslab_rt_vprintk(fmt, ap);
	va_end(ap);
	return 0;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = kmalloc(n, gfp);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* Strings in the image (rodata) are not copied, as the kernel does. */
const char *kstrdup_const(const char *s, gfp_t gfp)
{
	return kstrdup(s, gfp);
}

void kfree_const(const void *p)
{
	kfree(p);
}

ssize_t kslab_strscpy(char *d, const char *s, size_t n)
{
	size_t i;

	if (!n)
		return -E2BIG;
	for (i = 0; i + 1 < n && s[i]; i++)
		d[i] = s[i];
	d[i] = 0;
	return s[i] ? -E2BIG : (ssize_t)i;
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *d;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	d = kmalloc(n + 1, gfp);
	if (!d)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(d, n + 1, fmt, ap);
	va_end(ap);
	return d;
}

/* FAILSLAB is off: 6.1's slab_common.c defines this, 6.12 expects the stub. */
__weak int should_failslab(struct kmem_cache *s, gfp_t gfp)
{
	return 0;
}

int get_option(char **str, int *pint)
{
	return 0; /* boot options: none */
}

long kslab_copy_nofault(void *dst, const void *src, size_t size)
{
	memcpy(dst, src, size);
	return 0;
}

/* ---- Reset: the state right after boot, again for every simulated run. ---- */

/*
 * Everything a run can change: the writable data of the kernel object
 * (the kernel files' globals and this runtime's, gathered into one
 * section by kslab.ld, bounded by kslab_state_start/end), the per-CPU
 * units, the struct pages and the frames the boot allocated.  What kslab_reset
 * keeps about the boot lives outside that section, or a restore would
 * overwrite it.  Frames allocated after the boot are not restored: slub
 * writes every free pointer of a new slab, and the buddy allocator every
 * struct page it hands out, before either is read.
 */
extern char kslab_state_start[], kslab_state_end[];

#define KEEP __attribute__((__section__(".data.kslab_keep")))
static KEEP struct {
	char *preboot; /* the state section before any boot */
	char *state;   /* ... and right after the last one */
	char *percpu;  /* nr_cpus units of pcpu_used bytes */
	char *vmemmap; /* every struct page */
	char *frames;  /* each node's frames below its boot_frames_end, node by node */
	unsigned long boot_frames_end[MAX_NUMNODES], boot_pages, pcpu_used;
	unsigned int cpus, nodes;
	unsigned long pages; /* per node */
} keep;

/* ---- Boot. ---- */

/* The frames of the caches' own struct kmem_cache objects (KSLAB_R_CACHE). */
static void mark_cache_frames(void)
{
	const unsigned int bits = 8 * sizeof(unsigned long);
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
	{
		unsigned long pfn = ((unsigned long)s - kslab_direct_base) >> PAGE_SHIFT;

		if (pfn < KSLAB_CACHE_FRAMES)
			kslab_ranges.cache_frames[pfn / bits] |= 1UL << (pfn % bits);
	}
}

_Static_assert(KSLAB_MAX_NODES == MAX_NUMNODES, "kslab.h's node limit is CONFIG_NODES_SHIFT's");

static unsigned int booted_cpus, booted_nodes;
static unsigned long booted_pages; /* in all */

/* Frames per node: whole blocks of the highest order, so that no buddy straddles two nodes. */
static unsigned long node_pages_of(unsigned long pages_per_node)
{
	return ALIGN(pages_per_node ? pages_per_node : KSLAB_DEFAULT_PAGES, 1UL << MAX_PAGE_ORDER);
}

int kslab_init(unsigned int nr_cpus, unsigned long nr_pages)
{
	return kslab_init_nodes(nr_cpus, 1, nr_pages);
}

int kslab_init_nodes(unsigned int nr_cpus, unsigned int nr_nodes, unsigned long pages_per_node)
{
	unsigned long block = 1UL << MAX_PAGE_ORDER;
	unsigned long per = node_pages_of(pages_per_node);
	unsigned long nr_pages = per * nr_nodes;

	if (booted_cpus)
		return booted_cpus == nr_cpus && booted_nodes == nr_nodes &&
			       booted_pages == nr_pages
			   ? 0
			   : -EBUSY;
	if (!keep.preboot) { /* the image kslab_reset goes back to before booting again */
		keep.preboot = kslab_rt_alloc(kslab_state_end - kslab_state_start);
		memcpy(keep.preboot, kslab_state_start, kslab_state_end - kslab_state_start);
	}
	if (nr_cpus < 1 || nr_cpus > KSLAB_MAX_CPUS || nr_nodes < 1 || nr_nodes > KSLAB_MAX_NODES ||
	    nr_nodes > nr_cpus || (nr_pages << PAGE_SHIFT) > KSLAB_REGION_DIRECT_MAX)
		return -EINVAL;
	if (!kslab_rt_map_fixed(KSLAB_DIRECT_BASE, nr_pages << PAGE_SHIFT) ||
	    !kslab_rt_map_fixed(KSLAB_VMEMMAP_BASE, nr_pages * sizeof(struct page)) ||
	    !kslab_rt_map_fixed(KSLAB_PERCPU_BASE, KSLAB_MAX_CPUS * PCPU_UNIT))
		return -ENOMEM;
	kslab_direct_base = KSLAB_DIRECT_BASE;
	kslab_vmemmap = (struct page *)KSLAB_VMEMMAP_BASE;
	kslab_nr_pages = nr_pages;
	nr_cpu_ids = nr_cpus;
	kslab_ranges.lo[KSLAB_R_DIRECT] = KSLAB_DIRECT_BASE;
	kslab_ranges.hi[KSLAB_R_DIRECT] = KSLAB_DIRECT_BASE + (nr_pages << PAGE_SHIFT);
	kslab_ranges.lo[KSLAB_R_VMEMMAP] = KSLAB_VMEMMAP_BASE;
	kslab_ranges.hi[KSLAB_R_VMEMMAP] = KSLAB_VMEMMAP_BASE + nr_pages * sizeof(struct page);
	kslab_ranges.lo[KSLAB_R_PERCPU] = KSLAB_PERCPU_BASE;
	kslab_ranges.hi[KSLAB_R_PERCPU] = KSLAB_PERCPU_BASE + KSLAB_MAX_CPUS * PCPU_UNIT;
	if (kslab_rt_stack_range(&kslab_ranges.lo[KSLAB_R_STACK], &kslab_ranges.hi[KSLAB_R_STACK]))
		return -ENOSYS;

	/* DEFINE_PER_CPU variables: offset 0 of every unit, initial values copied. */
	pcpu_static_size = kslab_percpu_end - kslab_percpu_start;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		memcpy((void *)(KSLAB_PERCPU_BASE + cpu * PCPU_UNIT), kslab_percpu_start,
		       pcpu_static_size);
	pcpu_used = ALIGN(pcpu_static_size, 64);

	boot_nodes(nr_cpus, nr_nodes, per);
	for (unsigned int n = 0; n < nr_nodes; n++) {
		for (int k = 0; k <= MAX_PAGE_ORDER; k++)
			INIT_LIST_HEAD(&free_area[n][k]);
		for (unsigned long pfn = node_start(n) + per; pfn > node_start(n); pfn -= block)
			buddy_put(pfn_to_page(pfn - block), MAX_PAGE_ORDER);
	}

	/* On CPU 0: kmem_cache_init gives every node of N_NORMAL_MEMORY its kmem_cache_node. */
	cur_cpu = 0;
	kmem_cache_init();
	kmem_cache_init_late();
	mark_cache_frames();
	booted_cpus = nr_cpus;
	booted_nodes = nr_nodes;
	booted_pages = nr_pages;
	return 0;
}

/* ---- The API. ---- */

void kslab_set_cpu(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids)
		kslab_rt_abort(__FILE__, __LINE__, "kslab_set_cpu: no such CPU");
	cur_cpu = cpu;
}

unsigned int kslab_get_cpu(void)
{
	return cur_cpu;
}

unsigned int kslab_nr_cpus(void)
{
	return nr_cpu_ids;
}

void *kslab_kmalloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

void *kslab_kmalloc_node(size_t size, int node)
{
	return kmalloc_node(size, GFP_KERNEL, node);
}

void *kslab_kzalloc_node(size_t size, int node)
{
	return kmalloc_node(size, GFP_KERNEL | __GFP_ZERO, node);
}

void kslab_kfree(const void *p)
{
	kfree(p);
}

size_t kslab_ksize(const void *p)
{
	return ksize(p);
}

struct kslab_cache *kslab_cache_create(const char *name, unsigned int size, unsigned int align)
{
	return (struct kslab_cache *)kmem_cache_create(name, size, align, 0, NULL);
}

void *kslab_cache_alloc(struct kslab_cache *c)
{
	return kmem_cache_alloc((struct kmem_cache *)c, GFP_KERNEL);
}

void kslab_cache_free(struct kslab_cache *c, void *p)
{
	kmem_cache_free((struct kmem_cache *)c, p);
}

void kslab_cache_destroy(struct kslab_cache *c)
{
	kmem_cache_destroy((struct kmem_cache *)c);
}

/*
 * The smallest normal kmalloc cache that holds size bytes: what kmalloc()
 * picks (its size_index table maps 65..96 and 129..192 to the 96 and 192
 * byte caches, the rest to powers of two from 8).
 */
struct kslab_cache *kslab_kmalloc_cache(size_t size)
{
	struct kmem_cache *best = NULL;

	for (int i = 0; i <= KMALLOC_SHIFT_HIGH; i++) {
		struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][i];

		if (s && s->object_size >= size && (!best || s->object_size < best->object_size))
			best = s;
	}
	return (struct kslab_cache *)best;
}

size_t kslab_kmalloc_max_cache_size(void)
{
	return KMALLOC_MAX_CACHE_SIZE;
}

const char *kslab_cache_name(const struct kslab_cache *c)
{
	return ((const struct kmem_cache *)c)->name;
}

unsigned int kslab_cache_object_size(const struct kslab_cache *c)
{
	return ((const struct kmem_cache *)c)->object_size;
}

long long kslab_slub_stat(const struct kmem_cache *s, const char *name);

long long kslab_cache_stat(const struct kslab_cache *c, const char *name)
{
	return kslab_slub_stat((const struct kmem_cache *)c, name);
}

void kslab_prim_counts(unsigned long long out[KSLAB_NR_PRIMS])
{
	memcpy(out, kslab_prims, sizeof(kslab_prims));
}

const char *kslab_prim_name(enum kslab_prim p)
{
	static const char *const names[KSLAB_NR_PRIMS] = {
		"percpu-op",  "percpu-cmpxchg", "cmpxchg-double", "preempt",   "irq",	 "spinlock",
		"local-lock", "bit-spinlock",	"page-alloc",	  "page-free", "cpu-id", "other",
	};

	return (unsigned int)p < KSLAB_NR_PRIMS ? names[p] : "?";
}

const char *kslab_region_name(enum kslab_region r)
{
	static const char *const names[KSLAB_NR_REGIONS] = {
		"direct-map", "struct-page", "percpu", "stack", "kmem-cache", "global",
	};

	return (unsigned int)r < KSLAB_NR_REGIONS ? names[r] : "?";
}

const char *kslab_access_name(enum kslab_access a)
{
	static const char *const names[KSLAB_NR_ACCESS] = {
		"load", "store", "READ_ONCE", "WRITE_ONCE", "atomic", "range",
	};

	return (unsigned int)a < KSLAB_NR_ACCESS ? names[a] : "?";
}

static unsigned long state_size(void)
{
	return kslab_state_end - kslab_state_start;
}

/* The boot's frames of every node, node by node, in kept (from kept) or back (to kept). */
static void copy_boot_frames(bool to_kept)
{
	char *k = keep.frames;

	for (unsigned int n = 0; n < nr_node_ids; n++) {
		char *frames = (char *)kslab_direct_base + (node_start(n) << PAGE_SHIFT);
		unsigned long bytes = keep.boot_frames_end[n] << PAGE_SHIFT;

		if (to_kept)
			memcpy(k, frames, bytes);
		else
			memcpy(frames, k, bytes);
		k += bytes;
	}
}

static void snapshot(void)
{
	unsigned long pages = kslab_nr_pages, frames = 0;

	for (unsigned int n = 0; n < nr_node_ids; n++) {
		keep.boot_frames_end[n] = frames_end[n];
		frames += frames_end[n];
		dirty_end[n] = 0; /* from here on: what a run changed */
	}
	keep.boot_pages = pages_in_use;
	keep.pcpu_used = pcpu_used;
	keep.state = kslab_rt_alloc(state_size());
	memcpy(keep.state, kslab_state_start, state_size());
	keep.percpu = kslab_rt_alloc(nr_cpu_ids * pcpu_used);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		memcpy(keep.percpu + cpu * pcpu_used, (void *)(KSLAB_PERCPU_BASE + cpu * PCPU_UNIT),
		       pcpu_used);
	keep.vmemmap = kslab_rt_alloc(pages * sizeof(struct page));
	memcpy(keep.vmemmap, kslab_vmemmap, pages * sizeof(struct page));
	keep.frames = kslab_rt_alloc(frames << PAGE_SHIFT);
	copy_boot_frames(true);
}

static void restore(void)
{
	unsigned long dirty[MAX_NUMNODES];

	memcpy(dirty, dirty_end, sizeof(dirty)); /* the state section's copy is the boot's */
	memcpy(kslab_state_start, keep.state, state_size());
	for (unsigned int cpu = 0; cpu < keep.cpus; cpu++)
		memcpy((void *)(KSLAB_PERCPU_BASE + cpu * PCPU_UNIT),
		       keep.percpu + cpu * keep.pcpu_used, keep.pcpu_used);
	for (unsigned int n = 0; n < keep.nodes; n++)
		memcpy(kslab_vmemmap + node_start(n),
		       keep.vmemmap + node_start(n) * sizeof(struct page),
		       dirty[n] * sizeof(struct page));
	copy_boot_frames(false);
}

/* Undo a boot (kslab_init's, with or without a snapshot): back to the image before it. */
static void forget_boot(void)
{
	unsigned long pages = booted_pages;

	kslab_rt_free(keep.state);
	kslab_rt_free(keep.percpu);
	kslab_rt_free(keep.vmemmap);
	kslab_rt_free(keep.frames);
	keep.state = keep.percpu = keep.vmemmap = keep.frames = NULL;
	memcpy(kslab_state_start, keep.preboot, state_size());
	kslab_rt_unmap(KSLAB_DIRECT_BASE, pages << PAGE_SHIFT);
	kslab_rt_unmap(KSLAB_VMEMMAP_BASE, pages * sizeof(struct page));
	kslab_rt_unmap(KSLAB_PERCPU_BASE, KSLAB_MAX_CPUS * PCPU_UNIT);
	keep.cpus = keep.nodes = 0;
	keep.pages = 0;
}

int kslab_reset(unsigned int nr_cpus, unsigned long nr_pages)
{
	return kslab_reset_nodes(nr_cpus, 1, nr_pages);
}

int kslab_reset_nodes(unsigned int nr_cpus, unsigned int nr_nodes, unsigned long pages_per_node)
{
	unsigned long per = node_pages_of(pages_per_node);
	int r;

	if (keep.cpus == nr_cpus && keep.nodes == nr_nodes && keep.pages == per) {
		restore();
		return 0;
	}
	if (booted_cpus)
		forget_boot();
	r = kslab_init_nodes(nr_cpus, nr_nodes, per);
	if (r)
		return r;
	snapshot();
	keep.cpus = nr_cpus;
	keep.nodes = nr_nodes;
	keep.pages = per;
	return 0;
}

unsigned int kslab_cpu_node_of(unsigned int cpu)
{
	return kslab_cpu_node((int)cpu);
}

int kslab_slab_node(const void *p)
{
	struct slab *slab;

	if (!virt_addr_valid(p))
		return -1;
	slab = virt_to_slab(p);
	return slab ? slab_nid(slab) : -1;
}

/* ---- The kernel as the simulator sees it (kslab.h, struct kslab_kernel). ---- */

static const struct kslab_kernel_file *desc_files(void)
{
	return kslab_kernel_files();
}

static void desc_shrink_all(void)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list) kmem_cache_shrink(s);
}

void kslab_flush_this_cpu(struct kmem_cache *s);

static void desc_flush_this_cpu(size_t size)
{
	kslab_flush_this_cpu((struct kmem_cache *)kslab_kmalloc_cache(size));
}

static long long desc_stat_total(const char *name)
{
	struct kmem_cache *s;
	long long sum = 0;

	list_for_each_entry(s, &slab_caches, list)
	{
		long long v = kslab_slub_stat(s, name);

		if (v < 0)
			return -1;
		sum += v;
	}
	return sum;
}

static unsigned long desc_boot_pages(void)
{
	return keep.boot_pages;
}

extern char kslab_text_start[];

static const void *desc_site(void)
{
	return kslab_site;
}

static void desc_set_stack(uintptr_t lo, uintptr_t hi)
{
	kslab_ranges.lo[KSLAB_R_STACK] = lo;
	kslab_ranges.hi[KSLAB_R_STACK] = hi;
}

#ifndef KSLAB_DESC
#define KSLAB_DESC kslab_kernel_desc
#endif
const struct kslab_kernel KSLAB_DESC = {
	.version = kslab_kernel_version,
	.origin = kslab_kernel_origin,
	.files = desc_files,
	.boot = kslab_reset_nodes,
	.cpu_node = kslab_cpu_node_of,
	.set_machine = kslab_set_machine,
	.kmalloc_node = kslab_kmalloc_node,
	.kzalloc_node = kslab_kzalloc_node,
	.kfree = kslab_kfree,
	.shrink_all = desc_shrink_all,
	.walk = kslab_walk,
	.flush_this_cpu = desc_flush_this_cpu,
	.stat_total = desc_stat_total,
	.pages_in_use = kslab_pages_in_use,
	.boot_pages = desc_boot_pages,
	.kmalloc_cache = kslab_kmalloc_cache,
	.cache_name = kslab_cache_name,
	.cache_object_size = kslab_cache_object_size,
	.access_counts = kslab_access_counts,
	.set_access_observer = kslab_set_access_observer,
	.set_range_observer = kslab_set_range_observer,
	.set_stack = desc_set_stack,
	.text_start = kslab_text_start,
	.site = desc_site,
	.prim_counts = kslab_prim_counts,
	.locate = kslab_locate,
	.cpu_slab = kslab_cpu_slab,
	.slab_node = kslab_slab_node,
	.node_top_blocks = kslab_node_top_blocks,
};
