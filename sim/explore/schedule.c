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
#include "schedule.h"

const char *sim_build_id(void)
{
	return SLABSIM_BUILD_ID;
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
	for (unsigned i = 0; i < r->decisions->len; i++)
		g_ptr_array_add(
		    s->decisions,
		    sim_decision_text(&g_array_index(r->decisions, struct sim_decision, i), sc));
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
