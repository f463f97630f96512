# SPDX-License-Identifier: MIT
# The fake model server (tests/server/fake.py) for shell suites. Source it
# from the repository's top directory (or set FAKE_PY), then:
#
#   fake_have || { echo "skip NAME: python3 is not installed"; exit 0; }
#   fake_start llama.cpp --fault nologprobs || exit 1
#   curl -s "$FAKE_URL/health"; grep '"n_predict": 1' "$FAKE_LOG"
#   fake_restart            # the same arguments on the same port
#   fake_stop
#
# fake_start API [ARGS...] sets FAKE_URL (http://127.0.0.1:PORT),
# FAKE_PORT, FAKE_PID, FAKE_LOG (one JSON line per request) and FAKE_DIR;
# call it in the suite's own shell, not in $(...), so that fake_stop can
# wait for the process. One server at a time. Every wait is bounded.

FAKE_PY=${FAKE_PY:-tests/server/fake.py}

# 0 when python3 is present.
fake_have() {
	command -v python3 >/dev/null 2>&1
}

# fake_quote ARG...: the arguments as one string that eval splits back.
fake_quote() {
	for _fake_a in "$@"; do
		printf "'%s' " "$(printf '%s' "$_fake_a" | sed "s/'/'\\\\''/g")"
	done
}

# Starts fake.py in the background with $FAKE_ARGS and waits up to 5 s for
# its port file.
fake_launch() {
	rm -f "$FAKE_DIR/port"
	eval "python3 \"\$FAKE_PY\" $FAKE_ARGS --port-file \"\$FAKE_DIR/port\"" \
		"--log \"\$FAKE_LOG\" >>\"\$FAKE_DIR/out\" 2>&1 &"
	FAKE_PID=$!
	_fake_i=0
	while [ ! -s "$FAKE_DIR/port" ]; do
		if ! kill -0 "$FAKE_PID" 2>/dev/null; then
			echo "fake_start: fake.py exited: $(tail -n 1 "$FAKE_DIR/out")" >&2
			wait "$FAKE_PID" 2>/dev/null
			FAKE_PID=
			return 1
		fi
		_fake_i=$((_fake_i + 1))
		if [ "$_fake_i" -gt 100 ]; then
			echo "fake_start: no port after 5 s" >&2
			fake_kill
			return 1
		fi
		sleep 0.05
	done
	FAKE_PORT=$(cat "$FAKE_DIR/port")
	FAKE_URL=http://127.0.0.1:$FAKE_PORT
}

# fake_start API [ARGS...]
fake_start() {
	if ! fake_have; then
		echo "fake_start: python3 is not installed" >&2
		return 1
	fi
	FAKE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-fake.XXXXXX") || return 1
	FAKE_LOG=$FAKE_DIR/log
	: >"$FAKE_LOG"
	FAKE_ARGS="--api $(fake_quote "$@")"
	fake_launch
}

# Stops the process: TERM, up to 2 s, then KILL.
fake_kill() {
	[ -n "$FAKE_PID" ] || return 0
	# A server already gone is no failure, under set -e too (the
	# screenshots' script).
	kill "$FAKE_PID" 2>/dev/null || :
	_fake_i=0
	while kill -0 "$FAKE_PID" 2>/dev/null && [ "$_fake_i" -lt 100 ]; do
		sleep 0.02
		_fake_i=$((_fake_i + 1))
	done
	kill -9 "$FAKE_PID" 2>/dev/null || :
	wait "$FAKE_PID" 2>/dev/null || :
	FAKE_PID=
}

# The same arguments again on the same port; the log goes on.
fake_restart() {
	fake_kill
	FAKE_ARGS="$FAKE_ARGS --port $FAKE_PORT"
	fake_launch
}

# Stops the server and removes its directory, log included.
fake_stop() {
	fake_kill
	[ -n "$FAKE_DIR" ] && rm -rf "$FAKE_DIR"
	FAKE_DIR=
	FAKE_URL=
}
