/* SPDX-License-Identifier: MIT */
/*
 * The A/B split of the explore view: two dial sets (parameters, profile
 * and order) over the one distribution (each pane with its own samplers
 * with memory on the app's history). The dials always turn a->par and
 * a->chain, so every dial key, typed value, preset and profile key works
 * on the pane they turn; this mode keeps the other pane's settings and
 * swaps them in when the user switches panes.
 */
#ifndef TEMPVIZ_ABMODE_H
#define TEMPVIZ_ABMODE_H

#include "tempviz/compare.h"
#include "ui/app_internal.h"

/* One pane as drawn: its settings, result and distribution (the
 * model's under the pane's own samplers with memory). */
struct tv_ab_pane {
	const struct tv_params *par;
	const struct tv_chain *chain;
	const struct tv_result *res;
	const struct tv_dist *d;
	int active;             /* the dials turn it */
};

/* 1 while the explore view is split. */
int tv_ab_on(const struct tv_app *a);
/* 'A' or 'B', the pane the dials turn, while split; else 0. */
char tv_ab_pane_name(const struct tv_app *a);
/* An A/B action (split, switch pane, copy A to B); 1 when handled. */
int tv_ab_action(struct tv_app *a, int act);
/* Panes A and B, and how far apart they are, for the current
 * distribution (the inactive pane's result is recomputed when the
 * distribution changed). */
void tv_ab_panes(struct tv_app *a, struct tv_ab_pane *pa,
		 struct tv_ab_pane *pb, struct tv_compare *cmp);
/* Where the token at position pos of a->d (the rows' order) sits in
 * pane p's distribution; TV_POS_TAIL stays. */
uint32_t tv_ab_pos(const struct tv_app *a, const struct tv_ab_pane *p,
		   uint32_t pos);
void tv_ab_free(struct tv_app *a);

/* Draw the split into the explore view's body (abdraw.c). */
void tv_ab_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r);

#endif
