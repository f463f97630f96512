/* SPDX-License-Identifier: MIT */
/*
 * Samplers with memory: repetition, frequency and presence penalties in
 * each engine's rule, llama.cpp's DRY, quadratic smoothing, and mending a
 * loaded distribution's order after its logits moved
 * (../shared/reference/sampling.md, sections 2.9 and 2.10).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/history.h"

#include "core/core.h"

/*
 * Scratch kept across calls, so that a step costs the history and not
 * the vocabulary. slot maps a token to its index among the tokens met as
 * a sparse set (Briggs and Torczon): token t is met when slot[t] < n and
 * id[slot[t]] == t, so slot is never cleared and whatever it holds from
 * earlier calls is harmless.
 *
 * The penalties' set (its first n_set tokens and their counts) is kept
 * too, with the history it counted (hist, kept tokens, counted from the
 * first): a history that extends that one under the same rule and prompt
 * is counted from where the last left off, as llama.cpp keeps its counts
 * as each token is accepted. A step of generation then counts one token,
 * and a dial moved on the same history none. The per-index arrays past
 * n_set are at rest (0, 0, TV_DRY_NONE) when a call returns, and so are
 * DRY's below it.
 */
struct tv_memo {
	uint32_t vocab;
	uint32_t *slot;         /* by id */
	uint32_t cap;           /* room below, in tokens of history */
	uint32_t *id;           /* the tokens met, in the order first met */
	uint32_t *count;        /* times counted by the penalties */
	uint32_t *dry_len;      /* DRY's longest repeat for the token */
	uint32_t *dry_at;       /* ... and where, TV_DRY_NONE when none */
	uint32_t *z;            /* DRY's match lengths, one per window token */
	float *before, *mid;    /* the logits met, and after the penalties */
	uint32_t *hist;         /* the history the set counted */
	uint32_t n_set, kept;   /* the set's tokens, hist's */
	enum tv_profile kept_rules;
	uint32_t kept_prompt;   /* its n_prompt */
};

int
tv_memory_has(enum tv_profile rules, enum tv_mem_sampler s)
{
	switch (rules) {
	case TV_PROFILE_LLAMACPP:
		return 1;
	case TV_PROFILE_VLLM:
		return s != TV_MS_DRY;
	case TV_PROFILE_HF:
		return s == TV_MS_REPEAT;
	default:
		return 0;
	}
}

int
tv_penalties_on(const struct tv_params *p, enum tv_profile rules)
{
	int on = (p->repeat_penalty != 1 && tv_memory_has(rules, TV_MS_REPEAT)) ||
		 (p->freq_penalty != 0 && tv_memory_has(rules, TV_MS_FREQ)) ||
		 (p->presence_penalty != 0 &&
		  tv_memory_has(rules, TV_MS_PRESENCE));

	/* llama.cpp: mirostat's chain has none, and a window of 0 is off. */
	if (rules == TV_PROFILE_LLAMACPP)
		return on && p->mirostat == 0 && p->repeat_last_n != 0;
	return on;
}

int
tv_dry_on(const struct tv_params *p, enum tv_profile rules)
{
	return tv_memory_has(rules, TV_MS_DRY) && p->mirostat == 0 &&
	       p->dry_multiplier != 0 && p->dry_base >= 1 &&
	       p->dry_penalty_last_n != 0;
}

int
tv_memory_ignored(const struct tv_params *p, enum tv_profile rules)
{
	struct tv_params q = *p;

	q.mirostat = 0;
	return p->mirostat != 0 && rules == TV_PROFILE_LLAMACPP &&
	       (tv_penalties_on(&q, rules) || tv_dry_on(&q, rules));
}

int
tv_smoothing_on(const struct tv_params *p)
{
	return p->smoothing_factor > 0;
}

struct tv_memo *
tv_memo_new(uint32_t vocab)
{
	struct tv_memo *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->vocab = vocab;
	/* Zeroed only so that its first reads are defined. */
	m->slot = calloc(vocab ? vocab : 1, sizeof *m->slot);
	if (!m->slot) {
		free(m);
		return NULL;
	}
	return m;
}

void
tv_memo_free(struct tv_memo *m)
{
	if (!m)
		return;
	free(m->slot);
	free(m->id);
	free(m);
}

/* Room for a history of n tokens, the scratch at rest (and the set
 * emptied) when it grows: by doubling at least, so that a history growing
 * a token a step rarely loses its set. */
static int
memo_room(struct tv_memo *m, uint32_t n)
{
	uint32_t *b;

	if (n <= m->cap)
		return 0;
	if (n < UINT32_MAX / 2 && n < 2 * m->cap)
		n = 2 * m->cap;
	b = malloc((size_t)n * 8 * sizeof *b);
	if (!b)
		return -1;
	free(m->id);
	m->id = b;
	m->count = b + n;
	m->dry_len = b + 2 * (size_t)n;
	m->dry_at = b + 3 * (size_t)n;
	m->z = b + 4 * (size_t)n;
	m->before = (float *)(void *)(b + 5 * (size_t)n);
	m->mid = (float *)(void *)(b + 6 * (size_t)n);
	m->hist = b + 7 * (size_t)n;
	m->n_set = m->kept = 0;
	memset(m->count, 0, (size_t)n * 2 * sizeof *b);
	memset(m->dry_at, 0xff, (size_t)n * sizeof *b);
	m->cap = n;
	return 0;
}

int
tv_dry_breaker_text(const char *tok, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (tok[i] == '\n' || tok[i] == ':' || tok[i] == '"' ||
		    tok[i] == '*')
			return 1;
	return 0;
}

/* ------------------------------------------------------- the rules --- */

/* The penalties' constants as the engines hold them, in float. */
struct pen_rule {
	int on, rep, fp;
	float r, f, pres;
};

static struct pen_rule
pen_rule(const struct tv_params *p, enum tv_profile rules)
{
	return (struct pen_rule){
		.on = tv_penalties_on(p, rules),
		.rep = p->repeat_penalty != 1,
		.fp = tv_memory_has(rules, TV_MS_FREQ),
		.r = (float)p->repeat_penalty,
		.f = (float)p->freq_penalty,
		.pres = (float)p->presence_penalty,
	};
}

/*
 * The three penalties on one logit, for a token counted c times.
 * llama.cpp (llama_sampler_penalties_apply): over a window of the last
 * repeat_last_n tokens, for a token seen c > 0 times, repeat, then l -= c
 * freq + present. HF (RepetitionPenaltyLogitsProcessor): the repetition
 * penalty once per distinct token of the whole history, prompt included.
 * vLLM (apply_penalties): repetition over prompt and output, l -= freq
 * c_out + presence [c_out > 0] over the output only. The repetition
 * penalty divides a positive logit and multiplies the rest: llama.cpp
 * divides at l > 0 and HF at l >= 0; at 0 both give 0.
 */
static float
penalized(const struct pen_rule *q, float l, uint32_t c)
{
	if (q->rep)
		l = l <= 0 ? l * q->r : l / q->r;
	if (q->fp)
		l -= (float)c * q->f + (float)(c > 0) * q->pres;
	return l > FLT_MAX ? FLT_MAX : l;
}

/* DRY's constants; the exponent is clamped so that the power stays a
 * float. */
struct dry_rule {
	uint32_t allowed;
	int max_exp;
	float mult, base;
};

static struct dry_rule
dry_rule(const struct tv_params *p)
{
	struct dry_rule q = {
		.allowed = (uint32_t)p->dry_allowed_length,
		.mult = (float)p->dry_multiplier,
		.base = (float)p->dry_base,
	};

	if (p->dry_base > 1.000001)
		q.max_exp = (int)(88.7228391f / logf(q.base));
	return q;
}

static float
dry_cost(const struct dry_rule *q, uint32_t len)
{
	int ex = (int)len - (int)q->allowed;

	if (q->max_exp > 0 && ex > q->max_exp)
		ex = q->max_exp;
	return q->mult * powf(q->base, (float)ex);
}

/* The token i places before the window's end, the end itself at 0. */
static inline uint32_t
back(const uint32_t *last, uint32_t i)
{
	return *(last - i);
}

/* The first of the longer breakers that start with token t. */
static const struct tv_brk_seq *
first_seq(const struct tv_breakers *b, uint32_t t)
{
	uint32_t lo = 0, hi = b->n_seq;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (b->seq[mid].head < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return b->seq + lo;
}

/* The longer breaker q starts i places from the end and is complete. */
static int
seq_ends_here(const struct tv_breakers *b, const struct tv_brk_seq *q,
	      const uint32_t *last, uint32_t i)
{
	for (uint32_t o = 0; o < q->len; o++)
		if (b->tail[q->off + o] != back(last, i - o - 1))
			return 0;
	return 1;
}

/*
 * How far back from the end a repeat may reach (llama.cpp's rep_limit):
 * up to the latest sequence breaker in the window of n tokens, not
 * through it. At each token from the end, the longest breaker it starts
 * and completes counts; the first token that completes one decides.
 */
static uint32_t
restart_limit(const struct tv_breakers *b, const uint32_t *last, uint32_t n)
{
	for (uint32_t i = 0; b && i < n; i++) {
		uint32_t t = back(last, i);
		const struct tv_brk_seq *q;
		long longest = -1;

		if (t >= b->vocab || !b->kind[t])
			continue;
		if (b->kind[t] & TV_BRK_SINGLE)
			longest = 0;
		if (b->kind[t] & TV_BRK_HEAD)
			for (q = first_seq(b, t); q < b->seq + b->n_seq &&
			     q->head == t; q++)
				if ((long)q->len > longest && q->len <= i &&
				    seq_ends_here(b, q, last, i))
					longest = q->len;
		if (longest >= 0)
			return i - (uint32_t)longest;
	}
	return n;
}

/* A breaker by itself: DRY never penalises it. */
static int
single(const struct tv_breakers *b, uint32_t id)
{
	return b && id < b->vocab && (b->kind[id] & TV_BRK_SINGLE);
}

/* DRY's window: its last dry_penalty_last_n tokens (-1 all). */
static uint32_t
dry_window(const struct tv_params *p, const struct tv_history *h)
{
	if (p->dry_penalty_last_n > 0 &&
	    (uint32_t)p->dry_penalty_last_n < h->n)
		return (uint32_t)p->dry_penalty_last_n;
	return h->n;
}

/* The penalties' window: llama.cpp's last repeat_last_n tokens (-1
 * all), the whole history elsewhere. */
static uint32_t
pen_from(const struct tv_params *p, enum tv_profile rules,
	 const struct tv_history *h)
{
	if (rules == TV_PROFILE_LLAMACPP && p->repeat_last_n >= 0 &&
	    (uint32_t)p->repeat_last_n < h->n)
		return h->n - (uint32_t)p->repeat_last_n;
	return 0;
}

/* Where the penalties start counting: vLLM's frequency and presence see
 * the output only. */
static uint32_t
count_from(enum tv_profile rules, const struct tv_history *h, uint32_t from)
{
	if (rules != TV_PROFILE_VLLM || h->n_prompt <= from)
		return from;
	return h->n_prompt < h->n ? h->n_prompt : h->n;
}

/* ------------------------------------------------------------ edits --- */

/* The tokens met in one call, in the memo's scratch. */
struct met {
	uint32_t *slot, *id, *count, *dry_len, *dry_at;
	float *before, *mid;
	uint32_t n;             /* met */
	uint32_t n_pen;         /* the first n_pen by the penalties */
	uint32_t n_kept;        /* the first n_kept in earlier calls */
};

/* The index of token t among the *n met (the sparse set's test), made
 * on first sight with the logit it had. */
static inline uint32_t
meet_at(uint32_t *slot, uint32_t *ids, float *before, const float *logits,
	uint32_t t, uint32_t *n)
{
	uint32_t s = slot[t];

	if (s >= *n || ids[s] != t) {
		s = slot[t] = (*n)++;
		ids[s] = t;
		before[s] = logits[t];
	}
	return s;
}

static inline uint32_t
meet(struct met *m, const float *logits, uint32_t id)
{
	return meet_at(m->slot, m->id, m->before, logits, id, &m->n);
}

/* Any id of hist[0 .. n) at or past vocab: one sweep that vectorises,
 * so that the counting loop need not check each id. */
static int
any_past(const uint32_t *hist, uint32_t n, uint32_t vocab)
{
	uint32_t past = 0;

	for (uint32_t i = 0; i < n; i++)
		past |= hist[i] >= vocab;
	return past != 0;
}

/*
 * Meet the tokens of hist[from .. to), adding counted to the count of
 * each; the number met after. Apart and not inlined, so that its few
 * values stay in registers: this loop is most of the penalties' cost.
 */
__attribute__((noinline)) static uint32_t
meet_run(const uint32_t *hist, uint32_t from, uint32_t to, uint32_t vocab,
	 uint32_t *slot, uint32_t *ids, uint32_t *count, float *before,
	 const float *logits, uint32_t n, uint32_t counted)
{
	const uint32_t *q = hist + from, *end = hist + to;

	if (any_past(q, to - from, vocab)) {
		for (; q < end; q++)
			if (*q < vocab)
				count[meet_at(slot, ids, before, logits, *q,
					      &n)] += counted;
		return n;
	}
	for (; q < end; q++)
		count[meet_at(slot, ids, before, logits, *q, &n)] += counted;
	return n;
}

/* The penalties' set emptied, its counts at rest. */
static void
forget_set(struct tv_memo *mm)
{
	memset(mm->count, 0, mm->n_set * sizeof *mm->count);
	mm->n_set = mm->kept = 0;
}

/* Where counting h resumes: past the history the set counted when h
 * extends it, is counted from its first token and under the same rule
 * and prompt (which say what each place counts); else at the window's
 * start from, the set emptied. */
static uint32_t
resume_at(struct tv_memo *mm, enum tv_profile rules,
	  const struct tv_history *h, uint32_t from)
{
	uint32_t k = mm->kept;

	if (from == 0 && k > 0 && k <= h->n && mm->kept_rules == rules &&
	    mm->kept_prompt == h->n_prompt &&
	    memcmp(mm->hist, h->ids, k * sizeof *h->ids) == 0)
		return k;
	forget_set(mm);
	return from;
}

/* The penalties' window, each token met and counted where its rule
 * counts, on top of the set kept when h extends its history. */
static void
count_history(struct met *m, struct tv_memo *mm, const struct tv_params *p,
	      enum tv_profile rules, const struct tv_history *h,
	      const float *logits)
{
	uint32_t from = pen_from(p, rules, h), c = count_from(rules, h, from);
	uint32_t at = resume_at(mm, rules, h, from);

	m->n = m->n_kept = mm->n_set;
	if (at < c)
		m->n = meet_run(h->ids, at, c, mm->vocab, m->slot, m->id,
				m->count, m->before, logits, m->n, 0);
	m->n = meet_run(h->ids, at > c ? at : c, h->n, mm->vocab, m->slot,
			m->id, m->count, m->before, logits, m->n, 1);
	m->n_pen = mm->n_set = m->n;
	mm->kept = 0;
	if (from > 0)
		return;
	memcpy(mm->hist + at, h->ids + at, (h->n - at) * sizeof *h->ids);
	mm->kept = h->n;
	mm->kept_rules = rules;
	mm->kept_prompt = h->n_prompt;
}

/* z[k] = the longest common prefix of r(0..) and r(k..) for k in [1, n),
 * by the Z-algorithm: linear, each token compared once past the box.
 * Outside a box a match can only start where r(0) recurs, so the run up
 * to there is 0 in one sweep. */
static void
z_fast(const uint32_t *last, uint32_t n, uint32_t *z)
{
	uint32_t lt = 0, rt = 0, k = 1, r0 = last[0];

	while (k < n) {
		uint32_t len = 0;

		if (k >= rt) {
			uint32_t j = k;

			while (j < n && back(last, j) != r0)
				j++;
			memset(z + k, 0, (j - k) * sizeof *z);
			if (j == n)
				return;
			k = j;
		} else {
			len = z[k - lt] < rt - k ? z[k - lt] : rt - k;
		}
		while (k + len < n && back(last, len) == back(last, k + len))
			len++;
		z[k] = len;
		if (k + len > rt) {
			lt = k;
			rt = k + len;
		}
		k++;
	}
}

/* The repeat DRY sees for token id at the window's place k (history
 * index at): the longest per token, the nearest the end among equals. */
static void
dry_meet(struct met *m, const float *logits, uint32_t id, uint32_t len,
	 uint32_t at)
{
	uint32_t s = meet(m, logits, id);

	if (m->dry_at[s] == TV_DRY_NONE || len > m->dry_len[s]) {
		m->dry_len[s] = len;
		m->dry_at[s] = at;
	}
}

/*
 * DRY as llama.cpp implements it (llama_sampler_dry_apply, after
 * koboldcpp): in the last dry_penalty_last_n tokens, a repeat may not
 * reach back past the latest sequence breaker; every earlier place where
 * the text's last len >= allowed_length tokens occurred makes the token
 * that followed it cost multiplier base^(len - allowed_length) (the
 * longest such len per token), unless that token is a breaker itself.
 */
static void
dry(struct met *m, const struct tv_params *p, const struct tv_history *h,
    const struct tv_breakers *b, const float *logits, uint32_t vocab,
    uint32_t *z)
{
	uint32_t n = dry_window(p, h), allowed = (uint32_t)p->dry_allowed_length;
	const uint32_t *last = h->ids + h->n - 1;
	uint32_t limit;

	if (n <= allowed)
		return;
	limit = restart_limit(b, last, n);
	if (limit < allowed)
		return;
	z_fast(last, n, z);
	for (uint32_t k = 1; k < n; k++) {
		uint32_t len = z[k] < limit ? z[k] : limit;
		uint32_t id = back(last, k - 1);

		if (len >= allowed && id < vocab && !single(b, id))
			dry_meet(m, logits, id, len, h->n - 1 - k);
	}
}

/* The edit of a token met, from the model's logit. */
static struct tv_edit
edit_of(const struct pen_rule *pq, const struct dry_rule *dq, uint32_t id,
	float before, int pen, uint32_t count, uint32_t len, uint32_t at)
{
	float mid = pen ? penalized(pq, before, count) : before;

	return (struct tv_edit){
		.id = id, .before = before, .mid = mid,
		.after = at == TV_DRY_NONE ? mid : mid - dry_cost(dq, len),
		.count = count, .dry_len = len, .dry_at = at,
	};
}

/*
 * The penalties over the tokens met, one rule at a time over arrays:
 * loops the compiler vectorises. The same operations in the same order as
 * penalized(), so the same floats: a count below 2^31 converts the same
 * through int32_t.
 */
static void
penalize_met(const struct pen_rule *q, const float *before,
	     const uint32_t *count, float *mid, uint32_t n)
{
	const float r = q->r, f = q->f, pres = q->pres;
	const int rep = q->rep, fp = q->fp;

	for (uint32_t s = 0; s < n; s++) {
		float l = before[s];
		int32_t c = (int32_t)count[s];

		if (rep)
			l = l <= 0 ? l * r : l / r;
		if (fp)
			l -= (float)c * f + (float)(c > 0) * pres;
		mid[s] = l > FLT_MAX ? FLT_MAX : l;
	}
}

/* Write the moved tokens' logits and edits, and put DRY's scratch back at
 * rest (in locals, as meet_run). The tokens first met in this call have
 * their logits; those of the set kept from earlier calls are read here. */
static uint32_t
emit(struct met *m, const struct pen_rule *pq, const struct dry_rule *dq,
     float *logits, struct tv_edit *e, int dry_ran)
{
	uint32_t *ids = m->id, *count = m->count;
	uint32_t *len = m->dry_len, *at = m->dry_at;
	float *before = m->before, *mid = m->mid;
	uint32_t n = m->n, n_pen = m->n_pen;
	struct tv_edit *o = e;

	for (uint32_t s = 0; s < m->n_kept; s++)
		before[s] = logits[ids[s]];
	if (n_pen)
		penalize_met(pq, before, count, mid, n_pen);
	memcpy(mid + n_pen, before + n_pen, (n - n_pen) * sizeof *mid);
	for (uint32_t s = 0; s < n; s++) {
		uint32_t id = ids[s], c = count[s], l = 0, a = TV_DRY_NONE;
		float b = before[s], md = mid[s], after = md;

		if (dry_ran && at[s] != TV_DRY_NONE) {
			l = len[s];
			a = at[s];
			after -= dry_cost(dq, l);
			len[s] = 0;
			at[s] = TV_DRY_NONE;
		}
		if (after == b)
			continue;
		logits[id] = after;
		o->id = id;
		o->before = b;
		o->mid = md;
		o->after = after;
		o->count = c;
		o->dry_len = l;
		o->dry_at = a;
		o++;
	}
	return (uint32_t)(o - e);
}

uint32_t
tv_penalize_with(struct tv_memo *m, const struct tv_params *p,
		 enum tv_profile rules, const struct tv_history *h,
		 const struct tv_breakers *b, float *logits, struct tv_edit *e)
{
	struct met x = { .slot = m->slot };
	struct pen_rule pq = pen_rule(p, rules);
	struct dry_rule dq = dry_rule(p);
	int dry_on = tv_dry_on(p, rules);

	if (h->n == 0 || memo_room(m, h->n) != 0)
		return 0;
	x.id = m->id;
	x.count = m->count;
	x.dry_len = m->dry_len;
	x.dry_at = m->dry_at;
	x.before = m->before;
	x.mid = m->mid;
	if (pq.on)
		count_history(&x, m, p, rules, h, logits);
	else
		forget_set(m);
	if (dry_on)
		dry(&x, p, h, b, logits, m->vocab, m->z);
	return emit(&x, &pq, &dq, logits, e, dry_on);
}

uint32_t
tv_penalize(struct tv_memo *m, const struct tv_params *p,
	    enum tv_profile rules, const struct tv_history *h,
	    const unsigned char *breaker, float *logits, struct tv_edit *e)
{
	struct tv_breakers b = { .vocab = m->vocab, .kind = breaker };

	return tv_penalize_with(m, p, rules, h, breaker ? &b : NULL, logits,
				e);
}

/* The plain definitions, each table by vocabulary id. */
struct plain {
	uint32_t *count, *len, *at, *met;
	unsigned char *pen, *seen;
	uint32_t n_met;
};

static void
plain_meet(struct plain *x, uint32_t id)
{
	if (!x->seen[id]) {
		x->seen[id] = 1;
		x->met[x->n_met++] = id;
	}
}

static void
plain_count(struct plain *x, const struct tv_params *p,
	    enum tv_profile rules, const struct tv_history *h,
	    uint32_t vocab)
{
	uint32_t from = pen_from(p, rules, h), c = count_from(rules, h, from);

	for (uint32_t i = from; i < h->n; i++) {
		uint32_t id = h->ids[i];

		if (id >= vocab)
			continue;
		plain_meet(x, id);
		x->pen[id] = 1;
		x->count[id] += i >= c;
	}
}

/* DRY with each match length found by comparing at its shift. */
static void
plain_dry(struct plain *x, const struct tv_params *p,
	  const struct tv_history *h, const struct tv_breakers *b,
	  uint32_t vocab)
{
	uint32_t n = dry_window(p, h), allowed = (uint32_t)p->dry_allowed_length;
	const uint32_t *last = h->ids + h->n - 1;
	uint32_t limit;

	if (n <= allowed || (limit = restart_limit(b, last, n)) < allowed)
		return;
	for (uint32_t k = 1; k < n; k++) {
		uint32_t len = 0, id = back(last, k - 1);

		while (k + len < n && back(last, len) == back(last, k + len))
			len++;
		if (len > limit)
			len = limit;
		if (len < allowed || id >= vocab || single(b, id))
			continue;
		plain_meet(x, id);
		if (x->at[id] == TV_DRY_NONE || len > x->len[id]) {
			x->len[id] = len;
			x->at[id] = h->n - 1 - k;
		}
	}
}

uint32_t
tv_penalize_naive(const struct tv_params *p, enum tv_profile rules,
		  const struct tv_history *h, const struct tv_breakers *b,
		  float *logits, uint32_t vocab, struct tv_edit *e)
{
	size_t v = vocab ? vocab : 1;
	/* The tables by id in one block, cleared as a plain count is. */
	uint32_t *block = malloc(v * 3 * sizeof *block + v * 2);
	uint32_t *met = malloc((h->n ? h->n : 1) * sizeof *met);
	struct plain x = { .met = met };
	struct pen_rule pq = pen_rule(p, rules);
	struct dry_rule dq = dry_rule(p);
	uint32_t k = 0;

	if (block && met && h->n > 0) {
		x.count = block;
		x.len = block + v;
		x.at = block + 2 * v;
		x.pen = (unsigned char *)(block + 3 * v);
		x.seen = x.pen + v;
		memset(block, 0, v * 2 * sizeof *block);
		memset(x.at, 0xff, v * sizeof *x.at);
		memset(x.pen, 0, v * 2);
		if (pq.on)
			plain_count(&x, p, rules, h, vocab);
		if (tv_dry_on(p, rules))
			plain_dry(&x, p, h, b, vocab);
		for (uint32_t i = 0; i < x.n_met; i++) {
			uint32_t id = x.met[i];

			e[k] = edit_of(&pq, &dq, id, logits[id], x.pen[id],
				       x.count[id], x.len[id], x.at[id]);
			if (e[k].after != e[k].before)
				logits[id] = e[k++].after;
		}
	}
	free(block);
	free(met);
	return k;
}

/* -------------------------------------------------------- smoothing --- */

float
tv_smooth_logit(float l, float lmax, double factor, double curve)
{
	double d = (double)l - lmax, k = (3 - curve) / 2, s = (curve - 1) / 2;

	if (isinf(l))
		return l;
	return (float)(lmax - k * factor * d * d + s * factor * d * d * d);
}

/* ----------------------------------------------------------- relogit --- */

/* The order's key: ascending is logit descending, then id ascending. */
static uint64_t
key_of(const struct tv_dist *d, uint32_t id)
{
	return (uint64_t)tv_desc_key(d->logit[id]) << 32 | id;
}

static int
cmp_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

enum tv_status
tv_dist_relogit(struct tv_dist *d, const uint32_t *ids, const float *logits,
		uint32_t k)
{
	uint64_t *mv = malloc((k ? k : 1) * sizeof *mv);
	uint32_t *ord = malloc(d->n * sizeof *ord), i, j = 0, o = 0;

	if (!mv || !ord) {
		free(mv);
		free(ord);
		return TV_ENOMEM;
	}
	/* Mark the moved tokens by a rank past the end, then set them. */
	for (i = 0; i < k; i++) {
		float l = isnan(logits[i]) ? -INFINITY : logits[i];

		d->rank[ids[i]] = UINT32_MAX;
		d->logit[ids[i]] = l > FLT_MAX ? FLT_MAX : l;
	}
	for (i = 0; i < k; i++)
		mv[i] = key_of(d, ids[i]);
	qsort(mv, k, sizeof *mv, cmp_key);
	for (i = 0; i < d->n; i++) {
		uint32_t id = d->order[i];

		if (d->rank[id] == UINT32_MAX)
			continue;
		while (j < k && mv[j] < key_of(d, id))
			ord[o++] = (uint32_t)mv[j++];
		ord[o++] = id;
	}
	while (j < k)
		ord[o++] = (uint32_t)mv[j++];
	for (i = 0; i < d->n; i++) {
		d->order[i] = ord[i];
		d->sorted[i] = d->logit[ord[i]];
		d->rank[ord[i]] = i;
	}
	free(ord);
	free(mv);
	return tv_dist_reindex(d);
}

enum tv_status
tv_dist_relogit_all(struct tv_dist *d, const float *logits, double tail_logit)
{
	uint32_t *ids = malloc((d->n ? d->n : 1) * sizeof *ids);
	enum tv_status st;

	if (!ids)
		return TV_ENOMEM;
	for (uint32_t id = 0; id < d->n; id++)
		ids[id] = id;
	if (d->tail_g > 0)
		d->tail_logit = tail_logit;
	st = tv_dist_relogit(d, ids, logits, d->n);
	free(ids);
	return st;
}

enum tv_status
tv_dist_smooth(struct tv_dist *d, double factor, double curve)
{
	float *l = malloc((d->n ? d->n : 1) * sizeof *l);
	float top = d->sorted[0];
	double tail = d->tail_logit;
	enum tv_status st;

	if (!l)
		return TV_ENOMEM;
	if (d->tail_g > 0 && d->tail_logit > top)
		top = (float)d->tail_logit;
	for (uint32_t id = 0; id < d->n; id++)
		l[id] = tv_smooth_logit(d->logit[id], top, factor, curve);
	if (d->tail_g > 0)
		tail = tv_smooth_logit((float)d->tail_logit, top, factor, curve);
	st = tv_dist_relogit_all(d, l, tail);
	free(l);
	return st;
}
