using System.Runtime.Intrinsics;
using Weft.Syntax;

namespace Weft;

/// <summary>
/// A global variable shared between instances and the host. Globals a module neither imports nor exports are
/// compiled to fields of the instance and never become objects of this class.
/// </summary>
public sealed class Global : Extern
{
    // Compiled code reads and writes the field of the global's type directly.
    internal int I32;
    internal long I64;
    internal float F32;
    internal double F64;
    internal Vector128<byte> V128;
    internal object? Ref;

    /// <summary>Creates a global with an initial value.</summary>
    /// <param name="store">The store the global belongs to.</param>
    /// <param name="type">Its type (reference types in canonical form when they name a defined type).</param>
    /// <param name="value">The initial value, of the global's value kind.</param>
    public Global(Store store, GlobalType type, WasmValue value)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        Store = store;
        Type = type;
        SetValue(value);
    }

    /// <summary>The store that owns the global.</summary>
    public Store Store { get; }

    /// <summary>The global's type.</summary>
    public GlobalType Type { get; }

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Global;

    /// <summary>The current value. Setting requires a mutable global and a value of its type.</summary>
    /// <exception cref="InvalidOperationException">Set on an immutable global.</exception>
    /// <exception cref="ArgumentException">The value is not of the global's type.</exception>
    /// <exception cref="LinkException">The value is a function of another store.</exception>
    public WasmValue Value
    {
        get => Type.ValueType.Kind switch
        {
            ValKind.I32 => WasmValue.FromInt32(I32),
            ValKind.I64 => WasmValue.FromInt64(I64),
            ValKind.F32 => WasmValue.FromSingleBits(BitConverter.SingleToUInt32Bits(F32)),
            ValKind.F64 => WasmValue.FromDoubleBits(BitConverter.DoubleToUInt64Bits(F64)),
            ValKind.V128 => WasmValue.FromVector(V128),
            _ => WasmValue.FromReference(Ref),
        };
        set
        {
            if (!Type.Mutable) throw new InvalidOperationException("the global is immutable");
            SetValue(value);
        }
    }

    internal void SetValue(WasmValue value)
    {
        if (value.Kind != Type.ValueType.Kind)
        {
            throw new ArgumentException($"a {Type.ValueType} global cannot hold a {value.Kind} value", nameof(value));
        }
        switch (value.Kind)
        {
            case ValKind.I32: I32 = value.AsInt32(); break;
            case ValKind.I64: I64 = value.AsInt64(); break;
            case ValKind.F32: F32 = BitConverter.UInt32BitsToSingle((uint)value.Bits); break;
            case ValKind.F64: F64 = BitConverter.UInt64BitsToDouble(value.Bits); break;
            case ValKind.V128: V128 = value.AsVector(); break;
            default:
                // Compiled code trusts the global's declared reference type.
                if (!Gc.GcCasts.Matches(value.AsReference(), Type.ValueType))
                {
                    throw new ArgumentException($"the reference does not match the global's type {Type.ValueType}", nameof(value));
                }
                // Compiled code calls a function read from a global with no store transition.
                Runtime.StoreOwnership.CheckReference(Store, value.AsReference(), "the function");
                Ref = value.AsReference();
                break;
        }
    }
}
