;; The consumer: owns the output frames, GC arrays of bytes, and reads what the filter wrote into them with Weft's
;; SIMD builtins over GC arrays (docs/BUILTINS-ARRAY-SIMD.md; load the module with the "weft:array-simd" builtin set,
;; or link WasmModuleOptions.ArraySimdPolyfill under that name on an engine without it).
(module
  (type $bytes (array (mut i8)))
  (import "weft:array-simd" "load_i8" (func $load (param (ref null $bytes) i32) (result v128)))
  (func (export "new_frame") (param $n i32) (result (ref $bytes)) (array.new_default $bytes (local.get $n)))

  ;; How many pixels of a frame are at least $threshold: 16 at a time, then the rest one at a time.
  (func (export "count_at_least") (param $a (ref $bytes)) (param $threshold i32) (result i32)
    (local $i i32) (local $n i32) (local $count i32) (local $splat v128)
    (local.set $n (array.len (local.get $a)))
    (local.set $splat (i8x16.splat (local.get $threshold)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $count (i32.add (local.get $count)
          (i32.popcnt (i8x16.bitmask (i8x16.ge_u (call $load (local.get $a) (local.get $i)) (local.get $splat))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $count (i32.add (local.get $count)
          (i32.ge_u (array.get_u $bytes (local.get $a) (local.get $i)) (local.get $threshold))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (local.get $count))

  (func (export "pixel") (param $a (ref $bytes)) (param $i i32) (result i32) (array.get_u $bytes (local.get $a) (local.get $i))))
