/* SPDX-License-Identifier: MIT */
/*
 * The trie reader (lm/trie.h) scores Debian's en-us model exactly as
 * sphinxbase does word by word: the same floats, for contexts of every
 * length and every kind of history (frequent words with tens of thousands
 * of successors, rare ones, sentence ends, words whose pair has no
 * bigram), and it refuses a file whose parts do not add up. Skipped
 * without the model.
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

#include "lm/model.h"
#include "lm/trie.h"
#include "tempviz/rng.h"

/* The backend's logits after ctx equal sphinxbase's word by word, to the
 * bit, and so does the raw sum. */
static void
check_context(struct tv_model *m, const int32_t *ctx, size_t n, float *a,
	      float *b)
{
	struct tv_error err;
	double ra = 0, rb = 0;

	assert_int_equal(m->ops->logits(m, ctx, n, a, &ra, &err), 0);
	assert_int_equal(tv_sphinx_logits_by_word(m, ctx, n, b, &rb), 0);
	for (uint32_t w = 0; w < m->vocab; w++)
		if (memcmp(&a[w], &b[w], sizeof *a) != 0)
			fail_msg("after %zu words ending in %d: word %u is %.9g, "
				 "sphinxbase says %.9g", n, n ? ctx[n - 1] : -1,
				 w, a[w], b[w]);
	assert_memory_equal(&ra, &rb, sizeof ra);
}

static int32_t
word(const struct tv_model *m, const char *w)
{
	int32_t id = tv_model_find(m, w);

	assert_true(id >= 0);
	return id;
}

static void
trie_as_sphinxbase(void **state)
{
	static const char *const common[] = {
		"the", "of", "a", "to", "i", "is", "and", "</s>", "<s>", "you",
		"capital", "france", "upon", "like", "aardvark",
	};
	enum { NC = sizeof common / sizeof common[0] };
	struct tv_model *m = NULL;
	struct tv_error err;
	float *a, *b;
	struct tv_rng g;
	int32_t ctx[3];

	(void)state;
	if (!tv_model_available() || access(TV_LM_DEBIAN_PATH, R_OK) != 0)
		skip();
	assert_int_equal(tv_model_open(TV_LM_DEBIAN_PATH, &m, &err), 0);
	a = malloc(m->vocab * sizeof *a);
	b = malloc(m->vocab * sizeof *b);
	assert_non_null(a);
	assert_non_null(b);
	check_context(m, NULL, 0, a, b);
	/* Every pair of the common words, each alone, and -1 cutting. */
	for (size_t i = 0; i < NC; i++) {
		ctx[0] = word(m, common[i]);
		check_context(m, ctx, 1, a, b);
		for (size_t j = 0; j < NC; j += 2) {
			ctx[1] = word(m, common[j]);
			check_context(m, ctx, 2, a, b);
		}
	}
	ctx[0] = word(m, "the");
	ctx[1] = -1;
	ctx[2] = word(m, "of");
	check_context(m, ctx, 3, a, b);
	/* A walk through contexts the model knows (each next word among the
	 * hundred likeliest), where trigrams are many. */
	tv_rng_seed(&g, 5);
	ctx[0] = word(m, "<s>");
	ctx[1] = word(m, "once");
	for (int i = 0; i < 40; i++) {
		uint32_t best = 0, pick = tv_rng_u32(&g) % 100;

		check_context(m, ctx, 2, a, b);
		for (uint32_t k = 0; k <= pick; k++) {
			best = 0;
			for (uint32_t w = 1; w < m->vocab; w++)
				best = a[w] > a[best] ? w : best;
			a[best] = -INFINITY;
		}
		ctx[0] = ctx[1];
		ctx[1] = (int32_t)best;
	}
	/* Random pairs: most have no bigram of their own. */
	tv_rng_seed(&g, 11);
	for (int i = 0; i < 40; i++) {
		ctx[0] = (int32_t)(tv_rng_u32(&g) % m->vocab);
		ctx[1] = (int32_t)(tv_rng_u32(&g) % m->vocab);
		check_context(m, ctx, 2, a, b);
	}
	/* The trie was read throughout: no spot check gave it up. */
	assert_true(tv_sphinx_reads_trie(m));
	free(a);
	free(b);
	tv_model_free(m);
}

/* The model with byte at of its copy replaced by x, or cut to len bytes
 * (x < 0), at tmp. */
static void
altered_copy(const char *tmp, size_t len, size_t at, int x)
{
	FILE *in = fopen(TV_LM_DEBIAN_PATH, "rb"), *out = fopen(tmp, "wb");
	size_t pos = 0;
	int c;

	assert_non_null(in);
	assert_non_null(out);
	while (pos < len && (c = getc(in)) != EOF) {
		putc(pos == at && x >= 0 ? x : c, out);
		pos++;
	}
	fclose(in);
	fclose(out);
}

static void
trie_refuses_damage(void **state)
{
	const char *tmp = "/tmp/tempviz-test-trie.bin";
	struct tv_trie *t;
	struct stat sb;
	int32_t *score;

	(void)state;
	if (stat(TV_LM_DEBIAN_PATH, &sb) != 0)
		skip();
	t = tv_trie_open(TV_LM_DEBIAN_PATH, 72547);
	assert_non_null(t);
	score = malloc(72547 * sizeof *score);
	assert_non_null(score);
	assert_int_equal(tv_trie_scores(t, (const int32_t[]){ 1, 2 }, 2, score),
			 0);
	free(score);
	tv_trie_free(t);
	/* Another vocabulary than sphinxbase read. */
	assert_null(tv_trie_open(TV_LM_DEBIAN_PATH, 72546));
	/* One byte short, one byte more, the order, a count, the magic. */
	altered_copy(tmp, (size_t)sb.st_size - 1, 0, -1);
	assert_null(tv_trie_open(tmp, 72547));
	altered_copy(tmp, (size_t)sb.st_size, 0, -1);
	assert_non_null(t = tv_trie_open(tmp, 72547));
	tv_trie_free(t);
	altered_copy(tmp, (size_t)sb.st_size, 19, 2);
	assert_null(tv_trie_open(tmp, 72547));
	altered_copy(tmp, (size_t)sb.st_size, 24, 0x30);
	assert_null(tv_trie_open(tmp, 72547));
	altered_copy(tmp, (size_t)sb.st_size, 0, 'X');
	assert_null(tv_trie_open(tmp, 72547));
	assert_null(tv_trie_open("/nonexistent/model.bin", 72547));
	unlink(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trie_as_sphinxbase),
		cmocka_unit_test(trie_refuses_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
