/* SPDX-License-Identifier: MIT */
/*
 * tempviz: parse the command line, load the source, hand it to the
 * subcommand (or the TUI).
 */
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"

static int
run(const struct tv_cli *o)
{
	static int (*const cmd[TV_CMD__COUNT])(const struct tv_cli *,
					       const struct tv_cli_input *) = {
		[TV_CMD_TUI] = tv_cmd_tui,
		[TV_CMD_PRINT] = tv_cmd_print,
		[TV_CMD_SAMPLE] = tv_cmd_sample,
		[TV_CMD_SWEEP] = tv_cmd_sweep,
		[TV_CMD_SNAPSHOT] = tv_cmd_snapshot,
	};
	struct tv_cli_input in;
	int rc = o->cmd == TV_CMD_TUI ? tv_cli_tui_check() : TV_EXIT_OK;

	if (o->cmd == TV_CMD_GENERATE)
		return tv_cmd_generate(o);
	if (o->cmd == TV_CMD_PRESENT || o->talk)
		return tv_cmd_present(o);
	if (rc == TV_EXIT_OK)
		rc = tv_cli_load(o, &in);
	if (rc != TV_EXIT_OK)
		return rc;
	rc = cmd[o->cmd](o, &in);
	tv_cli_unload(&in);
	return rc;
}

/* The licences a binary must carry (LICENSES/, installed to DOCDIR). */
static const char notice[] =
	"Copyright (c) 2026 the tempviz authors; MIT licence.\n"
	"The built-in scenario longtail derives from pocketsphinx-en-us\n"
	"(BSD-2, Carnegie Mellon University and Alpha Cephei Inc.).\n"
	"Both notices: " TV_DOCDIR "/\n";

int
main(int argc, char **argv)
{
	static char outbuf[TV_OUT_BUFSIZE];
	struct tv_cli o;
	int rc;

	/* The locale decides UTF-8 or ASCII display; numbers stay in the C
	 * locale so that "0.5" parses and CSV and JSON keep their dots
	 * everywhere. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	/* Into a pipe or a file, a help text or a frame leaves in one write:
	 * when that write fails, nothing more is attempted.
	 * The buffer is given: with NULL glibc keeps its own size (4 KiB). */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

	rc = tv_cli_parse(argc, argv, &o);
	if (rc == TV_EXIT_OK) {
		switch (o.action) {
		case TV_DO_HELP:
			tv_cli_help(stdout, o.cmd);
			rc = tv_cli_flush();
			break;
		case TV_DO_VERSION:
			printf("tempviz %s\n%s", TV_VERSION, notice);
			rc = tv_cli_flush();
			break;
		case TV_DO_LIST:
			rc = o.cmd == TV_CMD_PRESENT ? tv_cmd_talks()
						     : tv_cmd_list();
			break;
		case TV_DO_KEYS:
			tv_actions_markdown(stdout);
			rc = tv_cli_flush();
			break;
		default:
			rc = run(&o);
			break;
		}
	}
	tv_cli_free(&o);
	return rc;
}
