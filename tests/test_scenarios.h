/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_scenarios.h - what the tests that run shipped scenarios share: the
 * source tree's scenarios/ directory (set by main from argv[1]) and
 * loading a scenario from it, failing the test with the reader's message.
 */
#ifndef TEST_SCENARIOS_H
#define TEST_SCENARIOS_H

#include <glib.h>

#include "scenario.h"

static const char *scenarios_dir;

static void load(const char *file, struct sim_scenario *sc)
{
	char *path = g_build_filename(scenarios_dir, file, NULL);
	char err[512];
	if (!sim_scenario_load(path, sc, err, sizeof(err)))
		fail_msg("%s", err);
	g_free(path);
}

#endif /* TEST_SCENARIOS_H */
