/* SPDX-License-Identifier: MIT */
/*
 * `present`: play a talk in the TUI, check it (--check), or write it as
 * one HTML handout (--export); and `snapshot --talk TALK --step N`, one
 * step's frame. Also `present --list`.
 */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "io/safetext.h"
#include "io/talk.h"
#include "lm/model.h"
#include "ui/app.h"
#include "ui/talkmode.h"

static void
builtin_names(char *buf, size_t cap)
{
	size_t n;
	const struct tv_talk_builtin *b = tv_talk_builtins(&n);

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		tv_cli_join(buf, cap, ", ", b[i].name);
}

/* A built-in talk or a file; an exit status, the error said. */
static int
load_talk(const char *name, struct tv_talk *t)
{
	struct tv_error err = { "" };
	char names[160];
	int rc = tv_talk_load(name, tv_talkmode_view_ok, t, &err);

	if (rc == TV_EXIT_OK)
		return rc;
	/* A bare word that is no file was meant as a built-in name. */
	if (access(name, F_OK) != 0 && !strpbrk(name, "./")) {
		builtin_names(names, sizeof names);
		tv_cli_err("%s: no such talk (accepted: a talk file, or a "
			   "built-in name: %s)", name, names);
		return TV_EXIT_USAGE;
	}
	tv_cli_err("%s", err.msg);
	return rc;
}

/* The app a talk plays on: the default scenario until a step names a
 * source. Takes t. */
static int
open_talk(const struct tv_cli *o, struct tv_talk *t, int live,
	  struct tv_source *base, struct tv_app **a)
{
	struct tv_source_spec spec = { .scenario = TV_DEFAULT_SCENARIO };
	struct tv_error err = { "" };
	struct tv_ui_opts ui = o->ui;

	/* The export and SVG or HTML snapshots paint a dark page, as
	 * snapshot's do. */
	if (ui.theme == TV_THEME_AUTO && (o->export_to ||
	    o->format == TV_FMT_SVG || o->format == TV_FMT_HTML))
		ui.theme = TV_THEME_DARK;

	*a = NULL;
	if (tv_source_load(&spec, base, &err) != TV_EXIT_OK) {
		tv_talk_free(t);
		tv_cli_err("%s", err.msg);
		return TV_EXIT_DATA;
	}
	*a = tv_app_new(base, &o->params, &o->chain, &ui);
	if (!*a || tv_talkmode_start(*a, t, o->lm ? o->lm_path : NULL,
				     live) != 0) {
		if (!*a)
			tv_talk_free(t);
		tv_app_free(*a);
		*a = NULL;
		tv_source_free(base);
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	return TV_EXIT_OK;
}

static void
close_talk(struct tv_app *a, struct tv_source *base)
{
	tv_app_free(a);
	tv_source_free(base);
}

/* Text for HTML: made safe for display first, then escaped. */
static void
html_text(FILE *out, const char *s)
{
	char safe[4096];

	tv_safe_text(s, strlen(s), safe, sizeof safe, -1, 0);
	for (const char *p = safe; *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\n': fputs("<br/>", out); break;
		default: fputc(*p, out); break;
		}
	}
}

static void
export_step(struct tv_app *a, struct tv_frame *f, FILE *out, int i, int n)
{
	char caption[4096];

	tv_talkmode_goto(a, i);
	tv_app_render(a, f);
	tv_talkmode_caption(a, caption, sizeof caption);
	fprintf(out, "<section id=\"step-%d\">\n<h2>%d/%d ", i + 1, i + 1, n);
	html_text(out, tv_talkmode_title(a));
	fputs("</h2>\n<p>", out);
	html_text(out, caption);
	fputs("</p>\n", out);
	if (tv_talkmode_notice(a)[0]) {
		fputs("<p class=\"notice\">", out);
		html_text(out, tv_talkmode_notice(a));
		fputs("</p>\n", out);
	}
	tv_frame_write_pre(f, out);
	fputs("</section>\n", out);
}

/* Every step, in order: well-formed XML as well as HTML, so that any
 * checker (and xmllint) reads it. */
static int
export_html(const struct tv_cli *o, struct tv_app *a, struct tv_frame *f)
{
	FILE *out = fopen(o->export_to, "w");
	int n = tv_talkmode_steps(a), bad;

	if (!out) {
		tv_cli_err("%s: %s", o->export_to, strerror(errno));
		return TV_EXIT_DATA;
	}
	tv_talkmode_goto(a, 0);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n<title>", out);
	html_text(out, tv_talkmode_title(a));
	fputs("</title>\n<style>body{font-family:sans-serif;max-width:70em;"
	      "margin:2em auto}section{margin:0 0 3em}"
	      ".notice{color:#b00}</style>\n</head>\n<body>\n<h1>", out);
	html_text(out, tv_talkmode_title(a));
	fputs("</h1>\n", out);
	for (int i = 0; i < n; i++)
		export_step(a, f, out, i, n);
	fputs("</body>\n</html>\n", out);
	bad = ferror(out) != 0;
	bad |= fclose(out) != 0;
	if (bad) {
		tv_cli_err("%s: write error", o->export_to);
		return TV_EXIT_DATA;
	}
	return TV_EXIT_OK;
}

static int
snapshot_step(const struct tv_cli *o, struct tv_app *a, struct tv_frame *f)
{
	int n = tv_talkmode_steps(a);
	long step = o->step ? o->step : 1;
	char why[160];

	if (step > n) {
		tv_cli_err("--step: %ld is out of range (accepted: 1 to %d, the "
			   "steps of this talk)", step, n);
		return TV_EXIT_USAGE;
	}
	tv_talkmode_goto(a, (int)step - 1);
	if (o->press && tv_app_press(a, o->press, why, sizeof why) != 0) {
		tv_cli_err("--keys: %s", why);
		return TV_EXIT_USAGE;
	}
	tv_app_render(a, f);
	return tv_cli_write_frame(o, f);
}

/* --server: the model every prompt step of the talk reads, reached
 * before the first step is shown; asked asynchronously while playing. */
static int
talk_server(const struct tv_cli *o, struct tv_app *a, int play)
{
	struct tv_error err = { "" };
	struct tv_model *m;
	int rc = tv_cli_open_model(o, &m, &err);

	if (rc != TV_EXIT_OK) {
		tv_cli_err("%s", err.msg);
		return rc;
	}
	if (play)
		tv_model_set_async(m, 1);
	tv_talkmode_give_model(a, m);
	tv_talkmode_goto(a, 0);
	return TV_EXIT_OK;
}

int
tv_cmd_present(const struct tv_cli *o)
{
	const char *name = o->talk ? o->talk : o->spec.path;
	int play = !o->talk && !o->check && !o->export_to;
	struct tv_source base;
	struct tv_frame f;
	struct tv_talk t;
	struct tv_app *a;
	/* A script with an error is refused before anything else. */
	int rc = load_talk(name, &t);

	if (rc != TV_EXIT_OK)
		return rc;
	if (o->check) {
		printf("%s: %d step%s\n", name, t.n, t.n == 1 ? "" : "s");
		tv_talk_free(&t);
		return tv_cli_flush();
	}
	if (play && (rc = tv_cli_tui_check()) != TV_EXIT_OK) {
		tv_talk_free(&t);
		return rc;
	}
	if ((rc = open_talk(o, &t, play, &base, &a)) != TV_EXIT_OK)
		return rc;
	if (o->server && (rc = talk_server(o, a, play)) != TV_EXIT_OK) {
		close_talk(a, &base);
		return rc;
	}
	if (play) {
		rc = tv_tui_run(a);
	} else if (tv_frame_init(&f, o->w, o->h) != 0) {
		tv_cli_err("out of memory");
		rc = TV_EXIT_DATA;
	} else {
		rc = o->talk ? snapshot_step(o, a, &f) : export_html(o, a, &f);
		tv_frame_free(&f);
	}
	close_talk(a, &base);
	return rc;
}

int
tv_cmd_talks(void)
{
	size_t n;
	const struct tv_talk_builtin *b = tv_talk_builtins(&n);

	printf("%-12s %-6s %s\n", "talk", "steps", "title");
	for (size_t i = 0; i < n; i++) {
		struct tv_error err;
		struct tv_talk t;

		if (tv_talk_parse(b[i].data, b[i].len, b[i].name,
				  tv_talkmode_view_ok, &t, &err) != TV_EXIT_OK) {
			printf("%-12s %-6s %s\n", b[i].name, "-", err.msg);
			continue;
		}
		printf("%-12s %-6d %s\n", b[i].name, t.n,
		       t.step[0].title ? t.step[0].title : "");
		tv_talk_free(&t);
	}
	return tv_cli_flush();
}
