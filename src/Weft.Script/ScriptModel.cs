using Weft.Syntax;

namespace Weft.Script;

// The abstract syntax of .wast scripts (the spec's interpreter/script/script.ml), produced by WastParser and
// consumed by ScriptRunner. Every node records the 1-based line it starts on, for failure reports.

/// <summary>A parsed .wast script.</summary>
/// <param name="Path">The file it came from (for reports), or a placeholder.</param>
/// <param name="Commands">The commands in order.</param>
internal sealed record WastScript(string Path, IReadOnlyList<ScriptCommand> Commands);

/// <summary>How a script module is given.</summary>
internal enum ScriptModuleKind
{
    /// <summary><c>(module ...)</c> in text; <see cref="ScriptModule.Parsed"/> holds it (or <see cref="ScriptModule.ParseError"/>).</summary>
    Text,
    /// <summary><c>(module binary "...")</c>; <see cref="ScriptModule.Bytes"/> holds the bytes.</summary>
    Binary,
    /// <summary><c>(module quote "...")</c>; <see cref="ScriptModule.Bytes"/> holds the text to parse at run time.</summary>
    Quote,
}

/// <summary>A module as written in a script.</summary>
internal sealed record ScriptModule(int Line, string? Name, ScriptModuleKind Kind)
{
    /// <summary>For Text: the parsed module.</summary>
    public Module? Parsed { get; init; }

    /// <summary>For Text: the parse error, when the module text was malformed (reported when the command runs).</summary>
    public MalformedModuleException? ParseError { get; init; }

    /// <summary>For Binary: the module bytes; for Quote: the module text as UTF-8 bytes.</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>Whether written <c>(module definition ...)</c>: defined but not instantiated.</summary>
    public bool IsDefinition { get; init; }
}

/// <summary>A script command.</summary>
internal abstract record ScriptCommand(int Line);

/// <summary><c>(module ...)</c>: define and (unless a definition) instantiate a module; it becomes the current one.</summary>
internal sealed record ModuleCommand(int Line, ScriptModule Module) : ScriptCommand(Line);

/// <summary><c>(module instance $I $M)</c>: instantiate a module definition.</summary>
internal sealed record ModuleInstanceCommand(int Line, string? InstanceName, string? DefinitionName) : ScriptCommand(Line);

/// <summary><c>(register "name" $M?)</c>: make a module instance's exports importable under a name.</summary>
internal sealed record RegisterCommand(int Line, string As, string? ModuleName) : ScriptCommand(Line);

/// <summary>A bare action: <c>(invoke ...)</c> or <c>(get ...)</c>.</summary>
internal sealed record ActionCommand(int Line, ScriptAction Action) : ScriptCommand(Line);

/// <summary><c>(assert_return action result*)</c>.</summary>
internal sealed record AssertReturnCommand(int Line, ScriptAction Action, IReadOnlyList<ResultPattern> Expected) : ScriptCommand(Line);

/// <summary><c>(assert_trap action "msg")</c> or <c>(assert_trap module "msg")</c> (a trap during instantiation).</summary>
internal sealed record AssertTrapCommand(int Line, ScriptAction? Action, ScriptModule? Module, string Message) : ScriptCommand(Line);

/// <summary><c>(assert_exhaustion action "msg")</c>.</summary>
internal sealed record AssertExhaustionCommand(int Line, ScriptAction Action, string Message) : ScriptCommand(Line);

/// <summary>
/// The threads proposal's <c>(thread $T (shared (module $M)*) command*)</c>: the commands run on a thread of their own
/// in a fresh script state that sees only the named shared instances.
/// </summary>
internal sealed record ThreadCommand(int Line, string Name, IReadOnlyList<string> SharedModules, IReadOnlyList<ScriptCommand> Commands) : ScriptCommand(Line);

/// <summary>(wait $T): waits for a thread and reports its commands' results.</summary>
internal sealed record WaitCommand(int Line, string Thread) : ScriptCommand(Line);

/// <summary><c>(assert_exception action)</c>: the action throws an uncaught wasm exception.</summary>
internal sealed record AssertExceptionCommand(int Line, ScriptAction Action) : ScriptCommand(Line);

/// <summary>The module-rejecting assertions.</summary>
internal enum ModuleAssertion
{
    /// <summary><c>assert_malformed</c>: decoding or parsing fails.</summary>
    Malformed,
    /// <summary><c>assert_invalid</c>: validation fails.</summary>
    Invalid,
    /// <summary><c>assert_unlinkable</c>: linking fails.</summary>
    Unlinkable,
    /// <summary><c>assert_malformed_custom</c>: a custom annotation is malformed.</summary>
    MalformedCustom,
    /// <summary><c>assert_invalid_custom</c>: a custom annotation is invalid.</summary>
    InvalidCustom,
}

/// <summary><c>(assert_malformed|assert_invalid|assert_unlinkable|..._custom module "msg")</c>.</summary>
internal sealed record AssertModuleCommand(int Line, ModuleAssertion Assertion, ScriptModule Module, string Message) : ScriptCommand(Line);

/// <summary>An action.</summary>
internal abstract record ScriptAction(int Line, string? ModuleName, string Name);

/// <summary><c>(invoke $M? "name" arg*)</c>.</summary>
internal sealed record InvokeAction(int Line, string? ModuleName, string Name, IReadOnlyList<ScriptValue> Args) : ScriptAction(Line, ModuleName, Name);

/// <summary><c>(get $M? "name")</c>: read an exported global.</summary>
internal sealed record GetAction(int Line, string? ModuleName, string Name) : ScriptAction(Line, ModuleName, Name);

/// <summary>The kinds of script constants.</summary>
internal enum ScriptValueKind
{
    /// <summary>i32.const: <see cref="ScriptValue.Bits"/> holds the value zero-extended.</summary>
    I32,
    /// <summary>i64.const.</summary>
    I64,
    /// <summary>f32.const: the bits.</summary>
    F32,
    /// <summary>f64.const: the bits.</summary>
    F64,
    /// <summary>v128.const: low 64 bits in Bits, high in Bits2.</summary>
    V128,
    /// <summary>(ref.null ht): <see cref="ScriptValue.Heap"/>.</summary>
    RefNull,
    /// <summary>(ref.extern N): a host reference numbered N, as an externref.</summary>
    RefExtern,
    /// <summary>(ref.host N): a host reference numbered N.</summary>
    RefHost,
}

/// <summary>A constant argument (or expected exact result).</summary>
internal readonly record struct ScriptValue(ScriptValueKind Kind, ulong Bits, ulong Bits2 = 0, HeapType Heap = default);

/// <summary>The kinds of NaN patterns.</summary>
internal enum NanPattern
{
    /// <summary>Not a NaN pattern.</summary>
    None,
    /// <summary><c>nan:canonical</c>.</summary>
    Canonical,
    /// <summary><c>nan:arithmetic</c>.</summary>
    Arithmetic,
}

/// <summary>The kinds of expected results.</summary>
internal enum ResultKind
{
    /// <summary>An exact value (<see cref="ResultPattern.Value"/>), compared bit for bit.</summary>
    Value,
    /// <summary>f32 NaN pattern.</summary>
    F32Nan,
    /// <summary>f64 NaN pattern.</summary>
    F64Nan,
    /// <summary>A v128 compared lane by lane; lanes given by <see cref="ResultPattern.Lanes"/>.</summary>
    V128Lanes,
    /// <summary><c>(ref.null)</c> or <c>(ref.null ht)</c>: any null (heap type ignored by the reference runner beyond its hierarchy).</summary>
    RefNull,
    /// <summary><c>(ref.func)</c>: any non-null function reference.</summary>
    RefFunc,
    /// <summary><c>(ref.extern)</c> any non-null externref, or <c>(ref.extern N)</c> that host value.</summary>
    RefExtern,
    /// <summary><c>(ref.host N)</c>.</summary>
    RefHost,
    /// <summary><c>(ref.struct)</c>.</summary>
    RefStruct,
    /// <summary><c>(ref.array)</c>.</summary>
    RefArray,
    /// <summary><c>(ref.i31)</c>.</summary>
    RefI31,
    /// <summary><c>(ref.eq)</c>.</summary>
    RefEq,
    /// <summary><c>(ref.any)</c>: any non-null internal reference.</summary>
    RefAny,
    /// <summary><c>(ref.exn)</c>: any non-null exception reference.</summary>
    RefExn,
    /// <summary><c>(either r1 r2 ...)</c>: any of <see cref="ResultPattern.Alternatives"/>.</summary>
    Either,
}

/// <summary>The shape of a v128 lane pattern.</summary>
internal enum V128Shape
{
    /// <summary>16 lanes of i8.</summary>
    I8x16,
    /// <summary>8 lanes of i16.</summary>
    I16x8,
    /// <summary>4 lanes of i32.</summary>
    I32x4,
    /// <summary>2 lanes of i64.</summary>
    I64x2,
    /// <summary>4 lanes of f32.</summary>
    F32x4,
    /// <summary>2 lanes of f64.</summary>
    F64x2,
}

/// <summary>One lane of a v128 result pattern: exact bits or a NaN pattern.</summary>
internal readonly record struct LanePattern(ulong Bits, NanPattern Nan);

/// <summary>An expected result.</summary>
internal sealed record ResultPattern(ResultKind Kind)
{
    /// <summary>For Value: the exact value.</summary>
    public ScriptValue Value { get; init; }

    /// <summary>For F32Nan/F64Nan: which NaN pattern.</summary>
    public NanPattern Nan { get; init; }

    /// <summary>For V128Lanes: the lane shape.</summary>
    public V128Shape Shape { get; init; }

    /// <summary>For V128Lanes: one pattern per lane.</summary>
    public IReadOnlyList<LanePattern> Lanes { get; init; } = [];

    /// <summary>For RefNull: the heap type if given. For RefExtern/RefHost: whether a number was given, in <see cref="HostIndex"/>.</summary>
    public HeapType? Heap { get; init; }

    /// <summary>For RefExtern/RefHost: the host value number, if given.</summary>
    public uint? HostIndex { get; init; }

    /// <summary>For Either: the alternatives.</summary>
    public IReadOnlyList<ResultPattern> Alternatives { get; init; } = [];
}
