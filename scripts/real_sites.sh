#!/bin/bash
# The fair test of ../shared/real-sites/: each site is put back in its own generator's layout,
# imported with `vellum import`, then built and checked as ../shared/real-sites/run.sh does.
#   scripts/real_sites.sh PATH/TO/vellum [case ...]     (default: every case there)
#   REAL_SITES=dir scripts/real_sites.sh ...           (another folder of cases)
# The import is given the case's base_url (from its vellum.toml), as a writer would give it.
# Layouts: Jekyll  original-config/* + content/* in _posts/ + static/* at the root;
#          Hugo    original-config/* + content/;
#          Zola    original-config/* + content/.
# One tab-separated line per case:
#   name  import_exit  redirects  essays_in  pages_out  build_exit  leaks  check_errors  urls_kept
# import_exit: exit code of `vellum import`; redirects: entries it wrote in [redirects];
# the other columns are run.sh's (see ../shared/real-sites/README.md). VERBOSE=1 adds the
# import report's "Notes" and run.sh's details on stderr. Everything happens in a temporary
# folder (KEEP=DIR keeps it); the cases are only read. Not part of `cargo test`.
set -u
V=$(realpath "$1"); shift
here=$(cd "$(dirname "$0")" && pwd)
sites=$(realpath "${REAL_SITES:-$here/../../shared/real-sites}")
cases=("$@"); [ ${#cases[@]} -eq 0 ] && cases=($(cd "$sites" && for d in */; do [ -d "$d/original-config" ] && echo "${d%/}"; done))
# KEEP=DIR builds in DIR and leaves it there, to look at the output afterwards.
if [ -n "${KEEP:-}" ]; then work="$KEEP"; rm -rf "$work"; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
printf 'name\timport_exit\tredirects\tessays_in\tpages_out\tbuild_exit\tleaks\tcheck_errors\turls_kept\n'
for c in "${cases[@]}"; do
  from="$sites/$c"; old="$work/$c"; new="$work/$c-vellum"
  mkdir -p "$old"
  cp -a "$from/original-config/." "$old/"
  if [ -f "$from/original-config/_config.yml" ] || [ -f "$from/original-config/_config.yaml" ]; then
    mkdir -p "$old/_posts" && cp -a "$from/content/." "$old/_posts/"
    [ -d "$from/static" ] && cp -a "$from/static/." "$old/"
  else
    cp -a "$from/content" "$old/content"
    [ -d "$from/static" ] && cp -a "$from/static" "$old/static"
  fi
  n_in=$(find "$from/content" -type f \( -name '*.md' -o -name '*.markdown' -o -name '*.txt' \) ! -name '_index*' | wc -l)
  # The case's own vellum.toml says the site's address, as a writer would tell the import.
  base=$(python3 -c 'import sys,tomllib; print(tomllib.load(open(sys.argv[1],"rb")).get("base_url",""))' "$from/vellum.toml" 2>/dev/null)
  "$V" import "$old" --to "$new" ${base:+--base-url "$base"} >"$work/$c.import" 2>&1; irc=$?
  redirects=$(python3 -c 'import sys,tomllib; print(len(tomllib.load(open(sys.argv[1],"rb")).get("redirects",{})))' "$new/vellum.toml" 2>/dev/null || echo -)
  SOURCE_DATE_EPOCH=1798761600 "$V" build --root "$new" >"$work/$c.out" 2>"$work/$c.err"; rc=$?
  n_out=$(grep -oE 'Built [0-9]+ essay' "$work/$c.out" | grep -oE '[0-9]+' || echo 0)
  if [ -d "$new/public" ] && [ $rc -eq 0 ]; then leaks=$(python3 "$sites/leaks.py" "$new/public"); else leaks=-; fi
  if [ -d "$new/public" ] && [ $rc -eq 0 ] && [ -f "$from/expected-urls.txt" ]; then
    kept=$(python3 "$sites/urls.py" "$new/public" "$from/expected-urls.txt"); else kept=-; fi
  SOURCE_DATE_EPOCH=1798761600 "$V" check --root "$new" --format json >"$work/$c.check.json" 2>"$work/$c.check.err"; crc=$?
  if [ $crc -eq 2 ]; then cerr=-; else cerr=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errors"])' "$work/$c.check.json" 2>/dev/null || echo "?"); fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$irc" "$redirects" "$n_in" "${n_out:-0}" "$rc" "$leaks" "$cerr" "$kept"
  if [ "${VERBOSE:-0}" = 1 ]; then
    sed -n '/^Notes:/,/^Next:/p' "$work/$c.import" | grep -v '^Next:' | sed 's/^/    import: /' >&2
    [ $irc -ne 0 ] && sed 's/^/    import: /' "$work/$c.import" >&2
    grep -E '^(error|warning)' "$work/$c.err" | head -5 | sed 's/^/    build: /' >&2
    [ "$leaks" != "-" ] && python3 "$sites/leaks.py" "$new/public" --detail | sed 's/^/    leak: /' >&2
    [ "$kept" != "-" ] && python3 "$sites/urls.py" "$new/public" "$from/expected-urls.txt" --detail | tail -n +2 | sed 's/^/    urls: /' >&2
  fi
  [ -z "${KEEP:-}" ] && rm -rf "$old" "$new"
done
