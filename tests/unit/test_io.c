/* SPDX-License-Identifier: MIT */
/*
 * Sources: every format loads to exact probabilities, sequences step,
 * and every kind of bad input gives its one-line message and status.
 * Run from the top directory (fixtures are in tests/fixtures/).
 */
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/source.h"

#define FIX "tests/fixtures/"
#define EPS 1e-6

static struct tv_source src;
static struct tv_error err;

static int
teardown(void **state)
{
	(void)state;
	tv_source_free(&src);
	return 0;
}

/* A position's context, which may be a prefix of a shared buffer. */
static void
assert_prompt(const struct tv_dist *d, const char *want)
{
	size_t len;
	const char *p = tv_dist_prompt(d, &len);

	if (len != strlen(want) || memcmp(p, want, len) != 0)
		fail_msg("prompt \"%.*s\" != \"%s\"", (int)len, p, want);
}

static int
load(const struct tv_source_spec *spec)
{
	int r = tv_source_load(spec, &src, &err);

	if (r != 0) {
		/* One line, and nothing from the file reaches it raw. */
		assert_null(strchr(err.msg, '\n'));
		assert_null(strchr(err.msg, '\x1b'));
		assert_int_equal(src.n_pos, 0);
	}
	return r;
}

static int
load_path(const char *path)
{
	struct tv_source_spec spec = { .path = path };

	return load(&spec);
}

static void
expect_ok(const char *path)
{
	int r = load_path(path);

	if (r != 0)
		fail_msg("%s: %s", path, err.msg);
}

static void
expect_err(const char *path, int status, const char *text)
{
	int r = load_path(path);

	assert_int_equal(r, status);
	if (!strstr(err.msg, text))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, text);
}

/* A fixture that must fail to load as bad data, and a piece of its message. */
struct bad_file {
	const char *file, *text;
};

static void
expect_bad_files(const struct bad_file *cases, size_t n)
{
	char path[256];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, FIX "%s", cases[i].file);
		expect_err(path, TV_EXIT_DATA, cases[i].text);
	}
}

static uint32_t
find(const struct tv_dist *d, const char *tok, size_t len)
{
	for (uint32_t i = 0; i < d->n; i++) {
		size_t l;
		const char *t = tv_dist_tok(d, i, &l);

		if (l == len && memcmp(t, tok, len) == 0)
			return i;
	}
	fail_msg("token \"%s\" not found", tok);
	return 0;
}

/* The probability at T = 1 of a listed token, over the whole vocabulary. */
static double
prob(const struct tv_dist *d, const char *tok)
{
	return exp(d->logit[find(d, tok, strlen(tok))] - d->lse1);
}

static double
tail_mass(const struct tv_dist *d)
{
	return d->tail_g > 0 ? d->tail_g * exp(d->tail_logit - d->lse1) : 0;
}

/* ---- TSV and CSV -------------------------------------------------------- */

static void
tsv_basic(void **state)
{
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "basic.tsv");
	assert_int_equal(src.n_pos, 1);
	d = &src.pos[0];
	assert_int_equal(d->n, 7);
	assert_int_equal(d->kind, TV_KIND_LOGITS);
	assert_string_equal(d->name, "basic");
	assert_prompt(d, "line one\nline two");
	assert_string_equal(d->model, "hand-written");
	assert_string_equal(d->note, "escapes and leading spaces");
	assert_float_equal(d->logit[find(d, " Paris", 6)], 2, EPS);
	assert_float_equal(d->logit[find(d, "\n", 1)], 1, EPS);
	assert_float_equal(d->logit[find(d, "\t", 1)], 0, EPS);
	assert_float_equal(d->logit[find(d, "back\\slash", 10)], -1, EPS);
	assert_float_equal(d->logit[find(d, "\x1b[31mred", 8)], -2, EPS);
	assert_float_equal(d->logit[find(d, "smile\xe2\x98\xba", 8)], -3, EPS);
	assert_float_equal(d->logit[find(d, "#hash", 5)], -4, EPS);
	assert_int_equal(d->order[0], find(d, " Paris", 6));
	assert_float_equal(d->tail_g, 0, 0);
}

static void
tsv_logprobs_tail(void **state)
{
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "logprobs_tail.tsv");
	d = &src.pos[0];
	assert_int_equal(d->n, 2);     /* -9999 is missing, not a token */
	assert_int_equal(d->kind, TV_KIND_LOGPROBS);
	assert_float_equal(prob(d, "a"), 0.5, EPS);
	assert_float_equal(prob(d, "b"), 0.25, EPS);
	assert_float_equal(d->tail_g, 998, 0);
	assert_float_equal(d->vocab_size, 1000, 0);
	assert_float_equal(tail_mass(d), 0.25, EPS);
	assert_int_equal(d->tail_exact, 0);
}

static void
csv_quoting(void **state)
{
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "probs.csv");
	d = &src.pos[0];
	assert_int_equal(d->n, 4);
	assert_int_equal(d->kind, TV_KIND_PROBS);
	assert_float_equal(prob(d, "#tag"), 0.5, EPS);
	assert_float_equal(prob(d, "a,b"), 0.25, EPS);
	assert_float_equal(prob(d, "say \"hi\""), 0.125, EPS);
	assert_float_equal(prob(d, " plain "), 0.125, EPS);
}

static void
tsv_column_names(void **state)
{
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "header_row.tsv");
	d = &src.pos[0];
	assert_int_equal(d->n, 2);
	assert_int_equal(d->kind, TV_KIND_LOGPROBS);
	assert_float_equal(prob(d, "x"), 0.5, EPS);
}

static void
tsv_logsumexp_exact_tail(void **state)
{
	const struct tv_dist *d;
	double z = exp(2) + exp(1) + 100 * exp(-1);

	(void)state;
	expect_ok(FIX "lse.tsv");
	d = &src.pos[0];
	assert_int_equal(d->tail_exact, 1);
	assert_float_equal(d->tail_g, 100, 0);
	assert_float_equal(d->lse1, log(z), EPS);
	assert_float_equal(prob(d, "top"), exp(2) / z, EPS);
	assert_float_equal(tail_mass(d), 100 * exp(-1) / z, EPS);
	assert_float_equal(d->tail_logit, -1, 1e-5);
}

static void
tsv_bad(void **state)
{
	static const struct bad_file cases[] = {
		{ "bad_dup.tsv", "bad_dup.tsv:3:1: duplicate token \"a\" (first on line 1" },
		{ "bad_nan.tsv", "bad_nan.tsv:2:3: value \"nan\" is not a number" },
		{ "bad_inf.tsv", "bad_inf.tsv:2:3: value \"inf\" is not a number" },
		{ "bad_num.tsv", ":2:3: value \"1.5x\" is not a number (accepted: decimal" },
		{ "empty.tsv", "empty.tsv: empty file (expected TSV, CSV, JSON or .npy)" },
		{ "bad_notokens.tsv", "bad_notokens.tsv: no tokens" },
		{ "bad_negprob.tsv", ":3:3: probability -0.1 is negative (accepted: p >= 0)" },
		{ "bad_kind.tsv", ":1:9: unknown kind \"banana\" (accepted: logits, logprobs, probs)" },
		{ "bad_escape.tsv", ":2:2: bad escape in token (accepted:" },
		{ "bad_columns.tsv", ":2:4: more than two columns (expected token<TAB>value)" },
		{ "bad_nosep.tsv", ":2:18: no TAB on this line (expected token<TAB>value)" },
		{ "bad_vocab_logits.tsv", ":2: # vocab-size with kind logits needs # logsumexp" },
		{ "bad_zero.tsv", "the probabilities sum to 0" },
		{ "bad_quote.csv", ":1:1: unterminated quoted field" },
		{ "bad_binary.bin", "binary data of an unknown kind" },
	};

	(void)state;
	expect_bad_files(cases, sizeof cases / sizeof cases[0]);
}

/* ---- flags and scenarios ------------------------------------------------ */

static void
flag_logits(void **state)
{
	struct tv_source_spec spec = { .logits = "2,1,0.5,-1" };
	const struct tv_dist *d;

	(void)state;
	assert_int_equal(load(&spec), 0);
	d = &src.pos[0];
	assert_int_equal(d->n, 4);
	assert_float_equal(d->logit[find(d, "2", 1)], 0.5, EPS);
	assert_float_equal(prob(d, "0"),
			   exp(2) / (exp(2) + exp(1) + exp(0.5) + exp(-1)), EPS);
	assert_string_equal(src.label, "--logits");
}

static void
flag_probs_exact(void **state)
{
	struct tv_source_spec spec = { .probs = "0.25, 0.25 ,0.5,0" };
	const struct tv_dist *d;

	(void)state;
	assert_int_equal(load(&spec), 0);
	d = &src.pos[0];
	assert_int_equal(d->n, 4);
	assert_int_equal(d->kind, TV_KIND_PROBS);
	assert_float_equal(d->tail_g, 0, 0);
	assert_int_equal(src.warn.n, 0);
	assert_float_equal(prob(d, "0"), 0.25, EPS);
	assert_float_equal(prob(d, "2"), 0.5, EPS);
	assert_float_equal(prob(d, "3"), 0, 0);
}

static void
flag_bad_values(void **state)
{
	static const struct { const char *logits, *probs, *text; } cases[] = {
		{ "1,abc", NULL, "--logits: item 2 \"abc\" is not a finite number or -inf (accepted: comma-separated finite numbers, or -inf for a masked token, e.g. \"2,1,0.5,-inf\")" },
		{ "1,+inf", NULL, "item 2 \"+inf\" is not a finite number or -inf" },
		{ "1,-infx", NULL, "item 2 \"-infx\" is not a finite number or -inf" },
		{ "-inf", NULL, "no token can be drawn" },
		{ NULL, "0.5,-inf", "--probs: item 2 \"-inf\" is not a finite number" },
		{ NULL, "0.5,0.7", "--probs: the probabilities sum to 1.2 (accepted: a sum of at most 1 + 0.01;" },
		{ NULL, "1, 1 ,2,0", "--probs: the probabilities sum to 4 (accepted" },
		{ "1,nan", NULL, "item 2 \"nan\" is not a finite number" },
		{ "inf", NULL, "item 1 \"inf\" is not a finite number" },
		{ "1e999", NULL, "item 1 \"1e999\" is not a finite number" },
		{ "1,,2", NULL, "item 2 \"\" is not a finite number" },
		{ "", NULL, "item 1" },
		{ NULL, "0.5,-0.1", "--probs: item 2 \"-0.1\" is not a probability >= 0" },
		{ NULL, "0,0", "--probs: the probabilities sum to 0" },
		{ NULL, "0x10", "item 1 \"0x10\" is not a finite number" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tv_source_spec spec = { .logits = cases[i].logits,
					       .probs = cases[i].probs };

		assert_int_equal(load(&spec), TV_EXIT_USAGE);
		if (!strstr(err.msg, cases[i].text))
			fail_msg("\"%s\" lacks \"%s\"", err.msg, cases[i].text);
	}
}

static void
flag_conflicts(void **state)
{
	struct tv_source_spec two = { .logits = "1", .probs = "1" };
	struct tv_source_spec vocab = { .scenario = "approve", .vocab = "v" };
	struct tv_source_spec vocab_tsv = { .path = FIX "basic.tsv", .vocab = FIX "vocab3.txt" };

	(void)state;
	assert_int_equal(load(&two), TV_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "more than one source"));
	assert_int_equal(load(&vocab), TV_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "--vocab: applies to a .npy file only"));
	assert_int_equal(load(&vocab_tsv), TV_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "--vocab: applies to .npy sources only"));
}

static void
scenario_default_is_approve(void **state)
{
	static const char *const toks[] = { "approve", "reject", "review",
		"escalate", "delay", "audit", "optimize", "notify", "assign", "close" };
	static const float logits[] = { 2.2f, 1.8f, 1.4f, 0.9f, 0.2f, 0.1f,
		-0.3f, -0.6f, -0.8f, -1.0f };
	const struct tv_dist *d;

	(void)state;
	assert_int_equal(load(NULL), 0);
	assert_string_equal(src.label, "approve");
	d = &src.pos[0];
	assert_int_equal(d->n, 10);
	for (uint32_t i = 0; i < 10; i++) {
		size_t len;
		const char *t = tv_dist_tok(d, i, &len);

		assert_int_equal(len, strlen(toks[i]));
		assert_memory_equal(t, toks[i], len);
		assert_true(d->logit[i] == logits[i]);
	}
}

static const char *
note_line(const char *data, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i++)
		if ((i == 0 || data[i - 1] == '\n') &&
		    memcmp(data + i, "# note: ", 8) == 0)
			return data + i;
	return NULL;
}

/* The note in the table is the file's "# note:" line. */
static void
scenarios_all_load(void **state)
{
	size_t n;
	const struct tv_scenario *sc = tv_scenarios(&n);

	(void)state;
	assert_true(n >= 9);
	for (size_t i = 0; i < n; i++) {
		struct tv_source_spec spec = { .scenario = sc[i].name };
		const char *note = note_line(sc[i].data, sc[i].len);

		assert_ptr_equal(tv_scenario_find(sc[i].name), &sc[i]);
		if (load(&spec) != 0)
			fail_msg("%s: %s", sc[i].name, err.msg);
		assert_non_null(note);
		assert_memory_equal(note + 8, sc[i].note, strlen(sc[i].note));
		assert_int_equal(note[8 + strlen(sc[i].note)], '\n');
		assert_string_equal(src.pos[0].note, sc[i].note);
		assert_string_equal(src.pos[0].name, sc[i].name);
		assert_non_null(src.pos[0].prompt);
		tv_source_free(&src);
	}
}

static void
scenario_shapes(void **state)
{
	struct tv_source_spec spec = { 0 };
	const struct tv_dist *d;

	(void)state;
	spec.scenario = "nucleus";
	assert_int_equal(load(&spec), 0);
	d = &src.pos[0];
	assert_float_equal(prob(d, "a"), 0, 0);
	assert_float_equal(prob(d, "b"), 0.1, EPS);
	assert_float_equal(prob(d, "e"), 0.4, EPS);
	tv_source_free(&src);

	spec.scenario = "twolevel";
	assert_int_equal(load(&spec), 0);
	d = &src.pos[0];
	assert_int_equal(d->n, 1);
	assert_float_equal(d->tail_g, 49999, 0);
	assert_float_equal(tail_mass(d), 0.1, EPS);
	tv_source_free(&src);

	spec.scenario = "france";
	assert_int_equal(load(&spec), 0);
	d = &src.pos[0];
	assert_true(d->n >= 40);
	assert_int_equal(d->order[0], find(d, " Paris", 6));
	tv_source_free(&src);

	spec.scenario = "longtail";
	assert_int_equal(load(&spec), 0);
	assert_true(src.pos[0].n >= 50000);
}

static void
scenario_unknown(void **state)
{
	struct tv_source_spec spec = { .scenario = "nope" };

	(void)state;
	assert_int_equal(load(&spec), TV_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "--scenario: unknown scenario \"nope\" (accepted: approve, france, nucleus,"));
}

/* ---- JSON --------------------------------------------------------------- */

static void
json_openai_chat(void **state)
{
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "openai_chat.json");
	assert_int_equal(src.n_pos, 2);
	d = &src.pos[0];
	assert_int_equal(d->n, 2);
	assert_int_equal(d->kind, TV_KIND_LOGPROBS);
	assert_string_equal(d->model, "gpt-test");
	assert_string_equal(d->chosen, "Hello");
	assert_prompt(d, "");
	assert_float_equal(prob(d, "Hello"), 0.5, EPS);
	assert_float_equal(prob(d, "Hi"), 0.25, EPS);
	assert_float_equal(d->tail_g, 1, 0);     /* vocabulary unknown */
	assert_float_equal(tail_mass(d), 0.25, EPS);

	d = &src.pos[1];
	assert_prompt(d, "Hello");
	assert_string_equal(d->chosen, "!");
	assert_int_equal(d->n, 3);               /* the chosen token added */
	assert_float_equal(prob(d, "!"), 0.125, EPS);
	assert_float_equal(prob(d, "\xe2\x80"), 0.25, EPS);   /* bytes win */
	assert_float_equal(tail_mass(d), 0.125, EPS);
}

static void
json_openai_legacy(void **state)
{
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "openai_legacy.json");
	assert_int_equal(src.n_pos, 2);
	d = &src.pos[0];
	assert_string_equal(d->chosen, " Paris");
	assert_float_equal(prob(d, " Paris"), 0.5, EPS);
	assert_float_equal(prob(d, " Lyon"), 0.25, EPS);
	d = &src.pos[1];
	assert_prompt(d, " Paris");
	assert_float_equal(prob(d, ","), 0.5, EPS);
	assert_float_equal(d->tail_g, 0, 0);
}

static void
json_llama_shapes(void **state)
{
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "llama_current.json");
	d = &src.pos[0];
	assert_prompt(d, "The capital of France is");
	assert_float_equal(prob(d, " Nice"), 0.125, EPS);
	assert_float_equal(tail_mass(d), 0.125, EPS);
	tv_source_free(&src);

	expect_ok(FIX "llama_post.json");
	d = &src.pos[0];
	assert_int_equal(d->kind, TV_KIND_PROBS);
	assert_non_null(strstr(d->note, "post-sampling"));
	assert_float_equal(prob(d, " Paris"), 0.75, EPS);
	assert_float_equal(d->tail_g, 0, 0);
	tv_source_free(&src);

	expect_ok(FIX "llama_legacy.json");
	assert_int_equal(src.n_pos, 2);
	assert_float_equal(prob(&src.pos[0], " Lyon"), 0.3, EPS);
	assert_float_equal(tail_mass(&src.pos[0]), 0.2, EPS);
	assert_prompt(&src.pos[1], " Paris");
	assert_float_equal(prob(&src.pos[1], "!"), 0.1, EPS);
}

static void
json_ollama(void **state)
{
	(void)state;
	expect_ok(FIX "ollama.json");
	assert_string_equal(src.pos[0].model, "gemma3");
	assert_float_equal(prob(&src.pos[0], "Hi"), 0.5, EPS);
}

static void
json_native(void **state)
{
	const struct tv_dist *d;
	double z = exp(2) + exp(1) + 100 * exp(-1);

	(void)state;
	expect_ok(FIX "native.json");
	assert_int_equal(src.n_pos, 2);
	d = &src.pos[0];
	assert_prompt(d, "The united");
	assert_string_equal(d->chosen, " States");
	assert_string_equal(d->model, "toy");
	assert_float_equal(d->dump_temp, 1, 0);
	assert_int_equal(d->tail_exact, 1);
	assert_float_equal(d->tail_g, 100, 0);
	assert_float_equal(prob(d, " States"), exp(2) / z, EPS);
	assert_float_equal(tail_mass(d), 100 * exp(-1) / z, EPS);
	assert_prompt(&src.pos[1], "The united States");
	assert_float_equal(prob(&src.pos[1], " of"), exp(2) / z, EPS);
}

static void
json_native_full(void **state)
{
	const struct tv_dist *d;
	double z = exp(2) + exp(1) + exp(0.5) + exp(-1);

	(void)state;
	expect_ok(FIX "native_full.json");
	d = &src.pos[0];
	assert_int_equal(d->n, 4);
	assert_int_equal(find(d, "two", 3), 2);
	assert_int_equal(find(d, "3", 1), 3);
	assert_float_equal(prob(d, "0"), exp(2) / z, EPS);
	assert_float_equal(d->tail_g, 0, 0);
}

static void
json_bad(void **state)
{
	static const struct bad_file cases[] = {
		{ "bad_syntax.json", "bad_syntax.json:3:" },
		{ "bad_truncated.json", "bad_truncated.json:1:" },
		{ "bad_missing.json", "choices[0].logprobs.content[0].top_logprobs[0]: \"logprob\" is missing (expected a number)" },
		{ "bad_type.json", "\"logprob\" is a string that is not a number (expected a number, or \"-inf\")" },
		{ "bad_dupid.json", "steps[0]: duplicate token id 1" },
		{ "bad_nologprobs.json", "\"logprobs\" is missing (request with" },
		{ "bad_shape.json", "not a known JSON shape" },
		{ "bad_version.json", "version: unsupported or missing (accepted: 1)" },
		{ "bad_nolse.json", "\"logsumexp\" is missing" },
		{ "bad_dupkey.json", "duplicate object key" },
		{ "bad_nan.json", "(expected valid JSON)" },
		{ "bad_bytes.json", "bytes[1] is not an integer 0..255" },
	};

	(void)state;
	expect_bad_files(cases, sizeof cases / sizeof cases[0]);
}

/* ---- NumPy -------------------------------------------------------------- */

static void
assert_logits(const struct tv_dist *d, float a, float b, float c, float e)
{
	assert_int_equal(d->n, 4);
	assert_true(d->logit[0] == a && d->logit[1] == b);
	assert_true(d->logit[2] == c && d->logit[3] == e);
}

static void
npy_vectors(void **state)
{
	struct tv_source_spec spec = { .path = FIX "vec_f4le.npy",
				       .vocab = FIX "vocab4.txt" };
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "vec_f4le.npy");
	assert_logits(&src.pos[0], 2, 1, 0.5f, -1);
	assert_int_equal(find(&src.pos[0], "3", 1), 3);
	tv_source_free(&src);
	expect_ok(FIX "vec_f8be.npy");
	assert_logits(&src.pos[0], 2, 1, 0.5f, -1);
	tv_source_free(&src);
	expect_ok(FIX "neginf.npy");
	assert_true(isinf(src.pos[0].logit[1]));
	tv_source_free(&src);

	assert_int_equal(load(&spec), 0);
	d = &src.pos[0];
	assert_int_equal(find(d, " Paris", 6), 0);
	assert_int_equal(find(d, "\n", 1), 1);
	assert_int_equal(find(d, "\x1b[2J", 4), 3);
	tv_source_free(&src);

	spec.vocab = FIX "vocab3.txt";
	assert_int_equal(load(&spec), TV_EXIT_DATA);
	assert_non_null(strstr(err.msg, "vocab3.txt: fewer tokens for 4 logits"));
}

static void
npy_rows(void **state)
{
	struct tv_source_spec spec = { .path = FIX "mat_f4.npy" };

	(void)state;
	assert_int_equal(load(&spec), 0);
	assert_logits(&src.pos[0], 4, 3, 2, 1);
	tv_source_free(&src);
	spec.row = "1";
	assert_int_equal(load(&spec), 0);
	assert_logits(&src.pos[0], 1, 2, 3, 4);
	tv_source_free(&src);
	spec.row = "-3";
	assert_int_equal(load(&spec), 0);
	assert_logits(&src.pos[0], 0, 0, 0, 0);
	tv_source_free(&src);
	spec.row = "3";
	assert_int_equal(load(&spec), TV_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "--row: \"3\" is not a row of"));
	assert_non_null(strstr(err.msg, "(accepted: 0..2, or -3..-1 from the end)"));
	spec.row = "x";
	assert_int_equal(load(&spec), TV_EXIT_USAGE);
	spec.path = FIX "vec_f4le.npy";
	spec.row = "0";
	assert_int_equal(load(&spec), TV_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "is a vector"));
}

static void
npy_bad(void **state)
{
	static const struct bad_file cases[] = {
		{ "bad_trunc.npy", "truncated: the shape needs 16 bytes of data, the file has 13" },
		{ "bad_extra.npy", "trailing bytes: the shape needs 16 bytes of data, the file has 18" },
		{ "bad_fortran.npy", "fortran_order True is not supported" },
		{ "bad_dtype.npy", "unsupported dtype (accepted: <f4 >f4 <f8 >f8" },
		{ "bad_key.npy", "unknown or repeated key" },
		{ "bad_dupkey.npy", "unknown or repeated key" },
		{ "bad_3d.npy", "more than 2 dimensions" },
		{ "bad_scalar.npy", "a scalar" },
	};

	(void)state;
	expect_bad_files(cases, sizeof cases / sizeof cases[0]);
}

/* ---- files -------------------------------------------------------------- */

static void
file_errors(void **state)
{
	char path[] = "/tmp/tempviz-big-XXXXXX";
	int fd;

	(void)state;
	expect_err(FIX "no-such-file.tsv", TV_EXIT_DATA,
		   "no-such-file.tsv: cannot open: No such file or directory");
	expect_err(FIX, TV_EXIT_DATA, "is a directory");

	/* A sparse file over the limit is refused from its size alone. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)TV_SOURCE_MAX_BYTES + 1), 0);
	close(fd);
	expect_err(path, TV_EXIT_DATA, "file too large");
	unlink(path);
}

static void
stdin_source(void **state)
{
	int saved = dup(0), fd = open(FIX "probs.csv", O_RDONLY);

	(void)state;
	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, 0), 0);
	close(fd);
	expect_ok("-");
	dup2(saved, 0);
	close(saved);
	assert_string_equal(src.label, "-");
	assert_float_equal(prob(&src.pos[0], "#tag"), 0.5, EPS);
}

static void
buffer_source(void **state)
{
	static const char tsv[] = "x\t1\ny\t1\n";
	static const char bad_name[] = "evil\x1b[2J";
	int r;

	(void)state;
	r = tv_source_load_buffer("mem", tsv, sizeof tsv - 1, NULL, &src, &err);
	assert_int_equal(r, 0);
	assert_float_equal(prob(&src.pos[0], "y"), 0.5, EPS);
	tv_source_free(&src);
	r = tv_source_load_buffer(bad_name, "", 0, NULL, &src, &err);
	assert_int_equal(r, TV_EXIT_DATA);
	assert_null(strchr(err.msg, '\x1b'));
	assert_non_null(strstr(err.msg, "evil\\x1B[2J: empty file"));
}

/* A million tokens: correctness only (`make bench` measures time). */
static void
million_tokens(void **state)
{
	char path[] = "/tmp/tempviz-million-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	const struct tv_dist *d;
	double z = 0;

	(void)state;
	assert_non_null(f);
	fputs("# kind: logits\n", f);
	for (unsigned i = 0; i < 1000000; i++) {
		fprintf(f, " tok%u\t%d.%d\n", i, (int)(i % 7), (int)(i % 10));
		z += exp((double)(i % 7) + (double)(i % 10) / 10);
	}
	fclose(f);
	expect_ok(path);
	unlink(path);
	d = &src.pos[0];
	assert_int_equal(d->n, 1000000);
	assert_float_equal(d->lse1, log(z), 1e-5);
	assert_float_equal(d->logit[find(d, " tok999999", 10)], 0.9f, EPS);
	assert_float_equal(d->sorted[0], 6.9f, EPS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(tsv_basic, teardown),
		cmocka_unit_test_teardown(tsv_logprobs_tail, teardown),
		cmocka_unit_test_teardown(csv_quoting, teardown),
		cmocka_unit_test_teardown(tsv_column_names, teardown),
		cmocka_unit_test_teardown(tsv_logsumexp_exact_tail, teardown),
		cmocka_unit_test_teardown(tsv_bad, teardown),
		cmocka_unit_test_teardown(flag_logits, teardown),
		cmocka_unit_test_teardown(flag_probs_exact, teardown),
		cmocka_unit_test_teardown(flag_bad_values, teardown),
		cmocka_unit_test_teardown(flag_conflicts, teardown),
		cmocka_unit_test_teardown(scenario_default_is_approve, teardown),
		cmocka_unit_test_teardown(scenarios_all_load, teardown),
		cmocka_unit_test_teardown(scenario_shapes, teardown),
		cmocka_unit_test_teardown(scenario_unknown, teardown),
		cmocka_unit_test_teardown(json_openai_chat, teardown),
		cmocka_unit_test_teardown(json_openai_legacy, teardown),
		cmocka_unit_test_teardown(json_llama_shapes, teardown),
		cmocka_unit_test_teardown(json_ollama, teardown),
		cmocka_unit_test_teardown(json_native, teardown),
		cmocka_unit_test_teardown(json_native_full, teardown),
		cmocka_unit_test_teardown(json_bad, teardown),
		cmocka_unit_test_teardown(npy_vectors, teardown),
		cmocka_unit_test_teardown(npy_rows, teardown),
		cmocka_unit_test_teardown(npy_bad, teardown),
		cmocka_unit_test_teardown(file_errors, teardown),
		cmocka_unit_test_teardown(stdin_source, teardown),
		cmocka_unit_test_teardown(buffer_source, teardown),
		cmocka_unit_test_teardown(million_tokens, teardown),
	};

	return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
