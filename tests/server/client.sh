#!/bin/sh
# SPDX-License-Identifier: MIT
# tempviz against a running model server: the fake one of tests/server
# speaking llama.cpp, Ollama, vLLM and OpenAI, unstreamed and streamed.
# The numbers tempviz prints are the server's exactly (fake.py --dump);
# generation sends the drawn tokens back as the server takes them; every
# fault mode is one clear line on stderr with exit 1 and nothing raw on
# the terminal; the API key goes only where it is due and is never shown.
# With TEMPVIZ_TEST_SERVER=URL it also runs against that real server.
# Prints "ok NAME", "FAIL NAME: WHY" or "skip NAME: WHY" per case.

cd "$(dirname "$0")/../.." || exit 2
. tests/server/lib.sh
TEMPVIZ=${TEMPVIZ:-./tempviz}
if ! fake_have; then
	echo "skip server-client: python3 is not installed"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-client.XXXXXX") || exit 2
trap 'fake_stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
failed=0
KEY=sk-tempviz-test-0123456789

fail() {
	echo "FAIL $1: $2"
	failed=$((failed + 1))
}

# tv NAME ARGS...: run tempviz with a bound, output in $tmp/out, $tmp/err.
tv() {
	timeout 20 "$TEMPVIZ" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# same_as_dump NAME PROMPT [N]: print --json's tokens are the server's
# listed ones with p_base = exp(logprob) to float precision, at most N of them, and
# the rest of the vocabulary holds what they leave.
same_as_dump() {
	python3 tests/server/fake.py --dump --prompt "$2" >"$tmp/dump" &&
		python3 - "$tmp/out" "$tmp/dump" "${3:-100}" <<'EOF'
import json, math, sys
got = json.load(open(sys.argv[1])); dump = json.load(open(sys.argv[2]))
n = int(sys.argv[3])
want = {t["piece"] if t["id"] > 1 else None: t["logprob"] for t in dump["tokens"]}
listed = [t for t in got["tokens"] if not t.get("masked")]
assert len(listed) == min(n, len(dump["tokens"])), (len(listed), n)
for t in listed:
    tok = t["token"]
    key = tok if tok in want else None
    assert key in want, tok
    assert abs(t["p_base"] - math.exp(want[key])) < 2e-7 * max(1, t["p_base"]), (tok, t["p_base"], want[key])
top = sorted(want.values(), reverse=True)[:n]
tail = got.get("tail")
left = 1 - sum(math.exp(v) for v in top)
if tail:
    assert abs(tail["p_base"] - left) < 1e-6, (tail["p_base"], left)
else:
    assert left < 1e-6, left
EOF
}

# one_line NAME PATTERN: exit 1 and one stderr line matching PATTERN,
# without an escape byte or the key.
one_line() {
	if [ "$rc" -ne 1 ]; then
		fail "$1" "exit $rc, not 1: $(cat "$tmp/err")"
	elif [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
		fail "$1" "not one line: $(cat "$tmp/err")"
	elif ! grep -q -- "$2" "$tmp/err"; then
		fail "$1" "no \"$2\" in: $(cat "$tmp/err")"
	elif grep -q "$(printf '\033')" "$tmp/err" "$tmp/out" ||
	     grep -q -- "$KEY" "$tmp/err" "$tmp/out"; then
		fail "$1" "an escape or the key reached the terminal"
	else
		echo "ok $1"
	fi
}

# ------------------------------------------------------ the numbers ---
for api in llama.cpp ollama vllm openai; do
	for stream in "" --stream; do
		name="numbers-$api${stream:+-stream}"
		fake_start "$api" || { fail "$name" "no fake server"; continue; }
		n=100
		[ "$api" = openai ] && n=5
		tv print --server "$FAKE_URL" --prompt "the cat" --json $stream
		if [ "$rc" -ne 0 ]; then
			fail "$name" "exit $rc: $(cat "$tmp/err")"
		elif why=$(same_as_dump "$name" "the cat" $n 2>&1); then
			echo "ok $name"
		else
			fail "$name" "$why"
		fi
		fake_stop
	done
done

# The detected kind, the note on screen, and --api forcing it.
fake_start ollama
tv print --server "$FAKE_URL" --prompt "the"
if [ "$rc" -eq 0 ] && grep -q "^listed  .*from Ollama at 127.0.0.1" "$tmp/out"; then
	echo "ok detect-ollama"
else
	fail detect-ollama "$(cat "$tmp/out" "$tmp/err")"
fi
tv print --server "$FAKE_URL" --api llama.cpp --prompt "the"
one_line forced-wrong-api "HTTP 404"
fake_stop

# ------------------------------------------------------- generation ---
fake_start llama.cpp
tv generate --server "$FAKE_URL" --prompt "the" -n 4 --temp 0
if [ "$rc" -eq 0 ] && [ "$(cat "$tmp/out")" = "the cat sat<token 1> the" ]; then
	echo "ok generate-greedy"
else
	fail generate-greedy "$(cat "$tmp/out" "$tmp/err")"
fi
# The ids drawn go back as ids after the prompt's text.
if grep -q '"prompt": \["the", 4, 6, 1\]' "$FAKE_LOG"; then
	echo "ok generate-ids-back"
else
	fail generate-ids-back "$(grep -o '"prompt": [^]]*]' "$FAKE_LOG" | tail -2)"
fi
tv generate --server "$FAKE_URL" --prompt "the" -n 12 --seed 5
cp "$tmp/out" "$tmp/first"
tv generate --server "$FAKE_URL" --prompt "the" -n 12 --seed 5
if [ "$rc" -eq 0 ] && cmp -s "$tmp/out" "$tmp/first"; then
	echo "ok generate-same-seed"
else
	fail generate-same-seed "$(cat "$tmp/first" "$tmp/out" "$tmp/err")"
fi
tv generate --server "$FAKE_URL" --prompt "the" -n 3 --temp 0 --record "$tmp/rec.json"
tv print "$tmp/rec.json" --position 2 --json
if [ "$rc" -eq 0 ] && python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
top = [t for t in j["tokens"] if not t.get("masked")]
assert max(top, key=lambda t: t["p_base"])["token"] == " sat", top
' "$tmp/out"; then
	echo "ok record-replays"
else
	fail record-replays "$(cat "$tmp/err")"
fi

# A talk's prompt step reads the server.
printf '# The cat\nA test.\nprompt: the cat\nview: generate\nseed: 3\ngenerate: 2\n' >"$tmp/t.talk"
tv snapshot --talk "$tmp/t.talk" --step 1 --server "$FAKE_URL" --size 100x20
if [ "$rc" -eq 0 ] && head -1 "$tmp/out" | grep -q 'tiny @ 127.0.0.1.*"the cat '; then
	echo "ok talk-on-server"
else
	fail talk-on-server "$(cat "$tmp/out" "$tmp/err" | head -5)"
fi

# The prompt is history on the screen as in print: its words penalised.
tv print --server "$FAKE_URL" --prompt "the cat" --profile llama.cpp \
	--repeat-penalty 1.3
want=$(awk '$3 == "\342\220\243sat" { printf "%.1f", $6 * 100 }' "$tmp/out")
tv snapshot --server "$FAKE_URL" --prompt "the cat" --profile llama.cpp \
	--repeat-penalty 1.3 --view pipeline --size 140x30
if [ -n "$want" ] && grep -q "penalties moved 2" "$tmp/out" &&
	grep "sat" "$tmp/out" | grep -q " $want"; then
	echo "ok prompt-is-history"
else
	fail prompt-is-history "want $want: $(grep -i 'moved\|sat' "$tmp/out")"
fi

# Take it home names the server, and its print line runs: after two
# words written, it prints the distribution the screen shows.
tv snapshot --server "$FAKE_URL" --prompt the --view generate --size 250x40 \
	--repeat-penalty 1.3 --keys "<Space><Space>T"
line=$(sed -n 's/^ *\(tempviz print .*[^ ]\) *$/\1/p' "$tmp/out" | head -n 1)
case $line in
*"--server $FAKE_URL "*)
	(eval "set -- ${line#tempviz }" && timeout 20 "$TEMPVIZ" "$@") \
		>"$tmp/home" 2>&1
	if [ $? -eq 0 ] && grep -q '^context' "$tmp/home"; then
		echo "ok takehome-server"
	else
		fail takehome-server "$line: $(head -3 "$tmp/home")"
	fi ;;
*) fail takehome-server "no --server line: $line" ;;
esac
fake_stop

# A byte-piece pick comes back without probabilities: it is banned in the
# server's sampler and asked again.
fake_start llama.cpp --fault bytepick --fault-path /completion
tv print --server "$FAKE_URL" --prompt "the cat" --json
if [ "$rc" -eq 0 ] && grep -q '"logit_bias": \[\[6, false\]\]' "$FAKE_LOG"; then
	echo "ok bytepick-retried"
else
	fail bytepick-retried "$(cat "$tmp/err")"
fi
fake_stop

# Ollama's own pick of the end sends no logprobs: another seed is asked.
fake_start ollama
tv generate --server "$FAKE_URL" --prompt "the cat" -n 2 --temp 0
if [ "$rc" -eq 0 ] && grep -q '"raw": true' "$FAKE_LOG"; then
	echo "ok ollama-end-pick"
else
	fail ollama-end-pick "exit $rc: $(cat "$tmp/err")"
fi
fake_stop

# vLLM's cap is read from its refusal and kept to.
fake_start vllm --max-logprobs 3
tv print --server "$FAKE_URL" --n-probs 50 --prompt "the cat" --json
if [ "$rc" -eq 0 ] && same_as_dump vllm-cap "the cat" 3 >/dev/null 2>&1; then
	echo "ok vllm-cap"
else
	fail vllm-cap "$(cat "$tmp/err")"
fi
fake_stop

# ----------------------------------------------------------- faults ---
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tv print --server "http://127.0.0.1:$port" --prompt "the"
one_line refused "connection refused"
tv print --server "http://nohost.invalid:8080" --prompt "the"
one_line unknown-host "nohost.invalid"
tv print --server "ftp://127.0.0.1:$port" --prompt "the"
if [ "$rc" -eq 2 ] && grep -q "not an http:// or https://" "$tmp/err"; then
	echo "ok not-http"
else
	fail not-http "exit $rc: $(cat "$tmp/err")"
fi

fault() {
	name=$1 api=$2 mode=$3 want=$4
	shift 4
	fake_start "$api" --fault "$mode" --fault-path "$FAULT_PATH" ||
		{ fail "$name" "no fake server"; return; }
	tv print --server "$FAKE_URL" --prompt "the" "$@"
	one_line "$name" "$want"
	fake_stop
}
FAULT_PATH=/completion
fault stall llama.cpp stall "no answer within" --timeout 1
# Past the 5 s connect limit, on the connection the detection opened:
# the answer is late, not the connection.
fault stall-kept llama.cpp stall "no answer within 6.0 s (--timeout)" \
	--timeout 6
fault http-500 llama.cpp 500 "HTTP 500"
fault error-json llama.cpp errjson "HTTP 400"
fault truncated llama.cpp truncated "127.0.0.1"
fault content-type llama.cpp ctype "not JSON"
fault huge llama.cpp huge "over 64 MiB"
fault redirect llama.cpp redirect "redirects to 127.0.0.2"
fault no-logprobs llama.cpp nologprobs "no log-probabilities"
fault post-sampling llama.cpp postsampling "after its own samplers"
fault loading llama.cpp loading "HTTP 503"
fault bad-utf8 llama.cpp badutf8 "127.0.0.1"
FAULT_PATH=/api/generate
fault ollama-errjson ollama errjson "HTTP 400"

# Streamed: an error event mid-stream is the server's message; keep-alive
# pings are skipped.
fake_start llama.cpp --fault midstream --fault-path /completion
tv print --server "$FAKE_URL" --prompt "the" --stream
one_line stream-error "127.0.0.1"
fake_stop
fake_start llama.cpp --fault ping --fault-path /completion
tv print --server "$FAKE_URL" --prompt "the cat" --stream --json
if [ "$rc" -eq 0 ] && same_as_dump ping "the cat" >/dev/null 2>&1; then
	echo "ok stream-pings"
else
	fail stream-pings "exit $rc: $(cat "$tmp/err")"
fi
fake_stop

# Hostile token text is drawn escaped, never raw.
fake_start llama.cpp --fault garbage --fault-path /completion
tv print --server "$FAKE_URL" --prompt "the"
if grep -q "$(printf '\033')" "$tmp/out" "$tmp/err"; then
	fail garbage "an escape byte reached the output"
else
	echo "ok garbage"
fi
fake_stop

fake_start ollama --ollama-version 0.11.0
tv print --server "$FAKE_URL" --prompt "the"
one_line ollama-old "upgrade Ollama"
fake_stop
fake_start ollama
tv print --server "$FAKE_URL" --model nosuch --prompt "the"
one_line unknown-model 'no model "nosuch" (Ollama has: tiny'
fake_stop

# ---------------------------------------------------------- the key ---
fake_start vllm --api-key "$KEY"
TEMPVIZ_API_KEY= OPENAI_API_KEY= tv print --server "$FAKE_URL" --prompt "the"
one_line key-missing "wants an API key"
TEMPVIZ_API_KEY=wrong tv print --server "$FAKE_URL" --prompt "the"
one_line key-wrong "refused the API key"
TEMPVIZ_API_KEY=$KEY tv print --server "$FAKE_URL" --prompt "the"
if [ "$rc" -eq 0 ] && ! grep -q -- "$KEY" "$tmp/out" "$tmp/err" &&
   grep -q "Bearer $KEY" "$FAKE_LOG"; then
	echo "ok key-sent"
else
	fail key-sent "exit $rc: $(cat "$tmp/err")"
fi
fake_stop
# A redirect is not followed, so the key never reaches the other host.
fake_start llama.cpp --fault redirect --fault-path /completion
TEMPVIZ_API_KEY=$KEY tv print --server "$FAKE_URL" --prompt "the"
if [ "$(grep -c . "$FAKE_LOG")" -ge 1 ] && ! grep -q elsewhere "$FAKE_LOG"; then
	echo "ok key-not-redirected"
else
	fail key-not-redirected "the redirect was followed"
fi
fake_stop

# ------------------------------------------------------ real server ---
if [ -n "$TEMPVIZ_TEST_SERVER" ]; then
	tv print --server "$TEMPVIZ_TEST_SERVER" --prompt "The capital of France is" --top-k 5
	if [ "$rc" -eq 0 ]; then
		echo "ok real-server"
	else
		fail real-server "$(cat "$tmp/err")"
	fi
else
	echo "skip real-server: set TEMPVIZ_TEST_SERVER=URL to run it"
fi

[ "$failed" -eq 0 ]
