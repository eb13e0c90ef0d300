/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * coro.c - coroutines for the simulator's tasks: mmap'd stacks with a guard
 * page, and a context switch written in a few lines of x86-64 assembly.
 *
 * Why assembly and not swapcontext(): glibc's swapcontext() saves and
 * restores the signal mask, one rt_sigprocmask system call per switch, and
 * the simulator switches at every injection point.  Our tasks never change
 * their signal mask, so the switch needs only what the System V ABI says a
 * called function must preserve: rsp, rbx, rbp, r12-r15, and the control
 * bits of MXCSR and the x87 control word.  Everything else is caller-saved,
 * and the compiler already assumes sim_coro_swap() (an ordinary call) has
 * clobbered it.  The switch is thus a plain function: push six registers and
 * the two control words, store rsp, load the other rsp, pop, ret.  The
 * control words keep a task that changes the rounding mode from leaking it
 * into the others, as the ABI promises; loading them (ldmxcsr, fldcw) costs
 * about a third of a switch, so they are loaded only when they differ from
 * the ones in force, which in practice is never.
 *
 * A new coroutine's stack is prepared to look as if it had switched away
 * just before its first instruction: sim_coro_swap()'s pops load r12 = the
 * coroutine and r13 = coro_main, and its ret lands on sim_coro_boot, which
 * calls coro_main(co) with the ABI's stack alignment.  rbp starts at 0 so
 * that frame-pointer unwinders (gdb, ASan's fast unwinder) stop there.
 *
 * AddressSanitizer keeps per-thread stack bounds and, with
 * detect_stack_use_after_return, a "fake stack" per stack.  Around every
 * switch it must be told: __sanitizer_start_switch_fiber() before (where the
 * new stack is; where to keep the old fake stack, or NULL when the old
 * coroutine is finishing so its fake stack is freed) and
 * __sanitizer_finish_switch_fiber() first thing after (the saved fake stack
 * of the resumed coroutine, NULL on first entry).  The thread coro's stack
 * bounds are not known up front: the first finish after leaving it returns
 * them, and they are recorded then, before anything can switch back to it.
 * These calls are real functions only in ASan builds and empty inline stubs
 * otherwise, so the switch path carries no #ifdef and no cost.
 */
#include "coro.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if !defined(__x86_64__) || !defined(__linux__)
#error "sim/engine/coro.c: only x86-64 Linux (System V ABI) is supported"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif
#ifndef CORO_ASAN
#define CORO_ASAN 0
#endif

#if CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

struct sim_coro {
	void *sp;		  /* saved stack pointer while not running */
	struct sim_coro *resumer; /* who last sim_coro_switch()ed into us */
	struct sim_coro *return_to;
	sim_coro_fn fn;
	void *arg;
	void *map; /* mmap base: guard page, then the stack */
	size_t map_size;
	size_t stack_size; /* usable bytes above the guard page */
	bool finished;
	bool is_thread;
	/* ASan's view of this stack; for a thread coro, learnt on first leave. */
	const void *asan_bottom;
	size_t asan_size;
	void *asan_fake_stack;
};

/*
 * Save callee-saved state on the current stack, store rsp to *save_sp,
 * switch to load_sp and restore what was saved there.  Frame layout, from
 * the saved rsp upwards: mxcsr (4 bytes), x87 cw (2), pad (2), r15, r14,
 * r13, r12, rbx, rbp, return address.  coro_stack_init() builds the same.
 * eax/ecx are free (caller-saved) to compare the control words.
 */
void sim_coro_swap(void **save_sp, void *load_sp) __attribute__((visibility("hidden")));
void sim_coro_boot(void) __attribute__((visibility("hidden")));

__asm__(".text\n"
	".p2align 4\n"
	".globl sim_coro_swap\n"
	".hidden sim_coro_swap\n"
	".type sim_coro_swap, @function\n"
	"sim_coro_swap:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	subq $8, %rsp\n"
	"	stmxcsr (%rsp)\n"
	"	fnstcw 4(%rsp)\n"
	"	movq %rsp, (%rdi)\n"
	"	movl (%rsp), %eax\n"
	"	movzwl 4(%rsp), %ecx\n"
	"	movq %rsi, %rsp\n"
	"	cmpl (%rsp), %eax\n"
	"	jne 2f\n"
	"	cmpw 4(%rsp), %cx\n"
	"	jne 2f\n"
	"1:	addq $8, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	"2:	ldmxcsr (%rsp)\n"
	"	fldcw 4(%rsp)\n"
	"	jmp 1b\n"
	".size sim_coro_swap, .-sim_coro_swap\n"
	/*
	 * Reached by sim_coro_swap()'s ret with rsp 16-byte aligned, so the
	 * call below enters coro_main() with rsp = 8 mod 16 as the ABI wants.
	 * coro_main() never returns; ud2 traps if it ever did.  The CFI marks
	 * this as the outermost frame for debuggers.
	 */
	".p2align 4\n"
	".globl sim_coro_boot\n"
	".hidden sim_coro_boot\n"
	".type sim_coro_boot, @function\n"
	"sim_coro_boot:\n"
	"	.cfi_startproc\n"
	"	.cfi_undefined rip\n"
	"	movq %r12, %rdi\n"
	"	callq *%r13\n"
	"	ud2\n"
	"	.cfi_endproc\n"
	".size sim_coro_boot, .-sim_coro_boot\n");

static __thread struct sim_coro *coro_running;

#if CORO_ASAN
/* The coroutine being left, for the arriving side to record its bounds. */
static __thread struct sim_coro *asan_prev;

static inline void asan_leave(struct sim_coro *from, const struct sim_coro *to)
{
	asan_prev = from;
	__sanitizer_start_switch_fiber(from->finished ? NULL : &from->asan_fake_stack,
				       to->asan_bottom, to->asan_size);
}

/* First thing on the resumed stack; 'self' is now running. */
static inline void asan_arrive(struct sim_coro *self, void *fake_stack)
{
	const void *bottom;
	size_t size;
	struct sim_coro *prev = asan_prev;

	(void)self;
	__sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
	if (prev && prev->is_thread) {
		prev->asan_bottom = bottom;
		prev->asan_size = size;
	}
}

/* Stale shadow of an old mapping at the same address must not leak in. */
static inline void asan_unpoison(void *addr, size_t size)
{
	ASAN_UNPOISON_MEMORY_REGION(addr, size);
}
#else
static inline void asan_leave(struct sim_coro *from, const struct sim_coro *to)
{
	(void)from;
	(void)to;
}

static inline void asan_arrive(struct sim_coro *self, void *fake_stack)
{
	(void)self;
	(void)fake_stack;
}

static inline void asan_unpoison(void *addr, size_t size)
{
	(void)addr;
	(void)size;
}
#endif

static void coro_main(struct sim_coro *co) __attribute__((noreturn, used));

/* The bottom of every coroutine's stack: run fn, then leave for good. */
static void coro_main(struct sim_coro *co)
{
	struct sim_coro *to;

	asan_arrive(co, NULL);
	co->fn(co->arg);

	co->finished = true;
	to = co->return_to ? co->return_to : co->resumer;
	if (!to || to->finished || to == co) {
		fprintf(stderr, "sim_coro: finished coroutine has nowhere to return\n");
		abort();
	}
	/*
	 * to->resumer is left alone: returning is not resuming, so a chain
	 * of coroutines that switched into each other unwinds like calls.
	 */
	coro_running = to;
	asan_leave(co, to);
	sim_coro_swap(&co->sp, to->sp);
	__builtin_unreachable();
}

static void coro_stack_init(struct sim_coro *co)
{
	uint64_t *top = (uint64_t *)((char *)co->map + co->map_size);
	uint64_t *sp = top - 8;
	uint32_t mxcsr;
	uint16_t fpucw;

	/* Start with the creator's floating-point control state. */
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(fpucw));

	sp[0] = (uint64_t)mxcsr | (uint64_t)fpucw << 32;
	sp[1] = 0;				    /* r15 */
	sp[2] = 0;				    /* r14 */
	sp[3] = (uint64_t)(uintptr_t)coro_main;	    /* r13 */
	sp[4] = (uint64_t)(uintptr_t)co;	    /* r12 */
	sp[5] = 0;				    /* rbx */
	sp[6] = 0;				    /* rbp: end of frame chain */
	sp[7] = (uint64_t)(uintptr_t)sim_coro_boot; /* ret target */
	co->sp = sp;
}

struct sim_coro *sim_coro_thread_create(void)
{
	struct sim_coro *co = calloc(1, sizeof(*co));

	if (!co)
		return NULL;
	co->is_thread = true;
	if (!coro_running)
		coro_running = co;
	return co;
}

/*
 * Stacks of destroyed coroutines, kept for the next ones: exploration
 * creates and destroys a few coroutines per run, thousands of runs a
 * second, and mmap + munmap + the first faults would dominate it.
 */
#define STACK_CACHE 64
static __thread struct {
	void *map;
	size_t map_size;
} stack_cache[STACK_CACHE];
static __thread unsigned stack_cached;

static void *stack_get(size_t map_size)
{
	for (unsigned i = stack_cached; i > 0; i--)
		if (stack_cache[i - 1].map_size == map_size) {
			void *map = stack_cache[i - 1].map;
			stack_cache[i - 1] = stack_cache[--stack_cached];
			return map;
		}
	return NULL;
}

static bool stack_put(void *map, size_t map_size)
{
	if (stack_cached == STACK_CACHE)
		return false;
	stack_cache[stack_cached].map = map;
	stack_cache[stack_cached].map_size = map_size;
	stack_cached++;
	return true;
}

struct sim_coro *sim_coro_create(size_t stack_size, sim_coro_fn fn, void *arg,
				 struct sim_coro *return_to)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct sim_coro *co;

	if (!fn) {
		errno = EINVAL;
		return NULL;
	}
	if (!stack_size)
		stack_size = SIM_CORO_STACK_DEFAULT;
	if (stack_size < SIM_CORO_STACK_MIN)
		stack_size = SIM_CORO_STACK_MIN;
	if (stack_size > SIZE_MAX / 2) {
		errno = EINVAL;
		return NULL;
	}
	stack_size = (stack_size + page - 1) & ~(page - 1);

	co = calloc(1, sizeof(*co));
	if (!co)
		return NULL;
	co->map_size = stack_size + page;
	co->map = stack_get(co->map_size);
	if (!co->map) {
		co->map = mmap(NULL, co->map_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
		if (co->map == MAP_FAILED)
			goto fail_free;
		if (mprotect(co->map, page, PROT_NONE))
			goto fail_unmap;
	}
	asan_unpoison((char *)co->map + page, stack_size);

	co->stack_size = stack_size;
	co->fn = fn;
	co->arg = arg;
	co->return_to = return_to;
	co->asan_bottom = (char *)co->map + page;
	co->asan_size = stack_size;
	coro_stack_init(co);
	return co;

fail_unmap:
	munmap(co->map, co->map_size);
fail_free:
	free(co);
	return NULL;
}

void sim_coro_switch(struct sim_coro *from, struct sim_coro *to)
{
	assert(from == coro_running);
	assert(from != to);
	if (to->finished) {
		fprintf(stderr, "sim_coro: switch to a finished coroutine\n");
		abort();
	}
	to->resumer = from;
	coro_running = to;
	asan_leave(from, to);
	sim_coro_swap(&from->sp, to->sp);
	/* Back in 'from', resumed by from->resumer. */
	asan_arrive(from, from->asan_fake_stack);
}

struct sim_coro *sim_coro_current(void)
{
	return coro_running;
}

bool sim_coro_finished(const struct sim_coro *co)
{
	return co->finished;
}

size_t sim_coro_stack_size(const struct sim_coro *co)
{
	return co->stack_size;
}

bool sim_coro_stack_bounds(const struct sim_coro *co, uintptr_t *lo, uintptr_t *hi)
{
	if (co->is_thread)
		return false;
	*hi = (uintptr_t)co->map + co->map_size;
	*lo = *hi - co->stack_size;
	return true;
}

void sim_coro_destroy(struct sim_coro *co)
{
	if (!co)
		return;
	assert(co != coro_running || co->is_thread);
	if (co->map) {
		/*
		 * A suspended coroutine's frames may leave redzones poisoned;
		 * clear them so a later mapping at this address starts clean.
		 */
		asan_unpoison((char *)co->map + (co->map_size - co->stack_size), co->stack_size);
		if (!stack_put(co->map, co->map_size))
			munmap(co->map, co->map_size);
	}
	if (co == coro_running)
		coro_running = NULL;
	free(co);
}
