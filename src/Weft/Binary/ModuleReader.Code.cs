using Weft.Syntax;

namespace Weft.Binary;

// spec 5.5.13: the code section; and constant expressions (spec 5.4.9), which are decoded the same way.
internal sealed partial class ModuleReader
{
    private void ReadCodeSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        var entries = new DecodedBodies.Entry[count]; // bounded: ReadCount checked it against the bytes left
        // Consecutive bodies often declare the same locals (compilers emit few distinct sets): the same encoded bytes
        // decode to the same declarations without error, so the array of the last distinct encoding is shared.
        int lastLocalsStart = 0, lastLocalsLength = -1;
        LocalDecl[] lastLocals = [];
        for (uint i = 0; i < count; i++)
        {
            int size = r.ReadLength();
            int start = r.Position;
            LocalDecl[] locals;
            int known = lastLocalsLength;
            if (known > 0 && known <= _bytes.Length - start
                && _bytes.AsSpan(start, known).SequenceEqual(_bytes.AsSpan(lastLocalsStart, known)))
            {
                locals = lastLocals;
                r.Position = start + known;
            }
            else
            {
                locals = ReadLocals(ref r);
                lastLocals = locals;
                lastLocalsStart = start;
                lastLocalsLength = r.Position - start;
            }
            int codeStart = r.Position;
            int length = ExpressionScanner.Scan(_bytes.AsSpan(codeStart), codeStart, out bool usesData);
            r.Position = codeStart + length;
            if (r.Position != start + size) WasmReader.Fail("section size mismatch", start);
            _bodiesUseData |= usesData;
            entries[i] = new DecodedBodies.Entry(locals, codeStart, r.Position - codeStart, codeStart - start);
        }
        _codes = entries; // a second code section is out of order, so never read
    }

    // The declared local count must stay below 2^32 (the reference decoder's "too many locals").
    private static LocalDecl[] ReadLocals(ref WasmReader r)
    {
        int at = r.Offset;
        uint runs = r.ReadCount();
        if (runs == 0) return [];
        var locals = new LocalDecl[runs]; // bounded: ReadCount checked it against the bytes left
        ulong total = 0;
        for (int i = 0; i < locals.Length; i++)
        {
            uint n = r.ReadU32();
            locals[i] = new LocalDecl(n, r.ReadValType());
            total += n;
        }
        if (total > uint.MaxValue) WasmReader.Fail("too many locals", at);
        return locals;
    }

    private ConstExpr ReadConstExpr(ref WasmReader r)
    {
        int start = r.Position;
        int length = ExpressionScanner.Scan(_bytes.AsSpan(start), start, out _);
        r.Position = start + length;
        return new ConstExpr(Slice(start, r.Position), start);
    }
}
