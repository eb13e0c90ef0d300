/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * params.c - typed, validated settings: the parser of one value against its
 * spec, and the typed getters components read their settings with.
 *
 * Parsing is strict on purpose: a scenario that says "cpus = 16x" or
 * "pinned = yes" is refused with what was expected, never read as 16 or as
 * false.  Messages carry no file, group or key; the reader that knows them
 * puts them in front.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "params.h"

/* "an integer in MIN..MAX": the phrase every INT and INT_LIST message uses. */
static void int_expectation(const struct sim_param_spec *spec, char *buf, size_t len)
{
	snprintf(buf, len, "an integer in %" PRId64 "..%" PRId64, spec->min, spec->max);
}

/*
 * Decimal digits with a '-' only when the range allows negatives: no '+',
 * no spaces, no hex, nothing after the number, no overflow.
 */
static bool parse_int(const struct sim_param_spec *spec, const char *text, int64_t *out)
{
	const char *p = text;
	char *end;

	if (*p == '-' && spec->min < 0)
		p++;
	if (!g_ascii_isdigit(*p))
		return false;
	while (g_ascii_isdigit(*p))
		p++;
	if (*p)
		return false;

	errno = 0;
	gint64 v = g_ascii_strtoll(text, &end, 10);
	if (errno || *end)
		return false;
	if (v < spec->min || v > spec->max)
		return false;
	*out = v;
	return true;
}

static bool parse_double(const struct sim_param_spec *spec, const char *text, double *out)
{
	char *end;

	/*
	 * g_ascii_strtod also takes leading spaces, "inf", "nan" and hex
	 * floats; none of those is a sensible setting, so allow only the
	 * characters of a plain decimal number.
	 */
	if (!*text || strspn(text, "0123456789+-.eE") != strlen(text))
		return false;
	errno = 0;
	double v = g_ascii_strtod(text, &end);
	if (errno || *end || end == text || !isfinite(v))
		return false;
	if (v < spec->dmin || v > spec->dmax)
		return false;
	*out = v;
	return true;
}

static bool parse_word(const struct sim_param_spec *spec, const char *text, int *out)
{
	for (int i = 0; spec->words && spec->words[i]; i++) {
		if (!strcmp(spec->words[i], text)) {
			*out = i;
			return true;
		}
	}
	return false;
}

static void word_expectation(const struct sim_param_spec *spec, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "one of");

	for (int i = 0; spec->words && spec->words[i] && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s %s", i ? "," : "", spec->words[i]);
}

/*
 * Comma-separated integers, spaces allowed around each.  On failure *bad
 * points at a g_malloc'd copy of the offending item, or is NULL when the
 * list as a whole is wrong (too long, or empty: g_strsplit("") gives no
 * items at all).
 */
static bool parse_list(const struct sim_param_spec *spec, const char *text, int64_t *vals,
		       unsigned *len, char **bad)
{
	gchar **items = g_strsplit(text, ",", -1);
	bool ok = true;
	unsigned n = 0;

	*bad = NULL;
	for (unsigned i = 0; items[i]; i++) {
		char *item = g_strstrip(items[i]);

		if (n == SIM_PARAM_LIST_MAX) {
			ok = false;
			break;
		}
		if (!parse_int(spec, item, &vals[n])) {
			*bad = g_strdup(item);
			ok = false;
			break;
		}
		n++;
	}
	g_strfreev(items);
	*len = n;
	return ok && n > 0;
}

bool sim_param_parse(const struct sim_param_spec *spec, const char *text,
		     struct sim_param_value *out, char *err, unsigned err_len)
{
	struct sim_param_value v;
	char what[512];
	char *bad = NULL;
	int64_t vals[SIM_PARAM_LIST_MAX];

	memset(&v, 0, sizeof(v));
	v.spec = spec;
	if (!text)
		text = "";

	switch (spec->type) {
	case SIM_PARAM_INT:
		if (parse_int(spec, text, &v.i))
			break;
		int_expectation(spec, what, sizeof(what));
		snprintf(err, err_len, "expected %s, got '%s'", what, text);
		return false;
	case SIM_PARAM_DOUBLE:
		if (parse_double(spec, text, &v.d))
			break;
		snprintf(err, err_len, "expected a number in %g..%g, got '%s'", spec->dmin,
			 spec->dmax, text);
		return false;
	case SIM_PARAM_BOOL:
		if (!strcmp(text, "true") || !strcmp(text, "false")) {
			v.b = !strcmp(text, "true");
			break;
		}
		snprintf(err, err_len, "expected true or false, got '%s'", text);
		return false;
	case SIM_PARAM_WORD:
		if (parse_word(spec, text, &v.word))
			break;
		word_expectation(spec, what, sizeof(what));
		snprintf(err, err_len, "expected %s, got '%s'", what, text);
		return false;
	case SIM_PARAM_INT_LIST:
		if (parse_list(spec, text, vals, &v.list_len, &bad)) {
			v.list = g_memdup2(vals, v.list_len * sizeof(vals[0]));
			break;
		}
		int_expectation(spec, what, sizeof(what));
		if (bad)
			snprintf(err, err_len,
				 "expected a comma-separated list of integers, each %s, got '%s' "
				 "in '%s'",
				 what, bad, text);
		else
			snprintf(err, err_len,
				 "expected a comma-separated list of 1 to %d integers, each %s, "
				 "got '%s'",
				 SIM_PARAM_LIST_MAX, what, text);
		g_free(bad);
		return false;
	case SIM_PARAM_STRING:
		break;
	default:
		snprintf(err, err_len, "bad parameter type %d (a bug)", (int)spec->type);
		return false;
	}

	/* Only on success does out own memory: a failed parse leaks nothing. */
	v.s = g_strdup(text);
	*out = v;
	return true;
}

void sim_params_init(struct sim_params *p, const struct sim_param_spec *specs)
{
	char err[512];
	unsigned n = 0;

	memset(p, 0, sizeof(*p));
	p->specs = specs;
	for (; specs && specs[n].key; n++) {
		struct sim_param_value *v = &p->v[n];

		if (n == SIM_PARAMS_MAX)
			g_error("parameter table with more than %d keys (a bug)", SIM_PARAMS_MAX);
		v->spec = &specs[n];
		if (!specs[n].def)
			continue; /* required: the reader checks that the file sets it */
		if (!sim_param_parse(&specs[n], specs[n].def, v, err, sizeof(err)))
			g_error("default of '%s' does not parse: %s (a bug)", specs[n].key, err);
	}
	p->count = n;
}

void sim_param_value_free(struct sim_param_value *v)
{
	g_free(v->s);
	g_free(v->list);
	v->s = NULL;
	v->list = NULL;
}

void sim_param_value_copy(struct sim_param_value *dst, const struct sim_param_value *src)
{
	*dst = *src;
	dst->s = g_strdup(src->s);
	dst->list = src->list ? g_memdup2(src->list, src->list_len * sizeof(src->list[0])) : NULL;
}

void sim_params_free(struct sim_params *p)
{
	for (unsigned i = 0; i < p->count; i++)
		sim_param_value_free(&p->v[i]);
}

void sim_params_copy(struct sim_params *dst, const struct sim_params *src)
{
	*dst = *src;
	for (unsigned i = 0; i < src->count; i++)
		sim_param_value_copy(&dst->v[i], &src->v[i]);
}

static const struct sim_param_value *lookup(const struct sim_params *p, const char *key,
					    enum sim_param_type type)
{
	for (unsigned i = 0; i < p->count; i++) {
		/*
		 * A workload reads its table every run, most often with the very
		 * literal its table names (one copy per file): the pointer, then
		 * the first letter, before strcmp.
		 */
		const char *k = p->v[i].spec->key;
		if (k != key && (k[0] != key[0] || strcmp(k, key)))
			continue;
		if (p->v[i].spec->type != type)
			g_error("parameter '%s' read as the wrong type (a bug)", key);
		return &p->v[i];
	}
	g_error("no parameter '%s' in the table (a bug)", key);
	return NULL;
}

int64_t sim_params_int(const struct sim_params *p, const char *key)
{
	return lookup(p, key, SIM_PARAM_INT)->i;
}

double sim_params_double(const struct sim_params *p, const char *key)
{
	return lookup(p, key, SIM_PARAM_DOUBLE)->d;
}

bool sim_params_bool(const struct sim_params *p, const char *key)
{
	return lookup(p, key, SIM_PARAM_BOOL)->b;
}

int sim_params_word(const struct sim_params *p, const char *key)
{
	return lookup(p, key, SIM_PARAM_WORD)->word;
}

const char *sim_params_string(const struct sim_params *p, const char *key)
{
	return lookup(p, key, SIM_PARAM_STRING)->s;
}

const int64_t *sim_params_list(const struct sim_params *p, const char *key, unsigned *len)
{
	const struct sim_param_value *v = lookup(p, key, SIM_PARAM_INT_LIST);

	*len = v->list_len;
	return v->list;
}

bool sim_params_is_set(const struct sim_params *p, const char *key)
{
	for (unsigned i = 0; i < p->count; i++)
		if (!strcmp(p->v[i].spec->key, key))
			return p->v[i].set;
	g_error("no parameter '%s' in the table (a bug)", key);
	return false;
}
