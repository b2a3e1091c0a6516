namespace Weft;

/// <summary>
/// How a module is compiled: the builtin import sets it may use and the module name of its imported string
/// constants, as the WebAssembly JS API's <c>WebAssemblyCompileOptions</c> (<c>builtins</c>,
/// <c>importedStringConstants</c>) give them. Usable from plain C# hosts: no JavaScript is involved.
/// </summary>
/// <remarks>
/// <para>Builtin imports are resolved when the module is created: their types are checked then (a mismatch makes
/// <see cref="WasmModule.FromBytes(Engine, ReadOnlySpan{byte}, WasmModuleOptions)"/> throw a
/// <see cref="LinkException"/> "incompatible import type", the JS API's <c>CompileError</c>), they are left out of
/// <see cref="WasmModule.Imports"/>, a linker or the explicit import list never supplies them, and calls to them are
/// compiled inline. Each instance gets its own builtin function objects (the JS API's "unique instantiation").</para>
/// <para>An import of a builtin set's module whose name is no builtin of the set stays an ordinary import.</para>
/// </remarks>
/// <example>
/// <code>
/// var options = new WasmModuleOptions { Builtins = WasmModuleOptions.JsStringSets, ImportedStringConstants = "'" };
/// var module = WasmModule.FromBytes(engine, bytes, options);
/// </code>
/// </example>
public sealed record WasmModuleOptions
{
    /// <summary>The builtin set <c>"js-string"</c>: imports from module <c>"wasm:js-string"</c> (the JS API's string builtins over .NET strings as <c>externref</c>).</summary>
    public const string JsString = "js-string";

    /// <summary>The builtin set <c>"text-decoder"</c>: <c>"wasm:text-decoder" "decodeStringFromUTF8Array"</c>.</summary>
    public const string TextDecoder = "text-decoder";

    /// <summary>The builtin set <c>"text-encoder"</c>: <c>"wasm:text-encoder"</c> <c>measureStringAsUTF8</c>, <c>encodeStringIntoUTF8Array</c>, <c>encodeStringToUTF8Array</c>.</summary>
    public const string TextEncoder = "text-encoder";

    /// <summary>
    /// The builtin set <c>"weft:array-simd"</c>, Weft's own: 128-bit loads and stores at an element index of packed GC
    /// arrays, imported from module <c>"weft:array-simd"</c> (docs/BUILTINS-ARRAY-SIMD.md; a polyfill module ships with
    /// Weft, see <see cref="ArraySimdPolyfill"/>).
    /// </summary>
    public const string ArraySimd = "weft:array-simd";

    /// <summary>No builtins, no string constants: a module compiled as plain Wasm 3.0.</summary>
    public static WasmModuleOptions Default { get; } = new();

    /// <summary>The three string sets: <c>js-string</c>, <c>text-decoder</c>, <c>text-encoder</c>.</summary>
    public static IReadOnlySet<string> JsStringSets { get; } = new HashSet<string>(StringComparer.Ordinal) { JsString, TextDecoder, TextEncoder };

    /// <summary>
    /// The builtin sets enabled, by name (<see cref="JsString"/>, <see cref="TextDecoder"/>, <see cref="TextEncoder"/>,
    /// <see cref="ArraySimd"/>); null or empty for none. Names Weft does not know are ignored, as the JS API ignores
    /// them (a module can ask for a set and polyfill it where it is missing). A set named <c>N</c> is imported from
    /// module <c>"wasm:N"</c>, or from <c>N</c> itself when the name has a colon (Weft's own sets stay out of the
    /// <c>wasm:</c> namespace, which belongs to the standard).
    /// </summary>
    public IReadOnlySet<string>? Builtins { get; init; }

    /// <summary>
    /// The module name whose imports are string constants, or null for none: each import from it must be an immutable
    /// global of a supertype of <c>(ref extern)</c> (<c>externref</c> or <c>(ref extern)</c>), and its value is its
    /// import name as a .NET <see cref="string"/>. The JS API's proposal suggests <c>"'"</c>.
    /// </summary>
    public string? ImportedStringConstants { get; init; }

    /// <summary>The text of the polyfill module of <see cref="ArraySimd"/>, which implements its imports with <c>array.get</c>/<c>array.set</c> (for engines without the set).</summary>
    public static string ArraySimdPolyfill => global::Weft.Builtins.ArraySimdPolyfill.Text;

    /// <summary>Whether a builtin set is enabled.</summary>
    internal bool Enables(string set) => Builtins is { } sets && sets.Contains(set);

    /// <summary>Whether the options change anything (builtins or string constants).</summary>
    internal bool IsEmpty => (Builtins is null || Builtins.Count == 0) && ImportedStringConstants is null;
}
