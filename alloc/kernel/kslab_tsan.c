/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kslab_tsan.c - slabsim's own __tsan_* functions, the other end of GCC's
 * -fsanitize=thread instrumentation of the kernel files (KCSAN's
 * technique; no libtsan is linked).  GCC 12 with
 * --param=tsan-distinguish-volatile=1 --param=tsan-instrument-func-entry-exit=0
 * calls, for each memory access it instruments:
 *   __tsan_readN / __tsan_writeN (N = 1, 2, 4, 8, 16) and the unaligned
 *     forms, for plain accesses;
 *   __tsan_volatile_readN / writeN for READ_ONCE / WRITE_ONCE;
 *   __tsan_atomicN_* for __atomic and __sync builtins: these hooks REPLACE
 *     the builtin, so they perform the operation.
 * Stack slots whose address escapes are instrumented too: an access in the
 * running task's stack is counted as KSLAB_R_STACK and never reaches the
 * observer.  memcpy/memset are not instrumented by GCC: the compat layer
 * routes them to kslab_memset/memcpy/memmove below, one range access each.
 *
 * Stage 1 counts by region and kind and calls the observer, if one is set,
 * with the access and the return address (the kernel instruction that
 * made it): stage 2 turns that into a point named by function and n-th
 * access.  This file is compiled without -fsanitize=thread.
 */
#include "kslab_internal.h"

struct kslab_ranges kslab_ranges;
static struct kslab_access_counts counts;
static kslab_access_fn observer;

void kslab_access_counts(struct kslab_access_counts *out)
{
	*out = counts;
}

void kslab_access_reset(void)
{
	__builtin_memset(&counts, 0, sizeof(counts));
}

void kslab_set_access_observer(kslab_access_fn fn)
{
	observer = fn;
}

static inline int cache_frame(uintptr_t a)
{
	unsigned long pfn = (a - kslab_ranges.lo[KSLAB_R_DIRECT]) >> 12;
	const unsigned int bits = 8 * sizeof(unsigned long);

	return pfn < KSLAB_CACHE_FRAMES &&
	       (kslab_ranges.cache_frames[pfn / bits] >> (pfn % bits)) & 1;
}

static inline enum kslab_region region_of(uintptr_t a)
{
	for (int r = 0; r < KSLAB_R_CACHE; r++)
		if (a >= kslab_ranges.lo[r] && a < kslab_ranges.hi[r])
			return r == KSLAB_R_DIRECT && cache_frame(a) ? KSLAB_R_CACHE
								     : (enum kslab_region)r;
	return KSLAB_R_GLOBAL;
}

static inline void note(const volatile void *addr, unsigned int size, enum kslab_access kind,
			const void *ip)
{
	enum kslab_region r = region_of((uintptr_t)addr);

	counts.n[r][kind]++;
	if (observer && r != KSLAB_R_STACK)
		observer((const void *)addr, size, kind, r, ip);
}

#define RA __builtin_return_address(0)

/* Plain, unaligned and volatile accesses. */
#define ACCESS_HOOKS(N)                                   \
	void __tsan_read##N(void *a);                     \
	void __tsan_read##N(void *a)                      \
	{                                                 \
		note(a, N, KSLAB_A_LOAD, RA);             \
	}                                                 \
	void __tsan_write##N(void *a);                    \
	void __tsan_write##N(void *a)                     \
	{                                                 \
		note(a, N, KSLAB_A_STORE, RA);            \
	}                                                 \
	void __tsan_unaligned_read##N(void *a);           \
	void __tsan_unaligned_read##N(void *a)            \
	{                                                 \
		note(a, N, KSLAB_A_LOAD, RA);             \
	}                                                 \
	void __tsan_unaligned_write##N(void *a);          \
	void __tsan_unaligned_write##N(void *a)           \
	{                                                 \
		note(a, N, KSLAB_A_STORE, RA);            \
	}                                                 \
	void __tsan_volatile_read##N(void *a);            \
	void __tsan_volatile_read##N(void *a)             \
	{                                                 \
		note(a, N, KSLAB_A_VLOAD, RA);            \
	}                                                 \
	void __tsan_volatile_write##N(void *a);           \
	void __tsan_volatile_write##N(void *a)            \
	{                                                 \
		note(a, N, KSLAB_A_VSTORE, RA);           \
	}                                                 \
	void __tsan_unaligned_volatile_read##N(void *a);  \
	void __tsan_unaligned_volatile_read##N(void *a)   \
	{                                                 \
		note(a, N, KSLAB_A_VLOAD, RA);            \
	}                                                 \
	void __tsan_unaligned_volatile_write##N(void *a); \
	void __tsan_unaligned_volatile_write##N(void *a)  \
	{                                                 \
		note(a, N, KSLAB_A_VSTORE, RA);           \
	}
ACCESS_HOOKS(1)
ACCESS_HOOKS(2)
ACCESS_HOOKS(4)
ACCESS_HOOKS(8)
ACCESS_HOOKS(16)

/*
 * memset, memcpy and memmove of the instrumented kernel files: GCC does not
 * instrument them, so kc_stubs.h routes them here (only where
 * -fsanitize=thread is on).  Each range counts as one KSLAB_A_RANGE
 * access of its region; the range observer gets the call as one access.
 */
static kslab_range_fn range_observer;

void kslab_set_range_observer(kslab_range_fn fn)
{
	range_observer = fn;
}

static inline void note_range(void *d, const void *s, unsigned long n, const void *ip)
{
	enum kslab_region rd = region_of((uintptr_t)d);
	enum kslab_region rs = s ? region_of((uintptr_t)s) : KSLAB_NR_REGIONS;

	counts.n[rd][KSLAB_A_RANGE]++;
	if (s)
		counts.n[rs][KSLAB_A_RANGE]++;
	if (range_observer && n)
		range_observer(d, s, n, rd, rs, ip);
}

void *kslab_memset(void *d, int c, unsigned long n);
void *kslab_memset(void *d, int c, unsigned long n)
{
	note_range(d, NULL, n, RA);
	return __builtin_memset(d, c, n);
}

void *kslab_memcpy(void *d, const void *s, unsigned long n);
void *kslab_memcpy(void *d, const void *s, unsigned long n)
{
	note_range(d, s, n, RA);
	return __builtin_memcpy(d, s, n);
}

void *kslab_memmove(void *d, const void *s, unsigned long n);
void *kslab_memmove(void *d, const void *s, unsigned long n)
{
	note_range(d, s, n, RA);
	return __builtin_memmove(d, s, n);
}

void __tsan_read_range(void *a, unsigned long size);
void __tsan_read_range(void *a, unsigned long size)
{
	note(a, (unsigned int)size, KSLAB_A_LOAD, RA);
}

void __tsan_write_range(void *a, unsigned long size);
void __tsan_write_range(void *a, unsigned long size)
{
	note(a, (unsigned int)size, KSLAB_A_STORE, RA);
}

/* Module constructor and function entry/exit (the latter switched off). */
void __tsan_init(void);
void __tsan_init(void)
{
}

void __tsan_func_entry(void *pc);
void __tsan_func_entry(void *pc)
{
	(void)pc;
}

void __tsan_func_exit(void);
void __tsan_func_exit(void)
{
}

/*
 * Atomics: performed here, with the builtin the instrumented code asked
 * for (sequentially consistent whatever the order argument: the
 * simulator's model is SC).  16-byte operations use cmpxchg16b (-mcx16).
 */
#define SC __ATOMIC_SEQ_CST
#define AT(a) note((a), sizeof(*(a)), KSLAB_A_ATOMIC, RA)
#define ATOMIC_HOOKS(N, T)                                                                         \
	T __tsan_atomic##N##_load(const volatile T *a, int mo);                                    \
	T __tsan_atomic##N##_load(const volatile T *a, int mo)                                     \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_load_n(a, SC);                                                     \
	}                                                                                          \
	void __tsan_atomic##N##_store(volatile T *a, T v, int mo);                                 \
	void __tsan_atomic##N##_store(volatile T *a, T v, int mo)                                  \
	{                                                                                          \
		AT(a);                                                                             \
		__atomic_store_n(a, v, SC);                                                        \
	}                                                                                          \
	T __tsan_atomic##N##_exchange(volatile T *a, T v, int mo);                                 \
	T __tsan_atomic##N##_exchange(volatile T *a, T v, int mo)                                  \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_exchange_n(a, v, SC);                                              \
	}                                                                                          \
	T __tsan_atomic##N##_fetch_add(volatile T *a, T v, int mo);                                \
	T __tsan_atomic##N##_fetch_add(volatile T *a, T v, int mo)                                 \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_fetch_add(a, v, SC);                                               \
	}                                                                                          \
	T __tsan_atomic##N##_fetch_sub(volatile T *a, T v, int mo);                                \
	T __tsan_atomic##N##_fetch_sub(volatile T *a, T v, int mo)                                 \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_fetch_sub(a, v, SC);                                               \
	}                                                                                          \
	T __tsan_atomic##N##_fetch_and(volatile T *a, T v, int mo);                                \
	T __tsan_atomic##N##_fetch_and(volatile T *a, T v, int mo)                                 \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_fetch_and(a, v, SC);                                               \
	}                                                                                          \
	T __tsan_atomic##N##_fetch_or(volatile T *a, T v, int mo);                                 \
	T __tsan_atomic##N##_fetch_or(volatile T *a, T v, int mo)                                  \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_fetch_or(a, v, SC);                                                \
	}                                                                                          \
	T __tsan_atomic##N##_fetch_xor(volatile T *a, T v, int mo);                                \
	T __tsan_atomic##N##_fetch_xor(volatile T *a, T v, int mo)                                 \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_fetch_xor(a, v, SC);                                               \
	}                                                                                          \
	T __tsan_atomic##N##_fetch_nand(volatile T *a, T v, int mo);                               \
	T __tsan_atomic##N##_fetch_nand(volatile T *a, T v, int mo)                                \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_fetch_nand(a, v, SC);                                              \
	}                                                                                          \
	int __tsan_atomic##N##_compare_exchange_strong(volatile T *a, T *c, T v, int mo, int fmo); \
	int __tsan_atomic##N##_compare_exchange_strong(volatile T *a, T *c, T v, int mo, int fmo)  \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_compare_exchange_n(a, c, v, 0, SC, SC);                            \
	}                                                                                          \
	int __tsan_atomic##N##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo);   \
	int __tsan_atomic##N##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo)    \
	{                                                                                          \
		AT(a);                                                                             \
		return __atomic_compare_exchange_n(a, c, v, 0, SC, SC);                            \
	}                                                                                          \
	T __tsan_atomic##N##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo);       \
	T __tsan_atomic##N##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo)        \
	{                                                                                          \
		AT(a);                                                                             \
		__atomic_compare_exchange_n(a, &c, v, 0, SC, SC);                                  \
		return c;                                                                          \
	}
ATOMIC_HOOKS(8, uint8_t)
ATOMIC_HOOKS(16, uint16_t)
ATOMIC_HOOKS(32, uint32_t)
ATOMIC_HOOKS(64, uint64_t)

typedef unsigned __int128 u128;

u128 __tsan_atomic128_load(const volatile u128 *a, int mo);
u128 __tsan_atomic128_load(const volatile u128 *a, int mo)
{
	AT(a);
	return __sync_val_compare_and_swap((volatile u128 *)a, (u128)0, (u128)0);
}

void __tsan_atomic128_store(volatile u128 *a, u128 v, int mo);
void __tsan_atomic128_store(volatile u128 *a, u128 v, int mo)
{
	u128 old = *a;

	AT(a);
	for (;;) {
		u128 seen = __sync_val_compare_and_swap(a, old, v);

		if (seen == old)
			return;
		old = seen;
	}
}

int __tsan_atomic128_compare_exchange_strong(volatile u128 *a, u128 *c, u128 v, int mo, int fmo);
int __tsan_atomic128_compare_exchange_strong(volatile u128 *a, u128 *c, u128 v, int mo, int fmo)
{
	u128 seen;

	AT(a);
	seen = __sync_val_compare_and_swap(a, *c, v);
	if (seen == *c)
		return 1;
	*c = seen;
	return 0;
}

int __tsan_atomic128_compare_exchange_weak(volatile u128 *a, u128 *c, u128 v, int mo, int fmo);
int __tsan_atomic128_compare_exchange_weak(volatile u128 *a, u128 *c, u128 v, int mo, int fmo)
{
	return __tsan_atomic128_compare_exchange_strong(a, c, v, mo, fmo);
}

u128 __tsan_atomic128_compare_exchange_val(volatile u128 *a, u128 c, u128 v, int mo, int fmo);
u128 __tsan_atomic128_compare_exchange_val(volatile u128 *a, u128 c, u128 v, int mo, int fmo)
{
	AT(a);
	return __sync_val_compare_and_swap(a, c, v);
}

void __tsan_atomic_thread_fence(int mo);
void __tsan_atomic_thread_fence(int mo)
{
	__atomic_thread_fence(SC);
}

void __tsan_atomic_signal_fence(int mo);
void __tsan_atomic_signal_fence(int mo)
{
	__atomic_signal_fence(SC);
}
