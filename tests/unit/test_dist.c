/* SPDX-License-Identifier: MIT */
/*
 * Distributions: building, the order, invalid logits, tails, metadata.
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
#include "tempviz/rng.h"

#include "testutil.h"

static void
push_and_text(void **state)
{
	struct tv_dist d;
	const char nul[] = { 'a', '\0', '\x1b', 'b' };
	size_t len;
	const char *t;
	uint32_t i;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 1), TV_OK);
	for (i = 0; i < 100; i++)
		assert_int_equal(tv_dist_push(&d, nul, sizeof nul, (float)i),
				 TV_OK);
	assert_int_equal(tv_dist_push(&d, "", 0, -1), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_int_equal(d.n, 101);
	t = tv_dist_tok(&d, 7, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(t, nul, 4);
	tv_dist_tok(&d, 100, &len);
	assert_int_equal(len, 0);
	assert_int_equal(d.order[0], 99);
	assert_int_equal(d.order[100], 100);
	assert_near(d.vocab_size, 101, 0);
	assert_near(d.tail_g, 0, 0);
	tv_dist_free(&d);
}

/* Logit descending, id ascending; rank inverts order. */
static void
order_and_rank(void **state)
{
	static const float l[] = { 1, 3, -0.0f, 3, 0, -INFINITY, 1, 2 };
	static const uint32_t want[] = { 1, 3, 7, 0, 6, 2, 4, 5 };
	struct tv_dist d;
	uint32_t i;

	(void)state;
	assert_int_equal(tv_dist_from_logits(&d, l, 8), TV_OK);
	for (i = 0; i < 8; i++) {
		assert_int_equal(d.order[i], want[i]);
		assert_int_equal(d.rank[d.order[i]], i);
		assert_true(d.sorted[i] == l[want[i]]);
	}
	assert_int_equal(d.n_finite, 7);
	tv_dist_free(&d);
}

/* The order of a large random distribution, with ties, against qsort. */
static const float *cmp_l;

static int
cmp_ids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (cmp_l[x] != cmp_l[y])
		return cmp_l[x] > cmp_l[y] ? -1 : 1;
	return (x > y) - (x < y);
}

static void
order_large(void **state)
{
	uint32_t n = 100000, i;
	float *l = malloc(n * sizeof *l);
	uint32_t *ids = malloc(n * sizeof *ids);
	struct tv_rng g;
	struct tv_dist d;

	(void)state;
	tv_rng_seed(&g, 9);
	for (i = 0; i < n; i++) {
		/* Coarse values make many ties; some negative. */
		l[i] = (float)(floor(tv_rng_normal(&g) * 50) / 8);
		ids[i] = i;
	}
	l[5] = -INFINITY;
	cmp_l = l;
	qsort(ids, n, sizeof *ids, cmp_ids);
	assert_int_equal(tv_dist_from_logits(&d, l, n), TV_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(d.order[i], ids[i]);
	assert_int_equal(d.n_finite, n - 1);
	tv_dist_free(&d);
	free(l);
	free(ids);
}

static void
lse_at_one(void **state)
{
	static const float l[] = { 2, 1, 0.5f, -1 };
	struct tv_dist d;

	(void)state;
	assert_int_equal(tv_dist_from_logits(&d, l, 4), TV_OK);
	assert_near(d.lse1, log(exp(2) + exp(1) + exp(0.5) + exp(-1)), 1e-12);
	tv_dist_free(&d);
}

static void
nan_and_inf(void **state)
{
	float l[] = { NAN, 1, -INFINITY, INFINITY, 2, INFINITY };
	float none[] = { NAN, -INFINITY };
	struct tv_dist d;

	(void)state;
	assert_int_equal(tv_dist_from_logits(&d, l, 6), TV_OK);
	assert_true(d.had_nan);
	assert_true(d.had_posinf);
	/* The +inf tokens share the mass: they become 0, others -inf. */
	assert_int_equal(d.n_finite, 2);
	assert_int_equal(d.order[0], 3);
	assert_int_equal(d.order[1], 5);
	assert_near(d.lse1, log(2), 1e-12);
	tv_dist_free(&d);

	/* A failed build leaves nothing to free, and freeing is harmless. */
	assert_int_equal(tv_dist_from_logits(&d, none, 2), TV_EEMPTY);
	assert_null(d.logit);
	assert_null(d.order);
	tv_dist_free(&d);
	assert_int_equal(tv_dist_init(&d, 0), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_EEMPTY);
	tv_dist_free(&d);
}

static void
from_probs(void **state)
{
	static const double p[] = { 0.1, 0.2, 0.7, 0 };
	static const double bad[] = { 0.5, -0.1 };
	struct tv_dist d;

	(void)state;
	assert_int_equal(tv_dist_from_probs(&d, p, 4), TV_OK);
	assert_int_equal(d.kind, TV_KIND_PROBS);
	assert_int_equal(d.n_finite, 3);
	assert_int_equal(d.order[0], 2);
	assert_near(exp(d.sorted[0] - d.lse1), 0.7, 1e-7);
	tv_dist_free(&d);
	assert_int_equal(tv_dist_from_probs(&d, bad, 2), TV_ERANGE);
	assert_null(d.logit);
}

/* The tail from a full-vocabulary lse: rest = 1 - sum exp(l - lse). */
static void
tail_from_lse(void **state)
{
	struct tv_dist d;
	double rest;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 2), TV_OK);
	assert_int_equal(tv_dist_push(&d, "x", 1, 1), TV_OK);
	assert_int_equal(tv_dist_push(&d, "y", 1, -2), TV_OK);
	assert_int_equal(tv_dist_set_tail_lse(&d, 50002, 2), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	rest = 1 - exp(1 - 2.0) - exp(-2 - 2.0);
	assert_near(d.tail_g, 50000, 0);
	assert_near(d.tail_logit, 2 + log(rest / 50000), 1e-12);
	assert_near(d.lse1, 2, 1e-12);
	assert_int_equal(d.tail_pos, 2);
	assert_true(d.tail_exact);
	tv_dist_free(&d);

	/* Unknown vocabulary: one lumped level that outweighs a token. */
	assert_int_equal(tv_dist_init(&d, 2), TV_OK);
	assert_int_equal(tv_dist_push(&d, "x", 1, 1), TV_OK);
	assert_int_equal(tv_dist_push(&d, "y", 1, -2), TV_OK);
	assert_int_equal(tv_dist_set_tail_lse(&d, 0, 2), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_near(d.tail_g, 1, 0);
	assert_near(d.vocab_size, 3, 0);
	assert_near(exp(d.tail_logit - d.lse1), rest, 1e-12);
	/* rest ~ 0.62 sits above token 0 (p ~ 0.37). */
	assert_int_equal(d.tail_pos, 0);
	tv_dist_free(&d);

	/* A vocabulary that is all listed has no tail, whatever rest its
	 * rounded logsumexp leaves, for every size up to n. */
	for (double v = 1; v <= 2; v++) {
		assert_int_equal(tv_dist_init(&d, 2), TV_OK);
		assert_int_equal(tv_dist_push(&d, "x", 1, 1), TV_OK);
		assert_int_equal(tv_dist_push(&d, "y", 1, -2), TV_OK);
		assert_int_equal(tv_dist_set_tail_lse(&d, v, 2), TV_OK);
		assert_int_equal(tv_dist_finish(&d), TV_OK);
		assert_near(d.tail_g, 0, 0);
		assert_near(d.vocab_size, 2, 0);
		tv_dist_free(&d);
	}

	/* lse below the listed mass (rounding): no tail. */
	assert_int_equal(tv_dist_init(&d, 1), TV_OK);
	assert_int_equal(tv_dist_push(&d, "x", 1, 1), TV_OK);
	assert_int_equal(tv_dist_set_tail_lse(&d, 10, 0.5), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_near(d.tail_g, 0, 0);
	assert_int_equal(tv_dist_set_tail_lse(&d, 10, INFINITY), TV_ERANGE);
	assert_int_equal(tv_dist_set_tail_lse(&d, -3, 1), TV_ERANGE);
	tv_dist_free(&d);
}

static void
tail_from_mass(void **state)
{
	struct tv_dist d;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 2), TV_OK);
	assert_int_equal(tv_dist_push(&d, "x", 1, (float)log(0.6)), TV_OK);
	assert_int_equal(tv_dist_push(&d, "y", 1, (float)log(0.2)), TV_OK);
	assert_int_equal(tv_dist_set_tail_mass(&d, 12, 0.2), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_false(d.tail_exact);
	assert_near(d.tail_g, 10, 0);
	/* Listed mass is 0.8 of the whole, the tail 0.02 per token. */
	assert_near(exp(d.sorted[0] - d.lse1), 0.6, 1e-7);
	assert_near(exp(d.tail_logit - d.lse1), 0.02, 1e-7);
	assert_int_equal(tv_dist_set_tail_mass(&d, 12, 1), TV_ERANGE);
	assert_int_equal(tv_dist_set_tail_mass(&d, 12, -0.1), TV_ERANGE);
	/* +inf drops the tail. */
	assert_int_equal(tv_dist_push(&d, "z", 1, INFINITY), TV_OK);
	assert_int_equal(tv_dist_set_tail_mass(&d, 12, 0.2), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_near(d.tail_g, 0, 0);
	assert_int_equal(d.n_finite, 1);
	tv_dist_free(&d);
}

/* The states count the tail but not a -inf logit, which no T can reach. */
static void
max_entropy(void **state)
{
	static const double p[] = { 0, 0.1, 0.2, 0.3, 0.4 };
	static const float one[] = { 5 };
	struct tv_dist d;

	(void)state;
	assert_int_equal(tv_dist_from_probs(&d, p, 5), TV_OK);
	assert_near(d.vocab_size, 5, 0);
	assert_near(tv_dist_states(&d), 4, 0);
	assert_near(tv_dist_max_entropy_bits(&d), 2, 0);
	tv_dist_free(&d);

	assert_int_equal(tv_dist_from_logits(&d, one, 1), TV_OK);
	assert_near(tv_dist_states(&d), 1, 0);
	assert_near(tv_dist_max_entropy_bits(&d), 0, 0);
	tv_dist_free(&d);

	assert_int_equal(tv_dist_init(&d, 2), TV_OK);
	assert_int_equal(tv_dist_push(&d, "x", 1, 1), TV_OK);
	assert_int_equal(tv_dist_push(&d, "y", 1, -INFINITY), TV_OK);
	assert_int_equal(tv_dist_set_tail_mass(&d, 1025, 0.5), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	assert_near(d.tail_g, 1023, 0);
	assert_near(tv_dist_states(&d), 1024, 0);
	assert_near(tv_dist_max_entropy_bits(&d), 10, 0);
	tv_dist_free(&d);
}

static void
meta(void **state)
{
	struct tv_dist d;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 4), TV_OK);
	assert_int_equal(tv_dist_set_meta(&d.name, "approve"), TV_OK);
	assert_string_equal(d.name, "approve");
	assert_int_equal(tv_dist_set_meta(&d.name, "other"), TV_OK);
	assert_string_equal(d.name, "other");
	assert_int_equal(tv_dist_set_meta(&d.name, NULL), TV_OK);
	assert_null(d.name);
	assert_int_equal(tv_dist_set_meta(&d.prompt, "The cat"), TV_OK);
	tv_dist_free(&d);
	assert_null(d.prompt);
	assert_string_equal(tv_status_str(TV_EEMPTY),
			    "no token can be drawn (no tokens, or every "
			    "logit is -inf or NaN)");
}

/* A copy owns all it holds and equals its source in every field read:
 * the source, its shared prompt buffer included, can go first. */
static void
copy_deep(void **state)
{
	struct tv_dist d, c;
	char *ctx = strdup("the prompt and more");
	const char *toks[] = { "b", "\x1b[2J", "", "a\0z" };
	const float lg[] = { 1.5f, -INFINITY, 2.0f, 1.5f };
	size_t len, clen;

	(void)state;
	assert_non_null(ctx);
	assert_int_equal(tv_dist_init(&d, 2), TV_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(tv_dist_push(&d, toks[i], i == 3 ? 3 : strlen(toks[i]),
					      lg[i]), TV_OK);
	assert_int_equal(tv_dist_set_tail_mass(&d, 1000, 0.25), TV_OK);
	d.tok_id = malloc(5 * sizeof *d.tok_id);
	assert_non_null(d.tok_id);
	for (int i = 0; i < 5; i++)
		d.tok_id[i] = 40 + i;
	assert_int_equal(tv_dist_set_meta(&d.note, "a note"), TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	tv_dist_share_prompt(&d, ctx, 10);
	assert_int_equal(tv_dist_copy(&c, &d), TV_OK);
	assert_int_equal(c.n, d.n);
	assert_int_equal(c.n_finite, d.n_finite);
	assert_int_equal(c.tail_pos, d.tail_pos);
	assert_true(c.tail_g == d.tail_g && c.tail_logit == d.tail_logit);
	assert_true(c.lse1 == d.lse1 && c.vocab_size == d.vocab_size);
	for (uint32_t i = 0; i < d.n; i++) {
		const char *a = tv_dist_tok(&d, i, &len), *b;
		size_t blen;

		b = tv_dist_tok(&c, i, &blen);
		assert_int_equal(len, blen);
		assert_memory_equal(a, b, len);
		assert_int_equal(c.order[i], d.order[i]);
		assert_int_equal(c.rank[i], d.rank[i]);
		assert_true(c.sorted[i] == d.sorted[i] ||
			    (isinf(c.sorted[i]) && isinf(d.sorted[i])));
		assert_int_equal(c.tok_id[i], d.tok_id[i]);
	}
	assert_ptr_not_equal(c.order, d.order);
	assert_ptr_not_equal(c.tok_id, d.tok_id);
	tv_dist_free(&d);
	free(ctx);
	assert_false(c.prompt_shared);
	assert_string_equal(tv_dist_prompt(&c, &clen), "the prompt");
	assert_int_equal(clen, 10);
	assert_string_equal(c.note, "a note");
	tv_dist_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(push_and_text),
		cmocka_unit_test(order_and_rank),
		cmocka_unit_test(order_large),
		cmocka_unit_test(lse_at_one),
		cmocka_unit_test(nan_and_inf),
		cmocka_unit_test(from_probs),
		cmocka_unit_test(tail_from_lse),
		cmocka_unit_test(tail_from_mass),
		cmocka_unit_test(max_entropy),
		cmocka_unit_test(meta),
		cmocka_unit_test(copy_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
