;; Fills 16 MiB of memory, then sums it byte by byte and word by word: bounds-checked loads and stores.
(module
  (memory 256)
  (func (export "run") (param $rounds i32) (result i64)
    (local $i i32) (local $acc i64) (local $r i32)
    (loop $fill
      (i32.store (local.get $i) (i32.mul (local.get $i) (i32.const 2654435761)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 16777216))))
    (loop $round
      (local.set $i (i32.const 0))
      (loop $bytes
        (local.set $acc (i64.add (local.get $acc) (i64.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $bytes (i32.lt_u (local.get $i) (i32.const 16777216))))
      (local.set $i (i32.const 0))
      (loop $words
        (local.set $acc (i64.xor (local.get $acc) (i64.load offset=8 (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br_if $words (i32.lt_u (local.get $i) (i32.const 16777200))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (local.get $acc)))
