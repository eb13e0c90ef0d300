/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kc_debug.h - what CONFIG_SLUB_DEBUG needs beyond the rest of the compat
 * layer: the build choice under which the kernel's own lib/slub_kunit.c
 * runs (alloc/kernel/meson.build, the "debug" object of a kernel).  Object
 * tracking's time is a constant (no jiffies), taints and lockdep are
 * nothing, rate limits never limit, and %pV messages go through printk,
 * which is off unless kslab_set_printk() turns it on.
 */
#ifndef KC_DEBUG_H
#define KC_DEBUG_H

#include <stdarg.h>

#define TAINT_BAD_PAGE 5
#define LOCKDEP_NOW_UNRELIABLE 1
#define add_taint(flag, lockdep) do { } while (0)
#define jiffies 0UL
#define EIO 5

struct va_format {
	const char *fmt;
	va_list *va;
};

/* Out of line in kslab_kunit.c (the debug object only). */
const char *print_tainted(void);
void *memchr_inv(const void *start, int c, size_t bytes);
unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags);
void bitmap_free(const unsigned long *bitmap);
void stack_depot_init(void);
int mutex_trylock(struct mutex *m);

/* What slab_err and the slub_debug= parser call: libc's, and strnchr as the kernel's. */
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
char *strchrnul(const char *s, int c);
static inline char *strnchr(const char *s, size_t count, int c)
{
	for (; count--; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			break;
	}
	return NULL;
}
/* CONFIG_STACKDEPOT is off: its early-init requests do nothing. */
static inline void stack_depot_want_early_init(void)
{
}
static inline void stack_depot_request_early_init(void)
{
}

/* 6.12's debug code: KMSAN is off, so its guards are nothing and its memset is memset. */
#define kmsan_disable_current() do { } while (0)
#define kmsan_enable_current() do { } while (0)
#define memset_no_sanitize_memory(s, c, n) memset((s), (c), (n))
/* x * numer / denom without overflowing the product when x is large. */
#define mult_frac(x, numer, denom) \
	(((x) / (denom)) * (numer) + (((x) % (denom)) * (numer)) / (denom))

/* RCU runs callbacks at once here (kc_locks.h's call_rcu): so does kfree_rcu. */
#ifndef kfree_rcu
#define kfree_rcu(ptr, rhf) kfree(ptr)
#endif

struct ratelimit_state {
	int unused;
};
#define DEFINE_RATELIMIT_STATE(name, interval, burst) struct ratelimit_state name = { 0 }
#define __ratelimit(rs) 1

/*
 * /proc/slabinfo (slab_common.c builds it under SLUB_DEBUG): the seq_file
 * and proc types it fills in; nothing ever reads the file here.
 */
struct file;
struct inode;
struct seq_file {
	void *private;
};
struct seq_operations {
	void *(*start)(struct seq_file *m, loff_t *pos);
	void (*stop)(struct seq_file *m, void *v);
	void *(*next)(struct seq_file *m, void *v, loff_t *pos);
	int (*show)(struct seq_file *m, void *v);
};
struct proc_ops {
	unsigned int proc_flags;
	int (*proc_open)(struct inode *inode, struct file *file);
	ssize_t (*proc_read)(struct file *file, char *buf, size_t n, loff_t *pos);
	ssize_t (*proc_write)(struct file *file, const char *buf, size_t n, loff_t *pos);
	loff_t (*proc_lseek)(struct file *file, loff_t off, int whence);
	int (*proc_release)(struct inode *inode, struct file *file);
};
#define PROC_ENTRY_PERMANENT 1
#define proc_create(name, mode, parent, ops) ((void)(ops), (void *)0)
#define seq_puts(m, s) do { } while (0)
#define seq_putc(m, c) do { } while (0)
#define seq_printf(m, ...) do { } while (0)
#define seq_list_start(head, pos) ((void *)0)
#define seq_list_next(v, head, pos) ((void *)0)
#define seq_open(file, op) ((void)(op), 0)
#define seq_read ((ssize_t(*)(struct file *, char *, size_t, loff_t *))0)
#define seq_lseek ((loff_t(*)(struct file *, loff_t, int))0)
#define seq_release ((int (*)(struct inode *, struct file *))0)

#endif /* KC_DEBUG_H */
