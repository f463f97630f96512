/* SPDX-License-Identifier: MIT */
/*
 * Beam search (beam.h). Hypotheses are chains of nodes, one word each,
 * pointing back to the word before; a step adds at most 2 B nodes and one
 * state (the running and finished hypotheses after it), so undo drops
 * the last state and its nodes. The distributions of a step's beams are
 * kept until the step is made: an asynchronous model answers them one at
 * a time, and a step asked again goes on with the next.
 */
#include "lm/beam.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define NO_NODE UINT32_MAX

struct node {
	int32_t word;
	uint32_t parent;        /* NO_NODE: the prompt */
	double logp;
};

/* The search after a step: up to B running and B finished. */
struct state {
	size_t first;           /* its hypotheses in hyp[first ..] */
	uint32_t n_run, n_fin;
	uint32_t n_node;        /* nodes made up to it */
	int done;
};

struct tv_beam {
	struct tv_model *m;
	int32_t *ctx;           /* the prompt's ids, room for the words */
	size_t n_prompt, cap_ctx;
	uint32_t width;
	double alpha;
	struct node *node;
	uint32_t n_node, cap_node;
	struct state *st;       /* st[0]: the prompt alone */
	size_t n_st, cap_st;
	struct tv_beam_hyp *hyp;        /* 2 B per state */
	struct tv_dist got[TV_BEAM_MAX];
	uint32_t n_got;
};

/* One continuation: beam j's word at position pos of its distribution. */
struct cand {
	double score;
	uint32_t beam, pos;
};

static const struct state *
top(const struct tv_beam *b)
{
	return &b->st[b->n_st - 1];
}

static struct tv_beam_hyp *
hyps(const struct tv_beam *b, const struct state *s)
{
	return b->hyp + s->first;
}

static void
drop_got(struct tv_beam *b)
{
	for (uint32_t i = 0; i < b->n_got; i++)
		tv_dist_free(&b->got[i]);
	b->n_got = 0;
}

struct tv_beam *
tv_beam_new(const struct tv_gen *g, uint32_t width, double alpha)
{
	struct tv_beam *b = calloc(1, sizeof *b);
	const int32_t *ids;

	if (!b)
		return NULL;
	ids = tv_gen_prompt_ids(g, &b->n_prompt);
	b->m = tv_gen_model(g);
	b->width = width < 1 ? 1 : width > TV_BEAM_MAX ? TV_BEAM_MAX : width;
	b->alpha = alpha;
	b->cap_ctx = b->n_prompt + 64;
	b->ctx = malloc(b->cap_ctx * sizeof *b->ctx);
	b->cap_st = 64;
	b->st = malloc(b->cap_st * sizeof *b->st);
	b->hyp = malloc(b->cap_st * 2 * b->width * sizeof *b->hyp);
	if (!b->ctx || !b->st || !b->hyp) {
		tv_beam_free(b);
		return NULL;
	}
	memcpy(b->ctx, ids, b->n_prompt * sizeof *ids);
	tv_beam_restart(b);
	return b;
}

void
tv_beam_free(struct tv_beam *b)
{
	if (!b)
		return;
	drop_got(b);
	free(b->ctx);
	free(b->node);
	free(b->st);
	free(b->hyp);
	free(b);
}

double
tv_beam_bits_per_word(const struct tv_beam_hyp *h)
{
	return h->n ? -h->sum / (double)h->n / M_LN2 : 0;
}

void
tv_beam_restart(struct tv_beam *b)
{
	drop_got(b);
	b->n_node = 0;
	b->n_st = 1;
	b->st[0] = (struct state){ .first = 0, .n_run = 1 };
	b->hyp[0] = (struct tv_beam_hyp){ .node = NO_NODE };
}

void
tv_beam_undo(struct tv_beam *b)
{
	if (b->n_st <= 1)
		return;
	drop_got(b);
	b->n_st--;
	b->n_node = top(b)->n_node;
}

size_t
tv_beam_len(const struct tv_beam *b)
{
	return b->n_st - 1;
}

int
tv_beam_done(const struct tv_beam *b)
{
	return top(b)->done;
}

const struct tv_beam_hyp *
tv_beam_running(const struct tv_beam *b, size_t *n)
{
	*n = b->n_st > 1 ? top(b)->n_run : 0;
	return hyps(b, top(b));
}

const struct tv_beam_hyp *
tv_beam_finished(const struct tv_beam *b, size_t *n)
{
	*n = top(b)->n_fin;
	return hyps(b, top(b)) + b->width;
}

void
tv_beam_words(const struct tv_beam *b, const struct tv_beam_hyp *h,
	      int32_t *out)
{
	uint32_t k = h->node;

	for (size_t j = h->n; j-- > 0 && k != NO_NODE; k = b->node[k].parent)
		out[j] = b->node[k].word;
}

double
tv_beam_logp(const struct tv_beam *b, const struct tv_beam_hyp *h, size_t j)
{
	uint32_t k = h->node;

	for (size_t i = h->n; i-- > j + 1 && k != NO_NODE;)
		k = b->node[k].parent;
	return k == NO_NODE ? NAN : b->node[k].logp;
}

static double
score_of(const struct tv_beam *b, double sum, size_t n)
{
	return sum / pow((double)n, b->alpha);
}

/*
 * HF's BeamHypotheses.add on a list kept best first: a hypothesis joins
 * while fewer than B are kept or when it beats the worst, which then
 * goes (a tie stays behind the ones already there).
 */
static void
add_finished(const struct tv_beam *b, struct tv_beam_hyp *fin,
	     uint32_t *n, const struct tv_beam_hyp *h)
{
	uint32_t at;

	if (*n == b->width && !(h->score > fin[*n - 1].score))
		return;
	at = *n < b->width ? (*n)++ : *n - 1;
	while (at > 0 && fin[at - 1].score < h->score) {
		fin[at] = fin[at - 1];
		at--;
	}
	fin[at] = *h;
}

int
tv_beam_best(const struct tv_beam *b, struct tv_beam_hyp *best)
{
	const struct state *s = top(b);
	const struct tv_beam_hyp *h = hyps(b, s);
	struct tv_beam_hyp fin[TV_BEAM_MAX];
	uint32_t n = s->n_fin;

	if (b->n_st <= 1)
		return 0;
	memcpy(fin, h + b->width, n * sizeof *fin);
	/* finalize: while not done, the running beams count as they are. */
	if (!s->done)
		for (uint32_t i = 0; i < s->n_run; i++) {
			struct tv_beam_hyp r = h[i];

			r.score = score_of(b, r.sum, r.n);
			add_finished(b, fin, &n, &r);
		}
	if (n == 0)
		return 0;
	*best = fin[0];
	return 1;
}

/* The context of running beam h: the prompt, then its words. */
static int
context_of(struct tv_beam *b, const struct tv_beam_hyp *h, size_t *n)
{
	if (b->n_prompt + h->n > b->cap_ctx) {
		size_t cap = 2 * (b->n_prompt + h->n);
		int32_t *c = realloc(b->ctx, cap * sizeof *c);

		if (!c)
			return -1;
		b->ctx = c;
		b->cap_ctx = cap;
	}
	tv_beam_words(b, h, b->ctx + b->n_prompt);
	*n = b->n_prompt + h->n;
	return 0;
}

static int
cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *c = y;

	if (a->score != c->score)
		return a->score < c->score ? 1 : -1;
	if (a->beam != c->beam)
		return a->beam < c->beam ? -1 : 1;
	return a->pos < c->pos ? -1 : a->pos > c->pos;
}

/* Room for a state and the nodes of one more step. */
static int
room(struct tv_beam *b)
{
	if (b->n_node + 2 * b->width > b->cap_node) {
		uint32_t cap = 2 * (b->n_node + 2 * b->width);
		struct node *n = realloc(b->node, cap * sizeof *n);

		if (!n)
			return -1;
		b->node = n;
		b->cap_node = cap;
	}
	if (b->n_st == b->cap_st) {
		size_t cap = 2 * b->cap_st;
		struct state *s = realloc(b->st, cap * sizeof *s);
		struct tv_beam_hyp *h;

		if (!s)
			return -1;
		b->st = s;
		h = realloc(b->hyp, cap * 2 * b->width * sizeof *h);
		if (!h)
			return -1;
		b->hyp = h;
		b->cap_st = cap;
	}
	return 0;
}

/* Every running beam's first 2 B continuations, ranked; returns how many
 * of them lead (at most 2 B). */
static uint32_t
rank_cands(const struct tv_beam *b, const struct tv_beam_hyp *run,
	   uint32_t n_run, struct cand *c)
{
	uint32_t n = 0, want = 2 * b->width;

	for (uint32_t j = 0; j < n_run; j++) {
		const struct tv_dist *d = &b->got[j];

		for (uint32_t pos = 0; pos < d->n_finite && pos < want; pos++)
			c[n++] = (struct cand){
				.score = run[j].sum + (d->sorted[pos] - d->lse1),
				.beam = j, .pos = pos,
			};
	}
	qsort(c, n, sizeof *c, cmp_cand);
	return n < want ? n : want;
}

/* The next state from the ranked candidates (HF's process). */
static void
advance(struct tv_beam *b, const struct cand *c, uint32_t n)
{
	const struct state *s = top(b);
	const struct tv_beam_hyp *old = hyps(b, s);
	struct state *t = &b->st[b->n_st];
	struct tv_beam_hyp *run, *fin;
	size_t len = old[0].n + 1;

	*t = (struct state){ .first = b->n_st * 2 * b->width,
			     .n_fin = s->n_fin };
	run = hyps(b, t);
	fin = run + b->width;
	memcpy(fin, old + b->width, s->n_fin * sizeof *fin);
	for (uint32_t r = 0; r < n && t->n_run < b->width; r++) {
		const struct tv_dist *d = &b->got[c[r].beam];
		uint32_t tok = d->order[c[r].pos];
		struct tv_beam_hyp h = {
			.node = b->n_node, .n = len, .sum = c[r].score,
		};
		int eos = tv_model_tok_word(d, tok) == b->m->eos &&
			  b->m->eos >= 0;

		if (eos && r >= b->width)
			continue;
		b->node[b->n_node++] = (struct node){
			.word = tv_model_tok_word(d, tok),
			.parent = old[c[r].beam].node,
			.logp = d->sorted[c[r].pos] - d->lse1,
		};
		h.score = score_of(b, h.sum, len);
		if (eos) {
			h.finished = 1;
			add_finished(b, fin, &t->n_fin, &h);
		} else {
			run[t->n_run++] = h;
		}
	}
	t->n_node = b->n_node;
	t->done = t->n_fin == b->width && n > 0 &&
		  fin[t->n_fin - 1].score >= score_of(b, c[0].score, len);
	/* Nothing left to run (a vocabulary of </s> alone) ends it too. */
	t->done |= t->n_run == 0;
	b->n_st++;
}

int
tv_beam_step(struct tv_beam *b, struct tv_error *err)
{
	const struct state *s = top(b);
	const struct tv_beam_hyp *run = hyps(b, s);
	struct cand c[TV_BEAM_MAX * 2 * TV_BEAM_MAX];
	uint32_t n;

	if (s->done)
		return 0;
	while (b->n_got < s->n_run) {
		size_t nc;
		int r;

		if (context_of(b, &run[b->n_got], &nc) != 0)
			goto nomem;
		r = tv_model_dist(b->m, b->ctx, nc, &b->got[b->n_got], NULL,
				  err);
		if (r != 0)
			return r;
		b->n_got++;
	}
	if (room(b) != 0)
		goto nomem;
	n = rank_cands(b, run, s->n_run, c);
	advance(b, c, n);
	drop_got(b);
	return 0;
nomem:
	snprintf(err->msg, sizeof err->msg, "beam search: out of memory");
	return -1;
}
