using Weft.Syntax;

namespace Weft.Tests.Execution;

/// <summary>
/// Memories lent as arrays (Memory.Managed.cs, issue 15): in a store with ManagedMemories, ShareAsArray moves a
/// non-shared memory's bytes into a pinned byte[] and memory.grow moves them back to native storage, so the base
/// moves both ways. Compiled code must reload the base wherever it reloads the length: after memory.grow, after a call
/// whose callee grew the memory or lent it, in a catch handler reached from a callee that grew it. Each test would
/// read or write storage that is no longer the memory's if a reload were missing.
/// </summary>
public class ManagedMemoryTests
{
    private static Store ManagedStore() => new() { ManagedMemories = true };

    [Fact]
    public void AMemoryIsLentAsAnArrayOfItsExactLengthAndAGrowTakesItBack()
    {
        using var store = ManagedStore();
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
            """, store: store);
        var memory = instance.GetMemory("m")!;
        Assert.Null(memory.ManagedArray); // native until asked
        memory.WriteInt32(12, 1234);
        var lent = memory.ShareAsArray()!;
        Assert.Same(lent, memory.ShareAsArray());
        Assert.Same(lent, memory.ManagedArray);
        Assert.Equal(65536, lent.Length);
        Assert.Equal(1234, BitConverter.ToInt32(lent, 12));
        unsafe { fixed (byte* p = lent) Assert.Equal((nint)p, memory.BaseAddress); }
        // The array is the memory: wasm reads what is written in it, the host's span is over it.
        BitConverter.TryWriteBytes(lent.AsSpan(16), 77);
        Assert.Equal(77, instance.CallI32("load", 16));
        Assert.Equal(77, memory.ReadInt32(16));
        Assert.Equal(1, instance.CallI32("grow", 2));
        Assert.Null(memory.ManagedArray);
        Assert.Equal(77, memory.ReadInt32(16));
        Assert.Equal(1234, instance.CallI32("load", 12));
        var again = memory.ShareAsArray()!;
        Assert.NotSame(lent, again);
        Assert.Equal(3 * 65536, again.Length);
        Assert.Equal(77, BitConverter.ToInt32(again, 16));
        Assert.All(again.AsSpan(65536).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void TheFrameThatGrowsUsesTheNewBaseAtOnce()
    {
        using var store = ManagedStore();
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1)
              (func (export "f") (result i32)
                (i32.store (i32.const 16) (i32.const 5))
                (drop (memory.grow (i32.const 1)))
                (i32.store (i32.const 65540) (i32.const 9))
                (i32.store (i32.const 20) (i32.const 6))
                (i32.add (i32.load (i32.const 16)) (i32.load (i32.const 65540)))))
            """, store: store);
        instance.GetMemory("m")!.ShareAsArray();
        Assert.Equal(14, instance.CallI32("f"));
        var memory = instance.GetMemory("m")!;
        Assert.Equal(6, memory.ReadInt32(20));
        Assert.Equal(9, memory.ReadInt32(65540));
    }

    [Fact]
    public void ACallerSeesTheBaseItsCalleeMoved()
    {
        using var store = ManagedStore();
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1)
              (func $grow (drop (memory.grow (i32.const 1))) (i32.store (i32.const 65544) (i32.const 40)))
              (func (export "f") (param $p i32) (result i32)
                (i32.store (local.get $p) (i32.const 2))
                (call $grow)
                (i32.store offset=4 (local.get $p) (i32.const 3))
                (i32.add (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))
                  (i32.load (i32.const 65544)))))
            """, store: store);
        instance.GetMemory("m")!.ShareAsArray();
        Assert.Equal(45, instance.CallI32("f", 100));
        Assert.Equal(3, instance.GetMemory("m")!.ReadInt32(104));
    }

    [Fact]
    public void AHostFunctionThatGrowsTheMemoryMovesTheBaseForItsCaller()
    {
        using var store = ManagedStore();
        var linker = new Linker();
        Memory? memory = null;
        linker.DefineFunction("host", "grow", (Action)(() => { memory!.Grow(1); memory.WriteInt32(65536, 11); }));
        var instance = Wat.Instantiate("""
            (module (import "host" "grow" (func $grow)) (memory (export "m") 1)
              (func (export "f") (result i32)
                (i32.store (i32.const 0) (i32.const 1))
                (call $grow)
                (i32.add (i32.load (i32.const 0)) (i32.load (i32.const 65536)))))
            """, linker, store);
        memory = instance.GetMemory("m")!;
        memory.ShareAsArray();
        Assert.Equal(12, instance.CallI32("f"));
    }

    [Fact]
    public void ACatchHandlerSeesTheBaseAThrowingCalleeMoved()
    {
        using var store = ManagedStore();
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1) (tag $t)
              (func $growAndThrow (drop (memory.grow (i32.const 1))) (i32.store (i32.const 65536) (i32.const 21)) (throw $t))
              (func (export "f") (result i32)
                (i32.store (i32.const 8) (i32.const 1))
                (block $caught (try_table (catch $t $caught) (call $growAndThrow)))
                (i32.store (i32.const 12) (i32.const 2))
                (i32.add (i32.add (i32.load (i32.const 8)) (i32.load (i32.const 12))) (i32.load (i32.const 65536)))))
            """, store: store);
        instance.GetMemory("m")!.ShareAsArray();
        Assert.Equal(24, instance.CallI32("f"));
        Assert.Equal(2, instance.GetMemory("m")!.ReadInt32(12));
    }

    [Fact]
    public void AHostFunctionThatLendsTheMemoryMovesTheBaseForItsCaller()
    {
        // The other direction: native storage to an array during a call (JS reading memory.buffer in an import).
        using var store = ManagedStore();
        var linker = new Linker();
        Memory? memory = null;
        linker.DefineFunction("host", "lend", (Action)(() => memory!.ShareAsArray()![40] = 3));
        var instance = Wat.Instantiate("""
            (module (import "host" "lend" (func $lend)) (memory (export "m") 1)
              (func (export "f") (result i32)
                (i32.store (i32.const 44) (i32.const 4))
                (call $lend)
                (i32.store (i32.const 48) (i32.const 5))
                (i32.add (i32.add (i32.load (i32.const 40)) (i32.load (i32.const 44))) (i32.load (i32.const 48)))))
            """, linker, store);
        memory = instance.GetMemory("m")!;
        Assert.Equal(12, instance.CallI32("f"));
        Assert.Equal(5, memory.ManagedArray![48]);
    }

    [Fact]
    public void SpansKeptPastAMoveStillPointAtValidStorage()
    {
        using var store = ManagedStore();
        var instance = Wat.Instantiate("""(module (memory (export "m") 1 3))""", store: store);
        var memory = instance.GetMemory("m")!;
        var native = memory.Span;
        native[0] = 1;
        memory.ShareAsArray();
        native[1] = 2; // the native reservation: still mapped, no longer the memory's bytes
        Assert.Equal(1, memory.ReadByte(0));
        Assert.Equal(0, memory.ReadByte(1));
        var lent = memory.Span;
        Assert.Equal(1, memory.Grow(1));
        lent[0] = 9; // the old array: still valid storage, no longer the memory's
        Assert.Equal(1, memory.ReadByte(0));
        Assert.Equal(2 * 65536, memory.Span.Length);
        Assert.Equal(2, memory.Grow(1));
        Assert.Equal(3UL, memory.Pages);
        Assert.Equal(-1, memory.Grow(1)); // past the declared maximum
    }

    [Fact]
    public void OnlyStoresThatAskLendMemoriesAndNeverSharedOrHostOnes()
    {
        using var plain = new Store();
        Assert.Null(new Memory(plain, new MemoryType(new Limits(AddressType.I32, 1, 2))).ShareAsArray());
        using var store = ManagedStore();
        Assert.NotNull(new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 2))).ShareAsArray());
        Assert.Null(new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 2, Shared: true))).ShareAsArray());
        Assert.Null(Memory.FromHost(store, new byte[65536]).ShareAsArray());
    }

    [Fact]
    public void GrowingPageByPageAfterALendAllocatesNoArrayPerGrow()
    {
        // 200 grows of one page: the bytes move back to native storage at the first, the others copy nothing; the
        // array is lent again only when asked, with every byte written along the way.
        using var store = ManagedStore();
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1)
              (func (export "f") (local $i i32)
                (loop $l
                  (drop (memory.grow (i32.const 1)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (i32.store (i32.mul (local.get $i) (i32.const 65536)) (local.get $i))
                  (br_if $l (i32.lt_u (local.get $i) (i32.const 200))))))
            """, store: store);
        var memory = instance.GetMemory("m")!;
        memory.ShareAsArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        instance.Call("f");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // An array per grow would allocate 200 arrays of 2 to 201 pages, 1.3 GB in all.
        Assert.True(allocated < 16 << 20, $"{allocated} bytes allocated");
        Assert.Null(memory.ManagedArray);
        var array = memory.ShareAsArray()!;
        Assert.Equal(201 * 65536, array.Length);
        for (int i = 1; i <= 200; i++) Assert.Equal(i, BitConverter.ToInt32(array, i * 65536));
    }

    [Fact]
    public void AStoreLimitCapsALentMemoryAsItCapsANativeOne()
    {
        using var store = new Store(new StoreLimits { MaxMemoryBytes = 2 * 65536 }) { ManagedMemories = true };
        var memory = new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, null)));
        memory.ShareAsArray();
        Assert.Equal(1, memory.Grow(1));
        Assert.Equal(-1, memory.Grow(1));
        Assert.Equal(2 * 65536, memory.ShareAsArray()!.Length);
    }
}
