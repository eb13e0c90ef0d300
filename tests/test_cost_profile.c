/*
 * test_cost_profile.c - cost profiles: every shipped profile loads, the
 * compiled-in text is byte for byte the file in sim/profiles/, and a
 * profile with a missing, unknown, badly valued or unsourced key is refused
 * with a message naming the file, group and key.
 *
 * The directory of the shipped .ini files comes from argv[1], or else from
 * the compile-time define SLABSIM_PROFILES_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "cost_profile.h"
#include "test_tmp.h"

/* Defined in sim/profiles_builtin.c. */
extern const char *const sim_builtin_profile_names[];
extern const char *const sim_builtin_profile_texts[];

static const char *profiles_dir;

static const char *builtin_text(const char *name)
{
	for (unsigned i = 0; sim_builtin_profile_names[i]; i++)
		if (!strcmp(sim_builtin_profile_names[i], name))
			return sim_builtin_profile_texts[i];
	fail_msg("no built-in profile %s", name);
	return NULL;
}

/*
 * The xeon-2014-preempt text with the first line starting with from
 * replaced by to (to NULL: the line removed), or to added after the
 * line starting with from when add is set.
 */
static char *edit(const char *from, const char *to, bool add)
{
	gchar **lines = g_strsplit(builtin_text("xeon-2014-preempt"), "\n", -1);
	GString *s = g_string_new(NULL);
	bool done = false;

	for (unsigned i = 0; lines[i]; i++) {
		bool hit = !done && g_str_has_prefix(lines[i], from);

		if (!hit || add)
			g_string_append_printf(s, "%s%s", lines[i], lines[i + 1] ? "\n" : "");
		if (hit && to)
			g_string_append_printf(s, "%s\n", to);
		done |= hit;
	}
	g_strfreev(lines);
	assert_true(done);
	return g_string_free(s, FALSE);
}

/* Load path; expect failure with message "path: rest". */
static void expect_error(const char *path, const char *rest)
{
	struct sim_cost_profile p;
	char err[4096];
	char *want = g_strdup_printf("%s: %s", path, rest);

	assert_false(sim_cost_profile_load(path, &p, err, sizeof(err)));
	assert_string_equal(err, want);
	g_free(want);
}

/* Edit the shipped text, write it, and expect rest as the message. */
static void expect_edit_error(const char *from, const char *to, bool add, const char *rest)
{
	char *text = edit(from, to, add);
	char *path = write_tmp("bad.ini", text);

	expect_error(path, rest);
	g_free(path);
	g_free(text);
}

static void test_shipped_load(void **state)
{
	const char *const *names = sim_cost_profile_names();
	unsigned n = 0;

	for (; names[n]; n++) {
		struct sim_cost_profile p;
		char err[4096] = "";

		if (!sim_cost_profile_load(names[n], &p, err, sizeof(err)))
			fail_msg("%s: %s", names[n], err);
		assert_string_equal(p.name, names[n]);
		assert_true(strlen(p.description) > 0);
		for (int k = 0; k < SIM_COST_COUNT; k++) {
			assert_non_null(p.source[k]);
			assert_true(strlen(p.source[k]) > 0);
			assert_true(p.cost[k] <= 1000000);
			assert_false(p.overridden[k]);
		}
		sim_cost_profile_free(&p);
	}
	assert_int_equal(n, 4);
}

/* The lever the profiles exist to expose: the preempt pair's cost. */
static void test_shipped_values(void **state)
{
	struct sim_cost_profile pre, nopre, desk;
	char err[4096];

	assert_true(sim_cost_profile_load("xeon-2014-preempt", &pre, err, sizeof(err)));
	assert_true(sim_cost_profile_load("xeon-2014-nopreempt", &nopre, err, sizeof(err)));
	assert_true(sim_cost_profile_load("haswell-desktop-2015", &desk, err, sizeof(err)));
	assert_int_equal(nopre.cost[SIM_COST_preempt_disable], 0);
	assert_int_equal(nopre.cost[SIM_COST_preempt_enable], 0);
	assert_true(pre.cost[SIM_COST_preempt_disable] + pre.cost[SIM_COST_preempt_enable] >= 9);
	assert_int_equal(desk.cost[SIM_COST_preempt_disable] + desk.cost[SIM_COST_preempt_enable],
			 2);
	assert_true(pre.cost[SIM_COST_l1_hit] >= 1 && pre.cost[SIM_COST_l1_hit] <= 2);
	assert_true(desk.cost[SIM_COST_remote_modified] < pre.cost[SIM_COST_remote_modified]);
	sim_cost_profile_free(&pre);
	sim_cost_profile_free(&nopre);
	sim_cost_profile_free(&desk);
}

static void test_key_names(void **state)
{
	assert_int_equal(sim_cost_key_find("l1_hit"), SIM_COST_l1_hit);
	assert_int_equal(sim_cost_key_find("irq_exit"), SIM_COST_irq_exit);
	assert_int_equal(sim_cost_key_find("l4_hit"), -1);
	assert_string_equal(sim_cost_key_name(SIM_COST_this_cpu_cmpxchg_double),
			    "this_cpu_cmpxchg_double");
	assert_string_equal(sim_cost_key_help(SIM_COST_dram), "line from memory");
}

/* The compiled-in text is the file on disk, and every file on disk is compiled in. */
static void test_embedded_equals_disk(void **state)
{
	const char *const *names = sim_cost_profile_names();
	GDir *d;
	const char *f;

	for (unsigned i = 0; names[i]; i++) {
		char *path = g_strdup_printf("%s/%s.ini", profiles_dir, names[i]);
		char *text = NULL;

		if (!g_file_get_contents(path, &text, NULL, NULL))
			fail_msg("cannot read %s", path);
		if (strcmp(text, sim_builtin_profile_texts[i]))
			fail_msg("%s differs from its copy in sim/profiles_builtin.c", path);
		g_free(text);
		g_free(path);
	}

	d = g_dir_open(profiles_dir, 0, NULL);
	assert_non_null(d);
	while ((f = g_dir_read_name(d))) {
		bool found = false;

		if (!g_str_has_suffix(f, ".ini"))
			continue;
		for (unsigned i = 0; names[i]; i++) {
			char *file = g_strdup_printf("%s.ini", names[i]);

			found |= !strcmp(file, f);
			g_free(file);
		}
		if (!found)
			fail_msg("%s/%s is not compiled in (sim/profiles_builtin.c)", profiles_dir, f);
	}
	g_dir_close(d);
}

/* Loading the file by path gives what loading the name gives. */
static void test_load_by_path(void **state)
{
	const char *const *names = sim_cost_profile_names();

	for (unsigned i = 0; names[i]; i++) {
		struct sim_cost_profile a, b;
		char *path = g_strdup_printf("%s/%s.ini", profiles_dir, names[i]);
		char err[4096] = "";

		assert_true(sim_cost_profile_load(names[i], &a, err, sizeof(err)));
		if (!sim_cost_profile_load(path, &b, err, sizeof(err)))
			fail_msg("%s", err);
		assert_string_equal(a.name, b.name);
		assert_string_equal(a.description, b.description);
		for (int k = 0; k < SIM_COST_COUNT; k++) {
			assert_int_equal(a.cost[k], b.cost[k]);
			assert_string_equal(a.source[k], b.source[k]);
		}
		sim_cost_profile_free(&a);
		sim_cost_profile_free(&b);
		g_free(path);
	}
}

static void test_missing_key(void **state)
{
	expect_edit_error("dram = 160", NULL, false,
			  "[costs] dram: missing; expected an integer in 0..1000000 (line from memory)");
}

static void test_unknown_key(void **state)
{
	char *text = edit("dram = 160", "l4_hit = 50", true);
	char *path = write_tmp("bad.ini", text);
	struct sim_cost_profile p;
	char err[4096];
	char *want = g_strdup_printf("%s: [costs] l4_hit: unknown cost key; expected one of l1_hit, "
				     "l2_hit, l3_hit, ",
				     path);

	assert_false(sim_cost_profile_load(path, &p, err, sizeof(err)));
	assert_true(g_str_has_prefix(err, want));
	assert_true(g_str_has_suffix(err, ", irq_entry, irq_exit"));
	g_free(want);
	g_free(path);
	g_free(text);
}

static void test_missing_source(void **state)
{
	expect_edit_error("dram = local DRAM", NULL, false,
			  "[sources] dram: missing; expected where the [costs] value comes from");
}

static void test_empty_source(void **state)
{
	expect_edit_error("dram = local DRAM", "dram =", false,
			  "[sources] dram: expected where the [costs] value comes from, got ''");
}

static void test_negative_value(void **state)
{
	expect_edit_error("l1_hit = 1", "l1_hit = -1", false,
			  "[costs] l1_hit: expected an integer in 0..1000000, got '-1'");
}

static void test_bad_values(void **state)
{
	expect_edit_error("l1_hit = 1", "l1_hit = 1000001", false,
			  "[costs] l1_hit: expected an integer in 0..1000000, got '1000001'");
	expect_edit_error("l1_hit = 1", "l1_hit = 1.5", false,
			  "[costs] l1_hit: expected an integer in 0..1000000, got '1.5'");
	expect_edit_error("l1_hit = 1", "l1_hit = 99999999999999999999999", false,
			  "[costs] l1_hit: expected an integer in 0..1000000, got "
			  "'99999999999999999999999'");
	expect_edit_error("l1_hit = 1", "l1_hit =", false,
			  "[costs] l1_hit: expected an integer in 0..1000000, got ''");
}

static void test_repeated(void **state)
{
	expect_edit_error("l2_hit = 12", "l1_hit = 2", false, "[costs] l1_hit: key given twice");
	expect_edit_error("[sources]", "[costs]", false, "[costs]: group given twice");
}

static void test_bad_groups(void **state)
{
	expect_edit_error("[sources]", "[extra]\nfoo = 1", true,
			  "[extra]: unknown group; expected [profile], [costs] or [sources]");
	expect_edit_error("name = xeon", NULL, false,
			  "[profile] name: missing; expected the profile's name");
	expect_edit_error("description = ", NULL, false,
			  "[profile] description: missing; expected a one-line description");
	expect_edit_error("name = xeon", "title = x", true,
			  "[profile] title: unknown key; expected name or description");
	expect_edit_error("l1_hit = 1", "l1_hit[de] = 1", false,
			  "[costs] l1_hit[de]: unknown cost key; expected one of l1_hit, l2_hit, "
			  "l3_hit, remote_clean, remote_modified, dram, store_miss, this_cpu_read, "
			  "this_cpu_cmpxchg, this_cpu_cmpxchg_double, cmpxchg_double, atomic_add, "
			  "this_cpu_ptr, preempt_disable, preempt_enable, irq_save, irq_restore, "
			  "spin_lock, spin_unlock, spin_wait, page_alloc, page_alloc_per_order, "
			  "page_free, page_free_per_order, compute, barrier, call, context_switch, "
			  "migrate, irq_entry, irq_exit");
}

static void test_missing_file(void **state)
{
	char *path = g_build_filename(tmp_dir, "nonexistent.ini", NULL);

	expect_error(path, "cannot read: No such file or directory");
	g_free(path);
}

static void test_not_a_key_file(void **state)
{
	char *path = write_tmp("junk.ini", "just some words\n");
	struct sim_cost_profile p;
	char err[4096];
	char *want = g_strdup_printf("%s: ", path);

	assert_false(sim_cost_profile_load(path, &p, err, sizeof(err)));
	assert_true(g_str_has_prefix(err, want));
	assert_non_null(strstr(err, "just some words"));
	g_free(want);
	g_free(path);
}

static void test_unknown_name(void **state)
{
	struct sim_cost_profile p;
	char err[4096];

	assert_false(sim_cost_profile_load("xeon-2014", &p, err, sizeof(err)));
	assert_string_equal(err, "unknown profile 'xeon-2014': expected one of xeon-2014-preempt, xeon-2014-debug-preempt, "
				 "xeon-2014-nopreempt, haswell-desktop-2015, or a path to a .ini "
				 "file");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_load),
		cmocka_unit_test(test_shipped_values),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_embedded_equals_disk),
		cmocka_unit_test(test_load_by_path),
		cmocka_unit_test(test_missing_key),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_missing_source),
		cmocka_unit_test(test_empty_source),
		cmocka_unit_test(test_negative_value),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_repeated),
		cmocka_unit_test(test_bad_groups),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_not_a_key_file),
		cmocka_unit_test(test_unknown_name),
	};

#ifdef SLABSIM_PROFILES_DIR
	profiles_dir = SLABSIM_PROFILES_DIR;
#endif
	if (argc > 1)
		profiles_dir = argv[1];
	if (!profiles_dir) {
		fprintf(stderr, "usage: %s PROFILES_DIR (the source tree's sim/profiles)\n", argv[0]);
		return 2;
	}
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
