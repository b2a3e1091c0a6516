using Weft.Syntax;

namespace Weft.Script;

// Some proposal suites (the testsuite's proposals/threads: memory.wast, imports.wast) were written before Wasm 3.0
// merged multi-memory, reference types and memory64, and still expect rejections that 3.0 removed. Such an assertion
// is not skipped: it is checked against what Wasm 3.0 requires of the same module instead.
// Likewise the 3.0 suite's binary.wast expects limits flag 0x08 to be malformed, which the custom-page-sizes proposal
// (whose own binary.wast drops that case) makes the page-size flag: such a module is checked to be malformed under
// the proposal too, and malformed for its flags under the 3.0 rules alone.
internal sealed partial class ScriptRunner
{
    /// <summary>Runs the 3.0 check for a superseded assertion; false if the assertion is not one.</summary>
    private bool TryRunSuperseded(AssertModuleCommand command)
    {
        switch (command.Assertion, command.Message)
        {
            case (ModuleAssertion.Invalid, "multiple memories" or "multiple tables"):
            {
                // 3.0 allows any number of memories and tables: the module must validate.
                Module syntax;
                try
                {
                    syntax = Syntax(command.Module);
                    _ = _loader.Validate(syntax);
                }
                catch (WeftException e)
                {
                    Fail(command, $"a valid module (Wasm 3.0 allows {command.Message}; the script expects \"{command.Message}\")", Describe(e));
                    return true;
                }
                Pass(command);
                return true;
            }
            case (ModuleAssertion.Malformed, "i32 constant out of range"):
            {
                // 3.0 reads memory limits as u64 whatever the address type (for memory64), so (memory 0x1_0000_0000) is
                // well-formed and then invalid for its size. A module that does not parse is judged as usual.
                Module syntax;
                try
                {
                    syntax = Syntax(command.Module);
                }
                catch (MalformedModuleException)
                {
                    return false;
                }
                if (!syntax.Memories.Any(m => m.Limits.Min > uint.MaxValue || m.Limits.Max > uint.MaxValue)) return false;
                try
                {
                    _ = _loader.Validate(syntax);
                }
                catch (InvalidModuleException e)
                {
                    ExpectMessage(command, "invalid (Wasm 3.0: memory limits are u64)", "memory size", e.Reason, Location(e));
                    return true;
                }
                Fail(command, "invalid \"memory size\" (Wasm 3.0: memory limits are u64)", "a valid module");
                return true;
            }
            case (ModuleAssertion.Malformed, "malformed limits flags") when command.Module.Kind == ScriptModuleKind.Binary:
            {
                byte[] bytes = command.Module.Bytes ?? throw MissingPart(command.Module, "bytes");
                try
                {
                    _ = _loader.Decode(bytes);
                    return false; // well-formed even with custom page sizes: judged (and failed) as usual
                }
                catch (MalformedModuleException e) when (e.Reason != command.Message)
                {
                    // Malformed for another reason under the proposal (bit 3 then wants a page size that is missing).
                }
                catch (MalformedModuleException)
                {
                    return false;
                }
                try
                {
                    _ = _loader.DecodeWasm30(bytes);
                }
                catch (MalformedModuleException e)
                {
                    ExpectMessage(command, "malformed (Wasm 3.0 rules, without custom-page-sizes)", command.Message, e.Reason, Location(e));
                    return true;
                }
                Fail(command, "malformed \"malformed limits flags\" (Wasm 3.0 rules)", "a well-formed module");
                return true;
            }
            default:
                return false;
        }
    }
}
