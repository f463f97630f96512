/* SPDX-License-Identifier: MIT */
/*
 * The presentation header of the explore view (--big, the B key): T and
 * the entropy in block digits over the dials, for a room to read. It
 * takes rows only where the bars keep enough of the screen.
 */
#include <stdio.h>

#include "ui/app_internal.h"

/* The body height from which the digits leave the bars their room, and
 * from which they are drawn twice the size. */
#define BIG_MIN_BODY 28
#define BIG_TWICE_BODY 50
#define BIG_GAP 6

static void
temp_text(const struct tv_app *a, char *buf, size_t cap)
{
	double t = a->par.temp;

	if (a->res.greedy)
		snprintf(buf, cap, "T=0");
	else
		snprintf(buf, cap, t < 10 ? "T=%.2f" : "T=%.1f", t);
}

int
tv_big_header(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct tv_style ts = tv_st(a, TV_ROLE_DIAL_VALUE);
	struct tv_style hs = tv_st(a, TV_ROLE_GAUGE);
	const struct tv_stats *s = &a->res.stats;
	char tt[32], ht[32], cap1[48], cap2[48];
	int wt, wh, x, k = r.h >= BIG_TWICE_BODY ? 2 : 1;

	if (!a->opts.big || r.h < BIG_MIN_BODY)
		return 0;
	temp_text(a, tt, sizeof tt);
	snprintf(ht, sizeof ht, "H=%.2f", s->entropy_bits);
	snprintf(cap1, sizeof cap1, "bits of entropy");
	snprintf(cap2, sizeof cap2, "%s, top-1 %.1f%%", tv_temp_regime(
		 a->res.greedy ? 0 : a->par.temp), s->top1 * 100);
	for (;; k--) {
		wt = tv_w_big_width(tt, k);
		wh = tv_w_big_width(ht, k);
		if (2 + wt + BIG_GAP + wh + 2 + 20 <= r.w)
			break;
		if (k == 1)
			return 0;
	}
	if (a->look.tier == TV_TIER_256)
		ts.fg = tv_theme_ramp(a->look.tier, tv_theme_temp01(
			a->res.greedy ? 0 : a->par.temp)).fg;
	x = r.x + 2;
	x += tv_w_big(f, x, r.y, wt, tt, k, &a->look, ts) + BIG_GAP;
	x += tv_w_big(f, x, r.y, wh, ht, k, &a->look, hs) + 2;
	tv_w_label(f, x, r.y + TV_BIG_H * k - 2, r.x + r.w - x - 1, cap1,
		   tv_st(a, TV_ROLE_STAT_LABEL));
	tv_w_label(f, x, r.y + TV_BIG_H * k - 1, r.x + r.w - x - 1, cap2,
		   tv_st(a, TV_ROLE_STAT_LABEL));
	return TV_BIG_H * k + 1;
}
