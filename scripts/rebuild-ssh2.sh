#!/usr/bin/env bash
# Rebuilds ssh2's native crypto binding for the given Node binary (it is built per Node ABI; without
# it ssh2 falls back to slower JavaScript crypto). The headers come from the Node install itself
# (<prefix>/include/node), so nothing is downloaded.
#   scripts/rebuild-ssh2.sh [NODE]    (default: the `node` on PATH)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node="${1:-$(command -v node)}"
prefix="$(cd "$(dirname "$node")/.." && pwd)"
gyp="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)/node_modules/node-gyp/bin/node-gyp.js"
ssh2="$(cd "$root/packages/ssh-core" && "$node" -p 'require("path").dirname(require.resolve("ssh2/package.json"))')"
cd "$ssh2/lib/protocol/crypto"
# As ssh2's own install.js does: the target version and the OpenSSL major of the Node it is built
# for. Without --real_openssl_major the binding is compiled for the OpenSSL 1.x API and its
# chacha20-poly1305 fails on OpenSSL 3 ("digital envelope routines::invalid operation").
openssl_major="$("$node" -p 'process.versions.openssl.split(".")[0]')"
"$node" "$gyp" rebuild --nodedir="$prefix" --target="$("$node" --version)" --real_openssl_major="$openssl_major" --loglevel=error >&2
"$node" -e 'if (!require(process.argv[1]).bindingAvailable) { console.error("ssh2 binding did not load"); process.exit(1); }' "$ssh2/lib/protocol/crypto.js"
echo "ssh2 crypto binding built for Node $("$node" --version)" >&2
