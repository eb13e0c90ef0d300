/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * port_native.h - the port on real threads: one host thread per CPU, real
 * atomics, cycles from the TSC.
 *
 * Each thread says which CPU it is with native_set_cpu() before calling the
 * allocator; a thread never changes CPU while it runs allocator code, so
 * there is no migration in native mode, and no interrupt.  Per-CPU data is
 * written only by its own thread, which is what the kernel guarantees too.
 * on_each_cpu() runs the function on the calling thread once per CPU: call
 * the allocator operations that use it (kmem_cache_shrink, destroy) only
 * while the other threads are quiescent.
 */
#ifndef SIM_PORT_NATIVE_H
#define SIM_PORT_NATIVE_H

#include <stdint.h>

#include "port.h"

extern const struct slab_port_ops native_port_ops;

void native_set_cpu(unsigned cpu);
unsigned native_current_cpu(void);
/* rdtsc, ordered after earlier loads and before later ones (lfence). */
uint64_t native_cycles(void);

/* Run fn(cpu, arg) on nr_threads threads, thread i as CPU i, and join. */
typedef void (*native_thread_fn)(unsigned cpu, void *arg);
int native_run(unsigned nr_threads, native_thread_fn fn, void *arg);

#endif /* SIM_PORT_NATIVE_H */
