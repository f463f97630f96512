/* SPDX-License-Identifier: MIT */
/*
 * Generate mode: the app on a language model. It owns the text the model
 * writes (a lane of lm/gen.h), the two extra lanes shown beside it, and
 * the prompt editor; the app's distribution (a->d) is the next-word
 * distribution of the main text, so every view and dial works on it as
 * on a scenario.
 *
 * The main text is the middle lane: it is written at the dial's T. The
 * other lanes continue the same prompt with the same seed at a cold T
 * (0 unless chosen; without the penalties and DRY when they are set, so
 * that greedy's loop shows beside what breaks it) and a hot one, or beam
 * search in the hot one's place (beamlane.h), and are caught up to the
 * main text's length when shown. Branch mode (branchmode.h) makes the
 * main text any branch of a tree of them.
 */
#ifndef TEMPVIZ_GENMODE_H
#define TEMPVIZ_GENMODE_H

#include <stddef.h>

#include "io/source.h"
#include "lm/gen.h"
#include "lm/model.h"
#include "ui/app_internal.h"
#include "ui/beamlane.h"
#include "ui/branchmode.h"

enum { TV_LANE_GREEDY, TV_LANE_DIAL, TV_LANE_HOT, TV_LANES };

/* The most words a text grows to; run pauses there. */
#define TV_GEN_MAX_WORDS 400
/* One word per this many milliseconds while running: slow enough to
 * read, fast enough that a sentence forms in a few seconds. */
#define TV_GEN_PACE_MS 160
/* The longest prompt the editor takes (the model reads only its last
 * words; the rest is shown). */
#define TV_GEN_PROMPT_MAX 4096

struct tv_genmode {
	struct tv_model *m;             /* borrowed */
	struct tv_source src;           /* what the app shows as its source:
	                                   the model's name, one position */
	struct tv_gen *lane[TV_LANES];  /* [TV_LANE_DIAL] is the main text;
	                                   the others NULL until shown */
	double cold, hot;               /* the side lanes' T */
	char *prompt;                   /* as typed, NUL-terminated */
	size_t len, cap;

	int editing;                    /* the prompt editor is open */
	int stale;                      /* the prompt changed since the
	                                   text was rebuilt */
	char *saved;                    /* the prompt before editing */
	int suggest;                    /* the next suggested prompt */

	int lanes;                      /* show the three lanes */
	int ranks;                      /* show each word's rank */
	int running;                    /* a word every TV_GEN_PACE_MS */
	int waiting;                    /* a server is answering: the text
	                                   goes on when it has */
	size_t goal;                    /* the main text is to reach this
	                                   many words: one more when a word
	                                   is asked for, as many as the text
	                                   a branch left; 0 none */
	struct tv_gen *shown;           /* the text before a new prompt,
	                                   whose distribution is shown until
	                                   a server answers for the new one */
	double since_ms;                /* time since the last word */
	uint32_t move;                  /* the pushed-down word whose
	                                   earlier words the text marks */
	struct tv_branchmode br;
	struct tv_beamlane beam;
};

/* The mode's state, or NULL when the app has no model. */
static inline struct tv_genmode *
tv_genmode(const struct tv_app *a)
{
	return a->gen;
}

void tv_genmode_free(struct tv_app *a);
int tv_genmode_editing(const struct tv_app *a);
/* A key while the prompt editor is open; 1 when something changed. The
 * text follows the prompt at the next tv_genmode_sync, so a paste of many
 * keys costs one scoring, not one per key. */
int tv_genmode_key(struct tv_app *a, int key);
/* 1 while a server answers a request of the text's. */
int tv_genmode_waiting(const struct tv_app *a);
/* Take a server's answer in and go on with what waited for it (from the
 * input loop's ticks); a failure is said, the last distribution kept. */
void tv_genmode_poll(struct tv_app *a);
/* Rebuild the text from the prompt if it changed (before a frame): 0,
 * or -1 when the model failed (said; the old text stays). */
int tv_genmode_sync(struct tv_app *a);
/* The prompt's text (promptedit.c): set it (-1 without memory), open
 * the editor on it, or put the next suggested prompt in its place. */
int tv_genmode_prompt_set(struct tv_genmode *gm, const char *s);
void tv_genmode_edit_open(struct tv_genmode *gm);
void tv_genmode_suggest(struct tv_app *a);
/* An action of the LM or generate scope; 1 when handled. Without a model
 * it says, in the footer, how to start one. */
int tv_genmode_action(struct tv_app *a, int act);
/* While running: a word each TV_GEN_PACE_MS on the shown lanes. */
int tv_genmode_running(const struct tv_app *a);
void tv_genmode_tick(struct tv_app *a, double dt_ms);
/* The prompt editor on footer row y. */
void tv_genmode_render_editor(struct tv_app *a, struct tv_frame *f, int y);

/* The temperature lane i is written at. */
double tv_genmode_lane_temp(const struct tv_app *a, int i);
/* 1 when the cold lane runs without the penalties and DRY the dials
 * set. */
int tv_genmode_plain_cold(const struct tv_app *a);
/* Make g the main text (a branch the tree owns) and write it on to goal
 * words (0: as it is); what a server was asked is dropped. */
void tv_genmode_set_text(struct tv_app *a, struct tv_gen *g, size_t goal);
/* 1 when the beam lane stands in the hot lane's column. */
int tv_genmode_beam_shown(const struct tv_app *a);
/* The next word of the prompt at or after byte *at: its length, 0 at
 * the end; its first byte in *start, and *at moved past it. */
size_t tv_genmode_next_word(const struct tv_genmode *gm, size_t *at,
			    size_t *start);
/* Whether prompt word w (bytes s[0 .. n)) is one the model knows. */
int tv_genmode_known(const struct tv_genmode *gm, const char *s, size_t n);
/* The suggested prompts, NULL-terminated. */
extern const char *const tv_genmode_prompts[];

#endif
