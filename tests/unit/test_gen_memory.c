/* SPDX-License-Identifier: MIT */
/*
 * Generation with samplers with memory, on the hand-written trigram: the
 * penalties and DRY see the prompt and the words so far and break the
 * greedy loop, the lane's cached distribution stays the model's, and
 * mirostat's mu follows its update and comes back with undo.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "lm/gen.h"
#include "lm/model.h"
#include "tempviz/history.h"
#include "testlm.h"

/* n greedy words from "the cat" under llama.cpp's rules and p. */
static struct tv_gen *
greedy(struct tv_model *m, const struct tv_params *p, int n)
{
	struct tv_gen *g = tv_gen_new(m, "the cat", 0);
	struct tv_chain c;
	struct tv_error err;

	assert_non_null(g);
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	for (int i = 0; i < n; i++)
		assert_int_equal(tv_gen_step(g, &c, p, &err), 0);
	return g;
}

static void
penalties_break_the_loop(void **state)
{
	struct tv_model *m = model_or_skip(state);
	struct tv_params p;
	struct tv_gen *plain, *pen, *dry, *fresh;
	char text[256];
	const struct tv_edit *e;
	const struct tv_dist *a, *b;
	struct tv_error err;
	uint32_t n;

	tv_params_default(&p);
	p.temp = 0;
	plain = greedy(m, &p, 16);
	assert_int_equal(tv_gen_loop(plain), 4);
	p.repeat_penalty = 1.3;
	p.freq_penalty = 0.3;
	pen = greedy(m, &p, 16);
	assert_int_equal(tv_gen_loop(pen), 0);
	/* The last step moved words of the history, and only those. */
	e = tv_gen_edits(pen, &n);
	assert_true(n > 0);
	for (uint32_t i = 0; i < n; i++)
		assert_true(e[i].after < e[i].before);
	tv_params_default(&p);
	p.temp = 0;
	p.dry_multiplier = 0.8;
	dry = greedy(m, &p, 16);
	assert_int_equal(tv_gen_loop(dry), 0);
	/* After one undo the lane's cached distribution is the one its last
	 * step penalised: put back, it equals a fresh lane's at that
	 * context. */
	tv_gen_undo(pen);
	a = tv_gen_dist(pen, &err);
	text[0] = '\0';
	strcat(text, "the cat");
	for (size_t i = 0; i < tv_gen_len(pen); i++) {
		int32_t w = tv_gen_at(pen, i)->word;

		strcat(text, " ");
		strcat(text, w == tv_model_find(m, "</s>") ? "." :
			     tv_model_word(m, w));
	}
	fresh = tv_gen_new(m, text, 0);
	b = tv_gen_dist(fresh, &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->n, b->n);
	assert_memory_equal(a->logit, b->logit, a->n * sizeof *a->logit);
	assert_memory_equal(a->order, b->order, a->n * sizeof *a->order);
	assert_float_equal(a->lse1, b->lse1, 0);
	tv_gen_free(fresh);
	tv_gen_free(plain);
	tv_gen_free(pen);
	tv_gen_free(dry);
}

static void
mirostat_mu_per_lane(void **state)
{
	struct tv_model *m = model_or_skip(state);
	struct tv_params p;
	struct tv_chain c;
	struct tv_error err;
	struct tv_gen *g = tv_gen_new(m, "the", 4);
	int32_t word;
	double mu;

	tv_params_default(&p);
	p.mirostat = 2;
	p.mirostat_tau = 1.5;
	p.mirostat_mu = 3;
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	for (int i = 0; i < 6; i++)
		assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	assert_float_equal(tv_gen_at(g, 0)->mu, 3, 0);
	for (size_t i = 0; i + 1 < 6; i++) {
		const struct tv_gen_step *s = tv_gen_at(g, i);

		assert_float_equal(tv_gen_at(g, i + 1)->mu,
				   tv_mirostat_update(&p, s->mu, s->p), 1e-12);
	}
	/* Undo takes the last word and its draw back, mu with them. */
	word = tv_gen_at(g, 5)->word;
	mu = tv_gen_at(g, 5)->mu;
	tv_gen_undo(g);
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	assert_int_equal(tv_gen_at(g, 5)->word, word);
	assert_float_equal(tv_gen_at(g, 5)->mu, mu, 0);
	/* A restart begins at the caller's mu again. */
	tv_gen_restart(g, 4);
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	assert_float_equal(tv_gen_at(g, 0)->mu, 3, 0);
	tv_gen_free(g);
}

/* Smoothing reaches generation too, and is put back after each step. */
static void
smoothing_per_step(void **state)
{
	struct tv_model *m = model_or_skip(state);
	struct tv_params p;
	struct tv_chain c;
	struct tv_error err;
	struct tv_gen *g = tv_gen_new(m, "the", 0), *f;
	const struct tv_dist *a, *b;

	tv_params_default(&p);
	p.temp = 0;
	tv_chain_default(&c, TV_PROFILE_HF);
	/* Greedy keeps the top word whatever smoothing does below it: the
	 * same first word, and the cache holds the model's distribution. */
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	p.smoothing_factor = 2;
	p.smoothing_curve = 3;
	tv_gen_undo(g);
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	assert_int_equal(tv_gen_at(g, 0)->word, tv_model_find(m, "cat"));
	tv_gen_undo(g);
	a = tv_gen_dist(g, &err);
	f = tv_gen_new(m, "the", 0);
	b = tv_gen_dist(f, &err);
	assert_memory_equal(a->logit, b->logit, a->n * sizeof *a->logit);
	assert_memory_equal(a->order, b->order, a->n * sizeof *a->order);
	tv_gen_free(f);
	tv_gen_free(g);
}

/* vLLM's presence penalty reads the output only, and a prompt word the
 * model does not know is no history: after "zebra the cat" (zebra
 * unknown) the first word written is output, so at the next step it is
 * pushed down by the presence penalty, exactly 2. */
static void
output_starts_after_the_known_prompt(void **state)
{
	struct tv_model *m = model_or_skip(state);
	struct tv_gen *g = tv_gen_new(m, "zebra the cat", 0);
	struct tv_params p;
	struct tv_chain c;
	struct tv_error err;
	const struct tv_edit *e;
	int32_t first;
	uint32_t n;

	assert_non_null(g);
	tv_params_default(&p);
	p.temp = 0;
	p.presence_penalty = 2;
	tv_chain_default(&c, TV_PROFILE_VLLM);
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	/* The prompt's words are not output: nothing moved. */
	tv_gen_edits(g, &n);
	assert_int_equal(n, 0);
	first = tv_gen_at(g, 0)->word;
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	e = tv_gen_edits(g, &n);
	assert_int_equal(n, 1);
	assert_int_equal(tv_model_tok_word(tv_gen_dist(g, &err), e[0].id),
			 first);
	assert_float_equal(e[0].after - e[0].before, -2, 1e-6);
	tv_gen_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(penalties_break_the_loop),
		cmocka_unit_test(mirostat_mu_per_lane),
		cmocka_unit_test(smoothing_per_step),
		cmocka_unit_test(output_starts_after_the_known_prompt),
	};

	return cmocka_run_group_tests(tests, lm_setup, lm_teardown);
}
