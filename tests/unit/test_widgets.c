/* SPDX-License-Identifier: MIT */
#include <math.h>

#include "testutil.h"

#include "ui/app_internal.h"

#include "ui/frame.h"
#include "ui/glyph.h"
#include "ui/theme.h"
#include "ui/widgets.h"

static const struct tv_style plain = { TV_DEFAULT, TV_DEFAULT, 0 };

static void
assert_txt(const struct tv_frame *f, const char *want)
{
	char *got = frame_text(f, TV_FMT_TXT);

	assert_string_equal(got, want);
	free(got);
}

static struct tv_look
look(enum tv_tier tier, int utf8)
{
	return (struct tv_look){ tier, tv_glyphs(utf8), TV_BG_DARK };
}

static void
bar(struct tv_frame *f, int y, int w, const struct tv_look *lk, double v,
    double ghost)
{
	struct tv_bar b = { .value = v, .ghost = ghost };

	tv_w_bar(f, (struct tv_rect){ 0, y, w, 1 }, lk, &b);
}

static void
test_bar_eighths(void **state)
{
	struct tv_look u = look(TV_TIER_256, 1), a = look(TV_TIER_256, 0);
	struct tv_frame f;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 6, 8), 0);
	bar(&f, 0, 4, &u, 0.5, -1);     /* 16 of 32 eighths */
	bar(&f, 1, 4, &u, 0.3, -1);     /* 9.6 -> 10: one cell and 2/8 */
	bar(&f, 2, 4, &u, 0.001, -1);   /* tiny, but never invisible */
	bar(&f, 3, 4, &u, 0.0, -1);
	bar(&f, 4, 4, &u, 1.7, -1);     /* clamped */
	bar(&f, 5, 4, &a, 0.3, -1);
	bar(&f, 6, 4, &a, 0.45, -1);    /* 14.4 -> 14: one cell and 6/8 */
	bar(&f, 7, 4, &u, NAN, -1);
	assert_txt(&f, "██\n█▎\n▏\n\n████\n#-\n#+\n\n");
	assert_int_equal(tv_frame_at(&f, 0, 0)->st.fg, 75);
	tv_frame_free(&f);
}

static void
test_bar_ghost_cut(void **state)
{
	struct tv_look u = look(TV_TIER_256, 1), m = look(TV_TIER_MONO, 0);
	struct tv_frame f;
	struct tv_bar cut = { .value = 0.3, .ghost = -1, .cut = 1 };

	(void)state;
	assert_int_equal(tv_frame_init(&f, 4, 4), 0);
	bar(&f, 0, 4, &u, 0.25, 0.75);  /* ghost in an empty cell */
	bar(&f, 1, 4, &u, 0.75, 0.25);  /* ghost over the fill */
	tv_w_bar(&f, (struct tv_rect){ 0, 2, 4, 1 }, &u, &cut);
	tv_w_bar(&f, (struct tv_rect){ 0, 3, 4, 1 }, &m, &cut);
	assert_txt(&f, "█ │\n│██\n█▎\n::\n");
	assert_int_equal(tv_frame_at(&f, 2, 0)->st.fg, 250);
	assert_int_equal(tv_frame_at(&f, 2, 0)->st.bg, TV_DEFAULT);
	assert_int_equal(tv_frame_at(&f, 0, 1)->st.fg, 250);
	assert_int_equal(tv_frame_at(&f, 0, 1)->st.bg, 75);
	assert_int_equal(tv_frame_at(&f, 0, 2)->st.fg, 238);
	assert_int_equal(tv_frame_at(&f, 0, 3)->st.attr, TV_A_DIM);
	tv_frame_free(&f);
}

static void
test_gauge(void **state)
{
	struct tv_look u = look(TV_TIER_256, 1), a = look(TV_TIER_MONO, 0);
	struct tv_frame f;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 12, 4), 0);
	f.utf8 = 1;
	tv_w_gauge(&f, (struct tv_rect){ 0, 0, 12, 1 }, &u, "H", 0.5, 1.0,
		   "50%", TV_ROLE_GAUGE);
	tv_w_gauge(&f, (struct tv_rect){ 0, 1, 12, 1 }, &a, "H", 2.5, 10.0,
		   "2.5", TV_ROLE_GAUGE);
	tv_w_gauge(&f, (struct tv_rect){ 0, 2, 6, 1 }, &u, NULL, 0.01, 1.0,
		   NULL, TV_ROLE_GAUGE);
	tv_w_gauge(&f, (struct tv_rect){ 0, 3, 5, 1 }, &u, "entropy", 1.0,
		   1.0, NULL, TV_ROLE_GAUGE);
	assert_txt(&f, "H ■■■□□□ 50%\nH ##.... 2.5\n■□□□□□\nentr…\n");
	assert_int_equal(tv_frame_at(&f, 2, 0)->st.fg, 114);
	assert_int_equal(tv_frame_at(&f, 5, 0)->st.fg, 238);
	tv_frame_free(&f);
}

static void
test_dial(void **state)
{
	struct tv_look u = look(TV_TIER_256, 1), a = look(TV_TIER_8, 0);
	struct tv_frame f;
	struct tv_dial lin = { .name = "top-p", .text = "0.50", .value = 0.5,
			       .lo = 0.0, .hi = 1.0, .focus = 1 };
	struct tv_dial lg = { .name = "T", .text = "3.00", .value = 3.0,
			      .lo = 0.1, .hi = 10.0, .log = 1 };
	struct tv_dial off = { .name = "top-k", .text = "off", .hi = 100.0,
			       .off = 1 };

	(void)state;
	assert_int_equal(tv_frame_init(&f, 13, 4), 0);
	tv_w_dial(&f, (struct tv_rect){ 0, 0, 13, 2 }, &u, &lin);
	tv_w_dial(&f, (struct tv_rect){ 0, 2, 13, 1 }, &a, &lg);
	tv_w_dial(&f, (struct tv_rect){ 0, 3, 13, 1 }, &a, &off);
	assert_txt(&f, "▶ top-p  0.50\n  ─────●─────\n"
		       "  T 3.00 --o-\n  top-k off -\n");
	assert_int_equal(tv_frame_at(&f, 2, 0)->st.bg, 214);
	assert_int_equal(tv_frame_at(&f, 7, 1)->st.bg, 214);
	assert_int_equal(tv_frame_at(&f, 4, 2)->st.fg, 3);
	assert_int_equal(tv_frame_at(&f, 2, 3)->st.attr, TV_A_DIM);
	tv_frame_free(&f);
}

static void
test_plot_braille(void **state)
{
	struct tv_look u = look(TV_TIER_256, 1);
	static const double x[] = { 0.0, 1.0 }, y[] = { 0.0, 1.0 };
	struct tv_series s = { x, y, 2, TV_ROLE_PLOT_ENTROPY };
	struct tv_plot p = {
		.series = &s, .nseries = 1, .xmin = 0, .xmax = 1, .ymin = 0,
		.ymax = 1, .playhead = NAN, .mark_x = NAN, .mark_y = NAN,
	};
	struct tv_frame f;
	struct tv_rect d;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 2, 1), 0);
	d = tv_w_plot(&f, (struct tv_rect){ 0, 0, 2, 1 }, &u, &p);
	assert_int_equal(d.w, 2);
	/* Dots rise one row per dot column: bottom-left to top-right. */
	assert_txt(&f, "⡠⠊\n");
	assert_int_equal(tv_frame_at(&f, 0, 0)->st.fg, 81);
	/* A steep step is joined by a vertical run of dots. */
	{
		static const double sy[] = { 0.0, 0.0, 1.0, 1.0 };
		struct tv_series st = { NULL, sy, 4, TV_ROLE_PLOT_TOP1 };

		p.series = &st;
		p.xmax = 3;
		tv_w_plot(&f, (struct tv_rect){ 0, 0, 1, 1 }, &u, &p);
		assert_txt(&f, "⡸⠊\n");
	}
	tv_frame_free(&f);
}

static void
test_plot_labels_playhead(void **state)
{
	struct tv_look u = look(TV_TIER_256, 1);
	static const double y[] = { 0.0, 2.0, 4.0, 6.0, 8.0 };
	struct tv_series s = { NULL, y, 5, TV_ROLE_PLOT_KEPT };
	struct tv_plot p = {
		.series = &s, .nseries = 1, .xmin = 0, .xmax = 4, .ymin = 0,
		.ymax = 8, .labels = 1, .yfmt = "%.0f", .xfmt = "%.0f",
		.playhead = 2.0, .mark_x = 4.0, .mark_y = 8.0,
		.mode = TV_PLOT_BLOCK,
	};
	struct tv_frame f;
	struct tv_rect d;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 7, 3), 0);
	d = tv_w_plot(&f, (struct tv_rect){ 0, 0, 7, 3 }, &u, &p);
	assert_int_equal(d.x, 2);
	assert_int_equal(d.y, 0);
	assert_int_equal(d.w, 5);
	assert_int_equal(d.h, 2);
	assert_txt(&f, "8│  ▁▄●\n0│▂▅│\n └0   4\n");
	/* The playhead crosses the curve in its own colour. */
	assert_int_equal(tv_frame_at(&f, 4, 1)->st.fg, 203);
	assert_int_equal(tv_frame_at(&f, 4, 0)->st.fg, 203);
	assert_int_equal(tv_frame_at(&f, 3, 1)->st.fg, 156);
	assert_int_equal(tv_frame_at(&f, 6, 0)->st.fg, 231);
	tv_frame_free(&f);
}

static void
test_plot_ascii_mono(void **state)
{
	struct tv_look a = look(TV_TIER_256, 0), m = look(TV_TIER_MONO, 0);
	static const double y1[] = { 0.0, 1.0 }, y2[] = { 1.0, 0.0 };
	struct tv_series s[2] = {
		{ NULL, y1, 2, TV_ROLE_PLOT_ENTROPY },
		{ NULL, y2, 2, TV_ROLE_PLOT_TOP1 },
	};
	struct tv_plot p = {
		.series = s, .nseries = 1, .xmin = 0, .xmax = 1, .ymin = 0,
		.ymax = 1, .playhead = NAN, .mark_x = NAN, .mark_y = NAN,
		.mode = TV_PLOT_BRAILLE,
	};
	struct tv_frame f;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 4, 3), 0);
	/* ASCII: three heights a cell, braille falls back. */
	tv_w_plot(&f, (struct tv_rect){ 0, 0, 2, 1 }, &a, &p);
	/* Mono with two series: each series keeps its own mark. */
	p.nseries = 2;
	tv_w_plot(&f, (struct tv_rect){ 0, 1, 4, 2 }, &m, &p);
	assert_txt(&f, ".'\n++**\n**++\n");
	tv_frame_free(&f);
}

static void
test_labels(void **state)
{
	struct tv_frame f;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 10, 3), 0);
	tv_w_label_right(&f, 0, 0, 10, "xyz", plain);
	tv_w_label(&f, 0, 1, 4, "abcdef", plain);
	f.utf8 = 1;
	tv_w_label(&f, 0, 2, 4, "abcdef", plain);
	assert_txt(&f, "       xyz\nabc~\nabc…\n");
	tv_frame_free(&f);
}

static void
test_hist(void **state)
{
	struct tv_look u = look(TV_TIER_256, 1);
	static const double emp[] = { 0.5, 0.25 }, th[] = { 0.25, 0.5 };
	struct tv_frame f;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 5, 2), 0);
	tv_w_hist(&f, (struct tv_rect){ 0, 0, 4, 2 }, &u, emp, th, 2, 1.0);
	assert_txt(&f, "┊█\n█┊\n");
	/* The theory mark sits in the cell where the theory bar ends. */
	assert_int_equal(tv_frame_at(&f, 0, 0)->st.fg, 214);
	assert_int_equal(tv_frame_at(&f, 0, 0)->st.bg, 75);
	assert_int_equal(tv_frame_at(&f, 1, 1)->st.fg, 214);
	assert_int_equal(tv_frame_at(&f, 1, 1)->st.bg, TV_DEFAULT);
	tv_frame_free(&f);
}

static void
test_wrap(void **state)
{
	struct tv_frame f;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 10, 6), 0);
	assert_int_equal(tv_w_text(&f, (struct tv_rect){ 0, 0, 9, 2 },
				   "the quick brown  fox", plain), 2);
	assert_int_equal(tv_w_text(&f, (struct tv_rect){ 0, 2, 4, 2 },
				   "abcdefghij", plain), 3);
	assert_int_equal(tv_w_text(&f, (struct tv_rect){ 0, 4, 10, 2 },
				   "a\n\nb 漢字漢字漢", plain), 4);
	assert_int_equal(tv_w_text(&f, (struct tv_rect){ 0, 0, 5, 1 },
				   "", plain), 0);
	assert_txt(&f, "the quick\nbrown fox\nabcd\nefgh\na\n\n");
	tv_frame_free(&f);
}

static void
test_ansi_of_widgets(void **state)
{
	struct tv_look u = look(TV_TIER_256, 1);
	struct tv_frame f;
	char *s;

	(void)state;
	assert_int_equal(tv_frame_init(&f, 3, 1), 0);
	bar(&f, 0, 3, &u, 0.5, -1);
	s = frame_text(&f, TV_FMT_ANSI);
	assert_string_equal(s, "\033[38;5;75m█▌\033[0m\n");
	free(s);
	tv_frame_free(&f);
}

#define ACUTE "\xcc\x81"

static const char *const shapes[] = {
	"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe4\xb8\xad",
	"\xff", "\xe2\x82", ACUTE, "x" ACUTE ACUTE ACUTE, "\xe4\xb8\xad" ACUTE,
	" ", "ab cd",
};
#define N_SHAPES (sizeof shapes / sizeof shapes[0])

/* Cells outside r still hold the '.' they were filled with. */
static void
assert_outside_kept(const struct tv_frame *f, struct tv_rect r)
{
	for (int y = 0; y < f->h; y++)
		for (int x = 0; x < f->w; x++)
			if (x < r.x || x >= r.x + r.w || y < r.y ||
			    y >= r.y + r.h)
				assert_string_equal(f->cells[y * f->w + x].ch,
						    ".");
}

/* Labels and wrapped text of every shape at every width: a label never
 * takes more than its columns, wrapped text never leaves its rectangle
 * (a wide character that does not fit is not drawn half), and every
 * cell stays whole. */
static void
test_text_every_width(void **state)
{
	struct tv_frame f;
	char s[128];

	(void)state;
	assert_int_equal(tv_frame_init(&f, 16, 8), 0);
	f.utf8 = 1;
	for (size_t i = 0; i < N_SHAPES; i++) {
		for (size_t j = 0; j < N_SHAPES; j++) {
			snprintf(s, sizeof s, "%s%s%s%s %s", shapes[i],
				 shapes[j], shapes[i], shapes[j], shapes[i]);
			for (int w = 0; w <= 14; w++) {
				struct tv_rect r = { 1, 1, w, 6 };
				int used;

				tv_frame_fill(&f, (struct tv_rect){ 0, 0, 16,
								   8 },
					      ".", plain);
				used = tv_w_label(&f, 1, 0, w, s, plain);
				assert_true(used <= w);
				tv_w_text(&f, r, s, plain);
				assert_outside_kept(&f, (struct tv_rect){
					1, 0, w, 7 });
				assert_cells_sound(&f);
			}
		}
	}
	tv_frame_free(&f);
}

/* The header's prompt (issue 12: a run of "é" froze the app) at every
 * width, for every shape: the render returns, the prompt is quoted, and
 * its end, which matters most, is shown. */
static void
test_prompt_every_width(void **state)
{
	static const char *const prompts[] = {
		"\xc3\xa9", "\xe4\xb8\xad", "x" ACUTE ACUTE ACUTE, "\xe2\x82\xac",
		"\xf0\x9f\x98\x80", "a\xc3\xa9", "\xc3\xa9 ", "\\xFF",
	};

	(void)state;
	for (size_t i = 0; i < sizeof prompts / sizeof prompts[0]; i++) {
		char buf[2048] = "# prompt: ";
		struct tv_source src;
		struct tv_error err;
		struct tv_params p;
		struct tv_chain c;
		struct tv_ui_opts o = { .color = TV_COLOR_NEVER,
					.tier = TV_TIER_MONO,
					.view = TV_VIEW_EXPLORE };
		struct tv_app *a;
		struct tv_frame f;

		for (int k = 0; k < 200; k++)
			strcat(buf, prompts[i]);
		strcat(buf, "END\na\t1\nb\t0\n");
		assert_int_equal(tv_source_load_buffer("p.tsv", buf,
						       strlen(buf), NULL,
						       &src, &err), 0);
		tv_params_default(&p);
		tv_chain_default(&c, TV_PROFILE_HF);
		for (int ascii = 0; ascii <= 1; ascii++) {
			o.ascii = ascii;
			a = tv_app_new(&src, &p, &c, &o);
			assert_non_null(a);
			assert_int_equal(tv_frame_init(&f, 1, 20), 0);
			for (int w = 1; w <= 220; w++) {
				char row[4096];

				assert_int_equal(tv_frame_resize(&f, w, 20), 0);
				tv_app_render(a, &f);
				assert_cells_sound(&f);
				row_text(&f, 0, row, sizeof row);
				if (strchr(row, '"'))
					assert_non_null(strstr(row, "END\""));
			}
			tv_frame_free(&f);
			tv_app_free(a);
		}
		tv_source_free(&src);
	}
}

/* A token column squeezed below nothing gets nothing, not the whole
 * token (a negative width means no limit to tv_safe_text). */
static void
test_token_clip(void **state)
{
	struct fixture *fx = fixture_open("approve", &(struct tv_ui_opts){
		.color = TV_COLOR_NEVER, .tier = TV_TIER_MONO,
		.view = TV_VIEW_EXPLORE }, 1, 80, 24);
	char buf[64];

	(void)state;
	for (int w = -3; w <= 12; w++) {
		int used = tv_app_token(fx->app, 0, buf, sizeof buf, w);

		assert_true(used <= (w > 0 ? w : 0));
		assert_int_equal(tv_str_width(buf), used);
	}
	fixture_close(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_every_width),
		cmocka_unit_test(test_prompt_every_width),
		cmocka_unit_test(test_token_clip),
		cmocka_unit_test(test_bar_eighths),
		cmocka_unit_test(test_bar_ghost_cut),
		cmocka_unit_test(test_gauge),
		cmocka_unit_test(test_dial),
		cmocka_unit_test(test_plot_braille),
		cmocka_unit_test(test_plot_labels_playhead),
		cmocka_unit_test(test_plot_ascii_mono),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_ansi_of_widgets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
