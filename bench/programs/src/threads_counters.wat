;; wasi-threads without a C toolchain (Debian's wasi-libc here has no wasm32-wasip1-threads sysroot): the same
;; program a pthreads C version would be. _start spawns 4 threads with wasi "thread-spawn"; each adds 1..20000 to a
;; shared 64-bit sum and increments a shared 32-bit counter 20000 times with atomics, and adds its id's bit to a
;; mask with atomic or; then decrements the number of running threads and notifies. _start waits (memory.atomic.wait32)
;; until none is running and prints "threads 4 count 80000 sum 800040000 mask 15".
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))

  ;; memory layout: 0 running (i32), 8 sum (i64), 16 count (i32), 20 mask (i32), 64 iovec, 128.. text
  (global $threads i32 (i32.const 4))
  (global $iterations i32 (i32.const 20000))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (local $i i32)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (drop (i64.atomic.rmw.add (i32.const 8) (i64.extend_i32_u (local.get $i))))
      (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (global.get $iterations))))
    (drop (i32.atomic.rmw.or (i32.const 20) (i32.shl (i32.const 1) (local.get $arg))))
    (drop (i32.atomic.rmw.sub (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  ;; appends the decimal digits of $v at $at; returns the new end
  (func $digits (param $at i32) (param $v i64) (result i32)
    (local $start i32) (local $end i32) (local $t i32)
    (local.set $start (local.get $at))
    (loop $d
      (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $d (i64.ne (local.get $v) (i64.const 0))))
    (local.set $end (local.get $at))
    ;; reverse [start, end)
    (local.set $at (i32.sub (local.get $at) (i32.const 1)))
    (block $done
      (loop $r
        (br_if $done (i32.ge_u (local.get $start) (local.get $at)))
        (local.set $t (i32.load8_u (local.get $start)))
        (i32.store8 (local.get $start) (i32.load8_u (local.get $at)))
        (i32.store8 (local.get $at) (local.get $t))
        (local.set $start (i32.add (local.get $start) (i32.const 1)))
        (local.set $at (i32.sub (local.get $at) (i32.const 1)))
        (br $r)))
    (local.get $end))

  (func $text (param $at i32) (param $from i32) (param $length i32) (result i32)
    (memory.copy (local.get $at) (local.get $from) (local.get $length))
    (i32.add (local.get $at) (local.get $length)))

  (data (i32.const 1024) "threads  count  sum  mask \n")

  (func (export "_start")
    (local $i i32) (local $running i32) (local $at i32)
    (i32.atomic.store (i32.const 0) (global.get $threads))
    (loop $spawn_next
      (if (i32.lt_s (call $spawn (local.get $i)) (i32.const 1)) (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn_next (i32.lt_u (local.get $i) (global.get $threads))))
    ;; wait until no thread runs
    (block $all_done
      (loop $wait
        (local.set $running (i32.atomic.load (i32.const 0)))
        (br_if $all_done (i32.eqz (local.get $running)))
        (drop (memory.atomic.wait32 (i32.const 0) (local.get $running) (i64.const -1)))
        (br $wait)))
    (local.set $at (i32.const 128))
    (local.set $at (call $text (local.get $at) (i32.const 1024) (i32.const 8)))
    (local.set $at (call $digits (local.get $at) (i64.extend_i32_u (global.get $threads))))
    (local.set $at (call $text (local.get $at) (i32.const 1032) (i32.const 7)))
    (local.set $at (call $digits (local.get $at) (i64.extend_i32_u (i32.atomic.load (i32.const 16)))))
    (local.set $at (call $text (local.get $at) (i32.const 1039) (i32.const 5)))
    (local.set $at (call $digits (local.get $at) (i64.atomic.load (i32.const 8))))
    (local.set $at (call $text (local.get $at) (i32.const 1044) (i32.const 6)))
    (local.set $at (call $digits (local.get $at) (i64.extend_i32_u (i32.atomic.load (i32.const 20)))))
    (local.set $at (call $text (local.get $at) (i32.const 1050) (i32.const 1)))
    (i32.store (i32.const 64) (i32.const 128))
    (i32.store (i32.const 68) (i32.sub (local.get $at) (i32.const 128)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 72))))
)
