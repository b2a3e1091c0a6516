using System.Diagnostics.CodeAnalysis;
using Weft.Syntax;

namespace Weft.Script;

// Module commands and the module assertions: everything here is decided by decoding, parsing and validation,
// except instantiation, which goes to the session.
internal sealed partial class ScriptRunner
{
    /// <summary>
    /// <c>(module ...)</c>: decode or parse, validate, and unless it is a definition instantiate it. Without execution,
    /// a module that decodes and validates passes (instantiation is then left unchecked).
    /// </summary>
    private void RunModule(ModuleCommand command)
    {
        var module = command.Module;
        LoadedModule loaded;
        try
        {
            loaded = Load(module);
        }
        catch (Exception e)
        {
            BindDefinition(module.Name, new Definition(null, command.Line));
            if (!module.IsDefinition) BindInstance(module.Name, Failed(command.Line));
            Fail(command, "a valid module", Describe(e));
            return;
        }

        BindDefinition(module.Name, new Definition(loaded, command.Line));
        if (module.IsDefinition)
        {
            Pass(command);
            return;
        }

        var outcome = _session.Instantiate(loaded);
        switch (outcome.Kind)
        {
            case ExecutionKind.Instantiated:
                BindInstance(module.Name, new InstanceSlot(outcome.Instance, null));
                Pass(command);
                break;
            case ExecutionKind.NotSupported:
                BindInstance(module.Name, new InstanceSlot(null, outcome.Message));
                Pass(command);
                break;
            default:
                BindInstance(module.Name, Failed(command.Line));
                Fail(command, "instantiation", Describe(outcome));
                break;
        }
    }

    /// <summary><c>(module instance $I $M)</c>: instantiate a definition.</summary>
    private void RunModuleInstance(ModuleInstanceCommand command)
    {
        if (!TryLookupDefinition(command.DefinitionName, out var definition, out string? error))
        {
            Fail(command, reason: error);
            return;
        }
        if (definition.Module is null)
        {
            BindInstance(command.InstanceName, Failed(definition.Line));
            Skip(command, $"module at line {definition.Line} failed");
            return;
        }

        var outcome = _session.Instantiate(definition.Module);
        switch (outcome.Kind)
        {
            case ExecutionKind.Instantiated:
                BindInstance(command.InstanceName, new InstanceSlot(outcome.Instance, null));
                Pass(command);
                break;
            case ExecutionKind.NotSupported:
                BindInstance(command.InstanceName, new InstanceSlot(null, outcome.Message));
                Skip(command, outcome.Message);
                break;
            default:
                BindInstance(command.InstanceName, Failed(command.Line));
                Fail(command, "instantiation", Describe(outcome));
                break;
        }
    }

    private void RunAssertModule(AssertModuleCommand command)
    {
        if (TryRunSuperseded(command)) return;
        switch (command.Assertion)
        {
            // Weft reports malformed annotations as it reports any other parse error: the expected message tells them apart.
            case ModuleAssertion.Malformed or ModuleAssertion.MalformedCustom: AssertMalformed(command); break;
            case ModuleAssertion.Invalid: AssertInvalid(command, withCustomSections: false); break;
            case ModuleAssertion.InvalidCustom: AssertInvalid(command, withCustomSections: true); break;
            case ModuleAssertion.Unlinkable: AssertUnlinkable(command); break;
            default: throw new ArgumentOutOfRangeException(nameof(command), command.Assertion, "unknown module assertion");
        }
    }

    /// <summary>
    /// Passes when decoding or parsing fails with the expected message; validation is not run. For
    /// <c>assert_malformed_custom</c> too: the reference's binary custom section decoding errors do not count there, and
    /// Weft keeps binary custom sections verbatim, so only the text's annotations can fail it.
    /// </summary>
    private void AssertMalformed(AssertModuleCommand command)
    {
        try
        {
            _ = Syntax(command.Module);
        }
        catch (MalformedModuleException e)
        {
            ExpectMessage(command, "malformed", command.Message, e.Reason, Location(e));
            return;
        }
        Fail(command, $"malformed \"{command.Message}\"", "a well-formed module");
    }

    /// <summary>
    /// Passes when the module is well-formed and validation fails with the expected message. A module that does not
    /// even decode or parse fails the assertion, as in the reference runner (which lets that error escape). With
    /// <paramref name="withCustomSections"/> (<c>assert_invalid_custom</c>) the known custom sections are checked after
    /// the module validates, as the reference's validation with custom sections does.
    /// </summary>
    private void AssertInvalid(AssertModuleCommand command, bool withCustomSections)
    {
        string expected = $"invalid \"{command.Message}\"";
        Module syntax;
        try
        {
            syntax = Syntax(command.Module);
        }
        catch (MalformedModuleException e)
        {
            Fail(command, expected, Describe(e));
            return;
        }

        try
        {
            _ = _loader.Validate(syntax);
            if (withCustomSections) _loader.ValidateCustomSections(syntax);
        }
        catch (InvalidModuleException e)
        {
            ExpectMessage(command, "invalid", command.Message, e.Reason, Location(e));
            return;
        }
        catch (MalformedModuleException e) when (withCustomSections)
        {
            // A custom section that does not decode: the reference lets that error escape too.
            Fail(command, expected, Describe(e));
            return;
        }
        Fail(command, expected, "a valid module");
    }

    /// <summary>Passes when the module is valid and instantiation fails to link with the expected message.</summary>
    private void AssertUnlinkable(AssertModuleCommand command)
    {
        if (LoadForAssertion(command, $"unlinkable \"{command.Message}\"") is not { } loaded) return;

        var outcome = _session.Instantiate(loaded);
        switch (outcome.Kind)
        {
            case ExecutionKind.LinkError: ExpectMessage(command, "unlinkable", command.Message, outcome.Message); break;
            case ExecutionKind.NotSupported: Skip(command, outcome.Message); break;
            default: Fail(command, $"unlinkable \"{command.Message}\"", Describe(outcome)); break;
        }
    }

    /// <summary>
    /// For the assertions that take a module and instantiate it (assert_unlinkable, assert_trap on a module): load it,
    /// making it the latest definition as the reference's desugaring does, or record the failure and return null.
    /// </summary>
    private LoadedModule? LoadForAssertion(ScriptCommand command, string expected)
    {
        var module = command switch
        {
            AssertModuleCommand c => c.Module,
            AssertTrapCommand c => c.Module!,
            _ => throw new ArgumentException("not a module assertion", nameof(command)),
        };
        try
        {
            var loaded = Load(module);
            BindDefinition(null, new Definition(loaded, command.Line));
            return loaded;
        }
        catch (Exception e) when (e is MalformedModuleException or InvalidModuleException)
        {
            BindDefinition(null, new Definition(null, command.Line));
            Fail(command, expected, Describe(e));
            return null;
        }
    }

    /// <summary>Decodes or parses a script module and validates it.</summary>
    private LoadedModule Load(ScriptModule module)
    {
        var syntax = Syntax(module);
        return new LoadedModule(syntax, _loader.Validate(syntax), module.Line);
    }

    /// <summary>The module as plain data: parsed when the script was (Text), decoded (Binary) or parsed now (Quote).</summary>
    /// <exception cref="MalformedModuleException">The module is malformed.</exception>
    private Module Syntax(ScriptModule module) => module.Kind switch
    {
        ScriptModuleKind.Text => module.ParseError is { } error ? throw error : module.Parsed ?? throw MissingPart(module, "parsed module"),
        ScriptModuleKind.Binary => _loader.Decode(module.Bytes ?? throw MissingPart(module, "bytes")),
        _ => _loader.ParseText(module.Bytes ?? throw MissingPart(module, "text"), _script.Path),
    };

    private static InvalidOperationException MissingPart(ScriptModule module, string what) =>
        new($"script module at line {module.Line} has no {what}");

    private static string? Location(WeftException e) => e.Message == e.Reason ? null : OneLine(e.Message);

    private static InstanceSlot Failed(int line) => new(null, $"module at line {line} failed");

    private void BindDefinition(string? name, Definition definition)
    {
        if (name is not null) _definitions[name] = definition;
        _latestDefinition = definition;
    }

    private void BindInstance(string? name, InstanceSlot slot)
    {
        if (name is not null) _instances[name] = slot;
        _latestInstance = slot;
    }

    private bool TryLookupDefinition(string? name, [NotNullWhen(true)] out Definition? definition, [NotNullWhen(false)] out string? error)
    {
        definition = name is null ? _latestDefinition : _definitions.GetValueOrDefault(name);
        error = definition is not null ? null : name is null ? "no module defined" : $"unknown module {name}";
        return definition is not null;
    }

    private bool TryLookupInstance(string? name, [NotNullWhen(true)] out InstanceSlot? slot, [NotNullWhen(false)] out string? error)
    {
        slot = name is null ? _latestInstance : _instances.GetValueOrDefault(name);
        error = slot is not null ? null : name is null ? "no module instance defined" : $"unknown module instance {name}";
        return slot is not null;
    }
}
