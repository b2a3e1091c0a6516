using System.Text;
using Weft.Script;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Tests.Script;

/// <summary>
/// A stand-in for the binary reader, text parser and validator. A module's "bytes" are a word: <c>ok</c>,
/// <c>malformed:REASON</c> (decoding or parsing fails), <c>invalid:REASON</c> (validation fails) or
/// <c>invalid-custom:REASON</c> (only the custom section check fails).
/// A script file's content picks a canned script: see <see cref="ParseScript"/>.
/// </summary>
internal sealed class FakeLoader : IModuleLoader
{
    public static FakeLoader Instance { get; } = new();

    public int TextParses;

    public Module Decode(byte[] bytes) => Make(bytes);

    public Module DecodeWasm30(byte[] bytes) => Make(bytes);

    public Module ParseText(byte[] utf8, string path)
    {
        Interlocked.Increment(ref TextParses);
        return Make(utf8);
    }

    public ValidModule Validate(Module module)
    {
        var invalid = module.CustomSections.FirstOrDefault(s => s.Name == "invalid");
        if (invalid is not null) throw new InvalidModuleException(Encoding.UTF8.GetString(invalid.Data.Span), 7);
        return Validator.Validate(module); // the fake's modules are empty, so really valid
    }

    /// <summary>A custom section named "invalid-custom" makes the custom section check fail with its content.</summary>
    public void ValidateCustomSections(Module module)
    {
        var invalid = module.CustomSections.FirstOrDefault(s => s.Name == "invalid-custom");
        if (invalid is not null) throw new InvalidModuleException(Encoding.UTF8.GetString(invalid.Data.Span), 8);
    }

    /// <summary>"throw" → an unexpected exception; "parse-error" → malformed at line 3; "fail" → one failing module;
    /// anything else → one valid module and one invoke.</summary>
    public WastScript ParseScript(byte[] source, string path) => Encoding.UTF8.GetString(source).Trim() switch
    {
        "throw" => throw new InvalidOperationException("boom"),
        "parse-error" => throw new MalformedModuleException("unexpected token", 3, 5, path),
        "fail" => new WastScript(path, [new ModuleCommand(2, ScriptModules.BinaryModule("malformed:unexpected end"))]),
        _ => new WastScript(path,
        [
            new ModuleCommand(1, ScriptModules.BinaryModule("ok")),
            new ActionCommand(2, new InvokeAction(2, null, "f", [])),
        ]),
    };

    private static Module Make(byte[] bytes)
    {
        string word = Encoding.UTF8.GetString(bytes);
        if (word == "crash") throw new NotImplementedException("not merged yet");
        if (word.StartsWith("malformed:", StringComparison.Ordinal)) throw new MalformedModuleException(word["malformed:".Length..], 4);
        foreach (string kind in (string[])["invalid", "invalid-custom"])
        {
            if (word.StartsWith(kind + ":", StringComparison.Ordinal))
                return new Module { CustomSections = [new CustomSection(kind, Encoding.UTF8.GetBytes(word[(kind.Length + 1)..]), 0)] };
        }
        return new Module();
    }
}

/// <summary>Builders for script modules in the <see cref="FakeLoader"/> convention.</summary>
internal static class ScriptModules
{
    public static ScriptModule BinaryModule(string word, string? name = null, int line = 1) =>
        new(line, name, ScriptModuleKind.Binary) { Bytes = Encoding.UTF8.GetBytes(word) };

    public static ScriptModule QuoteModule(string word, int line = 1) =>
        new(line, null, ScriptModuleKind.Quote) { Bytes = Encoding.UTF8.GetBytes(word) };

    public static ScriptModule TextModule(string? name = null, int line = 1) =>
        new(line, name, ScriptModuleKind.Text) { Parsed = new Module() };

    public static ScriptModule TextModuleWithError(string reason, int line = 1) =>
        new(line, null, ScriptModuleKind.Text) { ParseError = new MalformedModuleException(reason, line, 9) };

    public static ScriptModule DefinitionModule(string word, string? name, int line = 1) =>
        new(line, name, ScriptModuleKind.Binary) { Bytes = Encoding.UTF8.GetBytes(word), IsDefinition = true };
}

/// <summary>An executor whose every answer is scripted by the test; it records what it was asked.</summary>
internal sealed class FakeExecutor : IScriptExecutor, IScriptSession
{
    public Func<LoadedModule, ExecutionOutcome> OnInstantiate { get; init; } = m => ExecutionOutcome.Instantiated(new FakeInstance(m.Line));

    public Func<FakeInstance, string, IReadOnlyList<ScriptValue>, ExecutionOutcome> OnInvoke { get; init; } =
        (_, _, _) => ExecutionOutcome.Returned();

    public Func<FakeInstance, string, ExecutionOutcome> OnGet { get; init; } = (_, _) => ExecutionOutcome.Returned(ActualValue.I32(0));

    public List<string> Log { get; } = [];

    public bool Disposed { get; private set; }

    public IScriptSession StartSession(string scriptPath) => this;

    public ExecutionOutcome Instantiate(LoadedModule module) => OnInstantiate(module);

    public ExecutionOutcome Register(string name, object instance)
    {
        Log.Add($"register {name} {instance}");
        return ExecutionOutcome.Returned();
    }

    public ExecutionOutcome Invoke(object instance, string export, IReadOnlyList<ScriptValue> arguments)
    {
        Log.Add($"invoke {instance} {export}");
        return OnInvoke((FakeInstance)instance, export, arguments);
    }

    public ExecutionOutcome Get(object instance, string export)
    {
        Log.Add($"get {instance} {export}");
        return OnGet((FakeInstance)instance, export);
    }

    public void Dispose() => Disposed = true;
}

/// <summary>An instance of the fake executor, known by the line of its module.</summary>
internal sealed record FakeInstance(int Line)
{
    public override string ToString() => $"instance@{Line}";
}
