using System.Runtime.InteropServices;

namespace Weft.Runtime;

/// <summary>
/// Reserves address space and commits it in place, so that a linear memory's base address never moves when it grows
/// (compiled code and host spans may keep it). Uses the OS's own calls (mmap/mprotect on Unix, VirtualAlloc on
/// Windows); these are part of the operating system, not a native library that Weft ships.
/// </summary>
internal static unsafe partial class VirtualMemory
{
    private const int ProtNone = 0;
    private const int ProtReadWrite = 3;
    private const int MapPrivate = 0x02;
    private const uint MemReserve = 0x2000;
    private const uint MemCommit = 0x1000;
    private const uint MemRelease = 0x8000;
    private const uint MemReset = 0x80000;
    private const int MadvDontNeed = 4;
    private const uint PageNoAccess = 0x01;
    private const uint PageReadWrite = 0x04;

    private static int MapAnonymous => OperatingSystem.IsLinux() ? 0x20 : 0x1000;

    private static int MapNoReserve => OperatingSystem.IsLinux() ? 0x4000 : 0;

    /// <summary>The OS page size.</summary>
    public static readonly ulong PageSize = (ulong)Environment.SystemPageSize;

    /// <summary>Rounds a size up to whole OS pages.</summary>
    public static ulong RoundUp(ulong bytes) => (bytes + PageSize - 1) & ~(PageSize - 1);

    /// <summary>Reserves <paramref name="bytes"/> of inaccessible address space; returns null if the OS refuses.</summary>
    public static byte* Reserve(ulong bytes)
    {
        bytes = Math.Max(RoundUp(bytes), PageSize);
        if (OperatingSystem.IsWindows())
        {
            return (byte*)VirtualAlloc(null, (nuint)bytes, MemReserve, PageNoAccess);
        }
        void* p = mmap(null, (nuint)bytes, ProtNone, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        return p == (void*)-1 ? null : (byte*)p;
    }

    /// <summary>Makes bytes [<paramref name="from"/>, <paramref name="to"/>) of a reservation readable and writable (zero-filled).</summary>
    public static bool Commit(byte* start, ulong from, ulong to)
    {
        ulong begin = from & ~(PageSize - 1);
        ulong end = RoundUp(to);
        if (end <= begin) return true;
        if (OperatingSystem.IsWindows())
        {
            return VirtualAlloc(start + begin, (nuint)(end - begin), MemCommit, PageReadWrite) != null;
        }
        return mprotect(start + begin, (nuint)(end - begin), ProtReadWrite) == 0;
    }

    /// <summary>
    /// Gives the physical pages of committed bytes [<paramref name="from"/>, <paramref name="to"/>) back to the OS while
    /// keeping them mapped read-write (their contents become zero or undefined), so a pointer or span still aimed at
    /// them stays memory-safe. Best effort: nothing happens if the OS refuses.
    /// </summary>
    public static void Discard(byte* start, ulong from, ulong to)
    {
        ulong begin = RoundUp(from);
        ulong end = to & ~(PageSize - 1);
        if (end <= begin) return;
        if (OperatingSystem.IsWindows())
        {
            VirtualAlloc(start + begin, (nuint)(end - begin), MemReset, PageReadWrite);
            return;
        }
        madvise(start + begin, (nuint)(end - begin), MadvDontNeed);
    }

    /// <summary>Returns a reservation to the OS.</summary>
    public static void Release(byte* start, ulong bytes)
    {
        if (start == null) return;
        if (OperatingSystem.IsWindows())
        {
            VirtualFree(start, 0, MemRelease);
        }
        else
        {
            munmap(start, (nuint)Math.Max(RoundUp(bytes), PageSize));
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(void* addr, nuint length, int prot);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* addr, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(void* addr, nuint length, int advice);

    [LibraryImport("kernel32", SetLastError = true)]
    private static partial void* VirtualAlloc(void* address, nuint size, uint allocationType, uint protect);

    [LibraryImport("kernel32", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool VirtualFree(void* address, nuint size, uint freeType);
}
