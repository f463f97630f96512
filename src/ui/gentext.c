/* SPDX-License-Identifier: MIT */
/*
 * A lane's text as the generate view draws it (gendraw.h): the prompt,
 * then each word in the colour of how likely it was when drawn, the loop
 * underlined, the earlier words that made a move reversed, and branch
 * mode's cursor; laid out in lines, the newest (or the cursor) in view.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/safetext.h"
#include "ui/gendraw.h"
#include "ui/genmode.h"

/* Where p sits on the temperature ramp: 1 at the readable cold end, 1%
 * the white middle, 1e-4 and below the hot end. */
static double
p_ramp01(double p)
{
	double d = p > 0 ? -log10(p) : 4;
	double x = d < 2 ? TV_GEN_RAMP_LO + (0.5 - TV_GEN_RAMP_LO) * d / 2
		: 0.5 + 0.25 * (d - 2);

	return x < TV_GEN_RAMP_LO ? TV_GEN_RAMP_LO : x > 1 ? 1 : x;
}

struct tv_style
tv_gen_p_style(const struct tv_app *a, double p)
{
	return tv_theme_ramp(a->look.tier, p_ramp01(p));
}

void
tv_gen_fmt_p(char *buf, size_t cap, double p)
{
	if (p >= 0.1)
		snprintf(buf, cap, "%.0f%%", p * 100);
	else if (p >= 0.0001)
		snprintf(buf, cap, "%.2g%%", p * 100);
	else
		snprintf(buf, cap, "<.01%%");
}

void
tv_gen_fmt_bits(char *buf, size_t cap, const struct tv_gen *g, int w)
{
	double b = tv_gen_bits_per_word(g);
	char ppl[32];

	if (tv_gen_len(g) == 0 || !isfinite(b)) {
		snprintf(buf, cap, "- bits/word");
		return;
	}
	if (exp2(b) < 1000)
		snprintf(ppl, sizeof ppl, "%.1f", exp2(b));
	else
		tv_fmt_count(ppl, sizeof ppl, exp2(b));
	snprintf(buf, cap, "%.2f bits/word  ppl %s", b, ppl);
	if (tv_str_width(buf) > w)
		snprintf(buf, cap, "%.2f bits/word", b);
}

/* (A server's piece that does not start with a space sits on the word
 * before: the space a piece starts with is the gap between words.) */
int
tv_gen_word_text(const struct tv_app *a, int32_t id, char *buf, size_t cap,
		 int w)
{
	const struct tv_model *m = a->gen->m;
	const char *s = tv_model_word(m, id);
	int glue = id == m->eos;

	if (m->pieces) {
		glue = s[0] != ' ';
		s += !glue;
	}
	tv_safe_text(s, strlen(s), buf, cap, w, !a->look.g->utf8);
	return glue;
}

/* A word of the text laid out in lines: pass one counts the rows (and
 * finds the cursor's), pass two draws those that fit. */
struct flow {
	struct tv_app *a;
	struct tv_frame *f;
	struct tv_rect r;
	int x, row;
	int skip;               /* rows scrolled off the top */
	int draw;
	int cursor_row;         /* the row the cursor's word went to */
};

static void
flow_put(struct flow *fl, const char *word, struct tv_style st,
	 const char *suffix, int glue)
{
	int w = tv_str_width(word), sw = suffix ? tv_str_width(suffix) : 0;
	int y;

	/* Too wide for a line: the rank goes, then the word is clipped. */
	if (w + sw > fl->r.w)
		sw = 0;
	if (w > fl->r.w)
		w = fl->r.w;
	if (fl->x > 0 && !glue)
		fl->x++;
	if (fl->x > 0 && fl->x + w + sw > fl->r.w) {
		fl->row++;
		fl->x = 0;
	}
	y = fl->r.y + fl->row - fl->skip;
	if (fl->draw && y >= fl->r.y && y < fl->r.y + fl->r.h) {
		int x = fl->r.x + fl->x;

		x += tv_w_label(fl->f, x, y, w, word, st);
		if (sw)
			tv_frame_puts(fl->f, x, y, sw, suffix,
				      tv_st(fl->a, TV_ROLE_DIM));
	}
	fl->x += w + sw;
}

static void
flow_prompt(struct flow *fl, const struct tv_genmode *gm)
{
	char buf[256];
	size_t at = 0, s, n;

	while ((n = tv_genmode_next_word(gm, &at, &s)) > 0) {
		int ok = tv_genmode_known(gm, gm->prompt + s, n);

		tv_safe_text(gm->prompt + s, n, buf, sizeof buf, fl->r.w,
			     !fl->a->look.g->utf8);
		flow_put(fl, buf, tv_st(fl->a, ok ? TV_ROLE_HEADER
					: TV_ROLE_ERROR), NULL, 0);
	}
}

static void
flow_words(struct flow *fl, const struct tv_gen *g,
	   const struct tv_text_marks *mk)
{
	const struct tv_app *a = fl->a;
	size_t n = tv_gen_len(g), i;
	/* The words that only repeat the stretch before them. */
	size_t loop = tv_gen_loop(g) ? tv_gen_loop_from(g) + tv_gen_loop(g)
		: n;
	char buf[256], rank[16];

	for (i = 0; i < n; i++) {
		const struct tv_gen_step *st = tv_gen_at(g, i);
		struct tv_style s = tv_gen_p_style(a, st->p);
		int stop = tv_gen_word_text(a, st->word, buf, sizeof buf,
					    fl->r.w);

		if (i >= loop)
			s.attr |= TV_A_UNDERLINE;
		if (mk && mk->cause && mk->cause[i])
			s.attr |= TV_A_REVERSE;
		if (mk && mk->cursor == i) {
			s = tv_st(a, TV_ROLE_FOCUS);
			fl->cursor_row = fl->row + (fl->x > 0 && fl->x + 1 +
				tv_str_width(buf) > fl->r.w);
		}
		snprintf(rank, sizeof rank, st->picked ? "(%u*)" : "(%u)",
			 st->rank);
		flow_put(fl, buf, s, a->gen->ranks ? rank : NULL, stop);
	}
}

/* The prompt, then the text; while the prompt is edited, the cursor
 * where the next character goes. */
static void
flow_all(struct flow *fl, const struct tv_gen *g,
	 const struct tv_text_marks *mk)
{
	struct tv_style cur = tv_st(fl->a, TV_ROLE_FOCUS);
	const struct tv_genmode *gm = fl->a->gen;

	flow_prompt(fl, gm);
	if (gm->editing)
		flow_put(fl, " ", cur, NULL, gm->len == 0 ||
			 !isspace((unsigned char)gm->prompt[gm->len - 1]));
	else
		flow_words(fl, g, mk);
}

void
tv_gen_render_text(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
		   const struct tv_gen *g, const struct tv_text_marks *mk)
{
	struct flow fl = { a, f, r, 0, 0, 0, 0, -1 };
	int rows, skip;

	if (r.w < 4 || r.h < 1)
		return;
	flow_all(&fl, g, mk);
	rows = fl.row + 1;
	skip = rows > r.h ? rows - r.h : 0;
	if (fl.cursor_row >= 0 && fl.cursor_row < skip)
		skip = fl.cursor_row;
	fl = (struct flow){ a, f, r, 0, 0, skip, 1, -1 };
	flow_all(&fl, g, mk);
}
