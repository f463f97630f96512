/* SPDX-License-Identifier: MIT */
/*
 * The app and its views without a terminal: build an app on a built-in
 * scenario, press keys through tv_app_key, render frames and check the
 * lines a person would read against the core's own numbers.
 */
#include <locale.h>
#include <math.h>

#include "ui/abmode.h"

#include "testutil.h"

#include "ui/action.h"
#include "ui/app_internal.h"
#include "ui/term.h"

/* An app on a built-in scenario with seed 42, without colour. */
static struct fixture *
open_scenario(const char *name, int ascii, int w, int h)
{
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .ascii = ascii, .tier = -1,
				.view = TV_VIEW_EXPLORE };

	return fixture_open(name, &o, 42, w, h);
}

static int
setup(void **state)
{
	*state = open_scenario("approve", 0, 80, 24);
	return 0;
}

static int
teardown(void **state)
{
	fixture_close(*state);
	return 0;
}

static void
keys(struct fixture *fx, const int *k)
{
	for (; *k; k++)
		tv_app_key(fx->app, *k);
}

static void
test_explore_first_token(void **state)
{
	struct fixture *fx = *state;
	char line[2048], want[64];
	int head, y;

	render(fx);
	head = find_row(&fx->f, "token");
	assert_true(head > 0);
	row_text(&fx->f, head + 1, line, sizeof line);
	assert_memory_equal(line, " approve ", 9);
	snprintf(want, sizeof want, "%.2f of %.2f bits",
		 fx->app->res.stats.entropy_bits,
		 log2(fx->app->res.stats.vocab));
	y = find_row(&fx->f, want);
	assert_true(y > head);
	assert_true(find_row(&fx->f, "entropy") == y);
	assert_true(find_row(&fx->f, "T 1.00 natural") > 0);
	assert_int_equal(find_row(&fx->f, "T 1 natural"), 0);
	assert_true(find_row(&fx->f, "Support ticket") == 0 ||
		    find_row(&fx->f, "Next action:") == 0);
}

static void
test_turning_t_changes_entropy(void **state)
{
	struct fixture *fx = *state;
	double h1 = fx->app->res.stats.entropy_bits;
	static const int right[] = { TV_KEY_RIGHT, 0 };
	static const int left3[] = { TV_KEY_LEFT, TV_KEY_LEFT, TV_KEY_LEFT, 0 };

	keys(fx, right);
	assert_float_equal(fx->app->par.temp, 1.1, 1e-12);
	assert_true(fx->app->res.stats.entropy_bits > h1);
	keys(fx, left3);
	assert_float_equal(fx->app->par.temp, 0.9, 1e-12);
	assert_true(fx->app->res.stats.entropy_bits < h1);
	render(fx);
	assert_true(find_row(&fx->f, "0.90 natural") > 0);
}

static void
test_dial_ends_and_ladders(void **state)
{
	struct fixture *fx = *state;
	static const int pgup[] = { TV_KEY_PGUP, 0 };
	static const int home[] = { TV_KEY_HOME, 0 };
	static const int end[] = { TV_KEY_END, 0 };
	static const int right[] = { TV_KEY_RIGHT, 0 };
	static const int left[] = { TV_KEY_LEFT, 0 };
	static const int reset[] = { 'x', 0 };

	keys(fx, pgup);
	assert_float_equal(fx->app->par.temp, 2.0, 1e-12);
	keys(fx, home);
	assert_float_equal(fx->app->par.temp, 0.0, 0);
	assert_true(fx->app->res.greedy);
	keys(fx, right);
	assert_float_equal(fx->app->par.temp, TV_T_MIN, 1e-12);
	keys(fx, left);
	assert_float_equal(fx->app->par.temp, 0.0, 0);
	keys(fx, end);
	assert_float_equal(fx->app->par.temp, TV_T_MAX, 1e-9);
	keys(fx, reset);
	assert_float_equal(fx->app->par.temp, 1.0, 0);
}

static void
test_typed_value(void **state)
{
	struct fixture *fx = *state;
	static const int good[] = { '=', '0', '.', '2', '5', TV_KEY_ENTER, 0 };
	static const int bad[] = { '=', '5', '0', '0', TV_KEY_ENTER, 0 };
	static const int esc[] = { TV_KEY_ESC, 0 };

	keys(fx, good);
	assert_false(fx->app->input.open);
	assert_float_equal(fx->app->par.temp, 0.25, 1e-12);
	keys(fx, bad);
	assert_true(fx->app->input.open);
	assert_non_null(strstr(fx->app->input.err, "0 (greedy) to 100"));
	render(fx);
	assert_int_equal(find_row(&fx->f, "0 (greedy) to 100"), 23);
	keys(fx, esc);
	assert_false(fx->app->input.open);
	assert_float_equal(fx->app->par.temp, 0.25, 1e-12);
}

/* The values each dial takes, written out again here so the app's
 * table is checked, not copied: lo, hi (-1: the vocabulary), whole. */
static const struct {
	enum tv_dial_id id;
	const char *name;
	double lo, hi;
	int whole;
} dial_ranges[] = {
	{ TV_DIAL_TEMP, "temp", 0, 100, 0 },
	{ TV_DIAL_TOP_K, "top_k", 0, -1, 1 },
	{ TV_DIAL_TOP_P, "top_p", 0.01, 1, 0 },
	{ TV_DIAL_MIN_P, "min_p", 0, 1, 0 },
	{ TV_DIAL_TYPICAL, "typical", 0.01, 1, 0 },
	{ TV_DIAL_TOP_N_SIGMA, "top_n_sigma", 0, 10, 0 },
	{ TV_DIAL_XTC_THRESHOLD, "xtc_threshold", 0, 0.5, 0 },
	{ TV_DIAL_XTC_PROBABILITY, "xtc_probability", 0, 1, 0 },
	{ TV_DIAL_DYNATEMP_RANGE, "dynatemp_range", 0, 10, 0 },
	{ TV_DIAL_DYNATEMP_EXP, "dynatemp_exp", 0.1, 10, 0 },
	{ TV_DIAL_MIN_KEEP, "min_keep", 0, 100, 1 },
};

/* Press a string as keys (ASCII), then Enter. */
static void
type_line(struct fixture *fx, const char *s)
{
	for (; *s; s++)
		tv_app_key(fx->app, (unsigned char)*s);
	tv_app_key(fx->app, TV_KEY_ENTER);
}

static double
dial_now(struct fixture *fx, enum tv_dial_id id)
{
	struct tv_dial_state st;

	tv_dial_get(fx->app, id, &st);
	return st.value;
}

/* What a typed string must do on a dial: 1 and *v when it is a value of
 * the dial, 0 when it must be refused. */
static int
typed_value(const char *s, double lo, double hi, int whole, double *v)
{
	char buf[32], *end;
	size_t i;

	snprintf(buf, sizeof buf, "%s", s[0] == '=' ? s + 1 : s);
	for (i = 0; buf[i]; i++)
		if (buf[i] == ',') {
			if (whole)
				return 0;
			buf[i] = '.';
		}
	*v = strtod(buf, &end);
	if (!buf[0] || *end || (whole && *v != floor(*v)))
		return 0;
	return *v >= lo && *v <= hi;
}

/* Every dial, many strings: what is typed is what the focused dial gets,
 * or the line stays open and says why with the dial's range; no other
 * dial moves, and nothing is clamped in silence. */
static void
test_typed_every_dial(void **state)
{
	static const char *const typed[] = {
		"0", "1", "2", "3", "4", "5", "9", "0.5", "0,5", "=0,7",
		"1.5", "1,5", "1.0", "25", "2.5", "7", "10", "12", "100",
		"101", "250", "0.05", ".5", "=,5", "=-1", "=-0.5", "1e-2",
		"1e3", "1,000", "1.2.3", "=", "0.", "5e", "=+3",
	};
	size_t d, t;

	(void)state;
	for (d = 0; d < sizeof dial_ranges / sizeof *dial_ranges; d++)
		for (t = 0; t < sizeof typed / sizeof *typed; t++) {
			struct fixture *fx = open_scenario("approve", 0, 80,
							   24);
			enum tv_dial_id id = dial_ranges[d].id, o;
			double hi = dial_ranges[d].hi < 0 ?
				fx->app->d->vocab_size : dial_ranges[d].hi;
			double before[TV_DIAL__COUNT], v = 0;
			int ok = typed_value(typed[t], dial_ranges[d].lo, hi,
					     dial_ranges[d].whole, &v), i;

			tv_app_key(fx->app, 'a');
			for (i = 0; i < (int)id; i++)
				tv_app_key(fx->app, TV_KEY_DOWN);
			assert_int_equal(fx->app->focus, id);
			for (o = 0; o < TV_DIAL__COUNT; o++)
				before[o] = dial_now(fx, o);
			type_line(fx, typed[t]);
			if (ok) {
				if (fx->app->input.open)
					fail_msg("%s on %s refused: %s",
						 typed[t],
						 dial_ranges[d].name,
						 fx->app->input.err);
				assert_near(dial_now(fx, id), v, 1e-12);
			} else {
				if (!fx->app->input.open)
					fail_msg("%s on %s taken as %g",
						 typed[t],
						 dial_ranges[d].name,
						 dial_now(fx, id));
				assert_true(fx->app->input.err[0] != '\0');
				render(fx);
				assert_int_equal(find_row(&fx->f,
					fx->app->input.err), 23);
				assert_near(dial_now(fx, id), before[id], 0);
			}
			for (o = 0; o < TV_DIAL__COUNT; o++)
				if (o != id)
					assert_near(dial_now(fx, o), before[o],
						    0);
			fixture_close(fx);
		}
}

/* Every dial at either end: a further turn leaves it there and says so
 * with its range, never nothing at all. */
static void
test_dial_ends_say_so(void **state)
{
	size_t d;

	(void)state;
	for (d = 0; d < sizeof dial_ranges / sizeof *dial_ranges; d++) {
		struct fixture *fx = open_scenario("approve", 0, 80, 24);
		enum tv_dial_id id = dial_ranges[d].id;
		double hi = dial_ranges[d].hi < 0 ?
			fx->app->d->vocab_size : dial_ranges[d].hi;
		int i;

		tv_app_key(fx->app, 'a');
		for (i = 0; i < (int)id; i++)
			tv_app_key(fx->app, TV_KEY_DOWN);
		tv_app_key(fx->app, TV_KEY_HOME);
		assert_near(dial_now(fx, id), dial_ranges[d].lo, 0);
		tv_app_key(fx->app, TV_KEY_LEFT);
		assert_near(dial_now(fx, id), dial_ranges[d].lo, 0);
		assert_non_null(strstr(fx->app->msg,
				       "is at its lowest: it takes "));
		tv_app_key(fx->app, TV_KEY_END);
		assert_near(dial_now(fx, id), hi, 1e-9);
		tv_app_key(fx->app, TV_KEY_PGUP);
		assert_near(dial_now(fx, id), hi, 1e-9);
		assert_non_null(strstr(fx->app->msg, "is at its highest"));
		render(fx);
		assert_int_equal(find_row(&fx->f, fx->app->msg), 23);
		fixture_close(fx);
	}
}

/* The refusal names the range in figures, top-k's from the vocabulary. */
static void
test_typed_range_shown(void **state)
{
	struct fixture *fx = *state;
	char want[64];

	type_line(fx, "250");
	assert_string_equal(fx->app->input.err,
			    "T takes 0 (greedy) to 100; this is above");
	tv_app_key(fx->app, TV_KEY_ESC);
	tv_app_key(fx->app, TV_KEY_DOWN);
	type_line(fx, "25");
	snprintf(want, sizeof want, "top-k takes whole numbers 0 (off) to "
		 "%.0f; this is above", fx->app->d->vocab_size);
	assert_string_equal(fx->app->input.err, want);
	tv_app_key(fx->app, TV_KEY_ESC);
	type_line(fx, "1,000");
	assert_string_equal(fx->app->input.err,
			    "top-k takes whole numbers: 1000, not 1,000");
	tv_app_key(fx->app, TV_KEY_ESC);
	assert_near(fx->app->par.temp, 1.0, 0);
	assert_int_equal(fx->app->par.top_k, 0);
}

/* The walk of issue 14: 1.5 is 1.5, 1.0 is 1.0, 25 is for the dial in
 * focus, 0,7 is 0.7, and the presets are keys no number contains. */
static void
test_typed_like_a_person(void **state)
{
	struct fixture *fx = *state;
	static const char *const presets = "!@#$";
	static const double preset_t[] = { 0.2, 0.7, 1.0, 1.7 };
	int i;

	type_line(fx, "1.5");
	assert_near(fx->app->par.temp, 1.5, 0);
	type_line(fx, "1.0");
	assert_near(fx->app->par.temp, 1.0, 0);
	type_line(fx, "=0,7");
	assert_near(fx->app->par.temp, 0.7, 1e-15);
	tv_app_key(fx->app, TV_KEY_DOWN);
	type_line(fx, "5");
	assert_int_equal(fx->app->par.top_k, 5);
	assert_near(fx->app->par.temp, 0.7, 1e-15);
	for (i = 0; i < 4; i++) {
		tv_app_key(fx->app, presets[i]);
		assert_false(fx->app->input.open);
		assert_near(fx->app->par.temp, preset_t[i], 1e-15);
	}
	for (i = 0; i < TV_UI__COUNT; i++) {
		const struct tv_action_info *ai = tv_action_info(i);
		const int *k;

		/* Branch mode, like the talk player, reads its own keys
		 * before the dials: its digits choose a candidate. */
		if (i == TV_UI_DIAL_TYPE || ai->scope == TV_SCOPE_INPUT ||
		    ai->scope == TV_SCOPE_TALK || ai->scope == TV_SCOPE_BRANCH)
			continue;
		for (k = ai->keys; *k; k++)
			if (*k < 0x80 && strchr("0123456789.,", *k))
				fail_msg("%s takes %c, which starts a number",
					 ai->name, *k);
	}
}

/* The explanation sentence of the explore view: the rows between the
 * statistics and the footer, joined. */
static void
explanation(struct fixture *fx, char *buf, size_t cap)
{
	int y = find_row(&fx->f, "top-1 ") + 1;
	size_t n = 0;

	assert_true(y > 0);
	buf[0] = '\0';
	for (; y < fx->f.h - 1 && n + 1 < cap; y++) {
		char line[512];

		row_text(&fx->f, y, line, sizeof line);
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? " " : "",
				      line + (line[0] != '\0'));
	}
}

/* The percentage written right after the text at in s, as a fraction. */
static double
pct_after(const char *s, const char *at)
{
	const char *p = strstr(s, at);

	if (!p)
		fail_msg("\"%s\" not in \"%s\"", at, s);
	return strtod(p + strlen(at), NULL) / 100;
}

/* softmax(z / T) of the top listed token over the whole vocabulary,
 * summed here from the logits. */
static double
tempered_top(const struct tv_dist *d, double t)
{
	double m = d->sorted[0], z = 0;
	uint32_t i;

	if (d->tail_g > 0 && d->tail_logit > m)
		m = d->tail_logit;
	for (i = 0; i < d->n_finite; i++)
		z += exp((d->sorted[i] - m) / t);
	if (d->tail_g > 0)
		z += d->tail_g * exp((d->tail_logit - m) / t);
	return exp((d->sorted[0] - m) / t) / z;
}

/* A figure printed with fmt_pct's digits matches p. */
static void
assert_pct(double shown, double p)
{
	assert_near(shown, p, p >= 0.0995 ? 5e-4 : p >= 0.000995 ? 5e-5 :
		    5e-6);
}

/* Over a grid of temperatures, samplers and both stage orders, each
 * cause in the sentence carries its own figure: T the tempered odds of
 * the top token, each sampler its survivors and their share, and only the
 * last clause the renormalised top-1. */
static void
test_explanation_grid(void **state)
{
	static const char *const scenarios[] = { "approve", "france" };
	static const double temps[] = { 0.05, 0.5, 1, 1.7, 4 };
	static const struct { int k; double p, minp, dyn; } cuts[] = {
		{ 0, 1, 0, 0 }, { 2, 1, 0, 0 }, { 0, 0.5, 0, 0 },
		{ 0, 1, 0.2, 0 }, { 3, 0.8, 0, 0 }, { 5, 1, 0.1, 0 },
		{ 50, 1, 0, 0 }, { 0, 1, 0, 0.5 }, { 2, 1, 0, 0.5 },
	};
	static const enum tv_profile profiles[] = { TV_PROFILE_HF,
						    TV_PROFILE_LLAMACPP };
	size_t sc, ti, ci, pi;

	(void)state;
	for (sc = 0; sc < 2; sc++)
	for (pi = 0; pi < 2; pi++)
	for (ti = 0; ti < sizeof temps / sizeof *temps; ti++)
	for (ci = 0; ci < sizeof cuts / sizeof *cuts; ci++) {
		struct fixture *fx = open_scenario(scenarios[sc], 0, 200, 40);
		struct tv_app *a = fx->app;
		const struct tv_result *r = &a->res;
		char text[1024], at[96], k[32];
		int i, samplers = 0;

		tv_chain_default(&a->chain, profiles[pi]);
		a->par.temp = temps[ti];
		a->par.top_k = cuts[ci].k;
		a->par.top_p = cuts[ci].p;
		a->par.min_p = cuts[ci].minp;
		a->par.dynatemp_range = cuts[ci].dyn;
		tv_app_changed(a, TV_CHG_CHAIN);
		render(fx);
		explanation(fx, text, sizeof text);
		/* Dynatemp applies a T of its own, and the sentence says so. */
		assert_true((strstr(text, "Dynatemp's T ") != NULL) ==
			    (r->temp != temps[ti]));
		assert_true(cuts[ci].dyn > 0 || r->temp == temps[ti]);
		if (r->temp == 1)
			assert_pct(pct_after(text, "own odds (top token "),
				   tv_base_p(a->d, 0));
		else
			assert_pct(pct_after(text, "% -> "),
				   tempered_top(a->d, r->temp));
		for (i = 0; i < r->chain.n; i++) {
			const struct tv_stage_out *o = &r->st[i];
			double in = i ? r->st[i - 1].kept
				: (double)a->d->n_finite + a->d->tail_g;

			if (!o->active || o->kind == TV_STAGE_TEMP)
				continue;
			samplers++;
			if (o->kept >= in) {
				snprintf(at, sizeof at, "%s cuts nothing.",
					 tv_stage_name(o->kind));
				assert_non_null(strstr(text, at));
				continue;
			}
			tv_fmt_count(k, sizeof k, o->kept);
			snprintf(at, sizeof at, "%s keeps %s token%s (",
				 tv_stage_name(o->kind), k,
				 o->kept > 1.5 ? "s" : "");
			assert_pct(pct_after(text, at),
				   tv_stage_kept_mass(a->d, r, i));
		}
		if (samplers)
			assert_pct(pct_after(text, "the top token has "),
				   r->stats.top1);
		else
			assert_null(strstr(text, "Renormalised"));
		fixture_close(fx);
	}
}

/* The sign under the list says what the app recorded, or is absent when
 * every token is on screen; the rows shown are the tokens from the top
 * position on, in order. */
static void
check_list(struct fixture *fx, char *seen)
{
	struct tv_app *a = fx->app;
	char tok[96], want[96];
	int y, last = find_row(&fx->f, "token");
	uint32_t pos;

	for (pos = a->list.top; pos < a->list.top + a->list.shown; pos++) {
		tv_app_token(a, pos, tok, sizeof tok, 14);
		y = row_starting(&fx->f, tok);
		if (y <= last)
			fail_msg("%s (rank %u) not in order on screen", tok,
				 pos + 1);
		last = y;
		seen[pos] = 1;
	}
	if (a->list.below) {
		snprintf(want, sizeof want, "%u more below", a->list.below);
		y = find_row(&fx->f, want);
		assert_true(y > last);
		/* Under the listed tokens, above the rest of the vocabulary. */
		if (a->d->tail_g > 0)
			assert_true(row_starting(&fx->f, "rest") > y);
	}
	if (a->list.top) {
		snprintf(want, sizeof want, "%u above (J and K scroll)",
			 a->list.top);
		assert_true(find_row(&fx->f, want) > last);
	}
	if (!a->list.below && !a->list.top)
		assert_int_equal(find_row(&fx->f, "(J and K scroll)"), -1);
	assert_int_equal(a->list.top + a->list.shown + a->list.below,
			 a->d->n_finite);
}

/* At every small size, scrolling with J shows each token once, in
 * order, with the count of the hidden ones; K comes back, and at either
 * end a word says so. */
static void
test_list_scrolls(void **state)
{
	static const char *const scen[] = { "approve", "france", "story",
					    "factual" };
	static const int sizes[][2] = { { 60, 18 }, { 64, 20 }, { 72, 22 },
					{ 80, 24 }, { 100, 30 }, { 120, 40 } };
	size_t sc, sz;

	(void)state;
	for (sc = 0; sc < sizeof scen / sizeof *scen; sc++)
	for (sz = 0; sz < sizeof sizes / sizeof *sizes; sz++) {
		struct fixture *fx = open_scenario(scen[sc], 0, sizes[sz][0],
						   sizes[sz][1]);
		struct tv_app *a = fx->app;
		char seen[4096] = { 0 };
		uint32_t i, n = a->d->n_finite, pages = 0;

		assert_true(n < sizeof seen);
		for (;;) {
			render(fx);
			check_list(fx, seen);
			if (!a->list.below)
				break;
			tv_app_key(a, 'J');
		}
		for (i = 0; i < n; i++)
			assert_true(seen[i]);
		tv_app_key(a, 'J');
		assert_string_equal(a->msg, "the last token is on screen");
		while (a->list.top) {
			tv_app_key(a, '{');
			render(fx);
			check_list(fx, seen);
			pages++;
		}
		assert_true(pages <= n);
		tv_app_key(a, TV_KEY_SUP);
		assert_string_equal(a->msg, "the first token is on screen");
		/* A page down keeps the last row of the page on screen. */
		if (a->list.below) {
			uint32_t shown = a->list.shown, below = a->list.below;
			uint32_t page = shown > 1 ? shown - 1 : 1;

			tv_app_key(a, '}');
			render(fx);
			check_list(fx, seen);
			assert_int_equal(a->list.top, page < below ? page :
					 below);
		}
		fixture_close(fx);
	}
}

static void
test_top_p_dial_cuts(void **state)
{
	struct fixture *fx = *state;
	static const int k[] = { TV_KEY_DOWN, TV_KEY_DOWN, '=', '.', '5',
				 TV_KEY_ENTER, 0 };

	keys(fx, k);
	assert_int_equal(fx->app->focus, TV_DIAL_TOP_P);
	assert_float_equal(fx->app->par.top_p, 0.5, 1e-12);
	assert_true(fx->app->res.stats.kept < 10);
	render(fx);
	assert_true(find_row(&fx->f, "top-p 0.50: the tokens above hold") > 0);
	assert_true(find_row(&fx->f, "top-p") > 0);
}

static void
test_presets_and_profile(void **state)
{
	struct fixture *fx = *state;
	static const int k[] = { '$', 'p', 0 };

	keys(fx, k);
	assert_float_equal(fx->app->par.temp, 1.7, 1e-12);
	assert_int_equal(fx->app->chain.rules, TV_PROFILE_LLAMACPP);
	assert_non_null(strstr(fx->app->msg, "temperature last"));
}

static void
test_views_cycle(void **state)
{
	struct fixture *fx = *state;
	static const int tab[] = { TV_KEY_TAB, 0 };
	static const int btab[] = { TV_KEY_BTAB, 0 };
	static const int help[] = { '?', 0 };

	keys(fx, tab);
	assert_int_equal(fx->app->view, TV_VIEW_PIPELINE);
	keys(fx, btab);
	assert_int_equal(fx->app->view, TV_VIEW_EXPLORE);
	keys(fx, help);
	assert_int_equal(fx->app->view, TV_VIEW_HELP);
	render(fx);
	assert_true(find_row(&fx->f, "Quit tempviz") > 0);
	keys(fx, help);
	assert_int_equal(fx->app->view, TV_VIEW_EXPLORE);
}

static void
test_pipeline_move(void **state)
{
	struct fixture *fx = *state;
	static const int k[] = { TV_KEY_TAB, '<', 0 };
	static const int later[] = { '>', '>', 0 };

	keys(fx, k);
	assert_int_equal(fx->app->chain.stage[0], TV_STAGE_TEMP);
	assert_non_null(strstr(fx->app->msg, "already first"));
	keys(fx, later);
	assert_int_equal(fx->app->chain.stage[2], TV_STAGE_TEMP);
	assert_true(fx->app->chain.custom);
	render(fx);
	assert_true(find_row(&fx->f, "hf (custom) order: top-k > top-p > "
			     "temperature") > 0);
	assert_true(find_row(&fx->f, "temperature first: kept") > 0);
}

static void
test_sample_draws(void **state)
{
	struct fixture *fx = *state;
	static const int k[] = { TV_KEY_TAB, TV_KEY_TAB, 't', ' ', 0 };
	static const int right[] = { TV_KEY_RIGHT, 0 };
	uint64_t sum = 0;
	uint32_t i;

	keys(fx, k);
	assert_int_equal(fx->app->view, TV_VIEW_SAMPLE);
	assert_int_equal(fx->app->smp.total, 1001);
	for (i = 0; i <= fx->app->d->n; i++)
		sum += fx->app->smp.count[i];
	assert_int_equal(sum, 1001);
	render(fx);
	assert_true(find_row(&fx->f, "draws 1001") > 0);
	assert_true(find_row(&fx->f, "chi-square") > 0);
	assert_true(find_row(&fx->f, "p-value") > 0);
	keys(fx, right);
	assert_int_equal(fx->app->smp.total, 0);
}

static void
test_sample_reproducible(void **state)
{
	struct fixture *fx = *state, *fy = open_scenario("approve", 0, 80, 24);
	static const int k[] = { TV_KEY_TAB, TV_KEY_TAB, 't', 0 };

	keys(fx, k);
	keys(fy, k);
	assert_memory_equal(fx->app->smp.count, fy->app->smp.count,
			    (fx->app->d->n + 1) * sizeof *fx->app->smp.count);
	fixture_close(fy);
}

static void
test_curves_playhead(void **state)
{
	struct fixture *fx = *state;
	static const int right[] = { TV_KEY_RIGHT, 0 };
	static const int dn[] = { TV_KEY_DOWN, TV_KEY_RIGHT, 0 };

	fx->app->view = TV_VIEW_CURVES;
	render(fx);
	assert_true(fx->app->curves.valid);
	assert_true(find_row(&fx->f, "entropy (bits)") > 0);
	keys(fx, right);
	assert_true(fx->app->curves.valid);
	keys(fx, dn);
	assert_false(fx->app->curves.valid);
}

static void
test_every_view_every_size(void **state)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 60, 18 },
					{ 200, 60 }, { 30, 8 }, { 1, 1 } };
	int ascii, s, v;

	(void)state;
	for (ascii = 0; ascii < 2; ascii++)
		for (s = 0; s < 6; s++)
			for (v = 0; v < TV_VIEW__COUNT; v++) {
				struct fixture *fx = open_scenario(
					"longtail", ascii, sizes[s][0],
					sizes[s][1]);

				fx->app->view = (enum tv_view)v;
				render(fx);
				fixture_close(fx);
			}
}

/* Help at every width and height it draws at: no description is cut
 * (they wrap), and paging down reaches the last line of the legend. */
static void
test_help_wraps_every_width(void **state)
{
	(void)state;
	for (int w = 60; w <= 160; w += 3)
		for (int h = 18; h <= 40; h += 11) {
			struct fixture *fx = open_scenario("approve", 0, w, h);
			char row[1024];

			fx->app->view = TV_VIEW_HELP;
			for (int k = 0; k < 40; k++) {
				render(fx);
				for (int y = 2; y < h - 1; y++) {
					row_text(&fx->f, y, row, sizeof row);
					/* Only a key list is shortened. */
					if (strlen(row) > 26)
						assert_null(strstr(row + 24,
							"\xe2\x80\xa6"));
				}
				tv_app_key(fx->app, TV_KEY_PGDN);
			}
			assert_true(find_row(&fx->f, "approximate: the rest") >
				    0);
			fixture_close(fx);
		}
}

/* A key that does nothing here but works in another view says where
 * (v's A/B split is explore's), and the generate view's keys say they
 * need a model; a key of no view stays silent. */
static void
test_key_of_another_view(void **state)
{
	struct fixture *fx = *state;

	fx->app->view = TV_VIEW_PIPELINE;
	tv_app_key(fx->app, 'v');
	assert_string_equal(fx->app->msg, "v works in the explore view: A/B "
			    "split: two dial sets over the distribution "
			    "(toggle)");
	assert_false(tv_ab_on(fx->app));
	tv_app_key(fx->app, 'L');
	assert_non_null(strstr(fx->app->msg, "L works in the generate view on "
			       "a language model (--lm, --server)"));
	tv_app_key(fx->app, 'r');
	assert_string_equal(fx->app->msg, "r works in the sample and attention "
			    "views (? shows what it does in each)");
	fx->app->msg[0] = '\0';
	assert_int_equal(tv_app_key(fx->app, 'Z'), 0);
	assert_string_equal(fx->app->msg, "");
}

static void
test_too_small_notice(void **state)
{
	struct fixture *fx = open_scenario("approve", 0, 30, 8);

	(void)state;
	render(fx);
	assert_true(find_row(&fx->f, "needs 60 x 18") >= 0);
	assert_true(find_row(&fx->f, "this is 30 x 8") >= 0);
	fixture_close(fx);
}

/* Token bytes and the prompt come from files: escapes, control bytes
 * and invalid UTF-8 must reach the frame only as visible, safe text. */
static void
test_hostile_tokens_stay_safe(void **state)
{
	static const char *const toks[] = { "\x1b[31mred", "a\nb\tc",
					    "\xff\xfe", "\x1b]0;title\x07",
					    " lead", ("\xe2\x80\xae" "rtl") };
	char label[] = "hostile";
	struct tv_source src = { 0 };
	struct tv_dist d;
	struct tv_params p;
	struct tv_chain c;
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_EXPLORE };
	struct tv_frame f;
	struct tv_app *a;
	int i, x, y, v;

	(void)state;
	assert_int_equal(tv_dist_init(&d, 8), TV_OK);
	for (i = 0; i < 6; i++)
		assert_int_equal(tv_dist_push(&d, toks[i], strlen(toks[i]),
					      (float)(3 - i)), TV_OK);
	assert_int_equal(tv_dist_set_meta(&d.prompt, "\x1b[2Jcleared?"),
			 TV_OK);
	assert_int_equal(tv_dist_finish(&d), TV_OK);
	src.n_pos = 1;
	src.pos = &d;
	src.label = label;
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_HF);
	a = tv_app_new(&src, &p, &c, &o);
	assert_non_null(a);
	assert_int_equal(tv_frame_init(&f, 80, 24), 0);
	for (v = 0; v < TV_VIEW__COUNT; v++) {
		a->view = (enum tv_view)v;
		tv_app_render(a, &f);
		for (y = 0; y < f.h; y++)
			for (x = 0; x < f.w; x++) {
				const unsigned char *ch =
					(const unsigned char *)
					f.cells[y * f.w + x].ch;

				assert_true(ch[0] == 0 || ch[0] >= 0x20);
				assert_true(ch[0] != 0x7f);
			}
	}
	a->view = TV_VIEW_EXPLORE;
	tv_app_render(a, &f);
	assert_true(find_row(&f, "\\x1B[31mred") > 0);
	assert_int_equal(find_row(&f, "\\x1B[2Jcleared?"), 0);
	tv_frame_free(&f);
	tv_app_free(a);
	tv_dist_free(&d);
}

/* A saved response at three positions: the chosen token listed and
 * shown, not listed at all, and listed below the rows that fit. */
static void
chosen_dist(struct tv_dist *d, int n, const char *chosen)
{
	char tok[16];
	int i;

	assert_int_equal(tv_dist_init(d, (uint32_t)n), TV_OK);
	for (i = 0; i < n; i++) {
		snprintf(tok, sizeof tok, "t%02d", i);
		assert_int_equal(tv_dist_push(d, tok, strlen(tok),
					      (float)(-0.25 * i)), TV_OK);
	}
	assert_int_equal(tv_dist_set_meta(&d->chosen, chosen), TV_OK);
	assert_int_equal(tv_dist_finish(d), TV_OK);
}

static void
test_chosen_token_marked(void **state)
{
	char label[] = "response";
	struct tv_dist d[3];
	struct tv_source src = { .n_pos = 3, .pos = d, .label = label };
	struct tv_params p;
	struct tv_chain c;
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_EXPLORE };
	struct tv_frame f;
	struct tv_app *a;
	uint32_t pos;
	int i;

	(void)state;
	chosen_dist(&d[0], 12, "t01");
	chosen_dist(&d[1], 12, "zz");
	chosen_dist(&d[2], 40, "t39");
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_HF);
	a = tv_app_new(&src, &p, &c, &o);
	assert_non_null(a);
	assert_int_equal(tv_frame_init(&f, 80, 24), 0);

	assert_int_equal(tv_app_chosen(a, &pos), 1);
	assert_int_equal(pos, 1);
	tv_app_render(a, &f);
	assert_true(find_row(&f, " t01 ") > 0);
	assert_int_equal(find_row(&f, "◀ chosen"), find_row(&f, " t01 "));
	assert_int_equal(find_row(&f, "not among"), -1);
	a->view = TV_VIEW_PIPELINE;
	tv_app_render(a, &f);
	assert_int_equal(find_row(&f, "◀"), find_row(&f, " t01 "));
	a->view = TV_VIEW_EXPLORE;

	tv_app_key(a, 'n');
	assert_int_equal(tv_app_chosen(a, &pos), 1);
	assert_int_equal(pos, TV_POS_TAIL);
	tv_app_render(a, &f);
	assert_true(find_row(&f, "◀ chosen: zz, not among the listed "
			     "tokens") > 0);

	tv_app_key(a, 'n');
	tv_app_render(a, &f);
	assert_int_equal(find_row(&f, " t39 "), -1);
	assert_true(find_row(&f, "◀ chosen: t39, rank 40, below the "
			     "rows shown") > 0);

	tv_frame_free(&f);
	tv_app_free(a);
	for (i = 0; i < 3; i++)
		tv_dist_free(&d[i]);
}

/* Within any one view, a key means one action (also while a value or
 * the prompt is typed). */
static void
test_no_key_conflicts(void **state)
{
	int v, input, i, j;

	(void)state;
	for (input = 0; input <= TV_INPUT_BRANCH; input++)
		for (v = 0; v < TV_VIEW__COUNT; v++)
			for (i = 0; i < TV_UI__COUNT; i++)
				for (j = i + 1; j < TV_UI__COUNT; j++) {
					const struct tv_action_info *a =
						tv_action_info(i);
					const struct tv_action_info *b =
						tv_action_info(j);
					const int *k, *l;

					if (!tv_scope_applies(a->scope, v,
							      input) ||
					    !tv_scope_applies(b->scope, v,
							      input))
						continue;
					for (k = a->keys; *k; k++)
						for (l = b->keys; *l; l++)
							if (*k == *l)
								fail_msg("%s and %s share a key in %s",
									 a->name, b->name,
									 tv_view_name(v));
				}
}

static void
test_markdown_table(void **state)
{
	FILE *tmp = tmpfile();
	char buf[16384];
	size_t n;

	(void)state;
	assert_non_null(tmp);
	tv_actions_markdown(tmp);
	rewind(tmp);
	n = fread(buf, 1, sizeof buf - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	assert_non_null(strstr(buf, "| `q` | Quit tempviz |"));
	assert_non_null(strstr(buf, "| `Left` `h` | Turn the dial down"));
	assert_non_null(strstr(buf, "### Thermo"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_explore_first_token,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_turning_t_changes_entropy,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dial_ends_and_ladders,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed_value, setup,
						teardown),
		cmocka_unit_test(test_typed_every_dial),
		cmocka_unit_test(test_dial_ends_say_so),
		cmocka_unit_test_setup_teardown(test_typed_range_shown, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_typed_like_a_person,
						setup, teardown),
		cmocka_unit_test(test_explanation_grid),
		cmocka_unit_test(test_list_scrolls),
		cmocka_unit_test_setup_teardown(test_top_p_dial_cuts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_presets_and_profile,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_views_cycle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pipeline_move, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sample_draws, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sample_reproducible,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_curves_playhead, setup,
						teardown),
		cmocka_unit_test(test_every_view_every_size),
		cmocka_unit_test(test_help_wraps_every_width),
		cmocka_unit_test_setup_teardown(test_key_of_another_view, setup,
						teardown),
		cmocka_unit_test(test_too_small_notice),
		cmocka_unit_test(test_hostile_tokens_stay_safe),
		cmocka_unit_test(test_chosen_token_marked),
		cmocka_unit_test(test_no_key_conflicts),
		cmocka_unit_test(test_markdown_table),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
