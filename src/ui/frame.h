/* SPDX-License-Identifier: MIT */
/*
 * A frame: a W x H grid of cells that a view renders into. The terminal
 * backend writes frames with ncurses; tv_frame_write() writes the same frame
 * as plain text, ANSI, SVG or HTML, which makes golden tests and
 * screenshots exact and terminal-free.
 */
#ifndef TEMPVIZ_FRAME_H
#define TEMPVIZ_FRAME_H

#include <stdint.h>
#include <stdio.h>

#include "io/safetext.h"

enum {
	TV_A_BOLD = 1 << 0,
	TV_A_DIM = 1 << 1,
	TV_A_REVERSE = 1 << 2,
	TV_A_UNDERLINE = 1 << 3,
	TV_A_ITALIC = 1 << 4,
};

/* Colours are xterm-256 indices (0-7 are the eight basic colours);
 * TV_DEFAULT is the terminal's own foreground or background. */
#define TV_DEFAULT (-1)

/* Colour tiers, best first; the theme resolves roles per tier. */
enum tv_tier { TV_TIER_256, TV_TIER_8, TV_TIER_MONO };

struct tv_style {
	int16_t fg, bg;
	uint16_t attr;
};

/* Code points one cell holds: a character and its combining marks (as
 * many as safe text keeps, and as a curses cchar_t holds). */
#define TV_CELL_CODES (1 + TV_SAFE_MARKS)

struct tv_cell {
	char ch[4 * TV_CELL_CODES + 1]; /* a character and the zero-width
	                                   marks on it, as UTF-8, NUL-terminated */
	uint8_t width;    /* 1, or 2 for a double-width character; 0 marks the
	                     right half of a double-width one */
	struct tv_style st;
};

struct tv_frame {
	int w, h;
	struct tv_cell *cells;
	int utf8;         /* the renderer may use non-ASCII marks (an
	                     ellipsis); 0 after tv_frame_init */
};

struct tv_rect {
	int x, y, w, h;
};

int tv_frame_init(struct tv_frame *f, int w, int h);   /* 0 or -1 */
int tv_frame_resize(struct tv_frame *f, int w, int h);
void tv_frame_free(struct tv_frame *f);
void tv_frame_clear(struct tv_frame *f, struct tv_style st);
struct tv_cell *tv_frame_at(struct tv_frame *f, int x, int y); /* NULL outside */
/* Put one character and the zero-width marks after it (valid UTF-8,
 * already safe) at x,y; a control or invalid byte becomes '?', marks with
 * no character before them sit on a space. Returns the columns taken. */
int tv_frame_putc(struct tv_frame *f, int x, int y, const char *utf8,
		  struct tv_style st);
/* Put a string of safe UTF-8 text, each character with its marks in one
 * cell, clipped to maxw columns (maxw < 0: to the frame's right edge); a
 * wide character that does not fit whole is left out. Returns the columns
 * used. */
int tv_frame_puts(struct tv_frame *f, int x, int y, int maxw, const char *s,
		  struct tv_style st);
int tv_frame_printf(struct tv_frame *f, int x, int y, int maxw,
		    struct tv_style st, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void tv_frame_fill(struct tv_frame *f, struct tv_rect r, const char *utf8,
		   struct tv_style st);

/* Display columns of safe UTF-8 text as tv_frame_puts lays it out, by
 * tv_cp_width(), so that frames do not depend on the locale. */
int tv_str_width(const char *s);
/* Bytes of the cell's worth of text at s (a character and the marks after
 * it; one byte for an invalid one, which draws as '?'), its columns into
 * *cols. */
int tv_frame_cluster(const char *s, int *cols);
/* The code points of a cell (at most cap) into cp; returns how many. */
int tv_cell_codes(const struct tv_cell *c, uint32_t *cp, int cap);
/* Bytes in the UTF-8 sequence starting at s (1 for an invalid byte). */
int tv_utf8_len(const char *s);
/* Decode one UTF-8 sequence into *cp; returns its length, or 0 when it is
 * invalid, overlong or truncated. */
int tv_utf8_decode(const char *s, uint32_t *cp);
/* The xterm-256 palette entry idx as 0xRRGGBB (as xterm's defaults). */
uint32_t tv_xterm_rgb(int idx);

enum tv_format { TV_FMT_TXT, TV_FMT_ANSI, TV_FMT_SVG, TV_FMT_HTML };
int tv_format_parse(const char *s);   /* -1 unknown */
/* The frame as one HTML <pre> element, as the html format writes it,
 * for documents of many frames (a talk's export). */
void tv_frame_write_pre(const struct tv_frame *f, FILE *out);
/* Write the frame; returns 0 or -1 on a write error. */
int tv_frame_write(const struct tv_frame *f, enum tv_format fmt, FILE *out);

#endif
