/* SPDX-License-Identifier: MIT */
/*
 * Every action, in one table: its name, the scope where its keys work,
 * its help text and its default keys. The enum, the key map, the help
 * view and the README's key table are all generated from TV_ACTIONS, so
 * they cannot drift apart (tig's request table).
 *
 * A row is _(ID, SCOPE, "name", "help text", key, key, ...): keys are
 * TV_KEY_* codes or characters. A key may appear in two scopes (r reseeds
 * in the sample view and re-rolls in the attention view) but never twice
 * where both scopes apply; test_views checks that.
 *
 * Actions of a view's own scope are handed to that view's ops->action.
 */
#ifndef TEMPVIZ_ACTION_H
#define TEMPVIZ_ACTION_H

#include <stddef.h>

#include "ui/app.h"
#include "ui/term.h"

#define TV_SCOPES(_) \
	_(GLOBAL,    "Everywhere") \
	_(DIALS,     "Dials (every view but help)") \
	_(INPUT,     "Typing a value") \
	_(EXPLORE,   "Explore") \
	_(PIPELINE,  "Pipeline") \
	_(SAMPLE,    "Sample") \
	_(CURVES,    "Curves") \
	_(THERMO,    "Thermo") \
	_(ATTENTION, "Attention") \
	_(LM,        "Language model (with --lm; every view but help)") \
	_(PROMPT,    "Editing the prompt") \
	_(GENERATE,  "Generate") \
	_(BRANCH,    "Branch mode (generate, b)") \
	_(PICKER,    "Switching the source (letters jump to a name)") \
	_(TAKEHOME,  "Take it home") \
	_(TALK,      "Talk player (tempviz present)") \
	_(HELP,      "Help")

enum tv_scope {
#define TV_SCOPE_ENUM(id, title) TV_SCOPE_##id,
	TV_SCOPES(TV_SCOPE_ENUM)
#undef TV_SCOPE_ENUM
	TV_SCOPE__COUNT
};

#define TV_ACTIONS(_) \
	_(QUIT, GLOBAL, "quit", "Quit tempviz", 'q') \
	_(HELP, GLOBAL, "help", "Show or close this help", '?', TV_KEY_F1) \
	_(VIEW_NEXT, GLOBAL, "view-next", "Next view", TV_KEY_TAB) \
	_(VIEW_PREV, GLOBAL, "view-prev", "Previous view", TV_KEY_BTAB) \
	_(PROFILE, GLOBAL, "profile", \
	  "Next engine profile (hf, llama.cpp, llama3, vllm) and its order", \
	  'p') \
	_(POS_NEXT, GLOBAL, "position-next", \
	  "Next position of a saved response", 'n') \
	_(POS_PREV, GLOBAL, "position-prev", \
	  "Previous position of a saved response", 'N') \
	_(REDRAW, GLOBAL, "redraw", "Repaint the whole screen", \
	  TV_KEY_CTRL('l')) \
	_(SOURCE, GLOBAL, "source", \
	  "Switch the source: a scenario, the file given at start, the " \
	  "model (the dials stay)", 'O') \
	_(SAVE_SCREEN, GLOBAL, "save-screen", \
	  "Save the screen as SVG and text (tempviz-DATE-TIME.svg, .txt)", \
	  'w') \
	_(TAKEHOME, GLOBAL, "take-home", \
	  "Take it home: these settings as tempviz, llama-cli and request " \
	  "flags", 'T') \
	_(DIAL_PREV, DIALS, "dial-prev", "Focus the dial above", \
	  TV_KEY_UP, 'k') \
	_(DIAL_NEXT, DIALS, "dial-next", "Focus the dial below", \
	  TV_KEY_DOWN, 'j') \
	_(DIAL_DEC, DIALS, "dial-down", "Turn the dial down (fine)", \
	  TV_KEY_LEFT, 'h') \
	_(DIAL_INC, DIALS, "dial-up", "Turn the dial up (fine)", \
	  TV_KEY_RIGHT, 'l') \
	_(DIAL_DEC_COARSE, DIALS, "dial-down-coarse", \
	  "Turn the dial down (coarse)", TV_KEY_PGDN, TV_KEY_SLEFT) \
	_(DIAL_INC_COARSE, DIALS, "dial-up-coarse", \
	  "Turn the dial up (coarse)", TV_KEY_PGUP, TV_KEY_SRIGHT) \
	_(DIAL_MIN, DIALS, "dial-min", "Dial to its lowest value", \
	  TV_KEY_HOME) \
	_(DIAL_MAX, DIALS, "dial-max", "Dial to its highest value", \
	  TV_KEY_END) \
	_(DIAL_RESET, DIALS, "dial-reset", \
	  "Reset the dial (T to 1, samplers off)", 'x', TV_KEY_DELETE) \
	_(DIAL_TYPE, DIALS, "dial-type", \
	  "Type a value into the focused dial (0,7 is 0.7)", \
	  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '=') \
	_(DIALS_ALL, DIALS, "dials-all", \
	  "Show every sampler's dial (typical, top-n-sigma, xtc, " \
	  "dynatemp, min-keep, penalties, DRY)", 'a') \
	_(PRESET_FACTUAL, DIALS, "preset-factual", \
	  "Preset: factual (T = 0.2; Shift-1 on a US keyboard)", '!') \
	_(PRESET_BALANCED, DIALS, "preset-balanced", \
	  "Preset: balanced (T = 0.7)", '@') \
	_(PRESET_CREATIVE, DIALS, "preset-creative", \
	  "Preset: creative (T = 1.0)", '#') \
	_(PRESET_EXPERIMENTAL, DIALS, "preset-experimental", \
	  "Preset: experimental (T = 1.7)", '$') \
	_(INPUT_APPLY, INPUT, "input-apply", "Apply the typed value", \
	  TV_KEY_ENTER) \
	_(INPUT_CANCEL, INPUT, "input-cancel", "Cancel typing", TV_KEY_ESC) \
	_(INPUT_ERASE, INPUT, "input-erase", "Erase the last character", \
	  TV_KEY_BACKSPACE) \
	_(ENERGY, EXPLORE, "energy", \
	  "Energy view: label bars by E = z_max - z (Boltzmann form)", 'e') \
	_(ZOOM, EXPLORE, "zoom", \
	  "Bars: full width is 100% or the largest p shown (zoom)", 'z') \
	_(LIST_DOWN, EXPLORE, "list-down", \
	  "Scroll the token list down a row", 'J', TV_KEY_SDOWN) \
	_(LIST_UP, EXPLORE, "list-up", "Scroll the token list up a row", \
	  'K', TV_KEY_SUP) \
	_(LIST_PGDN, EXPLORE, "list-page-down", \
	  "Scroll the token list down a page", '}') \
	_(LIST_PGUP, EXPLORE, "list-page-up", \
	  "Scroll the token list up a page", '{') \
	_(AB_SPLIT, EXPLORE, "ab-split", \
	  "A/B split: two dial sets over the distribution (toggle)", 'v') \
	_(AB_SWITCH, EXPLORE, "ab-switch", \
	  "A/B: the dials turn the other pane", 'o') \
	_(AB_COPY, EXPLORE, "ab-copy", "A/B: copy A's settings to B", 'C') \
	_(BIG, EXPLORE, "big", \
	  "Big type: T and entropy in block digits (projector)", 'B') \
	_(STAGE_PREV, PIPELINE, "stage-prev", "Focus the stage to the left", \
	  '[') \
	_(STAGE_NEXT, PIPELINE, "stage-next", \
	  "Focus the stage to the right", ']') \
	_(STAGE_EARLIER, PIPELINE, "stage-earlier", \
	  "Move the focused stage earlier in the chain", '<') \
	_(STAGE_LATER, PIPELINE, "stage-later", \
	  "Move the focused stage later in the chain", '>') \
	_(DRAW_ONE, SAMPLE, "draw", "Draw one token", ' ') \
	_(DRAW_MANY, SAMPLE, "draw-1000", "Draw a thousand tokens", 't') \
	_(DRIP, SAMPLE, "drip", "Keep drawing, a few a second (toggle)", \
	  'd') \
	_(RESEED, SAMPLE, "reseed", "Next seed (clears the draws)", 'r') \
	_(CLEAR, SAMPLE, "clear", "Clear the draws (same seed)", 'c') \
	_(PLOT_MODE, CURVES, "plot-mode", "Braille or block plots", 'b') \
	_(QUENCH, THERMO, "quench", "Quench: drop T to 0.05 at once", 'Q') \
	_(ANNEAL, THERMO, "anneal", "Anneal: lower T slowly (toggle)", 'A') \
	_(HEAT, THERMO, "heat", "Heat: raise T slowly (toggle)", 'H') \
	_(INVERT, THERMO, "invert", \
	  "Invert: T = -dial, population inversion (hotter than " \
	  "infinity); i again returns", \
	  'i') \
	_(PARTICLES_MORE, THERMO, "particles-more", "More particles", '+') \
	_(PARTICLES_LESS, THERMO, "particles-less", "Fewer particles", '-') \
	_(PROPOSAL, THERMO, "proposal", \
	  "Proposal: uniform, neighbour or heat bath", 'm') \
	_(LEVEL_AXIS, THERMO, "level-axis", \
	  "Energy axis: to scale or by rank", 'y') \
	_(PAUSE, THERMO, "pause", "Pause or run the particles", ' ') \
	_(DK_UP, ATTENTION, "dk-up", "Larger key dimension d_k", ']') \
	_(DK_DOWN, ATTENTION, "dk-down", "Smaller key dimension d_k", '[') \
	_(REROLL, ATTENTION, "reroll", "New random query and keys", 'r') \
	_(PROMPT_EDIT, LM, "prompt", \
	  "Edit the prompt in place (the bars follow each key)", '/') \
	_(PROMPT_NEXT, LM, "prompt-next", \
	  "Next suggested prompt (ones a trigram continues well)", 's') \
	_(SERVER_CANCEL, LM, "server-cancel", \
	  "Cancel the request to --server (the last distribution stays)", \
	  TV_KEY_ESC) \
	_(SERVER_RECORD, LM, "server-record", \
	  "Write every distribution fetched from --server so far as " \
	  "tempviz-logits JSON (tempviz-DATE-TIME-record.json, or --record)", \
	  'W') \
	_(PROMPT_APPLY, PROMPT, "prompt-keep", "Keep the prompt", \
	  TV_KEY_ENTER) \
	_(PROMPT_CANCEL, PROMPT, "prompt-restore", \
	  "Restore the prompt (an edit starts the text again)", TV_KEY_ESC) \
	_(PROMPT_ERASE, PROMPT, "prompt-erase", "Erase the last character", \
	  TV_KEY_BACKSPACE) \
	_(PROMPT_ERASE_WORD, PROMPT, "prompt-erase-word", \
	  "Erase the last word", TV_KEY_CTRL('w')) \
	_(PROMPT_CLEAR, PROMPT, "prompt-clear", "Erase the whole prompt", \
	  TV_KEY_CTRL('u')) \
	_(PROMPT_SUGGEST, PROMPT, "prompt-suggest", \
	  "Replace it with the next suggested prompt", TV_KEY_TAB) \
	_(GEN_STEP, GENERATE, "word", "Write one word", ' ') \
	_(GEN_RUN, GENERATE, "run", \
	  "Run or pause: a word every few frames", TV_KEY_ENTER) \
	_(GEN_UNDO, GENERATE, "undo", "Take back the last word", 'u', \
	  TV_KEY_BACKSPACE) \
	_(GEN_RESTART, GENERATE, "restart", \
	  "Back to the prompt (same seed: the same dials write the same " \
	  "text)", 'c') \
	_(GEN_RESEED, GENERATE, "reseed", "Next seed, from the prompt", 'r') \
	_(GEN_LANES, GENERATE, "lanes", \
	  "Lanes: the prompt at T = 0, the dial's T and a hot T, same seed", \
	  'L') \
	_(GEN_HOT, GENERATE, "hot", \
	  "The hot lane's T: 2, 3, 5, 1.5", 'H') \
	_(GEN_RANKS, GENERATE, "ranks", \
	  "Show each word's rank (1 = the most likely; * a picked word)", \
	  'R') \
	_(GEN_MOVES, GENERATE, "pushed-next", \
	  "The next word the penalties or DRY pushed down: the text marks " \
	  "the earlier words that made it", 'm') \
	_(GEN_BRANCH, GENERATE, "branch", \
	  "Branch mode: a cursor on the words, another candidate at any of " \
	  "them, a tree of branches", 'b') \
	_(GEN_BEAM, GENERATE, "beam", \
	  "Beam lane: beam search in the hot lane's place (the lanes show)", \
	  'B') \
	_(GEN_BEAM_WIDER, GENERATE, "beam-wider", \
	  "Beam search: one beam more (up to 8)", '+') \
	_(GEN_BEAM_NARROWER, GENERATE, "beam-narrower", \
	  "Beam search: one beam fewer (down to 1, greedy on the sums)", '-') \
	_(GEN_BEAM_ALPHA, GENERATE, "beam-length-penalty", \
	  "Beam search: the length penalty alpha, 1, 2, 0, -1 (HF's: a " \
	  "finished text scores its sum of ln p / length^alpha)", 'A') \
	_(BRANCH_LEFT, BRANCH, "branch-word-left", "The word before", \
	  TV_KEY_LEFT, 'h') \
	_(BRANCH_RIGHT, BRANCH, "branch-word-right", "The word after", \
	  TV_KEY_RIGHT, 'l') \
	_(BRANCH_FIRST, BRANCH, "branch-word-first", "The first word", \
	  TV_KEY_HOME) \
	_(BRANCH_LAST, BRANCH, "branch-word-last", "The last word", \
	  TV_KEY_END) \
	_(BRANCH_UP, BRANCH, "branch-candidate-up", \
	  "The candidate above (more likely)", TV_KEY_UP, 'k') \
	_(BRANCH_DOWN, BRANCH, "branch-candidate-down", \
	  "The candidate below (less likely)", TV_KEY_DOWN, 'j') \
	_(BRANCH_PICK, BRANCH, "branch-candidate", \
	  "Candidate 1 to 10 of the word's step (0 is the 10th)", \
	  '1', '2', '3', '4', '5', '6', '7', '8', '9', '0') \
	_(BRANCH_MAKE, BRANCH, "branch-make", \
	  "Branch here: the chosen candidate in place of the word, the text " \
	  "written on from it (or the branch that has it shown)", \
	  TV_KEY_ENTER) \
	_(BRANCH_NEXT, BRANCH, "branch-next", \
	  "The next branch of the tree", ']', TV_KEY_PGDN) \
	_(BRANCH_PREV, BRANCH, "branch-prev", \
	  "The previous branch of the tree", '[', TV_KEY_PGUP) \
	_(BRANCH_PARENT, BRANCH, "branch-parent", \
	  "Back to the branch this one left, at the word where it left it", \
	  TV_KEY_BACKSPACE, 'u') \
	_(BRANCH_CLOSE, BRANCH, "branch-close", \
	  "Leave branch mode (the branch shown stays the text)", \
	  TV_KEY_ESC, 'b', 'q') \
	_(PICK_UP, PICKER, "pick-up", "The source above", TV_KEY_UP) \
	_(PICK_DOWN, PICKER, "pick-down", "The source below", TV_KEY_DOWN) \
	_(PICK_PGUP, PICKER, "pick-page-up", "A page up", TV_KEY_PGUP) \
	_(PICK_PGDN, PICKER, "pick-page-down", "A page down", TV_KEY_PGDN) \
	_(PICK_FIRST, PICKER, "pick-first", "The first source", TV_KEY_HOME) \
	_(PICK_LAST, PICKER, "pick-last", "The last source", TV_KEY_END) \
	_(PICK_CHOOSE, PICKER, "pick-open", \
	  "Show it (a file that fails to load leaves the shown one)", \
	  TV_KEY_ENTER) \
	_(PICK_CANCEL, PICKER, "pick-cancel", "Keep the shown source", \
	  TV_KEY_ESC) \
	_(TAKEHOME_UP, TAKEHOME, "take-home-up", "Scroll up", TV_KEY_UP) \
	_(TAKEHOME_DOWN, TAKEHOME, "take-home-down", "Scroll down", \
	  TV_KEY_DOWN) \
	_(TAKEHOME_CLOSE, TAKEHOME, "take-home-close", "Close", TV_KEY_ESC, \
	  TV_KEY_ENTER, 'T', 'q') \
	_(TALK_NEXT, TALK, "talk-next", \
	  "Next step (what presentation clickers send)", TV_KEY_RIGHT, ' ', \
	  TV_KEY_PGDN, TV_KEY_DOWN) \
	_(TALK_PREV, TALK, "talk-prev", "Previous step", TV_KEY_LEFT, \
	  TV_KEY_PGUP, TV_KEY_UP) \
	_(TALK_FIRST, TALK, "talk-first", "First step", TV_KEY_HOME) \
	_(TALK_LAST, TALK, "talk-last", "Last step", TV_KEY_END) \
	_(TALK_DIGIT, TALK, "talk-number", \
	  "Type a step number (Enter jumps there)", \
	  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9') \
	_(TALK_JUMP, TALK, "talk-jump", "Jump to the typed step", \
	  TV_KEY_ENTER) \
	_(TALK_BLANK, TALK, "talk-blank", \
	  "Blank the screen (again, or a step key, shows it)", 'b') \
	_(TALK_PAUSE, TALK, "talk-pause", "Pause or resume the animation", \
	  'p') \
	_(TALK_EXPLORE, TALK, "talk-explore", \
	  "Hand the dials to the speaker: explore freely", TV_KEY_ESC) \
	_(TALK_RESUME, TALK, "talk-resume", \
	  "Back to the talk at the same step, as the script sets it " \
	  "(while exploring)", TV_KEY_F(5)) \
	_(HELP_UP, HELP, "help-up", "Scroll up", TV_KEY_UP, 'k') \
	_(HELP_DOWN, HELP, "help-down", "Scroll down", TV_KEY_DOWN, 'j') \
	_(HELP_PGUP, HELP, "help-page-up", "Scroll a page up", TV_KEY_PGUP) \
	_(HELP_PGDN, HELP, "help-page-down", "Scroll a page down", \
	  TV_KEY_PGDN, ' ') \
	_(HELP_CLOSE, HELP, "help-close", "Close help", TV_KEY_ESC)

enum tv_ui_action {
	TV_UI_NONE = -1,
#define TV_UIA_ENUM(id, ...) TV_UI_##id,
	TV_ACTIONS(TV_UIA_ENUM)
#undef TV_UIA_ENUM
	TV_UI__COUNT
};

struct tv_action_info {
	const char *name;
	enum tv_scope scope;
	const char *help;
	const int *keys;          /* terminated by 0 */
};

const struct tv_action_info *tv_action_info(enum tv_ui_action act);
const char *tv_scope_title(enum tv_scope s);
/* input for tv_scope_applies and tv_action_for_key: the prompt editor
 * is open (1 is the dial's input line, 0 neither), the source picker,
 * the take-home overlay, branch mode. */
#define TV_INPUT_PROMPT 2
#define TV_INPUT_PICKER 3
#define TV_INPUT_TAKEHOME 4
#define TV_INPUT_BRANCH 5

/* 1 when actions of scope s work in view v (input: the input line is
 * open, which hides the dials' keys and shows the line's own). */
int tv_scope_applies(enum tv_scope s, enum tv_view v, int input);
/* The action a key triggers in view v, or TV_UI_NONE. */
enum tv_ui_action tv_action_for_key(int key, enum tv_view v, int input);
/* A key's name as shown in help ("Left", "PgUp", "Space", "q"). */
const char *tv_key_name(int key, char *buf, size_t cap);
/* The key a name of tv_key_name's form stands for ("Right", "Space",
 * "Ctrl-l", "F1", "q", and "lt" for '<'), or -1. */
int tv_key_parse(const char *name, size_t len);
/* All keys of an action, joined by ", ", into buf. */
const char *tv_action_keys(enum tv_ui_action act, char *buf, size_t cap);

#endif
