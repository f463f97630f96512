/* SPDX-License-Identifier: MIT */
/*
 * "Take it home": the dials, profile, order and source as the command
 * lines and request fields that reproduce them elsewhere (tempviz print,
 * llama.cpp's llama-cli, an OpenAI-compatible server such as vLLM), with
 * a note wherever an engine cannot express a setting. A pure function of
 * its input, so it is tested without a screen.
 */
#ifndef TEMPVIZ_RECIPE_H
#define TEMPVIZ_RECIPE_H

#include <stddef.h>
#include <stdint.h>

#include "io/source.h"
#include "tempviz/pipeline.h"

/* What to reproduce. spec names the source as the command line would
 * (at most one of its path, scenario, logits, probs; with vocab and row
 * for .npy); when lm is set the source is a language model instead,
 * lm_path its file and prompt the text before the next word. */
struct tv_recipe_in {
	struct tv_source_spec spec;
	int lm;
	int server;             /* the model is a server at lm_path */
	const char *lm_path;
	const char *prompt;
	uint32_t position;      /* counted from 1; 0 when the source has one
	                           position only */
	const char *history;    /* --history's words, or NULL */
	size_t written;         /* on a model, the words of prompt that
	                           were written, not typed */
	char pane;              /* 'A' or 'B' in the A/B split, else 0 */
	const struct tv_params *par;
	const struct tv_chain *chain;
};

enum tv_recipe_kind {
	TV_RECIPE_HEAD,         /* which engine the lines below are for */
	TV_RECIPE_CMD,          /* a line to copy as it is */
	TV_RECIPE_NOTE,         /* what the engine cannot express */
};

#define TV_RECIPE_LINES 24
#define TV_RECIPE_WIDTH 1536

struct tv_recipe {
	int n;
	struct {
		enum tv_recipe_kind kind;
		char text[TV_RECIPE_WIDTH];
	} line[TV_RECIPE_LINES];
};

void tv_recipe_build(const struct tv_recipe_in *in, struct tv_recipe *out);
/* The first line of out of this kind whose text starts with prefix, or
 * NULL. */
const char *tv_recipe_find(const struct tv_recipe *out,
			   enum tv_recipe_kind kind, const char *prefix);
/* 1 when the chain runs stage k. */
int tv_chain_has(const struct tv_chain *c, enum tv_stage_kind k);
/* The shortest decimal that reads back as exactly v ("0.7", not
 * "0.69999999999999996"). */
void tv_recipe_num(char *buf, size_t cap, double v);

#endif
