/* SPDX-License-Identifier: MIT */
/*
 * Glyph tables in UTF-8 / ASCII pairs (htop's CRT_* tables). The set is
 * chosen once at start-up from the locale and --ascii, then passed to the
 * widgets; nothing else spells a box corner or a block.
 */
#ifndef TEMPVIZ_GLYPH_H
#define TEMPVIZ_GLYPH_H

/* Series count for the distinct per-series fills and marks. */
#define TV_GLYPH_SERIES 8

struct tv_glyphs {
	int utf8;                /* 1 for the UTF-8 set */
	/* eighth[n]: a cell filled n/8 from the left; [0] is a space,
	 * [8] the full block. ASCII: '-' (1-3), '+' (4-7), '#'. */
	const char *eighth[9];
	/* spark[n]: a cell filled n/8 from the bottom; [0] is a space. */
	const char *spark[9];
	const char *gauge_on, *gauge_off;
	const char *shade;          /* a cut bar's fill in the mono tier */
	const char *arrow_up, *arrow_down, *arrow_left, *arrow_right;
	const char *pointer;        /* ▶: the focused row or dial */
	const char *chosen;         /* ◀: the token the model chose */
	const char *bullet;         /* ● */
	const char *ghost;          /* │: probability at T = 1 */
	const char *thresh;         /* ┊: a threshold line */
	const char *track;          /* ─: a dial track */
	const char *band;           /* ━: a band of temperatures on it */
	const char *playhead;       /* │ */
	const char *axis_v, *axis_h, *axis_corner;
	const char *ellipsis;       /* … */
	/* In ASCII le, ge and infinity are wider: "<=", ">=", "inf". */
	const char *degree, *approx, *times, *le, *ge, *infinity;
	const char *therm_tube, *therm_bulb; /* ┃ ●: a vertical thermometer */
	const char *particle;       /* ● */
	const char *level;          /* ─ an energy level */
	const char *loop;           /* ↻: a text going round in a loop */
	/* Distinct fills for series that share a cell in monochrome (htop's
	 * "|#*@$%&."), and distinct point marks for plots. */
	const char *fill[TV_GLYPH_SERIES];
	const char *mark[TV_GLYPH_SERIES];
	/* ASCII line-plot points by height inside a cell, bottom to top. */
	const char *dots[3];
};

const struct tv_glyphs *tv_glyphs(int utf8);
/* 1 when nl_langinfo(CODESET) is UTF-8 (after setlocale). */
int tv_glyph_utf8_locale(void);
/* The braille cell with dot bits set (bit = 1 << (col * 4 + row) for a
 * 2 x 4 cell, row 0 at the top), as UTF-8 into out[4]. Returns out. */
char *tv_glyph_braille(unsigned bits, char out[4]);
/* The dot bit for column 0..1 and row 0..3 (top down). */
unsigned tv_glyph_braille_bit(int col, int row);

#endif
