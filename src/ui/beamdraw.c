/* SPDX-License-Identifier: MIT */
/*
 * The beam lane as the generate view draws it (gendraw.h): the words all
 * running beams share, then each beam's own end with its sum of ln p,
 * the finished hypotheses with their scores after the length penalty,
 * and what the search returns with its bits per word, which a room can
 * set beside the sampled lanes': beam search keeps the likeliest words,
 * so its text is the least surprising, and it stops at the first likely
 * full stop unless the length penalty pays for more.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/gendraw.h"
#include "ui/genmode.h"

#define WORDS_MAX 64

/* Words from[ .. n) of w as text, the last ones that fit maxw columns
 * (an ellipsis first when some did not). */
static void
tail_text(const struct tv_app *a, const int32_t *w, size_t from, size_t n,
	  char *buf, size_t cap, int maxw)
{
	char word[48], piece[WORDS_MAX][48];
	int glue[WORDS_MAX], used = 0, k = 0;
	size_t j = n;

	buf[0] = '\0';
	while (j > from && k < WORDS_MAX) {
		int g = tv_gen_word_text(a, w[j - 1], word, sizeof word, maxw);
		int cw = tv_str_width(word) + (j - 1 > from && !g);

		if (used + cw > maxw - (j - 1 > from))
			break;
		snprintf(piece[k], sizeof piece[k], "%s", word);
		glue[k++] = g;
		used += cw;
		j--;
	}
	if (j > from)
		snprintf(buf, cap, "%s", a->look.g->ellipsis);
	while (k-- > 0) {
		size_t len = strlen(buf);

		snprintf(buf + len, cap - len, "%s%s",
			 len && !glue[k] && strcmp(buf, a->look.g->ellipsis)
			 ? " " : "", piece[k]);
	}
}

/* How many first words all running beams share. */
static size_t
shared(const struct tv_beam_hyp *run, size_t n, int32_t w[][WORDS_MAX])
{
	size_t len = n ? run[0].n : 0;

	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < len; j++)
			if (w[i][j] != w[0][j]) {
				len = j;
				break;
			}
	return len;
}

static int
hyp_row(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y,
	const struct tv_beam *b, const struct tv_beam_hyp *h, size_t from,
	double value, int on)
{
	int32_t w[TV_GEN_MAX_WORDS + 1];
	char num[24], text[256];
	int nw;

	if (y >= r.y + r.h || h->n > sizeof w / sizeof *w)
		return y;
	tv_beam_words(b, h, w);
	snprintf(num, sizeof num, fabs(value) < 1 ? "%6.3f " : "%6.2f ",
		 value);
	nw = tv_frame_puts(f, r.x, y, r.w, num, tv_st(a, on ? TV_ROLE_STAT_VALUE
			   : TV_ROLE_STAT_LABEL));
	tail_text(a, w, from < h->n ? from : 0, h->n, text, sizeof text,
		  r.w - nw);
	tv_w_label(f, r.x + nw, y, r.w - nw, text,
		   tv_gen_p_style(a, exp2(-tv_beam_bits_per_word(h))));
	return y + 1;
}

void
tv_beam_render_lane(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	const struct tv_beamlane *bl = &a->gen->beam;
	const struct tv_beam_hyp *run, *fin;
	struct tv_beam_hyp best;
	int32_t w[TV_BEAM_MAX][WORDS_MAX];
	size_t n_run, n_fin, common = 0;
	char text[160];
	int y = r.y;

	if (!bl->b || r.w < 12 || r.h < 6)
		return;
	snprintf(text, sizeof text, "beam B=%u alpha=%g", bl->width, bl->alpha);
	tv_w_label(f, r.x, y++, r.w, text, tv_st(a, TV_ROLE_STAT_VALUE));
	run = tv_beam_running(bl->b, &n_run);
	fin = tv_beam_finished(bl->b, &n_fin);
	for (size_t i = 0; i < n_run; i++)
		if (run[i].n <= WORDS_MAX)
			tv_beam_words(bl->b, &run[i], w[i]);
	if (n_run > 1 && run[0].n <= WORDS_MAX)
		common = shared(run, n_run, w);
	if (common) {
		tail_text(a, w[0], 0, common, text, sizeof text, r.w - 8);
		tv_w_label(f, r.x, y, 7, "shared", tv_st(a, TV_ROLE_DIM));
		tv_w_label(f, r.x + 7, y++, r.w - 7, text,
			   tv_st(a, TV_ROLE_TEXT));
	}
	if (n_run) {
		tv_w_label(f, r.x, y++, r.w, "running, sum ln p",
			   tv_st(a, TV_ROLE_STAT_LABEL));
		for (size_t i = 0; i < n_run; i++)
			y = hyp_row(a, f, r, y, bl->b, &run[i], common,
				    run[i].sum, 0);
	}
	if (n_fin && y + 3 < r.y + r.h) {
		snprintf(text, sizeof text, "finished, sum/len^%g",
			 bl->alpha);
		tv_w_label(f, r.x, y++, r.w, text, tv_st(a, TV_ROLE_STAT_LABEL));
		for (size_t i = 0; i < n_fin && y + 2 < r.y + r.h; i++)
			y = hyp_row(a, f, r, y, bl->b, &fin[i], 0, fin[i].score,
				    0);
	}
	if (!tv_beam_best(bl->b, &best))
		return;
	y = r.y + r.h - 2;
	y = hyp_row(a, f, r, y, bl->b, &best, 0, best.score, 1);
	snprintf(text, sizeof text, "%s %.2f bits/word",
		 tv_beam_done(bl->b) ? "done:" : "best:",
		 tv_beam_bits_per_word(&best));
	tv_w_label(f, r.x, y, r.w, text, tv_st(a, TV_ROLE_STAT_LABEL));
}
