using System.Collections.Concurrent;
using Weft.Wasi;

namespace Weft.Tests.Wasi;

/// <summary>The descriptor table under the threads of one wasi-threads program.</summary>
public sealed class DescriptorTableTests
{
    private sealed class Probe : Descriptor
    {
        public int Closed;

        public override FileType Type => FileType.RegularFile;

        public override void Close() => Interlocked.Increment(ref Closed);
    }

    [Fact]
    public void ThreadsOpeningAndClosingAtOnceNeverShareANumber()
    {
        var table = new DescriptorTable();
        var held = new ConcurrentDictionary<int, Probe>();
        var all = new ConcurrentBag<Probe>();
        int clashes = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var mine = new List<int>();
            for (int i = 0; i < 20_000; i++)
            {
                var probe = new Probe();
                all.Add(probe);
                int fd = table.Add(probe);
                if (!held.TryAdd(fd, probe)) Interlocked.Increment(ref clashes);
                mine.Add(fd);
                if (mine.Count == 8)
                {
                    foreach (int f in mine)
                    {
                        held.TryRemove(f, out var _);
                        table.Close(f);
                    }
                    mine.Clear();
                }
            }
            foreach (int f in mine)
            {
                held.TryRemove(f, out var _);
                table.Close(f);
            }
        });
        Assert.Equal(0, clashes);
        Assert.All(all, p => Assert.Equal(1, p.Closed));
        Assert.Equal(0, table.Add(new Probe())); // every number was given back
    }

    [Fact]
    public void AStreamClosedByAnotherThreadWhileInUseIsEbadf()
    {
        Assert.Equal(Errno.BadF, HostFiles.ToErrno(new ObjectDisposedException("stream")));
    }
}
