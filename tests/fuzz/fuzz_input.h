/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_input.h - what the libFuzzer targets share: the readers take a path,
 * so each input is written to a file of its own first (in a directory made
 * once per process, removed at exit).
 */
#ifndef SIM_FUZZ_INPUT_H
#define SIM_FUZZ_INPUT_H

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static char *fuzz_dir;

static void fuzz_dir_remove(void)
{
	GDir *d = g_dir_open(fuzz_dir, 0, NULL);
	const char *f;
	while (d && (f = g_dir_read_name(d))) {
		char *p = g_build_filename(fuzz_dir, f, NULL);
		g_remove(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(fuzz_dir);
}

/* The input as the file fuzz_dir/name; its path (owned here). */
static const char *fuzz_input_file(const uint8_t *data, size_t size, const char *name)
{
	static char *path;
	if (!fuzz_dir) {
		fuzz_dir = g_dir_make_tmp("slabsim-fuzz-XXXXXX", NULL);
		if (!fuzz_dir)
			abort();
		atexit(fuzz_dir_remove);
	}
	g_free(path);
	path = g_build_filename(fuzz_dir, name, NULL);
	/* Plain stdio: g_file_set_contents syncs to disk, a hundred times slower. */
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	return path;
}

#endif /* SIM_FUZZ_INPUT_H */
