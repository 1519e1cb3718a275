#!/usr/bin/env bash
# Runs every test: lint, native Rust tests, the Wasm suites in Node and in
# headless Chromium, the built npm package from Node (incl. npm pack and the
# hostile-input harness), its API reference (TypeDoc), the packed package in
# Vite and a plain page, and the explorer in headless Chromium. Installs
# what is missing first (scripts/setup.sh). Exits non-zero if any step fails.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

# Each step's output also goes to target/test-logs/NN.log: a failed step's
# last lines are printed again at the end, with the disk space and the tools'
# versions, so a CI log that keeps only its tail still says why a step failed.
logs="$root/target/test-logs"
rm -rf "$logs" && mkdir -p "$logs"
failed=()
failed_logs=()
n=0
step() { # name command...
  local name="$1"; shift
  local t0=$SECONDS log
  n=$((n + 1)); log="$(printf '%s/%02d.log' "$logs" "$n")"
  echo; echo "=== $name"
  if "$@" 2>&1 | tee "$log"; then echo "--- ok: $name ($((SECONDS - t0)) s)"; else
    echo "--- FAILED: $name ($((SECONDS - t0)) s)"; failed+=("$name"); failed_logs+=("$name|$log")
  fi
}

step "cargo fmt --check" cargo fmt --check
step "clippy (native)" cargo clippy --all-targets -- -D warnings
step "clippy (wasm32)" cargo clippy --lib --tests --target wasm32-unknown-unknown -- -D warnings
halves() { # each half of the package on its own (scripts/build-pkg.sh builds them in these target dirs)
  local part
  for part in traffic repurchase covariates orders xlsx; do
    cargo clippy --lib --target wasm32-unknown-unknown --no-default-features \
      --features "$(if [ "$part" = repurchase ]; then echo "repurchase intervals"; else echo "$part"; fi)" \
      --target-dir "target/part-$part" -- -D warnings || return 1
  done
}
step "clippy (wasm32, each half of the package)" halves
step "native tests" cargo test
step "wasm tests in Node" cargo test --target wasm32-unknown-unknown --test wasm
step "wasm tests in headless Chromium" env WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm
step "build the npm package (pkg/)" bash scripts/build-pkg.sh
step "package tests in Node" node --test --test-reporter=spec tests/js/*.test.mjs
step "API reference (TypeDoc, target/api/)" bash scripts/api-docs.sh
step "build the explorer (www/dist)" bash -c 'cd www && npx vite build --logLevel warn'
step "browser tests (playwright-core + Chromium)" node --test --test-reporter=spec --test-concurrency=1 tests/e2e/*.test.mjs

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "all test steps passed"
else
  for entry in "${failed_logs[@]:0:3}"; do # the first failures are the causes; later steps often fail on them
    echo "--- the last lines of the failed step \"${entry%%|*}\":"
    grep -v '^ *Compiling ' "${entry#*|}" | tail -n 25
  done
  echo "--- the machine: disk space, and the tools the steps run"
  df -h "$root" 2>&1 | tail -n 1
  for tool in cargo wasm-bindgen wasm-bindgen-test-runner wasm-pack node chromium chromedriver; do
    printf '%s: %s\n' "$tool" "$("$tool" --version 2>/dev/null | tail -n 1 || echo "not found")"
  done
  printf 'failed steps: %s\n' "${failed[*]}"
  exit 1
fi
