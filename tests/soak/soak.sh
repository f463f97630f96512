#!/bin/sh
# SPDX-License-Identifier: MIT
# The soak (make soak; not part of make test): the sanitizer build in
# tmux for SOAK_SECONDS (default 600), session after session over every
# built-in scenario and every starting view. Each session gets a few
# hundred random events: every key of the action table but q (read from
# --keys-markdown), other named and control keys, raw byte sequences
# (escape sequences whole and cut short, lone Esc, invalid and multi-byte
# UTF-8), digits, resizes down to 20x6, and a suspend (Ctrl-Z, then
# SIGCONT). Then it ends by q, Ctrl-C, Ctrl-\, SIGTERM or SIGHUP.
# It fails on:
#   - a sanitizer report (ASan, UBSan or LeakSanitizer log files);
#   - a hang: every 25 events the window shrinks below the minimum size,
#     and the "needs 60 x 18" notice must appear, then go once the window
#     is large again, each within SOAK_HANG seconds (default 10);
#   - a session that does not exit, or exits with another status than
#     its way out implies (0, or 128 + the signal);
#   - a terminal left raw, in the alternate screen or with the cursor
#     hidden after tempviz has exited.
# SOAK_SEED fixes the random sequence. Ends with one line: the figures.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-build-asan/tempviz}
SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_HANG=${SOAK_HANG:-10}
seed=${SOAK_SEED:-$(date +%s)}
[ -x "$TEMPVIZ" ] || { echo "soak: no $TEMPVIZ (make soak builds it)"; exit 2; }
. tests/e2e/tmux.sh soak

# The action table's keys, in tmux's names; q ends sessions instead.
"$TEMPVIZ" --keys-markdown | grep -o '`[^`]*`' | tr -d '`' | sort -u |
	sed 's/^Backspace$/BSpace/; s/^Ctrl-L$/C-l/; s/^Esc$/Escape/;
	     s/^PgDn$/NPage/; s/^PgUp$/PPage/; s/^Shift-Left$/S-Left/;
	     s/^Shift-Right$/S-Right/; s/^Shift-Tab$/BTab/' |
	grep -vx 'q' >"$dir/keys"
[ -s "$dir/keys" ] || { echo "soak: no keys from --keys-markdown"; exit 2; }
scenarios=$("$TEMPVIZ" --list | awk 'NR > 1 { print $1 }')
views="explore pipeline sample curves thermo attention help"

cat >"$dir/run.sh" <<SH
trap : INT QUIT TSTP
export ASAN_OPTIONS=log_path=$dir/asan:detect_leaks=1
export UBSAN_OPTIONS=log_path=$dir/ubsan:print_stacktrace=1
sh -c 'echo \$\$ >"$dir/pid"; exec "\$@"' sh "$TEMPVIZ" "\$@"
echo "exit-status=\$?"
stty -a | tr ' ;' '\n\n' | grep -E '^-?(icanon|echo)\$' | tr '\n' ' '
echo
exec sleep 3600
SH

keys=0
resizes=0
sessions=0
probes=0
failure=

screen() {
	tmx capture-pane -t soak -p >"$dir/screen" 2>/dev/null
}
# poll SECONDS COMMAND...: until COMMAND succeeds, or fail after SECONDS.
poll() {
	n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		screen
		"$@" && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
modes() {
	tmx display -p -t soak '#{alternate_on} #{cursor_flag}'
}
shows() {
	grep -qF -- "$1" "$dir/screen"
}
hides() {
	! grep -qF -- "$1" "$dir/screen"
}
up() {
	[ "$(modes)" = "1 0" ] && shows tempviz
}
exited() {
	shows 'exit-status='
}
fail() {
	failure="$1"
	echo "FAIL soak: $1 (session $sessions: $session_args; seed $seed)"
	sed 's/^/    | /' "$dir/screen"
	tail -n 20 "$dir/plan.done" 2>/dev/null | sed 's/^/    last: /'
	exit 1
}
reports() {
	for f in "$dir"/asan.* "$dir"/ubsan.*; do
		[ -f "$f" ] || continue
		echo "FAIL soak: sanitizer report (session $sessions: $session_args; seed $seed)"
		head -n 60 "$f" | sed 's/^/    /'
		exit 1
	done
}

# The plan of one session: one event a line, "k KEY", "x HEX..." (raw
# bytes), "r W H" (resize), "p" (probe), "z" (suspend), then "e HOW".
plan() {
	awk -v seed="$1" -v keysfile="$dir/keys" '
	function pick(n) { return int(rand() * n) }
	BEGIN {
		srand(seed)
		while ((getline k < keysfile) > 0) key[nk++] = k
		split("F2 F3 F4 F5 F6 F7 F8 F9 F10 F11 F12 DC IC S-Up S-Down " \
		      "C-a C-b C-d C-e C-f C-g C-h C-j C-k C-n C-o C-p C-r " \
		      "C-t C-u C-v C-w C-x C-y M-a M-x Escape Space x Z w /",
		      more, " ")
		nm = 0; for (i in more) nm++
		split("1b5b41 1b5b42 1b5b43 1b5b44 1b4f50 1b5b313b3243 " \
		      "1b5b313b3544 1b5b357e 1b5b367e 1b5b327e 1b5b337e " \
		      "1b5b 1b4f 1b 1b1b 1b5b3f 1b5b3c303b31303b354d " \
		      "1b5b3230307e41421b5b3230317e 1b5d31313b3f07 c3a9 " \
		      "e282ac f09f9880 cc81 c3 e282 ff fe 80 c0af 00 7f 09 0d",
		      raw, " ")
		nr = 0; for (i in raw) nr++
		n = 200 + pick(300)
		for (e = 1; e <= n; e++) {
			if (e % 25 == 0) { print "p"; continue }
			c = pick(100)
			if (c < 60) print "k " key[pick(nk)]
			else if (c < 75) print "k " more[1 + pick(nm)]
			else if (c < 85) print "x " raw[1 + pick(nr)]
			else if (c < 93) print "k " pick(10)
			else if (c < 99) print "r " 20 + pick(181) " " 6 + pick(55)
			else print "z"
		}
		split("q C-c C-\\ TERM HUP", how, " ")
		print "e " how[1 + pick(5)]
	}'
}

pending=
npending=0
flush() {
	if [ "$npending" -gt 0 ]; then
		eval "tmx send-keys -t soak $pending"
		pending=
		npending=0
		sleep 0.02
	fi
}
send_key() {
	pending="$pending '$1'"
	npending=$((npending + 1))
	keys=$((keys + 1))
	[ "$npending" -lt 12 ] || flush
}

resize() {
	tmx resize-window -t soak -x "$1" -y "$2"
	resizes=$((resizes + 1))
}

# Shrink below the minimum: the notice must come, then go again.
probe() {
	flush
	resize $((20 + $(awk -v s="$seed$keys" 'BEGIN { srand(s); print int(rand() * 39) }'))) 8
	poll "$SOAK_HANG" shows 'needs 60 x 18' ||
		fail "hang: no size notice within $SOAK_HANG s of a resize"
	resize 100 30
	poll "$SOAK_HANG" hides 'needs 60 x 18' ||
		fail "hang: the view did not come back within $SOAK_HANG s"
	probes=$((probes + 1))
}

suspend() {
	flush
	tmx send-keys -t soak C-z
	sleep 0.2
	kill -s CONT "$(cat "$dir/pid")" 2>/dev/null
	keys=$((keys + 1))
}

# end HOW: leave the session that way; the status it implies.
end_session() {
	flush
	case $1 in
	q) tmx send-keys -t soak Escape; sleep 0.1
	   tmx send-keys -t soak Escape; sleep 0.1
	   tmx send-keys -t soak q; want=0 ;;
	C-c) tmx send-keys -t soak C-c; want=130 ;;
	C-\\) tmx send-keys -t soak 'C-\'; want=131 ;;
	TERM) kill -s TERM "$(cat "$dir/pid")"; want=143 ;;
	HUP) kill -s HUP "$(cat "$dir/pid")"; want=129 ;;
	esac
	poll "$SOAK_HANG" exited || fail "no exit within $SOAK_HANG s of $1"
	shows "exit-status=$want" || { reports; fail "exit status after $1 is not $want"; }
	poll 2 shows 'icanon echo' || fail "the tty was left raw after $1"
	[ "$(modes)" = "0 1" ] ||
		fail "after $1: alternate screen and cursor flags $(modes), not 0 1"
}

tmx new-session -d -s soak -x 100 -y 30 "sleep 3600" || {
	echo "FAIL soak: tmux could not start a session"
	exit 1
}
start=$(date +%s)
while [ $(($(date +%s) - start)) -lt "$SOAK_SECONDS" ]; do
	sc=$(echo "$scenarios" | awk -v i="$sessions" '{ a[NR] = $0 } END { print a[i % NR + 1] }')
	v=$(echo "$views" | awk -v i="$sessions" '{ print $(int(i / 10) % NF + 1) }')
	session_args="--scenario $sc --view $v"
	sessions=$((sessions + 1))
	rm -f "$dir/pid" "$dir/plan.done"
	resize 100 30
	tmx respawn-pane -k -t soak "env LC_ALL=C.UTF-8 TERM=$term sh $dir/run.sh $session_args"
	poll 30 up || fail "the session did not start"
	plan "$seed$sessions" >"$dir/plan"
	while read -r op a b; do
		echo "$op $a $b" >>"$dir/plan.done"
		case $op in
		k) send_key "$a" ;;
		x) flush
		   tmx send-keys -t soak -H $(echo "$a" | sed 's/../& /g')
		   keys=$((keys + 1)) ;;
		r) flush; resize "$a" "$b" ;;
		p) probe ;;
		z) suspend ;;
		e) end_session "$a" ;;
		esac
	done <"$dir/plan"
	[ -z "$failure" ] || exit 1
	reports
done
echo "ok soak: $keys keys, $resizes resizes, $probes liveness probes," \
	"$sessions sessions in $(($(date +%s) - start)) s (seed $seed)"
