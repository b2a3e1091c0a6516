namespace Weft.Wasi;

// Wrappers that turn a WASI function body (which returns an errno or throws) into the i32-returning host function
// wasm imports: errors raised as exceptions (WasiErrorException, file-system exceptions, out-of-bounds pointers)
// become their errno; anything else (proc_exit, a bug) propagates. One per arity; generated, edit all alike.
// No exception filters (`catch ... when`): .NET never tiers a method with one up from unoptimized code.
internal sealed partial class WasiPreview1
{
    private static Func<Caller, int> Wrap(Func<Caller, Errno> body) => (c) =>
    {
        try
        {
            return (int)body(c);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, int> Wrap<T1>(Func<Caller, T1, Errno> body) => (c, a1) =>
    {
        try
        {
            return (int)body(c, a1);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, T2, int> Wrap<T1, T2>(Func<Caller, T1, T2, Errno> body) => (c, a1, a2) =>
    {
        try
        {
            return (int)body(c, a1, a2);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, T2, T3, int> Wrap<T1, T2, T3>(Func<Caller, T1, T2, T3, Errno> body) => (c, a1, a2, a3) =>
    {
        try
        {
            return (int)body(c, a1, a2, a3);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, T2, T3, T4, int> Wrap<T1, T2, T3, T4>(Func<Caller, T1, T2, T3, T4, Errno> body) => (c, a1, a2, a3, a4) =>
    {
        try
        {
            return (int)body(c, a1, a2, a3, a4);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, T2, T3, T4, T5, int> Wrap<T1, T2, T3, T4, T5>(Func<Caller, T1, T2, T3, T4, T5, Errno> body) => (c, a1, a2, a3, a4, a5) =>
    {
        try
        {
            return (int)body(c, a1, a2, a3, a4, a5);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, T2, T3, T4, T5, T6, int> Wrap<T1, T2, T3, T4, T5, T6>(Func<Caller, T1, T2, T3, T4, T5, T6, Errno> body) => (c, a1, a2, a3, a4, a5, a6) =>
    {
        try
        {
            return (int)body(c, a1, a2, a3, a4, a5, a6);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, T2, T3, T4, T5, T6, T7, int> Wrap<T1, T2, T3, T4, T5, T6, T7>(Func<Caller, T1, T2, T3, T4, T5, T6, T7, Errno> body) => (c, a1, a2, a3, a4, a5, a6, a7) =>
    {
        try
        {
            return (int)body(c, a1, a2, a3, a4, a5, a6, a7);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, T2, T3, T4, T5, T6, T7, T8, int> Wrap<T1, T2, T3, T4, T5, T6, T7, T8>(Func<Caller, T1, T2, T3, T4, T5, T6, T7, T8, Errno> body) => (c, a1, a2, a3, a4, a5, a6, a7, a8) =>
    {
        try
        {
            return (int)body(c, a1, a2, a3, a4, a5, a6, a7, a8);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };

    private static Func<Caller, T1, T2, T3, T4, T5, T6, T7, T8, T9, int> Wrap<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Func<Caller, T1, T2, T3, T4, T5, T6, T7, T8, T9, Errno> body) => (c, a1, a2, a3, a4, a5, a6, a7, a8, a9) =>
    {
        try
        {
            return (int)body(c, a1, a2, a3, a4, a5, a6, a7, a8, a9);
        }
        catch (Exception e)
        {
            if (ErrnoOf(e) is { } errno) return (int)errno;
            throw;
        }
    };
}
