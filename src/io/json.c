/* SPDX-License-Identifier: MIT */
/*
 * JSON sources, parsed with jansson: tempviz's own "tempviz-logits" dump,
 * and the logprobs of saved model-server responses (OpenAI chat and
 * legacy completions, llama.cpp /completion in its three shapes, Ollama).
 * A response with several generated tokens becomes one position per
 * token, each with its context and the token the model chose.
 *
 * Server responses list only the top of the vocabulary; the rest becomes
 * a tail of mass 1 - sum p, spread over vocab_size - n tokens when the
 * response carries a "vocab_size" hint, else one lumped level.
 *
 * jansson keeps no positions for values, so errors found after parsing
 * name the value by its path instead: "choices[0].logprobs.content[2]".
 */
#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/ioutil.h"
#include "io/safetext.h"

#define LOGPROB_SENTINEL (-9999.0)
/* Paths of values in messages; an element's path extends its parent's. */
#define PATH_MAX_LEN 160
#define ELEM_PATH_LEN (PATH_MAX_LEN + 64)

struct jctx {
	const char *name;
	struct tv_error *err;
	struct tv_source *src;
	const char *model;      /* from the response, or NULL */
	double vocab_size;      /* 0 when unknown */
	double vocab_hint;      /* the caller's, when the response has none */
	char *ctx;              /* prompt, then each chosen token; the
	                           positions' prompts are prefixes of it */
	size_t ctx_len, ctx_cap;
	size_t line;            /* the line of a streamed chunk, or 0 */
	int stream;             /* chunks of a stream: one without logprobs
	                           is skipped, not refused */
	struct tv_io_excess excess;
	char *tok;              /* a decoded "bytes" array */
	size_t tok_cap;
	long long *ids;         /* the listed ids of one position */
	size_t n_ids, ids_cap;
};

/* A token's bytes, borrowed from the JSON tree or from jctx.tok. */
struct tok {
	const char *s;
	size_t len;
};

/* What one entry of a response looks like in each server's shape. */
struct shape {
	const char *top_key;    /* the list of alternatives */
	const char *tok_key;    /* an alternative's token text */
	const char *val_key;    /* its value */
	const char *self_key;   /* the chosen token's text in the entry */
	int probs;              /* values are probabilities, not logprobs */
	const char *note;
};

static const struct shape openai_shape = {
	"top_logprobs", "token", "logprob", "token", 0, NULL
};
static const struct shape llama_post_shape = {
	"top_probs", "token", "prob", "token", 1,
	"llama.cpp post-sampling probabilities: taken after the server's "
	"sampler chain (temperature, top-k, ...), not the raw model"
};
static const struct shape llama_legacy_shape = {
	"probs", "tok_str", "prob", "content", 1, NULL
};

static int __attribute__((format(printf, 3, 4)))
jfail(struct jctx *j, const char *path, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (path && *path)
		return tv_io_fail(j->err, TV_EXIT_DATA, j->name, j->line, 0,
				  "%s: %s", path, what);
	return tv_io_fail(j->err, TV_EXIT_DATA, j->name, j->line, 0, "%s",
			  what);
}

static int
nomem(struct jctx *j)
{
	return jfail(j, NULL, "out of memory");
}

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* A value as a number: a JSON number, or a string holding one or -inf
 * (JSON has no infinity, so dumps write "-inf" or, from Python,
 * -Infinity, which the reader turns into a string first). 0 on success. */
static int
num_value(const json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (json_is_string(v))
		return tv_io_parse_value(json_string_value(v),
					 json_string_length(v), out) == 0 ? 0 : -1;
	return -1;
}

/* obj[key] as a number; optional says absence (or null) is fine. */
static int
get_num(struct jctx *j, const json_t *obj, const char *key, const char *path,
	int optional, double *out, int *found)
{
	json_t *v = json_object_get(obj, key);

	*found = 0;
	if (!v || json_is_null(v)) {
		if (optional)
			return 0;
		return jfail(j, path, "\"%s\" is missing (expected a number)",
			     key);
	}
	if (num_value(v, out) != 0)
		return jfail(j, path, "\"%s\" is %s (expected a number, or \"-inf\")",
			     key, json_is_string(v) ? "a string that is not a number" :
			     type_name(v));
	*found = 1;
	return 0;
}

static int
get_array(struct jctx *j, const json_t *obj, const char *key,
	  const char *path, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return jfail(j, path, "\"%s\" is missing (expected an array)",
			     key);
	if (!json_is_array(v))
		return jfail(j, path, "\"%s\" is %s (expected an array)", key,
			     type_name(v));
	*out = v;
	return 0;
}

/* An optional string; a value of another type is an error. */
static int
get_str(struct jctx *j, const json_t *obj, const char *key, const char *path,
	const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return jfail(j, path, "\"%s\" is %s (expected a string)", key,
			     type_name(v));
	*out = json_string_value(v);
	return 0;
}

static int
tok_fit(struct jctx *j, size_t len)
{
	char *t;

	if (len + 1 <= j->tok_cap)
		return 0;
	t = realloc(j->tok, len + 1);
	if (!t)
		return -1;
	j->tok = t;
	j->tok_cap = len + 1;
	return 0;
}

/* The token's bytes: the "bytes" array (exact, even for a token that is
 * part of a UTF-8 character) when present, else the string at key. */
static int
get_token(struct jctx *j, const json_t *o, const char *key, const char *path,
	  struct tok *t)
{
	json_t *b = json_object_get(o, "bytes"), *v;
	size_t i;

	if (b && !json_is_null(b)) {
		if (!json_is_array(b))
			return jfail(j, path, "\"bytes\" is %s (expected an array of 0..255)",
				     type_name(b));
		if (tok_fit(j, json_array_size(b)) != 0)
			return nomem(j);
		json_array_foreach(b, i, v) {
			json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;

			if (x < 0 || x > 255)
				return jfail(j, path, "bytes[%zu] is not an integer 0..255",
					     i);
			j->tok[i] = (char)x;
		}
		t->s = j->tok;
		t->len = json_array_size(b);
		return 0;
	}
	v = json_object_get(o, key);
	if (!v || !json_is_string(v))
		return jfail(j, path, "\"%s\" is %s (expected a string)", key,
			     v ? type_name(v) : "missing");
	t->s = json_string_value(v);
	t->len = json_string_length(v);
	return 0;
}

/* A listed value as a logit; 1 when it is the "not in the top"
 * placeholder and the token is left out. */
static int
value_logit(struct jctx *j, double v, int probs, const char *path,
	    const char *key, float *logit, double *p)
{
	if (probs) {
		if (v < 0 || v > 1 + 1e-6)
			return jfail(j, path, "\"%s\" %g is not a probability (accepted: 0..1)",
				     key, v);
		*p = v;
		*logit = v > 0 ? (float)log(v) : -INFINITY;
		return 0;
	}
	if (v == LOGPROB_SENTINEL)
		return -1;
	if (!(v <= 1e-3))
		return jfail(j, path, "\"%s\" %g is not a log-probability (accepted: <= 0, or -inf)",
			     key, v);
	/* llama.cpp sends p = 0 as -3.4e38: a masked token, as -inf is. */
	if (v <= TV_LOGPROB_ZERO)
		v = -INFINITY;
	*p = exp(v);
	*logit = (float)v;
	return 0;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int
note_id(struct jctx *j, const json_t *o, const char *path)
{
	json_t *v = json_object_get(o, "id");

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return jfail(j, path, "\"id\" is %s (expected an integer)",
			     type_name(v));
	if (j->n_ids == j->ids_cap) {
		size_t cap = j->ids_cap ? j->ids_cap * 2 : 64;
		long long *ids = realloc(j->ids, cap * sizeof *ids);

		if (!ids)
			return nomem(j);
		j->ids = ids;
		j->ids_cap = cap;
	}
	j->ids[j->n_ids++] = json_integer_value(v);
	return 0;
}

/* The listed ids in the order pushed, kept when every alternative had
 * one; a chosen token listed after them gets -1. */
static int
keep_ids(struct jctx *j, struct tv_dist *d)
{
	if (j->n_ids == 0 || j->n_ids != d->n)
		return 0;
	d->tok_id = malloc((d->n + 1) * sizeof *d->tok_id);
	if (!d->tok_id)
		return nomem(j);
	for (uint32_t i = 0; i < d->n; i++)
		d->tok_id[i] = j->ids[i] >= 0 && j->ids[i] <= INT32_MAX ?
			       (int32_t)j->ids[i] : -1;
	d->tok_id[d->n] = -1;
	return 0;
}

static int
check_ids(struct jctx *j, const char *path)
{
	if (j->n_ids > 1)
		qsort(j->ids, j->n_ids, sizeof *j->ids, cmp_ll);
	for (size_t i = 1; i < j->n_ids; i++)
		if (j->ids[i] == j->ids[i - 1])
			return jfail(j, path, "duplicate token id %lld (each id once)",
				     j->ids[i]);
	return 0;
}

static int
ctx_append(struct jctx *j, const char *s, size_t len)
{
	if (j->ctx_len + len + 1 > j->ctx_cap) {
		size_t cap = (j->ctx_len + len + 1) * 2;
		char *c = realloc(j->ctx, cap);

		if (!c)
			return -1;
		j->ctx = c;
		j->ctx_cap = cap;
	}
	memcpy(j->ctx + j->ctx_len, s, len);
	j->ctx_len += len;
	j->ctx[j->ctx_len] = '\0';
	return 0;
}

/* Metadata shared by every position of a response. The prompt is the
 * context so far: its length now, pointed at the context once it is
 * complete (share_context), since it still grows. */
static int
set_common_meta(struct jctx *j, struct tv_dist *d, const char *note)
{
	d->prompt_shared = 1;
	d->prompt_len = j->ctx_len;
	if (tv_dist_set_meta(&d->name, j->name) != TV_OK ||
	    (j->model && tv_dist_set_meta(&d->model, j->model) != TV_OK) ||
	    (note && tv_dist_set_meta(&d->note, note) != TV_OK))
		return nomem(j);
	return 0;
}

/* Copy bytes as a NUL-terminated metadata string. */
static int
set_meta_bytes(struct jctx *j, char **field, const char *s, size_t len)
{
	char *c = malloc(len + 1);
	enum tv_status st;

	if (!c)
		return nomem(j);
	memcpy(c, s, len);
	c[len] = '\0';
	st = tv_dist_set_meta(field, c);
	free(c);
	return st == TV_OK ? 0 : nomem(j);
}

static int
finish_pos(struct jctx *j, struct tv_dist *d, const char *path)
{
	enum tv_status s = tv_dist_finish(d);

	if (s == TV_EEMPTY)
		return jfail(j, path, "no token with a probability above 0");
	if (s != TV_OK)
		return jfail(j, path, "%s", tv_status_str(s));
	return 0;
}

/* The rest of the vocabulary from the listed mass (over 1 by rounding is
 * renormalised and told once per source; more is refused), then the
 * order. */
static int
tail_and_finish(struct jctx *j, struct tv_dist *d, double mass,
		const char *path)
{
	if (tv_io_note_mass(&j->excess, mass) != 0)
		return jfail(j, path, TV_IO_MASS_REFUSED, mass, TV_MASS_TOLERANCE);
	if (tv_io_tail_from_mass(d, j->vocab_size, mass) != TV_OK)
		return jfail(j, path, "the listed probabilities do not form a distribution");
	return finish_pos(j, d, path);
}

/* Push the alternatives of one entry; their summed probability is added
 * to *mass. */
static int
push_top(struct jctx *j, struct tv_dist *d, const json_t *top,
	 const struct shape *sh, const char *path, double *mass)
{
	char p[ELEM_PATH_LEN];
	size_t i;
	json_t *o;

	json_array_foreach(top, i, o) {
		struct tok t;
		double v, pr;
		float logit;
		int found, r;

		snprintf(p, sizeof p, "%s.%s[%zu]", path, sh->top_key, i);
		if (!json_is_object(o))
			return jfail(j, p, "is %s (expected an object)",
				     type_name(o));
		if ((r = get_token(j, o, sh->tok_key, p, &t)) != 0 ||
		    (r = get_num(j, o, sh->val_key, p, 0, &v, &found)) != 0)
			return r;
		r = value_logit(j, v, sh->probs, p, sh->val_key, &logit, &pr);
		if (r < 0)
			continue;
		if (r != 0 || (r = note_id(j, o, p)) != 0)
			return r;
		if (tv_dist_push(d, t.s, t.len, logit) != TV_OK)
			return nomem(j);
		*mass += pr;
	}
	return 0;
}

/* The chosen token: recorded, added to the context, and listed with its
 * own value when the alternatives do not include it. */
static int
chosen_token(struct jctx *j, struct tv_dist *d, const json_t *entry,
	     const struct shape *sh, const char *path, double *mass)
{
	struct tok t;
	double v, pr;
	float logit;
	int found, r;
	uint32_t at = UINT32_MAX;

	if ((r = get_token(j, entry, sh->self_key, path, &t)) != 0)
		return r;
	for (uint32_t i = 0; i < d->n && at == UINT32_MAX; i++) {
		size_t len;
		const char *s = tv_dist_tok(d, i, &len);

		if (len == t.len && memcmp(s, t.s, len) == 0)
			at = i;
	}
	if ((r = set_meta_bytes(j, &d->chosen, t.s, t.len)) != 0)
		return r;
	if (ctx_append(j, t.s, t.len) != 0)
		return nomem(j);
	if (at != UINT32_MAX)
		return 0;
	r = get_num(j, entry, sh->val_key, path, 1, &v, &found);
	if (r != 0 || !found)
		return r;
	r = value_logit(j, v, sh->probs, path, sh->val_key, &logit, &pr);
	if (r < 0)
		return 0;
	if (r != 0)
		return r;
	if (tv_dist_push(d, d->chosen, strlen(d->chosen), logit) != TV_OK)
		return nomem(j);
	*mass += pr;
	return 0;
}

/* The shape of one llama.cpp entry, from the list it carries. */
static const struct shape *
llama_shape(const json_t *entry)
{
	if (json_object_get(entry, "top_logprobs"))
		return &openai_shape;
	if (json_object_get(entry, "top_probs"))
		return &llama_post_shape;
	if (json_object_get(entry, "probs"))
		return &llama_legacy_shape;
	return NULL;
}

/* One generated token of a response: a position. */
static int
load_entry(struct jctx *j, const json_t *entry, const struct shape *sh,
	   const char *path)
{
	struct tv_dist *d;
	json_t *top;
	double mass = 0;
	int r;

	if (!json_is_object(entry))
		return jfail(j, path, "is %s (expected an object)",
			     type_name(entry));
	if (!sh)
		sh = llama_shape(entry);
	if (!sh)
		return jfail(j, path, "no \"top_logprobs\", \"top_probs\" or \"probs\" (request them with n_probs > 0)");
	if ((r = get_array(j, entry, sh->top_key, path, &top)) != 0)
		return r;
	d = tv_io_new_pos(j->src);
	if (!d)
		return nomem(j);
	j->n_ids = 0;
	if ((r = set_common_meta(j, d, sh->note)) != 0 ||
	    (r = push_top(j, d, top, sh, path, &mass)) != 0 ||
	    (r = keep_ids(j, d)) != 0 || (r = check_ids(j, path)) != 0 ||
	    (r = chosen_token(j, d, entry, sh, path, &mass)) != 0)
		return r;
	d->kind = sh->probs ? TV_KIND_PROBS : TV_KIND_LOGPROBS;
	if (d->n == 0)
		return jfail(j, path, "no tokens listed (request alternatives, e.g. top_logprobs: 20)");
	return tail_and_finish(j, d, mass, path);
}

static int
load_entries(struct jctx *j, const json_t *arr, const struct shape *sh,
	     const char *what)
{
	char p[PATH_MAX_LEN];
	size_t i;
	json_t *e;
	int r;

	if (json_array_size(arr) == 0)
		return jfail(j, what, "is empty (expected one entry per generated token)");
	json_array_foreach(arr, i, e) {
		snprintf(p, sizeof p, "%s[%zu]", what, i);
		if ((r = load_entry(j, e, sh, p)) != 0)
			return r;
	}
	return 0;
}

/* The prompt, when a response carries it, begins the context; the chunks
 * of a stream after the first only continue it. */
static int
start_context(struct jctx *j, const json_t *root, const char *key)
{
	const char *prompt;
	int r = get_str(j, root, key, "", &prompt);

	if (r != 0 || j->ctx)
		return r;
	if (ctx_append(j, prompt ? prompt : "", prompt ? strlen(prompt) : 0))
		return nomem(j);
	return 0;
}

/* OpenAI legacy completions: parallel arrays, alternatives as a map. */
static int
load_legacy_pos(struct jctx *j, const json_t *tokens, const json_t *maps,
		size_t i, const char *path)
{
	char p[PATH_MAX_LEN];
	json_t *m = json_array_get(maps, i), *tk = json_array_get(tokens, i), *v;
	const char *key;
	struct tv_dist *d;
	double mass = 0;
	int r;

	snprintf(p, sizeof p, "%s.top_logprobs[%zu]", path, i);
	if (!json_is_object(m))
		return jfail(j, p, "is %s (expected an object of token: logprob)",
			     m ? type_name(m) : "missing");
	if (!json_is_string(tk))
		return jfail(j, path, "tokens[%zu] is %s (expected a string)",
			     i, type_name(tk));
	if (!(d = tv_io_new_pos(j->src)))
		return nomem(j);
	if ((r = set_common_meta(j, d, NULL)) != 0)
		return r;
	json_object_foreach(m, key, v) {
		float logit = 0;
		double pr = 0;
		char q[64];
		double x;

		/* Here the key is a token: file bytes, quoted in messages. */
		tv_io_quote(key, strlen(key), q, sizeof q);
		if (num_value(v, &x) != 0)
			return jfail(j, p, "\"%s\" is %s (expected a number, or \"-inf\")",
				     q, type_name(v));
		r = value_logit(j, x, 0, p, q, &logit, &pr);
		if (r < 0)
			continue;
		if (r != 0)
			return r;
		if (tv_dist_push(d, key, strlen(key), logit) != TV_OK)
			return nomem(j);
		mass += pr;
	}
	if ((r = set_meta_bytes(j, &d->chosen, json_string_value(tk),
				json_string_length(tk))) != 0)
		return r;
	if (ctx_append(j, json_string_value(tk), json_string_length(tk)))
		return nomem(j);
	d->kind = TV_KIND_LOGPROBS;
	if (d->n == 0)
		return jfail(j, p, "no tokens listed");
	return tail_and_finish(j, d, mass, p);
}

static int
load_openai_legacy(struct jctx *j, const json_t *lp, const char *path)
{
	json_t *tokens, *maps;
	int r;

	if ((r = get_array(j, lp, "tokens", path, &tokens)) != 0 ||
	    (r = get_array(j, lp, "top_logprobs", path, &maps)) != 0)
		return r;
	if (json_array_size(tokens) != json_array_size(maps))
		return jfail(j, path, "\"tokens\" and \"top_logprobs\" differ in length");
	if (json_array_size(tokens) == 0)
		return j->stream ? 0 : jfail(j, path, "no tokens");
	for (size_t i = 0; i < json_array_size(tokens); i++)
		if ((r = load_legacy_pos(j, tokens, maps, i, path)) != 0)
			return r;
	return 0;
}

static int
load_openai(struct jctx *j, const json_t *root)
{
	json_t *choices, *c0, *lp, *content;
	int r;

	if ((r = get_array(j, root, "choices", "", &choices)) != 0)
		return r;
	c0 = json_array_get(choices, 0);
	lp = json_object_get(c0, "logprobs");
	/* A stream's first chunk (the role), its last (the finish reason)
	 * and its usage chunk carry no logprobs. */
	if (j->stream && (!c0 || !lp || json_is_null(lp)))
		return 0;
	if (!json_is_object(c0))
		return jfail(j, "choices", "has no first choice (expected an object)");
	if (!lp || json_is_null(lp))
		return jfail(j, "choices[0]", "\"logprobs\" is missing (request with \"logprobs\": true and \"top_logprobs\": 20)");
	if (!json_is_object(lp))
		return jfail(j, "choices[0]", "\"logprobs\" is %s (expected an object)",
			     type_name(lp));
	if (ctx_append(j, "", 0) != 0)
		return nomem(j);
	content = json_object_get(lp, "content");
	if (j->stream && (json_is_null(content) ||
			  (json_is_array(content) && json_array_size(content) == 0)))
		return 0;
	if (content)
		return json_is_array(content) ?
		       load_entries(j, content, &openai_shape, "choices[0].logprobs.content") :
		       jfail(j, "choices[0].logprobs", "\"content\" is %s (expected an array)",
			     type_name(content));
	return load_openai_legacy(j, lp, "choices[0].logprobs");
}

static int
load_llama(struct jctx *j, const json_t *root)
{
	json_t *cp;
	int r;

	if ((r = get_array(j, root, "completion_probabilities", "", &cp)) != 0 ||
	    (r = start_context(j, root, "prompt")) != 0)
		return r;
	if (j->stream && json_array_size(cp) == 0)
		return 0;
	return load_entries(j, cp, NULL, "completion_probabilities");
}

static int
load_ollama(struct jctx *j, const json_t *root)
{
	json_t *lp;
	int r;

	if ((r = get_array(j, root, "logprobs", "", &lp)) != 0 ||
	    (r = start_context(j, root, "prompt")) != 0)
		return r;
	if (j->stream && json_array_size(lp) == 0)
		return 0;
	return load_entries(j, lp, &openai_shape, "logprobs");
}

/* ---- tempviz-logits ---------------------------------------------------- */

/* The token text top gives for an id of a full logits array (its
 * "token" string), checked against that array. */
static int
native_name(struct jctx *j, const json_t *o, const json_t *logits,
	    const json_t **names, const char *p)
{
	json_t *id = json_object_get(o, "id"), *tok = json_object_get(o, "token");
	json_t *lg = json_object_get(o, "logit");
	json_int_t k = json_is_integer(id) ? json_integer_value(id) : -1;
	size_t n = json_array_size(logits);
	double full = 0, given;

	if (!json_is_object(o))
		return jfail(j, p, "is %s (expected an object)", type_name(o));
	if (k < 0 || (uint64_t)k >= n)
		return jfail(j, p, "\"id\" is not an index into \"logits\" (accepted: 0..%zu)",
			     n - 1);
	if (!json_is_string(tok))
		return jfail(j, p, "\"token\" is %s (expected a string)",
			     tok ? type_name(tok) : "missing");
	if (names[k])
		return jfail(j, p, "duplicate token id %lld (each id once)",
			     (long long)k);
	num_value(json_array_get(logits, (size_t)k), &full);
	if (lg && num_value(lg, &given) == 0 && given != full &&
	    !(fabs(given - full) <= 1e-3 * (1 + fabs(full))))
		return jfail(j, p, "\"logit\" differs from logits[%lld]",
			     (long long)k);
	names[k] = tok;
	return 0;
}

/* A full logits array: every token, named by its id unless top names
 * it. */
static int
native_full(struct jctx *j, struct tv_dist *d, const json_t *logits,
	    const json_t *top, const char *path)
{
	char p[ELEM_PATH_LEN], num[24];
	size_t n = json_array_size(logits), i;
	const json_t **names;
	json_t *v;
	int r = 0;

	if (j->vocab_size > 0 && n != j->vocab_size)
		return jfail(j, path, "\"logits\" has %zu values but vocab_size is %.0f",
			     n, j->vocab_size);
	json_array_foreach(logits, i, v) {
		double x;

		if (num_value(v, &x) != 0 || (isfinite(x) && fabs(x) > FLT_MAX))
			return jfail(j, path, "logits[%zu] is %s (expected a finite number or \"-inf\")",
				     i, json_is_number(v) ? "out of range" :
				     json_is_string(v) ? "a string that is not a number" :
				     type_name(v));
	}
	names = calloc(n ? n : 1, sizeof *names);
	if (!names)
		return nomem(j);
	json_array_foreach(top, i, v) {
		snprintf(p, sizeof p, "%s.top[%zu]", path, i);
		if ((r = native_name(j, v, logits, names, p)) != 0)
			break;
	}
	json_array_foreach(logits, i, v) {
		const char *s = num;
		size_t len;
		double x = 0;

		if (r != 0)
			break;
		num_value(v, &x);
		if (names[i]) {
			s = json_string_value(names[i]);
			len = json_string_length(names[i]);
		} else {
			len = (size_t)snprintf(num, sizeof num, "%zu", i);
		}
		if (tv_dist_push(d, s, len, (float)x) != TV_OK)
			r = nomem(j);
	}
	free(names);
	return r;
}

static int
native_top(struct jctx *j, struct tv_dist *d, const json_t *top,
	   const char *path)
{
	char p[ELEM_PATH_LEN];
	size_t i;
	json_t *o;

	json_array_foreach(top, i, o) {
		struct tok t;
		double v;
		int found, r;

		snprintf(p, sizeof p, "%s.top[%zu]", path, i);
		if (!json_is_object(o))
			return jfail(j, p, "is %s (expected an object)",
				     type_name(o));
		if ((r = get_token(j, o, "token", p, &t)) != 0 ||
		    (r = get_num(j, o, "logit", p, 0, &v, &found)) != 0 ||
		    (r = note_id(j, o, p)) != 0)
			return r;
		if (isfinite(v) && fabs(v) > FLT_MAX)
			return jfail(j, p, "\"logit\" is out of range (expected a finite number or \"-inf\")");
		if (tv_dist_push(d, t.s, t.len, (float)v) != TV_OK)
			return nomem(j);
	}
	return check_ids(j, path);
}

static int
native_tail(struct jctx *j, struct tv_dist *d, const json_t *step,
	    const char *path)
{
	double lse;
	int found, r = get_num(j, step, "logsumexp", path, 1, &lse, &found);

	if (r != 0)
		return r;
	if (j->vocab_size > 0 && j->vocab_size < d->n)
		return jfail(j, path, "%u tokens listed but vocab_size is %.0f",
			     (unsigned)d->n, j->vocab_size);
	if (found) {
		if (tv_dist_set_tail_lse(d, j->vocab_size, lse) != TV_OK)
			return jfail(j, path, "\"logsumexp\" is below that of the listed tokens (expected the full vocabulary's)");
		return 0;
	}
	if (j->vocab_size > d->n)
		return jfail(j, path, "\"logsumexp\" is missing (needed for the rest of the vocabulary when \"logits\" is null)");
	return 0;
}

static int
native_step(struct jctx *j, const json_t *step, const char *path)
{
	struct tv_dist *d;
	json_t *top = json_object_get(step, "top");
	json_t *logits = json_object_get(step, "logits");
	const char *context, *chosen;
	int r;

	if (!json_is_object(step))
		return jfail(j, path, "is %s (expected an object)",
			     type_name(step));
	if ((r = get_str(j, step, "context", path, &context)) != 0 ||
	    (r = get_str(j, step, "chosen", path, &chosen)) != 0)
		return r;
	if (logits && !json_is_null(logits) && !json_is_array(logits))
		return jfail(j, path, "\"logits\" is %s (expected null or an array)",
			     type_name(logits));
	if (top && !json_is_array(top))
		return jfail(j, path, "\"top\" is %s (expected an array)",
			     type_name(top));
	if (!top && !json_is_array(logits))
		return jfail(j, path, "\"top\" is missing (expected an array, or a full \"logits\" array)");
	if (!(d = tv_io_new_pos(j->src)))
		return nomem(j);
	j->n_ids = 0;
	if (tv_dist_set_meta(&d->name, j->name) != TV_OK ||
	    tv_dist_set_meta(&d->prompt, context ? context : "") != TV_OK ||
	    (chosen && tv_dist_set_meta(&d->chosen, chosen) != TV_OK) ||
	    (j->model && tv_dist_set_meta(&d->model, j->model) != TV_OK))
		return nomem(j);
	if (json_is_array(logits)) {
		if ((r = native_full(j, d, logits, top, path)) != 0)
			return r;
	} else if ((r = native_top(j, d, top, path)) != 0 ||
		   (r = native_tail(j, d, step, path)) != 0) {
		return r;
	}
	if (d->n == 0)
		return jfail(j, path, "no tokens");
	d->kind = TV_KIND_LOGITS;
	return 0;
}

static int
load_native(struct jctx *j, const json_t *root)
{
	char p[PATH_MAX_LEN];
	json_t *steps, *s, *ver = json_object_get(root, "version");
	double temp = 0;
	size_t i;
	int found, r;

	if (!json_is_integer(ver) || json_integer_value(ver) != 1)
		return jfail(j, "version", "unsupported or missing (accepted: 1)");
	if ((r = get_num(j, root, "temperature_of_dump", "", 1, &temp, &found)) != 0)
		return r;
	if (found && !(temp >= TV_DUMP_T_MIN && temp <= TV_DUMP_T_MAX))
		return jfail(j, "temperature_of_dump", "must be a number from 0.001 to 1000");
	if ((r = get_array(j, root, "steps", "", &steps)) != 0)
		return r;
	if (json_array_size(steps) == 0)
		return jfail(j, "steps", "is empty (expected at least one step)");
	json_array_foreach(steps, i, s) {
		struct tv_dist *d;

		snprintf(p, sizeof p, "steps[%zu]", i);
		if ((r = native_step(j, s, p)) != 0)
			return r;
		d = &j->src->pos[j->src->n_pos - 1];
		d->dump_temp = found ? temp : 0;
		if (tv_dist_undo_dump_temp(d) != TV_OK)
			return jfail(j, p, "temperature_of_dump %g makes a logit overflow a float",
				     temp);
		if ((r = finish_pos(j, d, p)) != 0)
			return r;
	}
	return 0;
}

/* An error a server sent instead of a response, or in the middle of a
 * stream: {"error": "text"} (Ollama)
 * or {"error": {"message": "text", ...}} (OpenAI, vLLM, llama.cpp). */
static int
server_error(struct jctx *j, const json_t *e)
{
	const json_t *m = json_is_object(e) ? json_object_get(e, "message") : e;
	char q[200];

	if (!json_is_string(m))
		return jfail(j, NULL, "the server reports an error");
	tv_safe_text(json_string_value(m), json_string_length(m), q, sizeof q,
		     120, 1);
	return jfail(j, NULL, "the server reports an error: %s", q);
}

/* ---- shape detection --------------------------------------------------- */

static int
load_object(struct jctx *j, const json_t *root)
{
	json_t *fmt = json_object_get(root, "format");

	if (fmt) {
		if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "tempviz-logits"))
			return jfail(j, "format", "unknown format (accepted: \"tempviz-logits\")");
		return load_native(j, root);
	}
	if (json_object_get(root, "choices"))
		return load_openai(j, root);
	if (json_object_get(root, "completion_probabilities"))
		return load_llama(j, root);
	if (json_is_array(json_object_get(root, "logprobs")))
		return load_ollama(j, root);
	if (json_object_get(root, "error"))
		return server_error(j, json_object_get(root, "error"));
	return jfail(j, NULL, "not a known JSON shape (accepted: tempviz-logits; responses with logprobs from OpenAI chat or completions, llama.cpp /completion, Ollama)");
}

static int
load_root(struct jctx *j, const json_t *root)
{
	double vs;
	int found, r;

	if (json_is_array(root))
		return load_entries(j, root, NULL, "");
	if (!json_is_object(root))
		return jfail(j, NULL, "the top level is %s (expected an object or an array)",
			     type_name(root));
	if ((r = get_num(j, root, "vocab_size", "", 1, &vs, &found)) != 0 ||
	    (r = get_str(j, root, "model", "", &j->model)) != 0)
		return r;
	if (found && (vs < 1 || vs > 1e12 || vs != floor(vs)))
		return jfail(j, "vocab_size", "must be a whole number from 1 to 1e12");
	j->vocab_size = found ? vs : j->vocab_hint;
	return load_object(j, root);
}

static int
has_value(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return v && !json_is_null(v);
}

/* One chunk of a stream: its logprobs continue the positions; a chunk
 * without any (Ollama's and llama.cpp's last, with "done" or "stop") is
 * skipped. */
static int
load_chunk(struct jctx *j, const json_t *root)
{
	json_t *e = json_object_get(root, "error");

	if (e && !json_is_null(e))
		return server_error(j, e);
	if (!has_value(root, "choices") &&
	    !has_value(root, "completion_probabilities") &&
	    !has_value(root, "logprobs"))
		return 0;
	return load_root(j, root);
}

/* Parse JSON text; flags add to the strict defaults. Errors name the line
 * (counted from line + 1 in a stream, whose columns are the payload's
 * and so left out). */
static json_t *
parse(struct jctx *j, const char *buf, size_t len, size_t line, size_t flags,
      json_error_t *je)
{
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES |
				  JSON_ALLOW_NUL | flags, je);
	size_t at = je->line > 0 ? (size_t)je->line : 0;

	if (!root)
		tv_io_fail(j->err, TV_EXIT_DATA, j->name,
			   j->stream ? line + (at ? at - 1 : 0) : at,
			   !j->stream && je->column > 0 ? (size_t)je->column : 0,
			   "%s (expected valid JSON)", je->text);
	return root;
}

/* One chunk of a stream. */
static int
load_frame(void *arg, const char *buf, size_t len, size_t line)
{
	struct jctx *j = arg;
	json_error_t je;
	json_t *root = parse(j, buf, len, line, 0, &je);
	int r;

	if (!root)
		return TV_EXIT_DATA;
	j->line = line;
	r = json_is_object(root) ? load_chunk(j, root) :
	    jfail(j, NULL, "a chunk of the stream is %s (expected an object)",
		  type_name(root));
	j->line = 0;
	json_decref(root);
	return r;
}

/* Whether anything but whitespace follows the first value: NDJSON, one
 * value per line. */
static int
more_follows(const char *buf, size_t len, const json_error_t *je)
{
	for (size_t i = je->position > 0 ? (size_t)je->position : len; i < len;
	     i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
		    buf[i] != '\r')
			return 1;
	return 0;
}

static int
load_stream(struct jctx *j, const char *buf, size_t len, int sse)
{
	struct tv_io_frames fr = { .fn = load_frame, .arg = j };
	int r;

	j->stream = 1;
	r = sse ? tv_io_each_sse(&fr, buf, len) : tv_io_each_line(&fr, buf, len);
	if (r == TV_IO_FRAME_NOMEM)
		return nomem(j);
	if (r == 0 && j->src->n_pos == 0)
		return jfail(j, NULL, "the stream carries no logprobs (request them: \"logprobs\": true with \"top_logprobs\", or n_probs for llama.cpp)");
	return r;
}

/* The positions of a response point their prompts into its context,
 * which stops moving now: the source keeps it. */
static void
share_context(struct jctx *j)
{
	struct tv_source *src = j->src;

	src->ctx = j->ctx;
	j->ctx = NULL;
	for (uint32_t i = 0; i < src->n_pos; i++)
		if (src->pos[i].prompt_shared)
			tv_dist_share_prompt(&src->pos[i], src->ctx,
					     src->pos[i].prompt_len);
}

int
tv_load_json(const char *name, const char *buf, size_t len,
	     double vocab_hint, struct tv_source *src, struct tv_error *err)
{
	struct jctx j = { .name = name, .err = err, .src = src,
			  .vocab_hint = vocab_hint };
	char *fixed = NULL;
	size_t flen = 0;
	int sse = tv_io_is_sse(buf, len), r;
	json_error_t je;
	json_t *root;

	if (tv_io_json_infinities(buf, len, &fixed, &flen) != 0)
		return nomem(&j);
	if (fixed) {
		buf = fixed;
		len = flen;
	}
	if (sse) {
		r = load_stream(&j, buf, len, 1);
	} else if (!(root = parse(&j, buf, len, 0, JSON_DISABLE_EOF_CHECK, &je))) {
		r = TV_EXIT_DATA;
	} else if (more_follows(buf, len, &je)) {
		json_decref(root);
		r = load_stream(&j, buf, len, 0);
	} else {
		r = load_root(&j, root);
		json_decref(root);
	}
	if (r == 0) {
		tv_io_warn_excess(src, name, &j.excess);
		share_context(&j);
	}
	free(fixed);
	free(j.ctx);
	free(j.tok);
	free(j.ids);
	return r;
}
