using System.Runtime.InteropServices;

namespace Weft.Tests.HostMemory;

/// <summary>A module that imports a host memory of 1-byte pages ("host" "buffer") and touches it every way there is.</summary>
internal static class HostMemoryModules
{
    public const string Reader = """
        (module
          (import "host" "buffer" (memory 0 (pagesize 1)))
          (func (export "size") (result i32) (memory.size))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
          (func (export "load128") (param i32) (result i32) (i32x4.extract_lane 0 (v128.load (local.get 0))))
          (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2))))
        """;

    /// <summary>The reader instantiated over <paramref name="memory"/>.</summary>
    public static Instance Instantiate(Store store, Memory memory, Linker? linker = null) =>
        (linker ?? new Linker()).Define("host", "buffer", memory).Instantiate(store, WasmModule.FromText(Reader));

    /// <summary>Asserts that <paramref name="access"/> traps with the spec's "out of bounds memory access".</summary>
    public static void AssertOutOfBounds(Action access)
    {
        var trap = Assert.Throws<TrapException>(access);
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, trap.Kind);
        Assert.Contains("out of bounds memory access", trap.Message, StringComparison.Ordinal);
    }
}

/// <summary>Native memory owned by a SafeHandle: freed by ReleaseHandle, which records that it ran.</summary>
internal sealed unsafe class NativeBuffer : SafeHandle
{
    public NativeBuffer(int length)
        : base(0, ownsHandle: true)
    {
        Length = length;
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)length));
    }

    public int Length { get; }

    public bool Freed { get; private set; }

    public override bool IsInvalid => handle == 0;

    public Span<byte> Span => new((void*)handle, Length);

    protected override bool ReleaseHandle()
    {
        NativeMemory.Free((void*)handle);
        Freed = true;
        return true;
    }
}
