/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the talk script parser: any bytes parse or are
 * refused with one FILE:LINE:COL message, never a crash, a hang or a
 * leak; a script that parses has every step's text and settings read
 * back. Run by `make fuzz`.
 */
#include <string.h>

#include "io/talk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The player's views, as the interface names them. */
static int
view_ok(const char *s)
{
	static const char *const views[] = { "explore", "pipeline", "sample",
		"curves", "thermo", "attention", "generate" };

	for (size_t i = 0; i < sizeof views / sizeof *views; i++)
		if (strcmp(s, views[i]) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tv_error err;
	struct tv_talk t;
	size_t sum = 0;

	if (tv_talk_parse((const char *)data, size, "fuzz.talk", view_ok, &t,
			  &err) != TV_EXIT_OK) {
		/* One line: the message never carries a newline. */
		if (strchr(err.msg, '\n'))
			__builtin_trap();
		return 0;
	}
	for (int i = 0; i < t.n; i++) {
		const struct tv_talk_step *st = &t.step[i];

		sum += st->title ? strlen(st->title) : 0;
		sum += st->text ? strlen(st->text) : 0;
		for (int k = 0; k < TV_TK__COUNT; k++)
			sum += st->str[k] ? strlen(st->str[k]) : 0;
	}
	if (t.n < 1 || t.n > TV_TALK_MAX_STEPS || sum > size)
		__builtin_trap();
	tv_talk_free(&t);
	return 0;
}
