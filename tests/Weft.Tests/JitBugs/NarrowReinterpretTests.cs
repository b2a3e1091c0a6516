using System.Buffers.Binary;
using System.Text;
using Weft.Tests.Execution;

namespace Weft.Tests.JitBugs;

/// <summary>
/// dotnet/runtime#133580: RyuJIT turned a bitcast of a one- or two-byte load into a four-byte float load, so
/// <c>(f32.reinterpret_i32 (i32.load8_u p))</c> gave the float of the whole word at p. Every narrow load, of every
/// width and signedness, reinterpreted as f32/f64 and also back to an integer, with the address from a parameter, a
/// local, a global, memory, a constant, and the loaded value passed through a local first.
/// </summary>
public class NarrowReinterpretTests
{
    // Neighbouring bytes differ and half have the top bit set, so both a wider read and a wrong extension show.
    private static readonly byte[] s_data = [0x81, 0x02, 0xF3, 0x04, 0x85, 0x96, 0x07, 0xF8, 0x09, 0x8A, 0x0B, 0x0C, 0xFD, 0x0E, 0x7F, 0x90];

    private static readonly (string Load, int Size, bool Signed, bool Wide)[] s_loads =
    [
        ("i32.load8_s", 1, true, false), ("i32.load8_u", 1, false, false), ("i32.load16_s", 2, true, false), ("i32.load16_u", 2, false, false),
        ("i64.load8_s", 1, true, true), ("i64.load8_u", 1, false, true), ("i64.load16_s", 2, true, true), ("i64.load16_u", 2, false, true),
        ("i64.load32_s", 4, true, true), ("i64.load32_u", 4, false, true),
        ("i32.load", 4, false, false), ("i64.load", 8, false, true),
    ];

    /// <summary>Where the address comes from: name and the wasm that produces it (the parameter is the address).</summary>
    private static readonly (string Name, string Setup, string Address, int Offset)[] s_addresses =
    [
        ("param", "", "(local.get $p)", 0),
        ("local", "(local.set $q (local.get $p))", "(local.get $q)", 0),
        ("global", "(global.set $g (local.get $p))", "(global.get $g)", 0),
        ("memory", "(i32.store (i32.const 64) (local.get $p))", "(i32.load (i32.const 64))", 0),
        ("offset", "", "(local.get $p)", 3),
    ];

    private static string Module()
    {
        var text = new StringBuilder("(module\n  (memory 1)\n  (global $g (mut i32) (i32.const 0))\n");
        text.Append("  (data (i32.const 0) \"").Append(string.Concat(s_data.Select(b => $"\\{b:x2}"))).Append("\")\n");
        foreach (var (load, _, _, wide) in s_loads)
        {
            string it = wide ? "i64" : "i32", ft = wide ? "f64" : "f32";
            foreach (var (name, setup, address, offset) in s_addresses)
            {
                string loaded = offset == 0 ? $"({load} {address})" : $"({load} offset={offset} {address})";
                string locals = $"(local $q i32) (local $v {it})";
                text.Append($"  (func (export \"{load}_{name}_float\") (param $p i32) (result {ft}) {locals} {setup} ({ft}.reinterpret_{it} {loaded}))\n");
                text.Append($"  (func (export \"{load}_{name}_back\") (param $p i32) (result {it}) {locals} {setup} ({it}.reinterpret_{ft} ({ft}.reinterpret_{it} {loaded})))\n");
                text.Append($"  (func (export \"{load}_{name}_vialocal\") (param $p i32) (result {ft}) {locals} {setup} (local.set $v {loaded}) ({ft}.reinterpret_{it} (local.get $v)))\n");
            }
            text.Append($"  (func (export \"{load}_const\") (result {ft}) ({ft}.reinterpret_{it} ({load} (i32.const 5))))\n");
        }
        return text.Append(')').ToString();
    }

    /// <summary>The loaded value's bits, computed from the bytes: little-endian, then zero- or sign-extended.</summary>
    private static ulong Expected(int size, bool signed, bool wide, int address)
    {
        var bytes = s_data.AsSpan(address, size);
        ulong value = size switch
        {
            1 => signed ? (ulong)(sbyte)bytes[0] : bytes[0],
            2 => signed ? (ulong)BinaryPrimitives.ReadInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => signed ? (ulong)BinaryPrimitives.ReadInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        };
        return wide ? value : (uint)value;
    }

    [Theory]
    [MemberData(nameof(JitBugStores.Kinds), MemberType = typeof(JitBugStores))]
    public void NarrowLoadsReinterpretedKeepOnlyTheirExtendedBytes(string kind)
    {
        var instance = JitBugStores.Instantiate(kind, Module());
        var failures = new List<string>();
        foreach (var (load, size, signed, wide) in s_loads)
        {
            foreach (var (name, _, _, offset) in s_addresses)
            {
                foreach (var shape in new[] { "float", "back", "vialocal" })
                {
                    var function = instance.GetFunction($"{load}_{name}_{shape}")!;
                    for (int address = 0; address + offset + size <= 12; address++)
                    {
                        ulong expected = Expected(size, signed, wide, address + offset);
                        ulong got = function.Invoke(address)[0].Bits;
                        if (got != expected) failures.Add($"{load}_{name}_{shape}({address}) = 0x{got:X}, expected 0x{expected:X}");
                    }
                }
            }
            ulong atFive = instance.GetFunction($"{load}_const")!.Invoke()[0].Bits;
            if (atFive != Expected(size, signed, wide, 5)) failures.Add($"{load}_const = 0x{atFive:X}, expected 0x{Expected(size, signed, wide, 5):X}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} wrong results under the {kind} store:\n" + string.Join('\n', failures.Take(40)));
    }

    [Fact]
    public void TheReportedCasesGiveTheirHandDerivedBits()
    {
        var instance = Wat.Instantiate("""
            (module (memory 1) (data (i32.const 0) "\01\02\03\04\85\86\87\88")
              (func (export "u8") (param i32) (result f32) (f32.reinterpret_i32 (i32.load8_u (local.get 0))))
              (func (export "s8") (param i32) (result f32) (f32.reinterpret_i32 (i32.load8_s (local.get 0))))
              (func (export "u16") (param i32) (result f32) (f32.reinterpret_i32 (i32.load16_u (local.get 0))))
              (func (export "back") (param i32) (result i32) (i32.reinterpret_f32 (f32.reinterpret_i32 (i32.load8_u (local.get 0))))))
            """);
        Assert.Equal(0x00000001u, (uint)instance.Call("u8", 0)[0].Bits);
        Assert.Equal(0xFFFFFF85u, (uint)instance.Call("s8", 4)[0].Bits);
        Assert.Equal(0x00000201u, (uint)instance.Call("u16", 0)[0].Bits);
        Assert.Equal(0x00000001, instance.CallI32("back", 0));
    }
}
