#!/usr/bin/env bash
# The side-by-side harness: runs every program of bench/programs under Weft (in process and as a whole process), under
# Wasmtime (the Wasmtime NuGet package, same WASI set-up) and natively, interleaved, several runs each, checks every
# output against the native build's, measures compile+instantiate, decode+validate, the micro benchmarks and the
# buffer kernel, and writes bench/RESULTS.md and bench/results.svg. See bench/README.md.
#
# Usage: bench/harness.sh [--runs N] [--programs a,b] [--skip-extras] [--one-round] [--out FILE]
# Needs a C compiler (cc, or clang-19/gcc) for the native builds and the measure wrapper; the .wasm files are committed.
set -euo pipefail
cd "$(dirname "$0")/.."

cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null; then
  for candidate in clang-19 clang gcc; do
    if command -v "$candidate" >/dev/null; then cc="$candidate"; break; fi
  done
fi
if ! command -v "$cc" >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends gcc libc6-dev
  cc=gcc
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/native"

# Native builds: the same flags as bench/programs/build.sh (-ffp-contract=off keeps floating point bit-identical
# with wasm, which has no fused multiply-add).
grep -v '^#' bench/programs/programs.txt | while read -r name _; do
  [ -n "$name" ] || continue
  extra=()
  [ -f "bench/programs/src/$name.flags" ] && read -r -a extra < "bench/programs/src/$name.flags"
  (cd bench/programs && "$cc" -O2 -ffp-contract=off -w "src/$name.c" "${extra[@]}" -o "$work/native/$name" -lm)
done
"$cc" -O2 bench/harness/measure.c -o "$work/measure"

dotnet build bench/Weft.Benchmarks -c Release -nologo -v quiet
# The weft CLI two ways for the start-up measurement: as `dotnet build` leaves it (JIT-compiled as it runs, what
# `dotnet run --project src/Weft.Cli` starts) and as `dotnet publish` makes it (ReadyToRun, see Weft.Cli.csproj).
dotnet build src/Weft.Cli -c Release -nologo -v quiet
dotnet publish src/Weft.Cli -c Release -nologo -v quiet -o "$work/cli-publish"
# The harness itself published ReadyToRun: whole processes of both engines also run through it, as a deployed .NET
# host (precompiled) would start them, besides the plain `dotnet build` host (JIT-compiled as it runs).
dotnet publish bench/Weft.Benchmarks -c Release -nologo -v quiet -p:PublishReadyToRun=true -r "$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)" --self-contained false -o "$work/bench-published"
weft="$(git describe --always --dirty 2>/dev/null || echo unknown)"
dotnet bench/Weft.Benchmarks/bin/Release/net10.0/Weft.Benchmarks.dll --harness \
  --native "$work/native" --measure "$work/measure" --weft "commit $weft" --cc "$("$cc" --version | head -n 1)" \
  --cli "weft run, dotnet build (JIT)=src/Weft.Cli/bin/Release/net10.0/Weft.Cli" \
  --cli "weft run, dotnet publish (ReadyToRun)=$work/cli-publish/Weft.Cli" \
  --published-host "$work/bench-published/Weft.Benchmarks" "$@"
