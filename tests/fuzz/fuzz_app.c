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
#include "fuzz_script.h"
#include "io/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tv_source src = { 0 };
	struct tv_ui_opts o = { .color = TV_COLOR_ALWAYS, .tier = TV_TIER_256,
				.view = TV_VIEW_EXPLORE };
	struct run r = { 0 };
	struct tv_params p;
	struct tv_chain c;
	size_t len;
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
	if (r.app && r.sink && tv_frame_init(&r.f, 80, 24) == 0)
		run_script(&r, data + 2, len, home, opt);
	end_run(&r, home);
	tv_source_free(&src);
	return 0;
}
