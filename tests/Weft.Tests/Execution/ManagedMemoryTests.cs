using Weft.Syntax;

namespace Weft.Tests.Execution;

/// <summary>
/// Managed memories (Memory.Managed.cs, issue 15): a non-shared memory of a store with ManagedMemories is one pinned
/// byte[] that memory.grow replaces, so its base moves. Compiled code must reload the base wherever it reloads the
/// length: after memory.grow, after a call whose callee grew the memory, in a catch handler reached from a callee
/// that grew it. Each test would read or write the old, dropped array if a reload were missing.
/// </summary>
public class ManagedMemoryTests
{
    private static Store ManagedStore() => new() { ManagedMemories = true };

    [Fact]
    public void TheMemoryIsAnArrayOfItsExactLengthAndGrowReplacesIt()
    {
        using var store = ManagedStore();
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """, store: store);
        var memory = instance.GetMemory("m")!;
        var before = memory.ManagedArray!;
        Assert.Equal(65536, before.Length);
        memory.WriteInt32(12, 1234);
        Assert.Equal(1, instance.CallI32("grow", 2));
        var after = memory.ManagedArray!;
        Assert.NotSame(before, after);
        Assert.Equal(3 * 65536, after.Length);
        Assert.Equal(1234, BitConverter.ToInt32(after, 12));
        unsafe { fixed (byte* p = after) Assert.Equal((nint)p, memory.BaseAddress); }
        Assert.All(after.AsSpan(65536).ToArray(), b => Assert.Equal(0, b));
        // The host's span is the new array; bytes the host writes in the array are the memory's.
        after[65536 + 4] = 7;
        Assert.Equal(7, memory.ReadByte(65536 + 4));
        Assert.Equal(7, memory.Span[65536 + 4]);
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
        memory = instance.GetMemory("m");
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
        Assert.Equal(24, instance.CallI32("f"));
        Assert.Equal(2, instance.GetMemory("m")!.ReadInt32(12));
    }

    [Fact]
    public void ASpanKeptPastAGrowViewsTheOldBytesNotFreedStorage()
    {
        using var store = ManagedStore();
        var instance = Wat.Instantiate("""(module (memory (export "m") 1 3))""", store: store);
        var memory = instance.GetMemory("m")!;
        var old = memory.Span;
        old[0] = 1;
        Assert.Equal(1, memory.Grow(1));
        old[0] = 2; // the old array: still valid storage, no longer the memory's
        Assert.Equal(1, memory.ReadByte(0));
        Assert.Equal(2 * 65536, memory.Span.Length);
        Assert.Equal(2, memory.Grow(1));
        Assert.Equal(3UL, memory.Pages);
        Assert.Equal(-1, memory.Grow(1)); // past the declared maximum
    }

    [Fact]
    public void OnlyStoresThatAskMakeManagedMemoriesAndSharedMemoriesNeverAre()
    {
        using var plain = new Store();
        Assert.Null(new Memory(plain, new MemoryType(new Limits(AddressType.I32, 1, 2))).ManagedArray);
        using var store = ManagedStore();
        Assert.NotNull(new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 2))).ManagedArray);
        Assert.Null(new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 2, Shared: true))).ManagedArray);
    }

    [Fact]
    public void AStoreLimitCapsAManagedMemoryAsItCapsANativeOne()
    {
        using var store = new Store(new StoreLimits { MaxMemoryBytes = 2 * 65536 }) { ManagedMemories = true };
        var memory = new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, null)));
        Assert.Equal(1, memory.Grow(1));
        Assert.Equal(-1, memory.Grow(1));
        Assert.Equal(2 * 65536, memory.ManagedArray!.Length);
    }
}
