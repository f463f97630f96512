/* SPDX-License-Identifier: MIT */
/*
 * The app's sources and the picker over them: the built-in scenarios
 * with their notes, the source the app was started on, and the language
 * model when one is loaded. Choosing one shows it with the dials as they
 * are. The app owns what it loads here (the first source stays the
 * caller's); a source that fails to load leaves the shown one in place
 * and says why in the status line.
 */
#ifndef TEMPVIZ_PICKER_H
#define TEMPVIZ_PICKER_H

#include "io/source.h"
#include "ui/app_internal.h"

/* 1 while the picker is shown (it then takes every key). */
int tv_picker_open(const struct tv_app *a);
/* Show the picker, on the entry of the shown source. */
void tv_picker_show(struct tv_app *a);
/* A key while it is open; 1 when something changed. */
int tv_picker_key(struct tv_app *a, int key);
void tv_picker_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r);
/* The shown source as command-line flags (strings owned by the app): 1,
 * or 0 when it is not known (an app that was not told its origin). */
int tv_picker_spec(const struct tv_app *a, struct tv_source_spec *spec);
/* Release what the app loaded; a model set aside goes back to a->gen,
 * for tv_genmode_free. */
void tv_picker_free(struct tv_app *a);

#endif
