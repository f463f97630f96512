/* SPDX-License-Identifier: MIT */
/*
 * Beam search as a lane: Hugging Face's generate without sampling
 * (BeamSearchScorer.process and BeamHypotheses, transformers 4.45, with
 * early_stopping=False). It keeps the width B best running hypotheses by
 * their sum of ln p under the model (T = 1: the dials do not apply, as
 * HF applies no warper to beam search), and at each step:
 *
 *   - every running beam's continuations, score = its sum + ln p(word),
 *     are ranked over all beams (ties: the earlier beam, then the
 *     model's order) and the first 2 B taken;
 *   - in that order, a </s> among the first B ends a hypothesis, which
 *     joins the finished ones (the best B are kept) with the score
 *     sum / len^alpha, len its words counting the </s> (HF's
 *     length_penalty alpha; 1 by default: > 0 favours long ones, < 0
 *     short ones); any other word extends a running beam, until B run;
 *   - the search is done when B are finished and the worst of them
 *     scores at least the best candidate's sum / (len + 1)^alpha.
 *
 * What it returns is the best finished hypothesis, the running ones
 * counted in with their own scores while it is not done (HF's finalize).
 * A model without </s> (a server's pieces) never finishes one, and the
 * length penalty then changes nothing: all beams are as long.
 */
#ifndef TEMPVIZ_LM_BEAM_H
#define TEMPVIZ_LM_BEAM_H

#include <stddef.h>
#include <stdint.h>

#include "lm/gen.h"
#include "lm/model.h"

#define TV_BEAM_MAX 8

struct tv_beam_hyp {
	uint32_t node;          /* its last word (internal) */
	size_t n;               /* words after the prompt */
	double sum;             /* sum of their ln p */
	double score;           /* sum / n^alpha */
	int finished;           /* it ended with </s> */
};

struct tv_beam;

/* A search of width (1 .. TV_BEAM_MAX) over lane g's model after its
 * prompt (both borrowed for the prompt's ids, which are copied); NULL
 * without memory. */
struct tv_beam *tv_beam_new(const struct tv_gen *g, uint32_t width,
			    double alpha);
void tv_beam_free(struct tv_beam *b);

/* One step: 0, -1 with err, or TV_MODEL_PENDING while an asynchronous
 * model answers (the step goes on where it stopped when asked again).
 * A search that is done stays as it is. */
int tv_beam_step(struct tv_beam *b, struct tv_error *err);
/* Back one step; back to the prompt. */
void tv_beam_undo(struct tv_beam *b);
void tv_beam_restart(struct tv_beam *b);

size_t tv_beam_len(const struct tv_beam *b);
int tv_beam_done(const struct tv_beam *b);
/* The running beams (best first) and the finished hypotheses (best
 * first), n of each. */
const struct tv_beam_hyp *tv_beam_running(const struct tv_beam *b,
					  size_t *n);
const struct tv_beam_hyp *tv_beam_finished(const struct tv_beam *b,
					   size_t *n);
/* What the search returns if it ends now, into *best: 1, or 0 before
 * the first step. */
int tv_beam_best(const struct tv_beam *b, struct tv_beam_hyp *best);
/* The words of h, first to last, into out (room for h->n). */
void tv_beam_words(const struct tv_beam *b, const struct tv_beam_hyp *h,
		   int32_t *out);
/* Its ln p of word j (j < h->n). */
double tv_beam_logp(const struct tv_beam *b, const struct tv_beam_hyp *h,
		    size_t j);

/* A hypothesis's mean surprisal under the model, in bits per word (0
 * before its first word). */
double tv_beam_bits_per_word(const struct tv_beam_hyp *h);

#endif
