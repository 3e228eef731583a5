#!/bin/sh
# Cloudflare Pages build command: production uses base_url from vellum.toml, previews their
# own address. Set VELLUM_GIT (or edit the default) to the repository vellum is installed from.
set -eu
if ! command -v cargo >/dev/null; then
  curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  . "$HOME/.cargo/env"
fi
# Essays without a date are dated by their first commit; a shallow clone lacks the history.
if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
  git fetch --quiet --unshallow || true # vellum warns if the history is still cut short
fi
cargo install --locked --git "${VELLUM_GIT:-https://github.com/OWNER/vellum}" vellum
BASE=""
if [ "${CF_PAGES_BRANCH:-}" != "${PRODUCTION_BRANCH:-main}" ] && [ -n "${CF_PAGES_URL:-}" ]; then
  BASE="--base-url $CF_PAGES_URL/"
fi
vellum build $BASE
vellum check $BASE
# Search, with `[search] pagefind = true` in vellum.toml: set PAGEFIND=1 in the project's
# environment variables and Pagefind indexes the built site into public/pagefind/.
if [ "${PAGEFIND:-0}" = 1 ]; then
  npx --yes pagefind --site public
fi
