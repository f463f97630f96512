#!/bin/sh
# SPDX-License-Identifier: MIT
# Golden screens: `tempviz snapshot` of every view at 80x24 and 120x40 in
# UTF-8 and ASCII, and of explore in the three colour tiers, compared byte
# for byte with tests/golden/NAME. One line per case, "ok NAME" or
# "FAIL NAME" followed by a diff. UPDATE=1 rewrites the golden files
# instead (make golden-update), after an intended change.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
DIR=tests/golden
LC_ALL=C.UTF-8
export LC_ALL
unset NO_COLOR

out=$(mktemp "${TMPDIR:-/tmp}/tempviz-golden.XXXXXX") || exit 2
err=$(mktemp "${TMPDIR:-/tmp}/tempviz-golden.XXXXXX") || exit 2
trap 'rm -f "$out" "$err"' EXIT
trap 'exit 130' INT TERM
failed=0

# check NAME SNAPSHOT-ARGS...
check() {
	name=$1
	shift
	if ! "$TEMPVIZ" snapshot --scenario approve "$@" >"$out" 2>"$err"; then
		echo "FAIL $name: tempviz snapshot $* exited non-zero"
		sed 's/^/    /' "$err"
		failed=$((failed + 1))
		return
	fi
	if [ -n "$UPDATE" ]; then
		cp "$out" "$DIR/$name"
		echo "ok $name (updated)"
	elif [ ! -f "$DIR/$name" ]; then
		echo "FAIL $name: no golden file (make golden-update)"
		failed=$((failed + 1))
	elif cmp -s "$out" "$DIR/$name"; then
		echo "ok $name"
	else
		echo "FAIL $name"
		diff -u "$DIR/$name" "$out" | head -n 60 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

for view in explore pipeline sample curves thermo attention help; do
	for size in 80x24 120x40; do
		check "$view-$size.txt" --view "$view" --size "$size" \
			--format txt
		check "$view-$size-ascii.txt" --view "$view" --size "$size" \
			--format txt --ascii
	done
done
for tier in 256 8 mono; do
	check "explore-80x24-$tier.ansi" --view explore --size 80x24 \
		--format ansi --colors "$tier"
done
check "explore-30x8.txt" --view explore --size 30x8 --format txt

[ "$failed" -eq 0 ]
