;; Object graphs: allocate and walk complete binary trees (the binary-trees benchmark), checksum = nodes visited.
(module
  (type $node (struct (field $l (ref null $node)) (field $r (ref null $node))))
  (func $make (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else (struct.new $node
        (call $make (i32.sub (local.get $d) (i32.const 1)))
        (call $make (i32.sub (local.get $d) (i32.const 1)))))))
  (func $check (param $t (ref null $node)) (result i32)
    (local $n (ref $node))
    (local.set $n (ref.as_non_null (local.get $t)))
    (if (result i32) (ref.is_null (struct.get $node $l (local.get $n)))
      (then (i32.const 1))
      (else (i32.add (i32.const 1)
        (i32.add (call $check (struct.get $node $l (local.get $n)))
                 (call $check (struct.get $node $r (local.get $n))))))))
  ;; run(n): trees of depth 4, 6, ..., n, 2^(n-d+4) of each; plus one long-lived tree of depth n.
  (func (export "run") (param $n i32) (result i32)
    (local $long (ref null $node)) (local $d i32) (local $i i32) (local $sum i32)
    (local.set $long (call $make (local.get $n)))
    (local.set $d (i32.const 4))
    (block $done (loop $depths
      (br_if $done (i32.gt_s (local.get $d) (local.get $n)))
      (local.set $i (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $n) (local.get $d)) (i32.const 4))))
      (block $next (loop $iter
        (br_if $next (i32.eqz (local.get $i)))
        (local.set $sum (i32.add (local.get $sum) (call $check (call $make (local.get $d)))))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $iter)))
      (local.set $d (i32.add (local.get $d) (i32.const 2)))
      (br $depths)))
    (i32.add (local.get $sum) (call $check (local.get $long)))))
