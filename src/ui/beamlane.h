/* SPDX-License-Identifier: MIT */
/*
 * The beam lane of generate mode: beam search (lm/beam.h) over the same
 * prompt, in the hot lane's column while it is on, stepped with the main
 * text like the other lanes until the search is done. Its width and
 * length penalty have keys; a change starts it again from the prompt.
 */
#ifndef TEMPVIZ_BEAMLANE_H
#define TEMPVIZ_BEAMLANE_H

#include <stddef.h>
#include <stdint.h>

#include "lm/beam.h"

struct tv_app;
struct tv_genmode;

struct tv_beamlane {
	int on;                 /* shown in place of the hot lane */
	uint32_t width;         /* B; 0 until first shown (then 4) */
	double alpha;           /* HF's length_penalty (1 by default) */
	struct tv_beam *b;      /* NULL until shown */
};

/* Step the search with the main text, up to its length: 0, 1 while a
 * server answers (the app waits), -1 (said). */
int tv_beamlane_show(struct tv_app *a);
/* The main text went back to n words: so does the search when it was as
 * long. */
void tv_beamlane_undo(struct tv_genmode *gm, size_t n);
void tv_beamlane_restart(struct tv_genmode *gm);
/* The prompt changed: the search is made again when next shown. */
void tv_beamlane_drop(struct tv_genmode *gm);
/* The beam keys of the generate scope; 1 when handled. */
int tv_beamlane_action(struct tv_app *a, int act);

#endif
