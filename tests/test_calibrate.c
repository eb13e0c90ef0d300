/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_calibrate.c - calibrate (sim/model/calibrate.h) on a table the simulator
 * itself produced with known costs: the fit recovers the determined values
 * and predicts the table to within a fraction of a percent, whatever the
 * number of processes; the written profile loads and predicts the same;
 * a value the table cannot see is reported as not determined; bad tables
 * are refused with the file, line and column.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "calibrate.h"
#include "test_tmp.h"

/* A small scenario: three sizes, 300 operations, the overlap profile. */
static const char scenario_text[] =
    "[scenario]\nname = cal\nseed = 1\ncpus = 4\nmemory_mib = 64\n"
    "designs = v3.18, lameter-v1\nprofile = xeon-2014-overlap\n"
    "[task t]\nworkload = slab_test\ncpu = 0\nsizes = 8, 256, 4096\ncount = 300\n";

static const size_t sizes[] = { 8, 256, 4096 };

/* The table the simulator predicts for design d with costs, as CSV. */
static char *table_of(const struct sim_scenario *sc, const struct slab_design *d,
		      const uint32_t *cost)
{
	struct cal_table t = { .n = 9 };
	t.rows = g_new0(struct cal_row, 9);
	for (unsigned i = 0; i < 3; i++) {
		snprintf(t.rows[i].metric, sizeof(t.rows[i].metric), "test1 kmalloc(%zu)",
			 sizes[i]);
		snprintf(t.rows[3 + i].metric, sizeof(t.rows[i].metric), "test1 kfree(%zu)",
			 sizes[i]);
		snprintf(t.rows[6 + i].metric, sizeof(t.rows[i].metric), "test2 kmalloc+kfree(%zu)",
			 sizes[i]);
		t.rows[i].measured = t.rows[3 + i].measured = t.rows[6 + i].measured = 1;
	}
	double pred[9];
	char err[512];
	if (!cal_predict(sc, d, cost, &t, pred, err, sizeof(err)))
		fail_msg("%s", err);
	GString *s = g_string_new("test,size,op,cycles,extra\n");
	for (unsigned i = 0; i < 3; i++) {
		assert_false(isnan(pred[i]));
		g_string_append_printf(s, "repeat_alloc_then_free,%zu,kmalloc,%.3f,x\n", sizes[i],
				       pred[i]);
		g_string_append_printf(s, "repeat_alloc_then_free,%zu,kfree,%.3f,x\n", sizes[i],
				       pred[3 + i]);
		g_string_append_printf(s, "alloc_free_pair,%zu,kmalloc+kfree,%.3f,x\n", sizes[i],
				       pred[6 + i]);
	}
	g_free(t.rows);
	return g_string_free(s, FALSE);
}

static void load_scenario(struct sim_scenario *sc)
{
	char *path = write_tmp("cal.ini", scenario_text);
	char err[1024];
	if (!sim_scenario_load(path, sc, err, sizeof(err)))
		fail_msg("%s", err);
	g_free(path);
}

static void fit_recovers_known_costs(void **state)
{
	struct sim_scenario sc;
	load_scenario(&sc);
	const struct slab_design *d = slab_design_find("v3.18");
	uint32_t truth[SIM_COST_COUNT];
	memcpy(truth, sc.profile.cost, sizeof(truth));
	truth[SIM_COST_call] = 31; /* the profile starts at 20 */
	char *csv = table_of(&sc, d, truth);
	/* A value one task on one CPU never pays: a line another core modified. */
	sc.profile.has_range[SIM_COST_remote_modified] = true;
	sc.profile.min[SIM_COST_remote_modified] = 75;
	sc.profile.max[SIM_COST_remote_modified] = 100;
	char *path = write_tmp("known.csv", csv);
	char err[1024];
	struct cal_table t;
	if (!cal_table_load(path, "cycles", NULL, &t, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(t.n, 9);

	struct cal_fit one, two;
	assert_true(cal_fit(&sc, d, &t, 3, 1, &one, err, sizeof(err)));
	assert_true(cal_fit(&sc, d, &t, 3, 2, &two, err, sizeof(err)));
	/* Processes change the speed, never the result. */
	assert_memory_equal(one.best.cost, two.best.cost, sizeof(one.best.cost));
	assert_true(one.best.mean_error < 0.5);
	/* call is paid once per operation: every row sees it. */
	assert_in_range(one.best.cost[SIM_COST_call], 29, 33);
	for (unsigned i = 0; i < one.nr_free; i++) {
		enum sim_cost_key k = one.free_keys[i];
		assert_in_range(one.best.cost[k], sc.profile.min[k], sc.profile.max[k]);
	}

	struct cal_interval iv[SIM_COST_COUNT];
	struct cal_tradeoff tr[SIM_COST_COUNT * SIM_COST_COUNT / 2];
	unsigned nr_tr;
	assert_true(cal_identify(&sc, d, &t, &one, iv, tr, &nr_tr, err, sizeof(err)));
	for (unsigned i = 0; i < one.nr_free; i++) {
		assert_true(iv[i].lo <= one.best.cost[iv[i].key]);
		assert_true(iv[i].hi >= one.best.cost[iv[i].key]);
		/* Every operation pays call: the table pins it down. */
		if (iv[i].key == SIM_COST_call)
			assert_true(iv[i].hi - iv[i].lo <= 4);
		/* What the table never sees is equally good across its range. */
		if (iv[i].key == SIM_COST_remote_modified) {
			assert_int_equal(iv[i].lo, 75);
			assert_int_equal(iv[i].hi, 100);
		}
	}

	const struct cal_point *fits[9];
	unsigned n = cal_equally_good(&one, fits, 9);
	assert_true(n >= 1);
	assert_ptr_equal(fits[0], &one.best);
	for (unsigned i = 0; i < n; i++)
		assert_true(fits[i]->mean_error <= one.best.mean_error + CAL_TOLERANCE_POINTS);

	/* The written profile loads and predicts what the fit predicted. */
	char *out = g_build_filename(tmp_dir, "fitted.ini", NULL);
	assert_true(cal_write_profile(out, &sc.profile, &one, &t, "v3.18", "cal", "cal-fitted", 0.1,
				      0.1, err, sizeof(err)));
	struct sim_cost_profile p;
	if (!sim_cost_profile_load(out, &p, err, sizeof(err)))
		fail_msg("%s", err);
	assert_memory_equal(p.cost, one.best.cost, sizeof(p.cost));
	assert_true(p.has_range[SIM_COST_call]);
	sim_cost_profile_free(&p);

	g_free(out);
	cal_fit_free(&one);
	cal_fit_free(&two);
	cal_table_free(&t);
	g_free(path);
	g_free(csv);
	sim_scenario_free(&sc);
}

static void design_column_selects_rows(void **state)
{
	char *path = write_tmp("designs.csv", "design,test,size,op,cycles,noise\n"
					      "v3.18,alloc_free_pair,8,kmalloc+kfree,100,1.5\n"
					      "v4.0,alloc_free_pair,8,kmalloc+kfree,90,2\n");
	struct cal_table t;
	char err[512];
	assert_true(cal_table_load(path, "cycles", "v4.0", &t, err, sizeof(err)));
	assert_int_equal(t.n, 1);
	assert_true(t.rows[0].measured == 90);
	assert_true(t.rows[0].noise == 2);
	assert_string_equal(t.rows[0].metric, "test2 kmalloc+kfree(8)");
	assert_int_equal(strlen(t.sha256), 64);
	cal_table_free(&t);
	assert_false(cal_table_load(path, "cycles", "v5.15", &t, err, sizeof(err)));
	assert_non_null(strstr(err, "no rows of design v5.15"));
	g_free(path);
}

static void expect_table_error(const char *text, const char *want)
{
	char *path = write_tmp("bad.csv", text);
	struct cal_table t;
	char err[512];
	assert_false(cal_table_load(path, "cycles", NULL, &t, err, sizeof(err)));
	char *full = g_strdup_printf("%s%s", path, want);
	if (strcmp(err, full))
		fail_msg("got '%s', expected '%s'", err, full);
	g_free(full);
	g_free(path);
}

static void bad_tables_are_refused(void **state)
{
	expect_table_error("", ":1: empty; expected a header with test,size,op,cycles");
	expect_table_error("test,size,op\n",
			   ":1: no column 'cycles'; expected a header with test,size,op,cycles");
	expect_table_error("test,size,op,cycles\nalloc_free_pair,eight,kmalloc+kfree,5\n",
			   ":2: column 'size': expected a size in bytes, got 'eight'");
	expect_table_error(
	    "test,size,op,cycles\nalloc_free_pair,8,kfree,5\n",
	    ":2: columns 'test','op': expected repeat_alloc_then_free with kmalloc or "
	    "kfree, or alloc_free_pair with kmalloc+kfree, got 'alloc_free_pair','kfree'");
	expect_table_error("test,size,op,cycles\nalloc_free_pair,8,kmalloc+kfree,-5\n",
			   ":2: column 'cycles': expected positive cycles, got '-5'");
	expect_table_error("test,size,op,cycles\nalloc_free_pair,8,kmalloc+kfree,nan\n",
			   ":2: column 'cycles': expected positive cycles, got 'nan'");
	expect_table_error("test,size,op,cycles\nalloc_free_pair,8,kmalloc+kfree\n",
			   ":2: 3 fields; expected at least 4 as in the header");
	expect_table_error("test,size,op,cycles\nalloc_free_pair,8,kmalloc+kfree,5\n"
			   "alloc_free_pair,8,kmalloc+kfree,6\n",
			   ":3: row alloc_free_pair,8,kmalloc+kfree given twice");
	expect_table_error("test,size,op,cycles\n# only a comment\n",
			   ": no rows; expected slab_test rows");
}

static void nothing_to_fit_is_refused(void **state)
{
	struct sim_scenario sc;
	load_scenario(&sc);
	memset(sc.profile.has_range, 0, sizeof(sc.profile.has_range));
	char *path =
	    write_tmp("one.csv", "test,size,op,cycles\nalloc_free_pair,8,kmalloc+kfree,50\n");
	struct cal_table t;
	char err[512];
	assert_true(cal_table_load(path, "cycles", NULL, &t, err, sizeof(err)));
	struct cal_fit f;
	assert_false(cal_fit(&sc, slab_design_find("v3.18"), &t, 1, 1, &f, err, sizeof(err)));
	assert_non_null(strstr(err, "no value to fit"));
	cal_table_free(&t);
	g_free(path);
	sim_scenario_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fit_recovers_known_costs),
		cmocka_unit_test(design_column_selects_rows),
		cmocka_unit_test(bad_tables_are_refused),
		cmocka_unit_test(nothing_to_fit_is_refused),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
