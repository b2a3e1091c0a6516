using System.Globalization;

namespace Weft.Syntax;

/// <summary>A value type: a number type, <c>v128</c>, or a reference type <c>(ref null? heaptype)</c>.</summary>
public readonly struct ValType : IEquatable<ValType>
{
    private ValType(ValKind kind, bool nullable, HeapType heap)
    {
        Kind = kind;
        Nullable = nullable;
        Heap = heap;
    }

    /// <summary>The kind of the type.</summary>
    public ValKind Kind { get; }

    /// <summary>For a reference type, whether it admits null.</summary>
    public bool Nullable { get; }

    /// <summary>For a reference type, its heap type.</summary>
    public HeapType Heap { get; }

    /// <summary>Whether this is a reference type.</summary>
    public bool IsRef => Kind == ValKind.Ref;

    /// <summary>Whether this is a number type (i32, i64, f32, f64).</summary>
    public bool IsNumber => Kind <= ValKind.F64;

    /// <summary>A reference type.</summary>
    public static ValType Ref(HeapType heap, bool nullable) => new(ValKind.Ref, nullable, heap);

    /// <summary>i32.</summary>
    public static ValType I32 => new(ValKind.I32, false, default);
    /// <summary>i64.</summary>
    public static ValType I64 => new(ValKind.I64, false, default);
    /// <summary>f32.</summary>
    public static ValType F32 => new(ValKind.F32, false, default);
    /// <summary>f64.</summary>
    public static ValType F64 => new(ValKind.F64, false, default);
    /// <summary>v128.</summary>
    public static ValType V128 => new(ValKind.V128, false, default);
    /// <summary>The validator's unknown operand type.</summary>
    public static ValType Bottom => new(ValKind.Bottom, false, default);
    /// <summary><c>funcref</c> = (ref null func).</summary>
    public static ValType FuncRef => Ref(HeapType.Func, true);
    /// <summary><c>externref</c> = (ref null extern).</summary>
    public static ValType ExternRef => Ref(HeapType.Extern, true);
    /// <summary><c>anyref</c> = (ref null any).</summary>
    public static ValType AnyRef => Ref(HeapType.Any, true);
    /// <summary><c>eqref</c> = (ref null eq).</summary>
    public static ValType EqRef => Ref(HeapType.Eq, true);
    /// <summary><c>i31ref</c> = (ref null i31).</summary>
    public static ValType I31Ref => Ref(HeapType.I31, true);
    /// <summary><c>structref</c> = (ref null struct).</summary>
    public static ValType StructRef => Ref(HeapType.Struct, true);
    /// <summary><c>arrayref</c> = (ref null array).</summary>
    public static ValType ArrayRef => Ref(HeapType.Array, true);
    /// <summary><c>nullref</c> = (ref null none).</summary>
    public static ValType NullRef => Ref(HeapType.None, true);
    /// <summary><c>nullfuncref</c> = (ref null nofunc).</summary>
    public static ValType NullFuncRef => Ref(HeapType.NoFunc, true);
    /// <summary><c>nullexternref</c> = (ref null noextern).</summary>
    public static ValType NullExternRef => Ref(HeapType.NoExtern, true);
    /// <summary><c>exnref</c> = (ref null exn).</summary>
    public static ValType ExnRef => Ref(HeapType.Exn, true);
    /// <summary><c>nullexnref</c> = (ref null noexn).</summary>
    public static ValType NullExnRef => Ref(HeapType.NoExn, true);

    /// <summary>The same reference type with the given nullability.</summary>
    public ValType WithNullable(bool nullable) => new(Kind, nullable, Heap);

    /// <summary>Whether the type has a default value (numbers, vectors and nullable references do).</summary>
    public bool IsDefaultable => Kind != ValKind.Ref || Nullable;

    /// <summary>The number of bytes a value of a number or vector type occupies.</summary>
    public int ByteSize => Kind switch
    {
        ValKind.I32 or ValKind.F32 => 4,
        ValKind.I64 or ValKind.F64 => 8,
        ValKind.V128 => 16,
        _ => throw new InvalidOperationException("not a number or vector type"),
    };

    /// <summary>The binary encoding byte of a number or vector type.</summary>
    public int NumberCode => Kind switch
    {
        ValKind.I32 => 0x7F,
        ValKind.I64 => 0x7E,
        ValKind.F32 => 0x7D,
        ValKind.F64 => 0x7C,
        ValKind.V128 => 0x7B,
        _ => -1,
    };

    /// <summary>The text format of the type, e.g. <c>i32</c>, <c>funcref</c>, <c>(ref null 3)</c>.</summary>
    public override string ToString()
    {
        switch (Kind)
        {
            case ValKind.I32: return "i32";
            case ValKind.I64: return "i64";
            case ValKind.F32: return "f32";
            case ValKind.F64: return "f64";
            case ValKind.V128: return "v128";
            case ValKind.Bottom: return "bot";
        }
        if (Nullable && !Heap.IsConcrete && Heap.Kind != HeapKind.Bottom)
        {
            return Heap.Kind switch
            {
                HeapKind.Func => "funcref",
                HeapKind.NoFunc => "nullfuncref",
                HeapKind.Extern => "externref",
                HeapKind.NoExtern => "nullexternref",
                HeapKind.Any => "anyref",
                HeapKind.Eq => "eqref",
                HeapKind.I31 => "i31ref",
                HeapKind.Struct => "structref",
                HeapKind.Array => "arrayref",
                HeapKind.None => "nullref",
                HeapKind.Exn => "exnref",
                HeapKind.NoExn => "nullexnref",
                _ => "bot",
            };
        }
        return string.Create(CultureInfo.InvariantCulture, $"(ref {(Nullable ? "null " : "")}{Heap})");
    }

    /// <inheritdoc/>
    public bool Equals(ValType other) =>
        Kind == other.Kind && (Kind != ValKind.Ref || (Nullable == other.Nullable && Heap == other.Heap));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ValType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Kind == ValKind.Ref ? HashCode.Combine(Kind, Nullable, Heap) : (int)Kind;

    /// <summary>Equality.</summary>
    public static bool operator ==(ValType left, ValType right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ValType left, ValType right) => !left.Equals(right);
}
