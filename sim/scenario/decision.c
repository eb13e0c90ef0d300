/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * decision.c - reading and writing POINT[@SITE]#OCCURRENCE[@TASK]:ACTION (decision.h).
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "decision.h"
#include "kernel_machine.h"
#include "port.h"

/* Digits only, at least one, no overflow; the value in 0..max. */
static bool parse_number(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (const char *p = s; *p; p++) {
		uint64_t digit = (uint64_t)(*p - '0');
		if (!g_ascii_isdigit(*p) || v > (UINT64_MAX - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*out = v;
	return v <= max;
}

static char *irq_list(const struct sim_scenario *sc)
{
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; i < sc->nr_irqs; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", sc->irqs[i].name);
	if (!sc->nr_irqs)
		g_string_append(s, "there is none");
	return g_string_free(s, FALSE);
}

/*
 * 5.15's flush work runs in a kworker per CPU (the engine's kworker.c), a
 * task after the scenario's tasks and the interrupt contexts: a preemption
 * may switch to it.
 */
#define KWORKER_PREFIX SIM_KWORKER_GROUP "/"

/* ACTION[:ARG] into d->action and d->arg. */
static bool parse_action(const char *action, const char *arg, const char *text,
			 const struct sim_scenario *sc, struct sim_decision *d, char *err,
			 unsigned err_len)
{
	uint64_t v;
	d->arg = 0;
	if (!strcmp(action, "preempt")) {
		d->action = SIM_ACT_PREEMPT;
		if (!arg)
			return true;
		for (unsigned i = 0; i < sc->nr_tasks; i++)
			if (!strcmp(sc->tasks[i].name, arg))
				d->arg = (int)i + 1;
		if (!d->arg && g_str_has_prefix(arg, KWORKER_PREFIX) &&
		    parse_number(arg + strlen(KWORKER_PREFIX), sc->cpus - 1, &v))
			d->arg = (int)(sim_scenario_kworker_id(sc, (unsigned)v) + 1);
		if (!d->arg)
			snprintf(err, err_len,
				 "expected the name of a task of this scenario or " KWORKER_PREFIX
				 "0..%u to switch to, got '%s' in '%s'",
				 sc->cpus - 1, arg, text);
		return d->arg != 0;
	}
	if (!strcmp(action, "migrate") && arg) {
		d->action = SIM_ACT_MIGRATE;
		if (!parse_number(arg, sc->cpus - 1, &v)) {
			snprintf(err, err_len,
				 "expected a CPU in 0..%u to migrate to, got '%s' in '%s'",
				 sc->cpus - 1, arg, text);
			return false;
		}
		d->arg = (int)v;
		return true;
	}
	if (!strcmp(action, "irq") && arg) {
		d->action = SIM_ACT_IRQ;
		for (unsigned i = 0; i < sc->nr_irqs; i++)
			if (!strcmp(sc->irqs[i].name, arg)) {
				d->arg = (int)i;
				return true;
			}
		char *list = irq_list(sc);
		snprintf(err, err_len,
			 "expected the NAME of an [irq NAME] group (%s), got '%s' in '%s'", list,
			 arg, text);
		g_free(list);
		return false;
	}
	if (!strcmp(action, "fail") && !arg) {
		d->action = SIM_ACT_FAIL;
		d->arg = 0;
		return true;
	}
	snprintf(err, err_len, "expected " SIM_DECISION_SYNTAX ", got '%s'", text);
	return false;
}

bool sim_decision_parse(const char *text, const struct sim_scenario *sc, struct sim_decision *d,
			char *err, unsigned err_len)
{
	char *copy = g_strdup(text);
	char *hash = strchr(copy, '#');
	char *colon = hash ? strchr(hash + 1, ':') : NULL;
	bool ok = false;
	if (!colon) {
		snprintf(err, err_len, "expected " SIM_DECISION_SYNTAX ", got '%s'", text);
		goto out;
	}
	*hash = '\0';
	*colon = '\0';
	/* POINT@SITE#N@TASK: a kernel design's point at one site. */
	char *site = strchr(copy, '@');
	if (site)
		*site++ = '\0';
	d->point = slab_point_find(copy);
	if (d->point < 0) {
		snprintf(err, err_len,
			 "unknown point '%s' in '%s'; expected a point name (see `slabsim points`)",
			 copy, text);
		goto out;
	}
	d->site = 0;
	if (site && !g_str_has_prefix(copy, "kernel.")) {
		snprintf(err, err_len,
			 "expected a kernel.* point before '@%s' (only a kernel design's points "
			 "have sites), got '%s' in '%s'",
			 site, copy, text);
		goto out;
	}
	if (site) {
		d->site = sim_site_find(site);
		if (!d->site) {
			snprintf(err, err_len,
				 "unknown site '%s' in '%s'; expected FUNCTION:LINE[K] of a point "
				 "of a kernel design built in, as traces and bisect print them",
				 site, text);
			goto out;
		}
	}
	/* POINT#N@TASK: the Nth time that task reaches the point. */
	char *at = strchr(hash + 1, '@');
	d->task = 0;
	if (at) {
		*at = '\0';
		for (unsigned i = 0; i < sc->nr_tasks && !d->task; i++)
			if (!strcmp(sc->tasks[i].name, at + 1))
				d->task = (int)i + 1;
		if (!d->task) {
			snprintf(err, err_len,
				 "expected the name of a task of this scenario after '@', got '%s' "
				 "in '%s'",
				 at + 1, text);
			goto out;
		}
	}
	if (d->site && !d->task) {
		snprintf(err, err_len,
			 "expected @TASK after a site's occurrence (a site counts one task's "
			 "visits), got '%s' in '%s'",
			 hash + 1, text);
		goto out;
	}
	uint64_t max = d->task ? SIM_DECISION_TASK_OCCURRENCE_MAX - 1 : UINT64_MAX;
	if (!parse_number(hash + 1, max, &d->occurrence) || !d->occurrence) {
		snprintf(err, err_len,
			 "expected an occurrence in 1..%" G_GUINT64_FORMAT ", got '%s' in '%s'",
			 (guint64)max, hash + 1, text);
		goto out;
	}
	char *arg = strchr(colon + 1, ':');
	if (arg)
		*arg++ = '\0';
	ok = parse_action(colon + 1, arg, text, sc, d, err, err_len);
out:
	g_free(copy);
	return ok;
}

char *sim_decision_text(const struct sim_decision *d, const struct sim_scenario *sc)
{
	GString *out = g_string_new(slab_point_name((enum slab_point)d->point));
	if (d->site)
		g_string_append_printf(out, "@%s", sim_site_label(d->site));
	g_string_append_printf(out, "#%llu", (unsigned long long)d->occurrence);
	if (d->task)
		g_string_append_printf(out, "@%s", sc->tasks[d->task - 1].name);
	switch (d->action) {
	case SIM_ACT_PREEMPT:
		g_string_append(out, ":preempt");
		if (d->arg > 0 && (unsigned)d->arg > sim_scenario_kworker_id(sc, 0))
			g_string_append_printf(out, ":" SIM_KWORKER_NAME_FORMAT,
					       (unsigned)d->arg - 1 -
						   sim_scenario_kworker_id(sc, 0));
		else if (d->arg > 0)
			g_string_append_printf(out, ":%s", sc->tasks[d->arg - 1].name);
		break;
	case SIM_ACT_MIGRATE:
		g_string_append_printf(out, ":migrate:%d", d->arg);
		break;
	case SIM_ACT_IRQ:
		g_string_append_printf(out, ":irq:%s", sc->irqs[d->arg].name);
		break;
	case SIM_ACT_FAIL:
		g_string_append(out, ":fail");
		break;
	}
	return g_string_free(out, FALSE);
}
