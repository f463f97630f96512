/* SPDX-License-Identifier: MIT */
/*
 * What the samplers with memory did, as the generate view draws it
 * (gendraw.h): the words the penalties and DRY pushed down at a step,
 * each with its logit, its p at T = 1 and its rank before and after, and
 * why the selected one moved (the text marks those earlier words); and
 * mirostat's plot of each word's surprise against tau, with mu.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/gendraw.h"
#include "ui/genmode.h"

/* A move's word is cut to this; the rows around the moves are the
 * title, the column heads and why. */
#define WORD_MAX 16
#define FRAME_ROWS 3
/* After the number columns, a space and "DRY". */
#define DRY_W 4

int
tv_gen_moves_rows(const struct tv_gen *g, size_t i)
{
	uint32_t n;

	tv_gen_moves(g, i, &n);
	return n ? (int)n + FRAME_ROWS : 0;
}

const unsigned char *
tv_gen_mark_causes(const struct tv_gen *g, size_t i, uint32_t sel,
		   unsigned char *mark, size_t cap)
{
	uint32_t n;

	tv_gen_moves(g, i, &n);
	if (n == 0 || i > cap)
		return NULL;
	/* The text reads a mark for every word: those from word i on are
	 * no cause of word i's moves. */
	memset(mark, 0, cap);
	tv_gen_causes(g, i, sel < n ? sel : n - 1, mark);
	return mark;
}

/* A move's logit, p at T = 1 and rank, each as before -> after. */
struct move_text {
	char logit[48], p[48], rank[48];
};

static void
move_text(const struct tv_app *a, const struct tv_gen_move *mv,
	  struct move_text *t)
{
	const char *to = a->look.g->arrow_right;
	char pb[16], pa[16];

	snprintf(t->logit, sizeof t->logit, "%.2f%s%.2f", mv->before, to,
		 mv->after);
	tv_gen_fmt_p(pb, sizeof pb, mv->p_before);
	tv_gen_fmt_p(pa, sizeof pa, mv->p_after);
	snprintf(t->p, sizeof t->p, "%s%s%s", pb, to, pa);
	snprintf(t->rank, sizeof t->rank, "%u%s%u", mv->rank_before, to,
		 mv->rank_after);
}

/* The x and width of each column in a row of w from x: the numbers as
 * wide as the widest of the n moves shown (so none is cut), the word
 * the room left, up to WORD_MAX. */
struct cols {
	int word, ww, logit, lw, p, pw, rank, rw, dry;
};

static int
widest(int w, const char *s)
{
	int sw = tv_str_width(s);

	return sw > w ? sw : w;
}

static struct cols
cols_of(const struct tv_app *a, int x, int w, const struct tv_gen_move *mv,
	uint32_t n)
{
	struct cols c = { .word = x + 2, .lw = 5, .pw = 5, .rw = 4 };
	struct move_text t;

	for (uint32_t k = 0; k < n; k++) {
		move_text(a, &mv[k], &t);
		c.lw = widest(c.lw, t.logit);
		c.pw = widest(c.pw, t.p);
		c.rw = widest(c.rw, t.rank);
	}
	c.ww = w - 2 - (c.lw + 1) - (c.pw + 1) - (c.rw + 1) - DRY_W;
	/* Narrow: the logits go first, p and rank say what happened. */
	if (c.ww < 6) {
		c.ww += c.lw + 1;
		c.lw = -1;
	}
	c.ww = c.ww > WORD_MAX ? WORD_MAX : c.ww;
	c.logit = c.word + c.ww + 1;
	c.p = c.logit + c.lw + 1;
	c.rank = c.p + c.pw + 1;
	c.dry = c.rank + c.rw + 1;
	return c;
}

static void
move_row(struct tv_app *a, struct tv_frame *f, const struct cols *c, int y,
	 const struct tv_gen_move *mv, int sel)
{
	char word[64];
	struct move_text t;
	struct tv_style st = tv_st(a, sel ? TV_ROLE_STAT_VALUE : TV_ROLE_TEXT);

	if (sel)
		tv_frame_puts(f, c->word - 2, y, 2, a->look.g->pointer,
			      tv_st(a, TV_ROLE_FOCUS));
	tv_gen_word_text(a, mv->word, word, sizeof word, c->ww);
	tv_frame_puts(f, c->word, y, c->ww, word,
		      tv_gen_p_style(a, mv->p_before));
	move_text(a, mv, &t);
	if (c->lw > 0)
		tv_w_label_right(f, c->logit, y, c->lw, t.logit, st);
	tv_w_label_right(f, c->p, y, c->pw, t.p, st);
	tv_w_label_right(f, c->rank, y, c->rw, t.rank, st);
	if (mv->dry_len)
		tv_frame_puts(f, c->dry, y, 3, "DRY", tv_st(a, TV_ROLE_WARN));
}

static void
heads(struct tv_app *a, struct tv_frame *f, const struct cols *c, int y)
{
	struct tv_style st = tv_st(a, TV_ROLE_DIM);

	tv_frame_puts(f, c->word, y, c->ww, "word", st);
	if (c->lw > 0)
		tv_w_label_right(f, c->logit, y, c->lw, "logit", st);
	tv_w_label_right(f, c->p, y, c->pw, "p T=1", st);
	tv_w_label_right(f, c->rank, y, c->rw, "rank", st);
}

/* Why the selected move moved: the earlier words the text marks. */
static void
move_why(struct tv_app *a, struct tv_frame *f, int x, int y, int w,
	 const struct tv_gen *g, size_t i, uint32_t k)
{
	unsigned char mark[TV_GEN_MAX_WORDS];
	char text[200], prompt[48] = "";
	size_t in_prompt, marked = 0;
	uint32_t n;
	const struct tv_gen_move *mv = tv_gen_moves(g, i, &n) + k;

	if (i > sizeof mark)
		return;
	in_prompt = tv_gen_causes(g, i, k, mark);
	for (size_t j = 0; j < i; j++)
		marked += mark[j];
	if (in_prompt)
		snprintf(prompt, sizeof prompt, ", %zu in prompt", in_prompt);
	if (mv->dry_len)
		snprintf(text, sizeof text, "DRY: %u-token repeat; %zu marked%s",
			 mv->dry_len, marked, prompt);
	else
		snprintf(text, sizeof text, "seen %u%s before; %zu marked%s",
			 mv->count, a->look.g->times, marked, prompt);
	tv_w_label(f, x, y, w, text, tv_st(a, TV_ROLE_STAT_LABEL));
}

int
tv_gen_render_moves(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
		    const struct tv_gen *g, size_t i, uint32_t sel)
{
	const struct tv_gen_step *s = tv_gen_at(g, i);
	const struct tv_gen_move *mv;
	struct cols c;
	char word[48], text[160];
	uint32_t n, rows, first;

	mv = tv_gen_moves(g, i, &n);
	if (!s || n == 0 || r.h < FRAME_ROWS + 1)
		return 0;
	sel = sel < n ? sel : n - 1;
	rows = (uint32_t)(r.h - FRAME_ROWS) < n ? (uint32_t)(r.h - FRAME_ROWS)
		: n;
	/* The selected one stays in the rows shown. */
	first = sel >= rows ? sel - rows + 1 : 0;
	c = cols_of(a, r.x, r.w, mv + first, rows);
	if (c.ww < 3)
		return 0;
	tv_gen_word_text(a, s->word, word, sizeof word, 16);
	snprintf(text, sizeof text, "pushed down at \"%s\" (word %zu)",
		 word, i + 1);
	tv_w_label(f, r.x, r.y, r.w, text, tv_st(a, TV_ROLE_STAT_LABEL));
	if (s->moved > rows) {
		snprintf(text, sizeof text, "%u of %u", rows, s->moved);
		tv_w_label_right(f, r.x, r.y, r.w, text,
				 tv_st(a, TV_ROLE_DIM));
	}
	heads(a, f, &c, r.y + 1);
	for (uint32_t k = 0; k < rows; k++)
		move_row(a, f, &c, r.y + 2 + (int)k, &mv[first + k],
			 first + k == sel);
	move_why(a, f, r.x, r.y + 2 + (int)rows, r.w, g, i, sel);
	return (int)rows + FRAME_ROWS;
}

void
tv_gen_render_move_line(struct tv_app *a, struct tv_frame *f, int x, int y,
			int w, const struct tv_gen *g)
{
	size_t i = tv_gen_len(g);
	const struct tv_gen_move *mv;
	char word[32], pb[16], pa[16], text[96];
	uint32_t n;

	if (i == 0 || !(mv = tv_gen_moves(g, i - 1, &n)) || n == 0)
		return;
	tv_gen_word_text(a, mv->word, word, sizeof word, 12);
	tv_gen_fmt_p(pb, sizeof pb, mv->p_before);
	tv_gen_fmt_p(pa, sizeof pa, mv->p_after);
	snprintf(text, sizeof text, "%s %s %s%s%s%s", a->look.g->arrow_down,
		 word, pb, a->look.g->arrow_right, pa,
		 mv->dry_len ? " DRY" : "");
	tv_w_label(f, x, y, w, text, tv_st(a, TV_ROLE_WARN));
}

/* ------------------------------------------------------- mirostat --- */

int
tv_gen_has_mirostat(const struct tv_gen *g)
{
	for (size_t i = 0; i < tv_gen_len(g); i++)
		if (tv_gen_at(g, i)->mirostat)
			return 1;
	return 0;
}

/* The legend: each series' name in its colour. */
static int
legend(struct tv_app *a, struct tv_frame *f, int x, int y, int end,
       const char *name, enum tv_role role)
{
	if (x + tv_str_width(name) + 2 > end)
		return x;
	x += tv_frame_puts(f, x, y, 2, a->look.g->bullet, tv_st(a, role));
	x += 1 + tv_frame_puts(f, x + 1, y, end - x - 1, name,
			       tv_st(a, role));
	return x + 1;
}

void
tv_gen_render_mirostat(struct tv_app *a, struct tv_frame *f,
		       struct tv_rect r, const struct tv_gen *g)
{
	double s[TV_GEN_MAX_WORDS], tau[TV_GEN_MAX_WORDS],
	       mu[TV_GEN_MAX_WORDS], xs[TV_GEN_MAX_WORDS];
	int n = (int)tv_gen_len(g), x = r.x, version = 0;
	double top = 1;
	char title[64];

	if (r.h < 4 || r.w < 20 || n == 0)
		return;
	n = n > TV_GEN_MAX_WORDS ? TV_GEN_MAX_WORDS : n;
	for (int i = 0; i < n; i++) {
		const struct tv_gen_step *st = tv_gen_at(g, i);

		xs[i] = i + 1;
		/* The surprise mirostat's rule learns from: -log2 of the
		 * word's final p; a word it did not choose leaves a gap. */
		s[i] = st->mirostat && st->p > 0 ? -log2(st->p) : NAN;
		tau[i] = st->mirostat ? st->tau : NAN;
		mu[i] = st->mirostat ? st->mu : NAN;
		version = st->mirostat ? st->mirostat : version;
		for (int k = 0; k < 3; k++) {
			double v = k == 0 ? s[i] : k == 1 ? tau[i] : mu[i];

			if (isfinite(v) && v > top)
				top = v;
		}
	}
	snprintf(title, sizeof title, "mirostat %d", version);
	x += tv_w_label(f, x, r.y, r.w, title, tv_st(a, TV_ROLE_STAT_LABEL)) +
	     1;
	x = legend(a, f, x, r.y, r.x + r.w, "-log2 p final",
		   TV_ROLE_PLOT_ENTROPY);
	x = legend(a, f, x, r.y, r.x + r.w, "tau", TV_ROLE_PLOT_TOP1);
	legend(a, f, x, r.y, r.x + r.w, "mu", TV_ROLE_PLOT_KEPT);
	{
		struct tv_series se[3] = {
			{ xs, tau, n, TV_ROLE_PLOT_TOP1 },
			{ xs, mu, n, TV_ROLE_PLOT_KEPT },
			{ xs, s, n, TV_ROLE_PLOT_ENTROPY },
		};
		struct tv_plot p = {
			.series = se, .nseries = 3,
			.xmin = 1, .xmax = n > 1 ? n : 2,
			.ymin = 0, .ymax = ceil(top * 1.1),
			.labels = 1, .yfmt = "%.0f bits", .xfmt = "word %.0f",
			.playhead = NAN, .mark_x = NAN, .mark_y = NAN,
		};

		int note = tv_memory_ignored(&a->par, a->chain.rules) &&
			   r.h >= 6;

		tv_w_plot(f, (struct tv_rect){ r.x, r.y + 1, r.w, r.h - 1 -
			  note }, &a->look, &p);
		if (note)
			tv_w_label(f, r.x, r.y + r.h - 1, r.w,
				   r.w >= 68 ? "mirostat runs alone: the "
				   "penalties and DRY set do not (llama.cpp)" :
				   "mirostat runs alone: no penalties, no DRY",
				   tv_st(a, TV_ROLE_WARN));
	}
}
