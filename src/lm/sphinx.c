/* SPDX-License-Identifier: MIT */
/*
 * The sphinxbase backend: ARPA text, DMP and trie binary n-gram models,
 * such as Debian's pocketsphinx-en-us trigram model (72,547 words).
 *
 * Facts this file relies on (../shared/reference/lm.md): a trie binary
 * stores its scores in base-1.0001 units whatever logmath is passed, so
 * the base must be exactly 1.0001; the history is given most recent
 * first; <s> scores about -228 nats and can never come next; there is no
 * <UNK>, and a -1 in the history cuts it; a truncated trie file loads
 * without an error, so the vocabulary and the unigram sum are checked.
 */
#include "lm/check.h"
#include "lm/model.h"
#include "lm/trie.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

/* The unigram probabilities of a sound model sum to 1 within rounding
 * (measured 1 +- 1.4e-4); a truncated file sums to thousands. */
#define UNIGRAM_TOLERANCE 1e-3
/* Longer histories than this are not read (a 5-gram needs 4). */
#define MAX_HISTORY 15

struct sphinx {
	struct tv_model m;      /* first: the interface's view of it */
	ngram_model_t *lm;
	logmath_t *lmath;
	double ln_base;         /* nats per logmath unit */
	/* The file read directly (lm/trie.h), when it is a trie binary whose
	 * scores match sphinxbase's; else NULL. */
	struct tv_trie *trie;
	int32_t *score;         /* vocab raw scores, for the trie */
	unsigned scored;        /* contexts with a history scored so far */
};

static struct sphinx *
sphinx_of(struct tv_model *m)
{
	return (struct sphinx *)(void *)m;
}

/* Most recent first, as sphinxbase reads it; a -1 cuts it. */
static int32
history(const struct tv_model *m, const int32_t *ctx, size_t n,
	int32 *hist)
{
	int32 nh = 0;

	while ((size_t)nh < n && nh < MAX_HISTORY && nh < m->order - 1 &&
	       ctx[n - 1 - (size_t)nh] >= 0) {
		hist[nh] = ctx[n - 1 - (size_t)nh];
		nh++;
	}
	return nh;
}

/* Raw scores to logits: <s> masked, renormalised over the vocabulary. */
static void
finish_logits(struct tv_model *m, float *out, double *raw_sum)
{
	double mx = -INFINITY, sum = 0, lse;

	if (m->bos >= 0)
		out[m->bos] = -INFINITY;
	for (uint32_t w = 0; w < m->vocab; w++)
		mx = out[w] > mx ? out[w] : mx;
	for (uint32_t w = 0; w < m->vocab; w++)
		sum += exp(out[w] - mx);
	lse = mx + log(sum);
	for (uint32_t w = 0; w < m->vocab; w++)
		out[w] = (float)(out[w] - lse);
	if (raw_sum)
		*raw_sum = exp(lse);
}

int
tv_sphinx_logits_by_word(struct tv_model *m, const int32_t *ctx, size_t n,
			 float *out, double *raw_sum)
{
	struct sphinx *s = sphinx_of(m);
	int32 hist[MAX_HISTORY];
	int32 nh = history(m, ctx, n, hist), used;

	for (uint32_t w = 0; w < m->vocab; w++) {
		double l = ngram_ng_score(s->lm, (int32)w, hist, nh, &used) *
			   s->ln_base;

		out[w] = (float)l;
	}
	finish_logits(m, out, raw_sum);
	return 0;
}

/* Words of every context whose trie scores are checked against
 * sphinxbase's: a file the reader misreads is given up at once. */
#define SPOT_CHECKS 48
/* Contexts with a history asked of sphinxbase word by word before the
 * trie's index is built (about 40 ms, the cost of a few such contexts):
 * a one-off query does not pay for it, a generation does at once. */
#define BY_WORD_FIRST 3

/* The trie's raw scores after hist, or -1 when there is no trie or it
 * disagrees with sphinxbase on a spot check (then it is dropped). */
static int
trie_scores(struct sphinx *s, int32 *hist, int32 nh)
{
	uint32_t v = s->m.vocab, step = v / SPOT_CHECKS + 1;
	int32_t h[2];
	int32 used;

	if (!s->trie || nh > 2 || (nh > 0 && s->scored++ < BY_WORD_FIRST))
		return -1;
	for (int32 i = 0; i < nh; i++) {
		if ((uint32_t)hist[i] >= v)
			return -1;
		h[i] = hist[i];
	}
	if (tv_trie_scores(s->trie, h, nh, s->score) != 0)
		goto drop;
	for (uint32_t w = (uint32_t)(h[0] + nh) % step; w < v; w += step)
		if (s->score[w] != ngram_ng_score(s->lm, (int32)w,
						  hist, nh, &used))
			goto drop;
	return 0;
drop:
	tv_trie_free(s->trie);
	s->trie = NULL;
	return -1;
}

int
tv_sphinx_reads_trie(const struct tv_model *m)
{
	return ((const struct sphinx *)(const void *)m)->trie != NULL;
}

static int
sphinx_logits(struct tv_model *m, const int32_t *ctx, size_t n, float *out,
	      double *raw_sum, struct tv_error *err)
{
	struct sphinx *s = sphinx_of(m);
	int32 hist[MAX_HISTORY];
	int32 nh = history(m, ctx, n, hist);

	(void)err;
	if (trie_scores(s, hist, nh) != 0)
		return tv_sphinx_logits_by_word(m, ctx, n, out, raw_sum);
	for (uint32_t w = 0; w < m->vocab; w++)
		out[w] = (float)(s->score[w] * s->ln_base);
	finish_logits(m, out, raw_sum);
	return 0;
}

static void
sphinx_free(struct tv_model *m)
{
	struct sphinx *s = sphinx_of(m);

	if (s->lm)
		ngram_model_free(s->lm);
	if (s->lmath)
		logmath_free(s->lmath);
	tv_trie_free(s->trie);
	free(s->score);
	free(s);
}

static const struct tv_model_ops sphinx_ops = {
	.logits = sphinx_logits,
	.free = sphinx_free,
};

int
tv_model_available(void)
{
	return 1;
}

static const char *
word_at(void *ctx, uint32_t i)
{
	return ngram_word(((struct sphinx *)ctx)->lm, (int32)i);
}

static int
fail(struct tv_error *err, const char *path, const char *what)
{
	snprintf(err->msg, sizeof err->msg, "%s: %s", path, what);
	return TV_EXIT_DATA;
}

/* A regular file that can be opened; else the one line to say why not. */
static int
check_file(const char *path, struct tv_error *err)
{
	struct stat sb;
	FILE *f;

	if (stat(path, &sb) != 0)
		return fail(err, path, errno == ENOENT ?
			    "no such language model (--lm PATH, $TEMPVIZ_LM, or "
			    TV_LM_INSTALL " for the default)" : strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return fail(err, path, "is a directory (expected a language "
			    "model file: ARPA, DMP or sphinxbase trie binary)");
	if (!S_ISREG(sb.st_mode))
		return fail(err, path, "is not a regular file (expected a "
			    "language model file)");
	f = fopen(path, "rb");
	if (!f)
		return fail(err, path, strerror(errno));
	fclose(f);
	return 0;
}

/* What sphinxbase accepts without complaint but a sound model is not. */
static int
validate(struct sphinx *s, struct tv_error *err)
{
	struct tv_model *m = &s->m;
	float *l;
	double sum;
	char what[160];

	if (tv_model_set_words(m, word_at, s, err) != 0)
		return TV_EXIT_DATA;
	l = malloc(m->vocab * sizeof *l);
	if (!l)
		return fail(err, m->path, "out of memory");
	sphinx_logits(m, NULL, 0, l, &sum, err);
	free(l);
	if (!(fabs(sum - 1) <= UNIGRAM_TOLERANCE)) {
		snprintf(what, sizeof what, "the unigram probabilities sum to "
			 "%.6g, not 1 (the file is truncated or corrupt)", sum);
		return fail(err, m->path, what);
	}
	return 0;
}

static int
load(struct sphinx *s, const char *path, struct tv_error *err)
{
	const uint32 *counts;
	const char *base = strrchr(path, '/');
	int rc;

	s->m.ops = &sphinx_ops;
	s->m.path = strdup(path);
	s->m.name = strdup(base && base[1] ? base + 1 : path);
	if (!s->m.path || !s->m.name)
		return fail(err, path, "out of memory");
	s->lmath = logmath_init(1.0001, 0, 0);
	if (!s->lmath)
		return fail(err, path, "out of memory");
	s->ln_base = logmath_log_to_ln(s->lmath, 1);
	s->lm = ngram_model_read(NULL, path, NGRAM_AUTO, s->lmath);
	if (!s->lm)
		return fail(err, path, "not a language model sphinxbase can read "
			    "(accepted: ARPA text, DMP or trie binary)");
	counts = ngram_model_get_counts(s->lm);
	s->m.order = ngram_model_get_size(s->lm);
	if (!counts || counts[0] == 0 || counts[0] > TV_MAX_TOKENS ||
	    s->m.order < 1)
		return fail(err, path, "the model has no words (the file is "
			    "truncated or corrupt)");
	s->m.vocab = counts[0];
	s->m.bos = ngram_wid(s->lm, "<s>");
	s->m.eos = ngram_wid(s->lm, "</s>");
	if ((rc = validate(s, err)) != 0)
		return rc;
	/* Scoring through the file's structure is an optimisation: without
	 * it (another format, no memory) every word is asked of sphinxbase. */
	s->trie = tv_trie_open(path, s->m.vocab);
	s->score = s->trie ? malloc(s->m.vocab * sizeof *s->score) : NULL;
	if (!s->score) {
		tv_trie_free(s->trie);
		s->trie = NULL;
	}
	return 0;
}

int
tv_model_open(const char *path, struct tv_model **out,
	      struct tv_error *err)
{
	struct sphinx *s;
	int rc;

	*out = NULL;
	err->msg[0] = '\0';
	path = tv_model_default_path(path);
	if ((rc = check_file(path, err)) != 0 ||
	    (rc = tv_lm_check(path, err)) != 0)
		return rc;
	/* sphinxbase logs INFO lines to stderr, which would break a curses
	 * screen and every one-line message. */
	err_set_logfp(NULL);
	s = calloc(1, sizeof *s);
	if (!s)
		return fail(err, path, "out of memory");
	s->m.ops = &sphinx_ops;
	rc = load(s, path, err);
	if (rc != 0) {
		tv_model_free(&s->m);
		return rc;
	}
	*out = &s->m;
	return TV_EXIT_OK;
}
