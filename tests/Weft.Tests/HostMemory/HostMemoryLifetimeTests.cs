using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Weft.Tests.HostMemory.HostMemoryModules;

namespace Weft.Tests.HostMemory;

/// <summary>
/// The lifetime rules of docs/HOST-MEMORY.md: a revoked memory traps (length 0, never the old storage); storage
/// changes only while no wasm of the store runs; owners stay alive while mapped; arrays are unpinned afterwards.
/// </summary>
public sealed unsafe class HostMemoryLifetimeTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void ARevokedMemoryHasLengthZeroAndEveryAccessTraps()
    {
        var bytes = new byte[64];
        bytes[0] = 42;
        var memory = Memory.FromHost(_store, bytes.AsMemory());
        var reader = Instantiate(_store, memory);
        Assert.Equal(42, reader.GetFunction<int, int>("load8")!(0));
        var mapping = memory.Mapping!;
        memory.Revoke();

        Assert.False(mapping.IsActive);
        Assert.Null(memory.Mapping);
        Assert.Equal(0UL, memory.ByteLength);
        Assert.Equal(0, memory.Span.Length);
        Assert.Equal(0, reader.GetFunction<int>("size")!());
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load8")!(0));
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load128")!(0));
        AssertOutOfBounds(() => reader.GetAction<int, int>("store8")!(0, 1));
        AssertOutOfBounds(() => reader.GetAction<int, int, int>("fill")!(0, 1, 1));
        reader.GetAction<int, int, int>("fill")!(0, 1, 0); // a zero-length fill at 0 is in bounds of an empty memory
        Assert.Throws<TrapException>(() => memory.ReadByte(0));
        Assert.Equal(42, bytes[0]);
        // Disposing a mapping that already ended does nothing.
        mapping.Dispose();
    }

    [Fact]
    public void DisposingTheMappingRevokesIt()
    {
        var memory = Memory.CreateMappable(_store);
        var reader = Instantiate(_store, memory);
        var mapping = memory.Map(new byte[8].AsMemory());
        Assert.Equal(8, reader.GetFunction<int>("size")!());
        mapping.Dispose();
        Assert.False(mapping.IsActive);
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load8")!(0));
    }

    [Fact]
    public void ChangesAreRefusedWhileWasmOfTheStoreRuns()
    {
        var bytes = new byte[16];
        bytes[5] = 5;
        var memory = Memory.FromHost(_store, bytes.AsMemory());
        var replacement = new byte[16];
        var refusals = new List<Exception>();
        var linker = new Linker()
            .Define("host", "buffer", memory)
            .DefineFunction("host", "meddle", () =>
            {
                refusals.Add(Assert.Throws<MemoryInUseException>(() => memory.Revoke()));
                refusals.Add(Assert.Throws<MemoryInUseException>(() => memory.Map(replacement.AsMemory())));
                refusals.Add(Assert.Throws<MemoryInUseException>(() => memory.Mapping!.Dispose()));
            });
        var instance = linker.Instantiate(_store, WasmModule.FromText("""
            (module
              (import "host" "buffer" (memory 0 (pagesize 1)))
              (import "host" "meddle" (func $meddle))
              ;; reads before and after the host function: both must see the same storage
              (func (export "around") (param i32) (result i32)
                (local $before i32)
                (local.set $before (i32.load8_u (local.get 0)))
                (call $meddle)
                (i32.add (local.get $before) (i32.load8_u (local.get 0)))))
            """));
        Assert.Equal(10, instance.GetFunction<int, int>("around")!(5));
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, e => Assert.Contains("memory in use by running wasm code", e.Message, StringComparison.Ordinal));
        Assert.True(memory.Mapping!.IsActive);
        // After the call the same changes are allowed.
        memory.Revoke();
        Assert.Equal(0UL, memory.ByteLength);
    }

    [Fact]
    public void AnotherThreadIsRefusedWhileACallRunsAndAllowedAfterwards()
    {
        var memory = Memory.FromHost(_store, new byte[16].AsMemory());
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var linker = new Linker()
            .Define("host", "buffer", memory)
            .DefineFunction("host", "block", () =>
            {
                entered.Set();
                release.Wait(TimeSpan.FromMinutes(1));
            });
        var block = linker.Instantiate(_store, WasmModule.FromText("""
            (module (import "host" "buffer" (memory 0 (pagesize 1))) (import "host" "block" (func $block))
              (func (export "run") (result i32) (call $block) (i32.load8_u (i32.const 15))))
            """)).GetFunction<int>("run")!;
        int result = -1;
        var runner = new Thread(() => result = block());
        runner.Start();
        Assert.True(entered.Wait(TimeSpan.FromMinutes(1)));
        try
        {
            Assert.Throws<StoreInUseException>(() => memory.Revoke());
            Assert.Throws<StoreInUseException>(() => memory.Map(new byte[16].AsMemory()));
            Assert.Throws<StoreInUseException>(() => memory.Mapping!.Dispose());
            Assert.Equal(16UL, memory.ByteLength);
        }
        finally
        {
            release.Set();
            runner.Join();
        }
        Assert.Equal(0, result);
        memory.Revoke(); // the store is idle: this thread may take it
        Assert.Equal(0UL, memory.ByteLength);
    }

    [Fact]
    public void TheOwnerStaysAliveWhileMappedAndIsReleasedAfterwards()
    {
        var memory = Memory.CreateMappable(_store);
        var reader = Instantiate(_store, memory);
        var owner = MapFinalizableOwner(memory, 4096);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.True(owner.IsAlive);
        // The owner's storage is intact: the pattern MapFinalizableOwner wrote is still there.
        Assert.Equal(4095 & 0xFF, reader.GetFunction<int, int>("load8")!(4095));
        memory.Revoke();
        for (int i = 0; i < 3 && owner.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(owner.IsAlive);
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load8")!(0));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference MapFinalizableOwner(Memory memory, int length)
    {
        var owner = new FinalizableBuffer(length);
        for (int i = 0; i < length; i++) owner.Bytes[i] = (byte)i;
        memory.Map((nint)owner.Bytes, (ulong)length, owner);
        return new WeakReference(owner);
    }

    private sealed class FinalizableBuffer(int length)
    {
        public readonly byte* Bytes = (byte*)NativeMemory.Alloc((nuint)length);

        ~FinalizableBuffer() => NativeMemory.Free(Bytes);
    }

    [Fact]
    public void DisposingASafeHandleOwnerWaitsForTheMappingToEnd()
    {
        var native = new NativeBuffer(32);
        native.Span[31] = 31;
        var memory = Memory.FromHost(_store, native.DangerousGetHandle(), 32, native);
        var reader = Instantiate(_store, memory);
        native.Dispose();
        Assert.False(native.Freed);
        Assert.Equal(31, reader.GetFunction<int, int>("load8")!(31));
        memory.Revoke();
        Assert.True(native.Freed);
    }

    [Fact]
    public void AnotherMapEndsThePreviousMapping()
    {
        var memory = Memory.CreateMappable(_store);
        var reader = Instantiate(_store, memory);
        var first = new NativeBuffer(16);
        var firstMapping = memory.Map(first.DangerousGetHandle(), 16, first);
        first.Dispose();
        Assert.False(first.Freed);
        var slice = new byte[40];
        slice[12] = 12;
        var second = memory.Map(slice.AsMemory(10, 20));
        Assert.False(firstMapping.IsActive);
        Assert.True(first.Freed); // the replaced mapping released its SafeHandle reference
        Assert.True(second.IsActive);
        Assert.Equal(20, reader.GetFunction<int>("size")!());
        Assert.Equal(12, reader.GetFunction<int, int>("load8")!(2)); // a slice maps from its own start
        firstMapping.Dispose(); // an ended mapping: nothing happens, the current one stays
        Assert.True(second.IsActive);
    }

    [Fact]
    public void A64BitHostMemoryIsImportedAsI64()
    {
        var memory = Memory.FromHost(_store, new byte[24].AsMemory(), new HostMemoryOptions { Is64Bit = true });
        Assert.True(memory.Is64Bit);
        var load = new Linker().Define("host", "buffer", memory).Instantiate(_store, WasmModule.FromText("""
            (module (import "host" "buffer" (memory i64 0 (pagesize 1)))
              (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0))))
            """)).GetFunction<long, int>("load8")!;
        memory.Span[23] = 5;
        Assert.Equal(5, load(23));
        AssertOutOfBounds(() => load(24));
    }

    [Fact]
    public void DisposingTheStoreEndsItsMappings()
    {
        var store = new Store();
        var native = new NativeBuffer(8);
        var memory = Memory.FromHost(store, native.DangerousGetHandle(), 8, native);
        var mapping = memory.Mapping!;
        native.Dispose();
        Assert.False(native.Freed);
        store.Dispose();
        Assert.False(mapping.IsActive);
        Assert.True(native.Freed);
        Assert.Equal(0UL, memory.ByteLength);
        Assert.Throws<ObjectDisposedException>(() => memory.Map(new byte[8].AsMemory()));
    }

    [Fact]
    public void AGcArrayIsMappedForTheSpanOfACallAndUnpinnedAfterwards()
    {
        var linker = new Linker();
        var arrays = linker.Instantiate(_store, WasmModule.FromText("""
            (module
              (type $bytes (array (mut i8)))
              (func (export "new") (param i32) (result (ref $bytes)) (array.new_default $bytes (local.get 0)))
              (func (export "get") (param (ref $bytes) i32) (result i32) (array.get_u $bytes (local.get 0) (local.get 1))))
            """));
        var frame = Memory.CreateMappable(_store);
        var reader = Instantiate(_store, frame);
        var weak = MapAndUse(frame, reader, arrays);
        // The mapping ended: the array is no longer reachable from the memory, nor pinned (a pinned handle is a root).
        Assert.Equal(0UL, frame.ByteLength);
        Assert.Null(frame.Mapping);
        for (int i = 0; i < 3 && weak.IsAlive; i++) GC.Collect();
        Assert.False(weak.IsAlive);
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load8")!(0));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference MapAndUse(Memory frame, Instance reader, Instance arrays)
    {
        var array = (GcArray)arrays.GetFunction("new")!.Invoke(100)[0].AsReference()!;
        using (var mapping = frame.Map(array))
        {
            fixed (byte* p = array.AsSpan<byte>()) Assert.Equal((nint)p, mapping.Address);
            array.AsSpan<byte>()[99] = 7;                                   // the host writes the array...
            Assert.Equal(7, reader.GetFunction<int, int>("load8")!(99));    // ...and the memory reads it
            reader.GetAction<int, int>("store8")!(1, 3);                    // the memory writes...
            Assert.Equal(3, arrays.GetFunction("get")!.Invoke(WasmValue.FromReference(array), 1)[0].AsInt32()); // ...array.get reads it
            Assert.Equal(100, reader.GetFunction<int>("size")!());
            // While mapped, the pin keeps the array alive even with no other reference.
            GC.Collect();
        }
        return new WeakReference(array);
    }

    [Fact]
    public void MapArrayMakesAMemoryForOneScope()
    {
        var arrays = new Linker().Instantiate(_store, WasmModule.FromText("""
            (module (type $bytes (array (mut i8))) (type $fixed (array i8)) (type $refs (array (mut anyref)))
              (func (export "new") (param i32) (result (ref $bytes)) (array.new_default $bytes (local.get 0)))
              (func (export "fixed") (result (ref $fixed)) (array.new_default $fixed (i32.const 4)))
              (func (export "refs") (result (ref $refs)) (array.new_default $refs (i32.const 4))))
            """));
        var array = (GcArray)arrays.GetFunction("new")!.Invoke(10)[0].AsReference()!;
        Memory memory;
        using (var mapping = Memory.MapArray(_store, array))
        {
            memory = mapping.Memory;
            var reader = Instantiate(_store, memory);
            reader.GetAction<int, int>("store8")!(9, 0x77);
            Assert.Equal(0x77, array.GetInt32(9));
        }
        Assert.Equal(0UL, memory.ByteLength);
        Assert.Throws<ArgumentException>(() => Memory.MapArray(_store, (GcArray)arrays.GetFunction("fixed")!.Invoke()[0].AsReference()!));
        Assert.Throws<ArgumentException>(() => Memory.MapArray(_store, (GcArray)arrays.GetFunction("refs")!.Invoke()[0].AsReference()!));
    }
}
