/* SPDX-License-Identifier: MIT */
/*
 * Generate mode's state and actions (genmode.h): the main text and its
 * lanes, stepping, undo, restart and reseed, the run animation, and what
 * a server answers later. The prompt and its editor are promptedit.c's.
 */
#include "ui/genmode.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "io/safetext.h"
#include "lm/server.h"
#include "tempviz/history.h"
#include "ui/action.h"
#include "ui/shot.h"

/* The hot lane's temperatures, in the order its key steps through. */
static const double hot_temps[] = { 2.0, 3.0, 5.0, 1.5 };
#define N_HOT ((int)(sizeof hot_temps / sizeof *hot_temps))

int
tv_genmode_running(const struct tv_app *a)
{
	return a->gen && a->gen->running;
}

double
tv_genmode_lane_temp(const struct tv_app *a, int i)
{
	if (i == TV_LANE_GREEDY && a->gen)
		return a->gen->cold;
	if (i == TV_LANE_HOT && a->gen)
		return a->gen->hot;
	return a->par.temp;
}

int
tv_genmode_plain_cold(const struct tv_app *a)
{
	struct tv_params p = a->par;

	return tv_gen_plain_lane(&p, a->chain.rules);
}

int
tv_genmode_beam_shown(const struct tv_app *a)
{
	return a->gen && a->gen->lanes && a->gen->beam.on;
}

/* ------------------------------------------------------------- lanes --- */

static struct tv_gen *
main_text(const struct tv_genmode *gm)
{
	return gm->lane[TV_LANE_DIAL];
}

/* The app's distribution follows the main text's context: 0, 1 while a
 * server answers (the last one stays shown), -1 when it failed (said). */
static int
sync_dist(struct tv_app *a)
{
	struct tv_error err = { "" };
	struct tv_gen *g = main_text(a->gen);
	const struct tv_dist *d = tv_gen_dist(g, &err);

	if (!d && tv_gen_pending(g)) {
		a->gen->waiting = 1;
		return 1;
	}
	if (!d) {
		tv_app_note(a, "%s", err.msg[0] ? err.msg : "the model failed");
		return -1;
	}
	tv_app_set_dist(a, d);
	/* The text the screen showed before a new prompt is done with. */
	tv_gen_free(a->gen->shown);
	a->gen->shown = NULL;
	return 0;
}

/* One word on lane i: 0, 1 while a server answers, -1 (said). */
static int
lane_step(struct tv_app *a, int i)
{
	struct tv_genmode *gm = a->gen;
	struct tv_params p = a->par;
	struct tv_error err = { "" };
	int r;

	if (tv_gen_len(gm->lane[i]) >= TV_GEN_MAX_WORDS)
		return -1;
	p.temp = tv_genmode_lane_temp(a, i);
	if (i == TV_LANE_GREEDY)
		tv_gen_plain_lane(&p, a->chain.rules);
	r = tv_gen_step(gm->lane[i], &a->chain, &p, &err);
	if (r == 0)
		return 0;
	if (r == TV_MODEL_PENDING) {
		gm->waiting = 1;
		return 1;
	}
	tv_app_note(a, "%s", err.msg[0] ? err.msg : "the model failed");
	gm->running = 0;
	return -1;
}

/* A side lane from the prompt, written as long as the main text. */
static void
side_lane(struct tv_app *a, int i)
{
	struct tv_genmode *gm = a->gen;
	size_t n = tv_gen_len(main_text(gm));

	if (!gm->lane[i])
		gm->lane[i] = tv_gen_new(gm->m, gm->prompt, a->seed);
	if (!gm->lane[i]) {
		tv_app_note(a, "out of memory");
		gm->lanes = 0;
		return;
	}
	while (tv_gen_len(gm->lane[i]) < n && lane_step(a, i) == 0)
		;
}


static void
drop_side_lanes(struct tv_genmode *gm)
{
	tv_gen_free(gm->lane[TV_LANE_GREEDY]);
	tv_gen_free(gm->lane[TV_LANE_HOT]);
	gm->lane[TV_LANE_GREEDY] = gm->lane[TV_LANE_HOT] = NULL;
}

/* The cold lane, then the hot one or the beam lane in its place; each
 * waits while another waits for a server. */
static void
show_side_lanes(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;

	if (!gm->lanes)
		return;
	side_lane(a, TV_LANE_GREEDY);
	if (gm->waiting)
		return;
	if (gm->beam.on)
		tv_beamlane_show(a);
	else
		side_lane(a, TV_LANE_HOT);
}

/*
 * Bring the text where the last action wants it: the main text written
 * up to its goal (the word asked for, or a branch as long as the text it
 * left), the side lanes shown up to its length, and the app's
 * distribution its context's. A server that is still answering stops
 * this where it is; tv_genmode_poll goes on from there.
 */
static void
settle(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	int r;

	gm->waiting = 0;
	while (gm->goal > tv_gen_len(main_text(gm))) {
		r = lane_step(a, TV_LANE_DIAL);
		if (r == 1)
			return;
		if (r < 0)
			break;
	}
	gm->goal = 0;
	show_side_lanes(a);
	if (!gm->waiting)
		sync_dist(a);
}

/* A new action drops what a server was asked for the last one. */
static void
drop_request(struct tv_genmode *gm)
{
	if (gm->waiting)
		tv_model_cancel(gm->m);
	gm->waiting = 0;
	gm->goal = 0;
}

void
tv_genmode_set_text(struct tv_app *a, struct tv_gen *g, size_t goal)
{
	struct tv_genmode *gm = a->gen;

	drop_request(gm);
	gm->lane[TV_LANE_DIAL] = g;
	gm->running = 0;
	gm->move = 0;
	gm->goal = goal > tv_gen_len(g) ? goal : 0;
	settle(a);
}

/* The prompt changed: the text starts again from it. */
static int
rebuild(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	struct tv_gen *g = tv_gen_new(gm->m, gm->prompt, a->seed);
	struct tv_gen *old;
	int r;

	tv_branchmode_drop(gm);
	old = main_text(gm);
	gm->stale = 0;
	if (!g) {
		tv_app_note(a, "out of memory");
		return -1;
	}
	drop_request(gm);
	gm->lane[TV_LANE_DIAL] = g;
	r = sync_dist(a);
	if (r < 0) {
		/* The old text's distribution is still the app's. */
		gm->lane[TV_LANE_DIAL] = old;
		tv_gen_free(g);
		return -1;
	}
	/* While a server answers, the screen still shows the old text's
	 * distribution: it lives until the new one comes (unless an older
	 * one is still what is shown). */
	if (r == 1 && !gm->shown)
		gm->shown = old;
	else
		tv_gen_free(old);
	drop_side_lanes(gm);
	tv_beamlane_drop(gm);
	if (!gm->waiting)
		show_side_lanes(a);
	gm->running = 0;
	return 0;
}

/* One word on every lane shown: the main text first, then the others up
 * to its length. */
static int
step(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;

	if (tv_gen_len(main_text(gm)) >= TV_GEN_MAX_WORDS) {
		tv_app_note(a, "%d words: that is the longest text here (c "
			    "restarts, u undoes)", TV_GEN_MAX_WORDS);
		gm->running = 0;
		return 1;
	}
	/* A word already asked for is still on its way. */
	if (gm->goal)
		return 1;
	gm->goal = tv_gen_len(main_text(gm)) + 1;
	settle(a);
	return 1;
}

/* The main text's last word back, with the lanes as long as it (a hidden
 * side lane may lag behind; it keeps its words). */
static void
undo_word(struct tv_genmode *gm)
{
	size_t n = tv_gen_len(main_text(gm));

	for (int i = 0; i < TV_LANES; i++)
		if (gm->lane[i] && tv_gen_len(gm->lane[i]) == n)
			tv_gen_undo(gm->lane[i]);
	tv_beamlane_undo(gm, n);
}

/* The words written past the last distribution the model gave go
 * back, so that the bars are the text's (a failed or cancelled answer). */
static void
take_back(struct tv_genmode *gm)
{
	while (tv_gen_len(main_text(gm)) && !tv_gen_ready(main_text(gm)))
		undo_word(gm);
}

static void
undo(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;

	drop_request(gm);
	if (tv_gen_len(main_text(gm)) == 0) {
		tv_app_note(a, "nothing to undo: only the prompt is left");
		return;
	}
	undo_word(gm);
	gm->running = 0;
	sync_dist(a);
}

static void
restart(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	int i;

	drop_request(gm);
	tv_branchmode_drop(gm);
	for (i = 0; i < TV_LANES; i++)
		if (gm->lane[i])
			tv_gen_restart(gm->lane[i], a->seed);
	tv_beamlane_restart(gm);
	gm->running = 0;
	sync_dist(a);
}

static void
next_hot(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	int i;

	for (i = 0; i < N_HOT - 1 && hot_temps[i] != gm->hot; i++)
		;
	gm->hot = hot_temps[(i + 1) % N_HOT];
	/* Its words so far were drawn at the old T: write them again. */
	tv_gen_free(gm->lane[TV_LANE_HOT]);
	gm->lane[TV_LANE_HOT] = NULL;
	show_side_lanes(a);
	tv_app_note(a, "hot lane: T = %g%s", gm->hot, tv_genmode_beam_shown(a)
		    ? " (the beam lane is in its place: B brings it back)" : "");
}

int
tv_genmode_sync(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;

	return gm && gm->stale ? rebuild(a) : 0;
}

/* ----------------------------------------------------------- actions --- */

static int
no_model(struct tv_app *a)
{
	tv_app_note(a, "no language model: start tempviz with --lm [PATH] or "
		    "--server URL, and --prompt TEXT");
	return 1;
}

/* The next of the words pushed down at the word shown, round to the
 * first after the last; none there is said. */
static void
next_move(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	size_t i = tv_branchmode_shown(a);
	uint32_t n = 0;

	if (i != (size_t)-1)
		tv_gen_moves(main_text(gm), i, &n);
	if (n == 0) {
		tv_app_note(a, "no word was pushed down at this word: the "
			    "penalties and DRY moved none");
		return;
	}
	gm->move = gm->move + 1 < n ? gm->move + 1 : 0;
}

static int
text_action(struct tv_app *a, int act)
{
	struct tv_genmode *gm = a->gen;

	switch (act) {
	case TV_UI_GEN_STEP:
		gm->running = 0;
		return step(a);
	case TV_UI_GEN_RUN:
		gm->running = !gm->running;
		gm->since_ms = TV_GEN_PACE_MS;
		return 1;
	case TV_UI_GEN_UNDO:
		undo(a);
		return 1;
	case TV_UI_GEN_RESTART:
		restart(a);
		tv_app_note(a, "back to the prompt, seed %u", a->seed);
		return 1;
	case TV_UI_GEN_RESEED:
		/* The app's one seed (the header's): the sample view's draws
		 * start again from it too. */
		a->seed++;
		restart(a);
		tv_app_note(a, "seed %u", a->seed);
		return 1;
	case TV_UI_GEN_LANES:
		gm->lanes = !gm->lanes;
		show_side_lanes(a);
		return 1;
	case TV_UI_GEN_HOT:
		next_hot(a);
		return 1;
	case TV_UI_GEN_RANKS:
		gm->ranks = !gm->ranks;
		return 1;
	case TV_UI_GEN_MOVES:
		next_move(a);
		return 1;
	case TV_UI_GEN_BRANCH:
		tv_branchmode_enter(a);
		return 1;
	}
	if (!tv_beamlane_action(a, act))
		return 0;
	show_side_lanes(a);
	return 1;
}

static int
server_cancel(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;

	if (!gm->waiting) {
		tv_app_note(a, "nothing to cancel: no request is on its way");
		return 1;
	}
	drop_request(gm);
	gm->running = 0;
	take_back(gm);
	tv_app_note(a, "cancelled: the last distribution stays");
	return 1;
}

/* A name for the record that is not taken: --record's, or one by the
 * clock as w gives screenshots. */
static int
record_name(const struct tv_app *a, char *buf, size_t cap)
{
	if (a->opts.record) {
		snprintf(buf, cap, "%s", a->opts.record);
		return 0;
	}
	return tv_shot_free_name("-record.json", buf, cap);
}

static int
server_record(struct tv_app *a)
{
	struct tv_error err = { "" };
	char name[PATH_MAX], shown[96];
	uint32_t n = tv_server_fetched(a->gen->m);

	if (!tv_server_is(a->gen->m)) {
		tv_app_note(a, "W records what a --server sent; this model is "
			    "read from a file");
		return 1;
	}
	if (record_name(a, name, sizeof name) != 0) {
		tv_app_note(a, "no free name for the record here");
		return 1;
	}
	tv_safe_text(name, strlen(name), shown, sizeof shown, 60,
		     !a->look.g->utf8);
	if (tv_server_record(a->gen->m, name, &err) != 0)
		tv_app_note(a, "%s", err.msg);
	else
		tv_app_note(a, "%u distribution%s written to %s (tempviz %s "
			    "replays them)", n, n == 1 ? "" : "s", shown, shown);
	return 1;
}

int
tv_genmode_action(struct tv_app *a, int act)
{
	if (!a->gen)
		return no_model(a);
	tv_genmode_sync(a);
	switch (act) {
	case TV_UI_PROMPT_EDIT:
		tv_genmode_edit_open(a->gen);
		return 1;
	case TV_UI_PROMPT_NEXT:
		tv_genmode_suggest(a);
		return 1;
	case TV_UI_SERVER_CANCEL:
		return server_cancel(a);
	case TV_UI_SERVER_RECORD:
		return server_record(a);
	}
	return text_action(a, act);
}

int
tv_genmode_waiting(const struct tv_app *a)
{
	return a->gen && a->gen->waiting;
}

void
tv_genmode_poll(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	struct tv_error err = { "" };
	int r;

	if (!gm || !gm->waiting)
		return;
	r = tv_model_poll(gm->m, &err);
	if (r == 0)
		return;
	a->dirty = 1;
	if (r > 0) {
		settle(a);
		return;
	}
	/* The last good distribution stays, and the words written past it
	 * go back, so that the bars are the text's; the text waits for a
	 * key. */
	gm->waiting = gm->running = 0;
	gm->goal = 0;
	take_back(gm);
	tv_app_note(a, "%s (the last distribution stays; Space asks again)",
		     err.msg);
}

void
tv_genmode_tick(struct tv_app *a, double dt_ms)
{
	struct tv_genmode *gm = a->gen;

	if (!gm || !gm->running || gm->waiting)
		return;
	gm->since_ms += dt_ms;
	/* One word per tick at most: a slow frame never bursts. */
	if (gm->since_ms < TV_GEN_PACE_MS)
		return;
	gm->since_ms = 0;
	step(a);
	a->dirty = 1;
}

int
tv_app_lanes(struct tv_app *a, const double t[3])
{
	struct tv_genmode *gm = a->gen;

	if (!gm)
		return -1;
	gm->cold = t[0];
	gm->hot = t[2];
	tv_app_set_temp(a, t[1]);
	drop_side_lanes(gm);
	gm->lanes = 1;
	show_side_lanes(a);
	return 0;
}

/* ------------------------------------------------------------- setup --- */

void
tv_genmode_free(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	int i;

	if (!gm)
		return;
	tv_branchmode_drop(gm);
	tv_beamlane_drop(gm);
	for (i = 0; i < TV_LANES; i++)
		tv_gen_free(gm->lane[i]);
	tv_gen_free(gm->shown);
	free(gm->prompt);
	free(gm->saved);
	free(gm);
	a->gen = NULL;
}

int
tv_app_use_model(struct tv_app *a, struct tv_model *m, const char *prompt,
		 char *err, size_t cap)
{
	struct tv_genmode *gm = calloc(1, sizeof *gm);

	if (!gm || tv_genmode_prompt_set(gm, prompt ? prompt : "") < 0) {
		free(gm);
		snprintf(err, cap, "out of memory");
		return -1;
	}
	gm->m = m;
	gm->hot = hot_temps[0];
	gm->src = (struct tv_source){ .n_pos = 1, .label = m->name };
	gm->lane[TV_LANE_DIAL] = tv_gen_new(m, gm->prompt, a->seed);
	a->gen = gm;
	if (!gm->lane[TV_LANE_DIAL] || sync_dist(a) < 0) {
		snprintf(err, cap, "%s", a->msg[0] ? a->msg : "out of memory");
		tv_genmode_free(a);
		return -1;
	}
	a->src = &gm->src;
	a->pos = 0;
	return 0;
}
