/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workloads.h - the bodies of the built-in workloads (registered in
 * workload_registry.c).
 */
#ifndef SIM_WORKLOADS_H
#define SIM_WORKLOADS_H

#include "workload.h"

void wl_slab_test(struct sim_task *task, const struct sim_params *p);
void wl_smp_alloc_then_free(struct sim_task *task, const struct sim_params *p);
void wl_smp_alloc_free(struct sim_task *task, const struct sim_params *p);
void wl_smp_remote_free(struct sim_task *task, const struct sim_params *p);
void wl_smp_one_alloc_n_free(struct sim_task *task, const struct sim_params *p);
void wl_random_mix(struct sim_task *task, const struct sim_params *p);
void wl_producer(struct sim_task *task, const struct sim_params *p);
void wl_consumer(struct sim_task *task, const struct sim_params *p);
void wl_race_mix(struct sim_task *task, const struct sim_params *p);
void wl_bad_free(struct sim_task *task, const struct sim_params *p);
void wl_irq_alloc_free(struct sim_task *task, const struct sim_params *p);

#endif /* SIM_WORKLOADS_H */
