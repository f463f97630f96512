/* SPDX-License-Identifier: MIT */
#include "ui/glyph.h"

#include <langinfo.h>
#include <string.h>

static const struct tv_glyphs glyphs_utf8 = {
	.utf8 = 1,
	.eighth = { " ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" },
	.spark = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" },
	.gauge_on = "■", .gauge_off = "□",
	.shade = "░",
	.arrow_up = "↑", .arrow_down = "↓", .arrow_left = "←",
	.arrow_right = "→",
	.pointer = "▶",
	.chosen = "◀",
	.bullet = "●",
	.ghost = "│",
	.thresh = "┊",
	.track = "─",
	.band = "━",
	.playhead = "│",
	.axis_v = "│", .axis_h = "─", .axis_corner = "└",
	.ellipsis = "…",
	.degree = "°", .approx = "≈", .times = "×", .le = "≤", .ge = "≥",
	.infinity = "∞",
	.therm_tube = "┃", .therm_bulb = "●",
	.particle = "●",
	.level = "─",
	.loop = "↻",
	.fill = { "█", "▓", "▒", "░", "#", "*", "+", "." },
	.mark = { "●", "■", "▲", "◆", "○", "□", "△", "◇" },
	.dots = { ".", "·", "˙" },
};

static const struct tv_glyphs glyphs_ascii = {
	.utf8 = 0,
	.eighth = { " ", "-", "-", "-", "+", "+", "+", "+", "#" },
	.spark = { " ", ".", ".", "-", "-", "=", "=", "#", "#" },
	.gauge_on = "#", .gauge_off = ".",
	.shade = ":",
	.arrow_up = "^", .arrow_down = "v", .arrow_left = "<",
	.arrow_right = ">",
	.pointer = ">",
	.chosen = "<",
	.bullet = "o",
	.ghost = ":",
	.thresh = ":",
	.track = "-",
	.band = "=",
	.playhead = "|",
	.axis_v = "|", .axis_h = "-", .axis_corner = "+",
	.ellipsis = "~",
	.degree = "o", .approx = "~", .times = "x", .le = "<=", .ge = ">=",
	.infinity = "inf",
	.therm_tube = "|", .therm_bulb = "o",
	.particle = "o",
	.level = "-",
	.loop = "@",
	.fill = { "|", "#", "*", "@", "$", "%", "&", "." },
	.mark = { "*", "+", "o", "x", "#", "@", "%", "&" },
	.dots = { ".", "-", "'" },
};

const struct tv_glyphs *
tv_glyphs(int utf8)
{
	return utf8 ? &glyphs_utf8 : &glyphs_ascii;
}

int
tv_glyph_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

unsigned
tv_glyph_braille_bit(int col, int row)
{
	/* Unicode numbers the dots 1-2-3 down the left column, 4-5-6 down
	 * the right, then 7 and 8 along the bottom row. */
	static const unsigned bits[2][4] = {
		{ 0x01, 0x02, 0x04, 0x40 },
		{ 0x08, 0x10, 0x20, 0x80 },
	};

	if (col < 0 || col > 1 || row < 0 || row > 3)
		return 0;
	return bits[col][row];
}

char *
tv_glyph_braille(unsigned bits, char out[4])
{
	unsigned cp = 0x2800 + (bits & 0xff);

	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	out[3] = '\0';
	return out;
}
