#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack, --target web), shrinks the Wasm
# with binaryen's wasm-opt from npm (scripts/package.json; wasm-pack's own
# wasm-opt would be downloaded, so it is disabled in Cargo.toml), then finishes
# its package.json (exports map, keywords) with scripts/finish-pkg.mjs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$root"
wasm-pack --quiet build --target web --release --out-dir pkg --out-name shijing "$@" >&2
# -Oz also drops the name section (function names, ~20 KB gzipped).
bash scripts/setup.sh --build-tools
scripts/node_modules/.bin/wasm-opt -Oz pkg/shijing_bg.wasm -o pkg/shijing_bg.wasm
node scripts/finish-pkg.mjs
