/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_scenario.c - libFuzzer target: the scenario reader (scenario.h) on
 * any bytes.  It must accept or refuse with one message, never crash, leak
 * or run into undefined behaviour.
 */
#include <string.h>

#include "fuzz_input.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_scenario sc;
	char err[1024];
	if (sim_scenario_load(fuzz_input_file(data, size, "scenario.ini"), &sc, err, sizeof(err)))
		sim_scenario_free(&sc);
	else if (!err[0])
		abort(); /* a refusal always says why */
	return 0;
}
