/* SPDX-License-Identifier: MIT */
/*
 * The HTTP client against a server inside the test: a thread on
 * 127.0.0.1 that answers each connection as the case says (a reply, a
 * stall, a redirect, a body too big). Round trips, statuses, failures and
 * their one line, cancelling, superseding, the descriptor, and the key
 * never in a message. Every wait is bounded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lm/http.h"

#define KEY "sk-test-secret-0123"

enum mode { REPLY, STALL, REDIRECT, BIG, NUL_BODY };

struct srv {
	int fd, port;
	enum mode mode;
	pthread_t th;
	int requests;           /* connections answered */
	char got[8192];         /* the last request, headers and body */
	size_t got_len;
	volatile int stop;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
send_all(int c, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = send(c, s, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* The request up to its body's Content-Length, at most 1 s. */
static void
read_request(struct srv *s, int c)
{
	double end = now_ms() + 1000;
	const char *cl;
	size_t want = 0;

	s->got_len = 0;
	while (s->got_len < sizeof s->got - 1 && now_ms() < end) {
		struct pollfd p = { c, POLLIN, 0 };
		char *hdr_end;
		ssize_t r;

		if (poll(&p, 1, 50) <= 0)
			continue;
		r = recv(c, s->got + s->got_len, sizeof s->got - 1 - s->got_len, 0);
		if (r <= 0)
			break;
		s->got_len += (size_t)r;
		s->got[s->got_len] = '\0';
		hdr_end = strstr(s->got, "\r\n\r\n");
		if (!hdr_end)
			continue;
		cl = strstr(s->got, "Content-Length:");
		want = (size_t)(hdr_end - s->got) + 4 + (cl ? strtoul(cl + 15, NULL, 10) : 0);
		if (s->got_len >= want)
			break;
	}
}

static void
answer(struct srv *s, int c)
{
	char buf[512];
	static const char body[] = "{\"ok\":true}";

	switch (s->mode) {
	case REPLY:
		snprintf(buf, sizeof buf, "HTTP/1.1 %s\r\nServer: test\x1b[2J\r\n"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n%s",
			 strstr(s->got, "/missing") ? "404 Not Found" :
			 strstr(s->got, "/fail") ? "500 Oops" : "200 OK",
			 strlen(body), body);
		send_all(c, buf, strlen(buf));
		break;
	case STALL:
		while (!s->stop) {
			struct pollfd p = { c, POLLIN, 0 };
			char x[64];

			if (poll(&p, 1, 20) > 0 && recv(c, x, sizeof x, 0) <= 0)
				break;
		}
		break;
	case REDIRECT:
		snprintf(buf, sizeof buf, "HTTP/1.1 302 Found\r\nLocation: "
			 "http://127.0.0.2:%d/elsewhere\r\nContent-Length: 0\r\n"
			 "Connection: close\r\n\r\n", s->port);
		send_all(c, buf, strlen(buf));
		break;
	case BIG:
		snprintf(buf, sizeof buf, "HTTP/1.1 200 OK\r\nConnection: close"
			 "\r\n\r\n");
		send_all(c, buf, strlen(buf));
		memset(buf, 'x', sizeof buf);
		for (int i = 0; i < 200 && !s->stop; i++)
			send_all(c, buf, sizeof buf);
		break;
	case NUL_BODY: {
		static const char nul[] = "HTTP/1.1 200 OK\r\nContent-Length: 5"
			"\r\nConnection: close\r\n\r\na\0b\0c";

		send_all(c, nul, sizeof nul - 1);
		break;
	}
	}
}

static void *
serve(void *arg)
{
	struct srv *s = arg;

	while (!s->stop) {
		struct pollfd p = { s->fd, POLLIN, 0 };
		int c;

		if (poll(&p, 1, 20) <= 0)
			continue;
		c = accept(s->fd, NULL, NULL);
		if (c < 0)
			continue;
		read_request(s, c);
		s->requests++;
		answer(s, c);
		close(c);
	}
	return NULL;
}

static struct srv *
srv_start(enum mode m)
{
	struct srv *s = calloc(1, sizeof *s);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;

	assert_non_null(s);
	s->mode = m;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(s->fd, 8), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s->th, NULL, serve, s), 0);
	return s;
}

static void
srv_stop(struct srv *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
	close(s->fd);
	free(s);
}

static void
url(char *buf, size_t cap, const struct srv *s, const char *path)
{
	snprintf(buf, cap, "http://127.0.0.1:%d%s", s->port, path);
}

/* One request of rq (its url set here, to path "/") to a server in mode
 * m, on a client of its own; the server is left for the caller to read
 * and stop. */
static struct srv *
fetch_one(enum mode m, struct tv_http_req *rq, struct tv_http_resp *r)
{
	struct srv *s = srv_start(m);
	struct tv_http *h = tv_http_new();
	char u[128];

	assert_non_null(h);
	url(u, sizeof u, s, "/");
	rq->url = u;
	tv_http_fetch(h, rq, r);
	rq->url = NULL;
	tv_http_free(h);
	return s;
}

/* A POST and its reply: body, status, the Server header cleaned, the body
 * and the key received exactly; a GET without a key sends none. */
static void
round_trip(void **state)
{
	struct srv *s = srv_start(REPLY);
	struct tv_http *h = tv_http_new();
	struct tv_http_req rq = { .body = "{\"a\":1}", .body_len = 7,
				  .api_key = KEY };
	struct tv_http_resp r;
	char u[128];

	(void)state;
	assert_non_null(h);
	url(u, sizeof u, s, "/completion");
	rq.url = u;
	tv_http_fetch(h, &rq, &r);
	assert_int_equal(r.fail, TV_HTTP_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"ok\":true}");
	assert_int_equal(r.len, 11);
	assert_string_equal(r.server, "test?[2J");
	assert_string_equal(r.content_type, "application/json");
	assert_non_null(strstr(s->got, "POST /completion HTTP/1.1"));
	assert_non_null(strstr(s->got, "Authorization: Bearer " KEY "\r\n"));
	assert_non_null(strstr(s->got, "Content-Type: application/json"));
	assert_non_null(strstr(s->got, "\r\n\r\n{\"a\":1}"));
	tv_http_resp_free(&r);
	rq.body = NULL;
	rq.body_len = 0;
	rq.api_key = NULL;
	url(u, sizeof u, s, "/missing");
	tv_http_fetch(h, &rq, &r);
	assert_int_equal(r.fail, TV_HTTP_OK);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(s->got, "GET /missing"));
	assert_null(strstr(s->got, "Authorization"));
	tv_http_resp_free(&r);
	url(u, sizeof u, s, "/fail");
	tv_http_fetch(h, &rq, &r);
	assert_int_equal(r.status, 500);
	tv_http_resp_free(&r);
	tv_http_free(h);
	srv_stop(s);
}

/* A port nobody listens on, and a host that does not resolve. */
static void
refused_and_unknown(void **state)
{
	struct srv *s = srv_start(REPLY);
	int port = s->port;
	struct tv_http *h = tv_http_new();
	struct tv_http_req rq = { .api_key = KEY };
	struct tv_http_resp r;
	char u[128];

	(void)state;
	srv_stop(s);
	snprintf(u, sizeof u, "http://127.0.0.1:%d/", port);
	rq.url = u;
	tv_http_fetch(h, &rq, &r);
	assert_int_equal(r.fail, TV_HTTP_REFUSED);
	assert_non_null(strstr(r.msg, "connection refused"));
	assert_null(strstr(r.msg, KEY));
	tv_http_resp_free(&r);
	rq.url = "http://nohost.invalid/";
	tv_http_fetch(h, &rq, &r);
	if (r.fail == TV_HTTP_HOST) {
		assert_non_null(strstr(r.msg, "nohost.invalid: unknown host"));
	} else {
		/* A resolver that answers for .invalid: still a failure. */
		assert_int_not_equal(r.fail, TV_HTTP_OK);
	}
	tv_http_resp_free(&r);
	tv_http_free(h);
}

/* A stalled server: the total time runs out and says so, within bounds. */
static void
timeout(void **state)
{
	struct tv_http_req rq = { .total_ms = 300, .api_key = KEY };
	struct tv_http_resp r;
	double t0 = now_ms();
	struct srv *s = fetch_one(STALL, &rq, &r);

	(void)state;
	assert_int_equal(r.fail, TV_HTTP_TIMEOUT);
	assert_true(now_ms() - t0 >= 250 && now_ms() - t0 < 3000);
	assert_non_null(strstr(r.msg, "no answer within 0.3 s"));
	assert_null(strstr(r.msg, KEY));
	tv_http_resp_free(&r);
	srv_stop(s);
}

/* A body over max_bytes stops the transfer. */
static void
too_big(void **state)
{
	struct tv_http_req rq = { .max_bytes = 10000 };
	struct tv_http_resp r;
	struct srv *s = fetch_one(BIG, &rq, &r);

	(void)state;
	assert_int_equal(r.fail, TV_HTTP_TOO_BIG);
	assert_non_null(strstr(r.msg, "over 10000 bytes"));
	assert_null(r.body);
	srv_stop(s);
}

/* A redirect comes back as it is, its Location kept: one request only. */
static void
redirect_not_followed(void **state)
{
	struct tv_http_req rq = { .api_key = KEY };
	struct tv_http_resp r;
	struct srv *s = fetch_one(REDIRECT, &rq, &r);
	char loc[128];

	(void)state;
	assert_int_equal(r.fail, TV_HTTP_OK);
	assert_int_equal(r.status, 302);
	snprintf(loc, sizeof loc, "http://127.0.0.2:%d/elsewhere", s->port);
	assert_string_equal(r.location, loc);
	assert_int_equal(s->requests, 1);
	tv_http_resp_free(&r);
	srv_stop(s);
}

/* Cancel and supersede during a stall return at once; the descriptor is
 * readable exactly while a result waits; free during a stall joins. */
static void
cancel_and_fd(void **state)
{
	struct srv *stall = srv_start(STALL), *ok = srv_start(REPLY);
	struct tv_http *h = tv_http_new();
	struct tv_http_req rq = { .total_ms = 20000 };
	struct tv_http_resp r;
	struct pollfd p = { tv_http_fd(h), POLLIN, 0 };
	char u[128], v[128];
	double t0;

	(void)state;
	url(u, sizeof u, stall, "/");
	url(v, sizeof v, ok, "/");
	assert_int_equal(tv_http_poll(h), -1);
	rq.url = u;
	assert_int_equal(tv_http_start(h, &rq), 0);
	assert_int_equal(tv_http_wait(h, 100), 0);
	assert_int_equal(poll(&p, 1, 0), 0);
	t0 = now_ms();
	tv_http_cancel(h);
	assert_int_equal(tv_http_poll(h), -1);
	/* Superseded: only the newer result is ever taken. */
	assert_int_equal(tv_http_start(h, &rq), 0);
	rq.url = v;
	assert_int_equal(tv_http_start(h, &rq), 0);
	assert_int_equal(tv_http_wait(h, 3000), 1);
	assert_true(now_ms() - t0 < 3000);
	assert_int_equal(poll(&p, 1, 1000), 1);
	tv_http_take(h, &r);
	assert_int_equal(r.fail, TV_HTTP_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(tv_http_poll(h), -1);
	tv_http_resp_free(&r);
	rq.url = u;
	assert_int_equal(tv_http_start(h, &rq), 0);
	assert_int_equal(tv_http_wait(h, 100), 0);
	t0 = now_ms();
	tv_http_free(h);
	assert_true(now_ms() - t0 < 2000);
	srv_stop(stall);
	srv_stop(ok);
}

/* A body with NUL bytes keeps its length. */
static void
nul_body(void **state)
{
	struct tv_http_req rq = { .url = NULL };
	struct tv_http_resp r;
	struct srv *s = fetch_one(NUL_BODY, &rq, &r);

	(void)state;
	assert_int_equal(r.fail, TV_HTTP_OK);
	assert_int_equal(r.len, 5);
	assert_memory_equal(r.body, "a\0b\0c", 5);
	tv_http_resp_free(&r);
	srv_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(refused_and_unknown),
		cmocka_unit_test(timeout),
		cmocka_unit_test(too_big),
		cmocka_unit_test(redirect_not_followed),
		cmocka_unit_test(cancel_and_fd),
		cmocka_unit_test(nul_body),
	};

	if (!tv_http_available()) {
		printf("[  SKIPPED ] 7 test(s), listed below:\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
