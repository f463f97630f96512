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

/* ---- loads from memory --------------------------------------------------- */

static int
load_mem(const char *text)
{
	int r = tv_source_load_buffer("mem", text, strlen(text), NULL, &src,
				      &err);

	if (r != 0) {
		assert_null(strchr(err.msg, '\n'));
		assert_null(strchr(err.msg, '\x1b'));
	}
	return r;
}

static void
expect_mem_err(const char *text, const char *want)
{
	assert_int_equal(load_mem(text), TV_EXIT_DATA);
	if (!strstr(err.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	tv_source_free(&src);
}

static void
expect_warning(const char *want)
{
	assert_int_equal(src.warn.n, 1);
	if (!strstr(src.warn.msg[0], want))
		fail_msg("warning \"%s\" lacks \"%s\"", src.warn.msg[0], want);
}

/* ---- -inf: a masked token, in every format ------------------------------ */

static void
neginf_in_text_formats(void **state)
{
	static const char *const files[] = {
		"a\t1\nb\t-inf\nc\t-Infinity\nd\t-INF\ne\t0\n",
		"a,1\nb,-inf\nc,-infinity\nd,-Inf\ne,0\n",
		"# kind: logprobs\na\t-0.5\nb\t-inf\nc\t-INFINITY\nd\t-3.4e38\ne\t-1.5\n",
		"{\"format\": \"tempviz-logits\", \"version\": 1, \"steps\": [{\"top\": ["
		"{\"token\": \"a\", \"logit\": 1}, {\"token\": \"b\", \"logit\": \"-inf\"},"
		"{\"token\": \"c\", \"logit\": -Infinity}, {\"token\": \"d\", \"logit\": \"-Infinity\"},"
		"{\"token\": \"e\", \"logit\": 0}]}]}",
		"{\"logprobs\": [{\"token\": \"a\", \"logprob\": -0.5, \"top_logprobs\": ["
		"{\"token\": \"a\", \"logprob\": -0.5}, {\"token\": \"b\", \"logprob\": \"-inf\"},"
		"{\"token\": \"c\", \"logprob\": -Infinity}, {\"token\": \"d\", \"logprob\": -3.4e38},"
		"{\"token\": \"e\", \"logprob\": -1.5}]}]}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		const struct tv_dist *d;

		if (load_mem(files[i]) != 0)
			fail_msg("file %zu: %s", i, err.msg);
		d = &src.pos[0];
		assert_int_equal(d->n, 5);
		assert_int_equal(d->n_finite, 2);
		assert_true(isinf(d->logit[find(d, "b", 1)]));
		assert_true(isinf(d->logit[find(d, "c", 1)]));
		assert_true(isinf(d->logit[find(d, "d", 1)]));
		assert_float_equal(prob(d, "b") + prob(d, "d"), 0, 0);
		/* The masked tokens sort last, after every finite one. */
		assert_int_equal(d->order[0], find(d, "a", 1));
		assert_int_equal(d->order[1], find(d, "e", 1));
		tv_source_free(&src);
	}
}

static void
neginf_flag_and_refusals(void **state)
{
	struct tv_source_spec spec = { .logits = "1, -inf,2,-Infinity" };

	(void)state;
	assert_int_equal(load(&spec), 0);
	assert_int_equal(src.pos[0].n_finite, 2);
	assert_float_equal(prob(&src.pos[0], "0"),
			   exp(1) / (exp(1) + exp(2)), EPS);
	tv_source_free(&src);
	expect_mem_err("# kind: probs\na\t0.5\nb\t-inf\n",
		       "mem:3:3: probability -inf is not a probability");
	expect_mem_err("a\t1\nb\tinf\n", "value \"inf\" is not a number (accepted: decimal numbers such as -1.25 or 3e-5, or -inf)");
	expect_mem_err("a\t1\nb\t-infinit\n", "value \"-infinit\" is not a number");
	expect_mem_err("{\"logprobs\": [{\"token\": \"a\", \"logprob\": -0.5, \"top_logprobs\": ["
		       "{\"token\": \"a\", \"logprob\": \"-0.5x\"}]}]}",
		       "\"logprob\" is a string that is not a number");
	/* -Infinity inside a string is text, not a value. */
	assert_int_equal(load_mem("{\"logprobs\": [{\"token\": \"-Infinity\", \"logprob\": -0.5,"
				  " \"top_logprobs\": [{\"token\": \"-Infinity\", \"logprob\": -0.5}]}]}"), 0);
	find(&src.pos[0], "-Infinity", 9);
}

/* ---- listed mass: over 1, under 1 ---------------------------------------- */

static void
mass_over_one(void **state)
{
	struct tv_source_spec spec = { .probs = "0.5,0.505" };

	(void)state;
	assert_int_equal(load(&spec), 0);
	expect_warning("--probs: the listed probabilities sum to 1.005, above 1; renormalised to 1");
	assert_float_equal(prob(&src.pos[0], "1"), 0.505 / 1.005, EPS);
	assert_float_equal(src.pos[0].tail_g, 0, 0);
	tv_source_free(&src);

	assert_int_equal(load_mem("# kind: probs\na\t0.5\nb\t0.508\n"), 0);
	expect_warning("mem: the listed probabilities sum to 1.008");
	tv_source_free(&src);
	/* Exactly 1 by rounding says nothing. */
	assert_int_equal(load_mem("# kind: probs\na\t0.1\nb\t0.2\nc\t0.7\n"), 0);
	assert_int_equal(src.warn.n, 0);
	tv_source_free(&src);
	expect_mem_err("# kind: probs\na\t0.5\nb\t0.7\n",
		       "mem: the listed probabilities sum to 1.2 (accepted: at most 1 + 0.01");
	expect_mem_err("# kind: logprobs\na\t-0.1\nb\t-0.2\n",
		       "the listed probabilities sum to 1.72");
	expect_mem_err("{\"logprobs\": [{\"token\": \"a\", \"logprob\": -0.1, \"top_logprobs\": ["
		       "{\"token\": \"a\", \"logprob\": -0.1}, {\"token\": \"b\", \"logprob\": -0.2}]}]}",
		       "mem: logprobs[0]: the listed probabilities sum to 1.72");
}

/* A response whose positions sum over 1 by rounding: one warning that
 * counts them. */
static void
mass_over_one_in_a_response(void **state)
{
	char buf[4096] = "{\"logprobs\": [";
	size_t o = strlen(buf);

	(void)state;
	for (int i = 0; i < 10; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o,
				      "%s{\"token\": \"a\", \"logprob\": %s, \"top_logprobs\": ["
				      "{\"token\": \"a\", \"logprob\": %s}, {\"token\": \"b\", \"logprob\": -0.6931472}]}",
				      i ? ", " : "", i % 4 ? "-0.6931472" : "-0.69",
				      i % 4 ? "-0.6931472" : "-0.69");
	snprintf(buf + o, sizeof buf - o, "]}");
	assert_int_equal(load_mem(buf), 0);
	assert_int_equal(src.n_pos, 10);
	expect_warning("mem: the listed probabilities sum above 1 at 3 of 10 positions (at most 1.001576); renormalised to 1");
	for (uint32_t i = 0; i < 10; i++) {
		double want = i % 4 ? 0.5 : exp(-0.69) / (exp(-0.69) + 0.5);

		assert_float_equal(src.pos[i].tail_g, 0, 0);
		assert_float_equal(prob(&src.pos[i], "a"), want, 1e-6);
	}
}

/* Logprobs without a vocabulary size keep their own values: the rest is
 * one level of unknown size, marked approximate (not a silent rescale). */
static void
mass_under_one_is_a_rest_level(void **state)
{
	static const char *const files[] = {
		"# kind: logprobs\nA\t-0.5\nB\t-1.5\nC\t-2.5\n",
		"token,logprob\nA,-0.5\nB,-1.5\nC,-2.5\n",
		"# kind: probs\nA\t0.60653066\nB\t0.22313016\nC\t0.08208500\n",
		"{\"logprobs\": [{\"token\": \"A\", \"logprob\": -0.5, \"top_logprobs\": ["
		"{\"token\": \"A\", \"logprob\": -0.5}, {\"token\": \"B\", \"logprob\": -1.5},"
		"{\"token\": \"C\", \"logprob\": -2.5}]}]}",
	};
	double listed = exp(-0.5) + exp(-1.5) + exp(-2.5);
	struct tv_source_spec spec = { .probs = "0.60653066,0.22313016,0.082085" };

	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		const struct tv_dist *d;

		if (load_mem(files[i]) != 0)
			fail_msg("file %zu: %s", i, err.msg);
		d = &src.pos[0];
		assert_float_equal(prob(d, "A"), 0.60653066, 1e-6);
		assert_float_equal(tail_mass(d), 1 - listed, 1e-6);
		assert_float_equal(d->tail_g, 1, 0);
		assert_int_equal(d->tail_exact, 0);
		assert_int_equal(src.warn.n, 0);
		tv_source_free(&src);
	}
	assert_int_equal(load(&spec), 0);
	assert_float_equal(prob(&src.pos[0], "0"), 0.60653066, 1e-6);
	assert_float_equal(tail_mass(&src.pos[0]), 1 - listed, 1e-6);
}

/* ---- streamed responses ------------------------------------------------- */

static void
expect_same_dist(const struct tv_dist *a, const struct tv_dist *b)
{
	size_t la, lb;
	const char *pa = tv_dist_prompt(a, &la), *pb = tv_dist_prompt(b, &lb);

	assert_int_equal(a->n, b->n);
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	assert_string_equal(a->chosen ? a->chosen : "", b->chosen ? b->chosen : "");
	assert_string_equal(a->model ? a->model : "", b->model ? b->model : "");
	assert_float_equal(a->tail_g, b->tail_g, 0);
	assert_float_equal(a->lse1, b->lse1, 0);
	for (uint32_t i = 0; i < a->n; i++) {
		size_t l1, l2;
		const char *t1 = tv_dist_tok(a, i, &l1), *t2 = tv_dist_tok(b, i, &l2);

		assert_int_equal(l1, l2);
		assert_memory_equal(t1, t2, l1);
		assert_true(a->logit[i] == b->logit[i]);
	}
}

static void
stream_equals_response(void **state)
{
	static const char *const pairs[][2] = {
		{ "openai_chat_stream.sse", "openai_chat.json" },
		{ "openai_legacy_stream.sse", "openai_legacy.json" },
		{ "ollama_gen_stream.ndjson", "ollama_gen.json" },
		{ "ollama_chat_stream.ndjson", "ollama_gen.json" },
		{ "llama_stream.sse", "llama_multi.json" },
	};
	struct tv_source whole;
	char path[256];

	(void)state;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		snprintf(path, sizeof path, FIX "%s", pairs[i][1]);
		expect_ok(path);
		whole = src;
		memset(&src, 0, sizeof src);
		snprintf(path, sizeof path, FIX "%s", pairs[i][0]);
		expect_ok(path);
		assert_true(src.n_pos >= 2);
		assert_int_equal(src.n_pos, whole.n_pos);
		for (uint32_t k = 0; k < src.n_pos; k++)
			expect_same_dist(&src.pos[k], &whole.pos[k]);
		tv_source_free(&whole);
		tv_source_free(&src);
	}
	expect_ok(FIX "ollama_gen_stream.ndjson");
	assert_prompt(&src.pos[0], "");
	assert_prompt(&src.pos[2], " Paris,");
	assert_string_equal(src.pos[2].chosen, " of");
}

static void
stream_bad(void **state)
{
	static const struct bad_file cases[] = {
		{ "bad_stream_error.sse", "bad_stream_error.sse:3: the server reports an error: the model \\x1B[2Jcrashed" },
		{ "bad_stream_nologprobs.ndjson", "the stream carries no logprobs (request them" },
		{ "bad_stream_chunk.ndjson", "bad_stream_chunk.ndjson:2: " },
	};

	(void)state;
	expect_bad_files(cases, sizeof cases / sizeof cases[0]);
	expect_mem_err("data: [1, 2]\n\n", "mem:1: a chunk of the stream is an array (expected an object)");
	expect_mem_err("data: {\"choices\": [{\"logprobs\": {\"content\": 3}}]}\n",
		       "mem:1: choices[0].logprobs: \"content\" is a number (expected an array)");
	expect_mem_err(": ping\n\ndata: [DONE]\n\n", "the stream carries no logprobs");
	expect_mem_err("{\"error\": \"model 'x' not found\"}", "mem: the server reports an error: model 'x' not found");
}

/* Chunks without logprobs (null, empty, a role or usage chunk) are
 * skipped, in every streamed shape; the positions are the chunks that
 * carry some. */
static void
stream_skips_empty_chunks(void **state)
{
	static const char *const streams[] = {
		"{\"model\":\"m\",\"response\":\"\",\"done\":false,\"logprobs\":null}\n"
		"{\"model\":\"m\",\"response\":\"x\",\"done\":false,\"logprobs\":[]}\n"
		"{\"response\":\"x\",\"logprobs\":[{\"token\":\"x\",\"logprob\":-0.1,"
		"\"top_logprobs\":[{\"token\":\"x\",\"logprob\":-0.1}]}]}\n"
		"{\"done\":true}\n",
		": ping\n\nevent: message\n"
		"data: {\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":{\"content\":null}}]}\n\n"
		"data: {\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":{\"content\":[]}}]}\n\n"
		"data: {\"choices\":[{\"text\":\"\",\"logprobs\":{\"tokens\":[],\"token_logprobs\":[],\"top_logprobs\":[]}}]}\n\n"
		"data:{\"choices\":[{\"index\":0,\"logprobs\":{\"content\":[{\"token\":\"x\",\"logprob\":-0.1,"
		"\"top_logprobs\":[{\"token\":\"x\",\"logprob\":-0.1}]}]}}]}\r\n\r\n"
		"data: {\"choices\":[],\"usage\":{}}\n\ndata: [DONE]\n",
		/* One event split over two data lines, as SSE allows. */
		"data: {\"completion_probabilities\": [{\"token\": \"x\", \"logprob\": -0.1,\n"
		"data: \"top_logprobs\": [{\"token\": \"x\", \"logprob\": -0.1}]}]}\n\n"
		"data: {\"content\": \"\", \"stop\": true, \"completion_probabilities\": []}\n\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++) {
		if (load_mem(streams[i]) != 0)
			fail_msg("stream %zu: %s", i, err.msg);
		assert_int_equal(src.n_pos, 1);
		assert_string_equal(src.pos[0].chosen, "x");
		assert_float_equal(prob(&src.pos[0], "x"), exp(-0.1), 1e-6);
		tv_source_free(&src);
	}
}

/* Tokens that look like SSE field names stay TSV and CSV tokens. */
static void
sse_not_mistaken(void **state)
{
	static const char *const files[] = {
		"id:\t1\ndata:\t2\n", "data:,2\nid:,1\n", ":\t2\nevent:\t1\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (load_mem(files[i]) != 0)
			fail_msg("file %zu: %s", i, err.msg);
		assert_int_equal(src.pos[0].n, 2);
		assert_float_equal(src.pos[0].sorted[0], 2, 0);
		tv_source_free(&src);
	}
}

/* ---- a long response: one context, bounded memory ----------------------- */

/* The bytes a source holds, from its structures' sizes. */
static size_t
held_bytes(const struct tv_source *s)
{
	size_t b = s->pos_cap * sizeof *s->pos + (s->ctx ? strlen(s->ctx) + 1 : 0);

	for (uint32_t i = 0; i < s->n_pos; i++) {
		const struct tv_dist *d = &s->pos[i];
		size_t pl;

		tv_dist_prompt(d, &pl);
		b += d->cap * (sizeof *d->logit + sizeof *d->off) + sizeof *d->off;
		b += d->text_cap + (size_t)d->n * 3 * sizeof *d->order;
		b += strlen(d->name) + 1 + (d->model ? strlen(d->model) + 1 : 0);
		b += d->chosen ? strlen(d->chosen) + 1 : 0;
		b += d->prompt_shared ? 0 : pl + 1;
	}
	return b;
}

static void
long_response_shares_its_context(void **state)
{
	const unsigned n = 100000;
	size_t cap = (size_t)n * 160 + 64, o, ctx_len = 0, len;
	char *buf = malloc(cap), tok[16];
	const char *p;

	(void)state;
	assert_non_null(buf);
	o = (size_t)snprintf(buf, cap, "{\"model\": \"m\", \"logprobs\": [");
	for (unsigned i = 0; i < n; i++) {
		snprintf(tok, sizeof tok, " w%u", i);
		ctx_len += strlen(tok);
		o += (size_t)snprintf(buf + o, cap - o,
				      "%s{\"token\": \"%s\", \"logprob\": -0.5, \"top_logprobs\": ["
				      "{\"token\": \"%s\", \"logprob\": -0.5}, {\"token\": \"x\", \"logprob\": -1}]}",
				      i ? "," : "", tok, tok);
	}
	o += (size_t)snprintf(buf + o, cap - o, "]}");
	assert_true(o < cap);
	assert_int_equal(tv_source_load_buffer("long", buf, o, NULL, &src, &err), 0);
	free(buf);
	assert_int_equal(src.n_pos, n);
	assert_true(src.pos_cap < 2 * n);
	assert_int_equal(strlen(src.ctx), ctx_len);
	/* One context of 100k tokens (about 690 KB), not 100k copies of a
	 * growing one (35 GB): well under a kilobyte a position. */
	assert_true(held_bytes(&src) < (size_t)n * 1024);
	for (unsigned k = 0; k < n; k += 24999) {
		const struct tv_dist *d = &src.pos[k];
		size_t want = 0;

		assert_true(d->prompt_shared);
		assert_ptr_equal(d->prompt, src.ctx);
		for (unsigned i = 0; i < k; i++)
			want += (size_t)snprintf(tok, sizeof tok, " w%u", i);
		p = tv_dist_prompt(d, &len);
		assert_int_equal(len, want);
		snprintf(tok, sizeof tok, " w%u", k);
		assert_string_equal(d->chosen, tok);
		if (k > 0) {
			snprintf(tok, sizeof tok, " w%u", k - 1);
			assert_memory_equal(p + len - strlen(tok), tok, strlen(tok));
		}
	}
}

/* ---- NaN in .npy, the dump temperature ----------------------------------- */

static void
npy_nan_is_masked(void **state)
{
	const struct tv_dist *d;

	(void)state;
	expect_ok(FIX "bad_nan.npy");
	d = &src.pos[0];
	expect_warning("bad_nan.npy: 1 NaN logit (the first is value 1) made -inf: never drawn");
	assert_true(isinf(d->logit[1]) && d->logit[1] < 0);
	assert_int_equal(d->n_finite, d->n - 1);
}

static void
dump_temperature_undone(void **state)
{
	/* Logprobs taken at T = 0.5: the model's logits are half of them. */
	const struct tv_dist *d;
	double a = 0.5 * -0.2, b = 0.5 * -1.8, z;

	(void)state;
	assert_int_equal(load_mem("# kind: logprobs\n# temperature-of-dump: 0.5\n"
				  "a\t-0.2\nb\t-1.8\n"), 0);
	d = &src.pos[0];
	assert_float_equal(d->dump_temp, 0.5, 0);
	assert_float_equal(d->logit[0], a, 1e-6);
	/* The dump's own rest, 1 - e^-0.2 - e^-1.8, sits at logit
	 * ln(rest) there: scaled with the rest. */
	z = exp(a) + exp(b) + exp(0.5 * log(1 - exp(-0.2) - exp(-1.8)));
	assert_float_equal(prob(d, "a"), exp(a) / z, 1e-6);
	tv_source_free(&src);
	assert_int_equal(load_mem("{\"format\": \"tempviz-logits\", \"version\": 1, "
				  "\"temperature_of_dump\": 0.7, \"steps\": [{\"top\": ["
				  "{\"token\": \"a\", \"logit\": 2}, {\"token\": \"b\", \"logit\": 1}]}]}"), 0);
	d = &src.pos[0];
	assert_float_equal(d->logit[0], 1.4, 1e-6);
	assert_float_equal(prob(d, "b"), exp(0.7) / (exp(0.7) + exp(1.4)), 1e-6);
	tv_source_free(&src);
	expect_mem_err("# temperature-of-dump: 0\na\t1\n", "is not a number in the accepted range (a number from 0.001 to 1000)");
	expect_mem_err("{\"format\": \"tempviz-logits\", \"version\": 1, \"temperature_of_dump\": 5000,"
		       " \"steps\": [{\"top\": [{\"token\": \"a\", \"logit\": 2}]}]}",
		       "temperature_of_dump: must be a number from 0.001 to 1000");
	expect_mem_err("# temperature-of-dump: 1000\na\t1e36\n", "makes a logit overflow a float");
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
		cmocka_unit_test_teardown(neginf_in_text_formats, teardown),
		cmocka_unit_test_teardown(neginf_flag_and_refusals, teardown),
		cmocka_unit_test_teardown(mass_over_one, teardown),
		cmocka_unit_test_teardown(mass_over_one_in_a_response, teardown),
		cmocka_unit_test_teardown(mass_under_one_is_a_rest_level, teardown),
		cmocka_unit_test_teardown(stream_equals_response, teardown),
		cmocka_unit_test_teardown(stream_bad, teardown),
		cmocka_unit_test_teardown(stream_skips_empty_chunks, teardown),
		cmocka_unit_test_teardown(sse_not_mistaken, teardown),
		cmocka_unit_test_teardown(long_response_shares_its_context, teardown),
		cmocka_unit_test_teardown(npy_nan_is_masked, teardown),
		cmocka_unit_test_teardown(dump_temperature_undone, teardown),
	};

	return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
