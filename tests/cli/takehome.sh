#!/bin/sh
# SPDX-License-Identifier: MIT
# Take it home, run: the `tempviz print` line the take-home overlay shows
# (T in the TUI, read here from a snapshot wide enough for it to fit one
# row) is run as a shell would run it, and must print exactly what print
# prints on the settings it was taken from: flags given at start, dials
# turned and typed by keys, the profile key, a custom order, a source
# chosen in the picker, a position stepped to. One line per case, "ok
# NAME" or "FAIL NAME" with a diff.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac
LC_ALL=C.UTF-8
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-takehome.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
failed=0

# The take-home tempviz line of a snapshot with these arguments, on a
# screen $WIDE columns wide (the line must fit one row).
WIDE=250
line_of() {
	"$TEMPVIZ" snapshot --size ${WIDE}x60 --ascii "$@" >"$tmp/screen" || return 1
	sed -n 's/^ *\(tempviz print .*[^ ]\) *$/\1/p' "$tmp/screen" | head -n 1
}

# case NAME WANT-ARGS -- SNAPSHOT-ARGS: the line taken from the snapshot
# prints what `tempviz print WANT-ARGS` prints.
case_() {
	name=$1
	shift
	want=
	while [ "$1" != -- ]; do
		# Each word single-quoted, a quote in it as '\''.
		want="$want '$(printf '%s' "$1" | sed "s/'/'\\\\''/g")'"
		shift
	done
	shift
	line=$(line_of "$@")
	if [ -z "$line" ]; then
		echo "FAIL $name: no tempviz print line on the screen"
		sed 's/^/    | /' "$tmp/screen"
		failed=$((failed + 1))
		return
	fi
	# The line runs as written, with this build's binary for "tempviz".
	(eval "set -- ${line#tempviz }" && "$TEMPVIZ" "$@") >"$tmp/got" 2>&1
	eval "\"\$TEMPVIZ\" print $want" >"$tmp/want" 2>&1
	if cmp -s "$tmp/want" "$tmp/got"; then
		echo "ok takehome-$name"
	else
		echo "FAIL takehome-$name: $line"
		diff -u "$tmp/want" "$tmp/got" | head -n 30 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

case_ flags --scenario france --temp 0.7 --top-k 40 --min-p 0.05 \
	--profile llama.cpp -- \
	--scenario france --temp 0.7 --top-k 40 --min-p 0.05 \
	--profile llama.cpp --keys T
case_ every-dial --scenario story --temp 1.3 --top-p 0.9 --typical 0.95 \
	--top-n-sigma 2 --xtc-threshold 0.05 --xtc-probability 0.5 \
	--dynatemp-range 0.3 --dynatemp-exp 2 --min-keep 3 --seed 9 \
	--profile llama.cpp -- \
	--scenario story --temp 1.3 --top-p 0.9 --typical 0.95 \
	--top-n-sigma 2 --xtc-threshold 0.05 --xtc-probability 0.5 \
	--dynatemp-range 0.3 --dynatemp-exp 2 --min-keep 3 --seed 9 \
	--profile llama.cpp --keys T
# Keys: T up two fine steps (1.2), top-k typed 5, top-p typed with a
# decimal comma, min-p a coarse step up, the profile key twice (llama3).
case_ keys --scenario approve --temp 1.2 --top-k 5 --top-p 0.85 \
	--min-p 0.1 --profile llama3 -- \
	--scenario approve \
	--keys "<Right><Right>j=5<Enter>j=0,85<Enter>j<PgUp>ppT"
case_ order --scenario code --temp 0.4 --top-p 0.5 \
	--order top-p,temperature -- \
	--scenario code --temp 0.4 --top-p 0.5 --order top-p,temperature \
	--keys T
# The picker: from france to story, the dials kept.
case_ picked --scenario story --temp 0.5 --top-p 0.9 -- \
	--scenario france --temp 0.5 --top-p 0.9 --keys "Ost<Enter>T"
# The samplers with memory on a history, breakers and smoothing among
# them: a long line.
WIDE=400
case_ memory --scenario story --history "little young girl little" \
	--profile llama.cpp --repeat-penalty 1.3 --repeat-last-n 32 \
	--frequency-penalty 0.2 --presence-penalty 0.1 --dry-multiplier 0.8 \
	--dry-base 2 --dry-allowed-length 1 --dry-penalty-last-n 16 \
	--dry-sequence-breaker . --dry-sequence-breaker "it's" \
	--smoothing-factor 0.4 --smoothing-curve 2 -- \
	--scenario story --history "little young girl little" --profile llama.cpp \
	--repeat-penalty 1.3 --repeat-last-n 32 --frequency-penalty 0.2 \
	--presence-penalty 0.1 --dry-multiplier 0.8 --dry-base 2 \
	--dry-allowed-length 1 --dry-penalty-last-n 16 \
	--dry-sequence-breaker . --dry-sequence-breaker "it's" \
	--smoothing-factor 0.4 --smoothing-curve 2 --keys T
case_ no-breakers --scenario story --history "little young girl little" --dry-multiplier 1 \
	--dry-sequence-breaker none --profile llama.cpp -- \
	--scenario story --history "little young girl little" --dry-multiplier 1 \
	--dry-sequence-breaker none --profile llama.cpp --keys T
WIDE=250
# On a model, after five words written: the line's prompt is the text
# so far, whose next word the screen shows.
case_ lm-written --lm tests/fixtures/tiny.arpa --prompt "the cat sat . the cat" \
	--profile hf --temp 0 --repeat-penalty 1.3 -- \
	--lm tests/fixtures/tiny.arpa --prompt the --view generate --temp 0 \
	--repeat-penalty 1.3 --keys "<Space><Space><Space><Space><Space>T"
# A file with a space and a quote in its name, at its second position.
cp tests/fixtures/openai_chat.json "$tmp/it's a response.json"
case_ file-position "$tmp/it's a response.json" --position 2 --temp 0.3 -- \
	"$tmp/it's a response.json" --temp 0.3 --keys nT

[ "$failed" -eq 0 ]
