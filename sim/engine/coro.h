/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * coro.h - coroutines: the simulator's tasks run workload code, which calls
 * the allocator, each on a stack of its own, and leave that stack only where
 * they choose to, by an explicit sim_coro_switch().  There is no scheduler
 * here: deciding who runs next is the engine's business; this module only
 * makes the switch cheap and correct.
 *
 * Glossary:
 *   coroutine   a saved execution context: a stack and the callee-saved
 *               registers of the point where it last switched away.
 *   thread coro the coroutine that stands for the calling thread's own
 *               stack (sim_coro_thread_create()); it has no entry function
 *               and is never finished.
 *   resumer     the coroutine that most recently sim_coro_switch()ed into a
 *               given one.  A finishing coroutine's return into it does not
 *               change it, so nested switches unwind like calls: if main
 *               switches to A and A to B, B's return lands in A and A's in
 *               main.
 *
 * Contract:
 *   - Coroutines belong to the thread that created its thread coro; never
 *     switch to a coroutine from another thread.
 *   - sim_coro_switch(from, to): 'from' must be the running coroutine, 'to'
 *     must not be finished.  The call returns when some coroutine switches
 *     back into 'from'.
 *   - When an entry function returns, its coroutine is marked finished and
 *     control goes to its 'return_to' coroutine if one was given at creation,
 *     otherwise to its resumer.  In that target, the sim_coro_switch() that
 *     had left it returns normally.  A finished coroutine can only be
 *     destroyed.
 *   - sim_coro_destroy() may be called on a finished or a suspended
 *     coroutine, never on the running one.  A suspended coroutine's frames
 *     are discarded without running any cleanup.
 *   - Stacks are mmap'd, 'stack_size' bytes rounded up to whole pages
 *     (at least SIM_CORO_STACK_MIN), with one PROT_NONE guard page below:
 *     an overflow faults instead of corrupting a neighbour.
 *
 * Under AddressSanitizer every switch is announced to it, so that its
 * stack checks and stack-based leak scanning follow the running stack.
 * LeakSanitizer does not scan suspended coroutine stacks: memory reachable
 * only from a suspended coroutine's locals can be reported as leaked.
 *
 * x86-64 Linux only (System V ABI); other targets fail to compile.
 */
#ifndef SIM_CORO_H
#define SIM_CORO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_CORO_STACK_DEFAULT ((size_t)64 * 1024)
#define SIM_CORO_STACK_MIN ((size_t)16 * 1024)

struct sim_coro;

typedef void (*sim_coro_fn)(void *arg);

/*
 * The coroutine standing for the calling thread, to switch away from and
 * back to.  One per thread; NULL with errno set if out of memory.
 */
struct sim_coro *sim_coro_thread_create(void);

/*
 * A new coroutine that will run fn(arg) on a fresh stack of stack_size
 * bytes (0 = SIM_CORO_STACK_DEFAULT) the first time it is switched to.
 * return_to: where control goes when fn returns; NULL = the resumer.
 * NULL with errno set if the stack cannot be mapped.
 */
struct sim_coro *sim_coro_create(size_t stack_size, sim_coro_fn fn, void *arg,
				 struct sim_coro *return_to);

/* Save the running context into 'from' and resume 'to'. */
void sim_coro_switch(struct sim_coro *from, struct sim_coro *to);

/* The coroutine running on this thread (NULL before any thread coro). */
struct sim_coro *sim_coro_current(void);

/* True once the entry function has returned. */
bool sim_coro_finished(const struct sim_coro *co);

/* Usable stack bytes after rounding (0 for a thread coro). */
size_t sim_coro_stack_size(const struct sim_coro *co);

/* The stack's usable bytes [lo, hi); false for a thread coro. */
bool sim_coro_stack_bounds(const struct sim_coro *co, uintptr_t *lo, uintptr_t *hi);

/* Unmap the stack and free.  NULL is allowed. */
void sim_coro_destroy(struct sim_coro *co);

#endif /* SIM_CORO_H */
