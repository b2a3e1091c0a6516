using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// Type-checks one function body (or constant expression) an instruction at a time, following the algorithm of
/// spec appendix A.3: an operand stack of value types, a stack of control frames, and a stack of locals initialized
/// since the function began. Reusable across functions; allocates only when its stacks grow.
/// </summary>
/// <remarks>
/// <para>The compiler drives it in lock step with its own walk: <see cref="Begin"/>, then for every instruction
/// decoded from <see cref="Code"/> inspect the state (<see cref="PeekOperand"/>, <see cref="Frame"/>,
/// <see cref="LabelTypes"/>, <see cref="IsUnreachable"/>) and call <see cref="Step"/>. Every type it reports is in
/// canonical form (concrete heap types hold <see cref="DefinedType.Id"/>s); an operand whose type is unknown because
/// the code is unreachable reads as <see cref="ValType.Bottom"/> (or a reference to <see cref="HeapType.Bottom"/>).</para>
/// <para>Errors are <see cref="InvalidModuleException"/>s with the spec's wording; an ill-nested body (an else without
/// if, a missing end) is a <see cref="MalformedModuleException"/>, as the binary format makes it.</para>
/// <code>
/// var checker = new FunctionValidator(valid);
/// checker.Begin(functionIndex);
/// var reader = new InstructionReader(checker.Code);
/// while (!reader.AtEnd)
/// {
///     reader.Read(out var instruction);
///     var operand = checker.PeekOperand(0);   // types before the instruction ...
///     checker.Step(instruction);
///     var result = checker.PeekOperand(0);    // ... and after it
/// }
/// checker.End();
/// </code>
/// </remarks>
internal sealed partial class FunctionValidator
{
    /// <summary>Locals per function beyond which a body is rejected (the limit of the JS embedding and other engines).</summary>
    public const int MaxLocals = 50_000;

    private readonly ValidModule _module;
    private ValType[] _operands = new ValType[64];
    private int _operandCount;
    private ControlFrame[] _frames = new ControlFrame[16];
    private int _frameCount;
    private ValType[] _pool = new ValType[64];
    private int _poolCount;
    private ValType[] _locals = new ValType[16];
    private int _localCount;
    private bool[] _localInit = new bool[16];
    private int[] _inits = new int[16];
    private int _initCount;
    private ReadOnlyMemory<byte> _code;
    private long _codeOffset;
    private int _position;
    private bool _finished;
    private bool _constant;
    private int _visibleGlobals;

    /// <summary>Creates a checker for the functions of a (possibly still validating) module.</summary>
    public FunctionValidator(ValidModule module) => _module = module;

    /// <summary>The module whose functions are checked.</summary>
    public ValidModule Module => _module;

    /// <summary>The encoded instructions of the current function or expression.</summary>
    public ReadOnlySpan<byte> Code => _code.Span;

    /// <summary>The module offset of <see cref="Code"/>'s first byte, or -1 when unknown.</summary>
    public long CodeOffset => _codeOffset;

    /// <summary>Whether the final <c>end</c> has been checked.</summary>
    public bool IsFinished => _finished;

    /// <summary>The number of operand types on the stack, over all frames.</summary>
    public int OperandCount => _operandCount;

    /// <summary>The number of open control frames (the function's own frame included).</summary>
    public int FrameCount => _frameCount;

    /// <summary>Whether the rest of the innermost frame is unreachable (its operand stack is polymorphic).</summary>
    public bool IsUnreachable => _frameCount > 0 && _frames[_frameCount - 1].Unreachable;

    /// <summary>The function index given to <see cref="Begin"/>, or -1 for a constant expression.</summary>
    public int FunctionIndex { get; private set; } = -1;

    /// <summary>The type of the function being checked (null for a constant expression).</summary>
    public DefinedType? FunctionType { get; private set; }

    /// <summary>The number of locals, parameters included.</summary>
    public int LocalCount => _localCount;

    /// <summary>The type of a local (canonical form).</summary>
    public ValType LocalType(int index) => _locals[index];

    /// <summary>
    /// The type of the operand <paramref name="depth"/> places below the top of the stack (0 = top). Below the
    /// innermost frame's entry height the type is unknown: <see cref="ValType.Bottom"/>.
    /// </summary>
    public ValType PeekOperand(int depth)
    {
        int index = _operandCount - 1 - depth;
        int height = _frameCount > 0 ? _frames[_frameCount - 1].Height : 0;
        return index >= height ? _operands[index] : ValType.Bottom;
    }

    /// <summary>A control frame, <paramref name="depth"/> frames out from the innermost (0), i.e. label index order.</summary>
    public ref readonly ControlFrame Frame(int depth) => ref _frames[_frameCount - 1 - depth];

    /// <summary>The types a frame starts with (its block type's parameters).</summary>
    public ReadOnlySpan<ValType> StartTypes(in ControlFrame frame) => _pool.AsSpan(frame.StartOffset, frame.StartCount);

    /// <summary>The types a frame ends with (its block type's results).</summary>
    public ReadOnlySpan<ValType> EndTypes(in ControlFrame frame) => _pool.AsSpan(frame.EndOffset, frame.EndCount);

    /// <summary>The types a branch to label <paramref name="depth"/> carries: a loop's start types, otherwise end types.</summary>
    public ReadOnlySpan<ValType> LabelTypes(int depth)
    {
        ref readonly var frame = ref _frames[_frameCount - 1 - depth];
        return frame.LabelIsStart ? StartTypes(frame) : EndTypes(frame);
    }

    /// <summary>
    /// Starts checking the body of defined function <paramref name="functionIndex"/> (an index in the function index
    /// space, so at least <see cref="ValidModule.ImportedFunctionCount"/>): sets up its locals and its frame.
    /// </summary>
    public void Begin(int functionIndex)
    {
        int defined = functionIndex - _module.ImportedFunctionCount;
        // A decoded module's bodies are read from its records: no FunctionBody object is made (DecodedBodies).
        var codes = _module.Module.Codes;
        LocalDecl[] decls;
        ReadOnlyMemory<byte> code;
        int offset;
        if (codes is DecodedBodies decoded)
        {
            decoded.Get(defined, out decls, out code, out offset);
        }
        else
        {
            var body = codes[defined];
            decls = body.LocalDecls;
            code = body.Code;
            offset = body.Offset;
        }
        var type = _module.Functions[functionIndex];
        Reset(code, offset);
        FunctionIndex = functionIndex;
        FunctionType = type;
        var parameters = type.Params;
        ulong total = (ulong)parameters.Length;
        // The array, not the IReadOnlyList: an interface foreach allocates an enumerator per body.
        foreach (var decl in decls) total += decl.Count;
        if (total > MaxLocals) throw new InvalidModuleException("too many locals", offset);
        EnsureLocals((int)total);
        foreach (var t in parameters) AddLocal(t, initialized: true);
        foreach (var decl in decls)
        {
            var t = CanonicalValType(decl.Type);
            for (uint i = 0; i < decl.Count; i++) AddLocal(t, t.IsDefaultable);
        }
        PushFrame(FrameKind.Function, [], type.Results, 0);
    }

    /// <summary>
    /// Starts checking a constant expression of type <paramref name="type"/> (canonical) that may read the first
    /// <paramref name="visibleGlobals"/> globals. Only constant instructions are accepted.
    /// </summary>
    public void BeginConstant(ConstExpr expression, ValType type, int visibleGlobals)
    {
        Reset(expression.Code, expression.Offset);
        _constant = true;
        _visibleGlobals = visibleGlobals;
        PushFrame(FrameKind.Function, [], new ReadOnlySpan<ValType>(in type), 0);
    }

    /// <summary>Checks that the code ended exactly with its final <c>end</c>.</summary>
    public void End()
    {
        if (!_finished) throw new MalformedModuleException("END opcode expected", _codeOffset >= 0 ? _codeOffset + _code.Length : -1);
    }

    private void Reset(ReadOnlyMemory<byte> code, long offset)
    {
        _code = code;
        _codeOffset = offset;
        _operandCount = 0;
        _frameCount = 0;
        _poolCount = 0;
        _localCount = 0;
        _initCount = 0;
        _position = 0;
        _finished = false;
        _constant = false;
        _visibleGlobals = 0;
        FunctionIndex = -1;
        FunctionType = null;
    }

    private void EnsureLocals(int count)
    {
        if (_locals.Length < count)
        {
            int size = Math.Max(count, _locals.Length * 2);
            _locals = new ValType[size];
            _localInit = new bool[size];
            _inits = new int[size];
        }
    }

    /// <summary>Parameters and defaultable locals start initialized; non-defaultable ones must be set first.</summary>
    private void AddLocal(ValType type, bool initialized)
    {
        _locals[_localCount] = type;
        _localInit[_localCount] = initialized;
        _localCount++;
    }

    // ---- operand stack (spec A.3 push_val / pop_val) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ValType type)
    {
        if (_operandCount == _operands.Length) Array.Resize(ref _operands, _operands.Length * 2);
        _operands[_operandCount++] = type;
    }

    private void Push(ReadOnlySpan<ValType> types)
    {
        if (_operandCount + types.Length > _operands.Length)
        {
            Array.Resize(ref _operands, Math.Max(_operands.Length * 2, _operandCount + types.Length));
        }
        types.CopyTo(_operands.AsSpan(_operandCount));
        _operandCount += types.Length;
    }

    /// <summary>Pops any operand; unknown (bottom) on an empty polymorphic stack.</summary>
    private ValType Pop()
    {
        ref var frame = ref _frames[_frameCount - 1];
        if (_operandCount > frame.Height) return _operands[--_operandCount];
        if (frame.Unreachable) return ValType.Bottom;
        throw Error("type mismatch: instruction requires an operand but stack has []");
    }

    /// <summary>Pops an operand that must match <paramref name="expected"/>; returns the actual type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValType Pop(ValType expected)
    {
        ref var frame = ref _frames[_frameCount - 1];
        if (_operandCount > frame.Height)
        {
            var actual = _operands[_operandCount - 1];
            if ((actual.Kind == expected.Kind && expected.Kind != ValKind.Ref) || Subtyping.Matches(actual, expected))
            {
                _operandCount--;
                return actual;
            }
        }
        else if (frame.Unreachable)
        {
            return ValType.Bottom;
        }
        throw Mismatch(new ReadOnlySpan<ValType>(in expected));
    }

    /// <summary>Pops operands that must match <paramref name="expected"/> (the last one on top).</summary>
    private void Pop(ReadOnlySpan<ValType> expected)
    {
        if (expected.Length != 0) _operandCount = MatchTop(expected);
    }

    /// <summary>
    /// Checks that the top operands match <paramref name="expected"/> without popping them; returns the operand
    /// count once they are popped (on a polymorphic stack, missing operands are unknown and match).
    /// </summary>
    private int MatchTop(ReadOnlySpan<ValType> expected)
    {
        int n = expected.Length;
        ref var frame = ref _frames[_frameCount - 1];
        int available = _operandCount - frame.Height;
        int checkedCount = Math.Min(n, available);
        if (checkedCount < n && !frame.Unreachable) throw Mismatch(expected);
        int bottom = _operandCount - checkedCount;
        for (int i = 0; i < checkedCount; i++)
        {
            if (!Subtyping.Matches(_operands[bottom + i], expected[n - checkedCount + i])) throw Mismatch(expected);
        }
        return bottom;
    }

    /// <summary>Pops <paramref name="count"/> operands that must each match <paramref name="expected"/>.</summary>
    private void PopRepeated(ValType expected, uint count)
    {
        ref var frame = ref _frames[_frameCount - 1];
        int available = _operandCount - frame.Height;
        int checkedCount = (int)Math.Min(count, (uint)available);
        if (checkedCount < count && !frame.Unreachable) throw Mismatch(new ReadOnlySpan<ValType>(in expected));
        int bottom = _operandCount - checkedCount;
        for (int i = bottom; i < _operandCount; i++)
        {
            if (!Subtyping.Matches(_operands[i], expected)) throw Mismatch(new ReadOnlySpan<ValType>(in expected));
        }
        _operandCount = bottom;
    }

    /// <summary>Pops a reference operand (spec A.3 pop_ref): unknown becomes <c>(ref bot)</c>.</summary>
    private ValType PopRef()
    {
        var actual = Pop();
        if (actual.Kind == ValKind.Ref) return actual;
        if (actual.Kind == ValKind.Bottom) return ValType.Ref(HeapType.Bottom, nullable: false);
        throw Error($"type mismatch: instruction requires reference type but stack has {Format(actual)}");
    }

    /// <summary>[t] -> [t].</summary>
    private void Unary(ValType type)
    {
        ref var frame = ref _frames[_frameCount - 1];
        if (_operandCount > frame.Height && _operands[_operandCount - 1].Kind == type.Kind) return;
        Pop(type);
        Push(type);
    }

    /// <summary>[t t] -> [t] for a number or vector type.</summary>
    private void Binary(ValType type)
    {
        ref var frame = ref _frames[_frameCount - 1];
        int n = _operandCount;
        if (n - 2 >= frame.Height && _operands[n - 1].Kind == type.Kind && _operands[n - 2].Kind == type.Kind)
        {
            _operandCount = n - 1;
            return;
        }
        Apply2(type, type, type);
    }

    /// <summary>[a b] -> [result] for number or vector types.</summary>
    private void Apply2(ValType a, ValType b, ValType result)
    {
        ReadOnlySpan<ValType> inputs = [a, b];
        Pop(inputs);
        Push(result);
    }

    /// <summary>[a] -> [result] for number or vector types.</summary>
    private void Apply1(ValType a, ValType result)
    {
        ref var frame = ref _frames[_frameCount - 1];
        if (_operandCount > frame.Height && _operands[_operandCount - 1].Kind == a.Kind)
        {
            _operands[_operandCount - 1] = result;
            return;
        }
        Pop(a);
        Push(result);
    }

    // ---- control stack (spec A.3 push_ctrl / pop_ctrl) ----

    private void PushFrame(FrameKind kind, ReadOnlySpan<ValType> start, ReadOnlySpan<ValType> end, int position)
    {
        int mark = _poolCount;
        int needed = mark + start.Length + end.Length;
        if (needed > _pool.Length) Array.Resize(ref _pool, Math.Max(_pool.Length * 2, needed));
        // else/catch reopen a frame whose types may still sit at this mark: the end types lie after the start types,
        // so moving them first (an overlap-safe copy) keeps both sources intact. Most blocks have no types at all.
        if (end.Length != 0) end.CopyTo(_pool.AsSpan(mark + start.Length));
        if (start.Length != 0) start.CopyTo(_pool.AsSpan(mark));
        _poolCount = needed;
        if (_frameCount == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_frameCount++] = new ControlFrame
        {
            Kind = kind,
            Height = _operandCount,
            InitHeight = _initCount,
            Position = position,
            StartOffset = mark,
            StartCount = start.Length,
            EndOffset = mark + start.Length,
            EndCount = end.Length,
            PoolMark = mark,
        };
        if (start.Length != 0) Push(start);
    }

    /// <summary>Checks the end of the innermost frame and pops it; its end types stay readable until the next push.</summary>
    private ControlFrame PopFrame()
    {
        ref var frame = ref _frames[_frameCount - 1];
        var end = EndTypes(frame);
        int before = _operandCount;
        Pop(end);
        if (_operandCount != frame.Height)
        {
            var stack = _operands.AsSpan(frame.Height, before - frame.Height);
            throw Error($"type mismatch: block requires {Format(end)} but stack has {Format(stack)}");
        }
        // Locals first set inside the block are unset again after it (spec 3.4.1, "local initialization").
        while (_initCount > frame.InitHeight) _localInit[_inits[--_initCount]] = false;
        _frameCount--;
        _poolCount = frame.PoolMark;
        return frame;
    }

    /// <summary>Spec A.3 unreachable(): the rest of the frame has a polymorphic stack.</summary>
    private void SetUnreachable()
    {
        ref var frame = ref _frames[_frameCount - 1];
        _operandCount = frame.Height;
        frame.Unreachable = true;
    }

    /// <summary>Checks that label <paramref name="label"/> exists and returns its depth as an int.</summary>
    private int Label(uint label)
    {
        if (label >= (uint)_frameCount) throw Unknown("label", label);
        return (int)label;
    }

    // ---- errors ----

    private long ErrorOffset => _codeOffset >= 0 ? _codeOffset + _position : -1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidModuleException Error(string reason) => new(reason, ErrorOffset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidModuleException Unknown(string space, uint index) => ValidationErrors.Unknown(space, index, ErrorOffset);

    /// <summary>"type mismatch: instruction requires [expected] but stack has [what is there]".</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidModuleException Mismatch(ReadOnlySpan<ValType> expected)
    {
        ref var frame = ref _frames[_frameCount - 1];
        int available = Math.Min(expected.Length, _operandCount - frame.Height);
        var actual = new List<ValType>();
        if (frame.Unreachable)
        {
            for (int i = available; i < expected.Length; i++) actual.Add(ValType.Bottom);
        }
        actual.AddRange(_operands.AsSpan(_operandCount - available, available));
        return ValidationErrors.Mismatch("instruction", expected, "stack", actual.ToArray(), _module, ErrorOffset);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Malformed(string reason) => throw new MalformedModuleException(reason, ErrorOffset);

    private string Format(ValType type) => ValidationErrors.Format(type, _module);

    private string Format(ReadOnlySpan<ValType> types) => ValidationErrors.Format(types, _module);

    // ---- module context lookups (spec 3.1.2 contexts) ----

    private DefinedType TypeAt(uint index)
    {
        var types = _module.Types;
        if (index >= (uint)types.Length) throw Unknown("type", index);
        return types[(int)index];
    }

    private DefinedType FuncTypeAt(uint index)
    {
        var type = TypeAt(index);
        if (!type.IsFunc) throw Error($"non-function type {index}");
        return type;
    }

    private DefinedType StructTypeAt(uint index)
    {
        var type = TypeAt(index);
        if (!type.IsStruct) throw Error($"non-structure type {index}");
        return type;
    }

    private DefinedType ArrayTypeAt(uint index)
    {
        var type = TypeAt(index);
        if (!type.IsArray) throw Error($"non-array type {index}");
        return type;
    }

    private DefinedType FunctionAt(uint index)
    {
        var functions = _module.Functions;
        if (index >= (uint)functions.Length) throw Unknown("function", index);
        return functions[(int)index];
    }

    private TableType TableAt(uint index)
    {
        var tables = _module.Tables;
        if (index >= (uint)tables.Length) throw Unknown("table", index);
        return tables[(int)index];
    }

    private MemoryType MemoryAt(uint index)
    {
        var memories = _module.Memories;
        if (index >= (uint)memories.Length) throw Unknown("memory", index);
        return memories[(int)index];
    }

    private GlobalType GlobalAt(uint index)
    {
        int visible = _constant ? _visibleGlobals : _module.GlobalCount;
        if (index >= (uint)visible) throw Unknown("global", index);
        return _module.Globals[(int)index];
    }

    private DefinedType TagAt(uint index)
    {
        var tags = _module.Tags;
        if (index >= (uint)tags.Length) throw Unknown("tag", index);
        return tags[(int)index];
    }

    private ValType ElementAt(uint index)
    {
        var elements = _module.ElementTypes;
        if (index >= (uint)elements.Length) throw Unknown("elem segment", index);
        return elements[(int)index];
    }

    private void CheckData(uint index)
    {
        if (index >= (uint)_module.DataCount) throw Unknown("data segment", index);
    }

    private HeapType CanonicalHeapType(HeapType heap) =>
        heap.IsConcrete ? HeapType.Concrete(TypeAt(heap.Index).Id) : heap;

    private ValType CanonicalValType(ValType type) =>
        type.IsRef && type.Heap.IsConcrete ? ValType.Ref(HeapType.Concrete(TypeAt(type.Heap.Index).Id), type.Nullable) : type;
}
