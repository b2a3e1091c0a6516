;; The filter: brightens a grayscale frame with saturating SIMD adds, reading the frame where the host produced it.
;; Like C compiled with wasm-ld --import-memory, it imports its own memory 0 (its state, which nothing else uses);
;; memory 1 is the input frame (a native host buffer, mapped in place for the call) and memory 2 the output frame
;; (the consumer's GC (array (mut i8)), mapped for the call). Both have 1-byte pages: their length is the frame's.
(module
  (import "env" "memory" (memory $state 1))
  (import "frame" "input" (memory $in 0 (pagesize 1)))
  (import "frame" "output" (memory $out 0 (pagesize 1)))

  ;; State (memory 0): [0] brightness to add (0-255), [4] frames processed, [8] saturated pixels of the last frame.
  (func (export "set_brightness") (param $b i32) (i32.store $state (i32.const 0) (local.get $b)))
  (func (export "frames") (result i32) (i32.load $state (i32.const 4)))

  ;; out[i] = min(in[i] + brightness, 255) for the whole frame; returns how many output pixels are 255.
  (func (export "process") (result i32)
    (local $i i32) (local $n i32) (local $add v128) (local $white v128) (local $v v128) (local $saturated i32)
    (local.set $n (memory.size $in))
    (if (i32.ne (local.get $n) (memory.size $out)) (then unreachable))
    (local.set $add (i8x16.splat (i32.load $state (i32.const 0))))
    (local.set $white (i8x16.splat (i32.const 255)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $v (i8x16.add_sat_u (v128.load $in (local.get $i)) (local.get $add)))
        (v128.store $out (local.get $i) (local.get $v))
        (local.set $saturated (i32.add (local.get $saturated)
          (i32.popcnt (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $white))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    ;; the last bytes of a frame whose length is not a multiple of 16, one at a time
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (i8x16.add_sat_u (i8x16.splat (i32.load8_u $in (local.get $i))) (local.get $add)))
        (i32.store8 $out (local.get $i) (i8x16.extract_lane_u 0 (local.get $v)))
        (local.set $saturated (i32.add (local.get $saturated)
          (i32.eq (i8x16.extract_lane_u 0 (local.get $v)) (i32.const 255))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (i32.store $state (i32.const 4) (i32.add (i32.load $state (i32.const 4)) (i32.const 1)))
    (i32.store $state (i32.const 8) (local.get $saturated))
    (local.get $saturated))

  ;; Single bytes of the mapped frames, for the host to check it sees the same storage.
  (func (export "input_byte") (param $i i32) (result i32) (i32.load8_u $in (local.get $i)))
  (func (export "stamp_input") (param $i i32) (param $v i32) (i32.store8 $in (local.get $i) (local.get $v))))
