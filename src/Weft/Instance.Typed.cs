namespace Weft;

// Typed access to exported functions (see Function.AsFunc).
public sealed partial class Instance
{
    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<TResult>? GetFunction<TResult>(string name) => GetFunction(name)?.AsFunc<TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action? GetAction(string name) => GetFunction(name)?.AsAction();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, TResult>? GetFunction<T1, TResult>(string name) => GetFunction(name)?.AsFunc<T1, TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1>? GetAction<T1>(string name) => GetFunction(name)?.AsAction<T1>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, TResult>? GetFunction<T1, T2, TResult>(string name) => GetFunction(name)?.AsFunc<T1, T2, TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2>? GetAction<T1, T2>(string name) => GetFunction(name)?.AsAction<T1, T2>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, TResult>? GetFunction<T1, T2, T3, TResult>(string name) => GetFunction(name)?.AsFunc<T1, T2, T3, TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3>? GetAction<T1, T2, T3>(string name) => GetFunction(name)?.AsAction<T1, T2, T3>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, TResult>? GetFunction<T1, T2, T3, T4, TResult>(string name) => GetFunction(name)?.AsFunc<T1, T2, T3, T4, TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4>? GetAction<T1, T2, T3, T4>(string name) => GetFunction(name)?.AsAction<T1, T2, T3, T4>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, T5, TResult>? GetFunction<T1, T2, T3, T4, T5, TResult>(string name) => GetFunction(name)?.AsFunc<T1, T2, T3, T4, T5, TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4, T5>? GetAction<T1, T2, T3, T4, T5>(string name) => GetFunction(name)?.AsAction<T1, T2, T3, T4, T5>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, T5, T6, TResult>? GetFunction<T1, T2, T3, T4, T5, T6, TResult>(string name) => GetFunction(name)?.AsFunc<T1, T2, T3, T4, T5, T6, TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4, T5, T6>? GetAction<T1, T2, T3, T4, T5, T6>(string name) => GetFunction(name)?.AsAction<T1, T2, T3, T4, T5, T6>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="T7">The CLR type of parameter 7.</typeparam>
    /// <typeparam name="TResult">The CLR type of the result: a ValueTuple for several results.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Func<T1, T2, T3, T4, T5, T6, T7, TResult>? GetFunction<T1, T2, T3, T4, T5, T6, T7, TResult>(string name) => GetFunction(name)?.AsFunc<T1, T2, T3, T4, T5, T6, T7, TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="T7">The CLR type of parameter 7.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4, T5, T6, T7>? GetAction<T1, T2, T3, T4, T5, T6, T7>(string name) => GetFunction(name)?.AsAction<T1, T2, T3, T4, T5, T6, T7>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
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
    public Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult>? GetFunction<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(string name) => GetFunction(name)?.AsFunc<T1, T2, T3, T4, T5, T6, T7, T8, TResult>();

    /// <summary>An exported function as a typed delegate (see <see cref="Function.AsFunc{TResult}"/>), or null if there is no such function export.</summary>
    /// <param name="name">The export name.</param>
    /// <typeparam name="T1">The CLR type of parameter 1.</typeparam>
    /// <typeparam name="T2">The CLR type of parameter 2.</typeparam>
    /// <typeparam name="T3">The CLR type of parameter 3.</typeparam>
    /// <typeparam name="T4">The CLR type of parameter 4.</typeparam>
    /// <typeparam name="T5">The CLR type of parameter 5.</typeparam>
    /// <typeparam name="T6">The CLR type of parameter 6.</typeparam>
    /// <typeparam name="T7">The CLR type of parameter 7.</typeparam>
    /// <typeparam name="T8">The CLR type of parameter 8.</typeparam>
    /// <exception cref="ArgumentException">The types do not match the function's signature.</exception>
    public Action<T1, T2, T3, T4, T5, T6, T7, T8>? GetAction<T1, T2, T3, T4, T5, T6, T7, T8>(string name) => GetFunction(name)?.AsAction<T1, T2, T3, T4, T5, T6, T7, T8>();
}
