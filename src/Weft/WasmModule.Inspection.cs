using Weft.Syntax;
using Weft.Text;

namespace Weft;

// What a tool or host can learn about a module without instantiating it.
public sealed partial class WasmModule
{
    // Each description is made once, on first use: a caller indexing Types[i] in a loop must not pay for all of
    // them on every access (that made `weft inspect` quadratic: 11 s for a module with 1,955 imports).
    private IReadOnlyList<ModuleImport>? _imports;
    private IReadOnlyList<ModuleExport>? _exports;
    private IReadOnlyList<string>? _types;
    private IReadOnlyList<ModuleCustomSection>? _customSections;

    /// <summary>
    /// The imports the host supplies, in declaration order, each with its structured type (see
    /// <see cref="WasmExternType"/>). Imports resolved by the module's <see cref="Options"/> (builtins and string
    /// constants) are not among them, as the JS API's <c>WebAssembly.Module.imports</c> leaves them out; an
    /// import's <see cref="ModuleImport.Index"/> is its position in this list.
    /// </summary>
    public IReadOnlyList<ModuleImport> Imports => _imports ??= Array.AsReadOnly(DescribeImports());

    /// <summary>The exports, in declaration order, each with its structured type (see <see cref="WasmExternType"/>).</summary>
    public IReadOnlyList<ModuleExport> Exports => _exports ??= Array.AsReadOnly(DescribeExports());

    private ModuleImport[] DescribeImports()
    {
        var builtins = Valid.Builtins;
        var imports = new List<ModuleImport>(Syntax.Imports.Count);
        for (int i = 0; i < Syntax.Imports.Count; i++)
        {
            if (builtins?.IsResolved(i) == true) continue;
            var import = Syntax.Imports[i];
            imports.Add(new ModuleImport(import.ModuleName, import.Name, TypeOf(import.Type.Kind, (uint)Valid.IndexOfImport(i), Describe(import.Type)), imports.Count));
        }
        return [.. imports];
    }

    private ModuleExport[] DescribeExports()
    {
        var functions = Syntax.FunctionSpace.ToArray();
        var tables = Syntax.TableSpace.ToArray();
        var memories = Syntax.MemorySpace.ToArray();
        var globals = Syntax.GlobalSpace.ToArray();
        var tags = Syntax.TagSpace.ToArray();
        return Syntax.Exports.Select(e => new ModuleExport(e.Name, TypeOf(e.Kind, e.Index, e.Kind switch
        {
            ExternKind.Func => Describe(new FuncImportType(functions[e.Index])),
            ExternKind.Table => Describe(tables[e.Index]),
            ExternKind.Memory => Describe(memories[e.Index]),
            ExternKind.Global => Describe(globals[e.Index]),
            _ => Describe(tags[e.Index]),
        }))).ToArray();
    }

    // The canonical type of an entity of the module's index spaces (imports first), from the validator's result;
    // the text keeps the module's own type indices, as the module's text format does.
    private WasmExternType TypeOf(ExternKind kind, uint index, string text) => kind switch
    {
        ExternKind.Func => new WasmFunctionType(Valid.Functions[(int)index], text),
        ExternKind.Table => new WasmTableType(Valid.Tables[(int)index], text),
        ExternKind.Memory => new WasmMemoryType(Valid.Memories[(int)index], text),
        ExternKind.Global => new WasmGlobalType(Valid.Globals[(int)index], text),
        _ => new WasmTagType(Valid.Tags[(int)index], text),
    };

    /// <summary>
    /// The function type at a type index of this module, in canonical form: a host function defined with it
    /// (<see cref="Linker.DefineFunction(string, string, WasmFunctionType, HostCallback)"/>) matches the module's
    /// imports of that type exactly.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such type index.</exception>
    /// <exception cref="ArgumentException">The type is a struct or array type (see <see cref="GetGcType(int)"/>).</exception>
    public WasmFunctionType GetFunctionType(int typeIndex)
    {
        if ((uint)typeIndex >= (uint)Valid.Types.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(typeIndex), typeIndex, $"the module has {Valid.Types.Length} types");
        }
        var type = Valid.Types[typeIndex];
        return type.IsFunc ? new WasmFunctionType(type) : throw new ArgumentException($"type {typeIndex} is not a function type", nameof(typeIndex));
    }

    /// <summary>The defined types (the type section, recursion groups flattened), each in the text format.</summary>
    public IReadOnlyList<string> Types => _types ??= Array.AsReadOnly(Syntax.Types.Select(t => t.ToString()).ToArray());

    /// <summary>The number of functions the module defines (not counting imports).</summary>
    public int DefinedFunctionCount => Syntax.Functions.Count;

    /// <summary>The start function's index, if the module has one.</summary>
    public uint? StartFunction => Syntax.Start;

    /// <summary>The custom sections in the order they appear in the module, with their contents (read-only, not copied).</summary>
    public IReadOnlyList<ModuleCustomSection> CustomSections =>
        _customSections ??= Array.AsReadOnly(Syntax.CustomSections.Select(c => new ModuleCustomSection(c.Name, c.Data)).ToArray());

    /// <summary>The contents of the custom sections with a given name, in order (a name may occur several times).</summary>
    public IEnumerable<ReadOnlyMemory<byte>> GetCustomSections(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return CustomSections.Where(c => c.Name == name).Select(c => c.Data);
    }

    /// <summary>The module in the text format (the inverse of <see cref="FromText(string, string)"/>).</summary>
    public string ToText() => WatWriter.Write(Syntax);

    private string Describe(ExternType type) => type switch
    {
        FuncImportType f => Syntax.Types[(int)f.TypeIndex].Composite.ToString()!,
        TableType t => $"(table {t.Limits} {t.ElementType})",
        MemoryType m => $"(memory {m.ToText()})",
        GlobalType g => g.Mutable ? $"(global (mut {g.ValueType}))" : $"(global {g.ValueType})",
        TagType t => $"(tag {Syntax.Types[(int)t.TypeIndex].Composite})",
        _ => type.ToString(),
    };
}
