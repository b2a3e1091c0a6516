;; An interpreter-style loop dispatching through call_indirect over a table of four operations.
(module
  (type $op (func (param i64 i32) (result i64)))
  (table 4 funcref)
  (elem (i32.const 0) $add $xor $mul $rot)
  (func $add (type $op) (i64.add (local.get 0) (i64.extend_i32_u (local.get 1))))
  (func $xor (type $op) (i64.xor (local.get 0) (i64.const 0x5bd1e995)))
  (func $mul (type $op) (i64.mul (local.get 0) (i64.const 31)))
  (func $rot (type $op) (i64.rotl (local.get 0) (i64.extend_i32_u (local.get 1))))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc
        (call_indirect (type $op) (local.get $acc) (local.get $i) (i32.and (local.get $i) (i32.const 3))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
