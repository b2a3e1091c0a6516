using System.Globalization;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>The kind of a composite type.</summary>
internal enum CompositeKind : byte
{
    /// <summary>A function type.</summary>
    Func,
    /// <summary>A struct type.</summary>
    Struct,
    /// <summary>An array type.</summary>
    Array,
}

/// <summary>
/// A canonical defined type (spec 2.3.8 "defined types", 4.3.1 "closed types"): one member of a canonical
/// recursion group, shared by every module of the process that defines a structurally equal group.
/// Reference equality is type equality, so a signature check or a cast is one compare of references or of
/// <see cref="Id"/>s.
/// </summary>
/// <remarks>
/// <para>Canonical form: inside the validation layer and everything downstream, a concrete <see cref="HeapType"/>
/// holds a <see cref="Id"/> (engine-wide), never a module's type index. The composite type of a defined type is
/// in that form too, including references to members of its own group.</para>
/// <para>Lifetime: canonical types live as long as a module of their engine holds them, at most as long as the engine
/// (see <see cref="TypeRegistry"/>); GC struct types compile to CLR classes in the engine's generated code.</para>
/// </remarks>
internal sealed class DefinedType
{
    /// <summary>How many ancestors a display holds; deeper chains share the display of their depth-63 ancestor and walk
    /// the <see cref="Supertype"/> links beyond it, which keeps memory linear in pathological chains.</summary>
    internal const int DisplaySize = 64;

    private DefinedType[] _display = [];
    private ValType[] _params = [];
    private ValType[] _results = [];
    private FieldType[] _fields = [];
    private ValType[] _unpackedFields = [];
    private FieldType _element;

    /// <summary>The host's <see cref="GcType"/> of this type, made on first use (see <see cref="GcType.Of"/>).</summary>
    internal object? HostView;

    internal DefinedType(uint id, CanonicalRecGroup group, int indexInGroup, bool final, CompositeKind kind)
    {
        Id = id;
        Group = group;
        IndexInGroup = indexInGroup;
        Final = final;
        Kind = kind;
        Composite = null!;
    }

    /// <summary>The engine-wide identity; concrete heap types in canonical form hold it.</summary>
    public uint Id { get; }

    /// <summary>The canonical recursion group this type is a member of.</summary>
    public CanonicalRecGroup Group { get; }

    /// <summary>The position of this type within <see cref="Group"/>.</summary>
    public int IndexInGroup { get; }

    /// <summary>Whether the type is final (may have no subtypes).</summary>
    public bool Final { get; }

    /// <summary>Whether this is a function, struct or array type.</summary>
    public CompositeKind Kind { get; }

    /// <summary>The composite type in canonical form.</summary>
    public CompositeType Composite { get; private set; }

    /// <summary>The declared supertype, if any.</summary>
    public DefinedType? Supertype { get; private set; }

    /// <summary>The length of the supertype chain above this type (0 for a type without supertype).</summary>
    public int Depth { get; private set; }

    /// <summary>The parameter types of a function type (canonical form).</summary>
    public ReadOnlySpan<ValType> Params => _params;

    /// <summary>The result types of a function type (canonical form).</summary>
    public ReadOnlySpan<ValType> Results => _results;

    /// <summary>The fields of a struct type (canonical form).</summary>
    public ReadOnlySpan<FieldType> Fields => _fields;

    /// <summary>The value types of a struct type's fields as read and written (packed fields read as i32).</summary>
    public ReadOnlySpan<ValType> UnpackedFields => _unpackedFields;

    /// <summary>The element field of an array type (canonical form).</summary>
    public FieldType Element => _element;

    /// <summary>Whether this is a function type.</summary>
    public bool IsFunc => Kind == CompositeKind.Func;

    /// <summary>Whether this is a struct type.</summary>
    public bool IsStruct => Kind == CompositeKind.Struct;

    /// <summary>Whether this is an array type.</summary>
    public bool IsArray => Kind == CompositeKind.Array;

    /// <summary>The top of this type's hierarchy: <c>func</c> for function types, <c>any</c> otherwise.</summary>
    public HeapType Top => Kind == CompositeKind.Func ? HeapType.Func : HeapType.Any;

    /// <summary>The bottom of this type's hierarchy: <c>nofunc</c> for function types, <c>none</c> otherwise.</summary>
    public HeapType Bottom => Kind == CompositeKind.Func ? HeapType.NoFunc : HeapType.None;

    /// <summary>The canonical heap type naming this type.</summary>
    public HeapType HeapType => HeapType.Concrete(Id);

    /// <summary>The reference type <c>(ref null? this)</c>.</summary>
    public ValType Ref(bool nullable) => ValType.Ref(HeapType.Concrete(Id), nullable);

    /// <summary>
    /// Whether this type is a subtype of <paramref name="other"/> (spec 3.3.9 "defined types": reflexive, transitive
    /// closure of the declared supertypes). Constant time through the supertype display.
    /// </summary>
    public bool IsSubtypeOf(DefinedType other)
    {
        if (ReferenceEquals(this, other)) return true;
        int depth = other.Depth;
        if (depth > Depth) return false;
        if (depth < DisplaySize) return ReferenceEquals(_display[depth], other);
        var t = this;
        for (int d = Depth; d > depth; d--) t = t.Supertype!;
        return ReferenceEquals(t, other);
    }

    /// <summary>Sets the canonical composite type while the group is built.</summary>
    internal void SetComposite(CompositeType composite)
    {
        Composite = composite;
        switch (composite)
        {
            case FuncType f:
                _params = [.. f.Params];
                _results = [.. f.Results];
                break;
            case StructType s:
                _fields = [.. s.Fields];
                _unpackedFields = new ValType[_fields.Length];
                for (int i = 0; i < _fields.Length; i++) _unpackedFields[i] = _fields[i].Storage.Type;
                break;
            case ArrayType a:
                _element = a.Element;
                break;
        }
    }

    /// <summary>Sets the declared supertype (already complete: earlier in the group or in an earlier group) and the display.</summary>
    internal void SetSupertype(DefinedType? supertype)
    {
        Supertype = supertype;
        if (supertype is null)
        {
            Depth = 0;
            _display = [this];
            return;
        }
        Depth = supertype.Depth + 1;
        if (Depth < DisplaySize)
        {
            var display = new DefinedType[Depth + 1];
            supertype._display.AsSpan(0, Depth).CopyTo(display);
            display[Depth] = this;
            _display = display;
        }
        else
        {
            // Ancestors at depths 0..63 are the same for the whole chain below; share that array.
            _display = supertype._display;
        }
    }

    /// <summary>Diagnostic text: the id, group position and composite type.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"#{Id} {(Final ? "" : "sub ")}{Composite}");
}

/// <summary>A canonical recursion group: the members, in order. Equal groups from any modules of one engine are one object.</summary>
internal sealed class CanonicalRecGroup
{
    private readonly DefinedType[] _members;

    internal CanonicalRecGroup(int count, TypeRegistry registry)
    {
        _members = new DefinedType[count];
        Registry = registry;
    }

    /// <summary>The registry (so the engine) the group belongs to.</summary>
    public TypeRegistry Registry { get; }

    /// <summary>The group's key in <see cref="Registry"/>.</summary>
    internal RecGroupKey? Key { get; set; }

    /// <summary>How many modules (or host types) hold the group; guarded by the registry's lock.</summary>
    internal int Holders { get; set; }

    /// <summary>The member types, in order.</summary>
    public ReadOnlySpan<DefinedType> Members => _members;

    /// <summary>The number of members.</summary>
    public int Count => _members.Length;

    internal void SetMember(int index, DefinedType type) => _members[index] = type;
}
