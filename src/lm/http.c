/* SPDX-License-Identifier: MIT */
/*
 * The HTTP client on libcurl. Each struct tv_http owns one worker thread
 * with a multi handle and an easy handle (reused, so connections to the
 * server are kept alive between requests). A request is handed over in a
 * slot under the mutex; every start and cancel bumps a generation, and a
 * result is kept only when its generation is still the newest one.
 *
 * The worker drives the transfer with curl_multi_poll rather than
 * curl_easy_perform: curl_multi_wakeup from another thread then ends the
 * wait at once, where a progress callback can go a second between calls
 * while a server stalls. Name lookups run on libcurl's resolver thread,
 * and CURLOPT_QUICK_EXIT lets an abandoned lookup finish on its own.
 */
#include "lm/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define CONNECT_MS_DEFAULT 5000L
#define TOTAL_MS_DEFAULT 30000L
#define MAX_BYTES_DEFAULT ((size_t)64 << 20)
/* The longest the worker sleeps in curl_multi_poll before it looks at
 * the generation again; a wakeup normally ends the sleep sooner. */
#define POLL_MS 1000

enum state { IDLE, BUSY, DONE };

struct job {
	unsigned long gen;
	char *url, *body, *key;
	size_t body_len;
	long connect_ms, total_ms;
	const char *limit;
	size_t max_bytes;
};

struct tv_http {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;    /* a job waits in the slot, or quit */
	pthread_cond_t done;    /* state left BUSY */
	int pipe[2];            /* a byte in it while state is DONE */
	CURLM *multi;
	CURL *easy;             /* the worker's once started */
	/* Under mu: */
	unsigned long gen;      /* of the request started last */
	struct job *slot;       /* started, not yet picked up by the worker */
	enum state state;
	struct tv_http_resp res; /* while DONE */
	int quit;
};

/* One transfer's working state, for curl's callbacks and the message. */
struct xfer {
	struct tv_http_resp *r;
	size_t cap, max_bytes;
	int too_big, nomem;
	char where[96];         /* host:port, printable */
	char host[80];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void
global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
tv_http_available(void)
{
	return 1;
}

/* n bytes of untrusted text into dst (cap bytes, NUL-terminated), blanks
 * around it trimmed, every byte outside printable ASCII as '?'. */
static void
clean(char *dst, size_t cap, const char *src, size_t n)
{
	size_t i = 0;

	while (n > 0 && (*src == ' ' || *src == '\t')) {
		src++;
		n--;
	}
	while (n > 0 && strchr(" \t\r\n", src[n - 1]))
		n--;
	for (; i < n && i + 1 < cap; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
job_free(struct job *j)
{
	if (!j)
		return;
	free(j->url);
	free(j->body);
	free(j->key);
	free(j);
}

static char *
dup_bytes(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static struct job *
job_new(const struct tv_http_req *rq)
{
	struct job *j = calloc(1, sizeof *j);

	if (!j)
		return NULL;
	j->url = dup_bytes(rq->url, strlen(rq->url));
	j->body = rq->body ? dup_bytes(rq->body, rq->body_len) : NULL;
	j->key = rq->api_key ? dup_bytes(rq->api_key, strlen(rq->api_key)) : NULL;
	if (!j->url || (rq->body && !j->body) || (rq->api_key && !j->key)) {
		job_free(j);
		return NULL;
	}
	j->body_len = rq->body ? rq->body_len : 0;
	j->connect_ms = rq->connect_ms > 0 ? rq->connect_ms : CONNECT_MS_DEFAULT;
	j->total_ms = rq->total_ms > 0 ? rq->total_ms : TOTAL_MS_DEFAULT;
	j->limit = rq->limit ? rq->limit : "--timeout";
	j->max_bytes = rq->max_bytes > 0 ? rq->max_bytes : MAX_BYTES_DEFAULT;
	return j;
}

/* Under mu: empty the pipe, which holds a byte only while DONE. */
static void
drain(struct tv_http *h)
{
	char buf[16];

	while (read(h->pipe[0], buf, sizeof buf) > 0)
		;
}

/* Under mu: whatever was started or finished is dropped; the worker
 * sees the new generation and abandons its transfer. */
static void
supersede(struct tv_http *h)
{
	h->gen++;
	job_free(h->slot);
	h->slot = NULL;
	if (h->state == DONE)
		tv_http_resp_free(&h->res);
	h->state = IDLE;
	drain(h);
}

static int
stale(struct tv_http *h, unsigned long gen)
{
	int s;

	pthread_mutex_lock(&h->mu);
	s = h->quit || h->gen != gen;
	pthread_mutex_unlock(&h->mu);
	return s;
}

/* The host and host:port of the URL, for messages. */
static void
name_target(struct xfer *x, const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;

	snprintf(x->where, sizeof x->where, "the URL");
	snprintf(x->host, sizeof x->host, "the URL");
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host) {
		clean(x->host, sizeof x->host, host, strlen(host));
		if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
		    CURLUE_OK)
			snprintf(x->where, sizeof x->where, "%s:%.8s", x->host,
				 port);
		else
			snprintf(x->where, sizeof x->where, "%s", x->host);
		clean(x->where, sizeof x->where, x->where, strlen(x->where));
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	struct tv_http_resp *r = x->r;

	n *= size;
	if (n > x->max_bytes - r->len) {
		x->too_big = 1;
		return 0;
	}
	if (r->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 4096;
		char *b;

		while (cap < r->len + n + 1)
			cap *= 2;
		if (cap > x->max_bytes + 1)
			cap = x->max_bytes + 1;
		if (!(b = realloc(r->body, cap))) {
			x->nomem = 1;
			return 0;
		}
		r->body = b;
		x->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

/* The header's value when line is "name: value", else NULL. */
static const char *
header_value(const char *line, size_t n, const char *name, size_t *vlen)
{
	size_t k = strlen(name);

	if (n <= k || line[k] != ':' || strncasecmp(line, name, k) != 0)
		return NULL;
	*vlen = n - k - 1;
	return line + k + 1;
}

static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct tv_http_resp *r = ((struct xfer *)arg)->r;
	const char *v;
	size_t vn;

	n *= size;
	/* A new status line starts a new response (after a 1xx): forget
	 * the fields of the one before. */
	if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		r->server[0] = r->content_type[0] = r->location[0] = '\0';
	} else if ((v = header_value(line, n, "server", &vn))) {
		clean(r->server, sizeof r->server, v, vn);
	} else if ((v = header_value(line, n, "content-type", &vn))) {
		clean(r->content_type, sizeof r->content_type, v, vn);
	} else if ((v = header_value(line, n, "location", &vn))) {
		clean(r->location, sizeof r->location, v, vn);
	}
	return n;
}

static int
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static struct curl_slist *
headers(const struct job *j)
{
	static const char *const fixed[] = {
		"Accept: application/json, text/event-stream, application/x-ndjson",
		/* A POST waits for no 100 Continue. */
		"Expect:",
	};
	struct curl_slist *l = NULL, *t;
	char *auth = NULL;
	size_t i;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		if (!(t = curl_slist_append(l, fixed[i])))
			goto fail;
		l = t;
	}
	if (j->body) {
		if (!(t = curl_slist_append(l, "Content-Type: application/json")))
			goto fail;
		l = t;
	}
	if (j->key) {
		size_t n = strlen(j->key) + sizeof "Authorization: Bearer ";

		if (!(auth = malloc(n)))
			goto fail;
		snprintf(auth, n, "Authorization: Bearer %s", j->key);
		if (!(t = curl_slist_append(l, auth)))
			goto fail;
		l = t;
		free(auth);
	}
	return l;
fail:
	free(auth);
	curl_slist_free_all(l);
	return NULL;
}

#define SET(opt, val) \
	do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)

static CURLcode
setup(CURL *e, const struct job *j, struct curl_slist *hd, struct xfer *x)
{
	CURLcode rc = CURLE_OK;

	curl_easy_reset(e);
	SET(CURLOPT_URL, j->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075700
	SET(CURLOPT_QUICK_EXIT, 1L);
#endif
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_CONNECTTIMEOUT_MS, j->connect_ms);
	SET(CURLOPT_TIMEOUT_MS, j->total_ms);
	/* Refused at once when Content-Length announces too much; on_body
	 * stops a body that says nothing of its length. */
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->max_bytes);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, x);
	SET(CURLOPT_HTTPHEADER, hd);
	SET(CURLOPT_USERAGENT, "tempviz/" TV_VERSION);
	if (j->body) {
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->body_len);
		SET(CURLOPT_POSTFIELDS, j->body);
	}
	return rc;
}

#undef SET

/* "64 MiB", "12 KiB" or "1000 bytes". */
static void
size_text(char *buf, size_t cap, size_t n)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		snprintf(buf, cap, "%zu MiB", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, cap, "%zu KiB", n >> 10);
	else
		snprintf(buf, cap, "%zu bytes", n);
}

static const struct {
	CURLcode rc;
	enum tv_http_fail fail;
	const char *text;
} plain_fails[] = {
	{ CURLE_PEER_FAILED_VERIFICATION, TV_HTTP_TLS, "TLS certificate not trusted" },
	{ CURLE_SSL_CONNECT_ERROR, TV_HTTP_TLS, "TLS handshake failed (is it an https server?)" },
	{ CURLE_SSL_CERTPROBLEM, TV_HTTP_TLS, "TLS client certificate problem" },
	{ CURLE_SSL_CACERT_BADFILE, TV_HTTP_TLS, "TLS: the system's CA certificates cannot be read" },
	{ CURLE_SSL_PINNEDPUBKEYNOTMATCH, TV_HTTP_TLS, "TLS: the server's key does not match" },
	{ CURLE_OUT_OF_MEMORY, TV_HTTP_NOMEM, "out of memory" },
	{ CURLE_UNSUPPORTED_PROTOCOL, TV_HTTP_OTHER, "only http:// and https:// URLs are spoken" },
	{ CURLE_URL_MALFORMAT, TV_HTTP_OTHER, "not a valid URL" },
	{ CURLE_GOT_NOTHING, TV_HTTP_OTHER, "the server closed the connection without a reply" },
};

/* What a failed transfer means, in r->fail and r->msg. */
static void
describe(CURLcode rc, CURL *e, const struct job *j, const struct xfer *x,
	 struct tv_http_resp *r)
{
	char size[32], why[128];
	long os_errno = 0;
	curl_off_t connected = 0, elapsed = 0;
	size_t i;

	r->fail = TV_HTTP_OTHER;
	for (i = 0; i < sizeof plain_fails / sizeof plain_fails[0]; i++) {
		if (plain_fails[i].rc == rc) {
			r->fail = plain_fails[i].fail;
			snprintf(r->msg, sizeof r->msg, "%s: %s", x->where,
				 plain_fails[i].text);
			return;
		}
	}
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		r->fail = TV_HTTP_HOST;
		snprintf(r->msg, sizeof r->msg, "%s: unknown host", x->host);
		break;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno == 0 || os_errno == ECONNREFUSED) {
			r->fail = TV_HTTP_REFUSED;
			snprintf(r->msg, sizeof r->msg, "%s: connection refused "
				 "(is the server running?)", x->where);
		} else {
			if (strerror_r((int)os_errno, why, sizeof why) != 0)
				snprintf(why, sizeof why, "error %ld", os_errno);
			snprintf(r->msg, sizeof r->msg, "%s: cannot connect (%s)",
				 x->where, why);
		}
		break;
	case CURLE_OPERATION_TIMEDOUT:
		r->fail = TV_HTTP_TIMEOUT;
		/* A connection kept alive from an earlier request has no
		 * connect time: past the connect limit, it was the answer that
		 * did not come. */
		curl_easy_getinfo(e, CURLINFO_CONNECT_TIME_T, &connected);
		curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &elapsed);
		if (!connected && j->connect_ms < j->total_ms &&
		    elapsed < (curl_off_t)j->total_ms * 1000 * 9 / 10)
			snprintf(r->msg, sizeof r->msg, "%s: no connection "
				 "within %.1f s", x->where, j->connect_ms / 1e3);
		else
			snprintf(r->msg, sizeof r->msg, "%s: no answer within "
				 "%.1f s (%s)", x->where, j->total_ms / 1e3,
				 j->limit);
		break;
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_WRITE_ERROR:
		if (x->nomem) {
			r->fail = TV_HTTP_NOMEM;
			snprintf(r->msg, sizeof r->msg, "%s: out of memory for "
				 "the reply", x->where);
			break;
		}
		r->fail = TV_HTTP_TOO_BIG;
		size_text(size, sizeof size, j->max_bytes);
		snprintf(r->msg, sizeof r->msg, "%s: the reply is over %s",
			 x->where, size);
		break;
	default:
		snprintf(r->msg, sizeof r->msg, "%s: %s", x->where,
			 curl_easy_strerror(rc));
		break;
	}
}

static void
fail_now(struct tv_http_resp *r, enum tv_http_fail fail, const char *where,
	 const char *text)
{
	r->fail = fail;
	snprintf(r->msg, sizeof r->msg, "%s: %s", where, text);
}

/* Runs the transfer until it ends or its generation is superseded. 0
 * with the result in r, or -1 when it was abandoned. */
static int
drive(struct tv_http *h, unsigned long gen, CURLcode *rc)
{
	CURLMsg *m;
	int running = 1, left;

	*rc = CURLE_OK;
	while (running) {
		if (stale(h, gen))
			return -1;
		if (curl_multi_perform(h->multi, &running) != CURLM_OK) {
			*rc = CURLE_OUT_OF_MEMORY;
			return 0;
		}
		if (running && curl_multi_poll(h->multi, NULL, 0, POLL_MS,
					       NULL) != CURLM_OK) {
			*rc = CURLE_OUT_OF_MEMORY;
			return 0;
		}
	}
	while ((m = curl_multi_info_read(h->multi, &left)))
		if (m->msg == CURLMSG_DONE)
			*rc = m->data.result;
	return 0;
}

/* One request; -1 when it was abandoned (r is then freed). */
static int
transfer(struct tv_http *h, const struct job *j, struct tv_http_resp *r)
{
	struct xfer x = { .r = r, .max_bytes = j->max_bytes };
	struct curl_slist *hd = NULL;
	double t0 = now_ms();
	CURLcode rc;
	int ret = 0;

	memset(r, 0, sizeof *r);
	name_target(&x, j->url);
	if (j->key && has_control(j->key)) {
		fail_now(r, TV_HTTP_OTHER, x.where,
			 "the API key holds control characters");
	} else if (!(hd = headers(j))) {
		fail_now(r, TV_HTTP_NOMEM, x.where, "out of memory");
	} else if ((rc = setup(h->easy, j, hd, &x)) != CURLE_OK) {
		describe(rc, h->easy, j, &x, r);
	} else if (curl_multi_add_handle(h->multi, h->easy) != CURLM_OK) {
		fail_now(r, TV_HTTP_NOMEM, x.where, "out of memory");
	} else {
		ret = drive(h, j->gen, &rc);
		if (ret == 0 && rc == CURLE_OK) {
			curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE,
					  &r->status);
			if (!r->body && !(r->body = calloc(1, 1)))
				fail_now(r, TV_HTTP_NOMEM, x.where, "out of memory");
		} else if (ret == 0) {
			describe(rc, h->easy, j, &x, r);
		}
		curl_multi_remove_handle(h->multi, h->easy);
	}
	curl_slist_free_all(hd);
	if (r->fail != TV_HTTP_OK || ret != 0) {
		free(r->body);
		r->body = NULL;
		r->len = 0;
		r->status = 0;
	}
	r->ms = now_ms() - t0;
	return ret;
}

static void *
worker(void *arg)
{
	struct tv_http *h = arg;
	struct tv_http_resp r;
	struct job *j;
	int kept;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->quit && !h->slot)
			pthread_cond_wait(&h->work, &h->mu);
		if (h->quit)
			break;
		j = h->slot;
		h->slot = NULL;
		pthread_mutex_unlock(&h->mu);
		kept = transfer(h, j, &r) == 0;
		pthread_mutex_lock(&h->mu);
		if (kept && j->gen == h->gen && !h->quit) {
			h->res = r;
			h->state = DONE;
			/* The pipe is empty while BUSY: the byte fits. */
			(void)!write(h->pipe[1], "", 1);
			pthread_cond_broadcast(&h->done);
		} else {
			tv_http_resp_free(&r);
		}
		job_free(j);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static int
open_pipe(int fd[2])
{
	int i;

	if (pipe(fd) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		if (fcntl(fd[i], F_SETFD, FD_CLOEXEC) != 0 ||
		    fcntl(fd[i], F_SETFL, O_NONBLOCK) != 0) {
			close(fd[0]);
			close(fd[1]);
			return -1;
		}
	}
	return 0;
}

/* The worker takes no signals: they stay with the input loop. */
static int
start_worker(struct tv_http *h)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&h->thread, NULL, worker, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* What tv_http_new made, once no worker runs. */
static void
destroy(struct tv_http *h)
{
	curl_easy_cleanup(h->easy);
	curl_multi_cleanup(h->multi);
	pthread_cond_destroy(&h->done);
	pthread_cond_destroy(&h->work);
	pthread_mutex_destroy(&h->mu);
	close(h->pipe[0]);
	close(h->pipe[1]);
	free(h);
}

struct tv_http *
tv_http_new(void)
{
	struct tv_http *h;
	pthread_condattr_t ca;

	if (pthread_once(&global_once, global_init) != 0 ||
	    global_rc != CURLE_OK || !(h = calloc(1, sizeof *h)))
		return NULL;
	if (open_pipe(h->pipe) != 0) {
		free(h);
		return NULL;
	}
	h->multi = curl_multi_init();
	h->easy = curl_easy_init();
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->work, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->done, &ca);
	pthread_condattr_destroy(&ca);
	if (!h->multi || !h->easy || start_worker(h) != 0) {
		destroy(h);
		return NULL;
	}
	return h;
}

void
tv_http_free(struct tv_http *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->mu);
	supersede(h);
	h->quit = 1;
	pthread_cond_signal(&h->work);
	pthread_mutex_unlock(&h->mu);
	curl_multi_wakeup(h->multi);
	pthread_join(h->thread, NULL);
	destroy(h);
}

int
tv_http_start(struct tv_http *h, const struct tv_http_req *rq)
{
	struct job *j = job_new(rq);

	if (!j)
		return -1;
	pthread_mutex_lock(&h->mu);
	supersede(h);
	j->gen = h->gen;
	h->slot = j;
	h->state = BUSY;
	pthread_cond_signal(&h->work);
	pthread_mutex_unlock(&h->mu);
	curl_multi_wakeup(h->multi);
	return 0;
}

static int
poll_locked(const struct tv_http *h)
{
	return h->state == DONE ? 1 : h->state == BUSY ? 0 : -1;
}

int
tv_http_poll(struct tv_http *h)
{
	int s;

	pthread_mutex_lock(&h->mu);
	s = poll_locked(h);
	pthread_mutex_unlock(&h->mu);
	return s;
}

int
tv_http_wait(struct tv_http *h, long ms)
{
	struct timespec end;
	int s;

	clock_gettime(CLOCK_MONOTONIC, &end);
	if (ms > 0) {
		end.tv_sec += ms / 1000;
		end.tv_nsec += (ms % 1000) * 1000000L;
		if (end.tv_nsec >= 1000000000L) {
			end.tv_sec++;
			end.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&h->mu);
	while (h->state == BUSY && ms != 0) {
		if (ms < 0)
			pthread_cond_wait(&h->done, &h->mu);
		else if (pthread_cond_timedwait(&h->done, &h->mu, &end) ==
			 ETIMEDOUT)
			break;
	}
	s = poll_locked(h);
	pthread_mutex_unlock(&h->mu);
	return s;
}

int
tv_http_fd(const struct tv_http *h)
{
	return h ? h->pipe[0] : -1;
}

void
tv_http_take(struct tv_http *h, struct tv_http_resp *out)
{
	int busy;

	pthread_mutex_lock(&h->mu);
	busy = h->state == BUSY;
	if (h->state == DONE) {
		*out = h->res;
		memset(&h->res, 0, sizeof h->res);
		h->state = IDLE;
		drain(h);
	} else {
		supersede(h);
		memset(out, 0, sizeof *out);
		out->fail = TV_HTTP_CANCELLED;
		snprintf(out->msg, sizeof out->msg, "%s", busy ?
			 "the request was abandoned before it finished" :
			 "no request had finished");
	}
	pthread_mutex_unlock(&h->mu);
	if (busy)
		curl_multi_wakeup(h->multi);
}

void
tv_http_cancel(struct tv_http *h)
{
	pthread_mutex_lock(&h->mu);
	supersede(h);
	pthread_mutex_unlock(&h->mu);
	curl_multi_wakeup(h->multi);
}

void
tv_http_fetch(struct tv_http *h, const struct tv_http_req *rq,
	      struct tv_http_resp *out)
{
	if (tv_http_start(h, rq) != 0) {
		memset(out, 0, sizeof *out);
		out->fail = TV_HTTP_NOMEM;
		snprintf(out->msg, sizeof out->msg, "out of memory");
		return;
	}
	tv_http_wait(h, -1);
	tv_http_take(h, out);
}

void
tv_http_resp_free(struct tv_http_resp *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}
