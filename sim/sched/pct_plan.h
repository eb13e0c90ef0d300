/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pct_plan.h - PCT's plans (Burckhardt et al., ASPLOS 2010): for one run, the
 * bug depth d, the tasks' priority order and the d - 1 steps where the
 * running task's priority drops (the change points), as a function of the
 * run's index.
 *
 * Why a function of the index and not a draw: explore splits one campaign
 * over processes and shards that share nothing, and drawn plans repeat (on
 * race-preempt, 48% of 5,000 drawn plans did).  Here distinct indices give
 * distinct plans until every plan of the space has been given once: index
 * -> (depth, a number below the depth's plan count) is a bijection that
 * takes the depths in turn, and that number goes through a keyed
 * permutation (so consecutive indices are far apart, not the
 * lexicographic neighbours) and is then decoded, in mixed radix, into a
 * combination of d - 1 of the k steps (the combinatorial number system)
 * and a priority order (Fisher-Yates driven by the remaining digits).
 */
#ifndef SIM_PCT_PLAN_H
#define SIM_PCT_PLAN_H

#include <stdint.h>

#define SIM_PCT_DEPTH_MAX 16
#define SIM_PCT_CHANGES_MAX (SIM_PCT_DEPTH_MAX - 1)

/* The plans one campaign draws from. */
struct sim_pct_space {
	unsigned tasks;		       /* n, >= 1 */
	uint64_t k;		       /* change points lie in steps 1 .. k, k >= 1 */
	unsigned depth_min, depth_max; /* 1 <= min <= max <= SIM_PCT_DEPTH_MAX */
};

struct sim_pct_plan {
	/*
	 * d; 0: the calibration plan, which changes nothing: every task the
	 * same priority and no change point (the run without actions).
	 */
	unsigned depth;
	unsigned nchange;		      /* min(d - 1, k) */
	uint64_t change[SIM_PCT_CHANGES_MAX]; /* ascending, in 1 .. k */
	/*
	 * The priority order's digits: task order_task(i) gets priority
	 * d + i (sim_pct_priorities).  Distinct below n!.
	 */
	uint64_t order;
};

/*
 * The number of plans of depth d: C(k, d - 1) * n!, UINT64_MAX when that
 * is UINT64_MAX or more (a campaign never gets through so many).
 */
uint64_t sim_pct_plans(const struct sim_pct_space *s, unsigned depth);

/*
 * The plan of run index under key (the campaign's: derived from its
 * master seed).  Distinct indices below the total of sim_pct_plans over the
 * depths give distinct plans; beyond it the plans repeat in the same order.
 */
void sim_pct_plan_of(const struct sim_pct_space *s, uint64_t key, uint64_t index,
		     struct sim_pct_plan *out);

/* The priorities of a plan's n tasks into prio[]: a permutation of d .. d + n - 1. */
void sim_pct_priorities(const struct sim_pct_plan *p, unsigned n, int *prio);

#endif /* SIM_PCT_PLAN_H */
