/* SPDX-License-Identifier: MIT */
/*
 * Sources: where a distribution comes from. Every loader produces the
 * core's struct tv_dist; the TUI and every subcommand accept the same
 * SOURCE and call tv_source_load().
 */
#ifndef TEMPVIZ_SOURCE_H
#define TEMPVIZ_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "tempviz/dist.h"

/* What the user named on the command line; at most one of path, scenario,
 * logits and probs is set (none means the default scenario). */
struct tv_source_spec {
	const char *path;       /* a file, or "-" for standard input */
	const char *scenario;   /* a built-in scenario's name */
	const char *logits;     /* "2,1,0.5,-1" */
	const char *probs;      /* "0.1,0.2,0.7" */
	const char *vocab;      /* one token per line, for .npy logits */
	const char *row;        /* the row of a 2-D .npy: "0", "1", ... or
	                           "-1" (the last, also the default) */
	double vocab_size;      /* a JSON response that gives no
	                           "vocab_size": the vocabulary's size, as
	                           its server reported it (0: unknown) */
};

/* Files larger than this are refused before they are read. */
#define TV_SOURCE_MAX_BYTES ((size_t)256 << 20)

/*
 * What a loader accepted but changed, for the user to hear of: listed
 * probabilities above 1 renormalised, NaN logits made -inf. Each is one
 * line without a newline, already safe for a terminal. The loaders never
 * print; every subcommand writes them to stderr and the TUI shows them in
 * its status line at start. n counts every warning raised; only the
 * first TV_WARN_MAX are kept.
 */
#define TV_WARN_MAX 4
struct tv_warnings {
	unsigned n;
	char msg[TV_WARN_MAX][256];
};

/*
 * Listed probabilities (or the exponentials of listed logprobs) may sum
 * above 1 by rounding; up to 1 + TV_MASS_TOLERANCE they are renormalised
 * with a warning, beyond it the source is refused.
 */
#define TV_MASS_TOLERANCE 0.01

/* A loaded source: one distribution, or a sequence of positions (one per
 * generated token of a saved response). */
struct tv_source {
	uint32_t n_pos;
	struct tv_dist *pos;
	char *label;            /* "approve", "response.json", "-", ... */
	uint32_t pos_cap;       /* room in pos; it grows geometrically */
	/* The text of a response: its prompt and then every chosen token.
	 * The positions of a response share it: their prompts are prefixes
	 * of it (tv_dist.prompt points here, tv_dist.prompt_len long), so a
	 * response of n tokens holds its context once, not n times. */
	char *ctx;
	struct tv_warnings warn;
};

/* One line for the user: "FILE:LINE:COL: what is wrong (what is
 * accepted)", without a trailing newline. */
struct tv_error {
	char msg[512];
};

/* Exit statuses shared by every loader and subcommand. */
enum { TV_EXIT_OK = 0, TV_EXIT_DATA = 1, TV_EXIT_USAGE = 2 };

/* Returns TV_EXIT_OK, TV_EXIT_DATA (bad file or values) or TV_EXIT_USAGE
 * (bad flag value, unknown scenario); err says why. */
int tv_source_load(const struct tv_source_spec *spec, struct tv_source *src,
		   struct tv_error *err);
void tv_source_free(struct tv_source *src);

/*
 * Load from bytes in memory (the format detected from them as for a file);
 * name labels the source and its messages. opt may be NULL; only its vocab,
 * row and vocab_size are used. Same statuses as tv_source_load().
 */
int tv_source_load_buffer(const char *name, const char *buf, size_t len,
			  const struct tv_source_spec *opt,
			  struct tv_source *src, struct tv_error *err);

struct tv_scenario {
	const char *name;
	const char *note;        /* one line: what it teaches */
	const char *data;        /* the file's bytes, as in data/ */
	size_t len;
};

const struct tv_scenario *tv_scenarios(size_t *n);
const struct tv_scenario *tv_scenario_find(const char *name);
#define TV_DEFAULT_SCENARIO "approve"

#endif
