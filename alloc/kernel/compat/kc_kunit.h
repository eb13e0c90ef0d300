/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kc_kunit.h - a KUnit-compatible layer for the kernel's own
 * lib/slub_kunit.c (CONFIG_KUNIT, the "debug" object of a kernel): the
 * names the test file and slub.c use (struct kunit, named resources,
 * KUNIT_CASE, KUNIT_EXPECT_EQ, kunit_test_suite), implemented in
 * kslab_kunit.c and run as cmocka tests by tests/test_kernel_kunit.c.
 * Only what slub_kunit.c uses is here.
 */
#ifndef KC_KUNIT_H
#define KC_KUNIT_H

struct kunit_resource {
	void *data;
	const char *name;
};

struct kunit {
	const char *name;
	int failures;
	const char *skipped; /* why, once kunit_skip ended the case */
	void *jump[5];	     /* where kunit_skip ends it (__builtin_setjmp) */
	struct kunit_resource *resources[4];
	unsigned int nr_resources;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};
#define KUNIT_CASE(fn) { .run_case = (fn), .name = #fn }

struct kunit_suite {
	const char *name;
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};
/* The suite of the file: one per kernel object (kslab_kunit.c runs it). */
#define kunit_test_suite(s) struct kunit_suite *kslab_kunit_suite = &(s)

int kunit_add_named_resource(struct kunit *test, void *init, void *free,
			     struct kunit_resource *res, const char *name, void *data);
struct kunit_resource *kunit_find_named_resource(struct kunit *test, const char *name);
#define kunit_put_resource(res) do { } while (0)

/* The test running now (kc_stubs.h has NULL when KUnit is off). */
#undef kunit_get_current_test
#define kunit_get_current_test() (current->kunit_test)

void kslab_kunit_expect(struct kunit *test, int ok, const char *file, int line,
			const char *what, long long left, long long right);
#define KUNIT_EXPECT_EQ(test, a, b)                                                   \
	kslab_kunit_expect((test), (long long)(a) == (long long)(b), __FILE__, __LINE__, \
			   #a " == " #b, (long long)(a), (long long)(b))

/* kunit_skip: the case ends here, marked skipped (kslab_kunit.c jumps back). */
void kslab_kunit_skip(struct kunit *test, const char *why) __attribute__((__noreturn__));
#define kunit_skip(test, ...) kslab_kunit_skip((test), "" __VA_ARGS__)

/* MODULE_LICENSE: kc_compiler.h's. */
#define MODULE_DESCRIPTION(x)

#endif /* KC_KUNIT_H */
