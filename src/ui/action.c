/* SPDX-License-Identifier: MIT */
/*
 * The action table expanded into its lookups: key to action, action to
 * help text, and the Markdown key table for the README.
 */
#include "ui/action.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One zero-terminated key list per action, so rows can list any number
 * of keys. */
#define TV_UIA_KEYS(id, scope, name, help, ...) \
	static const int keys_##id[] = { __VA_ARGS__, 0 };
TV_ACTIONS(TV_UIA_KEYS)
#undef TV_UIA_KEYS

static const struct tv_action_info actions[TV_UI__COUNT] = {
#define TV_UIA_ROW(id, scope, name, help, ...) \
	[TV_UI_##id] = { name, TV_SCOPE_##scope, help, keys_##id },
	TV_ACTIONS(TV_UIA_ROW)
#undef TV_UIA_ROW
};

static const char *const scope_titles[TV_SCOPE__COUNT] = {
#define TV_SCOPE_TITLE(id, title) [TV_SCOPE_##id] = title,
	TV_SCOPES(TV_SCOPE_TITLE)
#undef TV_SCOPE_TITLE
};

const struct tv_action_info *
tv_action_info(enum tv_ui_action act)
{
	if (act < 0 || act >= TV_UI__COUNT)
		return NULL;
	return &actions[act];
}

const char *
tv_scope_title(enum tv_scope s)
{
	if (s < 0 || s >= TV_SCOPE__COUNT)
		return "";
	return scope_titles[s];
}

int
tv_scope_applies(enum tv_scope s, enum tv_view v, int input)
{
	/* While a value is typed, every other key is text or ignored: a
	 * stray q must not quit in the middle of "0.25". */
	if (input)
		return s == (input == TV_INPUT_PROMPT ? TV_SCOPE_PROMPT
			     : input == TV_INPUT_PICKER ? TV_SCOPE_PICKER
			     : input == TV_INPUT_TAKEHOME ? TV_SCOPE_TAKEHOME
			     : input == TV_INPUT_BRANCH ? TV_SCOPE_BRANCH
			     : TV_SCOPE_INPUT);
	switch (s) {
	case TV_SCOPE_GLOBAL:
		return 1;
	case TV_SCOPE_DIALS:
		return v != TV_VIEW_HELP;
	case TV_SCOPE_INPUT:
	case TV_SCOPE_PROMPT:
	case TV_SCOPE_PICKER:
	case TV_SCOPE_TAKEHOME:
	case TV_SCOPE_BRANCH:
		return 0;
	case TV_SCOPE_LM:
		return v != TV_VIEW_HELP;
	case TV_SCOPE_GENERATE:
		return v == TV_VIEW_GENERATE;
	case TV_SCOPE_EXPLORE:
		return v == TV_VIEW_EXPLORE;
	case TV_SCOPE_PIPELINE:
		return v == TV_VIEW_PIPELINE;
	case TV_SCOPE_SAMPLE:
		return v == TV_VIEW_SAMPLE;
	case TV_SCOPE_CURVES:
		return v == TV_VIEW_CURVES;
	case TV_SCOPE_THERMO:
		return v == TV_VIEW_THERMO;
	case TV_SCOPE_ATTENTION:
		return v == TV_VIEW_ATTENTION;
	case TV_SCOPE_HELP:
		return v == TV_VIEW_HELP;
	case TV_SCOPE_TALK:
		/* The talk player reads its keys before any view does
		 * (talkmode.c); while exploring only its resume key. */
		return 0;
	case TV_SCOPE__COUNT:
		break;
	}
	return 0;
}

static int
has_key(const int *keys, int key)
{
	for (; *keys; keys++)
		if (*keys == key)
			return 1;
	return 0;
}

enum tv_ui_action
tv_action_for_key(int key, enum tv_view v, int input)
{
	/* A view's own binding wins over a global one with the same key (the
	 * help view's Up scrolls instead of turning a hidden dial). */
	int pass, i;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < TV_UI__COUNT; i++) {
			const struct tv_action_info *ai = &actions[i];
			int general = ai->scope == TV_SCOPE_GLOBAL ||
				      ai->scope == TV_SCOPE_DIALS;

			if (general != pass)
				continue;
			if (tv_scope_applies(ai->scope, v, input) &&
			    has_key(ai->keys, key))
				return (enum tv_ui_action)i;
		}
	}
	return TV_UI_NONE;
}

static const char *const special_names[] = {
	[TV_KEY_UP - TV_KEY_BASE] = "Up",
	[TV_KEY_DOWN - TV_KEY_BASE] = "Down",
	[TV_KEY_LEFT - TV_KEY_BASE] = "Left",
	[TV_KEY_RIGHT - TV_KEY_BASE] = "Right",
	[TV_KEY_PGUP - TV_KEY_BASE] = "PgUp",
	[TV_KEY_PGDN - TV_KEY_BASE] = "PgDn",
	[TV_KEY_HOME - TV_KEY_BASE] = "Home",
	[TV_KEY_END - TV_KEY_BASE] = "End",
	[TV_KEY_TAB - TV_KEY_BASE] = "Tab",
	[TV_KEY_BTAB - TV_KEY_BASE] = "Shift-Tab",
	[TV_KEY_ENTER - TV_KEY_BASE] = "Enter",
	[TV_KEY_BACKSPACE - TV_KEY_BASE] = "Backspace",
	[TV_KEY_DELETE - TV_KEY_BASE] = "Delete",
	[TV_KEY_INSERT - TV_KEY_BASE] = "Insert",
	[TV_KEY_ESC - TV_KEY_BASE] = "Esc",
	[TV_KEY_RESIZE - TV_KEY_BASE] = "Resize",
	[TV_KEY_SLEFT - TV_KEY_BASE] = "Shift-Left",
	[TV_KEY_SRIGHT - TV_KEY_BASE] = "Shift-Right",
	[TV_KEY_SUP - TV_KEY_BASE] = "Shift-Up",
	[TV_KEY_SDOWN - TV_KEY_BASE] = "Shift-Down",
};

const char *
tv_key_name(int key, char *buf, size_t cap)
{
	size_t i = (size_t)(key - TV_KEY_BASE);

	if (key >= TV_KEY_F1 && key <= TV_KEY_F12)
		snprintf(buf, cap, "F%d", key - TV_KEY_F1 + 1);
	else if (key >= TV_KEY_BASE &&
		 i < sizeof special_names / sizeof *special_names &&
		 special_names[i])
		snprintf(buf, cap, "%s", special_names[i]);
	else if (key == ' ')
		snprintf(buf, cap, "Space");
	else if (key > 0 && key < 0x20)
		snprintf(buf, cap, "Ctrl-%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, cap, "%c", key);
	else
		snprintf(buf, cap, "U+%04X", (unsigned)key);
	return buf;
}

int
tv_key_parse(const char *name, size_t len)
{
	size_t i;

	if (len == 1 && (unsigned char)name[0] > 0x20 &&
	    (unsigned char)name[0] < 0x7f)
		return name[0];
	if (len == 5 && strncmp(name, "Space", 5) == 0)
		return ' ';
	/* '<' itself opens a name in a key script, as in vim. */
	if (len == 2 && strncmp(name, "lt", 2) == 0)
		return '<';
	if (len == 6 && strncmp(name, "Ctrl-", 5) == 0 &&
	    name[5] >= 'a' && name[5] <= 'z')
		return TV_KEY_CTRL(name[5]);
	if ((len == 2 || len == 3) && name[0] == 'F') {
		int n = atoi(name + 1);

		if (n >= 1 && n <= 12)
			return TV_KEY_F1 + n - 1;
	}
	for (i = 0; i < sizeof special_names / sizeof *special_names; i++)
		if (special_names[i] && strlen(special_names[i]) == len &&
		    strncmp(special_names[i], name, len) == 0)
			return TV_KEY_BASE + (int)i;
	return -1;
}

/* The length of the run of consecutive characters starting at k (0-9 is
 * shown as one range), or 1. */
static int
key_run(const int *k)
{
	int n = 1;

	if (!((*k >= '0' && *k <= '9') || (*k >= 'a' && *k <= 'z')))
		return 1;
	while (k[n] == k[0] + n && k[n] != '9' + 1 && k[n] != 'z' + 1)
		n++;
	return n >= 3 ? n : 1;
}

const char *
tv_action_keys(enum tv_ui_action act, char *buf, size_t cap)
{
	const struct tv_action_info *ai = tv_action_info(act);
	size_t used = 0;
	const int *k;

	if (cap)
		buf[0] = '\0';
	if (!ai)
		return buf;
	for (k = ai->keys; *k && used < cap; ) {
		char name[16];
		int run = key_run(k), n;

		if (run > 1)
			n = snprintf(buf + used, cap - used, "%s%c-%c",
				     k == ai->keys ? "" : ", ", k[0],
				     k[run - 1]);
		else
			n = snprintf(buf + used, cap - used, "%s%s",
				     k == ai->keys ? "" : ", ",
				     tv_key_name(*k, name, sizeof name));
		if (n < 0)
			break;
		used += (size_t)n;
		k += run;
	}
	return buf;
}

/* Markdown needs | and ` escaped inside a code span. */
static void
md_key(FILE *out, const char *name)
{
	if (strchr(name, '`'))
		fprintf(out, "`` %s ``", name);
	else if (strcmp(name, "|") == 0)
		fputs("`\\|`", out);
	else
		fprintf(out, "`%s`", name);
}

void
tv_actions_markdown(FILE *out)
{
	int s, i;

	for (s = 0; s < TV_SCOPE__COUNT; s++) {
		fprintf(out, "%s### %s\n\n| Keys | Action |\n|---|---|\n",
			s ? "\n" : "", scope_titles[s]);
		for (i = 0; i < TV_UI__COUNT; i++) {
			const struct tv_action_info *ai = &actions[i];
			const int *k;

			if ((int)ai->scope != s)
				continue;
			fputs("| ", out);
			for (k = ai->keys; *k; ) {
				char name[16];
				int run = key_run(k);

				if (k != ai->keys)
					fputs(" ", out);
				if (run > 1)
					fprintf(out, "`%c`-`%c`", k[0],
						k[run - 1]);
				else
					md_key(out, tv_key_name(*k, name,
								sizeof name));
				k += run;
			}
			fprintf(out, " | %s |\n", ai->help);
		}
	}
}
