#!/bin/sh
# SPDX-License-Identifier: MIT
# The views stay apart (app_internal.h, "Adding a view"): no view_*.c
# calls a function defined in another view_*.c, and app.c and the loop
# call none defined in any view; they reach a view through its ops.
# External definitions are found by the style's layout: the name at the
# start of a line, followed by its parameter list, under a return type
# that is not static.
# One line per file, "ok NAME" or "FAIL NAME: what it calls".

cd "$(dirname "$0")/../.." || exit 2
failed=0

defined() {
	awk '/^[A-Za-z_][A-Za-z0-9_]*\(/ && prev !~ /^static/ {
		sub(/\(.*/, ""); print } { prev = $0 }' "$1" | sort -u
}

# check FILE OTHERS...: FILE calls nothing defined in OTHERS.
check() {
	file=$1
	shift
	bad=
	for other in "$@"; do
		[ "$other" = "$file" ] && continue
		for fn in $(defined "$other"); do
			if grep -Eq "(^|[^A-Za-z0-9_])$fn[[:space:]]*\(" "$file"; then
				bad="$bad $fn ($(basename "$other"))"
			fi
		done
	done
	if [ -n "$bad" ]; then
		echo "FAIL layers-$(basename "$file"): calls$bad"
		failed=$((failed + 1))
	else
		echo "ok layers-$(basename "$file")"
	fi
}

for f in src/ui/view_*.c; do
	check "$f" src/ui/view_*.c
done
for f in src/ui/app.c src/ui/tui.c src/ui/dials.c src/ui/talkmode.c; do
	check "$f" src/ui/view_*.c
done
[ "$failed" -eq 0 ]
