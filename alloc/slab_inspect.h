/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_inspect.h - reading the allocator's freelists from outside it: the
 * validator, the simulator's checks and the tests.
 *
 * A freelist value is one of three things: an object, NULL, or (in the
 * end-token designs) an end token, the slab's address with bit 0 set.  The
 * allocator decodes it through the port (get_freepointer, points and
 * costs); an observer must not, or it would add points to the run.  So
 * everything here reads memory plainly, and is only correct while no
 * allocator call is in flight (or, in the simulator, between two points:
 * the engine runs one operation at a time).
 *
 * A freelist may be corrupt (cyclic, or pointing outside its slab) when
 * the allocator has a bug: these helpers follow it without judging, and a
 * walker bounds its own steps (MAX_OBJS_PER_PAGE).
 */
#ifndef SLAB_INSPECT_H
#define SLAB_INSPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "slab_types.h"

/* An end token: bit 0 set, which no object address has. */
static inline bool slab_is_end_token(const void *p)
{
	return (uintptr_t)p & 1;
}

/* The object a freelist value holds, or NULL at the end (NULL or a token). */
static inline void *slab_freelist_object(const void *p)
{
	return !p || slab_is_end_token(p) ? NULL : (void *)p;
}

/*
 * The free pointer stored in object, as stored: the next object, NULL or
 * an end token.  The validator wants the terminator itself; walkers pass
 * it through slab_freelist_object().
 */
static inline void *slab_free_pointer_peek(const struct kmem_cache *s, const void *object)
{
	return *(void *const *)((const char *)object + s->offset);
}

/* The object after object on its freelist, or NULL at the end. */
static inline void *slab_freelist_next(const struct kmem_cache *s, const void *object)
{
	return slab_freelist_object(slab_free_pointer_peek(s, object));
}

/* Every object of the freelist that head starts, in list order (unbounded). */
#define slab_for_each_free(s, head, obj) \
	for ((obj) = slab_freelist_object(head); (obj); (obj) = slab_freelist_next((s), (obj)))

/* The slab (head page) holding the arena address p; p must be in the arena. */
struct page *slab_object_slab(const void *p);

/* One CPU's view of a cache, as the design keeps it. */
struct slab_cpu_view {
	struct page *slab;    /* the cpu slab, or NULL */
	void *freelist;	      /* c->freelist as stored: an object, a token or NULL */
	struct page *partial; /* the per-CPU partial list, frozen slabs */
	/*
	 * True for the end-token designs, where the cpu slab is not a field
	 * but the slab that c->freelist names.
	 */
	bool slab_from_freelist;
};

/*
 * Fills v with cpu's view of s.  Returns false when the cpu slab cannot be
 * named because c->freelist points outside the page arena (v->slab NULL).
 */
bool slab_cpu_inspect(const struct kmem_cache *s, unsigned cpu, struct slab_cpu_view *v);

#endif /* SLAB_INSPECT_H */
