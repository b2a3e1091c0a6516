// V8's side of the GC benchmark set (bench/gc, run by the harness: Weft.Benchmarks --gc). For each program given as
// name=file.wasm:startArg:steadyArg, prints one JSON line: start-up (bytes -> first call of run(startArg) returns,
// compiled from bytes with a unique custom section appended so V8's in-process module cache cannot serve it), then
// the steady state (run(steadyArg) after warm-up calls, every repetition's milliseconds) and the results.
// MoonBit programs (name=file.wasm:moonbit) run _start with spectest.print_char collecting the output; a dart2wasm
// program (name=file.wasm:dart:loader.mjs) runs through its own loader, start-up to a ready instance, steady state its
// printed RunTime. A fourth field "js-string" compiles a kernel with the js-string builtins.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const reps = Number(process.env.GC_REPS ?? 11);
const warmups = Number(process.env.GC_WARMUPS ?? 5);
let unique = 0;
function uniqueBytes(bytes) {
  // A custom section named "weft-bench-<n>" at the end changes the wire bytes, not the module.
  const name = new TextEncoder().encode(`weft-bench-${unique++}-${Date.now()}`);
  const payload = new Uint8Array([name.length, ...name]);
  const out = new Uint8Array(bytes.length + 2 + payload.length);
  out.set(bytes, 0);
  out[bytes.length] = 0;
  out[bytes.length + 1] = payload.length; // < 128
  out.set(payload, bytes.length + 2);
  return out;
}

for (const spec of process.argv.slice(2)) {
  const [name, rest] = spec.split('=');
  const [file, a, b, flag] = rest.split(':');
  const bytes = readFileSync(file);
  if (a === 'moonbit') {
    let output = '';
    const imports = { spectest: { print_char: c => { output += String.fromCharCode(c); } } };
    const t0 = performance.now();
    const { instance } = await WebAssembly.instantiate(uniqueBytes(bytes), imports);
    instance.exports._start();
    const startup = performance.now() - t0;
    console.log(JSON.stringify({ name, startup, steady: [], result: output }));
    continue;
  }
  if (a === 'dart') {
    let output = '';
    globalThis.dartPrint = s => { output += s + '\n'; };
    const loader = await import(pathToFileURL(b).href);
    const t0 = performance.now();
    const app = await loader.compile(uniqueBytes(bytes));
    const instantiated = await app.instantiate({});
    const startup = performance.now() - t0;
    instantiated.invokeMain();
    const m = /RunTime\): ([0-9.eE+-]+) us\./.exec(output);
    const steady = m ? [Number(m[1]) / 1000] : [];
    console.log(JSON.stringify({ name, startup, steady, result: m ? output.replace(m[1], '<N>') : output }));
    continue;
  }
  if (a === 'main') {
    // A start-up module (the generated wasm_of_ocaml-shaped one): instantiation runs its start function, then main(b).
    const t0 = performance.now();
    const { instance } = await WebAssembly.instantiate(uniqueBytes(bytes), {});
    const result = instance.exports.main(Number(b));
    console.log(JSON.stringify({ name, startup: performance.now() - t0, steady: [], result }));
    continue;
  }
  const t0 = performance.now();
  const options = flag === 'js-string' ? { builtins: ['js-string'] } : undefined;
  const { instance } = await WebAssembly.instantiate(uniqueBytes(bytes), {}, options);
  const first = instance.exports.run(Number(a));
  const startup = performance.now() - t0;
  const steady = [];
  let result = 0;
  for (let w = 0; w < warmups; w++) result = instance.exports.run(Number(b));
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    result = instance.exports.run(Number(b));
    steady.push(performance.now() - s);
  }
  console.log(JSON.stringify({ name, startup, first, steady, result }));
}
