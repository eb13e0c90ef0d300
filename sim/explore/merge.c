/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * merge.c - shards' results into one process's (merge.h): the checks that
 * they belong together, the cut at the first violation, the blocks added
 * up and the one cut block run again.
 */
#include <stdio.h>
#include <string.h>

#include "merge.h"
#include "schedule.h"

/* "FILE: FIELD: expected A (as in FILE0), found B", false. */
static bool differ(char *err, unsigned err_len, const struct sim_result *r,
		   const struct sim_result *ref, const char *field, const char *want,
		   const char *got)
{
	snprintf(err, err_len,
		 "%s: %s: expected %s (as in %s), found %s: results of different explorations "
		 "cannot be merged",
		 r->file ? r->file : "result", field, want, ref->file ? ref->file : "result", got);
	return false;
}

#define SAME_U64(field, a, b)                                                            \
	do {                                                                             \
		if ((a) != (b)) {                                                        \
			char want_[32], got_[32];                                        \
			snprintf(want_, sizeof(want_), "%llu", (unsigned long long)(b)); \
			snprintf(got_, sizeof(got_), "%llu", (unsigned long long)(a));   \
			return differ(err, err_len, r, ref, field, want_, got_);         \
		}                                                                        \
	} while (0)

#define SAME_STR(field, a, b)                                             \
	do {                                                              \
		if (strcmp((a), (b)))                                     \
			return differ(err, err_len, r, ref, field, b, a); \
	} while (0)

/* r and ref explore the same thing: scenario, build, settings, split, designs. */
static bool same_exploration(const struct sim_result *r, const struct sim_result *ref, char *err,
			     unsigned err_len)
{
	const struct sim_result_settings *a = &r->settings, *b = &ref->settings;
	SAME_STR("build", r->build, ref->build);
	SAME_STR("scenario.sha256", r->scenario_sha256, ref->scenario_sha256);
	SAME_STR("settings.scheduler", a->scheduler, b->scheduler);
	if (a->probability != b->probability || a->time_budget != b->time_budget) {
		char want[32], got[32];
		bool p = a->probability != b->probability;
		snprintf(want, sizeof(want), "%g", p ? b->probability : b->time_budget);
		snprintf(got, sizeof(got), "%g", p ? a->probability : a->time_budget);
		return differ(err, err_len, r, ref,
			      p ? "settings.probability" : "settings.time_budget", want, got);
	}
	SAME_U64("settings.depth", a->depth, b->depth);
	SAME_U64("settings.bound", a->bound, b->bound);
	SAME_U64("settings.window[0]", a->window_from, b->window_from);
	SAME_U64("settings.window[1]", a->window_to, b->window_to);
	SAME_U64("settings.master_seed", a->master_seed, b->master_seed);
	SAME_U64("settings.runs", a->runs, b->runs);
	SAME_U64("shard.count", r->shards, ref->shards);
	SAME_U64("designs (how many)", r->designs->len, ref->designs->len);
	for (unsigned i = 0; i < r->designs->len; i++) {
		const struct sim_result_design *d = g_ptr_array_index(r->designs, i),
					       *e = g_ptr_array_index(ref->designs, i);
		char f[64];
		snprintf(f, sizeof(f), "designs[%u].design", i);
		SAME_STR(f, d->design, e->design);
		snprintf(f, sizeof(f), "designs[%u].block_runs", i);
		SAME_U64(f, d->block_runs, e->block_runs);
		if (!sim_result_started(d) || !sim_result_started(e))
			continue; /* k and a bounded budget are measured when a design starts */
		snprintf(f, sizeof(f), "designs[%u].k", i);
		SAME_U64(f, d->k, e->k);
		snprintf(f, sizeof(f), "designs[%u].budget", i);
		SAME_U64(f, d->budget, e->budget);
	}
	return true;
}

/* A shard's runs of design i are the ones it says: its indices, in order, counted in blocks. */
static bool consistent(const struct sim_result *r, unsigned i, char *err, unsigned err_len)
{
	const struct sim_result_design *d = g_ptr_array_index(r->designs, i);
	uint64_t share = d->budget / r->shards + (r->shard < d->budget % r->shards);
	const char *why = NULL;
	if (d->first != r->shard || d->stride != r->shards || d->count > share)
		why = "done: expected the shard's indices (first = shard index, stride = shard "
		      "count, count at most its share of the budget)";
	uint64_t runs = 0;
	for (unsigned j = 0; !why && j < d->blocks->len; j++)
		runs += g_array_index(d->blocks, struct sim_result_block, j).runs;
	if (!why && runs != d->count)
		why = "blocks: expected as many runs in the blocks as done.count";
	if (!why && (uint64_t)d->blocks->len * d->block_runs > d->budget + d->block_runs)
		why = "blocks: expected no more blocks than the budget has";
	if (!why && d->totals.found && d->find.run != d->first + d->stride * (d->count - 1))
		why = "find.run: expected the last run done (a shard stops at its first find)";
	if (why)
		snprintf(err, err_len, "%s: designs[%u].%s", r->file ? r->file : "result", i, why);
	return !why;
}

bool sim_merge_config(const struct sim_result *r, const struct sim_scenario *sc, const char *design,
		      struct sim_explore_config *cfg, char *err, unsigned err_len)
{
	const struct sim_result_settings *s = &r->settings;
	memset(cfg, 0, sizeof(*cfg));
	cfg->sc = sc;
	cfg->design = design ? slab_design_find(design) : NULL;
	bool known = sim_explore_scheduler_find(s->scheduler, &cfg->scheduler);
	if (!known || (design && !cfg->design)) {
		snprintf(err, err_len, "%s: %s: expected %s, found '%s'", r->file,
			 !known ? "settings.scheduler" : "designs[].design",
			 !known ? "random, pct or bounded" : "a design of this build",
			 !known ? s->scheduler : design);
		return false;
	}
	cfg->probability = s->probability;
	cfg->depth = s->depth;
	cfg->bound = s->bound;
	cfg->window_from = s->window_from;
	cfg->window_to = s->window_to;
	cfg->master_seed = s->master_seed;
	cfg->runs = s->runs;
	cfg->seconds = s->time_budget;
	cfg->jobs = 1;
	cfg->shard = 0;
	cfg->shards = 1;
	return true;
}

/* Shard s (of n) did indices s, s + n, ... up to last; is one of them in [from, to)? */
static bool did_any(uint64_t s, uint64_t n, uint64_t count, uint64_t from, uint64_t to)
{
	if (!count)
		return false;
	uint64_t i = from + (s + n - from % n) % n; /* the first index >= from of shard s */
	return i < to && i <= s + n * (count - 1);
}

/* Block j of every shard added into o's block j; schedules not seen before. */
static void add_block(struct sim_result_design *o, struct sim_result *const *in, unsigned n,
		      unsigned i, uint64_t j)
{
	struct sim_result_block *b = sim_result_block_at(o, j);
	GArray *fresh = g_array_new(FALSE, FALSE, 8);
	for (unsigned r = 0; r < n; r++) {
		const struct sim_result_design *d = g_ptr_array_index(in[r]->designs, i);
		if (j >= d->blocks->len)
			continue;
		const struct sim_result_block *x =
		    &g_array_index(d->blocks, struct sim_result_block, j);
		b->runs += x->runs;
		b->points += x->points;
		b->preemptions += x->preemptions;
		b->migrations += x->migrations;
		b->interrupts += x->interrupts;
		b->failures += x->failures;
		for (unsigned pt = 0; pt < SLAB_POINT_COUNT; pt++) {
			b->executed[pt] += x->executed[pt];
			b->decided[pt] += x->decided[pt];
		}
		for (unsigned h = 0; h < x->schedules->len; h++) {
			uint64_t hash = g_array_index(x->schedules, uint64_t, h);
			if (!g_hash_table_contains(o->seen, &hash)) {
				g_hash_table_add(o->seen, g_memdup2(&hash, 8));
				g_array_append_val(fresh, hash);
			}
		}
	}
	g_array_free(b->schedules, TRUE);
	b->schedules = fresh; /* sorted with the others at the end */
}

static struct sim_result_find *copy_find(const struct sim_result_find *f)
{
	struct sim_result_find *c = g_new(struct sim_result_find, 1);
	sim_result_find_copy(c, f);
	return c;
}

static void free_find(gpointer f)
{
	sim_result_find_free(f);
	g_free(f);
}

/* The totals and coverage of o from its blocks, as sim_explore adds them up. */
static void sum_blocks(struct sim_result_design *o)
{
	struct sim_explore_result *t = &o->totals;
	for (unsigned j = 0; j < o->blocks->len; j++) {
		const struct sim_result_block *b =
		    &g_array_index(o->blocks, struct sim_result_block, j);
		t->runs += b->runs;
		t->points += b->points;
		t->preemptions += b->preemptions;
		t->migrations += b->migrations;
		t->interrupts += b->interrupts;
		t->failures += b->failures;
		for (unsigned pt = 0; pt < SLAB_POINT_COUNT; pt++) {
			t->point_runs[pt] += b->executed[pt];
			t->point_decided_runs[pt] += b->decided[pt];
		}
	}
	t->schedules = g_hash_table_size(o->seen);
}

/* Design i as a shard that started it has it (k, budget), or as in[0] if none did. */
static const struct sim_result_design *started(struct sim_result *const *in, unsigned n, unsigned i)
{
	for (unsigned r = 0; r < n; r++)
		if (sim_result_started(g_ptr_array_index(in[r]->designs, i)))
			return g_ptr_array_index(in[r]->designs, i);
	return g_ptr_array_index(in[0]->designs, i);
}

/*
 * Where design i's counted runs end: the earliest find (*finder: its
 * result), or the first index no shard ran (*gap), or the budget.
 */
static uint64_t cut(struct sim_result *const *in, unsigned n, unsigned i, const bool *present,
		    unsigned shards, const struct sim_result **finder, uint64_t *gap)
{
	uint64_t budget = started(in, n, i)->budget, find = UINT64_MAX;
	*gap = budget;
	*finder = NULL;
	for (unsigned s = 0; s < shards && s < budget; s++)
		if (!present[s] && s < *gap)
			*gap = s;
	for (unsigned r = 0; r < n; r++) {
		const struct sim_result_design *d = g_ptr_array_index(in[r]->designs, i);
		uint64_t next = d->first + d->stride * d->count; /* its first index not run */
		if (d->totals.found && d->find.run < find) {
			find = d->find.run;
			*finder = in[r];
		} else if (!d->totals.found && next < *gap && next < budget) {
			*gap = next; /* stopped early: by time or a signal */
		}
	}
	if (*finder && find < *gap)
		return find + 1;
	*finder = NULL;
	return *gap;
}

/* Design i of the shards merged into o, cut at end (runs [0, end)); false if a rerun failed. */
static bool merge_design(struct sim_result *const *in, unsigned n, unsigned i,
			 const struct sim_scenario *sc, uint64_t end, struct sim_result_design *o,
			 struct sim_merge_design *md, char *err, unsigned err_len)
{
	uint64_t b = o->block_runs, full = end / b;
	for (uint64_t j = 0; j < full; j++)
		add_block(o, in, n, i, j);
	if (end > full * b) {
		/* The block the cut falls in: as the shards have it, unless one ran past the cut.
		 */
		bool past = false;
		for (unsigned r = 0; r < n; r++) {
			const struct sim_result_design *d = g_ptr_array_index(in[r]->designs, i);
			past |= did_any(d->first, d->stride, d->count, end, (full + 1) * b);
		}
		if (!past) {
			add_block(o, in, n, i, full);
		} else {
			struct sim_explore_config cfg;
			if (!sim_merge_config(in[0], sc, o->design, &cfg, err, err_len))
				return false;
			for (uint64_t x = full * b; x < end; x++) {
				struct sim_explore_record rec;
				if (!sim_explore_one(&cfg, o->k, x, &rec, err, err_len))
					return false;
				sim_result_add_record(o, &rec);
				md->rerun++;
			}
		}
	}
	sum_blocks(o);
	sim_result_sort_blocks(o);
	return true;
}

/* Every result against the first, every shard once; present[s]: shard s has a result. */
static bool check_inputs(struct sim_result *const *in, unsigned n, const struct sim_scenario *sc,
			 bool *present, char *err, unsigned err_len)
{
	const struct sim_result *ref = in[0];
	if (strcmp(ref->build, sim_build_id())) {
		snprintf(err, err_len,
			 "%s: build: expected this program's build %s, found %s: the runs a merge "
			 "makes again must be the shards' runs",
			 ref->file, sim_build_id(), ref->build);
		return false;
	}
	if (strcmp(ref->scenario_sha256, sc->hash)) {
		snprintf(err, err_len,
			 "%s: scenario.sha256: expected %s, the sha256 of %s now, found %s: the "
			 "scenario changed since the shards ran",
			 ref->file, sc->hash, sc->path, ref->scenario_sha256);
		return false;
	}
	for (unsigned r = 0; r < n; r++) {
		if (r && !same_exploration(in[r], ref, err, err_len))
			return false;
		if (present[in[r]->shard]) {
			unsigned other = 0;
			while (in[other]->shard != in[r]->shard)
				other++;
			snprintf(err, err_len,
				 "%s: shard: %u/%u, the same shard as %s: overlapping shards",
				 in[r]->file, in[r]->shard, in[r]->shards, in[other]->file);
			return false;
		}
		present[in[r]->shard] = true;
		for (unsigned i = 0; i < in[r]->designs->len; i++)
			if (!consistent(in[r], i, err, err_len))
				return false;
	}
	return true;
}

bool sim_merge(struct sim_result *const *in, unsigned n, const struct sim_scenario *sc,
	       struct sim_result *out, struct sim_merge_report *rep, char *err, unsigned err_len)
{
	memset(out, 0, sizeof(*out));
	memset(rep, 0, sizeof(*rep));
	if (!n) {
		snprintf(err, err_len, "no result files");
		return false;
	}
	const struct sim_result *ref = in[0];
	unsigned shards = ref->shards;
	bool *present = g_new0(bool, shards);
	bool ok = check_inputs(in, n, sc, present, err, err_len);
	if (!ok) {
		g_free(present);
		return false;
	}
	rep->missing = g_new0(unsigned, shards);
	for (unsigned s = 0; s < shards; s++)
		if (!present[s])
			rep->missing[rep->nr_missing++] = s;
	out->build = g_strdup(ref->build);
	out->scenario_path = g_strdup(ref->scenario_path);
	out->scenario_name = g_strdup(ref->scenario_name);
	g_strlcpy(out->scenario_sha256, ref->scenario_sha256, sizeof(out->scenario_sha256));
	out->settings = ref->settings;
	out->shard = 0;
	out->shards = 1;
	out->designs = g_ptr_array_new();
	rep->nr_designs = ref->designs->len;
	rep->designs = g_new0(struct sim_merge_design, rep->nr_designs);
	for (unsigned i = 0; ok && i < ref->designs->len; i++) {
		const struct sim_result_design *d0 = started(in, n, i);
		struct sim_merge_design *md = &rep->designs[i];
		const struct sim_result *finder;
		uint64_t gap;
		uint64_t end = cut(in, n, i, present, shards, &finder, &gap);
		struct sim_result_design *o =
		    sim_result_add_design(out, d0->design, d0->block_runs);
		o->k = d0->k;
		o->budget = d0->budget;
		o->first = 0;
		o->stride = 1;
		o->count = end;
		o->totals.k = d0->k;
		md->complete = finder || end == d0->budget;
		md->gap = gap;
		md->later = g_ptr_array_new_with_free_func(free_find);
		for (unsigned r = 0; r < n; r++) {
			const struct sim_result_design *d = g_ptr_array_index(in[r]->designs, i);
			o->totals.seconds += d->totals.seconds;
			if (d->totals.found && d->find.run >= end)
				g_ptr_array_add(md->later, copy_find(&d->find));
		}
		if (finder) {
			const struct sim_result_design *fd = g_ptr_array_index(finder->designs, i);
			o->totals.found = true;
			o->totals.found_index = fd->totals.found_index;
			o->totals.found_seed = fd->totals.found_seed;
			g_strlcpy(o->totals.kind, fd->totals.kind, sizeof(o->totals.kind));
			o->totals.workload_bug = fd->totals.workload_bug;
			sim_result_find_copy(&o->find, &fd->find);
		}
		g_strlcpy(o->stopped,
			  finder	      ? "find"
			  : end == d0->budget ? "budget"
					      : "incomplete",
			  sizeof(o->stopped));
		ok = merge_design(in, n, i, sc, end, o, md, err, err_len);
		if (ok && o->totals.runs != end) {
			snprintf(err, err_len,
				 "%s: designs[%u].blocks: the shards' blocks hold %llu runs below "
				 "index %llu, expected %llu",
				 ref->file, i, (unsigned long long)o->totals.runs,
				 (unsigned long long)end, (unsigned long long)end);
			ok = false;
		}
		out->seconds += o->totals.seconds;
	}
	g_free(present);
	return ok;
}

void sim_merge_report_free(struct sim_merge_report *rep)
{
	for (unsigned i = 0; i < rep->nr_designs; i++)
		if (rep->designs[i].later)
			g_ptr_array_free(rep->designs[i].later, TRUE);
	g_free(rep->designs);
	g_free(rep->missing);
	memset(rep, 0, sizeof(*rep));
}
