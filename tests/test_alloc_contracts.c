/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_alloc_contracts.c - the observer's freelist API walks exactly a
 * slab's free objects, and a deliberately broken call trips its assertion
 * with file, line and condition, through the port's assert_fail hook.
 */
#include <stdlib.h>
#include <string.h>

#include "slab_assert.h"
#include "slab_inspect.h"
#include "test_env.h"

/*
 * The walk against what is known without it: the cpu slab's free objects
 * (its cpu freelist and its page freelist together) are exactly the
 * objects of the slab the test does not hold, each once.
 */
static void test_freelist_walk(void **state)
{
	test_open(*state, 1, 64);
	struct kmem_cache *s = kmem_cache_create("walk", 64, 8, slab_design_find(*state), NULL);
	assert_non_null(s);
	void *v[40];
	for (unsigned i = 0; i < 40; i++)
		v[i] = kmem_cache_alloc(s);
	/* Free every other one: the cpu freelist gets objects back. */
	for (unsigned i = 0; i < 40; i += 2)
		kmem_cache_free(s, v[i]);
	struct slab_cpu_view cv;
	assert_true(slab_cpu_inspect(s, 0, &cv));
	assert_non_null(cv.slab);
	char *base = slab_world_page_address(cv.slab);
	unsigned objects = counters_objects(cv.slab->counters), held = 0, n = 0;
	for (unsigned i = 1; i < 40; i += 2)
		held += slab_object_slab(v[i]) == cv.slab;
	bool *seen = calloc(objects, sizeof(bool));
	void *heads[2] = { cv.freelist, cv.slab->freelist }, *p;
	for (unsigned h = 0; h < 2; h++)
		slab_for_each_free(s, heads[h], p)
		{
			long d = (char *)p - base;
			assert_ptr_equal(slab_object_slab(p), cv.slab);
			assert_true(d >= 0 && d % s->size == 0 && d / s->size < objects);
			assert_false(seen[d / s->size]);
			seen[d / s->size] = true;
			for (unsigned i = 1; i < 40; i += 2)
				assert_ptr_not_equal(p, v[i]);
			n++;
		}
	free(seen);
	assert_true(n > 0);
	assert_int_equal(n, objects - held);
	for (unsigned i = 1; i < 40; i += 2)
		kmem_cache_free(s, v[i]);
	assert_int_equal(kmem_cache_destroy(s), 0);
	test_close_clean();
}

static jmp_buf assert_jmp;
static char assert_file[256], assert_cond[256];
static int assert_line;

/* BUG() for the test: record, and leave the broken call. */
static void record_assert(const char *file, int line, const char *cond)
{
	snprintf(assert_file, sizeof(assert_file), "%s", file);
	snprintf(assert_cond, sizeof(assert_cond), "%s", cond);
	assert_line = line;
	longjmp(assert_jmp, 1);
}

/*
 * A slab that is not the cpu slab: fill the first slab and one object of
 * the next, so that frees into the first take the slow path.
 */
static void *fill_first_slab(struct kmem_cache *s, void **v, unsigned *n)
{
	unsigned objects = oo_objects(s->oo);
	for (*n = 0; *n <= objects; (*n)++)
		v[*n] = kmem_cache_alloc(s);
	return v[0];
}

static void expect_assert(struct kmem_cache *s, void *x, const char *cond)
{
	struct slab_port_ops ops = native_port_ops;
	ops.assert_fail = record_assert;
	ops.sequential = true; /* one thread: nothing runs between two points */
	slab_port_install(&ops);
	assert_line = 0;
	if (!setjmp(assert_jmp))
		kmem_cache_free(s, x);
	slab_port_install(&native_port_ops);
	assert_true(assert_line > 0);
	assert_non_null(strstr(assert_file, "slub_slowpath.c"));
	assert_string_equal(assert_cond, cond);
	print_message("fired: %s:%d: %s\n", assert_file, assert_line, assert_cond);
}

static void test_free_to_wrong_cache(void **state)
{
	if (SLAB_ASSERT_LEVEL < 1)
		skip();
	test_open(*state, 1, 64);
	const struct slab_design *d = slab_design_find(*state);
	struct kmem_cache *a = kmem_cache_create("a", 64, 8, d, NULL);
	struct kmem_cache *b = kmem_cache_create("b", 128, 8, d, NULL);
	void *x = kmem_cache_alloc(a);
	void *y = kmem_cache_alloc(b);		      /* b has a cpu slab, not x's */
	expect_assert(b, x, "page->slab_cache == s"); /* the broken call: x is a's */
	kmem_cache_free(a, x);
	kmem_cache_free(b, y);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	test_close_clean();
}

/* SLAB_ASSERT_INTERNAL: a pointer into an object, not to it. */
static void test_free_misaligned(void **state)
{
	if (SLAB_ASSERT_LEVEL < 2)
		skip();
	test_open(*state, 1, 64);
	struct kmem_cache *s = kmem_cache_create("mis", 64, 8, slab_design_find(*state), NULL);
	void *v[MAX_OBJS_PER_PAGE];
	unsigned n;
	char *x = fill_first_slab(s, v, &n);
	expect_assert(s, x + 8, "object_in_slab(s, page, x)");
	for (unsigned i = 0; i < n; i++)
		kmem_cache_free(s, v[i]);
	assert_int_equal(kmem_cache_destroy(s), 0);
	test_close_clean();
}

/* SLAB_ASSERT_EXPENSIVE: the second free of an object finds it on the list. */
static void test_double_free(void **state)
{
	if (SLAB_ASSERT_LEVEL < 3)
		skip();
	test_open(*state, 1, 64);
	struct kmem_cache *s = kmem_cache_create("dbl", 64, 8, slab_design_find(*state), NULL);
	void *v[MAX_OBJS_PER_PAGE];
	unsigned n;
	void *x = fill_first_slab(s, v, &n);
	kmem_cache_free(s, x);
	expect_assert(s, x, "!slab_port_sequential() || !on_page_freelist(s, page, x)");
	for (unsigned i = 1; i < n; i++)
		kmem_cache_free(s, v[i]);
	assert_int_equal(kmem_cache_destroy(s), 0);
	test_close_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_SAFE(test_freelist_walk),
		FOR_SAFE(test_free_to_wrong_cache),
		FOR_SAFE(test_free_misaligned),
		FOR_SAFE(test_double_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
