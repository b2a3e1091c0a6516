// The WebAssembly namespace of the JS API (https://webassembly.github.io/spec/js-api/), as WebIDL shapes it:
// interface objects, prototypes, brand checks, dictionary conversions and the order they happen in. The wasm work
// (decoding, linking, calls, value conversions) is done by `native`, the C# bridge (WebAssemblyBridge.cs); this file
// only holds what is plain JavaScript semantics, where writing it in JavaScript is the surest way to get it exactly.
(function (native, global) {
  'use strict';
  // Jint gives SharedArrayBuffer an own isView (ECMAScript has only ArrayBuffer.isView); the JS API suite tells
  // shared buffers from unshared ones by exactly that.
  if (typeof SharedArrayBuffer === 'function' && Object.prototype.hasOwnProperty.call(SharedArrayBuffer, 'isView')) delete SharedArrayBuffer.isView;
  const TypeErrorCtor = TypeError, RangeErrorCtor = RangeError;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
  const WeakMapCtor = WeakMap;

  // WebIDL: operations and attributes are enumerable; class syntax makes them non-enumerable, so redefine them.
  function webidl(ctor, name) {
    for (const target of [ctor, ctor.prototype]) {
      for (const key of ObjectGetOwnPropertyNames(target)) {
        if (key === 'constructor' || (target === ctor && (key === 'prototype' || key === 'length' || key === 'name'))) continue;
        const d = Object.getOwnPropertyDescriptor(target, key);
        d.enumerable = true;
        ObjectDefineProperty(target, key, d);
      }
    }
    ObjectDefineProperty(ctor.prototype, Symbol.toStringTag, { value: 'WebAssembly.' + name, writable: false, enumerable: false, configurable: true });
  }

  // Brand slots: one WeakMap per interface maps a wrapper to its C# handle.
  const moduleSlots = new WeakMapCtor(), instanceSlots = new WeakMapCtor(), memorySlots = new WeakMapCtor(),
    tableSlots = new WeakMapCtor(), globalSlots = new WeakMapCtor(), tagSlots = new WeakMapCtor(),
    exceptionSlots = new WeakMapCtor();
  function slot(map, o, what) {
    const h = (typeof o === 'object' || typeof o === 'function') && o !== null ? map.get(o) : undefined;
    if (h === undefined) throw new TypeErrorCtor(what + ': receiver is not a ' + what);
    return h;
  }
  // Wrappers are unique per handle (the same memory exported twice is the same object).
  const wrappers = new WeakMapCtor();
  function wrap(map, proto, h) {
    let o = wrappers.get(h);
    if (o === undefined) {
      o = Object.create(proto);
      map.set(o, h);
      wrappers.set(h, o);
    }
    return o;
  }

  // ---- WebIDL conversions ----
  function isObject(v) { return (typeof v === 'object' && v !== null) || typeof v === 'function'; }
  function dictionary(v, what) {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) throw new TypeErrorCtor(what + ' must be an object');
    return v;
  }
  function enforceRange(v, max, what) {
    const x = +v;
    if (!Number.isFinite(x)) throw new TypeErrorCtor(what + ' must be a finite number');
    const t = Math.trunc(x);
    if (t < 0 || t > max) throw new TypeErrorCtor(what + ' is out of range');
    return t + 0;
  }
  function enforceRangeBigInt(v, what) {
    const x = BigInt(v); // ToBigInt-like: strings and booleans convert, numbers throw TypeError
    if (x < 0n || x > 0xFFFF_FFFF_FFFF_FFFFn) throw new TypeErrorCtor(what + ' is out of range');
    return x;
  }
  function toBigIntValue(v) {
    if (typeof v === 'number') throw new TypeErrorCtor('cannot convert a Number to a BigInt');
    return BigInt(v);
  }
  function addressValue(v, address, what) {
    return address === 'i64' ? Number(enforceRangeBigInt(toBigIntValue(v), what)) : enforceRange(v, 0xFFFFFFFF, what);
  }
  function addressType(d) {
    const a = d.address;
    if (a === undefined) return 'i32';
    const s = String(a);
    if (s !== 'i32' && s !== 'i64') throw new TypeErrorCtor('invalid address type: ' + s);
    return s;
  }
  function bufferSource(bytes) {
    if (bytes instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && bytes instanceof SharedArrayBuffer))
      return new Uint8Array(bytes).slice();
    if (ArrayBuffer.isView(bytes))
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
    throw new TypeErrorCtor('first argument must be an ArrayBuffer or typed array object');
  }
  function compileOptions(options) {
    if (options === undefined || options === null) return [undefined, undefined];
    if (!isObject(options)) throw new TypeErrorCtor('compile options must be an object');
    let builtins = options.builtins, strings = options.importedStringConstants;
    if (builtins !== undefined) {
      if (!isObject(builtins) || typeof builtins[Symbol.iterator] !== 'function') throw new TypeErrorCtor('builtins must be a sequence');
      builtins = Array.from(builtins, String);
    }
    if (strings !== undefined && strings !== null) strings = String(strings); else strings = undefined;
    return [builtins, strings];
  }

  // ---- errors ----
  class CompileError extends Error {
    constructor(message, options) { super(message, options); }
  }
  class LinkError extends Error {
    constructor(message, options) { super(message, options); }
  }
  class RuntimeError extends Error {
    constructor(message, options) { super(message, options); }
  }
  for (const [c, n] of [[CompileError, 'CompileError'], [LinkError, 'LinkError'], [RuntimeError, 'RuntimeError']]) {
    ObjectDefineProperty(c.prototype, 'name', { value: n, writable: true, enumerable: false, configurable: true });
    ObjectDefineProperty(c.prototype, 'message', { value: '', writable: true, enumerable: false, configurable: true });
  }

  // ---- Module ----
  class Module {
    constructor(bytes, options = undefined) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Module requires 'new'");
      const copy = bufferSource(bytes);
      const [builtins, strings] = compileOptions(options);
      moduleSlots.set(this, native.compile(copy, builtins, strings));
    }
    static exports(moduleObject) {
      const h = slot(moduleSlots, moduleObject, 'WebAssembly.Module');
      return native.moduleExports(h);
    }
    static imports(moduleObject) {
      const h = slot(moduleSlots, moduleObject, 'WebAssembly.Module');
      return native.moduleImports(h);
    }
    static customSections(moduleObject, sectionName) {
      const h = slot(moduleSlots, moduleObject, 'WebAssembly.Module');
      if (sectionName === undefined) throw new TypeErrorCtor('customSections: sectionName is required');
      return native.customSections(h, String(sectionName));
    }
  }
  webidl(Module, 'Module');

  // ---- Instance ----
  // "Read the imports" happens synchronously (getters on the import object run before any promise settles);
  // instantiation itself may come later.
  function readImports(moduleHandle, importObject) {
    if (importObject !== undefined && !isObject(importObject)) throw new TypeErrorCtor('imports must be an object');
    return native.readImports(moduleHandle, importObject);
  }
  function instantiateCore(moduleHandle, importObject) {
    return instantiateResolved(moduleHandle, readImports(moduleHandle, importObject));
  }
  function instantiateResolved(moduleHandle, resolved) {
    const entries = native.instantiate(moduleHandle, resolved);
    const exports = Object.create(null);
    for (let i = 0; i < entries.length; i += 3) {
      const name = entries[i], kind = entries[i + 1], value = entries[i + 2];
      ObjectDefineProperty(exports, name, { value: exportValue(kind, value), writable: false, enumerable: true, configurable: false });
    }
    return Object.freeze(exports);
  }
  function exportValue(kind, v) {
    switch (kind) {
      case 'function': return v;
      case 'memory': return wrap(memorySlots, Memory.prototype, v);
      case 'table': return wrap(tableSlots, Table.prototype, v);
      case 'global': return wrap(globalSlots, Global.prototype, v);
      case 'tag': return wrap(tagSlots, Tag.prototype, v);
    }
    throw new TypeErrorCtor('unknown export kind ' + kind);
  }
  const instanceExports = new WeakMapCtor();
  class Instance {
    constructor(module, importObject = undefined) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Instance requires 'new'");
      const h = slot(moduleSlots, module, 'WebAssembly.Module');
      instanceSlots.set(this, true);
      instanceExports.set(this, instantiateCore(h, importObject));
    }
    get exports() {
      slot(instanceSlots, this, 'WebAssembly.Instance');
      return instanceExports.get(this);
    }
  }
  webidl(Instance, 'Instance');
  function newInstance(moduleObject, exportsObject) {
    const o = Object.create(Instance.prototype);
    instanceSlots.set(o, true);
    instanceExports.set(o, exportsObject);
    return o;
  }

  // ---- Memory ----
  class Memory {
    constructor(descriptor) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Memory requires 'new'");
      if (!isObject(descriptor)) throw new TypeErrorCtor('WebAssembly.Memory: descriptor must be an object');
      const address = addressType(descriptor);
      const initialRaw = descriptor.initial;
      if (initialRaw === undefined) throw new TypeErrorCtor("WebAssembly.Memory: 'initial' is required");
      const initial = addressValue(initialRaw, address, 'initial');
      const maximumRaw = descriptor.maximum;
      const maximum = maximumRaw === undefined ? undefined : addressValue(maximumRaw, address, 'maximum');
      const shared = !!descriptor.shared;
      const limit = address === 'i64' ? 0x1000000000000 : 65536;
      if (initial > limit) throw new RangeErrorCtor('WebAssembly.Memory: initial is larger than the implementation limit');
      if (maximum !== undefined) {
        if (maximum > limit) throw new RangeErrorCtor('WebAssembly.Memory: maximum is larger than the implementation limit');
        if (maximum < initial) throw new RangeErrorCtor('WebAssembly.Memory: maximum is less than initial');
      }
      if (shared && maximum === undefined) throw new TypeErrorCtor('WebAssembly.Memory: a shared memory needs a maximum');
      const h = native.memoryNew(initial, maximum, shared, address);
      memorySlots.set(this, h);
      wrappers.set(h, this);
    }
    grow(delta) {
      const h = slot(memorySlots, this, 'WebAssembly.Memory');
      const address = native.memoryAddress(h);
      const d = addressValue(delta, address, 'delta');
      const r = native.memoryGrow(h, d);
      if (r < 0) throw new RangeErrorCtor('WebAssembly.Memory.grow(): failed to grow memory');
      return address === 'i64' ? BigInt(r) : r;
    }
    get buffer() {
      return native.memoryBuffer(slot(memorySlots, this, 'WebAssembly.Memory'));
    }
  }
  webidl(Memory, 'Memory');

  // ---- Table ----
  const refTypeNames = { anyfunc: 'funcref', funcref: 'funcref', externref: 'externref', anyref: 'anyref', eqref: 'eqref', i31ref: 'i31ref', structref: 'structref', arrayref: 'arrayref', exnref: 'exnref', nullref: 'nullref', nullfuncref: 'nullfuncref', nullexternref: 'nullexternref', nullexnref: 'nullexnref' };
  function refType(v) {
    const s = String(v);
    if (!Object.prototype.hasOwnProperty.call(refTypeNames, s)) throw new TypeErrorCtor('invalid table element type: ' + s);
    return refTypeNames[s];
  }
  class Table {
    constructor(descriptor, value = undefined) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Table requires 'new'");
      if (!isObject(descriptor)) throw new TypeErrorCtor('WebAssembly.Table: descriptor must be an object');
      const elementRaw = descriptor.element;
      if (elementRaw === undefined) throw new TypeErrorCtor("WebAssembly.Table: 'element' is required");
      const element = refType(elementRaw);
      const address = addressType(descriptor);
      const initialRaw = descriptor.initial;
      if (initialRaw === undefined) throw new TypeErrorCtor("WebAssembly.Table: 'initial' is required");
      const initial = addressValue(initialRaw, address, 'initial');
      const maximumRaw = descriptor.maximum;
      const maximum = maximumRaw === undefined ? undefined : addressValue(maximumRaw, address, 'maximum');
      if (maximum !== undefined && maximum < initial) throw new RangeErrorCtor('WebAssembly.Table: maximum is less than initial');
      if (initial > 10000000) throw new RangeErrorCtor('WebAssembly.Table: initial is larger than the implementation limit');
      const h = native.tableNew(element, initial, maximum, address, arguments.length > 1, value);
      tableSlots.set(this, h);
      wrappers.set(h, this);
    }
    get length() {
      const h = slot(tableSlots, this, 'WebAssembly.Table');
      const n = native.tableLength(h);
      return native.tableAddress(h) === 'i64' ? BigInt(n) : n;
    }
    grow(delta, value = undefined) {
      const h = slot(tableSlots, this, 'WebAssembly.Table');
      const d = addressValue(delta, native.tableAddress(h), 'delta');
      const r = native.tableGrow(h, d, arguments.length > 1, value);
      return native.tableAddress(h) === 'i64' ? BigInt(r) : r;
    }
    get(index) {
      const h = slot(tableSlots, this, 'WebAssembly.Table');
      return native.tableGet(h, addressValue(index, native.tableAddress(h), 'index'));
    }
    set(index, value = undefined) {
      const h = slot(tableSlots, this, 'WebAssembly.Table');
      const i = addressValue(index, native.tableAddress(h), 'index');
      native.tableSet(h, i, arguments.length > 1, value);
    }
  }
  webidl(Table, 'Table');

  // ---- Global ----
  const valueTypeNames = { i32: 'i32', i64: 'i64', f32: 'f32', f64: 'f64', v128: 'v128', anyfunc: 'funcref', funcref: 'funcref', externref: 'externref', anyref: 'anyref', eqref: 'eqref', i31ref: 'i31ref', structref: 'structref', arrayref: 'arrayref', exnref: 'exnref', nullref: 'nullref', nullfuncref: 'nullfuncref', nullexternref: 'nullexternref', nullexnref: 'nullexnref' };
  function valueType(v) {
    const s = String(v);
    if (!Object.prototype.hasOwnProperty.call(valueTypeNames, s)) throw new TypeErrorCtor('invalid value type: ' + s);
    return valueTypeNames[s];
  }
  class Global {
    constructor(descriptor, v = undefined) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Global requires 'new'");
      if (!isObject(descriptor)) throw new TypeErrorCtor('WebAssembly.Global: descriptor must be an object');
      const mutable = !!descriptor.mutable;
      const type = valueType(descriptor.value);
      if (type === 'v128') throw new TypeErrorCtor('WebAssembly.Global: v128 globals cannot be created from JavaScript');
      const h = native.globalNew(type, mutable, v !== undefined, v);
      globalSlots.set(this, h);
      wrappers.set(h, this);
    }
    valueOf() {
      return native.globalGet(slot(globalSlots, this, 'WebAssembly.Global'));
    }
    get value() {
      return native.globalGet(slot(globalSlots, this, 'WebAssembly.Global'));
    }
    set value(v) {
      const h = slot(globalSlots, this, 'WebAssembly.Global');
      native.globalSet(h, v);
    }
  }
  webidl(Global, 'Global');

  // ---- Tag ----
  class Tag {
    constructor(type) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Tag requires 'new'");
      if (!isObject(type)) throw new TypeErrorCtor('WebAssembly.Tag: type must be an object');
      const params = type.parameters;
      if (!isObject(params) || typeof params[Symbol.iterator] !== 'function') throw new TypeErrorCtor('WebAssembly.Tag: parameters must be a sequence');
      const list = Array.from(params, valueType);
      const h = native.tagNew(list);
      tagSlots.set(this, h);
      wrappers.set(h, this);
    }
  }
  webidl(Tag, 'Tag');

  // ---- Exception ----
  class Exception {
    constructor(exceptionTag, payload, options = undefined) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Exception requires 'new'");
      const tag = slot(tagSlots, exceptionTag, 'WebAssembly.Tag');
      if (!isObject(payload) || typeof payload[Symbol.iterator] !== 'function') throw new TypeErrorCtor('WebAssembly.Exception: payload must be a sequence');
      const values = Array.from(payload);
      const o = dictionary(options, 'WebAssembly.Exception options');
      const traceStack = !!o.traceStack;
      if (tag === native.jsTag) throw new TypeErrorCtor('WebAssembly.Exception: the JavaScript tag cannot be used to create an exception');
      const h = native.exceptionNew(tag, values);
      exceptionSlots.set(this, h);
      wrappers.set(h, this);
      if (traceStack) ObjectDefineProperty(this, 'stack', { value: new Error().stack, writable: true, enumerable: false, configurable: true });
    }
    getArg(exceptionTag, index) {
      const h = slot(exceptionSlots, this, 'WebAssembly.Exception');
      const tag = slot(tagSlots, exceptionTag, 'WebAssembly.Tag');
      const i = enforceRange(index, 0xFFFFFFFF, 'index');
      return native.exceptionGetArg(h, tag, i);
    }
    is(exceptionTag) {
      const h = slot(exceptionSlots, this, 'WebAssembly.Exception');
      const tag = slot(tagSlots, exceptionTag, 'WebAssembly.Tag');
      return native.exceptionIs(h, tag);
    }
  }
  webidl(Exception, 'Exception');

  // ---- namespace functions ----
  function promise(f) {
    return new Promise((resolve, reject) => {
      try { resolve(f()); } catch (e) { reject(e); }
    });
  }
  // The spec compiles "in parallel" and resolves in a later task; a queued job keeps that ordering observable.
  function later(f) {
    return new Promise((resolve, reject) => {
      native.queueTask(() => { try { resolve(f()); } catch (e) { reject(e); } });
    });
  }
  const WebAssembly = {};
  const namespace = {
    validate(bytes, options = undefined) {
      const copy = bufferSource(bytes);
      const [builtins, strings] = compileOptions(options);
      return native.validate(copy, builtins, strings);
    },
    compile(bytes, options = undefined) {
      let copy, builtins, strings;
      try {
        copy = bufferSource(bytes);
        [builtins, strings] = compileOptions(options);
      } catch (e) { return Promise.reject(e); }
      return later(() => wrapModule(native.compile(copy, builtins, strings)));
    },
    instantiate(source, importObject = undefined, options = undefined) {
      if (isObject(source) && moduleSlots.has(source)) {
        const h = moduleSlots.get(source);
        let resolved;
        try { resolved = readImports(h, importObject); } catch (e) { return Promise.reject(e); }
        return later(() => newInstance(source, instantiateResolved(h, resolved)));
      }
      let copy, builtins, strings;
      try {
        copy = bufferSource(source);
        [builtins, strings] = compileOptions(options);
        if (importObject !== undefined && !isObject(importObject)) throw new TypeErrorCtor('imports must be an object');
      } catch (e) { return Promise.reject(e); }
      return later(() => {
        const h = native.compile(copy, builtins, strings);
        const module = wrapModule(h);
        const resolved = readImports(h, importObject);
        return later(() => ({ module, instance: newInstance(module, instantiateResolved(h, resolved)) }));
      });
    },
    compileStreaming(source, options = undefined) {
      return Promise.resolve(source).then(r => responseBytes(r)).then(b => namespace.compile(b, options));
    },
    instantiateStreaming(source, importObject = undefined, options = undefined) {
      return Promise.resolve(source).then(r => responseBytes(r)).then(b => namespace.instantiate(b, importObject, options));
    },
  };
  function responseBytes(r) {
    if (!isObject(r) || typeof r.arrayBuffer !== 'function') throw new TypeErrorCtor('a Response (or an object with arrayBuffer()) is required');
    return r.arrayBuffer();
  }
  function wrapModule(h) {
    const o = Object.create(Module.prototype);
    moduleSlots.set(o, h);
    return o;
  }
  for (const key of Object.keys(namespace))
    ObjectDefineProperty(WebAssembly, key, { value: namespace[key], writable: true, enumerable: true, configurable: true });
  const interfaces = { Module, Instance, Memory, Table, Global, Tag, Exception, CompileError, LinkError, RuntimeError };
  for (const key of Object.keys(interfaces))
    ObjectDefineProperty(WebAssembly, key, { value: interfaces[key], writable: true, enumerable: false, configurable: true });
  ObjectDefineProperty(WebAssembly, Symbol.toStringTag, { value: 'WebAssembly', writable: false, enumerable: false, configurable: true });

  // The bridge creates wrappers, unwraps imports and builds errors through these.
  native.init({
    CompileError, LinkError, RuntimeError,
    wrapMemory: h => wrap(memorySlots, Memory.prototype, h),
    wrapTable: h => wrap(tableSlots, Table.prototype, h),
    wrapGlobal: h => wrap(globalSlots, Global.prototype, h),
    wrapTag: h => wrap(tagSlots, Tag.prototype, h),
    wrapException: h => wrap(exceptionSlots, Exception.prototype, h),
    unwrapMemory: o => isObject(o) ? memorySlots.get(o) : undefined,
    unwrapTable: o => isObject(o) ? tableSlots.get(o) : undefined,
    unwrapGlobal: o => isObject(o) ? globalSlots.get(o) : undefined,
    unwrapTag: o => isObject(o) ? tagSlots.get(o) : undefined,
    unwrapException: o => isObject(o) ? exceptionSlots.get(o) : undefined,
  });
  const jsTag = wrap(tagSlots, Tag.prototype, native.jsTag);
  ObjectDefineProperty(WebAssembly, 'JSTag', { value: jsTag, writable: false, enumerable: true, configurable: false });
  ObjectDefineProperty(global, 'WebAssembly', { value: WebAssembly, writable: true, enumerable: false, configurable: true });
  return WebAssembly;
});
