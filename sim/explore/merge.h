/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * merge.h - the shards of one exploration (result files, result.h) into
 * the result one process with the same budget gets: the same first
 * violation by run index, and the totals and coverage of exactly the runs
 * up to it.
 *
 * Every shard runs its indices in order until its own first violation, so
 * the runs of every index below the earliest violation F were done, by
 * some shard; the runs a shard did past F are left out.  The blocks below
 * the one that holds F are added up; that block's runs up to F are run
 * again here unless no shard went past F inside it.  Missing shards, and
 * shards stopped early (by time or a signal), leave a gap at the first
 * index nobody ran: the merge then counts the runs below it and says so.
 */
#ifndef SIM_MERGE_H
#define SIM_MERGE_H

#include "result.h"
#include "scenario.h"

/* What a merge knows beyond the merged result. */
struct sim_merge_design {
	bool complete;	  /* every run up to the find, or of the budget, was counted */
	uint64_t gap;	  /* !complete: the first index no shard ran */
	uint64_t rerun;	  /* runs run again to cut a block */
	GPtrArray *later; /* struct sim_result_find *: finds past the counted runs */
};

struct sim_merge_report {
	unsigned nr_missing;
	unsigned *missing; /* the shard indices no result came from, ascending */
	struct sim_merge_design *designs;
	unsigned nr_designs;
};

/*
 * in[0 .. n-1] must be of one scenario (sha256), build and settings, with
 * one shard count and no shard twice; otherwise false with "FILE: FIELD:
 * expected ... (as in FILE0), found ..." in err.  sc is the scenario the
 * results name (its hash is checked), for the runs made again.  out is
 * then the merged result (shard 0/1), as one process would have written
 * it, except for its time; rep says what was missing.
 */
bool sim_merge(struct sim_result *const *in, unsigned n, const struct sim_scenario *sc,
	       struct sim_result *out, struct sim_merge_report *rep, char *err, unsigned err_len);
void sim_merge_report_free(struct sim_merge_report *rep);

/* The exploration a result's settings describe, for design (NULL: none yet; shard 0/1, one job). */
bool sim_merge_config(const struct sim_result *r, const struct sim_scenario *sc, const char *design,
		      struct sim_explore_config *cfg, char *err, unsigned err_len);

#endif /* SIM_MERGE_H */
