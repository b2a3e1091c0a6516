namespace Weft.Tests.Binary;

/// <summary>Builds module binaries for tests from hex strings (spaces allowed).</summary>
internal static class Wasm
{
    /// <summary>The bytes of a hex string.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>A module: the header followed by the given sections (each built with <see cref="Section"/>, or raw hex).</summary>
    public static byte[] Module(params string[] sections) => [.. Hex("0061736d 01000000"), .. Hex(string.Concat(sections))];

    /// <summary>A section: its id, its size (computed) and its content.</summary>
    public static string Section(int id, string content)
    {
        int size = Hex(content).Length;
        return $"{id:x2}{Leb(size)}{content.Replace(" ", "", StringComparison.Ordinal)}";
    }

    /// <summary>The unsigned LEB128 encoding of a value, as hex.</summary>
    public static string Leb(long value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        }
        while (value != 0);
        return Convert.ToHexString(bytes.ToArray());
    }

    /// <summary>A type section holding one function type [] -> [].</summary>
    public const string VoidType = "01 04 01 60 00 00";

    /// <summary>A function section declaring one function of type 0.</summary>
    public const string OneFunction = "03 02 01 00";

    /// <summary>A code section holding one body (given as hex, without its size).</summary>
    public static string Code(params string[] bodies)
    {
        string content = Leb(bodies.Length);
        foreach (string body in bodies) content += Leb(Hex(body).Length) + body.Replace(" ", "", StringComparison.Ordinal);
        return Section(10, content);
    }

    /// <summary>A module with one function [] -> [] whose body (locals, instructions, end) is given, after optional sections that precede the code section.</summary>
    public static byte[] Function(string body, string before = "") => Module(VoidType, OneFunction, before, Code(body));
}
