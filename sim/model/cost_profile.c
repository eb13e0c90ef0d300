/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cost_profile.c - loading cost profiles: the shipped ones compiled in
 * (profiles_builtin.c, the text of the .ini files in sim/model/profiles/), or any
 * profile file by path.
 *
 * A profile must give every cost key exactly once, each an integer in
 * 0..SIM_COST_MAX, and a non-empty source for each: a value nobody can
 * trace back is not a value the simulator's predictions may rest on.  A key
 * the program does not know is refused rather than ignored, since it is
 * most likely a misspelt key whose real value would then be missing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "cost_profile.h"
#include "timing_model.h"
#include "keyfile.h"
#include "params.h"

/* Defined in profiles_builtin.c, generated from sim/model/profiles/ at build time. */
extern const char *const sim_builtin_profile_names[];
extern const char *const sim_builtin_profile_texts[];

static const char *const key_names[SIM_COST_COUNT] = {
#define SIM_COST_NAME(name, min, max, help) #name,
	SIM_COST_KEYS(SIM_COST_NAME)
#undef SIM_COST_NAME
};

static const char *const key_helps[SIM_COST_COUNT] = {
#define SIM_COST_HELP(name, min, max, help) help,
	SIM_COST_KEYS(SIM_COST_HELP)
#undef SIM_COST_HELP
};

static const struct sim_param_spec cost_spec = {
	"cost", SIM_PARAM_INT, 0, SIM_COST_MAX, .def = "0", .help = "cycles",
};

const char *sim_cost_key_name(enum sim_cost_key k)
{
	return (unsigned)k < SIM_COST_COUNT ? key_names[k] : "?";
}

const char *sim_cost_key_help(enum sim_cost_key k)
{
	return (unsigned)k < SIM_COST_COUNT ? key_helps[k] : "?";
}

int sim_cost_key_find(const char *name)
{
	for (int i = 0; i < SIM_COST_COUNT; i++)
		if (!strcmp(key_names[i], name))
			return i;
	return -1;
}

const char *const *sim_cost_profile_names(void)
{
	return sim_builtin_profile_names;
}

/* "FILE: [GROUP] KEY: msg", leaving out GROUP and KEY when NULL; returns false. */
#define fail(c, group, key, ...) sim_keyfile_fail(c, group, key, __VA_ARGS__)

static bool read_profile_group(struct sim_keyfile_where *c, GKeyFile *kf,
			       struct sim_cost_profile *out, bool *have_name, bool *have_desc)
{
	gchar **keys = g_key_file_get_keys(kf, "profile", NULL, NULL);
	bool ok = true;

	for (unsigned i = 0; ok && keys[i]; i++) {
		const char *key = keys[i];
		char *v;

		if (!sim_keyfile_check_key(c, "profile", keys, i)) {
			ok = false;
			break;
		}
		if (strcmp(key, "name") && strcmp(key, "description")) {
			ok = fail(c, "profile", key, "unknown key; expected name or description");
			break;
		}
		v = sim_keyfile_text(c, kf, "profile", key);
		if (!v) {
			ok = false;
			break;
		}
		if (!strcmp(key, "name")) {
			if (!*v || strlen(v) >= sizeof(out->name))
				ok = fail(c, "profile", key,
					  "expected a name of 1 to %zu characters, got '%s'",
					  sizeof(out->name) - 1, v);
			else
				g_strlcpy(out->name, v, sizeof(out->name));
			*have_name = true;
		} else {
			if (!*v || strlen(v) >= sizeof(out->description))
				ok = fail(c, "profile", key,
					  "expected a description of 1 to %zu characters, got '%s'",
					  sizeof(out->description) - 1, v);
			else
				g_strlcpy(out->description, v, sizeof(out->description));
			*have_desc = true;
		}
		g_free(v);
	}
	g_strfreev(keys);
	return ok;
}

/* "expected one of l1_hit, l2_hit, ...": every message about a bad cost key. */
static char *cost_key_list(void)
{
	GString *s = g_string_new(NULL);

	for (int i = 0; i < SIM_COST_COUNT; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", key_names[i]);
	return g_string_free(s, FALSE);
}

static bool unknown_cost_key(struct sim_keyfile_where *c, const char *group, const char *key)
{
	char *list = cost_key_list();

	fail(c, group, key, "unknown cost key; expected one of %s", list);
	g_free(list);
	return false;
}

static const uint32_t cost_min[SIM_COST_COUNT] = {
#define SIM_COST_MIN(name, min, max, help) min,
	SIM_COST_KEYS(SIM_COST_MIN)
#undef SIM_COST_MIN
};
static const uint32_t cost_max[SIM_COST_COUNT] = {
#define SIM_COST_MAX_OF(name, min, max, help) max,
	SIM_COST_KEYS(SIM_COST_MAX_OF)
#undef SIM_COST_MAX_OF
};

bool sim_cost_value_ok(enum sim_cost_key k, uint32_t v, char *msg, unsigned len)
{
	if (v >= cost_min[k] && v <= cost_max[k])
		return true;
	snprintf(msg, len, "expected %u .. %u (%s), got %u", cost_min[k], cost_max[k],
		 sim_cost_key_help(k), v);
	return false;
}

static bool read_costs_group(struct sim_keyfile_where *c, GKeyFile *kf,
			     struct sim_cost_profile *out, bool *have)
{
	gchar **keys = g_key_file_get_keys(kf, "costs", NULL, NULL);
	bool ok = true;

	for (unsigned i = 0; ok && keys[i]; i++) {
		int k = sim_cost_key_find(keys[i]);
		struct sim_param_value v;
		char msg[512];
		char *text;

		if (!sim_keyfile_check_key(c, "costs", keys, i)) {
			ok = false;
			break;
		}
		if (k < 0) {
			ok = unknown_cost_key(c, "costs", keys[i]);
			break;
		}
		text = sim_keyfile_text(c, kf, "costs", keys[i]);
		if (!text) {
			ok = false;
			break;
		}
		if (sim_param_parse(&cost_spec, text, &v, msg, sizeof(msg))) {
			sim_param_value_free(&v);
			if (!sim_cost_value_ok((enum sim_cost_key)k, (uint32_t)v.i, msg,
					       sizeof(msg)))
				ok = fail(c, "costs", keys[i], "%s", msg);
			out->cost[k] = (uint32_t)v.i;
			have[k] = true;
		} else {
			ok = fail(c, "costs", keys[i], "%s", msg);
		}
		g_free(text);
	}
	g_strfreev(keys);
	return ok;
}

static bool read_sources_group(struct sim_keyfile_where *c, GKeyFile *kf,
			       struct sim_cost_profile *out)
{
	gchar **keys = g_key_file_get_keys(kf, "sources", NULL, NULL);
	bool ok = true;

	for (unsigned i = 0; ok && keys[i]; i++) {
		int k = sim_cost_key_find(keys[i]);
		char *text;

		if (!sim_keyfile_check_key(c, "sources", keys, i)) {
			ok = false;
			break;
		}
		if (k < 0) {
			ok = unknown_cost_key(c, "sources", keys[i]);
			break;
		}
		text = sim_keyfile_text(c, kf, "sources", keys[i]);
		if (!text) {
			ok = false;
			break;
		}
		if (!*text) {
			ok = fail(c, "sources", keys[i],
				  "expected where the [costs] value comes from, got ''");
			g_free(text);
			break;
		}
		out->source[k] = text;
	}
	g_strfreev(keys);
	return ok;
}

/* [ranges]: "key = MIN MAX", each inside 0..SIM_COST_MAX, MIN <= MAX. */
static bool read_ranges_group(struct sim_keyfile_where *c, GKeyFile *kf,
			      struct sim_cost_profile *out)
{
	gchar **keys = g_key_file_get_keys(kf, "ranges", NULL, NULL);
	bool ok = true;

	for (unsigned i = 0; ok && keys[i]; i++) {
		int k = sim_cost_key_find(keys[i]);
		if (!sim_keyfile_check_key(c, "ranges", keys, i)) {
			ok = false;
			break;
		}
		if (k < 0) {
			ok = unknown_cost_key(c, "ranges", keys[i]);
			break;
		}
		char *text = sim_keyfile_text(c, kf, "ranges", keys[i]);
		if (!text) {
			ok = false;
			break;
		}
		long lo, hi;
		char end;
		if (sscanf(text, "%ld %ld %c", &lo, &hi, &end) != 2 || lo < 0 ||
		    hi > SIM_COST_MAX || lo > hi) {
			ok = fail(
			    c, "ranges", keys[i],
			    "expected MIN MAX, two integers with 0 <= MIN <= MAX <= %d, got '%s'",
			    SIM_COST_MAX, text);
		} else {
			out->has_range[k] = true;
			out->min[k] = (uint32_t)lo;
			out->max[k] = (uint32_t)hi;
		}
		g_free(text);
	}
	g_strfreev(keys);
	return ok;
}

/* Parse and check one profile's text; file names it in messages. */
static bool load_text(struct sim_keyfile_where *c, const char *data, gsize len,
		      struct sim_cost_profile *out)
{
	GKeyFile *kf = g_key_file_new();
	bool have_cost[SIM_COST_COUNT] = { false };
	bool have_name = false, have_desc = false;
	GError *e = NULL;
	gchar **groups = NULL;
	bool ok = true;

	/* Keep translations so that "key[de] = ..." is seen, and refused. */
	if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_KEEP_TRANSLATIONS, &e)) {
		ok = fail(c, NULL, NULL, "%s", e->message);
		g_error_free(e);
		goto out;
	}
	ok = sim_keyfile_check_groups(c, data, len);
	groups = g_key_file_get_groups(kf, NULL);
	for (unsigned i = 0; ok && groups[i]; i++) {
		const char *g = groups[i];

		if (!strcmp(g, "profile"))
			ok = read_profile_group(c, kf, out, &have_name, &have_desc);
		else if (!strcmp(g, "costs"))
			ok = read_costs_group(c, kf, out, have_cost);
		else if (!strcmp(g, "sources"))
			ok = read_sources_group(c, kf, out);
		else if (!strcmp(g, "ranges"))
			ok = read_ranges_group(c, kf, out);
		else
			ok = fail(
			    c, g, NULL,
			    "unknown group; expected [profile], [costs], [sources] or [ranges]");
	}
	if (ok && !have_name)
		ok = fail(c, "profile", "name", "missing; expected the profile's name");
	if (ok && !have_desc)
		ok = fail(c, "profile", "description", "missing; expected a one-line description");
	for (int k = 0; ok && k < SIM_COST_COUNT; k++)
		if (!have_cost[k])
			ok = fail(c, "costs", key_names[k],
				  "missing; expected an integer in 0..%d (%s)", SIM_COST_MAX,
				  key_helps[k]);
	for (int k = 0; ok && k < SIM_COST_COUNT; k++)
		if (!out->source[k])
			ok = fail(c, "sources", key_names[k],
				  "missing; expected where the [costs] value comes from");
	for (int k = 0; ok && k < SIM_COST_COUNT; k++)
		if (out->has_range[k] && (out->cost[k] < out->min[k] || out->cost[k] > out->max[k]))
			ok = fail(c, "costs", key_names[k],
				  "%u is outside its documented range; expected %u..%u ([ranges])",
				  out->cost[k], out->min[k], out->max[k]);
out:
	g_strfreev(groups);
	g_key_file_free(kf);
	return ok;
}

static bool is_path(const char *name)
{
	return strchr(name, '/') || g_str_has_suffix(name, ".ini");
}

static bool unknown_profile(const char *name, char *err, unsigned err_len)
{
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; sim_builtin_profile_names[i]; i++)
		g_string_append_printf(s, "%s, ", sim_builtin_profile_names[i]);
	snprintf(err, err_len, "unknown profile '%s': expected one of %sor a path to a .ini file",
		 name, s->str);
	g_string_free(s, TRUE);
	return false;
}

bool sim_cost_profile_load(const char *name_or_path, struct sim_cost_profile *out, char *err,
			   unsigned err_len)
{
	struct sim_keyfile_where c = { name_or_path, err, err_len };
	char *label = NULL;
	char *data = NULL;
	gsize len = 0;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (is_path(name_or_path)) {
		if (!sim_keyfile_load(&c, &data, &len))
			return false;
		ok = load_text(&c, data, len, out);
		g_free(data);
	} else {
		unsigned i;

		for (i = 0; sim_builtin_profile_names[i]; i++)
			if (!strcmp(sim_builtin_profile_names[i], name_or_path))
				break;
		if (!sim_builtin_profile_names[i])
			return unknown_profile(name_or_path, err, err_len);
		/* Messages name the file the text was copied from. */
		label = g_strdup_printf("sim/model/profiles/%s.ini", name_or_path);
		c.file = label;
		ok = load_text(&c, sim_builtin_profile_texts[i],
			       strlen(sim_builtin_profile_texts[i]), out);
		g_free(label);
	}
	if (!ok)
		sim_cost_profile_free(out);
	return ok;
}

void sim_cost_profile_free(struct sim_cost_profile *p)
{
	for (int k = 0; k < SIM_COST_COUNT; k++) {
		g_free(p->source[k]);
		p->source[k] = NULL;
	}
}
