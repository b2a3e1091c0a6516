// Memory.buffer of a large memory (issue 15): re-read memory.buffer, write a byte through a Uint8Array over it, call a
// wasm export that reads it back; per iteration, best of 3 rounds of 20. Under `weft js` the buffer is the memory
// itself, so the figure does not depend on the memory's size (it did while the buffer was a mirror copied at every
// crossing). Usage: node big-buffer.mjs [PAGES=1024]   weft js big-buffer.mjs [PAGES]
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const suite = process.env.WEFT_JSAPI_SUITE ?? path.join(here, '..', '..', '..', 'shared', 'js-api');
vm.runInThisContext(fs.readFileSync(path.join(suite, 'jsapi', 'wasm-module-builder.js'), 'utf8'));
const pages = Number(process.argv[2] ?? 1024);
const b = new WasmModuleBuilder();
b.addImportedMemory('m', 'mem', pages);
b.addFunction('load8', kSig_i_i).addBody([kExprLocalGet, 0, kExprI32LoadMem8U, 0, 0]).exportFunc();
const memory = new WebAssembly.Memory({ initial: pages });
const ex = new WebAssembly.Instance(new WebAssembly.Module(b.toBuffer()), { m: { mem: memory } }).exports;
let best = Infinity;
const n = 20;
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    new Uint8Array(memory.buffer)[i] = i;
    if (ex.load8(i) !== i) throw new Error('wasm did not see the byte ' + i);
  }
  best = Math.min(best, (performance.now() - t) / n);
}
console.log(`${pages} pages: memory.buffer + write + wasm call\t${(best * 1e6).toFixed(0)} ns/iteration`);
