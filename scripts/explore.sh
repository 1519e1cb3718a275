#!/usr/bin/env bash
# Builds everything the explorer needs (the Wasm package, then the Vite site)
# and serves it on localhost. PORT overrides the port (default 4173).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
cd "$root/www"
npm run build --silent
port="${PORT:-4173}"
echo
echo "  shijing explorer: http://127.0.0.1:${port}/"
echo
exec npx vite preview --host 127.0.0.1 --port "$port" --strictPort
