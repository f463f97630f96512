#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerate the README's screenshots: tempviz renders each view to SVG
# with `snapshot`, and rsvg-convert (Debian's librsvg2-bin) turns it into a
# PNG. Fonts: DejaVu Sans Mono (fonts-dejavu-core) for the grid.
set -eu
cd "$(dirname "$0")/.."
need=""
command -v rsvg-convert >/dev/null 2>&1 || need="$need librsvg2-bin"
fc-list 2>/dev/null | grep -q 'DejaVu Sans Mono' || need="$need fonts-dejavu-core"
if [ -n "$need" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "screenshots: missing$need; as root run: apt-get install$need" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi

shot() {
  name=$1; shift
  LC_ALL=C.UTF-8 ./tempviz snapshot --format svg -o "screenshots/$name.svg" "$@"
  rsvg-convert -o "screenshots/$name.png" "screenshots/$name.svg"
  rm -f "screenshots/$name.svg"
  echo "  SHOT    screenshots/$name.png"
}

shot explore     --scenario france --view explore --size 110x34 --temp 1.3 --top-p 0.9 --min-p 0.02
shot pipeline    --scenario approve --view pipeline --size 110x30 --profile llama.cpp --temp 0.7 --top-k 8 --top-p 0.8 --min-p 0.05
shot curves      --scenario story --view curves --size 110x30 --temp 0.7 --top-p 0.95 --keys b
shot thermo      --scenario approve --view thermo --size 110x34 --temp 0.7
shot attention   --scenario approve --view attention --size 110x30
shot sample      --scenario approve --view sample --size 110x30 --temp 0.7 --keys tt
shot talk        --talk france --step 8 --size 110x34
shot light       --scenario france --view explore --size 110x34 --temp 0.7 --theme light
# The A/B split: B at T 1.5 with top-p 0.9 and llama.cpp's order.
shot ab          --scenario france --view explore --size 110x32 --temp 0.7 --keys "vo=1.5<Enter>jj=0.9<Enter>p"
shot big         --scenario france --view explore --size 110x34 --temp 0.7 --big --range openai
shot explore-ascii --scenario approve --view explore --size 100x30 --ascii --colors mono --temp 1.4 --min-p 0.1
# Lanes on Debian's trigram (pocketsphinx-en-us): determinism, sense and
# salad from one prompt and seed.
words=$(printf '<Space>%.0s' $(seq 1 60))
if [ -r /usr/share/pocketsphinx/model/en-us/en-us.lm.bin ]; then
  shot lanes     --lm --prompt "once upon a" --view generate --size 110x28 --temp 0.7 --seed 1 --keys "L$words"
else
  echo "  SKIP    screenshots/lanes.png: apt-get install pocketsphinx-en-us"
fi
# A running model server: the test server of the suites, speaking
# llama.cpp's API from the hand-written trigram fixture, on a fixed port so
# that the header is the same at every run.
if command -v python3 >/dev/null 2>&1; then
  . tests/server/lib.sh
  fake_start llama.cpp --port 18080
  shot server    --server "$FAKE_URL" --prompt "the" --view explore --size 100x24 --temp 0.8
  fake_stop
fi
