using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Weft.Wasi;

/// <summary>
/// The few Linux calls .NET does not expose, from the OS's own libc (no shipped native library): <c>statx</c> for
/// real device, inode and link counts with nanosecond times (of a handle, or of a path without following a final
/// symbolic link), and <c>utimensat</c>/<c>futimens</c> to set times on a handle or on a link itself. Each returns
/// its errno (no exception: a missing file is an ordinary answer when resolving paths), or null when the call is
/// missing (old libc, musl before 1.2.5, a seccomp filter answering ENOSYS) so that the caller falls back to managed
/// code. No exception filters: .NET never optimizes a method that has one.
/// </summary>
internal static partial class LinuxFiles
{
    private const int AtFdCwd = -100, AtSymlinkNofollow = 0x100, AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxSize = 256;
    private const int ENoSys = 38;
    private const long UtimeNow = (1L << 30) - 1, UtimeOmit = (1L << 30) - 2;

    private static bool s_missing = !OperatingSystem.IsLinux();

    /// <summary>Whether the calls are usable here (Linux, and not found missing yet).</summary>
    public static bool Available => !s_missing;

    /// <summary>statx of a path, not following a final symbolic link: its errno (Success with <paramref name="stat"/>), or null when the call is unavailable.</summary>
    public static Errno? Stat(string hostPath, out FileStat stat)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        stat = default;
        if (s_missing) return null;
        int status;
        try
        {
            status = statx(AtFdCwd, hostPath, AtSymlinkNofollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer));
        }
        catch (EntryPointNotFoundException)
        {
            return Missing();
        }
        catch (DllNotFoundException)
        {
            return Missing();
        }
        if (status != 0) return LastError();
        stat = Decode(buffer);
        return Errno.Success;
    }

    /// <summary>statx of an open file (see <see cref="Stat(string, out FileStat)"/>).</summary>
    public static Errno? Stat(SafeFileHandle handle, out FileStat stat)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        stat = default;
        if (s_missing) return null;
        bool added = false;
        int status;
        try
        {
            handle.DangerousAddRef(ref added);
            status = statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, ref MemoryMarshal.GetReference(buffer));
        }
        catch (EntryPointNotFoundException)
        {
            return Missing();
        }
        catch (DllNotFoundException)
        {
            return Missing();
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        if (status != 0) return LastError();
        stat = Decode(buffer);
        return Errno.Success;
    }

    /// <summary>Sets times of a path (a final symbolic link itself when <paramref name="follow"/> is false); null keeps a time, <see cref="Now"/> is the current time. The errno, or null when the call is unavailable.</summary>
    public static Errno? SetTimes(string hostPath, bool follow, ulong? atime, ulong? mtime)
    {
        if (s_missing) return null;
        Span<long> times = [0, 0, 0, 0];
        Encode(times, atime, mtime);
        int status;
        try
        {
            status = utimensat(AtFdCwd, hostPath, ref MemoryMarshal.GetReference(times), follow ? 0 : AtSymlinkNofollow);
        }
        catch (EntryPointNotFoundException)
        {
            return Missing();
        }
        catch (DllNotFoundException)
        {
            return Missing();
        }
        return status != 0 ? LastError() : Errno.Success;
    }

    /// <summary>Sets times of an open file (see <see cref="SetTimes(string, bool, ulong?, ulong?)"/>).</summary>
    public static Errno? SetTimes(SafeFileHandle handle, ulong? atime, ulong? mtime)
    {
        if (s_missing) return null;
        Span<long> times = [0, 0, 0, 0];
        Encode(times, atime, mtime);
        bool added = false;
        int status;
        try
        {
            handle.DangerousAddRef(ref added);
            status = futimens((int)handle.DangerousGetHandle(), ref MemoryMarshal.GetReference(times));
        }
        catch (EntryPointNotFoundException)
        {
            return Missing();
        }
        catch (DllNotFoundException)
        {
            return Missing();
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        return status != 0 ? LastError() : Errno.Success;
    }

    /// <summary>The marker for "the current time" in <see cref="SetTimes(string, bool, ulong?, ulong?)"/>.</summary>
    public const ulong Now = ulong.MaxValue;

    private static void Encode(Span<long> times, ulong? atime, ulong? mtime)
    {
        static (long, long) One(ulong? t) => t switch
        {
            null => (0, UtimeOmit),
            Now => (0, UtimeNow),
            { } ns => ((long)(ns / 1_000_000_000), (long)(ns % 1_000_000_000)),
        };
        (times[0], times[1]) = One(atime);
        (times[2], times[3]) = One(mtime);
    }

    private static Errno? Missing()
    {
        s_missing = true;
        return null;
    }

    // ENOSYS: the kernel or a sandbox refuses the call itself; use the managed path from now on.
    private static Errno? LastError()
    {
        int error = Marshal.GetLastPInvokeError();
        return error == ENoSys ? Missing() : HostFiles.FromOsError(error);
    }

    // struct statx (linux/stat.h, the same on every architecture): nlink u32 @16, mode u16 @28, ino u64 @32,
    // size u64 @40, atime @64, ctime @96, mtime @112 (each i64 seconds, u32 nanoseconds), dev major/minor u32 @136/@140.
    private static FileStat Decode(ReadOnlySpan<byte> b)
    {
        static ulong Time(ReadOnlySpan<byte> t)
        {
            long seconds = BinaryPrimitives.ReadInt64LittleEndian(t);
            uint nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(t[8..]);
            return seconds < 0 ? 0 : (ulong)seconds * 1_000_000_000 + nanoseconds;
        }
        ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(b[28..]);
        var type = (mode & 0xF000) switch
        {
            0x4000 => FileType.Directory,
            0x8000 => FileType.RegularFile,
            0xA000 => FileType.SymbolicLink,
            0x2000 => FileType.CharacterDevice,
            0x6000 => FileType.BlockDevice,
            0xC000 => FileType.SocketStream,
            _ => FileType.Unknown,
        };
        ulong device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b[140..]);
        return new FileStat(device, BinaryPrimitives.ReadUInt64LittleEndian(b[32..]), type,
            BinaryPrimitives.ReadUInt32LittleEndian(b[16..]), BinaryPrimitives.ReadUInt64LittleEndian(b[40..]),
            Time(b[64..]), Time(b[112..]), Time(b[96..]));
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int utimensat(int dirfd, string path, ref long times, int flags);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int futimens(int fd, ref long times);
}
