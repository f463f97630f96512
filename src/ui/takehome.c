/* SPDX-License-Identifier: MIT */
/*
 * The take-home overlay. The lines are computed afresh at each render
 * from the app as it is, so they cannot go stale; the state is only
 * whether the overlay is shown and how far it is scrolled.
 */
#include "ui/takehome.h"

#include <stdlib.h>
#include <string.h>

#include "io/safetext.h"
#include "ui/abmode.h"
#include "ui/action.h"
#include "ui/genmode.h"
#include "ui/memmode.h"
#include "ui/overlay.h"
#include "ui/picker.h"

struct tv_takehome {
	int open;
	int top;                /* first row shown */
	int more;               /* lines below the panel (at the last
	                           render) */
	struct tv_recipe recipe;
};

int
tv_takehome_open(const struct tv_app *a)
{
	return a->takehome && a->takehome->open;
}

void
tv_takehome_show(struct tv_app *a)
{
	if (!a->takehome && !(a->takehome = calloc(1, sizeof *a->takehome))) {
		tv_app_note(a, "out of memory");
		return;
	}
	a->takehome->open = 1;
	a->takehome->top = 0;
	a->dirty = 1;
}

void
tv_takehome_free(struct tv_app *a)
{
	free(a->takehome);
	a->takehome = NULL;
}

int
tv_takehome_key(struct tv_app *a, int key)
{
	struct tv_takehome *t = a->takehome;

	switch (tv_action_for_key(key, a->view, TV_INPUT_TAKEHOME)) {
	case TV_UI_TAKEHOME_CLOSE:
		t->open = 0;
		return 1;
	case TV_UI_TAKEHOME_UP:
		if (t->top > 0)
			t->top--;
		return 1;
	case TV_UI_TAKEHOME_DOWN:
		if (t->more)
			t->top++;
		return 1;
	default:
		return 0;
	}
}

void
tv_takehome_recipe(const struct tv_app *a, struct tv_recipe *out)
{
	struct tv_recipe_in in = {
		.position = a->src->n_pos > 1 ? a->pos + 1 : 0,
		.par = &a->par,
		.chain = &a->chain,
		.history = tv_memmode_history(a),
		.pane = tv_ab_pane_name(a),
	};

	if (a->gen) {
		in.lm = 1;
		in.lm_path = a->gen->m->path;
		in.server = a->gen->m->pieces;
		/* The text so far, whose next word is shown: the words
		 * written read back as the model's own context. */
		in.prompt = a->base->prompt ? a->base->prompt : a->gen->prompt;
		in.written = a->base->prompt ?
			     tv_gen_len(a->gen->lane[TV_LANE_DIAL]) : 0;
	} else if (!tv_picker_spec(a, &in.spec) && a->src->label) {
		/* An app not told its origin (a talk's, a test's) names its
		 * source by its label: a scenario's name, a file's path. */
		if (tv_scenario_find(a->src->label))
			in.spec.scenario = a->src->label;
		else
			in.spec.path = a->src->label;
	}
	tv_recipe_build(&in, out);
}

/* Line i as drawn: its text made safe (a path or a prompt may hold any
 * bytes), a note marked with a dash. */
static void
line_text(const struct tv_app *a, const struct tv_recipe *rc, int i,
	  char *buf, size_t cap)
{
	const char *s = rc->line[i].text;
	size_t pre = rc->line[i].kind == TV_RECIPE_NOTE ? 2 : 0;

	memcpy(buf, "- ", pre);
	tv_safe_text(s, strlen(s), buf + pre, cap - pre, -1, !a->look.g->utf8);
}

/* The end of the shell word at s: a space inside quotes (single or
 * double) is part of it. */
static const char *
word_end(const char *s)
{
	char q = 0;

	for (; *s && (q || *s != ' '); s++) {
		if (!q && (*s == '\'' || *s == '"'))
			q = *s;
		else if (*s == q)
			q = 0;
	}
	return s;
}

/* A shell line broken to width columns where a shell allows it: between
 * words, not between a flag and its value where the two fit a row, each
 * broken line ending in
 * " \\", so the lines copied run as one command. Widths are counted in
 * bytes, which only breaks a line early. */
static void
wrap_shell(const char *in, int width, char *out, size_t cap)
{
	size_t n = 0;
	int col = 0;

	while (*in) {
		const char *w = in, *end = word_end(in);
		size_t len;

		if (w[0] == '-' && w[1] == '-' && end[0] == ' ' &&
		    strncmp(end + 1, "--", 2) != 0 && end[1] &&
		    word_end(end + 1) - w + 2 <= width)
			end = word_end(end + 1);
		len = (size_t)(end - w);
		if (n + len + 4 >= cap)
			break;
		if (col > 0 && col + 1 + (int)len + 2 > width) {
			memcpy(out + n, " \\\n", 3);
			n += 3;
			col = 0;
		} else if (col > 0) {
			out[n++] = ' ';
			col++;
		}
		memcpy(out + n, w, len);
		n += len;
		col += (int)len;
		for (in = end; *in == ' '; in++)
			;
	}
	out[n] = '\0';
}

static enum tv_role
line_role(enum tv_recipe_kind k)
{
	return k == TV_RECIPE_HEAD ? TV_ROLE_HEADER
		: k == TV_RECIPE_CMD ? TV_ROLE_STAT_VALUE : TV_ROLE_DIM;
}

/* Draw the lines from line top on into r; returns the rows the text
 * needs from there (the whole when top is 0). A blank row comes before
 * each heading but the first. */
static int
draw_lines(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int top)
{
	const struct tv_recipe *rc = &a->takehome->recipe;
	char buf[2 * TV_RECIPE_WIDTH], wrapped[sizeof buf];
	int i, row = 0;

	for (i = top; i < rc->n; i++) {
		struct tv_style st = tv_st(a, line_role(rc->line[i].kind));
		int room, in;

		if (rc->line[i].kind == TV_RECIPE_HEAD && i > top)
			row++;
		room = r.h - row > 0 ? r.h - row : 0;
		line_text(a, rc, i, buf, sizeof buf);
		/* Commands and notes sit under their heading. */
		in = rc->line[i].kind == TV_RECIPE_HEAD ? 0 : 2;
		if (rc->line[i].kind == TV_RECIPE_CMD && buf[0] != '"') {
			wrap_shell(buf, r.w - in, wrapped, sizeof wrapped);
			memcpy(buf, wrapped, strlen(wrapped) + 1);
		}
		row += tv_w_text(f, (struct tv_rect){ r.x + in, r.y + row,
						      r.w - in, room }, buf, st);
	}
	return row;
}

void
tv_takehome_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct tv_takehome *t = a->takehome;
	struct tv_rect in;
	int rows;

	if (!tv_takehome_open(a))
		return;
	tv_takehome_recipe(a, &t->recipe);
	/* The panel as tall as the whole text needs at this width. */
	rows = draw_lines(a, f, (struct tv_rect){ r.x, r.y, r.w - 6, 0 }, 0);
	in = tv_overlay_panel(a, f, r, r.w - 2, rows + 2,
			      " Take it home: these settings elsewhere ",
			      t->top > 0 || rows > r.h - 2 ?
			      " Up/Down scroll, Esc closes " : " Esc closes ");
	if (t->top >= t->recipe.n)
		t->top = t->recipe.n ? t->recipe.n - 1 : 0;
	if (in.h > 0)
		t->more = draw_lines(a, f, in, t->top) > in.h;
}
