;; Found by tools/Weft.Fuzz (case multi-memory-s1-385, reduced to 109 lines): a rotate whose result is tested
;; directly by `if`. Optimized code (Store.TieredCompilation = false) took the zero branch for -28 rotr 15 (x86's
;; rotate does not set the zero flag the branch reads); tier-0 code and binaryen's interpreter trapped in the taken
;; branch. phi-rotr-if (0) reproduces it; the simpler shapes are guards.
;; Fixed by the RyuJIT workarounds (dotnet/runtime#129288; docs/RATIONALE.md).
(module
  (global $g (mut i32) (i32.const -28))
  (global $h (mut i64) (i64.const -28))
  (func (export "i32.rotr-if") (result i32)
    (if (result i32) (i32.rotr (global.get $g) (i32.const 15)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "i32.rotl-if") (result i32)
    (if (result i32) (i32.rotl (global.get $g) (i32.const 15)) (then (i32.const 1)) (else (i32.const 0))))
  (func $id (param i32) (result i32) (local.get 0))
  (func (export "phi-rotr-if") (param $c i32) (result i32)
    (if (result i32)
      (i32.rotr
        (if (result i32) (local.get $c) (then (call $id (global.get $g))) (else (i32.const -28)))
        (i32.const 15))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "i64.rotr-if") (result i32)
    (if (result i32) (i64.ne (i64.rotr (global.get $h) (i64.const 15)) (i64.const 0)) (then (i32.const 1)) (else (i32.const 0))))
)
(assert_return (invoke "i32.rotr-if") (i32.const 1))
(assert_return (invoke "i32.rotl-if") (i32.const 1))
(assert_return (invoke "i64.rotr-if") (i32.const 1))
(assert_return (invoke "phi-rotr-if" (i32.const 0)) (i32.const 1))
(assert_return (invoke "phi-rotr-if" (i32.const 1)) (i32.const 1))
