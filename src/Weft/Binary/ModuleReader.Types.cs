using Weft.Syntax;

namespace Weft.Binary;

// spec 5.3.6-5.3.8 and 5.5.4: the type section, a vector of recursion groups.
internal sealed partial class ModuleReader
{
    private const byte RecCode = 0x4E;
    private const byte SubCode = 0x50;
    private const byte SubFinalCode = 0x4F;
    private const byte FuncCode = 0x60;
    private const byte StructCode = 0x5F;
    private const byte ArrayCode = 0x5E;

    private void ReadTypeSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++)
        {
            if (r.Peek() == RecCode)
            {
                r.Position++;
                uint members = r.ReadCount();
                var types = new List<SubType>();
                for (uint m = 0; m < members; m++) types.Add(ReadSubType(ref r));
                _recGroups.Add(new RecGroup(types.ToArray(), explicitRec: true));
            }
            else
            {
                _recGroups.Add(new RecGroup([ReadSubType(ref r)], explicitRec: false));
            }
        }
    }

    private static SubType ReadSubType(ref WasmReader r)
    {
        int b = r.Peek();
        if (b is SubCode or SubFinalCode)
        {
            r.Position++;
            uint count = r.ReadCount();
            var supers = count == 0 ? [] : new uint[count];
            for (int i = 0; i < supers.Length; i++) supers[i] = ReadTypeIndex(ref r);
            return new SubType(b == SubFinalCode, supers, ReadCompositeType(ref r));
        }
        return SubType.Plain(ReadCompositeType(ref r));
    }

    private static CompositeType ReadCompositeType(ref WasmReader r)
    {
        byte code = r.ReadByte();
        if (code >= 0x80) r.Fail("integer representation too long"); // the code is an s7
        switch (code)
        {
            case FuncCode:
                var parameters = ReadResultType(ref r);
                var results = ReadResultType(ref r);
                return new FuncType(parameters, results);
            case StructCode:
                uint count = r.ReadCount();
                var fields = new List<FieldType>();
                for (uint i = 0; i < count; i++) fields.Add(ReadFieldType(ref r));
                return new StructType(fields.ToArray());
            case ArrayCode:
                return new ArrayType(ReadFieldType(ref r));
            default:
                WasmReader.Fail("malformed definition type", r.Offset - 1);
                return null;
        }
    }

    private static ValType[] ReadResultType(ref WasmReader r)
    {
        uint count = r.ReadCount();
        if (count == 0) return [];
        var types = new ValType[count]; // bounded: ReadCount checked it against the bytes left
        for (int i = 0; i < types.Length; i++) types[i] = r.ReadValType();
        return types;
    }

    private static FieldType ReadFieldType(ref WasmReader r)
    {
        var storage = r.ReadStorageType();
        return new FieldType(storage, r.ReadMutability());
    }

    /// <summary>A type index where the reference decoder requires it to be non-negative as a 32-bit signed value.</summary>
    private static uint ReadTypeIndex(ref WasmReader r)
    {
        int at = r.Offset;
        uint index = r.ReadU32();
        if (index > int.MaxValue) WasmReader.Fail("malformed type index", at);
        return index;
    }
}
