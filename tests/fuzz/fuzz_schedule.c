/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_schedule.c - libFuzzer target: the schedule reader (schedule.h) on
 * any bytes, then, for a schedule it accepts, the binding of its design and
 * decisions to scenarios/race-preempt.ini (SIM_FUZZ_SCENARIO).  The hash and
 * build checks are plain string comparisons that a fuzzer cannot get past;
 * the schedule is given the loaded scenario's hash and this build's id so
 * that its decisions are parsed against the scenario.
 */
#include <string.h>

#include "fuzz_input.h"
#include "schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sim_scenario *scenario(void)
{
	static struct sim_scenario sc;
	static bool loaded;
	char err[1024];
	if (!loaded && !sim_scenario_load(SIM_FUZZ_SCENARIO, &sc, err, sizeof(err))) {
		fprintf(stderr, "fuzz_schedule: %s\n", err);
		abort();
	}
	loaded = true;
	return &sc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_scenario *sc = scenario();
	const char *path = fuzz_input_file(data, size, "fuzz.schedule");
	struct sim_schedule s;
	char err[1024];
	if (!sim_schedule_read(path, &s, err, sizeof(err))) {
		if (!err[0])
			abort(); /* a refusal always says why */
		return 0;
	}
	g_strlcpy(s.scenario_hash, sc->hash, sizeof(s.scenario_hash));
	g_free(s.build);
	s.build = g_strdup(sim_build_id());
	struct sim_replay r;
	if (sim_schedule_bind(path, &s, sc, &r, err, sizeof(err)))
		sim_replay_free(&r);
	sim_schedule_free(&s);
	return 0;
}
