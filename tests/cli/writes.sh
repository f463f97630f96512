#!/bin/sh
# SPDX-License-Identifier: MIT
# A writer that cannot write stops at once: every subcommand and every
# informational flag, with standard output on /dev/full and on a pipe
# whose reader has gone (SIGPIPE ignored, as under many supervisors),
# exits 1 with one line "tempviz: standard output: write error" and,
# where strace can count them, attempts exactly one write on it. A JSON
# sweep that computed every row before its first write would take
# about a minute at 100,000 steps: a 20 s limit catches it (no speed is
# measured; the fixed writer stops in well under a second).
# One line per case, "ok NAME" or "FAIL NAME: WHY".

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
LC_ALL=C.UTF-8
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-writes.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
failed=0
# Each case runs twice: as is (the status, the message, and under the
# sanitizers their leak check), then under strace to count the writes
# (LeakSanitizer cannot run under ptrace).
strace=
strace -o /dev/null true >/dev/null 2>&1 &&
	strace="env ASAN_OPTIONS=detect_leaks=0 strace -e trace=write -o $tmp/trace"

msg='tempviz: standard output: write error'

# run TRACER OUT ARGS...: tempviz with standard output on OUT (a file
# name, or "pipe" for a pipe nobody reads), SIGPIPE ignored, under
# TRACER (a command prefix, or empty).
run() {
	tracer="timeout 20 $1"
	where=$2
	shift 2
	rm -f "$tmp/trace"
	if [ "$where" = pipe ]; then
		rm -f "$tmp/fifo"
		mkfifo "$tmp/fifo"
		# A reader and a writer end, then the reader closed.
		exec 3<>"$tmp/fifo" 4>"$tmp/fifo" 3<&-
		(trap '' PIPE; $tracer "$TEMPVIZ" "$@" >&4 2>"$tmp/err")
		status=$?
		exec 4>&-
	else
		(trap '' PIPE; $tracer "$TEMPVIZ" "$@" >"$where" 2>"$tmp/err")
		status=$?
	fi
}

# check NAME OUT ARGS...
check() {
	name=$1
	shift
	run "" "$@"
	why=
	if [ "$status" -ne 1 ]; then
		why="exit status $status, not 1"
	elif [ "$(cat "$tmp/err")" != "$msg" ]; then
		why="stderr is not the one line: $(head -c 200 "$tmp/err")"
	elif [ -n "$strace" ]; then
		run "$strace" "$@"
		n=$(grep -c '^write(1,' "$tmp/trace")
		[ "$n" -eq 1 ] || why="$n writes to standard output, not 1"
	fi
	if [ -z "$why" ]; then
		echo "ok $name"
	else
		echo "FAIL $name: $why"
		failed=$((failed + 1))
	fi
}

cases='print|print
print_json|print --json
print_longtail|print --scenario longtail
print_longtail_json|print --scenario longtail --json
sample|sample -n 1000
sample_json|sample -n 100 --json
sample_longtail|sample -n 100000 --scenario longtail
sweep|sweep --steps 20000
sweep_json|sweep --steps 2000 --json
sweep_longtail|sweep --scenario longtail --steps 20000
sweep_longtail_json|sweep --scenario longtail --steps 100000 --json
snapshot|snapshot
snapshot_svg|snapshot --format svg --size 200x60
snapshot_html|snapshot --format html --size 200x60
snapshot_ansi|snapshot --format ansi --size 200x60
help|--help
help_print|print --help
help_sweep|sweep --help
version|--version
list|--list
keys_markdown|--keys-markdown'

printf '%s\n' "$cases" | while IFS="|" read -r what args; do
	# shellcheck disable=SC2086
	check "write_full_$what" /dev/full $args
	# shellcheck disable=SC2086
	check "write_pipe_$what" pipe $args
done >"$tmp/out"
cat "$tmp/out"

# snapshot -o FILE names the file that could not be written.
snap="snapshot --format svg --size 200x60 -o /dev/full"
# shellcheck disable=SC2086
run "" /dev/null $snap
ok=$([ "$status" -eq 1 ] &&
	[ "$(cat "$tmp/err")" = "tempviz: /dev/full: write error" ] && echo 1)
if [ -n "$ok" ] && [ -n "$strace" ]; then
	# shellcheck disable=SC2086
	run "$strace" /dev/null $snap
	[ "$(grep -c '^write(3,' "$tmp/trace")" -eq 1 ] || ok=
fi
if [ -n "$ok" ]; then
	echo "ok write_full_snapshot_file"
else
	echo "FAIL write_full_snapshot_file: status $status, $(cat "$tmp/err")"
	failed=$((failed + 1))
fi

! grep -q '^FAIL' "$tmp/out" && [ "$failed" -eq 0 ]
