using System.Runtime.InteropServices;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// The structure of a recursion group as a flat sequence of integers, with every type reference either internal
/// (by position in the group) or external (by canonical <see cref="DefinedType.Id"/>). Two groups are the same
/// iso-recursive type exactly when their keys are equal (spec 4.3.1, "closed types", and the note on
/// canonicalization in appendix A.3).
/// </summary>
internal sealed class RecGroupKey : IEquatable<RecGroupKey>
{
    private const int InternalFlag = 1 << 16;

    private readonly int[] _data;
    private readonly int _hash;

    private RecGroupKey(int[] data)
    {
        _data = data;
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(data.AsSpan()));
        _hash = hash.ToHashCode();
    }

    /// <summary>
    /// Builds the key of <paramref name="group"/>, whose first member has module type index <paramref name="first"/>;
    /// <paramref name="earlier"/> holds the canonical types of all smaller indices. Throws "unknown type" for a
    /// reference past the end of the group.
    /// </summary>
    public static RecGroupKey Build(RecGroup group, uint first, ReadOnlySpan<DefinedType> earlier)
    {
        var builder = new Builder(first, (uint)group.Types.Count, earlier);
        foreach (var sub in group.Types)
        {
            builder.Add(sub.Final ? 1 : 0);
            builder.Add(sub.Supertypes.Count);
            foreach (uint super in sub.Supertypes) builder.AddTypeIndex(super);
            switch (sub.Composite)
            {
                case FuncType func:
                    builder.Add((int)CompositeKind.Func);
                    builder.Add(func.Params.Count);
                    foreach (var t in func.Params) builder.AddValType(t);
                    builder.Add(func.Results.Count);
                    foreach (var t in func.Results) builder.AddValType(t);
                    break;
                case StructType str:
                    builder.Add((int)CompositeKind.Struct);
                    builder.Add(str.Fields.Count);
                    foreach (var f in str.Fields) builder.AddField(f);
                    break;
                case ArrayType array:
                    builder.Add((int)CompositeKind.Array);
                    builder.AddField(array.Element);
                    break;
            }
        }
        return new RecGroupKey(builder.ToArray());
    }

    /// <inheritdoc/>
    public bool Equals(RecGroupKey? other) =>
        other is not null && other._hash == _hash && other._data.AsSpan().SequenceEqual(_data);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RecGroupKey);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    private ref struct Builder
    {
        private readonly uint _first;
        private readonly uint _count;
        private readonly ReadOnlySpan<DefinedType> _earlier;
        private int[] _data;
        private int _length;

        public Builder(uint first, uint count, ReadOnlySpan<DefinedType> earlier)
        {
            _first = first;
            _count = count;
            _earlier = earlier;
            _data = new int[16];
            _length = 0;
        }

        public void Add(int value)
        {
            if (_length == _data.Length) Array.Resize(ref _data, _data.Length * 2);
            _data[_length++] = value;
        }

        public void AddTypeIndex(uint index)
        {
            if (index < _first)
            {
                Add(0);
                Add((int)_earlier[(int)index].Id);
            }
            else if (index - _first < _count)
            {
                Add(InternalFlag);
                Add((int)(index - _first));
            }
            else
            {
                throw ValidationErrors.Unknown("type", index);
            }
        }

        public void AddValType(ValType type)
        {
            Add((int)type.Kind | (type.Nullable ? 0x10 : 0) | ((int)type.Heap.Kind << 8));
            if (type.IsRef && type.Heap.IsConcrete) AddTypeIndex(type.Heap.Index);
        }

        public void AddField(FieldType field)
        {
            Add((field.Mutable ? 1 : 0) | ((int)field.Storage.Packed << 4));
            AddValType(field.Storage.Type);
        }

        public readonly int[] ToArray() => _data.AsSpan(0, _length).ToArray();
    }
}
