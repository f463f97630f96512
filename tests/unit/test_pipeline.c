/* SPDX-License-Identifier: MIT */
/*
 * The pipeline against the vectors of sampling.md section 6, the
 * boundary rules of each profile, the tail, and properties.
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

#include "core/vmath.h"

#include "testutil.h"

#define EPS 5e-7

struct fix {
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;
};

static void
load(struct fix *f, const float *l, uint32_t n, enum tv_profile prof)
{
	assert_int_equal(tv_dist_from_logits(&f->d, l, n), TV_OK);
	tv_chain_default(&f->c, prof);
	tv_params_default(&f->p);
}

/* ln of each probability, the construction the llama.cpp tests use. */
static void
load_ln(struct fix *f, const double *p, uint32_t n, enum tv_profile prof)
{
	float l[16];
	uint32_t i;

	for (i = 0; i < n; i++)
		l[i] = (float)log(p[i]);
	load(f, l, n, prof);
}

static void
run(struct fix *f)
{
	tv_run(&f->d, &f->c, &f->p, &f->r);
}

/* Final p by token id. */
static double
p_id(const struct fix *f, uint32_t id)
{
	return tv_result_p(&f->d, &f->r, f->d.rank[id]);
}

/* The kept ids must be exactly want (in any order), with these final
 * probabilities (by position in want). */
static void
expect(const struct fix *f, const uint32_t *want, const double *p,
       uint32_t n)
{
	uint32_t id, i, kept = 0;

	for (id = 0; id < f->d.n; id++) {
		int in = 0;

		for (i = 0; i < n; i++)
			if (want[i] == id) {
				in = 1;
				assert_near(p_id(f, id), p[i], EPS);
			}
		if (in)
			kept++;
		else
			assert_near(p_id(f, id), 0, 0);
	}
	assert_int_equal(kept, n);
	assert_near(f->r.stats.kept, n, 0);
	assert_near(f->r.stats.sum_p, 1, 1e-9);
}

static void
done(struct fix *f)
{
	tv_dist_free(&f->d);
}

static void
t1_softmax(void **state)
{
	static const float l[] = { 2, 1, 0.5f, -1 };
	static const uint32_t k[] = { 0, 1, 2, 3 };
	static const double p[] = { 0.609460, 0.224208, 0.135989, 0.030343 };
	enum tv_profile prof;

	(void)state;
	for (prof = 0; prof < TV_PROFILE__COUNT; prof++) {
		struct fix f;

		load(&f, l, 4, prof);
		run(&f);
		expect(&f, k, p, 4);
		assert_near(f.r.stats.kl_bits, 0, 1e-9);
		assert_near(f.r.stats.cut_mass, 0, 1e-12);
		assert_near(f.r.stats.top1, 0.609460, EPS);
		done(&f);
	}
}

static void
t2_greedy(void **state)
{
	static const float l[] = { 1, 3, 3, 2 };
	static const uint32_t k[] = { 1 };
	static const double p[] = { 1 };
	enum tv_profile prof;

	(void)state;
	for (prof = 0; prof < TV_PROFILE__COUNT; prof++) {
		struct fix f;

		load(&f, l, 4, prof);
		f.p.temp = 0;
		run(&f);
		expect(&f, k, p, 1);
		assert_true(f.r.greedy);
		assert_near(f.r.stats.entropy_bits, 0, 0);
		assert_near(f.r.stats.top1, 1, 0);
		/* Half of the T -> 0 limit's mass sits on the other tie. */
		assert_near(f.r.stats.cut_mass, 0.5, 1e-12);
		done(&f);
	}
}

static void
t4_huge_temp(void **state)
{
	static const float l[] = { 3, 2, 1, 0 };
	static const double p[] = { 0.2500003750, 0.2500001250,
				    0.2499998750, 0.2499996250 };
	struct fix f;
	uint32_t i;

	(void)state;
	load(&f, l, 4, TV_PROFILE_HF);
	f.p.temp = 1e6;
	run(&f);
	for (i = 0; i < 4; i++)
		assert_near(p_id(&f, i), p[i], 1e-9);
	assert_near(f.r.stats.entropy_bits, 2, 1e-9);
	done(&f);
}

static void
t18_flat_default_chain(void **state)
{
	static const float l[] = { 0, 0, 0, 0, 0 };
	static const uint32_t k[] = { 0, 1, 2, 3, 4 };
	static const double p[] = { 0.2, 0.2, 0.2, 0.2, 0.2 };
	struct fix f;

	(void)state;
	load(&f, l, 5, TV_PROFILE_LLAMACPP);
	f.p.top_k = 40;
	f.p.top_p = 0.95;
	f.p.min_p = 0.05;
	f.p.temp = 0.8;
	run(&f);
	expect(&f, k, p, 5);
	assert_near(f.r.stats.entropy_bits, log2(5), 1e-9);
	done(&f);
}

/* Profile masks for the vectors. */
#define HF (1u << TV_PROFILE_HF)
#define CPP (1u << TV_PROFILE_LLAMACPP)
#define L3 (1u << TV_PROFILE_LLAMA3)
#define VLLM (1u << TV_PROFILE_VLLM)
#define ALL ((1u << TV_PROFILE__COUNT) - 1)

/* A parameter a vector sets; the others keep their defaults. */
enum knob { END, TEMP, TOP_K, TOP_P, MIN_P, TYPICAL_P };

/*
 * One vector: the logits (or, with probs, probabilities whose logs are
 * the logits, the construction the llama.cpp tests use), the parameters
 * it sets, the profiles it runs under, and the ids that must be kept with
 * their final probabilities.
 */
struct vector {
	const char *name;
	int probs;
	double x[5];
	uint32_t n;
	struct {
		enum knob k;
		double v;
	} set[6];
	unsigned profs;
	uint32_t keep[5];
	double p[5];
	uint32_t n_keep;
};

/* Not const: each row is a cmocka test's state. */
static struct vector vectors[] = {
	{ "t5_temp_half", 0, { 2, 1, 0 }, 3, { { TEMP, 0.5 } }, ALL,
	  { 0, 1, 2 }, { 0.866813, 0.117310, 0.015876 }, 3 },
	{ "t6_top_k", 1, { 0.1, 0.2, 0.3, 0.4 }, 4, { { TOP_K, 3 } },
	  HF | CPP, { 3, 2, 1 }, { 0.444444, 0.333333, 0.222222 }, 3 },
	{ "t7_top_k_above_vocab", 0, { 0.5, 1.5, -0.5 }, 3, { { TOP_K, 10 } },
	  HF | CPP, { 1, 0, 2 }, { 0.665241, 0.244728, 0.090031 }, 3 },
	/* Exactly k; the lower id wins the tie. */
	{ "t8_top_k_ties_llamacpp", 0, { 2, 1, 1, 1, 0 }, 5, { { TOP_K, 2 } },
	  CPP, { 0, 1 }, { 0.731059, 0.268941 }, 2 },
	{ "t8_top_k_ties_hf_vllm", 0, { 2, 1, 1, 1, 0 }, 5, { { TOP_K, 2 } },
	  HF | VLLM, { 0, 1, 2, 3 },
	  { 0.475367, 0.174878, 0.174878, 0.174878 }, 4 },
	{ "t9_top_p_zero", 0, { 1, 2, 3 }, 3, { { TOP_P, 0 } }, HF | CPP | L3,
	  { 2 }, { 1 }, 1 },
	{ "t10_top_p_one", 0, { 1, 2, 3 }, 3, { { TOP_P, 1 } }, ALL,
	  { 0, 1, 2 }, { 0.090031, 0.244728, 0.665241 }, 3 },
	/* T11: mass before a token exactly p. Four equal tokens, p = 0.5. */
	{ "t11_top_p_exact_boundary", 0, { 0, 0, 0, 0 }, 4, { { TOP_P, 0.5 } },
	  HF | CPP, { 0, 1 }, { 0.5, 0.5 }, 2 },
	/* Meta keeps while the mass strictly before is <= p: one more. */
	{ "t11_top_p_exact_boundary_llama3", 0, { 0, 0, 0, 0 }, 4,
	  { { TOP_P, 0.5 } }, L3, { 0, 1, 2 },
	  { 1 / 3.0, 1 / 3.0, 1 / 3.0 }, 3 },
	{ "t12_top_p", 1, { 0.1, 0.2, 0.3, 0.4 }, 4, { { TOP_P, 0.75 } }, ALL,
	  { 3, 2, 1 }, { 0.444444, 0.333333, 0.222222 }, 3 },
	{ "t14_min_p_zero", 0, { 2, 2, 1, 0 }, 4, { { MIN_P, 0 } },
	  HF | CPP | VLLM, { 0, 1, 2, 3 },
	  { 0.399486, 0.399486, 0.146963, 0.054065 }, 4 },
	{ "t14_min_p_one", 0, { 2, 2, 1, 0 }, 4, { { MIN_P, 1 } },
	  HF | CPP | VLLM, { 0, 1 }, { 0.5, 0.5 }, 2 },
	{ "t15_min_p_0.24", 1, { 0.1, 0.2, 0.3, 0.4 }, 4, { { MIN_P, 0.24 } },
	  HF | CPP | VLLM, { 0, 1, 2, 3 }, { 0.1, 0.2, 0.3, 0.4 }, 4 },
	{ "t15_min_p_0.26", 1, { 0.1, 0.2, 0.3, 0.4 }, 4, { { MIN_P, 0.26 } },
	  HF | CPP | VLLM, { 1, 2, 3 }, { 0.222222, 0.333333, 0.444444 }, 3 },
	{ "t15_min_p_0.51", 1, { 0.1, 0.2, 0.3, 0.4 }, 4, { { MIN_P, 0.51 } },
	  HF | CPP | VLLM, { 2, 3 }, { 0.428571, 0.571429 }, 2 },
	{ "t15_min_p_0.76", 1, { 0.1, 0.2, 0.3, 0.4 }, 4, { { MIN_P, 0.76 } },
	  HF | CPP | VLLM, { 3 }, { 1 }, 1 },
	{ "t15_min_p_1.05", 1, { 0.1, 0.2, 0.3, 0.4 }, 4, { { MIN_P, 1.05 } },
	  CPP, { 3 }, { 1 }, 1 },
	/* T16-like: min-p measures the tempered distribution in HF, the raw
	 * one in llama.cpp (temperature last). */
	{ "t16_min_p_order_hf", 0, { 2, 1, 0 }, 3,
	  { { MIN_P, 0.3 }, { TEMP, 2 } }, HF, { 0, 1, 2 },
	  { 0.506480, 0.307196, 0.186324 }, 3 },
	{ "t16_min_p_order_llamacpp", 0, { 2, 1, 0 }, 3,
	  { { MIN_P, 0.3 }, { TEMP, 2 } }, CPP, { 0, 1 },
	  { 0.622459, 0.377541 }, 2 },
	/* T17: logits [3, 2, 1], top-p 0.8, T 0.5 (Camelid PR #534). */
	{ "t17_top_p_order_hf", 0, { 3, 2, 1 }, 3,
	  { { TOP_P, 0.8 }, { TEMP, 0.5 } }, HF, { 0 }, { 1 }, 1 },
	{ "t17_top_p_order_llamacpp", 0, { 3, 2, 1 }, 3,
	  { { TOP_P, 0.8 }, { TEMP, 0.5 } }, CPP, { 0, 1 },
	  { 0.880797, 0.119203 }, 2 },
	{ "t20_single", 0, { 7.5 }, 1,
	  { { TOP_K, 3 }, { TOP_P, 0.1 }, { MIN_P, 0.9 }, { TEMP, 0.3 },
	    { TYPICAL_P, 0.2 } }, ALL, { 0 }, { 1 }, 1 },
	{ "t20_single_greedy", 0, { 7.5 }, 1,
	  { { TOP_K, 3 }, { TOP_P, 0.1 }, { MIN_P, 0.9 }, { TEMP, 0 },
	    { TYPICAL_P, 0.2 } }, ALL, { 0 }, { 1 }, 1 },
};

static void
load_vector(struct fix *f, const struct vector *v, enum tv_profile prof)
{
	float l[5];
	int i;

	if (v->probs) {
		load_ln(f, v->x, v->n, prof);
	} else {
		for (i = 0; i < (int)v->n; i++)
			l[i] = (float)v->x[i];
		load(f, l, v->n, prof);
	}
	for (i = 0; v->set[i].k != END; i++) {
		double x = v->set[i].v;

		switch (v->set[i].k) {
		case TEMP:
			f->p.temp = x;
			break;
		case TOP_K:
			f->p.top_k = (int)x;
			break;
		case TOP_P:
			f->p.top_p = x;
			break;
		case MIN_P:
			f->p.min_p = x;
			break;
		case TYPICAL_P:
			f->p.typical_p = x;
			break;
		case END:
			break;
		}
	}
}

/* One row of vectors, under each of its profiles. */
static void
vector(void **state)
{
	const struct vector *v = *state;
	enum tv_profile prof;

	for (prof = 0; prof < TV_PROFILE__COUNT; prof++) {
		struct fix f;

		if (!(v->profs & 1u << prof))
			continue;
		load_vector(&f, v, prof);
		run(&f);
		expect(&f, v->keep, v->p, v->n_keep);
		done(&f);
	}
}

/* Min-keep overrides a min-p above 1 (after T15's last vector). */
static void
t15_min_keep(void **state)
{
	static const double in[] = { 0.1, 0.2, 0.3, 0.4 };
	struct fix f;

	(void)state;
	load_ln(&f, in, 4, TV_PROFILE_LLAMACPP);
	f.p.min_p = 1.05;
	f.p.min_keep = 2;
	run(&f);
	assert_near(f.r.stats.kept, 2, 0);
	done(&f);
}

/* T22: all equal, typical 0.5: llama.cpp keeps 3, HF keeps all 4. */
static void
t22_typical_ties(void **state)
{
	static const float l[] = { 1, 1, 1, 1 };
	struct fix f;

	(void)state;
	load(&f, l, 4, TV_PROFILE_LLAMACPP);
	f.p.typical_p = 0.5;
	run(&f);
	assert_near(f.r.stats.kept, 3, 0);
	assert_near(p_id(&f, 0), 1 / 3.0, EPS);
	assert_near(p_id(&f, 3), 0, 0);
	done(&f);

	load(&f, l, 4, TV_PROFILE_HF);
	f.p.typical_p = 0.5;
	run(&f);
	assert_near(f.r.stats.kept, 4, 0);
	done(&f);
}

/* Tied maxima share the mass at any positive T, however small: the
 * partition function keeps its shift apart from ln(se), which a sum of
 * the two would lose once the top scaled logit passes about 1e16. */
static void
tiny_temp_ties(void **state)
{
	static const float l[] = { 1, 2, 2 };
	static const double temps[] = { 1e-6, 1e-15, 1e-30 };
	struct fix f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof temps / sizeof *temps; i++) {
		load(&f, l, 3, TV_PROFILE_HF);
		f.p.temp = temps[i];
		run(&f);
		assert_near(p_id(&f, 1), 0.5, EPS);
		assert_near(p_id(&f, 2), 0.5, EPS);
		assert_near(p_id(&f, 0), 0, EPS);
		assert_near(f.r.stats.top1, 0.5, EPS);
		assert_near(f.r.stats.sum_p, 1, EPS);
		assert_near(f.r.stats.entropy_bits, 1, EPS);
		done(&f);
	}
}

/* HF typical at a low T: the first token holds the mass, so it alone is
 * kept, although rounding makes its score a tiny negative number. */
static void
typical_low_temp(void **state)
{
	static const float two[] = { 1, 0 };
	static const float four[] = { 1, 0, 0, 0 };
	struct fix f;

	(void)state;
	load(&f, two, 2, TV_PROFILE_HF);
	f.p.temp = 0.02;
	f.p.typical_p = 0.5;
	run(&f);
	assert_near(f.r.stats.kept, 1, 0);
	assert_near(p_id(&f, 0), 1, EPS);
	done(&f);

	load(&f, four, 4, TV_PROFILE_HF);
	f.p.temp = 0.02;
	f.p.typical_p = 0.5;
	run(&f);
	assert_near(f.r.stats.kept, 1, 0);
	done(&f);
}

/* HF typical with min_keep: the forced tokens are exactly the first
 * min_keep in typical order; score ties are kept only at the mass cut. */
static void
typical_min_keep_no_ties(void **state)
{
	static const float l[] = { 1, 0, 0 };
	struct fix f;

	(void)state;
	load(&f, l, 3, TV_PROFILE_HF);
	f.p.typical_p = 0.1;
	f.p.min_keep = 2;
	run(&f);
	assert_near(f.r.stats.kept, 2, 0);
	assert_true(p_id(&f, 0) > 0);
	assert_true(p_id(&f, 1) > 0);
	assert_near(p_id(&f, 2), 0, 0);
	done(&f);
}

/* Typical keeps a band: with one dominant token the entropy is low and
 * the dominant token is the most typical. */
static void
typical_band(void **state)
{
	static const float l[] = { 5, 1, 1, 0.5f, 0, -3 };
	struct fix f;
	double h, mass = 0;
	uint32_t i;

	(void)state;
	load(&f, l, 6, TV_PROFILE_HF);
	f.p.typical_p = 0.9;
	run(&f);
	/* Recompute the HF rule here, by brute force. */
	h = 0;
	for (i = 0; i < 6; i++) {
		double p = tv_base_p(&f.d, i);

		h -= p * log(p);
	}
	assert_true(f.r.stats.kept >= 1);
	for (i = f.r.lo; i < f.r.hi; i++)
		mass += tv_base_p(&f.d, i);
	assert_true(mass >= 0.9 - 1e-12);
	/* Dropping the least typical kept token falls short of 0.9. */
	{
		double worst = -1, pw = 0;

		for (i = f.r.lo; i < f.r.hi; i++) {
			double p = tv_base_p(&f.d, i), sc = fabs(-log(p) - h);

			if (sc > worst) {
				worst = sc;
				pw = p;
			}
		}
		assert_true(mass - pw < 0.9);
	}
	done(&f);
}

static void
t24_xtc(void **state)
{
	static const double in[] = { 0.4, 0.3, 0.2, 0.1 };
	static const double thr[] = { 0.09, 0.19, 0.29, 0.39 };
	static const uint32_t k[4][4] = {
		{ 3 }, { 2, 3 }, { 1, 2, 3 }, { 0, 1, 2, 3 },
	};
	static const double p[4][4] = {
		{ 1 }, { 0.666667, 0.333333 }, { 0.5, 0.333333, 0.166667 },
		{ 0.4, 0.3, 0.2, 0.1 },
	};
	static const double raw[4] = { 0.1, 0.2, 0.3, 0.4 };
	struct fix f;
	int j;

	(void)state;
	load_ln(&f, in, 4, TV_PROFILE_LLAMACPP);
	f.p.xtc_probability = 1;
	for (j = 0; j < 4; j++) {
		int xi = 5; /* the xtc stage in llama.cpp's chain */

		f.p.xtc_threshold = thr[j];
		run(&f);
		assert_int_equal(f.r.chain.stage[xi], TV_STAGE_XTC);
		assert_true(f.r.xtc_fired);
		expect(&f, k[j], p[j], 4 - (uint32_t)(j < 3 ? 3 - j : 0));
		/* Raw p: the softmax of what entered XTC. */
		assert_near(tv_stage_p(&f.d, &f.r, xi,
					       f.d.rank[k[j][0]], 0),
				    raw[j], EPS);
	}
	/* Probability 0 never fires; above 0.5 the threshold is off. */
	f.p.xtc_probability = 0;
	run(&f);
	assert_false(f.r.xtc_fired);
	assert_near(f.r.stats.kept, 4, 0);
	f.p.xtc_probability = 1;
	f.p.xtc_threshold = 0.6;
	run(&f);
	assert_near(f.r.stats.kept, 4, 0);
	done(&f);
}

/* The coin: seed 0 draws 0.548813522, seed 42 draws 0.374540120. */
static void
xtc_coin(void **state)
{
	static const double in[] = { 0.4, 0.3, 0.2, 0.1 };
	struct fix f;

	(void)state;
	load_ln(&f, in, 4, TV_PROFILE_LLAMACPP);
	f.p.xtc_threshold = 0.19;
	f.p.xtc_probability = 0.5;
	f.p.seed = 0;
	run(&f);
	assert_false(f.r.xtc_fired);
	f.p.seed = 42;
	run(&f);
	assert_true(f.r.xtc_fired);
	assert_near(f.r.stats.kept, 2, 0);
	done(&f);
}

static void
top_n_sigma(void **state)
{
	static const float l[] = { 4, 3, 0, 0, 0, 0 };
	struct fix f;

	(void)state;
	/* mean 7/6, population sd 1.6750; 4 - 1 * sd = 2.325: keeps 2. */
	load(&f, l, 6, TV_PROFILE_LLAMACPP);
	f.p.top_n_sigma = 1;
	run(&f);
	assert_near(f.r.stats.kept, 2, 0);
	f.p.temp = 3;
	run(&f);
	assert_near(f.r.stats.kept, 2, 0);
	f.p.top_n_sigma = 2;
	run(&f);
	assert_near(f.r.stats.kept, 2, 0);
	f.p.top_n_sigma = 3;
	run(&f);
	assert_near(f.r.stats.kept, 6, 0);
	done(&f);
}

static void
dynatemp(void **state)
{
	static const float l[] = { 2, 1, 0, -1 };
	struct fix f;
	double h, hmax = log(4), t, z = 0;
	uint32_t i;

	(void)state;
	load(&f, l, 4, TV_PROFILE_LLAMACPP);
	f.p.temp = 1;
	f.p.dynatemp_range = 0.5;
	f.p.dynatemp_exp = 2;
	run(&f);
	h = 0;
	for (i = 0; i < 4; i++) {
		double p = tv_base_p(&f.d, i);

		h -= p * log(p);
	}
	t = 0.5 + 1.0 * pow(h / hmax, 2);
	assert_near(f.r.temp, t, 1e-9);
	for (i = 0; i < 4; i++)
		z += exp(l[i] / (float)t);
	assert_near(p_id(&f, 0), exp(2 / (float)t) / z, 1e-9);
	done(&f);
}

static void
vllm_clamps(void **state)
{
	static const float l[] = { 1, 1.001f, 0 };
	struct fix f;

	(void)state;
	load(&f, l, 3, TV_PROFILE_VLLM);
	f.p.temp = 1e-6;
	run(&f);
	/* Raised to 0.01, not greedy. */
	assert_false(f.r.greedy);
	assert_near(f.r.temp, 0.01, 0);
	assert_true(p_id(&f, 0) > 0.2);
	f.p.temp = 9e-6;
	run(&f);
	assert_false(f.r.greedy);
	assert_near(f.r.temp, 0.01, 0);
	f.p.temp = 0;
	run(&f);
	assert_true(f.r.greedy);
	assert_near(p_id(&f, 1), 1, 0);
	done(&f);
}

static void
ignored_stages(void **state)
{
	static const float l[] = { 1, 2, 3 };
	struct fix f;

	(void)state;
	load(&f, l, 3, TV_PROFILE_LLAMA3);
	f.p.top_k = 2;
	f.p.min_p = 0.1;
	f.p.top_p = 0.9;
	run(&f);
	assert_int_equal(f.r.ignored,
			 (1u << TV_STAGE_TOP_K) | (1u << TV_STAGE_MIN_P));
	done(&f);
}

/* ---------------------------------------------------------- tails --- */

static void
tail_exact_lse(void **state)
{
	static const float l[] = { 3, 2, 1 };
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;
	double lse_all = 4.0, rest, listed = 0, sum = 0;
	uint32_t i;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 4), TV_OK);
	for (i = 0; i < 3; i++)
		assert_int_equal(tv_dist_push(&d, "t", 1, l[i]), TV_OK);
	assert_int_equal(tv_dist_set_tail_lse(&d, 1000, lse_all), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	for (i = 0; i < 3; i++)
		listed += exp(l[i] - lse_all);
	rest = 1 - listed;
	assert_near(d.tail_g, 997, 0);
	assert_near(d.vocab_size, 1000, 0);
	assert_near(d.tail_logit, lse_all + log(rest / 997), 1e-12);
	assert_true(d.tail_exact);
	assert_near(d.lse1, lse_all, 1e-12);
	assert_near(tv_base_p(&d, TV_POS_TAIL) * 997, rest, 1e-9);
	assert_int_equal(d.tail_pos, 3);

	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&p);
	tv_run(&d, &c, &p, &r);
	for (i = 0; i < 3; i++)
		sum += tv_result_p(&d, &r, i);
	sum += r.tail_kept * tv_result_p(&d, &r, TV_POS_TAIL);
	assert_near(sum, 1, 1e-9);
	assert_near(r.stats.kept, 1000, 0);
	assert_near(r.stats.sum_p, 1, 1e-9);

	/* llama.cpp top-k takes exactly k, some of them from the tail. */
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	p.top_k = 10;
	tv_run(&d, &c, &p, &r);
	assert_near(r.tail_kept, 7, 0);
	assert_near(r.stats.kept, 10, 0);
	assert_int_equal(tv_result_cut_by(&r, TV_POS_TAIL, &d), -1);
	/* HF keeps the whole tied tail. */
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_run(&d, &c, &p, &r);
	assert_near(r.stats.kept, 1000, 0);
	p.top_k = 2;
	tv_run(&d, &c, &p, &r);
	assert_near(r.tail_kept, 0, 0);
	assert_int_equal(tv_result_cut_by(&r, TV_POS_TAIL, &d), 1);
	assert_int_equal(tv_result_cut_by(&r, 2, &d), 1);
	assert_int_equal(tv_result_cut_by(&r, 0, &d), -1);
	tv_dist_free(&d);
}

/* Top-p takes only as many tail tokens as it needs. */
static void
tail_top_p_partial(void **state)
{
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;
	double p0, pt, need;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 2), TV_OK);
	assert_int_equal(tv_dist_push(&d, "a", 1, 0), TV_OK);
	/* Listed token holds 0.5; 100 tail tokens share 0.5. */
	assert_int_equal(tv_dist_set_tail_mass(&d, 101, 0.5), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_false(d.tail_exact);
	p0 = tv_base_p(&d, 0);
	pt = tv_base_p(&d, TV_POS_TAIL);
	assert_near(p0, 0.5, 1e-12);
	assert_near(pt, 0.005, 1e-12);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&p);
	p.top_p = 0.6025;
	tv_run(&d, &c, &p, &r);
	need = 21;
	assert_near(r.tail_kept, need, 0);
	assert_near(r.stats.kept, 1 + need, 0);
	assert_near(r.stats.sum_p, 1, 1e-9);
	tv_dist_free(&d);
}

/* ------------------------------------------------------ properties --- */

static float
gauss(unsigned *seed)
{
	double u, v;

	*seed = *seed * 1103515245u + 12345u;
	u = ((*seed >> 8) + 1.0) / 16777218.0;
	*seed = *seed * 1103515245u + 12345u;
	v = ((*seed >> 8) + 1.0) / 16777218.0;
	return (float)(sqrt(-2 * log(u)) * cos(6.283185307179586 * v));
}

static void
random_dist(struct tv_dist *d, uint32_t n, unsigned seed)
{
	float *l = malloc(n * sizeof *l);
	uint32_t i;

	assert_non_null(l);
	for (i = 0; i < n; i++)
		l[i] = 2 * gauss(&seed) + (i < 20 ? 8 - 2 * logf(i + 1.0f) : 0);
	assert_int_equal(tv_dist_from_logits(d, l, n), TV_OK);
	free(l);
}

static void
prop_sums_and_order(void **state)
{
	static const double temps[] = { 1e-30, 1e-6, 0.01, 0.3, 1, 2.5,
					1e6, 1e30 };
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;
	double prev_h = -1;
	size_t i;

	(void)state;
	random_dist(&d, 3000, 7);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&p);
	for (i = 0; i < sizeof temps / sizeof temps[0]; i++) {
		uint32_t pos;
		double prev = 2;

		p.temp = temps[i];
		tv_run(&d, &c, &p, &r);
		assert_false(isnan(r.stats.entropy_nats));
		assert_false(isnan(r.stats.kl_bits) || isinf(r.stats.kl_bits));
		assert_false(isnan(r.stats.cut_mass));
		assert_near(r.stats.sum_p, 1, 1e-6);
		assert_near(r.stats.cut_mass, 0, 1e-12);
		/* Nothing truncates: entropy rises with T. */
		assert_true(r.stats.entropy_nats >= prev_h - 1e-9);
		prev_h = r.stats.entropy_nats;
		/* Order never changes for T > 0. */
		for (pos = 0; pos < d.n; pos++) {
			double q = tv_result_p(&d, &r, pos);

			assert_false(isnan(q));
			assert_true(q <= prev + 1e-15);
			prev = q;
		}
	}
	/* T -> 0: the argmax; T -> inf: uniform. */
	p.temp = 1e-30;
	tv_run(&d, &c, &p, &r);
	assert_near(tv_result_p(&d, &r, 0), 1, 1e-12);
	p.temp = 1e30;
	tv_run(&d, &c, &p, &r);
	assert_near(tv_result_p(&d, &r, 0), 1.0 / d.n, 1e-9);
	assert_near(r.stats.entropy_nats, log(d.n), 1e-6);
	tv_dist_free(&d);
}

static void
prop_stats_brute_force(void **state)
{
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;
	double h = 0, kl = 0, top = 0, z = 0, cut;
	uint32_t i;

	(void)state;
	random_dist(&d, 500, 3);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&p);
	p.temp = 0.7;
	p.top_k = 40;
	p.top_p = 0.9;
	tv_run(&d, &c, &p, &r);
	for (i = 0; i < d.n; i++) {
		double q = tv_result_p(&d, &r, i), b = tv_base_p(&d, i);

		z += exp(d.sorted[i] / (float)0.7 - d.sorted[0] / (float)0.7);
		if (q > 0) {
			h -= q * log(q);
			kl += q * log(q / b);
			top = fmax(top, q);
		}
	}
	cut = 0;
	for (i = r.hi; i < d.n; i++)
		cut += exp(d.sorted[i] / (float)0.7 - d.sorted[0] / (float)0.7);
	cut /= z;
	assert_near(r.stats.entropy_nats, h, 1e-6);
	assert_near(r.stats.entropy_bits, h / log(2), 1e-6);
	assert_near(r.stats.perplexity, exp(h), 1e-5);
	assert_near(r.stats.kl_bits, kl / log(2), 1e-6);
	assert_near(r.stats.top1, top, 1e-7);
	assert_near(r.stats.cut_mass, cut, 1e-6);
	assert_near(r.stats.kept, r.hi - r.lo, 0);
	tv_dist_free(&d);
}

/* Per-stage raw and renormalised p: HF top-p after top-k. */
static void
stage_probabilities(void **state)
{
	static const float l[] = { 3, 2, 1, 0 };
	struct fix f;
	double z3 = exp(3) + exp(2) + exp(1);

	(void)state;
	load(&f, l, 4, TV_PROFILE_HF);
	f.p.top_k = 3;
	f.p.top_p = 0.8;
	run(&f);
	/* Stage 1 is top-k: raw is softmax over all four. */
	assert_near(tv_stage_p(&f.d, &f.r, 1, 2, 0),
			    exp(1) / (z3 + 1), 1e-12);
	assert_near(tv_stage_p(&f.d, &f.r, 1, 2, 1), exp(1) / z3,
			    1e-9);
	assert_near(tv_stage_p(&f.d, &f.r, 1, 3, 0), 0, 0);
	assert_int_equal(tv_result_cut_by(&f.r, 3, &f.d), 1);
	assert_int_equal(tv_result_cut_by(&f.r, 2, &f.d), 2);
	assert_int_equal(tv_result_cut_by(&f.r, 1, &f.d), -1);
	assert_int_equal(f.r.st[1].hi, 3);
	assert_int_equal(f.r.st[2].hi, 2);
	done(&f);
}

/* HF order: temperature, top-k, top-p, min-p, typical. */
static void
stage_mass_and_min_p(void **state)
{
	static const double pr[] = { 0.4, 0.3, 0.2, 0.1 };
	struct fix f;

	(void)state;
	load_ln(&f, pr, 4, TV_PROFILE_HF);
	f.p.top_p = 0.6;
	f.p.min_p = 0.5;
	run(&f);
	assert_near(tv_stage_kept_mass(&f.d, &f.r, 0), 1, 1e-12);
	assert_near(tv_stage_kept_mass(&f.d, &f.r, 1), 1, 1e-12);
	assert_near(tv_stage_kept_mass(&f.d, &f.r, 2), 0.7, EPS);
	/* min-p sees top-p's survivors renormalised: 4/7 and 3/7. */
	assert_near(tv_stage_kept_mass(&f.d, &f.r, 3), 1, 1e-12);
	assert_near(tv_minp_threshold(&f.d, &f.r, 3, 0.5), 2.0 / 7, EPS);
	assert_near(tv_stage_kept_mass(&f.d, &f.r, -1), 0, 0);
	assert_near(tv_stage_kept_mass(&f.d, &f.r, f.r.chain.n), 0, 0);
	assert_near(tv_minp_threshold(&f.d, &f.r, f.r.chain.n, 0.5), 0, 0);
	/* Greedy leaves one token with p = 1 to every later stage. */
	f.p.temp = 0;
	run(&f);
	assert_near(tv_stage_kept_mass(&f.d, &f.r, 2), 1, 0);
	assert_near(tv_minp_threshold(&f.d, &f.r, 3, 0.5), 0.5, 0);
	done(&f);
}

/* The tail counts in both: top-p's mass holds the tail tokens it kept,
 * and a lumped rest that outranks every token sets min-p's threshold. */
/* The outcomes of a draw: survivors in rank order, then the kept tail as
 * one outcome whose p covers every kept tail token. */
static void
outcomes_with_tail(void **state)
{
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;
	double w[4];

	(void)state;
	assert_int_equal(tv_dist_init(&d, 2), TV_OK);
	assert_int_equal(tv_dist_push(&d, "b", 1, -1), TV_OK);
	assert_int_equal(tv_dist_push(&d, "a", 1, 0), TV_OK);
	/* 0.5 on the two tokens, 100 tail tokens at 0.005 each. */
	assert_int_equal(tv_dist_set_tail_mass(&d, 102, 0.5), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&p);
	tv_run(&d, &c, &p, &r);
	assert_int_equal(tv_outcome_count(&r), 3);
	assert_int_equal(tv_result_outcomes(&d, &r, w), 3);
	assert_int_equal(d.order[tv_outcome_pos(&r, 0)], 1);
	assert_int_equal(d.order[tv_outcome_pos(&r, 1)], 0);
	assert_int_equal(tv_outcome_pos(&r, 2), TV_POS_TAIL);
	assert_near(w[0], 0.5 / (1 + exp(-1.0)), 1e-6);
	assert_near(w[1], 0.5 * exp(-1.0) / (1 + exp(-1.0)), 1e-6);
	assert_near(w[2], 0.5, 1e-6);

	/* Top-k 1 leaves one outcome, and no tail. */
	p.top_k = 1;
	tv_run(&d, &c, &p, &r);
	assert_int_equal(tv_result_outcomes(&d, &r, w), 1);
	assert_int_equal(d.order[tv_outcome_pos(&r, 0)], 1);
	assert_near(w[0], 1, 1e-12);
	tv_dist_free(&d);
}

static void
stage_mass_tail(void **state)
{
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 1), TV_OK);
	assert_int_equal(tv_dist_push(&d, "a", 1, 0), TV_OK);
	/* 0.5 on the token, 100 tail tokens at 0.005. */
	assert_int_equal(tv_dist_set_tail_mass(&d, 101, 0.5), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&p);
	p.top_p = 0.6025;
	tv_run(&d, &c, &p, &r);
	assert_near(r.st[2].tail_kept, 21, 0);
	assert_near(tv_stage_kept_mass(&d, &r, 2), 0.5 + 21 * 0.005, 1e-12);
	tv_dist_free(&d);

	assert_int_equal(tv_dist_init(&d, 1), TV_OK);
	assert_int_equal(tv_dist_push(&d, "a", 1, 0), TV_OK);
	/* Unknown vocabulary: the rest is one level of 0.6, above "a". */
	assert_int_equal(tv_dist_set_tail_mass(&d, 0, 0.6), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_int_equal(d.tail_pos, 0);
	tv_params_default(&p);
	p.min_p = 0.5;
	tv_run(&d, &c, &p, &r);
	assert_near(tv_minp_threshold(&d, &r, 3, 0.5), 0.3, 1e-12);
	assert_int_equal(tv_result_cut_by(&r, 0, &d), -1);
	/* 0.8 of 0.6 cuts "a" at 0.4; the threshold still comes from the
	 * rest. */
	p.min_p = 0.8;
	tv_run(&d, &c, &p, &r);
	assert_int_equal(tv_result_cut_by(&r, 0, &d), 3);
	assert_near(tv_minp_threshold(&d, &r, 3, 0.8), 0.48, 1e-12);
	assert_near(tv_stage_kept_mass(&d, &r, 3), 0.6, 1e-12);
	tv_dist_free(&d);
}

static void
invalid_logits(void **state)
{
	static const float l[] = { 1, NAN, 2, -INFINITY };
	float ninf[3] = { -INFINITY, -INFINITY, NAN };
	float pinf[4] = { 1, INFINITY, 3, INFINITY };
	struct fix f;

	(void)state;
	load(&f, l, 4, TV_PROFILE_HF);
	assert_true(f.d.had_nan);
	assert_int_equal(f.d.n_finite, 2);
	run(&f);
	assert_near(f.r.stats.sum_p, 1, 1e-12);
	assert_near(p_id(&f, 1), 0, 0);
	assert_int_equal(tv_result_cut_by(&f.r, f.d.rank[1], &f.d),
			 TV_CUT_NEVER);
	done(&f);

	assert_int_equal(tv_dist_from_logits(&f.d, ninf, 3), TV_EEMPTY);
	tv_dist_free(&f.d);

	load(&f, pinf, 4, TV_PROFILE_HF);
	assert_true(f.d.had_posinf);
	run(&f);
	assert_near(p_id(&f, 1), 0.5, 1e-12);
	assert_near(p_id(&f, 3), 0.5, 1e-12);
	assert_near(p_id(&f, 2), 0, 0);
	done(&f);
}

/* ----------------------------------------------- params and chains --- */

static void
params_check(void **state)
{
	struct tv_params p;
	const char *why = NULL;

	(void)state;
	tv_params_default(&p);
	assert_null(tv_params_check(&p, TV_PROFILE_HF, &why));
	p.top_p = 1.5;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--top-p");
	assert_string_equal(why, "a number in [0, 1]");
	assert_null(tv_params_check(&p, TV_PROFILE_LLAMACPP, &why));
	p.top_p = 0;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_VLLM, &why),
			    "--top-p");
	p.top_p = 1;
	p.temp = -1;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--temp");
	p.temp = NAN;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--temp");
	p.temp = 1;
	p.min_p = 1.05;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--min-p");
	assert_null(tv_params_check(&p, TV_PROFILE_LLAMACPP, &why));
	p.min_p = 0;
	p.top_k = -1;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--top-k");
	assert_null(tv_params_check(&p, TV_PROFILE_VLLM, &why));
	p.top_k = 0;
	p.min_keep = -2;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--min-keep");
	p.min_keep = 0;
	p.dynatemp_exp = 0;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--dynatemp-exp");
}

static void
chains(void **state)
{
	struct tv_chain c;
	const char *bad = NULL;
	const char *order = "top-k, top-p,temperature";

	(void)state;
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	assert_int_equal(c.n, 7);
	assert_int_equal(c.stage[6], TV_STAGE_TEMP);
	assert_int_equal(tv_chain_parse(&c, order, &bad), 0);
	assert_int_equal(c.rules, TV_PROFILE_LLAMACPP);
	assert_true(c.custom);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.stage[0], TV_STAGE_TOP_K);
	assert_int_equal(c.stage[2], TV_STAGE_TEMP);
	order = "top-k,top-q";
	assert_int_equal(tv_chain_parse(&c, order, &bad), -1);
	assert_ptr_equal(bad, order + 6);
	order = "min-p,xtc,min-p";
	assert_int_equal(tv_chain_parse(&c, order, &bad), -1);
	assert_ptr_equal(bad, order + 10);
	assert_int_equal(tv_chain_parse(&c, "", &bad), -1);
	tv_chain_default(&c, TV_PROFILE_HF);
	assert_false(c.custom);
	tv_chain_move(&c, 0, 1);
	assert_true(c.custom);
	assert_int_equal(c.stage[0], TV_STAGE_TOP_K);
	assert_int_equal(c.stage[1], TV_STAGE_TEMP);
	tv_chain_move(&c, 0, -1);
	assert_int_equal(c.stage[0], TV_STAGE_TOP_K);
	assert_int_equal(tv_profile_parse("llama.cpp"), TV_PROFILE_LLAMACPP);
	assert_int_equal(tv_profile_parse("gpt"), -1);
	assert_string_equal(tv_profile_name(TV_PROFILE_VLLM), "vllm");
	assert_int_equal(tv_stage_parse("xtc", 3), TV_STAGE_XTC);
	assert_string_equal(tv_stage_name(TV_STAGE_TOP_N_SIGMA),
			    "top-n-sigma");
}

/* A custom order under llama.cpp rules: temperature first changes what
 * top-p measures (T17's HF result). */
static void
custom_order(void **state)
{
	static const float l[] = { 3, 2, 1 };
	struct fix f;
	const char *bad;

	(void)state;
	load(&f, l, 3, TV_PROFILE_LLAMACPP);
	assert_int_equal(tv_chain_parse(&f.c, "temperature,top-p", &bad), 0);
	f.p.top_p = 0.8;
	f.p.temp = 0.5;
	run(&f);
	assert_near(f.r.stats.kept, 1, 0);
	done(&f);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The logsumexp-only kernel gives the very se of the whole sum kernel, at
 * every length around the vector widths and blocks, at several
 * temperatures, with -inf logits mixed in: tv_run takes either for the
 * same ln Z, so a difference would change what print --json writes.
 */
static void
se_kernel_is_the_sums_se(void **state)
{
	static const uint32_t len[] = {
		0, 1, 7, 8, 15, 16, 17, 63, 64, 65, 129, 2049, 70001,
	};
	static const float temp[] = { 1, 0.8f, 0.05f, 7 };
	float *l = malloc(70001 * sizeof *l);
	struct tv_rng g;
	size_t a, b;
	uint32_t i;

	(void)state;
	assert_non_null(l);
	tv_rng_seed(&g, 9);
	for (i = 0; i < 70001; i++)
		l[i] = i % 97 == 0 ? -INFINITY : (float)(2 * tv_rng_normal(&g));
	for (a = 0; a < sizeof len / sizeof len[0]; a++)
		for (b = 0; b < sizeof temp / sizeof temp[0]; b++) {
			struct tv_sums o;
			double se;

			tv_sums(l, len[a], temp[b], 8 / temp[b], &o);
			se = tv_se(l, len[a], temp[b], 8 / temp[b]);
			assert_memory_equal(&se, &o.se, sizeof se);
		}
	free(l);
}

/*
 * tv_run takes ln Z of what enters a stage from the logsumexp kernel when
 * nothing reads the other sums: the same bits as the whole sums, which it
 * takes when top-p comes next on the same candidates.
 */
static void
lnz_alone_is_lnz_of_the_sums(void **state)
{
	enum { N = 50000 };
	float *l = malloc(N * sizeof *l);
	struct tv_result *ra = malloc(sizeof *ra), *rb = malloc(sizeof *rb);
	struct tv_chain ca, cb;
	struct tv_params p;
	struct tv_dist d;
	struct tv_rng g;
	const char *bad;
	uint32_t i;

	(void)state;
	assert_non_null(l);
	assert_non_null(ra);
	assert_non_null(rb);
	tv_rng_seed(&g, 4);
	for (i = 0; i < N; i++)
		l[i] = (float)(1.7 * tv_rng_normal(&g));
	assert_int_equal(tv_dist_from_logits(&d, l, N), TV_OK);
	tv_params_default(&p);
	p.temp = 0.7;
	p.top_k = 40;
	p.top_p = 0.9;
	tv_chain_default(&ca, TV_PROFILE_HF);
	cb = ca;
	assert_int_equal(tv_chain_parse(&ca, "temperature,top-k", &bad), 0);
	assert_int_equal(tv_chain_parse(&cb, "temperature,top-p", &bad), 0);
	tv_run(&d, &ca, &p, ra);
	tv_run(&d, &cb, &p, rb);
	assert_memory_equal(&ra->st[1].lnz_in, &rb->st[1].lnz_in, sizeof(double));
	assert_memory_equal(&ra->st[1].shift_in, &rb->st[1].shift_in,
			    sizeof(double));
	tv_dist_free(&d);
	free(l);
	free(ra);
	free(rb);
}

int
main(void)
{
	static const struct CMUnitTest others[] = {
		cmocka_unit_test(t1_softmax),
		cmocka_unit_test(t2_greedy),
		cmocka_unit_test(t4_huge_temp),
		cmocka_unit_test(t15_min_keep),
		cmocka_unit_test(t18_flat_default_chain),
		cmocka_unit_test(t22_typical_ties),
		cmocka_unit_test(typical_band),
		cmocka_unit_test(typical_low_temp),
		cmocka_unit_test(tiny_temp_ties),
		cmocka_unit_test(typical_min_keep_no_ties),
		cmocka_unit_test(t24_xtc),
		cmocka_unit_test(xtc_coin),
		cmocka_unit_test(top_n_sigma),
		cmocka_unit_test(dynatemp),
		cmocka_unit_test(vllm_clamps),
		cmocka_unit_test(ignored_stages),
		cmocka_unit_test(tail_exact_lse),
		cmocka_unit_test(tail_top_p_partial),
		cmocka_unit_test(prop_sums_and_order),
		cmocka_unit_test(se_kernel_is_the_sums_se),
		cmocka_unit_test(lnz_alone_is_lnz_of_the_sums),
		cmocka_unit_test(prop_stats_brute_force),
		cmocka_unit_test(stage_probabilities),
		cmocka_unit_test(stage_mass_and_min_p),
		cmocka_unit_test(stage_mass_tail),
		cmocka_unit_test(outcomes_with_tail),
		cmocka_unit_test(invalid_logits),
		cmocka_unit_test(params_check),
		cmocka_unit_test(chains),
		cmocka_unit_test(custom_order),
	};
	struct CMUnitTest tests[COUNT(vectors) + COUNT(others)];
	size_t i;

	/* Each vector a test of its own, so a failure names it. */
	for (i = 0; i < COUNT(vectors); i++)
		tests[i] = (struct CMUnitTest){
			.name = vectors[i].name,
			.test_func = vector,
			.initial_state = &vectors[i],
		};
	memcpy(tests + COUNT(vectors), others, sizeof others);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
