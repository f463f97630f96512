/* SPDX-License-Identifier: MIT */
/*
 * The screen saved as SVG and text. The frame is rendered again from the
 * state at the size of the last one shown (the screen is a function of
 * the state), so what is saved is what was seen, without the status line
 * of the key that saved it.
 *
 * SOURCE_DATE_EPOCH, when set, stands for the clock (the convention of
 * reproducible builds), so tests can know the names.
 */
#include "ui/shot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/frame.h"

/* Names tried before giving up: a hundred saves in one second. */
#define SHOT_TRIES 100
/* Room for a stem: "tempviz-YYYYMMDD-HHMMSS-100" and more. */
#define SHOT_NAME 48

void
tv_shot_stem(char *buf, size_t cap, time_t t, int try)
{
	struct tm tm;
	char stamp[32] = "";

	if (localtime_r(&t, &tm))
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	if (try > 1)
		snprintf(buf, cap, "tempviz-%s-%d", stamp, try);
	else
		snprintf(buf, cap, "tempviz-%s", stamp);
}

static time_t
shot_time(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (e && *e) {
		v = strtoll(e, &end, 10);
		if (!*end && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

int
tv_shot_free_name(const char *suffix, char *buf, size_t cap)
{
	time_t t = shot_time();
	char stem[SHOT_NAME];

	for (int try = 1; try <= SHOT_TRIES; try++) {
		tv_shot_stem(stem, sizeof stem, t, try);
		snprintf(buf, cap, "%s%s", stem, suffix);
		if (access(buf, F_OK) != 0)
			return 0;
	}
	return -1;
}

/* Create name, failing if it exists. */
static FILE *
create(const char *name)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
	FILE *out;

	if (fd < 0)
		return NULL;
	if (!(out = fdopen(fd, "w"))) {
		close(fd);
		unlink(name);
	}
	return out;
}

/* Write f to out as fmt and close it; 0, or -1 with errno. */
static int
write_close(const struct tv_frame *f, enum tv_format fmt, FILE *out)
{
	int bad = tv_frame_write(f, fmt, out) != 0, err = errno;

	if (fclose(out) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	errno = err ? err : EIO;
	return bad ? -1 : 0;
}

/* Both files under one free stem: 0 with the stem in buf, or -1 with
 * errno and in *ext the extension of the file that failed (NULL when
 * every name was taken). */
static int
save_pair(const struct tv_frame *f, char *buf, size_t cap, const char **ext)
{
	static const char *const exts[2] = { ".svg", ".txt" };
	char name[2][SHOT_NAME + 8];
	time_t t = shot_time();
	int try, i, e;

	for (try = 1; try <= SHOT_TRIES; try++) {
		FILE *out[2];

		tv_shot_stem(buf, cap, t, try);
		for (i = 0; i < 2; i++)
			snprintf(name[i], sizeof name[i], "%s%s", buf, exts[i]);
		if (!(out[0] = create(name[0]))) {
			if (errno == EEXIST)
				continue;
			*ext = exts[0];
			return -1;
		}
		if (!(out[1] = create(name[1]))) {
			e = errno;
			fclose(out[0]);
			unlink(name[0]);
			if (e == EEXIST)
				continue;
			*ext = exts[1];
			errno = e;
			return -1;
		}
		/* Both are written and closed whatever the first did; a
		 * failure leaves neither behind. */
		if (write_close(f, TV_FMT_SVG, out[0]) < 0) {
			e = errno;
			fclose(out[1]);
			*ext = exts[0];
		} else if (write_close(f, TV_FMT_TXT, out[1]) < 0) {
			e = errno;
			*ext = exts[1];
		} else {
			return 0;
		}
		unlink(name[0]);
		unlink(name[1]);
		errno = e;
		return -1;
	}
	*ext = NULL;
	errno = EEXIST;
	return -1;
}

void
tv_shot_save(struct tv_app *a)
{
	int w = a->screen_w > 0 ? a->screen_w : 80;
	int h = a->screen_h > 0 ? a->screen_h : 24;
	enum tv_bg bg = a->look.bg;
	struct tv_frame f;
	const char *ext;
	char stem[SHOT_NAME];

	if (tv_frame_init(&f, w, h) != 0) {
		tv_app_note(a, "screen not saved: out of memory");
		return;
	}
	/* The SVG paints a dark page (as snapshot's does): the palette for
	 * a dark background reads on it, whatever the terminal's is. The
	 * text file has no colours. */
	a->look.bg = TV_BG_DARK;
	tv_app_render(a, &f);
	a->look.bg = bg;
	if (save_pair(&f, stem, sizeof stem, &ext) == 0)
		tv_app_note(a, "saved %s.svg and .txt (%d x %d)", stem, w,
			    h);
	else if (ext)
		tv_app_note(a, "screen not saved: %s%s: %s", stem, ext,
			    strerror(errno));
	else
		tv_app_note(a, "screen not saved: %d files named %s-* are "
			    "there already", SHOT_TRIES, stem);
	tv_frame_free(&f);
}
