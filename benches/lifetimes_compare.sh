#!/usr/bin/env bash
# lifetimes 0.11.3 (Python) against shijing, installed from PyPI into a
# throwaway virtualenv (removed afterwards).
#
#   bash benches/lifetimes_compare.sh        fit times on CDNOW: lifetimes vs
#                                            shijing in Node (needs pkg/ built:
#                                            bash scripts/build-pkg.sh)
#   bash benches/lifetimes_compare.sh grid   Pareto/NBD on the 81-set grid of
#                                            tests/native_pareto.rs and on
#                                            lifetimes' example data: both
#                                            fits' log-likelihoods side by side
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check lifetimes==0.11.3 'setuptools<82' >&2
if [ "${1:-}" = grid ]; then
  dir="$venv/grid"
  (cd "$root" && SHIJING_GRID_DIR="$dir" cargo test --test native_pareto export_grid -- --ignored >&2)
  "$venv/bin/python" "$root/benches/lifetimes_compare.py" grid "$dir"
  exit 0
fi
py="$("$venv/bin/python" "$root/benches/lifetimes_compare.py" fit "$root/tests/data")"
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
