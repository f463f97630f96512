/* SPDX-License-Identifier: MIT */
/*
 * The Boltzmann mapping against thermo.md's test vectors and identities,
 * its limits at T -> 0, T -> inf and T < 0, the density of states against
 * the exact sums, the Schottky peak, the glow table, the Metropolis
 * particles and the attention demo.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tempviz/dist.h"
#include "tempviz/pipeline.h"
#include "tempviz/rng.h"
#include "tempviz/thermo.h"

#include "testutil.h"

/* thermo.md's test logits: energies 0, 1, 1.5, 2, 3. */
static const float z5[] = { 2, 1, 0.5f, 0, -1 };

static void
load(struct tv_dist *d, const float *z, uint32_t n)
{
	assert_int_equal(tv_dist_from_logits(d, z, n), TV_OK);
	assert_int_equal(tv_dist_finish(d), TV_OK);
}

static void
test_table(void **state)
{
	static const struct {
		double t, z, u, s, sb, f, c, ppl, p[5];
	} row[] = {
		{ 0.5, 1.205917, 0.210697, 0.608635, 0.878074, -0.093620,
		  0.959910, 1.8379,
		  { .829245, .112226, .041286, .015188, .002055 } },
		{ 1, 1.776132, 0.632051, 1.206489, 1.740596, -0.574438,
		  0.647363, 3.3417,
		  { .563021, .207124, .125627, .076197, .028031 } },
		{ 2, 2.669907, 1.018848, 1.491468, 2.151733, -1.964087,
		  0.222624, 4.4436,
		  { .374545, .227173, .176922, .137787, .083572 } },
	};
	struct tv_dist d;
	struct tv_thermo t;
	size_t i, k;

	(void)state;
	load(&d, z5, 5);
	for (i = 0; i < sizeof row / sizeof row[0]; i++) {
		assert_int_equal(tv_thermo_at(&d, row[i].t, &t), 0);
		assert_near(t.z, row[i].z, 5e-7);
		assert_near(t.lnz, log(row[i].z), 1e-6);
		assert_near(t.u, row[i].u, 5e-7);
		assert_near(t.s_nats, row[i].s, 5e-7);
		assert_near(t.s_bits, row[i].sb, 5e-7);
		assert_near(t.f, row[i].f, 5e-7);
		assert_near(t.c, row[i].c, 5e-7);
		assert_near(t.perplexity, row[i].ppl, 5e-5);
		for (k = 0; k < 5; k++)
			assert_near(tv_thermo_p(&t, z5[k]), row[i].p[k], 5e-7);
		assert_false(t.frozen);
	}
	tv_dist_free(&d);
}

static double
shannon(const struct tv_thermo *t, const float *z, uint32_t n)
{
	double s = 0.0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		double p = tv_thermo_p(t, z[i]);

		if (p > 0.0)
			s -= p * log(p);
	}
	return s;
}

static void
test_identities(void **state)
{
	static const double temps[] = { 0.05, 0.3, 1, 2.5, 40, -0.4, -1, -7 };
	const double h = 1e-5;
	struct tv_dist d;
	size_t i;

	(void)state;
	load(&d, z5, 5);
	for (i = 0; i < sizeof temps / sizeof temps[0]; i++) {
		double tt = temps[i], sum = 0.0;
		struct tv_thermo t, lo, hi;
		uint32_t k;

		tv_thermo_at(&d, tt, &t);
		tv_thermo_at(&d, tt - h, &lo);
		tv_thermo_at(&d, tt + h, &hi);
		for (k = 0; k < 5; k++)
			sum += tv_thermo_p(&t, z5[k]);
		assert_near(sum, 1.0, 1e-14);
		assert_near(t.f, t.u - tt * t.s_nats, 1e-13);
		assert_near(t.s_nats, shannon(&t, z5, 5), 1e-13);
		assert_near(t.s_nats, t.beta * t.u + t.lnz, 1e-12);
		/* C = d<E>/dT = T dS/dT, central differences. */
		assert_near((hi.u - lo.u) / (2 * h), t.c, 1e-6 * (1 + t.c));
		assert_near(tt * (hi.s_nats - lo.s_nats) / (2 * h), t.c,
			    1e-6 * (1 + t.c));
		assert_true(t.c >= 0.0);
	}
	tv_dist_free(&d);
}

static void
test_kl(void **state)
{
	struct tv_dist d;
	struct tv_thermo t, t1;
	double kl = 0.0;
	uint32_t k;

	(void)state;
	load(&d, z5, 5);
	tv_thermo_at(&d, 0.5, &t);
	tv_thermo_at(&d, 1.0, &t1);
	for (k = 0; k < 5; k++) {
		double p = tv_thermo_p(&t, z5[k]);

		kl += p * log(p / tv_thermo_p(&t1, z5[k]));
	}
	assert_near(tv_thermo_kl(&t, &t1), 0.176501, 5e-7);
	assert_near(tv_thermo_kl(&t, &t1), kl, 1e-14);
	tv_thermo_at(&d, 0.0, &t);
	assert_near(tv_thermo_kl(&t, &t1), -log(tv_thermo_p(&t1, 2)), 1e-14);
	tv_dist_free(&d);
}

static void
assert_sane(const struct tv_thermo *t)
{
	assert_false(isnan(t->lnz) || isnan(t->z) || isnan(t->u));
	assert_false(isnan(t->var_e) || isnan(t->s_nats) || isnan(t->f));
	assert_false(isnan(t->c) || isnan(t->perplexity));
	assert_true(t->s_nats >= 0.0 && t->c >= 0.0 && t->var_e >= 0.0);
}

static void
test_cold_limit(void **state)
{
	static const float ties[] = { 1, 0, 1, -2 };
	static const double cold[] = { 1e-3, 1e-4, 1e-30, 1e-300, 5e-324, 0.0 };
	struct tv_dist d;
	struct tv_thermo t;
	size_t i;

	(void)state;
	load(&d, z5, 5);
	for (i = 0; i < sizeof cold / sizeof cold[0]; i++) {
		assert_int_equal(tv_thermo_at(&d, cold[i], &t), 0);
		assert_sane(&t);
		assert_near(t.u, 0.0, 1e-300);
		assert_near(t.s_nats, 0.0, 1e-300);
		assert_near(t.f, 0.0, 1e-300);
		assert_near(t.c, 0.0, 1e-300);
		assert_near(tv_thermo_p(&t, 2), 1.0, 0.0);
		assert_near(tv_thermo_p(&t, 1), 0.0, 1e-300);
	}
	assert_true(t.frozen);
	/* C ~ (g1/g0) (gap/T)^2 e^(-gap/T) on the way down. */
	tv_thermo_at(&d, 0.05, &t);
	assert_near(t.c / (400.0 * exp(-20.0)), 1.0, 1e-3);
	tv_dist_free(&d);

	/* Two tied maxima: residual entropy ln 2. */
	load(&d, ties, 4);
	tv_thermo_at(&d, 0.0, &t);
	assert_sane(&t);
	assert_near(t.s_nats, log(2.0), 1e-15);
	assert_near(t.g_ground, 2.0, 0.0);
	assert_near(tv_thermo_p(&t, 1), 0.5, 0.0);
	tv_thermo_at(&d, 1e-3, &t);
	assert_near(t.s_nats, log(2.0), 1e-15);
	assert_near(t.lnz, log(2.0), 1e-15);
	tv_dist_free(&d);
}

static void
test_hot_limit(void **state)
{
	struct tv_dist d;
	struct tv_thermo t;

	(void)state;
	load(&d, z5, 5);
	assert_int_equal(tv_thermo_at(&d, INFINITY, &t), 0);
	assert_sane(&t);
	assert_near(t.s_nats, log(5.0), 1e-15);
	assert_near(t.u, 7.5 / 5, 1e-15);
	assert_near(t.c, 0.0, 0.0);
	assert_true(isinf(t.f) && t.f < 0.0);
	assert_near(tv_thermo_p(&t, -1), 0.2, 1e-15);
	assert_int_equal(tv_thermo_at_beta(&d, 0.0, &t), 0);
	assert_near(t.s_nats, log(5.0), 1e-15);
	tv_thermo_at(&d, 1e6, &t);
	assert_near(t.s_nats, log(5.0), 1e-6);
	/* C ~ Var_uniform(E) / T^2. */
	assert_near(t.c * 1e12, 1.0, 1e-5);
	assert_near(t.f / (-1e6 * log(5.0)), 1.0, 1e-6);
	assert_int_equal(tv_thermo_at(&d, NAN, &t), -1);
	tv_dist_free(&d);
}

static void
test_negative_temperature(void **state)
{
	static const double rev[] = { .028031, .076197, .125627, .207124,
				      .563021 };
	struct tv_dist d;
	struct tv_thermo t, pos;
	uint32_t k;

	(void)state;
	load(&d, z5, 5);
	tv_thermo_at(&d, -1.0, &t);
	assert_sane(&t);
	for (k = 0; k < 5; k++)
		assert_near(tv_thermo_p(&t, z5[k]), rev[k], 5e-7);
	/* The spectrum 0 1 1.5 2 3 is its own mirror (E -> 3 - E), so
	 * T = -1 is T = +1 seen from the top: same S and C. */
	tv_thermo_at(&d, 1.0, &pos);
	assert_near(t.s_nats, pos.s_nats, 1e-13);
	assert_near(t.c, pos.c, 1e-13);
	assert_near(t.u, 3.0 - pos.u, 1e-13);
	assert_true(t.f > 0.0);
	/* -0: frozen at the argmin; beta crosses 0 without a jump. */
	tv_thermo_at(&d, -0.0, &t);
	assert_sane(&t);
	assert_true(t.frozen);
	assert_near(t.u, 3.0, 0.0);
	assert_near(tv_thermo_p(&t, -1), 1.0, 0.0);
	tv_thermo_at(&d, -1e-6, &t);
	assert_sane(&t);
	assert_near(tv_thermo_p(&t, -1), 1.0, 1e-12);
	assert_near(t.f, 3.0, 1e-12);
	tv_thermo_at_beta(&d, -1e-9, &t);
	assert_near(t.s_nats, log(5.0), 1e-8);
	tv_thermo_at_beta(&d, -1e300, &t);
	assert_sane(&t);
	tv_dist_free(&d);
}

static void
test_tail_level(void **state)
{
	static const float lp[] = { -0.6931472f, -1.6094379f, -2.3025851f };
	struct tv_dist d;
	struct tv_thermo t;
	double g, zt, zmax = lp[0], w = 0.0, we = 0.0, e;
	uint32_t k;

	(void)state;
	assert_int_equal(tv_dist_from_logits(&d, lp, 3), TV_OK);
	assert_int_equal(tv_dist_set_tail_mass(&d, 1003, 0.2), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	g = d.tail_g;
	zt = d.tail_logit;
	assert_near(g, 1000.0, 0.0);
	/* Sums by hand at T = 0.7 over the three tokens and the level. */
	for (k = 0; k < 3; k++) {
		e = zmax - lp[k];
		w += exp(-e / 0.7);
		we += e * exp(-e / 0.7);
	}
	e = zmax - zt;
	w += g * exp(-e / 0.7);
	we += g * e * exp(-e / 0.7);
	tv_thermo_at(&d, 0.7, &t);
	assert_near(t.lnz, log(w), 1e-13);
	assert_near(t.u, we / w, 1e-13);
	assert_near(tv_thermo_p(&t, zt) * g + tv_thermo_p(&t, lp[0])
		    + tv_thermo_p(&t, lp[1]) + tv_thermo_p(&t, lp[2]),
		    1.0, 1e-14);
	/* At T = 1 the tail keeps its mass; at high T its ln g wins. */
	tv_thermo_at(&d, 1.0, &t);
	assert_near(tv_thermo_p(&t, zt) * g, 0.2, 1e-6);
	tv_thermo_at(&d, INFINITY, &t);
	assert_near(t.s_nats, log(1003.0), 1e-12);
	tv_dist_free(&d);
}

static void
test_schottky(void **state)
{
	static const float two[] = { 0, -1 };
	struct tv_dist d;
	struct tv_dos s;
	struct tv_thermo t;
	double tp, cm, x;

	(void)state;
	load(&d, two, 2);
	assert_int_equal(tv_dos_build(&s, &d), 0);
	assert_int_equal(tv_dos_c_peak(&s, 0.01, 100, &tp, &cm), 0);
	assert_near(tp, 0.4168, 5e-5);
	assert_near(cm, 0.4392, 5e-5);
	/* The closed form (x^2 e^-x / (1 + e^-x)^2, x = gap / T). */
	tv_dos_at(&s, 0.8, &t);
	x = 1.0 / 0.8;
	assert_near(t.c, x * x * exp(-x) / pow(1 + exp(-x), 2), 1e-14);
	tv_dos_free(&s);
	tv_dist_free(&d);
}

static void
compare(const struct tv_thermo *a, const struct tv_thermo *b, double tol)
{
	assert_near(a->lnz, b->lnz, tol * (1 + fabs(b->lnz)));
	assert_near(a->u, b->u, tol * (1 + fabs(b->u)));
	assert_near(a->s_nats, b->s_nats, tol * (1 + b->s_nats));
	assert_near(a->f, b->f, tol * (1 + fabs(b->f)));
	assert_near(a->c, b->c, tol * (1 + b->c));
}

static void
test_dos_exact_levels(void **state)
{
	static const double temps[] = { 0.0, 0.01, 0.5, 1, 2, 1e3, INFINITY,
					-0.3, -2, -0.0 };
	static const float ties[] = { 3, 1, 1, 1, 0.5f, 0.5f, -2 };
	struct tv_dist d;
	struct tv_dos s;
	size_t i;

	(void)state;
	load(&d, ties, 7);
	assert_int_equal(tv_dos_build(&s, &d), 0);
	assert_int_equal(s.n_exact, 4);
	assert_int_equal(s.n_bins, 0);
	assert_near(s.g[1], 3.0, 0.0);
	for (i = 0; i < sizeof temps / sizeof temps[0]; i++) {
		struct tv_thermo a, b;

		tv_dos_at(&s, temps[i], &a);
		tv_thermo_at(&d, temps[i], &b);
		assert_sane(&a);
		compare(&a, &b, 1e-13);
	}
	tv_dos_free(&s);
	tv_dist_free(&d);
}

/* A realistic spread: a Zipf-like head over normal noise, seeded. */
static float *
vocab_logits(uint32_t n, uint32_t seed)
{
	float *z = malloc(n * sizeof *z);
	struct tv_rng g;
	uint32_t i;

	assert_non_null(z);
	tv_rng_seed(&g, seed);
	for (i = 0; i < n; i++)
		z[i] = (float)(2.0 * tv_rng_normal(&g) - 1.1 * log(1.0 + i));
	return z;
}

static void
test_dos_binned(void **state)
{
	enum { N = 50000, PTS = 60 };
	struct tv_thermo curve[PTS], t;
	struct tv_dist d;
	struct tv_dos s;
	float *z = vocab_logits(N, 3);
	uint32_t i;

	(void)state;
	load(&d, z, N);
	assert_int_equal(tv_dos_build(&s, &d), 0);
	assert_int_equal(s.n_bins, TV_DOS_BINS);
	assert_near(s.states, N, 0.0);
	assert_int_equal(tv_thermo_curve(&s, 0.05, 50, PTS, 1, curve), 0);
	assert_near(curve[0].temp, 0.05, 1e-15);
	assert_near(curve[PTS - 1].temp, 50, 0.0);
	for (i = 0; i < PTS; i++) {
		tv_thermo_at(&d, curve[i].temp, &t);
		assert_sane(&curve[i]);
		compare(&curve[i], &t, 2e-4);
	}
	assert_int_equal(tv_thermo_curve(&s, -3, -0.1, PTS, 0, curve), 0);
	for (i = 0; i < PTS; i++) {
		tv_thermo_at(&d, curve[i].temp, &t);
		compare(&curve[i], &t, 2e-4);
	}
	assert_int_equal(tv_thermo_curve(&s, 0, 1, PTS, 1, curve), -1);
	assert_int_equal(tv_thermo_curve(&s, 1, 1, PTS, 0, curve), -1);
	tv_dos_free(&s);
	tv_dist_free(&d);
	free(z);
}

static void
test_dos_peak_large_gap(void **state)
{
	enum { N = 20000 };
	float *z = malloc(N * sizeof *z);
	struct tv_dist d;
	struct tv_dos s;
	struct tv_thermo lo, hi;
	double tp, cm;
	uint32_t i;

	(void)state;
	/* A confident token 12 above a flat-ish 20k tail: a tall, sharp C
	 * peak, the text "melting". */
	assert_non_null(z);
	z[0] = 12.0f;
	for (i = 1; i < N; i++)
		z[i] = (float)(0.001 * (i % 997));
	load(&d, z, N);
	tv_dos_build(&s, &d);
	assert_int_equal(tv_dos_c_peak(&s, 0.05, 50, &tp, &cm), 0);
	assert_true(cm > 10.0);
	tv_thermo_at(&d, tp * 0.8, &lo);
	tv_thermo_at(&d, tp * 1.25, &hi);
	assert_true(hi.s_bits - lo.s_bits > 8.0);
	tv_dos_free(&s);
	tv_dist_free(&d);
	free(z);
}

static void
test_glow_cie(void **state)
{
	/* thermo.md A.4, undimmed: the CIE fit and Helland's curve. */
	static const struct {
		double k;
		int cie[3], hel[3];
	} row[] = {
		{ 1000, { 255, 63, 0 }, { 255, 68, 0 } },
		{ 1500, { 255, 112, 0 }, { 255, 108, 0 } },
		{ 2000, { 255, 141, 21 }, { 255, 137, 14 } },
		{ 3000, { 255, 185, 110 }, { 255, 177, 110 } },
		{ 4000, { 255, 212, 166 }, { 255, 206, 166 } },
		{ 5000, { 255, 231, 208 }, { 255, 228, 206 } },
		{ 6500, { 255, 249, 254 }, { 255, 254, 250 } },
		{ 10000, { 205, 217, 255 }, { 202, 218, 255 } },
		{ 20000, { 171, 193, 255 }, { 171, 198, 255 } },
		{ 40000, { 159, 184, 255 }, { 152, 186, 255 } },
	};
	struct tv_glow_lut lut;
	size_t i;

	(void)state;
	tv_glow_lut_init(&lut);
	for (i = 0; i < sizeof row / sizeof row[0]; i++) {
		struct tv_rgb c = tv_blackbody_cie(row[i].k);
		struct tv_rgb l = tv_glow_lut_rgb(&lut, row[i].k);
		struct tv_rgb h = tv_blackbody_helland(row[i].k);

		assert_near(c.r, row[i].cie[0], 2);
		assert_near(c.g, row[i].cie[1], 2);
		assert_near(c.b, row[i].cie[2], 2);
		assert_near(l.r, c.r, 2);
		assert_near(l.g, c.g, 2);
		assert_near(l.b, c.b, 2);
		assert_near(h.r, row[i].hel[0], 1);
		assert_near(h.g, row[i].hel[1], 1);
		assert_near(h.b, row[i].hel[2], 1);
	}
}

static void
test_glow_table(void **state)
{
	/* thermo.md A.4: T, dimmed sRGB, nearest xterm-256 index. */
	static const struct {
		double t;
		int rgb[3], xterm;
	} row[] = {
		{ 0.05, { 0, 0, 0 }, 16 },
		{ 0.14, { 26, 3, 0 }, 232 },
		{ 0.2, { 107, 35, 0 }, 52 },
		{ 0.3, { 241, 120, 0 }, 208 },
		{ 0.5, { 255, 181, 103 }, 215 },
		{ 0.7, { 255, 213, 168 }, 223 },
		{ 1.0, { 255, 241, 235 }, 255 },
		{ 1.5, { 218, 225, 255 }, 189 },
		{ 2.0, { 194, 210, 255 }, 153 },
		{ 5.0, { 163, 187, 255 }, 147 },
	};
	struct tv_glow_lut lut;
	struct tv_rgb c;
	size_t i;

	(void)state;
	tv_glow_lut_init(&lut);
	for (i = 0; i < sizeof row / sizeof row[0]; i++) {
		struct tv_rgb want = { (uint8_t)row[i].rgb[0],
				       (uint8_t)row[i].rgb[1],
				       (uint8_t)row[i].rgb[2] };

		c = tv_glow(&lut, row[i].t);
		assert_near(c.r, want.r, 3);
		assert_near(c.g, want.g, 3);
		assert_near(c.b, want.b, 3);
		assert_int_equal(tv_xterm256(want), row[i].xterm);
		assert_int_equal(tv_xterm256(c), row[i].xterm);
	}
	/* Saturates at 40000 K; no glow at or below zero. */
	c = tv_glow(&lut, 100.0);
	assert_near(c.b, 255, 0);
	c = tv_glow(&lut, -1.0);
	assert_true(c.r == 0 && c.g == 0 && c.b == 0);
	c = tv_glow(&lut, NAN);
	assert_true(c.r == 0 && c.g == 0 && c.b == 0);
	assert_int_equal(tv_xterm256((struct tv_rgb){ 255, 255, 255 }), 231);
	assert_int_equal(tv_xterm256((struct tv_rgb){ 128, 128, 128 }), 244);
}

/* The entropy of the exact p over the levels: the rest is one level, so
 * this is below the full S by the rest's internal entropy. */
static double
level_entropy(const struct tv_particles *pt)
{
	double s = 0.0;
	uint32_t i;

	for (i = 0; i < pt->n_lev; i++)
		s -= pt->p[i] * log(pt->p[i]);
	return s;
}

/* TV distance averaged over snapshots, after a burn-in. */
static double
settled_tv(struct tv_particles *pt, uint32_t sweeps, uint32_t snaps)
{
	double s = 0.0;
	uint32_t i;

	tv_particles_step(pt, 50 * pt->np);
	for (i = 0; i < snaps; i++) {
		tv_particles_step(pt, sweeps * pt->np);
		s += tv_particles_tv(pt);
	}
	return s / snaps;
}

static void
test_particles_converge(void **state)
{
	struct tv_particles small, big;
	struct tv_dist d;
	struct tv_thermo t;
	double tv_small, tv_big, prest;
	uint32_t k;

	(void)state;
	load(&d, z5, 5);
	assert_int_equal(tv_particles_init(&small, &d, 3, 50, 1), 0);
	assert_int_equal(tv_particles_init(&big, &d, 3, 5000, 1), 0);
	assert_int_equal(big.n_lev, 4);
	assert_int_equal(big.occ[0], 5000);
	/* Level p is the exact p, with the rest lumped. */
	tv_thermo_at(&d, 1.0, &t);
	prest = 1.0;
	for (k = 0; k < 3; k++) {
		assert_near(big.p[k], tv_thermo_p(&t, z5[k]), 1e-14);
		prest -= big.p[k];
	}
	assert_near(big.p[3], prest, 1e-14);
	assert_near(tv_particles_energy_exact(&big), t.u, 1e-14);
	tv_small = settled_tv(&small, 5, 20);
	tv_big = settled_tv(&big, 5, 20);
	assert_true(tv_big < 0.03);
	assert_true(tv_big < tv_small / 3.0);
	assert_near(tv_particles_energy(&big), t.u, 0.05);
	assert_near(tv_particles_entropy(&big), level_entropy(&big), 0.05);
	assert_true(tv_particles_acceptance(&big) > 0.2);
	assert_true(tv_particles_acceptance(&big) <= 1.0);
	tv_particles_free(&small);
	tv_particles_free(&big);
	tv_dist_free(&d);
}

static void
test_particles_modes(void **state)
{
	struct tv_particles pt;
	struct tv_dist d;
	static const enum tv_propose modes[] = {
		TV_PROPOSE_UNIFORM, TV_PROPOSE_NEIGHBOUR, TV_PROPOSE_HEATBATH
	};
	size_t i;

	(void)state;
	load(&d, z5, 5);
	for (i = 0; i < 3; i++) {
		assert_int_equal(tv_particles_init(&pt, &d, 5, 4000, 9), 0);
		assert_int_equal(pt.n_lev, 5);
		pt.propose = modes[i];
		/* Population inversion: particles climb to the top. */
		tv_particles_set_temp(&pt, &d, -0.5);
		assert_true(settled_tv(&pt, 5, 10) < 0.03);
		assert_true(pt.occ[4] > pt.occ[0]);
		/* A quench: everything rains into the ground state. */
		tv_particles_set_temp(&pt, &d, 0.0);
		tv_particles_step(&pt, 200 * pt.np);
		assert_int_equal(pt.occ[0], pt.np);
		assert_near(tv_particles_tv(&pt), 0.0, 1e-15);
		tv_particles_free(&pt);
	}
	assert_int_equal(tv_particles_init(&pt, &d, 99, 1, 9), 0);
	assert_int_equal(pt.np, TV_PARTICLES_MIN);
	assert_int_equal(pt.n_tok, 5);
	tv_particles_free(&pt);
	tv_dist_free(&d);
}

static void
test_attention(void **state)
{
	/* thermo.md A.5 (n = 16, means over 400 trials). */
	static const struct {
		uint32_t dk;
		double h1, max1, tr1;
	} row[] = {
		{ 4, 2.55, 0.43, 0.71 },
		{ 16, 1.23, 0.70, 0.41 },
		{ 64, 0.63, 0.84, 0.23 },
		{ 256, 0.26, 0.93, 0.10 },
		{ 1024, 0.13, 0.96, 0.05 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof row / sizeof row[0]; i++) {
		double h[2] = { 0 }, mx[2] = { 0 }, tr[2] = { 0 };
		uint32_t s;

		for (s = 0; s < 400; s++) {
			struct tv_attn at;
			struct tv_attn_row r[3];
			int j;

			assert_int_equal(tv_attn_roll(&at, 16, row[i].dk, s), 0);
			tv_attn_rows(&at, 2.0, r);
			for (j = 0; j < 2; j++) {
				h[j] += r[j].h_bits / 400;
				mx[j] += r[j].max_a / 400;
				tr[j] += r[j].trace_j / 400;
				assert_near(r[j].keys_eff,
					    exp(r[j].h_bits * log(2.0)), 1e-9);
			}
			assert_near(r[2].temp, 2.0, 0.0);
		}
		assert_near(h[0], row[i].h1, 0.15);
		assert_near(mx[0], row[i].max1, 0.05);
		assert_near(tr[0], row[i].tr1, 0.05);
		assert_near(h[1], 3.42, 0.1);
		assert_near(mx[1], 0.24, 0.03);
		assert_near(tr[1], 0.87, 0.02);
	}
}

static void
test_attention_row(void **state)
{
	struct tv_attn at;
	struct tv_attn_row r;
	uint32_t j;
	double sum = 0.0;

	(void)state;
	assert_int_equal(tv_attn_roll(&at, 17, 4, 0), -1);
	assert_int_equal(tv_attn_roll(&at, 8, 0, 0), -1);
	assert_int_equal(tv_attn_roll(&at, 8, 64, 5), 0);
	tv_attn_row(&at, INFINITY, &r);
	assert_near(r.h_bits, 3.0, 1e-12);
	assert_near(r.trace_j, 1.0 - 1.0 / 8, 1e-12);
	tv_attn_row(&at, 0.0, &r);
	assert_near(r.max_a, 1.0, 0.0);
	assert_near(r.trace_j, 0.0, 0.0);
	assert_near(r.var_score, 0.0, 0.0);
	tv_attn_row(&at, 8.0, &r);
	for (j = 0; j < 8; j++)
		sum += r.a[j];
	assert_near(sum, 1.0, 1e-14);
	assert_true(r.var_score > 0.0);
}

/* Population, not sample, deviation: 2 exactly for the textbook eight. */
static void
test_attention_score_std(void **state)
{
	static const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct tv_attn at = { 8, 1, { 0 } };
	struct tv_attn_row r;
	uint32_t j;

	(void)state;
	for (j = 0; j < 8; j++)
		at.score[j] = v[j];
	assert_near(tv_attn_score_std(&at), 2.0, 0.0);
	at.n = 1;
	assert_near(tv_attn_score_std(&at), 0.0, 0.0);
	/* At T = inf the row is uniform, and its score variance is the
	 * square of this spread. */
	assert_int_equal(tv_attn_roll(&at, 16, 64, 7), 0);
	tv_attn_row(&at, INFINITY, &r);
	assert_near(tv_attn_score_std(&at) * tv_attn_score_std(&at),
		    r.var_score, 1e-12 * r.var_score);
}

static void
test_log_grid(void **state)
{
	static const double want[] = { 0.01, 0.1, 1, 10, 100 };
	struct tv_dist d;
	struct tv_dos s;
	struct tv_thermo c[7];
	uint32_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		assert_near(tv_log_grid(0.01, 100, 5, i), want[i],
			    2e-15 * want[i]);
	assert_near(tv_log_grid(0.01, 100, 5, 0), 0.01, 0.0);
	assert_near(tv_log_grid(0.01, 100, 5, 4), 100, 0.0);
	assert_near(tv_log_grid(0.01, 100, 5, 9), 100, 0.0);
	assert_near(tv_log_grid(0.5, 2, 3, 1), 1.0, 1e-15);
	/* A descending range walks down; one point is the start. */
	assert_near(tv_log_grid(8, 2, 3, 1), 4, 1e-15);
	assert_near(tv_log_grid(8, 2, 3, 2), 2, 0.0);
	assert_near(tv_log_grid(3, 7, 1, 0), 3, 0.0);
	/* tv_thermo_curve takes its temperatures from the same grid (read
	 * back as 1 / beta, so to the last bit). */
	load(&d, z5, 5);
	assert_int_equal(tv_dos_build(&s, &d), 0);
	assert_int_equal(tv_thermo_curve(&s, 0.05, 50, 7, 1, c), 0);
	for (i = 0; i < 7; i++)
		assert_near(c[i].temp, tv_log_grid(0.05, 50, 7, i),
			    1e-15 * c[i].temp);
	tv_dos_free(&s);
	tv_dist_free(&d);
}

/* Temperature alone (tv_temp_p, one vectorised pass) gives every token
 * the Boltzmann p that the thermodynamics compute in double, tail
 * included, below and above the vector path's length, at any T. */
static void
test_temp_p_is_boltzmann(void **state)
{
	static const uint32_t sizes[] = { 1, 7, 2048, 2049, 70001 };
	static const double temps[] = { 1e-3, 0.3, 1, 2.5, 100 };
	struct tv_rng g;

	(void)state;
	tv_rng_seed(&g, 11);
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		for (int tail = 0; tail < 2; tail++) {
			struct tv_dist d;

			assert_int_equal(tv_dist_init(&d, sizes[i]), TV_OK);
			for (uint32_t k = 0; k < sizes[i]; k++)
				assert_int_equal(tv_dist_push(&d, "t", 1,
					(float)(4 * tv_rng_normal(&g))), TV_OK);
			if (tail)
				assert_int_equal(tv_dist_set_tail_mass(&d,
					sizes[i] + 50000.0, 0.3), TV_OK);
			assert_int_equal(tv_dist_finish(&d), TV_OK);
			for (size_t j = 0; j < sizeof temps / sizeof *temps;
			     j++) {
				struct tv_thermo th;
				uint32_t pos[] = { 0, d.n / 2, d.n - 1 };

				assert_int_equal(tv_thermo_at(&d, temps[j],
							      &th), 0);
				for (int q = 0; q < 3; q++) {
					double want = tv_thermo_p(&th,
						d.sorted[pos[q]]);
					/* l / T is a float division, as the
					 * engines do it: its rounding moves
					 * ln p by up to 2^-23 |l / T|. */
					double lt = fabs(d.sorted[pos[q]]) /
						    temps[j] + fabs(d.sorted[0]) /
						    temps[j];
					double tol = 1e-6 + lt * 0x1p-22;

					assert_true(fabs(tv_temp_p(&d,
						temps[j], pos[q]) - want) <=
						tol * want + 1e-300);
				}
				if (tail) {
					double want = tv_thermo_p(&th,
						d.tail_logit);
					double tol = 1e-6 + 0x1p-21 *
						fabs(d.sorted[0]) / temps[j];

					assert_true(fabs(tv_temp_p(&d, temps[j],
						TV_POS_TAIL) - want) <=
						tol * want + 1e-300);
				}
			}
			assert_true(tv_temp_p(&d, 0, 0) == 0);
			tv_dist_free(&d);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_temp_p_is_boltzmann),
		cmocka_unit_test(test_identities),
		cmocka_unit_test(test_kl),
		cmocka_unit_test(test_cold_limit),
		cmocka_unit_test(test_hot_limit),
		cmocka_unit_test(test_negative_temperature),
		cmocka_unit_test(test_tail_level),
		cmocka_unit_test(test_schottky),
		cmocka_unit_test(test_dos_exact_levels),
		cmocka_unit_test(test_dos_binned),
		cmocka_unit_test(test_dos_peak_large_gap),
		cmocka_unit_test(test_glow_cie),
		cmocka_unit_test(test_glow_table),
		cmocka_unit_test(test_particles_converge),
		cmocka_unit_test(test_particles_modes),
		cmocka_unit_test(test_attention),
		cmocka_unit_test(test_attention_row),
		cmocka_unit_test(test_attention_score_std),
		cmocka_unit_test(test_log_grid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
