/* SPDX-License-Identifier: MIT */
/*
 * tempviz-logits JSON written: the native format's steps, as `generate
 * --record` and a model server's record write them, and the JSON values
 * every writer shares (numbers that may not be finite, bytes that may not
 * be UTF-8).
 */
#include "io/record.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/safetext.h"

json_t *
tv_json_num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

/* The bytes with every invalid one replaced by U+FFFD, so that a token
 * or a file name stays a readable string (jansson refuses invalid UTF-8);
 * a token's exact bytes also go to "token_bytes". */
json_t *
tv_json_lossy(const char *bytes, size_t len)
{
	const unsigned char *b = (const unsigned char *)bytes;
	char *buf = malloc(len * 3 + 1);
	size_t o = 0;
	json_t *j;

	if (!buf)
		return NULL;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = tv_utf8_scalar(b + i, len - i, &cp);

		if (n == 0) {
			memcpy(buf + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(buf + o, b + i, n);
			o += n;
			i += n;
		}
	}
	j = json_stringn(buf, o);
	free(buf);
	return j;
}

int
tv_json_token(json_t *obj, const char *bytes, size_t len)
{
	const unsigned char *b = (const unsigned char *)bytes;
	json_t *s = json_stringn(bytes, len), *arr;

	/* json_stringn refuses invalid UTF-8, which is the test needed. */
	if (s)
		return json_object_set_new(obj, "token", s);
	if (json_object_set_new(obj, "token", tv_json_lossy(bytes, len)) != 0)
		return -1;
	arr = json_array();
	for (size_t i = 0; arr && i < len; i++)
		json_array_append_new(arr, json_integer(b[i]));
	return json_object_set_new(obj, "token_bytes", arr);
}

/* One token of a step's top list. */
static json_t *
record_token(const struct tv_dist *d, uint32_t id)
{
	size_t len;
	const char *tok = tv_dist_tok(d, id, &len);
	json_t *w = json_pack("{s:I}", "id", (json_int_t)id);
	/* JSON has no infinity: a masked token's logit is the string the
	 * loaders read as -inf. */
	json_t *l = isinf(d->logit[id]) ? json_string("-inf")
					 : tv_json_num(d->logit[id]);

	if (!w || tv_json_token(w, tok, len)) {
		json_decref(l);
		json_decref(w);
		return NULL;
	}
	/* set_new takes l even when it fails. */
	if (json_object_set_new(w, "logit", l)) {
		json_decref(w);
		return NULL;
	}
	return w;
}

json_t *
tv_record_step(const struct tv_dist *d, uint32_t chosen)
{
	json_t *top = json_array(), *ch;
	int listed = 0;
	/* A small vocabulary is written whole, masked tokens included, so
	 * that the replay has no rest of vocabulary made of rounding. */
	uint32_t n_top = d->n <= TV_RECORD_TOP ? d->n :
			 TV_RECORD_TOP < d->n_finite ? TV_RECORD_TOP : d->n_finite;
	size_t clen, wlen = 0;
	const char *ctx = tv_dist_prompt(d, &clen);
	const char *w = chosen < d->n ? tv_dist_tok(d, chosen, &wlen) : "";

	for (uint32_t r = 0; top && r < n_top; r++) {
		listed |= d->order[r] == chosen;
		if (json_array_append_new(top, record_token(d, d->order[r])))
			return NULL;
	}
	if (top && !listed && chosen < d->n &&
	    json_array_append_new(top, record_token(d, chosen)))
		return NULL;
	ch = chosen < d->n ? tv_json_lossy(w, wlen) : json_null();
	return json_pack("{s:o, s:o, s:o, s:o}",
			 "context", tv_json_lossy(ctx, clen), "chosen", ch,
			 "logsumexp", tv_json_num(d->lse1),
			 "top", top ? top : json_null());
}

int
tv_record_write(const char *path, const char *model, double vocab_size,
		json_t *steps, struct tv_error *err)
{
	json_t *j = json_pack("{s:s, s:i, s:o}",
			      "format", "tempviz-logits", "version", 1,
			      "model", tv_json_lossy(model, strlen(model)));
	FILE *f;
	int bad;

	if (j && ((vocab_size > 0 &&
		   json_object_set_new(j, "vocab_size",
				       json_integer((json_int_t)vocab_size))) ||
		  json_object_set(j, "steps", steps))) {
		json_decref(j);
		j = NULL;
	}
	if (!j) {
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return -1;
	}
	errno = 0;
	f = fopen(path, "w");
	bad = !f || json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER |
			       JSON_REAL_PRECISION(9)) != 0 ||
	      fputc('\n', f) == EOF;
	if (f && fclose(f) != 0)
		bad = 1;
	json_decref(j);
	if (bad) {
		char name[128];

		tv_safe_text(path, strlen(path), name, sizeof name, 60, 1);
		snprintf(err->msg, sizeof err->msg,
			 "%s: cannot write the record (%s)", name,
			 strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}
