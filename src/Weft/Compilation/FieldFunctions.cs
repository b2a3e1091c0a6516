using Weft.Binary;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Compilation;

/// <summary>
/// Which of a module's functions its own code stores into each struct field: every <c>ref.func F</c> that is an
/// operand of a <c>struct.new</c> or <c>struct.set</c>, found in one scan of all code and constant expressions. A
/// <c>call_ref</c> whose function operand is a <c>struct.get</c> of such a field then guards only the functions stored
/// there (a vtable's <c>$step</c> field and its <c>$weight</c> field hold different functions of one type), instead of
/// every declared function of the call's type (docs/RATIONALE.md, "GC calls: call_ref candidates from the fields they
/// are stored in, replay clones that write").
/// <para>
/// The result is a guess about which guards pay, never something correctness rests on: a guard is an identity
/// compare with the fallback calli behind it, so a function stored in a way the scan does not see (another instance,
/// the host, a value passed through a local or a block) is still called correctly, by the calli. A field into which
/// anything other than a visible <c>ref.func</c> (or null) is stored is marked unknown, and its sites fall back to
/// the candidates by type.
/// </para>
/// </summary>
internal sealed class FieldFunctions
{
    /// <summary>WEFT_CALL_REF_FIELD_FLOW=0 picks call_ref candidates by type alone (for A/B measurements).</summary>
    internal static readonly bool Enabled = Environment.GetEnvironmentVariable("WEFT_CALL_REF_FIELD_FLOW") != "0";

    private const int Unknown = -1;
    private const int Null = -2;

    // Per (struct type, field): the function indices stored there; null once something unknown was stored.
    private readonly Dictionary<(DefinedType Type, int Field), HashSet<int>?> _stored = new();
    private readonly ValidModule _valid;

    private FieldFunctions(ValidModule valid) => _valid = valid;

    /// <summary>Scans every function body, global initializer, table initializer and element item of the module once.</summary>
    public static FieldFunctions Of(ValidModule valid)
    {
        var flow = new FieldFunctions(valid);
        var module = valid.Module;
        var stack = new List<int>();
        foreach (var body in module.Codes) flow.Scan(body.Code.Span, stack);
        foreach (var global in module.Globals) flow.Scan(global.Init.Code.Span, stack);
        foreach (var table in module.Tables)
        {
            if (table.Init is { } init) flow.Scan(init.Code.Span, stack);
        }
        foreach (var segment in module.Elements)
        {
            foreach (var item in segment.Items) flow.Scan(item.Code.Span, stack);
        }
        return flow;
    }

    /// <summary>
    /// The functions (indices in the function space) that a <c>struct.get</c> of <paramref name="field"/> from a
    /// reference of static type <paramref name="type"/> can read, as far as this module's code shows: the union over
    /// the module's subtypes of <paramref name="type"/>. Null when some store into one of them is not understood, or
    /// nothing was seen (the caller then picks by type).
    /// </summary>
    public HashSet<int>? For(DefinedType type, int field)
    {
        HashSet<int>? result = null;
        foreach (var candidate in _valid.Types)
        {
            if (!candidate.IsStruct || !candidate.IsSubtypeOf(type)) continue;
            if (!_stored.TryGetValue((candidate, field), out var stored)) continue;
            if (stored is null) return null;
            (result ??= []).UnionWith(stored);
        }
        return result;
    }

    private void Record(DefinedType type, int field, int value)
    {
        if (value == Null) return;
        var key = (type, field);
        if (value == Unknown)
        {
            _stored[key] = null;
            return;
        }
        if (!_stored.TryGetValue(key, out var set)) _stored[key] = set = [];
        set?.Add(value);
    }

    // A model of the operand stack's top that knows only where values come from: a function index for ref.func, Null
    // for ref.null, Unknown for anything else. Instructions the model does not know clear it (everything below is
    // then unknown), so it can only lose precision, never attribute a value to the wrong field.
    private void Scan(ReadOnlySpan<byte> code, List<int> stack)
    {
        stack.Clear();
        var reader = new InstructionReader(code);
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            var op = ins.Opcode;
            switch (op)
            {
                case Opcode.RefFunc:
                    stack.Add((int)ins.Index);
                    break;
                case Opcode.RefNull:
                    stack.Add(Null);
                    break;
                case Opcode.LocalGet or Opcode.GlobalGet or Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const:
                    stack.Add(Unknown);
                    break;
                case Opcode.LocalTee or Opcode.RefAsNonNull:
                    break;
                case Opcode.LocalSet or Opcode.GlobalSet or Opcode.Drop:
                    Pop(stack, 1);
                    break;
                case Opcode.StructNew:
                {
                    var type = _valid.Type(ins.Index);
                    int n = type.Fields.Length;
                    for (int f = 0; f < n; f++)
                    {
                        int at = stack.Count - n + f;
                        Record(type, f, at >= 0 ? stack[at] : Unknown);
                    }
                    Pop(stack, n);
                    stack.Add(Unknown);
                    break;
                }
                case Opcode.StructSet:
                    Record(_valid.Type(ins.Index), (int)ins.Index2, stack.Count > 0 ? stack[^1] : Unknown);
                    Pop(stack, 2);
                    break;
                case Opcode.StructGet or Opcode.StructGetS or Opcode.StructGetU or Opcode.ArrayLen
                    or Opcode.RefCast or Opcode.RefCastNull or Opcode.RefTest or Opcode.RefTestNull or Opcode.RefIsNull
                    or Opcode.RefI31 or Opcode.I31GetS or Opcode.I31GetU or Opcode.AnyConvertExtern or Opcode.ExternConvertAny:
                    Replace(stack, 1);
                    break;
                case Opcode.ArrayGet or Opcode.ArrayGetS or Opcode.ArrayGetU or Opcode.RefEq:
                    Replace(stack, 2);
                    break;
                default:
                    if (IsUnaryNumeric(op)) Replace(stack, 1);
                    else if (op >= Opcode.I32Eq && op <= Opcode.F64Copysign) Replace(stack, 2);
                    else stack.Clear();
                    break;
            }
        }
    }

    // The one-byte numeric ops that take one operand (the rest of 0x46..0xBF take two).
    private static bool IsUnaryNumeric(Opcode op) => op is Opcode.I32Eqz or Opcode.I64Eqz
        || (op >= Opcode.I32Clz && op <= Opcode.I32Popcnt) || (op >= Opcode.I64Clz && op <= Opcode.I64Popcnt)
        || (op >= Opcode.F32Abs && op <= Opcode.F32Sqrt) || (op >= Opcode.F64Abs && op <= Opcode.F64Sqrt)
        || (op >= Opcode.I32WrapI64 && op <= Opcode.I64Extend32S);

    private static void Pop(List<int> stack, int n) => stack.RemoveRange(Math.Max(0, stack.Count - n), Math.Min(n, stack.Count));

    // An instruction taking n operands and leaving one value of its own.
    private static void Replace(List<int> stack, int n)
    {
        Pop(stack, n);
        stack.Add(Unknown);
    }
}
