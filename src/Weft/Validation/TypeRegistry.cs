using System.Globalization;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// The engine-wide table of canonical types (spec 4.3.1 and appendix A.3: types are compared after closing them and
/// canonicalizing iso-recursive groups). Every module's recursion groups are mapped to canonical groups here; equal
/// groups from any modules become the same <see cref="DefinedType"/> objects.
/// </summary>
/// <remarks>
/// Thread-safe: creating a group takes one lock (groups are small and type sections short next to code), looking a
/// type up by id takes none. Canonical types are kept for the life of the process: they are small, ids index an array,
/// and the GC types compiled from them live in an engine-wide assembly that is never unloaded either.
/// </remarks>
internal static class TypeRegistry
{
    private static readonly Lock s_lock = new();
    private static readonly Dictionary<RecGroupKey, CanonicalRecGroup> s_groups = [];
    private static volatile DefinedType?[] s_byId = new DefinedType?[256];
    private static uint s_count;

    /// <summary>The number of canonical types created so far.</summary>
    public static int Count
    {
        get
        {
            lock (s_lock) return (int)s_count;
        }
    }

    /// <summary>The canonical type with a given <see cref="DefinedType.Id"/>.</summary>
    public static DefinedType Get(uint id)
    {
        var table = s_byId;
        if (id < (uint)table.Length && table[id] is { } type) return type;
        return GetLocked(id);
    }

    private static DefinedType GetLocked(uint id)
    {
        lock (s_lock)
        {
            var table = s_byId;
            if (id < (uint)table.Length && table[id] is { } type) return type;
        }
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"no canonical type #{id}"));
    }

    /// <summary>
    /// Canonicalizes and validates the type section of <paramref name="module"/> (spec 3.4.1 "types"): returns the
    /// canonical type of every type index.
    /// </summary>
    public static DefinedType[] Canonicalize(Module module)
    {
        int total = 0;
        foreach (var group in module.RecGroups) total += group.Types.Count;
        var types = new DefinedType[total];
        uint first = 0;
        foreach (var group in module.RecGroups)
        {
            var canonical = Canonicalize(group, first, types.AsSpan(0, (int)first));
            canonical.Members.CopyTo(types.AsSpan((int)first));
            first += (uint)canonical.Count;
        }
        return types;
    }

    /// <summary>
    /// Canonicalizes one recursion group whose first member has module type index <paramref name="first"/>, given the
    /// canonical types of all earlier indices.
    /// </summary>
    public static CanonicalRecGroup Canonicalize(RecGroup group, uint first, ReadOnlySpan<DefinedType> earlier)
    {
        var key = RecGroupKey.Build(group, first, earlier);
        lock (s_lock)
        {
            // A group already registered was valid when it was registered, and validity depends only on its key.
            if (s_groups.TryGetValue(key, out var existing)) return existing;
            var created = Create(group, first, earlier);
            s_groups.Add(key, created);
            return created;
        }
    }

    /// <summary>Builds, registers and checks a new group; on an error the ids are released again. Called under the lock.</summary>
    private static CanonicalRecGroup Create(RecGroup group, uint first, ReadOnlySpan<DefinedType> earlier)
    {
        int count = group.Types.Count;
        uint baseId = s_count;
        if ((ulong)baseId + (ulong)count > int.MaxValue) throw new InvalidModuleException("too many types");
        var canonical = new CanonicalRecGroup(count);
        for (int i = 0; i < count; i++)
        {
            var sub = group.Types[i];
            var kind = sub.Composite switch
            {
                FuncType => CompositeKind.Func,
                StructType => CompositeKind.Struct,
                _ => CompositeKind.Array,
            };
            var type = new DefinedType(baseId + (uint)i, canonical, i, sub.Final, kind);
            canonical.SetMember(i, type);
            Register(type);
        }
        s_count = baseId + (uint)count;
        bool ok = false;
        try
        {
            var members = canonical.Members;
            var resolver = new Resolver(first, earlier, members);
            for (int i = 0; i < count; i++) members[i].SetComposite(resolver.CanonComposite(group.Types[i].Composite));
            CheckSupertypes(group, first, resolver);
            ok = true;
            return canonical;
        }
        finally
        {
            if (!ok)
            {
                var table = s_byId;
                for (uint id = baseId; id < baseId + (uint)count; id++) table[id] = null;
                s_count = baseId;
            }
        }
    }

    /// <summary>Spec 3.2.10 "sub types": at most one supertype, defined before the type, not final, and matched.</summary>
    private static void CheckSupertypes(RecGroup group, uint first, Resolver resolver)
    {
        var members = resolver.Members;
        int count = members.Length;
        // Displays first (supertypes precede their subtypes), then the checks in order: matching a member may need the
        // subtype relation of later members of the same group, which rests on their declarations alone.
        var problems = new string?[count];
        for (int i = 0; i < count; i++)
        {
            var supers = group.Types[i].Supertypes;
            uint self = first + (uint)i;
            DefinedType? super = null;
            if (supers.Count > 1)
            {
                problems[i] = string.Create(CultureInfo.InvariantCulture, $"sub type {self} has more than one super type");
            }
            else if (supers.Count == 1)
            {
                uint index = supers[0];
                if (index >= self)
                {
                    problems[i] = string.Create(CultureInfo.InvariantCulture, $"forward use of type {index} in sub type definition");
                }
                else
                {
                    super = resolver.Type(index);
                }
            }
            members[i].SetSupertype(super);
        }
        for (int i = 0; i < count; i++)
        {
            if (problems[i] is { } problem) throw new InvalidModuleException(problem);
            var type = members[i];
            if (type.Supertype is not { } super) continue;
            uint self = first + (uint)i;
            uint superIndex = group.Types[i].Supertypes[0];
            if (super.Final)
            {
                throw new InvalidModuleException(string.Create(CultureInfo.InvariantCulture, $"sub type {self} has final super type {superIndex}"));
            }
            if (!Subtyping.MatchesComposite(type, super))
            {
                throw new InvalidModuleException(string.Create(CultureInfo.InvariantCulture, $"sub type {self} does not match super type {superIndex}"));
            }
        }
    }

    private static void Register(DefinedType type)
    {
        var table = s_byId;
        if (type.Id >= (uint)table.Length)
        {
            var grown = new DefinedType?[Math.Max(table.Length * 2, (int)type.Id + 1)];
            table.CopyTo(grown, 0);
            s_byId = grown;
            table = grown;
        }
        table[type.Id] = type;
    }

    /// <summary>Maps a group's module-relative type indices to canonical ids.</summary>
    private readonly ref struct Resolver(uint first, ReadOnlySpan<DefinedType> earlier, ReadOnlySpan<DefinedType> members)
    {
        private readonly uint _first = first;
        private readonly ReadOnlySpan<DefinedType> _earlier = earlier;

        public ReadOnlySpan<DefinedType> Members { get; } = members;

        public DefinedType Type(uint index) => index < _first ? _earlier[(int)index] : Members[(int)(index - _first)];

        public ValType CanonValType(ValType type) =>
            type.IsRef && type.Heap.IsConcrete ? ValType.Ref(HeapType.Concrete(Type(type.Heap.Index).Id), type.Nullable) : type;

        public FieldType CanonField(FieldType field) =>
            field.Storage.IsPacked ? field : new FieldType(StorageType.Of(CanonValType(field.Storage.Type)), field.Mutable);

        public CompositeType CanonComposite(CompositeType composite)
        {
            switch (composite)
            {
                case FuncType func:
                {
                    var parameters = new ValType[func.Params.Count];
                    for (int i = 0; i < parameters.Length; i++) parameters[i] = CanonValType(func.Params[i]);
                    var results = new ValType[func.Results.Count];
                    for (int i = 0; i < results.Length; i++) results[i] = CanonValType(func.Results[i]);
                    return new FuncType(parameters, results);
                }
                case StructType str:
                {
                    var fields = new FieldType[str.Fields.Count];
                    for (int i = 0; i < fields.Length; i++) fields[i] = CanonField(str.Fields[i]);
                    return new StructType(fields);
                }
                default:
                    return new ArrayType(CanonField(((ArrayType)composite).Element));
            }
        }
    }
}
