/* SPDX-License-Identifier: MIT */
/*
 * The interactive loop: wait for a key (blocking, or with a frame timeout
 * while an animation runs), apply every key already queued, then render
 * once and present only the cells that changed. Holding a key down thus
 * costs one render per batch, not one per repeat, and nothing flickers.
 */
#include <stdio.h>
#include <time.h>

#include "ui/action.h"
#include "ui/app_internal.h"
#include "ui/term.h"

/* About 30 frames a second while something moves. */
#define FRAME_MS 33
/* Keys applied before a render even if more are queued, so a paste or a
 * runaway key repeat cannot starve the screen. */
#define MAX_BATCH 256

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
relayout(struct tv_app *a, struct tv_frame *f)
{
	int w, h;

	tv_term_size(&w, &h);
	if ((w != f->w || h != f->h) && tv_frame_resize(f, w, h) < 0)
		tv_app_note(a, "out of memory for a %d x %d screen", w, h);
	a->dirty = 1;
}

static void
handle_key(struct tv_app *a, struct tv_frame *f, int key)
{
	if (key == TV_KEY_RESIZE) {
		relayout(a, f);
		return;
	}
	/* Repainting is the terminal's business, not the app's state. */
	if (!a->input.open &&
	    tv_action_for_key(key, a->view, 0) == TV_UI_REDRAW) {
		tv_term_invalidate();
		a->dirty = 1;
		return;
	}
	tv_app_key(a, key);
}

/* Below the minimum size only q and resizes mean anything: the views are
 * not on screen to receive their keys. */
static int
too_small(const struct tv_frame *f)
{
	return f->w < TV_MIN_W || f->h < TV_MIN_H;
}

static void
run(struct tv_app *a, struct tv_frame *f)
{
	double last = now_ms();

	a->dirty = 1;
	while (!a->quit && !tv_term_quit_requested()) {
		int anim = tv_app_animating(a) && !too_small(f);
		int key, n = 0;
		double t;

		if (a->dirty) {
			tv_app_render(a, f);
			tv_term_present(f);
			a->dirty = 0;
		}
		key = tv_term_key(anim ? FRAME_MS : -1);
		while (key != TV_KEY_NONE && !a->quit) {
			if (too_small(f) && key != TV_KEY_RESIZE)
				a->quit = tv_action_for_key(key, a->view, 0)
					  == TV_UI_QUIT;
			else
				handle_key(a, f, key);
			if (++n == MAX_BATCH)
				break;
			key = tv_term_key(0);
		}
		t = now_ms();
		if (anim)
			tv_app_tick(a, t - last);
		last = t;
	}
}

int
tv_tui_run(struct tv_app *a)
{
	struct tv_frame f;
	char err[256];
	int w, h, sig;

	/* --theme auto and COLORFGBG silent: the terminal may say. */
	int ask_bg = a->opts.theme == TV_THEME_AUTO &&
		     a->look.bg == TV_BG_UNKNOWN;

	if (tv_term_init(a->opts.color, a->opts.tier, ask_bg, err,
			 (int)sizeof err) < 0) {
		fprintf(stderr, "tempviz: %s\n", err);
		return 1;
	}
	a->look.tier = tv_term_tier();
	if (ask_bg)
		a->look.bg = tv_term_bg();
	tv_term_size(&w, &h);
	if (tv_frame_init(&f, w, h) < 0) {
		tv_term_end();
		fprintf(stderr, "tempviz: out of memory\n");
		return 1;
	}
	run(a, &f);
	sig = tv_term_quit_requested();
	tv_term_end();
	tv_frame_free(&f);
	/* The shell's convention, so a script can tell q from a signal. */
	return sig ? 128 + sig : 0;
}
