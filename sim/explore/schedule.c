/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * schedule.c - writing, reading and binding schedule files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_id.h"
#include "keyfile.h"
#include "decision.h"
#include "kernel_machine.h"
#include "schedule.h"

const char *sim_build_id(void)
{
	return SLABSIM_BUILD_ID;
}

/* A kernel point of a scenario task at a named site: what a site decision can name. */
static uint32_t event_site(const struct sim_scenario *sc, const struct sim_run_report *r,
			   const struct sim_trace_event *ev)
{
	if (ev->task >= sc->nr_tasks ||
	    !g_str_has_prefix(slab_point_name((enum slab_point)ev->point), "kernel."))
		return 0;
	return sim_site_id(r->design, ev->site);
}

/*
 * The decisions of a traced run (r, with r->trace), each taken at a kernel
 * point by a scenario task rewritten by its site, the task and the task's
 * own count of visits to that site (POINT@SITE#N@TASK); the others as they
 * were taken.  out holds r->decisions->len.
 */
static void rewrite_by_site(const struct sim_scenario *sc, const struct sim_run_report *r,
			    struct sim_decision *out)
{
	GHashTable *taken = g_hash_table_new(g_direct_hash, g_direct_equal); /* event -> i + 1 */
	for (unsigned i = 0; i < r->decisions->len; i++) {
		const struct sim_decision *d = &g_array_index(r->decisions, struct sim_decision, i);
		out[i] = *d;
		out[i].by_task = 0;
		out[i].task_occurrence = 0;
		/* (point, occurrence) names one event; occurrences stay below 2^56. */
		uint64_t key = (uint64_t)d->point << 56 | d->occurrence;
		g_hash_table_insert(taken, (gpointer)(uintptr_t)key, GUINT_TO_POINTER(i + 1));
	}
	GHashTable *visits = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (unsigned e = 0; e < r->trace->len; e++) {
		const struct sim_trace_event *ev =
		    &g_array_index(r->trace, struct sim_trace_event, e);
		uint32_t site = event_site(sc, r, ev);
		if (!site)
			continue;
		gpointer vk =
		    (gpointer)(uintptr_t)sim_site_visit_key(ev->point, ev->task + 1, site);
		uint64_t n = GPOINTER_TO_SIZE(g_hash_table_lookup(visits, vk)) + 1;
		g_hash_table_insert(visits, vk, GSIZE_TO_POINTER(n));
		uint64_t key = (uint64_t)ev->point << 56 | ev->occurrence;
		unsigned i = GPOINTER_TO_UINT(g_hash_table_lookup(taken, (gpointer)(uintptr_t)key));
		if (i) {
			out[i - 1].site = site;
			out[i - 1].task = (int)ev->task + 1;
			out[i - 1].occurrence = n;
		}
	}
	g_hash_table_destroy(visits);
	g_hash_table_destroy(taken);
}

bool sim_decisions_by_site(const struct sim_scenario *sc, const struct sim_run_plan *plan,
			   struct sim_decision *ds, unsigned n)
{
	if (!plan->design->kernel || !n)
		return false;
	struct sim_inject inject = plan->inject ? *plan->inject : sc->inject;
	inject.policy = SIM_INJECT_DECISIONS;
	inject.decisions = ds;
	inject.nr_decisions = n;
	struct sim_run_plan traced = *plan;
	traced.inject = &inject;
	traced.record_trace = true;
	traced.check_every_point = false;
	traced.no_trace_hash = false;
	struct sim_run_report r, again;
	char err[256];
	if (!sim_run(sc, &traced, &r, err, sizeof(err)))
		return false;
	bool same = false;
	struct sim_decision *site = g_new0(struct sim_decision, n);
	if (r.decisions->len == n) {
		rewrite_by_site(sc, &r, site);
		/* The same run by site, or the decisions stay as they are. */
		inject.decisions = site;
		traced.record_trace = false;
		if (sim_run(sc, &traced, &again, err, sizeof(err))) {
			same = again.trace_hash == r.trace_hash && again.decisions->len == n &&
			       again.violation == r.violation;
			sim_run_report_free(&again);
		}
	}
	if (same)
		memcpy(ds, site, n * sizeof(*ds));
	g_free(site);
	sim_run_report_free(&r);
	return same;
}

void sim_schedule_from_run(struct sim_schedule *s, const struct sim_scenario *sc,
			   const struct sim_run_report *r)
{
	memset(s, 0, sizeof(*s));
	s->build = g_strdup(sim_build_id());
	/* Absolute, so that replay and bisect work from any directory. */
	s->scenario_path = g_canonicalize_filename(sc->path, NULL);
	g_strlcpy(s->scenario_hash, sc->hash, sizeof(s->scenario_hash));
	s->design = g_strdup(r->design->name);
	s->profile = g_strdup(sc->profile.name);
	s->seed = r->seed;
	s->violation = g_strdup(r->violation ? r->violation_kind : "none");
	s->decisions = g_ptr_array_new_with_free_func(g_free);
	/* A kernel design's by site, when the run replays the same that way (as replay runs it). */
	unsigned n = r->decisions->len;
	struct sim_decision *ds = g_new0(struct sim_decision, n ? n : 1);
	for (unsigned i = 0; i < n; i++) {
		ds[i] = g_array_index(r->decisions, struct sim_decision, i);
		ds[i].by_task = 0;
		ds[i].task_occurrence = 0;
	}
	struct sim_run_plan plan = { .design = r->design, .seed = r->seed };
	sim_decisions_by_site(sc, &plan, ds, n);
	for (unsigned i = 0; i < n; i++)
		g_ptr_array_add(s->decisions, sim_decision_text(&ds[i], sc));
	g_free(ds);
}

bool sim_schedule_write(const char *path, const struct sim_schedule *s, char *err, unsigned err_len)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, err_len, "%s: cannot write: %s", path, strerror(errno));
		return false;
	}
	fprintf(f, "slabsim-schedule %d\n", SIM_SCHEDULE_VERSION);
	fprintf(f, "build %s\nscenario %s\nscenario-sha256 %s\ndesign %s\nprofile %s\n", s->build,
		s->scenario_path, s->scenario_hash, s->design, s->profile);
	fprintf(f, "seed %llu\nviolation %s\n", (unsigned long long)s->seed, s->violation);
	for (unsigned i = 0; i < s->decisions->len; i++)
		fprintf(f, "decision %s\n", (char *)g_ptr_array_index(s->decisions, i));
	bool ok = !ferror(f);
	if (fclose(f) || !ok) {
		snprintf(err, err_len, "%s: cannot write: %s", path, strerror(errno));
		return false;
	}
	return true;
}

void sim_schedule_free(struct sim_schedule *s)
{
	g_free(s->build);
	g_free(s->scenario_path);
	g_free(s->design);
	g_free(s->profile);
	g_free(s->violation);
	if (s->decisions)
		g_ptr_array_free(s->decisions, TRUE);
	memset(s, 0, sizeof(*s));
}

/*
 * Version 1 wrote "POINT#OCCURRENCE ACTION [ARG]"; version 2 writes the
 * scenario's form, POINT#OCCURRENCE:ACTION[:ARG] (decision.h).  The words
 * are joined with ':'; whatever is not of that shape is left for the
 * decision parser to refuse.
 */
static char *decision_from_v1(const char *text)
{
	char **words = g_strsplit_set(text, " \t", -1);
	GString *out = g_string_new(NULL);
	unsigned n = 0;
	for (unsigned i = 0; words[i]; i++)
		if (*words[i])
			g_string_append_printf(out, "%s%s", n++ ? ":" : "", words[i]);
	g_strfreev(words);
	if (n < 2 || n > 3) {
		g_string_free(out, TRUE);
		return g_strdup(text);
	}
	return g_string_free(out, FALSE);
}

/* The first line: this version or 1 (into *version); false with a message if neither. */
static bool read_header(const char *key, const char *val, const char *path, unsigned n,
			int *version, char *err, unsigned err_len)
{
	if (!strcmp(key, "slabsim-schedule") && !strcmp(val, "1")) {
		*version = 1;
	} else if (strcmp(key, "slabsim-schedule") ||
		   strcmp(val, G_STRINGIFY(SIM_SCHEDULE_VERSION))) {
		snprintf(err, err_len,
			 "%s:%u: expected 'slabsim-schedule %d' (or 1, still read), got '%s %s'",
			 path, n + 1, SIM_SCHEDULE_VERSION, key, val);
		return false;
	}
	return true;
}

/* The lines given at most once: false with a message for a second one, else noted in seen. */
static bool check_once(const char *key, unsigned *seen, const char *path, unsigned n, char *err,
		       unsigned err_len)
{
	static const char *const once[] = { "build",   "scenario", "scenario-sha256", "design",
					    "profile", "seed",	   "violation" };
	for (unsigned k = 0; k < sizeof(once) / sizeof(once[0]); k++)
		if (!strcmp(key, once[k]) && (*seen & (1u << k))) {
			snprintf(err, err_len, "%s:%u: a second '%s' line; expected one", path,
				 n + 1, key);
			return false;
		} else if (!strcmp(key, once[k])) {
			*seen |= 1u << k;
		}
	return true;
}

/* One line after the header into s; false with a message for a bad seed or unknown key. */
static bool read_line(struct sim_schedule *s, const char *key, const char *val, int version,
		      bool *have_seed, const char *path, unsigned n, char *err, unsigned err_len)
{
	if (!strcmp(key, "build")) {
		g_free(s->build);
		s->build = g_strdup(val);
	} else if (!strcmp(key, "scenario")) {
		g_free(s->scenario_path);
		s->scenario_path = g_strdup(val);
	} else if (!strcmp(key, "scenario-sha256")) {
		g_strlcpy(s->scenario_hash, val, sizeof(s->scenario_hash));
	} else if (!strcmp(key, "design")) {
		g_free(s->design);
		s->design = g_strdup(val);
	} else if (!strcmp(key, "profile")) {
		g_free(s->profile);
		s->profile = g_strdup(val);
	} else if (!strcmp(key, "seed")) {
		char *end;
		errno = 0;
		s->seed = strtoull(val, &end, 10);
		*have_seed = *val && !*end && *val != '-' && errno != ERANGE;
		if (!*have_seed) {
			snprintf(
			    err, err_len,
			    "%s:%u: seed: expected an integer 0 .. 18446744073709551615, got '%s'",
			    path, n + 1, val);
			return false;
		}
	} else if (!strcmp(key, "violation")) {
		g_free(s->violation);
		s->violation = g_strdup(val);
	} else if (!strcmp(key, "decision")) {
		g_ptr_array_add(s->decisions, version == 1 ? decision_from_v1(val) : g_strdup(val));
	} else {
		snprintf(err, err_len,
			 "%s:%u: unknown line '%s'; expected build, scenario, scenario-sha256, "
			 "design, profile, seed, violation or decision",
			 path, n + 1, key);
		return false;
	}
	return true;
}

bool sim_schedule_read(const char *path, struct sim_schedule *s, char *err, unsigned err_len)
{
	char *text = NULL;
	gsize len = 0;
	memset(s, 0, sizeof(*s));
	if (!sim_read_text_file(path, "a schedule file (text)", &text, &len, err, err_len))
		return false;
	s->decisions = g_ptr_array_new_with_free_func(g_free);
	char **lines = g_strsplit(text, "\n", -1);
	g_free(text);
	bool ok = true, have_seed = false, have_header = false;
	int version = SIM_SCHEDULE_VERSION;
	unsigned seen = 0; /* which of the single lines were given */
	for (unsigned n = 0; ok && lines[n]; n++) {
		char *line = g_strstrip(lines[n]);
		if (!*line || *line == '#')
			continue;
		char *sp = strchr(line, ' ');
		const char *key = line, *val = "";
		if (sp) {
			*sp = '\0';
			val = g_strstrip(sp + 1);
		}
		/* The first line that says anything is the header, and only it. */
		if (have_header && !strcmp(key, "slabsim-schedule")) {
			snprintf(err, err_len,
				 "%s:%u: a second 'slabsim-schedule' line; expected one, first",
				 path, n + 1);
			ok = false;
		} else if (!have_header) {
			have_header = true;
			ok = read_header(key, val, path, n, &version, err, err_len);
		} else {
			ok = check_once(key, &seen, path, n, err, err_len) &&
			     read_line(s, key, val, version, &have_seed, path, n, err, err_len);
		}
	}
	g_strfreev(lines);
	if (ok && (!s->build || !s->scenario_path || !*s->scenario_hash || !s->design ||
		   !have_seed || !s->violation)) {
		snprintf(err, err_len,
			 "%s: incomplete schedule: expected build, scenario, scenario-sha256, "
			 "design, seed and violation lines",
			 path);
		ok = false;
	}
	if (!ok)
		sim_schedule_free(s);
	return ok;
}

bool sim_schedule_bind(const char *path, const struct sim_schedule *s,
		       const struct sim_scenario *loaded, struct sim_replay *out, char *err,
		       unsigned err_len)
{
	memset(out, 0, sizeof(*out));
	if (strcmp(s->scenario_hash, loaded->hash)) {
		snprintf(err, err_len,
			 "%s: the scenario %s has changed since this schedule was written "
			 "(sha256 %.16s... then, %.16s... now); refusing to replay it",
			 path, loaded->path, s->scenario_hash, loaded->hash);
		return false;
	}
	if (s->profile && strcmp(s->profile, loaded->profile.name)) {
		snprintf(
		    err, err_len,
		    "%s: recorded with profile %s, the scenario now runs %s; refusing to replay it",
		    path, s->profile, loaded->profile.name);
		return false;
	}
	if (strcmp(s->build, sim_build_id())) {
		snprintf(err, err_len,
			 "%s: written by build %s, this is build %s; points and costs may differ, "
			 "refusing to replay it",
			 path, s->build, sim_build_id());
		return false;
	}
	const struct slab_design *design = slab_design_find(s->design);
	if (!design) {
		snprintf(err, err_len, "%s: unknown design '%s'", path, s->design);
		return false;
	}
	out->decisions = g_new0(struct sim_decision, s->decisions->len);
	for (unsigned i = 0; i < s->decisions->len; i++) {
		const char *text = g_ptr_array_index(s->decisions, i);
		char msg[512];
		if (!sim_decision_parse(text, loaded, &out->decisions[i], msg, sizeof(msg))) {
			snprintf(err, err_len, "%s: decision: %s", path, msg);
			sim_replay_free(out);
			return false;
		}
	}
	out->inject = loaded->inject;
	out->inject.policy = SIM_INJECT_DECISIONS;
	out->inject.decisions = out->decisions;
	out->inject.nr_decisions = s->decisions->len;
	out->plan =
	    (struct sim_run_plan){ .design = design, .seed = s->seed, .inject = &out->inject };
	return true;
}

void sim_replay_free(struct sim_replay *r)
{
	g_free(r->decisions);
	memset(r, 0, sizeof(*r));
}
