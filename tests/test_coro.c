/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_coro.c - the coroutine switch: values handed back and forth, a fixed
 * round-robin order, many coroutines, where a returning entry function
 * lands, deep recursion on a coroutine stack, and the guard page.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <alloca.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "coro.h"

static struct sim_coro *main_co;

static int setup(void **state)
{
	(void)state;
	main_co = sim_coro_thread_create();
	return main_co ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sim_coro_destroy(main_co);
	main_co = NULL;
	return 0;
}

/* --- ping-pong ---------------------------------------------------------- */

struct pingpong {
	struct sim_coro *self;
	long value;
	int rounds;
};

static void pong(void *arg)
{
	struct pingpong *pp = arg;

	for (int i = 0; i < pp->rounds; i++) {
		pp->value = pp->value * 2 + 1;
		sim_coro_switch(pp->self, main_co);
	}
}

static void test_ping_pong(void **state)
{
	struct pingpong pp = { .value = 0, .rounds = 20 };
	long expect = 0;

	(void)state;
	pp.self = sim_coro_create(0, pong, &pp, NULL);
	assert_non_null(pp.self);
	assert_int_equal(sim_coro_stack_size(pp.self), SIM_CORO_STACK_DEFAULT);
	for (int i = 0; i < pp.rounds; i++) {
		pp.value += i; /* main's turn */
		expect += i;
		sim_coro_switch(main_co, pp.self);
		expect = expect * 2 + 1;
		assert_int_equal(pp.value, expect);
		assert_false(sim_coro_finished(pp.self));
		assert_ptr_equal(sim_coro_current(), main_co);
	}
	sim_coro_switch(main_co, pp.self); /* loop ends, entry returns */
	assert_true(sim_coro_finished(pp.self));
	assert_ptr_equal(sim_coro_current(), main_co);
	sim_coro_destroy(pp.self);
}

/* --- round robin -------------------------------------------------------- */

#define RR_CORO 3
#define RR_ROUNDS 3

static char rr_log[64];
static size_t rr_len;
static struct sim_coro *rr_co[RR_CORO];

static void rr_record(char who, char what)
{
	assert_true(rr_len + 2 < sizeof(rr_log));
	rr_log[rr_len++] = who;
	rr_log[rr_len++] = what;
	rr_log[rr_len] = '\0';
}

static void rr_entry(void *arg)
{
	int k = (int)(intptr_t)arg;

	for (int r = 0; r < RR_ROUNDS; r++) {
		assert_ptr_equal(sim_coro_current(), rr_co[k]);
		rr_record((char)('A' + k), (char)('0' + r));
		sim_coro_switch(rr_co[k], rr_co[(k + 1) % RR_CORO]);
	}
	rr_record((char)('A' + k), '.');
}

static void test_round_robin(void **state)
{
	(void)state;
	rr_len = 0;
	for (int k = 0; k < RR_CORO; k++) {
		rr_co[k] = sim_coro_create(0, rr_entry, (void *)(intptr_t)k, main_co);
		assert_non_null(rr_co[k]);
	}
	/*
	 * A0 -> B0 -> C0 -> A1 ... -> C2 -> A, which ends and returns to main
	 * (its return_to).  B and C are then resumed from main one by one.
	 */
	sim_coro_switch(main_co, rr_co[0]);
	assert_string_equal(rr_log, "A0B0C0A1B1C1A2B2C2A.");
	assert_true(sim_coro_finished(rr_co[0]));
	assert_false(sim_coro_finished(rr_co[1]));
	sim_coro_switch(main_co, rr_co[1]);
	sim_coro_switch(main_co, rr_co[2]);
	assert_string_equal(rr_log, "A0B0C0A1B1C1A2B2C2A.B.C.");
	for (int k = 0; k < RR_CORO; k++) {
		assert_true(sim_coro_finished(rr_co[k]));
		sim_coro_destroy(rr_co[k]);
	}
}

/* --- many coroutines ---------------------------------------------------- */

#define MANY 1024

struct many {
	struct sim_coro *self;
	unsigned id;
	unsigned steps;
	unsigned long sum;
};

static void many_entry(void *arg)
{
	struct many *m = arg;
	char *heap = malloc(64); /* freed before the end: LSan must be quiet */

	assert_non_null(heap);
	snprintf(heap, 64, "%u", m->id);
	m->steps++;
	sim_coro_switch(m->self, main_co);
	m->sum = strtoul(heap, NULL, 10) * 3;
	m->steps++;
	free(heap);
}

static void test_many(void **state)
{
	struct many *m = calloc(MANY, sizeof(*m));

	(void)state;
	assert_non_null(m);
	for (unsigned i = 0; i < MANY; i++) {
		m[i].id = i;
		m[i].self = sim_coro_create(0, many_entry, &m[i], NULL);
		assert_non_null(m[i].self);
	}
	/* Two passes: every coroutine suspended at once, then all finish. */
	for (unsigned i = 0; i < MANY; i++)
		sim_coro_switch(main_co, m[i].self);
	for (unsigned i = MANY; i-- > 0;)
		sim_coro_switch(main_co, m[i].self);
	for (unsigned i = 0; i < MANY; i++) {
		assert_true(sim_coro_finished(m[i].self));
		assert_int_equal(m[i].steps, 2);
		assert_int_equal(m[i].sum, (unsigned long)i * 3);
		sim_coro_destroy(m[i].self);
	}
	free(m);
}

/* --- where a returning entry function lands ----------------------------- */

static struct sim_coro *ret_outer, *ret_inner;
static char ret_log[16];
static size_t ret_len;

static void ret_inner_entry(void *arg)
{
	(void)arg;
	ret_log[ret_len++] = 'i';
}

/* Switches into 'inner'; inner's return must come back here (resumer). */
static void ret_outer_entry(void *arg)
{
	(void)arg;
	ret_log[ret_len++] = 'o';
	sim_coro_switch(ret_outer, ret_inner);
	ret_log[ret_len++] = 'O';
}

static void test_return_to_resumer(void **state)
{
	(void)state;
	ret_len = 0;
	memset(ret_log, 0, sizeof(ret_log));
	ret_outer = sim_coro_create(0, ret_outer_entry, NULL, NULL);
	ret_inner = sim_coro_create(0, ret_inner_entry, NULL, NULL);
	assert_non_null(ret_outer);
	assert_non_null(ret_inner);
	sim_coro_switch(main_co, ret_outer);
	assert_string_equal(ret_log, "oiO");
	assert_true(sim_coro_finished(ret_inner));
	assert_true(sim_coro_finished(ret_outer));
	sim_coro_destroy(ret_inner);
	sim_coro_destroy(ret_outer);
}

/* With return_to = main, inner's return skips outer, which stays suspended. */
static void test_return_to_given(void **state)
{
	(void)state;
	ret_len = 0;
	memset(ret_log, 0, sizeof(ret_log));
	ret_outer = sim_coro_create(0, ret_outer_entry, NULL, NULL);
	ret_inner = sim_coro_create(0, ret_inner_entry, NULL, main_co);
	assert_non_null(ret_outer);
	assert_non_null(ret_inner);
	sim_coro_switch(main_co, ret_outer);
	assert_string_equal(ret_log, "oi");
	assert_true(sim_coro_finished(ret_inner));
	assert_false(sim_coro_finished(ret_outer));
	assert_ptr_equal(sim_coro_current(), main_co);
	/* Destroying a suspended coroutine is allowed. */
	sim_coro_destroy(ret_outer);
	sim_coro_destroy(ret_inner);
}

/* --- deep recursion ----------------------------------------------------- */

#define DEEP_STACK (256 * 1024)
#define DEEP_FRAME 1024
#define DEEP_DEPTH 160 /* ~160 KiB of alloca: well past half the stack */

struct deep {
	struct sim_coro *self;
	uintptr_t top_frame, low_frame;
	unsigned long result;
};

/*
 * A dynamic alloca stays on the real stack even where ASan moves fixed
 * locals to its fake stack; the empty asm makes the compiler keep it.
 */
static unsigned long __attribute__((noinline)) deep_recurse(struct deep *d, unsigned depth)
{
	unsigned char *buf = alloca(DEEP_FRAME + (depth & 1));
	uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
	unsigned long sum = 0;

	memset(buf, (int)(depth & 0xff), DEEP_FRAME);
	__asm__ volatile("" : : "r"(buf) : "memory");
	if (frame < d->low_frame)
		d->low_frame = frame;
	if (depth)
		sum = deep_recurse(d, depth - 1);
	for (unsigned i = 0; i < DEEP_FRAME; i += 128)
		sum += buf[i];
	return sum;
}

static void deep_entry(void *arg)
{
	struct deep *d = arg;

	d->top_frame = (uintptr_t)__builtin_frame_address(0);
	d->low_frame = d->top_frame;
	d->result = deep_recurse(d, DEEP_DEPTH);
}

static void test_deep_recursion(void **state)
{
	struct deep d = { 0 };
	unsigned long expect = 0;

	(void)state;
	d.self = sim_coro_create(DEEP_STACK, deep_entry, &d, NULL);
	assert_non_null(d.self);
	sim_coro_switch(main_co, d.self);
	assert_true(sim_coro_finished(d.self));
	for (unsigned depth = 0; depth <= DEEP_DEPTH; depth++)
		expect += (DEEP_FRAME / 128) * (depth & 0xff);
	assert_int_equal(d.result, expect);
	assert_true(d.top_frame - d.low_frame >= (uintptr_t)DEEP_DEPTH * DEEP_FRAME);
	assert_true(d.top_frame - d.low_frame < DEEP_STACK);
	sim_coro_destroy(d.self);
}

/* --- floating-point control words --------------------------------------- */

static unsigned get_mxcsr(void)
{
	unsigned v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

static void set_mxcsr(unsigned v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static unsigned short get_fpucw(void)
{
	unsigned short v;

	__asm__ volatile("fnstcw %0" : "=m"(v));
	return v;
}

static void set_fpucw(unsigned short v)
{
	__asm__ volatile("fldcw %0" : : "m"(v));
}

#define MXCSR_RC_UP 0x4000u   /* rounding control = round up */
#define FPUCW_RC_DOWN 0x0400u /* x87 rounding control = round down */

struct fpctl {
	struct sim_coro *self;
	unsigned mxcsr_seen;
	unsigned short fpucw_seen;
};

static void fpctl_entry(void *arg)
{
	struct fpctl *f = arg;

	set_mxcsr(get_mxcsr() | MXCSR_RC_UP);
	set_fpucw((unsigned short)(get_fpucw() | FPUCW_RC_DOWN));
	sim_coro_switch(f->self, main_co);
	f->mxcsr_seen = get_mxcsr();
	f->fpucw_seen = get_fpucw();
}

/* The ABI makes both control words callee-saved: a task keeps its own. */
static void test_fp_control(void **state)
{
	struct fpctl f = { 0 };
	unsigned mxcsr = get_mxcsr();
	unsigned short fpucw = get_fpucw();

	(void)state;
	f.self = sim_coro_create(0, fpctl_entry, &f, NULL);
	assert_non_null(f.self);
	sim_coro_switch(main_co, f.self);
	assert_int_equal(get_mxcsr() & 0xffc0u, mxcsr & 0xffc0u); /* not the flags */
	assert_int_equal(get_fpucw(), fpucw);
	sim_coro_switch(main_co, f.self);
	assert_true(sim_coro_finished(f.self));
	assert_int_equal(f.mxcsr_seen & 0xffc0u, (mxcsr | MXCSR_RC_UP) & 0xffc0u);
	assert_int_equal(f.fpucw_seen, fpucw | FPUCW_RC_DOWN);
	assert_int_equal(get_mxcsr() & 0xffc0u, mxcsr & 0xffc0u);
	assert_int_equal(get_fpucw(), fpucw);
	sim_coro_destroy(f.self);
}

/* --- guard page --------------------------------------------------------- */

static unsigned long __attribute__((noinline)) overflow(unsigned long n)
{
	volatile unsigned char *buf = alloca(4096);

	buf[0] = (unsigned char)n;
	if (n == ~0ul) /* never: keeps -Winfinite-recursion quiet */
		return 0;
	return overflow(n + 1) + buf[0];
}

static void overflow_entry(void *arg)
{
	*(volatile unsigned long *)arg = overflow(0);
}

/*
 * Run in a child: the overflow must kill it (SIGSEGV, or ASan's
 * stack-overflow report and exit status), never let it finish.
 */
static void test_guard_page(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		struct sim_coro *co;
		unsigned long sink = 0;

		if (fd >= 0)
			dup2(fd, 2);
		signal(SIGSEGV, SIG_DFL);
		co = sim_coro_create(0, overflow_entry, &sink, NULL);
		if (!co)
			_exit(0); /* counts as failure below */
		sim_coro_switch(main_co, co);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping_pong),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_return_to_resumer),
		cmocka_unit_test(test_return_to_given),
		cmocka_unit_test(test_deep_recursion),
		cmocka_unit_test(test_fp_control),
		cmocka_unit_test(test_guard_page),
	};

	return cmocka_run_group_tests_name("coro", tests, setup, teardown);
}
