/* SPDX-License-Identifier: MIT */
/*
 * Talk scripts: a plain UTF-8 text a speaker writes, one step after
 * another. The format (README "Talks" documents it):
 *
 *   # The capital of France          a step's title
 *   At T = {T} the top token holds {top1}.    narration ({...} is filled
 *                                    from the state the step shows)
 *   scenario: france                 settings, "key: value"; they carry
 *   temp: 0.7                        over to the steps after
 *   glide: temp 0.1 -> 2 over 4s     animations and actions, this step
 *   draw: 1000                       only
 *   quench
 *   ---                              the next step
 *
 * The parser checks everything a player needs (names, ranges, the shape
 * of every line) so that a talk either is refused whole, with
 * FILE:LINE:COL, or plays to the end.
 */
#ifndef TEMPVIZ_IO_TALK_H
#define TEMPVIZ_IO_TALK_H

#include <stddef.h>

#include "io/source.h"

/* The settings a step may give; each carries over to the steps after it
 * until given again. SCENARIO, SOURCE and PROMPT are one slot: the
 * distribution shown (the last one given wins). */
#define TV_TALK_KEYS(_) \
	_(SCENARIO, "scenario") _(SOURCE, "source") _(PROMPT, "prompt") \
	_(LM, "lm") _(POSITION, "position") _(VIEW, "view") \
	_(PROFILE, "profile") _(TEMP, "temp") _(TOP_K, "top-k") \
	_(TOP_P, "top-p") _(MIN_P, "min-p") _(TYPICAL, "typical") \
	_(TOP_N_SIGMA, "top-n-sigma") _(XTC_THRESHOLD, "xtc-threshold") \
	_(XTC_PROBABILITY, "xtc-probability") \
	_(DYNATEMP_RANGE, "dynatemp-range") _(DYNATEMP_EXP, "dynatemp-exp") \
	_(MIN_KEEP, "min-keep") _(SEED, "seed") _(ZOOM, "zoom") \
	_(ENERGY, "energy") _(DIALS, "dials") _(LANES, "lanes") \
	_(DK, "d-k") _(BIG, "big") _(HISTORY, "history") \
	_(REPEAT_PENALTY, "repeat-penalty") _(REPEAT_LAST_N, "repeat-last-n") \
	_(FREQ_PENALTY, "frequency-penalty") \
	_(PRESENCE_PENALTY, "presence-penalty") \
	_(DRY_MULTIPLIER, "dry-multiplier") _(DRY_BASE, "dry-base") \
	_(DRY_ALLOWED_LENGTH, "dry-allowed-length") \
	_(DRY_PENALTY_LAST_N, "dry-penalty-last-n") _(MIROSTAT, "mirostat") \
	_(MIROSTAT_ENT, "mirostat-ent") _(MIROSTAT_LR, "mirostat-lr") \
	_(TOP_A, "top-a") _(TFS, "tfs") \
	_(SMOOTHING_FACTOR, "smoothing-factor") \
	_(SMOOTHING_CURVE, "smoothing-curve")

enum tv_talk_key {
#define TV_TALK_KEY_ENUM(id, name) TV_TK_##id,
	TV_TALK_KEYS(TV_TALK_KEY_ENUM)
#undef TV_TALK_KEY_ENUM
	TV_TK__COUNT
};

/* The one-shot actions of a step, run in this order when it is shown. */
enum tv_talk_act { TV_TA_QUENCH = 1, TV_TA_HEAT = 2, TV_TA_ANNEAL = 4,
		   TV_TA_INVERT = 8 };

struct tv_talk_step {
	char *title;            /* may be "" */
	char *text;             /* narration lines joined by spaces; may hold
	                           {placeholders} (tv_talk_fill) */
	int line;               /* where the step starts, 1-based */

	unsigned char set[TV_TK__COUNT];        /* given in this step */
	double num[TV_TK__COUNT];               /* numbers, on/off as 1/0 */
	char *str[TV_TK__COUNT];                /* names, paths, prompts */
	double lanes[3];        /* NAN for "lanes: off" */

	int glide;              /* glide T from glide_from to glide_to */
	double glide_from, glide_to, glide_s;
	long draw;              /* draws to make, 0 for none */
	long generate;          /* words to write, 0 for none */
	unsigned acts;          /* enum tv_talk_act bits */
};

struct tv_talk {
	char *name;             /* the file or built-in name it came from */
	char *dir;              /* the directory relative source: paths are
	                           read from ("" for a built-in) */
	struct tv_talk_step *step;
	int n;
};

/* Limits that keep any script small to hold and quick to play. */
#define TV_TALK_MAX_BYTES ((size_t)1 << 20)
#define TV_TALK_MAX_STEPS 1000
#define TV_TALK_MAX_DRAWS 1000000
#define TV_TALK_MAX_WORDS 400
#define TV_TALK_MAX_GLIDE_S 600

/* Which view names exist is the interface's business: the caller says
 * (NULL accepts any word). 1 when s names a view. */
typedef int (*tv_talk_view_ok)(const char *s);

/* Parse a script; name labels the messages ("talk.txt:3:7: ..."). On
 * TV_EXIT_DATA err says where and what; t is then empty. */
int tv_talk_parse(const char *text, size_t len, const char *name,
		  tv_talk_view_ok view_ok, struct tv_talk *t,
		  struct tv_error *err);
/* A built-in talk's name, or a file: read and parsed. */
int tv_talk_load(const char *name_or_path, tv_talk_view_ok view_ok,
		 struct tv_talk *t, struct tv_error *err);
void tv_talk_free(struct tv_talk *t);

/* The name of a setting ("top-k"). */
const char *tv_talk_key_name(enum tv_talk_key k);

/* The built-in talks, from data/talks/. */
struct tv_talk_builtin {
	const char *name;
	const char *data;
	size_t len;
};
const struct tv_talk_builtin *tv_talk_builtins(size_t *n);

/* The placeholders narration may use, filled by the player from the
 * state it shows: {T}, {entropy}, {top1}, {kept}, {perplexity}, {top},
 * {cut}, {dk}. */
extern const char *const tv_talk_fields[];

#endif
