/* SPDX-License-Identifier: MIT */
/*
 * `tempviz sample`: n seeded draws from the final distribution, the counts
 * against the expected counts, and Pearson's chi-square test of the two.
 *
 * The outcomes are the survivors in rank order, then the surviving part of
 * the unlisted tail as one lumped outcome. One draw uses the inverse CDF
 * (llama.cpp's rule); more use the alias method, O(1) per draw.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "tempviz/rng.h"
#include "tempviz/stats.h"

#define TOKEN_W 20
/* The draws themselves are listed in JSON up to this many, and in the
 * table up to the second. */
#define JSON_DRAWS_MAX 1000
#define TABLE_DRAWS_MAX 20

struct draws {
	uint32_t m;             /* outcomes */
	uint32_t lo;            /* position of outcome 0 */
	int has_tail;           /* outcome m - 1 is the tail */
	double *w;              /* probability of each outcome */
	uint64_t *count;
	uint32_t *seq;          /* the draws, when n is small enough */
	struct tv_chisq chi;
	int chi_ok;
};

static void
draws_free(struct draws *s)
{
	free(s->w);
	free(s->count);
	free(s->seq);
}

static int
outcomes(const struct tv_dist *d, const struct tv_result *r, struct draws *s)
{
	uint32_t m = tv_outcome_count(r);

	memset(s, 0, sizeof(*s));
	s->lo = r->lo;
	s->has_tail = r->tail_kept > 0;
	s->w = calloc(m ? m : 1, sizeof(*s->w));
	s->count = calloc(m ? m : 1, sizeof(*s->count));
	if (!s->w || !s->count)
		return -1;
	s->m = tv_result_outcomes(d, r, s->w);
	return 0;
}

static int
draw_all(struct draws *s, uint64_t n, uint32_t seed)
{
	struct tv_rng g;
	struct tv_alias a;
	double total = 0;

	if (n <= JSON_DRAWS_MAX && !(s->seq = malloc(n * sizeof(*s->seq))))
		return -1;
	tv_rng_seed(&g, seed);
	for (uint32_t i = 0; i < s->m; i++)
		total += s->w[i];
	if (n == 1) {
		s->seq[0] = tv_draw_cdf(s->w, s->m, total, &g);
		s->count[s->seq[0]]++;
		return 0;
	}
	if (tv_alias_build(&a, s->w, s->m) != 0)
		return -1;
	for (uint64_t k = 0; k < n; k++) {
		uint32_t i = tv_alias_draw(&a, &g);

		s->count[i]++;
		if (s->seq)
			s->seq[k] = i;
	}
	tv_alias_free(&a);
	return 0;
}

static void
outcome_label(const struct tv_cli_input *in, const struct draws *s,
	      uint32_t i, char *buf, size_t cap)
{
	uint32_t pos = s->lo + i;

	if (s->has_tail && i == s->m - 1)
		snprintf(buf, cap, "  %-34s", tv_cli_tail_label(in->d));
	else {
		int len = snprintf(buf, cap, "%6lu %7lu  ",
				   (unsigned long)pos + 1,
				   (unsigned long)in->d->order[pos]);

		tv_cli_token(in, in->d->order[pos], TOKEN_W, buf + len,
			     cap - (size_t)len);
	}
}

static void
print_sequence(const struct tv_cli_input *in, const struct draws *s,
	       uint64_t n)
{
	if (!s->seq || n > TABLE_DRAWS_MAX)
		return;
	printf("draws      ");
	for (uint64_t k = 0; k < n; k++) {
		if (s->has_tail && s->seq[k] == s->m - 1)
			printf(" rest");
		else
			printf(" %lu", (unsigned long)
			       in->d->order[s->lo + s->seq[k]]);
	}
	printf("\n");
}

static void
print_chi(const struct draws *s)
{
	if (!s->chi_ok || s->chi.df < 1) {
		printf("chi-square  not applicable: %s\n", s->m < 2 ?
		       "one outcome" :
		       "too few draws for two bins expecting >= 5 each");
		return;
	}
	printf("chi-square  %.6f, df %.0f, p-value %.6f", s->chi.statistic,
	       s->chi.df, s->chi.p_value);
	if (s->chi.bins_pooled)
		printf(" (%lu outcomes pooled into bins expecting >= 5)",
		       (unsigned long)s->chi.bins_pooled);
	printf("\n");
}

static int
sample_table(const struct tv_cli *o, const struct tv_cli_input *in,
	     const struct draws *s, const struct tv_result *r)
{
	char label[TOKEN_W * 16 + 32];

	tv_cli_print_source(in);
	printf("sampled     %llu draw%s, seed %lu, %s\n",
	       (unsigned long long)o->n, o->n == 1 ? "" : "s",
	       (unsigned long)o->params.seed,
	       o->n == 1 ? "inverse CDF" : "alias method");
	print_sequence(in, s, o->n);
	printf("\n%6s %7s  %-*s %11s %14s %10s\n", "rank", "id", TOKEN_W,
	       "token", "count", "expected", "p");
	for (uint32_t i = 0; i < s->m && !ferror(stdout); i++) {
		outcome_label(in, s, i, label, sizeof(label));
		printf("%s %11llu %14.6f %10.6f\n", label,
		       (unsigned long long)s->count[i],
		       s->w[i] * (double)o->n, s->w[i]);
	}
	printf("\n");
	print_chi(s);
	tv_cli_print_order(o, r);
	return tv_cli_flush();
}

/* Per id over the listed tokens (0 for the cut ones), as scripts index. */
static json_t *
by_id(const struct tv_dist *d, const struct draws *s, uint64_t n,
      int expected)
{
	json_t *arr = json_array();
	uint32_t listed = s->m - (uint32_t)s->has_tail;

	for (uint32_t id = 0; arr && id < d->n; id++) {
		uint32_t pos = d->rank[id];
		int kept = pos >= s->lo && pos - s->lo < listed;
		uint32_t i = pos - s->lo;

		json_array_append_new(arr, expected ?
			tv_json_num(kept ? s->w[i] * (double)n : 0) :
			json_integer(kept ? (json_int_t)s->count[i] : 0));
	}
	return arr;
}

static json_t *
json_sequence(const struct tv_dist *d, const struct draws *s, uint64_t n)
{
	json_t *arr = json_array();

	for (uint64_t k = 0; arr && k < n; k++) {
		uint32_t i = s->seq[k];

		json_array_append_new(arr, s->has_tail && i == s->m - 1 ?
				      json_null() :
				      json_integer(d->order[s->lo + i]));
	}
	return arr;
}

static int
sample_json(const struct tv_cli *o, const struct tv_cli_input *in,
	    const struct draws *s)
{
	json_t *j = json_object();

	if (!j)
		return tv_json_write(NULL);
	tv_json_setup(j, o, in);
	json_object_set_new(j, "seed", json_integer(o->params.seed));
	json_object_set_new(j, "n", json_integer((json_int_t)o->n));
	json_object_set_new(j, "method", json_string(o->n == 1 ?
						      "inverse-cdf" : "alias"));
	json_object_set_new(j, "counts", by_id(in->d, s, o->n, 0));
	json_object_set_new(j, "expected", by_id(in->d, s, o->n, 1));
	if (s->has_tail)
		json_object_set_new(j, "tail_count",
				    json_integer((json_int_t)s->count[s->m - 1]));
	if (s->chi_ok && s->chi.df >= 1)
		json_object_set_new(j, "chi_square", json_pack(
			"{s:o, s:o, s:o, s:I}",
			"statistic", tv_json_num(s->chi.statistic),
			"df", tv_json_num(s->chi.df),
			"p_value", tv_json_num(s->chi.p_value),
			"bins", (json_int_t)s->chi.bins));
	else
		json_object_set_new(j, "chi_square", json_null());
	if (s->seq)
		json_object_set_new(j, "draws", json_sequence(in->d, s, o->n));
	return tv_json_write(j);
}

int
tv_cmd_sample(const struct tv_cli *o, const struct tv_cli_input *in)
{
	struct tv_result r;
	struct draws s;
	int rc;

	tv_cli_run(o, in->d, &r);
	if (outcomes(in->d, &r, &s) != 0 || draw_all(&s, o->n,
						     o->params.seed) != 0) {
		draws_free(&s);
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	s.chi_ok = tv_chisq(s.count, s.w, s.m, o->n, &s.chi) == 0;
	rc = o->json ? sample_json(o, in, &s) : sample_table(o, in, &s, &r);
	draws_free(&s);
	return rc;
}
