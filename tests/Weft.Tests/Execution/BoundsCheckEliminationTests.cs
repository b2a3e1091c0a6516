namespace Weft.Tests.Execution;

/// <summary>
/// Bounds-check elimination (FunctionCompiler.BoundsChecks.cs) keeps every trap exact: the same trap at the same
/// access, with every side effect before it done and none after. Each test puts a faulting access where a covering
/// check (a group of loads from one local, or a constant-address fact) would move the trap if it were not exact.
/// </summary>
public partial class BoundsCheckEliminationTests
{
    private const string Oob = "out of bounds memory access";

    [Fact]
    public void AGroupOfLoadsTrapsAtTheFaultingLoadAndReturnsWhenAllAreInRange()
    {
        // Three loads from $p with offsets 0, 8 and 16 (as clang writes them: i32.add of a constant, and offset=):
        // one compare covers them; p = 65528 faults only at the second.
        var instance = Wat.Instantiate("""
            (module (memory 1)
              (func (export "sum") (param $p i32) (result i32)
                (i32.add (i32.add
                  (i32.load (local.get $p))
                  (i32.load (i32.add (local.get $p) (i32.const 8))))
                  (i32.load offset=16 (local.get $p))))
              (func (export "put") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
            """);
        instance.Call("put", 100, 1);
        instance.Call("put", 108, 2);
        instance.Call("put", 116, 3);
        Assert.Equal(6, instance.CallI32("sum", 100));
        Assert.Equal(0, instance.CallI32("sum", 65536 - 20));
        Assert.Equal(Oob, instance.Traps("sum", 65536 - 19).Reason);
        Assert.Equal(Oob, instance.Traps("sum", 65528).Reason);
        Assert.Equal(Oob, instance.Traps("sum", -4).Reason);
    }

    [Fact]
    public void AStoreBeforeTheFaultingLoadOfAGroupHasHappened()
    {
        // The store lies between the first load and the faulting one, so the group must not reach past it; the global
        // set between two loads is a side effect too.
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1) (global $g (export "gv") (mut i32) (i32.const 0))
              (func (export "f") (param $p i32) (result i32)
                (local $a i32)
                (local.set $a (i32.load (local.get $p)))
                (i32.store (i32.const 0) (i32.const 77))
                (i32.add (local.get $a) (i32.load offset=4 (local.get $p))))
              (func (export "g") (param $p i32) (result i32)
                (global.set $g (i32.load (local.get $p)))
                (i32.load offset=8 (local.get $p))))
            """);
        var memory = instance.GetMemory("m")!;
        Assert.Equal(Oob, instance.Traps("f", 65536 - 4).Reason);
        Assert.Equal(77, memory.ReadInt32(0));
        memory.WriteInt32(65536 - 8, 5);
        Assert.Equal(Oob, instance.Traps("g", 65536 - 8).Reason);
        Assert.Equal(5, instance.GetGlobal("gv")!.Value.AsInt32());
    }

    [Fact]
    public void AGroupWhoseAdditionsWrapAroundStillReadsTheWrappedAddresses()
    {
        // p + 0x20 and p + 0x24 wrap to 0x10 and 0x14: in range, though p + 0x24 is far beyond the memory's end. The
        // covering compare fails; the exact checks behind it find both in range and the loads go on.
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1)
              (func (export "f") (param $p i32) (result i32)
                (i32.sub
                  (i32.load (i32.add (local.get $p) (i32.const 0x20)))
                  (i32.load (i32.add (local.get $p) (i32.const 0x24))))))
            """);
        var memory = instance.GetMemory("m")!;
        memory.WriteInt32(0x10, 50);
        memory.WriteInt32(0x14, 8);
        Assert.Equal(42, instance.CallI32("f", unchecked((int)0xFFFFFFF0)));
        Assert.Equal(0, instance.CallI32("f", unchecked((int)0xFFFFFFF8))); // 0x18 and 0x1C
        Assert.Equal(Oob, instance.Traps("f", 0xFFE0).Reason); // 0x10000: no wrap, out of range
    }

    [Fact]
    public void ALoopWhoseLastIterationFaultsHasDoneEveryEarlierIteration()
    {
        // Each iteration loads p and p+4 (one group), adds them into a global and stores the running sum at 0; the
        // iteration with p + 4 at the end faults after the stores of all earlier ones.
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1) (global $sum (export "sum") (mut i32) (i32.const 0))
              (func (export "run") (param $p i32) (param $step i32)
                (loop $l
                  (global.set $sum (i32.add (global.get $sum)
                    (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))))
                  (i32.store (i32.const 0) (global.get $sum))
                  (local.set $p (i32.add (local.get $p) (local.get $step)))
                  (br $l))))
            """);
        var memory = instance.GetMemory("m")!;
        for (int a = 65536 - 64; a < 65536; a += 4) memory.WriteInt32((ulong)a, 1);
        Assert.Equal(Oob, instance.Traps("run", 65536 - 64, 8).Reason);
        Assert.Equal(16, instance.GetGlobal("sum")!.Value.AsInt32()); // 8 iterations of 1 + 1
        Assert.Equal(16, memory.ReadInt32(0));
    }

    [Fact]
    public void ConstantAddressesBelowTheMinimumNeedOneCheckAndTheFirstBeyondItTraps()
    {
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1)
              (func (export "f") (result i32)
                (i32.store (i32.const 100) (i32.const 7))
                (i32.add (i32.load (i32.const 65532)) (i32.load (i32.const 100))))
              (func (export "g") (result i32)
                (i32.store (i32.const 100) (i32.const 8))
                (i32.load (i32.const 65533))))
            """);
        Assert.Equal(7, instance.CallI32("f"));
        Assert.Equal(Oob, instance.Traps("g").Reason);
        Assert.Equal(8, instance.GetMemory("m")!.ReadInt32(100));
    }

    [Fact]
    public void AConstantFactFromBeforeALoopHoldsInsideButAGrowInsideDoesNotStretchIt()
    {
        // The constant fact before the loop (length >= 64 KiB, the minimum) covers address 100 in the loop; address
        // 100000 lies beyond the minimum and is in range only after memory.grow has run: "grow then store" works,
        // "store then grow" traps in the first iteration with nothing stored.
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1 10)
              (func (export "growThenStore") (param $n i32)
                (i32.store (i32.const 100) (i32.const 1))
                (loop $l
                  (drop (memory.grow (i32.const 1)))
                  (i32.store (i32.const 100000) (local.get $n))
                  (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (i32.const 1)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
              (func (export "storeThenGrow") (param $n i32)
                (i32.store (i32.const 100) (i32.const 1))
                (loop $l
                  (i32.store (i32.const 200000) (local.get $n))
                  (drop (memory.grow (i32.const 1)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
            """);
        var memory = instance.GetMemory("m")!;
        instance.Call("growThenStore", 3);
        Assert.Equal(4, memory.ReadInt32(100));
        Assert.Equal(1, memory.ReadInt32(100000));
        Assert.Equal(4UL * 65536, memory.ByteLength);
        // 4 pages = 262144 bytes now: 200000 is in range for the first iteration; after 6 more pages the memory is at
        // its maximum (10), grow fails and the store keeps working.
        instance.Call("storeThenGrow", 8);
        Assert.Equal(1, memory.ReadInt32(200000));
        var fresh = Wat.Instantiate("""
            (module (memory (export "m") 1 10)
              (func (export "f")
                (i32.store (i32.const 100) (i32.const 1))
                (loop $l
                  (i32.store (i32.const 100) (i32.const 2))
                  (i32.store (i32.const 70000) (i32.const 3))
                  (drop (memory.grow (i32.const 1)))
                  (br $l))))
            """);
        Assert.Equal(Oob, fresh.Traps("f").Reason);
        Assert.Equal(2, fresh.GetMemory("m")!.ReadInt32(100));
        Assert.Equal(65536UL, fresh.GetMemory("m")!.ByteLength);
    }

    [Fact]
    public void AConstantAccessInOneArmOfAnIfCoversNothingInTheOther()
    {
        var instance = Wat.Instantiate("""
            (module (memory 1 2)
              (func (export "f") (param i32) (result i32)
                (if (local.get 0)
                  (then (drop (memory.grow (i32.const 1))) (drop (i32.load (i32.const 131068))))
                  (else (drop (i32.load (i32.const 131068)))))
                (i32.const 1)))
            """);
        Assert.Equal(Oob, instance.Traps("f", 0).Reason);
        Assert.Equal(1, instance.CallI32("f", 1));
        Assert.Equal(1, instance.CallI32("f", 0)); // grown now: in range
    }

    [Fact]
    public void Memory64ConstantAddressesAndOffsetsThatOverflowStayExact()
    {
        var instance = Wat.Instantiate("""
            (module (memory (export "m") i64 1)
              (func (export "f") (param $p i64) (result i32)
                (i32.store (i64.const 8) (i32.const 9))
                (i32.add (i32.load (i64.const 65532))
                  (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))))
              (func (export "big") (result i32)
                (i32.store (i64.const 16) (i32.const 1))
                (i32.load offset=0xFFFFFFFFFFFFFFF0 (i64.const 0x20))))
            """);
        Assert.Equal(0, instance.CallI32("f", 65528L));
        Assert.Equal(Oob, instance.Traps("f", 65529L).Reason);
        Assert.Equal(Oob, instance.Traps("f", -1L).Reason);
        Assert.Equal(Oob, instance.Traps("big").Reason);
        Assert.Equal(1, instance.GetMemory("m")!.ReadInt32(16));
    }

    [Fact]
    public void CustomPageSizeOneMakesTheMinimumAFewBytes()
    {
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 10 20 (pagesize 1))
              (func (export "in") (result i32) (i32.load (i32.const 6)))
              (func (export "out") (result i32)
                (i32.store8 (i32.const 0) (i32.const 5))
                (drop (i32.load (i32.const 4)))
                (i32.load (i32.const 7)))
              (func (export "group") (param $p i32) (result i32)
                (i32.add (i32.load8_u (local.get $p)) (i32.load offset=1 (local.get $p))))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """);
        Assert.Equal(0, instance.CallI32("in"));
        Assert.Equal(Oob, instance.Traps("out").Reason);
        Assert.Equal(5, instance.GetMemory("m")!.ReadByte(0));
        Assert.Equal(0, instance.CallI32("group", 5));
        Assert.Equal(Oob, instance.Traps("group", 6).Reason);
        Assert.Equal(10, instance.CallI32("grow"));
        Assert.Equal(0, instance.CallI32("out"));
        Assert.Equal(0, instance.CallI32("group", 6));
    }

    [Fact]
    public void FactsOfOneMemoryDoNotCoverAnother()
    {
        var instance = Wat.Instantiate("""
            (module (memory $a 1) (memory $b 0 1)
              (func (export "f") (param $p i32) (result i32)
                (drop (i32.load $a (i32.const 0)))
                (drop (i32.load $a (local.get $p)))
                (i32.add (i32.load $b (i32.const 0)) (i32.load $b offset=4 (local.get $p))))
              (func (export "grow") (result i32) (memory.grow $b (i32.const 1))))
            """);
        Assert.Equal(Oob, instance.Traps("f", 0).Reason);
        Assert.Equal(0, instance.CallI32("grow"));
        Assert.Equal(0, instance.CallI32("f", 0));
        Assert.Equal(Oob, instance.Traps("f", 65532).Reason);
    }

    [Fact]
    public void SharedMemoriesKeepExactTraps()
    {
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1 2 shared)
              (func (export "f") (param $p i32) (result i32)
                (i32.store (i32.const 0) (i32.const 3))
                (i32.add (i32.load (local.get $p)) (i32.load offset=8 (local.get $p))))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """);
        Assert.Equal(0, instance.CallI32("f", 65536 - 12));
        Assert.Equal(Oob, instance.Traps("f", 65536 - 11).Reason);
        Assert.Equal(3, instance.GetMemory("m")!.ReadInt32(0));
        Assert.Equal(1, instance.CallI32("grow"));
        Assert.Equal(0, instance.CallI32("f", 65536 - 11));
    }

    [Fact]
    public void AGroupDoesNotReachPastAWriteOfItsLocalOrAGrowInTheLoop()
    {
        // In the loop, $p is loaded, rewritten, loaded again: the second load is of a new value. memory.grow between
        // two loads from the same $p ends the group (a call), so the second load sees the grown memory.
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1 4)
              (func (export "rewrite") (param $p i32) (result i32)
                (local $s i32)
                (local.set $s (i32.load (local.get $p)))
                (local.set $p (i32.add (local.get $p) (i32.const 65536)))
                (i32.add (local.get $s) (i32.load offset=4 (local.get $p))))
              (func (export "growing") (param $p i32) (param $n i32) (result i32)
                (local $s i32)
                (loop $l
                  (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
                  (drop (memory.grow (i32.const 1)))
                  (local.set $s (i32.add (local.get $s) (i32.load offset=65536 (local.get $p))))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $s)))
            """);
        Assert.Equal(Oob, instance.Traps("rewrite", 0).Reason);
        instance.GetMemory("m")!.WriteInt32(0, 1);
        Assert.Equal(3, instance.CallI32("growing", 0, 3));
        Assert.Equal(4UL * 65536, instance.GetMemory("m")!.ByteLength);
    }
}
