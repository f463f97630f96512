/* SPDX-License-Identifier: MIT */
/* Helpers shared by the loaders; see ioutil.h. */
#include "io/ioutil.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/safetext.h"

const char *
tv_io_quote(const char *s, size_t len, char *buf, size_t cap)
{
	tv_safe_text(s, len, buf, cap, 40, 1);
	return buf;
}

int
tv_io_fail(struct tv_error *err, int status, const char *name, size_t line,
	   size_t col, const char *fmt, ...)
{
	char where[200], safe[128];
	va_list ap;
	int n;

	tv_safe_text(name, strlen(name), safe, sizeof safe, 100, 1);
	if (line && col)
		snprintf(where, sizeof where, "%s:%zu:%zu: ", safe, line, col);
	else if (line)
		snprintf(where, sizeof where, "%s:%zu: ", safe, line);
	else
		snprintf(where, sizeof where, "%s: ", safe);
	n = snprintf(err->msg, sizeof err->msg, "%s", where);
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return status;
}

/* Length of the longest prefix of s that is a decimal number in the
 * strict grammar, or 0. */
static size_t
number_span(const char *s, size_t len)
{
	size_t i = 0, int_digits = 0, frac_digits = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, int_digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, frac_digits++;
	}
	if (int_digits + frac_digits == 0)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1, exp_digits = 0;

		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		while (j < len && s[j] >= '0' && s[j] <= '9')
			j++, exp_digits++;
		if (exp_digits == 0)
			return 0;
		i = j;
	}
	return i;
}

int
tv_io_parse_double(const char *s, size_t len, double *out)
{
	char buf[128];
	const char *dp = localeconv()->decimal_point;
	size_t dpl = strlen(dp), o = 0;
	char *end;

	if (len == 0 || number_span(s, len) != len)
		return -1;
	/* strtod() reads the locale's decimal point; the files use '.'. */
	for (size_t i = 0; i < len; i++) {
		if (o + dpl + 1 >= sizeof buf)
			return -1;
		if (s[i] == '.') {
			memcpy(buf + o, dp, dpl);
			o += dpl;
		} else {
			buf[o++] = s[i];
		}
	}
	buf[o] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (end != buf + o)
		return -1;
	if (!isfinite(*out))
		return -2;
	return 0;
}

/* Whether s[0 .. len) spells word in any case. */
static int
is_word(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len && word[i]; i++)
		if ((s[i] | 0x20) != word[i])
			return 0;
	return i == len && word[i] == '\0';
}

int
tv_io_parse_value(const char *s, size_t len, double *out)
{
	if (len > 1 && s[0] == '-' && (is_word(s + 1, len - 1, "inf") ||
				       is_word(s + 1, len - 1, "infinity"))) {
		*out = -INFINITY;
		return 0;
	}
	return tv_io_parse_double(s, len, out);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* \u{H..H} at s[0] (the backslash): the bytes consumed, or 0. Its UTF-8
 * form is never longer than the escape (at least 5 bytes for 1 to 4). */
static size_t
unescape_u(const char *s, size_t len, char *out, size_t *outlen)
{
	uint32_t cp = 0;
	size_t i = 3;

	if (len < 5 || s[2] != '{')
		return 0;
	while (i < len && i < 9 && hexval(s[i]) >= 0)
		cp = cp << 4 | (uint32_t)hexval(s[i++]);
	if (i == 3 || i >= len || s[i] != '}')
		return 0;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*outlen = utf8_encode(cp, out);
	return i + 1;
}

long
tv_io_unescape(const char *s, size_t len, char *out, size_t *bad)
{
	size_t i = 0, o = 0;

	while (i < len) {
		const char *bs = memchr(s + i, '\\', len - i);
		size_t run = bs ? (size_t)(bs - s) - i : len - i, used = 2, n;
		int hi, lo;

		memmove(out + o, s + i, run);
		o += run;
		i += run;
		if (i >= len)
			break;
		if (i + 1 >= len) {
			*bad = i;
			return -1;
		}
		switch (s[i + 1]) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case '0': out[o++] = '\0'; break;
		case '\\': out[o++] = '\\'; break;
		case '"': out[o++] = '"'; break;
		case '\'': out[o++] = '\''; break;
		case 'x':
			hi = i + 3 < len ? hexval(s[i + 2]) : -1;
			lo = hi >= 0 ? hexval(s[i + 3]) : -1;
			if (lo < 0) {
				*bad = i;
				return -1;
			}
			out[o++] = (char)(hi << 4 | lo);
			used = 4;
			break;
		case 'u':
			used = unescape_u(s + i, len - i, out + o, &n);
			if (used == 0) {
				*bad = i;
				return -1;
			}
			o += n;
			break;
		default:
			*bad = i;
			return -1;
		}
		i += used;
	}
	return (long)o;
}

/* FNV-1a: fast and good enough for token strings. */
static uint32_t
hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void
tv_tokset_free(struct tv_tokset *s)
{
	free(s->slot);
	memset(s, 0, sizeof *s);
}

static int
tokset_grow(struct tv_tokset *s, const struct tv_dist *d)
{
	uint32_t cap = s->slot ? (s->mask + 1) * 2 : 1024;
	uint32_t *slot;
	struct tv_tokset old = *s;

	if (cap == 0)
		return -1;
	slot = calloc(cap, sizeof *slot);
	if (!slot)
		return -1;
	s->slot = slot;
	s->mask = cap - 1;
	for (uint32_t i = 0; old.slot && i <= old.mask; i++) {
		uint32_t id = old.slot[i];
		size_t len;
		const char *t;
		uint32_t h;

		if (!id)
			continue;
		t = tv_dist_tok(d, id - 1, &len);
		h = hash_bytes(t, len) & s->mask;
		while (slot[h])
			h = (h + 1) & s->mask;
		slot[h] = id;
	}
	free(old.slot);
	return 0;
}

uint32_t
tv_tokset_add(struct tv_tokset *s, const struct tv_dist *d, uint32_t id)
{
	size_t len, olen;
	const char *t = tv_dist_tok(d, id, &len);
	uint32_t h;

	if ((!s->slot || (s->count + 1) * 2 > s->mask + 1) &&
	    tokset_grow(s, d) != 0)
		return TV_TOKSET_NOMEM;
	h = hash_bytes(t, len) & s->mask;
	while (s->slot[h]) {
		const char *o = tv_dist_tok(d, s->slot[h] - 1, &olen);

		if (olen == len && memcmp(o, t, len) == 0)
			return s->slot[h] - 1;
		h = (h + 1) & s->mask;
	}
	s->slot[h] = id + 1;
	s->count++;
	return UINT32_MAX;
}

enum tv_status
tv_io_tail_from_mass(struct tv_dist *d, double vocab_size, double listed_mass)
{
	double rest = 1.0 - listed_mass;

	/* Printed logprobs are rounded: a few parts per million over or
	 * under 1 are noise, not a tail. */
	if (rest <= TV_MASS_NOISE || (vocab_size > 0 && vocab_size <= d->n))
		return TV_OK;
	return tv_dist_set_tail_mass(d, vocab_size > 0 ? vocab_size : 0, rest);
}

/* Room for one more position: capacity doubles, so a response of n tokens
 * costs O(n) copies (one realloc per token was quadratic, worst under a
 * sanitizer's allocator). */
static int
pos_reserve(struct tv_source *src)
{
	uint32_t cap;
	struct tv_dist *p;

	if (src->n_pos < src->pos_cap)
		return 0;
	if (src->pos_cap >= UINT32_MAX / 2)
		return -1;
	cap = src->pos_cap ? src->pos_cap * 2 : 4;
	p = realloc(src->pos, (size_t)cap * sizeof *p);
	if (!p)
		return -1;
	src->pos = p;
	src->pos_cap = cap;
	return 0;
}

struct tv_dist *
tv_io_new_pos(struct tv_source *src)
{
	struct tv_dist *p;

	if (pos_reserve(src) != 0)
		return NULL;
	p = src->pos + src->n_pos;
	if (tv_dist_init(p, 16) != TV_OK)
		return NULL;
	src->n_pos++;
	return p;
}

void
tv_io_warn(struct tv_source *src, const char *name, const char *fmt, ...)
{
	struct tv_warnings *w = &src->warn;
	char safe[128];
	va_list ap;
	int n;

	if (w->n++ >= TV_WARN_MAX)
		return;
	tv_safe_text(name, strlen(name), safe, sizeof safe, 100, 1);
	n = snprintf(w->msg[w->n - 1], sizeof w->msg[0], "%s: ", safe);
	va_start(ap, fmt);
	vsnprintf(w->msg[w->n - 1] + n, sizeof w->msg[0] - (size_t)n, fmt, ap);
	va_end(ap);
}

int
tv_io_note_mass(struct tv_io_excess *x, double listed_mass)
{
	if (listed_mass > 1 + TV_MASS_TOLERANCE)
		return -1;
	if (listed_mass > 1 + TV_MASS_NOISE) {
		x->n++;
		x->max = listed_mass > x->max ? listed_mass : x->max;
	}
	return 0;
}

void
tv_io_warn_excess(struct tv_source *src, const char *name,
		  const struct tv_io_excess *x)
{
	if (x->n == 0)
		return;
	if (src->n_pos <= 1)
		tv_io_warn(src, name, "the listed probabilities sum to %.7g, "
			   "above 1; renormalised to 1", x->max);
	else
		tv_io_warn(src, name, "the listed probabilities sum above 1 at "
			   "%u of %u positions (at most %.7g); renormalised to 1",
			   x->n, (unsigned)src->n_pos, x->max);
}

/* Read everything from fd (at most max bytes; one more means "too
 * big"). */
static int
read_all(int fd, size_t hint, char **buf, size_t *len, size_t max)
{
	size_t cap = hint + 1 > 4096 ? hint + 1 : 4096, n = 0;
	char *b = malloc(cap + 1);

	if (!b)
		return ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap > max)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return ENOMEM;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int
tv_io_read_file(const char *path, char **buf, size_t *len,
		struct tv_error *err)
{
	const size_t max = TV_SOURCE_MAX_BYTES;
	int is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int e;

	if (fd < 0)
		return tv_io_fail(err, TV_EXIT_DATA, path, 0, 0,
				  "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0)
		st.st_mode = 0;
	if (S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			close(fd);
		return tv_io_fail(err, TV_EXIT_DATA, path, 0, 0,
				  "is a directory (expected a TSV, CSV, JSON or .npy file)");
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		if (!is_stdin)
			close(fd);
		return tv_io_fail(err, TV_EXIT_DATA, path, 0, 0,
				  "file too large (%jd bytes; at most %zu MiB accepted)",
				  (intmax_t)st.st_size, max >> 20);
	}
	e = read_all(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, buf,
		     len, max);
	if (!is_stdin)
		close(fd);
	if (e)
		return tv_io_fail(err, TV_EXIT_DATA, path, 0, 0,
				  "cannot read: %s", strerror(e));
	if (*len > max) {
		free(*buf);
		*buf = NULL;
		return tv_io_fail(err, TV_EXIT_DATA, path, 0, 0,
				  "input too large (more than %zu MiB)",
				  max >> 20);
	}
	return TV_EXIT_OK;
}

int
tv_io_is_npy(const char *buf, size_t len)
{
	return len >= 6 && memcmp(buf, "\x93NUMPY", 6) == 0;
}
