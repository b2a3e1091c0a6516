using Weft.Wasi;

namespace Weft.Tests.Wasi;

/// <summary>
/// The attacks on descriptors that outlive the path they were opened by, and on links the program leaves on the
/// host's disk: each attempt answers ENOTCAPABLE or ENOENT, and the host file system outside the preopen is checked
/// to be untouched.
/// </summary>
public sealed class StaleDescriptorTests : IDisposable
{
    private const int Success = 0, NoEnt = 44, NotCapable = 76;
    private const int Creat = 1;
    private const int Mtim = 4;

    private readonly string _outside = Directory.CreateTempSubdirectory("weft-stale-").FullName;
    private readonly string _root;
    private readonly string _secret;
    private readonly string _other;
    private readonly WasiHarness _wasi;

    public StaleDescriptorTests()
    {
        _root = Path.Combine(_outside, "sandbox");
        _other = Path.Combine(_outside, "other");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        Directory.CreateDirectory(_other);
        File.WriteAllText(Path.Combine(_root, "inside.txt"), "inside");
        _secret = Path.Combine(_outside, "secret.txt");
        File.WriteAllText(_secret, "secret, longer than the rest");
        File.WriteAllText(Path.Combine(_other, "secret2.txt"), "secret 2");
        _wasi = new WasiHarness(new WasiConfig { Preopens = { ["/sandbox"] = _root } });
    }

    public void Dispose()
    {
        _wasi.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    private int Rename(string from, string to)
    {
        var (f, fn) = _wasi.String(from);
        var (t, tn) = _wasi.String(to);
        return _wasi.Call("path_rename", 3, f, fn, 3, t, tn);
    }

    private int Symlink(string contents, int dirFd, string name)
    {
        var (c, cn) = _wasi.String(contents);
        var (n, nn) = _wasi.String(name);
        return _wasi.Call("path_symlink", c, cn, dirFd, n, nn);
    }

    private int HardLink(string from, string to)
    {
        var (f, fn) = _wasi.String(from);
        var (t, tn) = _wasi.String(to);
        return _wasi.Call("path_link", 3, 0, f, fn, 3, t, tn);
    }

    private string[] OutsideEntries() =>
        [.. Directory.EnumerateFileSystemEntries(_outside, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [SkippableFact]
    public void ADirectoryDescriptorCannotBeRedirectedOutsideByARenameAndALink()
    {
        SkipWithoutSymlinks();
        var before = OutsideEntries();
        Assert.Equal(Success, _wasi.PathCall("path_create_directory", 3, "a"));
        var (errno, fd) = _wasi.OpenDirectory(3, "a");
        Assert.Equal(Success, errno);
        Assert.Equal(Success, Rename("a", "b"));

        // The program itself may not plant the link...
        Assert.Equal(NotCapable, Symlink("..", 3, "a"));
        Assert.Equal(NotCapable, Symlink("../other", 3, "a"));
        Assert.False(WasiHarness.ExistsOnHost(Path.Combine(_root, "a")));

        // ...and when it is there anyway (made by the host, or already there), the descriptor does not follow it out.
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "..");
        Assert.Equal(NotCapable, _wasi.Open(fd, "secret.txt").Errno);
        Assert.Equal(NotCapable, _wasi.Open(fd, "created.txt", oflags: Creat).Errno);
        Assert.Equal(NotCapable, _wasi.PathCall("path_create_directory", fd, "made"));
        Assert.Equal(NotCapable, _wasi.Call("fd_filestat_get", fd, WasiHarness.Out));
        Assert.Equal(NotCapable, _wasi.Call("fd_readdir", fd, 20000, 4096, 0L, WasiHarness.Out));
        Assert.Equal(NotCapable, _wasi.Call("fd_filestat_set_times", fd, 0L, 1_000_000_000L, Mtim));

        File.Delete(Path.Combine(_root, "a"));
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "../other");
        Assert.Equal(NotCapable, _wasi.Open(fd, "secret2.txt").Errno);
        Assert.Equal(NotCapable, _wasi.Open(fd, "created.txt", oflags: Creat).Errno);

        // Gone altogether: the descriptor names nothing.
        File.Delete(Path.Combine(_root, "a"));
        Assert.Equal(NoEnt, _wasi.Open(fd, "created.txt", oflags: Creat).Errno);

        Assert.Equal(before, OutsideEntries());
        Assert.Equal("secret, longer than the rest", File.ReadAllText(_secret));
    }

    [SkippableFact]
    public void ADirectoryDescriptorCannotBeRedirectedOutsideByARemoveAndALink()
    {
        SkipWithoutSymlinks();
        var before = OutsideEntries();
        Assert.Equal(Success, _wasi.PathCall("path_create_directory", 3, "c"));
        var (_, fd) = _wasi.OpenDirectory(3, "c");
        Assert.Equal(Success, _wasi.PathCall("path_remove_directory", 3, "c"));
        File.CreateSymbolicLink(Path.Combine(_root, "c"), "..");
        Assert.Equal(NotCapable, _wasi.Open(fd, "secret.txt").Errno);
        Assert.Equal(NotCapable, _wasi.Open(fd, "created.txt", oflags: Creat).Errno);
        Assert.Equal(before, OutsideEntries());
    }

    [SkippableFact]
    public void AtWorstARedirectedDescriptorNamesAnotherPlaceInside()
    {
        SkipWithoutSymlinks();
        Assert.Equal(Success, _wasi.PathCall("path_create_directory", 3, "x"));
        Assert.Equal(Success, _wasi.PathCall("path_create_directory", 3, "x/a"));
        var (_, fd) = _wasi.OpenDirectory(3, "x/a");
        Assert.Equal(Success, Rename("x/a", "x/b"));
        Assert.Equal(Success, Symlink("..", 3, "x/a")); // x/a -> the preopen itself: inside, so allowed
        var (errno, file) = _wasi.Open(fd, "inside.txt");
        Assert.Equal(Success, errno);
        Assert.Equal("inside", _wasi.Read(file));
        Assert.Equal(NotCapable, _wasi.Open(fd, "../secret.txt").Errno);
    }

    [SkippableFact]
    public void AnOpenFileActsOnItsHandleNotOnItsOldPath()
    {
        SkipWithoutSymlinks();
        File.WriteAllText(Path.Combine(_root, "f.txt"), "file f");
        var (_, fd) = _wasi.Open(3, "f.txt");
        Assert.Equal(Success, Rename("f.txt", "g.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "f.txt"), "../secret.txt");
        var secretTime = File.GetLastWriteTimeUtc(_secret);

        const long Time = 1_000_000_000L * 1_000_000_000L; // 2001-09-09
        Assert.Equal(Success, _wasi.Call("fd_filestat_set_times", fd, 0L, Time, Mtim));
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_000_000_000), File.GetLastWriteTimeUtc(Path.Combine(_root, "g.txt")));
        Assert.Equal(secretTime, File.GetLastWriteTimeUtc(_secret));

        Assert.Equal(Success, _wasi.Call("fd_filestat_get", fd, WasiHarness.Out));
        Assert.Equal(4, _wasi.Memory.ReadByte(WasiHarness.Out + 16)); // a regular file, not the link now at f.txt
        Assert.Equal("file f".Length, _wasi.U64(WasiHarness.Out + 32));
        Assert.Equal(Time, _wasi.U64(WasiHarness.Out + 48));
        long inode = _wasi.U64(WasiHarness.Out + 8);
        var (g, gn) = _wasi.String("g.txt");
        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, g, gn, WasiHarness.Out));
        Assert.Equal(inode, _wasi.U64(WasiHarness.Out + 8));
    }

    [SkippableTheory]
    [InlineData("..")]
    [InlineData("../secret.txt")]
    [InlineData("../sandbox/inside.txt")]
    [InlineData("sub/../../secret.txt")]
    [InlineData("sub/../inside.txt")] // inside today, but "sub" could later become a link to the preopen itself
    [InlineData("/etc/passwd")]
    public void SymlinksThatCouldLeadOutAreNotCreated(string contents)
    {
        SkipWithoutSymlinks();
        Assert.Equal(NotCapable, Symlink(contents, 3, "link"));
        Assert.False(WasiHarness.ExistsOnHost(Path.Combine(_root, "link")));
        Assert.Equal(NotCapable, Symlink(contents.Replace("..", "../..", StringComparison.Ordinal), 3, "sub/link"));
        Assert.False(WasiHarness.ExistsOnHost(Path.Combine(_root, "sub", "link")));
    }

    [SkippableFact]
    public void SymlinksThatStayInsideAreCreated()
    {
        SkipWithoutSymlinks();
        Assert.Equal(Success, Symlink("inside.txt", 3, "l1"));
        Assert.Equal(Success, Symlink("../inside.txt", 3, "sub/l2"));
        Assert.Equal(Success, Symlink("./sub/", 3, "l3"));
        Assert.Equal(Success, Symlink("missing/file", 3, "l4")); // dangling is fine
        Assert.Equal("../inside.txt", new FileInfo(Path.Combine(_root, "sub", "l2")).LinkTarget);
        Assert.Equal("inside", _wasi.Read(_wasi.Open(3, "sub/l2").Fd));
    }

    [SkippableFact]
    public void MovingALinkCannotMakeItLeadOut()
    {
        SkipWithoutSymlinks();
        var before = OutsideEntries();
        Assert.Equal(Success, Symlink("../inside.txt", 3, "sub/up"));
        Assert.Equal(NotCapable, Rename("sub/up", "up"));
        Assert.Equal(NotCapable, HardLink("sub/up", "up2"));
        Assert.False(WasiHarness.ExistsOnHost(Path.Combine(_root, "up")));
        Assert.False(WasiHarness.ExistsOnHost(Path.Combine(_root, "up2")));
        Assert.True(WasiHarness.ExistsOnHost(Path.Combine(_root, "sub", "up")));

        // A directory moving nearer the root takes its links along.
        Assert.Equal(Success, _wasi.PathCall("path_create_directory", 3, "d"));
        Assert.Equal(Success, _wasi.PathCall("path_create_directory", 3, "d/x"));
        Assert.Equal(Success, Symlink("../../inside.txt", 3, "d/x/l"));
        Assert.Equal(NotCapable, Rename("d/x", "x"));
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
        Assert.Equal(Success, Rename("d/x", "d/y")); // same depth
        Assert.Equal(Success, Rename("d", "sub/d")); // deeper
        Assert.Equal("inside", _wasi.Read(_wasi.Open(3, "sub/d/y/../../../inside.txt").Fd));
        // Deeper, the link names another place, still inside: sub/inside.txt, which does not exist.
        Assert.Equal(NoEnt, _wasi.Open(3, "sub/d/y/l").Errno);
        Assert.Equal(before, OutsideEntries());
    }

    [Fact]
    public void DotDotOfAPreopenCarriesNoHostInode()
    {
        const int buffer = 20000;
        Assert.Equal(Success, _wasi.Call("fd_readdir", 3, buffer, 4096, 0L, WasiHarness.Out));
        int used = _wasi.U32();
        var inodes = new Dictionary<string, long>();
        for (int at = buffer; at + 24 <= buffer + used;)
        {
            int length = _wasi.U32(at + 16);
            inodes[_wasi.Memory.ReadString((ulong)(at + 24), length)] = _wasi.U64(at + 8);
            at += 24 + length;
        }
        Assert.Equal(inodes["."], inodes[".."]);
        var (dot, dotLength) = _wasi.String(".");
        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, dot, dotLength, WasiHarness.Out));
        Assert.Equal(inodes["."], _wasi.U64(WasiHarness.Out + 8));
        var (file, fileLength) = _wasi.String("inside.txt");
        Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, file, fileLength, WasiHarness.Out));
        Assert.Equal(inodes["inside.txt"], _wasi.U64(WasiHarness.Out + 8));
    }

    private void SkipWithoutSymlinks() => WasiHarness.SkipWithoutSymlinks(_outside);
}
