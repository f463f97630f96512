#!/bin/sh
# SPDX-License-Identifier: MIT
# Every test: the cmocka unit binaries in $BUILD/tests, then the golden,
# end-to-end and CLI suites. Counts individual tests, shows the details of
# each failure, and ends with exactly one line "N passed, N failed,
# N skipped" (a test that cannot run here, such as one needing Debian's
# language model, is skipped, never passed).
# Exits non-zero when anything failed.

BUILD=${BUILD:-build}
cd "$(dirname "$0")/.." || exit 2
TEMPVIZ=${TEMPVIZ:-./tempviz}
export BUILD TEMPVIZ

passed=0
failed=0
skipped=0
out=$(mktemp "${TMPDIR:-/tmp}/tempviz-test.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
trap 'exit 130' INT TERM

# The sum of N over the cmocka summary lines "[  PASSED  ] N test(s).",
# "[  SKIPPED ] N test(s), listed below:" or
# "[  FAILED  ] N test(s), listed below:" (one per group) in $out.
cmocka_sum() {
	sed -n "s/^\[ *$1 *\] \([0-9][0-9]*\) test(s).*/\1/p" "$out" |
		awk '{ s += $1 } END { print s + 0 }'
}

run_unit() {
	bin=$1
	name=$(basename "$bin")
	"$bin" >"$out" 2>&1
	status=$?
	p=$(cmocka_sum PASSED)
	f=$(cmocka_sum FAILED)
	k=$(cmocka_sum SKIPPED)
	skipped=$((skipped + k))
	# A crash or an early exit prints no summary: count it as a failure.
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		if [ "$k" -gt 0 ]; then echo "ok $name ($p tests, $k skipped)"; else echo "ok $name ($p tests)"; fi
	else
		echo "FAIL $name ($f of $((p + f)) tests failed, exit $status)"
		sed 's/^/    /' "$out"
	fi
}

# run_suite NAME [SCRIPT]: SCRIPT defaults to tests/NAME/run.sh.
run_suite() {
	suite=$1
	sh "${2:-tests/$suite/run.sh}" >"$out" 2>&1
	status=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	skipped=$((skipped + $(grep -c '^skip ' "$out")))
	grep '^skip ' "$out"
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL $suite: run.sh exited $status"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		echo "ok $suite ($p tests)"
	else
		echo "FAIL $suite ($f of $((p + f)) tests failed)"
		grep -v '^ok ' "$out" | sed 's/^/    /'
	fi
}

for bin in "$BUILD"/tests/test_*; do
	case $bin in *.o|*.d) continue ;; esac
	[ -x "$bin" ] || continue
	run_unit "$bin"
done
run_suite layers tests/unit/layers.sh
run_suite server tests/server/selftest.sh
run_suite server-client tests/server/client.sh

for suite in golden e2e cli; do
	[ -f "tests/$suite/run.sh" ] || continue
	if [ "$suite" = e2e ] && ! command -v tmux >/dev/null 2>&1; then
		echo "skip e2e: tmux is not installed (apt-get install tmux)"
		skipped=$((skipped + 1))
		continue
	fi
	run_suite "$suite"
	if [ "$suite" = e2e ]; then
		run_suite e2e-keys tests/e2e/keys.sh
		run_suite e2e-generate tests/e2e/generate.sh
		run_suite e2e-teacher tests/e2e/teacher.sh
		run_suite e2e-talk tests/e2e/talk.sh
		run_suite e2e-ab tests/e2e/ab.sh
		run_suite e2e-server tests/e2e/server.sh
		run_suite e2e-memory tests/e2e/memory.sh
		run_suite e2e-branch tests/e2e/branch.sh
	fi
	[ "$suite" = cli ] && run_suite cli-takehome tests/cli/takehome.sh
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
