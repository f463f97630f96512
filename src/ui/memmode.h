/* SPDX-License-Identifier: MIT */
/*
 * The samplers with memory on a source without a history of its own (a
 * scenario, a file): the history is words of its tokens (--history), and
 * the penalties, DRY and quadratic smoothing act live on the app's own
 * copy of the distribution, so that every view and dial sees them. A
 * dial change takes the copy back to the model's logits and applies the
 * new setting (only the moved tokens are mended into the order); with no
 * sampler acting, the views see the source's distribution itself.
 *
 * On a language model the lanes apply them as they write (lm/gen.c), and
 * this mode leaves the model's distribution alone.
 */
#ifndef TEMPVIZ_MEMMODE_H
#define TEMPVIZ_MEMMODE_H

#include "tempviz/history.h"
#include "ui/app_internal.h"

/* The history as words (copied); 0, or -1 when out of memory. */
int tv_memmode_set_history(struct tv_app *a, const char *words);
/* KL in bits of what the views show from the model's own distribution
 * at T = 1, before the samplers with memory too (a->res's own KL is from
 * the shown distribution at T = 1). */
double tv_memmode_kl_from_model(struct tv_app *a);
/* The history's words as given, or NULL. */
const char *tv_memmode_history(const struct tv_app *a);
/* What the views show for a->base under a->par and a->chain: a->base
 * itself, or the copy under the samplers with memory. */
const struct tv_dist *tv_memmode_dist(struct tv_app *a);
void tv_memmode_free(struct tv_app *a);

/* The same for other settings (an A/B pane's), on the app's history,
 * through an instance of their own in *mm (NULL at first; freed by
 * tv_memmode_release): a->base, or the instance's copy; *serial changes
 * whenever the copy does. */
const struct tv_dist *tv_memmode_dist_for(struct tv_app *a,
					  struct tv_memmode **mm,
					  const struct tv_params *p,
					  enum tv_profile rules,
					  unsigned *serial);
void tv_memmode_release(struct tv_memmode **mm);

/* The views show the copy under the samplers with memory. */
int tv_memmode_acting(const struct tv_app *a);
/* The history's tokens in the shown distribution (0 without one). */
uint32_t tv_memmode_history_len(const struct tv_app *a);
/* A penalty or DRY is set but nothing is there to act on: no history
 * (and no language model writing one). */
int tv_memmode_no_history(const struct tv_app *a);

/* What stage s did to the shown distribution: on as the setting and the
 * profile's rules say, what it moved when it ran. */
void tv_memmode_effect(const struct tv_app *a, enum tv_mem_stage s,
		       struct tv_mem_effect *out);
/* How far stage s moved the token at position pos of a->d (or the
 * tail, TV_POS_TAIL): 1 with *delta, else 0. */
int tv_memmode_delta(const struct tv_app *a, enum tv_mem_stage s,
		     uint32_t pos, double *delta);
/* The model's own logit of the token at position pos of a->d (or the
 * tail's). */
double tv_memmode_base_logit(const struct tv_app *a, uint32_t pos);

#endif
