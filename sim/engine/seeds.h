/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * seeds.h - every seed the simulator derives, in one place.
 *
 * One seed drives a run (TigerBeetle's rule): the scenario's, --seed's, or
 * the one explore derives for run index i from its master seed.  From a
 * run's seed come its random streams: the engine's (schedulers' draws), one
 * per task and one per CPU's interrupt context.  One derivation serves all
 * of them: splitmix64 of a seed and an index, the stream's id folded into
 * the seed.  A schedule file names its build, so a change here never
 * replays an old file differently: replay refuses it.
 */
#ifndef SIM_SEEDS_H
#define SIM_SEEDS_H

#include <stdint.h>

enum sim_seed_stream {
	SIM_SEED_ENGINE, /* the schedulers' draws (random, pct) */
	SIM_SEED_TASK,	 /* task index: the workload's draws */
	SIM_SEED_IRQ,	 /* CPU index: its interrupt handlers' draws */
	SIM_SEED_PCT,	 /* explore's PCT plans: the key of a campaign's (master seed) */
	SIM_SEED_FAULT,	 /* call index: page_alloc_fail_probability's draws ([faults]) */
};

/* The seed of run index under a master seed (splitmix64, 63 bits). */
uint64_t sim_seed_run(uint64_t master, uint64_t index);

/*
 * The seed of a run's random stream number index (a task, a CPU): the same
 * splitmix64, all 64 bits; it seeds that stream's generator (rng.h).
 */
uint64_t sim_seed_stream(uint64_t run_seed, enum sim_seed_stream stream, unsigned index);

/*
 * Draw number index of a run's stream, uniform in [0, 1): the top 53 bits
 * of the same splitmix64.  Stateless, so that the Nth draw is the same
 * whatever was drawn before it.
 */
double sim_seed_uniform(uint64_t run_seed, enum sim_seed_stream stream, uint64_t index);

#endif /* SIM_SEEDS_H */
