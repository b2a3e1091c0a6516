using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

/// <summary>
/// Lazy code generation (the default; see docs/RATIONALE.md, "IL is emitted per function on first call"): the module
/// compiles to one class holding a small stub per function, and a function's IL is emitted only when its stub is
/// first called. Each stub reads its function's entry point from a slot and tail-calls it; an empty slot asks
/// <see cref="Compile"/>, which emits the function together with the not-yet-compiled functions it calls directly
/// (so those calls are direct IL calls RyuJIT may inline) into a new class of the module's dynamic assembly, fills
/// their slots and returns the entry point. Functions compiled later call earlier ones directly; a call to a function
/// not compiled yet when the caller was emitted goes through the stub (a slot load and a jump).
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

    private readonly ModuleCompiler _compiler;
    private readonly Lock _lock = new();
    private readonly nint[] _slots;
    private MethodInfo[] _stubs;
    private readonly CompilationException?[] _failures;
    private CompiledModule? _compiled;
    private Backtrace.ModuleSymbols? _symbols;
    private int _batches;

    /// <summary>How many batches have been compiled (for tests and measurements).</summary>
    public int Batches => _batches;

    private LazyCompiler(ModuleCompiler compiler)
    {
        _compiler = compiler;
        _slots = new nint[compiler.Methods.Length];
        _stubs = [];
        _failures = new CompilationException?[compiler.Methods.Length];
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
        var compile = typeof(LazyCompiler).GetMethod(nameof(Compile), BindingFlags.Public | BindingFlags.Instance)!;
        for (int i = 0; i < compiler.Methods.Length; i++) EmitStub(compiler, i, slots, self, compile);
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
        lazy._symbols = ModuleCompiler.SymbolsOf(compiler.Module, compiler.ImportedFunctionCount);
        Backtrace.Register(types[0].Assembly, lazy._symbols);
        lazy._compiled = new CompiledModule(compiler.Module, types, compiler, lazy);
        return lazy._compiled;
    }

    // args...; code = slots[i]; if (code == 0) code = lazy.Compile(i, context); tail. calli code(args...)
    private static void EmitStub(ModuleCompiler compiler, int defined, FieldInfo slots, FieldInfo self, MethodInfo compile)
    {
        var type = compiler.FunctionTypes[compiler.ImportedFunctionCount + defined];
        var il = ((MethodBuilder)compiler.Methods[defined]).GetILGenerator();
        int arguments = type.Params.Count + 1;
        for (int a = 0; a < arguments; a++) il.Emit(OpCodes.Ldarg, (short)a);
        var call = il.DefineLabel();
        il.Emit(OpCodes.Ldsfld, slots);
        il.Emit(OpCodes.Ldc_I4, defined);
        il.Emit(OpCodes.Ldelem_I);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Brtrue, call);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Ldsfld, self);
        il.Emit(OpCodes.Ldc_I4, defined);
        il.Emit(OpCodes.Ldarg, (short)(arguments - 1));
        il.Emit(OpCodes.Callvirt, compile);
        il.MarkLabel(call);
        // A tail call: the stub adds no frame, so return_call through it stays in constant stack and deep
        // recursion through stubs reaches the same depth.
        il.Emit(OpCodes.Tailcall);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, ClrTypes.ReturnType(type.Results), ClrTypes.ParameterTypes(type.Params, compiler.Type), null);
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
        if (code == 0)
        {
            lock (_lock)
            {
                code = _slots[defined];
                if (code == 0)
                {
                    if (_failures[defined] is { } failed) throw new CompilationException(failed.Message, failed);
                    code = CompileWithBatch(defined);
                }
            }
        }
        // The calling instance's function object calls the body directly from now on (call_ref, tables, the host).
        if (context is InstanceContext { Functions: { } functions } && functions[_compiler.ImportedFunctionCount + defined] is WasmFunction function
            && function.Code != code)
        {
            function.Code = code;
        }
        return code;
    }

    private nint CompileWithBatch(int defined)
    {
        var batch = Batch(defined);
        if (batch.Count > 1)
        {
            try
            {
                EmitBatch(batch);
                return _slots[defined];
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One function of the batch failed: compile the called one alone, so it fails only if it is the culprit.
            }
        }
        try
        {
            EmitBatch([defined]);
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

    // The function and the uncompiled functions it calls directly, breadth first, within the bounds.
    private List<int> Batch(int root)
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
                if (_slots[callee] != 0 || _failures[callee] is not null || !seen.Add(callee)) continue;
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

    private void EmitBatch(List<int> batch)
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
            if (compiler.Options.AggressiveOptimization) method.SetImplementationFlags(MethodImplAttributes.AggressiveOptimization);
            compiler.Bodies[f] = method;
            compiler.Methods[f] = method;
        }
        Type created;
        try
        {
            foreach (int f in batch) compiler.CompileFunction(f);
            created = type.CreateType();
        }
        catch
        {
            foreach (int f in batch)
            {
                compiler.Bodies[f] = null;
                compiler.Methods[f] = _stubs[f];
            }
            throw;
        }
        Backtrace.Register(created.Assembly, _symbols!);
        var methods = created.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).ToDictionary(m => m.Name, StringComparer.Ordinal);
        foreach (int f in batch)
        {
            var method = methods[compiler.Methods[f].Name];
            nint code = method.MethodHandle.GetFunctionPointer();
            if (FunctionCompiler.Trace is { } trace) trace($"IL {method.Name}: {Convert.ToHexString(method.GetMethodBody()?.GetILAsByteArray() ?? [])}");
            _compiled!.FunctionPointers[f] = code;
            compiler.Methods[f] = method;
            Volatile.Write(ref _slots[f], code);
        }
        CompiledFunctions += batch.Count;
    }
}
