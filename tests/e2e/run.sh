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

# wait_for PATTERN: poll the pane for a fixed string, 50 x 0.1 s.
wait_for() {
	i=0
	while [ "$i" -lt 50 ]; do
		capture
		grep -qF -- "$1" "$screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_gone PATTERN: poll until a fixed string has left the pane.
wait_gone() {
	i=0
	while [ "$i" -lt 50 ]; do
		capture
		grep -qF -- "$1" "$screen" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

pass() {
	echo "ok $1"
}

fail() {
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

if wait_for 'entropy' && wait_for '1.00 natural' && wait_for 'approve'; then
	pass start
else
	fail start "the explore view did not appear"
fi

before=$(gauge)
bar_before=$(first_bar)
tmx send-keys -t t Right
if wait_for '1.10 natural' && [ "$(gauge)" != "$before" ] &&
	[ "$(first_bar)" != "$bar_before" ]; then
	pass temperature-right
else
	fail temperature-right "T, the entropy or the bars did not change"
fi

tmx send-keys -t t Left Left
if wait_for '0.95 natural' && [ "$(gauge)" != "$before" ]; then
	pass temperature-left
else
	fail temperature-left "T did not come down to 0.95"
fi

tmx send-keys -t t Tab
if wait_for 'order:' && wait_for 'temperature first'; then
	pass view-pipeline
else
	fail view-pipeline "Tab did not open the pipeline view"
fi

tmx send-keys -t t BTab
if wait_gone 'order:' && wait_for 'entropy'; then
	pass view-back
else
	fail view-back "Shift-Tab did not return to explore"
fi

tmx send-keys -t t =
tmx send-keys -t t -l 0.25
tmx send-keys -t t Enter
if wait_for '0.25 cool'; then
	pass typed-value
else
	fail typed-value "typing = 0.25 Enter did not set T"
fi

tmx resize-window -t t -x 30 -y 8
if wait_for 'needs 60 x 18'; then
	pass resize-small
else
	fail resize-small "no notice below the minimum size"
fi

tmx resize-window -t t -x 100 -y 30
if wait_gone 'needs 60 x 18' && wait_for 'entropy' &&
	wait_for '0.25 cool'; then
	pass resize-back
else
	fail resize-back "the view did not come back at 100x30"
fi

tmx send-keys -t t q
if wait_for 'exit-status=0' && wait_for 'icanon echo'; then
	pass quit-restored
else
	fail quit-restored "q did not exit with status 0 and a sane tty"
fi

[ "$failed" -eq 0 ]
