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
#include "schedule.h"

const char *sim_build_id(void)
{
	return SLABSIM_BUILD_ID;
}

static char *decision_text(const struct sim_scenario *sc, const struct sim_decision *d)
{
	const char *point = slab_point_name((enum slab_point)d->point);
	unsigned long long occ = (unsigned long long)d->occurrence;
	switch (d->action) {
	case SIM_ACT_PREEMPT:
		if (d->arg > 0)
			return g_strdup_printf("%s#%llu preempt %s", point, occ,
					       sc->tasks[d->arg - 1].name);
		return g_strdup_printf("%s#%llu preempt", point, occ);
	case SIM_ACT_MIGRATE:
		return g_strdup_printf("%s#%llu migrate %d", point, occ, d->arg);
	case SIM_ACT_IRQ:
		return g_strdup_printf("%s#%llu irq %s", point, occ, sc->irqs[d->arg].name);
	}
	return g_strdup("?");
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
		g_ptr_array_add(s->decisions,
				decision_text(sc, &g_array_index(r->decisions, struct sim_decision, i)));
}

bool sim_schedule_write(const char *path, const struct sim_schedule *s, char *err,
			unsigned err_len)
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
		if (!have_header || !strcmp(key, "slabsim-schedule")) {
			if (have_header) {
				snprintf(err, err_len, "%s:%u: a second 'slabsim-schedule' line; "
					 "expected one, first", path, n + 1);
				ok = false;
				continue;
			}
			have_header = true;
			if (strcmp(key, "slabsim-schedule") || atoi(val) != SIM_SCHEDULE_VERSION) {
				snprintf(err, err_len,
					 "%s:%u: expected 'slabsim-schedule %d' (a schedule file of this "
					 "format version), got '%s %s'",
					 path, n + 1, SIM_SCHEDULE_VERSION, key, val);
				ok = false;
			}
			continue;
		}
		static const char *const once[] = { "build", "scenario", "scenario-sha256", "design",
						    "profile", "seed", "violation" };
		for (unsigned k = 0; ok && k < sizeof(once) / sizeof(once[0]); k++)
			if (!strcmp(key, once[k]) && (seen & (1u << k))) {
				snprintf(err, err_len, "%s:%u: a second '%s' line; expected one", path,
					 n + 1, key);
				ok = false;
			} else if (!strcmp(key, once[k])) {
				seen |= 1u << k;
			}
		if (!ok)
			break;
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
			have_seed = *val && !*end && *val != '-' && errno != ERANGE;
			if (!have_seed) {
				snprintf(err, err_len,
					 "%s:%u: seed: expected an integer 0 .. 18446744073709551615, got '%s'",
					 path, n + 1, val);
				ok = false;
			}
		} else if (!strcmp(key, "violation")) {
			g_free(s->violation);
			s->violation = g_strdup(val);
		} else if (!strcmp(key, "decision")) {
			g_ptr_array_add(s->decisions, g_strdup(val));
		} else {
			snprintf(err, err_len,
				 "%s:%u: unknown line '%s'; expected build, scenario, scenario-sha256, "
				 "design, profile, seed, violation or decision",
				 path, n + 1, key);
			ok = false;
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

static int find_point(const char *name)
{
	for (unsigned i = 0; i < SLAB_POINT_COUNT; i++)
		if (!strcmp(slab_point_name((enum slab_point)i), name))
			return (int)i;
	return -1;
}

/* "POINT#OCC ACTION [ARG]" against the scenario. */
static bool parse_decision(const char *path, const char *text, const struct sim_scenario *sc,
			   struct sim_decision *d, char *err, unsigned err_len)
{
	char point[128], action[16], arg[128] = "";
	unsigned long long occ;
	const char *hash = strchr(text, '#');
	int n = sscanf(text, "%127[^#]#%llu %15s %127s", point, &occ, action, arg);
	/*
	 * %llu skips blanks, takes "-1" and wraps, and saturates on overflow:
	 * a digit right after '#', and a bound, refuse all three.
	 */
	if (n < 3 || occ == 0 || !hash || !g_ascii_isdigit(hash[1]) || occ > (1ull << 48)) {
		snprintf(err, err_len,
			 "%s: decision '%s': expected POINT#OCCURRENCE preempt [TASK] | migrate CPU "
			 "| irq NAME",
			 path, text);
		return false;
	}
	d->point = find_point(point);
	if (d->point < 0) {
		snprintf(err, err_len, "%s: decision '%s': unknown point '%s' (see 'slabsim points')",
			 path, text, point);
		return false;
	}
	d->occurrence = occ;
	d->arg = 0;
	if (!strcmp(action, "preempt")) {
		d->action = SIM_ACT_PREEMPT;
		if (*arg) {
			d->arg = -1;
			for (unsigned i = 0; i < sc->nr_tasks; i++)
				if (!strcmp(sc->tasks[i].name, arg))
					d->arg = (int)i + 1;
		}
	} else if (!strcmp(action, "migrate")) {
		d->action = SIM_ACT_MIGRATE;
		char *end;
		long cpu = strtol(arg, &end, 10);
		d->arg = (*arg && !*end && cpu >= 0 && cpu < (long)sc->cpus) ? (int)cpu : -1;
	} else if (!strcmp(action, "irq")) {
		d->action = SIM_ACT_IRQ;
		d->arg = -1;
		for (unsigned i = 0; i < sc->nr_irqs; i++)
			if (!strcmp(sc->irqs[i].name, arg))
				d->arg = (int)i;
	} else {
		d->arg = -1;
	}
	if (d->arg < 0) {
		snprintf(err, err_len,
			 "%s: decision '%s': the action must be preempt [TASK], migrate CPU or irq "
			 "NAME of this scenario",
			 path, text);
		return false;
	}
	return true;
}

bool sim_schedule_bind(const char *path, const struct sim_schedule *s,
		       const struct sim_scenario *loaded, struct sim_scenario *out,
		       const struct slab_design **design, char *err, unsigned err_len)
{
	if (strcmp(s->scenario_hash, loaded->hash)) {
		snprintf(err, err_len,
			 "%s: the scenario %s has changed since this schedule was written "
			 "(sha256 %.16s... then, %.16s... now); refusing to replay it",
			 path, loaded->path, s->scenario_hash, loaded->hash);
		return false;
	}
	if (s->profile && strcmp(s->profile, loaded->profile.name)) {
		snprintf(err, err_len,
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
	*design = slab_design_find(s->design);
	if (!*design) {
		snprintf(err, err_len, "%s: unknown design '%s'", path, s->design);
		return false;
	}
	if (s->decisions->len > SIM_MAX_DECISIONS) {
		snprintf(err, err_len, "%s: %u decisions, at most %d can be replayed", path,
			 s->decisions->len, SIM_MAX_DECISIONS);
		return false;
	}
	*out = *loaded;
	out->inject = SIM_INJECT_DECISIONS;
	out->nr_decisions = s->decisions->len;
	for (unsigned i = 0; i < s->decisions->len; i++)
		if (!parse_decision(path, g_ptr_array_index(s->decisions, i), loaded,
				    &out->decisions[i], err, err_len))
			return false;
	return true;
}
