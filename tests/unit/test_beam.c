/* SPDX-License-Identifier: MIT */
/*
 * Beam search on the bigram by table (fakelm.h), each step worked by hand
 * from HF's rule: the first 2 B continuations over all beams, a </s>
 * among the first B finishing a hypothesis scored sum / len^alpha, done
 * when B are finished and the worst beats the best candidate's score.
 * Then a listed model that answers asynchronously: a step waits, and goes
 * on where it stopped.
 */
#include "testutil.h"

#include "fakelm.h"
#include "lm/beam.h"
#include "lm/gen.h"

/* The words of h as a string of letters ("bc." for b c </s>). */
static const char *
spell(const struct tv_beam *b, const struct tv_beam_hyp *h)
{
	static char buf[64];
	int32_t w[32];
	size_t i;

	assert_true(h->n < sizeof w / sizeof *w);
	tv_beam_words(b, h, w);
	for (i = 0; i < h->n; i++)
		buf[i] = w[i] == F_EOS ? '.' : (char)('a' + w[i] - F_A);
	buf[i] = '\0';
	return buf;
}

static struct tv_beam *
search(struct tv_model *m, struct tv_gen **g, uint32_t width, double alpha)
{
	struct tv_beam *b;

	*g = tv_gen_new(m, "a", 0);
	assert_non_null(*g);
	b = tv_beam_new(*g, width, alpha);
	assert_non_null(b);
	return b;
}

static void
step(struct tv_beam *b)
{
	struct tv_error err;

	assert_int_equal(tv_beam_step(b, &err), 0);
}

/* alpha 0: the sums alone. Step 1 keeps b and c (the </s> ranks third,
 * past B = 2); step 2 finishes "c ." (.36) and runs "ba", "bc" (.175
 * each; "b ." at .15 is not needed); step 3 finishes "bc ." (.1575),
 * which ties the best candidate's sum: done, and "c ." wins. */
static void
width_two_sums(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g;
	struct tv_beam *b = search(m, &g, 2, 0);
	const struct tv_beam_hyp *h;
	struct tv_beam_hyp best;
	size_t n;

	(void)state;
	assert_int_equal(tv_beam_best(b, &best), 0);
	step(b);
	h = tv_beam_running(b, &n);
	assert_int_equal(n, 2);
	assert_string_equal(spell(b, &h[0]), "b");
	assert_string_equal(spell(b, &h[1]), "c");
	assert_near(h[0].sum, fake_lnp(F_A, F_B), 1e-6);
	assert_near(h[1].sum, fake_lnp(F_A, F_C), 1e-6);
	tv_beam_finished(b, &n);
	assert_int_equal(n, 0);

	step(b);
	h = tv_beam_running(b, &n);
	assert_int_equal(n, 2);
	assert_string_equal(spell(b, &h[0]), "ba");
	assert_string_equal(spell(b, &h[1]), "bc");
	assert_near(h[1].sum, log(.5 * .35), 1e-6);
	h = tv_beam_finished(b, &n);
	assert_int_equal(n, 1);
	assert_string_equal(spell(b, &h[0]), "c.");
	assert_near(h[0].sum, log(.36), 1e-6);
	assert_near(h[0].score, log(.36), 1e-6);
	assert_false(tv_beam_done(b));

	step(b);
	assert_true(tv_beam_done(b));
	h = tv_beam_finished(b, &n);
	assert_int_equal(n, 2);
	assert_string_equal(spell(b, &h[1]), "bc.");
	assert_near(h[1].sum, log(.5 * .35 * .9), 1e-6);
	h = tv_beam_running(b, &n);
	assert_string_equal(spell(b, &h[0]), "bab");
	assert_string_equal(spell(b, &h[1]), "bac");
	assert_int_equal(tv_beam_best(b, &best), 1);
	assert_string_equal(spell(b, &best), "c.");
	assert_near(tv_beam_logp(b, &best, 1), fake_lnp(F_C, F_EOS), 1e-6);
	/* Done: another step changes nothing. */
	step(b);
	assert_int_equal(tv_beam_len(b), 3);
	tv_beam_free(b);
	tv_gen_free(g);
	tv_model_free(m);
}

/* alpha 2 divides by len^2: "bc ." (ln .1575 / 9) beats "c ."
 * (ln .36 / 4), the search is not done at step 3, and step 4 finishes
 * "bac ." (ln .063 / 16), best of all. Undo returns to step 3 exactly. */
static void
length_penalty_two(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g;
	struct tv_beam *b = search(m, &g, 2, 2);
	const struct tv_beam_hyp *h;
	struct tv_beam_hyp best;
	size_t n;

	(void)state;
	for (int i = 0; i < 3; i++)
		step(b);
	assert_false(tv_beam_done(b));
	h = tv_beam_finished(b, &n);
	assert_int_equal(n, 2);
	assert_string_equal(spell(b, &h[0]), "bc.");
	assert_near(h[0].score, log(.1575) / 9, 1e-6);
	assert_string_equal(spell(b, &h[1]), "c.");
	assert_near(h[1].score, log(.36) / 4, 1e-6);

	step(b);
	h = tv_beam_finished(b, &n);
	assert_string_equal(spell(b, &h[0]), "bac.");
	assert_near(h[0].score, log(.5 * .35 * .4 * .9) / 16, 1e-6);
	assert_string_equal(spell(b, &h[1]), "bc.");
	h = tv_beam_running(b, &n);
	assert_string_equal(spell(b, &h[0]), "baba");
	assert_string_equal(spell(b, &h[1]), "babc");
	/* Not done, so what it returns counts the running beams too: "baba"
	 * scores ln .030625 / 16 = -0.2180, below "bac ." at -0.1729. */
	assert_int_equal(tv_beam_best(b, &best), 1);
	assert_string_equal(spell(b, &best), "bac.");

	tv_beam_undo(b);
	assert_int_equal(tv_beam_len(b), 3);
	h = tv_beam_finished(b, &n);
	assert_string_equal(spell(b, &h[0]), "bc.");
	step(b);
	h = tv_beam_finished(b, &n);
	assert_string_equal(spell(b, &h[0]), "bac.");
	tv_beam_restart(b);
	assert_int_equal(tv_beam_len(b), 0);
	tv_beam_running(b, &n);
	assert_int_equal(n, 0);
	tv_beam_free(b);
	tv_gen_free(g);
	tv_model_free(m);
}

/* Width 1 is greedy on the sums: b, then a (the tie with c goes to the
 * lower id), and its </s> never ranks first. */
static void
width_one_is_greedy(void **state)
{
	struct tv_model *m = fake_table();
	struct tv_gen *g;
	struct tv_beam *b = search(m, &g, 1, 1);
	const struct tv_beam_hyp *h;
	size_t n;

	(void)state;
	for (int i = 0; i < 4; i++)
		step(b);
	h = tv_beam_running(b, &n);
	assert_int_equal(n, 1);
	assert_string_equal(spell(b, &h[0]), "baba");
	assert_near(h[0].sum, 2 * log(.5 * .35), 1e-6);
	tv_beam_finished(b, &n);
	assert_int_equal(n, 0);
	tv_beam_free(b);
	tv_gen_free(g);
	tv_model_free(m);
}

/* ln p of the word at place i of the listed fake's list: its logit
 * -(i + 1), scaled so that the listed hold half. */
static double
listed_lnp(int i)
{
	double mass = exp(-1.0) + exp(-2.0) + exp(-3.0);

	return (double)(float)((float)(-i - 1) + (float)log(0.5 / mass));
}

/* The listed fake (no </s>) answering each new context only once polled:
 * the second step of two beams waits twice, then is made. After a the
 * list is a b c, after b it is b c a: "a a" leads, and "a b" ties "b b"
 * (ln p of places 0 and 1 both), where the earlier beam goes first. */
static void
asynchronous_step(void **state)
{
	struct tv_model *m = listed_model();
	struct tv_gen *g;
	struct tv_beam *b;
	struct tv_error err;
	const struct tv_beam_hyp *h;
	int32_t w[2];
	size_t n;

	(void)state;
	tv_model_set_async(m, 1);
	g = tv_gen_new(m, "the prompt", 0);
	assert_non_null(g);
	b = tv_beam_new(g, 2, 1);
	assert_non_null(b);
	assert_int_equal(tv_beam_step(b, &err), TV_MODEL_PENDING);
	assert_int_equal(tv_model_poll(m, &err), 1);
	assert_int_equal(tv_beam_step(b, &err), 0);
	assert_int_equal(tv_beam_step(b, &err), TV_MODEL_PENDING);
	assert_int_equal(tv_model_poll(m, &err), 1);
	assert_int_equal(tv_beam_step(b, &err), TV_MODEL_PENDING);
	assert_int_equal(tv_beam_len(b), 1);
	assert_int_equal(tv_model_poll(m, &err), 1);
	assert_int_equal(tv_beam_step(b, &err), 0);
	assert_int_equal(tv_beam_len(b), 2);
	h = tv_beam_running(b, &n);
	assert_int_equal(n, 2);
	assert_near(h[0].sum, 2 * listed_lnp(0), 1e-6);
	assert_near(h[1].sum, listed_lnp(0) + listed_lnp(1), 1e-6);
	tv_beam_words(b, &h[0], w);
	assert_int_equal(w[0], W_A);
	assert_int_equal(w[1], W_A);
	tv_beam_words(b, &h[1], w);
	assert_int_equal(w[0], W_A);
	assert_int_equal(w[1], W_B);
	tv_beam_finished(b, &n);
	assert_int_equal(n, 0);
	tv_beam_free(b);
	tv_gen_free(g);
	tv_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(width_two_sums),
		cmocka_unit_test(length_penalty_two),
		cmocka_unit_test(width_one_is_greedy),
		cmocka_unit_test(asynchronous_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
