/* SPDX-License-Identifier: MIT */
#include "ui/theme.h"

#include <math.h>
#include <stddef.h>

#include "tempviz/thermo.h"

static const struct tv_style roles[TV_ROLE__COUNT][3] = {
#define TV_ROLE_ROW(name, f256, b256, a256, f8, b8, a8, amono) \
	[TV_ROLE_##name] = { \
		{ f256, b256, a256 }, \
		{ f8, b8, a8 }, \
		{ TV_DEFAULT, TV_DEFAULT, amono } },
	TV_ROLES(TV_ROLE_ROW)
#undef TV_ROLE_ROW
};

static int
tier_index(enum tv_tier tier)
{
	return tier == TV_TIER_256 ? 0 : tier == TV_TIER_8 ? 1 : 2;
}

struct tv_style
tv_theme(enum tv_tier tier, enum tv_role role)
{
	if ((unsigned)role >= TV_ROLE__COUNT)
		role = TV_ROLE_TEXT;
	return roles[role][tier_index(tier)];
}

/* The temperature ramp: RGB anchors (deep blue, sky blue, white at T = 1,
 * amber, orange, red) interpolated in 32 steps and matched to the nearest
 * xterm-256 entries once, offline. */
static const int16_t temp_256[TV_RAMP_TEMP_STEPS] = {
	19, 25, 25, 26, 26, 26, 27, 27, 69, 69, 75, 111, 111, 153, 189, 255,
	231, 230, 223, 222, 221, 215, 215, 214, 208, 208, 208, 202, 166, 166,
	160, 160,
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
