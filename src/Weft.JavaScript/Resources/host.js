// The node-like host environment (docs/JAVASCRIPT.md): globals and the built-in modules that wasm loaders and
// runner scripts use. OS access goes through `native` (NodeHost.cs); everything else is plain JavaScript here.
(function (native, global) {
  'use strict';
  const define = (o, k, v) => Object.defineProperty(o, k, { value: v, writable: true, enumerable: false, configurable: true });

  // ---- Buffer: a Uint8Array with node's toString(encoding) and a few statics ----
  class Buffer extends Uint8Array {
    toString(encoding, start, end) {
      const view = this.subarray(start ?? 0, end ?? this.length);
      switch ((encoding ?? 'utf8').toLowerCase()) {
        case 'utf8': case 'utf-8': return native.utf8Decode(view, false);
        case 'hex': return Array.from(view, b => b.toString(16).padStart(2, '0')).join('');
        case 'base64': return native.base64Encode(view);
        case 'latin1': case 'binary': case 'ascii': return String.fromCharCode(...view);
        default: throw new TypeError('Unknown encoding: ' + encoding);
      }
    }
    toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
    equals(other) { return this.length === other.length && this.every((b, i) => b === other[i]); }
    static from(value, encodingOrOffset, length) {
      if (typeof value === 'string') {
        const enc = (encodingOrOffset ?? 'utf8').toLowerCase();
        if (enc === 'hex') return Buffer.of(...(value.match(/../g) ?? []).map(h => parseInt(h, 16)));
        if (enc === 'base64') return wrapBytes(native.base64Decode(value));
        if (enc === 'latin1' || enc === 'binary' || enc === 'ascii') return Buffer.of(...Array.from(value, c => c.charCodeAt(0) & 255));
        return wrapBytes(native.utf8Encode(value));
      }
      if (value instanceof ArrayBuffer) return new Buffer(value, encodingOrOffset ?? 0, length ?? (value.byteLength - (encodingOrOffset ?? 0)));
      return new Buffer(Uint8Array.from(value));
    }
    static alloc(n, fill) { const b = new Buffer(n); if (fill !== undefined) b.fill(typeof fill === 'number' ? fill : 0); return b; }
    static allocUnsafe(n) { return new Buffer(n); }
    static isBuffer(b) { return b instanceof Buffer; }
    static byteLength(s) { return typeof s === 'string' ? native.utf8Encode(s).length : s.byteLength; }
    static concat(list, total) {
      total ??= list.reduce((n, b) => n + b.length, 0);
      const out = new Buffer(total);
      let at = 0;
      for (const b of list) { if (at >= total) break; out.set(b.subarray(0, total - at), at); at += b.length; }
      return out;
    }
  }
  function wrapBytes(u8) { return new Buffer(u8.buffer, u8.byteOffset, u8.byteLength); }
  define(global, 'Buffer', Buffer);

  // ---- console ----
  function inspect(v, depth = 2, seen = new Set()) {
    switch (typeof v) {
      case 'string': return depth < 2 ? `'${v}'` : v;
      case 'bigint': return v + 'n';
      case 'symbol': return v.toString();
      case 'function': return `[Function: ${v.name || '(anonymous)'}]`;
      case 'undefined': return 'undefined';
      case 'object': break;
      default: return Object.is(v, -0) ? '-0' : String(v);
    }
    if (v === null) return 'null';
    if (v instanceof Error) return v.stack ? String(v.stack) : `${v.name}: ${v.message}`;
    if (seen.has(v)) return '[Circular *1]';
    if (depth < 0) return Array.isArray(v) ? '[Array]' : '[Object]';
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map(x => inspect(x, depth - 1, seen)).join(', ')} ]`;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        const name = v instanceof Buffer ? 'Buffer' : v.constructor.name;
        return v instanceof Buffer ? `<Buffer ${Array.from(v.subarray(0, 50), b => b.toString(16).padStart(2, '0')).join(' ')}>`
          : `${name}(${v.length}) [ ${Array.from(v).join(', ')} ]`;
      }
      if (v instanceof Map) return `Map(${v.size}) {${[...v].map(([k, x]) => ` ${inspect(k, depth - 1, seen)} => ${inspect(x, depth - 1, seen)}`).join(',')} }`;
      if (v instanceof Set) return `Set(${v.size}) {${[...v].map(x => ' ' + inspect(x, depth - 1, seen)).join(',')} }`;
      if (v instanceof Promise) return 'Promise { <pending> }';
      const proto = Object.getPrototypeOf(v);
      const keys = Object.keys(v);
      const prefix = proto === null ? '[Object: null prototype] ' : (proto && proto.constructor && proto.constructor !== Object && proto.constructor.name ? proto.constructor.name + ' ' : '');
      if (keys.length === 0) return prefix + '{}';
      return prefix + `{ ${keys.map(k => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inspect(v[k], depth - 1, seen)}`).join(', ')} }`;
    } finally { seen.delete(v); }
  }
  function format(...args) {
    let out = '';
    let i = 0;
    if (typeof args[0] === 'string' && args.length > 1 && args[0].includes('%')) {
      const f = args[0];
      i = 1;
      out = f.replace(/%[sdifjoO%]/g, m => {
        if (m === '%%') return '%';
        if (i >= args.length) return m;
        const a = args[i++];
        switch (m) {
          case '%s': return typeof a === 'string' ? a : inspect(a, 1);
          case '%d': case '%i': return typeof a === 'bigint' ? a + 'n' : String(m === '%i' ? parseInt(a) : Number(a));
          case '%f': return String(parseFloat(a));
          case '%j': return JSON.stringify(a);
          default: return inspect(a, 4);
        }
      });
      args = args.slice(i);
      return args.length ? out + ' ' + args.map(a => typeof a === 'string' ? a : inspect(a)).join(' ') : out;
    }
    return args.map(a => typeof a === 'string' ? a : inspect(a)).join(' ');
  }
  const counts = new Map(), timers = new Map();
  let groupIndent = '';
  const out = (fd, args) => native.write(fd, groupIndent + format(...args) + '\n');
  const console = {
    log: (...a) => out(1, a), info: (...a) => out(1, a), debug: (...a) => out(1, a),
    error: (...a) => out(2, a), warn: (...a) => out(2, a), trace: (...a) => out(2, ['Trace:', ...a]),
    dir: (o) => out(1, [inspect(o)]),
    assert: (c, ...a) => { if (!c) out(2, ['Assertion failed' + (a.length ? ':' : ''), ...a]); },
    count: (l = 'default') => { const n = (counts.get(l) ?? 0) + 1; counts.set(l, n); out(1, [`${l}: ${n}`]); },
    countReset: (l = 'default') => counts.delete(l),
    time: (l = 'default') => timers.set(l, native.now()),
    timeEnd: (l = 'default') => { const t = timers.get(l); timers.delete(l); out(1, [`${l}: ${(native.now() - t).toFixed(3)}ms`]); },
    timeLog: (l = 'default', ...a) => out(1, [`${l}: ${(native.now() - timers.get(l)).toFixed(3)}ms`, ...a]),
    group: (...a) => { if (a.length) out(1, a); groupIndent += '  '; },
    groupEnd: () => { groupIndent = groupIndent.slice(2); },
    table: (o) => out(1, [inspect(o)]),
  };
  define(global, 'console', console);

  // ---- timers, microtasks, performance ----
  define(global, 'queueMicrotask', function queueMicrotask(f) {
    if (typeof f !== 'function') throw new TypeError('The "callback" argument must be of type function');
    Promise.resolve().then(() => f());
  });
  class Timeout {
    constructor(id) { this._id = id; }
    ref() { return this; } unref() { return this; } hasRef() { return true; }
    refresh() { return this; }
    [Symbol.toPrimitive]() { return this._id; }
  }
  const timerCall = (f, args) => () => f(...args);
  define(global, 'setTimeout', function setTimeout(f, ms, ...args) { return new Timeout(native.setTimer(timerCall(f, args), +ms || 0, false)); });
  define(global, 'setInterval', function setInterval(f, ms, ...args) { return new Timeout(native.setTimer(timerCall(f, args), +ms || 0, true)); });
  define(global, 'setImmediate', function setImmediate(f, ...args) { return new Timeout(native.setTimer(timerCall(f, args), 0, false)); });
  const clear = function (t) { if (t != null) native.clearTimer(typeof t === 'object' ? t._id : +t); };
  define(global, 'clearTimeout', clear);
  define(global, 'clearInterval', clear);
  define(global, 'clearImmediate', clear);
  const timeOrigin = Date.now();
  define(global, 'performance', { now: () => native.now(), timeOrigin, mark() {}, measure() {} });

  // ---- TextEncoder / TextDecoder (UTF-8) ----
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(s = '') { return native.utf8Encode(String(s)); }
    encodeInto(s, dest) {
      const bytes = native.utf8Encode(String(s));
      // Whole code points only: back up over a cut UTF-8 sequence.
      let n = Math.min(bytes.length, dest.length);
      if (n < bytes.length) while (n > 0 && (bytes[n] & 0xC0) === 0x80) n--;
      dest.set(bytes.subarray(0, n));
      const read = native.utf8Decode(bytes.subarray(0, n), false).length;
      return { read, written: n };
    }
  }
  class TextDecoder {
    #fatal; #ignoreBOM; #encoding;
    constructor(label = 'utf-8', options = {}) {
      const l = String(label).trim().toLowerCase();
      if (l !== 'utf-8' && l !== 'utf8' && l !== 'unicode-1-1-utf-8') {
        if (l === 'utf-16le' || l === 'utf-16' || l === 'latin1' || l === 'iso-8859-1' || l === 'ascii') this.#encoding = l;
        else throw new RangeError(`The "${label}" encoding is not supported`);
      } else this.#encoding = 'utf-8';
      this.#fatal = !!(options && options.fatal);
      this.#ignoreBOM = !!(options && options.ignoreBOM);
    }
    get encoding() { return this.#encoding; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input, options) {
      if (input === undefined) return '';
      let u8;
      if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && input instanceof SharedArrayBuffer)) u8 = new Uint8Array(input);
      else if (ArrayBuffer.isView(input)) u8 = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      else throw new TypeError('The "input" argument must be an ArrayBuffer or ArrayBufferView');
      if (this.#encoding === 'utf-16le' || this.#encoding === 'utf-16') {
        let s = '';
        for (let i = 0; i + 1 < u8.length; i += 2) s += String.fromCharCode(u8[i] | (u8[i + 1] << 8));
        return s;
      }
      if (this.#encoding !== 'utf-8') return String.fromCharCode(...u8);
      let s = native.utf8Decode(u8, this.#fatal);
      if (!this.#ignoreBOM && s.charCodeAt(0) === 0xFEFF) s = s.slice(1);
      return s;
    }
  }
  define(global, 'TextEncoder', TextEncoder);
  define(global, 'TextDecoder', TextDecoder);

  // ---- path (POSIX) ----
  function normalizeArray(parts, allowAbove) {
    const res = [];
    for (const p of parts) {
      if (!p || p === '.') continue;
      if (p === '..') { if (res.length && res[res.length - 1] !== '..') res.pop(); else if (allowAbove) res.push('..'); }
      else res.push(p);
    }
    return res;
  }
  const path = {
    sep: '/', delimiter: ':',
    normalize(p) {
      if (p === '') return '.';
      const abs = p.startsWith('/'), trailing = p.endsWith('/');
      let r = normalizeArray(p.split('/'), !abs).join('/');
      if (!r && !abs) r = '.';
      if (r && trailing) r += '/';
      return (abs ? '/' : '') + r;
    },
    join(...parts) { const j = parts.filter(x => { if (typeof x !== 'string') throw new TypeError('The "path" argument must be of type string'); return x !== ''; }).join('/'); return j ? path.normalize(j) : '.'; },
    resolve(...parts) {
      let r = '';
      for (let i = parts.length - 1; i >= 0 && !r.startsWith('/'); i--) if (parts[i]) r = parts[i] + (r ? '/' + r : '');
      if (!r.startsWith('/')) r = native.cwd() + (r ? '/' + r : '');
      const n = '/' + normalizeArray(r.split('/'), false).join('/');
      return n;
    },
    isAbsolute: p => p.startsWith('/'),
    dirname(p) {
      if (!p) return '.';
      const s = p.replace(/\/+$/, '') || '/';
      const i = s.lastIndexOf('/');
      if (i < 0) return '.';
      if (i === 0) return '/';
      return s.slice(0, i);
    },
    basename(p, ext) {
      let b = p.replace(/\/+$/, '');
      b = b.slice(b.lastIndexOf('/') + 1);
      if (ext && b.endsWith(ext) && b !== ext) b = b.slice(0, -ext.length);
      return b;
    },
    extname(p) {
      const b = path.basename(p);
      const i = b.lastIndexOf('.');
      return i <= 0 ? '' : b.slice(i);
    },
    relative(from, to) {
      const f = path.resolve(from).split('/').filter(Boolean), t = path.resolve(to).split('/').filter(Boolean);
      let i = 0;
      while (i < f.length && i < t.length && f[i] === t[i]) i++;
      return [...Array(f.length - i).fill('..'), ...t.slice(i)].join('/');
    },
    parse(p) {
      const root = p.startsWith('/') ? '/' : '';
      const base = path.basename(p), ext = path.extname(p);
      const dir = p.includes('/') ? path.dirname(p) : '';
      return { root, dir, base, ext, name: ext ? base.slice(0, -ext.length) : base };
    },
    format(o) { const dir = o.dir || o.root || ''; const base = o.base || ((o.name || '') + (o.ext || '')); return dir ? (dir.endsWith('/') ? dir + base : dir + '/' + base) : base; },
    toNamespacedPath: p => p,
  };
  path.posix = path;

  // ---- url ----
  const URLImpl = typeof global.URL === 'function' ? global.URL : class URL {
    constructor(href, base) {
      let s = String(href);
      if (base !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(s)) {
        const b = new URL(base);
        s = s.startsWith('/') ? `${b.protocol}//${b.host}${s}` : `${b.protocol}//${b.host}${path.normalize(path.dirname(b.pathname + 'x') + '/' + s)}`;
      }
      const m = /^([a-z][a-z0-9+.-]*:)(\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(s);
      if (!m) throw new TypeError('Invalid URL: ' + s);
      this.protocol = m[1].toLowerCase();
      this.host = this.hostname = m[3] ?? '';
      this.pathname = m[4] || (m[2] !== undefined ? '/' : '');
      this.search = m[5] && m[5] !== '?' ? m[5] : '';
      this.hash = m[6] && m[6] !== '#' ? m[6] : '';
      this.port = '';
      this.username = this.password = '';
      this.origin = this.protocol === 'file:' ? 'null' : `${this.protocol}//${this.host}`;
    }
    get href() { return `${this.protocol}${this.host || this.protocol === 'file:' ? '//' + this.host : ''}${this.pathname}${this.search}${this.hash}`; }
    toString() { return this.href; }
    toJSON() { return this.href; }
  };
  if (typeof global.URL !== 'function') define(global, 'URL', URLImpl);
  const encodePathChars = p => p.replace(/%/g, '%25').replace(/\\/g, '%5C').replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/\t/g, '%09').replace(/#/g, '%23').replace(/\?/g, '%3F').replace(/ /g, '%20');
  const url = {
    URL: URLImpl,
    pathToFileURL(p) {
      let r = path.resolve(p);
      if (p.endsWith('/') && !r.endsWith('/')) r += '/';
      return new URLImpl('file://' + encodeURI(r).replace(/[?#]/g, encodeURIComponent));
    },
    fileURLToPath(u) {
      const x = typeof u === 'string' ? new URLImpl(u) : u;
      if (x.protocol !== 'file:') throw new TypeError('The URL must be of scheme file');
      return decodeURIComponent(x.pathname);
    },
    format: u => String(u),
  };
  void encodePathChars;

  // ---- fs (synchronous API, plus promises over it) ----
  function toPath(p) {
    if (p instanceof URLImpl || (p && typeof p === 'object' && p.protocol === 'file:')) return url.fileURLToPath(p);
    if (p instanceof Uint8Array) return native.utf8Decode(p, false);
    if (typeof p !== 'string') throw new TypeError('The "path" argument must be of type string or an instance of URL');
    return p;
  }
  const encodingOf = o => typeof o === 'string' ? o : (o && o.encoding) || null;
  function toBytes(data, enc) {
    if (typeof data === 'string') return enc && enc !== 'utf8' && enc !== 'utf-8' ? Buffer.from(data, enc) : native.utf8Encode(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    return native.utf8Encode(String(data));
  }
  function stats(s) {
    return {
      size: s.size, mode: s.mode, mtimeMs: s.mtimeMs, atimeMs: s.mtimeMs, ctimeMs: s.mtimeMs, birthtimeMs: s.mtimeMs,
      mtime: new Date(s.mtimeMs), atime: new Date(s.mtimeMs), ctime: new Date(s.mtimeMs), birthtime: new Date(s.mtimeMs),
      isFile: () => s.isFile, isDirectory: () => s.isDirectory, isSymbolicLink: () => s.isSymbolicLink,
      isFIFO: () => false, isSocket: () => false, isCharacterDevice: () => false, isBlockDevice: () => false,
    };
  }
  const fs = {
    readFileSync(p, options) {
      const enc = encodingOf(options);
      if (typeof p === 'number') return enc ? native.utf8Decode(native.readFd(p), false) : wrapBytes(native.readFd(p));
      const bytes = native.readFile(toPath(p));
      return enc ? Buffer.prototype.toString.call(bytes, enc) : wrapBytes(bytes);
    },
    writeFileSync(p, data, options) {
      if (typeof p === 'number') { native.write(p, toBytes(data, encodingOf(options))); return; }
      native.writeFile(toPath(p), toBytes(data, encodingOf(options)), !!(options && options.flag === 'a'));
    },
    appendFileSync(p, data, options) { native.writeFile(toPath(p), toBytes(data, encodingOf(options)), true); },
    existsSync(p) { try { return native.exists(toPath(p)); } catch { return false; } },
    statSync(p, options) {
      const s = native.stat(toPath(p), true);
      if (s === undefined) { if (options && options.throwIfNoEntry === false) return undefined; throw fsError('ENOENT', 'stat', p); }
      return stats(s);
    },
    lstatSync(p, options) {
      const s = native.stat(toPath(p), false);
      if (s === undefined) { if (options && options.throwIfNoEntry === false) return undefined; throw fsError('ENOENT', 'lstat', p); }
      return stats(s);
    },
    readdirSync(p, options) {
      const names = native.readdir(toPath(p));
      if (options && options.withFileTypes) return names.map(n => { const s = fs.statSync(path.join(toPath(p), n)); return { name: n, isFile: s.isFile, isDirectory: s.isDirectory, isSymbolicLink: s.isSymbolicLink }; });
      return names;
    },
    mkdirSync(p, options) { return native.mkdir(toPath(p), !!(options && options.recursive)); },
    rmSync(p, options) { native.rm(toPath(p), !!(options && options.recursive), !!(options && options.force)); },
    rmdirSync(p, options) { native.rm(toPath(p), !!(options && options.recursive), false); },
    unlinkSync(p) { native.rm(toPath(p), false, false); },
    renameSync(a, b) { native.rename(toPath(a), toPath(b)); },
    copyFileSync(a, b) { native.writeFile(toPath(b), native.readFile(toPath(a)), false); },
    realpathSync(p) { return native.realpath(toPath(p)); },
    accessSync(p) { if (!native.exists(toPath(p))) throw fsError('ENOENT', 'access', p); },
    openSync(p, flags = 'r') { return native.open(toPath(p), String(flags)); },
    closeSync(fd) { native.close(fd); },
    readSync(fd, buffer, offsetOrOptions, length, position) {
      let offset = offsetOrOptions;
      if (typeof offsetOrOptions === 'object' && offsetOrOptions !== null) ({ offset = 0, length = buffer.byteLength - offset, position = null } = offsetOrOptions);
      offset ??= 0; length ??= buffer.byteLength - offset;
      const view = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
      return native.readInto(fd, view, position ?? -1);
    },
    writeSync(fd, data, offsetOrPosition, lengthOrEncoding, position) {
      let bytes;
      if (typeof data === 'string') bytes = toBytes(data, typeof lengthOrEncoding === 'string' ? lengthOrEncoding : 'utf8');
      else {
        const u8 = toBytes(data);
        const off = typeof offsetOrPosition === 'number' ? offsetOrPosition : 0;
        const len = typeof lengthOrEncoding === 'number' ? lengthOrEncoding : u8.length - off;
        bytes = u8.subarray(off, off + len);
      }
      return native.writeFd(fd, bytes, typeof data === 'string' ? (offsetOrPosition ?? -1) : (position ?? -1));
    },
    fstatSync(fd) { return stats(native.fstat(fd)); },
    constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 },
  };
  function fsError(code, syscall, p) {
    const e = new Error(`${code}: no such file or directory, ${syscall} '${toPath(p)}'`);
    e.code = code; e.syscall = syscall; e.path = toPath(p); e.errno = -2;
    return e;
  }
  const promisify = f => (...a) => { try { return Promise.resolve(f(...a)); } catch (e) { return Promise.reject(e); } };
  fs.promises = {};
  for (const [k, v] of Object.entries(fs)) if (typeof v === 'function' && k.endsWith('Sync')) {
    const name = k.slice(0, -4);
    fs.promises[name] = promisify(v);
    fs[name] = (...a) => {
      const cb = typeof a[a.length - 1] === 'function' ? a.pop() : null;
      let r, err = null;
      try { r = v(...a); } catch (e) { err = e; }
      if (cb) setImmediate(() => name === 'exists' ? cb(r) : cb(err, r));
    };
  }

  // ---- process ----
  const env = native.env();
  const stdout = { write(s, enc, cb) { native.write(1, typeof s === 'string' ? s : toBytes(s)); if (typeof enc === 'function') enc(); else if (cb) cb(); return true; }, get isTTY() { return native.isatty(1); }, fd: 1, columns: 80, on() { return this; }, once() { return this; }, end() {} };
  const stderr = { write(s, enc, cb) { native.write(2, typeof s === 'string' ? s : toBytes(s)); if (typeof enc === 'function') enc(); else if (cb) cb(); return true; }, get isTTY() { return native.isatty(2); }, fd: 2, columns: 80, on() { return this; }, once() { return this; }, end() {} };
  const startNs = native.hrtime();
  function hrtime(prev) {
    const ns = native.hrtime();
    let s = Number(ns / 1000000000n), n = Number(ns % 1000000000n);
    if (prev) { s -= prev[0]; n -= prev[1]; if (n < 0) { s--; n += 1e9; } }
    return [s, n];
  }
  hrtime.bigint = () => native.hrtime();
  const listeners = new Map();
  const process = {
    argv: native.argv(), argv0: 'node', execArgv: [], execPath: native.execPath(),
    env, platform: 'linux', arch: native.arch(), pid: native.pid(), ppid: 0,
    version: 'v26.10.0', versions: { node: '26.10.0', weft: native.weftVersion() }, release: { name: 'node' },
    title: 'weft', exitCode: undefined,
    cwd: () => native.cwd(), chdir: d => native.chdir(String(d)),
    exit(code) { native.exit(code === undefined ? (process.exitCode ?? 0) : code); },
    abort() { native.exit(134); },
    hrtime, uptime: () => Number(native.hrtime() - startNs) / 1e9,
    cpuUsage(prev) { const u = native.cpuUsage(); return prev ? { user: u.user - prev.user, system: u.system - prev.system } : u; },
    memoryUsage: () => ({ rss: native.memory(), heapTotal: native.memory(), heapUsed: native.memory(), external: 0, arrayBuffers: 0 }),
    nextTick: (f, ...a) => Promise.resolve().then(() => f(...a)),
    stdout, stderr, stdin: { fd: 0, isTTY: native.isatty(0), on() { return this; } },
    on(ev, f) { if (!listeners.has(ev)) listeners.set(ev, []); listeners.get(ev).push(f); return process; },
    once(ev, f) { return process.on(ev, f); }, off() { return process; }, removeListener() { return process; },
    emit(ev, ...a) { for (const f of listeners.get(ev) ?? []) f(...a); return listeners.has(ev); },
    emitWarning(w) { native.write(2, `(node) Warning: ${w}\n`); },
    umask: () => 0o22, getuid: () => native.uid(), getgid: () => native.uid(),
    binding() { throw new Error('process.binding is not supported'); },
  };
  process.stdout.fd = 1;
  define(global, 'process', process);
  define(global, 'global', global);

  // ---- the other built-in modules ----
  const vm = {
    runInThisContext: (code, options) => native.evalScript(String(code), typeof options === 'string' ? options : (options && options.filename) || 'evalmachine.<anonymous>'),
    Script: class Script {
      constructor(code, options) { this.code = String(code); this.filename = typeof options === 'string' ? options : (options && options.filename) || 'evalmachine.<anonymous>'; }
      runInThisContext() { return native.evalScript(this.code, this.filename); }
    },
  };
  class Hash {
    #alg; #chunks = [];
    constructor(alg) { this.#alg = native.hashName(String(alg)); }
    update(data, enc) { this.#chunks.push(toBytes(data, enc)); return this; }
    digest(enc) {
      const all = Buffer.concat(this.#chunks.map(c => new Buffer(c.buffer, c.byteOffset, c.byteLength)));
      const h = wrapBytes(native.hash(this.#alg, all));
      return enc ? h.toString(enc) : h;
    }
  }
  const crypto = {
    createHash: alg => new Hash(alg),
    randomBytes: n => wrapBytes(native.randomBytes(n)),
    randomUUID: () => native.randomUUID(),
    getRandomValues(a) { const b = native.randomBytes(a.byteLength); new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(b); return a; },
  };
  crypto.webcrypto = { getRandomValues: crypto.getRandomValues, randomUUID: crypto.randomUUID };
  if (typeof global.crypto !== 'object') define(global, 'crypto', crypto.webcrypto);
  const tty = { isatty: fd => native.isatty(+fd) };
  const os = { EOL: '\n', platform: () => 'linux', type: () => 'Linux', arch: () => native.arch(), tmpdir: () => native.tmpdir(), homedir: () => env.HOME ?? '/', cpus: () => Array.from({ length: native.cpus() }, () => ({ model: 'cpu', speed: 0 })), endianness: () => 'LE' };
  const util = {
    format, inspect,
    promisify: f => (...a) => new Promise((res, rej) => f(...a, (e, r) => e ? rej(e) : res(r))),
    TextEncoder, TextDecoder,
    isDeepStrictEqual: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  };
  const perf_hooks = { performance: global.performance };
  const timersModule = { setTimeout: global.setTimeout, setInterval: global.setInterval, setImmediate: global.setImmediate, clearTimeout: clear, clearInterval: clear, clearImmediate: clear };
  const builtins = { fs, path, url, vm, crypto, tty, os, util, process, perf_hooks, timers: timersModule, buffer: { Buffer } };
  builtins['fs/promises'] = fs.promises;
  builtins['path/posix'] = path;

  // ---- CommonJS ----
  const cache = Object.create(null);
  function makeRequire(fromDir) {
    function require(id) {
      id = String(id);
      const b = native.builtinName(id);
      if (b !== undefined) return builtins[b];
      const file = resolveFile(id, fromDir);
      if (cache[file]) return cache[file].exports;
      const module = { id: file, filename: file, loaded: false, exports: {}, children: [], paths: [] };
      cache[file] = module;
      try {
        if (file.endsWith('.json')) module.exports = JSON.parse(native.utf8Decode(native.readFile(file), false));
        else if (file.endsWith('.node')) throw new Error(`Cannot load native addon ${file}`);
        else runCommonJs(file, module);
      } catch (e) { delete cache[file]; throw e; }
      module.loaded = true;
      return module.exports;
    }
    require.resolve = id => native.builtinName(String(id)) !== undefined ? String(id) : resolveFile(String(id), fromDir);
    require.cache = cache;
    return require;
  }
  function resolveFile(id, fromDir) {
    if (id.startsWith('file:')) id = url.fileURLToPath(id);
    if (!(id.startsWith('./') || id.startsWith('../') || id.startsWith('/') || id === '.' || id === '..')) {
      const e = new Error(`Cannot find module '${id}' (only relative paths and node's built-in modules are resolved)`);
      e.code = 'MODULE_NOT_FOUND';
      throw e;
    }
    const base = path.resolve(fromDir, id);
    for (const candidate of [base, base + '.js', base + '.cjs', base + '.json', base + '/index.js']) {
      const s = native.stat(candidate, true);
      if (s !== undefined && s.isFile) return candidate;
    }
    const e = new Error(`Cannot find module '${base}'`);
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  function runCommonJs(file, module) {
    let source = native.utf8Decode(native.readFile(file), false);
    if (source.startsWith('#!')) source = '//' + source;
    const wrapper = native.evalScript('(function (exports, require, module, __filename, __dirname) {' + source + '\n})', file);
    const dir = path.dirname(file);
    wrapper.call(module.exports, module.exports, makeRequire(dir), module, file, dir);
  }
  const moduleBuiltin = {
    createRequire: f => makeRequire(path.dirname(toPath(f))),
    builtinModules: Object.keys(builtins),
  };
  builtins.module = moduleBuiltin;

  return {
    builtins,
    runMain(file) {
      const module = { id: '.', filename: file, loaded: false, exports: {}, children: [], paths: [] };
      cache[file] = module;
      runCommonJs(file, module);
      module.loaded = true;
    },
    exitCode: () => process.exitCode,
    emit: (ev, ...a) => process.emit(ev, ...a),
    inspect,
  };
});
