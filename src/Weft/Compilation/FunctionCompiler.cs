using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

/// <summary>
/// Compiles one wasm function body to IL. The wasm operand stack maps onto the IL evaluation stack; the compiler
/// mirrors it as a stack of <see cref="StackKind"/>s so it can spill, drop and re-push values where IL demands it
/// (branches that drop operands, stores that need the address below the value). Instruction families live in
/// partial files: Control, Variables, Numeric, Memory, Table, Reference, Gc, Simd, SimdMemory.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private readonly ModuleCompiler _module;
    private readonly MethodInfo _createTrap;
    private readonly int _functionIndex;
    private readonly FuncType _type;
    private readonly FunctionBody _body;
    private readonly ILGenerator _il;
    private readonly List<StackKind> _stack = [];
    private readonly List<ControlFrame> _frames = [];
    private readonly StackKind[] _localKinds;
    private readonly LocalBuilder?[] _locals;
    private readonly int _paramCount;
    private readonly Dictionary<Type, Stack<LocalBuilder>> _freeTemps = [];
    private int _skipDepth;
    private StackKind[] _functionResults = [];

    // A part of a split function (FunctionSplitter): its caller made the entry checks, so it makes none.
    private readonly bool _outlined;

    public FunctionCompiler(ModuleCompiler module, int definedIndex)
        : this(module, definedIndex, module.FunctionTypes[module.ImportedFunctionCount + definedIndex], module.Module.Codes[definedIndex],
            module.Bodies[definedIndex] ?? throw new InvalidOperationException($"no method for the body of function {module.ImportedFunctionCount + definedIndex}"),
            outlined: false)
    {
    }

    /// <summary>
    /// Compiles <paramref name="body"/> of type <paramref name="type"/> into <paramref name="method"/>: defined function
    /// <paramref name="definedIndex"/>'s own body (possibly rewritten by <see cref="FunctionSplitter"/>), or, when
    /// <paramref name="outlined"/>, a part split out of it, which has no entry checks of its own.
    /// </summary>
    public FunctionCompiler(ModuleCompiler module, int definedIndex, FuncType type, FunctionBody body, MethodBuilder method, bool outlined)
    {
        _module = module;
        _functionIndex = module.ImportedFunctionCount + definedIndex;
        _type = type;
        _body = body;
        _outlined = outlined;
        _protocol = !outlined && module.MayLeavePending[definedIndex];
        _il = method.GetILGenerator();
        _createTrap = module.TrapForwarder((TypeBuilder)method.DeclaringType!);
        _paramCount = _type.Params.Count;
        var kinds = new List<StackKind>(_type.Params.Select(ClrTypes.KindOf));
        foreach (var decl in _body.Locals)
        {
            for (uint i = 0; i < decl.Count; i++) kinds.Add(ClrTypes.KindOf(decl.Type));
        }
        _localKinds = [.. kinds];
        _locals = new LocalBuilder?[_localKinds.Length];
        for (int i = _paramCount; i < _localKinds.Length; i++) _locals[i] = _il.DeclareLocal(ClrTypes.Of(_localKinds[i]));
    }

    /// <summary>When set, receives one line per instruction compiled (a debugging aid; set WEFT_TRACE_COMPILER=1).</summary>
    internal static Action<string>? Trace = Environment.GetEnvironmentVariable("WEFT_TRACE_COMPILER") == "1" ? Console.Error.WriteLine : null;

    private ReadOnlySpan<byte> Code => _body.Code.Span;

    private ControlFrame Top => _frames[^1];

    /// <summary>Emits the whole method.</summary>
    public void Compile()
    {
        var usage = ScanUsage();
        InitBoundsChecks();
        EmitPrologue(usage);
        PrepareShadows();
        if (_flat) BeginFlatRegion();
        var results = _type.Results.Select(ClrTypes.KindOf).ToArray();
        _functionResults = results;
        _frames.Add(new ControlFrame { Kind = FrameKind.Function, Params = [], Results = results, End = _il.DefineLabel(), Height = 0 });
        var reader = new InstructionReader(Code);
        while (!reader.AtEnd)
        {
            var instruction = reader.Read();
            _nextPosition = reader.Position;
            if (_frames.Count == 0) throw new InvalidOperationException("code after the function's end");
            Trace?.Invoke($"{OpcodeTable.NameOf(instruction.Opcode),-24} stack=[{string.Join(' ', _stack)}] frames={_frames.Count}{(Top.Unreachable ? " dead" : "")}");
            if (Top.Unreachable)
            {
                SkipDead(instruction);
                NotePrevious(instruction, emitted: false);
            }
            else
            {
                if (instruction.Opcode == Opcode.Loop) TryBeginVersionedLoop(instruction);
                Emit(instruction);
                NotePrevious(instruction, emitted: true);
            }
            AfterInstruction(instruction.Opcode);
            AfterVersionedInstruction(instruction, ref reader);
        }
        if (_flat) EndFlatRegion();
        EmitFunctionPads();
    }

    // Dead code after an unconditional transfer is not emitted: IL requires an empty stack at an instruction that
    // follows an unconditional branch and is not a branch target, which wasm's polymorphic stack would break.
    private void SkipDead(in Instruction instruction)
    {
        switch (instruction.Opcode)
        {
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
            case Opcode.Try:
            case Opcode.TryTable:
                _skipDepth++;
                return;
            case Opcode.End:
                if (_skipDepth > 0)
                {
                    _skipDepth--;
                    return;
                }
                EmitEnd();
                return;
            case Opcode.Else:
                if (_skipDepth == 0) EmitElse();
                return;
            case Opcode.Catch:
            case Opcode.CatchAll:
                if (_skipDepth == 0) Emit(instruction);
                return;
            case Opcode.Delegate:
                // delegate ends its try like end does.
                if (_skipDepth > 0) _skipDepth--;
                else Emit(instruction);
                return;
            default:
                return;
        }
    }

    private void Emit(in Instruction ins)
    {
        switch (ins.Opcode)
        {
            // Control (FunctionCompiler.Control.cs)
            case Opcode.Unreachable: EmitUnreachable(); break;
            case Opcode.Nop: break;
            case Opcode.Block: EmitBlock(ins.BlockType); break;
            case Opcode.Loop: EmitLoop(ins.BlockType); break;
            case Opcode.If: EmitIf(ins.BlockType); break;
            case Opcode.Else: EmitElse(); break;
            case Opcode.End: EmitEnd(); break;
            case Opcode.Br: EmitBr(ins.Index); break;
            case Opcode.BrIf: EmitBrIf(ins.Index); break;
            case Opcode.BrTable: EmitBrTable(ins); break;
            case Opcode.Return: EmitReturn(); break;
            case Opcode.Drop: Pop(); _il.Emit(OpCodes.Pop); break;
            case Opcode.Select: EmitSelect(); break;
            case Opcode.SelectTyped: EmitSelect(); break;

            // Calls (FunctionCompiler.Calls.cs)
            case Opcode.Call: EmitCall(ins.Index, tail: false); break;
            case Opcode.ReturnCall: EmitCall(ins.Index, tail: true); break;
            case Opcode.CallIndirect: EmitCallIndirect(ins.Index, ins.Index2, tail: false); break;
            case Opcode.ReturnCallIndirect: EmitCallIndirect(ins.Index, ins.Index2, tail: true); break;
            case Opcode.CallRef: EmitCallRef(ins.Index, tail: false); break;
            case Opcode.ReturnCallRef: EmitCallRef(ins.Index, tail: true); break;

            // Variables (FunctionCompiler.Variables.cs)
            case Opcode.LocalGet: EmitLocalGet(ins.Index); break;
            case Opcode.LocalSet: EmitLocalSet(ins.Index); break;
            case Opcode.LocalTee: EmitLocalTee(ins.Index); break;
            case Opcode.GlobalGet: EmitGlobalGet(ins.Index); break;
            case Opcode.GlobalSet: EmitGlobalSet(ins.Index); break;

            // References (FunctionCompiler.Reference.cs)
            case Opcode.RefNull: _il.Emit(OpCodes.Ldnull); Push(StackKind.Ref); break;
            case Opcode.RefIsNull: EmitRefIsNull(); break;
            case Opcode.RefFunc: EmitRefFunc(ins.Index); break;
            case Opcode.RefAsNonNull: EmitRefAsNonNull(); break;
            case Opcode.RefEq: EmitRefEq(); break;
            case Opcode.BrOnNull: EmitBrOnNull(ins.Index); break;
            case Opcode.BrOnNonNull: EmitBrOnNonNull(ins.Index); break;

            // Tables (FunctionCompiler.Table.cs)
            case Opcode.TableGet: EmitTableGet(ins.Index); break;
            case Opcode.TableSet: EmitTableSet(ins.Index); break;
            case Opcode.TableSize: EmitTableSize(ins.Index); break;
            case Opcode.TableGrow: EmitTableGrow(ins.Index); break;
            case Opcode.TableFill: EmitTableFill(ins.Index); break;
            case Opcode.TableCopy: EmitTableCopy(ins.Index, ins.Index2); break;
            case Opcode.TableInit: EmitTableInit(ins.Index, ins.Index2); break;
            case Opcode.ElemDrop: EmitElemDrop(ins.Index); break;

            // Constants
            case Opcode.I32Const: _il.Emit(OpCodes.Ldc_I4, ins.I32); Push(StackKind.I32); SetTopOrigin(OriginKind.Const, value: (uint)ins.I32); break;
            case Opcode.I64Const: _il.Emit(OpCodes.Ldc_I8, ins.I64); Push(StackKind.I64); SetTopOrigin(OriginKind.Const, value: (ulong)ins.I64); break;
            case Opcode.I32Add: EmitI32Add(); break;
            case Opcode.I32And or Opcode.I32Shl or Opcode.I32ShrU: EmitRangedI32(ins.Opcode); break;
            case Opcode.F32Const: EmitF32Const(ins.F32Bits); break;
            case Opcode.F64Const: EmitF64Const(ins.F64Bits); break;

            default:
                if (TryEmitMemory(ins)) break;
                if (TryEmitNumeric(ins.Opcode)) break;
                if (TryEmitGc(ins)) break;
                if (TryEmitException(ins)) break;
                if (TryEmitSimd(ins)) break;
                if (TryEmitWideArithmetic(ins.Opcode)) break;
                if (TryEmitAtomic(ins)) break;
                throw new NotSupportedException($"instruction {OpcodeTable.NameOf(ins.Opcode)} is not supported yet");
        }
    }

    // ---- the mirrored operand stack

    /// <summary>
    /// The deepest operand stack a function may have. The wasm stack is the IL evaluation stack, whose depth the
    /// method header records in 16 bits; a few slots stay free for the temporaries pushed above the wasm values.
    /// </summary>
    internal const int MaxStackHeight = 65_000;

    private void Push(StackKind kind)
    {
        if (_stack.Count >= MaxStackHeight) throw StackTooDeep();
        ClearOrigin(_stack.Count);
        _stack.Add(kind);
    }

    private CompilationException StackTooDeep() =>
        new($"function {_functionIndex} needs more than {MaxStackHeight} values on its operand stack, more than the IL stack holds");

    private StackKind Pop()
    {
        var kind = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return kind;
    }

    private void Pop(int count) => _stack.RemoveRange(_stack.Count - count, count);

    private StackKind Peek(int depth = 0) => _stack[_stack.Count - 1 - depth];

    // ---- temporaries, reused per CLR type

    private LocalBuilder Temp(Type type)
    {
        if (_freeTemps.TryGetValue(type, out var free) && free.Count > 0) return free.Pop();
        return _il.DeclareLocal(type);
    }

    private LocalBuilder Temp(StackKind kind) => Temp(ClrTypes.Of(kind));

    private void Free(LocalBuilder local)
    {
        if (!_freeTemps.TryGetValue(local.LocalType, out var free))
        {
            free = new Stack<LocalBuilder>();
            _freeTemps[local.LocalType] = free;
        }
        free.Push(local);
    }

    /// <summary>Moves the top <paramref name="count"/> values into fresh temporaries (the first value in temps[0]).</summary>
    private LocalBuilder[] SpillTop(int count)
    {
        var temps = new LocalBuilder[count];
        for (int i = count - 1; i >= 0; i--)
        {
            temps[i] = Temp(Peek());
            _il.Emit(OpCodes.Stloc, temps[i]);
            Pop();
        }
        return temps;
    }

    /// <summary>Pushes temporaries back (and frees them).</summary>
    private void Reload(LocalBuilder[] temps, StackKind[] kinds)
    {
        for (int i = 0; i < temps.Length; i++)
        {
            _il.Emit(OpCodes.Ldloc, temps[i]);
            Push(kinds[i]);
            Free(temps[i]);
        }
    }

    private void EmitLoadContext() => _il.Emit(OpCodes.Ldarg, _paramCount);

    private void Call(MethodInfo method) => _il.Emit(OpCodes.Call, method);

    /// <summary>Throws a trap: <c>throw</c> in the IL marks the path as never returning, so RyuJIT keeps it out of line.</summary>
    private void EmitTrap(TrapKind kind)
    {
        EmitReplayBeforeTrap();
        _il.Emit(OpCodes.Ldc_I4, (int)kind);
        Call(_createTrap);
        _il.Emit(OpCodes.Throw);
    }
}
