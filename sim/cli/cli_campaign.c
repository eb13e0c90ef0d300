/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_campaign.c - "slabsim campaign plan|run|merge": a campaign file
 * (campaign.h) in N slices, slice i run here as explore shards (one
 * "slabsim explore" per exploration, each writing a result file), and the
 * result files of a directory merged into a table.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "campaign.h"
#include "cli.h"
#include "cli_merge.h"

/* "i/N" with 0 <= i < N <= SIM_EXPLORE_SHARDS_MAX; the option's name in the message. */
static bool parse_task(const char *flag, const char *text, unsigned *i, unsigned *n)
{
	unsigned long long a, b;
	char extra;
	if (text && sscanf(text, "%llu/%llu%c", &a, &b, &extra) == 2 && b >= 1 && a < b &&
	    b <= SIM_EXPLORE_SHARDS_MAX) {
		*i = (unsigned)a;
		*n = (unsigned)b;
		return true;
	}
	fprintf(stderr, "slabsim campaign: %s: expected i/N with 0 <= i < N <= %d, got '%s'\n",
		flag, SIM_EXPLORE_SHARDS_MAX, text ? text : "nothing");
	return false;
}

static bool load(const char *path, struct sim_campaign *c)
{
	char err[1024];
	if (sim_campaign_load(path, c, err, sizeof(err)))
		return true;
	fprintf(stderr, "slabsim campaign: %s\n", err);
	sim_campaign_free(c);
	return false;
}

/* An argument as a shell reads it back: quoted when it holds anything but safe characters. */
static void print_arg(const char *a)
{
	bool safe = *a != '\0';
	for (const char *p = a; *p; p++)
		safe &= g_ascii_isalnum(*p) || strchr("/._-,=:+", *p) != NULL;
	if (safe) {
		printf(" %s", a);
	} else {
		char *q = g_shell_quote(a);
		printf(" %s", q);
		g_free(q);
	}
}

/* ---------------------------------------------------------------------- */
/* plan                                                                    */

static int plan(int argc, char **argv)
{
	gint tasks = 0;
	g_autofree char *out = NULL;
	GOptionEntry entries[] = {
		{ "tasks", 'n', 0, G_OPTION_ARG_INT, &tasks, "slices (tasks) to split into", "N" },
		{ "out", 'o', 0, G_OPTION_ARG_STRING, &out,
		  "the directory the commands write to (default results)", "DIR" },
		{ NULL },
	};
	if (!cli_parse("campaign plan", "FILE", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "slabsim campaign plan: expected one campaign FILE (see --help)\n");
		return CLI_EXIT_USAGE;
	}
	if (!cli_int_option("campaign plan", "--tasks", tasks, 1, SIM_EXPLORE_SHARDS_MAX))
		return CLI_EXIT_USAGE;
	struct sim_campaign c;
	if (!load(argv[1], &c))
		return CLI_EXIT_USAGE;
	uint64_t total = 0;
	unsigned budgets = 0;
	for (unsigned k = 0; k < c.cells->len; k++) {
		const struct sim_campaign_cell *cell = g_ptr_array_index(c.cells, k);
		total += cell->runs * cell->nr_designs;
		budgets += cell->nr_designs;
	}
	printf("campaign %s (%s): %u explorations, %u budgets (scenario x design x scheduler), "
	       "%llu runs at most, in %d tasks\n",
	       c.name, c.path, c.cells->len, budgets, (unsigned long long)total, tasks);
	for (unsigned i = 0; i < (unsigned)tasks; i++) {
		uint64_t runs = 0;
		for (unsigned k = 0; k < c.cells->len; k++) {
			const struct sim_campaign_cell *cell = g_ptr_array_index(c.cells, k);
			runs +=
			    sim_campaign_share(cell->runs, i, (unsigned)tasks) * cell->nr_designs;
		}
		printf("task %u/%d: %llu runs at most\n", i, tasks, (unsigned long long)runs);
		for (unsigned k = 0; k < c.cells->len; k++) {
			char **args =
			    sim_campaign_explore_args(g_ptr_array_index(c.cells, k), i,
						      (unsigned)tasks, out ? out : "results");
			printf("  slabsim");
			for (unsigned a = 0; args[a]; a++)
				print_arg(args[a]);
			printf("\n");
			g_strfreev(args);
		}
	}
	sim_campaign_free(&c);
	return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* run                                                                     */

/* The explore running now, to pass a stop signal on to; the signal, once one came. */
static volatile pid_t child_pid;
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* Run "slabsim ARGS" (this program) with stdout into out_path; its exit code, or -1. */
static int run_explore(char **args, const char *out_path)
{
	int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "slabsim campaign run: %s: cannot write: %s\n", out_path,
			g_strerror(errno));
		return -1;
	}
	unsigned n = g_strv_length(args);
	char **argv = g_new0(char *, n + 2);
	argv[0] = "slabsim";
	memcpy(argv + 1, args, n * sizeof(char *));
	fflush(stdout);
	fflush(stderr);
	sigset_t stops, old;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &old);
	pid_t pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		dup2(fd, STDOUT_FILENO);
		execv("/proc/self/exe", argv);
		fprintf(stderr, "slabsim campaign run: cannot run /proc/self/exe: %s\n",
			g_strerror(errno));
		_exit(127);
	}
	child_pid = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd);
	g_free(argv);
	if (pid < 0) {
		fprintf(stderr, "slabsim campaign run: cannot fork: %s\n", g_strerror(errno));
		return -1;
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	child_pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run(int argc, char **argv)
{
	g_autofree char *task = NULL, *out = NULL;
	gboolean until_found = FALSE;
	GOptionEntry entries[] = {
		{ "task", 0, 0, G_OPTION_ARG_STRING, &task, "the slice to run", "i/N" },
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
		  "directory for the result files, outputs and schedules", "DIR" },
		{ "until-found", 0, 0, G_OPTION_ARG_NONE, &until_found,
		  "stop after the first exploration that finds a violation", NULL },
		{ NULL },
	};
	if (!cli_parse("campaign run", "FILE", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	unsigned i, n;
	if (argc != 2) {
		fprintf(stderr, "slabsim campaign run: expected one campaign FILE (see --help)\n");
		return CLI_EXIT_USAGE;
	}
	if (!parse_task("--task", task, &i, &n))
		return CLI_EXIT_USAGE;
	if (!out) {
		fprintf(stderr, "slabsim campaign run: --out: expected a directory, got none\n");
		return CLI_EXIT_USAGE;
	}
	if (g_mkdir_with_parents(out, 0777)) {
		fprintf(stderr, "slabsim campaign run: --out: cannot create the directory %s: %s\n",
			out, g_strerror(errno));
		return CLI_EXIT_USAGE;
	}
	struct sim_campaign c;
	if (!load(argv[1], &c))
		return CLI_EXIT_USAGE;
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	int rc = CLI_EXIT_OK;
	for (unsigned k = 0; k < c.cells->len && !stop_signal; k++) {
		const struct sim_campaign_cell *cell = g_ptr_array_index(c.cells, k);
		char **args = sim_campaign_explore_args(cell, i, n, out);
		char *base = sim_campaign_result_name(cell, i, n);
		char *txt = g_strdup_printf("%s/%s.txt", out, base);
		int erc = run_explore(args, txt);
		printf("campaign %s task %u/%u: %s: %s\n", c.name, i, n, cell->name,
		       erc == CLI_EXIT_OK	   ? "no violation"
		       : erc == CLI_EXIT_VIOLATION ? "violation found"
		       : stop_signal		   ? "stopped by a signal"
						   : "failed");
		fflush(stdout);
		g_strfreev(args);
		g_free(base);
		g_free(txt);
		if (erc == CLI_EXIT_VIOLATION) {
			rc = CLI_EXIT_VIOLATION;
			if (until_found)
				break;
		} else if (erc != CLI_EXIT_OK && !stop_signal) {
			fprintf(stderr, "slabsim campaign run: %s: explore exited %d (see %s)\n",
				cell->name, erc, out);
			rc = CLI_EXIT_USAGE;
			break;
		}
	}
	sim_campaign_free(&c);
	return stop_signal && rc != CLI_EXIT_USAGE ? CLI_EXIT_INTERRUPTED : rc;
}

/* ---------------------------------------------------------------------- */
/* merge                                                                   */

/* One row of the table. */
struct row {
	char *scenario, *scheduler, *design, *runs, *finds, *first, *bound;
};

static void row_free(gpointer p)
{
	struct row *r = p;
	g_free(r->scenario);
	g_free(r->scheduler);
	g_free(r->design);
	g_free(r->runs);
	g_free(r->finds);
	g_free(r->first);
	g_free(r->bound);
	g_free(r);
}

/* The rows of one merged exploration. */
static void add_rows(GPtrArray *rows, const struct sim_result *m,
		     const struct sim_merge_report *rep)
{
	for (unsigned d = 0; d < m->designs->len; d++) {
		const struct sim_result_design *x = g_ptr_array_index(m->designs, d);
		const struct sim_explore_result *t = &x->totals;
		struct row *r = g_new0(struct row, 1);
		r->scenario = g_strdup(m->scenario_name);
		r->scheduler = g_strdup(m->settings.scheduler);
		r->design = g_strdup(x->design);
		r->runs = g_strdup_printf("%llu%s", (unsigned long long)t->runs,
					  rep->designs[d].complete ? "" : " (incomplete)");
		r->finds = g_strdup_printf("%d", t->found);
		r->first = t->found ? g_strdup_printf("%s at run %llu", t->kind,
						      (unsigned long long)t->found_index)
				    : g_strdup("-");
		r->bound = t->found || !t->runs
			       ? g_strdup("-")
			       : g_strdup_printf("%.2g (3/%llu)", 3.0 / (double)t->runs,
						 (unsigned long long)t->runs);
		g_ptr_array_add(rows, r);
	}
}

static void print_table(GPtrArray *rows)
{
	struct row head = { "scenario",
			    "scheduler",
			    "design",
			    "runs",
			    "finds",
			    "first find",
			    "95% bound on the failure rate" };
	int w[7] = { 0 };
	for (unsigned i = 0; i <= rows->len; i++) {
		const struct row *r = i ? g_ptr_array_index(rows, i - 1) : &head;
		const char *cols[7] = { r->scenario, r->scheduler, r->design, r->runs,
					r->finds,    r->first,	   r->bound };
		for (unsigned c = 0; c < 7; c++)
			w[c] = MAX(w[c], (int)strlen(cols[c]));
	}
	for (unsigned i = 0; i <= rows->len; i++) {
		const struct row *r = i ? g_ptr_array_index(rows, i - 1) : &head;
		printf("%-*s  %-*s  %-*s  %*s  %*s  %-*s  %s\n", w[0], r->scenario, w[1],
		       r->scheduler, w[2], r->design, w[3], r->runs, w[4], r->finds, w[5], r->first,
		       r->bound);
	}
}

static gint cmp_name(gconstpointer a, gconstpointer b, gpointer unused)
{
	return strcmp(a, b);
}

static void free_files(gpointer files)
{
	g_ptr_array_unref(files);
}

/* DIR's result files by exploration: "NAME.SCHEDULER" -> GPtrArray of paths, sorted. */
static GTree *result_files(const char *dir, int *rc)
{
	GError *e = NULL;
	GDir *d = g_dir_open(dir, 0, &e);
	if (!d) {
		fprintf(stderr, "slabsim campaign merge: %s: cannot read: %s\n", dir, e->message);
		g_error_free(e);
		*rc = CLI_EXIT_USAGE;
		return NULL;
	}
	GTree *cells = g_tree_new_full(cmp_name, NULL, g_free, free_files);
	const char *name;
	while ((name = g_dir_read_name(d))) {
		const char *task = strstr(name, ".task-");
		if (!task || !g_str_has_suffix(name, ".json"))
			continue;
		char *cell = g_strndup(name, (gsize)(task - name));
		GPtrArray *files = g_tree_lookup(cells, cell);
		if (!files) {
			files = g_ptr_array_new_with_free_func(g_free);
			g_tree_insert(cells, g_strdup(cell), files);
		}
		g_ptr_array_add(files, g_build_filename(dir, name, NULL));
		g_free(cell);
	}
	g_dir_close(d);
	return cells;
}

static int cmp_path(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct merge_state {
	const char *out_dir;
	GPtrArray *rows;
	int rc; /* the worst: usage, then incomplete, then violation */
};

static int worse(int a, int b)
{
	static const int order[] = { CLI_EXIT_OK, CLI_EXIT_VIOLATION, CLI_EXIT_INCOMPLETE,
				     CLI_EXIT_USAGE };
	int ra = 0, rb = 0;
	for (int i = 0; i < 4; i++) {
		ra = order[i] == a ? i : ra;
		rb = order[i] == b ? i : rb;
	}
	return ra >= rb ? a : b;
}

static gboolean merge_cell(gpointer key, gpointer value, gpointer arg)
{
	struct merge_state *st = arg;
	GPtrArray *files = value;
	g_ptr_array_sort(files, cmp_path);
	struct sim_result out = { 0 };
	struct sim_merge_report rep = { 0 };
	struct sim_scenario sc;
	int rc =
	    cli_merge_results("campaign merge", (char **)files->pdata, files->len, &out, &rep, &sc);
	if (rc != CLI_EXIT_USAGE) {
		add_rows(st->rows, &out, &rep);
		if (st->out_dir) {
			char err[512];
			char *path = g_strdup_printf("%s/%s.json", st->out_dir, (const char *)key);
			if (!sim_result_write(path, &out, err, sizeof(err))) {
				fprintf(stderr, "slabsim campaign merge: --out: %s\n", err);
				rc = CLI_EXIT_USAGE;
			}
			g_free(path);
		}
	}
	st->rc = worse(st->rc, rc);
	cli_merge_free(&out, &rep, &sc);
	return FALSE;
}

static int merge(int argc, char **argv)
{
	g_autofree char *out = NULL;
	GOptionEntry entries[] = {
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
		  "write each exploration's merged result to DIR/NAME.SCHEDULER.json", "DIR" },
		{ NULL },
	};
	if (!cli_parse("campaign merge", "DIR", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "slabsim campaign merge: expected one results DIR (see --help)\n");
		return CLI_EXIT_USAGE;
	}
	if (out && g_mkdir_with_parents(out, 0777)) {
		fprintf(stderr,
			"slabsim campaign merge: --out: cannot create the directory %s: %s\n", out,
			g_strerror(errno));
		return CLI_EXIT_USAGE;
	}
	int rc = CLI_EXIT_OK;
	GTree *cells = result_files(argv[1], &rc);
	if (!cells)
		return rc;
	if (!g_tree_nnodes(cells)) {
		fprintf(stderr,
			"slabsim campaign merge: %s: no result files "
			"(NAME.SCHEDULER.task-I-of-N.json)\n",
			argv[1]);
		g_tree_destroy(cells);
		return CLI_EXIT_USAGE;
	}
	struct merge_state st = { out, g_ptr_array_new_with_free_func(row_free), CLI_EXIT_OK };
	g_tree_foreach(cells, merge_cell, &st);
	print_table(st.rows);
	g_ptr_array_free(st.rows, TRUE);
	g_tree_destroy(cells);
	return st.rc;
}

int cli_campaign(int argc, char **argv)
{
	static const struct cli_command sub[] = {
		{ "plan", "print the N slices of a campaign file and their commands", plan },
		{ "run", "run slice i of N of a campaign file into a directory", run },
		{ "merge", "merge a directory of result files into a table", merge },
	};
	for (unsigned s = 0; argc >= 2 && s < G_N_ELEMENTS(sub); s++)
		if (!strcmp(argv[1], sub[s].name))
			return sub[s].run(argc - 1, argv + 1);
	FILE *f =
	    argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) ? stdout : stderr;
	if (f == stderr)
		fprintf(stderr, "slabsim campaign: expected plan, run or merge, got '%s'\n",
			argc >= 2 ? argv[1] : "nothing");
	fprintf(f, "usage: slabsim campaign plan|run|merge ...\n");
	for (unsigned s = 0; s < G_N_ELEMENTS(sub); s++)
		fprintf(f, "  %-6s %s\n", sub[s].name, sub[s].summary);
	return f == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
