/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kc_compiler.h - compiler and atomics: attributes and annotations the
 * kernel files use, READ_ONCE/WRITE_ONCE (volatile, so GCC's tsan pass
 * with tsan-distinguish-volatile=1 reports them as __tsan_volatile_*),
 * barriers, cmpxchg / try_cmpxchg (single word: __atomic builtins, which
 * the tsan pass turns into __tsan_atomic* calls that slabsim performs),
 * the double-word cmpxchg of struct slab and try_cmpxchg128 (out-of-line
 * primitives in the runtime), BUG/WARN and static_assert.
 */
#ifndef KC_COMPILER_H
#define KC_COMPILER_H

/* Attributes. */
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define __noinline noinline
#define __cold __attribute__((__cold__))
#define __weak __attribute__((__weak__))
#define __used __attribute__((__used__))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __packed __attribute__((__packed__))
#define __section(s) __attribute__((__section__(s)))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __scanf(a, b)
#define __malloc __attribute__((__malloc__))
#define __alloc_size(...)
#define __realloc_size(...)
#define __must_check __attribute__((__warn_unused_result__))
#define __pure __attribute__((__pure__))
#define __noreturn __attribute__((__noreturn__))
#define __visible
#define __init
#define __initdata
#define __initconst
#define __exit
#define __meminit
#define __ref
#define __refdata
#define __read_mostly
#define __ro_after_init
#define __latent_entropy
#define __randomize_layout
#define __no_randomize_layout
#define __counted_by(m)
#define __nocfi
#define notrace
#define __no_kmsan_checks
#define __no_sanitize_address
#define __no_sanitize_or_inline __always_inline
#define __no_kcsan
#define __assume_aligned(...)
#define fallthrough __attribute__((__fallthrough__))
#define __percpu
#define __rcu
#define __user
#define __iomem
#define __force
#define __bitwise
#define __kernel
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __cond_acquires(x)
#define __acquire(x) ((void)0)
#define __release(x) ((void)0)
#define __cacheline_aligned __aligned(64)
#define ____cacheline_aligned __aligned(64)
#define ____cacheline_aligned_in_smp __aligned(64)
#define __cacheline_aligned_in_smp __aligned(64)
#define L1_CACHE_BYTES 64
#define L1_CACHE_SHIFT 6
#define SMP_CACHE_BYTES 64
#define cache_line_size() 64
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_NS_GPL(s, ns)
#define EXPORT_TRACEPOINT_SYMBOL(s)
#define MODULE_LICENSE(s)
#define core_initcall(f)
#define postcore_initcall(f)
#define arch_initcall(f)
#define subsys_initcall(f)
#define fs_initcall(f)
#define device_initcall(f)
#define late_initcall(f)
#define module_init(f)
#define __setup(s, f)
#define __setup_param(a, b, c, d)
#define early_param(s, f)
#define ALLOW_ERROR_INJECTION(f, t)
#define KSTK_ESP(t) 0

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define __must_be_array(a) 0
#define __is_constexpr(x) __builtin_constant_p(x)
#define unreachable() __builtin_unreachable()
#define barrier() __asm__ __volatile__("" ::: "memory")
#define barrier_data(p) __asm__ __volatile__("" :: "r"(p) : "memory")
#define OPTIMIZER_HIDE_VAR(v) __asm__("" : "=r"(v) : "0"(v))
#define RELOC_HIDE(p, off) ((__typeof__(p))((unsigned long)(p) + (off)))
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define __PASTE(a, b) a##b
#define __UNIQUE_ID(p) __PASTE(__PASTE(kc_uniq_, p), __COUNTER__)
#define static_assert(expr, ...) _Static_assert(expr, "" __VA_ARGS__)
/* Usable as statements and expressions; a non-constant condition is not checked. */
#define BUILD_BUG_ON(c) ((void)sizeof(char[1 - 2 * !!(c)]))
#define BUILD_BUG_ON_MSG(c, m) ((void)0)
#define BUILD_BUG() ((void)0)
#define BUILD_BUG_ON_ZERO(e) 0

/* Marked accesses: volatile, reported by the tsan pass as volatile. */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) do { *(volatile __typeof__(x) *)&(x) = (v); } while (0)
#define data_race(expr) ({ __typeof__(({ expr; })) kc_v = ({ expr; }); kc_v; })
#define ASSERT_EXCLUSIVE_WRITER(v) do { } while (0)
#define ASSERT_EXCLUSIVE_ACCESS(v) do { } while (0)

/* Barriers: x86-64 TSO; a full barrier is a seq_cst fence (a hook). */
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() barrier()
#define wmb() barrier()
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define smp_mb__before_atomic() barrier()
#define smp_mb__after_atomic() barrier()
#define smp_store_release(p, v) do { barrier(); WRITE_ONCE(*(p), (v)); } while (0)
#define smp_load_acquire(p) ({ __typeof__(*(p)) kc_v = READ_ONCE(*(p)); barrier(); kc_v; })
#define prefetch(x) __builtin_prefetch(x)
#define prefetchw(x) __builtin_prefetch(x, 1)

/* Single-word compare-and-exchange: __atomic builtins (tsan hooks do them). */
#define cmpxchg(p, o, n) ({ __typeof__(*(p)) kc_o = (o); \
	__atomic_compare_exchange_n((p), &kc_o, (n), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); kc_o; })
#define try_cmpxchg(p, po, n) \
	__atomic_compare_exchange_n((p), (po), (n), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define xchg(p, v) __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

/*
 * Double-word compare-and-exchange (LOCK CMPXCHG16B), out of line: the
 * runtime performs it atomically and counts it (a primitive, a point in
 * stage 2).  p1 and p2 are adjacent words, p1 16-byte aligned.
 */
bool kslab_p_cmpxchg_double(void *p1, unsigned long o1, unsigned long o2,
			    unsigned long n1, unsigned long n2);
bool kslab_p_try_cmpxchg128(u128 *p, u128 *old, u128 new_val);
#define system_has_cmpxchg_double() 1
#define system_has_cmpxchg128() 1
#define cmpxchg_double(p1, p2, o1, o2, n1, n2) \
	kslab_p_cmpxchg_double((void *)(p1), (unsigned long)(o1), (unsigned long)(o2), \
			       (unsigned long)(n1), (unsigned long)(n2))
#define try_cmpxchg128(p, po, n) kslab_p_try_cmpxchg128((u128 *)(p), (u128 *)(po), (n))
#define try_cmpxchg64(p, po, n) try_cmpxchg(p, po, n)

/* Errors and warnings: BUG aborts, WARN prints once or always. */
void kslab_bug(const char *file, int line) __noreturn;
int kslab_warn(const char *file, int line, const char *what);
#define BUG() kslab_bug(__FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)
#define WARN_ON(c) ({ int kc_c = !!(c); if (unlikely(kc_c)) kslab_warn(__FILE__, __LINE__, #c); unlikely(kc_c); })
#define WARN_ON_ONCE(c) WARN_ON(c)
#define WARN(c, ...) WARN_ON(c)
#define WARN_ONCE(c, ...) WARN_ON(c)
#define VM_BUG_ON(c) BUG_ON(c)
#define VM_BUG_ON_PAGE(c, p) BUG_ON(c)
#define VM_BUG_ON_FOLIO(c, f) BUG_ON(c)
#define VM_WARN_ON(c) ((void)WARN_ON(c))
#define VM_WARN_ON_ONCE(c) WARN_ON(c)
#define VM_WARN_ON_ONCE_PAGE(c, p) WARN_ON(c)
#define VM_WARN_ON_FOLIO(c, f) ((void)WARN_ON(c))
#define dump_stack() do { } while (0)
#define panic(...) kslab_bug(__FILE__, __LINE__)

/* Overflow-checked arithmetic. */
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#define size_mul(a, b) ({ size_t kc_r; __builtin_mul_overflow((size_t)(a), (size_t)(b), &kc_r) ? SIZE_MAX : kc_r; })
#define size_add(a, b) ({ size_t kc_r; __builtin_add_overflow((size_t)(a), (size_t)(b), &kc_r) ? SIZE_MAX : kc_r; })
#define array_size(a, b) size_mul(a, b)
#define struct_size(p, member, n) size_add(sizeof(*(p)), size_mul(sizeof(*(p)->member), n))

#endif /* KC_COMPILER_H */
