using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Weft.Syntax;

namespace Weft.Runtime;

/// <summary>
/// What the IL evaluation stack holds for a wasm value: the CLR type class. All references are <c>object</c>
/// (null is null), so the compiler needs no more than these six kinds to keep the IL stack consistent.
/// </summary>
internal enum StackKind : byte
{
    I32,
    I64,
    F32,
    F64,
    V128,
    Ref,
}

/// <summary>The mapping from wasm types to CLR types.</summary>
internal static class ClrTypes
{
    public static readonly Type V128 = typeof(Vector128<byte>);

    public static StackKind KindOf(ValType type) => type.Kind switch
    {
        ValKind.I32 => StackKind.I32,
        ValKind.I64 => StackKind.I64,
        ValKind.F32 => StackKind.F32,
        ValKind.F64 => StackKind.F64,
        ValKind.V128 => StackKind.V128,
        _ => StackKind.Ref,
    };

    public static Type Of(StackKind kind) => kind switch
    {
        StackKind.I32 => typeof(int),
        StackKind.I64 => typeof(long),
        StackKind.F32 => typeof(float),
        StackKind.F64 => typeof(double),
        StackKind.V128 => V128,
        _ => typeof(object),
    };

    public static Type Of(ValType type) => Of(KindOf(type));

    /// <summary>The CLR return type of a wasm result list: void, the single type, or a ValueTuple.</summary>
    public static Type ReturnType(IReadOnlyList<ValType> results) => results.Count switch
    {
        0 => typeof(void),
        1 => Of(results[0]),
        _ => TupleType(results.Select(Of).ToArray()),
    };

    /// <summary>A ValueTuple type over the given element types (nested through TRest beyond seven).</summary>
    public static Type TupleType(ReadOnlySpan<Type> elements)
    {
        if (elements.Length <= 7)
        {
            return elements.Length switch
            {
                1 => typeof(ValueTuple<>).MakeGenericType(elements.ToArray()),
                2 => typeof(ValueTuple<,>).MakeGenericType(elements.ToArray()),
                3 => typeof(ValueTuple<,,>).MakeGenericType(elements.ToArray()),
                4 => typeof(ValueTuple<,,,>).MakeGenericType(elements.ToArray()),
                5 => typeof(ValueTuple<,,,,>).MakeGenericType(elements.ToArray()),
                6 => typeof(ValueTuple<,,,,,>).MakeGenericType(elements.ToArray()),
                7 => typeof(ValueTuple<,,,,,,>).MakeGenericType(elements.ToArray()),
                _ => throw new ArgumentException("a tuple needs at least one element"),
            };
        }
        var rest = TupleType(elements[7..]);
        var args = new Type[8];
        elements[..7].CopyTo(args);
        args[7] = rest;
        return typeof(ValueTuple<,,,,,,,>).MakeGenericType(args);
    }

    /// <summary>The CLR parameter types of a wasm signature, followed by the context parameter.</summary>
    public static Type[] ParameterTypes(IReadOnlyList<ValType> parameters, Type context)
    {
        var types = new Type[parameters.Count + 1];
        for (int i = 0; i < parameters.Count; i++) types[i] = Of(parameters[i]);
        types[^1] = context;
        return types;
    }

    /// <summary>Packs the top values into a ValueTuple (nested beyond seven).</summary>
    public static void EmitPackTuple(ILGenerator il, Type[] types)
    {
        if (types.Length <= 7)
        {
            il.Emit(OpCodes.Newobj, TupleType(types).GetConstructor(types)!);
            return;
        }
        EmitPackTuple(il, types[7..]);
        var args = new Type[8];
        Array.Copy(types, args, 7);
        args[7] = TupleType(types[7..]);
        il.Emit(OpCodes.Newobj, TupleType(types).GetConstructor(args)!);
    }
}
