/* SPDX-License-Identifier: MIT */
/*
 * The talk player (talkmode.h): rebuilds the app's state for a step from
 * the script, runs the step's animation, reads the speaker's keys and
 * draws the caption under the view.
 */
#include "ui/talkmode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/safetext.h"
#include "lm/model.h"
#include "ui/action.h"
#include "ui/genmode.h"

/* A source a step named, loaded once for the whole talk. */
struct loaded {
	char *key;              /* "s:NAME" (scenario) or "f:PATH" */
	struct tv_source src;
	int ok;
	char err[sizeof(struct tv_error)];
};

struct tv_talkmode {
	struct tv_talk talk;
	char *lm_path;          /* NULL: the default model */
	int live;
	int cur;
	int exploring, blank, paused;
	char jump[8];           /* a step number being typed */
	int jump_len;

	const struct tv_source *base;   /* the app's source before the talk */
	uint32_t base_pos;
	struct loaded *src;
	int n_src;
	struct tv_model *m;
	int m_tried;
	char m_err[sizeof(struct tv_error)];

	int big0;               /* big type as the command line set it */
	int glide;              /* the step's glide is under way */
	double glide_ms;
	double dk;              /* the step's d_k, for {dk} */
	char notice[320];
	struct tv_frame sub;    /* the view, above the caption */
};

/* The default key dimension of the attention view (its middle step). */
#define DK_DEFAULT 64

int
tv_talkmode_view_ok(const char *s)
{
	int v = tv_view_parse(s);

	return v >= 0 && v != TV_VIEW_HELP;
}

static void
notice(struct tv_talkmode *tm, const char *what, const char *why)
{
	size_t n = strlen(tm->notice);

	/* The first notice of a step matters most; later ones follow it
	 * while there is room. */
	snprintf(tm->notice + n, sizeof tm->notice - n, "%s%s: %s",
		 n ? "; " : "", what, why);
}

/* ------------------------------------------------------------ state --- */

/* last[k]: the step up to i that set k last, or -1. */
static void
cumulate(const struct tv_talk *t, int i, int last[TV_TK__COUNT])
{
	for (int k = 0; k < TV_TK__COUNT; k++) {
		last[k] = -1;
		for (int s = 0; s <= i; s++)
			if (t->step[s].set[k])
				last[k] = s;
	}
}

static double
num(const struct tv_talk *t, const int last[], enum tv_talk_key k,
    double dflt)
{
	return last[k] < 0 ? dflt : t->step[last[k]].num[k];
}

static const char *
str(const struct tv_talk *t, const int last[], enum tv_talk_key k)
{
	return last[k] < 0 ? NULL : t->step[last[k]].str[k];
}

static void
apply_params(struct tv_app *a, const struct tv_talk *t, const int last[])
{
	static const struct { enum tv_talk_key k; size_t off; } dbl[] = {
#define P(k, f) { TV_TK_##k, offsetof(struct tv_params, f) }
		P(TEMP, temp), P(TOP_P, top_p), P(MIN_P, min_p),
		P(TYPICAL, typical_p), P(TOP_N_SIGMA, top_n_sigma),
		P(XTC_THRESHOLD, xtc_threshold),
		P(XTC_PROBABILITY, xtc_probability),
		P(DYNATEMP_RANGE, dynatemp_range),
		P(DYNATEMP_EXP, dynatemp_exp),
		P(REPEAT_PENALTY, repeat_penalty),
		P(FREQ_PENALTY, freq_penalty),
		P(PRESENCE_PENALTY, presence_penalty),
		P(DRY_MULTIPLIER, dry_multiplier), P(DRY_BASE, dry_base),
		P(MIROSTAT_ENT, mirostat_tau), P(MIROSTAT_LR, mirostat_eta),
		P(TOP_A, top_a), P(TFS, tfs),
		P(SMOOTHING_FACTOR, smoothing_factor),
		P(SMOOTHING_CURVE, smoothing_curve),
#undef P
	};
	struct tv_params p;
	const char *prof = str(t, last, TV_TK_PROFILE), *why = NULL, *flag;
	enum tv_profile rules = prof ? (enum tv_profile)tv_profile_parse(prof)
				     : TV_PROFILE_HF;

	tv_params_default(&p);
	for (size_t i = 0; i < sizeof dbl / sizeof *dbl; i++)
		if (last[dbl[i].k] >= 0)
			*(double *)((char *)&p + dbl[i].off) =
				t->step[last[dbl[i].k]].num[dbl[i].k];
	p.top_k = (int)num(t, last, TV_TK_TOP_K, p.top_k);
	p.min_keep = (int)num(t, last, TV_TK_MIN_KEEP, p.min_keep);
	p.seed = (uint32_t)num(t, last, TV_TK_SEED, p.seed);
	p.repeat_last_n = (int)num(t, last, TV_TK_REPEAT_LAST_N,
				   p.repeat_last_n);
	p.dry_allowed_length = (int)num(t, last, TV_TK_DRY_ALLOWED_LENGTH,
					p.dry_allowed_length);
	p.dry_penalty_last_n = (int)num(t, last, TV_TK_DRY_PENALTY_LAST_N,
					p.dry_penalty_last_n);
	p.mirostat = (int)num(t, last, TV_TK_MIROSTAT, p.mirostat);
	/* mu starts at twice the target, as on the command line. */
	p.mirostat_mu = 2 * p.mirostat_tau;
	flag = tv_params_check(&p, rules, &why);
	if (flag) {
		notice(a->talk, flag + 2, why ? why : "out of range");
		tv_params_default(&p);
	}
	a->par = p;
	tv_chain_default(&a->chain, rules);
	a->seed = p.seed;
	a->zoom = (int)num(t, last, TV_TK_ZOOM, 0);
	a->energy = (int)num(t, last, TV_TK_ENERGY, 0);
	a->all_dials = (int)num(t, last, TV_TK_DIALS, 0);
	a->opts.big = (int)num(t, last, TV_TK_BIG, a->talk->big0);
}

/* A path of the script is read from the script's directory. */
static void
source_key(const struct tv_talk *t, enum tv_talk_key k, const char *v,
	   char *buf, size_t cap)
{
	if (k == TV_TK_SCENARIO)
		snprintf(buf, cap, "s:%s", v);
	else if (v[0] == '/')
		snprintf(buf, cap, "f:%s", v);
	else
		snprintf(buf, cap, "f:%s%s", t->dir ? t->dir : "", v);
}

static struct loaded *
load_source(struct tv_talkmode *tm, enum tv_talk_key k, const char *v)
{
	char key[4200];
	struct tv_source_spec spec = { 0 };
	struct tv_error err = { "" };
	struct loaded *l;

	source_key(&tm->talk, k, v, key, sizeof key);
	for (int i = 0; i < tm->n_src; i++)
		if (strcmp(tm->src[i].key, key) == 0)
			return &tm->src[i];
	l = realloc(tm->src, (size_t)(tm->n_src + 1) * sizeof *l);
	if (!l)
		return NULL;
	tm->src = l;
	l = &tm->src[tm->n_src];
	memset(l, 0, sizeof *l);
	if (!(l->key = strdup(key)))
		return NULL;
	tm->n_src++;
	if (k == TV_TK_SCENARIO)
		spec.scenario = key + 2;
	else
		spec.path = key + 2;
	l->ok = tv_source_load(&spec, &l->src, &err) == TV_EXIT_OK;
	snprintf(l->err, sizeof l->err, "%s", err.msg);
	return l;
}

static void
show_dist(struct tv_app *a, const struct tv_source *src, uint32_t pos)
{
	tv_genmode_free(a);
	a->src = src;
	tv_app_set_dist(a, &src->pos[pos]);
	a->pos = pos;
}

static void
apply_file(struct tv_app *a, const struct tv_talk *t, const int last[],
	   enum tv_talk_key k)
{
	struct tv_talkmode *tm = a->talk;
	struct loaded *l = load_source(tm, k, t->step[last[k]].str[k]);
	double pos = num(t, last, TV_TK_POSITION, 1) - 1;

	if (!l || !l->ok) {
		notice(tm, "this step's source is missing",
		       l ? l->err : "out of memory");
		show_dist(a, tm->base, tm->base_pos);
		return;
	}
	if (pos >= l->src.n_pos) {
		notice(tm, "position", "past the last one of this source; "
		       "showing the first");
		pos = 0;
	}
	show_dist(a, &l->src, (uint32_t)pos);
}

static void
apply_prompt(struct tv_app *a, const struct tv_talk *t, const int last[])
{
	struct tv_talkmode *tm = a->talk;
	const char *named = str(t, last, TV_TK_LM);
	struct tv_error err = { "" };
	char why[256], path[4200];

	/* One model per talk, opened once: the command line's --lm, else the
	 * script's lm: (from the talk's directory), else the default. */
	if (!tm->m && !tm->m_tried) {
		tm->m_tried = 1;
		if (named)
			source_key(t, TV_TK_LM, named, path, sizeof path);
		if (tv_model_open(tm->lm_path ? tm->lm_path : named ? path + 2
				  : NULL, &tm->m, &err) != 0)
			snprintf(tm->m_err, sizeof tm->m_err, "%s", err.msg);
	}
	if (!tm->m) {
		notice(tm, "this step needs the language model", tm->m_err);
		show_dist(a, tm->base, tm->base_pos);
		return;
	}
	tv_genmode_free(a);
	if (tv_app_use_model(a, tm->m, str(t, last, TV_TK_PROMPT), why,
			     sizeof why) != 0) {
		notice(tm, "the language model", why);
		show_dist(a, tm->base, tm->base_pos);
		return;
	}
	if (last[TV_TK_LANES] >= 0 &&
	    !isnan(t->step[last[TV_TK_LANES]].lanes[0])) {
		tv_app_lanes(a, t->step[last[TV_TK_LANES]].lanes);
		/* A T given after the lanes moves the dial's lane. */
		if (last[TV_TK_TEMP] > last[TV_TK_LANES])
			tv_app_set_temp(a, num(t, last, TV_TK_TEMP, 1));
	}
}

/* The distribution: the last of scenario, source and prompt given. */
static void
apply_source(struct tv_app *a, const struct tv_talk *t, const int last[])
{
	static const enum tv_talk_key slot[] = { TV_TK_SCENARIO, TV_TK_SOURCE,
						 TV_TK_PROMPT };
	enum tv_talk_key k = TV_TK__COUNT;
	int at = -1;

	for (size_t i = 0; i < sizeof slot / sizeof *slot; i++)
		if (last[slot[i]] >= at && last[slot[i]] >= 0) {
			at = last[slot[i]];
			k = slot[i];
		}
	if (k == TV_TK__COUNT)
		show_dist(a, a->talk->base, a->talk->base_pos);
	else if (k == TV_TK_PROMPT)
		apply_prompt(a, t, last);
	else
		apply_file(a, t, last, k);
}

static void
view_action(struct tv_app *a, enum tv_view v, int act)
{
	const struct tv_view_ops *ops = tv_app_view_ops(v);

	if (ops && ops->action)
		ops->action(a, act);
}

/* The views keep their own state: a step starts them afresh. */
static void
reset_views(struct tv_app *a)
{
	static const enum tv_view fresh[] = { TV_VIEW_THERMO,
					      TV_VIEW_ATTENTION };

	for (size_t i = 0; i < sizeof fresh / sizeof *fresh; i++) {
		const struct tv_view_ops *ops = tv_app_view_ops(fresh[i]);

		if (ops && ops->fini)
			ops->fini(a);
	}
	a->input.open = 0;
	a->list.top = 0;
	a->focus = TV_DIAL_TEMP;
	a->stage_focus = 0;
	a->help_top = 0;
	a->smp.drip = 0;
}

static void
apply_view(struct tv_app *a, const struct tv_talk *t, const int last[])
{
	const char *name = str(t, last, TV_TK_VIEW);
	int v = name ? tv_view_parse(name) : TV_VIEW_EXPLORE;

	if (v == TV_VIEW_GENERATE && !a->gen) {
		if (!a->talk->notice[0])
			notice(a->talk, "the generate view", "it needs the "
			       "language model (install pocketsphinx-en-us, "
			       "or give present --lm PATH)");
		v = TV_VIEW_EXPLORE;
	}
	a->view = a->back = (enum tv_view)(v < 0 ? TV_VIEW_EXPLORE : v);
}

/* The attention view starts at d_k = 64 and steps by factors of 4. */
static void
apply_dk(struct tv_app *a, double dk)
{
	int act = dk < DK_DEFAULT ? TV_UI_DK_DOWN : TV_UI_DK_UP;

	a->talk->dk = dk;
	for (double d = DK_DEFAULT; d != dk && d >= 4 && d <= 1024;
	     d = act == TV_UI_DK_UP ? d * 4 : d / 4)
		view_action(a, TV_VIEW_ATTENTION, act);
}

/* What a step does once its state is set (after its glide). */
static void
finish(struct tv_app *a, const struct tv_talk_step *st)
{
	static const struct { unsigned bit; int act; } thermo[] = {
		{ TV_TA_QUENCH, TV_UI_QUENCH }, { TV_TA_HEAT, TV_UI_HEAT },
		{ TV_TA_ANNEAL, TV_UI_ANNEAL }, { TV_TA_INVERT, TV_UI_INVERT },
	};
	long n;

	for (n = st->draw; n >= 1000; n -= 1000)
		view_action(a, TV_VIEW_SAMPLE, TV_UI_DRAW_MANY);
	for (; n > 0; n--)
		view_action(a, TV_VIEW_SAMPLE, TV_UI_DRAW_ONE);
	if (st->generate && !a->gen && !a->talk->notice[0])
		notice(a->talk, "generate", "it needs the language model");
	for (n = a->gen ? st->generate : 0; n > 0; n--)
		view_action(a, TV_VIEW_GENERATE, TV_UI_GEN_STEP);
	for (size_t i = 0; i < sizeof thermo / sizeof *thermo; i++)
		if (st->acts & thermo[i].bit)
			view_action(a, TV_VIEW_THERMO, thermo[i].act);
	/* The views' own notes are for keys; the step has its caption. */
	a->msg[0] = '\0';
}

void
tv_talkmode_goto(struct tv_app *a, int i)
{
	struct tv_talkmode *tm = a->talk;
	const struct tv_talk *t = &tm->talk;
	const struct tv_talk_step *st;
	int last[TV_TK__COUNT];

	if (i < 0)
		i = 0;
	if (i >= t->n)
		i = t->n - 1;
	st = &t->step[i];
	tm->cur = i;
	tm->notice[0] = '\0';
	tm->paused = 0;
	cumulate(t, i, last);
	reset_views(a);
	apply_params(a, t, last);
	/* Played, a glide starts at its first T; shown at once (a snapshot),
	 * the step is where the glide ends. */
	tm->glide = st->glide && tm->live && st->glide_s > 0;
	tm->glide_ms = 0;
	if (st->glide)
		a->par.temp = tm->glide ? st->glide_from : st->glide_to;
	apply_source(a, t, last);
	/* The history the penalties read on a scenario or a file (on a
	 * model, its text). */
	if (tv_app_history(a, str(t, last, TV_TK_HISTORY)) != 0)
		notice(tm, "history", "out of memory");
	apply_view(a, t, last);
	apply_dk(a, num(t, last, TV_TK_DK, DK_DEFAULT));
	tv_app_changed(a, TV_CHG_SOURCE);
	if (!tm->glide)
		finish(a, st);
	a->dirty = 1;
}

int
tv_talkmode_start(struct tv_app *a, struct tv_talk *t, const char *lm_path,
		  int live)
{
	struct tv_talkmode *tm = calloc(1, sizeof *tm);

	if (!tm || (lm_path && !(tm->lm_path = strdup(lm_path)))) {
		free(tm);
		tv_talk_free(t);
		return -1;
	}
	tm->talk = *t;
	memset(t, 0, sizeof *t);
	tm->live = live;
	tm->big0 = a->opts.big;
	tm->base = a->src;
	tm->base_pos = a->pos;
	a->talk = tm;
	tv_talkmode_goto(a, 0);
	return 0;
}

void
tv_talkmode_give_model(struct tv_app *a, struct tv_model *m)
{
	struct tv_talkmode *tm = a->talk;

	tv_model_free(tm->m);
	tm->m = m;
	tm->m_tried = 1;
}

void
tv_talkmode_free(struct tv_app *a)
{
	struct tv_talkmode *tm = a->talk;

	if (!tm)
		return;
	/* The text borrows the model: it goes first. */
	tv_genmode_free(a);
	tv_model_free(tm->m);
	for (int i = 0; i < tm->n_src; i++) {
		free(tm->src[i].key);
		if (tm->src[i].ok)
			tv_source_free(&tm->src[i].src);
	}
	free(tm->src);
	a->src = tm->base;
	tv_talk_free(&tm->talk);
	tv_frame_free(&tm->sub);
	free(tm->lm_path);
	free(tm);
	a->talk = NULL;
}

int
tv_talkmode_steps(const struct tv_app *a)
{
	return a->talk ? a->talk->talk.n : 0;
}

int
tv_talkmode_current(const struct tv_app *a)
{
	return a->talk ? a->talk->cur : 0;
}

int
tv_talkmode_exploring(const struct tv_app *a)
{
	return a->talk && a->talk->exploring;
}

const char *
tv_talkmode_title(const struct tv_app *a)
{
	const char *s = a->talk->talk.step[a->talk->cur].title;

	return s ? s : "";
}

const char *
tv_talkmode_notice(const struct tv_app *a)
{
	return a->talk->notice;
}

/* ---------------------------------------------------------- caption --- */

/* The most likely token as a word in a sentence: without the leading
 * space tokenizers keep (" Paris" reads Paris), and safe. */
static void
top_token(const struct tv_app *a, char *buf, size_t cap)
{
	size_t len;
	const char *s = tv_dist_tok(a->d, a->d->order[0], &len);

	while (len > 1 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	tv_safe_token(s, len, buf, cap, 24, !a->look.g->utf8);
}

/* One placeholder's value, from the state on screen. */
static void
field(const struct tv_app *a, const char *name, size_t len, char *buf,
      size_t cap)
{
	const struct tv_stats *s = &a->res.stats;

#define IS(w) (len == strlen(w) && memcmp(name, w, len) == 0)
	if (IS("T"))
		snprintf(buf, cap, "%.3g", a->res.greedy ? 0 : a->par.temp);
	else if (IS("entropy"))
		snprintf(buf, cap, "%.2f", s->entropy_bits);
	else if (IS("top1"))
		snprintf(buf, cap, "%.1f%%", 100 * s->top1);
	else if (IS("kept"))
		snprintf(buf, cap, "%.0f", s->kept);
	else if (IS("perplexity"))
		snprintf(buf, cap, "%.2f", s->perplexity);
	else if (IS("cut"))
		snprintf(buf, cap, "%.1f%%", 100 * s->cut_mass);
	else if (IS("dk"))
		snprintf(buf, cap, "%.0f", a->talk->dk);
	else if (IS("top"))
		top_token(a, buf, cap);
	else
		snprintf(buf, cap, "?");
#undef IS
}

/* Placeholders filled; the text made safe for the terminal. */
static void
fill(const struct tv_app *a, const char *s, char *buf, size_t cap)
{
	char raw[4096], val[128];
	size_t n = 0;

	for (; s && *s && n + 1 < sizeof raw; s++) {
		const char *q = *s == '{' ? strchr(s, '}') : NULL;

		if (!q) {
			raw[n++] = *s;
			continue;
		}
		field(a, s + 1, (size_t)(q - s - 1), val, sizeof val);
		n += (size_t)snprintf(raw + n, sizeof raw - n, "%s", val);
		if (n >= sizeof raw)
			n = sizeof raw - 1;
		s = q;
	}
	raw[n] = '\0';
	tv_safe_text(raw, n, buf, cap, -1, !a->look.g->utf8);
}

void
tv_talkmode_caption(const struct tv_app *a, char *buf, size_t cap)
{
	fill(a, a->talk->talk.step[a->talk->cur].text, buf, cap);
}

static int
caption_rows(const struct tv_talkmode *tm, int h)
{
	int rows = tm->exploring ? 1 : h >= 40 ? 7 : 5;

	return h - rows < TV_MIN_H ? (h > TV_MIN_H ? h - TV_MIN_H : 0) : rows;
}

static void
caption_bar(struct tv_app *a, struct tv_frame *f, int y)
{
	struct tv_talkmode *tm = a->talk;
	struct tv_style bar = tv_st(a, TV_ROLE_STATUS), title = bar;
	char right[64], text[512];
	int rw;

	title.attr |= TV_A_BOLD;
	tv_frame_fill(f, (struct tv_rect){ 0, y, f->w, 1 }, " ", bar);
	if (tm->jump_len)
		snprintf(right, sizeof right, " go to step %s_ ", tm->jump);
	else
		snprintf(right, sizeof right, " %sstep %d/%d ",
			 tm->paused ? "paused  " : "", tm->cur + 1, tm->talk.n);
	rw = tv_str_width(right);
	tv_w_label_right(f, 0, y, f->w, right, title);
	if (tm->exploring)
		snprintf(text, sizeof text, "Exploring: the dials are yours. "
			 "F5 returns to the talk.");
	else
		fill(a, tv_talkmode_title(a), text, sizeof text);
	tv_w_label(f, 1, y, f->w - rw - 2, text, title);
}

static void
caption_body(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct tv_talkmode *tm = a->talk;
	struct tv_style text = tv_st(a, TV_ROLE_TEXT);
	char buf[4096];

	text.attr |= TV_A_BOLD;
	if (tm->notice[0]) {
		tv_safe_text(tm->notice, strlen(tm->notice), buf, sizeof buf,
			     -1, !a->look.g->utf8);
		r.y += tv_w_text(f, (struct tv_rect){ r.x, r.y, r.w, 2 }, buf,
				 tv_st(a, TV_ROLE_WARN)) > 1 ? 2 : 1;
		r.h = r.h > 2 ? r.h - 2 : 0;
	}
	tv_talkmode_caption(a, buf, sizeof buf);
	if (r.h > 0)
		tv_w_text(f, r, buf, text);
}

static void
copy_rows(struct tv_frame *dst, struct tv_frame *src)
{
	for (int y = 0; y < src->h && y < dst->h; y++)
		for (int x = 0; x < src->w && x < dst->w; x++)
			*tv_frame_at(dst, x, y) =
				*tv_frame_at(src, x, y);
}

int
tv_talkmode_render(struct tv_app *a, struct tv_frame *f)
{
	struct tv_talkmode *tm = a->talk;
	int rows = caption_rows(tm, f->h), y;

	if (tm->blank) {
		tv_frame_clear(f, tv_st(a, TV_ROLE_TEXT));
		return 1;
	}
	if (rows == 0 || f->w < TV_MIN_W)
		return 0;
	if ((tm->sub.cells ? tv_frame_resize(&tm->sub, f->w, f->h - rows)
	     : tv_frame_init(&tm->sub, f->w, f->h - rows)) != 0)
		return 0;
	tv_app_render_plain(a, &tm->sub);
	f->utf8 = tm->sub.utf8;
	f->light = tm->sub.light;
	tv_frame_clear(f, tv_st(a, TV_ROLE_TEXT));
	copy_rows(f, &tm->sub);
	y = f->h - rows;
	caption_bar(a, f, y);
	if (rows > 1)
		caption_body(a, f, (struct tv_rect){ 2, y + 1, f->w - 4,
						     rows - 1 });
	return 1;
}

/* ------------------------------------------------------------- keys --- */

static enum tv_ui_action
talk_action(int key)
{
	for (int i = 0; i < TV_UI__COUNT; i++) {
		const struct tv_action_info *ai = tv_action_info(i);

		if (ai->scope != TV_SCOPE_TALK)
			continue;
		for (const int *k = ai->keys; *k; k++)
			if (*k == key)
				return (enum tv_ui_action)i;
	}
	return TV_UI_NONE;
}

static void
jump(struct tv_app *a)
{
	struct tv_talkmode *tm = a->talk;
	long n = atol(tm->jump);

	tm->jump_len = 0;
	tm->jump[0] = '\0';
	if (n >= 1 && n <= tm->talk.n)
		tv_talkmode_goto(a, (int)n - 1);
	else
		tv_app_note(a, "no step %ld: this talk has steps 1 to %d", n,
			    tm->talk.n);
}

static void
step_key(struct tv_app *a, int act, int key)
{
	struct tv_talkmode *tm = a->talk;

	switch (act) {
	case TV_UI_TALK_NEXT:
		if (tm->cur + 1 < tm->talk.n)
			tv_talkmode_goto(a, tm->cur + 1);
		break;
	case TV_UI_TALK_PREV:
		if (tm->cur > 0)
			tv_talkmode_goto(a, tm->cur - 1);
		break;
	case TV_UI_TALK_FIRST:
		tv_talkmode_goto(a, 0);
		break;
	case TV_UI_TALK_LAST:
		tv_talkmode_goto(a, tm->talk.n - 1);
		break;
	case TV_UI_TALK_DIGIT:
		if (tm->jump_len + 1 < (int)sizeof tm->jump) {
			tm->jump[tm->jump_len++] = (char)key;
			tm->jump[tm->jump_len] = '\0';
		}
		break;
	case TV_UI_TALK_PAUSE:
		tm->paused = !tm->paused;
		break;
	case TV_UI_TALK_EXPLORE:
		tm->exploring = 1;
		break;
	}
}

int
tv_talkmode_key(struct tv_app *a, int key)
{
	struct tv_talkmode *tm = a->talk;
	enum tv_ui_action act = talk_action(key);

	if (!tm)
		return 0;
	if (tm->exploring) {
		if (act != TV_UI_TALK_RESUME)
			return 0;
		tm->exploring = 0;
		tv_talkmode_goto(a, tm->cur);
		return 1;
	}
	if (act == TV_UI_NONE || act == TV_UI_TALK_RESUME)
		/* q still quits; nothing else may change a step's state. */
		return tv_action_for_key(key, a->view, 0) != TV_UI_QUIT;
	a->msg[0] = '\0';
	if (act == TV_UI_TALK_BLANK) {
		tm->blank = !tm->blank;
		return 1;
	}
	tm->blank = 0;
	if (tm->jump_len && (act == TV_UI_TALK_JUMP ||
			     act == TV_UI_TALK_EXPLORE)) {
		if (act == TV_UI_TALK_JUMP)
			jump(a);
		tm->jump_len = 0;
		tm->jump[0] = '\0';
		return 1;
	}
	step_key(a, act == TV_UI_TALK_JUMP ? TV_UI_TALK_NEXT : act, key);
	return 1;
}

/* -------------------------------------------------------- animation --- */

int
tv_talkmode_animating(const struct tv_app *a, int view)
{
	const struct tv_talkmode *tm = a->talk;

	if (tm->exploring)
		return view;
	return !tm->paused && !tm->blank && (tm->glide || view);
}

int
tv_talkmode_tick(struct tv_app *a, double dt_ms)
{
	struct tv_talkmode *tm = a->talk;
	const struct tv_talk_step *st = &tm->talk.step[tm->cur];
	double f;

	if (tm->exploring)
		return 0;
	if (tm->paused || tm->blank)
		return 1;
	if (!tm->glide)
		return 0;
	tm->glide_ms += dt_ms;
	f = tm->glide_ms / (st->glide_s * 1000);
	if (f >= 1) {
		tm->glide = 0;
		tv_app_set_temp(a, st->glide_to);
		finish(a, st);
	} else {
		tv_app_set_temp(a, st->glide_from +
				(st->glide_to - st->glide_from) * f);
	}
	a->dirty = 1;
	return 0;
}
