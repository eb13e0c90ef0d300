/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kc_types.h - types: fixed-width integers, bool, limits, list_head and
 * hlist, atomic_t / atomic_long_t, bit and alignment helpers,
 * IS_ENABLED().  slabsim's own definitions for x86-64 (LP64).
 */
#ifndef KC_TYPES_H
#define KC_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef unsigned __int128 u128;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s32 __s32;
typedef s64 __s64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
typedef _Bool bool;
enum { false = 0, true = 1 };
typedef unsigned int gfp_t;
typedef unsigned int slab_flags_t;
typedef unsigned long phys_addr_t;
typedef unsigned long dma_addr_t;
typedef long long loff_t;
typedef unsigned short umode_t;
typedef int pid_t;
typedef u32 depot_stack_handle_t;
typedef unsigned long pgoff_t;
typedef u64 cycles_t;
struct kmem_cache;
struct page;
struct folio;
struct slab;

#define NULL ((void *)0)
#define offsetof(t, m) __builtin_offsetof(t, m)
#define BITS_PER_LONG 64
#define BITS_PER_BYTE 8
#define BITS_PER_TYPE(t) (sizeof(t) * BITS_PER_BYTE)

#define U8_MAX ((u8)~0U)
#define U16_MAX ((u16)~0U)
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define INT_MAX ((int)(~0U >> 1))
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (~0U)
#define LONG_MAX ((long)(~0UL >> 1))
#define ULONG_MAX (~0UL)
#define SIZE_MAX (~(size_t)0)

/* Doubly linked list: our own implementation of the kernel's interface. */
struct list_head {
	struct list_head *next, *prev;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
#define callback_head rcu_head

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}
static inline void kc_list_link(struct list_head *n, struct list_head *prev,
				struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}
static inline void list_add(struct list_head *n, struct list_head *head)
{
	kc_list_link(n, head, head->next);
}
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	kc_list_link(n, head->prev, head);
}
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = (struct list_head *)0x100;	/* poison: use after del faults */
	e->prev = (struct list_head *)0x122;
}
static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	INIT_LIST_HEAD(e);
}
static inline void list_move(struct list_head *e, struct list_head *head)
{
	list_del_init(e);
	list_add(e, head);
}
static inline void list_move_tail(struct list_head *e, struct list_head *head)
{
	list_del_init(e);
	list_add_tail(e, head);
}
static inline int list_empty(const struct list_head *h)
{
	return h->next == h;
}
static inline void list_splice_init(struct list_head *from, struct list_head *to)
{
	if (!list_empty(from)) {
		struct list_head *first = from->next, *last = from->prev;

		first->prev = to;
		last->next = to->next;
		to->next->prev = last;
		to->next = first;
		INIT_LIST_HEAD(from);
	}
}
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_last_entry(h, type, member) list_entry((h)->prev, type, member)
#define list_first_entry_or_null(h, type, member) \
	(list_empty(h) ? NULL : list_first_entry(h, type, member))
#define list_next_entry(p, member) list_entry((p)->member.next, __typeof__(*(p)), member)
#define list_prev_entry(p, member) list_entry((p)->member.prev, __typeof__(*(p)), member)
#define list_for_each(p, h) for (p = (h)->next; p != (h); p = p->next)
#define list_for_each_entry(p, h, member) \
	for (p = list_first_entry(h, __typeof__(*p), member); \
	     &p->member != (h); p = list_next_entry(p, member))
#define list_for_each_entry_reverse(p, h, member) \
	for (p = list_last_entry(h, __typeof__(*p), member); \
	     &p->member != (h); p = list_prev_entry(p, member))
#define list_for_each_entry_safe(p, n, h, member) \
	for (p = list_first_entry(h, __typeof__(*p), member), \
	     n = list_next_entry(p, member); &p->member != (h); \
	     p = n, n = list_next_entry(n, member))

/* Atomics: the operations are __atomic builtins (instrumented: tsan hooks). */
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { long counter; } atomic64_t;
#define ATOMIC_INIT(i) { (i) }
#define atomic_read(v) __atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_set(v, i) __atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_inc(v) ((void)__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_dec(v) ((void)__atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_add(i, v) ((void)__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_sub(i, v) ((void)__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_inc_return(v) __atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_dec_and_test(v) (__atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST) == 0)
#define atomic_long_read atomic_read
#define atomic_long_set atomic_set
#define atomic_long_inc atomic_inc
#define atomic_long_dec atomic_dec
#define atomic_long_add atomic_add
#define atomic_long_sub atomic_sub
#define atomic_long_add_return(i, v) __atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)

/* Bits and alignment. */
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define __ALIGN_KERNEL(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN(x, a) __ALIGN_KERNEL((x), (a))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define PTR_ALIGN(p, a) ((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BITS_TO_LONGS(n) DIV_ROUND_UP(n, BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
#define swap(a, b) do { __typeof__(a) kc_t = (a); (a) = (b); (b) = kc_t; } while (0)
#define min(a, b) ({ __typeof__(a) kc_a = (a); __typeof__(b) kc_b = (b); kc_a < kc_b ? kc_a : kc_b; })
#define max(a, b) ({ __typeof__(a) kc_a = (a); __typeof__(b) kc_b = (b); kc_a > kc_b ? kc_a : kc_b; })
#define min_t(t, a, b) min((t)(a), (t)(b))
#define max_t(t, a, b) max((t)(a), (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}
static inline unsigned long __fls(unsigned long x)
{
	return 63 - __builtin_clzl(x);
}
static inline unsigned long __ffs(unsigned long x)
{
	return __builtin_ctzl(x);
}
static inline int ilog2(unsigned long n)
{
	return n ? 63 - __builtin_clzl(n) : -1;
}
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}
static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}
static inline int get_order(unsigned long size)
{
	return size <= 4096 ? 0 : fls64((size - 1) >> 12);
}
#define order_base_2(n) ((n) > 1 ? ilog2((n) - 1) + 1 : 0)
#define hweight_long(w) __builtin_popcountl(w)
#define set_bit(nr, addr) ((void)__atomic_fetch_or((unsigned long *)(addr) + (nr) / 64, 1UL << ((nr) % 64), __ATOMIC_SEQ_CST))
#define clear_bit(nr, addr) ((void)__atomic_fetch_and((unsigned long *)(addr) + (nr) / 64, ~(1UL << ((nr) % 64)), __ATOMIC_SEQ_CST))
#define __set_bit(nr, addr) ((void)(((unsigned long *)(addr))[(nr) / 64] |= 1UL << ((nr) % 64)))
#define __clear_bit(nr, addr) ((void)(((unsigned long *)(addr))[(nr) / 64] &= ~(1UL << ((nr) % 64))))
#define test_bit(nr, addr) ((int)((((const unsigned long *)(addr))[(nr) / 64] >> ((nr) % 64)) & 1))
#define test_and_set_bit(nr, addr) ((int)((__atomic_fetch_or((unsigned long *)(addr) + (nr) / 64, 1UL << ((nr) % 64), __ATOMIC_SEQ_CST) >> ((nr) % 64)) & 1))
#define bitmap_zero(dst, n) __builtin_memset(dst, 0, BITS_TO_LONGS(n) * sizeof(long))
#define bitmap_empty(src, n) kc_bitmap_empty(src, n)
static inline bool kc_bitmap_empty(const unsigned long *b, unsigned int n)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(n); i++)
		if (b[i])
			return false;
	return true;
}

/* IS_ENABLED(CONFIG_X): 1 when CONFIG_X is defined as 1, else 0. */
#define kc_arg_placeholder_1 0,
#define kc_take_second(ignored, val, ...) val
#define kc_is_defined3(arg1_or_junk) kc_take_second(arg1_or_junk 1, 0, ~)
#define kc_is_defined2(val) kc_is_defined3(kc_arg_placeholder_##val)
#define kc_is_defined(x) kc_is_defined2(x)
#define IS_ENABLED(opt) kc_is_defined(opt)
#define IS_BUILTIN(opt) kc_is_defined(opt)
#define IS_REACHABLE(opt) kc_is_defined(opt)

static inline void list_splice(const struct list_head *from, struct list_head *to)
{
	if (!list_empty(from)) {
		struct list_head *first = from->next, *last = from->prev;

		first->prev = to;
		last->next = to->next;
		to->next->prev = last;
		to->next = first;
	}
}

static inline int ffs(int x)
{
	return __builtin_ffs(x);
}
#define for_each_set_bit(bit, addr, size) \
	for ((bit) = 0; (bit) < (size); (bit)++) if (test_bit((bit), (addr)))

#endif /* KC_TYPES_H */
