using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// Table look-ups in versioned loops (FunctionCompiler.LoopVersioning.cs, IndexedOrigins): an address
/// <c>base + (x &amp; mask)</c>, <c>base + (x &gt;&gt; k &lt;&lt; j)</c> or <c>base + (load8_u p &lt;&lt; 2)</c> from a
/// base the loop never writes is in [base, base + bound], so the precheck can cover it; and a copy of an induction
/// variable taken before its increment counts as that iteration's value. Each test puts the table or pointer where
/// the precheck must fail (the range could run past the memory's end) and checks that the results are those of the
/// unchanged code, and that a look-up that does run out traps with every earlier store done and none after. A wrong
/// precheck would run unchecked loads past the memory: the trap assertions then fail.
/// </summary>
public class IndexedRangeVersioningTests
{
    private const string Oob = "out of bounds memory access";
    private const int End = 65536;

    private static (Instance Instance, int Versioned) Compile(string wat)
    {
        // Versioning may be off in this process (WEFT_LOOP_VERSIONING=0); these tests are about it. Versioned code is
        // exact, so other tests compiled with it stay correct.
        FunctionCompiler.VersionLoops = true;
        int before = FunctionCompiler.VersionedLoopCount;
        var instance = Wat.Instantiate(wat);
        return (instance, FunctionCompiler.VersionedLoopCount - before);
    }

    // x += t[s[i] & 60]; d[i] = x: the index from data, the table base invariant, d and s stepped by 4.
    private const string MaskedLoop = """
        (module (memory (export "m") 1)
          (func (export "f") (param $d i32) (param $t i32) (param $s i32) (param $n i32) (result i32)
            (local $x i32)
            (loop $l
              (local.set $x (i32.add (local.get $x)
                (i32.load (i32.add (local.get $t) (i32.and (i32.load (local.get $s)) (i32.const 60))))))
              (i32.store (local.get $d) (local.get $x))
              (local.set $d (i32.add (local.get $d) (i32.const 4)))
              (local.set $s (i32.add (local.get $s) (i32.const 4)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $x)))
        """;

    private static int[] RunMaskedModel(Memory memory, int d, int t, int s, int n, out int x)
    {
        x = 0;
        var stored = new int[n];
        for (int i = 0; i < n; i++)
        {
            x += memory.ReadInt32((ulong)(t + (memory.ReadInt32((ulong)(s + 4 * i)) & 60)));
            stored[i] = x;
        }
        return stored;
    }

    [Fact]
    public void MaskedLookUpsGiveTheUncheckedResultsWhereverTheTableLies()
    {
        var (instance, versioned) = Compile(MaskedLoop);
        if (FunctionCompiler.IndexedOrigins) Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        for (int i = 0; i < 16; i++) memory.WriteInt32((ulong)(End - 64 + 4 * i), 100 + i);
        for (int i = 0; i < 16; i++) memory.WriteInt32((ulong)(2000 + 4 * i), 7 * i + 1);
        int[] indexes = [0, 52, 4, 56, 12, 60, 8, 44];
        for (int i = 0; i < indexes.Length; i++) memory.WriteInt32((ulong)(500 + 4 * i), indexes[i] | 0x7F00);
        // The table inside the memory (the precheck passes), and ending exactly at the memory's end.
        foreach (int table in new[] { 2000, End - 64 })
        {
            var expected = RunMaskedModel(memory, 0, table, 500, indexes.Length, out int x);
            Assert.Equal(x, instance.CallI32("f", 3000, table, 500, indexes.Length));
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], memory.ReadInt32((ulong)(3000 + 4 * i)));
        }
        // A table 4 bytes short of its last entry: the precheck fails (index 60 would run out), and look-ups with
        // smaller indexes still run, in the checked copy, with the same results.
        int shortTable = End - 60;
        int[] small = [0, 52, 4, 12];
        for (int i = 0; i < small.Length; i++) memory.WriteInt32((ulong)(600 + 4 * i), small[i]);
        var smallExpected = RunMaskedModel(memory, 0, shortTable, 600, small.Length, out int smallX);
        Assert.Equal(smallX, instance.CallI32("f", 4000, shortTable, 600, small.Length));
        for (int i = 0; i < small.Length; i++) Assert.Equal(smallExpected[i], memory.ReadInt32((ulong)(4000 + 4 * i)));
    }

    [Fact]
    public void AMaskedLookUpThatRunsOutTrapsAfterTheEarlierIterationsStores()
    {
        var (instance, _) = Compile(MaskedLoop);
        var memory = instance.GetMemory("m")!;
        int table = End - 60;
        // Index 60 in the fourth iteration reads 4 bytes at the memory's end.
        int[] indexes = [0, 8, 52, 60, 4];
        for (int i = 0; i < indexes.Length; i++) memory.WriteInt32((ulong)(700 + 4 * i), indexes[i]);
        for (int i = 0; i < indexes.Length; i++) memory.WriteInt32((ulong)(5000 + 4 * i), -1);
        var expected = RunMaskedModel(memory, 0, table, 700, 3, out _);
        Assert.Equal(Oob, instance.Traps("f", 5000, table, 700, indexes.Length).Reason);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], memory.ReadInt32((ulong)(5000 + 4 * i)));
        Assert.Equal(-1, memory.ReadInt32(5000 + 12));
        Assert.Equal(-1, memory.ReadInt32(5000 + 16));
    }

    // Indexes bounded by a shift (x >> 28 << 2, in [0, 60]) and by a narrow load (load8_u << 2, in [0, 1020]).
    private const string ShiftedLoop = """
        (module (memory (export "m") 1)
          (func (export "f") (param $t i32) (param $u i32) (param $s i32) (param $n i32) (result i32)
            (local $x i32)
            (loop $l
              (local.set $x (i32.xor (local.get $x)
                (i32.add
                  (i32.load (i32.add (local.get $t) (i32.shl (i32.shr_u (i32.load (local.get $s)) (i32.const 28)) (i32.const 2))))
                  (i32.load (i32.add (i32.shl (i32.load8_u offset=1 (local.get $s)) (i32.const 2)) (local.get $u))))))
              (local.set $s (i32.add (local.get $s) (i32.const 4)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $x)))
        """;

    [Fact]
    public void ShiftedAndNarrowIndexesGiveTheUncheckedResultsAndTrapWhereTheyRunOut()
    {
        var (instance, versioned) = Compile(ShiftedLoop);
        if (FunctionCompiler.IndexedOrigins) Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        for (int i = 0; i < 256; i++) memory.WriteInt32((ulong)(8192 + 4 * i), i * 31 + 5);
        for (int i = 0; i < 16; i++) memory.WriteInt32((ulong)(End - 64 + 4 * i), i * 1000);
        uint[] words = [0x0000_0100, 0xF000_FF00, 0x7000_2A00, 0x1000_0000, 0xE000_8000];
        for (int i = 0; i < words.Length; i++) memory.WriteInt32((ulong)(900 + 4 * i), (int)words[i]);
        int Model(int t, int u, int n)
        {
            int x = 0;
            for (int i = 0; i < n; i++)
            {
                uint w = (uint)memory.ReadInt32((ulong)(900 + 4 * i));
                x ^= memory.ReadInt32((ulong)(t + (int)((w >> 28) << 2))) + memory.ReadInt32((ulong)(u + (int)(((w >> 8) & 255) << 2)));
            }
            return x;
        }
        Assert.Equal(Model(End - 64, 8192, words.Length), instance.CallI32("f", End - 64, 8192, 900, words.Length));
        // The narrow-indexed table 1,020 bytes from the end: its range runs out, the precheck fails; the entries
        // read (indexes up to 255 -> byte 1020) still fit only when the index is below 255.
        uint[] lowIndexes = [0x0000_0100, 0x1000_FE00, 0x2000_0000];
        for (int i = 0; i < lowIndexes.Length; i++) memory.WriteInt32((ulong)(900 + 4 * i), (int)lowIndexes[i]);
        Assert.Equal(Model(End - 64, End - 1020, 3), instance.CallI32("f", End - 64, End - 1020, 900, 3));
        memory.WriteInt32(900 + 4, unchecked((int)0x1000_FF00)); // index 255 in the second iteration: byte End
        Assert.Equal(Oob, instance.Traps("f", End - 64, End - 1020, 900, 3).Reason);
        // The shifted table 4 bytes short: index 15 (top nibble F) runs out.
        memory.WriteInt32(900 + 4, unchecked((int)0xE000_0100));
        Assert.Equal(Model(End - 60, 8192, 3), instance.CallI32("f", End - 60, 8192, 900, 3));
        memory.WriteInt32(900 + 8, unchecked((int)0xF000_0100));
        Assert.Equal(Oob, instance.Traps("f", End - 60, 8192, 900, 3).Reason);
    }

    [Fact]
    public void AMaskThatWrapsTheAddressReadsWhereTheUncheckedCodeWould()
    {
        // x & -4 is below 2^32 but not small: t + (x & -4) wraps around to t - 4 for x = -1. The precheck cannot
        // cover that range, so the checked copy runs and reads what the unchanged code reads.
        var (instance, _) = Compile("""
            (module (memory (export "m") 1)
              (func (export "f") (param $t i32) (param $s i32) (param $n i32) (result i32)
                (local $x i32)
                (loop $l
                  (local.set $x (i32.add (local.get $x)
                    (i32.load (i32.add (local.get $t) (i32.and (i32.load (local.get $s)) (i32.const -4))))))
                  (local.set $s (i32.add (local.get $s) (i32.const 4)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $x)))
            """);
        var memory = instance.GetMemory("m")!;
        memory.WriteInt32(96, 40);
        memory.WriteInt32(100, 2);
        memory.WriteInt32(108, 3);
        memory.WriteInt32(200, -1);
        memory.WriteInt32(204, 8);
        Assert.Equal(40 + 3, instance.CallI32("f", 100, 200, 2));
        memory.WriteInt32(204, 65536);
        Assert.Equal(Oob, instance.Traps("f", 100, 200, 2).Reason);
    }

    // d[i] = *(k - 4) with k stepped by 8 and the copy q = k - 4 taken before k's increment, read after it.
    private const string CopyBeforeIncrementLoop = """
        (module (memory (export "m") 1)
          (func (export "f") (param $d i32) (param $k i32) (param $n i32)
            (local $q i32)
            (loop $l
              (local.set $q (i32.add (local.get $k) (i32.const -4)))
              (local.set $k (i32.add (local.get $k) (i32.const 8)))
              (i32.store (local.get $d) (i32.load (local.get $q)))
              (local.set $d (i32.add (local.get $d) (i32.const 4)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
        """;

    [Fact]
    public void ACopyTakenBeforeTheIncrementIsCheckedAsThatIterationsValue()
    {
        var (instance, versioned) = Compile(CopyBeforeIncrementLoop);
        Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        for (int i = 0; i < 4; i++) memory.WriteInt32((ulong)(End - 32 + 8 * i), 70 + i);
        // Reads at End-32, End-24, End-16, End-8: the last one ends at the memory's end.
        instance.Call("f", 1000, End - 28, 4);
        for (int i = 0; i < 4; i++) Assert.Equal(70 + i, memory.ReadInt32((ulong)(1000 + 4 * i)));
        // A fifth iteration reads at End: it traps after four stores.
        memory.WriteInt32(2000 + 16, -5);
        Assert.Equal(Oob, instance.Traps("f", 2000, End - 28, 5).Reason);
        for (int i = 0; i < 4; i++) Assert.Equal(70 + i, memory.ReadInt32((ulong)(2000 + 4 * i)));
        Assert.Equal(-5, memory.ReadInt32(2000 + 16));
        // k = 0: the first read is at 0 - 4, which wraps to 2^32 - 4 and traps before any store (read as k after its
        // increment, 4, the copy would look in range).
        memory.WriteInt32(3000, -6);
        Assert.Equal(Oob, instance.Traps("f", 3000, 0, 2).Reason);
        Assert.Equal(-6, memory.ReadInt32(3000));
        // k = 4: reads at 0 and 8, in range.
        memory.WriteInt32(0, 11);
        memory.WriteInt32(8, 12);
        instance.Call("f", 3000, 4, 2);
        Assert.Equal(11, memory.ReadInt32(3000));
        Assert.Equal(12, memory.ReadInt32(3004));
    }

    [Fact]
    public void ACopyTakenAfterTheIncrementIsTheIncrementedValue()
    {
        // q = k - 4 after k += 8: the read is at the new k - 4; a loop starting at k = End - 4 reads at End - 4 + 8 - 4.
        var (instance, _) = Compile("""
            (module (memory (export "m") 1)
              (func (export "f") (param $d i32) (param $k i32) (param $n i32)
                (local $q i32)
                (loop $l
                  (local.set $k (i32.add (local.get $k) (i32.const 8)))
                  (local.set $q (i32.add (local.get $k) (i32.const -4)))
                  (i32.store (local.get $d) (i32.load (local.get $q)))
                  (local.set $d (i32.add (local.get $d) (i32.const 4)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
            """);
        var memory = instance.GetMemory("m")!;
        memory.WriteInt32(End - 12, 21);
        memory.WriteInt32(End - 4, 22);
        instance.Call("f", 100, End - 16, 2);
        Assert.Equal(21, memory.ReadInt32(100));
        Assert.Equal(22, memory.ReadInt32(104));
        memory.WriteInt32(200, -7);
        Assert.Equal(Oob, instance.Traps("f", 200, End - 4, 1).Reason);
        Assert.Equal(-7, memory.ReadInt32(200));
    }
}
