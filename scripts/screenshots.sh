#!/bin/bash
# Full-page screenshots of the pages a typographer looks at first, for before/after comparisons
# of the theme (issue 13's closing note lists them by this command). Not part of `cargo test`.
#   scripts/screenshots.sh PATH/TO/vellum OUTDIR [ROOT]
# ROOT is the demo site to build (default: this repository; give an older checkout to see the
# theme as it was). Two sites are built:
#   demo  ROOT as it is: its stress essay (a-crowded-margin), its plain essay, the home page;
#   seed  a folder holding only ROOT's plain essay, with no vellum.toml and no date: a notes-app
#         writer's first build.
# Each page is shot at 1280 px and 375 px in light, and at 1280 px in dark and print, as
# OUTDIR/<site>-<page>-<view>.png. Needs node and tests/browser/node_modules (npm ci there).
set -euo pipefail
V=$(realpath "$1"); out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
root=$(realpath "${3:-$here/..}")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/seedsite/content"
plain=$(cd "$root/content" && ls *.txt | head -1)
# The seed essay has no date: its file name loses the date the demo's has.
cp "$root/content/$plain" "$work/seedsite/content/$(echo "$plain" | sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}-//')"
slug=$(basename "$plain" .txt | sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}-//')
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/"
"$V" --root "$root" build --output "$work/demo" --base-url "$base" >/dev/null
"$V" --root "$work/seedsite" build --output "$work/seed" --base-url "$base" >/dev/null
node "$here/screenshots.mjs" "$work/demo" "$port" "$out/demo" / /a-crowded-margin/ "/$slug/"
node "$here/screenshots.mjs" "$work/seed" "$port" "$out/seed" / "/$slug/"
ls "$out"
