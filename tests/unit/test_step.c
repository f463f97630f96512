/* SPDX-License-Identifier: MIT */
/*
 * tv_step_sample keeps the very tokens tv_run keeps, on unordered logits,
 * for every profile and a range of chains, and draws from them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tempviz/dist.h"
#include "tempviz/pipeline.h"
#include "tempviz/rng.h"
#include "tempviz/step.h"

static float
gauss(struct tv_rng *g)
{
	return (float)tv_rng_normal(g);
}

/* Zipf-like head over normal noise, at random ids. */
static void
logits(float *l, uint32_t n, uint32_t seed, float noise)
{
	struct tv_rng g;
	uint32_t i;

	tv_rng_seed(&g, seed);
	for (i = 0; i < n; i++)
		l[i] = noise * gauss(&g);
	for (i = 0; i < 30 && i < n; i++)
		l[tv_rng_u32(&g) % n] += 9 - 2.2f * logf(i + 1.0f);
	/* Some exact ties, as bf16 logits have. */
	for (i = 0; i + 1 < n && i < 8; i += 2)
		l[(i * 7919u) % n] = l[(i * 104729u + 1) % n];
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* tv_run's kept ids, sorted. */
static uint32_t
run_kept(const struct tv_dist *d, const struct tv_result *r, uint32_t *ids)
{
	uint32_t k = 0, i;

	for (i = r->lo; i < r->hi; i++)
		ids[k++] = d->order[i];
	qsort(ids, k, sizeof *ids, cmp_u32);
	return k;
}

struct setting {
	enum tv_profile prof;
	double temp, top_p, min_p, typical, sigma, xtc;
	int top_k, min_keep;
};

static const struct setting settings[] = {
	{ TV_PROFILE_HF, 0.8, 0.95, 0.05, 1, 0, 0, 40, 0 },
	{ TV_PROFILE_LLAMACPP, 0.8, 0.95, 0.05, 1, 0, 0, 40, 0 },
	{ TV_PROFILE_HF, 0.8, 0.95, 0.05, 1, 0, 0, 0, 0 },
	{ TV_PROFILE_LLAMACPP, 0.8, 0.95, 0.05, 1, 0, 0, 0, 0 },
	{ TV_PROFILE_HF, 1.3, 0.99, 0, 1, 0, 0, 0, 0 },
	{ TV_PROFILE_LLAMA3, 0.6, 0.9, 0, 1, 0, 0, 0, 0 },
	{ TV_PROFILE_VLLM, 0.7, 0.8, 0.02, 1, 0, 0, 100, 0 },
	{ TV_PROFILE_HF, 1, 1, 0, 0.7, 0, 0, 0, 0 },
	{ TV_PROFILE_LLAMACPP, 1, 1, 0, 0.9, 0, 0, 0, 3 },
	{ TV_PROFILE_LLAMACPP, 1.1, 1, 0, 1, 1.5, 0, 0, 0 },
	{ TV_PROFILE_LLAMACPP, 0.9, 1, 0.01, 1, 0, 1, 0, 0 },
	{ TV_PROFILE_HF, 0, 0.9, 0, 1, 0, 0, 50, 0 },
	{ TV_PROFILE_HF, 1, 1, 0, 1, 0, 0, 0, 0 },
	{ TV_PROFILE_LLAMACPP, 1, 1, 0.001, 1, 0, 0, 0, 0 },
	{ TV_PROFILE_HF, 2, 0.5, 0, 1, 0, 0, 5000, 0 },
};

static void
apply(const struct setting *s, struct tv_chain *c, struct tv_params *p)
{
	tv_chain_default(c, s->prof);
	tv_params_default(p);
	p->temp = s->temp;
	p->top_p = s->top_p;
	p->min_p = s->min_p;
	p->typical_p = s->typical;
	p->top_n_sigma = s->sigma;
	p->xtc_probability = s->xtc;
	p->xtc_threshold = 0.05;
	p->top_k = s->top_k;
	p->min_keep = s->min_keep;
}

/* tv_step_sample keeps what tv_run keeps on l[0 .. n) under c and p. */
static void
check_chain(const float *l, uint32_t n, uint32_t seed,
	    const struct tv_chain *c, const struct tv_params *p)
{
	uint32_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	struct tv_step *s = tv_step_new(n);
	struct tv_dist d;
	struct tv_result r;
	struct tv_rng g;
	uint32_t ka, kb, id, i;

	assert_non_null(s);
	assert_int_equal(tv_dist_from_logits(&d, l, n), TV_OK);
	tv_run(&d, c, p, &r);
	tv_rng_seed(&g, seed);
	id = tv_step_sample(s, l, n, c, p, &g);
	ka = run_kept(&d, &r, a);
	kb = tv_step_kept(s, b);
	qsort(b, kb, sizeof *b, cmp_u32);
	assert_int_equal(ka, kb);
	for (i = 0; i < ka; i++)
		assert_int_equal(a[i], b[i]);
	assert_true(id < n);
	assert_true(tv_result_p(&d, &r, d.rank[id]) > 0);
	tv_dist_free(&d);
	tv_step_free(s);
	free(a);
	free(b);
}

static void
check_logits(const float *l, uint32_t n, uint32_t seed,
	     const struct setting *set)
{
	struct tv_chain c;
	struct tv_params p;

	apply(set, &c, &p);
	check_chain(l, n, seed, &c, &p);
}

/*
 * A step may defer top-p's cut while it surely lies past the ordered part
 * and let later stages settle the range. Orders where min-p, top-k or the
 * temperature follow (deferral kept), where XTC or typical follow (the cut
 * made first), min-p cutting inside the ordered part and far past it (the
 * cut made at the end), nuclei inside and far outside the ordered part,
 * extreme temperatures and flat logits with ties.
 */
static void
deferred_top_p(void **state)
{
	static const char *const order[] = {
		"top-p,min-p,xtc,temperature", "top-p,temperature,min-p",
		"top-p,top-k,min-p", "top-p,typical,min-p", "top-p",
		"xtc,top-p,min-p",
	};
	static const double top_p[] = { 0.95, 0.3, 0.999 };
	static const double min_p[] = { 0.05, 1e-4, 0 };
	static const double temp[] = { 0.8, 1e-3, 50 };
	static const float noise[] = { 1.5f, 0.05f };
	uint32_t n = 20000, seed = 1;
	float *l = malloc(n * sizeof *l);
	size_t o, a, b, t, z;

	(void)state;
	assert_non_null(l);
	for (o = 0; o < sizeof order / sizeof order[0]; o++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++)
				for (t = 0; t < 3; t++)
					for (z = 0; z < 2; z++, seed++) {
						struct tv_chain c;
						struct tv_params p;
						const char *bad;

						tv_chain_default(&c, seed % 2 ?
							TV_PROFILE_LLAMACPP :
							TV_PROFILE_HF);
						assert_int_equal(tv_chain_parse(
							&c, order[o], &bad), 0);
						tv_params_default(&p);
						p.top_p = top_p[a];
						p.min_p = min_p[b];
						p.temp = temp[t];
						p.top_k = 50;
						p.typical_p = 0.9;
						p.xtc_probability = 0.5;
						p.xtc_threshold = 0.01;
						p.seed = seed;
						logits(l, n, seed, noise[z]);
						check_chain(l, n, seed, &c, &p);
					}
	free(l);
}

static void
check_same(uint32_t n, uint32_t seed, float noise, const struct setting *set)
{
	float *l = malloc(n * sizeof *l);

	assert_non_null(l);
	logits(l, n, seed, noise);
	check_logits(l, n, seed, set);
	free(l);
}

static void
same_kept_small(void **state)
{
	uint32_t seed;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof settings / sizeof settings[0]; i++)
		for (seed = 1; seed <= 20; seed++)
			check_same(200 + seed * 37, seed, 1.5f, &settings[i]);
}

static void
same_kept_large(void **state)
{
	uint32_t seed;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof settings / sizeof settings[0]; i++)
		for (seed = 1; seed <= 3; seed++)
			check_same(50000 + seed * 1001, seed, 2, &settings[i]);
}

/* A flat distribution makes top-p order most of the vocabulary. */
static void
same_kept_flat(void **state)
{
	uint32_t seed;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		for (seed = 1; seed <= 3; seed++)
			check_same(30000, seed, 0.05f, &settings[i]);
}

/*
 * llama.cpp's default chain without top-k at a full vocabulary: top-p 0.95
 * sees the untempered distribution, so its nucleus holds a large part of
 * the vocabulary, and min-p then cuts it back.
 */
static void
same_kept_llamacpp_vocab(void **state)
{
	static const struct setting cpp = {
		TV_PROFILE_LLAMACPP, 0.8, 0.95, 0.05, 1, 0, 0, 0, 0
	};
	static const float noise[] = { 1, 1.5f, 2 };
	uint32_t seed;

	(void)state;
	for (seed = 1; seed <= 3; seed++)
		check_same(262144, seed, noise[seed - 1], &cpp);
}

/*
 * A nucleus deeper than the step's mass profile reaches: 64 tokens on
 * top and a wide tail about 9.5 scaled logits below them with a fifth of
 * the mass, so top-p cuts far into the tail and the step grows by count.
 */
static void
same_kept_deep_nucleus(void **state)
{
	static const struct setting hf = {
		TV_PROFILE_HF, 0.8, 0.95, 0, 1, 0, 0, 0, 0
	};
	uint32_t n = 200000, seed, i;
	float *l = malloc(n * sizeof *l);
	struct tv_rng g;

	(void)state;
	assert_non_null(l);
	for (seed = 1; seed <= 2; seed++) {
		tv_rng_seed(&g, seed);
		for (i = 0; i < n; i++)
			l[i] = i % 3125 == 0 ? 20 + 0.01f * gauss(&g) :
			       12.4f + 0.3f * gauss(&g);
		check_logits(l, n, seed, &hf);
	}
	free(l);
}

/* Logit layouts that stress the first pass's rising threshold: sorted
 * either way (every logit a new candidate, or none after the first),
 * all tied, a few levels of bf16-like ties, with -inf and NaN strewn. */
static void
layout(float *l, uint32_t n, int kind, uint32_t seed)
{
	struct tv_rng g;
	uint32_t i;

	tv_rng_seed(&g, seed);
	for (i = 0; i < n; i++) {
		switch (kind) {
		case 0:
			l[i] = (float)i * 0.01f;
			break;
		case 1:
			l[i] = -(float)i * 0.01f;
			break;
		case 2:
			l[i] = 1.5f;
			break;
		default:
			l[i] = (float)(tv_rng_u32(&g) % 7) - 3;
			break;
		}
		if (kind >= 4 && tv_rng_u32(&g) % 5 == 0)
			l[i] = tv_rng_u32(&g) % 2 ? -INFINITY : NAN;
	}
	l[seed % n] = 0.5f;
}

static void
same_kept_layouts(void **state)
{
	static const uint32_t sizes[] = {
		1, 7, 31, 32, 33, 65, 300, 1000, 4099, 70001,
	};
	static const struct setting one = {
		TV_PROFILE_LLAMACPP, 1, 1, 0, 1, 0, 0, 1, 0
	};
	static const struct setting wide = {
		TV_PROFILE_HF, 1.2, 1, 0, 1, 0, 0, 700, 0
	};
	/* Both default chains with and without top-k, top-k 1 and 700. */
	const struct setting *const top_k[] = {
		&settings[0], &settings[1], &settings[3], &one, &wide,
	};
	size_t z, t;
	int kind;

	(void)state;
	for (z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
		for (kind = 0; kind < 6; kind++)
			for (t = 0; t < sizeof top_k / sizeof top_k[0]; t++) {
				uint32_t n = sizes[z];
				float *l = malloc(n * sizeof *l);

				assert_non_null(l);
				layout(l, n, kind, (uint32_t)(z * 7 + t + 1));
				check_logits(l, n, (uint32_t)t + 1, top_k[t]);
				free(l);
			}
}

static void
assert_near(double a, double b, double tol)
{
	if (!(fabs(a - b) <= tol * (1 + fabs(b))))
		fail_msg("%.17g is not %.17g", a, b);
}

/* The step's statistics are tv_run's, up to the order of the sums. */
static void
check_stats(const float *l, uint32_t n, const struct setting *set)
{
	struct tv_step *s = tv_step_new(n);
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;
	struct tv_stats st;
	struct tv_rng g;

	assert_non_null(s);
	apply(set, &c, &p);
	assert_int_equal(tv_dist_from_logits(&d, l, n), TV_OK);
	tv_run(&d, &c, &p, &r);
	tv_rng_seed(&g, 1);
	assert_int_equal(tv_step_stats(s, &st), -1);
	assert_true(tv_step_sample(s, l, n, &c, &p, &g) < n);
	assert_int_equal(tv_step_stats(s, &st), 0);
	assert_near(st.kept, r.stats.kept, 0);
	assert_near(st.vocab, r.stats.vocab, 0);
	assert_near(st.entropy_nats, r.stats.entropy_nats, 1e-6);
	assert_near(st.entropy_bits, r.stats.entropy_bits, 1e-6);
	assert_near(st.perplexity, r.stats.perplexity, 1e-6);
	assert_near(st.top1, r.stats.top1, 1e-6);
	assert_near(st.kl_bits, r.stats.kl_bits, 1e-5);
	assert_near(st.cut_mass, r.stats.cut_mass, 1e-6);
	assert_near(st.sum_p, r.stats.sum_p, 1e-6);
	tv_dist_free(&d);
	tv_step_free(s);
}

static void
stats_as_run(void **state)
{
	static const uint32_t sizes[] = { 3, 100, 5000, 70001 };
	size_t z, i;
	int kind;

	(void)state;
	for (z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
		for (i = 0; i < sizeof settings / sizeof settings[0]; i++)
			for (kind = 3; kind < 6; kind++) {
				uint32_t n = sizes[z];
				float *l = malloc(n * sizeof *l);

				assert_non_null(l);
				if (kind == 5)
					logits(l, n, (uint32_t)(i + 1), 1.5f);
				else
					layout(l, n, kind, (uint32_t)(z + i));
				check_stats(l, n, &settings[i]);
				free(l);
			}
}

/* Draws follow the final probabilities (a loose chi-square check). */
static void
draw_frequencies(void **state)
{
	static const float l[] = { 2, 1, 0.5f, -1, -INFINITY, NAN };
	static const double p[] = { 0.609460, 0.224208, 0.135989, 0.030343 };
	struct tv_step *s = tv_step_new(16);
	struct tv_chain c;
	struct tv_params par;
	struct tv_rng g;
	uint32_t count[6] = { 0 }, i, n = 100000;
	double chi = 0;

	(void)state;
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&par);
	tv_rng_seed(&g, 5);
	for (i = 0; i < n; i++) {
		uint32_t id = tv_step_sample(s, l, 6, &c, &par, &g);

		assert_true(id < 4);
		count[id]++;
	}
	for (i = 0; i < 4; i++) {
		double e = n * p[i];

		chi += (count[i] - e) * (count[i] - e) / e;
	}
	/* 3 degrees of freedom: P(chi2 > 16.27) = 0.001. */
	assert_true(chi < 16.27);
	tv_step_free(s);
}

static void
greedy_and_empty(void **state)
{
	static const float l[] = { 1, 3, 3, 2 };
	float ninf[3] = { -INFINITY, NAN, -INFINITY };
	float pinf[3] = { 1, INFINITY, 2 };
	struct tv_step *s = tv_step_new(4);
	struct tv_chain c;
	struct tv_params p;
	struct tv_rng g;

	(void)state;
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	tv_params_default(&p);
	tv_rng_seed(&g, 1);
	p.temp = 0;
	assert_int_equal(tv_step_sample(s, l, 4, &c, &p, &g), 1);
	p.temp = 1;
	assert_int_equal(tv_step_sample(s, ninf, 3, &c, &p, &g), UINT32_MAX);
	assert_int_equal(tv_step_sample(s, pinf, 3, &c, &p, &g), 1);
	assert_int_equal(tv_step_sample(s, l, 5, &c, &p, &g), UINT32_MAX);
	tv_step_free(s);
	assert_null(tv_step_new(TV_MAX_TOKENS + 1));
}

/* Tiny and huge temperatures stay finite and draw something. */
static void
extreme_temps(void **state)
{
	static const double t[] = { 1e-30, 1e-6, 1e6, 1e30 };
	uint32_t n = 5000, i;
	float *l = malloc(n * sizeof *l);
	struct tv_step *s = tv_step_new(n);
	struct tv_chain c;
	struct tv_params p;
	struct tv_rng g;

	(void)state;
	logits(l, n, 3, 1);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&p);
	tv_rng_seed(&g, 1);
	for (i = 0; i < 4; i++) {
		p.temp = t[i];
		assert_true(tv_step_sample(s, l, n, &c, &p, &g) < n);
	}
	tv_step_free(s);
	free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_kept_small),
		cmocka_unit_test(same_kept_large),
		cmocka_unit_test(same_kept_flat),
		cmocka_unit_test(same_kept_llamacpp_vocab),
		cmocka_unit_test(same_kept_deep_nucleus),
		cmocka_unit_test(same_kept_layouts),
		cmocka_unit_test(deferred_top_p),
		cmocka_unit_test(stats_as_run),
		cmocka_unit_test(draw_frequencies),
		cmocka_unit_test(greedy_and_empty),
		cmocka_unit_test(extreme_temps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
