/* SPDX-License-Identifier: MIT */
/*
 * What a step keeps and what is made of it, on the bigram by table
 * (fakelm.h): the candidates with their p, the words the penalties and
 * DRY pushed down (logit, p at T = 1 and rank, before and after) and the
 * earlier words that made them, branches picked at a word (the generator
 * where it was, mirostat's mu by the step's rule), the tree of branches
 * and its order, and mirostat's chain ignoring the penalties.
 */
#include "testutil.h"

#include "fakelm.h"
#include "lm/gen.h"
#include "lm/tree.h"
#include "tempviz/history.h"

static struct tv_gen *
lane(struct tv_model *m, uint32_t seed)
{
	struct tv_gen *g = tv_gen_new(m, "a", seed);

	assert_non_null(g);
	return g;
}

static void
steps(struct tv_gen *g, enum tv_profile prof, const struct tv_params *p,
      int n)
{
	struct tv_chain c;
	struct tv_error err;

	tv_chain_default(&c, prof);
	for (int i = 0; i < n; i++)
		assert_int_equal(tv_gen_step(g, &c, p, &err), 0);
}

static struct tv_params
greedy(void)
{
	struct tv_params p;

	tv_params_default(&p);
	p.temp = 0;
	return p;
}

static int32_t
word(const struct tv_gen *g, size_t i)
{
	return tv_gen_at(g, i)->word;
}

/* After a: b .5, c .4, </s> .1, in that order; greedy keeps b alone. */
static void
candidates(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g = lane(m, 0);
	struct tv_params p = greedy();
	const struct tv_gen_cand *c;
	uint32_t n;

	(void)state;
	steps(g, TV_PROFILE_HF, &p, 4);
	assert_int_equal(word(g, 0), F_B);
	assert_int_equal(word(g, 1), F_A);
	assert_int_equal(word(g, 2), F_B);
	assert_int_equal(word(g, 3), F_A);
	c = tv_gen_cands(g, 0, &n);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].word, F_B);
	assert_int_equal(c[1].word, F_C);
	assert_int_equal(c[2].word, F_EOS);
	assert_near(c[0].p, 1, 0);
	assert_near(c[1].p, 0, 0);
	assert_near(c[1].p_model, .4, 1e-6);
	assert_near(c[2].logit, fake_lnp(F_A, F_EOS), 0);
	/* After b the tie of a and c goes to a, the lower id. */
	c = tv_gen_cands(g, 1, &n);
	assert_int_equal(c[0].word, F_A);
	assert_int_equal(c[1].word, F_C);
	assert_null(tv_gen_cands(g, 4, &n));
	assert_int_equal(n, 0);
	tv_gen_free(g);
	tv_model_free(m);
}

/* HF's repetition penalty 2 on the history (prompt included): after b, a
 * (seen in the prompt) goes from ln .35 to 2 ln .35, p .35 -> .1225 /
 * .7725, rank 1 -> 3, and greedy writes c; after c, b (seen at word 0)
 * goes from .1 to .01 / .91. */
static void
penalties_and_causes(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g = lane(m, 0);
	struct tv_params p = greedy();
	const struct tv_gen_move *mv;
	unsigned char mark[4];
	uint32_t n;

	(void)state;
	p.repeat_penalty = 2;
	steps(g, TV_PROFILE_HF, &p, 3);
	assert_int_equal(word(g, 0), F_B);
	assert_int_equal(word(g, 1), F_C);
	assert_int_equal(word(g, 2), F_EOS);
	tv_gen_moves(g, 0, &n);
	assert_int_equal(n, 0);
	assert_int_equal(tv_gen_at(g, 0)->moved, 0);
	mv = tv_gen_moves(g, 1, &n);
	assert_int_equal(n, 1);
	assert_int_equal(tv_gen_at(g, 1)->moved, 1);
	assert_int_equal(mv[0].word, F_A);
	assert_near(mv[0].before, fake_lnp(F_B, F_A), 0);
	assert_near(mv[0].after, 2 * fake_lnp(F_B, F_A), 1e-6);
	assert_near(mv[0].p_before, .35, 1e-6);
	assert_near(mv[0].p_after, .1225 / .7725, 1e-6);
	assert_int_equal(mv[0].rank_before, 1);
	assert_int_equal(mv[0].rank_after, 3);
	assert_int_equal(mv[0].count, 1);
	assert_int_equal(mv[0].dry_len, 0);
	/* a is in the prompt, not among the words before. */
	assert_int_equal(tv_gen_causes(g, 1, 0, mark), 1);
	assert_int_equal(mark[0], 0);
	mv = tv_gen_moves(g, 2, &n);
	assert_int_equal(n, 1);
	assert_int_equal(mv[0].word, F_B);
	assert_near(mv[0].p_after, .01 / .91, 1e-6);
	assert_int_equal(tv_gen_causes(g, 2, 0, mark), 0);
	assert_int_equal(mark[0], 1);
	assert_int_equal(mark[1], 0);
	/* No such move: nothing marked. */
	assert_int_equal(tv_gen_causes(g, 2, 1, mark), 0);
	assert_int_equal(mark[0], 0);
	tv_gen_free(g);
	tv_model_free(m);
}

/* llama.cpp's window of the last 2: at word 5 (after b) only the a of
 * word 3 is in it, not the prompt's. */
static void
penalty_window(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g = lane(m, 0);
	struct tv_params p = greedy();
	const struct tv_gen_move *mv;
	unsigned char mark[5];
	uint32_t n;
	static const int32_t want[] = { F_B, F_C, F_EOS, F_A, F_B, F_C };

	(void)state;
	p.repeat_penalty = 2;
	p.repeat_last_n = 2;
	steps(g, TV_PROFILE_LLAMACPP, &p, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(word(g, i), want[i]);
	mv = tv_gen_moves(g, 5, &n);
	assert_int_equal(n, 1);
	assert_int_equal(mv[0].word, F_A);
	assert_int_equal(tv_gen_causes(g, 5, 0, mark), 0);
	assert_memory_equal(mark, ((unsigned char[]){ 0, 0, 0, 1, 0 }), 5);
	tv_gen_free(g);
	tv_model_free(m);
}

/* DRY (llama.cpp, 0.8, base 1.75, allowed 2): at word 3 the text ends
 * "a b" as it did at the start ("a" the prompt's, "b" word 0), which was
 * followed by a (word 1): a loses 0.8 and c comes instead. */
static void
dry_stretch(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g = lane(m, 0);
	struct tv_params p = greedy();
	const struct tv_gen_move *mv;
	unsigned char mark[3];
	uint32_t n;
	double e;

	(void)state;
	p.dry_multiplier = 0.8;
	steps(g, TV_PROFILE_LLAMACPP, &p, 4);
	assert_int_equal(word(g, 2), F_B);
	assert_int_equal(word(g, 3), F_C);
	mv = tv_gen_moves(g, 3, &n);
	assert_int_equal(n, 1);
	assert_int_equal(mv[0].word, F_A);
	assert_int_equal(mv[0].dry_len, 2);
	assert_near(mv[0].after, (float)((float)fake_lnp(F_B, F_A) - 0.8f), 0);
	e = exp(mv[0].after);
	assert_near(mv[0].p_after, e / (e + .35 + .3), 1e-6);
	assert_int_equal(mv[0].rank_after, 3);
	assert_int_equal(tv_gen_causes(g, 3, 0, mark), 1);
	assert_memory_equal(mark, ((unsigned char[]){ 1, 1, 0 }), 3);
	tv_gen_free(g);
	tv_model_free(m);
}

/* Picking c at word 1: the branch has b c, p 0 (greedy cut it), rank 2,
 * and goes on from c; a branch taking the word already drawn is the same
 * text with the generator where it was, so both draw alike after. */
static void
branch_at_a_word(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g = lane(m, 7), *b, *same;
	struct tv_params p = greedy();
	const struct tv_gen_step *s;

	(void)state;
	steps(g, TV_PROFILE_HF, &p, 4);
	b = tv_gen_branch(g, 1, 1);
	assert_non_null(b);
	assert_int_equal(tv_gen_len(b), 2);
	s = tv_gen_at(b, 1);
	assert_int_equal(s->word, F_C);
	assert_int_equal(s->picked, 1);
	assert_int_equal(s->rank, 2);
	assert_near(s->p, 0, 0);
	assert_near(s->surprisal_bits, -log2(.35), 1e-6);
	assert_false(tv_gen_at(b, 0)->picked);
	assert_null(tv_gen_branch(g, 4, 0));
	assert_null(tv_gen_branch(g, 1, 3));
	steps(b, TV_PROFILE_HF, &p, 2);
	assert_int_equal(word(b, 2), F_EOS);
	assert_int_equal(word(b, 3), F_A);
	/* The model's p: .5 .35 .9 .6 */
	assert_near(tv_gen_bits_per_word(b),
		    -(log2(.5) + log2(.35) + log2(.9) + log2(.6)) / 4, 1e-6);

	p.temp = 1;
	tv_gen_restart(g, 7);
	steps(g, TV_PROFILE_HF, &p, 3);
	same = tv_gen_branch(g, 2, tv_gen_at(g, 2)->rank - 1);
	assert_non_null(same);
	assert_int_equal(word(same, 2), word(g, 2));
	steps(g, TV_PROFILE_HF, &p, 12);
	steps(same, TV_PROFILE_HF, &p, 12);
	for (size_t i = 0; i < 15; i++)
		assert_int_equal(word(same, i), word(g, i));
	tv_gen_free(same);
	tv_gen_free(b);
	tv_gen_free(g);
	tv_model_free(m);
}

/* Under mirostat the branch's mu follows the picked word's p by the
 * step's tau and eta; the penalties set beside it do not run. */
static void
branch_mirostat(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g = lane(m, 3), *b;
	struct tv_params p;
	const struct tv_gen_cand *c;
	uint32_t n;

	(void)state;
	tv_params_default(&p);
	p.mirostat = 2;
	p.mirostat_tau = 1;
	p.mirostat_eta = 0.5;
	p.mirostat_mu = 4;
	p.repeat_penalty = 3;
	steps(g, TV_PROFILE_LLAMACPP, &p, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(tv_gen_at(g, i)->mirostat, 2);
		assert_int_equal(tv_gen_at(g, i)->moved, 0);
		assert_near(tv_gen_at(g, i)->tau, 1, 0);
	}
	c = tv_gen_cands(g, 1, &n);
	assert_true(n >= 2 && c[1].p > 0);
	b = tv_gen_branch(g, 1, 1);
	assert_non_null(b);
	assert_near(tv_gen_at(b, 1)->mu, tv_gen_at(g, 1)->mu, 0);
	steps(b, TV_PROFILE_LLAMACPP, &p, 1);
	assert_near(tv_gen_at(b, 2)->mu,
		    tv_gen_at(g, 1)->mu - 0.5 * (-log2(c[1].p) - 1), 1e-12);
	tv_gen_free(b);
	tv_gen_free(g);
	tv_model_free(m);
}

/* Branches made from 0 (at word 1), from 0 (at word 0) and from the
 * first branch (at word 2) are drawn 0, 1, 3, 2; a pick that repeats a
 * branch's words finds it. */
static void
tree_of_branches(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g = lane(m, 0), *keep;
	struct tv_params p = greedy();
	struct tv_tree *t;

	(void)state;
	steps(g, TV_PROFILE_HF, &p, 4);
	t = tv_tree_new(g);
	assert_non_null(t);
	assert_int_equal(tv_tree_size(t), 1);
	assert_int_equal(tv_tree_parent(t, 0), TV_TREE_NONE);
	assert_int_equal(tv_tree_branch(t, 0, 1, 1), 1);
	assert_int_equal(tv_tree_branch(t, 0, 1, 1), 1);
	assert_int_equal(tv_tree_branch(t, 0, 1, 0), 0);
	assert_int_equal(tv_tree_branch(t, 0, 0, 1), 2);
	assert_int_equal(word(tv_tree_lane(t, 2), 0), F_C);
	steps(tv_tree_lane(t, 1), TV_PROFILE_HF, &p, 2);
	assert_int_equal(tv_tree_branch(t, 1, 2, 1), 3);
	assert_int_equal(word(tv_tree_lane(t, 3), 1), F_C);
	assert_int_equal(word(tv_tree_lane(t, 3), 2), F_B);
	assert_int_equal(tv_tree_parent(t, 3), 1);
	assert_int_equal(tv_tree_fork(t, 3), 2);
	assert_int_equal(tv_tree_depth(t, 3), 2);
	assert_int_equal(tv_tree_depth(t, 2), 1);
	assert_int_equal(tv_tree_at(t, 0), 0);
	assert_int_equal(tv_tree_at(t, 1), 1);
	assert_int_equal(tv_tree_at(t, 2), 3);
	assert_int_equal(tv_tree_at(t, 3), 2);
	assert_int_equal(tv_tree_at(t, 4), TV_TREE_NONE);
	assert_int_equal(tv_tree_next(t, 3, 1), 2);
	assert_int_equal(tv_tree_next(t, 2, 1), 0);
	assert_int_equal(tv_tree_next(t, 0, -1), 2);
	assert_int_equal(tv_tree_find(t, tv_tree_lane(t, 3)), 3);
	assert_int_equal(tv_tree_find(t, NULL), TV_TREE_NONE);
	assert_int_equal(tv_tree_branch(t, 0, 9, 0), TV_TREE_NONE);
	keep = tv_tree_lane(t, 2);
	tv_tree_free(t, keep);
	assert_int_equal(word(keep, 0), F_C);
	tv_gen_free(keep);
	tv_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(candidates),
		cmocka_unit_test(penalties_and_causes),
		cmocka_unit_test(penalty_window),
		cmocka_unit_test(dry_stretch),
		cmocka_unit_test(branch_at_a_word),
		cmocka_unit_test(branch_mirostat),
		cmocka_unit_test(tree_of_branches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
