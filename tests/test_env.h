/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_env.h - what the allocator tests share: bring up an allocator with
 * one design on the native port, and the end-of-test check (validator
 * clean, every page back in the page allocator).
 */
#ifndef TEST_ENV_H
#define TEST_ENV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "page_alloc.h"
#include "port_native.h"
#include "slab.h"
#include "slab_env.h"
#include "slab_world.h"

/* One cmocka test per safe design, the design's name as the test's state. */
#define FOR_SAFE(fn)                                             \
	cmocka_unit_test_prestate(fn, (void *)"v3.18"),          \
	    cmocka_unit_test_prestate(fn, (void *)"lameter-v1"), \
	    cmocka_unit_test_prestate(fn, (void *)"v4.0"),       \
	    cmocka_unit_test_prestate(fn, (void *)"v5.15"),      \
	    cmocka_unit_test_prestate(fn, (void *)"v5.19")

static inline void test_report(void *arg, const char *msg)
{
	print_message("validator: %s\n", msg);
}

static inline void test_open(const char *design, unsigned cpus, unsigned long mib)
{
	/* A failed test leaves its allocator up; the next one starts afresh. */
	if (slab_world_ready())
		slab_env_close();
	struct slab_env_config cfg;
	slab_env_defaults(&cfg);
	cfg.design = slab_design_find(design);
	assert_non_null(cfg.design);
	cfg.cpus = cpus;
	cfg.mib_per_node = mib;
	const char *err = slab_env_open(&cfg);
	if (err)
		fail_msg("slab_env_open: %s", err);
	native_set_cpu(0);
}

/* Shrink everything; the validator must be clean and no page held. */
static inline void test_close_clean(void)
{
	struct slab_env_check check;
	slab_env_finish(&check, test_report, NULL);
	assert_int_equal(check.problems, 0);
	assert_int_equal(check.slab_pages, 0);
	assert_int_equal(check.pages_in_use, 0);
	slab_env_close();
}

static inline unsigned long stat_total(enum stat_item si)
{
	unsigned long sum = 0;
	for (struct kmem_cache *s = slab_cache_first(); s; s = slab_cache_next(s))
		sum += slab_stat_sum(s, si);
	return sum;
}

#endif /* TEST_ENV_H */
