/* SPDX-License-Identifier: MIT */
/*
 * The samplers with memory live in the app: a dial turned pushes the
 * history's tokens down in what every view shows, turned back it gives
 * the source's own numbers exactly; without a history the screen says so;
 * a new source takes the history's words anew.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/source.h"
#include "ui/app.h"
#include "ui/app_internal.h"
#include "ui/memmode.h"

#include "testutil.h"

/* From T: every dial shown, down to the repeat penalty. */
#define TO_REPEAT "ajjjjjjjjjjjjjjjj"

static void
press(struct fixture *fx, const char *keys)
{
	char err[160];

	assert_int_equal(tv_app_press(fx->app, keys, err, sizeof err), 0);
	render(fx);
}

static char *
screen(struct fixture *fx)
{
	render(fx);
	return frame_text(&fx->f, TV_FMT_TXT);
}

/* Repeat 1.5 over "approve reject approve" (HF: once per distinct
 * token): approve 2.2 / 1.5, reject 1.8 / 1.5, in every view; back at 1,
 * the source's own distribution and the same screen as before. */
static void
dial_there_and_back(void **state)
{
	struct fixture *fx = fixture_open("approve", &(struct tv_ui_opts){
		.view = TV_VIEW_PIPELINE, .tier = TV_TIER_MONO }, 0, 100, 30);
	struct tv_app *a = fx->app;
	char *before, *after;
	unsigned serial;
	uint32_t pos;

	(void)state;
	assert_int_equal(tv_app_history(a, "approve reject approve"), 0);
	assert_ptr_equal(a->d, a->base);
	press(fx, TO_REPEAT);
	before = screen(fx);
	serial = a->d_serial;
	press(fx, "<PgUp><PgUp><PgUp><PgUp><PgUp>");
	assert_true(a->par.repeat_penalty == 1.5);
	assert_true(a->d != a->base);
	assert_true(a->d_serial != serial);
	assert_true(a->d->logit[0] == 2.2f / 1.5f);
	assert_true(a->d->logit[1] == 1.8f / 1.5f);
	assert_true(a->d->logit[2] == a->base->logit[2]);
	/* approve stays first (1.467 over review's 1.4); reject falls to
	 * third. */
	assert_int_equal(a->d->order[1], 2);
	assert_int_equal(a->d->order[2], 1);
	pos = a->d->rank[0];
	assert_int_equal(pos, 0);
	assert_true(fabs(a->res.stats.top1 - tv_result_p(a->d, &a->res, 0))
		    < 1e-15);
	assert_true(find_row(&fx->f, "penalties moved 2, most approve "
			     "-0.73") >= 0);
	assert_true(find_row(&fx->f, "reject              1.80     -0.60")
		    >= 0);
	press(fx, "<PgDn><PgDn><PgDn><PgDn><PgDn>");
	assert_true(a->par.repeat_penalty == 1);
	assert_ptr_equal(a->d, a->base);
	after = screen(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* And on again: the copy starts from the model's logits. */
	press(fx, "<PgUp><PgUp><PgUp>");
	assert_true(a->d->logit[0] == 2.2f / 1.3f);
	fixture_close(fx);
}

/* A penalty with nothing to act on: the dial and the pipeline say so,
 * and turning it leaves the distribution the source's. */
static void
no_history(void **state)
{
	struct fixture *fx = fixture_open("approve", &(struct tv_ui_opts){
		.view = TV_VIEW_PIPELINE, .tier = TV_TIER_MONO }, 0, 100, 30);
	struct tv_app *a = fx->app;

	(void)state;
	press(fx, TO_REPEAT "<PgUp>");
	assert_string_equal(a->msg, "no history: set one with --history");
	assert_ptr_equal(a->d, a->base);
	assert_true(find_row(&fx->f, "repeat 1.10 (no history)") >= 0);
	assert_true(find_row(&fx->f, " no history: set one with --history")
		    >= 0);
	/* Smoothing needs no history: it acts. */
	a->par.smoothing_factor = 0.5;
	tv_app_changed(a, TV_CHG_PARAMS);
	assert_true(a->d != a->base);
	fixture_close(fx);
}

/* Explore's sentence names every stage that moved the token it speaks
 * of, by their sum (print: approve 2.2 -> 0.592308 under both, 1.392308
 * under the penalties alone), whichever stages are set. */
static void
sentence_names_the_stages(void **state)
{
	struct fixture *fx = fixture_open("approve", &(struct tv_ui_opts){
		.view = TV_VIEW_EXPLORE, .tier = TV_TIER_MONO }, 0, 120, 30);
	struct tv_app *a = fx->app;

	(void)state;
	tv_chain_default(&a->chain, TV_PROFILE_LLAMACPP);
	assert_int_equal(tv_app_history(a, "approve reject approve review "
					"approve reject"), 0);
	a->par.repeat_penalty = 1.3;
	a->par.freq_penalty = 0.1;
	tv_app_changed(a, TV_CHG_PARAMS);
	render(fx);
	assert_true(find_row(&fx->f, "The penalties push approve down by "
			     "0.81 (34.7% -> 23.9% at T = 1)") >= 0);
	a->par.dry_multiplier = 0.8;
	tv_app_changed(a, TV_CHG_PARAMS);
	render(fx);
	assert_true(find_row(&fx->f, "The penalties and DRY push approve down "
			     "by 1.61 (34.7% -> 12.4% at T = 1)") >= 0);
	a->par.smoothing_factor = 0.2;
	tv_app_changed(a, TV_CHG_PARAMS);
	render(fx);
	assert_true(find_row(&fx->f, "The penalties, DRY and smoothing push "
			     "approve down by") >= 0);
	a->par.repeat_penalty = 1;
	a->par.freq_penalty = 0;
	tv_app_changed(a, TV_CHG_PARAMS);
	render(fx);
	assert_true(find_row(&fx->f, "DRY and smoothing push approve down") >=
		    0);
	fixture_close(fx);
}

/* A dial reset to off while it has the focus stays on screen, marked;
 * once the focus moves on it goes. */
static void
reset_dial_stays(void **state)
{
	struct fixture *fx = fixture_open("approve", &(struct tv_ui_opts){
		.view = TV_VIEW_EXPLORE, .tier = TV_TIER_MONO }, 0, 100, 30);
	struct tv_app *a = fx->app;

	(void)state;
	a->par.repeat_penalty = 1.3;
	tv_app_changed(a, TV_CHG_PARAMS);
	press(fx, "jjjjx");
	assert_near(a->par.repeat_penalty, 1, 0);
	assert_true(find_row(&fx->f, "repeat off") >= 0);
	press(fx, "k");
	assert_true(find_row(&fx->f, "repeat off") < 0);
	fixture_close(fx);
}

/* KL from the model counts what the penalties moved: at T = 1 with
 * nothing cut it is the penalties' own KL, not the 0 of the shown
 * distribution against itself. */
static void
kl_from_the_model(void **state)
{
	struct fixture *fx = fixture_open("approve", &(struct tv_ui_opts){
		.view = TV_VIEW_EXPLORE, .tier = TV_TIER_MONO }, 0, 120, 30);
	struct tv_app *a = fx->app;
	double kl = 0;

	(void)state;
	assert_int_equal(tv_app_history(a, "approve approve"), 0);
	assert_near(tv_memmode_kl_from_model(a), 0, 0);
	a->par.repeat_penalty = 1.5;
	tv_app_changed(a, TV_CHG_PARAMS);
	assert_near(a->res.stats.kl_bits, 0, 1e-12);
	/* By hand: p' log2(p'/p) over the shown tokens. */
	for (uint32_t i = 0; i < a->d->n; i++) {
		uint32_t id = a->d->order[i];
		double q = tv_base_p(a->d, i);
		double p = tv_base_p(a->base, a->base->rank[id]);

		kl += q * log2(q / p);
	}
	assert_true(kl > 0.01);
	assert_near(tv_memmode_kl_from_model(a), kl, 1e-9);
	render(fx);
	assert_true(find_row(&fx->f, "KL from model 0.000") < 0);
	fixture_close(fx);
}

/* Into vLLM's profile the penalties come within its ranges (it refuses
 * a repetition penalty past 2), said, and the dial stops at 2 there. */
static void
vllm_ranges_on_profile(void **state)
{
	struct fixture *fx = fixture_open("approve", &(struct tv_ui_opts){
		.view = TV_VIEW_EXPLORE, .tier = TV_TIER_MONO }, 0, 120, 30);
	struct tv_app *a = fx->app;

	(void)state;
	a->par.repeat_penalty = 3;
	a->par.freq_penalty = -5;
	tv_app_changed(a, TV_CHG_PARAMS);
	press(fx, "ppp");
	assert_int_equal(a->chain.rules, TV_PROFILE_VLLM);
	assert_near(a->par.repeat_penalty, 2, 0);
	assert_near(a->par.freq_penalty, -2, 0);
	assert_non_null(strstr(a->msg, "brought into vLLM's ranges"));
	press(fx, TO_REPEAT "<End>");
	assert_near(a->par.repeat_penalty, 2, 0);
	fixture_close(fx);
}

/* The words are matched anew on each source: " Paris" is a token of
 * france, not of approve. */
static void
new_source(void **state)
{
	struct fixture *fx = fixture_open("approve", &(struct tv_ui_opts){
		.view = TV_VIEW_EXPLORE, .tier = TV_TIER_MONO }, 0, 100, 30);
	struct tv_source_spec spec = { .scenario = "france" };
	struct tv_source fr;
	struct tv_error err;
	struct tv_app *a = fx->app;

	(void)state;
	a->par.repeat_penalty = 2;
	assert_int_equal(tv_app_history(a, "Paris"), 0);
	assert_string_equal(a->msg, "--history: 1 word names no token of "
			    "this distribution and is left out");
	assert_ptr_equal(a->d, a->base);
	assert_int_equal(tv_source_load(&spec, &fr, &err), TV_EXIT_OK);
	tv_app_set_dist(a, &fr.pos[0]);
	assert_true(a->d != a->base);
	assert_int_equal(a->d->n, fr.pos[0].n);
	/* " Paris" first, its negative logit doubled. */
	assert_true(a->d->sorted[0] == fr.pos[0].sorted[0] * 2);
	render(fx);
	assert_true(find_row(&fx->f, "The penalties push ␣Paris down") >= 0 ||
		    find_row(&fx->f, "The penalties push  Paris down") >= 0 ||
		    find_row(&fx->f, "The penalties push _Paris down") >= 0);
	tv_app_set_dist(a, &fx->src.pos[0]);
	assert_ptr_equal(a->d, a->base);
	tv_source_free(&fr);
	fixture_close(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dial_there_and_back),
		cmocka_unit_test(no_history),
		cmocka_unit_test(sentence_names_the_stages),
		cmocka_unit_test(vllm_ranges_on_profile),
		cmocka_unit_test(kl_from_the_model),
		cmocka_unit_test(reset_dial_stays),
		cmocka_unit_test(new_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
