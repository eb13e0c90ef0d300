/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab_glue.c - the kernel side of the runtime, compiled like the kernel
 * files (kcompat.h force-included, the tree's <linux/slab.h> and
 * mm/slab.h) but not instrumented: it defines what the compat headers
 * declare (the machine primitives, per-CPU areas, the page allocator,
 * strings and printk) and kslab.h's API on top of kmalloc & co.
 *
 * Map of the file: virtual CPU state and primitives; per-CPU areas; the
 * buddy page allocator; strings and printk; boot; the API.
 *
 * One thread in stage 1: each primitive checks what a single CPU can
 * check (a spinlock taken twice is a deadlock, BUG) and counts.
 */
#include <stdarg.h>
#include <linux/slab.h>
#include "slab.h"

#include "kslab_internal.h"

#define PCPU_UNIT (1UL << 20) /* bytes of per-CPU area per CPU */

unsigned int nr_cpu_ids = 1;
unsigned int nr_node_ids = 1;
gfp_t gfp_allowed_mask = (gfp_t)-1;
DEFINE_STATIC_KEY_FALSE(init_on_alloc);
DEFINE_STATIC_KEY_FALSE(init_on_free);
static struct workqueue_struct kslab_wq;
struct workqueue_struct *system_wq = &kslab_wq;
struct workqueue_struct *system_unbound_wq = &kslab_wq;
struct task_struct kslab_task = { .comm = "kslab" };
static struct zone kslab_zone0;
struct zonelist kslab_zonelist = { { { &kslab_zone0, 0 }, { NULL, 0 } } };
struct page *kslab_vmemmap;
unsigned long kslab_direct_base;
unsigned long kslab_nr_pages;
unsigned long long kslab_prims[KSLAB_NR_PRIMS];

/* ---- Virtual CPU state and the primitives. ---- */

static struct {
	int preempt_count;
	bool irqs_off;
} vcpu[KSLAB_MAX_CPUS];
static int cur_cpu;
static u64 clock_ticks;
static long node_stat[NR_VM_NODE_STAT_ITEMS];

void kslab_bug(const char *file, int line)
{
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
	return cur_cpu;
}

void kslab_p_preempt_disable(void)
{
	kslab_prim_inc(KSLAB_P_PREEMPT);
	vcpu[cur_cpu].preempt_count++;
}

void kslab_p_preempt_enable(void)
{
	kslab_prim_inc(KSLAB_P_PREEMPT);
	if (vcpu[cur_cpu].preempt_count <= 0)
		kslab_rt_abort(__FILE__, __LINE__, "preempt_enable without preempt_disable");
	vcpu[cur_cpu].preempt_count--;
}

int kslab_p_preempt_count(void)
{
	return vcpu[cur_cpu].preempt_count;
}

unsigned long kslab_p_irq_save(void)
{
	bool was_off = vcpu[cur_cpu].irqs_off;

	kslab_prim_inc(KSLAB_P_IRQ);
	vcpu[cur_cpu].irqs_off = true;
	return was_off;
}

void kslab_p_irq_restore(unsigned long flags)
{
	kslab_prim_inc(KSLAB_P_IRQ);
	vcpu[cur_cpu].irqs_off = flags != 0;
}

void kslab_p_irq_disable(void)
{
	kslab_prim_inc(KSLAB_P_IRQ);
	vcpu[cur_cpu].irqs_off = true;
}

void kslab_p_irq_enable(void)
{
	kslab_prim_inc(KSLAB_P_IRQ);
	vcpu[cur_cpu].irqs_off = false;
}

bool kslab_p_irqs_disabled(void)
{
	return vcpu[cur_cpu].irqs_off;
}

void kslab_p_spin_lock(spinlock_t *l)
{
	kslab_prim_inc(KSLAB_P_SPINLOCK);
	if (l->locked)
		kslab_rt_abort(__FILE__, __LINE__, "spin_lock: held (one thread: a deadlock)");
	l->locked = 1;
	vcpu[cur_cpu].preempt_count++;
}

void kslab_p_spin_unlock(spinlock_t *l)
{
	kslab_prim_inc(KSLAB_P_SPINLOCK);
	if (!l->locked)
		kslab_rt_abort(__FILE__, __LINE__, "spin_unlock: not held");
	l->locked = 0;
	vcpu[cur_cpu].preempt_count--;
}

int kslab_p_spin_trylock(spinlock_t *l)
{
	kslab_prim_inc(KSLAB_P_SPINLOCK);
	if (l->locked)
		return 0;
	l->locked = 1;
	vcpu[cur_cpu].preempt_count++;
	return 1;
}

/* local_lock on !PREEMPT_RT: preempt (or irqs) off, and an owner to check. */
void kslab_p_local_lock(local_lock_t *pcpu_lock, bool irq)
{
	local_lock_t *l = kslab_pcpu_addr(pcpu_lock, cur_cpu);

	kslab_prim_inc(KSLAB_P_LOCAL_LOCK);
	if (irq)
		vcpu[cur_cpu].irqs_off = true;
	else
		vcpu[cur_cpu].preempt_count++;
	if (l->owner)
		kslab_rt_abort(__FILE__, __LINE__, "local_lock: held on this CPU");
	l->owner = cur_cpu + 1;
}

void kslab_p_local_unlock(local_lock_t *pcpu_lock, bool irq)
{
	local_lock_t *l = kslab_pcpu_addr(pcpu_lock, cur_cpu);

	kslab_prim_inc(KSLAB_P_LOCAL_LOCK);
	if (l->owner != cur_cpu + 1)
		kslab_rt_abort(__FILE__, __LINE__, "local_unlock: not held by this CPU");
	l->owner = 0;
	if (irq)
		vcpu[cur_cpu].irqs_off = false;
	else
		vcpu[cur_cpu].preempt_count--;
}

void kslab_p_bit_spin_lock(int nr, unsigned long *word)
{
	kslab_prim_inc(KSLAB_P_BIT_SPINLOCK);
	vcpu[cur_cpu].preempt_count++;
	if (*word & (1UL << nr))
		kslab_rt_abort(__FILE__, __LINE__, "bit_spin_lock: held (one thread: a deadlock)");
	*word |= 1UL << nr;
}

void kslab_p_bit_spin_unlock(int nr, unsigned long *word)
{
	kslab_prim_inc(KSLAB_P_BIT_SPINLOCK);
	if (!(*word & (1UL << nr)))
		kslab_rt_abort(__FILE__, __LINE__, "bit_spin_unlock: not held");
	*word &= ~(1UL << nr);
	vcpu[cur_cpu].preempt_count--;
}

void kslab_p_mutex_lock(struct mutex *m)
{
	kslab_prim_inc(KSLAB_P_OTHER);
	if (m->locked)
		kslab_rt_abort(__FILE__, __LINE__, "mutex_lock: held (one thread: a deadlock)");
	m->locked = 1;
}

void kslab_p_mutex_unlock(struct mutex *m)
{
	kslab_prim_inc(KSLAB_P_OTHER);
	m->locked = 0;
}

/* The clock get_cycles() reads: one tick per call (the simulator's, in stage 2). */
cycles_t kslab_p_get_cycles(void)
{
	kslab_prim_inc(KSLAB_P_OTHER);
	return ++clock_ticks;
}

bool kslab_p_cmpxchg_double(void *p1, unsigned long o1, unsigned long o2, unsigned long n1,
			    unsigned long n2)
{
	unsigned long *w = p1;

	kslab_prim_inc(KSLAB_P_CMPXCHG_DOUBLE);
	if (w[0] != o1 || w[1] != o2)
		return false;
	w[0] = n1;
	w[1] = n2;
	return true;
}

bool kslab_p_try_cmpxchg128(u128 *p, u128 *old, u128 new_val)
{
	kslab_prim_inc(KSLAB_P_CMPXCHG_DOUBLE);
	if (*p != *old) {
		*old = *p;
		return false;
	}
	*p = new_val;
	return true;
}

void kslab_run_work_on(int cpu, struct work_struct *w)
{
	int saved = cur_cpu;

	kslab_prim_inc(KSLAB_P_OTHER);
	cur_cpu = cpu;
	w->func(w);
	cur_cpu = saved;
}

void kslab_mod_node_stat(int item, long delta)
{
	node_stat[item] += delta;
}

/* ---- Per-CPU areas: unit n of the per-CPU mapping is CPU n's. ---- */

extern char __start_kslab_percpu[] __attribute__((__weak__));
extern char __stop_kslab_percpu[] __attribute__((__weak__));
static unsigned long pcpu_static_size; /* DEFINE_PER_CPU variables, at offset 0 */
static unsigned long pcpu_used;

void *kslab_pcpu_addr(const void *pcpu_ptr, int cpu)
{
	unsigned long p = (unsigned long)pcpu_ptr;
	unsigned long off;

	if ((unsigned int)cpu >= nr_cpu_ids)
		kslab_rt_abort(__FILE__, __LINE__, "per-CPU access to a CPU beyond nr_cpu_ids");
	if (p >= KSLAB_PERCPU_BASE && p < KSLAB_PERCPU_BASE + PCPU_UNIT)
		off = p - KSLAB_PERCPU_BASE;
	else if (pcpu_static_size && p >= (unsigned long)__start_kslab_percpu &&
		 p < (unsigned long)__stop_kslab_percpu)
		off = p - (unsigned long)__start_kslab_percpu;
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

u64 kslab_p_pcpu_read(const void *pcpu_ptr, int size)
{
	const void *p = kslab_pcpu_addr(pcpu_ptr, cur_cpu);

	kslab_prim_inc(KSLAB_P_PCPU);
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

void kslab_p_pcpu_write(void *pcpu_ptr, u64 v, int size)
{
	void *p = kslab_pcpu_addr(pcpu_ptr, cur_cpu);

	kslab_prim_inc(KSLAB_P_PCPU);
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

void kslab_p_pcpu_add(void *pcpu_ptr, s64 v, int size)
{
	void *p = kslab_pcpu_addr(pcpu_ptr, cur_cpu);

	kslab_prim_inc(KSLAB_P_PCPU);
	switch (size) {
	case 1:
		*(u8 *)p += v;
		break;
	case 2:
		*(u16 *)p += v;
		break;
	case 4:
		*(u32 *)p += v;
		break;
	default:
		*(u64 *)p += v;
		break;
	}
}

bool kslab_p_pcpu_cmpxchg_double(void *pcpu_ptr, unsigned long o1, unsigned long o2,
				 unsigned long n1, unsigned long n2)
{
	unsigned long *w = kslab_pcpu_addr(pcpu_ptr, cur_cpu);

	kslab_prim_inc(KSLAB_P_PCPU_CMPXCHG);
	if (w[0] != o1 || w[1] != o2)
		return false;
	w[0] = n1;
	w[1] = n2;
	return true;
}

bool kslab_p_pcpu_try_cmpxchg128(void *pcpu_ptr, u128 *old, u128 new_val)
{
	u128 *p = kslab_pcpu_addr(pcpu_ptr, cur_cpu);

	kslab_prim_inc(KSLAB_P_PCPU_CMPXCHG);
	if (*p != *old) {
		*old = *p;
		return false;
	}
	*p = new_val;
	return true;
}

bool kslab_p_pcpu_try_cmpxchg64(void *pcpu_ptr, u64 *old, u64 new_val)
{
	u64 *p = kslab_pcpu_addr(pcpu_ptr, cur_cpu);

	kslab_prim_inc(KSLAB_P_PCPU_CMPXCHG);
	if (*p != *old) {
		*old = *p;
		return false;
	}
	*p = new_val;
	return true;
}

/* ---- The buddy page allocator over the direct map. ---- */

static struct list_head free_area[MAX_PAGE_ORDER + 1];
static unsigned long pages_in_use;

static void buddy_put(struct page *page, unsigned int order)
{
	memset(page, 0, sizeof(*page));
	__set_bit(PG_buddy_kslab, &page->flags);
	page->private = order;
	list_add(&page->lru, &free_area[order]);
}

static bool buddy_is_free(struct page *page, unsigned int order)
{
	return test_bit(PG_buddy_kslab, &page->flags) && page->private == order;
}

struct page *kslab_p_alloc_pages(gfp_t gfp, unsigned int order, int node)
{
	struct page *page;
	unsigned int k = order;

	kslab_prim_inc(KSLAB_P_PAGE_ALLOC);
	if (order > MAX_PAGE_ORDER)
		return NULL;
	while (k <= MAX_PAGE_ORDER && list_empty(&free_area[k]))
		k++;
	if (k > MAX_PAGE_ORDER)
		return NULL;
	page = list_first_entry(&free_area[k], struct page, lru);
	list_del(&page->lru);
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

void kslab_p_free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	kslab_prim_inc(KSLAB_P_PAGE_FREE);
	if (pfn >= kslab_nr_pages || (pfn & ((1UL << order) - 1)) ||
	    folio_order((struct folio *)page) != order || test_bit(PG_buddy_kslab, &page->flags))
		kslab_rt_abort(__FILE__, __LINE__, "__free_pages: not a block of that order");
	pages_in_use -= 1UL << order;
	memset(page, 0, sizeof(*page) << order);
	while (order < MAX_PAGE_ORDER) { /* merge with free buddies */
		unsigned long bpfn = pfn ^ (1UL << order);
		struct page *b = pfn_to_page(bpfn);

		if (bpfn >= kslab_nr_pages || !buddy_is_free(b, order))
			break;
		list_del(&b->lru);
		memset(b, 0, sizeof(*b));
		pfn &= ~(1UL << order);
		order++;
	}
	buddy_put(pfn_to_page(pfn), order);
}

unsigned long kslab_pages_in_use(void)
{
	return pages_in_use;
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

/* ---- Boot. ---- */

static unsigned int booted_cpus;
static unsigned long booted_pages;

int kslab_init(unsigned int nr_cpus, unsigned long nr_pages)
{
	unsigned long block = 1UL << MAX_PAGE_ORDER;

	if (!nr_pages)
		nr_pages = 1UL << 16; /* 256 MiB, reserved, touched as used */
	nr_pages = ALIGN(nr_pages, block);
	if (booted_cpus)
		return booted_cpus == nr_cpus && booted_pages == nr_pages ? 0 : -EBUSY;
	if (nr_cpus < 1 || nr_cpus > KSLAB_MAX_CPUS)
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
	if (__start_kslab_percpu && __stop_kslab_percpu > __start_kslab_percpu)
		pcpu_static_size = __stop_kslab_percpu - __start_kslab_percpu;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		memcpy((void *)(KSLAB_PERCPU_BASE + cpu * PCPU_UNIT), __start_kslab_percpu,
		       pcpu_static_size);
	pcpu_used = ALIGN(pcpu_static_size, 64);

	for (int k = 0; k <= MAX_PAGE_ORDER; k++)
		INIT_LIST_HEAD(&free_area[k]);
	for (unsigned long pfn = nr_pages; pfn; pfn -= block)
		buddy_put(pfn_to_page(pfn - block), MAX_PAGE_ORDER);

	cur_cpu = 0;
	kmem_cache_init();
	kmem_cache_init_late();
	booted_cpus = nr_cpus;
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
		"direct-map", "struct-page", "percpu", "stack", "global",
	};

	return (unsigned int)r < KSLAB_NR_REGIONS ? names[r] : "?";
}

const char *kslab_access_name(enum kslab_access a)
{
	static const char *const names[KSLAB_NR_ACCESS] = {
		"load", "store", "READ_ONCE", "WRITE_ONCE", "atomic",
	};

	return (unsigned int)a < KSLAB_NR_ACCESS ? names[a] : "?";
}
