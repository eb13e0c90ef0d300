/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kc_stubs.h - strings, printk, and what is configured out.
 *
 * Strings and printk go to the runtime (libc underneath).  Tracing,
 * KASAN, KFENCE, KMSAN, kmemleak, memcg accounting, sysfs/debugfs,
 * fault injection, cpusets and mempolicies are configured out: their
 * hooks are empty inline functions or constants, as the kernel's own
 * !CONFIG_* stubs are, so the kernel files' call sites stay as they are.
 */
#ifndef KC_STUBS_H
#define KC_STUBS_H

/* Strings (libc's, declared here so no libc header enters a kernel TU). */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
/*
 * GCC's -fsanitize=thread does not instrument memset, memcpy and memmove:
 * in the instrumented files (slub.c, slab_common.c) they go through the
 * hooks (kslab_tsan.c), which report each call as one range access.
 */
#ifdef __SANITIZE_THREAD__
void *kslab_memset(void *d, int c, size_t n);
void *kslab_memcpy(void *d, const void *s, size_t n);
void *kslab_memmove(void *d, const void *s, size_t n);
#define memset(d, c, n) kslab_memset((d), (c), (n))
#define memcpy(d, s, n) kslab_memcpy((d), (s), (n))
#define memmove(d, s, n) kslab_memmove((d), (s), (n))
#endif
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strcpy(char *d, const char *s);
int snprintf(char *buf, size_t n, const char *fmt, ...) __printf(3, 4);
int sprintf(char *buf, const char *fmt, ...) __printf(2, 3);
ssize_t kslab_strscpy(char *d, const char *s, size_t n);
#define strscpy(d, s, ...) kslab_strscpy((d), (s), sizeof(d))
#define memzero_explicit(p, n) do { memset((p), 0, (n)); barrier(); } while (0)
#define memset64(p, v, n) do { for (size_t kc_i = 0; kc_i < (n); kc_i++) (p)[kc_i] = (v); } while (0)
#define isspace(c) ((c) == ' ' || ((c) >= '\t' && (c) <= '\r'))
#define isdigit(c) ((c) >= '0' && (c) <= '9')
#define tolower(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtobool(const char *s, bool *res);
unsigned long simple_strtoul(const char *s, char **end, unsigned int base);
long simple_strtol(const char *s, char **end, unsigned int base);
int get_option(char **str, int *pint);
char *skip_spaces(const char *s);
char *next_arg(char *args, char **param, char **val);
void sort(void *base, size_t num, size_t size, int (*cmp)(const void *, const void *),
	  void (*swp)(void *, void *, int));

/* printk: the runtime prints when kslab's verbosity allows. */
int printk(const char *fmt, ...) __printf(1, 2);
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) do { } while (0)
#define pr_err_once pr_err
#define pr_warn_once pr_warn
#define pr_warn_ratelimited pr_warn
#define pr_info_once pr_info
#define printk_ratelimit() 0
#define no_printk(...) 0
#define print_hex_dump(...) do { } while (0)

/* Tracing: configured out. */
#define trace_kmalloc(...) do { } while (0)
#define trace_kmalloc_node(...) do { } while (0)
#define trace_kmem_cache_alloc(...) do { } while (0)
#define trace_kmem_cache_alloc_node(...) do { } while (0)
#define trace_kmem_cache_free(...) do { } while (0)
#define trace_kfree(...) do { } while (0)
#define trace_mm_page_alloc(...) do { } while (0)
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#define _THIS_IP_ ({ __label__ kc_l; kc_l: (unsigned long)&&kc_l; })

/* KASAN, KFENCE, KMSAN, kmemleak: configured out. */
#define kasan_cache_create(...) do { } while (0)
#define kasan_cache_create_kmalloc(c) do { } while (0)
#define kasan_never_merge() 0
#define kasan_metadata_size(...) 0
#define kasan_poison_slab(s) do { } while (0)
#define kasan_unpoison_object_data(c, o) do { } while (0)
#define kasan_poison_object_data(c, o) do { } while (0)
#define kasan_init_slab_obj(c, o) ((void *)(o))
#define kasan_slab_alloc(s, o, f, init) ((void *)(o))
#define kasan_slab_free(...) false
#define kasan_kmalloc(s, o, size, f) ((void *)(o))
#define kasan_kmalloc_large(p, size, f) ((void *)(p))
#define kasan_krealloc(o, size, f) ((void *)(o))
#define kasan_kfree_large(p) do { } while (0)
#define kasan_slab_free_mempool(p) do { } while (0)
#define kasan_record_aux_stack_noalloc(p) do { } while (0)
#define kasan_unpoison_range(p, s) do { } while (0)
#define kasan_has_integrated_init() false
#define kasan_reset_tag(p) ((void *)(p))
#define kasan_check_byte(p) true
#define kasan_enabled() false
#define kasan_populate_early_vm_area_shadow(...) do { } while (0)
#define kasan_mempool_unpoison_object(...) do { } while (0)
#define kasan_mempool_poison_object(...) true
#define kasan_mempool_poison_pages(...) true
#define kasan_unpoison_new_object(...) do { } while (0)
#define kasan_poison_new_object(...) do { } while (0)
#define kasan_unpoison_element(...) do { } while (0)
#define kasan_disable_current() do { } while (0)
#define kasan_enable_current() do { } while (0)
#define kasan_unpoison_object(...) do { } while (0)
#define kasan_poison_pages(...) do { } while (0)
#define kasan_slab_pre_free(...) false
#define kasan_init_slab_obj(c, o) ((void *)(o))
#define is_kfence_address(p) false
#define kfence_alloc(s, size, f) ((void *)0)
#define kfence_ksize(p) ((size_t)0)
#define __kfence_free(p) do { } while (0)
#define kfence_free(p) false
#define kfence_shutdown_cache(s) do { } while (0)
#define kfence_object_start(p) ((void *)0)
#define kmsan_slab_alloc(...) do { } while (0)
#define kmsan_slab_free(...) do { } while (0)
#define kmsan_kmalloc_large(...) do { } while (0)
#define kmsan_kfree_large(...) do { } while (0)
#define kmsan_poison_memory(...) do { } while (0)
#define kmsan_unpoison_memory(...) do { } while (0)
#define kmemleak_alloc(...) do { } while (0)
#define kmemleak_alloc_recursive(...) do { } while (0)
#define kmemleak_free(...) do { } while (0)
#define kmemleak_free_recursive(...) do { } while (0)
#define kmemleak_not_leak(...) do { } while (0)
#define kmemleak_ignore(...) do { } while (0)
#define kmemleak_erase(p) do { } while (0)
#define kmemleak_update_trace(p) do { } while (0)
#define __kcsan_check_access(p, size, type) do { } while (0)
#define kcsan_check_access(p, size, type) do { } while (0)
#define KCSAN_ACCESS_WRITE 1
#define KCSAN_ACCESS_ASSERT 8
#define debug_check_no_locks_freed(p, size) do { } while (0)
#define debug_check_no_obj_freed(p, size) do { } while (0)
#define kunit_get_current_test() ((void *)0)
int should_failslab(struct kmem_cache *s, gfp_t gfp);
#define __should_failslab(s, f) false
#define should_fail_ex(...) false
#define DECLARE_FAULT_ATTR(n) int n
#define in_softirq() 0
#define kallsyms_lookup(...) ((const char *)0)
#define stack_trace_save(...) 0
#define stack_depot_save(...) 0
#define stack_depot_fetch(...) 0
#define stack_depot_print(h) do { } while (0)

/* memcg, cpusets, mempolicy: configured out. */
struct mem_cgroup;
struct obj_cgroup;
struct kobject {
	const char *name;
};
struct kset;
struct seq_file;
struct file;
struct inode;
struct dentry;
struct proc_ops;
struct kmem_cache;
#define get_mem_cgroup_from_objcg(o) ((struct mem_cgroup *)0)
#define mem_cgroup_from_obj(p) ((struct mem_cgroup *)0)
#define memcg_kmem_online() false
#define memcg_kmem_enabled() false
#define cpuset_do_slab_mem_spread() 0
#define cpuset_mem_spread_node() 0
#define cpuset_current_mems_allowed ((nodemask_t){ { 0 } })
#define read_mems_allowed_begin() 0U
#define read_mems_allowed_retry(c) false
#define cpuset_zone_allowed(z, f) true
/* No task has a memory policy: the local node, as mempolicy_slab_node() gives then. */
#define mempolicy_slab_node() numa_mem_id()
#define node_distance(a, b) ((a) == (b) ? 10 : 20)
#define __node_distance(a, b) node_distance((a), (b))

/* Random numbers: none needed without FREELIST_RANDOM; a fixed stream. */
#define get_random_int() 4U
#define get_random_u32() 4U
#define get_random_long() 4UL
#define get_random_u32_below(n) 0U
#define prandom_u32_state(s) 4U
struct rnd_state {
	u32 s1, s2, s3, s4;
};
#define prandom_seed_state(s, seed) do { } while (0)

/* Cycle counter: the runtime's clock (the simulator's, in stage 2). */
cycles_t kslab_p_get_cycles(void);
#define get_cycles() kslab_p_get_cycles()

/* Reciprocal divide: plain division (same quotient). */
struct reciprocal_value {
	u32 m;
	u8 sh1, sh2;
};
static inline struct reciprocal_value reciprocal_value(u32 d)
{
	struct reciprocal_value r = { d, 0, 0 };

	return r;
}
static inline u32 reciprocal_divide(u32 a, struct reciprocal_value r)
{
	return a / r.m;
}

/* Static keys: plain booleans. */
struct static_key_true {
	bool enabled;
};
struct static_key_false {
	bool enabled;
};
#define DEFINE_STATIC_KEY_TRUE(n) struct static_key_true n = { true }
#define DEFINE_STATIC_KEY_FALSE(n) struct static_key_false n = { false }
#define DECLARE_STATIC_KEY_TRUE(n) extern struct static_key_true n
#define DECLARE_STATIC_KEY_FALSE(n) extern struct static_key_false n
#define static_branch_likely(k) ((k)->enabled)
#define static_branch_unlikely(k) ((k)->enabled)
#define static_branch_enable(k) ((k)->enabled = true)
#define static_branch_disable(k) ((k)->enabled = false)
#define static_key_enabled(k) ((k)->enabled)

/* Poison values (any distinct, non-canonical values do). */
#define POISON_INUSE 0x5a
#define POISON_FREE 0x6b
#define POISON_END 0xa5
#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
#define SZ_1K 0x400
#define SZ_4K 0x1000
#define SZ_8K 0x2000
#define SZ_16K 0x4000
#define SZ_32K 0x8000
#define SZ_64K 0x10000
#define SZ_128K 0x20000
#define SZ_256K 0x40000
#define SZ_512K 0x80000
#define SZ_1M 0x100000
#define SZ_2M 0x200000
#define SZ_4M 0x400000

/* Errors. */
#define ENOMEM 12
#define EINVAL 22
#define EEXIST 17
#define EBUSY 16
#define ENOSYS 38
#define E2BIG 7
#define ERANGE 34
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
#define IS_ERR(p) IS_ERR_VALUE((unsigned long)(p))
#define ERR_PTR(e) ((void *)(long)(e))
#define PTR_ERR(p) ((long)(p))
#define IS_ERR_OR_NULL(p) (unlikely(!(p)) || IS_ERR(p))

/* Static keys the kernel defines elsewhere: the runtime defines these. */
DECLARE_STATIC_KEY_FALSE(init_on_alloc);
DECLARE_STATIC_KEY_FALSE(init_on_free);

/* Scope-based cleanup (linux/cleanup.h): our own, on GCC's cleanup attribute. */
#define DEFINE_FREE(name, type, free_expr) \
	static inline void kc_free_##name(void *p) { type _T = *(type *)p; free_expr; }
#define __free(name) __attribute__((__cleanup__(kc_free_##name)))
#define no_free_ptr(p) ({ __typeof__(p) kc_p = (p); (p) = NULL; kc_p; })
#define return_ptr(p) return no_free_ptr(p)
#define DEFINE_GUARD(...)
#define DEFINE_LOCK_GUARD_0(...)
#define DEFINE_LOCK_GUARD_1(...)

#define static_branch_maybe(cfg, k) ((k)->enabled)
#define no_hash_pointers_enable(s) 0
#define kasan_cache_shutdown(s) do { } while (0)
#define kasan_cache_shrink(s) do { } while (0)
#define mem_cgroup_kmem_disabled() true
const char *kstrdup_const(const char *s, gfp_t gfp);
void kfree_const(const void *p);
char *kstrdup(const char *s, gfp_t gfp);

/* Allocation profiling (6.10 and later): configured out; wrappers are the call. */
#define alloc_hooks(expr) (expr)
#define mem_alloc_profiling_enabled() false
#define mem_alloc_profiling_permanently_disabled() true

/* 6.12's slab_common.c. */
char *kasprintf(gfp_t gfp, const char *fmt, ...) __printf(2, 3);
#define __is_defined(x) kc_is_defined(x)
#define kvfree_rcu_barrier() do { } while (0)
#define dma_get_cache_alignment() 1
#define is_swiotlb_allocated() false

#endif /* KC_STUBS_H */
