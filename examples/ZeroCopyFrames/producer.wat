;; Produces frames: GC byte arrays, (array (mut i8)), which the host and other instances use in place.
(module
  (type $frame (array (mut i8)))

  ;; A new frame of $len bytes holding $seed, $seed+1, ... (mod 256).
  (func (export "produce") (param $len i32) (param $seed i32) (result (ref $frame))
    (local $f (ref $frame)) (local $i i32)
    (local.set $f (array.new_default $frame (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (array.set $frame (local.get $f) (local.get $i) (i32.add (local.get $seed) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $f))

  ;; Byte $i of a frame.
  (func (export "peek") (param $f (ref $frame)) (param $i i32) (result i32)
    (array.get_u $frame (local.get $f) (local.get $i))))
