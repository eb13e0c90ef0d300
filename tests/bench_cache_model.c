/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench_cache_model.c - simulated accesses per host second through the
 * cache model, with the default caches and a mix shaped like allocator
 * work: mostly a small hot set per CPU, some warm data that lives in L2, a
 * little cold data, and a few lines every CPU reads and writes.  The trace
 * is generated up front, so only the model is timed.  CPUs take turns in
 * bursts of 16 accesses, as the simulator's earliest-clock-first order
 * would have them.  Host time is measured here only; nothing simulated
 * depends on it.
 *
 * Usage: bench_cache_model [accesses]   (default 20000000 per run)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cache_model.h"

#define TRACE_LEN (1u << 22)
#define BURST 16

struct acc {
	uint64_t addr;
	uint16_t cpu;
	bool write;
	bool cold; /* moved on each pass over the trace, so it stays cold */
};

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static void make_trace(struct acc *t, unsigned cpus, uint64_t seed)
{
	uint64_t s = seed;

	for (unsigned i = 0; i < TRACE_LEN; i++) {
		uint64_t r = rng_next(&s), pick = r % 1000;
		unsigned cpu = (i / BURST) % cpus;
		uint64_t own = (uint64_t)(cpu + 1) << 32; /* 4 GiB apart */
		uint64_t x = r >> 20;

		t[i].cpu = (uint16_t)cpu;
		t[i].write = (r >> 10) % 4 == 0;
		t[i].cold = false;
		if (pick < 850) { /* hot: 256 lines, L1 */
			t[i].addr = own + (x % 256) * 64;
		} else if (pick < 950) { /* warm: 2048 lines, L2 */
			t[i].addr = own + (1u << 20) + (x % 2048) * 64;
		} else if (pick < 980) { /* cold: 64 MiB */
			t[i].addr = own + (1u << 30) + (x % (1u << 20)) * 64;
			t[i].cold = true;
		} else { /* shared by all: 64 lines */
			t[i].addr = (x % 64) * 64;
			t[i].write = (r >> 10) % 10 < 3;
		}
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run(unsigned cpus, unsigned long accesses)
{
	struct sim_cache_config cfg;
	struct sim_cache *c;
	struct acc *t = malloc(TRACE_LEN * sizeof(*t));
	uint64_t served[SIM_CACHE_NR_WHERE] = { 0 }, total = 0;
	const char *err;
	double t0, t1;

	sim_cache_config_default(&cfg, cpus);
	c = sim_cache_create(&cfg, &err);
	if (!c || !t) {
		fprintf(stderr, "setup: %s\n", c ? "out of memory" : err);
		return 1;
	}
	make_trace(t, cpus, 12345);
	for (unsigned i = 0; i < TRACE_LEN; i++) /* warm up */
		sim_cache_access(c, t[i].cpu, t[i].addr, t[i].write);
	sim_cache_stats_clear(c);

	t0 = now_s();
	for (unsigned long i = 0; i < accesses; i++) {
		const struct acc *a = &t[i % TRACE_LEN];
		uint64_t pass = 1 + i / TRACE_LEN;

		sim_cache_access(c, a->cpu, a->addr + (a->cold ? pass << 26 : 0), a->write);
	}
	t1 = now_s();

	for (unsigned cpu = 0; cpu < cpus; cpu++)
		for (unsigned k = 0; k < SIM_CACHE_NR_WHERE; k++)
			served[k] += sim_cache_cpu_stats(c, cpu)->served[k];
	for (unsigned k = 0; k < SIM_CACHE_NR_WHERE; k++)
		total += served[k];
	printf("%4u CPUs: %.1f M accesses/s (%.1f ns each); model %.1f MiB\n   ", cpus,
	       (double)accesses / (t1 - t0) / 1e6, (t1 - t0) * 1e9 / (double)accesses,
	       (double)sim_cache_memory_bytes(c) / (1 << 20));
	for (unsigned k = 0; k < SIM_CACHE_NR_WHERE; k++)
		printf(" %s %.2f%%", sim_cache_where_name(k),
		       100.0 * (double)served[k] / (double)total);
	printf("\n");
	sim_cache_destroy(c);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000000ul;
	int rc = 0;

	rc |= run(1, n);
	rc |= run(8, n);
	rc |= run(64, n);
	rc |= run(1024, n);
	return rc;
}
