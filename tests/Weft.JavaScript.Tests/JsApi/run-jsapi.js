// Runs one file of the WebAssembly JS API test suite as a JavaScript shell would (testharness.js, the file's META
// scripts, the file) and prints one JSON line with every subtest's result once the harness completes.
// Usage: weft js run-jsapi.js SUITE_DIR RELATIVE_FILE   (SUITE_DIR holds harness/ and jsapi/)
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const [suite, file] = process.argv.slice(2);
globalThis.self = globalThis;
const load = p => vm.runInThisContext(fs.readFileSync(p, 'utf8'), p);
load(path.join(suite, 'harness', 'testharness.js'));
// Script evaluation here drains the microtask queue after each load (as Jint's Evaluate does), so the harness
// would think loading ended after the first test: done() is called explicitly once the test file ran.
setup({ explicit_done: true });
const results = [];
add_result_callback(t => results.push({ name: t.name, status: t.status, message: t.message ?? null }));
let reported = false;
add_completion_callback((tests, status) => {
  reported = true;
  console.log('JSAPI-RESULT ' + JSON.stringify({ harness: status.status, message: status.message ?? null, results }));
});
const jsapi = path.join(suite, 'jsapi');
const testFile = path.join(jsapi, file);
const source = fs.readFileSync(testFile, 'utf8');
for (const m of source.matchAll(/^\/\/ META: script=(.*)$/gm)) {
  const s = m[1].trim();
  load(s.startsWith('/wasm/jsapi/') ? path.join(jsapi, s.slice('/wasm/jsapi/'.length)) : path.join(path.dirname(testFile), s));
}
load(testFile);
done();
process.on('exit', () => { if (!reported) console.log('JSAPI-RESULT ' + JSON.stringify({ harness: -1, message: 'the harness never completed', results })); });
