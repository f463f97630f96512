/* SPDX-License-Identifier: MIT */
/*
 * --help, written from the option table: every flag a command accepts,
 * grouped, with what it accepts and its default.
 */
#include "cli/opts.h"

#include <string.h>

#define HELP_COL 24
#define HELP_WIDTH 79

struct cmd_help {
	const char *brief;      /* for the list of commands */
	const char *what;       /* the first line of the command's help */
};

static const struct cmd_help cmd_help[TV_CMD__COUNT] = {
	[TV_CMD_TUI] = { "the TUI",
		"Open the TUI: turn the dials and watch the distribution." },
	[TV_CMD_PRINT] = { "the distribution after the pipeline",
		"Show the distribution after the sampling pipeline, as a table "
		"or JSON." },
	[TV_CMD_SAMPLE] = { "-n N draws with --seed S",
		"Draw -n N tokens with --seed S and test the counts against "
		"theory." },
	[TV_CMD_SWEEP] = { "quantities over T, as CSV",
		"Write entropy, top-1, kept, ln Z, U, S, F and C over T, "
		"as CSV or JSON." },
	[TV_CMD_SNAPSHOT] = { "one frame of a view, no terminal needed",
		"Render one frame of a view without a terminal, as text, ANSI, "
		"SVG or HTML." },
	[TV_CMD_GENERATE] = { "text from a language model at the dials",
		"Continue --prompt with -n words of a language model at the "
		"dials." },
	[TV_CMD_PRESENT] = { "play, check or export a talk",
		"Play a talk (a script of steps) in the TUI, check it, or "
		"export it as HTML." },
};

static const char *const group_title[TV_GRP__COUNT] = {
	[TV_GRP_SOURCE] = "Source (at most one; default: --scenario "
			  TV_DEFAULT_SCENARIO ")",
	[TV_GRP_SAMPLING] = "Sampling",
	[TV_GRP_OUTPUT] = "Output",
	[TV_GRP_PROGRAM] = "Program",
};

/* Words of text from column col on, wrapped at HELP_WIDTH and continued at
 * HELP_COL. */
static void
wrap(FILE *out, int col, const char *text)
{
	while (*text) {
		size_t len = strcspn(text, " ");

		if (col > HELP_COL && col + 1 + (int)len > HELP_WIDTH) {
			fprintf(out, "\n%*s", HELP_COL, "");
			col = HELP_COL;
		} else if (col > HELP_COL) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", (int)len, text);
		col += (int)len;
		text += len;
		while (*text == ' ')
			text++;
	}
	fputc('\n', out);
}

/* Start the text column: pad, or go to a new line when the flag is
 * wider. */
static int
to_text_column(FILE *out, int col)
{
	if (col >= HELP_COL - 1) {
		fprintf(out, "\n%*s", HELP_COL, "");
		return HELP_COL;
	}
	fprintf(out, "%*s", HELP_COL - col, "");
	return HELP_COL;
}

/* " [print, sweep]", or " [all but sweep]" when one command lacks it. */
static void
where_accepted(const struct tv_optdef *d, char *buf, size_t cap)
{
	int missing = 0, which = 0;

	for (int c = 0; c < TV_CMD__COUNT; c++)
		if (!(d->cmds & (1u << c))) {
			missing++;
			which = c;
		}
	if (missing == 1) {
		snprintf(buf, cap, " [all but %s]", which == TV_CMD_TUI ?
			 "the TUI" : tv_cmd_name((enum tv_cmd)which));
		return;
	}
	buf[0] = '\0';
	for (int c = TV_CMD_PRINT; c < TV_CMD__COUNT; c++) {
		if (!(d->cmds & (1u << c)))
			continue;
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s",
			 buf[0] ? ", " : " [", tv_cmd_name((enum tv_cmd)c));
	}
	if (d->cmds & (1u << TV_CMD_TUI))
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s",
			 buf[0] ? ", TUI]" : " [TUI]");
	else if (buf[0])
		snprintf(buf + strlen(buf), cap - strlen(buf), "]");
}

static void
option_help(FILE *out, const struct tv_optdef *d, int all)
{
	char text[1024], where[96] = "";
	int col;

	if (d->short_name && d->name[1] == '\0')
		col = fprintf(out, "  -%c", d->short_name);
	else if (d->short_name)
		col = fprintf(out, "  -%c, --%s", d->short_name, d->name);
	else
		col = fprintf(out, "  --%s", d->name);
	if (d->metavar)
		col += fprintf(out, " %s", d->metavar);
	col = to_text_column(out, col);
	/* In the whole program's help, a flag only some commands take says
	 * which. */
	if (all && (d->cmds & ((1u << TV_CMD__COUNT) - 1)) !=
	    (1u << TV_CMD__COUNT) - 1)
		where_accepted(d, where, sizeof(where));
	snprintf(text, sizeof(text), "%s%s", d->help, where);
	wrap(out, col, text);
	if (!d->accepted)
		return;
	snprintf(text, sizeof(text), "accepted: %s%s%s", d->accepted,
		 d->dflt ? "; default: " : "", d->dflt ? d->dflt : "");
	fprintf(out, "%*s", HELP_COL, "");
	wrap(out, HELP_COL, text);
}

static void
usage(FILE *out, enum tv_cmd cmd)
{
	if (cmd != TV_CMD_TUI) {
		fprintf(out, "Usage: tempviz %s %s [OPTIONS]\n%s\n",
			tv_cmd_name(cmd), cmd == TV_CMD_GENERATE ?
			"[--lm [PATH]] --prompt TEXT" : cmd == TV_CMD_PRESENT ?
			"TALK" : "[SOURCE]", cmd_help[cmd].what);
		return;
	}
	fprintf(out, "Usage:\n");
	for (int c = 0; c < TV_CMD__COUNT; c++)
		fprintf(out, "  tempviz %-8s %s [OPTIONS]  %s\n",
			c == TV_CMD_TUI ? "" : tv_cmd_name((enum tv_cmd)c),
			c == TV_CMD_GENERATE ? "--prompt TEXT" :
			c == TV_CMD_PRESENT ? "TALK    " : "[SOURCE]",
			cmd_help[c].brief);
	fprintf(out, "  tempviz --list | --keys-markdown | --help | "
		"--version\n\n"
		"tempviz is a terminal lab for LLM sampling temperature.\n"
		"`tempviz COMMAND --help` lists one command's options.\n");
}

/* Whether a command takes any flag of group g (present takes no
 * sampling flag: its steps set them). */
static int
group_used(int g, enum tv_cmd cmd, int all)
{
	for (int i = 0; i < TV_OPT__COUNT; i++) {
		const struct tv_optdef *d = tv_cli_optdef((enum tv_opt)i);

		if ((int)d->group == g && (all || (d->cmds & (1u << cmd))))
			return 1;
	}
	return 0;
}

void
tv_cli_help(FILE *out, enum tv_cmd cmd)
{
	int all = cmd == TV_CMD_TUI;

	usage(out, cmd);
	for (int g = 0; g < TV_GRP__COUNT; g++) {
		int lm = cmd == TV_CMD_GENERATE || cmd == TV_CMD_PRESENT;

		if (!group_used(g, cmd, all))
			continue;
		fprintf(out, "\n%s:\n", g == TV_GRP_SOURCE && lm ? "Model"
			: group_title[g]);
		if (g == TV_GRP_SOURCE && cmd == TV_CMD_PRESENT) {
			fprintf(out, "  %-*s", HELP_COL - 2, "TALK");
			wrap(out, HELP_COL, "a talk file (README: Talks), or a "
			     "built-in name from --list");
		} else if (g == TV_GRP_SOURCE && !lm) {
			fprintf(out, "  %-*s", HELP_COL - 2, "SOURCE");
			wrap(out, HELP_COL, "a file (.tsv .csv .json .npy; the "
			     "format is detected from the content), or - for "
			     "standard input");
		}
		for (int i = 0; i < TV_OPT__COUNT; i++) {
			const struct tv_optdef *d = tv_cli_optdef((enum tv_opt)i);

			if ((int)d->group != g)
				continue;
			if (all || (d->cmds & (1u << cmd)))
				option_help(out, d, all);
		}
	}
	fprintf(out, "\nExit status: 0 success, 1 bad data, 2 bad usage.\n"
		"Environment: NO_COLOR (non-empty) turns colour off.\n");
}
