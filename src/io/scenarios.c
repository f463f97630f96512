/* SPDX-License-Identifier: MIT */
/*
 * The table of built-in scenarios. Their bytes are the files of data/,
 * assembled into the binary by scenarios_data.S; each note repeats the
 * file's "# note:" line (a unit test keeps the two equal) so --list needs
 * no parsing.
 */
#include <stdint.h>
#include <string.h>

#include "io/source.h"

#define BLOB(n) extern const char tv_scn_##n[]; extern const uint64_t tv_scn_##n##_size
BLOB(approve);
BLOB(france);
BLOB(nucleus);
BLOB(factual);
BLOB(story);
BLOB(code);
BLOB(twolevel);
BLOB(longtail);
BLOB(tie);
BLOB(uniform);
#undef BLOB

#define SCN(n, note) { #n, note, tv_scn_##n, 0 }

static struct tv_scenario table[] = {
	SCN(approve, "Ten close logits: temperature moves mass between ranks but never changes their order."),
	SCN(france, "A confident answer over a 50,257-token vocabulary: at high T the unlisted tail takes the mass."),
	SCN(nucleus, "Probabilities 0, .1, .2, .3, .4: check top-p and min-p cut-offs by hand; p = 0 is never drawn."),
	SCN(factual, "One token holds 96%: only a very high T flattens a model that knows the answer."),
	SCN(story, "An open story: many good continuations, so top-p keeps dozens of tokens where min-p keeps few."),
	SCN(code, "Code is nearly deterministic: a little temperature is harmless, a lot breaks the syntax."),
	SCN(twolevel, "One token against 49,999 others: a two-level system whose tail's entropy wins past T = 1.2."),
	SCN(longtail, "A real language model's next word after \"of the\": 72,546 words, none above 2%; top-k and top-p keep wildly different counts."),
	SCN(tie, "Two tied winners: temperature never breaks a tie, and greedy decoding takes the lower id."),
	SCN(uniform, "Eight equal logits: every temperature gives the same flat distribution, 3 bits."),
};
#undef SCN

/* The sizes are link-time constants in the assembly, not C constants, so
 * they are copied into the table on first use. */
static const uint64_t *const sizes[] = {
	&tv_scn_approve_size, &tv_scn_france_size, &tv_scn_nucleus_size,
	&tv_scn_factual_size, &tv_scn_story_size, &tv_scn_code_size,
	&tv_scn_twolevel_size, &tv_scn_longtail_size, &tv_scn_tie_size,
	&tv_scn_uniform_size,
};

const struct tv_scenario *
tv_scenarios(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	for (size_t i = 0; i < *n; i++)
		table[i].len = (size_t)*sizes[i];
	return table;
}

const struct tv_scenario *
tv_scenario_find(const char *name)
{
	size_t n;
	const struct tv_scenario *t = tv_scenarios(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}
