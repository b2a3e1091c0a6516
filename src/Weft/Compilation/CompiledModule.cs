using System.Reflection;
using System.Runtime.CompilerServices;
using Weft.Runtime;
using SyntaxModule = Weft.Syntax.Module;

namespace Weft.Compilation;

/// <summary>The result of compiling a module: the generated class and the entry point of every defined function.</summary>
internal sealed class CompiledModule : IModuleCode
{
    private readonly Func<InstanceContext> _factory;
    private readonly RuntimeMethodHandle[] _handles;
    private readonly int[][] _callees;
    private readonly RuntimeMethodHandle[][] _parts;
    private readonly int[] _constantSlots;

    internal CompiledModule(SyntaxModule module, Type[] codeTypes, ModuleCompiler compiler, LazyCompiler? lazy = null)
    {
        Lazy = lazy;
        Module = module;
        var type = codeTypes[0];
        ContextType = type;
        CodeTypes = codeTypes;
        FunctionPointers = new nint[compiler.Methods.Length];
        _handles = new RuntimeMethodHandle[compiler.Methods.Length];
        _callees = compiler.Callees;
        // One reflection query for all methods: looking each up by name rescans the type's member cache (quadratic).
        var methods = codeTypes.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .ToDictionary(m => m.Name, StringComparer.Ordinal);
        for (int i = 0; i < FunctionPointers.Length; i++)
        {
            var method = methods[compiler.Methods[i].Name];
            _handles[i] = method.MethodHandle;
            FunctionPointers[i] = method.MethodHandle.GetFunctionPointer();
            if (FunctionCompiler.Trace is { } trace) trace($"IL {method.Name}: {Convert.ToHexString(method.GetMethodBody()?.GetILAsByteArray() ?? [])}");
        }
        _parts = SplitPartsAhead.Collect(compiler, methods);
        RunOnce = compiler.RunOnce;
        GlobalFields = new FieldInfo?[compiler.GlobalFields.Length];
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
        for (int g = 0; g < GlobalFields.Length; g++)
        {
            if (compiler.GlobalFields[g] is { } field) GlobalFields[g] = fields[field.Name];
        }
        _constantSlots = compiler.ConstantSlots;
        int constants = ConstantCount = compiler.ConstantCount;
        var constructor = type.GetConstructor(Type.EmptyTypes)!;
        _factory = constants == 0 ? () => (InstanceContext)constructor.Invoke(null) : () =>
        {
            var context = (InstanceContext)constructor.Invoke(null);
            context.Constants = new object?[constants];
            return context;
        };
        RuntimeHelpers.RunClassConstructor(type.TypeHandle);
    }

    /// <summary>
    /// Which defined functions can run only during the start function and were compiled without optimization
    /// (<see cref="RunOnceFunctions"/>); null for none.
    /// </summary>
    internal bool[]? RunOnce { get; }

    /// <summary>The implementation flags of the method a defined function's entry point calls (tests: which tier it is).</summary>
    internal MethodImplAttributes ImplementationFlags(int defined) => MethodBase.GetMethodFromHandle(_handles[defined])!.MethodImplementationFlags;

    /// <summary>The lazy compiler of the functions' bodies, or null when every body was compiled up front.</summary>
    public LazyCompiler? Lazy { get; }

    /// <summary>The module that was compiled.</summary>
    public SyntaxModule Module { get; }

    /// <summary>The generated class (derived from <see cref="InstanceContext"/>).</summary>
    public Type ContextType { get; }

    /// <summary>The generated types holding the functions' methods (<see cref="ContextType"/> first; more when there are many functions).</summary>
    public Type[] CodeTypes { get; }

    /// <summary>
    /// The entry point of each defined function, for <see cref="Function.Code"/>: in lazy mode its stub until the body
    /// is compiled, then the body (instances created later call it directly).
    /// </summary>
    public nint[] FunctionPointers { get; }

    /// <summary>How many globals an instance keeps in <see cref="InstanceContext.Constants"/> (ModuleCompiler.ConstantFieldLimit).</summary>
    public int ConstantCount { get; }

    /// <summary>The field of each global kept in the instance, or null for shared cells and constants kept in the array.</summary>
    public FieldInfo?[] GlobalFields { get; }

    /// <summary>Creates an empty instance context.</summary>
    public InstanceContext CreateContext() => _factory();

    /// <inheritdoc/>
    public nint EntryPoint(int definedFunction) => Volatile.Read(ref FunctionPointers[definedFunction]);

    private int _prepared;

    // The batch the background JIT holds weakly: alive as long as this code is.
    private RuntimeMethodHandle[]? _ahead;

    /// <summary>The parts of defined function <paramref name="defined"/> the background JIT compiles right after it (SplitPartsAhead).</summary>
    internal RuntimeMethodHandle[] PartsOf(int defined) => _parts[defined];

    /// <inheritdoc/>
    public void PrepareAhead(IReadOnlyList<int> firstFunctions)
    {
        // Lazy code has nothing to prepare: a body exists only once it is called (docs/RATIONALE.md).
        if (Lazy is not null || Interlocked.Exchange(ref _prepared, 1) != 0 || !BackgroundJit.Enabled) return;
        // Depth-first through the direct calls from the first functions approximates the order in which a program
        // first calls its functions; the rest follow by index.
        var order = new List<RuntimeMethodHandle>(_handles.Length);
        var queued = new bool[_handles.Length];
        var pending = new Stack<int>();
        void Visit(int root)
        {
            pending.Push(root);
            while (pending.Count > 0)
            {
                int f = pending.Pop();
                if ((uint)f >= (uint)_handles.Length || queued[f]) continue;
                queued[f] = true;
                order.Add(_handles[f]);
                // A split function's parts right after it: it calls them as soon as it runs (SplitPartsAhead).
                order.AddRange(_parts[f]);
                for (int c = _callees[f].Length - 1; c >= 0; c--) pending.Push(_callees[f][c]);
            }
        }
        foreach (int f in firstFunctions) Visit(f);
        for (int f = 0; f < _handles.Length; f++) Visit(f);
        _ahead = [.. order];
        BackgroundJit.Enqueue(_ahead);
    }

    /// <inheritdoc/>
    public bool KeepsGlobal(int globalIndex) => GlobalFields[globalIndex] is not null || _constantSlots[globalIndex] >= 0;

    /// <inheritdoc/>
    public void InitializeGlobal(InstanceContext context, int globalIndex, WasmValue value)
    {
        if (_constantSlots[globalIndex] is var slot and >= 0)
        {
            context.Constants[slot] = value.AsReference();
            return;
        }
        object? boxed = value.Kind switch
        {
            Syntax.ValKind.I32 => value.AsInt32(),
            Syntax.ValKind.I64 => value.AsInt64(),
            Syntax.ValKind.F32 => BitConverter.UInt32BitsToSingle((uint)value.Bits),
            Syntax.ValKind.F64 => BitConverter.UInt64BitsToDouble(value.Bits),
            Syntax.ValKind.V128 => value.AsVector(),
            _ => value.AsReference(),
        };
        GlobalFields[globalIndex]!.SetValue(context, boxed);
    }
}
