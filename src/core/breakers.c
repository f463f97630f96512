/* SPDX-License-Identifier: MIT */
/*
 * DRY's sequence breakers over one distribution's tokens, made from
 * strings as llama.cpp makes them: llama_sampler_init_dry and
 * get_overlapping_token_sequences in src/llama-sampling.cpp (ported there
 * from koboldcpp, PR 982). A token holding the whole string is a breaker
 * by itself; a token ending with the string's start is the head of one
 * that the tokens spelling the rest complete.
 */
#include <stdlib.h>
#include <string.h>

#include "tempviz/history.h"

#include "core/core.h"

/* llama.cpp's limits: the bytes of a string, the tokens of a rest. */
#define MAX_CHARS 40
#define MAX_TAIL 20

const char *const TV_DRY_BREAKERS[] = { "\n", ":", "\"", "*", NULL };

/* The breakers and the room they are built in; b first, so that a
 * struct tv_breakers pointer is one to this. */
struct own {
	struct tv_breakers b;
	unsigned char *kind;
	struct tv_brk_seq *seq;
	uint32_t n_seq, cap_seq;
	uint32_t *tail;
	uint32_t n_tail, cap_tail;
};

/* s (n bytes) occurs in w (wn bytes). */
static int
holds(const char *w, size_t wn, const char *s, size_t n)
{
	for (size_t i = 0; i + n <= wn; i++)
		if (w[i] == s[0] && memcmp(w + i, s, n) == 0)
			return 1;
	return 0;
}

/* The longest token text that starts s (n bytes), the lower id on a tie;
 * 0 when none does. */
static size_t
longest_start(const struct tv_dist *d, const char *s, size_t n,
	      uint32_t *id)
{
	size_t best = 0;

	for (uint32_t t = 0; t < d->n; t++) {
		size_t len;
		const char *w = tv_dist_tok(d, t, &len);

		if (len > best && len <= n && memcmp(w, s, len) == 0) {
			best = len;
			*id = t;
		}
	}
	return best;
}

/* The tokens that spell s (n bytes), at most MAX_TAIL of them, into ids;
 * their number, or 0 when no token starts what is left to spell. */
static uint32_t
spell(const struct tv_dist *d, const char *s, size_t n, uint32_t *ids)
{
	uint32_t k = 0;

	while (n > 0 && k < MAX_TAIL) {
		size_t len = longest_start(d, s, n, &ids[k]);

		if (len == 0)
			return 0;
		s += len;
		n -= len;
		k++;
	}
	return k;
}

static int
known_tail(const struct own *o, uint32_t head, const uint32_t *t,
	   uint32_t k)
{
	for (uint32_t i = 0; i < o->n_seq; i++)
		if (o->seq[i].head == head && o->seq[i].len == k &&
		    memcmp(o->tail + o->seq[i].off, t, k * sizeof *t) == 0)
			return 1;
	return 0;
}

/* Token head followed by the k tokens t completes a breaker. 0 or -1. */
static int
add_seq(struct own *o, uint32_t head, const uint32_t *t, uint32_t k)
{
	if (known_tail(o, head, t, k))
		return 0;
	if (o->n_seq == o->cap_seq) {
		uint32_t cap = o->cap_seq ? o->cap_seq * 2 : 16;
		struct tv_brk_seq *q = realloc(o->seq, cap * sizeof *q);

		if (!q)
			return -1;
		o->seq = q;
		o->cap_seq = cap;
	}
	if (o->n_tail + k > o->cap_tail) {
		uint32_t cap = (o->n_tail + k) * 2;
		uint32_t *q = realloc(o->tail, cap * sizeof *q);

		if (!q)
			return -1;
		o->tail = q;
		o->cap_tail = cap;
	}
	memcpy(o->tail + o->n_tail, t, k * sizeof *t);
	o->seq[o->n_seq++] = (struct tv_brk_seq){ .head = head,
						  .off = o->n_tail, .len = k };
	o->n_tail += k;
	o->kind[head] |= TV_BRK_HEAD;
	return 0;
}

/*
 * Token id, text w (wn bytes), against the string s (n bytes, n > 1):
 * wherever the text's end is the string's start, the rest of the string
 * spelled in tokens completes a breaker headed by id.
 */
static int
add_heads(struct own *o, const struct tv_dist *d, uint32_t id,
	  const char *w, size_t wn, const char *s, size_t n)
{
	uint32_t t[MAX_TAIL];

	for (size_t pos = 0; pos < wn; pos++) {
		size_t have = wn - pos;
		uint32_t k;

		if (have >= n || memcmp(w + pos, s, have) != 0)
			continue;
		k = spell(d, s + have, n - have, t);
		if (k > 0 && add_seq(o, id, t, k) != 0)
			return -1;
	}
	return 0;
}

/* A string of more than one byte, over every token. */
static int
add_string(struct own *o, const struct tv_dist *d, const char *s, size_t n)
{
	for (uint32_t id = 0; id < d->n; id++) {
		size_t wn;
		const char *w = tv_dist_tok(d, id, &wn);

		if (holds(w, wn, s, n))
			o->kind[id] |= TV_BRK_SINGLE;
		else if (add_heads(o, d, id, w, wn, s, n) != 0)
			return -1;
	}
	return 0;
}

/* The strings of one byte at once: a token holding one of those bytes
 * is a breaker by itself, and one byte has no rest to spell. */
static void
add_bytes(struct own *o, const struct tv_dist *d, const unsigned char *byte)
{
	for (uint32_t id = 0; id < d->n; id++) {
		size_t wn;
		const char *w = tv_dist_tok(d, id, &wn);

		for (size_t i = 0; i < wn; i++)
			if (byte[(unsigned char)w[i]]) {
				o->kind[id] |= TV_BRK_SINGLE;
				break;
			}
	}
}

static int
cmp_seq(const void *a, const void *b)
{
	const struct tv_brk_seq *x = a, *y = b;

	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

struct tv_breakers *
tv_breakers_new(const struct tv_dist *d, const char *const *list)
{
	struct own *o = calloc(1, sizeof *o);
	unsigned char byte[256] = { 0 };
	int bytes = 0;

	if (!o || !(o->kind = calloc(d->n ? d->n : 1, 1)))
		goto fail;
	for (list = list ? list : TV_DRY_BREAKERS; *list; list++) {
		size_t n = strlen(*list);

		if (n > MAX_CHARS)
			n = MAX_CHARS;
		if (n == 1)
			bytes = byte[(unsigned char)**list] = 1;
		else if (n > 1 && add_string(o, d, *list, n) != 0)
			goto fail;
	}
	if (bytes)
		add_bytes(o, d, byte);
	if (o->n_seq)
		qsort(o->seq, o->n_seq, sizeof *o->seq, cmp_seq);
	o->b = (struct tv_breakers){ .vocab = d->n, .kind = o->kind,
				     .seq = o->seq, .n_seq = o->n_seq,
				     .tail = o->tail };
	return &o->b;
fail:
	tv_breakers_free(o ? &o->b : NULL);
	return NULL;
}

void
tv_breakers_free(struct tv_breakers *b)
{
	struct own *o = (struct own *)(void *)b;

	if (!o)
		return;
	free(o->kind);
	free(o->seq);
	free(o->tail);
	free(o);
}
