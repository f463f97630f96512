/* SPDX-License-Identifier: MIT */
/*
 * A language model behind one small interface: a context of word ids in,
 * next-word natural-log scores over the whole vocabulary out. The views,
 * the generator and the subcommands see only this; a backend (the
 * sphinxbase trigram model, later a model server) fills the ops.
 *
 * The core stays pure: it receives the logits a model yields, as it does
 * for any other source.
 */
#ifndef TEMPVIZ_LM_MODEL_H
#define TEMPVIZ_LM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "io/source.h"
#include "tempviz/dist.h"

struct tv_model;

struct tv_model_ops {
	/* Next-word ln scores for ctx[0 .. n) (oldest first) into
	 * out[0 .. vocab), renormalised over the vocabulary, words that can
	 * never come next (<s>) at -inf. *raw_sum, when not NULL, receives
	 * the sum of p before renormalising (a diagnostic). 0, or -1 with
	 * err filled. */
	int (*logits)(struct tv_model *m, const int32_t *ctx, size_t n,
		      float *out, double *raw_sum, struct tv_error *err);
	void (*free)(struct tv_model *m);
};

struct tv_model {
	const struct tv_model_ops *ops;
	char *name;             /* what the header shows: file name, model */
	char *path;             /* where it was loaded from */
	uint32_t vocab;         /* words, ids 0 .. vocab-1 */
	int order;              /* n of the n-gram (words of context + 1) */
	int32_t bos, eos;       /* <s> and </s>, or -1 */
	/* Word texts by id: word[id] is NUL-terminated, untrusted. */
	char **word;
};

/* Where the model is looked for: path (--lm PATH) when not NULL, then
 * $TEMPVIZ_LM, then the Debian path of pocketsphinx-en-us. */
const char *tv_model_default_path(const char *path);
#define TV_LM_DEBIAN_PATH "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"

/* Open an ARPA, DMP or trie LM with sphinxbase, validated (a truncated
 * file loads in sphinxbase without error). TV_EXIT_OK, or TV_EXIT_DATA
 * with err saying what is wrong (missing, a directory, corrupt) or, in a
 * build without sphinxbase, what to install. */
int tv_model_open(const char *path, struct tv_model **out,
		  struct tv_error *err);
void tv_model_free(struct tv_model *m);

/* The id of a word, or -1 when the model does not know it. */
int32_t tv_model_find(const struct tv_model *m, const char *word);

/*
 * Split text into words as the model reads them (lower-cased, split on
 * white space, "." as </s> <s>); up to cap ids into ids, a word the model
 * does not know as -1. Returns the number of words (which may exceed
 * cap: only cap are stored).
 */
size_t tv_model_tokenize(const struct tv_model *m, const char *text,
			 int32_t *ids, size_t cap);

/* The next-word distribution after ctx as a finished tv_dist (tokens
 * named by word, prompt metadata set from the context): what every view
 * and subcommand runs the pipeline on. */
int tv_model_dist(struct tv_model *m, const int32_t *ctx, size_t n,
		  struct tv_dist *d, struct tv_error *err);

#endif
