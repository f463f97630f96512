/* SPDX-License-Identifier: MIT */
/*
 * The HTTP client of a build without libcurl: every request fails at once
 * and says what to install; the rest of tempviz works as before.
 */
#include "lm/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tv_http {
	int started;
};

int
tv_http_available(void)
{
	return 0;
}

struct tv_http *
tv_http_new(void)
{
	return calloc(1, sizeof(struct tv_http));
}

void
tv_http_free(struct tv_http *h)
{
	free(h);
}

int
tv_http_start(struct tv_http *h, const struct tv_http_req *rq)
{
	(void)rq;
	h->started = 1;
	return 0;
}

int
tv_http_poll(struct tv_http *h)
{
	return h->started ? 1 : -1;
}

int
tv_http_wait(struct tv_http *h, long ms)
{
	(void)ms;
	return tv_http_poll(h);
}

int
tv_http_fd(const struct tv_http *h)
{
	(void)h;
	return -1;
}

void
tv_http_take(struct tv_http *h, struct tv_http_resp *out)
{
	memset(out, 0, sizeof *out);
	out->fail = h->started ? TV_HTTP_UNAVAILABLE : TV_HTTP_CANCELLED;
	snprintf(out->msg, sizeof out->msg,
		 "this tempviz was built without an HTTP client (%s)",
		 TV_HTTP_INSTALL);
	h->started = 0;
}

void
tv_http_cancel(struct tv_http *h)
{
	h->started = 0;
}

void
tv_http_fetch(struct tv_http *h, const struct tv_http_req *rq,
	      struct tv_http_resp *out)
{
	tv_http_start(h, rq);
	tv_http_take(h, out);
}

void
tv_http_resp_free(struct tv_http_resp *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}
