/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_profile.c - libFuzzer target: the cost profile reader
 * (cost_profile.h) on any bytes, as a profile file given by path.
 */
#include <string.h>

#include "cost_profile.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_cost_profile p;
	char err[1024];
	if (sim_cost_profile_load(fuzz_input_file(data, size, "profile.ini"), &p, err, sizeof(err)))
		sim_cost_profile_free(&p);
	else if (!err[0])
		abort(); /* a refusal always says why */
	return 0;
}
