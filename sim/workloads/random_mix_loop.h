/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * random_mix_loop.h - the random_mix workload's loop, written once for
 * every machine that runs it: the simulator (wl_random_mix.c: a task on a
 * virtual CPU) and the differential test (tests/test_kernel_differential.c:
 * the port and the kernel's own slub.c, called directly).  Each includes
 * this file after defining
 *
 *   RANDOM_MIX_CTX            the type of the first argument
 *   RANDOM_MIX_FN(name)       the name the function gets
 *   RANDOM_MIX_KMALLOC(c, n)  RANDOM_MIX_KFREE(c, p)  RANDOM_MIX_TOUCH(c, p)
 *   RANDOM_MIX_KZALLOC(c, n)  (kzalloc: the object zeroed)
 *
 * so that the same seed draws the same sequence of kmallocs (of which
 * sizes) and kfrees (of which live object) on each.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rng.h"
#include "workloads.h"

struct random_mix_args {
	const int64_t *sizes; /* drawn uniformly */
	unsigned nr_sizes;
	unsigned ops;	   /* allocations + frees, before the final frees */
	unsigned live_max; /* objects held at most; live holds this many */
	int free_percent;  /* chance that an operation frees (while objects are held) */
	int zero_percent;  /* chance that an allocation is zeroed (kzalloc) */
};

struct random_mix_counts {
	unsigned allocs, frees; /* frees: during the ops, not the final ones */
};

/*
 * run: ops operations: free a random live object (always when live_max are
 * held, else with free_percent chance while any is held) or kmalloc a
 * random size; then free every object still held, last first.  n counts
 * the allocations and the frees of the ops.
 */
static inline void RANDOM_MIX_FN(run)(RANDOM_MIX_CTX c, const struct random_mix_args *a,
				      struct sim_rng *r, void **live, struct random_mix_counts *n)
{
	unsigned nlive = 0;

	n->allocs = n->frees = 0;
	for (unsigned i = 0; i < a->ops; i++) {
		bool do_free = nlive == a->live_max ||
			       (nlive > 0 && (int)sim_rng_below(r, 100) < a->free_percent);
		if (do_free) {
			unsigned k = (unsigned)sim_rng_below(r, nlive);
			RANDOM_MIX_KFREE(c, live[k]);
			live[k] = live[--nlive];
			n->frees++;
		} else {
			size_t size = (size_t)a->sizes[sim_rng_below(r, a->nr_sizes)];
			void *obj = wl_zero_draw(r, a->zero_percent) ? RANDOM_MIX_KZALLOC(c, size)
								     : RANDOM_MIX_KMALLOC(c, size);
			if (!obj)
				continue;
			RANDOM_MIX_TOUCH(c, obj);
			live[nlive++] = obj;
			n->allocs++;
		}
	}
	while (nlive)
		RANDOM_MIX_KFREE(c, live[--nlive]);
}
