using System.Runtime.CompilerServices;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Gc;

/// <summary>
/// Runtime type tests (spec 4.4.3 ref.test / ref.cast / br_on_cast, and the matching of host values against declared
/// types). A value's runtime type is its .NET class for the abstract heap types (<see cref="I31Ref"/> is i31,
/// <see cref="GcStruct"/> struct, <see cref="GcArray"/> array, <see cref="Function"/> func, anything else a host value)
/// and its <see cref="GcObject.Rtt"/> or <see cref="Function.CanonicalType"/> for concrete types, where the supertype
/// display makes the test constant time.
/// </summary>
/// <remarks>
/// Externalizing and internalizing keep the object itself, so a host object seen as <c>anyref</c> is in no subtype of
/// <c>any</c> (not eq, not i31, not a struct), and an internal reference seen as <c>externref</c> is just an extern.
/// The small helpers are called from compiled code; RyuJIT inlines them, and the <c>nullable</c> argument is a
/// constant there. The exact type is tested first, inline; a proper subtype costs the display check, out of line.
/// Struct types are tested by the compiler with <c>isinst</c> on their class instead (see FunctionCompiler.Gc).
/// </remarks>
internal static class GcCasts
{
    /// <summary>Whether a value matches a reference type in canonical form (concrete heap types hold type ids).</summary>
    public static bool Matches(object? value, ValType type) => value is null ? type.Nullable : MatchesHeap(value, type.Heap);

    /// <summary>
    /// Whether a host value passed as <paramref name="type"/> must be checked with <see cref="Matches"/>: every
    /// reference type except the nullable top types that hold any host object (externref, anyref).
    /// </summary>
    public static bool NeedsHostCheck(ValType type) =>
        type.IsRef && !(type.Nullable && type.Heap.Kind is HeapKind.Extern or HeapKind.Any);

    /// <summary>Whether a non-null value belongs to a heap type in canonical form.</summary>
    public static bool MatchesHeap(object value, HeapType heap) => heap.Kind switch
    {
        HeapKind.Any or HeapKind.Extern => true,
        HeapKind.Exn => value is WasmException,
        HeapKind.Func => value is Function,
        HeapKind.Eq => value is GcObject or I31Ref,
        HeapKind.I31 => value is I31Ref,
        HeapKind.Struct => value is GcStruct,
        HeapKind.Array => value is GcArray,
        HeapKind.Concrete => IsOfType(value, TypeRegistry.Get(heap.Index), nullable: false),
        _ => false,
    };

    /// <summary>A concrete type test: a GC object or function whose type is a subtype of <paramref name="type"/>.</summary>
    public static bool IsOfType(object? value, DefinedType type, bool nullable) => type.IsFunc
        ? IsFunctionOf(value, type, nullable)
        : IsInstanceOf(value, type, nullable);

    /// <summary>ref.test against a concrete struct or array type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsInstanceOf(object? value, DefinedType type, bool nullable) =>
        value is GcObject g ? ReferenceEquals(g.Rtt, type) || g.Rtt.IsSubtypeOf(type) : value is null && nullable;

    /// <summary>ref.test against a concrete array type whose elements (and so its subtypes' elements) are stored as <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsArrayOf<T>(object? value, DefinedType type, bool nullable) =>
        value is GcArray<T> a ? ReferenceEquals(a.Rtt, type) || a.Rtt.IsSubtypeOf(type) : value is null && nullable;

    /// <summary>ref.test against a concrete function type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFunctionOf(object? value, DefinedType type, bool nullable) =>
        value is Function f ? ReferenceEquals(f.CanonicalType, type) || f.CanonicalType.IsSubtypeOf(type) : value is null && nullable;

    /// <summary>ref.test eq.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsEq(object? value, bool nullable) => value is GcObject or I31Ref || (value is null && nullable);

    /// <summary>ref.test i31.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsI31(object? value, bool nullable) => value is I31Ref || (value is null && nullable);

    /// <summary>ref.test struct.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsStruct(object? value, bool nullable) => value is GcStruct || (value is null && nullable);

    /// <summary>ref.test array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsArray(object? value, bool nullable) => value is GcArray || (value is null && nullable);

    /// <summary>ref.test func (a value of the func hierarchy is a function unless null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFunction(object? value, bool nullable) => value is Function || (value is null && nullable);
}
