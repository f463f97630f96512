#!/bin/sh
# SPDX-License-Identifier: MIT
# The talk player in tmux: clicking forward (Right, Space, PgDn as raw
# bytes, what clickers send), back, first and last, a number and Enter,
# b to blank, Esc to explore (the dials turn, the talk waits) and F5 back
# to the same step as the script sets it, then q. One line per check,
# "ok NAME" or "FAIL NAME" with the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac

failed=0
. tests/e2e/rawkeys.sh

# gone TEXT: TEXT leaves the pane within about five seconds.
gone() {
	n=0
	while [ "$n" -lt 100 ]; do
		tm capture-pane -t k -p >"$pane" 2>/dev/null
		grep -qF -- "$1" "$pane" || return 0
		sleep 0.05
		n=$((n + 1))
	done
	return 1
}

start 80 24 "env LC_ALL=C.UTF-8 TERM=xterm-256color $TEMPVIZ present france; echo exit-status=\$?; exec sleep 600" || {
	echo "FAIL talk/start: tmux could not start a session"
	exit 1
}
shows 'step 1/9' && shows 'the answer is Paris'
verdict talk/start
raw 1b5b43 && shows 'step 2/9' && shows 'T 0.70 natural'
verdict talk/right
raw 20 && shows 'step 3/9' && shows 'T 1.50 warm'
verdict talk/space
raw 1b5b367e && shows 'step 4/9' && shows 'Factual'
verdict talk/pgdn
raw 1b5b44 && shows 'step 3/9' && shows 'T 1.50 warm'
verdict talk/left
raw 1b5b357e && shows 'step 2/9'
verdict talk/pgup
raw 1b5b46 && shows 'step 9/9' && shows 'Top-p on top'
verdict talk/end
raw 1b5b48 && shows 'step 1/9'
verdict talk/home
tm send-keys -t k 8 && shows 'go to step 8_'
verdict talk/typing
tm send-keys -t k Enter && shows 'step 8/9' && shows 'top-k 40'
verdict talk/jump
tm send-keys -t k b && gone 'step 8/9'
verdict talk/blank
tm send-keys -t k b && shows 'step 8/9'
verdict talk/unblank
# Esc: the keys are the speaker's (Right turns T, digits type a value);
# step 8 is at T = 2, where the glide of step 7 ends.
tm send-keys -t k Escape && shows 'F5 returns'
verdict talk/explore
raw 1b5b43 && shows 'T 2.20 hot' && ! grep -qF 'step 9/9' "$pane"
verdict talk/explore-dial
tm send-keys -t k 3 Enter && shows 'T 3.00 hot'
verdict talk/explore-typed
tm send-keys -t k F5 && shows 'step 8/9' && shows 'T 2.00 hot' &&
	shows 'top-k 40'
verdict talk/resume-same-step
raw 1b5b43 && shows 'step 9/9'
verdict talk/after-resume
# Step 7 glides T from 1.5 to 2 over 4 s: it starts low and gets there.
tm send-keys -t k 7 Enter && shows 'step 7/9' && shows 'T 1.5' &&
	shows 'T 2.00 hot'
verdict talk/glide
tm send-keys -t k q && shows 'exit-status=0'
verdict talk/quit
[ "$failed" -eq 0 ]
