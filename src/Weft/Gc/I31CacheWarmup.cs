using System.Runtime.CompilerServices;

namespace Weft.Gc;

/// <summary>
/// Runs <see cref="I31Ref"/>'s static initializer (its value cache) before code that uses <c>ref.i31</c> is
/// JIT-compiled. Compiled code inlines <see cref="I31Ref.Create"/>; when RyuJIT compiles it (often ahead of the first
/// call, on the background JIT thread) before any i31 was made, it must keep a class-initialization test in front of
/// each cache read, and in loops it did not always hoist it (i31_lists' <c>$map</c>: a memory test and branch per
/// element). With the class already initialized the test is not emitted. Opt-in with <c>WEFT_I31_PREINIT=1</c>: no run-time gain was measurable (docs/RATIONALE.md).
/// </summary>
internal static class I31CacheWarmup
{
    /// <summary>On with <c>WEFT_I31_PREINIT=1</c>; read once.</summary>
    internal static readonly bool Enabled = Environment.GetEnvironmentVariable("WEFT_I31_PREINIT") == "1";

    private static volatile bool s_done;

    /// <summary>Whether the cache was initialized through this path (a probe for tests).</summary>
    internal static bool Done => s_done;

    /// <summary>Called while emitting <c>ref.i31</c>: initializes the cache once per process (the 532 KB array that
    /// the first i31 would allocate anyway).</summary>
    public static void BeforeEmittingCreate()
    {
        if (s_done || !Enabled) return;
        RuntimeHelpers.RunClassConstructor(typeof(I31Ref).TypeHandle);
        s_done = true;
    }
}
