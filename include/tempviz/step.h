/* SPDX-License-Identifier: MIT */
/*
 * One generation step on fresh, unordered logits: run a chain and draw one
 * token, as an engine does per generated token. It keeps the pipeline's
 * exact rules (tv_run) but never sorts the whole vocabulary: it selects the
 * top of it and orders only that, growing the ordered part when a stage
 * needs more.
 */
#ifndef TEMPVIZ_STEP_H
#define TEMPVIZ_STEP_H

#include <stdint.h>

#include "tempviz/pipeline.h"
#include "tempviz/rng.h"

/* Scratch buffers reused across steps (no allocation per step). */
struct tv_step;

/* Room for up to n_max logits per step; NULL without memory or when
 * n_max exceeds TV_MAX_TOKENS. */
struct tv_step *tv_step_new(uint32_t n_max);
void tv_step_free(struct tv_step *s);

/*
 * Apply the chain to logits[0 .. n) (NaN counts as -inf) and draw one id
 * with g. Returns the id, or UINT32_MAX when no token can be drawn (every
 * logit -inf or NaN) or n > n_max. The kept set is the one tv_run gives on
 * the same logits and parameters.
 */
uint32_t tv_step_sample(struct tv_step *s, const float *logits, uint32_t n,
			const struct tv_chain *c, const struct tv_params *p,
			struct tv_rng *g);

/* The ids the last tv_step_sample kept (room for n_max in ids), in the
 * order its draw walks them; returns how many. */
uint32_t tv_step_kept(const struct tv_step *s, uint32_t *ids);

/*
 * The statistics of the last tv_step_sample's final distribution, as
 * tv_run gives them (entropy, top-1, kept, cut mass and KL over the whole
 * vocabulary), from one vectorised pass over its logits; equal to tv_run's
 * up to the rounding of sums taken in another order. Returns -1 when the
 * last step drew nothing.
 */
int tv_step_stats(struct tv_step *s, struct tv_stats *st);

/* The vector kernels this CPU runs: "avx512", "avx2" or "baseline" on
 * x86-64 (chosen at run time), "generic" elsewhere. */
const char *tv_vector_path(void);

#endif
