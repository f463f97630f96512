# SPDX-License-Identifier: MIT
# Sourced by the suites that drive tempviz through tmux (keys.sh,
# teacher.sh, ab.sh, talk.sh): a tmux server of their own per session, on
# sockets in a directory that goes with the run (a new server on a socket
# just killed may meet the old one still exiting), and the checks they
# share. The caller sets failed=0 and may use $dir for its own files.

sessions=0
dir=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-e2e.XXXXXX") || exit 2
sock=$dir/s0
pane=$dir/pane
tm() {
	tmux -S "$sock" -f /dev/null "$@"
}
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

# start W H COMMAND [DIR]: a session k of W x H cells running COMMAND (in
# DIR, else here).
start() {
	tm kill-server >/dev/null 2>&1
	sessions=$((sessions + 1))
	sock=$dir/s$sessions
	tm new-session -d -s k -x "$1" -y "$2" -c "${4:-$(pwd)}" "$3"
}

# shows TEXT: the pane shows TEXT within about five seconds.
shows() {
	n=0
	while [ "$n" -lt 100 ]; do
		tm capture-pane -t k -p >"$pane" 2>/dev/null
		grep -qF -- "$1" "$pane" && return 0
		sleep 0.05
		n=$((n + 1))
	done
	return 1
}

# verdict NAME: of the check just made.
verdict() {
	if [ "$?" -eq 0 ]; then
		echo "ok $1"
	else
		echo "FAIL $1"
		sed 's/^/    | /' "$pane"
		failed=$((failed + 1))
	fi
}

# raw HEX: the bytes of HEX ("1b5b317e") as the terminal would send them.
raw() {
	# shellcheck disable=SC2046
	tm send-keys -t k -H $(printf '%s' "$1" | sed 's/../& /g')
}
