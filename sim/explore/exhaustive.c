/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exhaustive.c - every distinct schedule with at most C actions, proven
 * clean or broken (explore --scheduler exhaustive --bound C).
 *
 * A run is deterministic given its seed and its actions, so schedules form
 * a tree.  A run's choice points are the points where the injection's
 * kinds could act (struct sim_choice lists each action possible there).  A
 * schedule with actions at choice points j1 < j2 < ... is the same run as
 * its parent (the schedule without its last action) up to its last choice
 * point, so that point is a choice point in both, and the action happens:
 * the children of a schedule are its run's choice points after its last
 * action, times the actions possible at each.  Every child is a distinct
 * schedule (its decision list differs), and every schedule with at most C
 * actions is reached: this is stateless model checking, as CHESS and
 * Shuttle do it, with the engine's time deciding everything else.
 *
 * Iterative bounding (CHESS): all schedules with 0 actions, then 1, then
 * 2..., so the first violation found has the fewest actions possible, and
 * the search can report each bound it finished ("every schedule with <= 2
 * actions: N schedules, 0 violations").  The tree's inner runs are run
 * again at each bound to list their choices (res->reruns); they are few
 * next to the leaves.
 *
 * Reduction: leaves() skips a last action equivalent to the next one;
 * covered_by_earlier() skips a whole subtree another one covers.
 */
#include <stdio.h>
#include <string.h>

#include "explore.h"
#include "explore_internal.h"

struct search {
	const struct sim_explore_config *cfg;
	struct sim_explore_result *res;
	GHashTable *schedules; /* with cfg->check_reduction: every schedule's hash */
	unsigned bound;	       /* this pass: schedules with exactly this many actions */
	struct sim_explore_run run;
	uint64_t done; /* schedules counted, all passes */
	double t0, last_progress;
	bool stop, failed, out_of_budget;
	bool reduce;	      /* the sleep-set reduction applies (can_reduce) */
	bool irqs;	      /* and to injected interrupts (can_reduce_irqs) */
	bool migrations;      /* and its rule for migrations (can_reduce_migrations) */
	bool subtrees;	      /* and to subtrees (not cfg->reduce_leaves_only) */
	bool prune;	      /* behind an O that touches memory too (can_prune) */
	GHashTable *outcomes; /* check_reduction: the outcomes of this pass's leaves */
	char *err;
	unsigned err_len;
};

static void progress(struct search *s, bool force)
{
	const struct sim_explore_config *cfg = s->cfg;
	if (!cfg->progress)
		return;
	double t = sim_explore_now();
	if (!force && t - s->last_progress < 0.5)
		return;
	s->last_progress = t;
	cfg->progress(cfg->progress_arg, s->done, cfg->runs, s->res->found, t - s->t0);
}

/* Out of budget (runs, time) or asked to stop: the pass ends incomplete. */
static bool budget_left(struct search *s)
{
	const struct sim_explore_config *cfg = s->cfg;
	if (s->done >= cfg->runs || sim_explore_stopped() ||
	    (cfg->seconds > 0 && sim_explore_now() - s->t0 > cfg->seconds)) {
		s->out_of_budget = true;
		return false;
	}
	return true;
}

/* Run s->run's schedule; false (and the search stops) if it could not run. */
static bool run_schedule(struct search *s, struct sim_run_report *r, bool record, bool watch)
{
	s->run.plan.record_choices = record;
	s->run.plan.watch_last_action = watch;
	if (sim_run(s->cfg->sc, &s->run.plan, r, s->err, s->err_len))
		return true;
	s->failed = s->stop = true;
	return false;
}

static void note_outcome(struct search *s, const struct sim_run_report *r);

/*
 * A schedule of this pass's size ran: count it, and stop at a violation
 * (with want_kind: of that kind; another counts as clean).
 */
static void count(struct search *s, const struct sim_run_report *r)
{
	struct sim_explore_result *res = s->res;
	struct sim_explore_record rec;
	sim_explore_record_run(r, s->done, &rec);
	const char *want = s->cfg->want_kind;
	if (rec.violation && want && (rec.workload_bug || strcmp(rec.kind, want)))
		rec.violation = rec.workload_bug = 0;
	sim_explore_tally(res, &rec, s->schedules);
	note_outcome(s, r);
	res->bound_schedules[s->bound]++;
	if (!s->bound)
		res->k = r->choice_points; /* k: the choice points of the run without actions */
	s->done++;
	if (rec.violation) {
		res->found_seed = r->seed;
		memcpy(res->found_steps, s->run.steps, sizeof(res->found_steps));
		res->nr_found_steps = s->run.inject.nr_steps;
		s->stop = true;
	}
	progress(s, false);
}

/*
 * Reduction (sleep sets, with every task on one CPU: preemptions here,
 * injected interrupts and failures below).  Let j and
 * j + 1 be consecutive choice points of a run where only task t ran in
 * between, and O what t touched from j up to j + 1.  Preempting t at j
 * and preempting it at j + 1 (to the same task) give runs that differ
 * only in the order of O and G, what the other tasks do until t runs
 * again.  When no word of O is written by G or written by O and touched
 * by G, each operation reads the same values in both orders, so both runs
 * take the same paths, reach the same memory state and find the same
 * violations: the preemption at j is equivalent to the one at j + 1, whose
 * run showed G (report->watched).  So a pass's last actions are tried from
 * the latest choice point back, and an action equivalent to the one at the
 * next choice point is counted without running (bound_equivalent).  G is
 * carried back over a chain of equivalent actions: it is the same G.
 * Cycle clocks are not part of the equivalence: on one CPU they decide no
 * interleaving (periodic interrupts aside, which turn the reduction off).
 * "One CPU" is every task on the same CPU with no migration injected
 * (one_cpu()): nothing runs on the others, as an injected interrupt hits
 * the CPU of the task it interrupts, whatever its source's cpu.  A node
 * decides nothing here either: no task changes CPU, so each runs on the
 * same node in both runs, and every node's memory is words like any other.
 *
 * Failures (fail actions: a page allocation made to fail).  Earlier
 * actions, fail actions among them, are the same in both runs (the
 * prefix), and a fail action only marks its task's next page allocation,
 * task-local state that O carries in both runs: the test above holds as
 * it is.  A last action that is a failure is never merged: failing the
 * allocation at j and the one at j + 1 fail different calls (a fail
 * action exists only at a page allocation's point), whose runs need not
 * agree.
 *
 * Interrupts (one CPU, injected only).  An interrupt at j and one from
 * the same source at j + 1 differ in the same way: run B (at j + 1) runs
 * O, then the handler H, then t again; run A runs H, then O.  The handler
 * runs to its end before t does (it is never preempted, and no task runs
 * on the CPU until it returns to t), and takes no action in a leaf: G is
 * H's accesses, recorded as for a preemption (sched_steps.c watches t
 * after an interrupt too), and when O commutes with it both runs reach
 * the same state, H having read the same values (a handler's workload
 * keeps its own state and random stream, the same in both: it ran as
 * often before).  An interrupt choice exists only where one may be
 * delivered (interrupts on, not in a handler), and j and j + 1 are both
 * such points of the parent run, so both runs deliver it; O's
 * interrupts-off sections run whole in both.  With the cache model off
 * every operation costs the same in any order; either way the clocks
 * decide only the livelock bound, which an interrupt leaf's G is kept
 * far from as a migration's is (clocks_far()).
 *
 * Migrations (any number of CPUs, together()): the same test holds for a
 * last action that migrates t to CPU X where every other task already is,
 * when O is CPU-oblivious (cpu_oblivious()).  After it every task is on X
 * and, no action following, stays there: the rest of the run is one CPU's,
 * ordered by the run queue and blocking alone, not by clocks.  Migrating
 * at j + 1 (run B), t runs O where it is, then waits on X while the others
 * run G until t runs again (G is empty when X was idle: t runs at once).
 * Migrating at j (run A), the others run the same G first, which O commutes
 * with, from the same state (no other task ran a point between j and
 * j + 1; what another CPU's task accessed without a point meanwhile, W,
 * is in the span and may not conflict with O (cpu_oblivious()); O blocked
 * and woke nobody: it has no queue or barrier operation), then t runs O on X:
 * the same operations as on its old CPU, as O depends on no CPU.  From
 * there A and B are in the same state with the same run queue, and run the
 * same.  A's clocks are later than B's by at most O's cycles, which decide
 * nothing on one CPU but the livelock bound: a leaf keeps its G only while
 * its run and every O before it end far from that bound (clocks_far()).
 * Run A has W after its migration, inside its G; a leaf counted without
 * running carries the next leaf's G back only when its span has no W
 * (sim_choice_span.foreign), as the next leaf's run has W before its
 * migration, outside its G.
 */
struct leaf_slot {
	enum sim_action_kind action;
	int arg;
	GHashTable *g;		 /* word -> 1 read, 2 written by G; NULL: not known */
	struct outcome *outcome; /* with cfg->check_reduction: what the run showed (shared) */
};

/*
 * What --check-reduction compares: a run's verdict, its SLUB_STATS and the
 * points it executed (equivalent runs execute the same operations).
 */
struct outcome {
	unsigned refs;
	bool violation;
	char kind[48];
	uint64_t stats[SIM_STATS_MAX];
	uint64_t points;
};

static struct outcome *outcome_of(const struct sim_run_report *r)
{
	struct outcome *o = g_new0(struct outcome, 1);
	o->refs = 1;
	o->violation = r->violation;
	if (r->violation)
		g_strlcpy(o->kind, r->violation_kind, sizeof(o->kind));
	memcpy(o->stats, r->stats, sizeof(o->stats));
	o->points = r->points;
	return o;
}

static struct outcome *outcome_ref(struct outcome *o)
{
	if (o)
		o->refs++;
	return o;
}

static void outcome_unref(struct outcome *o)
{
	if (o && !--o->refs)
		g_free(o);
}

static bool same_outcome(const struct outcome *o, const struct sim_run_report *r)
{
	return o->violation == r->violation &&
	       (!r->violation || !strcmp(o->kind, r->violation_kind)) &&
	       !memcmp(o->stats, r->stats, sizeof(o->stats)) && o->points == r->points;
}

/* check_reduction: an outcome as one 64-bit key (FNV-1a over what same_outcome compares). */
static uint64_t outcome_key(const struct sim_run_report *r)
{
	struct outcome *o = outcome_of(r); /* zeroed: its padding hashes the same */
	const unsigned char *p = (const unsigned char *)&o->violation;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < sizeof(*o) - offsetof(struct outcome, violation); i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	outcome_unref(o);
	return h;
}

static void note_outcome(struct search *s, const struct sim_run_report *r)
{
	if (!s->outcomes)
		return;
	uint64_t key = outcome_key(r);
	if (!g_hash_table_contains(s->outcomes, &key))
		g_hash_table_add(s->outcomes, g_memdup2(&key, sizeof(key)));
}

static GHashTable *watched_words(const struct sim_run_report *r)
{
	if (!r->watch_closed)
		return NULL;
	/* Words as keys in place (x86-64: a pointer holds a 64-bit word number). */
	G_STATIC_ASSERT(sizeof(gpointer) == sizeof(uint64_t));
	GHashTable *g = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (unsigned i = 0; i < r->watched->len; i++) {
		struct sim_access *a = &g_array_index(r->watched, struct sim_access, i);
		for (unsigned w = 0; w < a->words; w++) {
			gpointer key = (gpointer)(uintptr_t)(a->key + w);
			uintptr_t was = (uintptr_t)g_hash_table_lookup(g, key);
			g_hash_table_insert(g, key, (gpointer)(was | (a->writes ? 2u : 1u)));
		}
	}
	return g;
}

/* Does the span's memory commute with g's? */
static bool independent(const struct sim_run_report *parent, const struct sim_choice_span *span,
			GHashTable *g)
{
	for (unsigned i = 0; i < span->accesses; i++) {
		const struct sim_access *a =
		    &g_array_index(parent->accesses, struct sim_access, span->first + i);
		for (unsigned w = 0; w < a->words; w++) {
			gpointer key = (gpointer)(uintptr_t)(a->key + w);
			uintptr_t there = (uintptr_t)g_hash_table_lookup(g, key);
			if (there & 2 || (there && a->writes))
				return false;
		}
	}
	return true;
}

/*
 * Does the span run the same operations on any CPU, and at any time next
 * to what the others do meanwhile?  Not if one of them depends on the CPU
 * (span->cpu_bound: a per-CPU operation or pointer, a page allocation),
 * nor if it blocks or wakes a task (a queue or barrier operation), which
 * changes who runs on which CPU next.  Plain accesses through a per-CPU
 * pointer are oblivious: they touch the copy the pointer names, wherever
 * they run.  On two CPUs another task may run between two points of t
 * without a point of its own (a workload's store into its object), and
 * its accesses land in t's span: no two of the span's accesses may
 * conflict, so whatever of them is not t's commutes with t's.
 */
static bool cpu_oblivious(const struct sim_run_report *parent, const struct sim_choice_span *span)
{
	if (span->cpu_bound)
		return false;
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	bool oblivious = true;
	for (unsigned i = 0; i < span->accesses && oblivious; i++) {
		const struct sim_access *a =
		    &g_array_index(parent->accesses, struct sim_access, span->first + i);
		oblivious = !(a->key & (SIM_ACCESS_SYNC | SIM_ACCESS_PAGE_ALLOCATOR));
		for (unsigned w = 0; w < a->words && oblivious; w++) {
			gpointer key = (gpointer)(uintptr_t)(a->key + w);
			uintptr_t was = (uintptr_t)g_hash_table_lookup(seen, key);
			oblivious = !(was & 2) && !(was && a->writes);
			g_hash_table_insert(seen, key, (gpointer)(was | (a->writes ? 2u : 1u)));
		}
	}
	g_hash_table_destroy(seen);
	return oblivious;
}

/* After c, a migration: is every task on c's target CPU (cpus: where each is before it)? */
static bool together(const struct search *s, const struct sim_choice *c, const unsigned *cpus)
{
	for (unsigned i = 0; i < s->cfg->sc->nr_tasks; i++)
		if (i != c->task && cpus[i] != (unsigned)c->arg)
			return false;
	return true;
}

static const struct leaf_slot *equivalent_at_next(const struct search *s,
						  const struct sim_run_report *parent,
						  const struct sim_choice *c, GArray *next,
						  const unsigned *cpus)
{
	if (!next->len || c->index >= parent->spans->len)
		return NULL;
	bool migration = c->action == SIM_ACT_MIGRATE;
	if (c->action == SIM_ACT_FAIL) /* another allocation fails: never merged */
		return NULL;
	if (c->action == SIM_ACT_IRQ && !s->irqs)
		return NULL;
	if (migration ? !s->migrations || !together(s, c, cpus) : !s->reduce)
		return NULL;
	const struct sim_choice_span *span =
	    &g_array_index(parent->spans, struct sim_choice_span, c->index - 1);
	const struct sim_choice_span *after =
	    &g_array_index(parent->spans, struct sim_choice_span, c->index);
	if (span->mixed || after->task != span->task)
		return NULL;
	if (migration && !cpu_oblivious(parent, span))
		return NULL;
	for (unsigned i = 0; i < next->len; i++) {
		const struct leaf_slot *slot = &g_array_index(next, struct leaf_slot, i);
		if (slot->action == c->action && slot->arg == c->arg && slot->g)
			return independent(parent, span, slot->g) ? slot : NULL;
	}
	return NULL;
}

static void clear_slots(GArray *slots)
{
	for (unsigned i = 0; i < slots->len; i++) {
		struct leaf_slot *slot = &g_array_index(slots, struct leaf_slot, i);
		if (slot->g)
			g_hash_table_unref(slot->g);
		outcome_unref(slot->outcome);
	}
	g_array_set_size(slots, 0);
}

/*
 * --check-reduction: run a schedule the reduction counted as equivalent
 * anyway, and count it when its verdict, SLUB_STATS or points differ from the
 * run it stands for.
 */
static void check_equivalent(struct search *s, const struct outcome *expected)
{
	struct sim_run_report r;
	if (run_schedule(s, &r, false, false)) {
		s->res->reduction_checked++;
		if (!same_outcome(expected, &r))
			s->res->reduction_mismatches++;
		note_outcome(s, &r);
	}
	sim_run_report_free(&r);
}

/*
 * For a focused search (explore.h: only_points, only_kinds): which of r's
 * choices are the first of their task's in the run (a task's first choice
 * point may always act: the switch there is what reorders the tasks on a
 * CPU); NULL for a search that is not focused.
 */
static bool *task_starts(const struct sim_explore_config *cfg, const struct sim_run_report *r)
{
	if (!cfg->only_kinds)
		return NULL;
	bool *first = g_new0(bool, r->choices->len + 1);
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	uint64_t index = 0;
	bool open = false; /* the choice point being listed is its task's first */
	for (unsigned i = 0; i < r->choices->len; i++) {
		const struct sim_choice *c = &g_array_index(r->choices, struct sim_choice, i);
		if (c->index != index) {
			index = c->index;
			gpointer key = GUINT_TO_POINTER(c->task + 1);
			open = !g_hash_table_contains(seen, key);
			g_hash_table_add(seen, key);
		}
		first[i] = open;
	}
	g_hash_table_destroy(seen);
	return first;
}

/* May the focused search act at choice i of r (starts: task_starts(r))? */
static bool focused_out(const struct sim_explore_config *cfg, const struct sim_run_report *r,
			unsigned i, const bool *starts)
{
	const struct sim_choice *c = &g_array_index(r->choices, struct sim_choice, i);
	return cfg->only_kinds &&
	       (!(cfg->only_kinds >> c->action & 1) ||
		(!starts[i] && !sim_point_in(cfg->only_points, (unsigned)c->point)));
}

/*
 * A migration or interrupt leaf's run r ends far from the livelock bound,
 * even with its clocks later by every O of the parent's run (their cycles
 * add up to no more than the parent's CPUs ran): no call of r, or of a run
 * equivalent to it through a chain of O's, can reach the bound.  (An
 * interrupt moved from j + 1 to j moves the handler's cycles into another
 * call of t, which only that bound reads.)
 */
static bool clocks_far(const struct search *s, const struct sim_run_report *parent,
		       const struct sim_run_report *r)
{
	const struct sim_scenario *sc = s->cfg->sc;
	return r->end_cycles + (uint64_t)sc->cpus * parent->end_cycles < sc->livelock_cycles;
}

/* One last action of this pass, at choice c after the schedule in s->run, into slot. */
static void leaf(struct search *s, const struct sim_run_report *parent, const struct sim_choice *c,
		 GArray *next, const unsigned *cpus, struct leaf_slot *slot)
{
	struct sim_explore_run *run = &s->run;
	unsigned n = run->inject.nr_steps;
	run->steps[n] = (struct sim_step_action){ c->index, c->action, c->arg };
	run->inject.nr_steps = n + 1;
	const struct leaf_slot *same = equivalent_at_next(s, parent, c, next, cpus);
	if (same) {
		s->res->bound_schedules[s->bound]++;
		s->res->bound_equivalent[s->bound]++;
		/*
		 * G carried back: this leaf's G is the next one's, plus what
		 * the others did in this span without a point of their own (W,
		 * which this leaf's run has after its migration and the next
		 * leaf's has before it).  W is not recorded apart from t's own
		 * accesses: a span with any is a G not known, ending the chain.
		 */
		const struct sim_choice_span *span =
		    &g_array_index(parent->spans, struct sim_choice_span, c->index - 1);
		slot->g = span->foreign ? NULL : g_hash_table_ref(same->g);
		slot->outcome = outcome_ref(same->outcome);
		if (s->cfg->check_reduction)
			check_equivalent(s, same->outcome);
	} else {
		struct sim_run_report r;
		bool watch = s->reduce || s->migrations;
		if (run_schedule(s, &r, false, watch)) {
			bool keep = c->action == SIM_ACT_PREEMPT || clocks_far(s, parent, &r);
			slot->g = watch && keep ? watched_words(&r) : NULL;
			slot->outcome = s->cfg->check_reduction ? outcome_of(&r) : NULL;
			count(s, &r);
		}
		sim_run_report_free(&r);
	}
	run->inject.nr_steps = n;
}

/*
 * Where each task is after the schedule in s->run (parent: its run): its
 * scenario CPU, moved by each of the schedule's migrations (whose task the
 * parent's choice at that index names).
 */
static unsigned *task_cpus(const struct search *s, const struct sim_run_report *parent)
{
	const struct sim_scenario *sc = s->cfg->sc;
	unsigned *cpus = g_new0(unsigned, sc->nr_tasks);
	for (unsigned i = 0; i < sc->nr_tasks; i++)
		cpus[i] = (unsigned)sc->tasks[i].cpu;
	unsigned c = 0;
	for (unsigned i = 0; i < s->run.inject.nr_steps; i++) {
		const struct sim_step_action *a = &s->run.steps[i];
		if (a->action != SIM_ACT_MIGRATE)
			continue;
		while (c < parent->choices->len &&
		       g_array_index(parent->choices, struct sim_choice, c).index < a->step)
			c++;
		const struct sim_choice *at = &g_array_index(parent->choices, struct sim_choice, c);
		g_assert(c < parent->choices->len && at->index == a->step);
		cpus[at->task] = (unsigned)a->arg;
	}
	return cpus;
}

/* The last actions of this pass after parent's schedule: from the latest choice point back. */
static void leaves(struct search *s, const struct sim_run_report *parent)
{
	unsigned n = s->run.inject.nr_steps;
	uint64_t after = n ? s->run.steps[n - 1].step : 0;
	unsigned *cpus = s->migrations ? task_cpus(s, parent) : NULL;
	/* The slots of the choice point being tried (here) and of the one after it (next). */
	GArray *next = g_array_new(FALSE, FALSE, sizeof(struct leaf_slot));
	GArray *here = g_array_new(FALSE, FALSE, sizeof(struct leaf_slot));
	uint64_t here_index = 0;
	bool *starts = task_starts(s->cfg, parent);
	for (unsigned i = parent->choices->len; i-- > 0 && !s->stop;) {
		const struct sim_choice *c = &g_array_index(parent->choices, struct sim_choice, i);
		if (c->index <= after)
			break;
		if (focused_out(s->cfg, parent, i, starts))
			continue;
		if (c->index != here_index) {
			GArray *done = next;
			next = here;
			here = done;
			clear_slots(here);
			if (here_index != c->index + 1)
				clear_slots(next);
			here_index = c->index;
		}
		if (!budget_left(s)) {
			s->stop = true;
			break;
		}
		struct leaf_slot slot = { c->action, c->arg, NULL, NULL };
		leaf(s, parent, c, next, cpus, &slot);
		g_array_append_val(here, slot);
	}
	g_free(starts);
	g_free(cpus);
	clear_slots(next);
	clear_slots(here);
	g_array_free(next, TRUE);
	g_array_free(here, TRUE);
}

/*
 * Subtrees (two tasks on the CPU).  Let X and Y be the inner schedules
 * S + a at j + 1 and S + a at j, where only t ran from j to j + 1 (O), a
 * preempts t, and O commutes with G, what the other task did in X's run
 * until t ran again (as leaves() tests it).  Every schedule X + R is then
 * equivalent to one Y + R' with as many actions: R's actions at the same
 * points of the same tasks.  Up to t's return only the other task runs
 * (there is no third one), and it runs a prefix of G, so O commutes with
 * it and t meets the same state after it in both; from there the runs are
 * the same, Y's passing t's choice point j + 1 once more.  So X's subtree
 * holds nothing Y's does not, and Y's comes first (choices run forward
 * here): X's leaves are counted as equivalent, its inner schedules run
 * again only to count them, and the first violation is the one the
 * unreduced search finds first.  An O that touches no shared word (pure
 * local computation) commutes with anything, so with an empty O the
 * argument needs neither G nor two tasks.  With check_reduction every skipped leaf
 * runs, and so does the leaf of Y's subtree it maps to (struct
 * subtree_map): both must show the same outcome (verdict, SLUB_STATS,
 * points), one a leaf of this pass showed.
 *
 * "The other task runs a prefix of G" needs R to stop G only by
 * preempting it: an interrupt or a fail action of R inside G makes the
 * other task (or a handler) do what X's run never showed, which O need
 * not commute with.  So every choice of another context in X's run from
 * j + 1 to t's next choice point must offer preemptions only
 * (cut_only_by_preemption()); t's own later actions come after the runs
 * meet.  An interrupt a at j + 1 (one CPU, as in leaves()) has G = its
 * handler, which runs whole before t runs again and then returns to t,
 * whatever the number of tasks: with no choice inside the handler (none
 * but a fail action is possible there) X's and Y's runs meet where t
 * resumes after O, and R's actions follow at the same points.  A fail
 * action a is never covered: it fails another allocation.
 */

/*
 * In x's run, from choice point `from` up to t's next one: does every
 * choice point of another context offer preemptions only?
 */
static bool cut_only_by_preemption(const struct sim_run_report *x, uint64_t from, unsigned t)
{
	for (unsigned i = 0; i < x->choices->len; i++) {
		const struct sim_choice *c = &g_array_index(x->choices, struct sim_choice, i);
		if (c->index <= from)
			continue;
		if (c->task == t)
			return true;
		if (c->action != SIM_ACT_PREEMPT)
			return false;
	}
	return true;
}

static bool covered_by_earlier(const struct search *s, const struct sim_run_report *parent,
			       unsigned i, const struct sim_run_report *x)
{
	const struct sim_choice *c = &g_array_index(parent->choices, struct sim_choice, i);
	unsigned n = s->run.inject.nr_steps; /* c is the last of them */
	uint64_t after = n > 1 ? s->run.steps[n - 2].step : 0;
	/* Y is a child of S too (j after S's last action). */
	if (!s->subtrees || c->index < 2 || c->index - 1 <= after || c->index > parent->spans->len)
		return false;
	bool irq = c->action == SIM_ACT_IRQ;
	if (c->action != SIM_ACT_PREEMPT && (!irq || !s->irqs))
		return false;
	const struct sim_choice_span *span =
	    &g_array_index(parent->spans, struct sim_choice_span, c->index - 2);
	const struct sim_choice_span *at =
	    &g_array_index(parent->spans, struct sim_choice_span, c->index - 1);
	if (span->mixed || at->task != span->task)
		return false;
	/* An O that touches nothing commutes with whatever runs, a third task too. */
	bool empty = !span->accesses;
	if (!empty && ((!irq && !s->prune) || !x->watch_closed ||
		       !cut_only_by_preemption(x, c->index, span->task)))
		return false;
	bool same_action = false; /* Y: the same action at j */
	for (unsigned e = i; e-- > 0 && !same_action;) {
		const struct sim_choice *y = &g_array_index(parent->choices, struct sim_choice, e);
		if (y->index < c->index - 1)
			break;
		same_action =
		    y->index == c->index - 1 && y->action == c->action && y->arg == c->arg;
	}
	if (!same_action)
		return false;
	if (empty)
		return true;
	GHashTable *g = watched_words(x);
	bool commute = independent(parent, span, g);
	g_hash_table_unref(g);
	return commute;
}

/*
 * check_reduction: where a leaf of X's subtree maps to in Y's (above).
 * Choice points are counted per run.  In X's run t's choice point j + 1
 * comes before G's, in Y's after them: t reaches it again when it resumes
 * to run O.  So an action of R at a choice point of G (before t runs
 * again) is one choice point earlier in Y, as a is; from t's return the
 * runs count alike if Y's t, back at j + 1's point, counts it again.  It
 * does when an action is possible there: one that is not a preemption
 * (the same in both runs: t's state is), or a preemption, when a task
 * waits on the CPU as t returns (as it does where X's t next reaches a
 * choice point: on one CPU only t runs until then).  If none is, every
 * later action of R is one choice point earlier in Y too.  t returns after
 * choice point `close` of the run (report->watch_closed_at for X's; after
 * an action of R inside G, just before t's next choice point, as on one
 * CPU t runs on to it: were t to block first, a leaf would be compared
 * with a neighbour of its image).
 */
struct subtree_map {
	unsigned a_at;	/* a's place in the schedule */
	unsigned task;	/* t */
	uint64_t close; /* the last choice point before t runs again */
	unsigned moved; /* R's first actions that fall inside G */
	bool open;	/* every action of R so far is inside G */
	bool other;	/* j + 1 offers an action that is not a preemption */
	bool recount;	/* Y's t counts j + 1's point again as it returns */
};

/* At choice point `index` of r's run, does t have an action of kind (other: of another kind)? */
static bool offers(const struct sim_run_report *r, uint64_t index, unsigned t,
		   enum sim_action_kind kind, bool other)
{
	for (unsigned i = 0; i < r->choices->len; i++) {
		const struct sim_choice *c = &g_array_index(r->choices, struct sim_choice, i);
		if (c->index == index && c->task == t && (c->action == kind) != other)
			return true;
	}
	return false;
}

/* In r's run, the last choice point before t's first one after `after`. */
static uint64_t resumes_after(const struct sim_run_report *r, uint64_t after, unsigned t)
{
	for (uint64_t i = after; i < r->spans->len; i++)
		if (g_array_index(r->spans, struct sim_choice_span, i).task == t)
			return i;
	return UINT64_MAX;
}

/*
 * check_reduction: run the leaf in s->run and the schedule of Y's subtree
 * it maps to (m), and count a mismatch unless both show the same outcome
 * and it is one a leaf of this pass showed.
 */
static void check_mapped_leaf(struct search *s, const struct subtree_map *m)
{
	struct sim_explore_run *run = &s->run;
	struct sim_run_report x, y;
	if (!run_schedule(s, &x, false, false)) {
		sim_run_report_free(&x);
		return;
	}
	uint64_t key = outcome_key(&x);
	struct outcome *o = outcome_of(&x);
	sim_run_report_free(&x);
	unsigned n = run->inject.nr_steps;
	unsigned upto = m->recount ? m->a_at + m->moved + 1 : n;
	for (unsigned i = m->a_at; i < upto; i++)
		run->steps[i].step--;
	bool ran = run_schedule(s, &y, false, false);
	for (unsigned i = m->a_at; i < upto; i++)
		run->steps[i].step++;
	if (ran) {
		s->res->reduction_checked++;
		if (!g_hash_table_contains(s->outcomes, &key) || !same_outcome(o, &y))
			s->res->reduction_mismatches++;
	}
	sim_run_report_free(&y);
	outcome_unref(o);
}

/* The leaves of x's subtree (x: s->run's schedule, run), counted as equivalent. */
static void skip_subtree(struct search *s, const struct sim_run_report *x,
			 const struct subtree_map *m)
{
	struct sim_explore_run *run = &s->run;
	unsigned n = run->inject.nr_steps;
	uint64_t after = run->steps[n - 1].step;
	for (unsigned i = 0; i < x->choices->len && !s->stop; i++) {
		const struct sim_choice *c = &g_array_index(x->choices, struct sim_choice, i);
		if (c->index <= after)
			continue;
		if (!budget_left(s)) {
			s->stop = true;
			break;
		}
		run->steps[n] = (struct sim_step_action){ c->index, c->action, c->arg };
		run->inject.nr_steps = n + 1;
		struct subtree_map child = *m;
		child.open = m->open && c->index <= m->close;
		child.moved += child.open;
		if (s->outcomes && m->open && !child.open) /* R's first after t's return */
			child.recount =
			    m->other || offers(x, m->close + 1, m->task, SIM_ACT_PREEMPT, false);
		struct sim_run_report r;
		if (n + 1 == s->bound) {
			s->res->bound_schedules[s->bound]++;
			s->res->bound_equivalent[s->bound]++;
			if (s->outcomes)
				check_mapped_leaf(s, &child);
		} else {
			if (run_schedule(s, &r, true, false)) {
				s->res->reruns++;
				if (child.open)
					child.close = resumes_after(&r, c->index, child.task);
				skip_subtree(s, &r, &child);
			}
			sim_run_report_free(&r);
		}
		run->inject.nr_steps = n;
	}
}

static void visit(struct search *s);

/* The extensions of s->run's schedule, whose run (parent) ran clean at its own bound. */
static void expand(struct search *s, const struct sim_run_report *parent)
{
	struct sim_explore_run *run = &s->run;
	unsigned n = run->inject.nr_steps;
	s->res->reruns++;
	if (n + 1 == s->bound) {
		leaves(s, parent);
		return;
	}
	uint64_t after = n ? run->steps[n - 1].step : 0;
	/* A focused search is never reduced (its cfg->reduce is off): no subtree is skipped. */
	bool *starts = task_starts(s->cfg, parent);
	for (unsigned i = 0; i < parent->choices->len && !s->stop; i++) {
		const struct sim_choice *c = &g_array_index(parent->choices, struct sim_choice, i);
		if (c->index <= after)
			continue;
		if (focused_out(s->cfg, parent, i, starts))
			continue;
		run->steps[n] = (struct sim_step_action){ c->index, c->action, c->arg };
		run->inject.nr_steps = n + 1;
		if (!s->subtrees) {
			visit(s);
			continue;
		}
		if (!budget_left(s)) {
			s->stop = true;
			break;
		}
		struct sim_run_report r;
		if (run_schedule(s, &r, true, true)) {
			if (covered_by_earlier(s, parent, i, &r)) {
				struct subtree_map m = {
					.a_at = n,
					.task = c->task,
					.close = r.watch_closed ? r.watch_closed_at : UINT64_MAX,
					.open = true,
					.other = s->outcomes && offers(parent, c->index, c->task,
								       SIM_ACT_PREEMPT, true),
				};
				s->res->subtrees_skipped++;
				skip_subtree(s, &r, &m);
			} else
				expand(s, &r);
		}
		sim_run_report_free(&r);
	}
	g_free(starts);
	run->inject.nr_steps = n;
}

/*
 * Run the schedule in s->run: count it if it has this pass's size, else
 * list its run's choices and try each extension.
 */
static void visit(struct search *s)
{
	struct sim_explore_run *run = &s->run;
	unsigned n = run->inject.nr_steps;
	if (!budget_left(s)) {
		s->stop = true;
		return;
	}
	struct sim_run_report r;
	if (run_schedule(s, &r, n < s->bound, false)) {
		if (n == s->bound)
			count(s, &r);
		else
			expand(s, &r);
	}
	sim_run_report_free(&r);
}

/*
 * Subtrees behind a preemption whose O touches memory commute only with two
 * tasks (covered_by_earlier; behind an interrupt the handler is G, whatever
 * the number of tasks).
 */
static bool can_prune(const struct sim_explore_config *cfg)
{
	return cfg->sc->nr_tasks == 2;
}

/* A periodic interrupt's clock decides where it fires: no reduction then. */
static bool periodic_irqs(const struct sim_scenario *sc)
{
	for (unsigned i = 0; i < sc->nr_irqs; i++)
		if (sim_params_int(&sc->irqs[i].params, "period") > 0)
			return true;
	return false;
}

/*
 * One CPU: every task starts on the same CPU and none is migrated.  The
 * others run nothing: an injected interrupt is delivered to the CPU of
 * the task it interrupts (a source with cpu = -1 too), only periodic ones
 * fire elsewhere (they turn the reduction off), and flush_all from a task
 * is not modelled (port_sim.c, s_on_each_cpu).  A flush on 5.15's slow
 * path wakes the CPU's kworker (sim/engine/kworker.c): a context the
 * rules below do not count (the subtree rule's two tasks; what runs until
 * the preempted task's next choice), so no reduction where one can run.
 */
static bool one_cpu(const struct sim_explore_config *cfg)
{
	const struct sim_scenario *sc = cfg->sc;
	if (sc->inject.kinds[SIM_ACT_MIGRATE])
		return false;
	if (cfg->design->slow_path == SLAB_SLOW_LOCAL_LOCK)
		for (unsigned i = 0; i < sc->nr_irqs; i++)
			if (sc->irqs[i].workload->flushes)
				return false;
	if (sc->cpus == 1)
		return true;
	for (unsigned i = 0; i < sc->nr_tasks; i++)
		if (sc->tasks[i].cpu < 0 || sc->tasks[i].cpu != sc->tasks[0].cpu)
			return false;
	return true;
}

/*
 * The reduction holds on one CPU with no periodic interrupt, for
 * preemptions and injected interrupts, whatever fail actions the prefix
 * took (leaves(), covered_by_earlier()).
 */
static bool can_reduce(const struct sim_explore_config *cfg)
{
	return cfg->reduce && one_cpu(cfg) && !periodic_irqs(cfg->sc);
}

/*
 * The interrupt rule holds for the port's designs.  A kernel design's
 * handler and the task it interrupts also change state outside points
 * (the SLUB_STATS adds, this_cpu operations the shim does inline:
 * kernel_machine.c), which neither O nor G records: on race-node cut to
 * one round, linux-6.1 and linux-6.12 at bound 2 showed 8 and 20 skipped
 * schedules with another outcome (--check-reduction), where preemptions
 * alone and failures showed none.
 */
static bool can_reduce_irqs(const struct sim_explore_config *cfg)
{
	return can_reduce(cfg) && !cfg->design->kernel;
}

/*
 * The migration rule (equivalent_at_next) where no interrupt or failure is
 * injected and no periodic interrupt fires, for the port's designs on one
 * node: a kernel design reads its CPU outside points (this_cpu_write, the
 * SLUB_STATS adds), and a workload may read its node, the same on every
 * CPU only when there is one node.
 */
static bool can_reduce_migrations(const struct sim_explore_config *cfg)
{
	const struct sim_scenario *sc = cfg->sc;
	if (!cfg->reduce || !sc->inject.kinds[SIM_ACT_MIGRATE] || sc->inject.kinds[SIM_ACT_IRQ] ||
	    sc->inject.kinds[SIM_ACT_FAIL] || sc->nodes > 1 || cfg->design->kernel ||
	    periodic_irqs(sc))
		return false;
	for (unsigned i = 0; i < sc->nr_tasks; i++)
		if (sc->tasks[i].cpu < 0)
			return false;
	return true;
}

bool sim_explore_exhaustive(const struct sim_explore_config *cfg, struct sim_explore_result *res,
			    char *err, unsigned err_len)
{
	memset(res, 0, sizeof(*res));
	if (cfg->bound > SIM_MAX_STEP_ACTIONS) {
		snprintf(err, err_len, "exhaustive: bound: expected 0 .. %d actions, got %u",
			 SIM_MAX_STEP_ACTIONS, cfg->bound);
		return false;
	}
	if (cfg->jobs > 1 || cfg->shards > 1) {
		snprintf(err, err_len,
			 "exhaustive: the search runs in one process (--jobs 1, no --shard)");
		return false;
	}
	struct search s = { .cfg = cfg, .res = res, .err = err, .err_len = err_len };
	/*
	 * The tree's schedules are distinct by construction (each child's
	 * decision list differs), so only the self-check keeps their hashes
	 * to count the distinct ones: a long search runs in bounded memory.
	 */
	if (cfg->check_reduction)
		s.schedules = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	s.t0 = s.last_progress = sim_explore_now();
	s.reduce = can_reduce(cfg);
	s.irqs = can_reduce_irqs(cfg);
	s.migrations = can_reduce_migrations(cfg);
	res->reduced = s.reduce || s.migrations;
	s.subtrees = res->pruned = s.reduce && !cfg->reduce_leaves_only;
	s.prune = s.subtrees && can_prune(cfg);
	sim_explore_plan(cfg, 0, 0, &s.run);
	for (unsigned c = 0; c <= cfg->bound && !s.stop; c++) {
		s.bound = c;
		s.run.inject.nr_steps = 0;
		if (s.subtrees && cfg->check_reduction)
			s.outcomes =
			    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
		visit(&s);
		if (s.outcomes)
			g_hash_table_destroy(s.outcomes);
		s.outcomes = NULL;
		if (!s.stop || (res->found && !s.out_of_budget)) {
			/* This bound is done: every schedule of its size ran (or one failed). */
			res->bound_seconds[c] = sim_explore_now() - s.t0;
			res->bounds_done = c + 1;
		}
	}
	progress(&s, true);
	res->schedules = s.schedules ? g_hash_table_size(s.schedules) : res->runs;
	if (s.schedules)
		g_hash_table_destroy(s.schedules);
	res->seconds = sim_explore_now() - s.t0;
	res->interrupted = sim_explore_stopped();
	return !s.failed;
}
