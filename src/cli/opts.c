/* SPDX-License-Identifier: MIT */
/*
 * The option table and the parser. Hand-rolled rather than getopt_long:
 * the table also decides per subcommand which flags are accepted, feeds
 * --help and the error messages, and getopt's own messages would not be
 * the one-line "flag, value, accepted range" the contract asks for.
 */
#include "cli/opts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "ui/theme.h"
#include "ui/trange.h"

#define TV_SWEEP_MAX_POINTS 100000
#define TV_SIZE_MAX 1000

#define C_TUI (1u << TV_CMD_TUI)
#define C_PRINT (1u << TV_CMD_PRINT)
#define C_SAMPLE (1u << TV_CMD_SAMPLE)
#define C_SWEEP (1u << TV_CMD_SWEEP)
#define C_SNAP (1u << TV_CMD_SNAPSHOT)
#define C_GEN (1u << TV_CMD_GENERATE)
#define C_TALK (1u << TV_CMD_PRESENT)
#define C_ALL (C_TUI | C_PRINT | C_SAMPLE | C_SWEEP | C_SNAP | C_GEN)
/* Where a SOURCE is read: everywhere but generate, which reads the LM. */
#define C_SRC (C_ALL & ~C_GEN)
/* generate writes at most this many words per lane, and this many lanes. */
#define TV_GEN_MAX_WORDS 100000
#define TV_GEN_MAX_LANES 16

static const struct tv_optdef optdefs[TV_OPT__COUNT] = {
	[TV_OPT_SCENARIO] = { "scenario", 0, "NAME", C_SRC, TV_GRP_SOURCE,
		"a built-in distribution (see --list)",
		"a name from --list", TV_DEFAULT_SCENARIO },
	[TV_OPT_LOGITS] = { "logits", 0, "LIST", C_SRC, TV_GRP_SOURCE,
		"logits given inline, e.g. \"2,1,0.5,-1\"",
		"comma-separated finite numbers, or -inf for a masked token", NULL },
	[TV_OPT_PROBS] = { "probs", 0, "LIST", C_SRC, TV_GRP_SOURCE,
		"probabilities given inline, e.g. \"0.1,0.2,0.7\"",
		"comma-separated numbers >= 0, not all 0, summing to at most 1.01", NULL },
	[TV_OPT_VOCAB] = { "vocab", 0, "FILE", C_SRC, TV_GRP_SOURCE,
		"token strings for a .npy source, one per line",
		"a readable file", NULL },
	[TV_OPT_ROW] = { "row", 0, "N", C_SRC, TV_GRP_SOURCE,
		"the row of a 2-D .npy source, 0-based; -1 is the last",
		"a whole number; negative counts from the end", "-1" },
	[TV_OPT_POSITION] = { "position", 0, "N", C_SRC, TV_GRP_SOURCE,
		"position of a sequence source (a saved response), counted from 1 as the TUI shows it",
		"a whole number from 1 to the number of positions", "1" },
	[TV_OPT_LM] = { "lm", 0, "[PATH]", C_ALL | C_TALK, TV_GRP_SOURCE,
		"a language model's next-word distribution after --prompt",
		"an ARPA, DMP or sphinxbase trie file",
		"$TEMPVIZ_LM, else Debian's pocketsphinx-en-us" },
	[TV_OPT_PROMPT] = { "prompt", 0, "TEXT", C_ALL, TV_GRP_SOURCE,
		"the words before the next one, for --lm and generate",
		"any text; lower-cased, and \".\" ends a sentence",
		"\"\" (a sentence start)" },
	[TV_OPT_SERVER] = { "server", 0, "URL", C_ALL | C_TALK, TV_GRP_SOURCE,
		"a running llama.cpp, Ollama or OpenAI-compatible server's "
		"next-token distribution after --prompt (the API key, if any, "
		"from $TEMPVIZ_API_KEY or $OPENAI_API_KEY)",
		"an http:// or https:// address, e.g. http://127.0.0.1:8080", NULL },
	[TV_OPT_API] = { "api", 0, "NAME", C_ALL | C_TALK, TV_GRP_SOURCE,
		"the kind of --server, instead of detecting it",
		"auto, llama.cpp, ollama or openai", "auto" },
	[TV_OPT_MODEL] = { "model", 0, "NAME", C_ALL | C_TALK, TV_GRP_SOURCE,
		"the model of --server, where it has several",
		"a name the server lists", "the server's first" },
	[TV_OPT_N_PROBS] = { "n-probs", 0, "N", C_ALL | C_TALK, TV_GRP_SOURCE,
		"top tokens to ask --server for; the rest is one level",
		"a whole number from 1 to 1000000 (Ollama takes at most 20, "
		"OpenAI 5)", "100 for llama.cpp (all of a vocabulary up to 4096), "
		"else the server's cap" },
	[TV_OPT_TIMEOUT] = { "timeout", 0, "SECONDS", C_ALL | C_TALK,
		TV_GRP_SOURCE, "give up on a --server request after this long",
		"a number from 0.1 to 3600", "30" },
	[TV_OPT_STREAM] = { "stream", 0, NULL, C_ALL | C_TALK, TV_GRP_SOURCE,
		"ask --server for streamed replies (SSE or NDJSON)", NULL, NULL },

	[TV_OPT_TEMP] = { "temp", 0, "T", C_ALL & ~C_SWEEP, TV_GRP_SAMPLING,
		"temperature: logits are divided by T",
		"0 (greedy) or a number in [1e-30, 1e6]", "1" },
	[TV_OPT_TOP_K] = { "top-k", 0, "K", C_ALL, TV_GRP_SAMPLING,
		"keep the K most likely tokens",
		"a whole number >= 0 (llama.cpp: any; vllm: >= -1); 0 is off",
		"0" },
	[TV_OPT_TOP_P] = { "top-p", 0, "P", C_ALL, TV_GRP_SAMPLING,
		"nucleus: keep the smallest prefix whose mass reaches P",
		"a number in [0, 1] (vllm: (0, 1]; llama.cpp and llama3: any "
		">= 0); 1 and above are off", "1" },
	[TV_OPT_MIN_P] = { "min-p", 0, "P", C_ALL, TV_GRP_SAMPLING,
		"keep tokens with p >= P times the top p",
		"a number in [0, 1] (llama.cpp: any >= 0); 0 is off", "0" },
	[TV_OPT_TYPICAL] = { "typical", 0, "P", C_ALL, TV_GRP_SAMPLING,
		"locally typical: keep the tokens nearest the entropy, mass P",
		"a number in (0, 1] (llama.cpp: any >= 0); 1 and above are off",
		"1" },
	[TV_OPT_TOP_N_SIGMA] = { "top-n-sigma", 0, "N", C_ALL, TV_GRP_SAMPLING,
		"keep logits within N standard deviations of the top one",
		"a number in [-1e6, 1e6]; 0 or below is off", "0" },
	[TV_OPT_XTC_THRESHOLD] = { "xtc-threshold", 0, "X", C_ALL,
		TV_GRP_SAMPLING,
		"XTC: tokens with p >= X are candidates for exclusion",
		"a number in [0, 1]; above 0.5 is off", "0.1" },
	[TV_OPT_XTC_PROBABILITY] = { "xtc-probability", 0, "Q", C_ALL,
		TV_GRP_SAMPLING,
		"XTC: the chance that the top candidates are excluded",
		"a number in [0, 1]; 0 is off", "0" },
	[TV_OPT_DYNATEMP_RANGE] = { "dynatemp-range", 0, "R", C_ALL,
		TV_GRP_SAMPLING,
		"dynamic temperature: T moves in [T - R, T + R] with entropy",
		"a number in [0, 1e6]; 0 is off", "0" },
	[TV_OPT_DYNATEMP_EXP] = { "dynatemp-exp", 0, "E", C_ALL,
		TV_GRP_SAMPLING,
		"dynamic temperature: exponent of the entropy ratio",
		"a number in (0, 100]", "1" },
	[TV_OPT_MIN_KEEP] = { "min-keep", 0, "N", C_ALL, TV_GRP_SAMPLING,
		"every truncation keeps at least N tokens",
		"a whole number >= 0; 0 acts as 1", "0" },
	[TV_OPT_PROFILE] = { "profile", 0, "NAME", C_ALL, TV_GRP_SAMPLING,
		"the engine whose rules and stage order to follow",
		"hf, llama.cpp, llama3 or vllm", "hf" },
	[TV_OPT_ORDER] = { "order", 0, "LIST", C_ALL, TV_GRP_SAMPLING,
		"the stages to run, in order, e.g. top-k,top-p,temperature",
		"distinct names from temperature, top-k, top-p, min-p, "
		"typical, top-n-sigma, xtc, top-a, tfs, mirostat",
		"the profile's order" },
	[TV_OPT_SEED] = { "seed", 0, "S", C_ALL, TV_GRP_SAMPLING,
		"seeds every draw: sample's, generate's and XTC's coin (MT19937)",
		"a whole number from 0 to 4294967295", "0" },
	[TV_OPT_COMPARE] = { "compare", 0, "SETTINGS", C_PRINT,
		TV_GRP_SAMPLING,
		"also run setting B, A's flags with these key=value pairs over "
		"them, and print KL(A || B) in bits and the total variation",
		"comma-separated key=value with keys temp, top-k, top-p, min-p, "
		"typical, top-n-sigma, xtc-threshold, xtc-probability, "
		"dynatemp-range, dynatemp-exp, min-keep, profile, order (stages "
		"joined by '/'), seed, and the samplers with memory: "
		"repeat-penalty, repeat-last-n, frequency-penalty, "
		"presence-penalty, dry-multiplier, dry-base, "
		"dry-allowed-length, dry-penalty-last-n, dry-sequence-breaker, "
		"mirostat, mirostat-ent, mirostat-lr, top-a, tfs, "
		"smoothing-factor, smoothing-curve ('_' may stand for '-'); B "
		"has A's history", NULL },
	[TV_OPT_RANGE] = { "range", 0, "LO-HI", C_TUI | C_SNAP,
		TV_GRP_SAMPLING,
		"the T dial's allowed range, drawn on it; the dial stays inside",
		TV_TRANGE_ACCEPTED, "0-100" },

	[TV_OPT_HISTORY] = { "history", 0, "WORDS", C_SRC, TV_GRP_SAMPLING,
		"the text before the next token, for the penalties and DRY: "
		"words matched to the distribution's tokens",
		"words separated by spaces", "none (an LM source: the prompt)" },
	[TV_OPT_REPEAT_PENALTY] = { "repeat-penalty", 0, "R", C_ALL,
		TV_GRP_SAMPLING,
		"divide a seen token's positive logit by R, multiply a negative one",
		"a number in (0, 100] (vllm: (0, 2]); 1 is off", "1" },
	[TV_OPT_REPEAT_LAST_N] = { "repeat-last-n", 0, "N", C_ALL,
		TV_GRP_SAMPLING,
		"llama.cpp: the penalties look at the last N tokens",
		"a whole number >= -1; -1 is all, 0 is off", "64" },
	[TV_OPT_FREQ_PENALTY] = { "frequency-penalty", 0, "F", C_ALL,
		TV_GRP_SAMPLING,
		"subtract F times the times a token was seen (not hf)",
		"a number in [-100, 100] (vllm: [-2, 2]); 0 is off", "0" },
	[TV_OPT_PRESENCE_PENALTY] = { "presence-penalty", 0, "P", C_ALL,
		TV_GRP_SAMPLING,
		"subtract P from every token seen (not hf)",
		"a number in [-100, 100] (vllm: [-2, 2]); 0 is off", "0" },
	[TV_OPT_DRY_MULTIPLIER] = { "dry-multiplier", 0, "M", C_ALL,
		TV_GRP_SAMPLING,
		"DRY (llama.cpp): a token that would extend a repeat loses "
		"M base^(length - allowed)",
		"a number in [0, 100]; 0 is off", "0" },
	[TV_OPT_DRY_BASE] = { "dry-base", 0, "B", C_ALL, TV_GRP_SAMPLING,
		"DRY: the base of the penalty's growth with the repeat's length",
		"a number in [1, 100]", "1.75" },
	[TV_OPT_DRY_ALLOWED_LENGTH] = { "dry-allowed-length", 0, "N", C_ALL,
		TV_GRP_SAMPLING, "DRY: repeats this long go unpunished",
		"a whole number in [0, 1000]", "2" },
	[TV_OPT_DRY_PENALTY_LAST_N] = { "dry-penalty-last-n", 0, "N", C_ALL,
		TV_GRP_SAMPLING, "DRY: the last N tokens are searched",
		"a whole number >= -1; -1 is all, 0 is off", "-1" },
	[TV_OPT_DRY_SEQUENCE_BREAKER] = { "dry-sequence-breaker", 0, "STRING",
		C_ALL, TV_GRP_SAMPLING,
		"DRY: a repeat never reaches back past a token holding STRING "
		"(or tokens spelling it); repeatable, the first one replaces "
		"the defaults, as in llama.cpp",
		"any text but empty, its first 40 bytes used; none: no "
		"breakers", "a newline, ':', '\"' and '*'" },
	[TV_OPT_MIROSTAT] = { "mirostat", 0, "V", C_ALL, TV_GRP_SAMPLING,
		"mirostat version: temperature, then mirostat alone "
		"(llama.cpp, or in --order)", "0 (off), 1 or 2", "0" },
	[TV_OPT_MIROSTAT_ENT] = { "mirostat-ent", 0, "TAU", C_ALL,
		TV_GRP_SAMPLING,
		"mirostat: the target surprise in bits (mu starts at 2 TAU)",
		"a number in (0, 100]", "5" },
	[TV_OPT_MIROSTAT_LR] = { "mirostat-lr", 0, "ETA", C_ALL,
		TV_GRP_SAMPLING, "mirostat: the learning rate of mu",
		"a number in (0, 1]", "0.1" },
	[TV_OPT_TOP_A] = { "top-a", 0, "A", C_ALL, TV_GRP_SAMPLING,
		"top-a: keep p >= A p_max^2 (a stage of --order)",
		"a number in [0, 1]; 0 is off", "0" },
	[TV_OPT_TFS] = { "tfs", 0, "Z", C_ALL, TV_GRP_SAMPLING,
		"tail-free sampling: cut where the second differences' mass "
		"passes Z (a stage of --order)",
		"a number in [0, 1]; 1 is off", "1" },
	[TV_OPT_SMOOTHING_FACTOR] = { "smoothing-factor", 0, "F", C_ALL,
		TV_GRP_SAMPLING,
		"quadratic smoothing of the logits around the top one, "
		"before the chain", "a number in [0, 100]; 0 is off", "0" },
	[TV_OPT_SMOOTHING_CURVE] = { "smoothing-curve", 0, "C", C_ALL,
		TV_GRP_SAMPLING,
		"quadratic smoothing: 1 quadratic, 3 cubic",
		"a number in [1, 10]", "1" },

	[TV_OPT_JSON] = { "json", 0, NULL,
		C_PRINT | C_SAMPLE | C_SWEEP | C_GEN,
		TV_GRP_OUTPUT, "write JSON instead of a table or CSV",
		NULL, NULL },
	[TV_OPT_N] = { "n", 'n', "N", C_SAMPLE | C_GEN, TV_GRP_OUTPUT,
		"the number of draws (generate: words)",
		"a whole number from 1 to 1000000000; generate: to 100000",
		"1000 (generate: 30)" },
	[TV_OPT_FROM] = { "from", 0, "T", C_SWEEP, TV_GRP_OUTPUT,
		"the first temperature of the sweep",
		"a number >= 0, > 0 with --log", "0.1" },
	[TV_OPT_TO] = { "to", 0, "T", C_SWEEP, TV_GRP_OUTPUT,
		"the last temperature of the sweep",
		"a number >= 0, > 0 with --log", "2" },
	[TV_OPT_STEPS] = { "steps", 0, "N", C_SWEEP, TV_GRP_OUTPUT,
		"the number of temperatures, ends included",
		"a whole number from 1 to 100000", "20" },
	[TV_OPT_LOG] = { "log", 0, NULL, C_SWEEP, TV_GRP_OUTPUT,
		"space the temperatures evenly in log T", NULL, NULL },
	[TV_OPT_AT] = { "at", 0, "LIST", C_SWEEP, TV_GRP_OUTPUT,
		"these temperatures instead of a range, e.g. 0.5,1,2",
		"comma-separated numbers >= 0, at most 100000", NULL },
	[TV_OPT_LANES] = { "lanes", 0, "LIST", C_GEN | C_TUI | C_SNAP,
		TV_GRP_OUTPUT,
		"continue the prompt at each of these temperatures, same seed, "
		"e.g. 0,0.7,2 (the generate view shows three)",
		"comma-separated temperatures, at most 16 (three in the generate "
		"view)", NULL },
	[TV_OPT_RECORD] = { "record", 0, "FILE", C_GEN | C_TUI, TV_GRP_OUTPUT,
		"also write each step's distribution (its top 100 words and "
		"the rest) as tempviz-logits JSON, to replay as a SOURCE; in "
		"the TUI, what --server sent, at exit and on W",
		"a writable path", NULL },

	[TV_OPT_VIEW] = { "view", 0, "V", C_TUI | C_SNAP, TV_GRP_OUTPUT,
		"the view to show",
		"explore, pipeline, sample, curves, thermo, attention, generate "
		"or help",
		"explore" },
	[TV_OPT_SIZE] = { "size", 0, "WxH", C_SNAP | C_TALK, TV_GRP_OUTPUT,
		"the frame size in columns and rows",
		"WxH with W and H from 1 to 1000", "100x30" },
	[TV_OPT_FORMAT] = { "format", 0, "F", C_SNAP, TV_GRP_OUTPUT,
		"the snapshot's format", "txt, ansi, svg or html", "txt" },
	[TV_OPT_OUTPUT] = { "output", 'o', "FILE", C_SNAP, TV_GRP_OUTPUT,
		"write the snapshot to FILE",
		"a writable path", "standard output" },
	[TV_OPT_COLOR] = { "color", 0, "WHEN", C_TUI | C_SNAP | C_TALK, TV_GRP_OUTPUT,
		"use colour; auto follows NO_COLOR and the terminal",
		"auto, always or never", "auto" },
	[TV_OPT_COLORS] = { "colors", 0, "TIER", C_TUI | C_SNAP | C_TALK,
		TV_GRP_OUTPUT, "force a colour tier instead of detecting it",
		"256, 8 or mono", "detected" },
	[TV_OPT_THEME] = { "theme", 0, "BG", C_TUI | C_SNAP | C_TALK,
		TV_GRP_OUTPUT,
		"colours for the terminal's background; auto reads COLORFGBG "
		"or asks the terminal, and when neither tells uses colours "
		"legible on both", "auto, dark or light", "auto" },
	[TV_OPT_BIG] = { "big", 0, NULL, C_TUI | C_SNAP | C_TALK,
		TV_GRP_OUTPUT,
		"T and the entropy in large block digits where the screen has "
		"room (for a projector)", NULL, NULL },
	[TV_OPT_ASCII] = { "ascii", 0, NULL,
		C_TUI | C_SNAP | C_PRINT | C_SAMPLE | C_GEN | C_TALK,
		TV_GRP_OUTPUT, "draw and show tokens in ASCII only, whatever "
		"the locale", NULL, NULL },

	[TV_OPT_PRESS] = { "keys", 0, "KEYS", C_SNAP, TV_GRP_OUTPUT,
		"press these keys before the frame, e.g. \"<Tab><Right>\"",
		"characters, and <Name> for a named key as the help shows "
		"it: <Right> <Tab> <Enter> <Space> <PgDn> <Esc> <Ctrl-l> <F1> "
		"..., and <lt> for <", NULL },
	[TV_OPT_TALK] = { "talk", 0, "TALK", C_SNAP, TV_GRP_OUTPUT,
		"render a step of a talk instead of a SOURCE (with --step)",
		"a talk file, or a built-in name from present --list", NULL },
	[TV_OPT_STEP] = { "step", 0, "N", C_SNAP, TV_GRP_OUTPUT,
		"the step of --talk to render, counted from 1",
		"a whole number from 1 to the number of steps", "1" },
	[TV_OPT_CHECK] = { "check", 0, NULL, C_TALK, TV_GRP_OUTPUT,
		"check the talk and exit: 0 when it plays, 1 with the first "
		"error as FILE:LINE:COL", NULL, NULL },
	[TV_OPT_EXPORT] = { "export", 0, "FILE", C_TALK, TV_GRP_OUTPUT,
		"write every step's frame and caption as one HTML file",
		"a writable path", NULL },

	[TV_OPT_LIST] = { "list", 0, NULL, C_TUI | C_TALK, TV_GRP_PROGRAM,
		"list the built-in scenarios (present: talks) and exit", NULL,
		NULL },
	[TV_OPT_KEYS] = { "keys-markdown", 0, NULL, C_TUI, TV_GRP_PROGRAM,
		"print the TUI's key table as Markdown and exit", NULL, NULL },
	[TV_OPT_HELP] = { "help", 'h', NULL, C_ALL | C_TALK, TV_GRP_PROGRAM,
		"show this help and exit", NULL, NULL },
	[TV_OPT_VERSION] = { "version", 'V', NULL, C_ALL | C_TALK,
		TV_GRP_PROGRAM,
		"show the version and exit", NULL, NULL },
};

static const char *const cmd_names[TV_CMD__COUNT] = {
	[TV_CMD_TUI] = "tempviz",
	[TV_CMD_PRINT] = "print",
	[TV_CMD_SAMPLE] = "sample",
	[TV_CMD_SWEEP] = "sweep",
	[TV_CMD_SNAPSHOT] = "snapshot",
	[TV_CMD_GENERATE] = "generate",
	[TV_CMD_PRESENT] = "present",
};

const struct tv_optdef *
tv_cli_optdef(enum tv_opt id)
{
	return &optdefs[id];
}

int
tv_cli_compare_key(enum tv_opt id)
{
	return (id >= TV_OPT_TEMP && id <= TV_OPT_SEED) ||
	       (id >= TV_OPT_REPEAT_PENALTY && id <= TV_OPT_SMOOTHING_CURVE);
}

const char *
tv_cmd_name(enum tv_cmd c)
{
	return cmd_names[c];
}

static int
cmd_lookup(const char *s)
{
	for (int c = TV_CMD_PRINT; c < TV_CMD__COUNT; c++)
		if (strcmp(s, cmd_names[c]) == 0)
			return c;
	return -1;
}

/* "--top-p", or "-n" for a flag whose long name is one letter. */
static const char *
flag_name(enum tv_opt id)
{
	static char buf[40];

	snprintf(buf, sizeof(buf), "%s%s", optdefs[id].name[1] ? "--" : "-",
		 optdefs[id].name);
	return buf;
}

/* "--top-p: " and the accepted values, the common frame of a bad value. */
static int
bad_value(enum tv_opt id, const char *what, const char *val)
{
	const struct tv_optdef *d = &optdefs[id];

	if (d->accepted)
		tv_cli_err("%s: %s %s (accepted: %s)", flag_name(id), val,
			   what, d->accepted);
	else
		tv_cli_err("%s: %s %s", flag_name(id), val, what);
	return TV_EXIT_USAGE;
}

static int
not_a(enum tv_opt id, const char *what, const char *val)
{
	char q[160];

	snprintf(q, sizeof(q), "\"%.*s\"", 120, val);
	return bad_value(id, what, q);
}

/* A finite number written in full: strtod must consume every byte. */
static int
num_value(enum tv_opt id, const char *s, double *v)
{
	if (tv_cli_strtod(s, v) != 0)
		return not_a(id, "is not a number", s);
	return 0;
}

/* A whole number in [lo, hi]. Written like any number ("1e6" is fine) so
 * that scripts can use the same notation everywhere. */
static int
whole_value(enum tv_opt id, const char *s, double lo, double hi, double *v)
{
	if (num_value(id, s, v) != 0)
		return TV_EXIT_USAGE;
	if (*v != floor(*v))
		return not_a(id, "is not a whole number", s);
	if (*v < lo || *v > hi)
		return bad_value(id, "is out of range", s);
	return 0;
}

/* The samplers with memory and the tools' truncations: 0 set, an exit
 * status on a bad value, -1 when id is not one of them. */
static int
set_memory(struct tv_params *p, enum tv_opt id, const char *s)
{
	int *iv = id == TV_OPT_REPEAT_LAST_N ? &p->repeat_last_n :
		  id == TV_OPT_DRY_ALLOWED_LENGTH ? &p->dry_allowed_length :
		  id == TV_OPT_DRY_PENALTY_LAST_N ? &p->dry_penalty_last_n :
		  id == TV_OPT_MIROSTAT ? &p->mirostat : NULL;
	double *dv = id == TV_OPT_REPEAT_PENALTY ? &p->repeat_penalty :
		     id == TV_OPT_FREQ_PENALTY ? &p->freq_penalty :
		     id == TV_OPT_PRESENCE_PENALTY ? &p->presence_penalty :
		     id == TV_OPT_DRY_MULTIPLIER ? &p->dry_multiplier :
		     id == TV_OPT_DRY_BASE ? &p->dry_base :
		     id == TV_OPT_MIROSTAT_ENT ? &p->mirostat_tau :
		     id == TV_OPT_MIROSTAT_LR ? &p->mirostat_eta :
		     id == TV_OPT_TOP_A ? &p->top_a :
		     id == TV_OPT_TFS ? &p->tfs :
		     id == TV_OPT_SMOOTHING_FACTOR ? &p->smoothing_factor :
		     id == TV_OPT_SMOOTHING_CURVE ? &p->smoothing_curve : NULL;

	double v;

	if (iv) {
		if (whole_value(id, s, -2147483647.0, 2147483647.0, &v) != 0)
			return TV_EXIT_USAGE;
		*iv = (int)v;
		return 0;
	}
	if (!dv)
		return -1;
	if (num_value(id, s, &v) != 0)
		return TV_EXIT_USAGE;
	*dv = v;
	/* mu starts at twice the target. */
	if (id == TV_OPT_MIROSTAT_ENT)
		p->mirostat_mu = 2 * v;
	return 0;
}

/*
 * --dry-sequence-breaker as llama.cpp's common/arg.cpp takes it: the first
 * one clears the defaults, "none" clears the list, any other string is
 * added. llama.cpp skips an empty string and cuts a long one to 40 bytes
 * with a warning; here the empty one is refused, and the cut said.
 */
static int
add_breaker(struct tv_cli *o, const char *s)
{
	struct tv_cli_breakers *b = &o->breakers;
	const char **list;

	if (!*s)
		return not_a(TV_OPT_DRY_SEQUENCE_BREAKER, "breaks nothing", s);
	if (!b->given || strcmp(s, "none") == 0)
		b->n = 0;
	b->given = 1;
	if (strcmp(s, "none") != 0) {
		list = realloc(b->list, (b->n + 2) * sizeof *list);
		if (!list) {
			tv_cli_err("out of memory");
			return TV_EXIT_DATA;
		}
		b->list = list;
		b->list[b->n++] = s;
		if (strlen(s) > 40)
			tv_cli_err("note: --dry-sequence-breaker: only the first "
				   "40 bytes of \"%.40s...\" are used, as in "
				   "llama.cpp", s);
	} else if (!b->list && !(b->list = malloc(sizeof *b->list))) {
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	b->list[b->n] = NULL;
	o->params.dry_breakers = b->list;
	return 0;
}

static int
set_sampling(struct tv_cli *o, enum tv_opt id, const char *s)
{
	struct tv_params *p = &o->params;
	double v;

	int rc = set_memory(p, id, s);

	if (rc >= 0)
		return rc;
	if (id == TV_OPT_TOP_K || id == TV_OPT_MIN_KEEP || id == TV_OPT_SEED) {
		double hi = id == TV_OPT_SEED ? 4294967295.0 : 2147483647.0;
		double lo = id == TV_OPT_SEED ? 0 : -2147483647.0;

		if (whole_value(id, s, lo, hi, &v) != 0)
			return TV_EXIT_USAGE;
		if (id == TV_OPT_TOP_K)
			p->top_k = (int)v;
		else if (id == TV_OPT_MIN_KEEP)
			p->min_keep = (int)v;
		else
			p->seed = (uint32_t)v;
		return 0;
	}
	if (num_value(id, s, &v) != 0)
		return TV_EXIT_USAGE;
	switch (id) {
	case TV_OPT_TEMP: p->temp = v; break;
	case TV_OPT_TOP_P: p->top_p = v; break;
	case TV_OPT_MIN_P: p->min_p = v; break;
	case TV_OPT_TYPICAL: p->typical_p = v; break;
	case TV_OPT_TOP_N_SIGMA: p->top_n_sigma = v; break;
	case TV_OPT_XTC_THRESHOLD: p->xtc_threshold = v; break;
	case TV_OPT_XTC_PROBABILITY: p->xtc_probability = v; break;
	case TV_OPT_DYNATEMP_RANGE: p->dynatemp_range = v; break;
	case TV_OPT_DYNATEMP_EXP: p->dynatemp_exp = v; break;
	default: break;
	}
	return 0;
}

static int
set_profile(struct tv_cli *o, const char *s)
{
	char list[128] = "";
	int p = tv_profile_parse(s);

	if (p >= 0) {
		o->profile = (enum tv_profile)p;
		return 0;
	}
	for (int i = 0; i < TV_PROFILE__COUNT; i++)
		tv_cli_join(list, sizeof(list), ", ",
			    tv_profile_name((enum tv_profile)i));
	tv_cli_err("--profile: unknown profile \"%s\" (accepted: %s)", s,
		   list);
	return TV_EXIT_USAGE;
}

/* A list of numbers >= 0 (--at, --lanes) into *out, at most max. */
static int
set_list(enum tv_opt id, const char *s, long max, double **out, long *n)
{
	size_t cap = 1;

	for (const char *c = s; *c; c++)
		cap += *c == ',';
	if (cap > (size_t)max)
		return bad_value(id, "has too many values", "the list");
	free(*out);
	*out = malloc(cap * sizeof(**out));
	if (!*out) {
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	*n = 0;
	for (const char *c = s;; c++) {
		const char *e = strchr(c, ',');
		size_t len = e ? (size_t)(e - c) : strlen(c);
		char item[64];

		snprintf(item, sizeof(item), "%.*s", (int)len, c);
		if (len >= sizeof(item) || tv_cli_strtod(item, &(*out)[*n]))
			return not_a(id, "is not a number", item);
		if ((*out)[*n] < 0)
			return bad_value(id, "is out of range", item);
		(*n)++;
		if (!e)
			return 0;
		c = e;
	}
}

static int
set_size(struct tv_cli *o, const char *s)
{
	char *x, *end;
	long w = strtol(s, &x, 10), h;

	if (x == s || (*x != 'x' && *x != 'X') || x[1] < '0' || x[1] > '9')
		return not_a(TV_OPT_SIZE, "is not WxH", s);
	h = strtol(x + 1, &end, 10);
	if (*end != '\0' || s[0] < '0' || s[0] > '9')
		return not_a(TV_OPT_SIZE, "is not WxH", s);
	if (w < 1 || h < 1 || w > TV_SIZE_MAX || h > TV_SIZE_MAX)
		return bad_value(TV_OPT_SIZE, "is out of range", s);
	o->w = (int)w;
	o->h = (int)h;
	return 0;
}

/* One of a fixed set of words; fills *out with its index. */
static int
word_value(enum tv_opt id, const char *s, const char *const *words, int n,
	   int *out)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, words[i]) == 0) {
			*out = i;
			return 0;
		}
	return not_a(id, "is not accepted", s);
}

static int
set_ui(struct tv_cli *o, enum tv_opt id, const char *s)
{
	static const char *const colors[] = { "auto", "always", "never" };
	static const char *const themes[] = { "auto", "dark", "light" };
	int v = -1;

	switch (id) {
	case TV_OPT_VIEW:
		if ((v = tv_view_parse(s)) < 0)
			return not_a(id, "is not a view", s);
		o->ui.view = (enum tv_view)v;
		return 0;
	case TV_OPT_FORMAT:
		if ((v = tv_format_parse(s)) < 0)
			return not_a(id, "is not a format", s);
		o->format = v;
		return 0;
	case TV_OPT_COLOR:
		if (word_value(id, s, colors, 3, &v) != 0)
			return TV_EXIT_USAGE;
		o->ui.color = (enum tv_color_mode)v;
		return 0;
	case TV_OPT_THEME:
		if (word_value(id, s, themes, 3, &v) != 0)
			return TV_EXIT_USAGE;
		o->ui.theme = (enum tv_theme_mode)v;
		return 0;
	case TV_OPT_COLORS:
		for (v = TV_TIER_256; v <= TV_TIER_MONO; v++)
			if (strcmp(s, tv_tier_name((enum tv_tier)v)) == 0) {
				o->ui.tier = v;
				return 0;
			}
		return not_a(id, "is not accepted", s);
	default:
		return set_size(o, s);
	}
}

static int
set_sweep(struct tv_cli *o, enum tv_opt id, const char *s)
{
	double v;

	if (id == TV_OPT_AT)
		return set_list(id, s, TV_SWEEP_MAX_POINTS, &o->at, &o->n_at);
	o->range_given = 1;
	if (id == TV_OPT_STEPS) {
		if (whole_value(id, s, 1, TV_SWEEP_MAX_POINTS, &v) != 0)
			return TV_EXIT_USAGE;
		o->steps = (long)v;
		return 0;
	}
	if (num_value(id, s, &v) != 0)
		return TV_EXIT_USAGE;
	if (v < 0)
		return bad_value(id, "is out of range", s);
	*(id == TV_OPT_FROM ? &o->from : &o->to) = v;
	return 0;
}

/* Apply one flag with its value (NULL for a switch). */
static int
apply(struct tv_cli *o, enum tv_opt id, const char *val)
{
	double v;

	o->given[id] = val ? val : "";
	switch (id) {
	case TV_OPT_SCENARIO: o->spec.scenario = val; return 0;
	case TV_OPT_LOGITS: o->spec.logits = val; return 0;
	case TV_OPT_PROBS: o->spec.probs = val; return 0;
	case TV_OPT_VOCAB: o->spec.vocab = val; return 0;
	case TV_OPT_ROW:
		if (whole_value(id, val, -2147483647.0, 2147483647.0, &v))
			return TV_EXIT_USAGE;
		o->spec.row = val;
		return 0;
	case TV_OPT_POSITION:
		if (whole_value(id, val, 1, 4294967295.0, &v) != 0)
			return TV_EXIT_USAGE;
		o->position = (long)v - 1;
		o->ui.position = (uint32_t)o->position;
		return 0;
	case TV_OPT_LM:
		o->lm = 1;
		o->lm_path = val && *val ? val : NULL;
		return 0;
	case TV_OPT_PROMPT: o->prompt = val; return 0;
	case TV_OPT_SERVER:
		o->server = o->srv.url = val;
		o->lm = 1;
		return 0;
	case TV_OPT_API:
		if (tv_server_api_parse(val, &o->srv.api) == 0)
			return 0;
		return not_a(id, "is not an API", val);
	case TV_OPT_MODEL: o->srv.model = val; return 0;
	case TV_OPT_N_PROBS:
		if (whole_value(id, val, 1, 1e6, &v) != 0)
			return TV_EXIT_USAGE;
		o->srv.n_probs = (uint32_t)v;
		return 0;
	case TV_OPT_TIMEOUT:
		if (num_value(id, val, &v) != 0)
			return TV_EXIT_USAGE;
		if (!(v >= 0.1 && v <= 3600))
			return bad_value(id, "is out of range", val);
		o->srv.timeout_ms = (long)(v * 1000 + 0.5);
		return 0;
	case TV_OPT_STREAM: o->srv.stream = 1; return 0;
	case TV_OPT_HISTORY: o->history = val; return 0;
	case TV_OPT_DRY_SEQUENCE_BREAKER: return add_breaker(o, val);
	case TV_OPT_LANES:
		return set_list(id, val, TV_GEN_MAX_LANES, &o->lanes,
				&o->n_lanes);
	case TV_OPT_RECORD:
		o->record = o->ui.record = val;
		return 0;
	case TV_OPT_PROFILE: return set_profile(o, val);
	case TV_OPT_ORDER: return 0;
	case TV_OPT_JSON: o->json = 1; return 0;
	case TV_OPT_N:
		if (whole_value(id, val, 1, 1e9, &v) != 0)
			return TV_EXIT_USAGE;
		o->n = (uint64_t)v;
		return 0;
	case TV_OPT_LOG: o->log = 1; o->range_given = 1; return 0;
	case TV_OPT_FROM: case TV_OPT_TO: case TV_OPT_STEPS: case TV_OPT_AT:
		return set_sweep(o, id, val);
	case TV_OPT_VIEW: case TV_OPT_SIZE: case TV_OPT_FORMAT:
	case TV_OPT_COLOR: case TV_OPT_COLORS: case TV_OPT_THEME:
		return set_ui(o, id, val);
	case TV_OPT_OUTPUT: o->out = val; return 0;
	case TV_OPT_PRESS: o->press = val; return 0;
	case TV_OPT_TALK: o->talk = val; return 0;
	case TV_OPT_STEP:
		if (whole_value(id, val, 1, 1e6, &v) != 0)
			return TV_EXIT_USAGE;
		o->step = (long)v;
		return 0;
	case TV_OPT_CHECK: o->check = 1; return 0;
	case TV_OPT_EXPORT: o->export_to = val; return 0;
	case TV_OPT_ASCII: o->ui.ascii = 1; return 0;
	case TV_OPT_BIG: o->ui.big = 1; return 0;
	case TV_OPT_COMPARE: return 0;
	case TV_OPT_RANGE:
		if (tv_trange_parse(val, &o->ui.range) != 0)
			return not_a(id, "is not a range", val);
		return 0;
	case TV_OPT_LIST: o->action = TV_DO_LIST; return 0;
	case TV_OPT_KEYS: o->action = TV_DO_KEYS; return 0;
	case TV_OPT_HELP: o->action = TV_DO_HELP; return 0;
	case TV_OPT_VERSION: o->action = TV_DO_VERSION; return 0;
	default: return set_sampling(o, id, val);
	}
}

static void
defaults(struct tv_cli *o)
{
	memset(o, 0, sizeof(*o));
	o->position = -1;
	tv_params_default(&o->params);
	o->profile = TV_PROFILE_HF;
	o->n = 1000;
	o->from = 0.1;
	o->to = 2;
	o->steps = 20;
	o->ui.color = TV_COLOR_AUTO;
	o->ui.tier = -1;
	o->ui.view = TV_VIEW_EXPLORE;
	o->w = 100;
	o->h = 30;
	o->format = TV_FMT_TXT;
}

static int
unknown_option(const struct tv_cli *o, const char *arg, size_t len)
{
	char list[1024] = "";

	for (int i = 0; i < TV_OPT__COUNT; i++) {
		if (optdefs[i].cmds & (1u << o->cmd))
			tv_cli_join(list, sizeof(list), ", ",
				    flag_name((enum tv_opt)i));
	}
	if (o->cmd == TV_CMD_TUI)
		tv_cli_err("unknown option %.*s (accepted: %s)", (int)len, arg,
			   list);
	else
		tv_cli_err("%s: unknown option %.*s (accepted: %s)",
			   cmd_names[o->cmd], (int)len, arg, list);
	return TV_EXIT_USAGE;
}

static int
find_long(const char *name, size_t len)
{
	for (int i = 0; i < TV_OPT__COUNT; i++)
		if (strlen(optdefs[i].name) == len &&
		    memcmp(optdefs[i].name, name, len) == 0)
			return i;
	return -1;
}

static int
find_short(char c)
{
	for (int i = 0; i < TV_OPT__COUNT; i++)
		if (c && optdefs[i].short_name == c)
			return i;
	return -1;
}

static int
not_here(const struct tv_cli *o, int id)
{
	char list[96] = "";

	for (int c = 0; c < TV_CMD__COUNT; c++)
		if (optdefs[id].cmds & (1u << c))
			tv_cli_join(list, sizeof(list), ", ",
				    c == TV_CMD_TUI ? "the TUI" : cmd_names[c]);
	tv_cli_err("%s is not an option of %s (it is one of %s)",
		   flag_name((enum tv_opt)id),
		   o->cmd == TV_CMD_TUI ? "the TUI" : cmd_names[o->cmd], list);
	return TV_EXIT_USAGE;
}

/*
 * One flag at argv[*i]: "--name", "--name=value", "--name value", "-n 5",
 * "-n5". Advances *i past a separate value.
 */
static int
parse_flag(struct tv_cli *o, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *val = NULL;
	size_t len;
	int id;

	if (arg[1] == '-') {
		const char *eq = strchr(arg, '=');

		len = eq ? (size_t)(eq - arg) : strlen(arg);
		id = find_long(arg + 2, len - 2);
		val = eq ? eq + 1 : NULL;
	} else {
		len = 2;
		id = find_short(arg[1]);
		val = arg[2] ? arg + 2 : NULL;
	}
	if (id < 0)
		return unknown_option(o, arg, len);
	if (!(optdefs[id].cmds & (1u << o->cmd)))
		return not_here(o, id);
	if (!optdefs[id].metavar) {
		if (val) {
			tv_cli_err("%s takes no value",
				   flag_name((enum tv_opt)id));
			return TV_EXIT_USAGE;
		}
		return apply(o, (enum tv_opt)id, NULL);
	}
	/* "[PATH]": a value only when one follows that is not a flag. */
	if (!val && optdefs[id].metavar[0] == '[') {
		if (*i + 1 < argc && argv[*i + 1][0] != '-')
			val = argv[++*i];
		return apply(o, (enum tv_opt)id, val);
	}
	if (!val) {
		if (*i + 1 >= argc) {
			tv_cli_err("%s needs a value: %s (accepted: %s)",
				   flag_name((enum tv_opt)id), optdefs[id].metavar,
				   optdefs[id].accepted);
			return TV_EXIT_USAGE;
		}
		val = argv[++*i];
	}
	return apply(o, (enum tv_opt)id, val);
}

/*
 * A word where SOURCE may stand. A word that names no file and looks like
 * no path is more likely a mistyped subcommand than a missing file, so it
 * is reported as both.
 */
static int
positional(struct tv_cli *o, const char *arg, int first)
{
	struct stat sb;

	if (first && cmd_lookup(arg) >= 0) {
		o->cmd = (enum tv_cmd)cmd_lookup(arg);
		return 0;
	}
	if (o->spec.path) {
		tv_cli_err("unexpected argument \"%s\": SOURCE was already "
			   "given as \"%s\"", arg, o->spec.path);
		return TV_EXIT_USAGE;
	}
	if (cmd_lookup(arg) >= 0 && stat(arg, &sb) != 0) {
		tv_cli_err("%s: a subcommand comes first: tempviz %s [SOURCE] "
			   "[OPTIONS]", arg, arg);
		return TV_EXIT_USAGE;
	}
	if (first && strcmp(arg, "-") != 0 && stat(arg, &sb) != 0 &&
	    !strpbrk(arg, "./")) {
		tv_cli_err("%s: no such subcommand or file (subcommands: "
			   "print, sample, sweep, snapshot, generate, present)",
			   arg);
		return TV_EXIT_USAGE;
	}
	o->spec.path = arg;
	return 0;
}

static int
one_source(const struct tv_cli *o)
{
	const char *names[5];
	int n = 0;

	/* present's word is its TALK, and its --lm the talk's model. */
	if (o->cmd == TV_CMD_PRESENT)
		return 0;
	if (o->spec.path)
		names[n++] = "SOURCE";
	if (o->spec.scenario)
		names[n++] = "--scenario";
	if (o->spec.logits)
		names[n++] = "--logits";
	if (o->spec.probs)
		names[n++] = "--probs";
	if (o->given[TV_OPT_LM] && (o->cmd != TV_CMD_GENERATE || o->server))
		names[n++] = "--lm";
	if (o->server && (o->cmd != TV_CMD_GENERATE || o->given[TV_OPT_LM]))
		names[n++] = "--server";
	if (n <= 1)
		return 0;
	tv_cli_err("%s and %s both name a source (give one of SOURCE, "
		   "--scenario, --logits, --probs, --lm, --server)", names[0],
		   names[1]);
	return TV_EXIT_USAGE;
}

static int
check_order(struct tv_cli *o)
{
	const char *bad;
	size_t len;
	char list[160] = "";

	tv_chain_default(&o->chain, o->profile);
	if (!o->given[TV_OPT_ORDER] ||
	    tv_chain_parse(&o->chain, o->given[TV_OPT_ORDER], &bad) == 0)
		return 0;
	len = strcspn(bad, ",");
	if (tv_stage_parse(bad, len) >= 0) {
		tv_cli_err("--order: %.*s appears twice (accepted: %s)",
			   (int)len, bad, optdefs[TV_OPT_ORDER].accepted);
		return TV_EXIT_USAGE;
	}
	for (int k = 0; k < TV_STAGE__COUNT; k++)
		tv_cli_join(list, sizeof(list), ", ",
			    tv_stage_name((enum tv_stage_kind)k));
	tv_cli_err("--order: unknown stage \"%.*s\" (accepted: %s)", (int)len,
		   bad, list);
	return TV_EXIT_USAGE;
}

/* The text the user gave for the flag a check names ("--top-p"); NULL
 * when it was not given. */
static const char *
given_text(const struct tv_cli *o, const char *flag)
{
	int id;

	if (strncmp(flag, "--", 2) != 0)
		return NULL;
	id = find_long(flag + 2, strlen(flag + 2));
	return id < 0 ? NULL : o->given[id];
}

static int
check_params(const struct tv_cli *o)
{
	const char *why = NULL;
	const char *flag = tv_params_check(&o->params, o->profile, &why);
	const char *val;

	if (!flag)
		return 0;
	val = given_text(o, flag);
	if (val)
		tv_cli_err("%s: %s is out of range (accepted: %s)", flag, val,
			   why);
	else
		tv_cli_err("%s: out of range for profile %s (accepted: %s)",
			   flag, tv_profile_name(o->profile), why);
	return TV_EXIT_USAGE;
}

/* A swept temperature within what the pipeline accepts for --temp. */
static int
check_sweep_temp(const struct tv_cli *o, enum tv_opt id, double t)
{
	struct tv_params p = o->params;
	const char *why = NULL, *flag;

	p.temp = t;
	flag = tv_params_check(&p, o->profile, &why);
	if (!flag || strcmp(flag, "--temp") != 0)
		return 0;
	tv_cli_err("%s: %g is out of range (accepted: %s)", flag_name(id), t,
		   why);
	return TV_EXIT_USAGE;
}

static int
check_sweep(const struct tv_cli *o)
{
	if (o->cmd != TV_CMD_SWEEP)
		return 0;
	for (long i = 0; i < o->n_at; i++)
		if (check_sweep_temp(o, TV_OPT_AT, o->at[i]))
			return TV_EXIT_USAGE;
	if (check_sweep_temp(o, TV_OPT_FROM, o->from) ||
	    check_sweep_temp(o, TV_OPT_TO, o->to))
		return TV_EXIT_USAGE;
	if (o->n_at && o->range_given) {
		tv_cli_err("--at gives the temperatures itself; it excludes "
			   "--from, --to, --steps and --log");
		return TV_EXIT_USAGE;
	}
	if (o->log && (o->from <= 0 || o->to <= 0)) {
		enum tv_opt id = o->from <= 0 ? TV_OPT_FROM : TV_OPT_TO;
		double v = o->from <= 0 ? o->from : o->to;

		tv_cli_err("%s: %g is out of range with --log (accepted: a "
			   "number > 0)", flag_name(id), v);
		return TV_EXIT_USAGE;
	}
	return 0;
}

/* The flags that only a server reads. */
static int
check_server(const struct tv_cli *o)
{
	static const enum tv_opt only[] = { TV_OPT_API, TV_OPT_MODEL,
					    TV_OPT_N_PROBS, TV_OPT_TIMEOUT,
					    TV_OPT_STREAM };

	for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
		if (o->given[only[i]] && !o->server) {
			tv_cli_err("%s is a setting of --server URL: give "
				   "--server with it", flag_name(only[i]));
			return TV_EXIT_USAGE;
		}
	return 0;
}

/* generate reads the language model; elsewhere --prompt is its prompt. */
static int
check_lm(struct tv_cli *o)
{
	if (check_server(o) != 0)
		return TV_EXIT_USAGE;
	if (o->cmd == TV_CMD_TUI && o->record && !o->server) {
		tv_cli_err("--record in the TUI keeps what --server sent: give "
			   "--server URL with it");
		return TV_EXIT_USAGE;
	}
	if (o->cmd == TV_CMD_GENERATE) {
		if (o->spec.path) {
			tv_cli_err("generate: unexpected argument \"%s\" (generate "
				   "reads a language model: --lm [PATH])",
				   o->spec.path);
			return TV_EXIT_USAGE;
		}
		if (o->given[TV_OPT_N] && o->n > TV_GEN_MAX_WORDS) {
			tv_cli_err("-n: %s is out of range for generate (accepted: "
				   "a whole number from 1 to %d)",
				   o->given[TV_OPT_N], TV_GEN_MAX_WORDS);
			return TV_EXIT_USAGE;
		}
		if (o->record && o->n_lanes) {
			tv_cli_err("--record writes one lane; it excludes --lanes");
			return TV_EXIT_USAGE;
		}
		o->lm = 1;
		o->n = o->given[TV_OPT_N] ? o->n : 30;
		for (long i = 0; i < o->n_lanes; i++)
			if (check_sweep_temp(o, TV_OPT_LANES, o->lanes[i]))
				return TV_EXIT_USAGE;
		return 0;
	}
	if (o->prompt && !o->lm) {
		tv_cli_err("--prompt is the prompt of a language model: give "
			   "--lm [PATH] or --server URL with it");
		return TV_EXIT_USAGE;
	}
	return 0;
}

/* present plays a talk, whose steps name their own sources. */
static int
check_talk(const struct tv_cli *o)
{
	int talk = o->cmd == TV_CMD_PRESENT || o->talk;

	if (o->given[TV_OPT_STEP] && !o->talk) {
		tv_cli_err("--step is a step of --talk TALK: give --talk with it");
		return TV_EXIT_USAGE;
	}
	if (talk && (o->spec.scenario || o->spec.logits || o->spec.probs ||
		     (o->cmd == TV_CMD_SNAPSHOT && o->spec.path))) {
		tv_cli_err("%s: a talk's steps name their sources (accepted: "
			   "no SOURCE, --scenario, --logits or --probs with it)",
			   o->talk ? "--talk" : "present");
		return TV_EXIT_USAGE;
	}
	if (o->cmd == TV_CMD_PRESENT && o->action == TV_DO_RUN &&
	    !o->spec.path) {
		tv_cli_err("present: which talk? (accepted: a talk file, or a "
			   "built-in name from tempviz present --list)");
		return TV_EXIT_USAGE;
	}
	if (o->check && o->export_to) {
		tv_cli_err("--check only checks; it excludes --export");
		return TV_EXIT_USAGE;
	}
	return 0;
}

/* The T the dial opens at must be one --range allows. */
static int
check_range(const struct tv_cli *o)
{
	const struct tv_trange *r = &o->ui.range;
	char text[64];

	if (r->hi <= 0 || (o->params.temp >= r->lo && o->params.temp <= r->hi))
		return 0;
	tv_trange_text(r, text, sizeof text);
	tv_cli_err("--temp: %g is outside --range %s", o->params.temp, text);
	return TV_EXIT_USAGE;
}

static int
check_all(struct tv_cli *o)
{
	int rc;

	if ((rc = check_talk(o)) || (rc = one_source(o)) ||
	    (rc = check_lm(o)) || (rc = check_order(o)) ||
	    (rc = check_params(o)) || (rc = check_sweep(o)) ||
	    (rc = tv_cli_compare_parse(o)) || (rc = check_range(o)))
		return rc;
	return 0;
}

int
tv_cli_parse(int argc, char **argv, struct tv_cli *o)
{
	int only_positional = 0;

	defaults(o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int rc = 0;

		if (!only_positional && strcmp(a, "--") == 0)
			only_positional = 1;
		else if (!only_positional && a[0] == '-' && a[1] != '\0')
			rc = parse_flag(o, argc, argv, &i);
		else
			rc = positional(o, a, i == 1);
		if (rc)
			return rc;
		if (o->action == TV_DO_HELP || o->action == TV_DO_VERSION)
			return 0;
	}
	return check_all(o);
}

void
tv_cli_free(struct tv_cli *o)
{
	free(o->at);
	o->at = NULL;
	free(o->lanes);
	o->lanes = NULL;
	free(o->breakers.list);
	o->breakers.list = NULL;
	free(o->cmp.breakers.list);
	o->cmp.breakers.list = NULL;
	for (int i = 0; i < o->cmp.n_args; i++)
		free(o->cmp.args[i]);
	free(o->cmp.args);
	o->cmp.args = NULL;
	o->cmp.n_args = 0;
}
