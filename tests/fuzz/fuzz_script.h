/* SPDX-License-Identifier: MIT */
/*
 * A fuzzed script driving an app, shared by the harnesses that run the
 * whole application: keys, ticks of the animation and renders at any
 * size through every writer, in a directory that is gone so that a save
 * takes its failure path.
 */
#ifndef TV_FUZZ_SCRIPT_H
#define TV_FUZZ_SCRIPT_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ui/app_internal.h"
#include "ui/term.h"

#define MAX_W 300
#define MAX_H 100

struct run {
	struct tv_app *app;
	struct tv_frame f;
	FILE *sink;
};

static inline void
draw(struct run *r, int w, int h, enum tv_format fmt)
{
	if (tv_frame_resize(&r->f, w, h) < 0)
		return;
	tv_app_render(r->app, &r->f);
	tv_frame_write(&r->f, fmt, r->sink);
}

/* A script byte as a key: printable ASCII as itself, the top half as the
 * named keys, control characters and Latin-1 letters (typed values). */
static inline int
key_of(uint8_t b)
{
	const int named = TV_KEY__END - TV_KEY_BASE;

	if (b >= 0x20 && b < 0x80)
		return b == 0x7f ? TV_KEY_BACKSPACE : b;
	if (b >= 0xe0)
		return b;
	if (b >= 0xc0)
		return TV_KEY_CTRL(b);
	return TV_KEY_BASE + (b - 0x80) % named;
}

/* One step of the script at s[*i]; returns the bytes it used. Bytes
 * 0x00-0x07 render at the size of the next two bytes (bit 0 adds 256 to
 * the width) through the writer of bits 1-2, 0x08-0x0f tick the
 * animation, 0x10-0x1f are raw control keys. */
static inline size_t
step(struct run *r, const uint8_t *s, size_t n)
{
	if (s[0] < 0x08 && n >= 3) {
		int w = 1 + ((s[1] | (s[0] & 1) << 8) % MAX_W);
		int h = 1 + s[2] % MAX_H;

		draw(r, w, h, (enum tv_format)((s[0] >> 1) & 3));
		return 3;
	}
	if (s[0] < 0x10)
		tv_app_tick(r->app, 16.0 * (s[0] & 7));
	else if (s[0] < 0x20)
		tv_app_key(r->app, s[0]);
	else
		tv_app_key(r->app, key_of(s[0]));
	return 1;
}

/* Saving the screen (w) writes into the current directory: the keys run
 * in one that is gone (held open by a descriptor), so every save takes
 * the failure path and no files pile up; then back home, where libFuzzer
 * keeps its corpus under relative paths. -1 when there is none. */
static inline int
gone_dir(void)
{
	static int fd = -2;
	char dir[] = "/tmp/tempviz-fuzz-XXXXXX";

	if (fd == -2) {
		fd = -1;
		if (mkdtemp(dir)) {
			fd = open(dir, O_RDONLY | O_DIRECTORY);
			rmdir(dir);
		}
	}
	return fd;
}

/* Run the script s of n bytes on r->app from the home directory home,
 * in the gone one; then every view at the last size through every
 * writer. */
static inline void
run_script(struct run *r, const uint8_t *s, size_t n, int home, uint8_t opt)
{
	size_t i;
	int w, h;

	if (home < 0 || gone_dir() < 0 || fchdir(gone_dir()) != 0)
		abort();
	for (i = 0; i < n;)
		i += step(r, s + i, n - i);
	w = r->f.w;
	h = r->f.h;
	for (int fmt = 0; fmt < 4; fmt++)
		draw(r, w, h, (enum tv_format)fmt);
	for (int v = 0; v < TV_VIEW__COUNT; v++) {
		tv_app_key(r->app, TV_KEY_TAB);
		draw(r, w, h, (enum tv_format)((v + opt) & 3));
	}
	if (fchdir(home) != 0)
		abort();
}

/* Close what a harness opened for the run. */
static inline void
end_run(struct run *r, int home)
{
	if (home >= 0)
		close(home);
	if (r->sink)
		fclose(r->sink);
	tv_frame_free(&r->f);
	if (r->app)
		tv_app_free(r->app);
}

#endif
