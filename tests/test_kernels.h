/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel designs a test runs on: every kernel's own slub.c built in
 * (-Dkernel_source, -Dkernel_tree), the mutants (linux-6.1-tid-revert)
 * left out.  None in a build without kernels: the test skips.
 */
#ifndef TEST_KERNELS_H
#define TEST_KERNELS_H

#include "slab_design.h"

extern const struct slab_design *const slab_designs_named[];

/* Up to max of them into out; how many. */
static inline unsigned test_kernel_designs(const struct slab_design **out, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; slab_designs_named[i] && n < max; i++)
		if (slab_designs_named[i]->kernel && !slab_designs_named[i]->mutant)
			out[n++] = slab_designs_named[i];
	return n;
}

#endif /* TEST_KERNELS_H */
