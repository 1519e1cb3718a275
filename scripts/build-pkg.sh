#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack, --target web), then finishes its
# package.json (exports map, keywords) with scripts/finish-pkg.mjs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$root"
wasm-pack --quiet build --target web --release --out-dir pkg --out-name shijing "$@" >&2
node scripts/finish-pkg.mjs
