#!/bin/sh
# SPDX-License-Identifier: MIT
# Branch mode and the beam lane end to end: the real binary in tmux on
# the hand-written trigram tests/fixtures/tiny.arpa: eight greedy words,
# branch mode on them, the cursor back two words, the second candidate
# taken, the tree walked and left; the penalties' panel and the cold lane
# without them; the beam lane widened and its length penalty stepped.
# Then the same branch and beams on the fake model server, whose answers
# come later. One line per check, "ok NAME", "skip NAME: WHY" or
# "FAIL NAME" with the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac
LM=$(pwd)/tests/fixtures/tiny.arpa

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL e2e-branch: tmux is not installed"
	exit 1
fi
. tests/server/lib.sh
. tests/e2e/rawkeys.sh
trap 'fake_stop; tm kill-server >/dev/null 2>&1; rm -rf "$dir"' EXIT
failed=0

# words N: N Spaces, each once the word before is written (a server's
# next word is asked for only when the last has come).
words() {
	i=0
	while [ "$i" -lt "$1" ]; do
		i=$((i + 1))
		tm send-keys -t k Space
		shows "words $i" || return 1
	done
}

# branch_walk PREFIX N: branch mode on the text shown (N words): the
# cursor two words back, candidate 2, Enter (the branch is written as
# long); walk the tree; leave.
branch_walk() {
	tm send-keys -t k b
	shows "branch mode  words $2" && shows "its candidates"
	verdict "$1/branch-mode"
	tm send-keys -t k Left Left 2 Enter
	shows "branches (2)" && shows "branch 2 of 2" && shows "words $2"
	verdict "$1/branch-made"
	tm send-keys -t k ]
	shows "branch 1 of 2"
	verdict "$1/branch-walk"
	tm send-keys -t k BSpace
	shows "this is the first text"
	verdict "$1/branch-root"
	tm send-keys -t k [ BSpace
	shows "branch 1 of 2"
	verdict "$1/branch-parent"
	tm send-keys -t k q
	shows "paused  words $2" && ! grep -qF "its candidates" "$pane"
	verdict "$1/branch-leave"
}

# beams PREFIX N: the beam lane on beside a text of N words, one beam
# more, the next length penalty, a word and its undo.
beams() {
	tm send-keys -t k B
	shows "beam B=4 alpha=1" && shows "running, sum ln p"
	verdict "$1/beam-lane"
	tm send-keys -t k + A
	shows "beam B=5 alpha=2"
	verdict "$1/beam-keys"
	tm send-keys -t k Space
	shows "words $(($2 + 1))"
	verdict "$1/beam-steps"
	tm send-keys -t k u B
	shows "words $2" && shows "T = 2 hot"
	verdict "$1/beam-off"
}

start 100 30 "env LC_ALL=C.UTF-8 TERM=xterm-256color $TEMPVIZ --lm $LM \
--prompt the --view generate --temp 0; echo EXIT=\$?; sleep 30"
if ! shows "tiny.arpa" && grep -qF "no language model" "$pane"; then
	echo "skip e2e-branch: this tempviz has no language model backend"
else
	words 8
	verdict lm/words
	branch_walk lm 8
	beams lm 8
	tm send-keys -t k q
	shows "EXIT=0"
	verdict lm/quits
fi

# A penalty and DRY: the panel of what they pushed down, and the cold lane
# without them beside the dial's with them.
start 100 30 "env LC_ALL=C.UTF-8 TERM=xterm-256color $TEMPVIZ --lm $LM \
--prompt the --view generate --temp 0 --profile llama.cpp \
--repeat-penalty 1.3 --dry-multiplier 0.8; echo EXIT=\$?; sleep 30"
if shows "tiny.arpa"; then
	words 8 && shows 'pushed down at "a" (word 8)' && shows "DRY: 3-token repeat"
	verdict lm/pushed-down
	tm send-keys -t k m
	shows "seen 2"
	verdict lm/pushed-next
	tm send-keys -t k L
	shows "T = 0 greedy, no penalties" && shows "loop of 4 words"
	verdict lm/plain-cold-lane
	tm send-keys -t k q
	shows "EXIT=0"
	verdict lm/quits-penalties
fi

if ! fake_have; then
	echo "skip e2e-branch/server: python3 is not installed"
	[ "$failed" -eq 0 ]
	exit
fi
fake_start llama.cpp || { echo "FAIL e2e-branch: no fake server"; exit 1; }
start 100 30 "env LC_ALL=C.UTF-8 TERM=xterm-256color $TEMPVIZ \
--server $FAKE_URL --prompt the --view generate --temp 0; echo EXIT=\$?; \
sleep 30"
shows "tiny @ 127.0.0.1"
verdict server/opens
words 4
verdict server/words
branch_walk server 4
beams server 4
tm send-keys -t k q
shows "EXIT=0"
verdict server/quits

[ "$failed" -eq 0 ]
