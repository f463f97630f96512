#!/bin/sh
# SPDX-License-Identifier: MIT
# Keys as raw bytes (tmux send-keys -H) under five TERM values: each
# escape sequence is one key or none, never its tail read as typed
# characters, whatever the terminfo entry lists. Then typed numbers, and
# the one-line refusal of terminals the interface cannot drive. One line
# per check, "ok NAME" or "FAIL NAME" with the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac

. tests/e2e/rawkeys.sh
failed=0

# From T = 1 with nothing open: Esc closes help or the input line, x
# resets the temperature dial.
calm() {
	raw 1b
	raw 78
	shows '1.00 natural' && ! grep -qF 'Enter applies' "$pane"
}

# key TERM NAME HEX EXPECT: from T = 1, HEX makes the screen show EXPECT.
key() {
	calm && raw "$3" && shows "$4"
	verdict "$1/$2"
}

# none TERM NAME HEX: HEX is dropped whole: the Right after it is the
# first key that counts, and no input line opened.
none() {
	calm && raw "$3" && raw 1b5b43 && shows '1.10 natural' &&
		! grep -qF 'Enter applies' "$pane"
	verdict "$1/$2-dropped"
}

run_term() {
	t=$1
	start 100 30 "env LC_ALL=C.UTF-8 TERM=$t $TEMPVIZ --scenario approve; echo exit-status=\$?; exec sleep 600" || {
		echo "FAIL $t/start: tmux could not start a session"
		failed=$((failed + 1))
		return
	}
	shows 'entropy'
	verdict "$t/start"

	key "$t" home-vt220 1b5b317e '0 greedy'
	key "$t" home-xterm 1b5b48 '0 greedy'
	key "$t" home-app 1b4f48 '0 greedy'
	key "$t" home-rxvt 1b5b377e '0 greedy'
	key "$t" end-vt220 1b5b347e '100.0 molten'
	key "$t" end-xterm 1b5b46 '100.0 molten'
	key "$t" end-app 1b4f46 '100.0 molten'
	key "$t" end-rxvt 1b5b387e '100.0 molten'
	key "$t" pgup 1b5b357e '2.00 hot'
	key "$t" pgdn 1b5b367e '0.50 cool'
	key "$t" right 1b5b43 '1.10 natural'
	key "$t" right-app 1b4f43 '1.10 natural'
	key "$t" left 1b5b44 '0.95 natural'
	key "$t" left-app 1b4f44 '0.95 natural'
	key "$t" shift-right-xterm 1b5b313b3243 '2.00 hot'
	key "$t" shift-right-rxvt 1b5b63 '2.00 hot'
	key "$t" shift-left-xterm 1b5b313b3244 '0.50 cool'
	key "$t" pgup-delete 1b5b357e1b5b337e '1.00 natural'
	key "$t" f1-xterm 1b4f50 'Everywhere'
	key "$t" f1-rxvt 1b5b31317e 'Everywhere'
	key "$t" f1-linux 1b5b5b41 'Everywhere'
	key "$t" keypad-1.5 1b4f711b4f6e1b4f751b4f4d '1.50 warm'
	none "$t" ctrl-right 1b5b313b3543
	none "$t" alt-up 1b5b313b3341
	none "$t" ctrl-home 1b5b313b3548
	none "$t" ctrl-delete 1b5b333b357e
	none "$t" shift-f1 1b5b313b3250
	none "$t" rxvt-ctrl-left 1b4f64
	none "$t" rxvt-shift-pgup 1b5b3524
	none "$t" insert 1b5b327e
	none "$t" f5 1b5b31357e
	none "$t" f12 1b5b32347e
	none "$t" linux-f5 1b5b5b45
	none "$t" unknown-99 1b5b39397e
	none "$t" paste-mark 1b5b3230307e
	none "$t" sgr-mouse 1b5b3c303b31303b354d
	none "$t" focus-in 1b5b49

	calm && raw 71 && shows 'exit-status=0'
	verdict "$t/quit"
}

for t in xterm xterm-256color screen-256color tmux-256color linux; do
	if ! infocmp "$t" >/dev/null 2>&1; then
		echo "FAIL $t: no terminfo entry (apt-get install ncurses-term)"
		failed=$((failed + 1))
		continue
	fi
	run_term "$t"
done

# Typed numbers reach the focused dial as typed (issue 14, item 1).
start 100 30 "env LC_ALL=C.UTF-8 TERM=xterm-256color $TEMPVIZ --scenario approve; exec sleep 600"
shows 'entropy'
verdict typed/start
tm send-keys -t k -l 1.5
tm send-keys -t k Enter
shows '1.50 warm'
verdict typed/1.5
tm send-keys -t k -l =0,7
tm send-keys -t k Enter
shows '0.70 natural'
verdict typed/decimal-comma
tm send-keys -t k Down
tm send-keys -t k -l 25
tm send-keys -t k Enter
shows 'top-k takes whole numbers 0 (off) to 10; this is above' &&
	grep -qF '0.70 natural' "$pane"
verdict typed/out-of-range
tm send-keys -t k Escape
tm send-keys -t k -l 5
tm send-keys -t k Enter
shows 'top-k 5' && grep -qF '0.70 natural' "$pane"
verdict typed/top-k
tm send-keys -t k -l '$'
shows '1.70 hot'
verdict typed/preset

# A list longer than the screen: the hidden tokens are counted, and J,
# Shift-Down (as xterm sends it) and K scroll it (issue 14, item 11).
start 80 20 "env LC_ALL=C.UTF-8 TERM=xterm-256color $TEMPVIZ --scenario france; exec sleep 600"
shows 'more below (J and K scroll)'
verdict scroll/counted
tm send-keys -t k J
shows '1 above (J and K scroll)'
verdict scroll/j
raw 1b5b313b3242
shows '2 above (J and K scroll)'
verdict scroll/shift-down
tm send-keys -t k K
shows '1 above (J and K scroll)'
verdict scroll/k

# refused NAME ENV-ARGS TEXT: tempviz under env ENV-ARGS says TEXT on one
# line and exits 1 instead of leaving a blank screen.
refused() {
	start 200 10 "env $2 $TEMPVIZ --scenario approve; echo exit-status=\$?; exec sleep 600"
	shows 'exit-status=1' && grep -qF -- "$3" "$pane" &&
		[ "$(grep -c 'tempviz:' "$pane")" -eq 1 ]
	verdict "refuse/$1"
}
refused dumb TERM=dumb \
	"tempviz: TERM=dumb cannot move the cursor, which the interface needs; try TERM=xterm-256color, or 'tempviz print' or 'tempviz snapshot', which need no terminal"
refused unknown TERM=no-such-terminal \
	"tempviz: TERM=no-such-terminal is not a terminal type this system knows; try"
refused unset "-u TERM" \
	"tempviz: TERM is not set: the interface needs a terminal type that can move the cursor; try"
refused empty TERM= "tempviz: TERM is not set"

[ "$failed" -eq 0 ]
