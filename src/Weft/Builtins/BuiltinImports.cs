using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Builtins;

/// <summary>
/// The imports of a module that its options resolve when it is created (JS API, "validate builtins and imported
/// string for a WebAssembly module"): builtin functions and imported string constants. They are checked then,
/// hidden from <see cref="WasmModule.Imports"/>, supplied by the engine at instantiation, and builtin calls are
/// compiled inline (the compiler reads <see cref="FunctionAt"/>).
/// </summary>
internal sealed class BuiltinImports
{
    private readonly BuiltinFunction?[] _functions;   // by function index (imports only)
    private readonly object?[] _byImport;             // by import position: a BuiltinFunction, a string, or null

    private BuiltinImports(BuiltinFunction?[] functions, object?[] byImport, int ordinary)
    {
        _functions = functions;
        _byImport = byImport;
        OrdinaryCount = ordinary;
    }

    /// <summary>How many imports the host supplies (those neither builtins nor string constants).</summary>
    public int OrdinaryCount { get; }

    /// <summary>Whether import number <paramref name="import"/> (declaration order) is resolved by the engine.</summary>
    public bool IsResolved(int import) => _byImport[import] is not null;

    /// <summary>The builtin a function index imports, or null.</summary>
    public BuiltinFunction? FunctionAt(uint functionIndex) => functionIndex < (uint)_functions.Length ? _functions[functionIndex] : null;

    /// <summary>
    /// Resolves the builtin imports and string constants of a validated module; null when the options resolve none.
    /// A builtin imported with a type it cannot have, or a string constant that is no immutable global of a supertype
    /// of <c>(ref extern)</c>, is a <see cref="LinkException"/> "incompatible import type" (the JS API's CompileError).
    /// </summary>
    public static BuiltinImports? Resolve(ValidModule valid, WasmModuleOptions options)
    {
        if (options.IsEmpty) return null;
        var imports = valid.Module.Imports;
        var byImport = new object?[imports.Count];
        var functions = new BuiltinFunction?[valid.ImportedFunctionCount];
        var sets = options.Builtins ?? new HashSet<string>();
        int resolved = 0;
        for (int i = 0; i < imports.Count; i++)
        {
            var import = imports[i];
            int index = valid.IndexOfImport(i);
            if (options.ImportedStringConstants is { } constants && import.ModuleName == constants)
            {
                var stringType = new GlobalType(ValType.Ref(HeapType.Extern, nullable: false), Mutable: false);
                if (import.Type is not GlobalType || !Subtyping.Matches(stringType, valid.Globals[index]))
                {
                    throw Incompatible(import, "a string constant must be an immutable global of type externref or (ref extern)");
                }
                byImport[i] = import.Name;
                resolved++;
                continue;
            }
            if (BuiltinSets.Find(sets, import.ModuleName, import.Name) is not { } builtin) continue;
            if (import.Type is not FuncImportType || !builtin.Accepts(valid.Engine, valid.Functions[index]))
            {
                throw Incompatible(import, $"the builtin's type is {builtin.TypeText}");
            }
            byImport[i] = builtin;
            functions[index] = builtin;
            resolved++;
        }
        return resolved == 0 ? null : new BuiltinImports(functions, byImport, imports.Count - resolved);
    }

    /// <summary>
    /// The full import list of an instantiation: the host's imports (<paramref name="given"/>, one per ordinary import
    /// in order) with the engine's entities in between. Each instance gets its own builtin function objects and
    /// string-constant globals, as the JS API instantiates the builtins afresh for each instance.
    /// </summary>
    public IReadOnlyList<Extern> Complete(Store store, ValidModule valid, IReadOnlyList<Extern> given)
    {
        if (given.Count != OrdinaryCount)
        {
            throw new LinkException("unknown import", $"the module has {OrdinaryCount} imports besides its builtins, {given.Count} were given");
        }
        var all = new Extern[_byImport.Length];
        int next = 0;
        for (int i = 0; i < all.Length; i++)
        {
            int index = valid.IndexOfImport(i);
            all[i] = _byImport[i] switch
            {
                BuiltinFunction builtin => builtin.CreateFunction(valid.Functions[index]),
                string constant => new Global(store, valid.Globals[index], WasmValue.FromReference(constant)),
                _ => given[next++],
            };
        }
        return all;
    }

    private static LinkException Incompatible(Import import, string why) =>
        new("incompatible import type", $"\"{import.ModuleName}\" \"{import.Name}\": {why}");
}
