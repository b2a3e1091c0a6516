namespace Weft.Fuzz;

/// <summary>
/// The format round trips on a valid module: print -> parse -> print of the text format must give the same text,
/// and write -> read -> write of the binary format the same bytes.
/// </summary>
public static class RoundTrip
{
    /// <summary>Null when both round trips are stable; else what went wrong.</summary>
    public static string? Check(WasmModule module)
    {
        string text1, text2;
        WasmModule fromText;
        try
        {
            text1 = module.ToText();
        }
        catch (Exception e)
        {
            return $"ToText of a valid module failed: {e.GetType().Name}: {e.Message}";
        }
        try
        {
            fromText = WasmModule.FromText(text1);
            text2 = fromText.ToText();
        }
        catch (Exception e)
        {
            return $"the printed text does not parse: {e.GetType().Name}: {e.Message}";
        }
        if (text1 != text2) return "print -> parse -> print changed the text: " + FirstDifference(text1, text2);

        try
        {
            byte[] bytes1 = fromText.ToBinary();                       // written from the parsed syntax
            var fromBytes = WasmModule.FromBytes(bytes1);
            string text3 = fromBytes.ToText();
            if (text3 != text1) return "write -> read changed the module: " + FirstDifference(text1, text3);
            byte[] bytes2 = WasmModule.FromText(text3).ToBinary();     // written again from what was read
            if (!bytes1.AsSpan().SequenceEqual(bytes2)) return $"write -> read -> write changed the bytes ({bytes1.Length} vs {bytes2.Length})";
        }
        catch (Exception e)
        {
            return $"the binary round trip failed: {e.GetType().Name}: {e.Message}";
        }
        return null;
    }

    private static string FirstDifference(string a, string b)
    {
        var x = a.Split('\n');
        var y = b.Split('\n');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i]) return $"line {i + 1}: '{x[i].Trim()}' vs '{y[i].Trim()}'";
        }
        return $"{x.Length} vs {y.Length} lines";
    }
}
