/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * shadow_map.c - the shadow record's table: creation, growth, walk.
 */
#include <glib.h>

#include "run_pool.h"
#include "shadow_map.h"

/* 64 slots (1 KiB): a race scenario's run hands out 20 to 40 objects. */
#define SHADOW_MAP_FIRST_BITS 6

void sim_shadow_map_init(struct sim_shadow_map *m)
{
	m->bits = SHADOW_MAP_FIRST_BITS;
	m->len = 0;
	/* One a run: the one the last run left (run_pool.h), zeroed. */
	m->slots = sim_pool_block_take(SIM_POOL_SHADOW, sizeof(*m->slots) << m->bits);
}

void sim_shadow_map_free(struct sim_shadow_map *m)
{
	sim_pool_block_give(SIM_POOL_SHADOW, m->slots, sizeof(*m->slots) << m->bits);
	m->slots = NULL;
}

void sim_shadow_map_grow(struct sim_shadow_map *m)
{
	struct sim_shadow_map old = *m;
	m->bits++;
	m->slots = g_new0(struct sim_shadow_slot, 1u << m->bits);
	for (uint64_t i = 0; i < 1ull << old.bits; i++)
		if (old.slots[i].value)
			*sim_shadow_map_slot(m, old.slots[i].key) = old.slots[i];
	g_free(old.slots);
}

void sim_shadow_map_foreach(const struct sim_shadow_map *m,
			    void (*fn)(uint64_t key, uint64_t value, void *arg), void *arg)
{
	for (uint64_t i = 0; i < 1ull << m->bits; i++)
		if (m->slots[i].value)
			fn(m->slots[i].key, m->slots[i].value, arg);
}
