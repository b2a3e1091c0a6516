;; A dart2wasm-style module: GC objects own byte buffers that live in linear memory.
;;
;; An $owner struct holds the address and length of a buffer in the module's heap. Buffers are reference-counted:
;; `share` makes a second owner of the same buffer, and `release` drops one owner's reference, freeing the buffer
;; with the last one. The module cannot know when an owner dies (wasm has no finalizers), so the host registers a
;; finalizer on every owner that calls `release` with the owner's buffer address (see ByteBufferHost.cs).
;;
;; Two memories (multi-memory): the host's I/O area is imported, the heap is the module's own. Imports come first in
;; an index space, so the import is memory 0 and the heap memory 1; instructions name them $io and $heap.
(module
  (import "host" "io" (memory $io 1))
  (memory $heap (export "heap") 1)

  (type $owner (struct (field $ptr i32) (field $len i32)))

  ;; ---- malloc/free: segregated free lists of power-of-two blocks (classes 4..31: 16 B and up).
  ;; A block is [class:i32][refcount:i32][data...]; a free block keeps the next free block in its first word.
  ;; The head of class c's free list is at 64 + 4*c; blocks start at 256.
  (global $top (mut i32) (i32.const 256))
  (global $live (mut i32) (i32.const 0))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $class i32) (local $head i32) (local $block i32) (local $end i32) (local $limit i32)
    ;; the smallest power of two that holds the 8-byte header and the data
    (local.set $class (i32.sub (i32.const 32) (i32.clz (i32.add (local.get $size) (i32.const 7)))))
    (if (i32.lt_u (local.get $class) (i32.const 4)) (then (local.set $class (i32.const 4))))
    (local.set $head (i32.add (i32.const 64) (i32.shl (local.get $class) (i32.const 2))))
    (local.set $block (i32.load $heap (local.get $head)))
    (if (local.get $block)
      (then
        ;; reuse a free block of the class
        (i32.store $heap (local.get $head) (i32.load $heap (local.get $block))))
      (else
        ;; carve a new block from the top, growing the heap when it does not fit
        (local.set $block (global.get $top))
        (local.set $end (i32.add (local.get $block) (i32.shl (i32.const 1) (local.get $class))))
        (local.set $limit (i32.mul (memory.size $heap) (i32.const 65536)))
        (if (i32.gt_u (local.get $end) (local.get $limit))
          (then
            (if (i32.eq
                  (memory.grow $heap
                    (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $limit)) (i32.const 65535)) (i32.const 16)))
                  (i32.const -1))
              (then (unreachable)))))
        (global.set $top (local.get $end))))
    (i32.store $heap (local.get $block) (local.get $class))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (i32.add (local.get $block) (i32.const 8)))

  (func $free (export "free") (param $ptr i32)
    (local $block i32) (local $head i32)
    (local.set $block (i32.sub (local.get $ptr) (i32.const 8)))
    (local.set $head (i32.add (i32.const 64) (i32.shl (i32.load $heap (local.get $block)) (i32.const 2))))
    (i32.store $heap (local.get $block) (i32.load $heap (local.get $head)))
    (i32.store $heap (local.get $head) (local.get $block))
    (global.set $live (i32.sub (global.get $live) (i32.const 1))))

  ;; ---- buffers and their owners

  ;; A new zeroed buffer of $len bytes with one owner.
  (func (export "alloc") (param $len i32) (result (ref $owner))
    (local $ptr i32)
    (local.set $ptr (call $malloc (local.get $len)))
    (i32.store $heap (i32.sub (local.get $ptr) (i32.const 4)) (i32.const 1))
    (memory.fill $heap (local.get $ptr) (i32.const 0) (local.get $len))
    (struct.new $owner (local.get $ptr) (local.get $len)))

  ;; A second owner of the same buffer.
  (func (export "share") (param $o (ref $owner)) (result (ref $owner))
    (local $ptr i32)
    (local.set $ptr (struct.get $owner $ptr (local.get $o)))
    (i32.store $heap (i32.sub (local.get $ptr) (i32.const 4))
      (i32.add (i32.load $heap (i32.sub (local.get $ptr) (i32.const 4))) (i32.const 1)))
    (struct.new $owner (local.get $ptr) (struct.get $owner $len (local.get $o))))

  ;; Drops one owner's reference to the buffer at $ptr; the last one frees it. Called by the host's finalizers.
  (func (export "release") (param $ptr i32)
    (local $count i32)
    (local.set $count (i32.sub (i32.load $heap (i32.sub (local.get $ptr) (i32.const 4))) (i32.const 1)))
    (i32.store $heap (i32.sub (local.get $ptr) (i32.const 4)) (local.get $count))
    (if (i32.eqz (local.get $count)) (then (call $free (local.get $ptr)))))

  (func (export "pointer") (param $o (ref $owner)) (result i32) (struct.get $owner $ptr (local.get $o)))
  (func (export "length") (param $o (ref $owner)) (result i32) (struct.get $owner $len (local.get $o)))
  (func (export "refcount") (param $o (ref $owner)) (result i32)
    (i32.load $heap (i32.sub (struct.get $owner $ptr (local.get $o)) (i32.const 4))))

  ;; Copies the buffer's length in bytes from the host's I/O memory at $from into the buffer.
  (func (export "load") (param $o (ref $owner)) (param $from i32)
    (memory.copy $heap $io
      (struct.get $owner $ptr (local.get $o)) (local.get $from) (struct.get $owner $len (local.get $o))))

  ;; The sum of the buffer's bytes.
  (func (export "checksum") (param $o (ref $owner)) (result i32)
    (local $p i32) (local $end i32) (local $sum i32)
    (local.set $p (struct.get $owner $ptr (local.get $o)))
    (local.set $end (i32.add (local.get $p) (struct.get $owner $len (local.get $o))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $sum (i32.add (local.get $sum) (i32.load8_u $heap (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; Allocator statistics: blocks in use, and the heap's size in pages.
  (func (export "live") (result i32) (global.get $live))
  (func (export "heap_pages") (result i32) (memory.size $heap)))
