/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched.c - the registry of schedulers (scheduler.h), by [inject] policy.
 */
#include <stddef.h>

#include "scheduler.h"

/* By enum sim_inject_policy (schedulers.def). */
static const struct sim_sched *const registry[] = {
#define SIM_SCHED(name, word, in_scenarios) [SIM_INJECT_##name] = &sim_sched_##word,
#include "schedulers.def"
#undef SIM_SCHED
};

/* The words a scenario's [inject] policy may name, in enum order (the first ones). */
const char *const sim_sched_policy_words[] = {
#define SIM_SCHED(name, word, in_scenarios) in_scenarios ? #word : NULL,
#include "schedulers.def"
#undef SIM_SCHED
	NULL
};

_Static_assert(sizeof(registry) / sizeof(registry[0]) == SIM_INJECT_COUNT,
	       "every policy has a scheduler");

const struct sim_sched *sim_sched_for(enum sim_inject_policy policy)
{
	return (unsigned)policy < SIM_INJECT_COUNT ? registry[policy] : &sim_sched_none;
}

const struct sim_sched sim_sched_none = { SIM_INJECT_NONE, "none", NULL, NULL, NULL };
