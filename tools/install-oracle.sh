#!/usr/bin/env bash
# Installs the fuzzer's oracle: binaryen (wasm-opt's translate-to-fuzz generator and its interpreter) from the npm
# package, pinned, into ~/.cache/weft-oracle (or $WEFT_ORACLE_DIR; `--local` puts it in tools/.oracle, gitignored).
# On a machine without node/npm it installs them with apt-get when run as root. Idempotent: a second run only checks.
# The fuzzer and its in-test sample look in these places (or at $WEFT_BINARYEN).
set -euo pipefail
version=132.0.0
dir="${WEFT_ORACLE_DIR:-$HOME/.cache/weft-oracle}"
if [ "${1:-}" = "--local" ]; then
  dir="$(cd "$(dirname "$0")" && pwd)/.oracle"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-oracle: installing nodejs and npm with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "install-oracle: node and npm are needed (install them, or run this script as root with apt-get)" >&2
    exit 1
  fi
fi

# binaryen's emscripten build uses ??= and ?. : node 16 or later.
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 16 ]; then
  echo "install-oracle: node $(node --version) is too old (16 or later is needed)" >&2
  exit 1
fi

pkg="$dir/node_modules/binaryen/package.json"
if [ ! -f "$pkg" ] || [ "$(node -p "require('$pkg').version")" != "$version" ]; then
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "private": true }' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --save-exact "binaryen@$version" >&2)
fi

if ! out="$(node "$dir/node_modules/binaryen/bin/wasm-opt" --version 2>&1)"; then
  echo "install-oracle: wasm-opt does not run: $out" >&2
  exit 1
fi
echo "install-oracle: $out in $dir/node_modules/binaryen/bin"
