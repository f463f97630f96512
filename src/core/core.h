/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core: what dist.c, pipeline.c and step.c share.
 *
 * The stages run on a view: logits ordered by (logit descending, id
 * ascending), of which the first n_ord are known. A loaded distribution
 * knows them all; a generation step orders only the top and grows that
 * part on demand through ops, so both run the same stage code.
 *
 * Positions are counted in units: each listed token is a unit, and the
 * tail (tail_g equal tokens) is one unit at index tail_pos, so listed
 * position p is unit p + (p >= tail_pos). Candidates are a unit range plus
 * how many tail tokens it holds.
 */
#ifndef TEMPVIZ_CORE_CORE_H
#define TEMPVIZ_CORE_CORE_H

#include <stdint.h>
#include <string.h>

#include "tempviz/pipeline.h"
#include "tempviz/rng.h"

#include "core/vmath.h"

/*
 * Order keys: the float's bits mapped so that unsigned order is descending
 * logit order (no NaN may come here; adding +0 turns -0 into +0).
 */
static inline uint32_t
tv_desc_key(float f)
{
	uint32_t b;

	f += 0.0f;
	memcpy(&b, &f, sizeof b);
	b = (b & 0x80000000u) ? ~b : b | 0x80000000u;
	return ~b;
}

/* The float whose key is k. */
static inline float
tv_key_float(uint32_t k)
{
	uint32_t b = ~k;
	float f;

	b = (b & 0x80000000u) ? b & 0x7fffffffu : ~b;
	memcpy(&f, &b, sizeof f);
	return f;
}

/* Sorts ids[0 .. n) (given ascending) into logit descending, then id
 * ascending order, as tv_dist_finish orders a distribution; x holds no
 * NaN, and scratch has room for 2 n pairs. */
void tv_order_ids(const float *x, uint32_t *ids, uint32_t n,
		  uint64_t *scratch);

/* After the sorted logits changed: n_finite, the tail's place and lse1
 * again; TV_EEMPTY when no logit is finite. */
enum tv_status tv_dist_reindex(struct tv_dist *d);

/*
 * DRY's sequence breakers (tempviz/history.h): kind[id] has
 * TV_BRK_SINGLE for a token that is a breaker by itself and TV_BRK_HEAD
 * for the first token of longer ones, whose tails seq lists sorted by
 * head (then as made), each tail its ids tail[off .. off + len).
 */
enum { TV_BRK_SINGLE = 1, TV_BRK_HEAD = 2 };

struct tv_brk_seq {
	uint32_t head, off, len;
};

struct tv_breakers {
	uint32_t vocab;
	const unsigned char *kind;
	const struct tv_brk_seq *seq;
	uint32_t n_seq;
	const uint32_t *tail;
};

/* A temperature as the kernels apply it. */
struct tv_temp {
	double t;
	float tf;
	int tf_ok;      /* tf is a normal float: l / tf is the engines' way */
	int fast;       /* l / tf is finite for every logit: kernels apply */
};

struct tv_view;
struct tv_cand;

/* Top-p's terms, for the masses of core/wselect.h. */
struct tv_tp {
	struct tv_temp ts;      /* the candidates' temperature */
	double m;               /* their top scaled logit (a float if it fits) */
	double p, mk;           /* the mass and min_keep */
	int le;                 /* Meta's rule: short while <= p */
};

/* How a partly ordered view reaches its unordered rest [n_ord, n_all). */
struct tv_view_ops {
	/* Order at least need positions (need <= n_all). */
	void (*grow)(struct tv_view *v, uint32_t need);
	/* Kernel sums over the rest at ts, relative to m. */
	void (*rest_sums)(struct tv_view *v, const struct tv_temp *ts,
			  float m, struct tv_sums *o);
	/* Sums of d and d^2, d = scaled logit - m, over the rest. */
	void (*rest_moments)(struct tv_view *v, const struct tv_temp *ts,
			     double m, double *s1, double *s2);
	/* The kernel sum of e over a part of the rest: no more than the
	 * rest's sum, up to the kernel's rounding. */
	double (*rest_part)(struct tv_view *v, const struct tv_temp *ts,
			    float m);
	/* Top-p's cut on candidates that run to the end of the view, found
	 * without ordering the rest: the tokens kept in *kept, with the view
	 * cut down to them. -1 declines: the stage orders and walks. */
	int (*top_p)(struct tv_view *v, const struct tv_cand *c,
		     const struct tv_tp *q, double *kept);
};

struct tv_view {
	const float *sorted;    /* logits in order, [0, n_ord) */
	const uint32_t *order;  /* their ids */
	uint32_t n_ord;
	uint32_t n_all;         /* finite logits */
	double tail_g, tail_l;
	uint32_t tail_pos;      /* unit of the tail; UINT32_MAX without one */
	float lmax, lmin;       /* largest and smallest finite logit */
	const struct tv_view_ops *ops;  /* NULL when everything is ordered */
	/* lnZ = full_m + full_lnz of every candidate at full_t, once some
	 * stage summed them. */
	int have_full;
	double full_t, full_m, full_lnz;
};

struct tv_cand {
	uint32_t ulo, uhi;      /* units */
	double tm;              /* tail tokens inside; > 0 iff the tail unit
	                           is inside [ulo, uhi) */
	double t;               /* temperature applied; 0 after greedy */
	int have_lnz, have_sums;
	/* lnZ = m + lnz: kept apart because at a tiny T the shift m is so
	 * large that adding ln(se) to it would lose ln(se) entirely. */
	double lnz;
	double m, se, sex, sel; /* kernel sums relative to m (a float) */
};

struct tv_ctx {
	struct tv_view *v;
	enum tv_profile rules;
	const struct tv_params *p;
	struct tv_rng *xtc;     /* XTC's coin */
	int xtc_seed;           /* seed xtc with p->seed before its draw */
	int xtc_fired;
	/*
	 * A caller that reads only the final range (a generation step) lets
	 * top-p defer its cut when it surely lies past the ordered part: the
	 * stages after it that cut a prefix by the logits alone (top-k,
	 * min-p, temperature) then often settle the range inside the
	 * ordered part, where top-p's cut cannot matter. tv_chain_end (or a
	 * stage that reads more) makes the cut.
	 */
	int may_defer;
	int deferred;
	struct tv_cand topp_in;  /* what entered the deferred top-p */
	uint32_t topp_sure;      /* units it keeps at the least */
};

/* The logit range decides whether l / T can be a float division. */
void tv_temp_init(struct tv_temp *ts, double t, float lmax, float lmin);
double tv_scale(const struct tv_temp *ts, float l);
/* Sums over a run of logits relative to m: in double for short runs, by
 * the float kernel for long ones when ts allows. */
void tv_run_sums(const struct tv_temp *ts, const float *l, uint32_t n,
		 double m, struct tv_sums *o);

void tv_cand_all(const struct tv_view *v, struct tv_cand *c);
void tv_cand_sums(struct tv_view *v, struct tv_cand *c);

int tv_stage_on(enum tv_stage_kind k, const struct tv_params *p);
/* Makes a deferred top-p's cut on c, the chain's final candidates. */
void tv_chain_end(struct tv_ctx *x, struct tv_cand *c);
void tv_stage_apply(struct tv_ctx *x, enum tv_stage_kind k,
		    struct tv_cand *c);

#endif
