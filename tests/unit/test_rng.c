/* SPDX-License-Identifier: MIT */
/*
 * The generator against the published MT19937 values and libstdc++'s
 * conversions, the alias table and inverse CDF against their
 * probabilities, and the chi-square test against closed-form p-values.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tempviz/rng.h"
#include "tempviz/stats.h"

#include "testutil.h"

static void
test_mt_check_values(void **state)
{
	struct tv_rng g;
	uint32_t i, x = 0;

	(void)state;
	tv_rng_seed(&g, 5489);
	assert_int_equal(tv_rng_u32(&g), 3499211612u);
	assert_int_equal(tv_rng_u32(&g), 581869302u);
	assert_int_equal(tv_rng_u32(&g), 3890346734u);
	/* The C++ standard's check: the 10000th output of mt19937(5489). */
	tv_rng_seed(&g, 5489);
	for (i = 0; i < 10000; i++)
		x = tv_rng_u32(&g);
	assert_int_equal(x, 4123659995u);
	tv_rng_seed(&g, 0);
	assert_int_equal(tv_rng_u32(&g), 2357136044u);
	assert_int_equal(tv_rng_u32(&g), 2546248239u);
}

static void
test_uniform_double(void **state)
{
	/* (x1 + x2 2^32) / 2^64 of the first two outputs, from an
	 * independent implementation. */
	static const struct {
		uint32_t seed;
		double u;
	} want[] = {
		{ 0, 0.5928446165166826 },
		{ 42, 0.796542984287846 },
		{ 5489, 0.1354770042967805 },
		{ 1, 0.9971848082302656 },
	};
	struct tv_rng g;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		tv_rng_seed(&g, want[i].seed);
		assert_true(tv_rng_uniform(&g) == want[i].u);
	}
}

static void
test_uniform_float(void **state)
{
	struct tv_rng g;

	(void)state;
	/* sampling.md's XTC draws (numpy's first rand() values). */
	tv_rng_seed(&g, 0);
	assert_near(tv_rng_uniform_f(&g), 0.548813522, 5e-10);
	tv_rng_seed(&g, 42);
	assert_near(tv_rng_uniform_f(&g), 0.374540120, 5e-10);
	tv_rng_seed(&g, 5489);
	assert_true(tv_rng_uniform_f(&g) == 0.8147236704826355f);
}

static void
test_uniform_range(void **state)
{
	struct tv_rng g;
	double lo = 1.0, hi = 0.0, sum = 0.0;
	int i, n = 200000;

	(void)state;
	tv_rng_seed(&g, 7);
	for (i = 0; i < n; i++) {
		double u = tv_rng_uniform(&g);
		float f = tv_rng_uniform_f(&g);

		assert_true(u >= 0.0 && u < 1.0);
		assert_true(f >= 0.0f && f < 1.0f);
		lo = fmin(lo, u);
		hi = fmax(hi, u);
		sum += u;
	}
	assert_true(lo < 1e-4 && hi > 1.0 - 1e-4);
	assert_near(sum / n, 0.5, 0.005);
}

static void
test_normal_moments(void **state)
{
	struct tv_rng g;
	double s1 = 0.0, s2 = 0.0;
	int i, n = 200000;

	(void)state;
	tv_rng_seed(&g, 11);
	for (i = 0; i < n; i++) {
		double x = tv_rng_normal(&g);

		assert_true(isfinite(x));
		s1 += x;
		s2 += x * x;
	}
	assert_near(s1 / n, 0.0, 0.01);
	assert_near(s2 / n, 1.0, 0.02);
}

static void
test_alias_converges(void **state)
{
	static const double w[] = { 1, 2, 3, 4, 0, 10, 0.5, 0.25 };
	enum { N = sizeof w / sizeof w[0], DRAWS = 1000000 };
	uint64_t counts[N] = { 0 };
	struct tv_alias a;
	struct tv_chisq cs;
	struct tv_rng g;
	int i;

	(void)state;
	assert_int_equal(tv_alias_build(&a, w, N), 0);
	tv_rng_seed(&g, 1234);
	for (i = 0; i < DRAWS; i++) {
		uint32_t k = tv_alias_draw(&a, &g);

		assert_true(k < N);
		counts[k]++;
	}
	assert_int_equal(counts[4], 0);
	assert_int_equal(tv_chisq(counts, w, N, DRAWS, &cs), 0);
	assert_int_equal(cs.impossible, 0);
	assert_true(cs.df == 6.0);
	assert_true(cs.p_value > 0.001);
	tv_alias_free(&a);
}

static void
test_alias_reproducible(void **state)
{
	static const double w[] = { 5, 1, 1, 3 };
	/* The first draws of seed 99: a change here changes every
	 * recorded sample. */
	static const uint32_t want[] = { 3, 3, 3, 3, 0, 0, 2, 2, 3, 0, 1, 3 };
	struct tv_alias a;
	struct tv_rng g, h;
	uint32_t i;

	(void)state;
	assert_int_equal(tv_alias_build(&a, w, 4), 0);
	tv_rng_seed(&g, 99);
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_int_equal(tv_alias_draw(&a, &g), want[i]);
	tv_rng_seed(&g, 2024);
	tv_rng_seed(&h, 2024);
	for (i = 0; i < 10000; i++)
		assert_int_equal(tv_alias_draw(&a, &g), tv_alias_draw(&a, &h));
	tv_alias_free(&a);
}

static void
test_alias_rejects(void **state)
{
	static const double zero[] = { 0, 0 };
	static const double neg[] = { 1, -1 };
	double bad[] = { 1, NAN };
	struct tv_alias a;

	(void)state;
	assert_int_equal(tv_alias_build(&a, zero, 2), -1);
	assert_int_equal(tv_alias_build(&a, neg, 2), -1);
	assert_int_equal(tv_alias_build(&a, bad, 2), -1);
	assert_int_equal(tv_alias_build(&a, zero, 0), -1);
	tv_alias_free(&a);
}

static void
test_draw_cdf(void **state)
{
	static const double w[] = { 0, 1, 0, 3 };
	uint64_t counts[4] = { 0 };
	struct tv_chisq cs;
	struct tv_rng g;
	int i;

	(void)state;
	tv_rng_seed(&g, 5);
	for (i = 0; i < 100000; i++)
		counts[tv_draw_cdf(w, 4, 4.0, &g)]++;
	assert_int_equal(counts[0], 0);
	assert_int_equal(counts[2], 0);
	assert_int_equal(tv_chisq(counts, w, 4, 0, &cs), 0);
	assert_true(cs.p_value > 0.001);
	/* u = 0.5928... of seed 0 against the running sums 1, 1, 4. */
	tv_rng_seed(&g, 0);
	assert_int_equal(tv_draw_cdf(w, 4, 4.0, &g), 3);
	tv_rng_seed(&g, 5489);
	assert_int_equal(tv_draw_cdf(w, 4, 4.0, &g), 1);
}

static void
test_chisq_pvalues(void **state)
{
	(void)state;
	assert_near(tv_chisq_sf(3.841458820694124, 1), 0.05, 1e-12);
	assert_near(tv_chisq_sf(3.84, 1), 0.0500435212487, 1e-10);
	assert_near(tv_chisq_sf(18.307038053275146, 10), 0.05, 1e-12);
	assert_near(tv_chisq_sf(4.32, 3), 0.228918864336105, 1e-12);
	assert_near(tv_chisq_sf(100, 60), 0.000916828861456080, 1e-14);
	assert_near(tv_chisq_sf(0.5, 2), 0.778800783071404868, 1e-14);
	assert_near(tv_chisq_sf(30000, 30000), 0.498914216238134, 1e-10);
	assert_near(tv_chisq_sf(30500, 30000), 0.0210399997590871, 1e-10);
	assert_true(tv_chisq_sf(0.0, 4) == 1.0);
	assert_true(tv_chisq_sf(INFINITY, 4) == 0.0);
	assert_near(tv_gamma_p(1.0, 2.0), 1.0 - exp(-2.0), 1e-15);
	assert_near(tv_gamma_q(0.5, 3.0), erfc(sqrt(3.0)), 1e-15);
	assert_near(tv_gamma_p(2.5, 1.0) + tv_gamma_q(2.5, 1.0), 1.0,
			   1e-15);
	assert_true(isnan(tv_gamma_p(0.0, 1.0)));
	assert_true(isnan(tv_gamma_q(1.0, -1.0)));
}

static void
test_chisq_statistic(void **state)
{
	static const uint64_t c1[] = { 10, 20, 30, 40 };
	static const double p1[] = { 0.1, 0.2, 0.3, 0.4 };
	static const uint64_t c2[] = { 18, 22, 30, 30 };
	static const double p2[] = { 1, 1, 1, 1 };
	struct tv_chisq cs;

	(void)state;
	assert_int_equal(tv_chisq(c1, p1, 4, 100, &cs), 0);
	assert_true(cs.statistic < 1e-12 && cs.df == 3.0);
	assert_near(cs.p_value, 1.0, 1e-12);
	/* Weights need not sum to 1; total 0 means the sum of counts. */
	assert_int_equal(tv_chisq(c2, p2, 4, 0, &cs), 0);
	assert_near(cs.statistic, 4.32, 1e-12);
	assert_near(cs.p_value, 0.228918864336105, 1e-12);
	assert_int_equal(cs.bins, 4);
	assert_int_equal(cs.bins_pooled, 0);
}

static void
test_chisq_pooling(void **state)
{
	/* Expected 50 30 10 5 | 3 2: the last two pool into one bin. */
	static const double p1[] = { .5, .3, .1, .05, .03, .02 };
	static const uint64_t c1[] = { 50, 30, 10, 5, 3, 2 };
	/* Expected 60 30 6 | 2 2: the short remainder joins the 6. */
	static const double p2[] = { .6, .3, .06, .02, .02 };
	static const uint64_t c2[] = { 60, 30, 2, 4, 4 };
	static const double p3[] = { .5, 0, .5 };
	static const uint64_t c3[] = { 10, 1, 10 };
	struct tv_chisq cs;

	(void)state;
	assert_int_equal(tv_chisq(c1, p1, 6, 100, &cs), 0);
	assert_int_equal(cs.bins, 5);
	assert_int_equal(cs.bins_pooled, 2);
	assert_true(cs.df == 4.0);
	assert_int_equal(tv_chisq(c2, p2, 5, 100, &cs), 0);
	assert_int_equal(cs.bins, 3);
	assert_int_equal(cs.bins_pooled, 3);
	assert_near(cs.statistic, 0.0, 1e-12);
	/* A draw of a p = 0 category rejects outright. */
	assert_int_equal(tv_chisq(c3, p3, 3, 0, &cs), 0);
	assert_int_equal(cs.impossible, 1);
	assert_true(isinf(cs.statistic) && cs.p_value == 0.0);
	assert_int_equal(tv_chisq(c3, p3, 0, 0, &cs), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mt_check_values),
		cmocka_unit_test(test_uniform_double),
		cmocka_unit_test(test_uniform_float),
		cmocka_unit_test(test_uniform_range),
		cmocka_unit_test(test_normal_moments),
		cmocka_unit_test(test_alias_converges),
		cmocka_unit_test(test_alias_reproducible),
		cmocka_unit_test(test_alias_rejects),
		cmocka_unit_test(test_draw_cdf),
		cmocka_unit_test(test_chisq_pvalues),
		cmocka_unit_test(test_chisq_statistic),
		cmocka_unit_test(test_chisq_pooling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
