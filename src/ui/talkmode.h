/* SPDX-License-Identifier: MIT */
/*
 * The talk player: the app stepped through a script (io/talk.h). Each
 * step's state is rebuilt from the script alone, the settings of every
 * step up to it, so going back and forth, jumping, or exploring and
 * returning always shows a step the same way. What a step needs and
 * cannot get (a file, the language model) becomes a notice on that step.
 */
#ifndef TEMPVIZ_TALKMODE_H
#define TEMPVIZ_TALKMODE_H

#include <stddef.h>

#include "io/talk.h"
#include "ui/app_internal.h"

/* Whether a view of that name exists (for tv_talk_parse). */
int tv_talkmode_view_ok(const char *s);

/* Put the app in talk mode on t, which it owns from here (also on
 * failure). live: animations run over time (the TUI); otherwise each
 * step shows its end state at once (snapshots, the export). lm_path:
 * the model a prompt step opens, NULL for the default. Shows step 1.
 * 0, or -1 when out of memory. */
int tv_talkmode_start(struct tv_app *a, struct tv_talk *t,
		      const char *lm_path, int live);
/* The model every prompt step reads (a --server's), owned by the talk
 * from here; m is NULL-safe. */
struct tv_model;
void tv_talkmode_give_model(struct tv_app *a, struct tv_model *m);
void tv_talkmode_free(struct tv_app *a);

/* The number of steps, the shown one (0-based), and showing step i. */
int tv_talkmode_steps(const struct tv_app *a);
int tv_talkmode_current(const struct tv_app *a);
void tv_talkmode_goto(struct tv_app *a, int i);
/* 1 while the speaker explores on their own (Esc). */
int tv_talkmode_exploring(const struct tv_app *a);

/* The shown step's title and narration with the placeholders filled
 * from the state; its notice ("" for none). */
const char *tv_talkmode_title(const struct tv_app *a);
void tv_talkmode_caption(const struct tv_app *a, char *buf, size_t cap);
const char *tv_talkmode_notice(const struct tv_app *a);

/* Hooks of app.c. A key: 1 when the player took it. */
int tv_talkmode_key(struct tv_app *a, int key);
/* Draw the frame with the caption; 0 when the app draws it alone. */
int tv_talkmode_render(struct tv_app *a, struct tv_frame *f);
/* view: whether the shown view animates by itself. */
int tv_talkmode_animating(const struct tv_app *a, int view);
/* Advance the talk's animation; 1 when the view must not tick (paused). */
int tv_talkmode_tick(struct tv_app *a, double dt_ms);

#endif
