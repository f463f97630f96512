/* SPDX-License-Identifier: MIT */
/*
 * The samplers with memory on a distribution (tv_memory): what each stage
 * moves, by exact float arithmetic worked out beside each test; the
 * distribution given back bit for bit; DRY's breakers from strings, one
 * token and several; the history from words; a copy of a distribution;
 * two settings compared on their own copies.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tempviz/compare.h"
#include "tempviz/dist.h"
#include "tempviz/history.h"
#include "tempviz/pipeline.h"
#include "tempviz/rng.h"

#include "testutil.h"

/* A finished distribution of named tokens and logits. */
static void
dist_of(struct tv_dist *d, const char *const *tok, const float *l,
	uint32_t n)
{
	assert_int_equal(tv_dist_init(d, n), TV_OK);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(tv_dist_push(d, tok[i], strlen(tok[i]), l[i]),
				 TV_OK);
	assert_int_equal(tv_dist_finish(d), TV_OK);
}

/* a and b are the same distribution, to the bit. */
static void
assert_same_dist(const struct tv_dist *a, const struct tv_dist *b)
{
	assert_int_equal(a->n, b->n);
	assert_memory_equal(a->logit, b->logit, a->n * sizeof *a->logit);
	assert_memory_equal(a->order, b->order, a->n * sizeof *a->order);
	assert_memory_equal(a->sorted, b->sorted, a->n * sizeof *a->sorted);
	assert_memory_equal(a->rank, b->rank, a->n * sizeof *a->rank);
	assert_int_equal(a->n_finite, b->n_finite);
	assert_int_equal(a->tail_pos, b->tail_pos);
	assert_true(a->lse1 == b->lse1);
	assert_true(a->tail_logit == b->tail_logit);
}

static const char *const approve[] = { "approve", "reject", "review",
				       "escalate" };
static const float approve_l[] = { 2.2f, 1.8f, 1.4f, 0.9f };

/*
 * llama.cpp, repeat 1.5, history approve reject approve: approve 2.2f /
 * 1.5f (seen twice), reject 1.8f / 1.5f; the order becomes approve,
 * review, reject, escalate. The penalties moved 2, approve furthest, by
 * 2.2f / 1.5f - 2.2f; DRY and smoothing did nothing.
 */
static void
penalties_effect(void **state)
{
	static const uint32_t hist[] = { 0, 1, 0 };
	struct tv_history h = { .ids = hist, .n = 3 };
	struct tv_memory *m = tv_memory_new();
	struct tv_mem_effect e;
	struct tv_params p;
	struct tv_dist d;
	const struct tv_edit *ed;
	uint32_t n;
	double delta;

	(void)state;
	assert_non_null(m);
	dist_of(&d, approve, approve_l, 4);
	tv_params_default(&p);
	p.repeat_penalty = 1.5;
	assert_int_equal(tv_memory_apply(m, &d, &p, TV_PROFILE_LLAMACPP, &h,
					 NULL), TV_OK);
	ed = tv_memory_edits(m, &n);
	assert_int_equal(n, 2);
	assert_int_equal(ed[0].id, 0);
	assert_int_equal(ed[0].count, 2);
	assert_true(ed[0].after == 2.2f / 1.5f);
	assert_true(ed[0].mid == ed[0].after);
	assert_int_equal(ed[0].dry_at, TV_DRY_NONE);
	assert_int_equal(ed[1].id, 1);
	assert_true(d.logit[1] == 1.8f / 1.5f);
	assert_int_equal(d.order[0], 0);
	assert_int_equal(d.order[1], 2);
	assert_int_equal(d.order[2], 1);
	assert_int_equal(d.order[3], 3);
	tv_memory_effect(m, &d, TV_MEM_PENALTIES, &e);
	assert_true(e.on);
	assert_int_equal(e.moved, 2);
	assert_int_equal(e.top, 0);
	assert_true(e.delta == (double)(2.2f / 1.5f) - 2.2f);
	tv_memory_effect(m, &d, TV_MEM_DRY, &e);
	assert_false(e.on);
	assert_int_equal(e.moved, 0);
	tv_memory_effect(m, &d, TV_MEM_SMOOTHING, &e);
	assert_false(e.on);
	/* Per token, as the pipeline's cells show it. */
	assert_true(tv_memory_delta(m, &d, 1, TV_MEM_PENALTIES, &delta));
	assert_true(delta == (double)(1.8f / 1.5f) - 1.8f);
	assert_false(tv_memory_delta(m, &d, 2, TV_MEM_PENALTIES, &delta));
	assert_false(tv_memory_delta(m, &d, 1, TV_MEM_DRY, &delta));
	/* Every stage can be asked about every token: smoothing, which did
	 * not run, moved none (and keeps no logits to compare with). */
	for (uint32_t id = 0; id < d.n; id++)
		assert_false(tv_memory_delta(m, &d, id, TV_MEM_SMOOTHING,
					     &delta));
	assert_false(tv_memory_delta(m, &d, TV_ID_TAIL, TV_MEM_SMOOTHING,
				     &delta));
	assert_true(tv_memory_base_logit(m, &d, 0) == 2.2f);
	assert_true(tv_memory_base_logit(m, &d, 3) == 0.9f);
	tv_memory_free(m);
	tv_dist_free(&d);
}

/*
 * llama.cpp, repeat 2, DRY 1 x 2^(len - 2), history 0 1 2 3 0 1 2 over
 * logits 1, 1, 1, 0.5: the penalties halve 0, 1, 2 (to 0.5) and 3 (to
 * 0.25); "0 1 2" was followed by 3 before, so DRY takes 2^(3 - 2) from
 * it: 0.25 - 2 = -1.75. DRY moved one token by -2.
 */
static void
dry_effect(void **state)
{
	static const char *const tok[] = { "0", "1", "2", "3" };
	static const float l[] = { 1, 1, 1, 0.5f };
	static const uint32_t hist[] = { 0, 1, 2, 3, 0, 1, 2 };
	struct tv_history h = { .ids = hist, .n = 7 };
	struct tv_memory *m = tv_memory_new();
	struct tv_mem_effect e;
	struct tv_params p;
	struct tv_dist d;
	double delta;

	(void)state;
	dist_of(&d, tok, l, 4);
	tv_params_default(&p);
	p.repeat_penalty = 2;
	p.dry_multiplier = 1;
	p.dry_base = 2;
	assert_int_equal(tv_memory_apply(m, &d, &p, TV_PROFILE_LLAMACPP, &h,
					 NULL), TV_OK);
	assert_true(d.logit[3] == -1.75f);
	assert_true(d.logit[0] == 0.5f);
	tv_memory_effect(m, &d, TV_MEM_DRY, &e);
	assert_true(e.on);
	assert_int_equal(e.moved, 1);
	assert_int_equal(e.top, 3);
	assert_true(e.delta == -2);
	/* Ties in how far the penalties moved (0, 1, 2 by -0.5): the lower
	 * id. */
	tv_memory_effect(m, &d, TV_MEM_PENALTIES, &e);
	assert_int_equal(e.moved, 4);
	assert_int_equal(e.top, 0);
	assert_true(e.delta == -0.5);
	assert_true(tv_memory_delta(m, &d, 3, TV_MEM_PENALTIES, &delta));
	assert_true(delta == -0.25);
	assert_true(tv_memory_delta(m, &d, 3, TV_MEM_DRY, &delta));
	assert_true(delta == -2);
	tv_memory_free(m);
	tv_dist_free(&d);
}

/*
 * Quadratic smoothing, factor 0.5, curve 1 (l' = max - 0.5 d^2) over 0,
 * -1, -2 and a tail: -1 goes to -0.5, -2 stays (-2 = 0 - 0.5 * 4), the
 * tail's level moves too. One token moved, +0.5.
 */
static void
smoothing_effect(void **state)
{
	struct tv_memory *m = tv_memory_new();
	struct tv_history h = { .n = 0 };
	struct tv_mem_effect e;
	struct tv_params p;
	struct tv_dist d, orig;
	double delta, tail;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 3), TV_OK);
	assert_int_equal(tv_dist_push(&d, "a", 1, 0), TV_OK);
	assert_int_equal(tv_dist_push(&d, "b", 1, -1), TV_OK);
	assert_int_equal(tv_dist_push(&d, "c", 1, -2), TV_OK);
	assert_int_equal(tv_dist_set_tail_mass(&d, 10, 0.1), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_int_equal(tv_dist_copy(&orig, &d), TV_OK);
	tail = d.tail_logit;
	tv_params_default(&p);
	p.smoothing_factor = 0.5;
	assert_int_equal(tv_memory_apply(m, &d, &p, TV_PROFILE_HF, &h, NULL),
			 TV_OK);
	assert_true(d.logit[1] == -0.5f);
	assert_true(d.logit[2] == -2);
	tv_memory_effect(m, &d, TV_MEM_SMOOTHING, &e);
	assert_true(e.on);
	assert_int_equal(e.moved, 1);
	assert_int_equal(e.top, 1);
	assert_true(e.delta == 0.5);
	assert_true(tv_memory_delta(m, &d, TV_ID_TAIL, TV_MEM_SMOOTHING,
				    &delta));
	assert_near(delta, (double)(float)(-0.5 * tail * tail) - tail, 0);
	assert_true(tv_memory_base_logit(m, &d, TV_ID_TAIL) == tail);
	assert_true(tv_memory_base_logit(m, &d, 1) == -1);
	tv_memory_restore(m, &d);
	assert_same_dist(&d, &orig);
	tv_memory_free(m);
	tv_dist_free(&d);
	tv_dist_free(&orig);
}

/* Apply, apply another setting, restore: each apply starts from the
 * model's logits, and restore gives back the distribution bit for bit,
 * on random logits and histories, every profile. */
static void
restore_exact(void **state)
{
	struct tv_rng g;
	struct tv_memory *m = tv_memory_new(), *fresh = tv_memory_new();

	(void)state;
	tv_rng_seed(&g, 5);
	for (int trial = 0; trial < 200; trial++) {
		enum tv_profile rules = (enum tv_profile)(trial % 4);
		uint32_t n = 2 + tv_rng_u32(&g) % 60, nh = tv_rng_u32(&g) % 90;
		float *l = malloc(n * sizeof *l);
		uint32_t *hist = malloc((nh ? nh : 1) * sizeof *hist);
		struct tv_history h = { .ids = hist, .n = nh,
					.n_prompt = nh / 4 };
		struct tv_params p, q;
		struct tv_dist d, orig, other;

		for (uint32_t i = 0; i < n; i++)
			l[i] = (float)(tv_rng_normal(&g) * 2);
		for (uint32_t i = 0; i < nh; i++)
			hist[i] = tv_rng_u32(&g) % (n + 2);
		assert_int_equal(tv_dist_from_logits(&d, l, n), TV_OK);
		assert_int_equal(tv_dist_copy(&orig, &d), TV_OK);
		assert_int_equal(tv_dist_copy(&other, &d), TV_OK);
		tv_params_default(&p);
		p.repeat_penalty = 1.3;
		p.freq_penalty = 0.2;
		p.dry_multiplier = 0.8;
		p.dry_allowed_length = trial % 3;
		p.smoothing_factor = trial % 2 ? 0.3 : 0;
		q = p;
		q.repeat_penalty = 1.7;
		q.presence_penalty = -0.4;
		assert_int_equal(tv_memory_apply(m, &d, &p, rules, &h, NULL),
				 TV_OK);
		assert_int_equal(tv_memory_apply(m, &d, &q, rules, &h, NULL),
				 TV_OK);
		assert_int_equal(tv_memory_apply(fresh, &other, &q, rules, &h,
						 NULL), TV_OK);
		assert_same_dist(&d, &other);
		tv_memory_restore(m, &d);
		assert_same_dist(&d, &orig);
		tv_memory_restore(fresh, &other);
		tv_dist_free(&d);
		tv_dist_free(&orig);
		tv_dist_free(&other);
		free(l);
		free(hist);
	}
	tv_memory_free(m);
	tv_memory_free(fresh);
}

/* DRY over tokens x y a b and the history a b x y a b x y, 1 x 2^(len -
 * 2): with no breakers the text's end "a b x y" repeats its start, and
 * the a that followed loses 2^2 = 4. A breaker shortens what the repeat
 * may reach. */
static float
dry_on_xyab(const char *const *list)
{
	static const char *const tok[] = { "x", "y", "a", "b" };
	static const float l[] = { 0, 0, 0, 0 };
	static const uint32_t hist[] = { 2, 3, 0, 1, 2, 3, 0, 1 };
	struct tv_history h = { .ids = hist, .n = 8 };
	struct tv_params p;
	struct tv_dist d;
	struct tv_breakers *b;
	struct tv_memo *m;
	struct tv_edit e[8], re[8];
	float fast[4], ref[4], a;
	uint32_t k;

	dist_of(&d, tok, l, 4);
	b = tv_breakers_new(&d, list);
	m = tv_memo_new(4);
	assert_non_null(b);
	tv_params_default(&p);
	p.dry_multiplier = 1;
	p.dry_base = 2;
	memcpy(fast, l, sizeof fast);
	memcpy(ref, l, sizeof ref);
	k = tv_penalize_with(m, &p, TV_PROFILE_LLAMACPP, &h, b, fast, e);
	assert_int_equal(k, tv_penalize_naive(&p, TV_PROFILE_LLAMACPP, &h, b,
					      ref, 4, re));
	assert_memory_equal(fast, ref, sizeof fast);
	assert_memory_equal(e, re, k * sizeof *e);
	/* Only a is ever moved. */
	assert_true(fast[0] == 0 && fast[1] == 0 && fast[3] == 0);
	a = fast[2];
	tv_memo_free(m);
	tv_breakers_free(b);
	tv_dist_free(&d);
	return a;
}

static void
breakers_from_strings(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const ab[] = { "ab", NULL };
	static const char *const b[] = { "b", NULL };
	static const char *const xy[] = { "xy", NULL };
	static const char *const spaced[] = { "x y", NULL };
	static const char *const empty[] = { "", NULL };

	(void)state;
	assert_true(dry_on_xyab(none) == -4);
	/* The defaults: no token holds a newline, ':', '"' or '*'. */
	assert_true(dry_on_xyab(NULL) == -4);
	/* "a" ends with the start of "ab" and b spells the rest: the
	 * repeat reaches back only to "x y" (2^0). */
	assert_true(dry_on_xyab(ab) == -1);
	/* "b" is a breaker by itself: the same reach. */
	assert_true(dry_on_xyab(b) == -1);
	/* "x" then "y" spell "xy", the text's end: no reach at all. */
	assert_true(dry_on_xyab(xy) == 0);
	/* No token spells " y": no breaker. */
	assert_true(dry_on_xyab(spaced) == -4);
	/* An empty string is skipped, as llama.cpp skips it. */
	assert_true(dry_on_xyab(empty) == -4);
}

/* The defaults made from text agree with tv_dry_breaker_text. */
static void
default_breakers(void **state)
{
	static const char *const tok[] = { "a:b", "word", "\n", "\"", "x*",
					   "" };
	static const float l[] = { 0, 0, 0, 0, 0, 0 };
	static const uint32_t hist[] = { 1, 0, 1, 0, 1 };
	struct tv_history h = { .ids = hist, .n = 5 };
	unsigned char flags[6];
	struct tv_params p;
	struct tv_dist d;
	struct tv_breakers *b;
	struct tv_memo *m = tv_memo_new(6);
	struct tv_edit e[8], re[8];
	float x[6], y[6];

	(void)state;
	dist_of(&d, tok, l, 6);
	b = tv_breakers_new(&d, NULL);
	for (uint32_t i = 0; i < 6; i++) {
		size_t n;
		const char *t = tv_dist_tok(&d, i, &n);

		flags[i] = (unsigned char)tv_dry_breaker_text(t, n);
	}
	assert_int_equal(flags[0] + flags[1] + flags[2] + flags[3] +
			 flags[4] + flags[5], 4);
	tv_params_default(&p);
	p.dry_multiplier = 1;
	p.dry_allowed_length = 1;
	memcpy(x, l, sizeof x);
	memcpy(y, l, sizeof y);
	/* The breaker a:b ends the text's reach: "word" after it moves by
	 * 1 x 1.75^0 only through the flags and the strings alike. */
	assert_int_equal(tv_penalize(m, &p, TV_PROFILE_LLAMACPP, &h, flags, x,
				     e),
			 tv_penalize_with(m, &p, TV_PROFILE_LLAMACPP, &h, b, y,
					  re));
	assert_memory_equal(x, y, sizeof x);
	tv_memo_free(m);
	tv_breakers_free(b);
	tv_dist_free(&d);
}

/*
 * Mirostat in llama.cpp's rules is its whole chain: the penalties and
 * DRY are left out (and said to be). In HF's the repetition penalty, a
 * logits processor, still runs.
 */
static void
mirostat_leaves_out(void **state)
{
	struct tv_params p;

	(void)state;
	tv_params_default(&p);
	p.repeat_penalty = 1.3;
	p.dry_multiplier = 0.8;
	p.mirostat = 2;
	assert_false(tv_penalties_on(&p, TV_PROFILE_LLAMACPP));
	assert_false(tv_dry_on(&p, TV_PROFILE_LLAMACPP));
	assert_true(tv_memory_ignored(&p, TV_PROFILE_LLAMACPP));
	assert_true(tv_penalties_on(&p, TV_PROFILE_HF));
	assert_false(tv_memory_ignored(&p, TV_PROFILE_HF));
	p.mirostat = 0;
	assert_true(tv_penalties_on(&p, TV_PROFILE_LLAMACPP));
	assert_false(tv_memory_ignored(&p, TV_PROFILE_LLAMACPP));
}

/* DRY with an allowed length of 0 (llama.cpp: every repeat length counts,
 * 0 too): over history 0 1 2 each token of the window but the first
 * loses 1 x 2^0; 0, the first, is nobody's successor. */
static void
dry_allowed_zero(void **state)
{
	static const uint32_t hist[] = { 0, 1, 2 };
	struct tv_history h = { .ids = hist, .n = 3 };
	struct tv_memo *m = tv_memo_new(3);
	struct tv_params p;
	struct tv_edit e[3];
	float l[3] = { 0, 0, 0 };

	(void)state;
	tv_params_default(&p);
	p.dry_multiplier = 1;
	p.dry_base = 2;
	p.dry_allowed_length = 0;
	assert_int_equal(tv_penalize(m, &p, TV_PROFILE_LLAMACPP, &h, NULL, l,
				     e), 2);
	assert_true(l[0] == 0 && l[1] == -1 && l[2] == -1);
	assert_int_equal(e[0].id, 2);
	assert_int_equal(e[0].dry_len, 0);
	assert_int_equal(e[0].dry_at, 1);
	tv_memo_free(m);
}

/* Words to ids: exactly, after one leading space, or ignoring case, the
 * lowest id first; the rest counted. */
static void
history_words(void **state)
{
	static const char *const tok[] = { "Paris", " Paris", "the", " The" };
	static const float l[] = { 0, 0, 0, 0 };
	struct tv_dist d;
	uint32_t ids[8], unmatched = 0, n;

	(void)state;
	dist_of(&d, tok, l, 4);
	assert_int_equal(tv_history_count_words("  paris the x  The "), 4);
	n = tv_history_words(&d, "  paris the x  The ", ids, 8, &unmatched);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[2], 3);
	assert_int_equal(unmatched, 1);
	assert_int_equal(tv_history_words(&d, NULL, ids, 8, &unmatched), 0);
	tv_dist_free(&d);
}

/* A copy is the same and its own. */
static void
copy_dist(void **state)
{
	struct tv_dist d, c;

	(void)state;
	dist_of(&d, approve, approve_l, 4);
	assert_int_equal(tv_dist_set_meta(&d.name, "n"), TV_OK);
	assert_int_equal(tv_dist_set_meta(&d.prompt, "the prompt"), TV_OK);
	assert_int_equal(tv_dist_copy(&c, &d), TV_OK);
	assert_same_dist(&c, &d);
	assert_string_equal(c.name, "n");
	assert_string_equal(c.prompt, "the prompt");
	assert_true(c.name != d.name && c.logit != d.logit);
	assert_memory_equal(c.text, d.text, d.off[d.n]);
	c.logit[0] = -5;
	assert_true(d.logit[0] == 2.2f);
	tv_dist_free(&c);
	tv_dist_free(&d);
}

/*
 * Two copies: A = (1/2, 1/2), B's logits ln 3, 0 = (3/4, 1/4), each
 * found by id; the orders differ. KL(A || B) = 1/2 log2(2/3) + 1/2
 * log2 2 = 0.2075187496394219; TV = 1/4. On one distribution it is
 * tv_compare's own.
 */
static void
compare_copies(void **state)
{
	static const char *const tok[] = { "a", "b" };
	const float la[] = { 0, 0 }, lb[] = { 0, (float)log(3) };
	struct tv_dist da, db;
	struct tv_chain c;
	struct tv_params p;
	struct tv_result ra, rb;
	struct tv_compare x, y;

	(void)state;
	dist_of(&da, tok, la, 2);
	dist_of(&db, tok, lb, 2);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_params_default(&p);
	tv_run(&da, &c, &p, &ra);
	tv_run(&db, &c, &p, &rb);
	tv_compare_dists(&da, &ra, &db, &rb, &x);
	assert_near(x.kl_bits, 0.2075187496394219, 1e-7);
	assert_near(x.tv, 0.25, 1e-7);
	assert_near(x.both, 2, 0);
	tv_compare_dists(&da, &ra, &da, &ra, &x);
	tv_compare(&da, &ra, &ra, &y);
	assert_memory_equal(&x, &y, sizeof x);
	tv_dist_free(&da);
	tv_dist_free(&db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(penalties_effect),
		cmocka_unit_test(dry_effect),
		cmocka_unit_test(smoothing_effect),
		cmocka_unit_test(restore_exact),
		cmocka_unit_test(breakers_from_strings),
		cmocka_unit_test(default_breakers),
		cmocka_unit_test(mirostat_leaves_out),
		cmocka_unit_test(dry_allowed_zero),
		cmocka_unit_test(history_words),
		cmocka_unit_test(copy_dist),
		cmocka_unit_test(compare_copies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
