/* SPDX-License-Identifier: MIT */
/*
 * The temperature dial's allowed range (--range 0-2, or a provider's
 * documented range by name) and the guidance bands drawn on the dial.
 */
#ifndef TEMPVIZ_TRANGE_H
#define TEMPVIZ_TRANGE_H

#define TV_TRANGE_ACCEPTED \
	"LO-HI with 0 <= LO < HI <= 100 (e.g. 0-1, 0-2), or a provider's " \
	"documented range: openai (0-2)"

struct tv_trange {
	double lo, hi;          /* hi 0: no range given (the dial's own) */
	const char *name;       /* the provider, NULL for figures */
};

/* "0-2", "0.5-1.5" or a provider's name into *out; 0, or -1. */
int tv_trange_parse(const char *s, struct tv_trange *out);
/* "0 to 2" or "0 to 2 (openai)", for notes and the dial's refusal. */
void tv_trange_text(const struct tv_trange *r, char *buf, unsigned cap);

/* A guidance band of temperatures: what a setting in it is for. */
struct tv_band {
	const char *name;       /* factual, balanced, creative, experimental */
	double lo, hi;
};
#define TV_BANDS 4
const struct tv_band *tv_band(int i);

#endif
