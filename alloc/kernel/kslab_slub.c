/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab_slub.c - the translation unit of the tree's mm/slub.c: the file is
 * included as it is (never patched), then slabsim's accessors that need
 * its private types follow: from 6.2 on, struct kmem_cache_cpu and enum
 * stat_item live in slub.c itself.  The accessors are not instrumented.
 */
#include "slub.c"
#include "kslab.h"

#define KSLAB_NOTSAN __attribute__((__no_sanitize_thread__, __noinline__))

/* The SLUB_STATS counters of 6.1 and 6.12 alike, by their kernel names. */
#define KSLAB_STAT(x) \
	{             \
#x, x \
	}
static const struct {
	const char *name;
	enum stat_item item;
} kslab_stats[] = {
	KSLAB_STAT(ALLOC_FASTPATH),
	KSLAB_STAT(ALLOC_SLOWPATH),
	KSLAB_STAT(FREE_FASTPATH),
	KSLAB_STAT(FREE_SLOWPATH),
	KSLAB_STAT(FREE_FROZEN),
	KSLAB_STAT(FREE_ADD_PARTIAL),
	KSLAB_STAT(FREE_REMOVE_PARTIAL),
	KSLAB_STAT(ALLOC_FROM_PARTIAL),
	KSLAB_STAT(ALLOC_SLAB),
	KSLAB_STAT(ALLOC_REFILL),
	KSLAB_STAT(ALLOC_NODE_MISMATCH),
	KSLAB_STAT(FREE_SLAB),
	KSLAB_STAT(CPUSLAB_FLUSH),
	KSLAB_STAT(DEACTIVATE_FULL),
	KSLAB_STAT(DEACTIVATE_EMPTY),
	KSLAB_STAT(DEACTIVATE_TO_HEAD),
	KSLAB_STAT(DEACTIVATE_TO_TAIL),
	KSLAB_STAT(DEACTIVATE_REMOTE_FREES),
	KSLAB_STAT(DEACTIVATE_BYPASS),
	KSLAB_STAT(ORDER_FALLBACK),
	KSLAB_STAT(CMPXCHG_DOUBLE_CPU_FAIL),
	KSLAB_STAT(CMPXCHG_DOUBLE_FAIL),
	KSLAB_STAT(CPU_PARTIAL_ALLOC),
	KSLAB_STAT(CPU_PARTIAL_FREE),
	KSLAB_STAT(CPU_PARTIAL_NODE),
	KSLAB_STAT(CPU_PARTIAL_DRAIN),
};

long long kslab_slub_stat(const struct kmem_cache *s, const char *name);
const char *const *kslab_stat_names(void);
void kslab_flush_this_cpu(struct kmem_cache *s);

/*
 * flush_all's work on the CPU this runs on (the IPI's handler): the
 * kernel's own flush_cpu_slab, handed the work item flush_all would queue.
 * Instrumented like the rest of the file: it is the kernel's code.
 */
void kslab_flush_this_cpu(struct kmem_cache *s)
{
	struct slub_flush_work sfw = { .s = s };

	flush_cpu_slab(&sfw.work);
}

KSLAB_NOTSAN long long kslab_slub_stat(const struct kmem_cache *s, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(kslab_stats); i++) {
		long long sum = 0;
		int cpu;

		if (strcmp(kslab_stats[i].name, name))
			continue;
		for_each_possible_cpu(cpu) sum +=
		    per_cpu_ptr(s->cpu_slab, cpu)->stat[kslab_stats[i].item];
		return sum;
	}
	return -1;
}

KSLAB_NOTSAN const char *const *kslab_stat_names(void)
{
	static const char *names[ARRAY_SIZE(kslab_stats) + 1];

	for (size_t i = 0; i < ARRAY_SIZE(kslab_stats); i++)
		names[i] = kslab_stats[i].name;
	return names;
}

KSLAB_NOTSAN void kslab_cache_layout(const struct kslab_cache *c, struct kslab_cache_layout *out)
{
	const struct kmem_cache *s = (const struct kmem_cache *)c;

	out->size = s->size;
	out->order = oo_order(s->oo);
	out->objects = oo_objects(s->oo);
	out->min_partial = s->min_partial;
	out->cpu_partial = s->cpu_partial;
	out->cpu_partial_slabs = s->cpu_partial_slabs;
}
