#!/bin/sh
# SPDX-License-Identifier: MIT
# The TUI on a running model server (the fake one of tests/server), in
# tmux: it opens on the server's distribution, a typed prompt is asked for
# as it is typed, words are written, T turns; the server killed mid-run is
# said in the status line while the keys go on working on the last
# distribution, and once it is back the text goes on; a stalled request
# shows that it waits, and Esc gives it up.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
. tests/server/lib.sh
if ! fake_have; then
	echo "skip e2e-server: python3 is not installed"
	exit 0
fi
failed=0
. tests/e2e/rawkeys.sh
trap 'fake_stop; tm kill-server >/dev/null 2>&1; rm -rf "$dir"' EXIT

fake_start llama.cpp || { echo "FAIL e2e-server: no fake server"; exit 1; }
start 120 36 "TERM=xterm-256color $TEMPVIZ --server $FAKE_URL --prompt the \
--view generate --seed 1 --record $dir/rec.json; echo EXIT=\$?; sleep 30"
shows "tiny @ 127.0.0.1"
verdict opens-on-server

# The prompt typed: each key asks the server (cached after).
tm send-keys -t k / C-u
tm send-keys -t k -l "the cat"
tm send-keys -t k Enter
shows '"the cat"'
verdict prompt-typed
tm send-keys -t k Space
shows "words 1"
verdict word-written
tm send-keys -t k Right
shows "T 1.10"
verdict temperature-turned

# The server goes away: one line says so, the dials still work, and the
# word whose next distribution did not come is taken back, so that the
# bars are the text's.
port=$FAKE_PORT
fake_kill
tm send-keys -t k Space
shows "connection refused"
verdict server-gone-said
tm send-keys -t k Right
shows "T 1.20"
verdict keys-work-without-server
shows "words 1"
verdict text-kept

# It comes back on its port: the text goes on.
FAKE_ARGS="$FAKE_ARGS --port $port"
fake_launch
tm send-keys -t k Space
shows "words 2"
verdict server-back

# A request that never ends: the screen says it waits, Esc gives it up.
fake_kill
FAKE_ARGS="$FAKE_ARGS --fault stall"
fake_launch
tm send-keys -t k Space
shows "waiting for tiny"
verdict waiting-shown
tm send-keys -t k Right
shows "T 1.30"
verdict keys-work-while-waiting
tm send-keys -t k Escape
shows "cancelled"
verdict esc-cancels

# W writes what the server sent; q ends with it written too.
tm send-keys -t k W
shows "written to"
verdict record-key
tm send-keys -t k q
shows "EXIT=0"
verdict quits
[ -s "$dir/rec.json" ] && "$TEMPVIZ" print "$dir/rec.json" --position 2 \
	>/dev/null 2>&1
verdict record-replays

[ "$failed" -eq 0 ]
