/* SPDX-License-Identifier: MIT */
/*
 * Untrusted token bytes to display text. Every character is turned into a
 * "piece" (its own bytes, or an escape) with a known column width, so the
 * result can be cut to a width without ever splitting a character or an
 * escape, and nothing that moves the cursor, changes the terminal's state
 * or hides itself reaches the screen.
 */
#include "io/safetext.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "io/uwidth.h"

struct piece {
	char b[16];
	size_t len;
	int w;
	int base;       /* a literal visible character marks may attach to */
};

size_t
tv_utf8_scalar(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, lo = 0x80, hi = 0xBF;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;      /* no UTF-16 surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;      /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (i > 1 && (s[i] < 0x80 || s[i] > 0xBF))
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	*cp = v;
	return n;
}

/* Characters that are invisible or reorder text, which a terminal may draw
 * as nothing at all: zero-width spaces and joiners, bidi controls,
 * separators, the byte order mark, emoji variation selectors. */
static int
is_invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x206F) ||
	       (cp >= 0x13430 && cp <= 0x13438) ||
	       (cp >= 0x1BCA0 && cp <= 0x1BCA3) ||
	       (cp >= 0x1D173 && cp <= 0x1D17A) ||
	       cp == 0x00AD || cp == 0x034F || cp == 0x061C ||
	       cp == 0x180E || cp == 0xFE0E || cp == 0xFE0F ||
	       cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
	       (cp >= 0xE0000 && cp <= 0xE007F);
}

static void
piece_text(struct piece *pc, const char *s, int w)
{
	pc->len = strlen(s);
	memcpy(pc->b, s, pc->len);
	pc->w = w;
	pc->base = 0;
}

static void
piece_fmt(struct piece *pc, const char *fmt, unsigned v)
{
	int n = snprintf(pc->b, sizeof pc->b, fmt, v);

	pc->len = (size_t)n;
	pc->w = n;
	pc->base = 0;
}

/* The piece for one code point outside the edge runs. marks counts the
 * zero-width marks already kept since the last base character (-1: no
 * base character to attach to). */
static void
piece_cp(struct piece *pc, uint32_t cp, const unsigned char *raw,
	 size_t rawlen, int marks, int ascii)
{
	int w;

	switch (cp) {
	case '\n': piece_text(pc, "\\n", 2); return;
	case '\t': piece_text(pc, "\\t", 2); return;
	case '\r': piece_text(pc, "\\r", 2); return;
	case '\\': piece_text(pc, "\\\\", 2); return;
	default: break;
	}
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
		piece_fmt(pc, "\\x%02X", cp);
		return;
	}
	if (ascii && cp > 0x7F)
		w = -1;         /* ASCII output escapes everything else */
	else
		w = is_invisible(cp) ? -1 : tv_cp_width(cp);
	if (w < 0 || (w == 0 && (marks < 0 || marks >= TV_SAFE_MARKS))) {
		piece_fmt(pc, "\\u{%04X}", cp);
		return;
	}
	memcpy(pc->b, raw, rawlen);
	pc->len = rawlen;
	pc->w = w;
	pc->base = w > 0;
}

/* The mark a space in an edge run is drawn as. */
static const char *
space_mark(int ascii)
{
	return ascii ? "_" : "\xE2\x90\xA3";
}

/* Bytes of a space or a literal space mark at in[i], else 0. */
static size_t
edge_char(const char *in, size_t len, size_t i, const char *mark)
{
	size_t ml = strlen(mark);

	if (in[i] == ' ')
		return 1;
	return len - i >= ml && memcmp(in + i, mark, ml) == 0 ? ml : 0;
}

/* The extent of the leading and trailing runs of spaces and space marks.
 * Their spaces are made visible ("   " and "  " must not look alike, nor
 * " a" and "a"), so a literal mark there is escaped (" a" and "_a" must
 * not look alike either). */
static void
edge_runs(const char *in, size_t len, const char *mark, size_t *lead_end,
	  size_t *trail_start)
{
	size_t a = 0, b = len, ml = strlen(mark), n;

	while (a < len && (n = edge_char(in, len, a, mark)) > 0)
		a += n;
	while (b > a) {
		if (in[b - 1] == ' ')
			b--;
		else if (b - a >= ml && memcmp(in + b - ml, mark, ml) == 0)
			b -= ml;
		else
			break;
	}
	*lead_end = a;
	*trail_start = b;
}

/* A walk over the pieces of one text. */
struct scan {
	const unsigned char *s;
	size_t len, i, lead_end, trail_start;
	int marks, ascii;
};

static void
scan_init(struct scan *sc, const char *in, size_t len, int ascii)
{
	sc->s = (const unsigned char *)in;
	sc->len = in ? len : 0;
	sc->i = 0;
	sc->marks = -1;
	sc->ascii = ascii;
	edge_runs(in, sc->len, space_mark(ascii), &sc->lead_end,
		  &sc->trail_start);
}

/* The next piece into *pc; 0 at the end. Every call consumes at least
 * one byte. */
static int
scan_next(struct scan *sc, struct piece *pc)
{
	uint32_t cp;
	size_t n;

	if (sc->i >= sc->len)
		return 0;
	n = tv_utf8_scalar(sc->s + sc->i, sc->len - sc->i, &cp);
	if (n == 0) {
		piece_fmt(pc, "\\x%02X", sc->s[sc->i]);
		n = 1;
	} else if (sc->i < sc->lead_end || sc->i >= sc->trail_start) {
		if (cp == ' ')
			piece_text(pc, space_mark(sc->ascii), 1);
		else
			piece_fmt(pc, sc->ascii ? "\\x%02X" : "\\u{%04X}", cp);
	} else {
		piece_cp(pc, cp, sc->s + sc->i, n, sc->marks, sc->ascii);
	}
	if (pc->base)
		sc->marks = 0;
	else if (pc->w == 0)
		sc->marks++;
	else
		sc->marks = -1;
	sc->i += n;
	return 1;
}

/* The output being built, with the last point where an ellipsis still
 * fits after it. */
struct out {
	char *buf;
	size_t cap, len, cut_len;
	int w, maxw, cut_w, have_cut;
	const char *ell;
	size_t ell_len;
};

static void
out_init(struct out *o, char *buf, size_t cap, int maxw, int ascii)
{
	memset(o, 0, sizeof *o);
	o->buf = buf;
	o->cap = cap;
	o->maxw = maxw < 0 ? 1 << 30 : maxw;
	o->ell = ascii ? "~" : "\xE2\x80\xA6";
	o->ell_len = strlen(o->ell);
}

static void
out_mark_cut(struct out *o)
{
	if (o->w + 1 <= o->maxw && o->len + o->ell_len < o->cap) {
		o->cut_len = o->len;
		o->cut_w = o->w;
		o->have_cut = 1;
	}
}

/* Append bytes of width w; 0 when they do not fit. */
static int
out_bytes(struct out *o, const char *b, size_t len, int w)
{
	if (o->w + w > o->maxw || o->len + len >= o->cap)
		return 0;
	memcpy(o->buf + o->len, b, len);
	o->len += len;
	o->w += w;
	o->buf[o->len] = '\0';
	out_mark_cut(o);
	return 1;
}

static int
out_truncate(struct out *o)
{
	if (!o->have_cut) {
		o->buf[0] = '\0';
		return 0;
	}
	memcpy(o->buf + o->cut_len, o->ell, o->ell_len);
	o->buf[o->cut_len + o->ell_len] = '\0';
	return o->cut_w + 1;
}

int
tv_safe_text(const char *in, size_t len, char *out, size_t outcap, int maxw,
	     int ascii)
{
	struct out o;
	struct scan sc;
	struct piece pc;

	if (outcap == 0)
		return 0;
	out_init(&o, out, outcap, maxw, ascii);
	out[0] = '\0';
	out_mark_cut(&o);
	scan_init(&sc, in, len, ascii);
	while (scan_next(&sc, &pc))
		if (!out_bytes(&o, pc.b, pc.len, pc.w))
			return out_truncate(&o);
	return o.w;
}

int
tv_safe_tail(const char *in, size_t len, char *out, size_t outcap, int maxw,
	     int ascii)
{
	struct out o;
	struct scan sc;
	struct piece pc;
	size_t bytes = 0;
	long w = 0;
	int more;

	if (outcap == 0)
		return 0;
	scan_init(&sc, in, len, ascii);
	while (scan_next(&sc, &pc)) {
		w += pc.w;
		bytes += pc.len;
	}
	if (maxw < 0 || (w <= maxw && bytes < outcap))
		return tv_safe_text(in, len, out, outcap, maxw, ascii);
	out_init(&o, out, outcap, maxw, ascii);
	out[0] = '\0';
	if (maxw < 1 || !out_bytes(&o, o.ell, o.ell_len, 1))
		return 0;
	/* Drop pieces from the front until the rest fits after the
	 * ellipsis; a mark whose base was dropped goes with it. */
	scan_init(&sc, in, len, ascii);
	while ((more = scan_next(&sc, &pc)) != 0 &&
	       (w > maxw - 1 || bytes + o.len >= outcap || pc.w == 0)) {
		w -= pc.w;
		bytes -= pc.len;
	}
	for (; more; more = scan_next(&sc, &pc))
		out_bytes(&o, pc.b, pc.len, pc.w);
	return o.w;
}

int
tv_safe_token(const char *in, size_t len, char *out, size_t outcap, int maxw,
	      int ascii)
{
	/* Written as it is: through tv_safe_text its backslash would be
	 * doubled, as a token's own is. ASCII, so a byte is a column. */
	static const char empty[] = "\\(empty)";
	size_t n = sizeof empty - 1;

	if (len > 0)
		return tv_safe_text(in, len, out, outcap, maxw, ascii);
	if (outcap == 0)
		return 0;
	if (maxw >= 0 && (size_t)maxw < n)
		n = (size_t)maxw;
	if (n > outcap - 1)
		n = outcap - 1;
	memcpy(out, empty, n);
	out[n] = '\0';
	return (int)n;
}
