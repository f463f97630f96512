/* SPDX-License-Identifier: MIT */
/*
 * The model-server backend (see server.h): detection, the three request
 * shapes, their answers read by the JSON loader that reads saved
 * responses, a vocabulary that grows with the tokens met, a cache of
 * distributions per context, and the asynchronous mode of the TUI.
 *
 * The words of this model are the server's tokens as met, each with the
 * server's id where it gives one (llama.cpp), and the prompt, which is
 * one word of text the server tokenizes itself. A context goes back as
 * llama.cpp's mixed prompt (the text, then the ids drawn), or as the text
 * of all its words for Ollama and OpenAI-compatible servers, which then
 * tokenize it afresh at each step (said on screen).
 */
#include "lm/server.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/record.h"
#include "io/safetext.h"
#include "lm/http.h"

/* Distributions kept per context: a talk's or a lane's steps, undo and
 * a second lane on the same text cost no request. */
#define CACHE_SLOTS 256
/* Retries of one step for a server's known gaps (a pick without
 * probabilities, a cap on the alternatives). */
#define MAX_RETRIES 6
/* The most distributions a record holds (each a few kB at 100 tokens). */
#define RECORD_MAX 20000
/* Ollama's cap on top_logprobs, vLLM's default --max-logprobs, and what
 * OpenAI's legacy completions take. */
#define OLLAMA_CAP 20
#define VLLM_CAP 20
#define OPENAI_CAP 5
/* Words come in arena blocks, so their pointers stay put. */
#define ARENA_BLOCK 65536

struct arena {
	struct arena *next;
	size_t used, cap;
	char text[];
};

struct slot {
	int32_t *key;
	size_t n;
	struct tv_dist d;
	uint64_t used;          /* 0: free */
};

struct server {
	struct tv_model m;      /* first: the model is the server */
	enum tv_api api;
	int vllm;               /* an OpenAI-compatible server that is vLLM */
	char *base;             /* the URL without a trailing slash */
	char host[128];         /* host:port, shown in messages */
	char *model;            /* the name requests carry */
	char *key;              /* the API key, or NULL */
	uint32_t n_probs;
	long timeout_ms;
	int stream;
	struct tv_http *http;
	/* The vocabulary met: m.word[i], its server id (-1: text), and a
	 * hash index over (id, text). */
	int32_t *sid;
	uint32_t cap_words;
	uint32_t *index;        /* word id + 1, 0 empty */
	uint32_t index_mask;
	struct arena *arena;
	struct slot cache[CACHE_SLOTS];
	uint64_t clock;
	/* The request in flight (asynchronous mode) and its retry state. */
	int async, inflight;
	int32_t *want;
	size_t n_want, cap_want;
	int retries;
	uint32_t seed;
	int32_t banned[MAX_RETRIES];
	int n_banned;
	/* Every distribution fetched, in order, for the record: kept as
	 * they are and written as JSON only when asked. */
	struct tv_dist *fetched;
	uint32_t n_fetched, cap_fetched;
};

static struct server *
srv(struct tv_model *m)
{
	return (struct server *)(void *)m;
}

static const struct server *
csrv(const struct tv_model *m)
{
	return (const struct server *)(const void *)m;
}

/* ------------------------------------------------------------ names --- */

const char *
tv_server_api_name(enum tv_api api)
{
	switch (api) {
	case TV_API_LLAMACPP: return "llama.cpp";
	case TV_API_OLLAMA: return "ollama";
	case TV_API_OPENAI: return "openai";
	case TV_API_AUTO: break;
	}
	return "auto";
}

int
tv_server_api_parse(const char *s, enum tv_api *api)
{
	static const enum tv_api all[] = { TV_API_AUTO, TV_API_LLAMACPP,
					   TV_API_OLLAMA, TV_API_OPENAI };

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(s, tv_server_api_name(all[i])) == 0) {
			*api = all[i];
			return 0;
		}
	if (strcmp(s, "llamacpp") == 0 || strcmp(s, "llama-server") == 0) {
		*api = TV_API_LLAMACPP;
		return 0;
	}
	return -1;
}

const char *
tv_server_env_key(void)
{
	const char *k = getenv("TEMPVIZ_API_KEY");

	if (!k || !*k)
		k = getenv("OPENAI_API_KEY");
	return k && *k ? k : NULL;
}

/* What users call each server. */
static const char *
api_title(const struct server *s)
{
	switch (s->api) {
	case TV_API_LLAMACPP: return "llama.cpp";
	case TV_API_OLLAMA: return "Ollama";
	case TV_API_OPENAI: return s->vllm ? "vLLM" : "the OpenAI-compatible server";
	case TV_API_AUTO: break;
	}
	return "the server";
}

/* ----------------------------------------------------------- errors --- */

static int __attribute__((format(printf, 3, 4)))
fail(const struct server *s, struct tv_error *err, const char *fmt, ...)
{
	char line[sizeof err->msg - sizeof s->host - 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	snprintf(err->msg, sizeof err->msg, "%s: %s", s->host, line);
	return -1;
}

/* Untrusted text from the server as a short, safe line. */
static void
safe_line(const char *in, size_t len, char *out, size_t cap)
{
	tv_safe_text(in, len, out, cap, cap > 300 ? 300 : (int)cap - 1, 0);
}

/* The message of an error body in any server's shape: {"error":{"message"
 * ..}}, {"error":".."}, or {"message":..}; "" when there is none. */
static void
error_message(const char *body, size_t len, char *out, size_t cap)
{
	json_t *j = json_loadb(body, len, 0, NULL), *e, *msg = NULL;

	out[0] = '\0';
	if (!j)
		return;
	e = json_object_get(j, "error");
	if (json_is_string(e))
		msg = e;
	else if (json_is_object(e))
		msg = json_object_get(e, "message");
	else
		msg = json_object_get(j, "message");
	if (json_is_string(msg))
		safe_line(json_string_value(msg), json_string_length(msg), out,
			  cap);
	json_decref(j);
}

/* The host:port of a URL, its user and password left out. */
static void
url_host(const char *url, char *out, size_t cap)
{
	const char *h = strstr(url, "://"), *end, *at;
	size_t n;

	h = h ? h + 3 : url;
	end = h + strcspn(h, "/?#");
	at = memchr(h, '@', (size_t)(end - h));
	if (at)
		h = at + 1;
	n = (size_t)(end - h);
	safe_line(h, n, out, cap);
}

/* ------------------------------------------------------- vocabulary --- */

static uint32_t
word_hash(int32_t id, const char *t, size_t len)
{
	uint32_t h = 2166136261u;

	if (id >= 0)
		return (uint32_t)id * 2654435761u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)t[i]) * 16777619u;
	return h;
}

static int
word_is(const struct server *s, uint32_t w, int32_t id, const char *t,
	size_t len)
{
	if (id >= 0 || s->sid[w] >= 0)
		return s->sid[w] == id;
	return strncmp(s->m.word[w], t, len) == 0 && s->m.word[w][len] == '\0';
}

static char *
arena_copy(struct server *s, const char *t, size_t len)
{
	struct arena *a = s->arena;
	char *c;

	if (!a || a->cap - a->used < len + 1) {
		size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		a = malloc(sizeof *a + cap);
		if (!a)
			return NULL;
		a->next = s->arena;
		a->used = 0;
		a->cap = cap;
		s->arena = a;
	}
	c = a->text + a->used;
	memcpy(c, t, len);
	c[len] = '\0';
	a->used += len + 1;
	return c;
}

static int
grow_index(struct server *s)
{
	uint32_t size = s->index ? (s->index_mask + 1) * 2 : 1024;
	uint32_t *ix = calloc(size, sizeof *ix);

	if (!ix)
		return -1;
	for (uint32_t w = 0; w < s->m.vocab; w++) {
		const char *t = s->m.word[w];
		uint32_t i = word_hash(s->sid[w], t, strlen(t)) & (size - 1);

		while (ix[i])
			i = (i + 1) & (size - 1);
		ix[i] = w + 1;
	}
	free(s->index);
	s->index = ix;
	s->index_mask = size - 1;
	return 0;
}

static int
grow_words(struct server *s)
{
	uint32_t cap = s->cap_words ? s->cap_words * 2 : 1024;
	char **w = realloc(s->m.word, cap * sizeof *w);
	int32_t *id;

	if (!w)
		return -1;
	s->m.word = w;
	id = realloc(s->sid, cap * sizeof *id);
	if (!id)
		return -1;
	s->sid = id;
	s->cap_words = cap;
	return 0;
}

/* The word id of a token (its server id, or -1, and its text), added to
 * the vocabulary when new; -1 without memory. */
static int32_t
intern(struct server *s, int32_t id, const char *t, size_t len)
{
	uint32_t i;
	char *c;

	if (!s->index || 2 * (s->m.vocab + 1) > s->index_mask + 1)
		if (grow_index(s) != 0)
			return -1;
	/* A piece with a NUL byte is named up to it; its id stays exact. */
	len = strnlen(t, len);
	for (i = word_hash(id, t, len) & s->index_mask; s->index[i];
	     i = (i + 1) & s->index_mask)
		if (word_is(s, s->index[i] - 1, id, t, len))
			return (int32_t)(s->index[i] - 1);
	if (s->m.vocab == s->cap_words && grow_words(s) != 0)
		return -1;
	if (!(c = arena_copy(s, t, len)))
		return -1;
	s->m.word[s->m.vocab] = c;
	s->sid[s->m.vocab] = id;
	s->index[i] = s->m.vocab + 1;
	return (int32_t)s->m.vocab++;
}

static size_t
server_tokenize(struct tv_model *m, const char *text, int32_t *ids,
		size_t cap)
{
	int32_t w;

	if (!*text)
		return 0;
	w = intern(srv(m), -1, text, strlen(text));
	if (ids && cap)
		ids[0] = w;
	return 1;
}

/* ---------------------------------------------------------- request --- */

/* The words ctx[0 .. n) joined as they are (malloc'd, NUL-terminated,
 * its length in *len), or NULL without memory. */
static char *
join_words(const struct server *s, const int32_t *ctx, size_t n,
	   size_t *len)
{
	size_t o = 0;
	char *t;

	*len = 0;
	for (size_t i = 0; i < n; i++)
		*len += strlen(s->m.word[ctx[i]]);
	if (!(t = malloc(*len + 1)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(s->m.word[ctx[i]]);

		memcpy(t + o, s->m.word[ctx[i]], l);
		o += l;
	}
	t[o] = '\0';
	return t;
}

/* The context's words as one text (Ollama, OpenAI), lossy where a piece
 * is not UTF-8. */
static json_t *
context_text(const struct server *s, const int32_t *ctx, size_t n)
{
	size_t len;
	char *t = join_words(s, ctx, n, &len);
	json_t *j = t ? tv_json_lossy(t, len) : NULL;

	free(t);
	return j;
}

/* llama.cpp's mixed prompt: text as strings (it adds BOS, since the
 * prompt begins with one), drawn tokens as their ids. */
static json_t *
context_mixed(const struct server *s, const int32_t *ctx, size_t n)
{
	json_t *a = json_array();

	if (a && (n == 0 || s->sid[ctx[0]] >= 0))
		json_array_append_new(a, json_string(""));
	for (size_t i = 0; a && i < n; i++) {
		const char *w = s->m.word[ctx[i]];
		json_t *v = s->sid[ctx[i]] >= 0 ?
			    json_integer(s->sid[ctx[i]]) :
			    tv_json_lossy(w, strlen(w));

		if (!v || json_array_append_new(a, v) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
llama_request(const struct server *s, const int32_t *ctx, size_t n)
{
	json_t *j = json_pack("{s:o, s:i, s:I, s:b, s:b, s:b, s:b, s:f}",
			      "prompt", context_mixed(s, ctx, n),
			      "n_predict", 1, "n_probs", (json_int_t)s->n_probs,
			      "cache_prompt", 1, "post_sampling_probs", 0,
			      "return_tokens", 1, "stream", s->stream,
			      "temperature", 0.0);
	json_t *bias = j && s->n_banned ? json_array() : NULL;

	/* A pick whose probabilities the server does not report (a byte
	 * piece) is banned in its sampler, which leaves the raw values as
	 * they were. */
	for (int i = 0; bias && i < s->n_banned; i++)
		json_array_append_new(bias, json_pack("[i, b]", s->banned[i], 0));
	if (bias)
		json_object_set_new(j, "logit_bias", bias);
	return j;
}

static json_t *
ollama_request(const struct server *s, const int32_t *ctx, size_t n)
{
	/* The seed moves the server's own pick, which must not be the end
	 * or a byte piece (they come back without logprobs); T = 1 lets it
	 * move. */
	return json_pack("{s:s, s:o, s:b, s:b, s:b, s:I, s:{s:i, s:f, s:I}}",
			 "model", s->model, "prompt", context_text(s, ctx, n),
			 "raw", 1, "stream", s->stream, "logprobs", 1,
			 "top_logprobs", (json_int_t)s->n_probs, "options",
			 "num_predict", 1, "temperature", s->retries ? 1.0 : 0.0,
			 "seed", (json_int_t)s->seed);
}

static json_t *
openai_request(const struct server *s, const int32_t *ctx, size_t n)
{
	return json_pack("{s:s, s:o, s:i, s:I, s:b, s:f, s:b}",
			 "model", s->model, "prompt", context_text(s, ctx, n),
			 "max_tokens", 1, "logprobs", (json_int_t)s->n_probs,
			 "echo", 0, "temperature", 0.0, "stream", s->stream);
}

static const char *
endpoint(const struct server *s)
{
	switch (s->api) {
	case TV_API_OLLAMA: return "/api/generate";
	case TV_API_OPENAI: return "/v1/completions";
	default: return "/completion";
	}
}

/* Start the request for ctx; 0, or -1 with err. */
static int
start_request(struct server *s, const int32_t *ctx, size_t n,
	      struct tv_error *err)
{
	json_t *j = s->api == TV_API_OLLAMA ? ollama_request(s, ctx, n) :
		    s->api == TV_API_OPENAI ? openai_request(s, ctx, n) :
		    llama_request(s, ctx, n);
	char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	size_t ulen = strlen(s->base) + 32;
	char *url = malloc(ulen);
	struct tv_http_req rq = { .url = url, .body = body,
				  .body_len = body ? strlen(body) : 0,
				  .api_key = s->key,
				  .total_ms = s->timeout_ms };
	int r = -1;

	json_decref(j);
	if (body && url) {
		snprintf(url, ulen, "%s%s", s->base, endpoint(s));
		r = tv_http_start(s->http, &rq);
	}
	free(body);
	free(url);
	if (r != 0)
		return fail(s, err, "out of memory");
	return 0;
}

/* ----------------------------------------------------------- answer --- */

enum { ANSWER_OK = 0, ANSWER_FAIL = -1, ANSWER_RETRY = 1 };

static int
http_failed(const struct server *s, const struct tv_http_resp *r,
	    struct tv_error *err)
{
	char msg[400], where[160];

	if (r->fail != TV_HTTP_OK) {
		snprintf(err->msg, sizeof err->msg, "%s", r->msg);
		return 1;
	}
	if (r->status >= 300 && r->status < 400) {
		url_host(r->location, where, sizeof where);
		fail(s, err, "redirects to %s, which is not followed (the API "
		     "key stays with the host named): give that URL to "
		     "--server", *where ? where : "another address");
		return 1;
	}
	if (r->status == 401 || r->status == 403) {
		fail(s, err, "%s (%ld): %s", s->key ? "refused the API key" :
		     "wants an API key", r->status, s->key ?
		     "check TEMPVIZ_API_KEY" : "set TEMPVIZ_API_KEY");
		return 1;
	}
	if (r->status != 200) {
		error_message(r->body, r->len, msg, sizeof msg);
		fail(s, err, "HTTP %ld%s%s", r->status, *msg ? ": " : "", msg);
		return 1;
	}
	return 0;
}

/* A cap the server states in its refusal ("... greater than max
 * allowed: 20", "top_logprobs must be between 0 and 20"): ask again
 * within it. */
static int
lower_cap(struct server *s, const struct tv_http_resp *r)
{
	char msg[400];
	const char *c;
	long cap;

	if (r->fail != TV_HTTP_OK || r->status != 400)
		return 0;
	error_message(r->body, r->len, msg, sizeof msg);
	c = strstr(msg, "max allowed: ");
	if (c)
		cap = strtol(c + 13, NULL, 10);
	else if ((c = strstr(msg, "between 0 and ")))
		cap = strtol(c + 14, NULL, 10);
	else
		return 0;
	if (cap < 1 || (uint32_t)cap >= s->n_probs)
		return 0;
	s->n_probs = (uint32_t)cap;
	return 1;
}

static int
content_json(const struct tv_http_resp *r)
{
	const char *b = r->body;

	while (*b == ' ' || *b == '\n' || *b == '\r' || *b == '\t')
		b++;
	return *b == '{' || *b == '[' || strncmp(b, "data:", 5) == 0 ||
	       strncmp(r->content_type, "application/json", 16) == 0 ||
	       strncmp(r->content_type, "text/event-stream", 17) == 0 ||
	       strncmp(r->content_type, "application/x-ndjson", 20) == 0;
}

/* llama.cpp sends no probabilities for a pick that is an incomplete
 * UTF-8 piece; the pick is in "tokens". Ban it and ask again. */
static int
ban_pick(struct server *s, const struct tv_http_resp *r)
{
	json_t *j = json_loadb(r->body, r->len, 0, NULL);
	json_t *t = json_object_get(j, "tokens");
	json_t *id = json_array_get(t, 0);
	int ok = json_is_integer(id) && s->n_banned < MAX_RETRIES;

	if (ok)
		s->banned[s->n_banned++] = (int32_t)json_integer_value(id);
	json_decref(j);
	return ok;
}

/* What the distribution shows of its source. */
static int
set_note(const struct server *s, struct tv_dist *d)
{
	char note[256], v[32];

	if (d->tail_g == 0) {
		snprintf(note, sizeof note, "all %u tokens from %s at %s", d->n,
			 api_title(s), s->host);
	} else if (s->m.vocab_size > 0) {
		snprintf(v, sizeof v, "%.0f", s->m.vocab_size);
		snprintf(note, sizeof note, "top %u of %s from %s at %s, rest "
			 "approximate%s", d->n, v, api_title(s), s->host,
			 s->api == TV_API_LLAMACPP ? "" :
			 "; text re-tokenized each step");
	} else {
		snprintf(note, sizeof note, "top %u from %s at %s, vocabulary "
			 "size unknown: the rest is one level%s", d->n,
			 api_title(s), s->host, s->api == TV_API_LLAMACPP ? "" :
			 "; text re-tokenized each step");
	}
	return tv_dist_set_meta(&d->note, note) == TV_OK ? 0 : -1;
}

/* llama.cpp writes a special token (BOS, EOS, ...) as "" unless it runs
 * with --special: such a token is named by its id, "<token 2>", so that
 * it can be seen and told apart. Only the text changes. */
static int
name_specials(struct tv_dist *d)
{
	size_t len = 0, o = 0, l;
	uint32_t *off;
	char *text;
	int any = 0;

	for (uint32_t i = 0; d->tok_id && i < d->n; i++)
		any |= d->off[i + 1] == d->off[i] && d->tok_id[i] >= 0;
	if (!any)
		return 0;
	len = d->off[d->n] + 24 * (size_t)d->n;
	text = malloc(len);
	off = malloc((d->n + 1) * sizeof *off);
	if (!text || !off) {
		free(text);
		free(off);
		return -1;
	}
	for (uint32_t i = 0; i < d->n; i++) {
		const char *t = tv_dist_tok(d, i, &l);

		off[i] = (uint32_t)o;
		if (l == 0 && d->tok_id[i] >= 0)
			o += (size_t)snprintf(text + o, len - o, "<token %d>",
					      (int)d->tok_id[i]);
		else
			memcpy(text + o, t, l), o += l;
	}
	off[d->n] = (uint32_t)o;
	free(d->text);
	free(d->off);
	d->text = text;
	d->off = off;
	d->text_cap = len;
	return 0;
}

/* The answer's tokens as this model's words. */
static int
to_words(struct server *s, struct tv_dist *d)
{
	if (!d->tok_id) {
		d->tok_id = malloc((d->n + 1) * sizeof *d->tok_id);
		if (!d->tok_id)
			return -1;
		for (uint32_t i = 0; i <= d->n; i++)
			d->tok_id[i] = -1;
	}
	for (uint32_t i = 0; i < d->n; i++) {
		size_t len;
		const char *t = tv_dist_tok(d, i, &len);
		int32_t w = intern(s, s->api == TV_API_LLAMACPP ? d->tok_id[i] :
				   -1, t, len);

		if (w < 0)
			return -1;
		d->tok_id[i] = w;
	}
	return 0;
}

/* A reply read by the loader of saved responses; its first position is
 * the next token's distribution. */
static int
read_reply(struct server *s, const struct tv_http_resp *r,
	   struct tv_dist *d, struct tv_error *err)
{
	struct tv_source_spec spec = { .vocab_size = s->m.vocab_size };
	struct tv_source src;
	char name[160];
	int rc;

	snprintf(name, sizeof name, "%s%s", s->host, endpoint(s));
	rc = tv_source_load_buffer(name, r->body, r->len, &spec, &src, err);
	if (rc != TV_EXIT_OK)
		return -1;
	if (src.n_pos == 0 || src.pos[0].kind == TV_KIND_PROBS) {
		tv_source_free(&src);
		return fail(s, err, "gives only probabilities after its own "
			    "samplers; tempviz needs the raw distribution "
			    "(llama.cpp has given it since PR #10783, Dec "
			    "2024: upgrade the server)");
	}
	rc = tv_dist_copy(d, &src.pos[0]) == TV_OK ? 0 : -1;
	tv_source_free(&src);
	/* The server's own pick is not tempviz's: it is not shown. */
	if (rc == 0)
		tv_dist_set_meta(&d->chosen, NULL);
	if (rc != 0 || name_specials(d) != 0 || to_words(s, d) != 0 ||
	    set_note(s, d) != 0) {
		tv_dist_free(d);
		return fail(s, err, "out of memory");
	}
	return 0;
}

/* What a finished request says: ANSWER_OK with d, ANSWER_RETRY after
 * changing the request, or ANSWER_FAIL with err. */
static int
answer(struct server *s, const struct tv_http_resp *r, struct tv_dist *d,
       struct tv_error *err)
{
	int gap = r->fail == TV_HTTP_OK && r->status == 200 &&
		  !strstr(r->body, s->api == TV_API_LLAMACPP ?
			  "completion_probabilities" : "logprobs");

	if (s->retries < MAX_RETRIES && lower_cap(s, r))
		return ANSWER_RETRY;
	if (http_failed(s, r, err))
		return ANSWER_FAIL;
	if (!content_json(r))
		return fail(s, err, "answered %s, not JSON: is this the "
			    "server's API address?", *r->content_type ?
			    r->content_type : "something else");
	if (gap && s->retries < MAX_RETRIES &&
	    ((s->api == TV_API_LLAMACPP && ban_pick(s, r)) ||
	     s->api == TV_API_OLLAMA)) {
		s->seed = s->seed * 1103515245u + 12345u;
		return ANSWER_RETRY;
	}
	/* An error in a stream: the loader names it. */
	if (gap && !strstr(r->body, "\"error\""))
		return fail(s, err, "sent no log-probabilities%s",
			    s->api == TV_API_OLLAMA ? " (Ollama gives them "
			    "from 0.12.11 on, and not when its own pick is "
			    "the end of the text)" : "");
	return read_reply(s, r, d, err);
}

/* --------------------------------------------------------- the cache --- */

static struct slot *
cache_find(struct server *s, const int32_t *key, size_t n)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct slot *c = &s->cache[i];

		if (c->used && c->n == n &&
		    (n == 0 || memcmp(c->key, key, n * sizeof *key) == 0))
			return c;
	}
	return NULL;
}

/* Keep d (moved in) for key; the least recently used goes. */
static int
cache_put(struct server *s, const int32_t *key, size_t n, struct tv_dist *d)
{
	struct slot *v = &s->cache[0];
	int32_t *k = malloc((n ? n : 1) * sizeof *k);

	if (!k)
		return -1;
	for (int i = 0; i < CACHE_SLOTS && v->used; i++)
		if (!s->cache[i].used || s->cache[i].used < v->used)
			v = &s->cache[i];
	if (v->used) {
		free(v->key);
		tv_dist_free(&v->d);
	}
	if (n)
		memcpy(k, key, n * sizeof *k);
	v->key = k;
	v->n = n;
	v->d = *d;
	v->used = ++s->clock;
	return 0;
}

/* The fetched distribution into the record, while it has room. */
static void
record_add(struct server *s, const struct tv_dist *d)
{
	if (s->n_fetched == s->cap_fetched) {
		uint32_t cap = s->cap_fetched ? 2 * s->cap_fetched : 64;
		struct tv_dist *f;

		if (cap > RECORD_MAX ||
		    !(f = realloc(s->fetched, cap * sizeof *f)))
			return;
		s->fetched = f;
		s->cap_fetched = cap;
	}
	if (tv_dist_copy(&s->fetched[s->n_fetched], d) == TV_OK)
		s->n_fetched++;
}

/* The text the distribution follows: the words asked for, joined. */
static int
set_context(const struct server *s, struct tv_dist *d)
{
	size_t len;
	char *t = join_words(s, s->want, s->n_want, &len);
	enum tv_status st = t ? tv_dist_set_meta(&d->prompt, t) : TV_ENOMEM;

	free(t);
	return st == TV_OK ? 0 : -1;
}

/* A finished request for s->want taken in: 1 cached, 0 asked again,
 * -1 failed. */
static int
take_answer(struct server *s, struct tv_error *err)
{
	struct tv_http_resp r;
	struct tv_dist d;
	int a;

	tv_http_take(s->http, &r);
	a = answer(s, &r, &d, err);
	tv_http_resp_free(&r);
	if (a == ANSWER_RETRY) {
		s->retries++;
		return start_request(s, s->want, s->n_want, err) == 0 ? 0 : -1;
	}
	s->inflight = 0;
	if (a != ANSWER_OK)
		return -1;
	if (set_context(s, &d) != 0) {
		tv_dist_free(&d);
		return fail(s, err, "out of memory");
	}
	record_add(s, &d);
	if (cache_put(s, s->want, s->n_want, &d) != 0) {
		tv_dist_free(&d);
		return fail(s, err, "out of memory");
	}
	return 1;
}

static int
want(struct server *s, const int32_t *key, size_t n, struct tv_error *err)
{
	if (n > s->cap_want) {
		int32_t *w = realloc(s->want, 2 * n * sizeof *w);

		if (!w)
			return fail(s, err, "out of memory");
		s->want = w;
		s->cap_want = 2 * n;
	}
	if (n)
		memcpy(s->want, key, n * sizeof *key);
	s->n_want = n;
	s->retries = 0;
	s->n_banned = 0;
	s->inflight = 1;
	return start_request(s, key, n, err);
}

static int
wanted(const struct server *s, const int32_t *key, size_t n)
{
	return s->inflight && s->n_want == n &&
	       (n == 0 || memcmp(s->want, key, n * sizeof *key) == 0);
}

static int
server_listed(struct tv_model *m, const int32_t *ctx, size_t n,
	      struct tv_dist *d, struct tv_error *err)
{
	struct server *s = srv(m);
	size_t k = tv_model_context(m, ctx, n);
	const int32_t *key = ctx + n - k;
	struct slot *c = cache_find(s, key, k);
	int r;

	if (c) {
		c->used = ++s->clock;
		return tv_dist_copy(d, &c->d) == TV_OK ? 0 :
		       fail(s, err, "out of memory");
	}
	if (!wanted(s, key, k)) {
		tv_http_cancel(s->http);
		if (want(s, key, k, err) != 0) {
			s->inflight = 0;
			return -1;
		}
	}
	if (s->async)
		return TV_MODEL_PENDING;
	do {
		tv_http_wait(s->http, -1);
		r = take_answer(s, err);
	} while (r == 0 && s->inflight);
	if (r < 0)
		return -1;
	return server_listed(m, ctx, n, d, err);
}

/* ------------------------------------------------------- async mode --- */

static void
server_set_async(struct tv_model *m, int on)
{
	srv(m)->async = on;
}

static int
server_poll(struct tv_model *m, struct tv_error *err)
{
	struct server *s = srv(m);

	if (!s->inflight || tv_http_poll(s->http) != 1)
		return 0;
	return take_answer(s, err);
}

static void
server_cancel(struct tv_model *m)
{
	struct server *s = srv(m);

	tv_http_cancel(s->http);
	s->inflight = 0;
}

static void
server_free(struct tv_model *m)
{
	struct server *s = srv(m);

	tv_http_free(s->http);
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (s->cache[i].used) {
			free(s->cache[i].key);
			tv_dist_free(&s->cache[i].d);
		}
	while (s->arena) {
		struct arena *a = s->arena;

		s->arena = a->next;
		free(a);
	}
	for (uint32_t i = 0; i < s->n_fetched; i++)
		tv_dist_free(&s->fetched[i]);
	free(s->fetched);
	free(s->sid);
	free(s->index);
	free(s->want);
	free(s->base);
	free(s->model);
	free(s->key);
	free(s);
}

static const struct tv_model_ops server_ops = {
	.listed = server_listed,
	.tokenize = server_tokenize,
	.set_async = server_set_async,
	.poll = server_poll,
	.cancel = server_cancel,
	.free = server_free,
};

int
tv_server_is(const struct tv_model *m)
{
	return m && m->ops == &server_ops;
}

uint32_t
tv_server_fetched(const struct tv_model *m)
{
	return tv_server_is(m) ? csrv(m)->n_fetched : 0;
}

int
tv_server_record(const struct tv_model *m, const char *path,
		 struct tv_error *err)
{
	const struct server *s = csrv(m);

	json_t *steps = json_array();
	int r = -1;

	for (uint32_t i = 0; steps && i < s->n_fetched; i++)
		if (json_array_append_new(steps, tv_record_step(&s->fetched[i],
								UINT32_MAX)) != 0) {
			json_decref(steps);
			steps = NULL;
		}
	if (steps)
		r = tv_record_write(path, m->name, m->vocab_size, steps, err);
	else
		snprintf(err->msg, sizeof err->msg, "out of memory");
	json_decref(steps);
	return r;
}

/* -------------------------------------------------------- detection --- */

/* GET (body NULL) or POST a path of the server, waited for. */
static void
call(struct server *s, const char *path, const char *body,
     struct tv_http_resp *r)
{
	size_t ulen = strlen(s->base) + strlen(path) + 1;
	char *url = malloc(ulen);
	struct tv_http_req rq = { .url = url, .body = body,
				  .body_len = body ? strlen(body) : 0,
				  .api_key = s->key,
				  .total_ms = s->timeout_ms < 10000 ?
					      s->timeout_ms : 10000,
				  .limit = s->timeout_ms < 10000 ? NULL :
					   "finding out the server's kind "
					   "waits at most 10 s" };

	if (!url) {
		memset(r, 0, sizeof *r);
		r->fail = TV_HTTP_NOMEM;
		snprintf(r->msg, sizeof r->msg, "out of memory");
		return;
	}
	snprintf(url, ulen, "%s%s", s->base, path);
	tv_http_fetch(s->http, &rq, r);
	free(url);
}

/* The JSON of a 200 answer to path, or NULL (*r kept for the caller's
 * message; free it with tv_http_resp_free). */
static json_t *
call_json(struct server *s, const char *path, const char *body,
	  struct tv_http_resp *r)
{
	call(s, path, body, r);
	if (r->fail != TV_HTTP_OK || r->status != 200)
		return NULL;
	return json_loadb(r->body, r->len, 0, NULL);
}

static enum tv_api
detect(struct server *s, struct tv_error *err)
{
	struct tv_http_resp r;
	enum tv_api api = TV_API_AUTO;
	json_t *j, *data;

	call(s, "/", NULL, &r);
	if (r.fail != TV_HTTP_OK) {
		snprintf(err->msg, sizeof err->msg, "%s", r.msg);
		tv_http_resp_free(&r);
		return TV_API_AUTO;
	}
	if (r.status == 200 && strncmp(r.body, "Ollama is running", 17) == 0)
		api = TV_API_OLLAMA;
	else if (strstr(r.server, "llama.cpp"))
		api = TV_API_LLAMACPP;
	tv_http_resp_free(&r);
	if (api != TV_API_AUTO)
		return api;
	j = call_json(s, "/props", NULL, &r);
	if (json_is_string(json_object_get(j, "build_info")))
		api = TV_API_LLAMACPP;
	json_decref(j);
	tv_http_resp_free(&r);
	if (api != TV_API_AUTO)
		return api;
	j = call_json(s, "/v1/models", NULL, &r);
	data = json_object_get(j, "data");
	if (json_is_array(data))
		api = TV_API_OPENAI;
	else if (r.fail == TV_HTTP_OK && (r.status == 401 || r.status == 403))
		fail(s, err, "%s (HTTP %ld): %s", s->key ? "refused the API key" :
		     "wants an API key", r.status, s->key ?
		     "check TEMPVIZ_API_KEY" : "set TEMPVIZ_API_KEY");
	else
		fail(s, err, "not a llama.cpp, Ollama or OpenAI-compatible "
		     "server (give its API address, or --api "
		     "llama.cpp|ollama|openai)");
	json_decref(j);
	tv_http_resp_free(&r);
	return api;
}

static int
set_model(struct server *s, const char *name)
{
	free(s->model);
	s->model = strdup(name);
	return s->model ? 0 : -1;
}

/* The names in a list of models, for a message. */
static void
model_names(json_t *list, const char *key, char *out, size_t cap)
{
	size_t i, o = 0;
	json_t *e;

	out[0] = '\0';
	json_array_foreach(list, i, e) {
		json_t *n = json_object_get(e, key);
		char one[64];

		if (!json_is_string(n) || o + 70 > cap)
			continue;
		safe_line(json_string_value(n), json_string_length(n), one,
			  sizeof one);
		o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? ", " : "",
				      one);
	}
}

/* The model named, or the first listed; -1 with err when it has none or
 * not that one. */
static int
pick_model(struct server *s, json_t *list, const char *key,
	   const char *want_name, struct tv_error *err)
{
	char names[256], w[80];
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e) {
		json_t *n = json_object_get(e, key);

		if (json_is_string(n) && (!want_name ||
					  strcmp(json_string_value(n), want_name) == 0))
			return set_model(s, json_string_value(n)) == 0 ? 0 :
			       fail(s, err, "out of memory");
	}
	model_names(list, key, names, sizeof names);
	if (!want_name)
		return fail(s, err, "%s has no model loaded", api_title(s));
	safe_line(want_name, strlen(want_name), w, sizeof w);
	return fail(s, err, "no model \"%s\" (%s has: %s)", w, api_title(s),
		    *names ? names : "none");
}

/* llama.cpp: the model's name and vocabulary from /v1/models, which
 * needs no key. */
static int
info_llama(struct server *s, const char *name, struct tv_error *err)
{
	struct tv_http_resp r;
	json_t *j = call_json(s, "/v1/models", NULL, &r);
	json_t *m0 = json_array_get(json_object_get(j, "data"), 0);
	json_t *id = json_object_get(m0, "id");
	json_t *nv = json_object_get(json_object_get(m0, "meta"), "n_vocab");
	int rc = 0;

	tv_http_resp_free(&r);
	if (json_is_integer(nv) && json_integer_value(nv) > 0)
		s->m.vocab_size = (double)json_integer_value(nv);
	if (name || json_is_string(id)) {
		const char *n = name ? name : json_string_value(id);
		const char *slash = strrchr(n, '/');

		rc = set_model(s, slash && !name ? slash + 1 : n);
	} else {
		rc = set_model(s, "llama.cpp");
	}
	json_decref(j);
	return rc == 0 ? 0 : fail(s, err, "out of memory");
}

/* "0.12.11" >= "0.12.11" by its numbers. */
static int
version_at_least(const char *v, int a, int b, int c)
{
	int x = 0, y = 0, z = 0;

	if (sscanf(v, "%d.%d.%d", &x, &y, &z) < 2)
		return 1;
	return x != a ? x > a : y != b ? y > b : z >= c;
}

/* Ollama: a version with logprobs, the model, its vocabulary size. */
static int
info_ollama(struct server *s, const char *name, struct tv_error *err)
{
	struct tv_http_resp r;
	json_t *j = call_json(s, "/api/version", NULL, &r);
	json_t *v = json_object_get(j, "version");
	const char *key;
	char vs[40], *body;
	int rc;

	tv_http_resp_free(&r);
	if (json_is_string(v) &&
	    !version_at_least(json_string_value(v), 0, 12, 11)) {
		safe_line(json_string_value(v), json_string_length(v), vs,
			  sizeof vs);
		json_decref(j);
		return fail(s, err, "Ollama %s gives no log-probabilities "
			    "(they arrived in 0.12.11): upgrade Ollama", vs);
	}
	json_decref(j);
	j = call_json(s, "/api/tags", NULL, &r);
	tv_http_resp_free(&r);
	rc = pick_model(s, json_object_get(j, "models"), "name", name, err);
	json_decref(j);
	if (rc != 0)
		return -1;
	j = json_pack("{s:s}", "model", s->model);
	body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	j = body ? call_json(s, "/api/show", body, &r) : NULL;
	free(body);
	if (body)
		tv_http_resp_free(&r);
	json_object_foreach(json_object_get(j, "model_info"), key, v) {
		size_t kl = strlen(key);

		if (kl > 11 && strcmp(key + kl - 11, ".vocab_size") == 0 &&
		    json_is_integer(v) && json_integer_value(v) > 0)
			s->m.vocab_size = (double)json_integer_value(v);
	}
	json_decref(j);
	return 0;
}

/* An OpenAI-compatible server: its model list (which may need the key),
 * vLLM or not. */
static int
info_openai(struct server *s, const char *name, struct tv_error *err)
{
	struct tv_http_resp r;
	json_t *j = call_json(s, "/v1/models", NULL, &r);
	json_t *data = json_object_get(j, "data");
	json_t *own = json_object_get(json_array_get(data, 0), "owned_by");
	int rc;

	if (!j && http_failed(s, &r, err)) {
		tv_http_resp_free(&r);
		return -1;
	}
	tv_http_resp_free(&r);
	s->vllm = json_is_string(own) &&
		  strcmp(json_string_value(own), "vllm") == 0;
	rc = json_is_array(data) ? pick_model(s, data, "id", name, err) :
	     set_model(s, name ? name : "default");
	json_decref(j);
	return rc;
}

/* What to ask for: the user's count within the API's cap; by default
 * llama.cpp's whole vocabulary when it is small. */
static void
set_n_probs(struct server *s, uint32_t asked)
{
	uint32_t cap = s->api == TV_API_OLLAMA ? OLLAMA_CAP :
		       s->api == TV_API_OPENAI ? (s->vllm ? UINT32_MAX :
						  OPENAI_CAP) : UINT32_MAX;
	uint32_t def = s->api == TV_API_LLAMACPP ? TV_SERVER_LLAMA_TOP :
		       s->api == TV_API_OPENAI && s->vllm ? VLLM_CAP : cap;

	if (s->api == TV_API_LLAMACPP && s->m.vocab_size > 0 &&
	    s->m.vocab_size <= TV_SERVER_ALL_BELOW)
		def = (uint32_t)s->m.vocab_size;
	s->n_probs = asked ? asked : def;
	if (s->n_probs > cap)
		s->n_probs = cap;
}

static int
set_base(struct server *s, const char *url, struct tv_error *err)
{
	size_t n = strlen(url);

	url_host(url, s->host, sizeof s->host);
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err->msg, sizeof err->msg, "--server: %s is not an "
			 "http:// or https:// address (e.g. "
			 "http://127.0.0.1:8080)", s->host);
		return TV_EXIT_USAGE;
	}
	while (n > 8 && url[n - 1] == '/')
		n--;
	s->base = strndup(url, n);
	return s->base ? TV_EXIT_OK : TV_EXIT_DATA;
}

static int
set_name(struct server *s)
{
	size_t n = strlen(s->model) + strlen(s->host) + 4;

	s->m.name = malloc(n);
	s->m.path = strdup(s->base);
	if (!s->m.name || !s->m.path)
		return -1;
	snprintf(s->m.name, n, "%s @ %s", s->model, s->host);
	return 0;
}

static int
open_fail(struct server *s, struct tv_error *err, int rc)
{
	if (!err->msg[0])
		snprintf(err->msg, sizeof err->msg, "%s: out of memory", s->host);
	tv_model_free(&s->m);
	return rc;
}

int
tv_server_open(const struct tv_server_opts *o, struct tv_model **out,
	       struct tv_error *err)
{
	struct server *s = calloc(1, sizeof *s);
	int rc;

	*out = NULL;
	err->msg[0] = '\0';
	if (!s) {
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return TV_EXIT_DATA;
	}
	s->m.ops = &server_ops;
	s->m.bos = s->m.eos = -1;
	s->m.pieces = 1;
	s->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : TV_SERVER_TIMEOUT_MS;
	s->stream = o->stream;
	s->seed = 1;
	if ((rc = set_base(s, o->url, err)) != TV_EXIT_OK)
		return open_fail(s, err, rc);
	if (!tv_http_available()) {
		fail(s, err, "this tempviz was built without an HTTP client "
		     "(%s)", TV_HTTP_INSTALL);
		return open_fail(s, err, TV_EXIT_DATA);
	}
	s->http = tv_http_new();
	s->key = o->api_key ? strdup(o->api_key) : NULL;
	if (!s->http || (o->api_key && !s->key))
		return open_fail(s, err, TV_EXIT_DATA);
	s->api = o->api != TV_API_AUTO ? o->api : detect(s, err);
	if (s->api == TV_API_AUTO)
		return open_fail(s, err, TV_EXIT_DATA);
	rc = s->api == TV_API_OLLAMA ? info_ollama(s, o->model, err) :
	     s->api == TV_API_OPENAI ? info_openai(s, o->model, err) :
	     info_llama(s, o->model, err);
	if (rc != 0 || set_name(s) != 0)
		return open_fail(s, err, TV_EXIT_DATA);
	set_n_probs(s, o->n_probs);
	*out = &s->m;
	return TV_EXIT_OK;
}
