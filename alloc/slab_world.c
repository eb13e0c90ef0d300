/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_world.c - maps and lays out the simulated address space.
 */
#include <string.h>
#include <sys/mman.h>

#include "page_alloc.h"
#include "slab_world.h"

struct slab_world slab_world;

#define SLAB_ARENA_ALIGN ((size_t)PAGE_SIZE << (MAX_ORDER - 1))

/*
 * A fixed hint keeps host addresses stable too when the kernel grants it
 * (handy in a debugger); correctness and output never depend on it.
 */
#define SLAB_WORLD_HINT ((void *)0x300000000000UL)

static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* What a destroyed world used, so that the next one of its size is clean. */
static struct {
	void *start;
	size_t len;
	struct slab_world_config cfg;
	unsigned long used_frames[MAX_NUMNODES];
	size_t percpu_used, boot_used;
} kept;

/* Zero what the kept world used; base is the same layout's base. */
static void scrub(const typeof(kept) *k, char *base)
{
	unsigned long per = k->cfg.pages_per_node;
	unsigned long nr_pages = per * k->cfg.nr_nodes;
	struct page *pages = (struct page *)(base + (nr_pages << PAGE_SHIFT));
	for (unsigned n = 0; n < k->cfg.nr_nodes; n++) {
		memset(base + ((n * per) << PAGE_SHIFT), 0, k->used_frames[n] << PAGE_SHIFT);
		memset(pages + n * per, 0, k->used_frames[n] * sizeof(struct page));
	}
	size_t pages_bytes = align_up(nr_pages * sizeof(struct page), PAGE_SIZE);
	char *percpu = (char *)pages + pages_bytes;
	for (unsigned cpu = 0; cpu < k->cfg.nr_cpus; cpu++)
		memset(percpu + (size_t)cpu * SLAB_PERCPU_UNIT, 0, k->percpu_used);
	memset(percpu + (size_t)k->cfg.nr_cpus * SLAB_PERCPU_UNIT, 0, k->boot_used);
}

#ifdef SLAB_PORT_KERNEL_SHAPED
/* Every CPU's per-CPU area, at the same offset from each thread pointer. */
static __thread char percpu_area[SLAB_PERCPU_UNIT]
    __attribute__((aligned(64), tls_model("local-exec")));
unsigned long slab_per_cpu_offset[SLAB_MAX_CPUS];

static unsigned long thread_pointer(void)
{
	unsigned long tp;
	__asm__("movq %%fs:0, %0" : "=r"(tp));
	return tp;
}

void slab_percpu_register_this_thread(unsigned cpu)
{
	slab_per_cpu_offset[cpu] = thread_pointer();
}

/* The per-CPU pointer of the area's start: the same in every thread. */
static char *percpu_base(void)
{
	return (char *)((unsigned long)percpu_area - thread_pointer());
}

/* A world starts with every CPU's area zeroed, as a kept world's is. */
static void percpu_clear(const struct slab_world_config *cfg)
{
	for (unsigned cpu = 0; cpu < cfg->nr_cpus; cpu++)
		memset(slab_per_cpu_ptr(percpu_base(), cpu), 0, SLAB_PERCPU_UNIT);
}
#else
static char *percpu_base(void)
{
	return slab_world.percpu;
}

static void percpu_clear(const struct slab_world_config *cfg)
{
}
#endif

const char *slab_world_init(const struct slab_world_config *cfg)
{
	if (slab_world.base)
		return "the slab world is already initialised";
	if (cfg->nr_cpus < 1 || cfg->nr_cpus > SLAB_MAX_CPUS)
		return "nr_cpus must be 1 .. 1024";
	if (cfg->nr_nodes < 1 || cfg->nr_nodes > MAX_NUMNODES)
		return "nr_nodes must be 1 .. 8";
	if (cfg->nr_nodes > cfg->nr_cpus)
		return "every NUMA node needs at least one CPU";
	if (cfg->pages_per_node == 0 || cfg->pages_per_node % (1UL << (MAX_ORDER - 1)))
		return "pages_per_node must be a positive multiple of 1024 (4 MiB)";
	if (cfg->cpu_to_node_set)
		for (unsigned i = 0; i < cfg->nr_cpus; i++)
			if (cfg->cpu_to_node[i] >= cfg->nr_nodes)
				return "a CPU is mapped to a node that does not exist";

	struct slab_world w = { .cfg = *cfg };
	if (!cfg->cpu_to_node_set)
		for (unsigned i = 0; i < cfg->nr_cpus; i++)
			w.cfg.cpu_to_node[i] =
			    (unsigned char)((unsigned long)i * cfg->nr_nodes / cfg->nr_cpus);

	w.nr_pages = cfg->pages_per_node * cfg->nr_nodes;
	size_t arena = w.nr_pages << PAGE_SHIFT;
	size_t pages = align_up(w.nr_pages * sizeof(struct page), PAGE_SIZE);
	size_t percpu = (size_t)cfg->nr_cpus * SLAB_PERCPU_UNIT;
	w.map_size = arena + pages + percpu + SLAB_BOOT_SIZE;
	w.map_len = w.map_size + SLAB_ARENA_ALIGN;

	void *m;
	if (kept.start && kept.len == w.map_len && !cfg->prefault) {
		/* Only small worlds are kept (see slab_world_destroy). */
		m = kept.start;
		scrub(&kept, (char *)align_up((uintptr_t)m, SLAB_ARENA_ALIGN));
	} else {
		slab_world_release();
		int populate = cfg->prefault ? MAP_POPULATE : MAP_NORESERVE;
		m = mmap(SLAB_WORLD_HINT, w.map_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | populate, -1, 0);
		if (m == MAP_FAILED)
			return "cannot map the simulated address space";
		/*
		 * Huge pages where the host offers them: a big run touches tens of
		 * megabytes of fresh arena, and 4 KiB faults would dominate it.  A
		 * small world (race exploration: thousands of runs) would pay more
		 * for zeroing 2 MiB pages than it saves.
		 */
		if (w.map_len >= ((size_t)256 << 20))
			madvise(m, w.map_len, MADV_HUGEPAGE);
	}
	memset(&kept, 0, sizeof(kept));
	w.map_start = m;
	w.base = (char *)align_up((uintptr_t)m, SLAB_ARENA_ALIGN);
	w.arena = w.base;
	w.pages = (struct page *)(w.base + arena);
	w.percpu = (char *)w.pages + pages;
	w.boot = w.percpu + percpu;
	slab_world = w;
	percpu_clear(cfg);
	page_alloc_init();
	return NULL;
}

void slab_world_destroy(void)
{
	if (!slab_world.base)
		return;
	slab_world_release();
	/*
	 * A big world (huge pages, tens of megabytes used) costs as much to
	 * scrub as to map afresh; only small ones, the ones exploration sets
	 * up thousands of times, are kept.
	 */
	if (slab_world.map_len >= ((size_t)256 << 20)) {
		munmap(slab_world.map_start, slab_world.map_len);
		memset(&slab_world, 0, sizeof(slab_world));
		return;
	}
	kept.start = slab_world.map_start;
	kept.len = slab_world.map_len;
	kept.cfg = slab_world.cfg;
	for (unsigned n = 0; n < slab_world.cfg.nr_nodes; n++)
		kept.used_frames[n] = page_alloc_high_water((int)n);
	kept.percpu_used = slab_world.percpu_used;
	kept.boot_used = slab_world.boot_used;
	memset(&slab_world, 0, sizeof(slab_world));
}

void slab_world_release(void)
{
	if (kept.start)
		munmap(kept.start, kept.len);
	memset(&kept, 0, sizeof(kept));
}

bool slab_world_ready(void)
{
	return slab_world.base != NULL;
}

void *slab_percpu_alloc(size_t size, size_t align)
{
	size_t off = align_up(slab_world.percpu_used, align);
	if (off + size > SLAB_PERCPU_UNIT)
		return NULL;
	slab_world.percpu_used = off + size;
	/* Integer arithmetic: a kernel-shaped per-CPU pointer points at no object. */
	return (void *)((uintptr_t)percpu_base() + off);
}

void *slab_boot_alloc(size_t size, size_t align)
{
	size_t off = align_up(slab_world.boot_used, align);
	if (off + size > SLAB_BOOT_SIZE)
		return NULL;
	slab_world.boot_used = off + size;
	return slab_world.boot + off;
}
