/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * result_read.c - reading a result file (result.h) with json-glib: every
 * field checked for its type and range, every error naming the file, the
 * field, what was expected and what was found.
 */
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "keyfile.h"
#include "result.h"

struct reader {
	const char *file;
	char *err;
	unsigned err_len;
};

/* What a node is, for "found ...". */
static const char *node_kind(JsonNode *n)
{
	if (!n || JSON_NODE_HOLDS_NULL(n))
		return "null";
	if (JSON_NODE_HOLDS_OBJECT(n))
		return "an object";
	if (JSON_NODE_HOLDS_ARRAY(n))
		return "an array";
	GType t = json_node_get_value_type(n);
	if (t == G_TYPE_STRING)
		return "a string";
	if (t == G_TYPE_BOOLEAN)
		return "a boolean";
	if (t == G_TYPE_DOUBLE)
		return "a fraction";
	return json_node_get_int(n) < 0 ? "a negative integer" : "an integer";
}

static bool fail(const struct reader *rd, const char *field, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
static bool fail(const struct reader *rd, const char *field, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rd->err, rd->err_len, "%s: %s: %s", rd->file, field, msg);
	return false;
}

static bool expected(const struct reader *rd, const char *field, const char *what, JsonNode *n)
{
	return fail(rd, field, "expected %s, found %s", what, n ? node_kind(n) : "nothing");
}

/* Member key of o (field is its dotted name for messages); NULL after failing. */
static JsonNode *member(const struct reader *rd, JsonObject *o, const char *field, const char *key)
{
	JsonNode *n = json_object_get_member(o, key);
	if (!n)
		fail(rd, field, "missing");
	return n;
}

static JsonObject *get_object(const struct reader *rd, JsonObject *o, const char *field,
			      const char *key)
{
	JsonNode *n = member(rd, o, field, key);
	if (n && !JSON_NODE_HOLDS_OBJECT(n))
		return expected(rd, field, "an object", n), NULL;
	return n ? json_node_get_object(n) : NULL;
}

static JsonArray *get_array(const struct reader *rd, JsonObject *o, const char *field,
			    const char *key)
{
	JsonNode *n = member(rd, o, field, key);
	if (n && !JSON_NODE_HOLDS_ARRAY(n))
		return expected(rd, field, "an array", n), NULL;
	return n ? json_node_get_array(n) : NULL;
}

static bool node_u64(const struct reader *rd, JsonNode *n, const char *field, uint64_t max,
		     uint64_t *out)
{
	if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64 ||
	    json_node_get_int(n) < 0)
		return expected(rd, field, "an integer >= 0", n);
	if ((uint64_t)json_node_get_int(n) > max)
		return fail(rd, field, "expected at most %llu, found %lld", (unsigned long long)max,
			    (long long)json_node_get_int(n));
	*out = (uint64_t)json_node_get_int(n);
	return true;
}

static bool get_u64(const struct reader *rd, JsonObject *o, const char *field, const char *key,
		    uint64_t *out)
{
	JsonNode *n = member(rd, o, field, key);
	return n && node_u64(rd, n, field, INT64_MAX, out);
}

static bool get_uint(const struct reader *rd, JsonObject *o, const char *field, const char *key,
		     unsigned *out)
{
	uint64_t v = 0; /* node_u64 sets it when it succeeds; GCC's -O2 cannot see that */
	JsonNode *n = member(rd, o, field, key);
	if (!n || !node_u64(rd, n, field, UINT32_MAX, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

static bool get_double(const struct reader *rd, JsonObject *o, const char *field, const char *key,
		       double *out)
{
	JsonNode *n = member(rd, o, field, key);
	if (!n)
		return false;
	GType t = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n) : G_TYPE_INVALID;
	if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
		return expected(rd, field, "a number", n);
	*out = json_node_get_double(n);
	return true;
}

static const char *get_string(const struct reader *rd, JsonObject *o, const char *field,
			      const char *key)
{
	JsonNode *n = member(rd, o, field, key);
	if (n && (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING))
		return expected(rd, field, "a string", n), NULL;
	return n ? json_node_get_string(n) : NULL;
}

/* A string into a fixed buffer: too long is an error, not a silent cut. */
static bool get_text(const struct reader *rd, JsonObject *o, const char *field, const char *key,
		     char *out, size_t size)
{
	const char *s = get_string(rd, o, field, key);
	if (!s)
		return false;
	if (strlen(s) >= size)
		return fail(rd, field, "expected at most %zu characters, found %zu", size - 1,
			    strlen(s));
	g_strlcpy(out, s, size);
	return true;
}

/* A 64-bit value written as a decimal string. */
static bool get_decimal(const struct reader *rd, JsonObject *o, const char *field, const char *key,
			uint64_t *out)
{
	const char *s = get_string(rd, o, field, key);
	if (!s)
		return false;
	guint64 v;
	if (!g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT64, &v, NULL))
		return fail(rd, field, "expected a decimal number 0 .. 2^64-1, found '%s'", s);
	*out = v;
	return true;
}

static bool get_bool(const struct reader *rd, JsonObject *o, const char *field, const char *key,
		     bool *out)
{
	JsonNode *n = member(rd, o, field, key);
	if (n && (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN))
		return expected(rd, field, "true or false", n);
	if (n)
		*out = json_node_get_boolean(n);
	return n != NULL;
}

/* An array of SLAB_POINT_COUNT counts. */
static bool get_counts(const struct reader *rd, JsonObject *o, const char *field, const char *key,
		       uint64_t *out)
{
	JsonArray *a = get_array(rd, o, field, key);
	if (!a)
		return false;
	if (json_array_get_length(a) != SLAB_POINT_COUNT)
		return fail(rd, field, "expected %d counts (one per point), found %u",
			    SLAB_POINT_COUNT, json_array_get_length(a));
	for (unsigned i = 0; i < SLAB_POINT_COUNT; i++) {
		char f[160];
		snprintf(f, sizeof(f), "%s[%u]", field, i);
		if (!node_u64(rd, json_array_get_element(a, i), f, INT64_MAX, &out[i]))
			return false;
	}
	return true;
}

/* Base64 of ascending little-endian hashes. */
static bool get_hashes(const struct reader *rd, JsonObject *o, const char *field, const char *key,
		       GArray *out)
{
	const char *s = get_string(rd, o, field, key);
	if (!s)
		return false;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '+' && *p != '/' && *p != '=')
			return fail(rd, field, "expected base64, found the character '%c'", *p);
	gsize len;
	guchar *bytes = g_base64_decode(s, &len);
	bool ok = len % 8 == 0;
	for (gsize i = 0; ok && i < len / 8; i++) {
		uint64_t h = 0;
		for (unsigned b = 0; b < 8; b++)
			h |= (uint64_t)bytes[i * 8 + b] << (8 * b);
		ok = !out->len || g_array_index(out, uint64_t, out->len - 1) < h;
		g_array_append_val(out, h);
	}
	g_free(bytes);
	if (!ok)
		return fail(rd, field, "expected 8-byte hashes in ascending order");
	return true;
}

static bool read_block(const struct reader *rd, JsonNode *n, const char *field,
		       struct sim_result_block *b)
{
	if (!JSON_NODE_HOLDS_OBJECT(n))
		return expected(rd, field, "an object", n);
	JsonObject *o = json_node_get_object(n);
	char f[160];
#define BLOCK_U64(key) (snprintf(f, sizeof(f), "%s." #key, field), get_u64(rd, o, f, #key, &b->key))
	if (!BLOCK_U64(runs) || !BLOCK_U64(points) || !BLOCK_U64(preemptions) ||
	    !BLOCK_U64(migrations) || !BLOCK_U64(interrupts) || !BLOCK_U64(failures))
		return false;
#undef BLOCK_U64
	snprintf(f, sizeof(f), "%s.executed", field);
	if (!get_counts(rd, o, f, "executed", b->executed))
		return false;
	snprintf(f, sizeof(f), "%s.decided", field);
	if (!get_counts(rd, o, f, "decided", b->decided))
		return false;
	snprintf(f, sizeof(f), "%s.schedules", field);
	return get_hashes(rd, o, f, "schedules", b->schedules);
}

static bool read_find(const struct reader *rd, JsonObject *o, const char *field,
		      struct sim_result_design *d)
{
	JsonNode *n = member(rd, o, field, "find");
	if (!n)
		return false;
	if (JSON_NODE_HOLDS_NULL(n))
		return true;
	if (!JSON_NODE_HOLDS_OBJECT(n))
		return expected(rd, field, "null or an object", n);
	JsonObject *fo = json_node_get_object(n);
	struct sim_result_find *f = &d->find;
	char fl[160];
#define FIELD(key) (snprintf(fl, sizeof(fl), "%s." key, field), fl)
	if (!get_u64(rd, fo, FIELD("run"), "run", &f->run) ||
	    !get_decimal(rd, fo, FIELD("seed"), "seed", &f->seed) ||
	    !get_text(rd, fo, FIELD("kind"), "kind", f->kind, sizeof(f->kind)) ||
	    !get_bool(rd, fo, FIELD("workload_bug"), "workload_bug", &f->workload_bug) ||
	    !get_uint(rd, fo, FIELD("decisions"), "decisions", &f->decisions))
		return false;
	const char *text = get_string(rd, fo, FIELD("text"), "text");
	if (!text)
		return false;
	f->text = g_strdup(text);
	JsonNode *sn = member(rd, fo, FIELD("schedule"), "schedule");
	if (!sn)
		return false;
	if (!JSON_NODE_HOLDS_NULL(sn)) {
		const char *schedule = get_string(rd, fo, FIELD("schedule"), "schedule");
		if (!schedule)
			return false;
		f->schedule = g_strdup(schedule);
	}
#undef FIELD
	d->totals.found = true;
	d->totals.found_index = f->run;
	d->totals.found_seed = f->seed;
	g_strlcpy(d->totals.kind, f->kind, sizeof(d->totals.kind));
	d->totals.workload_bug = f->workload_bug;
	return true;
}

static bool read_coverage(const struct reader *rd, JsonObject *o, const char *field,
			  struct sim_explore_result *t)
{
	JsonObject *cov = get_object(rd, o, field, "coverage");
	if (!cov)
		return false;
	GList *names = json_object_get_members(cov);
	bool ok = true;
	for (GList *l = names; ok && l; l = l->next) {
		char f[192];
		snprintf(f, sizeof(f), "%s.coverage.%s", field, (const char *)l->data);
		int pt = slab_point_find(l->data);
		if (pt < 0) {
			ok = fail(rd, f, "expected a point of this build (slabsim points)");
			break;
		}
		JsonNode *n = json_object_get_member(cov, l->data);
		JsonArray *a = JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
		if (!a || json_array_get_length(a) != 2) {
			ok = expected(rd, f, "[runs executed, runs decided]", n);
			break;
		}
		ok = node_u64(rd, json_array_get_element(a, 0), f, INT64_MAX, &t->point_runs[pt]) &&
		     node_u64(rd, json_array_get_element(a, 1), f, INT64_MAX,
			      &t->point_decided_runs[pt]);
	}
	g_list_free(names);
	return ok;
}

static bool read_design(const struct reader *rd, JsonNode *n, unsigned i,
			struct sim_result_design *d)
{
	char field[64], f[128];
	snprintf(field, sizeof(field), "designs[%u]", i);
	if (!JSON_NODE_HOLDS_OBJECT(n))
		return expected(rd, field, "an object", n);
	JsonObject *o = json_node_get_object(n);
#define FIELD(key) (snprintf(f, sizeof(f), "%s.%s", field, key), f)
	const char *name = get_string(rd, o, FIELD("design"), "design");
	if (!name)
		return false;
	d->design = g_strdup(name);
	JsonObject *done = get_object(rd, o, FIELD("done"), "done");
	JsonObject *totals = done ? get_object(rd, o, FIELD("totals"), "totals") : NULL;
	struct sim_explore_result *t = &d->totals;
	if (!totals || !get_u64(rd, o, FIELD("k"), "k", &d->k) ||
	    !get_u64(rd, o, FIELD("budget"), "budget", &d->budget) ||
	    !get_u64(rd, o, FIELD("block_runs"), "block_runs", &d->block_runs) ||
	    !get_u64(rd, done, FIELD("done.first"), "first", &d->first) ||
	    !get_u64(rd, done, FIELD("done.stride"), "stride", &d->stride) ||
	    !get_u64(rd, done, FIELD("done.count"), "count", &d->count) ||
	    !get_text(rd, o, FIELD("stopped"), "stopped", d->stopped, sizeof(d->stopped)) ||
	    !get_u64(rd, totals, FIELD("totals.runs"), "runs", &t->runs) ||
	    !get_u64(rd, totals, FIELD("totals.points"), "points", &t->points) ||
	    !get_u64(rd, totals, FIELD("totals.preemptions"), "preemptions", &t->preemptions) ||
	    !get_u64(rd, totals, FIELD("totals.migrations"), "migrations", &t->migrations) ||
	    !get_u64(rd, totals, FIELD("totals.interrupts"), "interrupts", &t->interrupts) ||
	    !get_u64(rd, totals, FIELD("totals.failures"), "failures", &t->failures) ||
	    !get_u64(rd, totals, FIELD("totals.schedules"), "schedules", &t->schedules) ||
	    !read_coverage(rd, o, field, t) || !read_find(rd, o, FIELD("find"), d))
		return false;
	t->k = d->k;
	if (!d->block_runs || !d->stride)
		return fail(rd, FIELD(d->stride ? "block_runs" : "done.stride"),
			    "expected at least 1, found 0");
	if (d->count != t->runs)
		return fail(rd, FIELD("done.count"), "expected totals.runs (%llu), found %llu",
			    (unsigned long long)t->runs, (unsigned long long)d->count);
	JsonArray *blocks = get_array(rd, o, FIELD("blocks"), "blocks");
	if (!blocks)
		return false;
	/* At most one block per block_runs indices of the budget. */
	uint64_t max_blocks = d->budget / d->block_runs + 1;
	if (json_array_get_length(blocks) > max_blocks)
		return fail(rd, FIELD("blocks"), "expected at most %llu blocks, found %u",
			    (unsigned long long)max_blocks, json_array_get_length(blocks));
	d->blocks = g_array_new(FALSE, TRUE, sizeof(struct sim_result_block));
	for (unsigned j = 0; j < json_array_get_length(blocks); j++) {
		struct sim_result_block b = { .schedules = g_array_new(FALSE, FALSE, 8) };
		g_array_append_val(d->blocks, b);
		char bf[96];
		snprintf(bf, sizeof(bf), "%s.blocks[%u]", field, j);
		if (!read_block(rd, json_array_get_element(blocks, j), bf,
				&g_array_index(d->blocks, struct sim_result_block, j)))
			return false;
	}
#undef FIELD
	return true;
}

static bool read_settings(const struct reader *rd, JsonObject *root, struct sim_result *r)
{
	JsonObject *s = get_object(rd, root, "settings", "settings");
	if (!s)
		return false;
	struct sim_result_settings *st = &r->settings;
	JsonArray *w = NULL;
	if (!get_text(rd, s, "settings.scheduler", "scheduler", st->scheduler,
		      sizeof(st->scheduler)) ||
	    !get_double(rd, s, "settings.probability", "probability", &st->probability) ||
	    !get_uint(rd, s, "settings.depth", "depth", &st->depth) ||
	    !get_uint(rd, s, "settings.bound", "bound", &st->bound) ||
	    !(w = get_array(rd, s, "settings.window", "window")) ||
	    !get_decimal(rd, s, "settings.master_seed", "master_seed", &st->master_seed) ||
	    !get_u64(rd, s, "settings.runs", "runs", &st->runs) ||
	    !get_double(rd, s, "settings.time_budget", "time_budget", &st->time_budget))
		return false;
	if (json_array_get_length(w) != 2)
		return fail(rd, "settings.window", "expected [FROM, TO], found %u numbers",
			    json_array_get_length(w));
	return node_u64(rd, json_array_get_element(w, 0), "settings.window[0]", INT64_MAX,
			&st->window_from) &&
	       node_u64(rd, json_array_get_element(w, 1), "settings.window[1]", INT64_MAX,
			&st->window_to);
}

/* The header: format, version, build, scenario, shard, and the points of this build. */
static bool read_header(const struct reader *rd, JsonObject *root, struct sim_result *r)
{
	const char *format = get_string(rd, root, "format", "format");
	if (!format)
		return false;
	if (strcmp(format, SIM_RESULT_FORMAT))
		return fail(rd, "format", "expected \"%s\", found \"%s\"", SIM_RESULT_FORMAT,
			    format);
	unsigned version;
	if (!get_uint(rd, root, "version", "version", &version))
		return false;
	if (version != SIM_RESULT_VERSION)
		return fail(rd, "version", "expected %d, found %u", SIM_RESULT_VERSION, version);
	const char *build = get_string(rd, root, "build", "build");
	JsonObject *sc = build ? get_object(rd, root, "scenario", "scenario") : NULL;
	const char *path = sc ? get_string(rd, sc, "scenario.path", "path") : NULL;
	const char *name = path ? get_string(rd, sc, "scenario.name", "name") : NULL;
	JsonObject *shard = name ? get_object(rd, root, "shard", "shard") : NULL;
	if (!shard ||
	    !get_text(rd, sc, "scenario.sha256", "sha256", r->scenario_sha256,
		      sizeof(r->scenario_sha256)) ||
	    !get_uint(rd, shard, "shard.index", "index", &r->shard) ||
	    !get_uint(rd, shard, "shard.count", "count", &r->shards))
		return false;
	r->build = g_strdup(build);
	r->scenario_path = g_strdup(path);
	r->scenario_name = g_strdup(name);
	if (r->shards < 1 || r->shards > SIM_EXPLORE_SHARDS_MAX || r->shard >= r->shards)
		return fail(rd, "shard", "expected 0 <= index < count <= %d, found %u/%u",
			    SIM_EXPLORE_SHARDS_MAX, r->shard, r->shards);
	JsonArray *points = get_array(rd, root, "points", "points");
	if (!points)
		return false;
	bool same = json_array_get_length(points) == SLAB_POINT_COUNT;
	for (unsigned pt = 0; same && pt < SLAB_POINT_COUNT; pt++) {
		JsonNode *n = json_array_get_element(points, pt);
		same = JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING &&
		       !strcmp(json_node_get_string(n), slab_point_name((enum slab_point)pt));
	}
	if (!same)
		return fail(rd, "points",
			    "expected the %d points of this build, in order "
			    "(slabsim points), found others",
			    SLAB_POINT_COUNT);
	return true;
}

/* The time each design took, and the whole exploration. */
static bool read_time(const struct reader *rd, JsonObject *root, struct sim_result *r)
{
	JsonObject *t = get_object(rd, root, "time", "time");
	JsonObject *per = t ? get_object(rd, t, "time.designs", "designs") : NULL;
	if (!per || !get_double(rd, t, "time.seconds", "seconds", &r->seconds))
		return false;
	for (unsigned i = 0; i < r->designs->len; i++) {
		struct sim_result_design *d = g_ptr_array_index(r->designs, i);
		char f[96];
		snprintf(f, sizeof(f), "time.designs.%s", d->design);
		if (!get_double(rd, per, f, d->design, &d->totals.seconds))
			return false;
	}
	return true;
}

bool sim_result_read(const char *path, struct sim_result *r, char *err, unsigned err_len)
{
	memset(r, 0, sizeof(*r));
	r->file = g_strdup(path);
	r->designs = g_ptr_array_new();
	struct reader rd = { path, err, err_len };
	char *data;
	gsize len;
	if (!sim_read_text_file(path, "a result file (JSON)", &data, &len, err, err_len))
		return false;
	JsonParser *parser = json_parser_new();
	GError *error = NULL;
	bool ok = json_parser_load_from_data(parser, data, (gssize)len, &error);
	g_free(data);
	if (!ok) {
		snprintf(err, err_len, "%s: not JSON: %s", path, error->message);
		g_error_free(error);
		g_object_unref(parser);
		return false;
	}
	JsonNode *root = json_parser_get_root(parser);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
		ok = expected(&rd, "the whole file", "an object", root);
		g_object_unref(parser);
		return ok;
	}
	JsonObject *o = json_node_get_object(root);
	JsonArray *designs = NULL;
	ok = read_header(&rd, o, r) && read_settings(&rd, o, r) &&
	     (designs = get_array(&rd, o, "designs", "designs"));
	for (unsigned i = 0; ok && i < json_array_get_length(designs); i++) {
		struct sim_result_design *d = g_new0(struct sim_result_design, 1);
		g_ptr_array_add(r->designs, d);
		ok = read_design(&rd, json_array_get_element(designs, i), i, d);
	}
	ok = ok && read_time(&rd, o, r);
	g_object_unref(parser);
	return ok;
}
