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

/* DRY's dry_at for a token DRY did not act on. */
#define TV_DRY_NONE UINT32_MAX

/* One token a penalty or DRY moved, and why. */
struct tv_edit {
	uint32_t id;
	float before;           /* logit: the model's */
	float mid;              /* after the penalties, before DRY */
	float after;            /* after DRY: what the chain sees */
	uint32_t count;         /* times seen where the rule counts */
	uint32_t dry_len;       /* DRY: the repeat it would extend */
	uint32_t dry_at;        /* DRY: history index of the token whose
	                           earlier successor this one is;
	                           TV_DRY_NONE when DRY left it alone */
};

/* The penalties or DRY change logits under these parameters and rules
 * (llama.cpp has all four; HF the repetition penalty; vLLM the three
 * penalties; llama3 none). Mirostat in llama.cpp's rules replaces the
 * whole chain, the penalties and DRY with it. */
/* The samplers with memory an engine has, one by one. */
enum tv_mem_sampler {
	TV_MS_REPEAT,           /* the repetition penalty */
	TV_MS_FREQ,             /* the frequency penalty */
	TV_MS_PRESENCE,         /* the presence penalty */
	TV_MS_DRY,
	TV_MS__COUNT
};
/* 1 when the engine of rules has sampler s at all (set or not). */
int tv_memory_has(enum tv_profile rules, enum tv_mem_sampler s);
int tv_penalties_on(const struct tv_params *p, enum tv_profile rules);
int tv_dry_on(const struct tv_params *p, enum tv_profile rules);
/* Set in p, and left out because mirostat replaces llama.cpp's chain. */
int tv_memory_ignored(const struct tv_params *p, enum tv_profile rules);

/*
 * DRY's sequence breakers over one distribution's tokens, made from
 * strings as llama.cpp makes them (llama_sampler_init_dry, after
 * koboldcpp): each string is cut to 40 bytes and an empty one skipped; a
 * token whose text holds the whole string is a breaker by itself (and is
 * never penalised); a token whose text ends with the string's start is
 * the head of a breaker that the tokens spelling the rest complete (at
 * most 20 of them). llama.cpp spells the rest with the model's tokenizer;
 * a distribution has none, so the rest is spelled greedily by the
 * longest token text that starts it (the lower id on a tie), and a rest
 * no token starts is left out: no history of this vocabulary holds it.
 * list is NULL-terminated; NULL gives llama.cpp's defaults
 * (TV_DRY_BREAKERS). NULL when out of memory.
 */
struct tv_breakers;
struct tv_breakers *tv_breakers_new(const struct tv_dist *d,
				    const char *const *list);
void tv_breakers_free(struct tv_breakers *b);
/* llama.cpp's default sequence breakers (common.h), NULL-terminated. */
extern const char *const TV_DRY_BREAKERS[];

/* Scratch for tv_penalize over a vocabulary of up to vocab ids, reused
 * across steps so that a step costs the history, not the vocabulary. */
struct tv_memo;
struct tv_memo *tv_memo_new(uint32_t vocab);
void tv_memo_free(struct tv_memo *m);

/*
 * Apply the penalties and then DRY (llama.cpp's order) to logits[0 ..
 * vocab) by id, for the history h. breaker[id] != 0 marks DRY's sequence
 * breakers of one token each (NULL: none). Writes one edit per moved
 * token into e (room for h->n entries) in the order first met (the
 * penalties' window from its start, then DRY's repeats from the end of
 * the text back) and returns their number.
 */
uint32_t tv_penalize(struct tv_memo *m, const struct tv_params *p,
		     enum tv_profile rules, const struct tv_history *h,
		     const unsigned char *breaker, float *logits,
		     struct tv_edit *e);
/* The same with breakers of any length (NULL: none). */
uint32_t tv_penalize_with(struct tv_memo *m, const struct tv_params *p,
			  enum tv_profile rules, const struct tv_history *h,
			  const struct tv_breakers *b, float *logits,
			  struct tv_edit *e);

/* The same result by the plain definitions, a count per vocabulary id and
 * DRY's match lengths by direct comparison at every shift: the reference
 * the tests and the bench hold tv_penalize to. */
uint32_t tv_penalize_naive(const struct tv_params *p, enum tv_profile rules,
			   const struct tv_history *h,
			   const struct tv_breakers *b, float *logits,
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

/*
 * The history as token ids of d from words separated by spaces: each
 * word is the token whose text is the word exactly, or after one leading
 * space (a BPE token's word start), or the same ignoring ASCII case; the
 * lowest id wins. Writes at most cap ids and returns their number; the
 * words that name no token are counted in *unmatched.
 */
uint32_t tv_history_words(const struct tv_dist *d, const char *words,
			  uint32_t *ids, uint32_t cap, uint32_t *unmatched);
/* The token of d one word (w, wl bytes) names, by that rule, or
 * UINT32_MAX. */
uint32_t tv_history_word(const struct tv_dist *d, const char *w, size_t wl);
/* The words of s, an upper bound of what tv_history_words writes. */
uint32_t tv_history_count_words(const char *s);

/* --------------------------------------------- memory on a distribution */

/*
 * The samplers with memory applied to a finished distribution in place,
 * in the order the engines run them before their chains: the penalties,
 * then DRY, then quadratic smoothing. Only the moved tokens are mended
 * into the order (tv_dist_relogit), and what they were is kept, so that
 * tv_memory_restore gives back the distribution exactly as it was, bit
 * for bit, and a new setting starts again from the model's logits.
 */
struct tv_memory;
struct tv_memory *tv_memory_new(void);
void tv_memory_free(struct tv_memory *m);

/* Restore what an earlier apply did to d, then apply p under rules for
 * the history h (breakers b, NULL none). TV_ENOMEM or TV_EEMPTY (no
 * finite logit left) leave d as the model gave it. */
enum tv_status tv_memory_apply(struct tv_memory *m, struct tv_dist *d,
			       const struct tv_params *p,
			       enum tv_profile rules,
			       const struct tv_history *h,
			       const struct tv_breakers *b);
/* Give d back as it was before the last apply. */
void tv_memory_restore(struct tv_memory *m, struct tv_dist *d);
/* Forget the last apply without touching d: after d was replaced. */
void tv_memory_forget(struct tv_memory *m);
/* The tokens the penalties and DRY moved at the last apply, in the order
 * first met (none for a NULL m). */
const struct tv_edit *tv_memory_edits(const struct tv_memory *m,
				      uint32_t *n);

/* The stages, in the order they run. */
enum tv_mem_stage {
	TV_MEM_PENALTIES,
	TV_MEM_DRY,
	TV_MEM_SMOOTHING,
	TV_MEM__COUNT
};

/* What one stage did at the last apply. */
struct tv_mem_effect {
	int on;                 /* it ran: switched on under the rules */
	uint32_t moved;         /* tokens whose logit it changed */
	uint32_t top;           /* the token it moved furthest (the lower id
	                           on a tie); valid when moved > 0 */
	double delta;           /* that token's change, after - before: < 0
	                           is a push down */
};
void tv_memory_effect(const struct tv_memory *m, const struct tv_dist *d,
		      enum tv_mem_stage s, struct tv_mem_effect *out);
/* The rest of the vocabulary's level, as an id below. */
#define TV_ID_TAIL UINT32_MAX

/* How far stage s moved token id of d: 1 with *delta (after - before)
 * when it moved it, else 0. */
int tv_memory_delta(const struct tv_memory *m, const struct tv_dist *d,
		    uint32_t id, enum tv_mem_stage s, double *delta);
/* The model's own logit of token id, before every stage. */
double tv_memory_base_logit(const struct tv_memory *m,
			    const struct tv_dist *d, uint32_t id);

/* Mirostat's mu after drawing a token whose final p was p_sel:
 * mu - eta (-log2 p_sel - tau), as both versions update it. */
double tv_mirostat_update(const struct tv_params *p, double mu, double p_sel);

#endif
