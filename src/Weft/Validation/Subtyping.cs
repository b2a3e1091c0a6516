using System.Runtime.CompilerServices;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// Matching (subtyping) of types in canonical form (spec 3.3 "matching"). Canonical types need no module context,
/// so the same functions serve validation and linking: an import's declared type and the provided entity's type,
/// each canonicalized in its own module, are compared directly.
/// </summary>
internal static class Subtyping
{
    /// <summary>Spec 3.3.4: whether <paramref name="sub"/> matches <paramref name="super"/>; the validator's bottom matches everything.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Matches(ValType sub, ValType super)
    {
        if (sub.Kind != ValKind.Ref) return sub.Kind == super.Kind || sub.Kind == ValKind.Bottom;
        return super.Kind == ValKind.Ref && MatchesRef(sub, super);
    }

    /// <summary>Spec 3.3.3: reference types match when the nullability and the heap types do.</summary>
    public static bool MatchesRef(ValType sub, ValType super) =>
        (!sub.Nullable || super.Nullable) && MatchesHeap(sub.Heap, super.Heap);

    /// <summary>Spec 3.3.2: heap type matching over the abstract hierarchies and declared supertypes.</summary>
    public static bool MatchesHeap(HeapType sub, HeapType super)
    {
        if (sub == super) return true;
        switch (sub.Kind)
        {
            case HeapKind.Bottom:
                return true;
            case HeapKind.Concrete:
            {
                var type = TypeRegistry.Get(sub.Index);
                return super.Kind switch
                {
                    HeapKind.Concrete => type.IsSubtypeOf(TypeRegistry.Get(super.Index)),
                    HeapKind.Any or HeapKind.Eq => !type.IsFunc,
                    HeapKind.Struct => type.IsStruct,
                    HeapKind.Array => type.IsArray,
                    HeapKind.Func => type.IsFunc,
                    _ => false,
                };
            }
            case HeapKind.Eq:
                return super.Kind == HeapKind.Any;
            case HeapKind.I31:
            case HeapKind.Struct:
            case HeapKind.Array:
                return super.Kind is HeapKind.Any or HeapKind.Eq;
            case HeapKind.None:
                return super.Kind is HeapKind.Any or HeapKind.Eq or HeapKind.I31 or HeapKind.Struct or HeapKind.Array
                    || (super.IsConcrete && !TypeRegistry.Get(super.Index).IsFunc);
            case HeapKind.NoFunc:
                return super.Kind == HeapKind.Func || (super.IsConcrete && TypeRegistry.Get(super.Index).IsFunc);
            case HeapKind.NoExtern:
                return super.Kind == HeapKind.Extern;
            case HeapKind.NoExn:
                return super.Kind == HeapKind.Exn;
            default:
                // any, func, extern, exn are tops: they match only themselves.
                return false;
        }
    }

    /// <summary>Spec 3.3.5: result types match pointwise.</summary>
    public static bool Matches(ReadOnlySpan<ValType> sub, ReadOnlySpan<ValType> super)
    {
        if (sub.Length != super.Length) return false;
        for (int i = 0; i < sub.Length; i++)
        {
            if (!Matches(sub[i], super[i])) return false;
        }
        return true;
    }

    /// <summary>Spec 3.3.7: storage types; packed types match only themselves.</summary>
    public static bool Matches(StorageType sub, StorageType super) =>
        sub.Packed == super.Packed && (sub.IsPacked || Matches(sub.Type, super.Type));

    /// <summary>Spec 3.3.7: field types; mutable fields are invariant.</summary>
    public static bool Matches(FieldType sub, FieldType super) =>
        sub.Mutable == super.Mutable && Matches(sub.Storage, super.Storage) && (!sub.Mutable || Matches(super.Storage, sub.Storage));

    /// <summary>
    /// Spec 3.3.8: whether the composite type of <paramref name="sub"/> matches that of <paramref name="super"/>
    /// (struct width and depth subtyping, array element, function contravariance/covariance).
    /// </summary>
    public static bool MatchesComposite(DefinedType sub, DefinedType super)
    {
        if (sub.Kind != super.Kind) return false;
        switch (sub.Kind)
        {
            case CompositeKind.Func:
                return Matches(super.Params, sub.Params) && Matches(sub.Results, super.Results);
            case CompositeKind.Struct:
            {
                var subFields = sub.Fields;
                var superFields = super.Fields;
                if (subFields.Length < superFields.Length) return false;
                for (int i = 0; i < superFields.Length; i++)
                {
                    if (!Matches(subFields[i], superFields[i])) return false;
                }
                return true;
            }
            default:
                return Matches(sub.Element, super.Element);
        }
    }

    /// <summary>The top of a heap type's hierarchy: any, func, extern or exn.</summary>
    public static HeapType TopOf(HeapType heap) => heap.Kind switch
    {
        HeapKind.Concrete => TypeRegistry.Get(heap.Index).Top,
        HeapKind.Func or HeapKind.NoFunc => HeapType.Func,
        HeapKind.Extern or HeapKind.NoExtern => HeapType.Extern,
        HeapKind.Exn or HeapKind.NoExn => HeapType.Exn,
        HeapKind.Bottom => HeapType.Bottom,
        _ => HeapType.Any,
    };

    /// <summary>The bottom of a heap type's hierarchy: none, nofunc, noextern or noexn.</summary>
    public static HeapType BottomOf(HeapType heap) => heap.Kind switch
    {
        HeapKind.Concrete => TypeRegistry.Get(heap.Index).Bottom,
        HeapKind.Func or HeapKind.NoFunc => HeapType.NoFunc,
        HeapKind.Extern or HeapKind.NoExtern => HeapType.NoExtern,
        HeapKind.Exn or HeapKind.NoExn => HeapType.NoExn,
        HeapKind.Bottom => HeapType.Bottom,
        _ => HeapType.None,
    };

    /// <summary>Spec 3.3.10 (limits): the provided range lies within the declared one.</summary>
    public static bool Matches(Limits sub, Limits super) =>
        sub.AddressType == super.AddressType && sub.Min >= super.Min
        && (super.Max is not { } max || (sub.Max is { } subMax && subMax <= max));

    /// <summary>Spec 3.3.11 (table types): limits match and element types are equivalent.</summary>
    public static bool Matches(TableType sub, TableType super) =>
        Matches(sub.Limits, super.Limits) && Matches(sub.ElementType, super.ElementType) && Matches(super.ElementType, sub.ElementType);

    /// <summary>Spec 3.3.12 (memory types): limits match.</summary>
    public static bool Matches(MemoryType sub, MemoryType super) =>
        sub.Limits.Shared == super.Limits.Shared && sub.PageSizeLog2 == super.PageSizeLog2 && Matches(sub.Limits, super.Limits);

    /// <summary>Spec 3.3.13 (global types): same mutability; mutable globals are invariant.</summary>
    public static bool Matches(GlobalType sub, GlobalType super) =>
        sub.Mutable == super.Mutable && Matches(sub.ValueType, super.ValueType)
        && (!sub.Mutable || Matches(super.ValueType, sub.ValueType));

    /// <summary>Spec 3.3.14 (tag types): the function types are equivalent, i.e. the same canonical type.</summary>
    public static bool MatchesTag(DefinedType sub, DefinedType super) => ReferenceEquals(sub, super);

    /// <summary>Spec 3.3.15 (functions): the provided function's type is a subtype of the declared one.</summary>
    public static bool MatchesFunc(DefinedType sub, DefinedType super) => sub.IsSubtypeOf(super);
}
