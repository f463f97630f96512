/* SPDX-License-Identifier: MIT */
/*
 * Safe text on hostile tokens: nothing that moves the cursor, changes the
 * terminal or hides itself comes out raw, widths are exact, truncation
 * never splits a character or an escape.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "io/safetext.h"

static char out[4096];

/* The display width of safe text measured independently of tv_safe_text,
 * which must report the same: its escapes and marks are one column each,
 * anything else as wcwidth() says. */
static int
text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	int w = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = tv_utf8_scalar(p + i, len - i, &cp);
		int cw;

		if (n == 0) {
			w++;
			i++;
			continue;
		}
		if (cp < 0x80 || cp == 0x2423 || cp == 0x2026 || cp == 0xFFFD)
			cw = cp < 0x20 || cp == 0x7F ? 0 : 1;
		else
			cw = wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : cw;
		i += n;
	}
	return w;
}

static int
safe(const char *in, size_t len, int maxw, int ascii)
{
	int w = tv_safe_text(in, len, out, sizeof out, maxw, ascii);

	assert_int_equal(w, text_width(out));
	return w;
}

static void
expect(const char *in, size_t len, int maxw, int ascii, const char *want,
       int want_w)
{
	int w = safe(in, len, maxw, ascii);

	assert_string_equal(out, want);
	assert_int_equal(w, want_w);
}

#define S(lit) lit, sizeof(lit) - 1

static void
spaces_visible(void **state)
{
	(void)state;
	expect(S(" Paris"), -1, 0, "\xe2\x90\xa3Paris", 6);
	expect(S(" Paris"), -1, 1, "_Paris", 6);
	expect(S("a b"), -1, 0, "a b", 3);
	expect(S("  "), -1, 1, "__", 2);
	expect(S("x  "), -1, 1, "x__", 3);
	expect(S(""), -1, 0, "", 0);
}

static void
controls_escaped(void **state)
{
	(void)state;
	expect(S("\n"), -1, 0, "\\n", 2);
	expect(S("a\tb\r"), -1, 0, "a\\tb\\r", 6);
	expect(S("\x1b[2J\x1b]0;pwned\x07"), -1, 0,
	       "\\x1B[2J\\x1B]0;pwned\\x07", 23);
	expect(S("\x7f\x00"), -1, 1, "\\x7F\\x00", 8);
	expect(S("\xc2\x9b" "31m"), -1, 0, "\\x9B31m", 7);    /* C1 CSI */
	expect(S("back\\slash"), -1, 0, "back\\\\slash", 11);
}

static void
invalid_utf8(void **state)
{
	(void)state;
	expect(S("a\xff" "b"), -1, 0, "a\xef\xbf\xbd" "b", 3);
	expect(S("a\xff" "b"), -1, 1, "a?b", 3);
	/* Overlong, surrogate, truncated: one replacement per byte. */
	expect(S("\xc0\xaf"), -1, 1, "??", 2);
	expect(S("\xed\xa0\x80"), -1, 1, "???", 3);
	expect(S("\xe2\x82"), -1, 1, "??", 2);
	expect(S("\xf4\x90\x80\x80"), -1, 1, "????", 4);
}

static void
invisible_escaped(void **state)
{
	(void)state;
	expect(S("a\xe2\x80\x8b" "b"), -1, 0, "a\\u{200B}b", 10);
	expect(S("\xe2\x80\xae" "evil"), -1, 0, "\\u{202E}evil", 12);
	expect(S("\xe2\x81\xa6x"), -1, 0, "\\u{2066}x", 9);
	expect(S("\xef\xbb\xbfx"), -1, 0, "\\u{FEFF}x", 9);
	/* A combining mark with nothing to sit on. */
	expect(S("\xcc\x81" "a"), -1, 0, "\\u{0301}a", 9);
}

static void
wide_and_combining(void **state)
{
	(void)state;
	expect(S("\xe4\xb8\xad\xe6\x96\x87"), -1, 0, "\xe4\xb8\xad\xe6\x96\x87", 4);
	expect(S("e\xcc\x81"), -1, 0, "e\xcc\x81", 1);
	expect(S("\xe4\xb8\xad"), -1, 1, "\\u{4E2D}", 8);
	/* A stack of marks keeps three, then escapes. */
	safe(S("a\xcc\x81\xcc\x81\xcc\x81\xcc\x81"), -1, 0);
	assert_string_equal(out, "a\xcc\x81\xcc\x81\xcc\x81\\u{0301}");
}

static void
truncation(void **state)
{
	(void)state;
	expect(S("abcdef"), 6, 0, "abcdef", 6);
	expect(S("abcdefg"), 6, 0, "abcde\xe2\x80\xa6", 6);
	expect(S("abcdefg"), 6, 1, "abcde~", 6);
	expect(S("\n\n\n"), 4, 0, "\\n\xe2\x80\xa6", 3);
	/* A double-width character that does not fit is dropped whole. */
	expect(S("ab\xe4\xb8\xad\xe6\x96\x87"), 4, 0, "ab\xe2\x80\xa6", 3);
	expect(S("abc"), 1, 0, "\xe2\x80\xa6", 1);
	expect(S("abc"), 0, 0, "", 0);
}

static void
small_buffers(void **state)
{
	char b[8];

	(void)state;
	assert_int_equal(tv_safe_text("abc", 3, b, 0, -1, 0), 0);
	assert_int_equal(tv_safe_text("abc", 3, b, 1, -1, 0), 0);
	assert_string_equal(b, "");
	assert_int_equal(tv_safe_text("abcdefghijk", 11, b, sizeof b, -1, 0), 5);
	assert_string_equal(b, "abcd\xe2\x80\xa6");
	assert_int_equal(tv_safe_text("\x1b\x1b\x1b", 3, b, sizeof b, -1, 1), 5);
	assert_string_equal(b, "\\x1B~");
	assert_int_equal(tv_safe_text(NULL, 5, b, sizeof b, -1, 0), 0);
}

/* Thousands of bytes of every byte value: bounded, and nothing raw below
 * 0x20 or at 0x7F gets through. */
static void
long_hostile(void **state)
{
	char in[5000];
	uint32_t x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof in; i++) {
		x = x * 1103515245u + 12345u;
		in[i] = (char)(x >> 16);
	}
	for (int ascii = 0; ascii <= 1; ascii++) {
		int w = safe(in, sizeof in, 80, ascii);

		assert_true(w <= 80);
		for (const char *p = out; *p; p++) {
			assert_true((unsigned char)*p >= 0x20);
			assert_true(*p != 0x7f);
			if (ascii)
				assert_true((unsigned char)*p < 0x80);
		}
	}
	assert_true(safe(in, sizeof in, -1, 0) > 80);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spaces_visible),
		cmocka_unit_test(controls_escaped),
		cmocka_unit_test(invalid_utf8),
		cmocka_unit_test(invisible_escaped),
		cmocka_unit_test(wide_and_combining),
		cmocka_unit_test(truncation),
		cmocka_unit_test(small_buffers),
		cmocka_unit_test(long_hostile),
	};

	/* wcwidth() follows LC_CTYPE; the tests need a UTF-8 one. */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "en_US.UTF-8");
	return cmocka_run_group_tests_name("safetext", tests, NULL, NULL);
}
