/* SPDX-License-Identifier: MIT */
/*
 * Samplers with memory: the edits that look at what was already written.
 *
 * The caller owns the history (token ids, the prompt's first) and any
 * state across steps (mirostat's mu); these functions read it and change
 * logits by id, so the core stays pure. Repetition, frequency and presence
 * penalties and DRY move only tokens found in the history, which is what
 * keeps a loaded distribution's order cheap to mend: tv_dist_relogit
 * re-inserts just the moved tokens.
 */
#ifndef TEMPVIZ_HISTORY_H
#define TEMPVIZ_HISTORY_H

#include <stdint.h>

#include "tempviz/dist.h"
#include "tempviz/pipeline.h"

/* What came before the next token: ids[0 .. n), of which the first
 * n_prompt are the prompt (vLLM's frequency and presence penalties count
 * only the rest). Ids at or past the vocabulary are skipped. */
struct tv_history {
	const uint32_t *ids;
	uint32_t n;
	uint32_t n_prompt;
};

/* One token a penalty or DRY moved, and why. */
struct tv_edit {
	uint32_t id;
	float before, after;    /* logit */
	uint32_t count;         /* times seen where the rule counts */
	uint32_t dry_len;       /* DRY: the repeat it would extend, 0 none */
	uint32_t dry_at;        /* DRY: history index of the token whose
	                           earlier successor this one is */
};

/* The penalties or DRY change logits under these parameters and rules
 * (llama.cpp has all four; HF the repetition penalty; vLLM the three
 * penalties; llama3 none). */
int tv_penalties_on(const struct tv_params *p, enum tv_profile rules);
int tv_dry_on(const struct tv_params *p, enum tv_profile rules);

/* Scratch for tv_penalize over a vocabulary of up to vocab ids, reused
 * across steps so that a step costs the history, not the vocabulary. */
struct tv_memo;
struct tv_memo *tv_memo_new(uint32_t vocab);
void tv_memo_free(struct tv_memo *m);

/*
 * Apply the penalties and then DRY (llama.cpp's order) to logits[0 ..
 * vocab) by id, for the history h. breaker[id] != 0 marks DRY's sequence
 * breakers (NULL: none). Writes one edit per moved token into e (room for
 * h->n entries) in the order first moved and returns their number.
 */
uint32_t tv_penalize(struct tv_memo *m, const struct tv_params *p,
		     enum tv_profile rules, const struct tv_history *h,
		     const unsigned char *breaker, float *logits,
		     struct tv_edit *e);

/* The same result by the plain definitions, a count per vocabulary id and
 * DRY's match lengths by direct comparison: the reference the tests and
 * the bench hold tv_penalize to. */
uint32_t tv_penalize_naive(const struct tv_params *p, enum tv_profile rules,
			   const struct tv_history *h,
			   const unsigned char *breaker, float *logits,
			   uint32_t vocab, struct tv_edit *e);

/* DRY's default sequence breakers as llama.cpp gives them: a token whose
 * text holds a newline, ':', '"' or '*'. */
int tv_dry_breaker_text(const char *tok, size_t len);

/*
 * Quadratic smoothing as text-generation-webui defines it
 * (modules/sampler_hijack.py, QuadraticSamplingLogitsWarper): with
 * d = l - max, k = (3 - curve) / 2 and s = (curve - 1) / 2,
 * l' = max - k f d^2 + s f d^3; -inf stays. 0 factor is off.
 */
int tv_smoothing_on(const struct tv_params *p);
float tv_smooth_logit(float l, float lmax, double factor, double curve);

/*
 * Set logit[ids[i]] = logits[i] for i < k in a finished distribution and
 * mend its order: the moved tokens are taken out and merged back in
 * (logit descending, id ascending), one pass over the order; n_finite,
 * the tail's place and lse1 follow. TV_ENOMEM leaves d unchanged.
 * A +inf is taken as FLT_MAX and NaN as -inf; TV_EEMPTY when no finite
 * logit is left (d is then changed).
 */
enum tv_status tv_dist_relogit(struct tv_dist *d, const uint32_t *ids,
			       const float *logits, uint32_t k);

/* Every logit of d at once (by id; the tail's logit too): the whole order
 * is one move. */
enum tv_status tv_dist_relogit_all(struct tv_dist *d, const float *logits,
				   double tail_logit);
/* Quadratic smoothing of a finished distribution around its top logit
 * (the tail's included). */
enum tv_status tv_dist_smooth(struct tv_dist *d, double factor,
			      double curve);

/* Mirostat's mu after drawing a token whose final p was p_sel:
 * mu - eta (-log2 p_sel - tau), as both versions update it. */
double tv_mirostat_update(const struct tv_params *p, double mu, double p_sel);

#endif
