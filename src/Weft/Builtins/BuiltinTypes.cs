using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Builtins;

/// <summary>
/// The canonical types the builtins name, per engine (types are canonical per engine): the standalone
/// <c>(array (mut i16))</c> and <c>(array (mut i8))</c> of the JS API's string builtins and their function types.
/// Each is canonicalized once per engine and held for the engine's life (a handful of small groups).
/// </summary>
internal static class BuiltinTypes
{
    private static readonly ConditionalWeakTable<Engine, ConcurrentDictionary<string, DefinedType>> PerEngine = new();

    /// <summary>The standalone <c>(array (mut i16))</c> of an engine (<c>fromCharCodeArray</c>, <c>intoCharCodeArray</c>).</summary>
    public static DefinedType ArrayMutI16(Engine engine) => Array(engine, StorageType.I16);

    /// <summary>The standalone <c>(array (mut i8))</c> of an engine (the UTF-8 builtins).</summary>
    public static DefinedType ArrayMutI8(Engine engine) => Array(engine, StorageType.I8);

    private static DefinedType Array(Engine engine, StorageType element) =>
        Cache(engine).GetOrAdd($"(array (mut {element}))", _ =>
        {
            var group = new RecGroup([SubType.Plain(new ArrayType(new FieldType(element, Mutable: true)))], explicitRec: false);
            return engine.Types.Canonicalize(group, 0, []).Members[0];
        });

    /// <summary>A standalone function type of an engine, cached under its text.</summary>
    public static DefinedType Func(Engine engine, string key, Func<ValType[]> parameters, Func<ValType[]> results) =>
        Cache(engine).GetOrAdd(key, _ => BuiltinFunction.FuncType(engine, parameters(), results()));

    private static ConcurrentDictionary<string, DefinedType> Cache(Engine engine) =>
        PerEngine.GetValue(engine, _ => new ConcurrentDictionary<string, DefinedType>(StringComparer.Ordinal));
}
