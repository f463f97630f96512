/* SPDX-License-Identifier: MIT */
/*
 * The sampling pipeline: the stages and their boundary rules per engine
 * (../shared/reference/sampling.md), run on a view of ordered logits, and
 * tv_run with its statistics over the whole vocabulary.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/history.h"
#include "tempviz/pipeline.h"

#include "core/core.h"
#include "core/wselect.h"


static const char *const stage_names[TV_STAGE__COUNT] = {
	[TV_STAGE_TEMP] = "temperature",
	[TV_STAGE_TOP_K] = "top-k",
	[TV_STAGE_TOP_P] = "top-p",
	[TV_STAGE_MIN_P] = "min-p",
	[TV_STAGE_TYPICAL] = "typical",
	[TV_STAGE_TOP_N_SIGMA] = "top-n-sigma",
	[TV_STAGE_XTC] = "xtc",
	[TV_STAGE_TOP_A] = "top-a",
	[TV_STAGE_TFS] = "tfs",
	[TV_STAGE_MIROSTAT] = "mirostat",
};

static const char *const profile_names[TV_PROFILE__COUNT] = {
	[TV_PROFILE_HF] = "hf",
	[TV_PROFILE_LLAMACPP] = "llama.cpp",
	[TV_PROFILE_LLAMA3] = "llama3",
	[TV_PROFILE_VLLM] = "vllm",
};

const char *
tv_stage_name(enum tv_stage_kind k)
{
	return (unsigned)k < TV_STAGE__COUNT ? stage_names[k] : "?";
}

int
tv_stage_parse(const char *s, size_t len)
{
	int k;

	for (k = 0; k < TV_STAGE__COUNT; k++)
		if (strlen(stage_names[k]) == len &&
		    memcmp(stage_names[k], s, len) == 0)
			return k;
	return -1;
}

const char *
tv_profile_name(enum tv_profile p)
{
	return (unsigned)p < TV_PROFILE__COUNT ? profile_names[p] : "?";
}

int
tv_profile_parse(const char *s)
{
	int p;

	for (p = 0; p < TV_PROFILE__COUNT; p++)
		if (strcmp(profile_names[p], s) == 0)
			return p;
	return -1;
}

void
tv_params_default(struct tv_params *p)
{
	memset(p, 0, sizeof *p);
	p->temp = 1;
	p->top_p = 1;
	p->typical_p = 1;
	p->xtc_threshold = 0.1;
	p->dynatemp_exp = 1;
	p->tfs = 1;
	p->mirostat_tau = 5;
	p->mirostat_eta = 0.1;
	p->mirostat_mu = 10;
	p->repeat_penalty = 1;
	p->repeat_last_n = 64;
	p->dry_base = 1.75;
	p->dry_allowed_length = 2;
	p->dry_penalty_last_n = -1;
	p->smoothing_curve = 1;
}

/* ------------------------------------------------------------ checks --- */

static int
in_range(double v, double lo, int lo_open, double hi)
{
	if (!isfinite(v))
		return 0;
	return (lo_open ? v > lo : v >= lo) && v <= hi;
}

/* The samplers with memory and the text-generation tools' truncations. */
void
tv_memory_limits(enum tv_profile rules, double *repeat_max, double *fp_max)
{
	/* vLLM refuses more (vllm/sampling_params.py); the others take
	 * what the command line allows. */
	int vllm = rules == TV_PROFILE_VLLM;

	*repeat_max = vllm ? 2 : 100;
	*fp_max = vllm ? 2 : 100;
}

int
tv_params_fit(struct tv_params *p, enum tv_profile rules)
{
	struct tv_params was = *p;
	double rep_max, fp_max;

	tv_memory_limits(rules, &rep_max, &fp_max);
	p->repeat_penalty = fmin(p->repeat_penalty, rep_max);
	p->freq_penalty = fmax(-fp_max, fmin(p->freq_penalty, fp_max));
	p->presence_penalty = fmax(-fp_max, fmin(p->presence_penalty,
						 fp_max));
	return p->repeat_penalty != was.repeat_penalty ||
	       p->freq_penalty != was.freq_penalty ||
	       p->presence_penalty != was.presence_penalty;
}

static const char *
memory_check(const struct tv_params *p, enum tv_profile rules,
	     const char **why)
{
	int vllm = rules == TV_PROFILE_VLLM;
	double rep_max, fp_max;

	if (!in_range(p->top_a, 0, 0, 1))
		return *why = "a number in [0, 1] (0 is off)", "--top-a";
	if (!in_range(p->tfs, 0, 0, 1))
		return *why = "a number in [0, 1] (1 is off)", "--tfs";
	if (p->mirostat < 0 || p->mirostat > 2)
		return *why = "0 (off), 1 or 2", "--mirostat";
	if (!in_range(p->mirostat_tau, 0, 1, 100))
		return *why = "a number in (0, 100] (bits)", "--mirostat-ent";
	if (!in_range(p->mirostat_eta, 0, 1, 1))
		return *why = "a number in (0, 1]", "--mirostat-lr";
	if (!in_range(p->mirostat_mu, -1e6, 0, 1e6))
		return *why = "a number in [-1e6, 1e6]", "mirostat mu";
	tv_memory_limits(rules, &rep_max, &fp_max);
	if (!in_range(p->repeat_penalty, 0, 1, rep_max))
		return *why = vllm ? "a number in (0, 2] (1 is off)" :
		       "a number in (0, 100] (1 is off)", "--repeat-penalty";
	if (p->repeat_last_n < -1)
		return *why = "an integer >= -1 (-1 is all, 0 is off)",
		       "--repeat-last-n";
	if (!in_range(p->freq_penalty, -fp_max, 0, fp_max))
		return *why = vllm ? "a number in [-2, 2] (0 is off)" :
		       "a number in [-100, 100] (0 is off)",
		       "--frequency-penalty";
	if (!in_range(p->presence_penalty, -fp_max, 0, fp_max))
		return *why = vllm ? "a number in [-2, 2] (0 is off)" :
		       "a number in [-100, 100] (0 is off)",
		       "--presence-penalty";
	if (!in_range(p->dry_multiplier, 0, 0, 100))
		return *why = "a number in [0, 100] (0 is off)",
		       "--dry-multiplier";
	if (!in_range(p->dry_base, 1, 0, 100))
		return *why = "a number in [1, 100]", "--dry-base";
	if (p->dry_allowed_length < 0 || p->dry_allowed_length > 1000)
		return *why = "an integer in [0, 1000]", "--dry-allowed-length";
	if (p->dry_penalty_last_n < -1)
		return *why = "an integer >= -1 (-1 is all, 0 is off)",
		       "--dry-penalty-last-n";
	if (!in_range(p->smoothing_factor, 0, 0, 100))
		return *why = "a number in [0, 100] (0 is off)",
		       "--smoothing-factor";
	if (!in_range(p->smoothing_curve, 1, 0, 10))
		return *why = "a number in [1, 10]", "--smoothing-curve";
	return NULL;
}

const char *
tv_params_check(const struct tv_params *p, enum tv_profile rules,
		const char **why)
{
	int cpp = rules == TV_PROFILE_LLAMACPP;
	int loose = cpp || rules == TV_PROFILE_LLAMA3;

	if (!in_range(p->temp, 0, 0, 1e6) ||
	    (p->temp > 0 && p->temp < TV_TEMP_TINY))
		return *why = "0 (greedy) or a number in [1e-30, 1e6]", "--temp";
	if (rules == TV_PROFILE_VLLM ? p->top_k < -1 : !cpp && p->top_k < 0) {
		*why = rules == TV_PROFILE_VLLM ?
			"an integer >= -1 (0 and -1 are off)" :
			"an integer >= 0 (0 is off)";
		return "--top-k";
	}
	if (loose ? !in_range(p->top_p, 0, 0, DBL_MAX) :
	    !in_range(p->top_p, 0, rules == TV_PROFILE_VLLM, 1)) {
		*why = loose ? "a number >= 0 (1 and above are off)" :
		       rules == TV_PROFILE_VLLM ? "a number in (0, 1]" :
		       "a number in [0, 1]";
		return "--top-p";
	}
	if (cpp ? !in_range(p->min_p, 0, 0, DBL_MAX) :
	    !in_range(p->min_p, 0, 0, 1)) {
		*why = cpp ? "a number >= 0 (0 is off)" :
		       "a number in [0, 1] (0 is off)";
		return "--min-p";
	}
	if (cpp ? !in_range(p->typical_p, 0, 0, DBL_MAX) :
	    !in_range(p->typical_p, 0, 1, 1)) {
		*why = cpp ? "a number >= 0 (1 and above are off)" :
		       "a number in (0, 1] (1 is off)";
		return "--typical";
	}
	if (!in_range(p->top_n_sigma, -1e6, 0, 1e6))
		return *why = "a number (0 or below is off)", "--top-n-sigma";
	if (!in_range(p->xtc_threshold, 0, 0, 1))
		return *why = "a number in [0, 1] (above 0.5 is off)",
		       "--xtc-threshold";
	if (!in_range(p->xtc_probability, 0, 0, 1))
		return *why = "a number in [0, 1] (0 is off)",
		       "--xtc-probability";
	if (!in_range(p->dynatemp_range, 0, 0, 1e6))
		return *why = "a number in [0, 1e6] (0 is off)",
		       "--dynatemp-range";
	if (!in_range(p->dynatemp_exp, 0, 1, 100))
		return *why = "a number in (0, 100]", "--dynatemp-exp";
	if (p->min_keep < 0)
		return *why = "an integer >= 0", "--min-keep";
	return memory_check(p, rules, why);
}

/* ------------------------------------------------------------ chains --- */

void
tv_chain_default(struct tv_chain *c, enum tv_profile p)
{
	static const enum tv_stage_kind hf[] = {
		TV_STAGE_TEMP, TV_STAGE_TOP_K, TV_STAGE_TOP_P, TV_STAGE_MIN_P,
		TV_STAGE_TYPICAL,
	};
	static const enum tv_stage_kind cpp[] = {
		TV_STAGE_TOP_N_SIGMA, TV_STAGE_TOP_K, TV_STAGE_TYPICAL,
		TV_STAGE_TOP_P, TV_STAGE_MIN_P, TV_STAGE_XTC, TV_STAGE_TEMP,
	};
	static const enum tv_stage_kind llama3[] = {
		TV_STAGE_TEMP, TV_STAGE_TOP_P,
	};
	static const enum tv_stage_kind vllm[] = {
		TV_STAGE_TEMP, TV_STAGE_MIN_P, TV_STAGE_TOP_K, TV_STAGE_TOP_P,
	};
	const enum tv_stage_kind *s = hf;
	int n = (int)(sizeof hf / sizeof hf[0]), i;

	if (p == TV_PROFILE_LLAMACPP) {
		s = cpp;
		n = (int)(sizeof cpp / sizeof cpp[0]);
	} else if (p == TV_PROFILE_LLAMA3) {
		s = llama3;
		n = (int)(sizeof llama3 / sizeof llama3[0]);
	} else if (p == TV_PROFILE_VLLM) {
		s = vllm;
		n = (int)(sizeof vllm / sizeof vllm[0]);
	} else {
		p = TV_PROFILE_HF;
	}
	memset(c, 0, sizeof *c);
	c->rules = p;
	c->n = n;
	for (i = 0; i < n; i++)
		c->stage[i] = s[i];
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

int
tv_chain_parse(struct tv_chain *c, const char *order, const char **bad)
{
	enum tv_stage_kind st[TV_STAGE__COUNT];
	unsigned seen = 0;
	const char *s = order;
	int n = 0;

	for (;;) {
		const char *e, *b;
		int k;

		while (is_space(*s))
			s++;
		for (e = s; *e && *e != ','; e++)
			;
		for (b = e; b > s && is_space(b[-1]); b--)
			;
		k = tv_stage_parse(s, (size_t)(b - s));
		if (k < 0 || (seen & (1u << k)) || n == TV_STAGE__COUNT) {
			*bad = s;
			return -1;
		}
		seen |= 1u << k;
		st[n++] = (enum tv_stage_kind)k;
		if (!*e)
			break;
		s = e + 1;
	}
	c->custom = 1;
	c->n = n;
	memcpy(c->stage, st, (size_t)n * sizeof st[0]);
	return 0;
}

void
tv_chain_move(struct tv_chain *c, int i, int delta)
{
	int j = i + delta;
	enum tv_stage_kind t;

	if (i < 0 || i >= c->n || j < 0 || j >= c->n || i == j)
		return;
	t = c->stage[i];
	c->stage[i] = c->stage[j];
	c->stage[j] = t;
	c->custom = 1;
}

/* ------------------------------------------------------- temperature --- */

void
tv_temp_init(struct tv_temp *ts, double t, float lmax, float lmin)
{
	/* Below TV_TEMP_TINY, l / T overflows even a double. */
	if (t > 0 && t < TV_TEMP_TINY)
		t = TV_TEMP_TINY;
	ts->t = t;
	ts->tf = (float)t;
	ts->tf_ok = ts->tf >= FLT_MIN && ts->tf <= FLT_MAX;
	ts->fast = ts->tf_ok && isfinite(lmax / ts->tf) &&
		   isfinite(lmin / ts->tf);
}

/*
 * The scaled logit l / T as the engines compute it, a float division; in
 * double only where that cannot be done (T below FLT_MIN, or l / T past
 * FLT_MAX), which keeps the order and never gives inf.
 */
double
tv_scale(const struct tv_temp *ts, float l)
{
	if (ts->tf_ok) {
		float q = l / ts->tf;

		if (isfinite(q))
			return q;
	}
	return (double)l / ts->t;
}

/* ------------------------------------------------------------- units --- */

static int
has_tail(const struct tv_view *v)
{
	return v->tail_pos != UINT32_MAX;
}

static uint32_t
n_units(const struct tv_view *v)
{
	return v->n_all + (has_tail(v) ? 1u : 0u);
}

/* The listed position a unit boundary falls on. */
static uint32_t
unit_pos(const struct tv_view *v, uint32_t u)
{
	return has_tail(v) && u > v->tail_pos ? u - 1 : u;
}

static int
tail_in(const struct tv_cand *c)
{
	return c->tm > 0;
}

/* Order enough of a partly ordered view to read position p. */
static void
need(struct tv_view *v, uint32_t p)
{
	if (p >= v->n_ord && v->ops)
		v->ops->grow(v, p + 1);
}

/* Scaled logit of unit u under the candidates' temperature (0 for the
 * survivor of greedy). */
static double
uval(struct tv_view *v, const struct tv_cand *c, uint32_t u)
{
	struct tv_temp ts;

	if (c->t == 0)
		return 0;
	if (has_tail(v) && u == v->tail_pos)
		return v->tail_l / c->t;
	u = unit_pos(v, u);
	need(v, u);
	tv_temp_init(&ts, c->t, v->lmax, v->lmin);
	return tv_scale(&ts, v->sorted[u]);
}

/* Tokens in unit u of c. */
static double
uweight(const struct tv_view *v, const struct tv_cand *c, uint32_t u)
{
	return has_tail(v) && u == v->tail_pos ? c->tm : 1;
}

static uint32_t
uid(const struct tv_view *v, uint32_t u)
{
	if (has_tail(v) && u == v->tail_pos)
		return UINT32_MAX;
	return v->order[unit_pos(v, u)];
}

void
tv_cand_all(const struct tv_view *v, struct tv_cand *c)
{
	memset(c, 0, sizeof *c);
	c->uhi = n_units(v);
	c->tm = has_tail(v) ? v->tail_g : 0;
	c->t = 1;
}

/* Tokens among the candidates, the tail's counted one by one. */
static double
cand_count(const struct tv_view *v, const struct tv_cand *c)
{
	uint32_t lo = unit_pos(v, c->ulo), hi = unit_pos(v, c->uhi);

	return (double)(hi - lo) + c->tm;
}

static void
changed(struct tv_cand *c)
{
	c->have_lnz = 0;
	c->have_sums = 0;
}

/* Keep the first k tokens (the tail counts its tokens). */
static void
keep_first(const struct tv_view *v, struct tv_cand *c, double k)
{
	double before;

	if (k >= cand_count(v, c))
		return;
	changed(c);
	if (!tail_in(c)) {
		c->uhi = c->ulo + (uint32_t)k;
		return;
	}
	before = v->tail_pos - c->ulo;
	if (k <= before) {
		c->uhi = c->ulo + (uint32_t)k;
		c->tm = 0;
	} else if (k <= before + c->tm) {
		c->uhi = v->tail_pos + 1;
		c->tm = k - before;
	} else {
		c->uhi = v->tail_pos + 1 + (uint32_t)(k - before - c->tm);
	}
}

/* Drop the first k tokens; k is below the count. */
static void
drop_first(const struct tv_view *v, struct tv_cand *c, double k)
{
	double before;

	if (k <= 0)
		return;
	changed(c);
	if (!tail_in(c)) {
		c->ulo += (uint32_t)k;
		return;
	}
	before = v->tail_pos - c->ulo;
	if (k < before) {
		c->ulo += (uint32_t)k;
	} else if (k < before + c->tm) {
		c->ulo = v->tail_pos;
		c->tm -= k - before;
	} else {
		c->ulo = v->tail_pos + 1 + (uint32_t)(k - before - c->tm);
		c->tm = 0;
	}
}

/* Tokens in units [ulo, u) of c. */
static double
tokens_before(const struct tv_view *v, const struct tv_cand *c, uint32_t u)
{
	double k = (double)(unit_pos(v, u) - unit_pos(v, c->ulo));

	if (tail_in(c) && u > v->tail_pos)
		k += c->tm;
	return k;
}

/* ------------------------------------------------------------- sums --- */

static void
slow_sums(const float *l, uint32_t n, const struct tv_temp *ts, double m,
	  struct tv_sums *o)
{
	uint32_t i;

	memset(o, 0, sizeof *o);
	for (i = 0; i < n; i++) {
		double x = tv_scale(ts, l[i]) - m, e = exp(x);

		o->se += e;
		o->sex += e * x;
		o->sel += e * l[i];
	}
}

static void
add_sums(struct tv_sums *a, const struct tv_sums *b)
{
	a->se += b->se;
	a->sex += b->sex;
	a->sel += b->sel;
}

/* Short runs are summed in double, long ones by the float kernel. */
#define SHORT_RUN 2048u

void
tv_run_sums(const struct tv_temp *ts, const float *l, uint32_t n, double m,
	    struct tv_sums *o)
{
	if (ts->fast && n > SHORT_RUN)
		tv_sums(l, n, ts->tf, (float)m, o);
	else
		slow_sums(l, n, ts, m, o);
}

/* Sums over the listed positions [p0, p1) of the candidates. */
static void
listed_sums(struct tv_view *v, const struct tv_temp *ts, uint32_t p0,
	    uint32_t p1, double m, struct tv_sums *o)
{
	uint32_t end;
	struct tv_sums r;

	memset(o, 0, sizeof *o);
	if (p0 >= p1)
		return;
	/* The rest is summed unordered only when the range runs to the end. */
	need(v, p1 < v->n_all ? p1 - 1 : p0);
	end = p1 < v->n_ord ? p1 : v->n_ord;
	tv_run_sums(ts, v->sorted + p0, end - p0, m, o);
	if (end < p1) {
		v->ops->rest_sums(v, ts, (float)m, &r);
		add_sums(o, &r);
	}
}

/* Over a fully ordered view, se alone, the same number listed_sums
 * gives. */
static double
listed_se(const struct tv_view *v, const struct tv_temp *ts, uint32_t p0,
	  uint32_t p1, double m)
{
	const float *l = v->sorted + p0;
	uint32_t n = p1 - p0, i;
	double se = 0;

	if (ts->fast && n > SHORT_RUN)
		return tv_se(l, n, ts->tf, (float)m);
	for (i = 0; i < n; i++)
		se += exp(tv_scale(ts, l[i]) - m);
	return se;
}

/*
 * The candidates' top scaled logit, the shift of their sums: a float when
 * it fits, as the kernels subtract.
 */
static double
cand_top(struct tv_view *v, const struct tv_cand *c)
{
	double m = uval(v, c, c->ulo);

	if (tail_in(c) && c->ulo != v->tail_pos && v->tail_l / c->t > m)
		m = v->tail_l / c->t;
	return fabs(m) < FLT_MAX ? (float)m : m;
}

/*
 * The candidates' sums relative to m, their top scaled logit; with
 * lnz_only, on a fully ordered view, only se and lnz (the very numbers the
 * whole sums give), which saves the kernel two of its three accumulators
 * where a stage or the statistics want a logsumexp alone.
 */
static void
cand_sums(struct tv_view *v, struct tv_cand *c, int lnz_only)
{
	struct tv_temp ts;
	struct tv_sums s;
	double m;

	if (c->have_sums || (lnz_only && c->have_lnz))
		return;
	lnz_only = lnz_only && !v->ops && c->t != 0;
	c->have_sums = !lnz_only;
	c->have_lnz = 1;
	if (c->t == 0) {
		c->m = 0;
		c->se = 1;
		c->sex = 0;
		c->sel = tail_in(c) ? v->tail_l :
			 v->sorted[unit_pos(v, c->ulo)];
		c->lnz = 0;
		return;
	}
	tv_temp_init(&ts, c->t, v->lmax, v->lmin);
	m = cand_top(v, c);
	if (lnz_only) {
		memset(&s, 0, sizeof s);
		s.se = listed_se(v, &ts, unit_pos(v, c->ulo),
				 unit_pos(v, c->uhi), m);
	} else {
		listed_sums(v, &ts, unit_pos(v, c->ulo), unit_pos(v, c->uhi),
			    m, &s);
	}
	if (tail_in(c)) {
		double x = v->tail_l / c->t - m, e = c->tm * exp(x);

		s.se += e;
		s.sex += e * x;
		s.sel += e * v->tail_l;
	}
	c->m = m;
	c->se = s.se;
	c->sex = s.sex;
	c->sel = s.sel;
	c->lnz = log(s.se);
	if (c->ulo == 0 && c->uhi == n_units(v) &&
	    (!has_tail(v) || c->tm == v->tail_g)) {
		v->have_full = 1;
		v->full_t = c->t;
		v->full_m = c->m;
		v->full_lnz = c->lnz;
	}
}

void
tv_cand_sums(struct tv_view *v, struct tv_cand *c)
{
	cand_sums(v, c, 0);
}

/* p of one token of unit u among the candidates. */
static double
uprob(struct tv_view *v, const struct tv_cand *c, uint32_t u)
{
	return exp(uval(v, c, u) - c->m) / c->se;
}

/* -------------------------------------------------- prefix searches --- */

/* A monotone test on scaled logits: true on a prefix of the order. */
struct pred {
	int prob;               /* exp(s - m) / se >= thr, else s >= thr */
	double thr, m, se;
};

static int
pred_ok(const struct pred *pr, double s)
{
	if (pr->prob)
		return exp(s - pr->m) / pr->se >= pr->thr;
	return s >= pr->thr;
}

/*
 * Keep the candidates that pass pr: a binary search over units. A partly
 * ordered view grows until the boundary lies inside its ordered part.
 */
static double
count_pass(struct tv_view *v, const struct tv_cand *c, const struct pred *pr)
{
	uint32_t lo = c->ulo, hi = c->uhi;

	while (v->ops && unit_pos(v, hi) > v->n_ord) {
		uint32_t last = v->n_ord;

		if (last > unit_pos(v, lo) &&
		    !pred_ok(pr, uval(v, c, last - 1))) {
			hi = last;
			break;
		}
		v->ops->grow(v, (uint64_t)v->n_ord * 4 > v->n_all ?
				v->n_all : v->n_ord * 4);
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (pred_ok(pr, uval(v, c, mid)))
			lo = mid + 1;
		else
			hi = mid;
	}
	return tokens_before(v, c, lo);
}

static double
min_keep(const struct tv_params *p)
{
	return p->min_keep > 1 ? p->min_keep : 1;
}

/* ----------------------------------------------------------- stages --- */

static void
greedy(const struct tv_view *v, struct tv_cand *c)
{
	changed(c);
	if (tail_in(c) && c->ulo == v->tail_pos) {
		c->uhi = c->ulo + 1;
		c->tm = 1;
	} else {
		c->uhi = c->ulo + 1;
		c->tm = 0;
	}
	c->t = 0;
}

/* llama.cpp's temp-ext: T from the entropy of the current candidates. */
static double
dynatemp(struct tv_view *v, struct tv_cand *c, const struct tv_params *p)
{
	double lo = p->temp - p->dynatemp_range, hi = p->temp + p->dynatemp_range;
	double n = cand_count(v, c), h;

	if (lo < 0)
		lo = 0;
	tv_cand_sums(v, c);
	h = log(c->se) - c->sex / c->se;
	h /= log(n);
	h = h < 0 ? 0 : h > 1 ? 1 : h;
	return lo + (hi - lo) * pow(h, p->dynatemp_exp);
}

static void
stage_temp(struct tv_ctx *x, struct tv_cand *c)
{
	const struct tv_params *p = x->p;
	double t = p->temp;

	if (c->t == 0)
		return;
	/* vLLM raises 0 < T < 0.01 to 0.01 before its greedy test (T below
	 * 1e-5), so only T = 0 is greedy there. */
	if (x->rules == TV_PROFILE_VLLM && t > 0 && t < 1e-2)
		t = 1e-2;
	if (p->dynatemp_range > 0) {
		/* temp-ext leaves a single candidate untouched. */
		if (cand_count(x->v, c) <= 1)
			return;
		t = dynatemp(x->v, c, p);
	}
	if (t <= 0) {
		greedy(x->v, c);
		return;
	}
	if (t != c->t) {
		changed(c);
		c->t = t;
	}
}

static void
stage_top_k(struct tv_ctx *x, struct tv_cand *c)
{
	double k = x->p->top_k;
	struct pred pr = { 0, 0, 0, 0 };
	struct tv_cand kth;

	if (x->rules == TV_PROFILE_LLAMACPP) {
		/* Exactly k: at a tie the lower ids come first in the order. */
		keep_first(x->v, c, k);
		return;
	}
	if (k < min_keep(x->p))
		k = min_keep(x->p);
	if (k >= cand_count(x->v, c))
		return;
	/* HF and vLLM keep every token tied with the k-th. */
	kth = *c;
	keep_first(x->v, &kth, k);
	pr.thr = uval(x->v, c, kth.uhi - 1);
	keep_first(x->v, c, count_pass(x->v, c, &pr));
}

static void
stage_min_p(struct tv_ctx *x, struct tv_cand *c)
{
	double p = x->p->min_p, k;
	struct pred pr = { 0, 0, 0, 1 };
	double top = uval(x->v, c, c->ulo);

	if (x->rules == TV_PROFILE_LLAMACPP) {
		/* llama.cpp compares logits: l >= l_max + ln p, in float. */
		pr.thr = fabs(top) < FLT_MAX ?
			 (double)((float)top + logf((float)p)) : top + log(p);
	} else {
		/* The others compare probabilities: p_i >= min_p p_max. */
		pr.prob = 1;
		pr.m = top;
		pr.thr = p;
	}
	k = count_pass(x->v, c, &pr);
	if (k < min_keep(x->p))
		k = min_keep(x->p);
	keep_first(x->v, c, k);
}

/* How far below p the mass before the ordered part's end must lie for
 * top-p to keep all of it under any rounding of the sums (theirs and the
 * kernel's are near 1e-6 relative). */
#define DEFER_MARGIN 1e-4

/*
 * Whether top-p surely keeps every candidate of the ordered part and one
 * more: the mass before the ordered part's end, over a lower bound of the
 * candidates' sum, lies below p by a margin. The bound is the candidates'
 * kernel sum when it is known (all is 0), else the ordered part plus the
 * rest's kernel sum over a part of it. Then the cut is deferred (see
 * tv_ctx).
 */
static int
defer_top_p(struct tv_ctx *x, struct tv_cand *c, int all)
{
	struct tv_view *v = x->v;
	struct tv_temp ts;
	double m, top = 0, low;
	uint32_t i, p0 = unit_pos(v, c->ulo);

	if (!x->may_defer || !v->ops || !v->ops->rest_part || has_tail(v) ||
	    c->t == 0 || c->uhi != n_units(v) || p0 >= v->n_ord)
		return 0;
	tv_temp_init(&ts, c->t, v->lmax, v->lmin);
	if (!ts.fast)
		return 0;
	m = all ? c->m : (float)uval(v, c, c->ulo);
	for (i = p0; i < v->n_ord; i++)
		top += exp(tv_scale(&ts, v->sorted[i]) - m);
	low = all ? c->se : top + v->ops->rest_part(v, &ts, (float)m);
	if (!(top < (x->p->top_p - DEFER_MARGIN) * low * (1 - DEFER_MARGIN)))
		return 0;
	x->deferred = 1;
	x->topp_in = *c;
	x->topp_sure = v->n_ord + 1;
	return 1;
}

/* The weight (core/wselect.h) of a scaled logit given as a double. */
static uint64_t
tp_weight_of(const struct tv_tp *q, double s)
{
	return tv_weight((float)(s - q->m));
}

/* The weight of listed logit l: l / T - m in float, as the kernels. */
static uint64_t
tp_weight(const struct tv_tp *q, float l)
{
	if (q->ts.fast)
		return tv_weight(l / q->ts.tf - (float)q->m);
	return tp_weight_of(q, tv_scale(&q->ts, l));
}

/* The weight sum of listed positions [p0, p1) of an ordered view; with
 * blk, also the sum of each TV_BLOCK of them from p0. */
static tv_u128
tp_sum(const struct tv_view *v, const struct tv_tp *q, uint32_t p0,
       uint32_t p1, uint64_t *blk)
{
	tv_u128 z = 0;

	if (q->ts.fast)
		return tv_wsum(v->sorted + p0, p1 - p0, q->ts.tf, (float)q->m,
			       blk);
	for (uint32_t i = p0; i < p1; i++) {
		uint64_t w = tp_weight(q, v->sorted[i]);

		if (blk)
			blk[(i - p0) / TV_BLOCK] = ((i - p0) % TV_BLOCK ?
				blk[(i - p0) / TV_BLOCK] : 0) + w;
		z += w;
	}
	return z;
}

/* Tail tokens top-p keeps, of tm at weight w each after mass s and r
 * tokens: up to the first whose mass before is not short of goal g, and
 * at least min_keep's. */
static double
tp_tail(const struct tv_tp *q, tv_u128 s, uint64_t w, double tm, double r,
	tv_u128 g)
{
	uint64_t lo = 0, hi = (uint64_t)tm;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (tv_wshort(s + (tv_u128)w * mid, g))
			lo = mid + 1;
		else
			hi = mid;
	}
	if ((double)lo < q->mk - r)
		lo = (uint64_t)(q->mk - r);
	return (double)lo < tm ? (double)lo : tm;
}

/*
 * Top-p on the ordered candidates: the tokens kept, each while the mass
 * before it is short of p Z (core/wselect.h) or within min_keep. The pass
 * that finds Z keeps the sum of each block, and a block whose end is
 * still short is taken at once.
 */
static double
tp_walk(struct tv_view *v, const struct tv_cand *c, const struct tv_tp *q)
{
	uint32_t p0 = unit_pos(v, c->ulo), p1 = unit_pos(v, c->uhi), u;
	uint64_t wt = 0, *blk;
	tv_u128 z, s = 0, g;
	double r = 0;

	need(v, p1 - 1);
	/* Without room for the block sums, the walk goes token by token. */
	blk = malloc(((p1 - p0) / TV_BLOCK + 1) * sizeof *blk);
	z = tp_sum(v, q, p0, p1, blk);
	if (tail_in(c)) {
		wt = tp_weight_of(q, v->tail_l / c->t);
		z += (tv_u128)wt * (uint64_t)c->tm;
	}
	g = tv_wgoal(q->p, z, q->le);
	for (u = c->ulo; u < c->uhi;) {
		uint32_t p = unit_pos(v, u);

		if (has_tail(v) && u == v->tail_pos) {
			double j = tp_tail(q, s, wt, c->tm, r, g);

			r += j;
			s += (tv_u128)wt * (uint64_t)j;
			if (j < c->tm)
				break;
			u++;
			continue;
		}
		if (!tv_wshort(s, g) && r >= q->mk)
			break;
		if (blk && (p - p0) % TV_BLOCK == 0 && p + TV_BLOCK <= p1 &&
		    (!has_tail(v) || u > v->tail_pos ||
		     u + TV_BLOCK <= v->tail_pos) &&
		    tv_wshort(s + blk[(p - p0) / TV_BLOCK], g)) {
			s += blk[(p - p0) / TV_BLOCK];
			r += TV_BLOCK;
			u += TV_BLOCK;
			continue;
		}
		s += tp_weight(q, v->sorted[p]);
		r++;
		u++;
	}
	free(blk);
	return r;
}

/* Tail tokens, of n at probability pt after mass s, that top-p keeps. */
static double
top_p_tail(double s, double pt, double n, double p, int le)
{
	double q = (p - s) / pt, j;

	if (le)
		j = q >= 0 ? floor(q) + 1 : 0;
	else
		j = q > 0 ? ceil(q) : 0;
	return j < n ? j : n;
}

/*
 * Top-p on a short run of candidates, by their probabilities summed in
 * order (whole blocks far from the boundary through the kernel): the sums
 * the engines take, to the rounding their order gives.
 */
static double
tp_walk_short(struct tv_view *v, const struct tv_cand *c,
	      const struct tv_tp *q)
{
	double s = 0, r = 0;
	uint32_t u = c->ulo, scalar_to = 0;

	while (u < c->uhi) {
		if (has_tail(v) && u == v->tail_pos) {
			double pt = exp(v->tail_l / c->t - c->m) / c->se;
			double j = top_p_tail(s, pt, c->tm, q->p, q->le);

			if (j < q->mk - r)
				j = q->mk - r < c->tm ? q->mk - r : c->tm;
			r += j;
			s += j * pt;
			if (j < c->tm)
				break;
			u++;
			continue;
		}
		if (!(q->le ? s <= q->p : s < q->p) && r >= q->mk)
			break;
		if (q->ts.fast && u >= scalar_to && u + TV_BLOCK <= c->uhi &&
		    (!has_tail(v) || u > v->tail_pos ||
		     u + TV_BLOCK <= v->tail_pos)) {
			uint32_t p0 = unit_pos(v, u);
			struct tv_sums b;
			double bs;

			need(v, p0 + TV_BLOCK - 1);
			tv_sums(v->sorted + p0, TV_BLOCK, q->ts.tf, (float)c->m,
				&b);
			bs = b.se / c->se;
			if (s + bs * (1 + 1e-6) < q->p) {
				s += bs;
				r += TV_BLOCK;
				u += TV_BLOCK;
				continue;
			}
			scalar_to = u + TV_BLOCK;
		}
		s += uprob(v, c, u);
		r++;
		u++;
	}
	return r;
}

/*
 * Nucleus: token r is kept while the mass before it is short of p (at
 * most p in Meta's rule), and always within the first min_keep. Up to
 * SHORT_RUN listed candidates the masses are their probabilities summed
 * in order; past that, the exact integer masses of core/wselect.h, which
 * a partly ordered view may cut by without ordering its rest.
 */
static void
stage_top_p(struct tv_ctx *x, struct tv_cand *c)
{
	struct tv_view *v = x->v;
	int run = unit_pos(v, c->uhi) - unit_pos(v, c->ulo) <= SHORT_RUN;
	struct tv_tp q;
	double kept;

	if (defer_top_p(x, c, 0))
		return;
	/* The second test, and the short walk, read the whole sums. */
	if (x->may_defer || run) {
		tv_cand_sums(v, c);
		if (defer_top_p(x, c, 1))
			return;
	}
	memset(&q, 0, sizeof q);
	tv_temp_init(&q.ts, c->t, v->lmax, v->lmin);
	q.m = cand_top(v, c);
	q.p = x->p->top_p;
	q.mk = min_keep(x->p);
	q.le = x->rules == TV_PROFILE_LLAMA3;
	if (run)
		kept = tp_walk_short(v, c, &q);
	else if (!v->ops || !v->ops->top_p ||
		 v->ops->top_p(v, c, &q, &kept) != 0)
		kept = tp_walk(v, c, &q);
	keep_first(v, c, kept);
}

/*
 * Where locally typical's band starts: the first unit whose scaled logit
 * is at most piv (the mean, where the score is 0). All tied, the band
 * grows rightward, lower ids first. On its likely side the band grows
 * leftward, so within a run of equal logits there the higher ids come
 * first: the one place where a tie is not broken by the lower id, so that
 * the band stays a range (llama.cpp leaves this order unspecified; HF
 * keeps the whole run).
 */
static uint32_t
typical_pivot(struct tv_view *v, const struct tv_cand *c, double piv)
{
	uint32_t lo = c->ulo, hi = c->uhi;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (uval(v, c, mid) > piv)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Locally typical: tokens ordered by |-ln p - H|, kept until the mass
 * reaches p. -ln p grows along the order, so that order is a merge
 * outward from the pivot, and what is kept is a band of units. The score
 * is |x - <x>| with x = s - m, since -ln p - H = <x> - x.
 */
static void
stage_typical(struct tv_ctx *x, struct tv_cand *c)
{
	struct tv_view *v = x->v;
	double p = x->p->typical_p, mk = min_keep(x->p), mean, cum = 0, r = 0;
	double cut = 0, tail_take = 0;
	int hf = x->rules != TV_PROFILE_LLAMACPP, done = 0, have_cut = 0;
	uint32_t a, b;

	/* The band may lie anywhere: a partial view orders everything. */
	need(v, v->n_all - 1);
	tv_cand_sums(v, c);
	mean = c->sex / c->se;
	a = b = typical_pivot(v, c, c->m + mean);
	while (a > c->ulo || b < c->uhi) {
		uint32_t u;
		double sl = INFINITY, sr = INFINITY, sc, w, pu;
		int left;

		if (a > c->ulo)
			sl = uval(v, c, a - 1) - c->m - mean;
		if (b < c->uhi)
			sr = mean - (uval(v, c, b) - c->m);
		left = sl < sr || (sl == sr && uid(v, a - 1) < uid(v, b));
		u = left ? a - 1 : b;
		sc = left ? sl : sr;
		/* HF keeps every score tie at the mass cut, and past it only
		 * what min_keep forces, in typical order. */
		if (hf && have_cut && sc > cut && r >= mk)
			break;
		w = uweight(v, c, u);
		pu = uprob(v, c, u);
		if (w > 1 && !hf) {
			/* Part of the tail: the first j with cum + j pu > p. */
			double q = (p - cum) / pu;
			double j = q >= 0 ? floor(q) + 1 : 1;

			if (j < mk - r)
				j = mk - r;
			if (j < w) {
				tail_take = j;
				done = 1;
			}
		}
		if (left)
			a--;
		else
			b++;
		if (done)
			break;
		cum += w * pu;
		r += w;
		/* A flag, not a sentinel score: at low T rounding can make the
		 * first score a tiny negative number. */
		if (hf && !have_cut && cum >= p) {
			have_cut = 1;
			cut = sc;
		} else if (!hf && r >= mk && cum > p) {
			break;
		}
	}
	changed(c);
	c->ulo = a;
	c->uhi = b;
	if (!has_tail(v) || v->tail_pos < a || v->tail_pos >= b)
		c->tm = 0;
	else if (tail_take > 0)
		c->tm = tail_take;
}

static void
stage_top_n_sigma(struct tv_ctx *x, struct tv_cand *c)
{
	struct tv_view *v = x->v;
	uint32_t p0 = unit_pos(v, c->ulo), p1 = unit_pos(v, c->uhi), i;
	double top = uval(v, c, c->ulo), n = cand_count(v, c);
	double s1 = 0, s2 = 0, mean, sd;
	struct tv_temp ts;
	struct pred pr = { 0, 0, 0, 0 };

	if (n <= 1)
		return;
	tv_temp_init(&ts, c->t, v->lmax, v->lmin);
	need(v, p1 < v->n_all ? p1 - 1 : p0);
	for (i = p0; i < p1 && i < v->n_ord; i++) {
		double d = tv_scale(&ts, v->sorted[i]) - top;

		s1 += d;
		s2 += d * d;
	}
	if (i < p1) {
		double r1, r2;

		v->ops->rest_moments(v, &ts, top, &r1, &r2);
		s1 += r1;
		s2 += r2;
	}
	if (tail_in(c)) {
		double d = v->tail_l / c->t - top;

		s1 += c->tm * d;
		s2 += c->tm * d * d;
	}
	mean = s1 / n;
	sd = sqrt(fmax(0, s2 / n - mean * mean));
	pr.thr = top - x->p->top_n_sigma * sd;
	keep_first(v, c, count_pass(v, c, &pr));
}

static void
stage_xtc(struct tv_ctx *x, struct tv_cand *c)
{
	struct tv_view *v = x->v;
	double n = cand_count(v, c), k;
	struct pred pr = { 1, 0, 0, 0 };

	if (n < 2)
		return;
	if (x->xtc_seed) {
		tv_rng_seed(x->xtc, x->p->seed);
		x->xtc_seed = 0;
	}
	if (tv_rng_uniform_f(x->xtc) > x->p->xtc_probability)
		return;
	x->xtc_fired = 1;
	tv_cand_sums(v, c);
	pr.thr = x->p->xtc_threshold;
	pr.m = c->m;
	pr.se = c->se;
	/* Drop all at or above the threshold but the last of them. */
	k = count_pass(v, c, &pr) - 1;
	if (k > 0 && n - k >= x->p->min_keep)
		drop_first(v, c, k);
}

/*
 * Top-a, as text-generation-webui defines it (modules/sampler_hijack.py,
 * TopALogitsWarper): remove p < top_a p_max^2, over the candidates at
 * their temperature. p_i / p_max >= top_a p_max is a prefix test.
 */
static void
stage_top_a(struct tv_ctx *x, struct tv_cand *c)
{
	struct pred pr = { 1, 0, 0, 1 };
	double k;

	tv_cand_sums(x->v, c);
	pr.m = uval(x->v, c, c->ulo);
	pr.thr = x->p->top_a * uprob(x->v, c, c->ulo);
	k = count_pass(x->v, c, &pr);
	if (k < min_keep(x->p))
		k = min_keep(x->p);
	keep_first(x->v, c, k);
}

/* The unit holding token j of the candidates (the tail counts its
 * tokens), and how many tokens of that unit come from j on. */
static uint32_t
unit_of_token(const struct tv_view *v, const struct tv_cand *c, double j,
	      double *left)
{
	double before = tail_in(c) ? (double)(v->tail_pos - c->ulo) : 0;

	*left = 1;
	if (!tail_in(c) || j < before)
		return c->ulo + (uint32_t)j;
	if (j < before + c->tm) {
		*left = before + c->tm - j;
		return v->tail_pos;
	}
	return v->tail_pos + 1 + (uint32_t)(j - before - c->tm);
}

static double
token_p(struct tv_view *v, const struct tv_cand *c, double j)
{
	double left;

	return uprob(v, c, unit_of_token(v, c, j, &left));
}

/* |p_j - 2 p_j+1 + p_j+2|, and in *skip how many j from here on give the
 * same value: inside the tail's run of equal p it is 0 until its end. */
static double
tfs_d2(struct tv_view *v, const struct tv_cand *c, double j, double *skip)
{
	double left;

	unit_of_token(v, c, j, &left);
	*skip = left > 2 ? left - 2 : 1;
	if (left > 2)
		return 0;
	return fabs(token_p(v, c, j) - 2 * token_p(v, c, j + 1) +
		    token_p(v, c, j + 2));
}

/*
 * Tail-free sampling, as text-generation-webui defines it
 * (TailFreeLogitsWarper, after Phillips' tail-free sampling): the second
 * differences of the ordered p, absolute and normalised, summed; token
 * j + 1 goes once the sum through j passes z, the first token always
 * stays and the last always goes. The kept set is a prefix.
 */
static void
stage_tfs(struct tv_ctx *x, struct tv_cand *c)
{
	struct tv_view *v = x->v;
	double n = cand_count(v, c), sum = 0, cum = 0, j, skip, k = n - 1;

	need(v, v->n_all - 1);
	tv_cand_sums(v, c);
	for (j = 0; j + 2 < n; j += skip)
		sum += tfs_d2(v, c, j, &skip);
	for (j = 0; j + 2 < n && sum > 0; j += skip) {
		cum += tfs_d2(v, c, j, &skip) / sum;
		if (cum > x->p->tfs) {
			k = j + 1;
			break;
		}
	}
	if (k < min_keep(x->p))
		k = min_keep(x->p);
	keep_first(v, c, k);
}

/*
 * Mirostat (llama.cpp's llama_sampler_mirostat(_v2)_apply), on the
 * candidates at their temperature. v2 keeps the tokens whose surprise
 * -log2 p is at most mu (at least one). v1 estimates the Zipf exponent
 * s from the top m = 100 tokens, s = sum t_i b_i / sum t_i^2 with t_i =
 * ln((i+2)/(i+1)) and b_i = ln(p_i / p_i+1), and keeps the top
 * k = (e 2^mu / (1 - N^-e))^(1/s) with e = s - 1 and N the vocabulary.
 */
static double
mirostat_v1_k(struct tv_view *v, const struct tv_cand *c, double mu)
{
	double n = cand_count(v, c), st = 0, tt = 0, s, e, k;
	uint32_t i;

	for (i = 0; i < 99 && i + 1 < n; i++) {
		double t = log((double)(i + 2) / (double)(i + 1));
		double left, a = uval(v, c, unit_of_token(v, c, i, &left));
		double b = uval(v, c, unit_of_token(v, c, i + 1, &left));

		st += t * (a - b);
		tt += t * t;
	}
	s = st / tt;
	e = s - 1;
	k = pow(e * pow(2, mu) / (1 - pow(v->n_all + v->tail_g, -e)), 1 / s);
	return isfinite(k) && k >= 1 ? floor(k) : isnan(k) ? n : 1;
}

static void
stage_mirostat(struct tv_ctx *x, struct tv_cand *c)
{
	struct pred pr = { 1, 0, 0, 0 };
	double k;

	tv_cand_sums(x->v, c);
	if (x->p->mirostat == 1) {
		k = mirostat_v1_k(x->v, c, x->p->mirostat_mu);
	} else {
		pr.m = c->m;
		pr.se = c->se;
		pr.thr = exp2(-x->p->mirostat_mu);
		k = count_pass(x->v, c, &pr);
	}
	keep_first(x->v, c, k < 1 ? 1 : k);
}

double
tv_mirostat_update(const struct tv_params *p, double mu, double p_sel)
{
	return mu - p->mirostat_eta * (-log2(p_sel) - p->mirostat_tau);
}

int
tv_stage_on(enum tv_stage_kind k, const struct tv_params *p)
{
	switch (k) {
	case TV_STAGE_TEMP:
		return p->temp != 1 || p->dynatemp_range > 0;
	case TV_STAGE_TOP_K:
		return p->top_k > 0;
	case TV_STAGE_TOP_P:
		return p->top_p < 1;
	case TV_STAGE_MIN_P:
		return p->min_p > 0;
	case TV_STAGE_TYPICAL:
		return p->typical_p < 1;
	case TV_STAGE_TOP_N_SIGMA:
		return p->top_n_sigma > 0;
	case TV_STAGE_XTC:
		return p->xtc_probability > 0 && p->xtc_threshold <= 0.5;
	case TV_STAGE_TOP_A:
		return p->top_a > 0;
	case TV_STAGE_TFS:
		return p->tfs < 1;
	case TV_STAGE_MIROSTAT:
		return p->mirostat != 0;
	case TV_STAGE__COUNT:
		break;
	}
	return 0;
}

/* The deferred top-p's cut, made on what entered it; the candidates
 * since then are a prefix of those, so the cut shortens them or not. */
static void
end_deferral(struct tv_ctx *x, struct tv_cand *c)
{
	struct tv_cand in = x->topp_in;

	x->deferred = 0;
	if (c->uhi <= x->topp_sure)
		return;
	x->may_defer = 0;
	stage_top_p(x, &in);
	x->may_defer = 1;
	if (in.uhi < c->uhi) {
		c->uhi = in.uhi;
		changed(c);
	}
}

void
tv_chain_end(struct tv_ctx *x, struct tv_cand *c)
{
	if (x->deferred)
		end_deferral(x, c);
}

/* Stages that cut a prefix by the logits alone leave a deferred top-p
 * deferred: its cut and theirs commute. */
static int
keeps_deferral(enum tv_stage_kind k, const struct tv_params *p)
{
	return k == TV_STAGE_TOP_K || k == TV_STAGE_MIN_P ||
	       (k == TV_STAGE_TEMP && p->dynatemp_range <= 0);
}

void
tv_stage_apply(struct tv_ctx *x, enum tv_stage_kind k, struct tv_cand *c)
{
	if (!tv_stage_on(k, x->p))
		return;
	if (x->deferred && !keeps_deferral(k, x->p))
		end_deferral(x, c);
	if (k == TV_STAGE_TEMP) {
		stage_temp(x, c);
		return;
	}
	/* Every truncation keeps at least one token. */
	if (cand_count(x->v, c) <= 1)
		return;
	switch (k) {
	case TV_STAGE_TOP_K:
		stage_top_k(x, c);
		break;
	case TV_STAGE_TOP_P:
		stage_top_p(x, c);
		break;
	case TV_STAGE_MIN_P:
		stage_min_p(x, c);
		break;
	case TV_STAGE_TYPICAL:
		stage_typical(x, c);
		break;
	case TV_STAGE_TOP_N_SIGMA:
		stage_top_n_sigma(x, c);
		break;
	case TV_STAGE_XTC:
		stage_xtc(x, c);
		break;
	case TV_STAGE_TOP_A:
		stage_top_a(x, c);
		break;
	case TV_STAGE_TFS:
		stage_tfs(x, c);
		break;
	case TV_STAGE_MIROSTAT:
		stage_mirostat(x, c);
		break;
	default:
		break;
	}
}

/* -------------------------------------------------------------- run --- */

static void
view_of_dist(const struct tv_dist *d, struct tv_view *v)
{
	memset(v, 0, sizeof *v);
	v->sorted = d->sorted;
	v->order = d->order;
	v->n_ord = d->n_finite;
	v->n_all = d->n_finite;
	v->tail_g = d->tail_g;
	v->tail_l = d->tail_logit;
	v->tail_pos = d->tail_g > 0 ? d->tail_pos : UINT32_MAX;
	v->lmax = d->sorted[0];
	v->lmin = d->sorted[d->n_finite - 1];
	/* The T = 1 logsumexp of everything is known already. */
	v->have_full = 1;
	v->full_t = 1;
	v->full_m = 0;
	v->full_lnz = d->lse1;
}

/* Whether the first stage from i on that acts reads the sums of what
 * enters it beyond ln Z; past the last, the statistics do. */
static int
sums_ahead(const struct tv_chain *c, int i, const struct tv_params *p)
{
	for (; i < c->n; i++) {
		enum tv_stage_kind k = c->stage[i];

		if (tv_stage_on(k, p))
			return k == TV_STAGE_TYPICAL || k == TV_STAGE_XTC ||
			       (k == TV_STAGE_TEMP && p->dynatemp_range > 0);
	}
	return 1;
}

static double
cand_lnz(struct tv_view *v, struct tv_cand *c)
{
	cand_sums(v, c, 1);
	return c->lnz;
}

static void
stage_out(struct tv_view *v, struct tv_cand *c, struct tv_stage_out *o)
{
	o->lo = unit_pos(v, c->ulo);
	o->hi = unit_pos(v, c->uhi);
	o->tail_kept = c->tm;
	o->kept = cand_count(v, c);
	o->temp = c->t;
	o->lnz = cand_lnz(v, c);
	o->shift = c->m;
}

/* Greedy's cut mass: softmax(l / T) at T -> 0 splits the mass evenly over
 * the tokens tied at the maximum. */
static double
greedy_cut(const struct tv_dist *d, const struct tv_result *r)
{
	double top = d->sorted[0], ties = 0, kept;
	uint32_t lo = 0, hi = d->n_finite;

	if (d->tail_g > 0 && d->tail_logit > top)
		top = d->tail_logit;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (d->sorted[mid] >= top)
			lo = mid + 1;
		else
			hi = mid;
	}
	ties = lo;
	if (d->tail_g > 0 && d->tail_logit == top)
		ties += d->tail_g;
	kept = r->tail_kept > 0 ? d->tail_logit : d->sorted[r->lo];
	return kept == top ? 1 - 1 / ties : 1;
}

/* The sum of the final p, computed afresh: exp(s - m - lnz) summed over
 * the survivors by the kernel. */
static double
sum_final(struct tv_view *v, const struct tv_cand *c)
{
	struct tv_temp ts;
	struct tv_sums s;
	double sum;

	if (c->t == 0)
		return 1;
	tv_temp_init(&ts, c->t, v->lmax, v->lmin);
	tv_run_sums(&ts, v->sorted + unit_pos(v, c->ulo),
		    unit_pos(v, c->uhi) - unit_pos(v, c->ulo), c->m, &s);
	sum = s.se * exp(-c->lnz);
	if (tail_in(c))
		sum += c->tm * exp(v->tail_l / c->t - c->m - c->lnz);
	return sum;
}

static void
fill_stats(const struct tv_dist *d, struct tv_view *v, struct tv_cand *c,
	   struct tv_result *r)
{
	struct tv_stats *st = &r->stats;

	st->vocab = d->vocab_size;
	st->kept = cand_count(v, c);
	if (c->t == 0) {
		double l = r->tail_kept > 0 ? d->tail_logit : d->sorted[r->lo];

		st->entropy_nats = 0;
		st->top1 = 1;
		st->kl_bits = (d->lse1 - l) / M_LN2;
		st->cut_mass = greedy_cut(d, r);
	} else {
		double full_m, full, kl;

		tv_cand_sums(v, c);
		st->entropy_nats = fmax(0, log(c->se) - c->sex / c->se);
		st->top1 = exp(uval(v, c, c->ulo) - c->m - c->lnz);
		if (tail_in(c) && c->ulo != v->tail_pos)
			st->top1 = fmax(st->top1, exp(v->tail_l / c->t -
						      c->m - c->lnz));
		kl = d->lse1 - c->sel / c->se - st->entropy_nats;
		st->kl_bits = fmax(0, kl) / M_LN2;
		if (v->have_full && v->full_t == c->t) {
			full_m = v->full_m;
			full = v->full_lnz;
		} else {
			struct tv_cand all;

			tv_cand_all(v, &all);
			all.t = c->t;
			full = cand_lnz(v, &all);
			full_m = all.m;
		}
		st->cut_mass = fmin(1, fmax(0, -expm1((c->m - full_m) +
						       (c->lnz - full))));
	}
	st->entropy_bits = st->entropy_nats / M_LN2;
	st->perplexity = exp(st->entropy_nats);
	st->sum_p = sum_final(v, c);
}

void
tv_chain_effective(const struct tv_chain *c, const struct tv_params *p,
		   struct tv_chain *out)
{
	int has = 0;

	for (int i = 0; i < c->n; i++)
		has |= c->stage[i] == TV_STAGE_MIROSTAT;
	*out = *c;
	if (p->mirostat == 0 || (c->rules != TV_PROFILE_LLAMACPP && !has))
		return;
	/* llama.cpp's common chain under mirostat: temp, then mirostat. */
	out->n = 2;
	out->stage[0] = TV_STAGE_TEMP;
	out->stage[1] = TV_STAGE_MIROSTAT;
}

void
tv_run(const struct tv_dist *d, const struct tv_chain *chain,
       const struct tv_params *p, struct tv_result *r)
{
	struct tv_chain eff;
	const struct tv_chain *c = &eff;
	struct tv_view v;
	struct tv_cand k;
	struct tv_rng coin;
	struct tv_ctx x = { .v = &v, .rules = chain->rules, .p = p,
			    .xtc = &coin, .xtc_seed = 1 };
	uint32_t in_chain = 0;
	int i;

	memset(r, 0, sizeof *r);
	tv_chain_effective(chain, p, &eff);
	r->chain = eff;
	view_of_dist(d, &v);
	tv_cand_all(&v, &k);
	k.m = 0;
	k.lnz = d->lse1;
	k.have_lnz = 1;
	for (i = 0; i < c->n; i++) {
		struct tv_stage_out *o = &r->st[i];

		o->kind = c->stage[i];
		o->active = tv_stage_on(o->kind, p);
		o->temp_in = k.t;
		/* When the next stage to act (or the statistics) reads
		 * the whole sums, they come in the same pass as ln Z. */
		if (sums_ahead(c, i, p))
			tv_cand_sums(&v, &k);
		o->lnz_in = cand_lnz(&v, &k);
		o->shift_in = k.m;
		tv_stage_apply(&x, o->kind, &k);
		if (sums_ahead(c, i + 1, p))
			tv_cand_sums(&v, &k);
		stage_out(&v, &k, o);
		in_chain |= 1u << o->kind;
	}
	for (i = 0; i < TV_STAGE__COUNT; i++)
		if (tv_stage_on((enum tv_stage_kind)i, p) &&
		    !(in_chain & (1u << i)))
			r->ignored |= 1u << i;
	r->lo = unit_pos(&v, k.ulo);
	r->hi = unit_pos(&v, k.uhi);
	r->tail_kept = k.tm;
	r->temp = k.t;
	r->greedy = k.t == 0;
	r->lnz = cand_lnz(&v, &k);
	r->shift = k.m;
	r->xtc_fired = x.xtc_fired;
	fill_stats(d, &v, &k, r);
}

/* ---------------------------------------------------------- queries --- */

/* exp(scaled - shift - lnz) for a token at position pos (or the tail)
 * under temperature t, 1 for the survivor of greedy. */
static double
p_at(const struct tv_dist *d, uint32_t pos, double t, double shift,
     double lnz)
{
	struct tv_temp ts;

	if (t == 0)
		return 1;
	if (pos == TV_POS_TAIL)
		return exp(d->tail_logit / t - shift - lnz);
	tv_temp_init(&ts, t, d->sorted[0], d->sorted[d->n_finite - 1]);
	return exp(tv_scale(&ts, d->sorted[pos]) - shift - lnz);
}

static int
survives(uint32_t pos, uint32_t lo, uint32_t hi, double tail_kept)
{
	if (pos == TV_POS_TAIL)
		return tail_kept > 0;
	return pos >= lo && pos < hi;
}

double
tv_result_p(const struct tv_dist *d, const struct tv_result *r, uint32_t pos)
{
	if (!survives(pos, r->lo, r->hi, r->tail_kept))
		return 0;
	return p_at(d, pos, r->temp, r->shift, r->lnz);
}

uint32_t
tv_result_outcomes(const struct tv_dist *d, const struct tv_result *r,
		   double *w)
{
	uint32_t n = tv_outcome_count(r), i;

	for (i = 0; i < n; i++) {
		uint32_t pos = tv_outcome_pos(r, i);

		w[i] = tv_result_p(d, r, pos) *
		       (pos == TV_POS_TAIL ? r->tail_kept : 1);
	}
	return n;
}

double
tv_base_p(const struct tv_dist *d, uint32_t pos)
{
	if (pos == TV_POS_TAIL)
		return d->tail_g > 0 ? exp(d->tail_logit - d->lse1) : 0;
	if (pos >= d->n_finite)
		return 0;
	return exp(d->sorted[pos] - d->lse1);
}

double
tv_temp_p(const struct tv_dist *d, double t, uint32_t pos)
{
	struct tv_temp ts;
	double m, se = 0;
	uint32_t n = d->n_finite;

	if (!(t > 0) || n == 0 || (pos != TV_POS_TAIL && pos >= n) ||
	    (pos == TV_POS_TAIL && !(d->tail_g > 0)))
		return 0;
	tv_temp_init(&ts, t, d->sorted[0], d->sorted[n - 1]);
	m = tv_scale(&ts, d->sorted[0]);
	if (d->tail_g > 0 && d->tail_logit / ts.t > m)
		m = d->tail_logit / ts.t;
	if (ts.fast && n > SHORT_RUN) {
		se = tv_se(d->sorted, n, ts.tf, (float)m);
	} else {
		for (uint32_t i = 0; i < n; i++)
			se += exp(tv_scale(&ts, d->sorted[i]) - m);
	}
	if (d->tail_g > 0)
		se += d->tail_g * exp(d->tail_logit / ts.t - m);
	if (pos == TV_POS_TAIL)
		return exp(d->tail_logit / ts.t - m) / se;
	return exp(tv_scale(&ts, d->sorted[pos]) - m) / se;
}

double
tv_stage_p(const struct tv_dist *d, const struct tv_result *r, int i,
	   uint32_t pos, int renorm)
{
	const struct tv_stage_out *o;

	if (i < 0 || i >= r->chain.n)
		return 0;
	o = &r->st[i];
	if (!survives(pos, o->lo, o->hi, o->tail_kept))
		return 0;
	if (renorm)
		return p_at(d, pos, o->temp, o->shift, o->lnz);
	return p_at(d, pos, o->temp_in, o->shift_in, o->lnz_in);
}

double
tv_stage_kept_mass(const struct tv_dist *d, const struct tv_result *r, int i)
{
	const struct tv_stage_out *o;
	double sum = 0;
	uint32_t pos;

	if (i < 0 || i >= r->chain.n)
		return 0;
	o = &r->st[i];
	for (pos = o->lo; pos < o->hi; pos++)
		sum += tv_stage_p(d, r, i, pos, 0);
	if (o->tail_kept > 0)
		sum += tv_stage_p(d, r, i, TV_POS_TAIL, 0) * o->tail_kept;
	return sum;
}

double
tv_minp_threshold(const struct tv_dist *d, const struct tv_result *r, int i,
		  double min_p)
{
	double top;

	if (i < 0 || i >= r->chain.n)
		return 0;
	/* A cut token gives 0, so the larger of the two is the top. */
	top = fmax(tv_stage_p(d, r, i, r->st[i].lo, 0),
		   tv_stage_p(d, r, i, TV_POS_TAIL, 0));
	return min_p * top;
}

int
tv_result_cut_by(const struct tv_result *r, uint32_t pos,
		 const struct tv_dist *d)
{
	int i;

	if (pos == TV_POS_TAIL ? d->tail_g <= 0 : pos >= d->n_finite)
		return TV_CUT_NEVER;
	for (i = 0; i < r->chain.n; i++)
		if (!survives(pos, r->st[i].lo, r->st[i].hi,
			      r->st[i].tail_kept))
			return i;
	return -1;
}
