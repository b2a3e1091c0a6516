using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;
using SyntaxModule = Weft.Syntax.Module;

namespace Weft.Compilation;

/// <summary>
/// Compiles a validated module to IL: one collectible dynamic assembly per module holding one class, derived from
/// <see cref="InstanceContext"/>, with a static method per wasm function and a field per global the module keeps
/// to itself. RyuJIT turns the methods into native code on first call. See docs/RATIONALE.md for why this shape.
/// </summary>
internal sealed class ModuleCompiler
{
    /// <summary>The simple name of every generated assembly; Weft grants it access to its internals.</summary>

    private static int s_moduleCounter;

    private ModuleCompiler(SyntaxModule module, ValidModule valid, CodeOptions options, bool lazy, ModuleBuilder? target = null)
    {
        Lazy = lazy;
        Module = module;
        Valid = valid;
        Options = options;
        // Loops, not Linq over module.FunctionSpace: Linq over uint type indices instantiates framework generics over
        // a value type, which no ReadyToRun image holds (about 30 JIT-compiled methods at every start, RATIONALE.md,
        // "Start-up: an empty module's `weft run`, third look").
        var functionTypes = new List<FuncType>(module.Functions.Count);
        foreach (var import in module.Imports)
        {
            if (import.Type is FuncImportType f) functionTypes.Add((FuncType)module.Types[(int)f.TypeIndex].Composite);
        }
        for (int i = 0; i < module.Functions.Count; i++) functionTypes.Add((FuncType)module.Types[(int)module.Functions[i]].Composite);
        FunctionTypes = [.. functionTypes];
        ImportedFunctionCount = module.ImportCount(ExternKind.Func);
        ImportedGlobalCount = module.ImportCount(ExternKind.Global);
        GlobalTypes = module.GlobalSpace.ToArray();
        MemoryTypes = module.MemorySpace.ToArray();
        TableTypes = module.TableSpace.ToArray();
        TagTypes = module.TagSpace.Select(t => FuncTypeAt(t.TypeIndex)).ToArray();

        // Ahead of time (Compilation/Aot) the code goes into the module of a persisted assembly instead.
        // Methods of collectible assemblies are never tiered by .NET: compiled fully optimized on first call.
        var dynamicModule = target ?? (lazy ? UniqueAssemblies.Define("Module", collectible: !options.Tiered) : DefineModule(!options.Tiered));
        int id = Interlocked.Increment(ref s_moduleCounter);
        Id = id;
        Type = dynamicModule.DefineType($"WasmModule{id}", TypeAttributes.Public | TypeAttributes.Sealed, typeof(InstanceContext));
        Constructor = Type.DefineDefaultConstructor(MethodAttributes.Public);
        ContextType = Type;

        // Globals the module neither imports nor exports become typed fields, or for a module with many immutable
        // reference globals (wasm_of_ocaml's constants), those go to one array of the instance; the others are shared
        // Global cells. Ahead-of-time code keeps fields (its loader sets globals through fields only).
        var exported = new bool[GlobalTypes.Length];
        foreach (var export in module.Exports)
        {
            if (export.Kind == ExternKind.Global) exported[export.Index] = true;
        }
        bool IsConstant(int g) => !GlobalTypes[g].Mutable && ClrTypes.KindOf(GlobalTypes[g].ValueType) == StackKind.Ref;
        int constants = 0;
        for (int g = ImportedGlobalCount; g < GlobalTypes.Length; g++)
        {
            if (!exported[g] && IsConstant(g)) constants++;
        }
        bool constantArray = target is null && constants > ConstantFieldLimit;
        GlobalFields = new FieldInfo?[GlobalTypes.Length];
        ConstantSlots = new int[GlobalTypes.Length];
        Array.Fill(ConstantSlots, -1);
        for (int g = ImportedGlobalCount; g < GlobalTypes.Length; g++)
        {
            if (exported[g]) continue;
            if (constantArray && IsConstant(g)) ConstantSlots[g] = ConstantCount++;
            else GlobalFields[g] = Type.DefineField($"g{g}", ClrTypes.Of(GlobalTypes[g].ValueType), FieldAttributes.Public);
        }

        Methods = new MethodInfo[module.Functions.Count];
        Bodies = new MethodBuilder?[module.Functions.Count];
        Callees = new int[module.Functions.Count][];
        // One scan of all code for the direct calls, made only when an analysis needs it (lazy code without trapping
        // leaves needs none).
        DirectCalls? directCalls = null;
        DirectCalls DirectCallsOnce() => directCalls ??= DirectCalls.Of(module, ImportedFunctionCount);
        Leaves = LeafFunctions.Classify(module, FunctionTypes, ImportedFunctionCount, options, DirectCallsOnce);
        // The CLR allows at most 65,535 methods in one type: beyond MethodsPerType the functions go to static
        // classes of their own in the same dynamic module, so calls between them are still direct IL calls.
        CodeTypes = new TypeBuilder[Math.Max(1, (Methods.Length + MethodsPerType - 1) / MethodsPerType)];
        CodeTypes[0] = Type;
        for (int k = 1; k < CodeTypes.Length; k++)
        {
            CodeTypes[k] = dynamicModule.DefineType($"WasmModule{id}Code{k}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        }
        // Eager and ahead-of-time code only: lazy stubs call whatever the slot holds (see PendingExceptions).
        MayLeavePending = lazy ? new bool[Methods.Length] : PendingExceptions.MayLeavePending(module, DirectCallsOnce, MethodsPerType);
        // Start-only code (RunOnceFunctions): unoptimized in collectible code (tiered code is tiered by .NET, and
        // precompiled code keeps its flags).
        RunOnce = target is null && !options.Tiered && !options.AggressiveOptimization
            ? RunOnceFunctions.Find(module, valid, ImportedFunctionCount, DirectCallsOnce) : null;
        for (int i = 0; i < Methods.Length; i++)
        {
            int index = ImportedFunctionCount + i;
            var ft = FunctionTypes[index];
            // In lazy mode these are the stubs (LazyCompiler), named so that backtraces skip them.
            var returnType = ClrTypes.ReturnType(ft.Results);
            var parameterTypes = ClrTypes.ParameterTypes(ft.Params, Type);
            var method = CodeTypes[i / MethodsPerType].DefineMethod(
                lazy ? LazyCompiler.StubName(index)
                : MayLeavePending[i] ? PendingExceptions.EntryName(index)
                : MethodNames.For(index, module.FunctionNameOf((uint)index)),
                MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
                returnType, parameterTypes);
            var flags = options.AggressiveOptimization && !lazy ? MethodImplAttributes.AggressiveOptimization : MethodImplAttributes.IL;
            // Opt-in (EngineOptions.InlineSmallFunctions): small functions inlined into their callers (closures 0.6x,
            // dispatch 0.65x of the default), but an inlined function has no frame in wasm backtraces (docs/RATIONALE.md
            // "GC steady state"). Lazy stubs are called through slots, so only eager and precompiled code inlines.
            // By default only safe leaves are (LeafFunctions: no calls, no traps), which no backtrace can contain.
            bool small = module.Codes[i].Code.Length <= InlineBodyBytes;
            if (!lazy && (options.InlineSmallFunctions || Leaves[i] == LeafKind.SafeLeaf) && small) flags |= MethodImplAttributes.AggressiveInlining;
            // A leaf that may trap has no stack guard, which makes it small enough for RyuJIT's own heuristics to
            // inline into an invoke stub: NoInlining keeps its frame in backtraces (unless the option asks for inlining).
            else if (!lazy && Leaves[i] == LeafKind.Leaf) flags |= MethodImplAttributes.NoInlining;
            // Run-once code gains nothing from inlining: MinOpts inlines nothing (a leaf keeps NoInlining for backtraces).
            if (!lazy && RunOnce is { } once && once[i]) flags = (flags & ~MethodImplAttributes.AggressiveInlining) | MethodImplAttributes.NoOptimization;
            if (flags != MethodImplAttributes.IL) method.SetImplementationFlags(flags);
            Methods[i] = method;
            if (!lazy) Bodies[i] = MayLeavePending[i] ? PendingExceptions.DefineBody(method, returnType, parameterTypes, index, module.FunctionNameOf((uint)index)) : method;
        }
        CallRefs = new CallRefTargets(this);
    }

    /// <summary>
    /// Which defined functions can run only while the start function runs (<see cref="RunOnceFunctions"/>), compiled
    /// without optimization; null for none.
    /// </summary>
    internal bool[]? RunOnce { get; }

    /// <summary>The guarded direct calls of call_ref sites and the replay clones they call (<see cref="CallRefTargets"/>).</summary>
    internal CallRefTargets CallRefs { get; }

    /// <summary>
    /// With <see cref="CodeOptions.InlineSmallFunctions"/>, functions whose code (instructions, without local
    /// declarations) is at most this many bytes are marked AggressiveInlining. 32, 64 and 128 were measured on the GC
    /// set: 64 was best.
    /// </summary>
    internal const int DefaultInlineBodyBytes = 64;

    /// <summary>
    /// The inlining threshold: <see cref="DefaultInlineBodyBytes"/>, or WEFT_INLINE_BODY_BYTES=n (n &gt; 0) for
    /// measurements. The variable only changes the threshold of code compiled with the option on; it is not part of
    /// the code options (nor of the compile cache's key), so it is not for production use.
    /// </summary>
    internal static readonly int InlineBodyBytes =
        int.TryParse(Environment.GetEnvironmentVariable("WEFT_INLINE_BODY_BYTES"), out int n) && n > 0 ? n : DefaultInlineBodyBytes;

    private readonly Dictionary<TypeBuilder, MethodBuilder> _trapForwarders = [];

    /// <summary>
    /// A static <c>Exception T(TrapKind)</c> in <paramref name="type"/> that returns <see cref="TrapFactory.Create"/>'s
    /// trap. Trap sites call it instead of TrapFactory.Create itself because Reflection.Emit looks up a member-reference
    /// token for every emitted call of a method of another module, while a method of the same type costs a table read:
    /// trap sites are the most frequent calls in the emitted IL, and the look-ups were about a quarter of the IL
    /// emission of a 4 MB GC module (RATIONALE.md, GC start-up). The forwarder is AggressiveInlining, so the compiled
    /// code is what a direct call compiles to.
    /// </summary>
    internal MethodInfo TrapForwarder(TypeBuilder type)
    {
        lock (_trapForwarders)
        {
            if (_trapForwarders.TryGetValue(type, out var existing)) return existing;
            var method = type.DefineMethod("<trap>", MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig,
                typeof(Exception), [typeof(TrapKind)]);
            method.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, RuntimeMembers.CreateTrap);
            il.Emit(OpCodes.Ret);
            _trapForwarders[type] = method;
            return method;
        }
    }

    /// <summary>
    /// Emits every function of a module, eagerly, into <paramref name="target"/> (the module of a persisted assembly:
    /// ahead-of-time compilation) and returns the compiler with its type and method builders; the caller creates the types.
    /// </summary>
    [RequiresDynamicCode("Modules are compiled to IL with Reflection.Emit.")]
    internal static ModuleCompiler EmitInto(SyntaxModule module, ValidModule valid, CodeOptions options, ModuleBuilder target)
    {
        var compiler = new ModuleCompiler(module, valid, options, lazy: false, target);
        for (int i = 0; i < compiler.Methods.Length; i++)
        {
            compiler.CompileFunction(i);
        }
        return compiler;
    }

    // The parts FunctionSplitter made, by function index minus FunctionTypes.Length (they are numbered after every
    // function of the module, so no index the module names reaches them).
    private readonly List<(FuncType Type, MethodInfo Method)> _outlined = [];

    // The names of each defined function's part methods, in part order (null: not split), under _outlined's lock.
    private List<string>?[]? _partNames;

    /// <summary>The names of the methods of defined function <paramref name="defined"/>'s parts, in part order; empty when it was not split.</summary>
    internal string[] PartNamesOf(int defined)
    {
        lock (_outlined) return _partNames?[defined] is { } names ? [.. names] : [];
    }

    /// <summary>How many parts of split functions one module may have.</summary>
    internal const int MaxOutlined = 5_000;

    /// <summary>The type and method of a part of a split function, by the index its caller's <c>call</c> names.</summary>
    internal (FuncType Type, MethodInfo Method) Outlined(uint functionIndex)
    {
        lock (_outlined) return _outlined[(int)functionIndex - FunctionTypes.Length];
    }

    /// <summary>How many parts split functions have been given so far (a diagnostic, and the tests' check that a split happened).</summary>
    internal int OutlinedCount
    {
        get
        {
            lock (_outlined) return _outlined.Count;
        }
    }

    /// <summary>
    /// Compiles defined function <paramref name="defined"/> into its method in <see cref="Bodies"/>: split into parts
    /// first when it is over <see cref="CodeOptions.SplitThreshold"/> (FunctionSplitter), the parts becoming methods
    /// of the same class. Eager, lazy and ahead-of-time compilation all compile functions through here.
    /// </summary>
    [RequiresDynamicCode("Modules are compiled to IL with Reflection.Emit.")]
    internal void CompileFunction(int defined)
    {
        int index = ImportedFunctionCount + defined;
        var body = Module.Codes[defined];
        var type = FunctionTypes[index];
        var method = Bodies[defined] ?? throw new InvalidOperationException($"no method for the body of function {index}");
        FunctionSplitter.Result? split;
        int first;
        lock (_outlined)
        {
            first = FunctionTypes.Length + _outlined.Count;
            split = FunctionSplitter.Split(Valid, type, body, index, Options.SplitThreshold, first);
            // Parts are methods of their function's class, which holds at most 65,535 (MethodsPerType leaves room
            // for this many): beyond it the functions stay whole.
            if (split is not null && _outlined.Count + split.Parts.Count > MaxOutlined) split = null;
            if (split is not null) DefineParts(split, method, index);
        }
        // Compiled outside the lock: it guards only the numbering and the list of parts.
        if (split is null)
        {
            new FunctionCompiler(this, defined).Compile();
            return;
        }
        new FunctionCompiler(this, defined, type, split.Body, method, outlined: false).Compile();
        for (int k = 0; k < split.Parts.Count; k++)
        {
            var (partType, partMethod) = Outlined((uint)(first + k));
            new FunctionCompiler(this, defined, partType, split.Parts[k].Body, (MethodBuilder)partMethod, outlined: true).Compile();
        }
    }

    // The methods of a split function's parts, in its class, numbered from the end of _outlined (under its lock).
    private void DefineParts(FunctionSplitter.Result split, MethodBuilder method, int index)
    {
        var declaring = (TypeBuilder)method.DeclaringType!;
        for (int k = 0; k < split.Parts.Count; k++)
        {
            var part = split.Parts[k];
            // No '$' and no leading 'f': Backtrace shows no frame for it, so a trap names the split function.
            var partMethod = declaring.DefineMethod($"outlined_{index}_{k}",
                MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
                ClrTypes.ReturnType(part.Type.Results), ClrTypes.ParameterTypes(part.Type.Params, ContextType));
            // As its function is compiled (AggressiveOptimization, or NoOptimization in the lazy first tier).
            if (method.MethodImplementationFlags != MethodImplAttributes.IL) partMethod.SetImplementationFlags(method.MethodImplementationFlags);
            _outlined.Add((part.Type, partMethod));
            ((_partNames ??= new List<string>?[Methods.Length])[index - ImportedFunctionCount] ??= []).Add(partMethod.Name);
        }
    }

    private static ModuleBuilder DefineModule(bool collectible) => AssemblyBuilder
        .DefineDynamicAssembly(new AssemblyName(GeneratedCode.AssemblyName), collectible ? AssemblyBuilderAccess.RunAndCollect : AssemblyBuilderAccess.Run)
        .DefineDynamicModule(GeneratedCode.AssemblyName);

    /// <summary>Whether function bodies are compiled on first call (<see cref="LazyCompiler"/>) rather than all up front.</summary>
    public bool Lazy { get; }

    /// <summary>A process-wide number of the compiled module, in its generated type names.</summary>
    public int Id { get; }

    /// <summary>
    /// The method holding each defined function's compiled body; null in lazy mode until the function is compiled.
    /// <see cref="Methods"/> is what calls target: the body once it exists (or is being compiled in the same batch),
    /// the stub before.
    /// </summary>
    public MethodBuilder?[] Bodies { get; }

    /// <summary>How many functions one generated type holds (the CLR's limit is 65,535 methods per type).</summary>
    public const int MethodsPerType = 60_000;

    /// <summary>The types holding the functions' methods: <see cref="Type"/> first, then static classes, <see cref="MethodsPerType"/> each.</summary>
    public TypeBuilder[] CodeTypes { get; }

    /// <summary>The module being compiled.</summary>
    public SyntaxModule Module { get; }

    /// <summary>The validated module: the canonical type of every type index (GC instructions name types).</summary>
    public ValidModule Valid { get; }

    /// <summary>The compiler options.</summary>
    public CodeOptions Options { get; }

    /// <summary>The generated class.</summary>
    public TypeBuilder Type { get; }

    /// <summary>The generated class's constructor.</summary>
    public ConstructorBuilder Constructor { get; }

    /// <summary>
    /// The class of the instance context as the code being compiled names it: <see cref="Type"/>, or in lazy mode, once
    /// it is created, the created class (lazy batches live in assemblies of their own and refer to it from there).
    /// </summary>
    public Type ContextType { get; set; }

    /// <summary>The function type of every function index (imports first).</summary>
    public FuncType[] FunctionTypes { get; }

    /// <summary>The number of imported functions.</summary>
    public int ImportedFunctionCount { get; }

    /// <summary>The number of imported globals.</summary>
    public int ImportedGlobalCount { get; }

    /// <summary>The type of every global index.</summary>
    public GlobalType[] GlobalTypes { get; }

    /// <summary>The type of every memory index.</summary>
    public MemoryType[] MemoryTypes { get; }

    /// <summary>The type of every table index.</summary>
    public TableType[] TableTypes { get; }

    /// <summary>The function type of every tag index (imports first): its parameters are the payload.</summary>
    public FuncType[] TagTypes { get; }

    /// <summary>The field of each global kept as a field; null for shared cells and for globals in <see cref="InstanceContext.Constants"/>.</summary>
    public FieldInfo?[] GlobalFields { get; }

    /// <summary>The index in <see cref="InstanceContext.Constants"/> of each global kept there, or -1.</summary>
    public int[] ConstantSlots { get; }

    /// <summary>How many globals this module keeps in <see cref="InstanceContext.Constants"/>.</summary>
    public int ConstantCount { get; }

    /// <summary>
    /// Up to this many immutable reference globals of its own (neither imported nor exported), a module keeps each in
    /// a typed field of its context class; beyond it, all of them in one array, <see cref="InstanceContext.Constants"/>
    /// (docs/RATIONALE.md, "Constant globals in one array"): every field of the class is a name the runtime looks up
    /// linearly when lazily compiled code refers to it, while a slot costs one more load and bounds check per read.
    /// 256 by default; <c>WEFT_CONSTANT_GLOBAL_FIELDS</c> overrides it (0: every such global in the array, which runs
    /// the spec suite through that path). Settable for tests; read when a module is compiled.
    /// </summary>
    internal static int ConstantFieldLimit { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable("WEFT_CONSTANT_GLOBAL_FIELDS"), out int limit) && limit >= 0 ? limit : 256;

    /// <summary>The defined functions each defined function calls directly, in the order the calls appear.</summary>
    public int[][] Callees { get; }

    /// <summary>What each defined function's code lets the compiler leave out (<see cref="LeafFunctions"/>).</summary>
    public LeafKind[] Leaves { get; }

    /// <summary>
    /// Which defined functions are compiled to the pending-exception protocol (<see cref="PendingExceptions"/>): their
    /// <see cref="Bodies"/> may return with <see cref="InstanceContext.PendingException"/> set, and their entry in
    /// <see cref="Methods"/> is a wrapper that throws it. Direct calls from other such bodies call the body.
    /// </summary>
    public bool[] MayLeavePending { get; }

    /// <summary>The method a direct call of each defined function calls (its body, or its stub in lazy mode while the body is not compiled).</summary>
    public MethodInfo[] Methods { get; }

    /// <summary>The function type at a type index.</summary>
    public FuncType FuncTypeAt(uint typeIndex) => (FuncType)Module.Types[(int)typeIndex].Composite;

    /// <summary>The IL compiler as the code generator of an engine.</summary>
    /// <remarks>Where the runtime cannot emit code (NativeAOT, or the IsDynamicCodeSupported switch off) the engine runs precompiled modules only.</remarks>
    public static ICodeGenerator CreateGenerator(Engine engine) => System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported
        ? new IlCodeGenerator(engine)
        : new Aot.PrecompiledOnlyGenerator();

    /// <summary>Compiles a module.</summary>
    [RequiresDynamicCode("Modules are compiled to IL with Reflection.Emit.")]
    public static CompiledModule Compile(SyntaxModule module, ValidModule valid, CodeOptions options, bool lazy = false)
    {
        var compiler = new ModuleCompiler(module, valid, options, lazy);
        if (lazy) return LazyCompiler.CompileStubs(compiler);
        for (int i = 0; i < compiler.Methods.Length; i++)
        {
            compiler.CompileFunction(i);
        }
        // Compiled host entries of the exports (HostEntries): emitted after the bodies, created after their types.
        var hostEntries = HostEntries.Define(compiler);
        var types = compiler.CodeTypes.Select(t => t.CreateType()).ToArray();
        Backtrace.Register(types[0].Assembly, SymbolsOf(module, compiler.ImportedFunctionCount));
        var compiled = new CompiledModule(module, types, compiler);
        if (hostEntries is { } entries) HostEntries.Register(entries, types[0], compiled, compiler.ImportedFunctionCount);
        return compiled;
    }

    /// <summary>What the frames of a module's functions show (see <see cref="Backtrace"/>).</summary>
    internal static Backtrace.ModuleSymbols SymbolsOf(SyntaxModule module, int importedFunctions)
    {
        var codes = module.Codes;
        return new Backtrace.ModuleSymbols(module.Names?.ModuleName, index => module.FunctionNameOf((uint)index), index =>
        {
            int defined = index - importedFunctions;
            return (uint)defined < (uint)codes.Count && codes[defined].Offset >= 0 ? codes[defined].Offset : null;
        });
    }
}
