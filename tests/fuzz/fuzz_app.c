/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the whole application: any input is loaded as a
 * source (any format, detected from the bytes; a built-in scenario when
 * it does not load), then a fuzzed script of keys, ticks and renders at
 * sizes from 1x1 to 300x100 drives the app, and at the end every view is
 * rendered and written in every format. A freeze, a crash or a leak in
 * key handling, layout or a writer is a finding. Run by `make fuzz`.
 *
 * Input: byte 0 is the script's length L, byte 1 the options (bit 0
 * ASCII glyphs, bits 1-2 the colour tier, bits 3-5 the first view, bits
 * 6-7 the scenario used when the rest does not load), bytes 2 .. 2+L the
 * script, the rest the source.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "io/source.h"
#include "ui/app_internal.h"
#include "ui/term.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_W 300
#define MAX_H 100

struct run {
	struct tv_app *app;
	struct tv_frame f;
	FILE *sink;
};

static void
draw(struct run *r, int w, int h, enum tv_format fmt)
{
	if (tv_frame_resize(&r->f, w, h) < 0)
		return;
	tv_app_render(r->app, &r->f);
	tv_frame_write(&r->f, fmt, r->sink);
}

/* A script byte as a key: printable ASCII as itself, the top half as the
 * named keys, control characters and Latin-1 letters (typed values). */
static int
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
static size_t
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

static int
load(const uint8_t *data, size_t size, int scenario, struct tv_source *src)
{
	struct tv_error err;
	struct tv_source_spec spec = { 0 };
	size_t n;
	const struct tv_scenario *sc = tv_scenarios(&n);

	if (tv_source_load_buffer("fuzz", (const char *)data, size, NULL, src,
				  &err) == 0)
		return 0;
	tv_source_free(src);
	spec.scenario = sc[(size_t)scenario % n].name;
	return tv_source_load(&spec, src, &err);
}

/* Saving the screen (w) writes into the current directory: the keys run
 * in one that is gone (held open by a descriptor), so every save takes
 * the failure path and no files pile up; then back home, where libFuzzer
 * keeps its corpus under relative paths. -1 when there is none. */
static int
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tv_source src = { 0 };
	struct tv_ui_opts o = { .color = TV_COLOR_ALWAYS, .tier = TV_TIER_256,
				.view = TV_VIEW_EXPLORE };
	struct run r = { 0 };
	struct tv_params p;
	struct tv_chain c;
	size_t len, i;
	uint8_t opt;
	int home;

	if (size < 2)
		return 0;
	len = data[0] < size - 2 ? data[0] : size - 2;
	opt = data[1];
	if (load(data + 2 + len, size - 2 - len, opt >> 6, &src) != 0)
		return 0;
	o.ascii = opt & 1;
	o.tier = (opt >> 1) & 3;
	if (o.tier > TV_TIER_MONO)
		o.tier = -1;
	o.view = (enum tv_view)((opt >> 3) & 7) % TV_VIEW__COUNT;
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_HF);
	r.app = tv_app_new(&src, &p, &c, &o);
	r.sink = fopen("/dev/null", "w");
	home = open(".", O_RDONLY | O_DIRECTORY);
	if (home < 0 || gone_dir() < 0 || fchdir(gone_dir()) != 0)
		abort();
	if (r.app && r.sink && tv_frame_init(&r.f, 80, 24) == 0) {
		for (i = 0; i < len;)
			i += step(&r, data + 2 + i, len - i);
		int w = r.f.w, h = r.f.h;

		/* The view the script left in every format, then every view
		 * at the last size, each through another writer. */
		for (int fmt = 0; fmt < 4; fmt++)
			draw(&r, w, h, (enum tv_format)fmt);
		for (int v = 0; v < TV_VIEW__COUNT; v++) {
			tv_app_key(r.app, TV_KEY_TAB);
			draw(&r, w, h, (enum tv_format)((v + opt) & 3));
		}
	}
	if (fchdir(home) != 0)
		abort();
	close(home);
	if (r.sink)
		fclose(r.sink);
	tv_frame_free(&r.f);
	if (r.app)
		tv_app_free(r.app);
	tv_source_free(&src);
	return 0;
}
