using Weft.Tests.Conformance;
using System.Text;
using Weft.Binary;
using Weft.Script;
using Weft.Syntax;
using Weft.Text;
using Xunit.Abstractions;

namespace Weft.Tests.Text;

public class WatWriterTests(ITestOutputHelper output)
{
    /// <summary>Everything in a module, as text, so that two modules compare with one string comparison.</summary>
    internal static string Fingerprint(Module m)
    {
        var s = new StringBuilder();
        static string Hex(ReadOnlyMemory<byte> b) => Convert.ToHexString(b.Span);
        foreach (var g in m.RecGroups) s.Append($"rec {g.ExplicitRec} [{string.Join(", ", g.Types.Select(t => $"{t} final={t.Final}"))}]\n");
        foreach (var i in m.Imports) s.Append($"import {i}\n");
        s.Append($"funcs {string.Join(",", m.Functions)}\n");
        foreach (var t in m.Tables) s.Append($"table {t.Type} {(t.Init is null ? "-" : Hex(t.Init.Code))}\n");
        foreach (var x in m.Memories) s.Append($"memory {x}\n");
        foreach (var x in m.Tags) s.Append($"tag {x}\n");
        foreach (var g in m.Globals) s.Append($"global {g.Type} {Hex(g.Init.Code)}\n");
        foreach (var e in m.Exports) s.Append($"export {e}\n");
        s.Append($"start {m.Start}\n");
        foreach (var e in m.Elements)
            s.Append($"elem {e.Mode} {e.TableIndex} {(e.Offset is null ? "-" : Hex(e.Offset.Code))} {e.ElementType} [{string.Join(",", e.Items.Select(i => Hex(i.Code)))}]\n");
        s.Append($"datacount {m.DataCount}\n");
        foreach (var c in m.Codes) s.Append($"code [{string.Join(",", c.Locals)}] {Hex(c.Code)}\n");
        foreach (var d in m.Data) s.Append($"data {d.Mode} {d.MemoryIndex} {(d.Offset is null ? "-" : Hex(d.Offset.Code))} {Hex(d.Bytes)}\n");
        foreach (var c in m.CustomSections) s.Append($"custom {c.Name} {c.After} {Hex(c.Data)}\n");
        if (m.Names is { } names)
        {
            s.Append($"name {names.ModuleName} [{string.Join(",", names.FunctionNames.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}]\n");
        }
        return s.ToString();
    }

    private static void AssertRoundTrips(Module module)
    {
        string text = WatWriter.Write(module);
        Module again;
        try
        {
            again = WatParser.ParseModule(Encoding.UTF8.GetBytes(text));
        }
        catch (MalformedModuleException e)
        {
            Assert.Fail($"{e.Message} in\n{text}");
            return;
        }
        Assert.Equal(Fingerprint(module), Fingerprint(again));
    }

    [Fact]
    public void RoundTripsAModuleUsingEveryKindOfField()
    {
        var module = WatParserTests.Parse("""
            (module (@name "whole")
            (rec (type $s (sub (struct (field (mut i32)) (field i8)))) (type (sub final $s (struct (field (mut i32)) (field i8) (field f64)))))
            (type $f (func (param i32) (result i32)))
            (import "m" "f" (func (type $f)))
            (import "m" "t" (table 1 2 funcref))
            (import "m" "mem" (memory i64 1))
            (import "m" "g" (global (mut f32)))
            (import "m" "e" (tag (param i32)))
            (func $main (@name "m\u{e4}in") (export "main") (param i32) (result i32) (local i64 i64 v128)
              (block $b (result i32)
                (loop (param i32) (result i32)
                  (br_table 0 1 $b (local.get 0))))
              (if (result i32) (then (i32.const -7)) (else (f32.const -0x1p-149) (drop) (f64.const nan:0x8000000000001) (drop) (i32.const 0)))
              (drop)
              (try_table (result i32) (catch 0 0) (catch_all_ref 0) (i32.const 1))
              (drop)
              (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 3) (local.get 3))
              (drop)
              (drop (v128.load16_lane 1 offset=3 align=1 2 (i64.const 0) (v128.const i64x2 0 0)))
              (i64.store32 offset=1 (i64.const 0) (i64.const 5))
              (memory.init 1 1 (i64.const 0) (i32.const 0) (i32.const 0))
              (data.drop 0)
              (drop (ref.test (ref null 0) (ref.null none)))
              (drop (br_on_cast_fail 0 anyref (ref 1) (ref.null any)))
              (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 3)))
              (call_indirect 0 (type $f) (i32.const 0) (i32.const 0)))
            (func (try (do) (catch 0 drop) (catch_all)) (try (do) (delegate 0)))
            (table 3 (ref null func) (ref.func $main))
            (memory 1 2)
            (tag (param f64))
            (global $g (mut i64) (i64.add (i64.const 1) (i64.const -1)))
            (export "g" (global $g))
            (start 1)
            (elem (i32.const 0) func $main)
            (elem funcref (ref.null func) (ref.func 0))
            (elem declare func 1)
            (data (memory 1) (i32.const 8) "\00\ff\"\\ok")
            (data "passive")
            (@custom "c" (before global) "\01\02")
            (@custom "d" "x"))
            """);
        AssertRoundTrips(module);
        output.WriteLine(WatWriter.Write(module));
    }

    [Theory]
    [InlineData(0x0000_0001u)]
    [InlineData(0x8000_0000u)]
    [InlineData(0x7F7F_FFFFu)]
    [InlineData(0x3DCC_CCCDu)]
    [InlineData(0xFFC0_0001u)]
    [InlineData(0x7F80_0000u)]
    public void WritesFloatsThatParseBackExactly(uint bits)
    {
        string text = WatWriter.FormatF32(bits);
        Assert.True(NumberParser.TryParseF32(Encoding.ASCII.GetBytes(text), out uint again), text);
        Assert.Equal(bits, again);
        ulong wide = BitConverter.DoubleToUInt64Bits(BitConverter.UInt32BitsToSingle(bits & 0x7FFF_FFFF) * 1.1);
        string textWide = WatWriter.FormatF64(wide);
        Assert.True(NumberParser.TryParseF64(Encoding.ASCII.GetBytes(textWide), out ulong wideAgain), textWide);
        Assert.Equal(wide, wideAgain);
    }

    [SpecSuiteFact]
    public void RoundTripsEverySuiteTextModule()
    {
        int count = 0;
        var failures = new List<string>();
        foreach (var script in TextSuite.Scripts())
        {
            var parsed = WastParser.Parse(File.ReadAllBytes(TextSuite.FullPath(script)), script);
            foreach (var command in parsed.Commands)
            {
                var module = command switch
                {
                    ModuleCommand c => c.Module,
                    AssertModuleCommand { Assertion: not ModuleAssertion.Malformed } c => c.Module,
                    AssertTrapCommand c => c.Module,
                    _ => null,
                };
                if (module?.Parsed is not { } m) continue;
                count++;
                try
                {
                    var again = WatParser.ParseModule(Encoding.UTF8.GetBytes(WatWriter.Write(m)));
                    if (Fingerprint(m) != Fingerprint(again)) failures.Add($"{script}:{module.Line}: differs after the round trip");
                }
                catch (MalformedModuleException e)
                {
                    failures.Add($"{script}:{module.Line}: {e.Message}");
                }
            }
        }
        output.WriteLine($"round-tripped {count} modules, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(50)));
    }

    /// <summary>
    /// The suite's decodable binary modules through text and back. Text cannot say everything a binary can (overlong
    /// LEB128s, a memory index 0 spelled out, split local declarations, an unused data count section), so such a module
    /// may come back in canonical form; that canonical form must then survive a second round trip unchanged.
    /// </summary>
    [SpecSuiteFact]
    public void RoundTripsEverySuiteBinaryModuleToItsCanonicalForm()
    {
        int count = 0;
        var canonicalized = new List<string>();
        var failures = new List<string>();
        foreach (var script in TextSuite.Scripts())
        {
            var parsed = WastParser.Parse(File.ReadAllBytes(TextSuite.FullPath(script)), script);
            foreach (var command in parsed.Commands)
            {
                var module = command switch
                {
                    ModuleCommand c => c.Module,
                    AssertModuleCommand { Assertion: not ModuleAssertion.Malformed } c => c.Module,
                    AssertTrapCommand c => c.Module,
                    _ => null,
                };
                if (module is not { Kind: ScriptModuleKind.Binary }) continue;
                Module decoded;
                try
                {
                    decoded = ModuleReader.Read(module.Bytes!);
                }
                catch (MalformedModuleException)
                {
                    continue;
                }
                count++;
                try
                {
                    var once = WatParser.ParseModule(Encoding.UTF8.GetBytes(WatWriter.Write(decoded)));
                    var twice = WatParser.ParseModule(Encoding.UTF8.GetBytes(WatWriter.Write(once)));
                    byte[] original = ModuleWriter.Write(decoded), first = ModuleWriter.Write(once), second = ModuleWriter.Write(twice);
                    if (!first.AsSpan().SequenceEqual(second)) failures.Add($"{script}:{module.Line}: not stable after a second round trip");
                    else if (!original.AsSpan().SequenceEqual(first)) canonicalized.Add($"{script}:{module.Line}");
                }
                catch (MalformedModuleException e)
                {
                    failures.Add($"{script}:{module.Line}: {e.Message}");
                }
            }
        }
        output.WriteLine($"round-tripped {count} binary modules; {canonicalized.Count} came back in canonical form: {string.Join(", ", canonicalized)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
