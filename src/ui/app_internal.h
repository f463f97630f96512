/* SPDX-License-Identifier: MIT */
/*
 * The application state behind app.h, shared by app.c, the loop (tui.c)
 * and the views. Everything on screen is a function of struct tv_app:
 * actions (action.h) change it, views render it into a frame.
 *
 * Adding a view (the thermo and attention views are written this way):
 *
 *   1. Define, in src/ui/view_NAME.c, a non-static
 *
 *        const struct tv_view_ops tv_view_NAME_ops = {
 *                .name = "NAME", .render = ..., .action = ...,
 *                .tick = ..., .animating = ..., .changed = ...,
 *                .fini = ...,
 *        };
 *
 *      Only .name and .render are required; leave the others NULL.
 *      Add the view to enum tv_view (app.h), to the names and the
 *      registry tv_app_view_ops in app.c, and declare its ops below.
 *   2. Keep the view's own state behind the slot struct tv_app gives it
 *      (a->thermo, a->attn): allocate it on first use (render, action or
 *      tick), free it in .fini. The slot types are opaque here and defined
 *      in the view's .c file, so nothing else depends on them.
 *   3. Its keys are rows of TV_ACTIONS in action.h with the view's scope;
 *      .action receives them (an enum tv_action) and returns 1 when it
 *      changed something (the screen is redrawn), 0 when not handled.
 *   4. A view talks to the app only through its ops and the functions
 *      declared here (the app's interface: tv_app_*, tv_dial_*, the
 *      shared dials of dials.c), never to another view: nothing in a
 *      view_*.c calls a function defined in another view_*.c, and app.c
 *      reaches views only through their ops (tests/unit/layers.sh, run
 *      by make test, checks it).
 *
 * tv_view_thermo_ops and tv_view_attention_ops are declared weak: a build
 * without their files still links, and the registry shows a notice in
 * their place instead of crashing.
 */
#ifndef TEMPVIZ_APP_INTERNAL_H
#define TEMPVIZ_APP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "io/source.h"
#include "tempviz/dist.h"
#include "tempviz/pipeline.h"
#include "tempviz/rng.h"
#include "ui/app.h"
#include "ui/frame.h"
#include "ui/widgets.h"

struct tv_app;

struct tv_view_ops {
	const char *name;
	/* Draw the state into r (the body: the header and footer belong to
	 * the app). May fill caches in the app; must not change what the
	 * user sees elsewhere. */
	void (*render)(struct tv_app *a, struct tv_frame *f, struct tv_rect r);
	/* An action of the view's scope; 1 when handled (redraw), else 0. */
	int (*action)(struct tv_app *a, int action);
	/* Advance an animation by dt_ms; called only while .animating says
	 * so and the view is shown. Sets a->dirty when the picture moved. */
	void (*tick)(struct tv_app *a, double dt_ms);
	/* 1 while the view wants ticks (the loop then waits with a frame
	 * timeout instead of blocking). */
	int (*animating)(const struct tv_app *a);
	/* The distribution or the dials changed (a TV_CHG_* mask), after
	 * the result was recomputed: drop what was derived from the old
	 * one. Called for every view, shown or not. */
	void (*changed)(struct tv_app *a, unsigned what);
	/* Release the view's slot state; called once by tv_app_free. */
	void (*fini)(struct tv_app *a);
	/* The header's temperature when the view shows another than the
	 * dial's (thermo inverted: T = -dial): 1 with the text in buf. */
	int (*temp_label)(const struct tv_app *a, char *buf, size_t cap);
	/* The user switches to another view (not to help). */
	void (*leave)(struct tv_app *a);
};

extern const struct tv_view_ops tv_view_explore_ops;
extern const struct tv_view_ops tv_view_pipeline_ops;
extern const struct tv_view_ops tv_view_sample_ops;
extern const struct tv_view_ops tv_view_curves_ops;
extern const struct tv_view_ops tv_view_help_ops;
extern const struct tv_view_ops tv_view_generate_ops;
extern const struct tv_view_ops tv_view_thermo_ops __attribute__((weak));
extern const struct tv_view_ops tv_view_attention_ops __attribute__((weak));

/* The ops of a view, or NULL when it is not built in. */
const struct tv_view_ops *tv_app_view_ops(enum tv_view v);

/* The dials: every sampling parameter a key can turn. */
enum tv_dial_id {
	TV_DIAL_TEMP,
	TV_DIAL_TOP_K,
	TV_DIAL_TOP_P,
	TV_DIAL_MIN_P,
	TV_DIAL_TYPICAL,
	TV_DIAL_TOP_N_SIGMA,
	TV_DIAL_XTC_THRESHOLD,
	TV_DIAL_XTC_PROBABILITY,
	TV_DIAL_DYNATEMP_RANGE,
	TV_DIAL_DYNATEMP_EXP,
	TV_DIAL_MIN_KEEP,
	TV_DIAL_TOP_A,
	TV_DIAL_TFS,
	TV_DIAL_MIROSTAT,
	TV_DIAL_MIROSTAT_TAU,
	TV_DIAL_MIROSTAT_ETA,
	TV_DIAL_REPEAT_PENALTY,
	TV_DIAL_REPEAT_LAST_N,
	TV_DIAL_FREQ_PENALTY,
	TV_DIAL_PRESENCE_PENALTY,
	TV_DIAL_DRY_MULTIPLIER,
	TV_DIAL_DRY_BASE,
	TV_DIAL_DRY_ALLOWED_LENGTH,
	TV_DIAL_DRY_PENALTY_LAST_N,
	TV_DIAL_SMOOTHING_FACTOR,
	TV_DIAL_SMOOTHING_CURVE,
	TV_DIAL__COUNT
};

/* The temperature dial's range; 0 is greedy. */
#define TV_T_MIN 0.01
#define TV_T_MAX 100.0

/* The small input line where an exact dial value is typed. */
struct tv_input {
	int open;
	enum tv_dial_id dial;
	char buf[24];
	int len;
	char err[96];           /* why the last value was refused */
};

/* Recent draws shown in the ticker, newest last. */
#define TV_TICKER_LEN 48

/* The sample view: seeded draws from the final distribution. Counts are
 * by position in d->order, the tail at index d->n; they are cleared
 * whenever the distribution changes, so the histogram always compares
 * draws with the distribution they came from. Owned by view_sample.c. */
struct tv_sample_state {
	struct tv_rng rng;
	int ready;              /* alias table built for the current result */
	uint32_t n_w;           /* outcomes (tv_result_outcomes) */
	double *w;
	struct tv_alias alias;
	uint64_t *count;        /* n_count = d->n + 1 entries, or NULL
	                           before the first draw */
	size_t n_count;
	uint64_t total;
	uint32_t ticker[TV_TICKER_LEN];
	int ticker_n;
	int drip;               /* draws keep coming while shown */
	double drip_ms;         /* time since the last drip draw */
};

/* Curves over log T, recomputed only when a parameter other than T (or
 * the chain, or the source position) changes. */
#define TV_CURVE_N 160
#define TV_CURVE_T_LO 0.01
#define TV_CURVE_T_HI 100.0

struct tv_curves {
	int valid;
	int block;              /* block glyphs instead of braille */
	double t[TV_CURVE_N];
	double entropy[TV_CURVE_N];     /* bits */
	double top1[TV_CURVE_N];
	double kept[TV_CURVE_N];
};

/* What a change touches, for tv_app_changed. */
enum {
	TV_CHG_TEMP = 1 << 0,   /* only the temperature */
	TV_CHG_PARAMS = 1 << 1, /* any other parameter */
	TV_CHG_CHAIN = 1 << 2,  /* profile or order */
	TV_CHG_SOURCE = 1 << 3, /* the distribution itself */
};

/* Opaque state of the thermo and attention views (defined by them). */
struct tv_thermo_state;
struct tv_attn_state;
/* Generate mode (genmode.h): NULL when the app has no language model. */
struct tv_genmode;
/* The sources the app loaded and the picker over them (picker.h), and
 * the take-home overlay (takehome.h): NULL until first used. */
struct tv_picker;
struct tv_takehome;
/* The talk player (talkmode.h): NULL outside `tempviz present`. */
struct tv_talkmode;
/* The A/B split (abmode.h): NULL until first split. */
struct tv_abmode;
/* The samplers with memory on the app's copy (memmode.h): NULL until
 * one acts. */
struct tv_memmode;

struct tv_app {
	const struct tv_source *src;
	uint32_t pos;                   /* current position in src */
	const struct tv_dist *base;     /* src->pos + pos, or the model's
	                                   next word: as the source gives it */
	unsigned base_serial;           /* counts changes of *base */
	const struct tv_dist *d;        /* what the views show: base, or
	                                   base under the samplers with
	                                   memory (memmode.h) */
	unsigned d_serial;              /* counts changes of *d: a model's
	                                   next word, or a new setting of the
	                                   penalties, changes it at the same
	                                   address */
	struct tv_params par;
	struct tv_chain chain;
	struct tv_result res;
	struct tv_ui_opts opts;
	struct tv_look look;            /* colour tier and glyph set */

	enum tv_view view;
	enum tv_view back;              /* where help returns to */
	enum tv_dial_id focus;
	int all_dials;                  /* show every dial, not only the
	                                   ones switched on */
	int energy;                     /* explore: E = z_max - z labels */
	int zoom;                       /* explore: full width is the largest
	                                   p shown, not 100% */
	struct {
		uint32_t top;           /* explore: first token row shown */
		uint32_t shown, below;  /* rows shown, tokens under them (at
		                           the last render; 0 before one) */
	} list;
	int stage_focus;                /* pipeline: focused chain index */
	int help_top;                   /* help: first line shown */

	struct tv_input input;
	uint32_t seed;                  /* the draws' seed (--seed; r in the
	                                   sample view reseeds) */
	struct tv_sample_state smp;
	struct tv_curves curves;
	struct tv_thermo_state *thermo;
	struct tv_attn_state *attn;
	struct tv_genmode *gen;
	struct tv_picker *picker;
	struct tv_takehome *takehome;
	int screen_w, screen_h;         /* the size of the last frame
	                                   rendered (a saved screen's) */
	struct tv_talkmode *talk;
	struct tv_abmode *ab;
	struct tv_memmode *mem;

	char msg[160];                  /* one status line, until next key */
	int dirty;                      /* the screen must be redrawn */
	int quit;
};

/* The style a theme role has in the app's look: what every view and the
 * chrome draw with. */
static inline struct tv_style
tv_st(const struct tv_app *a, enum tv_role role)
{
	return tv_look_style(&a->look, role);
}

/* Recompute the result after a change (a TV_CHG_* mask): clears the
 * draw counts, and the curve cache unless only T moved. */
void tv_app_changed(struct tv_app *a, unsigned what);
/* Show another distribution (a position of the source, the model's next
 * word): every view hears of it (.changed) and the result is recomputed.
 * The old one need not be valid any more. */
void tv_app_set_dist(struct tv_app *a, const struct tv_dist *d);
/* Set T (clamped to 0 .. TV_T_MAX; thermo's negative T stays in its own
 * state) and recompute. */
void tv_app_set_temp(struct tv_app *a, double t);
/* A one-line note in the footer until the next key. */
void tv_app_note(struct tv_app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A key from the terminal: the input line's text, or the action the key
 * triggers in the current view. Returns 1 when the screen changed. */
int tv_app_key(struct tv_app *a, int key);
/* Apply one action (an enum tv_ui_action); 1 when the screen changed. */
int tv_app_apply(struct tv_app *a, int action);
/* Whether the shown view animates, and one step of it. */
int tv_app_animating(const struct tv_app *a);
void tv_app_tick(struct tv_app *a, double dt_ms);

/* The frame as tv_app_render draws it without a talk's caption. */
void tv_app_render_plain(struct tv_app *a, struct tv_frame *f);

/* Minimum terminal size for the interactive views. */
#define TV_MIN_W 60
#define TV_MIN_H 18

/* The dial model (app.c): what one dial shows. */
struct tv_dial_state {
	const char *name;       /* "T", "top-k", ... */
	char text[48];          /* the value as shown: "0.70 natural", "off" */
	double value, lo, hi;   /* for the track */
	int log;                /* the track is on a log scale */
	int off;                /* the sampler is switched off */
	int absent;             /* its stage is not in the active chain */
	int bands;              /* the temperature bands go on its track */
};
void tv_dial_get(const struct tv_app *a, enum tv_dial_id id,
		 struct tv_dial_state *out);
/* 1 when the dial is on screen: the four main ones, the others when
 * switched on or when every dial is shown. */
int tv_dial_shown(const struct tv_app *a, enum tv_dial_id id);
/* The regime word of a temperature: frozen, cool, natural, warm, hot,
 * molten. */
const char *tv_temp_regime(double t);

/* Draw the shown dials in a grid filling r's width (dials.c, shared by
 * the views); returns the rows used. */
int tv_dials_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r);
/* The presentation header (bighead.c): T and the entropy in block
 * digits at the top of r when --big or B asked and there is room;
 * returns the rows used, 0 when none. */
int tv_big_header(struct tv_app *a, struct tv_frame *f, struct tv_rect r);

/* The token the model chose at this position of a saved response: 0
 * when the source does not say; else 1 with *pos its position in the
 * order, or TV_POS_TAIL when it is not among the listed tokens. */
int tv_app_chosen(const struct tv_app *a, uint32_t *pos);

/* Display form of the token at position pos (or the tail), safe and
 * clipped to maxw columns; returns its width. */
int tv_app_token(const struct tv_app *a, uint32_t pos, char *buf,
		 size_t cap, int maxw);

#endif
