/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_zeroing.c - kzalloc (sim_kzalloc_node, __GFP_ZERO) hands out zeroed
 * memory on the port and on every kernel design built in: an object
 * dirtied, freed and allocated again zeroed (the same object: it heads the
 * cpu freelist) reads zero over its whole object size, and so does a
 * kmalloc_large block.  The workloads' zero_percent key is checked like
 * every other: out of range, exit 2 naming file, group, key and expected.
 * (check_kernel_zero.py: the kernel's memset is a kernel.range point.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "scenario.h"
#include "slab.h"
#include "slab_design.h"
#include "test_kernels.h"

static const char good[] = "[scenario]\nname = zeroing\nseed = 1\ncpus = 1\nmemory_mib = 8\n"
			   "designs = v5.19\n"
			   "[task t]\nworkload = slab_test\ncpu = 0\n";

static char *write_ini(const char *text, char **dir)
{
	*dir = g_dir_make_tmp("slabsim-zeroing-XXXXXX", NULL);
	char *path = g_build_filename(*dir, "zeroing.ini", NULL);
	assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void drop_ini(char *path, char *dir)
{
	remove(path);
	remove(dir);
	g_free(path);
	g_free(dir);
}

static unsigned nonzero(const unsigned char *p, size_t n)
{
	unsigned k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] != 0;
	return k;
}

/* Dirty an object of size bytes, free it, kzalloc the same size: zero. */
static void dirty_free_zero(struct sim_task *t, size_t size, bool same)
{
	unsigned char *p = sim_kmalloc(t, size);
	assert_non_null(p);
	memset(p, 0xa5, size);
	sim_kfree(t, p);
	unsigned char *q = sim_kzalloc_node(t, size, NUMA_NO_NODE);
	assert_non_null(q);
	if (same)
		assert_ptr_equal(q, p);
	if (nonzero(q, size))
		fail_msg("kzalloc(%zu) returned %u nonzero bytes", size, nonzero(q, size));
	sim_kfree(t, q);
}

static void zeroing(struct sim_task *t, const struct sim_params *p)
{
	dirty_free_zero(t, 64, true);
	dirty_free_zero(t, 100, true); /* kmalloc-128: its object size, 128, is zeroed too */
	unsigned char *r = sim_kmalloc(t, 100);
	memset(r, 0xa5, 128);
	sim_kfree(t, r);
	unsigned char *z = sim_kzalloc_node(t, 100, NUMA_NO_NODE);
	assert_ptr_equal(z, r);
	assert_int_equal(nonzero(z, 128), 0);
	sim_kfree(t, z);
	dirty_free_zero(t, 16384, false); /* kmalloc_large */
}

static void run_zeroing(const struct slab_design *d)
{
	char *dir, *path = write_ini(good, &dir);
	struct sim_scenario sc;
	char err[512];
	if (!sim_scenario_load(path, &sc, err, sizeof(err)))
		fail_msg("%s", err);
	struct sim_workload w = { .name = "zeroing", .run = zeroing };
	sc.tasks[0].workload = &w;
	struct sim_run_plan plan = { .design = d, .seed = 1 };
	struct sim_run_report r;
	if (!sim_run(&sc, &plan, &r, err, sizeof(err)))
		fail_msg("%s", err);
	if (r.violation)
		fail_msg("%s: %s", d->name, r.violation_text->str);
	print_message("%s: zeroed\n", d->name);
	sim_run_report_free(&r);
	sim_scenario_free(&sc);
	drop_ini(path, dir);
}

static void test_port_zeroes(void **state)
{
	run_zeroing(slab_design_find("v5.19"));
	run_zeroing(slab_design_find("v3.18"));
}

static void test_kernels_zero(void **state)
{
	const struct slab_design *designs[16];
	unsigned kernels = test_kernel_designs(designs, 16);
	for (unsigned i = 0; i < kernels; i++)
		run_zeroing(designs[i]);
	if (!kernels)
		skip(); /* built without -Dkernel_source / -Dkernel_tree */
}

static void expect_refused(const char *workload, const char *value)
{
	char *text = g_strdup_printf("[scenario]\nname = zeroing\nseed = 1\ncpus = 1\n"
				     "[task t]\nworkload = %s\ncpu = 0\nzero_percent = %s\n",
				     workload, value);
	char *dir, *path = write_ini(text, &dir);
	struct sim_scenario sc;
	char err[512];
	assert_false(sim_scenario_load(path, &sc, err, sizeof(err)));
	print_message("%s\n", err);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "[task t] zero_percent: expected an integer in 0..100"));
	char *found = g_strdup_printf("got '%s'", value);
	assert_non_null(strstr(err, found));
	g_free(found);
	drop_ini(path, dir);
	g_free(text);
}

static void test_bad_zero_percent(void **state)
{
	expect_refused("race_mix", "101");
	expect_refused("race_mix", "-1");
	expect_refused("random_mix", "half");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_zeroes),
		cmocka_unit_test(test_kernels_zero),
		cmocka_unit_test(test_bad_zero_percent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
