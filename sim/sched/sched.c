/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched.c - the registry of schedulers (scheduler.h), by [inject] policy.
 */
#include <stddef.h>

#include "scheduler.h"

/* By enum sim_inject_policy; the words scenario files use. */
static const struct sim_sched *const registry[] = {
	[SIM_INJECT_NONE] = &sim_sched_none,	 [SIM_INJECT_EVERY] = &sim_sched_every,
	[SIM_INJECT_RANDOM] = &sim_sched_random, [SIM_INJECT_DECISIONS] = &sim_sched_decisions,
	[SIM_INJECT_PCT] = &sim_sched_pct,	 [SIM_INJECT_STEPS] = &sim_sched_steps,
};

/* A scenario names the first five; explore's bounded search sets "steps" itself. */
const char *const sim_sched_policy_words[] = {
	"none", "every", "random", "decisions", "pct", NULL
};

_Static_assert(sizeof(registry) / sizeof(registry[0]) == SIM_INJECT_STEPS + 1,
	       "every policy has a scheduler");

const struct sim_sched *sim_sched_for(enum sim_inject_policy policy)
{
	return (unsigned)policy < sizeof(registry) / sizeof(registry[0]) ? registry[policy]
									 : &sim_sched_none;
}

const struct sim_sched sim_sched_none = { SIM_INJECT_NONE, "none", NULL, NULL, NULL };
