/* SPDX-License-Identifier: MIT */
/*
 * An app in generate mode on a model the test makes (testutil.h's
 * fixture with the model put under it), keys pressed as a script and the
 * frame rendered after them.
 */
#ifndef TV_TESTGEN_H
#define TV_TESTGEN_H

#include "testutil.h"

#include "lm/gen.h"
#include "lm/model.h"
#include "ui/genmode.h"

struct lmfix {
	struct fixture *fx;
	struct tv_model *m;
	struct tv_app *a;
};

/* The app on model m (owned from now on) after prompt, in a w x h frame
 * (ASCII glyphs when ascii). */
static inline struct lmfix *
lmfix_open(struct tv_model *m, const char *prompt, int w, int h, int ascii)
{
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .ascii = ascii,
				.tier = -1, .view = TV_VIEW_GENERATE };
	struct lmfix *lf = calloc(1, sizeof *lf);
	char err[160];

	assert_non_null(lf);
	lf->fx = fixture_open("approve", &o, 42, w, h);
	lf->m = m;
	lf->a = lf->fx->app;
	assert_int_equal(tv_app_use_model(lf->a, lf->m, prompt, err,
					  sizeof err), 0);
	return lf;
}

static inline void
lmfix_close(struct lmfix *lf)
{
	fixture_close(lf->fx);
	tv_model_free(lf->m);
	free(lf);
}

static inline void
press(struct lmfix *lf, const char *script)
{
	char err[160];

	assert_int_equal(tv_app_press(lf->a, script, err, sizeof err), 0);
	render(lf->fx);
}

static inline struct tv_gen *
main_text(const struct lmfix *lf)
{
	return tv_genmode(lf->a)->lane[TV_LANE_DIAL];
}

#endif
