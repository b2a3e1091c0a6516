// A long-lived host for binaryen's command-line tools (the npm package's emscripten builds of wasm-opt etc.).
// Starting `node wasm-opt` costs about a second of CPU per call (v8 compiles the 10 MB wasm again every time);
// this server compiles each tool's wasm once and runs the tool's main() in a fresh JS context and a fresh wasm
// instance (fresh memory, fresh C++ globals) per request, so a request costs only the tool's own work.
//
// Protocol: one JSON request per stdin line {"tool":"wasm-opt","args":[...]}; one JSON reply per stdout line
// {"code":N,"stdout":"...","stderr":"..."}. Files are read and written directly (the builds use NODERAWFS).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const readline = require('node:readline');

const binDir = process.argv[2];
const tools = new Map(); // name -> { script, wasmModule }

function loadTool(name) {
  let tool = tools.get(name);
  if (tool) return tool;
  const file = path.join(binDir, name);
  let source = fs.readFileSync(file, 'utf8');
  if (source.startsWith('#!')) source = '//' + source.slice(2);
  // The first run compiles the embedded wasm (caught in WebAssembly.instantiate below); later runs reuse it.
  tool = { script: new vm.Script(source, { filename: file }), wasmModule: null };
  tools.set(name, tool);
  return tool;
}

function run(request) {
  return new Promise(resolve => {
    const tool = loadTool(request.tool);
    const stdout = [], stderr = [];
    let finished = false;
    const fakeProcess = Object.create(process);
    Object.defineProperty(fakeProcess, 'argv', { value: ['node', request.tool, ...request.args] });
    Object.defineProperty(fakeProcess, 'exitCode', { value: 0, writable: true });
    // std::cout/std::cerr reach fs.writeSync(1|2, ...) under NODERAWFS: capture those two descriptors.
    const fakeFs = Object.create(fs);
    fakeFs.writeSync = (fd, buffer, offset, length, position) => {
      if (fd === 1 || fd === 2) {
        const view = typeof buffer === 'string' ? Buffer.from(buffer) : Buffer.from(buffer.buffer, buffer.byteOffset + (offset || 0), length ?? buffer.length);
        (fd === 1 ? stdout : stderr).push(Buffer.from(view));
        return view.length;
      }
      return fs.writeSync(fd, buffer, offset, length, position);
    };
    const fakeRequire = id => (id === 'node:fs' || id === 'fs') ? fakeFs : require(id);
    const done = code => {
      if (finished) return;
      finished = true;
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    };
    const fakeWasm = Object.create(WebAssembly);
    fakeWasm.instantiate = async (bytes, imports) => {
      tool.wasmModule ??= await WebAssembly.compile(bytes);
      return { module: tool.wasmModule, instance: await WebAssembly.instantiate(tool.wasmModule, imports) };
    };
    const Module = {
      instantiateWasm: tool.wasmModule && ((imports, receive) => {
        WebAssembly.instantiate(tool.wasmModule, imports).then(instance => receive(instance));
        return {};
      }),
      print: text => stdout.push(Buffer.from(text + '\n')),
      printErr: text => stderr.push(Buffer.from(text + '\n')),
      postRun: [() => setImmediate(() => done(fakeProcess.exitCode ?? 0))],
    };
    const context = vm.createContext({
      Module, process: fakeProcess, require: fakeRequire, __dirname: binDir, __filename: path.join(binDir, request.tool),
      console, Buffer, URL, TextDecoder, TextEncoder, WebAssembly: fakeWasm, setTimeout, clearTimeout, setImmediate, performance,
    });
    context.globalThis = context;
    try {
      tool.script.runInContext(context);
    } catch (e) {
      stderr.push(Buffer.from(String(e) + '\n'));
      done(fakeProcess.exitCode || 1);
      return;
    }
    // Fatal errors (abort, uncaught C++ exceptions) reject the tool's run() promise instead of reaching postRun.
    context.__weftFail = e => { stderr.push(Buffer.from(String(e) + '\n')); done(fakeProcess.exitCode || 1); };
  });
}

process.on('unhandledRejection', e => { if (current) current(e); });
let current = null;
const queue = [];
let busy = false;
async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const line = queue.shift();
    let reply;
    try {
      const request = JSON.parse(line);
      reply = await new Promise(resolve => {
        current = e => resolve({ code: 1, stdout: '', stderr: 'oracle crashed: ' + String(e) + '\n' });
        run(request).then(resolve);
      });
    } catch (e) {
      reply = { code: 1, stdout: '', stderr: 'bad request: ' + String(e) + '\n' };
    }
    current = null;
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
  busy = false;
}
readline.createInterface({ input: process.stdin }).on('line', line => { queue.push(line); pump(); });
