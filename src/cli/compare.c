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

/* The flag a pair's key names: a sampling flag or a sampler with memory,
 * written as on the command line or with '_' for '-' (as print --json
 * names them). */
static int
find_key(const char *s, size_t len)
{
	for (int i = 0; i < TV_OPT__COUNT; i++) {
		const char *name = tv_cli_optdef((enum tv_opt)i)->name;
		size_t k = 0;

		if (!tv_cli_compare_key((enum tv_opt)i) || strlen(name) != len)
			continue;
		while (k < len && (s[k] == name[k] ||
				   (s[k] == '_' && name[k] == '-')))
			k++;
		if (k == len)
			return i;
	}
	return -1;
}

static int
unknown_key(const char *s, size_t len)
{
	char list[640] = "";

	for (int i = 0; i < TV_OPT__COUNT; i++)
		if (tv_cli_compare_key((enum tv_opt)i))
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

/* One more argument, made by flag_arg; 0, or -1 when there is no room. */
static int
push_arg(char **argv, int *argc, int cap, enum tv_opt id, const char *val,
	 size_t len)
{
	if (*argc >= cap || !(argv[*argc] = flag_arg(id, val, len)))
		return -1;
	(*argc)++;
	return 0;
}

/* The pairs name id. */
static int
pairs_set(const char *s, enum tv_opt id)
{
	for (;;) {
		size_t len = strcspn(s, ","), klen = strcspn(s, "=");

		if (klen < len && find_key(s, klen) == (int)id)
			return 1;
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

/* A's own flags again: each as given, and A's breakers one by one unless
 * the pairs give B others. */
static int
a_flags(const struct tv_cli *o, char **argv, int *argc, int cap)
{
	const char *pairs = o->given[TV_OPT_COMPARE];

	for (int i = 0; i < TV_OPT__COUNT; i++)
		if (tv_cli_compare_key((enum tv_opt)i) && o->given[i] &&
		    i != TV_OPT_DRY_SEQUENCE_BREAKER &&
		    push_arg(argv, argc, cap, (enum tv_opt)i, o->given[i],
			     strlen(o->given[i])) != 0)
			return -1;
	if (!o->breakers.given || pairs_set(pairs, TV_OPT_DRY_SEQUENCE_BREAKER))
		return 0;
	if (o->breakers.n == 0)
		return push_arg(argv, argc, cap, TV_OPT_DRY_SEQUENCE_BREAKER,
				"none", 4);
	for (size_t i = 0; i < o->breakers.n; i++)
		if (push_arg(argv, argc, cap, TV_OPT_DRY_SEQUENCE_BREAKER,
			     o->breakers.list[i],
			     strlen(o->breakers.list[i])) != 0)
			return -1;
	return 0;
}

/* Split the pairs into argv after A's own sampling flags. */
static int
build_argv(const struct tv_cli *o, char **argv, int *argc, int cap)
{
	static char prog[] = "tempviz", cmd[] = "print";
	const char *s = o->given[TV_OPT_COMPARE];

	argv[(*argc)++] = prog;
	argv[(*argc)++] = cmd;
	if (a_flags(o, argv, argc, cap) != 0) {
		tv_cli_err("--compare: too many flags");
		return TV_EXIT_USAGE;
	}
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
		if (push_arg(argv, argc, cap, (enum tv_opt)id, s + klen + 1,
			     len - klen - 1) != 0) {
			tv_cli_err("--compare: too many pairs");
			return TV_EXIT_USAGE;
		}
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

/* B's settings from its parse; its breakers, and the arguments they point
 * into, now belong to o. */
static void
keep_b(struct tv_cli *o, struct tv_cli *b, char **argv, int argc)
{
	o->cmp = (struct tv_cli_cmp){ .on = 1, .params = b->params,
				      .profile = b->profile,
				      .chain = b->chain };
	if (!b->breakers.given) {
		/* A's own list, when the pairs left it alone. */
		o->cmp.params.dry_breakers = o->params.dry_breakers;
		return;
	}
	o->cmp.breakers = b->breakers;
	b->breakers.list = NULL;
	o->cmp.args = argv;
	o->cmp.n_args = argc;
}

int
tv_cli_compare_parse(struct tv_cli *o)
{
	enum { CAP = 2 * TV_OPT__COUNT + 64 };
	char **argv;
	int argc = 0, rc, first_own = 2;
	struct tv_cli b;

	if (!o->given[TV_OPT_COMPARE])
		return 0;
	argv = malloc(CAP * sizeof *argv);
	if (!argv) {
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	rc = build_argv(o, argv, &argc, CAP);
	if (rc == 0) {
		tv_cli_err_context("--compare");
		rc = tv_cli_parse(argc, argv, &b);
		tv_cli_err_context(NULL);
		if (rc == 0)
			keep_b(o, &b, argv, argc);
		tv_cli_free(&b);
	}
	if (o->cmp.args == argv) {
		/* Its own arguments start at first_own; the rest are
		 * static. */
		o->cmp.args[0] = o->cmp.args[1] = NULL;
		return rc;
	}
	for (int i = first_own; i < argc; i++)
		free(argv[i]);
	free(argv);
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

/* Each setting on its own distribution: B's copy when its samplers with
 * memory moved the logits, else the one both share. A token is found in
 * B's by its id. */
struct pair {
	const struct tv_dist *da, *db;
	const struct tv_result *a, *b;
};

static const char *
which(const struct pair *x, uint32_t pos, uint32_t pb)
{
	int ka = tv_result_keeps(x->a, pos), kb = tv_result_keeps(x->b, pb);

	return ka == kb ? "" : ka ? "  A only" : "  B only";
}

static void
row(const struct tv_cli_input *in, const struct pair *x, uint32_t pos)
{
	uint32_t id = x->da->order[pos], pb = x->db->rank[id];
	char tok[TOKEN_W * 16], fa[48], lb[32];

	tv_cli_token(in, id, TOKEN_W, tok, sizeof tok);
	snprintf(fa, sizeof fa, "%s", tv_cli_fate(x->da, x->a, pos));
	/* tv_cli_logit_text's buffer holds one number at a time. */
	snprintf(lb, sizeof lb, " %11s", tv_cli_logit_text(x->db->logit[id]));
	printf("%6lu %7lu  %s %11s%s %10.6f %10.6f  %-20s %s%s\n",
	       (unsigned long)pos + 1, (unsigned long)id, tok,
	       tv_cli_logit_text(x->da->logit[id]), in->cmp_on ? lb : "",
	       tv_result_p(x->da, x->a, pos), tv_result_p(x->db, x->b, pb), fa,
	       tv_cli_fate(x->db, x->b, pb), which(x, pos, pb));
}

/* The tail's mass kept by each, and how many of its tokens. */
static void
tail_row(const struct tv_cli_input *in, const struct pair *x)
{
	const struct tv_dist *d = x->da;
	char ka[48], lb[32];

	snprintf(ka, sizeof ka, "kept %.0f of %.0f", x->a->tail_kept,
		 d->tail_g);
	snprintf(lb, sizeof lb, " %11s", tv_cli_logit_text(x->db->tail_logit));
	printf("  %-34s %11s%s %10.6f %10.6f  %-20s kept %.0f of %.0f\n",
	       tv_cli_tail_label(d), tv_cli_logit_text(d->tail_logit),
	       in->cmp_on ? lb : "",
	       tv_result_p(d, x->a, TV_POS_TAIL) * x->a->tail_kept,
	       tv_result_p(x->db, x->b, TV_POS_TAIL) * x->b->tail_kept, ka,
	       x->b->tail_kept, d->tail_g);
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
	struct tv_cli ob = as_b(o);
	struct tv_result b;
	struct pair x = { in->d, tv_cli_cmp_dist(in), a, &b };
	struct tv_compare c;
	uint32_t n;
	const struct tv_edit *e;

	tv_cli_run(&ob, x.db, &b);
	tv_compare_dists(x.da, a, x.db, &b, &c);
	tv_cli_print_source(in);
	printf("\n%6s %7s  %-*s %11s%s %10s %10s  %-20s %s\n", "rank", "id",
	       TOKEN_W, "token", in->cmp_on ? "logit A" : "logit",
	       in->cmp_on ? "     logit B" : "", "p A", "p B", "A", "B");
	for (uint32_t pos = 0; pos < x.da->n; pos++)
		row(in, &x, pos);
	if (x.da->tail_g > 0) {
		printf("\n");
		tail_row(in, &x);
	}
	setting("A", o, a);
	e = tv_memory_edits(in->mem, &n);
	tv_cli_print_penalties(in, e, n);
	setting("B", &ob, &b);
	if (in->cmp_on) {
		e = tv_memory_edits(in->cmp_mem, &n);
		tv_cli_print_penalties(in, e, n);
	}
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
	const struct tv_dist *db = tv_cli_cmp_dist(in);
	struct tv_result b;
	struct tv_compare c;
	json_t *j;
	uint32_t n;
	const struct tv_edit *e;

	tv_cli_run(&ob, db, &b);
	tv_compare_dists(in->d, a, db, &b, &c);
	j = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o, "
		      "s:o}",
		      "profile", tv_profile_name(ob.profile),
		      "order", tv_json_order(&ob.chain),
		      "params", tv_json_params(&ob.params),
		      "tokens", tv_json_tokens(db, &b),
		      "stats", tv_json_stats(&b.stats),
		      "kl_bits", tv_json_num(c.kl_bits),
		      "kl_infinite", c.kl_inf,
		      "tv", tv_json_num(c.tv),
		      "kept_by_both", tv_json_count(c.both),
		      "only_a", tv_json_count(c.only_a),
		      "only_b", tv_json_count(c.only_b));
	if (j && in->cmp_on) {
		e = tv_memory_edits(in->cmp_mem, &n);
		json_object_set_new(j, "penalties",
				    tv_json_penalties(in, e, n));
	}
	return j;
}
