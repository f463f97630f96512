/* SPDX-License-Identifier: MIT */
/*
 * The beam lane (beamlane.h): made from the main text's prompt when first
 * shown, stepped up to the main text's length while the search goes on,
 * undone and restarted with it; its keys turn it on, widen or narrow it
 * and step the length penalty.
 */
#include "ui/beamlane.h"

#include "ui/action.h"
#include "ui/genmode.h"

#define WIDTH_DEFAULT 4

/* The length penalties the key steps through: HF's default first. */
static const double alphas[] = { 1, 2, 0, -1 };
#define N_ALPHA ((int)(sizeof alphas / sizeof *alphas))

int
tv_beamlane_show(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	struct tv_beamlane *bl = &gm->beam;
	size_t n = tv_gen_len(gm->lane[TV_LANE_DIAL]);
	struct tv_error err = { "" };
	int r;

	if (!bl->b)
		bl->b = tv_beam_new(gm->lane[TV_LANE_DIAL], bl->width,
				    bl->alpha);
	if (!bl->b) {
		tv_app_note(a, "out of memory");
		bl->on = 0;
		return -1;
	}
	while (tv_beam_len(bl->b) < n && !tv_beam_done(bl->b)) {
		r = tv_beam_step(bl->b, &err);
		if (r == TV_MODEL_PENDING) {
			gm->waiting = 1;
			return 1;
		}
		if (r != 0) {
			tv_app_note(a, "%s", err.msg[0] ? err.msg
				    : "the model failed");
			return -1;
		}
	}
	return 0;
}

void
tv_beamlane_undo(struct tv_genmode *gm, size_t n)
{
	if (gm->beam.b && tv_beam_len(gm->beam.b) == n)
		tv_beam_undo(gm->beam.b);
}

void
tv_beamlane_restart(struct tv_genmode *gm)
{
	if (gm->beam.b)
		tv_beam_restart(gm->beam.b);
}

void
tv_beamlane_drop(struct tv_genmode *gm)
{
	tv_beam_free(gm->beam.b);
	gm->beam.b = NULL;
}

/* Width or length penalty changed: the search starts again (when the
 * lanes are next shown). */
static void
again(struct tv_app *a)
{
	struct tv_beamlane *bl = &a->gen->beam;

	tv_beamlane_drop(a->gen);
	tv_app_note(a, "beam search: B = %u, length penalty %g (score = "
		    "sum of ln p / length^%g)", bl->width, bl->alpha,
		    bl->alpha);
}

static void
next_alpha(struct tv_beamlane *bl)
{
	int i;

	for (i = 0; i < N_ALPHA - 1 && alphas[i] != bl->alpha; i++)
		;
	bl->alpha = alphas[(i + 1) % N_ALPHA];
}

int
tv_beamlane_action(struct tv_app *a, int act)
{
	struct tv_genmode *gm = a->gen;
	struct tv_beamlane *bl = &gm->beam;

	if (!bl->width) {
		bl->width = WIDTH_DEFAULT;
		bl->alpha = alphas[0];
	}
	switch (act) {
	case TV_UI_GEN_BEAM:
		bl->on = !bl->on;
		/* The beams stand in the lanes: they show with them. */
		gm->lanes |= bl->on;
		if (bl->on)
			again(a);
		return 1;
	case TV_UI_GEN_BEAM_WIDER:
	case TV_UI_GEN_BEAM_NARROWER:
		if (act == TV_UI_GEN_BEAM_WIDER && bl->width < TV_BEAM_MAX)
			bl->width++;
		else if (act == TV_UI_GEN_BEAM_NARROWER && bl->width > 1)
			bl->width--;
		again(a);
		return 1;
	case TV_UI_GEN_BEAM_ALPHA:
		next_alpha(bl);
		again(a);
		return 1;
	}
	return 0;
}
