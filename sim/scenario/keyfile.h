/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * keyfile.h - what the scenario and profile readers need beyond GKeyFile:
 * reading a file with the system's own error, and the repeats GKeyFile
 * merges silently (a group given twice, a key given twice).
 */
#ifndef SIM_KEYFILE_H
#define SIM_KEYFILE_H

#include <glib.h>
#include <stdbool.h>

/*
 * One value as text, stripped; NULL with what was wrong in msg (a missing
 * key, or a bad escape: GLib returns the value and an error for "2\\",
 * and the error wins).
 */
char *sim_keyfile_get_text(GKeyFile *kf, const char *group, const char *key, char *msg,
			   unsigned msg_len);

/*
 * A whole text file (the reader above, then no NUL byte, which would end
 * the text early and hide what follows it); false with "PATH: cannot read:
 * why" or "PATH: a NUL byte; expected <what>" in err.
 */
bool sim_read_text_file(const char *path, const char *what, char **data, gsize *len, char *err,
			unsigned err_len);

/* Write a whole text file; false with "PATH: cannot write: why" in err. */
bool sim_write_text_file(const char *path, const GString *text, char *err, unsigned err_len);

/* Input files (scenarios, profiles, schedules, tables) are at most this big. */
#define SIM_INPUT_BYTES_MAX (16u << 20)

/*
 * The whole file; false with *errnum set (errno) if it cannot be read, or
 * EFBIG ("File too large") past SIM_INPUT_BYTES_MAX.
 */
bool sim_keyfile_read(const char *path, char **data, gsize *len, int *errnum);

/*
 * The first group header repeated in data, in file order, or NULL
 * (g_free the result).  Call only on data GKeyFile has parsed: every line
 * whose first non-blank is '[' is then a group header.
 */
char *sim_keyfile_repeated_group(const char *data, gsize len);

/* Does keys[i] repeat one of keys[0 .. i-1]? */
bool sim_keyfile_repeated_key(gchar **keys, unsigned i);

/* "FILE: [GROUP] KEY: msg" into err, leaving out GROUP and KEY when NULL. */
void sim_keyfile_error(char *err, unsigned err_len, const char *file, const char *group,
		       const char *key, const char *msg);

/*
 * A reader's place for its one error: the file as the user named it and
 * the caller's buffer.  The functions below write "FILE: [GROUP] KEY: ..."
 * there and return false (NULL), so that a reader says "return
 * sim_keyfile_fail(...)" and stops at the first problem.
 */
struct sim_keyfile_where {
	const char *file;
	char *err;
	unsigned err_len;
};

bool sim_keyfile_fail(const struct sim_keyfile_where *w, const char *group, const char *key,
		      const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* The whole file (sim_keyfile_read), or "FILE: cannot read: why". */
bool sim_keyfile_load(const struct sim_keyfile_where *w, char **data, gsize *len);
/* No group given twice (GKeyFile merges a repeat into the first silently). */
bool sim_keyfile_check_groups(const struct sim_keyfile_where *w, const char *data, gsize len);
/* keys[i] is not a repeat of an earlier key (GKeyFile keeps the last silently). */
bool sim_keyfile_check_key(const struct sim_keyfile_where *w, const char *group, gchar **keys,
			   unsigned i);
/* sim_keyfile_get_text, with what was wrong as the error. */
char *sim_keyfile_text(const struct sim_keyfile_where *w, GKeyFile *kf, const char *group,
		       const char *key);

#endif /* SIM_KEYFILE_H */
