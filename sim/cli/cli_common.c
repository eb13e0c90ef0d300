/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_common.c - option parsing and design lists shared by the subcommands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

gboolean cli_parse(const char *name, const char *params, GOptionEntry *entries, int *argc,
		   char ***argv)
{
	g_autofree char *title = g_strdup_printf("slabsim %s", name);
	GOptionContext *ctx = g_option_context_new(params);
	g_option_context_set_summary(ctx, title);
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_autoptr(GError) err = NULL;
	gboolean ok = g_option_context_parse(ctx, argc, argv, &err);
	if (!ok)
		fprintf(stderr, "slabsim %s: %s\n", name, err->message);
	g_option_context_free(ctx);
	return ok;
}

int cli_designs_from_list(const char *list, const struct slab_design **out, int max)
{
	int n = 0;
	g_auto(GStrv) names = g_strsplit(list, ",", -1);
	for (char **p = names; *p; p++) {
		const char *name = g_strstrip(*p);
		if (!strcmp(name, "all") || !strcmp(name, "safe")) {
			bool safe_only = !strcmp(name, "safe");
			for (unsigned i = 0; i < slab_design_count() && n < max; i++)
				if (!safe_only || !slab_design_at(i)->mutant)
					out[n++] = slab_design_at(i);
			continue;
		}
		const struct slab_design *d = slab_design_find(name);
		if (!d) {
			fprintf(stderr, "slabsim: unknown design '%s' (see 'slabsim designs')\n",
				name);
			return -1;
		}
		if (n < max)
			out[n++] = d;
	}
	return n;
}

bool cli_seed_option(const char *command, const char *text, uint64_t *seed)
{
	if (!text)
		return true;
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	/* strtoull clamps an overflow to its maximum and takes "-3": refuse both. */
	if (!*text || *end || *text == '-' || *text == '+' || errno == ERANGE) {
		fprintf(stderr,
			"slabsim %s: --seed: expected a non-negative integer up to "
			"18446744073709551615, got '%s'\n",
			command, text);
		return false;
	}
	*seed = v;
	return true;
}

bool cli_int_option(const char *command, const char *flag, long long value, long long lo,
		    long long hi)
{
	if (value >= lo && value <= hi)
		return true;
	if (hi == INT64_MAX)
		fprintf(stderr, "slabsim %s: %s: expected at least %lld, got %lld\n", command, flag,
			lo, value);
	else
		fprintf(stderr, "slabsim %s: %s: expected %lld .. %lld, got %lld\n", command, flag,
			lo, hi, value);
	return false;
}

bool cli_designs_option(const char *command, const char *list, const struct sim_scenario *sc,
			struct cli_designs *out)
{
	if (!list) {
		memcpy(out->d, sc->designs, sc->nr_designs * sizeof(out->d[0]));
		out->n = sc->nr_designs;
		return true;
	}
	int n = cli_designs_from_list(list, out->d, SIM_MAX_DESIGNS);
	if (n == 0)
		fprintf(stderr, "slabsim %s: --designs: no design named\n", command);
	if (n <= 0)
		return false;
	out->n = (unsigned)n;
	return true;
}

bool cli_trace_window(const char *command, const char *text, uint64_t *from, uint64_t *to)
{
	unsigned long long a, b;
	char extra;
	if (!text)
		return true;
	if (sscanf(text, "%llu:%llu%c", &a, &b, &extra) != 2 || a < 1 || b <= a ||
	    strchr(text, '-')) {
		fprintf(stderr,
			"slabsim %s: --trace-window: expected FROM:TO, operations with "
			"1 <= FROM < TO, got '%s'\n",
			command, text);
		return false;
	}
	*from = a;
	*to = b;
	return true;
}

bool cli_write_trace(const char *command, const char *path, const char *window,
		     const struct sim_run_report *runs, unsigned n)
{
	uint64_t from = 1, to = 1 + CLI_TRACE_OPS_MAX;
	if (window) {
		if (!cli_trace_window(command, window, &from, &to))
			return false;
	} else if (n == 1 && runs[0].violation) {
		/* A replay: what led to its violation. */
		uint64_t v = runs[0].violation_event;
		from = v > CLI_TRACE_REPLAY_OPS ? v - CLI_TRACE_REPLAY_OPS : 1;
		to = v + 2;
	}
	FILE *f = fopen(path, "w");
	if (f) {
		sim_report_trace(f, runs, n, from, to);
		if (!(ferror(f) | fclose(f)))
			return true;
	}
	fprintf(stderr, "slabsim %s: --trace: cannot write %s: %s\n", command, path,
		g_strerror(errno));
	return false;
}
