/* SPDX-License-Identifier: MIT */
/*
 * The colour of a temperature: Planck's law seen through the CIE 1931 2
 * degree observer (the multi-lobe Gaussian fit of Wyman, Sloan and
 * Shirley, JCGT 2013, so no data table is needed), sRGB (D65) primaries,
 * and the nearest xterm-256 colour.
 */
#include <math.h>
#include <stdlib.h>

#include "tempviz/thermo.h"

/* Second radiation constant in nm K. */
#define PLANCK_C2 1.4387769e7

/* A Gaussian lobe with different widths left and right of its peak. */
static double
lobe(double nm, double mu, double s_left, double s_right)
{
	double t = (nm - mu) / (nm < mu ? s_left : s_right);

	return exp(-0.5 * t * t);
}

static void
cie_cmf(double nm, double xyz[3])
{
	xyz[0] = 1.056 * lobe(nm, 599.8, 37.9, 31.0)
		 + 0.362 * lobe(nm, 442.0, 16.0, 26.7)
		 - 0.065 * lobe(nm, 501.1, 20.4, 26.2);
	xyz[1] = 0.821 * lobe(nm, 568.8, 46.9, 40.5)
		 + 0.286 * lobe(nm, 530.9, 16.3, 31.1);
	xyz[2] = 1.217 * lobe(nm, 437.0, 11.8, 36.0)
		 + 0.681 * lobe(nm, 459.0, 26.0, 13.8);
}

/* Spectral radiance up to a constant factor, which normalising drops. */
static double
planck(double nm, double kelvin)
{
	return pow(nm / 500.0, -5.0) / expm1(PLANCK_C2 / (nm * kelvin));
}

static void
blackbody_xyz(double kelvin, double xyz[3])
{
	int nm;

	xyz[0] = xyz[1] = xyz[2] = 0.0;
	for (nm = 380; nm <= 780; nm += 5) {
		double cmf[3], b = planck(nm, kelvin);

		cie_cmf(nm, cmf);
		xyz[0] += b * cmf[0];
		xyz[1] += b * cmf[1];
		xyz[2] += b * cmf[2];
	}
}

static double
srgb_encode(double v)
{
	return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

/* Linear sRGB, desaturated into gamut and scaled to full brightness,
 * then encoded: a chromaticity, 0..1 per channel. */
static void
xyz_to_srgb(const double xyz[3], double rgb[3])
{
	double lo, hi;
	int i;

	rgb[0] = 3.2404542 * xyz[0] - 1.5371385 * xyz[1] - 0.4985314 * xyz[2];
	rgb[1] = -0.9692660 * xyz[0] + 1.8760108 * xyz[1] + 0.0415560 * xyz[2];
	rgb[2] = 0.0556434 * xyz[0] - 0.2040259 * xyz[1] + 1.0572252 * xyz[2];
	lo = fmin(rgb[0], fmin(rgb[1], rgb[2]));
	if (lo < 0.0)
		for (i = 0; i < 3; i++)
			rgb[i] -= lo;
	hi = fmax(rgb[0], fmax(rgb[1], rgb[2]));
	for (i = 0; i < 3; i++)
		rgb[i] = srgb_encode(hi > 0.0 ? rgb[i] / hi : 0.0);
}

static uint8_t
to_byte(double v)
{
	v = v * 255.0 + 0.5;
	return v <= 0.0 ? 0 : v >= 255.0 ? 255 : (uint8_t)v;
}

static void
cie_rgb(double kelvin, double rgb[3])
{
	double xyz[3];

	blackbody_xyz(kelvin, xyz);
	xyz_to_srgb(xyz, rgb);
}

struct tv_rgb
tv_blackbody_cie(double kelvin)
{
	double rgb[3];

	cie_rgb(fmin(fmax(kelvin, TV_GLOW_KMIN), TV_GLOW_KMAX), rgb);
	return (struct tv_rgb){ to_byte(rgb[0]), to_byte(rgb[1]),
				to_byte(rgb[2]) };
}

static double
clamp255(double v)
{
	return fmin(fmax(v, 0.0), 255.0);
}

struct tv_rgb
tv_blackbody_helland(double kelvin)
{
	double t = fmin(fmax(kelvin, 1000.0), 40000.0) / 100.0;
	double r, g, b;

	r = t <= 66.0 ? 255.0 : 329.698727446 * pow(t - 60.0, -0.1332047592);
	g = t <= 66.0 ? 99.4708025861 * log(t) - 161.1195681661
		      : 288.1221695283 * pow(t - 60.0, -0.0755148492);
	b = t >= 66.0 ? 255.0
	    : t <= 19.0 ? 0.0 : 138.5177312231 * log(t - 10.0) - 305.0447927307;
	return (struct tv_rgb){ (uint8_t)(clamp255(r) + 0.5),
				(uint8_t)(clamp255(g) + 0.5),
				(uint8_t)(clamp255(b) + 0.5) };
}

static double
lut_kelvin(int i)
{
	return TV_GLOW_KMIN * pow(TV_GLOW_KMAX / TV_GLOW_KMIN,
				  (double)i / (TV_GLOW_LUT - 1));
}

void
tv_glow_lut_init(struct tv_glow_lut *lut)
{
	int i, c;

	for (i = 0; i < TV_GLOW_LUT; i++) {
		double rgb[3];

		cie_rgb(lut_kelvin(i), rgb);
		for (c = 0; c < 3; c++)
			lut->rgb[i][c] = (float)rgb[c];
	}
}

static void
lut_lookup(const struct tv_glow_lut *lut, double kelvin, double rgb[3])
{
	double x = log(fmin(fmax(kelvin, TV_GLOW_KMIN), TV_GLOW_KMAX)
		       / TV_GLOW_KMIN)
		   / log(TV_GLOW_KMAX / TV_GLOW_KMIN) * (TV_GLOW_LUT - 1);
	int i = (int)x;
	double f;
	int c;

	if (i >= TV_GLOW_LUT - 1)
		i = TV_GLOW_LUT - 2;
	f = x - i;
	for (c = 0; c < 3; c++)
		rgb[c] = lut->rgb[i][c] + f * (lut->rgb[i + 1][c]
					       - lut->rgb[i][c]);
}

struct tv_rgb
tv_glow_lut_rgb(const struct tv_glow_lut *lut, double kelvin)
{
	double rgb[3];

	lut_lookup(lut, kelvin, rgb);
	return (struct tv_rgb){ to_byte(rgb[0]), to_byte(rgb[1]),
				to_byte(rgb[2]) };
}

struct tv_rgb
tv_glow(const struct tv_glow_lut *lut, double temp)
{
	double k = TV_KELVIN_PER_T * temp, rgb[3], f;

	/* Below the Draper point nothing visibly glows. */
	if (!(k >= TV_GLOW_KMIN))
		return (struct tv_rgb){ 0, 0, 0 };
	lut_lookup(lut, k, rgb);
	f = fmin(fmax((k - 700.0) / 1100.0, 0.0), 1.0);
	return (struct tv_rgb){ to_byte(f * rgb[0]), to_byte(f * rgb[1]),
				to_byte(f * rgb[2]) };
}

static const uint8_t cube_level[6] = { 0, 95, 135, 175, 215, 255 };

static long
dist2(struct tv_rgb c, int r, int g, int b)
{
	long dr = c.r - r, dg = c.g - g, db = c.b - b;

	return dr * dr + dg * dg + db * db;
}

/* The cube level nearest one channel; levels are monotone, so the best
 * cube colour is the per-channel nearest. */
static int
cube_nearest(int v)
{
	int i, best = 0;

	for (i = 1; i < 6; i++)
		if (abs(v - cube_level[i]) < abs(v - cube_level[best]))
			best = i;
	return best;
}

int
tv_xterm256(struct tv_rgb c)
{
	int r = cube_nearest(c.r), g = cube_nearest(c.g), b = cube_nearest(c.b);
	int best = 16 + 36 * r + 6 * g + b, k;
	long bd = dist2(c, cube_level[r], cube_level[g], cube_level[b]);

	for (k = 0; k < 24; k++) {
		int v = 8 + 10 * k;
		long dd = dist2(c, v, v, v);

		if (dd < bd) {
			bd = dd;
			best = 232 + k;
		}
	}
	return best;
}
