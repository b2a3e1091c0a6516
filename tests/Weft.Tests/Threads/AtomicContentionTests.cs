namespace Weft.Tests.Threads;

/// <summary>Atomic read-modify-writes from several threads lose no update; racing plain accesses never crash.</summary>
[Collection(ThreadsCollection.Name)]
public sealed class AtomicContentionTests : IDisposable
{
    private readonly SharedMemoryFixture _shared = new();

    public void Dispose() => _shared.Dispose();

    [Fact]
    public void RmwAddAndCmpxchgLoopsFromFourThreadsCountEveryIncrement()
    {
        const int threads = 4, increments = 20_000;
        _shared.RunThreads(threads, (_, instance) => instance.GetFunction<int, int, int>("add_many")!(0, increments));
        Assert.Equal(threads * increments, _shared.Memory.ReadInt32(0));
        // The 8-bit counter beside it wraps: it is the same count modulo 256, and its neighbours are untouched.
        Assert.Equal(threads * increments % 256, _shared.Memory.ReadByte(64));
        Assert.Equal(0, _shared.Memory.ReadByte(65));

        _shared.RunThreads(threads, (_, instance) => instance.GetFunction<int, int, int>("cas_add_many")!(32, increments));
        Assert.Equal(threads * increments % 65536, (ushort)_shared.Memory.ReadInt16(32));
        Assert.Equal(0, _shared.Memory.ReadInt16(34));
    }

    [Fact]
    public void RacingPlainAccessesAndConcurrentGrowthNeverCrash()
    {
        // Tearing is allowed; faults, hangs and exceptions are not. Growth happens while other threads access.
        var sizes = _shared.RunThreads(4, (i, instance) => instance.GetFunction<int, int, int>("race")!(2 * i + 3, 4096));
        Assert.All(sizes, s => Assert.InRange(s, 1, 4));
        Assert.Equal(4UL, _shared.Memory.Pages); // every thread tried to grow 4 times, the maximum is 4 pages
    }

    [Fact]
    public void ASharedMemoryOutlivesTheStoreThatCreatedItWhileAnotherStoreUsesIt()
    {
        var owner = new Store();
        var memory = new Memory(owner, new Weft.Syntax.MemoryType(new Weft.Syntax.Limits(Weft.Syntax.AddressType.I32, 1, 1, Shared: true)));
        using var user = new Store();
        var instance = new Linker().Define("env", "mem", memory).Instantiate(user, WasmModule.FromText("""
            (module (memory (import "env" "mem") 1 1 shared)
              (func (export "add") (param i32) (result i32) (i32.atomic.rmw.add (i32.const 8) (local.get 0))))
            """));
        var add = instance.GetFunction<int, int>("add")!;
        Assert.Equal(0, add(5));
        owner.Dispose();
        Assert.Equal(5, add(7)); // still mapped: the user store still owns it
        Assert.Equal(12, memory.ReadInt32(8));
        Assert.True(memory.IsShared);
    }
}
