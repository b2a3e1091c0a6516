using Weft.Binary;
using Weft.Compilation;
using Weft.Text;
using Weft.Validation;
using SyntaxModule = Weft.Syntax.Module;

using Weft.Runtime;

namespace Weft;

/// <summary>
/// A WebAssembly module that has been decoded (or parsed from the text format) and validated: the entry point for
/// hosts and tools.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> A module is immutable and thread-safe: any number of stores, on any threads, may instantiate it
/// at the same time. Its code is generated once per combination of store settings (fuel, interruption, ...), on first
/// instantiation, and shared by all later instances, so instantiating it again costs no compilation.</para>
/// <para><b>Engine.</b> A module belongs to the <see cref="Weft.Engine"/> it was loaded in (<see cref="Engine.Default"/>
/// for the overloads without one) and can be instantiated only in stores of that engine.</para>
/// </remarks>
/// <example>
/// <code>
/// var module = WasmModule.FromFile("app.wasm");   // throws MalformedModuleException or InvalidModuleException
/// File.WriteAllBytes("copy.wasm", module.ToBinary());
/// </code>
/// </example>
public sealed partial class WasmModule
{
    private readonly byte[]? _binary;
    private readonly Lock _compileLock = new();
    private IModuleCode? _compiled;
    private Dictionary<CodeOptions, IModuleCode>? _variants;

    private WasmModule(Engine engine, SyntaxModule syntax, ValidModule valid, byte[]? binary, WasmModuleOptions options)
    {
        Engine = engine;
        Syntax = syntax;
        Valid = valid;
        _binary = binary;
        Options = options;
    }

    /// <summary>The engine the module belongs to.</summary>
    public Engine Engine { get; }

    /// <summary>The options the module was created with (<see cref="WasmModuleOptions.Default"/> when none were given).</summary>
    public WasmModuleOptions Options { get; }

    /// <summary>What produces the code of the module: its engine's code generator (the IL compiler unless a test plugs in another).</summary>
    internal ICodeGenerator CodeGenerator => Engine.CodeGenerator;

    /// <summary>The module as plain data.</summary>
    internal SyntaxModule Syntax { get; }

    /// <summary>The validator's result, which compilation consumes.</summary>
    internal ValidModule Valid { get; }

    /// <summary>The compiled code with the default options, produced on first use (thread-safe) and shared by all instances.</summary>
    internal IModuleCode Compiled => CompiledFor(CodeOptions.Default);

    /// <summary>
    /// The code compiled with some options (e.g. with fuel checks), produced on first use and cached per options:
    /// the options are part of the cache key, so stores with and without fuel share nothing but the module.
    /// </summary>
    internal IModuleCode CompiledFor(CodeOptions options)
    {
        bool isDefault = options == CodeOptions.Default;
        if (isDefault && _compiled is { } done) return done;
        Engine.ThrowIfDisposed();
        lock (_compileLock)
        {
            if (isDefault && _compiled is { } again) return again;
            if (!isDefault && _variants?.TryGetValue(options, out var variant) == true) return variant;
            IModuleCode compiled;
            try
            {
                compiled = (Engine.Options.CacheDirectory is { } cache ? Compilation.Aot.CompileCache.GetOrCompile(this, options, cache) : null)
                    ?? CodeGenerator.Generate(Syntax, Valid, options);
            }
            catch (NotSupportedException e)
            {
                throw new CompilationException(e.Message, e);
            }
            catch (Exception e) when (e is not WeftException and not OutOfMemoryException)
            {
                // A .NET limit the compiler does not check for itself (a type, method or IL size limit): still
                // Weft's exception, never a raw .NET one (docs/RATIONALE.md, "Compiler limits").
                throw new CompilationException($"the module cannot be compiled: {e.GetType().Name}: {e.Message}", e);
            }
            if (isDefault) _compiled = compiled;
            else (_variants ??= [])[options] = compiled;
            return compiled;
        }
    }

    /// <summary>Decodes and validates a module in the binary format.</summary>
    /// <param name="bytes">The module's bytes; the array is copied.</param>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    public static WasmModule FromBytes(ReadOnlySpan<byte> bytes) => FromBytes(Engine.Default, bytes);

    /// <summary>Decodes and validates a module in the binary format, in an engine.</summary>
    /// <param name="engine">The engine the module belongs to.</param>
    /// <param name="bytes">The module's bytes; the array is copied.</param>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    public static WasmModule FromBytes(Engine engine, ReadOnlySpan<byte> bytes) => FromBytes(engine, bytes, WasmModuleOptions.Default);

    /// <summary>
    /// Decodes and validates a module in the binary format, in an engine, with options: builtin imports and imported
    /// string constants (see <see cref="WasmModuleOptions"/>), resolved and checked now.
    /// </summary>
    /// <param name="engine">The engine the module belongs to.</param>
    /// <param name="bytes">The module's bytes; the array is copied.</param>
    /// <param name="options">The builtin sets and string-constant module name.</param>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    /// <exception cref="LinkException">
    /// A builtin or string constant is imported with a type it cannot have ("incompatible import type"; the JS API
    /// reports this as a <c>CompileError</c>).
    /// </exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    public static WasmModule FromBytes(Engine engine, ReadOnlySpan<byte> bytes, WasmModuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        // Not zeroed first (ToArray allocates a zeroed array): the copy writes every byte, and zeroing a large
        // array is one more pass over fresh memory (RATIONALE "Host entries for every numeric export; decode").
        byte[] copy = GC.AllocateUninitializedArray<byte>(bytes.Length);
        bytes.CopyTo(copy);
        return FromBinary(engine, copy, null, options);
    }

    /// <summary>Parses and validates a module in the text format (<c>(module ...)</c>).</summary>
    /// <param name="text">The module text.</param>
    /// <param name="sourceName">A name for the text used in error positions, e.g. its file name.</param>
    /// <exception cref="MalformedModuleException">The text is not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    public static WasmModule FromText(string text, string sourceName = "input.wat") => FromText(Engine.Default, text, sourceName);

    /// <summary>Parses and validates a module in the text format (<c>(module ...)</c>), in an engine.</summary>
    /// <param name="engine">The engine the module belongs to.</param>
    /// <param name="text">The module text.</param>
    /// <param name="sourceName">A name for the text used in error positions, e.g. its file name.</param>
    /// <exception cref="MalformedModuleException">The text is not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    public static WasmModule FromText(Engine engine, string text, string sourceName = "input.wat") =>
        FromText(engine, text, WasmModuleOptions.Default, sourceName);

    /// <summary>Parses and validates a module in the text format, in an engine, with options (see <see cref="WasmModuleOptions"/>).</summary>
    /// <param name="engine">The engine the module belongs to.</param>
    /// <param name="text">The module text.</param>
    /// <param name="options">The builtin sets and string-constant module name.</param>
    /// <param name="sourceName">A name for the text used in error positions, e.g. its file name.</param>
    /// <exception cref="MalformedModuleException">The text is not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    /// <exception cref="LinkException">A builtin or string constant is imported with a type it cannot have ("incompatible import type").</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    public static WasmModule FromText(Engine engine, string text, WasmModuleOptions options, string sourceName = "input.wat")
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        return FromUtf8Text(engine, System.Text.Encoding.UTF8.GetBytes(text), sourceName, options);
    }

    /// <summary>
    /// Parses and validates a module in the text format given as UTF-8 bytes (so that malformed UTF-8 in the source is
    /// reported as the spec requires, rather than replaced while decoding it to a string).
    /// </summary>
    /// <param name="utf8Text">The module text as UTF-8.</param>
    /// <param name="sourceName">A name for the text used in error positions, e.g. its file name.</param>
    /// <exception cref="MalformedModuleException">The text is not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    public static WasmModule FromText(ReadOnlySpan<byte> utf8Text, string sourceName = "input.wat") =>
        FromUtf8Text(Engine.Default, utf8Text.ToArray(), sourceName, WasmModuleOptions.Default);

    /// <summary>
    /// Reads a module from a file: the binary format if it starts with the wasm magic number <c>\0asm</c>,
    /// else the text format.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="MalformedModuleException">The file is not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    public static WasmModule FromFile(string path) => FromFile(Engine.Default, path);

    /// <summary>Reads a module from a file (see <see cref="FromFile(string)"/>), in an engine.</summary>
    /// <param name="engine">The engine the module belongs to.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="MalformedModuleException">The file is not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    public static WasmModule FromFile(Engine engine, string path) => FromFile(engine, path, WasmModuleOptions.Default);

    /// <summary>Reads a module from a file (see <see cref="FromFile(string)"/>), in an engine, with options (see <see cref="WasmModuleOptions"/>).</summary>
    /// <param name="engine">The engine the module belongs to.</param>
    /// <param name="path">The file.</param>
    /// <param name="options">The builtin sets and string-constant module name.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="MalformedModuleException">The file is not a well-formed module.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    /// <exception cref="LinkException">A builtin or string constant is imported with a type it cannot have ("incompatible import type").</exception>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    public static WasmModule FromFile(Engine engine, string path, WasmModuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        byte[] bytes = File.ReadAllBytes(path);
        return IsBinary(bytes) ? FromBinary(engine, bytes, path, options) : FromUtf8Text(engine, bytes, path, options);
    }

    /// <summary>
    /// The struct or array type at a type index of this module, for creating GC objects from the host. The type is
    /// canonical: modules that define the same type get the same <see cref="GcType"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such type index.</exception>
    /// <exception cref="ArgumentException">The type is a function type.</exception>
    public GcType GetGcType(int typeIndex)
    {
        if ((uint)typeIndex >= (uint)Valid.Types.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(typeIndex), typeIndex, $"the module has {Valid.Types.Length} types");
        }
        var type = Valid.Types[typeIndex];
        return type.IsFunc ? throw new ArgumentException($"type {typeIndex} is a function type", nameof(typeIndex)) : GcType.Of(type);
    }

    /// <summary>Whether bytes start with the wasm binary magic number <c>\0asm</c>.</summary>
    public static bool IsBinary(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\0asm"u8);

    /// <summary>The module in the binary format: the original bytes if it was read from a binary, else an encoding of it.</summary>
    /// <returns>A new array each call.</returns>
    public byte[] ToBinary() => _binary is not null ? (byte[])_binary.Clone() : ModuleWriter.Write(Syntax);

    /// <summary>Wraps a module that has already been validated (the script runner's path).</summary>
    internal static WasmModule FromValidated(SyntaxModule syntax, Weft.Validation.ValidModule valid) => new(Engine.Of(valid), syntax, valid, null, WasmModuleOptions.Default);

    // Straight to the reader, parser and validator (the .wast runner, in Weft.Script, is not on this path). A source
    // name, when there is one, is put in front of the error's message; its Reason stays the spec's words alone.
    private static WasmModule FromBinary(Engine engine, byte[] bytes, string? sourceName, WasmModuleOptions options)
    {
        try
        {
            return Create(engine, ModuleReader.ReadOwned(bytes), bytes, options); // bytes is this module's own copy
        }
        catch (MalformedModuleException e) when (sourceName is not null)
        {
            throw e.WithSource(sourceName);
        }
        catch (InvalidModuleException e) when (sourceName is not null)
        {
            throw e.WithSource(sourceName);
        }
    }

    private static WasmModule FromUtf8Text(Engine engine, byte[] utf8, string sourceName, WasmModuleOptions options)
    {
        try
        {
            return Create(engine, WatParser.ParseModule(utf8), null, options);
        }
        catch (MalformedModuleException e)
        {
            throw e.WithSource(sourceName);
        }
        catch (InvalidModuleException e)
        {
            throw e.WithSource(sourceName);
        }
    }

    private static WasmModule Create(Engine engine, SyntaxModule syntax, byte[]? binary, WasmModuleOptions options)
    {
        engine.ThrowIfDisposed();
        var valid = Validator.Validate(syntax, engine.Types);
        try
        {
            // Builtins and string constants are resolved and type-checked now, before any code is generated.
            valid.Builtins = Builtins.BuiltinImports.Resolve(valid, options);
        }
        catch
        {
            engine.Types.Release(valid.Types); // a rejected module leaves no types behind
            throw;
        }
        return new(engine, syntax, valid, binary, options);
    }
}
