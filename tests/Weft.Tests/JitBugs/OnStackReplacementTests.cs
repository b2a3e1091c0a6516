using Weft.Tests.Execution;

namespace Weft.Tests.JitBugs;

/// <summary>
/// The optimized tier of a tiered store. Call counting takes seconds to replace a large module's first tier (5.6 s
/// for the 1,100 functions of the i32 rotate test on this 2-core machine), so these functions instead run their case
/// in a long loop: .NET then switches the running tier-0 method to optimized code (on-stack replacement) within the
/// call, and every iteration after the switch runs the code the bugs are in. Each loop counts correct answers.
/// </summary>
public class OnStackReplacementTests
{
    private const int Iterations = 200_000;

    private static readonly Instance s_instance = new Linker().Instantiate(new Store { TieredCompilation = true }, WasmModule.FromText("""
        (module
          (memory 1)
          (data (i32.const 0) "\01\82\03\84")
          ;; the word at x is 0 (a load sets no flags; the loop's subtraction before it leaves ZF clear): the rotate is 0
          ;; and the else arm counts every time
          (func (export "rotate") (param $x i32) (param $n i32) (result i32) (local $ok i32)
            (loop $l
              (if (i32.rotr (i32.load (local.get $x)) (i32.const 1))
                (then) (else (local.set $ok (i32.add (local.get $ok) (i32.const 1)))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $ok))
          ;; y = 0: the xor of the two shifts is 0 every time
          (func (export "pair") (param $x i32) (param $y i32) (param $n i32) (result i32) (local $ok i32)
            (loop $l
              (local.set $ok (i32.add (local.get $ok)
                (i32.eqz (i32.xor (i32.shl (local.get $x) (local.get $y)) (i32.shr_u (local.get $x) (i32.sub (i32.const 32) (local.get $y)))))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $ok))
          ;; the byte at 0 is 1: its reinterpretation has the bits 0x00000001 every time
          (func (export "narrow") (param $p i32) (param $n i32) (result i32) (local $ok i32)
            (loop $l
              (local.set $ok (i32.add (local.get $ok)
                (i32.eq (i32.reinterpret_f32 (f32.reinterpret_i32 (i32.load8_u (local.get $p)))) (i32.const 1))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $ok))
        )
        """));

    [Fact]
    public void RotateCompareStaysRightAfterTheSwitchToOptimizedCode() =>
        Assert.Equal(Iterations, s_instance.Call("rotate", 8, Iterations)[0].AsInt32());

    [Fact]
    public void ShiftPairXorStaysRightAfterTheSwitchToOptimizedCode() =>
        Assert.Equal(Iterations, s_instance.Call("pair", 0x12345678, 0, Iterations)[0].AsInt32());

    [Fact]
    public void NarrowReinterpretStaysRightAfterTheSwitchToOptimizedCode() =>
        Assert.Equal(Iterations, s_instance.Call("narrow", 0, Iterations)[0].AsInt32());
}
