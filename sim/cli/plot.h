/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * plot.h - the seed's table as an SVG figure: cycles per operation by size
 * for each design (test 1 kmalloc, test 1 kfree, test 2 kmalloc+kfree),
 * measured tables overlaid as dashed lines with markers, and where the
 * cycles went by primitive for each simulated design.  Written directly
 * (no plotting program needed), byte for byte the same for the same data.
 */
#ifndef SIM_PLOT_H
#define SIM_PLOT_H

#include <stdbool.h>

#include "slab_test.h"

#define PLOT_PANELS 3 /* test1 kmalloc, test1 kfree, test2 kmalloc+kfree */
#define PLOT_KINDS_MAX 32

struct plot_series {
	char name[64];
	bool measured;				/* dashed, with markers */
	double y[PLOT_PANELS][SLAB_TEST_SIZES]; /* cycles per op; NAN: none */
	/* Cycles by primitive over the whole run (simulated series only). */
	unsigned nr_kinds;
	unsigned kind_id[PLOT_KINDS_MAX]; /* the same primitive has the same colour */
	const char *kind[PLOT_KINDS_MAX];
	double kind_cycles[PLOT_KINDS_MAX];
};

/* Initialise a series: every value NAN, no breakdown. */
void plot_series_init(struct plot_series *s, const char *name, bool measured);

/*
 * Put one value by its slab_test metric name ("test1 kmalloc(8)",
 * "test2 kmalloc+kfree(256)"); false if the name is no such row.
 */
bool plot_series_set(struct plot_series *s, const char *metric, double cycles_per_op);

/* Does the series have any value? */
bool plot_series_any(const struct plot_series *s);

/* Write the figure; false with a message naming the file on error. */
bool plot_write_svg(const char *path, const char *title, const struct plot_series *s, unsigned n,
		    char *err, unsigned err_len);

#endif /* SIM_PLOT_H */
