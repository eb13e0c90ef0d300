/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_assert.h - assertions in alloc/, in mimalloc's three tiers, chosen
 * at build time by SLAB_ASSERT_LEVEL (meson option alloc_assert):
 *
 *   0  none: every assertion compiles to nothing (release builds, and the
 *      kernel-shaped build, as a distribution kernel has !CONFIG_DEBUG_VM)
 *   1  SLAB_ASSERT: cheap checks of values the code already holds, where
 *      mm/slub.c has VM_BUG_ON (a frozen slab's owner, counts within
 *      objects, the object belongs to the cache it is freed to)
 *   2  SLAB_ASSERT_INTERNAL: checks that cost a little arithmetic on the
 *      slow paths (the object's offset in its slab)
 *   3  SLAB_ASSERT_EXPENSIVE: walks (the freed object is not on its slab's
 *      freelist already)
 *
 * An assertion reads only locals and fields that cannot change under it,
 * plainly, never through the port: it adds no point and no cycles, so a
 * correct run's output is the same at every level.  The condition is still
 * compiled at level 0 (and then discarded), so that it cannot rot.
 *
 * A failure goes to the port (slab_port_ops.assert_fail) with file, line
 * and condition: the simulator reports it as an allocator bug with its
 * schedule and stops the task there, as BUG() would; the native port
 * prints it and aborts.
 */
#ifndef SLAB_ASSERT_H
#define SLAB_ASSERT_H

#ifndef SLAB_ASSERT_LEVEL
#define SLAB_ASSERT_LEVEL 0
#endif

/* Reports a failed assertion through the port; returns only if the port does. */
void slab_assert_fail(const char *file, int line, const char *cond);

#define SLAB_ASSERT_AT(level, cond)                                               \
	do {                                                                      \
		if (SLAB_ASSERT_LEVEL >= (level) && __builtin_expect(!(cond), 0)) \
			slab_assert_fail(__FILE__, __LINE__, #cond);              \
	} while (0)

#define SLAB_ASSERT(cond) SLAB_ASSERT_AT(1, cond)
#define SLAB_ASSERT_INTERNAL(cond) SLAB_ASSERT_AT(2, cond)
#define SLAB_ASSERT_EXPENSIVE(cond) SLAB_ASSERT_AT(3, cond)

#endif /* SLAB_ASSERT_H */
