/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab_kunit.c - the KUnit-compatible layer (compat/kc_kunit.h) of a
 * kernel's "debug" object (CONFIG_SLUB_DEBUG and CONFIG_KUNIT on), which
 * also holds the tree's own lib/slub_kunit.c: named resources (slub.c
 * counts the errors it reports into the test's "slab_errors"), expectations,
 * and kslab.h's kslab_kunit_* to run the suite's cases one by one
 * (tests/test_kernel_kunit.c makes each a cmocka test).  Compiled like the
 * glue: kernel headers, not instrumented.
 */
#include <linux/slab.h>
#include "slab.h"

#include "kslab_internal.h"

extern struct kunit_suite *kslab_kunit_suite;

/* ---- What SLUB_DEBUG's code calls beyond the rest of the runtime. ---- */

const char *print_tainted(void)
{
	return "Not tainted";
}

/* The first byte of start[0 .. bytes) that is not c, or NULL. */
void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start;

	for (size_t i = 0; i < bytes; i++)
		if (p[i] != (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags)
{
	return kmalloc_array(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags);
}

void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

/* Allocation and free tracking keeps no stacks here (no stack depot). */
void stack_depot_init(void)
{
}

int mutex_trylock(struct mutex *m)
{
	if (m->locked)
		return 0;
	m->locked = 1;
	return 1;
}

/* ---- KUnit: named resources, expectations, the suite's cases. ---- */

int kunit_add_named_resource(struct kunit *test, void *init, void *free, struct kunit_resource *res,
			     const char *name, void *data)
{
	if (test->nr_resources == ARRAY_SIZE(test->resources))
		return -ENOMEM;
	res->name = name;
	res->data = data;
	test->resources[test->nr_resources++] = res;
	return 0;
}

struct kunit_resource *kunit_find_named_resource(struct kunit *test, const char *name)
{
	for (unsigned int i = 0; i < test->nr_resources; i++)
		if (!strcmp(test->resources[i]->name, name))
			return test->resources[i];
	return NULL;
}

static char *failure;
static unsigned long failure_len;

void kslab_kunit_expect(struct kunit *test, int ok, const char *file, int line, const char *what,
			long long left, long long right)
{
	if (ok)
		return;
	if (!test->failures++ && failure)
		snprintf(failure, failure_len, "%s:%d: expected %s, but %lld != %lld", file, line,
			 what, left, right);
}

void kslab_kunit_skip(struct kunit *test, const char *why)
{
	test->skipped = why;
	__builtin_longjmp(test->jump, 1);
}

const char *kslab_kunit_suite_name(void)
{
	return kslab_kunit_suite->name;
}

unsigned int kslab_kunit_cases(void)
{
	unsigned int n = 0;

	while (kslab_kunit_suite->test_cases[n].run_case)
		n++;
	return n;
}

const char *kslab_kunit_case_name(unsigned int i)
{
	return kslab_kunit_suite->test_cases[i].name;
}

int kslab_kunit_run_case(unsigned int i, char *msg, unsigned long len)
{
	struct kunit test = { .name = kslab_kunit_suite->test_cases[i].name };

	failure = msg;
	failure_len = len;
	if (len)
		msg[0] = 0;
	current->kunit_test = &test;
	if (kslab_kunit_suite->init && kslab_kunit_suite->init(&test)) {
		snprintf(msg, len, "the suite's init failed");
		test.failures++;
	} else {
		if (!__builtin_setjmp(test.jump))
			kslab_kunit_suite->test_cases[i].run_case(&test);
		if (kslab_kunit_suite->exit)
			kslab_kunit_suite->exit(&test);
	}
	if (test.skipped && len)
		snprintf(msg, len, "skipped: %s", test.skipped);
	current->kunit_test = NULL;
	failure = NULL;
	return test.failures;
}
