/* SPDX-License-Identifier: MIT */
/*
 * The generate view's drawing, in the files it is split into: the text
 * of a lane with its marks (gentext.c), what the samplers with memory did
 * at a step and mirostat's plot (genmemo.c), branch mode's candidates and
 * tree (branchdraw.c), and the beam lane (beamdraw.c). Each draws the
 * numbers lm/gen.h, lm/tree.h and lm/beam.h hold; none computes one.
 */
#ifndef TEMPVIZ_GENDRAW_H
#define TEMPVIZ_GENDRAW_H

#include <stddef.h>
#include <stdint.h>

#include "lm/gen.h"
#include "ui/app_internal.h"

/* What a lane's text marks beside each word's colour. */
struct tv_text_marks {
	const unsigned char *cause;     /* per step: 1 for an earlier word
	                                   that made the marked move (drawn
	                                   reversed), or NULL */
	size_t cursor;                  /* branch mode's word (drawn in the
	                                   focus colour, kept in view), or
	                                   SIZE_MAX */
};

/* ------------------------------------------------------- gentext.c --- */

/* The ramp's coldest quarter is a blue too dark to read as text on a
 * dark screen: text starts above it. */
#define TV_GEN_RAMP_LO 0.25

/* The colour of a word drawn at p: cold blue near certain, white at one
 * in a hundred, red for a long shot. */
struct tv_style tv_gen_p_style(const struct tv_app *a, double p);
/* A word's display form (</s> is "."), safe and clipped to w columns;
 * 1 when it sits on the word before it (a full stop, a piece). */
int tv_gen_word_text(const struct tv_app *a, int32_t id, char *buf,
		     size_t cap, int w);
/* "78%", "3.8%", "<.01%". */
void tv_gen_fmt_p(char *buf, size_t cap, double p);
/* "3.42 bits/word  ppl 10.7" (the perplexity dropped when wider than
 * w), or "- bits/word" before the first word. */
void tv_gen_fmt_bits(char *buf, size_t cap, const struct tv_gen *g, int w);
/* The prompt and lane g's words in r, scrolled so that the newest word
 * (or the cursor) shows; mk may be NULL. */
void tv_gen_render_text(struct tv_app *a, struct tv_frame *f,
			struct tv_rect r, const struct tv_gen *g,
			const struct tv_text_marks *mk);

/* -------------------------------------------------------- genmemo.c --- */

/* The words the penalties and DRY pushed down at step i of g, the
 * selected one (sel) marked, and why it moved, in r; returns the rows
 * drawn (0 when the step moved none). */
int tv_gen_render_moves(struct tv_app *a, struct tv_frame *f,
			struct tv_rect r, const struct tv_gen *g, size_t i,
			uint32_t sel);
/* One line for lanes: the most moved word of g's last step. */
void tv_gen_render_move_line(struct tv_app *a, struct tv_frame *f, int x,
			     int y, int w, const struct tv_gen *g);
/* Rows the moves panel of step i wants at most in r's width. */
int tv_gen_moves_rows(const struct tv_gen *g, size_t i);
/* Mirostat over g's steps: each word's surprise under the final
 * distribution (what its rule learns from) against tau, and mu, in r. */
void tv_gen_render_mirostat(struct tv_app *a, struct tv_frame *f,
			    struct tv_rect r, const struct tv_gen *g);
/* 1 when a step of g was chosen by mirostat. */
int tv_gen_has_mirostat(const struct tv_gen *g);
/* The selected move's earlier words into mark (cap bytes, each set: a
 * word from step i on is never a cause): step i, move sel (clamped).
 * NULL when the step moved none. */
const unsigned char *tv_gen_mark_causes(const struct tv_gen *g, size_t i,
					uint32_t sel, unsigned char *mark,
					size_t cap);

/* ----------------------------------------------------- branchdraw.c --- */

/* Branch mode's candidates of the cursor's word in r. */
void tv_branch_render_cands(struct tv_app *a, struct tv_frame *f,
			    struct tv_rect r);
/* The tree of branches in r, the shown one marked; returns rows drawn. */
int tv_branch_render_tree(struct tv_app *a, struct tv_frame *f,
			  struct tv_rect r);
/* A row of key hints from the action table: each action's first key,
 * then what (NULL: the action's name; "": the key alone), while they fit
 * w columns from x. */
struct tv_key_hint {
	int act;                /* enum tv_ui_action */
	const char *what;
};
void tv_gen_key_hints(struct tv_app *a, struct tv_frame *f, int x, int y,
		      int w, const struct tv_key_hint *hint, size_t n);
/* Branch mode's key hints on row y. */
void tv_branch_render_hints(struct tv_app *a, struct tv_frame *f, int x,
			    int y, int w);

/* ------------------------------------------------------- beamdraw.c --- */

/* The beam lane in r: its beams, the finished hypotheses, and what the
 * search returns. */
void tv_beam_render_lane(struct tv_app *a, struct tv_frame *f,
			 struct tv_rect r);

#endif
