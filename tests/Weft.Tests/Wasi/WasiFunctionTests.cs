using System.Text;
using Weft.Wasi;

namespace Weft.Tests.Wasi;

/// <summary>The preview1 functions one by one: results in memory and errno values exactly as the spec numbers them.</summary>
public sealed class WasiFunctionTests : IDisposable
{
    private const int Success = 0, BadF = 8, Exist = 20, Inval = 28, IsDir = 31, NoEnt = 44, NotDir = 54, NotEmpty = 55,
        NotSock = 57, SPipe = 70, NotCapable = 76;
    private const int Creat = 1, Directory_ = 2, Excl = 4, Trunc = 8;
    private const long FdRead = 1 << 1, FdWrite = 1 << 6;

    private readonly string _root = Directory.CreateTempSubdirectory("weft-wasi-fn-").FullName;
    private readonly MemoryStream _stdout = new();
    private readonly WasiHarness _wasi;

    public WasiFunctionTests()
    {
        File.WriteAllText(Path.Combine(_root, "hello.txt"), "hello, file");
        _wasi = new WasiHarness(new WasiConfig
        {
            Args = ["prog", "one", "twö"],
            Environment = { ["A"] = "1", ["B"] = "x=y" },
            Stdin = new MemoryStream("typed input"u8.ToArray()),
            Stdout = _stdout,
            Preopens = { ["/work"] = _root },
        });
    }

    public void Dispose()
    {
        _wasi.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private List<string> ReadStrings(string sizes, string get)
    {
        Assert.Equal(Success, _wasi.Call(sizes, WasiHarness.Out, WasiHarness.Out + 4));
        int count = _wasi.U32(), size = _wasi.U32(WasiHarness.Out + 4);
        Assert.Equal(Success, _wasi.Call(get, 8000, 9000));
        var strings = new List<string>();
        for (int i = 0; i < count; i++) strings.Add(_wasi.Memory.ReadNullTerminatedString((ulong)_wasi.U32(8000 + i * 4)));
        Assert.Equal(size, strings.Sum(s => Encoding.UTF8.GetByteCount(s) + 1));
        return strings;
    }

    [Fact]
    public void ArgsAndEnvironment()
    {
        Assert.Equal(["prog", "one", "twö"], ReadStrings("args_sizes_get", "args_get"));
        Assert.Equal(["A=1", "B=x=y"], ReadStrings("environ_sizes_get", "environ_get"));
    }

    [Fact]
    public void ClocksAndRandom()
    {
        Assert.Equal(Success, _wasi.Call("clock_time_get", 0, 1L, WasiHarness.Out));
        long realtime = _wasi.U64();
        Assert.InRange(realtime / 1_000_000_000, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal(Success, _wasi.Call("clock_time_get", 1, 1L, WasiHarness.Out));
        long first = _wasi.U64();
        Assert.Equal(Success, _wasi.Call("clock_time_get", 1, 1L, WasiHarness.Out));
        Assert.True(_wasi.U64() >= first);
        Assert.Equal(Success, _wasi.Call("clock_res_get", 1, WasiHarness.Out));
        Assert.True(_wasi.U64() > 0);
        Assert.Equal(Inval, _wasi.Call("clock_time_get", 9, 1L, WasiHarness.Out));
        Assert.Equal(Success, _wasi.Call("random_get", 100, 64));
        Assert.Contains(_wasi.Memory.GetSpan(100, 64).ToArray(), b => b != 0);
        Assert.Equal(21, _wasi.Call("random_get", 131000, 1000)); // EFAULT: past the end of memory
    }

    [Fact]
    public void StandardStreams()
    {
        Assert.Equal("typed input", _wasi.Read(0));
        Assert.Equal(Success, _wasi.Write(1, "to stdout"));
        Assert.Equal(9, _wasi.U32());
        Assert.Equal("to stdout", Encoding.UTF8.GetString(_stdout.ToArray()));
        Assert.Equal(BadF, _wasi.Write(7, "nowhere"));
        Assert.Equal(NotCapable, _wasi.Write(0, "into stdin"));
        Assert.Equal(SPipe, _wasi.Call("fd_seek", 1, 0L, 0, WasiHarness.Out));
        Assert.Equal(Success, _wasi.Call("fd_fdstat_get", 1, WasiHarness.Out));
        Assert.Equal(2, _wasi.Memory.ReadByte(WasiHarness.Out)); // character device
    }

    [Fact]
    public void PreopensAreDescribed()
    {
        Assert.Equal(Success, _wasi.Call("fd_prestat_get", 3, WasiHarness.Out));
        Assert.Equal(0, _wasi.Memory.ReadByte(WasiHarness.Out));
        Assert.Equal(5, _wasi.U32(WasiHarness.Out + 4));
        Assert.Equal(Success, _wasi.Call("fd_prestat_dir_name", 3, 200, 5));
        Assert.Equal("/work", _wasi.Memory.ReadString(200, 5));
        Assert.Equal(BadF, _wasi.Call("fd_prestat_get", 1, WasiHarness.Out));
        Assert.Equal(BadF, _wasi.Call("fd_prestat_get", 4, WasiHarness.Out));
    }

    [Fact]
    public void FilesReadWriteSeekAndStat()
    {
        var (errno, fd) = _wasi.Open(3, "new.txt", oflags: Creat | Excl);
        Assert.Equal(Success, errno);
        Assert.Equal(Exist, _wasi.Open(3, "new.txt", oflags: Creat | Excl).Errno);
        Assert.Equal(Success, _wasi.Write(fd, "0123456789"));
        Assert.Equal(Success, _wasi.Call("fd_tell", fd, WasiHarness.Out));
        Assert.Equal(10, _wasi.U64());
        Assert.Equal(Success, _wasi.Call("fd_seek", fd, -4L, 2, WasiHarness.Out));
        Assert.Equal(6, _wasi.U64());
        Assert.Equal("6789", _wasi.Read(fd));
        Assert.Equal(Inval, _wasi.Call("fd_seek", fd, -100L, 1, WasiHarness.Out));

        // pread/pwrite leave the position alone.
        _wasi.Memory.WriteString(300, "AB");
        _wasi.Memory.WriteInt32(400, 300);
        _wasi.Memory.WriteInt32(404, 2);
        Assert.Equal(Success, _wasi.Call("fd_pwrite", fd, 400, 1, 2L, WasiHarness.Out));
        _wasi.Memory.WriteInt32(404, 4);
        Assert.Equal(Success, _wasi.Call("fd_pread", fd, 400, 1, 1L, WasiHarness.Out));
        Assert.Equal("1AB4", _wasi.Memory.ReadString(300, 4));
        Assert.Equal(Success, _wasi.Call("fd_tell", fd, WasiHarness.Out));
        Assert.Equal(10, _wasi.U64());

        Assert.Equal(Success, _wasi.Call("fd_filestat_set_size", fd, 3L));
        Assert.Equal(Success, _wasi.Call("fd_filestat_get", fd, WasiHarness.Out));
        Assert.Equal(4, _wasi.Memory.ReadByte(WasiHarness.Out + 16)); // regular file
        Assert.Equal(3, _wasi.U64(WasiHarness.Out + 32));
        Assert.Equal(Success, _wasi.Call("fd_allocate", fd, 0L, 100L));
        Assert.Equal(100, new FileInfo(Path.Combine(_root, "new.txt")).Length);
        Assert.Equal(Success, _wasi.Call("fd_filestat_set_times", fd, 1_000_000_000_000_000_000L, 0L, 1 | 8));
        Assert.Equal(Inval, _wasi.Call("fd_filestat_set_times", fd, 0L, 0L, 1 | 2));
        Assert.Equal(Success, _wasi.Call("fd_sync", fd));
        Assert.Equal(Success, _wasi.Call("fd_datasync", fd));
        Assert.Equal(Success, _wasi.Call("fd_advise", fd, 0L, 0L, 1));
        Assert.Equal(Success, _wasi.Call("fd_close", fd));
        Assert.Equal(BadF, _wasi.Call("fd_close", fd));
    }

    [Fact]
    public void AppendModeAndTruncate()
    {
        var (_, fd) = _wasi.Open(3, "hello.txt", rights: FdWrite | (1 << 3), fdflags: 1);
        Assert.Equal(Success, _wasi.Write(fd, "!"));
        Assert.Equal("hello, file!", File.ReadAllText(Path.Combine(_root, "hello.txt")));
        Assert.Equal(NotCapable, _wasi.Call("fd_read", fd, 400, 0, WasiHarness.Out));
        var (errno, _) = _wasi.Open(3, "hello.txt", oflags: Trunc, rights: FdWrite);
        Assert.Equal(Success, errno);
        Assert.Equal("", File.ReadAllText(Path.Combine(_root, "hello.txt")));
        Assert.Equal(Success, _wasi.Call("fd_fdstat_set_flags", fd, 0));
        Assert.Equal(Success, _wasi.Call("fd_fdstat_get", fd, WasiHarness.Out));
        Assert.Equal(0, _wasi.Memory.ReadInt16(WasiHarness.Out + 2));
    }

    [Fact]
    public void RightsOnlyShrink()
    {
        var (_, fd) = _wasi.Open(3, "hello.txt", rights: FdRead);
        Assert.Equal(NotCapable, _wasi.Write(fd, "x"));
        Assert.Equal(Success, _wasi.Call("fd_fdstat_set_rights", fd, 0L, 0L));
        Assert.Equal(NotCapable, _wasi.Call("fd_fdstat_set_rights", fd, FdRead, 0L));
        Assert.Equal(NotCapable, _wasi.Call("fd_read", fd, 400, 0, WasiHarness.Out));
    }

    [Fact]
    public void DirectoriesCreateListRenameRemove()
    {
        Assert.Equal(Success, _wasi.PathCall("path_create_directory", 3, "d"));
        Assert.Equal(Exist, _wasi.PathCall("path_create_directory", 3, "d"));
        Assert.Equal(Success, _wasi.Open(3, "d/f.txt", oflags: Creat).Errno);
        Assert.Equal(NotEmpty, _wasi.PathCall("path_remove_directory", 3, "d"));
        Assert.Equal(NotDir, _wasi.PathCall("path_remove_directory", 3, "hello.txt"));
        Assert.Equal(IsDir, _wasi.PathCall("path_unlink_file", 3, "d"));
        Assert.Equal(NotDir, _wasi.Open(3, "hello.txt", oflags: Directory_).Errno);
        Assert.Equal(NotDir, _wasi.Open(3, "hello.txt/x").Errno);

        var (errno, dir) = _wasi.OpenDirectory(3, "d");
        Assert.Equal(Success, errno);
        Assert.Equal(Success, _wasi.Call("fd_readdir", dir, 5000, 1000, 0L, WasiHarness.Out));
        var names = ParseDirents(5000, _wasi.U32());
        Assert.Equal([".", "..", "f.txt"], names.Select(n => n.Name));
        Assert.Equal(4, names[2].Type);
        // A buffer too small for everything is filled completely: the program calls again from the last cookie.
        Assert.Equal(Success, _wasi.Call("fd_readdir", dir, 5000, 30, 0L, WasiHarness.Out));
        Assert.Equal(30, _wasi.U32());
        Assert.Equal(Success, _wasi.Call("fd_readdir", dir, 5000, 1000, 2L, WasiHarness.Out));
        Assert.Equal(["f.txt"], ParseDirents(5000, _wasi.U32()).Select(n => n.Name));
        Assert.Equal(NotDir, _wasi.Call("fd_readdir", 1, 5000, 1000, 0L, WasiHarness.Out));

        var (from, fromLength) = _wasi.String("d/f.txt");
        var (to, toLength) = _wasi.String("g.txt");
        Assert.Equal(Success, _wasi.Call("path_rename", 3, from, fromLength, 3, to, toLength));
        Assert.True(File.Exists(Path.Combine(_root, "g.txt")));
        Assert.Equal(Success, _wasi.PathCall("path_remove_directory", 3, "d"));
        Assert.Equal(Success, _wasi.PathCall("path_unlink_file", 3, "g.txt"));
        Assert.Equal(NoEnt, _wasi.PathCall("path_unlink_file", 3, "g.txt"));
    }

    private List<(string Name, int Type, long Inode)> ParseDirents(int at, int used)
    {
        var result = new List<(string, int, long)>();
        int end = at + used;
        while (at + 24 <= end)
        {
            int length = _wasi.U32(at + 16);
            result.Add((_wasi.Memory.ReadString((ulong)(at + 24), length), _wasi.Memory.ReadByte((ulong)(at + 20)), _wasi.U64(at + 8)));
            at += 24 + length;
        }
        return result;
    }

    [SkippableFact]
    public void SymlinksHardLinksAndStat()
    {
        var (target, targetLength) = _wasi.String("hello.txt");
        var (link, linkLength) = _wasi.String("link");
        try
        {
            Assert.Equal(Success, _wasi.Call("path_symlink", target, targetLength, 3, link, linkLength));
        }
        catch (TrapException e) when (e.InnerException is UnauthorizedAccessException)
        {
            Skip.If(true, "no symlinks here");
        }
        Assert.Equal(Success, _wasi.Call("path_readlink", 3, link, linkLength, 600, 100, WasiHarness.Out));
        Assert.Equal("hello.txt", _wasi.Memory.ReadString(600, _wasi.U32()));
        Assert.Equal(Inval, _wasi.Call("path_readlink", 3, target, targetLength, 600, 100, WasiHarness.Out));

        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, link, linkLength, WasiHarness.Out));
        Assert.Equal(7, _wasi.Memory.ReadByte(WasiHarness.Out + 16)); // symbolic link
        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 1, link, linkLength, WasiHarness.Out));
        Assert.Equal(4, _wasi.Memory.ReadByte(WasiHarness.Out + 16));
        Assert.Equal(11, _wasi.U64(WasiHarness.Out + 32));

        var (hard, hardLength) = _wasi.String("hard.txt");
        Assert.Equal(Success, _wasi.Call("path_link", 3, 0, target, targetLength, 3, hard, hardLength));
        Assert.Equal("hello, file", File.ReadAllText(Path.Combine(_root, "hard.txt")));
        Assert.Equal(Exist, _wasi.Call("path_link", 3, 0, target, targetLength, 3, hard, hardLength));
        Assert.Equal(Success, _wasi.Call("path_filestat_set_times", 3, 0, hard, hardLength, 0L, 0L, 2 | 8));
    }

    [Fact]
    public void DescriptorsRenumber()
    {
        var (_, a) = _wasi.Open(3, "hello.txt");
        var (_, b) = _wasi.Open(3, "hello.txt");
        Assert.Equal(Success, _wasi.Call("fd_seek", a, 6L, 0, WasiHarness.Out));
        Assert.Equal(Success, _wasi.Call("fd_renumber", a, b));
        Assert.Equal(" file", _wasi.Read(b));
        Assert.Equal(BadF, _wasi.Call("fd_close", a));
        Assert.Equal(BadF, _wasi.Call("fd_renumber", b, 99));
    }

    [Fact]
    public void PollWaitsForClocksAndReportsDescriptors()
    {
        // One relative clock of 1 ms.
        var sub = _wasi.Memory.GetSpan(2000, 96);
        sub.Clear();
        BitConverter.TryWriteBytes(sub, 77UL);
        sub[8] = 0;
        BitConverter.TryWriteBytes(sub[16..], 1);
        BitConverter.TryWriteBytes(sub[24..], 1_000_000UL);
        Assert.Equal(Success, _wasi.Call("poll_oneoff", 2000, 3000, 1, WasiHarness.Out));
        Assert.Equal(1, _wasi.U32());
        Assert.Equal(77, _wasi.U64(3000));
        Assert.Equal(0, _wasi.Memory.ReadInt16(3008));
        Assert.Equal(0, _wasi.Memory.ReadByte(3010));

        // A clock of an hour and stdout's write readiness: returns at once with the descriptor.
        BitConverter.TryWriteBytes(sub[24..], 3_600_000_000_000UL);
        var fdSub = sub[48..];
        BitConverter.TryWriteBytes(fdSub, 5UL);
        fdSub[8] = 2;
        BitConverter.TryWriteBytes(fdSub[16..], 1);
        Assert.Equal(Success, _wasi.Call("poll_oneoff", 2000, 3000, 2, WasiHarness.Out));
        Assert.Equal(1, _wasi.U32());
        Assert.Equal(5, _wasi.U64(3000));
        Assert.Equal(2, _wasi.Memory.ReadByte(3010));
        Assert.Equal(Inval, _wasi.Call("poll_oneoff", 2000, 3000, 0, WasiHarness.Out));
    }

    [Fact]
    public void SocketsAndSignalsAreCleanErrors()
    {
        Assert.Equal(NotSock, _wasi.Call("sock_shutdown", 1, 0));
        Assert.Equal(BadF, _wasi.Call("sock_shutdown", 42, 0));
        Assert.Equal(NotSock, _wasi.Call("sock_accept", 3, 0, WasiHarness.Out));
        Assert.Equal(NotSock, _wasi.Call("sock_recv", 0, 0, 0, 0, WasiHarness.Out, WasiHarness.Out + 4));
        Assert.Equal(NotSock, _wasi.Call("sock_send", 1, 0, 0, 0, WasiHarness.Out));
        Assert.Equal(58, _wasi.Call("proc_raise", 9));
        Assert.Equal(Success, _wasi.Call("sched_yield"));
    }

    [Fact]
    public void ProcExitEndsTheProgramNotTheHost()
    {
        var exit = Assert.Throws<WasiExitException>(() => _wasi.Instance.GetFunction("proc_exit")!.Invoke(3));
        Assert.Equal(3, exit.ExitCode);
    }

    [Fact]
    public void BadPointersAndCountsAreErrorsNotCrashes()
    {
        Assert.Equal(21, _wasi.Call("fd_write", 1, 0, 100_000, WasiHarness.Out)); // EFAULT: the iovecs run past memory
        Assert.Equal(Inval, _wasi.Call("fd_write", 1, 0, int.MaxValue, WasiHarness.Out));
        Assert.Equal(Inval, _wasi.Call("fd_write", 1, 0, -1, WasiHarness.Out));
        Assert.Equal(21, _wasi.Call("fd_fdstat_get", 1, 131072 - 8));
        Assert.Equal(21, _wasi.Call("args_get", -4, 0));
        Assert.Equal(Inval, _wasi.Call("poll_oneoff", 0, 0, int.MaxValue, WasiHarness.Out));
    }

    [Fact]
    public void InvalidUtf8PathsAreEilseq()
    {
        _wasi.Memory.GetSpan(700, 2)[0] = 0xFF;
        Assert.Equal(25, _wasi.Call("path_open", 3, 0, 700, 1, 0, -1L, -1L, 0, WasiHarness.Out));
    }
}
