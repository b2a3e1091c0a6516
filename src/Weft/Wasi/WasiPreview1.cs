using System.Text;

namespace Weft.Wasi;

/// <summary>
/// The host side of <c>wasi_snapshot_preview1</c>: every function of the preview1 interface, defined on a
/// <see cref="Linker"/> as typed host functions that reach the calling instance's memory through <see cref="Caller"/>.
/// Built only on Weft's public API. Functions live in partial files by family: Environment (args, environ, clocks,
/// random, proc, sched), Descriptors (fd_*), Paths (path_*), Poll (poll_oneoff), Sockets (sock_*).
/// </summary>
internal sealed partial class WasiPreview1
{
    /// <summary>The module name wasm imports WASI from.</summary>
    public const string ModuleName = "wasi_snapshot_preview1";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly DescriptorTable _descriptors = new();
    private readonly byte[][] _args;
    private readonly byte[][] _environment;
    private readonly StreamDescriptor _stdout;
    private readonly StreamDescriptor _stderr;

    public WasiPreview1(WasiConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _args = config.Args.Select(NulTerminated).ToArray();
        // A loop, not Select: Linq over KeyValuePair<string, string> is a value-type instantiation of framework
        // generics that no ReadyToRun image holds, i.e. JIT work at every start (RATIONALE.md, "Start-up: ...third look").
        _environment = new byte[config.Environment.Count][];
        int next = 0;
        foreach (var (key, value) in config.Environment) _environment[next++] = NulTerminated($"{key}={value}");
        var stdin = config.Stdin ?? (config.InheritStdio ? Console.OpenStandardInput() : null);
        var stdout = config.Stdout ?? (config.InheritStdio ? Console.OpenStandardOutput() : null);
        var stderr = config.Stderr ?? (config.InheritStdio ? Console.OpenStandardError() : null);
        _descriptors.Add(new StreamDescriptor(stdin, input: true));
        _descriptors.Add(_stdout = new StreamDescriptor(stdout, input: false));
        _descriptors.Add(_stderr = new StreamDescriptor(stderr, input: false));
        foreach (var (guest, host) in config.Preopens)
        {
            string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(host));
            if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"preopened directory not found: {host}");
            _descriptors.Add(new DirectoryDescriptor(full, [], guest) { RightsBase = Rights.Directory, RightsInheriting = Rights.Inheriting });
        }
    }

    /// <summary>Flushes the standard output streams.</summary>
    public void Flush()
    {
        _stdout.Flush();
        _stderr.Flush();
    }

    private static byte[] NulTerminated(string s) => Encoding.UTF8.GetBytes(s + "\0");

    /// <summary>
    /// Defines every preview1 function on a linker, or only those <paramref name="wanted"/> accepts: a host function
    /// costs reflection over its delegate type and a canonical function type, which `weft run` spends only on the
    /// functions its module imports (RATIONALE.md, "Start-up: an empty module's `weft run`, third look").
    /// </summary>
    public void Define(Linker linker, Func<string, bool>? wanted = null)
    {
        void Add(string name, Func<Delegate> function)
        {
            if (wanted is null || wanted(name)) linker.Define(ModuleName, name, function());
        }

        Add("args_get", () => Wrap<int, int>(ArgsGet));
        Add("args_sizes_get", () => Wrap<int, int>(ArgsSizesGet));
        Add("environ_get", () => Wrap<int, int>(EnvironGet));
        Add("environ_sizes_get", () => Wrap<int, int>(EnvironSizesGet));
        Add("clock_res_get", () => Wrap<int, int>(ClockResGet));
        Add("clock_time_get", () => Wrap<int, long, int>(ClockTimeGet));
        Add("random_get", () => Wrap<int, int>(RandomGet));
        Add("proc_exit", () => new Action<int>(ProcExit));
        Add("proc_raise", () => Wrap<int>(ProcRaise));
        Add("sched_yield", () => Wrap(SchedYield));

        Add("fd_advise", () => Wrap<int, long, long, int>(FdAdvise));
        Add("fd_allocate", () => Wrap<int, long, long>(FdAllocate));
        Add("fd_close", () => Wrap<int>(FdClose));
        Add("fd_datasync", () => Wrap<int>(FdDatasync));
        Add("fd_fdstat_get", () => Wrap<int, int>(FdFdstatGet));
        Add("fd_fdstat_set_flags", () => Wrap<int, int>(FdFdstatSetFlags));
        Add("fd_fdstat_set_rights", () => Wrap<int, long, long>(FdFdstatSetRights));
        Add("fd_filestat_get", () => Wrap<int, int>(FdFilestatGet));
        Add("fd_filestat_set_size", () => Wrap<int, long>(FdFilestatSetSize));
        Add("fd_filestat_set_times", () => Wrap<int, long, long, int>(FdFilestatSetTimes));
        Add("fd_pread", () => Wrap<int, int, int, long, int>(FdPread));
        Add("fd_prestat_get", () => Wrap<int, int>(FdPrestatGet));
        Add("fd_prestat_dir_name", () => Wrap<int, int, int>(FdPrestatDirName));
        Add("fd_pwrite", () => Wrap<int, int, int, long, int>(FdPwrite));
        Add("fd_read", () => Wrap<int, int, int, int>(FdRead));
        Add("fd_readdir", () => Wrap<int, int, int, long, int>(FdReaddir));
        Add("fd_renumber", () => Wrap<int, int>(FdRenumber));
        Add("fd_seek", () => Wrap<int, long, int, int>(FdSeek));
        Add("fd_sync", () => Wrap<int>(FdSync));
        Add("fd_tell", () => Wrap<int, int>(FdTell));
        Add("fd_write", () => Wrap<int, int, int, int>(FdWrite));

        Add("path_create_directory", () => Wrap<int, int, int>(PathCreateDirectory));
        Add("path_filestat_get", () => Wrap<int, int, int, int, int>(PathFilestatGet));
        Add("path_filestat_set_times", () => Wrap<int, int, int, int, long, long, int>(PathFilestatSetTimes));
        Add("path_link", () => Wrap<int, int, int, int, int, int, int>(PathLink));
        Add("path_open", () => Wrap<int, int, int, int, int, long, long, int, int>(PathOpen));
        Add("path_readlink", () => Wrap<int, int, int, int, int, int>(PathReadlink));
        Add("path_remove_directory", () => Wrap<int, int, int>(PathRemoveDirectory));
        Add("path_rename", () => Wrap<int, int, int, int, int, int>(PathRename));
        Add("path_symlink", () => Wrap<int, int, int, int, int>(PathSymlink));
        Add("path_unlink_file", () => Wrap<int, int, int>(PathUnlinkFile));

        Add("poll_oneoff", () => Wrap<int, int, int, int>(PollOneoff));

        Add("sock_accept", () => Wrap<int, int, int>(SockAccept));
        Add("sock_recv", () => Wrap<int, int, int, int, int, int>(SockRecv));
        Add("sock_send", () => Wrap<int, int, int, int, int>(SockSend));
        Add("sock_shutdown", () => Wrap<int, int>(SockShutdown));
    }

    // ---- errors and guest memory

    private static Errno? ErrnoOf(Exception e) => e switch
    {
        TrapException { Kind: TrapKind.OutOfBoundsMemoryAccess } => Errno.Fault,
        WeftException => null, // proc_exit and traps go on unwinding
        _ => HostFiles.ToErrno(e),
    };

    private static Memory MemoryOf(Caller caller) => caller.Memory ?? throw new WasiErrorException(Errno.Fault);

    /// <summary>A span over guest memory (EFAULT when out of bounds).</summary>
    private static Span<byte> Bytes(Caller caller, int pointer, int length)
    {
        if (length < 0) throw new WasiErrorException(Errno.Fault);
        return MemoryOf(caller).GetSpan((uint)pointer, length);
    }

    private static void WriteU32(Caller caller, int pointer, uint value) => MemoryOf(caller).Write((uint)pointer, value);

    private static void WriteU64(Caller caller, int pointer, ulong value) => MemoryOf(caller).Write((uint)pointer, value);

    /// <summary>A path argument: UTF-8 (EILSEQ if it is not).</summary>
    private static string ReadString(Caller caller, int pointer, int length)
    {
        try
        {
            return s_strictUtf8.GetString(Bytes(caller, pointer, length));
        }
        catch (DecoderFallbackException)
        {
            throw new WasiErrorException(Errno.IlSeq);
        }
    }

    /// <summary>An iovec array: (pointer, length) pairs of 8 bytes each (EFAULT if it is not all in memory).</summary>
    private static (int Pointer, int Length)[] ReadIovecs(Caller caller, int iovs, int count)
    {
        if (count < 0) throw new WasiErrorException(Errno.Inval);
        var raw = Bytes(caller, iovs, checked(count * 8));
        var result = new (int, int)[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = (BitConverter.ToInt32(raw[(i * 8)..]), BitConverter.ToInt32(raw[(i * 8 + 4)..]));
        }
        return result;
    }
}
