/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_list.c - "slabsim designs" and "slabsim points": what the program can
 * run and where it can intervene.
 */
#include <stdio.h>

#include "cli.h"
#include "cost_profile.h"
#include "port.h"

int cli_designs(int argc, char **argv)
{
	GOptionEntry entries[] = { { NULL } };
	if (!cli_parse("designs", "", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	printf("%-18s %-9s %-10s %-10s %-14s %-7s %-12s %-16s %-15s %-10s %s\n", "design", "kind",
	       "terminator", "page", "read", "commit", "load-order", "free-test", "free-reads",
	       "leak", "slow-path");
	for (unsigned i = 0; i < slab_design_count(); i++) {
		const struct slab_design *d = slab_design_at(i);
		printf("%-18s %-9s %-10s %-10s %-14s %-7s %-12s %-16s %-15s %-10s %s\n", d->name,
		       d->mutant ? "mutant" : "preset", slab_terminator_name(d->terminator),
		       slab_page_source_name(d->page_source),
		       slab_read_protocol_name(d->read_protocol), slab_commit_width_name(d->commit),
		       slab_load_order_name(d->load_order), slab_free_test_name(d->free_test),
		       slab_free_reads_name(d->free_reads),
		       d->v1_posted_leak ? "v1-posted" : "none", slab_slow_path_name(d->slow_path));
	}
	printf("\n");
	for (unsigned i = 0; i < slab_design_count(); i++)
		printf("%-18s %s\n", slab_design_at(i)->name, slab_design_at(i)->summary);
	printf("\nThe designs are fastpaths on one of two slow paths: 3.18's (__slab_alloc with "
	       "interrupts off,\npreemptible only where allocate_slab enables them) for all but "
	       "v5.15 and v5.19, which run\n5.15's (___slab_alloc in local_lock sections with "
	       "interrupts on between them, c->page\nre-checked after each; get_partial and "
	       "deactivate_slab outside the lock; new_slab\npreemptible; put_cpu_partial, "
	       "unfreeze_partials and flush_slab under the same\nlocal_lock; flush_all's work "
	       "run by a kworker task on each CPU, where 3.18's is an IPI).\n");
	const struct slab_design *k = slab_design_named_at(0);
	if (k)
		printf("\nKernels built in (-Dkernel_source, -Dkernel_tree), by name only, not in "
		       "'all' or 'safe':\n");
	for (unsigned i = 0; (k = slab_design_named_at(i)); i++)
		printf("%-22s %s\n", k->name, k->summary);
	return CLI_EXIT_OK;
}

int cli_points(int argc, char **argv)
{
	GOptionEntry entries[] = { { NULL } };
	if (!cli_parse("points", "", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	for (unsigned i = 0; i < SLAB_POINT_COUNT; i++)
		printf("%s\n", slab_point_name((enum slab_point)i));
	return CLI_EXIT_OK;
}

int cli_profiles(int argc, char **argv)
{
	GOptionEntry entries[] = { { NULL } };
	if (!cli_parse("profiles", "[NAME|FILE]", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc == 1) {
		for (const char *const *n = sim_cost_profile_names(); *n; n++) {
			struct sim_cost_profile p;
			char err[512];
			if (!sim_cost_profile_load(*n, &p, err, sizeof(err))) {
				fprintf(stderr, "slabsim profiles: %s\n", err);
				return CLI_EXIT_USAGE;
			}
			printf("%-24s %s\n", p.name, p.description);
			sim_cost_profile_free(&p);
		}
		return CLI_EXIT_OK;
	}
	struct sim_cost_profile p;
	char err[512];
	if (!sim_cost_profile_load(argv[1], &p, err, sizeof(err))) {
		fprintf(stderr, "slabsim profiles: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	printf("%s: %s\n", p.name, p.description);
	for (int k = 0; k < SIM_COST_COUNT; k++)
		printf("  %-24s %6u  %s\n", sim_cost_key_name((enum sim_cost_key)k), p.cost[k],
		       p.source[k]);
	sim_cost_profile_free(&p);
	return CLI_EXIT_OK;
}
