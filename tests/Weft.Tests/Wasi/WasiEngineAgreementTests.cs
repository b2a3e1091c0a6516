using System.Diagnostics;
using Weft.Wasi;

namespace Weft.Tests.Wasi;

/// <summary>
/// Behaviours where Weft once differed from the spec and from other engines (wasmtime, Linux): errno values for
/// directories and trailing slashes, real link counts and inodes, and the monotonic clock.
/// </summary>
public sealed class WasiEngineAgreementTests : IDisposable
{
    private const int Success = 0, BadF = 8, IsDir = 31, NoEnt = 44, NotDir = 54, SPipe = 70;
    private const int Directory_ = 2;
    private const long FdWrite = 1 << 6;

    private readonly string _root = Directory.CreateTempSubdirectory("weft-wasi-agree-").FullName;
    private readonly WasiHarness _wasi;

    public WasiEngineAgreementTests()
    {
        File.WriteAllText(Path.Combine(_root, "file"), "some data");
        Directory.CreateDirectory(Path.Combine(_root, "dir"));
        _wasi = new WasiHarness(new WasiConfig { Preopens = { ["/"] = _root } });
    }

    public void Dispose()
    {
        _wasi.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void ReadingOrSeekingADirectoryIsEbadfAndAStreamEspipe()
    {
        var (_, dir) = _wasi.OpenDirectory(3, "dir");
        _wasi.Memory.WriteInt32(WasiHarness.Out + 16, 20000);
        _wasi.Memory.WriteInt32(WasiHarness.Out + 20, 16);
        foreach (int fd in new[] { 3, dir })
        {
            Assert.Equal(BadF, _wasi.Call("fd_pread", fd, WasiHarness.Out + 16, 1, 0L, WasiHarness.Out));
            Assert.Equal(BadF, _wasi.Call("fd_pwrite", fd, WasiHarness.Out + 16, 1, 0L, WasiHarness.Out));
            Assert.Equal(BadF, _wasi.Call("fd_seek", fd, 0L, 0, WasiHarness.Out));
            Assert.Equal(BadF, _wasi.Call("fd_tell", fd, WasiHarness.Out));
        }
        Assert.Equal(SPipe, _wasi.Call("fd_pread", 0, WasiHarness.Out + 16, 1, 0L, WasiHarness.Out));
        Assert.Equal(SPipe, _wasi.Call("fd_pwrite", 1, WasiHarness.Out + 16, 1, 0L, WasiHarness.Out));
        Assert.Equal(SPipe, _wasi.Call("fd_seek", 1, 0L, 0, WasiHarness.Out));
        Assert.Equal(SPipe, _wasi.Call("fd_tell", 2, WasiHarness.Out));
    }

    [Fact]
    public void ADirectoryCannotBeOpenedForWritingEvenWithODirectory()
    {
        Assert.Equal(IsDir, _wasi.Open(3, "dir", oflags: Directory_, rights: FdWrite).Errno);
        Assert.Equal(IsDir, _wasi.Open(3, "dir", oflags: Directory_, rights: -1).Errno);
        Assert.Equal(IsDir, _wasi.Open(3, "dir", rights: FdWrite).Errno);
        Assert.Equal(Success, _wasi.OpenDirectory(3, "dir").Errno);
    }

    [Fact]
    public void TrailingSlashesInPathLinkAreAsInLinux()
    {
        var (file, fileLength) = _wasi.String("file");
        var (missing, missingLength) = _wasi.String("missing/");
        var (fileSlash, fileSlashLength) = _wasi.String("file/");
        var (other, otherLength) = _wasi.String("other");
        Assert.Equal(NoEnt, _wasi.Call("path_link", 3, 0, file, fileLength, 3, missing, missingLength));
        Assert.Equal(NotDir, _wasi.Call("path_link", 3, 0, fileSlash, fileSlashLength, 3, other, otherLength));
        Assert.False(WasiHarness.ExistsOnHost(Path.Combine(_root, "missing")));
        Assert.False(WasiHarness.ExistsOnHost(Path.Combine(_root, "other")));
    }

    [SkippableFact]
    public void HardLinksShareOneInodeAndCountTheirLinks()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "real link counts and inodes come from statx, on Linux only");
        var (file, fileLength) = _wasi.String("file");
        var (second, secondLength) = _wasi.String("second");
        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, file, fileLength, WasiHarness.Out));
        Assert.Equal(1, _wasi.U64(WasiHarness.Out + 24));
        Assert.Equal(Success, _wasi.Call("path_link", 3, 0, file, fileLength, 3, second, secondLength));

        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, file, fileLength, WasiHarness.Out));
        long inode = _wasi.U64(WasiHarness.Out + 8), device = _wasi.U64(WasiHarness.Out);
        Assert.Equal(2, _wasi.U64(WasiHarness.Out + 24));
        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, second, secondLength, WasiHarness.Out));
        Assert.Equal(inode, _wasi.U64(WasiHarness.Out + 8));
        Assert.Equal(device, _wasi.U64(WasiHarness.Out));
        Assert.Equal(2, _wasi.U64(WasiHarness.Out + 24));

        var (_, fd) = _wasi.Open(3, "second");
        Assert.Equal(Success, _wasi.Call("fd_filestat_get", fd, WasiHarness.Out));
        Assert.Equal(inode, _wasi.U64(WasiHarness.Out + 8));
        Assert.Equal(2, _wasi.U64(WasiHarness.Out + 24));

        // A directory counts itself, its entry in its parent and its subdirectories' "..".
        Directory.CreateDirectory(Path.Combine(_root, "dir", "inner"));
        var (dir, dirLength) = _wasi.String("dir");
        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, dir, dirLength, WasiHarness.Out));
        Assert.Equal(3, _wasi.U64(WasiHarness.Out + 24));
    }

    [Fact]
    public void TheMonotonicClockIsTheOsClockNeverNegative()
    {
        static long Nanoseconds() => (long)((UInt128)(ulong)Stopwatch.GetTimestamp() * 1_000_000_000 / (ulong)Stopwatch.Frequency);
        long before = Nanoseconds();
        Assert.Equal(Success, _wasi.Call("clock_time_get", 1, 1L, WasiHarness.Out));
        long first = _wasi.U64();
        Assert.Equal(Success, _wasi.Call("clock_time_get", 1, 1L, WasiHarness.Out));
        long second = _wasi.U64();
        long after = Nanoseconds();
        Assert.InRange(first, before, after);
        Assert.InRange(second, first, after);
    }
}
