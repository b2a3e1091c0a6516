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
    private static readonly FrozenDictionary<Opcode, OpcodeInfo> s_byOpcode;
    private static readonly FrozenDictionary<string, OpcodeInfo> s_byName;

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
        var byName = new Dictionary<string, OpcodeInfo>(StringComparer.Ordinal);
        var byOpcode = new Dictionary<Opcode, OpcodeInfo>();
        foreach (var info in s_all)
        {
            byOpcode.Add(info.Opcode, info);
            // ref.test/ref.cast and select share a mnemonic between two opcodes; the text parser picks by immediates.
            byName.TryAdd(info.Name, info);
            switch (info.Prefix)
            {
                case 0: s_single[info.Code] = info; break;
                case GcPrefix: s_gc[info.Code] = info; break;
                case MiscPrefix: s_misc[info.Code] = info; break;
                case SimdPrefix: s_simd[info.Code] = info; break;
                case AtomicPrefix: s_atomic[info.Code] = info; break;
            }
        }
        s_byOpcode = byOpcode.ToFrozenDictionary();
        s_byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
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
    public static OpcodeInfo Get(Opcode opcode) => s_byOpcode[opcode];

    /// <summary>Looks up an instruction by its text mnemonic.</summary>
    public static bool TryGetByName(string name, out OpcodeInfo info) => s_byName.TryGetValue(name, out info);

    /// <summary>Looks up an instruction by its text mnemonic.</summary>
    public static bool TryGetByName(ReadOnlySpan<char> name, out OpcodeInfo info) =>
        s_byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out info);

    /// <summary>The text mnemonic of an opcode.</summary>
    public static string NameOf(Opcode opcode) => s_byOpcode[opcode].Name;
}
