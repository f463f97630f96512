/* SPDX-License-Identifier: MIT */
/*
 * A direct reader of sphinxbase's trie binary (the format of Debian's
 * en-us.lm.bin), for scoring a whole vocabulary through the model's
 * structure instead of one lookup per word.
 *
 * The trie is stored predicted word first: under each unigram w lie the
 * histories h with a bigram (h, w), and under each bigram its trigram
 * histories. The reader inverts the bigrams once into the successors of
 * every word h, so a context (h2, h1) costs one pass over the unigram
 * vector (every word without a bigram after h1 scores its unigram plus
 * the two backoffs) and one lookup per successor of h1: a few thousand
 * instead of 72,547.
 *
 * The scores are sphinxbase's own, to the unit: the same float additions
 * in the same order, truncated to whole logmath units as it truncates
 * them (lm_trie_score in lm_trie.c, with its backoff cache). Only a
 * trigram model on a little-endian machine is read; anything else, and a
 * file whose parts do not add up to its size, is refused.
 */
#ifndef TEMPVIZ_LM_TRIE_H
#define TEMPVIZ_LM_TRIE_H

#include <stddef.h>
#include <stdint.h>

struct tv_trie;

/* Maps path and checks its layout against vocab unigrams; NULL when it is
 * not a trigram trie binary this reader takes (or without memory). */
struct tv_trie *tv_trie_open(const char *path, uint32_t vocab);
void tv_trie_free(struct tv_trie *t);

/*
 * The raw scores (logmath units, as sphinxbase's ngram_ng_score gives
 * them) of every word after hist[0 .. nh), most recent first, nh <= 2,
 * every id below the vocabulary, into score[0 .. vocab). 0, or -1 when
 * the successor index cannot be built (no memory, or bigram entries that
 * do not fit the file: then the reader is of no use).
 */
int tv_trie_scores(struct tv_trie *t, const int32_t *hist, int nh,
		   int32_t *score);

/*
 * The model's logits scored word by word through sphinxbase, as the
 * sphinxbase backend did before it read the trie (renormalised, <s> at
 * -inf): what the trie's must equal, for the tests. 0, or -1 in a build
 * without sphinxbase.
 */
struct tv_model;
int tv_sphinx_logits_by_word(struct tv_model *m, const int32_t *ctx, size_t n,
			     float *out, double *raw_sum);
/* 1 while the model is scored through the trie, 0 when it never was (not
 * a trie binary) or was given up (a spot check disagreed). */
int tv_sphinx_reads_trie(const struct tv_model *m);

#endif
