/* SPDX-License-Identifier: MIT */
/*
 * A next-token distribution: V listed tokens with float logits and UTF-8
 * token bytes, an optional "rest of vocabulary" tail, and metadata.
 *
 * tv_dist_finish() orders the tokens once (logit descending, id ascending).
 * Every later computation walks that order; for T > 0 every truncation in
 * logit order is a range of it, so no dial change ever sorts again.
 */
#ifndef TEMPVIZ_DIST_H
#define TEMPVIZ_DIST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The most tokens a distribution (or a generation step) holds: far past
 * any vocabulary, and low enough that the kernels' index arithmetic, which
 * walks ranges in blocks, never wraps a uint32_t. */
#define TV_MAX_TOKENS (UINT32_C(1) << 31)

/* What the numbers of a source meant before they became logits. */
enum tv_kind { TV_KIND_LOGITS, TV_KIND_LOGPROBS, TV_KIND_PROBS };

struct tv_dist {
	uint32_t n;          /* listed tokens; ids are 0 .. n-1 */
	uint32_t cap;        /* room for tokens before logit and off grow */
	float *logit;        /* by id; after finish: NaN is -inf, see below */

	/* Token text: the bytes of token i are text[off[i] .. off[i+1]).
	 * Bytes are untrusted (may hold NUL, ESC, invalid UTF-8). */
	char *text;
	uint32_t *off;       /* n + 1 entries */
	size_t text_cap;

	/* Filled by tv_dist_finish(). */
	uint32_t *order;     /* ids by logit descending, then id ascending */
	float *sorted;       /* sorted[r] = logit[order[r]] */
	uint32_t *rank;      /* rank[id] = r with order[r] == id */
	uint32_t n_finite;   /* positions [0, n_finite) have a finite logit */
	double lse1;         /* logsumexp at T = 1 over the whole vocabulary,
	                        tail included */

	/*
	 * The rest of the vocabulary, when only the top of it is listed: one
	 * degenerate level of tail_g tokens, each with logit tail_logit (the
	 * maximum-entropy assumption). tail_g == 0 means no tail. When the
	 * vocabulary size is unknown tail_g is 1 and the level is the lumped
	 * mass. tail_pos is where the level sits in the order: the number of
	 * listed tokens whose logit is >= tail_logit.
	 */
	double tail_g;
	double tail_logit;
	uint32_t tail_pos;
	int tail_exact;      /* 1 when the tail mass came from a full-vocabulary
	                        logsumexp, 0 when it is an estimate */

	/* Metadata; all optional, NUL-terminated, untrusted text, except
	 * the prompt when it is shared: read it with tv_dist_prompt(). */
	char *name;
	char *prompt;        /* context before the next token */
	size_t prompt_len;   /* its length when shared */
	int prompt_shared;   /* prompt is a prefix of a buffer owned by the
	                        caller (the positions of a response share
	                        one context), neither terminated nor freed */
	char *model;
	char *note;          /* one line: what this distribution teaches */
	char *chosen;        /* the token the model actually chose, if known */
	double dump_temp;    /* temperature the dump was taken at; 0 unknown.
	                        tv_dist_undo_dump_temp() multiplies the
	                        logits by it */
	double vocab_size;   /* n + tail_g */
	enum tv_kind kind;
	int had_nan;         /* NaN logits were found (now -inf) */
	int had_posinf;      /* +inf logits were found (they share all mass) */
};

enum tv_status {
	TV_OK = 0,
	TV_ENOMEM,
	TV_EEMPTY,      /* no tokens, or every logit is -inf or NaN */
	TV_ERANGE,      /* a value outside what is accepted */
	TV_EINVAL,
};

const char *tv_status_str(enum tv_status s);

/* Start an empty distribution with room for cap tokens (grows on demand). */
enum tv_status tv_dist_init(struct tv_dist *d, uint32_t cap);
/* Append a token; bytes need not be NUL-terminated. TV_ERANGE past
 * TV_MAX_TOKENS tokens or 4 GiB of token text. */
enum tv_status tv_dist_push(struct tv_dist *d, const char *tok, size_t len,
			    float logit);
/* Set the tail from the full-vocabulary logsumexp at T = 1 of the logits.
 * Either setter reads the listed logits, so call it after the last push;
 * vocab_size 0 means unknown (the rest becomes one lumped level); from 1
 * to n it says every token is listed (no tail). */
enum tv_status tv_dist_set_tail_lse(struct tv_dist *d, double vocab_size,
				    double lse_all);
/* Set the tail from the probability mass not listed (0 <= rest < 1). */
enum tv_status tv_dist_set_tail_mass(struct tv_dist *d, double vocab_size,
				     double rest_mass);
/*
 * Validate and order. NaN logits become -inf (never drawn); if any logit is
 * +inf, those tokens share the whole mass equally (they become 0, every
 * other logit -inf, and the tail is dropped). An empty or all -inf
 * distribution is TV_EEMPTY.
 */
enum tv_status tv_dist_finish(struct tv_dist *d);
void tv_dist_free(struct tv_dist *d);

/* A deep copy of a finished distribution (its metadata too; a shared
 * prompt becomes the copy's own). On an error dst is left freed. */
enum tv_status tv_dist_copy(struct tv_dist *dst, const struct tv_dist *src);

/* Build and finish a distribution from n logits, tokens named "0", "1",
 * ...; on an error d is left freed. */
enum tv_status tv_dist_from_logits(struct tv_dist *d, const float *v,
				   uint32_t n);
/* The same from probabilities, which become ln p (p = 0 becomes -inf); a
 * negative p is TV_ERANGE. */
enum tv_status tv_dist_from_probs(struct tv_dist *d, const double *p,
				  uint32_t n);

/* The states a temperature can give mass to, in a finished distribution:
 * the listed tokens with a finite logit plus the tail's tokens. A -inf
 * logit is never drawn at any T, so it is not counted, though vocab_size
 * counts it. */
double tv_dist_states(const struct tv_dist *d);
/* The entropy of the uniform distribution over those states, log2 of
 * their number: what T -> inf approaches, the top of an entropy scale.
 * 0 for a single state. */
double tv_dist_max_entropy_bits(const struct tv_dist *d);

static inline const char *
tv_dist_tok(const struct tv_dist *d, uint32_t id, size_t *len)
{
	*len = d->off[id + 1] - d->off[id];
	return d->text + d->off[id];
}

/* Replace a metadata string (copies; NULL clears). Not for a shared
 * prompt. */
enum tv_status tv_dist_set_meta(char **field, const char *s);

/* The context before the next token, len bytes (not NUL-terminated when
 * shared); "" when there is none. */
static inline const char *
tv_dist_prompt(const struct tv_dist *d, size_t *len)
{
	if (!d->prompt) {
		*len = 0;
		return "";
	}
	*len = d->prompt_shared ? d->prompt_len : strlen(d->prompt);
	return d->prompt;
}

/* Make the prompt the first len bytes of buf, which the caller owns and
 * keeps alive as long as d. */
void tv_dist_share_prompt(struct tv_dist *d, const char *buf, size_t len);

/*
 * A dump taken at temperature T holds log softmax(z / T) (or z / T): the
 * model's own logits are T times its values, up to a constant. Multiply
 * the listed logits and the tail's logit by dump_temp (nothing when it is
 * 0 or 1); call before tv_dist_finish(). TV_ERANGE when a logit would
 * overflow a float.
 */
enum tv_status tv_dist_undo_dump_temp(struct tv_dist *d);

#endif
