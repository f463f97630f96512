/* SPDX-License-Identifier: MIT */
/*
 * The escape sequences of the keys, as terminals send them:
 *
 *   CSI n ~           Home 1 7, Insert 2, Delete 3, End 4 8, PgUp 5,
 *                     PgDn 6, F1-F5 11-15, F6-F10 17-21, F11 23, F12 24
 *                     (7, 8: rxvt; 11-15: rxvt and vt220 forms)
 *   CSI n ; m ~       the same with xterm's modifier m = 1 + bits
 *                     (1 Shift, 2 Alt, 4 Ctrl, 8 Meta)
 *   CSI n $ ^ @       rxvt's Shift, Ctrl and Ctrl-Shift forms
 *   CSI [1;m] A-D     arrows; H Home, F End, Z Shift-Tab, P-S F1-F4
 *   SS3 A-D H F P-S   the same in application mode (and screen's F1-F4)
 *   CSI a-d           rxvt's shifted arrows; SS3 a-d its Ctrl arrows
 *   CSI [ A-E         the Linux console's F1-F5
 *   SS3 j-y, M, X     the keypad in application mode
 *   CSI M b x y       an X10 mouse report (three raw bytes follow)
 *   OSC, DCS, APC, PM, SOS strings (ESC ] P _ ^ X, or their C1 bytes) up
 *                     to BEL or ST: a terminal's late reply to a query
 *                     (the background colour) is dropped, not typed
 *
 * A modifier other than Shift, or Shift where no shifted key exists, is
 * dropped with its key: tempviz binds none of them, and an Alt-Up must
 * not pass for an Up.
 */
#include "ui/keyseq.h"

#include <string.h>

#include "ui/term.h"

enum {
	GROUND,
	ESCAPE,                 /* after ESC */
	CSI,                    /* after ESC [ */
	CSI_LINUX,              /* after ESC [ [ */
	SS3,                    /* after ESC O */
	MOUSE,                  /* after CSI M: raw bytes */
	STRING,                 /* inside an OSC, DCS, APC, PM or SOS */
	STRING_ESC,             /* ESC inside one: ST if '\\' follows */
};

#define ESC 0x1b
#define MOD_SHIFT 1

void
tv_keyseq_init(struct tv_keyseq *ks)
{
	memset(ks, 0, sizeof *ks);
	ks->state = GROUND;
	ks->queued = TV_KEY_NONE;
}

static void
reset(struct tv_keyseq *ks)
{
	ks->state = GROUND;
	ks->n = 0;
	ks->overflow = 0;
}

/* A character outside any sequence. */
static int
plain(uint32_t c)
{
	switch (c) {
	case 0:
		return TV_KEY_NONE;
	case '\n':
	case '\r':
		return TV_KEY_ENTER;
	case '\t':
		return TV_KEY_TAB;
	case 8:
	case 127:
		return TV_KEY_BACKSPACE;
	default:
		return (int)c;
	}
}

/* The n-th numeric parameter (0-based), or dflt when it is missing. */
static int
param(const struct tv_keyseq *ks, int n, int dflt)
{
	int i = 0, v = -1, k;

	for (k = 0; k < ks->n; k++) {
		char c = ks->buf[k];

		if (c == ';') {
			if (i == n)
				break;
			i++;
			v = -1;
		} else if (i == n && c >= '0' && c <= '9') {
			v = (v < 0 ? 0 : v * 10) + (c - '0');
			if (v > 9999)
				return -1;
		}
	}
	return i == n && v >= 0 ? v : dflt;
}

/* Only digits and ';': the parameters of a key, not of a report (a
 * private marker such as '<' or '?' starts a mouse or mode report). */
static int
key_params(const struct tv_keyseq *ks)
{
	int k;

	if (ks->overflow)
		return 0;
	for (k = 0; k < ks->n; k++)
		if (!((ks->buf[k] >= '0' && ks->buf[k] <= '9') ||
		      ks->buf[k] == ';'))
			return 0;
	return 1;
}

static int
shifted(int key)
{
	switch (key) {
	case TV_KEY_UP: return TV_KEY_SUP;
	case TV_KEY_DOWN: return TV_KEY_SDOWN;
	case TV_KEY_LEFT: return TV_KEY_SLEFT;
	case TV_KEY_RIGHT: return TV_KEY_SRIGHT;
	case TV_KEY_TAB: return TV_KEY_BTAB;
	default: return TV_KEY_NONE;
	}
}

/* key with modifier bits: plain, shifted, or dropped. */
static int
with_mods(int key, int mods)
{
	if (key == TV_KEY_NONE || mods == 0)
		return key;
	if (mods == MOD_SHIFT)
		return shifted(key);
	return TV_KEY_NONE;
}

/* Modifier bits from xterm's parameter m = 1 + bits; 0 when absent. */
static int
xterm_mods(int m)
{
	return m > 1 && m <= 16 ? m - 1 : m <= 1 ? 0 : -1;
}

static int
tilde_key(int n)
{
	static const int keys[] = {
		[1] = TV_KEY_HOME, [2] = TV_KEY_INSERT, [3] = TV_KEY_DELETE,
		[4] = TV_KEY_END, [5] = TV_KEY_PGUP, [6] = TV_KEY_PGDN,
		[7] = TV_KEY_HOME, [8] = TV_KEY_END,
		[11] = TV_KEY_F(1), [12] = TV_KEY_F(2), [13] = TV_KEY_F(3),
		[14] = TV_KEY_F(4), [15] = TV_KEY_F(5), [17] = TV_KEY_F(6),
		[18] = TV_KEY_F(7), [19] = TV_KEY_F(8), [20] = TV_KEY_F(9),
		[21] = TV_KEY_F(10), [23] = TV_KEY_F(11), [24] = TV_KEY_F(12),
	};

	if (n < 0 || n >= (int)(sizeof keys / sizeof *keys) || !keys[n])
		return TV_KEY_NONE;
	return keys[n];
}

/* The final letter shared by CSI and SS3: arrows, Home, End, F1-F4. */
static int
letter_key(uint32_t f)
{
	switch (f) {
	case 'A': return TV_KEY_UP;
	case 'B': return TV_KEY_DOWN;
	case 'C': return TV_KEY_RIGHT;
	case 'D': return TV_KEY_LEFT;
	case 'H': return TV_KEY_HOME;
	case 'F': return TV_KEY_END;
	case 'P': return TV_KEY_F(1);
	case 'Q': return TV_KEY_F(2);
	case 'R': return TV_KEY_F(3);
	case 'S': return TV_KEY_F(4);
	default: return TV_KEY_NONE;
	}
}

/* The modifier of a letter form: "1;5" (xterm) or a lone "5" (older
 * xterm and konsole). */
static int
letter_mods(const struct tv_keyseq *ks)
{
	int first = param(ks, 0, 1), m = param(ks, 1, -1);

	if (m < 0)
		m = first;
	else if (first != 1)
		return -1;
	return xterm_mods(m);
}

static int
csi_final(struct tv_keyseq *ks, uint32_t f)
{
	int mods;

	if (f == 'M' && ks->n == 0) {
		ks->state = MOUSE;
		ks->mouse_left = 3;
		return TV_KEY_NONE;
	}
	if (f == '[' && ks->n == 0) {
		ks->state = CSI_LINUX;
		return TV_KEY_NONE;
	}
	if (!key_params(ks))
		return TV_KEY_NONE;
	switch (f) {
	case '~':
		mods = xterm_mods(param(ks, 1, 1));
		return mods < 0 ? TV_KEY_NONE
			: with_mods(tilde_key(param(ks, 0, -1)), mods);
	case '$':
		return with_mods(tilde_key(param(ks, 0, -1)), MOD_SHIFT);
	case '^':
	case '@':
		return TV_KEY_NONE;
	case 'Z':
		return ks->n == 0 ? TV_KEY_BTAB : TV_KEY_NONE;
	case 'a': case 'b': case 'c': case 'd':
		return ks->n == 0 ? with_mods(letter_key(f - 'a' + 'A'),
					      MOD_SHIFT) : TV_KEY_NONE;
	default:
		mods = letter_mods(ks);
		return mods < 0 ? TV_KEY_NONE : with_mods(letter_key(f), mods);
	}
}

/* SS3's keypad in application mode: the characters its keys stand for. */
static int
keypad_key(uint32_t f)
{
	static const char pad[] = "*+,-./0123456789";

	if (f >= 'j' && f <= 'y')
		return pad[f - 'j'];
	if (f == 'M')
		return TV_KEY_ENTER;
	if (f == 'X')
		return '=';
	return TV_KEY_NONE;
}

static int
ss3_final(const struct tv_keyseq *ks, uint32_t f)
{
	int mods, k;

	if (!key_params(ks))
		return TV_KEY_NONE;
	mods = letter_mods(ks);
	if (mods < 0)
		return TV_KEY_NONE;
	k = letter_key(f);
	if (k == TV_KEY_NONE && ks->n == 0)
		k = keypad_key(f);
	return with_mods(k, mods);
}

static void
collect(struct tv_keyseq *ks, uint32_t c)
{
	if (ks->n < TV_KEYSEQ_MAX)
		ks->buf[ks->n++] = (char)c;
	else
		ks->overflow = 1;
}

static int ground(struct tv_keyseq *ks, uint32_t c);

/* A character that cannot be inside a sequence ends it: the sequence is
 * dropped and the character read afresh (an Esc starts the next one). */
static int
broken(struct tv_keyseq *ks, uint32_t c)
{
	reset(ks);
	return ground(ks, c);
}

static int
escape(struct tv_keyseq *ks, uint32_t c)
{
	reset(ks);
	if (c == '[') {
		ks->state = CSI;
		return TV_KEY_NONE;
	}
	if (c == 'O') {
		ks->state = SS3;
		return TV_KEY_NONE;
	}
	if (c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X') {
		ks->state = STRING;
		return TV_KEY_NONE;
	}
	/* Esc then another character, arriving together: the Esc key, then
	 * that character (as ncurses does; Alt-x reads as Esc, x). */
	ks->queued = ground(ks, c);
	return TV_KEY_ESC;
}

static int
in_csi(struct tv_keyseq *ks, uint32_t c)
{
	int k;

	if (c >= 0x20 && c <= 0x3f && c != '$') {
		collect(ks, c);
		return TV_KEY_NONE;
	}
	if (c == '$' || (c >= 0x40 && c <= 0x7e)) {
		k = csi_final(ks, c);
		if (ks->state == CSI)
			reset(ks);
		return k;
	}
	return broken(ks, c);
}

static int
in_ss3(struct tv_keyseq *ks, uint32_t c)
{
	int k;

	if ((c >= '0' && c <= '9') || c == ';') {
		collect(ks, c);
		return TV_KEY_NONE;
	}
	if (c >= 0x40 && c <= 0x7e) {
		k = ss3_final(ks, c);
		reset(ks);
		return k;
	}
	return broken(ks, c);
}

static int
ground(struct tv_keyseq *ks, uint32_t c)
{
	switch (c) {
	case ESC:
		ks->state = ESCAPE;
		return TV_KEY_NONE;
	case 0x9b:
		ks->state = CSI;
		return TV_KEY_NONE;
	case 0x8f:
		ks->state = SS3;
		return TV_KEY_NONE;
	case 0x90: case 0x98: case 0x9d: case 0x9e: case 0x9f:
		ks->state = STRING;
		return TV_KEY_NONE;
	default:
		return plain(c);
	}
}

int
tv_keyseq_feed(struct tv_keyseq *ks, uint32_t c)
{
	switch (ks->state) {
	case ESCAPE:
		return escape(ks, c);
	case CSI:
		return in_csi(ks, c);
	case CSI_LINUX:
		reset(ks);
		return c >= 'A' && c <= 'E' ? TV_KEY_F((int)(c - 'A') + 1)
			: TV_KEY_NONE;
	case SS3:
		return in_ss3(ks, c);
	case MOUSE:
		if (--ks->mouse_left <= 0)
			reset(ks);
		return TV_KEY_NONE;
	case STRING:
		if (c == 0x07 || c == 0x9c)
			reset(ks);
		else if (c == ESC)
			ks->state = STRING_ESC;
		return TV_KEY_NONE;
	case STRING_ESC:
		/* ST ends the string; any other ESC starts a new sequence. */
		if (c == '\\') {
			reset(ks);
			return TV_KEY_NONE;
		}
		return escape(ks, c);
	default:
		return ground(ks, c);
	}
}

int
tv_keyseq_pending(const struct tv_keyseq *ks)
{
	return ks->state != GROUND;
}

int
tv_keyseq_wait_ms(const struct tv_keyseq *ks)
{
	return ks->state == ESCAPE ? TV_KEYSEQ_ESC_MS : TV_KEYSEQ_SEQ_MS;
}

int
tv_keyseq_timeout(struct tv_keyseq *ks)
{
	int lone = ks->state == ESCAPE;

	reset(ks);
	return lone ? TV_KEY_ESC : TV_KEY_NONE;
}

int
tv_keyseq_next(struct tv_keyseq *ks)
{
	int k = ks->queued;

	ks->queued = TV_KEY_NONE;
	return k;
}
