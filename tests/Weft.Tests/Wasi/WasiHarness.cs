using System.Text;
using Weft.Wasi;

namespace Weft.Tests.Wasi;

/// <summary>
/// Calls WASI functions one at a time from a test: a module imports each preview1 function and exports it again, so
/// the test calls it with raw arguments (pointers into the module's memory) and sees the errno it returns.
/// </summary>
internal sealed class WasiHarness : IDisposable
{
    // Each function's parameters (its result is always an i32 errno).
    private static readonly (string Name, string Params)[] s_functions =
    [
        ("args_get", "i32 i32"), ("args_sizes_get", "i32 i32"), ("environ_get", "i32 i32"), ("environ_sizes_get", "i32 i32"),
        ("clock_res_get", "i32 i32"), ("clock_time_get", "i32 i64 i32"), ("random_get", "i32 i32"), ("proc_raise", "i32"),
        ("sched_yield", ""), ("fd_advise", "i32 i64 i64 i32"), ("fd_allocate", "i32 i64 i64"), ("fd_close", "i32"),
        ("fd_datasync", "i32"), ("fd_fdstat_get", "i32 i32"), ("fd_fdstat_set_flags", "i32 i32"),
        ("fd_fdstat_set_rights", "i32 i64 i64"), ("fd_filestat_get", "i32 i32"), ("fd_filestat_set_size", "i32 i64"),
        ("fd_filestat_set_times", "i32 i64 i64 i32"), ("fd_pread", "i32 i32 i32 i64 i32"), ("fd_prestat_get", "i32 i32"),
        ("fd_prestat_dir_name", "i32 i32 i32"), ("fd_pwrite", "i32 i32 i32 i64 i32"), ("fd_read", "i32 i32 i32 i32"),
        ("fd_readdir", "i32 i32 i32 i64 i32"), ("fd_renumber", "i32 i32"), ("fd_seek", "i32 i64 i32 i32"), ("fd_sync", "i32"),
        ("fd_tell", "i32 i32"), ("fd_write", "i32 i32 i32 i32"), ("path_create_directory", "i32 i32 i32"),
        ("path_filestat_get", "i32 i32 i32 i32 i32"), ("path_filestat_set_times", "i32 i32 i32 i32 i64 i64 i32"),
        ("path_link", "i32 i32 i32 i32 i32 i32 i32"), ("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
        ("path_readlink", "i32 i32 i32 i32 i32 i32"), ("path_remove_directory", "i32 i32 i32"),
        ("path_rename", "i32 i32 i32 i32 i32 i32"), ("path_symlink", "i32 i32 i32 i32 i32"), ("path_unlink_file", "i32 i32 i32"),
        ("poll_oneoff", "i32 i32 i32 i32"), ("sock_accept", "i32 i32 i32"), ("sock_recv", "i32 i32 i32 i32 i32 i32"),
        ("sock_send", "i32 i32 i32 i32 i32"), ("sock_shutdown", "i32 i32"),
    ];

    /// <summary>Where <see cref="Out"/> values are written by the functions (a scratch area).</summary>
    public const int Out = 1024;

    private const int Strings = 4096;

    private readonly Store _store = new();
    private readonly Instance _instance;
    private int _nextString = Strings;

    public WasiHarness(WasiConfig config)
    {
        var wat = new StringBuilder("(module\n");
        foreach (var (name, ps) in s_functions)
        {
            wat.Append($"  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param {ps}) (result i32)))\n");
            wat.Append($"  (export \"{name}\" (func ${name}))\n");
        }
        wat.Append("  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $proc_exit (param i32)))\n");
        wat.Append("  (export \"proc_exit\" (func $proc_exit))\n");
        wat.Append("  (memory (export \"memory\") 2))\n");
        _instance = new Linker().AddWasi(config).Instantiate(_store, WasmModule.FromText(wat.ToString()));
        Memory = _instance.GetMemory("memory")!;
    }

    public Memory Memory { get; }

    public Instance Instance => _instance;

    public void Dispose() => _store.Dispose();

    /// <summary>Calls a function; returns its errno.</summary>
    public int Call(string name, params WasmValue[] args) => _instance.GetFunction(name)!.Invoke(args)[0].AsInt32();

    /// <summary>Puts a string in memory; returns its pointer and byte length.</summary>
    public (int Pointer, int Length) String(string s)
    {
        int at = _nextString;
        int n = Memory.WriteString((ulong)at, s);
        _nextString += n + 1;
        return (at, n);
    }

    public int U32(int at = Out) => Memory.ReadInt32((ulong)at);

    public long U64(int at = Out) => Memory.ReadInt64((ulong)at);

    /// <summary>path_open in a directory descriptor; returns the errno and the new descriptor.</summary>
    public (int Errno, int Fd) Open(int dirFd, string path, int oflags = 0, long rights = -1, int fdflags = 0, bool follow = true)
    {
        var (p, n) = String(path);
        int errno = Call("path_open", dirFd, follow ? 1 : 0, p, n, oflags, rights, rights, fdflags, Out);
        return (errno, errno == 0 ? U32() : -1);
    }

    /// <summary>Whether anything is at a host path, a dangling symbolic link included.</summary>
    /// <summary>Skips the test on a host that cannot create symbolic links (probed in <paramref name="folder"/>).</summary>
    public static void SkipWithoutSymlinks(string folder)
    {
        try
        {
            string probe = Path.Combine(folder, "probe");
            File.CreateSymbolicLink(probe, "x");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Skip.If(true, "this host cannot create symbolic links");
        }
    }

    public static bool ExistsOnHost(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>path_open of a directory (O_DIRECTORY, every right but FD_WRITE, which a directory refuses with EISDIR).</summary>
    public (int Errno, int Fd) OpenDirectory(int dirFd, string path, bool follow = true) => Open(dirFd, path, oflags: 2, rights: ~(1L << 6), follow: follow);

    /// <summary>A path call of shape (fd, path, len).</summary>
    public int PathCall(string name, int dirFd, string path)
    {
        var (p, n) = String(path);
        return Call(name, dirFd, p, n);
    }

    /// <summary>fd_write of a string; returns the errno.</summary>
    public int Write(int fd, string text)
    {
        var (p, n) = String(text);
        Memory.WriteInt32(Out + 16, p);
        Memory.WriteInt32(Out + 20, n);
        return Call("fd_write", fd, Out + 16, 1, Out);
    }

    /// <summary>fd_read of up to <paramref name="max"/> bytes as a string (errno must be 0).</summary>
    public string Read(int fd, int max = 256)
    {
        const int buffer = 20000;
        Memory.WriteInt32(Out + 16, buffer);
        Memory.WriteInt32(Out + 20, max);
        Assert.Equal(0, Call("fd_read", fd, Out + 16, 1, Out));
        return Memory.ReadString(buffer, U32());
    }
}
