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

    /// <summary>The imports, in declaration order.</summary>
    public IReadOnlyList<ModuleImport> Imports =>
        _imports ??= Array.AsReadOnly(Syntax.Imports.Select(i => new ModuleImport(i.ModuleName, i.Name, i.Type.Kind, Describe(i.Type))).ToArray());

    /// <summary>The exports, in declaration order.</summary>
    public IReadOnlyList<ModuleExport> Exports => _exports ??= Array.AsReadOnly(DescribeExports());

    private ModuleExport[] DescribeExports()
    {
        var functions = Syntax.FunctionSpace.ToArray();
        var tables = Syntax.TableSpace.ToArray();
        var memories = Syntax.MemorySpace.ToArray();
        var globals = Syntax.GlobalSpace.ToArray();
        var tags = Syntax.TagSpace.ToArray();
        return Syntax.Exports.Select(e => new ModuleExport(e.Name, e.Kind, e.Kind switch
        {
            ExternKind.Func => Describe(new FuncImportType(functions[e.Index])),
            ExternKind.Table => Describe(tables[e.Index]),
            ExternKind.Memory => Describe(memories[e.Index]),
            ExternKind.Global => Describe(globals[e.Index]),
            _ => Describe(tags[e.Index]),
        })).ToArray();
    }

    /// <summary>The defined types (the type section, recursion groups flattened), each in the text format.</summary>
    public IReadOnlyList<string> Types => _types ??= Array.AsReadOnly(Syntax.Types.Select(t => t.ToString()).ToArray());

    /// <summary>The number of functions the module defines (not counting imports).</summary>
    public int DefinedFunctionCount => Syntax.Functions.Count;

    /// <summary>The start function's index, if the module has one.</summary>
    public uint? StartFunction => Syntax.Start;

    /// <summary>The names and sizes in bytes of the custom sections.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> CustomSections =>
        Syntax.CustomSections.Select(c => KeyValuePair.Create(c.Name, c.Data.Length)).ToArray();

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
