/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * port_native.c - the port implemented with real threads and atomics
 * (Concurrency Kit's ck_pr for loads, stores, LOCK cmpxchg16b and spin
 * loops; an unlocked cmpxchg/cmpxchg16b for the this_cpu_* operations, as
 * the kernel's %gs-relative instructions are).
 */
#define _GNU_SOURCE
#include <ck_pr.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <x86intrin.h>

#include "page_alloc.h"
#include "port_native.h"
#include "slab_world.h"

static __thread unsigned native_cpu;
static __thread unsigned long native_preempt_count;
static __thread unsigned long native_irqs_off;
static pthread_mutex_t page_lock = PTHREAD_MUTEX_INITIALIZER;

void native_set_cpu(unsigned cpu)
{
	native_cpu = cpu;
}

unsigned native_current_cpu(void)
{
	return native_cpu;
}

uint64_t native_cycles(void)
{
	_mm_lfence();
	uint64_t t = __rdtsc();
	_mm_lfence();
	return t;
}

static unsigned n_cpu_id(enum slab_point pt)
{
	return native_cpu;
}

static void *n_this_cpu_ptr(enum slab_point pt, void *pcpu)
{
	return slab_per_cpu_ptr(pcpu, native_cpu);
}

static unsigned long n_this_cpu_read(enum slab_point pt, unsigned long *pcpu)
{
	return ck_pr_load_64((uint64_t *)slab_per_cpu_ptr(pcpu, native_cpu));
}

/* cmpxchg without LOCK: atomic on this CPU only, like %gs:cmpxchg. */
static unsigned long n_this_cpu_cmpxchg(enum slab_point pt, unsigned long *pcpu, unsigned long old,
					unsigned long new)
{
	unsigned long *p = slab_per_cpu_ptr(pcpu, native_cpu);
	__asm__ __volatile__("cmpxchgq %2, %1" : "+a"(old), "+m"(*p) : "r"(new) : "memory", "cc");
	return old;
}

/* cmpxchg16b without LOCK, like the kernel's this_cpu_cmpxchg_double. */
static bool n_this_cpu_cmpxchg_double(enum slab_point pt, unsigned long *pcpu, unsigned long o1,
				      unsigned long o2, unsigned long n1, unsigned long n2)
{
	unsigned long *p = slab_per_cpu_ptr(pcpu, native_cpu);
	bool ok;
	__asm__ __volatile__("cmpxchg16b %1\n\tsetz %0"
			     : "=q"(ok), "+m"(*(unsigned __int128 *)p), "+a"(o1), "+d"(o2)
			     : "b"(n1), "c"(n2)
			     : "memory", "cc");
	return ok;
}

static bool n_cmpxchg_double(enum slab_point pt, unsigned long *addr, unsigned long o1,
			     unsigned long o2, unsigned long n1, unsigned long n2)
{
	void *cmp[2] = { (void *)o1, (void *)o2 };
	void *set[2] = { (void *)n1, (void *)n2 };
	return ck_pr_cas_ptr_2(addr, cmp, set);
}

static unsigned long n_load(enum slab_point pt, const unsigned long *addr)
{
	return ck_pr_load_64((const uint64_t *)addr);
}

static void n_store(enum slab_point pt, unsigned long *addr, unsigned long v)
{
	ck_pr_store_64((uint64_t *)addr, v);
}

static void n_atomic_add(enum slab_point pt, unsigned long *addr, long delta)
{
	ck_pr_add_64((uint64_t *)addr, (uint64_t)delta);
}

/* A thread is its CPU: the guards only count, as preempt_count does. */
static void n_preempt_disable(enum slab_point pt)
{
	native_preempt_count++;
	ck_pr_barrier();
}

static void n_preempt_enable(enum slab_point pt)
{
	ck_pr_barrier();
	native_preempt_count--;
}

static unsigned long n_irq_save(enum slab_point pt)
{
	unsigned long was_on = !native_irqs_off;
	native_irqs_off = 1;
	ck_pr_barrier();
	return was_on;
}

static void n_irq_restore(enum slab_point pt, unsigned long was_on)
{
	ck_pr_barrier();
	native_irqs_off = !was_on;
}

static void n_spin_lock(enum slab_point pt, slab_spinlock_t *lock)
{
	native_preempt_count++;
	while (!ck_pr_cas_64((uint64_t *)&lock->locked, 0, 1)) {
		while (ck_pr_load_64((uint64_t *)&lock->locked))
			ck_pr_stall();
	}
	ck_pr_fence_lock();
}

static void n_spin_unlock(enum slab_point pt, slab_spinlock_t *lock)
{
	ck_pr_fence_unlock();
	ck_pr_store_64((uint64_t *)&lock->locked, 0);
	native_preempt_count--;
}

static struct page *n_alloc_pages(enum slab_point pt, int node, unsigned order)
{
	pthread_mutex_lock(&page_lock);
	struct page *page = page_alloc_pages(node, order);
	pthread_mutex_unlock(&page_lock);
	return page;
}

static void n_free_pages(enum slab_point pt, struct page *page, unsigned order)
{
	pthread_mutex_lock(&page_lock);
	page_free_pages(page, order);
	pthread_mutex_unlock(&page_lock);
}

static void n_compute(enum slab_point pt)
{
}

static void n_barrier(enum slab_point pt)
{
	ck_pr_barrier();
}

static void n_on_each_cpu(void (*fn)(void *arg), void *arg)
{
	unsigned saved = native_cpu;
	for (unsigned cpu = 0; cpu < nr_cpu_ids(); cpu++) {
		native_cpu = cpu;
		fn(arg);
	}
	native_cpu = saved;
}

static void n_stat_inc(unsigned *pcpu_counter)
{
	(*(unsigned *)slab_per_cpu_ptr(pcpu_counter, native_cpu))++;
}

/*
 * BUG(): real threads cannot be stopped one by one.  Say on which CPU and
 * return: slab_assert_fail then prints where and aborts.
 */
static void n_assert_fail(const char *file, int line, const char *cond)
{
	fprintf(stderr, "allocator bug on cpu %u:\n", native_cpu);
}

const struct slab_port_ops native_port_ops = {
	.name = "native",
	.cpu_id = n_cpu_id,
	.this_cpu_ptr = n_this_cpu_ptr,
	.raw_cpu_ptr = n_this_cpu_ptr,
	.this_cpu_read = n_this_cpu_read,
	.this_cpu_cmpxchg = n_this_cpu_cmpxchg,
	.this_cpu_cmpxchg_double = n_this_cpu_cmpxchg_double,
	.cmpxchg_double = n_cmpxchg_double,
	.load = n_load,
	.store = n_store,
	.atomic_add = n_atomic_add,
	.preempt_disable = n_preempt_disable,
	.preempt_enable = n_preempt_enable,
	.irq_save = n_irq_save,
	.irq_restore = n_irq_restore,
	.spin_lock = n_spin_lock,
	.spin_unlock = n_spin_unlock,
	.alloc_pages = n_alloc_pages,
	.free_pages = n_free_pages,
	.compute = n_compute,
	.barrier = n_barrier,
	.on_each_cpu = n_on_each_cpu,
	.stat_inc = n_stat_inc,
	.assert_fail = n_assert_fail,
};

struct native_thread {
	pthread_t thread;
	unsigned cpu;
	native_thread_fn fn;
	void *arg;
	pthread_barrier_t *start;
};

static void *thread_main(void *p)
{
	struct native_thread *t = p;
	native_set_cpu(t->cpu);
	pthread_barrier_wait(t->start);
	t->fn(t->cpu, t->arg);
	return NULL;
}

int native_run(unsigned nr_threads, native_thread_fn fn, void *arg)
{
	struct native_thread *t = calloc(nr_threads, sizeof(*t));
	pthread_barrier_t start;
	unsigned started = 0;
	int rc = 0;

	if (!t || pthread_barrier_init(&start, NULL, nr_threads)) {
		free(t);
		return -1;
	}
	long host_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	for (unsigned i = 0; i < nr_threads; i++) {
		t[i] = (struct native_thread){ .cpu = i, .fn = fn, .arg = arg, .start = &start };
		if (pthread_create(&t[i].thread, NULL, thread_main, &t[i])) {
			rc = -1;
			break;
		}
		/* Pin when the host has a CPU for each thread: fewer migrations, steadier TSC. */
		if (host_cpus >= (long)nr_threads) {
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(i, &set);
			pthread_setaffinity_np(t[i].thread, sizeof(set), &set);
		}
		started++;
	}
	if (rc) {
		/* Threads already started wait at the barrier forever: give up loudly. */
		abort();
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i].thread, NULL);
	pthread_barrier_destroy(&start);
	free(t);
	return rc;
}
