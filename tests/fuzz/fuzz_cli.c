/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_cli.c - libFuzzer target: the command line of every slabsim command
 * but native (which runs real threads), with argv built from the input:
 * lines, the first the command.  Each command parses and checks its flags,
 * loads its files and stops at its first simulation: the target links with
 * sim_run and sim_explore wrapped (-Wl,--wrap) by versions that refuse to
 * run, so an input costs a parse, never a run.
 *
 * Some words stand for files, so that commands get past loading them:
 * @scenario (SIM_FUZZ_SCENARIO), @table (SIM_FUZZ_TABLE), @schedule (a
 * schedule of that scenario written at start) and @dir (a scratch
 * directory).  Inputs are skipped that GOption answers by exiting (--help
 * and its kin) or that name device, proc or sys files (a read of /dev/tty
 * would wait for a person).
 */
#include <string.h>

#include "cli.h"
#include "explore.h"
#include "fuzz_input.h"
#include "schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
bool __wrap_sim_run(const struct sim_scenario *sc, const struct sim_run_plan *plan,
		    struct sim_run_report *report, char *err, unsigned err_len);
bool __wrap_sim_explore(const struct sim_explore_config *cfg, struct sim_explore_result *res,
			char *err, unsigned err_len);

bool __wrap_sim_run(const struct sim_scenario *sc, const struct sim_run_plan *plan,
		    struct sim_run_report *report, char *err, unsigned err_len)
{
	memset(report, 0, sizeof(*report));
	snprintf(err, err_len, "not run: the fuzz target stops at the first simulation");
	return false;
}

bool __wrap_sim_explore(const struct sim_explore_config *cfg, struct sim_explore_result *res,
			char *err, unsigned err_len)
{
	memset(res, 0, sizeof(*res));
	snprintf(err, err_len, "not run: the fuzz target stops at the first simulation");
	return false;
}

static const struct cli_command commands[] = {
	{ "run", NULL, cli_run },	    { "compare", NULL, cli_compare },
	{ "explore", NULL, cli_explore },   { "replay", NULL, cli_replay },
	{ "bisect", NULL, cli_bisect },	    { "calibrate", NULL, cli_calibrate },
	{ "profiles", NULL, cli_profiles }, { "designs", NULL, cli_designs },
	{ "points", NULL, cli_points },
};

/* A schedule of SIM_FUZZ_SCENARIO that binds: @schedule. */
static const char *schedule_file(void)
{
	static char *path;
	if (path)
		return path;
	struct sim_scenario sc;
	char err[1024];
	if (!sim_scenario_load(SIM_FUZZ_SCENARIO, &sc, err, sizeof(err))) {
		fprintf(stderr, "fuzz_cli: %s\n", err);
		abort();
	}
	struct sim_schedule s = {
		.build = (char *)sim_build_id(),
		.scenario_path = (char *)SIM_FUZZ_SCENARIO,
		.design = (char *)"v3.18",
		.profile = sc.profile.name,
		.seed = 1,
		.violation = (char *)"double-allocation",
		.decisions = g_ptr_array_new(),
	};
	g_strlcpy(s.scenario_hash, sc.hash, sizeof(s.scenario_hash));
	g_ptr_array_add(s.decisions, (char *)"slab_alloc.read_freelist#3:preempt");
	path = g_strdup(fuzz_input_file((const uint8_t *)"", 0, "replay.schedule"));
	if (!sim_schedule_write(path, &s, err, sizeof(err))) {
		fprintf(stderr, "fuzz_cli: %s\n", err);
		abort();
	}
	g_ptr_array_free(s.decisions, TRUE);
	sim_scenario_free(&sc);
	return path;
}

/* Would GOption exit on this word (help), or does it name a file best left alone? */
static bool skipped(const char *w)
{
	if (!strncmp(w, "--help", 6) || strstr(w, "/dev") || strstr(w, "/proc") ||
	    strstr(w, "/sys"))
		return true;
	/* A cluster of short options: -qh asks for help too. */
	return w[0] == '-' && w[1] != '-' && strpbrk(w + 1, "h?");
}

static char *word(const char *w)
{
	if (!strcmp(w, "@scenario"))
		return g_strdup(SIM_FUZZ_SCENARIO);
	if (!strcmp(w, "@table"))
		return g_strdup(SIM_FUZZ_TABLE);
	if (!strcmp(w, "@schedule"))
		return g_strdup(schedule_file());
	if (!strcmp(w, "@dir"))
		return g_strdup(fuzz_dir);
	return g_strdup(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096 || memchr(data, '\0', size))
		return 0;
	schedule_file(); /* and fuzz_dir */
	char *text = g_strndup((const char *)data, size);
	char **words = g_strsplit(text, "\n", 64);
	g_free(text);
	unsigned n = g_strv_length(words);
	const struct cli_command *cmd = NULL;
	for (unsigned i = 0; n && i < G_N_ELEMENTS(commands); i++)
		if (!strcmp(words[0], commands[i].name))
			cmd = &commands[i];
	for (unsigned i = 0; cmd && i < n; i++)
		if (skipped(words[i]))
			cmd = NULL;
	if (cmd) {
		/* GOption takes parsed words out of argv: keep the strings to free them. */
		char **keep = g_new0(char *, n + 1), **argv = g_new0(char *, n + 1);
		for (unsigned i = 0; i < n; i++)
			keep[i] = argv[i] = word(words[i]);
		int argc = (int)n;
		cmd->run(argc, argv);
		fflush(stdout);
		g_strfreev(keep);
		g_free(argv);
	}
	g_strfreev(words);
	return 0;
}
