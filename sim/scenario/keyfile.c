/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * keyfile.c - reading key files with exact errors, and finding the repeats
 * GKeyFile merges silently.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "keyfile.h"

/* Our own loop rather than g_file_get_contents(), so that the caller's
 * message is "FILE: cannot read: <strerror>" without GLib repeating the name. */
bool sim_keyfile_read(const char *path, char **data, gsize *len, int *errnum)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*errnum = errno;
		return false;
	}
	GString *s = g_string_new(NULL);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		g_string_append_len(s, buf, (gssize)n);
		/* /dev/zero, or a file nobody meant: stop before it eats the machine. */
		if (s->len > SIM_INPUT_BYTES_MAX) {
			fclose(f);
			g_string_free(s, TRUE);
			*errnum = EFBIG;
			return false;
		}
	}
	if (ferror(f)) {
		*errnum = errno;
		fclose(f);
		g_string_free(s, TRUE);
		return false;
	}
	fclose(f);
	*len = s->len;
	*data = g_string_free(s, FALSE);
	return true;
}

char *sim_keyfile_repeated_group(const char *data, gsize len)
{
	gchar *text = g_strndup(data, len);
	gchar **lines = g_strsplit(text, "\n", -1);
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	char *repeated = NULL;

	for (unsigned i = 0; !repeated && lines[i]; i++) {
		char *p = lines[i];
		char *end;

		while (g_ascii_isspace(*p))
			p++;
		if (*p != '[' || !(end = strrchr(p, ']')))
			continue;
		*end = '\0';
		if (g_hash_table_contains(seen, p + 1))
			repeated = g_strdup(p + 1);
		g_hash_table_add(seen, p + 1);
	}
	g_hash_table_destroy(seen);
	g_strfreev(lines);
	g_free(text);
	return repeated;
}

bool sim_keyfile_repeated_key(gchar **keys, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (!strcmp(keys[j], keys[i]))
			return true;
	return false;
}

void sim_keyfile_error(char *err, unsigned err_len, const char *file, const char *group,
		       const char *key, const char *msg)
{
	if (group && key)
		snprintf(err, err_len, "%s: [%s] %s: %s", file, group, key, msg);
	else if (group)
		snprintf(err, err_len, "%s: [%s]: %s", file, group, msg);
	else
		snprintf(err, err_len, "%s: %s", file, msg);
}

char *sim_keyfile_get_text(GKeyFile *kf, const char *group, const char *key, char *msg,
			   unsigned msg_len)
{
	GError *e = NULL;
	char *v = g_key_file_get_string(kf, group, key, &e);
	if (!v || e) {
		if (g_error_matches(e, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE))
			snprintf(msg, msg_len,
				 "a bad escape in the value; expected \\s, \\n, \\t, "
				 "\\r or \\\\ after a backslash");
		else
			snprintf(msg, msg_len, "%s", e ? e->message : "cannot be read");
		if (e)
			g_error_free(e);
		g_free(v);
		return NULL;
	}
	return g_strstrip(v);
}

bool sim_read_text_file(const char *path, const char *what, char **data, gsize *len, char *err,
			unsigned err_len)
{
	int errnum = 0;
	if (!sim_keyfile_read(path, data, len, &errnum)) {
		snprintf(err, err_len, "%s: cannot read: %s", path, g_strerror(errnum));
		return false;
	}
	if (memchr(*data, '\0', *len)) {
		snprintf(err, err_len, "%s: a NUL byte; expected %s", path, what);
		g_free(*data);
		*data = NULL;
		return false;
	}
	return true;
}

bool sim_write_text_file(const char *path, const GString *text, char *err, unsigned err_len)
{
	GError *e = NULL;
	if (g_file_set_contents(path, text->str, (gssize)text->len, &e))
		return true;
	snprintf(err, err_len, "%s: cannot write: %s", path, e->message);
	g_error_free(e);
	return false;
}

bool sim_keyfile_fail(const struct sim_keyfile_where *w, const char *group, const char *key,
		      const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_keyfile_error(w->err, w->err_len, w->file, group, key, msg);
	return false;
}

bool sim_keyfile_load(const struct sim_keyfile_where *w, char **data, gsize *len)
{
	int errnum = 0;
	if (!sim_keyfile_read(w->file, data, len, &errnum))
		return sim_keyfile_fail(w, NULL, NULL, "cannot read: %s", g_strerror(errnum));
	return true;
}

bool sim_keyfile_check_groups(const struct sim_keyfile_where *w, const char *data, gsize len)
{
	char *group = sim_keyfile_repeated_group(data, len);
	bool ok = !group || sim_keyfile_fail(w, group, NULL, "group given twice");
	g_free(group);
	return ok;
}

bool sim_keyfile_check_key(const struct sim_keyfile_where *w, const char *group, gchar **keys,
			   unsigned i)
{
	return !sim_keyfile_repeated_key(keys, i) ||
	       sim_keyfile_fail(w, group, keys[i], "key given twice");
}

char *sim_keyfile_text(const struct sim_keyfile_where *w, GKeyFile *kf, const char *group,
		       const char *key)
{
	char msg[256];
	char *v = sim_keyfile_get_text(kf, group, key, msg, sizeof(msg));
	if (!v)
		sim_keyfile_fail(w, group, key, "%s", msg);
	return v;
}
