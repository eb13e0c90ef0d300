/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scenario.c - reading scenario files (the format is in scenario.h).
 *
 * The reader is strict: every group and key must be known, every value
 * must parse and lie in its range, and anything else is refused with one
 * message "FILE: [GROUP] KEY: expected ..., got '...'".  A scenario that
 * ran with a value it did not ask for would answer a different question
 * than the one its author asked, so nothing falls back to a default except
 * a key that is absent.
 *
 * Order matters for determinism and for useful messages: groups and keys
 * are read in file order (g_key_file_get_groups/get_keys keep it), except
 * that [scenario] comes first (the CPU count bounds every cpu key and the
 * profile must exist before [costs] overrides it) and [inject] comes after
 * every [irq NAME] (its decisions name them).  When several things are
 * wrong, the first in that order is reported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "port.h"
#include "keyfile.h"
#include "scheduler.h"
#include "decision.h"
#include "engine.h"
#include "scenario.h"

static const char *const preempt_words[] = { "none", "voluntary", "full", NULL };
/* The [inject] policies: the schedulers' registry (sched.c). */
#define policy_words sim_sched_policy_words
static const char *const kind_words[] = { "preempt", "migrate", "irq", "fail", NULL };

/* [scenario]: designs, profile, kinds and decisions are read as text and parsed here. */
static const struct sim_param_spec scenario_specs[] = {
	{ "name", SIM_PARAM_STRING, .def = NULL, .help = "the scenario's name" },
	{ "description", SIM_PARAM_STRING, .def = "", .help = "what the scenario shows" },
	{ "seed", SIM_PARAM_INT, 0, INT64_MAX, .def = "1", .help = "master seed" },
	{ "cpus", SIM_PARAM_INT, 1, 1024, .def = "1", .help = "number of CPUs" },
	{ "nodes", SIM_PARAM_INT, 1, 8, .def = "1", .help = "NUMA nodes, at most cpus" },
	{ "memory_mib", SIM_PARAM_INT, 4, 65536, .def = "512",
	  .help = "memory per node in MiB, a multiple of 4" },
	{ "preemption", SIM_PARAM_WORD, .words = preempt_words, .def = "full",
	  .help = "the kernel's preemption model" },
	{ "designs", SIM_PARAM_STRING, .def = "v3.18", .help = "design names, 'all' or 'safe'" },
	{ "profile", SIM_PARAM_STRING, .def = "xeon-2014-preempt",
	  .help = "a shipped cost profile or a profile file" },
	{ "cpu_partial", SIM_PARAM_BOOL, .def = "true", .help = "per-CPU partial lists" },
	{ "cache_model", SIM_PARAM_BOOL, .def = "true", .help = "charge by cache level" },
	{ NULL },
};

static const struct sim_param_spec inject_specs[] = {
	{ "policy", SIM_PARAM_WORD, .words = policy_words, .def = "none",
	  .help = "where the engine injects" },
	{ "every", SIM_PARAM_INT, 1, INT64_MAX, .def = "1000", .help = "every Nth eligible point" },
	{ "probability", SIM_PARAM_DOUBLE, .dmin = 0, .dmax = 1, .def = "0.001",
	  .help = "per eligible point" },
	{ "kinds", SIM_PARAM_STRING, .def = "preempt,migrate,irq", .help = "actions to take" },
	/* By kind, in enum sim_action_kind's order (kind_probability_key). */
	{ "preempt_probability", SIM_PARAM_DOUBLE, .dmin = 0, .dmax = 1, .def = "0",
	  .help = "policy random: preemptions' own chance per point (unset: probability's)" },
	{ "migrate_probability", SIM_PARAM_DOUBLE, .dmin = 0, .dmax = 1, .def = "0",
	  .help = "policy random: migrations' own chance per point (unset: probability's)" },
	{ "irq_probability", SIM_PARAM_DOUBLE, .dmin = 0, .dmax = 1, .def = "0",
	  .help = "policy random: interrupts' own chance per point (unset: probability's)" },
	{ "decisions", SIM_PARAM_STRING, .def = "", .help = "POINT#OCCURRENCE:ACTION, ..." },
	{ "depth", SIM_PARAM_INT, 1, 16, .def = "3",
	  .help = "policy pct: the bug depth d (d - 1 priority change points)" },
	{ NULL },
};

static const struct sim_param_spec checks_specs[] = {
	{ "validate_every", SIM_PARAM_INT, 0, INT64_MAX, .def = "0",
	  .help = "full slab walk every N points" },
	{ "leak_check", SIM_PARAM_BOOL, .def = "true", .help = "every slab page back at the end" },
	{ "livelock_cycles", SIM_PARAM_INT, 1000, INT64_MAX, .def = "100000000",
	  .help = "bound of a spin or retry loop" },
	{ "expect_violation", SIM_PARAM_STRING, .def = "",
	  .help = "designs this scenario is meant to catch (for --check-expected)" },
	{ NULL },
};

static const struct sim_param_spec faults_specs[] = {
	{ "page_alloc_fail_nth", SIM_PARAM_INT, 0, INT64_MAX, .def = "0",
	  .help = "the page allocator's Nth call from a task fails (0: none)" },
	{ "page_alloc_fail_probability", SIM_PARAM_DOUBLE, .dmin = 0, .dmax = 1, .def = "0",
	  .help = "chance that a page allocator call from a task fails" },
	{ NULL },
};

static const struct sim_param_spec cost_spec = {
	"cost", SIM_PARAM_INT, 0, SIM_COST_MAX, .def = "0", .help = "cycles",
};

static const struct sim_param_spec pinned_spec = {
	"pinned",
	SIM_PARAM_BOOL,
	.def = "true",
	.help = "never migrated",
};

/* Keys of [task NAME] and [irq NAME] that are not the workload's. */
static const char *const task_own_keys[] = { "workload", "cpu", "pinned", NULL };
static const char *const irq_own_keys[] = { "workload", "cpu", NULL };

struct ctx {
	struct sim_keyfile_where w;
	GKeyFile *kf;
	struct sim_scenario *sc;
};

/* "FILE: [GROUP] KEY: msg", leaving out GROUP and KEY when NULL; returns false. */
#define fail(c, group, key, ...) sim_keyfile_fail(&(c)->w, group, key, __VA_ARGS__)

static bool is_own_key(const char *const *own, const char *key)
{
	for (unsigned i = 0; own && own[i]; i++)
		if (!strcmp(own[i], key))
			return true;
	return false;
}

static int spec_index(const struct sim_params *p, const char *key)
{
	for (unsigned i = 0; i < p->count; i++)
		if (!strcmp(p->v[i].spec->key, key))
			return (int)i;
	return -1;
}

/* "workload, cpu, pinned, size, count": the keys a group accepts. */
static char *key_list(const char *const *own, const struct sim_params *p)
{
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; own && own[i]; i++)
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", own[i]);
	for (unsigned i = 0; i < p->count; i++)
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", p->v[i].spec->key);
	return g_string_free(s, FALSE);
}

/* Parse text against spec, or write "FILE: [GROUP] KEY: expected ..., got '...'". */
static bool parse_value(struct ctx *c, const char *group, const char *key,
			const struct sim_param_spec *spec, const char *text,
			struct sim_param_value *v)
{
	char msg[1024];

	if (!sim_param_parse(spec, text, v, msg, sizeof(msg)))
		return fail(c, group, key, "%s", msg);
	return true;
}

/*
 * Read every key of group into p (whose table was set by sim_params_init),
 * except the keys in own[], which the caller reads itself; then check that
 * every required key was given.  what, if not NULL, says whose keys these
 * are in the unknown-key message.
 */
static bool read_params(struct ctx *c, const char *group, struct sim_params *p,
			const char *const *own, const char *what)
{
	gchar **keys = NULL;
	bool ok = true;

	if (g_key_file_has_group(c->kf, group))
		keys = g_key_file_get_keys(c->kf, group, NULL, NULL);
	for (unsigned i = 0; ok && keys && keys[i]; i++) {
		struct sim_param_value v;
		int idx;
		char *text;

		if (!sim_keyfile_check_key(&c->w, group, keys, i)) {
			ok = false;
			break;
		}
		if (is_own_key(own, keys[i]))
			continue;
		idx = spec_index(p, keys[i]);
		if (idx < 0) {
			char *list = key_list(own, p);

			ok = fail(c, group, keys[i], "unknown key; expected one of %s%s%s%s", list,
				  what ? " (" : "", what ? what : "", what ? ")" : "");
			g_free(list);
			break;
		}
		text = sim_keyfile_text(&c->w, c->kf, group, keys[i]);
		if (!text) {
			ok = false;
			break;
		}
		ok = parse_value(c, group, keys[i], p->v[idx].spec, text, &v);
		g_free(text);
		if (ok) {
			sim_param_value_free(&p->v[idx]);
			p->v[idx] = v;
			p->v[idx].set = true;
		}
	}
	g_strfreev(keys);
	for (unsigned i = 0; ok && i < p->count; i++)
		if (!p->v[i].spec->def && !p->v[i].set)
			ok = fail(c, group, p->v[i].spec->key, "missing; expected %s",
				  p->v[i].spec->help);
	return ok;
}

/*
 * The names in [task NAME] and [irq NAME] appear in tables, in NAME/CPU
 * task names and in irq:NAME decisions, so they are kept plain: letters,
 * digits, '_', '-', '.'.  That excludes '/' (reserved for NAME/CPU) and the
 * ',', ':' and '#' of the decisions syntax.
 */
bool sim_scenario_valid_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return false;
	return true;
}

static char *workload_list(bool irq_only)
{
	GString *s = g_string_new(NULL);
	const struct sim_workload *w;

	for (unsigned i = 0; (w = sim_workload_at(i)); i++)
		if (!irq_only || w->irq_handler)
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", w->name);
	return g_string_free(s, FALSE);
}

/* The workload key of a [task NAME] or [irq NAME] group. */
static const struct sim_workload *read_workload(struct ctx *c, const char *group, bool irq)
{
	const struct sim_workload *w = NULL;
	char *list = workload_list(irq);
	char *text = NULL;

	if (!g_key_file_has_key(c->kf, group, "workload", NULL)) {
		fail(c, group, "workload", "missing; expected one of %s", list);
		goto out;
	}
	text = sim_keyfile_text(&c->w, c->kf, group, "workload");
	if (!text)
		goto out;
	w = sim_workload_find(text);
	if (!w)
		fail(c, group, "workload", "expected one of %s, got '%s'", list, text);
	else if (irq && !w->irq_handler) {
		fail(c, group, "workload",
		     "expected a workload that may run as an interrupt handler (%s), got '%s'",
		     list, text);
		w = NULL;
	}
out:
	g_free(text);
	g_free(list);
	return w;
}

static void free_task(struct sim_task_spec *t)
{
	g_free(t->name);
	g_free(t->group);
	sim_params_free(&t->params);
}

/* A task's cpu: an integer in 0..cpus-1 into *cpu, or "all" (*all). */
static bool read_cpu(struct ctx *c, const char *group, int *cpu, bool *all)
{
	struct sim_scenario *sc = c->sc;
	struct sim_param_value v;
	struct sim_param_spec cpu_spec = {
		.key = "cpu", .type = SIM_PARAM_INT, .min = 0, .max = sc->cpus - 1
	};
	bool ok = true;
	char msg[1024];
	char *text;

	if (!g_key_file_has_key(c->kf, group, "cpu", NULL))
		return fail(c, group, "cpu", "missing; expected an integer in 0..%u or all",
			    sc->cpus - 1);
	text = sim_keyfile_text(&c->w, c->kf, group, "cpu");
	if (!text)
		return false;
	if (!strcmp(text, "all")) {
		*all = true;
	} else if (sim_param_parse(&cpu_spec, text, &v, msg, sizeof(msg))) {
		*cpu = (int)v.i;
		sim_param_value_free(&v);
	} else {
		ok = fail(c, group, "cpu", "expected an integer in 0..%u or all, got '%s'",
			  sc->cpus - 1, text);
	}
	g_free(text);
	return ok;
}

/* A task's pinned, if given, into *pinned. */
static bool read_pinned(struct ctx *c, const char *group, bool *pinned)
{
	struct sim_param_value v;
	char *text;
	bool ok;

	if (!g_key_file_has_key(c->kf, group, "pinned", NULL))
		return true;
	text = sim_keyfile_text(&c->w, c->kf, group, "pinned");
	if (!text)
		return false;
	ok = parse_value(c, group, "pinned", &pinned_spec, text, &v);
	g_free(text);
	if (!ok)
		return false;
	*pinned = v.b;
	sim_param_value_free(&v);
	return true;
}

/* The task name on cpu, or one per CPU ("name/i") with all, each with params tmpl. */
static bool add_tasks(struct ctx *c, const char *group, const char *name,
		      const struct sim_workload *w, int cpu, bool all, bool pinned,
		      const struct sim_params *tmpl)
{
	struct sim_scenario *sc = c->sc;
	unsigned n = all ? sc->cpus : 1;

	/* Checked before growing the array, so cpu = all cannot ask for 1024 copies too many. */
	if (sc->nr_tasks + n > SIM_MAX_TASKS)
		return fail(c, group, "cpu", "expected at most %d tasks in all, got %u",
			    SIM_MAX_TASKS, sc->nr_tasks + n);
	sc->tasks = g_renew(struct sim_task_spec, sc->tasks, sc->nr_tasks + n);
	for (unsigned i = 0; i < n; i++) {
		struct sim_task_spec *t = &sc->tasks[sc->nr_tasks];

		memset(t, 0, sizeof(*t));
		t->name = all ? g_strdup_printf("%s/%u", name, i) : g_strdup(name);
		t->group = g_strdup(name);
		t->workload = w;
		t->cpu = all ? (int)i : cpu;
		t->pinned = pinned;
		sim_params_copy(&t->params, tmpl);
		sc->nr_tasks++;
	}
	return true;
}

static bool read_task(struct ctx *c, const char *group, const char *name)
{
	const struct sim_workload *w;
	struct sim_params tmpl;
	bool all = false, pinned = true, ok;
	int cpu = 0;
	char *what;

	w = read_workload(c, group, false);
	if (!w)
		return false;
	if (!read_cpu(c, group, &cpu, &all) || !read_pinned(c, group, &pinned))
		return false;

	sim_params_init(&tmpl, w->params);
	what = g_strdup_printf("the keys of workload %s", w->name);
	ok = read_params(c, group, &tmpl, task_own_keys, what);
	g_free(what);
	if (ok)
		ok = add_tasks(c, group, name, w, cpu, all, pinned, &tmpl);
	sim_params_free(&tmpl);
	return ok;
}

static bool read_irq(struct ctx *c, const char *group, const char *name)
{
	struct sim_scenario *sc = c->sc;
	const struct sim_workload *w;
	struct sim_param_spec cpu_spec = {
		.key = "cpu", .type = SIM_PARAM_INT, .min = -1, .max = (int64_t)sc->cpus - 1
	};
	struct sim_irq_spec *q;
	struct sim_param_value v;
	int cpu = -1;
	bool ok;

	w = read_workload(c, group, true);
	if (!w)
		return false;

	if (g_key_file_has_key(c->kf, group, "cpu", NULL)) {
		char *text = sim_keyfile_text(&c->w, c->kf, group, "cpu");

		if (!text)
			return false;
		ok = parse_value(c, group, "cpu", &cpu_spec, text, &v);
		g_free(text);
		if (!ok)
			return false;
		cpu = (int)v.i;
		sim_param_value_free(&v);
	}
	if (sc->nr_irqs == SIM_MAX_IRQS)
		return fail(c, group, NULL, "expected at most %d [irq NAME] groups", SIM_MAX_IRQS);

	sc->irqs = g_renew(struct sim_irq_spec, sc->irqs, sc->nr_irqs + 1);
	q = &sc->irqs[sc->nr_irqs];
	memset(q, 0, sizeof(*q));
	sim_params_init(&q->params, w->params);
	{
		char *what = g_strdup_printf("the keys of workload %s", w->name);

		ok = read_params(c, group, &q->params, irq_own_keys, what);
		g_free(what);
	}
	if (!ok) {
		sim_params_free(&q->params);
		return false;
	}
	q->name = g_strdup(name);
	q->workload = w;
	q->cpu = cpu;
	sc->nr_irqs++;
	return true;
}

static bool add_design(struct ctx *c, const struct slab_design *d, const char *text)
{
	struct sim_scenario *sc = c->sc;

	for (unsigned i = 0; i < sc->nr_designs; i++)
		if (sc->designs[i] == d)
			return true; /* duplicates dropped, the first place kept */
	if (sc->nr_designs == SIM_MAX_DESIGNS)
		return fail(c, "scenario", "designs", "expected at most %d designs, got '%s'",
			    SIM_MAX_DESIGNS, text);
	sc->designs[sc->nr_designs++] = d;
	return true;
}

static char *design_list(void)
{
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; i < slab_design_count(); i++)
		g_string_append_printf(s, "%s, ", slab_design_at(i)->name);
	g_string_append(s, "all, safe");
	return g_string_free(s, FALSE);
}

static bool read_designs(struct ctx *c, const char *text)
{
	gchar **items = g_strsplit(text, ",", -1);
	bool ok = true;

	for (unsigned i = 0; ok && items[i]; i++) {
		const char *item = g_strstrip(items[i]);
		const struct slab_design *d;

		if (!strcmp(item, "all") || !strcmp(item, "safe")) {
			bool safe = !strcmp(item, "safe");

			for (unsigned j = 0; ok && j < slab_design_count(); j++)
				if (!safe || !slab_design_at(j)->mutant)
					ok = add_design(c, slab_design_at(j), text);
		} else if ((d = slab_design_find(item))) {
			ok = add_design(c, d, text);
		} else {
			char *list = design_list();

			if (*item)
				ok = fail(c, "scenario", "designs",
					  "unknown design '%s'; expected one or more of %s", item,
					  list);
			else
				ok = fail(c, "scenario", "designs",
					  "expected a comma-separated list of %s, got '%s'", list,
					  text);
			g_free(list);
		}
	}
	g_strfreev(items);
	/* g_strsplit("") gives no items at all */
	if (ok && !c->sc->nr_designs) {
		char *list = design_list();

		ok = fail(c, "scenario", "designs", "expected one or more of %s, got '%s'", list,
			  text);
		g_free(list);
	}
	return ok;
}

static bool is_profile_path(const char *name)
{
	return strchr(name, '/') || g_str_has_suffix(name, ".ini");
}

/*
 * A relative profile path is taken from the scenario file's directory, so
 * a scenario and the profile beside it work from any current directory.
 */
static bool read_profile(struct ctx *c, const char *text)
{
	char *path = NULL;
	char msg[2048];
	bool ok;

	if (is_profile_path(text) && !g_path_is_absolute(text)) {
		char *dir = g_path_get_dirname(c->w.file);

		path = g_build_filename(dir, text, NULL);
		g_free(dir);
	}
	ok = sim_cost_profile_load(path ? path : text, &c->sc->profile, msg, sizeof(msg));
	g_free(path);
	if (!ok)
		return fail(c, "scenario", "profile", "%s", msg);
	return true;
}

static bool read_scenario(struct ctx *c)
{
	struct sim_scenario *sc = c->sc;
	struct sim_params p;
	bool ok;

	sim_params_init(&p, scenario_specs);
	ok = read_params(c, "scenario", &p, NULL, NULL);
	if (!ok)
		goto out;

	if (!*sim_params_string(&p, "name")) {
		ok = fail(c, "scenario", "name", "expected the scenario's name, got ''");
		goto out;
	}
	sc->name = g_strdup(sim_params_string(&p, "name"));
	sc->description = g_strdup(sim_params_string(&p, "description"));
	sc->seed = (uint64_t)sim_params_int(&p, "seed");
	sc->cpus = (unsigned)sim_params_int(&p, "cpus");
	sc->nodes = (unsigned)sim_params_int(&p, "nodes");
	sc->memory_mib = (unsigned long)sim_params_int(&p, "memory_mib");
	sc->preemption = (enum sim_preempt_model)sim_params_word(&p, "preemption");
	sc->cpu_partial = sim_params_bool(&p, "cpu_partial");
	sc->cache_model = sim_params_bool(&p, "cache_model");

	if (sc->nodes > sc->cpus) {
		ok = fail(c, "scenario", "nodes", "expected at most cpus (%u) nodes, got '%u'",
			  sc->cpus, sc->nodes);
		goto out;
	}
	if (sc->memory_mib % 4) {
		ok = fail(c, "scenario", "memory_mib",
			  "expected a multiple of 4 in 4..65536, got '%lu'", sc->memory_mib);
		goto out;
	}
	ok = read_designs(c, sim_params_string(&p, "designs")) &&
	     read_profile(c, sim_params_string(&p, "profile"));
out:
	sim_params_free(&p);
	return ok;
}

static bool unknown_cost_key(struct ctx *c, const char *key)
{
	GString *s = g_string_new(NULL);

	for (int k = 0; k < SIM_COST_COUNT; k++)
		g_string_append_printf(s, "%s%s", k ? ", " : "",
				       sim_cost_key_name((enum sim_cost_key)k));
	fail(c, "costs", key, "unknown cost key; expected one of %s", s->str);
	g_string_free(s, TRUE);
	return false;
}

/* [costs]: overrides of the loaded profile, each marked as such. */
static bool read_costs(struct ctx *c)
{
	struct sim_cost_profile *prof = &c->sc->profile;
	gchar **keys = g_key_file_get_keys(c->kf, "costs", NULL, NULL);
	bool ok = true;

	for (unsigned i = 0; ok && keys && keys[i]; i++) {
		int k = sim_cost_key_find(keys[i]);
		struct sim_param_value v;
		char *text;

		if (!sim_keyfile_check_key(&c->w, "costs", keys, i)) {
			ok = false;
			break;
		}
		if (k < 0) {
			ok = unknown_cost_key(c, keys[i]);
			break;
		}
		text = sim_keyfile_text(&c->w, c->kf, "costs", keys[i]);
		if (!text) {
			ok = false;
			break;
		}
		ok = parse_value(c, "costs", keys[i], &cost_spec, text, &v);
		g_free(text);
		char msg[160];
		if (ok &&
		    !sim_cost_value_ok((enum sim_cost_key)k, (uint32_t)v.i, msg, sizeof(msg))) {
			sim_param_value_free(&v);
			ok = fail(c, "costs", keys[i], "%s", msg);
			break;
		}
		if (ok) {
			prof->cost[k] = (uint32_t)v.i;
			prof->overridden[k] = true;
			sim_param_value_free(&v);
		}
	}
	g_strfreev(keys);
	return ok;
}

/* inject kinds: a comma list of preempt, migrate, irq. */
static bool read_kinds(struct ctx *c, const char *text)
{
	gchar **items = g_strsplit(text, ",", -1);
	bool ok = true;
	unsigned n = 0;

	memset(c->sc->inject.kinds, 0, sizeof(c->sc->inject.kinds));
	for (unsigned i = 0; ok && items[i]; i++) {
		const char *item = g_strstrip(items[i]);
		int k;

		for (k = 0; kind_words[k]; k++)
			if (!strcmp(kind_words[k], item))
				break;
		if (!kind_words[k]) {
			ok = fail(c, "inject", "kinds",
				  "expected a comma-separated list of preempt, migrate, irq, got "
				  "'%s' in '%s'",
				  item, text);
			break;
		}
		c->sc->inject.kinds[k] = true;
		n++;
	}
	g_strfreev(items);
	if (ok && !n)
		ok = fail(c, "inject", "kinds",
			  "expected a comma-separated list of preempt, migrate, irq, got '%s'",
			  text);
	return ok;
}

/* One item of [inject] decisions (decision.h). */
static bool parse_decision(struct ctx *c, const char *item, struct sim_decision *d)
{
	char msg[512];
	if (sim_decision_parse(item, c->sc, d, msg, sizeof(msg)))
		return true;
	return fail(c, "inject", "decisions", "%s", msg);
}

static bool read_decisions(struct ctx *c, const char *text)
{
	struct sim_scenario *sc = c->sc;
	gchar **items = g_strsplit(text, ",", -1);
	unsigned n = g_strv_length(items);
	bool ok = true;

	if (n > SIM_MAX_DECISIONS) {
		ok = fail(c, "inject", "decisions", "expected at most %d decisions, got %u",
			  SIM_MAX_DECISIONS, n);
		goto out;
	}
	struct sim_decision *ds = g_new0(struct sim_decision, n);
	sc->inject.decisions = ds;
	for (unsigned i = 0; ok && i < n; i++) {
		struct sim_decision *d = &ds[sc->inject.nr_decisions];

		ok = parse_decision(c, g_strstrip(items[i]), d);
		if (!ok)
			break;
		/* Two actions at one point occurrence: which one would run? */
		for (unsigned j = 0; j < sc->inject.nr_decisions; j++) {
			if (ds[j].point == d->point && ds[j].occurrence == d->occurrence &&
			    ds[j].task == d->task && ds[j].site == d->site) {
				ok =
				    fail(c, "inject", "decisions",
					 "expected one action per point occurrence, got "
					 "'%s#%" G_GUINT64_FORMAT "' twice",
					 slab_point_name((enum slab_point)d->point), d->occurrence);
				break;
			}
		}
		if (ok)
			sc->inject.nr_decisions++;
	}
out:
	g_strfreev(items);
	return ok;
}

/*
 * Without CONFIG_PREEMPT (preemption none or voluntary) the kernel never
 * preempts or migrates a task in the middle of the allocator: there is no
 * preemption point there.  Injecting one would find races that cannot
 * happen, so it is refused rather than silently skipped.
 */
static bool check_preemptible(struct ctx *c, const char *key, const char *text)
{
	const char *model = sim_preempt_model_name(c->sc->preemption);

	return fail(
	    c, "inject", key,
	    "expected no preempt or migrate with preemption = %s (the kernel cannot preempt "
	    "inside the allocator without CONFIG_PREEMPT; use preemption = full or only irq), "
	    "got '%s'",
	    model, text);
}

/*
 * [inject] KIND_probability: a kind's own chance per point under policy
 * random, below probability (the random scheduler thins that kind's
 * actions to it: sched_random.c).  Set only where it means something: with
 * policy random, for a kind in kinds, above 0 (a kind never taken is left
 * out of kinds) and at most probability.
 */
static bool read_kind_probabilities(struct ctx *c, const struct sim_params *p)
{
	static const enum sim_action_kind rated[] = { SIM_ACT_PREEMPT, SIM_ACT_MIGRATE,
						      SIM_ACT_IRQ };
	struct sim_inject *in = &c->sc->inject;

	memset(in->kind_probability, 0, sizeof(in->kind_probability));
	for (unsigned i = 0; i < G_N_ELEMENTS(rated); i++) {
		enum sim_action_kind k = rated[i];
		char key[32];

		snprintf(key, sizeof(key), "%s_probability", kind_words[k]);
		if (!sim_params_is_set(p, key))
			continue;
		double v = sim_params_double(p, key);
		if (in->policy != SIM_INJECT_RANDOM)
			return fail(c, "inject", key,
				    "expected no %s with policy = %s (it needs policy = random), "
				    "got '%g'",
				    key, policy_words[in->policy], v);
		if (!in->kinds[k])
			return fail(c, "inject", key,
				    "expected %s among kinds ('%s'), got %s = '%g'", kind_words[k],
				    sim_params_string(p, "kinds"), key, v);
		if (!(v > 0 && v <= in->probability))
			return fail(c, "inject", key,
				    "expected a number above 0 and at most probability (%g), got "
				    "'%g'",
				    in->probability, v);
		in->kind_probability[k] = v;
	}
	return true;
}

static bool read_inject(struct ctx *c)
{
	struct sim_scenario *sc = c->sc;
	struct sim_params p;
	const char *decisions;
	bool ok;

	sim_params_init(&p, inject_specs);
	ok = read_params(c, "inject", &p, NULL, NULL);
	if (!ok)
		goto out;
	sc->inject.policy = (enum sim_inject_policy)sim_params_word(&p, "policy");
	sc->inject.every = (uint64_t)sim_params_int(&p, "every");
	sc->inject.probability = sim_params_double(&p, "probability");
	sc->inject.pct_depth = (unsigned)sim_params_int(&p, "depth");
	ok = read_kinds(c, sim_params_string(&p, "kinds")) && read_kind_probabilities(c, &p);
	if (!ok)
		goto out;

	decisions = sim_params_string(&p, "decisions");
	if (sc->inject.policy == SIM_INJECT_DECISIONS) {
		if (!*decisions) {
			ok = fail(
			    c, "inject", "decisions",
			    "missing; policy = decisions expects a list of " SIM_DECISION_SYNTAX);
			goto out;
		}
		ok = read_decisions(c, decisions);
		for (unsigned i = 0; ok && i < sc->inject.nr_decisions; i++)
			if (sc->preemption != SIM_PREEMPT_FULL &&
			    (sc->inject.decisions[i].action == SIM_ACT_PREEMPT ||
			     sc->inject.decisions[i].action == SIM_ACT_MIGRATE))
				ok = check_preemptible(c, "decisions", decisions);
	} else {
		if (sim_params_is_set(&p, "decisions")) {
			ok = fail(c, "inject", "decisions",
				  "expected no decisions with policy = %s (they need policy = "
				  "decisions), got '%s'",
				  policy_words[sc->inject.policy], decisions);
			goto out;
		}
		if (sc->inject.policy != SIM_INJECT_NONE && sc->preemption != SIM_PREEMPT_FULL &&
		    (sc->inject.kinds[SIM_ACT_PREEMPT] || sc->inject.kinds[SIM_ACT_MIGRATE]))
			ok = check_preemptible(c, "kinds", sim_params_string(&p, "kinds"));
	}
out:
	sim_params_free(&p);
	return ok;
}

static char *kind_list(void)
{
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; sim_allocator_violation_kinds[i]; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", sim_allocator_violation_kinds[i]);
	return g_string_free(s, FALSE);
}

/* One DESIGN or DESIGN:KIND of expect_violation. */
static bool read_expectation(struct ctx *c, const char *item)
{
	char *name = g_strdup(item), *colon = strchr(name, ':');
	const char *kind = NULL;
	bool ok = true;
	if (colon) {
		*colon = '\0';
		for (unsigned i = 0; sim_allocator_violation_kinds[i]; i++)
			if (!strcmp(sim_allocator_violation_kinds[i], colon + 1))
				kind = sim_allocator_violation_kinds[i];
	}
	const struct slab_design *d = slab_design_find(name);
	if (!d) {
		char *list = design_list();
		ok = fail(c, "checks", "expect_violation",
			  "unknown design '%s'; expected names from %s", name, list);
		g_free(list);
	} else if (colon && !kind) {
		char *list = kind_list();
		ok =
		    fail(c, "checks", "expect_violation",
			 "unknown violation kind '%s' in '%s'; expected DESIGN or DESIGN:KIND with "
			 "KIND one of %s",
			 colon + 1, item, list);
		g_free(list);
	} else if (c->sc->nr_expected == SIM_MAX_EXPECTATIONS) {
		ok = fail(c, "checks", "expect_violation", "expected at most %d entries",
			  SIM_MAX_EXPECTATIONS);
	} else {
		c->sc->expected[c->sc->nr_expected++] = (struct sim_expectation){ d, kind };
	}
	g_free(name);
	return ok;
}

/* expect_violation: DESIGN[:KIND], ... (no 'all'/'safe': be explicit about what breaks). */
static bool read_expected(struct ctx *c, const char *text)
{
	gchar **items = g_strsplit(text, ",", -1);
	bool ok = true;

	for (unsigned i = 0; ok && items[i]; i++) {
		const char *item = g_strstrip(items[i]);
		if (!*item && !items[1])
			break; /* the empty default */
		ok = read_expectation(c, item);
	}
	g_strfreev(items);
	return ok;
}

static bool read_checks(struct ctx *c)
{
	struct sim_scenario *sc = c->sc;
	struct sim_params p;
	bool ok;

	sim_params_init(&p, checks_specs);
	ok = read_params(c, "checks", &p, NULL, NULL);
	if (ok) {
		sc->validate_every = (uint64_t)sim_params_int(&p, "validate_every");
		sc->leak_check = sim_params_bool(&p, "leak_check");
		sc->livelock_cycles = (uint64_t)sim_params_int(&p, "livelock_cycles");
		ok = read_expected(c, sim_params_string(&p, "expect_violation"));
	}
	sim_params_free(&p);
	return ok;
}

static bool read_faults(struct ctx *c)
{
	struct sim_params p;
	sim_params_init(&p, faults_specs);
	bool ok = read_params(c, "faults", &p, NULL, NULL);
	if (ok) {
		c->sc->faults.page_alloc_fail_nth =
		    (uint64_t)sim_params_int(&p, "page_alloc_fail_nth");
		c->sc->faults.page_alloc_fail_probability =
		    sim_params_double(&p, "page_alloc_fail_probability");
	}
	sim_params_free(&p);
	return ok;
}

enum group_kind { G_SCENARIO, G_COSTS, G_TASK, G_IRQ, G_INJECT, G_CHECKS, G_FAULTS };

/* Which group this is, and for [task NAME] / [irq NAME] its NAME. */
static bool classify(struct ctx *c, const char *g, enum group_kind *kind, const char **name)
{
	static const struct {
		const char *name;
		enum group_kind kind;
	} fixed[] = {
		{ "scenario", G_SCENARIO }, { "costs", G_COSTS },   { "inject", G_INJECT },
		{ "checks", G_CHECKS },	    { "faults", G_FAULTS },
	};

	*name = NULL;
	for (unsigned i = 0; i < G_N_ELEMENTS(fixed); i++) {
		if (!strcmp(g, fixed[i].name)) {
			*kind = fixed[i].kind;
			return true;
		}
	}
	if (g_str_has_prefix(g, "task ") || !strcmp(g, "task")) {
		*kind = G_TASK;
		*name = g + (g[4] ? 5 : 4);
	} else if (g_str_has_prefix(g, "irq ") || !strcmp(g, "irq")) {
		*kind = G_IRQ;
		*name = g + (g[3] ? 4 : 3);
	} else {
		return fail(c, g, NULL,
			    "unknown group; expected [scenario], [costs], [task NAME], [irq NAME], "
			    "[inject], [faults] or [checks]");
	}
	if (!sim_scenario_valid_name(*name))
		return fail(c, g, NULL,
			    "expected [%s NAME] with one space and a NAME of letters, digits, '_', "
			    "'-' or '.', got [%s]",
			    *kind == G_TASK ? "task" : "irq", g);
	/* cpu = all names a group's tasks NAME/CPU: those of the kworkers (decisions name them). */
	if (*kind == G_TASK && !strcmp(*name, SIM_KWORKER_GROUP))
		return fail(c, g, NULL,
			    "expected a task NAME other than '" SIM_KWORKER_GROUP
			    "' (5.15's flush work runs in " SIM_KWORKER_GROUP "/CPU), got [%s]",
			    g);
	return true;
}

static bool read_all(struct ctx *c, const char *data, gsize len)
{
	struct sim_scenario *sc = c->sc;
	gchar **groups;
	GError *e = NULL;
	bool ok = true;
	enum group_kind kind;
	const char *name;

	/* Keep translations so that "key[de] = ..." is seen, and refused. */
	if (!g_key_file_load_from_data(c->kf, data, len, G_KEY_FILE_KEEP_TRANSLATIONS, &e)) {
		fail(c, NULL, NULL, "%s", e->message);
		g_error_free(e);
		return false;
	}
	if (!sim_keyfile_check_groups(&c->w, data, len))
		return false;

	groups = g_key_file_get_groups(c->kf, NULL);
	for (unsigned i = 0; ok && groups[i]; i++)
		ok = classify(c, groups[i], &kind, &name);
	if (ok && !g_key_file_has_group(c->kf, "scenario"))
		ok = fail(c, "scenario", NULL,
			  "missing group; expected [scenario] with at least a name");
	if (ok)
		ok = read_scenario(c);
	if (ok && g_key_file_has_group(c->kf, "costs"))
		ok = read_costs(c);
	for (unsigned i = 0; ok && groups[i]; i++) {
		classify(c, groups[i], &kind, &name);
		if (kind == G_TASK)
			ok = read_task(c, groups[i], name);
		else if (kind == G_IRQ)
			ok = read_irq(c, groups[i], name);
	}
	if (ok && !sc->nr_tasks)
		ok = fail(c, NULL, NULL, "expected at least one [task NAME] group, got none");
	if (ok)
		ok = read_inject(c);
	if (ok)
		ok = read_faults(c);
	if (ok)
		ok = read_checks(c);
	g_strfreev(groups);
	return ok;
}

bool sim_scenario_load(const char *path, struct sim_scenario *out, char *err, unsigned err_len)
{
	struct ctx c = { { path, err, err_len }, NULL, out };
	char *data = NULL;
	gsize len = 0;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (!sim_keyfile_load(&c.w, &data, &len))
		return false;

	/* The hash names these exact bytes: a schedule file refuses any other. */
	{
		GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);

		g_checksum_update(sum, (const guchar *)data, (gssize)len);
		g_strlcpy(out->hash, g_checksum_get_string(sum), sizeof(out->hash));
		g_checksum_free(sum);
	}

	c.kf = g_key_file_new();
	ok = read_all(&c, data, len);
	g_key_file_free(c.kf);
	g_free(data);
	if (ok)
		out->path = g_strdup(path);
	else
		sim_scenario_free(out);
	return ok;
}

void sim_scenario_free(struct sim_scenario *sc)
{
	for (unsigned i = 0; i < sc->nr_tasks; i++)
		free_task(&sc->tasks[i]);
	g_free(sc->tasks);
	for (unsigned i = 0; i < sc->nr_irqs; i++) {
		g_free(sc->irqs[i].name);
		sim_params_free(&sc->irqs[i].params);
	}
	g_free(sc->irqs);
	g_free((void *)sc->inject.decisions); /* the scenario's own (read_decisions) */
	sim_cost_profile_free(&sc->profile);
	g_free(sc->path);
	g_free(sc->name);
	g_free(sc->description);
	memset(sc, 0, sizeof(*sc));
}

const char *sim_action_kind_word(enum sim_action_kind k)
{
	return (unsigned)k < SIM_ACT_COUNT ? kind_words[k] : "?";
}

const char *sim_preempt_model_name(enum sim_preempt_model m)
{
	switch (m) {
	case SIM_PREEMPT_NONE:
		return "none";
	case SIM_PREEMPT_VOLUNTARY:
		return "voluntary";
	case SIM_PREEMPT_FULL:
		return "full";
	}
	return "?";
}

bool sim_scenario_expects_violation(const struct sim_scenario *sc, const struct slab_design *d)
{
	for (unsigned i = 0; i < sc->nr_expected; i++)
		if (sc->expected[i].design == d)
			return true;
	return false;
}

bool sim_scenario_outcome_expected(const struct sim_scenario *sc, const struct slab_design *d,
				   bool violation, bool allocator_bug, const char *kind)
{
	if (!sim_scenario_expects_violation(sc, d))
		return !violation;
	if (!violation || !allocator_bug)
		return false;
	for (unsigned i = 0; i < sc->nr_expected; i++)
		if (sc->expected[i].design == d &&
		    (!sc->expected[i].kind || !strcmp(sc->expected[i].kind, kind)))
			return true;
	return false;
}
