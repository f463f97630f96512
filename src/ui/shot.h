/* SPDX-License-Identifier: MIT */
/*
 * Saving the screen for slides: the frame on screen, at its size and in
 * its colour tier, written as SVG and as text next to each other in the
 * current directory, never over an existing file.
 */
#ifndef TEMPVIZ_SHOT_H
#define TEMPVIZ_SHOT_H

#include <stddef.h>
#include <time.h>

#include "ui/app_internal.h"

/* Write the screen and say in the status line where it went, or (one
 * line) why it could not be written. */
void tv_shot_save(struct tv_app *a);

/* The files' stem for time t: "tempviz-YYYYMMDD-HHMMSS" in local time,
 * with "-2", "-3", ... after it for try 2, 3, ... */
void tv_shot_stem(char *buf, size_t cap, time_t t, int try);
/* A name of that stem, at the time a save takes (SOURCE_DATE_EPOCH or
 * now), with suffix after it, that no file has yet: 0, or -1 when a
 * hundred are taken. */
int tv_shot_free_name(const char *suffix, char *buf, size_t cap);

#endif
