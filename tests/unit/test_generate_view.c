/* SPDX-License-Identifier: MIT */
/*
 * Generate mode without a terminal or a real model: a fake model of seven
 * words whose next word is nearly fixed (a -> b -> c -> a, dog -> a word
 * of hostile bytes), put under an app; keys through tv_app_key, frames
 * read back as text, and the state checked against what the keys must
 * have done.
 */
#include <locale.h>
#include <math.h>
#include <unistd.h>

#include "testgen.h"

#include "lm/gen.h"
#include "lm/model.h"
#include "ui/action.h"
#include "ui/genmode.h"
#include "ui/term.h"

enum { W_BOS, W_EOS, W_A, W_B, W_C, W_DOG, W_RED, N_WORDS };

static const char *const words[N_WORDS] = {
	"<s>", "</s>", "a", "b", "c", "dog", "\x1b[31mred",
};

/* The likely next word after each word; the one after that is second. */
static const int succ[N_WORDS] = {
	W_A, W_A, W_B, W_C, W_A, W_RED, W_EOS,
};

static const char *
word_at(void *ctx, uint32_t i)
{
	(void)ctx;
	return words[i];
}

/* ln p, normalised: the successor e^(2 + id/2) times as likely as the
 * rest (e^3 after a, so each context has a shape of its own), the word
 * after it e^1 times; <s> never. */
static int
fake_logits(struct tv_model *m, const int32_t *ctx, size_t n, float *out,
	    double *raw_sum, struct tv_error *err)
{
	int last = n > 0 && ctx[n - 1] >= 0 ? ctx[n - 1] : W_DOG;
	double z = 0;
	uint32_t w;

	(void)err;
	for (w = 0; w < m->vocab; w++) {
		double s = (int)w == succ[last] ? 2 + 0.5 * last
			   : (int)w == succ[succ[last]] ? 1 : 0;

		out[w] = (float)s;
		if (w != W_BOS)
			z += exp(s);
	}
	for (w = 0; w < m->vocab; w++)
		out[w] = w == W_BOS ? -INFINITY : (float)(out[w] - log(z));
	if (raw_sum)
		*raw_sum = 1;
	return 0;
}

static void
fake_free(struct tv_model *m)
{
	free(m);
}

static const struct tv_model_ops fake_ops = {
	.logits = fake_logits,
	.free = fake_free,
};

static struct tv_model *
fake_model(void)
{
	struct tv_model *m = calloc(1, sizeof *m);
	struct tv_error err;

	assert_non_null(m);
	m->ops = &fake_ops;
	m->name = strdup("fake.lm");
	m->path = strdup("fake.lm");
	m->vocab = N_WORDS;
	m->order = 3;
	m->bos = W_BOS;
	m->eos = W_EOS;
	assert_int_equal(tv_model_set_words(m, word_at, NULL, &err), 0);
	return m;
}

static struct lmfix *
open_lm(const char *prompt, int w, int h, int ascii)
{
	return lmfix_open(fake_model(), prompt, w, h, ascii);
}

static int
setup(void **state)
{
	*state = open_lm("a", 80, 24, 0);
	return 0;
}

static int
teardown(void **state)
{
	lmfix_close(*state);
	return 0;
}

/* The word the app's distribution puts first. */
static const char *
top_word(const struct lmfix *lf)
{
	size_t len;
	static char buf[32];
	const char *s = tv_dist_tok(lf->a->d, lf->a->d->order[0], &len);

	snprintf(buf, sizeof buf, "%.*s", (int)len, s);
	return buf;
}

static int32_t
word(const struct lmfix *lf, size_t i)
{
	return tv_gen_at(main_text(lf), i)->word;
}

static void
test_lm_is_the_source(void **state)
{
	struct lmfix *lf = *state;

	assert_int_equal(lf->a->d->n, N_WORDS);
	assert_string_equal(top_word(lf), "b");
	/* b: e^3 over e^3 + e^1 + four words at e^0 (<s> never). */
	assert_near(lf->a->res.stats.top1, exp(3) / (exp(3) + exp(1) + 4),
		    1e-6);
	lf->a->view = TV_VIEW_EXPLORE;
	press(lf, "");
	assert_int_equal(find_row(&lf->fx->f, "fake.lm"), 0);
	assert_true(find_row(&lf->fx->f, " b ") > 0);
	assert_int_equal(find_row(&lf->fx->f, " generate"), 23);
}

static void
test_step_undo_restart(void **state)
{
	struct lmfix *lf = *state;
	int32_t first[8];
	size_t i;

	tv_app_set_temp(lf->a, 0);
	press(lf, "<Space>");
	assert_int_equal(tv_gen_len(main_text(lf)), 1);
	assert_int_equal(word(lf, 0), W_B);
	assert_string_equal(top_word(lf), "c");
	press(lf, "u");
	assert_int_equal(tv_gen_len(main_text(lf)), 0);
	assert_string_equal(top_word(lf), "b");
	press(lf, "<Backspace>");
	assert_int_equal(tv_gen_len(main_text(lf)), 0);
	assert_true(strstr(lf->a->msg, "nothing to undo") != NULL);

	/* T = 1 draws: the same seed writes the same words again. */
	tv_app_set_temp(lf->a, 1);
	press(lf, "<Space><Space><Space><Space><Space><Space><Space><Space>");
	for (i = 0; i < 8; i++)
		first[i] = word(lf, i);
	press(lf, "c");
	assert_int_equal(tv_gen_len(main_text(lf)), 0);
	press(lf, "<Space><Space><Space><Space><Space><Space><Space><Space>");
	for (i = 0; i < 8; i++)
		assert_int_equal(word(lf, i), first[i]);
	press(lf, "r");
	assert_int_equal(lf->a->seed, 43);
	assert_int_equal(find_row(&lf->fx->f, "seed 43"), 0);
	assert_int_equal(tv_gen_len(main_text(lf)), 0);
	assert_true(find_row(&lf->fx->f, "bits/word  seed 43") > 0);
}

static void
test_greedy_loop_marked(void **state)
{
	struct lmfix *lf = *state;
	char line[512];
	int y;

	tv_app_set_temp(lf->a, 0);
	press(lf, "<Space><Space><Space><Space><Space><Space><Space><Space>");
	/* a | b c a b c a b c: period 3 from the first b. */
	assert_int_equal(tv_gen_loop(main_text(lf)), 3);
	assert_true(find_row(&lf->fx->f, "loop of 3 words") > 0);
	y = find_row(&lf->fx->f, " a b c a b c a b c");
	assert_true(y > 0);
	row_text(&lf->fx->f, y, line, sizeof line);
	/* The first round is text; the rounds that repeat it underlined. */
	assert_false(lf->fx->f.cells[y * 80 + 3].st.attr & TV_A_UNDERLINE);
	assert_false(lf->fx->f.cells[y * 80 + 7].st.attr & TV_A_UNDERLINE);
	assert_true(lf->fx->f.cells[y * 80 + 9].st.attr & TV_A_UNDERLINE);
	assert_true(lf->fx->f.cells[y * 80 + 17].st.attr & TV_A_UNDERLINE);
}

static void
test_dial_moves_next_bars(void **state)
{
	struct lmfix *lf = *state;
	double before;
	char want[64];

	press(lf, "<Space>");
	before = lf->a->res.stats.top1;
	press(lf, "<Right>");
	assert_near(lf->a->par.temp, 1.1, 1e-12);
	assert_true(lf->a->res.stats.top1 < before);
	assert_int_equal(tv_gen_len(main_text(lf)), 1);
	press(lf, "<Home>");
	assert_near(lf->a->res.stats.top1, 1, 0);
	assert_true(find_row(&lf->fx->f, "100%") > 0);
	/* The word drawn at T = 1, as the generator recorded it. */
	snprintf(want, sizeof want, "last: %s  p %.0f%%  rank %u",
		 words[word(lf, 0)], tv_gen_at(main_text(lf), 0)->p * 100,
		 tv_gen_at(main_text(lf), 0)->rank);
	assert_true(find_row(&lf->fx->f, want) > 0);
	press(lf, "<Space>");
	assert_true(find_row(&lf->fx->f, "p 100%  rank 1") > 0);
}

static void
test_run_is_paced(void **state)
{
	struct lmfix *lf = *state;

	assert_false(tv_app_animating(lf->a));
	press(lf, "<Enter>");
	assert_true(tv_app_animating(lf->a));
	tv_app_tick(lf->a, 1);
	assert_int_equal(tv_gen_len(main_text(lf)), 1);
	tv_app_tick(lf->a, TV_GEN_PACE_MS - 1);
	assert_int_equal(tv_gen_len(main_text(lf)), 1);
	tv_app_tick(lf->a, 1);
	assert_int_equal(tv_gen_len(main_text(lf)), 2);
	/* One word per tick however late the tick comes. */
	tv_app_tick(lf->a, 10 * TV_GEN_PACE_MS);
	assert_int_equal(tv_gen_len(main_text(lf)), 3);
	lf->a->view = TV_VIEW_EXPLORE;
	assert_false(tv_app_animating(lf->a));
	lf->a->view = TV_VIEW_GENERATE;
	render(lf->fx);
	assert_true(find_row(&lf->fx->f, "running") > 0);
	press(lf, "<Enter>");
	assert_false(tv_app_animating(lf->a));
	assert_true(find_row(&lf->fx->f, "paused") > 0);
}

static void
test_prompt_editor(void **state)
{
	struct lmfix *lf = *state;
	struct tv_genmode *gm = tv_genmode(lf->a);

	press(lf, "<Space>/");
	assert_true(gm->editing);
	assert_int_equal(find_row(&lf->fx->f, "prompt a "), 23);
	/* Keys are text here: q does not quit, Space does not step. */
	press(lf, "<Ctrl-u>b q");
	assert_false(lf->a->quit);
	assert_string_equal(gm->prompt, "b q");
	assert_string_equal(tv_gen_unknown(main_text(lf)), "q");
	assert_int_equal(tv_gen_len(main_text(lf)), 0);
	assert_int_equal(find_row(&lf->fx->f, "red: not in the model"), 23);
	/* An unknown word cuts the context: the fake's unigram is next. */
	assert_string_equal(top_word(lf), words[W_RED]);
	press(lf, "<Backspace>");
	assert_string_equal(gm->prompt, "b ");
	assert_string_equal(top_word(lf), "c");
	press(lf, "dog<Ctrl-w>");
	assert_string_equal(gm->prompt, "b ");
	press(lf, "<Esc>");
	assert_false(gm->editing);
	assert_string_equal(gm->prompt, "a");
	assert_string_equal(top_word(lf), "b");
	press(lf, "/<Tab>");
	assert_string_equal(gm->prompt, tv_genmode_prompts[0]);
	press(lf, "<Enter>");
	assert_false(gm->editing);
	assert_string_equal(gm->prompt, tv_genmode_prompts[0]);
	press(lf, "s");
	assert_string_equal(gm->prompt, tv_genmode_prompts[1]);
}

static void
test_lanes(void **state)
{
	struct lmfix *lf = *state;
	static const int32_t greedy[] = { W_B, W_C, W_A, W_B, W_C, W_A };
	struct tv_genmode *gm = tv_genmode(lf->a);
	size_t i;

	tv_app_set_temp(lf->a, 0.7);
	press(lf, "<Space><Space>L");
	assert_true(gm->lanes);
	for (i = 0; i < TV_LANES; i++)
		assert_int_equal(tv_gen_len(gm->lane[i]), 2);
	press(lf, "<Space><Space><Space><Space>");
	for (i = 0; i < TV_LANES; i++)
		assert_int_equal(tv_gen_len(gm->lane[i]), 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(tv_gen_at(gm->lane[TV_LANE_GREEDY], i)->word,
				 greedy[i]);
	assert_true(find_row(&lf->fx->f, "T = 0 greedy") > 0);
	assert_true(find_row(&lf->fx->f, "T = 0.7 natural (dial)") > 0);
	assert_true(find_row(&lf->fx->f, "T = 2 hot") > 0);
	assert_true(find_row(&lf->fx->f, "loop of 3 words") > 0);
	assert_true(find_row(&lf->fx->f, "bits/word") > 0);
	press(lf, "u");
	for (i = 0; i < TV_LANES; i++)
		assert_int_equal(tv_gen_len(gm->lane[i]), 5);
	press(lf, "H");
	assert_near(gm->hot, 3, 0);
	assert_int_equal(tv_gen_len(gm->lane[TV_LANE_HOT]), 5);
	assert_true(find_row(&lf->fx->f, "T = 3 hot") > 0);
	press(lf, "c");
	for (i = 0; i < TV_LANES; i++)
		assert_int_equal(tv_gen_len(gm->lane[i]), 0);
	/* Hidden, the side lanes wait; an undo of the main text's extra
	 * word leaves them as they were. */
	press(lf, "<Space><Space>L<Space>u");
	assert_int_equal(tv_gen_len(main_text(lf)), 2);
	assert_int_equal(tv_gen_len(gm->lane[TV_LANE_GREEDY]), 2);
	assert_int_equal(tv_gen_len(gm->lane[TV_LANE_HOT]), 2);
}

static void
test_chosen_lanes(void **state)
{
	static const double t[3] = { 0.3, 1.5, 5 };
	struct lmfix *lf = *state;
	struct tv_genmode *gm = tv_genmode(lf->a);

	press(lf, "<Space>");
	assert_int_equal(tv_app_lanes(lf->a, t), 0);
	assert_true(gm->lanes);
	assert_near(lf->a->par.temp, 1.5, 0);
	assert_near(tv_genmode_lane_temp(lf->a, TV_LANE_GREEDY), 0.3, 0);
	assert_near(tv_genmode_lane_temp(lf->a, TV_LANE_HOT), 5, 0);
	assert_int_equal(tv_gen_len(gm->lane[TV_LANE_GREEDY]), 1);
	press(lf, "");
	assert_true(find_row(&lf->fx->f, "T = 0.3 cool") > 0);
	assert_true(find_row(&lf->fx->f, "T = 1.5 warm (dial)") > 0);
	assert_true(find_row(&lf->fx->f, "T = 5 molten") > 0);
}

static void
test_ranks_on_demand(void **state)
{
	struct lmfix *lf = *state;

	tv_app_set_temp(lf->a, 0);
	press(lf, "<Space><Space>");
	assert_int_equal(find_row(&lf->fx->f, "b(1)"), -1);
	press(lf, "R");
	assert_true(find_row(&lf->fx->f, " a b(1) c(1)") > 0);
}

/* Views that cache what they draw of a distribution follow the text:
 * the model's next word changes in place, at the same address. */
static void
test_thermo_follows_the_text(void **state)
{
	struct lmfix *lf = *state, *fresh = open_lm("a b c", 80, 24, 0);
	char *got, *want;

	tv_app_set_temp(lf->a, 0);
	tv_app_set_temp(fresh->a, 0);
	lf->a->view = TV_VIEW_THERMO;
	press(lf, "");
	lf->a->view = TV_VIEW_GENERATE;
	press(lf, "<Space><Space>");
	assert_int_equal(word(lf, 1), W_C);
	lf->a->view = TV_VIEW_THERMO;
	fresh->a->view = TV_VIEW_THERMO;
	press(lf, "");
	press(fresh, "");
	got = frame_text(&lf->fx->f, TV_FMT_TXT);
	want = frame_text(&fresh->fx->f, TV_FMT_TXT);
	/* Below the header, whose prompt is the text as written. */
	assert_string_equal(strchr(got, '\n'), strchr(want, '\n'));
	free(got);
	free(want);
	lmfix_close(fresh);
}

static void
test_hostile_word_stays_safe(void **state)
{
	struct lmfix *lf = open_lm("dog", 80, 24, 0);
	int x, y;

	(void)state;
	tv_app_set_temp(lf->a, 0);
	press(lf, "<Space>");
	assert_int_equal(word(lf, 0), W_RED);
	for (y = 0; y < lf->fx->f.h; y++)
		for (x = 0; x < lf->fx->f.w; x++) {
			const unsigned char *ch = (const unsigned char *)
				lf->fx->f.cells[y * lf->fx->f.w + x].ch;

			assert_true(ch[0] == 0 || (ch[0] >= 0x20 &&
						   ch[0] != 0x7f));
		}
	assert_int_equal(find_row(&lf->fx->f, "dog \\x1B[31mred   "),
			 find_row(&lf->fx->f, "next word"));
	lmfix_close(lf);
}

/* Debian's trigram, when installed: the three lanes of one prompt read
 * as determinism, sense and salad (../shared/reference/lm.md). */
static void
test_debian_lanes(void **state)
{
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_GENERATE };
	struct tv_model *m;
	struct tv_error err;
	struct fixture *fx;
	struct tv_genmode *gm;
	char why[160], keys[256] = "L";
	double bits[TV_LANES];
	int i;

	(void)state;
	if (access(TV_LM_DEBIAN_PATH, R_OK) != 0 ||
	    tv_model_open(TV_LM_DEBIAN_PATH, &m, &err) != TV_EXIT_OK) {
		print_message("skipped: %s is not installed\n",
			      TV_LM_DEBIAN_PATH);
		skip();
	}
	fx = fixture_open("approve", &o, 1, 120, 40);
	assert_int_equal(tv_app_use_model(fx->app, m, "once upon a", why,
					  sizeof why), 0);
	tv_app_set_temp(fx->app, 0.7);
	for (i = 0; i < 30; i++)
		strcat(keys, "<Space>");
	assert_int_equal(tv_app_press(fx->app, keys, why, sizeof why), 0);
	gm = tv_genmode(fx->app);
	for (i = 0; i < TV_LANES; i++) {
		assert_int_equal(tv_gen_len(gm->lane[i]), 30);
		bits[i] = tv_gen_bits_per_word(gm->lane[i]);
	}
	/* Greedy: "time when i was in the world . i don't know what i
	 * mean" and round again. */
	assert_int_equal(tv_gen_at(gm->lane[TV_LANE_GREEDY], 0)->word,
			 tv_model_find(m, "time"));
	assert_int_equal(tv_gen_loop(gm->lane[TV_LANE_GREEDY]), 6);
	assert_true(bits[TV_LANE_GREEDY] < bits[TV_LANE_DIAL]);
	assert_true(bits[TV_LANE_DIAL] < bits[TV_LANE_HOT]);
	assert_true(bits[TV_LANE_HOT] > 12);
	render(fx);
	assert_true(find_row(&fx->f, "loop of 6 words") > 0);
	fixture_close(fx);
	tv_model_free(m);
}

static void
test_without_a_model(void **state)
{
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_GENERATE };
	struct fixture *fx = fixture_open("approve", &o, 42, 80, 24);
	int i;

	(void)state;
	render(fx);
	assert_true(find_row(&fx->f, "writes text with a language") > 0);
	assert_int_equal(find_row(&fx->f, "attention   generate"), -1);
	tv_app_key(fx->app, '/');
	assert_true(strstr(fx->app->msg, "no language model") != NULL);
	assert_int_equal(tv_app_lanes(fx->app, (double[3]){ 0, 1, 2 }), -1);
	fx->app->view = TV_VIEW_EXPLORE;
	for (i = 0; i < TV_VIEW__COUNT; i++) {
		tv_app_key(fx->app, TV_KEY_TAB);
		assert_int_not_equal(fx->app->view, TV_VIEW_GENERATE);
	}
	fixture_close(fx);
}

static void
test_every_size(void **state)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 60, 18 },
					{ 200, 60 }, { 30, 8 }, { 1, 1 } };
	int ascii, s, lanes;

	(void)state;
	for (ascii = 0; ascii < 2; ascii++)
		for (s = 0; s < 6; s++)
			for (lanes = 0; lanes < 2; lanes++) {
				struct lmfix *lf = open_lm("a b", sizes[s][0],
							   sizes[s][1], ascii);

				press(lf, lanes ? "LR<Space><Space>/zz"
				      : "R<Space><Space>/zz");
				lmfix_close(lf);
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lm_is_the_source, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_step_undo_restart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_greedy_loop_marked, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dial_moves_next_bars,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_is_paced, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_prompt_editor, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lanes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chosen_lanes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ranks_on_demand, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_thermo_follows_the_text,
						setup, teardown),
		cmocka_unit_test(test_hostile_word_stays_safe),
		cmocka_unit_test(test_debian_lanes),
		cmocka_unit_test(test_without_a_model),
		cmocka_unit_test(test_every_size),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
