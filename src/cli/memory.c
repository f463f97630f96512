/* SPDX-License-Identifier: MIT */
/*
 * The samplers with memory on a loaded distribution: the history as the
 * distribution's token ids (--history's words, and an LM source's
 * prompt), then the penalties, DRY and quadratic smoothing applied to the
 * chosen position by the core; what moved is kept for print. print
 * --compare's B gets a copy of its own when its settings move the logits
 * (B's memory settings, or a profile whose rules differ), since the two
 * settings then no longer share one distribution.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "tempviz/history.h"

static int
any_memory(const struct tv_params *p, enum tv_profile rules)
{
	return tv_penalties_on(p, rules) || tv_dry_on(p, rules) ||
	       tv_smoothing_on(p);
}

static int
history_of(const struct tv_cli *o, struct tv_cli_input *in)
{
	const char *prompt = o->lm ? o->prompt : NULL;
	uint32_t n = tv_history_count_words(prompt) +
		     tv_history_count_words(o->history);

	in->hist = malloc((n ? n : 1) * sizeof *in->hist);
	if (!in->hist)
		return -1;
	in->n_prompt = tv_history_words(in->d, prompt, in->hist, n,
					&in->n_unmatched);
	in->n_hist = in->n_prompt +
		     tv_history_words(in->d, o->history, in->hist + in->n_prompt,
				      n - in->n_prompt, &in->n_unmatched);
	if (in->n_unmatched)
		tv_cli_err("note: --history: %u word%s name no token of the "
			   "distribution and are left out", in->n_unmatched,
			   in->n_unmatched > 1 ? "s" : "");
	return 0;
}

/* One setting's samplers with memory on d; *brk is made when DRY needs
 * it (share, when given, is the same list's, reused). */
static enum tv_status
apply(struct tv_memory **mem, struct tv_breakers **brk,
      const struct tv_breakers *share, struct tv_dist *d,
      const struct tv_params *p, enum tv_profile rules,
      const struct tv_history *h)
{
	const struct tv_breakers *b = share;

	if (!(*mem = tv_memory_new()))
		return TV_ENOMEM;
	if (tv_dry_on(p, rules) && !b && !(b = *brk = tv_breakers_new(d,
	    p->dry_breakers)))
		return TV_ENOMEM;
	return tv_memory_apply(*mem, d, p, rules, h, b);
}

int
tv_cli_apply_memory(const struct tv_cli *o, struct tv_cli_input *in)
{
	struct tv_dist *d = in->src.pos + (in->d - in->src.pos);
	const struct tv_cli_cmp *b = &o->cmp;
	int a_on = any_memory(&o->params, o->profile);
	int b_on = b->on && any_memory(&b->params, b->profile);
	struct tv_history h;
	enum tv_status st = TV_OK;

	if (o->cmd == TV_CMD_TUI || o->cmd == TV_CMD_SNAPSHOT ||
	    (!a_on && !b_on))
		return TV_EXIT_OK;
	if (history_of(o, in) != 0) {
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	h = (struct tv_history){ .ids = in->hist, .n = in->n_hist,
				 .n_prompt = in->n_prompt };
	/* B's copy is the model's, taken before A's settings move it. */
	if (b->on && (a_on || b_on)) {
		st = tv_dist_copy(&in->cmp_d, d);
		in->cmp_on = st == TV_OK;
	}
	if (st == TV_OK)
		st = apply(&in->mem, &in->brk, NULL, d, &o->params,
			   o->profile, &h);
	if (st == TV_OK && in->cmp_on)
		st = apply(&in->cmp_mem, &in->cmp_brk,
			   b->params.dry_breakers == o->params.dry_breakers ?
			   in->brk : NULL, &in->cmp_d, &b->params, b->profile,
			   &h);
	if (st != TV_OK) {
		tv_cli_err("%s", st == TV_ENOMEM ? "out of memory" :
			   "no finite logit is left after the penalties");
		return TV_EXIT_DATA;
	}
	return TV_EXIT_OK;
}

const struct tv_dist *
tv_cli_cmp_dist(const struct tv_cli_input *in)
{
	return in->cmp_on ? &in->cmp_d : in->d;
}

void
tv_cli_free_memory(struct tv_cli_input *in)
{
	free(in->hist);
	tv_memory_free(in->mem);
	tv_memory_free(in->cmp_mem);
	tv_breakers_free(in->brk);
	tv_breakers_free(in->cmp_brk);
	if (in->cmp_on)
		tv_dist_free(&in->cmp_d);
	in->hist = NULL;
	in->mem = in->cmp_mem = NULL;
	in->brk = in->cmp_brk = NULL;
	in->cmp_on = 0;
}
