/* SPDX-License-Identifier: MIT */
/*
 * What the unit tests share: a comparison of doubles, a frame written out
 * as a string, a frame's rows read back as text, a check of its cells, and
 * an app on a built-in scenario with a frame to render it into. Static inline, so a test that
 * uses only some of these draws no unused-function warning.
 */
#ifndef TV_TESTUTIL_H
#define TV_TESTUTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/source.h"
#include "io/uwidth.h"
#include "tempviz/pipeline.h"
#include "ui/app.h"
#include "ui/frame.h"

/* cmocka 1.1.5 has no assert_double_equal, and its float comparison
 * rounds to float. Equal infinities match. */
#define assert_near(a, b, eps) near_at((a), (b), (eps), __FILE__, __LINE__)

static inline void
near_at(double a, double b, double eps, const char *file, int line)
{
	if (a == b || fabs(a - b) <= eps)
		return;
	print_error("%.17g != %.17g (within %g)\n", a, b, eps);
	_fail(file, line);
}

/* The frame written in fmt, as a string the caller frees. */
static inline char *
frame_text(const struct tv_frame *f, enum tv_format fmt)
{
	FILE *tmp = tmpfile();
	long n;
	char *s;

	assert_non_null(tmp);
	assert_int_equal(tv_frame_write(f, fmt, tmp), 0);
	n = ftell(tmp);
	assert_true(n >= 0);
	rewind(tmp);
	s = calloc(1, (size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, tmp), (size_t)n);
	fclose(tmp);
	return s;
}

/* Row y of the frame as UTF-8 text, trailing spaces removed. */
static inline void
row_text(const struct tv_frame *f, int y, char *buf, size_t cap)
{
	size_t n = 0;
	int x;

	for (x = 0; x < f->w; x++) {
		const struct tv_cell *c = &f->cells[y * f->w + x];
		size_t len = strlen(c->ch);

		if (c->width == 0)
			continue;
		if (n + len + 1 >= cap)
			break;
		memcpy(buf + n, c->ch, len);
		n += len;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}

/* The first row containing s, or -1. */
static inline int
find_row(const struct tv_frame *f, const char *s)
{
	char line[4096];
	int y;

	for (y = 0; y < f->h; y++) {
		row_text(f, y, line, sizeof line);
		if (strstr(line, s))
			return y;
	}
	return -1;
}

/* Every cell holds one character and its marks, and wide characters are
 * whole: a width-2 cell has its width-0 half on its right, and nowhere
 * else is there a width-0 cell. */
static inline void
assert_cells_sound(const struct tv_frame *f)
{
	for (int y = 0; y < f->h; y++) {
		for (int x = 0; x < f->w; x++) {
			const struct tv_cell *c = &f->cells[y * f->w + x];
			uint32_t cp[TV_CELL_CODES + 1];
			int n;

			if (c->width == 0) {
				assert_true(x > 0);
				assert_int_equal(c[-1].width, 2);
				continue;
			}
			if (c->width == 2) {
				assert_true(x + 1 < f->w);
				assert_int_equal(c[1].width, 0);
			}
			n = tv_cell_codes(c, cp, TV_CELL_CODES + 1);
			assert_true(n >= 1 && n <= TV_CELL_CODES);
			assert_int_equal(tv_utf8_decode(c->ch, cp) > 0, 1);
			assert_int_equal(tv_cp_width(cp[0]), c->width);
			for (int i = 1; i < n; i++)
				assert_int_equal(tv_cp_width(cp[i]), 0);
		}
	}
}

/* The first row whose text starts, after the one-column margin, with the
 * word w and a space, or -1. */
static inline int
row_starting(const struct tv_frame *f, const char *w)
{
	char line[4096];
	size_t n = strlen(w);
	int y;

	for (y = 0; y < f->h; y++) {
		row_text(f, y, line, sizeof line);
		if (strncmp(line + 1, w, n) == 0 && line[1 + n] == ' ')
			return y;
	}
	return -1;
}

/* An app on a built-in scenario (the default parameters but for the
 * seed, the Hugging Face chain) and a w x h frame for it. */
struct fixture {
	struct tv_source src;
	struct tv_app *app;
	struct tv_frame f;
};

static inline struct fixture *
fixture_open(const char *scenario, const struct tv_ui_opts *o, uint32_t seed,
	     int w, int h)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct tv_source_spec spec = { .scenario = scenario };
	struct tv_error err;
	struct tv_params p;
	struct tv_chain c;

	assert_non_null(fx);
	assert_int_equal(tv_source_load(&spec, &fx->src, &err), TV_EXIT_OK);
	tv_params_default(&p);
	p.seed = seed;
	tv_chain_default(&c, TV_PROFILE_HF);
	fx->app = tv_app_new(&fx->src, &p, &c, o);
	assert_non_null(fx->app);
	assert_int_equal(tv_frame_init(&fx->f, w, h), 0);
	return fx;
}

static inline void
fixture_close(struct fixture *fx)
{
	tv_frame_free(&fx->f);
	tv_app_free(fx->app);
	tv_source_free(&fx->src);
	free(fx);
}

static inline void
render(struct fixture *fx)
{
	tv_app_render(fx->app, &fx->f);
}

#endif
