/* SPDX-License-Identifier: MIT */
/*
 * What every model backend shares: where the model is found, its word
 * index, how text becomes word ids, the per-context cache of logit
 * vectors and the distribution built from one.
 */
#include "lm/model.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
tv_model_default_path(const char *path)
{
	const char *env = getenv("TEMPVIZ_LM");

	if (path)
		return path;
	return env && *env ? env : TV_LM_DEBIAN_PATH;
}

static void
cache_clear(struct tv_model *m)
{
	for (int i = 0; i < TV_LM_CACHE; i++) {
		free(m->cache[i].key);
		free(m->cache[i].logit);
		memset(&m->cache[i], 0, sizeof m->cache[i]);
	}
}

void
tv_model_free(struct tv_model *m)
{
	if (!m)
		return;
	cache_clear(m);
	free(m->name);
	free(m->path);
	free(m->word);
	free(m->wtext);
	free(m->text);
	free(m->off);
	free(m->slot);
	m->ops->free(m);
}

/* FNV-1a: words are short and the index is built once. */
static uint32_t
hash_word(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int32_t
find_len(const struct tv_model *m, const char *w, size_t len)
{
	uint32_t i;

	if (!m->slot)
		return -1;
	for (i = hash_word(w, len) & m->mask; m->slot[i]; i = (i + 1) & m->mask) {
		const char *c = m->word[m->slot[i] - 1];

		if (strncmp(c, w, len) == 0 && c[len] == '\0')
			return (int32_t)(m->slot[i] - 1);
	}
	return -1;
}

int32_t
tv_model_find(const struct tv_model *m, const char *word)
{
	return find_len(m, word, strlen(word));
}

const char *
tv_model_word(const struct tv_model *m, int32_t id)
{
	if (id < 0 || (uint32_t)id >= m->vocab)
		return "?";
	if (id == m->eos)
		return ".";
	return id == m->bos ? "" : m->word[id];
}

static int
build_index(struct tv_model *m)
{
	uint32_t size = 1;

	while (size < 2 * m->vocab)
		size <<= 1;
	m->slot = calloc(size, sizeof *m->slot);
	if (!m->slot)
		return -1;
	m->mask = size - 1;
	/* The first of two equal words keeps the name. */
	for (uint32_t id = 0; id < m->vocab; id++) {
		const char *w = m->word[id];
		uint32_t i = hash_word(w, strlen(w)) & m->mask;

		if (find_len(m, w, strlen(w)) >= 0)
			continue;
		while (m->slot[i])
			i = (i + 1) & m->mask;
		m->slot[i] = id + 1;
	}
	return 0;
}

int
tv_model_set_words(struct tv_model *m,
		   const char *(*word_at)(void *ctx, uint32_t i), void *ctx,
		   struct tv_error *err)
{
	size_t total = 0, o = 0, t = 0;

	for (uint32_t i = 0; i < m->vocab; i++) {
		const char *w = word_at(ctx, i);

		if (!w || !*w) {
			snprintf(err->msg, sizeof err->msg,
				 "%s: word %u of %u is empty (the file is "
				 "truncated or corrupt)", m->path, i, m->vocab);
			return -1;
		}
		total += strlen(w) + 1;
	}
	m->word = malloc(m->vocab * sizeof *m->word);
	m->wtext = malloc(total);
	m->text = malloc(total);
	m->off = malloc((m->vocab + 1) * sizeof *m->off);
	if (!m->word || !m->wtext || !m->text || !m->off || total > UINT32_MAX)
		goto nomem;
	for (uint32_t i = 0; i < m->vocab; i++) {
		const char *w = word_at(ctx, i);
		size_t len = strlen(w);
		const char *shown = (int32_t)i == m->eos ? "." : w;

		memcpy(m->wtext + o, w, len + 1);
		m->word[i] = m->wtext + o;
		o += len + 1;
		m->off[i] = (uint32_t)t;
		memcpy(m->text + t, shown, strlen(shown));
		t += strlen(shown);
	}
	m->off[m->vocab] = (uint32_t)t;
	if (build_index(m) == 0)
		return 0;
nomem:
	snprintf(err->msg, sizeof err->msg, "%s: out of memory", m->path);
	return -1;
}

/* ------------------------------------------------------------ text --- */

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* The next word of *s, lower-cased into buf (cap bytes, truncated); NULL
 * at the end of the text. */
static const char *
next_word(const char **s, char *buf, size_t cap, size_t *len)
{
	const char *p = *s;
	size_t n = 0;

	while (is_space(*p))
		p++;
	if (!*p)
		return NULL;
	for (; *p && !is_space(*p); p++)
		if (n + 1 < cap)
			buf[n++] = (char)tolower((unsigned char)*p);
	buf[n] = '\0';
	*s = p;
	*len = n;
	return buf;
}

/* What one word of text becomes: its length without the punctuation
 * that was cut off (0 when it was only punctuation), its id (-1 unknown)
 * and whether a sentence ends after it. */
struct word_read {
	size_t len;
	int32_t id;
	int ends;
};

static struct word_read
read_word(const struct tv_model *m, const char *w, size_t len)
{
	struct word_read r = { len, find_len(m, w, len), 0 };
	char last = w[len - 1];

	if (r.id < 0 && strchr(".!?,;:", last)) {
		r.ends = strchr(".!?", last) != NULL && m->eos >= 0 && m->bos >= 0;
		r.len = len - 1;
		r.id = r.len ? find_len(m, w, r.len) : -1;
	}
	return r;
}

/* One word of text through tokenize and unknown. */
struct walk {
	const struct tv_model *m;
	int32_t *ids;
	size_t cap, n;
	char *out;              /* unknown words, or NULL */
	size_t out_cap, out_len, unknown;
};

static void
emit(struct walk *k, int32_t id)
{
	if (k->ids && k->n < k->cap)
		k->ids[k->n] = id;
	k->n++;
}

static void
note_unknown(struct walk *k, const char *w, size_t len)
{
	k->unknown++;
	if (!k->out || k->out_len + len + 2 > k->out_cap)
		return;
	if (k->out_len)
		k->out[k->out_len++] = ' ';
	memcpy(k->out + k->out_len, w, len);
	k->out_len += len;
	k->out[k->out_len] = '\0';
}

static void
walk_text(struct walk *k, const char *text)
{
	const char *s = text;
	size_t cap = strlen(text) + 1, len;
	char *buf = malloc(cap);

	if (k->out && k->out_cap)
		k->out[0] = '\0';
	if (!buf)
		return;
	while (next_word(&s, buf, cap, &len)) {
		struct word_read r = read_word(k->m, buf, len);

		if (r.len) {
			emit(k, r.id);
			if (r.id < 0)
				note_unknown(k, buf, r.len);
		}
		if (r.ends) {
			emit(k, k->m->eos);
			emit(k, k->m->bos);
		}
	}
	free(buf);
}

size_t
tv_model_tokenize(const struct tv_model *m, const char *text, int32_t *ids,
		  size_t cap)
{
	struct walk k = { m, ids, cap, 0, NULL, 0, 0, 0 };

	/* A backend that tokenizes for itself may add words: the model is
	 * its own, though this reads it. */
	if (m->ops->tokenize)
		return m->ops->tokenize((struct tv_model *)(uintptr_t)m, text,
					ids, cap);

	walk_text(&k, text);
	return k.n;
}

size_t
tv_model_unknown(const struct tv_model *m, const char *text, char *out,
		 size_t cap)
{
	struct walk k = { m, NULL, 0, 0, out, cap, 0, 0 };

	if (m->ops->tokenize) {
		if (cap)
			out[0] = '\0';
		return 0;
	}
	walk_text(&k, text);
	return k.unknown;
}

/* ----------------------------------------------------------- cache --- */

size_t
tv_model_context(const struct tv_model *m, const int32_t *ctx, size_t n)
{
	size_t want = m->order > 1 ? (size_t)m->order - 1 :
		      m->order == 0 ? n : 0, k = 0;

	while (k < want && k < n && ctx[n - 1 - k] >= 0)
		k++;
	return k;
}

static struct tv_model_cache *
cache_find(struct tv_model *m, const int32_t *key, size_t n)
{
	for (int i = 0; i < TV_LM_CACHE; i++) {
		struct tv_model_cache *c = &m->cache[i];

		if (c->logit && c->n_key == n &&
		    (n == 0 || memcmp(c->key, key, n * sizeof *key) == 0))
			return c;
	}
	return NULL;
}

/* A free slot, or the one asked for least recently. */
static struct tv_model_cache *
cache_victim(struct tv_model *m)
{
	struct tv_model_cache *v = &m->cache[0];

	for (int i = 0; i < TV_LM_CACHE; i++) {
		if (!m->cache[i].logit)
			return &m->cache[i];
		if (m->cache[i].used < v->used)
			v = &m->cache[i];
	}
	return v;
}

static struct tv_model_cache *
cache_fill(struct tv_model *m, const int32_t *key, size_t n,
	   struct tv_error *err)
{
	struct tv_model_cache *c = cache_victim(m);
	int32_t *k = malloc((n ? n : 1) * sizeof *k);

	if (!c->logit)
		c->logit = malloc((m->vocab ? m->vocab : 1) * sizeof *c->logit);
	if (!k || !c->logit) {
		free(k);
		snprintf(err->msg, sizeof err->msg, "%s: out of memory", m->path);
		return NULL;
	}
	free(c->key);
	c->key = k;
	c->n_key = 0;
	if (n)
		memcpy(k, key, n * sizeof *k);
	if (m->ops->logits(m, key, n, c->logit, &c->raw_sum, err) != 0) {
		free(c->logit);
		c->logit = NULL;
		return NULL;
	}
	c->n_key = n;
	return c;
}

const float *
tv_model_logits(struct tv_model *m, const int32_t *ctx, size_t n,
		double *raw_sum, struct tv_error *err)
{
	size_t k = tv_model_context(m, ctx, n);
	const int32_t *key = ctx + n - k;
	struct tv_model_cache *c = cache_find(m, key, k);

	if (!c && !(c = cache_fill(m, key, k, err)))
		return NULL;
	c->used = ++m->clock;
	if (raw_sum)
		*raw_sum = c->raw_sum;
	return c->logit;
}

/* ------------------------------------------------------------ dist --- */

/* The context's last words, shown in a header. */
#define CONTEXT_WORDS 64

/* The last CONTEXT_WORDS words of the context, "." for </s>, "..." first
 * when there were more: a long generation does not copy all of its text
 * into every step's distribution. */
static char *
context_text(const struct tv_model *m, const int32_t *ctx, size_t n)
{
	size_t first = n > CONTEXT_WORDS ? n - CONTEXT_WORDS : 0;
	size_t len = 5, o = 0;
	char *s;

	for (size_t i = first; i < n; i++)
		len += strlen(tv_model_word(m, ctx[i])) + 1;
	/* Pieces (a server's tokens) join as they are. */
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	if (first)
		o = (size_t)sprintf(s, "...");
	for (size_t i = first; i < n; i++) {
		const char *w = tv_model_word(m, ctx[i]);

		if (!*w)
			continue;
		o += (size_t)sprintf(s + o, "%s%s", o ? tv_model_sep(m) : "",
				     w);
	}
	return s;
}

static int
dist_fail(struct tv_model *m, struct tv_dist *d, struct tv_error *err,
	  const char *what)
{
	tv_dist_free(d);
	snprintf(err->msg, sizeof err->msg, "%s: %s", m->path, what);
	return -1;
}

/* The name, model and context of a distribution of m. */
static int
set_dist_meta(struct tv_model *m, const int32_t *ctx, size_t n,
	      struct tv_dist *d, struct tv_error *err)
{
	char *prompt = context_text(m, ctx, n);

	if (!prompt || tv_dist_set_meta(&d->name, m->name) != TV_OK ||
	    tv_dist_set_meta(&d->model, m->name) != TV_OK ||
	    tv_dist_set_meta(&d->prompt, prompt) != TV_OK) {
		free(prompt);
		return dist_fail(m, d, err, "out of memory");
	}
	free(prompt);
	return 0;
}

/* A listed backend's distribution, already finished by it. */
static int
listed_dist(struct tv_model *m, const int32_t *ctx, size_t n,
	    struct tv_dist *d, double *raw_sum, struct tv_error *err)
{
	int r = m->ops->listed(m, ctx, n, d, err);

	if (r != 0)
		return r;
	if (raw_sum)
		*raw_sum = 1;
	return set_dist_meta(m, ctx, n, d, err);
}

int
tv_model_dist(struct tv_model *m, const int32_t *ctx, size_t n,
	      struct tv_dist *d, double *raw_sum, struct tv_error *err)
{
	const float *l;
	size_t tlen;
	enum tv_status s;

	if (m->ops->listed)
		return listed_dist(m, ctx, n, d, raw_sum, err);
	l = tv_model_logits(m, ctx, n, raw_sum, err);
	tlen = m->off[m->vocab];
	if (!l)
		return -1;
	if (tv_dist_init(d, m->vocab) != TV_OK)
		return dist_fail(m, d, err, "out of memory");
	/* The token text is the model's, the same for every context: copied
	 * in one block rather than pushed word by word. */
	free(d->text);
	d->text = malloc(tlen ? tlen : 1);
	if (!d->text)
		return dist_fail(m, d, err, "out of memory");
	d->text_cap = tlen ? tlen : 1;
	memcpy(d->text, m->text, tlen);
	memcpy(d->off, m->off, (m->vocab + 1) * sizeof *d->off);
	memcpy(d->logit, l, m->vocab * sizeof *d->logit);
	d->n = m->vocab;
	d->kind = TV_KIND_LOGPROBS;
	if (set_dist_meta(m, ctx, n, d, err) != 0)
		return -1;
	s = tv_dist_finish(d);
	if (s != TV_OK)
		return dist_fail(m, d, err, tv_status_str(s));
	return 0;
}

/* ------------------------------------------------------- async mode --- */

void
tv_model_set_async(struct tv_model *m, int on)
{
	if (m->ops->set_async)
		m->ops->set_async(m, on);
}

int
tv_model_poll(struct tv_model *m, struct tv_error *err)
{
	return m->ops->poll ? m->ops->poll(m, err) : 0;
}

void
tv_model_cancel(struct tv_model *m)
{
	if (m->ops->cancel)
		m->ops->cancel(m);
}
