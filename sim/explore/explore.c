/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * explore.c - running a scenario many times under a scheduler, in one
 * process or several, until something breaks.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "explore.h"
#include "explore_internal.h"
#include "seeds.h"

/* Every action one step can take under the scenario's kinds. */
static unsigned step_actions(const struct sim_scenario *sc, struct sim_step_action *out)
{
	unsigned n = 0;
	if (sc->inject.kinds[SIM_ACT_PREEMPT])
		out[n++] = (struct sim_step_action){ 0, SIM_ACT_PREEMPT, 0 };
	if (sc->inject.kinds[SIM_ACT_MIGRATE])
		for (unsigned cpu = 0; cpu < sc->cpus && cpu < SIM_EXPLORE_STEP_TARGETS_MAX; cpu++)
			out[n++] = (struct sim_step_action){ 0, SIM_ACT_MIGRATE, (int)cpu };
	if (sc->inject.kinds[SIM_ACT_IRQ])
		for (unsigned i = 0; i < sc->nr_irqs && i < SIM_EXPLORE_STEP_TARGETS_MAX; i++)
			out[n++] = (struct sim_step_action){ 0, SIM_ACT_IRQ, (int)i };
	if (sc->inject.kinds[SIM_ACT_FAIL])
		out[n++] = (struct sim_step_action){ 0, SIM_ACT_FAIL, 0 };
	return n;
}

static void window(const struct sim_explore_config *cfg, uint64_t k, uint64_t *from, uint64_t *w)
{
	*from = cfg->window_from ? cfg->window_from : 1;
	uint64_t to = cfg->window_to ? cfg->window_to : k + 1;
	*w = to > *from ? to - *from : 0;
}

uint64_t sim_explore_bounded_runs(const struct sim_explore_config *cfg, uint64_t k)
{
	struct sim_step_action acts[SIM_EXPLORE_STEP_ACTIONS_MAX];
	uint64_t a = step_actions(cfg->sc, acts), from, w;
	window(cfg, k, &from, &w);
	uint64_t total = 1;
	if (cfg->bound >= 1)
		total += w * a;
	if (cfg->bound >= 2)
		total += w * (w - 1) / 2 * a * a;
	return total;
}

/* Run index -> the set of actions: none, then singles, then pairs by distance. */
static void bounded_steps(const struct sim_explore_config *cfg, uint64_t k, uint64_t index,
			  struct sim_explore_run *out)
{
	struct sim_step_action acts[SIM_EXPLORE_STEP_ACTIONS_MAX];
	uint64_t a = step_actions(cfg->sc, acts), from, w;
	window(cfg, k, &from, &w);
	out->inject.nr_steps = 0;
	if (index == 0 || !a)
		return;
	index--;
	if (index < w * a) {
		out->steps[0] = acts[index % a];
		out->steps[0].step = from + index / a;
		out->inject.nr_steps = 1;
		return;
	}
	/*
	 * Pairs nearest first: the two actions a race needs usually fall
	 * inside one allocator call, a few steps apart.
	 */
	index -= w * a;
	uint64_t pair = index / (a * a), combo = index % (a * a);
	uint64_t gap = 1;
	while (gap + 1 < w && pair >= w - gap) {
		pair -= w - gap;
		gap++;
	}
	out->steps[0] = acts[combo / a];
	out->steps[0].step = from + pair;
	out->steps[1] = acts[combo % a];
	out->steps[1].step = from + pair + gap;
	out->inject.nr_steps = 2;
}

/*
 * PCT: the plan of run index, a function of the index and the master seed
 * only, so that the runs of one campaign, however split over jobs and
 * shards, never repeat a plan (pct_plan.h).  k: the calibration run's
 * steps where an action is possible.
 */
static void pct_plan(const struct sim_explore_config *cfg, uint64_t k, uint64_t index,
		     struct sim_pct_plan *out)
{
	unsigned hi = cfg->depth_max > cfg->depth ? cfg->depth_max : cfg->depth;
	struct sim_pct_space space = { cfg->sc->nr_tasks, k ? k : 1, cfg->depth, hi };
	sim_pct_plan_of(&space, sim_seed_stream(cfg->master_seed, SIM_SEED_PCT, 0), index, out);
}

static const char *const scheduler_names[] = { "random", "pct", "bounded", "exhaustive" };

const char *sim_explore_scheduler_name(enum sim_scheduler s)
{
	return scheduler_names[s];
}

bool sim_explore_scheduler_find(const char *name, enum sim_scheduler *out)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(scheduler_names); i++)
		if (!strcmp(name, scheduler_names[i])) {
			*out = (enum sim_scheduler)i;
			return true;
		}
	return false;
}

uint64_t sim_explore_budget(const struct sim_explore_config *cfg, uint64_t k)
{
	if (cfg->scheduler != SIM_SCHED_BOUNDED)
		return cfg->runs;
	uint64_t total = sim_explore_bounded_runs(cfg, k);
	return total < cfg->runs ? total : cfg->runs;
}

void sim_explore_plan(const struct sim_explore_config *cfg, uint64_t k, uint64_t index,
		      struct sim_explore_run *out)
{
	memset(out, 0, sizeof(*out));
	out->inject = cfg->sc->inject;
	out->inject.decisions = NULL;
	out->inject.nr_decisions = 0;
	out->inject.steps = out->steps;
	out->plan = (struct sim_run_plan){ .design = cfg->design,
					   .seed = sim_seed_run(cfg->master_seed, index),
					   .inject = &out->inject };
	switch (cfg->scheduler) {
	case SIM_SCHED_PCT:
		out->inject.policy = SIM_INJECT_PCT;
		pct_plan(cfg, k, index, &out->pct);
		out->inject.pct_depth = out->pct.depth;
		out->inject.pct_steps = k;
		out->inject.pct_plan = &out->pct;
		/*
		 * One workload seed, as in the paper: the runs differ only in
		 * their plans, so distinct plans are distinct schedules (and
		 * explore's count of distinct decision lists shows it).
		 */
		out->plan.seed = cfg->master_seed;
		break;
	case SIM_SCHED_BOUNDED:
		/* One workload seed; the runs differ only in their actions. */
		out->inject.policy = SIM_INJECT_STEPS;
		out->plan.seed = cfg->master_seed;
		bounded_steps(cfg, k, index, out);
		break;
	case SIM_SCHED_EXHAUSTIVE:
		/* The same workload seed; the caller lists the actions (exhaustive.c). */
		out->inject.policy = SIM_INJECT_STEPS;
		out->inject.steps_at_choices = true;
		out->plan.seed = cfg->master_seed;
		break;
	case SIM_SCHED_RANDOM:
		out->inject.policy = SIM_INJECT_RANDOM;
		if (cfg->probability > 0)
			out->inject.probability = cfg->probability;
		break;
	}
}

void sim_explore_found_plan(const struct sim_explore_config *cfg,
			    const struct sim_explore_result *res, struct sim_explore_run *out)
{
	sim_explore_plan(cfg, res->k, res->found_index, out);
	if (cfg->scheduler == SIM_SCHED_EXHAUSTIVE) {
		memcpy(out->steps, res->found_steps, sizeof(res->found_steps));
		out->inject.nr_steps = res->nr_found_steps;
	}
}

void sim_explore_coverage(const struct sim_explore_result *res, unsigned *executed,
			  unsigned *decided)
{
	*executed = *decided = 0;
	for (unsigned pt = 0; pt < SLAB_POINT_COUNT; pt++) {
		*executed += res->point_runs[pt] > 0;
		*decided += res->point_decided_runs[pt] > 0;
	}
}

double sim_explore_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* FNV-1a over the decisions a run took. */
static uint64_t schedule_hash(const GArray *decisions)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (unsigned i = 0; i < decisions->len; i++) {
		const struct sim_decision *d = &g_array_index(decisions, struct sim_decision, i);
		uint64_t words[4] = { (uint64_t)d->point, d->occurrence, (uint64_t)d->action,
				      (uint64_t)(int64_t)d->arg };
		for (unsigned w = 0; w < 4; w++) {
			h ^= words[w];
			h *= 0x100000001b3ULL;
		}
	}
	return h;
}

void sim_explore_record_run(const struct sim_run_report *r, uint64_t index,
			    struct sim_explore_record *rec)
{
	*rec = (struct sim_explore_record){ .index = index,
					    .points = r->points,
					    .preemptions = r->preemptions,
					    .migrations = r->migrations,
					    .interrupts = r->interrupts,
					    .failures = r->failures,
					    .violation = r->violation };
	if (r->violation)
		g_strlcpy(rec->kind, r->violation_kind, sizeof(rec->kind));
	rec->workload_bug = r->violation && r->workload_bug;
	memcpy(rec->executed, r->points_executed, sizeof(rec->executed));
	memcpy(rec->decided, r->points_decided, sizeof(rec->decided));
	rec->schedule_hash = schedule_hash(r->decisions);
}

bool sim_explore_one(const struct sim_explore_config *cfg, uint64_t k, uint64_t index,
		     struct sim_explore_record *rec, char *err, unsigned err_len)
{
	struct sim_run_report r;
	struct sim_explore_run run;
	sim_explore_plan(cfg, k, index, &run);
	run.plan.no_trace_hash = true; /* a record has no trace hash */
	bool ok = sim_run(cfg->sc, &run.plan, &r, err, err_len);
	if (ok)
		sim_explore_record_run(&r, index, rec);
	sim_run_report_free(&r);
	return ok;
}

/* One more run for each point in set. */
static void tally_points(uint64_t *runs, const uint64_t *set)
{
	for (unsigned w = 0; w < SIM_POINT_WORDS; w++)
		for (uint64_t bits = set[w]; bits; bits &= bits - 1)
			runs[w * 64 + (unsigned)__builtin_ctzll(bits)]++;
}

void sim_explore_tally(struct sim_explore_result *res, const struct sim_explore_record *rec,
		       GHashTable *schedules)
{
	res->runs++;
	res->points += rec->points;
	res->preemptions += rec->preemptions;
	res->migrations += rec->migrations;
	res->interrupts += rec->interrupts;
	res->failures += rec->failures;
	/* Only the points set: a run reaches a few of them (and decides at fewer). */
	tally_points(res->point_runs, rec->executed);
	tally_points(res->point_decided_runs, rec->decided);
	if (schedules && !g_hash_table_contains(schedules, &rec->schedule_hash))
		g_hash_table_add(schedules, g_memdup2(&rec->schedule_hash, 8));
	if (rec->violation) {
		res->found = true;
		res->found_index = rec->index;
		g_strlcpy(res->kind, rec->kind, sizeof(res->kind));
		res->workload_bug = rec->workload_bug;
	}
}

/*
 * SIGINT or SIGTERM: every process stops after the run it is in, the
 * workers send what they did, and the parent passes the signal on to its
 * workers (kill is async-signal-safe), so a signal to the parent alone
 * stops them too.
 */
static volatile sig_atomic_t stop_requested;
static pid_t worker_pid[SIM_EXPLORE_JOBS_MAX];
static volatile sig_atomic_t nr_worker_pids;

static void on_stop_signal(int sig)
{
	stop_requested = 1;
	for (sig_atomic_t i = 0; i < nr_worker_pids; i++)
		if (worker_pid[i] > 0)
			kill(worker_pid[i], SIGTERM);
}

void sim_explore_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	/*
	 * Restart interrupted writes (a stdout pipe must not fail because of
	 * the signal); a second signal of the same kind takes its default
	 * action, so a second Ctrl-C ends a long stop at once.
	 */
	sa.sa_flags = SA_RESTART | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool sim_explore_stopped(void)
{
	return stop_requested;
}

/*
 * Runs this worker's indices (i % (shards * jobs) == slot) in order until
 * its first violation, the budget or a stop signal; calls emit for each.
 */
static bool work(const struct sim_explore_config *cfg, uint64_t k, uint64_t runs, uint64_t stride,
		 uint64_t first, double t0,
		 void (*emit)(void *arg, const struct sim_explore_record *rec), void *arg,
		 char *err, unsigned err_len)
{
	for (uint64_t i = first; i < runs; i += stride) {
		if ((cfg->seconds > 0 && sim_explore_now() - t0 > cfg->seconds) || stop_requested)
			break;
		struct sim_explore_record rec;
		if (!sim_explore_one(cfg, k, i, &rec, err, err_len))
			return false;
		emit(arg, &rec);
		if (rec.violation)
			break;
	}
	return true;
}

/* The records so far, and when progress was last reported. */
struct collector {
	const struct sim_explore_config *cfg;
	GArray *all;
	uint64_t total, finds;
	double t0, last;
};

static void report_progress(struct collector *c, bool force)
{
	if (!c->cfg->progress)
		return;
	double t = sim_explore_now();
	if (!force && t - c->last < 0.5)
		return;
	c->last = t;
	c->cfg->progress(c->cfg->progress_arg, c->all->len, c->total, c->finds, t - c->t0);
}

static void add_records(struct collector *c, const struct sim_explore_record *recs, unsigned n)
{
	g_array_append_vals(c->all, recs, n);
	for (unsigned i = 0; i < n; i++)
		c->finds += recs[i].violation;
	report_progress(c, false);
}

static void collect(void *arg, const struct sim_explore_record *rec)
{
	add_records(arg, rec, 1);
}

/* A worker's records go to the parent in batches: one write per batch. */
struct record_pipe {
	int fd;
	unsigned n;
	struct sim_explore_record batch[256];
};

static void flush_records(struct record_pipe *rp)
{
	const char *p = (const char *)rp->batch;
	size_t left = rp->n * sizeof(rp->batch[0]);
	while (left) {
		ssize_t n = write(rp->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		p += n;
		left -= (size_t)n;
	}
	rp->n = 0;
}

static void write_record(void *arg, const struct sim_explore_record *rec)
{
	struct record_pipe *rp = arg;
	rp->batch[rp->n++] = *rec;
	if (rp->n == sizeof(rp->batch) / sizeof(rp->batch[0]))
		flush_records(rp);
}

static int cmp_index(const void *a, const void *b)
{
	uint64_t x = ((const struct sim_explore_record *)a)->index,
		 y = ((const struct sim_explore_record *)b)->index;
	return x < y ? -1 : x > y;
}

/* Hold SIGINT and SIGTERM back until sigprocmask(SIG_SETMASK, old, NULL). */
static void block_stops(sigset_t *old)
{
	sigset_t stops;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, old);
}

/* Worker j, in the child: its share of the runs, as records into the pipe's end fd. */
static void G_GNUC_NORETURN run_worker(const struct sim_explore_config *cfg, uint64_t k,
				       uint64_t runs, double t0, unsigned j, int fd)
{
	uint64_t stride = (uint64_t)cfg->shards * cfg->jobs;
	char werr[256];
	uint64_t first = cfg->shard + (uint64_t)cfg->shards * j;
	struct record_pipe *rp = g_new0(struct record_pipe, 1);
	rp->fd = fd;
	bool ok = work(cfg, k, runs, stride, first, t0, write_record, rp, werr, sizeof(werr));
	flush_records(rp);
	if (!ok)
		fprintf(stderr, "slabsim explore: worker %u: %s\n", j, werr);
	close(fd);
	_exit(ok ? 0 : 2);
}

/* Fork worker j with a pipe for its records: the reading end into *fd. */
static bool start_worker(const struct sim_explore_config *cfg, uint64_t k, uint64_t runs, double t0,
			 unsigned j, int *fd, pid_t *worker, char *err, unsigned err_len)
{
	int p[2];
	if (pipe(p)) {
		snprintf(err, err_len, "cannot create a pipe: %s", strerror(errno));
		return false;
	}
	/*
	 * No stop signal between fork and recording the worker: the handler
	 * would not know it, and it would run its whole share.  A signal
	 * that came before is in stop_requested, which the worker copies.
	 */
	sigset_t old;
	block_stops(&old);
	pid_t pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		snprintf(err, err_len, "cannot fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		nr_worker_pids = 0; /* a worker stops itself, not its siblings */
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(p[0]);
		run_worker(cfg, k, runs, t0, j, p[1]);
	}
	close(p[1]);
	*fd = p[0];
	*worker = pid;
	worker_pid[j] = pid;
	nr_worker_pids = (sig_atomic_t)(j + 1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return true;
}

/*
 * Drain every worker's pipe as records arrive: reading one to its end
 * first would leave the others blocked on a full pipe.
 */
static void drain_pipes(const int *fds, unsigned jobs, struct collector *all)
{
	struct pollfd pfd[SIM_EXPLORE_JOBS_MAX];
	GByteArray *pending[SIM_EXPLORE_JOBS_MAX];
	unsigned open_fds = jobs;
	char buf[65536];
	for (unsigned j = 0; j < jobs; j++) {
		pfd[j] = (struct pollfd){ .fd = fds[j], .events = POLLIN };
		pending[j] = g_byte_array_new();
	}
	while (open_fds) {
		if (poll(pfd, jobs, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (unsigned j = 0; j < jobs; j++) {
			if (pfd[j].fd < 0 || !(pfd[j].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(pfd[j].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pfd[j].fd);
				pfd[j].fd = -1;
				open_fds--;
				continue;
			}
			g_byte_array_append(pending[j], (const guint8 *)buf, (guint)n);
			guint whole = pending[j]->len / sizeof(struct sim_explore_record) *
				      sizeof(struct sim_explore_record);
			add_records(all,
				    (const struct sim_explore_record *)(void *)pending[j]->data,
				    whole / sizeof(struct sim_explore_record));
			g_byte_array_remove_range(pending[j], 0, whole);
		}
	}
	for (unsigned j = 0; j < jobs; j++)
		g_byte_array_free(pending[j], TRUE);
}

/* Wait for every worker; false with the last failure if one did not exit 0. */
static bool reap_workers(const pid_t *pids, unsigned jobs, char *err, unsigned err_len)
{
	bool ok = true;
	for (unsigned j = 0; j < jobs; j++) {
		int status = 0;
		/* Reaped and forgotten in one step: a reused pid is never signalled. */
		sigset_t old;
		block_stops(&old);
		while (waitpid(pids[j], &status, 0) < 0 && errno == EINTR)
			;
		worker_pid[j] = 0;
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			snprintf(err, err_len, "worker %u failed (status %d)", j, status);
			ok = false;
		}
	}
	return ok;
}

/* Runs in several processes; every record ends up in all. */
static bool work_jobs(const struct sim_explore_config *cfg, uint64_t k, uint64_t runs, double t0,
		      struct collector *all, char *err, unsigned err_len)
{
	int fds[SIM_EXPLORE_JOBS_MAX];
	pid_t pids[SIM_EXPLORE_JOBS_MAX];
	fflush(stdout);
	fflush(stderr);
	for (unsigned j = 0; j < cfg->jobs; j++)
		if (!start_worker(cfg, k, runs, t0, j, &fds[j], &pids[j], err, err_len))
			return false;
	drain_pipes(fds, cfg->jobs, all);
	return reap_workers(pids, cfg->jobs, err, err_len);
}

bool sim_explore(const struct sim_explore_config *cfg, struct sim_explore_result *res, char *err,
		 unsigned err_len)
{
	memset(res, 0, sizeof(*res));
	if (cfg->jobs < 1 || cfg->jobs > SIM_EXPLORE_JOBS_MAX) {
		snprintf(err, err_len, "jobs: expected 1 .. %d, got %u", SIM_EXPLORE_JOBS_MAX,
			 cfg->jobs);
		return false;
	}
	if (cfg->scheduler == SIM_SCHED_EXHAUSTIVE)
		return sim_explore_exhaustive(cfg, res, err, err_len);
	double t0 = sim_explore_now();

	/*
	 * PCT and bounded search need k: count the steps of one run without
	 * injection.  PCT's are counted by its scheduler under the plan that
	 * changes nothing (every task the same priority, no change point).
	 */
	if (cfg->scheduler != SIM_SCHED_RANDOM) {
		static const struct sim_pct_plan unchanged = { .depth = 0 };
		struct sim_inject none = cfg->sc->inject;
		none.policy = cfg->scheduler == SIM_SCHED_PCT ? SIM_INJECT_PCT : SIM_INJECT_NONE;
		none.pct_plan = &unchanged;
		none.nr_decisions = 0;
		struct sim_run_plan cal = { .design = cfg->design,
					    .seed = cfg->master_seed,
					    .inject = &none };
		struct sim_run_report r;
		bool ok = sim_run(cfg->sc, &cal, &r, err, err_len);
		res->k = cfg->scheduler == SIM_SCHED_PCT ? r.choice_points : r.eligible_steps;
		sim_run_report_free(&r);
		if (!ok)
			return false;
	}
	uint64_t runs = sim_explore_budget(cfg, res->k);
	GArray *all = g_array_new(FALSE, FALSE, sizeof(struct sim_explore_record));
	/* This shard's runs: the indices i < runs with i % shards == shard. */
	uint64_t mine = runs / cfg->shards + (cfg->shard < runs % cfg->shards);
	struct collector col = { cfg, all, mine, 0, t0, t0 };
	bool ok;
	if (cfg->jobs <= 1)
		ok = work(cfg, res->k, runs, cfg->shards, cfg->shard, t0, collect, &col, err,
			  err_len);
	else
		ok = work_jobs(cfg, res->k, runs, t0, &col, err, err_len);
	report_progress(&col, true);
	if (ok) {
		qsort(all->data, all->len, sizeof(struct sim_explore_record), cmp_index);
		GHashTable *schedules =
		    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
		/* The first failure, and the totals of every run up to it. */
		for (unsigned i = 0; i < all->len; i++) {
			const struct sim_explore_record *rec =
			    &g_array_index(all, struct sim_explore_record, i);
			sim_explore_tally(res, rec, schedules);
			if (cfg->record)
				cfg->record(cfg->record_arg, rec);
			if (rec->violation) {
				struct sim_explore_run run;
				sim_explore_plan(cfg, res->k, rec->index, &run);
				res->found_seed = run.plan.seed;
				break;
			}
		}
		res->schedules = g_hash_table_size(schedules);
		g_hash_table_destroy(schedules);
	}
	g_array_free(all, TRUE);
	res->seconds = sim_explore_now() - t0;
	res->interrupted = stop_requested;
	return ok;
}
