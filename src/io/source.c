/* SPDX-License-Identifier: MIT */
/*
 * tv_source_load(): one entry point for every SOURCE the command line can
 * name. Files are told apart by their content, never by their name, so a
 * saved response called "out.txt" or data piped through stdin load the
 * same way.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/ioutil.h"
#include "io/safetext.h"

void
tv_source_free(struct tv_source *src)
{
	for (uint32_t i = 0; i < src->n_pos; i++)
		tv_dist_free(&src->pos[i]);
	free(src->pos);
	free(src->label);
	free(src->ctx);
	memset(src, 0, sizeof *src);
}

/* Whether the bytes look like text rather than a binary format we do not
 * know: no NUL, and few control characters besides TAB, CR and LF. */
static int
looks_binary(const char *buf, size_t len)
{
	size_t n = len < 4096 ? len : 4096, ctl = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == 0)
			return 1;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			ctl++;
	}
	return ctl * 10 > n;
}

/* The first byte that is not whitespace or a UTF-8 byte order mark. */
static char
first_char(const char *buf, size_t len)
{
	size_t i = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
			   buf[i] == '\r'))
		i++;
	return i < len ? buf[i] : '\0';
}

static int
load_detect(const char *name, const char *buf, size_t len,
	    const struct tv_source_spec *opt, struct tv_source *src,
	    struct tv_error *err)
{
	char c;

	if (len == 0)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
				  "empty file (expected TSV, CSV, JSON or .npy)");
	if (tv_io_is_npy(buf, len))
		return tv_load_npy(name, buf, len, opt, src, err);
	if (opt && (opt->vocab || opt->row))
		return tv_io_fail(err, TV_EXIT_USAGE, opt->vocab ? "--vocab" : "--row",
				  0, 0, "applies to .npy sources only, and %s is not one",
				  name);
	if (looks_binary(buf, len))
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0,
				  "binary data of an unknown kind (expected TSV, CSV, JSON or .npy)");
	c = first_char(buf, len);
	if (c == '{' || c == '[' || tv_io_is_sse(buf, len))
		return tv_load_json(name, buf, len, opt ? opt->vocab_size : 0,
				    src, err);
	return tv_load_tsv(name, buf, len, src, err);
}

int
tv_source_load_buffer(const char *name, const char *buf, size_t len,
		      const struct tv_source_spec *opt, struct tv_source *src,
		      struct tv_error *err)
{
	int r;

	memset(src, 0, sizeof *src);
	err->msg[0] = '\0';
	src->label = strdup(name);
	if (!src->label)
		return tv_io_fail(err, TV_EXIT_DATA, name, 0, 0, "out of memory");
	r = load_detect(name, buf, len, opt, src, err);
	if (r != 0)
		tv_source_free(src);
	return r;
}

/* One item of a --logits or --probs list, trimmed, as a value: a logit
 * (finite or -inf) or a probability >= 0. */
static int
list_item(const char *flag, const char *a, const char *b, uint32_t i,
	  int probs, double *v, struct tv_error *err)
{
	char q[64];
	int r = probs ? tv_io_parse_double(a, (size_t)(b - a), v) :
		tv_io_parse_value(a, (size_t)(b - a), v);

	if (r == 0 && !probs && isfinite(*v) && fabs(*v) > FLT_MAX)
		r = -2;
	if (r == 0 && !(probs && *v < 0))
		return 0;
	if (probs)
		return tv_io_fail(err, TV_EXIT_USAGE, flag, 0, 0,
				  "item %u \"%s\" is not %s (accepted: comma-separated probabilities >= 0, e.g. \"0.1,0.2,0.7\")",
				  i + 1, tv_io_quote(a, (size_t)(b - a), q, sizeof q),
				  r == 0 ? "a probability >= 0" : "a finite number");
	return tv_io_fail(err, TV_EXIT_USAGE, flag, 0, 0,
			  "item %u \"%s\" is not a finite number or -inf (accepted: comma-separated finite numbers, or -inf for a masked token, e.g. \"2,1,0.5,-inf\")",
			  i + 1, tv_io_quote(a, (size_t)(b - a), q, sizeof q));
}

/* What --probs sum to: over 1 by rounding is renormalised with a word,
 * beyond it refused; under 1 the rest is the unlisted vocabulary, one
 * level of unknown size, as for a file. */
static int
list_mass(const char *flag, struct tv_dist *d, double sum,
	  struct tv_source *src, struct tv_error *err)
{
	struct tv_io_excess x = { 0 };

	if (!(sum > 0))
		return tv_io_fail(err, TV_EXIT_USAGE, flag, 0, 0,
				  "the probabilities sum to 0 (accepted: at least one > 0)");
	if (tv_io_note_mass(&x, sum) != 0)
		return tv_io_fail(err, TV_EXIT_USAGE, flag, 0, 0,
				  "the probabilities sum to %.7g (accepted: a sum of at most 1 + %g; give weights as --logits of their logarithms)",
				  sum, TV_MASS_TOLERANCE);
	tv_io_warn_excess(src, flag, &x);
	if (tv_io_tail_from_mass(d, 0, sum) != TV_OK)
		return tv_io_fail(err, TV_EXIT_DATA, flag, 0, 0, "out of memory");
	return 0;
}

/* --logits and --probs: comma-separated strict numbers, tokens named by
 * their index. */
static int
load_list(const char *flag, const char *list, int probs,
	  struct tv_source *src, struct tv_error *err)
{
	const char *p = list;
	struct tv_dist *d = tv_io_new_pos(src);
	double sum = 0;
	enum tv_status s;
	int r;

	if (!d)
		return tv_io_fail(err, TV_EXIT_DATA, flag, 0, 0, "out of memory");
	for (uint32_t i = 0;; i++) {
		const char *e = strchr(p, ','), *a = p, *b;
		char num[24];
		double v;

		e = e ? e : p + strlen(p);
		b = e;
		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		if ((r = list_item(flag, a, b, i, probs, &v, err)) != 0)
			return r;
		snprintf(num, sizeof num, "%u", i);
		if (tv_dist_push(d, num, strlen(num),
				 probs ? (v > 0 ? (float)log(v) : -INFINITY) :
				 (float)v) != TV_OK)
			return tv_io_fail(err, TV_EXIT_DATA, flag, 0, 0, "out of memory");
		sum += v;
		if (*e == '\0')
			break;
		p = e + 1;
	}
	if (probs && (r = list_mass(flag, d, sum, src, err)) != 0)
		return r;
	d->kind = probs ? TV_KIND_PROBS : TV_KIND_LOGITS;
	if (tv_dist_set_meta(&d->name, flag) != TV_OK)
		return tv_io_fail(err, TV_EXIT_DATA, flag, 0, 0, "out of memory");
	s = tv_dist_finish(d);
	if (s != TV_OK)
		return tv_io_fail(err, TV_EXIT_USAGE, flag, 0, 0, "%s",
				  tv_status_str(s));
	return 0;
}

static int
load_scenario(const char *name, const struct tv_source_spec *spec,
	      struct tv_source *src, struct tv_error *err)
{
	const struct tv_scenario *sc = tv_scenario_find(name);
	char list[256], q[64];
	size_t n, o = 0;
	const struct tv_scenario *all = tv_scenarios(&n);

	if (sc)
		return tv_source_load_buffer(sc->name, sc->data, sc->len, spec,
					     src, err);
	for (size_t i = 0; i < n && o < sizeof list; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
				      i ? ", " : "", all[i].name);
	return tv_io_fail(err, TV_EXIT_USAGE, "--scenario", 0, 0,
			  "unknown scenario \"%s\" (accepted: %s)",
			  tv_io_quote(name, strlen(name), q, sizeof q), list);
}

static int
count_set(const struct tv_source_spec *s)
{
	return !!s->path + !!s->scenario + !!s->logits + !!s->probs;
}

int
tv_source_load(const struct tv_source_spec *spec, struct tv_source *src,
	       struct tv_error *err)
{
	static const struct tv_source_spec none;
	char *buf = NULL;
	size_t len;
	int r;

	memset(src, 0, sizeof *src);
	err->msg[0] = '\0';
	spec = spec ? spec : &none;
	if (count_set(spec) > 1)
		return tv_io_fail(err, TV_EXIT_USAGE, "tempviz", 0, 0,
				  "more than one source (accepted: one of FILE, -, --scenario, --logits, --probs)");
	if (!spec->path && (spec->vocab || spec->row))
		return tv_io_fail(err, TV_EXIT_USAGE, spec->vocab ? "--vocab" : "--row",
				  0, 0, "applies to a .npy file only");
	if (spec->logits || spec->probs) {
		src->label = strdup(spec->logits ? "--logits" : "--probs");
		r = src->label ? load_list(src->label, spec->logits ? spec->logits :
					   spec->probs, !spec->logits, src, err) :
		    tv_io_fail(err, TV_EXIT_DATA, "tempviz", 0, 0, "out of memory");
		if (r != 0)
			tv_source_free(src);
		return r;
	}
	if (!spec->path)
		return load_scenario(spec->scenario ? spec->scenario :
				     TV_DEFAULT_SCENARIO, spec, src, err);
	r = tv_io_read_file(spec->path, &buf, &len, err);
	if (r == 0)
		r = tv_source_load_buffer(spec->path, buf, len, spec, src, err);
	free(buf);
	return r;
}
