/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_merge.c - "slabsim merge RESULT.json...": the shards of one
 * exploration (explore --shard i/n --result FILE) merged (merge.h), printed
 * as one process with the same budget prints them, and written as one
 * result file.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_explore.h"
#include "cli_merge.h"
#include "merge.h"

/* What a merge could not count, and finds past the first, on stderr. */
static void print_notes(const char *command, const struct sim_result *out,
			const struct sim_merge_report *rep, unsigned shards)
{
	if (rep->nr_missing) {
		fprintf(stderr, "slabsim %s: %s: missing shards (no result file):", command,
			out->scenario_path);
		for (unsigned m = 0; m < rep->nr_missing; m++)
			fprintf(stderr, "%s %u/%u", m ? "," : "", rep->missing[m], shards);
		fprintf(stderr, "\n");
	}
	for (unsigned i = 0; i < rep->nr_designs; i++) {
		const struct sim_result_design *d = g_ptr_array_index(out->designs, i);
		const struct sim_merge_design *md = &rep->designs[i];
		if (!md->complete && md->gap)
			fprintf(stderr,
				"slabsim %s: %s: design %s: incomplete: no shard ran index %llu, "
				"so the figures count runs 0 .. %llu only\n",
				command, out->scenario_path, d->design, (unsigned long long)md->gap,
				(unsigned long long)md->gap - 1);
		else if (!md->complete)
			fprintf(
			    stderr,
			    "slabsim %s: %s: design %s: incomplete: no shard ran index 0, so the "
			    "figures count no runs\n",
			    command, out->scenario_path, d->design);
		for (unsigned l = 0; l < md->later->len; l++) {
			const struct sim_result_find *f = g_ptr_array_index(md->later, l);
			fprintf(stderr,
				"slabsim %s: %s: design %s: also found %s at run %llu, past the "
				"counted runs%s%s\n",
				command, out->scenario_path, d->design, f->kind,
				(unsigned long long)f->run, f->schedule ? ": schedule " : "",
				f->schedule ? f->schedule : "");
		}
	}
}

void cli_merge_print(const struct sim_result *out, const struct sim_scenario *sc)
{
	struct sim_explore_config cfg;
	char err[256];
	/* The designs were checked when the shards were read: this cannot fail. */
	if (!sim_merge_config(out, sc, NULL, &cfg, err, sizeof(err)))
		g_error("%s", err);
	cli_explore_print_header(&cfg, out->settings.probability);
	for (unsigned i = 0; i < out->designs->len; i++) {
		const struct sim_result_design *d = g_ptr_array_index(out->designs, i);
		cfg.design = slab_design_find(d->design);
		cli_explore_print_result(&cfg, &d->totals);
		if (d->totals.found)
			cli_explore_print_find(&d->find, d->totals.runs);
		else if (!strcmp(d->stopped, "budget"))
			cli_explore_print_clean(&d->totals);
	}
}

int cli_merge_results(const char *command, char **files, unsigned n, struct sim_result *out,
		      struct sim_merge_report *rep, struct sim_scenario *sc)
{
	struct sim_result *in = g_new0(struct sim_result, n);
	struct sim_result **ptrs = g_new0(struct sim_result *, n);
	char err[1024];
	int rc = CLI_EXIT_OK;
	bool loaded = false;
	for (unsigned r = 0; r < n && rc == CLI_EXIT_OK; r++) {
		ptrs[r] = &in[r];
		if (!sim_result_read(files[r], &in[r], err, sizeof(err))) {
			fprintf(stderr, "slabsim %s: %s\n", command, err);
			rc = CLI_EXIT_USAGE;
		}
	}
	if (rc == CLI_EXIT_OK && !sim_scenario_load(in[0].scenario_path, sc, err, sizeof(err))) {
		fprintf(stderr, "slabsim %s: %s: scenario.path: %s\n", command, files[0], err);
		rc = CLI_EXIT_USAGE;
	} else if (rc == CLI_EXIT_OK) {
		loaded = true;
		if (!sim_merge(ptrs, n, sc, out, rep, err, sizeof(err))) {
			fprintf(stderr, "slabsim %s: %s\n", command, err);
			rc = CLI_EXIT_USAGE;
		}
	}
	if (rc == CLI_EXIT_OK) {
		print_notes(command, out, rep, in[0].shards);
		bool complete = !rep->nr_missing, found = false;
		for (unsigned i = 0; i < rep->nr_designs; i++) {
			complete &= rep->designs[i].complete;
			const struct sim_result_design *d = g_ptr_array_index(out->designs, i);
			found |= d->totals.found || rep->designs[i].later->len;
		}
		rc = !complete ? CLI_EXIT_INCOMPLETE : found ? CLI_EXIT_VIOLATION : CLI_EXIT_OK;
	}
	for (unsigned r = 0; r < n; r++)
		sim_result_free(&in[r]);
	g_free(in);
	g_free(ptrs);
	if (!loaded)
		memset(sc, 0, sizeof(*sc));
	return rc;
}

int cli_merge(int argc, char **argv)
{
	g_autofree char *out_path = NULL;
	GOptionEntry entries[] = {
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path,
		  "write the merged result (as explore --result of one process) to FILE", "FILE" },
		{ NULL },
	};
	if (!cli_parse("merge", "RESULT.json...", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc < 2) {
		fprintf(stderr, "slabsim merge: expected one or more RESULT files (see --help)\n");
		return CLI_EXIT_USAGE;
	}
	struct sim_result out = { 0 };
	struct sim_merge_report rep = { 0 };
	struct sim_scenario sc;
	int rc = cli_merge_results("merge", argv + 1, (unsigned)argc - 1, &out, &rep, &sc);
	if (rc != CLI_EXIT_USAGE) {
		cli_merge_print(&out, &sc);
		char err[512];
		if (out_path && !sim_result_write(out_path, &out, err, sizeof(err))) {
			fprintf(stderr, "slabsim merge: --out: %s\n", err);
			rc = CLI_EXIT_USAGE;
		}
	}
	cli_merge_free(&out, &rep, &sc);
	return rc;
}

void cli_merge_free(struct sim_result *out, struct sim_merge_report *rep, struct sim_scenario *sc)
{
	sim_merge_report_free(rep);
	sim_result_free(out);
	if (sc->path)
		sim_scenario_free(sc);
}
