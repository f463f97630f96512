/* SPDX-License-Identifier: MIT */
/*
 * Messages, numbers and the source every subcommand starts from.
 */
#include "cli/cli.h"

#include "tempviz/history.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "io/safetext.h"
#include "ui/glyph.h"

/* Messages echo flag values and file names, which may hold any bytes: a
 * control byte, C1 control or invalid UTF-8 is written as \xHH, so that
 * nothing reaches the terminal as a command and the message stays on one
 * line. Text the loaders quoted through safetext has none of these left. */
static void
put_escaped(const char *s, FILE *out)
{
	const unsigned char *b = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = tv_utf8_scalar(b + i, len - i, &cp);

		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			n = n ? n : 1;
			for (size_t k = 0; k < n; k++)
				fprintf(out, "\\x%02X", b[i + k]);
		} else {
			fwrite(b + i, 1, n, out);
		}
		i += n;
	}
}

/* What the flags being parsed belong to ("--compare"), or "": a message
 * about "--top-p" then reads "--compare top-p: ...". */
static const char *err_context = "";

void
tv_cli_err_context(const char *ctx)
{
	err_context = ctx ? ctx : "";
}

void
tv_cli_err(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fputs("tempviz: ", stderr);
	if (*err_context)
		fprintf(stderr, "%s%s", err_context,
			strncmp(msg, "--", 2) == 0 ? " " : ": ");
	put_escaped(strncmp(msg, "--", 2) == 0 && *err_context ? msg + 2 : msg,
		    stderr);
	fputc('\n', stderr);
}

int
tv_cli_flush(void)
{
	/* fflush() alone misses an error from a flush printf() did earlier,
	 * once the buffer is empty; the error indicator keeps it. After a
	 * failed write nothing is tried again: what is still buffered is
	 * dropped, or exit() would write it once more. */
	if (!ferror(stdout) && fflush(stdout) == 0)
		return TV_EXIT_OK;
	__fpurge(stdout);
	tv_cli_err("standard output: write error");
	return TV_EXIT_DATA;
}

int
tv_cli_strtod(const char *s, double *v)
{
	char *end;

	/* strtod skips leading blanks and reads "nan" and "inf"; a flag's
	 * value must be exactly one finite number. */
	if (*s == '\0' || *s == ' ' || *s == '\t' || *s == '\n')
		return -1;
	*v = strtod(s, &end);
	return *end == '\0' && isfinite(*v) ? 0 : -1;
}

void
tv_cli_join(char *buf, size_t cap, const char *sep, const char *item)
{
	size_t len = strlen(buf);

	snprintf(buf + len, cap - len, "%s%s", len ? sep : "", item);
}

/* --position counts from 1, as the TUI's header does; o->position is the
 * index (-1 when not given). */
static int
pick_position(const struct tv_cli *o, struct tv_cli_input *in)
{
	const struct tv_source *s = &in->src;
	long k = o->position < 0 ? 0 : o->position;

	if ((unsigned long)k >= s->n_pos && s->n_pos == 1) {
		tv_cli_err("--position: %ld is out of range (accepted: 1; %s has "
			   "one position)", k + 1, s->label ? s->label : "the source");
		return TV_EXIT_USAGE;
	}
	if ((unsigned long)k >= s->n_pos) {
		tv_cli_err("--position: %ld is out of range (accepted: 1 to %lu "
			   "for %s)", k + 1, (unsigned long)s->n_pos,
			   s->label ? s->label : "the source");
		return TV_EXIT_USAGE;
	}
	/* The TUI steps through a sequence itself; the subcommands show one
	 * position, so say which when the user did not choose. */
	if (o->position < 0 && s->n_pos > 1 && o->cmd != TV_CMD_TUI &&
	    o->cmd != TV_CMD_SNAPSHOT)
		tv_cli_err("note: %s has %lu positions; showing position 1 "
			   "(choose with --position N, 1 to %lu)",
			   s->label ? s->label : "the source",
			   (unsigned long)s->n_pos, (unsigned long)s->n_pos);
	in->d = &s->pos[k];
	in->view = *s;
	/* The TUI and snapshot open the whole sequence at the position, so
	 * n and N still step from it. */
	if (o->position >= 0 && o->cmd != TV_CMD_TUI &&
	    o->cmd != TV_CMD_SNAPSHOT) {
		in->view.n_pos = 1;
		in->view.pos = &s->pos[k];
	}
	return TV_EXIT_OK;
}

/* What the loader changed in the data, one line each; the TUI says it in
 * its status line instead, where it is seen. */
static void
print_warnings(const struct tv_cli *o, const struct tv_source *s)
{
	unsigned n = s->warn.n < TV_WARN_MAX ? s->warn.n : TV_WARN_MAX;

	if (o->cmd == TV_CMD_TUI)
		return;
	for (unsigned i = 0; i < n; i++)
		tv_cli_err("warning: %s", s->warn.msg[i]);
	if (s->warn.n > n)
		tv_cli_err("warning: %u more", s->warn.n - n);
}

int
tv_cli_load(const struct tv_cli *o, struct tv_cli_input *in)
{
	struct tv_error err;
	int rc;

	memset(in, 0, sizeof(*in));
	err.msg[0] = '\0';
	rc = o->lm ? tv_cli_load_lm(o, in, &err) :
	     tv_source_load(&o->spec, &in->src, &err);
	if (rc != TV_EXIT_OK) {
		tv_cli_err("%s", err.msg[0] ? err.msg : "cannot load the source");
		return rc;
	}
	if (in->src.n_pos == 0) {
		tv_cli_err("%s: no distribution in it",
			   in->src.label ? in->src.label : "the source");
		tv_source_free(&in->src);
		return TV_EXIT_DATA;
	}
	rc = pick_position(o, in);
	if (rc == TV_EXIT_OK)
		rc = tv_cli_apply_memory(o, in);
	if (rc != TV_EXIT_OK) {
		tv_cli_free_memory(in);
		tv_source_free(&in->src);
		return rc;
	}
	print_warnings(o, &in->src);
	in->ascii = o->ui.ascii || !tv_glyph_utf8_locale();
	return TV_EXIT_OK;
}

const char *
tv_cli_tail_label(const struct tv_dist *d)
{
	return d->tail_exact ? "rest of vocabulary" :
	       "rest of vocabulary (approx.)";
}

void
tv_cli_unload(struct tv_cli_input *in)
{
	tv_source_free(&in->src);
	free(in->lm_unknown);
	tv_model_free(in->model);
	tv_cli_free_memory(in);
	memset(in, 0, sizeof(*in));
}

void
tv_cli_note_ignored(const struct tv_result *r)
{
	char list[160] = "";
	int n = 0;

	for (int k = 0; k < TV_STAGE__COUNT; k++)
		if (r->ignored & (1u << k)) {
			tv_cli_join(list, sizeof(list), ", ",
				    tv_stage_name((enum tv_stage_kind)k));
			n++;
		}
	if (n == 0)
		return;
	if (r->chain.custom)
		tv_cli_err("note: --order leaves out %s; %s ignored", list,
			   n > 1 ? "their settings are" : "its setting is");
	else
		tv_cli_err("note: profile %s has no %s stage; %s ignored (name "
			   "%s in --order to run %s)",
			   tv_profile_name(r->chain.rules), list,
			   n > 1 ? "their settings are" : "its setting is",
			   n > 1 ? "them" : "it", n > 1 ? "them" : "it");
}

void
tv_cli_note_memory(const struct tv_params *p, enum tv_profile rules)
{
	static const char *const name[TV_MS__COUNT] = {
		[TV_MS_REPEAT] = "repetition penalty",
		[TV_MS_FREQ] = "frequency penalty",
		[TV_MS_PRESENCE] = "presence penalty", [TV_MS_DRY] = "DRY",
	};
	const int set[TV_MS__COUNT] = {
		p->repeat_penalty != 1, p->freq_penalty != 0,
		p->presence_penalty != 0, p->dry_multiplier != 0,
	};
	char list[160] = "";
	int n = 0;

	if (tv_memory_ignored(p, rules)) {
		tv_cli_err("note: mirostat replaces llama.cpp's chain: the "
			   "penalties and DRY set here are ignored");
		return;
	}
	for (int k = 0; k < TV_MS__COUNT; k++)
		if (set[k] && !tv_memory_has(rules, (enum tv_mem_sampler)k)) {
			tv_cli_join(list, sizeof(list), ", ", name[k]);
			n++;
		}
	if (n)
		tv_cli_err("note: profile %s has no %s; %s ignored",
			   tv_profile_name(rules), list,
			   n > 1 ? "their settings are" : "its setting is");
}

void
tv_cli_run(const struct tv_cli *o, const struct tv_dist *d,
	   struct tv_result *r)
{
	tv_run(d, &o->chain, &o->params, r);
	tv_cli_note_ignored(r);
	tv_cli_note_memory(&o->params, o->chain.rules);
}

void
tv_cli_token(const struct tv_cli_input *in, uint32_t id, int w, char *buf,
	     size_t cap)
{
	size_t len;
	const char *tok = tv_dist_tok(in->d, id, &len);
	int used = tv_safe_token(tok, len, buf, cap - (size_t)w, w, in->ascii);
	size_t end = strlen(buf);

	while (used < w && end + 1 < cap) {
		buf[end++] = ' ';
		used++;
	}
	buf[end] = '\0';
}
