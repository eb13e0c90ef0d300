/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_cache_model.c - the cache model's answers, access by access, against
 * the semantics written in cache_model.h: cold misses and hits, ownership
 * moving between CPUs, invalidation of sharers, LRU eviction through the
 * levels, L3 present or not, determinism, 1024 CPUs, and the limited-
 * pointer directory used beyond 64 CPUs.  Every test ends by running the
 * model's own validator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cache_model.h"

#define KiB 1024ull
#define MiB (1024ull * 1024)

/* Lines this far apart share a set in the default L1 (64 sets) / L2 (512). */
#define L1_SET_STRIDE (64 * 64ull)
#define L2_SET_STRIDE (512 * 64ull)

#define R false
#define W true

static struct sim_cache *make(unsigned cpus)
{
	struct sim_cache_config cfg;
	const char *err = NULL;
	struct sim_cache *c;

	sim_cache_config_default(&cfg, cpus);
	c = sim_cache_create(&cfg, &err);
	assert_non_null(c);
	return c;
}

static struct sim_cache *make_cfg(const struct sim_cache_config *cfg)
{
	const char *err = NULL;
	struct sim_cache *c = sim_cache_create(cfg, &err);

	if (!c)
		fail_msg("sim_cache_create: %s", err);
	return c;
}

/* Check one access's answer, naming both on failure. */
#define expect(c, cpu, addr, w, want)                                                     \
	do {                                                                              \
		enum sim_cache_where got_ = sim_cache_access(c, cpu, addr, w);            \
		if (got_ != (want))                                                       \
			fail_msg("cpu %u %s %#llx: got %s, want %s", (unsigned)(cpu),     \
				 (w) ? "write" : "read", (unsigned long long)(addr),      \
				 sim_cache_where_name(got_), sim_cache_where_name(want)); \
	} while (0)

static void finish(struct sim_cache *c)
{
	assert_int_equal(sim_cache_validate(c), 0);
	sim_cache_destroy(c);
}

/* --- basics ------------------------------------------------------------- */

static void test_names_and_config(void **state)
{
	struct sim_cache_config cfg;

	(void)state;
	assert_string_equal(sim_cache_where_name(SIM_CACHE_L1), "l1");
	assert_string_equal(sim_cache_where_name(SIM_CACHE_REMOTE_MODIFIED), "remote_modified");
	assert_string_equal(sim_cache_where_name(SIM_CACHE_DRAM), "dram");
	assert_string_equal(sim_cache_where_name(SIM_CACHE_NR_WHERE), "?");

	sim_cache_config_default(&cfg, 8);
	assert_null(sim_cache_config_check(&cfg));
	cfg.nr_cpus = 0;
	assert_non_null(sim_cache_config_check(&cfg));
	cfg.nr_cpus = 1025;
	assert_non_null(sim_cache_config_check(&cfg));
	sim_cache_config_default(&cfg, 1);
	cfg.l1.size_bytes = 48 * KiB; /* 96 sets: not a power of two */
	assert_non_null(sim_cache_config_check(&cfg));
	sim_cache_config_default(&cfg, 1);
	cfg.l3 = (struct sim_cache_level_config){ 30 * MiB, 20 }; /* 24576 sets: fine */
	assert_null(sim_cache_config_check(&cfg));
	cfg.l3.size_bytes = 0; /* no L3 */
	assert_null(sim_cache_config_check(&cfg));
	cfg.l2.ways = 0;
	assert_non_null(sim_cache_config_check(&cfg));
}

static void test_cold_then_hits(void **state)
{
	struct sim_cache *c = make(2);
	const struct sim_cache_cpu_stats *st;

	(void)state;
	expect(c, 0, 0x1000, R, SIM_CACHE_DRAM);
	expect(c, 0, 0x1000, R, SIM_CACHE_L1);
	expect(c, 0, 0x103f, R, SIM_CACHE_L1);	 /* same line */
	expect(c, 0, 0x1040, R, SIM_CACHE_DRAM); /* next line: no prefetch */
	/* Shared by CPU 0 alone: the write upgrades silently. */
	expect(c, 0, 0x1000, W, SIM_CACHE_L1);
	expect(c, 0, 0x1000, W, SIM_CACHE_L1);
	/* A cold write is DRAM too, then an L1 hit. */
	expect(c, 1, 0x9000, W, SIM_CACHE_DRAM);
	expect(c, 1, 0x9000, R, SIM_CACHE_L1);
	/* Address 0 is a line like any other. */
	expect(c, 1, 0, R, SIM_CACHE_DRAM);
	expect(c, 1, 0, W, SIM_CACHE_L1);

	st = sim_cache_cpu_stats(c, 0);
	assert_int_equal(st->served[SIM_CACHE_DRAM], 2);
	assert_int_equal(st->served[SIM_CACHE_L1], 4);
	assert_int_equal(st->writes, 2);
	st = sim_cache_cpu_stats(c, 1);
	assert_int_equal(st->served[SIM_CACHE_DRAM], 2);
	assert_int_equal(st->served[SIM_CACHE_L1], 2);
	finish(c);
}

/* --- ownership between two CPUs ----------------------------------------- */

static void test_remote_modified(void **state)
{
	struct sim_cache *c = make(2);
	const uint64_t x = 0x40000;

	(void)state;
	expect(c, 0, x, W, SIM_CACHE_DRAM);
	expect(c, 1, x, R, SIM_CACHE_REMOTE_MODIFIED); /* CPU 0 downgraded */
	expect(c, 1, x, R, SIM_CACHE_L1);
	expect(c, 0, x, R, SIM_CACHE_L1);	    /* CPU 0 kept a Shared copy */
	expect(c, 0, x, W, SIM_CACHE_REMOTE_CLEAN); /* invalidates CPU 1 */
	assert_int_equal(sim_cache_cpu_stats(c, 0)->invalidations, 1);
	expect(c, 0, x, W, SIM_CACHE_L1);
	expect(c, 1, x, R, SIM_CACHE_REMOTE_MODIFIED);
	expect(c, 1, x, W, SIM_CACHE_REMOTE_CLEAN);    /* CPU 0 still Shared */
	expect(c, 0, x, W, SIM_CACHE_REMOTE_MODIFIED); /* ownership moves */
	assert_int_equal(sim_cache_cpu_stats(c, 0)->invalidations, 2);
	expect(c, 1, x, R, SIM_CACHE_REMOTE_MODIFIED);
	expect(c, 0, x, R, SIM_CACHE_L1);
	assert_int_equal(sim_cache_cpu_stats(c, 1)->served[SIM_CACHE_REMOTE_MODIFIED], 3);
	assert_int_equal(sim_cache_cpu_stats(c, 1)->served[SIM_CACHE_REMOTE_CLEAN], 1);
	finish(c);
}

static void test_write_invalidates_sharers(void **state)
{
	struct sim_cache *c = make(4);
	const uint64_t x = 0x123440;

	(void)state;
	expect(c, 0, x, R, SIM_CACHE_DRAM);
	expect(c, 1, x, R, SIM_CACHE_L3); /* DRAM fills allocate in L3 */
	expect(c, 2, x, R, SIM_CACHE_L3);
	expect(c, 3, x, R, SIM_CACHE_L3);
	expect(c, 2, x, W, SIM_CACHE_REMOTE_CLEAN);
	assert_int_equal(sim_cache_cpu_stats(c, 2)->invalidations, 3);
	assert_int_equal(sim_cache_cpu_stats(c, 2)->broadcasts, 0);
	expect(c, 2, x, R, SIM_CACHE_L1);
	expect(c, 0, x, R, SIM_CACHE_REMOTE_MODIFIED);
	expect(c, 1, x, R, SIM_CACHE_L3); /* written back on the downgrade */
	expect(c, 3, x, R, SIM_CACHE_L3);
	expect(c, 2, x, R, SIM_CACHE_L1);
	/* A write by a CPU without a copy, peers clean: REMOTE_CLEAN too. */
	sim_cache_flush(c);
	expect(c, 0, x, R, SIM_CACHE_DRAM);
	expect(c, 1, x, R, SIM_CACHE_L3);
	expect(c, 3, x, W, SIM_CACHE_REMOTE_CLEAN);
	expect(c, 0, x, R, SIM_CACHE_REMOTE_MODIFIED);
	finish(c);
}

/* --- eviction ----------------------------------------------------------- */

static void test_l1_eviction_to_l2(void **state)
{
	struct sim_cache *c = make(1);

	(void)state;
	/* Nine lines in one L1 set (8 ways); they spread over L2 sets. */
	for (uint64_t k = 0; k <= 8; k++)
		expect(c, 0, k * L1_SET_STRIDE, R, SIM_CACHE_DRAM);
	expect(c, 0, 0, R, SIM_CACHE_L2); /* the LRU one fell to L2 */
	expect(c, 0, 0, R, SIM_CACHE_L1);
	/* Refilling line 0 evicted the next LRU, line 1. */
	expect(c, 0, 1 * L1_SET_STRIDE, R, SIM_CACHE_L2);
	for (uint64_t k = 3; k <= 8; k++)
		expect(c, 0, k * L1_SET_STRIDE, R, SIM_CACHE_L1);
	/* Hits refresh LRU: line 0 is now least recent; 2 takes its way. */
	expect(c, 0, 2 * L1_SET_STRIDE, R, SIM_CACHE_L2);
	expect(c, 0, 1 * L1_SET_STRIDE, R, SIM_CACHE_L1);
	expect(c, 0, 0, R, SIM_CACHE_L2);
	/* A dirty line keeps its write permission through L2. */
	expect(c, 0, 0, W, SIM_CACHE_L1);
	for (uint64_t k = 1; k <= 8; k++)
		sim_cache_access(c, 0, k * L1_SET_STRIDE, R);
	expect(c, 0, 0, W, SIM_CACHE_L2);
	assert_int_equal(sim_cache_cpu_stats(c, 0)->back_invalidations, 0);
	finish(c);
}

static void test_l3_after_private_eviction(void **state)
{
	struct sim_cache *c = make(2);

	(void)state;
	/* Nine lines in one L2 set (and one L1 set): line 0 leaves CPU 0. */
	expect(c, 0, 0, W, SIM_CACHE_DRAM);
	for (uint64_t k = 1; k <= 8; k++)
		expect(c, 0, k * L2_SET_STRIDE, R, SIM_CACHE_DRAM);
	assert_int_equal(sim_cache_cpu_stats(c, 0)->back_invalidations, 1);
	expect(c, 0, 0, R, SIM_CACHE_L3);
	expect(c, 0, 0, R, SIM_CACHE_L1);
	/* Evicted again; then a write to a line only L3 has: L3. */
	for (uint64_t k = 1; k <= 8; k++)
		sim_cache_access(c, 0, k * L2_SET_STRIDE, R);
	expect(c, 1, 0, W, SIM_CACHE_L3);
	expect(c, 0, 0, R, SIM_CACHE_REMOTE_MODIFIED);
	finish(c);
}

static void test_no_l3(void **state)
{
	struct sim_cache_config cfg;
	struct sim_cache *c;

	(void)state;
	sim_cache_config_default(&cfg, 2);
	cfg.l3.size_bytes = 0;
	c = make_cfg(&cfg);
	expect(c, 0, 0x80, R, SIM_CACHE_DRAM);
	expect(c, 1, 0x80, R, SIM_CACHE_REMOTE_CLEAN);
	expect(c, 1, 0x80, R, SIM_CACHE_L1);
	for (uint64_t k = 1; k <= 8; k++)
		sim_cache_access(c, 0, 0x80 + k * L2_SET_STRIDE, R);
	expect(c, 0, 0x80, R, SIM_CACHE_REMOTE_CLEAN); /* CPU 1 still has it */
	for (uint64_t k = 1; k <= 8; k++) {
		sim_cache_access(c, 0, 0x80 + k * L2_SET_STRIDE, R);
		sim_cache_access(c, 1, 0x80 + k * L2_SET_STRIDE, R);
	}
	expect(c, 0, 0x80, R, SIM_CACHE_DRAM);
	assert_true(sim_cache_memory_bytes(c) > 0);
	finish(c);
}

/* L3 is not inclusive: it can lose a line a CPU still holds clean. */
static void test_l3_not_inclusive(void **state)
{
	struct sim_cache_config cfg;
	struct sim_cache *c;
	const uint64_t l3_stride = 1024 * 64; /* direct-mapped, 1024 sets */

	(void)state;
	sim_cache_config_default(&cfg, 2);
	cfg.l3 = (struct sim_cache_level_config){ 64 * KiB, 1 };
	c = make_cfg(&cfg);
	expect(c, 0, 0, R, SIM_CACHE_DRAM);
	expect(c, 0, l3_stride, R, SIM_CACHE_DRAM); /* takes line 0's L3 way */
	expect(c, 0, 0, R, SIM_CACHE_L1);
	expect(c, 1, 0, R, SIM_CACHE_REMOTE_CLEAN);
	expect(c, 1, l3_stride, R, SIM_CACHE_L3);
	finish(c);
}

/* --- determinism -------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64*: a fixed generator, same stream everywhere. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

#define DET_CPUS 6
#define DET_STEPS 300000

static void run_mix(struct sim_cache *c, uint64_t seed, uint8_t *out)
{
	uint64_t s = seed;

	for (unsigned i = 0; i < DET_STEPS; i++) {
		uint64_t r = rng_next(&s);
		unsigned cpu = (unsigned)(r % DET_CPUS);
		/* 4 MiB of private-ish lines per CPU, 64 KiB shared by all. */
		uint64_t addr = (r >> 8) & 1 ? ((r >> 16) & (64 * KiB - 1))
					     : (1 + cpu) * 16 * MiB + ((r >> 16) & (4 * MiB - 1));
		bool w = ((r >> 9) & 7) == 0;

		out[i] = (uint8_t)sim_cache_access(c, cpu, addr, w);
	}
}

static void test_determinism(void **state)
{
	struct sim_cache_config cfg;
	struct sim_cache *a, *b;
	uint8_t *ra = malloc(DET_STEPS), *rb = malloc(DET_STEPS);
	unsigned seen[SIM_CACHE_NR_WHERE] = { 0 };

	(void)state;
	assert_non_null(ra);
	assert_non_null(rb);
	sim_cache_config_default(&cfg, DET_CPUS);
	cfg.l3.size_bytes = 2 * MiB; /* small, so that it evicts too */
	cfg.l3.ways = 16;
	a = make_cfg(&cfg);
	b = make_cfg(&cfg);
	run_mix(a, 42, ra);
	run_mix(b, 42, rb);
	assert_memory_equal(ra, rb, DET_STEPS);
	for (unsigned cpu = 0; cpu < DET_CPUS; cpu++)
		assert_memory_equal(sim_cache_cpu_stats(a, cpu), sim_cache_cpu_stats(b, cpu),
				    sizeof(struct sim_cache_cpu_stats));
	for (unsigned i = 0; i < DET_STEPS; i++)
		seen[ra[i]]++;
	for (unsigned w = 0; w < SIM_CACHE_NR_WHERE; w++)
		if (!seen[w])
			fail_msg("the mix never produced %s", sim_cache_where_name(w));
	assert_int_equal(sim_cache_validate(a), 0);

	/* After a flush and a stats clear, the same run again. */
	sim_cache_flush(a);
	sim_cache_stats_clear(a);
	run_mix(a, 42, rb);
	assert_memory_equal(ra, rb, DET_STEPS);
	for (unsigned cpu = 0; cpu < DET_CPUS; cpu++)
		assert_memory_equal(sim_cache_cpu_stats(a, cpu), sim_cache_cpu_stats(b, cpu),
				    sizeof(struct sim_cache_cpu_stats));
	finish(a);
	finish(b);
	free(ra);
	free(rb);
}

/* --- many CPUs ---------------------------------------------------------- */

static void test_1024_cpus(void **state)
{
	struct sim_cache *c = make(1024);
	const uint64_t x = 0x5000;
	const struct sim_cache_cpu_stats *st;

	(void)state;
	print_message("1024 CPUs: %zu bytes after creation\n", sim_cache_memory_bytes(c));
	expect(c, 0, x, R, SIM_CACHE_DRAM);
	for (unsigned cpu = 1; cpu < 1024; cpu++)
		expect(c, cpu, x, R, SIM_CACHE_L3);
	for (unsigned cpu = 0; cpu < 1024; cpu++) {
		/* A private line each, and a write ping-pong on one line. */
		expect(c, cpu, (cpu + 1) * MiB, W, SIM_CACHE_DRAM);
		sim_cache_access(c, cpu, 0x9000, W);
	}
	expect(c, 1023, x, W, SIM_CACHE_REMOTE_CLEAN);
	st = sim_cache_cpu_stats(c, 1023);
	assert_int_equal(st->invalidations, 1023 + 1); /* + the 0x9000 owner */
	assert_int_equal(st->broadcasts, 1);
	expect(c, 0, x, R, SIM_CACHE_REMOTE_MODIFIED);
	expect(c, 512, x, R, SIM_CACHE_L3);
	for (unsigned cpu = 0; cpu < 1024; cpu++)
		expect(c, cpu, (cpu + 1) * MiB, R, SIM_CACHE_L1);
	print_message("1024 CPUs: %zu bytes in use\n", sim_cache_memory_bytes(c));
	finish(c);
}

/*
 * Every L2 full of distinct lines: the directory reaches its largest size
 * (twice the L2 lines, rounded up to a power of two) and no further.
 */
static void test_directory_bound(void **state)
{
	struct sim_cache_config cfg;
	struct sim_cache *c;
	size_t tags, bound;

	(void)state;
	sim_cache_config_default(&cfg, 4);
	c = make_cfg(&cfg);
	tags = (size_t)4 * (512 + 4096) * 8 + (size_t)327680 * 8;
	bound = tags + (size_t)32768 * 16 + 4 * sizeof(struct sim_cache_cpu_stats) + 4096;
	for (uint64_t i = 0; i < 200000; i++)
		sim_cache_access(c, (unsigned)(i % 4), i * 64, i % 3 == 0);
	assert_true(sim_cache_memory_bytes(c) <= bound);
	assert_true(sim_cache_memory_bytes(c) > tags + (size_t)16384 * 16);
	assert_int_equal(sim_cache_validate(c), 0);
	sim_cache_destroy(c);

	/* At the smallest table (4096 slots for 2048 L2 lines): exactly full. */
	sim_cache_config_default(&cfg, 1);
	cfg.l2.size_bytes = 128 * KiB;
	c = make_cfg(&cfg);
	for (uint64_t i = 0; i < 50000; i++)
		sim_cache_access(c, 0, i * 64 * 7, i % 2 == 0);
	assert_int_equal(sim_cache_validate(c), 0);
	finish(c);
}

/*
 * 65 CPUs: past the bitmask, the directory lists three holders exactly and
 * counts the rest.  Exercise exact lists, overflow with broadcast, and an
 * entry becoming exact again when unlisted holders leave.
 */
static void evict_from(struct sim_cache *c, unsigned cpu, uint64_t line)
{
	/* Eight lines never seen before, in line's L2 set: it must go. */
	static uint64_t fresh_mib = 64;
	uint64_t base = line + fresh_mib++ * MiB;

	for (uint64_t k = 0; k < 8; k++)
		sim_cache_access(c, cpu, base + k * L2_SET_STRIDE, R);
}

static void test_65_cpus(void **state)
{
	struct sim_cache *c = make(65);
	const uint64_t x = 0x7000, y = 0x7040;
	const struct sim_cache_cpu_stats *st;

	(void)state;
	/* Three holders: exact. */
	expect(c, 0, x, R, SIM_CACHE_DRAM);
	expect(c, 1, x, R, SIM_CACHE_L3);
	expect(c, 2, x, R, SIM_CACHE_L3);
	expect(c, 0, x, W, SIM_CACHE_REMOTE_CLEAN);
	st = sim_cache_cpu_stats(c, 0);
	assert_int_equal(st->invalidations, 2);
	assert_int_equal(st->broadcasts, 0);
	expect(c, 1, x, R, SIM_CACHE_REMOTE_MODIFIED);
	assert_int_equal(sim_cache_validate(c), 0);

	/* Everybody: overflow, so the next write broadcasts. */
	for (unsigned cpu = 2; cpu < 65; cpu++)
		expect(c, cpu, x, R, SIM_CACHE_L3);
	expect(c, 64, x, W, SIM_CACHE_REMOTE_CLEAN);
	st = sim_cache_cpu_stats(c, 64);
	assert_int_equal(st->invalidations, 64);
	assert_int_equal(st->broadcasts, 1);
	expect(c, 0, x, R, SIM_CACHE_REMOTE_MODIFIED);
	for (unsigned cpu = 1; cpu < 64; cpu++)
		expect(c, cpu, x, R, SIM_CACHE_L3);
	assert_int_equal(sim_cache_validate(c), 0);

	/* Five holders; the two unlisted ones leave: exact again. */
	for (unsigned cpu = 10; cpu < 15; cpu++)
		sim_cache_access(c, cpu, y, R);
	evict_from(c, 13, y);
	evict_from(c, 14, y);
	assert_int_equal(sim_cache_validate(c), 0);
	expect(c, 10, y, W, SIM_CACHE_REMOTE_CLEAN);
	st = sim_cache_cpu_stats(c, 10);
	assert_int_equal(st->invalidations, 2);
	assert_int_equal(st->broadcasts, 0);
	expect(c, 11, y, R, SIM_CACHE_REMOTE_MODIFIED);
	expect(c, 12, y, R, SIM_CACHE_L3);
	expect(c, 13, y, R, SIM_CACHE_L3);

	/* Five holders; listed ones leave: still counted, still correct. */
	for (unsigned cpu = 20; cpu < 25; cpu++)
		sim_cache_access(c, cpu, y, R); /* y now held by 10..13, 20..24 */
	evict_from(c, 10, y);
	evict_from(c, 11, y);
	evict_from(c, 12, y);
	evict_from(c, 13, y);
	assert_int_equal(sim_cache_validate(c), 0);
	expect(c, 24, y, W, SIM_CACHE_REMOTE_CLEAN);
	st = sim_cache_cpu_stats(c, 24);
	assert_int_equal(st->invalidations, 4);
	assert_int_equal(st->broadcasts, 1);
	for (unsigned cpu = 20; cpu < 24; cpu++)
		assert_int_not_equal(sim_cache_access(c, cpu, y, R), SIM_CACHE_L1);
	finish(c);
}

/* --- against a reference model ------------------------------------------ */

/*
 * The same semantics written the slow, obvious way: LRU by time stamps,
 * no directory (holders are found by looking into every CPU's L2), and
 * write permission as a flag in the holder's copies.  Random accesses
 * through tiny caches must get identical answers from both.
 */
struct ref_way {
	uint64_t la;
	uint64_t stamp; /* 0 = empty */
	bool writable;
};

struct ref_level {
	struct ref_way *w; /* [copy][set][way] */
	unsigned sets, ways;
};

struct ref {
	unsigned cpus;
	struct ref_level l1, l2, l3;
	uint64_t clock;
};

static void ref_level_init(struct ref_level *lv, const struct sim_cache_level_config *lc,
			   unsigned copies)
{
	lv->ways = lc->ways;
	lv->sets = lc->size_bytes ? (unsigned)(lc->size_bytes / 64 / lc->ways) : 0;
	lv->w = calloc((size_t)copies * lv->sets * lv->ways + 1, sizeof(*lv->w));
	assert_non_null(lv->w);
}

static struct ref_way *ref_set(struct ref_level *lv, unsigned copy, uint64_t la)
{
	return lv->w + ((size_t)copy * lv->sets + (la / 64) % lv->sets) * lv->ways;
}

static struct ref_way *ref_find(struct ref_level *lv, unsigned copy, uint64_t la)
{
	struct ref_way *set;

	if (!lv->sets)
		return NULL;
	set = ref_set(lv, copy, la);
	for (unsigned i = 0; i < lv->ways; i++)
		if (set[i].stamp && set[i].la == la)
			return &set[i];
	return NULL;
}

/* Fill; returns the victim's line in *victim (true if there was one). */
static bool ref_fill(struct ref *r, struct ref_level *lv, unsigned copy, uint64_t la, bool writable,
		     uint64_t *victim)
{
	struct ref_way *set = ref_set(lv, copy, la), *slot = NULL;
	bool evicted = false;

	for (unsigned i = 0; i < lv->ways && !slot; i++)
		if (!set[i].stamp)
			slot = &set[i];
	if (!slot) {
		slot = &set[0];
		for (unsigned i = 1; i < lv->ways; i++)
			if (set[i].stamp < slot->stamp)
				slot = &set[i];
		*victim = slot->la;
		evicted = true;
	}
	*slot = (struct ref_way){ la, ++r->clock, writable };
	return evicted;
}

static bool ref_l3(struct ref *r, uint64_t la, bool allocate)
{
	struct ref_way *e = ref_find(&r->l3, 0, la);
	uint64_t dummy;

	if (e) {
		e->stamp = ++r->clock;
		return true;
	}
	if (allocate && r->l3.sets)
		ref_fill(r, &r->l3, 0, la, false, &dummy);
	return false;
}

static void ref_drop(struct ref *r, unsigned cpu, uint64_t la)
{
	struct ref_way *e = ref_find(&r->l1, cpu, la);

	if (e)
		e->stamp = 0;
	e = ref_find(&r->l2, cpu, la);
	if (e)
		e->stamp = 0;
}

static void ref_install(struct ref *r, unsigned cpu, uint64_t la, bool writable)
{
	struct ref_way *e = ref_find(&r->l2, cpu, la);
	uint64_t victim;

	if (e) {
		e->writable = writable;
	} else if (ref_fill(r, &r->l2, cpu, la, writable, &victim)) {
		struct ref_way *v1 = ref_find(&r->l1, cpu, victim);

		if (v1)
			v1->stamp = 0;
		ref_l3(r, victim, true);
	}
	e = ref_find(&r->l1, cpu, la);
	if (e) {
		e->writable = writable;
		e->stamp = ++r->clock;
	} else {
		ref_fill(r, &r->l1, cpu, la, writable, &victim);
	}
}

static enum sim_cache_where ref_access(struct ref *r, unsigned cpu, uint64_t addr, bool w)
{
	uint64_t la = addr & ~63ull, victim;
	struct ref_way *e1 = ref_find(&r->l1, cpu, la), *e2;
	enum sim_cache_where where;
	int held = -1, owner = -1, others = 0;

	if (e1 && (!w || e1->writable)) {
		e1->stamp = ++r->clock;
		return SIM_CACHE_L1;
	}
	e2 = ref_find(&r->l2, cpu, la);
	if (e1) {
		held = SIM_CACHE_L1;
	} else if (e2) {
		e2->stamp = ++r->clock;
		if (!w || e2->writable) {
			ref_fill(r, &r->l1, cpu, la, e2->writable, &victim);
			return SIM_CACHE_L2;
		}
		held = SIM_CACHE_L2;
	}
	for (unsigned o = 0; o < r->cpus; o++) {
		struct ref_way *p = o == cpu ? NULL : ref_find(&r->l2, o, la);

		if (!p)
			continue;
		others++;
		if (p->writable)
			owner = (int)o;
	}
	if (w) {
		if (owner >= 0) {
			ref_drop(r, (unsigned)owner, la);
			where = SIM_CACHE_REMOTE_MODIFIED;
		} else if (others) {
			for (unsigned o = 0; o < r->cpus; o++)
				if (o != cpu)
					ref_drop(r, o, la);
			where = SIM_CACHE_REMOTE_CLEAN;
		} else if (held >= 0) {
			where = (enum sim_cache_where)held;
		} else {
			where = ref_l3(r, la, true) ? SIM_CACHE_L3 : SIM_CACHE_DRAM;
		}
		ref_install(r, cpu, la, true);
		return where;
	}
	if (owner >= 0) {
		struct ref_way *p = ref_find(&r->l1, (unsigned)owner, la);

		if (p)
			p->writable = false;
		ref_find(&r->l2, (unsigned)owner, la)->writable = false;
		ref_l3(r, la, true);
		where = SIM_CACHE_REMOTE_MODIFIED;
	} else if (others) {
		where = ref_l3(r, la, false) ? SIM_CACHE_L3 : SIM_CACHE_REMOTE_CLEAN;
	} else {
		where = ref_l3(r, la, true) ? SIM_CACHE_L3 : SIM_CACHE_DRAM;
	}
	ref_install(r, cpu, la, false);
	return where;
}

static void differential(unsigned cpus, uint64_t l3_bytes, unsigned steps, uint64_t seed)
{
	struct sim_cache_config cfg = {
		.nr_cpus = cpus,
		.l1 = { 2 * KiB, 2 },  /* 16 sets */
		.l2 = { 8 * KiB, 4 },  /* 32 sets */
		.l3 = { l3_bytes, 3 }, /* 30 KiB: 160 sets, indexed by modulo */
	};
	struct sim_cache *c = make_cfg(&cfg);
	struct ref r = { .cpus = cpus };
	uint64_t s = seed, served[SIM_CACHE_NR_WHERE] = { 0 };

	ref_level_init(&r.l1, &cfg.l1, cpus);
	ref_level_init(&r.l2, &cfg.l2, cpus);
	ref_level_init(&r.l3, &cfg.l3, 1);
	for (unsigned i = 0; i < steps; i++) {
		uint64_t x = rng_next(&s);
		unsigned cpu = (unsigned)(x % cpus);
		/* Half to 512 shared lines, half to 256 lines of one's own. */
		uint64_t addr = (x >> 20) & 1
				    ? ((x >> 24) % 512) * 64
				    : (1 + cpu) * MiB + ((x >> 24) % 256) * 64 + (x >> 40) % 64;
		bool w = (x >> 12) % 4 == 0;
		enum sim_cache_where want = ref_access(&r, cpu, addr, w);
		enum sim_cache_where got = sim_cache_access(c, cpu, addr, w);

		if (got != want)
			fail_msg("%u cpus, step %u: cpu %u %s %#llx: got %s, reference %s", cpus, i,
				 cpu, w ? "write" : "read", (unsigned long long)addr,
				 sim_cache_where_name(got), sim_cache_where_name(want));
		served[want]++;
		if (i % 50000 == 0)
			assert_int_equal(sim_cache_validate(c), 0);
	}
	for (unsigned k = 0; k < SIM_CACHE_NR_WHERE; k++) {
		uint64_t sum = 0;

		for (unsigned cpu = 0; cpu < cpus; cpu++)
			sum += sim_cache_cpu_stats(c, cpu)->served[k];
		assert_int_equal(sum, served[k]);
		bool possible =
		    (cpus > 1 || (k != SIM_CACHE_REMOTE_CLEAN && k != SIM_CACHE_REMOTE_MODIFIED)) &&
		    (l3_bytes || k != SIM_CACHE_L3);

		if (possible && !served[k])
			fail_msg("%u cpus: never saw %s", cpus, sim_cache_where_name(k));
	}
	if (cpus > 64) {
		uint64_t broadcasts = 0;

		for (unsigned cpu = 0; cpu < cpus; cpu++)
			broadcasts += sim_cache_cpu_stats(c, cpu)->broadcasts;
		assert_true(broadcasts > 0); /* the overflow path ran */
	}
	free(r.l1.w);
	free(r.l2.w);
	free(r.l3.w);
	finish(c);
}

static void test_against_reference(void **state)
{
	(void)state;
	differential(1, 30 * KiB, 100000, 1);
	differential(4, 30 * KiB, 300000, 2);
	differential(4, 0, 200000, 3);
	differential(64, 30 * KiB, 300000, 4); /* widest bitmask */
	differential(65, 30 * KiB, 300000, 5); /* ids + count */
	differential(200, 30 * KiB, 200000, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_config),
		cmocka_unit_test(test_cold_then_hits),
		cmocka_unit_test(test_remote_modified),
		cmocka_unit_test(test_write_invalidates_sharers),
		cmocka_unit_test(test_l1_eviction_to_l2),
		cmocka_unit_test(test_l3_after_private_eviction),
		cmocka_unit_test(test_no_l3),
		cmocka_unit_test(test_l3_not_inclusive),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_1024_cpus),
		cmocka_unit_test(test_directory_bound),
		cmocka_unit_test(test_65_cpus),
		cmocka_unit_test(test_against_reference),
	};

	return cmocka_run_group_tests_name("cache_model", tests, NULL, NULL);
}
