/* SPDX-License-Identifier: MIT */
/*
 * Generation on a listed backend (a model server's kind): the words are
 * the listed tokens through tok_id, the rest of the vocabulary is never
 * drawn, the penalties find the history's words wherever they are listed,
 * and the asynchronous mode answers TV_MODEL_PENDING until polled.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fakelm.h"
#include "lm/gen.h"
#include "lm/model.h"
#include "tempviz/history.h"

static void
defaults(struct tv_chain *c, struct tv_params *p, enum tv_profile prof)
{
	tv_params_default(p);
	tv_chain_default(c, prof);
}

/* Half the mass is in the rest; not one of 2,000 words comes from it, and
 * each word's p is renormalised over the listed. */
static void
rest_never_drawn(void **state)
{
	struct tv_model *m = listed_model();
	struct tv_gen *g = tv_gen_new(m, "the prompt", 7);
	struct tv_chain c;
	struct tv_params p;
	struct tv_error err;
	size_t seen[3] = { 0, 0, 0 };

	(void)state;
	defaults(&c, &p, TV_PROFILE_HF);
	assert_non_null(g);
	for (int i = 0; i < 2000; i++) {
		const struct tv_gen_step *s;

		assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
		s = tv_gen_at(g, tv_gen_len(g) - 1);
		assert_true(s->word >= W_A && s->word <= W_C);
		seen[s->word]++;
		/* Listed logits -1, -2, -3 over the listed only. */
		{
			double z = exp(-1.0) + exp(-2.0) + exp(-3.0);

			assert_true(fabs(s->p - exp(-1.0 - (double)(s->rank - 1)) / z) < 1e-6);
			/* The model's own p counts the rest: half of it. */
			assert_true(fabs(s->surprisal_bits + log2(0.5 * exp(-1.0 - (double)(s->rank - 1)) / z)) < 1e-5);
		}
	}
	/* Each word comes first after one of the others: all are drawn. */
	for (int w = 0; w < 3; w++)
		assert_true(seen[w] > 300);
	assert_string_equal(tv_model_sep(m), "");
	tv_gen_free(g);
	tv_model_free(m);
}

/* The penalties act on a history word at its place in this list: after
 * " b" the list is " b" first; a repetition penalty of 3 on " b" moves the
 * top token, and the edit names that token. */
static void
penalties_find_words(void **state)
{
	struct tv_model *m = listed_model();
	struct tv_gen *g = tv_gen_new(m, "the prompt", 1);
	struct tv_chain c;
	struct tv_params p;
	struct tv_error err;
	const struct tv_edit *e;
	const struct tv_dist *d;
	uint32_t n;
	int32_t first;

	(void)state;
	defaults(&c, &p, TV_PROFILE_HF);
	p.temp = 0;
	assert_non_null(g);
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	first = tv_gen_at(g, 0)->word;
	p.repeat_penalty = 3;
	d = tv_gen_dist(g, &err);
	assert_non_null(d);
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	e = tv_gen_edits(g, &n);
	assert_int_equal(n, 1);
	assert_int_equal(tv_model_tok_word(d, e[0].id), first);
	/* HF divides a positive logit and multiplies a negative one. */
	assert_true(fabsf(e[0].after - e[0].before * 3) < 1e-5f);
	tv_gen_free(g);
	tv_model_free(m);
}

/* Asynchronous: a step first asks and says so; polled, it is answered,
 * and the same step then writes its word. Undo needs no new answer. */
static void
async_pending(void **state)
{
	struct tv_model *m = listed_model();
	struct tv_gen *g;
	struct tv_chain c;
	struct tv_params p;
	struct tv_error err;

	(void)state;
	defaults(&c, &p, TV_PROFILE_LLAMACPP);
	tv_model_set_async(m, 1);
	g = tv_gen_new(m, "the prompt", 3);
	assert_non_null(g);
	assert_null(tv_gen_dist(g, &err));
	assert_true(tv_gen_pending(g));
	assert_int_equal(tv_gen_step(g, &c, &p, &err), TV_MODEL_PENDING);
	assert_int_equal(tv_gen_len(g), 0);
	assert_int_equal(tv_model_poll(m, &err), 1);
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	assert_int_equal(tv_gen_len(g), 1);
	assert_true(tv_gen_ready(g) == 0);
	assert_null(tv_gen_dist(g, &err));
	assert_true(tv_gen_pending(g));
	tv_gen_undo(g);
	assert_true(tv_gen_ready(g));
	assert_non_null(tv_gen_dist(g, &err));
	tv_gen_free(g);
	tv_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rest_never_drawn),
		cmocka_unit_test(penalties_find_words),
		cmocka_unit_test(async_pending),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
