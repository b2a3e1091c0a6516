using System.Runtime.InteropServices;
using static Weft.Tests.HostMemory.HostMemoryModules;

namespace Weft.Tests.HostMemory;

/// <summary>A host buffer as a memory: import matching, exact lengths, bounds, no growth, one storage for all sides.</summary>
public sealed unsafe class HostMemoryImportTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void NativeStorageIsImportedWithItsExactLengthAndNoCopy()
    {
        using var native = new NativeBuffer(1000);
        var memory = Memory.FromHost(_store, native.DangerousGetHandle(), 1000, native);
        var reader = Instantiate(_store, memory);

        Assert.True(memory.IsHostMemory);
        Assert.Equal(1000, reader.GetFunction<int>("size")!());
        Assert.Equal(1000UL, memory.ByteLength);
        Assert.Equal(1000UL, memory.Pages);
        Assert.Equal(native.DangerousGetHandle(), memory.BaseAddress);
        fixed (byte* span = memory.Span) Assert.Equal(native.DangerousGetHandle(), (nint)span);

        // Host writes after mapping are what wasm reads; wasm writes are what the host's own storage holds.
        native.Span[999] = 0xAB;
        Assert.Equal(0xAB, reader.GetFunction<int, int>("load8")!(999));
        reader.GetAction<int, int>("store8")!(3, 0x5C);
        Assert.Equal(0x5C, native.Span[3]);
    }

    [Fact]
    public void EveryAccessIsBoundsCheckedAtTheExactEnd()
    {
        var bytes = new byte[1000];
        bytes[996] = 1;
        var memory = Memory.FromHost(_store, bytes.AsMemory());
        var reader = Instantiate(_store, memory);
        Assert.Equal(1, reader.GetFunction<int, int>("load32")!(996));
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load32")!(997));
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load8")!(1000));
        Assert.Equal(0, reader.GetFunction<int, int>("load128")!(984));
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load128")!(985));
        AssertOutOfBounds(() => reader.GetAction<int, int>("store8")!(1000, 1));
        AssertOutOfBounds(() => reader.GetAction<int, int, int>("fill")!(990, 7, 11));
        var expected = new byte[10];
        expected[6] = 1;
        Assert.Equal(expected, bytes.AsSpan(990).ToArray()); // the trapping fill wrote nothing
    }

    [Fact]
    public void AHostMemoryCannotGrow()
    {
        var memory = Memory.FromHost(_store, new byte[100].AsMemory());
        var reader = Instantiate(_store, memory);
        Assert.Equal(-1, reader.GetFunction<int, int>("grow")!(1));
        Assert.Equal(100, reader.GetFunction<int, int>("grow")!(0));
        Assert.Equal(-1L, memory.Grow(1));
        Assert.Equal(100UL, memory.ByteLength);
        Assert.Equal(100UL, memory.Type.Limits.Max);
    }

    [Theory]
    [InlineData("(memory 1000 (pagesize 1))", true)]
    [InlineData("(memory 0 1000 (pagesize 1))", true)]
    [InlineData("(memory 1001 (pagesize 1))", false)]      // needs more than there is
    [InlineData("(memory 0 999 (pagesize 1))", false)]     // the host memory's maximum (1000) is above the import's
    [InlineData("(memory 0)", false)]                      // 64 KiB pages: page sizes must be equal
    [InlineData("(memory i64 0 (pagesize 1))", false)]     // address types must be equal
    public void ImportsMatchByTheSpecsRules(string import, bool matches)
    {
        var memory = Memory.FromHost(_store, new byte[1000].AsMemory());
        var module = WasmModule.FromText($"(module (import \"host\" \"buffer\" {import}))");
        var linker = new Linker().Define("host", "buffer", memory);
        if (matches) linker.Instantiate(_store, module);
        else Assert.Equal("incompatible import type", Assert.Throws<LinkException>(() => linker.Instantiate(_store, module)).Reason);
    }

    [Fact]
    public void SixtyFourKiBPagesNeedWholePages()
    {
        var options = new HostMemoryOptions { PageSize = Memory.DefaultPageSize };
        Assert.Throws<ArgumentException>(() => Memory.FromHost(_store, new byte[70_000].AsMemory(), options));
        var memory = Memory.FromHost(_store, new byte[2 * 65536].AsMemory(), options);
        Assert.Equal(2UL, memory.Pages);
        var size = new Linker().Define("host", "buffer", memory)
            .Instantiate(_store, WasmModule.FromText("""(module (import "host" "buffer" (memory 2)) (func (export "size") (result i32) (memory.size)))"""))
            .GetFunction<int>("size")!;
        Assert.Equal(2, size());
    }

    [Fact]
    public void AHostMemoryOfAnotherStoreIsRefused()
    {
        using var other = new Store();
        var memory = Memory.FromHost(other, new byte[10].AsMemory());
        var linker = new Linker().Define("host", "buffer", memory);
        Assert.Throws<LinkException>(() => linker.Instantiate(_store, WasmModule.FromText(Reader)));
    }

    [Fact]
    public void OrdinaryMemoriesDoNotMap()
    {
        var plain = new Memory(_store, new Syntax.MemoryType(new Syntax.Limits(Syntax.AddressType.I32, 0, 1), 0));
        Assert.False(plain.IsHostMemory);
        Assert.Throws<InvalidOperationException>(() => plain.Map(new byte[1].AsMemory()));
        Assert.Throws<InvalidOperationException>(() => plain.Revoke());
    }

    [Fact]
    public void AMappableMemoryTakesStorageUpToItsMaximum()
    {
        var memory = Memory.CreateMappable(_store, new HostMemoryOptions { MaxByteLength = 64 });
        Assert.Equal(0UL, memory.ByteLength);
        Assert.Null(memory.Mapping);
        var reader = Instantiate(_store, memory);
        AssertOutOfBounds(() => reader.GetFunction<int, int>("load8")!(0));
        Assert.Throws<ArgumentException>(() => memory.Map(new byte[65].AsMemory()));
        var first = new byte[64];
        var second = GC.AllocateArray<byte>(32, pinned: true);
        first[63] = 1;
        second[31] = 2;
        using (var mapping = memory.Map(first.AsMemory()))
        {
            Assert.Same(mapping, memory.Mapping);
            Assert.Equal(1, reader.GetFunction<int, int>("load8")!(63));
        }
        using (memory.Map(second.AsMemory()))
        {
            Assert.Equal(32, reader.GetFunction<int>("size")!());
            Assert.Equal(2, reader.GetFunction<int, int>("load8")!(31));
            fixed (byte* p = second) Assert.Equal((nint)p, memory.BaseAddress);
        }
        Assert.Equal(0, reader.GetFunction<int>("size")!());
    }

    [Fact]
    public void ARemapKeepsTheSizeAnImporterDeclared()
    {
        var memory = Memory.CreateMappable(_store);
        memory.Map(new byte[100].AsMemory());
        new Linker().Define("host", "buffer", memory).Instantiate(_store, WasmModule.FromText("""(module (import "host" "buffer" (memory 50 (pagesize 1))))"""));
        Assert.Throws<ArgumentException>(() => memory.Map(new byte[49].AsMemory()));
        Assert.Equal(100UL, memory.ByteLength); // the refused remap changed nothing
        memory.Map(new byte[50].AsMemory());
        Assert.Equal(50UL, memory.ByteLength);
    }

    [Fact]
    public void AMemoryManagerIsPinnedThroughItsMemory()
    {
        using var manager = new CountingManager(256);
        var memory = Memory.FromHost(_store, manager.Memory);
        Assert.Equal(1, manager.Pins);
        var reader = Instantiate(_store, memory);
        manager.GetSpan()[255] = 9;
        Assert.Equal(9, reader.GetFunction<int, int>("load8")!(255));
        memory.Revoke();
        Assert.Equal(0, manager.Pins);
    }

    private sealed class CountingManager(int length) : System.Buffers.MemoryManager<byte>
    {
        private readonly byte* _bytes = (byte*)NativeMemory.AllocZeroed((nuint)length);

        public int Pins { get; private set; }

        public override Span<byte> GetSpan() => new(_bytes, length);

        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0)
        {
            Pins++;
            return new System.Buffers.MemoryHandle(_bytes + elementIndex, pinnable: this);
        }

        public override void Unpin() => Pins--;

        protected override void Dispose(bool disposing) => NativeMemory.Free(_bytes);
    }
}
