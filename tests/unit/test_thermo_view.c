/* SPDX-License-Identifier: MIT */
/*
 * The thermo and attention views rendered into frames without a
 * terminal: their readouts against the core's own numbers, the ladder's
 * order, population inversion, quench and anneal, particle counts, the
 * attention demo's entropies, every colour tier and glyph set, and
 * byte-stable frames for a seed.
 */
#include <locale.h>
#include <math.h>

#include "testutil.h"

#include "tempviz/thermo.h"
#include "ui/action.h"
#include "ui/app_internal.h"

static const int sizes[][2] = { { 80, 24 }, { 120, 40 } };

/* An app on "approve" with seed 7, in every colour (or the tier given). */
static struct fixture *
open_view(enum tv_view v, int ascii, int tier, int w, int h)
{
	struct tv_ui_opts o = { .color = TV_COLOR_ALWAYS, .ascii = ascii, .tier = tier,
				.view = v };

	return fixture_open("approve", &o, 7, w, h);
}

static void
resize(struct fixture *fx, int w, int h)
{
	assert_int_equal(tv_frame_resize(&fx->f, w, h), 0);
}

/* The first percentage on row y (a ladder row's exact population). */
static double
row_pct(const struct tv_frame *f, int y)
{
	char line[4096], *pc;

	row_text(f, y, line, sizeof line);
	pc = strchr(line, '%');
	assert_non_null(pc);
	while (pc > line && (pc[-1] == '.' || (pc[-1] >= '0' &&
						pc[-1] <= '9')))
		pc--;
	return strtod(pc, NULL);
}

static void
assert_shows(const struct fixture *fx, const char *s)
{
	if (find_row(&fx->f, s) < 0) {
		print_error("\"%s\" is not on screen\n", s);
		fail();
	}
}

static void
act(struct fixture *fx, enum tv_ui_action a)
{
	assert_int_equal(tv_app_apply(fx->app, a), 1);
}

static void
run_ms(struct fixture *fx, double ms)
{
	for (; ms > 0; ms -= 33)
		tv_app_tick(fx->app, 33);
}

static void
core_at(const struct fixture *fx, double t, struct tv_thermo *th)
{
	assert_int_equal(tv_thermo_at(fx->app->d, t, th), 0);
}

/* Z, <E>, S, F and C as the core computes them, at both sizes. */
static void
test_readouts_match_core(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);
	struct tv_thermo th;
	char buf[64];
	size_t i;

	(void)state;
	core_at(fx, 1.0, &th);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		resize(fx, sizes[i][0], sizes[i][1]);
		render(fx);
		snprintf(buf, sizeof buf, "%.4f", th.z);
		assert_shows(fx, buf);
		snprintf(buf, sizeof buf, "%.4f", th.u);
		assert_shows(fx, buf);
		snprintf(buf, sizeof buf, "%.4f nats", th.s_nats);
		assert_shows(fx, buf);
		snprintf(buf, sizeof buf, "%.4f bits", th.s_bits);
		assert_shows(fx, buf);
		snprintf(buf, sizeof buf, "%.4f", th.f);
		assert_shows(fx, buf);
		snprintf(buf, sizeof buf, "%.4f", th.c);
		assert_shows(fx, buf);
		snprintf(buf, sizeof buf, "%.4g tokens", th.perplexity);
		assert_shows(fx, buf);
		assert_shows(fx, "5800 K");
		assert_shows(fx, "Each particle is one independent sample");
	}
	fixture_close(fx);
}

/* S in bits is the explore view's entropy, and the screen says so. */
static void
test_entropy_is_explores(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);
	struct tv_thermo th;
	char buf[64];

	(void)state;
	tv_app_set_temp(fx->app, 0.7);
	core_at(fx, 0.7, &th);
	render(fx);
	snprintf(buf, sizeof buf, "%.4f bits", fx->app->res.stats.entropy_bits);
	assert_shows(fx, buf);
	snprintf(buf, sizeof buf, "%.4f bits", th.s_bits);
	assert_shows(fx, buf);
	assert_shows(fx, "= the explore view's entropy");
	assert_shows(fx, "4060 K");
	fx->app->view = TV_VIEW_EXPLORE;
	render(fx);
	snprintf(buf, sizeof buf, "%.2f of", th.s_bits);
	assert_shows(fx, buf);
	fixture_close(fx);
}

/* A sampler's cut makes the explore entropy a different number, and the
 * thermo view then says what it is instead of claiming equality. */
static void
test_entropy_after_cuts(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);
	char buf[64];

	(void)state;
	fx->app->par.top_k = 3;
	tv_app_changed(fx->app, TV_CHG_PARAMS);
	render(fx);
	assert_int_equal(find_row(&fx->f, "= the explore view's entropy"), -1);
	snprintf(buf, sizeof buf, "explore, cut %.4f bits",
		 fx->app->res.stats.entropy_bits);
	assert_shows(fx, buf);
	fixture_close(fx);
}

/* The ground state at the bottom, energy rising upwards, in rank and in
 * to-scale mode. */
static void
test_ladder_order(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);
	size_t i;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++) {
		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			int g, r, c;

			resize(fx, sizes[i][0], sizes[i][1]);
			render(fx);
			g = row_starting(&fx->f, "approve");
			r = row_starting(&fx->f, "reject");
			c = row_starting(&fx->f, "close");
			assert_true(g > 0 && r > 0 && c > 0);
			assert_true(g > r && r > c);
			assert_true(row_pct(&fx->f, g) > row_pct(&fx->f, r));
		}
		act(fx, TV_UI_LEVEL_AXIS);
	}
	fixture_close(fx);
}

/* Inversion: beta sweeps through 0, the largest population moves to the
 * least likely token, the explore view's T stays as it was; leaving
 * returns to T > 0. */
static void
test_inversion(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);
	static const char *const toks[] = {
		"approve", "reject", "review", "escalate", "delay", "audit",
		"optimize", "notify", "assign", "close",
	};
	struct tv_thermo th;
	double best = -1;
	const char *top = NULL;
	char buf[64];
	size_t i;

	(void)state;
	render(fx);
	act(fx, TV_UI_INVERT);
	assert_true(tv_app_animating(fx->app));
	run_ms(fx, 4000);
	render(fx);
	assert_shows(fx, "population inversion (hotter than infinity)");
	assert_shows(fx, "laser");
	assert_shows(fx, "T = -1.00");
	for (i = 0; i < sizeof toks / sizeof toks[0]; i++) {
		double p = row_pct(&fx->f, row_starting(&fx->f, toks[i]));

		if (p > best) {
			best = p;
			top = toks[i];
		}
	}
	assert_string_equal(top, "close");
	assert_true(fx->app->par.temp == 1.0);
	core_at(fx, -1.0, &th);
	snprintf(buf, sizeof buf, "%.4f nats", th.s_nats);
	assert_shows(fx, buf);
	snprintf(buf, sizeof buf, "%.4f", th.f);
	assert_shows(fx, buf);
	act(fx, TV_UI_INVERT);
	run_ms(fx, 4000);
	render(fx);
	assert_int_equal(find_row(&fx->f, "population inversion"), -1);
	assert_shows(fx, "T = 1.00");
	fixture_close(fx);
}

/* The header's temperature, row 0 after the title. */
static void
header_text(const struct fixture *fx, char *buf, size_t cap)
{
	row_text(&fx->f, 0, buf, cap);
}

static void
assert_header(const struct fixture *fx, const char *want)
{
	char line[1024];

	header_text(fx, line, sizeof line);
	if (!strstr(line, want))
		fail_msg("header \"%s\" lacks \"%s\"", line, want);
}

/* The view's S readout is the core's at temperature t. */
static void
assert_entropy_at(const struct fixture *fx, double t)
{
	struct tv_thermo th;
	char buf[64];

	core_at(fx, t, &th);
	snprintf(buf, sizeof buf, "%.4f nats", th.s_nats);
	assert_shows(fx, buf);
}

/* One temperature while inverted: the header, the view's T line and its
 * numbers say T = -dial, the dial keeps turning it (keys, typed values,
 * Home, heating past infinity, a turn during the sweep), i returns, and
 * leaving the view ends the inversion, so no view shows another T than
 * the header. */
static void
test_inversion_one_temperature(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);
	struct tv_app *a = fx->app;
	double t;

	(void)state;
	act(fx, TV_UI_INVERT);
	run_ms(fx, 4000);
	render(fx);
	assert_header(fx, "T -1 inverted");
	assert_shows(fx, "T = -1.00");
	assert_shows(fx, "i returns to T > 0");
	tv_app_key(a, TV_KEY_RIGHT);
	render(fx);
	assert_true(a->par.temp == 1.1);
	assert_header(fx, "T -1.1 inverted");
	assert_shows(fx, "T = -1.10");
	assert_entropy_at(fx, -1.1);
	tv_app_key(a, '2');
	tv_app_key(a, TV_KEY_ENTER);
	render(fx);
	assert_header(fx, "T -2 inverted");
	assert_shows(fx, "T = -2.00");
	assert_entropy_at(fx, -2.0);
	/* Help over the view keeps it, and the header with it. */
	tv_app_key(a, '?');
	render(fx);
	assert_header(fx, "T -2 inverted");
	tv_app_key(a, '?');
	render(fx);
	assert_shows(fx, "T = -2.00");
	tv_app_key(a, TV_KEY_HOME);
	render(fx);
	assert_header(fx, "T -0 inverted");
	assert_shows(fx, "T = -0: frozen at the argmin");
	tv_app_set_temp(a, 1.0);
	act(fx, TV_UI_HEAT);
	run_ms(fx, 1500);
	t = a->par.temp;
	assert_true(t < 1.0 && t > 0.05);
	render(fx);
	assert_entropy_at(fx, -t);
	act(fx, TV_UI_HEAT);
	/* i returns through infinity to the dial's T. */
	act(fx, TV_UI_INVERT);
	run_ms(fx, 4000);
	render(fx);
	assert_int_equal(find_row(&fx->f, "population inversion"), -1);
	assert_entropy_at(fx, t);
	assert_non_null(strstr(a->msg, "back through T = infinity"));
	/* A turn of the dial during the sweep moves where it ends. */
	tv_app_set_temp(a, 1.0);
	act(fx, TV_UI_INVERT);
	run_ms(fx, 1000);
	render(fx);
	assert_header(fx, "sweeping");
	tv_app_key(a, TV_KEY_RIGHT);
	run_ms(fx, 4000);
	render(fx);
	assert_shows(fx, "T = -1.10");
	assert_header(fx, "T -1.1 inverted");
	/* Leaving ends it: explore and the header say T 1.1, and so does
	 * the thermo view on return. */
	tv_app_key(a, TV_KEY_TAB);
	render(fx);
	assert_header(fx, "T 1.1 natural");
	assert_non_null(strstr(a->msg, "inversion ends"));
	tv_app_key(a, TV_KEY_BTAB);
	render(fx);
	assert_header(fx, "T 1.1 natural");
	assert_shows(fx, "T = 1.10");
	assert_entropy_at(fx, 1.1);
	fixture_close(fx);
}

/* Quench drops the dial to 0.05 at once and the particles fall to the
 * ground; anneal lowers T over time and stops at 0.05. */
static void
test_quench_anneal_heat(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);
	double t;

	(void)state;
	render(fx);
	act(fx, TV_UI_QUENCH);
	assert_true(fx->app->par.temp == 0.05);
	run_ms(fx, 5000);
	render(fx);
	assert_shows(fx, "T = 0.050");
	assert_shows(fx, "TV distance 0.00");
	tv_app_set_temp(fx->app, 1.0);
	act(fx, TV_UI_ANNEAL);
	run_ms(fx, 1000);
	t = fx->app->par.temp;
	assert_true(t < 1.0 && t > 0.05);
	run_ms(fx, 20000);
	assert_true(fx->app->par.temp == 0.05);
	act(fx, TV_UI_HEAT);
	run_ms(fx, 1000);
	assert_true(fx->app->par.temp > 0.05);
	act(fx, TV_UI_HEAT);
	t = fx->app->par.temp;
	run_ms(fx, 1000);
	assert_true(fx->app->par.temp == t);
	fixture_close(fx);
}

static void
test_particles_and_keys(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);

	(void)state;
	render(fx);
	assert_shows(fx, "N 300 (uniform)");
	act(fx, TV_UI_PARTICLES_MORE);
	render(fx);
	assert_shows(fx, "N 500 (uniform)");
	act(fx, TV_UI_PARTICLES_LESS);
	act(fx, TV_UI_PARTICLES_LESS);
	render(fx);
	assert_shows(fx, "N 200 (uniform)");
	act(fx, TV_UI_PROPOSAL);
	render(fx);
	assert_shows(fx, "(neighbour)");
	act(fx, TV_UI_PROPOSAL);
	render(fx);
	assert_shows(fx, "(heat bath)");
	act(fx, TV_UI_PAUSE);
	render(fx);
	assert_shows(fx, "paused");
	assert_false(tv_app_animating(fx->app));
	fixture_close(fx);
}

/* The melting point is the core's heat-capacity peak. */
static void
test_melting_point(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 120, 40);
	struct tv_dos dos;
	double tp, cm;
	char buf[64];

	(void)state;
	render(fx);
	assert_int_equal(tv_dos_build(&dos, fx->app->d), 0);
	assert_int_equal(tv_dos_c_peak(&dos, TV_CURVE_T_LO, TV_CURVE_T_HI,
				       &tp, &cm), 0);
	tv_dos_free(&dos);
	snprintf(buf, sizeof buf, "T %.3f, C %.3f", tp, cm);
	assert_shows(fx, buf);
	assert_shows(fx, "melting point");
	fixture_close(fx);
}

/* T = 0 is greedy: frozen, black, no playhead; the explore view's
 * greedy entropy is named as such. */
static void
test_greedy(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_MONO, 80, 24);

	(void)state;
	tv_app_set_temp(fx->app, 0);
	render(fx);
	assert_shows(fx, "T = 0: greedy, frozen (0 K)");
	assert_shows(fx, "no glow");
	assert_shows(fx, "explore, T=0 0.0000 bits");
	assert_true(row_pct(&fx->f, row_starting(&fx->f, "approve")) == 100.0);
	fixture_close(fx);
}

/* Equal logits have C = 0 at every T: no melting point is claimed. */
static void
test_no_false_peak(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_THERMO, 0, TV_TIER_256, 80, 24);
	struct tv_source src;
	struct tv_source_spec spec = { .scenario = "uniform" };
	struct tv_error err;
	const struct tv_source *old = fx->app->src;

	(void)state;
	assert_int_equal(tv_source_load(&spec, &src, &err), TV_EXIT_OK);
	fx->app->src = &src;
	tv_app_set_dist(fx->app, &src.pos[0]);
	render(fx);
	assert_shows(fx, "3.0000 bits");
	assert_int_equal(find_row(&fx->f, "melting"), -1);
	fx->app->src = old;
	tv_app_set_dist(fx->app, &old->pos[0]);
	render(fx);
	assert_shows(fx, "melting");
	tv_source_free(&src);
	fixture_close(fx);
}

/* Two apps with one seed draw the same bytes; so does a re-render. */
static void
test_deterministic(void **state)
{
	enum tv_view v[] = { TV_VIEW_THERMO, TV_VIEW_ATTENTION };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct fixture *a = open_view(v[i], 0, TV_TIER_256, 80, 24);
		struct fixture *b = open_view(v[i], 0, TV_TIER_256, 80, 24);

		char *sa, *sb;

		render(a);
		render(b);
		sa = frame_text(&a->f, TV_FMT_ANSI);
		sb = frame_text(&b->f, TV_FMT_ANSI);
		assert_string_equal(sa, sb);
		free(sa);
		render(a);
		sa = frame_text(&a->f, TV_FMT_ANSI);
		assert_string_equal(sa, sb);
		free(sa);
		free(sb);
		fixture_close(a);
		fixture_close(b);
	}
}

/* Every tier and glyph set renders; ASCII frames hold ASCII only, and
 * the glow is a swatch in colour and a word in monochrome. */
static void
test_tiers_and_glyphs(void **state)
{
	enum tv_view v[] = { TV_VIEW_THERMO, TV_VIEW_ATTENTION };
	int tier, ascii;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++)
		for (tier = TV_TIER_256; tier <= TV_TIER_MONO; tier++)
			for (ascii = 0; ascii < 2; ascii++) {
				struct fixture *fx = open_view(v[i], ascii,
							       tier, 80, 24);
				int c;

				render(fx);
				if (ascii || !fx->app->look.g->utf8)
					for (c = 0; c < 80 * 24; c++)
						assert_true((unsigned char)
							    fx->f.cells[c].ch[0]
							    < 0x80);
				if (v[i] == TV_VIEW_THERMO)
					assert_shows(fx, "white, sunlight");
				fixture_close(fx);
			}
}

/* The attention demo: unscaled entropy collapses at d_k = 1024 while the
 * scaled one stays; the take-away is printed. */
static double
stat_value(const struct fixture *fx, const char *label, int col)
{
	char line[4096], *p;
	int y = find_row(&fx->f, label), i;

	assert_true(y >= 0);
	row_text(&fx->f, y, line, sizeof line);
	p = strstr(line, label) + strlen(label);
	for (i = 0; i < col; i++)
		p = strstr(p, "bits") + 4;
	return strtod(p, NULL);
}

static void
test_attention(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_ATTENTION, 0, TV_TIER_256, 80,
				       24);
	struct tv_attn at;
	struct tv_attn_row rows[3];
	char buf[64];
	size_t i;

	(void)state;
	render(fx);
	assert_shows(fx, "d_k = 64");
	act(fx, TV_UI_DK_UP);
	act(fx, TV_UI_DK_UP);
	act(fx, TV_UI_DK_UP);
	assert_non_null(strstr(fx->app->msg, "1024"));
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		resize(fx, sizes[i][0], sizes[i][1]);
		render(fx);
		assert_shows(fx, "d_k = 1024");
		assert_true(stat_value(fx, "entropy", 0) <
			    stat_value(fx, "entropy", 1));
		assert_shows(fx, "Without 1/sqrt(d_k) the attention freezes "
			     "(T too low) as d_k grows;");
		assert_shows(fx, "the entropy stays put.");
	}
	assert_int_equal(tv_attn_roll(&at, 12, 1024, 7), 0);
	tv_attn_rows(&at, 1.0, rows);
	snprintf(buf, sizeof buf, "%.2f bits", rows[1].h_bits);
	assert_shows(fx, buf);
	snprintf(buf, sizeof buf, "%.3f", rows[0].trace_j);
	assert_shows(fx, buf);
	act(fx, TV_UI_REROLL);
	render(fx);
	assert_shows(fx, "seed 8");
	act(fx, TV_UI_DK_DOWN);
	render(fx);
	assert_shows(fx, "d_k = 256");
	fixture_close(fx);
}

/* The attention row at the dial's T follows the dial. */
static void
test_attention_user_t(void **state)
{
	struct fixture *fx = open_view(TV_VIEW_ATTENTION, 0, TV_TIER_256, 80,
				       24);
	struct tv_attn at;
	struct tv_attn_row row;
	char buf[64];

	(void)state;
	tv_app_set_temp(fx->app, 8.0);
	render(fx);
	assert_shows(fx, "at the T dial");
	assert_shows(fx, "T = 8");
	assert_int_equal(tv_attn_roll(&at, 12, 64, 7), 0);
	tv_attn_row(&at, 8.0, &row);
	snprintf(buf, sizeof buf, "%.2f bits", row.h_bits);
	assert_shows(fx, buf);
	fixture_close(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readouts_match_core),
		cmocka_unit_test(test_entropy_is_explores),
		cmocka_unit_test(test_entropy_after_cuts),
		cmocka_unit_test(test_ladder_order),
		cmocka_unit_test(test_inversion),
		cmocka_unit_test(test_inversion_one_temperature),
		cmocka_unit_test(test_quench_anneal_heat),
		cmocka_unit_test(test_particles_and_keys),
		cmocka_unit_test(test_melting_point),
		cmocka_unit_test(test_greedy),
		cmocka_unit_test(test_no_false_peak),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_tiers_and_glyphs),
		cmocka_unit_test(test_attention),
		cmocka_unit_test(test_attention_user_t),
	};

	/* UTF-8 glyphs where the system has the locale; ASCII otherwise. */
	setlocale(LC_ALL, "C.UTF-8");
	setlocale(LC_NUMERIC, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
