# SPDX-License-Identifier: MIT
# Sourced by the tmux-driven scripts (signals.sh, ../soak/soak.sh) from
# the repository's top: the binary as an absolute path, a terminal type
# tmux knows, a private tmux server (tmx) and a scratch directory ($dir),
# both gone on exit. $1 names them.

case $TEMPVIZ in /*) ;; *) TEMPVIZ=$(pwd)/$TEMPVIZ ;; esac
term=tmux-256color
infocmp "$term" >/dev/null 2>&1 || term=xterm-256color
sock=tv$1$$
dir=$(mktemp -d "${TMPDIR:-/tmp}/tempviz-$1.XXXXXX") || exit 2
tmx() {
	tmux -L "$sock" -f /dev/null "$@"
}
cleanup() {
	tmx kill-server >/dev/null 2>&1
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
