/* SPDX-License-Identifier: MIT */
/*
 * One lane of generated text. The context the model reads is <s>, the
 * prompt's words and the words drawn so far, </s> followed by <s> so that
 * the next word starts a sentence. Every draw takes exactly one uniform
 * from the lane's generator (greedy ones too), so undo can return the
 * generator to where it was by replaying the seed.
 */
#include "lm/gen.h"

#include "tempviz/history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fewest repeated words that count as a loop: "the the" is a
 * stutter, six words going round is the loop greedy decoding falls in. */
#define LOOP_MIN_WORDS 6
/* The longest period looked for: a trigram's loops are a few words. */
#define LOOP_MAX_PERIOD 64

/* What a step keeps beside its tv_gen_step: its candidates and moved
 * words, and where it sits in the history the penalties read. */
struct rec {
	struct tv_gen_cand cand[TV_GEN_CANDS];
	struct tv_gen_move move[TV_GEN_MOVES];
	uint32_t n_cand, n_move;
	uint32_t hist_at;       /* the history index of the step's word */
	uint32_t pen_from;      /* the first index the penalties counted,
	                           NO_PENALTY when they were off */
};

#define NO_PENALTY UINT32_MAX

struct tv_gen {
	struct tv_model *m;
	char *prompt;
	char *unknown;
	int32_t *ctx;           /* <s>, the prompt, then the generated words */
	size_t n_ctx, cap_ctx, n_prompt;
	struct tv_gen_step *st;
	struct rec *rec;        /* one per step */
	size_t n, cap;
	uint32_t hist_prompt;   /* history entries of the prompt */
	uint32_t seed;
	struct tv_rng rng;
	struct tv_dist dist;    /* of the context ctx had when it was built */
	int have_dist;
	int32_t *dist_key;      /* that context as the model reads it */
	size_t n_dist_key, cap_dist_key;
	int pending;            /* the model was asked and has not answered */
	int32_t *slot_of;       /* a listed distribution's token by word id */
	uint32_t cap_slot;
	double raw_sum;
	double *w;              /* outcome probabilities, vocab entries */
	size_t loop, loop_from;
	/* Samplers with memory: the core's state (made on first use), the
	 * last step's edits, and mirostat's mu. */
	struct tv_memory *mem;
	struct tv_breakers *brk;        /* DRY's, for the dist's tokens ... */
	const char *const *brk_list;    /* ... made from this list */
	uint32_t *hist;
	struct tv_edit *ed;
	uint32_t n_ed;
	struct tv_gen_move *mv; /* the edits as moves, most moved first */
	uint32_t pen_from;
	size_t cap_hist;
	double mu;
	int mu_set;
};

static int
push_ctx(struct tv_gen *g, int32_t id)
{
	if (g->n_ctx == g->cap_ctx) {
		size_t cap = g->cap_ctx ? 2 * g->cap_ctx : 64;
		int32_t *c = realloc(g->ctx, cap * sizeof *c);

		if (!c)
			return -1;
		g->ctx = c;
		g->cap_ctx = cap;
	}
	g->ctx[g->n_ctx++] = id;
	return 0;
}

/* The context starts with <s> where the model has one (a server adds
 * its own), then the prompt's words. */
static int
read_prompt(struct tv_gen *g, const char *prompt)
{
	size_t n = tv_model_tokenize(g->m, prompt, NULL, 0);
	size_t bos = g->m->bos >= 0;

	g->cap_ctx = n + 64;
	g->ctx = malloc(g->cap_ctx * sizeof *g->ctx);
	g->unknown = malloc(strlen(prompt) + 1);
	if (!g->ctx || !g->unknown)
		return -1;
	if (bos)
		g->ctx[0] = g->m->bos;
	tv_model_tokenize(g->m, prompt, g->ctx + bos, n);
	g->n_ctx = g->n_prompt = n + bos;
	for (size_t i = 0; i < g->n_ctx; i++)
		g->hist_prompt += g->ctx[i] >= 0;
	/* A server's prompt is one piece of text: its history is its words
	 * (prompt_words). */
	if (g->m->pieces)
		g->hist_prompt = tv_history_count_words(prompt);
	tv_model_unknown(g->m, prompt, g->unknown, strlen(prompt) + 1);
	return 0;
}

struct tv_gen *
tv_gen_new(struct tv_model *m, const char *prompt, uint32_t seed)
{
	struct tv_gen *g = calloc(1, sizeof *g);

	if (!g)
		return NULL;
	g->m = m;
	g->prompt = strdup(prompt ? prompt : "");
	if (!g->prompt || read_prompt(g, g->prompt) != 0) {
		tv_gen_free(g);
		return NULL;
	}
	tv_gen_restart(g, seed);
	return g;
}

void
tv_gen_free(struct tv_gen *g)
{
	if (!g)
		return;
	if (g->have_dist)
		tv_dist_free(&g->dist);
	free(g->prompt);
	free(g->unknown);
	free(g->ctx);
	free(g->st);
	free(g->rec);
	free(g->dist_key);
	free(g->slot_of);
	free(g->w);
	tv_memory_free(g->mem);
	tv_breakers_free(g->brk);
	free(g->hist);
	free(g->ed);
	free(g->mv);
	free(g);
}

struct tv_model *
tv_gen_model(const struct tv_gen *g)
{
	return g->m;
}

const char *
tv_gen_prompt(const struct tv_gen *g)
{
	return g->prompt;
}

const int32_t *
tv_gen_prompt_ids(const struct tv_gen *g, size_t *n)
{
	*n = g->n_prompt;
	return g->ctx;
}

const char *
tv_gen_unknown(const struct tv_gen *g)
{
	return g->unknown;
}

static int
nomem(struct tv_gen *g, struct tv_error *err)
{
	snprintf(err->msg, sizeof err->msg, "%s: out of memory", g->m->path);
	return -1;
}

/* The dist built is still the one of the current context. */
static int
dist_current(const struct tv_gen *g)
{
	size_t k = tv_model_context(g->m, g->ctx, g->n_ctx);

	return g->have_dist && k == g->n_dist_key &&
	       (k == 0 || memcmp(g->dist_key, g->ctx + g->n_ctx - k,
				 k * sizeof *g->ctx) == 0);
}

/* Room for the distribution's outcome weights and the context's key. */
static int
dist_room(struct tv_gen *g, size_t k)
{
	double *w = realloc(g->w, (g->dist.n + 1) * sizeof *w);

	if (!w)
		return -1;
	g->w = w;
	if (k > g->cap_dist_key) {
		int32_t *key = realloc(g->dist_key, 2 * k * sizeof *key);

		if (!key)
			return -1;
		g->dist_key = key;
		g->cap_dist_key = 2 * k;
	}
	return 0;
}

const struct tv_dist *
tv_gen_dist(struct tv_gen *g, struct tv_error *err)
{
	size_t k = tv_model_context(g->m, g->ctx, g->n_ctx);
	struct tv_dist d;
	int r;

	g->pending = 0;
	if (dist_current(g))
		return &g->dist;
	/* The old one stays until the new one is there: while a server
	 * answers, the screen still shows it. */
	r = tv_model_dist(g->m, g->ctx, g->n_ctx, &d, &g->raw_sum, err);
	if (r == TV_MODEL_PENDING) {
		g->pending = 1;
		snprintf(err->msg, sizeof err->msg, "waiting for %s", g->m->name);
		return NULL;
	}
	if (r != 0)
		return NULL;
	if (g->have_dist)
		tv_dist_free(&g->dist);
	g->dist = d;
	g->have_dist = 0;
	if (dist_room(g, k) != 0) {
		tv_dist_free(&g->dist);
		nomem(g, err);
		return NULL;
	}
	g->have_dist = 1;
	if (k)
		memcpy(g->dist_key, g->ctx + g->n_ctx - k, k * sizeof *g->ctx);
	g->n_dist_key = k;
	return &g->dist;
}

int
tv_gen_ready(const struct tv_gen *g)
{
	return dist_current(g);
}

int
tv_gen_pending(const struct tv_gen *g)
{
	return g->pending;
}

double
tv_gen_raw_sum(const struct tv_gen *g)
{
	return g->have_dist ? g->raw_sum : NAN;
}

/* ----------------------------------------------------------- loops --- */

static int32_t
word_of(const struct tv_gen *g, size_t i)
{
	return g->st[i].word;
}

/* How many of the last words repeat with period L (the run of i with
 * word i == word i - L, counted from the end, plus the first L). */
static size_t
periodic_tail(const struct tv_gen *g, size_t L)
{
	size_t run = 0;

	while (run + L < g->n &&
	       word_of(g, g->n - 1 - run) == word_of(g, g->n - 1 - run - L))
		run++;
	return run + L;
}

/* After a step: a loop that goes on keeps its start, so a long loop costs
 * one comparison per word; else the periods are tried afresh. */
static void
find_loop(struct tv_gen *g)
{
	if (g->loop && g->n > g->loop &&
	    word_of(g, g->n - 1) == word_of(g, g->n - 1 - g->loop))
		return;
	g->loop = g->loop_from = 0;
	for (size_t L = 1; L <= LOOP_MAX_PERIOD && 2 * L <= g->n; L++) {
		size_t span = periodic_tail(g, L);
		size_t need = 2 * L > LOOP_MIN_WORDS ? 2 * L : LOOP_MIN_WORDS;

		if (span >= need) {
			g->loop = L;
			g->loop_from = g->n - span;
			return;
		}
	}
}

size_t
tv_gen_loop(const struct tv_gen *g)
{
	return g->loop;
}

size_t
tv_gen_loop_from(const struct tv_gen *g)
{
	return g->loop_from;
}

/* ------------------------------------------------------------ steps --- */

static int
step_room(struct tv_gen *g)
{
	size_t cap = g->cap ? 2 * g->cap : 64;
	struct tv_gen_step *st;
	struct rec *rc;

	if (g->n < g->cap)
		return 0;
	st = realloc(g->st, cap * sizeof *st);
	if (st)
		g->st = st;
	rc = st ? realloc(g->rec, cap * sizeof *rc) : NULL;
	if (!rc)
		return -1;
	g->rec = rc;
	g->cap = cap;
	return 0;
}

/* 1 when word w is followed by <s> in the context (a sentence ends). */
static int
ends_sentence(const struct tv_gen *g, int32_t w)
{
	return w == g->m->eos && g->m->bos >= 0;
}

/* The history index the next word gets: the history is the context's
 * known ids, <s> included. */
static uint32_t
next_hist(const struct tv_gen *g)
{
	if (g->n == 0)
		return g->hist_prompt;
	return g->rec[g->n - 1].hist_at + 1 +
	       (uint32_t)ends_sentence(g, g->st[g->n - 1].word);
}

/* Append a word: its context (</s> followed by <s>), its step and what
 * the step keeps. */
static int
push_word(struct tv_gen *g, const struct tv_gen_step *s, const struct rec *rc)
{
	uint32_t at = next_hist(g);

	if (step_room(g) != 0 || push_ctx(g, s->word) != 0 ||
	    (ends_sentence(g, s->word) && push_ctx(g, g->m->bos) != 0))
		return -1;
	g->st[g->n] = *s;
	g->rec[g->n] = *rc;
	g->rec[g->n].hist_at = at;
	g->n++;
	find_loop(g);
	return 0;
}

/* DRY's breakers spelled by d's tokens: once for a full vocabulary (its
 * tokens are the same in every context), again for each listed
 * distribution, whose tokens change, and when the list changes. */
static int
breakers_for(struct tv_gen *g, const struct tv_dist *d,
	     const struct tv_params *p)
{
	if (g->brk && !d->tok_id && g->brk_list == p->dry_breakers)
		return 0;
	tv_breakers_free(g->brk);
	g->brk_list = p->dry_breakers;
	g->brk = tv_breakers_new(d, p->dry_breakers);
	return g->brk ? 0 : -1;
}

/* Room for the history, and the edits kept after a step. */
static int
history_room(struct tv_gen *g)
{
	size_t need = g->n_ctx + g->hist_prompt;

	if (need > g->cap_hist) {
		size_t cap = need * 2;
		uint32_t *h = realloc(g->hist, cap * sizeof *h);
		struct tv_edit *e = h ? realloc(g->ed, cap * sizeof *e) : NULL;
		struct tv_gen_move *gm = e ? realloc(g->mv, cap * sizeof *gm)
			: NULL;

		if (h)
			g->hist = h;
		if (e)
			g->ed = e;
		if (!gm)
			return -1;
		g->mv = gm;
		g->cap_hist = cap;
	}
	return 0;
}

/* The place in the prompt of the first word spelled as s (l bytes). */
static uint32_t
first_word(const char *prompt, const char *s, size_t l)
{
	uint32_t k = 0;

	for (prompt += strspn(prompt, " "); prompt < s;
	     prompt += strspn(prompt, " "), k++) {
		size_t pl = strcspn(prompt, " ");

		if (pl == l && !memcmp(prompt, s, l))
			break;
		prompt += pl;
	}
	return k;
}

/*
 * A model server's prompt, one piece of text in the context, as the
 * history reads it: each word the token of d it names, as print --server
 * matches them (tv_history_word), and a word that names none a token of
 * its own past the listed ones and the model's words (the same word, the
 * same token), so that the prompt holds hist_prompt places whatever d
 * lists.
 */
static uint32_t
prompt_words(const struct tv_gen *g, const struct tv_dist *d, uint32_t *out)
{
	const char *s = g->prompt + strspn(g->prompt, " ");
	uint32_t n = 0;

	for (; *s && n < g->hist_prompt; s += strspn(s, " ")) {
		size_t l = strcspn(s, " ");
		uint32_t id = tv_history_word(d, s, l);

		out[n++] = id != UINT32_MAX ? id : d->n + g->m->vocab +
			   first_word(g->prompt, s, l);
		s += l;
	}
	return n;
}

/*
 * The history as tokens of d: a word's own id for a full vocabulary; for
 * a listed distribution its place in the list, and a word it does not
 * list an id past the list (which the penalties skip and DRY still
 * matches). Returns the history's length.
 */
static uint32_t
history_of(struct tv_gen *g, const struct tv_dist *d)
{
	uint32_t n = 0;

	if (d->tok_id && g->m->vocab > g->cap_slot) {
		int32_t *sl = realloc(g->slot_of, g->m->vocab * sizeof *sl);

		if (!sl)
			return UINT32_MAX;
		memset(sl + g->cap_slot, 0xff,
		       (g->m->vocab - g->cap_slot) * sizeof *sl);
		g->slot_of = sl;
		g->cap_slot = g->m->vocab;
	}
	if (d->tok_id)
		for (uint32_t i = 0; i < d->n; i++)
			if (d->tok_id[i] >= 0 && (uint32_t)d->tok_id[i] < g->cap_slot)
				g->slot_of[d->tok_id[i]] = (int32_t)i;
	if (g->m->pieces)
		n = prompt_words(g, d, g->hist);
	for (size_t i = g->m->pieces ? g->n_prompt : 0; i < g->n_ctx; i++) {
		int32_t w = g->ctx[i];

		if (w < 0)
			continue;
		if (!d->tok_id)
			g->hist[n++] = (uint32_t)w;
		else if ((uint32_t)w < g->cap_slot && g->slot_of[w] >= 0)
			g->hist[n++] = (uint32_t)g->slot_of[w];
		else
			g->hist[n++] = d->n + (uint32_t)w;
	}
	if (d->tok_id)
		for (uint32_t i = 0; i < d->n; i++)
			if (d->tok_id[i] >= 0 && (uint32_t)d->tok_id[i] < g->cap_slot)
				g->slot_of[d->tok_id[i]] = -1;
	return n;
}

/* The most moved first: the largest drop in p, then the higher rank. */
static int
cmp_move(const void *a, const void *b)
{
	const struct tv_gen_move *x = a, *y = b;
	double dx = x->p_before - x->p_after, dy = y->p_before - y->p_after;

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return x->rank_before < y->rank_before ? -1
	       : x->rank_before > y->rank_before;
}

/* Where the penalties' count starts in a history of n: llama.cpp's window
 * of the last repeat_last_n; the whole history in HF's and vLLM's rules. */
static uint32_t
penalty_from(const struct tv_params *p, enum tv_profile rules, uint32_t n)
{
	if (!tv_penalties_on(p, rules))
		return NO_PENALTY;
	if (rules == TV_PROFILE_LLAMACPP && p->repeat_last_n >= 0 &&
	    (uint32_t)p->repeat_last_n < n)
		return n - (uint32_t)p->repeat_last_n;
	return 0;
}

/* The edits as moves: their p and rank after (the memory samplers'
 * order), then, on the model's order restored, before them; the most
 * moved first. */
static void
note_moves(struct tv_gen *g, int after)
{
	const struct tv_dist *d = &g->dist;

	for (uint32_t i = 0; i < g->n_ed; i++) {
		const struct tv_edit *e = &g->ed[i];
		struct tv_gen_move *m = &g->mv[i];
		uint32_t pos = d->rank[e->id];

		if (after) {
			*m = (struct tv_gen_move){
				.word = tv_model_tok_word(d, e->id),
				.before = e->before, .after = e->after,
				.p_after = tv_base_p(d, pos),
				.rank_after = pos + 1, .count = e->count,
				.dry_len = e->dry_len, .dry_at = e->dry_at,
			};
			continue;
		}
		m->p_before = tv_base_p(d, pos);
		m->rank_before = pos + 1;
	}
	if (!after && g->n_ed)
		qsort(g->mv, g->n_ed, sizeof *g->mv, cmp_move);
}

/*
 * The penalties, DRY and smoothing over the context (prompt and words so
 * far) applied to the lane's distribution by the core's tv_memory, which
 * mends only the moved words into its order and takes them back exactly
 * at restore_memory, so the cached distribution stays the model's.
 */
static int
apply_memory(struct tv_gen *g, const struct tv_chain *c,
	     const struct tv_params *p)
{
	struct tv_history h = { .n = 0 };
	const struct tv_edit *e;
	uint32_t n;

	g->n_ed = 0;
	g->pen_from = NO_PENALTY;
	if (!tv_penalties_on(p, c->rules) && !tv_dry_on(p, c->rules) &&
	    !tv_smoothing_on(p))
		return 0;
	if ((!g->mem && !(g->mem = tv_memory_new())) || history_room(g) != 0 ||
	    breakers_for(g, &g->dist, p) != 0 ||
	    (h.n = history_of(g, &g->dist)) == UINT32_MAX)
		return -1;
	h.ids = g->hist;
	h.n_prompt = g->hist_prompt;
	if (tv_memory_apply(g->mem, &g->dist, p, c->rules, &h, g->brk) != TV_OK)
		return -1;
	/* Kept past the restore: what the step's caller is shown. */
	e = tv_memory_edits(g->mem, &n);
	if (n == 0)
		return 0;
	memcpy(g->ed, e, n * sizeof *g->ed);
	g->n_ed = n;
	g->pen_from = penalty_from(p, c->rules, h.n);
	/* Their rank and p before come at restore_memory. */
	note_moves(g, 1);
	return 0;
}

uint32_t
tv_gen_history(struct tv_gen *g, const struct tv_dist *d,
	       const uint32_t **ids, uint32_t *n_prompt)
{
	uint32_t n;

	if (history_room(g) != 0 || (n = history_of(g, d)) == UINT32_MAX)
		return UINT32_MAX;
	*ids = g->hist;
	*n_prompt = g->hist_prompt;
	return n;
}

int
tv_gen_plain_lane(struct tv_params *p, enum tv_profile rules)
{
	if (!tv_penalties_on(p, rules) && !tv_dry_on(p, rules))
		return 0;
	p->repeat_penalty = 1;
	p->freq_penalty = p->presence_penalty = 0;
	p->dry_multiplier = 0;
	return 1;
}

/* The model's distribution back, exactly; the moves' rank and p before
 * are read on it. */
static void
restore_memory(struct tv_gen *g)
{
	if (g->mem)
		tv_memory_restore(g->mem, &g->dist);
	note_moves(g, 0);
}

const struct tv_edit *
tv_gen_edits(const struct tv_gen *g, uint32_t *n)
{
	*n = g->n_ed;
	return g->ed;
}

/*
 * The outcomes' weights into g->w, and their sum. A listed model's rest
 * of the vocabulary cannot be drawn (no one knows which word it would
 * be), so its weight is 0 and the rest is renormalised: *listed_only
 * says that happened.
 */
static double
outcome_weights(struct tv_gen *g, const struct tv_dist *d,
		const struct tv_result *r, uint32_t *m, int *listed_only)
{
	double total = 0;

	*m = tv_result_outcomes(d, r, g->w);
	*listed_only = 0;
	for (uint32_t k = 0; k < *m; k++) {
		if (d->tok_id && tv_outcome_pos(r, k) == TV_POS_TAIL &&
		    g->w[k] > 0) {
			g->w[k] = 0;
			*listed_only = 1;
		}
		total += g->w[k];
	}
	return total;
}

static int
only_rest(struct tv_gen *g, struct tv_error *err)
{
	snprintf(err->msg, sizeof err->msg,
		 "%s: the dials keep only the rest of the vocabulary, which "
		 "the model did not list (lower the temperature, or list more "
		 "tokens with --n-probs)", g->m->name);
	return -1;
}

/* The step's candidates: the first positions of the order after the
 * penalties, with the p the draw gave them (scale: 1, or the listed
 * total they were renormalised by). */
static void
note_cands(struct tv_gen *g, const struct tv_result *r, double scale,
	   struct rec *rc)
{
	const struct tv_dist *d = &g->dist;
	uint32_t n = d->n_finite < TV_GEN_CANDS ? d->n_finite : TV_GEN_CANDS;

	rc->n_cand = n;
	for (uint32_t pos = 0; pos < n; pos++) {
		uint32_t tok = d->order[pos];
		int kept = pos >= r->lo && pos < r->hi;

		rc->cand[pos] = (struct tv_gen_cand){
			.word = tv_model_tok_word(d, tok), .tok = tok,
			.logit = d->logit[tok],
			.p = kept ? g->w[pos - r->lo] / scale : 0,
		};
	}
}

/* What the step keeps of the penalties' edits. */
static void
note_memory(const struct tv_gen *g, struct tv_gen_step *s, struct rec *rc)
{
	s->moved = g->n_ed;
	rc->n_move = g->n_ed < TV_GEN_MOVES ? g->n_ed : TV_GEN_MOVES;
	if (rc->n_move)
		memcpy(rc->move, g->mv, rc->n_move * sizeof *rc->move);
	rc->pen_from = g->pen_from;
}

int
tv_gen_step(struct tv_gen *g, const struct tv_chain *c,
	    const struct tv_params *par, struct tv_error *err)
{
	const struct tv_dist *d = tv_gen_dist(g, err);
	struct tv_params p = *par;
	struct tv_result r;
	struct tv_gen_step s = { .word = 0 };
	struct rec rc = { .n_cand = 0 };
	uint32_t m, i, pos;
	double total;
	int listed_only;

	if (!d)
		return g->pending ? TV_MODEL_PENDING : -1;
	if (!g->mu_set) {
		g->mu = par->mirostat_mu;
		g->mu_set = 1;
	}
	p.mirostat_mu = g->mu;
	if (apply_memory(g, c, &p) != 0)
		return nomem(g, err);
	tv_run(d, c, &p, &r);
	if (p.mirostat && r.chain.n > 0 &&
	    r.chain.stage[r.chain.n - 1] == TV_STAGE_MIROSTAT) {
		s.mirostat = p.mirostat;
		s.tau = p.mirostat_tau;
		s.eta = p.mirostat_eta;
	}
	total = outcome_weights(g, d, &r, &m, &listed_only);
	if (!(total > 0)) {
		restore_memory(g);
		return only_rest(g, err);
	}
	i = tv_draw_cdf(g->w, m, total, &g->rng);
	pos = tv_outcome_pos(&r, i);
	s.tok = d->order[pos];
	s.word = tv_model_tok_word(d, s.tok);
	s.p = listed_only ? g->w[i] / total : g->w[i];
	s.rank = i + 1;
	s.entropy_bits = r.stats.entropy_bits;
	s.kept = (uint32_t)r.stats.kept;
	s.mu = g->mu;
	if (s.mirostat)
		g->mu = tv_mirostat_update(&p, g->mu, s.p);
	note_cands(g, &r, listed_only ? total : 1, &rc);
	restore_memory(g);
	note_memory(g, &s, &rc);
	/* The model's own p, at the word's place in the restored order. */
	s.surprisal_bits = -log2(tv_base_p(d, d->rank[s.tok]));
	for (uint32_t k = 0; k < rc.n_cand; k++)
		rc.cand[k].p_model = tv_base_p(d, d->rank[rc.cand[k].tok]);
	if (push_word(g, &s, &rc) != 0)
		return nomem(g, err);
	return 0;
}

const struct tv_gen_cand *
tv_gen_cands(const struct tv_gen *g, size_t i, uint32_t *n)
{
	*n = i < g->n ? g->rec[i].n_cand : 0;
	return i < g->n ? g->rec[i].cand : NULL;
}

const struct tv_gen_move *
tv_gen_moves(const struct tv_gen *g, size_t i, uint32_t *n)
{
	*n = i < g->n ? g->rec[i].n_move : 0;
	return i < g->n ? g->rec[i].move : NULL;
}

size_t
tv_gen_causes(const struct tv_gen *g, size_t i, uint32_t k,
	      unsigned char *mark)
{
	const struct rec *rc;
	const struct tv_gen_move *mv;
	uint32_t from, h = 0, lo = 1, hi = 0;
	size_t in_prompt = 0;

	memset(mark, 0, i < g->n ? i : g->n);
	if (i >= g->n || k >= g->rec[i].n_move)
		return 0;
	rc = &g->rec[i];
	mv = &rc->move[k];
	from = rc->pen_from;
	/* DRY's stretch: the words that ended at dry_at, and the one after
	 * it (the word this move is). */
	if (mv->dry_len) {
		lo = mv->dry_at + 1 - mv->dry_len;
		hi = mv->dry_at + 1;
	}
	/* The history counts the context's known ids; <s> is no word. */
	for (size_t c = 0; c < g->n_prompt; c++) {
		if (g->ctx[c] < 0)
			continue;
		if (g->ctx[c] != g->m->bos &&
		    ((from != NO_PENALTY && h >= from &&
		      g->ctx[c] == mv->word) || (h >= lo && h <= hi)))
			in_prompt++;
		h++;
	}
	for (size_t j = 0; j < i; j++) {
		h = g->rec[j].hist_at;
		mark[j] = (from != NO_PENALTY && h >= from &&
			   g->st[j].word == mv->word) || (h >= lo && h <= hi);
	}
	return in_prompt;
}

/* A copy of the step as a word picked from candidate k of its own
 * candidates: the same distribution, another word. */
static struct tv_gen_step
picked_step(const struct tv_gen_step *s, const struct rec *rc, uint32_t k)
{
	struct tv_gen_step t = *s;
	const struct tv_gen_cand *cd = &rc->cand[k];

	t.word = cd->word;
	t.tok = cd->tok;
	t.p = cd->p;
	t.rank = k + 1;
	t.surprisal_bits = -log2(cd->p_model);
	t.picked = 1;
	return t;
}

struct tv_gen *
tv_gen_branch(const struct tv_gen *g, size_t i, uint32_t k)
{
	struct tv_gen *b;
	struct tv_gen_step s;

	if (i >= g->n || k >= g->rec[i].n_cand)
		return NULL;
	b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->m = g->m;
	b->prompt = strdup(g->prompt);
	b->unknown = strdup(g->unknown);
	b->cap_ctx = g->n_ctx + 64;
	b->ctx = malloc(b->cap_ctx * sizeof *b->ctx);
	if (!b->prompt || !b->unknown || !b->ctx)
		goto fail;
	memcpy(b->ctx, g->ctx, g->n_prompt * sizeof *b->ctx);
	b->n_prompt = g->n_prompt;
	b->hist_prompt = g->hist_prompt;
	tv_gen_restart(b, g->seed);
	/* The same words, each with its draw taken from the generator. */
	for (size_t j = 0; j <= i; j++) {
		s = j < i ? g->st[j] : picked_step(&g->st[j], &g->rec[j], k);
		if (push_word(b, &s, &g->rec[j]) != 0)
			goto fail;
		tv_draw_skip(&b->rng, 1);
	}
	/* mu after the picked word, by the rule of the step it replaces;
	 * a word the rule cut has no p to learn from, and leaves mu. */
	b->mu = s.mu;
	b->mu_set = 1;
	if (s.mirostat && s.p > 0) {
		struct tv_params q;

		tv_params_default(&q);
		q.mirostat_tau = s.tau;
		q.mirostat_eta = s.eta;
		b->mu = tv_mirostat_update(&q, s.mu, s.p);
	}
	return b;
fail:
	tv_gen_free(b);
	return NULL;
}

void
tv_gen_undo(struct tv_gen *g)
{
	int32_t w;

	if (g->n == 0)
		return;
	w = g->st[--g->n].word;
	g->mu = g->st[g->n].mu;
	g->n_ctx -= w == g->m->eos && g->m->bos >= 0 ? 2 : 1;
	/* Replay the generator: two outputs per draw that is kept. */
	tv_rng_seed(&g->rng, g->seed);
	tv_draw_skip(&g->rng, g->n);
	g->loop = 0;
	find_loop(g);
}

void
tv_gen_restart(struct tv_gen *g, uint32_t seed)
{
	g->n = 0;
	g->n_ctx = g->n_prompt;
	g->seed = seed;
	tv_rng_seed(&g->rng, seed);
	g->loop = g->loop_from = 0;
	g->mu_set = 0;
	g->n_ed = 0;
}

size_t
tv_gen_len(const struct tv_gen *g)
{
	return g->n;
}

const struct tv_gen_step *
tv_gen_at(const struct tv_gen *g, size_t i)
{
	return i < g->n ? &g->st[i] : NULL;
}

double
tv_gen_bits_per_word(const struct tv_gen *g)
{
	double sum = 0;

	if (g->n == 0)
		return 0;
	for (size_t i = 0; i < g->n; i++)
		sum += g->st[i].surprisal_bits;
	return sum / (double)g->n;
}

/* ---------------------------------------------------------- source --- */

static int
source_fail(struct tv_error *err, const char *path)
{
	snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
	return TV_EXIT_DATA;
}

int
tv_gen_source(struct tv_model *m, const char *prompt, struct tv_source *src,
	      double *raw_sum, char **unknown, struct tv_error *err)
{
	struct tv_gen *g = tv_gen_new(m, prompt, 0);
	int rc = TV_EXIT_OK;

	memset(src, 0, sizeof *src);
	*unknown = NULL;
	src->pos = calloc(1, sizeof *src->pos);
	src->label = strdup(m->name);
	if (!g || !src->pos || !src->label ||
	    !(*unknown = strdup(g->unknown))) {
		rc = source_fail(err, m->path);
	} else if (!tv_gen_dist(g, err)) {
		rc = TV_EXIT_DATA;
	} else {
		/* The lane's distribution moves into the source. */
		src->pos[0] = g->dist;
		src->n_pos = 1;
		g->have_dist = 0;
		*raw_sum = g->raw_sum;
	}
	tv_gen_free(g);
	if (rc != TV_EXIT_OK) {
		free(*unknown);
		*unknown = NULL;
		tv_source_free(src);
	}
	return rc;
}
