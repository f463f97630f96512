/* SPDX-License-Identifier: MIT */
/*
 * The pipeline view: one column per stage of the active chain, from the
 * logits through each stage to the final distribution, with the kept
 * count of every stage; the focused stage can move earlier or later, and
 * a closing line compares temperature first with temperature last on the
 * same parameters. The samplers with memory come first, as every engine
 * runs them before its chain: a column each with how far it moved each
 * token's logit, and a line with what each moved most.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/action.h"
#include "ui/app_internal.h"
#include "ui/memmode.h"

#define HEAD_ROWS 3
#define OFF_W 7
#define MIN_W 9
#define MEM_W 9

/* A percentage in at most five columns, without the sign (the title
 * says "%"). */
static void
pct5(char *buf, size_t cap, double p)
{
	double v = p * 100;

	if (p <= 0)
		snprintf(buf, cap, "0");
	else if (v >= 99.95)
		snprintf(buf, cap, "100");
	else if (v >= 9.995)
		snprintf(buf, cap, "%.1f", v);
	else if (v >= 0.01)
		snprintf(buf, cap, "%.2f", v);
	else
		snprintf(buf, cap, "<.01");
}

static void
stage_param(const struct tv_app *a, enum tv_stage_kind k, char *buf,
	    size_t cap)
{
	const struct tv_params *p = &a->par;

	switch (k) {
	case TV_STAGE_TEMP:
		if (a->res.greedy)
			snprintf(buf, cap, "T 0 greedy");
		else
			snprintf(buf, cap, "T %.3g", a->res.temp);
		break;
	case TV_STAGE_TOP_K: snprintf(buf, cap, "k %d", p->top_k); break;
	case TV_STAGE_TOP_P: snprintf(buf, cap, "p %.2f", p->top_p); break;
	case TV_STAGE_MIN_P: snprintf(buf, cap, "p %.2f", p->min_p); break;
	case TV_STAGE_TYPICAL:
		snprintf(buf, cap, "p %.2f", p->typical_p);
		break;
	case TV_STAGE_TOP_N_SIGMA:
		snprintf(buf, cap, "n %.2g", p->top_n_sigma);
		break;
	case TV_STAGE_XTC:
		snprintf(buf, cap, "%.2f@%.2f", p->xtc_probability,
			 p->xtc_threshold);
		break;
	case TV_STAGE_TOP_A: snprintf(buf, cap, "a %.2f", p->top_a); break;
	case TV_STAGE_TFS: snprintf(buf, cap, "z %.2f", p->tfs); break;
	case TV_STAGE_MIROSTAT:
		snprintf(buf, cap, "v%d mu %.2f", p->mirostat, p->mirostat_mu);
		break;
	case TV_STAGE__COUNT:
		buf[0] = '\0';
		break;
	}
}

/* A stage's name in w columns: a shorter form when the full one does
 * not fit. */
static const char *
stage_label(enum tv_stage_kind k, int w)
{
	static const char *const brief[TV_STAGE__COUNT] = {
		[TV_STAGE_TEMP] = "temp", [TV_STAGE_TOP_K] = "top-k",
		[TV_STAGE_TOP_P] = "top-p", [TV_STAGE_MIN_P] = "min-p",
		[TV_STAGE_TYPICAL] = "typ-p",
		[TV_STAGE_TOP_N_SIGMA] = "n-sig", [TV_STAGE_XTC] = "xtc",
		[TV_STAGE_TOP_A] = "top-a", [TV_STAGE_TFS] = "tfs",
		[TV_STAGE_MIROSTAT] = "miro",
	};
	static const char *const tiny[TV_STAGE__COUNT] = {
		[TV_STAGE_TEMP] = "T", [TV_STAGE_TOP_K] = "k",
		[TV_STAGE_TOP_P] = "p", [TV_STAGE_MIN_P] = "min",
		[TV_STAGE_TYPICAL] = "typ", [TV_STAGE_TOP_N_SIGMA] = "nsg",
		[TV_STAGE_XTC] = "xtc", [TV_STAGE_TOP_A] = "a",
		[TV_STAGE_TFS] = "tfs", [TV_STAGE_MIROSTAT] = "mir",
	};
	const char *full = tv_stage_name(k);

	if ((int)strlen(full) <= w)
		return full;
	return (int)strlen(brief[k]) <= w ? brief[k] : tiny[k];
}

/* A memory stage's name in w columns. */
static const char *
mem_label(enum tv_mem_stage s, int w)
{
	static const char *const name[TV_MEM__COUNT][3] = {
		[TV_MEM_PENALTIES] = { "penalties", "penalty", "pen" },
		[TV_MEM_DRY] = { "dry", "dry", "dry" },
		[TV_MEM_SMOOTHING] = { "smoothing", "smooth", "sm" },
	};
	int i = 0;

	while (i < 2 && (int)strlen(name[s][i]) > w)
		i++;
	return name[s][i];
}

/* Column i of the layout: -1 the logits, chain.n the final result; a
 * memory stage's column has stage -1 and mem its stage, else mem is
 * TV_MEM__COUNT. */
struct column {
	int stage;
	enum tv_mem_stage mem;
	int x, w;
};

/* The memory stages that run, in order, into on; their number. */
static int
mem_stages(const struct tv_app *a, enum tv_mem_stage *on)
{
	int n = 0;

	for (int s = 0; s < TV_MEM__COUNT; s++) {
		struct tv_mem_effect e;

		tv_memmode_effect(a, (enum tv_mem_stage)s, &e);
		if (e.on)
			on[n++] = (enum tv_mem_stage)s;
	}
	return n;
}

static int
layout(const struct tv_app *a, struct tv_rect r, int x0,
       struct column *col)
{
	const struct tv_result *res = &a->res;
	enum tv_mem_stage mem[TV_MEM__COUNT];
	int n = 0, i, active = 1, inactive = 0, avail, w, off_w = OFF_W;
	int n_mem = mem_stages(a, mem), mem_w = MEM_W;
	int x = x0;

	for (i = 0; i < res->chain.n; i++) {
		if (res->st[i].active)
			active++;
		else
			inactive++;
	}
	/* Stages that are off narrow first, so the live ones keep room
	 * for a bar and a number; then the memory stages' numbers. */
	avail = r.x + r.w - 1 - x0 - 8;
	if (n_mem && n_mem * (mem_w + 1) + inactive * 4 +
	    active * (MIN_W + 1) > avail)
		mem_w = 7;
	avail -= n_mem * (mem_w + 1);
	if (inactive && inactive * (off_w + 1) + active * (MIN_W + 1) > avail)
		off_w = (avail - active * (MIN_W + 1)) / inactive - 1;
	if (off_w < 3)
		off_w = 3;
	w = (avail - inactive * (off_w + 1)) / active - 1;
	if (w > 24)
		w = 24;
	col[n++] = (struct column){ -1, TV_MEM__COUNT, x, 7 };
	x += 8;
	for (i = 0; i < n_mem; i++) {
		col[n++] = (struct column){ -1, mem[i], x, mem_w };
		x += mem_w + 1;
	}
	for (i = 0; i <= res->chain.n; i++) {
		int cw = i < res->chain.n && !res->st[i].active ? off_w : w;

		col[n++] = (struct column){ i, TV_MEM__COUNT, x, cw };
		x += cw + 1;
	}
	return n;
}

/* A memory stage's setting: its leading number. */
static void
mem_param(const struct tv_app *a, enum tv_mem_stage s, char *buf,
	  size_t cap)
{
	const struct tv_params *p = &a->par;

	if (s == TV_MEM_DRY)
		snprintf(buf, cap, "m %.2f", p->dry_multiplier);
	else if (s == TV_MEM_SMOOTHING)
		snprintf(buf, cap, "f %.2f", p->smoothing_factor);
	else if (p->repeat_penalty != 1)
		snprintf(buf, cap, "r %.2f", p->repeat_penalty);
	else if (p->freq_penalty != 0)
		snprintf(buf, cap, "f %.2f", p->freq_penalty);
	else
		snprintf(buf, cap, "p %.2f", p->presence_penalty);
}

static void
mem_head(struct tv_app *a, struct tv_frame *f, const struct column *c,
	 int y)
{
	struct tv_mem_effect e;
	char param[32], moved[32];

	tv_memmode_effect(a, c->mem, &e);
	mem_param(a, c->mem, param, sizeof param);
	if (c->mem != TV_MEM_SMOOTHING && tv_memmode_no_history(a))
		snprintf(moved, sizeof moved, "no hist.");
	else if (e.moved < 1000)
		snprintf(moved, sizeof moved, c->w >= 9 ? "%u moved" : "%u mv",
			 e.moved);
	else
		/* Smoothing moves every token: a count, not a kept one. */
		snprintf(moved, sizeof moved, c->w >= 9 ? "%.0fk moved" :
			 "%.0fk mv", e.moved / 1e3);
	tv_w_label(f, c->x, y, c->w, mem_label(c->mem, c->w),
		   tv_st(a, TV_ROLE_STAGE));
	tv_w_label(f, c->x, y + 1, c->w, (int)strlen(param) > c->w ?
		   param + 2 : param, tv_st(a, TV_ROLE_DIAL_VALUE));
	tv_w_label(f, c->x, y + 2, c->w, moved,
		   tv_st(a, TV_ROLE_STAT_VALUE));
}

/* How far a memory stage moved the token at pos: signed, or "=". */
static void
mem_cell(struct tv_app *a, struct tv_frame *f, const struct column *c,
	 int y, uint32_t pos)
{
	char num[16];
	double delta;

	if (!tv_memmode_delta(a, c->mem, pos, &delta)) {
		tv_w_label_right(f, c->x, y, c->w, "=", tv_st(a, TV_ROLE_DIM));
		return;
	}
	snprintf(num, sizeof num, fabs(delta) < 100 ? "%+.2f" : "%+.3g",
		 delta);
	tv_w_label_right(f, c->x, y, c->w, num,
			 tv_st(a, delta < 0 ? TV_ROLE_BAR_CUT :
			       TV_ROLE_STAT_VALUE));
}

static void
column_head(struct tv_app *a, struct tv_frame *f, const struct column *c,
	    int y)
{
	const struct tv_result *res = &a->res;
	char name[32], param[32], kept[32];
	const char *pv;
	enum tv_role role = TV_ROLE_STAGE;

	if (c->mem != TV_MEM__COUNT) {
		mem_head(a, f, c, y);
		return;
	}
	if (c->stage < 0) {
		tv_w_label_right(f, c->x, y, c->w, "logit",
				 tv_st(a, TV_ROLE_STAT_LABEL));
		return;
	}
	if (c->stage == res->chain.n) {
		snprintf(name, sizeof name, "final");
		snprintf(kept, sizeof kept, "%.0f", res->stats.kept);
		param[0] = '\0';
	} else {
		const struct tv_stage_out *s = &res->st[c->stage];

		snprintf(name, sizeof name, "%s",
			 stage_label(res->chain.stage[c->stage], c->w));
		/* Temperature is never off, only neutral at T = 1. */
		if (s->active || s->kind == TV_STAGE_TEMP)
			stage_param(a, res->chain.stage[c->stage], param,
				    sizeof param);
		else
			snprintf(param, sizeof param, "off");
		snprintf(kept, sizeof kept, "%.0f", s->kept);
		if (!s->active)
			role = TV_ROLE_DIM;
		if (c->stage == a->stage_focus)
			role = TV_ROLE_FOCUS;
	}
	/* Narrow columns drop the words the row labels already say. */
	pv = param;
	if ((int)strlen(pv) > c->w && pv[0] && pv[1] == ' ')
		pv += 2;
	tv_w_label(f, c->x, y, c->w, name, tv_st(a, role));
	tv_w_label(f, c->x, y + 1, c->w, pv, tv_st(a, TV_ROLE_DIAL_VALUE));
	if (c->stage == res->chain.n || res->st[c->stage].active)
		tv_frame_printf(f, c->x, y + 2, c->w,
				tv_st(a, TV_ROLE_STAT_VALUE),
				(int)strlen(kept) + 5 <= c->w ? "%s kept" : "%s",
				kept);
}

/* The p a token (or the tail, per whole level) has after stage i,
 * renormalised; cut is set when this stage cut it and gone when an
 * earlier one did. */
static double
cell_p(const struct tv_app *a, int i, uint32_t pos, int *cut, int *gone)
{
	const struct tv_result *res = &a->res;
	int by = tv_result_cut_by(res, pos, a->d);
	double scale = 1;

	if (pos == TV_POS_TAIL)
		scale = i == res->chain.n ? res->tail_kept
			: res->st[i].tail_kept;
	*cut = by >= 0 && by == i;
	*gone = by >= 0 && by < i;
	if (*cut || *gone)
		return 0;
	if (i == res->chain.n)
		return tv_result_p(a->d, res, pos) * scale;
	return tv_stage_p(a->d, res, i, pos, 1) * scale;
}

static void
cell(struct tv_app *a, struct tv_frame *f, const struct column *c, int y,
     uint32_t pos)
{
	char num[16];
	int cut, gone;
	double p;

	if (c->mem != TV_MEM__COUNT) {
		mem_cell(a, f, c, y, pos);
		return;
	}
	if (c->stage < 0) {
		snprintf(num, sizeof num, "%.2f", tv_memmode_base_logit(a, pos));
		tv_w_label_right(f, c->x, y, c->w, num, tv_st(a, TV_ROLE_DIM));
		return;
	}
	if (c->stage < a->res.chain.n && !a->res.st[c->stage].active) {
		cell_p(a, c->stage, pos, &cut, &gone);
		tv_w_label_right(f, c->x, y, c->w, gone ? "" : "=",
				 tv_st(a, TV_ROLE_DIM));
		return;
	}
	p = cell_p(a, c->stage, pos, &cut, &gone);
	if (cut || gone) {
		tv_w_label_right(f, c->x, y, c->w, cut ? "cut" : "",
				 tv_st(a, TV_ROLE_BAR_CUT));
		return;
	}
	pct5(num, sizeof num, p);
	if (c->w >= 9) {
		struct tv_bar b = { p, -1, 0, TV_ROLE_BAR, TV_ROLE_GHOST, NULL };

		tv_w_bar(f, (struct tv_rect){ c->x, y, c->w - 6, 1 },
			 &a->look, &b);
	}
	tv_w_label_right(f, c->x, y, c->w, num, tv_st(a, TV_ROLE_STAT_VALUE));
}

/* The rest of the vocabulary is not a token: its row says so in as many
 * words as fit, with its size (in thousands when narrow). */
static void
tail_label(const struct tv_app *a, char *buf, size_t cap, int w)
{
	const char *approx = a->d->tail_exact ? "" : a->look.g->approx;
	double g = a->d->tail_g;

	snprintf(buf, cap, "rest of vocab. %s%.0f", approx, g);
	if (tv_str_width(buf) <= w)
		return;
	snprintf(buf, cap, "rest %s%.0f", approx, g);
	if (tv_str_width(buf) <= w || g < 1000)
		return;
	snprintf(buf, cap, "rest %s%.0f%s", approx,
		 g >= 1e6 ? g / 1e6 : g / 1e3, g >= 1e6 ? "M" : "k");
}

static void
token_row(struct tv_app *a, struct tv_frame *f, const struct column *cols,
	  int ncols, int x, int wtok, int y, uint32_t pos)
{
	char tok[128];
	int i;

	if (pos == TV_POS_TAIL)
		tail_label(a, tok, sizeof tok, wtok);
	else
		tv_app_token(a, pos, tok, sizeof tok, wtok);
	tv_w_label(f, x, y, wtok, tok, tv_st(a, pos == TV_POS_TAIL
					   ? TV_ROLE_APPROX : TV_ROLE_TEXT));
	for (i = 0; i < ncols; i++)
		cell(a, f, &cols[i], y, pos);
}

/* The token the model chose: marked in words after the last column
 * where they fit, else by the arrow alone after the token, before the
 * first column. */
static void
chosen_mark(struct tv_app *a, struct tv_frame *f, const struct column *cols,
	    int ncols, struct tv_rect r, int wtok, int y, uint32_t pos)
{
	const struct column *last = &cols[ncols - 1];
	int x = last->x + last->w + 1, xend = r.x + r.w - 1;
	char text[128];

	snprintf(text, sizeof text, "%s chosen", a->look.g->chosen);
	if (tv_str_width(text) <= xend - x) {
		tv_frame_puts(f, x, y, xend - x, text, tv_st(a, TV_ROLE_DIM));
		return;
	}
	x = r.x + 2 + tv_app_token(a, pos, text, sizeof text, wtok);
	if (x < cols[0].x)
		tv_frame_puts(f, x, y, 1, a->look.g->chosen,
			      tv_st(a, TV_ROLE_DIM));
}

/* The chain with the temperature stage moved to the front or the back. */
static void
temp_moved(const struct tv_chain *c, int last, struct tv_chain *out)
{
	int i, t = -1;

	*out = *c;
	for (i = 0; i < out->n; i++)
		if (out->stage[i] == TV_STAGE_TEMP)
			t = i;
	if (t < 0)
		return;
	while (!last && t > 0)
		tv_chain_move(out, t--, -1);
	while (last && t < out->n - 1)
		tv_chain_move(out, t++, 1);
}

/* Where the temperature stage sits in c: -1 absent, 0 first, 1 last,
 * 2 in between. */
static int
temp_place(const struct tv_chain *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->stage[i] == TV_STAGE_TEMP)
			return i == 0 ? 0 : i == c->n - 1 ? 1 : 2;
	return -1;
}

static void
compare_lines(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y)
{
	int k, here = temp_place(&a->chain);

	for (k = 0; k < 2; k++) {
		struct tv_chain c;
		struct tv_result res;
		char text[128];

		temp_moved(&a->chain, k, &c);
		tv_run(a->d, &c, &a->par, &res);
		snprintf(text, sizeof text,
			 "temperature %-5s kept %.0f, %.2f bits, top-1 %.1f%%%s",
			 k ? "last:" : "first:", res.stats.kept,
			 res.stats.entropy_bits, res.stats.top1 * 100,
			 here == k ? "  (this order)" : "");
		tv_w_label(f, r.x + 1, y + k, r.w - 2, text,
			   tv_st(a, here == k ? TV_ROLE_STAT_VALUE
				 : TV_ROLE_TEXT));
	}
}

static void
order_line(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y)
{
	static const char keys[] = "[ ] focus  < > move  p profile";
	static const char *const seps[] = { " > ", ">" };
	enum tv_mem_stage mem[TV_MEM__COUNT];
	int n_mem = mem_stages(a, mem);
	char text[256];
	size_t n = 0;
	int i, w, sep;

	for (sep = 0; sep < 2; sep++) {
		n = (size_t)snprintf(text, sizeof text, "%s%s order: ",
				     tv_profile_name(a->chain.rules),
				     a->chain.custom ? " (custom)" : "");
		for (i = 0; i < n_mem + a->chain.n && n < sizeof text; i++)
			n += (size_t)snprintf(text + n, sizeof text - n,
					      "%s%s", i ? seps[sep] : "",
					      i < n_mem ? mem_label(mem[i], 99) :
					      tv_stage_name(a->chain.stage[i -
								 n_mem]));
		/* The compact separator only when the spaced one is cut. */
		if ((int)n <= r.w - 2)
			break;
	}
	w = tv_w_label(f, r.x + 1, y, r.w - 2, text, tv_st(a, TV_ROLE_HEADER));
	tv_w_label(f, r.x + 1, y + 1, r.w - 2, n_mem ?
		   "cells: the model's logit, its change by each memory stage, "
		   "p in % after each stage" :
		   "cells: p in % after each stage, renormalised over its "
		   "survivors", tv_st(a, TV_ROLE_DIM));
	if (w + 3 + (int)strlen(keys) <= r.w - 2)
		tv_w_label_right(f, r.x, y, r.w - 1, keys,
				 tv_st(a, TV_ROLE_DIM));
}

/* What one memory stage did, in words: how many tokens it moved and the
 * one it moved furthest. */
static size_t
mem_words(struct tv_app *a, enum tv_mem_stage s, char *buf, size_t cap)
{
	struct tv_mem_effect e;
	char tok[64];

	tv_memmode_effect(a, s, &e);
	if (e.moved == 0)
		return (size_t)snprintf(buf, cap, "%s moved none",
					mem_label(s, 99));
	tv_app_token(a, a->d->rank[e.top], tok, sizeof tok, 16);
	return (size_t)snprintf(buf, cap, "%s moved %u, most %s %+.2f",
				mem_label(s, 99), e.moved, tok, e.delta);
}

/* The memory stages' line: what each did, or why none runs. */
static int
mem_line(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y)
{
	enum tv_mem_stage mem[TV_MEM__COUNT];
	int n_mem = mem_stages(a, mem), x = r.x + 1;
	char text[320];
	size_t n = 0;

	if (tv_memory_ignored(&a->par, a->chain.rules)) {
		tv_w_label(f, r.x + 1, y, r.w - 2, "penalties and DRY ignored: "
			   "mirostat replaces llama.cpp's whole chain",
			   tv_st(a, TV_ROLE_WARN));
		return 1;
	}
	if (n_mem == 0)
		return 0;
	/* The penalties and DRY have nothing to act on: said first, in
	 * the warning's colour. */
	if (tv_memmode_no_history(a)) {
		n = (size_t)snprintf(text, sizeof text, "no history: set one "
				     "with --history");
		x += tv_w_label(f, x, y, r.w - 2, text,
				tv_st(a, TV_ROLE_WARN));
		n = 0;
		text[0] = '\0';
	}
	for (int i = 0; i < n_mem && n < sizeof text; i++) {
		if (mem[i] != TV_MEM_SMOOTHING && tv_memmode_no_history(a))
			continue;
		n += (size_t)snprintf(text + n, sizeof text - n, "%s",
				      n || x > r.x + 1 ? "; " : "");
		if (n < sizeof text)
			n += mem_words(a, mem[i], text + n, sizeof text - n);
	}
	tv_w_label(f, x, y, r.x + r.w - 1 - x, text, tv_st(a, TV_ROLE_TEXT));
	return 1;
}

static void
pipeline_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	static const char *const heads[HEAD_ROWS] = { "stage", "setting",
						       "kept" };
	struct column cols[TV_STAGE__COUNT + 2];
	int wtok = r.w >= 100 ? 16 : 10;
	int ncols, y, y_end = r.y + r.h - 3, i;
	uint32_t pos, chosen = TV_POS_TAIL;
	int has_chosen = tv_app_chosen(a, &chosen);

	y = r.y + tv_dials_render(a, f, r) + 1;
	order_line(a, f, r, y);
	y += 2;
	y += mem_line(a, f, r, y) + 1;
	ncols = layout(a, r, r.x + 2 + wtok, cols);
	for (i = 0; i < HEAD_ROWS; i++)
		tv_w_label(f, r.x + 1, y + i, wtok, heads[i],
			   tv_st(a, TV_ROLE_STAT_LABEL));
	for (i = 0; i < ncols; i++)
		column_head(a, f, &cols[i], y);
	y += HEAD_ROWS;
	if (a->d->tail_g > 0)
		y_end--;
	if (a->d->n_finite < a->d->n)
		y_end--;
	for (pos = 0; pos < a->d->n_finite && y < y_end; pos++) {
		token_row(a, f, cols, ncols, r.x + 1, wtok, y, pos);
		if (has_chosen && pos == chosen)
			chosen_mark(a, f, cols, ncols, r, wtok, y, pos);
		y++;
	}
	if (a->d->tail_g > 0)
		token_row(a, f, cols, ncols, r.x + 1, wtok, y++, TV_POS_TAIL);
	if (a->d->n_finite < a->d->n) {
		char buf[64];

		snprintf(buf, sizeof buf, "%lu masked (logit -inf): never drawn",
			 (unsigned long)(a->d->n - a->d->n_finite));
		tv_w_label(f, r.x + 1, y, r.w - 2, buf, tv_st(a, TV_ROLE_DIM));
	}
	compare_lines(a, f, r, r.y + r.h - 2);
}

static int
pipeline_action(struct tv_app *a, int act)
{
	int i = a->stage_focus;

	if (a->chain.n <= 0)
		return 0;
	switch (act) {
	case TV_UI_STAGE_PREV:
		a->stage_focus = i > 0 ? i - 1 : a->chain.n - 1;
		return 1;
	case TV_UI_STAGE_NEXT:
		a->stage_focus = i + 1 < a->chain.n ? i + 1 : 0;
		return 1;
	case TV_UI_STAGE_EARLIER:
	case TV_UI_STAGE_LATER: {
		int delta = act == TV_UI_STAGE_LATER ? 1 : -1;

		if (i + delta < 0 || i + delta >= a->chain.n) {
			tv_app_note(a, "%s is already %s",
				    tv_stage_name(a->chain.stage[i]),
				    delta < 0 ? "first" : "last");
			return 1;
		}
		tv_chain_move(&a->chain, i, delta);
		a->stage_focus = i + delta;
		tv_app_changed(a, TV_CHG_CHAIN);
		return 1;
	}
	}
	return 0;
}

const struct tv_view_ops tv_view_pipeline_ops = {
	.name = "pipeline",
	.render = pipeline_render,
	.action = pipeline_action,
};
