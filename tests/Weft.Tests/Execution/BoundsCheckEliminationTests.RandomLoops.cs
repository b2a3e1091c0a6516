namespace Weft.Tests.Execution;

/// <summary>
/// Random versioned loops against a model of the wasm semantics: steps of either sign, added constants that may
/// wrap, every compare (operands either way round), counters and pointers near the memory's ends and near 2^31 and
/// 2^32. Each case must return the model's value or trap where it traps, with the same memory contents.
/// </summary>
public partial class BoundsCheckEliminationTests
{
    private static readonly string[] s_compares = ["i32.ne", "i32.lt_s", "i32.lt_u", "i32.le_s", "i32.le_u", "i32.gt_s", "i32.gt_u", "i32.ge_s", "i32.ge_u", ""];

    [Fact]
    public void RandomVersionedLoopsMatchAModelOfTheirTrapsAndMemory()
    {
        var random = new Random(1717);
        int traps = 0, returns = 0, versionedLoops = 0;
        const int Length = 65536;
        var initial = new byte[Length];
        for (int i = 0; i < Length; i++) initial[i] = (byte)(i * 7 + (i >> 8));
        for (int n = 0; n < 150; n++)
        {
            int sp = Pick(random, -16, 16), sq = Pick(random, -16, 16), sc = Pick(random, -5, 5);
            int addend = new[] { 0, 4, -4, -8, 100, -100 }[random.Next(6)];
            uint offset = new uint[] { 0, 4, 16 }[random.Next(3)];
            string compare = s_compares[random.Next(s_compares.Length)];
            bool swapped = random.Next(2) == 0;
            uint p = Near(random, Length), q = Near(random, Length);
            int c = new[] { random.Next(-100, 100), int.MaxValue - random.Next(60), int.MinValue + random.Next(60), -random.Next(1, 60) }[random.Next(4)];
            int b = unchecked(c + random.Next(-60, 60));
            string counter = $"(local.tee $c (i32.add (local.get $c) (i32.const {sc})))";
            string condition = compare == "" ? counter
                : swapped ? $"({compare} (local.get $b) {counter})" : $"({compare} {counter} (local.get $b))";
            var (instance, versioned) = Compile($$"""
                (module (memory (export "m") 1)
                  (func (export "f") (param $p i32) (param $q i32) (param $c i32) (param $b i32) (result i32)
                    (local $s i32)
                    (loop $l
                      (local.set $s (i32.add (local.get $s) (i32.load offset={{offset}} (i32.add (local.get $p) (i32.const {{addend}})))))
                      (i32.store (local.get $q) (local.get $s))
                      (local.set $p (i32.add (local.get $p) (i32.const {{sp}})))
                      (local.set $q (i32.add (local.get $q) (i32.const {{sq}})))
                      (br_if $l {{condition}}))
                    (local.get $s)))
                """);
            versionedLoops += versioned;
            var memory = instance.GetMemory("m")!;
            memory.Write(0, initial);
            var model = (byte[])initial.Clone();
            int? expected = Model(model, p, q, c, b, sp, sq, sc, addend, offset, compare, swapped);
            string what = $"case {n}: p={p} q={q} c={c} b={b} sp={sp} sq={sq} sc={sc} a={addend} off={offset} {compare} swapped={swapped}";
            if (expected is int value)
            {
                Assert.True(value == instance.CallI32("f", (int)p, (int)q, c, b), what);
                returns++;
            }
            else
            {
                Assert.True(Oob == instance.Traps("f", (int)p, (int)q, c, b).Reason, what);
                traps++;
            }
            Assert.True(model.AsSpan().SequenceEqual(memory.Span), what + ": memory differs");
        }
        Assert.Equal(150, versionedLoops);
        Assert.True(traps > 20 && returns > 20, $"{traps} traps, {returns} returns: the cases should mix both");
    }

    private static int Pick(Random random, int min, int max)
    {
        int v;
        do v = random.Next(min, max + 1); while (v == 0);
        return v;
    }

    /// <summary>Anywhere, or within 200 bytes of either end of the memory.</summary>
    private static uint Near(Random random, int length) => random.Next(3) switch
    {
        0 => (uint)random.Next(length),
        1 => (uint)(length - random.Next(1, 200)),
        _ => (uint)random.Next(200),
    };

    /// <summary>The loop as the spec runs it; null for a trap (memory then holds what was stored before it).</summary>
    private static int? Model(byte[] memory, uint p, uint q, int c, int b, int sp, int sq, int sc, int addend, uint offset, string compare, bool swapped)
    {
        int s = 0;
        while (true)
        {
            ulong address = (ulong)unchecked(p + (uint)addend) + offset;
            if (address + 4 > (ulong)memory.Length) return null;
            s = unchecked(s + BitConverter.ToInt32(memory, (int)address));
            if ((ulong)q + 4 > (ulong)memory.Length) return null;
            BitConverter.TryWriteBytes(memory.AsSpan((int)q), s);
            p = unchecked(p + (uint)sp);
            q = unchecked(q + (uint)sq);
            c = unchecked(c + sc);
            int x = swapped ? b : c, y = swapped ? c : b;
            bool more = compare switch
            {
                "i32.ne" => x != y,
                "i32.lt_s" => x < y,
                "i32.lt_u" => (uint)x < (uint)y,
                "i32.le_s" => x <= y,
                "i32.le_u" => (uint)x <= (uint)y,
                "i32.gt_s" => x > y,
                "i32.gt_u" => (uint)x > (uint)y,
                "i32.ge_s" => x >= y,
                "i32.ge_u" => (uint)x >= (uint)y,
                _ => c != 0,
            };
            if (!more) return s;
        }
    }
}
