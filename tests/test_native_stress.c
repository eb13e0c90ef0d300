/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_native_stress.c - the allocator under real concurrency: two threads
 * (CPUs 0 and 1) allocate objects of mixed sizes, stamp them, and pass
 * half of them to the other thread through a lock-free queue, which checks
 * the stamp and frees them (cross-CPU frees: __slab_free on frozen pages of
 * the other CPU, remote frees on cpu slabs).  An object handed out twice
 * shows as a stamp overwritten by its second owner.  At the end the
 * validator must be clean and every slab page back.  Bounded: a fixed
 * number of operations per thread.
 */
#include <ck_pr.h>
#include <ck_ring.h>
#include <stdlib.h>

#include "test_env.h"

#define OPS_PER_THREAD 200000
#define RING_SIZE 1024 /* power of two */
#define LOCAL_MAX 256

struct stamp {
	uint32_t owner; /* CPU that allocated it */
	uint32_t seq;	/* its sequence number there */
	uint32_t size;
	uint32_t check; /* a function of the three above */
};

struct queue {
	ck_ring_t ring;
	ck_ring_buffer_t buf[RING_SIZE];
};

struct stress {
	struct queue to[2]; /* to[c]: objects for CPU c to free */
	uint64_t corrupt;
	uint64_t alloc_failed;
	unsigned done;
};

static uint32_t mix(uint32_t a, uint32_t b, uint32_t c)
{
	return (a * 2654435761u) ^ (b * 40503u) ^ (c << 7) ^ 0x5bd1e995u;
}

static void stamp(void *p, uint32_t owner, uint32_t seq, uint32_t size)
{
	struct stamp *s = p;
	s->owner = owner;
	s->seq = seq;
	s->size = size;
	s->check = mix(owner, seq, size);
	memset((char *)p + sizeof(*s), (int)(seq & 0xff), size - sizeof(*s));
}

static bool stamp_ok(const void *p)
{
	const struct stamp *s = p;
	if (s->check != mix(s->owner, s->seq, s->size))
		return false;
	const unsigned char *b = (const unsigned char *)p + sizeof(*s);
	for (uint32_t i = 0; i < s->size - sizeof(*s); i++)
		if (b[i] != (s->seq & 0xff))
			return false;
	return true;
}

static void check_and_free(struct stress *st, void *p)
{
	if (!stamp_ok(p))
		ck_pr_inc_64(&st->corrupt);
	kfree(p);
}

static void drain(struct stress *st, unsigned cpu)
{
	void *p;
	while (ck_ring_dequeue_spsc(&st->to[cpu].ring, st->to[cpu].buf, &p))
		check_and_free(st, p);
}

static void worker(unsigned cpu, void *arg)
{
	struct stress *st = arg;
	void *local[LOCAL_MAX];
	unsigned nlocal = 0;
	uint32_t x = 0x9e3779b9u * (cpu + 1); /* xorshift state */

	for (uint32_t seq = 0; seq < OPS_PER_THREAD; seq++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		uint32_t size = 16 + (x % 1024);
		void *p = kmalloc(size);
		if (!p) {
			ck_pr_inc_64(&st->alloc_failed);
			continue;
		}
		stamp(p, cpu, seq, size);
		if (x & 1) {
			/* To the other CPU; if its queue is full, free it ourselves. */
			if (!ck_ring_enqueue_spsc(&st->to[!cpu].ring, st->to[!cpu].buf, p))
				check_and_free(st, p);
		} else if (nlocal < LOCAL_MAX) {
			local[nlocal++] = p;
		} else {
			check_and_free(st, local[x % LOCAL_MAX]);
			local[x % LOCAL_MAX] = p;
		}
		if ((seq & 7) == 0)
			drain(st, cpu);
	}
	for (unsigned i = 0; i < nlocal; i++)
		check_and_free(st, local[i]);
	ck_pr_inc_uint(&st->done);
	/* Keep freeing what the other CPU sends until it is done too. */
	while (ck_pr_load_uint(&st->done) < 2)
		drain(st, cpu);
	drain(st, cpu);
}

static void test_cross_cpu_frees(void **state)
{
	test_open(*state, 2, 256);
	struct stress *st = calloc(1, sizeof(*st));
	for (int c = 0; c < 2; c++)
		ck_ring_init(&st->to[c].ring, RING_SIZE);
	assert_int_equal(native_run(2, worker, st), 0);
	native_set_cpu(0);
	assert_int_equal(st->corrupt, 0);
	assert_int_equal(st->alloc_failed, 0);
	/* Cross-CPU traffic really happened. */
	assert_true(stat_total(FREE_SLOWPATH) > 1000);
	assert_true(stat_total(FREE_FASTPATH) > 1000);
	free(st);
	test_close_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_SAFE(test_cross_cpu_frees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
