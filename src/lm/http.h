/* SPDX-License-Identifier: MIT */
/*
 * HTTP for the model-server backend: one request at a time on a worker
 * thread, so that the input loop never waits on the network. libcurl does
 * the transfer (src/lm/http.c); a build without it links
 * src/lm/http_none.c, whose requests fail at once with what to install.
 *
 * Redirects are never followed (the API key would go to another host), only
 * http and https are spoken, TLS certificates are checked, and the
 * response is bounded in bytes and in time.
 */
#ifndef TEMPVIZ_LM_HTTP_H
#define TEMPVIZ_LM_HTTP_H

#include <stddef.h>

/* What to install when this build has no HTTP client. */
#define TV_HTTP_INSTALL "apt-get install libcurl4-openssl-dev, then rebuild"

struct tv_http_req {
	const char *url;        /* http:// or https:// */
	const char *body;       /* a POST's JSON body; NULL for a GET */
	size_t body_len;
	const char *api_key;    /* sent as "Authorization: Bearer KEY", or
	                           NULL; never logged or shown */
	long connect_ms;        /* 0: 5,000 */
	long total_ms;          /* 0: 30,000 */
	const char *limit;      /* what set total_ms, said when it runs out
	                           (a string that lives on); NULL: --timeout */
	size_t max_bytes;       /* a longer body is refused; 0: 64 MiB */
};

enum tv_http_fail {
	TV_HTTP_OK = 0,         /* a response came: see status */
	TV_HTTP_REFUSED,        /* connection refused */
	TV_HTTP_HOST,           /* the host name did not resolve */
	TV_HTTP_TIMEOUT,        /* connect or total time ran out */
	TV_HTTP_TLS,            /* certificate or handshake failure */
	TV_HTTP_TOO_BIG,        /* the body passed max_bytes */
	TV_HTTP_CANCELLED,      /* tv_http_cancel, or a newer request */
	TV_HTTP_NOMEM,
	TV_HTTP_UNAVAILABLE,    /* no HTTP client in this build */
	TV_HTTP_OTHER           /* anything else: msg says what */
};

struct tv_http_resp {
	enum tv_http_fail fail;
	long status;            /* the HTTP status when fail is TV_HTTP_OK */
	char *body;             /* NUL-terminated (the NUL not counted) */
	size_t len;
	char server[64];        /* the Server: header, printable ASCII only */
	char content_type[64];  /* likewise */
	char location[256];     /* a 3xx's Location:, likewise */
	char msg[256];          /* one line when fail != TV_HTTP_OK: what went
	                           wrong, safe for a terminal, without the key */
	double ms;              /* wall time of the request */
};

struct tv_http;

/* 1 when this build can speak HTTP, else 0. */
int tv_http_available(void);

/* A worker, idle; NULL without memory or threads. */
struct tv_http *tv_http_new(void);
/* Cancels what is in flight and joins the worker. */
void tv_http_free(struct tv_http *h);

/* Start rq (copied) on the worker; one in flight is cancelled first and
 * its result dropped. 0, or -1 without memory. */
int tv_http_start(struct tv_http *h, const struct tv_http_req *rq);
/* 1 when the request started last has finished (its result waits for
 * tv_http_take), 0 while it is in flight, -1 when none was started or its
 * result was taken. Never blocks. */
int tv_http_poll(struct tv_http *h);
/* Wait up to ms (-1: no limit) for tv_http_poll to be 1; returns it. */
int tv_http_wait(struct tv_http *h, long ms);
/* A descriptor that is readable while a finished result waits (for the
 * input loop's poll); -1 when there is none to give. */
int tv_http_fd(const struct tv_http *h);
/* Move the finished result into out (then tv_http_resp_free it); after
 * it, tv_http_poll says -1. out->fail is TV_HTTP_CANCELLED when nothing
 * had finished. */
void tv_http_take(struct tv_http *h, struct tv_http_resp *out);
/* Abandon the request in flight, within about 50 ms. */
void tv_http_cancel(struct tv_http *h);

/* One request, waited for: start, wait, take (the CLI's way). */
void tv_http_fetch(struct tv_http *h, const struct tv_http_req *rq,
		   struct tv_http_resp *out);

void tv_http_resp_free(struct tv_http_resp *r);

#endif
