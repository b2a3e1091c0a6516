namespace Weft.JavaScript;

/// <summary>The JavaScript sources embedded in this assembly (Resources/*.js).</summary>
internal static class Resources
{
    public static string Read(string name)
    {
        using var stream = typeof(Resources).Assembly.GetManifestResourceStream("Weft.JavaScript." + name)
            ?? throw new InvalidOperationException("missing embedded resource " + name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
