/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * shadow_map.h - the shadow record's table (engine_checks.c): object
 * offset -> a nonzero record, open addressing with linear probing.
 *
 * Why not a GHashTable: every allocator call of a run looks its object up
 * and writes it back, and a run is short (exploration makes thousands):
 * GLib's table cost a seventh of explore's time, in its calls, its nodes
 * and its teardown.  Here a lookup is a multiply and, mostly, one probe
 * into one array; the table starts small and doubles at 3/4 full.
 */
#ifndef SIM_SHADOW_MAP_H
#define SIM_SHADOW_MAP_H

#include <stdint.h>

struct sim_shadow_slot {
	uint64_t key;
	uint64_t value; /* 0: an empty slot */
};

struct sim_shadow_map {
	struct sim_shadow_slot *slots;
	unsigned bits; /* 1 << bits slots */
	unsigned len;  /* slots in use */
};

void sim_shadow_map_init(struct sim_shadow_map *m);
void sim_shadow_map_free(struct sim_shadow_map *m);
/* Makes room for one more key (doubling at 3/4 full). */
void sim_shadow_map_grow(struct sim_shadow_map *m);
/* Every key with its value, in no particular order. */
void sim_shadow_map_foreach(const struct sim_shadow_map *m,
			    void (*fn)(uint64_t key, uint64_t value, void *arg), void *arg);

/* The slot of key, or the empty slot where it would go (Fibonacci hashing). */
static inline struct sim_shadow_slot *sim_shadow_map_slot(const struct sim_shadow_map *m,
							  uint64_t key)
{
	uint64_t mask = (1ull << m->bits) - 1;
	uint64_t i = (key * 0x9e3779b97f4a7c15ull) >> (64 - m->bits);
	while (m->slots[i].value && m->slots[i].key != key)
		i = (i + 1) & mask;
	return &m->slots[i];
}

/* The value of key, 0 when it has none. */
static inline uint64_t sim_shadow_map_get(const struct sim_shadow_map *m, uint64_t key)
{
	return sim_shadow_map_slot(m, key)->value;
}

/* key's value becomes value (not 0). */
static inline void sim_shadow_map_set(struct sim_shadow_map *m, uint64_t key, uint64_t value)
{
	struct sim_shadow_slot *s = sim_shadow_map_slot(m, key);
	if (!s->value) {
		if (4 * (m->len + 1) > 3u << m->bits) {
			sim_shadow_map_grow(m);
			s = sim_shadow_map_slot(m, key);
		}
		m->len++;
		s->key = key;
	}
	s->value = value;
}

#endif /* SIM_SHADOW_MAP_H */
