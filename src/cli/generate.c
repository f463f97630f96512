/* SPDX-License-Identifier: MIT */
/*
 * The language model from the command line: `--lm [PATH] --prompt TEXT`
 * as the SOURCE of print, sample, sweep and snapshot, and `generate`,
 * which writes text at the dials, one lane per --lanes temperature, all
 * with the same seed.
 */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/record.h"
#include "io/safetext.h"
#include "lm/gen.h"
#include "ui/glyph.h"

/* Unknown words named in a note, at most (the rest are counted). */
#define NOTE_BYTES 200

void
tv_cli_note_unknown(const char *unknown)
{
	size_t n = 0, len = strlen(unknown);

	if (!*unknown)
		return;
	for (const char *c = unknown; *c; c++)
		n += *c == ' ';
	tv_cli_err("note: the model does not know %s%.*s%s; %s the context "
		   "(the model reads only the words after %s)",
		   n ? "these words: " : "", (int)(len > NOTE_BYTES ? NOTE_BYTES : len),
		   unknown, len > NOTE_BYTES ? " ..." : "",
		   n ? "each cuts" : "it cuts", n ? "the last" : "it");
}

int
tv_cli_open_model(const struct tv_cli *o, struct tv_model **m,
		  struct tv_error *err)
{
	struct tv_server_opts so = o->srv;

	if (!o->server)
		return tv_model_open(o->lm_path, m, err);
	so.api_key = tv_server_env_key();
	return tv_server_open(&so, m, err);
}

int
tv_cli_load_lm(const struct tv_cli *o, struct tv_cli_input *in,
	       struct tv_error *err)
{
	struct tv_model *m;
	int rc;

	/* Before the screen opens, a server may take a while (Ollama loads
	 * its model on the first request): say whom it waits on. */
	if (o->server && o->cmd == TV_CMD_TUI)
		tv_cli_err("asking the --server (Ctrl-C gives up)");
	rc = tv_cli_open_model(o, &m, err);
	if (rc != TV_EXIT_OK)
		return rc;
	rc = tv_gen_source(m, o->prompt ? o->prompt : "", &in->src,
			   &in->lm_raw_sum, &in->lm_unknown, err);
	if (rc != TV_EXIT_OK)
		tv_model_free(m);
	if (rc == TV_EXIT_OK) {
		in->model = m;
		in->lm = 1;
		in->server = o->server != NULL;
		tv_cli_note_unknown(in->lm_unknown);
	}
	return rc;
}

/* ----------------------------------------------------------- lanes --- */

struct lane {
	double temp;
	int plain;              /* the first of the lanes: no penalties */
	int memory;             /* the penalties or DRY act on it */
	struct tv_gen *g;
};

static void
free_lanes(struct lane *l, long n)
{
	for (long i = 0; i < n; i++)
		tv_gen_free(l[i].g);
	free(l);
}

/* Steps the lane -n times; with rec, each step's record into it. */
static int
run_lane(const struct tv_cli *o, struct lane *l, json_t *rec,
	 struct tv_error *err)
{
	struct tv_params p = o->params;

	p.temp = l->temp;
	if (l->plain)
		tv_gen_plain_lane(&p, o->chain.rules);
	for (uint64_t i = 0; i < o->n; i++) {
		const struct tv_dist *d = rec ? tv_gen_dist(l->g, err) : NULL;

		if ((rec && !d) || tv_gen_step(l->g, &o->chain, &p, err) != 0)
			return -1;
		/* d is the distribution the word was drawn from: the lane
		 * keeps it until its next tv_gen_dist. */
		if (rec && json_array_append_new(rec, tv_record_step(d,
				tv_gen_at(l->g, tv_gen_len(l->g) - 1)->tok))) {
			snprintf(err->msg, sizeof err->msg, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int
write_record(const char *path, const struct tv_model *m, json_t *steps)
{
	struct tv_error err;

	if (tv_record_write(path, m->name, m->pieces ? m->vocab_size :
			    m->vocab, steps, &err) != 0) {
		tv_cli_err("%s", err.msg);
		return TV_EXIT_DATA;
	}
	return TV_EXIT_OK;
}

/* Every lane written; the notes (unknown words, ignored stages) said
 * once, before any text. */
static int
make_lanes(const struct tv_cli *o, struct tv_model *m, const char *prompt,
	   json_t *rec, struct lane **out, long *n_out)
{
	long n = o->n_lanes ? o->n_lanes : 1;
	struct lane *l = calloc((size_t)n, sizeof *l);
	struct tv_params q = o->params;
	int set = tv_gen_plain_lane(&q, o->chain.rules);
	struct tv_error err = { "" };
	const struct tv_dist *d;
	struct tv_result r;

	*out = l;
	*n_out = 0;
	if (!l) {
		tv_cli_err("out of memory");
		return -1;
	}
	for (long i = 0; i < n; i++) {
		l[i].temp = o->n_lanes ? o->lanes[i] : o->params.temp;
		l[i].plain = o->n_lanes > 1 && i == 0 && set;
		l[i].memory = set && !l[i].plain;
		if (!(l[i].g = tv_gen_new(m, prompt, o->params.seed))) {
			tv_cli_err("out of memory");
			return -1;
		}
		*n_out = i + 1;
	}
	tv_cli_note_unknown(tv_gen_unknown(l[0].g));
	if (!(d = tv_gen_dist(l[0].g, &err))) {
		tv_cli_err("%s", err.msg);
		return -1;
	}
	tv_run(d, &o->chain, &o->params, &r);
	tv_cli_note_ignored(&r);
	tv_cli_note_memory(&o->params, o->chain.rules);
	for (long i = 0; i < n; i++)
		if (run_lane(o, &l[i], i == 0 ? rec : NULL, &err) != 0) {
			tv_cli_err("%s", err.msg);
			return -1;
		}
	return 0;
}

/* ------------------------------------------------------------ text --- */

/* The generated words, "." for </s>, separated by spaces (a server's
 * pieces joined as they are; malloc'd). */
static char *
lane_text(const struct tv_gen *g)
{
	const struct tv_model *m = tv_gen_model(g);
	const char *sep = tv_model_sep(m);
	size_t len = 1, o = 0;
	char *s;

	for (size_t i = 0; i < tv_gen_len(g); i++)
		len += strlen(tv_model_word(m, tv_gen_at(g, i)->word)) + 1;
	if (!(s = malloc(len)))
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < tv_gen_len(g); i++) {
		const char *w = tv_model_word(m, tv_gen_at(g, i)->word);
		size_t wl = strlen(w);

		if (o && *sep)
			s[o++] = *sep;
		memcpy(s + o, w, wl + 1);
		o += wl;
	}
	return s;
}

/* Untrusted text (the prompt, a model's words) made safe to print, the
 * white space around it left out (safe text would mark it); then a space
 * when anything was printed and more follows. */
static void
put_safe(const char *s, int ascii, int space)
{
	const char *ws = " \t\n\r\f\v";
	size_t len, cap;
	char *buf;

	s += strspn(s, ws);
	len = strlen(s);
	while (len && strchr(ws, s[len - 1]))
		len--;
	cap = len * 12 + 16;
	if (!len || !(buf = malloc(cap)))
		return;
	tv_safe_text(s, len, buf, cap, -1, ascii);
	fputs(buf, stdout);
	fputs(space ? " " : "", stdout);
	free(buf);
}

static void
put_loop(const struct tv_gen *g)
{
	if (tv_gen_loop(g))
		printf("(loop: from word %zu on, the text repeats every %zu "
		       "words)\n", tv_gen_loop_from(g) + 1, tv_gen_loop(g));
}

static int
write_text(const struct tv_cli *o, const struct lane *l, long n,
	   const char *prompt, int ascii)
{
	for (long i = 0; i < n; i++) {
		char *text = lane_text(l[i].g);

		if (!text)
			return -1;
		if (o->n_lanes)
			printf("%sT=%g%s (%.2f bits/word)\n", i ? "\n" : "",
			       l[i].temp, l[i].plain ? ", no penalties" : "",
			       tv_gen_bits_per_word(l[i].g));
		put_safe(prompt, ascii, *text != '\0');
		put_safe(text, ascii, 0);
		fputc('\n', stdout);
		put_loop(l[i].g);
		free(text);
	}
	return 0;
}

/* ------------------------------------------------------------ JSON --- */

static json_t *
steps_json(const struct tv_gen *g)
{
	const struct tv_model *m = tv_gen_model(g);
	json_t *a = json_array();

	for (size_t i = 0; a && i < tv_gen_len(g); i++) {
		const struct tv_gen_step *s = tv_gen_at(g, i);
		const char *w = tv_model_word(m, s->word);

		if (json_array_append_new(a, json_pack(
			"{s:o, s:o, s:I, s:o, s:I, s:o}",
			"word", tv_json_lossy(w, strlen(w)),
			"p", tv_json_num(s->p),
			"rank", (json_int_t)s->rank,
			"entropy_bits", tv_json_num(s->entropy_bits),
			"kept", (json_int_t)s->kept,
			"surprisal_bits", tv_json_num(s->surprisal_bits)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
loop_json(const struct tv_gen *g)
{
	if (!tv_gen_loop(g))
		return json_null();
	return json_pack("{s:I, s:I}", "period", (json_int_t)tv_gen_loop(g),
			 "from", (json_int_t)tv_gen_loop_from(g));
}

/* text, steps, bits_per_word and loop of one lane into obj. */
static int
lane_json(json_t *obj, const struct tv_gen *g)
{
	char *text = lane_text(g);
	int rc = !text ||
		 json_object_set_new(obj, "text", tv_json_lossy(text, strlen(text))) ||
		 json_object_set_new(obj, "steps", steps_json(g)) ||
		 json_object_set_new(obj, "bits_per_word",
				     tv_json_num(tv_gen_bits_per_word(g))) ||
		 json_object_set_new(obj, "loop", loop_json(g));

	free(text);
	return rc ? -1 : 0;
}

static int
write_json(const struct tv_cli *o, struct tv_model *m, struct lane *l,
	   long n, const char *prompt)
{
	json_t *j = json_object(), *lanes = json_array();
	struct tv_gen *first = tv_gen_new(m, prompt, o->params.seed);
	struct tv_error err = { "" };
	struct tv_cli_input in;
	int bad = !j || !lanes || !first;

	/* The setup every JSON output starts with: the model as its source,
	 * the distribution after the prompt as its distribution. */
	memset(&in, 0, sizeof in);
	in.src.label = m->name;
	in.src.n_pos = 1;
	in.d = first ? tv_gen_dist(first, &err) : NULL;
	in.lm = 1;
	in.lm_raw_sum = first ? tv_gen_raw_sum(first) : 0;
	in.lm_unknown = first ? strdup(tv_gen_unknown(first)) : NULL;
	bad = bad || !in.d || !in.lm_unknown ||
	      json_object_set_new(j, "prompt", tv_json_lossy(prompt, strlen(prompt))) ||
	      tv_json_setup(j, o, &in) ||
	      json_object_set_new(j, "seed", json_integer(o->params.seed));
	for (long i = 0; !bad && o->n_lanes && i < n; i++) {
		json_t *e = json_pack("{s:o,s:b}", "temp",
				      tv_json_num(l[i].temp), "penalties",
				      l[i].memory);

		bad = !e || lane_json(e, l[i].g) || json_array_append_new(lanes, e);
	}
	if (!bad && o->n_lanes)
		bad = json_object_set_new(j, "lanes", lanes);
	else
		json_decref(lanes);
	if (!bad && !o->n_lanes)
		bad = lane_json(j, l[0].g);
	free(in.lm_unknown);
	tv_gen_free(first);
	if (bad) {
		json_decref(j);
		j = NULL;
	}
	return tv_json_write(j);
}

/* The text or JSON of the lanes on standard output. */
static int
write_output(const struct tv_cli *o, struct tv_model *m, struct lane *l,
	     long n, const char *prompt)
{
	if (o->json)
		return write_json(o, m, l, n, prompt);
	if (write_text(o, l, n, prompt,
		       o->ui.ascii || !tv_glyph_utf8_locale()) != 0) {
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	return tv_cli_flush();
}

int
tv_cmd_generate(const struct tv_cli *o)
{
	const char *prompt = o->prompt ? o->prompt : "";
	struct tv_error err = { "" };
	struct tv_model *m;
	struct lane *l = NULL;
	long n = 0;
	json_t *rec = NULL;
	int rc = tv_cli_open_model(o, &m, &err);

	if (rc != TV_EXIT_OK) {
		tv_cli_err("%s", err.msg);
		return rc;
	}
	if (!prompt[strspn(prompt, " \t\n\r\f\v")])
		tv_cli_err("note: the prompt is empty, so the text starts a "
			   "sentence (give one with --prompt TEXT)");
	if (o->record && !(rec = json_array())) {
		tv_cli_err("out of memory");
		rc = TV_EXIT_DATA;
	}
	if (rc == TV_EXIT_OK && make_lanes(o, m, prompt, rec, &l, &n) != 0)
		rc = TV_EXIT_DATA;
	if (rc == TV_EXIT_OK && rec)
		rc = write_record(o->record, m, rec);
	if (rc == TV_EXIT_OK)
		rc = write_output(o, m, l, n, prompt);
	json_decref(rec);
	free_lanes(l, n);
	tv_model_free(m);
	return rc;
}
