#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tempviz's own cost per token generated from a model server.

The fake server of tests/server serves a 4,000-word bigram model (written
here) as llama.cpp; `tempviz generate --server` writes 100 tokens asking for
the top 100 at each step. tempviz's CPU time (user + system, read from the
kernel for the child alone, so the server's work is not in it) is measured
for 100 tokens and for 1, and the difference over 99 is the cost of one
token: the request built and sent, the reply read by the JSON loader, the
vocabulary and the cache, the pipeline and the draw. Medians of 7 runs.
The same is measured for a naive client, Python's urllib and json doing the
same requests and a softmax and draw by hand, as the reference.
"""
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TEMPVIZ = os.environ.get("TEMPVIZ", os.path.join(ROOT, "tempviz"))
WORDS, TOKENS, TOP, RUNS = 4000, 100, 100, 7


def write_model(path):
    rng = random.Random(1)
    uni = [rng.random() + 0.01 for _ in range(WORDS)]
    z = sum(uni)
    with open(path, "w") as f:
        f.write("\\data\\\nngram 1=%d\nngram 2=%d\n\n\\1-grams:\n" % (WORDS + 2, WORDS * 5))
        f.write("-99\t<s>\t-0.3\n-2.0\t</s>\n")
        for i, u in enumerate(uni):
            f.write("%.6f\tw%d\t-0.3\n" % (math.log10(u / z * 0.99), i))
        f.write("\n\\2-grams:\n")
        for i in range(WORDS):
            for j in range(5):
                f.write("%.6f\tw%d w%d\n" % (-0.5 - j * 0.3, i, (i * 7 + j * 13) % WORDS))
        f.write("\n\\end\\\n")


def cpu_of(argv):
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    err = p.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench server: %s failed: %s" % (argv[1], err.strip()))
    return ru.ru_utime + ru.ru_stime


def naive(url, n):
    """The same loop by hand: ids in, top 100 out, softmax, a draw."""
    rng = random.Random(3)
    ids = []
    start = time.process_time()
    for _ in range(n):
        body = json.dumps({"prompt": ["w1"] + ids, "n_predict": 1, "n_probs": TOP,
                           "temperature": 0}).encode()
        req = urllib.request.Request(url + "/completion", body,
                                     {"Content-Type": "application/json"})
        reply = json.load(urllib.request.urlopen(req))
        top = reply["completion_probabilities"][0]["top_logprobs"]
        m = max(t["logprob"] for t in top)
        w = [math.exp(t["logprob"] - m) for t in top]
        r = rng.random() * sum(w)
        for t, x in zip(top, w):
            r -= x
            if r <= 0:
                break
        ids.append(t["id"])
    return time.process_time() - start


def main():
    tmp = tempfile.mkdtemp(prefix="tempviz-bench-")
    model = os.path.join(tmp, "big.arpa")
    write_model(model)
    port_file = os.path.join(tmp, "port")
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests/server/fake.py"),
                               "--api", "llama.cpp", "--lm", model, "--port-file", port_file,
                               "--n-ctx", "100000", "--idle-exit", "60"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            time.sleep(0.05)
        url = "http://127.0.0.1:%s" % open(port_file).read().strip()
        base = [TEMPVIZ, "generate", "--server", url, "--prompt", "w1", "--n-probs", str(TOP)]
        one, many, ref = [], [], []
        for i in range(RUNS):
            seed = ["--seed", str(i)]
            one.append(cpu_of(base + ["-n", "1"] + seed))
            many.append(cpu_of(base + ["-n", str(TOKENS)] + seed))
            ref.append(naive(url, 40) / 40)
        ours = (statistics.median(many) - statistics.median(one)) / (TOKENS - 1) * 1e6
        theirs = statistics.median(ref) * 1e6
        print("  server-token    %8.1f us   tempviz's CPU per token from a server "
              "(top %d of %d, %d runs)" % (ours, TOP, WORDS + 2, RUNS))
        print("                  %8.1f us   naive client (urllib, json, softmax): %.1fx"
              % (theirs, theirs / ours if ours > 0 else float("inf")))
        print("                  goal < 1000 us: %s" % ("met" if ours < 1000 else "MISSED"))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
