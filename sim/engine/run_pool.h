/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run_pool.h - containers a run allocates and the next run on the same
 * thread takes back instead of allocating them again: the report's arrays
 * the engine's hash tables and the blocks it allocates for every task and
 * its shadow map (over 1 KiB each, which made malloc consolidate its free
 * lists at every run).  Explore makes thousands of runs a second,
 * and malloc and free of these were a tenth of a run's cost.
 *
 * What a pool hands out is empty (length 0, no entries), as a new one is:
 * a run reads nothing the one before left.  Under AddressSanitizer the pool
 * keeps nothing (every give frees, every take allocates), so a use after
 * a give is still caught.
 */
#ifndef SIM_RUN_POOL_H
#define SIM_RUN_POOL_H

#include <glib.h>

/* The report's arrays (struct sim_run_report), one slot each. */
enum sim_pool_array {
	SIM_POOL_DECISIONS,
	SIM_POOL_TRACE,
	SIM_POOL_CHOICES,
	SIM_POOL_SPANS,
	SIM_POOL_ACCESSES,
	SIM_POOL_WATCHED,
	SIM_POOL_ARRAYS
};

/* The engine's tables: string keys (g_free'd), values freed by the table's notify. */
enum sim_pool_table { SIM_POOL_BARRIERS, SIM_POOL_QUEUES, SIM_POOL_TABLES };

/* An empty array of elt_size elements, room for reserve of them. */
GArray *sim_pool_array_take(enum sim_pool_array which, guint elt_size, guint reserve);
/* a (NULL: nothing) back to the pool, or freed. */
void sim_pool_array_give(enum sim_pool_array which, GArray *a);
/* An empty table keyed by strings; value_free is the same for every take of which. */
GHashTable *sim_pool_table_take(enum sim_pool_table which, GDestroyNotify value_free);
/* t (NULL: nothing) emptied (its notifies run now) and back to the pool, or freed. */
void sim_pool_table_give(enum sim_pool_table which, GHashTable *t);

/* Blocks of one size a run allocates (several at most: POOL_BLOCKS_KEPT a kind). */
enum sim_pool_block { SIM_POOL_TASK, SIM_POOL_SHADOW, SIM_POOL_BLOCKS };

/* size bytes, zeroed, as g_malloc0 gives them. */
void *sim_pool_block_take(enum sim_pool_block which, size_t size);
/* p (NULL: nothing), of size bytes, back to the pool, or freed. */
void sim_pool_block_give(enum sim_pool_block which, void *p, size_t size);

#endif /* SIM_RUN_POOL_H */
