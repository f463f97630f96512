/* SPDX-License-Identifier: MIT */
/*
 * Generation: a model writes text one word at a time at the user's dials.
 * One struct tv_gen is one lane (a prompt continued with its own
 * parameters and seed); the generate view, its lanes, the `generate`
 * subcommand and the talk player all step through it, so the same seed
 * and dials give the same text everywhere.
 *
 * Each step builds the next-word distribution of the current context
 * (cached per context, so a dial change costs no scoring), runs the one
 * pipeline (tv_run) and draws from its final distribution.
 *
 * The context is <s> (a sentence start), then the prompt's words, then
 * the words drawn. Lanes may share one model (its cache then serves them
 * all), from one thread: the model is not thread-safe.
 */
#ifndef TEMPVIZ_LM_GEN_H
#define TEMPVIZ_LM_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "lm/model.h"
#include "tempviz/history.h"
#include "tempviz/pipeline.h"
#include "tempviz/rng.h"

/* One generated word and what the pipeline said of it. */
struct tv_gen_step {
	int32_t word;           /* model word id; eos is written as "." */
	uint32_t tok;           /* its token in the distribution drawn from */
	double p;               /* final probability of the drawn word */
	uint32_t rank;          /* 1 = most likely after the pipeline; a
	                           picked word: its place among the step's
	                           candidates */
	double entropy_bits;    /* of the final distribution it came from */
	uint32_t kept;          /* tokens the pipeline kept */
	double surprisal_bits;  /* -log2 of the model's own p (T = 1) */
	double mu;              /* mirostat's mu entering the step */
	int mirostat;           /* the mirostat version that ran, 0 none */
	double tau, eta;        /* its target (bits) and learning rate */
	int picked;             /* chosen in a branch, not drawn */
	uint32_t moved;         /* words the penalties and DRY moved */
};

/* The candidates a step keeps (a branch picks among them) and the moved
 * words it keeps, the most moved first. */
#define TV_GEN_CANDS 10
#define TV_GEN_MOVES 8

/* A word of the distribution a step drew from, in its order after the
 * penalties and DRY. */
struct tv_gen_cand {
	int32_t word;
	uint32_t tok;
	float logit;            /* after the penalties and DRY */
	double p;               /* final p, as the draw used it; 0 cut */
	double p_model;         /* the model's own p (T = 1) */
};

/* A word the penalties or DRY pushed down at a step. p is the softmax
 * at T = 1 over the whole vocabulary before and after the edits, so that
 * it shows the edit alone, whatever the dials do next. */
struct tv_gen_move {
	int32_t word;
	float before, after;    /* logit */
	double p_before, p_after;
	uint32_t rank_before, rank_after;       /* 1 = top */
	uint32_t count;         /* times the penalties counted it */
	uint32_t dry_len;       /* DRY: the repeat it would extend, 0 none */
	uint32_t dry_at;        /* DRY: the history index where the earlier
	                           stretch ends (tv_edit's) */
};

struct tv_gen;

/* A lane over model m (borrowed) for prompt; NULL without memory.
 * Unknown prompt words are kept in the text and cut the context, as the
 * model itself does; tv_gen_unknown lists them. */
struct tv_gen *tv_gen_new(struct tv_model *m, const char *prompt,
			  uint32_t seed);
/* The model the lane reads. */
struct tv_model *tv_gen_model(const struct tv_gen *g);
void tv_gen_free(struct tv_gen *g);

/* The distribution of the next word at the current context (cached; the
 * pointer stays valid until this lane steps, undoes or restarts). NULL
 * with err filled on failure. */
const struct tv_dist *tv_gen_dist(struct tv_gen *g, struct tv_error *err);
/* 1 when tv_gen_dist (or tv_gen_step) found the model still answering
 * (an asynchronous server): ask again once tv_model_poll says 1. */
int tv_gen_pending(const struct tv_gen *g);
/* 1 when the distribution of the current context is built. */
int tv_gen_ready(const struct tv_gen *g);
/* The sum of the model's p at the current context before renormalising
 * (a diagnostic; 1 +- 1.4e-4 for en-us), once tv_gen_dist has built it. */
double tv_gen_raw_sum(const struct tv_gen *g);

/* Draw and append one word with these dials; 0, -1 with err, or
 * TV_MODEL_PENDING while an asynchronous model answers. */
int tv_gen_step(struct tv_gen *g, const struct tv_chain *c,
		const struct tv_params *p, struct tv_error *err);
/* The history the samplers with memory read before the next word: the
 * context's known words (<s> included) as tokens of d, the lane's
 * distribution, in the lane's own buffer (valid until its next call);
 * the first *n_prompt are the prompt's. The count, or UINT32_MAX when
 * out of memory. */
uint32_t tv_gen_history(struct tv_gen *g, const struct tv_dist *d,
			const uint32_t **ids, uint32_t *n_prompt);
/* The lanes' control: with a penalty or DRY set under rules, the first
 * lane writes without them (p changed: 1), so that greedy's loop shows
 * beside the lanes that break it, in the TUI and in generate alike. */
int tv_gen_plain_lane(struct tv_params *p, enum tv_profile rules);
/* What the penalties and DRY moved at the last step (n of them), each
 * with the history index that made DRY act. Under mirostat they do not
 * run: llama.cpp's mirostat chain ignores every other sampler. */
const struct tv_edit *tv_gen_edits(const struct tv_gen *g, uint32_t *n);
/* Step i's candidates (n of them, at most TV_GEN_CANDS) and the words
 * its penalties pushed down (at most TV_GEN_MOVES, the largest drop in
 * p first; the step's moved says how many there were in all). */
const struct tv_gen_cand *tv_gen_cands(const struct tv_gen *g, size_t i,
				       uint32_t *n);
const struct tv_gen_move *tv_gen_moves(const struct tv_gen *g, size_t i,
				       uint32_t *n);
/* The earlier words that made move k of step i: mark[j] = 1 for each
 * step j < i it counted, else 0 (a penalty: each occurrence in the window
 * its rule reads; DRY: the earlier stretch the text repeats and the word
 * that followed it). Returns how many such words are in the prompt. */
size_t tv_gen_causes(const struct tv_gen *g, size_t i, uint32_t k,
		     unsigned char *mark);
/* A new lane with g's first i words and then candidate k of step i in
 * place of the word drawn there (the same seed, the generator where it
 * was): the branch a user makes at a word. It asks no model; its next
 * word needs the model at its context. NULL without memory or when
 * i or k is out of range. */
struct tv_gen *tv_gen_branch(const struct tv_gen *g, size_t i, uint32_t k);
/* Remove the last word (and its draw: the generator's random state
 * returns to what it was before it). */
void tv_gen_undo(struct tv_gen *g);
/* Back to the prompt; the same seed, so the same dials give the same
 * text again. */
void tv_gen_restart(struct tv_gen *g, uint32_t seed);

size_t tv_gen_len(const struct tv_gen *g);
const struct tv_gen_step *tv_gen_at(const struct tv_gen *g, size_t i);
/* Mean surprisal of the generated words under the model, bits/word. */
double tv_gen_bits_per_word(const struct tv_gen *g);
/* When the last words repeat an earlier stretch (the loop greedy
 * decoding falls into): the loop's length in words, else 0. A loop is a
 * period L such that the last max(2 L, 6) words or more repeat every L
 * words; the smallest such L is reported. */
size_t tv_gen_loop(const struct tv_gen *g);
/* Where that repetition starts: the index of its first step (0 when there
 * is no loop). */
size_t tv_gen_loop_from(const struct tv_gen *g);
/* The prompt as given, and as the model reads it (<s> first where the
 * model has one; n ids). */
const char *tv_gen_prompt(const struct tv_gen *g);
const int32_t *tv_gen_prompt_ids(const struct tv_gen *g, size_t *n);
/* Prompt words the model does not know, space-separated ("" if none). */
const char *tv_gen_unknown(const struct tv_gen *g);

/* A model as a SOURCE: the next-word distribution after prompt, as a
 * source of one position labelled by the model's name (m is borrowed; a
 * server is asked in its blocking mode). *raw_sum receives the sum of p
 * before renormalising; *unknown (freed by the caller) the prompt's
 * unknown words, space-separated. TV_EXIT_OK or TV_EXIT_DATA with err. */
int tv_gen_source(struct tv_model *m, const char *prompt,
		  struct tv_source *src, double *raw_sum, char **unknown,
		  struct tv_error *err);

#endif
