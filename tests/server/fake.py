#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A model server for the test suites: a trigram backoff language model read
from an ARPA file, spoken over the HTTP APIs of llama.cpp's llama-server,
Ollama, vLLM or OpenAI (shapes, caps, errors and gotchas as in
shared/reference/servers.md), with fault modes for the client's error paths.
Python 3 standard library only.

  fake.py --api llama.cpp|ollama|vllm|openai [--lm ARPA] [--model-name NAME]
          [--api-key KEY] [--port P] [--port-file FILE] [--log FILE]
          [--idle-exit SECONDS] [--max-requests N] [--n-ctx N]
          [--max-logprobs N] [--ollama-version V]
          [--fault MODE [--fault-after N] [--fault-times N] [--fault-path P]]
  fake.py --dump (--prompt TEXT | --ids 0,3,4) [--seed S] [--lm ARPA]

--dump prints the exact next-token distribution the server sends, as JSON.
"""

import argparse
import json
import math
import os
import random
import select
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LM = os.path.join(HERE, "..", "fixtures", "tiny.arpa")

# llama.cpp sends the log of a zero probability as -FLT_MAX, not -inf.
LOG_ZERO = -3.4028234663852886e38
# The word the fake Ollama template puts before a prompt sent without raw:
# the model does not know it, so it cuts the context and a missing raw flag
# changes the distribution.
TEMPLATE_WORD = "[INST]"
DRIP_SECONDS = 0.2
HUGE_BYTES = 300 * 1000 * 1000

# ---------------------------------------------------------------- the model


class Model:
    """Katz backoff over log10 ARPA values; ids in the order of the
    unigrams; <s> is BOS and </s> EOS, every other word w is the piece " w".
    A token sequence may hold None where a word was unknown: the context
    starts after the last None."""

    def __init__(self, path):
        self.words, self.uni, self.bow1 = [], [], []
        self.ids, self.bi, self.bow2, self.tri = {}, {}, {}, {}
        order = 0
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 1 and parts[0].endswith("-grams:"):
                    order = int(parts[0][1:-7])
                elif parts == ["\\end\\"]:
                    break
                elif order and len(parts) > order:
                    self.add(order, parts)
        self.bos = self.ids["<s>"]
        self.eos = self.ids["</s>"]

    def add(self, order, parts):
        lp, gram = float(parts[0]), parts[1:order + 1]
        bow = float(parts[order + 1]) if len(parts) > order + 1 else 0.0
        if order == 1:
            self.ids[gram[0]] = len(self.words)
            self.words.append(gram[0])
            self.uni.append(lp)
            self.bow1.append(bow)
            return
        key = tuple(self.ids[w] for w in gram)
        if order == 2:
            self.bi[key] = lp
            self.bow2[key] = bow
        else:
            self.tri[key] = lp

    @property
    def size(self):
        return len(self.words)

    def special(self, i):
        return i in (self.bos, self.eos)

    def piece(self, i):
        return self.words[i] if self.special(i) else " " + self.words[i]

    def tokenize(self, text, bos):
        seq = [self.bos] if bos else []
        seq.extend(self.ids.get(w) for w in text.lower().split())
        return seq

    def prob(self, ctx, w):
        if len(ctx) >= 2:
            u, v = ctx[-2], ctx[-1]
            if (u, v, w) in self.tri:
                return 10 ** self.tri[(u, v, w)]
            return 10 ** self.bow2.get((u, v), 0.0) * self.prob(ctx[-1:], w)
        if len(ctx) == 1:
            v = ctx[0]
            if (v, w) in self.bi:
                return 10 ** self.bi[(v, w)]
            return 10 ** self.bow1[v] * 10 ** self.uni[w]
        return 10 ** self.uni[w]

    def dist(self, seq):
        """Natural-log probabilities of every id after seq, renormalised
        over the vocabulary without BOS, whose entry is None."""
        ctx = seq
        if None in seq:
            ctx = seq[len(seq) - seq[::-1].index(None):]
        p = [0.0 if i == self.bos else self.prob(ctx[-2:], i)
             for i in range(self.size)]
        total = sum(p)
        return [None if i == self.bos else math.log(x / total)
                for i, x in enumerate(p)]


def ranked(lps):
    """The ids with a probability, by logprob descending, then id."""
    return sorted((i for i, lp in enumerate(lps) if lp is not None),
                  key=lambda i: (-lps[i], i))


def make_rng(seed):
    """A seeded generator, or None (the server picks the argmax) when no
    seed is given or it is llama.cpp's "random" seed."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        return None
    if seed in (-1, 0xFFFFFFFF):
        return None
    return random.Random(seed)


def pick(lps, rng, bias=None):
    """The server's own choice: the argmax, or a draw with rng; bias maps
    ids to a number added to the logprob, or False to ban the id."""
    bias = bias or {}
    cand = [(i, lp + bias.get(i, 0.0)) for i, lp in enumerate(lps)
            if lp is not None and bias.get(i, 0.0) is not False]
    if not cand:
        cand = [(i, lp) for i, lp in enumerate(lps) if lp is not None]
    if rng is None:
        return min(cand, key=lambda c: (-c[1], c[0]))[0]
    top = max(s for _, s in cand)
    weights = [(i, math.exp(s - top)) for i, s in cand]
    u = rng.random() * sum(w for _, w in weights)
    for i, w in weights:
        u -= w
        if u < 0:
            return i
    return weights[-1][0]


def dump(model, seq, seed):
    lps = model.dist(seq)
    return {"vocab_size": model.size,
            "pick": pick(lps, make_rng(seed)),
            "tokens": [{"id": i, "piece": model.piece(i), "logprob": lps[i]}
                       for i in ranked(lps)]}


# ------------------------------------------------------ replies and faults

# Token text a hostile server might send: terminal escapes (clear, title,
# cursor report, C1 CSI), a bidi override, control bytes, a long wide run.
HOSTILE = {1: "\x1b[6n", 2: "\x1b[2J\x1b[H", 3: "\x1b]0;pwned\x07",
           4: "\u009b31m", 5: "\u202etxt.exe", 6: "\r\n\t\b\x7f" + "\uff37" * 2000}
# ...and raw bytes with NUL and invalid UTF-8.
HOSTILE_BYTES = [0, 255, 27, 192, 128, 0, 237, 160, 128]
# A noncharacter that the badutf8 fault turns into raw invalid bytes
# after the JSON is built.
BAD_MARK = "\ufdd0"

TRANSPORT_FAULTS = {"refuse", "stall", "drip", "500", "errjson", "truncated",
                    "ctype", "huge", "redirect"}
CONTENT_FAULTS = {"nologprobs", "garbage", "badutf8", "midstream"}
API_FAULTS = {"llama.cpp": {"postsampling", "bytepick", "multitoken",
                            "loading", "ping"},
              "ollama": set(),
              "vllm": {"flaterr", "ping"},
              "openai": {"flaterr", "ping"}}


class Reply:
    """Status, content type and body; a streamed reply is a list of chunks
    sent with chunked transfer encoding."""

    def __init__(self, status=200, body=b"", ctype="application/json",
                 chunks=None, headers=()):
        self.status, self.body, self.ctype = status, body, ctype
        self.chunks, self.headers = chunks, list(headers)

    def payload(self):
        return b"".join(self.chunks) if self.chunks is not None else self.body


class Request:
    def __init__(self, method, path, headers, raw, fault):
        self.method, self.path, self.headers = method, path, headers
        self.fault = fault
        try:
            self.body = json.loads(raw) if raw else None
            self.json_ok = True
        except ValueError:
            self.body = raw.decode("utf-8", "replace")
            self.json_ok = False

    def field(self, name, default=None):
        return self.body.get(name, default) if isinstance(self.body, dict) else default

    def bearer(self):
        auth = self.headers.get("authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else None


def encode(obj, req):
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
    if req.fault == "badutf8":
        data = data.replace(BAD_MARK.encode(), b"\xff\xc0")
    return data


def json_reply(obj, req, status=200, ctype="application/json"):
    return Reply(status, encode(obj, req), ctype)


def sse(objs, req, done=False, ping=False):
    """Server-sent events, one "data:" line per object; ping puts a
    keep-alive comment before each, done ends with "data: [DONE]"."""
    lines = [b"data: " + encode(o, req) + b"\n\n" for o in objs]
    if done:
        lines.append(b"data: [DONE]\n\n")
    if ping:
        lines = [c for line in lines for c in (b": ping\n\n", line)]
    return Reply(chunks=lines, ctype="text/event-stream")


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def now_iso():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % (t % 1 * 1e6)


class Api:
    """What the four protocols share: token text under the fault modes,
    generation, the common error replies."""

    server = None            # the Server: header, or None for none
    special_text = True      # special tokens shown by name (else "")

    def __init__(self, fake):
        self.fake, self.model, self.args = fake, fake.model, fake.args

    def text(self, i, req):
        if req.fault == "garbage" and i in HOSTILE:
            return HOSTILE[i]
        if self.model.special(i) and not self.special_text:
            return ""
        t = self.model.piece(i)
        return t + BAD_MARK if req.fault == "badutf8" else t

    def bytes(self, i, req):
        if req.fault == "garbage":
            return HOSTILE_BYTES
        return list(self.text(i, req).replace(BAD_MARK, "").encode())

    def generate(self, seq, n, rng, bias=None):
        """The server's own continuation of seq: (distribution, pick) per
        token, up to n tokens (n < 0: until EOS or the context is full)."""
        steps, seq = [], list(seq)
        while (n < 0 or len(steps) < n) and len(seq) < self.args.n_ctx:
            lps = self.model.dist(seq)
            tok = pick(lps, rng, bias)
            steps.append((lps, tok))
            seq.append(tok)
            if tok == self.model.eos:
                break
        return steps

    def model_known(self, name):
        return name == self.args.model_name

    def huge(self, req):
        """A 200 reply of HUGE_BYTES of valid-looking JSON, as (prefix,
        item, suffix): the item is repeated, comma-separated."""
        raise NotImplementedError

    def fault_reply(self, req):
        """The reply for a fault that replaces the whole answer."""
        f = req.fault
        if f == "500":
            return Reply(500, b"Internal Server Error\n", "text/plain")
        if f == "errjson":
            return self.error(req, 400, "the fake server refused this request")
        if f == "ctype":
            return Reply(200, b"<!DOCTYPE html>\n<html><head><title>Sign in"
                         b"</title></head><body><h1>Sign in to continue</h1>"
                         b"<form method=post><input name=user></form>"
                         b"</body></html>\n", "text/html; charset=utf-8")
        if f == "redirect":
            loc = "http://127.0.0.2:%d/elsewhere" % self.fake.port
            return Reply(302, b"", "text/plain", headers=[("Location", loc)])
        return None


# --------------------------------------------------------------- llama.cpp


class LlamaCpp(Api):
    server = "llama.cpp"
    special_text = False
    public = {"/health", "/v1/health", "/models", "/v1/models"}

    def __init__(self, fake):
        super().__init__(fake)
        self.slot = []       # the tokens the one slot holds: prompt caching
        self.routes = {("GET", "/health"): self.health,
                       ("GET", "/v1/health"): self.health,
                       ("GET", "/props"): self.props,
                       ("GET", "/models"): self.models,
                       ("GET", "/v1/models"): self.models,
                       ("POST", "/tokenize"): self.tokenize,
                       ("POST", "/detokenize"): self.detokenize,
                       ("POST", "/completion"): self.completion,
                       ("POST", "/completions"): self.completion,
                       ("POST", "/v1/completions"): self.oai_completion}

    def error(self, req, status, msg, kind=None, **extra):
        kind = kind or ("server_error" if status >= 500 else "invalid_request_error")
        err = {"code": status, "message": msg, "type": kind}
        err.update(extra)
        return json_reply({"error": err}, req, status)

    def unauthorized(self, req):
        if req.path in self.public or self.args.api_key is None:
            return None
        key = req.bearer() or req.headers.get("x-api-key")
        if key == self.args.api_key:
            return None
        return json_reply({"error": {"message": "Invalid API Key",
                                     "type": "authentication_error",
                                     "code": 401}}, req, 401)

    def not_found(self, req):
        return self.error(req, 404, "File Not Found", "not_found_error")

    def fault_reply(self, req):
        if req.fault == "loading":
            return self.error(req, 503, "Loading model", "unavailable_error")
        return super().fault_reply(req)

    def health(self, req):
        return json_reply({"status": "ok"}, req)

    def props(self, req):
        m = self.model
        return json_reply({
            "default_generation_settings": {
                "n_ctx": self.args.n_ctx,
                "params": {"n_predict": -1, "temperature": 0.8, "n_probs": 0,
                           "seed": 0xFFFFFFFF}},
            "total_slots": 1,
            "model_path": "models/%s.gguf" % self.args.model_name,
            "model_alias": self.args.model_name,
            "build_info": "b7000-fake",
            "bos_token": m.words[m.bos], "eos_token": m.words[m.eos]}, req)

    def models(self, req):
        name = self.args.model_name
        return json_reply({
            "models": [{"name": name, "model": name, "type": "model"}],
            "object": "list",
            "data": [{"id": name, "object": "model", "created": 0,
                      "owned_by": "llamacpp",
                      "meta": {"vocab_type": 2, "n_vocab": self.model.size,
                               "n_ctx_train": self.args.n_ctx,
                               "n_params": 64, "size": 2048}}]}, req)

    def tokenize(self, req):
        content = req.field("content")
        if not isinstance(content, str):
            return self.error(req, 400, "\"content\" must be a string")
        # An unknown word has no id here: it is left out.
        ids = [i for i in self.model.tokenize(content, req.field("add_special") is True)
               if i is not None]
        if req.field("with_pieces") is True:
            return json_reply({"tokens": [{"id": i, "piece": self.model.piece(i)}
                                          for i in ids]}, req)
        return json_reply({"tokens": ids}, req)

    def detokenize(self, req):
        ids = req.field("tokens", [])
        if not isinstance(ids, list) or not all(is_int(i) and 0 <= i < self.model.size
                                                for i in ids):
            return self.error(req, 400, "\"tokens\" must hold token ids")
        return json_reply({"content": "".join(self.model.piece(i) for i in ids)}, req)

    def prompt(self, prompt):
        """A string, an id list or a mix as a token sequence (BOS first
        when the prompt is or begins with a string), or None."""
        parts = prompt if isinstance(prompt, list) else [prompt]
        if not parts:
            return None
        seq = [self.model.bos] if isinstance(parts[0], str) else []
        for p in parts:
            if isinstance(p, str):
                seq.extend(self.model.tokenize(p, False))
            elif is_int(p) and 0 <= p < self.model.size:
                seq.append(p)
            else:
                return None
        return seq

    def bias(self, raw):
        """logit_bias as [[id, bias|false]] or {"id": bias|false}."""
        pairs = raw.items() if isinstance(raw, dict) else raw if isinstance(raw, list) else []
        out = {}
        for pair in pairs:
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                tok, b = pair
                if isinstance(tok, str) and tok.isdigit():
                    tok = int(tok)
                if is_int(tok) and (b is False or isinstance(b, (int, float))
                                    and not isinstance(b, bool)):
                    out[tok] = b
        return out

    def item(self, lps, tok, n, req):
        def entry(i):
            return {"id": i, "token": self.text(i, req), "bytes": self.bytes(i, req),
                    "logprob": LOG_ZERO if lps[i] is None else lps[i]}
        top = ranked(lps) + [i for i, lp in enumerate(lps) if lp is None]
        e = entry(tok)
        e["top_logprobs"] = [entry(i) for i in top[:n]]
        return e

    def post_item(self, lps, tok, n, req):
        """post_sampling_probs: probabilities after temperature and min_p
        (the request's, defaults 0.8 and 0.05), maybe fewer than n."""
        temp = req.field("temperature", 0.8)
        min_p = req.field("min_p", 0.05)
        live = ranked(lps)
        if not isinstance(temp, (int, float)) or temp <= 0:
            kept = [(live[0], 1.0)]
        else:
            w = [(i, math.exp((lps[i] - lps[live[0]]) / temp)) for i in live]
            w = [(i, x) for i, x in w if x >= min_p]
            total = sum(x for _, x in w)
            kept = [(i, x / total) for i, x in w]
        probs = dict(kept)

        def entry(i):
            return {"id": i, "token": self.text(i, req), "bytes": self.bytes(i, req),
                    "prob": probs.get(i, 0.0)}
        e = entry(tok)
        e["top_probs"] = [entry(i) for i, _ in kept[:n]]
        return e

    def legacy_item(self, lps, tok, n, req):
        """The shape before PR #10783, which carried post-sampling
        probabilities only (the raw ones here: a client must reject the
        shape whatever its numbers)."""
        return {"content": self.text(tok, req),
                "probs": [{"tok_str": self.text(i, req), "prob": math.exp(lps[i])}
                          for i in ranked(lps)[:n]]}

    def run(self, req, seq, n_predict):
        """Generation with prompt caching: (steps, timings, stop_type).
        Each step is (distribution, pick, shown): a step not shown had its
        probabilities dropped by the server (bytepick)."""
        bias = self.bias(req.field("logit_bias"))
        steps = self.generate(seq, n_predict, make_rng(req.field("seed")), bias)
        shown = []
        for lps, tok in steps:
            # The unbiased argmax plays an incomplete UTF-8 piece: banning
            # it with logit_bias is the way around.
            byte = req.fault == "bytepick" and tok == pick(lps, None)
            shown.append((lps, tok, not byte))
        with self.fake.lock:
            common = 0
            if req.field("cache_prompt", True) is not False:
                while (common < min(len(seq), len(self.slot))
                       and seq[common] == self.slot[common]):
                    common += 1
                common = min(common, len(seq) - 1)
            # The last token picked is never evaluated, so not cached.
            self.slot = seq + [t for _, t in steps[:-1]]
        prompt_n, k = len(seq) - common, len(steps)
        timings = {"cache_n": common, "prompt_n": prompt_n,
                   "prompt_ms": 0.5 * prompt_n, "prompt_per_token_ms": 0.5,
                   "prompt_per_second": 2000.0, "predicted_n": k,
                   "predicted_ms": 1.0 * k, "predicted_per_token_ms": 1.0,
                   "predicted_per_second": 1000.0}
        stop = "eos" if steps and steps[-1][1] == self.model.eos else "limit"
        return shown, timings, stop

    def parse(self, req, n_field, probs_field):
        """The common fields of both completion endpoints, or the error
        reply (midstream's too)."""
        if not isinstance(req.body, dict):
            return self.error(req, 400, "the request body must be a JSON object")
        seq = self.prompt(req.field("prompt"))
        if seq is None:
            return self.error(req, 400, "\"prompt\" must be a string, a list of token "
                              "ids, or a mix of strings and token ids")
        if len(seq) >= self.args.n_ctx:
            return self.error(req, 400, "the request exceeds the available context "
                              "size, try increasing it", "exceed_context_size_error",
                              n_prompt_tokens=len(seq), n_ctx=self.args.n_ctx)
        n = req.field(n_field, -1)
        n_probs = req.field(probs_field, 0)
        if not is_int(n) or not is_int(n_probs or 0):
            return self.error(req, 400, "\"%s\" and \"%s\" must be integers"
                              % (n_field, probs_field))
        if req.fault == "midstream":
            return self.midstream(req)
        return seq, n, max(0, min(n_probs or 0, self.model.size))

    def completion(self, req):
        parsed = self.parse(req, "n_predict", "n_probs")
        if isinstance(parsed, Reply):
            return parsed
        seq, n_predict, n_probs = parsed
        post = req.field("post_sampling_probs") is True
        multi = req.fault == "multitoken"
        steps, timings, stop = self.run(req, seq, 2 if multi else n_predict)
        # Each reported step: (distribution, pick, ids in "tokens", shown).
        steps = [(lps, tok, [tok], shown) for lps, tok, shown in steps]
        if multi and len(steps) == 2:
            # Two tokens in one reply, the probabilities of the second only.
            steps = [steps[1][:2] + ([steps[0][1], steps[1][1]], True)]
        ret = req.field("return_tokens") is True

        def probs(step):
            lps, tok, _, shown = step
            if not shown or n_probs == 0 or req.fault == "nologprobs":
                return None
            if req.fault == "postsampling":
                return self.legacy_item(lps, tok, n_probs, req)
            if post:
                return self.post_item(lps, tok, n_probs, req)
            return self.item(lps, tok, n_probs, req)

        def text(step):
            return "".join(self.text(t, req) for t in step[2]) if step[3] else ""

        final = {"index": 0, "content": "".join(text(st) for st in steps),
                 "tokens": [t for st in steps for t in st[2]] if ret else [],
                 "id_slot": 0, "stop": True, "model": self.args.model_name,
                 "tokens_predicted": len(steps), "tokens_evaluated": len(seq),
                 "generation_settings": {"n_predict": n_predict, "n_probs": n_probs,
                                         "seed": req.field("seed", 0xFFFFFFFF),
                                         "post_sampling_probs": post},
                 "prompt": "".join(self.model.piece(i) for i in seq if i is not None),
                 "has_new_line": False, "truncated": False, "stop_type": stop,
                 "stopping_word": "", "tokens_cached": len(seq) + len(steps) - 1,
                 "timings": timings}
        if req.field("stream") is True:
            chunks = []
            for k, st in enumerate(steps):
                if not st[3]:
                    continue     # an incomplete piece is never sent alone
                c = {"index": 0, "content": text(st), "tokens": st[2] if ret else [],
                     "stop": False, "id_slot": 0, "tokens_predicted": k + 1,
                     "tokens_evaluated": len(seq)}
                if probs(st) is not None:
                    c["completion_probabilities"] = [probs(st)]
                chunks.append(c)
            final["content"], final["tokens"] = "", []
            return sse(chunks + [final], req, ping=req.fault == "ping")
        items = [probs(st) for st in steps]
        items = [p for p in items if p is not None]
        if items:
            final["completion_probabilities"] = items
        return json_reply(final, req)

    def oai_completion(self, req):
        """/v1/completions: logprobs:N, no echo, choices[0].logprobs as
        {"content": [items]}, not OpenAI's legacy shape."""
        if req.field("echo") is True:
            return self.error(req, 400, "Only no echo is supported")
        parsed = self.parse(req, "max_tokens", "logprobs")
        if isinstance(parsed, Reply):
            return parsed
        seq, n, n_probs = parsed
        steps, _, stop = self.run(req, seq, 16 if n < 0 else n)
        want = req.field("logprobs") is not None and req.fault != "nologprobs"
        reason = "stop" if stop == "eos" else "length"

        def choice(part, last):
            c = {"text": "".join(self.text(t, req) for _, t, _ in part), "index": 0,
                 "logprobs": None, "finish_reason": reason if last else None}
            if want:
                c["logprobs"] = {"content": [self.item(lps, t, n_probs, req)
                                             for lps, t, shown in part if shown]}
            return c

        head = {"id": "cmpl-fake", "object": "text_completion", "created": int(time.time()),
                "model": self.args.model_name, "system_fingerprint": "b7000-fake"}
        if req.field("stream") is True:
            objs = [dict(head, choices=[choice([s], k == len(steps) - 1)])
                    for k, s in enumerate(steps)]
            return sse(objs, req, done=True, ping=req.fault == "ping")
        usage = {"prompt_tokens": len(seq), "completion_tokens": len(steps),
                 "total_tokens": len(seq) + len(steps)}
        return json_reply(dict(head, choices=[choice(steps, True)], usage=usage), req)

    def midstream(self, req):
        err = {"error": {"code": 500, "message": "the fake server failed mid-stream",
                         "type": "server_error"}}
        if req.field("stream") is True:
            return sse([err], req, done=req.path.startswith("/v1/"))
        return json_reply(err, req, 500)

    def huge(self, req):
        e = '{"id":3,"token":" the","bytes":[32,116,104,101],"logprob":-1.5}'
        return ('{"content":" the","tokens":[3],"stop":true,'
                '"completion_probabilities":[{"id":3,"token":" the",'
                '"bytes":[32,116,104,101],"logprob":-1.5,"top_logprobs":[', e, ']}]}')


# ------------------------------------------------------------------ Ollama


class Ollama(Api):
    special_text = False

    def __init__(self, fake):
        super().__init__(fake)
        v = fake.args.ollama_version
        self.version = tuple(int(x) for x in v.split("-")[0].split(".") if x.isdigit())
        self.routes = {("GET", "/"): self.root,
                       ("GET", "/api/version"): self.api_version,
                       ("GET", "/api/tags"): self.tags,
                       ("GET", "/v1/models"): self.v1_models,
                       ("POST", "/api/show"): self.show,
                       ("POST", "/api/generate"): self.generate_route}

    def tag(self):
        name = self.args.model_name
        return name if ":" in name else name + ":latest"

    def model_known(self, name):
        return isinstance(name, str) and name in (self.args.model_name, self.tag())

    def error(self, req, status, msg):
        return json_reply({"error": msg}, req, status, "application/json; charset=utf-8")

    def unauthorized(self, req):
        return None

    def not_found(self, req):
        return Reply(404, b"404 page not found", "text/plain")

    def root(self, req):
        return Reply(200, b"Ollama is running", "text/plain; charset=utf-8")

    def api_version(self, req):
        return json_reply({"version": self.args.ollama_version}, req)

    def details(self):
        return {"format": "gguf", "family": "llama", "families": ["llama"],
                "parameter_size": "64", "quantization_level": "F32"}

    def tags(self, req):
        return json_reply({"models": [{"name": self.tag(), "model": self.tag(),
                                       "modified_at": "2025-11-20T10:00:00Z",
                                       "size": 2048, "digest": "0" * 64,
                                       "details": self.details()}]}, req)

    def v1_models(self, req):
        return json_reply({"object": "list", "data": [
            {"id": self.tag(), "object": "model", "created": 0,
             "owned_by": "library"}]}, req)

    def show(self, req):
        name = req.field("model", req.field("name"))
        if not self.model_known(name):
            return self.error(req, 404, "model '%s' not found" % name)
        return json_reply({
            "modelfile": "FROM %s\n" % self.tag(), "parameters": "",
            "template": TEMPLATE_WORD + " {{ .Prompt }}",
            "details": self.details(),
            "model_info": {"general.architecture": "llama",
                           "llama.context_length": self.args.n_ctx,
                           "llama.vocab_size": self.model.size},
            "capabilities": ["completion"]}, req)

    def entry(self, lps, tok, top, req):
        def one(i):
            return {"token": self.text(i, req), "logprob": lps[i],
                    "bytes": self.bytes(i, req)}
        e = one(tok)
        if top:
            e["top_logprobs"] = [one(i) for i in ranked(lps)[:top]]
        return e

    def generate_route(self, req):
        if not isinstance(req.body, dict):
            return self.error(req, 400, "invalid request body")
        name = req.field("model")
        if not name:
            return self.error(req, 400, "model is required")
        if not self.model_known(name):
            return self.error(req, 404, "model '%s' not found" % name)
        prompt = req.field("prompt", "")
        if not isinstance(prompt, str):
            return self.error(req, 400, "json: cannot unmarshal %s into Go struct field "
                              "GenerateRequest.prompt of type string"
                              % type(prompt).__name__)
        opts = req.field("options") or {}
        if not isinstance(opts, dict):
            return self.error(req, 400, "options must be an object")
        # Before 0.12.11 the logprobs fields are unknown and ignored.
        knows = self.version >= (0, 12, 11)
        want = knows and req.field("logprobs") is True
        top = req.field("top_logprobs", 0) if knows else 0
        if knows and (not is_int(top) or not 0 <= top <= 20):
            return self.error(req, 400, "top_logprobs must be between 0 and 20")
        stream = req.field("stream") is not False
        head = {"model": name, "created_at": now_iso()}
        if prompt == "":
            # An empty prompt only loads the model.
            done = dict(head, response="", done=True, done_reason="load")
            return self.ndjson([done], req) if stream else json_reply(done, req)
        if req.fault == "midstream":
            err = {"error": "the fake server failed mid-stream"}
            return self.ndjson([err], req) if stream else self.error(req, 500, err["error"])
        text = prompt if req.field("raw") is True else TEMPLATE_WORD + " " + prompt
        seq = self.model.tokenize(text, True)[-self.args.n_ctx + 1:]
        n = opts.get("num_predict", -1)
        steps = self.generate(seq, n if is_int(n) else -1, make_rng(opts.get("seed")))
        chunks = []
        for lps, tok in steps:
            if tok == self.model.eos:
                continue     # EOS ends the answer and brings no logprobs
            c = dict(head, response=self.text(tok, req), done=False)
            if want and req.fault != "nologprobs":
                c["logprobs"] = [self.entry(lps, tok, top, req)]
            chunks.append(c)
        eos = bool(steps) and steps[-1][1] == self.model.eos
        done = dict(head, response="", done=True,
                    done_reason="stop" if eos else "length",
                    total_duration=1000000 + 100000 * len(steps), load_duration=1000,
                    prompt_eval_count=len(seq), prompt_eval_duration=50000 * len(seq),
                    eval_count=len(steps), eval_duration=100000 * len(steps))
        if stream:
            return self.ndjson(chunks + [done], req)
        done["response"] = "".join(c["response"] for c in chunks)
        lp = [e for c in chunks for e in c.get("logprobs", [])]
        if lp:
            done["logprobs"] = lp
        return json_reply(done, req, ctype="application/json; charset=utf-8")

    def ndjson(self, objs, req):
        return Reply(chunks=[encode(o, req) + b"\n" for o in objs],
                     ctype="application/x-ndjson")

    def huge(self, req):
        e = '{"token":" the","logprob":-1.5,"bytes":[32,116,104,101]}'
        return ('{"model":"%s","created_at":"2025-11-20T10:00:00Z","response":" the",'
                '"done":true,"done_reason":"length","logprobs":[{"token":" the",'
                '"logprob":-1.5,"bytes":[32,116,104,101],"top_logprobs":['
                % self.args.model_name, e, ']}]}')


# ---------------------------------------------------------- vLLM and OpenAI


class OpenAI(Api):
    """OpenAI's legacy /v1/completions; vLLM below adds its own endpoints,
    the token_id keys and its error shapes."""

    server = "cloudflare"
    owner = "openai"
    known_fields = {"model", "prompt", "max_tokens", "logprobs", "echo",
                    "temperature", "top_p", "n", "stream", "stream_options",
                    "stop", "seed", "suffix", "user", "best_of", "logit_bias",
                    "presence_penalty", "frequency_penalty"}

    def __init__(self, fake):
        super().__init__(fake)
        self.routes = {("GET", "/v1/models"): self.models,
                       ("POST", "/v1/completions"): self.completions}

    def error(self, req, status, msg, kind=None, param=None, code=None):
        kind = kind or self.kind(status)
        if req.fault == "flaterr":
            # vLLM before v0.10.1.
            return json_reply({"object": "error", "message": msg, "type": kind,
                               "param": param, "code": status}, req, status)
        return json_reply({"error": {"message": msg, "type": kind, "param": param,
                                     "code": code}}, req, status)

    def kind(self, status):
        return "server_error" if status >= 500 else "invalid_request_error"

    def unauthorized(self, req):
        if self.args.api_key is None or req.bearer() == self.args.api_key:
            return None
        return self.error(req, 401, "Incorrect API key provided.",
                          code="invalid_api_key")

    def not_found(self, req):
        return self.error(req, 404, "Invalid URL (%s %s)" % (req.method, req.path))

    def card(self):
        return {"id": self.args.model_name, "object": "model", "created": 0,
                "owned_by": self.owner}

    def models(self, req):
        return json_reply({"object": "list", "data": [self.card()]}, req)

    def check_fields(self, req):
        """OpenAI refuses what it does not know."""
        for k in req.body:
            if k not in self.known_fields:
                return self.error(req, 400, "Unrecognized request argument "
                                  "supplied: %s" % k)
        if "model" not in req.body:
            return self.error(req, 400, "you must provide a model parameter")
        return None

    def cap_error(self, req, n):
        return self.error(req, 400, "The maximum value for `logprobs` is %d."
                          % self.args.max_logprobs, param="logprobs")

    def model_missing(self, req, name):
        return self.error(req, 404, "The model `%s` does not exist or you do not "
                          "have access to it." % name, code="model_not_found")

    def bad(self, req, msg):
        return self.error(req, 400, msg)

    def key(self, i, req, ids):
        return "token_id:%d" % i if ids else self.text(i, req)

    def prompts(self, prompt):
        """A string, an id list, or a list of either, as token sequences."""
        if isinstance(prompt, str) or (isinstance(prompt, list) and prompt
                                       and all(is_int(x) for x in prompt)):
            prompt = [prompt]
        if not isinstance(prompt, list) or not prompt:
            return None
        out = []
        for p in prompt:
            if isinstance(p, str):
                out.append(self.model.tokenize(p, True))
            elif (isinstance(p, list) and p
                  and all(is_int(x) and 0 <= x < self.model.size for x in p)):
                out.append(p)
            else:
                return None
        return out

    def completions(self, req):
        if not isinstance(req.body, dict):
            return self.bad(req, "the request body must be a JSON object")
        err = self.check_fields(req)
        if err:
            return err
        name = req.field("model", self.args.model_name)
        if not self.model_known(name):
            return self.model_missing(req, name)
        prompts = self.prompts(req.field("prompt"))
        if prompts is None:
            return self.bad(req, "prompt must be a string, a list of token ids, "
                            "or a list of either")
        n = req.field("logprobs")
        cap = self.args.max_logprobs
        if n is not None:
            if not is_int(n) or n < -1 or (n == -1 and cap != -1):
                return self.bad(req, "logprobs must be a non-negative integer")
            if cap != -1 and n > cap:
                return self.cap_error(req, n)
            n = self.model.size if n == -1 else n
        max_tokens = req.field("max_tokens")
        max_tokens = 16 if max_tokens is None else max_tokens
        if not is_int(max_tokens) or max_tokens < 0:
            return self.bad(req, "max_tokens must be a non-negative integer")
        for seq in prompts:
            if len(seq) + max_tokens > self.args.n_ctx:
                return self.bad(req, "This model's maximum context length is %d "
                                "tokens. However, you requested %d tokens (%d in the "
                                "messages, %d in the completion). Please reduce the "
                                "length of the messages or completion."
                                % (self.args.n_ctx, len(seq) + max_tokens, len(seq),
                                   max_tokens))
        if req.fault == "midstream":
            if req.field("stream") is True:
                return sse([{"error": {"message": "the fake server failed mid-stream",
                                       "type": "InternalServerError", "param": None,
                                       "code": 500}}], req, done=True)
            return self.error(req, 500, "the fake server failed")
        temp = req.field("temperature", 1.0)
        rng = None if temp == 0 else make_rng(req.field("seed"))
        ids = req.field("return_tokens_as_token_ids") is True
        echo = req.field("echo") is True
        choices = [self.choice(k, seq, max_tokens, n, rng, ids, echo, req)
                   for k, seq in enumerate(prompts)]
        head = {"id": "cmpl-fake", "object": "text_completion",
                "created": int(time.time()), "model": name}
        if req.field("stream") is True:
            objs = [dict(head, choices=[c]) for _, parts in choices for c in parts]
            return sse(objs, req, done=True, ping=req.fault == "ping")
        used = sum(len(seq) for seq in prompts)
        gen = sum(k for k, _ in choices)
        return json_reply(dict(head, choices=[self.merge(parts) for _, parts in choices],
                               usage={"prompt_tokens": used, "completion_tokens": gen,
                                      "total_tokens": used + gen}), req)

    def choice(self, index, seq, max_tokens, n, rng, ids, echo, req):
        """One prompt's choice: how many tokens it generated, and its stream
        chunks, the echoed prompt first (with echo), then one per token."""
        entries = []         # (text, token, logprob, top) per position
        if echo:
            for k, tok in enumerate(seq):
                if tok is None:
                    continue
                lps = self.model.dist(seq[:k]) if k else None
                lp = lps[tok] if lps else None
                entries.append((self.text(tok, req), self.key(tok, req, ids),
                                lp, self.top(lps, tok, n, req, ids) if lps else None))
        first = len(entries)
        steps = self.generate(seq, max_tokens, rng)
        for lps, tok in steps:
            shown = "" if self.model.special(tok) else self.text(tok, req)
            entries.append((shown, self.key(tok, req, ids), lps[tok],
                            self.top(lps, tok, n, req, ids)))
        reason = "stop" if steps and steps[-1][1] == self.model.eos else "length"
        groups = ([entries[:first]] if echo else []) + [[e] for e in entries[first:]]
        parts, offset = [], 0
        for g, group in enumerate(groups):
            lp = None
            if n is not None and req.fault != "nologprobs":
                offs = []
                for e in group:
                    offs.append(offset)
                    offset += len(e[0])
                lp = {"text_offset": offs, "token_logprobs": [e[2] for e in group],
                      "tokens": [e[1] for e in group], "top_logprobs": [e[3] for e in group]}
            parts.append({"index": index, "text": "".join(e[0] for e in group),
                          "logprobs": lp,
                          "finish_reason": reason if g == len(groups) - 1 else None})
        return len(steps), parts or [{"index": index, "text": "", "logprobs": None,
                                      "finish_reason": reason}]

    def top(self, lps, tok, n, req, ids):
        """The top n, with the sampled token merged in: n or n+1 keys."""
        if n is None:
            return None
        keep = ranked(lps)[:n]
        if tok not in keep:
            keep.append(tok)
        return {self.key(i, req, ids): lps[i] for i in keep}

    def merge(self, parts):
        """A choice's stream chunks as one unstreamed choice."""
        c = dict(parts[-1], text="".join(p["text"] for p in parts))
        if parts[-1]["logprobs"] is not None:
            c["logprobs"] = {k: [x for p in parts for x in p["logprobs"][k]]
                             for k in parts[-1]["logprobs"]}
        return c

    def huge(self, req):
        e = '{" the":-1.5," a":-2.5}'
        return ('{"id":"cmpl-fake","object":"text_completion","model":"%s",'
                '"choices":[{"index":0,"text":" the","finish_reason":"length",'
                '"logprobs":{"text_offset":[0],"token_logprobs":[-1.5],'
                '"tokens":[" the"],"top_logprobs":[' % self.args.model_name, e, ']}}]}')


class Vllm(OpenAI):
    server = "uvicorn"
    owner = "vllm"
    special_text = True

    def __init__(self, fake):
        super().__init__(fake)
        self.known_fields = None
        self.routes.update({("GET", "/version"): self.version,
                            ("GET", "/health"): self.health,
                            ("POST", "/tokenize"): self.tokenize,
                            ("POST", "/detokenize"): self.detokenize})

    def check_fields(self, req):
        return None

    def error(self, req, status, msg, kind=None, param=None, code=None):
        return super().error(req, status, msg, kind, None, status)

    def kind(self, status):
        return {404: "NotFoundError"}.get(status, "InternalServerError"
                                          if status >= 500 else "BadRequestError")

    def unauthorized(self, req):
        # vLLM checks only the /v1 paths, and says little.
        if (self.args.api_key is None or not req.path.startswith("/v1")
                or req.bearer() == self.args.api_key):
            return None
        return json_reply({"error": "Unauthorized"}, req, 401)

    def not_found(self, req):
        return json_reply({"detail": "Not Found"}, req, 404)

    def card(self):
        c = super().card()
        c.update(root=self.args.model_name, parent=None, max_model_len=self.args.n_ctx)
        return c

    def cap_error(self, req, n):
        return self.bad(req, "Requested sample logprobs of %d, which is greater "
                        "than max allowed: %d" % (n, self.args.max_logprobs))

    def model_missing(self, req, name):
        return self.error(req, 404, "The model `%s` does not exist." % name)

    def version(self, req):
        return json_reply({"version": "0.11.0"}, req)

    def health(self, req):
        return Reply(200, b"", "application/json")

    def tokenize(self, req):
        prompt = req.field("prompt")
        if not isinstance(prompt, str):
            return self.bad(req, "prompt must be a string")
        ids = [i for i in self.model.tokenize(prompt, req.field("add_special_tokens", True)
                                              is not False) if i is not None]
        strs = ([self.model.piece(i) for i in ids]
                if req.field("return_token_strs") is True else None)
        return json_reply({"count": len(ids), "max_model_len": self.args.n_ctx,
                           "tokens": ids, "token_strs": strs}, req)

    def detokenize(self, req):
        ids = req.field("tokens")
        if not isinstance(ids, list) or not all(is_int(i) and 0 <= i < self.model.size
                                                for i in ids):
            return self.bad(req, "tokens must be a list of token ids")
        return json_reply({"prompt": "".join(self.model.piece(i) for i in ids
                                             if not self.model.special(i))}, req)


APIS = {"llama.cpp": LlamaCpp, "ollama": Ollama, "vllm": Vllm, "openai": OpenAI}


# ------------------------------------------------------------- the server


class Fake:
    """Shared state: the model, the protocol, counters, the log."""

    def __init__(self, args):
        self.args, self.model = args, Model(args.lm)
        self.lock = threading.Lock()
        self.seen = 0            # requests read
        self.matched = 0         # requests on the fault's path
        self.last = time.monotonic()
        self.port = 0
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None
        self.api = APIS[args.api](self)
        self.httpd = None

    def fault_for(self, path):
        """The fault this request gets: after --fault-after requests on
        --fault-path served normally, the next --fault-times (all, if not
        given) get it."""
        a = self.args
        with self.lock:
            self.seen += 1
            self.last = time.monotonic()
            if not a.fault or not path.startswith(a.fault_path):
                return None
            k = self.matched
            self.matched += 1
        if k < a.fault_after or (a.fault_times is not None
                                 and k >= a.fault_after + a.fault_times):
            return None
        return a.fault

    def record(self, req):
        if not self.log:
            return
        line = json.dumps({"n": self.seen, "method": req.method, "path": req.path,
                           "headers": req.headers, "body": req.body,
                           "fault": req.fault}, ensure_ascii=False)
        with self.lock:
            self.log.write(line + "\n")
            self.log.flush()

    def done(self):
        with self.lock:
            self.last = time.monotonic()
            if self.args.max_requests and self.seen >= self.args.max_requests:
                self.stop()

    def stop(self):
        threading.Thread(target=self.httpd.shutdown, daemon=True).start()

    def watch_idle(self):
        while True:
            time.sleep(0.1)
            with self.lock:
                if time.monotonic() - self.last > self.args.idle_exit:
                    self.stop()
                    return


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go in separate writes: without this each reply
    # waits out the client's delayed ACK (40 ms), as no real server does.
    disable_nagle_algorithm = True
    fake = None

    def log_message(self, fmt, *args):
        pass

    def send_response(self, code, message=None):
        # Each protocol's own Server: header, or none (Ollama's Go server).
        self.send_response_only(code, message)
        if self.fake.api.server:
            self.send_header("Server", self.fake.api.server)
        self.send_header("Date", self.date_time_string())

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def serve(self):
        fake = self.fake
        fault = fake.fault_for(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        req = Request(self.command, self.path,
                      {k.lower(): v for k, v in self.headers.items()}, raw, fault)
        fake.record(req)
        try:
            self.answer(req)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        fake.done()

    def answer(self, req):
        api = self.fake.api
        if req.fault == "refuse":
            self.close_connection = True
            return
        if req.fault == "stall":
            self.stall()
            return
        if req.fault == "huge":
            self.send_huge(*api.huge(req))
            return
        reply = api.fault_reply(req) or api.unauthorized(req)
        if reply is None:
            route = api.routes.get((req.method, req.path.split("?")[0]))
            if route is None:
                reply = api.not_found(req)
            elif req.method == "POST" and not req.json_ok:
                reply = api.error(req, 400, "invalid JSON in the request body")
            else:
                try:
                    reply = route(req)
                except Exception as e:  # a reply, as a real server gives
                    reply = api.error(req, 500, "fake.py: %s: %s" % (type(e).__name__, e))
        if req.fault in ("drip", "truncated"):
            self.send_damaged(reply, req.fault)
        elif reply.chunks is not None:
            self.send_chunked(reply)
        else:
            self.send_whole(reply)

    def head(self, reply, extra=()):
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.ctype)
        for k, v in list(reply.headers) + list(extra):
            self.send_header(k, v)
        self.end_headers()

    def send_whole(self, reply):
        self.head(reply, [("Content-Length", str(len(reply.body)))])
        self.wfile.write(reply.body)

    def send_chunked(self, reply):
        self.head(reply, [("Transfer-Encoding", "chunked")])
        for c in reply.chunks:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(c), c))
        self.wfile.write(b"0\r\n\r\n")

    def send_damaged(self, reply, fault):
        """drip: the whole reply, one body byte every DRIP_SECONDS;
        truncated: a Content-Length past the half that is sent."""
        body = reply.payload()
        self.close_connection = True
        if fault == "truncated":
            self.head(reply, [("Content-Length", str(len(body) + 100))])
            self.wfile.write(body[:len(body) // 2])
            return
        self.head(reply, [("Content-Length", str(len(body)))])
        for i in range(len(body)):
            self.wfile.write(body[i:i + 1])
            time.sleep(DRIP_SECONDS)

    def send_huge(self, prefix, item, suffix):
        """HUGE_BYTES of JSON, written in 1 MB blocks of repeated items:
        never built whole in memory."""
        self.close_connection = True
        self.head(Reply(), [("Transfer-Encoding", "chunked")])
        block = ("," + item) * (1000000 // (len(item) + 1))
        sent = len(prefix) + len(item)
        self.wfile.write(b"%x\r\n%s\r\n" % (sent, (prefix + item).encode()))
        data = block.encode()
        while sent < HUGE_BYTES:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            sent += len(data)
        self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(suffix), suffix.encode()))

    def stall(self):
        """Say nothing until the client hangs up (or the server exits)."""
        self.close_connection = True
        conn = self.connection
        while True:
            ready, _, _ = select.select([conn], [], [], 0.5)
            if ready and not conn.recv(4096):
                return


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="A trigram model served over llama.cpp, Ollama, vLLM or "
        "OpenAI HTTP APIs, with fault modes, for the test suites.")
    ap.add_argument("--api", choices=sorted(APIS))
    ap.add_argument("--lm", default=DEFAULT_LM, help="ARPA file (tests/fixtures/tiny.arpa)")
    ap.add_argument("--model-name", default="tiny")
    ap.add_argument("--api-key")
    ap.add_argument("--port", type=int, default=0, help="0: any free port")
    ap.add_argument("--port-file", help="where to write the port once listening")
    ap.add_argument("--log", help="one JSON line per request, appended")
    ap.add_argument("--idle-exit", type=float, default=60.0,
                    help="exit after this many seconds without a request")
    ap.add_argument("--max-requests", type=int, default=0, help="exit after N requests")
    ap.add_argument("--n-ctx", type=int, default=64, help="context size in tokens")
    ap.add_argument("--max-logprobs", type=int,
                    help="vllm/openai cap on logprobs (20, 5); -1: none")
    ap.add_argument("--ollama-version", default="0.12.11")
    ap.add_argument("--fault", help="refuse stall drip 500 errjson truncated ctype huge "
                    "redirect nologprobs garbage badutf8 midstream; llama.cpp: "
                    "postsampling bytepick multitoken loading ping; vllm, openai: "
                    "flaterr ping")
    ap.add_argument("--fault-after", type=int, default=0,
                    help="requests on the fault path served normally first")
    ap.add_argument("--fault-times", type=int, help="how many get the fault (all)")
    ap.add_argument("--fault-path", default="/", help="path prefix the fault is for")
    ap.add_argument("--dump", action="store_true",
                    help="print the next-token distribution after --prompt or --ids")
    ap.add_argument("--prompt", help="text: BOS first, as llama.cpp does with a string")
    ap.add_argument("--ids", help="token ids, comma-separated, taken as they are")
    ap.add_argument("--seed", type=int, help="with --dump: the pick of a seeded draw")
    a = ap.parse_args(argv)
    if a.dump:
        if (a.prompt is None) == (a.ids is None):
            ap.error("--dump needs one of --prompt and --ids")
        return a
    if not a.api:
        ap.error("--api is required")
    if a.fault and a.fault not in TRANSPORT_FAULTS | CONTENT_FAULTS | API_FAULTS[a.api]:
        ap.error("--fault %s is not a fault of --api %s" % (a.fault, a.api))
    if a.api_key is not None and a.api == "ollama":
        ap.error("--api-key: a local Ollama takes no key")
    if a.max_logprobs is None:
        a.max_logprobs = 5 if a.api == "openai" else 20
    return a


def main(argv):
    a = parse_args(argv)
    if a.dump:
        model = Model(a.lm)
        if a.ids is not None:
            try:
                seq = [int(x) for x in a.ids.split(",") if x.strip()]
            except ValueError:
                seq = [-1]
            if not all(0 <= i < model.size for i in seq):
                sys.exit("fake.py: --ids: ids are 0..%d" % (model.size - 1))
        else:
            seq = model.tokenize(a.prompt, True)
        print(json.dumps(dump(model, seq, a.seed)))
        return 0
    fake = Fake(a)
    Handler.fake = fake
    httpd = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    fake.httpd = httpd
    fake.port = httpd.server_address[1]
    if a.port_file:
        # Written whole, then renamed: a reader never sees half a number.
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % fake.port)
        os.replace(tmp, a.port_file)
    threading.Thread(target=fake.watch_idle, daemon=True).start()
    httpd.serve_forever(poll_interval=0.1)
    httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
