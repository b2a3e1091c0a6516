;; A small module: a memory holding a greeting, and two functions.
;; Try: dotnet run --project src/Weft.Cli -- run examples/hello.wat --invoke factorial 20
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "Hello, Weft!")

  ;; The greeting's address and length, for a host to read it out of memory.
  (func (export "greeting") (result i32 i32)
    (i32.const 0)
    (i32.const 12))

  ;; n! by iteration.
  (func (export "factorial") (param $n i64) (result i64)
    (local $acc i64)
    (local.set $acc (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i64.le_u (local.get $n) (i64.const 1)))
        (local.set $acc (i64.mul (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $acc)))
