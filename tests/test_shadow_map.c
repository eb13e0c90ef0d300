/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_shadow_map.c - the shadow record's table (sim/engine/shadow_map.h):
 * what is set is got back, overwritten in place, never lost when the table
 * grows, and walked once each; an absent key reads 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "shadow_map.h"

/* Offsets as objects have them: multiples of 8 (and 0), plus odd ones. */
static uint64_t key_of(unsigned i)
{
	return i % 7 == 3 ? (uint64_t)i * 8 + 5 : (uint64_t)i * 8;
}

struct walk {
	unsigned seen;
	uint64_t sum;
};

static void walk_one(uint64_t key, uint64_t value, void *arg)
{
	struct walk *w = arg;
	w->seen++;
	w->sum += value - key;
}

static void test_set_get_grow_walk(void **state)
{
	struct sim_shadow_map m;
	sim_shadow_map_init(&m);
	unsigned first_bits = m.bits;
	const unsigned n = 5000; /* many doublings from the first size */
	for (unsigned i = 0; i < n; i++) {
		assert_true(sim_shadow_map_get(&m, key_of(i)) == 0);
		sim_shadow_map_set(&m, key_of(i), key_of(i) + 1 + (1ull << 63));
		assert_true(sim_shadow_map_get(&m, key_of(i)) == key_of(i) + 1 + (1ull << 63));
	}
	assert_true(m.len == n);
	assert_true(m.bits > first_bits);
	assert_true(4 * m.len <= 3u << m.bits);
	/* Overwrites keep the count; every key still reads its own value. */
	for (unsigned i = 0; i < n; i += 2)
		sim_shadow_map_set(&m, key_of(i), key_of(i) + 2 + (1ull << 63));
	assert_true(m.len == n);
	uint64_t expect = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t v = key_of(i) + (i % 2 ? 1 : 2) + (1ull << 63);
		assert_true(sim_shadow_map_get(&m, key_of(i)) == v);
		expect += v - key_of(i);
	}
	assert_true(sim_shadow_map_get(&m, (uint64_t)n * 8 + 8) == 0);
	assert_true(sim_shadow_map_get(&m, 1) == 0);
	struct walk w = { 0, 0 };
	sim_shadow_map_foreach(&m, walk_one, &w);
	assert_true(w.seen == n);
	assert_true(w.sum == expect);
	sim_shadow_map_free(&m);
	assert_null(m.slots);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_get_grow_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
