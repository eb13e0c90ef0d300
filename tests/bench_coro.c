/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench_coro.c - how much a coroutine switch costs: main and one coroutine
 * ping-pong N times (2N switches), timed with CLOCK_MONOTONIC.  Wall-clock
 * time is fine here: this program measures the host, it decides nothing in
 * a simulation.
 *
 * Usage: bench_coro [round_trips]   (default 10000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "coro.h"

static struct sim_coro *main_co, *peer_co;
static volatile unsigned long counter;

static void peer(void *arg)
{
	(void)arg;
	for (;;) {
		counter++;
		sim_coro_switch(peer_co, main_co);
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long trips = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000000ul;
	double t0, t1, ns;

	main_co = sim_coro_thread_create();
	peer_co = sim_coro_create(0, peer, NULL, NULL);
	if (!main_co || !peer_co) {
		perror("sim_coro");
		return 1;
	}
	for (unsigned long i = 0; i < trips / 10; i++) /* warm up */
		sim_coro_switch(main_co, peer_co);

	t0 = now_ns();
	for (unsigned long i = 0; i < trips; i++)
		sim_coro_switch(main_co, peer_co);
	t1 = now_ns();

	ns = (t1 - t0) / (2.0 * (double)trips);
	printf("switches: %lu in %.3f s\n", 2 * trips, (t1 - t0) / 1e9);
	printf("%.1f million switches/s, %.2f ns/switch\n", 1e3 / ns, ns);

	/* The peer never finishes: destroying a suspended coroutine is allowed. */
	sim_coro_destroy(peer_co);
	sim_coro_destroy(main_co);
	return counter ? 0 : 1;
}
