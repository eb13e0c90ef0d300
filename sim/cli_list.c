/*
 * cli_list.c - "slabsim designs" and "slabsim points": what the program can
 * run and where it can intervene.
 */
#include <stdio.h>

#include "cli.h"
#include "port.h"

int cli_designs(int argc, char **argv)
{
	GOptionEntry entries[] = { { NULL } };
	if (!cli_parse("designs", "", entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	printf("%-18s %-9s %-10s %-10s %-14s %-7s %-12s %-16s %s\n", "design", "kind",
	       "terminator", "page", "read", "commit", "load-order", "free-test", "leak");
	for (unsigned i = 0; i < slab_design_count(); i++) {
		const struct slab_design *d = slab_design_at(i);
		printf("%-18s %-9s %-10s %-10s %-14s %-7s %-12s %-16s %s\n", d->name,
		       d->mutant ? "mutant" : "preset", slab_terminator_name(d->terminator),
		       slab_page_source_name(d->page_source),
		       slab_read_protocol_name(d->read_protocol), slab_commit_width_name(d->commit),
		       slab_load_order_name(d->load_order), slab_free_test_name(d->free_test),
		       d->v1_posted_leak ? "v1-posted" : "none");
	}
	printf("\n");
	for (unsigned i = 0; i < slab_design_count(); i++)
		printf("%-18s %s\n", slab_design_at(i)->name, slab_design_at(i)->summary);
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
