/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cache_model.c - the cache-coherence cost model: private L1/L2 per CPU, a
 * shared L3, and a directory of which CPUs hold each privately cached line.
 * What is modelled and the exact answers are in cache_model.h.
 *
 * Representation:
 *   - A cache level is an array of sets of 'ways' 64-bit entries, kept in
 *     LRU order: way 0 is the most recently used, empty entries (0) are at
 *     the end.  A hit moves its entry to the front, a fill shifts the set
 *     down and the last entry falls out as the victim.  With 8 ways a set
 *     is one host cache line, and true LRU costs a few moves.
 *   - An entry is the line's address (its low 6 bits are zero) or'ed with
 *     E_VALID and, in private caches, E_WRITABLE.  E_WRITABLE is set in a
 *     CPU's L1 and L2 entries exactly when the directory says that CPU holds
 *     the line Modified; it lets an L1 store hit complete without looking
 *     at the directory, which is the whole fast path.
 *   - The directory maps a line address to its holders, for every line in
 *     at least one L2 (L2 includes L1, so that covers every private copy).
 *     Open addressing, linear probing, Fibonacci hashing of the line
 *     number, deletion by backward shift (no tombstones), doubled when half
 *     full.  It is never iterated except by the validator, so its layout
 *     cannot show in any answer.
 *
 * Pointer discipline in the slow path: a directory entry pointer is only
 * valid until the next insertion (which may grow the table) or deletion
 * (which may shift entries).  coherent() therefore finishes with the
 * accessed line's entry before install() fills the line and, through the
 * evicted victim, may delete another entry.
 */
#include "cache_model.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_SHIFT 6
#define LINE_MASK (~(uint64_t)(SIM_CACHE_LINE_SIZE - 1))

#define E_VALID 1ull	/* entry holds a line */
#define E_WRITABLE 2ull /* private caches: this CPU holds it Modified */

#define DIR_USED 1ull	  /* slot in use (line address 0 is a valid key) */
#define DIR_MODIFIED 2ull /* one holder, Modified; else all holders Shared */
#define DIR_IDS 3	  /* exact CPU ids per entry beyond 64 CPUs */
#define DIR_NO_ID 0xffffu
#define DIR_SLOTS_MIN 4096ull

#define HELD_NONE (-1) /* the accessing CPU has no copy */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

struct cache_level {
	uint64_t *ways;	  /* private: [cpu][set][way]; L3: [set][way] */
	uint64_t nr_sets; /* 0 = no such level (L3 only) */
	uint64_t set_mask;
	unsigned nr_ways;
	bool pow2; /* index by mask, else by modulo */
};

struct dir_entry {
	uint64_t key; /* line address | DIR_*; 0 = free slot */
	union {
		uint64_t mask; /* nr_cpus <= 64: exact set of holders */
		struct {
			uint16_t id[DIR_IDS]; /* holders, DIR_NO_ID = none */
			uint16_t count;	      /* exact number of holders */
		} list;
	} s;
};

struct sim_cache {
	struct sim_cache_config cfg;
	struct cache_level l1, l2, l3;
	bool exact_mask; /* nr_cpus <= 64 */
	struct dir_entry *dir;
	uint64_t dir_slots; /* power of two */
	uint64_t dir_used;
	uint64_t dir_slots_max;
	unsigned dir_shift; /* 64 - log2(dir_slots) */
	struct sim_cache_cpu_stats *stats;
};

static const char *const where_names[SIM_CACHE_NR_WHERE] = {
	[SIM_CACHE_L1] = "l1",
	[SIM_CACHE_L2] = "l2",
	[SIM_CACHE_L3] = "l3",
	[SIM_CACHE_REMOTE_CLEAN] = "remote_clean",
	[SIM_CACHE_REMOTE_MODIFIED] = "remote_modified",
	[SIM_CACHE_DRAM] = "dram",
};

const char *sim_cache_where_name(enum sim_cache_where where)
{
	if ((unsigned)where >= SIM_CACHE_NR_WHERE)
		return "?";
	return where_names[where];
}

/* --- sets --------------------------------------------------------------- */

static inline uint64_t *set_of(const struct cache_level *lv, unsigned cpu, uint64_t la)
{
	uint64_t line = la >> LINE_SHIFT;
	uint64_t set = lv->pow2 ? line & lv->set_mask : line % lv->nr_sets;

	return lv->ways + ((uint64_t)cpu * lv->nr_sets + set) * lv->nr_ways;
}

/* L1 and L2: a power-of-two number of sets, checked at creation. */
static inline uint64_t *priv_set(const struct cache_level *lv, unsigned cpu, uint64_t la)
{
	uint64_t set = (la >> LINE_SHIFT) & lv->set_mask;

	return lv->ways + ((uint64_t)cpu * lv->nr_sets + set) * lv->nr_ways;
}

static inline int set_find(const uint64_t *set, unsigned ways, uint64_t la)
{
	uint64_t want = la | E_VALID;

	for (unsigned i = 0; i < ways; i++)
		if ((set[i] & ~E_WRITABLE) == want)
			return (int)i;
	return -1;
}

/* Make way i the most recently used. */
static inline void set_touch(uint64_t *set, unsigned i)
{
	uint64_t e = set[i];

	for (; i > 0; i--)
		set[i] = set[i - 1];
	set[0] = e;
}

/* Put e in front; returns the entry that fell out (0 if none). */
static inline uint64_t set_insert(uint64_t *set, unsigned ways, uint64_t e)
{
	uint64_t victim = set[ways - 1];

	for (unsigned i = ways - 1; i > 0; i--)
		set[i] = set[i - 1];
	set[0] = e;
	return victim;
}

static inline void set_remove(uint64_t *set, unsigned ways, unsigned i)
{
	for (; i + 1 < ways; i++)
		set[i] = set[i + 1];
	set[ways - 1] = 0;
}

/* --- L3 ----------------------------------------------------------------- */

/* Hit: refresh and return true.  Miss: allocate if asked. */
static bool l3_access(struct sim_cache *c, uint64_t la, bool allocate)
{
	uint64_t *set;
	int i;

	if (!c->l3.nr_sets)
		return false;
	set = set_of(&c->l3, 0, la);
	i = set_find(set, c->l3.nr_ways, la);
	if (i >= 0) {
		set_touch(set, (unsigned)i);
		return true;
	}
	if (allocate)
		set_insert(set, c->l3.nr_ways, la | E_VALID);
	return false;
}

/* --- directory ---------------------------------------------------------- */

static inline uint64_t dir_home(const struct sim_cache *c, uint64_t la)
{
	return ((la >> LINE_SHIFT) * 0x9e3779b97f4a7c15ull) >> c->dir_shift;
}

static struct dir_entry *dir_find(const struct sim_cache *c, uint64_t la)
{
	uint64_t mask = c->dir_slots - 1;

	for (uint64_t i = dir_home(c, la);; i = (i + 1) & mask) {
		struct dir_entry *e = &c->dir[i];

		if (!e->key)
			return NULL;
		if ((e->key & LINE_MASK) == la)
			return e;
	}
}

static struct dir_entry *dir_slot_for(struct sim_cache *c, uint64_t la)
{
	uint64_t mask = c->dir_slots - 1;
	uint64_t i = dir_home(c, la);

	while (c->dir[i].key)
		i = (i + 1) & mask;
	return &c->dir[i];
}

static unsigned log2_u64(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

static bool dir_alloc(struct sim_cache *c, uint64_t slots)
{
	struct dir_entry *old = c->dir;
	uint64_t old_slots = c->dir_slots;

	c->dir = calloc(slots, sizeof(*c->dir));
	if (!c->dir) {
		c->dir = old;
		return false;
	}
	c->dir_slots = slots;
	c->dir_shift = 64u - log2_u64(slots);
	for (uint64_t i = 0; i < old_slots; i++)
		if (old[i].key)
			*dir_slot_for(c, old[i].key & LINE_MASK) = old[i];
	free(old);
	return true;
}

/*
 * A new entry with no holders.  The table is kept at most half full, so
 * probes stay short.  There are never more entries than L2 lines in all
 * CPUs together, plus one for the moment between entering a new line and
 * its fill evicting a victim; at dir_slots_max (at least twice the L2
 * lines) that one may go just past half, and the table never fills.
 */
static struct dir_entry *dir_insert(struct sim_cache *c, uint64_t la)
{
	struct dir_entry *e;

	assert(c->dir_used < c->dir_slots - 1);
	if ((c->dir_used + 1) * 2 > c->dir_slots && c->dir_slots < c->dir_slots_max) {
		if (!dir_alloc(c, c->dir_slots * 2)) {
			fprintf(stderr, "sim_cache: out of memory growing the directory\n");
			abort();
		}
	}
	e = dir_slot_for(c, la);
	e->key = la | DIR_USED;
	if (c->exact_mask) {
		e->s.mask = 0;
	} else {
		for (unsigned k = 0; k < DIR_IDS; k++)
			e->s.list.id[k] = DIR_NO_ID;
		e->s.list.count = 0;
	}
	c->dir_used++;
	return e;
}

/* Knuth's algorithm R: pull later entries of the probe run into the hole. */
static void dir_delete(struct sim_cache *c, struct dir_entry *d)
{
	uint64_t mask = c->dir_slots - 1;
	uint64_t hole = (uint64_t)(d - c->dir);

	for (uint64_t j = (hole + 1) & mask; c->dir[j].key; j = (j + 1) & mask) {
		uint64_t home = dir_home(c, c->dir[j].key & LINE_MASK);

		/* Movable unless its home lies cyclically in (hole, j]. */
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			c->dir[hole] = c->dir[j];
			hole = j;
		}
	}
	memset(&c->dir[hole], 0, sizeof(c->dir[hole]));
	c->dir_used--;
}

static unsigned dir_listed(const struct dir_entry *d)
{
	unsigned n = 0;

	for (unsigned k = 0; k < DIR_IDS; k++)
		n += d->s.list.id[k] != DIR_NO_ID;
	return n;
}

static unsigned dir_count(const struct sim_cache *c, const struct dir_entry *d)
{
	if (c->exact_mask)
		return (unsigned)__builtin_popcountll(d->s.mask);
	return d->s.list.count;
}

static unsigned dir_owner(const struct sim_cache *c, const struct dir_entry *d)
{
	assert(d->key & DIR_MODIFIED);
	if (c->exact_mask)
		return (unsigned)__builtin_ctzll(d->s.mask);
	return d->s.list.id[0];
}

/* Add a Shared holder that has no copy yet. */
static void dir_add(struct sim_cache *c, struct dir_entry *d, unsigned cpu)
{
	assert(!(d->key & DIR_MODIFIED));
	if (c->exact_mask) {
		d->s.mask |= 1ull << cpu;
		return;
	}
	d->s.list.count++;
	/* Listed ids are always true holders; past three, only the count is. */
	for (unsigned k = 0; k < DIR_IDS; k++) {
		if (d->s.list.id[k] == DIR_NO_ID) {
			d->s.list.id[k] = (uint16_t)cpu;
			return;
		}
	}
}

/* cpu no longer has a copy; the entry goes when nobody has. */
static void dir_remove(struct sim_cache *c, struct dir_entry *d, unsigned cpu)
{
	if (c->exact_mask) {
		d->s.mask &= ~(1ull << cpu);
		if (!d->s.mask)
			dir_delete(c, d);
		return;
	}
	for (unsigned k = 0; k < DIR_IDS; k++)
		if (d->s.list.id[k] == cpu)
			d->s.list.id[k] = DIR_NO_ID;
	if (!--d->s.list.count)
		dir_delete(c, d);
}

/* cpu becomes the one holder, Modified. */
static void dir_set_modified(struct sim_cache *c, struct dir_entry *d, unsigned cpu)
{
	d->key |= DIR_MODIFIED;
	if (c->exact_mask) {
		d->s.mask = 1ull << cpu;
		return;
	}
	d->s.list.id[0] = (uint16_t)cpu;
	for (unsigned k = 1; k < DIR_IDS; k++)
		d->s.list.id[k] = DIR_NO_ID;
	d->s.list.count = 1;
}

/* --- private caches ----------------------------------------------------- */

/* Remove cpu's copy from its L1 and L2, without telling the directory. */
static bool drop_copy(struct sim_cache *c, unsigned cpu, uint64_t la)
{
	uint64_t *set = priv_set(&c->l2, cpu, la);
	int i = set_find(set, c->l2.nr_ways, la);

	if (i < 0)
		return false;
	set_remove(set, c->l2.nr_ways, (unsigned)i);
	set = priv_set(&c->l1, cpu, la);
	i = set_find(set, c->l1.nr_ways, la);
	if (i >= 0)
		set_remove(set, c->l1.nr_ways, (unsigned)i);
	return true;
}

/* Set or clear E_WRITABLE on cpu's copies, wherever they are. */
static void set_writable(struct sim_cache *c, unsigned cpu, uint64_t la, bool writable)
{
	const struct cache_level *lv[2] = { &c->l1, &c->l2 };

	for (unsigned k = 0; k < 2; k++) {
		uint64_t *set = priv_set(lv[k], cpu, la);
		int i = set_find(set, lv[k]->nr_ways, la);

		if (i >= 0)
			set[i] = la | E_VALID | (writable ? E_WRITABLE : 0);
	}
}

/* Invalidate every copy but cpu's; returns how many there were. */
static uint64_t invalidate_others(struct sim_cache *c, const struct dir_entry *d, unsigned cpu,
				  struct sim_cache_cpu_stats *st)
{
	uint64_t la = d->key & LINE_MASK;
	uint64_t n = 0;

	if (c->exact_mask) {
		for (uint64_t m = d->s.mask & ~(1ull << cpu); m; m &= m - 1)
			n += drop_copy(c, (unsigned)__builtin_ctzll(m), la);
	} else if (dir_listed(d) == d->s.list.count) {
		for (unsigned k = 0; k < DIR_IDS; k++) {
			unsigned o = d->s.list.id[k];

			if (o != DIR_NO_ID && o != cpu)
				n += drop_copy(c, o, la);
		}
	} else {
		/* More holders than ids: ask everybody. */
		st->broadcasts++;
		for (unsigned o = 0; o < c->cfg.nr_cpus; o++)
			if (o != cpu)
				n += drop_copy(c, o, la);
	}
	return n;
}

/* cpu's L2 dropped line 'victim': L1 follows (inclusion), L3 takes it. */
static void evict_l2_victim(struct sim_cache *c, unsigned cpu, uint64_t victim)
{
	uint64_t la = victim & LINE_MASK;
	uint64_t *set = priv_set(&c->l1, cpu, la);
	int i = set_find(set, c->l1.nr_ways, la);
	struct dir_entry *d;

	if (i >= 0) {
		set_remove(set, c->l1.nr_ways, (unsigned)i);
		c->stats[cpu].back_invalidations++;
	}
	d = dir_find(c, la);
	assert(d);
	dir_remove(c, d, cpu);
	l3_access(c, la, true);
}

/* Give cpu the line in L2 and L1 (most recently used), with these flags. */
static void install(struct sim_cache *c, unsigned cpu, uint64_t la, uint64_t flags)
{
	uint64_t e = la | E_VALID | flags;
	uint64_t *set = priv_set(&c->l2, cpu, la);
	int i = set_find(set, c->l2.nr_ways, la);

	if (i >= 0) {
		set[i] = e;
	} else {
		uint64_t victim = set_insert(set, c->l2.nr_ways, e);

		if (victim & E_VALID)
			evict_l2_victim(c, cpu, victim);
	}
	set = priv_set(&c->l1, cpu, la);
	i = set_find(set, c->l1.nr_ways, la);
	if (i >= 0) {
		set[i] = e;
		set_touch(set, (unsigned)i);
	} else {
		set_insert(set, c->l1.nr_ways, e); /* its victim stays in L2 */
	}
}

/*
 * Everything that needs the directory: any miss in both private levels,
 * and stores to lines this CPU holds Shared.  held is where cpu has a copy
 * (SIM_CACHE_L1, SIM_CACHE_L2) or HELD_NONE.
 */
static enum sim_cache_where coherent(struct sim_cache *c, unsigned cpu, uint64_t la, bool is_write,
				     int held)
{
	struct sim_cache_cpu_stats *st = &c->stats[cpu];
	struct dir_entry *d = dir_find(c, la);
	enum sim_cache_where where;

	if (is_write) {
		if (d && (d->key & DIR_MODIFIED)) {
			unsigned o = dir_owner(c, d);

			assert(o != cpu && held == HELD_NONE);
			st->invalidations += drop_copy(c, o, la);
			where = SIM_CACHE_REMOTE_MODIFIED;
		} else if (d && dir_count(c, d) > (held != HELD_NONE)) {
			st->invalidations += invalidate_others(c, d, cpu, st);
			where = SIM_CACHE_REMOTE_CLEAN;
		} else if (d) {
			/* Shared by cpu alone: upgrade in place. */
			assert(held != HELD_NONE);
			where = (enum sim_cache_where)held;
		} else {
			where = l3_access(c, la, true) ? SIM_CACHE_L3 : SIM_CACHE_DRAM;
		}
		if (!d)
			d = dir_insert(c, la);
		dir_set_modified(c, d, cpu);
		install(c, cpu, la, E_WRITABLE);
		return where;
	}

	/* Reads that hit cpu's own copy never come here. */
	assert(held == HELD_NONE);
	if (d && (d->key & DIR_MODIFIED)) {
		set_writable(c, dir_owner(c, d), la, false);
		d->key &= ~DIR_MODIFIED;
		l3_access(c, la, true); /* the dirty data is written back */
		where = SIM_CACHE_REMOTE_MODIFIED;
	} else if (d) {
		where = l3_access(c, la, false) ? SIM_CACHE_L3 : SIM_CACHE_REMOTE_CLEAN;
	} else {
		where = l3_access(c, la, true) ? SIM_CACHE_L3 : SIM_CACHE_DRAM;
		d = dir_insert(c, la);
	}
	dir_add(c, d, cpu);
	install(c, cpu, la, 0);
	return where;
}

/* An L1 miss, or a store to a line cpu's L1 holds without permission. */
static enum sim_cache_where __attribute__((noinline))
access_slow(struct sim_cache *c, unsigned cpu, uint64_t la, bool is_write, bool in_l1)
{
	int held = SIM_CACHE_L1;

	if (!in_l1) {
		uint64_t *set = priv_set(&c->l2, cpu, la);
		int i = set_find(set, c->l2.nr_ways, la);

		held = HELD_NONE;
		if (i >= 0) {
			uint64_t e = set[i];

			set_touch(set, (unsigned)i);
			if (!is_write || (e & E_WRITABLE)) {
				uint64_t *set1 = priv_set(&c->l1, cpu, la);

				set_insert(set1, c->l1.nr_ways, e);
				return SIM_CACHE_L2;
			}
			held = SIM_CACHE_L2;
		}
	}
	return coherent(c, cpu, la, is_write, held);
}

enum sim_cache_where sim_cache_access(struct sim_cache *c, unsigned cpu, uint64_t addr,
				      bool is_write)
{
	uint64_t la = addr & LINE_MASK;
	uint64_t *set = priv_set(&c->l1, cpu, la);
	int i = set_find(set, c->l1.nr_ways, la);
	struct sim_cache_cpu_stats *st = &c->stats[cpu];
	enum sim_cache_where where;

	assert(cpu < c->cfg.nr_cpus);
	st->writes += is_write;
	if (likely(i >= 0) && (!is_write || (set[i] & E_WRITABLE))) {
		set_touch(set, (unsigned)i);
		st->served[SIM_CACHE_L1]++;
		return SIM_CACHE_L1;
	}
	where = access_slow(c, cpu, la, is_write, i >= 0);
	st->served[where]++;
	return where;
}

/* --- configuration and lifetime ----------------------------------------- */

void sim_cache_config_default(struct sim_cache_config *cfg, unsigned nr_cpus)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_cpus = nr_cpus;
	cfg->l1 = (struct sim_cache_level_config){ 32ull << 10, 8 };
	cfg->l2 = (struct sim_cache_level_config){ 256ull << 10, 8 };
	cfg->l3 = (struct sim_cache_level_config){ 20ull << 20, 20 };
}

static const char *level_check(const struct sim_cache_level_config *lv, bool need_pow2,
			       bool may_be_empty)
{
	uint64_t sets;

	if (!lv->size_bytes && may_be_empty)
		return NULL;
	if (!lv->ways || lv->ways > SIM_CACHE_WAYS_MAX)
		return "ways must be 1..64";
	if (!lv->size_bytes || lv->size_bytes % ((uint64_t)lv->ways * SIM_CACHE_LINE_SIZE))
		return "size must be a non-zero multiple of ways * 64";
	sets = lv->size_bytes / ((uint64_t)lv->ways * SIM_CACHE_LINE_SIZE);
	if (need_pow2 && (sets & (sets - 1)))
		return "L1 and L2 need a power-of-two number of sets";
	if (sets > (1ull << 32))
		return "size too large";
	return NULL;
}

const char *sim_cache_config_check(const struct sim_cache_config *cfg)
{
	const char *err;

	if (cfg->nr_cpus < 1 || cfg->nr_cpus > SIM_CACHE_CPUS_MAX)
		return "nr_cpus must be 1..1024";
	if ((err = level_check(&cfg->l1, true, false)))
		return err;
	if ((err = level_check(&cfg->l2, true, false)))
		return err;
	if ((err = level_check(&cfg->l3, false, true)))
		return err;
	/* Inclusion needs L2 to be able to hold all of L1's lines. */
	if (cfg->l2.size_bytes < cfg->l1.size_bytes)
		return "L2 must be at least as large as L1";
	return NULL;
}

static bool level_init(struct cache_level *lv, const struct sim_cache_level_config *lc,
		       unsigned copies)
{
	if (!lc->size_bytes)
		return true;
	lv->nr_ways = lc->ways;
	lv->nr_sets = lc->size_bytes / ((uint64_t)lc->ways * SIM_CACHE_LINE_SIZE);
	lv->pow2 = !(lv->nr_sets & (lv->nr_sets - 1));
	lv->set_mask = lv->nr_sets - 1;
	lv->ways = calloc((size_t)copies * lv->nr_sets * lv->nr_ways, sizeof(uint64_t));
	return lv->ways != NULL;
}

static uint64_t level_entries(const struct cache_level *lv, unsigned copies)
{
	return (uint64_t)copies * lv->nr_sets * lv->nr_ways;
}

struct sim_cache *sim_cache_create(const struct sim_cache_config *cfg, const char **err)
{
	const char *why = sim_cache_config_check(cfg);
	struct sim_cache *c;
	uint64_t l2_lines;

	if (why)
		goto fail_why;
	why = "out of memory";
	c = calloc(1, sizeof(*c));
	if (!c)
		goto fail_why;
	c->cfg = *cfg;
	c->exact_mask = cfg->nr_cpus <= 64;
	if (!level_init(&c->l1, &cfg->l1, cfg->nr_cpus) ||
	    !level_init(&c->l2, &cfg->l2, cfg->nr_cpus) || !level_init(&c->l3, &cfg->l3, 1))
		goto fail;
	c->stats = calloc(cfg->nr_cpus, sizeof(*c->stats));
	if (!c->stats)
		goto fail;

	l2_lines = level_entries(&c->l2, cfg->nr_cpus);
	c->dir_slots_max = DIR_SLOTS_MIN;
	while (c->dir_slots_max < 2 * l2_lines)
		c->dir_slots_max *= 2;
	if (!dir_alloc(c, DIR_SLOTS_MIN))
		goto fail;
	return c;

fail:
	sim_cache_destroy(c);
fail_why:
	if (err)
		*err = why;
	return NULL;
}

void sim_cache_destroy(struct sim_cache *c)
{
	if (!c)
		return;
	free(c->l1.ways);
	free(c->l2.ways);
	free(c->l3.ways);
	free(c->dir);
	free(c->stats);
	free(c);
}

void sim_cache_flush(struct sim_cache *c)
{
	struct cache_level *lv[3] = { &c->l1, &c->l2, &c->l3 };
	unsigned copies[3] = { c->cfg.nr_cpus, c->cfg.nr_cpus, 1 };

	for (unsigned k = 0; k < 3; k++)
		if (lv[k]->ways)
			memset(lv[k]->ways, 0, level_entries(lv[k], copies[k]) * sizeof(uint64_t));
	memset(c->dir, 0, c->dir_slots * sizeof(*c->dir));
	c->dir_used = 0;
}

void sim_cache_stats_clear(struct sim_cache *c)
{
	memset(c->stats, 0, c->cfg.nr_cpus * sizeof(*c->stats));
}

const struct sim_cache_cpu_stats *sim_cache_cpu_stats(const struct sim_cache *c, unsigned cpu)
{
	assert(cpu < c->cfg.nr_cpus);
	return &c->stats[cpu];
}

const struct sim_cache_config *sim_cache_config(const struct sim_cache *c)
{
	return &c->cfg;
}

size_t sim_cache_memory_bytes(const struct sim_cache *c)
{
	uint64_t lines = level_entries(&c->l1, c->cfg.nr_cpus) +
			 level_entries(&c->l2, c->cfg.nr_cpus) + level_entries(&c->l3, 1);

	return sizeof(*c) + lines * sizeof(uint64_t) + c->dir_slots * sizeof(*c->dir) +
	       c->cfg.nr_cpus * sizeof(*c->stats);
}

/* --- validation --------------------------------------------------------- */

struct vctx {
	unsigned problems;
};

static void __attribute__((format(printf, 2, 3))) vfail(struct vctx *v, const char *fmt, ...)
{
	va_list ap;

	if (v->problems++ >= 20)
		return;
	fputs("sim_cache_validate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* LRU order well formed: valid entries first, right set, no duplicates. */
static void check_set(struct vctx *v, const struct cache_level *lv, unsigned cpu, uint64_t set_idx,
		      const char *name, bool private_level)
{
	const uint64_t *set = lv->ways + ((uint64_t)cpu * lv->nr_sets + set_idx) * lv->nr_ways;
	bool seen_empty = false;

	for (unsigned i = 0; i < lv->nr_ways; i++) {
		uint64_t e = set[i], la = e & LINE_MASK;

		if (!e) {
			seen_empty = true;
			continue;
		}
		if (seen_empty || !(e & E_VALID))
			vfail(v, "%s cpu %u set %llu way %u: bad entry or hole", name, cpu,
			      (unsigned long long)set_idx, i);
		if ((e & ~LINE_MASK & ~(E_VALID | E_WRITABLE)) ||
		    (!private_level && (e & E_WRITABLE)))
			vfail(v, "%s cpu %u: stray flag bits %#llx", name, cpu,
			      (unsigned long long)e);
		if (set_of(lv, cpu, la) != set)
			vfail(v, "%s cpu %u: line %#llx in wrong set", name, cpu,
			      (unsigned long long)la);
		for (unsigned j = 0; j < i; j++)
			if ((set[j] & LINE_MASK) == la)
				vfail(v, "%s cpu %u: line %#llx twice", name, cpu,
				      (unsigned long long)la);
	}
}

static void check_private(struct vctx *v, const struct sim_cache *c, unsigned cpu)
{
	for (uint64_t s = 0; s < c->l1.nr_sets; s++) {
		const uint64_t *set =
		    c->l1.ways + ((uint64_t)cpu * c->l1.nr_sets + s) * c->l1.nr_ways;

		check_set(v, &c->l1, cpu, s, "L1", true);
		for (unsigned i = 0; i < c->l1.nr_ways; i++) {
			uint64_t e = set[i], la = e & LINE_MASK;
			const uint64_t *set2;
			int j;

			if (!e)
				continue;
			set2 = priv_set(&c->l2, cpu, la);
			j = set_find(set2, c->l2.nr_ways, la);
			if (j < 0)
				vfail(v, "cpu %u: line %#llx in L1, not in L2", cpu,
				      (unsigned long long)la);
			else if ((set2[j] & E_WRITABLE) != (e & E_WRITABLE))
				vfail(v, "cpu %u: line %#llx writable in one level only", cpu,
				      (unsigned long long)la);
		}
	}
	for (uint64_t s = 0; s < c->l2.nr_sets; s++) {
		const uint64_t *set =
		    c->l2.ways + ((uint64_t)cpu * c->l2.nr_sets + s) * c->l2.nr_ways;

		check_set(v, &c->l2, cpu, s, "L2", true);
		for (unsigned i = 0; i < c->l2.nr_ways; i++) {
			uint64_t e = set[i], la = e & LINE_MASK;
			const struct dir_entry *d;
			bool modified;

			if (!e)
				continue;
			d = dir_find(c, la);
			if (!d) {
				vfail(v, "cpu %u: line %#llx cached, not in directory", cpu,
				      (unsigned long long)la);
				continue;
			}
			modified = d->key & DIR_MODIFIED;
			if (modified != !!(e & E_WRITABLE) || (modified && dir_owner(c, d) != cpu))
				vfail(
				    v,
				    "cpu %u: line %#llx write permission disagrees with directory",
				    cpu, (unsigned long long)la);
			if (c->exact_mask && !(d->s.mask & (1ull << cpu)))
				vfail(v, "cpu %u: line %#llx cached, not in its sharer mask", cpu,
				      (unsigned long long)la);
		}
	}
}

static void check_directory(struct vctx *v, const struct sim_cache *c)
{
	uint64_t used = 0;

	for (uint64_t i = 0; i < c->dir_slots; i++) {
		const struct dir_entry *d = &c->dir[i];
		uint64_t la = d->key & LINE_MASK;
		unsigned holders = 0;

		if (!d->key)
			continue;
		used++;
		if (!(d->key & DIR_USED) || dir_find(c, la) != d)
			vfail(v, "directory slot %llu: bad key or unreachable",
			      (unsigned long long)i);
		for (unsigned cpu = 0; cpu < c->cfg.nr_cpus; cpu++)
			holders += set_find(priv_set(&c->l2, cpu, la), c->l2.nr_ways, la) >= 0;
		if (!holders || holders != dir_count(c, d))
			vfail(v, "line %#llx: directory counts %u holders, caches have %u",
			      (unsigned long long)la, dir_count(c, d), holders);
		if ((d->key & DIR_MODIFIED) && holders != 1)
			vfail(v, "line %#llx: Modified with %u holders", (unsigned long long)la,
			      holders);
		if (!c->exact_mask) {
			for (unsigned k = 0; k < DIR_IDS; k++) {
				unsigned o = d->s.list.id[k];

				if (o == DIR_NO_ID)
					continue;
				if (o >= c->cfg.nr_cpus ||
				    set_find(priv_set(&c->l2, o, la), c->l2.nr_ways, la) < 0)
					vfail(v, "line %#llx: listed cpu %u holds no copy",
					      (unsigned long long)la, o);
				for (unsigned m = 0; m < k; m++)
					if (d->s.list.id[m] == o)
						vfail(v, "line %#llx: cpu %u listed twice",
						      (unsigned long long)la, o);
			}
			if (dir_listed(d) > d->s.list.count)
				vfail(v, "line %#llx: more ids than holders",
				      (unsigned long long)la);
		}
	}
	if (used != c->dir_used)
		vfail(v, "directory: %llu entries, %llu counted", (unsigned long long)used,
		      (unsigned long long)c->dir_used);
}

unsigned sim_cache_validate(const struct sim_cache *c)
{
	struct vctx v = { 0 };

	for (unsigned cpu = 0; cpu < c->cfg.nr_cpus; cpu++)
		check_private(&v, c, cpu);
	for (uint64_t s = 0; s < c->l3.nr_sets; s++)
		check_set(&v, &c->l3, 0, s, "L3", false);
	check_directory(&v, c);
	return v.problems;
}
