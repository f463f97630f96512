#!/bin/sh
# SPDX-License-Identifier: MIT
# The samplers with memory live through a real terminal (tmux), keys as
# the terminal sends them: the repeat penalty turned up pushes the
# history's tokens down in the pipeline, turned back the screen is the
# one before, cell for cell; without a history the screen says so. One
# line per check, "ok NAME" or "FAIL NAME" with the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac

failed=0
. tests/e2e/rawkeys.sh

# launch ARGS: a 100 x 30 session on the approve scenario, pipeline view.
launch() {
	start 100 30 "env TERM=xterm-256color LC_ALL=C.UTF-8 $TEMPVIZ --scenario approve --view pipeline --profile llama.cpp $1"
}

# press_n N HEX: the key HEX, N times.
press_n() {
	i=0
	while [ "$i" -lt "$1" ]; do
		raw "$2"
		i=$((i + 1))
	done
}

PGUP=1b5b357e
PGDN=1b5b367e

launch '--history "approve reject approve"'
shows "llama.cpp order: top-n-sigma"
verdict memory-start
# Every dial (a), down to the repeat penalty (j, sixteen times).
raw 61
press_n 16 6a
shows "▶ repeat off"
verdict memory-focus
cp "$pane" "$dir/before"
press_n 5 "$PGUP"
shows "penalties moved 2, most approve -0.73" &&
	grep -qF "▶ repeat 1.50" "$pane" &&
	grep -qF "reject              1.80     -0.60" "$pane" &&
	grep -qF "llama.cpp order: penalties > top-n-sigma" "$pane"
verdict memory-pushed-down
press_n 5 "$PGDN"
shows "▶ repeat off" && sleep 0.2 && tm capture-pane -t k -p >"$pane" &&
	cmp -s "$dir/before" "$pane"
verdict memory-restored
if ! cmp -s "$dir/before" "$pane"; then
	diff "$dir/before" "$pane" | sed 's/^/    | /'
fi
raw 71

launch "--repeat-penalty 1.5"
shows "no history: set one with --history" &&
	grep -qF "repeat 1.50 (no history)" "$pane"
verdict memory-no-history
raw 71

[ "$failed" -eq 0 ]
