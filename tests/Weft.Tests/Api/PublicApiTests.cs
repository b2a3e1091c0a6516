using System.Reflection;
using System.Text;
using Weft.Tests.Conformance;

namespace Weft.Tests.Api;

/// <summary>
/// Lists Weft's public surface and compares it with PublicApi.txt, so that any change to it (an accidental public type,
/// a renamed member) shows up in review. After an intended change, regenerate the file:
/// <c>WEFT_UPDATE_PUBLIC_API=1 dotnet test --filter PublicApiTests</c>, and commit it.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly string s_file = Path.Combine(SpecSuite.RepositoryRoot, "tests", "Weft.Tests", "Api", "PublicApi.txt");

    [Fact]
    public void ThePublicSurfaceIsTheListedOne()
    {
        string actual = Describe(typeof(WasmModule).Assembly);
        if (Environment.GetEnvironmentVariable("WEFT_UPDATE_PUBLIC_API") == "1") File.WriteAllText(s_file, actual);
        string expected = File.Exists(s_file) ? File.ReadAllText(s_file) : "";
        var missing = Lines(expected).Except(Lines(actual)).ToList();
        var added = Lines(actual).Except(Lines(expected)).ToList();
        Assert.True(missing.Count == 0 && added.Count == 0,
            "The public API changed. Added:\n  " + string.Join("\n  ", added) + "\nRemoved:\n  " + string.Join("\n  ", missing) +
            "\nIf this is intended, run WEFT_UPDATE_PUBLIC_API=1 dotnet test --filter PublicApiTests and commit PublicApi.txt.");
    }

    [Fact]
    public void TheEmbeddingApiIsPublic()
    {
        var surface = Describe(typeof(WasmModule).Assembly);
        Assert.Contains("Weft.Instance: System.Func`3[T1,T2,TResult] GetFunction[T1,T2,TResult](System.String)", surface);
        Assert.Contains("Weft.Wasi.WasiExtensions: Weft.Linker AddWasi(Weft.Linker, Weft.Wasi.WasiConfig)", surface);
        Assert.Contains("Weft.Store: Void SetDeadline(System.TimeSpan)", surface);
        Assert.DoesNotContain("Weft.Compilation.", surface);
        Assert.DoesNotContain("Weft.Runtime.", surface);
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>One line per public type and per public or protected member, sorted.</summary>
    internal static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetExportedTypes())
        {
            string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct"
                : typeof(Delegate).IsAssignableFrom(type) ? "delegate" : type.IsAbstract && type.IsSealed ? "static class"
                : type.IsAbstract ? "abstract class" : type.IsSealed ? "sealed class" : "class";
            string bases = string.Join(", ", new[] { type.BaseType }.Where(b => b is not null && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
                .Concat(type.GetInterfaces()).Select(t => t!.ToString()).Order(StringComparer.Ordinal));
            lines.Add($"{kind} {type}{(bases.Length > 0 ? " : " + bases : "")}");
            foreach (var member in type.GetMembers(all))
            {
                if (!IsVisible(member) || member is Type) continue;
                if (member is MethodInfo { IsSpecialName: true } m && !m.Name.StartsWith("op_", StringComparison.Ordinal)) continue;
                if (type.IsEnum && member is FieldInfo { IsSpecialName: true }) continue;
                string text = member switch
                {
                    FieldInfo f when type.IsEnum => $"{f.Name} = {f.GetRawConstantValue()}",
                    PropertyInfo p => $"{p.PropertyType} {p.Name} {{ {(p.GetMethod is { } g && IsVisible(g) ? "get; " : "")}{(p.SetMethod is { } s && IsVisible(s) ? (s.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit") ? "init; " : "set; ") : "")}}}",
                    _ => member.ToString()!,
                };
                lines.Add($"{type}: {text}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        var builder = new StringBuilder();
        foreach (var line in lines) builder.Append(line).Append('\n');
        return builder.ToString();
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => (p.GetMethod is { } g && IsVisible(g)) || (p.SetMethod is { } s && IsVisible(s)),
        EventInfo e => e.AddMethod is { } a && IsVisible(a),
        _ => false,
    };
}
