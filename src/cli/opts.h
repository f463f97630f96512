/* SPDX-License-Identifier: MIT */
/*
 * The command line: one option table for every subcommand. The same table
 * parses the arguments, decides which subcommand accepts which flag, and
 * writes --help, so the three can never disagree.
 */
#ifndef TEMPVIZ_CLI_OPTS_H
#define TEMPVIZ_CLI_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "io/source.h"
#include "lm/server.h"
#include "tempviz/pipeline.h"
#include "ui/app.h"

enum tv_cmd {
	TV_CMD_TUI,             /* no subcommand */
	TV_CMD_PRINT,
	TV_CMD_SAMPLE,
	TV_CMD_SWEEP,
	TV_CMD_SNAPSHOT,
	TV_CMD_GENERATE,
	TV_CMD_PRESENT,
	TV_CMD__COUNT
};

/* Every flag, in the order --help lists them. */
enum tv_opt {
	TV_OPT_SCENARIO, TV_OPT_LOGITS, TV_OPT_PROBS, TV_OPT_VOCAB,
	TV_OPT_ROW, TV_OPT_POSITION, TV_OPT_LM, TV_OPT_PROMPT,
	TV_OPT_SERVER, TV_OPT_API, TV_OPT_MODEL, TV_OPT_N_PROBS, TV_OPT_TIMEOUT,
	TV_OPT_STREAM,
	TV_OPT_TEMP, TV_OPT_TOP_K, TV_OPT_TOP_P, TV_OPT_MIN_P, TV_OPT_TYPICAL,
	TV_OPT_TOP_N_SIGMA, TV_OPT_XTC_THRESHOLD, TV_OPT_XTC_PROBABILITY,
	TV_OPT_DYNATEMP_RANGE, TV_OPT_DYNATEMP_EXP, TV_OPT_MIN_KEEP,
	TV_OPT_PROFILE, TV_OPT_ORDER, TV_OPT_SEED, TV_OPT_COMPARE, TV_OPT_RANGE,
	TV_OPT_HISTORY, TV_OPT_REPEAT_PENALTY, TV_OPT_REPEAT_LAST_N,
	TV_OPT_FREQ_PENALTY, TV_OPT_PRESENCE_PENALTY, TV_OPT_DRY_MULTIPLIER,
	TV_OPT_DRY_BASE, TV_OPT_DRY_ALLOWED_LENGTH, TV_OPT_DRY_PENALTY_LAST_N,
	TV_OPT_DRY_SEQUENCE_BREAKER, TV_OPT_MIROSTAT, TV_OPT_MIROSTAT_ENT, TV_OPT_MIROSTAT_LR,
	TV_OPT_TOP_A, TV_OPT_TFS, TV_OPT_SMOOTHING_FACTOR,
	TV_OPT_SMOOTHING_CURVE,
	TV_OPT_JSON, TV_OPT_N, TV_OPT_FROM, TV_OPT_TO, TV_OPT_STEPS, TV_OPT_LOG,
	TV_OPT_AT, TV_OPT_LANES, TV_OPT_RECORD,
	TV_OPT_VIEW, TV_OPT_SIZE, TV_OPT_FORMAT, TV_OPT_OUTPUT, TV_OPT_COLOR,
	TV_OPT_COLORS, TV_OPT_THEME, TV_OPT_BIG, TV_OPT_ASCII, TV_OPT_PRESS,
	TV_OPT_TALK, TV_OPT_STEP, TV_OPT_CHECK, TV_OPT_EXPORT,
	TV_OPT_LIST, TV_OPT_KEYS, TV_OPT_HELP, TV_OPT_VERSION,
	TV_OPT__COUNT
};

/* What to do instead of a subcommand's work. */
enum tv_cli_do { TV_DO_RUN, TV_DO_HELP, TV_DO_VERSION, TV_DO_LIST,
		TV_DO_KEYS };

/* DRY's sequence breakers as given (--dry-sequence-breaker), the
 * NULL-terminated list params.dry_breakers points to (owned). */
struct tv_cli_breakers {
	const char **list;
	size_t n;
	int given;
};

/* print --compare: B's settings, A's flags with the pairs given over
 * them; B's breakers and the strings they point into are owned here. */
struct tv_cli_cmp {
	int on;
	struct tv_params params;
	enum tv_profile profile;
	struct tv_chain chain;
	struct tv_cli_breakers breakers;
	char **args;
	int n_args;
};

struct tv_cli {
	enum tv_cmd cmd;
	enum tv_cli_do action;

	struct tv_source_spec spec;
	long position;          /* -1 when not given */
	int lm;                 /* the source is the language model */
	const char *lm_path;    /* --lm PATH; NULL: looked up */
	const char *prompt;     /* --prompt; NULL when not given */
	/* --server URL: the model is a running server (o->lm is set too) */
	const char *server;
	struct tv_server_opts srv;
	const char *history;    /* --history WORDS; NULL when not given */

	struct tv_params params;
	enum tv_profile profile;
	struct tv_chain chain;  /* the profile's order, or --order's */
	struct tv_cli_breakers breakers;
	struct tv_cli_cmp cmp;
	/* The text each flag was given as, by enum tv_opt, for messages. */
	const char *given[TV_OPT__COUNT];

	int json;
	uint64_t n;             /* sample: draws */

	/* sweep */
	double from, to;
	long steps;
	int log;
	int range_given;        /* --from, --to, --steps or --log was given */
	double *at;             /* --at values (owned) */
	long n_at;

	/* generate: --lanes temperatures (owned), --record FILE */
	double *lanes;
	long n_lanes;
	const char *record;

	/* snapshot and the TUI */
	struct tv_ui_opts ui;
	int w, h;
	int format;             /* enum tv_format */
	const char *out;        /* -o FILE; NULL for standard output */
	const char *press;      /* --keys: keys pressed before the frame */

	/* present (TALK is spec.path) and snapshot --talk */
	const char *talk;       /* snapshot: --talk TALK */
	long step;              /* snapshot: --step N, 1-based; 0 unset */
	int check;              /* present --check */
	const char *export_to;  /* present --export FILE */
};

enum tv_group { TV_GRP_SOURCE, TV_GRP_SAMPLING, TV_GRP_OUTPUT,
		TV_GRP_PROGRAM, TV_GRP__COUNT };

struct tv_optdef {
	const char *name;       /* the long name, without "--" */
	char short_name;        /* 0 when there is none */
	const char *metavar;    /* NULL for a switch that takes no value */
	unsigned cmds;          /* bit (1u << enum tv_cmd) where accepted */
	enum tv_group group;
	const char *help;       /* what it does */
	const char *accepted;   /* the values accepted, for help and errors */
	const char *dflt;       /* the default, NULL for none */
};

/* The option table, indexed by enum tv_opt. */
const struct tv_optdef *tv_cli_optdef(enum tv_opt id);
/* The flags print --compare takes as keys: the sampling flags and the
 * samplers with memory. */
int tv_cli_compare_key(enum tv_opt id);

/* Parse argv into o. Returns TV_EXIT_OK, or after writing one line on
 * stderr TV_EXIT_USAGE (TV_EXIT_DATA when out of memory). o must be freed
 * with tv_cli_free either way. */
int tv_cli_parse(int argc, char **argv, struct tv_cli *o);
void tv_cli_free(struct tv_cli *o);

/* The usage and option list of one subcommand (TV_CMD_TUI: the whole
 * program). */
void tv_cli_help(FILE *out, enum tv_cmd cmd);
const char *tv_cmd_name(enum tv_cmd c);

#endif
