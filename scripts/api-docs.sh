#!/usr/bin/env bash
# Builds the package's API reference from its .d.ts with TypeDoc (npm, in
# scripts/package.json; installed by scripts/setup.sh --build-tools) into
# target/api/index.html. Run by scripts/test.sh after the package is built,
# so the reference cannot go stale. Fails on any TypeDoc warning (a broken
# link, an export TypeDoc cannot place, ...) and on an undocumented export or
# member that is not in scripts/api-undocumented.txt, the list of those
# undocumented when this check came in; an entry that has since been
# documented fails too, so the list only shrinks (`--write-list` rewrites it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ -f pkg/index.d.ts ] || { echo "pkg/ is not built: bash scripts/build-pkg.sh" >&2; exit 1; }
bash scripts/setup.sh --build-tools
log="$(cd scripts && NO_COLOR=1 FORCE_COLOR=0 node_modules/.bin/typedoc --options typedoc.json --treatWarningsAsErrors false 2>&1)" || { echo "$log"; exit 1; }
log="$(printf '%s\n' "$log" | sed -E 's/\x1b\[[0-9;]*m//g')"
undocumented="$(printf '%s\n' "$log" | sed -nE 's/^\[warning\] (.*), defined in .*, does not have any documentation$/\1/p' | sort -u)"
others="$(printf '%s\n' "$log" | grep -E '^\[(warning|error)\]' | grep -v 'does not have any documentation' | grep -v '^\[warning\] Found [0-9]* errors and' || true)"
list=scripts/api-undocumented.txt
if [ "${1:-}" = "--write-list" ]; then
  printf '%s\n' "$undocumented" > "$list"
  echo "wrote $list ($(grep -c . "$list") entries)"
  exit 0
fi
new="$(comm -23 <(printf '%s\n' "$undocumented") <(sort -u "$list"))"
fixed="$(comm -13 <(printf '%s\n' "$undocumented") <(sort -u "$list"))"
status=0
if [ -n "$others" ]; then echo "TypeDoc warnings:"; printf '%s\n' "$others"; status=1; fi
if [ -n "$new" ]; then echo "undocumented in the package's .d.ts (write a doc comment on the Rust side):"; printf '%s\n' "$new" | sed 's/^/  /'; status=1; fi
if [ -n "$fixed" ]; then echo "documented now: remove from $list"; printf '%s\n' "$fixed" | sed 's/^/  /'; status=1; fi
[ $status -eq 0 ] && echo "API reference: target/api/index.html ($(printf '%s\n' "$undocumented" | grep -c .) members still undocumented, listed in $list)"
exit $status
