/* SPDX-License-Identifier: MIT */
/*
 * The take-home overlay: the settings on screen as the command lines and
 * request fields that reproduce them elsewhere (ui/recipe.h computes
 * them), shown over the view until Esc.
 */
#ifndef TEMPVIZ_TAKEHOME_H
#define TEMPVIZ_TAKEHOME_H

#include "ui/app_internal.h"
#include "ui/recipe.h"

int tv_takehome_open(const struct tv_app *a);
void tv_takehome_show(struct tv_app *a);
/* A key while it is open; 1 when something changed. */
int tv_takehome_key(struct tv_app *a, int key);
void tv_takehome_render(struct tv_app *a, struct tv_frame *f,
			struct tv_rect r);
/* The recipe of the app as it is now. */
void tv_takehome_recipe(const struct tv_app *a, struct tv_recipe *out);
void tv_takehome_free(struct tv_app *a);

#endif
