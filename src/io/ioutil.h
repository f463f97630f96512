/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the loaders in src/io, not part of any public
 * interface: error messages, strict number parsing, token escapes, a set
 * of token byte strings for duplicate checks, and the growable list of
 * positions a loader fills.
 */
#ifndef TEMPVIZ_IO_IOUTIL_H
#define TEMPVIZ_IO_IOUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "io/source.h"
#include "tempviz/dist.h"

/*
 * Fill err with "NAME:LINE:COL: text" (line or col 0 leaves that part out)
 * and return status. NAME is shown through the safe-text filter, so a
 * hostile file name cannot reach the terminal raw.
 */
int tv_io_fail(struct tv_error *err, int status, const char *name,
	       size_t line, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Bytes of a token or header value in a form safe inside a message. */
const char *tv_io_quote(const char *s, size_t len, char *buf, size_t cap);

/*
 * Strict decimal number: [+-]digits[.digits][(e|E)[+-]digits] (digits on
 * at least one side of the point), the whole of s[0 .. len), regardless of
 * the locale's decimal point. Returns 0 on success, -1 when it is not
 * such a number, -2 when it overflows a double.
 */
int tv_io_parse_double(const char *s, size_t len, double *out);

/*
 * A value of a token: a strict decimal number as above, or -inf
 * (also -infinity, in any case): a token masked out, as engines mask
 * banned tokens and grammars. Same returns.
 */
int tv_io_parse_value(const char *s, size_t len, double *out);
/* The temperatures a dump may say it was taken at (# temperature-of-dump,
 * "temperature_of_dump"). */
#define TV_DUMP_T_MIN 1e-3
#define TV_DUMP_T_MAX 1e3

/* llama.cpp sends a probability of 0 as the logprob -3.4e38 (about
 * -FLT_MAX); at or below this a logprob is a masked token. */
#define TV_LOGPROB_ZERO (-3e38)
#define TV_IO_VALUES "decimal numbers such as -1.25 or 3e-5, or -inf"

/*
 * Decode C-style escapes of s[0 .. len) into out (which holds at least len
 * bytes: an escape never grows). Accepted: \n \t \r \0 \\ \" \' \xHH and
 * \u{H..H} (a Unicode scalar value, written as UTF-8). Returns the decoded
 * length, or -1 with *bad set to the offset of the faulty escape.
 */
long tv_io_unescape(const char *s, size_t len, char *out, size_t *bad);
#define TV_IO_ESCAPES "\\n \\t \\r \\0 \\\\ \\\" \\' \\xHH \\u{HHHH}"

/* A set of byte strings (token texts of one distribution) by id. */
struct tv_tokset {
	uint32_t *slot;         /* id + 1, or 0 when empty */
	uint32_t mask;
	uint32_t count;
};

void tv_tokset_free(struct tv_tokset *s);
/*
 * Record token id of d (already pushed). Returns the id of an earlier
 * token with the same bytes, UINT32_MAX when new, or UINT32_MAX - 1 when
 * memory ran out.
 */
uint32_t tv_tokset_add(struct tv_tokset *s, const struct tv_dist *d,
		       uint32_t id);
#define TV_TOKSET_NOMEM (UINT32_MAX - 1)

/*
 * Give a distribution whose listed probabilities sum to listed_mass the
 * rest of the vocabulary as its tail: a degenerate level of vocab_size - n
 * tokens when vocab_size is known (> 0), one lumped level otherwise. No
 * tail when the listed tokens already hold (almost) all of the mass or the
 * whole vocabulary is listed.
 */
enum tv_status tv_io_tail_from_mass(struct tv_dist *d, double vocab_size,
				    double listed_mass);

/* Below this, listed masses that miss 1 are rounding: no tail, no word. */
#define TV_MASS_NOISE 1e-6

/* The positions whose listed probabilities summed above 1, for one
 * warning per source. */
struct tv_io_excess {
	unsigned n;
	double max;
};
/* Record a position's listed mass: -1 when it is beyond rounding
 * (above 1 + TV_MASS_TOLERANCE: refuse it), else 0. */
int tv_io_note_mass(struct tv_io_excess *x, double listed_mass);
/* The one warning for what x recorded, if anything. */
void tv_io_warn_excess(struct tv_source *src, const char *name,
		       const struct tv_io_excess *x);
/* The message for a refused listed mass, with it and TV_MASS_TOLERANCE. */
#define TV_IO_MASS_REFUSED "the listed probabilities sum to %.7g " \
	"(accepted: at most 1 + %g, the rounding of a printed list)"

/* Add a warning "NAME: text" to the source (see struct tv_warnings). */
void tv_io_warn(struct tv_source *src, const char *name, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

/* The positions a loader produces, owned by the source until it is
 * handed over. */
struct tv_dist *tv_io_new_pos(struct tv_source *src);

/* Read a whole file (at most TV_SOURCE_MAX_BYTES; "-" is standard input)
 * into a fresh buffer with a NUL after the last byte. */
int tv_io_read_file(const char *path, char **buf, size_t *len,
		    struct tv_error *err);

/* Whether len bytes start with the NumPy magic. */
int tv_io_is_npy(const char *buf, size_t len);

/* Whether a buffer is a server-sent-event stream (its first field line
 * is data:, event:, id: or retry:). */
int tv_io_is_sse(const char *buf, size_t len);

/* The payloads of a stream, one call of fn each (len bytes, not
 * terminated; line is where it starts), until fn returns non-zero. */
struct tv_io_frames {
	int (*fn)(void *arg, const char *s, size_t len, size_t line);
	void *arg;
	char *data;             /* an SSE event being joined */
	size_t data_len, data_cap;
};
#define TV_IO_FRAME_NOMEM (-1)
/* The data of each SSE event, except [DONE]; comments and other fields
 * skipped. Returns what fn returned, or TV_IO_FRAME_NOMEM. */
int tv_io_each_sse(struct tv_io_frames *fr, const char *buf, size_t len);
/* Each line that is not blank (NDJSON). */
int tv_io_each_line(struct tv_io_frames *fr, const char *buf, size_t len);

/* A copy of JSON text with each bare -Infinity (outside strings) made the
 * string "-inf", in *res (NULL when there is none). -1 when memory ran
 * out. */
int tv_io_json_infinities(const char *buf, size_t len, char **res,
			  size_t *res_len);

/* The loaders, each on a whole buffer, appending positions to src. */
int tv_load_tsv(const char *name, const char *buf, size_t len,
		struct tv_source *src, struct tv_error *err);
/* vocab_hint: the vocabulary's size for a response that does not say
 * (0: unknown). */
int tv_load_json(const char *name, const char *buf, size_t len,
		 double vocab_hint, struct tv_source *src,
		 struct tv_error *err);
int tv_load_npy(const char *name, const char *buf, size_t len,
		const struct tv_source_spec *opt, struct tv_source *src,
		struct tv_error *err);

#endif
