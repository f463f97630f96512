/* SPDX-License-Identifier: MIT */
/*
 * Token distributions: building, validating, ordering once, and the tail.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/dist.h"

#include "core/core.h"

const char *
tv_status_str(enum tv_status s)
{
	switch (s) {
	case TV_OK:
		return "ok";
	case TV_ENOMEM:
		return "out of memory";
	case TV_EEMPTY:
		return "no token can be drawn (no tokens, or every logit is "
		       "-inf or NaN)";
	case TV_ERANGE:
		return "value out of range";
	case TV_EINVAL:
		return "invalid argument";
	}
	return "unknown status";
}

enum tv_status
tv_dist_init(struct tv_dist *d, uint32_t cap)
{
	memset(d, 0, sizeof *d);
	if (cap < 16)
		cap = 16;
	d->logit = malloc(cap * sizeof *d->logit);
	d->off = malloc(((size_t)cap + 1) * sizeof *d->off);
	d->text_cap = (size_t)cap * 4;
	d->text = malloc(d->text_cap);
	if (!d->logit || !d->off || !d->text) {
		tv_dist_free(d);
		return TV_ENOMEM;
	}
	d->cap = cap;
	d->off[0] = 0;
	return TV_OK;
}

static enum tv_status
grow_tokens(struct tv_dist *d)
{
	uint32_t cap;
	float *l;
	uint32_t *off;

	if (d->cap >= UINT32_MAX / 2)
		return TV_ENOMEM;
	cap = d->cap * 2;
	l = realloc(d->logit, cap * sizeof *l);
	if (!l)
		return TV_ENOMEM;
	d->logit = l;
	off = realloc(d->off, ((size_t)cap + 1) * sizeof *off);
	if (!off)
		return TV_ENOMEM;
	d->off = off;
	d->cap = cap;
	return TV_OK;
}

static enum tv_status
grow_text(struct tv_dist *d, size_t need)
{
	size_t cap = d->text_cap;
	char *t;

	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return TV_ENOMEM;
		cap *= 2;
	}
	t = realloc(d->text, cap);
	if (!t)
		return TV_ENOMEM;
	d->text = t;
	d->text_cap = cap;
	return TV_OK;
}

enum tv_status
tv_dist_push(struct tv_dist *d, const char *tok, size_t len, float logit)
{
	size_t used = d->off[d->n];
	enum tv_status st;

	if (d->n >= TV_MAX_TOKENS || len > UINT32_MAX - used)
		return TV_ERANGE;
	if (d->n == d->cap && (st = grow_tokens(d)) != TV_OK)
		return st;
	if (used + len > d->text_cap && (st = grow_text(d, used + len)))
		return st;
	if (len)
		memcpy(d->text + used, tok, len);
	d->logit[d->n] = logit;
	d->n++;
	d->off[d->n] = (uint32_t)(used + len);
	return TV_OK;
}

/* logsumexp of the listed logits as they are now (NaN and -inf count as
 * absent), in double. */
static double
listed_lse(const struct tv_dist *d)
{
	double m = -INFINITY, s = 0;
	uint32_t i;

	for (i = 0; i < d->n; i++)
		if (d->logit[i] > m)
			m = d->logit[i];
	if (m == -INFINITY || m == INFINITY)
		return m;
	for (i = 0; i < d->n; i++)
		if (d->logit[i] > -INFINITY)
			s += exp(d->logit[i] - m);
	return m + log(s);
}

/* Puts rest mass, spread over the unlisted tokens, at one logit level. */
static enum tv_status
set_tail(struct tv_dist *d, double vocab_size, double lse_all, double rest,
	 int exact)
{
	double g;

	d->tail_g = 0;
	d->tail_logit = -INFINITY;
	d->tail_exact = exact;
	d->vocab_size = d->n;
	/* A vocabulary no larger than the listed tokens is all listed: what
	 * rest the sums leave is the rounding of the listed values. */
	if (!(rest > 0) || !isfinite(lse_all) ||
	    (vocab_size > 0 && vocab_size <= d->n))
		return TV_OK;
	/* An unknown vocabulary size lumps the rest into one level. */
	g = vocab_size > d->n ? vocab_size - d->n : 1;
	d->tail_g = g;
	d->tail_logit = lse_all + log(rest / g);
	d->vocab_size = d->n + g;
	return TV_OK;
}

static int
bad_vocab(double v)
{
	return !(v >= 0) || !isfinite(v) || v != floor(v);
}

enum tv_status
tv_dist_set_tail_lse(struct tv_dist *d, double vocab_size, double lse_all)
{
	double lse;

	if (bad_vocab(vocab_size) || !isfinite(lse_all))
		return TV_ERANGE;
	lse = listed_lse(d);
	/* rest = 1 - sum exp(l - lse_all), without cancellation. */
	return set_tail(d, vocab_size, lse_all, -expm1(lse - lse_all), 1);
}

enum tv_status
tv_dist_set_tail_mass(struct tv_dist *d, double vocab_size, double rest_mass)
{
	double lse;

	if (bad_vocab(vocab_size) || !(rest_mass >= 0 && rest_mass < 1))
		return TV_ERANGE;
	lse = listed_lse(d);
	return set_tail(d, vocab_size, lse - log1p(-rest_mass), rest_mass, 0);
}

/*
 * NaN becomes -inf and -0 becomes +0, so the order's keys see one zero;
 * +inf tokens, if any, share all the mass.
 */
static void
sanitize(struct tv_dist *d)
{
	uint32_t i, n_inf = 0;

	d->had_nan = 0;
	d->had_posinf = 0;
	for (i = 0; i < d->n; i++) {
		float l = d->logit[i];

		if (l != l) {
			d->logit[i] = -INFINITY;
			d->had_nan = 1;
		} else if (l == 0) {
			d->logit[i] = 0;
		} else if (l == INFINITY) {
			n_inf++;
		}
	}
	if (!n_inf)
		return;
	d->had_posinf = 1;
	for (i = 0; i < d->n; i++)
		d->logit[i] = d->logit[i] == INFINITY ? 0 : -INFINITY;
	d->tail_g = 0;
	d->tail_logit = -INFINITY;
	d->vocab_size = d->n;
}

/* How many of the first n sorted logits are >= x: they descend, so a
 * binary search finds the first below. */
static uint32_t
leading_at_least(const struct tv_dist *d, uint32_t n, double x)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if ((double)d->sorted[mid] >= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* logsumexp at T = 1 over the vocabulary, with the kernel tv_run uses, so
 * an untruncated run at T = 1 reproduces it bit for bit. */
static double
full_lse(const struct tv_dist *d)
{
	struct tv_temp one = { 1, 1.0f, 1, 1 };
	double m = d->sorted[0];
	struct tv_sums s;
	double se;

	if (d->tail_g > 0 && d->tail_logit > m)
		m = d->tail_logit;
	m = (float)m;
	tv_run_sums(&one, d->sorted, d->n_finite, m, &s);
	se = s.se;
	if (d->tail_g > 0)
		se += d->tail_g * exp(d->tail_logit - m);
	return m + log(se);
}

static void
insertion_order(uint64_t *a, uint32_t n)
{
	uint32_t i, j;

	for (i = 1; i < n; i++) {
		uint64_t v = a[i];

		for (j = i; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/*
 * Sorts pairs (tv_desc_key(x[id]) << 32 | id) of ids[0 .. n) (given
 * ascending; NULL stands for 0 .. n-1); a and b hold n pairs each, and the
 * one holding the result is returned. x holds no NaN.
 *
 * Pairs compare as the order does: logit descending, then id ascending.
 * LSD radix sort on the key half, four stable passes of 8 bits (small
 * histograms keep the scatter cache-friendly); one 64-bit stream per pass
 * scatters faster than separate keys and ids. The ids come in ascending,
 * so ties stay in id order. A pass whose digit is the same for every key
 * is skipped.
 */
static uint64_t *
order_pairs(const float *x, const uint32_t *ids, uint32_t n, uint64_t *a,
	    uint64_t *b)
{
	uint32_t hist[4][256];
	uint32_t i, pass;

	memset(hist, 0, sizeof hist);
	for (i = 0; i < n; i++) {
		uint32_t id = ids ? ids[i] : i, k = tv_desc_key(x[id]);

		a[i] = (uint64_t)k << 32 | id;
		hist[0][k & 255]++;
		hist[1][(k >> 8) & 255]++;
		hist[2][(k >> 16) & 255]++;
		hist[3][k >> 24]++;
	}
	if (n < 64) {
		insertion_order(a, n);
		return a;
	}
	for (pass = 0; pass < 4; pass++) {
		uint32_t shift = 32 + pass * 8, sum = 0;
		uint32_t *h = hist[pass];
		uint64_t *t;

		if (h[(a[0] >> shift) & 255] == n)
			continue;
		for (i = 0; i < 256; i++) {
			uint32_t c = h[i];

			h[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			uint64_t v = a[i];

			b[h[(v >> shift) & 255]++] = v;
		}
		t = a;
		a = b;
		b = t;
	}
	return a;
}

/*
 * order, sorted and rank live in one block (d->order is its start), which
 * first holds the radix sort's two pair buffers, so the sort touches no
 * other large buffer and the sorted logits come from the sorted keys,
 * not from a gather.
 */
static enum tv_status
order_block(struct tv_dist *d)
{
	size_t n = d->n;
	uint32_t *b, *blk, i;
	uint64_t *pairs;

	free(d->order);
	d->order = d->rank = NULL;
	d->sorted = NULL;
	b = malloc(n * 4 * sizeof *b);
	if (!b)
		return TV_ENOMEM;
	pairs = order_pairs(d->logit, NULL, d->n, (uint64_t *)(void *)b + n,
			    (uint64_t *)(void *)b);
	/* The pairs must not share words with what is written from them. */
	if (pairs == (uint64_t *)(void *)b) {
		memcpy(b + 2 * n, b, n * sizeof *pairs);
		pairs = (uint64_t *)(void *)(b + 2 * n);
	}
	for (i = 0; i < d->n; i++) {
		uint64_t v;

		memcpy(&v, pairs + i, sizeof v);
		b[i] = (uint32_t)v;
		((float *)(void *)(b + n))[i] = tv_key_float((uint32_t)(v >> 32));
	}
	/* Shrinking in place is the usual outcome; a move is still right. */
	blk = realloc(b, n * 3 * sizeof *b);
	d->order = blk ? blk : b;
	d->sorted = (float *)(void *)(d->order + n);
	d->rank = d->order + 2 * n;
	for (i = 0; i < d->n; i++)
		d->rank[d->order[i]] = i;
	return TV_OK;
}

enum tv_status
tv_dist_reindex(struct tv_dist *d)
{
	/* -inf sorts last, after every finite logit (all >= -FLT_MAX). */
	d->n_finite = leading_at_least(d, d->n, -FLT_MAX);
	if (d->n_finite == 0)
		return TV_EEMPTY;
	if (d->tail_g > 0) {
		d->tail_pos = leading_at_least(d, d->n_finite, d->tail_logit);
	} else {
		d->tail_g = 0;
		d->tail_pos = d->n_finite;
	}
	d->vocab_size = d->n + d->tail_g;
	d->lse1 = full_lse(d);
	return TV_OK;
}

enum tv_status
tv_dist_finish(struct tv_dist *d)
{
	enum tv_status st;

	if (d->n == 0)
		return TV_EEMPTY;
	sanitize(d);
	if ((st = order_block(d)) != TV_OK)
		return st;
	return tv_dist_reindex(d);
}

double
tv_dist_states(const struct tv_dist *d)
{
	int tail = d->tail_g > 0 && isfinite(d->tail_logit);

	return d->n_finite + (tail ? d->tail_g : 0.0);
}

double
tv_dist_max_entropy_bits(const struct tv_dist *d)
{
	return log2(tv_dist_states(d));
}

void
tv_dist_free(struct tv_dist *d)
{
	free(d->logit);
	free(d->text);
	free(d->off);
	free(d->order);
	free(d->name);
	if (!d->prompt_shared)
		free(d->prompt);
	free(d->model);
	free(d->note);
	free(d->chosen);
	memset(d, 0, sizeof *d);
}

/* A copy of the NUL-terminated s in *to (NULL stays NULL); 0 or -1. */
static int
dup_meta(char **to, const char *s)
{
	*to = NULL;
	return tv_dist_set_meta(to, s) == TV_OK ? 0 : -1;
}

enum tv_status
tv_dist_copy(struct tv_dist *dst, const struct tv_dist *src)
{
	size_t text = src->off[src->n], len;
	const char *prompt = tv_dist_prompt(src, &len);
	uint32_t n = src->n ? src->n : 1;

	*dst = *src;
	dst->logit = malloc(n * sizeof *dst->logit);
	dst->off = malloc(((size_t)n + 1) * sizeof *dst->off);
	dst->text = malloc(text ? text : 1);
	dst->order = malloc((size_t)n * 3 * sizeof *dst->order);
	dst->prompt_shared = 0;
	dst->prompt = src->prompt ? malloc(len + 1) : NULL;
	dst->name = dst->model = dst->note = dst->chosen = NULL;
	if (!dst->logit || !dst->off || !dst->text || !dst->order ||
	    (src->prompt && !dst->prompt) || dup_meta(&dst->name, src->name) ||
	    dup_meta(&dst->model, src->model) ||
	    dup_meta(&dst->note, src->note) ||
	    dup_meta(&dst->chosen, src->chosen)) {
		tv_dist_free(dst);
		return TV_ENOMEM;
	}
	dst->cap = n;
	dst->text_cap = text ? text : 1;
	memcpy(dst->logit, src->logit, src->n * sizeof *dst->logit);
	memcpy(dst->off, src->off, ((size_t)src->n + 1) * sizeof *dst->off);
	memcpy(dst->text, src->text, text);
	memcpy(dst->order, src->order, (size_t)src->n * sizeof *dst->order);
	dst->sorted = (float *)(void *)(dst->order + n);
	dst->rank = dst->order + 2 * (size_t)n;
	memcpy(dst->sorted, src->sorted, src->n * sizeof *dst->sorted);
	memcpy(dst->rank, src->rank, src->n * sizeof *dst->rank);
	if (dst->prompt) {
		memcpy(dst->prompt, prompt, len);
		dst->prompt[len] = '\0';
	}
	return TV_OK;
}

/* The decimal digits of v, for token names. */
static size_t
utoa(uint32_t v, char *buf)
{
	char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

enum tv_status
tv_dist_from_logits(struct tv_dist *d, const float *v, uint32_t n)
{
	enum tv_status st = tv_dist_init(d, n);
	uint32_t i;

	for (i = 0; st == TV_OK && i < n; i++) {
		char name[10];

		st = tv_dist_push(d, name, utoa(i, name), v[i]);
	}
	if (st == TV_OK)
		st = tv_dist_finish(d);
	if (st != TV_OK)
		tv_dist_free(d);
	return st;
}

enum tv_status
tv_dist_from_probs(struct tv_dist *d, const double *p, uint32_t n)
{
	enum tv_status st = tv_dist_init(d, n);
	uint32_t i;

	if (st != TV_OK)
		return st;
	for (i = 0; st == TV_OK && i < n; i++) {
		char name[10];

		if (p[i] < 0)
			st = TV_ERANGE;
		else
			st = tv_dist_push(d, name, utoa(i, name),
					  p[i] > 0 ? (float)log(p[i]) :
					  -INFINITY);
	}
	d->kind = TV_KIND_PROBS;
	if (st == TV_OK)
		st = tv_dist_finish(d);
	if (st != TV_OK)
		tv_dist_free(d);
	return st;
}

enum tv_status
tv_dist_set_meta(char **field, const char *s)
{
	char *c = NULL;

	if (s) {
		size_t len = strlen(s) + 1;

		c = malloc(len);
		if (!c)
			return TV_ENOMEM;
		memcpy(c, s, len);
	}
	free(*field);
	*field = c;
	return TV_OK;
}

void
tv_dist_share_prompt(struct tv_dist *d, const char *buf, size_t len)
{
	if (!d->prompt_shared)
		free(d->prompt);
	/* Borrowed and never written: the cast only fits the field, which
	 * owned prompts share. */
	d->prompt = (char *)(uintptr_t)buf;
	d->prompt_len = len;
	d->prompt_shared = 1;
}

enum tv_status
tv_dist_undo_dump_temp(struct tv_dist *d)
{
	double t = d->dump_temp;

	if (!(t > 0) || t == 1)
		return TV_OK;
	for (uint32_t i = 0; i < d->n; i++) {
		double x = (double)d->logit[i] * t;

		if (isfinite(x) && fabs(x) > FLT_MAX)
			return TV_ERANGE;
		d->logit[i] = (float)x;
	}
	if (d->tail_g > 0)
		d->tail_logit *= t;
	return TV_OK;
}

void
tv_order_ids(const float *x, uint32_t *ids, uint32_t n, uint64_t *scratch)
{
	uint64_t *p = order_pairs(x, ids, n, scratch, scratch + n);
	uint32_t i;

	for (i = 0; i < n; i++)
		ids[i] = (uint32_t)p[i];
}
