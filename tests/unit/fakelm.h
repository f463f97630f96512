/* SPDX-License-Identifier: MIT */
/*
 * A bigram by table for the tests of branches and beams: five words,
 * each next word's p written out, so that every sum of ln p a test
 * checks is a product of these numbers.
 *
 *   after <s>:  a .6   b .2   c .2
 *   after a:    b .5   c .4   </s> .1
 *   after b:    a .35  c .35  </s> .3
 *   after c:    </s> .9   b .1
 *   after </s>: as after <s>
 *
 * Greedy from "a" goes round b a b a (a before c at a tie: the lower
 * id); beam search finds "c ." (p .36) at once.
 *
 * And a listed backend (a model server's kind) that can answer
 * asynchronously: three pieces in an order that turns with the last
 * word, the rest of a 1000-word vocabulary holding half the mass.
 */
#ifndef TV_FAKELM_H
#define TV_FAKELM_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lm/model.h"
#include "tempviz/dist.h"

enum { F_BOS, F_EOS, F_A, F_B, F_C, F_WORDS };

static const char *const fake_words[F_WORDS] = {
	"<s>", "</s>", "a", "b", "c",
};

static const double fake_p[F_WORDS][F_WORDS] = {
	[F_BOS] = { [F_A] = .6, [F_B] = .2, [F_C] = .2 },
	[F_EOS] = { [F_A] = .6, [F_B] = .2, [F_C] = .2 },
	[F_A] = { [F_B] = .5, [F_C] = .4, [F_EOS] = .1 },
	[F_B] = { [F_A] = .35, [F_C] = .35, [F_EOS] = .3 },
	[F_C] = { [F_EOS] = .9, [F_B] = .1 },
};

static const char *
fake_word_at(void *ctx, uint32_t i)
{
	(void)ctx;
	return fake_words[i];
}

static int
fake_table_logits(struct tv_model *m, const int32_t *ctx, size_t n,
		  float *out, double *raw_sum, struct tv_error *err)
{
	int last = n > 0 && ctx[n - 1] >= 0 ? ctx[n - 1] : F_BOS;

	(void)m;
	(void)err;
	for (int w = 0; w < F_WORDS; w++)
		out[w] = fake_p[last][w] > 0 ? (float)log(fake_p[last][w])
			 : -INFINITY;
	if (raw_sum)
		*raw_sum = 1;
	return 0;
}

static void
fake_table_free(struct tv_model *m)
{
	free(m);
}

static const struct tv_model_ops fake_table_ops = {
	.logits = fake_table_logits,
	.free = fake_table_free,
};

static inline struct tv_model *
fake_table(void)
{
	struct tv_model *m = calloc(1, sizeof *m);
	struct tv_error err;

	assert_non_null(m);
	m->ops = &fake_table_ops;
	m->name = strdup("table.lm");
	m->path = strdup("table.lm");
	m->vocab = F_WORDS;
	m->order = 2;
	m->bos = F_BOS;
	m->eos = F_EOS;
	assert_int_equal(tv_model_set_words(m, fake_word_at, NULL, &err), 0);
	return m;
}

/* ln p as the distribution holds it: the float logit. */
static inline double
fake_lnp(int last, int w)
{
	return (double)(float)log(fake_p[last][w]);
}

/* Words: three pieces the backend lists, and the prompt's text. */
enum { W_A, W_B, W_C, W_PROMPT, N_WORDS };
static char w_a[] = " a", w_b[] = " b", w_c[] = " c", w_prompt[] = "the prompt";
static char *listed_words[N_WORDS] = { w_a, w_b, w_c, w_prompt };

struct listed {
	struct tv_model m;
	int async, asked, answered;
	size_t calls;
};

/* Listed after ctx: the three pieces in an order that turns with the last
 * word (so a word's place in the list changes), logits 0, -1, -2 by place,
 * and the rest of a 1000-word vocabulary holding half the mass. */
static int
listed_dist(struct tv_model *m, const int32_t *ctx, size_t n,
	    struct tv_dist *d, struct tv_error *err)
{
	struct listed *f = (struct listed *)(void *)m;
	int last = n ? ctx[n - 1] : W_PROMPT, turn = last % 3;
	double mass = 0;

	(void)err;
	f->calls++;
	if (f->async && !f->answered) {
		f->asked = 1;
		return TV_MODEL_PENDING;
	}
	f->answered = 0;
	assert_int_equal(tv_dist_init(d, 4), TV_OK);
	d->tok_id = malloc(4 * sizeof *d->tok_id);
	assert_non_null(d->tok_id);
	for (int i = 0; i < 3; i++) {
		int w = (turn + i) % 3;

		assert_int_equal(tv_dist_push(d, listed_words[w], 2, (float)(-i - 1)),
				 TV_OK);
		d->tok_id[i] = w;
		mass += exp(-i - 1);
	}
	/* Scaled so that the listed hold half. */
	for (int i = 0; i < 3; i++)
		d->logit[i] += (float)log(0.5 / mass);
	assert_int_equal(tv_dist_set_tail_mass(d, 1000, 0.5), TV_OK);
	assert_int_equal(tv_dist_finish(d), TV_OK);
	return 0;
}

static size_t
listed_tokenize(struct tv_model *m, const char *text, int32_t *ids, size_t cap)
{
	(void)m;
	if (!*text)
		return 0;
	if (ids && cap)
		ids[0] = W_PROMPT;
	return 1;
}

static void
listed_set_async(struct tv_model *m, int on)
{
	((struct listed *)(void *)m)->async = on;
}

static int
listed_poll(struct tv_model *m, struct tv_error *err)
{
	struct listed *f = (struct listed *)(void *)m;

	(void)err;
	if (!f->asked)
		return 0;
	f->asked = 0;
	f->answered = 1;
	return 1;
}

static void
listed_free(struct tv_model *m)
{
	m->word = NULL;
	free(m);
}

static const struct tv_model_ops listed_ops = {
	.listed = listed_dist,
	.tokenize = listed_tokenize,
	.set_async = listed_set_async,
	.poll = listed_poll,
	.free = listed_free,
};

static inline struct tv_model *
listed_model(void)
{
	struct listed *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->m.ops = &listed_ops;
	f->m.name = strdup("fake server");
	f->m.path = strdup("http://fake");
	f->m.vocab = N_WORDS;
	f->m.word = malloc(sizeof listed_words);
	assert_non_null(f->m.word);
	memcpy(f->m.word, listed_words, sizeof listed_words);
	f->m.bos = f->m.eos = -1;
	f->m.pieces = 1;
	f->m.vocab_size = 1000;
	return &f->m;
}

#endif
