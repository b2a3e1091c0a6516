#!/usr/bin/env bash
# Builds bench/programs: each src/NAME.c (listed in programs.txt) for wasm32-wasi with Debian's clang-19 and wasi-libc
# into wasm/NAME.wasm, and natively with cc into a temporary folder; runs each native build and records its output
# in expected/NAME.out, which the tests compare against the same program run by Weft. Also builds wasm/externref.wasm
# (clang's reference types; no native counterpart). The outputs are committed, so CI needs none of these tools.
#
# Usage: bench/programs/build.sh   (installs clang-19, lld-19, wasi-libc and the wasm32 builtins with apt-get if missing)
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v clang-19 >/dev/null || ! command -v wasm-ld-19 >/dev/null || [ ! -d /usr/lib/wasm32-wasi ] \
   || [ ! -f /usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a ]; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
fi
cc="${CC:-cc}"
command -v "$cc" >/dev/null || cc=clang-19

mkdir -p wasm expected
native="$(mktemp -d)"
trap 'rm -rf "$native"' EXIT

# -O2 both ways; no debug info in the committed binaries. -ffp-contract=off keeps floating point bit-identical
# between the native build and wasm (which has no fused multiply-add).
wasm_flags=(--target=wasm32-wasi -O2 -ffp-contract=off -Wl,--strip-all)
native_flags=(-O2 -ffp-contract=off -w)

grep -v '^#' programs.txt | while read -r name args; do
  [ -n "$name" ] || continue
  echo "building $name"
  # src/NAME.flags (third-party programs): more sources and include folders, relative to this folder.
  extra=()
  [ -f "src/$name.flags" ] && read -r -a extra < "src/$name.flags"
  clang-19 "${wasm_flags[@]}" "src/$name.c" "${extra[@]}" -o "wasm/$name.wasm"
  "$cc" "${native_flags[@]}" "src/$name.c" "${extra[@]}" -o "$native/$name" -lm
  work="$(mktemp -d)"
  mkdir "$work/scratch"
  # shellcheck disable=SC2086
  (cd "$work" && "$native/$name" ${args//\{dir\}/scratch}) > "expected/$name.out"
  rm -rf "$work"
done

echo "building externref"
clang-19 --target=wasm32-wasi -mreference-types -O2 -nostdlib -Wl,--no-entry -Wl,--strip-all src/externref.c -o wasm/externref.wasm
echo "done: $(ls wasm | wc -l) modules"
