/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * faults.c - failslab-style failure injection ([faults], struct
 * sim_faults): which of the page allocator calls that tasks make fail.
 * The Nth call by number, and each call with a probability drawn from the
 * run's seed (the call's index into SIM_SEED_FAULT: the same calls fail in
 * every replay of the run, whatever the scheduler drew).
 */
#include "engine_internal.h"
#include "seeds.h"

bool sim_fault_page_alloc(struct sim_engine *e, struct sim_task *t)
{
	const struct sim_faults *f = e->faults;
	uint64_t n = ++e->report->page_alloc_calls;
	/* A fail action (explore's, or a decision) at this call's point. */
	bool fail =
	    t->fail_page_alloc || n == f->page_alloc_fail_nth ||
	    (f->page_alloc_fail_probability > 0 &&
	     sim_seed_uniform(e->fault_seed, SIM_SEED_FAULT, n) < f->page_alloc_fail_probability);
	t->fail_page_alloc = false;
	if (fail)
		e->report->page_alloc_faults++;
	return fail;
}
