/* SPDX-License-Identifier: MIT */
/*
 * The app and its views without a terminal: build an app on a built-in
 * scenario, press keys through tv_app_key, render frames and check the
 * lines a person would read against the core's own numbers.
 */
#include <locale.h>
#include <math.h>

#include "testutil.h"

#include "ui/action.h"
#include "ui/app_internal.h"
#include "ui/term.h"

/* An app on a built-in scenario with seed 42, without colour. */
static struct fixture *
open_scenario(const char *name, int ascii, int w, int h)
{
	struct tv_ui_opts o = { TV_COLOR_NEVER, ascii, -1, TV_VIEW_EXPLORE,
				 TV_THEME_AUTO };

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
	static const int reset[] = { '0', 0 };

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
	static const int k[] = { '4', 'p', 0 };

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
	struct tv_ui_opts o = { TV_COLOR_NEVER, 0, -1, TV_VIEW_EXPLORE,
				 TV_THEME_AUTO };
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
	struct tv_source src = { 3, d, label };
	struct tv_params p;
	struct tv_chain c;
	struct tv_ui_opts o = { TV_COLOR_NEVER, 0, -1, TV_VIEW_EXPLORE,
				 TV_THEME_AUTO };
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

/* Within any one view, a key means one action. */
static void
test_no_key_conflicts(void **state)
{
	int v, input, i, j;

	(void)state;
	for (input = 0; input < 2; input++)
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
		cmocka_unit_test(test_too_small_notice),
		cmocka_unit_test(test_hostile_tokens_stay_safe),
		cmocka_unit_test(test_chosen_token_marked),
		cmocka_unit_test(test_no_key_conflicts),
		cmocka_unit_test(test_markdown_table),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
