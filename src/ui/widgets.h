/* SPDX-License-Identifier: MIT */
/*
 * Widgets: pure functions that draw into a rectangle of a frame and keep no
 * state. Everything is clipped to the rectangle (and the frame). Colours
 * come from theme roles and characters from the glyph set in a tv_look, so
 * every widget has its ASCII and monochrome forms.
 */
#ifndef TEMPVIZ_WIDGETS_H
#define TEMPVIZ_WIDGETS_H

#include "ui/frame.h"
#include "ui/glyph.h"
#include "ui/theme.h"

/* How to draw: the colour tier and the glyph set, chosen once. */
struct tv_look {
	enum tv_tier tier;
	const struct tv_glyphs *g;
	enum tv_bg bg;          /* picks the theme's palette */
};

struct tv_style tv_look_style(const struct tv_look *lk, enum tv_role role);

/* The intersection of r with the frame. */
struct tv_rect tv_rect_clip(struct tv_rect r, const struct tv_frame *f);

/* Text clipped to maxw columns, ending in an ellipsis when cut (the
 * frame's utf8 flag picks "…" or "~"). Returns the columns used. */
int tv_w_label(struct tv_frame *f, int x, int y, int maxw, const char *s,
	       struct tv_style st);
/* Text right-aligned so it ends at column x + w - 1. Returns its x. */
int tv_w_label_right(struct tv_frame *f, int x, int y, int w, const char *s,
		     struct tv_style st);

/* A count with thousands grouped, as the views show counts: 50,257. */
void tv_fmt_count(char *buf, size_t cap, double v);
/* A probability as a percentage with the digits its size deserves:
 * "42.0%", "0.35%", "0.012%", "<0.001%", "0%". */
void tv_fmt_pct(char *buf, size_t cap, double p);

/*
 * A horizontal bar filling value (0..1) of every row of r, with eighth-cell
 * resolution; any value > 0 shows at least one eighth. A ghost mark (e.g.
 * the probability at T = 1) is drawn at ghost (0..1) unless ghost < 0. A
 * cut bar is drawn in BAR_CUT (and in the mono tier with the shade fill).
 */
struct tv_bar {
	double value;
	double ghost;            /* < 0: none */
	int cut;
	enum tv_role role;       /* fill role when not cut; TEXT means BAR */
	enum tv_role ghost_role; /* TEXT means GHOST */
	const char *ghost_glyph; /* NULL: the glyph set's ghost */
};
void tv_w_bar(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	      const struct tv_bar *b);

/* A one-row gauge: "label ■■■■□□□□ text", filled value/max (clamped, any
 * value > 0 shows one cell). label and text may be NULL. */
void tv_w_gauge(struct tv_frame *f, struct tv_rect r,
		const struct tv_look *lk, const char *label, double value,
		double max, const char *text, enum tv_role fill);

/*
 * A dial: name and value text on the first row, a track with a marker on
 * the second (on one row when r.h is 1: name, value, then the track in the
 * space left). The marker sits at value on lo..hi, on a log scale when log
 * is set (lo must then be > 0). Focus highlights the name and marker.
 */
struct tv_dial {
	const char *name;
	const char *text;        /* the value as shown, e.g. "0.70" or "off" */
	double value, lo, hi;
	int log;
	int focus;
	int off;                 /* disabled: drawn dim, no marker */
	int bands;               /* draw the temperature bands (trange.h) */
};
void tv_w_dial(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	       const struct tv_dial *d);

/* Big block digits (bigtext.c): 0-9 . - = T H and space, TV_BIG_H rows
 * tall, 3 columns a character (1 for '.', space) and 1 between, each
 * cell drawn scale x scale. Draws s only when all of it fits maxw, and
 * returns the columns used (0 when it did not fit); characters outside
 * the font are skipped. */
#define TV_BIG_H 5
int tv_w_big_width(const char *s, int scale);
int tv_w_big(struct tv_frame *f, int x, int y, int maxw, const char *s,
	     int scale, const struct tv_look *lk, struct tv_style st);

/* Line plots: braille (2 x 4 dots a cell), blocks (one level per cell in
 * eighths), or ASCII points. AUTO is braille for UTF-8, ASCII otherwise;
 * the mono tier draws each series with its own mark so they stay apart. */
enum tv_plot_mode { TV_PLOT_AUTO, TV_PLOT_BRAILLE, TV_PLOT_BLOCK,
	TV_PLOT_ASCII };

struct tv_series {
	const double *x;         /* NULL: x = i */
	const double *y;         /* non-finite y values leave a gap */
	int n;
	enum tv_role role;
};

struct tv_plot {
	const struct tv_series *series;
	int nseries;
	double xmin, xmax, ymin, ymax;
	int xlog;                /* x on a log scale (xmin > 0) */
	int labels;              /* y max/min at the left, x min/max below */
	const char *yfmt, *xfmt; /* printf formats for labels; NULL: "%.3g" */
	double playhead;         /* an x value, or NAN for none */
	double mark_x, mark_y;   /* a point marker, NAN for none */
	enum tv_plot_mode mode;
};
/* Returns the rectangle the data occupies (inside the labels). */
struct tv_rect tv_w_plot(struct tv_frame *f, struct tv_rect r,
			 const struct tv_look *lk, const struct tv_plot *p);

/* A histogram against theory, one row of r per item: an empirical bar of
 * emp[i] / scale with a theory mark at theory[i] / scale (either array may
 * be NULL). */
void tv_w_hist(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	       const double *emp, const double *theory, int n, double scale);

/* Word-wrapped safe text in r ('\n' breaks a line; a word longer than the
 * width is split). Returns the rows the whole text needs, which may be more
 * than r.h; only rows inside r are drawn. */
int tv_w_text(struct tv_frame *f, struct tv_rect r, const char *s,
	      struct tv_style st);

#endif
