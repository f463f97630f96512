/* SPDX-License-Identifier: MIT */
/*
 * Every role legible on the backgrounds its palette serves: the "dark"
 * palette on black, the "any" palette (light and unknown backgrounds) on
 * black and on white, in the 256- and 8-colour tiers, measured as WCAG 2
 * contrast ratios of the xterm colours. Also the background detection:
 * --theme, COLORFGBG and the OSC 11 reply.
 */
#include "testutil.h"

#include "ui/theme.h"

/* WCAG's ratio for large and bold text and for graphics; decorations
 * (borders, tracks, cut bars, empty gauges, axes) only need to be seen. */
#define READ_MIN 3.0
#define DECOR_MIN 1.5

static double
need(enum tv_role r)
{
	switch (r) {
	case TV_ROLE_BORDER:
	case TV_ROLE_BAR_CUT:
	case TV_ROLE_GAUGE_EMPTY:
	case TV_ROLE_DIAL_TRACK:
	case TV_ROLE_PLOT_AXIS:
		return DECOR_MIN;
	default:
		return READ_MIN;
	}
}

/* The contrast of a style on a terminal background of luminance bg: the
 * terminal's own foreground always reads; a style with its own
 * background is measured against that. */
static double
contrast(struct tv_style s, double bg)
{
	if (s.bg >= 0) {
		assert_true(s.fg >= 0);
		bg = tv_theme_luminance(s.bg);
	}
	if (s.fg < 0)
		return 21.0;
	return tv_theme_contrast(tv_theme_luminance(s.fg), bg);
}

static void
check_palette(enum tv_bg palette, double bg)
{
	static const enum tv_tier tiers[] = { TV_TIER_256, TV_TIER_8,
					      TV_TIER_MONO };

	for (size_t t = 0; t < 3; t++)
		for (int r = 0; r < TV_ROLE__COUNT; r++) {
			struct tv_style s = tv_theme(tiers[t], palette,
						     (enum tv_role)r);
			double c = contrast(s, bg);

			if (c < need((enum tv_role)r)) {
				print_error("tier %s, palette %d, role %d: "
					    "contrast %.2f on luminance %.2f\n",
					    tv_tier_name(tiers[t]), palette, r,
					    c, bg);
				fail();
			}
		}
}

static void
test_luminance(void **state)
{
	(void)state;
	assert_near(tv_theme_luminance(16), 0.0, 1e-12);
	assert_near(tv_theme_luminance(231), 1.0, 1e-12);
	assert_near(tv_theme_contrast(0.0, 1.0), 21.0, 1e-12);
	/* #767676, the lightest grey with 4.5:1 on white. */
	assert_near(tv_theme_contrast(tv_theme_luminance(243), 1.0), 4.54,
		    0.01);
}

static void
test_dark_on_black(void **state)
{
	(void)state;
	check_palette(TV_BG_DARK, 0.0);
}

static void
test_any_on_black_and_white(void **state)
{
	(void)state;
	check_palette(TV_BG_UNKNOWN, 0.0);
	check_palette(TV_BG_UNKNOWN, 1.0);
	check_palette(TV_BG_LIGHT, 1.0);
}

/* The header shows T in the ramp's colour on the status bar. */
static void
test_ramp_on_status(void **state)
{
	(void)state;
	for (int p = 0; p < 2; p++) {
		struct tv_style bar = tv_theme(TV_TIER_256, p ? TV_BG_DARK
					       : TV_BG_LIGHT, TV_ROLE_STATUS);

		for (int i = 0; i < TV_RAMP_TEMP_STEPS; i++) {
			struct tv_style s = tv_theme_ramp(TV_TIER_256,
				(double)i / (TV_RAMP_TEMP_STEPS - 1));

			s.bg = bar.bg;
			assert_true(contrast(s, 0.0) >= READ_MIN);
		}
	}
}

static void
test_theme_flag_and_colorfgbg(void **state)
{
	(void)state;
	assert_int_equal(tv_theme_bg(TV_THEME_DARK, "0;15"), TV_BG_DARK);
	assert_int_equal(tv_theme_bg(TV_THEME_LIGHT, "15;0"), TV_BG_LIGHT);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, NULL), TV_BG_UNKNOWN);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, ""), TV_BG_UNKNOWN);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "15;0"), TV_BG_DARK);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "0;15"), TV_BG_LIGHT);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "0;7"), TV_BG_LIGHT);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "7;8"), TV_BG_DARK);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "0;default;15"),
			 TV_BG_LIGHT);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "15;default"),
			 TV_BG_UNKNOWN);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "0;16"), TV_BG_UNKNOWN);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "0;-1"), TV_BG_UNKNOWN);
	assert_int_equal(tv_theme_bg(TV_THEME_AUTO, "0;1x"), TV_BG_UNKNOWN);
}

#define OSC(s) tv_theme_bg_osc11(s, sizeof(s) - 1)

static void
test_osc11_reply(void **state)
{
	(void)state;
	assert_int_equal(OSC("\033]11;rgb:ffff/ffff/ffff\033\\"), TV_BG_LIGHT);
	assert_int_equal(OSC("\033]11;rgb:0000/0000/0000\a"), TV_BG_DARK);
	assert_int_equal(OSC("\033]11;rgb:1c1c/1c1c/1c1c\033\\\033[?62c"),
			 TV_BG_DARK);
	/* Solarized light, two hex digits a channel. */
	assert_int_equal(OSC("\033]11;rgb:fd/f6/e3\a"), TV_BG_LIGHT);
	assert_int_equal(OSC("\033]11;rgb:f/f/f\a"), TV_BG_LIGHT);
	/* Mid grey either side of where black text starts to win. */
	assert_int_equal(OSC("\033]11;rgb:7575/7575/7575\a"), TV_BG_DARK);
	assert_int_equal(OSC("\033]11;rgb:7f7f/7f7f/7f7f\a"), TV_BG_LIGHT);
	/* Only a device-attributes answer, cut off, or malformed. */
	assert_int_equal(OSC("\033[?62;22c"), TV_BG_UNKNOWN);
	assert_int_equal(OSC("\033]11;rgb:ffff/ffff/ff"), TV_BG_UNKNOWN);
	assert_int_equal(OSC("\033]11;rgb:ffff/ffff\a"), TV_BG_UNKNOWN);
	assert_int_equal(OSC("\033]11;rgb:fffff/0/0\a"), TV_BG_UNKNOWN);
	assert_int_equal(OSC("\033]11;rgb:/0/0\a"), TV_BG_UNKNOWN);
	assert_int_equal(OSC("\033]11;rgb:ffff/ffff/ffff\033"), TV_BG_UNKNOWN);
	assert_int_equal(tv_theme_bg_osc11("", 0), TV_BG_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_luminance),
		cmocka_unit_test(test_dark_on_black),
		cmocka_unit_test(test_any_on_black_and_white),
		cmocka_unit_test(test_ramp_on_status),
		cmocka_unit_test(test_theme_flag_and_colorfgbg),
		cmocka_unit_test(test_osc11_reply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
