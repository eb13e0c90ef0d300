/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cache_model.h - a deterministic cache-coherence cost model: for every
 * simulated load or store, where its 64-byte line was found.  The engine
 * turns the answer into cycles with a cost profile; this module knows
 * nothing about cycles.
 *
 * Addresses are uint64_t offsets in the one simulated address space, never
 * host pointers, so set indices and every answer are the same in every run
 * and build.  One call is one line: an access that straddles two lines is
 * two calls, the caller's business.
 *
 * What is modelled:
 *   - Per CPU, a private L1 and L2, set-associative with true LRU.  L2 is
 *     inclusive of L1: a line evicted from L2 is also dropped from L1 (a
 *     back-invalidation).  Only the level that serves an access updates
 *     its LRU: an L1 hit does not refresh the line in L2.
 *   - One shared L3, set-associative with true LRU, or none (size 0).  It
 *     is "mostly inclusive", not inclusive: a line fetched from DRAM is
 *     allocated in L3 as well, lines a CPU evicts from its L2 (clean or
 *     dirty) are written into L3, and so is a modified line another CPU
 *     reads; but an L3 eviction does not touch the private caches, so a
 *     line can be in a private cache and not in L3.
 *   - Coherence is MSI-like, write-invalidate, tracked by a directory of
 *     the lines present in at least one private cache.  A line is either
 *     Modified by one CPU (its sole holder) or Shared by one or more CPUs.
 *     A line read by a CPU while no other CPU holds it is Shared by that
 *     CPU alone, and that CPU's later write upgrades it silently, as MESI's
 *     Exclusive state would.
 *
 * The answer (enum sim_cache_where), per access by CPU c to line x:
 *   read:
 *     x in c's L1 / L2                           -> L1 / L2
 *     x Modified by another CPU o                -> REMOTE_MODIFIED; o keeps
 *         a Shared copy, x is written into L3, c gets a Shared copy
 *     x Shared by other CPUs only: in L3         -> L3, else REMOTE_CLEAN
 *     x in no private cache: in L3               -> L3, else DRAM (and L3
 *         allocates it)
 *   write (afterwards c alone holds x, Modified, in its L1 and L2):
 *     x Modified by c, in c's L1 / L2            -> L1 / L2
 *     x Shared by c alone, in c's L1 / L2        -> L1 / L2 (silent upgrade)
 *     x Modified by another CPU o                -> REMOTE_MODIFIED; o's
 *         copy is invalidated (ownership moves, no write-back)
 *     x Shared by at least one other CPU         -> REMOTE_CLEAN, whether or
 *         not c had a copy and whether or not L3 has x: the write waits for
 *         the other copies to be invalidated, a round trip to the peers
 *     x in no private cache: in L3               -> L3, else DRAM
 *
 * Not modelled: hardware prefetch (stream, adjacent line), write-back
 * bandwidth and DRAM write-backs, banks, L3 slices and their hashing, NUMA
 * distance, TLBs, store buffers and queuing: every access costs only by
 * where it was served.  Instruction fetch is not modelled.
 *
 * Sharer tracking (the directory, an open-addressing hash table keyed by
 * line): with at most 64 CPUs, an exact bitmask per line.  With more, a
 * limited-pointer directory (Dir3B): up to three CPU ids exactly plus an
 * exact count of holders; when more than three CPUs hold a line, the ids
 * no longer name them all and a write to that line invalidates by
 * broadcast, probing every CPU's caches (counted as broadcasts).  The
 * answers are the same as with an exact set; only the time the model
 * takes differs.  Once the holders fall back to the ids listed, the entry
 * is exact again.
 *
 * Determinism: the model is a pure function of the sequence of calls since
 * creation or the last flush.  No randomness, no host addresses; the
 * directory's table layout depends only on that sequence and no answer
 * depends on the layout.
 *
 * Memory: per CPU, 8 bytes per L1 and L2 line (36 KiB with the default
 * 32 KiB + 256 KiB), plus 8 bytes per L3 line (2.5 MiB for 20 MiB), plus
 * the directory: 16 bytes per slot, grown on demand from 4096 slots to at
 * most twice the lines all L2s can hold, rounded up to a power of two.
 * With the defaults and 1024 CPUs: 38.6 MiB at creation, at most 166.6
 * MiB (a 128 MiB directory) when every L2 is full of distinct lines.
 * With 8 CPUs: 3.8 MiB at most.  sim_cache_memory_bytes() tells the
 * current figure.
 *
 * Not thread-safe: one model is driven by one host thread.
 */
#ifndef SIM_CACHE_MODEL_H
#define SIM_CACHE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_CACHE_LINE_SIZE 64u
#define SIM_CACHE_CPUS_MAX 1024u
#define SIM_CACHE_WAYS_MAX 64u

/* Where an access was served; the order is roughly increasing cost. */
enum sim_cache_where {
	SIM_CACHE_L1,
	SIM_CACHE_L2,
	SIM_CACHE_L3,
	SIM_CACHE_REMOTE_CLEAN,	   /* from, or after invalidating, clean peers */
	SIM_CACHE_REMOTE_MODIFIED, /* from the peer that held it Modified */
	SIM_CACHE_DRAM,
	SIM_CACHE_NR_WHERE
};

/* "l1", "l2", "l3", "remote_clean", "remote_modified", "dram". */
const char *sim_cache_where_name(enum sim_cache_where where);

struct sim_cache_level_config {
	uint64_t size_bytes; /* L3 only: 0 = no L3 */
	unsigned ways;	     /* 1..SIM_CACHE_WAYS_MAX */
};

/*
 * size_bytes must be a multiple of ways * 64.  L1 and L2 need a power of
 * two number of sets (their index is the low line-number bits); L3 may
 * have any number (its index is the line number modulo the sets).
 */
struct sim_cache_config {
	unsigned nr_cpus; /* 1..SIM_CACHE_CPUS_MAX */
	struct sim_cache_level_config l1, l2, l3;
};

/* Per CPU, since creation or the last sim_cache_stats_clear(). */
struct sim_cache_cpu_stats {
	uint64_t served[SIM_CACHE_NR_WHERE]; /* accesses by where served */
	uint64_t writes;		     /* of which stores */
	uint64_t invalidations;		     /* peer copies this CPU's stores invalidated */
	uint64_t broadcasts;		     /* of those stores, how many had to broadcast */
	uint64_t back_invalidations;	     /* L1 lines dropped with their L2 line */
};

struct sim_cache;

/* nr_cpus CPUs; L1 32 KiB 8-way, L2 256 KiB 8-way, L3 20 MiB 20-way. */
void sim_cache_config_default(struct sim_cache_config *cfg, unsigned nr_cpus);

/* NULL if cfg is usable, else what is wrong with it. */
const char *sim_cache_config_check(const struct sim_cache_config *cfg);

/*
 * NULL on failure, with *err (if err) saying why: a bad configuration or
 * out of memory.  All caches start empty.
 */
struct sim_cache *sim_cache_create(const struct sim_cache_config *cfg, const char **err);
void sim_cache_destroy(struct sim_cache *cache);

/* One load or store of the line holding addr, by cpu (< nr_cpus). */
enum sim_cache_where sim_cache_access(struct sim_cache *cache, unsigned cpu, uint64_t addr,
				      bool is_write);

/* Empty every cache and the directory; counters are kept. */
void sim_cache_flush(struct sim_cache *cache);

void sim_cache_stats_clear(struct sim_cache *cache);
const struct sim_cache_cpu_stats *sim_cache_cpu_stats(const struct sim_cache *cache, unsigned cpu);

const struct sim_cache_config *sim_cache_config(const struct sim_cache *cache);

/* Bytes the model holds now (tables and arrays, not malloc overhead). */
size_t sim_cache_memory_bytes(const struct sim_cache *cache);

/*
 * Expensive self-check of every invariant (L1 within L2, directory equal
 * to the caches' contents, write permission only with Modified, LRU order
 * well formed).  Returns the number of problems; each is also reported on
 * stderr.  For tests and debug builds.
 */
unsigned sim_cache_validate(const struct sim_cache *cache);

#endif /* SIM_CACHE_MODEL_H */
