/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_design.h - the fastpath design space: orthogonal knobs, and the named
 * presets built from them (reference: slub-fastpath-history.md).
 *
 * A design is chosen per cache at run time, so that one program, and one
 * run, can hold several designs side by side.
 */
#ifndef SLAB_DESIGN_H
#define SLAB_DESIGN_H

#include <stdbool.h>

/* How a freelist ends. */
enum slab_terminator {
	SLAB_TERM_NULL,	     /* NULL: an empty list names no slab */
	SLAB_TERM_END_TOKEN, /* slab address | 1: every list names its slab */
};

/* Where the fastpath finds the cpu slab's page. */
enum slab_page_source {
	SLAB_PAGE_FIELD,	 /* c->page */
	SLAB_PAGE_FROM_FREELIST, /* virt_to_head_page(c->freelist) */
};

/* How the fastpath reads the per-CPU structure and its tid. */
enum slab_read_protocol {
	/* preempt_disable; c = this_cpu_ptr; tid = c->tid; preempt_enable */
	SLAB_READ_PREEMPT_GUARD,
	/* tid = this_cpu_read(tid); object = this_cpu_read(freelist) */
	SLAB_READ_THIS_CPU,
	/* do { tid = this_cpu_read(tid); c = raw_cpu_ptr } while (tid != c->tid) */
	SLAB_READ_TID_RECHECK,
	/* c = raw_cpu_ptr; tid = READ_ONCE(c->tid) */
	SLAB_READ_RAW_PTR_FIRST,
	/* tid = this_cpu_read(tid); c = this_cpu_ptr; no re-check (mutant) */
	SLAB_READ_TID_THEN_PTR,
	/* c = this_cpu_ptr with no guard at all (mutant) */
	SLAB_READ_UNGUARDED,
};

/* What the fastpath's commit compares and swaps. */
enum slab_commit_width {
	SLAB_COMMIT_DOUBLE, /* this_cpu_cmpxchg_double(freelist, tid) */
	SLAB_COMMIT_SINGLE, /* this_cpu_cmpxchg(freelist) only: no tid (mutant) */
};

/* The order of the fastpath's loads from c. */
enum slab_load_order {
	SLAB_LOAD_TID_FIRST,	/* tid, then freelist and page */
	SLAB_LOAD_FIELDS_FIRST, /* page and freelist before tid (mutant) */
};

/*
 * How the free fastpath reads c->page and c->freelist (page-field designs
 * with a c pointer).
 */
enum slab_free_reads {
	/*
	 * freelist = READ_ONCE(c->freelist), read once (with the page) and
	 * used for both the link and the commit's expected value: the shape
	 * of 5076190daded (2020), kept by v5.15 and v5.19 here.
	 */
	SLAB_FREE_READS_ONCE,
	/*
	 * 3.18 and 4.0: if (page == c->page) { set_freepointer(x,
	 * c->freelist); this_cpu_cmpxchg_double(..., c->freelist, tid, ...) }:
	 * the page first, then the freelist for the link, then the freelist
	 * again as the commit's expected value (a second load).
	 */
	SLAB_FREE_READS_PAGE_THEN_TWICE,
};

/* How free decides that an object belongs to the cpu slab. */
enum slab_free_test {
	SLAB_FREE_TEST_EXACT,	  /* same head page */
	SLAB_FREE_TEST_V1_POSTED, /* the range test of V1 patch 3/7, as posted */
};

/* The shape of the allocation slow path (__slab_alloc). */
enum slab_slow_path {
	/*
	 * 3.18 .. 5.14: interrupts off for the whole of __slab_alloc, except
	 * around the page allocator in new_slab.
	 */
	SLAB_SLOW_IRQ_OFF,
	/*
	 * 5.15 ("SLUB: reduce irq disabled scope and make it RT
	 * compatible", Vlastimil Babka): __slab_alloc disables preemption
	 * only (slub_get_cpu_ptr); ___slab_alloc takes the per-CPU
	 * local_lock (local_lock_irqsave) in short sections, re-checks
	 * c->page after each lock, and runs get_partial, deactivate_slab
	 * and new_slab between them with interrupts on (new_slab also
	 * preemptible).  Page-field designs only.
	 */
	SLAB_SLOW_LOCAL_LOCK,
};

struct kslab_kernel;

struct slab_design {
	const char *name;
	const char *summary;
	bool mutant; /* a known bug, or one step off a safe design (its summary says which) */
	enum slab_terminator terminator;
	enum slab_page_source page_source;
	enum slab_read_protocol read_protocol;
	enum slab_commit_width commit;
	enum slab_load_order load_order;
	enum slab_free_test free_test;
	enum slab_free_reads free_reads;
	bool v1_posted_leak; /* V1 patch 6/7's lost slab page */
	/*
	 * __slab_alloc bumps the tid when it drops the cpu slab (the
	 * DEACTIVATE_BYPASS and node-mismatch paths), as "mm/slub: add missing
	 * TID updates on slab deactivation" (Jann Horn, 2022, v5.19) made it.
	 * Without it a fastpath preempted before its commit can still commit
	 * against the dropped slab: its NULL freelist aliases "no cpu slab".
	 */
	bool tid_on_deactivate;
	/*
	 * Not the port: a kernel's own mm/slub.c built in (alloc/kernel/,
	 * kslab.h), whose code is what runs; the knobs above do not apply.
	 */
	const struct kslab_kernel *kernel;
	/*
	 * The per-CPU partial list is limited in slabs, not free objects, as
	 * "mm, slub: change percpu partial accounting from objects to pages"
	 * and "mm/slub: increase default cpu partial list sizes" (Vlastimil
	 * Babka, 2021, v5.16) made it: the object limit is quadrupled (doubled
	 * from a page up) and turned into cpu_partial_slabs, the slabs that
	 * many objects fill when half full; put_cpu_partial drains a list of
	 * that many slabs, and get_partial_node stops after taking more than
	 * half as many to the per-CPU list.  Before (3.18 .. 5.15): a list
	 * over cpu_partial free objects drains, and get_partial_node stops
	 * once it holds more than cpu_partial / 2 free objects.
	 */
	bool cpu_partial_slabs;
	enum slab_slow_path slow_path;
};

/* A preset, or a design the program names (slab_design_named_at). */
const struct slab_design *slab_design_find(const char *name);
/* How many points the design's code can reach: the port's, or the kernel.* ones. */
unsigned slab_design_points(const struct slab_design *d);
/*
 * Designs found by name only, never in "all" or "safe" lists: the kernels
 * built into slabsim (sim/kernels_builtin.c.in).  NULL past the end.
 */
const struct slab_design *slab_design_named_at(unsigned i);
/* Presets in a fixed order; returns NULL past the end. */
const struct slab_design *slab_design_at(unsigned i);
unsigned slab_design_count(void);
/* NULL if the knobs are consistent, else what is wrong with them. */
const char *slab_design_check(const struct slab_design *d);

const char *slab_terminator_name(enum slab_terminator t);
const char *slab_page_source_name(enum slab_page_source p);
const char *slab_read_protocol_name(enum slab_read_protocol r);
const char *slab_commit_width_name(enum slab_commit_width c);
const char *slab_load_order_name(enum slab_load_order o);
const char *slab_free_test_name(enum slab_free_test f);
const char *slab_free_reads_name(enum slab_free_reads r);
const char *slab_slow_path_name(enum slab_slow_path p);

#endif /* SLAB_DESIGN_H */
