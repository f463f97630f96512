/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core: the first pass of a generation step. It reads the
 * logits once and returns, with their range and finite count, the ids of
 * every logit at or above the m-th largest (ties at it included), found by
 * a threshold that rises while the pass runs.
 */
#ifndef TEMPVIZ_CORE_SELECT_H
#define TEMPVIZ_CORE_SELECT_H

#include <stdint.h>

struct tv_topscan {
	/* Set by the caller. */
	uint32_t m;             /* keep at least the m largest */
	uint32_t room;          /* entries of ids, val and keys */
	uint32_t *ids;          /* the candidates' ids, ascending */
	float *val;             /* their logits */
	uint32_t *keys;         /* scratch */
	/* The candidates so far: every finite logit >= tau is among them. */
	uint32_t k, cap;
	uint32_t mark;          /* where the last compaction was */
	float tau;
	/* What the pass found. */
	float max, min;         /* over finite logits */
	uint32_t finite;
	int nan;
};

/*
 * The pass over l[0 .. n), n <= room. Afterwards ids[0 .. k) hold exactly
 * the finite logits >= tau, ascending, and k >= m unless every finite
 * logit is among them (then tau is -FLT_MAX). With a NaN or a +inf among
 * the logits only max, min, finite and nan are meaningful.
 */
void tv_top_select(const float *l, uint32_t n, struct tv_topscan *o);

#endif
