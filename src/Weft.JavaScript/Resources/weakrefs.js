// WeakRef and FinalizationRegistry over Weft's finalizer queue (docs/JAVASCRIPT.md): the store runs a registration's
// finalizer at a safe point on its own thread after the .NET GC collected the target; that only queues a task, and
// the event loop runs the cleanup callback as a task of its own, where it may call wasm.
(function (native, global) {
  'use strict';
  const canBeHeldWeakly = v => (typeof v === 'object' && v !== null) || typeof v === 'function' || (typeof v === 'symbol' && Symbol.keyFor(v) === undefined);
  const refs = new WeakMap();
  class WeakRef {
    constructor(target) {
      if (new.target === undefined) throw new TypeError("Constructor WeakRef requires 'new'");
      if (!canBeHeldWeakly(target)) throw new TypeError('WeakRef: invalid target');
      refs.set(this, native.weakNew(target));
    }
    deref() {
      const cell = refs.get(this);
      if (cell === undefined) throw new TypeError('WeakRef.prototype.deref: receiver is not a WeakRef');
      return native.weakDeref(cell);
    }
  }
  Object.defineProperty(WeakRef.prototype, Symbol.toStringTag, { value: 'WeakRef', configurable: true });
  const registries = new WeakMap();
  class FinalizationRegistry {
    constructor(cleanupCallback) {
      if (new.target === undefined) throw new TypeError("Constructor FinalizationRegistry requires 'new'");
      if (typeof cleanupCallback !== 'function') throw new TypeError('FinalizationRegistry: cleanup must be callable');
      // token -> the cells registered with it (held weakly, as the spec holds unregister tokens).
      registries.set(this, { cleanup: cleanupCallback, tokens: new WeakMap() });
    }
    register(target, heldValue, unregisterToken) {
      const r = registries.get(this);
      if (r === undefined) throw new TypeError('FinalizationRegistry.prototype.register: receiver is not a FinalizationRegistry');
      if (!canBeHeldWeakly(target)) throw new TypeError('FinalizationRegistry.prototype.register: invalid target');
      if (Object.is(target, heldValue)) throw new TypeError('FinalizationRegistry.prototype.register: target and holdings must not be the same');
      if (unregisterToken !== undefined && !canBeHeldWeakly(unregisterToken)) throw new TypeError('FinalizationRegistry.prototype.register: invalid unregister token');
      const cell = { live: true };
      if (unregisterToken !== undefined) {
        let list = r.tokens.get(unregisterToken);
        if (list === undefined) r.tokens.set(unregisterToken, list = []);
        list.push(cell);
      }
      const cleanup = r.cleanup;
      // The callback closes over the cell and the held value, never over the target.
      native.registerFinalizer(target, () => { if (cell.live) { cell.live = false; cleanup(heldValue); } });
    }
    unregister(unregisterToken) {
      const r = registries.get(this);
      if (r === undefined) throw new TypeError('FinalizationRegistry.prototype.unregister: receiver is not a FinalizationRegistry');
      if (!canBeHeldWeakly(unregisterToken)) throw new TypeError('FinalizationRegistry.prototype.unregister: invalid unregister token');
      const list = r.tokens.get(unregisterToken);
      if (list === undefined) return false;
      r.tokens.delete(unregisterToken);
      let any = false;
      for (const c of list) { if (c.live) any = true; c.live = false; }
      return any;
    }
  }
  Object.defineProperty(FinalizationRegistry.prototype, Symbol.toStringTag, { value: 'FinalizationRegistry', configurable: true });
  for (const [k, v] of [['WeakRef', WeakRef], ['FinalizationRegistry', FinalizationRegistry]])
    Object.defineProperty(global, k, { value: v, writable: true, enumerable: false, configurable: true });
});
