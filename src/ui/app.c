/* SPDX-License-Identifier: MIT */
/*
 * The application state and what actions do to it: the dials, the input
 * line, views and profiles, and the chrome (header, footer, the
 * too-small notice) around the shown view. Numbers come from the core;
 * this file only decides which ones to ask for.
 */
#include "ui/app_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/safetext.h"
#include "ui/action.h"
#include "ui/genmode.h"
#include "ui/memmode.h"
#include "ui/picker.h"
#include "ui/recipe.h"
#include "ui/shot.h"
#include "ui/takehome.h"
#include "ui/talkmode.h"

static const char *const view_names[TV_VIEW__COUNT] = {
	[TV_VIEW_EXPLORE] = "explore",
	[TV_VIEW_PIPELINE] = "pipeline",
	[TV_VIEW_SAMPLE] = "sample",
	[TV_VIEW_CURVES] = "curves",
	[TV_VIEW_THERMO] = "thermo",
	[TV_VIEW_ATTENTION] = "attention",
	[TV_VIEW_GENERATE] = "generate",
	[TV_VIEW_HELP] = "help",
};

int
tv_view_parse(const char *s)
{
	int v;

	for (v = 0; v < TV_VIEW__COUNT; v++)
		if (strcmp(s, view_names[v]) == 0)
			return v;
	return -1;
}

const char *
tv_view_name(enum tv_view v)
{
	if (v < 0 || v >= TV_VIEW__COUNT)
		return "?";
	return view_names[v];
}

const struct tv_view_ops *
tv_app_view_ops(enum tv_view v)
{
	switch (v) {
	case TV_VIEW_EXPLORE:
		return &tv_view_explore_ops;
	case TV_VIEW_PIPELINE:
		return &tv_view_pipeline_ops;
	case TV_VIEW_SAMPLE:
		return &tv_view_sample_ops;
	case TV_VIEW_CURVES:
		return &tv_view_curves_ops;
	case TV_VIEW_THERMO:
		/* Weak: NULL when view_thermo.c is not linked in. */
		return &tv_view_thermo_ops;
	case TV_VIEW_ATTENTION:
		return &tv_view_attention_ops;
	case TV_VIEW_GENERATE:
		return &tv_view_generate_ops;
	case TV_VIEW_HELP:
		return &tv_view_help_ops;
	case TV_VIEW__COUNT:
		break;
	}
	return NULL;
}

/* ------------------------------------------------------------ dials --- */

/* The steps of a log-scale dial, as mantissas of one decade: fine steps
 * of 2.5 to 10 per cent that land on round numbers (0.70, 1.2, 4.8), and
 * the 1-2-5 ladder for coarse steps. */
static const double fine_ladder[] = {
	1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9,
	2.0, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6, 3.8, 4.0, 4.2, 4.4, 4.6,
	4.8, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5,
};
static const double coarse_ladder[] = { 1.0, 2.0, 5.0 };

#define LADDER(l) (l), (int)(sizeof(l) / sizeof *(l))

struct dial_def {
	const char *name;
	enum tv_stage_kind stage;
	double lo, hi;          /* hi < 0: the vocabulary size */
	double fine, coarse;    /* linear steps; 0: the log ladders */
	int integer;
	int log;                /* the track is on a log scale */
	const char *accepted;   /* for the input line's refusal (NULL:
	                           from the vocabulary) */
};

static const struct dial_def dial_defs[TV_DIAL__COUNT] = {
	[TV_DIAL_TEMP] = { "T", TV_STAGE_TEMP, 0, TV_T_MAX, 0, 0, 0, 1,
		"0 (greedy) to 100" },
	[TV_DIAL_TOP_K] = { "top-k", TV_STAGE_TOP_K, 0, -1, 1, 0, 1, 1,
		NULL },
	[TV_DIAL_TOP_P] = { "top-p", TV_STAGE_TOP_P, 0.01, 1, 0.01, 0.1, 0,
		0, "0.01 to 1 (1 is off)" },
	[TV_DIAL_MIN_P] = { "min-p", TV_STAGE_MIN_P, 0, 1, 0.01, 0.1, 0, 0,
		"0 (off) to 1" },
	[TV_DIAL_TYPICAL] = { "typical", TV_STAGE_TYPICAL, 0.01, 1, 0.01,
		0.1, 0, 0, "0.01 to 1 (1 is off)" },
	[TV_DIAL_TOP_N_SIGMA] = { "top-n-sigma", TV_STAGE_TOP_N_SIGMA, 0, 10,
		0.1, 1, 0, 0, "0 (off) to 10" },
	[TV_DIAL_XTC_THRESHOLD] = { "xtc-thresh", TV_STAGE_XTC, 0, 0.5, 0.01,
		0.05, 0, 0, "0 to 0.5" },
	[TV_DIAL_XTC_PROBABILITY] = { "xtc-prob", TV_STAGE_XTC, 0, 1, 0.05,
		0.25, 0, 0, "0 (off) to 1" },
	[TV_DIAL_DYNATEMP_RANGE] = { "dynatemp", TV_STAGE_TEMP, 0, 10, 0.05,
		0.5, 0, 0, "0 (off) to 10" },
	[TV_DIAL_DYNATEMP_EXP] = { "dyn-exp", TV_STAGE_TEMP, 0.1, 10, 0.1, 1,
		0, 1, "0.1 to 10" },
	[TV_DIAL_MIN_KEEP] = { "min-keep", TV_STAGE__COUNT, 0, 100, 1, 10, 1,
		0, "whole numbers 0 (off) to 100" },
	[TV_DIAL_TOP_A] = { "top-a", TV_STAGE_TOP_A, 0, 1, 0.01, 0.1, 0, 0,
		"0 (off) to 1" },
	[TV_DIAL_TFS] = { "tfs", TV_STAGE_TFS, 0, 1, 0.01, 0.1, 0, 0,
		"0 to 1 (1 is off)" },
	[TV_DIAL_MIROSTAT] = { "mirostat", TV_STAGE_MIROSTAT, 0, 2, 1, 1, 1,
		0, "0 (off), 1 or 2" },
	[TV_DIAL_MIROSTAT_TAU] = { "miro-tau", TV_STAGE_MIROSTAT, 0.1, 20,
		0.1, 1, 0, 0, "0.1 to 20 bits" },
	[TV_DIAL_MIROSTAT_ETA] = { "miro-eta", TV_STAGE_MIROSTAT, 0.01, 1,
		0.01, 0.1, 0, 0, "0.01 to 1" },
	[TV_DIAL_REPEAT_PENALTY] = { "repeat", TV_STAGE__COUNT, 0.1, 3, 0.01,
		0.1, 0, 0, "0.1 to 3 (1 is off)" },
	[TV_DIAL_REPEAT_LAST_N] = { "repeat-n", TV_STAGE__COUNT, -1, 4096, 1,
		64, 1, 0, "whole numbers -1 (all) to 4096 (0 is off)" },
	[TV_DIAL_FREQ_PENALTY] = { "freq-pen", TV_STAGE__COUNT, -2, 2, 0.01,
		0.1, 0, 0, "-2 to 2 (0 is off)" },
	[TV_DIAL_PRESENCE_PENALTY] = { "pres-pen", TV_STAGE__COUNT, -2, 2,
		0.01, 0.1, 0, 0, "-2 to 2 (0 is off)" },
	[TV_DIAL_DRY_MULTIPLIER] = { "dry-mult", TV_STAGE__COUNT, 0, 5, 0.05,
		0.5, 0, 0, "0 (off) to 5" },
	[TV_DIAL_DRY_BASE] = { "dry-base", TV_STAGE__COUNT, 1, 4, 0.05, 0.25,
		0, 0, "1 to 4" },
	[TV_DIAL_DRY_ALLOWED_LENGTH] = { "dry-len", TV_STAGE__COUNT, 0, 20, 1,
		5, 1, 0, "whole numbers 0 to 20" },
	[TV_DIAL_DRY_PENALTY_LAST_N] = { "dry-n", TV_STAGE__COUNT, -1, 4096, 1,
		64, 1, 0, "whole numbers -1 (all) to 4096 (0 is off)" },
	[TV_DIAL_SMOOTHING_FACTOR] = { "smooth", TV_STAGE__COUNT, 0, 10, 0.05,
		0.5, 0, 0, "0 (off) to 10" },
	[TV_DIAL_SMOOTHING_CURVE] = { "smooth-crv", TV_STAGE__COUNT, 1, 10,
		0.1, 1, 0, 0, "1 to 10" },
};

/* The samplers with memory and the text-generation tools' truncations:
 * where each dial keeps its value. */
static double *
memory_dial_num(struct tv_params *p, enum tv_dial_id id)
{
	switch (id) {
	case TV_DIAL_TOP_A: return &p->top_a;
	case TV_DIAL_TFS: return &p->tfs;
	case TV_DIAL_MIROSTAT_TAU: return &p->mirostat_tau;
	case TV_DIAL_MIROSTAT_ETA: return &p->mirostat_eta;
	case TV_DIAL_REPEAT_PENALTY: return &p->repeat_penalty;
	case TV_DIAL_FREQ_PENALTY: return &p->freq_penalty;
	case TV_DIAL_PRESENCE_PENALTY: return &p->presence_penalty;
	case TV_DIAL_DRY_MULTIPLIER: return &p->dry_multiplier;
	case TV_DIAL_DRY_BASE: return &p->dry_base;
	case TV_DIAL_SMOOTHING_FACTOR: return &p->smoothing_factor;
	case TV_DIAL_SMOOTHING_CURVE: return &p->smoothing_curve;
	default: return NULL;
	}
}

static int *
memory_dial_int(struct tv_params *p, enum tv_dial_id id)
{
	switch (id) {
	case TV_DIAL_MIROSTAT: return &p->mirostat;
	case TV_DIAL_REPEAT_LAST_N: return &p->repeat_last_n;
	case TV_DIAL_DRY_ALLOWED_LENGTH: return &p->dry_allowed_length;
	case TV_DIAL_DRY_PENALTY_LAST_N: return &p->dry_penalty_last_n;
	default: return NULL;
	}
}

static double
memory_dial_value(const struct tv_params *p, enum tv_dial_id id)
{
	struct tv_params q = *p;
	double *d = memory_dial_num(&q, id);
	int *i = memory_dial_int(&q, id);

	return d ? *d : i ? *i : 0;
}

static void
memory_dial_store(struct tv_params *p, enum tv_dial_id id, double v)
{
	double *d = memory_dial_num(p, id);
	int *i = memory_dial_int(p, id);

	if (d)
		*d = v;
	else if (i)
		*i = (int)v;
	/* A new target starts mu again at twice it. */
	if (id == TV_DIAL_MIROSTAT_TAU)
		p->mirostat_mu = 2 * v;
}

static int
memory_dial_off(const struct tv_params *p, enum tv_dial_id id)
{
	switch (id) {
	case TV_DIAL_TOP_A: return p->top_a <= 0;
	case TV_DIAL_TFS: return p->tfs >= 1;
	case TV_DIAL_MIROSTAT: case TV_DIAL_MIROSTAT_TAU:
	case TV_DIAL_MIROSTAT_ETA:
		return p->mirostat == 0;
	case TV_DIAL_REPEAT_PENALTY: return p->repeat_penalty == 1;
	case TV_DIAL_REPEAT_LAST_N:
		return p->repeat_last_n == 0 || (p->repeat_penalty == 1 &&
		       p->freq_penalty == 0 && p->presence_penalty == 0);
	case TV_DIAL_FREQ_PENALTY: return p->freq_penalty == 0;
	case TV_DIAL_PRESENCE_PENALTY: return p->presence_penalty == 0;
	case TV_DIAL_DRY_MULTIPLIER: case TV_DIAL_DRY_BASE:
	case TV_DIAL_DRY_ALLOWED_LENGTH: case TV_DIAL_DRY_PENALTY_LAST_N:
		return p->dry_multiplier == 0;
	case TV_DIAL_SMOOTHING_FACTOR: case TV_DIAL_SMOOTHING_CURVE:
		return p->smoothing_factor <= 0;
	default: return 1;
	}
}

/* The penalties' and DRY's dials: they act on a history. */
static int
history_dial(enum tv_dial_id id)
{
	return id >= TV_DIAL_REPEAT_PENALTY && id <= TV_DIAL_DRY_PENALTY_LAST_N;
}

/* A penalty or DRY dial the profile's engine does not have. */
static int
memory_dial_absent(enum tv_profile rules, enum tv_dial_id id)
{
	switch (id) {
	case TV_DIAL_REPEAT_PENALTY:
		return !tv_memory_has(rules, TV_MS_REPEAT);
	case TV_DIAL_FREQ_PENALTY:
		return !tv_memory_has(rules, TV_MS_FREQ);
	case TV_DIAL_PRESENCE_PENALTY:
		return !tv_memory_has(rules, TV_MS_PRESENCE);
	/* repeat-n is llama.cpp's window, as DRY's dials are its. */
	default:
		return history_dial(id) && !tv_memory_has(rules, TV_MS_DRY);
	}
}

static double
dial_value(const struct tv_params *p, enum tv_dial_id id)
{
	switch (id) {
	case TV_DIAL_TEMP: return p->temp;
	case TV_DIAL_TOP_K: return p->top_k;
	case TV_DIAL_TOP_P: return p->top_p;
	case TV_DIAL_MIN_P: return p->min_p;
	case TV_DIAL_TYPICAL: return p->typical_p;
	case TV_DIAL_TOP_N_SIGMA: return p->top_n_sigma;
	case TV_DIAL_XTC_THRESHOLD: return p->xtc_threshold;
	case TV_DIAL_XTC_PROBABILITY: return p->xtc_probability;
	case TV_DIAL_DYNATEMP_RANGE: return p->dynatemp_range;
	case TV_DIAL_DYNATEMP_EXP: return p->dynatemp_exp;
	case TV_DIAL_MIN_KEEP: return p->min_keep;
	default: return memory_dial_value(p, id);
	}
	return 0;
}

static void
dial_store(struct tv_params *p, enum tv_dial_id id, double v)
{
	switch (id) {
	case TV_DIAL_TEMP: p->temp = v; break;
	case TV_DIAL_TOP_K: p->top_k = (int)v; break;
	case TV_DIAL_TOP_P: p->top_p = v; break;
	case TV_DIAL_MIN_P: p->min_p = v; break;
	case TV_DIAL_TYPICAL: p->typical_p = v; break;
	case TV_DIAL_TOP_N_SIGMA: p->top_n_sigma = v; break;
	case TV_DIAL_XTC_THRESHOLD: p->xtc_threshold = v; break;
	case TV_DIAL_XTC_PROBABILITY: p->xtc_probability = v; break;
	case TV_DIAL_DYNATEMP_RANGE: p->dynatemp_range = v; break;
	case TV_DIAL_DYNATEMP_EXP: p->dynatemp_exp = v; break;
	case TV_DIAL_MIN_KEEP: p->min_keep = (int)v; break;
	default: memory_dial_store(p, id, v); break;
	}
}

/* --range holds the T dial inside it. */
static int
t_ranged(const struct tv_app *a, enum tv_dial_id id)
{
	return id == TV_DIAL_TEMP && a->opts.range.hi > 0;
}

static double
dial_lo(const struct tv_app *a, enum tv_dial_id id)
{
	return t_ranged(a, id) ? a->opts.range.lo : dial_defs[id].lo;
}

static double
dial_hi(const struct tv_app *a, enum tv_dial_id id)
{
	double hi = dial_defs[id].hi;

	if (t_ranged(a, id))
		return a->opts.range.hi;
	if (id == TV_DIAL_REPEAT_PENALTY || id == TV_DIAL_FREQ_PENALTY ||
	    id == TV_DIAL_PRESENCE_PENALTY) {
		double rep_max, fp_max;

		/* What the profile's engine takes (vLLM: less). */
		tv_memory_limits(a->chain.rules, &rep_max, &fp_max);
		return fmin(hi, id == TV_DIAL_REPEAT_PENALTY ? rep_max : fp_max);
	}
	if (hi >= 0)
		return hi;
	/* top-k: past the vocabulary it keeps everything, like off. */
	return a->d->vocab_size < 1e9 ? a->d->vocab_size : 1e9;
}

/* The values a dial takes, in words and figures: top-k's end is this
 * distribution's vocabulary. */
static void
dial_range(const struct tv_app *a, enum tv_dial_id id, char *buf, size_t cap)
{
	if (t_ranged(a, id))
		tv_trange_text(&a->opts.range, buf, (unsigned)cap);
	else if (dial_defs[id].hi < 0)
		snprintf(buf, cap, "whole numbers 0 (off) to %.0f",
			 dial_hi(a, id));
	else
		snprintf(buf, cap, "%s", dial_defs[id].accepted);
}

/* The sampler a dial belongs to is off at this value. */
static int
dial_is_off(const struct tv_params *p, enum tv_dial_id id)
{
	switch (id) {
	case TV_DIAL_TEMP: return 0;
	case TV_DIAL_TOP_K: return p->top_k <= 0;
	case TV_DIAL_TOP_P: return p->top_p >= 1;
	case TV_DIAL_MIN_P: return p->min_p <= 0;
	case TV_DIAL_TYPICAL: return p->typical_p >= 1;
	case TV_DIAL_TOP_N_SIGMA: return p->top_n_sigma <= 0;
	case TV_DIAL_XTC_THRESHOLD:
	case TV_DIAL_XTC_PROBABILITY:
		return p->xtc_probability <= 0 || p->xtc_threshold > 0.5;
	case TV_DIAL_DYNATEMP_RANGE:
	case TV_DIAL_DYNATEMP_EXP:
		return p->dynatemp_range <= 0;
	case TV_DIAL_MIN_KEEP: return p->min_keep <= 0;
	default: return memory_dial_off(p, id);
	}
	return 1;
}

const char *
tv_temp_regime(double t)
{
	if (t < 0.15)
		return "frozen";
	if (t < 0.6)
		return "cool";
	if (t <= 1.1)
		return "natural";
	if (t <= 1.6)
		return "warm";
	if (t <= 3.0)
		return "hot";
	return "molten";
}

/* Enough digits for every value the ladders and linear steps reach. */
static void
format_temp(char *buf, size_t cap, double t)
{
	if (t == 0)
		snprintf(buf, cap, "0 greedy");
	else if (t < 0.1)
		snprintf(buf, cap, "%.3f %s", t, tv_temp_regime(t));
	else if (t < 10)
		snprintf(buf, cap, "%.2f %s", t, tv_temp_regime(t));
	else
		snprintf(buf, cap, "%.1f %s", t, tv_temp_regime(t));
}

void
tv_dial_get(const struct tv_app *a, enum tv_dial_id id,
	    struct tv_dial_state *out)
{
	const struct dial_def *def = &dial_defs[id];
	double v = dial_value(&a->par, id);

	memset(out, 0, sizeof *out);
	out->name = def->name;
	out->value = v;
	out->lo = dial_lo(a, id);
	out->hi = dial_hi(a, id);
	/* A range is a span to read off: linear, 0-2 as 0-2. */
	out->log = def->log && !t_ranged(a, id);
	out->bands = id == TV_DIAL_TEMP;
	out->off = dial_is_off(&a->par, id);
	/* Mirostat replaces llama.cpp's chain rather than joining it. */
	out->absent = (def->stage != TV_STAGE__COUNT &&
		       !tv_chain_has(&a->chain, def->stage) &&
		       !(def->stage == TV_STAGE_MIROSTAT &&
			 a->chain.rules == TV_PROFILE_LLAMACPP)) ||
		      memory_dial_absent(a->chain.rules, id);
	if (out->log && out->lo <= 0)
		out->lo = id == TV_DIAL_TEMP ? TV_T_MIN : 1;
	if (id == TV_DIAL_TEMP)
		format_temp(out->text, sizeof out->text, v);
	else if (out->off && id != TV_DIAL_XTC_THRESHOLD &&
		 id != TV_DIAL_DYNATEMP_EXP)
		snprintf(out->text, sizeof out->text, "off");
	else if (def->integer)
		snprintf(out->text, sizeof out->text, "%.0f", v);
	else
		snprintf(out->text, sizeof out->text, "%.2f", v);
	if (out->absent) {
		size_t n = strlen(out->text);

		snprintf(out->text + n, sizeof out->text - n, " (not in %s)",
			 tv_profile_name(a->chain.rules));
	} else if (history_dial(id) && !out->off && tv_memmode_no_history(a)) {
		size_t n = strlen(out->text);

		snprintf(out->text + n, sizeof out->text - n, " (no history)");
	}
}

int
tv_dial_shown(const struct tv_app *a, enum tv_dial_id id)
{
	/* The focused one stays, so that a dial reset (x) to off does
	 * not vanish under the keys turning it. */
	if (id <= TV_DIAL_MIN_P || a->all_dials || id == a->focus)
		return 1;
	return !dial_is_off(&a->par, id);
}

/* One step along a ladder of mantissas; values stay on round numbers
 * because each step is computed afresh from the decade, never summed. */
static double
ladder_step(double v, int dir, const double *m, int n)
{
	double base = pow(10, floor(log10(v)));
	int i;

	if (dir > 0) {
		for (i = 0; i < n; i++)
			if (m[i] * base > v * (1 + 1e-9))
				return m[i] * base;
		return m[0] * base * 10;
	}
	for (i = n - 1; i >= 0; i--)
		if (m[i] * base < v * (1 - 1e-9))
			return m[i] * base;
	return m[n - 1] * base / 10;
}

static double
log_step(double v, int dir, int coarse, double lo)
{
	if (v < lo)
		return dir > 0 ? lo : v;
	v = coarse ? ladder_step(v, dir, LADDER(coarse_ladder))
		   : ladder_step(v, dir, LADDER(fine_ladder));
	/* Below the first step a log dial falls to its off (or greedy)
	 * value. */
	return v < lo * (1 - 1e-9) ? 0 : v;
}

static double
linear_step(double v, int dir, double step)
{
	double k = floor(v / step + 1e-9);

	/* Snap to the step grid first, so a typed 0.333 steps to 0.34. */
	if (fabs(v - k * step) > step * 1e-9)
		return dir > 0 ? (k + 1) * step : k * step;
	return (k + dir) * step;
}

static double
clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Round a computed step to 12 significant digits, so 0.7 - 0.01 is shown
 * and compared as 0.69. */
static double
tidy(double v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%.12g", v);
	return strtod(buf, NULL);
}

static double
dial_step(const struct tv_app *a, enum tv_dial_id id, int dir, int coarse)
{
	const struct dial_def *def = &dial_defs[id];
	double v = dial_value(&a->par, id), hi = dial_hi(a, id), lo;

	if (id == TV_DIAL_TEMP) {
		v = log_step(v, dir, coarse, TV_T_MIN);
	} else if (id == TV_DIAL_TOP_K) {
		v = coarse ? log_step(v, dir, 1, 1) : v + dir;
		v = floor(v + 0.5);
	} else {
		v = linear_step(v, dir, coarse ? def->coarse : def->fine);
	}
	lo = dial_lo(a, id);
	return tidy(clampd(v, lo, hi));
}

static void
dial_set(struct tv_app *a, enum tv_dial_id id, double v)
{
	if (dial_value(&a->par, id) == v)
		return;
	dial_store(&a->par, id, v);
	tv_app_changed(a, id == TV_DIAL_TEMP ? TV_CHG_TEMP : TV_CHG_PARAMS);
	if (history_dial(id) && tv_memmode_no_history(a))
		tv_app_note(a, "no history: set one with --history");
}

static enum tv_dial_id
dial_neighbour(const struct tv_app *a, int dir)
{
	int id = a->focus;

	do
		id = (id + dir + TV_DIAL__COUNT) % TV_DIAL__COUNT;
	while (!tv_dial_shown(a, (enum tv_dial_id)id));
	return (enum tv_dial_id)id;
}

static void
dial_reset(struct tv_app *a, enum tv_dial_id id)
{
	struct tv_params dflt;

	tv_params_default(&dflt);
	dial_set(a, id, dial_value(&dflt, id));
}

/* ------------------------------------------------------------- state --- */

void
tv_app_note(struct tv_app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->dirty = 1;
}

void
tv_app_changed(struct tv_app *a, unsigned what)
{
	int v;

	a->d = tv_memmode_dist(a);
	tv_run(a->d, &a->chain, &a->par, &a->res);
	if (what & ~(unsigned)TV_CHG_TEMP)
		a->curves.valid = 0;
	if (a->stage_focus >= a->chain.n)
		a->stage_focus = a->chain.n - 1;
	for (v = 0; v < TV_VIEW__COUNT; v++) {
		const struct tv_view_ops *ops = tv_app_view_ops((enum tv_view)v);

		if (ops && ops->changed)
			ops->changed(a, what);
	}
	a->dirty = 1;
}

void
tv_app_set_dist(struct tv_app *a, const struct tv_dist *d)
{
	a->base = a->d = d;
	a->base_serial++;
	a->d_serial++;
	tv_app_changed(a, TV_CHG_SOURCE);
}

void
tv_app_set_temp(struct tv_app *a, double t)
{
	dial_set(a, TV_DIAL_TEMP, tidy(clampd(t, dial_lo(a, TV_DIAL_TEMP),
					      dial_hi(a, TV_DIAL_TEMP))));
}

struct tv_app *
tv_app_new(const struct tv_source *src, const struct tv_params *p,
	   const struct tv_chain *c, const struct tv_ui_opts *o)
{
	struct tv_app *a = calloc(1, sizeof *a);
	int utf8;

	if (!a)
		return NULL;
	a->src = src;
	a->pos = o->position < src->n_pos ? o->position : 0;
	a->base = a->d = &src->pos[a->pos];
	a->par = *p;
	a->chain = *c;
	a->opts = *o;
	a->look.tier = o->tier >= 0 ? (enum tv_tier)o->tier
		: tv_tier_detect(256, 1, o->color, getenv("NO_COLOR"));
	a->look.bg = tv_theme_bg(o->theme, getenv("COLORFGBG"));
	utf8 = !o->ascii && tv_glyph_utf8_locale();
	a->look.g = tv_glyphs(utf8);
	a->view = o->view;
	a->back = o->view == TV_VIEW_HELP ? TV_VIEW_EXPLORE : o->view;
	a->focus = TV_DIAL_TEMP;
	a->seed = p->seed;
	tv_app_changed(a, TV_CHG_SOURCE);
	/* What the loader changed in the data is said where it is seen. */
	if (src->warn.n)
		tv_app_note(a, "%s%s", src->warn.msg[0], src->warn.n > 1 ?
			    " (more: tempviz print shows all)" : "");
	return a;
}

void
tv_app_free(struct tv_app *a)
{
	int v;

	if (!a)
		return;
	for (v = 0; v < TV_VIEW__COUNT; v++) {
		const struct tv_view_ops *ops = tv_app_view_ops((enum tv_view)v);

		if (ops && ops->fini)
			ops->fini(a);
	}
	tv_takehome_free(a);
	tv_picker_free(a);
	tv_talkmode_free(a);
	tv_genmode_free(a);
	tv_memmode_free(a);
	free(a);
}

int
tv_app_chosen(const struct tv_app *a, uint32_t *pos)
{
	const struct tv_dist *d = a->d;
	size_t n;
	uint32_t id;

	if (!d->chosen)
		return 0;
	n = strlen(d->chosen);
	*pos = TV_POS_TAIL;
	for (id = 0; id < d->n; id++) {
		size_t len;
		const char *s = tv_dist_tok(d, id, &len);

		if (len == n && memcmp(s, d->chosen, n) == 0) {
			*pos = d->rank[id];
			break;
		}
	}
	return 1;
}

int
tv_app_token(const struct tv_app *a, uint32_t pos, char *buf, size_t cap,
	     int maxw)
{
	const char *tok;
	size_t len;

	/* A column squeezed to nothing holds nothing (for tv_safe_text a
	 * negative width would mean no limit). */
	if (maxw < 0)
		maxw = 0;
	if (pos == TV_POS_TAIL) {
		snprintf(buf, cap, "%s", a->d->tail_exact ? "rest" : "rest~");
		return (int)strlen(buf);
	}
	tok = tv_dist_tok(a->d, a->d->order[pos], &len);
	return tv_safe_token(tok, len, buf, cap, maxw, !a->look.g->utf8);
}

/* The source's label (a file name may hold any bytes) made safe to
 * show. */
static void
source_label(const struct tv_app *a, char *buf, size_t cap)
{
	const char *s = a->src->label ? a->src->label : "-";

	tv_safe_text(s, strlen(s), buf, cap, -1, !a->look.g->utf8);
}

/* ----------------------------------------------------------- actions --- */

/* The views a user can reach: built in, and the generate view only on a
 * language model. */
static int
view_offered(const struct tv_app *a, int v)
{
	return v != TV_VIEW_HELP && tv_app_view_ops((enum tv_view)v) &&
	       (v != TV_VIEW_GENERATE || a->gen);
}

static void
switch_view(struct tv_app *a, int dir)
{
	int v = a->view == TV_VIEW_HELP ? (int)a->back : (int)a->view;
	const struct tv_view_ops *ops = tv_app_view_ops((enum tv_view)v);
	int i;

	if (ops && ops->leave)
		ops->leave(a);

	/* Help is reached with ?, not by cycling; views not built in are
	 * skipped. */
	for (i = 0; i < TV_VIEW__COUNT; i++) {
		v = (v + dir + TV_VIEW__COUNT) % TV_VIEW__COUNT;
		if (view_offered(a, v))
			break;
	}
	a->view = (enum tv_view)v;
	a->back = a->view;
}

static void
next_profile(struct tv_app *a)
{
	enum tv_profile p = (enum tv_profile)((a->chain.rules + 1) %
					      TV_PROFILE__COUNT);
	int t = 0, clamped;

	tv_chain_default(&a->chain, p);
	while (t < a->chain.n && a->chain.stage[t] != TV_STAGE_TEMP)
		t++;
	clamped = tv_params_fit(&a->par, p);
	tv_app_changed(a, TV_CHG_CHAIN | TV_CHG_PARAMS);
	tv_app_note(a, "profile %s: temperature %s%s", tv_profile_name(p),
		    t == 0 ? "first" : t == a->chain.n - 1 ? "last"
		    : "in the middle", clamped ? "; the penalties brought into "
		    "vLLM's ranges" : "");
}

static void
move_position(struct tv_app *a, int dir)
{
	long pos = (long)a->pos + dir;

	if (a->src->n_pos < 2) {
		char label[128];

		source_label(a, label, sizeof label);
		tv_app_note(a, "%s has one position only", label);
		return;
	}
	if (pos < 0 || pos >= (long)a->src->n_pos) {
		tv_app_note(a, "position %u is the %s", a->pos + 1,
			    dir > 0 ? "last" : "first");
		return;
	}
	tv_app_set_dist(a, &a->src->pos[pos]);
	a->pos = (uint32_t)pos;
}

/* The presets, in the order of their actions. */
static const struct {
	const char *name;
	double temp;
} presets[] = {
	{ "factual", 0.2 },
	{ "balanced", 0.7 },
	{ "creative", 1.0 },
	{ "experimental", 1.7 },
};
_Static_assert(sizeof presets / sizeof presets[0] ==
	       TV_UI_PRESET_EXPERIMENTAL - TV_UI_PRESET_FACTUAL + 1,
	       "one preset per preset action");

static void
preset(struct tv_app *a, int act)
{
	int i = act - TV_UI_PRESET_FACTUAL;

	char range[48];

	tv_app_set_temp(a, presets[i].temp);
	if (a->par.temp == presets[i].temp) {
		tv_app_note(a, "preset %s: T = %.1f", presets[i].name,
			    presets[i].temp);
		return;
	}
	dial_range(a, TV_DIAL_TEMP, range, sizeof range);
	tv_app_note(a, "preset %s: T = %.1f is outside the range %s; T = %g",
		    presets[i].name, presets[i].temp, range, a->par.temp);
}

static int input_char(struct tv_input *in, int key);

/* A digit or '.' starts a value and is its first character; '='
 * opens the line empty. */
static void
input_open(struct tv_app *a, int first)
{
	struct tv_input *in = &a->input;

	memset(in, 0, sizeof *in);
	in->open = 1;
	in->dial = a->focus;
	if (first != '=')
		input_char(in, first);
	a->dirty = 1;
}

/* A step past an end of the dial stays there and says so, with the
 * range, rather than doing nothing in silence. */
static void
dial_turn(struct tv_app *a, enum tv_dial_id id, int dir, int coarse)
{
	double v = dial_step(a, id, dir, coarse);
	char range[48];

	if (v == dial_value(&a->par, id)) {
		dial_range(a, id, range, sizeof range);
		tv_app_note(a, "%s is at its %s: it takes %s",
			    dial_defs[id].name, dir > 0 ? "highest" : "lowest",
			    range);
		return;
	}
	dial_set(a, id, v);
}

/* The thermo and attention views show the temperature on their first
 * line instead of the dial rows: there the dial keys turn T, and only T,
 * so no key changes a dial the user cannot see. */
static int
view_has_dial_rows(enum tv_view v)
{
	return v != TV_VIEW_THERMO && v != TV_VIEW_ATTENTION;
}

static int
dial_action(struct tv_app *a, int act)
{
	enum tv_dial_id id;

	if (!view_has_dial_rows(a->view)) {
		if (act == TV_UI_DIAL_PREV || act == TV_UI_DIAL_NEXT ||
		    act == TV_UI_DIALS_ALL)
			return 0;
		a->focus = TV_DIAL_TEMP;
	}
	id = a->focus;
	switch (act) {
	case TV_UI_DIAL_PREV:
		a->focus = dial_neighbour(a, -1);
		return 1;
	case TV_UI_DIAL_NEXT:
		a->focus = dial_neighbour(a, 1);
		return 1;
	case TV_UI_DIAL_DEC:
	case TV_UI_DIAL_INC:
	case TV_UI_DIAL_DEC_COARSE:
	case TV_UI_DIAL_INC_COARSE:
		dial_turn(a, id, act == TV_UI_DIAL_INC ||
			  act == TV_UI_DIAL_INC_COARSE ? 1 : -1,
			  act == TV_UI_DIAL_DEC_COARSE ||
			  act == TV_UI_DIAL_INC_COARSE);
		return 1;
	case TV_UI_DIAL_MIN:
		dial_set(a, id, dial_lo(a, id));
		return 1;
	case TV_UI_DIAL_MAX:
		dial_set(a, id, dial_hi(a, id));
		return 1;
	case TV_UI_DIAL_RESET:
		dial_reset(a, id);
		return 1;
	case TV_UI_DIALS_ALL:
		a->all_dials = !a->all_dials;
		if (!tv_dial_shown(a, a->focus))
			a->focus = TV_DIAL_TEMP;
		return 1;
	case TV_UI_PRESET_FACTUAL:
	case TV_UI_PRESET_BALANCED:
	case TV_UI_PRESET_CREATIVE:
	case TV_UI_PRESET_EXPERIMENTAL:
		preset(a, act);
		return 1;
	}
	return 0;
}

static int
global_action(struct tv_app *a, int act)
{
	switch (act) {
	case TV_UI_QUIT:
		a->quit = 1;
		return 1;
	case TV_UI_HELP:
	case TV_UI_HELP_CLOSE:
		if (a->view == TV_VIEW_HELP) {
			a->view = a->back;
		} else {
			a->back = a->view;
			a->view = TV_VIEW_HELP;
			a->help_top = 0;
		}
		return 1;
	case TV_UI_VIEW_NEXT:
		switch_view(a, 1);
		return 1;
	case TV_UI_VIEW_PREV:
		switch_view(a, -1);
		return 1;
	case TV_UI_PROFILE:
		next_profile(a);
		return 1;
	case TV_UI_POS_NEXT:
		move_position(a, 1);
		return 1;
	case TV_UI_POS_PREV:
		move_position(a, -1);
		return 1;
	case TV_UI_SOURCE:
		tv_picker_show(a);
		return 1;
	case TV_UI_SAVE_SCREEN:
		tv_shot_save(a);
		return 1;
	case TV_UI_TAKEHOME:
		tv_takehome_show(a);
		return 1;
	}
	return dial_action(a, act);
}

int
tv_app_apply(struct tv_app *a, int act)
{
	const struct tv_action_info *ai = tv_action_info(act);
	const struct tv_view_ops *ops = tv_app_view_ops(a->view);

	if (!ai)
		return 0;
	if (ai->scope == TV_SCOPE_GLOBAL || ai->scope == TV_SCOPE_DIALS ||
	    act == TV_UI_HELP_CLOSE)
		return global_action(a, act) ? (a->dirty = 1) : 0;
	if (ai->scope == TV_SCOPE_LM)
		return tv_genmode_action(a, act) ? (a->dirty = 1) : 0;
	if (ops && ops->action && ops->action(a, act)) {
		a->dirty = 1;
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------- input line --- */

static int
parse_value(const struct tv_app *a, const struct tv_input *in, double *v,
	    char *why, size_t cap)
{
	const struct dial_def *def = &dial_defs[in->dial];
	double lo = dial_lo(a, in->dial), hi = dial_hi(a, in->dial);
	char range[48], *end;

	dial_range(a, in->dial, range, sizeof range);
	if (in->len == 0) {
		snprintf(why, cap, "type a number: %s", range);
		return -1;
	}
	if (strchr(in->buf, ',')) {
		snprintf(why, cap, "%s takes whole numbers: 1000, not 1,000",
			 def->name);
		return -1;
	}
	*v = strtod(in->buf, &end);
	if (*end || !isfinite(*v)) {
		snprintf(why, cap, "not a number; %s takes %s", def->name,
			 range);
		return -1;
	}
	if (def->integer && *v != floor(*v)) {
		snprintf(why, cap, "%s takes %s", def->name, range);
		return -1;
	}
	/* Refused, never clamped: the value typed must be the value got. */
	if (*v < lo || *v > hi) {
		snprintf(why, cap, "%s takes %s; this is %s", def->name, range,
			 *v < lo ? "below" : "above");
		return -1;
	}
	return 0;
}

static void
input_apply(struct tv_app *a)
{
	struct tv_input *in = &a->input;
	struct tv_params p = a->par;
	const char *flag, *why = NULL;
	double v;

	if (parse_value(a, in, &v, in->err, sizeof in->err) < 0)
		return;
	dial_store(&p, in->dial, v);
	flag = tv_params_check(&p, a->chain.rules, &why);
	if (flag) {
		snprintf(in->err, sizeof in->err, "%s: %s", flag + 2,
			 why ? why : "out of range");
		return;
	}
	in->open = 0;
	a->focus = in->dial;
	dial_set(a, in->dial, v);
}

/* A decimal comma is a decimal point; on a whole-number dial it stays a
 * comma, which the value then refuses: 1,000 must not read as 1. */
static int
input_char(struct tv_input *in, int key)
{
	if (key == ',' && !dial_defs[in->dial].integer)
		key = '.';
	if (key <= 0 || key >= 0x7f || !strchr("0123456789.,eE+-", key)) {
		snprintf(in->err, sizeof in->err,
			 "only digits, '.', ',', '-' and 'e' make a number");
		return 1;
	}
	if (in->len + 1 >= (int)sizeof in->buf) {
		snprintf(in->err, sizeof in->err, "that is long enough");
		return 1;
	}
	in->buf[in->len++] = (char)key;
	in->buf[in->len] = '\0';
	in->err[0] = '\0';
	return 1;
}

static int
input_key(struct tv_app *a, int key)
{
	struct tv_input *in = &a->input;

	switch (tv_action_for_key(key, a->view, 1)) {
	case TV_UI_INPUT_APPLY:
		input_apply(a);
		return 1;
	case TV_UI_INPUT_CANCEL:
		in->open = 0;
		return 1;
	case TV_UI_INPUT_ERASE:
		if (in->len > 0)
			in->buf[--in->len] = '\0';
		in->err[0] = '\0';
		return 1;
	default:
		break;
	}
	if (key > 0 && key < TV_KEY_BASE)
		return input_char(in, key);
	return 0;
}

/* A key that does nothing in this view but works in others: where, and
 * what it does when that is one view (a newcomer pressing v in
 * generate). The generate view counts without a model only when it is
 * the one place the key works. */
static int
key_elsewhere(struct tv_app *a, int key)
{
	enum tv_ui_action act, one = TV_UI_NONE;
	const char *view[TV_VIEW__COUNT];
	char name[32], where[160] = "";
	int n = 0, gen_only = 0;

	for (int v = 0; v < TV_VIEW__COUNT; v++) {
		const struct tv_view_ops *ops = tv_app_view_ops((enum tv_view)v);

		act = tv_action_for_key(key, (enum tv_view)v, 0);
		if (v == (int)a->view || v == TV_VIEW_HELP ||
		    act == TV_UI_NONE || !ops)
			continue;
		if (v == TV_VIEW_GENERATE && !a->gen) {
			gen_only = n == 0;
			if (!gen_only)
				continue;
		} else if (gen_only) {
			/* A view with no model needed: it is named instead. */
			n = gen_only = 0;
		}
		view[n++] = ops->name;
		one = act;
	}
	if (n == 0)
		return 0;
	/* "thermo", "thermo and generate", "a, b and c". */
	for (int i = 0; i < n; i++)
		snprintf(where + strlen(where), sizeof where - strlen(where),
			 "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ",
			 view[i]);
	tv_key_name(key, name, sizeof name);
	if (n > 1)
		tv_app_note(a, "%s works in the %s views (? shows what it does "
			    "in each)", name, where);
	else
		tv_app_note(a, "%s works in the %s view%s: %s", name, where,
			    gen_only ? " on a language model (--lm, --server)"
			    : "", tv_action_info(one)->help);
	return 1;
}

/* Branch mode's keys, then the keys that work everywhere (help, quit,
 * another view); any other says why it does nothing here. */
static int
branch_key(struct tv_app *a, int key)
{
	enum tv_ui_action act;
	char name[32];

	if (tv_branchmode_key(a, key))
		return a->dirty = 1;
	act = tv_action_for_key(key, a->view, 0);
	if (act == TV_UI_NONE)
		return a->dirty;
	if (tv_action_info(act)->scope == TV_SCOPE_GLOBAL)
		return tv_app_apply(a, act);
	tv_app_note(a, "branch mode: Esc leaves it, then %s works",
		    tv_key_name(key, name, sizeof name));
	return 1;
}

int
tv_app_key(struct tv_app *a, int key)
{
	enum tv_ui_action act;

	if (a->talk && tv_talkmode_key(a, key))
		return a->dirty = 1;
	if (a->input.open)
		return input_key(a, key) ? (a->dirty = 1) : 0;
	if (tv_picker_open(a))
		return tv_picker_key(a, key) ? (a->dirty = 1) : 0;
	if (tv_takehome_open(a))
		return tv_takehome_key(a, key) ? (a->dirty = 1) : 0;
	if (tv_genmode_editing(a))
		return tv_genmode_key(a, key) ? (a->dirty = 1) : 0;
	if (a->msg[0]) {
		a->msg[0] = '\0';
		a->dirty = 1;
	}
	if (tv_branchmode_open(a) && a->view == TV_VIEW_GENERATE)
		return branch_key(a, key);
	act = tv_action_for_key(key, a->view, 0);
	if (act == TV_UI_DIAL_TYPE) {
		if (!view_has_dial_rows(a->view))
			a->focus = TV_DIAL_TEMP;
		input_open(a, key);
		return 1;
	}
	if (act == TV_UI_NONE)
		return key_elsewhere(a, key);
	return tv_app_apply(a, act);
}

int
tv_app_press(struct tv_app *a, const char *script, char *err, size_t errcap)
{
	const char *s = script;

	while (*s) {
		const char *end = *s == '<' ? strchr(s + 1, '>') : NULL;
		int key = end ? tv_key_parse(s + 1, (size_t)(end - s - 1)) : *s;

		/* A lone '<' (no closing '>') is the key itself. */
		if (end && key < 0) {
			snprintf(err, errcap, "unknown key <%.*s> (accepted: a "
				 "character, or a name as the help shows it, "
				 "e.g. <Right>, <Tab>, <Enter>, <Space>)",
				 (int)(end - s - 1) > 32 ? 32 :
				 (int)(end - s - 1), s + 1);
			return -1;
		}
		tv_app_key(a, key);
		s = end ? end + 1 : s + 1;
	}
	return 0;
}

int
tv_app_animating(const struct tv_app *a)
{
	const struct tv_view_ops *ops = tv_app_view_ops(a->view);
	int view = ops && ops->animating && ops->tick && ops->animating(a);

	/* A server's answer is looked for at every frame. */
	if (tv_genmode_waiting(a))
		return 1;
	return a->talk ? tv_talkmode_animating(a, view) : view;
}

void
tv_app_tick(struct tv_app *a, double dt_ms)
{
	const struct tv_view_ops *ops = tv_app_view_ops(a->view);

	tv_genmode_poll(a);
	if (a->talk && tv_talkmode_tick(a, dt_ms))
		return;
	if (ops && ops->tick && ops->animating && ops->animating(a))
		ops->tick(a, dt_ms);
}

/* ------------------------------------------------------------ chrome --- */

/* The end of the prompt that fits maxw columns: the words right before
 * the next token matter most. */
static void
prompt_tail(const struct tv_app *a, const char *s, size_t len, char *buf,
	    size_t cap, int maxw)
{
	tv_safe_tail(s, len, buf, cap, maxw, !a->look.g->utf8);
}

/* The model the source names, where the header has room for it. */
static void
header_model(struct tv_app *a, struct tv_frame *f, int x, int xend)
{
	const char *m = a->d->model;
	char buf[96];

	/* A model named like its source (an LM file) says nothing more. */
	if (!m || !m[0] || xend - x < 12 ||
	    (a->src->label && !strcmp(m, a->src->label)))
		return;
	memcpy(buf, "model ", 6);
	tv_safe_text(m, strlen(m), buf + 6, sizeof buf - 6, 40,
		     !a->look.g->utf8);
	tv_w_label(f, x + 2, 0, xend - x - 2, buf, tv_st(a, TV_ROLE_STATUS));
}

/* The temperature in its own colour (the theme's ramp, blue when cold,
 * red when hot) on the status bar, whose dark background keeps every
 * step of the 256-colour ramp readable; the 8-colour bar is light, so
 * there it stays bold in the bar's colour. */
static int
header_temp(struct tv_app *a, struct tv_frame *f, int xend)
{
	struct tv_style s = tv_st(a, TV_ROLE_STATUS);
	/* The view under the help names its own T when it shows another. */
	const struct tv_view_ops *ops = tv_app_view_ops(
		a->view == TV_VIEW_HELP ? a->back : a->view);
	char text[48];
	int w;

	if (!ops || !ops->temp_label ||
	    !ops->temp_label(a, text, sizeof text)) {
		if (a->res.greedy)
			snprintf(text, sizeof text, "T 0 greedy");
		else
			snprintf(text, sizeof text, "T %.3g %s", a->par.temp,
				 tv_temp_regime(a->par.temp));
	}
	w = tv_str_width(text);
	if (a->look.tier == TV_TIER_256)
		s.fg = tv_theme_ramp(a->look.tier,
				     tv_theme_temp01(a->res.greedy ? 0
						     : a->par.temp)).fg;
	s.attr |= TV_A_BOLD;
	tv_frame_puts(f, xend - w, 0, w, text, s);
	return w;
}

static void
render_header(struct tv_app *a, struct tv_frame *f)
{
	struct tv_style bar = tv_st(a, TV_ROLE_STATUS);
	struct tv_style title = bar;
	char right[96], prompt[512], label[160];
	const char *ctx;
	size_t ctx_len;
	int x, rw, room;

	title.attr |= TV_A_BOLD;
	tv_frame_fill(f, (struct tv_rect){ 0, 0, f->w, 1 }, " ", bar);
	x = 1 + tv_frame_puts(f, 1, 0, f->w - 2, "tempviz", title);
	source_label(a, label, sizeof label - 24);
	if (a->src->n_pos > 1) {
		size_t n = strlen(label);

		snprintf(label + n, sizeof label - n, " %u/%u", a->pos + 1,
			 a->src->n_pos);
	}
	snprintf(right, sizeof right, "  %s  seed %u ",
		 tv_profile_name(a->chain.rules), a->seed);
	rw = (int)strlen(right);
	tv_w_label_right(f, 0, 0, f->w, right, bar);
	rw += header_temp(a, f, f->w - rw);
	x += 1 + tv_w_label(f, x + 1, 0, f->w - x - rw - 2, label, bar);
	room = f->w - x - rw - 3;
	ctx = tv_dist_prompt(a->d, &ctx_len);
	if (ctx_len && room > 8) {
		prompt_tail(a, ctx, ctx_len, prompt, sizeof prompt, room - 2);
		x += 2;
		x += tv_frame_puts(f, x, 0, 1, "\"", bar);
		x += tv_frame_puts(f, x, 0, room - 2, prompt, bar);
		x += tv_frame_puts(f, x, 0, 1, "\"", bar);
	}
	header_model(a, f, x, f->w - rw - 2);
}

static void
render_tabs(struct tv_app *a, struct tv_frame *f, int y)
{
	struct tv_style bar = tv_st(a, TV_ROLE_STATUS);
	struct tv_style on = tv_st(a, TV_ROLE_FOCUS);
	const char *hint = "? help  q quit ";
	int x = 1, v, hw = (int)strlen(hint);
	enum tv_view cur = a->view == TV_VIEW_HELP ? a->back : a->view;

	for (v = 0; v < TV_VIEW__COUNT; v++) {
		const char *name = tv_view_name((enum tv_view)v);
		int w = (int)strlen(name) + 2;

		if (!view_offered(a, v))
			continue;
		if (x + w > f->w - 1)
			break;
		tv_frame_printf(f, x, y, w, v == (int)cur ? on : bar, " %s ",
				name);
		x += w + 1;
	}
	if (x + hw < f->w)
		tv_w_label_right(f, 0, y, f->w, hint, bar);
}

static void
render_input(struct tv_app *a, struct tv_frame *f, int y)
{
	const struct tv_input *in = &a->input;
	struct tv_style bar = tv_st(a, TV_ROLE_STATUS);
	int x;

	x = 1 + tv_frame_printf(f, 1, y, f->w - 2, bar, "%s = ",
				dial_defs[in->dial].name);
	x += tv_frame_puts(f, x, y, f->w - x, in->buf, tv_st(a, TV_ROLE_FOCUS));
	tv_frame_puts(f, x, y, 1, " ", tv_st(a, TV_ROLE_FOCUS));
	x += 2;
	if (in->err[0])
		tv_w_label(f, x, y, f->w - x - 1, in->err,
			   tv_st(a, TV_ROLE_ERROR));
	else
		tv_w_label(f, x, y, f->w - x - 1,
			   "Enter applies, Esc cancels", bar);
}

/* While a server answers: the keys still work on the distribution
 * shown, and Esc gives up the request. */
static void
render_waiting(struct tv_app *a, struct tv_frame *f, int y)
{
	char name[96], line[256];

	tv_safe_text(a->gen->m->name, strlen(a->gen->m->name), name,
		     sizeof name, 48, !a->look.g->utf8);
	snprintf(line, sizeof line, "%s waiting for %s (the dials work on "
		 "the last distribution; Esc cancels)",
		 a->look.g->utf8 ? "\u231B" : "...", name);
	tv_w_label(f, 1, y, f->w - 2, line, tv_st(a, TV_ROLE_WARN));
}

static void
render_footer(struct tv_app *a, struct tv_frame *f)
{
	int y = f->h - 1;

	tv_frame_fill(f, (struct tv_rect){ 0, y, f->w, 1 }, " ",
		      tv_st(a, TV_ROLE_STATUS));
	if (a->input.open)
		render_input(a, f, y);
	else if (tv_genmode_editing(a))
		tv_genmode_render_editor(a, f, y);
	else if (a->msg[0])
		tv_w_label(f, 1, y, f->w - 2, a->msg, tv_st(a, TV_ROLE_STATUS));
	else if (tv_genmode_waiting(a))
		render_waiting(a, f, y);
	else
		render_tabs(a, f, y);
}

static void
center(struct tv_frame *f, int y, const char *s, struct tv_style style)
{
	int w = (int)strlen(s);
	int x = w < f->w ? (f->w - w) / 2 : 0;

	tv_w_label(f, x, y, f->w - x, s, style);
}

static void
render_too_small(struct tv_app *a, struct tv_frame *f)
{
	char need[64], have[64];
	int y = f->h / 2 - 1;

	snprintf(need, sizeof need, "needs %d x %d", TV_MIN_W, TV_MIN_H);
	snprintf(have, sizeof have, "this is %d x %d", f->w, f->h);
	if (y < 0)
		y = 0;
	if (f->h >= 4)
		center(f, y - 1, "Terminal too small", tv_st(a, TV_ROLE_WARN));
	center(f, y, need, tv_st(a, TV_ROLE_TEXT));
	center(f, y + 1, have, tv_st(a, TV_ROLE_DIM));
	if (f->h >= 5)
		center(f, y + 2, "enlarge it, or q quits",
		       tv_st(a, TV_ROLE_DIM));
}

static void
render_missing(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	char line[96];

	snprintf(line, sizeof line, "The %s view is not built into this "
		 "tempviz.", tv_view_name(a->view));
	tv_w_label(f, r.x + 2, r.y + 1, r.w - 4, line, tv_st(a, TV_ROLE_WARN));
}

void
tv_app_render(struct tv_app *a, struct tv_frame *f)
{
	if (!a->talk || !tv_talkmode_render(a, f))
		tv_app_render_plain(a, f);
}

void
tv_app_render_plain(struct tv_app *a, struct tv_frame *f)
{
	const struct tv_view_ops *ops = tv_app_view_ops(a->view);
	struct tv_rect body;

	tv_genmode_sync(a);
	a->screen_w = f->w;
	a->screen_h = f->h;
	/* Labels clipped by widgets take their ellipsis from the glyph set. */
	f->utf8 = a->look.g->utf8;
	f->light = a->look.bg == TV_BG_LIGHT;
	tv_frame_clear(f, tv_st(a, TV_ROLE_TEXT));
	if (f->w < TV_MIN_W || f->h < TV_MIN_H) {
		render_too_small(a, f);
		return;
	}
	render_header(a, f);
	render_footer(a, f);
	body = (struct tv_rect){ 0, 1, f->w, f->h - 2 };
	if (ops)
		ops->render(a, f, body);
	else
		render_missing(a, f, body);
	tv_picker_render(a, f, body);
	tv_takehome_render(a, f, body);
}
