/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_kernel_kunit.c - the kernel's own lib/slub_kunit.c, from the same
 * tree, against its own mm/slub.c built with CONFIG_SLUB_DEBUG (the
 * kernel's "debug" object: alloc/kernel/kslab_kunit.c): each KUnit case is
 * a cmocka test; a failed KUNIT_EXPECT fails it with the kernel's line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "kslab.h"

static void run_case(void **state)
{
	unsigned int i = (unsigned int)(uintptr_t)*state;
	char msg[256];
	int failures = kslab_kunit_run_case(i, msg, sizeof(msg));

	printf("# %s.%s: %d failed expectations%s%s\n", kslab_kunit_suite_name(),
	       kslab_kunit_case_name(i), failures, failures ? ": " : "", failures ? msg : "");
	assert_int_equal(failures, 0);
}

int main(void)
{
	if (kslab_init(1, 0)) {
		fprintf(stderr, "test_kernel_kunit: the kernel did not boot\n");
		return 1;
	}
	unsigned int n = kslab_kunit_cases();
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));

	if (!n || !tests) {
		fprintf(stderr, "test_kernel_kunit: no KUnit cases\n");
		return 1;
	}
	printf("# Linux %s: lib/slub_kunit.c, suite %s, %u cases\n", kslab_kernel_version,
	       kslab_kunit_suite_name(), n);
	for (unsigned int i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){ kslab_kunit_case_name(i), run_case, NULL, NULL,
						(void *)(uintptr_t)i };
	int r = _cmocka_run_group_tests("slub_kunit", tests, n, NULL, NULL);
	free(tests);
	return r;
}
