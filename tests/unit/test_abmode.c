/* SPDX-License-Identifier: MIT */
/*
 * The A/B split's state through keys (each pane keeps its own dials, the
 * copy, the close), the provider ranges (every shape of --range accepted
 * and refused, keys held inside), and the big digits' widths.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/abmode.h"
#include "ui/trange.h"
#include "ui/widgets.h"

#include "testutil.h"

static struct fixture *
open_app(const struct tv_ui_opts *o)
{
	struct tv_ui_opts dflt = { .view = TV_VIEW_EXPLORE, .tier = 2 };

	return fixture_open("approve", o ? o : &dflt, 0, 100, 30);
}

static void
press(struct fixture *fx, const char *keys)
{
	char err[128];

	assert_int_equal(tv_app_press(fx->app, keys, err, sizeof err), 0);
	render(fx);
}

/* B's dials move B only; switching back shows A as it was; the copy makes
 * them equal again; closing returns the dials to A. */
static void
panes_keep_their_dials(void **state)
{
	struct fixture *fx = open_app(NULL);
	struct tv_ab_pane pa, pb;
	struct tv_compare c;

	(void)state;
	press(fx, "v");
	assert_true(tv_ab_on(fx->app));
	tv_ab_panes(fx->app, &pa, &pb, &c);
	assert_true(pa.active && !pb.active);
	assert_near(c.tv, 0, 1e-12);
	press(fx, "o<Right><Right><Right>");
	tv_ab_panes(fx->app, &pa, &pb, &c);
	assert_true(pb.active);
	assert_near(pa.par->temp, 1, 0);
	assert_near(pb.par->temp, 1.3, 1e-12);
	assert_true(c.tv > 0 && !c.kl_inf);
	press(fx, "o");
	assert_near(fx->app->par.temp, 1, 0);
	press(fx, "oC");
	tv_ab_panes(fx->app, &pa, &pb, &c);
	assert_near(pb.par->temp, 1, 0);
	assert_near(c.kl_bits, 0, 1e-12);
	/* Closed while B had the dials: they turn A again. */
	press(fx, "<Right>v");
	assert_false(tv_ab_on(fx->app));
	assert_near(fx->app->par.temp, 1, 0);
	fixture_close(fx);
}

/* Each pane has its own samplers with memory on the one history: B's
 * repetition penalty turned to 1.4 leaves A's at 1.5, each pane's
 * numbers are what print gives for its own (story, history "little young
 * girl little": man leads A at 6.1058%, little leads B at 6.1176%), and
 * the distance is taken token by token across the two distributions. */
static void
panes_keep_their_memory(void **state)
{
	struct tv_ui_opts o = { .view = TV_VIEW_EXPLORE, .tier = 2 };
	struct fixture *fx = fixture_open("story", &o, 0, 100, 30);
	struct tv_app *a = fx->app;
	struct tv_ab_pane pa, pb;
	struct tv_compare c;

	(void)state;
	assert_int_equal(tv_app_history(a, "little young girl little"), 0);
	a->par.repeat_penalty = 1.5;
	tv_app_changed(a, TV_CHG_PARAMS);
	press(fx, "vo");
	a->par.repeat_penalty = 1.4;
	tv_app_changed(a, TV_CHG_PARAMS);
	render(fx);
	tv_ab_panes(a, &pa, &pb, &c);
	assert_true(pb.active);
	assert_near(pa.par->repeat_penalty, 1.5, 0);
	assert_true(pa.d != pb.d);
	assert_int_equal(pa.d->order[0], 3);
	assert_near(tv_result_p(pa.d, pa.res, 0), 0.061058, 5e-7);
	assert_int_equal(pb.d->order[0], 0);
	assert_near(tv_result_p(pb.d, pb.res, 0), 0.061176, 5e-7);
	/* The rows follow the dials' pane; A's "little" is its third. */
	assert_int_equal(tv_ab_pos(a, &pa, 0), 2);
	assert_int_equal(tv_ab_pos(a, &pb, 0), 0);
	assert_true(c.tv > 0.005 && !c.kl_inf);
	assert_true(find_row(&fx->f, "repeat 1.50") > 0);
	/* Take it home names the pane its lines are for. */
	assert_int_equal(tv_ab_pane_name(a), 'B');
	press(fx, "o");
	assert_int_equal(tv_ab_pane_name(a), 'A');
	press(fx, "o");
	/* Back to the same setting: one distribution, no distance. */
	a->par.repeat_penalty = 1.5;
	tv_app_changed(a, TV_CHG_PARAMS);
	render(fx);
	tv_ab_panes(a, &pa, &pb, &c);
	assert_near(c.tv, 0, 1e-12);
	assert_near(c.kl_bits, 0, 1e-12);
	fixture_close(fx);
}

/* Without a split, switch and copy say how to split instead. */
static void
switch_without_split(void **state)
{
	struct fixture *fx = open_app(NULL);

	(void)state;
	press(fx, "o");
	assert_false(tv_ab_on(fx->app));
	assert_non_null(strstr(fx->app->msg, "v splits"));
	fixture_close(fx);
}

static void
range_shapes(void **state)
{
	static const char *const bad[] = {
		"", "-", "1", "0-", "-2", "2-1", "1-1", "0-101", "a-b", "0-2x",
		"0--2", " 0-2", "-1-2", "0-nan", "0-inf", "OpenAI", "anthropic",
	};
	struct tv_trange r;
	char text[48];

	(void)state;
	assert_int_equal(tv_trange_parse("0-2", &r), 0);
	assert_near(r.lo, 0, 0);
	assert_near(r.hi, 2, 0);
	assert_null(r.name);
	assert_int_equal(tv_trange_parse("0.5-1.5", &r), 0);
	assert_near(r.lo, 0.5, 0);
	assert_near(r.hi, 1.5, 0);
	assert_int_equal(tv_trange_parse("openai", &r), 0);
	assert_near(r.hi, 2, 0);
	tv_trange_text(&r, text, sizeof text);
	assert_string_equal(text, "0 to 2 (openai)");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(tv_trange_parse(bad[i], &r), -1);
	}
}

/* Every key that moves T stays inside the range: steps, ends, presets,
 * typed values (refused, not clamped). */
static void
range_holds_the_dial(void **state)
{
	struct tv_ui_opts o = { .view = TV_VIEW_EXPLORE, .tier = 2 };
	struct fixture *fx;

	(void)state;
	assert_int_equal(tv_trange_parse("0.5-1", &o.range), 0);
	fx = open_app(&o);
	press(fx, "<End>");
	assert_near(fx->app->par.temp, 1, 0);
	press(fx, "<PgUp>");
	assert_near(fx->app->par.temp, 1, 0);
	assert_non_null(strstr(fx->app->msg, "0.5 to 1"));
	press(fx, "<Home>");
	assert_near(fx->app->par.temp, 0.5, 0);
	press(fx, "<Left>");
	assert_near(fx->app->par.temp, 0.5, 0);
	press(fx, "!");
	assert_near(fx->app->par.temp, 0.5, 0);
	press(fx, "$");
	assert_near(fx->app->par.temp, 1, 0);
	press(fx, "=3<Enter>");
	assert_true(fx->app->input.open);
	assert_near(fx->app->par.temp, 1, 0);
	fixture_close(fx);
}

/* 3 columns a character, 1 for '.', 1 between; twice as wide at scale 2;
 * nothing drawn when it does not fit. */
static void
big_widths(void **state)
{
	struct tv_frame f;
	struct tv_look lk = { .tier = TV_TIER_MONO, .g = tv_glyphs(0) };

	(void)state;
	assert_int_equal(tv_w_big_width("T=0.70", 1), 21);
	assert_int_equal(tv_w_big_width("T=0.70", 2), 42);
	assert_int_equal(tv_w_big_width("1", 1), 3);
	assert_int_equal(tv_frame_init(&f, 30, 10), 0);
	assert_int_equal(tv_w_big(&f, 0, 0, 20, "T=0.70", 1, &lk,
				  tv_look_style(&lk, TV_ROLE_TEXT)), 0);
	assert_int_equal(tv_w_big(&f, 0, 0, 30, "T=0.70", 1, &lk,
				  tv_look_style(&lk, TV_ROLE_TEXT)), 21);
	assert_string_equal(tv_frame_at(&f, 0, 0)->ch, "#");
	assert_string_equal(tv_frame_at(&f, 0, 1)->ch, " ");
	assert_string_equal(tv_frame_at(&f, 1, 4)->ch, "#");
	tv_frame_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(panes_keep_their_dials),
		cmocka_unit_test(panes_keep_their_memory),
		cmocka_unit_test(switch_without_split),
		cmocka_unit_test(range_shapes),
		cmocka_unit_test(range_holds_the_dial),
		cmocka_unit_test(big_widths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
