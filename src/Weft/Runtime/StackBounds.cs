using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Weft.Runtime;

/// <summary>
/// Finds the current thread's stack range, so compiled code can compare a frame address against a precomputed
/// limit at every function entry (about a nanosecond) and trap with "call stack exhausted" long before .NET's
/// own stack overflow, which would kill the process.
/// </summary>
internal static unsafe partial class StackBounds
{
    /// <summary>Stack kept free below the limit for the runtime itself: exception dispatch, the JIT, host calls.</summary>
    private const ulong Reserve = 256 * 1024;

    /// <summary>Used when the OS will not tell: assume this much stack below the current frame.</summary>
    private const ulong Fallback = 512 * 1024;

    [ThreadStatic]
    private static nuint t_limit;

    /// <summary>The lowest address wasm frames may reach on this thread (computed once per thread).</summary>
    public static nuint CurrentThreadLimit()
    {
        nuint limit = t_limit;
        if (limit == 0)
        {
            limit = Compute();
            t_limit = limit;
        }
        return limit;
    }

    /// <summary>
    /// Traps with "call stack exhausted" when the current frame is below this thread's limit: for entries that run
    /// no wasm (host functions called through the API), whose recursion no wasm prologue would stop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CheckHostEntry()
    {
        byte here;
        if ((nuint)(&here) <= CurrentThreadLimit()) Traps.StackExhausted();
    }

    private static nuint Compute()
    {
        byte here;
        nuint sp = (nuint)(&here);
        nuint low = 0;
        try
        {
            low = LowestAddress();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException)
        {
            low = 0;
        }
        if (low == 0 || low >= sp)
        {
            return sp > Fallback ? sp - (nuint)Fallback : 0;
        }
        ulong available = sp - low;
        ulong reserve = Math.Min(Math.Max(Reserve, available / 8), available / 2);
        return low + (nuint)reserve;
    }

    private static nuint LowestAddress()
    {
        if (OperatingSystem.IsWindows())
        {
            GetCurrentThreadStackLimits(out nuint lowLimit, out _);
            return lowLimit;
        }
        if (OperatingSystem.IsMacOS())
        {
            nint self = pthread_self();
            nuint top = (nuint)pthread_get_stackaddr_np(self);
            nuint size = pthread_get_stacksize_np(self);
            return top - size;
        }
        if (OperatingSystem.IsLinux())
        {
            byte* attr = stackalloc byte[256];
            if (pthread_getattr_np(pthread_self(), attr) != 0) return 0;
            void* address;
            nuint size;
            int rc = pthread_attr_getstack(attr, &address, &size);
            pthread_attr_destroy(attr);
            return rc == 0 ? (nuint)address : 0;
        }
        return 0;
    }

    [LibraryImport("libc")]
    private static partial nint pthread_self();

    [LibraryImport("libc")]
    private static partial int pthread_getattr_np(nint thread, byte* attr);

    [LibraryImport("libc")]
    private static partial int pthread_attr_getstack(byte* attr, void** address, nuint* size);

    [LibraryImport("libc")]
    private static partial int pthread_attr_destroy(byte* attr);

    [LibraryImport("libc")]
    private static partial void* pthread_get_stackaddr_np(nint thread);

    [LibraryImport("libc")]
    private static partial nuint pthread_get_stacksize_np(nint thread);

    [LibraryImport("kernel32")]
    private static partial void GetCurrentThreadStackLimits(out nuint lowLimit, out nuint highLimit);
}
