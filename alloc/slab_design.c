/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_design.c - the named fastpath designs (presets and mutants) and the
 * names of their knobs.
 */
#include <string.h>

#include "port.h"
#include "slab_design.h"

static const struct slab_design presets[] = {
	{
	    .name = "v3.18",
	    .summary = "page field, preempt guard around (c, tid), double commit; free reads "
		       "c->page, then c->freelist twice",
	    .terminator = SLAB_TERM_NULL,
	    .page_source = SLAB_PAGE_FIELD,
	    .read_protocol = SLAB_READ_PREEMPT_GUARD,
	    .free_reads = SLAB_FREE_READS_PAGE_THEN_TWICE,
	},
	{
	    .name = "lameter-v1-posted",
	    .summary = "end tokens, page from freelist, no preempt ops; V1 as posted "
		       "(range free test of 3/7, slab leak of 6/7)",
	    .terminator = SLAB_TERM_END_TOKEN,
	    .page_source = SLAB_PAGE_FROM_FREELIST,
	    .read_protocol = SLAB_READ_THIS_CPU,
	    .free_test = SLAB_FREE_TEST_V1_POSTED,
	    .v1_posted_leak = true,
	},
	{
	    .name = "lameter-v1",
	    .summary = "end tokens, page from freelist, no preempt ops; exact free "
		       "test, no leak",
	    .terminator = SLAB_TERM_END_TOKEN,
	    .page_source = SLAB_PAGE_FROM_FREELIST,
	    .read_protocol = SLAB_READ_THIS_CPU,
	},
	{
	    .name = "v4.0",
	    .summary = "page field, tid re-read loop instead of the preempt guard; free "
		       "reads as 3.18",
	    .terminator = SLAB_TERM_NULL,
	    .page_source = SLAB_PAGE_FIELD,
	    .read_protocol = SLAB_READ_TID_RECHECK,
	    .free_reads = SLAB_FREE_READS_PAGE_THEN_TWICE,
	},
	{
	    .name = "v5.15",
	    .summary = "page field, raw_cpu_ptr then READ_ONCE(c->tid); 5.15's slow path: "
		       "___slab_alloc in local_lock sections with interrupts on between them "
		       "(c->page re-checked after each lock), preemptible around new_slab",
	    .terminator = SLAB_TERM_NULL,
	    .page_source = SLAB_PAGE_FIELD,
	    .read_protocol = SLAB_READ_RAW_PTR_FIRST,
	    .slow_path = SLAB_SLOW_LOCAL_LOCK,
	},
	{
	    .name = "v5.19",
	    .summary = "v5.15 (its local_lock slow path) with the missing TID updates on slab "
		       "deactivation (2022: DEACTIVATE_BYPASS and the node-mismatch "
		       "deactivation) and per-CPU partial lists limited in slabs (5.16)",
	    .terminator = SLAB_TERM_NULL,
	    .page_source = SLAB_PAGE_FIELD,
	    .read_protocol = SLAB_READ_RAW_PTR_FIRST,
	    .tid_on_deactivate = true,
	    .cpu_partial_slabs = true,
	    .slow_path = SLAB_SLOW_LOCAL_LOCK,
	},
	{
	    .name = "aba-2008",
	    .summary = "mutant: single-word cmpxchg on freelist, no tid (ABA)",
	    .mutant = true,
	    .terminator = SLAB_TERM_NULL,
	    .page_source = SLAB_PAGE_FIELD,
	    .read_protocol = SLAB_READ_UNGUARDED,
	    .commit = SLAB_COMMIT_SINGLE,
	},
	{
	    .name = "rostedt-2013",
	    .summary = "mutant: v3.18 without the preempt guard, page and freelist loaded "
		       "before tid: a stale page committed under a fresh tid, the effect the "
		       "Jan 2013 fix (\"slub: tid must be retrieved from the percpu area of "
		       "the current processor\") named, made by load order; the code it "
		       "fixed (tid loaded first through an unguarded c, from the old CPU's "
		       "area after a migration) fails here only where v3.18 does (README)",
	    .mutant = true,
	    .terminator = SLAB_TERM_NULL,
	    .page_source = SLAB_PAGE_FIELD,
	    .read_protocol = SLAB_READ_UNGUARDED,
	    .load_order = SLAB_LOAD_FIELDS_FIRST,
	},
	{
	    .name = "null-alias-2014",
	    .summary = "design-space mutant (no historical commit): tid by this_cpu_read "
		       "then c = this_cpu_ptr, no re-check, NULL terminator",
	    .mutant = true,
	    .terminator = SLAB_TERM_NULL,
	    .page_source = SLAB_PAGE_FIELD,
	    .read_protocol = SLAB_READ_TID_THEN_PTR,
	},
};

#define NR_PRESETS (sizeof(presets) / sizeof(presets[0]))

/*
 * The designs a program adds by name only (NULL-terminated): the kernels
 * built into it (sim/kernels_builtin.c.in, linked into slabsim).  Weak: a
 * program without them has none.
 */
extern const struct slab_design *const slab_designs_named[] __attribute__((weak));

const struct slab_design *slab_design_named_at(unsigned i)
{
	for (unsigned j = 0; slab_designs_named && slab_designs_named[j]; j++)
		if (j == i)
			return slab_designs_named[j];
	return NULL;
}

const struct slab_design *slab_design_find(const char *name)
{
	for (unsigned i = 0; slab_designs_named && slab_designs_named[i]; i++)
		if (!strcmp(slab_designs_named[i]->name, name))
			return slab_designs_named[i];
	for (unsigned i = 0; i < NR_PRESETS; i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	return NULL;
}

unsigned slab_design_points(const struct slab_design *d)
{
	return d->kernel ? SLAB_POINT_COUNT - SLAB_PORT_POINT_COUNT : SLAB_PORT_POINT_COUNT;
}

const struct slab_design *slab_design_at(unsigned i)
{
	return i < NR_PRESETS ? &presets[i] : NULL;
}

unsigned slab_design_count(void)
{
	return NR_PRESETS;
}

const char *slab_design_check(const struct slab_design *d)
{
	if (d->page_source == SLAB_PAGE_FROM_FREELIST && d->terminator != SLAB_TERM_END_TOKEN)
		return "page source 'freelist' needs the end-token terminator: "
		       "an empty NULL-terminated list names no page";
	if (d->page_source == SLAB_PAGE_FROM_FREELIST && d->read_protocol != SLAB_READ_THIS_CPU)
		return "page source 'freelist' is built on the this_cpu_read protocol";
	if (d->read_protocol == SLAB_READ_THIS_CPU && d->page_source != SLAB_PAGE_FROM_FREELIST)
		return "the this_cpu_read protocol reads no c, so it needs page "
		       "source 'freelist'";
	if (d->free_test == SLAB_FREE_TEST_V1_POSTED && d->page_source != SLAB_PAGE_FROM_FREELIST)
		return "the V1 free test compares against page->address of the "
		       "slab named by c->freelist";
	if (d->free_reads == SLAB_FREE_READS_PAGE_THEN_TWICE &&
	    (d->page_source != SLAB_PAGE_FIELD || d->load_order != SLAB_LOAD_TID_FIRST))
		return "free reads 'page-then-twice' compare c->page first: it needs page source "
		       "'page-field' and load order 'tid-first'";
	if (d->v1_posted_leak && d->terminator != SLAB_TERM_END_TOKEN)
		return "the V1 leak is a path of the end-token design";
	if (d->slow_path == SLAB_SLOW_LOCAL_LOCK && d->page_source != SLAB_PAGE_FIELD)
		return "the local_lock slow path re-checks c->page: it needs page source "
		       "'page-field'";
	return NULL;
}

const char *slab_terminator_name(enum slab_terminator t)
{
	return t == SLAB_TERM_NULL ? "null" : "end-token";
}

const char *slab_page_source_name(enum slab_page_source p)
{
	return p == SLAB_PAGE_FIELD ? "page-field" : "freelist";
}

const char *slab_read_protocol_name(enum slab_read_protocol r)
{
	switch (r) {
	case SLAB_READ_PREEMPT_GUARD:
		return "preempt-guard";
	case SLAB_READ_THIS_CPU:
		return "this-cpu-read";
	case SLAB_READ_TID_RECHECK:
		return "tid-recheck";
	case SLAB_READ_RAW_PTR_FIRST:
		return "raw-ptr-first";
	case SLAB_READ_TID_THEN_PTR:
		return "tid-then-ptr";
	case SLAB_READ_UNGUARDED:
		return "unguarded";
	}
	return "?";
}

const char *slab_commit_width_name(enum slab_commit_width c)
{
	return c == SLAB_COMMIT_DOUBLE ? "double" : "single";
}

const char *slab_load_order_name(enum slab_load_order o)
{
	return o == SLAB_LOAD_TID_FIRST ? "tid-first" : "fields-first";
}

const char *slab_free_test_name(enum slab_free_test f)
{
	return f == SLAB_FREE_TEST_EXACT ? "exact" : "v1-posted-range";
}

const char *slab_free_reads_name(enum slab_free_reads r)
{
	return r == SLAB_FREE_READS_ONCE ? "once" : "page-then-twice";
}

const char *slab_slow_path_name(enum slab_slow_path p)
{
	return p == SLAB_SLOW_IRQ_OFF ? "irq-off-3.18" : "local-lock-5.15";
}
