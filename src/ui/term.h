/* SPDX-License-Identifier: MIT */
/*
 * The terminal backend: the one file that talks to curses. It presents
 * frames (touching only the cells that changed), reads normalised keys,
 * and owns the terminal state: it is restored on every exit path.
 */
#ifndef TEMPVIZ_TERM_H
#define TEMPVIZ_TERM_H

#include "ui/app.h"
#include "ui/frame.h"
#include "ui/theme.h"

/* Keys: printable characters and control codes are their code points;
 * the others are above the Unicode range. */
enum {
	TV_KEY_NONE = -1,        /* timeout, or nothing usable */
	TV_KEY_BASE = 0x110000,
	TV_KEY_UP = TV_KEY_BASE,
	TV_KEY_DOWN,
	TV_KEY_LEFT,
	TV_KEY_RIGHT,
	TV_KEY_PGUP,
	TV_KEY_PGDN,
	TV_KEY_HOME,
	TV_KEY_END,
	TV_KEY_TAB,
	TV_KEY_BTAB,
	TV_KEY_ENTER,
	TV_KEY_BACKSPACE,
	TV_KEY_DELETE,
	TV_KEY_INSERT,
	TV_KEY_ESC,
	TV_KEY_RESIZE,
	TV_KEY_SLEFT,            /* shifted arrows */
	TV_KEY_SRIGHT,
	TV_KEY_SUP,
	TV_KEY_SDOWN,
	TV_KEY_F1,               /* TV_KEY_F(n) for F1..F12 */
	TV_KEY_F12 = TV_KEY_F1 + 11,
	TV_KEY__END
};
#define TV_KEY_F(n) (TV_KEY_F1 + (n) - 1)
#define TV_KEY_CTRL(c) ((c) & 0x1f)

/*
 * Take over the terminal: when stdin is not a tty (a file piped in), the
 * terminal is opened on /dev/tty. tier is an enum tv_tier to force, or -1
 * to detect from the terminal, mode and NO_COLOR. With ask_bg, asks the
 * terminal for its background colour first (at most 200 ms; the reply
 * never reaches the keys): see tv_term_bg. Installs the signal
 * handlers (quit signals end the loop; a crash restores the terminal
 * with signal-safe calls, then takes its own course) and an atexit hook.
 * Returns 0, or -1 with a message in err.
 */
int tv_term_init(enum tv_color_mode mode, int tier, int ask_bg, char *err,
		 int errlen);
enum tv_tier tv_term_tier(void);
/* The background the terminal reported, TV_BG_UNKNOWN if it did not (or
 * was not asked). */
enum tv_bg tv_term_bg(void);
/* The terminal size in cells (after a TV_KEY_RESIZE, the new one). */
void tv_term_size(int *w, int *h);
/* Show f: only cells that differ from the last presented frame are
 * written, then one doupdate. A frame of another size redraws fully. */
void tv_term_present(const struct tv_frame *f);
/* Make the next present repaint everything (Ctrl-L, resume). */
void tv_term_invalidate(void);
/* Wait up to timeout_ms (< 0: forever) for a key. TV_KEY_NONE on timeout
 * or when a signal asks to quit; TV_KEY_RESIZE after a resize or resume. */
int tv_term_key(int timeout_ms);
/* The signal that asked to quit (SIGINT, SIGTERM, SIGHUP, SIGQUIT or
 * SIGPIPE), 0 when none did. A second one, or the loop still running
 * two seconds after the first, restores the terminal from the handler
 * and exits with 128 + the first signal's number. */
int tv_term_quit_requested(void);
/* Restore the terminal. Idempotent; safe on every exit path. */
void tv_term_end(void);

#endif
