#!/bin/sh
# SPDX-License-Identifier: MIT
# What a teacher asked for, through a real terminal (tmux, keys sent as
# raw bytes) under several TERM values: O switches the source with the
# dials kept, a file that no longer loads leaves the shown source, w
# saves the screen next to what is there without overwriting it, T shows
# the take-home lines. One line per check, "ok NAME" or "FAIL NAME" with
# the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac

. tests/e2e/rawkeys.sh
failed=0

for t in xterm xterm-256color screen-256color tmux-256color linux; do
	work=$dir/$t
	mkdir -p "$work"
	printf 'yes\t2\nno\t1\n' >"$work/lesson.tsv"
	start 100 30 "env LC_ALL=C.UTF-8 TZ=UTC SOURCE_DATE_EPOCH=0 TERM=$t $TEMPVIZ $work/lesson.tsv --temp 0.5; echo exit-status=\$?; exec sleep 600" "$work" || {
		echo "FAIL $t/start: tmux could not start a session"
		failed=$((failed + 1))
		continue
	}
	shows 'T 0.50 cool'
	verdict "$t/start"

	# O, "st", Enter: story, T still 0.5.
	raw 4f && shows 'Switch the source' && raw 7374 && raw 0d &&
		shows 'tempviz story' && shows 'T 0.50 cool'
	verdict "$t/picker-story"

	# Esc (alone, as the key decoder waits for it) leaves the source.
	raw 4f && shows 'Switch the source' && raw 1b && sleep 0.3 &&
		shows 'tempviz story' && ! grep -qF 'Switch the source' "$pane"
	verdict "$t/picker-esc"

	# The file again, read from disk; then gone: its error, story stays.
	raw 4f && raw 1b5b46 && raw 0d && shows 'lesson.tsv' &&
		shows 'T 0.50 cool'
	verdict "$t/picker-file"
	raw 4f && raw 7374 && raw 0d && shows 'tempviz story' &&
		rm "$work/lesson.tsv" && raw 4f && raw 1b5b46 && raw 0d &&
		shows 'lesson.tsv: ' && shows 'tempviz story'
	verdict "$t/picker-file-gone"

	# w twice: two pairs of files, the second with -2.
	raw 77 && shows 'saved tempviz-19700101-000000.svg and .txt (100 x 30)' &&
		raw 77 && shows 'saved tempviz-19700101-000000-2.svg' &&
		[ -s "$work/tempviz-19700101-000000.svg" ] &&
		grep -qF 'tempviz story' "$work/tempviz-19700101-000000.txt" &&
		[ -s "$work/tempviz-19700101-000000-2.txt" ]
	verdict "$t/save-screen"

	# T: the take-home lines; Esc closes; q quits with status 0.
	raw 54 && shows 'tempviz print --scenario story --profile hf --temp 0.5' &&
		shows 'llama-cli --temp 0.5 --top-k 0 --top-p 1 --min-p 0'
	verdict "$t/take-home"
	raw 1b && sleep 0.3 && raw 71 && shows 'exit-status=0'
	verdict "$t/quit"
done

[ "$failed" -eq 0 ]
