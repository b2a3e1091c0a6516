using Weft.Runtime;

namespace Weft;

// Typed views of a function: delegates that call it with CLR values directly (see Function.AsFunc).
public abstract partial class Function
{
    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<TResult> AsFunc<TResult>()
    {
        TypedSignature.Check(this, [], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<TResult>>(this) ?? new TypedFunc0<TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action AsAction()
    {
        TypedSignature.Check(this, [], []);
        return TypedCallEntry.Create<Action>(this) ?? new TypedAction0(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, TResult> AsFunc<T1, TResult>()
    {
        TypedSignature.Check(this, [typeof(T1)], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<T1, TResult>>(this) ?? new TypedFunc1<T1, TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1> AsAction<T1>()
    {
        TypedSignature.Check(this, [typeof(T1)], []);
        return TypedCallEntry.Create<Action<T1>>(this) ?? new TypedAction1<T1>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, TResult> AsFunc<T1, T2, TResult>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2)], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<T1, T2, TResult>>(this) ?? new TypedFunc2<T1, T2, TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2> AsAction<T1, T2>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2)], []);
        return TypedCallEntry.Create<Action<T1, T2>>(this) ?? new TypedAction2<T1, T2>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, TResult> AsFunc<T1, T2, T3, TResult>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3)], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<T1, T2, T3, TResult>>(this) ?? new TypedFunc3<T1, T2, T3, TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3> AsAction<T1, T2, T3>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3)], []);
        return TypedCallEntry.Create<Action<T1, T2, T3>>(this) ?? new TypedAction3<T1, T2, T3>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, TResult> AsFunc<T1, T2, T3, T4, TResult>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4)], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<T1, T2, T3, T4, TResult>>(this) ?? new TypedFunc4<T1, T2, T3, T4, TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4> AsAction<T1, T2, T3, T4>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4)], []);
        return TypedCallEntry.Create<Action<T1, T2, T3, T4>>(this) ?? new TypedAction4<T1, T2, T3, T4>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, T5, TResult> AsFunc<T1, T2, T3, T4, T5, TResult>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5)], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<T1, T2, T3, T4, T5, TResult>>(this) ?? new TypedFunc5<T1, T2, T3, T4, T5, TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4, T5> AsAction<T1, T2, T3, T4, T5>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5)], []);
        return TypedCallEntry.Create<Action<T1, T2, T3, T4, T5>>(this) ?? new TypedAction5<T1, T2, T3, T4, T5>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, T5, T6, TResult> AsFunc<T1, T2, T3, T4, T5, T6, TResult>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6)], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<T1, T2, T3, T4, T5, T6, TResult>>(this) ?? new TypedFunc6<T1, T2, T3, T4, T5, T6, TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4, T5, T6> AsAction<T1, T2, T3, T4, T5, T6>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6)], []);
        return TypedCallEntry.Create<Action<T1, T2, T3, T4, T5, T6>>(this) ?? new TypedAction6<T1, T2, T3, T4, T5, T6>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="T7">The CLR type of parameter 7.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, T5, T6, T7, TResult> AsFunc<T1, T2, T3, T4, T5, T6, T7, TResult>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6), typeof(T7)], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<T1, T2, T3, T4, T5, T6, T7, TResult>>(this) ?? new TypedFunc7<T1, T2, T3, T4, T5, T6, T7, TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="T7">The CLR type of parameter 7.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4, T5, T6, T7> AsAction<T1, T2, T3, T4, T5, T6, T7>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6), typeof(T7)], []);
        return TypedCallEntry.Create<Action<T1, T2, T3, T4, T5, T6, T7>>(this) ?? new TypedAction7<T1, T2, T3, T4, T5, T6, T7>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="T7">The CLR type of parameter 7.</typeparam>
    /// <typeparam name="T8">The CLR type of parameter 8.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult> AsFunc<T1, T2, T3, T4, T5, T6, T7, T8, TResult>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6), typeof(T7), typeof(T8)], [typeof(TResult)]);
        return TypedCallEntry.Create<Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult>>(this) ?? new TypedFunc8<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(this).Invoke;
    }

    /// <summary>Returns a delegate that calls this function (which has no results) with CLR values, without boxing. See <see cref="AsFunc{TResult}"/> for the type mapping.</summary>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="T7">The CLR type of parameter 7.</typeparam>
    /// <typeparam name="T8">The CLR type of parameter 8.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4, T5, T6, T7, T8> AsAction<T1, T2, T3, T4, T5, T6, T7, T8>()
    {
        TypedSignature.Check(this, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6), typeof(T7), typeof(T8)], []);
        return TypedCallEntry.Create<Action<T1, T2, T3, T4, T5, T6, T7, T8>>(this) ?? new TypedAction8<T1, T2, T3, T4, T5, T6, T7, T8>(this).Invoke;
    }
}
