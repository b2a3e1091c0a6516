using System.Reflection;
using System.Runtime.Intrinsics;
using Weft.Compilation;
using Weft.Runtime;
using Weft.Syntax;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Tests.Simd;

/// <summary>Vector instructions through the compiler: coverage, bounds-checked memory forms, constants, tiers.</summary>
public class SimdCompilerTests
{
    private static bool IsVectorOpcode(Opcode op) => ((int)op >> 12) == 0xFD;

    [Fact]
    public void EveryVectorOpcodeHasAnEmitter()
    {
        var vector = Enum.GetValues<Opcode>().Where(IsVectorOpcode).ToArray();
        Assert.Equal(256, vector.Length);   // 236 SIMD + 20 relaxed SIMD
        var missing = vector.Where(op => op is not (Opcode.V128Const or Opcode.I8x16Shuffle) && !FunctionCompiler.SupportsSimd(op));
        Assert.Empty(missing);
    }

    [Fact]
    public void HelperSignaturesMatchTheirOpcodes()
    {
        Type[] values = [typeof(int), typeof(long), typeof(float), typeof(double), typeof(V128)];
        foreach (var method in typeof(SimdOps).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (!Enum.TryParse<Opcode>(method.Name, out var op) || !IsVectorOpcode(op)) continue;
            var parameters = method.GetParameters();
            var operands = parameters.AsEnumerable();
            switch (OpcodeTable.Get(op).Immediates)
            {
                case ImmediateKind.Lane:
                    Assert.Equal("lane", parameters[^1].Name);
                    operands = operands.SkipLast(1);
                    break;
                case ImmediateKind.MemArgLane:
                    Assert.Equal("lane", parameters[^1].Name);
                    Assert.Equal(typeof(byte*), parameters[0].ParameterType);
                    operands = operands.Skip(1).SkipLast(1);
                    break;
                case ImmediateKind.MemArg:
                    Assert.Equal(typeof(byte*), parameters[0].ParameterType);
                    operands = operands.Skip(1);
                    break;
            }
            Assert.All(operands, p => Assert.Contains(p.ParameterType, values));
            Assert.True(method.ReturnType == typeof(void) || values.Contains(method.ReturnType), $"{method.Name} returns {method.ReturnType}");
        }
    }

    // ---- memory

    private sealed record Access(string Name, int Size, bool TakesVector, bool Returns, int? Lane = null);

    private static readonly Access[] s_accesses =
    [
        new("load", 16, false, true),
        new("load8x8_s", 8, false, true),
        new("load16x4_u", 8, false, true),
        new("load32x2_s", 8, false, true),
        new("load8_splat", 1, false, true),
        new("load16_splat", 2, false, true),
        new("load32_splat", 4, false, true),
        new("load64_splat", 8, false, true),
        new("load32_zero", 4, false, true),
        new("load64_zero", 8, false, true),
        new("load8_lane", 1, true, true, 15),
        new("load16_lane", 2, true, true, 7),
        new("load32_lane", 4, true, true, 3),
        new("load64_lane", 8, true, true, 1),
        new("store", 16, true, false),
        new("store8_lane", 1, true, false, 15),
        new("store16_lane", 2, true, false, 7),
        new("store32_lane", 4, true, false, 3),
        new("store64_lane", 8, true, false, 1),
    ];

    private static Instance Instantiate(string wat) => new Linker().Instantiate(new Store(), WasmModule.FromText(wat));

    /// <summary>A module with one export per access form, named after it: (param address v128) (result v128)?.</summary>
    private static string AccessModule(string addressType, string memArg)
    {
        var functions = s_accesses.Select(a =>
            $"(func (export \"{a.Name}\") (param {addressType} v128) {(a.Returns ? "(result v128)" : "")}" +
            $" (v128.{a.Name} {memArg} {a.Lane} (local.get 0) {(a.TakesVector ? "(local.get 1)" : "")}))");
        return $"(module (memory (export \"memory\") {addressType} 1) {string.Join("\n", functions)})";
    }

    private static WasmValue Address(bool is64, ulong address) => is64 ? WasmValue.FromInt64((long)address) : WasmValue.FromInt32((int)address);

    [Theory]
    [InlineData("i32", 0UL)]
    [InlineData("i32", 100UL)]
    [InlineData("i64", 0UL)]
    [InlineData("i64", 100UL)]
    public void EveryMemoryFormIsBoundsCheckedForItsOwnSize(string addressType, ulong offset)
    {
        bool is64 = addressType == "i64";
        var instance = Instantiate(AccessModule(addressType, offset == 0 ? "" : $"offset={offset}"));
        var vector = WasmValue.FromVector(Vector128.Create((byte)0x5A));
        const ulong length = Memory.DefaultPageSize;
        foreach (var access in s_accesses)
        {
            var function = instance.GetFunction(access.Name)!;
            ulong last = length - (ulong)access.Size - offset;
            function.Invoke(Address(is64, last), vector);
            var trap = Assert.Throws<TrapException>(() => function.Invoke(Address(is64, last + 1), vector));
            Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, trap.Kind);
            // An address near the top of the address space must not wrap around into the memory.
            trap = Assert.Throws<TrapException>(() => function.Invoke(Address(is64, is64 ? ulong.MaxValue - 2 : uint.MaxValue - 2), vector));
            Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, trap.Kind);
        }
    }

    [Fact]
    public void LoadsExtendSplatAndZeroTheRightBytes()
    {
        var instance = Instantiate(AccessModule("i32", ""));
        var memory = instance.GetMemory("memory")!;
        byte[] bytes = [0x80, 0x01, 0xFF, 0x7F, 0x00, 0x80, 0x34, 0x12, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x11, 0x22];
        bytes.CopyTo(memory.Span[1000..]);
        var zero = WasmValue.FromVector(V128.Zero);
        V128 Load(string name) => instance.GetFunction(name)!.Invoke(WasmValue.FromInt32(1000), zero)[0].AsVector();

        Assert.Equal(Vector128.Create(bytes), Load("load"));
        Assert.Equal(Vector128.Create((short)-128, 1, -1, 127, 0, -128, 0x34, 0x12), Load("load8x8_s").AsInt16());
        Assert.Equal(Vector128.Create(0x0180u, 0x7FFF, 0x8000, 0x1234), Load("load16x4_u").AsUInt32());
        Assert.Equal(Vector128.Create(0x7FFF0180L, 0x12348000L), Load("load32x2_s").AsInt64());
        Assert.Equal(Vector128.Create((byte)0x80), Load("load8_splat"));
        Assert.Equal(Vector128.Create((ushort)0x0180), Load("load16_splat").AsUInt16());
        Assert.Equal(Vector128.Create(0x7FFF0180u), Load("load32_splat").AsUInt32());
        Assert.Equal(Vector128.Create(0x12348000_7FFF0180ul), Load("load64_splat").AsUInt64());
        Assert.Equal(Vector128.Create(0x7FFF0180u, 0, 0, 0), Load("load32_zero").AsUInt32());
        Assert.Equal(Vector128.Create(0x12348000_7FFF0180ul, 0), Load("load64_zero").AsUInt64());
        Assert.Equal(V128.Zero.WithElement(15, (byte)0x80), Load("load8_lane"));
        Assert.Equal(Vector128<ulong>.Zero.WithElement(1, 0x12348000_7FFF0180ul), Load("load64_lane").AsUInt64());
    }

    [Fact]
    public void LaneStoresWriteOnlyTheirLane()
    {
        var instance = Instantiate(AccessModule("i64", "offset=8"));
        var memory = instance.GetMemory("memory")!;
        memory.Span[..64].Fill(0xEE);
        var value = WasmValue.FromVector(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        instance.GetFunction("store16_lane")!.Invoke(WasmValue.FromInt64(0), value);
        instance.GetFunction("store64_lane")!.Invoke(WasmValue.FromInt64(16), value);
        Assert.Equal([0xEE, 14, 15, 0xEE], memory.Span[7..11].ToArray());
        Assert.Equal([0xEE, 8, 9, 10, 11, 12, 13, 14, 15, 0xEE], memory.Span[23..33].ToArray());
    }

    // ---- constants under full optimization

    /// <summary>Compiles with every function fully optimized on first call (RyuJIT's folds apply) and returns an export.</summary>
    private static Func<V128[], V128> Optimized(string wat, string export)
    {
        var module = WasmModule.FromText(wat);
        var compiled = ModuleCompiler.Compile(module.Syntax, module.Valid, new CodeOptions { AggressiveOptimization = true });
        var context = compiled.CreateContext();
        context.Store = new Store();
        uint index = module.Syntax.Exports.Single(e => e.Name == export).Index;
        var method = compiled.ContextType.GetMethod($"f{index}")!;
        return args => (V128)method.Invoke(null, [.. args.Cast<object>(), context])!;
    }

    [Theory]
    [InlineData("f32x4.mul", "f32x4 1 1 1 1")]
    [InlineData("f32x4.div", "f32x4 1 1 1 1")]
    [InlineData("f32x4.sub", "i32x4 0 0 0 0")]
    [InlineData("f32x4.add", "f32x4 -0 -0 -0 -0")]
    [InlineData("f32x4.mul", "f32x4 -1 -1 -1 -1")]
    [InlineData("f64x2.mul", "f64x2 1 1")]
    [InlineData("f64x2.sub", "f64x2 0 0")]
    [InlineData("f64x2.add", "f64x2 -0 -0")]
    [InlineData("f64x2.div", "f64x2 -1 -1")]
    public void IdentityConstantsStillQuietSignalingNaNs(string instruction, string constant)
    {
        var run = Optimized($"(module (func (export \"f\") (param v128) (result v128) ({instruction} (local.get 0) (v128.const {constant}))))", "f");
        bool f32 = instruction.StartsWith("f32", StringComparison.Ordinal);
        var signaling = f32 ? Vector128.Create(0x7FA0_0000u).AsByte() : Vector128.Create(0x7FF4_0000_0000_0000ul).AsByte();
        var result = run([signaling]);
        if (f32) Assert.All(Lanes.F32Bits(result), bits => Assert.True(Lanes.IsArithmeticNaN(bits), $"0x{bits:x8}"));
        else Assert.All(Lanes.F64Bits(result), bits => Assert.True(Lanes.IsArithmeticNaN(bits), $"0x{bits:x16}"));
    }

    [Fact]
    public void ConstantsAndShufflesKeepEveryBit()
    {
        const string wat = """
            (module
              (func (export "const") (result v128) (v128.const i32x4 0x7fa00001 0xffffffff 0 0x80000000))
              (func (export "zero") (result v128) (v128.const i64x2 0 0))
              (func (export "shuffle") (param v128 v128) (result v128)
                (i8x16.shuffle 31 0 30 1 29 2 28 3 16 15 17 14 18 13 19 12 (local.get 0) (local.get 1))))
            """;
        var a = Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var b = a + Vector128.Create((byte)16);
        var expected = Vector128.Create((byte)31, 0, 30, 1, 29, 2, 28, 3, 16, 15, 17, 14, 18, 13, 19, 12);
        Assert.Equal(Vector128.Create(0x7FA00001u, 0xFFFFFFFF, 0, 0x80000000), Optimized(wat, "const")([]).AsUInt32());
        Assert.Equal(V128.Zero, Optimized(wat, "zero")([]));
        Assert.Equal(expected, Optimized(wat, "shuffle")([a, b]));
        var instance = Instantiate(wat);
        Assert.Equal(expected, instance.GetFunction("shuffle")!.Invoke(WasmValue.FromVector(a), WasmValue.FromVector(b))[0].AsVector());
    }

    [Fact]
    public void RelaxedResultsAreTheSameOptimizedOrNot()
    {
        const string wat = """
            (module
              (func (export "madd") (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
              (func (export "min") (param v128 v128 v128) (result v128) (f32x4.relaxed_min (local.get 0) (local.get 1)))
              (func (export "swizzle") (param v128 v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
              (func (export "trunc") (param v128 v128 v128) (result v128) (i32x4.relaxed_trunc_f32x4_s (local.get 0)))
              (func (export "q15") (param v128 v128 v128) (result v128) (i16x8.relaxed_q15mulr_s (local.get 0) (local.get 1)))
              (func (export "dot") (param v128 v128 v128) (result v128) (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2))))
            """;
        var instance = Instantiate(wat);
        var a = Vector128.Create(float.MaxValue, -0f, float.NaN, 3e9f).AsByte();
        var b = Vector128.Create(2f, 0f, 1f, 1.00000012f).AsByte() | Vector128.Create((byte)0x80).WithElement(0, (byte)0x70);
        var c = Vector128.Create(-float.MaxValue, 1f, 1f, -1f).AsByte();
        foreach (var name in new[] { "madd", "min", "swizzle", "trunc", "q15", "dot" })
        {
            var plain = instance.GetFunction(name)!.Invoke(WasmValue.FromVector(a), WasmValue.FromVector(b), WasmValue.FromVector(c))[0].AsVector();
            var optimized = Optimized(wat, name)([a, b, c]);
            Assert.True(plain == optimized, $"{name}: {Lanes.Hex(plain)} vs {Lanes.Hex(optimized)} optimized");
        }
    }
}
