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
#include <wchar.h>

/* Zero-width marks kept in a row after one base character; more are shown
 * as escapes so a stack of combining marks cannot smear over other rows. */
#define MAX_MARKS 3

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

/* Characters that are invisible or reorder text, which wcwidth() may call
 * printable: zero-width spaces and joiners, bidi controls, separators,
 * the byte order mark, emoji variation selectors. */
static int
is_invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2069) ||
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

/* The piece for one code point that is not a space. marks counts the
 * zero-width marks already kept since the last base character (-1: no
 * base character to attach to). */
static void
piece_cp(struct piece *pc, uint32_t cp, const char *raw, size_t rawlen,
	 int marks, int ascii)
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
	if (cp < 0x7F) {
		pc->b[0] = (char)cp;
		pc->len = 1;
		pc->w = 1;
		pc->base = 1;
		return;
	}
	w = ascii || is_invisible(cp) ? -1 : wcwidth((wchar_t)cp);
	if (w < 0 || (w == 0 && (marks < 0 || marks >= MAX_MARKS))) {
		piece_fmt(pc, "\\u{%04X}", cp);
		return;
	}
	memcpy(pc->b, raw, rawlen);
	pc->len = rawlen;
	pc->w = w;
	pc->base = w > 0;
}

/* The extent of the leading and trailing runs of spaces, which are made
 * visible ("   " and "  " must not look alike, nor " a" and "a"). */
static void
space_runs(const char *in, size_t len, size_t *lead_end, size_t *trail_start)
{
	size_t a = 0, b = len;

	while (a < len && in[a] == ' ')
		a++;
	while (b > a && in[b - 1] == ' ')
		b--;
	*lead_end = a;
	*trail_start = b;
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
out_mark_cut(struct out *o)
{
	if (o->w + 1 <= o->maxw && o->len + o->ell_len < o->cap) {
		o->cut_len = o->len;
		o->cut_w = o->w;
		o->have_cut = 1;
	}
}

/* Append a piece; 0 when it does not fit. */
static int
out_put(struct out *o, const struct piece *pc)
{
	if (o->w + pc->w > o->maxw || o->len + pc->len >= o->cap)
		return 0;
	memcpy(o->buf + o->len, pc->b, pc->len);
	o->len += pc->len;
	o->w += pc->w;
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
	const unsigned char *s = (const unsigned char *)in;
	struct out o = { out, outcap, 0, 0, 0, maxw < 0 ? 1 << 30 : maxw,
			 0, 0, ascii ? "~" : "\xE2\x80\xA6", ascii ? 1 : 3 };
	size_t lead_end, trail_start, i = 0;
	int marks = -1;
	struct piece pc;

	if (outcap == 0)
		return 0;
	if (in == NULL)
		len = 0;
	space_runs(in, len, &lead_end, &trail_start);
	out_mark_cut(&o);
	while (i < len) {
		uint32_t cp;
		size_t n = tv_utf8_scalar(s + i, len - i, &cp);

		if (n == 0) {
			piece_text(&pc, ascii ? "?" : "\xEF\xBF\xBD", 1);
			n = 1;
		} else if (cp == ' ' && (i < lead_end || i >= trail_start)) {
			piece_text(&pc, ascii ? "_" : "\xE2\x90\xA3", 1);
		} else {
			piece_cp(&pc, cp, in + i, n, marks, ascii);
		}
		if (!out_put(&o, &pc))
			return out_truncate(&o);
		if (pc.base)
			marks = 0;
		else if (pc.w == 0)
			marks++;
		else
			marks = -1;
		i += n;
	}
	o.buf[o.len] = '\0';
	return o.w;
}
