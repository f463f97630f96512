/* SPDX-License-Identifier: MIT */
#include "ui/term.h"

#include <ctype.h>
#include <curses.h>
#include <term.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "ui/keyseq.h"
#include "ui/theme.h"

#if defined(NCURSES_EXT_COLORS) && defined(NCURSES_EXT_FUNCS)
#define TV_EXT_PAIRS 1
#else
#define TV_EXT_PAIRS 0
#endif

/* Colour pairs are allocated on first use: an open-addressing table from
 * (fg, bg) to the pair number. */
#define PAIR_SLOTS 4096

struct pair_slot {
	int16_t fg, bg;
	int pair;              /* 0: empty slot */
};

static struct {
	int active;
	SCREEN *scr;
	FILE *tty;
	enum tv_tier tier;
	enum tv_bg bg;         /* the background the terminal reported */
	int color;             /* colour started and usable */
	int default_colors;    /* use_default_colors() worked */
	struct tv_frame last;  /* what the terminal shows */
	int full;              /* repaint everything on the next present */
	struct pair_slot pairs[PAIR_SLOTS];
	int next_pair;
	struct tv_keyseq keys; /* the escape sequence being read */
} T;

/* The signal that asked to quit (0: none), and the stop/resume flags. */
static volatile sig_atomic_t quit_sig;
static volatile sig_atomic_t tstp_flag;
static volatile sig_atomic_t cont_flag;

/* Asked to quit: the loop ends and restores the terminal. */
static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				    SIGPIPE };
/* A crash: nothing but signal-safe calls can restore the terminal. */
static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE,
				     SIGILL };
#define NSIG_OF(a) (sizeof(a) / sizeof((a)[0]))
/* If the loop has not ended this long after a quit signal (stuck in a
 * computation), SIGALRM restores the terminal from the handler. */
#define QUIT_GRACE_S 2
/* How long the terminal may take to say what its background is. */
#define BG_QUERY_MS 200

/* What the handlers need to put the terminal back without curses: the
 * tty's modes from before curses changed them and the escape sequences
 * that leave the alternate screen, show the cursor and reset colours,
 * prepared while it was safe to call terminfo. */
static struct {
	int fd;                /* -1: nothing to restore */
	struct termios modes;
	char reset[256];
	size_t reset_len;
	struct sigaction old_crash[NSIG_OF(crash_signals)];
} R = { .fd = -1 };

static void
emergency_restore(void)
{
	if (R.fd < 0)
		return;
	if (R.reset_len)
		(void)!write(R.fd, R.reset, R.reset_len);
	tcsetattr(R.fd, TCSANOW, &R.modes);
}

/* Second signal, or the grace period over: restore and leave at once. */
static void
quit_now(int sig)
{
	emergency_restore();
	_exit(128 + sig);
}

static void
on_quit(int sig)
{
	if (quit_sig) {
		quit_now(quit_sig);
		return;
	}
	quit_sig = sig;
	alarm(QUIT_GRACE_S);
}

static void
on_alarm(int sig)
{
	(void)sig;
	quit_now(quit_sig ? quit_sig : SIGALRM);
}

/* The terminal back, then the signal's own action (a core dump, or a
 * sanitizer's report): returning from a fault re-executes the faulting
 * instruction under it; a signal sent with kill or raise is raised
 * again, and delivered once the handler returns. */
static void
on_crash(int sig, siginfo_t *info, void *uctx)
{
	size_t i;

	(void)uctx;
	emergency_restore();
	for (i = 0; i < NSIG_OF(crash_signals); i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &R.old_crash[i], NULL);
	if (info->si_code <= 0)
		raise(sig);
}

static void
on_tstp(int sig)
{
	(void)sig;
	tstp_flag = 1;
}

static void
on_cont(int sig)
{
	(void)sig;
	cont_flag = 1;
}

/* No SA_RESTART: a signal interrupts the wait for a key, so the loop sees
 * the flag at once. */
static void
catch(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void
signals_install(void)
{
	struct sigaction sa;
	size_t i;

	quit_sig = 0;
	for (i = 0; i < NSIG_OF(quit_signals); i++)
		catch(quit_signals[i], on_quit);
	catch(SIGALRM, on_alarm);
	catch(SIGTSTP, on_tstp);
	catch(SIGCONT, on_cont);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIG_OF(crash_signals); i++)
		sigaction(crash_signals[i], &sa, &R.old_crash[i]);
}

static void
signals_restore(void)
{
	size_t i;

	alarm(0);
	for (i = 0; i < NSIG_OF(quit_signals); i++)
		signal(quit_signals[i], SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGCONT, SIG_DFL);
	for (i = 0; i < NSIG_OF(crash_signals); i++)
		sigaction(crash_signals[i], &R.old_crash[i], NULL);
}

/* Append terminfo capability cap to the reset string, if it fits. */
static void
reset_add(const char *cap)
{
	const char *s = tigetstr(cap);
	size_t n;

	if (!s || s == (const char *)-1)
		return;
	n = strlen(s);
	if (R.reset_len + n <= sizeof R.reset) {
		memcpy(R.reset + R.reset_len, s, n);
		R.reset_len += n;
	}
}

/* Called once the screen is set up: what emergency_restore writes. The
 * modes were saved before newterm. */
static void
reset_prepare(void)
{
	R.reset_len = 0;
	reset_add("sgr0");
	reset_add("cnorm");
	reset_add("rmkx");
	reset_add("rmcup");
}

static double
clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The terminal answers device attributes (ESC [ ? ... c) after any reply
 * to the queries sent before: once it is in, nothing more is coming. */
static int
da1_seen(const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i++)
		if (buf[i] == '\033' && buf[i + 1] == '[' && buf[i + 2] == '?')
			return memchr(buf + i, 'c', n - i) != NULL;
	return 0;
}

/*
 * Ask the terminal for its background colour (OSC 11), followed by a
 * device-attributes query every terminal answers, so one that ignores
 * OSC 11 costs a round trip, not the timeout. Done before curses starts,
 * with echo off; what arrives is consumed here, and a reply cut off by
 * the timeout is flushed, so nothing of it reaches the keys.
 */
static enum tv_bg
query_bg(int in, int out)
{
	static const char ask[] = "\033]11;?\033\\\033[c";
	struct termios raw = R.modes;
	double end = clock_ms() + BG_QUERY_MS;
	char buf[256];
	size_t n = 0;
	int done = 0;

	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in, TCSANOW, &raw) != 0)
		return TV_BG_UNKNOWN;
	if (write(out, ask, sizeof ask - 1) == (ssize_t)(sizeof ask - 1)) {
		while (!done && n < sizeof buf) {
			struct pollfd p = { in, POLLIN, 0 };
			int left = (int)(end - clock_ms());
			ssize_t r;

			if (left <= 0 || poll(&p, 1, left) <= 0)
				break;
			if ((r = read(in, buf + n, sizeof buf - n)) <= 0)
				break;
			n += (size_t)r;
			done = da1_seen(buf, n);
		}
	}
	if (!done)
		tcflush(in, TCIFLUSH);
	tcsetattr(in, TCSANOW, &R.modes);
	return tv_theme_bg_osc11(buf, n);
}

/* What works instead: the end of every refusal to start. */
#define TV_TERM_INSTEAD "; try TERM=xterm-256color, or 'tempviz print' " \
	"or 'tempviz snapshot', which need no terminal"

/* TERM as it may be shown: a terminal name, never raw bytes. */
static const char *
term_name(const char *term)
{
	const char *p;

	for (p = term; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("._+-", *p)))
			return "(not a terminal name)";
	return term;
}

static void
term_refuse(char *err, int errlen, const char *term, const char *what)
{
	if (!term || !*term)
		snprintf(err, (size_t)errlen, "TERM is not set: the interface "
			 "needs a terminal type that can move the cursor"
			 TV_TERM_INSTEAD);
	else
		snprintf(err, (size_t)errlen, "TERM=%s %s" TV_TERM_INSTEAD,
			 term_name(term), what);
}

/* A hard-copy or generic type (dumb), or one without cursor addressing,
 * would leave a blank screen waiting for keys. */
static int
can_address(void)
{
	const char *cup = tigetstr("cup");

	return cup && cup != (const char *)-1 && tigetflag("hc") <= 0 &&
	       tigetflag("gn") <= 0;
}

/* Before curses takes the terminal (and sends a dumb one its set-up
 * strings): the type must be known and able to move the cursor. Read
 * with setupterm, since a newterm that fails leaks inside ncurses. */
static int
check_term(const char *term, int fd, char *err, int errlen)
{
	int status = 0, ok;

	if (!term || !*term) {
		term_refuse(err, errlen, term, NULL);
		return -1;
	}
	if (setupterm(term, fd, &status) != OK) {
		term_refuse(err, errlen, term, "is not a terminal type this "
			    "system knows");
		return -1;
	}
	ok = can_address();
	del_curterm(cur_term);
	if (!ok) {
		term_refuse(err, errlen, term, "cannot move the cursor, which "
			    "the interface needs");
		return -1;
	}
	return 0;
}

static void
close_tty(void)
{
	if (T.tty) {
		fclose(T.tty);
		T.tty = NULL;
	}
}

static int
open_screen(int ask_bg, char *err, int errlen)
{
	const char *term = getenv("TERM");
	FILE *out = stdout, *in = stdin;

	/* With input or output redirected (a file piped in), the UI still
	 * belongs on the controlling terminal. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		T.tty = fopen("/dev/tty", "r+");
		if (!T.tty) {
			snprintf(err, (size_t)errlen,
				 "cannot open /dev/tty: no terminal for the "
				 "interface");
			return -1;
		}
		out = in = T.tty;
	}
	if (check_term(term, fileno(out), err, errlen) < 0) {
		close_tty();
		return -1;
	}
	T.bg = TV_BG_UNKNOWN;
	if (tcgetattr(fileno(out), &R.modes) == 0) {
		R.fd = fileno(out);
		if (ask_bg)
			T.bg = query_bg(fileno(in), fileno(out));
	}
	T.scr = newterm(NULL, out, in);
	if (!T.scr) {
		R.fd = -1;
		snprintf(err, (size_t)errlen, "curses cannot start on TERM=%s",
			 term_name(term));
		close_tty();
		return -1;
	}
	set_term(T.scr);
	return 0;
}

static enum tv_tier
choose_tier(enum tv_color_mode mode, int forced)
{
	int colors = tigetnum("colors");
	enum tv_tier tier = forced >= 0 ? (enum tv_tier)forced :
		tv_tier_detect(colors, has_colors(), mode, getenv("NO_COLOR"));

	if (tier == TV_TIER_MONO || !has_colors() || start_color() == ERR)
		return TV_TIER_MONO;
	T.color = 1;
	T.default_colors = use_default_colors() == OK;
	/* A forced tier cannot exceed what the terminal can show. */
	if (tier == TV_TIER_256 && COLORS < 256)
		tier = TV_TIER_8;
	return tier;
}

int
tv_term_init(enum tv_color_mode mode, int tier, int ask_bg, char *err,
	     int errlen)
{
	static int hooked;

	if (T.active)
		return 0;
	signals_install();
	if (open_screen(ask_bg, err, errlen) < 0) {
		signals_restore();
		return -1;
	}
	T.active = 1;
	if (!hooked) {
		atexit(tv_term_end);
		hooked = 1;
	}
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	/* Keys are decoded by keyseq.c, the same under every TERM. */
	keypad(stdscr, FALSE);
	tv_keyseq_init(&T.keys);
	leaveok(stdscr, TRUE);
	curs_set(0);
	reset_prepare();
	T.tier = choose_tier(mode, tier);
	T.next_pair = 1;
	memset(T.pairs, 0, sizeof T.pairs);
	T.full = 1;
	return 0;
}

enum tv_tier
tv_term_tier(void)
{
	return T.tier;
}

enum tv_bg
tv_term_bg(void)
{
	return T.bg;
}

void
tv_term_size(int *w, int *h)
{
	int y = 0, x = 0;

	if (T.active)
		getmaxyx(stdscr, y, x);
	*w = x;
	*h = y;
}

static int
curses_colour(int c)
{
	if (c >= 0)
		return c;
	if (T.default_colors)
		return -1;
	return COLOR_WHITE;
}

static int
new_pair(int fg, int bg)
{
	int p = T.next_pair;

	if (p >= COLOR_PAIRS)
		return 0;
#if TV_EXT_PAIRS
	if (init_extended_pair(p, fg, bg) == ERR)
		return 0;
#else
	if (init_pair((short)p, (short)fg, (short)bg) == ERR)
		return 0;
#endif
	T.next_pair++;
	return p;
}

/* The colour pair for a style, allocated the first time it is seen;
 * pair 0 (the terminal's defaults) when colour is off or pairs run out. */
static int
pair_for(struct tv_style st)
{
	int fg = curses_colour(st.fg);
	int bg = st.bg >= 0 ? st.bg : T.default_colors ? -1 : COLOR_BLACK;
	unsigned h;
	int i;

	if (!T.color || (st.fg < 0 && st.bg < 0))
		return 0;
	if (fg >= COLORS || bg >= COLORS)
		return 0;
	h = ((unsigned)(fg + 1) * 257u + (unsigned)(bg + 1)) * 2654435761u;
	for (i = 0; i < PAIR_SLOTS; i++) {
		struct pair_slot *s = &T.pairs[(h + (unsigned)i) % PAIR_SLOTS];

		if (s->pair == 0) {
			s->pair = new_pair(fg, bg);
			if (s->pair == 0)
				return 0;
			s->fg = (int16_t)fg;
			s->bg = (int16_t)bg;
			return s->pair;
		}
		if (s->fg == fg && s->bg == bg)
			return s->pair;
	}
	return 0;
}

static attr_t
curses_attr(uint16_t a)
{
	attr_t r = A_NORMAL;

	if (a & TV_A_BOLD)
		r |= A_BOLD;
	if (a & TV_A_DIM)
		r |= A_DIM;
	if (a & TV_A_REVERSE)
		r |= A_REVERSE;
	if (a & TV_A_UNDERLINE)
		r |= A_UNDERLINE;
#ifdef A_ITALIC
	if (a & TV_A_ITALIC)
		r |= A_ITALIC;
#endif
	return r;
}

static void
put_cell(int x, int y, const struct tv_cell *c)
{
	wchar_t wc[TV_CELL_CODES + 1] = { L' ' };
	uint32_t cp[TV_CELL_CODES];
	cchar_t cc;
	int pair = pair_for(c->st);
	int i, n = tv_cell_codes(c, cp, TV_CELL_CODES);

	/* A character and its combining marks in one cchar_t. */
	for (i = 0; i < n && cp[0] >= 0x20; i++)
		wc[i] = (wchar_t)cp[i];
#if TV_EXT_PAIRS
	setcchar(&cc, wc, curses_attr(c->st.attr), 0, &pair);
#else
	setcchar(&cc, wc, curses_attr(c->st.attr), (short)pair, NULL);
#endif
	/* The bottom-right cell reports ERR (the cursor cannot advance past
	 * it) although the character is placed. */
	mvwadd_wch(stdscr, y, x, &cc);
}

static int
cell_eq(const struct tv_cell *a, const struct tv_cell *b)
{
	return a->width == b->width && a->st.fg == b->st.fg &&
	       a->st.bg == b->st.bg && a->st.attr == b->st.attr &&
	       strcmp(a->ch, b->ch) == 0;
}

void
tv_term_present(const struct tv_frame *f)
{
	int x, y, full;

	if (!T.active)
		return;
	full = T.full || T.last.w != f->w || T.last.h != f->h;
	if (full) {
		if (tv_frame_resize(&T.last, f->w, f->h) < 0)
			return;
		clearok(curscr, TRUE);
	}
	for (y = 0; y < f->h; y++) {
		for (x = 0; x < f->w; x++) {
			size_t i = (size_t)y * (size_t)f->w + (size_t)x;
			const struct tv_cell *c = &f->cells[i];

			/* The right half of a wide character is drawn with
			 * its left half. */
			if (c->width == 0 ||
			    (!full && cell_eq(c, &T.last.cells[i])))
				continue;
			put_cell(x, y, c);
		}
	}
	memcpy(T.last.cells, f->cells,
	       (size_t)f->w * (size_t)f->h * sizeof *f->cells);
	T.full = 0;
	wnoutrefresh(stdscr);
	doupdate();
}

void
tv_term_invalidate(void)
{
	T.full = 1;
}

/* After a stop, the terminal may have changed size. */
static void
sync_size(void)
{
	struct winsize ws;
	int fd = T.tty ? fileno(T.tty) : STDOUT_FILENO;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resize_term(ws.ws_row, ws.ws_col);
}

/* Ctrl-Z: give the terminal back, stop, and take it again on resume.
 * Done here, outside the handler, because endwin is not signal-safe. */
static void
suspend(void)
{
	tstp_flag = 0;
	endwin();
	raise(SIGSTOP);
	cont_flag = 0;
	sync_size();
	T.full = 1;
	wnoutrefresh(stdscr);
	doupdate();
}

/* With keypad off, curses hands over every byte and keyseq.c decodes
 * them; the only key code left is the resize. */
static int
map_special(wint_t k)
{
	if (k != KEY_RESIZE)
		return TV_KEY_NONE;
	T.full = 1;
	return TV_KEY_RESIZE;
}

/* Signals that arrived while waiting or working: a stop or a resume
 * means the screen must be laid out and painted again. */
static int
pending_signal(void)
{
	if (tstp_flag) {
		suspend();
		return TV_KEY_RESIZE;
	}
	if (cont_flag) {
		cont_flag = 0;
		sync_size();
		T.full = 1;
		return TV_KEY_RESIZE;
	}
	return TV_KEY_NONE;
}

/* One character from curses within wait_ms, or ERR. */
static int
read_char(int wait_ms, wint_t *wc)
{
	wtimeout(stdscr, wait_ms < 0 ? -1 : wait_ms);
	return wget_wch(stdscr, wc);
}

int
tv_term_key(int timeout_ms)
{
	wint_t wc;
	int r, k;

	if (!T.active || quit_sig)
		return TV_KEY_NONE;
	if ((k = tv_keyseq_next(&T.keys)) != TV_KEY_NONE)
		return k;
	if ((k = pending_signal()) != TV_KEY_NONE)
		return k;
	for (;;) {
		int open = tv_keyseq_pending(&T.keys);

		/* Inside a sequence the wait is the decoder's, whatever the
		 * caller's: the rest of a key is on its way. */
		r = read_char(open ? tv_keyseq_wait_ms(&T.keys) : timeout_ms,
			      &wc);
		if (r == ERR) {
			/* A timeout, or a signal: a stop must be seen even
			 * when it cut a sequence short. */
			k = open ? tv_keyseq_timeout(&T.keys) : TV_KEY_NONE;
			if (k == TV_KEY_NONE && !quit_sig)
				k = pending_signal();
			if (!open)
				return k;
		} else if (r == KEY_CODE_YES) {
			k = map_special(wc);
		} else {
			k = tv_keyseq_feed(&T.keys, (uint32_t)wc);
		}
		/* A dropped sequence is no key: a blocking wait goes on. */
		if (k != TV_KEY_NONE || quit_sig ||
		    (timeout_ms >= 0 && !tv_keyseq_pending(&T.keys)))
			return k;
	}
}

int
tv_term_quit_requested(void)
{
	return quit_sig;
}

void
tv_term_end(void)
{
	if (!T.active)
		return;
	T.active = 0;
	curs_set(1);
	endwin();
	R.fd = -1;
	delscreen(T.scr);
	T.scr = NULL;
	close_tty();
	tv_frame_free(&T.last);
	signals_restore();
}
