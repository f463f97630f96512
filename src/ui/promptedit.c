/* SPDX-License-Identifier: MIT */
/*
 * Generate mode's prompt (genmode.h): its text and words, the suggested
 * prompts, and the editor that opens on it in place, whose every key
 * marks the text stale so that it follows the typing (tv_genmode_sync
 * rebuilds it once per frame, not once per key of a paste).
 */
#include <stdlib.h>
#include <string.h>

#include "io/safetext.h"
#include "ui/action.h"
#include "ui/genmode.h"

/* Prompts a word trigram of conversational English continues well
 * (../shared/reference/lm.md); the empty one is a bare sentence start. */
const char *const tv_genmode_prompts[] = {
	"once upon a",
	"i would like to",
	"the united",
	"it was a",
	"what do you",
	"",
	NULL,
};

int
tv_genmode_editing(const struct tv_app *a)
{
	return a->gen && a->gen->editing;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t
tv_genmode_next_word(const struct tv_genmode *gm, size_t *at, size_t *start)
{
	size_t i = *at;

	while (i < gm->len && is_blank(gm->prompt[i]))
		i++;
	*start = i;
	while (i < gm->len && !is_blank(gm->prompt[i]))
		i++;
	*at = i;
	return i - *start;
}

int
tv_genmode_known(const struct tv_genmode *gm, const char *s, size_t n)
{
	char word[256];
	int32_t ids[8];
	size_t k, i;

	/* No word of a model is this long; a pasted essay is not one. */
	if (n == 0 || n >= sizeof word)
		return n == 0;
	memcpy(word, s, n);
	word[n] = '\0';
	k = tv_model_tokenize(gm->m, word, ids, 8);
	for (i = 0; i < k && i < 8; i++)
		if (ids[i] < 0)
			return 0;
	return k <= 8;
}

/* ------------------------------------------------------ prompt text --- */

static int
prompt_reserve(struct tv_genmode *gm, size_t need)
{
	char *p;
	size_t cap = gm->cap ? gm->cap : 64;

	if (need + 1 <= gm->cap)
		return 0;
	while (cap < need + 1)
		cap *= 2;
	p = realloc(gm->prompt, cap);
	if (!p)
		return -1;
	gm->prompt = p;
	gm->cap = cap;
	return 0;
}

int
tv_genmode_prompt_set(struct tv_genmode *gm, const char *s)
{
	size_t n = strlen(s);

	if (prompt_reserve(gm, n) < 0)
		return -1;
	memcpy(gm->prompt, s, n + 1);
	gm->len = n;
	return 0;
}

/* A typed character as UTF-8 at the end of the prompt. */
static int
prompt_put(struct tv_genmode *gm, int cp)
{
	char u[4];
	int n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (gm->len + (size_t)n > TV_GEN_PROMPT_MAX ||
	    prompt_reserve(gm, gm->len + (size_t)n) < 0)
		return -1;
	memcpy(gm->prompt + gm->len, u, (size_t)n);
	gm->len += (size_t)n;
	gm->prompt[gm->len] = '\0';
	return 0;
}

/* Erase the last character, or the last word and the blanks after it. */
static void
prompt_erase(struct tv_genmode *gm, int word)
{
	size_t n = gm->len;

	if (word) {
		while (n > 0 && is_blank(gm->prompt[n - 1]))
			n--;
		while (n > 0 && !is_blank(gm->prompt[n - 1]))
			n--;
	} else if (n > 0) {
		n--;
		while (n > 0 && ((unsigned char)gm->prompt[n] & 0xc0) == 0x80)
			n--;
	}
	gm->len = n;
	gm->prompt[n] = '\0';
}

static int
printable(int key)
{
	return key >= 0x20 && key != 0x7f && !(key >= 0x80 && key < 0xa0) &&
	       !(key >= 0xd800 && key < 0xe000) && key < 0x110000;
}

void
tv_genmode_suggest(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	const char *s = tv_genmode_prompts[gm->suggest];

	if (!tv_genmode_prompts[++gm->suggest])
		gm->suggest = 0;
	if (tv_genmode_prompt_set(gm, s) != 0)
		return;
	gm->stale = 1;
	if (tv_genmode_sync(a) == 0 && !gm->editing)
		tv_app_note(a, "prompt \"%s\"%s", s,
			    s[0] ? "" : " (a sentence start)");
}

void
tv_genmode_edit_open(struct tv_genmode *gm)
{
	free(gm->saved);
	gm->saved = strdup(gm->prompt);
	gm->editing = gm->saved != NULL;
	gm->running = 0;
}

static void
edit_close(struct tv_app *a, int keep)
{
	struct tv_genmode *gm = a->gen;

	gm->editing = 0;
	if (!keep && gm->saved && strcmp(gm->saved, gm->prompt) != 0 &&
	    tv_genmode_prompt_set(gm, gm->saved) == 0)
		gm->stale = 1;
	tv_genmode_sync(a);
	free(gm->saved);
	gm->saved = NULL;
}

/* Erase a character (what 0), a word (1) or everything (2). */
static int
edit_erase(struct tv_app *a, int what)
{
	struct tv_genmode *gm = a->gen;

	if (gm->len == 0)
		return 0;
	if (what == 2) {
		gm->len = 0;
		gm->prompt[0] = '\0';
	} else {
		prompt_erase(gm, what);
	}
	gm->stale = 1;
	return 1;
}

int
tv_genmode_key(struct tv_app *a, int key)
{
	struct tv_genmode *gm = a->gen;

	switch (tv_action_for_key(key, a->view, TV_INPUT_PROMPT)) {
	case TV_UI_PROMPT_APPLY:
		edit_close(a, 1);
		return 1;
	case TV_UI_PROMPT_CANCEL:
		edit_close(a, 0);
		return 1;
	case TV_UI_PROMPT_SUGGEST:
		tv_genmode_suggest(a);
		return 1;
	case TV_UI_PROMPT_ERASE:
		return edit_erase(a, 0);
	case TV_UI_PROMPT_ERASE_WORD:
		return edit_erase(a, 1);
	case TV_UI_PROMPT_CLEAR:
		return edit_erase(a, 2);
	default:
		break;
	}
	if (!printable(key))
		return 0;
	if (prompt_put(gm, key) < 0) {
		tv_app_note(a, "the prompt is long enough (the model reads "
			    "its last %d words)", gm->m->order - 1);
		return 1;
	}
	gm->stale = 1;
	return 1;
}

/* ------------------------------------------------------------ editor --- */

/* The prompt's words from the end back, as many as fit w columns
 * (with a space between); returns how many, the first in *first. */
static size_t
tail_words(const struct tv_app *a, const char *p, size_t len, int w,
	   size_t *first, int *ellipsis)
{
	char buf[512];
	size_t end = len, count = 0, start;
	int used = 0;

	*ellipsis = 0;
	*first = len;
	while (end > 0) {
		int cw;

		while (end > 0 && is_blank(p[end - 1]))
			end--;
		start = end;
		while (start > 0 && !is_blank(p[start - 1]))
			start--;
		if (start == end)
			break;
		cw = tv_safe_text(p + start, end - start, buf, sizeof buf, -1,
				  !a->look.g->utf8);
		if (used + cw + (count > 0) > w - 2) {
			*ellipsis = 1;
			break;
		}
		used += cw + (count > 0);
		count++;
		*first = start;
		end = start;
	}
	return count;
}

void
tv_genmode_render_editor(struct tv_app *a, struct tv_frame *f, int y)
{
	struct tv_genmode *gm = a->gen;
	struct tv_style bar = tv_st(a, TV_ROLE_STATUS);
	struct tv_style on = tv_st(a, TV_ROLE_FOCUS);
	struct tv_style bad = tv_st(a, TV_ROLE_ERROR);
	const char *hint = "Enter keeps  Esc restores  Tab suggests";
	int x = 1 + tv_frame_puts(f, 1, y, f->w - 2, "prompt ", bar);
	int room = f->w - x - 2 - (f->w >= 100 ? (int)strlen(hint) + 2 : 0);
	size_t first, i, count;
	int ell, unknown = 0;
	char buf[512];

	count = tail_words(a, gm->prompt, gm->len, room, &first, &ell);
	if (ell)
		x += tv_frame_puts(f, x, y, 1, a->look.g->ellipsis, on);
	for (i = first; count > 0; count--) {
		size_t s, n = tv_genmode_next_word(gm, &i, &s);
		int ok = tv_genmode_known(gm, gm->prompt + s, n);

		unknown |= !ok;
		if (s > first)
			x += tv_frame_puts(f, x, y, 1, " ", on);
		tv_safe_text(gm->prompt + s, n, buf, sizeof buf, -1,
			     !a->look.g->utf8);
		x += tv_frame_puts(f, x, y, f->w - x, buf, ok ? on : bad);
	}
	if (gm->len > 0 && is_blank(gm->prompt[gm->len - 1]))
		x += tv_frame_puts(f, x, y, 1, " ", on);
	/* The cursor: where the next character goes. */
	x += tv_frame_puts(f, x, y, 1, " ", (struct tv_style){ bar.bg, bar.fg,
			   (uint16_t)(bar.attr ^ TV_A_REVERSE) });
	x += 2;
	if (unknown)
		tv_w_label(f, x, y, f->w - x - 1, "red: not in the model (it "
			   "cuts the context)", bad);
	else if (x < f->w - 1)
		tv_w_label(f, x, y, f->w - x - 1, hint, bar);
}

