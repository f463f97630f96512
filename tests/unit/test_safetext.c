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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "io/safetext.h"
#include "io/uwidth.h"

static char out[4096];

/* The display width of safe text measured piece by piece, which
 * tv_safe_text must report: every byte of it is printable (ASCII, or a
 * character tv_cp_width() can draw). */
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

		assert_true(n > 0);
		cw = tv_cp_width(cp);
		assert_true(cw >= 0);
		w += cw;
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
	/* A literal space mark where a space would be drawn as one. */
	expect(S("_x"), -1, 1, "\\x5Fx", 5);
	expect(S("_x"), -1, 0, "_x", 2);
	expect(S("x_"), -1, 1, "x\\x5F", 5);
	expect(S(" _x_ "), -1, 1, "_\\x5Fx\\x5F_", 11);
	expect(S("\xe2\x90\xa3x"), -1, 0, "\\u{2423}x", 9);
	expect(S("x\xe2\x90\xa3 "), -1, 0, "x\\u{2423}\xe2\x90\xa3", 10);
	expect(S("a_b"), -1, 1, "a_b", 3);
	expect(S("a\xe2\x90\xa3" "b"), -1, 0, "a\xe2\x90\xa3" "b", 3);
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

/* Every byte that is not part of valid UTF-8 is \xHH in both tiers, as
 * README promises: U+FFFD or '?' would hide which byte it was and look
 * like a literal U+FFFD or '?'. */
static void
invalid_utf8(void **state)
{
	(void)state;
	for (int ascii = 0; ascii <= 1; ascii++) {
		expect(S("a\xff" "b"), -1, ascii, "a\\xFFb", 6);
		/* Overlong, surrogate, truncated, above U+10FFFF. */
		expect(S("\xc0\xaf"), -1, ascii, "\\xC0\\xAF", 8);
		expect(S("\xed\xa0\x80"), -1, ascii, "\\xED\\xA0\\x80", 12);
		expect(S("\xe2\x82"), -1, ascii, "\\xE2\\x82", 8);
		expect(S("\xf4\x90\x80\x80"), -1, ascii,
		       "\\xF4\\x90\\x80\\x80", 16);
		expect(S("\xf0\x9f\x98z"), -1, ascii, "\\xF0\\x9F\\x98z", 13);
		/* A literal U+FFFD or '?' is not an invalid byte. */
		expect(S("?"), -1, ascii, "?", 1);
	}
	expect(S("\xef\xbf\xbd"), -1, 0, "\xef\xbf\xbd", 1);
	expect(S("\xef\xbf\xbd"), -1, 1, "\\u{FFFD}", 8);
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

/* Text shapes for the every-width tests: 1 to 4 byte sequences, invalid
 * and truncated ones, wide, zero-width and combining characters, escapes
 * and the marks safe text draws itself. */
static const char *const shapes[] = {
	"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe4\xb8\xad",
	"\xff", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xcc\x81",
	"x\xcc\x81\xcc\x81\xcc\x81", "a\xcc\x81\xcc\x81\xcc\x81\xcc\x81",
	"\xe2\x80\x8b", " ", "_", "\xe2\x90\xa3", "\\", "\n", "\x1b", "~",
	"\xe2\x80\xa6", "?", "\xef\xbf\xbd", "\\xFF", "\xe4\xb8\xad\xcc\x81",
};
#define N_SHAPES (sizeof shapes / sizeof shapes[0])

/* s repeated to at least n bytes, into buf. */
static size_t
repeat(const char *s, size_t n, char *buf, size_t cap)
{
	size_t len = 0, k = strlen(s);

	while (len < n && len + k < cap) {
		memcpy(buf + len, s, k);
		len += k;
	}
	return len;
}

/* Cut to every width: never wider than asked, the cut form a prefix of
 * the whole form followed by the ellipsis, and no room wasted beyond one
 * piece (at most 10 columns, "\u{10FFFF}"). */
static void
check_head(const char *in, size_t len, int ascii)
{
	static char whole[4096];
	const char *ell = ascii ? "~" : "\xe2\x80\xa6";
	int full = tv_safe_text(in, len, whole, sizeof whole, -1, ascii);

	for (int maxw = 0; maxw <= full + 2; maxw++) {
		int w = safe(in, len, maxw, ascii);
		size_t n = strlen(out), el = strlen(ell);

		assert_true(w <= maxw);
		if (full <= maxw) {
			assert_string_equal(out, whole);
			continue;
		}
		assert_true(w >= maxw - 10);
		if (maxw == 0) {
			assert_string_equal(out, "");
			continue;
		}
		assert_true(n >= el);
		assert_memory_equal(out + n - el, ell, el);
		assert_memory_equal(out, whole, n - el);
	}
}

/* The same from the front: the ellipsis, then a suffix of the whole
 * form, and a mark never without its base character. */
static void
check_tail(const char *in, size_t len, int ascii)
{
	static char whole[4096];
	const char *ell = ascii ? "~" : "\xe2\x80\xa6";
	int full = tv_safe_text(in, len, whole, sizeof whole, -1, ascii);
	size_t wl = strlen(whole), el = strlen(ell);

	for (int maxw = 0; maxw <= full + 2; maxw++) {
		int w = tv_safe_tail(in, len, out, sizeof out, maxw, ascii);
		size_t n = strlen(out);
		uint32_t cp;

		assert_int_equal(w, text_width(out));
		assert_true(w <= maxw);
		if (full <= maxw) {
			assert_string_equal(out, whole);
			continue;
		}
		if (maxw == 0) {
			assert_string_equal(out, "");
			continue;
		}
		assert_true(w >= maxw - 10);
		assert_memory_equal(out, ell, el);
		assert_true(n - el <= wl);
		assert_memory_equal(out + el, whole + wl - (n - el), n - el);
		if (n > el) {
			tv_utf8_scalar((const unsigned char *)out + el, n - el,
				       &cp);
			assert_true(tv_cp_width(cp) > 0);
		}
	}
}

static void
every_width_every_shape(void **state)
{
	char in[256];
	size_t len;

	(void)state;
	for (size_t i = 0; i < N_SHAPES; i++) {
		for (int ascii = 0; ascii <= 1; ascii++) {
			len = repeat(shapes[i], 40, in, sizeof in);
			check_head(in, len, ascii);
			check_tail(in, len, ascii);
			/* Each shape next to every other. */
			for (size_t j = 0; j < N_SHAPES; j++) {
				len = (size_t)snprintf(in, sizeof in,
						       "%s%s%s%s", shapes[i],
						       shapes[j], shapes[i],
						       shapes[j]);
				check_head(in, len, ascii);
				check_tail(in, len, ascii);
			}
		}
	}
}

/* The freeze of issue 12: a run of two-byte characters, cut from the
 * front at every width. */
static void
tail_of_accents(void **state)
{
	char in[512];
	size_t len = repeat("\xc3\xa9", 400, in, sizeof in);

	(void)state;
	for (int maxw = 0; maxw <= 210; maxw++) {
		int w = tv_safe_tail(in, len, out, sizeof out, maxw, 0);

		assert_int_equal(w, maxw < 200 ? maxw : 200);
	}
	/* A small buffer limits the tail too. */
	{
		char b[8];

		assert_int_equal(tv_safe_tail(in, len, b, sizeof b, 50, 0), 3);
		assert_string_equal(b, "\xe2\x80\xa6\xc3\xa9\xc3\xa9");
		assert_int_equal(tv_safe_tail(in, len, b, 3, 50, 0), 0);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Two different tokens are never drawn the same, in either tier: every
 * token of up to three shapes, display forms sorted, no neighbours
 * equal. */
static void
injective(void **state)
{
	size_t n = N_SHAPES, max = (n + 1) * (n + 1) * (n + 1), k;
	char **disp = calloc(max, sizeof *disp);

	(void)state;
	assert_non_null(disp);
	for (int ascii = 0; ascii <= 1; ascii++) {
		k = 0;
		for (size_t t = 0; t < max; t++) {
			char in[64] = "";
			size_t r = t;

			/* t as up to three digits in base n + 1, 0 = none. */
			for (int d = 0; d < 3; d++, r /= n + 1)
				if (r % (n + 1))
					strcat(in, shapes[r % (n + 1) - 1]);
			tv_safe_text(in, strlen(in), out, sizeof out, -1, ascii);
			/* The source goes after a NUL, to name a collision. */
			disp[k] = malloc(strlen(out) + strlen(in) + 2);
			assert_non_null(disp[k]);
			strcpy(disp[k], out);
			strcpy(disp[k] + strlen(out) + 1, in);
			k++;
		}
		qsort(disp, k, sizeof *disp, cmp_str);
		for (size_t i = 1; i < k; i++) {
			const char *a = disp[i - 1], *b = disp[i];

			if (strcmp(a, b) == 0 &&
			    strcmp(a + strlen(a) + 1, b + strlen(b) + 1) != 0)
				fail_msg("\"%s\" and \"%s\" both draw as \"%s\"",
					 a + strlen(a) + 1, b + strlen(b) + 1,
					 a);
		}
		for (size_t i = 0; i < k; i++)
			free(disp[i]);
	}
	free(disp);
}

/* The one width table agrees with the C library's wcwidth() on every
 * code point the library can draw (both follow Unicode 15 here). */
static void
width_table(void **state)
{
	(void)state;
	assert_int_equal(tv_cp_width('a'), 1);
	assert_int_equal(tv_cp_width(0x301), 0);
	assert_int_equal(tv_cp_width(0x4E2D), 2);
	assert_int_equal(tv_cp_width(0x1F600), 2);
	assert_int_equal(tv_cp_width(0x1B), -1);
	assert_int_equal(tv_cp_width(0x9B), -1);
	assert_int_equal(tv_cp_width(0xD800), -1);
	assert_int_equal(tv_cp_width(0xFFFF), -1);
	assert_int_equal(tv_cp_width(0x110000), -1);
	assert_int_equal(tv_cp_width(0xE0100), 0);
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		skip();
	for (uint32_t cp = 1; cp < 0x110000; cp++) {
		int lw = wcwidth((wchar_t)cp);

		if (lw >= 0 && tv_cp_width(cp) != lw)
			fail_msg("U+%04X: %d columns, wcwidth says %d",
				 (unsigned)cp, tv_cp_width(cp), lw);
	}
}

/* An empty token shows as "\(empty)" at every width, cut to fit, and
 * a token spelling that text shows otherwise; any other token shows as
 * tv_safe_text shows it. */
static void
empty_token(void **state)
{
	static const char lit[] = "\\(empty)";
	char ref[64];

	(void)state;
	for (int w = -1; w <= 10; w++) {
		size_t want = w < 0 || w >= 8 ? 8 : (size_t)w;
		int used = tv_safe_token("", 0, out, sizeof out, w, w & 1);

		assert_int_equal(used, (int)want);
		assert_int_equal(strlen(out), want);
		assert_memory_equal(out, "\\(empty)", want);
		assert_int_equal(text_width(out), used);
	}
	assert_int_equal(tv_safe_token("", 0, out, 4, -1, 0), 3);
	assert_string_equal(out, "\\(e");
	assert_int_equal(tv_safe_token("", 0, out, 0, -1, 0), 0);
	tv_safe_token(lit, sizeof lit - 1, out, sizeof out, -1, 0);
	assert_string_equal(out, "\\\\(empty)");
	tv_safe_token(" a\n", 3, out, sizeof out, 12, 0);
	tv_safe_text(" a\n", 3, ref, sizeof ref, 12, 0);
	assert_string_equal(out, ref);
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
		cmocka_unit_test(every_width_every_shape),
		cmocka_unit_test(tail_of_accents),
		cmocka_unit_test(injective),
		cmocka_unit_test(width_table),
		cmocka_unit_test(empty_token),
	};

	return cmocka_run_group_tests_name("safetext", tests, NULL, NULL);
}
