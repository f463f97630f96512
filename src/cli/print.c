/* SPDX-License-Identifier: MIT */
/*
 * `tempviz print`: the distribution after the pipeline, as a table in
 * rank order with the statistics under it, or as one JSON object with the
 * tokens in id order.
 */
#include "cli/cli.h"
#include "tempviz/history.h"

#include <math.h>
#include <string.h>

#include "io/safetext.h"

#define TOKEN_W 20

static void
stage_setting(const struct tv_params *p, enum tv_stage_kind k, char *buf,
	      size_t cap)
{
	const char *name = tv_stage_name(k);

	switch (k) {
	case TV_STAGE_TEMP:
		if (p->dynatemp_range > 0)
			snprintf(buf, cap, "%s %g, dynatemp range %g exp %g",
				 name, p->temp, p->dynatemp_range,
				 p->dynatemp_exp);
		else
			snprintf(buf, cap, "%s %g", name, p->temp);
		break;
	case TV_STAGE_TOP_K:
		snprintf(buf, cap, "%s %d", name, p->top_k);
		break;
	case TV_STAGE_TOP_P:
		snprintf(buf, cap, "%s %g", name, p->top_p);
		break;
	case TV_STAGE_MIN_P:
		snprintf(buf, cap, "%s %g", name, p->min_p);
		break;
	case TV_STAGE_TYPICAL:
		snprintf(buf, cap, "%s %g", name, p->typical_p);
		break;
	case TV_STAGE_TOP_N_SIGMA:
		snprintf(buf, cap, "%s %g", name, p->top_n_sigma);
		break;
	case TV_STAGE_XTC:
		snprintf(buf, cap, "%s threshold %g probability %g", name,
			 p->xtc_threshold, p->xtc_probability);
		break;
	case TV_STAGE_TOP_A:
		snprintf(buf, cap, "%s %g", name, p->top_a);
		break;
	case TV_STAGE_TFS:
		snprintf(buf, cap, "%s %g", name, p->tfs);
		break;
	case TV_STAGE_MIROSTAT:
		snprintf(buf, cap, "%s %d tau %g eta %g", name, p->mirostat,
			 p->mirostat_tau, p->mirostat_eta);
		break;
	case TV_STAGE__COUNT:
		snprintf(buf, cap, "%s", name);
		break;
	}
}

/* "kept", "cut by top-p", or why a token that no stage cut is out: it is
 * masked, its logit -inf (-inf, NaN or p = 0 in the source). */
const char *
tv_cli_fate(const struct tv_dist *d, const struct tv_result *r, uint32_t pos)
{
	static char buf[48];
	int i = tv_result_cut_by(r, pos, d);

	if (i == -1)
		return "kept";
	if (i == TV_CUT_NEVER)
		return "masked (logit -inf)";
	snprintf(buf, sizeof(buf), "cut by %s",
		 tv_stage_name(r->chain.stage[i]));
	return buf;
}

/* %.6f, or %.4e where %.6f would not fit the column. */
const char *
tv_cli_logit_text(double x)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), fabs(x) < 1e4 || isinf(x) ? "%.6f" :
		 "%.4e", x);
	return buf;
}

static void
token_row(const struct tv_cli_input *in, const struct tv_result *r,
	  uint32_t pos)
{
	const struct tv_dist *d = in->d;
	uint32_t id = d->order[pos];
	char tok[TOKEN_W * 16];

	tv_cli_token(in, id, TOKEN_W, tok, sizeof(tok));
	printf("%6lu %7lu  %s %11s %10.6f %10.6f  %s\n",
	       (unsigned long)pos + 1, (unsigned long)id, tok,
	       tv_cli_logit_text(d->logit[id]), tv_base_p(d, pos),
	       tv_result_p(d, r, pos), tv_cli_fate(d, r, pos));
}

/* The unlisted rest of the vocabulary as one row, apart under the tokens
 * (it is not one, whatever its logit): its logit per token, its total
 * mass, and how much of it survived. */
static void
tail_row(const struct tv_dist *d, const struct tv_result *r)
{
	double g = d->tail_g;
	char what[96];

	const char *s = g == 1 ? "" : "s";

	if (r->tail_kept >= g)
		snprintf(what, sizeof(what), "kept: %.0f token%s", g, s);
	else if (r->tail_kept > 0)
		snprintf(what, sizeof(what), "kept %.0f of %.0f tokens",
			 r->tail_kept, g);
	else
		snprintf(what, sizeof(what), "%s: %.0f token%s",
			 tv_cli_fate(d, r, TV_POS_TAIL), g, s);
	printf("  %-34s %11s %10.6f %10.6f  %s\n",
	       tv_cli_tail_label(d), tv_cli_logit_text(d->tail_logit),
	       tv_base_p(d, TV_POS_TAIL) * g,
	       tv_result_p(d, r, TV_POS_TAIL) * r->tail_kept, what);
}

void
tv_cli_print_order(const struct tv_cli *o, const struct tv_result *r)
{
	char buf[512] = "", one[96];

	for (int i = 0; i < r->chain.n; i++) {
		stage_setting(&o->params, r->chain.stage[i], one, sizeof(one));
		if (!r->st[i].active)
			strcat(one, " (off)");
		tv_cli_join(buf, sizeof(buf), " > ", one);
	}
	printf("profile     %s%s\n", tv_profile_name(r->chain.rules),
	       r->chain.custom ? ", order from --order" : "");
	printf("order       %s\n", buf);
	if (r->greedy)
		printf("applied T   0, greedy\n");
	else
		printf("applied T   %.6g\n", r->temp);
	for (int i = 0; i < r->chain.n; i++)
		if (r->chain.stage[i] == TV_STAGE_XTC && r->st[i].active)
			printf("xtc coin    %s (seed %lu)\n",
			       r->xtc_fired ? "fired" : "did not fire",
			       (unsigned long)o->params.seed);
}

void
tv_cli_print_stats(const struct tv_result *r)
{
	const struct tv_stats *s = &r->stats;

	printf("entropy     %.6f bits, %.6f nats\n", s->entropy_bits,
	       s->entropy_nats);
	printf("perplexity  %.6f\n", s->perplexity);
	printf("top-1       %.6f\n", s->top1);
	printf("kept        %.10g of %.10g\n", s->kept, s->vocab);
	printf("cut mass    %.6f\n", s->cut_mass);
	printf("KL          %.6f bits, from the model at T = 1\n", s->kl_bits);
	printf("sum p       %.6f\n", s->sum_p);
}

void
tv_cli_print_source(const struct tv_cli_input *in)
{
	const struct tv_source *s = &in->src;
	const char *label = s->label ? s->label : "-", *prompt;
	char ctx[1024];
	size_t len;

	/* A file name may hold any bytes, like a token. */
	tv_safe_text(label, strlen(label), ctx, sizeof ctx, -1, in->ascii);
	printf("source      %s", ctx);
	if (s->n_pos > 1)
		printf(", position %lu of %lu",
		       (unsigned long)(in->d - s->pos) + 1,
		       (unsigned long)s->n_pos);
	printf("\n");
	if (in->d->model && in->d->model[0]) {
		tv_safe_text(in->d->model, strlen(in->d->model), ctx,
			     sizeof(ctx), 60, in->ascii);
		printf("model       %s\n", ctx);
	}
	if (in->d->dump_temp > 0 && in->d->dump_temp != 1)
		printf("dump T      %g: the values were log softmax(z / %g), so "
		       "the logits here are %g times them\n", in->d->dump_temp,
		       in->d->dump_temp, in->d->dump_temp);
	/* What a server listed, and what is estimated. */
	if (in->server && in->d->note) {
		tv_safe_text(in->d->note, strlen(in->d->note), ctx, sizeof(ctx),
			     -1, in->ascii);
		printf("listed      %s\n", ctx);
	}
	prompt = tv_dist_prompt(in->d, &len);
	if (len) {
		tv_safe_text(prompt, len, ctx, sizeof(ctx), 60, in->ascii);
		printf("context     %s\n", ctx);
	}
}

void
tv_cli_print_penalties(const struct tv_cli_input *in,
		       const struct tv_edit *edits, uint32_t n)
{
	char tok[64];

	if (!in->hist)
		return;
	printf("history     %u token%s (%u of the prompt), %u moved\n",
	       in->n_hist, in->n_hist == 1 ? "" : "s", in->n_prompt, n);
	for (uint32_t i = 0; i < n && !ferror(stdout); i++) {
		const struct tv_edit *e = &edits[i];

		tv_cli_token(in, e->id, 16, tok, sizeof tok);
		/* tv_cli_logit_text's buffer holds one number at a time. */
		printf("  %s %s", tok, tv_cli_logit_text(e->before));
		printf(" -> %s, seen %u", tv_cli_logit_text(e->after), e->count);
		if (e->dry_at != TV_DRY_NONE)
			printf(", DRY: repeat of %u after history word %u",
			       e->dry_len, e->dry_at + 1);
		printf("\n");
	}
}

static int
print_table(const struct tv_cli *o, const struct tv_cli_input *in,
	    const struct tv_result *r)
{
	const struct tv_dist *d = in->d;
	const struct tv_edit *e;
	uint32_t n;

	tv_cli_print_source(in);
	printf("\n%6s %7s  %-*s %11s %10s %10s  %s\n", "rank", "id", TOKEN_W,
	       "token", "logit", "p_base", "p", "fate");
	for (uint32_t pos = 0; pos < d->n && !ferror(stdout); pos++)
		token_row(in, r, pos);
	if (d->tail_g > 0) {
		printf("\n");
		tail_row(d, r);
	}
	printf("\n");
	tv_cli_print_stats(r);
	tv_cli_print_order(o, r);
	e = tv_memory_edits(in->mem, &n);
	tv_cli_print_penalties(in, e, n);
	/* Smoothing moves every logit before the chain: the table's are
	 * after it. */
	if (tv_smoothing_on(&o->params))
		printf("smoothing   factor %g, curve %g: every logit above is "
		       "after it\n", o->params.smoothing_factor,
		       o->params.smoothing_curve);
	return tv_cli_flush();
}

/* The name of the stage that cut a position (cut from tv_result_cut_by),
 * or null for a kept one. */
static json_t *
json_cut_by(const struct tv_result *r, int cut)
{
	return cut < 0 ? json_null() :
	       json_string(tv_stage_name(r->chain.stage[cut]));
}

json_t *
tv_json_tokens(const struct tv_dist *d, const struct tv_result *r)
{
	json_t *arr = json_array();

	for (uint32_t id = 0; arr && id < d->n; id++) {
		uint32_t pos = d->rank[id];
		int cut = tv_result_cut_by(r, pos, d);
		size_t len;
		const char *tok = tv_dist_tok(d, id, &len);
		json_t *t = json_object();

		if (!t || json_array_append_new(arr, t) != 0) {
			json_decref(arr);
			return NULL;
		}
		json_object_set_new(t, "id", json_integer(id));
		tv_json_token(t, tok, len);
		json_object_set_new(t, "logit", tv_json_num(d->logit[id]));
		json_object_set_new(t, "p_base", tv_json_num(tv_base_p(d, pos)));
		json_object_set_new(t, "p", tv_json_num(tv_result_p(d, r, pos)));
		json_object_set_new(t, "kept", json_boolean(cut == -1));
		json_object_set_new(t, "cut_by", json_cut_by(r, cut));
		/* JSON has no -inf: "logit" is null, and this says why. */
		if (cut == TV_CUT_NEVER)
			json_object_set_new(t, "masked", json_true());
	}
	return arr;
}

static json_t *
json_tail(const struct tv_dist *d, const struct tv_result *r)
{
	int cut = tv_result_cut_by(r, TV_POS_TAIL, d);

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
			 "tokens", tv_json_count(d->tail_g),
			 "logit", tv_json_num(d->tail_logit),
			 "p_base", tv_json_num(tv_base_p(d, TV_POS_TAIL) *
					       d->tail_g),
			 "p", tv_json_num(tv_result_p(d, r, TV_POS_TAIL) *
					  r->tail_kept),
			 "kept", tv_json_count(r->tail_kept),
			 "cut_by", json_cut_by(r, cut),
			 "exact", d->tail_exact);
}

json_t *
tv_json_stats(const struct tv_stats *s)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "entropy_bits", tv_json_num(s->entropy_bits),
			 "entropy_nats", tv_json_num(s->entropy_nats),
			 "perplexity", tv_json_num(s->perplexity),
			 "top1", tv_json_num(s->top1),
			 "kept", tv_json_count(s->kept),
			 "cut_mass", tv_json_num(s->cut_mass),
			 "kl_bits", tv_json_num(s->kl_bits),
			 "sum_p", tv_json_num(s->sum_p));
}

json_t *
tv_json_penalties(const struct tv_cli_input *in, const struct tv_edit *edits,
		  uint32_t n)
{
	json_t *a = json_array(), *h = json_array();
	json_t *o;

	for (uint32_t i = 0; a && i < n; i++) {
		const struct tv_edit *e = &edits[i];
		size_t len;
		const char *tok = tv_dist_tok(in->d, e->id, &len);

		json_array_append_new(a, json_pack(
			"{s:I, s:o, s:o, s:o, s:I, s:I, s:o}",
			"id", (json_int_t)e->id,
			"token", tv_json_lossy(tok, len),
			"logit_before", tv_json_num(e->before),
			"logit_after", tv_json_num(e->after),
			"count", (json_int_t)e->count,
			"dry_length", (json_int_t)e->dry_len,
			"dry_after", e->dry_at != TV_DRY_NONE ?
				json_integer((json_int_t)e->dry_at) :
				json_null()));
	}
	for (uint32_t i = 0; h && i < in->n_hist; i++)
		json_array_append_new(h, json_integer(in->hist[i]));
	o = json_pack("{s:o, s:I, s:o}", "history", h ? h : json_null(),
		      "prompt_tokens", (json_int_t)in->n_prompt,
		      "moved", a ? a : json_null());
	return o;
}

static int
print_json(const struct tv_cli *o, const struct tv_cli_input *in,
	   const struct tv_result *r)
{
	const struct tv_dist *d = in->d;
	json_t *j = json_object();
	const struct tv_edit *e;
	uint32_t n;

	if (!j)
		return tv_json_write(NULL);
	tv_json_setup(j, o, in);
	json_object_set_new(j, "temp_applied", json_real(r->greedy ? 0 :
							 r->temp));
	json_object_set_new(j, "vocab_size", tv_json_count(d->vocab_size));
	if (in->hist) {
		e = tv_memory_edits(in->mem, &n);
		json_object_set_new(j, "penalties",
				    tv_json_penalties(in, e, n));
	}
	json_object_set_new(j, "tokens", tv_json_tokens(d, r));
	if (d->tail_g > 0)
		json_object_set_new(j, "tail", json_tail(d, r));
	json_object_set_new(j, "stats", tv_json_stats(&r->stats));
	if (o->cmp.on)
		json_object_set_new(j, "compare", tv_json_compare(o, in, r));
	return tv_json_write(j);
}

int
tv_cmd_print(const struct tv_cli *o, const struct tv_cli_input *in)
{
	struct tv_result r;

	tv_cli_run(o, in->d, &r);
	if (o->cmp.on && !o->json)
		return tv_cli_compare_table(o, in, &r);
	return o->json ? print_json(o, in, &r) : print_table(o, in, &r);
}
