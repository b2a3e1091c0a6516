using Weft.Binary;
using Weft.Syntax;

namespace Weft.Tests.Execution;

/// <summary>The custom-page-sizes proposal: memories counted in 1-byte pages, end to end.</summary>
public class CustomPageSizeTests
{
    private const string BytePageModule = """
        (module (memory (export "m") 1000 (pagesize 1))
          (func (export "size") (result i32) (memory.size))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
        """;

    [Fact]
    public void AThousandBytePageMemoryEndsAtByteOneThousand()
    {
        var instance = Wat.Instantiate(BytePageModule);
        var memory = instance.GetMemory("m")!;
        Assert.Equal(1000UL, memory.ByteLength);
        Assert.Equal(1000UL, memory.Pages);
        Assert.Equal(1UL, memory.PageSize);
        Assert.Equal(1000, instance.CallI32("size"));
        instance.Call("store8", 999, 5);
        Assert.Equal(5, instance.CallI32("load8", 999));
        Assert.Equal("out of bounds memory access", instance.Traps("load8", 1000).Reason);
        Assert.Equal(5 << 24, instance.CallI32("load32", 996)); // little-endian: byte 999 is the top byte
        Assert.Equal("out of bounds memory access", instance.Traps("load32", 997).Reason);
    }

    [Fact]
    public void GrowingByOnePageAddsOneByte()
    {
        var instance = Wat.Instantiate(BytePageModule);
        var memory = instance.GetMemory("m")!;
        Assert.Equal(1000, instance.CallI32("grow", 1));
        Assert.Equal(1001, instance.CallI32("size"));
        Assert.Equal(1001UL, memory.ByteLength);
        instance.Call("store8", 1000, 9);
        Assert.Equal(9, memory.ReadByte(1000));
        Assert.Equal("out of bounds memory access", instance.Traps("load8", 1001).Reason);
        // The host grows in the memory's own pages too.
        Assert.Equal(1001L, memory.Grow(3));
        Assert.Equal(1004, instance.CallI32("size"));
    }

    [Fact]
    public void TheStoreByteLimitAppliesToBytePagesInBytes()
    {
        using var store = new Store(new StoreLimits { MaxMemoryBytes = 1010 });
        var instance = Wat.Instantiate(BytePageModule, store: store);
        Assert.Equal(1000, instance.CallI32("grow", 10));
        Assert.Equal(-1, instance.CallI32("grow", 1));
        Assert.Equal(1010, instance.CallI32("size"));
    }

    [Fact]
    public void AHostMemoryWithBytePagesLinksOnlyToImportsOfTheSamePageSize()
    {
        using var store = new Store();
        var memory = new Memory(store, new MemoryType(new Limits(AddressType.I32, 10, 20), PageSizeLog2: 0));
        Assert.Equal(1UL, memory.PageSize);
        Assert.Equal(10UL, memory.ByteLength);
        var linker = new Linker().Define("env", "mem", memory);
        var instance = Wat.Instantiate("""
            (module (import "env" "mem" (memory 5 (pagesize 1)))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """, linker, store);
        Assert.Equal(10, instance.CallI32("grow", 10));
        Assert.Equal(-1, instance.CallI32("grow", 1)); // the maximum is 20 bytes
        Assert.Equal(20UL, memory.ByteLength);

        var mismatch = Assert.Throws<LinkException>(() => Wat.Instantiate("""(module (import "env" "mem" (memory 0)))""", linker, store));
        Assert.Contains("incompatible import type", mismatch.Message);
    }

    [Fact]
    public void DefaultPageMemoriesReportSixtyFourKibPages()
    {
        using var store = new Store();
        var memory = new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 2)));
        Assert.Equal((ulong)Memory.DefaultPageSize, memory.PageSize);
        Assert.Equal(1L, memory.Grow(1));
        Assert.Equal(2UL * 65536, memory.ByteLength);
    }

    [Fact]
    public void HostMemoriesRefuseOtherPageSizes()
    {
        using var store = new Store();
        Assert.Throws<ArgumentException>(() => new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 2), PageSizeLog2: 12)));
    }

    [Fact]
    public void ThePageSizeSurvivesTheBinaryAndTextFormats()
    {
        var module = WasmModule.FromText("(module (memory 3 7 (pagesize 1)) (memory 1))");
        byte[] binary = module.ToBinary();
        var decoded = WasmModule.FromBytes(binary);
        Assert.Contains("(memory 3 7 (pagesize 1))", decoded.ToText());
        Assert.Contains("(memory 1)", decoded.ToText());
        // Only the custom memory carries flag bit 3 and a log2 (0): default memories encode as they always did.
        Assert.True(Windows(binary, 6).Any(w => w.SequenceEqual(new byte[] { 0x09, 0x03, 0x07, 0x00, 0x00, 0x01 })), Convert.ToHexString(binary));
    }

    [Fact]
    public void InlineDataSizesABytePageMemoryExactly()
    {
        var instance = Wat.Instantiate("""
            (module (memory (export "m") (pagesize 1) (data "hello"))
              (func (export "size") (result i32) (memory.size)))
            """);
        Assert.Equal(5, instance.CallI32("size"));
        Assert.Equal("hello", instance.GetMemory("m")!.ReadString(0, 5));
    }

    [Fact]
    public void Wasm30RulesAloneRefuseThePageSizeFlag()
    {
        // \0asm v1, memory section: one memory, flags 0x08 (custom page size), min 0, log2 0.
        byte[] module = Convert.FromHexString("0061736D01000000" + "050401080000");
        Assert.Equal(0, ModuleReader.Read(module).Memories[0].PageSizeLog2);
        var e = Assert.Throws<MalformedModuleException>(() => ModuleReader.ReadWithoutCustomPageSizes(module));
        Assert.Equal("malformed limits flags", e.Reason);
    }

    [Fact]
    public void APageSizeLog2ThatOverflowsAU64IsMalformed()
    {
        byte[] module = Convert.FromHexString("0061736D01000000" + "0504010800" + "40");
        var e = Assert.Throws<MalformedModuleException>(() => ModuleReader.Read(module));
        Assert.Equal("invalid custom page size", e.Reason);
    }

    private static IEnumerable<byte[]> Windows(byte[] bytes, int width) =>
        Enumerable.Range(0, bytes.Length - width + 1).Select(i => bytes[i..(i + width)]);
}
