/* SPDX-License-Identifier: MIT */
#include "ui/frame.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "io/uwidth.h"

static const struct tv_style default_style = { TV_DEFAULT, TV_DEFAULT, 0 };

int
tv_utf8_decode(const char *s, uint32_t *cp)
{
	size_t len = 0;

	while (len < 4 && s[len])
		len++;
	return (int)tv_utf8_scalar((const unsigned char *)s, len, cp);
}

int
tv_utf8_len(const char *s)
{
	uint32_t cp;
	int n = tv_utf8_decode(s, &cp);

	return n ? n : 1;
}

/* One cell's worth of text at s: a character and the zero-width marks
 * that follow it. *base_len is the first character's bytes (1 for an
 * invalid byte), *cp and *w its code point and columns: a control or
 * invalid byte becomes '?', 1 column, the last guard before a terminal.
 * Returns the bytes of the whole cluster. */
static int
cluster(const char *s, int *base_len, uint32_t *cp, int *w)
{
	int n = tv_utf8_decode(s, cp), len;
	uint32_t m;

	*w = n ? tv_cp_width(*cp) : -1;
	if (*w < 0) {
		*cp = '?';
		*w = 1;
	}
	*base_len = n ? n : 1;
	len = *base_len;
	while (s[len] && (n = tv_utf8_decode(s + len, &m)) > 0 &&
	       tv_cp_width(m) == 0)
		len += n;
	return len;
}

int
tv_frame_cluster(const char *s, int *cols)
{
	int bl, w, n;
	uint32_t cp;

	n = cluster(s, &bl, &cp, &w);
	/* A mark with no character before it sits on a space. */
	*cols = w == 0 ? 1 : w;
	return n;
}

int
tv_str_width(const char *s)
{
	int w = 0, cw;

	while (*s) {
		s += tv_frame_cluster(s, &cw);
		w += cw;
	}
	return w;
}

int
tv_cell_codes(const struct tv_cell *c, uint32_t *cp, int cap)
{
	int i = 0, n = 0;

	while (c->ch[i] && n < cap) {
		int k = tv_utf8_decode(c->ch + i, &cp[n]);

		if (k == 0)
			break;
		i += k;
		n++;
	}
	return n;
}

static void
blank(struct tv_cell *c, struct tv_style st)
{
	c->ch[0] = ' ';
	c->ch[1] = '\0';
	c->width = 1;
	c->st = st;
}

int
tv_frame_init(struct tv_frame *f, int w, int h)
{
	f->w = 0;
	f->h = 0;
	f->cells = NULL;
	f->utf8 = 0;
	return tv_frame_resize(f, w, h);
}

int
tv_frame_resize(struct tv_frame *f, int w, int h)
{
	struct tv_cell *c;
	size_t n;

	if (w < 0 || h < 0 ||
	    (h > 0 && (size_t)w > SIZE_MAX / sizeof *c / (size_t)h))
		return -1;
	n = (size_t)w * (size_t)h;
	c = realloc(f->cells, n ? n * sizeof *c : sizeof *c);
	if (!c)
		return -1;
	f->cells = c;
	f->w = w;
	f->h = h;
	tv_frame_clear(f, default_style);
	return 0;
}

void
tv_frame_free(struct tv_frame *f)
{
	free(f->cells);
	f->cells = NULL;
	f->w = 0;
	f->h = 0;
}

void
tv_frame_clear(struct tv_frame *f, struct tv_style st)
{
	size_t i, n = (size_t)f->w * (size_t)f->h;

	for (i = 0; i < n; i++)
		blank(&f->cells[i], st);
}

struct tv_cell *
tv_frame_at(struct tv_frame *f, int x, int y)
{
	if (x < 0 || y < 0 || x >= f->w || y >= f->h)
		return NULL;
	return &f->cells[(size_t)y * (size_t)f->w + (size_t)x];
}

/* Before a cell is overwritten, the other half of a double-width character
 * it belongs to becomes a blank, so no half character is left behind. */
static void
unpair(struct tv_frame *f, int x, int y)
{
	struct tv_cell *c = tv_frame_at(f, x, y), *o;

	if (c->width == 0 && (o = tv_frame_at(f, x - 1, y)) != NULL)
		blank(o, o->st);
	else if (c->width == 2 && (o = tv_frame_at(f, x + 1, y)) != NULL)
		blank(o, o->st);
}

/* Put the cluster s[0 .. len) (a character of base_len bytes, code point
 * cp and w columns, then its marks) at x,y. w is 0 for marks with no
 * character before them, which sit on a space. */
static void
put_cluster(struct tv_frame *f, int x, int y, const char *s, int len,
	    int base_len, uint32_t cp, int w, struct tv_style st)
{
	struct tv_cell *c = tv_frame_at(f, x, y), *r;
	int n, k, codes;

	if (!c)
		return;
	unpair(f, x, y);
	if (w == 2) {
		r = tv_frame_at(f, x + 1, y);
		if (!r) {
			/* Half a wide character cannot be shown at the edge. */
			blank(c, st);
			return;
		}
		unpair(f, x + 1, y);
		r->ch[0] = '\0';
		r->width = 0;
		r->st = st;
	}
	if (w == 0) {
		c->ch[0] = ' ';
		n = 1;
		k = 0;
	} else {
		/* cp is '?' for a control or an invalid byte. */
		if (cp == '?')
			c->ch[0] = '?';
		else
			memcpy(c->ch, s, (size_t)base_len);
		n = cp == '?' ? 1 : base_len;
		k = base_len;
	}
	/* The cell holds as many marks as safe text lets through; more
	 * are dropped. */
	for (codes = 1; k < len && codes < TV_CELL_CODES; codes++) {
		int m = tv_utf8_len(s + k);

		memcpy(c->ch + n, s + k, (size_t)m);
		n += m;
		k += m;
	}
	c->ch[n] = '\0';
	c->width = (uint8_t)(w == 0 ? 1 : w);
	c->st = st;
}

int
tv_frame_putc(struct tv_frame *f, int x, int y, const char *utf8,
	      struct tv_style st)
{
	int bl, w, len;
	uint32_t cp;

	if (!utf8 || !*utf8)
		utf8 = "?";
	len = cluster(utf8, &bl, &cp, &w);
	put_cluster(f, x, y, utf8, len, bl, cp, w, st);
	return w == 0 ? 1 : w;
}

int
tv_frame_puts(struct tv_frame *f, int x, int y, int maxw, const char *s,
	      struct tv_style st)
{
	int used = 0;

	if (!s)
		return 0;
	if (maxw < 0)
		maxw = f->w - x;
	while (*s) {
		int bl, w, len;
		uint32_t cp;

		len = cluster(s, &bl, &cp, &w);
		if (used + (w == 0 ? 1 : w) > maxw)
			break;
		if (x + used >= 0)
			put_cluster(f, x + used, y, s, len, bl, cp, w, st);
		else if (x + used + w > 0)
			/* A wide character cut by the left edge. */
			put_cluster(f, 0, y, " ", 1, 1, ' ', 1, st);
		used += w == 0 ? 1 : w;
		s += len;
	}
	return used;
}

int
tv_frame_printf(struct tv_frame *f, int x, int y, int maxw,
		struct tv_style st, const char *fmt, ...)
{
	char buf[512], *p = buf;
	va_list ap;
	int n, used;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	if ((size_t)n >= sizeof buf) {
		p = malloc((size_t)n + 1);
		if (!p)
			return 0;
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	used = tv_frame_puts(f, x, y, maxw, p, st);
	if (p != buf)
		free(p);
	return used;
}

void
tv_frame_fill(struct tv_frame *f, struct tv_rect r, const char *utf8,
	      struct tv_style st)
{
	int x, y, x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
	int x1 = r.x + r.w, y1 = r.y + r.h;
	int w = tv_str_width(utf8 ? utf8 : "?");

	if (x1 > f->w)
		x1 = f->w;
	if (y1 > f->h)
		y1 = f->h;
	for (y = y0; y < y1; y++) {
		for (x = x0; x + w <= x1; x += w)
			tv_frame_putc(f, x, y, utf8, st);
		/* A wide fill that does not divide the width ends in a blank
		 * rather than spilling out of the rectangle. */
		if (x < x1)
			tv_frame_putc(f, x, y, " ", st);
	}
}

int
tv_format_parse(const char *s)
{
	static const char *const names[] = { "txt", "ansi", "svg", "html" };
	int i;

	for (i = 0; i < 4; i++)
		if (s && strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

uint32_t
tv_xterm_rgb(int idx)
{
	static const uint32_t base[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
		0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
		0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const uint32_t level[6] = { 0, 95, 135, 175, 215, 255 };
	uint32_t v;

	if (idx < 0 || idx > 255)
		return 0;
	if (idx < 16)
		return base[idx];
	if (idx < 232) {
		idx -= 16;
		return level[idx / 36] << 16 | level[idx / 6 % 6] << 8 |
		       level[idx % 6];
	}
	v = 8 + 10 * (uint32_t)(idx - 232);
	return v << 16 | v << 8 | v;
}

/* ---- writers ---- */

static const struct tv_cell *
cell_at(const struct tv_frame *f, int x, int y)
{
	return &f->cells[(size_t)y * (size_t)f->w + (size_t)x];
}

static int
style_eq(struct tv_style a, struct tv_style b)
{
	return a.fg == b.fg && a.bg == b.bg && a.attr == b.attr;
}

/* A cell holding a space alone (not a space carrying marks). */
static int
is_space(const struct tv_cell *c)
{
	return c->width == 1 && c->ch[0] == ' ' && c->ch[1] == '\0';
}

/* A trailing cell that shows nothing: a space with no background, reverse
 * or underline. Such cells are trimmed at line ends. */
static int
is_invisible(const struct tv_cell *c)
{
	return is_space(c) && c->st.bg == TV_DEFAULT &&
	       !(c->st.attr & (TV_A_REVERSE | TV_A_UNDERLINE));
}

static int
line_end(const struct tv_frame *f, int y, int plain)
{
	int end = f->w;

	while (end > 0) {
		const struct tv_cell *c = cell_at(f, end - 1, y);

		if (plain ? !is_space(c) :
			    !is_invisible(c))
			break;
		end--;
	}
	return end;
}

static int
write_txt(const struct tv_frame *f, FILE *out)
{
	int x, y;

	for (y = 0; y < f->h; y++) {
		int end = line_end(f, y, 1);

		for (x = 0; x < end; x++)
			fputs(cell_at(f, x, y)->ch, out);
		fputc('\n', out);
	}
	return 0;
}

static const struct {
	uint16_t attr;
	const char *on;
} sgr_attrs[] = {
	{ TV_A_BOLD, "1" }, { TV_A_DIM, "2" }, { TV_A_ITALIC, "3" },
	{ TV_A_UNDERLINE, "4" }, { TV_A_REVERSE, "7" },
};

/* The SGR sequence that changes the terminal from style a to style b:
 * attributes can only be switched off together, so dropping one resets
 * everything and sets what b needs. */
static void
sgr_change(FILE *out, struct tv_style a, struct tv_style b)
{
	const char *sep = "";
	size_t i;

	fputs("\033[", out);
	if (a.attr & ~b.attr) {
		fputs("0", out);
		sep = ";";
		a = default_style;
	}
	for (i = 0; i < sizeof sgr_attrs / sizeof sgr_attrs[0]; i++) {
		if ((b.attr & sgr_attrs[i].attr) &&
		    !(a.attr & sgr_attrs[i].attr)) {
			fprintf(out, "%s%s", sep, sgr_attrs[i].on);
			sep = ";";
		}
	}
	if (a.fg != b.fg) {
		if (b.fg == TV_DEFAULT)
			fprintf(out, "%s39", sep);
		else
			fprintf(out, "%s38;5;%d", sep, b.fg);
		sep = ";";
	}
	if (a.bg != b.bg) {
		if (b.bg == TV_DEFAULT)
			fprintf(out, "%s49", sep);
		else
			fprintf(out, "%s48;5;%d", sep, b.bg);
	}
	fputc('m', out);
}

static int
write_ansi(const struct tv_frame *f, FILE *out)
{
	int x, y;

	for (y = 0; y < f->h; y++) {
		struct tv_style cur = default_style;
		int end = line_end(f, y, 0);

		for (x = 0; x < end; x++) {
			const struct tv_cell *c = cell_at(f, x, y);

			if (c->width == 0)
				continue;
			if (!style_eq(cur, c->st)) {
				sgr_change(out, cur, c->st);
				cur = c->st;
			}
			fputs(c->ch, out);
		}
		if (!style_eq(cur, default_style))
			fputs("\033[0m", out);
		fputc('\n', out);
	}
	return 0;
}

/* Screenshot colours: the terminal's own foreground and background. */
#define WEB_FG 0xd0d0d0u
#define WEB_BG 0x1c1c1cu
/* SVG cell geometry in hundredths of a pixel: DejaVu Sans Mono advances
 * 0.602 em, so 14 px type gives 8.43 px columns. */
#define SVG_FONT 14
#define SVG_CW 843
#define SVG_CH 1700
#define SVG_BASE 1300

struct web_style {
	uint32_t fg, bg;
	int bg_set;      /* a background differing from the page's */
	uint16_t attr;
};

static uint32_t
mix(uint32_t a, uint32_t b)
{
	uint32_t r = (((a >> 16) & 0xff) + ((b >> 16) & 0xff)) / 2;
	uint32_t g = (((a >> 8) & 0xff) + ((b >> 8) & 0xff)) / 2;
	uint32_t bl = ((a & 0xff) + (b & 0xff)) / 2;

	return r << 16 | g << 8 | bl;
}

/* Resolve a cell style to concrete colours: reverse swaps, dim blends the
 * foreground halfway into the background. */
static struct web_style
web_style(struct tv_style st)
{
	struct web_style w;
	int fgdef = st.fg == TV_DEFAULT, bgdef = st.bg == TV_DEFAULT;

	w.fg = fgdef ? WEB_FG : tv_xterm_rgb(st.fg);
	w.bg = bgdef ? WEB_BG : tv_xterm_rgb(st.bg);
	w.bg_set = !bgdef;
	if (st.attr & TV_A_REVERSE) {
		uint32_t t = w.fg;

		w.fg = w.bg;
		w.bg = t;
		w.bg_set = 1;
	}
	if (st.attr & TV_A_DIM)
		w.fg = mix(w.fg, w.bg);
	w.attr = st.attr & (TV_A_BOLD | TV_A_ITALIC | TV_A_UNDERLINE);
	return w;
}

static int
web_eq(struct web_style a, struct web_style b)
{
	return a.fg == b.fg && a.attr == b.attr;
}

static void
xml_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out); break;
		}
	}
}

static void
svg_num(FILE *out, const char *name, long v)
{
	fprintf(out, " %s=\"%ld", name, v / 100);
	if (v % 100)
		fprintf(out, ".%02ld", v % 100);
	fputc('"', out);
}

/* Characters the font may lack or draw at another width (braille, wide
 * characters, a character with combining marks) get a <text> of their
 * own so the grid stays aligned. */
static int
own_text(const struct tv_cell *c)
{
	uint32_t cp;
	int n = tv_utf8_decode(c->ch, &cp);

	return c->width == 2 || c->ch[n ? n : 1] != '\0' ||
	       (n && cp >= 0x2800);
}

static void
svg_backgrounds(const struct tv_frame *f, FILE *out, int y)
{
	int x = 0;

	while (x < f->w) {
		struct web_style s = web_style(cell_at(f, x, y)->st);
		int x1 = x + 1;

		while (x1 < f->w) {
			struct web_style t = web_style(cell_at(f, x1, y)->st);

			if (t.bg_set != s.bg_set || t.bg != s.bg)
				break;
			x1++;
		}
		if (s.bg_set) {
			fputs("<rect", out);
			svg_num(out, "x", (long)x * SVG_CW);
			svg_num(out, "y", (long)y * SVG_CH);
			svg_num(out, "width", (long)(x1 - x) * SVG_CW);
			svg_num(out, "height", SVG_CH);
			fprintf(out, " fill=\"#%06x\"/>\n", (unsigned)s.bg);
		}
		x = x1;
	}
}

/* The cell attributes as SVG presentation attributes (svg) or as CSS
 * declarations: one table, so the two formats name the same styles. */
static void
web_attrs(FILE *out, uint16_t attr, int svg)
{
	static const struct {
		uint16_t attr;
		const char *name, *value;
	} map[] = {
		{ TV_A_BOLD, "font-weight", "bold" },
		{ TV_A_ITALIC, "font-style", "italic" },
		{ TV_A_UNDERLINE, "text-decoration", "underline" },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (!(attr & map[i].attr))
			continue;
		if (svg)
			fprintf(out, " %s=\"%s\"", map[i].name, map[i].value);
		else
			fprintf(out, "%s:%s;", map[i].name, map[i].value);
	}
}

static void
svg_text_open(FILE *out, int x, int y, struct web_style s)
{
	fputs("<text", out);
	svg_num(out, "x", (long)x * SVG_CW);
	svg_num(out, "y", (long)y * SVG_CH + SVG_BASE);
	if (s.fg != WEB_FG)
		fprintf(out, " fill=\"#%06x\"", (unsigned)s.fg);
	web_attrs(out, s.attr, 1);
	fputc('>', out);
}

static void
svg_texts(const struct tv_frame *f, FILE *out, int y)
{
	int end = line_end(f, y, 1), x = 0;

	while (x < end) {
		const struct tv_cell *c = cell_at(f, x, y);
		struct web_style s = web_style(c->st);
		int x1 = x + c->width, blank_run = is_space(c);

		if (!own_text(c)) {
			while (x1 < end) {
				const struct tv_cell *d = cell_at(f, x1, y);

				if (own_text(d) || !web_eq(web_style(d->st), s))
					break;
				blank_run = blank_run && is_space(d);
				x1++;
			}
		}
		if (!blank_run || (s.attr & TV_A_UNDERLINE)) {
			int i;

			svg_text_open(out, x, y, s);
			for (i = x; i < x1; i++)
				xml_escape(out, cell_at(f, i, y)->ch);
			fputs("</text>\n", out);
		}
		x = x1;
	}
}

static int
write_svg(const struct tv_frame *f, FILE *out)
{
	long w = (long)f->w * SVG_CW, h = (long)f->h * SVG_CH;
	int y;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<svg xmlns=\"http://www.w3.org/2000/svg\"", out);
	svg_num(out, "width", w);
	svg_num(out, "height", h);
	fprintf(out, " viewBox=\"0 0 %ld", w / 100);
	if (w % 100)
		fprintf(out, ".%02ld", w % 100);
	fprintf(out, " %ld\">\n", h / 100);
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#%06x\"/>\n",
		(unsigned)WEB_BG);
	for (y = 0; y < f->h; y++)
		svg_backgrounds(f, out, y);
	fprintf(out, "<g font-family=\"'DejaVu Sans Mono', monospace\" "
		"font-size=\"%d\" fill=\"#%06x\" xml:space=\"preserve\">\n",
		SVG_FONT, (unsigned)WEB_FG);
	for (y = 0; y < f->h; y++)
		svg_texts(f, out, y);
	fputs("</g>\n</svg>\n", out);
	return 0;
}

static void
html_span_open(FILE *out, struct web_style s)
{
	fputs("<span style=\"", out);
	if (s.fg != WEB_FG)
		fprintf(out, "color:#%06x;", (unsigned)s.fg);
	if (s.bg_set)
		fprintf(out, "background:#%06x;", (unsigned)s.bg);
	web_attrs(out, s.attr, 0);
	fputs("\">", out);
}

static int
html_plain(struct web_style s)
{
	return s.fg == WEB_FG && !s.bg_set && !s.attr;
}

static void
html_line(const struct tv_frame *f, FILE *out, int y)
{
	int end = line_end(f, y, 0), x = 0;

	while (x < end) {
		struct web_style s = web_style(cell_at(f, x, y)->st);
		int x1 = x, plain = html_plain(s);

		while (x1 < end) {
			struct web_style t = web_style(cell_at(f, x1, y)->st);

			if (!web_eq(t, s) || t.bg_set != s.bg_set ||
			    t.bg != s.bg)
				break;
			x1++;
		}
		if (!plain)
			html_span_open(out, s);
		for (; x < x1; x++)
			xml_escape(out, cell_at(f, x, y)->ch);
		if (!plain)
			fputs("</span>", out);
	}
	fputc('\n', out);
}

void
tv_frame_write_pre(const struct tv_frame *f, FILE *out)
{
	int y;

	fprintf(out, "<pre style=\"font-family:'DejaVu Sans Mono',monospace;"
		"font-size:14px;line-height:17px;margin:0;padding:8px;"
		"color:#%06x;background:#%06x\">", (unsigned)WEB_FG,
		(unsigned)WEB_BG);
	for (y = 0; y < f->h; y++)
		html_line(f, out, y);
	fputs("</pre>\n", out);
}

static int
write_html(const struct tv_frame *f, FILE *out)
{
	fprintf(out, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>tempviz</title>\n</head>\n"
		"<body style=\"margin:0;background:#%06x\">\n",
		(unsigned)WEB_BG);
	tv_frame_write_pre(f, out);
	fputs("</body>\n</html>\n", out);
	return 0;
}

int
tv_frame_write(const struct tv_frame *f, enum tv_format fmt, FILE *out)
{
	switch (fmt) {
	case TV_FMT_TXT: write_txt(f, out); break;
	case TV_FMT_ANSI: write_ansi(f, out); break;
	case TV_FMT_SVG: write_svg(f, out); break;
	case TV_FMT_HTML: write_html(f, out); break;
	default: return -1;
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
