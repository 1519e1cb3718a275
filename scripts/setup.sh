#!/usr/bin/env bash
# Installs everything shijing needs to build, serve and test, from the package
# registries only (crates.io, npm, Debian). Idempotent: when everything is
# present it checks and returns in a second or two. Sourced or run by
# scripts/explore.sh and scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

# The CLI must equal the crate's exact wasm-bindgen pin, or wasm-pack tries a download.
WASM_BINDGEN_VERSION="$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)".*/\1/p' "$root/Cargo.toml")"
WASM_PACK_VERSION="0.15.1"

log() { printf '[setup] %s\n' "$*" >&2; }

# binaryen's wasm-opt for scripts/build-pkg.sh and TypeDoc for scripts/api-docs.sh
# (npm, scripts/package.json): reinstall only when the lock changed.
build_tools() {
  if [ ! -f "$root/scripts/node_modules/.package-lock.json" ] || [ "$root/scripts/package-lock.json" -nt "$root/scripts/node_modules/.package-lock.json" ]; then
    log "npm ci in scripts/ (binaryen, typedoc)"
    (cd "$root/scripts" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}
# `setup.sh --build-tools`: only that step (build-pkg.sh and api-docs.sh call it).
if [ "${1:-}" = "--build-tools" ]; then
  build_tools
  exit 0
fi
build_tools
has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF " $2"; }
cargo_install() { # crate version: --locked first; fall back when a locked dependency was yanked
  cargo install --locked "$1" --version "$2" || { log "--locked failed for $1 $2; retrying unlocked"; cargo install "$1" --version "$2"; }
}

rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
{ has_version wasm-bindgen "$WASM_BINDGEN_VERSION" && command -v wasm-bindgen-test-runner >/dev/null; } || { log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (several minutes)"; cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION"; }
has_version wasm-pack "$WASM_PACK_VERSION" || { log "installing wasm-pack $WASM_PACK_VERSION (several minutes)"; cargo_install wasm-pack "$WASM_PACK_VERSION"; }

# Chromium + ChromeDriver for the browser tests, and a CJK font so screenshots of
# the Chinese-first explorer show real glyphs (users' machines have their own).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then
  log "installing Debian chromium, chromium-driver and fonts-wqy-microhei"
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
fi
# Debian's binaryen (108) silently corrupts modules from current wasm-bindgen; wasm-pack's
# wasm-opt step is disabled in Cargo.toml so it is never used, but warn if present.
if command -v wasm-opt >/dev/null 2>&1 && wasm-opt --version 2>/dev/null | grep -q 'version 108'; then
  log "warning: Debian binaryen 108 is on PATH; shijing never uses it (it corrupts current modules)"
fi

# Node packages for www/ (Vite, uPlot, playwright-core, TypeScript): reinstall only when the lock changed.
if [ ! -f "$root/www/node_modules/.package-lock.json" ] || [ "$root/www/package-lock.json" -nt "$root/www/node_modules/.package-lock.json" ]; then
  log "npm ci in www/"
  (cd "$root/www" && npm ci --no-audit --no-fund --loglevel=error)
fi
