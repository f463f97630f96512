#!/bin/sh
# SPDX-License-Identifier: MIT
# Golden screens: `tempviz snapshot` of every view at 80x24 and 120x40 in
# UTF-8 and ASCII, of explore and thermo in the three colour tiers, and of
# views after keys (draws, toggles, a typed value, a saved response
# stepped), compared byte for byte with tests/golden/NAME. One line per case, "ok NAME" or
# "FAIL NAME" followed by a diff. UPDATE=1 rewrites the golden files
# instead (make golden-update), after an intended change.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
DIR=tests/golden
LC_ALL=C.UTF-8
export LC_ALL
unset NO_COLOR COLORFGBG

out=$(mktemp "${TMPDIR:-/tmp}/tempviz-golden.XXXXXX") || exit 2
err=$(mktemp "${TMPDIR:-/tmp}/tempviz-golden.XXXXXX") || exit 2
trap 'rm -f "$out" "$err"' EXIT
trap 'exit 130' INT TERM
failed=0

# check NAME SNAPSHOT-ARGS...: on the built-in scenario approve.
check() {
	name=$1
	shift
	check_src "$name" --scenario approve "$@"
}

# check_src NAME SOURCE SNAPSHOT-ARGS...
check_src() {
	name=$1
	shift
	if ! "$TEMPVIZ" snapshot "$@" >"$out" 2>"$err"; then
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
for theme in dark light; do
	for tier in 256 8; do
		for view in explore sample; do
			check "$view-80x24-$tier-$theme.ansi" --view "$view" \
				--size 80x24 --format ansi --colors "$tier" \
				--theme "$theme" --keys tt
		done
	done
done
check "explore-30x8.txt" --view explore --size 30x8 --format txt
for tier in 256 8 mono; do
	check "thermo-80x24-$tier.ansi" --view thermo --size 80x24 \
		--format ansi --colors "$tier"
done
check "thermo-80x24-t0.5.txt" --view thermo --size 80x24 --temp 0.5
check "sample-80x24-tt.txt" --view sample --size 80x24 --seed 7 --keys tt
check "explore-80x24-energy.txt" --view explore --size 80x24 --keys e
# The A/B split: B at T 1.3 with top-k 3 (A only marks), at three sizes;
# big digits; a provider range and the bands on the T dial.
ab_keys="vo<Right><Right><Right>jlll"
for size in 80x24 120x40 200x60; do
	check "explore-$size-ab.txt" --size "$size" --keys "$ab_keys"
done
check "explore-80x24-ab-ascii.txt" --size 80x24 --keys "$ab_keys" --ascii
check "explore-80x24-ab-copy.txt" --size 80x24 --keys "${ab_keys}C"
check_src "explore-80x24-ab-france.txt" --scenario france --size 80x24 \
	--keys "vo=1.5<Enter>jj=0.9<Enter>JJ"
check "explore-200x60-big.txt" --size 200x60 --temp 0.7 --big
check "explore-100x32-big.txt" --size 100x32 --temp 0.7 --keys B
check "explore-80x24-big.txt" --size 80x24 --temp 0.7 --big
check "explore-120x30-range.txt" --size 120x30 --temp 0.7 --range openai
check "explore-80x24-range-preset.txt" --size 80x24 --range 0-1 --keys '$'
check "explore-80x24-range-end.txt" --size 80x24 --range 0-1 \
	--keys '<End><Right>'
check "explore-80x24-typed.txt" --view explore --size 80x24 \
	--keys "=0.25<Enter>"
check "pipeline-80x24-profile.txt" --view pipeline --size 80x24 --keys p
check "help-80x24-pgdn.txt" --size 80x24 --keys "?<PgDn>"
check "explore-80x24-all.txt" --view explore --size 80x24 --keys a \
	--typical 0.9 --top-n-sigma 2 --xtc-probability 0.5 \
	--dynatemp-range 0.3
# Small screens: the tokens that do not fit are counted, and the list
# scrolls (J down a row, K up, to the end and back).
check_src "explore-60x18-france.txt" --scenario france --view explore \
	--size 60x18
check_src "explore-60x18-france-j3.txt" --scenario france --view explore \
	--size 60x18 --keys JJJ
check_src "explore-60x18-france-end.txt" --scenario france --view explore \
	--size 60x18 --keys JJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJ
check_src "explore-60x18-france-back.txt" --scenario france --view explore \
	--size 60x18 --keys JJJJJK --ascii
check "explore-60x18.txt" --view explore --size 60x18 --top-p 0.8
# A saved response: the chosen token marked at the second position.
check_src "explore-100x24-openai.txt" tests/fixtures/openai_chat.json \
	--view explore --size 100x24 --keys n
check_src "pipeline-100x24-openai.txt" tests/fixtures/openai_chat.json \
	--view pipeline --size 100x24 --keys n
# Combining marks on a letter take its cell, wide characters two, and the
# prompt's multi-byte tail is cut at a character.
for view in explore pipeline; do
	check_src "$view-110x30-marks.txt" tests/fixtures/marks.tsv \
		--view "$view" --size 110x30
done
check_src "explore-110x30-marks-ascii.txt" tests/fixtures/marks.tsv \
	--view explore --size 110x30 --ascii
# The source picker over the view, in both glyph sets; a lesson moving
# from france to story with its dials; the take-home lines of settings a
# lesson uses, at 80 columns (wrapped) and 120.
check_src "explore-80x24-picker.txt" --scenario france --view explore \
	--size 80x24 --keys O
check_src "explore-80x24-picker-ascii.txt" --scenario france \
	--view explore --size 80x24 --keys "O<Down>" --ascii
check_src "explore-80x24-picked.txt" --scenario france --view explore \
	--size 80x24 --temp 0.5 --top-p 0.9 --keys "Ost<Enter>"
check_src "explore-80x24-takehome.txt" --scenario france --view explore \
	--size 80x24 --temp 0.7 --top-k 40 --min-p 0.05 --profile llama.cpp \
	--keys T
check_src "pipeline-120x40-takehome.txt" --scenario story \
	--view pipeline --size 120x40 --temp 1.3 --top-p 0.9 --typical 0.95 \
	--order top-p,typical,temperature --keys "T"
# The samplers with memory in the pipeline, each a column before the
# chain at its place in the profile's order: llama.cpp's penalties and DRY
# (DRY moves "approve", which followed "approve reject" before), HF's
# repetition penalty alone, a dial set with no history to act on,
# mirostat replacing llama.cpp's chain, quadratic smoothing moving every
# logit (the tail's too); then the dial turned live with keys (a, down to
# the repeat dial, 0.5 up), and the explore view under the same.
check "pipeline-120x40-penalties.txt" --view pipeline --size 120x40 \
	--profile llama.cpp --history "approve reject approve review approve reject" \
	--repeat-penalty 1.3 --frequency-penalty 0.1 --dry-multiplier 0.8
check "pipeline-80x24-penalties.txt" --view pipeline --size 80x24 \
	--history "approve reject approve" --repeat-penalty 1.5
check "pipeline-100x30-nohistory.txt" --view pipeline --size 100x30 \
	--profile llama.cpp --repeat-penalty 1.5 --dry-multiplier 0.8
check "pipeline-100x30-mirostat.txt" --view pipeline --size 100x30 \
	--profile llama.cpp --mirostat 2 --history "approve approve" \
	--repeat-penalty 1.3
check_src "pipeline-120x40-smoothing.txt" --scenario france \
	--view pipeline --size 120x40 --history "Paris" --repeat-penalty 1.3 \
	--smoothing-factor 0.5
dial="ajjjjjjjjjjjjjjjj<PgUp><PgUp><PgUp><PgUp><PgUp>"
check "pipeline-100x30-dial.txt" --view pipeline --size 100x30 \
	--profile llama.cpp --history "approve reject approve" --keys "$dial"
check "explore-100x30-dial.txt" --view explore --size 100x30 \
	--profile llama.cpp --history "approve reject approve" --keys "$dial"
# The A/B split over a source switched under it: both panes on story.
check_src "explore-100x30-ab-picked.txt" --scenario france --view explore \
	--size 100x30 --top-p 0.9 --keys "v<Right>Ost<Enter>"
# Every step of every built-in talk at 80x24 (the language model's talk
# below, on the trigram fixture), and one step larger and in ASCII.
steps() {
	"$TEMPVIZ" present --check "$1" | sed -n 's/^.*: \([0-9]*\) steps$/\1/p'
}
for talk in temperature france lab attention; do
	n=$(steps "$talk")
	[ -n "$n" ] || { echo "FAIL talk-$talk: present --check failed"; failed=$((failed + 1)); }
	i=1
	while [ "$i" -le "${n:-0}" ]; do
		check_src "talk-$talk-$i-80x24.txt" --talk "$talk" --step "$i" \
			--size 80x24
		i=$((i + 1))
	done
done
check_src "talk-france-8-120x40-ascii.txt" --talk france --step 8 \
	--size 120x40 --ascii
check_src "talk-lab-7-200x60.txt" --talk lab --step 7 --size 200x60
check_src "talk-france-1-80x24-light.ansi" --talk france --step 1 \
	--size 80x24 --format ansi --colors 256 --theme light
# A source a step names is missing: a notice, and the talk goes on.
check_src "talk-missing-1-80x24.txt" --talk tests/fixtures/talks/missing.talk \
	--step 1 --size 80x24
check_src "talk-missing-2-80x24.txt" --talk tests/fixtures/talks/missing.talk \
	--step 2 --size 80x24
# Generate mode on the hand-written trigram: the text with its next-word
# bars, ranks, the prompt editor with an unknown word, the lanes, word
# colours by p, explore on the model, and the view without a model.
lm="--lm tests/fixtures/tiny.arpa"
words="<Space><Space><Space><Space><Space><Space><Space><Space>"
if ! "$TEMPVIZ" print $lm --prompt the >/dev/null 2>&1; then
	echo "skip generate goldens: this tempviz has no language model backend (SPHINXBASE=0 or no libsphinxbase-dev)"
	[ "$failed" -eq 0 ]
	exit
fi
check_src "generate-80x24.txt" $lm --prompt the --view generate \
	--size 80x24 --temp 0.7 --seed 3 --keys "$words"
check_src "generate-80x24-ascii.txt" $lm --prompt the --view generate \
	--size 80x24 --temp 0.7 --seed 3 --keys "$words" --ascii
check_src "generate-80x24-ranks.txt" $lm --prompt "the cat" \
	--view generate --size 80x24 --seed 5 --keys "R$words"
check_src "generate-80x24-prompt.txt" $lm --prompt the --view generate \
	--size 80x24 --keys "/ cat xyz"
check_src "generate-120x40-lanes.txt" $lm --prompt the --view generate \
	--size 120x40 --temp 0.7 --seed 3 --keys "L$words$words"
check_src "generate-80x24-256.ansi" $lm --prompt the --view generate \
	--size 80x24 --temp 2 --seed 3 --keys "$words" --format ansi \
	--colors 256
# The samplers with memory in the view: what the penalties and DRY pushed
# down (and, in colour, the earlier words that made it reversed), the
# cold lane without them beside the dial's with them, mirostat's plot,
# branch mode with its candidates and tree, and the beam lane.
pen="--temp 0 --profile llama.cpp --repeat-penalty 1.3 --dry-multiplier 0.8"
check_src "generate-80x24-penalties.txt" $lm --prompt the --view generate \
	--size 80x24 $pen --keys "$words"
check_src "generate-80x24-penalties-256.ansi" $lm --prompt the \
	--view generate --size 80x24 $pen --keys "${words}m" --format ansi \
	--colors 256
check_src "generate-120x40-penalty-lanes.txt" $lm --prompt the \
	--view generate --size 120x40 $pen --keys "L$words$words"
check_src "generate-80x24-mirostat.txt" $lm --prompt the --view generate \
	--size 80x24 --profile llama.cpp --mirostat 2 --mirostat-ent 1.5 \
	--seed 3 --keys "$words$words"
check_src "generate-80x24-branch.txt" $lm --prompt the --view generate \
	--size 80x24 --temp 0 --keys "${words}b<Left><Left>2<Enter>"
check_src "generate-120x40-branch-ascii.txt" $lm --prompt the \
	--view generate --size 120x40 --temp 0 --ascii \
	--keys "${words}b<Left><Left>2<Enter><Home><Right>3<Enter>[<Right>"
check_src "generate-80x24-beam.txt" $lm --prompt the --view generate \
	--size 80x24 --temp 0.7 --seed 3 --keys "B$words"
check_src "generate-120x40-beam.txt" $lm --prompt the --view generate \
	--size 120x40 --temp 0.7 --seed 3 --keys "BA$words$words"
check_src "explore-80x24-lm.txt" $lm --prompt "the cat" --view explore \
	--size 80x24
# The model is one of the picker's sources: set aside for a scenario (no
# generate view then), and back with its text.
check_src "explore-80x24-lm-picker.txt" $lm --prompt "the cat" \
	--view explore --size 80x24 --keys "O"
check_src "explore-80x24-lm-back.txt" $lm --prompt the --view generate \
	--size 80x24 --temp 0.7 --seed 3 --keys "${words}Ofa<Enter>O<End><Enter>"
check "generate-80x24-nomodel.txt" --view generate --size 80x24
i=1
while [ "$i" -le "$(steps text)" ]; do
	check_src "talk-text-$i-80x24.txt" --talk text --step "$i" \
		--size 80x24 $lm
	i=$((i + 1))
done
check_src "talk-text-1-80x24-nomodel.txt" --talk text --step 1 \
	--size 80x24 --lm tests/fixtures/no-such-model.arpa

[ "$failed" -eq 0 ]
