#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end: the real binary in tmux (a private server, a fixed 100x30
# window, no user configuration). Each step sends keys, then polls the
# captured pane until the expected text shows up, at most about five
# seconds. One line per step, "ok NAME" or "FAIL NAME" with the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL e2e: tmux is not installed"
	exit 1
fi
term=tmux-256color
infocmp "$term" >/dev/null 2>&1 || term=xterm-256color

sock=tvtest$$
screen=$(mktemp "${TMPDIR:-/tmp}/tempviz-e2e.XXXXXX") || exit 2
wrap=
tmx() {
	tmux -L "$sock" -f /dev/null "$@"
}
cleanup() {
	tmx kill-server >/dev/null 2>&1
	rm -f "$screen" "$wrap"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
failed=0

capture() {
	tmx capture-pane -t t -p >"$screen" 2>/dev/null
}

# poll WANT PATTERN: poll the pane, 50 x 0.1 s, until a fixed string is
# there (WANT 0) or gone (WANT 1).
poll() {
	i=0
	while [ "$i" -lt 50 ]; do
		capture
		if grep -qF -- "$2" "$screen"; then seen=0; else seen=1; fi
		[ "$seen" -eq "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
wait_for() {
	poll 0 "$1"
}
wait_gone() {
	poll 1 "$1"
}

# report NAME WHY: "ok NAME" when the command just before succeeded, else
# "FAIL NAME: WHY" and the screen.
report() {
	if [ "$?" -eq 0 ]; then
		echo "ok $1"
		return
	fi
	echo "FAIL $1: $2"
	sed 's/^/    | /' "$screen"
	failed=$((failed + 1))
}

# The line of the entropy gauge and the row of the first token.
gauge() {
	capture
	grep -F 'entropy' "$screen" | grep -F 'bits' | head -n 1
}
first_bar() {
	capture
	grep -E '^ approve ' "$screen" | head -n 1
}

# After tempviz exits the shell reports its status and whether the tty
# is back in canonical mode with echo (the terminal restored).
wrap=$(mktemp "${TMPDIR:-/tmp}/tempviz-e2e.XXXXXX") || exit 2
cat >"$wrap" <<SH
"$TEMPVIZ" --scenario approve
echo "exit-status=\$?"
stty -a | tr ' ;' '\n\n' | grep -E '^-?(icanon|echo)\$' | tr '\n' ' '
echo
exec sleep 600
SH
tmx new-session -d -s t -x 100 -y 30 \
	"env LC_ALL=C.UTF-8 TERM=$term sh $wrap" || {
	echo "FAIL start: tmux could not start a session"
	exit 1
}

wait_for 'entropy' && wait_for '1.00 natural' && wait_for 'approve'
report start "the explore view did not appear"

before=$(gauge)
bar_before=$(first_bar)
tmx send-keys -t t Right
wait_for '1.10 natural' && [ "$(gauge)" != "$before" ] &&
	[ "$(first_bar)" != "$bar_before" ]
report temperature-right "T, the entropy or the bars did not change"

tmx send-keys -t t Left Left
wait_for '0.95 natural' && [ "$(gauge)" != "$before" ]
report temperature-left "T did not come down to 0.95"

tmx send-keys -t t Tab
wait_for 'order:' && wait_for 'temperature first'
report view-pipeline "Tab did not open the pipeline view"

tmx send-keys -t t BTab
wait_gone 'order:' && wait_for 'entropy'
report view-back "Shift-Tab did not return to explore"

tmx send-keys -t t =
tmx send-keys -t t -l 0.25
tmx send-keys -t t Enter
wait_for '0.25 cool'
report typed-value "typing = 0.25 Enter did not set T"

tmx resize-window -t t -x 30 -y 8
wait_for 'needs 60 x 18'
report resize-small "no notice below the minimum size"

tmx resize-window -t t -x 100 -y 30
wait_gone 'needs 60 x 18' && wait_for 'entropy' &&
	wait_for '0.25 cool'
report resize-back "the view did not come back at 100x30"

tmx send-keys -t t q
wait_for 'exit-status=0' && wait_for 'icanon echo'
report quit-restored "q did not exit with status 0 and a sane tty"

sh tests/e2e/signals.sh || failed=$((failed + 1))
if command -v python3 >/dev/null 2>&1; then
	TEMPVIZ=$TEMPVIZ python3 tests/e2e/bg_query.py || failed=$((failed + 1))
else
	echo "skip bg_query: python3 is not installed"
fi

[ "$failed" -eq 0 ]
