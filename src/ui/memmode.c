/* SPDX-License-Identifier: MIT */
/*
 * The samplers with memory on the app's own copy of the distribution:
 * made when one first acts on a source, mended on each dial change by the
 * core (tv_memory_apply takes the copy back to the model's logits, then
 * moves only the tokens the new setting moves).
 */
#include "ui/memmode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lm/gen.h"
#include "tempviz/compare.h"
#include "ui/app.h"
#include "ui/genmode.h"

struct tv_memmode {
	char *words;                    /* the history as given (the app's
	                                   own; an A/B pane's reads it) */
	unsigned words_gen;             /* bumped at each new history */
	unsigned made_gen;              /* work's ids are of this one */
	unsigned serial;                /* bumped at each change of work */
	const struct tv_dist *base;     /* work is a copy of this ... */
	unsigned base_serial;           /* ... at this a->base_serial */
	int have_work;
	struct tv_dist work;
	uint32_t *ids;                  /* the history in work's token ids */
	uint32_t n_ids, n_prompt;       /* the first n_prompt the prompt's */
	struct tv_memory *mem;
	struct tv_breakers *brk;        /* DRY's, for work's tokens ... */
	const char *const *brk_list;    /* ... made from this list */
	int applied;                    /* work holds mem's apply of: */
	struct tv_params par;
	enum tv_profile rules;
	struct tv_result model;         /* base at T = 1, nothing cut ... */
	const struct tv_dist *model_of; /* ... of this base ... */
	unsigned model_serial;          /* ... at this a->base_serial */
};

static int
needs_history(const struct tv_params *p, enum tv_profile rules)
{
	return tv_penalties_on(p, rules) || tv_dry_on(p, rules);
}

/* The settings that move logits before the chain are the same. */
static int
same_memory(const struct tv_params *x, const struct tv_params *y)
{
	return x->repeat_penalty == y->repeat_penalty &&
	       x->repeat_last_n == y->repeat_last_n &&
	       x->freq_penalty == y->freq_penalty &&
	       x->presence_penalty == y->presence_penalty &&
	       x->dry_multiplier == y->dry_multiplier &&
	       x->dry_base == y->dry_base &&
	       x->dry_allowed_length == y->dry_allowed_length &&
	       x->dry_penalty_last_n == y->dry_penalty_last_n &&
	       x->dry_breakers == y->dry_breakers &&
	       x->smoothing_factor == y->smoothing_factor &&
	       x->smoothing_curve == y->smoothing_curve &&
	       (x->mirostat != 0) == (y->mirostat != 0);
}

static struct tv_memmode *
state(struct tv_app *a)
{
	if (!a->mem)
		a->mem = calloc(1, sizeof *a->mem);
	return a->mem;
}

int
tv_memmode_set_history(struct tv_app *a, const char *words)
{
	struct tv_memmode *mm = state(a);
	char *w = words ? strdup(words) : NULL;

	if (!mm || (words && !w)) {
		free(w);
		return -1;
	}
	free(mm->words);
	mm->words = w;
	/* The ids come from the words at the next copy. */
	mm->words_gen++;
	tv_app_changed(a, TV_CHG_PARAMS);
	return 0;
}

const char *
tv_memmode_history(const struct tv_app *a)
{
	return a->mem ? a->mem->words : NULL;
}

int
tv_app_history(struct tv_app *a, const char *words)
{
	return tv_memmode_set_history(a, words);
}

/* The history the shown distribution follows: a language model's text
 * (its prompt and the words written, as tokens of a->base), or
 * --history's words (of generation gen). */
struct hist_src {
	const uint32_t *ids;
	uint32_t n, n_prompt;
	const char *words;
	unsigned gen;
};

/* The history of the app's source; -1 when out of memory. */
static int
history_src(struct tv_app *a, struct hist_src *hs)
{
	struct tv_gen *g;

	*hs = (struct hist_src){ .words = a->mem ? a->mem->words : NULL,
				 .gen = a->mem ? a->mem->words_gen : 0 };
	if (!a->gen)
		return 0;
	/* While a server answers for a new prompt the text before it is
	 * shown, with its distribution. */
	g = a->gen->shown ? a->gen->shown : a->gen->lane[TV_LANE_DIAL];
	hs->words = NULL;
	hs->n = tv_gen_history(g, a->base, &hs->ids, &hs->n_prompt);
	return hs->n == UINT32_MAX ? -1 : 0;
}

/* mm's copy is not of a->base under the history hs. */
static int
stale(const struct tv_app *a, const struct tv_memmode *mm,
      const struct hist_src *hs)
{
	if (!mm->have_work || mm->base != a->base ||
	    mm->base_serial != a->base_serial)
		return 1;
	if (!hs->ids)
		return mm->made_gen != hs->gen;
	return mm->n_ids != hs->n || mm->n_prompt != hs->n_prompt ||
	       (hs->n && memcmp(mm->ids, hs->ids, hs->n * sizeof *hs->ids));
}

/* A copy of the new base, with the history hs in its token ids; the
 * app's own instance says which words it left out. */
static int
rebase(struct tv_app *a, struct tv_memmode *mm, const struct hist_src *hs)
{
	uint32_t n = hs->ids ? hs->n : tv_history_count_words(hs->words);
	uint32_t *ids = realloc(mm->ids, (n ? n : 1) * sizeof *ids);
	uint32_t unmatched = 0;

	if (mm->have_work)
		tv_dist_free(&mm->work);
	tv_memory_forget(mm->mem);
	tv_breakers_free(mm->brk);
	mm->brk = NULL;
	mm->applied = mm->have_work = 0;
	mm->n_ids = mm->n_prompt = 0;
	if (ids)
		mm->ids = ids;
	if (!ids || tv_dist_copy(&mm->work, a->base) != TV_OK)
		return -1;
	mm->have_work = 1;
	mm->base = a->base;
	mm->base_serial = a->base_serial;
	mm->made_gen = hs->gen;
	mm->serial++;
	if (hs->ids) {
		memcpy(mm->ids, hs->ids, n * sizeof *ids);
		mm->n_ids = n;
		mm->n_prompt = hs->n_prompt;
		return 0;
	}
	mm->n_ids = tv_history_words(&mm->work, hs->words, mm->ids, n,
				     &unmatched);
	if (unmatched && mm == a->mem)
		tv_app_note(a, "--history: %u %s no token of this "
			    "distribution and %s left out", unmatched,
			    unmatched > 1 ? "words name" : "word names",
			    unmatched > 1 ? "are" : "is");
	return 0;
}

/* Apply p under rules to the copy unless it already holds that: 0, -1
 * out of memory, 1 when the setting leaves no finite logit (said so). */
static int
reapply(struct tv_app *a, struct tv_memmode *mm, const struct tv_params *p,
	enum tv_profile rules)
{
	struct tv_history h = { .ids = mm->ids, .n = mm->n_ids,
				.n_prompt = mm->n_prompt };
	enum tv_status st;

	if (tv_dry_on(p, rules) && (!mm->brk ||
	    mm->brk_list != p->dry_breakers)) {
		tv_breakers_free(mm->brk);
		mm->brk_list = p->dry_breakers;
		if (!(mm->brk = tv_breakers_new(&mm->work, p->dry_breakers)))
			return -1;
	}
	if (mm->applied && mm->rules == rules && same_memory(&mm->par, p))
		return 0;
	st = tv_memory_apply(mm->mem, &mm->work, p, rules, &h, mm->brk);
	mm->applied = st == TV_OK;
	if (st == TV_EEMPTY) {
		tv_app_note(a, "these penalties leave no finite logit: the "
			    "distribution is shown without them");
		return 1;
	}
	if (st != TV_OK)
		return -1;
	mm->par = *p;
	mm->rules = rules;
	/* The copy changed at the same address. */
	mm->serial++;
	if (mm == a->mem)
		a->d_serial++;
	return 0;
}

/* a->base under p and rules, through instance *slot (made when first
 * needed) on the app's history: a->base itself, or *slot's copy. */
static const struct tv_dist *
dist_under(struct tv_app *a, struct tv_memmode **slot,
	   const struct tv_params *p, enum tv_profile rules)
{
	struct hist_src hs;
	struct tv_memmode *mm;

	if (!needs_history(p, rules) && !tv_smoothing_on(p))
		return a->base;
	if (history_src(a, &hs) != 0)
		goto nomem;
	if (!tv_smoothing_on(p) && !hs.ids && !hs.words)
		return a->base;
	if (!*slot)
		*slot = calloc(1, sizeof **slot);
	mm = *slot;
	if (!mm || (!mm->mem && !(mm->mem = tv_memory_new())))
		goto nomem;
	if (stale(a, mm, &hs) && rebase(a, mm, &hs) != 0)
		goto nomem;
	/* None of the words is a token here: nothing to act on. */
	if (!tv_smoothing_on(p) && mm->n_ids == 0)
		return a->base;
	switch (reapply(a, mm, p, rules)) {
	case 0:
		return &mm->work;
	case 1:
		return a->base;
	}
nomem:
	tv_app_note(a, "out of memory: the samplers with memory are not "
		    "shown");
	return a->base;
}

const struct tv_dist *
tv_memmode_dist(struct tv_app *a)
{
	return dist_under(a, &a->mem, &a->par, a->chain.rules);
}

const struct tv_dist *
tv_memmode_dist_for(struct tv_app *a, struct tv_memmode **mm,
		    const struct tv_params *p, enum tv_profile rules,
		    unsigned *serial)
{
	const struct tv_dist *d = dist_under(a, mm, p, rules);

	*serial = *mm ? (*mm)->serial : 0;
	return d;
}

void
tv_memmode_release(struct tv_memmode **slot)
{
	struct tv_memmode *mm = *slot;

	if (!mm)
		return;
	if (mm->have_work)
		tv_dist_free(&mm->work);
	tv_memory_free(mm->mem);
	tv_breakers_free(mm->brk);
	free(mm->ids);
	free(mm->words);
	free(mm);
	*slot = NULL;
}

void
tv_memmode_free(struct tv_app *a)
{
	tv_memmode_release(&a->mem);
}

int
tv_memmode_acting(const struct tv_app *a)
{
	return a->mem && a->mem->have_work && a->d == &a->mem->work;
}

uint32_t
tv_memmode_history_len(const struct tv_app *a)
{
	return tv_memmode_acting(a) ? a->mem->n_ids : 0;
}

int
tv_memmode_no_history(const struct tv_app *a)
{
	const struct tv_memmode *mm = a->mem;

	if (a->gen || !needs_history(&a->par, a->chain.rules))
		return 0;
	return !mm || !mm->words || (mm->have_work && mm->n_ids == 0);
}

void
tv_memmode_effect(const struct tv_app *a, enum tv_mem_stage s,
		  struct tv_mem_effect *out)
{
	const struct tv_params *p = &a->par;
	enum tv_profile rules = a->chain.rules;

	if (tv_memmode_acting(a)) {
		tv_memory_effect(a->mem->mem, a->d, s, out);
		return;
	}
	*out = (struct tv_mem_effect){
		.on = !a->gen && (s == TV_MEM_PENALTIES ?
				  tv_penalties_on(p, rules) : s == TV_MEM_DRY ?
				  tv_dry_on(p, rules) : tv_smoothing_on(p)),
	};
}

/* The id of position pos of a->d, the tail's for TV_POS_TAIL. */
static uint32_t
id_at(const struct tv_app *a, uint32_t pos)
{
	return pos == TV_POS_TAIL ? TV_ID_TAIL : a->d->order[pos];
}

int
tv_memmode_delta(const struct tv_app *a, enum tv_mem_stage s, uint32_t pos,
		 double *delta)
{
	if (!tv_memmode_acting(a))
		return 0;
	return tv_memory_delta(a->mem->mem, a->d, id_at(a, pos), s, delta);
}

double
tv_memmode_base_logit(const struct tv_app *a, uint32_t pos)
{
	if (!tv_memmode_acting(a))
		return pos == TV_POS_TAIL ? a->d->tail_logit : a->d->sorted[pos];
	return tv_memory_base_logit(a->mem->mem, a->d, id_at(a, pos));
}

double
tv_memmode_kl_from_model(struct tv_app *a)
{
	struct tv_memmode *mm = a->mem;
	struct tv_compare c;

	if (!tv_memmode_acting(a))
		return a->res.stats.kl_bits;
	if (mm->model_of != a->base || mm->model_serial != a->base_serial) {
		struct tv_params p;
		struct tv_chain ch;

		tv_params_default(&p);
		tv_chain_default(&ch, a->chain.rules);
		tv_run(a->base, &ch, &p, &mm->model);
		mm->model_of = a->base;
		mm->model_serial = a->base_serial;
	}
	tv_compare_dists(a->d, &a->res, a->base, &mm->model, &c);
	return c.kl_inf ? INFINITY : c.kl_bits;
}
