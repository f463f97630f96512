/* SPDX-License-Identifier: MIT */
/*
 * Talks: the parser's refusals (each with its line and column), the
 * player's state as a function of the script alone, its keys, and every
 * number a built-in caption quotes against the core's own value.
 */
#include <locale.h>

#include "testutil.h"

#include "io/talk.h"
#include "ui/action.h"
#include "ui/talkmode.h"
#include "ui/term.h"

static int
parse(const char *text, struct tv_talk *t, struct tv_error *err)
{
	return tv_talk_parse(text, strlen(text), "t.talk", tv_talkmode_view_ok,
			     t, err);
}

/* A script and the start of the one-line message it must be refused
 * with: FILE:LINE:COL and what is wrong. */
static const struct { const char *text, *want; } bad[] = {
	{ "", "t.talk: no steps" },
	{ "\n\n  \n", "t.talk:3: no steps" },
	{ "# a\n---\n", "t.talk:2: an empty last step" },
	{ "# a\n---\n---\n# b\n", "t.talk:3:1: an empty step" },
	{ "---\n# a\n", "t.talk:1:1: an empty step" },
	{ "# a\n---\n\n  \n---\n", "t.talk:5:1: an empty step" },
	{ "# a\ntemp: hot\n", "t.talk:2:7: bad value (accepted: a number "
	  "from 0 (greedy) to 100)" },
	{ "# a\ntemp: 101\n", "t.talk:2:7: bad value" },
	{ "# a\ntemp: -1\n", "t.talk:2:7: bad value" },
	{ "# a\ntemp: 0.7x\n", "t.talk:2:7: bad value" },
	{ "# a\ntemp:\n", "t.talk:2:6: bad value" },
	{ "# a\n  top-k: 2.5\n", "t.talk:2:10: bad value (accepted: a whole "
	  "number from 0 (off) to 1000000000)" },
	{ "# a\ntop-k: 99999999999999999999\n", "t.talk:2:8: bad value "
	  "(accepted: a whole number from 0 (off) to 1000000000)" },
	{ "# a\ntop-p: 1.5\n", "t.talk:2:8: bad value" },
	{ "# a\nseed: 4294967296\n", "t.talk:2:7: bad value" },
	{ "# a\ntmep: 0.7\n", "t.talk:2:1: unknown setting (accepted: "
	  "scenario, source" },
	{ "# a\nscenario: paris\n", "t.talk:2:11: unknown scenario "
	  "(accepted: a name from tempviz --list)" },
	{ "# a\nview: slides\n", "t.talk:2:7: unknown view (accepted: "
	  "explore, pipeline" },
	{ "# a\nview: help\n", "t.talk:2:7: unknown view" },
	{ "# a\nprofile: gpt\n", "t.talk:2:10: unknown profile (accepted: "
	  "hf, llama.cpp, llama3, vllm)" },
	{ "# a\nzoom: yes\n", "t.talk:2:7: bad value (accepted: on or off)" },
	{ "# a\ndials: some\n", "t.talk:2:8: bad value (accepted: all or "
	  "main)" },
	{ "# a\nlanes: 0, 1\n", "t.talk:2:11: bad lanes (accepted: three "
	  "temperatures" },
	{ "# a\nlanes: 0, x, 2\n", "t.talk:2:11: bad value" },
	{ "# a\nd-k: 32\n", "t.talk:2:6: bad value (accepted: 4, 16, 64, 256 "
	  "or 1024)" },
	{ "# a\ndraw: 0\n", "t.talk:2:7: bad value (accepted: a whole number "
	  "from 1 to 1000000)" },
	{ "# a\ngenerate: 401\n", "t.talk:2:11: bad value" },
	{ "# a\nglide: T 1 -> 2 over 3s\n", "t.talk:2:8: bad glide "
	  "(accepted: glide: temp A -> B over Ss" },
	{ "# a\nglide: temp 1 to 2 over 3s\n", "t.talk:2:13: bad glide" },
	{ "# a\nglide: temp 1 -> 2 over 3\n", "t.talk:2:13: bad glide" },
	{ "# a\nglide: temp 1 -> 200 over 3s\n", "t.talk:2:18: bad value" },
	{ "# a\nglide: temp 1 -> 2 over 601s\n", "t.talk:2:25: bad value "
	  "(accepted: seconds from 0 to 600" },
	{ "# a\nglide: temp x -> 2 over 1s\n", "t.talk:2:13: bad value" },
	{ "# a\nglide: temp 1 -> over 1s\n", "t.talk:2:18: bad value" },
	{ "# a\n# b\n", "t.talk:2:3: a second title in one step" },
	{ "# a\nAt {T} and {temp}.\n", "t.talk:2:12: unknown placeholder "
	  "(accepted: {T} {entropy}" },
	{ "# a\nAn open { brace\n", "t.talk:2:9: unknown placeholder" },
	{ "# a\n\xe9t\xe9\n", "t.talk:2:1: not valid UTF-8" },
	{ "# a\nok \xc3\xa9 \xff\n", "t.talk:2:6: not valid UTF-8" },
	{ "# a\nbell\a\n", "t.talk:2:5: a control character" },
	{ "# a\nesc \x1b[31m\n", "t.talk:2:5: a control character" },
	{ "# a\n\xc2\x9b" "31m\n", "t.talk:2:1: a control character" },
	{ "# a\n---\n# b\ntemp: 5000\n", "t.talk:4:7: bad value" },
	{ "# a\r\ntemp: x\r\n", "t.talk:2:7: bad value" },
};

static void
test_parse_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct tv_error err = { "" };
		struct tv_talk t;

		assert_int_equal(parse(bad[i].text, &t, &err), TV_EXIT_DATA);
		if (strncmp(err.msg, bad[i].want, strlen(bad[i].want)) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s...\"", i,
				 err.msg, bad[i].want);
		assert_int_equal(t.n, 0);
		assert_null(t.step);
	}
}

/* A NUL byte is refused where it is, not taken for the end. */
static void
test_parse_nul(void **state)
{
	static const char text[] = "# a\nnul \0 x\n";
	struct tv_error err = { "" };
	struct tv_talk t;

	(void)state;
	assert_int_equal(tv_talk_parse(text, sizeof text - 1, "t.talk", NULL,
				       &t, &err), TV_EXIT_DATA);
	assert_string_equal(err.msg, "t.talk:2:5: a control character "
			    "(accepted: text and tabs)");
}

static void
test_parse_shape(void **state)
{
	struct tv_error err;
	struct tv_talk t;

	(void)state;
	assert_int_equal(parse("\xef\xbb\xbf# One\nSome words.\n> top-k: a "
			       "quoted line\nscenario: france\ntemp: 0.7\n"
			       "---\n\n# Two\nglide: temp 0.1 -> 2 over 4s\n"
			       "draw: 1000\nquench\nheat\n", &t, &err),
			 TV_EXIT_OK);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.step[0].title, "One");
	assert_string_equal(t.step[0].text, "Some words. top-k: a quoted "
			    "line");
	assert_true(t.step[0].set[TV_TK_SCENARIO]);
	assert_string_equal(t.step[0].str[TV_TK_SCENARIO], "france");
	assert_near(t.step[0].num[TV_TK_TEMP], 0.7, 0);
	assert_false(t.step[0].set[TV_TK_TOP_K]);
	assert_int_equal(t.step[1].line, 8);
	assert_true(t.step[1].glide);
	assert_near(t.step[1].glide_from, 0.1, 0);
	assert_near(t.step[1].glide_to, 2, 0);
	assert_near(t.step[1].glide_s, 4, 0);
	assert_int_equal(t.step[1].draw, 1000);
	assert_int_equal(t.step[1].acts, TV_TA_QUENCH | TV_TA_HEAT);
	tv_talk_free(&t);
}

/* An app on approve in talk mode on text (not live). */
static struct fixture *
open_talk(const char *text, int w, int h)
{
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_EXPLORE };
	struct fixture *fx = fixture_open("approve", &o, 0, w, h);
	struct tv_error err;
	struct tv_talk t;

	if (tv_talk_parse(text, strlen(text), "t.talk", tv_talkmode_view_ok,
			  &t, &err) != TV_EXIT_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(tv_talkmode_start(fx->app, &t, NULL, 0), 0);
	return fx;
}

static const char script[] =
	"# One\nscenario: france\ntemp: 0.7\n---\n"
	"# Two\ntop-k: 5\nview: pipeline\nbig: on\n---\n"
	"# Three\ntemp: 1.5\nscenario: approve\nseed: 9\n---\n"
	"# Four\nprofile: llama.cpp\ntop-k: 0\nzoom: on\n";

/* The state a step must show, whatever came before. */
static void
assert_step(struct tv_app *a, int i)
{
	static const double temp[] = { 0.7, 0.7, 1.5, 1.5 };
	static const int top_k[] = { 0, 5, 5, 0 };
	static const char *const src[] = { "france", "france", "approve",
					   "approve" };

	assert_int_equal(tv_talkmode_current(a), i);
	assert_near(a->par.temp, temp[i], 0);
	assert_int_equal(a->par.top_k, top_k[i]);
	assert_string_equal(a->src->label, src[i]);
	assert_int_equal(a->view, i == 0 ? TV_VIEW_EXPLORE : TV_VIEW_PIPELINE);
	assert_int_equal(a->seed, i < 2 ? 0 : 9);
	assert_int_equal(a->chain.rules, i < 3 ? TV_PROFILE_HF
			 : TV_PROFILE_LLAMACPP);
	assert_int_equal(a->zoom, i == 3);
	/* Big type from step two on, off before it whatever was seen. */
	assert_int_equal(a->opts.big, i >= 1);
}

static void
test_state_is_the_script(void **state)
{
	struct fixture *fx = open_talk(script, 80, 24);
	struct tv_app *a = fx->app;
	static const int order[] = { 0, 1, 2, 3, 2, 1, 0, 3, 0, 2, 2, 1 };

	(void)state;
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		tv_talkmode_goto(a, order[i]);
		assert_step(a, order[i]);
		render(fx);
		assert_cells_sound(&fx->f);
	}
	fixture_close(fx);
}

/* The samplers with memory are settings like the others: a step sets
 * them and a history, the next carries them, one after turns them off,
 * whichever order the steps are shown in; out of a profile's range they
 * are said and left at their defaults. */
static void
test_memory_settings(void **state)
{
	struct fixture *fx = open_talk(
		"# On\nhistory: approve approve reject\nrepeat-penalty: 1.5\n"
		"profile: llama.cpp\ndry-multiplier: 0.8\nmirostat-ent: 3\n---\n"
		"# Carried\ntemp: 0.7\n---\n"
		"# Off\nrepeat-penalty: 1\ndry-multiplier: 0\nhistory:\n---\n"
		"# Too much for vLLM\nprofile: vllm\nrepeat-penalty: 3\n",
		80, 24);
	struct tv_app *a = fx->app;
	static const int order[] = { 0, 1, 2, 1, 0, 2, 0 };

	(void)state;
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		int s = order[i];

		tv_talkmode_goto(a, s);
		render(fx);
		assert_near(a->par.repeat_penalty, s < 2 ? 1.5 : 1, 0);
		assert_near(a->par.dry_multiplier, s < 2 ? 0.8 : 0, 0);
		assert_near(a->par.mirostat_tau, 3, 0);
		assert_near(a->par.mirostat_mu, 6, 0);
		/* The history is acting: approve is pushed down. */
		assert_int_equal(a->d != a->base, s < 2);
		if (s < 2)
			assert_true(tv_base_p(a->d, a->d->rank[0]) <
				    tv_base_p(a->base, a->base->rank[0]));
	}
	/* 3 is out of vLLM's (0, 2]: said, and the dials at their defaults. */
	tv_talkmode_goto(a, 3);
	render(fx);
	assert_near(a->par.repeat_penalty, 1, 0);
	assert_true(find_row(&fx->f, "repeat-penalty") >= 0);
	fixture_close(fx);
}

static void
press(struct tv_app *a, const int *k)
{
	for (; *k; k++)
		tv_app_key(a, *k);
}

static void
test_keys(void **state)
{
	struct fixture *fx = open_talk(script, 80, 24);
	struct tv_app *a = fx->app;

	(void)state;
	press(a, (const int[]){ TV_KEY_RIGHT, 0 });
	assert_step(a, 1);
	press(a, (const int[]){ ' ', TV_KEY_PGDN, 0 });
	assert_step(a, 3);
	press(a, (const int[]){ TV_KEY_RIGHT, 0 });       /* past the end */
	assert_step(a, 3);
	press(a, (const int[]){ TV_KEY_LEFT, TV_KEY_PGUP, 0 });
	assert_step(a, 1);
	press(a, (const int[]){ TV_KEY_END, 0 });
	assert_step(a, 3);
	press(a, (const int[]){ TV_KEY_HOME, 0 });
	assert_step(a, 0);
	/* Digits are a step number here, not a dial value. */
	press(a, (const int[]){ '3', TV_KEY_ENTER, 0 });
	assert_step(a, 2);
	assert_false(a->input.open);
	press(a, (const int[]){ '9', TV_KEY_ENTER, 0 });
	assert_step(a, 2);
	assert_non_null(strstr(a->msg, "no step 9: this talk has steps 1 to 4"));
	/* Keys of the views do nothing to a step's state. */
	press(a, (const int[]){ 'l', 'x', 'p', 'a', 0 });
	press(a, (const int[]){ 'p', 0 });
	assert_step(a, 2);
	press(a, (const int[]){ 'b', 0 });
	render(fx);
	assert_int_equal(find_row(&fx->f, "step"), -1);
	press(a, (const int[]){ 'b', 0 });
	render(fx);
	assert_true(find_row(&fx->f, "step 3/4") > 0);
	/* Esc: the dials are the speaker's; F5: back to the same step. */
	press(a, (const int[]){ TV_KEY_ESC, TV_KEY_RIGHT, TV_KEY_RIGHT, '2',
				TV_KEY_ENTER, TV_KEY_DOWN, TV_KEY_RIGHT, 0 });
	assert_true(tv_talkmode_exploring(a));
	assert_near(a->par.temp, 2, 0);
	assert_int_equal(tv_talkmode_current(a), 2);
	render(fx);
	assert_true(find_row(&fx->f, "F5 returns") > 0);
	press(a, (const int[]){ TV_KEY_F(5), 0 });
	assert_false(tv_talkmode_exploring(a));
	assert_step(a, 2);
	/* q still quits. */
	press(a, (const int[]){ 'q', 0 });
	assert_true(a->quit);
	fixture_close(fx);
}

static void
test_missing_goes_on(void **state)
{
	struct fixture *fx = open_talk("# A\nsource: /nonexistent/x.tsv\n"
				       "---\n# B\nscenario: tie\n---\n# C\n"
				       "source: /nonexistent/x.tsv\n"
				       "view: generate\ngenerate: 5\n", 80, 24);
	struct tv_app *a = fx->app;

	(void)state;
	assert_non_null(strstr(tv_talkmode_notice(a), "source is missing"));
	assert_string_equal(a->src->label, "approve");
	render(fx);
	assert_true(find_row(&fx->f, "source is missing") > 0);
	tv_talkmode_goto(a, 1);
	assert_string_equal(tv_talkmode_notice(a), "");
	assert_string_equal(a->src->label, "tie");
	tv_talkmode_goto(a, 2);
	assert_non_null(strstr(tv_talkmode_notice(a), "source is missing"));
	assert_int_equal(a->view, TV_VIEW_EXPLORE);
	render(fx);
	assert_cells_sound(&fx->f);
	fixture_close(fx);
}

/* Played live, a glide turns T over its seconds, stops while paused,
 * and its step's draws come when it ends; the next step starts at its
 * end. */
static void
test_glide_live(void **state)
{
	static const char text[] = "# G\nview: sample\n"
		"glide: temp 0.5 -> 1.5 over 2s\ndraw: 300\n---\n# After\n";
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1 };
	struct fixture *fx = fixture_open("approve", &o, 0, 80, 24);
	struct tv_app *a = fx->app;
	struct tv_error err;
	struct tv_talk t;

	(void)state;
	assert_int_equal(parse(text, &t, &err), TV_EXIT_OK);
	assert_int_equal(tv_talkmode_start(a, &t, NULL, 1), 0);
	assert_near(a->par.temp, 0.5, 0);
	assert_true(tv_app_animating(a));
	tv_app_tick(a, 1000);
	assert_near(a->par.temp, 1, 1e-12);
	tv_app_key(a, 'p');
	assert_false(tv_app_animating(a));
	tv_app_tick(a, 500);
	assert_near(a->par.temp, 1, 1e-12);
	tv_app_key(a, 'p');
	tv_app_tick(a, 500);
	assert_near(a->par.temp, 1.25, 1e-12);
	assert_int_equal(a->smp.total, 0);
	tv_app_tick(a, 600);
	assert_near(a->par.temp, 1.5, 0);
	assert_int_equal(a->smp.total, 300);
	assert_false(tv_app_animating(a));
	tv_app_key(a, TV_KEY_RIGHT);
	assert_near(a->par.temp, 1.5, 0);
	fixture_close(fx);
}

/* The settings the built-in talks turn, as `tempviz print` would take
 * them: the last value given at or before step i. */
static void
expected_params(const struct tv_talk *t, int i, struct tv_params *p,
		const char **scenario)
{
	tv_params_default(p);
	*scenario = TV_DEFAULT_SCENARIO;
	for (int s = 0; s <= i; s++) {
		const struct tv_talk_step *st = &t->step[s];

		if (st->set[TV_TK_SCENARIO])
			*scenario = st->str[TV_TK_SCENARIO];
		if (st->set[TV_TK_TEMP])
			p->temp = st->num[TV_TK_TEMP];
		if (st->glide)
			p->temp = st->glide_to;
		if (st->set[TV_TK_TOP_K])
			p->top_k = (int)st->num[TV_TK_TOP_K];
		if (st->set[TV_TK_TOP_P])
			p->top_p = st->num[TV_TK_TOP_P];
		if (st->set[TV_TK_SEED])
			p->seed = (uint32_t)st->num[TV_TK_SEED];
	}
}

/* The caption the step must show, each placeholder replaced by the
 * core's number for the step's settings on a freshly loaded scenario. */
static void
expected_caption(const char *text, const char *scenario,
		 const struct tv_params *p, char *buf, size_t cap)
{
	struct tv_source_spec spec = { .scenario = scenario };
	struct tv_source src;
	struct tv_error err;
	struct tv_chain c;
	struct tv_result r;
	const struct tv_stats *s = &r.stats;
	size_t n = 0;

	assert_int_equal(tv_source_load(&spec, &src, &err), TV_EXIT_OK);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_run(&src.pos[0], &c, p, &r);
	for (const char *q = text; q && *q && n + 1 < cap; q++) {
		const char *e = *q == '{' ? strchr(q, '}') : NULL;
		size_t len = e ? (size_t)(e - q - 1) : 0;
		char v[64] = "";
#define IS(w) (len == strlen(w) && !strncmp(q + 1, w, len))

		if (!e) {
			buf[n++] = *q;
			continue;
		}
		if (IS("T"))
			snprintf(v, sizeof v, "%.3g", r.greedy ? 0 : p->temp);
		else if (IS("entropy"))
			snprintf(v, sizeof v, "%.2f", s->entropy_bits);
		else if (IS("top1"))
			snprintf(v, sizeof v, "%.1f%%", 100 * s->top1);
		else if (IS("kept"))
			snprintf(v, sizeof v, "%.0f", s->kept);
		else if (IS("perplexity"))
			snprintf(v, sizeof v, "%.2f", s->perplexity);
		else if (IS("cut"))
			snprintf(v, sizeof v, "%.1f%%", 100 * s->cut_mass);
		else if (IS("top")) {
			size_t tl;
			const char *tok = tv_dist_tok(&src.pos[0],
						      src.pos[0].order[0], &tl);

			while (tl > 1 && *tok == ' ') {
				tok++;
				tl--;
			}
			snprintf(v, sizeof v, "%.*s", (int)tl, tok);
		} else
			fail_msg("placeholder {%.*s} not checked", (int)len,
				 q + 1);
#undef IS
		n += (size_t)snprintf(buf + n, cap - n, "%s", v);
		q = e;
	}
	buf[n] = '\0';
	tv_source_free(&src);
}

/* Every number a built-in caption quotes is the core's (the language
 * model's talk and {dk} aside: they quote no distribution number). */
static void
test_builtin_numbers(void **state)
{
	size_t nb;
	const struct tv_talk_builtin *b = tv_talk_builtins(&nb);
	int checked = 0;

	(void)state;
	for (size_t i = 0; i < nb; i++) {
		struct tv_error err;
		struct tv_talk t, copy;
		struct fixture *fx;

		assert_int_equal(tv_talk_parse(b[i].data, b[i].len, b[i].name,
					       tv_talkmode_view_ok, &t, &err),
				 TV_EXIT_OK);
		if (t.step[0].set[TV_TK_PROMPT] ||
		    t.step[0].set[TV_TK_DK]) {
			tv_talk_free(&t);
			continue;
		}
		assert_int_equal(tv_talk_parse(b[i].data, b[i].len, b[i].name,
					       tv_talkmode_view_ok, &copy,
					       &err), TV_EXIT_OK);
		fx = fixture_open("approve", &(struct tv_ui_opts){
			.color = TV_COLOR_NEVER, .tier = -1 }, 0, 80, 24);
		assert_int_equal(tv_talkmode_start(fx->app, &copy, NULL, 0),
				 0);
		for (int s = 0; s < t.n; s++) {
			char want[4096], got[4096];
			struct tv_params p;
			const char *scenario;

			tv_talkmode_goto(fx->app, s);
			expected_params(&t, s, &p, &scenario);
			assert_near(fx->app->par.temp, p.temp, 0);
			expected_caption(t.step[s].text, scenario, &p, want,
					 sizeof want);
			tv_talkmode_caption(fx->app, got, sizeof got);
			assert_string_equal(got, want);
			assert_string_equal(tv_talkmode_notice(fx->app), "");
			checked += strchr(t.step[s].text, '{') != NULL;
		}
		fixture_close(fx);
		tv_talk_free(&t);
	}
	assert_true(checked >= 20);
}

/* Every built-in talk parses, each step with a title. */
static void
test_builtins_parse(void **state)
{
	size_t nb;
	const struct tv_talk_builtin *b = tv_talk_builtins(&nb);

	(void)state;
	assert_int_equal(nb, 5);
	for (size_t i = 0; i < nb; i++) {
		struct tv_error err;
		struct tv_talk t;

		assert_int_equal(tv_talk_parse(b[i].data, b[i].len, b[i].name,
					       tv_talkmode_view_ok, &t, &err),
				 TV_EXIT_OK);
		assert_true(t.n >= 4);
		for (int s = 0; s < t.n; s++)
			assert_non_null(t.step[s].title);
		tv_talk_free(&t);
	}
}

/* Each field the parser accepts, the player fills. */
static void
test_fields_filled(void **state)
{
	char text[512] = "# F\n", got[512];
	struct fixture *fx;

	(void)state;
	for (int i = 0; tv_talk_fields[i]; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text),
			 "{%s} ", tv_talk_fields[i]);
	fx = open_talk(text, 80, 24);
	tv_talkmode_caption(fx->app, got, sizeof got);
	assert_null(strchr(got, '{'));
	assert_null(strchr(got, '?'));
	fixture_close(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_nul),
		cmocka_unit_test(test_parse_shape),
		cmocka_unit_test(test_state_is_the_script),
		cmocka_unit_test(test_memory_settings),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_missing_goes_on),
		cmocka_unit_test(test_glide_live),
		cmocka_unit_test(test_builtin_numbers),
		cmocka_unit_test(test_builtins_parse),
		cmocka_unit_test(test_fields_filled),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
