/* SPDX-License-Identifier: MIT */
/*
 * JSON pieces shared by print, sample and sweep: numbers that may not be
 * finite, token bytes that may not be UTF-8, and the settings applied.
 */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/safetext.h"

json_t *
tv_json_count(double x)
{
	if (x == floor(x) && fabs(x) < 9007199254740992.0)
		return json_integer((json_int_t)x);
	return tv_json_num(x);
}

/* DRY's sequence breakers as strings, llama.cpp's defaults when none
 * were given. */
static json_t *
breakers(const char *const *list)
{
	json_t *a = json_array();

	for (list = list ? list : TV_DRY_BREAKERS; a && *list; list++)
		json_array_append_new(a, tv_json_lossy(*list, strlen(*list)));
	return a ? a : json_null();
}

/* The samplers with memory and the text-generation tools' truncations. */
static json_t *
memory_params(json_t *o, const struct tv_params *p)
{
	json_t *m = json_pack("{s:o, s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:I, "
			      "s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			      "repeat_penalty", tv_json_num(p->repeat_penalty),
			      "repeat_last_n", (json_int_t)p->repeat_last_n,
			      "frequency_penalty", tv_json_num(p->freq_penalty),
			      "presence_penalty",
			      tv_json_num(p->presence_penalty),
			      "dry_multiplier", tv_json_num(p->dry_multiplier),
			      "dry_base", tv_json_num(p->dry_base),
			      "dry_allowed_length",
			      (json_int_t)p->dry_allowed_length,
			      "dry_penalty_last_n",
			      (json_int_t)p->dry_penalty_last_n,
			      "mirostat", (json_int_t)p->mirostat,
			      "mirostat_tau", tv_json_num(p->mirostat_tau),
			      "mirostat_eta", tv_json_num(p->mirostat_eta),
			      "mirostat_mu", tv_json_num(p->mirostat_mu),
			      "top_a", tv_json_num(p->top_a),
			      "tfs", tv_json_num(p->tfs),
			      "smoothing_factor",
			      tv_json_num(p->smoothing_factor),
			      "smoothing_curve", tv_json_num(p->smoothing_curve));

	if (o && m) {
		json_object_update(o, m);
		json_object_set_new(o, "dry_sequence_breakers",
				    breakers(p->dry_breakers));
	}
	json_decref(m);
	return o;
}

json_t *
tv_json_params(const struct tv_params *p)
{
	return memory_params(json_pack("{s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:I, s:I}",
			 "temp", tv_json_num(p->temp),
			 "top_k", (json_int_t)p->top_k,
			 "top_p", tv_json_num(p->top_p),
			 "min_p", tv_json_num(p->min_p),
			 "typical_p", tv_json_num(p->typical_p),
			 "top_n_sigma", tv_json_num(p->top_n_sigma),
			 "xtc_threshold", tv_json_num(p->xtc_threshold),
			 "xtc_probability", tv_json_num(p->xtc_probability),
			 "dynatemp_range", tv_json_num(p->dynatemp_range),
			 "dynatemp_exp", tv_json_num(p->dynatemp_exp),
			 "min_keep", (json_int_t)p->min_keep,
			 "seed", (json_int_t)p->seed), p);
}

/* The language model a source came from: its prompt as the model read
 * it, the words it does not know and the sum of p before renormalising
 * (a diagnostic: 1 within 1.4e-4 for pocketsphinx-en-us). */
static json_t *
lm_object(const struct tv_cli_input *in)
{
	const char *prompt = in->d->prompt ? in->d->prompt : "";
	json_t *unknown = json_array();
	const char *u = in->lm_unknown ? in->lm_unknown : "";

	while (unknown && *u) {
		size_t len = strcspn(u, " ");

		json_array_append_new(unknown, tv_json_lossy(u, len));
		u += len + (u[len] == ' ');
	}
	return json_pack("{s:o, s:o, s:o}",
			 "prompt", tv_json_lossy(prompt, strlen(prompt)),
			 "unknown", unknown ? unknown : json_null(),
			 "raw_sum", tv_json_num(in->lm_raw_sum));
}

json_t *
tv_json_order(const struct tv_chain *c)
{
	json_t *order = json_array();

	for (int i = 0; order && i < c->n; i++)
		json_array_append_new(order,
				      json_string(tv_stage_name(c->stage[i])));
	return order;
}

int
tv_json_setup(json_t *obj, const struct tv_cli *o,
	      const struct tv_cli_input *in)
{
	const char *label = in->src.label ? in->src.label : "-";
	if (json_object_set_new(obj, "source",
				tv_json_lossy(label, strlen(label))) ||
	    (in->src.n_pos > 1 &&
	     json_object_set_new(obj, "position",
				 json_integer(in->d - in->src.pos + 1))))
		return -1;

	if (in->lm && json_object_set_new(obj, "lm", lm_object(in)))
		return -1;
	if (json_object_set_new(obj, "profile",
				json_string(tv_profile_name(o->profile))) ||
	    json_object_set_new(obj, "order", tv_json_order(&o->chain)) ||
	    json_object_set_new(obj, "params", tv_json_params(&o->params)))
		return -1;
	return 0;
}

/* Twelve significant digits: far beyond what any statistic here is
 * accurate to, and stable when the last bits of a sum differ between
 * builds (vectorised or sanitised). */
#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
		    JSON_REAL_PRECISION(12))

/* jansson's writer: stops at the first failed write (json_dumpf goes
 * on until a later flush fails too). */
static int
dump_out(const char *buf, size_t size, void *data)
{
	(void)data;
	return ferror(stdout) || fwrite(buf, 1, size, stdout) != size ? -1
								      : 0;
}

int
tv_json_write(json_t *j)
{
	int rc;

	if (!j) {
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	if (json_dump_callback(j, dump_out, NULL, JSON_FLAGS) == 0)
		fputc('\n', stdout);
	rc = tv_cli_flush();
	json_decref(j);
	return rc;
}

/* The element indented one level, as inside the whole array's dump. */
static int
put_element(const char *text)
{
	fputs("  ", stdout);
	for (; *text; text++) {
		putchar(*text);
		if (*text == '\n')
			fputs("  ", stdout);
	}
	return ferror(stdout) ? -1 : 0;
}

int
tv_json_stream_add(struct tv_json_stream *s, json_t *el)
{
	char *text = el ? json_dumps(el, JSON_FLAGS) : NULL;
	int rc;

	json_decref(el);
	if (!text) {
		s->failed = 1;
		tv_cli_err("out of memory");
		return -1;
	}
	fputs(s->n++ ? ",\n" : "[\n", stdout);
	rc = put_element(text);
	free(text);
	return rc;
}

int
tv_json_stream_end(struct tv_json_stream *s)
{
	if (s->failed)
		return TV_EXIT_DATA;
	if (!ferror(stdout))
		fputs(s->n ? "\n]\n" : "[]\n", stdout);
	return tv_cli_flush();
}
