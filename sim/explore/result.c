/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * result.c - result files: recording an exploration's runs into blocks,
 * and the JSON text of a result (written here, read in result_read.c).
 */
#include <stdio.h>
#include <string.h>

#include "keyfile.h"
#include "result.h"
#include "schedule.h"

void sim_result_settings(struct sim_result_settings *s, const struct sim_explore_config *cfg)
{
	memset(s, 0, sizeof(*s));
	g_strlcpy(s->scheduler, sim_explore_scheduler_name(cfg->scheduler), sizeof(s->scheduler));
	/* The probability in effect, as the header prints it; 0 elsewhere. */
	if (cfg->scheduler == SIM_SCHED_RANDOM)
		s->probability =
		    cfg->probability > 0 ? cfg->probability : cfg->sc->inject.probability;
	if (cfg->scheduler == SIM_SCHED_PCT)
		s->depth = cfg->depth;
	if (cfg->scheduler == SIM_SCHED_BOUNDED) {
		s->bound = cfg->bound;
		s->window_from = cfg->window_from;
		s->window_to = cfg->window_to;
	}
	s->master_seed = cfg->master_seed;
	s->runs = cfg->runs;
	s->time_budget = cfg->seconds;
}

void sim_result_init(struct sim_result *r, const struct sim_explore_config *cfg)
{
	memset(r, 0, sizeof(*r));
	r->build = g_strdup(sim_build_id());
	r->scenario_path = g_strdup(cfg->sc->path);
	r->scenario_name = g_strdup(cfg->sc->name);
	g_strlcpy(r->scenario_sha256, cfg->sc->hash, sizeof(r->scenario_sha256));
	sim_result_settings(&r->settings, cfg);
	r->shard = cfg->shard;
	r->shards = cfg->shards;
	r->designs = g_ptr_array_new();
}

void sim_result_find_free(struct sim_result_find *f)
{
	g_free(f->text);
	g_free(f->schedule);
	f->text = f->schedule = NULL;
}

void sim_result_find_copy(struct sim_result_find *to, const struct sim_result_find *from)
{
	*to = *from;
	to->text = g_strdup(from->text);
	to->schedule = g_strdup(from->schedule);
}

static void design_free(struct sim_result_design *d)
{
	g_free(d->design);
	sim_result_find_free(&d->find);
	for (unsigned j = 0; d->blocks && j < d->blocks->len; j++)
		g_array_free(g_array_index(d->blocks, struct sim_result_block, j).schedules, TRUE);
	if (d->blocks)
		g_array_free(d->blocks, TRUE);
	if (d->seen)
		g_hash_table_destroy(d->seen);
	g_free(d);
}

void sim_result_free(struct sim_result *r)
{
	g_free(r->file);
	g_free(r->build);
	g_free(r->scenario_path);
	g_free(r->scenario_name);
	for (unsigned i = 0; r->designs && i < r->designs->len; i++)
		design_free(g_ptr_array_index(r->designs, i));
	if (r->designs)
		g_ptr_array_free(r->designs, TRUE);
	memset(r, 0, sizeof(*r));
}

uint64_t sim_result_block_runs(uint64_t runs)
{
	uint64_t b = runs / SIM_RESULT_BLOCKS + (runs % SIM_RESULT_BLOCKS != 0);
	return b > SIM_RESULT_BLOCK_RUNS_MIN ? b : SIM_RESULT_BLOCK_RUNS_MIN;
}

struct sim_result_design *sim_result_add_design(struct sim_result *r, const char *name,
						uint64_t block_runs)
{
	struct sim_result_design *d = g_new0(struct sim_result_design, 1);
	d->design = g_strdup(name);
	d->block_runs = block_runs;
	d->blocks = g_array_new(FALSE, TRUE, sizeof(struct sim_result_block));
	d->seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	g_ptr_array_add(r->designs, d);
	return d;
}

void sim_result_not_started(struct sim_result *r, const struct sim_explore_config *cfg)
{
	struct sim_result_design *d =
	    sim_result_add_design(r, cfg->design->name, sim_result_block_runs(cfg->runs));
	d->budget = cfg->runs;
	d->first = cfg->shard;
	d->stride = cfg->shards;
	g_strlcpy(d->stopped, "not-started", sizeof(d->stopped));
	sim_result_sort_blocks(d);
}

bool sim_result_started(const struct sim_result_design *d)
{
	return strcmp(d->stopped, "not-started") != 0;
}

static void record(void *arg, const struct sim_explore_record *rec)
{
	sim_result_add_record(arg, rec);
}

struct sim_result_design *sim_result_begin(struct sim_result *r, struct sim_explore_config *cfg)
{
	if (!r)
		return NULL;
	/* From the budget asked for: a bounded search may have fewer runs. */
	struct sim_result_design *d =
	    sim_result_add_design(r, cfg->design->name, sim_result_block_runs(cfg->runs));
	cfg->record = record;
	cfg->record_arg = d;
	return d;
}

struct sim_result_block *sim_result_block_at(struct sim_result_design *d, uint64_t j)
{
	while (d->blocks->len <= j) {
		struct sim_result_block b = { .schedules = g_array_new(FALSE, FALSE, 8) };
		g_array_append_val(d->blocks, b);
	}
	return &g_array_index(d->blocks, struct sim_result_block, j);
}

void sim_result_add_record(struct sim_result_design *d, const struct sim_explore_record *rec)
{
	struct sim_result_block *b = sim_result_block_at(d, rec->index / d->block_runs);
	b->runs++;
	b->points += rec->points;
	b->preemptions += rec->preemptions;
	b->migrations += rec->migrations;
	b->interrupts += rec->interrupts;
	b->failures += rec->failures;
	for (unsigned pt = 0; pt < SLAB_POINT_COUNT; pt++) {
		b->executed[pt] += sim_point_in(rec->executed, pt);
		b->decided[pt] += sim_point_in(rec->decided, pt);
	}
	if (!g_hash_table_contains(d->seen, &rec->schedule_hash)) {
		g_hash_table_add(d->seen, g_memdup2(&rec->schedule_hash, 8));
		g_array_append_val(b->schedules, rec->schedule_hash);
	}
}

static int cmp_u64(gconstpointer a, gconstpointer b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void sim_result_end(struct sim_result_design *d, const struct sim_explore_config *cfg,
		    const struct sim_explore_result *res, const struct sim_result_find *find)
{
	if (!d)
		return;
	d->k = res->k;
	d->budget = sim_explore_budget(cfg, res->k);
	d->first = cfg->shard;
	d->stride = cfg->shards;
	d->count = res->runs;
	d->totals = *res;
	uint64_t share = d->budget / cfg->shards + (cfg->shard < d->budget % cfg->shards);
	g_strlcpy(d->stopped,
		  res->found	       ? "find"
		  : res->runs == share ? "budget"
		  : res->interrupted   ? "interrupted"
				       : "time",
		  sizeof(d->stopped));
	if (res->found && find)
		sim_result_find_copy(&d->find, find);
	sim_result_sort_blocks(d);
}

void sim_result_sort_blocks(struct sim_result_design *d)
{
	for (unsigned j = 0; j < d->blocks->len; j++)
		g_array_sort(g_array_index(d->blocks, struct sim_result_block, j).schedules,
			     cmp_u64);
	if (d->seen)
		g_hash_table_destroy(d->seen);
	d->seen = NULL;
}

/* ---------------------------------------------------------------------- */
/* writing                                                                 */

static void json_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if (*p == '\n')
			g_string_append(out, "\\n");
		else if (*p < 0x20)
			g_string_append_printf(out, "\\u%04x", *p);
		else
			g_string_append_c(out, (char)*p);
	}
	g_string_append_c(out, '"');
}

/* The shortest text that reads back as the same double. */
static void json_double(GString *out, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	for (int digits = 1; digits <= 17; digits++) {
		char fmt[8];
		snprintf(fmt, sizeof(fmt), "%%.%dg", digits);
		g_ascii_formatd(buf, sizeof(buf), fmt, v);
		if (g_ascii_strtod(buf, NULL) == v)
			break;
	}
	g_string_append(out, buf);
}

static void json_u64_array(GString *out, const uint64_t *v, unsigned n)
{
	g_string_append_c(out, '[');
	for (unsigned i = 0; i < n; i++)
		g_string_append_printf(out, "%s%llu", i ? "," : "", (unsigned long long)v[i]);
	g_string_append_c(out, ']');
}

/* Hashes as base64 of their little-endian bytes. */
static void json_hashes(GString *out, const GArray *hashes)
{
	guchar *bytes = g_malloc(hashes->len * 8 + 1);
	for (unsigned i = 0; i < hashes->len; i++) {
		uint64_t h = g_array_index(hashes, uint64_t, i);
		for (unsigned b = 0; b < 8; b++)
			bytes[i * 8 + b] = (guchar)(h >> (8 * b));
	}
	char *text = g_base64_encode(bytes, hashes->len * 8);
	json_string(out, text);
	g_free(text);
	g_free(bytes);
}

#define TOTALS_FMT                                                                        \
	"\"runs\": %llu, \"points\": %llu, \"preemptions\": %llu, \"migrations\": %llu, " \
	"\"interrupts\": %llu, \"failures\": %llu"

static void json_block(GString *out, const struct sim_result_block *b)
{
	g_string_append_printf(
	    out, "{" TOTALS_FMT ",\n          \"executed\": ", (unsigned long long)b->runs,
	    (unsigned long long)b->points, (unsigned long long)b->preemptions,
	    (unsigned long long)b->migrations, (unsigned long long)b->interrupts,
	    (unsigned long long)b->failures);
	json_u64_array(out, b->executed, SLAB_POINT_COUNT);
	g_string_append(out, ",\n          \"decided\": ");
	json_u64_array(out, b->decided, SLAB_POINT_COUNT);
	g_string_append(out, ",\n          \"schedules\": ");
	json_hashes(out, b->schedules);
	g_string_append(out, "}");
}

static void json_find(GString *out, const struct sim_result_design *d)
{
	if (!d->totals.found) {
		g_string_append(out, "null");
		return;
	}
	const struct sim_result_find *f = &d->find;
	g_string_append_printf(out, "{\"run\": %llu, \"seed\": \"%llu\", \"kind\": ",
			       (unsigned long long)f->run, (unsigned long long)f->seed);
	json_string(out, f->kind);
	g_string_append_printf(out,
			       ", \"workload_bug\": %s, \"decisions\": %u,\n        \"text\": ",
			       f->workload_bug ? "true" : "false", f->decisions);
	json_string(out, f->text ? f->text : "");
	g_string_append(out, ",\n        \"schedule\": ");
	if (f->schedule)
		json_string(out, f->schedule);
	else
		g_string_append(out, "null");
	g_string_append(out, "}");
}

static void json_design(GString *out, const struct sim_result_design *d)
{
	const struct sim_explore_result *t = &d->totals;
	g_string_append(out, "    {\"design\": ");
	json_string(out, d->design);
	g_string_append_printf(
	    out,
	    ", \"k\": %llu, \"budget\": %llu, \"block_runs\": %llu,\n"
	    "      \"done\": {\"first\": %llu, \"stride\": %llu, \"count\": %llu}, "
	    "\"stopped\": \"%s\",\n"
	    "      \"totals\": {" TOTALS_FMT ", \"schedules\": %llu},\n      \"coverage\": {",
	    (unsigned long long)d->k, (unsigned long long)d->budget,
	    (unsigned long long)d->block_runs, (unsigned long long)d->first,
	    (unsigned long long)d->stride, (unsigned long long)d->count, d->stopped,
	    (unsigned long long)t->runs, (unsigned long long)t->points,
	    (unsigned long long)t->preemptions, (unsigned long long)t->migrations,
	    (unsigned long long)t->interrupts, (unsigned long long)t->failures,
	    (unsigned long long)t->schedules);
	bool first = true;
	for (unsigned pt = 0; pt < SLAB_POINT_COUNT; pt++) {
		if (!t->point_runs[pt])
			continue;
		g_string_append_printf(out, "%s\n        \"%s\": [%llu, %llu]", first ? "" : ",",
				       slab_point_name((enum slab_point)pt),
				       (unsigned long long)t->point_runs[pt],
				       (unsigned long long)t->point_decided_runs[pt]);
		first = false;
	}
	g_string_append(out, "},\n      \"find\": ");
	json_find(out, d);
	g_string_append(out, ",\n      \"blocks\": [");
	for (unsigned j = 0; j < d->blocks->len; j++) {
		g_string_append(out, j ? ",\n        " : "\n        ");
		json_block(out, &g_array_index(d->blocks, struct sim_result_block, j));
	}
	g_string_append(out, "]}");
}

GString *sim_result_to_json(const struct sim_result *r)
{
	const struct sim_result_settings *s = &r->settings;
	GString *out = g_string_new(NULL);
	g_string_append_printf(out, "{\"format\": \"%s\", \"version\": %d,\n  \"build\": ",
			       SIM_RESULT_FORMAT, SIM_RESULT_VERSION);
	json_string(out, r->build);
	g_string_append(out, ",\n  \"scenario\": {\"path\": ");
	json_string(out, r->scenario_path);
	g_string_append(out, ", \"name\": ");
	json_string(out, r->scenario_name);
	g_string_append_printf(
	    out, ", \"sha256\": \"%s\"},\n  \"settings\": {\"scheduler\": ", r->scenario_sha256);
	json_string(out, s->scheduler);
	g_string_append(out, ", \"probability\": ");
	json_double(out, s->probability);
	g_string_append_printf(out,
			       ", \"depth\": %u, \"bound\": %u, \"window\": [%llu, %llu],\n"
			       "    \"master_seed\": \"%llu\", \"runs\": %llu, \"time_budget\": ",
			       s->depth, s->bound, (unsigned long long)s->window_from,
			       (unsigned long long)s->window_to, (unsigned long long)s->master_seed,
			       (unsigned long long)s->runs);
	json_double(out, s->time_budget);
	g_string_append_printf(out, "},\n  \"shard\": {\"index\": %u, \"count\": %u},\n", r->shard,
			       r->shards);
	g_string_append(out, "  \"designs\": [\n");
	for (unsigned i = 0; i < r->designs->len; i++) {
		json_design(out, g_ptr_array_index(r->designs, i));
		g_string_append(out, i + 1 < r->designs->len ? ",\n" : "\n");
	}
	g_string_append(out, "  ],\n  \"points\": [");
	for (unsigned pt = 0; pt < SLAB_POINT_COUNT; pt++)
		g_string_append_printf(out, "%s\"%s\"", pt ? ", " : "",
				       slab_point_name((enum slab_point)pt));
	g_string_append_printf(out, "],\n  \"time\": {\"seconds\": %.3f, \"designs\": {",
			       r->seconds);
	for (unsigned i = 0; i < r->designs->len; i++) {
		const struct sim_result_design *d = g_ptr_array_index(r->designs, i);
		g_string_append_printf(out, "%s", i ? ", " : "");
		json_string(out, d->design);
		g_string_append_printf(out, ": %.3f", d->totals.seconds);
	}
	g_string_append(out, "}}}\n");
	return out;
}

bool sim_result_write(const char *path, const struct sim_result *r, char *err, unsigned err_len)
{
	GString *text = sim_result_to_json(r);
	bool ok = sim_write_text_file(path, text, err, err_len);
	g_string_free(text, TRUE);
	return ok;
}
