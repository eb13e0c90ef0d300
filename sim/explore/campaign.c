/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * campaign.c - reading campaign files (campaign.h) and slicing them into
 * tasks.
 */
#include <stdio.h>
#include <string.h>

#include "campaign.h"
#include "explore.h"
#include "keyfile.h"
#include "scenario.h"

static void cell_free(gpointer p)
{
	struct sim_campaign_cell *cell = p;
	g_free(cell->name);
	g_free(cell->scenario);
	g_free(cell->designs);
	g_free(cell);
}

void sim_campaign_free(struct sim_campaign *c)
{
	g_free(c->path);
	g_free(c->name);
	g_free(c->description);
	if (c->cells)
		g_ptr_array_free(c->cells, TRUE);
	memset(c, 0, sizeof(*c));
}

/* A path given relative to the campaign file, as short as it can be from here. */
static char *scenario_path(const char *campaign, const char *given)
{
	char *dir = g_path_get_dirname(campaign);
	char *cwd = g_get_current_dir();
	char *base = g_canonicalize_filename(dir, cwd);
	char *full = g_canonicalize_filename(given, base);
	size_t n = strlen(cwd);
	char *out =
	    !strncmp(full, cwd, n) && full[n] == '/' ? g_strdup(full + n + 1) : g_strdup(full);
	g_free(dir);
	g_free(cwd);
	g_free(base);
	g_free(full);
	return out;
}

/* A comma-separated list, each item stripped. */
static gchar **split_list(const char *text)
{
	gchar **items = g_strsplit(text, ",", -1);
	for (unsigned i = 0; items[i]; i++)
		g_strstrip(items[i]);
	return items;
}

/* designs: names of this build's designs, none twice, as the list "a,b" into *out. */
static bool read_designs(const struct sim_keyfile_where *w, const char *group, const char *text,
			 char **out, unsigned *n)
{
	gchar **items = split_list(text);
	GString *list = g_string_new(NULL);
	bool ok = true;
	*n = 0;
	for (unsigned i = 0; ok && items[i]; i++) {
		if (!slab_design_find(items[i]))
			ok = sim_keyfile_fail(w, group, "designs",
					      "expected design names (slabsim designs), found '%s'",
					      items[i]);
		else if (sim_keyfile_repeated_key(items, i))
			ok = sim_keyfile_fail(w, group, "designs", "'%s' given twice", items[i]);
		g_string_append_printf(list, "%s%s", i ? "," : "", items[i]);
		++*n;
	}
	g_strfreev(items);
	*out = g_string_free(list, !ok);
	return ok;
}

/* The cells of one [explore NAME] group, appended to c. */
static bool read_explore(const struct sim_keyfile_where *w, GKeyFile *kf, const char *group,
			 const char *name, struct sim_campaign *c)
{
	static const char *const known[] = { "scenario", "designs", "schedulers", "runs", "seed" };
	gchar **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	bool ok = true;
	for (unsigned i = 0; ok && keys[i]; i++) {
		unsigned k = 0;
		while (k < G_N_ELEMENTS(known) && strcmp(keys[i], known[k]))
			k++;
		ok = sim_keyfile_check_key(w, group, keys, i) &&
		     (k < G_N_ELEMENTS(known) ||
		      sim_keyfile_fail(w, group, keys[i],
				       "unknown key; expected scenario, designs, schedulers, runs "
				       "or seed"));
	}
	g_strfreev(keys);
	if (!ok)
		return false;
	char *scenario = NULL, *designs = NULL, *sched = NULL, *runs = NULL, *seed = NULL;
	char *path = NULL, *list = NULL, err[1024];
	gchar **scheds = NULL;
	struct sim_scenario sc = { 0 };
	unsigned nr_designs = 0;
	guint64 budget = 0, seed_value = 0;
	ok = (scenario = sim_keyfile_text(w, kf, group, "scenario")) &&
	     (runs = sim_keyfile_text(w, kf, group, "runs"));
	if (ok && !g_ascii_string_to_unsigned(runs, 10, 1, INT64_MAX, &budget, NULL))
		ok = sim_keyfile_fail(w, group, "runs",
				      "expected a budget of runs 1 .. 2^63-1, found '%s'", runs);
	if (ok && g_key_file_has_key(kf, group, "seed", NULL)) {
		ok = (seed = sim_keyfile_text(w, kf, group, "seed")) &&
		     (g_ascii_string_to_unsigned(seed, 10, 0, G_MAXUINT64, &seed_value, NULL) ||
		      sim_keyfile_fail(w, group, "seed",
				       "expected a master seed 0 .. 2^64-1, found '%s'", seed));
	}
	if (ok) {
		path = scenario_path(w->file, scenario);
		if (!sim_scenario_load(path, &sc, err, sizeof(err)))
			ok = sim_keyfile_fail(w, group, "scenario", "%s", err);
	}
	if (ok && g_key_file_has_key(kf, group, "designs", NULL))
		ok = (designs = sim_keyfile_text(w, kf, group, "designs")) &&
		     read_designs(w, group, designs, &list, &nr_designs);
	else if (ok)
		nr_designs = sc.nr_designs;
	if (ok && g_key_file_has_key(kf, group, "schedulers", NULL))
		ok = (sched = sim_keyfile_text(w, kf, group, "schedulers")) != NULL;
	scheds = split_list(ok && sched ? sched : "random");
	for (unsigned i = 0; ok && scheds[i]; i++) {
		enum sim_scheduler k;
		/* The exhaustive search runs in one process: it has no slices. */
		if (!sim_explore_scheduler_find(scheds[i], &k) || k == SIM_SCHED_EXHAUSTIVE)
			ok = sim_keyfile_fail(w, group, "schedulers",
					      "expected random, pct or bounded, found '%s'",
					      scheds[i]);
		else if (sim_keyfile_repeated_key(scheds, i))
			ok =
			    sim_keyfile_fail(w, group, "schedulers", "'%s' given twice", scheds[i]);
		else {
			struct sim_campaign_cell *cell = g_new0(struct sim_campaign_cell, 1);
			cell->name = g_strdup_printf("%s.%s", name, sim_explore_scheduler_name(k));
			cell->scenario = g_strdup(path);
			cell->designs = g_strdup(list);
			cell->scheduler = sim_explore_scheduler_name(k);
			cell->runs = budget;
			cell->has_seed = seed != NULL;
			cell->seed = seed_value;
			cell->nr_designs = nr_designs;
			g_ptr_array_add(c->cells, cell);
		}
	}
	if (sc.path)
		sim_scenario_free(&sc);
	g_strfreev(scheds);
	g_free(scenario);
	g_free(designs);
	g_free(sched);
	g_free(runs);
	g_free(seed);
	g_free(path);
	g_free(list);
	return ok;
}

/* [campaign] name and description. */
static bool read_header(const struct sim_keyfile_where *w, GKeyFile *kf, struct sim_campaign *c)
{
	if (!g_key_file_has_group(kf, "campaign"))
		return sim_keyfile_fail(w, "campaign", NULL,
					"missing group; expected [campaign] with a name");
	gchar **keys = g_key_file_get_keys(kf, "campaign", NULL, NULL);
	bool ok = true;
	for (unsigned i = 0; ok && keys[i]; i++)
		ok = sim_keyfile_check_key(w, "campaign", keys, i) &&
		     (!strcmp(keys[i], "name") || !strcmp(keys[i], "description") ||
		      sim_keyfile_fail(w, "campaign", keys[i],
				       "unknown key; expected name or description"));
	g_strfreev(keys);
	if (!ok || !(c->name = sim_keyfile_text(w, kf, "campaign", "name")))
		return false;
	if (!sim_scenario_valid_name(c->name))
		return sim_keyfile_fail(w, "campaign", "name",
					"expected letters, digits, '_', '-' or '.', found '%s'",
					c->name);
	if (g_key_file_has_key(kf, "campaign", "description", NULL))
		c->description = sim_keyfile_text(w, kf, "campaign", "description");
	return !g_key_file_has_key(kf, "campaign", "description", NULL) || c->description;
}

bool sim_campaign_load(const char *path, struct sim_campaign *c, char *err, unsigned err_len)
{
	struct sim_keyfile_where w = { path, err, err_len };
	memset(c, 0, sizeof(*c));
	c->path = g_strdup(path);
	c->cells = g_ptr_array_new_with_free_func(cell_free);
	char *data;
	gsize len;
	if (!sim_keyfile_load(&w, &data, &len))
		return false;
	GKeyFile *kf = g_key_file_new();
	GError *e = NULL;
	bool ok = g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &e);
	if (!ok) {
		sim_keyfile_fail(&w, NULL, NULL, "%s", e->message);
		g_error_free(e);
	}
	ok = ok && sim_keyfile_check_groups(&w, data, len) && read_header(&w, kf, c);
	gchar **groups = ok ? g_key_file_get_groups(kf, NULL) : NULL;
	for (unsigned i = 0; ok && groups[i]; i++) {
		if (!strcmp(groups[i], "campaign"))
			continue;
		const char *name = groups[i] + strlen("explore ");
		if (strncmp(groups[i], "explore ", strlen("explore ")) ||
		    !sim_scenario_valid_name(name))
			ok =
			    sim_keyfile_fail(&w, groups[i], NULL,
					     "expected [campaign] or [explore NAME] with a NAME of "
					     "letters, digits, '_', '-' or '.'");
		else
			ok = read_explore(&w, kf, groups[i], name, c);
	}
	if (ok && !c->cells->len)
		ok = sim_keyfile_fail(&w, NULL, NULL,
				      "expected at least one [explore NAME] group, found none");
	g_strfreev(groups);
	g_key_file_free(kf);
	g_free(data);
	return ok;
}

uint64_t sim_campaign_share(uint64_t runs, unsigned i, unsigned n)
{
	return runs / n + (i < runs % n);
}

char *sim_campaign_result_name(const struct sim_campaign_cell *cell, unsigned i, unsigned n)
{
	return g_strdup_printf("%s.task-%u-of-%u", cell->name, i, n);
}

char **sim_campaign_explore_args(const struct sim_campaign_cell *cell, unsigned i, unsigned n,
				 const char *dir)
{
	GPtrArray *a = g_ptr_array_new();
	char *base = sim_campaign_result_name(cell, i, n);
	char *json = g_strdup_printf("%s.json", base);
	g_ptr_array_add(a, g_strdup("explore"));
	g_ptr_array_add(a, g_strdup(cell->scenario));
	if (cell->designs) {
		g_ptr_array_add(a, g_strdup("--designs"));
		g_ptr_array_add(a, g_strdup(cell->designs));
	}
	g_ptr_array_add(a, g_strdup("--scheduler"));
	g_ptr_array_add(a, g_strdup(cell->scheduler));
	g_ptr_array_add(a, g_strdup("--runs"));
	g_ptr_array_add(a, g_strdup_printf("%llu", (unsigned long long)cell->runs));
	if (cell->has_seed) {
		g_ptr_array_add(a, g_strdup("--seed"));
		g_ptr_array_add(a, g_strdup_printf("%llu", (unsigned long long)cell->seed));
	}
	g_ptr_array_add(a, g_strdup("--shard"));
	g_ptr_array_add(a, g_strdup_printf("%u/%u", i, n));
	g_ptr_array_add(a, g_strdup("--result"));
	g_ptr_array_add(a, g_build_filename(dir, json, NULL));
	g_ptr_array_add(a, g_strdup("--out"));
	g_ptr_array_add(a, g_build_filename(dir, "schedules", NULL));
	g_ptr_array_add(a, g_strdup("--quiet"));
	g_ptr_array_add(a, NULL);
	g_free(base);
	g_free(json);
	return (char **)g_ptr_array_free(a, FALSE);
}
