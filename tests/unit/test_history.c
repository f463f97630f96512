/* SPDX-License-Identifier: MIT */
/*
 * Samplers with memory: each engine's penalty rule and llama.cpp's DRY
 * on vectors computed by hand, mirostat, top-a, tail-free and quadratic
 * smoothing, and properties: the fast paths equal the plain definitions,
 * and a mended order equals a fresh one.
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
#include "tempviz/history.h"
#include "tempviz/pipeline.h"
#include "tempviz/rng.h"

#include "testutil.h"

#define EPS 5e-7

/* A distribution of vocab tokens "w0", "w1", ..., a breaker's text
 * holding one of llama.cpp's default breakers (':'), so that its
 * breakers from text are brk (NULL: none are). */
static void
named_dist(struct tv_dist *d, const unsigned char *brk, uint32_t vocab)
{
	assert_int_equal(tv_dist_init(d, vocab), TV_OK);
	for (uint32_t id = 0; id < vocab; id++) {
		char name[16];
		int n = snprintf(name, sizeof name, "w%u%s", id,
				 brk && brk[id] ? ":" : "");

		assert_int_equal(tv_dist_push(d, name, (size_t)n, 0), TV_OK);
	}
	assert_int_equal(tv_dist_finish(d), TV_OK);
}

/* The breakers brk marks, made from token text as DRY makes them. */
static struct tv_breakers *
breakers_of(const unsigned char *brk, uint32_t vocab)
{
	struct tv_dist d;
	struct tv_breakers *b;

	named_dist(&d, brk, vocab);
	b = tv_breakers_new(&d, NULL);
	assert_non_null(b);
	tv_dist_free(&d);
	return b;
}

/* Penalize logits l (by id) for history ids; returns the edit count and
 * checks the fast path against the plain one on the way. */
static uint32_t
pen(const struct tv_params *p, enum tv_profile rules, const uint32_t *ids,
    uint32_t n, uint32_t n_prompt, const unsigned char *brk, float *l,
    uint32_t vocab, struct tv_edit *e)
{
	struct tv_history h = { .ids = ids, .n = n, .n_prompt = n_prompt };
	struct tv_memo *m = tv_memo_new(vocab);
	float ref[64];
	struct tv_edit re[64];
	uint32_t k, kr;

	struct tv_breakers *b = brk ? breakers_of(brk, vocab) : NULL;

	assert_non_null(m);
	memcpy(ref, l, vocab * sizeof *l);
	k = tv_penalize(m, p, rules, &h, brk, l, e);
	kr = tv_penalize_naive(p, rules, &h, b, ref, vocab, re);
	tv_breakers_free(b);
	assert_int_equal(k, kr);
	assert_memory_equal(l, ref, vocab * sizeof *l);
	assert_memory_equal(e, re, k * sizeof *e);
	tv_memo_free(m);
	return k;
}

static void
llamacpp_penalties(void **state)
{
	static const uint32_t hist[] = { 0, 1, 0, 3 };
	struct tv_params p;
	struct tv_edit e[8];
	float l[4] = { 2, -1, 0.5f, 3 };

	(void)state;
	tv_params_default(&p);
	p.repeat_penalty = 2;
	p.freq_penalty = 0.5;
	p.presence_penalty = 0.25;
	/* 2 / 2 - 2 (0.5) - 0.25; -1 (2) - 0.5 - 0.25; 3 / 2 - 0.75. */
	assert_int_equal(pen(&p, TV_PROFILE_LLAMACPP, hist, 4, 0, NULL, l, 4,
			     e), 3);
	assert_near(l[0], -0.25, EPS);
	assert_near(l[1], -2.75, EPS);
	assert_near(l[2], 0.5, EPS);
	assert_near(l[3], 0.75, EPS);
	assert_int_equal(e[0].id, 0);
	assert_int_equal(e[0].count, 2);
	assert_near(e[0].before, 2, 0);
	/* A window of the last two tokens sees 0 and 3 once each. */
	p.repeat_last_n = 2;
	memcpy(l, (float[]){ 2, -1, 0.5f, 3 }, sizeof l);
	assert_int_equal(pen(&p, TV_PROFILE_LLAMACPP, hist, 4, 0, NULL, l, 4,
			     e), 2);
	assert_near(l[0], 0.25, EPS);
	assert_near(l[1], -1, 0);
	assert_near(l[3], 0.75, EPS);
	/* A window of 0 is off. */
	p.repeat_last_n = 0;
	assert_false(tv_penalties_on(&p, TV_PROFILE_LLAMACPP));
}

static void
hf_and_vllm_penalties(void **state)
{
	static const uint32_t hist[] = { 0, 1, 0, 3 };
	struct tv_params p;
	struct tv_edit e[8];
	float l[4] = { 2, -1, 0.5f, 3 };

	(void)state;
	tv_params_default(&p);
	p.repeat_penalty = 2;
	p.freq_penalty = 0.5;
	p.presence_penalty = 0.25;
	/* HF: repetition once per distinct token; no frequency, presence. */
	assert_int_equal(pen(&p, TV_PROFILE_HF, hist, 4, 2, NULL, l, 4, e), 3);
	assert_near(l[0], 1, 0);
	assert_near(l[1], -2, 0);
	assert_near(l[3], 1.5, 0);
	/* vLLM: the prompt is 0 1, the output 0 3: frequency and presence
	 * count the output only. */
	memcpy(l, (float[]){ 2, -1, 0.5f, 3 }, sizeof l);
	assert_int_equal(pen(&p, TV_PROFILE_VLLM, hist, 4, 2, NULL, l, 4, e),
			 3);
	assert_near(l[0], 0.25, EPS);
	assert_near(l[1], -2, 0);
	assert_near(l[3], 0.75, EPS);
	/* llama3 has none. */
	assert_false(tv_penalties_on(&p, TV_PROFILE_LLAMA3));
	assert_false(tv_dry_on(&p, TV_PROFILE_HF));
}

static void
dry_vectors(void **state)
{
	/* a b c d a b c: the text ends in "a b c", which was followed by d. */
	static const uint32_t hist[] = { 0, 1, 2, 3, 0, 1, 2 };
	unsigned char brk[5] = { 0 };
	struct tv_params p;
	struct tv_edit e[8];
	float l[5] = { 0 };

	(void)state;
	tv_params_default(&p);
	p.dry_multiplier = 1;
	p.dry_base = 2;
	p.dry_allowed_length = 2;
	/* 1 x 2^(3 - 2) on d. */
	assert_int_equal(pen(&p, TV_PROFILE_LLAMACPP, hist, 7, 0, brk, l, 5,
			     e), 1);
	assert_near(l[3], -2, 0);
	assert_int_equal(e[0].id, 3);
	assert_int_equal(e[0].dry_len, 3);
	assert_int_equal(e[0].dry_at, 2);
	/* Allowed 3: 2^0; allowed 4: none. */
	p.dry_allowed_length = 3;
	l[3] = 0;
	pen(&p, TV_PROFILE_LLAMACPP, hist, 7, 0, brk, l, 5, e);
	assert_near(l[3], -1, 0);
	p.dry_allowed_length = 4;
	l[3] = 0;
	assert_int_equal(pen(&p, TV_PROFILE_LLAMACPP, hist, 7, 0, brk, l, 5,
			     e), 0);
	/* A breaker at a (two back) limits the repeat to "b c": 2^0. */
	p.dry_allowed_length = 2;
	brk[0] = 1;
	pen(&p, TV_PROFILE_LLAMACPP, hist, 7, 0, brk, l, 5, e);
	assert_near(l[3], -1, 0);
	/* d a breaker: it is never penalised. */
	brk[0] = 0;
	brk[3] = 1;
	l[3] = 0;
	assert_int_equal(pen(&p, TV_PROFILE_LLAMACPP, hist, 7, 0, brk, l, 5,
			     e), 0);
	/* A window of the last three tokens holds no repeat. */
	brk[3] = 0;
	p.dry_penalty_last_n = 3;
	assert_int_equal(pen(&p, TV_PROFILE_LLAMACPP, hist, 7, 0, brk, l, 5,
			     e), 0);
	/* Breakers by text, llama.cpp's defaults. */
	assert_true(tv_dry_breaker_text("a:b", 3));
	assert_true(tv_dry_breaker_text("\n", 1));
	assert_true(tv_dry_breaker_text("\"", 1));
	assert_true(tv_dry_breaker_text("*", 1));
	assert_false(tv_dry_breaker_text("word", 4));
}

/* The fast paths equal the plain definitions on random histories over a
 * small vocabulary (many repeats), every profile, reusing one memo. */
static void
penalties_match_naive(void **state)
{
	struct tv_rng g;
	struct tv_memo *m = tv_memo_new(16);
	uint32_t ids[300];
	unsigned char brk[16] = { 0 };
	struct tv_edit e[300], re[300];
	struct tv_breakers *b;

	(void)state;
	brk[5] = 1;
	b = breakers_of(brk, 16);
	tv_rng_seed(&g, 7);
	for (int trial = 0; trial < 400; trial++) {
		struct tv_params p;
		enum tv_profile rules = (enum tv_profile)(trial % 4);
		uint32_t n = tv_rng_u32(&g) % 300, vocab = 16, k, kr;
		uint32_t alpha = 2 + tv_rng_u32(&g) % 14;
		struct tv_history h = { .ids = ids, .n = n,
					.n_prompt = n / 3 };
		float l[16], ref[16];

		tv_params_default(&p);
		p.repeat_penalty = 1 + (double)(trial % 5) / 4;
		p.freq_penalty = (double)(trial % 3) / 10;
		p.presence_penalty = (double)(trial % 7) / 10;
		p.repeat_last_n = (int)(tv_rng_u32(&g) % 80) - 1;
		p.dry_multiplier = 0.8;
		p.dry_allowed_length = (int)(tv_rng_u32(&g) % 4);
		p.dry_penalty_last_n = (int)(tv_rng_u32(&g) % 200) - 1;
		for (uint32_t i = 0; i < n; i++)
			ids[i] = tv_rng_u32(&g) % alpha;
		for (uint32_t i = 0; i < vocab; i++)
			ref[i] = l[i] = (float)((int)(tv_rng_u32(&g) % 9) - 4);
		k = tv_penalize(m, &p, rules, &h, brk, l, e);
		kr = tv_penalize_naive(&p, rules, &h, b, ref, vocab, re);
		assert_int_equal(k, kr);
		assert_memory_equal(l, ref, sizeof l);
		assert_memory_equal(e, re, k * sizeof *e);
		for (uint32_t i = 0; i < k; i++)
			assert_true(e[i].after != e[i].before);
	}
	tv_memo_free(m);
	tv_breakers_free(b);
}

/*
 * A history growing a few tokens a call, as in generation, on one memo
 * (which counts on from the last call's history), equals the plain
 * definitions at every step, with every profile; and so do the calls in
 * between that break the chain: an earlier token changed (another
 * branch), the prompt moved, another rule (vLLM's counts only the
 * output), the penalties off for a step, llama.cpp's window shorter than
 * the history, an id past the vocabulary.
 */
static void
penalties_step_by_step_match_naive(void **state)
{
	struct tv_rng g;
	uint32_t ids[400];
	struct tv_edit e[400], re[400];

	(void)state;
	tv_rng_seed(&g, 11);
	for (int trial = 0; trial < 16; trial++) {
		struct tv_memo *m = tv_memo_new(16);
		enum tv_profile base = (enum tv_profile)(trial % 4), rules;
		uint32_t n = 0, n_prompt = 5 + (uint32_t)trial;

		assert_non_null(m);
		for (uint32_t i = 0; i < 400; i++)
			ids[i] = tv_rng_u32(&g) % (trial < 8 ? 16 : 6);
		ids[200] = 16;
		for (int step = 0; n < 400; step++) {
			struct tv_params p;
			struct tv_history h;
			float l[16], ref[16];
			uint32_t k, kr;

			n += 1 + tv_rng_u32(&g) % 3;
			n = n > 400 ? 400 : n;
			if (step % 17 == 16)
				ids[tv_rng_u32(&g) % n] = tv_rng_u32(&g) % 16;
			if (step % 23 == 22)
				n_prompt++;
			rules = base;
			if (step % 19 == 18)
				rules = base == TV_PROFILE_VLLM ?
				    TV_PROFILE_LLAMACPP : TV_PROFILE_VLLM;
			h = (struct tv_history){ .ids = ids, .n = n,
						 .n_prompt = n_prompt };
			tv_params_default(&p);
			p.repeat_penalty = step % 13 == 12 ? 1 : 1.25;
			p.freq_penalty = 0.1;
			p.presence_penalty = 0.3;
			p.repeat_last_n = step % 11 == 10 ? 30 : -1;
			p.dry_multiplier = trial % 3 == 0 ? 0.8 : 0;
			for (uint32_t i = 0; i < 16; i++)
				ref[i] = l[i] =
				    (float)((int)(tv_rng_u32(&g) % 9) - 4);
			k = tv_penalize(m, &p, rules, &h, NULL, l, e);
			kr = tv_penalize_naive(&p, rules, &h, NULL, ref, 16,
					       re);
			assert_int_equal(k, kr);
			assert_memory_equal(l, ref, sizeof l);
			assert_memory_equal(e, re, k * sizeof *e);
		}
		tv_memo_free(m);
	}
}

static void
assert_same_order(const struct tv_dist *a, const struct tv_dist *b)
{
	assert_int_equal(a->n_finite, b->n_finite);
	assert_int_equal(a->tail_pos, b->tail_pos);
	assert_memory_equal(a->order, b->order, a->n * sizeof *a->order);
	assert_memory_equal(a->sorted, b->sorted, a->n * sizeof *a->sorted);
	assert_memory_equal(a->rank, b->rank, a->n * sizeof *a->rank);
	assert_near(a->lse1, b->lse1, 1e-9);
}

/* Re-inserting the moved tokens gives the order a fresh load gives. */
static void
relogit_matches_fresh_order(void **state)
{
	struct tv_rng g;

	(void)state;
	tv_rng_seed(&g, 11);
	for (int trial = 0; trial < 200; trial++) {
		uint32_t n = 1 + tv_rng_u32(&g) % 300, k = tv_rng_u32(&g) % n;
		float *l = malloc(n * sizeof *l), *nl = malloc(n * sizeof *nl);
		uint32_t *ids = malloc(n * sizeof *ids);
		float *vals = malloc(n * sizeof *vals);
		struct tv_dist a, b;

		for (uint32_t i = 0; i < n; i++) {
			/* Few distinct values, so ties are common. */
			l[i] = (float)((int)(tv_rng_u32(&g) % 7) - 3);
			ids[i] = i;
		}
		l[0] = 5;
		for (uint32_t i = n - 1; i > 0; i--) {
			uint32_t j = tv_rng_u32(&g) % (i + 1), t = ids[i];

			ids[i] = ids[j];
			ids[j] = t;
		}
		memcpy(nl, l, n * sizeof *l);
		for (uint32_t i = 0; i < k; i++) {
			uint32_t r = tv_rng_u32(&g) % 9;

			vals[i] = r == 8 ? -INFINITY : (float)((int)r - 4);
			nl[ids[i]] = vals[i];
		}
		nl[0] = 5;
		for (uint32_t i = 0; i < k; i++)
			if (ids[i] == 0)
				vals[i] = 5;
		assert_int_equal(tv_dist_from_logits(&a, l, n), TV_OK);
		assert_int_equal(tv_dist_from_logits(&b, nl, n), TV_OK);
		assert_int_equal(tv_dist_relogit(&a, ids, vals, k), TV_OK);
		assert_same_order(&a, &b);
		tv_dist_free(&a);
		tv_dist_free(&b);
		free(l);
		free(nl);
		free(ids);
		free(vals);
	}
}

struct fix {
	struct tv_dist d;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result r;
};

static void
load_ln(struct fix *f, const double *p, uint32_t n, enum tv_profile prof)
{
	float l[16];

	for (uint32_t i = 0; i < n; i++)
		l[i] = (float)log(p[i]);
	assert_int_equal(tv_dist_from_logits(&f->d, l, n), TV_OK);
	tv_chain_default(&f->c, prof);
	tv_params_default(&f->p);
}

static double
final_p(struct fix *f, uint32_t id)
{
	return tv_result_p(&f->d, &f->r, f->d.rank[id]);
}

static void
mirostat_v2(void **state)
{
	static const double p4[] = { 0.5, 0.25, 0.125, 0.125 };
	struct fix f;

	(void)state;
	load_ln(&f, p4, 4, TV_PROFILE_LLAMACPP);
	f.p.mirostat = 2;
	f.p.mirostat_mu = 2.5;
	f.p.top_k = 1;
	tv_run(&f.d, &f.c, &f.p, &f.r);
	/* Surprises 1, 2, 3, 3 bits: mu 2.5 keeps two. */
	assert_int_equal(f.r.chain.n, 2);
	assert_int_equal(f.r.chain.stage[1], TV_STAGE_MIROSTAT);
	assert_near(final_p(&f, 0), 2.0 / 3, EPS);
	assert_near(final_p(&f, 1), 1.0 / 3, EPS);
	assert_near(final_p(&f, 2), 0, 0);
	/* Its own chain: top-k is set but not run. */
	assert_true(f.r.ignored & (1u << TV_STAGE_TOP_K));
	/* mu -= eta (surprise - tau): 2.5 - 0.1 (log2 1.5 - 5). */
	assert_near(tv_mirostat_update(&f.p, 2.5, 2.0 / 3),
		    2.5 - 0.1 * (log2(1.5) - 5), 1e-12);
	/* mu below every surprise still keeps the top token. */
	f.p.mirostat_mu = 0.5;
	tv_run(&f.d, &f.c, &f.p, &f.r);
	assert_near(final_p(&f, 0), 1, EPS);
	/* In HF's rules mirostat is not in the chain: ignored. */
	tv_chain_default(&f.c, TV_PROFILE_HF);
	tv_run(&f.d, &f.c, &f.p, &f.r);
	assert_true(f.r.ignored & (1u << TV_STAGE_MIROSTAT));
	tv_dist_free(&f.d);
}

static void
mirostat_v1(void **state)
{
	/* Zipf with exponent 2: p_i ~ 1 / (i + 1)^2, so s = 2 exactly, e = 1,
	 * k = sqrt(2^mu / (1 - 1/4)). */
	static const double z4[] = { 1, 0.25, 1.0 / 9, 1.0 / 16 };
	struct fix f;

	(void)state;
	load_ln(&f, z4, 4, TV_PROFILE_LLAMACPP);
	f.p.mirostat = 1;
	f.p.mirostat_mu = 3;
	tv_run(&f.d, &f.c, &f.p, &f.r);
	/* sqrt(8 / 0.75) = 3.27: three. */
	assert_int_equal(f.r.hi - f.r.lo, 3);
	f.p.mirostat_mu = 1;
	tv_run(&f.d, &f.c, &f.p, &f.r);
	/* sqrt(2 / 0.75) = 1.63: one. */
	assert_int_equal(f.r.hi - f.r.lo, 1);
	tv_dist_free(&f.d);
}

static void
custom(struct fix *f, const char *order)
{
	const char *bad;

	assert_int_equal(tv_chain_parse(&f->c, order, &bad), 0);
	tv_run(&f->d, &f->c, &f->p, &f->r);
}

static void
top_a_and_tfs(void **state)
{
	static const double pa[] = { 0.5, 0.3, 0.15, 0.05 };
	static const double pt[] = { 0.5, 0.25, 0.15, 0.1 };
	struct fix f;

	(void)state;
	load_ln(&f, pa, 4, TV_PROFILE_HF);
	/* p >= 0.5 x 0.5^2 = 0.125 keeps three; top-a 1 (0.25) two. */
	f.p.top_a = 0.5;
	custom(&f, "top-a");
	assert_int_equal(f.r.hi - f.r.lo, 3);
	assert_near(final_p(&f, 2), 0.15 / 0.95, EPS);
	f.p.top_a = 1;
	custom(&f, "top-a");
	assert_int_equal(f.r.hi - f.r.lo, 2);
	/* Not in HF's default chain: ignored there. */
	tv_chain_default(&f.c, TV_PROFILE_HF);
	tv_run(&f.d, &f.c, &f.p, &f.r);
	assert_true(f.r.ignored & (1u << TV_STAGE_TOP_A));
	tv_dist_free(&f.d);

	/* Second differences 0.15, 0.05: normalised 0.75, 0.25. */
	load_ln(&f, pt, 4, TV_PROFILE_HF);
	f.p.tfs = 0.5;
	custom(&f, "tfs");
	assert_int_equal(f.r.hi - f.r.lo, 1);
	f.p.tfs = 0.8;
	custom(&f, "tfs");
	assert_int_equal(f.r.hi - f.r.lo, 2);
	assert_near(final_p(&f, 1), 1.0 / 3, EPS);
	tv_dist_free(&f.d);
}

static void
smoothing(void **state)
{
	(void)state;
	/* d = -2: curve 1 is -f d^2, curve 3 is f d^3. */
	assert_near(tv_smooth_logit(1, 3, 0.5, 1), 1, 0);
	assert_near(tv_smooth_logit(1, 3, 0.5, 3), -1, 0);
	assert_near(tv_smooth_logit(1, 3, 0.5, 2), 0, 0);
	assert_near(tv_smooth_logit(3, 3, 0.5, 2), 3, 0);
	assert_true(isinf(tv_smooth_logit(-INFINITY, 3, 0.5, 2)));
}

static void
params_ranges(void **state)
{
	struct tv_params p;
	const char *why;

	(void)state;
	tv_params_default(&p);
	assert_null(tv_params_check(&p, TV_PROFILE_VLLM, &why));
	p.freq_penalty = 3;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_VLLM, &why),
			    "--frequency-penalty");
	assert_null(tv_params_check(&p, TV_PROFILE_LLAMACPP, &why));
	p.freq_penalty = 0;
	p.mirostat = 3;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--mirostat");
	p.mirostat = 0;
	p.dry_base = 0.5;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--dry-base");
	p.dry_base = 1.75;
	p.repeat_penalty = 0;
	assert_string_equal(tv_params_check(&p, TV_PROFILE_HF, &why),
			    "--repeat-penalty");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(llamacpp_penalties),
		cmocka_unit_test(hf_and_vllm_penalties),
		cmocka_unit_test(dry_vectors),
		cmocka_unit_test(penalties_match_naive),
		cmocka_unit_test(penalties_step_by_step_match_naive),
		cmocka_unit_test(relogit_matches_fresh_order),
		cmocka_unit_test(mirostat_v2),
		cmocka_unit_test(mirostat_v1),
		cmocka_unit_test(top_a_and_tfs),
		cmocka_unit_test(smoothing),
		cmocka_unit_test(params_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
