#!/bin/sh
# SPDX-License-Identifier: MIT
# Generate mode end to end: the real binary in tmux (a private server, a
# 100x30 window) on the hand-written trigram tests/fixtures/tiny.arpa:
# edit the prompt and see the bars follow, write one word, run and pause,
# change T and see the text change, lanes; then, when Debian's
# pocketsphinx-en-us is installed, the same on the real model (else one
# "skip" line). One line per step, "ok NAME", "skip NAME: WHY" or
# "FAIL NAME: WHY" with the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac
LM=$(pwd)/tests/fixtures/tiny.arpa
DEBIAN_LM=/usr/share/pocketsphinx/model/en-us/en-us.lm.bin

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL generate: tmux is not installed"
	exit 1
fi
if ! "$TEMPVIZ" print --lm "$LM" --prompt the >/dev/null 2>&1; then
	echo "skip generate: this tempviz has no language model backend (SPHINXBASE=0 or no libsphinxbase-dev)"
	exit 0
fi
term=tmux-256color
infocmp "$term" >/dev/null 2>&1 || term=xterm-256color

sock=tvgen$$
screen=$(mktemp "${TMPDIR:-/tmp}/tempviz-gen.XXXXXX") || exit 2
tmx() {
	tmux -L "$sock" -f /dev/null "$@"
}
cleanup() {
	tmx kill-server >/dev/null 2>&1
	rm -f "$screen"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
failed=0

# until CMD...: poll the pane, 50 x 0.1 s, until CMD succeeds on it.
until_screen() {
	i=0
	while [ "$i" -lt 50 ]; do
		tmx capture-pane -t t -p >"$screen" 2>/dev/null
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
has() {
	grep -qF -- "$1" "$screen"
}
wait_for() {
	until_screen has "$1"
}
# The text panel's first line: the prompt and what was written after it.
text_line() {
	grep -E "^ $1" "$screen" | head -n 1 | cut -c1-44
}

report() {
	if [ "$?" -eq 0 ]; then
		echo "ok $1"
		return
	fi
	echo "FAIL $1: $2"
	sed 's/^/    | /' "$screen"
	failed=$((failed + 1))
}

# start ARGS...: a fresh pane running tempviz with ARGS (each quoted).
start() {
	cmd="env LC_ALL=C.UTF-8 TERM=$term '$TEMPVIZ'"
	for arg in "$@"; do
		cmd="$cmd '$arg'"
	done
	cmd="$cmd; echo exit-status=\$?; exec sleep 600"
	if tmx has-session -t t 2>/dev/null; then
		tmx respawn-pane -k -t t "$cmd"
	else
		tmx new-session -d -s t -x 100 -y 30 "$cmd"
	fi
}

start --lm "$LM" --prompt the --view generate --temp 0.7 --seed 3
wait_for 'next word' && wait_for 'tiny.arpa' && wait_for 'paused'
report gen-start "the generate view did not open on the model"

# "the" -> cat or dog; "the cat" -> sat.
tmx send-keys -t t /
tmx send-keys -t t -l ' cat'
wait_for 'prompt the cat' && wait_for 'sat       '
report gen-prompt-typed "typing ' cat' did not move the bars to 'sat'"

tmx send-keys -t t -l ' xyz'
wait_for 'red: not in the model'
report gen-prompt-unknown "an unknown word was not flagged"

tmx send-keys -t t BSpace BSpace BSpace BSpace Enter
wait_gone_prompt() {
	! has 'prompt the cat'
}
until_screen wait_gone_prompt && wait_for 'words 0'
report gen-prompt-kept "Enter did not close the editor"

tmx send-keys -t t Space
wait_for 'words 1' && wait_for ' the cat sat'
report gen-step "Space did not write 'sat'"

tmx send-keys -t t Enter
wait_for 'running' && wait_for 'words 4'
report gen-run "Enter did not run"
tmx send-keys -t t Enter
wait_for 'paused'
report gen-pause "Enter did not pause"

# T = 0 then a hot T from the same prompt and seed: the texts differ.
tmx send-keys -t t Home c
wait_for 'T 0 greedy' && wait_for 'words 0'
tmx send-keys -t t Space Space Space Space Space Space
wait_for 'words 6'
greedy=$(text_line 'the cat')
tmx send-keys -t t -l '=8'
tmx send-keys -t t Enter c
wait_for '8.00 molten' && wait_for 'words 0'
tmx send-keys -t t Space Space Space Space Space Space
wait_for 'words 6'
hot=$(text_line 'the cat')
[ -n "$greedy" ] && [ -n "$hot" ] && [ "$greedy" != "$hot" ]
report gen-temp-changes-text "T = 0 and T = 8 wrote the same text: '$greedy'"

tmx send-keys -t t L
wait_for 'T = 0 greedy' && wait_for '(dial)' && wait_for 'bits/word'
report gen-lanes "L did not show the three lanes"

tmx send-keys -t t q
wait_for 'exit-status=0'
report gen-quit "q did not exit with status 0"

if [ -r "$DEBIAN_LM" ]; then
	start --lm --prompt "once upon a" --view generate --temp 0.7
	until_screen has 'en-us.lm.bin' && wait_for 'time    '
	report gen-debian-start "the real model's bars did not show 'time'"
	tmx send-keys -t t /
	tmx send-keys -t t C-u
	tmx send-keys -t t -l 'i would like to'
	wait_for 'see     '
	report gen-debian-typed "'i would like to' did not bring 'see'"
	tmx send-keys -t t Enter Space Space Space
	wait_for 'words 3'
	report gen-debian-step "three words were not written"
	tmx send-keys -t t q
	wait_for 'exit-status=0'
	report gen-debian-quit "q did not exit with status 0"
else
	echo "skip gen-debian: $DEBIAN_LM is not installed (apt-get install pocketsphinx-en-us)"
fi

[ "$failed" -eq 0 ]
