/* SPDX-License-Identifier: MIT */
/*
 * The dials every view but help shows at its top: drawing shared by the
 * views, so that none of them borrows it from another.
 */
#include "ui/app_internal.h"

/* The narrowest column a dial is laid out in. */
#define DIAL_MIN_W 36

int
tv_dials_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	enum tv_dial_id ids[TV_DIAL__COUNT];
	int n = 0, i, cols, rows, cw;

	for (i = 0; i < TV_DIAL__COUNT; i++)
		if (tv_dial_shown(a, (enum tv_dial_id)i))
			ids[n++] = (enum tv_dial_id)i;
	cols = r.w / DIAL_MIN_W;
	cols = cols < 1 ? 1 : cols > n ? n : cols;
	rows = (n + cols - 1) / cols;
	/* As few columns as those rows need, each as wide as it can be. */
	cols = (n + rows - 1) / rows;
	cw = r.w / cols;
	/* Column-major, so Down walks down a column as the focus does. */
	for (i = 0; i < n && i / rows < cols; i++) {
		struct tv_dial_state ds;
		struct tv_dial w;
		struct tv_rect cell = { r.x + (i / rows) * cw + 1,
					r.y + i % rows, cw - 2, 1 };

		if (i % rows >= r.h)
			continue;
		tv_dial_get(a, ids[i], &ds);
		w = (struct tv_dial){ .name = ds.name, .text = ds.text,
				      .value = ds.value, .lo = ds.lo,
				      .hi = ds.hi, .log = ds.log,
				      .focus = ids[i] == a->focus,
				      .off = ds.off || ds.absent,
				      .bands = ds.bands };
		tv_w_dial(f, cell, &a->look, &w);
	}
	return rows < r.h ? rows : r.h;
}
