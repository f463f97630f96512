/* SPDX-License-Identifier: MIT */
/*
 * The key decoder: characters from the terminal in, keys (term.h's
 * TV_KEY_* codes and plain characters) out. Escape sequences are read
 * whole, CSI (ESC [ or U+009B) and SS3 (ESC O or U+008F) alike, and
 * decoded by their common forms (xterm, rxvt, the Linux console, screen,
 * tmux) whatever the terminfo entry says; a sequence it does not know is
 * dropped whole, so no part of it can be read as a key.
 *
 * Pure: the backend (term.c) feeds it and keeps the clock. While a
 * sequence is open it waits at most tv_keyseq_wait_ms() for the next
 * character, then calls tv_keyseq_timeout(): an Esc alone is the Esc key.
 */
#ifndef TEMPVIZ_KEYSEQ_H
#define TEMPVIZ_KEYSEQ_H

#include <stdint.h>

/* After an Esc, how long to wait for the rest of a sequence before it is
 * the Esc key (as ncurses's ESCDELAY); inside a CSI or SS3, which no
 * person types, the wait is longer so a slow link does not split a key. */
#define TV_KEYSEQ_ESC_MS 40
#define TV_KEYSEQ_SEQ_MS 200
/* Parameter bytes kept of one sequence; a longer one is dropped whole. */
#define TV_KEYSEQ_MAX 16

struct tv_keyseq {
	int state;              /* enum in keyseq.c */
	char buf[TV_KEYSEQ_MAX];
	int n;
	int overflow;           /* more bytes than buf holds */
	int mouse_left;         /* X10 mouse report bytes still to swallow */
	int queued;             /* a second key from one character */
};

void tv_keyseq_init(struct tv_keyseq *ks);
/* One character (a code point). Returns the key it completes, or
 * TV_KEY_NONE while a sequence is open or when one was dropped. */
int tv_keyseq_feed(struct tv_keyseq *ks, uint32_t c);
/* 1 while a sequence is open. */
int tv_keyseq_pending(const struct tv_keyseq *ks);
/* How long to wait for the next character while a sequence is open. */
int tv_keyseq_wait_ms(const struct tv_keyseq *ks);
/* The wait ran out: TV_KEY_ESC after a lone Esc, else TV_KEY_NONE (the
 * unfinished sequence is dropped). */
int tv_keyseq_timeout(struct tv_keyseq *ks);
/* A key left by the last feed (Esc then a plain character is two keys),
 * or TV_KEY_NONE. */
int tv_keyseq_next(struct tv_keyseq *ks);

#endif
