/* SPDX-License-Identifier: MIT */
/*
 * Colours by role. Drawing code never names a colour: it asks the theme for
 * a role's style in the current tier, or for a step of a gradient ramp.
 * One X-macro table holds every role with a column per tier, so adding a
 * role cannot leave a tier without a style.
 */
#ifndef TEMPVIZ_THEME_H
#define TEMPVIZ_THEME_H

#include "ui/app.h"
#include "ui/frame.h"

/*
 * _(NAME, dark: 256-colour fg, bg, attr,  8-colour fg, bg, attr,
 *         any:  256-colour fg, bg, attr,  8-colour fg, bg, attr,  mono attr)
 * Two palettes: "dark", for a terminal known to have a dark background,
 * and "any", legible on dark and light backgrounds alike (used for light
 * ones and when the background is not known). Colours are xterm-256
 * indices, TV_DEFAULT (-1) for the terminal's own; text that must be read
 * in "any" (values, markers) is in the terminal's own foreground.
 * tests/unit/test_theme.c holds every entry to a contrast ratio against
 * the backgrounds it serves.
 * Abbreviations: B bold, D dim, R reverse, U underline, I italic.
 */
#define TV_THEME_B TV_A_BOLD
#define TV_THEME_D TV_A_DIM
#define TV_THEME_R TV_A_REVERSE
#define TV_THEME_U TV_A_UNDERLINE
#define TV_THEME_I TV_A_ITALIC

#define TV_ROLES(_) \
	_(TEXT,        -1,  -1, 0,  -1, -1, 0, \
	               -1,  -1, 0,  -1, -1, 0,  0) \
	_(DIM,         245, -1, 0,  -1, -1, TV_THEME_D, \
	               243, -1, 0,  -1, -1, TV_THEME_D,  TV_THEME_D) \
	_(HEADER,      117, -1, TV_THEME_B,  6,  -1, TV_THEME_B, \
	               25,  -1, TV_THEME_B,  -1, -1, TV_THEME_B,  TV_THEME_B) \
	_(BORDER,      240, -1, 0,  -1, -1, TV_THEME_D, \
	               248, -1, 0,  -1, -1, TV_THEME_D,  0) \
	_(STATUS,      252, 236, 0,  0,  7,  0, \
	               252, 236, 0,  0,  7,  0,  TV_THEME_R) \
	_(FOCUS,       16,  214, TV_THEME_B,  0,  3,  TV_THEME_B, \
	               16,  214, TV_THEME_B,  0,  3,  TV_THEME_B,  TV_THEME_R | TV_THEME_B) \
	_(DIAL_NAME,   250, -1, 0,  -1, -1, 0, \
	               242, -1, 0,  -1, -1, 0,  0) \
	_(DIAL_VALUE,  229, -1, TV_THEME_B,  3,  -1, TV_THEME_B, \
	               -1,  -1, TV_THEME_B,  -1, -1, TV_THEME_B,  TV_THEME_B) \
	_(DIAL_TRACK,  240, -1, 0,  -1, -1, TV_THEME_D, \
	               250, -1, 0,  -1, -1, TV_THEME_D,  TV_THEME_D) \
	_(DIAL_MARK,   214, -1, TV_THEME_B,  3,  -1, TV_THEME_B, \
	               166, -1, TV_THEME_B,  1,  -1, TV_THEME_B,  TV_THEME_B) \
	_(BAR,         75,  -1, 0,  6,  -1, 0, \
	               32,  -1, 0,  5,  -1, 0,  0) \
	_(BAR_CUT,     238, -1, 0,  -1, -1, TV_THEME_D, \
	               250, -1, 0,  -1, -1, TV_THEME_D,  TV_THEME_D) \
	_(GHOST,       250, -1, 0,  7,  -1, 0, \
	               242, -1, 0,  -1, -1, 0,  TV_THEME_B) \
	_(THRESH_TOPP, 178, -1, 0,  3,  -1, 0, \
	               136, -1, 0,  1,  -1, TV_THEME_B,  TV_THEME_B) \
	_(THRESH_MINP, 170, -1, 0,  5,  -1, 0, \
	               127, -1, 0,  -1, -1, TV_THEME_B,  TV_THEME_U) \
	_(GAUGE,       114, -1, 0,  2,  -1, 0, \
	               28,  -1, 0,  5,  -1, 0,  0) \
	_(GAUGE_EMPTY, 238, -1, 0,  -1, -1, TV_THEME_D, \
	               250, -1, 0,  -1, -1, TV_THEME_D,  TV_THEME_D) \
	_(WARN,        214, -1, TV_THEME_B,  3,  -1, TV_THEME_B, \
	               166, -1, TV_THEME_B,  1,  -1, TV_THEME_B,  TV_THEME_B) \
	_(ERROR,       196, -1, TV_THEME_B,  1,  -1, TV_THEME_B, \
	               160, -1, TV_THEME_B,  1,  -1, TV_THEME_B,  TV_THEME_B | TV_THEME_R) \
	_(STAT_LABEL,  246, -1, 0,  -1, -1, 0, \
	               242, -1, 0,  -1, -1, 0,  0) \
	_(STAT_VALUE,  255, -1, TV_THEME_B,  -1, -1, TV_THEME_B, \
	               -1,  -1, TV_THEME_B,  -1, -1, TV_THEME_B,  TV_THEME_B) \
	_(STAGE,       153, -1, TV_THEME_B,  6,  -1, TV_THEME_B, \
	               25,  -1, TV_THEME_B,  -1, -1, TV_THEME_B,  TV_THEME_B | TV_THEME_U) \
	_(HIST_EMP,    75,  -1, 0,  6,  -1, 0, \
	               32,  -1, 0,  5,  -1, 0,  0) \
	_(HIST_THEORY, 214, -1, TV_THEME_B,  3,  -1, TV_THEME_B, \
	               166, -1, TV_THEME_B,  1,  -1, TV_THEME_B,  TV_THEME_B) \
	_(PLOT_ENTROPY, 81,  -1, 0,  6,  -1, 0, \
	               31,  -1, 0,  5,  -1, 0,  0) \
	_(PLOT_TOP1,   214, -1, 0,  3,  -1, 0, \
	               166, -1, 0,  1,  -1, 0,  0) \
	_(PLOT_KEPT,   156, -1, 0,  2,  -1, 0, \
	               28,  -1, 0,  -1, -1, TV_THEME_B,  0) \
	_(PLOT_AXIS,   242, -1, 0,  -1, -1, TV_THEME_D, \
	               248, -1, 0,  -1, -1, TV_THEME_D,  TV_THEME_D) \
	_(PLAYHEAD,    203, -1, TV_THEME_B,  1,  -1, TV_THEME_B, \
	               161, -1, TV_THEME_B,  1,  -1, TV_THEME_B,  TV_THEME_B) \
	_(MARKER,      231, -1, TV_THEME_B,  7,  -1, TV_THEME_B, \
	               -1,  -1, TV_THEME_B,  -1, -1, TV_THEME_B,  TV_THEME_B | TV_THEME_R) \
	_(HELP_KEY,    222, -1, TV_THEME_B,  3,  -1, TV_THEME_B, \
	               130, -1, TV_THEME_B,  -1, -1, TV_THEME_B,  TV_THEME_B) \
	_(HELP_TEXT,   -1,  -1, 0,  -1, -1, 0, \
	               -1,  -1, 0,  -1, -1, 0,  0) \
	_(PARTICLE,    215, -1, TV_THEME_B,  3,  -1, TV_THEME_B, \
	               166, -1, TV_THEME_B,  1,  -1, TV_THEME_B,  TV_THEME_B) \
	_(LEVEL,       109, -1, 0,  6,  -1, 0, \
	               30,  -1, 0,  5,  -1, 0,  0) \
	_(TAIL,        242, -1, TV_THEME_I,  -1, -1, TV_THEME_D, \
	               242, -1, TV_THEME_I,  -1, -1, TV_THEME_D,  TV_THEME_D) \
	_(APPROX,      180, -1, TV_THEME_I,  3,  -1, 0, \
	               137, -1, TV_THEME_I,  5,  -1, 0,  TV_THEME_U)

enum tv_role {
#define TV_ROLE_ENUM(name, ...) TV_ROLE_##name,
	TV_ROLES(TV_ROLE_ENUM)
#undef TV_ROLE_ENUM
	TV_ROLE__COUNT
};

/* The temperature ramp spans T = 1/16 .. 16 on a log scale. */
#define TV_RAMP_TEMP_STEPS 32

/* The terminal's background, as far as it is known. */
enum tv_bg { TV_BG_UNKNOWN, TV_BG_DARK, TV_BG_LIGHT };

/* A role's style: the "dark" palette on TV_BG_DARK, "any" otherwise. */
struct tv_style tv_theme(enum tv_tier tier, enum tv_bg bg, enum tv_role role);

/* The background --theme names (dark, light) or, for auto, the one
 * COLORFGBG states ("fg;bg" or "fg;x;bg", rxvt's convention: bg 0-6 or
 * 8 dark, 7 or 9-15 light); TV_BG_UNKNOWN when it says nothing. */
enum tv_bg tv_theme_bg(enum tv_theme_mode mode, const char *colorfgbg);
/* The background from a terminal's reply to OSC 11 (ESC ] 11 ; rgb:R/G/B,
 * 1 to 4 hex digits a channel, ended by BEL or ESC \) anywhere in the n
 * bytes of buf: light when black text has more contrast on it than white
 * text. TV_BG_UNKNOWN without a well-formed reply. */
enum tv_bg tv_theme_bg_osc11(const char *buf, size_t n);
/* The relative luminance (WCAG 2) of an xterm-256 colour, and the
 * contrast ratio of two luminances (1 to 21). */
double tv_theme_luminance(int xterm);
double tv_theme_contrast(double l1, double l2);

/* The temperature ramp's step nearest x01 (clamped to 0..1): cold blue
 * -> white at T = 1 -> hot red, precomputed per tier (8 colours: a few
 * basic colours; mono: dim, normal, bold). The colour is in fg. */
struct tv_style tv_theme_ramp(enum tv_tier tier, double x01);
/* Where T sits on the temperature ramp: log2(T) from -4 .. 4 to 0..1. */
double tv_theme_temp01(double t);
/* The blackbody colour of a colour temperature in kelvin with eight
 * colours (thermo.md A.4): black below the Draper point, then red,
 * yellow (bold), white (bold), cyan and blue. With 256 colours the exact
 * colour (tv_glow) is shown instead. */
struct tv_style tv_theme_glow8(double kelvin);

/*
 * The tier to use: --color=never gives mono; --color=always at least 8
 * colours (256 when the terminal has them); auto honours NO_COLOR when it
 * is set and non-empty (no-color.org), then has_colors and COLORS.
 * no_color_env is getenv("NO_COLOR"), possibly NULL.
 */
enum tv_tier tv_tier_detect(int colors, int has_colors,
			    enum tv_color_mode mode, const char *no_color_env);
const char *tv_tier_name(enum tv_tier tier);

#endif
