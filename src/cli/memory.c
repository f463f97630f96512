/* SPDX-License-Identifier: MIT */
/*
 * The samplers with memory on a loaded distribution: the history as the
 * distribution's token ids (--history's words, and an LM source's
 * prompt), the penalties and DRY applied to the chosen position, then
 * quadratic smoothing; what moved is kept for print.
 */
#include "cli/cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/history.h"

/* A token whose text is the word: exactly, after one leading space (a
 * BPE token's word start), or ignoring ASCII case; the lowest id wins. */
static int
token_is(const char *tok, size_t tl, const char *w, size_t wl, int fold)
{
	if (tl == wl + 1 && tok[0] == ' ') {
		tok++;
		tl--;
	}
	if (tl != wl)
		return 0;
	if (!fold)
		return memcmp(tok, w, wl) == 0;
	for (size_t i = 0; i < wl; i++)
		if (tolower((unsigned char)tok[i]) !=
		    tolower((unsigned char)w[i]))
			return 0;
	return 1;
}

static uint32_t
find_token(const struct tv_dist *d, const char *w, size_t wl)
{
	for (int fold = 0; fold < 2; fold++)
		for (uint32_t id = 0; id < d->n; id++) {
			size_t tl;
			const char *tok = tv_dist_tok(d, id, &tl);

			if (token_is(tok, tl, w, wl, fold))
				return id;
		}
	return UINT32_MAX;
}

static size_t
count_words(const char *s)
{
	size_t n = 0;

	for (; s && *s; s += strspn(s, " "))
		if (*s != ' ') {
			n++;
			s += strcspn(s, " ");
		}
	return n;
}

/* Append the words of s that name tokens; count the others. */
static void
add_words(struct tv_cli_input *in, const char *s)
{
	while (s && *s) {
		size_t len;
		uint32_t id;

		s += strspn(s, " ");
		len = strcspn(s, " ");
		if (len == 0)
			break;
		id = find_token(in->d, s, len);
		if (id == UINT32_MAX)
			in->n_unmatched++;
		else
			in->hist[in->n_hist++] = id;
		s += len;
	}
}

static int
any_memory(const struct tv_params *p, enum tv_profile rules)
{
	return tv_penalties_on(p, rules) || tv_dry_on(p, rules) ||
	       tv_smoothing_on(p);
}

static int
penalize_dist(const struct tv_cli *o, struct tv_cli_input *in,
	      struct tv_dist *d)
{
	struct tv_history h = { .ids = in->hist, .n = in->n_hist,
				.n_prompt = in->n_prompt };
	struct tv_memo *m = tv_memo_new(d->n);
	unsigned char *brk = malloc(d->n ? d->n : 1);
	float *l = malloc(d->n * sizeof *l);
	uint32_t *ids = malloc((in->n_hist ? in->n_hist : 1) * sizeof *ids);
	float *vals = malloc((in->n_hist ? in->n_hist : 1) * sizeof *vals);
	int rc = TV_EXIT_DATA;

	in->edits = malloc((in->n_hist ? in->n_hist : 1) * sizeof *in->edits);
	if (m && brk && l && ids && vals && in->edits) {
		for (uint32_t id = 0; id < d->n; id++) {
			size_t tl;
			const char *tok = tv_dist_tok(d, id, &tl);

			brk[id] = (unsigned char)tv_dry_breaker_text(tok, tl);
		}
		memcpy(l, d->logit, d->n * sizeof *l);
		in->n_edits = tv_penalize(m, &o->params, o->profile, &h, brk,
					  l, in->edits);
		for (uint32_t i = 0; i < in->n_edits; i++) {
			ids[i] = in->edits[i].id;
			vals[i] = in->edits[i].after;
		}
		rc = tv_dist_relogit(d, ids, vals, in->n_edits) == TV_OK ?
		     TV_EXIT_OK : TV_EXIT_DATA;
	}
	tv_memo_free(m);
	free(brk);
	free(l);
	free(ids);
	free(vals);
	return rc;
}

int
tv_cli_apply_memory(const struct tv_cli *o, struct tv_cli_input *in)
{
	struct tv_dist *d = in->src.pos + (in->d - in->src.pos);
	const char *prompt = o->lm ? o->prompt : NULL;
	size_t n = count_words(prompt) + count_words(o->history);
	int rc = TV_EXIT_OK;

	if (!any_memory(&o->params, o->profile))
		return TV_EXIT_OK;
	in->hist = malloc((n ? n : 1) * sizeof *in->hist);
	if (!in->hist) {
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	add_words(in, prompt);
	in->n_prompt = in->n_hist;
	add_words(in, o->history);
	if (in->n_unmatched)
		tv_cli_err("note: --history: %u word%s name no token of the "
			   "distribution and are left out", in->n_unmatched,
			   in->n_unmatched > 1 ? "s" : "");
	if (in->n_hist)
		rc = penalize_dist(o, in, d);
	if (rc == TV_EXIT_OK && tv_smoothing_on(&o->params))
		rc = tv_dist_smooth(d, o->params.smoothing_factor,
				    o->params.smoothing_curve) == TV_OK ?
		     TV_EXIT_OK : TV_EXIT_DATA;
	if (rc != TV_EXIT_OK)
		tv_cli_err("out of memory, or no finite logit left after the "
			   "penalties");
	return rc;
}
