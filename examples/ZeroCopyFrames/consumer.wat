;; Transforms frames in place. This module defines the frame type itself; because types are canonical across
;; modules, its $frame is the producer's $frame, and frames pass between the instances as the same objects.
(module
  (type $frame (array (mut i8)))

  ;; Inverts every byte in place: x -> 255 - x.
  (func (export "invert") (param $f (ref $frame))
    (local $i i32) (local $len i32)
    (local.set $len (array.len (local.get $f)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (array.set $frame (local.get $f) (local.get $i)
          (i32.sub (i32.const 255) (array.get_u $frame (local.get $f) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Sets byte $i of a frame.
  (func (export "poke") (param $f (ref $frame)) (param $i i32) (param $value i32)
    (array.set $frame (local.get $f) (local.get $i) (local.get $value)))

  ;; The sum of a frame's bytes.
  (func (export "checksum") (param $f (ref $frame)) (result i32)
    (local $i i32) (local $len i32) (local $sum i32)
    (local.set $len (array.len (local.get $f)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $sum (i32.add (local.get $sum) (array.get_u $frame (local.get $f) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum)))
