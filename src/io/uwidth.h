/* SPDX-License-Identifier: MIT */
/*
 * The one width function: how many terminal columns a code point takes,
 * from built-in tables, the same under every locale.
 */
#ifndef TEMPVIZ_UWIDTH_H
#define TEMPVIZ_UWIDTH_H

#include <stdint.h>

/* 2 for a wide character (East Asian Wide or Fullwidth, emoji), 0 for a
 * mark that combines with the character before it, -1 for a code point
 * that must not be drawn (controls, surrogates, noncharacters, unassigned
 * planes, values above U+10FFFF), otherwise 1. */
int tv_cp_width(uint32_t cp);

#endif
