/* SPDX-License-Identifier: MIT */
#include "ui/theme.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/thermo.h"

/* [role][palette: dark, any][tier: 256, 8, mono] */
static const struct tv_style roles[TV_ROLE__COUNT][2][3] = {
#define TV_ROLE_ROW(name, df256, db256, da256, df8, db8, da8, \
		    af256, ab256, aa256, af8, ab8, aa8, amono) \
	[TV_ROLE_##name] = { \
		{ { df256, db256, da256 }, { df8, db8, da8 }, \
		  { TV_DEFAULT, TV_DEFAULT, amono } }, \
		{ { af256, ab256, aa256 }, { af8, ab8, aa8 }, \
		  { TV_DEFAULT, TV_DEFAULT, amono } } },
	TV_ROLES(TV_ROLE_ROW)
#undef TV_ROLE_ROW
};

static int
tier_index(enum tv_tier tier)
{
	return tier == TV_TIER_256 ? 0 : tier == TV_TIER_8 ? 1 : 2;
}

struct tv_style
tv_theme(enum tv_tier tier, enum tv_bg bg, enum tv_role role)
{
	if ((unsigned)role >= TV_ROLE__COUNT)
		role = TV_ROLE_TEXT;
	return roles[role][bg == TV_BG_DARK ? 0 : 1][tier_index(tier)];
}

enum tv_bg
tv_theme_bg(enum tv_theme_mode mode, const char *colorfgbg)
{
	const char *last;
	char *end;
	long bg;

	if (mode != TV_THEME_AUTO)
		return mode == TV_THEME_DARK ? TV_BG_DARK : TV_BG_LIGHT;
	if (!colorfgbg || !(last = strrchr(colorfgbg, ';')))
		return TV_BG_UNKNOWN;
	bg = strtol(last + 1, &end, 10);
	if (end == last + 1 || *end != '\0' || bg < 0 || bg > 15)
		return TV_BG_UNKNOWN;
	return bg == 7 || bg >= 9 ? TV_BG_LIGHT : TV_BG_DARK;
}

/* One channel of an OSC 11 colour: 1 to 4 hex digits, scaled to 0..1. */
static const char *
osc_channel(const char *p, const char *end, double *v)
{
	unsigned long x = 0, max = 0;
	int n = 0;

	while (p < end && n < 4 && isxdigit((unsigned char)*p)) {
		char c = *p++;

		x = x * 16 + (unsigned long)(isdigit((unsigned char)c) ? c - '0'
					      : (tolower((unsigned char)c) - 'a' + 10));
		max = max * 16 + 15;
		n++;
	}
	if (n == 0)
		return NULL;
	*v = (double)x / (double)max;
	return p;
}

static double
linear(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double
rgb_luminance(double r, double g, double b)
{
	return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

enum tv_bg
tv_theme_bg_osc11(const char *buf, size_t n)
{
	static const char head[] = "\033]11;rgb:";
	const char *end = buf + n, *p;
	double c[3];
	int i;

	for (p = buf; p + sizeof head - 1 <= end; p++)
		if (memcmp(p, head, sizeof head - 1) == 0)
			break;
	if (p + sizeof head - 1 > end)
		return TV_BG_UNKNOWN;
	p += sizeof head - 1;
	for (i = 0; i < 3; i++) {
		if (!(p = osc_channel(p, end, &c[i])))
			return TV_BG_UNKNOWN;
		if (i < 2 && (p == end || *p++ != '/'))
			return TV_BG_UNKNOWN;
	}
	if (!(p < end && (*p == '\a' || (*p == '\033' && p + 1 < end &&
					 p[1] == '\\'))))
		return TV_BG_UNKNOWN;
	/* Black text wins over white text above this luminance. */
	return rgb_luminance(c[0], c[1], c[2]) > 0.179 ? TV_BG_LIGHT
						       : TV_BG_DARK;
}

double
tv_theme_luminance(int xterm)
{
	uint32_t v = tv_xterm_rgb(xterm);

	return rgb_luminance((double)(v >> 16 & 0xff) / 255.0,
			     (double)(v >> 8 & 0xff) / 255.0,
			     (double)(v & 0xff) / 255.0);
}

double
tv_theme_contrast(double l1, double l2)
{
	double hi = l1 > l2 ? l1 : l2, lo = l1 > l2 ? l2 : l1;

	return (hi + 0.05) / (lo + 0.05);
}

/* The temperature ramp: RGB anchors (deep blue, sky blue, white at T = 1,
 * amber, orange, red) interpolated in 32 steps and matched to the nearest
 * xterm-256 entries once, offline, among those with a contrast of at
 * least 3 on the status bar's background, where the header shows T. */
static const int16_t temp_256[TV_RAMP_TEMP_STEPS] = {
	31, 31, 31, 32, 32, 32, 33, 33, 69, 69, 75, 111, 111, 153, 189, 255,
	231, 230, 223, 222, 221, 215, 215, 214, 208, 208, 208, 202, 166, 166,
	196, 196,
};

struct ramp8 {
	int16_t fg;
	uint16_t attr;
};

static const struct ramp8 temp_8[] = {
	{ 4, 0 }, { 4, TV_A_BOLD }, { 6, 0 }, { 7, TV_A_BOLD }, { 3, 0 },
	{ 3, TV_A_BOLD }, { 1, 0 }, { 1, TV_A_BOLD },
};

/* Without colour the ramp reads as faint, normal, bright. */
static const uint16_t ramp_mono[] = { TV_A_DIM, 0, TV_A_BOLD };

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static size_t
ramp_step(double x01, size_t n)
{
	if (!(x01 > 0.0))
		return 0;
	if (x01 >= 1.0)
		return n - 1;
	return (size_t)floor(x01 * (double)(n - 1) + 0.5);
}

struct tv_style
tv_theme_ramp(enum tv_tier tier, double x01)
{
	struct tv_style st = { TV_DEFAULT, TV_DEFAULT, 0 };

	if (tier == TV_TIER_256) {
		st.fg = temp_256[ramp_step(x01, LEN(temp_256))];
	} else if (tier == TV_TIER_8) {
		const struct ramp8 *r = &temp_8[ramp_step(x01, LEN(temp_8))];

		st.fg = r->fg;
		st.attr = r->attr;
	} else {
		st.attr = ramp_mono[ramp_step(x01, LEN(ramp_mono))];
	}
	return st;
}

double
tv_theme_temp01(double t)
{
	double x;

	if (!(t > 0.0))
		return 0.0;
	x = (log2(t) + 4.0) / 8.0;
	return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

/* Each step up to the kelvin where the next begins: the glow appears at
 * the Draper point, is yellow like a bulb, white like the Sun and turns
 * to the blue of hot stars. */
struct tv_style
tv_theme_glow8(double kelvin)
{
	static const struct {
		double below;
		struct ramp8 c;
	} steps[] = {
		{ TV_GLOW_KMIN, { 0, 0 } },
		{ 2500, { 1, 0 } },
		{ 4500, { 3, TV_A_BOLD } },
		{ 7500, { 7, TV_A_BOLD } },
		{ 15000, { 6, 0 } },
		{ INFINITY, { 4, 0 } },
	};
	size_t i;

	for (i = 0; i + 1 < LEN(steps); i++)
		if (!(kelvin >= steps[i].below))
			break;
	return (struct tv_style){ steps[i].c.fg, TV_DEFAULT, steps[i].c.attr };
}

enum tv_tier
tv_tier_detect(int colors, int has_colors, enum tv_color_mode mode,
	       const char *no_color_env)
{
	if (mode == TV_COLOR_NEVER)
		return TV_TIER_MONO;
	if (mode == TV_COLOR_ALWAYS)
		return colors >= 256 ? TV_TIER_256 : TV_TIER_8;
	if (no_color_env && no_color_env[0] != '\0')
		return TV_TIER_MONO;
	if (!has_colors || colors < 8)
		return TV_TIER_MONO;
	return colors >= 256 ? TV_TIER_256 : TV_TIER_8;
}

const char *
tv_tier_name(enum tv_tier tier)
{
	return tier == TV_TIER_256 ? "256" : tier == TV_TIER_8 ? "8" : "mono";
}
