using System.Runtime.Intrinsics;
using Weft.Binary;
using Weft.Gc;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Runtime;

/// <summary>
/// Evaluates constant expressions at instantiation (spec 4.5.3 "evaluation of constant expressions"): constants,
/// extended-const integer arithmetic, global.get, ref.null, ref.func, i31, conversions and GC allocations. Interpreting them is
/// cheaper than compiling: each runs once.
/// </summary>
internal sealed class ConstExprEvaluator
{
    private readonly ValidModule _module;
    private readonly List<WasmValue> _stack = [];
    private readonly Store _store;

    public ConstExprEvaluator(ValidModule module, WasmValue[] globals, Function[] functions, Store store)
    {
        _module = module;
        _store = store;
        Globals = globals;
        Functions = functions;
    }

    /// <summary>The value of every global index evaluated so far.</summary>
    public WasmValue[] Globals { get; }

    /// <summary>The function index space, for ref.func.</summary>
    public Function[] Functions { get; }

    public WasmValue Evaluate(ConstExpr expression)
    {
        _stack.Clear();
        var reader = new InstructionReader(expression.Code.Span);
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            switch (ins.Opcode)
            {
                case Opcode.End:
                    break;
                case Opcode.I32Const: Push(WasmValue.FromInt32(ins.I32)); break;
                case Opcode.I64Const: Push(WasmValue.FromInt64(ins.I64)); break;
                case Opcode.F32Const: Push(WasmValue.FromSingleBits(ins.F32Bits)); break;
                case Opcode.F64Const: Push(WasmValue.FromDoubleBits(ins.F64Bits)); break;
                case Opcode.V128Const: Push(WasmValue.FromVector(System.Runtime.Intrinsics.Vector128.AsByte(System.Runtime.Intrinsics.Vector128.Create(ins.Value, ins.Value2)))); break;
                case Opcode.I32Add: Binary32((a, b) => a + b); break;
                case Opcode.I32Sub: Binary32((a, b) => a - b); break;
                case Opcode.I32Mul: Binary32((a, b) => a * b); break;
                case Opcode.I64Add: Binary64((a, b) => a + b); break;
                case Opcode.I64Sub: Binary64((a, b) => a - b); break;
                case Opcode.I64Mul: Binary64((a, b) => a * b); break;
                case Opcode.GlobalGet: Push(Globals[ins.Index]); break;
                case Opcode.RefNull: Push(WasmValue.FromReference(null)); break;
                case Opcode.RefFunc: Push(WasmValue.FromReference(Functions[ins.Index])); break;
                case Opcode.RefI31: Push(WasmValue.FromReference(I31(Pop().AsInt32()))); break;
                case Opcode.StructNew: StructNew(_module.Type(ins.Index)); break;
                case Opcode.StructNewDefault: StructNewDefault(_module.Type(ins.Index)); break;
                case Opcode.ArrayNew: ArrayNew(_module.Type(ins.Index)); break;
                case Opcode.ArrayNewDefault: ArrayNewDefault(_module.Type(ins.Index)); break;
                case Opcode.ArrayNewFixed: ArrayNewFixed(_module.Type(ins.Index), (int)ins.Index2); break;
                case Opcode.AnyConvertExtern:
                case Opcode.ExternConvertAny:
                    // Externalizing and internalizing keep the object itself (see docs/RATIONALE.md).
                    break;
                default:
                    throw new NotSupportedException($"constant instruction {OpcodeTable.NameOf(ins.Opcode)} is not supported yet");
            }
        }
        return Pop();
    }

    private void Push(WasmValue value) => _stack.Add(value);

    private WasmValue Pop()
    {
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private void Binary32(Func<int, int, int> op)
    {
        int b = Pop().AsInt32();
        int a = Pop().AsInt32();
        Push(WasmValue.FromInt32(op(a, b)));
    }

    private void Binary64(Func<long, long, long> op)
    {
        long b = Pop().AsInt64();
        long a = Pop().AsInt64();
        Push(WasmValue.FromInt64(op(a, b)));
    }

    // GC allocations (spec 3.3.11 "constant expressions" allows struct.new*, array.new, array.new_default and
    // array.new_fixed); they go through the host API, which checks what it stores. They are the guest's
    // allocations, so they are charged to the GC budget as compiled code charges them, and an array watches the
    // deadline while it is filled. They spend no fuel: hosts often instantiate before they give a store fuel, and a
    // module with a small array in a global must not fail then.

    private I31Ref I31(int value)
    {
        if (_store.LimitsGcAllocations && !I31Ref.IsCached(value)) ExecutionChecks.ChargeGcArray(_store, (ulong)GcSizes.I31);
        return I31Ref.Create(value);
    }

    private void StructNew(DefinedType type)
    {
        var fields = new WasmValue[type.Fields.Length];
        for (int i = fields.Length - 1; i >= 0; i--) fields[i] = Pop();
        ExecutionChecks.ChargeGcArray(_store, (ulong)GcSizes.Struct(type));
        Push(WasmValue.FromReference(GcType.Of(type).NewStruct(fields)));
    }

    private void StructNewDefault(DefinedType type)
    {
        ExecutionChecks.ChargeGcArray(_store, (ulong)GcSizes.Struct(type));
        Push(WasmValue.FromReference(GcType.Of(type).NewDefaultStruct()));
    }

    private void ChargeArray(DefinedType type, uint length)
    {
        ExecutionChecks.CheckInterrupt(_store);
        ExecutionChecks.ChargeGcArray(_store, GcSizes.Array(type, length));
        if (length > (uint)Array.MaxLength) throw new TrapException(TrapKind.ArrayTooLarge);
    }

    private void ArrayNew(DefinedType type)
    {
        uint length = (uint)Pop().AsInt32();
        var initial = Pop();
        ChargeArray(type, length);
        var array = GcArrays.CreateDefault(type, (int)length);
        Fill(array, initial);
        Push(WasmValue.FromReference(array));
    }

    private void ArrayNewDefault(DefinedType type)
    {
        uint length = (uint)Pop().AsInt32();
        ChargeArray(type, length);
        Push(WasmValue.FromReference(GcType.Of(type).NewArray((int)length)));
    }

    // The value is converted once and written in pieces with interrupt checks (not element by element as the host
    // API does): a 2^31-element array.new in a global must not hold up instantiation past a deadline.
    private void Fill(GcArray array, WasmValue value)
    {
        switch (array)
        {
            case GcArray<byte> a: BulkWork.Fill(a.Elements.AsSpan(), (byte)value.AsInt32(), _store); break;
            case GcArray<short> a: BulkWork.Fill(a.Elements.AsSpan(), (short)value.AsInt32(), _store); break;
            case GcArray<int> a: BulkWork.Fill(a.Elements.AsSpan(), value.AsInt32(), _store); break;
            case GcArray<long> a: BulkWork.Fill(a.Elements.AsSpan(), value.AsInt64(), _store); break;
            case GcArray<float> a: BulkWork.Fill(a.Elements.AsSpan(), GcValues.ToF32(value), _store); break;
            case GcArray<double> a: BulkWork.Fill(a.Elements.AsSpan(), GcValues.ToF64(value), _store); break;
            case GcArray<Vector128<byte>> a: BulkWork.Fill(a.Elements.AsSpan(), value.AsVector(), _store); break;
            case GcArray<object> a: BulkWork.Fill(a.Elements.AsSpan(), value.AsReference()!, _store); break;
            default: throw new InvalidOperationException($"no fill for {array.GetType()}");
        }
    }

    private void ArrayNewFixed(DefinedType type, int count)
    {
        ExecutionChecks.ChargeGcArray(_store, GcSizes.Array(type, (uint)count));
        var elements = new WasmValue[count];
        for (int i = count - 1; i >= 0; i--) elements[i] = Pop();
        Push(WasmValue.FromReference(GcType.Of(type).NewArrayFrom(elements)));
    }
}
