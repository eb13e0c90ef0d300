/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.c - text, JSON and CSV output of runs and comparisons.
 */
#include <string.h>

#include "kernel_machine.h"
#include "report.h"
#include "slab.h"

bool sim_format_parse(const char *s, enum sim_format *out)
{
	if (!strcmp(s, "text"))
		*out = SIM_FORMAT_TEXT;
	else if (!strcmp(s, "json"))
		*out = SIM_FORMAT_JSON;
	else if (!strcmp(s, "csv"))
		*out = SIM_FORMAT_CSV;
	else
		return false;
	return true;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* Metrics of every task, summed by name, in first-report order. */
struct metric_sum {
	const char *name;
	uint64_t cycles, ops;
};

static GArray *sum_metrics(const struct sim_run_report *r)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct metric_sum));
	for (unsigned i = 0; i < r->nr_tasks; i++) {
		GPtrArray *ms = r->tasks[i].metrics;
		for (unsigned j = 0; ms && j < ms->len; j++) {
			const struct sim_metric *m = g_ptr_array_index(ms, j);
			unsigned k = 0;
			while (k < a->len &&
			       strcmp(g_array_index(a, struct metric_sum, k).name, m->name))
				k++;
			if (k == a->len) {
				struct metric_sum z = { m->name, 0, 0 };
				g_array_append_val(a, z);
			}
			g_array_index(a, struct metric_sum, k).cycles += m->cycles;
			g_array_index(a, struct metric_sum, k).ops += m->ops;
		}
	}
	return a;
}

static double per_op(const struct metric_sum *m)
{
	return m->ops ? (double)m->cycles / (double)m->ops : 0.0;
}

static const char *verdict(const struct sim_run_report *r)
{
	return r->scenario_fault ? "SCENARIO PROBLEM" : r->violation ? "VIOLATION" : "ok";
}

void sim_report_header(FILE *f, enum sim_format fmt, const struct sim_scenario *sc, uint64_t seed,
		       const char *command)
{
	if (fmt != SIM_FORMAT_TEXT)
		return;
	fprintf(f, "slabsim %s %s\n", command, sc->path);
	fprintf(f,
		"scenario %s (sha256 %.16s), seed %llu, %u CPUs, %u node%s, preemption %s, "
		"profile %s, cache model %s\n",
		sc->name, sc->hash, (unsigned long long)seed, sc->cpus, sc->nodes,
		sc->nodes > 1 ? "s" : "", sim_preempt_model_name(sc->preemption), sc->profile.name,
		sc->cache_model ? "on" : "off");
	bool any = false;
	for (int k = 0; k < SIM_COST_COUNT; k++)
		if (sc->profile.overridden[k]) {
			fprintf(f, "%s%s=%u", any ? ", " : "cost overrides: ",
				sim_cost_key_name((enum sim_cost_key)k), sc->profile.cost[k]);
			any = true;
		}
	if (any)
		fputc('\n', f);
}

static void text_breakdown(FILE *f, const struct sim_run_report *r)
{
	fprintf(f, "where the cycles went (by primitive):\n");
	for (unsigned k = 0; k < SIM_KIND_COUNT; k++)
		if (r->count_by_kind[k])
			fprintf(f, "  %-24s %12llu cycles  %10llu ops\n", sim_kind_name(k),
				(unsigned long long)r->cycles_by_kind[k],
				(unsigned long long)r->count_by_kind[k]);
	fprintf(f, "memory accesses (by where served):\n");
	for (int l = 0; l < SIM_CACHE_NR_WHERE; l++)
		if (r->accesses_by_level[l])
			fprintf(f, "  %-24s %12llu accesses %10llu cycles\n",
				sim_cache_where_name((enum sim_cache_where)l),
				(unsigned long long)r->accesses_by_level[l],
				(unsigned long long)r->cycles_by_level[l]);
}

static void text_stats(FILE *f, const struct sim_run_report *r)
{
	fprintf(f, "SLUB_STATS (all caches, all CPUs; zero counters omitted):\n");
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		if (r->stats[si])
			fprintf(f, "  %-24s %llu\n", slab_stat_name((enum stat_item)si),
				(unsigned long long)r->stats[si]);
}

void sim_report_repro(FILE *f, const struct sim_scenario *sc, const struct sim_run_report *r)
{
	fprintf(f, "reproduce: slabsim run %s --seed %llu --designs %s\n", sc->path,
		(unsigned long long)r->seed, r->design->name);
}

static void json_run(FILE *f, const struct sim_run_report *r)
{
	fprintf(f, "{\"design\": ");
	json_str(f, r->design->name);
	fprintf(f,
		", \"seed\": %llu, \"result\": \"%s\", \"points\": %llu, \"end_cycles\": %llu, "
		"\"trace_hash\": \"%016llx\",\n   \"metrics\": [",
		(unsigned long long)r->seed, verdict(r), (unsigned long long)r->points,
		(unsigned long long)r->end_cycles, (unsigned long long)r->trace_hash);
	GArray *ms = sum_metrics(r);
	for (unsigned i = 0; i < ms->len; i++) {
		const struct metric_sum *m = &g_array_index(ms, struct metric_sum, i);
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		json_str(f, m->name);
		fprintf(f, ", \"cycles\": %llu, \"ops\": %llu, \"cycles_per_op\": %.1f}",
			(unsigned long long)m->cycles, (unsigned long long)m->ops, per_op(m));
	}
	g_array_free(ms, TRUE);
	fprintf(f, "],\n   \"stats\": {");
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		fprintf(f, "%s\"%s\": %llu", si ? ", " : "", slab_stat_name((enum stat_item)si),
			(unsigned long long)r->stats[si]);
	fprintf(f, "},\n   \"cycles_by_primitive\": {");
	bool first = true;
	for (unsigned k = 0; k < SIM_KIND_COUNT; k++)
		if (r->count_by_kind[k]) {
			fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", sim_kind_name(k),
				(unsigned long long)r->cycles_by_kind[k]);
			first = false;
		}
	fprintf(f, "},\n   \"accesses_by_level\": {");
	for (int l = 0; l < SIM_CACHE_NR_WHERE; l++)
		fprintf(f, "%s\"%s\": %llu", l ? ", " : "",
			sim_cache_where_name((enum sim_cache_where)l),
			(unsigned long long)r->accesses_by_level[l]);
	fprintf(f,
		"},\n   \"injected\": {\"preemptions\": %llu, \"migrations\": %llu, "
		"\"interrupts\": %llu}",
		(unsigned long long)r->preemptions, (unsigned long long)r->migrations,
		(unsigned long long)r->interrupts);
	if (sim_faults_any(&r->faults))
		fprintf(
		    f,
		    ",\n   \"faults\": {\"page_alloc_calls\": %llu, \"page_alloc_faults\": %llu, "
		    "\"kmalloc_failures\": %llu}",
		    (unsigned long long)r->page_alloc_calls,
		    (unsigned long long)r->page_alloc_faults,
		    (unsigned long long)r->kmalloc_failures);
	fprintf(f, ",\n   \"violation\": ");
	if (r->violation)
		json_str(f, r->violation_text->str);
	else
		fprintf(f, "null");
	fprintf(f, ",\n   \"output\": [");
	for (unsigned i = 0; i < r->nr_tasks; i++) {
		fprintf(f, "%s{\"task\": ", i ? ", " : "");
		json_str(f, r->tasks[i].name);
		fprintf(f, ", \"text\": ");
		json_str(f, r->tasks[i].output->str);
		fprintf(f, "}");
	}
	fprintf(f, "]}");
}

static void csv_run(FILE *f, const struct sim_run_report *r)
{
	GArray *ms = sum_metrics(r);
	for (unsigned i = 0; i < ms->len; i++) {
		const struct metric_sum *m = &g_array_index(ms, struct metric_sum, i);
		fprintf(f, "%s,metric,\"%s\",%llu,%llu,%.1f\n", r->design->name, m->name,
			(unsigned long long)m->cycles, (unsigned long long)m->ops, per_op(m));
	}
	g_array_free(ms, TRUE);
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		fprintf(f, "%s,stat,%s,%llu,,\n", r->design->name,
			slab_stat_name((enum stat_item)si), (unsigned long long)r->stats[si]);
	for (unsigned k = 0; k < SIM_KIND_COUNT; k++)
		if (r->count_by_kind[k])
			fprintf(f, "%s,cycles_by_primitive,%s,%llu,%llu,\n", r->design->name,
				sim_kind_name(k), (unsigned long long)r->cycles_by_kind[k],
				(unsigned long long)r->count_by_kind[k]);
	for (int l = 0; l < SIM_CACHE_NR_WHERE; l++)
		fprintf(f, "%s,accesses_by_level,%s,%llu,%llu,\n", r->design->name,
			sim_cache_where_name((enum sim_cache_where)l),
			(unsigned long long)r->cycles_by_level[l],
			(unsigned long long)r->accesses_by_level[l]);
	if (sim_faults_any(&r->faults))
		fprintf(f, "%s,faults,page_alloc,%llu,%llu,\n%s,faults,kmalloc_null,,%llu,\n",
			r->design->name, (unsigned long long)r->page_alloc_faults,
			(unsigned long long)r->page_alloc_calls, r->design->name,
			(unsigned long long)r->kmalloc_failures);
	fprintf(f, "%s,result,%s,%llu,%016llx,\n", r->design->name, verdict(r),
		(unsigned long long)r->end_cycles, (unsigned long long)r->trace_hash);
}

void sim_report_run(FILE *f, enum sim_format fmt, const struct sim_scenario *sc,
		    const struct sim_run_report *r, bool first, bool last)
{
	if (fmt == SIM_FORMAT_JSON) {
		if (first) {
			fprintf(f, "{\"scenario\": ");
			json_str(f, sc->name);
			fprintf(f, ", \"sha256\": \"%s\", \"cpus\": %u, \"profile\": ", sc->hash,
				sc->cpus);
			json_str(f, sc->profile.name);
			fprintf(f, ",\n \"runs\": [\n  ");
		} else {
			fprintf(f, ",\n  ");
		}
		json_run(f, r);
		if (last)
			fprintf(f, "\n]}\n");
		return;
	}
	if (fmt == SIM_FORMAT_CSV) {
		if (first)
			fprintf(f, "design,kind,name,cycles,count,cycles_per_op\n");
		csv_run(f, r);
		return;
	}
	fprintf(f, "\n== design %s\n", r->design->name);
	for (unsigned i = 0; i < r->nr_tasks; i++) {
		if (!r->tasks[i].output->len)
			continue;
		if (r->nr_tasks > 1)
			fprintf(f, "task %s:\n", r->tasks[i].name);
		fputs(r->tasks[i].output->str, f);
	}
	text_stats(f, r);
	text_breakdown(f, r);
	fprintf(f,
		"points %llu, simulated cycles %llu, preemptions %llu, migrations %llu, "
		"interrupts %llu, trace %016llx\n",
		(unsigned long long)r->points, (unsigned long long)r->end_cycles,
		(unsigned long long)r->preemptions, (unsigned long long)r->migrations,
		(unsigned long long)r->interrupts, (unsigned long long)r->trace_hash);
	if (sim_faults_any(&r->faults))
		fprintf(
		    f,
		    "faults: %llu of %llu page allocator calls failed (nth %llu, probability %g); "
		    "kmalloc returned NULL %llu times\n",
		    (unsigned long long)r->page_alloc_faults,
		    (unsigned long long)r->page_alloc_calls,
		    (unsigned long long)r->faults.page_alloc_fail_nth,
		    r->faults.page_alloc_fail_probability, (unsigned long long)r->kmalloc_failures);
	if (r->violation) {
		fprintf(f, "%s (%s):\n%s", verdict(r), r->design->name, r->violation_text->str);
		sim_report_repro(f, sc, r);
	} else {
		fprintf(f, "result: ok (validator clean, no page leaked)\n");
	}
}

/* ---------------------------------------------------------------------- */
/* compare                                                                 */

static const struct metric_sum *find_metric(GArray *a, const char *name)
{
	for (unsigned i = 0; i < a->len; i++)
		if (!strcmp(g_array_index(a, struct metric_sum, i).name, name))
			return &g_array_index(a, struct metric_sum, i);
	return NULL;
}

static void text_compare(FILE *f, const struct sim_scenario *sc, const struct sim_run_report *runs,
			 unsigned n, GArray **sums)
{
	fprintf(f, "\ncycles per operation (delta and %% against %s):\n", runs[0].design->name);
	fprintf(f, "%-30s", "operation");
	for (unsigned d = 0; d < n; d++)
		fprintf(f, " %22s", runs[d].design->name);
	fputc('\n', f);
	for (unsigned i = 0; i < sums[0]->len; i++) {
		const struct metric_sum *base = &g_array_index(sums[0], struct metric_sum, i);
		fprintf(f, "%-30s %22.1f", base->name, per_op(base));
		for (unsigned d = 1; d < n; d++) {
			const struct metric_sum *m = find_metric(sums[d], base->name);
			if (!m) {
				fprintf(f, " %22s", "-");
				continue;
			}
			double b = per_op(base), v = per_op(m);
			char cell[64];
			snprintf(cell, sizeof(cell), "%.1f (%+.1f, %+.1f%%)", v, v - b,
				 b > 0 ? 100.0 * (v - b) / b : 0.0);
			fprintf(f, " %22s", cell);
		}
		fputc('\n', f);
	}
	fprintf(f, "\nSLUB_STATS (all caches, all CPUs):\n%-30s", "counter");
	for (unsigned d = 0; d < n; d++)
		fprintf(f, " %22s", runs[d].design->name);
	fputc('\n', f);
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++) {
		bool any = false;
		for (unsigned d = 0; d < n; d++)
			any |= runs[d].stats[si] != 0;
		if (!any)
			continue;
		fprintf(f, "%-30s", slab_stat_name((enum stat_item)si));
		for (unsigned d = 0; d < n; d++)
			fprintf(f, " %22llu", (unsigned long long)runs[d].stats[si]);
		fputc('\n', f);
	}
	fprintf(f, "\ncycles by primitive:\n%-30s", "primitive");
	for (unsigned d = 0; d < n; d++)
		fprintf(f, " %22s", runs[d].design->name);
	fputc('\n', f);
	for (unsigned k = 0; k < SIM_KIND_COUNT; k++) {
		bool any = false;
		for (unsigned d = 0; d < n; d++)
			any |= runs[d].count_by_kind[k] != 0;
		if (!any)
			continue;
		fprintf(f, "%-30s", sim_kind_name(k));
		for (unsigned d = 0; d < n; d++)
			fprintf(f, " %22llu", (unsigned long long)runs[d].cycles_by_kind[k]);
		fputc('\n', f);
	}
	fprintf(f, "\nmemory accesses by where served:\n%-30s", "level");
	for (unsigned d = 0; d < n; d++)
		fprintf(f, " %22s", runs[d].design->name);
	fputc('\n', f);
	for (int l = 0; l < SIM_CACHE_NR_WHERE; l++) {
		fprintf(f, "%-30s", sim_cache_where_name((enum sim_cache_where)l));
		for (unsigned d = 0; d < n; d++)
			fprintf(f, " %22llu", (unsigned long long)runs[d].accesses_by_level[l]);
		fputc('\n', f);
	}
	fprintf(f, "\nresults:\n");
	for (unsigned d = 0; d < n; d++) {
		fprintf(f, "%-18s %s, trace %016llx\n", runs[d].design->name, verdict(&runs[d]),
			(unsigned long long)runs[d].trace_hash);
		if (runs[d].violation) {
			fputs(runs[d].violation_text->str, f);
			sim_report_repro(f, sc, &runs[d]);
		}
	}
}

void sim_report_compare(FILE *f, enum sim_format fmt, const struct sim_scenario *sc,
			const struct sim_run_report *runs, unsigned nr_runs)
{
	if (fmt != SIM_FORMAT_TEXT) {
		for (unsigned d = 0; d < nr_runs; d++)
			sim_report_run(f, fmt, sc, &runs[d], d == 0, d + 1 == nr_runs);
		return;
	}
	/* The workloads' own lines first (the seed's format for its tests). */
	for (unsigned d = 0; d < nr_runs; d++) {
		fprintf(f, "\n== design %s\n", runs[d].design->name);
		for (unsigned i = 0; i < runs[d].nr_tasks; i++) {
			if (!runs[d].tasks[i].output->len)
				continue;
			if (runs[d].nr_tasks > 1)
				fprintf(f, "task %s:\n", runs[d].tasks[i].name);
			fputs(runs[d].tasks[i].output->str, f);
		}
	}
	GArray **sums = g_new(GArray *, nr_runs);
	for (unsigned d = 0; d < nr_runs; d++)
		sums[d] = sum_metrics(&runs[d]);
	text_compare(f, sc, runs, nr_runs, sums);
	for (unsigned d = 0; d < nr_runs; d++)
		g_array_free(sums[d], TRUE);
	g_free(sums);
}

void sim_report_trace(FILE *f, const struct sim_run_report *runs, unsigned nr_runs, uint64_t from,
		      uint64_t to)
{
	fprintf(f, "{\"displayTimeUnit\": \"ns\", \"otherData\": {\"timestamps\": \"cycles\"},\n"
		   " \"traceEvents\": [\n");
	bool first = true;
	for (unsigned d = 0; d < nr_runs; d++) {
		const struct sim_run_report *r = &runs[d];
		const GArray *tr = r->trace;
		fprintf(f,
			"%s  {\"name\": \"process_name\", \"ph\": \"M\", \"pid\": %u, "
			"\"args\": {\"name\": \"design %s\"}}",
			first ? "" : ",\n", d, r->design->name);
		first = false;
		unsigned max_cpu = 0;
		for (unsigned i = 0; tr && i < tr->len; i++) {
			unsigned cpu = g_array_index(tr, struct sim_trace_event, i).cpu;
			if (cpu > max_cpu)
				max_cpu = cpu;
		}
		for (unsigned c = 0; tr && tr->len && c <= max_cpu; c++)
			fprintf(f,
				",\n  {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": %u, "
				"\"tid\": %u, \"args\": {\"name\": \"cpu%u\"}}",
				d, c, c);
		/* The next operation's start on the same CPU ends each slice. */
		uint64_t *next = g_new0(uint64_t, max_cpu + 1);
		uint64_t *end = g_new0(uint64_t, tr ? tr->len : 1);
		for (unsigned i = tr ? tr->len : 0; i-- > 0;) {
			const struct sim_trace_event *ev =
			    &g_array_index(tr, struct sim_trace_event, i);
			end[i] = next[ev->cpu] > ev->clock ? next[ev->cpu] : ev->clock + 1;
			next[ev->cpu] = ev->clock;
		}
		unsigned long n = tr ? tr->len : 0;
		for (unsigned long i = 0; i < n; i++) {
			const struct sim_trace_event *ev =
			    &g_array_index(tr, struct sim_trace_event, i);
			if (ev->event < from || ev->event >= to)
				continue;
			const char *task =
			    ev->task < r->nr_task_names ? r->task_names[ev->task] : "?";
			char site[96];
			fprintf(f, ",\n  {\"name\": \"%s%s\", \"cat\": ",
				slab_point_name((enum slab_point)ev->point),
				sim_site_name(r->design, ev->site, site, sizeof(site)));
			json_str(f, task);
			fprintf(f,
				", \"ph\": \"X\", \"ts\": %llu, \"dur\": %llu, \"pid\": %u, "
				"\"tid\": %u, \"args\": {\"task\": ",
				(unsigned long long)ev->clock,
				(unsigned long long)(end[i] - ev->clock), d, ev->cpu);
			json_str(f, task);
			fprintf(f, ", \"event\": %llu}}", (unsigned long long)ev->event);
		}
		g_free(next);
		g_free(end);
	}
	fprintf(f, "\n]}\n");
}
