/* SPDX-License-Identifier: MIT */
#include "ui/widgets.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/trange.h"

struct tv_style
tv_look_style(const struct tv_look *lk, enum tv_role role)
{
	return tv_theme(lk->tier, lk->bg, role);
}

struct tv_rect
tv_rect_clip(struct tv_rect r, const struct tv_frame *f)
{
	int x1 = r.x + r.w, y1 = r.y + r.h;

	if (r.x < 0)
		r.x = 0;
	if (r.y < 0)
		r.y = 0;
	if (x1 > f->w)
		x1 = f->w;
	if (y1 > f->h)
		y1 = f->h;
	r.w = x1 > r.x ? x1 - r.x : 0;
	r.h = y1 > r.y ? y1 - r.y : 0;
	return r;
}

static void
blank_rect(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk)
{
	tv_frame_fill(f, r, " ", tv_look_style(lk, TV_ROLE_TEXT));
}

int
tv_w_label(struct tv_frame *f, int x, int y, int maxw, const char *s,
	   struct tv_style st)
{
	const char *ell = tv_glyphs(f->utf8)->ellipsis;
	int ew = tv_str_width(ell), n;

	if (maxw <= 0 || !s)
		return 0;
	if (tv_str_width(s) <= maxw)
		return tv_frame_puts(f, x, y, maxw, s, st);
	if (maxw <= ew)
		return tv_frame_puts(f, x, y, maxw, ell, st);
	n = tv_frame_puts(f, x, y, maxw - ew, s, st);
	return n + tv_frame_puts(f, x + n, y, ew, ell, st);
}

int
tv_w_label_right(struct tv_frame *f, int x, int y, int w, const char *s,
		 struct tv_style st)
{
	int sw = s ? tv_str_width(s) : 0;
	int at = sw < w ? x + w - sw : x;

	tv_w_label(f, at, y, w, s, st);
	return at;
}

void
tv_fmt_count(char *buf, size_t cap, double v)
{
	char raw[32];
	size_t n, i, o = 0;

	snprintf(raw, sizeof raw, "%.0f", v);
	n = strlen(raw);
	for (i = 0; i < n && o + 2 < cap; i++) {
		if (i && (n - i) % 3 == 0 && raw[i - 1] != '-')
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
}

/* A probability as a percentage with the digits its size deserves. */
void
tv_fmt_pct(char *buf, size_t cap, double p)
{
	if (p <= 0)
		snprintf(buf, cap, "0%%");
	else if (p >= 0.0995)
		snprintf(buf, cap, "%.1f%%", p * 100);
	else if (p >= 0.000995)
		snprintf(buf, cap, "%.2f%%", p * 100);
	else if (p >= 0.00001)
		snprintf(buf, cap, "%.3f%%", p * 100);
	else
		snprintf(buf, cap, "<0.001%%");
}

/* Eighths of a w-cell bar for v in 0..1; non-zero shows at least one. */
static int
eighths(double v, int w)
{
	double u;

	if (!(v > 0.0) || w <= 0)
		return 0;
	u = v >= 1.0 ? (double)w * 8.0 : floor(v * (double)w * 8.0 + 0.5);
	return u < 1.0 ? 1 : (int)u;
}

static void
bar_row(struct tv_frame *f, int x, int y, int w, const struct tv_look *lk,
	const struct tv_bar *b, int units)
{
	const struct tv_glyphs *g = lk->g;
	int mono_cut = b->cut && lk->tier == TV_TIER_MONO;
	enum tv_role role = b->cut ? TV_ROLE_BAR_CUT :
			    b->role == TV_ROLE_TEXT ? TV_ROLE_BAR : b->role;
	struct tv_style fs = tv_look_style(lk, role);
	struct tv_style ts = tv_look_style(lk, TV_ROLE_TEXT);
	int full = units / 8, rem = units % 8, i;

	if (mono_cut) {
		/* Without colour a cut bar needs its own texture. */
		full = (units + 7) / 8;
		rem = 0;
	}
	for (i = 0; i < w; i++) {
		if (i < full)
			tv_frame_putc(f, x + i, y, mono_cut ? g->shade :
				      g->eighth[8], fs);
		else if (i == full && rem)
			tv_frame_putc(f, x + i, y, g->eighth[rem], fs);
		else
			tv_frame_putc(f, x + i, y, " ", ts);
	}
}

static void
bar_ghost(struct tv_frame *f, int x, int y, int w, const struct tv_look *lk,
	  const struct tv_bar *b, int units)
{
	enum tv_role gr = b->ghost_role == TV_ROLE_TEXT ? TV_ROLE_GHOST :
			  b->ghost_role;
	struct tv_style gs = tv_look_style(lk, gr);
	struct tv_cell *c;
	int gu = eighths(b->ghost, w), col;

	if (b->ghost < 0.0 || w <= 0)
		return;
	col = gu > 0 ? (gu - 1) / 8 : 0;
	c = tv_frame_at(f, x + col, y);
	/* Over the filled part the mark takes the fill as its background,
	 * or is reversed when the fill has no colour of its own. */
	if (c && col * 8 < units) {
		if (c->st.fg == TV_DEFAULT)
			gs.attr |= TV_A_REVERSE;
		else
			gs.bg = c->st.fg;
	}
	tv_frame_putc(f, x + col, y, b->ghost_glyph ? b->ghost_glyph :
		      lk->g->ghost, gs);
}

void
tv_w_bar(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	 const struct tv_bar *b)
{
	int units = eighths(b->value, r.w), y;

	for (y = r.y; y < r.y + r.h; y++) {
		bar_row(f, r.x, y, r.w, lk, b, units);
		bar_ghost(f, r.x, y, r.w, lk, b, units);
	}
}

void
tv_w_gauge(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	   const char *label, double value, double max, const char *text,
	   enum tv_role fill)
{
	struct tv_style on = tv_look_style(lk, fill);
	struct tv_style off = tv_look_style(lk, TV_ROLE_GAUGE_EMPTY);
	int x = r.x, end = r.x + r.w, n, lit, i;

	if (r.w <= 0 || r.h <= 0)
		return;
	blank_rect(f, (struct tv_rect){ r.x, r.y, r.w, 1 }, lk);
	if (label && *label) {
		x += tv_w_label(f, x, r.y, r.w, label,
				tv_look_style(lk, TV_ROLE_STAT_LABEL));
		x++;
	}
	if (text && *text) {
		int tw = tv_str_width(text);

		if (tw > end - x)
			tw = end - x;
		end -= tw;
		tv_w_label(f, end, r.y, tw, text,
			   tv_look_style(lk, TV_ROLE_STAT_VALUE));
		end--;
	}
	n = end - x;
	if (n <= 0)
		return;
	lit = max > 0.0 ? eighths(value / max, n) : 0;
	lit = (lit + 7) / 8;
	for (i = 0; i < n; i++)
		tv_frame_putc(f, x + i, r.y, i < lit ? lk->g->gauge_on :
			      lk->g->gauge_off, i < lit ? on : off);
}

static double
scale01(double v, double lo, double hi, int logscale)
{
	double t;

	if (logscale) {
		if (!(v > 0.0) || !(lo > 0.0) || !(hi > lo))
			return 0.0;
		t = (log(v) - log(lo)) / (log(hi) - log(lo));
	} else {
		if (!(hi > lo))
			return 0.0;
		t = (v - lo) / (hi - lo);
	}
	if (!(t > 0.0))
		return 0.0;
	return t > 1.0 ? 1.0 : t;
}

/* The guidance bands over a temperature track, each with its initial
 * where it has room for it (balanced and creative meet at 0.8: the
 * initial shows where one ends). */
static void
dial_bands(struct tv_frame *f, int x, int y, int w, const struct tv_look *lk,
	   const struct tv_dial *d)
{
	struct tv_style bs = tv_look_style(lk, TV_ROLE_GAUGE);

	for (int i = 0; i < TV_BANDS; i++) {
		const struct tv_band *b = tv_band(i);
		int x0 = (int)floor(scale01(b->lo, d->lo, d->hi, d->log) *
				    (double)(w - 1) + 0.5);
		int x1 = (int)floor(scale01(b->hi, d->lo, d->hi, d->log) *
				    (double)(w - 1) + 0.5);
		char initial[2] = { (char)b->name[0], '\0' };

		if (b->lo >= d->hi || b->hi <= d->lo)
			continue;
		for (int c = x0; c <= x1; c++)
			tv_frame_putc(f, x + c, y, lk->g->band, bs);
		if (x1 - x0 >= 2)
			tv_frame_putc(f, x + x0, y, initial, bs);
	}
}

static void
dial_track(struct tv_frame *f, int x, int y, int w, const struct tv_look *lk,
	   const struct tv_dial *d)
{
	struct tv_style ts = tv_look_style(lk, TV_ROLE_DIAL_TRACK);
	struct tv_style ms = tv_look_style(lk, d->focus ? TV_ROLE_FOCUS :
					   TV_ROLE_DIAL_MARK);
	int i, at;

	if (w <= 0)
		return;
	for (i = 0; i < w; i++)
		tv_frame_putc(f, x + i, y, lk->g->track, ts);
	if (d->bands)
		dial_bands(f, x, y, w, lk, d);
	if (d->off)
		return;
	at = (int)floor(scale01(d->value, d->lo, d->hi, d->log) *
			(double)(w - 1) + 0.5);
	tv_frame_putc(f, x + at, y, lk->g->bullet, ms);
}

void
tv_w_dial(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	  const struct tv_dial *d)
{
	struct tv_style ns = tv_look_style(lk, d->off ? TV_ROLE_DIM :
					   d->focus ? TV_ROLE_FOCUS :
					   TV_ROLE_DIAL_NAME);
	struct tv_style vs = tv_look_style(lk, d->off ? TV_ROLE_DIM :
					   TV_ROLE_DIAL_VALUE);
	int x = r.x, tw = d->text ? tv_str_width(d->text) : 0, nw;

	if (r.w <= 0 || r.h <= 0)
		return;
	blank_rect(f, r, lk);
	tv_frame_puts(f, x, r.y, 1, d->focus ? lk->g->pointer : " ", ns);
	x += 2;
	if (r.h >= 2) {
		nw = r.w - 2 - (tw ? tw + 1 : 0);
		tv_w_label(f, x, r.y, nw, d->name, ns);
		if (tw)
			tv_w_label_right(f, r.x + 2, r.y, r.w - 2,
					 d->text, vs);
		dial_track(f, x, r.y + 1, r.w - 2, lk, d);
		return;
	}
	x += tv_w_label(f, x, r.y, r.x + r.w - x, d->name, ns) + 1;
	x += tv_w_label(f, x, r.y, r.x + r.w - x, d->text, vs) + 1;
	dial_track(f, x, r.y, r.x + r.w - x, lk, d);
}

/* ---- plots ---- */

struct pcell {
	unsigned char bits;    /* braille dots */
	signed char level;     /* block or ASCII level, -1 for none */
	signed char series;    /* the last series drawn here, -1 for none */
};

struct pgrid {
	struct pcell *c;
	int w, h;              /* cells */
	int px, py;            /* pixels across and up */
	enum tv_plot_mode mode;
};

static double
plot_x(const struct tv_plot *p, double v)
{
	return p->xlog ? (v > 0.0 ? log(v) : NAN) : v;
}

/* The series' y at x by linear interpolation; NAN outside its x range or
 * next to a gap. */
static double
series_at(const struct tv_series *s, const struct tv_plot *p, double x)
{
	int lo = 0, hi = s->n - 1;
	double x0, x1, t;

	if (s->n <= 0)
		return NAN;
	x0 = plot_x(p, s->x ? s->x[0] : 0.0);
	x1 = plot_x(p, s->x ? s->x[hi] : (double)hi);
	if (s->n == 1)
		return fabs(x - x0) < 1e-12 ? s->y[0] : NAN;
	if (!(x >= x0 && x <= x1))
		return NAN;
	while (hi - lo > 1) {
		int mid = (lo + hi) / 2;

		if (plot_x(p, s->x ? s->x[mid] : (double)mid) <= x)
			lo = mid;
		else
			hi = mid;
	}
	x0 = plot_x(p, s->x ? s->x[lo] : (double)lo);
	x1 = plot_x(p, s->x ? s->x[hi] : (double)hi);
	t = x1 > x0 ? (x - x0) / (x1 - x0) : 0.0;
	return s->y[lo] + t * (s->y[hi] - s->y[lo]);
}

static void
grid_set(struct pgrid *g, int px, int py, int series)
{
	int cx, cy, sub;
	struct pcell *c;

	if (g->mode == TV_PLOT_BRAILLE) {
		cx = px / 2;
		cy = g->h - 1 - py / 4;
		c = &g->c[cy * g->w + cx];
		c->bits |= (unsigned char)tv_glyph_braille_bit(px % 2,
							       3 - py % 4);
	} else {
		sub = g->mode == TV_PLOT_BLOCK ? 8 : 3;
		cx = px;
		cy = g->h - 1 - py / sub;
		c = &g->c[cy * g->w + cx];
		c->level = (signed char)(py % sub);
	}
	c->series = (signed char)series;
}

static void
grid_series(struct pgrid *g, const struct tv_plot *p, int si)
{
	double ax = plot_x(p, p->xmin), bx = plot_x(p, p->xmax);
	int c, prev = -1;

	for (c = 0; c < g->px; c++) {
		double x = ax + ((double)c + 0.5) / (double)g->px * (bx - ax);
		double y = series_at(&p->series[si], p, x);
		int row, r;

		if (!isfinite(y)) {
			prev = -1;
			continue;
		}
		row = (int)floor(scale01(y, p->ymin, p->ymax, 0) *
				 (double)g->py);
		if (row >= g->py)
			row = g->py - 1;
		/* Braille joins steps with vertical runs so a steep curve
		 * stays one connected line. */
		if (g->mode == TV_PLOT_BRAILLE && prev >= 0 && prev != row) {
			int step = row > prev ? 1 : -1;

			for (r = prev + step; r != row; r += step)
				grid_set(g, c, r, si);
		}
		grid_set(g, c, row, si);
		prev = row;
	}
}

static const char *
grid_glyph(const struct pgrid *g, const struct pcell *c,
	   const struct tv_look *lk, int marks, char buf[4])
{
	if (marks)
		return lk->g->mark[c->series % TV_GLYPH_SERIES];
	if (g->mode == TV_PLOT_BRAILLE)
		return tv_glyph_braille(c->bits, buf);
	if (g->mode == TV_PLOT_BLOCK)
		return lk->g->spark[c->level + 1];
	return lk->g->dots[c->level];
}

static void
grid_draw(struct tv_frame *f, struct tv_rect d, const struct pgrid *g,
	  const struct tv_look *lk, const struct tv_plot *p)
{
	/* Colour tells series apart; without it each gets its own mark. */
	int marks = lk->tier == TV_TIER_MONO && p->nseries > 1;
	int x, y;

	for (y = 0; y < g->h; y++) {
		for (x = 0; x < g->w; x++) {
			const struct pcell *c = &g->c[y * g->w + x];
			char buf[4];

			if (c->series < 0)
				continue;
			tv_frame_putc(f, d.x + x, d.y + y,
				      grid_glyph(g, c, lk, marks, buf),
				      tv_look_style(lk,
					      p->series[c->series].role));
		}
	}
}

static int
plot_col(const struct tv_plot *p, struct tv_rect d, double x)
{
	double ax = plot_x(p, p->xmin), bx = plot_x(p, p->xmax);
	double t = (plot_x(p, x) - ax) / (bx - ax);

	if (!isfinite(t) || t < 0.0 || t > 1.0)
		return -1;
	return t >= 1.0 ? d.w - 1 : (int)floor(t * (double)d.w);
}

static void
plot_playhead(struct tv_frame *f, struct tv_rect d, const struct tv_look *lk,
	      const struct tv_plot *p)
{
	struct tv_style ps = tv_look_style(lk, TV_ROLE_PLAYHEAD);
	int col = plot_col(p, d, p->playhead), y;

	if (col < 0)
		return;
	for (y = d.y; y < d.y + d.h; y++) {
		struct tv_cell *c = tv_frame_at(f, d.x + col, y);

		if (!c)
			continue;
		if (c->ch[0] == ' ')
			tv_frame_putc(f, d.x + col, y, lk->g->playhead, ps);
		else
			c->st = ps;
	}
}

static void
plot_marker(struct tv_frame *f, struct tv_rect d, const struct tv_look *lk,
	    const struct tv_plot *p)
{
	int col = plot_col(p, d, p->mark_x), row;

	if (col < 0 || !isfinite(p->mark_y) || p->mark_y < p->ymin ||
	    p->mark_y > p->ymax)
		return;
	row = (int)floor(scale01(p->mark_y, p->ymin, p->ymax, 0) *
			 (double)d.h);
	if (row >= d.h)
		row = d.h - 1;
	tv_frame_putc(f, d.x + col, d.y + d.h - 1 - row, lk->g->bullet,
		      tv_look_style(lk, TV_ROLE_MARKER));
}

/* A caller's format for an axis number: the format is data (struct
 * tv_plot's yfmt and xfmt), not a literal, so it goes through a va_list. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#endif
static void
axis_num(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

/* Axis labels take the left gutter and the bottom row; returns the data
 * rectangle left over. */
static struct tv_rect
plot_labels(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	    const struct tv_plot *p)
{
	struct tv_style as = tv_look_style(lk, TV_ROLE_PLOT_AXIS);
	const char *yf = p->yfmt ? p->yfmt : "%.3g";
	const char *xf = p->xfmt ? p->xfmt : "%.3g";
	char hi[32], lo[32], xl[32], xh[32];
	int gw, y;
	struct tv_rect d;

	axis_num(hi, sizeof hi, yf, p->ymax);
	axis_num(lo, sizeof lo, yf, p->ymin);
	axis_num(xl, sizeof xl, xf, p->xmin);
	axis_num(xh, sizeof xh, xf, p->xmax);
	gw = tv_str_width(hi) > tv_str_width(lo) ? tv_str_width(hi) :
						    tv_str_width(lo);
	if (r.w < gw + 4 || r.h < 3)
		return r;
	d = (struct tv_rect){ r.x + gw + 1, r.y, r.w - gw - 1, r.h - 1 };
	tv_w_label_right(f, r.x, r.y, gw, hi, as);
	tv_w_label_right(f, r.x, d.y + d.h - 1, gw, lo, as);
	for (y = d.y; y < d.y + d.h; y++)
		tv_frame_putc(f, r.x + gw, y, lk->g->axis_v, as);
	tv_frame_putc(f, r.x + gw, d.y + d.h, lk->g->axis_corner, as);
	tv_frame_puts(f, d.x, d.y + d.h, d.w, xl, as);
	if (tv_str_width(xl) + 1 + tv_str_width(xh) <= d.w)
		tv_w_label_right(f, d.x, d.y + d.h, d.w, xh, as);
	return d;
}

static enum tv_plot_mode
plot_mode(const struct tv_look *lk, const struct tv_plot *p)
{
	if (p->mode == TV_PLOT_AUTO)
		return lk->g->utf8 ? TV_PLOT_BRAILLE : TV_PLOT_ASCII;
	/* Braille and blocks need UTF-8. */
	return lk->g->utf8 ? p->mode : TV_PLOT_ASCII;
}

struct tv_rect
tv_w_plot(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	  const struct tv_plot *p)
{
	struct tv_rect d;
	struct pgrid g;
	int i, n;

	r = tv_rect_clip(r, f);
	if (r.w <= 0 || r.h <= 0)
		return r;
	blank_rect(f, r, lk);
	d = p->labels ? plot_labels(f, r, lk, p) : r;
	g.mode = plot_mode(lk, p);
	g.w = d.w;
	g.h = d.h;
	g.px = g.mode == TV_PLOT_BRAILLE ? 2 * d.w : d.w;
	g.py = d.h * (g.mode == TV_PLOT_BRAILLE ? 4 :
		      g.mode == TV_PLOT_BLOCK ? 8 : 3);
	n = d.w * d.h;
	if (n <= 0 || !(p->ymax > p->ymin) ||
	    !(plot_x(p, p->xmax) > plot_x(p, p->xmin)))
		return d;
	g.c = malloc((size_t)n * sizeof *g.c);
	if (!g.c)
		return d;
	for (i = 0; i < n; i++)
		g.c[i] = (struct pcell){ 0, -1, -1 };
	for (i = 0; i < p->nseries && i < 127; i++)
		grid_series(&g, p, i);
	grid_draw(f, d, &g, lk, p);
	free(g.c);
	if (!isnan(p->playhead))
		plot_playhead(f, d, lk, p);
	if (!isnan(p->mark_x))
		plot_marker(f, d, lk, p);
	return d;
}

void
tv_w_hist(struct tv_frame *f, struct tv_rect r, const struct tv_look *lk,
	  const double *emp, const double *theory, int n, double scale)
{
	int i;

	for (i = 0; i < n && i < r.h; i++) {
		struct tv_bar b = {
			.value = emp && scale > 0.0 ? emp[i] / scale : 0.0,
			.ghost = theory && scale > 0.0 ? theory[i] / scale :
							 -1.0,
			.role = TV_ROLE_HIST_EMP,
			.ghost_role = TV_ROLE_HIST_THEORY,
			.ghost_glyph = lk->g->thresh,
		};

		tv_w_bar(f, (struct tv_rect){ r.x, r.y + i, r.w, 1 }, lk, &b);
	}
}

/* ---- wrapped text ---- */

struct wrap {
	struct tv_frame *f;
	struct tv_rect r;
	struct tv_style st;
	int row, col;
};

static void
wrap_newline(struct wrap *w)
{
	w->row++;
	w->col = 0;
}

/* Put the character at s (with its marks), cw columns, unless it would
 * cross the rectangle's right edge. */
static void
wrap_put(struct wrap *w, const char *s, int cw)
{
	int room = w->r.w - w->col;

	if (w->row < w->r.h)
		tv_frame_puts(w->f, w->r.x + w->col, w->r.y + w->row,
			      cw < room ? cw : room, s, w->st);
	w->col += cw;
}

static int
word_width(const char *s, int *bytes)
{
	int wd = 0, i = 0, cw;

	while (s[i] && s[i] != ' ' && s[i] != '\n') {
		i += tv_frame_cluster(s + i, &cw);
		wd += cw;
	}
	*bytes = i;
	return wd;
}

static void
wrap_word(struct wrap *w, const char *s, int bytes, int wd)
{
	int i = 0;

	if (w->col > 0 && w->col + 1 + wd > w->r.w)
		wrap_newline(w);
	else if (w->col > 0)
		w->col++;
	while (i < bytes) {
		int cw, n = tv_frame_cluster(s + i, &cw);

		/* A word longer than the line is split where it hits the
		 * edge. */
		if (w->col + cw > w->r.w)
			wrap_newline(w);
		wrap_put(w, s + i, cw);
		i += n;
	}
}

int
tv_w_text(struct tv_frame *f, struct tv_rect r, const char *s,
	  struct tv_style st)
{
	struct wrap w = { f, r, st, 0, 0 };

	if (!s || !*s || r.w <= 0)
		return 0;
	while (*s) {
		int bytes, wd;

		if (*s == '\n') {
			wrap_newline(&w);
			s++;
			continue;
		}
		if (*s == ' ') {
			s++;
			continue;
		}
		wd = word_width(s, &bytes);
		wrap_word(&w, s, bytes, wd);
		s += bytes;
	}
	return w.col > 0 || w.row == 0 ? w.row + 1 : w.row;
}
