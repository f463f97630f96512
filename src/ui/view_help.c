/* SPDX-License-Identifier: MIT */
/*
 * The help view: every key, generated from the action table and grouped
 * by where it works, then a legend of the marks the other views draw.
 */
#include <stdio.h>
#include <string.h>

#include "ui/action.h"
#include "ui/app_internal.h"

#define KEY_W 22
#define PAGE 10

/* One line of the help text: a heading, a key row, a legend row or a
 * blank. */
struct line {
	enum { L_BLANK, L_HEAD, L_KEYS, L_LEGEND } kind;
	int index;
};

#define LEGEND_N 6

static void
legend(const struct tv_app *a, int i, char *mark, size_t mcap,
       const char **text)
{
	const struct tv_glyphs *g = a->look.g;
	static const char *const words[LEGEND_N] = {
		"final probability (dim: cut, by the stage named)",
		"the model's own probability, at T = 1",
		"the min-p threshold: tokens left of it are cut",
		"the top-p boundary: the tokens above hold the mass p",
		"the current temperature on a curve (the playhead)",
		"approximate: the rest of the vocabulary, estimated",
	};

	switch (i) {
	case 0:
		snprintf(mark, mcap, "%s%s%s", g->eighth[8], g->eighth[8],
			 g->eighth[3]);
		break;
	case 1: snprintf(mark, mcap, "%s", g->ghost); break;
	case 2: snprintf(mark, mcap, "%s", g->thresh); break;
	case 3:
		snprintf(mark, mcap, "%s%s%s", g->thresh, g->thresh,
			 g->thresh);
		break;
	case 4: snprintf(mark, mcap, "%s", g->playhead); break;
	default: snprintf(mark, mcap, "%s", g->approx); break;
	}
	*text = words[i];
}

static int
build_lines(struct line *out, int max)
{
	int n = 0, s, i;

	for (s = 0; s < TV_SCOPE__COUNT; s++) {
		if (n + 2 > max)
			break;
		if (n)
			out[n++] = (struct line){ L_BLANK, 0 };
		out[n++] = (struct line){ L_HEAD, s };
		for (i = 0; i < TV_UI__COUNT && n < max; i++)
			if ((int)tv_action_info(i)->scope == s)
				out[n++] = (struct line){ L_KEYS, i };
	}
	if (n + 2 < max) {
		out[n++] = (struct line){ L_BLANK, 0 };
		out[n++] = (struct line){ L_HEAD, -1 };
	}
	for (i = 0; i < LEGEND_N && n < max; i++)
		out[n++] = (struct line){ L_LEGEND, i };
	return n;
}

/* A key's or a mark's text beside it, wrapped in the rows left (h), so
 * that no description is cut: the rows it takes. */
static int
describe(struct tv_app *a, struct tv_frame *f, int x, int y, int w, int h,
	 const char *text)
{
	int rows = tv_w_text(f, (struct tv_rect){ x, y, w, h }, text,
			     tv_st(a, TV_ROLE_HELP_TEXT));

	return rows < h ? rows : h;
}

/* Line l at row y of a w-wide column with h rows left: the rows used. */
static int
draw_line(struct tv_app *a, struct tv_frame *f, int x, int y, int w, int h,
	  const struct line *l)
{
	char buf[128];
	const char *text;

	switch (l->kind) {
	case L_BLANK:
		break;
	case L_HEAD:
		tv_w_label(f, x, y, w, l->index < 0 ? "Reading the screen"
			   : tv_scope_title((enum tv_scope)l->index),
			   tv_st(a, TV_ROLE_HEADER));
		break;
	case L_KEYS:
		tv_action_keys(l->index, buf, sizeof buf);
		tv_w_label(f, x + 2, y, KEY_W - 1, buf,
			   tv_st(a, TV_ROLE_HELP_KEY));
		return describe(a, f, x + 2 + KEY_W, y, w - 2 - KEY_W, h,
				tv_action_info(l->index)->help);
	case L_LEGEND:
		legend(a, l->index, buf, sizeof buf, &text);
		tv_w_label(f, x + 2, y, KEY_W - 1, buf,
			   tv_st(a, TV_ROLE_GHOST));
		return describe(a, f, x + 2 + KEY_W, y, w - 2 - KEY_W, h, text);
	}
	return 1;
}

/* The first line from which the last lines fill the rows, wrapped at
 * width w: scrolling further shows nothing new. */
static int
last_top(struct tv_app *a, struct tv_frame *f, int w, int rows,
	 const struct line *lines, int n)
{
	int top = n;

	while (top > 0) {
		const struct line *l = &lines[top - 1];
		const char *text = NULL;
		char mark[32];
		int h = 1;

		if (l->kind == L_KEYS)
			text = tv_action_info(l->index)->help;
		else if (l->kind == L_LEGEND)
			legend(a, l->index, mark, sizeof mark, &text);
		if (text)
			h = tv_w_text(f, (struct tv_rect){ 0, 0, w - 2 - KEY_W,
				      0 }, text, tv_st(a, TV_ROLE_HELP_TEXT));
		if (h > rows)
			break;
		rows -= h;
		top--;
	}
	return top;
}

static void
help_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct line lines[TV_UI__COUNT + 2 * TV_SCOPE__COUNT + LEGEND_N + 4];
	int n = build_lines(lines, (int)(sizeof lines / sizeof *lines));
	int rows = r.h - 3, i, y = r.y + 2, end = r.y + r.h - 1, top;

	tv_w_label(f, r.x + 1, r.y, r.w - 2,
		   "Keys, by where they work. Esc or ? returns; j/k and "
		   "PgUp/PgDn scroll.", tv_st(a, TV_ROLE_DIM));
	top = last_top(a, f, r.w - 2, rows, lines, n);
	if (a->help_top > top)
		a->help_top = top;
	if (a->help_top < 0)
		a->help_top = 0;
	for (i = a->help_top; i < n && y < end; i++)
		y += draw_line(a, f, r.x + 1, y, r.w - 2, end - y, &lines[i]);
	if (i < n)
		tv_w_label_right(f, r.x, r.y + r.h - 1, r.w - 1, "more below",
				 tv_st(a, TV_ROLE_DIM));
}

static int
help_action(struct tv_app *a, int act)
{
	switch (act) {
	case TV_UI_HELP_UP: a->help_top--; return 1;
	case TV_UI_HELP_DOWN: a->help_top++; return 1;
	case TV_UI_HELP_PGUP: a->help_top -= PAGE; return 1;
	case TV_UI_HELP_PGDN: a->help_top += PAGE; return 1;
	}
	return 0;
}

const struct tv_view_ops tv_view_help_ops = {
	.name = "help",
	.render = help_render,
	.action = help_action,
};
