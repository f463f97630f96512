#!/bin/sh
# SPDX-License-Identifier: MIT
# The A/B split through a real terminal (tmux): split, turn B's dials,
# switch back to A, copy A to B, close the split; big type on and off;
# a --range that holds the T dial. One line per check, "ok NAME" or
# "FAIL NAME" with the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac

failed=0
. tests/e2e/rawkeys.sh

# launch W H ARGS: a session of W x H cells running tempviz ARGS.
launch() {
	start "$1" "$2" \
		"env TERM=xterm-256color LC_ALL=C.UTF-8 $TEMPVIZ --scenario approve $3"
}

keys() {
	tm send-keys -t k "$@"
}

launch 100 30 ""
shows "natural"
keys v
shows "A/B split: the dials turn A"
verdict ab-split
keys o Right Right Right
shows "B  T 1.3 hf"
verdict ab-turn-b
grep -qF "A  T 1 hf" "$pane"
verdict ab-a-unchanged
keys j l l l
shows "A only"
verdict ab-marks
grep -qF "KL(A||B) inf" "$pane"
verdict ab-kl-inf
keys o
shows "the dials turn A"
verdict ab-switch-back
keys C
shows "B is now a copy of A" && shows "KL(A||B) 0.0000 bits"
verdict ab-copy
keys v
shows "split closed" && shows "cut by"
verdict ab-close
keys q

launch 120 40 "--big --temp 0.7"
shows "bits of entropy"
verdict big-on
keys B
shows "big type off" && ! grep -qF "bits of entropy" "$pane"
verdict big-off
keys q

launch 100 30 "--range 0-1 --temp 0.7"
shows "natural"
keys '$'
shows "outside the range 0 to 1; T = 1"
verdict range-preset
keys Right
shows "T is at its highest: it takes 0 to 1"
verdict range-end
keys q

[ "$failed" -eq 0 ]
