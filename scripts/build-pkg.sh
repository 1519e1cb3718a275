#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack, --target web), shrinks the Wasm
# with binaryen's wasm-opt from npm (scripts/package.json; wasm-pack's own
# wasm-opt would be downloaded, so it is disabled in Cargo.toml), then finishes
# its package.json (exports map, keywords), its zero-config entries and its
# typings with scripts/finish-pkg.mjs.
#
# Besides the whole package (pkg/shijing.js), it builds the two halves that
# `shijing/traffic` and `shijing/repurchase` export (pkg/traffic/,
# pkg/repurchase/), `shijing/orders` (pkg/orders/: `readOrders` alone, so a
# page loads the export reader only when a file is opened) and `shijing/xlsx`
# (pkg/xlsx/: `sheetText` alone, loaded only when a workbook is opened) and
# `shijing/covariates` (pkg/covariates/: the repurchase half with the covariate
# fits, without the intervals; the explorer loads it when groups are compared): the
# same crate with one Cargo feature each, so a page that needs only one part
# downloads and compiles only its Wasm. Each part has its own target
# directory (target/part-*): with one shared directory, switching features
# rebuilt the crate on every run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$root"
wasm-pack --quiet build --target web --release --out-dir pkg --out-name shijing "$@" >&2
# -Oz also drops the name section (function names, ~20 KB gzipped).
# -ocimfs 0: binaryen would otherwise inline every function that has one
# caller, whatever its size, undoing the code's #[inline(never)] on the
# simulation's and the allocation round's passes. V8 optimizes a Wasm
# function only for its later calls and compiles large functions slowly, so
# the merged function ran a page's first simulation mostly unoptimized (the
# measurements: benches/HISTORY.md, "Explorer first chart, session 5").
bash scripts/setup.sh --build-tools
opt() { scripts/node_modules/.bin/wasm-opt -Oz -ocimfs 0 "$1" -o "$1"; }
opt pkg/shijing_bg.wasm
# A part's Cargo features: its name, and for the repurchase half its intervals
# (shijing/covariates, the repurchase models with the covariate fits, leaves
# them out: Cargo.toml, feature "intervals").
features() { if [ "$1" = repurchase ]; then echo "repurchase intervals"; else echo "$1"; fi; }
for part in traffic repurchase covariates orders xlsx; do
  dir="target/part-$part"
  cargo build --quiet --lib --release --target wasm32-unknown-unknown \
    --no-default-features --features "$(features "$part")" --target-dir "$dir" >&2
  rm -rf "pkg/$part"
  wasm-bindgen --target web --out-dir "pkg/$part" --out-name shijing \
    "$dir/wasm32-unknown-unknown/release/shijing.wasm"
  opt "pkg/$part/shijing_bg.wasm"
done
node scripts/finish-pkg.mjs
