#!/bin/sh
# SPDX-License-Identifier: MIT
# `make -j` on a fresh machine: nothing may compile before `make deps`
# has installed the packages. Simulated without touching the system: a
# pkg-config that knows no module until a stamp file exists, a `deps`
# install that sleeps and then creates the stamp, and a compiler that
# records every call made before the stamp. Each goal runs from a clean
# build directory at -j8; `run` ends at the TUI, which has no terminal
# here (status 2 after the build). Not part of `make test` (it builds the
# project several times); run it by hand: sh tests/soak/fresh-make.sh
# One line per goal, "ok NAME" or "FAIL NAME: WHY".

cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-fresh.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
real_cc=${CC:-cc}
failed=0

# Flags asked for before the stamp would be the fallbacks, not what the
# installed packages say: recorded too (the --exists probes of deps are
# expected).
cat >"$tmp/pkg-config" <<SH
#!/bin/sh
if [ ! -f "$tmp/stamp" ]; then
	[ "\$1" = --exists ] || echo "pkg-config \$*" >>"$tmp/early"
	exit 1
fi
exec pkg-config "\$@"
SH
cat >"$tmp/cc" <<SH
#!/bin/sh
[ -f "$tmp/stamp" ] || echo "\$*" >>"$tmp/early"
exec $real_cc "\$@"
SH
chmod +x "$tmp/pkg-config" "$tmp/cc"

# goal NAME STATUS MAKE-ARGS...: a fresh build of MAKE-ARGS must exit
# with STATUS, and compile nothing and read no flags before the stamp.
goal() {
	name=$1
	want=$2
	shift 2
	rm -rf "$tmp/build" "$tmp/stamp" "$tmp/early" "$tmp/root"
	make -j8 BUILD="$tmp/build" PKG_CONFIG="$tmp/pkg-config" \
		CC="$tmp/cc" DEPS_INSTALL="sleep 1 && touch $tmp/stamp" \
		"$@" >"$tmp/log" 2>&1 </dev/null
	status=$?
	if [ -s "$tmp/early" ]; then
		echo "FAIL $name: before deps finished: $(head -n 1 "$tmp/early")"
	elif [ "$status" -ne "$want" ]; then
		echo "FAIL $name: make exited $status, not $want"
		tail -n 15 "$tmp/log" | sed 's/^/    /'
	else
		echo "ok $name"
		return
	fi
	failed=$((failed + 1))
}

goal all 0
goal tempviz 0 tempviz
goal test 0 test
goal unit 0 unit
goal run 2 run
goal install 0 install DESTDIR="$tmp/root" PREFIX=/usr
[ "$failed" -eq 0 ]
