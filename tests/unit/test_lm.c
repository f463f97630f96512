/* SPDX-License-Identifier: MIT */
/*
 * The language model layer on tests/fixtures/tiny.arpa, whose numbers are
 * repeated here so that every probability is computed by hand, backoff
 * included; and on Debian's en-us model when it is installed (skipped
 * otherwise, and counted as skipped).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include "lm/gen.h"
#include "lm/model.h"
#include "testlm.h"

/* sphinxbase truncates every score to whole 1e-4-nat units (lm.md). */
#define TOL 3e-4

/* The fixture's numbers as probabilities (ARPA stores log10). */
static double
p10(double lg)
{
	return pow(10, lg);
}

/* Unigrams by word, <s> excluded (it can never come next). */
static const char *const words[] = { "</s>", "a", "the", "cat", "dog", "sat" };
static const double uni[] = { 0.2, 0.1, 0.3, 0.15, 0.15, 0.1 };
enum { NW = 6 };

/* ln p of word w after prompt, through the generator's distribution. */
static double
lnp_after(struct tv_model *m, const char *prompt, const char *w,
	  double *raw)
{
	struct tv_gen *g = tv_gen_new(m, prompt, 0);
	struct tv_error err;
	const struct tv_dist *d = tv_gen_dist(g, &err);
	double l;

	assert_non_null(d);
	l = d->logit[tv_model_find(m, w)];
	if (raw)
		*raw = tv_gen_raw_sum(g);
	tv_gen_free(g);
	return l;
}

/* Check every word after prompt against hand probabilities q (by the
 * order of words[]), renormalised here; and the raw sum. */
static void
check_dist(struct tv_model *m, const char *prompt, const double *q)
{
	double sum = 0, raw;

	for (int i = 0; i < NW; i++)
		sum += q[i];
	for (int i = 0; i < NW; i++)
		assert_float_equal(lnp_after(m, prompt, words[i], &raw),
				   log(q[i] / sum), TOL);
	assert_float_equal(raw, sum, TOL * sum);
}

static void
test_open(void **state)
{
	struct tv_model *m = model_or_skip(state);

	assert_int_equal(m->vocab, 7);
	assert_int_equal(m->order, 3);
	assert_string_equal(m->word[m->bos], "<s>");
	assert_string_equal(m->word[m->eos], "</s>");
	assert_string_equal(tv_model_word(m, m->eos), ".");
	assert_string_equal(m->name, "tiny.arpa");
	assert_int_equal(tv_model_find(m, "zebra"), -1);
	assert_int_equal(tv_model_find(m, "cat") >= 0, 1);
}

/* "the cat": the trigram "the cat sat" (0.8); every other word backs off
 * twice, bo(the cat) bo(cat) P(w). */
static void
test_trigram_and_backoff(void **state)
{
	struct tv_model *m = model_or_skip(state);
	double bo = p10(-0.2) * p10(-0.1), q[NW];

	for (int i = 0; i < NW; i++)
		q[i] = bo * uni[i];
	q[5] = p10(-0.09691);
	check_dist(m, "the cat", q);
}

/* "the dog": no trigram and "the dog" has no backoff weight (1), so the
 * bigram "dog sat" (0.3) and bo(dog) P(w) for the rest. */
static void
test_bigram_backoff(void **state)
{
	struct tv_model *m = model_or_skip(state);
	double q[NW];

	for (int i = 0; i < NW; i++)
		q[i] = p10(-0.1) * uni[i];
	q[5] = p10(-0.522879);
	check_dist(m, "the dog", q);
}

/* The history is read most recent first: "dog the" is P(w | the), with
 * the bigrams "the cat" and "the dog" (0.4 each), not P(w | the dog). */
static void
test_history_order(void **state)
{
	struct tv_model *m = model_or_skip(state);
	double q[NW];

	for (int i = 0; i < NW; i++)
		q[i] = p10(-0.30103) * uni[i];
	q[3] = q[4] = p10(-0.39794);
	check_dist(m, "dog the", q);
}

/* An empty prompt starts a sentence: P(w | <s>), bigrams "<s> the" 0.5
 * and "<s> a" 0.3, bo(<s>) = 0.5 for the rest. */
static void
test_empty_prompt(void **state)
{
	struct tv_model *m = model_or_skip(state);
	double q[NW];

	for (int i = 0; i < NW; i++)
		q[i] = p10(-0.30103) * uni[i];
	q[2] = p10(-0.30103);
	q[1] = p10(-0.522879);
	check_dist(m, "", q);
	check_dist(m, "  \t ", q);
}

/* <s> can never come next: -inf, and so p 0, in every context. */
static void
test_bos_masked(void **state)
{
	struct tv_model *m = model_or_skip(state);
	const char *prompts[] = { "", "the", "the cat", "zebra", "sat ." };

	for (size_t i = 0; i < sizeof prompts / sizeof *prompts; i++)
		assert_true(isinf(lnp_after(m, prompts[i], "<s>", NULL)));
}

/* Every context sums to 1 after renormalising. */
static void
test_normalised(void **state)
{
	struct tv_model *m = model_or_skip(state);
	const char *prompts[] = { "", "a", "the", "the cat", "cat sat", "x y" };
	struct tv_error err;

	for (size_t i = 0; i < sizeof prompts / sizeof *prompts; i++) {
		struct tv_gen *g = tv_gen_new(m, prompts[i], 0);
		const struct tv_dist *d = tv_gen_dist(g, &err);
		double s = 0;

		for (uint32_t k = 0; k < d->n; k++)
			s += exp(d->logit[k]);
		assert_float_equal(s, 1, 1e-6);
		assert_float_equal(d->lse1, 0, 1e-6);
		tv_gen_free(g);
	}
}

/* Unknown words are reported and cut the context: "the zebra cat" reads
 * only "cat" (P(w | cat): "cat sat" 0.6, bo(cat) P(w) for the rest). */
static void
test_unknown_words(void **state)
{
	struct tv_model *m = model_or_skip(state);
	struct tv_gen *g = tv_gen_new(m, "The ZEBRA cat, okapi!", 0);
	char out[64];
	int32_t ids[8];
	double q[NW];

	assert_string_equal(tv_gen_unknown(g), "zebra okapi");
	tv_gen_free(g);
	assert_int_equal(tv_model_unknown(m, "the cat sat", out, sizeof out), 0);
	assert_string_equal(out, "");
	/* "okapi!" is unknown and ends a sentence: -1 </s> <s>. */
	assert_int_equal(tv_model_tokenize(m, "The zebra cat, okapi!", ids, 8), 6);
	assert_int_equal(ids[0], tv_model_find(m, "the"));
	assert_int_equal(ids[1], -1);
	assert_int_equal(ids[2], tv_model_find(m, "cat"));
	assert_int_equal(ids[3], -1);
	assert_int_equal(ids[4], m->eos);
	assert_int_equal(ids[5], m->bos);
	for (int i = 0; i < NW; i++)
		q[i] = p10(-0.1) * uni[i];
	q[5] = p10(-0.221849);
	check_dist(m, "the zebra cat", q);
}

/* "." ends a sentence: the next word reads "</s> <s>", which backs off
 * to P(w | <s>) as an empty prompt does. */
static void
test_sentence_end(void **state)
{
	struct tv_model *m = model_or_skip(state);
	int32_t ids[8];

	assert_int_equal(tv_model_tokenize(m, "cat sat. the", ids, 8), 5);
	assert_int_equal(ids[2], m->eos);
	assert_int_equal(ids[3], m->bos);
	assert_float_equal(lnp_after(m, "the cat sat .", "the", NULL),
			   lnp_after(m, "", "the", NULL), 1e-6);
	/* Only cap ids are stored; the count is still the whole. */
	assert_int_equal(tv_model_tokenize(m, "a a a a a a a a a a", ids, 3), 10);
}

/* Greedy generation is the argmax path, recomputed from the logits of
 * each context; and it falls into a loop, which is reported. */
static void
test_greedy_argmax(void **state)
{
	struct tv_model *m = model_or_skip(state);
	struct tv_gen *g = tv_gen_new(m, "the", 1);
	int32_t ctx[64] = { m->bos, tv_model_find(m, "the") };
	size_t n = 2;
	struct tv_params p;
	struct tv_chain c;
	struct tv_error err;

	tv_params_default(&p);
	p.temp = 0;
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	for (int i = 0; i < 12; i++) {
		const float *l = tv_model_logits(m, ctx, n, NULL, &err);
		int32_t best = 0;

		for (uint32_t w = 1; w < m->vocab; w++)
			best = l[w] > l[best] ? (int32_t)w : best;
		assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
		assert_int_equal(tv_gen_at(g, (size_t)i)->word, best);
		assert_int_equal(tv_gen_at(g, (size_t)i)->rank, 1);
		assert_float_equal(tv_gen_at(g, (size_t)i)->p, 1, 0);
		ctx[n++] = best;
		if (best == m->eos)
			ctx[n++] = m->bos;
	}
	/* the -> cat sat . the cat sat . ...: every 4 words from the first. */
	assert_int_equal(tv_gen_at(g, 0)->word, tv_model_find(m, "cat"));
	assert_int_equal(tv_gen_loop(g), 4);
	assert_int_equal(tv_gen_loop_from(g), 0);
	tv_gen_free(g);
}

static void
run_words(struct tv_gen *g, double temp, int n, int32_t *out)
{
	struct tv_params p;
	struct tv_chain c;
	struct tv_error err;

	tv_params_default(&p);
	p.temp = temp;
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	for (int i = 0; i < n; i++)
		assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	for (int i = 0; i < n && out; i++)
		out[i] = tv_gen_at(g, tv_gen_len(g) - (size_t)n + (size_t)i)->word;
}

/* The loop by its definition, recomputed from the words: the smallest
 * period L whose repetition covers the last max(2 L, 6) words or more. */
static void
brute_loop(const struct tv_gen *g, size_t *period, size_t *from)
{
	size_t n = tv_gen_len(g);

	*period = *from = 0;
	for (size_t L = 1; L <= 64 && 2 * L <= n; L++) {
		size_t run = 0;

		while (run + L < n && tv_gen_at(g, n - 1 - run)->word ==
		       tv_gen_at(g, n - 1 - run - L)->word)
			run++;
		if (run + L >= (2 * L > 6 ? 2 * L : 6)) {
			*period = L;
			*from = n - run - L;
			return;
		}
	}
}

/* The loop reported after every step and undo, at temperatures that loop
 * for good, now and then, and never, is the one the definition gives. */
static void
test_loop_every_step(void **state)
{
	struct tv_model *m = model_or_skip(state);
	const double temps[] = { 0, 0.3, 0.6, 1, 2 };

	for (size_t t = 0; t < sizeof temps / sizeof *temps; t++) {
		struct tv_gen *g = tv_gen_new(m, "the", (uint32_t)t);
		size_t period, from;

		for (int i = 0; i < 400; i++) {
			run_words(g, temps[t], 1, NULL);
			if (i % 7 == 6)
				tv_gen_undo(g);
			brute_loop(g, &period, &from);
			assert_int_equal(tv_gen_loop(g), period);
			assert_int_equal(tv_gen_loop_from(g), from);
		}
		tv_gen_free(g);
	}
}

/* Same seed and dials, same words; undo and restart return the lane to
 * where it was, generator included. */
static void
test_seeded(void **state)
{
	struct tv_model *m = model_or_skip(state);
	struct tv_gen *a = tv_gen_new(m, "a", 42), *b = tv_gen_new(m, "a", 42);
	struct tv_gen *c = tv_gen_new(m, "a", 43);
	int32_t wa[40], wb[40], wc[40];

	run_words(a, 1.5, 40, wa);
	run_words(b, 1.5, 40, wb);
	run_words(c, 1.5, 40, wc);
	assert_memory_equal(wa, wb, sizeof wa);
	assert_memory_not_equal(wa, wc, sizeof wa);
	for (int i = 0; i < 15; i++)
		tv_gen_undo(b);
	assert_int_equal(tv_gen_len(b), 25);
	run_words(b, 1.5, 15, wb + 25);
	assert_memory_equal(wa, wb, sizeof wa);
	tv_gen_restart(b, 42);
	assert_int_equal(tv_gen_len(b), 0);
	run_words(b, 1.5, 40, wb);
	assert_memory_equal(wa, wb, sizeof wa);
	tv_gen_free(a);
	tv_gen_free(b);
	tv_gen_free(c);
}

/* What a step records, by hand: after "the cat" at T = 1 with top-k 1,
 * "sat" is drawn with p 1 out of 1 kept; its surprisal is the model's
 * own -log2 p. */
static void
test_step_record(void **state)
{
	struct tv_model *m = model_or_skip(state);
	struct tv_gen *g = tv_gen_new(m, "the cat", 7);
	struct tv_params p;
	struct tv_chain c;
	struct tv_error err;
	const struct tv_gen_step *s;
	double sum = p10(-0.09691) + p10(-0.2) * p10(-0.1) * 0.9;

	tv_params_default(&p);
	p.top_k = 1;
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	assert_int_equal(tv_gen_step(g, &c, &p, &err), 0);
	s = tv_gen_at(g, 0);
	assert_int_equal(s->word, tv_model_find(m, "sat"));
	assert_float_equal(s->p, 1, 1e-12);
	assert_int_equal(s->kept, 1);
	assert_float_equal(s->entropy_bits, 0, 1e-12);
	assert_float_equal(s->surprisal_bits, -log2(p10(-0.09691) / sum), 1e-3);
	assert_float_equal(tv_gen_bits_per_word(g), s->surprisal_bits, 1e-12);
	tv_gen_free(g);
}

/* A dial change on the current context costs no scoring: the cache
 * answers, for the lane and for a second lane on the same context. */
static int scored;
static int (*real_logits)(struct tv_model *, const int32_t *, size_t,
			  float *, double *, struct tv_error *);

static int
counting_logits(struct tv_model *m, const int32_t *ctx, size_t n,
		float *out, double *raw, struct tv_error *err)
{
	scored++;
	return real_logits(m, ctx, n, out, raw, err);
}

static void
test_cache(void **state)
{
	struct tv_model *m = model_or_skip(state);
	const struct tv_model_ops *ops = m->ops;
	struct tv_model_ops counting = *ops;
	struct tv_gen *a, *b;
	struct tv_error err;
	const struct tv_dist *d1;

	real_logits = ops->logits;
	counting.logits = counting_logits;
	m->ops = &counting;
	scored = 0;
	a = tv_gen_new(m, "the dog", 1);
	b = tv_gen_new(m, "a the dog", 2);
	d1 = tv_gen_dist(a, &err);
	assert_ptr_equal(tv_gen_dist(a, &err), d1);
	assert_non_null(tv_gen_dist(b, &err));
	assert_int_equal(scored, 1);
	/* A new context is scored once; undo returns to a cached one. */
	run_words(a, 0, 1, NULL);
	assert_non_null(tv_gen_dist(a, &err));
	tv_gen_undo(a);
	assert_non_null(tv_gen_dist(a, &err));
	tv_gen_free(a);
	tv_gen_free(b);
	m->ops = ops;
	assert_int_equal(scored, 2);
}

/* A very long prompt: every word read, the model reads the last two. */
static void
test_long_prompt(void **state)
{
	struct tv_model *m = model_or_skip(state);
	size_t n = 10000;
	char *text = malloc(n * 4 + 1);
	struct tv_gen *g;

	for (size_t i = 0; i < n; i++)
		memcpy(text + 4 * i, i % 2 ? "cat " : "the ", 4);
	text[4 * n] = '\0';
	assert_int_equal(tv_model_tokenize(m, text, NULL, 0), n);
	g = tv_gen_new(m, text, 0);
	assert_non_null(g);
	assert_float_equal(lnp_after(m, text, "sat", NULL),
			   lnp_after(m, "the cat", "sat", NULL), 0);
	tv_gen_free(g);
	free(text);
}

static void
expect_open_fails(const char *path, const char *says)
{
	struct tv_model *m = (struct tv_model *)1;
	struct tv_error err;

	assert_int_equal(tv_model_open(path, &m, &err), TV_EXIT_DATA);
	assert_null(m);
	assert_non_null(strstr(err.msg, says));
	assert_null(strchr(err.msg, '\n'));
}

/* Missing, a directory, not a model, truncated: one line each. */
static void
test_bad_models(void **state)
{
	FILE *f;
	char buf[400];
	size_t len;

	if (!model_or_skip(state))
		return;
	expect_open_fails("tests/fixtures/no-such.arpa", "no such language model");
	expect_open_fails("tests/fixtures", "is a directory");
	expect_open_fails("tests/cli/tricky.tsv", "not a language model");
	expect_open_fails("tests/fixtures/tiny_truncated.arpa",
			  "truncated or corrupt");
	/* Cut inside the bigrams: sphinxbase would crash on it. */
	f = fopen(ARPA, "rb");
	len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	f = fopen("/tmp/tempviz-test-lm.arpa", "wb");
	fwrite(buf, 1, len, f);
	fputs("\n\\end\\\n", f);
	fclose(f);
	expect_open_fails("/tmp/tempviz-test-lm.arpa", "announces 7 2-grams");
	unlink("/tmp/tempviz-test-lm.arpa");
	/* A trie header alone, or one announcing more words than follow. */
	for (int i = 0; i < 2; i++) {
		f = fopen("/tmp/tempviz-test-lm.bin", "wb");
		fputs("Trie Language Model", f);
		if (i)
			fwrite("\003\377\377\377\177words\0", 1, 11, f);
		fclose(f);
		expect_open_fails("/tmp/tempviz-test-lm.bin", "word list");
	}
	unlink("/tmp/tempviz-test-lm.bin");
}

/* Every prefix of the fixture, cut at each byte: refused with one line
 * (sphinxbase itself would crash on some), until the cut falls after
 * \end\ and the model is whole. */
static void
test_every_truncation(void **state)
{
	const char *tmp = "/tmp/tempviz-test-cut.arpa";
	FILE *f;
	char buf[2048];
	size_t len, whole;

	if (!model_or_skip(state))
		return;
	f = fopen(ARPA, "rb");
	len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	whole = (size_t)(strstr(buf, "\\end\\") - buf) + 5;
	for (size_t cut = 0; cut <= len; cut++) {
		struct tv_model *m;
		struct tv_error err;
		int rc;

		f = fopen(tmp, "wb");
		fwrite(buf, 1, cut, f);
		fclose(f);
		rc = tv_model_open(tmp, &m, &err);
		if (cut >= whole) {
			assert_int_equal(rc, TV_EXIT_OK);
			assert_int_equal(m->vocab, 7);
			tv_model_free(m);
		} else {
			assert_int_equal(rc, TV_EXIT_DATA);
			assert_null(m);
			assert_null(strchr(err.msg, '\n'));
			assert_non_null(strstr(err.msg, tmp));
		}
	}
	unlink(tmp);
}

static void
test_default_path(void **state)
{
	(void)state;
	setenv("TEMPVIZ_LM", "/x/y.lm", 1);
	assert_string_equal(tv_model_default_path(NULL), "/x/y.lm");
	assert_string_equal(tv_model_default_path("a.arpa"), "a.arpa");
	setenv("TEMPVIZ_LM", "", 1);
	assert_string_equal(tv_model_default_path(NULL), TV_LM_DEBIAN_PATH);
	unsetenv("TEMPVIZ_LM");
	assert_string_equal(tv_model_default_path(NULL), TV_LM_DEBIAN_PATH);
}

/* ------------------------------------------------ the Debian model --- */

static struct tv_model *
open_debian(void)
{
	struct tv_model *m = NULL;
	struct tv_error err;

	if (!tv_model_available() || access(TV_LM_DEBIAN_PATH, R_OK) != 0)
		return NULL;
	assert_int_equal(tv_model_open(TV_LM_DEBIAN_PATH, &m, &err), TV_EXIT_OK);
	return m;
}

/* lm.md's measured figures: "once upon a" -> time .565 (raw), the raw
 * sum within 1.4e-4 of 1, 72,547 words. */
static void
test_debian_model(void **state)
{
	struct tv_model *m = open_debian();
	double raw, l;

	(void)state;
	if (!m)
		skip();
	assert_int_equal(m->vocab, 72547);
	assert_int_equal(m->order, 3);
	l = lnp_after(m, "Once upon a", "time", &raw);
	assert_float_equal(exp(l) * raw, 0.565, 5e-4);
	assert_float_equal(raw, 1, 1.5e-4);
	assert_true(isinf(lnp_after(m, "once upon a", "<s>", NULL)));
	tv_model_free(m);
}

/* The greedy loop lm.md shows after "the capital of france is". */
static void
test_debian_greedy_loop(void **state)
{
	struct tv_model *m = open_debian();
	struct tv_gen *g;

	(void)state;
	if (!m)
		skip();
	g = tv_gen_new(m, "the capital of france is", 1);
	run_words(g, 0, 30, NULL);
	assert_int_equal(tv_gen_at(g, 0)->word, tv_model_find(m, "a"));
	assert_int_equal(tv_gen_loop(g), 6);
	tv_gen_free(g);
	tv_model_free(m);
}

/* The first len bytes of the real model into tmp. */
static void
copy_prefix(const char *tmp, size_t len)
{
	FILE *in = fopen(TV_LM_DEBIAN_PATH, "rb"), *out = fopen(tmp, "wb");
	char *buf = malloc(1 << 20);
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while (len > 0 && (n = fread(buf, 1, len < (1 << 20) ? len : 1 << 20, in))) {
		fwrite(buf, 1, n, out);
		len -= n;
	}
	fclose(in);
	fclose(out);
	free(buf);
}

/* A truncated copy of the real model loads in sphinxbase (1 MB of it, as
 * lm.md found) or makes it read past its buffer (a few bytes short); the
 * checks refuse both, whole or cut in the word list. */
static void
test_debian_truncated(void **state)
{
	const char *tmp = "/tmp/tempviz-test-lm.bin";
	struct stat sb;
	/* In the header, the trie, the word list (the last 600 kB or so). */
	size_t cut[12] = { 1, 19, 22, 100, 1 << 20, 10000000, 20000000 };
	const size_t from_end[] = { 600000, 100000, 1000, 5, 1 };

	(void)state;
	if (!tv_model_available() || stat(TV_LM_DEBIAN_PATH, &sb) != 0)
		skip();
	for (size_t i = 0; i < 5; i++)
		cut[7 + i] = (size_t)sb.st_size - from_end[i];
	for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
		copy_prefix(tmp, cut[i]);
		/* Shorter than the magic, it is no model of any kind. */
		expect_open_fails(tmp, cut[i] < 19 ? "not a language model" :
				  "truncated or corrupt");
	}
	unlink(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_trigram_and_backoff),
		cmocka_unit_test(test_bigram_backoff),
		cmocka_unit_test(test_history_order),
		cmocka_unit_test(test_empty_prompt),
		cmocka_unit_test(test_bos_masked),
		cmocka_unit_test(test_normalised),
		cmocka_unit_test(test_unknown_words),
		cmocka_unit_test(test_sentence_end),
		cmocka_unit_test(test_greedy_argmax),
		cmocka_unit_test(test_loop_every_step),
		cmocka_unit_test(test_seeded),
		cmocka_unit_test(test_step_record),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_long_prompt),
		cmocka_unit_test(test_bad_models),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_debian_model),
		cmocka_unit_test(test_debian_greedy_loop),
		cmocka_unit_test(test_debian_truncated),
	};

	return cmocka_run_group_tests(tests, lm_setup, lm_teardown);
}
