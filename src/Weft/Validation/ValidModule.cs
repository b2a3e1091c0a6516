using System.Collections;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// A module that passed validation, with what the compiler and runtime need: the canonical type of every type index
/// and the types of every index space (imports first), in canonical form (concrete heap types hold
/// <see cref="DefinedType.Id"/>s; see <see cref="DefinedType"/>).
/// </summary>
/// <remarks>The validator fills it in section order, so while validation runs the counts grow as the spec's context does.</remarks>
internal sealed class ValidModule
{
    private readonly DefinedType[] _types;
    private readonly DefinedType[] _functions;
    private readonly TableType[] _tables;
    private readonly MemoryType[] _memories;
    private readonly GlobalType[] _globals;
    private readonly DefinedType[] _tags;
    private readonly ValType[] _elements;
    private readonly BitArray _declared;
    private readonly int[] _importIndices;
    private Dictionary<DefinedType, int>? _typeIndices;

    internal ValidModule(Module module, DefinedType[] types, int functions, int tables, int memories, int globals, int tags)
    {
        Module = module;
        _types = types;
        _functions = new DefinedType[functions];
        _tables = new TableType[tables];
        _memories = new MemoryType[memories];
        _globals = new GlobalType[globals];
        _tags = new DefinedType[tags];
        _elements = new ValType[module.Elements.Count];
        _declared = new BitArray(functions);
        _importIndices = new int[module.Imports.Count];
    }

    /// <summary>The module as decoded or parsed.</summary>
    public Module Module { get; }

    /// <summary>The engine whose canonical types <see cref="Types"/> are.</summary>
    public Engine Engine { get; init; } = Engine.Default;

    /// <summary>
    /// The imports the module's options resolve (builtins, string constants), set once when the module is created;
    /// null when there are none. The compiler inlines calls to the builtins it names.
    /// </summary>
    public Builtins.BuiltinImports? Builtins { get; internal set; }

    /// <summary>The canonical type of every type index.</summary>
    public ReadOnlySpan<DefinedType> Types => _types;

    /// <summary>The type of every function, imported ones first.</summary>
    public ReadOnlySpan<DefinedType> Functions => _functions.AsSpan(0, FunctionCount);

    /// <summary>The type of every table (canonical element type), imported ones first.</summary>
    public ReadOnlySpan<TableType> Tables => _tables.AsSpan(0, TableCount);

    /// <summary>The type of every memory, imported ones first.</summary>
    public ReadOnlySpan<MemoryType> Memories => _memories.AsSpan(0, MemoryCount);

    /// <summary>The type of every global (canonical value type), imported ones first.</summary>
    public ReadOnlySpan<GlobalType> Globals => _globals.AsSpan(0, GlobalCount);

    /// <summary>The function type of every tag, imported ones first.</summary>
    public ReadOnlySpan<DefinedType> Tags => _tags.AsSpan(0, TagCount);

    /// <summary>The (canonical) reference type of every element segment.</summary>
    public ReadOnlySpan<ValType> ElementTypes => _elements.AsSpan(0, ElementCount);

    /// <summary>The number of functions known so far (all of them once validation is done).</summary>
    public int FunctionCount { get; private set; }

    /// <summary>The number of tables known so far.</summary>
    public int TableCount { get; private set; }

    /// <summary>The number of memories known so far.</summary>
    public int MemoryCount { get; private set; }

    /// <summary>The number of globals known so far.</summary>
    public int GlobalCount { get; private set; }

    /// <summary>The number of tags known so far.</summary>
    public int TagCount { get; private set; }

    /// <summary>The number of element segments known so far.</summary>
    public int ElementCount { get; private set; }

    /// <summary>The number of data segments.</summary>
    public int DataCount { get; internal set; }

    /// <summary>The number of imported functions (they take the first function indices).</summary>
    public int ImportedFunctionCount { get; internal set; }

    /// <summary>The number of imported tables.</summary>
    public int ImportedTableCount { get; internal set; }

    /// <summary>The number of imported memories.</summary>
    public int ImportedMemoryCount { get; internal set; }

    /// <summary>The number of imported globals.</summary>
    public int ImportedGlobalCount { get; internal set; }

    /// <summary>The number of imported tags.</summary>
    public int ImportedTagCount { get; internal set; }

    /// <summary>
    /// Whether a function may be referenced by <c>ref.func</c> in a function body (spec 3.4.10, "C.refs"): it occurs
    /// in an export, a global, table or segment initializer, or an element segment.
    /// </summary>
    public bool IsDeclared(uint functionIndex) => functionIndex < (uint)_declared.Length && _declared[(int)functionIndex];

    /// <summary>
    /// The index, in its kind's index space, of the entity that import number <paramref name="import"/> (its position in
    /// <see cref="Module.Imports"/>) provides; e.g. the third function import is function 2. Its declared type, in
    /// canonical form for linking, is then <c>Functions[i]</c>, <c>Tables[i]</c>, and so on.
    /// </summary>
    public int IndexOfImport(int import) => _importIndices[import];

    /// <summary>The canonical type at a module type index (which must be in range).</summary>
    public DefinedType Type(uint typeIndex) => _types[typeIndex];

    /// <summary>The canonical form of a heap type written in this module (its index must be in range).</summary>
    public HeapType Canonical(HeapType heap) => heap.IsConcrete ? HeapType.Concrete(_types[heap.Index].Id) : heap;

    /// <summary>The canonical form of a value type written in this module (its type index must be in range).</summary>
    public ValType Canonical(ValType type) =>
        type.IsRef && type.Heap.IsConcrete ? ValType.Ref(HeapType.Concrete(_types[type.Heap.Index].Id), type.Nullable) : type;

    /// <summary>The canonical type of a canonical concrete heap type.</summary>
    public static DefinedType DefinedTypeOf(HeapType canonical) => TypeRegistry.Get(canonical.Index);

    /// <summary>The first type index of this module whose canonical type is <paramref name="type"/>, or -1 (for messages).</summary>
    public int TypeIndexOf(DefinedType type)
    {
        if (_typeIndices is null)
        {
            var map = new Dictionary<DefinedType, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < _types.Length; i++) map.TryAdd(_types[i], i);
            _typeIndices = map;
        }
        return _typeIndices.TryGetValue(type, out int index) ? index : -1;
    }

    internal int AddFunction(DefinedType type)
    {
        _functions[FunctionCount] = type;
        return FunctionCount++;
    }

    internal int AddTable(TableType type)
    {
        _tables[TableCount] = type;
        return TableCount++;
    }

    internal int AddMemory(MemoryType type)
    {
        _memories[MemoryCount] = type;
        return MemoryCount++;
    }

    internal int AddGlobal(GlobalType type)
    {
        _globals[GlobalCount] = type;
        return GlobalCount++;
    }

    internal int AddTag(DefinedType type)
    {
        _tags[TagCount] = type;
        return TagCount++;
    }

    internal void SetImportIndex(int import, int index) => _importIndices[import] = index;

    internal void AddElement(ValType type) => _elements[ElementCount++] = type;

    internal void Declare(uint functionIndex)
    {
        if (functionIndex < (uint)_declared.Length) _declared[(int)functionIndex] = true;
    }
}
