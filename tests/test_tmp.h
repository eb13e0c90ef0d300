/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_tmp.h - a temporary directory for tests that write files: made
 * before the group, emptied and removed after it.
 */
#ifndef TEST_TMP_H
#define TEST_TMP_H

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>

static char *tmp_dir;

static int make_tmp(void **state)
{
	GError *e = NULL;

	tmp_dir = g_dir_make_tmp("slabsim-test-XXXXXX", &e);
	if (!tmp_dir) {
		fprintf(stderr, "g_dir_make_tmp: %s\n", e->message);
		g_error_free(e);
		return -1;
	}
	return 0;
}

static int remove_tmp(void **state)
{
	GDir *d = g_dir_open(tmp_dir, 0, NULL);
	const char *f;

	while (d && (f = g_dir_read_name(d))) {
		char *p = g_build_filename(tmp_dir, f, NULL);

		g_remove(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(tmp_dir);
	g_free(tmp_dir);
	return 0;
}

/* Write text to tmp_dir/file; returns the path (g_free it). */
static char *write_tmp(const char *file, const char *text)
{
	char *path = g_build_filename(tmp_dir, file, NULL);

	assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

#endif /* TEST_TMP_H */
