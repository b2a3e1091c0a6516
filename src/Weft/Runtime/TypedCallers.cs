using System.Runtime.CompilerServices;

namespace Weft.Runtime;

// The typed entry points behind Function.AsFunc/AsAction: one class per arity, each calling the function's entry
// point through a C# function pointer with the CLR types of its signature (no boxing, no array), between the
// store's entry and exit bookkeeping. The signature was checked when the caller was made (TypedSignature);
// reference arguments are checked on every call where the parameter type does not take every object.
// Generated for arities 0..8 by a one-off script; edit all arities alike.
//
// Invoke is the common case only: the outermost call from the thread that owns the store (TypedCall.EnterFast,
// one compare and a flag). Everything else (a host function, which has no store; a nested entry through a host
// function; another thread; a stack position too deep; a store changing hands or disposed) returns InvokeSlow(...),
// a tail call to the general path with the same arguments. So the fast method makes no call before the entry
// point's, and the JIT passes the arguments through in their registers instead of saving them in callee-saved
// ones around a possible slow-path call (docs/RATIONALE.md, "Typed host->wasm calls at delegate speed").
//
// Compiled code raises only Weft exceptions (traps are TrapException, host functions' failures are wrapped by their
// adapters, reference values are checked where they enter wasm), unless Weft itself fails: then a .NET exception
// (NullReferenceException, InvalidProgramException, ...) comes out, and it must reach the host as a Weft exception
// (TrapKind.InternalError) here as on untyped calls. The catch takes SystemException, which every such exception
// is and no WeftException is, so a trap passing through nested host/wasm calls is never caught and rethrown at each
// (see DynamicInvoker.Invoke for why that matters), without an exception filter: .NET never promotes a method with
// a filter (`catch ... when`) past its first tier. The catch's cost on the call is in docs/RATIONALE.md.
// [SkipLocalsInit]: the inlined entry check takes the address of a local as the stack position, which the JIT
// would otherwise zero on every call.

[SkipLocalsInit]
internal sealed unsafe class TypedFunc0<TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke()
    {
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow);
        try
        {
            return ((delegate*<object, TResult>)_code)(_context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<object, TResult>)_code)(_context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction0(Function function) : TypedCall(function)
{
    public void Invoke()
    {
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow);
            return;
        }
        try
        {
            ((delegate*<object, void>)_code)(_context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<object, void>)_code)(_context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedFunc1<T1, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow, a1);
        try
        {
            return ((delegate*<T1, object, TResult>)_code)(a1, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow, T1 a1)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<T1, object, TResult>)_code)(a1, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction1<T1>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow, a1);
            return;
        }
        try
        {
            ((delegate*<T1, object, void>)_code)(a1, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow, T1 a1)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<T1, object, void>)_code)(a1, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedFunc2<T1, T2, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow, a1, a2);
        try
        {
            return ((delegate*<T1, T2, object, TResult>)_code)(a1, a2, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow, T1 a1, T2 a2)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<T1, T2, object, TResult>)_code)(a1, a2, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction2<T1, T2>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow, a1, a2);
            return;
        }
        try
        {
            ((delegate*<T1, T2, object, void>)_code)(a1, a2, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow, T1 a1, T2 a2)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<T1, T2, object, void>)_code)(a1, a2, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedFunc3<T1, T2, T3, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow, a1, a2, a3);
        try
        {
            return ((delegate*<T1, T2, T3, object, TResult>)_code)(a1, a2, a3, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<T1, T2, T3, object, TResult>)_code)(a1, a2, a3, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction3<T1, T2, T3>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow, a1, a2, a3);
            return;
        }
        try
        {
            ((delegate*<T1, T2, T3, object, void>)_code)(a1, a2, a3, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<T1, T2, T3, object, void>)_code)(a1, a2, a3, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedFunc4<T1, T2, T3, T4, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow, a1, a2, a3, a4);
        try
        {
            return ((delegate*<T1, T2, T3, T4, object, TResult>)_code)(a1, a2, a3, a4, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<T1, T2, T3, T4, object, TResult>)_code)(a1, a2, a3, a4, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction4<T1, T2, T3, T4>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow, a1, a2, a3, a4);
            return;
        }
        try
        {
            ((delegate*<T1, T2, T3, T4, object, void>)_code)(a1, a2, a3, a4, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<T1, T2, T3, T4, object, void>)_code)(a1, a2, a3, a4, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedFunc5<T1, T2, T3, T4, T5, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        if (!typeof(T5).IsValueType) CheckArgument(4, a5);
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow, a1, a2, a3, a4, a5);
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, object, TResult>)_code)(a1, a2, a3, a4, a5, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, object, TResult>)_code)(a1, a2, a3, a4, a5, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction5<T1, T2, T3, T4, T5>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        if (!typeof(T5).IsValueType) CheckArgument(4, a5);
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow, a1, a2, a3, a4, a5);
            return;
        }
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, object, void>)_code)(a1, a2, a3, a4, a5, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, object, void>)_code)(a1, a2, a3, a4, a5, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedFunc6<T1, T2, T3, T4, T5, T6, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        if (!typeof(T5).IsValueType) CheckArgument(4, a5);
        if (!typeof(T6).IsValueType) CheckArgument(5, a6);
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow, a1, a2, a3, a4, a5, a6);
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction6<T1, T2, T3, T4, T5, T6>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        if (!typeof(T5).IsValueType) CheckArgument(4, a5);
        if (!typeof(T6).IsValueType) CheckArgument(5, a6);
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow, a1, a2, a3, a4, a5, a6);
            return;
        }
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, object, void>)_code)(a1, a2, a3, a4, a5, a6, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, object, void>)_code)(a1, a2, a3, a4, a5, a6, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedFunc7<T1, T2, T3, T4, T5, T6, T7, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        if (!typeof(T5).IsValueType) CheckArgument(4, a5);
        if (!typeof(T6).IsValueType) CheckArgument(5, a6);
        if (!typeof(T7).IsValueType) CheckArgument(6, a7);
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow, a1, a2, a3, a4, a5, a6, a7);
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, T7, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, a7, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, T7, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, a7, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction7<T1, T2, T3, T4, T5, T6, T7>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        if (!typeof(T5).IsValueType) CheckArgument(4, a5);
        if (!typeof(T6).IsValueType) CheckArgument(5, a6);
        if (!typeof(T7).IsValueType) CheckArgument(6, a7);
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow, a1, a2, a3, a4, a5, a6, a7);
            return;
        }
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, T7, object, void>)_code)(a1, a2, a3, a4, a5, a6, a7, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, T7, object, void>)_code)(a1, a2, a3, a4, a5, a6, a7, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedFunc8<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        if (!typeof(T5).IsValueType) CheckArgument(4, a5);
        if (!typeof(T6).IsValueType) CheckArgument(5, a6);
        if (!typeof(T7).IsValueType) CheckArgument(6, a7);
        if (!typeof(T8).IsValueType) CheckArgument(7, a8);
        var owner = EnterFast(out nuint slow);
        if (owner is null) return InvokeSlow(slow, a1, a2, a3, a4, a5, a6, a7, a8);
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, T7, T8, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, a7, a8, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TResult InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
    {
        var entry = EnterSlow(slow);
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, T7, T8, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, a7, a8, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}

[SkipLocalsInit]
internal sealed unsafe class TypedAction8<T1, T2, T3, T4, T5, T6, T7, T8>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
    {
        if (!typeof(T1).IsValueType) CheckArgument(0, a1);
        if (!typeof(T2).IsValueType) CheckArgument(1, a2);
        if (!typeof(T3).IsValueType) CheckArgument(2, a3);
        if (!typeof(T4).IsValueType) CheckArgument(3, a4);
        if (!typeof(T5).IsValueType) CheckArgument(4, a5);
        if (!typeof(T6).IsValueType) CheckArgument(5, a6);
        if (!typeof(T7).IsValueType) CheckArgument(6, a7);
        if (!typeof(T8).IsValueType) CheckArgument(7, a8);
        var owner = EnterFast(out nuint slow);
        if (owner is null)
        {
            InvokeSlow(slow, a1, a2, a3, a4, a5, a6, a7, a8);
            return;
        }
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, T7, T8, object, void>)_code)(a1, a2, a3, a4, a5, a6, a7, a8, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            owner.Leave();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InvokeSlow(nuint slow, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
    {
        var entry = EnterSlow(slow);
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, T7, T8, object, void>)_code)(a1, a2, a3, a4, a5, a6, a7, a8, _context);
        }
        catch (SystemException e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }
}
