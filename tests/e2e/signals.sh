#!/bin/sh
# SPDX-License-Identifier: MIT
# Every exit path leaves the terminal as it was: in each view, tempviz is
# ended by q, by Ctrl-C and Ctrl-\ typed in the pane, by SIGTERM, SIGHUP
# and SIGPIPE sent with kill, and by a crash signal (SIGSEGV, SIGABRT).
# Each case checks the exit status (0 for q, 128 + the signal's number
# otherwise) and, after the exit, that the pane has left the alternate
# screen, shows the cursor and is back in canonical mode with echo.
# The views run side by side, one tmux window each.
# One line per case, "ok NAME" or "FAIL NAME: WHY" with the screen.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
. tests/e2e/tmux.sh sig

views="explore pipeline sample curves thermo attention help"
# NAME:HOW:STATUS, HOW a key for tmux send-keys or a signal for kill.
cases="q:key-q:0 int:key-C-c:130 quit:key-C-\\:131 term:TERM:143
hup:HUP:129 pipe:PIPE:141 segv:SEGV:139 abrt:ABRT:134"

# The pane's shell reports the status and the tty modes, then waits. It
# traps INT and QUIT (so the keys reach tempviz, not the shell) and
# writes tempviz's pid for kill. Sanitizers leave the crash signals to
# tempviz's handler, and no core is dumped.
for v in $views; do
	cat >"$dir/$v.sh" <<SH
trap : INT QUIT
ulimit -c 0
export ASAN_OPTIONS=handle_segv=0:handle_abort=0:handle_sigbus=0
sh -c 'echo \$\$ >"$dir/$v.pid"; exec "\$@"' sh "$TEMPVIZ" --scenario approve --view $v
echo "exit-status=\$?"
stty -a | tr ' ;' '\n\n' | grep -E '^-?(icanon|echo)\$' | tr '\n' ' '
echo
exec sleep 600
SH
done

# poll WINDOW COMMAND...: up to 5 s until COMMAND succeeds.
poll() {
	w=$1
	shift
	i=0
	while [ "$i" -lt 100 ]; do
		tmx capture-pane -t "$w" -p >"$dir/$w.screen" 2>/dev/null
		"$@" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# Of the window $w.
modes() {
	tmx display -p -t "$w" '#{alternate_on} #{cursor_flag}'
}
up() {
	[ "$(modes)" = "1 0" ] && grep -qF tempviz "$dir/$w.screen"
}
exited() {
	grep -qF 'exit-status=' "$dir/$w.screen"
}

# run_case VIEW NAME HOW STATUS: one exit path in one view.
run_case() {
	w=$1
	rm -f "$dir/$w.pid"
	tmx respawn-pane -k -t "$w" "env LC_ALL=C.UTF-8 TERM=$term sh $dir/$w.sh"
	if ! poll "$w" up; then
		echo "FAIL $w-$2: the view did not start"
		sed 's/^/    | /' "$dir/$w.screen"
		return
	fi
	case $3 in
	key-*) tmx send-keys -t "$w" "${3#key-}" ;;
	*) kill -s "$3" "$(cat "$dir/$w.pid")" ;;
	esac
	why=
	if ! poll "$w" exited; then
		why="tempviz did not exit"
	elif ! grep -qF "exit-status=$4" "$dir/$w.screen"; then
		why="exit status $(sed -n 's/.*exit-status=\([0-9]*\).*/\1/p' \
			"$dir/$w.screen"), not $4"
	elif ! poll "$w" grep -qF 'icanon echo' "$dir/$w.screen"; then
		why="the tty was left raw"
	elif [ "$(modes)" != "0 1" ]; then
		why="alternate screen and cursor flags: $(modes), not 0 1"
	fi
	if [ -z "$why" ]; then
		echo "ok $w-$2"
	else
		echo "FAIL $w-$2: $why"
		sed 's/^/    | /' "$dir/$w.screen"
	fi
}

run_view() {
	for c in $cases; do
		name=${c%%:*}
		rest=${c#*:}
		run_case "$1" "$name" "${rest%:*}" "${rest##*:}"
	done >"$dir/$1.out" 2>&1
}

tmx new-session -d -s base -x 100 -y 30 "sleep 600" || {
	echo "FAIL signals: tmux could not start a session"
	exit 1
}
for v in $views; do
	tmx new-session -d -s "$v" -x 100 -y 30 "sleep 600"
done
for v in $views; do
	run_view "$v" &
done
wait
for v in $views; do
	cat "$dir/$v.out"
done
! grep -q '^FAIL' "$dir"/*.out
