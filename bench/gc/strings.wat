;; String building through the wasm:js-string builtins, as dart2wasm and J2CL emit it: decimal digits of numbers
;; appended one code unit at a time with concat, words joined into lines, lines measured and hashed with
;; charCodeAt. Compiled with the builtins (Weft: WasmModuleOptions.Builtins "js-string"; V8: {builtins: ['js-string']}).
(module
  (import "wasm:js-string" "concat" (func $concat (param externref externref) (result (ref extern))))
  (import "wasm:js-string" "fromCharCode" (func $fromCharCode (param i32) (result (ref extern))))
  (import "wasm:js-string" "length" (func $length (param externref) (result i32)))
  (import "wasm:js-string" "charCodeAt" (func $charCodeAt (param externref i32) (result i32)))
  ;; The decimal text of n (n >= 0), most significant digit first.
  (func $digits (param $n i32) (result (ref extern))
    (local $s (ref extern))
    (local.set $s (call $fromCharCode (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10)))))
    (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (call $concat (call $fromCharCode (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10)))) (local.get $s)))
        (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
        (br $more)))
    (local.get $s))
  ;; One line: "<i>,<i*7>,...<i*7^k>;" for k < 8, then its hash.
  (func $line (param $i i32) (result i32)
    (local $s (ref extern)) (local $k i32) (local $v i32) (local $h i32) (local $j i32) (local $len i32)
    (local.set $s (call $fromCharCode (i32.const 91)))
    (local.set $v (local.get $i))
    (loop $words
      (local.set $s (call $concat (call $concat (local.get $s) (call $digits (i32.and (local.get $v) (i32.const 0xfffff)))) (call $fromCharCode (i32.const 44))))
      (local.set $v (i32.mul (local.get $v) (i32.const 7)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $words (i32.lt_u (local.get $k) (i32.const 8))))
    (local.set $len (call $length (local.get $s)))
    (local.set $h (local.get $len))
    (loop $hash
      (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31)) (call $charCodeAt (local.get $s) (local.get $j))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $hash (i32.lt_u (local.get $j) (local.get $len))))
    (local.get $h))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $loop
      (local.set $acc (i32.xor (i32.rotl (local.get $acc) (i32.const 5)) (call $line (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $loop (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
