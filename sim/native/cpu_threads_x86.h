/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpu_threads_x86.h - CPUs for the kernel-shaped build: the calling thread
 * becomes CPU 0 and one sleeping thread per further CPU holds that CPU's
 * per-CPU area (see cpu_threads_x86.c).  Kernel-shaped object only.
 */
#ifndef SIM_CPU_THREADS_X86_H
#define SIM_CPU_THREADS_X86_H

/* NULL on success, else what was wrong.  Start before the world. */
const char *cpu_threads_x86_start(unsigned nr_cpus);
/* After the world is destroyed. */
void cpu_threads_x86_stop(void);

#endif /* SIM_CPU_THREADS_X86_H */
