/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <math.h>

#include "ui/frame.h"
#include "ui/glyph.h"
#include "ui/theme.h"

static const struct tv_style plain = { TV_DEFAULT, TV_DEFAULT, 0 };

static void
assert_frame(const struct tv_frame *f, enum tv_format fmt, const char *want)
{
	char *got = frame_text(f, fmt);

	assert_string_equal(got, want);
	free(got);
}

static void
test_init_clear(void **state)
{
	struct tv_frame f;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 3, 2), 0);
	assert_int_equal(f.w, 3);
	assert_int_equal(f.h, 2);
	assert_string_equal(tv_frame_at(&f, 2, 1)->ch, " ");
	assert_null(tv_frame_at(&f, 3, 0));
	assert_null(tv_frame_at(&f, -1, 0));
	assert_null(tv_frame_at(&f, 0, 2));
	assert_frame(&f, TV_FMT_TXT, "\n\n");
	assert_int_equal(tv_frame_resize(&f, 0, 0), 0);
	assert_frame(&f, TV_FMT_TXT, "");
	assert_int_equal(tv_frame_resize(&f, -1, 2), -1);
	tv_frame_free(&f);
	tv_frame_free(&f);
}

static void
test_puts_wide_and_clip(void **state)
{
	struct tv_frame f;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 6, 3), 0);
	assert_int_equal(tv_frame_puts(&f, 0, 0, -1, "a漢b", plain), 4);
	assert_int_equal(tv_frame_at(&f, 1, 0)->width, 2);
	assert_int_equal(tv_frame_at(&f, 2, 0)->width, 0);
	assert_string_equal(tv_frame_at(&f, 3, 0)->ch, "b");
	/* Clipped at the right edge: the second wide character does not
	 * fit in the last column... */
	assert_int_equal(tv_frame_puts(&f, 3, 1, -1, "x漢字", plain), 3);
	/* ...and a wide character alone in the last column is a blank. */
	assert_int_equal(tv_frame_putc(&f, 5, 2, "字", plain), 2);
	assert_string_equal(tv_frame_at(&f, 5, 2)->ch, " ");
	/* Left clipping: the part left of column 0 is dropped. */
	assert_int_equal(tv_frame_puts(&f, -2, 2, -1, "abcd", plain), 4);
	assert_frame(&f, TV_FMT_TXT, "a漢b\n   x漢\ncd\n");
	/* Overwriting the right half of a wide character blanks its left. */
	tv_frame_putc(&f, 2, 0, "x", plain);
	assert_frame(&f, TV_FMT_TXT, "a xb\n   x漢\ncd\n");
	/* Overwriting the left half blanks the right. */
	tv_frame_putc(&f, 4, 1, "y", plain);
	assert_frame(&f, TV_FMT_TXT, "a xb\n   xy\ncd\n");
	/* maxw clips, and a wide character straddling it is left out. */
	tv_frame_clear(&f, plain);
	assert_int_equal(tv_frame_puts(&f, 0, 0, 2, "a漢", plain), 1);
	assert_int_equal(tv_frame_puts(&f, 0, 1, 0, "abc", plain), 0);
	/* Control bytes and invalid UTF-8 never reach the frame. */
	assert_int_equal(tv_frame_puts(&f, 0, 2, -1, "a\tb\xff", plain), 4);
	assert_frame(&f, TV_FMT_TXT, "a\n\na?b?\n");
	/* Outside the frame nothing happens, but the width is reported. */
	assert_int_equal(tv_frame_putc(&f, 10, 10, "z", plain), 1);
	assert_int_equal(tv_frame_putc(&f, 0, 0, NULL, plain), 1);
	assert_string_equal(tv_frame_at(&f, 0, 0)->ch, "?");
	tv_frame_free(&f);
}

static void
test_printf_fill(void **state)
{
	struct tv_frame f;
	char big[600];

	(void)state;
	assert_int_equal(tv_frame_init(&f, 8, 3), 0);
	assert_int_equal(tv_frame_printf(&f, 0, 0, 5, plain, "%d-%s", 42,
					 "abcdef"), 5);
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(tv_frame_printf(&f, 0, 1, -1, plain, "%s!", big), 8);
	tv_frame_fill(&f, (struct tv_rect){ 5, 0, 3, 1 }, "#", plain);
	tv_frame_fill(&f, (struct tv_rect){ -1, 2, 6, 9 }, "漢", plain);
	assert_frame(&f, TV_FMT_TXT, "42-ab###\nzzzzzzzz\n漢漢\n");
	tv_frame_free(&f);
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(tv_str_width("abc"), 3);
	assert_int_equal(tv_str_width("漢字"), 4);
	assert_int_equal(tv_str_width("█▏…"), 3);
	assert_int_equal(tv_str_width("🙂"), 2);
	assert_int_equal(tv_str_width(""), 0);
	assert_int_equal(tv_utf8_len("é"), 2);
	assert_int_equal(tv_utf8_len("\xc0\x80"), 1);
	assert_int_equal(tv_utf8_len("\xed\xa0\x80"), 1);
}

/* "ab" bold red, "c" plain; below, "d" reversed on blue, then a trailing
 * plain space that the writers trim. */
static void
tiny(struct tv_frame *f)
{
	struct tv_style red = { 196, TV_DEFAULT, TV_A_BOLD };
	struct tv_style rev = { TV_DEFAULT, 21, TV_A_REVERSE };

	assert_int_equal(tv_frame_init(f, 4, 2), 0);
	tv_frame_puts(f, 0, 0, -1, "ab", red);
	tv_frame_puts(f, 2, 0, -1, "c<", plain);
	tv_frame_puts(f, 0, 1, -1, "d", rev);
}

static void
test_write_txt_ansi(void **state)
{
	struct tv_frame f;

	(void)state;
	tiny(&f);
	assert_frame(&f, TV_FMT_TXT, "abc<\nd\n");
	assert_frame(&f, TV_FMT_ANSI,
		     "\033[1;38;5;196mab\033[0mc<\n"
		     "\033[7;48;5;21md\033[0m\n");
	/* Only what changes is emitted: adding underline to bold keeps the
	 * bold, a colour change alone is one parameter. */
	tv_frame_clear(&f, plain);
	tv_frame_puts(&f, 0, 0, -1, "a", (struct tv_style){ 1, -1, TV_A_BOLD });
	tv_frame_puts(&f, 1, 0, -1, "b", (struct tv_style){ 1, -1,
			TV_A_BOLD | TV_A_UNDERLINE });
	tv_frame_puts(&f, 2, 0, -1, "c", (struct tv_style){ 2, -1,
			TV_A_BOLD | TV_A_UNDERLINE });
	tv_frame_puts(&f, 3, 0, -1, "d", (struct tv_style){ -1, 3, 0 });
	assert_frame(&f, TV_FMT_ANSI,
		     "\033[1;38;5;1ma\033[4mb\033[38;5;2mc"
		     "\033[0;48;5;3md\033[0m\n\n");
	tv_frame_free(&f);
}

static void
test_write_svg(void **state)
{
	struct tv_frame f;

	(void)state;
	tiny(&f);
	assert_frame(&f, TV_FMT_SVG,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"33.72\" "
		"height=\"34\" viewBox=\"0 0 33.72 34\">\n"
		"<rect width=\"100%\" height=\"100%\" fill=\"#1c1c1c\"/>\n"
		"<rect x=\"0\" y=\"17\" width=\"8.43\" height=\"17\" "
		"fill=\"#d0d0d0\"/>\n"
		"<g font-family=\"'DejaVu Sans Mono', monospace\" "
		"font-size=\"14\" fill=\"#d0d0d0\" xml:space=\"preserve\">\n"
		"<text x=\"0\" y=\"13\" fill=\"#ff0000\" "
		"font-weight=\"bold\">ab</text>\n"
		"<text x=\"16.86\" y=\"13\">c&lt;</text>\n"
		"<text x=\"0\" y=\"30\" fill=\"#0000ff\">d</text>\n"
		"</g>\n</svg>\n");
	tv_frame_free(&f);
}

static void
test_write_html(void **state)
{
	struct tv_frame f;

	(void)state;
	tiny(&f);
	assert_frame(&f, TV_FMT_HTML,
		"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>tempviz</title>\n</head>\n"
		"<body style=\"margin:0;background:#1c1c1c\">\n"
		"<pre style=\"font-family:'DejaVu Sans Mono',monospace;"
		"font-size:14px;line-height:17px;margin:0;padding:8px;"
		"color:#d0d0d0;background:#1c1c1c\">"
		"<span style=\"color:#ff0000;font-weight:bold;\">ab</span>"
		"c&lt;\n"
		"<span style=\"color:#0000ff;background:#d0d0d0;\">d</span>\n"
		"</pre>\n</body>\n</html>\n");
	tv_frame_free(&f);
}

static void
test_write_wide_svg(void **state)
{
	struct tv_frame f;
	char *s;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 5, 1), 0);
	tv_frame_puts(&f, 0, 0, -1, "a漢⣿&", plain);
	s = frame_text(&f, TV_FMT_SVG);
	/* Wide and braille characters sit on their own grid position. */
	assert_non_null(strstr(s, "<text x=\"0\" y=\"13\">a</text>\n"
			"<text x=\"8.43\" y=\"13\">漢</text>\n"
			"<text x=\"25.29\" y=\"13\">⣿</text>\n"
			"<text x=\"33.72\" y=\"13\">&amp;</text>\n"));
	free(s);
	assert_frame(&f, TV_FMT_TXT, "a漢⣿&\n");
	tv_frame_free(&f);
}

/* A frame drawn for a light background is written on a light page: the
 * page and the default text swap, and only colours that differ from the
 * page's are spelt out. */
static void
test_write_light_page(void **state)
{
	struct tv_frame f;
	char *s;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 2, 1), 0);
	f.light = 1;
	tv_frame_puts(&f, 0, 0, -1, "ab", plain);
	s = frame_text(&f, TV_FMT_SVG);
	assert_non_null(strstr(s, "fill=\"#ffffff\"/>"));
	assert_non_null(strstr(s, "font-size=\"14\" fill=\"#1c1c1c\""));
	assert_null(strstr(s, "#d0d0d0"));
	free(s);
	s = frame_text(&f, TV_FMT_HTML);
	assert_non_null(strstr(s, "<body style=\"margin:0;background:#ffffff\">"));
	assert_non_null(strstr(s, "color:#1c1c1c;background:#ffffff\">ab\n"));
	free(s);
	tv_frame_free(&f);
}

static void
test_format_parse(void **state)
{
	(void)state;
	assert_int_equal(tv_format_parse("txt"), TV_FMT_TXT);
	assert_int_equal(tv_format_parse("ansi"), TV_FMT_ANSI);
	assert_int_equal(tv_format_parse("svg"), TV_FMT_SVG);
	assert_int_equal(tv_format_parse("html"), TV_FMT_HTML);
	assert_int_equal(tv_format_parse("png"), -1);
	assert_int_equal(tv_format_parse(NULL), -1);
}

static void
test_palette(void **state)
{
	(void)state;
	assert_int_equal(tv_xterm_rgb(0), 0x000000);
	assert_int_equal(tv_xterm_rgb(7), 0xe5e5e5);
	assert_int_equal(tv_xterm_rgb(16), 0x000000);
	assert_int_equal(tv_xterm_rgb(196), 0xff0000);
	assert_int_equal(tv_xterm_rgb(208), 0xff8700);
	assert_int_equal(tv_xterm_rgb(231), 0xffffff);
	assert_int_equal(tv_xterm_rgb(232), 0x080808);
	assert_int_equal(tv_xterm_rgb(255), 0xeeeeee);
}

static void
test_tier_detect(void **state)
{
	(void)state;
	assert_int_equal(tv_tier_detect(256, 1, TV_COLOR_AUTO, NULL),
			 TV_TIER_256);
	assert_int_equal(tv_tier_detect(8, 1, TV_COLOR_AUTO, NULL),
			 TV_TIER_8);
	assert_int_equal(tv_tier_detect(16, 1, TV_COLOR_AUTO, NULL),
			 TV_TIER_8);
	assert_int_equal(tv_tier_detect(256, 0, TV_COLOR_AUTO, NULL),
			 TV_TIER_MONO);
	assert_int_equal(tv_tier_detect(2, 1, TV_COLOR_AUTO, NULL),
			 TV_TIER_MONO);
	/* NO_COLOR counts only when non-empty (no-color.org). */
	assert_int_equal(tv_tier_detect(256, 1, TV_COLOR_AUTO, ""),
			 TV_TIER_256);
	assert_int_equal(tv_tier_detect(256, 1, TV_COLOR_AUTO, "1"),
			 TV_TIER_MONO);
	/* --color wins over the terminal and NO_COLOR. */
	assert_int_equal(tv_tier_detect(256, 1, TV_COLOR_NEVER, NULL),
			 TV_TIER_MONO);
	assert_int_equal(tv_tier_detect(0, 0, TV_COLOR_ALWAYS, "1"),
			 TV_TIER_8);
	assert_int_equal(tv_tier_detect(256, 1, TV_COLOR_ALWAYS, "1"),
			 TV_TIER_256);
	assert_string_equal(tv_tier_name(TV_TIER_MONO), "mono");
}

static void
test_theme_roles(void **state)
{
	struct tv_style s;

	(void)state;
	s = tv_theme(TV_TIER_256, TV_BG_DARK, TV_ROLE_BAR);
	assert_int_equal(s.fg, 75);
	assert_int_equal(s.bg, TV_DEFAULT);
	s = tv_theme(TV_TIER_8, TV_BG_DARK, TV_ROLE_BAR);
	assert_int_equal(s.fg, 6);
	s = tv_theme(TV_TIER_MONO, TV_BG_DARK, TV_ROLE_FOCUS);
	assert_int_equal(s.fg, TV_DEFAULT);
	assert_int_equal(s.bg, TV_DEFAULT);
	assert_int_equal(s.attr, TV_A_REVERSE | TV_A_BOLD);
	s = tv_theme(TV_TIER_MONO, TV_BG_DARK, TV_ROLE_BAR_CUT);
	assert_int_equal(s.attr, TV_A_DIM);
	/* Every role has a mono style with no colour in it. */
	for (int r = 0; r < TV_ROLE__COUNT; r++) {
		s = tv_theme(TV_TIER_MONO, TV_BG_UNKNOWN, (enum tv_role)r);
		assert_int_equal(s.fg, TV_DEFAULT);
		assert_int_equal(s.bg, TV_DEFAULT);
	}
}

static void
test_theme_ramps(void **state)
{
	(void)state;
	assert_int_equal(tv_theme_ramp(TV_TIER_256, 0.0).fg, 31);
	assert_int_equal(tv_theme_ramp(TV_TIER_256, tv_theme_temp01(1.0)).fg,
			 231);
	assert_int_equal(tv_theme_ramp(TV_TIER_256, 1.0).fg, 196);
	assert_int_equal(tv_theme_ramp(TV_TIER_256, 7.0).fg, 196);
	assert_int_equal(tv_theme_ramp(TV_TIER_MONO, 0.0).attr, TV_A_DIM);
	assert_int_equal(tv_theme_ramp(TV_TIER_MONO, 1.0).attr, TV_A_BOLD);
	/* thermo.md A.4 in eight colours: black, red, yellow (bold), white
	 * (bold), cyan, blue. */
	assert_int_equal(tv_theme_glow8(500).fg, 0);
	assert_int_equal(tv_theme_glow8(1500).fg, 1);
	assert_int_equal(tv_theme_glow8(3000).fg, 3);
	assert_int_equal(tv_theme_glow8(3000).attr, TV_A_BOLD);
	assert_int_equal(tv_theme_glow8(5800).fg, 7);
	assert_int_equal(tv_theme_glow8(5800).attr, TV_A_BOLD);
	assert_int_equal(tv_theme_glow8(10000).fg, 6);
	assert_int_equal(tv_theme_glow8(40000).fg, 4);
	assert_int_equal(tv_theme_glow8(INFINITY).fg, 4);
	assert_int_equal(tv_theme_glow8(NAN).fg, 0);
	assert_true(tv_theme_temp01(1.0 / 16.0) == 0.0);
	assert_true(tv_theme_temp01(16.0) == 1.0);
	assert_true(tv_theme_temp01(2.0) == 0.625);
	assert_true(tv_theme_temp01(0.0) == 0.0);
}

static void
test_glyphs(void **state)
{
	const struct tv_glyphs *u = tv_glyphs(1), *a = tv_glyphs(0);
	char buf[4];

	(void)state;
	assert_int_equal(u->utf8, 1);
	assert_int_equal(a->utf8, 0);
	assert_string_equal(u->eighth[1], "▏");
	assert_string_equal(u->eighth[8], "█");
	assert_string_equal(a->eighth[3], "-");
	assert_string_equal(a->eighth[4], "+");
	assert_string_equal(a->eighth[8], "#");
	assert_string_equal(a->chosen, "<");
	assert_string_equal(a->bullet, "o");
	assert_string_equal(a->ghost, ":");
	assert_string_equal(tv_glyph_braille(0, buf), "\xe2\xa0\x80");
	assert_string_equal(tv_glyph_braille(0xff, buf), "⣿");
	assert_string_equal(tv_glyph_braille(tv_glyph_braille_bit(0, 3) |
					     tv_glyph_braille_bit(1, 0), buf),
			    "⡈");
	assert_int_equal(tv_glyph_braille_bit(2, 0), 0);
	/* Monochrome series need fills that differ from each other. */
	for (int i = 0; i < TV_GLYPH_SERIES; i++)
		for (int j = i + 1; j < TV_GLYPH_SERIES; j++) {
			assert_string_not_equal(a->fill[i], a->fill[j]);
			assert_string_not_equal(u->fill[i], u->fill[j]);
			assert_string_not_equal(a->mark[i], a->mark[j]);
		}
	/* Every ASCII glyph is ASCII. */
	for (const char *p = a->ellipsis; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	/* Cut labels and cut tokens end alike. */
	{
		char cut[16];

		tv_safe_text("abc", 3, cut, sizeof cut, 1, 0);
		assert_string_equal(cut, u->ellipsis);
		tv_safe_text("abc", 3, cut, sizeof cut, 1, 1);
		assert_string_equal(cut, a->ellipsis);
	}
}

#define ACUTE "\xcc\x81"

/* A character with combining marks is one cell: the columns after it do
 * not move, and every writer emits the marks with their base. */
static void
test_combining(void **state)
{
	struct tv_frame f;
	char *svg, *html, *ansi;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 6, 2), 0);
	assert_int_equal(tv_str_width("x" ACUTE ACUTE ACUTE "y"), 2);
	assert_int_equal(tv_frame_puts(&f, 0, 0, -1,
				       "x" ACUTE ACUTE ACUTE "y|", plain), 3);
	assert_string_equal(tv_frame_at(&f, 0, 0)->ch, "x" ACUTE ACUTE ACUTE);
	assert_int_equal(tv_frame_at(&f, 0, 0)->width, 1);
	assert_string_equal(tv_frame_at(&f, 1, 0)->ch, "y");
	assert_string_equal(tv_frame_at(&f, 2, 0)->ch, "|");
	/* A wide character takes its marks too; a mark with nothing before
	 * it sits on a space; marks beyond what a cell holds are dropped. */
	assert_int_equal(tv_frame_puts(&f, 0, 1, -1, "\xe4\xb8\xad" ACUTE
				       ACUTE "z" ACUTE ACUTE ACUTE ACUTE ACUTE,
				       plain), 3);
	assert_string_equal(tv_frame_at(&f, 0, 1)->ch,
			    "\xe4\xb8\xad" ACUTE ACUTE);
	assert_int_equal(tv_frame_at(&f, 1, 1)->width, 0);
	assert_string_equal(tv_frame_at(&f, 2, 1)->ch, "z" ACUTE ACUTE ACUTE);
	assert_int_equal(tv_frame_putc(&f, 4, 1, ACUTE, plain), 1);
	assert_string_equal(tv_frame_at(&f, 4, 1)->ch, " " ACUTE);
	assert_frame(&f, TV_FMT_TXT, "x" ACUTE ACUTE ACUTE "y|\n"
		     "\xe4\xb8\xad" ACUTE ACUTE "z" ACUTE ACUTE ACUTE " "
		     " " ACUTE "\n");
	ansi = frame_text(&f, TV_FMT_ANSI);
	assert_non_null(strstr(ansi, "x" ACUTE ACUTE ACUTE "y|\n"));
	free(ansi);
	/* SVG draws a marked cell as a text of its own, so a font that
	 * gives the marks an advance cannot shift the grid. */
	svg = frame_text(&f, TV_FMT_SVG);
	assert_non_null(strstr(svg, ">x" ACUTE ACUTE ACUTE "</text>"));
	assert_non_null(strstr(svg, ">y|</text>"));
	free(svg);
	html = frame_text(&f, TV_FMT_HTML);
	assert_non_null(strstr(html, "x" ACUTE ACUTE ACUTE "y|\n"));
	free(html);
	{
		uint32_t cp[TV_CELL_CODES];

		assert_int_equal(tv_cell_codes(tv_frame_at(&f, 2, 1), cp,
					       TV_CELL_CODES), 4);
		assert_int_equal(cp[0], 'z');
		assert_int_equal(cp[3], 0x301);
		assert_int_equal(tv_cell_codes(tv_frame_at(&f, 2, 1), cp, 2),
				 2);
	}
	tv_frame_free(&f);
}

static const char *const shapes[] = {
	"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe4\xb8\xad",
	"\xff", "\xc3", "\xe2\x82", "\xf0\x9f\x98", ACUTE,
	"x" ACUTE ACUTE ACUTE, "\xe4\xb8\xad" ACUTE, "\xe2\x80\x8b", " ",
	"\x1b", "\t",
};

/* Every shape, alone and next to every other, at every offset and
 * width: the columns reported are the columns written, never more than
 * asked or than tv_str_width says, and the cells stay sound. */
static void
test_every_width_every_shape(void **state)
{
	struct tv_frame f;
	char s[64];
	size_t n = sizeof shapes / sizeof shapes[0];

	(void)state;
	assert_int_equal(tv_frame_init(&f, 9, 1), 0);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			snprintf(s, sizeof s, "%s%s%s", shapes[i], shapes[j],
				 shapes[i]);
			for (int x = -3; x <= 9; x++) {
				for (int maxw = -1; maxw <= 10; maxw++) {
					int used;

					tv_frame_clear(&f, plain);
					used = tv_frame_puts(&f, x, 0, maxw, s,
							     plain);
					assert_true(used <= tv_str_width(s));
					assert_true(maxw < 0 || used <= maxw);
					assert_cells_sound(&f);
				}
			}
			/* Written over a frame of wide characters. */
			tv_frame_fill(&f, (struct tv_rect){ 0, 0, 9, 1 },
				      "\xe4\xb8\xad", plain);
			tv_frame_puts(&f, (int)(i % 4), 0, -1, s, plain);
			assert_cells_sound(&f);
		}
	}
	tv_frame_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_clear),
		cmocka_unit_test(test_puts_wide_and_clip),
		cmocka_unit_test(test_printf_fill),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_write_txt_ansi),
		cmocka_unit_test(test_write_svg),
		cmocka_unit_test(test_write_html),
		cmocka_unit_test(test_write_wide_svg),
		cmocka_unit_test(test_write_light_page),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_palette),
		cmocka_unit_test(test_tier_detect),
		cmocka_unit_test(test_theme_roles),
		cmocka_unit_test(test_theme_ramps),
		cmocka_unit_test(test_glyphs),
		cmocka_unit_test(test_combining),
		cmocka_unit_test(test_every_width_every_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
