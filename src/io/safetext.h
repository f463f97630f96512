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

/*
 * Write a display form of in[0 .. len) to out (always NUL-terminated,
 * truncated with an ellipsis to fit maxw columns and outcap bytes):
 * a leading space as a visible mark (U+2423 or '_' in ASCII), newline and
 * tab as \n and \t, other control bytes as \xHH, invalid UTF-8 bytes as
 * U+FFFD (or '?'), zero-width, combining and bidi controls as \u{HHHH};
 * with ascii set every non-ASCII character becomes \u{HHHH}. Returns the
 * display width of out in columns.
 *
 * Also: a trailing run of spaces is marked like a leading one, a backslash
 * is written \\ (so every escape is unambiguous), C1 controls are \xHH,
 * at most three combining marks stay on one base character, and maxw < 0
 * means no column limit. Widths come from wcwidth() under the caller's
 * LC_CTYPE; a character it calls unprintable is escaped.
 */
int tv_safe_text(const char *in, size_t len, char *out, size_t outcap,
		 int maxw, int ascii);

/* Decode one UTF-8 scalar value into *cp; returns its length, or 0 when
 * s[0] does not start a valid, shortest-form sequence of at most len
 * bytes (overlong forms, surrogates and values above U+10FFFF are
 * invalid). */
size_t tv_utf8_scalar(const unsigned char *s, size_t len, uint32_t *cp);

#endif
