/* SPDX-License-Identifier: MIT */
/*
 * Overlays: a panel drawn over the view (the source picker, the
 * take-home lines) while it takes the keys. Each overlay keeps its own
 * state in its own file; this is the drawing they share.
 */
#ifndef TEMPVIZ_OVERLAY_H
#define TEMPVIZ_OVERLAY_H

#include "ui/app_internal.h"

/* A panel of at most w x h cells centred in r, with title on its top
 * edge and hint on its bottom edge; returns the rectangle inside the
 * edges (its width and height may be 0 on a small screen). */
struct tv_rect tv_overlay_panel(struct tv_app *a, struct tv_frame *f,
				struct tv_rect r, int w, int h,
				const char *title, const char *hint);

#endif
