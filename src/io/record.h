/* SPDX-License-Identifier: MIT */
/*
 * tempviz-logits JSON written (see record.c), and the JSON values that
 * every writer shares.
 */
#ifndef TEMPVIZ_IO_RECORD_H
#define TEMPVIZ_IO_RECORD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "io/source.h"
#include "tempviz/dist.h"

/* The tokens a recorded step lists by name; the rest of the vocabulary
 * is its tail, exact in mass through the step's logsumexp. */
#define TV_RECORD_TOP 100

/* JSON: a real, or null when it is not finite (JSON has no infinity). */
json_t *tv_json_num(double x);
/* Set "token" (and "token_bytes" when the bytes are not valid UTF-8). */
int tv_json_token(json_t *obj, const char *bytes, size_t len);
/* A JSON string of any bytes, invalid UTF-8 replaced by U+FFFD. */
json_t *tv_json_lossy(const char *bytes, size_t len);

/* A finished distribution as one step: its context, the token chosen
 * (an id of d, or UINT32_MAX for none), its top TV_RECORD_TOP tokens
 * (the chosen one included) and the logsumexp of the whole vocabulary.
 * NULL without memory. */
json_t *tv_record_step(const struct tv_dist *d, uint32_t chosen);
/* Write steps (borrowed) as a tempviz-logits file; vocab_size 0 leaves
 * it out (unknown). 0, or -1 with err naming the file. */
int tv_record_write(const char *path, const char *model, double vocab_size,
		    json_t *steps, struct tv_error *err);

#endif
