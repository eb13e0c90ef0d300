/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpu_threads_x86.c - the machine under the kernel-shaped build
 * (alloc/port_x86.h): one host thread per CPU, whose TLS holds that CPU's
 * per-CPU area, preempt count and irq flag; the out-of-line halves of the
 * primitives (the page allocator behind its lock, on_each_cpu, the
 * reschedule call).
 *
 * The calling thread is CPU 0 and runs the workload.  CPUs 1..n-1 are
 * threads that exist so that their per-CPU areas exist; they sleep until
 * on_each_cpu sends them a function to run (the kernel sends an IPI), so a
 * flush of CPU n's per-CPU slab runs on CPU n, through its own %fs, as the
 * kernel's flush_cpu_slab runs on its CPU.
 *
 * Compiled only into the kernel-shaped object (sim/meson.build).
 */
#include <pthread.h>
#include <stdlib.h>

#include "cpu_threads_x86.h"
#include "page_alloc.h"
#include "port.h"
#include "slab_world.h"

__thread unsigned slab_x86_cpu_number SLAB_TLS;
__thread int slab_x86_preempt_count SLAB_TLS = SLAB_X86_PREEMPT_NEED_RESCHED;
__thread unsigned char slab_x86_irqs_enabled SLAB_TLS = 1;

static struct {
	unsigned nr_cpus;
	pthread_t thread[SLAB_MAX_CPUS];
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	unsigned registered; /* CPUs whose thread has registered its area */
	unsigned target;     /* the CPU an IPI is for */
	unsigned long sent, handled;
	void (*fn)(void *arg);
	void *arg;
	bool stop;
} cpus = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};

/* zone->lock: taken with irqs saved, as the page allocator does. */
static slab_spinlock_t page_lock;

static void become_cpu(unsigned cpu)
{
	slab_x86_cpu_number = cpu;
	slab_x86_preempt_count = SLAB_X86_PREEMPT_NEED_RESCHED;
	slab_x86_irqs_enabled = 1;
	slab_percpu_register_this_thread(cpu);
}

static void *cpu_main(void *p)
{
	unsigned cpu = (unsigned)(unsigned long)p;
	become_cpu(cpu);
	pthread_mutex_lock(&cpus.lock);
	cpus.registered++;
	pthread_cond_broadcast(&cpus.done);
	for (;;) {
		while (!cpus.stop && !(cpus.target == cpu && cpus.sent != cpus.handled))
			pthread_cond_wait(&cpus.wake, &cpus.lock);
		if (cpus.stop)
			break;
		pthread_mutex_unlock(&cpus.lock);
		cpus.fn(cpus.arg);
		pthread_mutex_lock(&cpus.lock);
		cpus.handled = cpus.sent;
		pthread_cond_broadcast(&cpus.done);
	}
	pthread_mutex_unlock(&cpus.lock);
	return NULL;
}

const char *cpu_threads_x86_start(unsigned nr_cpus)
{
	if (cpus.nr_cpus)
		return "the CPU threads are already running";
	if (nr_cpus < 1 || nr_cpus > SLAB_MAX_CPUS)
		return "nr_cpus must be 1 .. 1024";
	become_cpu(0);
	cpus.registered = 1;
	cpus.stop = false;
	cpus.sent = cpus.handled = 0;
	for (unsigned cpu = 1; cpu < nr_cpus; cpu++) {
		if (pthread_create(&cpus.thread[cpu], NULL, cpu_main, (void *)(unsigned long)cpu)) {
			cpus.nr_cpus = cpu;
			cpu_threads_x86_stop();
			return "cannot start a thread for every CPU";
		}
	}
	cpus.nr_cpus = nr_cpus;
	pthread_mutex_lock(&cpus.lock);
	while (cpus.registered < nr_cpus)
		pthread_cond_wait(&cpus.done, &cpus.lock);
	pthread_mutex_unlock(&cpus.lock);
	return NULL;
}

void cpu_threads_x86_stop(void)
{
	pthread_mutex_lock(&cpus.lock);
	cpus.stop = true;
	pthread_cond_broadcast(&cpus.wake);
	pthread_mutex_unlock(&cpus.lock);
	for (unsigned cpu = 1; cpu < cpus.nr_cpus; cpu++)
		pthread_join(cpus.thread[cpu], NULL);
	for (unsigned cpu = 0; cpu < cpus.nr_cpus; cpu++)
		slab_per_cpu_offset[cpu] = 0;
	cpus.nr_cpus = 0;
	cpus.registered = 0;
}

bool slab_x86_cpus_ready(void)
{
	return cpus.nr_cpus > 0 && cpus.nr_cpus == nr_cpu_ids();
}

void slab_x86_preempt_schedule(void)
{
	/* Nothing else runs on a CPU here: a pending reschedule is dropped. */
	slab_x86_preempt_count |= SLAB_X86_PREEMPT_NEED_RESCHED;
}

struct page *slab_x86_alloc_pages(int node, unsigned order)
{
	unsigned long flags = local_irq_save(0);
	spin_lock(0, &page_lock);
	struct page *page = page_alloc_pages(node, order);
	spin_unlock(0, &page_lock);
	local_irq_restore(0, flags);
	return page;
}

void slab_x86_free_pages(struct page *page, unsigned order)
{
	unsigned long flags = local_irq_save(0);
	spin_lock(0, &page_lock);
	page_free_pages(page, order);
	spin_unlock(0, &page_lock);
	local_irq_restore(0, flags);
}

/* Runs fn on every CPU in turn, each on its own thread; waits for each. */
void slab_x86_on_each_cpu(void (*fn)(void *arg), void *arg)
{
	fn(arg); /* CPU 0: the caller */
	for (unsigned cpu = 1; cpu < cpus.nr_cpus; cpu++) {
		pthread_mutex_lock(&cpus.lock);
		cpus.fn = fn;
		cpus.arg = arg;
		cpus.target = cpu;
		cpus.sent++;
		pthread_cond_broadcast(&cpus.wake);
		while (cpus.handled != cpus.sent)
			pthread_cond_wait(&cpus.done, &cpus.lock);
		pthread_mutex_unlock(&cpus.lock);
	}
}
