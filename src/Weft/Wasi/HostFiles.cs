using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Weft.Wasi;

/// <summary>
/// The host file system as WASI describes it: <c>filestat</c> records and errors as errno values. On Linux the OS's
/// own device, inode and link numbers (statx); elsewhere a managed fallback: device 1, one link, and an inode that
/// is a keyed hash of the host path (stable and distinct within the process, but saying nothing about the path,
/// since the key is random; hard links to one file get distinct numbers there).
/// </summary>
internal static partial class HostFiles
{
    private static readonly byte[] s_inodeKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The managed fallback's inode for a host path: a keyed hash, so it reveals nothing about the path.</summary>
    public static ulong FallbackInode(string hostPath)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostPath));
        ulong hash = BinaryPrimitives.ReadUInt64LittleEndian(HMACSHA256.HashData(s_inodeKey, Encoding.UTF8.GetBytes(full)));
        return hash == 0 ? 1 : hash;
    }

    /// <summary>What a host path names, not following a final symbolic link (ENOENT if nothing).</summary>
    public static FileStat Stat(string hostPath)
    {
        var errno = TryStat(hostPath, out var stat);
        return errno == Errno.Success ? stat : throw new WasiErrorException(errno);
    }

    /// <summary>The type of what a host path names, without following a final symbolic link; Unknown if nothing.</summary>
    public static FileType TypeOf(string hostPath) => TryStat(hostPath, out var stat) switch
    {
        Errno.Success => stat.Type,
        Errno.NoEnt or Errno.NotDir => FileType.Unknown,
        var errno => throw new WasiErrorException(errno),
    };

    private static Errno TryStat(string hostPath, out FileStat stat)
    {
        if (LinuxFiles.Stat(hostPath, out stat) is { } errno) return errno;
        var info = new FileInfo(hostPath);
        string? link = info.LinkTarget;
        FileSystemInfo times = info;
        FileType type;
        ulong size;
        if (link is not null)
        {
            type = FileType.SymbolicLink;
            size = (ulong)Encoding.UTF8.GetByteCount(link);
        }
        else if (Directory.Exists(hostPath))
        {
            type = FileType.Directory;
            size = 4096;
            times = new DirectoryInfo(hostPath);
        }
        else if (info.Exists)
        {
            type = FileType.RegularFile;
            size = (ulong)info.Length;
        }
        else
        {
            return Errno.NoEnt;
        }
        stat = new FileStat(1, FallbackInode(hostPath), type, 1, size, ToNanoseconds(times.LastAccessTimeUtc),
            ToNanoseconds(times.LastWriteTimeUtc), ToNanoseconds(times.LastWriteTimeUtc));
        return Errno.Success;
    }

    /// <summary>What an open regular file is, through its handle (the fallback's inode was fixed when it was opened).</summary>
    public static FileStat Stat(SafeFileHandle handle, ulong fallbackInode)
    {
        switch (LinuxFiles.Stat(handle, out var stat))
        {
            case Errno.Success: return stat;
            case { } errno: throw new WasiErrorException(errno);
        }
        ulong mtime = ToNanoseconds(File.GetLastWriteTimeUtc(handle));
        return new FileStat(1, fallbackInode, FileType.RegularFile, 1, (ulong)RandomAccess.GetLength(handle),
            ToNanoseconds(File.GetLastAccessTimeUtc(handle)), mtime, mtime);
    }

    /// <summary>Sets a path's times (null keeps one, <see cref="LinuxFiles.Now"/> is now); a final link itself unless <paramref name="follow"/>.</summary>
    public static void SetTimes(string hostPath, bool follow, ulong? atime, ulong? mtime)
    {
        switch (LinuxFiles.SetTimes(hostPath, follow, atime, mtime))
        {
            case Errno.Success: return;
            case { } errno: throw new WasiErrorException(errno);
        }
        // .NET sets times on what a link points to; a link itself cannot be changed without the OS call.
        var type = TypeOf(hostPath);
        if (type == FileType.SymbolicLink) throw new WasiErrorException(follow ? Errno.Loop : Errno.NotSup);
        bool directory = type == FileType.Directory;
        if (atime is { } a)
        {
            if (directory) Directory.SetLastAccessTimeUtc(hostPath, Time(a));
            else File.SetLastAccessTimeUtc(hostPath, Time(a));
        }
        if (mtime is { } m)
        {
            if (directory) Directory.SetLastWriteTimeUtc(hostPath, Time(m));
            else File.SetLastWriteTimeUtc(hostPath, Time(m));
        }
    }

    /// <summary>Sets an open file's times through its handle (see <see cref="SetTimes(string, bool, ulong?, ulong?)"/>).</summary>
    public static void SetTimes(SafeFileHandle handle, ulong? atime, ulong? mtime)
    {
        switch (LinuxFiles.SetTimes(handle, atime, mtime))
        {
            case Errno.Success: return;
            case { } errno: throw new WasiErrorException(errno);
        }
        if (atime is { } a) File.SetLastAccessTimeUtc(handle, Time(a));
        if (mtime is { } m) File.SetLastWriteTimeUtc(handle, Time(m));
    }

    private static DateTime Time(ulong nanoseconds) => nanoseconds == LinuxFiles.Now ? DateTime.UtcNow : FromNanoseconds(nanoseconds);

    /// <summary>Nanoseconds since the Unix epoch (0 before it).</summary>
    public static ulong ToNanoseconds(DateTime utc)
    {
        long ticks = utc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks;
        return ticks <= 0 ? 0 : (ulong)ticks * 100;
    }

    /// <summary>A UTC time from nanoseconds since the Unix epoch.</summary>
    public static DateTime FromNanoseconds(ulong nanoseconds) => DateTime.UnixEpoch.AddTicks((long)(nanoseconds / 100));

    /// <summary>The errno for an exception from a host call, or null if it is not a file-system error.</summary>
    public static Errno? ToErrno(Exception exception) => exception switch
    {
        WasiErrorException e => e.Errno,
        ObjectDisposedException => Errno.BadF, // closed by another thread of the program while in use
        FileNotFoundException or DirectoryNotFoundException => Errno.NoEnt,
        PathTooLongException => Errno.NameTooLong,
        UnauthorizedAccessException u => u.HResult is > 0 and < 4096 ? FromOsError(u.HResult) : Errno.Access,
        IOException io => FromOsError(io.HResult),
        ArgumentException or OverflowException => Errno.Inval,
        NotSupportedException => Errno.NotSup,
        _ => null,
    };

    // .NET keeps the OS error in HResult: the raw errno on Unix, an HRESULT wrapping the Win32 code on Windows.
    internal static Errno FromOsError(int code)
    {
        if (OperatingSystem.IsWindows())
        {
            return (code & 0xFFFF) switch
            {
                2 or 3 => Errno.NoEnt,
                5 => Errno.Access,
                32 or 33 => Errno.Busy,
                80 or 183 => Errno.Exist,
                112 => Errno.NoSpc,
                145 => Errno.NotEmpty,
                267 => Errno.NotDir,
                _ => Errno.Io,
            };
        }
        bool mac = OperatingSystem.IsMacOS();
        return code switch
        {
            1 => Errno.Perm,
            2 => Errno.NoEnt,
            5 => Errno.Io,
            9 => Errno.BadF,
            11 => mac ? Errno.DeadLk : Errno.Again,
            13 => Errno.Access,
            16 => Errno.Busy,
            17 => Errno.Exist,
            18 => Errno.XDev,
            20 => Errno.NotDir,
            21 => Errno.IsDir,
            22 => Errno.Inval,
            24 => Errno.MFile,
            27 => Errno.FBig,
            28 => Errno.NoSpc,
            29 => Errno.SPipe,
            30 => Errno.RoFs,
            31 => Errno.MLink,
            32 => Errno.Pipe,
            35 => mac ? Errno.Again : Errno.DeadLk,
            36 => Errno.NameTooLong,
            39 => Errno.NotEmpty,
            40 => Errno.Loop,
            62 when mac => Errno.Loop,
            63 when mac => Errno.NameTooLong,
            66 when mac => Errno.NotEmpty,
            _ => Errno.Io,
        };
    }

    /// <summary>Creates a hard link (no .NET API does).</summary>
    public static void CreateHardLink(string existing, string newPath)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!CreateHardLinkW(newPath, existing, 0)) throw new WasiErrorException(FromOsError(Marshal.GetLastPInvokeError()));
            return;
        }
        if (link(existing, newPath) != 0) throw new WasiErrorException(FromOsError(Marshal.GetLastPInvokeError()));
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int link(string existing, string newPath);

    [LibraryImport("kernel32", EntryPoint = "CreateHardLinkW", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string newPath, string existing, nint security);
}
