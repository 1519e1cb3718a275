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
# -ocimfs 0: binaryen would otherwise inline every function that has one
# caller, whatever its size, undoing the code's #[inline(never)] on the
# simulation's and the allocation round's passes. V8 optimizes a Wasm
# function only for its later calls and compiles large functions slowly, so
# the merged function ran a page's first simulation mostly unoptimized: in
# Chromium, optimizing the hot functions took 612–809 ms of compile time
# with it and 300 ms without (BENCHMARKS.md). It is also 2.4 KB smaller gzipped.
bash scripts/setup.sh --build-tools
scripts/node_modules/.bin/wasm-opt -Oz -ocimfs 0 pkg/shijing_bg.wasm -o pkg/shijing_bg.wasm
node scripts/finish-pkg.mjs
