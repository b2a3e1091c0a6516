using System.Collections.Frozen;

namespace Weft.Syntax;

/// <summary>Lookups over the opcode set: by encoding (decoder), by opcode (writer, validator) and by name (text parser).</summary>
internal static partial class OpcodeTable
{
    // Decoding looks opcodes up by (prefix, sub-opcode); dense arrays keep that to one load.
    private static readonly OpcodeInfo?[] s_single = new OpcodeInfo?[256];
    private static readonly OpcodeInfo?[] s_gc = new OpcodeInfo?[32];
    private static readonly OpcodeInfo?[] s_misc = new OpcodeInfo?[32];
    private static readonly OpcodeInfo?[] s_simd = new OpcodeInfo?[0x120];
    private static readonly OpcodeInfo?[] s_atomic = new OpcodeInfo?[0x50];

    /// <summary>The prefix byte of GC instructions.</summary>
    public const int GcPrefix = 0xFB;
    /// <summary>The prefix byte of saturating truncation, bulk memory and table instructions.</summary>
    public const int MiscPrefix = 0xFC;
    /// <summary>The prefix byte of SIMD instructions.</summary>
    public const int SimdPrefix = 0xFD;
    /// <summary>The prefix byte of the threads proposal's atomic instructions.</summary>
    public const int AtomicPrefix = 0xFE;

    /// <summary>Whether a byte starts a prefixed (multi-byte) opcode.</summary>
    public static bool IsPrefix(int code) => code is GcPrefix or MiscPrefix or SimdPrefix or AtomicPrefix;

    static OpcodeTable()
    {
        // Only the dense arrays are built here: every module's decoding needs them. The by-name table is for the text
        // parser alone (ByName); a frozen by-opcode dictionary, built here before, cost an empty module's `weft run`
        // two FrozenDictionary constructions and ~70 JIT-compiled framework methods (RATIONALE.md, "Start-up: an
        // empty module's `weft run`, third look"): Get reads the same arrays the decoder does.
        foreach (var info in s_all)
        {
            switch (info.Prefix)
            {
                case 0: s_single[info.Code] = info; break;
                case GcPrefix: s_gc[info.Code] = info; break;
                case MiscPrefix: s_misc[info.Code] = info; break;
                case SimdPrefix: s_simd[info.Code] = info; break;
                case AtomicPrefix: s_atomic[info.Code] = info; break;
            }
        }
    }

    /// <summary>The instructions by text mnemonic, built on first use (by the text parser).</summary>
    private static class ByName
    {
        internal static readonly FrozenDictionary<string, OpcodeInfo> Table = Build();

        private static FrozenDictionary<string, OpcodeInfo> Build()
        {
            var byName = new Dictionary<string, OpcodeInfo>(StringComparer.Ordinal);
            // ref.test/ref.cast and select share a mnemonic between two opcodes; the text parser picks by immediates.
            foreach (var info in s_all) byName.TryAdd(info.Name, info);
            return byName.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>All opcodes, in numeric order.</summary>
    public static ReadOnlySpan<OpcodeInfo> All => s_all;

    /// <summary>Looks up a single-byte opcode.</summary>
    public static OpcodeInfo? Single(int code) => (uint)code < 256 ? s_single[code] : null;

    /// <summary>Looks up a prefixed opcode.</summary>
    public static OpcodeInfo? Prefixed(int prefix, uint sub)
    {
        var table = prefix switch { GcPrefix => s_gc, MiscPrefix => s_misc, SimdPrefix => s_simd, AtomicPrefix => s_atomic, _ => null };
        return table is not null && sub < (uint)table.Length ? table[sub] : null;
    }

    /// <summary>The information of an opcode.</summary>
    /// <exception cref="KeyNotFoundException">No such opcode.</exception>
    public static OpcodeInfo Get(Opcode opcode)
    {
        int value = (int)opcode;
        var found = value < 256 ? Single(value) : Prefixed(value >> 12, (uint)(value & 0xFFF));
        return found ?? throw new KeyNotFoundException($"no opcode {value:x}");
    }

    /// <summary>Looks up an instruction by its text mnemonic.</summary>
    public static bool TryGetByName(string name, out OpcodeInfo info) => ByName.Table.TryGetValue(name, out info);

    /// <summary>Looks up an instruction by its text mnemonic.</summary>
    public static bool TryGetByName(ReadOnlySpan<char> name, out OpcodeInfo info) =>
        ByName.Table.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out info);

    /// <summary>The text mnemonic of an opcode.</summary>
    public static string NameOf(Opcode opcode) => Get(opcode).Name;
}
