/* SPDX-License-Identifier: MIT */
/*
 * Big block digits for the numbers a room reads from the back: a 3 x 5
 * cell font of the digits and the few signs T and the entropy need,
 * drawn with the glyph set's full block (# in ASCII).
 */
#include "ui/widgets.h"

#include <string.h>

struct big_glyph {
	char c;
	const char *row[TV_BIG_H];      /* '#' filled, ' ' empty */
};

static const struct big_glyph font[] = {
	{ '0', { "###", "# #", "# #", "# #", "###" } },
	{ '1', { " # ", "## ", " # ", " # ", "###" } },
	{ '2', { "###", "  #", "###", "#  ", "###" } },
	{ '3', { "###", "  #", "###", "  #", "###" } },
	{ '4', { "# #", "# #", "###", "  #", "  #" } },
	{ '5', { "###", "#  ", "###", "  #", "###" } },
	{ '6', { "###", "#  ", "###", "# #", "###" } },
	{ '7', { "###", "  #", "  #", "  #", "  #" } },
	{ '8', { "###", "# #", "###", "# #", "###" } },
	{ '9', { "###", "# #", "###", "  #", "###" } },
	{ '.', { " ", " ", " ", " ", "#" } },
	{ '-', { "   ", "   ", "###", "   ", "   " } },
	{ '=', { "   ", "###", "   ", "###", "   " } },
	{ 'T', { "###", " # ", " # ", " # ", " # " } },
	{ 'H', { "# #", "# #", "###", "# #", "# #" } },
	{ ' ', { " ", " ", " ", " ", " " } },
};

static const struct big_glyph *
glyph_of(char c)
{
	for (size_t i = 0; i < sizeof font / sizeof *font; i++)
		if (font[i].c == c)
			return &font[i];
	return NULL;
}

int
tv_w_big_width(const char *s, int scale)
{
	int w = 0;

	for (; *s; s++) {
		const struct big_glyph *g = glyph_of(*s);

		if (g)
			w += ((int)strlen(g->row[0]) + (s[1] != '\0')) * scale;
	}
	return w;
}

int
tv_w_big(struct tv_frame *f, int x, int y, int maxw, const char *s,
	 int scale, const struct tv_look *lk, struct tv_style st)
{
	int x0 = x;

	if (tv_w_big_width(s, scale) > maxw)
		return 0;
	for (; *s; s++) {
		const struct big_glyph *g = glyph_of(*s);
		int gw;

		if (!g)
			continue;
		gw = (int)strlen(g->row[0]);
		for (int r = 0; r < TV_BIG_H * scale; r++)
			for (int c = 0; c < gw * scale; c++)
				if (g->row[r / scale][c / scale] == '#')
					tv_frame_putc(f, x + c, y + r,
						      lk->g->eighth[8], st);
		x += (gw + 1) * scale;
	}
	return x - x0 - scale;
}
