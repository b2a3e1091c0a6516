using System.Globalization;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// One engine's table of canonical types (spec 4.3.1 and appendix A.3: types are compared after closing them and
/// canonicalizing iso-recursive groups). Every module's recursion groups are mapped to canonical groups here; equal
/// groups from any modules of the engine become the same <see cref="DefinedType"/> objects.
/// </summary>
/// <remarks>
/// <para>Thread-safe: creating or releasing a group takes the registry's lock (groups are small and type sections
/// short next to code), looking a type up by id takes none.</para>
/// <para>Lifetime: each canonical group counts the modules holding it. A module that fails validation releases its
/// groups again, so a server validating untrusted modules keeps only what valid modules (and host function types)
/// use; <see cref="Dispose"/> (the engine's) releases everything. Ids are process-wide handles into one lock-free table,
/// so that a canonical <see cref="HeapType"/> stays a plain integer that needs no engine to be resolved; released ids
/// are reused (docs/RATIONALE.md, "Engines").</para>
/// </remarks>
internal sealed class TypeRegistry : IDisposable
{
    // ---- the process-wide id table: a handle table, not an owner (the registries own their types) ----
    private static readonly Lock s_idLock = new();
    private static volatile DefinedType?[] s_byId = new DefinedType?[256];
    private static readonly Stack<uint> s_freeIds = new();
    private static uint s_nextId;
    private static int s_liveIds;

    // ---- this registry ----
    private readonly Lock _lock = new();
    private readonly Dictionary<RecGroupKey, CanonicalRecGroup> _groups = [];
    private int _count;
    private bool _disposed;

    /// <summary>Creates the registry of an engine.</summary>
    public TypeRegistry(Engine engine) => Engine = engine;

    /// <summary>The engine the registry belongs to.</summary>
    public Engine Engine { get; }

    /// <summary>The number of canonical types this registry holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _count;
        }
    }

    /// <summary>The number of canonical types alive in the process, over all engines.</summary>
    public static int ProcessCount
    {
        get
        {
            lock (s_idLock) return s_liveIds;
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
        lock (s_idLock)
        {
            var table = s_byId;
            if (id < (uint)table.Length && table[id] is { } type) return type;
        }
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"no canonical type #{id}"));
    }

    /// <summary>
    /// Canonicalizes and validates the type section of <paramref name="module"/> (spec 3.4.1 "types"): returns the
    /// canonical type of every type index. The module then holds its groups until <see cref="Release"/>.
    /// </summary>
    public DefinedType[] Canonicalize(Module module)
    {
        int total = 0;
        foreach (var group in module.RecGroups) total += group.Types.Count;
        var types = new DefinedType[total];
        uint first = 0;
        try
        {
            foreach (var group in module.RecGroups)
            {
                var canonical = Canonicalize(group, first, types.AsSpan(0, (int)first));
                canonical.Members.CopyTo(types.AsSpan((int)first));
                first += (uint)canonical.Count;
            }
        }
        catch
        {
            Release(types.AsSpan(0, (int)first));
            throw;
        }
        return types;
    }

    /// <summary>
    /// Gives back the groups that <see cref="Canonicalize(Module)"/> returned (a rejected module's): groups no module
    /// holds any more are removed and their ids freed.
    /// </summary>
    public void Release(ReadOnlySpan<DefinedType> types)
    {
        lock (_lock)
        {
            if (_disposed) return;
            for (int i = 0; i < types.Length; i += types[i].Group.Count)
            {
                var group = types[i].Group;
                if (--group.Holders > 0) continue;
                _groups.Remove(group.Key!);
                _count -= group.Count;
                FreeIds(group.Members);
            }
        }
    }

    /// <summary>
    /// Canonicalizes one recursion group whose first member has module type index <paramref name="first"/>, given the
    /// canonical types of all earlier indices. The caller holds the group from then on.
    /// </summary>
    public CanonicalRecGroup Canonicalize(RecGroup group, uint first, ReadOnlySpan<DefinedType> earlier)
    {
        var key = RecGroupKey.Build(group, first, earlier);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(Engine));
            // A group already registered was valid when it was registered, and validity depends only on its key.
            if (_groups.TryGetValue(key, out var existing))
            {
                existing.Holders++;
                return existing;
            }
            var created = Create(group, first, earlier);
            created.Key = key;
            created.Holders = 1;
            _groups.Add(key, created);
            _count += created.Count;
            return created;
        }
    }

    /// <summary>Releases every type (the engine is disposed); later canonicalizations throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var group in _groups.Values) FreeIds(group.Members);
            _groups.Clear();
            _count = 0;
        }
    }

    private static void FreeIds(ReadOnlySpan<DefinedType> members)
    {
        lock (s_idLock)
        {
            var table = s_byId;
            foreach (var type in members)
            {
                if (!ReferenceEquals(table[type.Id], type)) continue;
                table[type.Id] = null;
                s_freeIds.Push(type.Id);
                s_liveIds--;
            }
        }
    }

    private static uint AllocateId()
    {
        lock (s_idLock)
        {
            s_liveIds++;
            if (s_freeIds.TryPop(out uint id)) return id;
            if (s_nextId >= int.MaxValue)
            {
                s_liveIds--;
                throw new InvalidModuleException("too many types");
            }
            return s_nextId++;
        }
    }

    private static void Register(DefinedType type)
    {
        lock (s_idLock)
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
    }

    /// <summary>Builds, registers and checks a new group; on an error the ids are released again. Called under the lock.</summary>
    private CanonicalRecGroup Create(RecGroup group, uint first, ReadOnlySpan<DefinedType> earlier)
    {
        int count = group.Types.Count;
        var canonical = new CanonicalRecGroup(count, this);
        int registered = 0;
        bool ok = false;
        try
        {
            for (int i = 0; i < count; i++)
            {
                var sub = group.Types[i];
                var kind = sub.Composite switch
                {
                    FuncType => CompositeKind.Func,
                    StructType => CompositeKind.Struct,
                    _ => CompositeKind.Array,
                };
                var type = new DefinedType(AllocateId(), canonical, i, sub.Final, kind);
                canonical.SetMember(i, type);
                Register(type);
                registered++;
            }
            var members = canonical.Members;
            var resolver = new Resolver(first, earlier, members);
            for (int i = 0; i < count; i++) members[i].SetComposite(resolver.CanonComposite(group.Types[i].Composite));
            CheckSupertypes(group, first, resolver);
            ok = true;
            return canonical;
        }
        finally
        {
            if (!ok) FreeIds(canonical.Members[..registered]);
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
