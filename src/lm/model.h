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

/* What a listed backend answers, in its asynchronous mode, when it has
 * asked for a context and has no answer yet. */
#define TV_MODEL_PENDING 1

struct tv_model_ops {
	/* A backend over the whole vocabulary (sphinxbase), or NULL.
	 * Next-word ln scores for ctx[0 .. n) (oldest first; only the last
	 * order - 1 count, and a -1 cuts the context there) into
	 * out[0 .. vocab), renormalised over the vocabulary, words that can
	 * never come next (<s>) at -inf. *raw_sum, when not NULL, receives
	 * the sum of p before renormalising (a diagnostic). 0, or -1 with
	 * err filled. */
	int (*logits)(struct tv_model *m, const int32_t *ctx, size_t n,
		      float *out, double *raw_sum, struct tv_error *err);
	/* A backend that lists only the top of its vocabulary (a model
	 * server), or NULL: the distribution after ctx[0 .. n) as a finished
	 * tv_dist, the unlisted rest as its tail, tok_id[i] the word id of
	 * listed token i. It keeps its own cache. 0, -1 with err, or
	 * TV_MODEL_PENDING in asynchronous mode. */
	int (*listed)(struct tv_model *m, const int32_t *ctx, size_t n,
		      struct tv_dist *d, struct tv_error *err);
	/* Text into word ids for a backend that reads text its own way (a
	 * server tokenizes it), or NULL for the word rule of
	 * tv_model_tokenize. Same contract as tv_model_tokenize. */
	size_t (*tokenize)(struct tv_model *m, const char *text, int32_t *ids,
			   size_t cap);
	/* Asynchronous backends, or NULL: see tv_model_poll and the rest. */
	void (*set_async)(struct tv_model *m, int on);
	int (*poll)(struct tv_model *m, struct tv_error *err);
	void (*cancel)(struct tv_model *m);
	void (*free)(struct tv_model *m);
};

/* Logit vectors kept per context, so that a dial change, an undo or a
 * second lane on a context already seen costs no scoring. */
#define TV_LM_CACHE 6

struct tv_model_cache {
	int32_t *key;           /* the context that counts, oldest first */
	size_t n_key;
	float *logit;           /* vocab entries; NULL when the slot is free */
	double raw_sum;
	uint64_t used;          /* when it was last asked for */
};

struct tv_model {
	const struct tv_model_ops *ops;
	char *name;             /* what the header shows: file name, model */
	char *path;             /* where it was loaded from */
	uint32_t vocab;         /* words, ids 0 .. vocab-1 (a listed backend
	                           adds the words it meets) */
	int order;              /* n of the n-gram (words of context + 1);
	                           0 reads the whole context */
	int pieces;             /* words are text pieces that join as they
	                           are (a server's tokens), not words that
	                           join with spaces */
	double vocab_size;      /* the vocabulary as the model reports it
	                           (a listed backend; 0 unknown) */
	int32_t bos, eos;       /* <s> and </s>, or -1 */
	/* Word texts by id: word[id] is NUL-terminated, untrusted. */
	char **word;
	char *wtext;            /* the block word[] points into */
	/* The distribution's token text, </s> written "." (see tv_dist):
	 * token i is text[off[i] .. off[i + 1]). */
	char *text;
	uint32_t *off;
	/* A hash index of the words (filled by tv_model_index). */
	uint32_t *slot;         /* id + 1, 0 for an empty slot */
	uint32_t mask;
	struct tv_model_cache cache[TV_LM_CACHE];
	uint64_t clock;
};

/* Where the model is looked for: path (--lm PATH) when not NULL, then
 * $TEMPVIZ_LM when set and not empty, then the Debian path of
 * pocketsphinx-en-us. */
const char *tv_model_default_path(const char *path);
#define TV_LM_DEBIAN_PATH "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
/* What to install when there is no model or no backend. */
#define TV_LM_INSTALL "apt-get install libsphinxbase-dev pocketsphinx-en-us"

/* Open an ARPA, DMP or trie LM with sphinxbase, validated (a truncated
 * file loads in sphinxbase without error). path NULL looks it up as
 * tv_model_default_path does. TV_EXIT_OK, or TV_EXIT_DATA with err saying
 * what is wrong (missing, a directory, corrupt) or, in a build without
 * sphinxbase, what to install. */
int tv_model_open(const char *path, struct tv_model **out,
		  struct tv_error *err);
void tv_model_free(struct tv_model *m);
/* 1 when this build has a model backend (sphinxbase), else 0. */
int tv_model_available(void);

/* The id of a word, or -1 when the model does not know it. */
int32_t tv_model_find(const struct tv_model *m, const char *word);
/* A word as text shows it: "." for </s>, "" for <s>, "?" for -1. */
const char *tv_model_word(const struct tv_model *m, int32_t id);

/*
 * Split text into words as the model reads them: lower-cased (ASCII),
 * split on white space; ".", "!" and "?" alone, or ending a word the
 * model does not know, are </s> <s>; ",", ";" and ":" ending a word the
 * model does not know are dropped. Up to cap ids into ids, a word the
 * model does not know as -1. Returns the number of ids (which may exceed
 * cap: only cap are stored).
 */
size_t tv_model_tokenize(const struct tv_model *m, const char *text,
			 int32_t *ids, size_t cap);
/* The words of text the model does not know, as tv_model_tokenize reads
 * them, space-separated into out (room for strlen(text) + 1 bytes is
 * always enough). Returns how many. */
size_t tv_model_unknown(const struct tv_model *m, const char *text,
			char *out, size_t cap);

/* The part of ctx[0 .. n) the model reads: its last order - 1 ids, cut
 * after the last -1. Returns its length; it starts at ctx + n - length. */
size_t tv_model_context(const struct tv_model *m, const int32_t *ctx,
			size_t n);

/* The next-word logits after ctx, from the cache or scored into it; the
 * vector stays valid until TV_LM_CACHE other contexts were asked for.
 * NULL with err filled on failure. */
const float *tv_model_logits(struct tv_model *m, const int32_t *ctx,
			     size_t n, double *raw_sum, struct tv_error *err);

/* The next-word distribution after ctx as a finished tv_dist (tokens
 * named by word, </s> as ".", prompt metadata the context's words): what
 * every view and subcommand runs the pipeline on. For a full-vocabulary
 * model token i is word i; for a listed one d->tok_id maps them. *raw_sum,
 * when not NULL, receives the sum of p before renormalising (1 for a
 * listed model). 0, -1 with err, or TV_MODEL_PENDING (asynchronous). */
int tv_model_dist(struct tv_model *m, const int32_t *ctx, size_t n,
		  struct tv_dist *d, double *raw_sum, struct tv_error *err);

/* The word id of token i of a distribution tv_model_dist made. */
static inline int32_t
tv_model_tok_word(const struct tv_dist *d, uint32_t i)
{
	return d->tok_id ? d->tok_id[i] : (int32_t)i;
}
/* The text between two words: " " for words, "" for pieces. */
static inline const char *
tv_model_sep(const struct tv_model *m)
{
	return m->pieces ? "" : " ";
}

/*
 * Asynchronous mode (a server's, for the TUI): a context not yet known
 * makes tv_model_dist start a request and answer TV_MODEL_PENDING; the
 * input loop calls tv_model_poll at each frame, which takes
 * the answer in (1: ask again, it is there; -1: it failed, err says why;
 * 0: nothing new). tv_model_cancel drops the request in flight. A model
 * without such a mode answers at once: poll says 0.
 */
void tv_model_set_async(struct tv_model *m, int on);
int tv_model_poll(struct tv_model *m, struct tv_error *err);
void tv_model_cancel(struct tv_model *m);

/* For backends: fill text, off and word from the vocabulary's words
 * (word_at(i) for i < vocab; NULL or "" is refused), then the hash
 * index. 0, or -1 without memory or with an empty word (err filled). */
int tv_model_set_words(struct tv_model *m,
		       const char *(*word_at)(void *ctx, uint32_t i),
		       void *ctx, struct tv_error *err);

#endif
