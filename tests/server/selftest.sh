#!/bin/sh
# SPDX-License-Identifier: MIT
# Self-test of the fake model server: each API unstreamed and streamed gives
# exactly the distribution of --dump (itself checked against numbers worked
# out by hand), in that API's shape; each fault mode does what it says; the
# options that bound its life (--idle-exit, --max-requests) and the helpers
# of lib.sh work. Prints "ok NAME" or "FAIL NAME: WHY" per case; exits
# non-zero when any failed.

cd "$(dirname "$0")/../.." || exit 2
. tests/server/lib.sh
if ! fake_have; then
	echo "skip server: python3 is not installed"
	exit 0
fi
if ! command -v curl >/dev/null 2>&1; then
	echo "skip server: curl is not installed"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-server.XXXXXX") || exit 2
trap 'fake_stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
failed=0

fail() {
	echo "FAIL $1: $2"
	failed=$((failed + 1))
}

# check NAME COMMAND...: ok when the command succeeds, else its output.
check() {
	name=$1
	shift
	if why=$("$@" 2>&1); then
		echo "ok $name"
	else
		fail "$name" "$why"
	fi
}

# req PATH [BODY [CURL ARGS...]]: GET, or POST of BODY; the body goes to
# $tmp/r, the status and content type to $tmp/s, curl's exit status to $rc.
req() {
	path=$1
	shift
	body=
	if [ $# -gt 0 ]; then
		body=$1
		shift
	fi
	if [ -n "$body" ]; then
		set -- -H 'Content-Type: application/json' -d "$body" "$@"
	fi
	rm -f "$tmp/r"
	curl -s --max-time 5 -o "$tmp/r" -w '%{http_code} %{content_type}' \
		"$@" "$FAKE_URL$path" >"$tmp/s"
	rc=$?
}

# expect NAME STATUS KIND ARGS...: queues a check of the last reply (its
# status must begin with STATUS, unless that is empty); check.py batch runs
# the queue at the end, in one process, since each python3 start costs.
nq=0
mkdir "$tmp/q"
expect() {
	nq=$((nq + 1))
	cp "$tmp/r" "$tmp/q/$nq.r" 2>/dev/null || : >"$tmp/q/$nq.r"
	cp "$tmp/s" "$tmp/q/$nq.s" 2>/dev/null || : >"$tmp/q/$nq.s"
	printf '%s\n' "$@" >"$tmp/q/$nq.args"
}

# dump NAME ARGS...: fake.py --dump ARGS into $tmp/NAME.
dump() {
	name=$1
	shift
	python3 "$FAKE_PY" --dump "$@" >"$tmp/$name"
}

# up API ARGS...: fake_start, or one FAIL line.
up() {
	fake_start "$@" && return 0
	fail "start $*" "fake_start failed"
	return 1
}

dump cat --prompt "the cat"
dump ids --ids 0,3,4
dump sat --prompt "the cat sat"
dump cut --prompt "$(printf '[INST] the')"
dump the --prompt "the"
dump xyz --prompt "xyz the"
expect dump-katz '' katz "$tmp/cat" "$tmp/xyz"
check dump-ids cmp -s "$tmp/cat" "$tmp/ids"

# ------------------------------------------------------------- llama.cpp

if up llama.cpp; then
	req /health
	expect llama-health '' json 'j == {"status": "ok"}'
	curl -s -D "$tmp/h" -o /dev/null "$FAKE_URL/nothing"
	check llama-server-header grep -qi '^Server: llama.cpp' "$tmp/h"
	req /props
	expect llama-props '' json 'j["build_info"] == "b7000-fake" and j["default_generation_settings"]["n_ctx"] == 64 and j["bos_token"] == "<s>" and j["eos_token"] == "</s>"'
	req /v1/models
	expect llama-models '' json 'j["data"][0]["id"] == "tiny" and j["data"][0]["meta"]["n_vocab"] == 7'
	req /tokenize '{"content":"The cat","add_special":true,"with_pieces":true}'
	expect llama-tokenize '' json 'j == {"tokens": [{"id": 0, "piece": "<s>"}, {"id": 3, "piece": " the"}, {"id": 4, "piece": " cat"}]}'
	req /detokenize '{"tokens":[3,4]}'
	expect llama-detokenize '' json 'j == {"content": " the cat"}'

	req /completion '{"prompt":"the cat","n_predict":1,"n_probs":20,"return_tokens":true,"cache_prompt":true}'
	expect llama-string '' llama "$tmp/cat" 20
	expect llama-fields '' json 'j["tokens"] == [6] and j["stop"] is True and j["content"] == " sat" and j["timings"]["prompt_n"] == 3'
	req /completion '{"prompt":[0,3,4],"n_predict":1,"n_probs":3}'
	expect llama-ids '' llama "$tmp/ids" 3
	expect llama-cache '' json 'j["timings"]["cache_n"] == 2 and j["timings"]["prompt_n"] == 1'
	req /completion '{"prompt":[0,3,4,6],"n_predict":1,"n_probs":2}'
	expect llama-cache-extend '' json 'j["timings"]["cache_n"] == 3 and j["timings"]["prompt_n"] == 1'
	expect llama-eos '' json 'j["stop_type"] == "eos" and j["completion_probabilities"][0]["id"] == 1 and j["completion_probabilities"][0]["token"] == ""'
	req /completion '{"prompt":["the",4],"n_predict":1,"n_probs":7}'
	expect llama-mixed '' llama "$tmp/cat" 7
	req /completion '{"prompt":"the cat","n_predict":1,"n_probs":5,"stream":true}'
	expect llama-stream '' llama "$tmp/cat" 5 stream
	req /completion '{"prompt":"the cat","n_predict":1,"n_probs":5,"post_sampling_probs":true}'
	expect llama-post '' json 'abs(sum(t["prob"] for t in j["completion_probabilities"][0]["top_probs"]) - 1) < 1e-12 and "logprob" not in j["completion_probabilities"][0]'
	req /completion '{"prompt":"the cat","n_predict":1,"n_probs":2,"seed":7}'
	dump seed7 --prompt "the cat" --seed 7
	expect llama-seed '' llama "$tmp/seed7" 2
	req /completion '{"prompt":[99],"n_predict":1}'
	expect llama-bad-id 400 json 'j["error"]["type"] == "invalid_request_error"'
	req /v1/completions '{"prompt":"the cat","max_tokens":1,"logprobs":3}'
	expect llama-v1-shape '' json 'j["choices"][0]["logprobs"]["content"][0]["top_logprobs"][0]["id"] == 6'
	req /v1/completions '{"prompt":"the cat","max_tokens":1,"echo":true}'
	expect llama-v1-echo 400 json '"no echo" in j["error"]["message"]'
	cp "$FAKE_LOG" "$tmp/r"
	expect llama-log '' json 'j[0]["method"] == "GET" and j[0]["path"] == "/health" and [e for e in j if e["path"] == "/completion"][0]["body"]["n_predict"] == 1'
	port=$FAKE_PORT
	fake_restart
	req /health
	check restart-port test "$(cut -c1-3 "$tmp/s") $FAKE_PORT" = "200 $port"
	fake_stop
fi

if up llama.cpp --api-key sekret --model-name m1; then
	req /completion '{"prompt":"the","n_predict":1,"n_probs":1}'
	expect llama-key-missing 401 json 'j == {"error": {"message": "Invalid API Key", "type": "authentication_error", "code": 401}}'
	req /completion '{"prompt":"the","n_predict":1,"n_probs":1}' -H 'Authorization: Bearer sekret'
	expect llama-key-bearer 200 status
	req /completion '{"prompt":"the","n_predict":1,"n_probs":1}' -H 'X-Api-Key: sekret'
	expect llama-key-x 200 status
	req /v1/models
	expect llama-key-public 200 json 'j["data"][0]["id"] == "m1"'
	cp "$FAKE_LOG" "$tmp/r"
	expect llama-key-log '' json 'j[1]["headers"]["authorization"] == "Bearer sekret" and "authorization" not in j[0]["headers"]'
	fake_stop
fi

# ------------------------------------------------------------------ Ollama

gen() {
	printf '{"model":"tiny","prompt":"%s","raw":true,"logprobs":true,"top_logprobs":20,"options":{"num_predict":1%s}%s}' "$@"
}

if up ollama; then
	req /
	check ollama-root grep -qx 'Ollama is running' "$tmp/r"
	req /api/version
	expect ollama-version '' json 'j == {"version": "0.12.11"}'
	req /api/tags
	expect ollama-tags '' json 'j["models"][0]["name"] == "tiny:latest"'
	req /api/show '{"model":"tiny"}'
	expect ollama-show '' json 'j["model_info"]["llama.vocab_size"] == 7 and "completion" in j["capabilities"]'
	req /api/generate "$(gen 'the cat' '' ',"stream":false')"
	expect ollama-generate '' ollama "$tmp/cat" 20
	req /api/generate "$(gen 'the cat' '' '')"
	expect ollama-stream-default '' ollama "$tmp/cat" 20 stream
	req /api/generate '{"model":"tiny","prompt":"the","logprobs":true,"top_logprobs":6,"stream":false,"options":{"num_predict":1}}'
	expect ollama-template '' ollama "$tmp/cut" 6
	req /api/generate "$(gen 'the' '' ',"stream":false')"
	expect ollama-raw '' ollama "$tmp/the" 20
	req /api/generate "$(gen 'the' '' ',"top_logprobs":21')"
	expect ollama-cap 400 json 'j == {"error": "top_logprobs must be between 0 and 20"}'
	req /api/generate '{"model":"nope","prompt":"the"}'
	expect ollama-model 404 json "j == {'error': \"model 'nope' not found\"}"
	# The server's own pick after "the cat sat" is EOS: no logprobs. A seed
	# whose draw is not EOS brings them (the --dump pick tells which).
	req /api/generate "$(gen 'the cat sat' '' ',"stream":false')"
	expect ollama-eos-nologprobs '' json '"logprobs" not in j and j["done_reason"] == "stop"'
	seed=1
	while [ "$seed" -lt 30 ]; do
		dump seed --prompt "the cat sat" --seed "$seed"
		grep -q '"pick": 1,' "$tmp/seed" || break
		seed=$((seed + 1))
	done
	req /api/generate "$(gen 'the cat sat' ",\"seed\":$seed" ',"stream":false')"
	expect ollama-eos-retry '' ollama "$tmp/seed" 6
	fake_stop
fi

if up ollama --ollama-version 0.12.10; then
	req /api/generate "$(gen 'the cat' '' ',"top_logprobs":50')"
	expect ollama-old-version 200 json 'len(j) == 2 and all("logprobs" not in e for e in j)'
	fake_stop
fi

# ---------------------------------------------------------- vLLM, OpenAI

cmpl() {
	printf '{"model":"tiny","prompt":%s,"max_tokens":1,"logprobs":%s%s}' "$@"
}

if up vllm --api-key k; then
	auth="Authorization: Bearer k"
	req /v1/models
	expect vllm-key-models 401 json 'j == {"error": "Unauthorized"}'
	req /v1/models '' -H "$auth"
	expect vllm-models '' json 'j["data"][0]["owned_by"] == "vllm" and j["data"][0]["max_model_len"] == 64'
	req /version
	expect vllm-version '' json '"version" in j'
	req /health
	expect vllm-health 200 status
	req /v1/completions "$(cmpl '"the cat"' 5 '')" -H "$auth"
	expect vllm-string '' vllm "$tmp/cat" 5
	req /v1/completions "$(cmpl '[0,3,4]' 20 ',"return_tokens_as_token_ids":true')" -H "$auth"
	expect vllm-ids '' vllm "$tmp/ids" 20 ids
	req /v1/completions "$(cmpl '"the cat"' 2 ',"stream":true')" -H "$auth"
	expect vllm-stream '' vllm "$tmp/cat" 2 stream
	# Seed 7 draws a token outside the top 1: it is merged in, 2 keys.
	req /v1/completions "$(cmpl '"the cat"' 1 ',"seed":7')" -H "$auth"
	expect vllm-merged '' vllm "$tmp/seed7" 1
	expect vllm-merged-keys '' json 'len(j["choices"][0]["logprobs"]["top_logprobs"][0]) == 2'
	req /v1/completions "$(cmpl '"the"' 21 '')" -H "$auth"
	expect vllm-cap 400 json 'j == {"error": {"message": "Requested sample logprobs of 21, which is greater than max allowed: 20", "type": "BadRequestError", "param": None, "code": 400}}'
	req /v1/completions '{"model":"x","prompt":"the","max_tokens":1}' -H "$auth"
	expect vllm-model 404 json 'j["error"]["message"] == "The model `x` does not exist."'
	fake_stop
fi

if up vllm --max-logprobs -1; then
	req /v1/completions "$(cmpl '"the cat"' -1 '')"
	expect vllm-nocap '' vllm "$tmp/cat" 6
	fake_stop
fi

if up openai; then
	req /v1/models
	expect openai-models '' json 'j["data"][0]["owned_by"] == "openai"'
	req /v1/completions "$(cmpl '"the cat"' 5 '')"
	expect openai-string '' vllm "$tmp/cat" 5
	req /v1/completions "$(cmpl '"the cat"' 5 ',"stream":true')"
	expect openai-stream '' vllm "$tmp/cat" 5 stream
	req /v1/completions "$(cmpl '"the"' 6 '')"
	expect openai-cap 400 json '"is 5" in j["error"]["message"]'
	req /v1/completions "$(cmpl '"the"' 1 ',"return_tokens_as_token_ids":true')"
	expect openai-unknown-field 400 json '"return_tokens_as_token_ids" in j["error"]["message"]'
	fake_stop
fi

# ------------------------------------------------------------------ faults

LP='{"prompt":"the cat","n_predict":1,"n_probs":3,"return_tokens":true}'

# fault NAME ARGS...: a llama.cpp server with --fault NAME ARGS.
fault() {
	f=$1
	shift
	up llama.cpp --fault "$f" "$@"
}

if fault refuse; then
	req /completion "$LP"
	check fault-refuse test "$rc" -eq 52
	fake_stop
fi
if fault stall; then
	req /completion "$LP" --max-time 1
	check fault-stall test "$rc" -eq 28 -a ! -s "$tmp/r"
	fake_stop
fi
if fault drip; then
	req /completion "$LP" --max-time 1
	n=$(wc -c <"$tmp/r")
	check fault-drip test "$rc" -eq 28 -a "$n" -ge 2 -a "$n" -le 8
	fake_stop
fi
if fault 500; then
	req /completion "$LP"
	expect fault-500 '500 text/plain' status
	fake_stop
fi
for api in llama.cpp ollama vllm openai; do
	if up $api --fault errjson; then
		req /x '{}'
		case $api in
		llama.cpp) e='j["error"]["type"] == "invalid_request_error" and j["error"]["code"] == 400' ;;
		ollama) e='isinstance(j["error"], str)' ;;
		vllm) e='j["error"]["type"] == "BadRequestError" and j["error"]["code"] == 400' ;;
		openai) e='j["error"]["type"] == "invalid_request_error"' ;;
		esac
		expect "fault-errjson-$api" 400 json "$e"
		fake_stop
	fi
done
if fault truncated; then
	req /completion "$LP"
	check fault-truncated test "$rc" -eq 18
	fake_stop
fi
if fault ctype; then
	req /completion "$LP"
	expect fault-ctype '200 text/html' status
	check fault-ctype-body grep -q '<html>' "$tmp/r"
	fake_stop
fi
if fault huge; then
	if curl -s --max-time 20 "$FAKE_URL/completion" -d "$LP" |
		python3 -c '
import sys
head, tail, n = b"", b"", 0
for block in iter(lambda: sys.stdin.buffer.read(1 << 20), b""):
    head = head or block[:64]
    tail = (tail + block)[-64:]
    n += len(block)
ok = n >= 300000000 and head.startswith(b"{\"content\"") and tail.endswith(b"]}]}")
print("%d bytes, %r ... %r" % (n, head, tail))
sys.exit(0 if ok else 1)' >"$tmp/huge"; then
		echo "ok fault-huge"
	else
		fail fault-huge "$(cat "$tmp/huge")"
	fi
	fake_stop
fi
if fault redirect; then
	req /completion "$LP" -D "$tmp/h"
	check fault-redirect grep -q "^Location: http://127.0.0.2:$FAKE_PORT/elsewhere" "$tmp/h"
	fake_stop
fi
# Faults in each API's own shape: the same request to each.
for f in nologprobs garbage; do
	for api in llama.cpp ollama vllm; do
		up $api --fault $f || continue
		case $api in
		llama.cpp) req /completion "$LP" ;;
		ollama) req /api/generate "$(gen 'the cat' '' ',"stream":false')" ;;
		vllm) req /v1/completions "$(cmpl '"the cat"' 5 '')" ;;
		esac
		case $f-$api in
		nologprobs-llama.cpp) e='"completion_probabilities" not in j and j["tokens"] == [6]' ;;
		nologprobs-ollama) e='"logprobs" not in j and j["response"] == " sat"' ;;
		nologprobs-vllm) e='j["choices"][0]["logprobs"] is None' ;;
		garbage-llama.cpp) e='any("\x1b" in t["token"] for t in j["completion_probabilities"][0]["top_logprobs"]) and 0 in j["completion_probabilities"][0]["bytes"] and 255 in j["completion_probabilities"][0]["bytes"]' ;;
		garbage-ollama) e='any("\x1b" in t["token"] for t in j["logprobs"][0]["top_logprobs"]) and 0 in j["logprobs"][0]["bytes"]' ;;
		garbage-vllm) e='any("\x1b" in k for k in j["choices"][0]["logprobs"]["top_logprobs"][0])' ;;
		esac
		expect "fault-$f-$api" 200 json "$e"
		fake_stop
	done
done
# fault_case FAULT PATH BODY STATUS KIND EXPR: one request to a llama.cpp
# server with --fault FAULT, and what its reply must be.
fault_case() {
	fault "$1" || return
	req "$2" "$3"
	expect "fault-$1" "$4" "$5" "$6"
	fake_stop
}
ST='{"prompt":"the","n_predict":1,"n_probs":1,"stream":true}'
fault_case postsampling /completion "$LP" 200 json 'j["completion_probabilities"][0]["probs"][0]["tok_str"] == " sat" and 0 < j["completion_probabilities"][0]["probs"][0]["prob"] < 1'
fault_case badutf8 /completion "$LP" 200 raw 'b"\xff" in j and b"completion_probabilities" in j'
fault_case multitoken /completion "$LP" 200 json 'j["tokens"] == [6, 1] and len(j["completion_probabilities"]) == 1 and j["completion_probabilities"][0]["id"] == 1'
fault_case loading /health '' 503 json 'j["error"]["type"] == "unavailable_error"'
fault_case midstream /completion "$ST" 200 json 'j == [{"error": {"code": 500, "message": "the fake server failed mid-stream", "type": "server_error"}}]'
fault_case ping /completion "$ST" 200 json 'j[0] == ": ping" and j[1]["stop"] is False and j[-1]["stop"] is True'
if fault bytepick; then
	req /completion "$LP"
	expect fault-bytepick '' json '"completion_probabilities" not in j and j["tokens"] == [6]'
	req /completion '{"prompt":"the cat","n_predict":1,"n_probs":3,"return_tokens":true,"logit_bias":[[6,false]]}'
	expect fault-bytepick-retry '' json 'j["tokens"] == [3] and j["completion_probabilities"][0]["top_logprobs"][0]["id"] == 6'
	fake_stop
fi
if up vllm --fault flaterr; then
	req /v1/completions "$(cmpl '"the"' 21 '')"
	expect fault-flaterr 400 json 'j["object"] == "error" and j["code"] == 400'
	fake_stop
fi
if fault 500 --fault-after 1 --fault-times 1 --fault-path /completion; then
	codes=
	req /health
	codes=$(cut -c1-3 "$tmp/s")
	for i in 1 2 3; do
		req /completion "$LP"
		codes="$codes $(cut -c1-3 "$tmp/s")"
	done
	check fault-after-times test "$codes" = "200 200 500 200"
	fake_stop
fi

# ------------------------------------------------------- lifetime, lib.sh

if up llama.cpp --idle-exit 1.5; then
	pid=$FAKE_PID
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 40 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check idle-exit test "$i" -ge 3 -a "$i" -lt 40
	fake_stop
fi
if up llama.cpp --max-requests 2; then
	req /health
	req /health
	i=0
	while kill -0 "$FAKE_PID" 2>/dev/null && [ "$i" -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check max-requests test "$i" -lt 20
	fake_stop
fi
if fake_start llama.cpp --fault nosuch 2>"$tmp/e"; then
	fail start-bad-args "fake_start succeeded"
	fake_stop
else
	check start-bad-args grep -q 'not a fault' "$tmp/e"
fi
( PATH=/nonexistent; fake_have ) && fail fake-have "python3 found without a PATH" || echo "ok fake-have"

python3 tests/server/check.py batch "$tmp/q" || failed=$((failed + 1))
[ "$failed" -eq 0 ]
