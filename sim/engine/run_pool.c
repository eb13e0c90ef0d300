/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run_pool.c - the containers one run leaves for the next on its thread
 * (run_pool.h).  Each thread has its own pool: nothing is shared, so runs
 * on several threads need no lock.  One container a slot: a run takes
 * each once.
 */
#include <string.h>

#include "run_pool.h"

#if defined(__SANITIZE_ADDRESS__)
#define POOL_KEEPS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_KEEPS 0
#endif
#endif
#ifndef POOL_KEEPS
#define POOL_KEEPS 1
#endif

/* Blocks kept of each kind: a run's tasks and interrupt contexts (more are freed). */
#define POOL_BLOCKS_KEPT 8

struct run_pool {
	GArray *arrays[SIM_POOL_ARRAYS];
	guint elt_size[SIM_POOL_ARRAYS];
	GHashTable *tables[SIM_POOL_TABLES];
	struct {
		size_t size; /* of every block kept */
		unsigned nr;
		void *kept[POOL_BLOCKS_KEPT];
	} blocks[SIM_POOL_BLOCKS];
};

static void pool_free(gpointer p)
{
	struct run_pool *pool = p;
	for (unsigned i = 0; i < SIM_POOL_ARRAYS; i++)
		if (pool->arrays[i])
			g_array_free(pool->arrays[i], TRUE);
	for (unsigned i = 0; i < SIM_POOL_TABLES; i++)
		if (pool->tables[i])
			g_hash_table_destroy(pool->tables[i]);
	for (unsigned i = 0; i < SIM_POOL_BLOCKS; i++)
		for (unsigned j = 0; j < pool->blocks[i].nr; j++)
			g_free(pool->blocks[i].kept[j]);
	g_free(pool);
}

/* The calling thread's pool, freed when the thread ends. */
static GPrivate pool_key = G_PRIVATE_INIT(pool_free);

static struct run_pool *pool_get(void)
{
	struct run_pool *pool = g_private_get(&pool_key);
	if (!pool) {
		pool = g_new0(struct run_pool, 1);
		g_private_set(&pool_key, pool);
	}
	return pool;
}

GArray *sim_pool_array_take(enum sim_pool_array which, guint elt_size, guint reserve)
{
	if (POOL_KEEPS) {
		struct run_pool *pool = pool_get();
		GArray *a = pool->arrays[which];
		if (a && pool->elt_size[which] == elt_size) {
			pool->arrays[which] = NULL;
			return a; /* emptied when given back */
		}
	}
	return g_array_sized_new(FALSE, FALSE, elt_size, reserve);
}

void sim_pool_array_give(enum sim_pool_array which, GArray *a)
{
	if (!a)
		return;
	if (POOL_KEEPS) {
		struct run_pool *pool = pool_get();
		if (!pool->arrays[which]) {
			g_array_set_size(a, 0);
			pool->arrays[which] = a;
			pool->elt_size[which] = g_array_get_element_size(a);
			return;
		}
	}
	g_array_free(a, TRUE);
}

GHashTable *sim_pool_table_take(enum sim_pool_table which, GDestroyNotify value_free)
{
	if (POOL_KEEPS) {
		struct run_pool *pool = pool_get();
		GHashTable *t = pool->tables[which];
		if (t) {
			pool->tables[which] = NULL;
			return t; /* emptied when given back */
		}
	}
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, value_free);
}

void sim_pool_table_give(enum sim_pool_table which, GHashTable *t)
{
	if (!t)
		return;
	if (POOL_KEEPS) {
		struct run_pool *pool = pool_get();
		if (!pool->tables[which]) {
			g_hash_table_remove_all(t);
			pool->tables[which] = t;
			return;
		}
	}
	g_hash_table_destroy(t);
}

void *sim_pool_block_take(enum sim_pool_block which, size_t size)
{
	if (POOL_KEEPS) {
		struct run_pool *pool = pool_get();
		if (pool->blocks[which].nr && pool->blocks[which].size == size) {
			void *p = pool->blocks[which].kept[--pool->blocks[which].nr];
			return memset(p, 0, size);
		}
	}
	return g_malloc0(size);
}

void sim_pool_block_give(enum sim_pool_block which, void *p, size_t size)
{
	if (!p)
		return;
	if (POOL_KEEPS) {
		struct run_pool *pool = pool_get();
		if (pool->blocks[which].nr && pool->blocks[which].size != size) {
			/* Another size now (a grown map): the ones kept are of no use. */
			while (pool->blocks[which].nr)
				g_free(pool->blocks[which].kept[--pool->blocks[which].nr]);
		}
		if (pool->blocks[which].nr < POOL_BLOCKS_KEPT) {
			pool->blocks[which].size = size;
			pool->blocks[which].kept[pool->blocks[which].nr++] = p;
			return;
		}
	}
	g_free(p);
}
