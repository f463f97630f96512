/* SPDX-License-Identifier: MIT */
/*
 * NumPy .npy logits: float32 or float64, either byte order, a 1-D vector
 * or one row of a 2-D array, with an optional vocabulary file naming the
 * tokens (one per line, escapes allowed). The header is a Python dict
 * literal; it is checked strictly (exactly the keys descr, fortran_order
 * and shape) rather than guessed at.
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/ioutil.h"

#define MAX_DIMS 2

struct npy_header {
	int big_endian;
	size_t itemsize;        /* 4 or 8 */
	int ndim;
	uint64_t shape[MAX_DIMS];
	int seen_descr, seen_order, seen_shape;
};

struct hparse {
	const char *name;
	struct tv_error *err;
	const char *base;       /* the file's first byte, for offsets */
	const char *p, *end;
};

static int __attribute__((format(printf, 2, 3)))
hfail(struct hparse *h, const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return tv_io_fail(h->err, TV_EXIT_DATA, h->name, 0, 0,
			  "bad .npy header at byte %zu: %s",
			  (size_t)(h->p - h->base), what);
}

static void
skip_ws(struct hparse *h)
{
	while (h->p < h->end && (*h->p == ' ' || *h->p == '\t'))
		h->p++;
}

static int
expect(struct hparse *h, char c)
{
	skip_ws(h);
	if (h->p >= h->end || *h->p != c)
		return hfail(h, "expected '%c'", c);
	h->p++;
	return 0;
}

/* A quoted Python string without escapes; *s and *len borrow it. */
static int
py_string(struct hparse *h, const char **s, size_t *len)
{
	char q;
	const char *e;

	skip_ws(h);
	if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
		return hfail(h, "expected a quoted string");
	q = *h->p++;
	e = memchr(h->p, q, (size_t)(h->end - h->p));
	if (!e || memchr(h->p, '\\', (size_t)(e - h->p)))
		return hfail(h, "unterminated or escaped string");
	*s = h->p;
	*len = (size_t)(e - h->p);
	h->p = e + 1;
	return 0;
}

static int
word_is(struct hparse *h, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(h->end - h->p) < n || memcmp(h->p, w, n) != 0)
		return 0;
	h->p += n;
	return 1;
}

static int
parse_descr(struct hparse *h, struct npy_header *hd)
{
	static const struct { const char *s; int be; size_t size; } ok[] = {
		{ "<f4", 0, 4 }, { ">f4", 1, 4 }, { "<f8", 0, 8 }, { ">f8", 1, 8 },
	};
	const char *s;
	size_t len;
	int r = py_string(h, &s, &len);

	if (r != 0)
		return r;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (len == 3 && memcmp(s, ok[i].s, 3) == 0) {
			hd->big_endian = ok[i].be;
			hd->itemsize = ok[i].size;
			return 0;
		}
	}
	h->p = s;
	return hfail(h, "unsupported dtype (accepted: <f4 >f4 <f8 >f8, i.e. float32 or float64)");
}

static int
parse_order(struct hparse *h)
{
	skip_ws(h);
	if (word_is(h, "False"))
		return 0;
	if (word_is(h, "True"))
		return hfail(h, "fortran_order True is not supported (save a C-ordered array)");
	return hfail(h, "expected False");
}

static int
parse_shape(struct hparse *h, struct npy_header *hd)
{
	int r = expect(h, '(');

	if (r != 0)
		return r;
	hd->ndim = 0;
	for (;;) {
		uint64_t v = 0;
		const char *start;

		skip_ws(h);
		if (h->p < h->end && *h->p == ')')
			break;
		if (hd->ndim == MAX_DIMS)
			return hfail(h, "more than 2 dimensions (accepted: a vector or a 2-D array)");
		start = h->p;
		while (h->p < h->end && *h->p >= '0' && *h->p <= '9' &&
		       v < ((uint64_t)1 << 40))
			v = v * 10 + (uint64_t)(*h->p++ - '0');
		if (h->p == start || (h->p < h->end && *h->p >= '0' && *h->p <= '9'))
			return hfail(h, "expected a dimension (a non-negative integer)");
		hd->shape[hd->ndim++] = v;
		skip_ws(h);
		if (h->p < h->end && *h->p == ',')
			h->p++;
		else if (h->p >= h->end || *h->p != ')')
			return hfail(h, "expected ',' or ')' in the shape");
	}
	h->p++;
	if (hd->ndim == 0)
		return hfail(h, "a scalar (accepted: a vector or a 2-D array)");
	return 0;
}

static int
parse_entry(struct hparse *h, struct npy_header *hd)
{
	const char *k;
	size_t kl;
	int r = py_string(h, &k, &kl);

	if (r != 0 || (r = expect(h, ':')) != 0)
		return r;
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(k, s, kl) == 0)
	if (KEY("descr") && !hd->seen_descr++)
		return parse_descr(h, hd);
	if (KEY("fortran_order") && !hd->seen_order++)
		return parse_order(h);
	if (KEY("shape") && !hd->seen_shape++)
		return parse_shape(h, hd);
#undef KEY
	h->p = k;
	return hfail(h, "unknown or repeated key (accepted: descr, fortran_order, shape once each)");
}

static int
parse_dict(struct hparse *h, struct npy_header *hd)
{
	int r = expect(h, '{');

	while (r == 0) {
		skip_ws(h);
		if (h->p < h->end && *h->p == '}')
			break;
		if ((r = parse_entry(h, hd)) != 0)
			return r;
		skip_ws(h);
		if (h->p < h->end && *h->p == ',')
			h->p++;
		else if (h->p >= h->end || *h->p != '}')
			return hfail(h, "expected ',' or '}'");
	}
	if (r != 0)
		return r;
	h->p++;
	if (!hd->seen_descr || !hd->seen_order || !hd->seen_shape)
		return hfail(h, "missing key (expected descr, fortran_order and shape)");
	skip_ws(h);
	if (h->end - h->p != 1 || *h->p != '\n')
		return hfail(h, "expected spaces and a newline after the dict");
	return 0;
}

/* The preamble: magic, version and header length; *data is where the
 * array starts. */
static int
parse_preamble(const char *name, const char *buf, size_t len,
	       struct npy_header *hd, size_t *data, struct tv_error *err)
{
	const unsigned char *u = (const unsigned char *)buf;
	struct hparse h = { name, err, buf, buf, buf };
	size_t hl, start;

	if (len < 10)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
				  "truncated .npy preamble");
	if (u[6] == 1) {
		hl = (size_t)u[8] | (size_t)u[9] << 8;
		start = 10;
	} else if (u[6] == 2 || u[6] == 3) {
		if (len < 12)
			return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
					  "truncated .npy preamble");
		hl = (size_t)u[8] | (size_t)u[9] << 8 | (size_t)u[10] << 16 |
		     (size_t)u[11] << 24;
		start = 12;
	} else {
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
				  ".npy format version %u.%u is not supported (accepted: 1.0, 2.0, 3.0)",
				  u[6], u[7]);
	}
	if (hl > len - start)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
				  "truncated .npy header (%zu bytes announced, %zu present)",
				  hl, len - start);
	h.p = buf + start;
	h.end = buf + start + hl;
	*data = start + hl;
	return parse_dict(&h, hd);
}

static double
load_value(const unsigned char *p, const struct npy_header *hd)
{
	unsigned char b[8];
	float f;
	double d;

	for (size_t i = 0; i < hd->itemsize; i++)
		b[i] = p[hd->big_endian ? hd->itemsize - 1 - i : i];
	/* Both supported hosts' floats are little-endian IEEE 754. */
	if (hd->itemsize == 4) {
		memcpy(&f, b, 4);
		return f;
	}
	memcpy(&d, b, 8);
	return d;
}

/* Which row of a 2-D array: "-1" (the last) unless asked. */
static int
pick_row(const char *name, const char *row, uint64_t rows, uint64_t *out,
	 struct tv_error *err)
{
	double v;

	if (!row) {
		*out = rows - 1;
		return 0;
	}
	if (tv_io_parse_double(row, strlen(row), &v) != 0 || v != floor(v) ||
	    v >= (double)rows || v < -(double)rows) {
		char qr[64], qn[64];

		return tv_io_fail(err, TV_EXIT_USAGE, "--row", 0, 0,
				  "\"%s\" is not a row of %s (accepted: 0..%llu, or -%llu..-1 from the end)",
				  tv_io_quote(row, strlen(row), qr, sizeof qr),
				  tv_io_quote(name, strlen(name), qn, sizeof qn),
				  (unsigned long long)rows - 1,
				  (unsigned long long)rows);
	}
	*out = v < 0 ? (uint64_t)((double)rows + v) : (uint64_t)v;
	return 0;
}

static int
vocab_lines(const char *path, const char *buf, size_t len, uint64_t n,
	    struct tv_dist *d, const unsigned char *data,
	    const struct npy_header *hd, struct tv_error *err)
{
	const char *p = buf, *end = buf + len;
	char *tok = malloc(len + 1);
	uint64_t i = 0;
	int r = 0;

	if (!tok)
		return tv_io_fail(err, TV_EXIT_DATA, path, 0, 0, "out of memory");
	while (p < end && i < n && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t bad;
		long tl;

		if (e > p && e[-1] == '\r')
			e--;
		tl = tv_io_unescape(p, (size_t)(e - p), tok, &bad);
		if (tl < 0)
			r = tv_io_fail(err, TV_EXIT_DATA, path, (size_t)i + 1, bad + 1,
				       "bad escape (accepted: %s)", TV_IO_ESCAPES);
		else if (tv_dist_push(d, tok, (size_t)tl,
				      (float)load_value(data + i * hd->itemsize, hd)) != TV_OK)
			r = tv_io_fail(err, TV_EXIT_DATA, path, 0, 0, "out of memory");
		i++;
		p = nl ? nl + 1 : end;
	}
	free(tok);
	if (r == 0 && (i != n || p != end))
		r = tv_io_fail(err, TV_EXIT_DATA, path, 0, 0,
			       "%s tokens for %llu logits (accepted: one token per line, as many as logits)",
			       p != end ? "more" : "fewer", (unsigned long long)n);
	return r;
}

static int
push_values(const char *name, const unsigned char *data, uint64_t n,
	    const struct npy_header *hd, const struct tv_source_spec *opt,
	    struct tv_source *src, struct tv_dist *d, struct tv_error *err)
{
	char *vbuf = NULL;
	size_t vlen;
	int r;

	uint64_t nan = 0, first_nan = 0;

	for (uint64_t i = 0; i < n; i++) {
		double v = load_value(data + i * hd->itemsize, hd);

		/* NaN is a token no computation can give mass: -inf, as the
		 * core makes it, and said once. */
		if (isnan(v) && nan++ == 0)
			first_nan = i;
		if (v > FLT_MAX || (isfinite(v) && v < -FLT_MAX))
			return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
					  "value %llu is out of range (accepted: finite float32 numbers, -inf or NaN)",
					  (unsigned long long)i);
	}
	if (nan)
		tv_io_warn(src, name, "%llu NaN logit%s (the first is value %llu) "
			   "made -inf: never drawn", (unsigned long long)nan,
			   nan == 1 ? "" : "s", (unsigned long long)first_nan);
	if (opt && opt->vocab) {
		r = tv_io_read_file(opt->vocab, &vbuf, &vlen, err);
		if (r == 0)
			r = vocab_lines(opt->vocab, vbuf, vlen, n, d, data, hd, err);
		free(vbuf);
		return r;
	}
	for (uint64_t i = 0; i < n; i++) {
		char num[24];
		int len = snprintf(num, sizeof num, "%llu", (unsigned long long)i);

		if (tv_dist_push(d, num, (size_t)len,
				 (float)load_value(data + i * hd->itemsize, hd)) != TV_OK)
			return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
					  "out of memory");
	}
	return 0;
}

int
tv_load_npy(const char *name, const char *buf, size_t len,
	    const struct tv_source_spec *opt, struct tv_source *src,
	    struct tv_error *err)
{
	struct npy_header hd = { 0 };
	size_t data;
	uint64_t rows = 1, cols, row = 0, need;
	struct tv_dist *d;
	enum tv_status s;
	int r = parse_preamble(name, buf, len, &hd, &data, err);

	if (r != 0)
		return r;
	cols = hd.shape[hd.ndim - 1];
	if (hd.ndim == 2)
		rows = hd.shape[0];
	if (rows == 0 || cols == 0)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
				  "the array is empty (accepted: at least one value)");
	if (cols > UINT32_MAX - 1 || rows > ((uint64_t)1 << 40) / cols)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
				  "the array is too large");
	need = rows * cols * hd.itemsize;
	if (need != len - data)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
				  "%s: the shape needs %llu bytes of data, the file has %zu",
				  need > len - data ? "truncated" : "trailing bytes",
				  (unsigned long long)need, len - data);
	if (hd.ndim == 1 && opt && opt->row) {
		char qn[64];

		return tv_io_fail(err, TV_EXIT_USAGE, "--row", 0, 0,
				  "%s is a vector (accepted only for a 2-D array)",
				  tv_io_quote(name, strlen(name), qn, sizeof qn));
	}
	if (hd.ndim == 2 && (r = pick_row(name, opt ? opt->row : NULL, rows,
					   &row, err)) != 0)
		return r;
	if (!(d = tv_io_new_pos(src)))
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0, "out of memory");
	r = push_values(name, (const unsigned char *)buf + data +
			row * cols * hd.itemsize, cols, &hd, opt, src, d, err);
	if (r != 0)
		return r;
	d->kind = TV_KIND_LOGITS;
	if (tv_dist_set_meta(&d->name, name) != TV_OK)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0, "out of memory");
	s = tv_dist_finish(d);
	if (s != TV_OK)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0, "%s",
				  s == TV_EEMPTY ? "every logit is -inf" :
				  tv_status_str(s));
	return 0;
}
