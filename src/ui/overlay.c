/* SPDX-License-Identifier: MIT */
/*
 * The panel under an overlay: cleared cells, so the view beneath does not
 * show through, and a rule above and below that names it and its keys.
 */
#include "ui/overlay.h"

struct tv_rect
tv_overlay_panel(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
		 int w, int h, const char *title, const char *hint)
{
	struct tv_style text = tv_st(a, TV_ROLE_TEXT);
	struct tv_style edge = tv_st(a, TV_ROLE_BORDER);
	struct tv_style head = tv_st(a, TV_ROLE_HEADER);
	struct tv_rect p;
	int x;

	w = w < r.w ? w : r.w;
	h = h < r.h ? h : r.h;
	p = (struct tv_rect){ r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h };
	tv_frame_fill(f, p, " ", text);
	for (x = p.x; x < p.x + p.w; x++) {
		tv_frame_puts(f, x, p.y, 1, a->look.g->track, edge);
		tv_frame_puts(f, x, p.y + p.h - 1, 1, a->look.g->track, edge);
	}
	head.attr |= TV_A_BOLD;
	tv_w_label(f, p.x + 2, p.y, p.w - 4, title, head);
	if (hint && p.h > 1)
		tv_w_label_right(f, p.x + 2, p.y + p.h - 1, p.w - 4, hint, edge);
	if (p.w < 4 || p.h < 2)
		return (struct tv_rect){ p.x, p.y, 0, 0 };
	return (struct tv_rect){ p.x + 2, p.y + 1, p.w - 4, p.h - 2 };
}
