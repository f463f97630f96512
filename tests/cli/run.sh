#!/bin/sh
# SPDX-License-Identifier: MIT
# Golden tests of the subcommands: each case runs ./tempviz and compares
# its standard output, standard error and exit status, byte for byte, with
# tests/cli/NAME.expected. Error cases also check that nothing went to
# standard output and exactly one line to standard error.
#
#   sh tests/cli/run.sh            prints "ok NAME" or "FAIL NAME" per case
#   UPDATE=1 sh tests/cli/run.sh   rewrites the .expected files
#
# Exits non-zero when any case failed.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
LC_ALL=C.UTF-8
export LC_ALL
unset NO_COLOR

dir=tests/cli
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
failed=0

# fail MESSAGE: one FAIL line, counted for the exit status.
fail() {
	echo "FAIL $1"
	failed=$((failed + 1))
}

# Runs the binary with the arguments, standard input from $stdin; leaves
# $tmp/got in the .expected layout and $status, $tmp/out, $tmp/err behind.
stdin=/dev/null
capture() {
	"$TEMPVIZ" "$@" >"$tmp/out" 2>"$tmp/err" <"$stdin"
	status=$?
	{
		cat "$tmp/out"
		if [ -s "$tmp/err" ]; then
			echo "--- stderr"
			cat "$tmp/err"
		fi
		echo "--- exit $status"
	} >"$tmp/got"
}

compare() {
	name=$1
	if [ -n "$UPDATE" ]; then
		cp "$tmp/got" "$dir/$name.expected"
		echo "ok $name (updated)"
	elif [ ! -f "$dir/$name.expected" ]; then
		fail "$name: no $dir/$name.expected (make it with UPDATE=1)"
	elif cmp -s "$dir/$name.expected" "$tmp/got"; then
		echo "ok $name"
	else
		fail "$name: output differs from $dir/$name.expected"
		diff -u "$dir/$name.expected" "$tmp/got" | head -n 40
	fi
}

# golden NAME ARGS...: a run whose whole output is the expected file.
golden() {
	name=$1
	shift
	capture "$@"
	compare "$name"
}

# piped NAME FILE ARGS...: as golden, with FILE on standard input.
piped() {
	name=$1
	stdin=$2
	shift 2
	capture "$@"
	stdin=/dev/null
	compare "$name"
}

# fails NAME STATUS ARGS...: a run that must exit with STATUS, print
# nothing on standard output and exactly one line on standard error.
fails() {
	name=$1
	want=$2
	shift 2
	capture "$@"
	lines=$(wc -l <"$tmp/err")
	if [ "$status" -ne "$want" ]; then
		fail "$name: exit $status, expected $want"
		sed 's/^/  stderr: /' "$tmp/err"
	elif [ -s "$tmp/out" ] || [ "$lines" -ne 1 ]; then
		fail "$name: expected one line on stderr and no output, got"
		sed 's/^/  /' "$tmp/got"
	else
		compare "$name"
	fi
}

if [ ! -x "$TEMPVIZ" ]; then
	echo "FAIL cli: $TEMPVIZ is not built (run make)"
	exit 1
fi

# The test vector of thermo.md A.2: z = [2, 1, 0.5, 0, -1].
Z=2,1,0.5,0,-1

golden version --version
golden list --list
golden help_print print --help
golden print_default print
golden print_vector_t05 print --logits $Z --temp 0.5
golden print_top_p print --scenario approve --temp 0.7 --top-p 0.9
golden print_llamacpp print --logits $Z --profile llama.cpp --top-k 3 \
	--min-p 0.2 --temp 2
golden print_greedy print --logits 1,3,3,2 --temp 0
golden print_order print --logits $Z --order top-p,temperature \
	--top-p 0.8 --temp 0.5
golden print_ignored print --logits $Z --xtc-probability 0.5
golden print_probs print --probs 0.1,0.2,0.7,0 --min-p=0.2
golden print_json print --logits $Z --temp 0.5 --top-k 4 --json
golden print_json_scenario print --scenario approve --min-p 0.1 --json
golden print_penalties print --logits 2,-1,0.5,3 --history "0 1 0 3 x" \
	--profile llama.cpp --repeat-penalty 2 --frequency-penalty 0.5 \
	--presence-penalty 0.25 --json
golden print_dry print --logits 0,0,0,0 --history "0 1 2 3 0 1 2" \
	--profile llama.cpp --dry-multiplier 1 --dry-base 2
# DRY's sequence breakers as llama.cpp takes them: the first flag replaces
# the defaults, "none" clears the list. "12" is spelled by the tokens 1
# then 2, the end of the history, so no repeat may reach back: none moved;
# "3" is a token by itself, where the repeat "0 1 2" stops, one short of
# reaching the 3 that followed it; after "none", token 3 is moved again.
DRY="--logits 0,0,0,0 --profile llama.cpp --dry-multiplier 1 --dry-base 2"
# shellcheck disable=SC2086
golden print_dry_breaker print $DRY --history "0 1 2 3 0 1 2" \
	--dry-sequence-breaker 12
# shellcheck disable=SC2086
golden print_dry_breaker_json print $DRY --history "0 1 2 3 0 1 2" \
	--dry-sequence-breaker 3 --json
# shellcheck disable=SC2086
golden print_dry_breaker_none print $DRY --history "0 1 2 3 0 1 2" \
	--dry-sequence-breaker 3 --dry-sequence-breaker none
# shellcheck disable=SC2086
golden print_dry_breaker_long print $DRY --history "0 1 2 3 0 1 2" \
	--dry-sequence-breaker 0123456789012345678901234567890123456789extra
golden print_top_a print --logits $Z --order top-a,temperature --top-a 0.5
# --compare: B is A's flags with the pairs over them; KL(A||B) is "inf"
# (JSON: null and kl_infinite) when A keeps a token B cuts.
golden compare_topk print --probs 0.5,0.3,0.2 --compare top-k=2
golden compare_temp print --probs 0.75,0.25 --compare temp=0.5
golden compare_json print --probs 0.5,0.3,0.2 --top-k 2 --compare top-k=0,temp=0.5 --json
golden compare_inf_json print --probs 0.5,0.3,0.2 --compare top-k=2 --json
golden compare_profile print --scenario approve --temp 0.7 --top-p 0.9 \
	--compare profile=llama.cpp,order=top-p/temperature
golden compare_tail print --scenario twolevel --compare temp=1.5,top-k=5,profile=llama.cpp
# The samplers with memory as keys ('_' for '-' as JSON writes them): B
# runs on its own copy of the distribution, under A's history; B keeps
# A's breakers unless the pairs give it others.
golden compare_repeat print --scenario approve --profile llama.cpp \
	--history "approve reject approve" --repeat-penalty 1.1 \
	--compare repeat_penalty=1.3
# shellcheck disable=SC2086
golden compare_dry_json print $DRY --history "0 1 2 3 0 1 2" \
	--compare dry-multiplier=2,dry-sequence-breaker=3 --json
# shellcheck disable=SC2086
golden compare_breaker_kept print $DRY --history "0 1 2 3 0 1 2" \
	--dry-sequence-breaker 12 --compare dry-base=3
golden compare_profile_history print --scenario approve \
	--history "approve approve" --repeat-penalty 1.5 --frequency-penalty 0.5 \
	--compare profile=llama.cpp
# Quadratic smoothing, said under the table whose logits it moved.
golden print_smoothing print --scenario approve --smoothing-factor 0.3 \
	--smoothing-curve 2
# The penalties a profile lacks, and those mirostat leaves out, noted.
golden note_memory_profile print --scenario approve --profile llama3 \
	--history "approve approve" --repeat-penalty 1.3 --frequency-penalty 0.5
golden note_memory_mirostat generate --lm tests/fixtures/tiny.arpa --prompt the -n 2 \
	--profile llama.cpp --mirostat 2 --repeat-penalty 1.3
golden sample_table sample --logits $Z -n 10000 --seed 1 --top-k 4
golden sample_json sample --logits $Z -n 20 --seed 7 --json
golden sample_one sample --logits $Z -n1 --seed 3
golden sweep_linear sweep --logits $Z --from 0.5 --to 2 --steps 4
golden sweep_log sweep --logits $Z --log --from 0.1 --to 10 --steps 5
golden sweep_at sweep --logits $Z --at 0,0.5,1,2 --top-p 0.9
golden sweep_json sweep --logits $Z --at 0.5,1 --json

# Untrusted token bytes (ESC, newline, tab, invalid UTF-8, a wide
# character) and an unlisted tail, from a file and from standard input.
golden tricky_print print $dir/tricky.tsv --top-p 0.7
golden tricky_ascii print $dir/tricky.tsv --ascii
golden tricky_json print $dir/tricky.tsv --json --top-k 2
piped tricky_stdin $dir/tricky.tsv sample - -n 50 --seed 2 --min-p 0.2
# Combining marks, wide characters, space marks and invalid bytes.
golden marks_print print tests/fixtures/marks.tsv
golden marks_ascii print tests/fixtures/marks.tsv --ascii

# The token column is laid out by display width: every row of the table
# (all "kept") ends in the same column, whatever its token holds.
table_aligned() {
	for ascii in "" --ascii; do
		widths=$("$TEMPVIZ" print tests/fixtures/marks.tsv $ascii |
			grep ' kept$' | while IFS= read -r line; do
				printf '%s\n' "$line" | wc -L
			done | sort -u | wc -l)
		if [ "$widths" -ne 1 ]; then
			fail "table_aligned$ascii: rows end in $widths columns"
			return
		fi
	done
	echo "ok table_aligned"
}
table_aligned

# A streamed response at its second position (counted from 1, as the TUI
# shows it): the model, the context so far, the rest of the vocabulary
# last and apart.
golden stream_print print tests/fixtures/llama_stream.sse --position 2
golden stream_json print tests/fixtures/openai_chat_stream.sse --position 2 \
	--json
# Masked tokens; probabilities over 1 by rounding, renormalised and said;
# a dump taken at T = 0.5 made the model's logits, its model named.
# The rest of the vocabulary is not a token: last, whatever its logit
# (here above " Lyon"), in print and in the sample view, labelled as the
# rest and not as "other kept".
golden tail_last print tests/fixtures/openai_legacy.json --position 1
golden tail_sample snapshot --scenario france --view sample --size 80x24 \
	--keys t
# The TUI opens the whole sequence at the position, its header counting
# the same way.
golden snapshot_position snapshot tests/fixtures/ollama_gen_stream.ndjson \
	--position 2 --size 100x18
# A loader's warning: on stderr, and in the status line at start.
golden snapshot_warning snapshot --probs 0.5,0.505 --size 80x18
golden masked print --logits "2,-inf,1,-Infinity"
golden masked_json print --logits "2,-inf" --json
golden probs_over_one print --probs 0.5,0.505
golden dump_temp print $dir/dump_temp.tsv

fails err_probs_sum 2 print --probs 0.5,0.7
fails err_position_zero 2 print tests/fixtures/llama_stream.sse --position 0

# The language model: the hand-written fixture, so these run wherever
# tempviz is built with sphinxbase.
ARPA=tests/fixtures/tiny.arpa
if "$TEMPVIZ" generate --lm $ARPA -n 1 >/dev/null 2>&1; then
	golden help_generate generate --help
	golden gen_text generate --lm $ARPA --prompt "the cat" -n 12 --seed 3
	golden gen_greedy generate --lm $ARPA --prompt "The cat" -n 9 --temp 0
	# The same greedy loop broken: llama.cpp's penalties count each word
	# (a frequency penalty), DRY punishes the word that would repeat.
	golden gen_penalty generate --lm $ARPA --prompt "The cat" -n 16 \
		--temp 0 --profile llama.cpp --repeat-penalty 1.3 \
		--frequency-penalty 0.3
	golden gen_dry generate --lm $ARPA --prompt "The cat" -n 16 --temp 0 \
		--profile llama.cpp --dry-multiplier 0.8
	golden gen_mirostat generate --lm $ARPA --prompt "the" -n 8 \
		--profile llama.cpp --mirostat 2 --mirostat-ent 1.5 --seed 4 --json
	golden lm_history print --lm $ARPA --prompt "the cat sat . the" \
		--repeat-penalty 2 --json
	golden gen_json generate --lm $ARPA --prompt "the dog" -n 4 --seed 5 \
		--top-k 3 --json
	golden gen_lanes generate --lm $ARPA --prompt "a" -n 6 --lanes 0,1,5 \
		--seed 1
	golden gen_lanes_json generate --lm $ARPA --prompt "the" -n 2 \
		--lanes 0,2 --json
	# With a penalty the first lane is the control without it: greedy
	# goes round, the lanes after it do not.
	golden gen_lanes_plain generate --lm $ARPA --prompt "the" -n 8 \
		--lanes 0,0,2 --profile llama.cpp --dry-multiplier 1 --seed 1
	golden gen_unknown generate --lm $ARPA --prompt "The zebra, cat" -n 3
	golden gen_empty generate --lm $ARPA --prompt "" -n 3 --seed 2
	golden lm_print print --lm $ARPA --prompt "the cat" --top-k 3
	golden lm_print_json print --lm $ARPA --prompt "the cat. a" --json
	golden lm_sweep sweep --lm $ARPA --prompt "the" --at 0.5,1,2
	golden lm_sample sample --lm $ARPA --prompt "<s>" -n 100 --seed 4
	# --lm without PATH: $TEMPVIZ_LM, whether a flag or nothing follows.
	TEMPVIZ_LM=$ARPA
	export TEMPVIZ_LM
	golden lm_env print --lm --prompt "the cat" --top-k 2
	golden lm_env_last print --prompt "the cat" --top-k 2 --lm
	golden lm_env_generate generate --prompt "a" -n 4 --temp 0
	unset TEMPVIZ_LM
	fails err_lm_missing 1 generate --lm $dir/no-such-model.arpa
	fails err_lm_directory 1 print --lm $dir --prompt x
	fails err_lm_corrupt 1 generate --lm $dir/tricky.tsv
	fails err_lm_truncated 1 generate --lm tests/fixtures/tiny_truncated.arpa
	fails err_lm_source 2 print --scenario approve --lm $ARPA
	fails err_lm_prompt 2 print --prompt "once upon"
	fails err_gen_source 2 generate $dir/tricky.tsv
	fails err_gen_n 2 generate --lm $ARPA -n 100001
	fails err_gen_lanes 2 generate --lm $ARPA --lanes 0,-1
	# The generate view takes three chosen lanes, and only three.
	golden snap_lanes snapshot --lm $ARPA --prompt the --view generate \
		--lanes 0,1,5 --seed 2 --size 100x20 --keys "<Space><Space><Space>"
	fails err_snap_lanes 2 snapshot --lm $ARPA --view generate --lanes 0,1
	# --record: each step's distribution as tempviz-logits, which replays
	# as a SOURCE (run where the file is, so that its label is stable).
	"$TEMPVIZ" generate --lm $ARPA --prompt "the" -n 4 --seed 2 \
		--record "$tmp/rec.json" >/dev/null 2>&1
	cp "$tmp/rec.json" "$tmp/got"
	compare gen_record
	abs=$(cd "$(dirname "$TEMPVIZ")" && pwd)/$(basename "$TEMPVIZ")
	(cd "$tmp" && "$abs" print rec.json --position 3 --top-k 2) \
		>"$tmp/replay" 2>&1
	cp "$tmp/replay" "$tmp/got"
	compare gen_record_replay
	fails err_gen_record 2 generate --lm $ARPA --lanes 0,1 --record x.json
	# DRY's breakers in generation: "the" stops every repeat from
	# reaching back past it, so greedy text is left to loop (the
	# defaults break nothing here: see gen_dry).
	golden gen_dry_breaker generate --lm $ARPA --prompt "the cat" -n 14 \
		--temp 0 --profile llama.cpp --dry-multiplier 2 \
		--dry-allowed-length 1 --dry-sequence-breaker the
	# A 10,000-word prompt: the model reads its last two words.
	long=$(yes "the cat sat ." | head -n 2500 | tr '\n' ' ')
	got=$("$TEMPVIZ" generate --lm $ARPA --prompt "$long" -n 3 --temp 0 \
		--json | grep '^  "text"')
	if [ "$got" = '  "text": "the cat sat",' ]; then
		echo "ok gen_long_prompt"
	else
		fail "gen_long_prompt: $got"
	fi
else
	echo "skip lm: this tempviz has no language model backend"
fi

fails err_nan 2 print --logits 1,nan,2
fails err_top_p 2 print --top-p 1.5
fails err_compare_key 2 print --compare tmep=1
fails err_compare_range 2 print --compare top-p=1.5
fails err_compare_number 2 print --compare temp=hot
fails err_compare_pair 2 print --compare temp
fails err_compare_order 2 print --compare order=top-k/nope
fails err_compare_cmd 2 sample --compare temp=1
fails err_compare_memory 2 print --compare repeat-last-n=-2
fails err_compare_memory_range 2 print --profile vllm \
	--compare frequency_penalty=3
fails err_compare_history 2 print --compare history=x
fails err_compare_breaker 2 print --compare dry_sequence_breaker=
fails err_dry_breaker 2 print --dry-sequence-breaker ""
fails err_temp 2 print --temp -1
# --server's settings: bad values, alone, with another source or model.
fails err_server_api 2 print --server http://127.0.0.1:9 --api bogus
fails err_server_n_probs 2 print --server http://127.0.0.1:9 --n-probs 0
fails err_server_timeout 2 print --server http://127.0.0.1:9 --timeout 0
fails err_server_alone 2 print --api ollama
fails err_server_source 2 print --scenario approve --server http://127.0.0.1:9
fails err_server_lm 2 generate --lm x.arpa --server http://127.0.0.1:9
fails err_server_url 2 print --server ftp://127.0.0.1:9 --prompt a
fails err_tui_record 2 --record x.json
fails err_temp_tiny 2 print --temp 1e-320
fails err_not_number 2 print --temp warm
fails err_unknown_flag 2 print --tmep 1
fails err_flag_elsewhere 2 print --steps 5
fails err_no_value 2 print --temp
fails err_switch_value 2 print --json=yes
fails err_subcommand 2 pirnt
fails err_profile 2 print --profile gpt
fails err_repeat_penalty 2 print --repeat-penalty 0
fails err_vllm_frequency 2 print --profile vllm --frequency-penalty 3
fails err_mirostat 2 print --mirostat 3
fails err_dry_last_n 2 print --dry-penalty-last-n -2
fails err_scenario 2 print --scenario no-such-scenario
fails err_missing 1 print $dir/no-such-file.tsv
fails err_empty 1 print $dir/empty.tsv
fails err_directory 1 print $dir
fails err_two_sources 2 print --scenario approve --logits 1,2
fails err_order_dup 2 print --order top-k,top-p,top-k
fails err_order_unknown 2 print --order top-k,nucleus
fails err_size 2 snapshot --size 0x0
fails err_size_syntax 2 snapshot --size 80
fails err_n_zero 2 sample -n 0
fails err_n_fraction 2 sample -n 2.5
fails err_at_and_range 2 sweep --at 1,2 --steps 3
fails err_log_from 2 sweep --log --from 0
fails err_at_bad 2 sweep --at 1,,2
fails err_position 2 print --logits 1,2 --position 3
fails err_view 2 snapshot --view nope
# A flag value echoed in a message keeps its control bytes escaped.
fails err_control 2 print --temp "$(printf '1\033[2J\tx')"

# Talks: the list, a check, refusals (a script's with FILE:LINE:COL),
# and the export, well-formed as XML.
T=tests/fixtures/talks
golden present_list present --list
golden present_check present --check france
golden present_check_file present --check $T/missing.talk
golden help_present present --help
fails err_talk_value 1 present --check $T/bad_value.talk
fails err_talk_key 1 present $T/bad_key.talk --export x.html
fails err_talk_missing 1 present --check $T/no-such.talk
fails err_talk_unknown 2 present no-such-talk
fails err_talk_none 2 present
fails err_talk_tty 2 present france
fails err_talk_step 2 snapshot --talk france --step 10
fails err_talk_step_zero 2 snapshot --talk france --step 0
fails err_talk_source 2 snapshot --talk france --scenario approve
fails err_talk_step_alone 2 snapshot --step 2
fails err_talk_check_export 2 present france --check --export x.html
talk_export() {
	if ! "$TEMPVIZ" present lab --export "$tmp/lab.html" --size 80x24 \
		2>"$tmp/err"; then
		fail "talk_export: exit non-zero: $(cat "$tmp/err")"
	elif [ "$(grep -c '<section id="step-' "$tmp/lab.html")" != 9 ] ||
		[ "$(grep -c '<pre ' "$tmp/lab.html")" != 9 ]; then
		fail "talk_export: not nine steps with their frames"
	elif command -v xmllint >/dev/null 2>&1 &&
		! xmllint --noout "$tmp/lab.html" 2>"$tmp/err"; then
		fail "talk_export: not well-formed: $(head -3 "$tmp/err")"
	elif command -v python3 >/dev/null 2>&1 &&
		! python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' \
		"$tmp/lab.html" 2>"$tmp/err"; then
		fail "talk_export: python3 cannot parse it: $(tail -1 "$tmp/err")"
	else
		echo "ok talk_export"
	fi
}
talk_export

# A failed write to standard output is an error, also for --version.
for args in "print" "--version"; do
	# shellcheck disable=SC2086
	"$TEMPVIZ" $args >/dev/full 2>"$tmp/err"
	status=$?
	if [ "$status" -eq 1 ] &&
	    grep -q "standard output: write error" "$tmp/err"; then
		echo "ok write_error $args"
	else
		fail "write_error $args: exit $status"
	fi
done

# The man page documents every long flag --help lists (roff writes a
# hyphen as \-).
man_flags() {
	sed 's/\\-/-/g' src/cli/tempviz.1 >"$tmp/man"
	missing=
	for flag in $("$TEMPVIZ" --help | grep -o -- '--[a-z][a-z-]*' |
		sort -u); do
		grep -Eq -- "$flag([^a-z-]|\$)" "$tmp/man" ||
			missing="$missing $flag"
	done
	if [ -n "$missing" ]; then
		fail "man_flags: not in src/cli/tempviz.1:$missing"
	else
		echo "ok man_flags"
	fi
}
man_flags

# A file name that is not UTF-8 still names the source in JSON, with
# U+FFFD for the bad byte (jansson refuses invalid UTF-8 outright).
source_not_utf8() {
	bad=$(printf '%s/bad\377name.tsv' "$tmp")
	cp "$dir/tricky.tsv" "$bad"
	if "$TEMPVIZ" print "$bad" --json 2>/dev/null |
		grep -q "\"source\": \".*bad$(printf '\357\277\275')name.tsv\""; then
		echo "ok source_not_utf8"
	else
		fail "source_not_utf8: \"source\" missing or not lossy"
	fi
}
source_not_utf8

# The licence notices: pocketsphinx's BSD-2 text is Debian's, word for
# word; README links both files; make install puts them in the doc
# directory that --version names.
licences() {
	bsd=LICENSES/pocketsphinx-BSD-2.txt
	deb=/usr/share/doc/pocketsphinx-en-us/copyright
	why=
	if [ -f "$deb" ]; then
		awk '/^Files: \*$/ { f = 1 } f && /^License: BSD-2$/ { b = 1; next }
			b && /^[^ ]/ { exit }
			b { sub(/^ /, ""); if ($0 == ".") $0 = ""; print }' "$deb" \
			>"$tmp/bsd"
		[ -s "$tmp/bsd" ] && grep -qxF "$(head -n 1 "$tmp/bsd")" "$bsd" &&
			tail -n "$(wc -l <"$tmp/bsd")" "$bsd" | cmp -s - "$tmp/bsd" ||
			why="$bsd is not the text of $deb"
	fi
	for f in LICENSES/MIT.txt "$bsd"; do
		grep -qF "($f)" README.md || why="$why; README.md does not link $f"
	done
	doc=$("$TEMPVIZ" --version | sed -n 's/^Both notices: //p')
	make -n -s install DESTDIR=/nonexistent 2>/dev/null |
		grep -qF "LICENSES/* /nonexistent$doc" ||
		why="$why; make install does not put LICENSES/ in $doc"
	if [ -n "$why" ]; then
		fail "licences: ${why#; }"
	else
		echo "ok licences"
	fi
}
licences

# README.md shows what the program prints.
sh "$dir/readme.sh" || failed=$((failed + 1))

# Writers stop at the first failed write.
sh "$dir/writes.sh" || failed=$((failed + 1))

[ "$failed" -eq 0 ]
