namespace Weft.Tests.Execution;

public class NumericTests
{
    private static readonly Instance s_numeric = Wat.Instantiate("""
        (module
          (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
          (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
          (func (export "trunc_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
          (func (export "trunc_sat_s") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
          (func (export "trunc_sat_u") (param f32) (result i32) (i32.trunc_sat_f32_u (local.get 0)))
          (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
          (func (export "max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
          (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
          (func (export "copysign") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
          (func (export "neg") (param f64) (result f64) (f64.neg (local.get 0)))
          (func (export "u64_to_f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
          (func (export "u64_to_f64") (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
          (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
          (func (export "ext32") (param i64) (result i64) (i64.extend32_s (local.get 0)))
          (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
          (func (export "rotr64") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
          (func (export "mul_one") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 1)))
          (func (export "promote_demote") (param f32) (result f32) (f32.demote_f64 (f64.promote_f32 (local.get 0))))
        )
        """);

    [Fact]
    public void IntegerDivisionTrapsExactlyAsTheSpecSays()
    {
        Assert.Equal(TrapKind.IntegerDivideByZero, s_numeric.Traps("div_s", 1, 0).Kind);
        Assert.Equal("integer overflow", s_numeric.Traps("div_s", int.MinValue, -1).Reason);
        Assert.Equal(-3, s_numeric.CallI32("div_s", -7, 2));
        Assert.Equal(0, s_numeric.CallI32("rem_s", int.MinValue, -1));
        Assert.Equal(-1, s_numeric.CallI32("rem_s", -7, 2));
        Assert.Equal(0L, s_numeric.Call("rem_s64", long.MinValue, -1L)[0].AsInt64());
        Assert.Equal(long.MaxValue, s_numeric.Call("div_u64", -1L, 2L)[0].AsInt64());
        Assert.Equal(TrapKind.IntegerDivideByZero, s_numeric.Traps("div_u64", 1L, 0L).Kind);
    }

    [Fact]
    public void TruncationTrapsOnNaNAndOutOfRange()
    {
        Assert.Equal("invalid conversion to integer", s_numeric.Traps("trunc_s", float.NaN).Reason);
        Assert.Equal("integer overflow", s_numeric.Traps("trunc_s", 2147483648f).Reason);
        Assert.Equal(int.MinValue, s_numeric.CallI32("trunc_s", -2147483648f));
        Assert.Equal(-2, s_numeric.CallI32("trunc_s", -2.9f));
        Assert.Equal(unchecked((long)18446744073709549568UL), s_numeric.Call("trunc_u64", 18446744073709549568.0)[0].AsInt64());
        Assert.Equal("integer overflow", s_numeric.Traps("trunc_u64", 18446744073709551616.0).Reason);
        Assert.Equal(0L, s_numeric.Call("trunc_u64", -0.99)[0].AsInt64());
    }

    [Fact]
    public void SaturatingTruncationClamps()
    {
        Assert.Equal(0, s_numeric.CallI32("trunc_sat_s", double.NaN));
        Assert.Equal(int.MaxValue, s_numeric.CallI32("trunc_sat_s", 1e300));
        Assert.Equal(int.MinValue, s_numeric.CallI32("trunc_sat_s", double.NegativeInfinity));
        Assert.Equal(-1, s_numeric.CallI32("trunc_sat_u", 5e9f));
        Assert.Equal(0, s_numeric.CallI32("trunc_sat_u", -5f));
    }

    [Fact]
    public void MinMaxFollowNaNAndSignedZeroRules()
    {
        uint Bits(WasmValue v) => (uint)v.Bits;
        Assert.Equal(0x80000000u, Bits(s_numeric.Call("min", 0f, -0f)[0]));
        Assert.Equal(0x80000000u, Bits(s_numeric.Call("min", -0f, 0f)[0]));
        Assert.Equal(0UL, s_numeric.Call("max", -0.0, 0.0)[0].Bits);
        var nan = s_numeric.Call("min", WasmValue.FromSingleBits(0x7FA00000), 1f)[0];
        Assert.True(float.IsNaN(nan.AsSingle()));
        Assert.NotEqual(0u, Bits(nan) & 0x00400000); // made quiet
    }

    [Fact]
    public void SignOperationsArePureBitOperations()
    {
        var payload = WasmValue.FromSingleBits(0x7FA00001);
        Assert.Equal(0xFFA00001u, (uint)s_numeric.Call("copysign", payload, -1f)[0].Bits);
        Assert.Equal(0xFFF4000000000001UL, s_numeric.Call("neg", WasmValue.FromDoubleBits(0x7FF4000000000001))[0].Bits);
    }

    [Fact]
    public void NearestRoundsHalfToEven()
    {
        Assert.Equal(2.0, s_numeric.Call("nearest", 2.5)[0].AsDouble());
        Assert.Equal(-4.0, s_numeric.Call("nearest", -3.5)[0].AsDouble());
        Assert.Equal(0x8000000000000000UL, s_numeric.Call("nearest", -0.4)[0].Bits);
    }

    [Fact]
    public void UnsignedConversionsRoundOnce()
    {
        // 2^64 - 1 rounds up to 2^64 in both widths; 0x8000_0080_0000_0001 needs the sticky bit to round up in f32.
        Assert.Equal(18446744073709551616f, s_numeric.Call("u64_to_f32", -1L)[0].AsSingle());
        Assert.Equal(18446744073709551616.0, s_numeric.Call("u64_to_f64", -1L)[0].AsDouble());
        Assert.Equal(9223373136366403584f, s_numeric.Call("u64_to_f32", unchecked((long)0x8000008000000001UL))[0].AsSingle());
    }

    [Fact]
    public void SignExtensionAndShiftsMaskCounts()
    {
        Assert.Equal(-128, s_numeric.CallI32("ext8", 0x180));
        Assert.Equal(-1L, s_numeric.Call("ext32", 0xFFFFFFFFL)[0].AsInt64());
        Assert.Equal(2, s_numeric.CallI32("shl", 1, 33));
        Assert.Equal(long.MinValue, s_numeric.Call("rotr64", 1L, 65L)[0].AsInt64());
    }

    [Fact]
    public void SignalingNaNsAreQuietedNotFoldedAway()
    {
        var snan = WasmValue.FromSingleBits(0x7FA00000);
        Assert.Equal(0x7FE00000u, (uint)s_numeric.Call("mul_one", snan)[0].Bits);
        Assert.Equal(0x7FE00000u, (uint)s_numeric.Call("promote_demote", snan)[0].Bits);
    }

    [Fact]
    public void NaNPayloadsSurviveLocalsGlobalsMemoryCallsAndSelect()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory 1)
              (global $g (mut f32) (f32.const 0))
              (func $id (param f32) (result f32) (local.get 0))
              (func (export "roundtrip") (param f32 i32) (result f32) (local f32)
                (local.set 2 (call $id (local.get 0)))
                (global.set $g (local.get 2))
                (f32.store (i32.const 8) (global.get $g))
                (select (f32.load (i32.const 8)) (f32.const 1) (local.get 1)))
              (func (export "const") (result f64) (f64.const nan:0x4000000000001))
            )
            """);
        var signaling = WasmValue.FromSingleBits(0x7F800123);
        Assert.Equal(0x7F800123u, (uint)instance.Call("roundtrip", signaling, 1)[0].Bits);
        Assert.Equal(0x7FF4000000000001UL, instance.Call("const")[0].Bits);
    }

    [Fact]
    public void ExtendedConstantExpressionsEvaluate()
    {
        var instance = Wat.Instantiate("""
            (module
              (global $base i32 (i32.const 1000))
              (global (export "g") i32 (i32.add (global.get $base) (i32.mul (i32.const 3) (i32.const 7))))
              (global (export "h") i64 (i64.sub (i64.const 0) (i64.const 5))))
            """);
        Assert.Equal(1021, instance.GetGlobal("g")!.Value.AsInt32());
        Assert.Equal(-5L, instance.GetGlobal("h")!.Value.AsInt64());
    }
}
