using System.Reflection;
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
    private static readonly (string Name, StorageType Storage, Type Clr)[] Elements =
    [
        ("i8", StorageType.I8, typeof(byte)),
        ("i16", StorageType.I16, typeof(short)),
        ("i32", StorageType.Of(ValType.I32), typeof(int)),
        ("i64", StorageType.Of(ValType.I64), typeof(long)),
        ("f32", StorageType.Of(ValType.F32), typeof(float)),
        ("f64", StorageType.Of(ValType.F64), typeof(double)),
    ];

    public static IEnumerable<BuiltinFunction> All()
    {
        var load = typeof(ArraySimdHelpers).GetMethod(nameof(ArraySimdHelpers.Load), BindingFlags.Public | BindingFlags.Static)!;
        var store = typeof(ArraySimdHelpers).GetMethod(nameof(ArraySimdHelpers.Store), BindingFlags.Public | BindingFlags.Static)!;
        foreach (var (name, storage, clr) in Elements)
        {
            var loadE = load.MakeGenericMethod(clr);
            var storeE = store.MakeGenericMethod(clr);
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
