/* SPDX-License-Identifier: MIT */
/*
 * Provider ranges and guidance bands. Only providers whose range the
 * references document are named: OpenAI's API takes T from 0 to 2
 * (shared/reference/thermo.md, "APIs do the same: OpenAI 0-2").
 */
#include "ui/trange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	double lo, hi;
} providers[] = {
	{ "openai", 0, 2 },
};

/* The bands the talks and the issue teach (factual 0-0.3, balanced
 * 0.5-0.8, creative 0.8-1.2, experimental 1.5-2); the gaps between them
 * are left undrawn on purpose: no guidance names them. */
static const struct tv_band bands[TV_BANDS] = {
	{ "factual", 0, 0.3 },
	{ "balanced", 0.5, 0.8 },
	{ "creative", 0.8, 1.2 },
	{ "experimental", 1.5, 2 },
};

const struct tv_band *
tv_band(int i)
{
	return i >= 0 && i < TV_BANDS ? &bands[i] : NULL;
}

/* A number in [0, 100] written in full, from s to end. */
static int
bound(const char *s, const char *end, double *v)
{
	char buf[32], *e;

	if (end - s <= 0 || end - s >= (long)sizeof buf)
		return -1;
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	*v = strtod(buf, &e);
	return *e || !(*v >= 0 && *v <= 100) ? -1 : 0;
}

int
tv_trange_parse(const char *s, struct tv_trange *out)
{
	const char *dash = strchr(s, '-');
	struct tv_trange r = { 0 };

	for (size_t i = 0; i < sizeof providers / sizeof *providers; i++)
		if (strcmp(s, providers[i].name) == 0) {
			*out = (struct tv_trange){ .lo = providers[i].lo,
						   .hi = providers[i].hi,
						   .name = providers[i].name };
			return 0;
		}
	if (!dash || bound(s, dash, &r.lo) != 0 ||
	    bound(dash + 1, dash + 1 + strlen(dash + 1), &r.hi) != 0 ||
	    !(r.hi > r.lo))
		return -1;
	*out = r;
	return 0;
}

void
tv_trange_text(const struct tv_trange *r, char *buf, unsigned cap)
{
	if (r->name)
		snprintf(buf, cap, "%g to %g (%s)", r->lo, r->hi, r->name);
	else
		snprintf(buf, cap, "%g to %g", r->lo, r->hi);
}
