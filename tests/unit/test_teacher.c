/* SPDX-License-Identifier: MIT */
/*
 * What a teacher asked for: the source picker, the saved screen and the
 * take-home lines. The take-home tempviz line is read back by the real
 * command-line parser, over a grid of settings, and must give the very
 * numbers it was made from.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "cli/opts.h"
#include "io/talk.h"
#include "ui/action.h"
#include "ui/app_internal.h"
#include "ui/picker.h"
#include "ui/recipe.h"
#include "ui/shot.h"
#include "ui/takehome.h"
#include "ui/talkmode.h"

/* ----------------------------------------------------------- recipe --- */

static void
test_num_shortest(void **state)
{
	static const double v[] = { 0.7, 0.1 + 0.2, 1e-30, 100, 0.05, 1.0 / 3,
				    0.95, 2.5e-7, 12345.678 };
	char buf[32];
	size_t i;

	(void)state;
	tv_recipe_num(buf, sizeof buf, 0.7);
	assert_string_equal(buf, "0.7");
	tv_recipe_num(buf, sizeof buf, 0.1 + 0.2);
	assert_string_equal(buf, "0.30000000000000004");
	tv_recipe_num(buf, sizeof buf, 1e-30);
	assert_string_equal(buf, "1e-30");
	for (i = 0; i < sizeof v / sizeof *v; i++) {
		tv_recipe_num(buf, sizeof buf, v[i]);
		assert_true(strtod(buf, NULL) == v[i]);
	}
}

/* Split a POSIX shell line of bare, single- and double-quoted words
 * (the forms the recipe writes) into argv; returns argc. */
static int
shell_split(const char *line, char *store, size_t cap, char **argv, int max)
{
	size_t n = 0;
	int argc = 0;

	while (*line) {
		while (*line == ' ')
			line++;
		if (!*line)
			break;
		assert_true(argc < max);
		argv[argc++] = store + n;
		while (*line && *line != ' ') {
			if (*line == '\'' || *line == '"') {
				char q = *line;

				for (line++; *line && *line != q; line++)
					store[n++] = *line;
				assert_int_equal(*line, q);
				line++;
			} else {
				store[n++] = *line++;
			}
			assert_true(n + 1 < cap);
		}
		store[n++] = '\0';
	}
	return argc;
}

/* The recipe's tempviz line, parsed as the program parses its argv; o
 * points into store, the words' bytes. */
static void
parse_back(const struct tv_recipe *rc, struct tv_cli *o, char *store,
	   size_t cap)
{
	const char *line = tv_recipe_find(rc, TV_RECIPE_CMD, "tempviz print");
	char *argv[128];
	int argc;

	assert_non_null(line);
	argc = shell_split(line, store, cap, argv, 128);
	assert_int_equal(tv_cli_parse(argc, argv, o), TV_EXIT_OK);
}

static void
assert_same_settings(const struct tv_cli *o, const struct tv_params *p,
		     const struct tv_chain *c)
{
	int i;

	assert_true(o->params.temp == p->temp);
	assert_int_equal(o->params.top_k, p->top_k);
	assert_true(o->params.top_p == p->top_p);
	assert_true(o->params.min_p == p->min_p);
	assert_true(o->params.typical_p == p->typical_p);
	assert_true(o->params.top_n_sigma == p->top_n_sigma);
	assert_true(o->params.xtc_threshold == p->xtc_threshold);
	assert_true(o->params.xtc_probability == p->xtc_probability);
	assert_true(o->params.dynatemp_range == p->dynatemp_range);
	assert_true(o->params.dynatemp_exp == p->dynatemp_exp);
	assert_int_equal(o->params.min_keep, p->min_keep);
	assert_int_equal(o->params.seed, p->seed);
	assert_true(o->params.top_a == p->top_a);
	assert_true(o->params.tfs == p->tfs);
	assert_int_equal(o->params.mirostat, p->mirostat);
	assert_true(o->params.mirostat_tau == p->mirostat_tau);
	assert_true(o->params.mirostat_eta == p->mirostat_eta);
	assert_true(o->params.repeat_penalty == p->repeat_penalty);
	assert_int_equal(o->params.repeat_last_n, p->repeat_last_n);
	assert_true(o->params.freq_penalty == p->freq_penalty);
	assert_true(o->params.presence_penalty == p->presence_penalty);
	assert_true(o->params.dry_multiplier == p->dry_multiplier);
	assert_true(o->params.dry_base == p->dry_base);
	assert_int_equal(o->params.dry_allowed_length, p->dry_allowed_length);
	assert_int_equal(o->params.dry_penalty_last_n, p->dry_penalty_last_n);
	assert_true(o->params.smoothing_factor == p->smoothing_factor);
	assert_true(o->params.smoothing_curve == p->smoothing_curve);
	assert_int_equal(o->chain.rules, c->rules);
	assert_int_equal(o->chain.n, c->n);
	for (i = 0; i < c->n; i++)
		assert_int_equal(o->chain.stage[i], c->stage[i]);
}

/* Every dial at a grid of values (typed ones with many digits among
 * them), under every profile, in its own and in a custom order: the line
 * reads back as the same numbers. */
static void
test_print_line_reads_back(void **state)
{
	static const double temps[] = { 0, 0.7, 1, 1.0 / 3, 0.123456789, 100 };
	static const double fracs[] = { 0.05, 0.9, 0.1 + 0.2 };
	static const struct tv_source_spec specs[] = {
		{ .scenario = "france" },
		{ .path = "a file with 'quotes' and spaces.tsv" },
		{ .path = "-x.npy", .vocab = "vocab words.txt", .row = "-1" },
		{ .logits = "2,1,0.5,-1" },
	};
	int prof, ti, fi, si, custom, cases = 0;

	(void)state;
	for (prof = 0; prof < TV_PROFILE__COUNT; prof++)
	for (ti = 0; ti < 6; ti++)
	for (fi = 0; fi < 3; fi++)
	for (si = 0; si < 4; si++)
	for (custom = 0; custom < 2; custom++) {
		struct tv_params p;
		struct tv_chain c;
		struct tv_recipe rc;
		struct tv_cli o;
		char store[4096];
		struct tv_recipe_in in = { .spec = specs[si], .par = &p,
					   .chain = &c, .position = fi };
		const char *bad;

		tv_params_default(&p);
		tv_chain_default(&c, (enum tv_profile)prof);
		p.temp = temps[ti];
		p.top_k = fi * 20;
		p.top_p = fracs[fi];
		p.min_p = fracs[(fi + 1) % 3] / 2;
		p.seed = (uint32_t)(fi * 7);
		if (prof == TV_PROFILE_LLAMACPP) {
			p.typical_p = fracs[fi];
			p.top_n_sigma = 1.5 * fi;
			p.xtc_threshold = fracs[fi] / 3;
			p.xtc_probability = fracs[(fi + 2) % 3];
			p.dynatemp_range = fracs[fi];
			p.dynatemp_exp = 1 + fi;
			p.min_keep = fi;
			p.top_a = fracs[fi] / 4;
			p.tfs = fracs[(fi + 1) % 3];
			p.mirostat = fi;
			p.mirostat_tau = 3 + fracs[fi];
			p.mirostat_eta = fracs[(fi + 2) % 3] / 2;
			p.dry_multiplier = fracs[fi];
			p.dry_base = 1 + fracs[(fi + 1) % 3];
			p.dry_allowed_length = fi;
			p.dry_penalty_last_n = 8 * fi - 1;
			p.repeat_last_n = 16 * fi - 1;
		}
		p.repeat_penalty = 1 + fracs[(fi + 2) % 3] / 2;
		p.freq_penalty = fracs[fi] - 0.5;
		p.presence_penalty = fracs[(fi + 1) % 3] / 3;
		p.smoothing_factor = fracs[(fi + 2) % 3];
		p.smoothing_curve = 1 + fi;
		if (custom)
			assert_int_equal(tv_chain_parse(&c, "top-p,temperature,"
							"min-p", &bad), 0);
		if (in.position && si != 0)
			in.position = 0;
		tv_recipe_build(&in, &rc);
		parse_back(&rc, &o, store, sizeof store);
		assert_same_settings(&o, &p, &c);
		if (specs[si].path) {
			assert_string_equal(o.spec.path, specs[si].path[0] == '-'
					    ? "./-x.npy" : specs[si].path);
		}
		if (specs[si].scenario)
			assert_string_equal(o.spec.scenario, "france");
		if (specs[si].logits)
			assert_string_equal(o.spec.logits, "2,1,0.5,-1");
		if (specs[si].vocab) {
			assert_string_equal(o.spec.vocab, "vocab words.txt");
			assert_string_equal(o.spec.row, "-1");
		}
		/* --position counts from 1; the parser keeps an index. */
		assert_int_equal(o.position, in.position ?
				 (long)in.position - 1 : -1);
		tv_cli_free(&o);
		cases++;
	}
	assert_int_equal(cases, 4 * 6 * 3 * 4 * 2);
}

/* The lines themselves, on the settings of a lesson. */
static void
test_lines_llamacpp(void **state)
{
	struct tv_params p;
	struct tv_chain c;
	struct tv_recipe rc;
	struct tv_recipe_in in = { .spec = { .scenario = "france" },
				   .par = &p, .chain = &c };

	(void)state;
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	p.temp = 0.7;
	p.top_k = 40;
	p.min_p = 0.05;
	tv_recipe_build(&in, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "tempviz"),
			    "tempviz print --scenario france --profile llama.cpp "
			    "--temp 0.7 --top-k 40 --min-p 0.05");
	/* llama-cli's own defaults (top-p 0.95) must not creep in. */
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "llama-cli"),
			    "llama-cli --temp 0.7 --top-k 40 --top-p 1 --min-p "
			    "0.05 --samplers 'top_n_sigma;top_k;typ_p;top_p;"
			    "min_p;xtc;temperature'");
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "\"temp"),
			    "\"temperature\": 0.7, \"top_p\": 1");
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "\"top_k"),
			    "\"top_k\": 40, \"min_p\": 0.05");
	/* Temperature last, min-p before it: vLLM cannot be asked. */
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE,
				       "the order cannot be asked for"));
	assert_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "llama.cpp cuts"));
	assert_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "no field"));
}

static void
test_lines_notes(void **state)
{
	struct tv_params p;
	struct tv_chain c;
	struct tv_recipe rc;
	struct tv_recipe_in in = { .spec = { .path = "-" }, .par = &p,
				   .chain = &c };

	(void)state;
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_HF);
	/* T and top-k commute: no order note, whatever the chain says. */
	p.temp = 2.5;
	p.top_k = 5;
	tv_recipe_build(&in, &rc);
	assert_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "the order"));
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE,
				       "temperature above 2"));
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE,
				       "llama.cpp cuts by its own rules"));
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE,
				       "the data came from standard input"));
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "tempviz"),
			    "tempviz print - --profile hf --temp 2.5 --top-k 5");
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "llama-cli"),
			    "llama-cli --temp 2.5 --top-k 5 --top-p 1 --min-p 0 "
			    "--samplers 'temperature;top_k;top_p;min_p;typ_p'");

	/* Samplers neither OpenAI nor vLLM has, and min-keep. */
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	p.typical_p = 0.9;
	p.xtc_probability = 0.5;
	p.min_keep = 3;
	tv_recipe_build(&in, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_NOTE, "no field"),
			    "no field for typical, xtc, min-keep: neither "
			    "OpenAI nor vLLM has that sampler");
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "min-keep 3"));
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "XTC's coin"));
	assert_non_null(strstr(tv_recipe_find(&rc, TV_RECIPE_CMD, "llama-cli"),
			       " --typical 0.9 --xtc-threshold 0.1 "
			       "--xtc-probability 0.5 --seed 0 "));

	/* A stage switched on but left out of the order does nothing: the
	 * engines' lines leave it out too. */
	tv_params_default(&p);
	p.top_p = 0.5;
	assert_int_equal(tv_chain_parse(&c, "temperature", &(const char *){
					NULL }), 0);
	tv_recipe_build(&in, &rc);
	assert_non_null(strstr(tv_recipe_find(&rc, TV_RECIPE_CMD, "llama-cli"),
			       "--top-p 1 "));
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "\"temp"),
			    "\"temperature\": 1, \"top_p\": 1");
}

/* The samplers with memory: llama.cpp names its penalties and DRY in
 * --samplers or runs neither; OpenAI and vLLM take what they have. */
static void
test_lines_memory(void **state)
{
	static const char *const breakers[] = { "\n", "it's", NULL };
	struct tv_params p;
	struct tv_chain c;
	struct tv_recipe rc;
	struct tv_recipe_in in = { .spec = { .scenario = "story" },
				   .history = "little young little",
				   .par = &p, .chain = &c };

	(void)state;
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	p.repeat_penalty = 1.1;
	p.repeat_last_n = 256;
	p.presence_penalty = 0.5;
	p.dry_multiplier = 0.8;
	p.dry_allowed_length = 3;
	p.dry_breakers = breakers;
	tv_recipe_build(&in, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "tempviz"),
			    "tempviz print --scenario story --history 'little "
			    "young little' --profile llama.cpp --repeat-penalty "
			    "1.1 --repeat-last-n 256 --presence-penalty 0.5 "
			    "--dry-multiplier 0.8 --dry-allowed-length 3 "
			    "--dry-sequence-breaker '\n' --dry-sequence-breaker "
			    "'it'\"'\"'s'");
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "llama-cli"),
			    "llama-cli --temp 1 --top-k 0 --top-p 1 --min-p 0 "
			    "--repeat-penalty 1.1 --repeat-last-n 256 "
			    "--presence-penalty 0.5 --dry-multiplier 0.8 "
			    "--dry-allowed-length 3 --dry-sequence-breaker '\n' "
			    "--dry-sequence-breaker 'it'\"'\"'s' --samplers "
			    "'penalties;dry;top_n_sigma;top_k;typ_p;top_p;min_p;"
			    "xtc;temperature'");
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE,
				       "the penalties and DRY read the text"));
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "\"temp"),
			    "\"temperature\": 1, \"top_p\": 1, "
			    "\"frequency_penalty\": 0, \"presence_penalty\": "
			    "0.5");
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "\"top_k"),
			    "\"top_k\": -1, \"min_p\": 0, "
			    "\"repetition_penalty\": 1.1");
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE,
				       "vLLM counts the penalties"));
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_NOTE, "no field"),
			    "no field for dry: neither OpenAI nor vLLM has that "
			    "sampler");
	assert_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "llama.cpp has no "
				   "quadratic"));

	/* Only DRY, with no breakers at all, and smoothing; a window with
	 * the penalties off is left out of llama.cpp's line. */
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_VLLM);
	p.repeat_last_n = 8;
	p.dry_multiplier = 1;
	p.dry_breakers = &breakers[2];
	p.smoothing_factor = 0.3;
	in.history = NULL;
	tv_recipe_build(&in, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "tempviz"),
			    "tempviz print --scenario story --profile vllm "
			    "--repeat-last-n 8 --dry-multiplier 1 "
			    "--dry-sequence-breaker none --smoothing-factor 0.3");
	assert_non_null(strstr(tv_recipe_find(&rc, TV_RECIPE_CMD, "llama-cli"),
			       " --min-p 0 --dry-multiplier 1 "
			       "--dry-sequence-breaker none --samplers 'dry;"));
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "llama.cpp has no "
				       "quadratic smoothing"));
	assert_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "the penalties and DRY"
				   " read"));
	assert_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "vLLM counts"));
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_NOTE, "no field"),
			    "no field for dry, smoothing: neither OpenAI nor "
			    "vLLM has that sampler");
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "\"temp"),
			    "\"temperature\": 1, \"top_p\": 1");

	/* Mirostat in llama.cpp's rules (its own order does not name it)
	 * replaces the chain, the penalties with it. */
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_LLAMACPP);
	p.mirostat = 2;
	p.mirostat_tau = 3;
	p.repeat_penalty = 1.3;
	tv_recipe_build(&in, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "llama-cli"),
			    "llama-cli --temp 1 --top-k 0 --top-p 1 --min-p 0 "
			    "--mirostat 2 --mirostat-ent 3 --mirostat-lr 0.1 "
			    "--samplers 'top_n_sigma;top_k;typ_p;top_p;min_p;"
			    "xtc;temperature'");
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "mirostat replaces "
				       "llama.cpp's chain"));
	/* On a model, vLLM's output-only penalties and the words written. */
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_VLLM);
	p.freq_penalty = 0.5;
	in = (struct tv_recipe_in){ .lm = 1, .prompt = "the cat sat",
				    .written = 2, .par = &p, .chain = &c };
	tv_recipe_build(&in, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_NOTE, "this line"),
			    "this line reads the 2 words written as prompt, "
			    "which vLLM's frequency and presence penalties do "
			    "not count");
	in.written = 0;
	tv_recipe_build(&in, &rc);
	assert_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "this line"));
	assert_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "these are pane"));
	in.pane = 'B';
	tv_recipe_build(&in, &rc);
	assert_non_null(tv_recipe_find(&rc, TV_RECIPE_NOTE, "these are pane B's "
				       "settings"));
}

static void
test_lines_model(void **state)
{
	struct tv_params p;
	struct tv_chain c;
	struct tv_recipe rc;
	struct tv_recipe_in in = { .lm = 1, .lm_path = "/usr/share/en us.lm",
				   .prompt = "it's a", .par = &p, .chain = &c };

	(void)state;
	tv_params_default(&p);
	tv_chain_default(&c, TV_PROFILE_HF);
	tv_recipe_build(&in, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "tempviz"),
			    "tempviz print --lm '/usr/share/en us.lm' --prompt "
			    "'it'\"'\"'s a' --profile hf");
	/* A model server is named as the flag that reaches it. */
	in.server = 1;
	in.lm_path = "http://127.0.0.1:8080";
	tv_recipe_build(&in, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "tempviz"),
			    "tempviz print --server http://127.0.0.1:8080 "
			    "--prompt 'it'\"'\"'s a' --profile hf");
}

/* ----------------------------------------------------------- picker --- */

static struct fixture *
open_app(void)
{
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_EXPLORE };
	struct tv_source_spec spec = { .scenario = "france" };
	struct fixture *fx = fixture_open("france", &o, 42, 100, 30);

	assert_int_equal(tv_app_origin(fx->app, &spec), 0);
	return fx;
}

static void
press(struct fixture *fx, const char *keys)
{
	char err[160];

	assert_int_equal(tv_app_press(fx->app, keys, err, sizeof err), 0);
	render(fx);
}

/* O, letters, Enter: story is shown, its positions from the first, and
 * every dial as it was. */
static void
test_picker_keeps_dials(void **state)
{
	struct fixture *fx = open_app();
	struct tv_params before;
	struct tv_chain chain;

	(void)state;
	press(fx, "=0.5<Enter>p<Right>");
	before = fx->app->par;
	chain = fx->app->chain;
	press(fx, "O");
	assert_true(find_row(&fx->f, "Switch the source") >= 0);
	assert_true(find_row(&fx->f, "An open story") >= 0);
	press(fx, "st<Enter>");
	assert_string_equal(fx->app->src->label, "story");
	assert_ptr_equal(fx->app->d, &fx->app->src->pos[0]);
	assert_memory_equal(&fx->app->par, &before, sizeof before);
	assert_memory_equal(&fx->app->chain, &chain, sizeof chain);
	assert_true(find_row(&fx->f, " tempviz story ") == 0);
	assert_true(find_row(&fx->f, "source: story") >= 0);
	/* The take-home line names the new source. */
	{
		struct tv_recipe rc;

		tv_takehome_recipe(fx->app, &rc);
		assert_non_null(strstr(tv_recipe_find(&rc, TV_RECIPE_CMD,
						      "tempviz"),
				       "--scenario story "));
	}
	/* Esc keeps it; Up Enter goes to the one above, and the previous
	 * owned source is freed (ASan would see a leak or a stale read). */
	press(fx, "O<Esc>");
	assert_string_equal(fx->app->src->label, "story");
	press(fx, "O<Up><Enter>O<Home><Enter>");
	assert_string_equal(fx->app->src->label, "approve");
	press(fx, "O<End><Enter>");
	assert_string_equal(fx->app->src->label, "uniform");
	fixture_close(fx);
}

/* A letter no name starts with says so; the selection stays. */
static void
test_picker_jump(void **state)
{
	struct fixture *fx = open_app();

	(void)state;
	press(fx, "Oz");
	assert_true(find_row(&fx->f, "no source starts with z") >= 0);
	press(fx, "tw<Enter>");
	assert_string_equal(fx->app->src->label, "twolevel");
	/* Typing starts afresh each time the picker opens. */
	press(fx, "Oti<Enter>");
	assert_string_equal(fx->app->src->label, "tie");
	fixture_close(fx);
}

/* The file given at start is read again when chosen; when it no longer
 * loads, its error is the status line and the shown source stays. */
static void
test_picker_file_fails(void **state)
{
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_EXPLORE };
	char path[] = "/tmp/tempviz-pick-XXXXXX";
	struct tv_source_spec spec = { .path = path };
	struct fixture *fx = fixture_open("approve", &o, 42, 100, 30);
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("yes\t2\nno\t1\n", f);
	fclose(f);
	assert_int_equal(tv_app_origin(fx->app, &spec), 0);
	press(fx, "O<End>");
	assert_true(find_row(&fx->f, "the file given at start") >= 0);
	press(fx, "<Enter>");
	assert_int_equal(fx->app->d->n, 2);
	assert_string_equal(fx->app->src->label, path);

	press(fx, "Ostory<Enter>");
	assert_int_equal(unlink(path), 0);
	press(fx, "O<End><Enter>");
	assert_string_equal(fx->app->src->label, "story");
	assert_non_null(strstr(fx->app->msg, path));
	assert_true(find_row(&fx->f, path) == fx->f.h - 1);
	fixture_close(fx);
}

/* ------------------------------------------------------------- shot --- */

static void
test_shot_files(void **state)
{
	struct fixture *fx = open_app();
	char dir[] = "/tmp/tempviz-shot-XXXXXX", cwd[4096], *want;
	FILE *f;
	long n;
	char *got;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	setenv("SOURCE_DATE_EPOCH", "86399", 1);
	setenv("TZ", "UTC", 1);
	tzset();
	render(fx);
	want = frame_text(&fx->f, TV_FMT_TXT);
	press(fx, "w");
	assert_string_equal(fx->app->msg, "saved tempviz-19700101-235959.svg "
			    "and .txt (100 x 30)");
	assert_non_null(f = fopen("tempviz-19700101-235959.txt", "r"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	got = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(got, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	/* The screen as it was, not the status line of the save. */
	assert_string_equal(got, want);
	free(got);
	free(want);
	assert_int_equal(access("tempviz-19700101-235959.svg", R_OK), 0);
	/* Never over an existing file. */
	press(fx, "w");
	assert_string_equal(fx->app->msg, "saved tempviz-19700101-235959-2.svg "
			    "and .txt (100 x 30)");
	/* A directory that is gone: one line, nothing left behind. */
	unlink("tempviz-19700101-235959.svg");
	unlink("tempviz-19700101-235959.txt");
	unlink("tempviz-19700101-235959-2.svg");
	unlink("tempviz-19700101-235959-2.txt");
	assert_int_equal(rmdir(dir), 0);
	press(fx, "w");
	assert_string_equal(fx->app->msg, "screen not saved: "
			    "tempviz-19700101-235959.svg: No such file or "
			    "directory");
	assert_int_equal(chdir(cwd), 0);
	unsetenv("SOURCE_DATE_EPOCH");
	fixture_close(fx);
}

/* -------------------------------------------------------- take-home --- */

static void
test_takehome_overlay(void **state)
{
	struct fixture *fx = open_app();

	(void)state;
	press(fx, "T");
	assert_true(find_row(&fx->f, "Take it home") >= 0);
	assert_true(find_row(&fx->f, "tempviz print --scenario france "
			     "--profile hf") >= 0);
	assert_true(find_row(&fx->f, "llama-cli --temp 1 --top-k 0") >= 0);
	/* While it is open, keys are its own: Right turns no dial. */
	press(fx, "<Right>");
	assert_true(fx->app->par.temp == 1);
	press(fx, "<Esc>");
	assert_int_equal(find_row(&fx->f, "Take it home"), -1);
	press(fx, "<Right>T");
	assert_true(find_row(&fx->f, "--temp 1.1") >= 0);
	fixture_close(fx);
}

/* At every width where its longest word fits a row, a shell line
 * breaks only where a shell may, each broken row ending in " \\":
 * joined again they are the line itself. */
static void
test_takehome_wraps(void **state)
{
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_EXPLORE };
	struct tv_source_spec spec = { .path = "my lesson's data.tsv" };
	static const char *const starts[] = { "tempviz print", "llama-cli" };
	int w, k;

	(void)state;
	for (w = 74; w <= 200; w++) {
		struct fixture *fx = fixture_open("story", &o, 42, w, 40);
		struct tv_recipe rc;

		assert_int_equal(tv_app_origin(fx->app, &spec), 0);
		press(fx, "=0.7<Enter>j=40<Enter>j=0.9<Enter>pT");
		tv_takehome_recipe(fx->app, &rc);
		for (k = 0; k < 2; k++) {
			char joined[4096] = "", row[1024];
			int y, n;

			for (y = 0; y < fx->f.h; y++) {
				row_text(&fx->f, y, row, sizeof row);
				if (!strncmp(row + strspn(row, " "), starts[k],
					     strlen(starts[k])))
					break;
			}
			assert_true(y < fx->f.h);
			for (;; y++) {
				const char *t;

				row_text(&fx->f, y, row, sizeof row);
				t = row + strspn(row, " ");
				n = (int)strlen(t);
				strncat(joined, t, sizeof joined - strlen(joined) - 1);
				if (n < 2 || strcmp(t + n - 2, " \\") != 0)
					break;
				joined[strlen(joined) - 1] = '\0';
			}
			assert_string_equal(joined, tv_recipe_find(&rc,
							TV_RECIPE_CMD,
							starts[k]));
		}
		fixture_close(fx);
	}
}

/* In a talk each step names its source: O says so and opens nothing;
 * w saves the talk's screen; take-home names the step's source. */
static void
test_talk_keeps_its_sources(void **state)
{
	static const char script[] = "# One\nscenario: story\ntemp: 0.7\n";
	struct tv_ui_opts o = { .color = TV_COLOR_NEVER, .tier = -1,
				.view = TV_VIEW_EXPLORE };
	struct fixture *fx = fixture_open("approve", &o, 0, 100, 30);
	struct tv_error err;
	struct tv_talk t;
	struct tv_recipe rc;

	(void)state;
	assert_int_equal(tv_talk_parse(script, strlen(script), "t.talk",
				       tv_talkmode_view_ok, &t, &err),
			 TV_EXIT_OK);
	assert_int_equal(tv_talkmode_start(fx->app, &t, NULL, 0), 0);
	press(fx, "<Esc>O");
	assert_false(tv_picker_open(fx->app));
	assert_string_equal(fx->app->msg, "the talk sets the source: each "
			    "step names its own");
	assert_string_equal(fx->app->src->label, "story");
	tv_takehome_recipe(fx->app, &rc);
	assert_string_equal(tv_recipe_find(&rc, TV_RECIPE_CMD, "tempviz"),
			    "tempviz print --scenario story --profile hf "
			    "--temp 0.7");
	fixture_close(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num_shortest),
		cmocka_unit_test(test_print_line_reads_back),
		cmocka_unit_test(test_lines_llamacpp),
		cmocka_unit_test(test_lines_notes),
		cmocka_unit_test(test_lines_memory),
		cmocka_unit_test(test_lines_model),
		cmocka_unit_test(test_picker_keeps_dials),
		cmocka_unit_test(test_picker_jump),
		cmocka_unit_test(test_picker_file_fails),
		cmocka_unit_test(test_shot_files),
		cmocka_unit_test(test_takehome_overlay),
		cmocka_unit_test(test_takehome_wraps),
		cmocka_unit_test(test_talk_keeps_its_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
