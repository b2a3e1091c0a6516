;; i31-heavy lists: cons cells of eq references whose heads are i31 values (how OCaml and Scheme compilers represent
;; small integers), built, mapped, filtered and folded; each head is boxed with ref.i31 and read with a cast.
(module
  (type $cons (struct (field $hd (ref eq)) (field $tl (ref null $cons))))
  (func $range (param $n i32) (result (ref null $cons))
    (local $l (ref null $cons))
    (block $done (loop $loop
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $l (struct.new $cons (ref.i31 (local.get $n)) (local.get $l)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $loop)))
    (local.get $l))
  ;; map (x -> 3x+1), reversing: order does not matter for the checksum.
  (func $map (param $l (ref null $cons)) (result (ref null $cons))
    (local $out (ref null $cons)) (local $c (ref $cons))
    (block $done (loop $loop
      (br_if $done (ref.is_null (local.get $l)))
      (local.set $c (ref.as_non_null (local.get $l)))
      (local.set $out (struct.new $cons
        (ref.i31 (i32.add (i32.mul (i31.get_s (ref.cast (ref i31) (struct.get $cons $hd (local.get $c)))) (i32.const 3)) (i32.const 1)))
        (local.get $out)))
      (local.set $l (struct.get $cons $tl (local.get $c)))
      (br $loop)))
    (local.get $out))
  (func $filterEven (param $l (ref null $cons)) (result (ref null $cons))
    (local $out (ref null $cons)) (local $c (ref $cons)) (local $h (ref eq))
    (block $done (loop $loop
      (br_if $done (ref.is_null (local.get $l)))
      (local.set $c (ref.as_non_null (local.get $l)))
      (local.set $h (struct.get $cons $hd (local.get $c)))
      (if (i32.eqz (i32.and (i31.get_u (ref.cast (ref i31) (local.get $h))) (i32.const 1)))
        (then (local.set $out (struct.new $cons (local.get $h) (local.get $out)))))
      (local.set $l (struct.get $cons $tl (local.get $c)))
      (br $loop)))
    (local.get $out))
  (func $sum (param $l (ref null $cons)) (result i32)
    (local $s i32) (local $c (ref $cons))
    (block $done (loop $loop
      (br_if $done (ref.is_null (local.get $l)))
      (local.set $c (ref.as_non_null (local.get $l)))
      (local.set $s (i32.add (local.get $s) (i31.get_s (ref.cast (ref i31) (struct.get $cons $hd (local.get $c))))))
      (local.set $l (struct.get $cons $tl (local.get $c)))
      (br $loop)))
    (local.get $s))
  (func (export "run") (param $n i32) (result i32)
    (local $acc i32) (local $i i32)
    (loop $rounds
      (local.set $acc (i32.add (local.get $acc) (call $sum (call $filterEven (call $map (call $range (i32.const 1000)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rounds (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
