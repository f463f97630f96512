/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for generate mode: an app on a language model (the
 * unit tests' bigram by table, or their listed backend answering at once
 * or only at the next tick, as a model server does), under the samplers
 * with memory, then a fuzzed script of keys, ticks and renders: words,
 * undo, lanes, branches and their tree, the beam lane, the prompt
 * editor, every view. A crash, a freeze or a leak is a finding. Run by
 * `make fuzz`.
 *
 * Input: byte 0 the options (bit 0 the listed backend, bit 1 it answers
 * asynchronously, bits 2-3 the profile, bit 4 ASCII glyphs, bits 5-6 the
 * colour tier, bit 7 the lanes open), bytes 1-3 the samplers with memory
 * (see set_memory), the rest the script.
 */
#include "fuzz_script.h"
#include "io/source.h"
#include "lm/model.h"
#include "ui/app.h"

/* fakelm.h checks its own steps as a unit test would; here a failed one
 * is a finding too. */
#define assert_int_equal(a, b) ((a) == (b) ? (void)0 : abort())
#define assert_non_null(a) ((a) ? (void)0 : abort())
#include "../unit/fakelm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bytes m[0..2]: the repetition penalty (1 to 2), frequency and
 * presence, DRY's multiplier and allowed length, mirostat's version and
 * quadratic smoothing, all within the ranges the command line takes. */
static void
set_memory(struct tv_params *p, const uint8_t *m)
{
	p->repeat_penalty = 1 + (m[0] & 7) / 7.0;
	p->repeat_last_n = (m[0] >> 3 & 3) * 2 - 1;
	p->freq_penalty = (m[0] >> 5 & 1) * 0.5;
	p->presence_penalty = (m[0] >> 6 & 1) * 0.5;
	p->dry_multiplier = (m[1] & 3) * 0.5;
	p->dry_allowed_length = m[1] >> 2 & 3;
	p->dry_penalty_last_n = (m[1] >> 4 & 3) * 4 - 1;
	p->mirostat = m[2] % 3;
	p->mirostat_tau = 1 + (m[2] >> 2 & 3);
	p->mirostat_mu = 2 * p->mirostat_tau;
	p->smoothing_factor = (m[2] >> 4 & 3) * 0.4;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum tv_profile prof[] = {
		TV_PROFILE_HF, TV_PROFILE_LLAMACPP, TV_PROFILE_VLLM,
		TV_PROFILE_LLAMA3,
	};
	struct tv_source src = { 0 };
	struct tv_source_spec spec = { .scenario = "approve" };
	struct tv_ui_opts o = { .color = TV_COLOR_ALWAYS,
				.view = TV_VIEW_GENERATE };
	struct tv_error err;
	struct run r = { 0 };
	struct tv_model *m;
	struct tv_params p;
	struct tv_chain c;
	char msg[160];
	int home;

	if (size < 4 || tv_source_load(&spec, &src, &err) != 0)
		return 0;
	o.ascii = data[0] >> 4 & 1;
	o.tier = data[0] >> 5 & 3;
	if (o.tier > TV_TIER_MONO)
		o.tier = -1;
	tv_params_default(&p);
	set_memory(&p, data + 1);
	tv_chain_default(&c, prof[data[0] >> 2 & 3]);
	m = data[0] & 1 ? listed_model() : fake_table();
	r.app = tv_app_new(&src, &p, &c, &o);
	r.sink = fopen("/dev/null", "w");
	home = open(".", O_RDONLY | O_DIRECTORY);
	if (r.app && r.sink && tv_frame_init(&r.f, 80, 24) == 0 &&
	    tv_app_use_model(r.app, m, "a", msg, sizeof msg) == 0) {
		if (data[0] & 2)
			tv_model_set_async(m, 1);
		if (data[0] & 0x80)
			tv_app_key(r.app, 'L');
		run_script(&r, data + 4, size - 4, home, data[0]);
	}
	end_run(&r, home);
	tv_model_free(m);
	tv_source_free(&src);
	return 0;
}
