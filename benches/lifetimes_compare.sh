#!/usr/bin/env bash
# Fits on CDNOW with lifetimes 0.11.3 (Python) and with shijing (Node, through
# the package) in one run, and prints both times and the ratio. lifetimes is
# installed from PyPI into a throwaway virtualenv (removed afterwards).
# Needs pkg/ built (bash scripts/build-pkg.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check lifetimes==0.11.3 'setuptools<82' >&2
py="$("$venv/bin/python" "$root/benches/lifetimes_compare.py" "$root/tests/data")"
ours="$(node "$root/benches/bench.mjs" fit)"
echo "$ours"
node -e '
const py = JSON.parse(process.argv[1]);
const rows = process.argv[2].split("\n").filter((l) => / median /.test(l));
console.log("\n| fit (CDNOW) | lifetimes 0.11.3 | shijing (Node, Wasm) | speed-up |\n|---|---|---|---|");
for (const [name, ms] of Object.entries(py)) {
  const row = rows.find((l) => l.startsWith(name));
  const ours = row ? Number(row.match(/median\s+([\d.]+)/)[1]) : NaN;
  console.log(`| ${name} | ${ms.toFixed(1)} ms | ${ours.toFixed(2)} ms | ${(ms / ours).toFixed(0)}× |`);
}' "$py" "$ours"
