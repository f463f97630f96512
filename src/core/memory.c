/* SPDX-License-Identifier: MIT */
/*
 * The samplers with memory on a finished distribution: a history from
 * words, and the penalties, DRY and quadratic smoothing applied in place
 * and taken back exactly, with what each of them moved.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/history.h"

struct tv_memory {
	struct tv_memo *memo;
	uint32_t memo_vocab;
	struct tv_edit *e;      /* what the penalties and DRY moved */
	uint32_t n_e, cap_e;
	uint32_t *ids;          /* relogit's ids and values, cap_e each */
	float *vals;
	uint64_t *by_id;        /* id << 32 | edit index, by id */
	float *unsmoothed;      /* the logits before smoothing, by id */
	double unsmoothed_tail;
	uint32_t cap_u;
	int smoothed;
	int on[TV_MEM__COUNT];
};

/* ------------------------------------------------------------ words --- */

/* A token whose text is the word: exactly, after one leading space, or
 * ignoring ASCII case. */
static int
token_is(const char *tok, size_t tl, const char *w, size_t wl, int fold)
{
	if (tl == wl + 1 && tok[0] == ' ') {
		tok++;
		tl--;
	}
	if (tl != wl)
		return 0;
	if (!fold)
		return memcmp(tok, w, wl) == 0;
	for (size_t i = 0; i < wl; i++)
		if (tolower((unsigned char)tok[i]) !=
		    tolower((unsigned char)w[i]))
			return 0;
	return 1;
}

uint32_t
tv_history_word(const struct tv_dist *d, const char *w, size_t wl)
{
	for (int fold = 0; fold < 2; fold++)
		for (uint32_t id = 0; id < d->n; id++) {
			size_t tl;
			const char *tok = tv_dist_tok(d, id, &tl);

			if (token_is(tok, tl, w, wl, fold))
				return id;
		}
	return UINT32_MAX;
}

uint32_t
tv_history_count_words(const char *s)
{
	uint32_t n = 0;

	for (; s && *s; s += strspn(s, " "))
		if (*s != ' ') {
			n++;
			s += strcspn(s, " ");
		}
	return n;
}

uint32_t
tv_history_words(const struct tv_dist *d, const char *s, uint32_t *ids,
		 uint32_t cap, uint32_t *unmatched)
{
	uint32_t n = 0;

	while (s && *s && n < cap) {
		size_t len;
		uint32_t id;

		s += strspn(s, " ");
		len = strcspn(s, " ");
		if (len == 0)
			break;
		id = tv_history_word(d, s, len);
		if (id == UINT32_MAX)
			(*unmatched)++;
		else
			ids[n++] = id;
		s += len;
	}
	return n;
}

/* ------------------------------------------------------------ apply --- */

struct tv_memory *
tv_memory_new(void)
{
	return calloc(1, sizeof(struct tv_memory));
}

void
tv_memory_free(struct tv_memory *m)
{
	if (!m)
		return;
	tv_memo_free(m->memo);
	free(m->e);
	free(m->ids);
	free(m->vals);
	free(m->by_id);
	free(m->unsmoothed);
	free(m);
}

/* Room for the edits of a history of n tokens over d's vocabulary. */
static int
edit_room(struct tv_memory *m, const struct tv_dist *d, uint32_t n)
{
	if (!m->memo || m->memo_vocab != d->n) {
		tv_memo_free(m->memo);
		m->memo = tv_memo_new(d->n);
		m->memo_vocab = d->n;
		if (!m->memo)
			return -1;
	}
	if (n > m->cap_e) {
		struct tv_edit *e = realloc(m->e, n * sizeof *e);
		uint32_t *ids = e ? realloc(m->ids, n * sizeof *ids) : NULL;
		float *vals = ids ? realloc(m->vals, n * sizeof *vals) : NULL;
		uint64_t *by = vals ? realloc(m->by_id, n * sizeof *by) : NULL;

		if (e)
			m->e = e;
		if (ids)
			m->ids = ids;
		if (vals)
			m->vals = vals;
		if (!by)
			return -1;
		m->by_id = by;
		m->cap_e = n;
	}
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The penalties and DRY: the moved tokens re-inserted into d's order. */
static enum tv_status
penalize(struct tv_memory *m, struct tv_dist *d, const struct tv_params *p,
	 enum tv_profile rules, const struct tv_history *h,
	 const struct tv_breakers *b)
{
	enum tv_status st;
	uint32_t n;

	if (edit_room(m, d, h->n) != 0)
		return TV_ENOMEM;
	n = tv_penalize_with(m->memo, p, rules, h, b, d->logit, m->e);
	/* The logits go back for relogit, which sets them itself and leaves
	 * d whole when out of memory. */
	for (uint32_t i = 0; i < n; i++) {
		m->ids[i] = m->e[i].id;
		m->vals[i] = m->e[i].after;
		d->logit[m->e[i].id] = m->e[i].before;
		m->by_id[i] = (uint64_t)m->e[i].id << 32 | i;
	}
	qsort(m->by_id, n, sizeof *m->by_id, cmp_u64);
	st = tv_dist_relogit(d, m->ids, m->vals, n);
	if (st != TV_ENOMEM)
		m->n_e = n;
	return st;
}

static enum tv_status
smooth(struct tv_memory *m, struct tv_dist *d, const struct tv_params *p)
{
	if (d->n > m->cap_u) {
		float *u = realloc(m->unsmoothed, d->n * sizeof *u);

		if (!u)
			return TV_ENOMEM;
		m->unsmoothed = u;
		m->cap_u = d->n;
	}
	memcpy(m->unsmoothed, d->logit, d->n * sizeof *d->logit);
	m->unsmoothed_tail = d->tail_logit;
	m->smoothed = 1;
	return tv_dist_smooth(d, p->smoothing_factor, p->smoothing_curve);
}

enum tv_status
tv_memory_apply(struct tv_memory *m, struct tv_dist *d,
		const struct tv_params *p, enum tv_profile rules,
		const struct tv_history *h, const struct tv_breakers *b)
{
	enum tv_status st = TV_OK;

	tv_memory_restore(m, d);
	m->on[TV_MEM_PENALTIES] = tv_penalties_on(p, rules);
	m->on[TV_MEM_DRY] = tv_dry_on(p, rules);
	m->on[TV_MEM_SMOOTHING] = tv_smoothing_on(p);
	if ((m->on[TV_MEM_PENALTIES] || m->on[TV_MEM_DRY]) && h->n > 0)
		st = penalize(m, d, p, rules, h, b);
	if (st == TV_OK && m->on[TV_MEM_SMOOTHING])
		st = smooth(m, d, p);
	if (st != TV_OK)
		tv_memory_restore(m, d);
	return st;
}

void
tv_memory_restore(struct tv_memory *m, struct tv_dist *d)
{
	if (m->smoothed)
		tv_dist_relogit_all(d, m->unsmoothed, m->unsmoothed_tail);
	m->smoothed = 0;
	for (uint32_t i = 0; i < m->n_e; i++)
		m->vals[i] = m->e[i].before;
	if (m->n_e)
		tv_dist_relogit(d, m->ids, m->vals, m->n_e);
	m->n_e = 0;
}

void
tv_memory_forget(struct tv_memory *m)
{
	m->smoothed = 0;
	m->n_e = 0;
}

const struct tv_edit *
tv_memory_edits(const struct tv_memory *m, uint32_t *n)
{
	*n = m ? m->n_e : 0;
	return m ? m->e : NULL;
}

/* ----------------------------------------------------------- effect --- */

/* The change stage s made to edit e. */
static double
edit_delta(const struct tv_edit *e, enum tv_mem_stage s)
{
	return s == TV_MEM_PENALTIES ? (double)e->mid - e->before :
	       (double)e->after - e->mid;
}

/* Keep the token moved furthest, the lower id on a tie. */
static void
furthest(struct tv_mem_effect *out, uint32_t id, double delta)
{
	double a = fabs(delta), b = fabs(out->delta);

	if (out->moved++ == 0 || a > b || (a == b && id < out->top)) {
		out->top = id;
		out->delta = delta;
	}
}

void
tv_memory_effect(const struct tv_memory *m, const struct tv_dist *d,
		 enum tv_mem_stage s, struct tv_mem_effect *out)
{
	*out = (struct tv_mem_effect){ .on = m->on[s] };
	if (s == TV_MEM_SMOOTHING) {
		for (uint32_t id = 0; m->smoothed && id < d->n; id++)
			if (d->logit[id] != m->unsmoothed[id])
				furthest(out, id, (double)d->logit[id] -
					 m->unsmoothed[id]);
		return;
	}
	for (uint32_t i = 0; i < m->n_e; i++)
		if (edit_delta(&m->e[i], s) != 0)
			furthest(out, m->e[i].id, edit_delta(&m->e[i], s));
}

/* The edit of token id, NULL when the penalties and DRY left it. */
static const struct tv_edit *
find_edit(const struct tv_memory *m, uint32_t id)
{
	uint32_t lo = 0, hi = m->n_e;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t at = (uint32_t)(m->by_id[mid] >> 32);

		if (at == id)
			return &m->e[(uint32_t)m->by_id[mid]];
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
tv_memory_delta(const struct tv_memory *m, const struct tv_dist *d,
		uint32_t id, enum tv_mem_stage s, double *delta)
{
	const struct tv_edit *e;

	if (s == TV_MEM_SMOOTHING) {
		double now, was;

		/* Unsmoothed, the logits before smoothing are not kept. */
		if (!m->smoothed)
			return 0;
		now = id == TV_ID_TAIL ? d->tail_logit : d->logit[id];
		was = id == TV_ID_TAIL ? m->unsmoothed_tail : m->unsmoothed[id];
		if (now == was)
			return 0;
		*delta = now - was;
		return 1;
	}
	e = id == TV_ID_TAIL ? NULL : find_edit(m, id);
	if (!e || edit_delta(e, s) == 0)
		return 0;
	*delta = edit_delta(e, s);
	return 1;
}

double
tv_memory_base_logit(const struct tv_memory *m, const struct tv_dist *d,
		     uint32_t id)
{
	const struct tv_edit *e;

	if (id == TV_ID_TAIL)
		return m->smoothed ? m->unsmoothed_tail : d->tail_logit;
	if ((e = find_edit(m, id)))
		return e->before;
	return m->smoothed ? m->unsmoothed[id] : d->logit[id];
}
