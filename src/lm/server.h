/* SPDX-License-Identifier: MIT */
/*
 * A running model server as a model backend: llama.cpp's llama-server,
 * Ollama, or an OpenAI-compatible server (vLLM, LM Studio, OpenAI). It is
 * asked for the raw next-token log-probabilities after a context (T = 1,
 * before its own samplers); tempviz runs its own pipeline on them, draws
 * the next token itself and sends it back the exact way (token ids where
 * the server takes them, else text), then asks again.
 *
 * What comes back is the top of the vocabulary: the rest is one "rest of
 * vocabulary" level of the size the server reports, as for a saved
 * response (the same loader reads both). Every answer is cached per
 * context, and every request is bounded in time and in bytes.
 */
#ifndef TEMPVIZ_LM_SERVER_H
#define TEMPVIZ_LM_SERVER_H

#include <stdint.h>

#include "lm/model.h"

enum tv_api {
	TV_API_AUTO = 0,        /* detected (servers.md's probe order) */
	TV_API_LLAMACPP,
	TV_API_OLLAMA,
	TV_API_OPENAI
};

struct tv_server_opts {
	const char *url;        /* http://host:port, with a base path or not */
	enum tv_api api;
	const char *model;      /* --model NAME; NULL: the server's first */
	uint32_t n_probs;       /* top tokens to ask for; 0: the default */
	long timeout_ms;        /* each request; 0: TV_SERVER_TIMEOUT_MS */
	int stream;             /* ask for streamed replies */
	const char *api_key;    /* NULL: none; see tv_server_env_key */
};

#define TV_SERVER_TIMEOUT_MS 30000L
/* The most tokens asked of llama.cpp by default, which has no cap: the
 * whole vocabulary when it is at most this large. */
#define TV_SERVER_LLAMA_TOP 100
#define TV_SERVER_ALL_BELOW 4096

/* "llama.cpp", "ollama", "openai" (and "auto"). */
const char *tv_server_api_name(enum tv_api api);
/* 0, or -1 when s names no API. */
int tv_server_api_parse(const char *s, enum tv_api *api);
/* $TEMPVIZ_API_KEY, else $OPENAI_API_KEY, else NULL (empty is unset). */
const char *tv_server_env_key(void);

/*
 * Reach the server, find what it is (unless o->api says), which model it
 * runs and the size of its vocabulary: every view and subcommand then
 * reads it as a model. TV_EXIT_OK; TV_EXIT_USAGE for a URL that is not
 * http(s); TV_EXIT_DATA with err one line (unreachable, not a known
 * server, a model it lacks, no log-probabilities, an API key refused, ...,
 * or what to install in a build without libcurl).
 */
int tv_server_open(const struct tv_server_opts *o, struct tv_model **out,
		   struct tv_error *err);
/* 1 when m is a server model. */
int tv_server_is(const struct tv_model *m);
/* Distributions fetched so far. */
uint32_t tv_server_fetched(const struct tv_model *m);
/* Write every distribution fetched so far, in the order fetched, as a
 * tempviz-logits file (which replays offline as a SOURCE). 0, or -1 with
 * err. */
int tv_server_record(const struct tv_model *m, const char *path,
		     struct tv_error *err);

#endif
