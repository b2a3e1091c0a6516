using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Gc;

/// <summary>
/// The CLR class of one canonical struct type and what code needs to use it: the field of each wasm field (inherited
/// ones first), the constructors, and host accessors built on first use.
/// </summary>
internal sealed class StructLayout
{
    private Func<GcStruct>? _factory;
    private Func<GcStruct, WasmValue>[]? _getters;
    private Action<GcStruct, WasmValue>[]? _setters;

    public StructLayout(DefinedType type, Type clrType, FieldInfo[] fields, FieldInfo typeField)
    {
        Type = type;
        ClrType = clrType;
        Fields = fields;
        TypeField = typeField;
        Constructor = fields.Length <= MaxConstructorFields ? clrType.GetConstructor(fields.Select(f => FieldParameterType(f.FieldType)).ToArray()) : null;
        DefaultConstructor = clrType.GetConstructor(System.Type.EmptyTypes)!;
    }

    /// <summary>The canonical struct type.</summary>
    public DefinedType Type { get; }

    /// <summary>The generated class.</summary>
    public Type ClrType { get; }

    /// <summary>The CLR field of each wasm field, by field index.</summary>
    public FieldInfo[] Fields { get; }

    /// <summary>The class's static readonly field holding <see cref="Type"/> (a JIT-time constant in compiled code).</summary>
    public FieldInfo TypeField { get; }

    /// <summary>
    /// Structs with more fields than this get no constructor taking every field: RyuJIT rejects methods with many
    /// thousands of parameters, and such a struct.new is rare enough to store its fields one by one.
    /// </summary>
    public const int MaxConstructorFields = 256;

    /// <summary>The constructor taking every field, packed fields as i32 (struct.new); null beyond <see cref="MaxConstructorFields"/>.</summary>
    public ConstructorInfo? Constructor { get; }

    /// <summary>The constructor leaving every field at its default (struct.new_default).</summary>
    public ConstructorInfo DefaultConstructor { get; }

    /// <summary>Constructor parameters have the wasm operand's CLR type: packed fields take an i32, truncated on store.</summary>
    public static Type FieldParameterType(Type fieldType) => fieldType == typeof(byte) || fieldType == typeof(short) ? typeof(int) : fieldType;

    /// <summary>Creates an instance with default fields.</summary>
    public GcStruct CreateDefault() => (_factory ??= BuildFactory())();

    /// <summary>Reads a field as a wasm value (packed fields zero-extended).</summary>
    public WasmValue Get(GcStruct instance, int field) => (_getters ??= BuildGetters())[field](instance);

    /// <summary>Writes a field; the value must already have been checked against the field type.</summary>
    public void Set(GcStruct instance, int field, WasmValue value) => (_setters ??= BuildSetters())[field](instance, value);

    // The helpers are owned by the struct class itself: a dynamic method of Weft's (non-collectible) module that
    // referenced a collectible class would keep the class's assembly, so its engine's code, alive for good.
    private Func<GcStruct> BuildFactory()
    {
        var method = new DynamicMethod("new", typeof(GcStruct), System.Type.EmptyTypes, ClrType, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Newobj, DefaultConstructor);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<GcStruct>>();
    }

    private Func<GcStruct, WasmValue>[] BuildGetters()
    {
        var getters = new Func<GcStruct, WasmValue>[Fields.Length];
        for (int i = 0; i < Fields.Length; i++)
        {
            var method = new DynamicMethod($"get{i}", typeof(WasmValue), [typeof(GcStruct)], ClrType, skipVisibility: true);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Castclass, ClrType);
            il.Emit(OpCodes.Ldfld, Fields[i]);
            if (Fields[i].FieldType == typeof(short)) il.Emit(OpCodes.Conv_U2);
            il.Emit(OpCodes.Call, GcValues.Boxer(Type.Fields[i].Storage.Type.Kind));
            il.Emit(OpCodes.Ret);
            getters[i] = method.CreateDelegate<Func<GcStruct, WasmValue>>();
        }
        return getters;
    }

    private Action<GcStruct, WasmValue>[] BuildSetters()
    {
        var setters = new Action<GcStruct, WasmValue>[Fields.Length];
        for (int i = 0; i < Fields.Length; i++)
        {
            var method = new DynamicMethod($"set{i}", typeof(void), [typeof(GcStruct), typeof(WasmValue)], ClrType, skipVisibility: true);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Castclass, ClrType);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Call, GcValues.Unboxer(Type.Fields[i].Storage.Type.Kind));
            il.Emit(OpCodes.Stfld, Fields[i]);
            il.Emit(OpCodes.Ret);
            setters[i] = method.CreateDelegate<Action<GcStruct, WasmValue>>();
        }
        return setters;
    }
}

/// <summary>Conversions between <see cref="WasmValue"/> and the CLR stack types, bit-exact, for generated accessors.</summary>
internal static class GcValues
{
    public static WasmValue FromI32(int value) => WasmValue.FromInt32(value);

    public static WasmValue FromI64(long value) => WasmValue.FromInt64(value);

    public static WasmValue FromF32(float value) => WasmValue.FromSingleBits(BitConverter.SingleToUInt32Bits(value));

    public static WasmValue FromF64(double value) => WasmValue.FromDoubleBits(BitConverter.DoubleToUInt64Bits(value));

    public static WasmValue FromV128(Vector128<byte> value) => WasmValue.FromVector(value);

    public static WasmValue FromRef(object? value) => WasmValue.FromReference(value);

    public static int ToI32(WasmValue value) => value.AsInt32();

    public static long ToI64(WasmValue value) => value.AsInt64();

    public static float ToF32(WasmValue value) => BitConverter.UInt32BitsToSingle((uint)value.Bits);

    public static double ToF64(WasmValue value) => BitConverter.UInt64BitsToDouble(value.Bits);

    public static Vector128<byte> ToV128(WasmValue value) => value.AsVector();

    public static object? ToRef(WasmValue value) => value.AsReference();

    public static MethodInfo Boxer(ValKind kind) => typeof(GcValues).GetMethod(kind switch
    {
        ValKind.I32 => nameof(FromI32),
        ValKind.I64 => nameof(FromI64),
        ValKind.F32 => nameof(FromF32),
        ValKind.F64 => nameof(FromF64),
        ValKind.V128 => nameof(FromV128),
        _ => nameof(FromRef),
    })!;

    public static MethodInfo Unboxer(ValKind kind) => typeof(GcValues).GetMethod(kind switch
    {
        ValKind.I32 => nameof(ToI32),
        ValKind.I64 => nameof(ToI64),
        ValKind.F32 => nameof(ToF32),
        ValKind.F64 => nameof(ToF64),
        ValKind.V128 => nameof(ToV128),
        _ => nameof(ToRef),
    })!;
}
