namespace Weft.Runtime;

// The typed entry points behind Function.AsFunc/AsAction: one class per arity, each calling the function's entry
// point through a C# function pointer with the CLR types of its signature (no boxing, no array), between the
// store's entry and exit bookkeeping. The signature was checked when the caller was made (TypedSignature).
// Generated for arities 0..8 by a one-off script; edit all arities alike. No exception filters (`catch ... when`):
// .NET never promotes a method with a filter past its first, unoptimized tier, which cost a typed call ~2 ns.

internal sealed unsafe class TypedFunc0<TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke()
    {
        var store = Enter();
        try
        {
            return ((delegate*<object, TResult>)_code)(_context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction0(Function function) : TypedCall(function)
{
    public void Invoke()
    {
        var store = Enter();
        try
        {
            ((delegate*<object, void>)_code)(_context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedFunc1<T1, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1)
    {
        var store = Enter();
        try
        {
            return ((delegate*<T1, object, TResult>)_code)(a1, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction1<T1>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1)
    {
        var store = Enter();
        try
        {
            ((delegate*<T1, object, void>)_code)(a1, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedFunc2<T1, T2, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2)
    {
        var store = Enter();
        try
        {
            return ((delegate*<T1, T2, object, TResult>)_code)(a1, a2, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction2<T1, T2>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2)
    {
        var store = Enter();
        try
        {
            ((delegate*<T1, T2, object, void>)_code)(a1, a2, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedFunc3<T1, T2, T3, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3)
    {
        var store = Enter();
        try
        {
            return ((delegate*<T1, T2, T3, object, TResult>)_code)(a1, a2, a3, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction3<T1, T2, T3>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3)
    {
        var store = Enter();
        try
        {
            ((delegate*<T1, T2, T3, object, void>)_code)(a1, a2, a3, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedFunc4<T1, T2, T3, T4, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4)
    {
        var store = Enter();
        try
        {
            return ((delegate*<T1, T2, T3, T4, object, TResult>)_code)(a1, a2, a3, a4, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction4<T1, T2, T3, T4>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4)
    {
        var store = Enter();
        try
        {
            ((delegate*<T1, T2, T3, T4, object, void>)_code)(a1, a2, a3, a4, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedFunc5<T1, T2, T3, T4, T5, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        var store = Enter();
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, object, TResult>)_code)(a1, a2, a3, a4, a5, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction5<T1, T2, T3, T4, T5>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
    {
        var store = Enter();
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, object, void>)_code)(a1, a2, a3, a4, a5, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedFunc6<T1, T2, T3, T4, T5, T6, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        var store = Enter();
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction6<T1, T2, T3, T4, T5, T6>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
    {
        var store = Enter();
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, object, void>)_code)(a1, a2, a3, a4, a5, a6, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedFunc7<T1, T2, T3, T4, T5, T6, T7, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
    {
        var store = Enter();
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, T7, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, a7, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction7<T1, T2, T3, T4, T5, T6, T7>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
    {
        var store = Enter();
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, T7, object, void>)_code)(a1, a2, a3, a4, a5, a6, a7, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedFunc8<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(Function function) : TypedCall(function)
{
    public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
    {
        var store = Enter();
        try
        {
            return ((delegate*<T1, T2, T3, T4, T5, T6, T7, T8, object, TResult>)_code)(a1, a2, a3, a4, a5, a6, a7, a8, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}

internal sealed unsafe class TypedAction8<T1, T2, T3, T4, T5, T6, T7, T8>(Function function) : TypedCall(function)
{
    public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
    {
        var store = Enter();
        try
        {
            ((delegate*<T1, T2, T3, T4, T5, T6, T7, T8, object, void>)_code)(a1, a2, a3, a4, a5, a6, a7, a8, _context);
        }
        catch (WeftException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            store?.LeaveWasm();
        }
    }
}
