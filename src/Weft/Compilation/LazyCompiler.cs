using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

/// <summary>
/// Lazy code generation (<see cref="EngineOptions.LazyCompilation"/>, opt-in): the module
/// compiles to one class holding a small stub per function, and a function's IL is emitted only when its stub is
/// first called. Each stub reads its function's entry point from a slot and tail-calls it; an empty slot asks
/// <see cref="Compile"/>, which emits the function together with the not-yet-compiled functions it calls directly
/// (so those calls are direct IL calls RyuJIT may inline) into a new class of the module's dynamic assembly, fills
/// their slots and returns the entry point. Functions compiled later call earlier ones directly; a call to a function
/// not compiled yet when the caller was emitted goes through the stub (a slot load and a jump).
/// With the first tier (<see cref="FirstTier"/>: collectible code, the default in lazy mode) a function without loops is
/// first emitted with <c>NoOptimization</c> (RyuJIT MinOpts) and reached only through stubs, which count its calls;
/// after <see cref="TierUpCalls"/> calls it is emitted again, optimized, and its slot and function objects swapped
/// (docs/RATIONALE.md, "A cheap first tier for lazy code").
/// </summary>
[RequiresDynamicCode("Lazy compilation emits IL with Reflection.Emit.")]
internal sealed class LazyCompiler
{
    // A batch is the called function and the uncompiled functions reachable through its direct calls, breadth
    // first, up to these bounds: enough to make the calls of a call chain direct, not so much that functions behind
    // cold branches are compiled in bulk.
    private const int MaxBatchFunctions = 48;
    private const int MaxBatchCodeBytes = 48 * 1024;

    private const string SlotsField = "s_code";
    private const string CompilerField = "s_lazy";
    private const string CountsField = "s_calls";

    /// <summary>
    /// Whether lazy modules of collectible code compile a function first without RyuJIT's optimizations and again,
    /// optimized, once it is hot (docs/RATIONALE.md, "A cheap first tier for lazy code"); <c>WEFT_LAZY_FIRST_TIER=0</c>
    /// turns it off. Settable for tests; read when a module is compiled.
    /// </summary>
    internal static bool FirstTierEnabled { get; set; } = Environment.GetEnvironmentVariable("WEFT_LAZY_FIRST_TIER") != "0";

    /// <summary>
    /// Calls (through the stub) after which a first-tier function is compiled again, optimized: 30, as .NET's own
    /// tiering; <c>WEFT_LAZY_TIER_UP_CALLS</c> overrides it (1 tiers every function up at its second call, which runs
    /// the spec suite through both tiers). Settable for tests.
    /// </summary>
    internal static int TierUpCalls { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable("WEFT_LAZY_TIER_UP_CALLS"), out int calls) && calls > 0 ? calls : 30;

    // A function's counter once it needs no more counting (optimized, or its optimized compilation failed): the stub
    // still decrements it, and would reach zero again only after two billion calls, when Compile resets it.
    private const int Done = int.MaxValue;

    private readonly ModuleCompiler _compiler;
    private readonly Lock _lock = new();
    private readonly nint[] _slots;
    private MethodInfo[] _stubs;
    private readonly CompilationException?[] _failures;
    private CompiledModule? _compiled;
    private Backtrace.ModuleSymbols? _symbols;
    private int _batches;

    // First tier (null when off): the stub counts each function's calls down in _counts; _optimized says whether the
    // code in a function's slot is the optimized one.
    private readonly int[]? _counts;
    private readonly bool[] _optimized;
    private readonly List<Type> _created = [];

    /// <summary>Whether this module's functions start in the unoptimized first tier.</summary>
    public bool FirstTier => _counts is not null;

    /// <summary>How many functions have been compiled again, optimized, after running in the first tier (for tests and measurements).</summary>
    public int TieredUpFunctions { get; private set; }

    /// <summary>Whether a defined function's current code is optimized (false: not compiled yet, or first tier).</summary>
    public bool IsOptimized(int defined) => Volatile.Read(ref _optimized[defined]);

    /// <summary>How many batches have been compiled (for tests and measurements).</summary>
    public int Batches => _batches;

    private LazyCompiler(ModuleCompiler compiler)
    {
        _compiler = compiler;
        _slots = new nint[compiler.Methods.Length];
        _stubs = [];
        _failures = new CompilationException?[compiler.Methods.Length];
        _optimized = new bool[compiler.Methods.Length];
        // Tiered code is tiered by .NET already; AggressiveOptimization asks for optimized code from the first call.
        if (FirstTierEnabled && !compiler.Options.Tiered && !compiler.Options.AggressiveOptimization)
        {
            _counts = new int[compiler.Methods.Length];
            Array.Fill(_counts, Math.Max(1, TierUpCalls));
            // Start-only code stays in the first tier: it cannot run again once the start function has returned.
            if (compiler.RunOnce is { } once)
            {
                for (int f = 0; f < once.Length; f++)
                {
                    if (once[f]) _counts[f] = Done;
                }
            }
        }
    }

    /// <summary>How many functions have been compiled (for tests and measurements).</summary>
    public int CompiledFunctions { get; private set; }

    /// <summary>The name of a stub: one <see cref="MethodNames.FunctionIndex"/> rejects, so backtraces skip stub frames.</summary>
    public static string StubName(int functionIndex) => "stub_" + functionIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Emits the stubs, creates the module's classes and returns the compiled module whose functions are compiled on first call.</summary>
    public static CompiledModule CompileStubs(ModuleCompiler compiler)
    {
        var lazy = new LazyCompiler(compiler);
        var slots = compiler.Type.DefineField(SlotsField, typeof(nint[]), FieldAttributes.Public | FieldAttributes.Static);
        var self = compiler.Type.DefineField(CompilerField, typeof(LazyCompiler), FieldAttributes.Public | FieldAttributes.Static);
        var counts = lazy.FirstTier ? compiler.Type.DefineField(CountsField, typeof(int[]), FieldAttributes.Public | FieldAttributes.Static) : null;
        var compile = typeof(LazyCompiler).GetMethod(nameof(Compile), BindingFlags.Public | BindingFlags.Instance)!;
        for (int i = 0; i < compiler.Methods.Length; i++) EmitStub(compiler, i, slots, self, counts, compile);
        var types = compiler.CodeTypes.Select(t => t.CreateType()).ToArray();
        // Batches are emitted into assemblies of their own (creating a class in a dynamic module costs time in
        // proportion to what the module already holds: 5 ms per batch beside 22,000 stubs), so from now on the
        // compiler names the created members, not the builders of this module.
        var stubs = types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)).ToDictionary(m => m.Name, StringComparer.Ordinal);
        for (int i = 0; i < compiler.Methods.Length; i++) compiler.Methods[i] = stubs[compiler.Methods[i].Name];
        var fields = types[0].GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).ToDictionary(f => f.Name, StringComparer.Ordinal);
        for (int g = 0; g < compiler.GlobalFields.Length; g++)
        {
            if (compiler.GlobalFields[g] is { } field) compiler.GlobalFields[g] = fields[field.Name];
        }
        compiler.ContextType = types[0];
        lazy._stubs = [.. compiler.Methods];
        types[0].GetField(SlotsField)!.SetValue(null, lazy._slots);
        types[0].GetField(CompilerField)!.SetValue(null, lazy);
        if (lazy._counts is not null) types[0].GetField(CountsField)!.SetValue(null, lazy._counts);
        lazy._symbols = ModuleCompiler.SymbolsOf(compiler.Module, compiler.ImportedFunctionCount);
        Backtrace.Register(types[0].Assembly, lazy._symbols);
        lazy._compiled = new CompiledModule(compiler.Module, types, compiler, lazy);
        return lazy._compiled;
    }

    // args...; code = slots[i]; if (code == 0) code = lazy.Compile(i, context); tail. calli code(args...)
    // With the first tier: args...; counts[i]--; code = slots[i]; if (code == 0 || counts[i] <= 0) code = lazy.Compile(i, context); ...
    private static void EmitStub(ModuleCompiler compiler, int defined, FieldInfo slots, FieldInfo self, FieldInfo? counts, MethodInfo compile) =>
        EmitStubBody(compiler, defined, ((MethodBuilder)compiler.Methods[defined]).GetILGenerator(), compiler.Type, slots, self, counts, compile);

    private static void EmitStubBody(ModuleCompiler compiler, int defined, ILGenerator il, Type contextType, FieldInfo slots, FieldInfo self, FieldInfo? counts, MethodInfo compile)
    {
        var type = compiler.FunctionTypes[compiler.ImportedFunctionCount + defined];
        int arguments = type.Params.Count + 1;
        for (int a = 0; a < arguments; a++) il.Emit(OpCodes.Ldarg, (short)a);
        var call = il.DefineLabel();
        var slow = il.DefineLabel();
        if (counts is not null)
        {
            // Not atomic: calls on other threads may lose a count, which only delays the tier-up.
            il.Emit(OpCodes.Ldsfld, counts);
            il.Emit(OpCodes.Ldc_I4, defined);
            il.Emit(OpCodes.Ldelema, typeof(int));
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldind_I4);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Stind_I4);
        }
        il.Emit(OpCodes.Ldsfld, slots);
        il.Emit(OpCodes.Ldc_I4, defined);
        il.Emit(OpCodes.Ldelem_I);
        il.Emit(OpCodes.Dup);
        if (counts is not null)
        {
            il.Emit(OpCodes.Brfalse, slow);
            il.Emit(OpCodes.Ldsfld, counts);
            il.Emit(OpCodes.Ldc_I4, defined);
            il.Emit(OpCodes.Ldelem_I4);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Bgt, call);
        }
        else
        {
            il.Emit(OpCodes.Brtrue, call);
        }
        il.MarkLabel(slow);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Ldsfld, self);
        il.Emit(OpCodes.Ldc_I4, defined);
        il.Emit(OpCodes.Ldarg, (short)(arguments - 1));
        il.Emit(OpCodes.Callvirt, compile);
        il.MarkLabel(call);
        // A tail call: the stub adds no frame, so return_call through it stays in constant stack and deep
        // recursion through stubs reaches the same depth.
        il.Emit(OpCodes.Tailcall);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, ClrTypes.ReturnType(type.Results), ClrTypes.ParameterTypes(type.Params, contextType), null);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>
    /// Compiles a defined function (with the functions its batch adds) if it is not compiled yet and returns its entry
    /// point; called by the function's stub. A failure (an implementation limit of the compiler or of .NET) is a
    /// <see cref="CompilationException"/>, thrown at every call of the function; the store stays usable and other
    /// functions still compile.
    /// </summary>
    public nint Compile(int defined, object context)
    {
        nint code = Volatile.Read(ref _slots[defined]);
        if (code == 0 || (_counts is not null && !Volatile.Read(ref _optimized[defined])))
        {
            lock (_lock)
            {
                code = _slots[defined];
                if (code == 0)
                {
                    if (_failures[defined] is { } failed) throw new CompilationException(failed.Message, failed);
                    // Functions with loops are compiled optimized at once: a loop may run long within one call, and
                    // a call counter cannot replace code that is running.
                    bool optimized = _counts is null || HasLoop(defined);
                    code = CompileWithBatch(defined, optimized);
                }
                else if (_counts is not null && !_optimized[defined] && _counts[defined] <= 0)
                {
                    code = TierUp(defined);
                }
                else if (_counts is not null && _optimized[defined])
                {
                    _counts[defined] = Done;
                }
            }
        }
        // The calling instance's function object calls the body directly from now on (call_ref, tables, the host);
        // first-tier code is reached through the stub, which counts the calls.
        if (Volatile.Read(ref _optimized[defined]) && context is InstanceContext { Functions: { } functions }
            && functions[_compiler.ImportedFunctionCount + defined] is WasmFunction function && function.Code != code)
        {
            function.Code = code;
        }
        return code;
    }

    // The first-tier function is hot: compiled again, optimized, with the functions it calls directly that have run
    // but are not optimized yet (so those calls become direct calls RyuJIT may inline). If that fails (an
    // implementation limit), the first-tier code stays.
    private nint TierUp(int defined)
    {
        try
        {
            EmitBatch(Batch(defined, optimized: true, calledOnly: true), optimized: true);
            TieredUpFunctions++;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _counts![defined] = Done;
        }
        return _slots[defined];
    }

    private bool HasLoop(int defined)
    {
        var reader = new InstructionReader(_compiler.Module.Codes[defined].Code.Span);
        while (!reader.AtEnd)
        {
            if (reader.Read().Opcode == Opcode.Loop) return true;
        }
        return false;
    }

    private nint CompileWithBatch(int defined, bool optimized)
    {
        var batch = Batch(defined, optimized, calledOnly: false);
        if (batch.Count > 1)
        {
            try
            {
                EmitBatch(batch, optimized);
                return _slots[defined];
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One function of the batch failed: compile the called one alone, so it fails only if it is the culprit.
            }
        }
        try
        {
            EmitBatch([defined], optimized);
            return _slots[defined];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var failure = e as CompilationException
                ?? new CompilationException($"function {_compiler.ImportedFunctionCount + defined} cannot be compiled: {e.GetType().Name}: {e.Message}", e);
            _failures[defined] = failure;
            throw failure;
        }
    }

    // The function and the functions it calls directly that the batch may replace, breadth first, within the bounds:
    // uncompiled ones, and for an optimized batch also first-tier ones (with calledOnly, only those that have run,
    // i.e. first-tier ones, so a tier-up emits no code that was never called).
    private List<int> Batch(int root, bool optimized, bool calledOnly)
    {
        var batch = new List<int> { root };
        var seen = new HashSet<int> { root };
        var codes = _compiler.Module.Codes;
        long bytes = codes[root].Code.Length;
        for (int next = 0; next < batch.Count && batch.Count < MaxBatchFunctions; next++)
        {
            foreach (int callee in DirectCallees(batch[next]))
            {
                if (batch.Count >= MaxBatchFunctions || bytes >= MaxBatchCodeBytes) return batch;
                if (_failures[callee] is not null || _optimized[callee]) continue;
                bool compiled = _slots[callee] != 0;
                if (compiled ? !optimized : calledOnly) continue;
                if (!seen.Add(callee)) continue;
                batch.Add(callee);
                bytes += codes[callee].Code.Length;
            }
        }
        return batch;
    }

    private IEnumerable<int> DirectCallees(int defined)
    {
        int imported = _compiler.ImportedFunctionCount;
        var callees = new List<int>();
        var reader = new InstructionReader(_compiler.Module.Codes[defined].Code.Span);
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            if (ins.Opcode is Opcode.Call or Opcode.ReturnCall && ins.Index >= imported) callees.Add((int)ins.Index - imported);
        }
        return callees;
    }

    // Calls from a batch to functions that are not optimized go through stubs. The module's own stubs sit in a class
    // of up to 60,000 methods, and RyuJIT resolves a call to a method of another assembly by name, which the runtime
    // does by scanning the class's methods: measured, most of the first tier's start-up went there. So each batch
    // gets its own copies of the stubs it calls (same slots and counters, fields of its own class), which its code
    // names by a definition token. Returns the functions whose Methods entry now names a local stub.
    private List<int> EmitLocalStubs(List<int> batch, bool optimized, TypeBuilder type)
    {
        var compiler = _compiler;
        var attributes = FieldAttributes.Public | FieldAttributes.Static;
        var slots = type.DefineField(SlotsField, typeof(nint[]), attributes);
        var self = type.DefineField(CompilerField, typeof(LazyCompiler), attributes);
        var counts = _counts is null ? null : type.DefineField(CountsField, typeof(int[]), attributes);
        var compile = typeof(LazyCompiler).GetMethod(nameof(Compile), BindingFlags.Public | BindingFlags.Instance)!;
        var members = optimized ? batch.ToHashSet() : [];
        var replaced = new List<int>();
        var done = new HashSet<int>();
        foreach (int f in batch)
        {
            foreach (int callee in DirectCallees(f))
            {
                if (_optimized[callee] || members.Contains(callee) || !done.Add(callee)) continue;
                int index = compiler.ImportedFunctionCount + callee;
                var ft = compiler.FunctionTypes[index];
                var stub = type.DefineMethod(StubName(index), MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
                    ClrTypes.ReturnType(ft.Results), ClrTypes.ParameterTypes(ft.Params, compiler.ContextType));
                EmitStubBody(compiler, callee, stub.GetILGenerator(), compiler.ContextType, slots, self, counts, compile);
                compiler.Methods[callee] = stub;
                replaced.Add(callee);
            }
        }
        return replaced;
    }

    // Emits a batch into a new class. An optimized batch's functions call each other directly and later code calls
    // them directly; first-tier functions are left to be called through their stubs, which count the calls.
    private void EmitBatch(List<int> batch, bool optimized)
    {
        var compiler = _compiler;
        var module = UniqueAssemblies.Define("Lazy", collectible: !compiler.Options.Tiered);
        var type = module.DefineType($"WasmModule{compiler.Id}Lazy{++_batches}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        foreach (int f in batch)
        {
            int index = compiler.ImportedFunctionCount + f;
            var ft = compiler.FunctionTypes[index];
            var method = type.DefineMethod(MethodNames.For(index, compiler.Module.FunctionNameOf((uint)index)),
                MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
                ClrTypes.ReturnType(ft.Results), ClrTypes.ParameterTypes(ft.Params, compiler.ContextType));
            // NoOptimization: RyuJIT compiles the method as MinOpts, several times faster than optimized.
            var flags = !optimized ? MethodImplAttributes.NoOptimization
                : compiler.Options.AggressiveOptimization ? MethodImplAttributes.AggressiveOptimization : MethodImplAttributes.IL;
            // A leaf has no stack guard and may trap: never inlined, so its frame stays in backtraces (LeafFunctions).
            if (compiler.Leaves[f] == LeafKind.Leaf) flags |= MethodImplAttributes.NoInlining;
            if (flags != MethodImplAttributes.IL) method.SetImplementationFlags(flags);
            compiler.Bodies[f] = method;
            if (optimized) compiler.Methods[f] = method;
        }
        var replaced = EmitLocalStubs(batch, optimized, type);
        Type created;
        try
        {
            foreach (int f in batch) compiler.CompileFunction(f);
            created = type.CreateType();
        }
        catch
        {
            foreach (int f in replaced) compiler.Methods[f] = _stubs[f];
            foreach (int f in batch)
            {
                compiler.Bodies[f] = null;
                compiler.Methods[f] = _stubs[f];
            }
            throw;
        }
        foreach (int f in replaced) compiler.Methods[f] = _stubs[f];
        created.GetField(SlotsField)!.SetValue(null, _slots);
        created.GetField(CompilerField)!.SetValue(null, this);
        if (_counts is not null) created.GetField(CountsField)!.SetValue(null, _counts);
        Backtrace.Register(created.Assembly, _symbols!);
        // The slots hold bare code pointers: the classes are kept here so their collectible assemblies live as long as
        // the module (first-tier code may still run on another thread after its function was tiered up).
        _created.Add(created);
        var methods = created.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).ToDictionary(m => m.Name, StringComparer.Ordinal);
        foreach (int f in batch)
        {
            var method = methods[compiler.Bodies[f]!.Name];
            compiler.Bodies[f] = null;
            nint code = method.MethodHandle.GetFunctionPointer();
            if (FunctionCompiler.Trace is { } trace) trace($"IL {method.Name}: {Convert.ToHexString(method.GetMethodBody()?.GetILAsByteArray() ?? [])}");
            if (optimized)
            {
                _compiled!.FunctionPointers[f] = code;
                compiler.Methods[f] = method;
                Volatile.Write(ref _optimized[f], true);
                if (_counts is not null) _counts[f] = Done;
            }
            if (_slots[f] == 0) CompiledFunctions++;
            Volatile.Write(ref _slots[f], code);
        }
    }
}
