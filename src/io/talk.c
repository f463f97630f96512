/* SPDX-License-Identifier: MIT */
/*
 * The talk script parser (talk.h has the format). Scripts are untrusted:
 * every byte is checked (UTF-8, no control characters), every value is
 * checked against its range, and nothing is kept that a player could
 * trip on. Errors name the file, the line and the column of the value.
 */
#include "io/talk.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/ioutil.h"
#include "io/safetext.h"
#include "tempviz/pipeline.h"

static const char *const key_names[TV_TK__COUNT] = {
#define TV_TALK_KEY_NAME(id, name) [TV_TK_##id] = name,
	TV_TALK_KEYS(TV_TALK_KEY_NAME)
#undef TV_TALK_KEY_NAME
};

const char *const tv_talk_fields[] = {
	"T", "entropy", "top1", "kept", "perplexity", "top", "cut", "dk", NULL,
};

#define ACTIONS "glide, draw, generate, quench, heat, anneal, invert"

const char *
tv_talk_key_name(enum tv_talk_key k)
{
	return k >= 0 && k < TV_TK__COUNT ? key_names[k] : "?";
}

/* One line being parsed: where it is, for the messages. */
struct cursor {
	const char *name;
	const char *line;       /* its first byte */
	size_t len;
	size_t lineno;
	tv_talk_view_ok view_ok;
	struct tv_error *err;
};

/* The 1-based column, in characters, of byte p of the line. */
static size_t
column(const struct cursor *c, const char *p)
{
	size_t col = 1;

	for (const char *s = c->line; s < p; s++)
		col += ((unsigned char)*s & 0xc0) != 0x80;
	return col;
}

static int
fail_at(const struct cursor *c, const char *p, const char *fmt,
	const char *what)
{
	return tv_io_fail(c->err, TV_EXIT_DATA, c->name, c->lineno,
			  column(c, p), fmt, what);
}

/* Every byte valid UTF-8 and no control character but a tab. */
static int
check_bytes(const struct cursor *c)
{
	const unsigned char *s = (const unsigned char *)c->line;
	size_t i = 0;

	while (i < c->len) {
		uint32_t cp;
		size_t n = tv_utf8_scalar(s + i, c->len - i, &cp);

		if (n == 0)
			return fail_at(c, c->line + i, "%s", "not valid UTF-8 "
				       "(a talk is a UTF-8 text file)");
		if ((cp < 0x20 && cp != '\t') || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0))
			return fail_at(c, c->line + i, "%s", "a control "
				       "character (accepted: text and tabs)");
		i += n;
	}
	return 0;
}

static char *
dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static const char *
skip_blank(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static const char *
trim_end(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

/* A number in [lo, hi] written in full at s .. end. */
static int
number(const struct cursor *c, const char *s, const char *end, double lo,
       double hi, int whole, const char *accepted, double *v)
{
	if (end < s || tv_io_parse_double(s, (size_t)(end - s), v) != 0 ||
	    (whole && *v != floor(*v)) || *v < lo || *v > hi)
		return fail_at(c, s, "bad value (accepted: %s)", accepted);
	return 0;
}

/* The range of each numeric setting, as dials and flags take them. */
struct num_rule {
	enum tv_talk_key k;
	double lo, hi;
	int whole;
	const char *accepted;
};

static const struct num_rule num_rules[] = {
	{ TV_TK_POSITION, 1, 4294967295.0, 1, "a whole number from 1" },
	{ TV_TK_TEMP, 0, 100, 0, "a number from 0 (greedy) to 100" },
	{ TV_TK_TOP_K, 0, 1e9, 1, "a whole number from 0 (off) to 1000000000" },
	{ TV_TK_TOP_P, 0, 1, 0, "a number from 0 to 1 (1 is off)" },
	{ TV_TK_MIN_P, 0, 1, 0, "a number from 0 (off) to 1" },
	{ TV_TK_TYPICAL, 0.01, 1, 0, "a number from 0.01 to 1 (1 is off)" },
	{ TV_TK_TOP_N_SIGMA, 0, 10, 0, "a number from 0 (off) to 10" },
	{ TV_TK_XTC_THRESHOLD, 0, 1, 0, "a number from 0 to 1" },
	{ TV_TK_XTC_PROBABILITY, 0, 1, 0, "a number from 0 (off) to 1" },
	{ TV_TK_DYNATEMP_RANGE, 0, 10, 0, "a number from 0 (off) to 10" },
	{ TV_TK_DYNATEMP_EXP, 0.1, 10, 0, "a number from 0.1 to 10" },
	{ TV_TK_MIN_KEEP, 0, 100, 1, "a whole number from 0 (off) to 100" },
	{ TV_TK_SEED, 0, 4294967295.0, 1,
	  "a whole number from 0 to 4294967295" },
	/* The samplers with memory, in the command line's ranges (a
	 * profile's own, vLLM's, is checked when the step is shown). */
	{ TV_TK_REPEAT_PENALTY, 1e-9, 100, 0,
	  "a number above 0, to 100 (1 is off)" },
	{ TV_TK_REPEAT_LAST_N, -1, 1e9, 1,
	  "a whole number from -1 (all); 0 is off" },
	{ TV_TK_FREQ_PENALTY, -100, 100, 0, "a number from -100 to 100" },
	{ TV_TK_PRESENCE_PENALTY, -100, 100, 0, "a number from -100 to 100" },
	{ TV_TK_DRY_MULTIPLIER, 0, 100, 0, "a number from 0 (off) to 100" },
	{ TV_TK_DRY_BASE, 1, 100, 0, "a number from 1 to 100" },
	{ TV_TK_DRY_ALLOWED_LENGTH, 0, 1000, 1,
	  "a whole number from 0 to 1000" },
	{ TV_TK_DRY_PENALTY_LAST_N, -1, 1e9, 1,
	  "a whole number from -1 (all); 0 is off" },
	{ TV_TK_MIROSTAT, 0, 2, 1, "0 (off), 1 or 2" },
	{ TV_TK_MIROSTAT_ENT, 1e-9, 100, 0, "a number above 0, to 100" },
	{ TV_TK_MIROSTAT_LR, 1e-9, 1, 0, "a number above 0, to 1" },
	{ TV_TK_TOP_A, 0, 1, 0, "a number from 0 (off) to 1" },
	{ TV_TK_TFS, 0, 1, 0, "a number from 0 to 1 (1 is off)" },
	{ TV_TK_SMOOTHING_FACTOR, 0, 100, 0, "a number from 0 (off) to 100" },
	{ TV_TK_SMOOTHING_CURVE, 1, 10, 0, "a number from 1 to 10" },
};

static int
word(const char *s, const char *end, const char *w)
{
	return (size_t)(end - s) == strlen(w) && memcmp(s, w, strlen(w)) == 0;
}

/* on/off settings, and "dials: all|main". */
static int
switch_value(const struct cursor *c, enum tv_talk_key k, const char *s,
	     const char *end, double *v)
{
	const char *on = k == TV_TK_DIALS ? "all" : "on";
	const char *off = k == TV_TK_DIALS ? "main" : "off";

	if (word(s, end, on) || word(s, end, off)) {
		*v = word(s, end, on);
		return 0;
	}
	return fail_at(c, s, "bad value (accepted: %s)",
		       k == TV_TK_DIALS ? "all or main" : "on or off");
}

/* "0, 0.7, 2": three temperatures; "off": none (NAN). */
static int
lanes_value(const struct cursor *c, const char *s, const char *end,
	    double *t)
{
	if (word(s, end, "off")) {
		t[0] = t[1] = t[2] = NAN;
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		const char *e = memchr(s, ',', (size_t)(end - s));
		const char *ve = trim_end(s, e ? e : end);

		if ((i < 2) != (e != NULL))
			return fail_at(c, s, "bad lanes (accepted: %s)",
				       "three temperatures, e.g. 0, 0.7, 2, or "
				       "off");
		if (number(c, s, ve, 0, 100, 0, "a temperature from 0 to 100",
			   &t[i]) != 0)
			return TV_EXIT_DATA;
		s = e ? skip_blank(e + 1, end) : end;
	}
	return 0;
}

static int
name_value(const struct cursor *c, enum tv_talk_key k, const char *s,
	   const char *end, struct tv_talk_step *st)
{
	char buf[64];
	size_t n = (size_t)(end - s);

	if (n == 0 && k != TV_TK_PROMPT && k != TV_TK_HISTORY)
		return fail_at(c, s, "%s needs a value", key_names[k]);
	if ((k == TV_TK_SCENARIO || k == TV_TK_VIEW || k == TV_TK_PROFILE) &&
	    n < sizeof buf) {
		memcpy(buf, s, n);
		buf[n] = '\0';
	} else {
		buf[0] = '\0';
	}
	if (k == TV_TK_SCENARIO && !tv_scenario_find(buf))
		return fail_at(c, s, "unknown scenario (accepted: %s)",
			       "a name from tempviz --list");
	if (k == TV_TK_VIEW && (!buf[0] || (c->view_ok && !c->view_ok(buf))))
		return fail_at(c, s, "unknown view (accepted: %s)",
			       "explore, pipeline, sample, curves, thermo, "
			       "attention, generate");
	if (k == TV_TK_PROFILE && tv_profile_parse(buf) < 0)
		return fail_at(c, s, "unknown profile (accepted: %s)",
			       "hf, llama.cpp, llama3, vllm");
	free(st->str[k]);
	st->str[k] = dup_range(s, n);
	if (!st->str[k])
		return tv_io_fail(c->err, TV_EXIT_DATA, c->name, 0, 0,
				  "out of memory");
	return 0;
}

static int
dk_value(const struct cursor *c, const char *s, const char *end, double *v)
{
	if (number(c, s, end, 4, 1024, 1, "4, 16, 64, 256 or 1024", v) != 0)
		return TV_EXIT_DATA;
	if (*v != 4 && *v != 16 && *v != 64 && *v != 256 && *v != 1024)
		return fail_at(c, s, "bad value (accepted: %s)",
			       "4, 16, 64, 256 or 1024");
	return 0;
}

static int
setting(const struct cursor *c, enum tv_talk_key k, const char *s,
	const char *end, struct tv_talk_step *st)
{
	size_t i;

	st->set[k] = 1;
	for (i = 0; i < sizeof num_rules / sizeof *num_rules; i++)
		if (num_rules[i].k == k)
			return number(c, s, end, num_rules[i].lo,
				      num_rules[i].hi, num_rules[i].whole,
				      num_rules[i].accepted, &st->num[k]);
	switch (k) {
	case TV_TK_ZOOM:
	case TV_TK_ENERGY:
	case TV_TK_DIALS:
	case TV_TK_BIG:
		return switch_value(c, k, s, end, &st->num[k]);
	case TV_TK_LANES:
		return lanes_value(c, s, end, st->lanes);
	case TV_TK_DK:
		return dk_value(c, s, end, &st->num[k]);
	default:
		return name_value(c, k, s, end, st);
	}
}

/* The first needle in s .. end (the line is not NUL-terminated). */
static const char *
find(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	for (; s + n <= end; s++)
		if (memcmp(s, needle, n) == 0)
			return s;
	return NULL;
}

/* "temp 0.1 -> 2 over 4s" */
static int
glide(const struct cursor *c, const char *s, const char *end,
      struct tv_talk_step *st)
{
	static const char shape[] = "glide: temp A -> B over Ss, e.g. "
		"glide: temp 0.1 -> 2 over 4s";
	const char *arrow, *over, *p = s;
	size_t n = (size_t)(end - s);

	if (n < 5 || memcmp(p, "temp ", 5) != 0)
		return fail_at(c, p, "bad glide (accepted: %s)", shape);
	p = skip_blank(p + 5, end);
	arrow = find(p, end, "->");
	over = arrow ? find(arrow, end, " over ") : NULL;
	if (!arrow || !over || end[-1] != 's')
		return fail_at(c, p, "bad glide (accepted: %s)", shape);
	if (number(c, p, trim_end(p, arrow), 0, 100, 0,
		   "a temperature from 0 to 100", &st->glide_from) ||
	    number(c, skip_blank(arrow + 2, end), over, 0, 100, 0,
		   "a temperature from 0 to 100", &st->glide_to) ||
	    number(c, skip_blank(over + 6, end), end - 1, 0,
		   TV_TALK_MAX_GLIDE_S, 0, "seconds from 0 to 600, e.g. 4s",
		   &st->glide_s))
		return TV_EXIT_DATA;
	/* The steps after it start where the glide ends. */
	st->glide = 1;
	st->set[TV_TK_TEMP] = 1;
	st->num[TV_TK_TEMP] = st->glide_to;
	return 0;
}

static int
count(const struct cursor *c, const char *s, const char *end, long max,
      const char *accepted, long *out)
{
	double v;

	if (number(c, s, end, 1, (double)max, 1, accepted, &v) != 0)
		return TV_EXIT_DATA;
	*out = (long)v;
	return 0;
}

/* "key: value", or an action. 1 when the line is not one (narration). */
static int
key_line(const struct cursor *c, const char *s, const char *end,
	 struct tv_talk_step *st, int *rc)
{
	const char *k = s, *colon;

	while (s < end && ((*s >= 'a' && *s <= 'z') || *s == '-' ||
			   (s > k && *s >= '0' && *s <= '9')))
		s++;
	colon = s;
	if (colon == k || colon == end || *colon != ':')
		return 1;
	s = skip_blank(colon + 1, end);
	for (int i = 0; i < TV_TK__COUNT; i++)
		if (word(k, colon, key_names[i])) {
			*rc = setting(c, (enum tv_talk_key)i, s, end, st);
			return 0;
		}
	if (word(k, colon, "glide"))
		*rc = glide(c, s, end, st);
	else if (word(k, colon, "draw"))
		*rc = count(c, s, end, TV_TALK_MAX_DRAWS,
			    "a whole number from 1 to 1000000", &st->draw);
	else if (word(k, colon, "generate"))
		*rc = count(c, s, end, TV_TALK_MAX_WORDS,
			    "a whole number from 1 to 400", &st->generate);
	else
		*rc = fail_at(c, k, "unknown setting (accepted: %s; narration "
			      "that starts like one begins with \"> \")",
			      "scenario, source, prompt, lm, position, view, "
			      "profile, zoom, energy, dials, lanes, d-k, big, "
			      "history, each sampler flag of tempviz print "
			      "without its dashes (temp, top-k, repeat-penalty, "
			      "... but order and dry-sequence-breaker), "
			      ACTIONS);
	return 0;
}

static int
bare_action(const char *s, const char *end, unsigned *acts)
{
	static const struct { const char *w; unsigned bit; } a[] = {
		{ "quench", TV_TA_QUENCH }, { "heat", TV_TA_HEAT },
		{ "anneal", TV_TA_ANNEAL }, { "invert", TV_TA_INVERT },
	};

	for (size_t i = 0; i < sizeof a / sizeof *a; i++)
		if (word(s, end, a[i].w)) {
			*acts |= a[i].bit;
			return 1;
		}
	return 0;
}

/* Placeholders must be ones the player fills: {T}, {top1}, ... */
static int
check_fields(const struct cursor *c, const char *s, const char *end)
{
	for (const char *p = s; p < end; p++) {
		const char *q;
		int ok = 0;

		if (*p != '{')
			continue;
		q = memchr(p, '}', (size_t)(end - p));
		for (int i = 0; q && tv_talk_fields[i]; i++)
			ok |= word(p + 1, q, tv_talk_fields[i]);
		if (!ok)
			return fail_at(c, p, "unknown placeholder (accepted: "
				       "%s)", "{T} {entropy} {top1} {kept} "
				       "{perplexity} {top} {cut} {dk}");
		p = q;
	}
	return 0;
}

/* Append a narration line to *dst: lines flow into one paragraph, as
 * in a mail or Markdown, so the caption wraps to any width. */
static int
append(char **dst, const char *s, size_t n)
{
	size_t old = *dst ? strlen(*dst) : 0;
	char *d = realloc(*dst, old + n + 2);

	if (!d)
		return -1;
	if (old)
		d[old++] = ' ';
	memcpy(d + old, s, n);
	d[old + n] = '\0';
	*dst = d;
	return 0;
}

static int
text_line(const struct cursor *c, const char *s, const char *end,
	  struct tv_talk_step *st)
{
	int title = end - s >= 2 && s[0] == '#' && s[1] == ' ';

	if (end - s >= 2 && s[0] == '>' && s[1] == ' ')
		s += 2;
	else if (title)
		s = skip_blank(s + 2, end);
	if (title && st->title)
		return fail_at(c, s, "%s", "a second title in one step "
			       "(accepted: one \"# title\" per step; --- "
			       "starts the next)");
	if (check_fields(c, s, end) != 0)
		return TV_EXIT_DATA;
	if (append(title ? &st->title : &st->text, s, (size_t)(end - s)) < 0)
		return tv_io_fail(c->err, TV_EXIT_DATA, c->name, 0, 0,
				  "out of memory");
	return 0;
}

static int
one_line(const struct cursor *c, struct tv_talk_step *st)
{
	const char *s = skip_blank(c->line, c->line + c->len);
	const char *end = trim_end(s, c->line + c->len);
	int rc = 0;

	if (check_bytes(c) != 0)
		return TV_EXIT_DATA;
	if (s == end)
		return 0;
	if (bare_action(s, end, &st->acts))
		return 0;
	if (!key_line(c, s, end, st, &rc))
		return rc;
	return text_line(c, s, end, st);
}

static void
step_free(struct tv_talk_step *st)
{
	free(st->title);
	free(st->text);
	for (int k = 0; k < TV_TK__COUNT; k++)
		free(st->str[k]);
}

void
tv_talk_free(struct tv_talk *t)
{
	for (int i = 0; i < t->n; i++)
		step_free(&t->step[i]);
	free(t->step);
	free(t->name);
	free(t->dir);
	memset(t, 0, sizeof *t);
}

static int
is_separator(const char *s, size_t n)
{
	const char *e = trim_end(s, s + n);

	return e - s == 3 && memcmp(s, "---", 3) == 0;
}

static struct tv_talk_step *
new_step(struct tv_talk *t, size_t lineno)
{
	struct tv_talk_step *st = realloc(t->step,
					  (size_t)(t->n + 1) * sizeof *st);

	if (!st)
		return NULL;
	t->step = st;
	st = &t->step[t->n++];
	memset(st, 0, sizeof *st);
	st->line = (int)lineno;
	return st;
}

/* A step with nothing in it (two separators in a row, a separator at the
 * end) is a slip of the pen, not a blank slide. */
static int
step_empty(const struct tv_talk_step *st)
{
	int k;

	for (k = 0; k < TV_TK__COUNT && !st->set[k]; k++)
		;
	return k == TV_TK__COUNT && !st->title && !st->text && !st->glide &&
	       !st->draw && !st->generate && !st->acts;
}

static int
parse_lines(const char *text, size_t len, struct cursor *c,
	    struct tv_talk *t)
{
	const char *p = text, *end = text + len;
	struct tv_talk_step *st = NULL;

	for (c->lineno = 1; p < end; c->lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		c->line = p;
		c->len = (size_t)(le - p);
		if (c->len && p[c->len - 1] == '\r')
			c->len--;
		if (is_separator(p, c->len)) {
			if (!st || step_empty(st))
				return fail_at(c, p, "%s", "an empty step "
					       "(accepted: a title, narration "
					       "or settings between ---)");
			st = NULL;
		} else if (st || skip_blank(p, p + c->len) < p + c->len) {
			if (!st && !(st = new_step(t, c->lineno)))
				return tv_io_fail(c->err, TV_EXIT_DATA,
						  c->name, 0, 0,
						  "out of memory");
			if (t->n > TV_TALK_MAX_STEPS)
				return fail_at(c, p, "%s", "too many steps "
					       "(accepted: at most 1000)");
			if (one_line(c, st) != 0)
				return TV_EXIT_DATA;
		}
		p = nl ? nl + 1 : end;
	}
	if (!st || step_empty(st))
		return tv_io_fail(c->err, TV_EXIT_DATA, c->name, c->lineno - 1,
				  0, "%s", t->n ? "an empty last step (accepted:"
				  " no --- after the last step)" : "no steps "
				  "(accepted: a title, narration or settings)");
	return 0;
}

int
tv_talk_parse(const char *text, size_t len, const char *name,
	      tv_talk_view_ok view_ok, struct tv_talk *t,
	      struct tv_error *err)
{
	struct cursor c = { .name = name, .view_ok = view_ok, .err = err };

	memset(t, 0, sizeof *t);
	if (len > TV_TALK_MAX_BYTES)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0, "%s",
				  "too large (accepted: a talk of at most "
				  "1 MiB)");
	/* A byte-order mark some editors write is not text. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	t->name = dup_range(name, strlen(name));
	if (!t->name || parse_lines(text, len, &c, t) != 0) {
		if (!t->name)
			tv_io_fail(err, TV_EXIT_DATA, name, 0, 0, "out of memory");
		tv_talk_free(t);
		return TV_EXIT_DATA;
	}
	return TV_EXIT_OK;
}

#define BLOB(n) extern const char tv_talk_##n[]; \
	extern const uint64_t tv_talk_##n##_size
BLOB(temperature);
BLOB(france);
BLOB(lab);
BLOB(attention);
BLOB(text);
#undef BLOB

const struct tv_talk_builtin *
tv_talk_builtins(size_t *n)
{
#define TALK(x) { #x, tv_talk_##x, 0 }
	static struct tv_talk_builtin table[] = {
		TALK(temperature), TALK(france), TALK(lab), TALK(attention),
		TALK(text),
	};
#undef TALK
	/* Link-time sizes, copied in on first use (as for scenarios). */
	const uint64_t *const sizes[] = {
		&tv_talk_temperature_size, &tv_talk_france_size,
		&tv_talk_lab_size, &tv_talk_attention_size, &tv_talk_text_size,
	};

	*n = sizeof table / sizeof *table;
	for (size_t i = 0; i < *n; i++)
		table[i].len = (size_t)*sizes[i];
	return table;
}

/* The directory of a path, where the talk's relative sources are. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? dup_range(path, (size_t)(slash - path + 1))
		     : dup_range("", 0);
}

int
tv_talk_load(const char *name_or_path, tv_talk_view_ok view_ok,
	     struct tv_talk *t, struct tv_error *err)
{
	size_t n, len;
	const struct tv_talk_builtin *b = tv_talk_builtins(&n);
	char *buf;
	int rc;

	for (size_t i = 0; i < n; i++)
		if (strcmp(b[i].name, name_or_path) == 0) {
			rc = tv_talk_parse(b[i].data, b[i].len, b[i].name,
					   view_ok, t, err);
			if (rc == TV_EXIT_OK && !(t->dir = dir_of(""))) {
				tv_talk_free(t);
				return tv_io_fail(err, TV_EXIT_DATA,
						  name_or_path, 0, 0,
						  "out of memory");
			}
			return rc;
		}
	memset(t, 0, sizeof *t);
	rc = tv_io_read_file(name_or_path, &buf, &len, err);
	if (rc != TV_EXIT_OK)
		return rc;
	rc = tv_talk_parse(buf, len, name_or_path, view_ok, t, err);
	free(buf);
	if (rc == TV_EXIT_OK && !(t->dir = dir_of(name_or_path))) {
		tv_talk_free(t);
		return tv_io_fail(err, TV_EXIT_DATA, name_or_path, 0, 0,
				  "out of memory");
	}
	return rc;
}
