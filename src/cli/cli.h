/* SPDX-License-Identifier: MIT */
/*
 * What the subcommands share: messages, number parsing, loading the
 * source a command line names, and the JSON pieces more than one
 * subcommand writes.
 */
#ifndef TEMPVIZ_CLI_CLI_H
#define TEMPVIZ_CLI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "cli/opts.h"
#include "io/record.h"
#include "io/source.h"
#include "tempviz/history.h"
#include "tempviz/pipeline.h"
#include "ui/frame.h"

/* The buffer of standard output and of snapshot's -o file. */
#define TV_OUT_BUFSIZE 65536

/* One line on stderr, "tempviz: " first. */
void tv_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Put ctx (until the next call; NULL for none) after "tempviz: " in
 * every message: what the flags parsed now belong to ("--compare"). */
void tv_cli_err_context(const char *ctx);

/* Flushes standard output; on a write error (now or earlier) says so on
 * stderr and returns TV_EXIT_DATA, else TV_EXIT_OK. A writer's loop
 * stops at the first failed write (ferror(stdout)) and ends with it. */
int tv_cli_flush(void);

/* A finite number written in full (strtod consumes every byte, no NaN,
 * no infinity). 0 or -1. */
int tv_cli_strtod(const char *s, double *v);

/* Append item to the list in buf, separated by sep, truncating at cap. */
void tv_cli_join(char *buf, size_t cap, const char *sep, const char *item);

/* The source a command line names, and the position it selects. */
struct tv_cli_input {
	struct tv_source src;
	struct tv_source view;  /* src, or only the selected position */
	const struct tv_dist *d;
	int ascii;              /* show tokens in ASCII */
	int lm;                 /* the source is a language model (--lm) */
	double lm_raw_sum;      /* its sum of p before renormalising */
	char *lm_unknown;       /* the prompt's unknown words (owned) */
	int server;             /* the model is a --server */
	struct tv_model *model; /* the model the source came from (owned),
	                           for the TUI and snapshot to run on: a
	                           server is not asked twice */
	/* The history as token ids, the prompt's first, and the memory
	 * samplers' state, whose edits say what moved (all owned; NULL
	 * without them). */
	uint32_t *hist;
	uint32_t n_hist, n_prompt, n_unmatched;
	struct tv_memory *mem;
	struct tv_breakers *brk;
	/* print --compare's B: its own copy of the position when its
	 * samplers with memory move the logits (cmp_on), and what moved. */
	int cmp_on;
	struct tv_dist cmp_d;
	struct tv_memory *cmp_mem;
	struct tv_breakers *cmp_brk;
};

/* Apply --history, the penalties, DRY and smoothing to the chosen
 * position (and to B's copy of it); an exit status. The TUI and snapshot
 * apply them live instead, so there this does nothing. */
int tv_cli_apply_memory(const struct tv_cli *o, struct tv_cli_input *in);
/* The distribution B is run on: its own copy, else A's. */
const struct tv_dist *tv_cli_cmp_dist(const struct tv_cli_input *in);
/* Free what tv_cli_apply_memory made. */
void tv_cli_free_memory(struct tv_cli_input *in);

/* Returns an exit status; on success in must be freed with
 * tv_cli_unload. */
int tv_cli_load(const struct tv_cli *o, struct tv_cli_input *in);
void tv_cli_unload(struct tv_cli_input *in);

/* Runs the pipeline and tells on stderr (one line) which set parameters
 * the order leaves out. */
void tv_cli_run(const struct tv_cli *o, const struct tv_dist *d,
		struct tv_result *r);
/* The note alone, for a subcommand that runs the pipeline many times. */
void tv_cli_note_ignored(const struct tv_result *r);
/* On stderr: the penalties and DRY set that rules do not have, or that
 * mirostat leaves out. */
void tv_cli_note_memory(const struct tv_params *p, enum tv_profile rules);

/* A token shown safely, padded with spaces to exactly w columns. */
void tv_cli_token(const struct tv_cli_input *in, uint32_t id, int w,
		  char *buf, size_t cap);

/* The name of the unlisted rest of the vocabulary in a table: not a
 * token, marked approximate unless its mass is exact. */
const char *tv_cli_tail_label(const struct tv_dist *d);

/* The source's label, position, model, dump temperature and context, as
 * lines of a table. */
void tv_cli_print_source(const struct tv_cli_input *in);
/* The profile, the order with each stage's setting, the temperature
 * applied and XTC's coin, as lines of a table. */
void tv_cli_print_order(const struct tv_cli *o, const struct tv_result *r);

/* A token's fate in a table: "kept", "cut by top-p", "masked ...". */
const char *tv_cli_fate(const struct tv_dist *d, const struct tv_result *r,
			uint32_t pos);
/* A logit as a table shows it (%.6f, %.4e when large). */
const char *tv_cli_logit_text(double x);
/* The statistics of a result as lines of a table. */
void tv_cli_print_stats(const struct tv_result *r);
/* What the penalties and DRY moved (n edits), each token from what to
 * what and why (times seen; the repeat DRY saw and the word it
 * followed), as lines of a table, after the history; the same as print
 * --json's "penalties" object. Nothing without a history. */
void tv_cli_print_penalties(const struct tv_cli_input *in,
			    const struct tv_edit *edits, uint32_t n);
json_t *tv_json_penalties(const struct tv_cli_input *in,
			  const struct tv_edit *edits, uint32_t n);

/* print --compare: parse B's settings into o->cmp (after A's are
 * checked); the table of both; the "compare" object of print --json. */
int tv_cli_compare_parse(struct tv_cli *o);
int tv_cli_compare_table(const struct tv_cli *o,
			 const struct tv_cli_input *in,
			 const struct tv_result *a);
json_t *tv_json_compare(const struct tv_cli *o, const struct tv_cli_input *in,
			const struct tv_result *a);

/* A count: an integer when it is whole (vocabulary sizes, kept counts
 * with the tail), else a real. */
json_t *tv_json_count(double x);
/* The tokens of print --json (id order) and its statistics. */
json_t *tv_json_tokens(const struct tv_dist *d, const struct tv_result *r);
json_t *tv_json_stats(const struct tv_stats *s);
/* The params object and the order array of print --json. */
json_t *tv_json_params(const struct tv_params *p);
json_t *tv_json_order(const struct tv_chain *c);
/* Set "source" (and "position" within a sequence), then "profile",
 * "order" and "params" as they were applied; 0 or -1. */
int tv_json_setup(json_t *obj, const struct tv_cli *o,
		  const struct tv_cli_input *in);
/* Write j to stdout with a newline and release it; an exit status. */
int tv_json_write(json_t *j);
/* An array written one element at a time, as tv_json_write lays out the
 * whole, so a writer stops computing at the first failed write. add
 * takes el (NULL: out of memory) and returns -1 when writing failed or
 * memory ran out; end returns an exit status. */
struct tv_json_stream {
	long n;
	int failed;             /* out of memory, already said */
};
int tv_json_stream_add(struct tv_json_stream *s, json_t *el);
int tv_json_stream_end(struct tv_json_stream *s);

int tv_cmd_print(const struct tv_cli *o, const struct tv_cli_input *in);
int tv_cmd_sample(const struct tv_cli *o, const struct tv_cli_input *in);
int tv_cmd_sweep(const struct tv_cli *o, const struct tv_cli_input *in);
int tv_cmd_snapshot(const struct tv_cli *o, const struct tv_cli_input *in);
/* A frame in --format to -o FILE (standard output by default); an exit
 * status. */
int tv_cli_write_frame(const struct tv_cli *o, const struct tv_frame *f);
/* present (play, --check, --export) and snapshot --talk: they read a
 * talk, not a source. --list of present: the built-in talks. */
int tv_cmd_present(const struct tv_cli *o);
int tv_cmd_talks(void);
/* Before the source is read: the TUI needs a terminal. An exit status. */
int tv_cli_tui_check(void);
int tv_cmd_tui(const struct tv_cli *o, const struct tv_cli_input *in);
int tv_cmd_list(void);
/* generate reads the model itself, not a loaded source. */
int tv_cmd_generate(const struct tv_cli *o);
/* The model --lm or --server names, opened (a server reached and
 * identified); an exit status with err. */
struct tv_model;
int tv_cli_open_model(const struct tv_cli *o, struct tv_model **m,
		      struct tv_error *err);
/* --lm or --server as the source: the next-word distribution after
 * --prompt. */
int tv_cli_load_lm(const struct tv_cli *o, struct tv_cli_input *in,
		   struct tv_error *err);
/* One line on stderr naming the prompt's unknown words, if any. */
void tv_cli_note_unknown(const char *unknown);

#endif
