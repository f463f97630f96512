/* SPDX-License-Identifier: MIT */
/*
 * The sampling pipeline: parameters, engine profiles, and a result per
 * stage.
 *
 * Every stage keeps a contiguous range of the distribution's order
 * (positions lo .. hi-1 of d->order): temperature keeps everything (or the
 * first maximum when greedy), top-k, top-p, min-p and top-n-sigma keep a
 * prefix of what entered, XTC drops a prefix, and typical-p keeps a band
 * around the entropy, which is also a range because -ln p is monotone in
 * the logit. A result is therefore a handful of numbers per stage, and a
 * token's fate is derived from its position, never stored per token.
 */
#ifndef TEMPVIZ_PIPELINE_H
#define TEMPVIZ_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "tempviz/dist.h"

enum tv_stage_kind {
	TV_STAGE_TEMP,          /* temperature (with dynatemp when its range > 0) */
	TV_STAGE_TOP_K,
	TV_STAGE_TOP_P,
	TV_STAGE_MIN_P,
	TV_STAGE_TYPICAL,
	TV_STAGE_TOP_N_SIGMA,
	TV_STAGE_XTC,
	TV_STAGE_TOP_A,         /* text-generation-webui's; custom orders */
	TV_STAGE_TFS,           /* tail-free; custom orders */
	TV_STAGE_MIROSTAT,      /* llama.cpp: temperature -> mirostat alone */
	TV_STAGE__COUNT
};

/* Boundary rules and default order of one reference engine. */
enum tv_profile {
	TV_PROFILE_HF,          /* default */
	TV_PROFILE_LLAMACPP,
	TV_PROFILE_LLAMA3,
	TV_PROFILE_VLLM,
	TV_PROFILE__COUNT
};

/* Accepted ranges depend on the profile's rules: tv_params_check. */
/* The smallest positive temperature: tv_params_check refuses a T between
 * 0 and it, and the pipeline computes such a T as this one, where l / T
 * still fits a double for every float logit. */
#define TV_TEMP_TINY 1e-30

struct tv_params {
	double temp;            /* [0, 1e6]; 0 is greedy. default 1 */
	int top_k;              /* <= 0 off (vLLM: -1 or 0). default 0 */
	double top_p;           /* [0, 1] (vLLM (0, 1]; llama.cpp, llama3
	                           any >= 0); >= 1 off. default 1 */
	double min_p;           /* [0, 1] (llama.cpp: any >= 0); 0 off */
	double typical_p;       /* (0, 1] (llama.cpp: any >= 0); >= 1 off */
	double top_n_sigma;     /* <= 0 off */
	double xtc_threshold;   /* default 0.1; > 0.5 off */
	double xtc_probability; /* [0, 1]; 0 off */
	double dynatemp_range;  /* >= 0; 0 off */
	double dynatemp_exp;    /* > 0; default 1 */
	int min_keep;           /* >= 0; default 0 (acts as 1) */
	uint32_t seed;          /* seeds XTC's coin (and, in the CLI, the draws) */

	/* Truncations the text-generation tools add (stages of custom
	 * orders): text-generation-webui's definitions. */
	double top_a;           /* [0, 1]; keep p >= top_a p_max^2; 0 off */
	double tfs;             /* [0, 1]; tail-free z; 1 off */
	/* Mirostat (llama.cpp): 1 or 2 replaces the chain with temperature
	 * -> mirostat; 0 off. mu is the state entering this step, which the
	 * caller keeps: 2 tau at the start, then tv_mirostat_update. */
	int mirostat;
	double mirostat_tau;    /* (0, 100]; default 5 */
	double mirostat_eta;    /* (0, 1]; default 0.1 */
	double mirostat_mu;     /* default 10 */

	/* Edits of the logits before the chain (tempviz/history.h). */
	double repeat_penalty;  /* > 0; 1 off */
	int repeat_last_n;      /* llama.cpp's window: -1 all, 0 off; 64 */
	double freq_penalty;    /* 0 off */
	double presence_penalty; /* 0 off */
	double dry_multiplier;  /* >= 0; 0 off */
	double dry_base;        /* >= 1; default 1.75 */
	int dry_allowed_length; /* >= 0; default 2 */
	int dry_penalty_last_n; /* -1 all, 0 off; default -1 */
	/* DRY's sequence breakers, a NULL-terminated list of strings the
	 * caller keeps (tv_breakers_new); NULL is llama.cpp's defaults. */
	const char *const *dry_breakers;
	double smoothing_factor; /* >= 0; 0 off */
	double smoothing_curve; /* [1, 10]; default 1 */
};

/* The stages to run, in order, under one profile's boundary rules. */
struct tv_chain {
	enum tv_profile rules;
	int custom;             /* 1 when the order was given by the user */
	int n;
	enum tv_stage_kind stage[TV_STAGE__COUNT];
};

struct tv_stage_out {
	enum tv_stage_kind kind;
	int active;             /* the parameters switch this stage on */
	uint32_t lo, hi;        /* survivors: positions [lo, hi) of d->order */
	double tail_kept;       /* tail tokens surviving, 0 .. d->tail_g */
	double kept;            /* survivors counted with the tail: hi - lo +
	                           tail_kept */
	/*
	 * Probabilities: the scaled logit of a token is logit / temp (logit
	 * itself when temp == 1; when greedy, 0 for the survivor). Raw p, the
	 * softmax of what entered the stage, is exp(scaled - shift_in -
	 * lnz_in) at temp_in; renormalised p over the survivors is
	 * exp(scaled - shift - lnz). ln Z is shift + lnz, kept as two numbers
	 * because at a tiny T the shift (the top scaled logit) is so large
	 * that their sum would lose lnz.
	 */
	double temp_in, shift_in, lnz_in;
	double temp, shift, lnz;
};

struct tv_stats {
	double entropy_nats;    /* of the final distribution */
	double entropy_bits;
	double perplexity;      /* e^entropy_nats */
	double top1;            /* largest final probability */
	double kept;            /* tokens with p > 0, tail counted */
	double cut_mass;        /* mass softmax(logit / T) over the whole
	                           vocabulary gives to tokens that were cut */
	double kl_bits;         /* KL(final || softmax(logit) at T = 1) */
	double sum_p;           /* sum of final p, computed, not assumed */
	double vocab;           /* listed tokens plus tail */
};

struct tv_result {
	struct tv_chain chain;
	struct tv_stage_out st[TV_STAGE__COUNT];  /* one per chain.stage[i] */
	uint32_t lo, hi;        /* final survivors */
	double tail_kept;
	double temp;            /* effective temperature applied at the end
	                           (dynatemp's T, vLLM's clamp); 0 greedy */
	int greedy;
	double shift, lnz;      /* final p = exp(logit / temp - shift - lnz) */
	int xtc_fired;          /* XTC's coin came up (it may still cut none) */
	uint32_t ignored;       /* bit (1u << kind): set in params, not in chain */
	struct tv_stats stats;
};

/* Names used on the command line and on screen: "temperature", "top-k",
 * "top-p", "min-p", "typical", "top-n-sigma", "xtc"; profiles "hf",
 * "llama.cpp", "llama3", "vllm". Parsers return -1 for an unknown name. */
const char *tv_stage_name(enum tv_stage_kind k);
int tv_stage_parse(const char *s, size_t len);
const char *tv_profile_name(enum tv_profile p);
int tv_profile_parse(const char *s);

void tv_params_default(struct tv_params *p);
/* Check ranges; on error return the offending flag name (e.g. "--top-p")
 * and set *why to the accepted range. NULL when all is well. */
const char *tv_params_check(const struct tv_params *p, enum tv_profile rules,
			    const char **why);

/* The largest repetition penalty, and the largest size of a frequency
 * or presence penalty, the engine of rules takes. */
void tv_memory_limits(enum tv_profile rules, double *repeat_max,
		      double *fp_max);
/* Bring p's penalties within those limits; 1 when one moved. */
int tv_params_fit(struct tv_params *p, enum tv_profile rules);

void tv_chain_default(struct tv_chain *c, enum tv_profile p);
/* Parse "top-k,top-p,temperature" into c (keeping c->rules). Returns 0, or
 * -1 with *bad pointing at the offending name. Duplicates are an error. */
int tv_chain_parse(struct tv_chain *c, const char *order, const char **bad);
/* Move stage i one place earlier (delta -1) or later (+1); marks custom. */
void tv_chain_move(struct tv_chain *c, int i, int delta);

/* The chain that runs: c itself, or under mirostat (in llama.cpp's rules,
 * or when c names it) temperature -> mirostat alone, as llama.cpp's
 * common chain does; the stages it leaves out show in r->ignored. */
void tv_chain_effective(const struct tv_chain *c, const struct tv_params *p,
			struct tv_chain *out);

/* Run the chain on a finished distribution; fills every stage and stats. */
void tv_run(const struct tv_dist *d, const struct tv_chain *c,
	    const struct tv_params *p, struct tv_result *r);

/* Position of the tail level in pos-based calls below. */
#define TV_POS_TAIL UINT32_MAX

/* Final renormalised p of the token at position pos (per token for the
 * tail), 0 when cut. */
double tv_result_p(const struct tv_dist *d, const struct tv_result *r,
		   uint32_t pos);
/* p at T = 1 over the whole vocabulary (per token for the tail). */
double tv_base_p(const struct tv_dist *d, uint32_t pos);
/* p under temperature t alone (t > 0), before any truncation, over the
 * whole vocabulary (per token for the tail): softmax(z / t), the share
 * temperature by itself gives a token. One vectorised pass. */
double tv_temp_p(const struct tv_dist *d, double t, uint32_t pos);
/* Raw (renorm = 0) or renormalised (1) p after stage i, 0 when cut by it or
 * before it. */
double tv_stage_p(const struct tv_dist *d, const struct tv_result *r, int i,
		  uint32_t pos, int renorm);
/* The mass that stage i's survivors held in what entered it: raw p summed
 * over them, tail tokens included. For top-p it is what the nucleus
 * really holds, top_p or a little more, since the cut falls after the
 * token that reaches top_p. 0 for an i outside the chain. */
double tv_stage_kept_mass(const struct tv_dist *d, const struct tv_result *r,
			  int i);
/* Where min-p stage i cuts, as a probability: min_p times the largest raw
 * p that entered it. min-p always keeps that top token, so it is found
 * among the stage's survivors, the tail included when it ranks first.
 * llama.cpp compares logits in float, which agrees up to that rounding.
 * 0 for an i outside the chain. */
double tv_minp_threshold(const struct tv_dist *d, const struct tv_result *r,
			 int i, double min_p);
/*
 * The final distribution as the outcomes of a draw: the survivors in rank
 * order, then the kept tail as one outcome (its p per token times the
 * tail tokens kept). tv_outcome_count() is their number; outcome i is the
 * token at tv_outcome_pos(r, i), TV_POS_TAIL for the tail.
 * tv_result_outcomes() fills w[0 .. count) with their probabilities and
 * returns the count.
 */
uint32_t tv_result_outcomes(const struct tv_dist *d, const struct tv_result *r,
			    double *w);

static inline uint32_t
tv_outcome_count(const struct tv_result *r)
{
	return r->hi - r->lo + (r->tail_kept > 0);
}

static inline uint32_t
tv_outcome_pos(const struct tv_result *r, uint32_t i)
{
	return i < r->hi - r->lo ? r->lo + i : TV_POS_TAIL;
}

/* Index into r->chain of the stage that cut the token at pos, -1 kept,
 * TV_CUT_NEVER when it never was a candidate (a -inf logit, or the tail of
 * a distribution without one). The tail counts as cut once no tail token
 * is left. */
#define TV_CUT_NEVER (-2)
int tv_result_cut_by(const struct tv_result *r, uint32_t pos,
		     const struct tv_dist *d);

#endif
