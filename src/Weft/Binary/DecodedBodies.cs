using System.Collections;
using Weft.Syntax;

namespace Weft.Binary;

/// <summary>
/// The function bodies of a decoded code section: one array of small records (where each body's locals and code are
/// in the module's bytes), and a <see cref="FunctionBody"/> object made for a body only when someone asks for it.
/// </summary>
/// <remarks>
/// Validation reads the records directly (<see cref="Get"/>), so decode+validate allocates no object per function;
/// one per body was about a seventh of <c>WasmModule.FromBytes</c> on a 10 MB module, mostly page faults on fresh
/// memory (docs/RATIONALE.md, issue 17). The compiler asks for the objects later. A module may be used from several
/// threads: the first object made for a body is published with a compare-exchange, so every caller gets that one.
/// </remarks>
internal sealed class DecodedBodies : IReadOnlyList<FunctionBody>
{
    private readonly byte[] _bytes;
    private readonly Entry[] _entries;
    private FunctionBody?[]? _bodies;

    /// <summary>Where one body is: its declarations, and its code (from its first instruction to its final end).</summary>
    internal readonly record struct Entry(LocalDecl[] Locals, int CodeStart, int CodeLength, int LocalsSize);

    public DecodedBodies(byte[] bytes, Entry[] entries)
    {
        _bytes = bytes;
        _entries = entries;
    }

    public int Count => _entries.Length;

    public FunctionBody this[int index]
    {
        get
        {
            var entry = _entries[index]; // throws IndexOutOfRangeException like an array for a bad index
            var bodies = _bodies ?? Interlocked.CompareExchange(ref _bodies, new FunctionBody?[_entries.Length], null) ?? _bodies!;
            var body = Volatile.Read(ref bodies[index]);
            if (body is not null) return body;
            var made = new FunctionBody(entry.Locals, _bytes.AsMemory(entry.CodeStart, entry.CodeLength), entry.CodeStart) { LocalsSize = entry.LocalsSize };
            return Interlocked.CompareExchange(ref bodies[index], made, null) ?? made;
        }
    }

    /// <summary>A body's declarations, code and code offset, without making its object.</summary>
    public void Get(int index, out LocalDecl[] locals, out ReadOnlyMemory<byte> code, out int offset)
    {
        ref readonly var entry = ref _entries[index];
        locals = entry.Locals;
        code = _bytes.AsMemory(entry.CodeStart, entry.CodeLength);
        offset = entry.CodeStart;
    }

    public IEnumerator<FunctionBody> GetEnumerator()
    {
        for (int i = 0; i < _entries.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
