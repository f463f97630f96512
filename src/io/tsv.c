/* SPDX-License-Identifier: MIT */
/*
 * TSV and CSV: one token and one value per line.
 *
 *   # kind: logprobs          header comments, before the first token
 *   # prompt: The capital of France is
 *    Paris<TAB>-0.02          the token's leading space is kept
 *   \n<TAB>-6.1               C-style escapes in tokens
 *
 * Headers: kind (logits, logprobs or probs; default logits), prompt
 * (escapes allowed), model, note, name, vocab-size, logsumexp (of the full
 * vocabulary, for kind logits: an exact tail) and temperature-of-dump
 * (the values are multiplied by it: the model's own logits). Probs or
 * logprobs summing below 1 leave the rest to a tail, of vocab-size - n
 * tokens or, without it, one level of unknown size; summing above 1 by
 * rounding they are renormalised with a warning. A first line such as
 * "token<TAB>logprob" names the columns and so the kind. A value -inf is
 * a masked token; logprobs of -9999 (OpenAI's placeholder) are missing
 * values.
 *
 * A line starting with '#' and holding no TAB is a comment; the known
 * "# key: value" comments are headers. In CSV a field may be quoted
 * ("a,b" and "say ""hi"""), which is also how a token starting with '#'
 * is written there; in TSV such a line holds a TAB and is data anyway.
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/ioutil.h"

/* OpenAI's "not in the top 20" placeholder: a missing value, not a real
 * log-probability. */
#define LOGPROB_SENTINEL (-9999.0)

struct tsv {
	const char *name;
	struct tv_source *src;
	struct tv_error *err;
	struct tv_dist *d;
	struct tv_tokset set;
	uint32_t *lines;        /* the line of each token */
	size_t lines_cap;
	char *scratch;          /* a decoded field */
	size_t scratch_cap;
	size_t line;
	char sep;               /* '\t' or ',' once the first token is read */
	int kind;               /* enum tv_kind, or -1 while not given */
	int seen_data;
	double mass;            /* sum of listed p (probs and logprobs) */
	double vocab_size, lse, dump_temp;
	size_t vocab_line, lse_line;
};

/* An error at byte at of the line starting at ls. */
static int __attribute__((format(printf, 4, 5)))
fail(struct tsv *t, const char *at, const char *ls, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return tv_io_fail(t->err, TV_EXIT_DATA, t->name, t->line,
			  (size_t)(at - ls) + 1, "%s", what);
}

static int
nomem(struct tsv *t)
{
	return tv_io_fail(t->err, TV_EXIT_DATA, t->name, 0, 0, "out of memory");
}

static int
scratch_fit(struct tsv *t, size_t len)
{
	char *s;

	if (len + 1 <= t->scratch_cap)
		return 0;
	s = realloc(t->scratch, len + 1);
	if (!s)
		return -1;
	t->scratch = s;
	t->scratch_cap = len + 1;
	return 0;
}

/* A header value, NUL-terminated in scratch (escapes decoded when asked). */
static int
header_value(struct tsv *t, const char *v, const char *e, const char *ls,
	     int unescape)
{
	size_t bad;
	long n;

	if (scratch_fit(t, (size_t)(e - v)) != 0)
		return nomem(t);
	if (!unescape) {
		memcpy(t->scratch, v, (size_t)(e - v));
		t->scratch[e - v] = '\0';
		return 0;
	}
	n = tv_io_unescape(v, (size_t)(e - v), t->scratch, &bad);
	if (n < 0)
		return fail(t, v + bad, ls, "bad escape (accepted: %s)",
			    TV_IO_ESCAPES);
	t->scratch[n] = '\0';
	return 0;
}

static int
header_number(struct tsv *t, const char *v, const char *e, const char *ls,
	      double *out, double lo, double hi, const char *accepted)
{
	if (tv_io_parse_double(v, (size_t)(e - v), out) != 0 || *out < lo ||
	    *out > hi) {
		char q[64];

		return fail(t, v, ls, "\"%s\" is not a number in the accepted range (%s)",
			    tv_io_quote(v, (size_t)(e - v), q, sizeof q),
			    accepted);
	}
	return 0;
}

static int
set_kind(struct tsv *t, const char *v, size_t len, const char *at,
	 const char *ls)
{
	static const struct { const char *s; int kind; } names[] = {
		{ "logits", TV_KIND_LOGITS }, { "logit", TV_KIND_LOGITS },
		{ "logprobs", TV_KIND_LOGPROBS }, { "logprob", TV_KIND_LOGPROBS },
		{ "probs", TV_KIND_PROBS }, { "prob", TV_KIND_PROBS },
		{ "p", TV_KIND_PROBS },
	};
	char q[64];

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strlen(names[i].s) != len || memcmp(names[i].s, v, len))
			continue;
		if (t->kind >= 0 && t->kind != names[i].kind)
			return fail(t, at, ls, "kind \"%s\" contradicts the kind given before",
				    tv_io_quote(v, len, q, sizeof q));
		t->kind = names[i].kind;
		return 0;
	}
	return fail(t, at, ls, "unknown kind \"%s\" (accepted: logits, logprobs, probs)",
		    tv_io_quote(v, len, q, sizeof q));
}

static int
header_meta(struct tsv *t, char **field, const char *v, const char *e,
	    const char *ls, int unescape)
{
	int r = header_value(t, v, e, ls, unescape);

	if (r != 0)
		return r;
	if (tv_dist_set_meta(field, t->scratch) != TV_OK)
		return nomem(t);
	return 0;
}

/* "# key: value"; other comments are ignored. */
static int
header(struct tsv *t, const char *ls, const char *e)
{
	const char *k = ls + 1, *ke, *v;
	size_t kl;

	while (k < e && *k == ' ')
		k++;
	ke = k;
	while (ke < e && ((*ke >= 'a' && *ke <= 'z') || *ke == '-'))
		ke++;
	if (ke == k || ke == e || *ke != ':')
		return 0;
	kl = (size_t)(ke - k);
	v = ke + 1;
	while (v < e && *v == ' ')
		v++;
	while (e > v && e[-1] == ' ')
		e--;
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(k, s, kl) == 0)
	if (KEY("kind")) {
		if (t->seen_data)
			return fail(t, k, ls, "# kind must come before the first token");
		return set_kind(t, v, (size_t)(e - v), v, ls);
	}
	if (KEY("prompt"))
		return header_meta(t, &t->d->prompt, v, e, ls, 1);
	if (KEY("model"))
		return header_meta(t, &t->d->model, v, e, ls, 0);
	if (KEY("note"))
		return header_meta(t, &t->d->note, v, e, ls, 0);
	if (KEY("name"))
		return header_meta(t, &t->d->name, v, e, ls, 0);
	if (KEY("vocab-size")) {
		t->vocab_line = t->line;
		if (header_number(t, v, e, ls, &t->vocab_size, 1, 1e12,
				  "an integer from 1 to 1e12") != 0)
			return TV_EXIT_DATA;
		if (t->vocab_size != floor(t->vocab_size))
			return fail(t, v, ls, "# vocab-size must be a whole number");
		return 0;
	}
	if (KEY("logsumexp")) {
		t->lse_line = t->line;
		return header_number(t, v, e, ls, &t->lse, -1e30, 1e30,
				     "a finite number");
	}
	if (KEY("temperature-of-dump"))
		return header_number(t, v, e, ls, &t->dump_temp, TV_DUMP_T_MIN,
				     TV_DUMP_T_MAX, "a number from 0.001 to 1000");
#undef KEY
	return 0;
}

/* A quoted CSV field starting at p (the quote): the raw text between the
 * quotes with "" made ", in scratch; *next is just after the closing
 * quote. A backslash protects the next character, so \" is an escape. */
static int
csv_quoted(struct tsv *t, const char *p, const char *e, const char *ls,
	   size_t *len, const char **next)
{
	size_t o = 0;
	const char *q = p + 1;

	if (scratch_fit(t, (size_t)(e - p)) != 0)
		return nomem(t);
	while (q < e) {
		if (*q == '\\' && q + 1 < e) {
			t->scratch[o++] = *q++;
			t->scratch[o++] = *q++;
		} else if (*q == '"' && q + 1 < e && q[1] == '"') {
			t->scratch[o++] = '"';
			q += 2;
		} else if (*q == '"') {
			*len = o;
			*next = q + 1;
			return 0;
		} else {
			t->scratch[o++] = *q++;
		}
	}
	return fail(t, p, ls, "unterminated quoted field (close it with \"; write a quote inside as \"\" or \\\")");
}

/* The token field of a data line, decoded into scratch; *vs is where the
 * separator after it is. */
static int
token_field(struct tsv *t, const char *ls, const char *e, size_t *toklen,
	    const char **vs)
{
	const char *p = ls;
	size_t raw = 0, bad;
	long n;
	int r;

	if (t->sep == ',' && *p == '"') {
		r = csv_quoted(t, p, e, ls, &raw, vs);
		if (r != 0)
			return r;
		if (*vs == e || **vs != ',')
			return fail(t, *vs, ls, "expected ',' after the quoted token");
	} else {
		*vs = memchr(p, t->sep, (size_t)(e - p));
		if (!*vs)
			return fail(t, e, ls, "no %s on this line (expected token%svalue)",
				    t->sep == '\t' ? "TAB" : "','",
				    t->sep == '\t' ? "<TAB>" : ",");
		raw = (size_t)(*vs - p);
		if (scratch_fit(t, raw) != 0)
			return nomem(t);
		memcpy(t->scratch, p, raw);
	}
	n = tv_io_unescape(t->scratch, raw, t->scratch, &bad);
	if (n < 0) {
		/* Point at the escape in the line (quoted fields shift by
		 * one; "" pairs before it are rare enough to ignore). */
		const char *at = ls + bad + (*ls == '"' && t->sep == ',');

		return fail(t, at, ls, "bad escape in token (accepted: %s)",
			    TV_IO_ESCAPES);
	}
	*toklen = (size_t)n;
	return 0;
}

/* The value as a logit under the file's kind; 1 when it is a missing
 * placeholder and the token is left out. */
static int
value_logit(struct tsv *t, const char *v, const char *ve, const char *ls,
	    float *logit)
{
	char q[64];
	double x;
	int r = tv_io_parse_value(v, (size_t)(ve - v), &x);

	if (r == -2 || (r == 0 && isfinite(x) && fabs(x) > FLT_MAX))
		return fail(t, v, ls, "value \"%s\" is out of range (accepted: finite numbers or -inf)",
			    tv_io_quote(v, (size_t)(ve - v), q, sizeof q));
	if (r != 0)
		return fail(t, v, ls, "value \"%s\" is not a number (accepted: %s)",
			    tv_io_quote(v, (size_t)(ve - v), q, sizeof q),
			    TV_IO_VALUES);
	switch (t->kind) {
	case TV_KIND_PROBS:
		if (x < 0 && isinf(x))
			return fail(t, v, ls, "probability -inf is not a probability (accepted: p >= 0; 0 masks a token)");
		if (x < 0)
			return fail(t, v, ls, "probability %s is negative (accepted: p >= 0)",
				    tv_io_quote(v, (size_t)(ve - v), q, sizeof q));
		t->mass += x;
		*logit = x > 0 ? (float)log(x) : -INFINITY;
		return 0;
	case TV_KIND_LOGPROBS:
		if (x == LOGPROB_SENTINEL)
			return -1;
		/* llama.cpp writes p = 0 as -3.4e38: masked, as -inf is. */
		if (x <= TV_LOGPROB_ZERO)
			x = -INFINITY;
		if (x > 1e-3)
			return fail(t, v, ls, "logprob %s is positive (accepted: logprob <= 0)",
				    tv_io_quote(v, (size_t)(ve - v), q, sizeof q));
		t->mass += exp(x);
		*logit = (float)x;
		return 0;
	default:
		*logit = (float)x;
		return 0;
	}
}

static int
push_token(struct tsv *t, size_t toklen, float logit, const char *ls)
{
	uint32_t id = t->d->n, prev;
	char q[64];

	if (tv_dist_push(t->d, t->scratch, toklen, logit) != TV_OK)
		return nomem(t);
	if (id >= t->lines_cap) {
		size_t cap = t->lines_cap ? t->lines_cap * 2 : 1024;
		uint32_t *l = realloc(t->lines, cap * sizeof *l);

		if (!l)
			return nomem(t);
		t->lines = l;
		t->lines_cap = cap;
	}
	t->lines[id] = (uint32_t)t->line;
	prev = tv_tokset_add(&t->set, t->d, id);
	if (prev == TV_TOKSET_NOMEM)
		return nomem(t);
	if (prev != UINT32_MAX) {
		char first[32];

		snprintf(first, sizeof first, "%u", (unsigned)t->lines[prev]);
		return fail(t, ls, ls, "duplicate token \"%s\" (first on line %s; each token once)",
			    tv_io_quote(t->scratch, toklen, q, sizeof q), first);
	}
	return 0;
}

/* A first line like "token<TAB>logprob" names the columns. */
static int
column_names(struct tsv *t, const char *v, const char *ve, const char *ls)
{
	double x;

	if (t->seen_data || tv_io_parse_double(v, (size_t)(ve - v), &x) == 0)
		return 0;
	for (const char *c = v; c < ve; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
			return 0;
	if (set_kind(t, v, (size_t)(ve - v), v, ls) != 0)
		return 0;
	return 1;
}

static int
data_line(struct tsv *t, const char *ls, const char *e)
{
	const char *vs = NULL, *v, *ve;
	size_t toklen = 0;
	float logit = 0;
	int r;

	if (!t->sep)
		t->sep = memchr(ls, '\t', (size_t)(e - ls)) ? '\t' : ',';
	r = token_field(t, ls, e, &toklen, &vs);
	if (r != 0)
		return r;
	v = vs + 1;
	while (v < e && *v == ' ')
		v++;
	ve = e;
	while (ve > v && ve[-1] == ' ')
		ve--;
	if (memchr(v, t->sep, (size_t)(ve - v)))
		return fail(t, (const char *)memchr(v, t->sep, (size_t)(ve - v)), ls,
			    "more than two columns (expected token%svalue)",
			    t->sep == '\t' ? "<TAB>" : ",");
	if (column_names(t, v, ve, ls)) {
		t->seen_data = 1;
		return 0;
	}
	if (t->kind < 0)
		t->kind = TV_KIND_LOGITS;
	t->seen_data = 1;
	r = value_logit(t, v, ve, ls, &logit);
	if (r < 0)
		return 0;
	if (r != 0)
		return r;
	return push_token(t, toklen, logit, ls);
}

/* Listed probabilities over 1: rounding is renormalised with a word,
 * more is refused. */
static int
check_mass(struct tsv *t)
{
	struct tv_io_excess x = { 0 };

	if (tv_io_note_mass(&x, t->mass) != 0)
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, 0, 0,
				  TV_IO_MASS_REFUSED, t->mass, TV_MASS_TOLERANCE);
	tv_io_warn_excess(t->src, t->name, &x);
	return 0;
}

static int
tail_and_finish(struct tsv *t)
{
	struct tv_dist *d = t->d;
	enum tv_status s = TV_OK;
	int r;

	if (d->n == 0)
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, 0, 0,
				  "no tokens (expected lines of token<TAB>value or token,value)");
	if (t->vocab_size > 0 && t->vocab_size < d->n)
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, t->vocab_line, 0,
				  "# vocab-size is smaller than the %u tokens listed (accepted: at least as many)",
				  (unsigned)d->n);
	if (t->kind == TV_KIND_PROBS && !(t->mass > 0))
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, 0, 0,
				  "the probabilities sum to 0 (accepted: at least one p > 0)");
	if (t->lse_line) {
		if (t->kind != TV_KIND_LOGITS)
			return tv_io_fail(t->err, TV_EXIT_DATA, t->name, t->lse_line, 0,
					  "# logsumexp applies to kind logits only (probs and logprobs give their tail themselves)");
		s = tv_dist_set_tail_lse(d, t->vocab_size, t->lse);
		if (s == TV_ERANGE)
			return tv_io_fail(t->err, TV_EXIT_DATA, t->name, t->lse_line, 0,
					  "# logsumexp is below that of the listed tokens (accepted: the full vocabulary's, which is larger)");
	} else if (t->kind == TV_KIND_LOGITS && t->vocab_size > d->n) {
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, t->vocab_line, 0,
				  "# vocab-size with kind logits needs # logsumexp (the full vocabulary's) to size the tail");
	} else if (t->kind != TV_KIND_LOGITS) {
		if ((r = check_mass(t)) != 0)
			return r;
		s = tv_io_tail_from_mass(d, t->vocab_size, t->mass);
	}
	if (s != TV_OK)
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, 0, 0,
				  "cannot set the tail: %s", tv_status_str(s));
	d->kind = (enum tv_kind)t->kind;
	d->dump_temp = t->dump_temp;
	if (tv_dist_undo_dump_temp(d) != TV_OK)
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, 0, 0,
				  "# temperature-of-dump %g makes a logit overflow a float",
				  t->dump_temp);
	s = tv_dist_finish(d);
	if (s == TV_EEMPTY)
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, 0, 0,
				  "no token has a probability above 0");
	if (s != TV_OK)
		return tv_io_fail(t->err, TV_EXIT_DATA, t->name, 0, 0,
				  "%s", tv_status_str(s));
	return 0;
}

static int
parse_lines(struct tsv *t, const char *p, const char *end)
{
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		int r = 0;

		t->line++;
		if (e > p && e[-1] == '\r')
			e--;
		if (e > p && *p == '#' && !memchr(p, '\t', (size_t)(e - p)))
			r = header(t, p, e);
		else if (e > p)
			r = data_line(t, p, e);
		if (r != 0)
			return r;
		p = nl ? nl + 1 : end;
	}
	return tail_and_finish(t);
}

int
tv_load_tsv(const char *name, const char *buf, size_t len,
	    struct tv_source *src, struct tv_error *err)
{
	struct tsv t = { .name = name, .src = src, .err = err, .kind = -1 };
	int r;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	t.d = tv_io_new_pos(src);
	if (!t.d)
		return nomem(&t);
	r = parse_lines(&t, buf, buf + len);
	if (r == 0 && !t.d->name && tv_dist_set_meta(&t.d->name, name) != TV_OK)
		r = nomem(&t);
	tv_tokset_free(&t.set);
	free(t.lines);
	free(t.scratch);
	return r;
}
