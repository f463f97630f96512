/* SPDX-License-Identifier: MIT */
/*
 * The generate view's samplers with memory, branches and beams without a
 * terminal, on the bigram by table (fakelm.h) under an app: keys through
 * tv_app_press, frames read back as text and cells, the state checked
 * against what the keys must have done. Then branch mode on a listed
 * model that answers asynchronously.
 */
#include <locale.h>

#include "testgen.h"

#include "fakelm.h"
#include "lm/gen.h"
#include "lm/tree.h"
#include "tempviz/history.h"
#include "ui/action.h"
#include "ui/gendraw.h"
#include "ui/genmode.h"

static struct lmfix *
open_on(struct tv_model *m, const char *prompt)
{
	struct lmfix *lf = lmfix_open(m, prompt, 80, 24, 0);

	tv_app_set_temp(lf->a, 0);
	return lf;
}

static int
setup(void **state)
{
	*state = open_on(fake_table(), "a");
	return 0;
}

static int
teardown(void **state)
{
	lmfix_close(*state);
	return 0;
}

static struct tv_genmode *
gm_of(const struct lmfix *lf)
{
	return tv_genmode(lf->a);
}

/* The words of the main text as letters ("babc." for b a b c </s>). */
static const char *
spell(const struct tv_gen *g)
{
	static char buf[64];
	size_t i;

	for (i = 0; i < tv_gen_len(g) && i + 1 < sizeof buf; i++) {
		int32_t w = tv_gen_at(g, i)->word;

		buf[i] = w == F_EOS ? '.' : (char)('a' + w - F_A);
	}
	buf[i] = '\0';
	return buf;
}

static void
penalties_on(struct lmfix *lf, double repeat)
{
	lf->a->par.repeat_penalty = repeat;
	tv_app_changed(lf->a, TV_CHG_PARAMS);
}

/* HF's repetition penalty 2: at word 3 (after c) b, seen at word 1, went
 * from ln .1 to 2 ln .1; the panel says so and the text reverses that
 * earlier b, not the c after it. */
static void
pushed_down_and_why(void **state)
{
	struct lmfix *lf = *state;
	const struct tv_frame *f = &lf->fx->f;
	int y;

	penalties_on(lf, 2);
	press(lf, "<Space><Space><Space>");
	assert_string_equal(spell(main_text(lf)), "bc.");
	assert_true(find_row(f, "pushed down at \".\" (word 3)") > 0);
	y = find_row(f, "-2.30" "\xe2\x86\x92" "-4.61");
	assert_true(y > 0);
	assert_true(find_row(f, "10%\xe2\x86\x92" "1.1%") == y);
	assert_true(find_row(f, "2\xe2\x86\x92" "2") == y);
	assert_true(find_row(f, "seen 1\xc3\x97 before; 1 marked") > y);
	y = find_row(f, " a b c.");
	assert_true(y > 0);
	/* " a b c.": the prompt at column 1, b at 3, c at 5. */
	assert_true(f->cells[y * f->w + 3].st.attr & TV_A_REVERSE);
	assert_false(f->cells[y * f->w + 5].st.attr & TV_A_REVERSE);
	assert_false(f->cells[y * f->w + 1].st.attr & TV_A_REVERSE);
	/* Every mark is set: from the step shown on, none is a cause,
	 * whatever the buffer held (the text reads them all). */
	{
		unsigned char mark[TV_GEN_MAX_WORDS];

		memset(mark, 0xff, sizeof mark);
		assert_non_null(tv_gen_mark_causes(main_text(lf), 2, 0, mark,
						   sizeof mark));
		assert_int_equal(mark[0], 1);
		for (size_t j = 1; j < sizeof mark; j++)
			assert_int_equal(mark[j], 0);
	}
	/* With no penalties the panel goes. */
	penalties_on(lf, 1);
	press(lf, "c<Space><Space>");
	assert_int_equal(find_row(f, "pushed down"), -1);
}

/* At every width the moves' numbers are whole or their column is gone:
 * wide, logit, p and rank; narrower, the logits make room; never a
 * number cut short. */
static void
moves_fit_every_width(void **state)
{
	int logits_from = 0, narrow_at = 0;

	(void)state;
	for (int w = 40; w <= 200; w++) {
		struct lmfix *lf = lmfix_open(fake_table(), "a", w, 24, 0);
		const struct tv_frame *f = &lf->fx->f;
		char row[1024];
		int y;

		tv_app_set_temp(lf->a, 0);
		penalties_on(lf, 2);
		press(lf, "<Space><Space><Space>");
		y = find_row(f, "10%\xe2\x86\x92" "1.1%");
		if (w >= 80)
			assert_true(y > 0);
		if (y > 0) {
			row_text(f, y, row, sizeof row);
			assert_null(strstr(row, "\xe2\x80\xa6"));
			assert_non_null(strstr(row, " 2\xe2\x86\x92" "2"));
			if (strstr(row, "-2.30\xe2\x86\x92" "-4.61"))
				logits_from = logits_from ? logits_from : w;
			else
				assert_int_equal(logits_from, 0);
			narrow_at = narrow_at ? narrow_at : w;
		}
		lmfix_close(lf);
	}
	/* Narrow the panel is there without the logits; once there, they
	 * stay at every wider width. */
	assert_true(narrow_at > 0 && narrow_at < logits_from);
	assert_true(logits_from <= 100);
}

/* A branch undone to before the word it changed keeps its place in the
 * tree by name, not as a second first text. */
static void
undone_branch_keeps_its_name(void **state)
{
	struct lmfix *lf = *state;
	char row[256];
	int y;

	/* A branch at word 3, then two words undone on it. */
	press(lf, "<Space><Space><Space><Space>b<Left><Down><Enter><Esc>");
	press(lf, "uub");
	y = find_row(&lf->fx->f, "(undone)");
	assert_true(y > 0);
	row_text(&lf->fx->f, y, row, sizeof row);
	assert_non_null(strstr(row, "@3 (undone)"));
	y = find_row(&lf->fx->f, "the first text");
	assert_true(y > 0);
	assert_int_equal(find_row(&lf->fx->f, "the first text"), y);
	/* Only one row is the first text. */
	for (int k = y + 1; k < lf->fx->f.h; k++) {
		row_text(&lf->fx->f, k, row, sizeof row);
		assert_null(strstr(row, "the first text"));
	}
}

/* In branch mode the keys that work everywhere still do (help opens and
 * returns to branch mode); another key says why it does nothing. */
static void
branch_mode_other_keys(void **state)
{
	struct lmfix *lf = *state;

	press(lf, "<Space><Space><Space>b");
	assert_true(tv_branchmode_open(lf->a));
	press(lf, "?");
	assert_int_equal(lf->a->view, TV_VIEW_HELP);
	press(lf, "j?");
	assert_int_equal(lf->a->view, TV_VIEW_GENERATE);
	assert_true(tv_branchmode_open(lf->a));
	press(lf, "/");
	assert_false(tv_genmode_editing(lf->a));
	assert_string_equal(lf->a->msg, "branch mode: Esc leaves it, then / "
			    "works");
	press(lf, "<Esc>/");
	assert_true(tv_genmode_editing(lf->a));
}

/* The bars are the distribution the next word is drawn from: at T = 0,
 * with the penalties and DRY on, the word the bars put first is the
 * word written, step after step (greedy from "a" would go round b a b a
 * without them), in each profile that has them. */
static void
bars_are_what_is_drawn(void **state)
{
	static const enum tv_profile prof[] = {
		TV_PROFILE_HF, TV_PROFILE_LLAMACPP, TV_PROFILE_VLLM,
	};

	(void)state;
	for (size_t k = 0; k < sizeof prof / sizeof *prof; k++) {
		struct lmfix *lf = open_on(fake_table(), "a");
		struct tv_app *a = lf->a;

		tv_chain_default(&a->chain, prof[k]);
		a->par.dry_multiplier = 0.8;
		a->par.presence_penalty = 0.3;
		penalties_on(lf, 1.6);
		for (int i = 0; i < 12; i++) {
			const struct tv_gen *g = main_text(lf);
			int32_t top = tv_model_tok_word(a->d, a->d->order[0]);

			press(lf, "<Space>");
			assert_int_equal(tv_gen_len(g), (size_t)i + 1);
			assert_int_equal(tv_gen_at(g, (size_t)i)->word, top);
		}
		lmfix_close(lf);
	}
}

/* The lanes: the cold one without the penalties goes round b a b a, the
 * dial's with them breaks out. */
static void
greedy_loop_beside_the_penalty(void **state)
{
	struct lmfix *lf = *state;
	const struct tv_frame *f = &lf->fx->f;

	penalties_on(lf, 2);
	press(lf, "L<Space><Space><Space><Space><Space><Space>");
	assert_string_equal(spell(gm_of(lf)->lane[TV_LANE_GREEDY]), "bababa");
	/* After a, b c and . all seen: b at .25 still leads. */
	assert_string_equal(spell(main_text(lf)), "bc.aba");
	assert_true(find_row(f, "T = 0, no penalties") > 0);
	assert_true(find_row(f, "loop of 2 words") > 0);
}

/* Branch mode: the cursor to word 2, candidate 2 (c), Enter: a branch
 * "b c . a" as long as the text it left; the tree walks round, Backspace
 * goes to the parent at the fork, Esc leaves, c drops the tree. */
static void
branch_keys(void **state)
{
	struct lmfix *lf = *state;
	const struct tv_frame *f = &lf->fx->f;
	struct tv_genmode *gm = gm_of(lf);
	struct tv_gen *first;

	press(lf, "<Space><Space><Space><Space>");
	first = main_text(lf);
	assert_string_equal(spell(first), "baba");
	press(lf, "b");
	assert_true(tv_branchmode_open(lf->a));
	assert_int_equal(gm->br.cursor, 3);
	assert_true(find_row(f, "word 4 \"a\": its candidates") > 0);
	assert_true(find_row(f, "branch mode  words 4") > 0);
	/* Keys are branch mode's: q leaves it, does not quit. */
	press(lf, "<Left><Left>");
	assert_int_equal(gm->br.cursor, 1);
	assert_int_equal(gm->br.pick, 0);
	press(lf, "<Enter>");
	assert_non_null(strstr(lf->a->msg, "is the word written here"));
	assert_int_equal(tv_tree_size(gm->br.tree), 1);
	press(lf, "2<Enter>");
	assert_string_equal(spell(main_text(lf)), "bc.a");
	assert_true(tv_gen_at(main_text(lf), 1)->picked);
	assert_int_equal(tv_tree_size(gm->br.tree), 2);
	assert_true(find_row(f, "branches (2)") > 0);
	assert_true(find_row(f, "@2 c") > 0);
	assert_true(find_row(f, "branch 2 of 2") > 0);
	press(lf, "]");
	assert_ptr_equal(main_text(lf), first);
	press(lf, "<Backspace>");
	assert_non_null(strstr(lf->a->msg, "this is the first text"));
	press(lf, "[");
	assert_string_equal(spell(main_text(lf)), "bc.a");
	/* Back to a at word 2: the branch that has it is the first. */
	press(lf, "<Up><Enter>");
	assert_ptr_equal(main_text(lf), first);
	assert_int_equal(tv_tree_size(gm->br.tree), 2);
	press(lf, "]<End><Backspace>");
	assert_ptr_equal(main_text(lf), first);
	assert_int_equal(gm->br.cursor, 1);
	press(lf, "q");
	assert_false(lf->a->quit);
	assert_false(tv_branchmode_open(lf->a));
	press(lf, "<Space>");
	assert_string_equal(spell(first), "babab");
	press(lf, "c");
	assert_null(gm->br.tree);
	assert_ptr_equal(main_text(lf), first);
	assert_int_equal(tv_gen_len(first), 0);
	press(lf, "b");
	assert_false(tv_branchmode_open(lf->a));
}

/* Mirostat in llama.cpp's rules: the plot with its legend, and the
 * penalties set beside it said not to run. */
static void
mirostat_plot(void **state)
{
	struct lmfix *lf = *state;
	const struct tv_frame *f = &lf->fx->f;

	tv_chain_default(&lf->a->chain, TV_PROFILE_LLAMACPP);
	tv_app_set_temp(lf->a, 1);
	lf->a->par.mirostat = 2;
	lf->a->par.mirostat_tau = 1;
	lf->a->par.mirostat_mu = 2;
	penalties_on(lf, 1.5);
	press(lf, "<Space><Space><Space><Space><Space><Space>");
	assert_int_equal(tv_gen_at(main_text(lf), 5)->moved, 0);
	assert_true(find_row(f, "mirostat 2") > 0);
	assert_true(find_row(f, "-log2 p final") > 0);
	assert_true(find_row(f, "tau") > 0);
	assert_true(find_row(f, "mirostat runs alone") > 0);
	assert_true(find_row(f, "word 1") > 0);
}

/* The beam lane in the hot lane's place: B = 4, then wider, narrower and
 * another length penalty, each starting the search again. */
static void
beam_lane(void **state)
{
	struct lmfix *lf = *state;
	const struct tv_frame *f = &lf->fx->f;
	struct tv_genmode *gm = gm_of(lf);
	const struct tv_beam_hyp *h;
	int32_t w[3];
	size_t n;

	press(lf, "B<Space><Space><Space>");
	assert_true(gm->lanes);
	assert_true(gm->beam.on);
	assert_true(find_row(f, "beam B=4 alpha=1") > 0);
	/* "c ." scores ln .36 / 2, the best finished, and is what the
	 * search would return now. */
	assert_true(find_row(f, "finished, sum/len^1") > 0);
	assert_true(find_row(f, "-0.511 c.") > 0);
	assert_true(find_row(f, "best: 0.74 bits/word") > 0);
	press(lf, "+");
	assert_int_equal(gm->beam.width, 5);
	assert_true(find_row(f, "beam B=5 alpha=1") > 0);
	press(lf, "A");
	assert_near(gm->beam.alpha, 2, 0);
	press(lf, "------");
	assert_int_equal(gm->beam.width, 1);
	assert_true(find_row(f, "beam B=1 alpha=2") > 0);
	assert_int_equal(tv_beam_len(gm->beam.b), 3);
	h = tv_beam_running(gm->beam.b, &n);
	assert_int_equal(n, 1);
	tv_beam_words(gm->beam.b, h, w);
	assert_memory_equal(w, ((int32_t[]){ F_B, F_A, F_B }), sizeof w);
	press(lf, "u");
	assert_int_equal(tv_beam_len(gm->beam.b), 2);
	press(lf, "B");
	assert_false(gm->beam.on);
	assert_true(find_row(f, "T = 2 hot") > 0);
}

/* The moved-word key walks the moves; the lanes' line names the top. */
static void
moves_key(void **state)
{
	struct lmfix *lf = *state;

	const struct tv_gen *g;
	uint32_t n;

	/* No penalties: nothing to step through, and it says so. */
	press(lf, "<Space>m");
	assert_string_equal(lf->a->msg, "no word was pushed down at this "
			    "word: the penalties and DRY moved none");
	penalties_on(lf, 2);
	press(lf, "c<Space><Space>m");
	/* One move at word 2: m comes round to it again. */
	assert_int_equal(gm_of(lf)->move, 0);
	assert_true(find_row(&lf->fx->f, "pushed down at \"c\" (word 2)") > 0);
	/* Further on, each of several in turn, then the first again. */
	press(lf, "<Space><Space><Space>");
	g = main_text(lf);
	tv_gen_moves(g, tv_gen_len(g) - 1, &n);
	assert_true(n >= 2);
	for (uint32_t k = 1; k <= n; k++) {
		press(lf, "m");
		assert_int_equal(gm_of(lf)->move, k % n);
	}
}

/* Branch mode on a server's kind of model that answers later: the new
 * branch waits, each answer writes a word, until it is as long as the
 * text it left. */
static void
branch_waits_for_the_server(void **state)
{
	struct lmfix *lf = open_on(listed_model(), "the prompt");
	struct tv_genmode *gm = gm_of(lf);
	int polls = 0;

	(void)state;
	press(lf, "<Space><Space><Space>");
	assert_int_equal(tv_gen_len(main_text(lf)), 3);
	tv_model_set_async(lf->m, 1);
	press(lf, "b<Home>2<Enter>");
	assert_true(tv_genmode_waiting(lf->a));
	assert_int_equal(tv_gen_len(main_text(lf)), 1);
	assert_int_equal(tv_gen_at(main_text(lf), 0)->word, W_B);
	while (tv_genmode_waiting(lf->a) && polls++ < 10)
		tv_genmode_poll(lf->a);
	assert_false(tv_genmode_waiting(lf->a));
	assert_int_equal(tv_gen_len(main_text(lf)), 3);
	assert_int_equal(tv_tree_size(gm->br.tree), 2);
	render(lf->fx);
	assert_true(find_row(&lf->fx->f, "branches (2)") > 0);
	lmfix_close(lf);
}

/* Esc while a server answers takes back the word drawn past the last
 * distribution, as a failed answer does: the bars are the text's. */
static void
cancel_takes_the_word_back(void **state)
{
	struct lmfix *lf = open_on(listed_model(), "the prompt");

	(void)state;
	press(lf, "<Space>");
	assert_int_equal(tv_gen_len(main_text(lf)), 1);
	tv_model_set_async(lf->m, 1);
	press(lf, "<Space>");
	assert_true(tv_genmode_waiting(lf->a));
	assert_int_equal(tv_gen_len(main_text(lf)), 2);
	press(lf, "<Esc>");
	assert_false(tv_genmode_waiting(lf->a));
	assert_int_equal(tv_gen_len(main_text(lf)), 1);
	assert_true(tv_gen_ready(main_text(lf)));
	assert_string_equal(lf->a->msg, "cancelled: the last distribution "
			    "stays");
	lmfix_close(lf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pushed_down_and_why, setup,
						teardown),
		cmocka_unit_test(moves_fit_every_width),
		cmocka_unit_test(bars_are_what_is_drawn),
		cmocka_unit_test_setup_teardown(undone_branch_keeps_its_name,
						setup, teardown),
		cmocka_unit_test_setup_teardown(branch_mode_other_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(greedy_loop_beside_the_penalty,
						setup, teardown),
		cmocka_unit_test_setup_teardown(branch_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(mirostat_plot, setup, teardown),
		cmocka_unit_test_setup_teardown(beam_lane, setup, teardown),
		cmocka_unit_test_setup_teardown(moves_key, setup, teardown),
		cmocka_unit_test(branch_waits_for_the_server),
		cmocka_unit_test(cancel_takes_the_word_back),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
