using System.Reflection;
using System.Runtime.Intrinsics;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Builtins;

/// <summary>
/// The functions of <c>weft:array-simd</c> (docs/BUILTINS-ARRAY-SIMD.md): for each element type E of i8, i16, i32,
/// i64, f32, f64, <c>load_E</c> and <c>store_E</c> over <c>(array (mut E))</c> and <c>load_E_const</c> over
/// <c>(array E)</c>. The array type is the module's own: any array type whose element is E with that mutability,
/// in any recursion group, nullable or not, matches (checked when the module is created).
/// </summary>
internal static class ArraySimdBuiltins
{
    // The helpers' instantiations are named as delegates, not made with MakeGenericMethod: that keeps the code
    // free of trimming and NativeAOT warnings (the precompiled path ships this assembly too).
    private static readonly (string Name, StorageType Storage, MethodInfo Load, MethodInfo Store)[] Elements =
    [
        ("i8", StorageType.I8, Loader<byte>(), Storer<byte>()),
        ("i16", StorageType.I16, Loader<short>(), Storer<short>()),
        ("i32", StorageType.Of(ValType.I32), Loader<int>(), Storer<int>()),
        ("i64", StorageType.Of(ValType.I64), Loader<long>(), Storer<long>()),
        ("f32", StorageType.Of(ValType.F32), Loader<float>(), Storer<float>()),
        ("f64", StorageType.Of(ValType.F64), Loader<double>(), Storer<double>()),
    ];

    private static MethodInfo Loader<T>() where T : unmanaged =>
        new Func<object?, int, Vector128<byte>>(ArraySimdHelpers.Load<T>).Method;

    private static MethodInfo Storer<T>() where T : unmanaged =>
        new Action<object?, int, Vector128<byte>>(ArraySimdHelpers.Store<T>).Method;

    public static IEnumerable<BuiltinFunction> All()
    {
        foreach (var (name, storage, loadE, storeE) in Elements)
        {
            yield return BuiltinFunction.Structural($"load_{name}", loadE, t => IsLoad(t, storage, mutable: true), $"(func (param (ref null (array (mut {name}))) i32) (result v128))");
            yield return BuiltinFunction.Structural($"load_{name}_const", loadE, t => IsLoad(t, storage, mutable: false), $"(func (param (ref null (array {name})) i32) (result v128))");
            yield return BuiltinFunction.Structural($"store_{name}", storeE, t => IsStore(t, storage), $"(func (param (ref null (array (mut {name}))) i32 v128))");
        }
    }

    private static bool IsLoad(DefinedType type, StorageType storage, bool mutable) =>
        type.Params.Length == 2 && IsArrayOf(type.Params[0], storage, mutable) && type.Params[1] == ValType.I32
        && type.Results.Length == 1 && type.Results[0] == ValType.V128;

    private static bool IsStore(DefinedType type, StorageType storage) =>
        type.Params.Length == 3 && IsArrayOf(type.Params[0], storage, mutable: true) && type.Params[1] == ValType.I32
        && type.Params[2] == ValType.V128 && type.Results.Length == 0;

    private static bool IsArrayOf(ValType type, StorageType storage, bool mutable)
    {
        if (!type.IsRef || !type.Heap.IsConcrete) return false;
        var array = ValidModule.DefinedTypeOf(type.Heap);
        return array.IsArray && array.Element.Storage.Equals(storage) && array.Element.Mutable == mutable;
    }
}
