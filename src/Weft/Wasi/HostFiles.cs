using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Weft.Wasi;

/// <summary>
/// The host file system as WASI describes it: <c>filestat</c> records, timestamps in nanoseconds, and errors as
/// errno values. .NET exposes no device or inode numbers, so every file gets a stable inode derived from its host
/// path (equal for equal paths, distinct for distinct ones; hard links to one file get distinct numbers).
/// </summary>
internal static partial class HostFiles
{
    /// <summary>The device number reported for every file.</summary>
    public const ulong Device = 1;

    /// <summary>The size of a <c>filestat</c> record.</summary>
    public const int FilestatSize = 64;

    /// <summary>A stable inode number for a host path.</summary>
    public static ulong Inode(string hostPath)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostPath));
        ulong hash = 14695981039346656037UL; // FNV-1a
        foreach (char c in full)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash == 0 ? 1 : hash;
    }

    /// <summary>The type of what a host path names, without following a final symbolic link; Unknown if nothing.</summary>
    public static FileType TypeOf(string hostPath)
    {
        var info = new FileInfo(hostPath);
        if (info.LinkTarget is not null) return FileType.SymbolicLink;
        if (Directory.Exists(hostPath)) return FileType.Directory;
        if (info.Exists) return FileType.RegularFile;
        return FileType.Unknown;
    }

    /// <summary>Writes the <c>filestat</c> of a host path (a final symbolic link is described, not followed).</summary>
    public static void WriteFilestat(Span<byte> target, string hostPath)
    {
        var info = new FileInfo(hostPath);
        string? link = info.LinkTarget;
        FileType type;
        ulong size;
        FileSystemInfo times = info;
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
            throw new WasiErrorException(Errno.NoEnt);
        }
        WriteFilestat(target, Inode(hostPath), type, size, times.LastAccessTimeUtc, times.LastWriteTimeUtc, times.LastWriteTimeUtc);
    }

    /// <summary>Writes a <c>filestat</c> record (spec layout: dev, ino, filetype, nlink, size, atim, mtim, ctim).</summary>
    public static void WriteFilestat(Span<byte> target, ulong inode, FileType type, ulong size, DateTime atime, DateTime mtime, DateTime ctime)
    {
        target[..FilestatSize].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(target, Device);
        BinaryPrimitives.WriteUInt64LittleEndian(target[8..], inode);
        target[16] = (byte)type;
        BinaryPrimitives.WriteUInt64LittleEndian(target[24..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(target[32..], size);
        BinaryPrimitives.WriteUInt64LittleEndian(target[40..], ToNanoseconds(atime));
        BinaryPrimitives.WriteUInt64LittleEndian(target[48..], ToNanoseconds(mtime));
        BinaryPrimitives.WriteUInt64LittleEndian(target[56..], ToNanoseconds(ctime));
    }

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
        FileNotFoundException or DirectoryNotFoundException => Errno.NoEnt,
        PathTooLongException => Errno.NameTooLong,
        UnauthorizedAccessException u => u.HResult is > 0 and < 4096 ? FromOsError(u.HResult) : Errno.Access,
        IOException io => FromOsError(io.HResult),
        ArgumentException or OverflowException => Errno.Inval,
        NotSupportedException => Errno.NotSup,
        _ => null,
    };

    // .NET keeps the OS error in HResult: the raw errno on Unix, an HRESULT wrapping the Win32 code on Windows.
    private static Errno FromOsError(int code)
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
