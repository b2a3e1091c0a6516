;; A plugin for the PluginHost example. The host gives it "host" "log" (print a string from plugin memory) and
;; "host" "now_ms"; it exports memory, an allocator for the host to pass strings in, and a few entry points, two of
;; which misbehave on purpose.
(module
  (import "host" "log" (func $log (param i32 i32)))
  (import "host" "now_ms" (func $now_ms (result i64)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (data (i32.const 0) "text-tools plugin ready")

  ;; A bump allocator: the host copies its input here.
  (func (export "alloc") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $next))
    (global.set $next (i32.add (global.get $next) (local.get $size)))
    (local.get $at))

  (func (export "init")
    (call $log (i32.const 0) (i32.const 23)))

  ;; Counts the vowels in a string.
  (func (export "count_vowels") (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $count i32) (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.or (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 32)))
        (if (i32.or (i32.or (i32.eq (local.get $c) (i32.const 97)) (i32.eq (local.get $c) (i32.const 101)))
                    (i32.or (i32.or (i32.eq (local.get $c) (i32.const 105)) (i32.eq (local.get $c) (i32.const 111)))
                            (i32.eq (local.get $c) (i32.const 117))))
          (then (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $count))

  ;; Upper-cases a string in place and logs it.
  (func (export "shout") (param $ptr i32) (param $len i32)
    (local $i i32) (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
          (then (i32.store8 (i32.add (local.get $ptr) (local.get $i)) (i32.sub (local.get $c) (i32.const 32)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $log (local.get $ptr) (local.get $len)))

  ;; A buggy entry point: loops forever.
  (func (export "hang")
    (loop $forever (br $forever)))

  ;; Another: reads far outside its memory, which traps.
  (func (export "crash") (result i32)
    (i32.load (i32.const 0x7fff0000))))
