/* SPDX-License-Identifier: MIT */
/*
 * The key decoder on the sequences xterm, rxvt, the Linux console, screen
 * and tmux send: each is one key, or nothing at all, never its tail read
 * as characters. Every sequence is fed alone, then between two plain
 * keys, then split from its Esc by a timeout of the rest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ui/keyseq.h"
#include "ui/term.h"

/* Feed s (bytes, ESC as \033); collect the keys, up to cap. A final open
 * sequence is closed by a timeout. */
static int
decode(const char *s, int *out, int cap)
{
	struct tv_keyseq ks;
	int n = 0, k;

	tv_keyseq_init(&ks);
	for (; *s; s++) {
		k = tv_keyseq_feed(&ks, (unsigned char)*s);
		if (k != TV_KEY_NONE && n < cap)
			out[n++] = k;
		while ((k = tv_keyseq_next(&ks)) != TV_KEY_NONE && n < cap)
			out[n++] = k;
	}
	if (tv_keyseq_pending(&ks) &&
	    (k = tv_keyseq_timeout(&ks)) != TV_KEY_NONE && n < cap)
		out[n++] = k;
	assert_false(tv_keyseq_pending(&ks));
	return n;
}

struct seq {
	const char *bytes;
	int key;                /* TV_KEY_NONE: dropped whole */
	const char *who;
};

static const struct seq seqs[] = {
	/* xterm, xterm-256color, tmux-256color: normal and application
	 * cursor mode, and the modified forms. */
	{ "\033[A", TV_KEY_UP, "xterm" },
	{ "\033[B", TV_KEY_DOWN, "xterm" },
	{ "\033[C", TV_KEY_RIGHT, "xterm" },
	{ "\033[D", TV_KEY_LEFT, "xterm" },
	{ "\033OA", TV_KEY_UP, "xterm app" },
	{ "\033OB", TV_KEY_DOWN, "xterm app" },
	{ "\033OC", TV_KEY_RIGHT, "xterm app" },
	{ "\033OD", TV_KEY_LEFT, "xterm app" },
	{ "\033[H", TV_KEY_HOME, "xterm" },
	{ "\033[F", TV_KEY_END, "xterm" },
	{ "\033OH", TV_KEY_HOME, "xterm app" },
	{ "\033OF", TV_KEY_END, "xterm app" },
	{ "\033[1;2A", TV_KEY_SUP, "xterm Shift" },
	{ "\033[1;2B", TV_KEY_SDOWN, "xterm Shift" },
	{ "\033[1;2C", TV_KEY_SRIGHT, "xterm Shift" },
	{ "\033[1;2D", TV_KEY_SLEFT, "xterm Shift" },
	{ "\033[2C", TV_KEY_SRIGHT, "old xterm Shift" },
	{ "\033O2D", TV_KEY_SLEFT, "konsole Shift" },
	{ "\033[1;5C", TV_KEY_NONE, "xterm Ctrl" },
	{ "\033[1;5D", TV_KEY_NONE, "xterm Ctrl" },
	{ "\033[1;3A", TV_KEY_NONE, "xterm Alt" },
	{ "\033[1;6B", TV_KEY_NONE, "xterm Ctrl-Shift" },
	{ "\033[1;9C", TV_KEY_NONE, "xterm Meta" },
	{ "\033[1;5H", TV_KEY_NONE, "xterm Ctrl-Home" },
	{ "\033[1;2F", TV_KEY_NONE, "xterm Shift-End" },
	{ "\033[Z", TV_KEY_BTAB, "xterm Shift-Tab" },
	{ "\033[2~", TV_KEY_INSERT, "vt220" },
	{ "\033[3~", TV_KEY_DELETE, "vt220" },
	{ "\033[5~", TV_KEY_PGUP, "vt220" },
	{ "\033[6~", TV_KEY_PGDN, "vt220" },
	{ "\033[3;5~", TV_KEY_NONE, "xterm Ctrl-Delete" },
	{ "\033[5;2~", TV_KEY_NONE, "xterm Shift-PgUp" },
	{ "\033[6;1~", TV_KEY_PGDN, "xterm PgDn, no modifier" },
	{ "\033OP", TV_KEY_F(1), "xterm" },
	{ "\033OQ", TV_KEY_F(2), "xterm" },
	{ "\033OR", TV_KEY_F(3), "xterm" },
	{ "\033OS", TV_KEY_F(4), "xterm" },
	{ "\033[1;2P", TV_KEY_NONE, "xterm Shift-F1" },
	{ "\033[1;5S", TV_KEY_NONE, "xterm Ctrl-F4" },
	{ "\033[15~", TV_KEY_F(5), "xterm" },
	{ "\033[17~", TV_KEY_F(6), "xterm" },
	{ "\033[18~", TV_KEY_F(7), "xterm" },
	{ "\033[19~", TV_KEY_F(8), "xterm" },
	{ "\033[20~", TV_KEY_F(9), "xterm" },
	{ "\033[21~", TV_KEY_F(10), "xterm" },
	{ "\033[23~", TV_KEY_F(11), "xterm" },
	{ "\033[24~", TV_KEY_F(12), "xterm" },
	{ "\033[15;2~", TV_KEY_NONE, "xterm Shift-F5" },
	{ "\033[24;5~", TV_KEY_NONE, "xterm Ctrl-F12" },
	/* screen, tmux, the Linux console: Home and End as vt220 keys. */
	{ "\033[1~", TV_KEY_HOME, "screen, tmux, linux" },
	{ "\033[4~", TV_KEY_END, "screen, tmux, linux" },
	{ "\033[1;5~", TV_KEY_NONE, "tmux Ctrl-Home" },
	/* rxvt. */
	{ "\033[7~", TV_KEY_HOME, "rxvt" },
	{ "\033[8~", TV_KEY_END, "rxvt" },
	{ "\033[11~", TV_KEY_F(1), "rxvt" },
	{ "\033[12~", TV_KEY_F(2), "rxvt" },
	{ "\033[13~", TV_KEY_F(3), "rxvt" },
	{ "\033[14~", TV_KEY_F(4), "rxvt" },
	{ "\033[a", TV_KEY_SUP, "rxvt Shift" },
	{ "\033[b", TV_KEY_SDOWN, "rxvt Shift" },
	{ "\033[c", TV_KEY_SRIGHT, "rxvt Shift" },
	{ "\033[d", TV_KEY_SLEFT, "rxvt Shift" },
	{ "\033Oa", TV_KEY_NONE, "rxvt Ctrl-Up" },
	{ "\033Od", TV_KEY_NONE, "rxvt Ctrl-Left" },
	{ "\033[5$", TV_KEY_NONE, "rxvt Shift-PgUp" },
	{ "\033[7^", TV_KEY_NONE, "rxvt Ctrl-Home" },
	{ "\033[8@", TV_KEY_NONE, "rxvt Ctrl-Shift-End" },
	{ "\033[25~", TV_KEY_NONE, "rxvt Shift-F3" },
	{ "\033[34~", TV_KEY_NONE, "rxvt Shift-F10" },
	/* The Linux console. */
	{ "\033[[A", TV_KEY_F(1), "linux" },
	{ "\033[[B", TV_KEY_F(2), "linux" },
	{ "\033[[C", TV_KEY_F(3), "linux" },
	{ "\033[[D", TV_KEY_F(4), "linux" },
	{ "\033[[E", TV_KEY_F(5), "linux" },
	{ "\033[[Z", TV_KEY_NONE, "linux, unknown" },
	/* The keypad in application mode. */
	{ "\033Op", '0', "keypad" },
	{ "\033Oq", '1', "keypad" },
	{ "\033Oy", '9', "keypad" },
	{ "\033On", '.', "keypad" },
	{ "\033Ok", '+', "keypad" },
	{ "\033Om", '-', "keypad" },
	{ "\033OM", TV_KEY_ENTER, "keypad" },
	{ "\033OX", '=', "keypad" },
	/* Not keys: reports, paste marks, mouse, unknown finals. */
	{ "\033[200~", TV_KEY_NONE, "bracketed paste" },
	{ "\033[201~", TV_KEY_NONE, "bracketed paste" },
	{ "\033[<0;10;5M", TV_KEY_NONE, "SGR mouse" },
	{ "\033[M !!", TV_KEY_NONE, "X10 mouse" },
	{ "\033[?1;2c", TV_KEY_NONE, "device attributes" },
	{ "\033[12;40R", TV_KEY_NONE, "cursor report" },
	{ "\033[I", TV_KEY_NONE, "focus in" },
	{ "\033[O", TV_KEY_NONE, "focus out" },
	{ "\033[E", TV_KEY_NONE, "keypad 5" },
	{ "\033OE", TV_KEY_NONE, "keypad 5" },
	{ "\033[99~", TV_KEY_NONE, "unknown number" },
	{ "\033[1;2;3;4;5;6;7;8;9;10A", TV_KEY_NONE, "too long" },
	{ "\033[99999999999~", TV_KEY_NONE, "huge number" },
	{ "\033[1 q", TV_KEY_NONE, "intermediate byte" },
	/* Strings a terminal sends in reply to a query, after its timeout:
	 * dropped to their end, so their digits never type a value. */
	{ "\033]11;rgb:ffff/ffff/ffff\a", TV_KEY_NONE, "OSC 11 reply, BEL" },
	{ "\033]11;rgb:1c1c/1c1c/1c1c\033\\", TV_KEY_NONE, "OSC 11 reply, ST" },
	{ "\033P1$r0m\033\\", TV_KEY_NONE, "DCS reply" },
	{ "\033_Gi=1;OK\033\\", TV_KEY_NONE, "APC reply" },
	{ "\033^note\033\\", TV_KEY_NONE, "PM" },
	{ "\033Xsos\033\\", TV_KEY_NONE, "SOS" },
	{ "\x9d" "11;rgb:0/0/0\x9c", TV_KEY_NONE, "C1 OSC and ST" },
};

static void
test_each_sequence_alone(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof seqs / sizeof *seqs; i++) {
		int out[8], n = decode(seqs[i].bytes, out, 8);
		int want = seqs[i].key != TV_KEY_NONE;

		if (n != want || (want && out[0] != seqs[i].key))
			fail_msg("%s (%s): %d keys, first %d, want %d",
				 seqs[i].bytes + 1, seqs[i].who, n,
				 n ? out[0] : -1, seqs[i].key);
	}
}

/* Between plain keys, a sequence leaves them as they were: nothing of it
 * leaks, nothing of theirs is eaten. */
static void
test_each_sequence_between_keys(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof seqs / sizeof *seqs; i++) {
		char buf[64];
		int out[8], n, want, j = 0;

		snprintf(buf, sizeof buf, "x%sy", seqs[i].bytes);
		n = decode(buf, out, 8);
		want = seqs[i].key != TV_KEY_NONE;
		assert_int_equal(n, 2 + want);
		assert_int_equal(out[j++], 'x');
		if (want)
			assert_int_equal(out[j++], seqs[i].key);
		if (out[j] != 'y')
			fail_msg("%s (%s): the key after it is %d",
				 seqs[i].bytes + 1, seqs[i].who, out[j]);
	}
}

/* A string cut short by a new sequence gives way to it. */
static void
test_string_then_key(void **state)
{
	int out[4];

	(void)state;
	assert_int_equal(decode("\033]11;rgb\033[A", out, 4), 1);
	assert_int_equal(out[0], TV_KEY_UP);
	assert_int_equal(decode("\033]11;rgb\033\\x", out, 4), 1);
	assert_int_equal(out[0], 'x');
}

/* Two sequences back to back are two keys. */
static void
test_sequences_back_to_back(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i + 1 < sizeof seqs / sizeof *seqs; i++) {
		char buf[96];
		int out[8], n, want;

		snprintf(buf, sizeof buf, "%s%s", seqs[i].bytes,
			 seqs[i + 1].bytes);
		n = decode(buf, out, 8);
		want = (seqs[i].key != TV_KEY_NONE) +
		       (seqs[i + 1].key != TV_KEY_NONE);
		if (n != want)
			fail_msg("%s then %s: %d keys, want %d",
				 seqs[i].bytes + 1, seqs[i + 1].bytes + 1, n,
				 want);
	}
}

static void
test_lone_esc_and_esc_then_key(void **state)
{
	int out[8];

	(void)state;
	assert_int_equal(decode("\033", out, 8), 1);
	assert_int_equal(out[0], TV_KEY_ESC);
	/* Esc, then q in the same read (tmux's send-keys Escape q): two
	 * keys, as curses gives them. */
	assert_int_equal(decode("\033q", out, 8), 2);
	assert_int_equal(out[0], TV_KEY_ESC);
	assert_int_equal(out[1], 'q');
	assert_int_equal(decode("\033\033", out, 8), 2);
	assert_int_equal(out[0], TV_KEY_ESC);
	assert_int_equal(out[1], TV_KEY_ESC);
	assert_int_equal(decode("\033\033[A", out, 8), 2);
	assert_int_equal(out[0], TV_KEY_ESC);
	assert_int_equal(out[1], TV_KEY_UP);
	/* A sequence cut short by the timeout is dropped, not typed. */
	assert_int_equal(decode("\033[1", out, 8), 0);
	assert_int_equal(decode("\033[", out, 8), 0);
	assert_int_equal(decode("\033O", out, 8), 0);
	assert_int_equal(decode("\033[[", out, 8), 0);
	/* A control character inside breaks the sequence: it is dropped and
	 * the character read as itself. */
	assert_int_equal(decode("\033[1\r", out, 8), 1);
	assert_int_equal(out[0], TV_KEY_ENTER);
	assert_int_equal(decode("\033[1\033[4~", out, 8), 1);
	assert_int_equal(out[0], TV_KEY_END);
}

static void
test_waits(void **state)
{
	struct tv_keyseq ks;

	(void)state;
	tv_keyseq_init(&ks);
	assert_false(tv_keyseq_pending(&ks));
	assert_int_equal(tv_keyseq_feed(&ks, 0x1b), TV_KEY_NONE);
	assert_true(tv_keyseq_pending(&ks));
	assert_int_equal(tv_keyseq_wait_ms(&ks), TV_KEYSEQ_ESC_MS);
	assert_int_equal(tv_keyseq_feed(&ks, '['), TV_KEY_NONE);
	assert_int_equal(tv_keyseq_wait_ms(&ks), TV_KEYSEQ_SEQ_MS);
	assert_true(TV_KEYSEQ_ESC_MS >= 25 && TV_KEYSEQ_ESC_MS <= 50);
	assert_int_equal(tv_keyseq_timeout(&ks), TV_KEY_NONE);
	assert_false(tv_keyseq_pending(&ks));
}

/* Code points from curses in a UTF-8 locale: 8-bit CSI and SS3, text. */
static void
test_code_points(void **state)
{
	struct tv_keyseq ks;

	(void)state;
	tv_keyseq_init(&ks);
	assert_int_equal(tv_keyseq_feed(&ks, 0x9b), TV_KEY_NONE);
	assert_int_equal(tv_keyseq_feed(&ks, 'D'), TV_KEY_LEFT);
	assert_int_equal(tv_keyseq_feed(&ks, 0x8f), TV_KEY_NONE);
	assert_int_equal(tv_keyseq_feed(&ks, 'P'), TV_KEY_F(1));
	assert_int_equal(tv_keyseq_feed(&ks, 0xe9), 0xe9);
	assert_int_equal(tv_keyseq_feed(&ks, '\t'), TV_KEY_TAB);
	assert_int_equal(tv_keyseq_feed(&ks, '\n'), TV_KEY_ENTER);
	assert_int_equal(tv_keyseq_feed(&ks, '\r'), TV_KEY_ENTER);
	assert_int_equal(tv_keyseq_feed(&ks, 127), TV_KEY_BACKSPACE);
	assert_int_equal(tv_keyseq_feed(&ks, 8), TV_KEY_BACKSPACE);
	assert_int_equal(tv_keyseq_feed(&ks, 12), TV_KEY_CTRL('l'));
	assert_int_equal(tv_keyseq_feed(&ks, 0), TV_KEY_NONE);
	assert_int_equal(tv_keyseq_feed(&ks, 0x1b), TV_KEY_NONE);
	assert_int_equal(tv_keyseq_feed(&ks, 0xe9), TV_KEY_ESC);
	assert_int_equal(tv_keyseq_next(&ks), 0xe9);
	assert_int_equal(tv_keyseq_next(&ks), TV_KEY_NONE);
}

/* Every string of three characters from the alphabet of sequences,
 * after an Esc: the decoder always comes back to rest (decode checks),
 * and what comes out is a key or a character of the string, nothing
 * else. */
static void
test_every_short_string(void **state)
{
	static const char alpha[] = "\033[O;0159~$^@ACHPZa[M<q\r";
	size_t na = sizeof alpha - 1, i, j, k;

	(void)state;
	for (i = 0; i < na; i++)
		for (j = 0; j < na; j++)
			for (k = 0; k < na; k++) {
				char buf[8] = { '\033', alpha[i], alpha[j],
						alpha[k], 0 };
				int out[8], n = decode(buf, out, 8), m;

				for (m = 0; m < n; m++)
					assert_true((out[m] >= TV_KEY_BASE &&
						     out[m] < TV_KEY__END) ||
						    strchr(alpha, out[m]));
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_sequence_alone),
		cmocka_unit_test(test_each_sequence_between_keys),
		cmocka_unit_test(test_sequences_back_to_back),
		cmocka_unit_test(test_string_then_key),
		cmocka_unit_test(test_lone_esc_and_esc_then_key),
		cmocka_unit_test(test_waits),
		cmocka_unit_test(test_code_points),
		cmocka_unit_test(test_every_short_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
