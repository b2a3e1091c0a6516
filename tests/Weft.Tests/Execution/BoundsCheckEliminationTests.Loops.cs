using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// Loop versioning (FunctionCompiler.LoopVersioning.cs): an innermost loop on induction variables runs a check-free
/// copy only when a precheck proves every iteration's accesses in range. Each test makes the last iteration (or one
/// the precheck must foresee) fault, and checks the trap and the memory state the unchanged code would leave; the
/// shapes are clang -O2's (pointers stepped by constants, `br_if 0 (i32.ne n (local.tee i (i + 1)))`). Where a
/// shape must not be versioned, a wrong versioning would run unchecked accesses past the memory, so the trap
/// assertion fails (loads only there, so a failure cannot corrupt the test process's heap).
/// </summary>
public partial class BoundsCheckEliminationTests
{
    /// <summary>Instantiates (compiling on this thread) and returns how many loops the compilation versioned.</summary>
    private static (Instance Instance, int Versioned) Compile(string wat, Store? store = null)
    {
        // Versioning can be turned off (WEFT_LOOP_VERSIONING=0); these tests are about it, so they turn it on for the
        // process. It is never turned off again, so it cannot change under another test's compilation,
        // and versioned code is exact, so other tests running with it stay correct.
        FunctionCompiler.VersionLoops = true;
        int before = FunctionCompiler.VersionedLoopCount;
        var instance = store is null ? Wat.Instantiate(wat) : Wat.Instantiate(wat, store: store);
        return (instance, FunctionCompiler.VersionedLoopCount - before);
    }

    // d[i] = s[i] + 1 for i < n, as clang writes it: two pointers stepped by 4, a counter compared with ne.
    private const string CopyLoop = """
        (module (memory (export "m") 1)
          (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
            (local $i i32)
            (loop $l
              (i32.store (local.get $d) (i32.add (i32.load (local.get $s)) (i32.const 1)))
              (local.set $d (i32.add (local.get $d) (i32.const 4)))
              (local.set $s (i32.add (local.get $s) (i32.const 4)))
              (br_if $l (i32.ne (local.get $n) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))))
        """;

    [Fact]
    public void AVersionedLoopWhoseLastIterationFaultsOnALoadHasStoredEveryEarlierIteration()
    {
        var (instance, versioned) = Compile(CopyLoop);
        Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        for (int i = 0; i < 9; i++) memory.WriteInt32((ulong)(65536 - 36 + 4 * i), 10 + i);
        // In range: the source ends exactly at the memory's end.
        instance.Call("copy", 0, 65536 - 36, 9);
        for (int i = 0; i < 9; i++) Assert.Equal(11 + i, memory.ReadInt32((ulong)(4 * i)));
        // One more iteration: its load at 65536 faults after nine stores, and the tenth store never happens.
        memory.WriteInt32(1000 + 36, 12345);
        Assert.Equal(Oob, instance.Traps("copy", 1000, 65536 - 36, 10).Reason);
        for (int i = 0; i < 9; i++) Assert.Equal(11 + i, memory.ReadInt32((ulong)(1000 + 4 * i)));
        Assert.Equal(12345, memory.ReadInt32(1000 + 36));
    }

    [Fact]
    public void AVersionedLoopWhoseLastStoreFaultsHasDoneTheStoreBeforeItInTheSameIteration()
    {
        // Two stores per iteration, at p and p + 4: in the last iteration the one at p lands, the one at p + 4 faults.
        var (instance, versioned) = Compile("""
            (module (memory (export "m") 1)
              (func (export "fill") (param $p i32) (param $n i32)
                (local $i i32)
                (loop $l
                  (i32.store (local.get $p) (local.get $i))
                  (i32.store offset=4 (local.get $p) (i32.const -1))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))))
            """);
        Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        instance.Call("fill", 65536 - 44, 10);
        for (int i = 0; i < 10; i++) Assert.Equal(i, memory.ReadInt32((ulong)(65536 - 44 + 4 * i)));
        Assert.Equal(-1, memory.ReadInt32(65536 - 4));
        Assert.Equal(Oob, instance.Traps("fill", 65536 - 40, 10).Reason);
        for (int i = 0; i < 10; i++) Assert.Equal(i, memory.ReadInt32((ulong)(65536 - 40 + 4 * i)));
    }

    // nettle-aes's rounds in small: one load from the key pointer $k, three table look-ups indexed by data.
    private const string TableLoop = """
        (module (memory (export "m") 1)
          (func (export "rounds") (param $k i32) (param $t i32) (param $n i32) (result i32)
            (local $x i32)
            (loop $l
              (local.set $x (i32.xor (i32.load (local.get $k))
                (i32.add (i32.load (i32.add (local.get $t) (i32.and (local.get $x) (i32.const 1020))))
                  (i32.add (i32.load (i32.add (local.get $t) (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 1020))))
                    (i32.load (i32.add (local.get $t) (i32.and (i32.shr_u (local.get $x) (i32.const 16)) (i32.const 1020))))))))
              (local.set $k (i32.add (local.get $k) (i32.const 4)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $x)))
        """;

    [Fact]
    public void ALoopOfTableLookUpsIsVersionedOnlyWithIndexedRangesAndStillTrapsAtTheLookUpThatRunsOut()
    {
        // The shape of nettle-aes's rounds: one load from the key pointer, three from table indexes computed from
        // data. With the look-ups' masked indexes tracked as ranges (IndexedOrigins) every load loses its check in
        // the fast copy, so the loop is versioned; without, one check of four would go and it is not (the share
        // rule). Either way the look-ups trap where they run out.
        var (instance, versioned) = Compile(TableLoop);
        Assert.Equal(FunctionCompiler.IndexedOrigins ? 1 : 0, versioned);
        var memory = instance.GetMemory("m")!;
        for (int i = 0; i < 256; i++) memory.WriteInt32((ulong)(4096 + 4 * i), i * 7);
        for (int i = 0; i < 4; i++) memory.WriteInt32((ulong)(100 + 4 * i), 0x01020304 * (i + 1));
        int expected = 0;
        for (int i = 0; i < 4; i++)
        {
            int x = expected;
            int sum = memory.ReadInt32((ulong)(4096 + (x & 1020))) + memory.ReadInt32((ulong)(4096 + ((x >>> 8) & 1020)))
                + memory.ReadInt32((ulong)(4096 + ((x >>> 16) & 1020)));
            expected = memory.ReadInt32((ulong)(100 + 4 * i)) ^ sum;
        }
        Assert.Equal(expected, instance.Call("rounds", 100, 4096, 4)[0].AsInt32());
        // A table 16 bytes from the memory's end: the first round reads entry 0 (zero) and makes x = 1020, so the
        // second round's look-up at byte 1020 of the table traps.
        memory.WriteInt32(200, 1020);
        Assert.Equal(Oob, instance.Traps("rounds", 200, 65536 - 16, 2).Reason);

        // With every shape versioned (share 0) the same loop is versioned whatever the ranges.
        int share = FunctionCompiler.MinCoveredPercent;
        try
        {
            FunctionCompiler.MinCoveredPercent = 0;
            Assert.Equal(1, Compile(TableLoop).Versioned);
        }
        finally
        {
            FunctionCompiler.MinCoveredPercent = share;
        }
    }

    [Fact]
    public void ALoopWhoseBoundChangesInsideIsNotVersionedAndTrapsWhereItRunsOut()
    {
        // $n grows while $i < 1000: the precheck's iteration count (from $n at entry) would be far too small.
        var (instance, versioned) = Compile("""
            (module (memory 1)
              (func (export "f") (param $p i32) (param $n i32) (result i32)
                (local $i i32) (local $s i32)
                (loop $l
                  (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
                  (if (i32.lt_u (local.get $i) (i32.const 100000)) (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $l (i32.ne (local.get $n) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))
                (local.get $s)))
            """);
        Assert.Equal(0, versioned);
        Assert.Equal(Oob, instance.Traps("f", 0, 2).Reason);
    }

    [Fact]
    public void AnInductionVariableWrittenTwiceIsNotOne()
    {
        // $p moves by 4 every iteration and by 4000 more in some: a precheck assuming 4 would cover a tenth of it.
        // The counter still makes the loop versioned, but no access from $p may go unchecked.
        var (instance, _) = Compile("""
            (module (memory 1)
              (func (export "f") (param $p i32) (param $n i32) (result i32)
                (local $i i32) (local $s i32)
                (loop $l
                  (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
                  (if (i32.and (local.get $i) (i32.const 1)) (then (local.set $p (i32.add (local.get $p) (i32.const 4000)))))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $l (i32.ne (local.get $n) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))
                (local.get $s)))
            """);
        Assert.Equal(0, instance.CallI32("f", 0, 20)); // up to 10 * 4004 + ..., in range
        Assert.Equal(Oob, instance.Traps("f", 0, 40).Reason); // iteration 34 reads at 17 * 4000 + 4 * 34 > 65532
    }

    [Fact]
    public void GrowAndCallsInsideAVersionedLoopMoveTheBaseOfAManagedMemory()
    {
        // A memory lent as an array moves at every grow; the fast copy (the precheck passes: 4 KiB in a 64 KiB
        // memory) must store through the new base after each grow and each call that grows.
        using var store = new Store { ManagedMemories = true };
        var (instance, versioned) = Compile("""
            (module (memory (export "m") 1 100)
              (func $grow (drop (memory.grow (i32.const 1))))
              (func (export "f") (param $p i32) (param $n i32)
                (local $i i32)
                (loop $l
                  (drop (memory.grow (i32.const 1)))
                  (i32.store (local.get $p) (i32.add (local.get $i) (i32.const 7)))
                  (call $grow)
                  (i32.store offset=4 (local.get $p) (i32.load (local.get $p)))
                  (local.set $p (i32.add (local.get $p) (i32.const 8)))
                  (br_if $l (i32.ne (local.get $n) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))))
            """, store);
        Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        Assert.NotNull(memory.ShareAsArray());
        instance.Call("f", 256, 20);
        Assert.Equal(41UL * 65536, memory.ByteLength);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(i + 7, memory.ReadInt32((ulong)(256 + 8 * i)));
            Assert.Equal(i + 7, memory.ReadInt32((ulong)(256 + 8 * i + 4)));
        }
    }

    [Fact]
    public void AGrowInsideALoopThatStartsOutOfRangeMakesItsLaterAccessesValid()
    {
        // Iteration t stores at t * 64 KiB + 65532 after growing to t + 2 pages: the precheck (against one page)
        // fails, the checked copy reloads the length after each grow, and nothing traps; a call that grows works too.
        var (instance, versioned) = Compile("""
            (module (memory (export "m") 1 100)
              (func $grow (drop (memory.grow (i32.const 1))))
              (func (export "f") (param $p i32) (param $n i32) (param $viaCall i32)
                (local $i i32)
                (loop $l
                  (if (local.get $viaCall) (then (call $grow)) (else (drop (memory.grow (i32.const 1)))))
                  (i32.store offset=65532 (local.get $p) (local.get $i))
                  (local.set $p (i32.add (local.get $p) (i32.const 65536)))
                  (br_if $l (i32.ne (local.get $n) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))))
            """);
        Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        instance.Call("f", 65536, 3, 0);
        instance.Call("f", 4 * 65536, 2, 1);
        Assert.Equal(6UL * 65536, memory.ByteLength);
        for (int t = 0; t < 5; t++) Assert.Equal(t < 3 ? t : t - 3, memory.ReadInt32((ulong)((t + 1) * 65536 + 65532)));
        // One page ahead of the grows: the first store already faults.
        Assert.Equal(Oob, instance.Traps("f", 7 * 65536, 2, 0).Reason);
    }

    [Fact]
    public void NegativeStepsAndCountersThatWrapStayExact()
    {
        var (instance, versioned) = Compile("""
            (module (memory (export "m") 1) (global $s (export "s") (mut i32) (i32.const 0))
              (func (export "down") (param $p i32) (param $end i32) (result i32)
                (local $sum i32)
                (loop $l
                  (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $p))))
                  (global.set $s (local.get $sum))
                  (br_if $l (i32.ne (local.tee $p (i32.sub (local.get $p) (i32.const 4))) (local.get $end))))
                (local.get $sum))
              (func (export "downSigned") (param $p i32) (result i32)
                (local $sum i32)
                (loop $l
                  (local.set $sum (i32.add (local.get $sum) (i32.load offset=8 (i32.add (local.get $p) (i32.const -8)))))
                  (br_if $l (i32.ge_s (local.tee $p (i32.add (local.get $p) (i32.const -4))) (i32.const 8))))
                (local.get $sum))
              (func (export "wrap") (param $c i32) (param $p i32) (result i32)
                (local $sum i32)
                (loop $l
                  (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $p))))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $l (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 8))) (i32.const -4))))
                (local.get $sum)))
            """);
        Assert.Equal(3, versioned);
        var memory = instance.GetMemory("m")!;
        for (int a = 0; a <= 48; a += 4) memory.WriteInt32((ulong)a, 1);
        Assert.Equal(11, instance.CallI32("down", 40, -4));
        Assert.Equal(11, instance.CallI32("downSigned", 48)); // (p - 8) + 8 for p = 48 down to 8
        // Past 0 the pointer wraps to 0xFFFFFFFC: the twelfth load faults after eleven sums.
        Assert.Equal(Oob, instance.Traps("down", 40, -8).Reason);
        Assert.Equal(11, instance.GetGlobal("s")!.Value.AsInt32());
        // Started at 6, the first p - 8 wraps to 0xFFFFFFFE, and offset 8 takes the access past 4 GiB.
        Assert.Equal(Oob, instance.Traps("downSigned", 6).Reason);
        // 0xFFFFFFEC + 8 + 8 = 0xFFFFFFFC ends the loop after two loads; from 0xFFFFFFF0 the counter wraps past 2^32
        // (0xFFFFFFF8, then 0 < 0xFFFFFFFC): the loop goes on until $p runs out of memory.
        Assert.Equal(2, instance.CallI32("wrap", unchecked((int)0xFFFFFFEC), 0));
        Assert.Equal(Oob, instance.Traps("wrap", unchecked((int)0xFFFFFFF0), 0).Reason);
    }

    [Fact]
    public void Memory64LoopsKeepTheirChecks()
    {
        var (instance, _) = Compile("""
            (module (memory (export "m") i64 1)
              (func (export "fill") (param $p i64) (param $n i32)
                (local $i i32)
                (loop $l
                  (i32.store (local.get $p) (local.get $i))
                  (local.set $p (i64.add (local.get $p) (i64.const 4)))
                  (br_if $l (i32.ne (local.get $n) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))))
            """);
        var memory = instance.GetMemory("m")!;
        instance.Call("fill", 65536L - 40, 10);
        Assert.Equal(9, memory.ReadInt32(65536 - 4));
        Assert.Equal(Oob, instance.Traps("fill", 65536L - 36, 10).Reason);
        Assert.Equal(8, memory.ReadInt32(65536 - 4));
    }

    [Fact]
    public void AVersionedLoopOverTwoMemoriesChecksEachAgainstItsOwnLength()
    {
        // $a has two pages, $b one: from 65536 - 48, eight iterations fit in both; from 65536 - 28 the fourth
        // iteration's load from $b (at p + 16 = 65536) faults after its store to $a has landed.
        var (instance, versioned) = Compile("""
            (module (memory $a (export "a") 2) (memory $b (export "b") 1)
              (func (export "f") (param $p i32) (param $n i32) (result i32)
                (local $i i32) (local $s i32)
                (loop $l
                  (i32.store $a (local.get $p) (i32.const 5))
                  (local.set $s (i32.add (local.get $s) (i32.load $b offset=16 (local.get $p))))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $l (i32.ne (local.get $n) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))
                (local.get $s)))
            """);
        Assert.Equal(1, versioned);
        var a = instance.GetMemory("a")!;
        Assert.Equal(0, instance.CallI32("f", 65536 - 48, 8));
        Assert.Equal(Oob, instance.Traps("f", 65536 - 28, 8).Reason);
        Assert.Equal(5, a.ReadInt32(65536 - 28 + 12)); // the fourth iteration's store, then its load at 65536 faults
        Assert.Equal(0, a.ReadInt32(65536 - 28 + 16));
    }

    [Fact]
    public void AVersionedLoopOverASharedMemoryTrapsAtItsLastIteration()
    {
        var (instance, versioned) = Compile("""
            (module (memory (export "m") 1 2 shared)
              (func (export "fill") (param $p i32) (param $n i32)
                (local $i i32)
                (loop $l
                  (i32.store (local.get $p) (local.get $i))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $l (i32.ne (local.get $n) (local.tee $i (i32.add (local.get $i) (i32.const 1))))))))
            """);
        Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        Assert.Equal(Oob, instance.Traps("fill", 65536 - 36, 10).Reason);
        Assert.Equal(8, memory.ReadInt32(65536 - 4));
        instance.Call("fill", 65536 - 40, 10);
        Assert.Equal(9, memory.ReadInt32(65536 - 4));
    }

    [Fact]
    public void AVersionedLoopOverAMemoryOfByteSizedPages()
    {
        var (instance, versioned) = Compile("""
            (module (memory (export "m") 100 200 (pagesize 1))
              (func (export "sum") (param $p i32) (param $end i32) (result i32)
                (local $s i32)
                (loop $l
                  (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
                  (local.set $s (i32.add (local.get $s) (i32.load8_u offset=1 (local.get $p))))
                  (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 2))) (local.get $end))))
                (local.get $s))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """);
        Assert.Equal(1, versioned);
        var memory = instance.GetMemory("m")!;
        for (int i = 0; i < 101; i++) memory.WriteByte((ulong)(i % 100), 1);
        Assert.Equal(100, instance.CallI32("sum", 0, 100));
        Assert.Equal(Oob, instance.Traps("sum", 0, 101).Reason); // the byte at 100
        Assert.Equal(100, instance.CallI32("grow"));
        Assert.Equal(99, instance.CallI32("sum", 1, 101)); // bytes 1 to 99, and the new zero byte at 100
    }
    [Fact]
    public void AVersionedLoopWhoseEndIsNeverReachedStillCompilesBothCopies()
    {
        // The br to $out makes the rest of the body, the back edge included, dead: both copies end unreachable with a
        // result the IL never carries to the join.
        var (instance, versioned) = Compile("""
            (module (memory 1)
              (func (export "f") (param $p i32) (result i32)
                (block $out (result i32)
                  (loop $l (result i32)
                    (drop (i32.load (local.get $p)))
                    (local.set $p (i32.add (local.get $p) (i32.const 4)))
                    (br $out (i32.const 7))
                    (i32.const 0)
                    (br_if $l (i32.ne (local.get $p) (i32.const 100)))))))
            """);
        Assert.Equal(1, versioned);
        Assert.Equal(7, instance.CallI32("f", 0));
        Assert.Equal(Oob, instance.Traps("f", 65533).Reason);
    }
}
