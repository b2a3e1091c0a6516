;; The consumer: owns the output frames, GC arrays of bytes, and reads what the filter wrote into them.
(module
  (type $bytes (array (mut i8)))
  (func (export "new_frame") (param $n i32) (result (ref $bytes)) (array.new_default $bytes (local.get $n)))

  ;; How many pixels of a frame are at least $threshold.
  (func (export "count_at_least") (param $a (ref $bytes)) (param $threshold i32) (result i32)
    (local $i i32) (local $n i32) (local $count i32)
    (local.set $n (array.len (local.get $a)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $count (i32.add (local.get $count)
          (i32.ge_u (array.get_u $bytes (local.get $a) (local.get $i)) (local.get $threshold))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $count))

  (func (export "pixel") (param $a (ref $bytes)) (param $i i32) (result i32) (array.get_u $bytes (local.get $a) (local.get $i))))
