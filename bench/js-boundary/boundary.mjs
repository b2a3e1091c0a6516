// JS boundary costs (issue 15), the same script under node 26 and `weft js`:
//   node boundary.mjs [OUT_DIR]      weft js boundary.mjs [OUT_DIR]
// 1. call:      wasm -> JS function -> wasm export, per round trip
// 2. js-string: a wasm loop of wasm:js-string charCodeAt over a string (compiled with {builtins: ['js-string']}), per char
// 3. buffer:    JS writes through a Uint8Array over Memory.buffer (pure JS), per byte;
//    buffer+call: re-read memory.buffer, write a byte, call a wasm export that reads it, per iteration
// Each figure is the best of 5 rounds of a self-calibrated run (>= 100 ms). The modules are built with the JS API
// suite's module builder (../shared/js-api), and written to OUT_DIR for the C# side (CSharpStringLoop.cs).
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const suite = process.env.WEFT_JSAPI_SUITE ?? path.join(here, '..', '..', '..', 'shared', 'js-api');
vm.runInThisContext(fs.readFileSync(path.join(suite, 'jsapi', 'wasm-module-builder.js'), 'utf8'));
const outDir = process.argv[2];

function measure(name, unit, run) {
  // run(n) does n operations and returns a check value.
  let n = 1;
  for (;;) { const t = performance.now(); run(n); if (performance.now() - t >= 100) break; n *= 2; }
  let best = Infinity;
  for (let r = 0; r < 5; r++) { const t = performance.now(); run(n); best = Math.min(best, (performance.now() - t) / n); }
  console.log(`${name}\t${(best * 1e6).toFixed(1)} ns/${unit}\t(n=${n})`);
}

// 1. wasm -> JS -> wasm
{
  const b = new WasmModuleBuilder();
  const f = b.addImport('env', 'f', kSig_i_i);
  b.addFunction('inc', kSig_i_i).addBody([kExprLocalGet, 0, ...wasmI32Const(1), kExprI32Add]).exportFunc();
  // loop(n): acc = f(acc) n times
  b.addFunction('loop', kSig_i_i).addLocals({ i32_count: 2 }).addBody([
    kExprLoop, kWasmVoid,
      kExprLocalGet, 2, kExprCallFunction, f, kExprLocalSet, 2,
      kExprLocalGet, 1, ...wasmI32Const(1), kExprI32Add, kExprLocalTee, 1,
      kExprLocalGet, 0, kExprI32LtS, kExprBrIf, 0,
    kExprEnd, kExprLocalGet, 2]).exportFunc();
  let inst;
  inst = new WebAssembly.Instance(new WebAssembly.Module(b.toBuffer()), { env: { f: x => inst.exports.inc(x) } });
  measure('call wasm->JS->wasm', 'call', n => { if (inst.exports.loop(n) !== n) throw new Error('wrong'); });
}

// 2. js-string charCodeAt loop
{
  const b = new WasmModuleBuilder();
  const charCodeAt = b.addImport('wasm:js-string', 'charCodeAt', makeSig([kWasmExternRef, kWasmI32], [kWasmI32]));
  const length = b.addImport('wasm:js-string', 'length', makeSig([kWasmExternRef], [kWasmI32]));
  // sum(s, reps): sum of s.charCodeAt(i) over all i, reps times (locals: 2 r, 3 i, 4 len, 5 acc)
  b.addFunction('sum', makeSig([kWasmExternRef, kWasmI32], [kWasmI32])).addLocals({ i32_count: 4 }).addBody([
    kExprLocalGet, 0, kExprCallFunction, length, kExprLocalSet, 4,
    kExprLoop, kWasmVoid,
      ...wasmI32Const(0), kExprLocalSet, 3,
      kExprLoop, kWasmVoid,
        kExprLocalGet, 5, kExprLocalGet, 0, kExprLocalGet, 3, kExprCallFunction, charCodeAt, kExprI32Add, kExprLocalSet, 5,
        kExprLocalGet, 3, ...wasmI32Const(1), kExprI32Add, kExprLocalTee, 3, kExprLocalGet, 4, kExprI32LtS, kExprBrIf, 0,
      kExprEnd,
      kExprLocalGet, 2, ...wasmI32Const(1), kExprI32Add, kExprLocalTee, 2, kExprLocalGet, 1, kExprI32LtS, kExprBrIf, 0,
    kExprEnd, kExprLocalGet, 5]).exportFunc();
  const bytes = b.toBuffer();
  if (outDir) fs.writeFileSync(path.join(outDir, 'js-string-sum.wasm'), new Uint8Array(bytes));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes, { builtins: ['js-string'] }), {});
  const s = 'The quick brown fox jumps over the lazy dog. '.repeat(23); // 1035 chars
  let one = 0; for (let i = 0; i < s.length; i++) one += s.charCodeAt(i);
  measure('js-string charCodeAt loop (wasm)', 'char', n => {
    const r = Math.max(1, Math.round(n / s.length));
    if (inst.exports.sum(s, r) !== ((one * r) | 0)) throw new Error('wrong');
  });
  measure('same loop in JS (s.charCodeAt)', 'char', n => {
    const r = Math.max(1, Math.round(n / s.length));
    let acc = 0;
    for (let k = 0; k < r; k++) for (let i = 0; i < s.length; i++) acc = (acc + s.charCodeAt(i)) | 0;
    if (acc !== ((one * r) | 0)) throw new Error('wrong');
  });
}

// 3. Memory.buffer
{
  const b = new WasmModuleBuilder();
  b.addMemory(1, 1);
  b.exportMemoryAs('memory');
  b.addFunction('get', kSig_i_i).addBody([kExprLocalGet, 0, kExprI32LoadMem8U, 0, 0]).exportFunc();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(b.toBuffer()), {});
  const memory = inst.exports.memory, get = inst.exports.get;
  measure('Memory.buffer write from JS (Uint8Array)', 'byte', n => {
    const u8 = new Uint8Array(memory.buffer);
    for (let i = 0; i < n; i++) u8[i & 0xffff] = i;
  });
  measure('memory.buffer + write + wasm call', 'iteration', n => {
    for (let i = 0; i < n; i++) {
      new Uint8Array(memory.buffer)[i & 0xffff] = i;
      if (get(i & 0xffff) !== (i & 0xff)) throw new Error('wrong');
    }
  });
}
