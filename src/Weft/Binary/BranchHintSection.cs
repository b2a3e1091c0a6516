using Weft.Syntax;

namespace Weft.Binary;

/// <summary>
/// The branch hint section (the code metadata custom section <c>metadata.code.branch_hint</c>, spec appendix
/// "Custom Sections and Annotations", branch hinting proposal): for each hinted function, in increasing function index
/// order, its index and its hints; each hint is the byte offset of a <c>br_if</c> or <c>if</c> relative to the start
/// of the function's local declarations (the byte after the body's size), the payload size (always 1) and the hint
/// byte (0 unlikely, 1 likely taken). Offsets increase within a function.
/// </summary>
/// <remarks>
/// The reference interpreter measures offsets from the body's size field instead (its function region starts there);
/// we follow the specification text and the binary tools, which measure from the local declarations.
/// </remarks>
internal static class BranchHintSection
{
    /// <summary>The custom section's name.</summary>
    public const string Name = "metadata.code.branch_hint";

    // The message prefix for an undecodable section, as the reference's decoder words it.
    private const string MalformedPrefix = "@metadata.code.branch_hint section: ";

    /// <summary>One hint: where the instruction is and whether its branch is likely taken.</summary>
    /// <param name="Offset">The instruction's offset from the start of the function's local declarations.</param>
    /// <param name="Likely">True for hint byte 1 (likely taken), false for 0 (unlikely).</param>
    public readonly record struct Hint(uint Offset, bool Likely);

    /// <summary>The hints of one function, as the section lists them.</summary>
    /// <param name="FunctionIndex">The function's index in the function index space (imports first).</param>
    /// <param name="Hints">Its hints, in section order.</param>
    public sealed record Function(uint FunctionIndex, IReadOnlyList<Hint> Hints);

    /// <summary>Encodes the section content (after the name), functions and hints in the order given.</summary>
    public static byte[] Encode(IReadOnlyList<Function> functions)
    {
        var w = new WasmWriter(16 + functions.Sum(f => 4 + f.Hints.Count * 4));
        w.WriteU32((uint)functions.Count);
        foreach (var function in functions)
        {
            w.WriteU32(function.FunctionIndex);
            w.WriteU32((uint)function.Hints.Count);
            foreach (var hint in function.Hints)
            {
                w.WriteU32(hint.Offset);
                w.WriteU32(1);
                w.WriteByte(hint.Likely ? (byte)1 : (byte)0);
            }
        }
        return w.ToArray();
    }

    /// <summary>Decodes the section content (after the name). Order and targets are not checked here.</summary>
    /// <exception cref="MalformedModuleException">The content does not follow the section's grammar.</exception>
    public static IReadOnlyList<Function> Decode(ReadOnlySpan<byte> content)
    {
        try
        {
            return DecodeFunctions(content);
        }
        catch (MalformedModuleException e)
        {
            // The reader's offsets are within the section, whose own position the custom section does not record.
            throw new MalformedModuleException(MalformedPrefix + e.Reason, -1);
        }
    }

    private static List<Function> DecodeFunctions(ReadOnlySpan<byte> content)
    {
        var r = new WasmReader(content);
        uint count = r.ReadCount();
        var functions = new List<Function>((int)count);
        for (uint f = 0; f < count; f++)
        {
            uint index = r.ReadU32();
            uint hintCount = r.ReadCount();
            var hints = new Hint[hintCount];
            for (int h = 0; h < hints.Length; h++)
            {
                uint offset = r.ReadU32();
                if (r.ReadU32() != 1) r.Fail("missing reserved byte");
                byte value = r.ReadByte();
                if (value > 1) r.Fail("invalid hint value");
                hints[h] = new Hint(offset, value == 1);
            }
            functions.Add(new Function(index, hints));
        }
        if (!r.AtEnd) r.Fail("unexpected content after the last function");
        return functions;
    }

    /// <summary>
    /// The encoded size of a body's local declarations: as read when the body came from a binary, else as the writer
    /// encodes them (canonical LEB128s), which is what the text parser's hint offsets assume.
    /// </summary>
    public static int LocalsSize(FunctionBody body)
    {
        if (body.LocalsSize >= 0) return body.LocalsSize;
        var w = new WasmWriter(16);
        ModuleWriter.WriteLocals(w, body.Locals);
        return w.Length;
    }
}
