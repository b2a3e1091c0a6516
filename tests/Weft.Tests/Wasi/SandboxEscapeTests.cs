using Weft.Wasi;

namespace Weft.Tests.Wasi;

/// <summary>
/// Nothing outside a preopened directory is reachable: each way out (.., absolute paths, symbolic links absolute or
/// relative, through an intermediate component, from a subdirectory descriptor) fails with ENOTCAPABLE and touches
/// nothing outside.
/// </summary>
public sealed class SandboxEscapeTests : IDisposable
{
    private const int NotCapable = 76, Loop = 32, NoEnt = 44, Success = 0;
    private const int Creat = 1;

    private readonly string _outside = Directory.CreateTempSubdirectory("weft-sandbox-").FullName;
    private readonly string _root;
    private readonly string _secret;
    private readonly WasiHarness _wasi;

    public SandboxEscapeTests()
    {
        _root = Path.Combine(_outside, "sandbox");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "inside.txt"), "inside");
        _secret = Path.Combine(_outside, "secret.txt");
        File.WriteAllText(_secret, "secret");
        _wasi = new WasiHarness(new WasiConfig { Preopens = { ["/sandbox"] = _root } });
    }

    public void Dispose()
    {
        _wasi.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("sub/../../secret.txt")]
    [InlineData("sub/../sub/../..")]
    [InlineData("./../sandbox/../secret.txt")]
    [InlineData("..")]
    public void DotDotCannotClimbOut(string path)
    {
        Assert.Equal(NotCapable, _wasi.Open(3, path).Errno);
        Assert.Equal(NotCapable, _wasi.Open(3, path, oflags: Creat).Errno);
        Assert.Equal(NotCapable, _wasi.PathCall("path_create_directory", 3, path + "/new"));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/sandbox/inside.txt")]
    [InlineData("/")]
    public void AbsolutePathsAreRefused(string path)
    {
        Assert.Equal(NotCapable, _wasi.Open(3, path).Errno);
        Assert.Equal(NotCapable, _wasi.PathCall("path_unlink_file", 3, path));
    }

    [SkippableFact]
    public void AnAbsoluteSymlinkIsNotFollowed()
    {
        SkipWithoutSymlinks();
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), _secret);
        Assert.Equal(NotCapable, _wasi.Open(3, "abs").Errno);
        Assert.Equal(Loop, _wasi.Open(3, "abs", follow: false).Errno);
    }

    [SkippableFact]
    public void ARelativeSymlinkOutIsNotFollowed()
    {
        SkipWithoutSymlinks();
        File.CreateSymbolicLink(Path.Combine(_root, "rel"), "../secret.txt");
        File.CreateSymbolicLink(Path.Combine(_root, "sub", "deeper"), "../../secret.txt");
        Assert.Equal(NotCapable, _wasi.Open(3, "rel").Errno);
        Assert.Equal(NotCapable, _wasi.Open(3, "sub/deeper").Errno);
    }

    [SkippableFact]
    public void ASymlinkAsAnIntermediateDirectoryCannotLeadOut()
    {
        SkipWithoutSymlinks();
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "..");
        File.CreateSymbolicLink(Path.Combine(_root, "tmp"), _outside);
        Assert.Equal(NotCapable, _wasi.Open(3, "up/secret.txt").Errno);
        Assert.Equal(NotCapable, _wasi.Open(3, "tmp/secret.txt").Errno);
        Assert.Equal(NotCapable, _wasi.Open(3, "up/new.txt", oflags: Creat).Errno);
        Assert.False(File.Exists(Path.Combine(_outside, "new.txt")));
    }

    [SkippableFact]
    public void AChainOfLinksIsFollowedWithTheSameRules()
    {
        SkipWithoutSymlinks();
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), "sub/../../secret.txt");
        File.CreateSymbolicLink(Path.Combine(_root, "ok"), "sub/../inside.txt");
        Assert.Equal(NotCapable, _wasi.Open(3, "a").Errno);
        var (errno, fd) = _wasi.Open(3, "ok");
        Assert.Equal(Success, errno);
        Assert.Equal("inside", _wasi.Read(fd));
    }

    [SkippableFact]
    public void TimesAndStatOfALinkNeverReachItsOutsideTarget()
    {
        SkipWithoutSymlinks();
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), _secret);
        File.CreateSymbolicLink(Path.Combine(_root, "rel"), "../secret.txt");
        var secretTime = File.GetLastWriteTimeUtc(_secret);
        foreach (var name in new[] { "abs", "rel" })
        {
            var (p, n) = _wasi.String(name);
            Assert.Equal(NotCapable, _wasi.Call("path_filestat_set_times", 3, 1, p, n, 0L, 1_000_000_000_000_000_000L, 4));
            Assert.Equal(NotCapable, _wasi.Call("path_filestat_get", 3, 1, p, n, WasiHarness.Out));
            // Without following, the call is about the link itself (ENOTSUP where the OS call for that is missing).
            int errno = _wasi.Call("path_filestat_set_times", 3, 0, p, n, 0L, 1_000_000_000_000_000_000L, 4);
            Assert.Equal(OperatingSystem.IsLinux() ? Success : 58, errno);
            Assert.Equal(Success, _wasi.Call("path_filestat_get", 3, 0, p, n, WasiHarness.Out));
            Assert.Equal(7, _wasi.Memory.ReadByte(WasiHarness.Out + 16));
        }
        Assert.Equal(secretTime, File.GetLastWriteTimeUtc(_secret));
    }

    [SkippableFact]
    public void SymlinkLoopsEndWithEloop()
    {
        SkipWithoutSymlinks();
        File.CreateSymbolicLink(Path.Combine(_root, "x"), "y");
        File.CreateSymbolicLink(Path.Combine(_root, "y"), "x");
        Assert.Equal(Loop, _wasi.Open(3, "x").Errno);
    }

    [SkippableFact]
    public void LinksCreatedByTheProgramCannotLeadOutEither()
    {
        SkipWithoutSymlinks();
        var (target, targetLength) = _wasi.String(_secret);
        var (name, nameLength) = _wasi.String("mine");
        Assert.Equal(NotCapable, _wasi.Call("path_symlink", target, targetLength, 3, name, nameLength));
        var (up, upLength) = _wasi.String("../secret.txt");
        Assert.Equal(NotCapable, _wasi.Call("path_symlink", up, upLength, 3, name, nameLength));
        Assert.False(WasiHarness.ExistsOnHost(Path.Combine(_root, "mine")));
        Assert.Equal(NoEnt, _wasi.Open(3, "mine").Errno);
    }

    [Fact]
    public void RenameAndLinkCannotMoveFilesOut()
    {
        var (from, fromLength) = _wasi.String("inside.txt");
        var (to, toLength) = _wasi.String("../moved.txt");
        Assert.Equal(NotCapable, _wasi.Call("path_rename", 3, from, fromLength, 3, to, toLength));
        Assert.Equal(NotCapable, _wasi.Call("path_link", 3, 0, from, fromLength, 3, to, toLength));
        Assert.False(File.Exists(Path.Combine(_outside, "moved.txt")));
        Assert.True(File.Exists(Path.Combine(_root, "inside.txt")));
    }

    [Fact]
    public void ASubdirectoryDescriptorIsItsOwnBoundary()
    {
        var (errno, sub) = _wasi.OpenDirectory(3, "sub");
        Assert.Equal(Success, errno);
        Assert.Equal(NotCapable, _wasi.Open(sub, "../inside.txt").Errno);
        Assert.Equal(NotCapable, _wasi.Open(sub, "../../secret.txt").Errno);
    }

    [Fact]
    public void FilesOnlyReachableWithAPreopen()
    {
        Assert.Equal(54, _wasi.Open(0, "inside.txt").Errno); // ENOTDIR: stdin is no directory
        Assert.Equal(8, _wasi.Open(9, "inside.txt").Errno); // EBADF: no such descriptor
        Assert.Equal(NoEnt, _wasi.Open(3, "missing.txt").Errno);
    }

    private void SkipWithoutSymlinks() => WasiHarness.SkipWithoutSymlinks(_outside);
}
