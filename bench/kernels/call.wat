;; Entry points for measuring the cost of a call from the host.
(module
  (func (export "nop"))
  (func (export "add4") (param i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))))
