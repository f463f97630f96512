/* SPDX-License-Identifier: MIT */
/*
 * The commands that go through the app: `snapshot` renders one frame
 * without a terminal, and the TUI (no subcommand) runs it on one. Also
 * --list.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lm/model.h"
#include "lm/server.h"
#include "ui/app.h"
#include "ui/frame.h"

/* The app the TUI and snapshot show. On --lm it runs on the model itself
 * (*m, for the caller to free after the app), whose next word follows the
 * text as it is written; the loaded source is one distribution only. An
 * exit status. */
static int
open_app(const struct tv_cli *o, const struct tv_cli_input *in,
	 const struct tv_ui_opts *ui, struct tv_app **out, struct tv_model **m)
{
	struct tv_error err = { "" };
	char why[sizeof err.msg];
	int rc;

	*m = NULL;
	*out = tv_app_new(&in->view, &o->params, &o->chain, ui);
	if (*out && tv_app_origin(*out, o->lm ? NULL : &o->spec) != 0) {
		tv_app_free(*out);
		*out = NULL;
	}
	if (*out && !o->lm && o->history &&
	    tv_app_history(*out, o->history) != 0) {
		tv_app_free(*out);
		*out = NULL;
	}
	if (!*out) {
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	if (!o->lm)
		return TV_EXIT_OK;
	if (o->n_lanes != 0 && o->n_lanes != 3) {
		tv_cli_err("--lanes: the TUI shows three lanes (accepted: three "
			   "temperatures, e.g. 0,0.7,2)");
		rc = TV_EXIT_USAGE;
	} else {
		/* The model the source came from, already asked; else one
		 * of its own (*m, the caller's to free). */
		struct tv_model *use = in->model;

		rc = use ? TV_EXIT_OK : tv_cli_open_model(o, m, &err);
		if (!use)
			use = *m;
		if (rc == TV_EXIT_OK &&
		    tv_app_use_model(*out, use, o->prompt, why, sizeof why) != 0)
			rc = TV_EXIT_DATA;
		if (rc == TV_EXIT_OK) {
			if (o->n_lanes == 3 && o->given[TV_OPT_TEMP] &&
			    o->params.temp != o->lanes[1])
				tv_cli_err("note: --lanes sets the dial's T to "
					   "%g, its middle lane; --temp %g is "
					   "not used", o->lanes[1],
					   o->params.temp);
			if (o->n_lanes == 3)
				tv_app_lanes(*out, o->lanes);
			return TV_EXIT_OK;
		}
		tv_cli_err("%s", use ? why : err.msg);
	}
	tv_app_free(*out);
	tv_model_free(*m);
	*out = NULL;
	*m = NULL;
	return rc;
}

/* The frame is made in memory, then written at once: a failed write is
 * the only one attempted. */
int
tv_cli_write_frame(const struct tv_cli *o, const struct tv_frame *f)
{
	int to_stdout = !o->out || strcmp(o->out, "-") == 0;
	const char *name = to_stdout ? "standard output" : o->out;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	FILE *out;
	int bad;

	if (!mem || tv_frame_write(f, (enum tv_format)o->format, mem) != 0 ||
	    fclose(mem) != 0) {
		free(text);
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	out = to_stdout ? stdout : fopen(o->out, "w");
	if (!out) {
		free(text);
		tv_cli_err("%s: %s", name, strerror(errno));
		return TV_EXIT_DATA;
	}
	bad = fwrite(text, 1, len, out) != len;
	free(text);
	if (to_stdout)
		return tv_cli_flush();
	if ((fclose(out) != 0) | bad) {
		tv_cli_err("%s: write error", name);
		return TV_EXIT_DATA;
	}
	return TV_EXIT_OK;
}

int
tv_cmd_snapshot(const struct tv_cli *o, const struct tv_cli_input *in)
{
	struct tv_ui_opts ui = o->ui;
	struct tv_result r;
	struct tv_model *m;
	struct tv_app *a;
	struct tv_frame f;
	char why[160];
	int rc;

	/* SVG and HTML paint a dark page: that is their background. */
	if (ui.theme == TV_THEME_AUTO &&
	    (o->format == TV_FMT_SVG || o->format == TV_FMT_HTML))
		ui.theme = TV_THEME_DARK;
	/* Only for the note on stages the order leaves out: the app runs
	 * the pipeline itself. */
	tv_cli_run(o, in->d, &r);
	rc = open_app(o, in, &ui, &a, &m);
	if (rc != TV_EXIT_OK)
		return rc;
	if (tv_frame_init(&f, o->w, o->h) != 0) {
		tv_app_free(a);
		tv_model_free(m);
		tv_cli_err("out of memory");
		return TV_EXIT_DATA;
	}
	if (o->press && tv_app_press(a, o->press, why, sizeof why) != 0) {
		tv_cli_err("--keys: %s", why);
		rc = TV_EXIT_USAGE;
	} else {
		tv_app_render(a, &f);
		rc = tv_cli_write_frame(o, &f);
	}
	tv_frame_free(&f);
	tv_app_free(a);
	tv_model_free(m);
	return rc;
}

int
tv_cli_tui_check(void)
{
	/* Standard input may carry the data (SOURCE '-'): the backend reads
	 * keys from /dev/tty. The screen itself has to be a terminal. */
	if (isatty(STDOUT_FILENO))
		return TV_EXIT_OK;
	tv_cli_err("the TUI needs a terminal on standard output (for output "
		   "without one: print, sample, sweep, snapshot)");
	return TV_EXIT_USAGE;
}

int
tv_cmd_tui(const struct tv_cli *o, const struct tv_cli_input *in)
{
	struct tv_model *m;
	struct tv_app *a;
	int rc = open_app(o, in, &o->ui, &a, &m);
	struct tv_error err = { "" };

	struct tv_model *use;

	if (rc != TV_EXIT_OK)
		return rc;
	/* The model the app runs on: the source's, or one of its own. */
	use = m ? m : in->model;
	/* A server answers while the keys go on working. */
	if (use)
		tv_model_set_async(use, 1);
	rc = tv_tui_run(a);
	tv_app_free(a);
	/* --record keeps what the server sent, however the TUI ended. */
	if (use && o->record && tv_server_is(use) &&
	    tv_server_record(use, o->record, &err) != 0) {
		tv_cli_err("%s", err.msg);
		if (rc == 0)
			rc = TV_EXIT_DATA;
	}
	tv_model_free(m);
	return rc;
}

/* "5 tokens", or "40 of 50257" when only the top is listed. */
static void
scenario_size(const struct tv_scenario *sc, char *buf, size_t cap)
{
	struct tv_source_spec spec = { .scenario = sc->name };
	struct tv_source src;
	struct tv_error err;

	if (tv_source_load(&spec, &src, &err) != TV_EXIT_OK) {
		snprintf(buf, cap, "unreadable");
		return;
	}
	if (src.n_pos != 1)
		snprintf(buf, cap, "%lu positions", (unsigned long)src.n_pos);
	else if (src.pos[0].vocab_size > src.pos[0].n)
		snprintf(buf, cap, "%lu of %.0f", (unsigned long)src.pos[0].n,
			 src.pos[0].vocab_size);
	else
		snprintf(buf, cap, "%lu tokens", (unsigned long)src.pos[0].n);
	tv_source_free(&src);
}

int
tv_cmd_list(void)
{
	size_t n;
	const struct tv_scenario *sc = tv_scenarios(&n);
	char size[64];

	printf("%-14s %-18s %s\n", "scenario", "size", "note");
	for (size_t i = 0; i < n && !ferror(stdout); i++) {
		scenario_size(&sc[i], size, sizeof(size));
		printf("%-14s %-18s %s\n", sc[i].name, size,
		       sc[i].note ? sc[i].note : "");
	}
	return tv_cli_flush();
}
