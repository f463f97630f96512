/* SPDX-License-Identifier: MIT */
/*
 * The source picker. Its entries, top down: every built-in scenario,
 * then the source the app was started on when it is not one of them (a
 * file is read again from disk when chosen, so edits made during a lesson
 * show), then the language model when one is loaded.
 *
 * A model is set aside, not freed, while another source is shown: the
 * app then behaves as without one (no generate view, no prompt keys), and
 * choosing the model again brings its text back as it was.
 */
#include "ui/picker.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/safetext.h"
#include "ui/action.h"
#include "ui/genmode.h"
#include "ui/overlay.h"

enum pick_kind { PICK_SCENARIO, PICK_START, PICK_MODEL };

/* A copy of the command line's SOURCE flags. */
struct spec_copy {
	char *path, *scenario, *logits, *probs, *vocab, *row;
};

struct tv_picker {
	int open;
	int sel, top;                   /* entry selected, first shown */
	int rows;                       /* entries shown at the last render */
	char typed[16];                 /* letters typed to jump */
	int n_typed;

	const struct tv_source *start;  /* the first source (the caller's) */
	struct spec_copy origin;        /* its flags; all NULL when unknown */
	int start_listed;               /* it is not a built-in scenario */

	struct tv_source *owned;        /* the shown source, loaded here */
	struct tv_genmode *parked;      /* the model, while set aside */
	enum pick_kind kind;            /* what is shown */
	const char *scenario;           /* its name, for PICK_SCENARIO */
};

/* The state, made on first use; NULL when out of memory. */
static struct tv_picker *
picker(struct tv_app *a)
{
	if (!a->picker) {
		a->picker = calloc(1, sizeof *a->picker);
		if (a->picker) {
			a->picker->start = a->src;
			a->picker->kind = a->gen ? PICK_MODEL : PICK_START;
		}
	}
	return a->picker;
}

static char *
dup_or_null(const char *s, int *bad)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*bad = 1;
	return d;
}

static void
spec_free(struct spec_copy *c)
{
	free(c->path);
	free(c->scenario);
	free(c->logits);
	free(c->probs);
	free(c->vocab);
	free(c->row);
	memset(c, 0, sizeof *c);
}

int
tv_app_origin(struct tv_app *a, const struct tv_source_spec *spec)
{
	struct tv_picker *p = picker(a);
	struct spec_copy *c;
	int bad = 0;

	if (!p)
		return -1;
	c = &p->origin;
	spec_free(c);
	p->start = a->src;
	if (!spec)
		return 0;
	c->path = dup_or_null(spec->path, &bad);
	c->scenario = dup_or_null(spec->scenario, &bad);
	c->logits = dup_or_null(spec->logits, &bad);
	c->probs = dup_or_null(spec->probs, &bad);
	c->vocab = dup_or_null(spec->vocab, &bad);
	c->row = dup_or_null(spec->row, &bad);
	if (!c->path && !c->logits && !c->probs && !c->scenario &&
	    !(c->scenario = strdup(TV_DEFAULT_SCENARIO)))
		bad = 1;
	if (bad) {
		spec_free(c);
		return -1;
	}
	p->start_listed = !c->scenario;
	if (c->scenario && !a->gen) {
		p->kind = PICK_SCENARIO;
		p->scenario = tv_scenario_find(c->scenario) ?
			tv_scenario_find(c->scenario)->name : NULL;
		if (!p->scenario)
			p->kind = PICK_START;
	}
	return 0;
}

/* ---------------------------------------------------------- entries --- */

static struct tv_genmode *
model_of(const struct tv_app *a)
{
	return a->gen ? a->gen : a->picker ? a->picker->parked : NULL;
}

static int
n_entries(const struct tv_app *a, size_t *n_sc)
{
	const struct tv_picker *p = a->picker;

	tv_scenarios(n_sc);
	return (int)*n_sc + (p && p->start_listed) + (model_of(a) != NULL);
}

/* Entry i's kind, and its scenario when it is one. */
static enum pick_kind
entry_kind(const struct tv_app *a, int i, const struct tv_scenario **sc)
{
	size_t n_sc;
	const struct tv_scenario *all = tv_scenarios(&n_sc);

	*sc = NULL;
	if (i < (int)n_sc) {
		*sc = &all[i];
		return PICK_SCENARIO;
	}
	if (i == (int)n_sc && a->picker && a->picker->start_listed)
		return PICK_START;
	return PICK_MODEL;
}

/* The entry of what is shown. */
static int
current_entry(const struct tv_app *a)
{
	const struct tv_picker *p = a->picker;
	size_t n_sc;
	int n = n_entries(a, &n_sc), i;

	/* The model is last, and shown whenever the app is on it. */
	if (a->gen)
		return n - 1;
	for (i = 0; i < n; i++) {
		const struct tv_scenario *sc;
		enum pick_kind k = entry_kind(a, i, &sc);

		if (k == p->kind && (k != PICK_SCENARIO ||
				     (p->scenario && !strcmp(sc->name,
							     p->scenario))))
			return i;
	}
	return 0;
}

/* What an entry is called: a scenario's name, the start's label, the
 * model's name; made safe to show. */
static void
entry_name(const struct tv_app *a, int i, char *buf, size_t cap)
{
	const struct tv_scenario *sc;
	const char *s;

	switch (entry_kind(a, i, &sc)) {
	case PICK_SCENARIO: s = sc->name; break;
	case PICK_START:
		s = a->picker->start->label ? a->picker->start->label : "-";
		break;
	default: s = model_of(a)->src.label; break;
	}
	tv_safe_text(s, strlen(s), buf, cap, -1, !a->look.g->utf8);
}

static const char *
entry_note(const struct tv_app *a, int i)
{
	const struct tv_scenario *sc;

	switch (entry_kind(a, i, &sc)) {
	case PICK_SCENARIO: return sc->note ? sc->note : "";
	case PICK_START:
		return a->picker->origin.path &&
		       strcmp(a->picker->origin.path, "-") ?
			"the file given at start, read again from disk" :
			"the source given at start";
	default: return "the language model: its next word after the prompt";
	}
}

/* ---------------------------------------------------------- switching --- */

/* Show src (positions from the first) in place of what is shown. */
static void
show(struct tv_app *a, const struct tv_source *src, struct tv_source *owned)
{
	struct tv_picker *p = a->picker;
	struct tv_source *old = p->owned;

	a->src = src;
	a->pos = 0;
	a->list.top = 0;
	tv_app_set_dist(a, &src->pos[0]);
	/* Only now: until set_dist every view may still hold the old one. */
	p->owned = owned;
	if (old && old != owned) {
		tv_source_free(old);
		free(old);
	}
}

/* Set the model aside: the app goes on as without one. */
static void
park_model(struct tv_app *a)
{
	if (!a->gen)
		return;
	a->picker->parked = a->gen;
	a->gen = NULL;
	if (a->view == TV_VIEW_GENERATE)
		a->view = TV_VIEW_EXPLORE;
	if (a->back == TV_VIEW_GENERATE)
		a->back = TV_VIEW_EXPLORE;
}

static void
choose_model(struct tv_app *a)
{
	struct tv_picker *p = a->picker;
	struct tv_error err = { "" };
	const struct tv_dist *d;

	if (a->gen)
		return;
	d = tv_gen_dist(p->parked->lane[TV_LANE_DIAL], &err);
	if (!d) {
		tv_app_note(a, "%s", err.msg[0] ? err.msg : "the model failed");
		return;
	}
	a->gen = p->parked;
	p->parked = NULL;
	a->src = &a->gen->src;
	a->pos = 0;
	a->list.top = 0;
	tv_app_set_dist(a, d);
	if (p->owned) {
		tv_source_free(p->owned);
		free(p->owned);
		p->owned = NULL;
	}
	p->kind = PICK_MODEL;
	tv_app_note(a, "source: the language model");
}

static void
say_loaded(struct tv_app *a, const char *name, const char *note)
{
	char label[128];

	tv_safe_text(name, strlen(name), label, sizeof label, 40,
		     !a->look.g->utf8);
	if (a->src->warn.n)
		tv_app_note(a, "%s: %s", label, a->src->warn.msg[0]);
	else
		tv_app_note(a, "source: %s%s%s", label, note ? ", " : "",
			    note ? note : "");
}

/* The first source's flags as a spec (borrowing the copies). */
static void
origin_spec(const struct tv_picker *p, struct tv_source_spec *spec)
{
	*spec = (struct tv_source_spec){
		.path = p->origin.path, .scenario = p->origin.scenario,
		.logits = p->origin.logits, .probs = p->origin.probs,
		.vocab = p->origin.vocab, .row = p->origin.row,
	};
}

/* Load what spec names and show it: 0, or -1 with the shown source left
 * in place and the status line saying why. */
static int
choose_spec(struct tv_app *a, const struct tv_source_spec *spec,
	    enum pick_kind kind, const char *scenario)
{
	struct tv_picker *p = a->picker;
	struct tv_source *src = calloc(1, sizeof *src);
	struct tv_error err = { "" };

	if (!src) {
		tv_app_note(a, "out of memory");
		return -1;
	}
	if (tv_source_load(spec, src, &err) != TV_EXIT_OK) {
		free(src);
		tv_app_note(a, "%s", err.msg[0] ? err.msg : "cannot load");
		return -1;
	}
	park_model(a);
	show(a, src, src);
	p->kind = kind;
	p->scenario = scenario;
	return 0;
}

static void
choose(struct tv_app *a, int i)
{
	struct tv_picker *p = a->picker;
	const struct tv_scenario *sc;
	struct tv_source_spec spec = { 0 };

	switch (entry_kind(a, i, &sc)) {
	case PICK_SCENARIO:
		spec.scenario = sc->name;
		if (choose_spec(a, &spec, PICK_SCENARIO, sc->name) == 0)
			say_loaded(a, sc->name, sc->note);
		return;
	case PICK_START:
		if (p->origin.path && strcmp(p->origin.path, "-")) {
			origin_spec(p, &spec);
			if (choose_spec(a, &spec, PICK_START, NULL) != 0)
				return;
		} else {
			/* Standard input or a list on the command line: the
			 * first source is still in memory. */
			park_model(a);
			show(a, p->start, NULL);
			p->kind = PICK_START;
		}
		say_loaded(a, a->src->label ? a->src->label : "-", NULL);
		return;
	case PICK_MODEL:
		choose_model(a);
		return;
	}
}

/* ------------------------------------------------------------- keys --- */

int
tv_picker_open(const struct tv_app *a)
{
	return a->picker && a->picker->open;
}

void
tv_picker_show(struct tv_app *a)
{
	struct tv_picker *p;

	/* A talk owns its sources (and its model), step by step. */
	if (a->talk) {
		tv_app_note(a, "the talk sets the source: each step names its "
			    "own");
		return;
	}
	if (!(p = picker(a))) {
		tv_app_note(a, "out of memory");
		return;
	}
	p->open = 1;
	p->sel = current_entry(a);
	p->top = 0;
	p->n_typed = 0;
	a->dirty = 1;
}

/* Letters typed in a row pick the first entry whose name starts with
 * them; a letter that no name continues starts over from itself. */
static void
jump(struct tv_app *a, int key)
{
	struct tv_picker *p = a->picker;
	size_t n_sc;
	int n = n_entries(a, &n_sc), pass, i;

	if (p->n_typed + 1 >= (int)sizeof p->typed)
		p->n_typed = 0;
	p->typed[p->n_typed++] = (char)tolower(key);
	p->typed[p->n_typed] = '\0';
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			char name[160];

			entry_name(a, i, name, sizeof name);
			if (strncasecmp(name, p->typed, (size_t)p->n_typed) == 0) {
				p->sel = i;
				return;
			}
		}
		p->typed[0] = (char)tolower(key);
		p->typed[1] = '\0';
		p->n_typed = 1;
	}
	p->n_typed = 0;
	tv_app_note(a, "no source starts with %c", key);
}

static void
move(struct tv_app *a, int to)
{
	struct tv_picker *p = a->picker;
	size_t n_sc;
	int n = n_entries(a, &n_sc);

	p->sel = to < 0 ? 0 : to >= n ? n - 1 : to;
	p->n_typed = 0;
}

int
tv_picker_key(struct tv_app *a, int key)
{
	struct tv_picker *p = a->picker;
	int page = p->rows > 1 ? p->rows - 1 : 1;

	a->msg[0] = '\0';
	switch (tv_action_for_key(key, a->view, TV_INPUT_PICKER)) {
	case TV_UI_PICK_UP: move(a, p->sel - 1); return 1;
	case TV_UI_PICK_DOWN: move(a, p->sel + 1); return 1;
	case TV_UI_PICK_PGUP: move(a, p->sel - page); return 1;
	case TV_UI_PICK_PGDN: move(a, p->sel + page); return 1;
	case TV_UI_PICK_FIRST: move(a, 0); return 1;
	case TV_UI_PICK_LAST: move(a, 1 << 30); return 1;
	case TV_UI_PICK_CANCEL: p->open = 0; return 1;
	case TV_UI_PICK_CHOOSE:
		p->open = 0;
		choose(a, p->sel);
		return 1;
	default: break;
	}
	if (key > 0 && key < 0x80 && isalnum(key)) {
		jump(a, key);
		return 1;
	}
	return 0;
}

/* ----------------------------------------------------------- render --- */

void
tv_picker_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct tv_picker *p = a->picker;
	size_t n_sc;
	int n, i, cur, namew = 10;
	struct tv_rect in;
	char name[160];

	if (!tv_picker_open(a))
		return;
	n = n_entries(a, &n_sc);
	for (i = 0; i < n; i++) {
		entry_name(a, i, name, sizeof name);
		if (tv_str_width(name) > namew)
			namew = tv_str_width(name);
	}
	namew = namew > 24 ? 24 : namew;
	in = tv_overlay_panel(a, f, r, 84, n + 2, " Switch the source ",
			      " Enter opens, Esc cancels, letters jump ");
	p->rows = in.h;
	if (in.h <= 0)
		return;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + in.h)
		p->top = p->sel - in.h + 1;
	cur = current_entry(a);
	for (i = p->top; i < n && i < p->top + in.h; i++) {
		int y = in.y + i - p->top, sel = i == p->sel;
		struct tv_style st = tv_st(a, sel ? TV_ROLE_FOCUS : TV_ROLE_TEXT);
		struct tv_style dim = sel ? st : tv_st(a, TV_ROLE_DIM);

		if (sel)
			tv_frame_fill(f, (struct tv_rect){ in.x, y, in.w, 1 },
				      " ", st);
		/* The pointer is the selection where no colour shows it,
		 * the bullet what is shown now. */
		if (sel)
			tv_frame_puts(f, in.x, y, 1, a->look.g->pointer, st);
		if (i == cur)
			tv_frame_puts(f, in.x + 2, y, 1, a->look.g->bullet, st);
		entry_name(a, i, name, sizeof name);
		tv_w_label(f, in.x + 4, y, namew, name, st);
		tv_w_label(f, in.x + 6 + namew, y, in.w - 6 - namew,
			   entry_note(a, i), dim);
	}
}

/* ----------------------------------------------------------- origin --- */

int
tv_picker_spec(const struct tv_app *a, struct tv_source_spec *spec)
{
	const struct tv_picker *p = a->picker;

	memset(spec, 0, sizeof *spec);
	if (!p || a->gen)
		return 0;
	if (p->kind == PICK_SCENARIO) {
		spec->scenario = p->scenario;
		return p->scenario != NULL;
	}
	if (p->kind != PICK_START || (!p->origin.path && !p->origin.logits &&
				      !p->origin.probs && !p->origin.scenario))
		return 0;
	origin_spec(p, spec);
	return 1;
}

void
tv_picker_free(struct tv_app *a)
{
	struct tv_picker *p = a->picker;

	if (!p)
		return;
	if (p->parked && !a->gen)
		a->gen = p->parked;
	if (p->owned) {
		tv_source_free(p->owned);
		free(p->owned);
	}
	spec_free(&p->origin);
	free(p);
	a->picker = NULL;
}
