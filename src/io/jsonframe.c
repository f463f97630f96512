/* SPDX-License-Identifier: MIT */
/*
 * The framing around JSON documents, before jansson sees them: the
 * events of a server-sent-event stream (OpenAI, vLLM and llama.cpp stream
 * as "data: {...}" lines), the lines of NDJSON (Ollama streams one object
 * per line), and Python's -Infinity, which JSON cannot carry and
 * json.dumps writes anyway.
 */
#include <stdlib.h>
#include <string.h>

#include "io/ioutil.h"

/* The bytes of a line, without its CR LF, and where the next begins. */
static const char *
line_end(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *e = nl ? nl : end;

	*next = nl ? nl + 1 : end;
	return e > p && e[-1] == '\r' ? e - 1 : e;
}

static int
starts(const char *p, const char *e, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(e - p) >= n && memcmp(p, word, n) == 0;
}

/* Whether a line is an SSE field that no TSV or CSV line could be: data
 * holding JSON (or [DONE]), or another field without a TAB or comma (a
 * token "id:" with its value always has one). */
static int
sse_field(const char *p, const char *e)
{
	if (starts(p, e, "data:")) {
		p += 5;
		while (p < e && *p == ' ')
			p++;
		return p < e && (*p == '{' || *p == '[');
	}
	if (memchr(p, '\t', (size_t)(e - p)) || memchr(p, ',', (size_t)(e - p)))
		return 0;
	return starts(p, e, "event:") || starts(p, e, "id:") ||
	       starts(p, e, "retry:");
}

int
tv_io_is_sse(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *next;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	/* The first line that is not blank or a comment decides. */
	while (p < end) {
		const char *e = line_end(p, end, &next);

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p < e && *p != ':')
			return sse_field(p, e);
		p = next;
	}
	return 0;
}

/* One SSE event's data, its lines joined by newlines as the standard
 * says; [DONE] closes OpenAI's streams and carries nothing. */
static int
sse_dispatch(struct tv_io_frames *fr, size_t line)
{
	int r = 0;

	if (fr->data_len && !(fr->data_len == 6 &&
			      memcmp(fr->data, "[DONE]", 6) == 0))
		r = fr->fn(fr->arg, fr->data, fr->data_len, line);
	fr->data_len = 0;
	return r;
}

static int
sse_append(struct tv_io_frames *fr, const char *s, size_t n)
{
	size_t need = fr->data_len + n + 1;

	if (need > fr->data_cap) {
		char *d = realloc(fr->data, need * 2);

		if (!d)
			return -1;
		fr->data = d;
		fr->data_cap = need * 2;
	}
	if (fr->data_len)
		fr->data[fr->data_len++] = '\n';
	memcpy(fr->data + fr->data_len, s, n);
	fr->data_len += n;
	return 0;
}

int
tv_io_each_sse(struct tv_io_frames *fr, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *next;
	size_t line = 0, first = 0;
	int r = 0;

	while (p < end && r == 0) {
		const char *e = line_end(p, end, &next);

		line++;
		if (e == p) {
			r = sse_dispatch(fr, first);
		} else if (starts(p, e, "data:")) {
			const char *v = p + 5 + (p + 5 < e && p[5] == ' ');

			if (!fr->data_len)
				first = line;
			if (sse_append(fr, v, (size_t)(e - v)) != 0)
				r = TV_IO_FRAME_NOMEM;
		}
		/* Comments (":" keep-alive pings) and the other fields
		 * (event, id, retry) carry no logprobs. */
		p = next;
	}
	if (r == 0)
		r = sse_dispatch(fr, first);
	free(fr->data);
	fr->data = NULL;
	fr->data_cap = fr->data_len = 0;
	return r;
}

int
tv_io_each_line(struct tv_io_frames *fr, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *next;
	size_t line = 0;
	int r = 0;

	while (p < end && r == 0) {
		const char *e = line_end(p, end, &next), *q = p;

		line++;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (q < e)
			r = fr->fn(fr->arg, p, (size_t)(e - p), line);
		p = next;
	}
	return r;
}

/* Whether s[i ..] is the bare word -Infinity. Only the negative one is
 * a value tempviz takes (a masked token); NaN and Infinity stay JSON
 * syntax errors. */
static int
is_neg_infinity(const char *s, size_t i, size_t len)
{
	return len - i >= 9 && memcmp(s + i, "-Infinity", 9) == 0;
}

int
tv_io_json_infinities(const char *buf, size_t len, char **res,
		      size_t *res_len)
{
	size_t i, o = 0, count = 0;
	int in_str = 0;
	char *out;

	*res = NULL;
	for (i = 0; i < len; i++) {
		if (in_str) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_str = 0;
		} else if (buf[i] == '"') {
			in_str = 1;
		} else if (is_neg_infinity(buf, i, len)) {
			count++;
		}
	}
	if (count == 0)
		return 0;
	/* "-inf" (6 bytes) replaces -Infinity (9): the copy never grows. */
	out = malloc(len + 1);
	if (!out)
		return -1;
	in_str = 0;
	for (i = 0; i < len; i++) {
		if (!in_str && is_neg_infinity(buf, i, len)) {
			memcpy(out + o, "\"-inf\"", 6);
			o += 6;
			i += 8;
			continue;
		}
		if (in_str && buf[i] == '\\' && i + 1 < len) {
			out[o++] = buf[i++];
		} else if (buf[i] == '"') {
			in_str = !in_str;
		}
		out[o++] = buf[i];
	}
	out[o] = '\0';
	*res = out;
	*res_len = o;
	return 0;
}
