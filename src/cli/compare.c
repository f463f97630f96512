/* SPDX-License-Identifier: MIT */
/*
 * print --compare SETTINGS: a second setting, B, over the same source.
 * B starts from A's flags (the ordinary ones) and the key=value pairs go
 * over them, so "temp=1.5" asks what changes when only T does. The pairs
 * are parsed by the same option parser as the flags, so every range and
 * message is the flag's own, prefixed with "--compare: ".
 */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/compare.h"

#define TOKEN_W 20

/* The keys a pair may set: the sampling flags, --compare itself aside. */
static int
find_key(const char *s, size_t len)
{
	for (int i = TV_OPT_TEMP; i <= TV_OPT_SEED; i++) {
		const char *name = tv_cli_optdef((enum tv_opt)i)->name;

		if (strlen(name) == len && memcmp(name, s, len) == 0)
			return i;
	}
	return -1;
}

static int
unknown_key(const char *s, size_t len)
{
	char list[256] = "";

	for (int i = TV_OPT_TEMP; i <= TV_OPT_SEED; i++)
		tv_cli_join(list, sizeof list, ", ",
			    tv_cli_optdef((enum tv_opt)i)->name);
	tv_cli_err("--compare: unknown key \"%.*s\" (accepted: %s)",
		   (int)(len > 40 ? 40 : len), s, list);
	return TV_EXIT_USAGE;
}

/* "--name=value" in a fresh string; order's stages come joined by '/',
 * since ',' separates the pairs. */
static char *
flag_arg(enum tv_opt id, const char *val, size_t len)
{
	const char *name = tv_cli_optdef(id)->name;
	size_t n = strlen(name) + len + 4;
	char *s = malloc(n);

	if (!s)
		return NULL;
	snprintf(s, n, "--%s=%.*s", name, (int)len, val);
	if (id == TV_OPT_ORDER)
		for (char *c = s; *c; c++)
			*c = *c == '/' ? ',' : *c;
	return s;
}

/* Split the pairs into argv after A's own sampling flags. */
static int
build_argv(const struct tv_cli *o, char **argv, int *argc, int cap)
{
	static char prog[] = "tempviz", cmd[] = "print";
	const char *s = o->given[TV_OPT_COMPARE];

	argv[(*argc)++] = prog;
	argv[(*argc)++] = cmd;
	for (int i = TV_OPT_TEMP; i <= TV_OPT_SEED; i++)
		if (o->given[i] && *argc < cap && (argv[*argc] =
		    flag_arg((enum tv_opt)i, o->given[i], strlen(o->given[i]))))
			(*argc)++;
	for (;;) {
		size_t len = strcspn(s, ","), klen = strcspn(s, "=");
		int id;

		if (klen >= len) {
			tv_cli_err("--compare: \"%.*s\" is not key=value "
				   "(e.g. temp=1.5,top-p=0.9)",
				   (int)(len > 40 ? 40 : len), s);
			return TV_EXIT_USAGE;
		}
		id = find_key(s, klen);
		if (id < 0)
			return unknown_key(s, klen);
		if (*argc >= cap || !(argv[*argc] = flag_arg((enum tv_opt)id,
		    s + klen + 1, len - klen - 1))) {
			tv_cli_err("--compare: too many pairs");
			return TV_EXIT_USAGE;
		}
		(*argc)++;
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

int
tv_cli_compare_parse(struct tv_cli *o)
{
	enum { CAP = 2 + 2 * (TV_OPT_SEED - TV_OPT_TEMP + 1) + 16 };
	char *argv[CAP];
	int argc = 0, rc, first_own = 2;
	struct tv_cli b;

	if (!o->given[TV_OPT_COMPARE])
		return 0;
	rc = build_argv(o, argv, &argc, CAP);
	if (rc == 0) {
		tv_cli_err_context("--compare");
		rc = tv_cli_parse(argc, argv, &b);
		tv_cli_err_context(NULL);
		if (rc == 0)
			o->cmp = (struct tv_cli_cmp){ .on = 1,
						      .params = b.params,
						      .profile = b.profile,
						      .chain = b.chain };
		tv_cli_free(&b);
	}
	for (int i = first_own; i < argc; i++)
		free(argv[i]);
	return rc;
}

/* A's cli with B's settings: what the shared printers read. */
static struct tv_cli
as_b(const struct tv_cli *o)
{
	struct tv_cli b = *o;

	b.params = o->cmp.params;
	b.profile = o->cmp.profile;
	b.chain = o->cmp.chain;
	return b;
}

static const char *
which(const struct tv_result *a, const struct tv_result *b, uint32_t pos)
{
	int ka = tv_result_keeps(a, pos), kb = tv_result_keeps(b, pos);

	return ka == kb ? "" : ka ? "  A only" : "  B only";
}

static void
row(const struct tv_cli_input *in, const struct tv_result *a,
    const struct tv_result *b, uint32_t pos)
{
	const struct tv_dist *d = in->d;
	uint32_t id = d->order[pos];
	char tok[TOKEN_W * 16], fa[48];

	tv_cli_token(in, id, TOKEN_W, tok, sizeof tok);
	snprintf(fa, sizeof fa, "%s", tv_cli_fate(d, a, pos));
	printf("%6lu %7lu  %s %11s %10.6f %10.6f  %-20s %s%s\n",
	       (unsigned long)pos + 1, (unsigned long)id, tok,
	       tv_cli_logit_text(d->logit[id]), tv_result_p(d, a, pos),
	       tv_result_p(d, b, pos), fa, tv_cli_fate(d, b, pos),
	       which(a, b, pos));
}

/* The tail's mass kept by each, and how many of its tokens. */
static void
tail_row(const struct tv_dist *d, const struct tv_result *a,
	 const struct tv_result *b)
{
	char ka[48];

	snprintf(ka, sizeof ka, "kept %.0f of %.0f", a->tail_kept, d->tail_g);
	printf("  %-34s %11s %10.6f %10.6f  %-20s kept %.0f of %.0f\n",
	       tv_cli_tail_label(d), tv_cli_logit_text(d->tail_logit),
	       tv_result_p(d, a, TV_POS_TAIL) * a->tail_kept,
	       tv_result_p(d, b, TV_POS_TAIL) * b->tail_kept, ka,
	       b->tail_kept, d->tail_g);
}

static void
setting(const char *name, const struct tv_cli *o, const struct tv_result *r)
{
	printf("\n%s\n", name);
	tv_cli_print_stats(r);
	tv_cli_print_order(o, r);
}

/* KL(A || B) is infinite as soon as A keeps one token B cuts: said in
 * words, with how many, rather than as a huge number. */
static void
distance(const struct tv_compare *c)
{
	char n[32];

	printf("\n");
	if (c->kl_inf) {
		snprintf(n, sizeof n, "%.10g", c->only_a);
		printf("KL(A||B)    inf: A keeps %s token%s that B cuts\n", n,
		       c->only_a == 1 ? "" : "s");
	} else {
		printf("KL(A||B)    %.6f bits\n", c->kl_bits);
	}
	printf("TV          %.6f\n", c->tv);
	printf("tokens      %.10g kept by both, %.10g by A only, %.10g by B "
	       "only\n", c->both, c->only_a, c->only_b);
}

int
tv_cli_compare_table(const struct tv_cli *o, const struct tv_cli_input *in,
		     const struct tv_result *a)
{
	const struct tv_dist *d = in->d;
	struct tv_cli ob = as_b(o);
	struct tv_result b;
	struct tv_compare c;

	tv_cli_run(&ob, d, &b);
	tv_compare(d, a, &b, &c);
	tv_cli_print_source(in);
	printf("\n%6s %7s  %-*s %11s %10s %10s  %-20s %s\n", "rank", "id",
	       TOKEN_W, "token", "logit", "p A", "p B", "A", "B");
	for (uint32_t pos = 0; pos < d->n; pos++)
		row(in, a, &b, pos);
	if (d->tail_g > 0) {
		printf("\n");
		tail_row(d, a, &b);
	}
	setting("A", o, a);
	setting("B", &ob, &b);
	distance(&c);
	return tv_cli_flush();
}

/* kl_bits is null when infinite (JSON has no infinity) and kl_infinite
 * says so; null never stands for anything else there. */
json_t *
tv_json_compare(const struct tv_cli *o, const struct tv_cli_input *in,
		const struct tv_result *a)
{
	struct tv_cli ob = as_b(o);
	struct tv_result b;
	struct tv_compare c;

	tv_cli_run(&ob, in->d, &b);
	tv_compare(in->d, a, &b, &c);
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o, "
			 "s:o}",
			 "profile", tv_profile_name(ob.profile),
			 "order", tv_json_order(&ob.chain),
			 "params", tv_json_params(&ob.params),
			 "tokens", tv_json_tokens(in->d, &b),
			 "stats", tv_json_stats(&b.stats),
			 "kl_bits", tv_json_num(c.kl_bits),
			 "kl_infinite", c.kl_inf,
			 "tv", tv_json_num(c.tv),
			 "kept_by_both", tv_json_count(c.both),
			 "only_a", tv_json_count(c.only_a),
			 "only_b", tv_json_count(c.only_b));
}
