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
 */
#ifndef TV_FAKELM_H
#define TV_FAKELM_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lm/model.h"

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

#endif
