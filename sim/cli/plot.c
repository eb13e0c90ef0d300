/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * plot.c - the slab_test figure as SVG (plot.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "keyfile.h"
#include "plot.h"

static const char *const panel_title[PLOT_PANELS] = {
	"test 1: kmalloc",
	"test 1: kfree",
	"test 2: kmalloc + kfree",
};
static const char *const panel_prefix[PLOT_PANELS] = {
	"test1 kmalloc(",
	"test1 kfree(",
	"test2 kmalloc+kfree(",
};

/* Colour-blind-safe colours (Okabe and Ito), one per series in turn. */
static const char *const colour[] = {
	"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
};
#define NR_COLOURS (sizeof(colour) / sizeof(colour[0]))

void plot_series_init(struct plot_series *s, const char *name, bool measured)
{
	memset(s, 0, sizeof(*s));
	g_strlcpy(s->name, name, sizeof(s->name));
	s->measured = measured;
	for (unsigned p = 0; p < PLOT_PANELS; p++)
		for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
			s->y[p][i] = NAN;
}

bool plot_series_set(struct plot_series *s, const char *metric, double cycles_per_op)
{
	for (unsigned p = 0; p < PLOT_PANELS; p++) {
		size_t len = strlen(panel_prefix[p]);
		if (strncmp(metric, panel_prefix[p], len))
			continue;
		char *end;
		unsigned long size = strtoul(metric + len, &end, 10);
		if (strcmp(end, ")"))
			return false;
		for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
			if (slab_test_sizes[i] == size) {
				s->y[p][i] = cycles_per_op;
				return true;
			}
	}
	return false;
}

bool plot_series_any(const struct plot_series *s)
{
	for (unsigned p = 0; p < PLOT_PANELS; p++)
		for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
			if (!isnan(s->y[p][i]))
				return true;
	return false;
}

#define W_PANEL 360
#define H_PANEL 300
#define MARGIN 60
#define TOP 50

/* The y axis is logarithmic: 8-byte fastpaths and 16384-byte page allocations share it. */
static double y_of(double v, double lo, double hi, double y0)
{
	return y0 + H_PANEL - (log10(v) - log10(lo)) / (log10(hi) - log10(lo)) * H_PANEL;
}

/* Decades and their 2 and 5: the y axis's grid. */
static const double mant[] = { 1, 2, 5 };

/* Panel p's y range: from below the lowest to above the highest value, on the grid. */
static void y_range(unsigned p, const struct plot_series *s, unsigned n, double *lo_out,
		    double *hi_out)
{
	double top = 0, bottom = INFINITY;
	for (unsigned k = 0; k < n; k++)
		for (unsigned i = 0; i < SLAB_TEST_SIZES; i++)
			if (!isnan(s[k].y[p][i]) && s[k].y[p][i] > 0) {
				top = fmax(top, s[k].y[p][i]);
				bottom = fmin(bottom, s[k].y[p][i]);
			}
	double lo = 1, hi = 10;
	if (top > 0) {
		lo = pow(10, floor(log10(bottom)));
		hi = pow(10, ceil(log10(top)));
		for (unsigned m = 3; m-- > 0;)
			if (lo * mant[m] <= bottom) {
				lo *= mant[m];
				break;
			}
		double h = hi / 10;
		for (unsigned m = 0; m < 3; m++)
			if (h * mant[m] >= top) {
				hi = h * mant[m];
				break;
			}
		if (hi <= lo)
			hi = lo * 2;
	}
	*lo_out = lo;
	*hi_out = hi;
}

/* Panel p's title, frame, grid and the labels of both axes. */
static void panel_axes(GString *svg, unsigned p, double x0, double y0, double lo, double hi)
{
	g_string_append_printf(
	    svg,
	    "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>\n",
	    x0 + W_PANEL / 2.0, y0 - 12, panel_title[p]);
	g_string_append_printf(svg,
			       "<rect x=\"%.0f\" y=\"%.0f\" width=\"%d\" height=\"%d\" "
			       "fill=\"none\" stroke=\"#888\"/>\n",
			       x0, y0, W_PANEL, H_PANEL);
	for (double dec = pow(10, floor(log10(lo))); dec <= hi; dec *= 10)
		for (unsigned m = 0; m < 3; m++) {
			double v = dec * mant[m];
			if (v < lo * 0.999 || v > hi * 1.001)
				continue;
			double y = y_of(v, lo, hi, y0);
			g_string_append_printf(
			    svg,
			    "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
			    "stroke=\"#ddd\"/><text x=\"%.0f\" y=\"%.1f\" "
			    "text-anchor=\"end\" font-size=\"11\">%g</text>\n",
			    x0, y, x0 + W_PANEL, y, x0 - 4, y + 4, v);
		}
	g_string_append_printf(
	    svg,
	    "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" "
	    "transform=\"rotate(-90 %.0f %.0f)\" text-anchor=\"middle\">cycles per "
	    "op (log)</text>\n",
	    x0 - 42, y0 + H_PANEL / 2.0, x0 - 42, y0 + H_PANEL / 2.0);
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
		double x = x0 + (i + 0.5) * W_PANEL / SLAB_TEST_SIZES;
		g_string_append_printf(svg,
				       "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\" "
				       "font-size=\"10\">%zu</text>\n",
				       x, y0 + H_PANEL + 14.0, slab_test_sizes[i]);
	}
	g_string_append_printf(svg,
			       "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" "
			       "font-size=\"11\">size (bytes)</text>\n",
			       x0 + W_PANEL / 2.0, y0 + H_PANEL + 30.0);
}

/* Series k's line in panel p, dashed and with dots where it was measured. */
static void panel_line(GString *svg, unsigned p, const struct plot_series *s, unsigned k, double x0,
		       double y0, double lo, double hi)
{
	const char *c = colour[k % NR_COLOURS];
	GString *pts = g_string_new(NULL);
	for (unsigned i = 0; i < SLAB_TEST_SIZES; i++) {
		if (isnan(s[k].y[p][i]) || s[k].y[p][i] <= 0)
			continue;
		double x = x0 + (i + 0.5) * W_PANEL / SLAB_TEST_SIZES;
		double y = y_of(s[k].y[p][i], lo, hi, y0);
		g_string_append_printf(pts, "%.1f,%.1f ", x, y);
		if (s[k].measured)
			g_string_append_printf(svg,
					       "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
					       "fill=\"%s\"/>\n",
					       x, y, c);
	}
	if (pts->len)
		g_string_append_printf(svg,
				       "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
				       "stroke-width=\"2\"%s/>\n",
				       pts->str, c,
				       s[k].measured ? " stroke-dasharray=\"6,4\"" : "");
	g_string_free(pts, TRUE);
}

/* Panel p of the figure: every series on the one y scale the panel needs. */
static void panel(GString *svg, unsigned p, const struct plot_series *s, unsigned n)
{
	double x0 = MARGIN + p * (W_PANEL + MARGIN), y0 = TOP;
	double lo, hi;
	y_range(p, s, n, &lo, &hi);
	panel_axes(svg, p, x0, y0, lo, hi);
	for (unsigned k = 0; k < n; k++)
		panel_line(svg, p, s, k, x0, y0, lo, hi);
}

/* Colours for the primitives of the breakdown, by kind. */
static const char *const kind_colour[] = {
	"#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1",
	"#FF9DA7", "#9C755F", "#BAB0AC", "#1F77B4", "#8C564B", "#17BECF", "#BCBD22",
	"#D62728", "#2CA02C", "#9467BD", "#E377C2", "#7F7F7F", "#AEC7E8",
};
#define NR_KIND_COLOURS (sizeof(kind_colour) / sizeof(kind_colour[0]))

/* Where the cycles went: one stacked bar per simulated series, then a key. */
static double breakdown(GString *svg, double y0, const struct plot_series *s, unsigned n)
{
	double total_max = 0;
	unsigned bars = 0;
	for (unsigned k = 0; k < n; k++) {
		double t = 0;
		for (unsigned j = 0; j < s[k].nr_kinds; j++)
			t += s[k].kind_cycles[j];
		total_max = fmax(total_max, t);
		bars += s[k].nr_kinds > 0;
	}
	if (!bars || total_max <= 0)
		return y0;
	g_string_append_printf(
	    svg,
	    "<text x=\"%d\" y=\"%.0f\" font-weight=\"bold\">cycles by "
	    "primitive over the whole run (what each added to the clock)</text>\n",
	    MARGIN, y0);
	double y = y0 + 12, width = 3 * W_PANEL + 2 * MARGIN - 160;
	bool used[PLOT_KINDS_MAX] = { false };
	for (unsigned k = 0; k < n; k++) {
		if (!s[k].nr_kinds)
			continue;
		char *name = g_markup_escape_text(s[k].name, -1);
		g_string_append_printf(svg,
				       "<text x=\"%d\" y=\"%.0f\" font-size=\"11\">%s</text>\n",
				       MARGIN, y + 13, name);
		g_free(name);
		double x = MARGIN + 150;
		for (unsigned j = 0; j < s[k].nr_kinds; j++) {
			double w = s[k].kind_cycles[j] / total_max * width;
			if (w <= 0)
				continue;
			used[s[k].kind_id[j] % PLOT_KINDS_MAX] = true;
			g_string_append_printf(
			    svg,
			    "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"16\" "
			    "fill=\"%s\"><title>%s: %.0f cycles</title></rect>\n",
			    x, y, w, kind_colour[s[k].kind_id[j] % NR_KIND_COLOURS], s[k].kind[j],
			    s[k].kind_cycles[j]);
			x += w;
		}
		y += 22;
	}
	/* The key: every primitive that has a bar, in kind order. */
	double x = MARGIN;
	y += 6;
	for (unsigned id = 0; id < PLOT_KINDS_MAX; id++) {
		if (!used[id])
			continue;
		const char *label = NULL;
		for (unsigned k = 0; k < n && !label; k++)
			for (unsigned j = 0; j < s[k].nr_kinds && !label; j++)
				if (s[k].kind_id[j] == id)
					label = s[k].kind[j];
		if (x > MARGIN + 3 * W_PANEL + MARGIN) {
			x = MARGIN;
			y += 18;
		}
		g_string_append_printf(
		    svg,
		    "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" "
		    "fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">%s</text>\n",
		    x, y, kind_colour[id % NR_KIND_COLOURS], x + 16, y + 10, label);
		x += 40 + 7.0 * (double)strlen(label);
	}
	return y + 28;
}

bool plot_write_svg(const char *path, const char *title, const struct plot_series *s, unsigned n,
		    char *err, unsigned err_len)
{
	GString *svg = g_string_new(NULL);
	int width = MARGIN + PLOT_PANELS * (W_PANEL + MARGIN);
	GString *body = g_string_new(NULL);
	char *t = g_markup_escape_text(title, -1);
	g_string_append_printf(body,
			       "<text x=\"%d\" y=\"22\" font-size=\"15\" "
			       "font-weight=\"bold\">%s</text>\n",
			       MARGIN, t);
	g_free(t);
	for (unsigned p = 0; p < PLOT_PANELS; p++)
		panel(body, p, s, n);
	/* The legend. */
	double y = TOP + H_PANEL + 55;
	for (unsigned k = 0; k < n; k++) {
		double x = MARGIN + (k % 4) * 260.0, yy = y + (k / 4) * 18.0;
		char *name = g_markup_escape_text(s[k].name, -1);
		g_string_append_printf(
		    body,
		    "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
		    "stroke=\"%s\" stroke-width=\"2\"%s/><text x=\"%.0f\" y=\"%.0f\" "
		    "font-size=\"12\">%s%s</text>\n",
		    x, yy, x + 24, yy, colour[k % NR_COLOURS],
		    s[k].measured ? " stroke-dasharray=\"6,4\"" : "", x + 30, yy + 4, name,
		    s[k].measured ? " (measured)" : "");
		g_free(name);
	}
	y += ((n + 3) / 4) * 18.0 + 25;
	y = breakdown(body, y, s, n);
	g_string_append_printf(svg,
			       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
			       "height=\"%.0f\" font-family=\"sans-serif\">\n"
			       "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n%s</svg>\n",
			       width, y + 10, body->str);
	g_string_free(body, TRUE);
	bool ok = sim_write_text_file(path, svg, err, err_len);
	g_string_free(svg, TRUE);
	return ok;
}
