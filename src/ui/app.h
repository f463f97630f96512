/* SPDX-License-Identifier: MIT */
/*
 * The application: an explicit state (struct tv_app) that actions change
 * and views render. The CLI builds one for the TUI and for `snapshot`.
 */
#ifndef TEMPVIZ_APP_H
#define TEMPVIZ_APP_H

#include <stdio.h>

#include "io/source.h"
#include "tempviz/pipeline.h"
#include "ui/frame.h"
#include "ui/trange.h"

enum tv_view {
	TV_VIEW_EXPLORE,
	TV_VIEW_PIPELINE,
	TV_VIEW_SAMPLE,
	TV_VIEW_CURVES,
	TV_VIEW_THERMO,
	TV_VIEW_ATTENTION,
	TV_VIEW_GENERATE,
	TV_VIEW_HELP,
	TV_VIEW__COUNT
};

enum tv_color_mode { TV_COLOR_AUTO, TV_COLOR_ALWAYS, TV_COLOR_NEVER };
/* --theme: auto detects the background (COLORFGBG, then in the TUI the
 * terminal's answer to a query); unknown gets the palette legible on
 * both. */
enum tv_theme_mode { TV_THEME_AUTO, TV_THEME_DARK, TV_THEME_LIGHT };

struct tv_ui_opts {
	enum tv_color_mode color;
	int ascii;              /* force the ASCII glyph set */
	int tier;               /* an enum tv_tier to force, or -1 to detect */
	enum tv_view view;      /* the view to open */
	uint32_t position;      /* the position to open, an index (the
	                           header shows it counted from 1) */
	enum tv_theme_mode theme;
	struct tv_trange range; /* --range: where the T dial may go */
	int big;                /* --big: T and entropy in block digits */
	const char *record;     /* --record FILE: where W writes what a
	                           --server sent (NULL: a name by the clock) */
};

struct tv_app;

/* Names: "explore", "pipeline", "sample", "curves", "thermo", "attention",
 * "generate", "help"; -1 when unknown. */
int tv_view_parse(const char *s);
const char *tv_view_name(enum tv_view v);

/* The app borrows src (which must outlive it) and copies p and c. Returns
 * NULL when out of memory. The sources the app loads itself later (the
 * source picker's) it owns and frees. */
struct tv_app *tv_app_new(const struct tv_source *src,
			  const struct tv_params *p, const struct tv_chain *c,
			  const struct tv_ui_opts *o);
void tv_app_free(struct tv_app *a);

/* Tell the app the flags its source came from (NULL: none, as on --lm):
 * the source picker lists that source, and reads a file again from disk;
 * the take-home lines name it. Call it before tv_app_use_model. 0, or -1
 * when out of memory. */
int tv_app_origin(struct tv_app *a, const struct tv_source_spec *spec);

/* Give a source without a history of its own one, as words of its
 * tokens (--history): the penalties and DRY act on it live. 0, or -1
 * when out of memory. */
int tv_app_history(struct tv_app *a, const char *words);

struct tv_model;
/* Put the app on a language model (borrowed; it must outlive the app):
 * the distribution becomes the model's next word after the text, and the
 * generate view and the prompt editor come alive. 0, or -1 with err. */
int tv_app_use_model(struct tv_app *a, struct tv_model *m, const char *prompt,
		     char *err, size_t cap);
/* Show the lanes at these three temperatures (the middle one is the
 * dial's T, the main text); 0, or -1 when the app has no model. */
int tv_app_lanes(struct tv_app *a, const double t[3]);

/* Render the current view into f (any size; below the minimum a notice
 * saying the size needed). */
void tv_app_render(struct tv_app *a, struct tv_frame *f);

/*
 * Press keys as a user would, for snapshots and tests: each character of
 * script is a key, and <Name> is a named key as the help shows it
 * (<Right>, <Tab>, <Enter>, <Space>, <Ctrl-l>, <F1>; <lt> is '<').
 * Returns 0, or -1 with err naming the key that is not known.
 */
int tv_app_press(struct tv_app *a, const char *script, char *err,
		 size_t errcap);

/* Run the interactive TUI until the user quits; restores the terminal on
 * every path. Returns an exit status. */
int tv_tui_run(struct tv_app *a);

/* The TUI's key table as Markdown, generated from the action table, for
 * README.md (`tempviz --keys-markdown`). */
void tv_actions_markdown(FILE *out);

#endif
