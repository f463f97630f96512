#!/bin/sh
# SPDX-License-Identifier: MIT
# Keeps README.md true: the blocks between "<!-- NAME:begin -->" and
# "<!-- NAME:end -->" must equal what the program prints today (the key
# table from the action table, the scenario list from the built-ins, the
# generate examples when the language model is installed).
#
#   sh tests/cli/readme.sh           prints "ok readme-NAME" or "FAIL ..."
#   UPDATE=1 sh tests/cli/readme.sh  rewrites the blocks in README.md
#
# Exits non-zero when a block differs.

cd "$(dirname "$0")/../.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
LC_ALL=C.UTF-8
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-readme.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# The scenario list as a Markdown table.
scenarios_md() {
	echo "| scenario | size | what it teaches |"
	echo "|---|---|---|"
	# --list prints fixed columns: name, size, note.
	"$TEMPVIZ" --list | awk 'NR > 1 {
		size = substr($0, 16, 19); sub(/ +$/, "", size)
		printf "| `%s` | %s | %s |\n", $1, size, substr($0, 35)
	}'
}

block() {
	name=$1
	file=$2
	awk -v name="$name" -v file="$file" '
		$0 == "<!-- " name ":begin -->" { print; while ((getline l < file) > 0) print l; skip = 1; next }
		$0 == "<!-- " name ":end -->" { skip = 0 }
		!skip { print }
	' README.md >"$tmp/README.md"
	if [ -n "$UPDATE" ]; then
		cp "$tmp/README.md" README.md
		echo "ok readme-$name (updated)"
	elif cmp -s README.md "$tmp/README.md"; then
		echo "ok readme-$name"
	else
		failed=$((failed + 1))
		echo "FAIL readme-$name: README.md differs from the program (UPDATE=1 sh tests/cli/readme.sh)"
		diff -u README.md "$tmp/README.md" | head -n 20
	fi
}

# A command's output as a fenced block, after the command itself.
shown() {
	name=$1
	shift
	{
		echo '```'
		"$TEMPVIZ" "$@" || return 1
		echo '```'
	} >"$tmp/$name"
}

"$TEMPVIZ" --keys-markdown >"$tmp/keys" || exit 1
scenarios_md >"$tmp/scenarios" || exit 1
failed=0
block keys "$tmp/keys"
block scenarios "$tmp/scenarios"
# The generate examples need Debian's model (the default --lm).
if "$TEMPVIZ" generate -n 1 >/dev/null 2>&1; then
	shown lanes generate --prompt "once upon a" -n 16 --lanes 0,0.7,2 \
		--seed 1 || exit 1
	shown topk generate --prompt "once upon a" -n 16 --lanes 0.7,2 \
		--top-k 40 --seed 1 || exit 1
	block generate-lanes "$tmp/lanes"
	block generate-topk "$tmp/topk"
else
	echo "skip readme-generate: no language model (apt-get install pocketsphinx-en-us)"
fi
[ "$failed" -eq 0 ]
