/* SPDX-License-Identifier: MIT */
/*
 * The take-home lines. Each engine's names come from its own interface
 * (../shared/reference/sampling.md; llama.cpp's common/arg.cpp for the
 * llama-cli flags and the --samplers names, vLLM's SamplingParams for the
 * request fields). Where an engine's defaults are not "off" (llama-cli
 * starts at top-k 40, top-p 0.95, min-p 0.05, T 0.8) every value is
 * given, so nothing of the engine's own creeps in.
 */
#include "ui/recipe.h"

#include "tempviz/history.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
tv_recipe_num(char *buf, size_t cap, double v)
{
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, cap, "%.17g", v);
}

/* ------------------------------------------------------------ lines --- */

static char *
add_line(struct tv_recipe *out, enum tv_recipe_kind kind)
{
	if (out->n >= TV_RECIPE_LINES)
		return NULL;
	out->line[out->n].kind = kind;
	out->line[out->n].text[0] = '\0';
	return out->line[out->n++].text;
}

static void
add(struct tv_recipe *out, enum tv_recipe_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add(struct tv_recipe *out, enum tv_recipe_kind kind, const char *fmt, ...)
{
	char *s = add_line(out, kind);
	va_list ap;

	if (!s)
		return;
	va_start(ap, fmt);
	vsnprintf(s, TV_RECIPE_WIDTH, fmt, ap);
	va_end(ap);
}

static void
cat(char *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
cat(char *s, const char *fmt, ...)
{
	size_t n = strlen(s);
	va_list ap;

	if (n + 1 >= TV_RECIPE_WIDTH)
		return;
	va_start(ap, fmt);
	vsnprintf(s + n, TV_RECIPE_WIDTH - n, fmt, ap);
	va_end(ap);
}

/* " --flag VALUE" with the value as the shortest exact decimal. */
static void
cat_num(char *s, const char *flag, double v)
{
	char num[32];

	tv_recipe_num(num, sizeof num, v);
	cat(s, " %s %s", flag, num);
}

/* A word for a POSIX shell: bare when it holds only characters no shell
 * reads specially, else in single quotes, a quote inside as '"'"' (no
 * backslash, which the screen shows doubled to keep it unambiguous). A
 * word that starts with '-' but is not a flag (a file named "-x") gets
 * "./" before it, so the parser does not take it for one. */
static void
cat_word(char *s, const char *w, int path)
{
	const char *p;

	if (path && w[0] == '-' && w[1] && w[0] != '/')
		cat(s, " ./");
	else
		cat(s, " ");
	if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_./,:=+-@%") == strlen(w)) {
		cat(s, "%s", w);
		return;
	}
	cat(s, "'");
	for (p = w; *p; p++) {
		if (*p == '\'')
			cat(s, "'\"'\"'");
		else
			cat(s, "%c", *p);
	}
	cat(s, "'");
}

/* --------------------------------------------------------- settings --- */

/* A stage the parameters switch on, as the pipeline decides it. */
static int
stage_on(const struct tv_params *p, enum tv_stage_kind k)
{
	switch (k) {
	case TV_STAGE_TEMP:
		return p->temp != 1 || p->dynatemp_range > 0;
	case TV_STAGE_TOP_K: return p->top_k > 0;
	case TV_STAGE_TOP_P: return p->top_p < 1;
	case TV_STAGE_MIN_P: return p->min_p > 0;
	case TV_STAGE_TYPICAL: return p->typical_p < 1;
	case TV_STAGE_TOP_N_SIGMA: return p->top_n_sigma > 0;
	case TV_STAGE_XTC:
		return p->xtc_probability > 0 && p->xtc_threshold <= 0.5;
	case TV_STAGE_TOP_A: return p->top_a > 0;
	case TV_STAGE_TFS: return p->tfs < 1;
	case TV_STAGE_MIROSTAT: return p->mirostat > 0;
	case TV_STAGE__COUNT: break;
	}
	return 0;
}

int
tv_chain_has(const struct tv_chain *c, enum tv_stage_kind k)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->stage[i] == k)
			return 1;
	return 0;
}

/* The stages switched on but left out of the chain do nothing; the lines
 * below leave them out too, so they reproduce what is shown. */
static int
stage_runs(const struct tv_recipe_in *in, enum tv_stage_kind k)
{
	struct tv_chain eff;

	/* Under mirostat llama.cpp's chain is temperature -> mirostat. */
	tv_chain_effective(in->chain, in->par, &eff);
	return stage_on(in->par, k) && tv_chain_has(&eff, k);
}

/* --------------------------------------------------------- tempviz --- */

static void
cat_source(char *s, const struct tv_recipe_in *in)
{
	const struct tv_source_spec *sp = &in->spec;

	if (in->lm) {
		cat(s, in->server ? " --server" : " --lm");
		if (in->lm_path)
			cat_word(s, in->lm_path, !in->server);
		cat(s, " --prompt");
		cat_word(s, in->prompt ? in->prompt : "", 0);
	} else if (sp->scenario) {
		cat(s, " --scenario");
		cat_word(s, sp->scenario, 0);
	} else if (sp->logits) {
		cat(s, " --logits");
		cat_word(s, sp->logits, 0);
	} else if (sp->probs) {
		cat(s, " --probs");
		cat_word(s, sp->probs, 0);
	} else if (sp->path) {
		cat_word(s, sp->path, strcmp(sp->path, "-") != 0);
	}
	if (sp->vocab) {
		cat(s, " --vocab");
		cat_word(s, sp->vocab, 1);
	}
	if (sp->row) {
		cat(s, " --row");
		cat_word(s, sp->row, 0);
	}
	if (in->position)
		cat(s, " --position %lu", (unsigned long)in->position);
	if (in->history && !in->lm) {
		cat(s, " --history");
		cat_word(s, in->history, 0);
	}
}

/* A penalty is set, whatever a profile's rules make of it. */
static int
penalties_set(const struct tv_params *p)
{
	return p->repeat_penalty != 1 || p->freq_penalty != 0 ||
	       p->presence_penalty != 0;
}

/* DRY's breakers as given (NULL: llama.cpp's defaults, not written;
 * an empty list: "none"). */
static void
cat_breakers(char *s, const char *const *b)
{
	if (!b)
		return;
	if (!*b)
		cat(s, " --dry-sequence-breaker none");
	for (; *b; b++) {
		cat(s, " --dry-sequence-breaker");
		cat_word(s, *b, 0);
	}
}

/* The penalties' and DRY's flags, which tempviz and llama.cpp share
 * with the same names and defaults: each written when it is not the
 * default; with set_only, only for a sampler that is set (llama.cpp's
 * window means nothing with the penalties off). */
static void
cat_memory(char *s, const struct tv_params *p, int set_only)
{
	struct tv_params d;

	tv_params_default(&d);
	if (penalties_set(p) || !set_only) {
		if (p->repeat_penalty != d.repeat_penalty)
			cat_num(s, "--repeat-penalty", p->repeat_penalty);
		if (p->repeat_last_n != d.repeat_last_n)
			cat(s, " --repeat-last-n %d", p->repeat_last_n);
		if (p->freq_penalty != d.freq_penalty)
			cat_num(s, "--frequency-penalty", p->freq_penalty);
		if (p->presence_penalty != d.presence_penalty)
			cat_num(s, "--presence-penalty", p->presence_penalty);
	}
	if (p->dry_multiplier == 0 && set_only)
		return;
	if (p->dry_multiplier != d.dry_multiplier)
		cat_num(s, "--dry-multiplier", p->dry_multiplier);
	if (p->dry_base != d.dry_base)
		cat_num(s, "--dry-base", p->dry_base);
	if (p->dry_allowed_length != d.dry_allowed_length)
		cat(s, " --dry-allowed-length %d", p->dry_allowed_length);
	if (p->dry_penalty_last_n != d.dry_penalty_last_n)
		cat(s, " --dry-penalty-last-n %d", p->dry_penalty_last_n);
	cat_breakers(s, p->dry_breakers);
}

/* The chain differs from the profile's own order. */
static int
order_custom(const struct tv_chain *c)
{
	struct tv_chain d;
	int i;

	tv_chain_default(&d, c->rules);
	if (d.n != c->n)
		return 1;
	for (i = 0; i < c->n; i++)
		if (d.stage[i] != c->stage[i])
			return 1;
	return 0;
}

static void
build_tempviz(const struct tv_recipe_in *in, struct tv_recipe *out)
{
	const struct tv_params *p = in->par;
	const struct tv_chain *c = in->chain;
	struct tv_params d;
	char *s;
	int i;

	tv_params_default(&d);
	add(out, TV_RECIPE_HEAD, "tempviz (the same numbers, as a table)");
	if (!(s = add_line(out, TV_RECIPE_CMD)))
		return;
	cat(s, "tempviz print");
	cat_source(s, in);
	cat(s, " --profile %s", tv_profile_name(c->rules));
	if (order_custom(c)) {
		cat(s, " --order ");
		for (i = 0; i < c->n; i++)
			cat(s, "%s%s", i ? "," : "", tv_stage_name(c->stage[i]));
	}
	if (p->temp != d.temp) cat_num(s, "--temp", p->temp);
	if (p->top_k != d.top_k) cat(s, " --top-k %d", p->top_k);
	if (p->top_p != d.top_p) cat_num(s, "--top-p", p->top_p);
	if (p->min_p != d.min_p) cat_num(s, "--min-p", p->min_p);
	if (p->typical_p != d.typical_p) cat_num(s, "--typical", p->typical_p);
	if (p->top_n_sigma != d.top_n_sigma)
		cat_num(s, "--top-n-sigma", p->top_n_sigma);
	if (p->xtc_threshold != d.xtc_threshold)
		cat_num(s, "--xtc-threshold", p->xtc_threshold);
	if (p->xtc_probability != d.xtc_probability)
		cat_num(s, "--xtc-probability", p->xtc_probability);
	if (p->dynatemp_range != d.dynatemp_range)
		cat_num(s, "--dynatemp-range", p->dynatemp_range);
	if (p->dynatemp_exp != d.dynatemp_exp)
		cat_num(s, "--dynatemp-exp", p->dynatemp_exp);
	if (p->min_keep != d.min_keep) cat(s, " --min-keep %d", p->min_keep);
	if (p->top_a != d.top_a) cat_num(s, "--top-a", p->top_a);
	if (p->tfs != d.tfs) cat_num(s, "--tfs", p->tfs);
	if (p->mirostat != d.mirostat) cat(s, " --mirostat %d", p->mirostat);
	if (p->mirostat_tau != d.mirostat_tau)
		cat_num(s, "--mirostat-ent", p->mirostat_tau);
	if (p->mirostat_eta != d.mirostat_eta)
		cat_num(s, "--mirostat-lr", p->mirostat_eta);
	cat_memory(s, p, 0);
	if (p->smoothing_factor != d.smoothing_factor)
		cat_num(s, "--smoothing-factor", p->smoothing_factor);
	if (p->smoothing_curve != d.smoothing_curve)
		cat_num(s, "--smoothing-curve", p->smoothing_curve);
	if (p->seed != d.seed) cat(s, " --seed %lu", (unsigned long)p->seed);
	if (in->pane)
		add(out, TV_RECIPE_NOTE, "these are pane %c's settings, the one "
		    "the dials turn (o switches panes); print --compare "
		    "KEY=VALUE runs the other beside it", in->pane);
	if (in->lm && in->written && c->rules == TV_PROFILE_VLLM &&
	    (p->freq_penalty != 0 || p->presence_penalty != 0))
		add(out, TV_RECIPE_NOTE, "this line reads the %zu words written "
		    "as prompt, which vLLM's frequency and presence penalties "
		    "do not count", in->written);
	if (in->spec.path && !strcmp(in->spec.path, "-"))
		add(out, TV_RECIPE_NOTE, "the data came from standard input: "
		    "pipe the same data in again");
}

/* ------------------------------------------------------- llama.cpp --- */

/* llama.cpp's names for the stages in --samplers (common/sampling.cpp). */
static const char *const llama_sampler[TV_STAGE__COUNT] = {
	[TV_STAGE_TEMP] = "temperature",
	[TV_STAGE_TOP_K] = "top_k",
	[TV_STAGE_TOP_P] = "top_p",
	[TV_STAGE_MIN_P] = "min_p",
	[TV_STAGE_TYPICAL] = "typ_p",
	[TV_STAGE_TOP_N_SIGMA] = "top_n_sigma",
	[TV_STAGE_XTC] = "xtc",
	/* Top-a and tail-free are text-generation-webui's, not llama.cpp's;
	 * mirostat is its own flag. */
};

static void
build_llama(const struct tv_recipe_in *in, struct tv_recipe *out)
{
	const struct tv_params *p = in->par;
	const struct tv_chain *c = in->chain;
	char *s;
	int i, n, miro;

	add(out, TV_RECIPE_HEAD, "llama.cpp (llama-cli, llama-server)");
	if (!(s = add_line(out, TV_RECIPE_CMD)))
		return;
	cat(s, "llama-cli");
	cat_num(s, "--temp", p->temp);
	cat(s, " --top-k %d", stage_runs(in, TV_STAGE_TOP_K) ? p->top_k : 0);
	cat_num(s, "--top-p", stage_runs(in, TV_STAGE_TOP_P) ? p->top_p : 1);
	cat_num(s, "--min-p", stage_runs(in, TV_STAGE_MIN_P) ? p->min_p : 0);
	if (stage_runs(in, TV_STAGE_TYPICAL))
		cat_num(s, "--typical", p->typical_p);
	if (stage_runs(in, TV_STAGE_TOP_N_SIGMA))
		cat_num(s, "--top-nsigma", p->top_n_sigma);
	if (stage_runs(in, TV_STAGE_XTC)) {
		cat_num(s, "--xtc-threshold", p->xtc_threshold);
		cat_num(s, "--xtc-probability", p->xtc_probability);
		cat(s, " --seed %lu", (unsigned long)p->seed);
	}
	if (p->dynatemp_range > 0 && tv_chain_has(c, TV_STAGE_TEMP)) {
		cat_num(s, "--dynatemp-range", p->dynatemp_range);
		cat_num(s, "--dynatemp-exp", p->dynatemp_exp);
	}
	if (stage_runs(in, TV_STAGE_MIROSTAT)) {
		cat(s, " --mirostat %d", p->mirostat);
		cat_num(s, "--mirostat-ent", p->mirostat_tau);
		cat_num(s, "--mirostat-lr", p->mirostat_eta);
	}
	/* Mirostat replaces the chain, penalties and DRY included. */
	miro = stage_runs(in, TV_STAGE_MIROSTAT);
	if (!miro)
		cat_memory(s, p, 1);
	cat(s, " --samplers '");
	n = 0;
	/* llama.cpp runs its penalties and DRY only when named here. */
	if (penalties_set(p) && !miro)
		cat(s, "%spenalties", n++ ? ";" : "");
	if (p->dry_multiplier != 0 && !miro)
		cat(s, "%sdry", n++ ? ";" : "");
	for (i = 0; i < c->n; i++)
		if (llama_sampler[c->stage[i]])
			cat(s, "%s%s", n++ ? ";" : "",
			    llama_sampler[c->stage[i]]);
	cat(s, "'");
	if (stage_runs(in, TV_STAGE_TOP_A) || stage_runs(in, TV_STAGE_TFS))
		add(out, TV_RECIPE_NOTE, "llama.cpp has no top-a or tail-free "
		    "sampler (text-generation-webui has both)");
	if (tv_smoothing_on(p))
		add(out, TV_RECIPE_NOTE, "llama.cpp has no quadratic smoothing "
		    "(text-generation-webui and koboldcpp have it)");
	if (miro && (penalties_set(p) || p->dry_multiplier != 0))
		add(out, TV_RECIPE_NOTE, "mirostat replaces llama.cpp's chain: "
		    "it leaves out the penalties and DRY");
	else if (in->history && !in->lm &&
		 (penalties_set(p) || p->dry_multiplier != 0))
		add(out, TV_RECIPE_NOTE, "the penalties and DRY read the text "
		    "llama.cpp has seen: give it the history as the prompt");
	if (!tv_chain_has(c, TV_STAGE_TEMP))
		add(out, TV_RECIPE_NOTE, "temperature is not in this order: "
		    "llama.cpp then samples at T = 1 whatever --temp says");
	if (p->min_keep > 0)
		add(out, TV_RECIPE_NOTE, "min-keep %d: llama-cli has no flag "
		    "for it; llama-server takes \"min_keep\": %d in a request",
		    p->min_keep, p->min_keep);
	if (c->rules != TV_PROFILE_LLAMACPP)
		add(out, TV_RECIPE_NOTE, "llama.cpp cuts by its own rules "
		    "(exactly k at a top-k tie, min-p on logits): --profile "
		    "llama.cpp shows its numbers here");
	if (stage_runs(in, TV_STAGE_XTC))
		add(out, TV_RECIPE_NOTE, "XTC's coin comes from llama.cpp's own "
		    "generator: with the same seed it may fire where this one "
		    "did not");
}

/* ---------------------------------------------------------- OpenAI --- */

/* ", "name": v' after a request's fields. */
static void
cat_field(char *s, const char *name, double v)
{
	char num[32];

	tv_recipe_num(num, sizeof num, v);
	cat(s, ", \"%s\": %s", name, num);
}

/* Where vLLM's fixed order (temperature, min-p, top-k, top-p) puts a
 * stage, or -1 when vLLM lacks it (that is noted apart). */
static int
vllm_rank(enum tv_stage_kind k)
{
	switch (k) {
	case TV_STAGE_TEMP: return 0;
	case TV_STAGE_MIN_P: return 1;
	case TV_STAGE_TOP_K: return 2;
	case TV_STAGE_TOP_P: return 3;
	default: return -1;
	}
}

/* 1 when the stages that run here run in vLLM's order. Temperature and
 * top-k commute (temperature keeps the ranking), so only they may trade
 * places. */
static int
vllm_order_agrees(const struct tv_recipe_in *in)
{
	const struct tv_chain *c = in->chain;
	int i, j;

	for (i = 0; i < c->n; i++) {
		for (j = i + 1; j < c->n; j++) {
			enum tv_stage_kind a = c->stage[i], b = c->stage[j];

			if (!stage_runs(in, a) || !stage_runs(in, b) ||
			    vllm_rank(a) < 0 || vllm_rank(b) < 0 ||
			    vllm_rank(a) < vllm_rank(b))
				continue;
			if ((a == TV_STAGE_TEMP && b == TV_STAGE_TOP_K) ||
			    (a == TV_STAGE_TOP_K && b == TV_STAGE_TEMP))
				continue;
			return 0;
		}
	}
	return 1;
}

static void
build_openai(const struct tv_recipe_in *in, struct tv_recipe *out)
{
	static const enum tv_stage_kind lacked[] = {
		TV_STAGE_TYPICAL, TV_STAGE_TOP_N_SIGMA, TV_STAGE_XTC,
		TV_STAGE_TOP_A, TV_STAGE_TFS, TV_STAGE_MIROSTAT,
	};
	const struct tv_params *p = in->par;
	char num[32], list[160] = "";
	size_t i;

	add(out, TV_RECIPE_HEAD, "OpenAI-compatible request (/v1/completions, "
	    "/v1/chat/completions)");
	tv_recipe_num(num, sizeof num, tv_chain_has(in->chain, TV_STAGE_TEMP) ?
		      p->temp : 1);
	if (!add_line(out, TV_RECIPE_CMD))
		return;
	cat(out->line[out->n - 1].text, "\"temperature\": %s", num);
	tv_recipe_num(num, sizeof num, stage_runs(in, TV_STAGE_TOP_P) ?
		      p->top_p : 1);
	cat(out->line[out->n - 1].text, ", \"top_p\": %s", num);
	if (p->freq_penalty != 0 || p->presence_penalty != 0) {
		cat_field(out->line[out->n - 1].text, "frequency_penalty",
			  p->freq_penalty);
		cat_field(out->line[out->n - 1].text, "presence_penalty",
			  p->presence_penalty);
	}
	add(out, TV_RECIPE_HEAD, "vLLM adds");
	tv_recipe_num(num, sizeof num, stage_runs(in, TV_STAGE_MIN_P) ?
		      p->min_p : 0);
	add(out, TV_RECIPE_CMD, "\"top_k\": %d, \"min_p\": %s",
	    stage_runs(in, TV_STAGE_TOP_K) ? p->top_k : -1, num);
	if (p->repeat_penalty != 1)
		cat_field(out->line[out->n - 1].text, "repetition_penalty",
			  p->repeat_penalty);
	if (penalties_set(p) && in->chain->rules != TV_PROFILE_VLLM)
		add(out, TV_RECIPE_NOTE, "vLLM counts the penalties by its own "
		    "rules (frequency and presence over the output only): "
		    "--profile vllm shows its numbers here");
	if (p->dry_multiplier != 0)
		snprintf(list, sizeof list, "dry");
	if (tv_smoothing_on(p))
		snprintf(list + strlen(list), sizeof list - strlen(list),
			 "%ssmoothing", list[0] ? ", " : "");
	if (stage_runs(in, TV_STAGE_TOP_K) || stage_runs(in, TV_STAGE_MIN_P))
		add(out, TV_RECIPE_NOTE, "top_k and min_p are not OpenAI's own: "
		    "OpenAI's servers ignore or refuse them");
	if (tv_chain_has(in->chain, TV_STAGE_TEMP) && p->temp > 2)
		add(out, TV_RECIPE_NOTE, "temperature above 2: OpenAI accepts "
		    "0 to 2");
	for (i = 0; i < sizeof lacked / sizeof *lacked; i++)
		if (stage_runs(in, lacked[i]))
			snprintf(list + strlen(list), sizeof list - strlen(list),
				 "%s%s", list[0] ? ", " : "",
				 tv_stage_name(lacked[i]));
	if (p->dynatemp_range > 0 && tv_chain_has(in->chain, TV_STAGE_TEMP))
		snprintf(list + strlen(list), sizeof list - strlen(list),
			 "%sdynatemp", list[0] ? ", " : "");
	if (p->min_keep > 0)
		snprintf(list + strlen(list), sizeof list - strlen(list),
			 "%smin-keep", list[0] ? ", " : "");
	if (list[0])
		add(out, TV_RECIPE_NOTE, "no field for %s: neither OpenAI nor "
		    "vLLM has that sampler", list);
	if (!vllm_order_agrees(in))
		add(out, TV_RECIPE_NOTE, "the order cannot be asked for: vLLM "
		    "always runs temperature, min-p, top-k, top-p");
}

void
tv_recipe_build(const struct tv_recipe_in *in, struct tv_recipe *out)
{
	out->n = 0;
	build_tempviz(in, out);
	build_llama(in, out);
	build_openai(in, out);
}

const char *
tv_recipe_find(const struct tv_recipe *out, enum tv_recipe_kind kind,
	       const char *prefix)
{
	int i;

	for (i = 0; i < out->n; i++)
		if (out->line[i].kind == kind &&
		    strncmp(out->line[i].text, prefix, strlen(prefix)) == 0)
			return out->line[i].text;
	return NULL;
}
