using Weft.Syntax;

namespace Weft.Tests.Execution;

public class MemoryTests
{
    [Fact]
    public void AccessesAreBoundsCheckedAtTheLastByte()
    {
        var instance = Wat.Instantiate("""
            (module (memory 1)
              (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
              (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
            """);
        Assert.Equal(0, instance.CallI32("load", 65528));
        Assert.Equal("out of bounds memory access", instance.Traps("load", 65529).Reason);
        Assert.Equal("out of bounds memory access", instance.Traps("load", -1).Reason);
        instance.Call("store8", 65535, 7);
        Assert.Equal("out of bounds memory access", instance.Traps("store8", 65536, 7).Reason);
    }

    [Fact]
    public void GrowingAnI64MemoryToTwoToTheFortyEightPagesFailsInsteadOfWrappingToZeroBytes()
    {
        // 2^48 pages of 64 KiB are 2^64 bytes: computed in bytes first, the size wrapped to 0 and grow "succeeded".
        var instance = Wat.Instantiate("""
            (module (memory (export "m") i64 1)
              (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
              (func (export "size") (result i64) (memory.size)))
            """);
        Assert.Equal(-1L, instance.Call("grow", (1L << 48) - 1)[0].AsInt64());
        Assert.Equal(1L, instance.Call("size")[0].AsInt64());
        Assert.Equal(65536UL, instance.GetMemory("m")!.ByteLength);
    }

    [Fact]
    public void GrowRespectsTheMaximumAndKeepsTheBaseAndTheData()
    {
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1 3)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (result i32) (memory.size))
              (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
              (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))
            """);
        var memory = instance.GetMemory("m")!;
        nint before = memory.BaseAddress;
        instance.Call("poke", 100, 42);
        Assert.Equal(1, instance.CallI32("grow", 2));
        Assert.Equal(3, instance.CallI32("size"));
        Assert.Equal(-1, instance.CallI32("grow", 1));
        Assert.Equal(-1, instance.CallI32("grow", -1));
        Assert.Equal(before, memory.BaseAddress);
        Assert.Equal(42, instance.CallI32("peek", 100));
        instance.Call("poke", 3 * 65536 - 4, 9);
        Assert.Equal(9, memory.ReadInt32(3 * 65536 - 4));
    }

    [Fact]
    public void ImportedMemoryIsSharedWithTheHostAndOtherInstancesWithoutCopying()
    {
        var store = new Store();
        var memory = new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 4)));
        var linker = new Linker().Define("env", "mem", memory);
        const string text = """
            (module (import "env" "mem" (memory 1))
              (func (export "get") (param i32) (result i32) (i32.load8_u (local.get 0)))
              (func (export "set") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """;
        var a = Wat.Instantiate(text, linker, store);
        var b = Wat.Instantiate(text, linker, store);
        memory.Span[10] = 77;
        Assert.Equal(77, a.CallI32("get", 10));
        b.Call("set", 11, 88);
        Assert.Equal(88, memory.Span[11]);
        Assert.Equal(88, a.CallI32("get", 11));
        Assert.Equal(1, a.CallI32("grow"));
        b.Call("set", 65536 + 5, 1); // b sees the growth made by a
        Assert.Equal(1, memory.ReadByte(65536 + 5));
    }

    [Fact]
    public void BulkOperationsCheckBoundsBeforeWriting()
    {
        var instance = Wat.Instantiate("""
            (module (memory (export "m") 1)
              (data $d "hello")
              (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
              (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
              (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
              (func (export "drop") (data.drop $d)))
            """);
        var memory = instance.GetMemory("m")!;
        instance.Call("init", 0, 0, 5);
        Assert.Equal("hello", memory.ReadString(0, 5));
        instance.Call("copy", 1, 0, 5); // overlapping, as if through a buffer
        Assert.Equal("hhello", memory.ReadString(0, 6));
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, instance.Traps("fill", 65530, 1, 7).Kind);
        Assert.Equal((byte)0, memory.ReadByte(65530)); // nothing written before the trap
        instance.Call("fill", 65536, 1, 0); // zero length at the end is fine
        instance.Call("drop");
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, instance.Traps("init", 0, 0, 1).Kind);
        instance.Call("init", 0, 0, 0);
    }

    [SkippableFact]
    public void A64BitMemoryGrowsPastFourGibibytes()
    {
        Instance instance;
        try
        {
            instance = Wat.Instantiate("""
                (module (memory (export "m") i64 1 65600)
                  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
                  (func (export "poke") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
                  (func (export "peek") (param i64) (result i64) (i64.load (local.get 0))))
                """);
        }
        catch (TrapException e)
        {
            Skip.If(true, $"the OS refused to reserve a 64-bit memory: {e.Message}");
            return;
        }
        long old = instance.Call("grow", 65537L)[0].AsInt64();
        Skip.If(old == -1, "the OS refused to commit more than 4 GiB");
        Assert.Equal(1L, old);
        long last = 65538L * 65536 - 8;
        Assert.True(last > uint.MaxValue);
        instance.Call("poke", last, 0x1122334455667788L);
        Assert.Equal(0x1122334455667788L, instance.Call("peek", last)[0].AsInt64());
        Assert.Equal(0x1122334455667788L, instance.GetMemory("m")!.ReadInt64((ulong)last));
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, instance.Traps("peek", last + 1).Kind);
    }
}
