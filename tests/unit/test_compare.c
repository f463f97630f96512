/* SPDX-License-Identifier: MIT */
/*
 * KL(A || B) and total variation between two settings, against values
 * worked out by hand (the comment of each test shows the sum).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tempviz/compare.h"
#include "tempviz/dist.h"
#include "tempviz/pipeline.h"

#include "testutil.h"

/* The logits are floats: p is exact to about 1e-7. */
#define EPS 5e-7

struct pair {
	struct tv_dist d;
	struct tv_chain ca, cb;
	struct tv_params pa, pb;
	struct tv_result ra, rb;
	struct tv_compare ab, ba;
};

static void
setup(struct pair *s, const double *p, uint32_t n)
{
	float l[8];

	for (uint32_t i = 0; i < n; i++)
		l[i] = (float)log(p[i]);
	assert_int_equal(tv_dist_from_logits(&s->d, l, n), TV_OK);
	tv_chain_default(&s->ca, TV_PROFILE_HF);
	tv_chain_default(&s->cb, TV_PROFILE_HF);
	tv_params_default(&s->pa);
	tv_params_default(&s->pb);
}

static void
compare(struct pair *s)
{
	tv_run(&s->d, &s->ca, &s->pa, &s->ra);
	tv_run(&s->d, &s->cb, &s->pb, &s->rb);
	tv_compare(&s->d, &s->ra, &s->rb, &s->ab);
	tv_compare(&s->d, &s->rb, &s->ra, &s->ba);
}

/* A = (0.5, 0.3, 0.2); B = top-k 2 = (0.625, 0.375, 0).
 * KL(B || A) = 0.625 log2(1.25) + 0.375 log2(1.25) = log2 1.25;
 * TV = (0.125 + 0.075 + 0.2) / 2 = 0.2; KL(A || B) is infinite. */
static void
truncation(void **state)
{
	static const double p[] = { 0.5, 0.3, 0.2 };
	struct pair s;

	(void)state;
	setup(&s, p, 3);
	s.pb.top_k = 2;
	compare(&s);
	assert_true(s.ab.kl_inf);
	assert_true(isinf(s.ab.kl_bits) && s.ab.kl_bits > 0);
	assert_near(s.ab.tv, 0.2, EPS);
	assert_near(s.ab.both, 2, 0);
	assert_near(s.ab.only_a, 1, 0);
	assert_near(s.ab.only_b, 0, 0);
	assert_false(s.ba.kl_inf);
	assert_near(s.ba.kl_bits, 0.32192809488736235, EPS);
	assert_near(s.ba.tv, 0.2, EPS);
	assert_near(s.ba.only_b, 1, 0);
	tv_dist_free(&s.d);
}

/* The same setting twice: KL 0, TV 0, every kept token in both. */
static void
identical(void **state)
{
	static const double p[] = { 0.4, 0.35, 0.15, 0.1 };
	struct pair s;

	(void)state;
	setup(&s, p, 4);
	s.pa.temp = s.pb.temp = 0.7;
	s.pa.top_p = s.pb.top_p = 0.9;
	compare(&s);
	assert_near(s.ab.kl_bits, 0, EPS);
	assert_near(s.ab.tv, 0, EPS);
	assert_near(s.ab.only_a + s.ab.only_b, 0, 0);
	assert_near(s.ab.both, s.ra.stats.kept, 0);
	tv_dist_free(&s.d);
}

/* A = T 1 = (3/4, 1/4); B = T 0.5 = (9/10, 1/10).
 * KL(A || B) = 0.75 log2(0.75 / 0.9) + 0.25 log2(0.25 / 0.1);
 * TV = |0.75 - 0.9| = 0.15. */
static void
temperature(void **state)
{
	static const double p[] = { 0.75, 0.25 };
	struct pair s;

	(void)state;
	setup(&s, p, 2);
	s.pb.temp = 0.5;
	compare(&s);
	assert_false(s.ab.kl_inf);
	assert_near(s.ab.kl_bits, 0.13320621934649512, 1e-7);
	assert_near(s.ab.tv, 0.15, 1e-7);
	tv_dist_free(&s.d);
}

/* A greedy = (1, 0), B = T 1 = (3/4, 1/4): KL(A || B) = log2(4/3),
 * TV = 1/4, KL(B || A) infinite. */
static void
greedy(void **state)
{
	static const double p[] = { 0.75, 0.25 };
	struct pair s;

	(void)state;
	setup(&s, p, 2);
	s.pa.temp = 0;
	compare(&s);
	assert_near(s.ab.kl_bits, 0.41503749927884376, 1e-7);
	assert_near(s.ab.tv, 0.25, 1e-7);
	assert_true(s.ba.kl_inf);
	tv_dist_free(&s.d);
}

/* Listed 0.5 and 0.3, two tail tokens of 0.1. llama.cpp's top-k 3 takes
 * one tail token: B = (0.5, 0.3, 0.1, 0) / 0.9, KL(B || A) = log2(1/0.9),
 * TV = 0.1; top-k 3 against top-k 4 share three tokens. */
static void
tail(void **state)
{
	struct pair s;
	struct tv_compare c;

	(void)state;
	assert_int_equal(tv_dist_init(&s.d, 2), TV_OK);
	assert_int_equal(tv_dist_push(&s.d, "a", 1, (float)log(0.5)), TV_OK);
	assert_int_equal(tv_dist_push(&s.d, "b", 1, (float)log(0.3)), TV_OK);
	assert_int_equal(tv_dist_set_tail_mass(&s.d, 4, 0.2), TV_OK);
	assert_int_equal(tv_dist_finish(&s.d), TV_OK);
	tv_chain_default(&s.ca, TV_PROFILE_LLAMACPP);
	tv_chain_default(&s.cb, TV_PROFILE_LLAMACPP);
	tv_params_default(&s.pa);
	tv_params_default(&s.pb);
	s.pb.top_k = 3;
	compare(&s);
	assert_near(s.rb.tail_kept, 1, 0);
	assert_near(s.ba.kl_bits, 0.15200309344505006, 1e-7);
	assert_near(s.ba.tv, 0.1, 1e-7);
	assert_near(s.ab.both, 3, 0);
	assert_near(s.ab.only_a, 1, 0);
	assert_true(s.ab.kl_inf);
	s.pa.top_k = 4;
	tv_run(&s.d, &s.ca, &s.pa, &s.ra);
	tv_compare(&s.d, &s.rb, &s.ra, &c);
	assert_near(c.both, 3, 0);
	assert_near(c.only_b, 1, 0);
	assert_false(c.kl_inf);
	tv_dist_free(&s.d);
}

/* A token B gives e^-800 (below the smallest double) while A gives it
 * e^-8: its term is finite, so KL is too. Logits 0 and -800, A at
 * T = 100, B at T = 1: KL = sum pA (ln pA - ln pB) / ln 2 with
 * ln pB = (0, -800) to double precision. */
static void
underflow(void **state)
{
	float l[] = { 0, -800 };
	struct pair s;

	(void)state;
	assert_int_equal(tv_dist_from_logits(&s.d, l, 2), TV_OK);
	tv_chain_default(&s.ca, TV_PROFILE_HF);
	tv_chain_default(&s.cb, TV_PROFILE_HF);
	tv_params_default(&s.pa);
	tv_params_default(&s.pb);
	s.pa.temp = 100;
	compare(&s);
	assert_false(s.ab.kl_inf);
	assert_near(s.ab.kl_bits, 0.3826920232760212, 1e-9);
	assert_near(s.ab.tv, 0.0003353501304664251, 1e-12);
	tv_dist_free(&s.d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncation),
		cmocka_unit_test(identical),
		cmocka_unit_test(temperature),
		cmocka_unit_test(greedy),
		cmocka_unit_test(tail),
		cmocka_unit_test(underflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
