/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * result.h - an exploration's result as a file (explore --result): what
 * merging the shards of one exploration needs to print exactly what one
 * process with the same budget prints (merge.h).
 *
 * A shard's runs stop at its own first violation, so its totals can
 * include runs after the first violation of the whole exploration.  To
 * count exactly the runs one process would, a result keeps its totals per
 * block of run indices (at most SIM_RESULT_BLOCKS blocks over the budget):
 * the merge adds the blocks below the cut and runs again only the indices
 * of the one block the cut falls in.  Distinct schedules are a set, not a
 * sum: each block keeps the schedule hashes first seen in it.
 *
 * The file is JSON, version SIM_RESULT_VERSION; every value is a function
 * of the scenario, the build, the settings and the shard, except the
 * "time" object:
 *
 *   { "format": "slabsim-explore-result", "version": 2,
 *     "build": "<git describe>",
 *     "scenario": { "path": "...", "name": "...", "sha256": "<hex>" },
 *     "settings": { "scheduler": "random|pct|bounded", "probability": P,
 *                   "depth": D, "bound": C, "window": [FROM, TO],
 *                   "master_seed": "<decimal>", "runs": BUDGET,
 *                   "time_budget": SECONDS },
 *     "shard": { "index": I, "count": N },
 *     "designs": [ {
 *        "design": "v4.0", "k": K, "budget": RUNS, "block_runs": B,
 *        "done": { "first": I, "stride": N, "count": C },   run indices done
 *        "stopped": "find|budget|time|interrupted|not-started|incomplete",
 *        "totals": { "runs", "points", "preemptions", "migrations",
 *                    "interrupts", "failures", "schedules" },
 *        "coverage": { "POINT": [RUNS_EXECUTED, RUNS_DECIDED], ... },
 *        "find": null | { "run", "seed": "<decimal>", "kind",
 *                         "workload_bug", "decisions", "text", "schedule" },
 *        "blocks": [ { "runs", "points", "preemptions", "migrations",
 *                      "interrupts", "failures", "executed": [..], "decided": [..],
 *                      "schedules": "<base64 of sorted little-endian u64>" } ]
 *     } ],
 *     "points": [ "<name of point 0>", ... ],   order of executed/decided
 *     "time": { "seconds": S, "designs": { "v4.0": S, ... } } }
 *
 * Seeds and hashes are decimal strings or packed bytes: JSON numbers lose
 * integers past 2^53.  A file is read only up to SIM_INPUT_BYTES_MAX (16
 * MiB): at about 11 bytes per distinct schedule and 1 KB per block, one
 * shard of a design should hold at most about a million distinct schedules.
 */
#ifndef SIM_RESULT_H
#define SIM_RESULT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "explore.h"

#define SIM_RESULT_FORMAT "slabsim-explore-result"
#define SIM_RESULT_VERSION 2 /* 2: failures (fail actions) in totals and blocks */
/*
 * Blocks over a budget, and the fewest runs a block has: a merge runs
 * again at most max(budget / SIM_RESULT_BLOCKS, SIM_RESULT_BLOCK_RUNS_MIN)
 * runs of a design (about 20,000 a second), and a design's blocks take
 * about 1 KB each in the file.
 */
#define SIM_RESULT_BLOCKS 256
#define SIM_RESULT_BLOCK_RUNS_MIN 256

/* Totals of the runs of one block of indices [j * block_runs, (j + 1) * block_runs). */
struct sim_result_block {
	uint64_t runs, points, preemptions, migrations, interrupts, failures;
	uint64_t executed[SLAB_POINT_COUNT], decided[SLAB_POINT_COUNT];
	GArray *schedules; /* uint64_t: hashes first seen in this block, ascending */
};

/* The first violation, as explore printed it. */
struct sim_result_find {
	uint64_t run, seed;
	char kind[48];
	bool workload_bug;
	unsigned decisions;
	char *text;	/* the violation's report */
	char *schedule; /* the schedule file written, or NULL */
};

/* What the runs of one design did. */
struct sim_result_design {
	char *design;
	uint64_t k, budget, block_runs;
	uint64_t first, stride, count; /* run indices done: first + stride * j, j < count */
	char stopped[16];
	struct sim_explore_result totals; /* its runs, k, totals, coverage, find */
	struct sim_result_find find;	  /* when totals.found */
	GArray *blocks;			  /* struct sim_result_block */
	GHashTable *seen;		  /* while recording: the hashes met so far */
};

/* The settings an exploration's runs depend on: shards must agree on them. */
struct sim_result_settings {
	char scheduler[16];
	double probability; /* the one in effect */
	unsigned depth, bound;
	uint64_t window_from, window_to;
	uint64_t master_seed, runs;
	double time_budget;
};

struct sim_result {
	char *file; /* where it was read from, for messages; NULL if made here */
	char *build;
	char *scenario_path, *scenario_name;
	char scenario_sha256[65];
	struct sim_result_settings settings;
	unsigned shard, shards;
	double seconds;
	GPtrArray *designs; /* struct sim_result_design */
};

/* A result for cfg's exploration (its scenario, settings and shard), with no designs yet. */
void sim_result_init(struct sim_result *r, const struct sim_explore_config *cfg);
void sim_result_free(struct sim_result *r);

/*
 * Recording a design: begin before sim_explore with cfg->record and
 * cfg->record_arg set to what it returns (NULL if r is NULL: nothing to
 * record), end after it with the result, and the find if there is one.
 */
struct sim_result_design *sim_result_begin(struct sim_result *r, struct sim_explore_config *cfg);
void sim_result_end(struct sim_result_design *d, const struct sim_explore_config *cfg,
		    const struct sim_explore_result *res, const struct sim_result_find *find);

/* A new design in r, with no runs yet, recording (d->seen made). */
struct sim_result_design *sim_result_add_design(struct sim_result *r, const char *name,
						uint64_t block_runs);
/*
 * cfg->design as a design this shard never started (stopped by a signal
 * before it): no runs, "stopped": "not-started", k 0 and the budget asked
 * for (a bounded search's may be smaller), which a merge does not compare.
 */
void sim_result_not_started(struct sim_result *r, const struct sim_explore_config *cfg);
/* Did this shard start d? */
bool sim_result_started(const struct sim_result_design *d);
/* The block size for a budget of runs indices. */
uint64_t sim_result_block_runs(uint64_t runs);
/* Add rec into d's blocks (and its hash set d->seen). */
void sim_result_add_record(struct sim_result_design *d, const struct sim_explore_record *rec);
/* Block j of d, made (empty, with the ones before it) if d has none yet. */
struct sim_result_block *sim_result_block_at(struct sim_result_design *d, uint64_t j);
/* The blocks' schedules in ascending order, and d->seen dropped: recording is over. */
void sim_result_sort_blocks(struct sim_result_design *d);
/* The settings of cfg. */
void sim_result_settings(struct sim_result_settings *s, const struct sim_explore_config *cfg);

/* The file's text; write it to path (false with "PATH: cannot write: why"). */
GString *sim_result_to_json(const struct sim_result *r);
bool sim_result_write(const char *path, const struct sim_result *r, char *err, unsigned err_len);
/*
 * Read a result file (at most SIM_INPUT_BYTES_MAX bytes); false with
 * "PATH: FIELD: expected ..., found ..." in err.
 */
bool sim_result_read(const char *path, struct sim_result *r, char *err, unsigned err_len);

void sim_result_find_free(struct sim_result_find *f);
/* A copy of from, with its own strings. */
void sim_result_find_copy(struct sim_result_find *to, const struct sim_result_find *from);

#endif /* SIM_RESULT_H */
