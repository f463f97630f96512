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

#define NO_SLOT UINT32_MAX

struct tv_memo {
	uint32_t vocab;
	uint32_t *slot;         /* id -> its edit, NO_SLOT between calls */
	uint32_t *z;            /* DRY's match lengths, one per window token */
	uint32_t z_cap;
};

int
tv_penalties_on(const struct tv_params *p, enum tv_profile rules)
{
	int rep = p->repeat_penalty != 1;
	int fp = p->freq_penalty != 0 || p->presence_penalty != 0;

	switch (rules) {
	case TV_PROFILE_LLAMACPP:
		return p->repeat_last_n != 0 && (rep || fp);
	case TV_PROFILE_VLLM:
		return rep || fp;
	case TV_PROFILE_HF:
		return rep;
	default:
		return 0;
	}
}

int
tv_dry_on(const struct tv_params *p, enum tv_profile rules)
{
	return rules == TV_PROFILE_LLAMACPP && p->dry_multiplier != 0 &&
	       p->dry_base >= 1 && p->dry_penalty_last_n != 0;
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
	m->slot = malloc((vocab ? vocab : 1) * sizeof *m->slot);
	if (!m->slot) {
		free(m);
		return NULL;
	}
	memset(m->slot, 0xff, vocab * sizeof *m->slot);
	return m;
}

void
tv_memo_free(struct tv_memo *m)
{
	if (!m)
		return;
	free(m->slot);
	free(m->z);
	free(m);
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

/* ------------------------------------------------------------ edits --- */

struct pen {
	uint32_t *slot;
	const float *l;
	struct tv_edit *e;
	uint32_t n;
};

/* The edit of id, made on first sight. */
static struct tv_edit *
edit_of(struct pen *x, uint32_t id)
{
	uint32_t s = x->slot[id];

	if (s == NO_SLOT) {
		s = x->slot[id] = x->n++;
		x->e[s] = (struct tv_edit){ .id = id, .before = x->l[id],
					    .after = x->l[id] };
	}
	return &x->e[s];
}

/* The repetition penalty: divide a positive logit, multiply the rest.
 * llama.cpp divides at l > 0 and HF at l >= 0; at 0 both give 0. */
static float
repeat(float l, double r)
{
	return l <= 0 ? l * (float)r : l / (float)r;
}

static float
finite_or_inf(float l)
{
	return l > FLT_MAX ? FLT_MAX : l;
}

/*
 * The three penalties. llama.cpp (llama_sampler_penalties_apply): over a
 * window of the last repeat_last_n tokens, for a token seen c > 0 times,
 * repeat, then l -= c freq + present. HF (RepetitionPenaltyLogitsProcessor):
 * the repetition penalty once per distinct token of the whole history,
 * prompt included. vLLM (apply_penalties): repetition over prompt and
 * output, l -= freq c_out + presence [c_out > 0] over the output only.
 */
static void
penalties(struct pen *x, const struct tv_params *p, enum tv_profile rules,
	  const struct tv_history *h, uint32_t vocab)
{
	uint32_t from = 0, i, first = x->n;
	int vllm = rules == TV_PROFILE_VLLM;

	if (rules == TV_PROFILE_LLAMACPP && p->repeat_last_n >= 0 &&
	    (uint32_t)p->repeat_last_n < h->n)
		from = h->n - (uint32_t)p->repeat_last_n;
	for (i = from; i < h->n; i++) {
		struct tv_edit *e;

		if (h->ids[i] >= vocab)
			continue;
		e = edit_of(x, h->ids[i]);
		if (!vllm || i >= h->n_prompt)
			e->count++;
	}
	for (i = first; i < x->n; i++) {
		struct tv_edit *e = &x->e[i];
		float l = e->after;

		if (p->repeat_penalty != 1)
			l = repeat(l, p->repeat_penalty);
		if (rules != TV_PROFILE_HF)
			l -= (float)e->count * (float)p->freq_penalty +
			     (float)(e->count > 0) * (float)p->presence_penalty;
		e->after = finite_or_inf(l);
	}
}

/* The window DRY reads: its last n tokens, r(i) the i-th from the end. */
struct win {
	const uint32_t *ids;
	uint32_t end, n;
};

static uint32_t
rat(const struct win *w, uint32_t i)
{
	return w->ids[w->end - 1 - i];
}

/* z[k] = the longest common prefix of r(0..) and r(k..), by the
 * Z-algorithm: linear, each token compared once past the box. */
static void
z_fast(const struct win *w, uint32_t *z)
{
	uint32_t lt = 0, rt = 0, k;

	for (k = 1; k < w->n; k++) {
		uint32_t len = 0;

		if (k < rt)
			len = z[k - lt] < rt - k ? z[k - lt] : rt - k;
		while (k + len < w->n && rat(w, len) == rat(w, k + len))
			len++;
		z[k] = len;
		if (k + len > rt) {
			lt = k;
			rt = k + len;
		}
	}
}

/* The same by direct comparison at every shift. */
static void
z_naive(const struct win *w, uint32_t *z)
{
	for (uint32_t k = 1; k < w->n; k++) {
		uint32_t len = 0;

		while (k + len < w->n && rat(w, len) == rat(w, k + len))
			len++;
		z[k] = len;
	}
}

/*
 * DRY as llama.cpp implements it (llama_sampler_dry_apply, after
 * koboldcpp): in the last dry_penalty_last_n tokens, a repeat may not
 * reach back past the latest sequence breaker; every earlier place where
 * the text's last len >= allowed_length tokens occurred makes the token
 * that followed it cost multiplier base^(len - allowed_length) (the
 * longest such len per token, the exponent clamped so that the power
 * stays a float), unless that token is a breaker itself.
 */
static void
dry(struct pen *x, const struct tv_params *p, const struct tv_history *h,
    const unsigned char *breaker, uint32_t vocab, uint32_t *z,
    void (*zf)(const struct win *, uint32_t *))
{
	struct win w = { .ids = h->ids, .end = h->n, .n = h->n };
	uint32_t allowed = (uint32_t)p->dry_allowed_length, limit, k;
	int max_exp = 0;

	if (p->dry_penalty_last_n > 0 && (uint32_t)p->dry_penalty_last_n < h->n)
		w.n = (uint32_t)p->dry_penalty_last_n;
	if (w.n <= allowed)
		return;
	limit = w.n;
	for (k = 0; k < w.n; k++)
		if (breaker && rat(&w, k) < vocab && breaker[rat(&w, k)]) {
			limit = k;
			break;
		}
	if (limit < allowed)
		return;
	zf(&w, z);
	if (p->dry_base > 1.000001)
		max_exp = (int)(88.7228391f / logf((float)p->dry_base));
	for (k = 1; k < w.n; k++) {
		uint32_t len = z[k] < limit ? z[k] : limit, id = rat(&w, k - 1);
		struct tv_edit *e;

		if (len < allowed || id >= vocab || (breaker && breaker[id]))
			continue;
		e = edit_of(x, id);
		if (len > e->dry_len) {
			e->dry_len = len;
			e->dry_at = w.end - 1 - k;
		}
	}
	for (k = 0; k < x->n; k++) {
		struct tv_edit *e = &x->e[k];
		int ex = (int)e->dry_len - (int)allowed;

		if (e->dry_len == 0)
			continue;
		if (max_exp > 0 && ex > max_exp)
			ex = max_exp;
		e->after -= (float)p->dry_multiplier *
			    powf((float)p->dry_base, (float)ex);
	}
}

/* Write the edits to the logits, keep those that moved, free the slots. */
static uint32_t
commit(struct pen *x, float *logits)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < x->n; i++) {
		struct tv_edit *e = &x->e[i];

		x->slot[e->id] = NO_SLOT;
		if (e->after == e->before)
			continue;
		logits[e->id] = e->after;
		x->e[n++] = *e;
	}
	return n;
}

static uint32_t
penalize(uint32_t *slot, uint32_t *z, const struct tv_params *p,
	 enum tv_profile rules, const struct tv_history *h,
	 const unsigned char *breaker, float *logits, uint32_t vocab,
	 struct tv_edit *e, void (*zf)(const struct win *, uint32_t *))
{
	struct pen x = { .slot = slot, .l = logits, .e = e };

	if (tv_penalties_on(p, rules))
		penalties(&x, p, rules, h, vocab);
	if (tv_dry_on(p, rules))
		dry(&x, p, h, breaker, vocab, z, zf);
	return commit(&x, logits);
}

uint32_t
tv_penalize(struct tv_memo *m, const struct tv_params *p,
	    enum tv_profile rules, const struct tv_history *h,
	    const unsigned char *breaker, float *logits, struct tv_edit *e)
{
	if (h->n > m->z_cap) {
		uint32_t *z = realloc(m->z, h->n * sizeof *z);

		if (!z)
			return 0;
		m->z = z;
		m->z_cap = h->n;
	}
	return penalize(m->slot, m->z, p, rules, h, breaker, logits, m->vocab,
			e, z_fast);
}

uint32_t
tv_penalize_naive(const struct tv_params *p, enum tv_profile rules,
		  const struct tv_history *h, const unsigned char *breaker,
		  float *logits, uint32_t vocab, struct tv_edit *e)
{
	uint32_t *slot = malloc((vocab ? vocab : 1) * sizeof *slot);
	uint32_t *z = malloc((h->n ? h->n : 1) * sizeof *z);
	uint32_t n = 0;

	if (slot && z) {
		memset(slot, 0xff, vocab * sizeof *slot);
		n = penalize(slot, z, p, rules, h, breaker, logits, vocab, e,
			     z_naive);
	}
	free(slot);
	free(z);
	return n;
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
