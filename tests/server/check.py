# SPDX-License-Identifier: MIT
"""Assertions on the fake server's replies, for tests/server/selftest.sh,
which queues them in a directory: for each N, N.r is a reply's body, N.s
its "STATUS CONTENT-TYPE" line, N.args the lines NAME, STATUS (a prefix
the status line must have; may be empty), KIND and KIND's arguments:

  status                     nothing more
  json EXPR                  EXPR holds (Python; j is the parsed reply, or
                             the list of a stream's events)
  raw EXPR                   EXPR holds, j the body's bytes
  llama|ollama|vllm DUMP N [stream] [ids]
                             the reply's first distribution is the top N of
                             DUMP (fake.py --dump), in that API's shape
  katz CAT XYZ               the dumps of "the cat" and "xyz the" hold the
                             numbers worked out by hand from tiny.arpa

  check.py batch DIR         one "ok NAME" or "FAIL NAME: WHY" line per check
"""

import json
import math
import os
import sys

LOG_ZERO = -3.4028234663852886e38
EOS = 1


class Bad(Exception):
    pass


def expect(cond, why):
    if not cond:
        raise Bad(why)


def events(data):
    """SSE "data:" events or NDJSON lines as parsed objects; "[DONE]" and
    ": ping" kept as those strings."""
    out = []
    for line in data.decode().split("\n"):
        if line.startswith("data: "):
            body = line[6:]
            out.append(body if body == "[DONE]" else json.loads(body))
        elif line.startswith(":"):
            out.append(": ping")
        elif line.strip():
            out.append(json.loads(line))
    return out


def katz(cat, xyz):
    """p(w | the cat) and p(w | xyz the) from tiny.arpa's numbers, by hand."""
    cases = {
        # "the cat sat" is a trigram; otherwise bow(the cat) * bow(cat) * p(w).
        cat: {6: 10 ** -0.09691, 1: 10 ** (-0.2 - 0.1 - 0.69897),
              2: 10 ** (-0.3 - 1.0), 3: 10 ** (-0.3 - 0.522879),
              4: 10 ** (-0.3 - 0.823909), 5: 10 ** (-0.3 - 0.823909)},
        # xyz is unknown: the context is "the" alone, not "<s> the".
        xyz: {4: 10 ** -0.39794, 5: 10 ** -0.39794, 1: 10 ** (-0.30103 - 0.69897),
              2: 10 ** (-0.30103 - 1.0), 3: 10 ** (-0.30103 - 0.522879),
              6: 10 ** (-0.30103 - 1.0)},
    }
    for path, p in cases.items():
        d = json.load(open(path))
        expect(d["vocab_size"] == 7, "vocab_size %r" % d["vocab_size"])
        got = {t["id"]: t["logprob"] for t in d["tokens"]}
        expect(set(got) == set(p), "%s: ids %r" % (path, sorted(got)))
        total = sum(p.values())
        for i, x in p.items():
            want = math.log(x / total)
            expect(abs(got[i] - want) < 1e-12,
                   "%s: id %d logprob %r, want %r" % (path, i, got[i], want))
        lps = [t["logprob"] for t in d["tokens"]]
        expect(lps == sorted(lps, reverse=True), "%s: not sorted" % path)


def llama(j, d, n, stream):
    if stream:
        expect("[DONE]" not in j, "/completion sent [DONE]")
        expect(j[-1]["stop"] is True and "completion_probabilities" not in j[-1],
               "last event: %r" % j[-1])
        for e in j[:-1]:
            expect(e["stop"] is False and len(e["completion_probabilities"]) == 1,
                   "token event: %r" % e)
        j = j[0]
    item = j["completion_probabilities"][0]
    want = d["tokens"] + [{"id": 0, "piece": "<s>", "logprob": LOG_ZERO}]
    top = item["top_logprobs"]
    expect(len(top) == min(n, 7), "%d entries, want %d" % (len(top), min(n, 7)))
    for got, w in zip(top, want):
        special = w["id"] in (0, EOS)
        expect(got["id"] == w["id"] and got["logprob"] == w["logprob"],
               "entry %r, want %r" % (got, w))
        expect(got["token"] == ("" if special else w["piece"]), "token %r" % got["token"])
        expect(got["bytes"] == ([] if special else list(w["piece"].encode())),
               "bytes %r" % got["bytes"])
    expect(item["id"] == d["pick"], "picked %r, want %r" % (item["id"], d["pick"]))


def ollama(j, d, n, stream):
    if stream:
        expect(j[-1]["done"] is True and "logprobs" not in j[-1], "last line %r" % j[-1])
        j = j[0]
        expect(j["done"] is False, "first line %r" % j)
    entry = j["logprobs"][0]
    top = entry["top_logprobs"]
    expect(len(top) == min(n, 6), "%d entries" % len(top))
    for got, w in zip(top, d["tokens"]):
        piece = "" if w["id"] == EOS else w["piece"]
        expect(got == {"token": piece, "logprob": w["logprob"],
                       "bytes": list(piece.encode())}, "entry %r, want %r" % (got, w))


def vllm(j, d, n, stream, ids):
    if stream:
        expect(j[-1] == "[DONE]", "no [DONE] at the end")
        j = j[0]
    lp = j["choices"][0]["logprobs"]

    def key(t):
        return "token_id:%d" % t["id"] if ids else t["piece"]
    want = {key(t): t["logprob"] for t in d["tokens"][:n]}
    picked = [t for t in d["tokens"] if t["id"] == d["pick"]][0]
    want[key(picked)] = picked["logprob"]
    expect(lp["top_logprobs"][0] == want, "top %r, want %r" % (lp["top_logprobs"][0], want))
    expect(lp["tokens"][0] == key(picked) and lp["token_logprobs"][0] == picked["logprob"],
           "sampled %r %r" % (lp["tokens"][0], lp["token_logprobs"][0]))


def load(data):
    try:
        return json.loads(data)
    except ValueError:
        return events(data)


def run(kind, body, args):
    if kind == "status":
        return
    if kind == "raw":
        expect(eval(args[0], {"j": body}), "%s: %.300r" % (args[0], body))
    elif kind == "json":
        j = load(body)
        expect(eval(args[0], {"j": j}), "%s: %.300s" % (args[0], json.dumps(j)))
    elif kind == "katz":
        katz(*args)
    else:
        j, d, n = load(body), json.load(open(args[0])), int(args[1])
        stream, ids = "stream" in args[2:], "ids" in args[2:]
        if kind == "vllm":
            vllm(j, d, n, stream, ids)
        else:
            {"llama": llama, "ollama": ollama}[kind](j, d, n, stream)


def batch(queue):
    failed = 0
    n = 1
    while os.path.exists(os.path.join(queue, "%d.args" % n)):
        base = os.path.join(queue, str(n))
        name, status, kind, *args = open(base + ".args").read().split("\n")[:-1]
        got = open(base + ".s").read()
        try:
            expect(got.startswith(status), "status and type %r, want %r" % (got, status))
            run(kind, open(base + ".r", "rb").read(), args)
            print("ok " + name)
        except (Bad, KeyError, IndexError, TypeError, ValueError) as e:
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
            failed += 1
        n += 1
    return 1 if failed or n == 1 else 0


if __name__ == "__main__":
    sys.exit(batch(sys.argv[2]) if sys.argv[1:2] == ["batch"] else 2)
