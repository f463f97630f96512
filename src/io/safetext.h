/* SPDX-License-Identifier: MIT */
/*
 * Untrusted token text made safe to show. Token bytes come from files and
 * may hold ESC sequences, control bytes, invalid UTF-8, zero-width and
 * combining characters, double-width characters or thousands of bytes.
 * Nothing from a token is ever written to a terminal except through this.
 */
#ifndef TEMPVIZ_SAFETEXT_H
#define TEMPVIZ_SAFETEXT_H

#include <stddef.h>
#include <stdint.h>

/* Zero-width marks kept on one base character; more are escaped, so a
 * stack of combining marks cannot smear over other rows. */
#define TV_SAFE_MARKS 3

/*
 * Write a display form of in[0 .. len) to out (always NUL-terminated,
 * truncated with an ellipsis, "~" in ASCII, to fit maxw columns and outcap
 * bytes; maxw < 0 means no column limit). Returns the display width of out
 * in columns. Two different inputs never have the same untruncated form:
 *
 * - spaces in the leading and trailing runs of spaces and space marks are
 *   drawn as the mark (U+2423, '_' in ASCII), and a literal mark in such
 *   a run is escaped (\u{2423}, \x5F in ASCII);
 * - newline, tab and CR are \n, \t and \r, a backslash is \\, other C0 and
 *   C1 controls and every byte that is not valid UTF-8 are \xHH;
 * - zero-width, bidi and other invisible characters, marks with no base
 *   character or beyond TV_SAFE_MARKS on one, and code points tv_cp_width()
 *   calls undrawable are \u{HHHH}; with ascii set, so is every non-ASCII
 *   character.
 *
 * Widths come from tv_cp_width(), so they do not depend on the locale.
 */
int tv_safe_text(const char *in, size_t len, char *out, size_t outcap,
		 int maxw, int ascii);

/* A token's display form: tv_safe_text's, but an empty token (a
 * server's end of text, a file's blank row) is "\(empty)", which no
 * token's own form can be (a backslash in a token is "\\"), so that its
 * row does not look like a hole. */
int tv_safe_token(const char *in, size_t len, char *out, size_t outcap,
		  int maxw, int ascii);

/* The same display form cut at the front rather than the end: the
 * ellipsis and then the longest tail that fits maxw columns and outcap
 * bytes (a mark never loses its base character). For a prompt, whose last
 * words matter most. */
int tv_safe_tail(const char *in, size_t len, char *out, size_t outcap,
		 int maxw, int ascii);

/* Decode one UTF-8 scalar value into *cp; returns its length, or 0 when
 * s[0] does not start a valid, shortest-form sequence of at most len
 * bytes (overlong forms, surrogates and values above U+10FFFF are
 * invalid). */
size_t tv_utf8_scalar(const unsigned char *s, size_t len, uint32_t *cp);

#endif
